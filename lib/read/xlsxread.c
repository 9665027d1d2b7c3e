/* Excel workbooks (.xlsx) as a source of records: the zip archive is read
 * with minizip, each part is parsed by expat in chunks as it is inflated,
 * and the chosen sheet's rows go to the row callback one at a time. Only
 * the shared strings table and the sheet list are held in memory. */
#include "xlsxread.h"

#include <errno.h>
#include <expat.h>
#include <glib.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unzip.h>

#include "calendar.h"
#include "grow.h"
#include "headgate.h"
#include "murojaat/schema.h"
#include "i18n.h"

#define CHUNK (256u << 10)
#define MAX_ROW_BYTES (64u << 20)
#define OLE_MESSAGE MJ_N_("an encrypted (password-protected) workbook or an old .xls file: save it as .xlsx without a password")
#define RATIO_FLOOR (16ull << 20) /* parts smaller than this skip the ratio check */

struct sbuf {
	char *p;
	size_t len, cap;
};

struct rel {
	char *id, *type, *target;
};

struct sheet {
	char *name, *rid;
};

struct cell {
	uint32_t col;
	size_t off, len;
};

enum part_kind { PART_ROOT_RELS, PART_WB_RELS, PART_WORKBOOK, PART_STYLES,
		 PART_STRINGS, PART_SHEET };

struct book {
	const char *name;              /* the workbook's path, for messages */
	const struct mj_reader_opts *opts;
	unzFile uf;
	struct mj_error *err;
	enum mj_status status;         /* first failure */
	int stop;                      /* the callback asked to stop */
	unsigned long long total;      /* bytes inflated so far, all parts */
	char *chunk;

	/* The part being parsed. */
	XML_Parser p;
	enum part_kind kind;
	const char *part;

	char *wb_path;                 /* e.g. xl/workbook.xml */
	struct rel *rels;
	size_t nrels, relcap;
	struct sheet *sheets;
	size_t nsheets, sheetcap;
	int date1904;
	const char *sheet_name;        /* the sheet being read */

	/* Styles: which cell formats show a date. */
	struct { unsigned id; int date; } *fmts;
	size_t nfmts, fmtcap;
	unsigned char *xf_date;
	size_t nxf, xfcap;
	int in_numfmts, in_cellxfs;

	/* Shared strings: NUL-terminated texts in one pool. */
	struct sbuf pool;
	size_t *soff;
	size_t nstr, strcap;
	int in_si;

	/* Text capture (shared strings, cells). */
	struct sbuf text;
	int capture, rph;

	/* Sheet state. */
	unsigned long row, last_row;
	uint32_t col, last_col;
	enum { CELL_NUMBER, CELL_SHARED, CELL_BOOL, CELL_DATE, CELL_TEXT } ctype;
	long cstyle;
	int in_cell, in_is;
	struct sbuf rowbytes;
	struct cell *cells;
	size_t ncells, cellcap;
	struct mj_field *fields;
	size_t fieldcap;
	int header_found;
	unsigned long header_row;
	size_t header_width;
	unsigned long rows_scanned;
	/* The row above the header with the most cells filled. */
	unsigned long above_row;
	size_t above_filled;
	unsigned long long done;       /* sheet bytes inflated, for progress */
	unsigned long long sheet_size;
	mj_row_fn on_row;
	void *ctx;
};

/* ---- small helpers ---- */

static int sbuf_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

/* Appends s and keeps its terminating NUL in the buffer. */
static int sbuf_add_z(struct sbuf *b, const char *s, size_t n)
{
	if (sbuf_add(b, s, n) != 0)
		return -1;
	b->len++;
	return 0;
}

int mj_xlsx_sniff(const void *bytes, size_t len)
{
	if (len >= 4 && memcmp(bytes, "PK\x03\x04", 4) == 0)
		return 1;
	if (len >= 8 && memcmp(bytes, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return 2;
	return 0;
}

int mj_read_not_text(const void *bytes, size_t len)
{
	const unsigned char *b = bytes;
	/* A byte-order mark, and a NUL byte soon after (the high or low half
	 * of a Latin letter or digit): "яю" in Windows-1251 has no NUL. */
	if (len >= 4 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff)) &&
	    memchr(b + 2, '\0', len - 2 < 64 ? len - 2 : 64))
		return 1;
	if (len >= 2 && b[0] == 0x1f && b[1] == 0x8b)
		return 2;
	return 0;
}

/* Records the first failure and stops the parser. row and col may be 0. */
static void fail(struct book *b, enum mj_status status, unsigned long row,
		 unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void fail(struct book *b, enum mj_status status, unsigned long row,
		 unsigned long col, const char *fmt, ...)
{
	if (b->status == MJ_OK) {
		b->status = status;
		if (b->err) {
			char msg[sizeof b->err->message];
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(msg, sizeof msg, MJ_(fmt), ap);
			va_end(ap);
			mj_error_set(b->err, status, b->name, row, col, "%s", msg);
			if (row && b->sheet_name)
				snprintf(b->err->sheet, sizeof b->err->sheet, "%s",
					 b->sheet_name);
		}
	}
	if (b->p)
		XML_StopParser(b->p, XML_FALSE);
}

static const char *local_name(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

/* Value of the attribute whose local name is lname (prefixed or not when
 * prefixed is 0; only a prefixed one when 1), or NULL. */
static const char *attr_find(const char **atts, const char *lname, int prefixed)
{
	for (size_t i = 0; atts[i]; i += 2) {
		int has_prefix = strchr(atts[i], ':') != NULL;
		if (prefixed && !has_prefix)
			continue;
		if (strcmp(local_name(atts[i]), lname) == 0)
			return atts[i + 1];
	}
	return NULL;
}

static int ends_with(const char *s, const char *tail)
{
	if (!s || !tail)
		return 0;
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* The zip entry named by target, relative to the folder of part (a leading
 * '/' means from the archive's root); "." and ".." are resolved. */
static char *path_resolve(const char *part, const char *target)
{
	GString *in = g_string_new(NULL);
	if (target[0] != '/') {
		const char *slash = strrchr(part, '/');
		if (slash)
			g_string_append_len(in, part, slash - part + 1);
	}
	g_string_append(in, target);
	char **segs = g_strsplit(in->str, "/", -1);
	g_string_free(in, TRUE);
	GPtrArray *stack = g_ptr_array_new();
	for (size_t i = 0; segs[i]; i++) {
		if (segs[i][0] == '\0' || strcmp(segs[i], ".") == 0)
			continue;
		if (strcmp(segs[i], "..") == 0) {
			if (stack->len)
				g_ptr_array_remove_index(stack, stack->len - 1);
			continue;
		}
		g_ptr_array_add(stack, segs[i]);
	}
	GString *out = g_string_new(NULL);
	for (size_t i = 0; i < stack->len; i++) {
		if (i)
			g_string_append_c(out, '/');
		g_string_append(out, stack->pdata[i]);
	}
	g_ptr_array_free(stack, TRUE);
	char *result = strdup(out->str);
	g_string_free(out, TRUE);
	g_strfreev(segs);
	return result;
}

/* ---- dates ---- */

static int builtin_date_format(unsigned id)
{
	return id >= 14 && id <= 22;
}

/* Whether a number format code shows a date: it holds d or y, or m
 * without h or s (then m is a month, not minutes), outside quoted text,
 * [brackets] and escaped characters. */
static int code_is_date(const char *code)
{
	int d = 0, m = 0, hs = 0;
	for (const char *c = code; *c; c++) {
		switch (*c) {
		case '"':
			c++;
			while (*c && *c != '"')
				c++;
			if (!*c)
				return d || (m && !hs);
			break;
		case '[':
			while (*c && *c != ']')
				c++;
			if (!*c)
				return d || (m && !hs);
			break;
		case '\\':
		case '_':
		case '*':
			if (c[1])
				c++;
			break;
		case 'd': case 'D': case 'y': case 'Y':
			d = 1;
			break;
		case 'm': case 'M':
			m = 1;
			break;
		case 'h': case 'H': case 's': case 'S':
			hs = 1;
			break;
		case ';':
			/* Only the first section decides. */
			return d || (m && !hs);
		default:
			break;
		}
	}
	return d || (m && !hs);
}

/* An Excel serial day number as YYYY-MM-DD (the time of day is dropped).
 * The 1900 system counts the non-existent 1900-02-29 as day 60. Returns
 * 0 on success. */
static int serial_to_iso(double v, int date1904, char *buf, size_t len)
{
	if (!isfinite(v) || v < 1 || v >= 2958466.0)
		return -1;
	long serial = (long)floor(v);
	long unix_days;
	if (date1904)
		unix_days = serial - 24107;
	else if (serial == 60)
		return -1;
	else
		unix_days = serial - (serial < 60 ? 25568 : 25569);
	int y, m, d;
	calendar_civil_from_days(unix_days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
	return 0;
}

/* ---- XML handlers ---- */

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
		       const XML_Char *pubid, int has_internal)
{
	(void)name; (void)sysid; (void)pubid; (void)has_internal;
	struct book *b = ud;
	fail(b, MJ_E_PARSE, 0, 0,
	     "part %s of the workbook declares a DOCTYPE; workbooks have none, and DTDs and entities are refused (an entity-expansion attack?)",
	     b->part);
}

static void on_entity(void *ud, const XML_Char *name, int is_param,
		      const XML_Char *value, int value_len, const XML_Char *base,
		      const XML_Char *sysid, const XML_Char *pubid,
		      const XML_Char *notation)
{
	(void)name; (void)is_param; (void)value; (void)value_len; (void)base;
	(void)sysid; (void)pubid; (void)notation;
	struct book *b = ud;
	fail(b, MJ_E_PARSE, 0, 0,
	     "part %s of the workbook declares an entity; entities are refused (an entity-expansion attack?)",
	     b->part);
}

static void on_text(void *ud, const XML_Char *s, int len)
{
	struct book *b = ud;
	if (!b->capture || b->rph || b->status != MJ_OK)
		return;
	if (b->text.len + (size_t)len > MJ_XLSX_MAX_CELL) {
		if (b->kind == PART_SHEET)
			fail(b, MJ_E_LIMIT, b->row, b->col,
			     "cell text is longer than the limit of %u bytes",
			     MJ_XLSX_MAX_CELL);
		else
			fail(b, MJ_E_LIMIT, 0, 0,
			     "a shared string (number %zu) is longer than the limit of %u bytes",
			     b->nstr + 1, MJ_XLSX_MAX_CELL);
		return;
	}
	if (sbuf_add(&b->text, s, (size_t)len) != 0)
		fail(b, MJ_E_NOMEM, 0, 0, "out of memory");
}

static void rels_start(struct book *b, const char *el, const char **atts)
{
	if (strcmp(el, "Relationship") != 0)
		return;
	const char *id = attr_find(atts, "Id", 0);
	const char *type = attr_find(atts, "Type", 0);
	const char *target = attr_find(atts, "Target", 0);
	const char *mode = attr_find(atts, "TargetMode", 0);
	if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
		return;
	if (b->kind == PART_ROOT_RELS) {
		if (!b->wb_path && ends_with(type, "/officeDocument"))
			b->wb_path = path_resolve("", target);
		return;
	}
	if (mj_grow(&b->rels, &b->relcap, b->nrels, sizeof *b->rels) != 0) {
		fail(b, MJ_E_NOMEM, 0, 0, "out of memory");
		return;
	}
	struct rel *r = &b->rels[b->nrels++];
	r->id = strdup(id);
	r->type = strdup(type);
	r->target = path_resolve(b->wb_path, target);
	if (!r->id || !r->type || !r->target)
		fail(b, MJ_E_NOMEM, 0, 0, "out of memory");
}

static void workbook_start(struct book *b, const char *el, const char **atts)
{
	if (strcmp(el, "workbookPr") == 0) {
		const char *v = attr_find(atts, "date1904", 0);
		b->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (strcmp(el, "sheet") == 0) {
		const char *name = attr_find(atts, "name", 0);
		const char *rid = attr_find(atts, "id", 1);
		if (!name)
			name = "";
		if (b->nsheets >= MJ_XLSX_MAX_ENTRIES) {
			fail(b, MJ_E_LIMIT, 0, 0, "more than %u sheets", MJ_XLSX_MAX_ENTRIES);
			return;
		}
		if (mj_grow(&b->sheets, &b->sheetcap, b->nsheets, sizeof *b->sheets) != 0) {
			fail(b, MJ_E_NOMEM, 0, 0, "out of memory");
			return;
		}
		struct sheet *s = &b->sheets[b->nsheets++];
		s->name = strdup(name);
		s->rid = rid ? strdup(rid) : NULL;
		if (!s->name || (rid && !s->rid))
			fail(b, MJ_E_NOMEM, 0, 0, "out of memory");
	}
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	if (!s || !*s)
		return -1;
	unsigned long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		unsigned long digit = (unsigned long)(*s - '0');
		if (v > (max - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	*out = v;
	return 0;
}

static void styles_start(struct book *b, const char *el, const char **atts)
{
	if (strcmp(el, "numFmts") == 0) {
		b->in_numfmts = 1;
	} else if (strcmp(el, "cellXfs") == 0) {
		b->in_cellxfs = 1;
	} else if (b->in_numfmts && strcmp(el, "numFmt") == 0) {
		unsigned long id;
		const char *code = attr_find(atts, "formatCode", 0);
		if (parse_uint(attr_find(atts, "numFmtId", 0), 100000, &id) != 0 || !code)
			return;
		if (b->nfmts >= 100000 ||
		    mj_grow(&b->fmts, &b->fmtcap, b->nfmts, sizeof *b->fmts) != 0) {
			fail(b, MJ_E_LIMIT, 0, 0, "too many number formats in the styles");
			return;
		}
		b->fmts[b->nfmts].id = (unsigned)id;
		b->fmts[b->nfmts].date = code_is_date(code);
		b->nfmts++;
	} else if (b->in_cellxfs && strcmp(el, "xf") == 0) {
		unsigned long id = 0;
		if (parse_uint(attr_find(atts, "numFmtId", 0), 100000, &id) != 0)
			id = 0;
		if (b->nxf >= 1000000 ||
		    mj_grow(&b->xf_date, &b->xfcap, b->nxf, 1) != 0) {
			fail(b, MJ_E_LIMIT, 0, 0, "too many cell formats in the styles");
			return;
		}
		int date = builtin_date_format((unsigned)id);
		for (size_t i = 0; i < b->nfmts; i++)
			if (b->fmts[i].id == id)
				date = b->fmts[i].date;
		b->xf_date[b->nxf++] = (unsigned char)date;
	}
}

static void strings_start(struct book *b, const char *el)
{
	if (strcmp(el, "si") == 0) {
		b->in_si = 1;
		b->text.len = 0;
		if (b->text.p)
			b->text.p[0] = '\0';
	} else if (strcmp(el, "rPh") == 0) {
		b->rph++;
	} else if (b->in_si && strcmp(el, "t") == 0) {
		b->capture = 1;
	}
}

static void strings_end(struct book *b, const char *el)
{
	if (strcmp(el, "t") == 0) {
		b->capture = 0;
	} else if (strcmp(el, "rPh") == 0) {
		if (b->rph)
			b->rph--;
	} else if (strcmp(el, "si") == 0 && b->in_si) {
		b->in_si = 0;
		if (b->nstr >= MJ_XLSX_MAX_STRINGS ||
		    b->pool.len + b->text.len + 1 > MJ_XLSX_MAX_STRINGS_BYTES) {
			fail(b, MJ_E_LIMIT, 0, 0,
			     "the shared strings table is larger than the limits of %u strings or %u MiB",
			     MJ_XLSX_MAX_STRINGS, MJ_XLSX_MAX_STRINGS_BYTES >> 20);
			return;
		}
		if (mj_grow(&b->soff, &b->strcap, b->nstr, sizeof *b->soff) != 0) {
			fail(b, MJ_E_NOMEM, 0, 0, "out of memory");
			return;
		}
		b->soff[b->nstr++] = b->pool.len;
		if (sbuf_add_z(&b->pool, b->text.p ? b->text.p : "", b->text.len) != 0)
			fail(b, MJ_E_NOMEM, 0, 0, "out of memory");
		b->text.len = 0;
	}
}

/* Parses a cell reference such as "C12"; returns 0 on success. */
static int cell_ref(const char *ref, uint32_t *col, unsigned long *row)
{
	unsigned long c = 0;
	const char *p = ref;
	while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')) {
		c = c * 26 + (unsigned long)((*p | 0x20) - 'a' + 1);
		if (c > MJ_XLSX_MAX_COL)
			return -1;
		p++;
	}
	if (p == ref || c == 0)
		return -1;
	if (parse_uint(p, MJ_XLSX_MAX_ROW, row) != 0 || *row == 0)
		return -1;
	*col = (uint32_t)c;
	return 0;
}

static void sheet_row_start(struct book *b, const char **atts)
{
	const char *r = attr_find(atts, "r", 0);
	unsigned long row;
	if (r) {
		if (parse_uint(r, MJ_XLSX_MAX_ROW, &row) != 0 || row == 0) {
			fail(b, MJ_E_PARSE, b->last_row + 1, 0,
			     "bad row number \"%.20s\" (rows are 1 to %u)", r, MJ_XLSX_MAX_ROW);
			return;
		}
	} else {
		row = b->last_row + 1;
	}
	if (row <= b->last_row) {
		fail(b, MJ_E_PARSE, row, 0, "row %lu comes after row %lu in the sheet",
		     row, b->last_row);
		return;
	}
	if (row > MJ_XLSX_MAX_ROW) {
		fail(b, MJ_E_LIMIT, row, 0, "more rows than Excel's limit of %u", MJ_XLSX_MAX_ROW);
		return;
	}
	b->row = row;
	b->last_col = 0;
	b->ncells = 0;
	b->rowbytes.len = 0;
}

static void sheet_cell_start(struct book *b, const char **atts)
{
	const char *r = attr_find(atts, "r", 0);
	uint32_t col;
	if (r) {
		unsigned long row;
		if (cell_ref(r, &col, &row) != 0) {
			fail(b, MJ_E_PARSE, b->row, b->last_col + 1,
			     "bad cell reference \"%.20s\"", r);
			return;
		}
		if (row != b->row) {
			fail(b, MJ_E_PARSE, b->row, col, "cell %.20s lies outside its row %lu",
			     r, b->row);
			return;
		}
	} else {
		if (b->last_col >= MJ_XLSX_MAX_COL) {
			fail(b, MJ_E_LIMIT, b->row, 0, "more cells in a row than Excel's limit of %u",
			     MJ_XLSX_MAX_COL);
			return;
		}
		col = b->last_col + 1;
	}
	if (col <= b->last_col) {
		fail(b, MJ_E_PARSE, b->row, col, "cell out of order or given twice in its row");
		return;
	}
	b->col = col;
	b->last_col = col;
	const char *t = attr_find(atts, "t", 0);
	/* "str" (a formula's text), "inlineStr" and "e" (#N/A...) are text. */
	b->ctype = !t || strcmp(t, "n") == 0 ? CELL_NUMBER
		 : strcmp(t, "s") == 0 ? CELL_SHARED
		 : strcmp(t, "b") == 0 ? CELL_BOOL
		 : strcmp(t, "d") == 0 ? CELL_DATE : CELL_TEXT;
	unsigned long s;
	b->cstyle = parse_uint(attr_find(atts, "s", 0), 10000000, &s) == 0 ? (long)s : -1;
	b->in_cell = 1;
	b->in_is = 0;
	b->text.len = 0;
	if (b->text.p)
		b->text.p[0] = '\0';
}

/* The text of the finished cell, formatted as a CSV export would show it. */
static void sheet_cell_end(struct book *b)
{
	b->in_cell = 0;
	b->capture = 0;
	const char *v = b->text.p ? b->text.p : "";
	size_t vlen = b->text.len;
	char num[64];
	const char *out = v;
	size_t outlen = vlen;
	if (b->ctype == CELL_SHARED) {
		unsigned long i;
		if (vlen == 0)
			return;
		if (parse_uint(v, ULONG_MAX, &i) != 0 || i >= b->nstr) {
			fail(b, MJ_E_PARSE, b->row, b->col,
			     "cell refers to shared string \"%.20s\", which the workbook lacks", v);
			return;
		}
		out = b->pool.p + b->soff[i];
		outlen = strlen(out);
	} else if (b->ctype == CELL_BOOL) {
		if (strcmp(v, "1") == 0)
			out = "TRUE";
		else if (strcmp(v, "0") == 0)
			out = "FALSE";
		outlen = strlen(out);
	} else if (b->ctype == CELL_DATE) {
		/* An ISO 8601 date-time; keep the date. */
		if (vlen >= 10 && v[4] == '-' && v[7] == '-')
			outlen = 10;
	} else if (b->ctype == CELL_NUMBER && vlen && vlen < 10 &&
		   strspn(v, "0123456789") == vlen && (v[0] != '0' || vlen == 1) &&
		   !(b->cstyle >= 0 && (size_t)b->cstyle < b->nxf && b->xf_date[b->cstyle])) {
		/* A plain whole number (most cells of a register) is already
		 * in the form wanted. */
	} else if (b->ctype == CELL_NUMBER && vlen) {
		char *end;
		errno = 0;
		double d = strtod(v, &end);
		if (*end == '\0' && end != v && isfinite(d)) {
			int is_date = b->cstyle >= 0 && (size_t)b->cstyle < b->nxf &&
				      b->xf_date[b->cstyle];
			/* Whole numbers without a point (-0 as 0), others with
			 * the 15 significant digits Excel shows. */
			if (!is_date || serial_to_iso(d, b->date1904, num, sizeof num) != 0) {
				if (d == floor(d) && fabs(d) < 1e15)
					snprintf(num, sizeof num, "%.0f", d == 0 ? 0.0 : d);
				else
					snprintf(num, sizeof num, "%.15g", d);
			}
			out = num;
			outlen = strlen(out);
		}
	}
	if (outlen == 0)
		return;
	if (b->rowbytes.len + outlen + 1 > MAX_ROW_BYTES) {
		fail(b, MJ_E_LIMIT, b->row, b->col, "row is larger than the limit of %u MiB",
		     MAX_ROW_BYTES >> 20);
		return;
	}
	if (mj_grow(&b->cells, &b->cellcap, b->ncells, sizeof *b->cells) != 0) {
		fail(b, MJ_E_NOMEM, b->row, b->col, "out of memory");
		return;
	}
	size_t off = b->rowbytes.len;
	if (sbuf_add_z(&b->rowbytes, out, outlen) != 0) {
		fail(b, MJ_E_NOMEM, b->row, b->col, "out of memory");
		return;
	}
	b->cells[b->ncells++] = (struct cell){.col = b->col, .off = off, .len = outlen};
}

/* The row's cells as fields in b->fields, in the order read; how many,
 * or -1 when out of memory. */
static long cells_as_fields(struct book *b)
{
	if (b->ncells > b->fieldcap) {
		struct mj_field *f = realloc(b->fields, b->ncells * sizeof *f);
		if (!f)
			return -1;
		b->fields = f;
		b->fieldcap = b->ncells;
	}
	for (size_t i = 0; i < b->ncells; i++)
		b->fields[i] = (struct mj_field){b->rowbytes.p + b->cells[i].off, b->cells[i].len};
	return (long)b->ncells;
}

/* Whether the row reads as the header (mj_fields_header_like()). */
static int row_is_header(struct book *b)
{
	const struct mj_schema *s = b->opts ? b->opts->schema : NULL;
	if (!s)
		return 1;
	long n = cells_as_fields(b);
	return n > 0 && mj_fields_header_like(s, b->fields, (size_t)n);
}

/* A row above the header, skipped: told of in opts->above, the one with
 * the most cells filled kept to be weighed against the header. */
static void above_header(struct book *b)
{
	struct mj_above_header *a = b->opts ? b->opts->above : NULL;
	mj_above_header_add(a, b->row);
	if (a)
		a->workbook = 1;
	long n = cells_as_fields(b);
	size_t filled = n > 0 ? mj_fields_filled(b->fields, (size_t)n) : 0;
	if (filled > b->above_filled) {
		b->above_filled = filled;
		b->above_row = b->row;
	}
}

static void sheet_row_end(struct book *b)
{
	b->last_row = b->row;
	unsigned long want = b->opts ? b->opts->header_row : 0;
	if (!b->header_found) {
		if (want) {
			if (b->row < want) {
				if (b->ncells)
					above_header(b);
				return;
			}
			if (b->row > want || b->ncells == 0) {
				fail(b, MJ_E_VALUE, want, 0,
				     "row %lu (--header-row) is empty", want);
				return;
			}
		} else {
			if (b->ncells == 0)
				return;
			if (!row_is_header(b)) {
				above_header(b);
				if (++b->rows_scanned >= MJ_XLSX_HEADER_SCAN)
					fail(b, MJ_E_VALUE, 0, 0,
					     "no header row in the first %u rows of sheet '%s': none names two columns of the schema (such as date and region); say which row it is with --header-row N",
					     MJ_XLSX_HEADER_SCAN, b->sheet_name);
				return;
			}
		}
		/* A row above that may be a record is not skipped without a
		 * word: the sheet is read no further. */
		long n = cells_as_fields(b);
		size_t header_filled = n > 0 ? mj_fields_filled(b->fields, (size_t)n) : 0;
		if (!want && mj_above_is_record(b->above_filled, header_filled)) {
			fail(b, MJ_E_VALUE, b->above_row, 0,
			     "this row above the header (row %lu) has %zu cells filled, as a record has: if it is one, move it below the header; if it is a title or a note, give --header-row %lu",
			     b->row, b->above_filled, b->row);
			return;
		}
		if (b->opts && b->opts->above && b->opts->above->rows)
			b->opts->above->header = b->row;
		b->header_found = 1;
		b->header_row = b->row;
		b->header_width = b->cells[b->ncells - 1].col;
	} else if (b->ncells == 0) {
		return; /* an empty row */
	}
	size_t n = b->cells[b->ncells - 1].col;
	if (n < b->header_width)
		n = b->header_width;
	if (n > b->fieldcap) {
		struct mj_field *f = realloc(b->fields, n * sizeof *f);
		if (!f) {
			fail(b, MJ_E_NOMEM, b->row, 0, "out of memory");
			return;
		}
		b->fields = f;
		b->fieldcap = n;
	}
	for (size_t i = 0; i < n; i++)
		b->fields[i] = (struct mj_field){.text = "", .len = 0};
	for (size_t i = 0; i < b->ncells; i++) {
		const struct cell *c = &b->cells[i];
		b->fields[c->col - 1].text = b->rowbytes.p + c->off;
		b->fields[c->col - 1].len = c->len;
	}
	if (b->on_row(b->ctx, b->fields, n, b->row)) {
		b->stop = 1;
		XML_StopParser(b->p, XML_FALSE);
	}
}

/* A merged range (<mergeCell ref="D2:D4">, after the rows): its value is
 * in its first cell only. Over rows below the header, every row but the
 * first would read as not stated there, and that would pass without a
 * word; the sheet is refused instead. A range within one row (a title or
 * a "Total:" across columns) only holds its row. */
static void merge_cell(struct book *b, const char **atts)
{
	const char *ref = attr_find(atts, "ref", 0);
	const char *colon = ref ? strchr(ref, ':') : NULL;
	uint32_t c1, c2;
	unsigned long r1, r2;
	char first[16];
	if (!colon || (size_t)(colon - ref) >= sizeof first)
		return;
	memcpy(first, ref, (size_t)(colon - ref));
	first[colon - ref] = '\0';
	if (cell_ref(first, &c1, &r1) != 0 || cell_ref(colon + 1, &c2, &r2) != 0)
		return;
	if (r2 > r1 && b->header_found && r2 > b->header_row)
		fail(b, MJ_E_VALUE, r1 > b->header_row ? r1 : b->header_row + 1, c1,
		     "cells %.40s are merged: a merged cell's value is in its first row only, so the rows below it would read as not stated; unmerge them and fill the value into each row (in Excel: Merge & Center off, then Fill Down)",
		     ref);
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct book *b = ud;
	if (b->status != MJ_OK || b->stop)
		return;
	const char *el = local_name(name);
	switch (b->kind) {
	case PART_ROOT_RELS:
	case PART_WB_RELS:
		rels_start(b, el, atts);
		break;
	case PART_WORKBOOK:
		workbook_start(b, el, atts);
		break;
	case PART_STYLES:
		styles_start(b, el, atts);
		break;
	case PART_STRINGS:
		strings_start(b, el);
		break;
	case PART_SHEET:
		if (strcmp(el, "row") == 0)
			sheet_row_start(b, atts);
		else if (strcmp(el, "c") == 0)
			sheet_cell_start(b, atts);
		else if (strcmp(el, "mergeCell") == 0)
			merge_cell(b, atts);
		else if (!b->in_cell)
			break;
		else if (strcmp(el, "v") == 0 && !b->in_is)
			b->capture = 1;
		else if (strcmp(el, "is") == 0)
			b->in_is = 1;
		else if (strcmp(el, "rPh") == 0)
			b->rph++;
		else if (strcmp(el, "t") == 0 && b->in_is)
			b->capture = 1;
		break;
	}
}

static void on_end(void *ud, const XML_Char *name)
{
	struct book *b = ud;
	if (b->status != MJ_OK || b->stop)
		return;
	const char *el = local_name(name);
	switch (b->kind) {
	case PART_STYLES:
		if (strcmp(el, "numFmts") == 0)
			b->in_numfmts = 0;
		else if (strcmp(el, "cellXfs") == 0)
			b->in_cellxfs = 0;
		break;
	case PART_STRINGS:
		strings_end(b, el);
		break;
	case PART_SHEET:
		if (strcmp(el, "row") == 0)
			sheet_row_end(b);
		else if (!b->in_cell)
			break;
		else if (strcmp(el, "c") == 0)
			sheet_cell_end(b);
		else if (strcmp(el, "v") == 0 || strcmp(el, "t") == 0)
			b->capture = 0;
		else if (strcmp(el, "rPh") == 0 && b->rph)
			b->rph--;
		else if (strcmp(el, "is") == 0)
			b->in_is = 0;
		break;
	default:
		break;
	}
}

/* ---- zip parts ---- */

/* Inflates entry and feeds it to expat. Returns 0 when parsed, 1 when the
 * archive has no such entry, -1 on failure (b->status set). */
static int part_parse(struct book *b, const char *entry, enum part_kind kind)
{
	if (unzLocateFile(b->uf, entry, 2) != UNZ_OK)
		return 1;
	unz_file_info64 info;
	if (unzGetCurrentFileInfo64(b->uf, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
		fail(b, MJ_E_PARSE, 0, 0, "damaged workbook: cannot read the entry of %s", entry);
		return -1;
	}
	if (info.flag & 1) {
		fail(b, MJ_E_UNSUPPORTED, 0, 0, "part %s of the workbook is encrypted", entry);
		return -1;
	}
	if (info.compression_method != 0 && info.compression_method != Z_DEFLATED) {
		fail(b, MJ_E_UNSUPPORTED, 0, 0,
		     "part %s of the workbook uses compression method %lu (only deflate is read)",
		     entry, info.compression_method);
		return -1;
	}
	if (unzOpenCurrentFile(b->uf) != UNZ_OK) {
		fail(b, MJ_E_PARSE, 0, 0, "damaged workbook: cannot open part %s", entry);
		return -1;
	}
	XML_Parser p = XML_ParserCreate(NULL);
	if (!p) {
		unzCloseCurrentFile(b->uf);
		fail(b, MJ_E_NOMEM, 0, 0, "out of memory");
		return -1;
	}
	XML_SetUserData(p, b);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetEntityDeclHandler(p, on_entity);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	b->p = p;
	b->kind = kind;
	b->part = entry;
	b->capture = b->rph = 0;
	if (kind == PART_SHEET)
		b->sheet_size = info.uncompressed_size;
	unsigned long long done = 0;
	int ended = 0;
	while (b->status == MJ_OK && !b->stop) {
		int got = unzReadCurrentFile(b->uf, b->chunk, CHUNK);
		if (got < 0) {
			fail(b, MJ_E_PARSE, 0, 0,
			     "damaged workbook: part %s cannot be decompressed (zip error %d)",
			     entry, got);
			break;
		}
		done += (unsigned)got;
		b->total += (unsigned)got;
		if (b->total > MJ_XLSX_MAX_TOTAL) {
			fail(b, MJ_E_LIMIT, 0, 0,
			     "the workbook decompresses to more than %llu MiB (a zip bomb?)",
			     MJ_XLSX_MAX_TOTAL >> 20);
			break;
		}
		if (done > RATIO_FLOOR && done / MJ_XLSX_MAX_RATIO > info.compressed_size) {
			fail(b, MJ_E_LIMIT, 0, 0,
			     "part %s decompresses more than %u times its size (a zip bomb?)",
			     entry, MJ_XLSX_MAX_RATIO);
			break;
		}
		if (XML_Parse(p, b->chunk, got, got == 0) == XML_STATUS_ERROR) {
			if (b->status == MJ_OK && !b->stop)
				fail(b, MJ_E_PARSE, 0, 0,
				     "damaged workbook: part %s, line %lu, column %lu: %s",
				     entry, (unsigned long)XML_GetCurrentLineNumber(p),
				     (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
				     XML_ErrorString(XML_GetErrorCode(p)));
			break;
		}
		if (kind == PART_SHEET && b->opts && b->opts->on_progress)
			b->opts->on_progress(b->opts->progress_ctx, done, b->sheet_size);
		if (got == 0) {
			ended = 1;
			break;
		}
	}
	int rc = unzCloseCurrentFile(b->uf);
	if (ended && rc == UNZ_CRCERROR)
		fail(b, MJ_E_PARSE, 0, 0, "damaged workbook: part %s fails its checksum", entry);
	XML_ParserFree(p);
	b->p = NULL;
	return b->status == MJ_OK ? 0 : -1;
}

static const char *rel_target(const struct book *b, const char *id, const char *type_tail)
{
	for (size_t i = 0; i < b->nrels; i++) {
		if (id && strcmp(b->rels[i].id, id) == 0)
			return b->rels[i].target;
		if (!id && ends_with(b->rels[i].type, type_tail))
			return b->rels[i].target;
	}
	return NULL;
}

static const char *rel_type(const struct book *b, const char *id)
{
	for (size_t i = 0; i < b->nrels; i++)
		if (strcmp(b->rels[i].id, id) == 0)
			return b->rels[i].type;
	return "";
}

/* Case-insensitive comparison of UTF-8 sheet names. */
static int same_sheet_name(const char *a, const char *b)
{
	char *fa = g_utf8_casefold(a, -1), *fb = g_utf8_casefold(b, -1);
	int same = fa && fb && strcmp(fa, fb) == 0;
	g_free(fa);
	g_free(fb);
	return same;
}

static long sheet_choose(struct book *b)
{
	const char *want = b->opts ? b->opts->sheet : NULL;
	if (!want || !*want)
		return 0;
	for (size_t i = 0; i < b->nsheets; i++)
		if (strcmp(b->sheets[i].name, want) == 0)
			return (long)i;
	for (size_t i = 0; i < b->nsheets; i++)
		if (same_sheet_name(b->sheets[i].name, want))
			return (long)i;
	unsigned long n;
	GString *names = g_string_new(NULL);
	for (size_t i = 0; i < b->nsheets && names->len < 300; i++)
		g_string_append_printf(names, "%s%s", i ? ", " : "", b->sheets[i].name);
	if (parse_uint(want, 1000000, &n) == 0) {
		if (n >= 1 && n <= b->nsheets) {
			g_string_free(names, TRUE);
			return (long)n - 1;
		}
		fail(b, MJ_E_VALUE, 0, 0, "no sheet number %lu: the workbook has %zu (%s)",
		     n, b->nsheets, names->str);
	} else {
		fail(b, MJ_E_VALUE, 0, 0, "no sheet named \"%s\": the workbook has %s",
		     want, names->str);
	}
	g_string_free(names, TRUE);
	return -1;
}

static voidpf ZCALLBACK mem_open(voidpf opaque, const void *name, int mode)
{
	(void)name;
	(void)mode;
	return opaque;
}

struct memfile {
	const unsigned char *data;
	size_t len, pos;
};

static uLong ZCALLBACK mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
	(void)opaque;
	struct memfile *m = stream;
	size_t n = m->len - m->pos < size ? m->len - m->pos : size;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (uLong)n;
}

static uLong ZCALLBACK mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
	(void)opaque; (void)stream; (void)buf; (void)size;
	return 0;
}

static ZPOS64_T ZCALLBACK mem_tell(voidpf opaque, voidpf stream)
{
	(void)opaque;
	return ((struct memfile *)stream)->pos;
}

static long ZCALLBACK mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
	(void)opaque;
	struct memfile *m = stream;
	ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET ? 0
		      : origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos : m->len;
	if (off > m->len || base + off > m->len)
		return -1;
	m->pos = (size_t)(base + off);
	return 0;
}

static int ZCALLBACK mem_close(voidpf opaque, voidpf stream)
{
	(void)opaque; (void)stream;
	return 0;
}

static int ZCALLBACK mem_error(voidpf opaque, voidpf stream)
{
	(void)opaque; (void)stream;
	return 0;
}

static void book_free(struct book *b)
{
	if (b->uf)
		unzClose(b->uf);
	free(b->chunk);
	free(b->wb_path);
	for (size_t i = 0; i < b->nrels; i++) {
		free(b->rels[i].id);
		free(b->rels[i].type);
		free(b->rels[i].target);
	}
	free(b->rels);
	for (size_t i = 0; i < b->nsheets; i++) {
		free(b->sheets[i].name);
		free(b->sheets[i].rid);
	}
	free(b->sheets);
	free(b->fmts);
	free(b->xf_date);
	free(b->pool.p);
	free(b->soff);
	free(b->text.p);
	free(b->rowbytes.p);
	free(b->cells);
	free(b->fields);
}

/* Reads the open archive b->uf: parts, then the chosen sheet. */
static enum mj_status book_read(struct book *b)
{
	unz_global_info64 gi;
	if (unzGetGlobalInfo64(b->uf, &gi) != UNZ_OK) {
		fail(b, MJ_E_PARSE, 0, 0, "damaged workbook: cannot read the zip directory");
		return b->status;
	}
	if (gi.number_entry > MJ_XLSX_MAX_ENTRIES) {
		fail(b, MJ_E_LIMIT, 0, 0, "the workbook holds more than %u files",
		     MJ_XLSX_MAX_ENTRIES);
		return b->status;
	}
	b->chunk = malloc(CHUNK);
	if (!b->chunk) {
		fail(b, MJ_E_NOMEM, 0, 0, "out of memory");
		return b->status;
	}
	if (part_parse(b, "_rels/.rels", PART_ROOT_RELS) < 0)
		return b->status;
	if (!b->wb_path && !(b->wb_path = strdup("xl/workbook.xml"))) {
		fail(b, MJ_E_NOMEM, 0, 0, "out of memory");
		return b->status;
	}
	char *rels_path = NULL;
	{
		const char *slash = strrchr(b->wb_path, '/');
		size_t dir = slash ? (size_t)(slash - b->wb_path + 1) : 0;
		rels_path = g_strdup_printf("%.*s_rels/%s.rels", (int)dir, b->wb_path,
					    b->wb_path + dir);
	}
	int rc = part_parse(b, rels_path, PART_WB_RELS);
	g_free(rels_path);
	if (rc < 0)
		return b->status;
	rc = part_parse(b, b->wb_path, PART_WORKBOOK);
	if (rc < 0)
		return b->status;
	if (rc == 1) {
		int ods = unzLocateFile(b->uf, "content.xml", 2) == UNZ_OK;
		fail(b, MJ_E_PARSE, 0, 0, ods
		     ? "not an Excel workbook but an OpenDocument file (.ods?): save it as .xlsx or CSV"
		     : "not an Excel workbook: the zip archive has no %s", b->wb_path);
		return b->status;
	}
	if (b->nsheets == 0) {
		fail(b, MJ_E_PARSE, 0, 0, "the workbook lists no sheets");
		return b->status;
	}
	long si = sheet_choose(b);
	if (si < 0)
		return b->status;
	const struct sheet *sh = &b->sheets[si];
	const char *target = sh->rid ? rel_target(b, sh->rid, NULL) : NULL;
	char fallback[64];
	if (!target) {
		snprintf(fallback, sizeof fallback, "xl/worksheets/sheet%ld.xml", si + 1);
		target = fallback;
	} else if (ends_with(rel_type(b, sh->rid), "/chartsheet")) {
		fail(b, MJ_E_VALUE, 0, 0, "sheet '%s' is a chart, not a sheet of cells",
		     sh->name);
		return b->status;
	}
	const char *styles = rel_target(b, NULL, "/styles");
	if (part_parse(b, styles ? styles : "xl/styles.xml", PART_STYLES) < 0)
		return b->status;
	const char *strings = rel_target(b, NULL, "/sharedStrings");
	if (part_parse(b, strings ? strings : "xl/sharedStrings.xml", PART_STRINGS) < 0)
		return b->status;
	b->sheet_name = sh->name;
	if (b->opts && b->opts->sheet_read)
		snprintf(b->opts->sheet_read, MJ_SHEET_NAME_MAX, "%s", sh->name);
	if (b->opts && b->opts->sheet_count)
		*b->opts->sheet_count = b->nsheets;
	rc = part_parse(b, target, PART_SHEET);
	if (rc == 1)
		fail(b, MJ_E_PARSE, 0, 0, "damaged workbook: sheet '%s' (%s) is missing",
		     sh->name, target);
	if (rc != 0 || b->stop)
		return b->status;
	if (!b->header_found && (b->rows_scanned || (b->opts && b->opts->header_row))) {
		if (b->opts && b->opts->header_row)
			fail(b, MJ_E_VALUE, 0, 0, "row %lu (--header-row) is empty",
			     b->opts->header_row);
		else
			fail(b, MJ_E_VALUE, 0, 0,
			     "no header row in sheet '%s': no row names two columns of the schema (such as date and region); say which row it is with --header-row N",
			     sh->name);
	}
	return b->status;
}

/* Every entry point empties the caller's sheet name first: a failure
 * before the sheet is chosen leaves no stale name behind. */
static void sheet_read_clear(const struct mj_reader_opts *opts)
{
	if (opts && opts->sheet_read)
		opts->sheet_read[0] = '\0';
	if (opts && opts->sheet_count)
		*opts->sheet_count = 0;
}

static enum mj_status read_archive(unzFile uf, const char *name,
				   const struct mj_reader_opts *opts,
				   mj_row_fn on_row, void *ctx, struct mj_error *err)
{
	struct book b = {.name = name, .opts = opts, .uf = uf, .err = err,
			 .on_row = on_row, .ctx = ctx};
	if (!uf) {
		fail(&b, MJ_E_PARSE, 0, 0,
		     "cannot read as a workbook: not a valid zip archive (damaged or cut short?)");
		return b.status;
	}
	enum mj_status st = book_read(&b);
	book_free(&b);
	return st;
}

enum mj_status mj_xlsx_read_memory(const void *data, size_t len, const char *name,
				   const struct mj_reader_opts *opts,
				   mj_row_fn on_row, void *ctx, struct mj_error *err)
{
	sheet_read_clear(opts);
	struct memfile m = {.data = data, .len = len};
	zlib_filefunc64_def io = {
		.zopen64_file = mem_open, .zread_file = mem_read,
		.zwrite_file = mem_write, .ztell64_file = mem_tell,
		.zseek64_file = mem_seek, .zclose_file = mem_close,
		.zerror_file = mem_error, .opaque = &m,
	};
	if (mj_xlsx_sniff(data, len) == 2)
		return mj_error_set(err, MJ_E_UNSUPPORTED, name, 0, 0, OLE_MESSAGE);
	return read_archive(unzOpen2_64(name, &io), name, opts, on_row, ctx, err);
}

enum mj_status mj_xlsx_read_rows(const char *path, const struct mj_reader_opts *opts,
				 mj_row_fn on_row, void *ctx, struct mj_error *err)
{
	sheet_read_clear(opts);
	FILE *f = fopen(path, "rb");
	if (!f)
		return mj_error_set(err, MJ_E_IO, path, 0, 0, "cannot open: %s",
				    strerror(errno));
	unsigned char magic[8];
	size_t got = fread(magic, 1, sizeof magic, f);
	fclose(f);
	if (mj_xlsx_sniff(magic, got) == 2)
		return mj_error_set(err, MJ_E_UNSUPPORTED, path, 0, 0, OLE_MESSAGE);
	return read_archive(unzOpen64(path), path, opts, on_row, ctx, err);
}

enum mj_status mj_xlsx_read_fd(int fd, const void *head, size_t headlen,
			       const char *name, const struct mj_reader_opts *opts,
			       mj_row_fn on_row, void *ctx, struct mj_error *err)
{
	sheet_read_clear(opts);
	size_t cap = headlen > (1u << 20) ? headlen * 2 : (1u << 20), len = headlen;
	unsigned char *buf = malloc(cap);
	if (!buf)
		return mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
	memcpy(buf, head, headlen);
	for (;;) {
		if (len == cap) {
			if (cap >= MJ_XLSX_MAX_STDIN) {
				free(buf);
				return mj_error_set(err, MJ_E_LIMIT, name, 0, 0,
					"a workbook read from a pipe may be at most %u MiB; give its file name instead",
					MJ_XLSX_MAX_STDIN >> 20);
			}
			unsigned char *p = realloc(buf, cap * 2);
			if (!p) {
				free(buf);
				return mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
			}
			buf = p;
			cap *= 2;
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(buf);
			return mj_error_set(err, MJ_E_IO, name, 0, 0, "read error: %s",
					    strerror(e));
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	enum mj_status st = mj_xlsx_read_memory(buf, len, name, opts, on_row, ctx, err);
	free(buf);
	return st;
}
