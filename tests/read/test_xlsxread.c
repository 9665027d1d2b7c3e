/* Unit tests for the .xlsx reader: workbooks are assembled part by part with
 * minizip, so every cell type, odd layout and hostile input is exact. */
#include <glib.h>
#include <unistd.h>
#include <zip.h>

#include "xlsxread.h"
#include "murojaat/reader.h"
#include "murojaat/schema.h"

#include "check.h"

struct part {
	const char *name;
	const char *text;   /* NULL: size bytes of filler spaces */
	size_t size;
};

static char tmpdir[256];
static int nbooks;

/* Writes parts into a new zip file; returns its path (static storage). */
static const char *book_write(const struct part *parts, size_t n)
{
	static char path[300];
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof tmpdir, "%s/mjxlsxXXXXXX", g_get_tmp_dir());
		if (!g_mkdtemp(tmpdir))
			abort();
	}
	snprintf(path, sizeof path, "%s/book%d.xlsx", tmpdir, nbooks++);
	zipFile zf = zipOpen64(path, APPEND_STATUS_CREATE);
	if (!zf)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (zipOpenNewFileInZip64(zf, parts[i].name, NULL, NULL, 0, NULL, 0, NULL,
					  Z_DEFLATED, 9, 1) != ZIP_OK)
			abort();
		if (parts[i].text) {
			if (zipWriteInFileInZip(zf, parts[i].text, (unsigned)strlen(parts[i].text)) != ZIP_OK)
				abort();
		} else {
			static char spaces[1 << 16];
			memset(spaces, ' ', sizeof spaces);
			for (size_t done = 0; done < parts[i].size; done += sizeof spaces)
				if (zipWriteInFileInZip(zf, spaces, sizeof spaces) != ZIP_OK)
					abort();
		}
		zipCloseFileInZip(zf);
	}
	if (zipClose(zf, NULL) != ZIP_OK)
		abort();
	return path;
}

static void cleanup(void)
{
	for (int i = 0; i < nbooks; i++) {
		char path[300];
		snprintf(path, sizeof path, "%s/book%d.xlsx", tmpdir, i);
		unlink(path);
	}
	if (tmpdir[0])
		rmdir(tmpdir);
}

#define ROOT_RELS "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
#define WB_RELS "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
	"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>" \
	"<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"/xl/worksheets/../worksheets/sheet2.xml\"/>" \
	"<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>" \
	"<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>"
#define WB(pr, sheets) "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" pr "<sheets>" sheets "</sheets></workbook>"
#define TWO_SHEETS "<sheet name=\"Notes\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Appeals 2023\" sheetId=\"2\" r:id=\"rId2\"/>"
#define SHEET(rows) "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" rows "</sheetData></worksheet>"
/* Formats: 0 General, 1 built-in date 14, 2 custom dd/mm/yyyy, 3 time h:mm,
 * 4 custom with quoted text and a colour but no date. */
#define STYLES "<?xml version=\"1.0\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
	"<numFmts count=\"3\"><numFmt numFmtId=\"164\" formatCode=\"dd/mm/yyyy\"/><numFmt numFmtId=\"165\" formatCode=\"h:mm\"/>" \
	"<numFmt numFmtId=\"166\" formatCode=\"[Red]0&quot; days&quot;\"/></numFmts>" \
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>" \
	"<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/><xf numFmtId=\"164\"><alignment/></xf><xf numFmtId=\"165\"/><xf numFmtId=\"166\"/></cellXfs></styleSheet>"
#define STRINGS "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"6\" uniqueCount=\"6\">" \
	"<si><t>id</t></si><si><t>date</t></si><si><t>region</t></si><si><t xml:space=\"preserve\"> UZ-TK </t></si>" \
	"<si><r><t>Sam</t></r><r><rPr><b/></rPr><t>arqand</t></r><rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si><si><t>Title of the register</t></si></sst>"

struct rows {
	GString *s;
	int stop_after;
	int seen;
};

static int collect(void *ctx, const struct mj_field *f, size_t n, unsigned long line)
{
	struct rows *r = ctx;
	g_string_append_printf(r->s, "%lu", line);
	for (size_t i = 0; i < n; i++) {
		CHECK(strlen(f[i].text) == f[i].len);
		g_string_append_printf(r->s, "|%s", f[i].text);
	}
	g_string_append_c(r->s, '\n');
	return r->stop_after && ++r->seen >= r->stop_after;
}

static const struct mj_schema *schema(void)
{
	static struct mj_schema *s;
	struct mj_error err;
	if (!s && !(s = mj_schema_default(&err)))
		abort();
	return s;
}

/* Reads path with opts; returns the rows as text and the status in *st. */
static char *read_book(const char *path, struct mj_reader_opts *o, enum mj_status *st,
		       struct mj_error *err)
{
	struct rows r = {.s = g_string_new(NULL)};
	mj_error_clear(err);
	*st = mj_read_rows(path, o, collect, &r, NULL, err);
	return g_string_free(r.s, FALSE);
}

static const char *standard_book(const char *sheet1, const char *sheet2)
{
	const struct part parts[] = {
		{"_rels/.rels", ROOT_RELS, 0},
		{"xl/workbook.xml", WB("", TWO_SHEETS), 0},
		{"xl/_rels/workbook.xml.rels", WB_RELS, 0},
		{"xl/styles.xml", STYLES, 0},
		{"xl/sharedStrings.xml", STRINGS, 0},
		{"xl/worksheets/sheet1.xml", sheet1, 0},
		{"xl/worksheets/sheet2.xml", sheet2, 0},
	};
	return book_write(parts, 7);
}

#define NOTES SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>notes</t></is></c></row>")

static void test_cells(void)
{
	/* Title rows, a gap, shared/inline/rich strings, numbers, booleans,
	 * formulas, errors, dates in three formats, cells without references. */
	const char *path = standard_book(NOTES, SHEET(
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c></row>"
		"<row r=\"2\"><c r=\"C2\" t=\"s\"><v>2</v></c></row>"
		"<row r=\"4\"><c r=\"A4\" t=\"s\"><v>0</v></c><c r=\"B4\" t=\"s\"><v>1</v></c><c r=\"C4\" t=\"s\"><v>2</v></c>"
		"<c r=\"D4\" t=\"inlineStr\"><is><t>age</t></is></c><c r=\"F4\" s=\"0\"/></row>"
		"<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><r><t>A-</t></r><r><t>1</t></r></is></c>"
		"<c r=\"B5\" s=\"1\"><v>45000</v></c><c r=\"C5\" t=\"s\"><v>3</v></c><c r=\"D5\"><v>34</v></c></row>"
		"<row r=\"6\" spans=\"1:4\"><c r=\"A6\" t=\"str\"><f>\"A-\"&amp;2</f><v>A-2</v></c>"
		"<c r=\"B6\" s=\"2\"><v>44927.75</v></c><c r=\"C6\" t=\"s\"><v>4</v></c><c r=\"D6\"><v>2.50</v></c></row>"
		"<row r=\"7\"><c r=\"B7\" s=\"3\"><v>0.5</v></c><c r=\"D7\" t=\"b\"><v>1</v></c></row>"
		"<row r=\"8\"></row><row r=\"9\"><c r=\"A9\" s=\"1\"/></row>"
		"<row r=\"10\"><c t=\"e\"><v>#N/A</v></c><c s=\"4\"><v>1E3</v></c><c t=\"d\"><v>2023-05-04T10:00:00</v></c>"
		"<c><v>-0</v></c><c r=\"G10\"><v>7</v></c></row>"));
	struct mj_reader_opts o = {.schema = schema()};
	char sheet[MJ_SHEET_NAME_MAX];
	o.sheet = "2";
	o.sheet_read = sheet;
	struct mj_error err;
	enum mj_status st;
	char *got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_OK);
	CHECK_STR(sheet, "Appeals 2023");
	CHECK_STR(got,
		  "4|id|date|region|age\n"
		  "5|A-1|2023-03-15| UZ-TK |34\n"
		  "6|A-2|2023-01-01|Samarqand|2.5\n"
		  "7||0.5||TRUE\n"
		  "10|#N/A|1000|2023-05-04|0|||7\n");
	g_free(got);
	/* The same bytes from memory give the same rows. */
	gchar *bytes;
	gsize len;
	CHECK(g_file_get_contents(path, &bytes, &len, NULL));
	struct rows r = {.s = g_string_new(NULL)};
	CHECK(mj_xlsx_read_memory(bytes, len, "mem.xlsx", &o, collect, &r, &err) == MJ_OK);
	CHECK(strncmp(r.s->str, "4|id|date|region|age\n5|A-1|2023-03-15", 37) == 0);
	g_string_free(r.s, TRUE);
	g_free(bytes);
}

static void test_header(void)
{
	const char *path = standard_book(NOTES, SHEET(
		"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c><c r=\"B1\" t=\"s\"><v>2</v></c></row>"
		"<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" t=\"s\"><v>2</v></c></row>"
		"<row r=\"4\"><c r=\"A4\" s=\"1\"><v>45000</v></c><c r=\"B4\" t=\"s\"><v>3</v></c></row>"));
	struct mj_reader_opts o = {.schema = schema(), .sheet = "appeals 2023"};
	struct mj_error err;
	enum mj_status st;
	/* "region" alone (row 1) is not a header; date and region (row 3) are. */
	char *got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_OK);
	CHECK_STR(got, "3|date|region\n4|2023-03-15| UZ-TK \n");
	g_free(got);
	/* Told so, the title row is the header. */
	o.header_row = 1;
	got = read_book(path, &o, &st, &err);
	CHECK_STR(got, "1|Title of the register|region\n3|date|region\n4|2023-03-15| UZ-TK \n");
	g_free(got);
	o.header_row = 2;
	got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_E_VALUE);
	CHECK_STR(err.message, "row 2 (--header-row) is empty");
	g_free(got);
	/* No schema: the first non-empty row. */
	o.header_row = 0;
	o.schema = NULL;
	got = read_book(path, &o, &st, &err);
	CHECK(strncmp(got, "1|Title of the register|region\n", 31) == 0);
	g_free(got);
	/* No row names two columns. */
	path = standard_book(NOTES, SHEET("<row><c t=\"s\"><v>5</v></c></row><row><c><v>1</v></c></row>"));
	o.schema = schema();
	o.sheet = "Appeals 2023";
	got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_E_VALUE);
	CHECK(strstr(err.message, "no header row in sheet 'Appeals 2023'") != NULL);
	CHECK(strstr(err.message, "--header-row") != NULL);
	g_free(got);
	/* An empty sheet gives no rows and no error (the caller says "empty"). */
	path = standard_book(NOTES, SHEET(""));
	got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_OK);
	CHECK_STR(got, "");
	g_free(got);
}

static void test_sheets(void)
{
	const char *path = standard_book(NOTES, SHEET("<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>"));
	struct mj_reader_opts o = {0};
	struct mj_error err;
	enum mj_status st;
	char *got = read_book(path, &o, &st, &err);
	CHECK_STR(got, "1|notes\n"); /* the first sheet by default */
	g_free(got);
	const char *picks[] = {"2", "Appeals 2023", "APPEALS 2023"};
	for (size_t i = 0; i < 3; i++) {
		o.sheet = picks[i];
		got = read_book(path, &o, &st, &err);
		CHECK_STR(got, "1|x\n");
		g_free(got);
	}
	o.sheet = "3";
	got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_E_VALUE);
	CHECK_STR(err.message, "no sheet number 3: the workbook has 2 (Notes, Appeals 2023)");
	g_free(got);
	o.sheet = "Summary";
	got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_E_VALUE);
	CHECK_STR(err.message, "no sheet named \"Summary\": the workbook has Notes, Appeals 2023");
	g_free(got);
}

/* A workbook with no relationships, styles or shared strings, prefixed
 * element names and the 1904 date system still reads. */
static void test_minimal(void)
{
	const struct part parts[] = {
		{"xl/workbook.xml", "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
		 "<x:workbookPr date1904=\"true\"/><x:sheets><x:sheet name=\"S\"/></x:sheets></x:workbook>", 0},
		{"xl/worksheets/sheet1.xml", "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>"
		 "<x:row><x:c t=\"inlineStr\"><x:is><x:t>date</x:t></x:is></x:c><x:c t=\"inlineStr\"><x:is><x:t>region</x:t></x:is></x:c></x:row>"
		 "<x:row><x:c><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>", 0},
	};
	const char *path = book_write(parts, 2);
	struct mj_reader_opts o = {.schema = schema()};
	struct mj_error err;
	enum mj_status st;
	char *got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_OK);
	/* Without styles no cell is a date: the serial stays a number. */
	CHECK_STR(got, "1|date|region\n2|1|\n");
	g_free(got);
}

static void test_dates(void)
{
	/* The 1900 system: 1 is 1900-01-01, 59 is 1900-02-28, 61 is 1900-03-01
	 * (60 is Excel's non-existent 1900-02-29 and stays a number). */
	const char *path = standard_book(NOTES, SHEET(
		"<row><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c></row>"
		"<row><c s=\"1\"><v>1</v></c></row><row><c s=\"1\"><v>59</v></c></row>"
		"<row><c s=\"1\"><v>60</v></c></row><row><c s=\"1\"><v>61</v></c></row>"
		"<row><c s=\"2\"><v>2958465.99</v></c></row><row><c s=\"2\"><v>2958466</v></c></row>"
		"<row><c s=\"2\"><v>0</v></c></row><row><c s=\"9\"><v>45000</v></c></row>"));
	struct mj_reader_opts o = {.schema = schema(), .sheet = "2"};
	struct mj_error err;
	enum mj_status st;
	char *got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_OK);
	CHECK_STR(got, "1|date|region\n2|1900-01-01|\n3|1900-02-28|\n4|60|\n5|1900-03-01|\n"
		  "6|9999-12-31|\n7|2958466|\n8|0|\n9|45000|\n");
	g_free(got);
}

static void test_stop(void)
{
	const char *path = standard_book(NOTES, SHEET(
		"<row><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c></row>"
		"<row><c><v>1</v></c></row><row><c><v>2</v></c></row>"));
	struct mj_reader_opts o = {.schema = schema(), .sheet = "2"};
	struct rows r = {.s = g_string_new(NULL), .stop_after = 2};
	struct mj_error err;
	CHECK(mj_read_rows(path, &o, collect, &r, NULL, &err) == MJ_OK);
	CHECK_STR(r.s->str, "1|date|region\n2|1|\n");
	g_string_free(r.s, TRUE);
}

/* A highly compressible part is refused before it is inflated whole. */
static void test_bomb(void)
{
	const struct part parts[] = {
		{"xl/workbook.xml", WB("", "<sheet name=\"S\"/>"), 0},
		{"xl/worksheets/sheet1.xml", NULL, 256u << 20},
	};
	const char *path = book_write(parts, 2);
	struct mj_reader_opts o = {0};
	struct mj_error err;
	enum mj_status st;
	char *got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_E_LIMIT);
	CHECK(strstr(err.message, "decompresses more than 250 times its size (a zip bomb?)") != NULL);
	CHECK_STR(err.path, path);
	g_free(got);
}

static void test_entities(void)
{
	const char *laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		"<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		"<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
		"<sst><si><t>&lol3;</t></si></sst>";
	const struct part parts[] = {
		{"xl/workbook.xml", WB("", "<sheet name=\"S\"/>"), 0},
		{"xl/sharedStrings.xml", laughs, 0},
		{"xl/worksheets/sheet1.xml", SHEET(""), 0},
	};
	const char *path = book_write(parts, 3);
	struct mj_reader_opts o = {0};
	struct mj_error err;
	enum mj_status st;
	char *got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_E_PARSE);
	CHECK(strstr(err.message, "part xl/sharedStrings.xml of the workbook declares a DOCTYPE") != NULL);
	g_free(got);
	/* An undeclared entity is an XML error, not an expansion. */
	const struct part parts2[] = {
		{"xl/workbook.xml", WB("", "<sheet name=\"S\"/>"), 0},
		{"xl/worksheets/sheet1.xml", SHEET("<row><c t=\"inlineStr\"><is><t>&x;</t></is></c></row>"), 0},
	};
	path = book_write(parts2, 2);
	got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_E_PARSE);
	CHECK(strstr(err.message, "damaged workbook: part xl/worksheets/sheet1.xml, line 1") != NULL);
	g_free(got);
}

static void test_damaged(void)
{
	struct mj_reader_opts o = {0};
	struct mj_error err;
	enum mj_status st;
	char path[300];
	/* A zip signature followed by rubbish. */
	snprintf(path, sizeof path, "%s", standard_book(NOTES, NOTES));
	FILE *f = fopen(path, "r+b");
	CHECK(f && fseek(f, 4, SEEK_SET) == 0 && fwrite("rubbish", 1, 7, f) == 7);
	CHECK(f && ftruncate(fileno(f), 200) == 0);
	fclose(f);
	char *got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_E_PARSE);
	CHECK(strstr(err.message, "not a valid zip archive") != NULL);
	g_free(got);
	/* A zip without a workbook, and an OpenDocument file. */
	const struct part docx[] = {{"word/document.xml", "<w/>", 0}};
	got = read_book(book_write(docx, 1), &o, &st, &err);
	CHECK(st == MJ_E_PARSE);
	CHECK_STR(err.message, "not an Excel workbook: the zip archive has no xl/workbook.xml");
	g_free(got);
	const struct part ods[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0},
				   {"content.xml", "<office/>", 0}};
	got = read_book(book_write(ods, 2), &o, &st, &err);
	CHECK(strstr(err.message, "OpenDocument") != NULL);
	g_free(got);
	/* The sheet the workbook lists is missing. */
	const struct part nosheet[] = {{"xl/workbook.xml", WB("", "<sheet name=\"S\"/>"), 0}};
	got = read_book(book_write(nosheet, 1), &o, &st, &err);
	CHECK(st == MJ_E_PARSE);
	CHECK_STR(err.message, "damaged workbook: sheet 'S' (xl/worksheets/sheet1.xml) is missing");
	g_free(got);
	/* An encrypted workbook is an OLE compound file. */
	snprintf(path, sizeof path, "%s/ole.xlsx", tmpdir);
	f = fopen(path, "wb");
	CHECK(f && fwrite("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 padding", 1, 16, f) == 16);
	fclose(f);
	got = read_book(path, &o, &st, &err);
	CHECK(st == MJ_E_UNSUPPORTED);
	CHECK(strstr(err.message, "password") != NULL);
	unlink(path);
	g_free(got);
	/* Cell-level damage points at the cell. */
	const char *bad[][2] = {
		{"<row r=\"3\"><c r=\"XFE3\"><v>1</v></c></row>", "bad cell reference \"XFE3\""},
		{"<row r=\"3\"><c r=\"B4\"><v>1</v></c></row>", "cell B4 lies outside its row 3"},
		{"<row r=\"3\"><c r=\"B3\"><v>1</v></c><c r=\"A3\"><v>1</v></c></row>", "cell out of order or given twice in its row"},
		{"<row r=\"3\"/><row r=\"2\"/>", "row 2 comes after row 3 in the sheet"},
		{"<row r=\"3\"><c r=\"B3\" t=\"s\"><v>99</v></c></row>", "cell refers to shared string \"99\", which the workbook lacks"},
		{"<row r=\"1048577\"/>", "bad row number \"1048577\" (rows are 1 to 1048576)"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char xml[512];
		snprintf(xml, sizeof xml, SHEET("%s"), bad[i][0]);
		got = read_book(standard_book(xml, NOTES), &o, &st, &err);
		CHECK(st == MJ_E_PARSE);
		CHECK_STR(err.message, bad[i][1]);
		CHECK_STR(err.sheet, "Notes");
		g_free(got);
	}
	char buf[700];
	got = read_book(standard_book(SHEET("<row r=\"3\"><c r=\"AB3\" t=\"s\"><v>99</v></c></row>"), NOTES),
			&o, &st, &err);
	CHECK(strstr(mj_error_format(&err, buf, sizeof buf), ".xlsx:Notes!AB3: cell refers") != NULL);
	g_free(got);
}

static void test_limits(void)
{
	/* A cell over the text limit. */
	GString *xml = g_string_new("<?xml version=\"1.0\"?><worksheet><sheetData><row r=\"2\"><c r=\"C2\" t=\"inlineStr\"><is><t>");
	for (size_t i = 0; i <= MJ_XLSX_MAX_CELL; i += 10)
		g_string_append(xml, "0123456789");
	g_string_append(xml, "</t></is></c></row></sheetData></worksheet>");
	const struct part parts[] = {
		{"xl/workbook.xml", WB("", "<sheet name=\"S\"/>"), 0},
		{"xl/worksheets/sheet1.xml", xml->str, 0},
	};
	struct mj_reader_opts o = {0};
	struct mj_error err;
	enum mj_status st;
	char *got = read_book(book_write(parts, 2), &o, &st, &err);
	CHECK(st == MJ_E_LIMIT);
	CHECK(err.line == 2 && err.column == 3);
	CHECK_STR(err.sheet, "S");
	CHECK(strstr(err.message, "cell text is longer than the limit") != NULL);
	g_free(got);
	g_string_free(xml, TRUE);
}

/* The reader is chosen by content: a workbook named .csv is read as one. */
static void test_dispatch(void)
{
	const char *book = standard_book(SHEET("<row><c t=\"s\"><v>1</v></c><c t=\"s\"><v>2</v></c></row>"), NOTES);
	char path[320];
	snprintf(path, sizeof path, "%s/register.csv", tmpdir);
	CHECK(rename(book, path) == 0);
	struct mj_reader_opts o = {.schema = schema()};
	char sheet[MJ_SHEET_NAME_MAX] = "junk";
	o.sheet_read = sheet;
	const char *enc = NULL;
	struct rows r = {.s = g_string_new(NULL)};
	struct mj_error err;
	CHECK(mj_read_rows(path, &o, collect, &r, &enc, &err) == MJ_OK);
	CHECK_STR(r.s->str, "1|date|region\n");
	CHECK_STR(sheet, "Notes");
	CHECK_STR(enc, "utf-8");
	g_string_free(r.s, TRUE);
	unlink(path);
	CHECK(mj_xlsx_sniff("PK\x03\x04", 4) == 1);
	CHECK(mj_xlsx_sniff("id,date", 7) == 0);
	CHECK(mj_xlsx_sniff("PK", 2) == 0);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"cells", test_cells}, {"header", test_header}, {"sheets", test_sheets},
		{"minimal", test_minimal}, {"dates", test_dates}, {"stop", test_stop},
		{"bomb", test_bomb}, {"entities", test_entities}, {"damaged", test_damaged},
		{"limits", test_limits}, {"dispatch", test_dispatch}, {0, 0}};
	int rc = run_case(cases, argc, argv);
	cleanup();
	return rc;
}
