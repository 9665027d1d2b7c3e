/* Unit tests for the fast scanner: it must give exactly libcsv's rows and
 * lines, and a file cut into parts at any byte must give the same rows. */
#include <fcntl.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "murojaat/check.h"
#include "murojaat/reader.h"
#include "murojaat/schema.h"
#include "csvdoc.h"
#include "rowbuf.h"
#include "scan.h"
#include "vcache.h"

#include "check.h"

struct log {
	GString *text;
	unsigned long base;
};

static int collect(void *ctx, const struct mj_field *fields, size_t n, unsigned long line)
{
	struct log *l = ctx;
	g_string_append_printf(l->text, "%lu:", line + l->base);
	for (size_t i = 0; i < n; i++) {
		/* Line breaks inside fields are escaped: one row per line. */
		g_string_append_c(l->text, '[');
		for (size_t k = 0; k < fields[i].len; k++) {
			char c = fields[i].text[k];
			if (c == '\n')
				g_string_append(l->text, "\\n");
			else if (c == '\r')
				g_string_append(l->text, "\\r");
			else
				g_string_append_c(l->text, c);
		}
		g_string_append_c(l->text, ']');
	}
	g_string_append_c(l->text, '\n');
	return 0;
}

static const char *const tricky[] = {
	"a,b,c\n1,2,3\n",
	"a,b\r\n1,2\r\n\r\n3,4",
	"h1,h2\n\"x\ny\",2\n3,\"q\"\"q\"\n",
	"h\n  spaced  , \t tabbed\t\n,\n   \n",
	"h,i\nplain,\"quoted, comma\"\nmid\"quote,z\n\"open\" tail,z\n",
	"h,i\nx\ry,z\nlast,row",
	"h,i\n\"a\r\nb\",c\r\nd,e\r\n",
	"h;i\n1;2\n\"3;4\";5\n",
	"\n\nh,i\n\n1,2\n\n",
	"h,i\n\"never closed,2\n3,4\n",
	"h\n\"\"\n\"\"\"\"\n",
	/* Lines ended by a lone CR (old Mac files), with an LF as data. */
	"h,i\r1,2\r\"a\rb\",c\r\r3,4\r",
	"h,i\r1\n2,3\r\"x\ny\",z\rend",
	/* LFs at a field's ends, alone, and a whole line of one: data,
	 * never a line (the next rows' lines count CRs only). */
	"h,i\r1,\n\r\n,2\r\n\r\n\r3, \n \rx\ny,z\n\r\n\n\rlast,\n",
	/* A lone CR in an LF file is blank space at a field's ends and data
	 * inside it: it never splits the record. */
	"h,i\r\nx\r,y\r\r\n\r\n a\rb ,\"q\"\r\n\"c\rd\"\r,z\n",
	"h,i\n\r\n1,2\n\r\r\nx\r\ry,\r\n",
	/* Blank lines before a semicolon header. */
	"\n\r\n  \nh;i\n1;2\n",
};

static char *write_temp(const char *text)
{
	char *path = g_strdup("/tmp/mj-scan-XXXXXX");
	int fd = g_mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

/* Appends the rows of a part that numbered its lines from 1 to all, with
 * the lines of the file (its base added). */
static void append_based(GString *all, const GString *part, unsigned long base)
{
	char **lines = g_strsplit(part->str, "\n", -1);
	for (char **l = lines; *l && **l; l++)
		g_string_append_printf(all, "%lu%s\n", strtoul(*l, NULL, 10) + base - 1,
				       strchr(*l, ':'));
	g_strfreev(lines);
}

/* A document longer than the scanner's block (1 MiB), with quoted rows
 * across lines and rows across the block ends. */
static GString *block_doc(void)
{
	GString *doc = g_string_new("id,note,x\r\n");
	for (int r = 0; doc->len < (5u << 18); r++) {
		if (r % 97 == 0)
			g_string_append_printf(doc, "%d,\"q%*s\r\nb\",%d\r\n", r, r % 40, "", r);
		else
			g_string_append_printf(doc, "%d, %.*s ,%d\r\n", r, r % 45,
					       "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrs", r);
	}
	return doc;
}

static void same_rows(size_t i, const char *text)
{
	{
		char *path = write_temp(text);
		struct log ref = {g_string_new(NULL), 0}, fast = {g_string_new(NULL), 0};
		struct mj_error e1, e2;
		mj_error_clear(&e1);
		mj_error_clear(&e2);
		/* The delimiter as the reader detects it (the scanner of a
		 * file detects it the same way). */
		char delim = mj_csv_detect_delimiter(text, strlen(text));
		struct mj_reader_opts o = {0};
		enum mj_status s1 = mj_read_rows(path, &o, collect, &ref, NULL, &e1);
		enum mj_status s2 = mj_scan_mem(text, strlen(text), delim, collect, &fast, &e2);
		CHECK(s1 == s2);
		if (strcmp(ref.text->str, fast.text->str) != 0) {
			fprintf(stderr, "input %zu differs:\nlibcsv:\n%sfast:\n%s", i, ref.text->str,
				fast.text->str);
			check_failures++;
		}
		unlink(path);
		g_free(path);
		g_string_free(ref.text, TRUE);
		g_string_free(fast.text, TRUE);
	}
}

/* Runs fn once with each version of the splitter this processor has
 * (plain C, SSE2, AVX2, AVX-512): all must give libcsv's rows. */
static void each_isa(void (*fn)(void))
{
	static const enum mj_scan_isa isas[] = {MJ_SCAN_PLAIN, MJ_SCAN_SSE2, MJ_SCAN_AVX2,
						MJ_SCAN_AVX512};
	int ran = 0;
	for (size_t k = 0; k < sizeof isas / sizeof *isas; k++) {
		if (mj_scan_set_isa(isas[k]) != 0)
			continue;
		int before = check_failures;
		fn();
		if (check_failures != before)
			fprintf(stderr, "(with splitter version %d)\n", (int)isas[k]);
		ran++;
	}
	CHECK(mj_scan_set_isa(MJ_SCAN_AUTO) == 0);
	CHECK(ran >= 1);
}

static void same_as_libcsv(void)
{
	for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++)
		same_rows(i, tricky[i]);
}

static void test_same_as_libcsv(void)
{
	each_isa(same_as_libcsv);
}

/* A row of 600,000 fields is a row on both paths (the limit is 1,000,000),
 * so is one of exactly 1,000,000, and one over the limit fails both
 * alike. */
static void wide_row(void)
{
	GString *doc = g_string_new("h,i\n1");
	for (int k = 0; k < 600000; k++)
		g_string_append(doc, ",x");
	g_string_append(doc, "\n2,3\n");
	same_rows(100, doc->str);
	for (int over = 0; over <= 1; over++) {
		g_string_assign(doc, "h,i\n1");
		for (int k = 0; k < 999999 + over; k++)
			g_string_append(doc, ",");
		g_string_append(doc, "\n2,3\n");
		same_rows(101 + (size_t)over, doc->str);
	}
	g_string_free(doc, TRUE);
}

static void test_wide_row(void)
{
	each_isa(wide_row);
}

static int no_prepare(void **ctxs, size_t n)
{
	(void)ctxs;
	(void)n;
	return 0;
}

static void every_cut(const char *eol)
{
	/* Quoted fields span lines, so many cuts fall inside one. */
	GString *doc = g_string_new("id,note,x");
	g_string_append(doc, eol);
	for (int r = 0; r < 40; r++) {
		if (r % 3)
			g_string_append_printf(doc, "%d,\"a%sb,\"\"c\",%d", r, eol, r * 7);
		else
			g_string_append_printf(doc, "%d,pl\ra in,%d", r, r * 7);
		g_string_append(doc, r % 2 ? eol : "\n");
	}
	if (strcmp(eol, "\r") == 0)
		for (char *p = doc->str; *p; p++)
			if (*p == '\n')
				*p = '\r';
	char *path = write_temp(doc->str);
	struct log seq = {g_string_new(NULL), 0};
	struct mj_error err;
	struct mj_reader_opts o = {0};
	CHECK(mj_read_rows(path, &o, collect, &seq, NULL, &err) == MJ_OK);
	int valid_parts = 0;
	for (long cut = 0; cut <= (long)doc->len; cut++) {
		struct log a = {g_string_new(NULL), 0}, b = {g_string_new(NULL), 0};
		void *ctxs[2] = {&a, &b};
		struct mj_scan_result res;
		CHECK(mj_scan_file_at(path, &o, collect, no_prepare, ctxs, 2, &cut, &res, &err) == MJ_OK);
		GString *all = g_string_new(a.text->str);
		valid_parts += res.nparts == 2 && res.valid[1];
		if (res.nparts == 2 && res.valid[1])
			append_based(all, b.text, res.line_base[1]);
		if (strcmp(all->str, seq.text->str) != 0) {
			fprintf(stderr, "cut at %ld gives other rows:\n%s---\n%s", cut, all->str,
				seq.text->str);
			check_failures++;
		}
		g_string_free(all, TRUE);
		g_string_free(a.text, TRUE);
		g_string_free(b.text, TRUE);
	}
	/* Most cuts fall between rows and let part 1 count; the others fall
	 * inside a quoted field and must have been read again in sequence. */
	CHECK(valid_parts > 0);
	CHECK(valid_parts < (int)doc->len);
	unlink(path);
	g_free(path);
	g_string_free(seq.text, TRUE);
	g_string_free(doc, TRUE);
}

static void every_cut_crlf(void)
{
	every_cut("\r\n");
}

static void test_every_cut(void)
{
	each_isa(every_cut_crlf);
}

/* Four parts taken by two threads from a queue (more parts than threads),
 * cut at every pair of places around a row boundary and inside quoted
 * fields: the rows of the valid parts, lines made absolute, are the rows
 * read in sequence. */
static void test_parts_queue(void)
{
	GString *doc = g_string_new("id,note,x\n");
	for (int r = 0; r < 30; r++)
		g_string_append_printf(doc, r % 4 ? "%d,plain,%d\n" : "%d,\"a\nb\",%d\n", r, r * 7);
	char *path = write_temp(doc->str);
	struct log seq = {g_string_new(NULL), 0};
	struct mj_error err;
	struct mj_reader_opts o = {.threads = 2};
	CHECK(mj_read_rows(path, &o, collect, &seq, NULL, &err) == MJ_OK);
	long len = (long)doc->len;
	for (long a = 0; a <= len; a += 3)
		for (long b = a; b <= len; b += 7) {
			long cuts[3] = {a, b, b + (len - b) / 2};
			struct log logs[4];
			void *ctxs[4];
			for (int k = 0; k < 4; k++) {
				logs[k] = (struct log){g_string_new(NULL), 0};
				ctxs[k] = &logs[k];
			}
			struct mj_scan_result res;
			CHECK(mj_scan_file_at(path, &o, collect, no_prepare, ctxs, 4, cuts, &res,
					      &err) == MJ_OK);
			GString *all = g_string_new(logs[0].text->str);
			for (size_t k = 1; k < res.nparts && res.valid[k]; k++)
				append_based(all, logs[k].text, res.line_base[k]);
			if (strcmp(all->str, seq.text->str) != 0) {
				fprintf(stderr, "cuts at %ld, %ld give other rows:\n%s---\n%s", a, b,
					all->str, seq.text->str);
				check_failures++;
			}
			g_string_free(all, TRUE);
			for (int k = 0; k < 4; k++)
				g_string_free(logs[k].text, TRUE);
		}
	unlink(path);
	g_free(path);
	g_string_free(seq.text, TRUE);
	g_string_free(doc, TRUE);
}

static int count_row(void *ctx, const struct mj_field *fields, size_t n, unsigned long line)
{
	(void)fields;
	(void)n;
	(void)line;
	(*(unsigned long *)ctx)++;
	return 0;
}

/* With more parts than threads, parts shrink from first to last (part k
 * of 8 holds (8 - k) / 36 of the rows), so that a thread out of parts
 * waits only for small ones; every row is read once. */
static void test_parts_shrink(void)
{
	enum { ROWS = 360000, PARTS = 8 };
	GString *doc = g_string_new("id,note,x\n");
	for (int r = 0; r < ROWS; r++)
		g_string_append_printf(doc, "%07d,plain,1\n", r);
	char *path = write_temp(doc->str);
	unsigned long rows[PARTS] = {0};
	void *ctxs[PARTS];
	for (int k = 0; k < PARTS; k++)
		ctxs[k] = &rows[k];
	struct mj_reader_opts o = {.threads = 2};
	struct mj_scan_result res;
	struct mj_error err;
	CHECK(mj_scan_file(path, &o, count_row, no_prepare, ctxs, PARTS, &res, &err) == MJ_OK);
	CHECK(res.nparts == PARTS);
	unsigned long all = 0;
	for (int k = 0; k < PARTS; k++) {
		CHECK(res.valid[k]);
		/* Part 0 counts the header too. */
		unsigned long body = rows[k] - (k == 0);
		long want = (long)ROWS * (PARTS - k) / 36;
		if (labs((long)body - want) > 1) {
			fprintf(stderr, "part %d holds %lu rows, not %ld\n", k, body, want);
			check_failures++;
		}
		all += body;
	}
	CHECK(all == ROWS);
	unlink(path);
	g_free(path);
	g_string_free(doc, TRUE);
}

/* A file whose lines end in a lone CR is cut at its CRs. */
static void every_cut_cr(void)
{
	every_cut("\r");
}

static void test_every_cut_cr(void)
{
	each_isa(every_cut_cr);
}

/* Fields of every length around the steps of the fast splitter (0-140
 * bytes: 15-17, 31-33, 63-65 and 127-129 among them), with a quote, a
 * blank, a control byte or a line end at every place around a 16-byte
 * step, CRLF and LF, and no line end at the end: both paths give the same
 * rows. */
static void simd_edges(void)
{
	static const char *const fills[] = {"x", " ", "\t", "\"", "\r", ",", "\001", "\n"};
	static const char *const eols[] = {"\n", "\r\n", "\r"};
	size_t i = 200;
	for (size_t e = 0; e < 3; e++) {
		for (size_t f = 0; f < sizeof fills / sizeof *fills; f++) {
			GString *doc = g_string_new("h,i,j");
			g_string_append(doc, eols[e]);
			for (int len = 0; len <= 140; len++) {
				for (int at = 0; at <= len;
				     at += len <= 20 || (at + 2) % 16 < 4 ? 1 : 3) {
					GString *field = g_string_new(NULL);
					for (int k = 0; k < len; k++)
						g_string_append(field, k == at ? fills[f] : "a");
					g_string_append_printf(doc, "%s,%.*s,z%s", field->str, len % 17,
							       "0123456789abcdefg", eols[e]);
					g_string_free(field, TRUE);
				}
			}
			same_rows(i++, doc->str);
			/* The same without its last line end. */
			g_string_truncate(doc, doc->len - strlen(eols[e]));
			same_rows(i++, doc->str);
			g_string_free(doc, TRUE);
		}
	}
}

static void test_simd_edges(void)
{
	each_isa(simd_edges);
}

/* A file longer than the scanner's block (1 MiB), with quoted rows and
 * rows across the block ends: the file scanner gives libcsv's rows, in
 * one part and in two. */
static void block_ends(void)
{
	GString *doc = block_doc();
	char *path = write_temp(doc->str);
	struct log seq = {g_string_new(NULL), 0};
	struct mj_error err;
	struct mj_reader_opts o = {0};
	CHECK(mj_read_rows(path, &o, collect, &seq, NULL, &err) == MJ_OK);
	for (size_t parts = 1; parts <= 2; parts++) {
		struct log a = {g_string_new(NULL), 0}, b = {g_string_new(NULL), 0};
		void *ctxs[2] = {&a, &b};
		struct mj_scan_result res;
		long cut = (long)doc->len / 2;
		CHECK(mj_scan_file_at(path, &o, collect, no_prepare, ctxs, parts, &cut, &res,
				      &err) == MJ_OK);
		CHECK(res.nparts == parts);
		GString *all = g_string_new(a.text->str);
		if (parts == 2 && res.valid[1])
			append_based(all, b.text, res.line_base[1]);
		CHECK(strcmp(all->str, seq.text->str) == 0);
		g_string_free(all, TRUE);
		g_string_free(a.text, TRUE);
		g_string_free(b.text, TRUE);
	}
	unlink(path);
	g_free(path);
	g_string_free(seq.text, TRUE);
	g_string_free(doc, TRUE);
}

static void test_block_ends(void)
{
	each_isa(block_ends);
}

/* A header and rows in quotes, as an export that quotes every field
 * writes them, go through libcsv: the header gate still reads it alone, and the rows
 * below it are read in parts (they were all read with the header, in
 * part 0, and a stray quote below it was called a title's). */
static void test_quoted_header(void)
{
	struct mj_schema *schema = mj_schema_default(NULL);
	CHECK(schema != NULL);
	GString *doc = g_string_new("\"id\",\"date\",\"region\",\"sex\"\n");
	for (int r = 0; r < 200; r++)
		g_string_append_printf(doc, "\"A%d\",\"2023-01-05\",\"UZ-NG\",\"female\"\n", r);
	char *path = write_temp(doc->str);
	struct mj_reader_opts o = {.schema = schema};
	struct log seq = {g_string_new(NULL), 0};
	struct mj_error err;
	CHECK(mj_read_rows(path, &o, collect, &seq, NULL, &err) == MJ_OK);
	struct log a = {g_string_new(NULL), 0}, b = {g_string_new(NULL), 0};
	void *ctxs[2] = {&a, &b};
	struct mj_scan_result res;
	long cut = (long)doc->len / 2;
	CHECK(mj_scan_file_at(path, &o, collect, no_prepare, ctxs, 2, &cut, &res, &err) == MJ_OK);
	CHECK(res.nparts == 2 && res.valid[1]);
	CHECK(b.text->len > 0);
	GString *all = g_string_new(a.text->str);
	append_based(all, b.text, res.line_base[1]);
	CHECK(strcmp(all->str, seq.text->str) == 0);
	g_string_free(all, TRUE);
	g_string_free(a.text, TRUE);
	g_string_free(b.text, TRUE);
	g_string_free(seq.text, TRUE);
	unlink(path);
	g_free(path);
	g_string_free(doc, TRUE);
	mj_schema_destroy(schema);
}

/* Scans path as a stream (standard input, a pipe) whose first chunk
 * bytes were read to recognise it, and whose reads give at most chunk
 * bytes at a time. */
static enum mj_status scan_as_stream(const char *path, const char *text, size_t chunk,
				     const struct mj_reader_opts *o, struct log *l,
				     struct mj_error *err)
{
	int fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	size_t len = strlen(text), sniff = len < MJ_SNIFF_BYTES ? len : MJ_SNIFF_BYTES;
	size_t head = chunk < len ? chunk : len;
	CHECK(lseek(fd, (off_t)head, SEEK_SET) == (off_t)head);
	struct mj_scan_stream in = {.fd = fd, .name = path, .chunk = chunk,
				    .head = text, .len = head, .consumed = head,
				    .delim = mj_csv_detect_delimiter(text, sniff),
				    .eol = mj_csv_detect_eol(text, sniff)};
	enum mj_status st = mj_scan_stream(&in, o, collect, l, err);
	close(fd);
	return st;
}

/* A stream read a few bytes at a time, so that reads end at every place
 * in a row, a quoted field and a line end, gives libcsv's rows, status
 * and message, with a header gate too. */
static void stream_rows(void)
{
	static const size_t chunks[] = {1, 2, 3, 7, 64, 0};
	for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++) {
		char *path = write_temp(tricky[i]);
		struct mj_reader_opts o = {0};
		struct log ref = {g_string_new(NULL), 0};
		struct mj_error e1;
		mj_error_clear(&e1);
		enum mj_status s1 = mj_read_rows(path, &o, collect, &ref, NULL, &e1);
		for (size_t c = 0; c < sizeof chunks / sizeof *chunks; c++) {
			struct log got = {g_string_new(NULL), 0};
			struct mj_error e2;
			mj_error_clear(&e2);
			enum mj_status s2 = scan_as_stream(path, tricky[i], chunks[c], &o, &got, &e2);
			CHECK(s1 == s2);
			CHECK(e1.line == e2.line && strcmp(e1.message, e2.message) == 0);
			if (strcmp(ref.text->str, got.text->str) != 0) {
				fprintf(stderr, "input %zu, reads of %zu bytes:\nlibcsv:\n%sstream:\n%s",
					i, chunks[c], ref.text->str, got.text->str);
				check_failures++;
			}
			g_string_free(got.text, TRUE);
		}
		g_string_free(ref.text, TRUE);
		unlink(path);
		g_free(path);
	}
	/* More than the scanner's block, quoted rows across its ends. */
	GString *doc = block_doc();
	char *path = write_temp(doc->str);
	struct mj_reader_opts o = {0};
	struct log ref = {g_string_new(NULL), 0};
	struct mj_error err;
	CHECK(mj_read_rows(path, &o, collect, &ref, NULL, &err) == MJ_OK);
	static const size_t big_chunks[] = {4093, 65536, 0};
	for (size_t c = 0; c < sizeof big_chunks / sizeof *big_chunks; c++) {
		struct log got = {g_string_new(NULL), 0};
		CHECK(scan_as_stream(path, doc->str, big_chunks[c], &o, &got, &err) == MJ_OK);
		CHECK(strcmp(ref.text->str, got.text->str) == 0);
		g_string_free(got.text, TRUE);
	}
	unlink(path);
	g_free(path);
	g_string_free(ref.text, TRUE);
	g_string_free(doc, TRUE);
}

static void test_stream(void)
{
	each_isa(stream_rows);
}

/* The value cache tells apart keys of the same length that agree in their
 * first 16 bytes (or in the bytes its short keys are read from) and in
 * their last 8 (which a longer key's hash also takes), and finds
 * every key again after it has grown. */
static void test_vcache(void)
{
	static const char *const keys[] = {
		"", "a", "b", "ab", "ba", "abc", "acb", "abcd", "abce", "abcdefg", "abcdxfg",
		"abcdefgh", "abcdefgi", "0123456789abcdef", "0123456789abcdeX",
		"0123456789abcdef0", "0123456789abcdef1", "0123456789abcdefghijklmnopqrstuv",
		"0123456789abcdefghijklmnopqrstuV", "0123456789abcdefghijklmnopqrstuvw",
		"Toshkent viloyati", "Toshkent viloyatI", "Qoraqalpog'iston Respublikasi",
		"Qoraqalpog'iston Respublikasj",
		/* The same first 16 and last 8 bytes (so the same hash), apart
		 * in a byte between: at 16, and in a word of their own. */
		"0123456789abcdefXmiddle-ABCDEFGH", "0123456789abcdefYmiddle-ABCDEFGH",
		"0123456789abcdef01234567X123456ABCDEFGH", "0123456789abcdef01234567Y123456ABCDEFGH",
		"0123456789abcdef01234567Z123456ABCDEFGH", "0123456789abcdef01234567X12345ABCDEFGH",
	};
	size_t n = sizeof keys / sizeof *keys;
	struct mj_vcache c;
	CHECK(mj_vcache_init(&c, 1000) == 0);
	for (size_t i = 0; i < n; i++) {
		struct mj_vkey k;
		mj_vkey_make(&k, keys[i], strlen(keys[i]));
		int v = -1;
		CHECK(!mj_vcache_get(&c, &k, &v));
		mj_vcache_put(&c, &k, (int)i);
	}
	/* Many more keys make the table grow: all are found again. */
	char buf[64];
	for (int i = 0; i < 500; i++) {
		snprintf(buf, sizeof buf, "0123456789abcdef-%d", i);
		struct mj_vkey k;
		mj_vkey_make(&k, buf, strlen(buf));
		mj_vcache_put(&c, &k, 1000 + i);
	}
	for (size_t i = 0; i < n; i++) {
		struct mj_vkey k;
		mj_vkey_make(&k, keys[i], strlen(keys[i]));
		int v = -1;
		CHECK(mj_vcache_get(&c, &k, &v) && v == (int)i);
	}
	for (int i = 0; i < 500; i++) {
		snprintf(buf, sizeof buf, "0123456789abcdef-%d", i);
		struct mj_vkey k;
		mj_vkey_make(&k, buf, strlen(buf));
		int v = -1;
		CHECK(mj_vcache_get(&c, &k, &v) && v == 1000 + i);
	}
	/* A key is read from its own bytes only: the same bytes elsewhere,
	 * followed by others, are the same key. */
	const char *longer = "abcdefgh|||";
	struct mj_vkey k;
	mj_vkey_make(&k, longer, 8);
	int v = -1;
	CHECK(mj_vcache_get(&c, &k, &v) && v == 11);
	mj_vcache_free(&c);
}

static void problem_log(void *ctx, const struct mj_error *e, int fatal)
{
	char buf[1200];
	mj_error_format(e, buf, sizeof buf);
	g_string_append_printf(ctx, "%d %s\n", fatal, buf);
}

/* Problems and counts of a check of files with threads threads; a file
 * "-" is standard input, read from stdin_path (read in sequence) unless
 * it is NULL. */
static char *check_files_log(const char *const *files, size_t nfiles, const char *stdin_path,
			     unsigned threads)
{
	if (stdin_path) {
		int fd = open(stdin_path, O_RDONLY);
		CHECK(fd >= 0 && dup2(fd, 0) == 0);
		close(fd);
	}
	struct mj_error err;
	struct mj_schema *s = mj_schema_default(&err);
	CHECK(s != NULL);
	GString *log = g_string_new(NULL);
	struct mj_check_opts o = {.schema = s, .threads = threads, .on_problem = problem_log,
				  .ctx = log};
	struct mj_check_stats st;
	enum mj_status rs = mj_check_files(&o, files, nfiles, &st, &err);
	g_string_append_printf(log, "status %d read %llu valid %llu rejected %llu dup %llu ids %llu\n",
			       (int)rs, st.read, st.valid, st.rejected, st.duplicates, st.ids);
	mj_schema_destroy(s);
	return g_string_free(log, FALSE);
}

/* Checks path twice over with threads threads. */
static char *check_log(const char *path, unsigned threads)
{
	const char *files[] = {path, path};
	return check_files_log(files, 2, NULL, threads);
}

/* Checks that 2, 5 and 8 threads log what one thread logged (one). */
static void check_same_with_threads(const char *path, const char *one)
{
	for (unsigned threads = 2; threads <= 8; threads += 3) {
		char *many = check_log(path, threads);
		if (strcmp(one, many) != 0) {
			fprintf(stderr, "threads %u differ\n", threads);
			CHECK(0);
		}
		g_free(many);
	}
}

/* mj-check reads a large file in parts, one per thread: its problems,
 * duplicate ids among them, and counts are the same for any number of
 * threads, with rows that span lines (quoted line breaks) near the cuts. */
static void test_check_threads(void)
{
	GString *t = g_string_new("id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children\n");
	GRand *rnd = g_rand_new_with_seed(19);
	size_t rows = 60000;
	for (size_t i = 0; i < rows; i++) {
		double x = g_rand_double(rnd);
		unsigned id = (unsigned)i;
		const char *region = "UZ-SU", *date = "2023-06-05", *district = "Termiz";
		if (x < 0.01)
			region = "Nowhere";
		else if (x < 0.03 && i)
			id = (unsigned)g_rand_int_range(rnd, 0, (gint32)i);
		else if (x < 0.035)
			date = "2023-13-45";
		else if (x < 0.04 && i) {
			id = (unsigned)g_rand_int_range(rnd, 0, (gint32)i);
			region = "Bad";
		} else if (x < 0.34) {
			/* Line breaks in a third of the rows: some cuts fall
			 * inside a quoted field. */
			district = "\"Ter\nmiz, \"\"x\"\"\"";
		}
		g_string_append_printf(t, "A%07u,%s,office,%s,%s,female,35,psychological,domestic,spouse,referral,0\n",
				       id, date, region, district);
	}
	g_rand_free(rnd);
	CHECK(t->len > (5u << 20));
	char *path = write_temp(t->str);
	char *one = check_log(path, 1);
	CHECK(strstr(one, "duplicate id") != NULL);
	check_same_with_threads(path, one);
	g_free(one);
	unlink(path);
	g_free(path);
	g_string_free(t, TRUE);
}

/* A file whose first rows are long makes the check expect few ids: its
 * ids are binned for a small file, each bin holds many, and the results
 * are still those of one thread. */
static void test_check_full(void)
{
	GString *t = g_string_new("id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children\n");
	GString *wide = g_string_new(NULL);
	for (int i = 0; i < 1500; i++)
		g_string_append_c(wide, 'w');
	GRand *rnd = g_rand_new_with_seed(7);
	for (unsigned i = 0; i < 60; i++)
		g_string_append_printf(t, "B%05u,2023-06-05,office,UZ-SU,%s,female,35,psychological,domestic,spouse,referral,0\n",
				       i, wide->str);
	size_t rows = 150000;
	GHashTable *ids = g_hash_table_new(NULL, NULL);
	for (size_t i = 0; i < rows; i++) {
		unsigned id = (unsigned)i;
		if (g_rand_double(rnd) < 0.01 && i)
			id = (unsigned)g_rand_int_range(rnd, 0, (gint32)i);
		g_hash_table_add(ids, GUINT_TO_POINTER(id + 1));
		g_string_append_printf(t, "A%07u,2023-06-05,office,UZ-SU,Termiz,female,35,psychological,domestic,spouse,referral,0\n",
				       id);
	}
	/* An id of the long rows again, at the end. */
	g_string_append(t, "B00003,2023-06-05,office,UZ-SU,Termiz,female,35,psychological,domestic,spouse,referral,0\n");
	g_rand_free(rnd);
	CHECK(t->len > (5u << 20));
	char *path = write_temp(t->str);
	char *one = check_log(path, 1);
	CHECK(strstr(one, "duplicate id (first seen at ") != NULL);
	/* Every id of the second reading is a duplicate of the first's. */
	size_t distinct = 60 + g_hash_table_size(ids), all = 2 * (60 + rows + 1);
	g_hash_table_destroy(ids);
	char *counts = g_strdup_printf("dup %zu ids %zu\n", all - distinct, distinct);
	CHECK(strstr(one, counts) != NULL);
	g_free(counts);
	check_same_with_threads(path, one);
	g_free(one);
	unlink(path);
	g_free(path);
	g_string_free(wide, TRUE);
	g_string_free(t, TRUE);
}

/* Ids that differ in a digit or two, in the forms registers use, are
 * never taken for the same id (a weak hash once joined "A2023-100153"
 * and "A2023-170154"). */
static void test_check_ids_apart(void)
{
	GString *t = g_string_new("id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children\n");
	static const char *const forms[] = {"A2023-%06u", "%u", "UZ/2023/%09u", "%07u-A"};
	for (size_t f = 0; f < G_N_ELEMENTS(forms); f++)
		for (unsigned i = 0; i < 120000; i++) {
			char id[64];
			snprintf(id, sizeof id, forms[f], i * 7 + (unsigned)f);
			g_string_append_printf(t, "%s,2023-06-05,office,UZ-SU,Termiz,female,35,psychological,domestic,spouse,referral,0\n", id);
		}
	char *path = write_temp(t->str);
	struct mj_error err;
	struct mj_schema *sch = mj_schema_default(&err);
	CHECK(sch != NULL);
	struct mj_check_opts o = {.schema = sch, .threads = 2};
	struct mj_check_stats st;
	const char *files[] = {path};
	CHECK(mj_check_files(&o, files, 1, &st, &err) == MJ_OK);
	CHECK(st.duplicates == 0 && st.ids == 4 * 120000);
	mj_schema_destroy(sch);
	unlink(path);
	g_free(path);
	g_string_free(t, TRUE);
}

/* A register of rows ids, each id drawn from 0..span-1 (some more than
 * once), with a region that is wrong now and then. */
static char *mixed_register(GRand *rnd, size_t rows, unsigned span)
{
	GString *t = g_string_new("id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children\n");
	for (size_t i = 0; i < rows; i++)
		g_string_append_printf(t, "M%06u,2023-06-05,office,%s,Termiz,female,35,psychological,domestic,spouse,referral,0\n",
				       (unsigned)g_rand_int_range(rnd, 0, (gint32)span),
				       g_rand_double(rnd) < 0.01 ? "Nowhere" : "UZ-SU");
	char *path = write_temp(t->str);
	g_string_free(t, TRUE);
	return path;
}

/* Files read in parts and in sequence by turns (standard input, and a file
 * small beside the ids before it), a larger after a smaller and a smaller
 * after: ids seen in one file are duplicates in the others whichever way
 * each is read, and every thread count gives what one thread gives (which
 * reads all in sequence). */
static void test_check_mixed(void)
{
	GRand *rnd = g_rand_new_with_seed(23);
	char *small = mixed_register(rnd, 20000, 400000);
	char *large = mixed_register(rnd, 150000, 400000);
	char *piped = mixed_register(rnd, 3000, 400000);
	char *last = mixed_register(rnd, 60000, 400000);
	char *tiny = mixed_register(rnd, 2000, 400000);
	g_rand_free(rnd);
	const char *files[] = {small, large, "-", last, tiny};
	char *one = check_files_log(files, 5, piped, 1);
	CHECK(strstr(one, "duplicate id (first seen at <stdin>:") != NULL);
	char *in_small = g_strdup_printf("duplicate id (first seen at %s:", small);
	CHECK(strstr(one, in_small) != NULL);
	g_free(in_small);
	char *in_tiny = g_strdup_printf("%s:", tiny);
	CHECK(strstr(one, in_tiny) != NULL);
	g_free(in_tiny);
	for (unsigned threads = 2; threads <= 8; threads += 3) {
		char *many = check_files_log(files, 5, piped, threads);
		if (strcmp(one, many) != 0) {
			fprintf(stderr, "threads %u differ\n", threads);
			CHECK(0);
		}
		g_free(many);
	}
	g_free(one);
	/* A large file then small ones beside its ids: one small file is
	 * read in parts, and eight or more are read in order (the ids move
	 * from the bins to the table); each way as one thread reads them. */
	const char *few[] = {large, tiny};
	const char *lots[] = {large, tiny, small, tiny, small, tiny, small, tiny, small};
	const char *const *runs[] = {few, lots};
	size_t nruns[] = {2, 9};
	for (size_t k = 0; k < 2; k++) {
		char *alone = check_files_log(runs[k], nruns[k], piped, 1);
		CHECK(strstr(alone, "duplicate id") != NULL);
		for (unsigned threads = 2; threads <= 5; threads += 3) {
			char *many = check_files_log(runs[k], nruns[k], piped, threads);
			if (strcmp(alone, many) != 0) {
				fprintf(stderr, "run %zu, threads %u differ\n", k, threads);
				CHECK(0);
			}
			g_free(many);
		}
		g_free(alone);
	}
	const char *paths[] = {small, large, piped, last, tiny};
	for (size_t i = 0; i < 5; i++) {
		unlink(paths[i]);
		g_free((char *)paths[i]);
	}
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"same_as_libcsv", test_same_as_libcsv}, {"every_cut", test_every_cut},
		{"every_cut_cr", test_every_cut_cr}, {"wide_row", test_wide_row},
		{"simd_edges", test_simd_edges}, {"block_ends", test_block_ends},
		{"vcache", test_vcache}, {"check_threads", test_check_threads},
		{"check_full", test_check_full}, {"check_ids_apart", test_check_ids_apart},
		{"check_mixed", test_check_mixed},
		{"stream", test_stream}, {"quoted_header", test_quoted_header},
		{"parts_queue", test_parts_queue}, {"parts_shrink", test_parts_shrink},
		{0, 0}};
	return run_case(cases, argc, argv);
}
