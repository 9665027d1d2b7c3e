/* Auditing a published table: parse it, recompute its percents from its
 * counts at the printed precision and check its parts against its wholes. */
#include "murojaat/audit.h"

#include <glib.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvdoc.h"
#include "grow.h"
#include "murojaat/schema.h"
#include "murojaat/table.h"
#include "i18n.h"
#include "text.h"

/* Counts times 100 times 10^6 do not fit 64 bits; exact rounding needs 128. */
__extension__ typedef unsigned __int128 u128;

/* Published tables are typed by hand; anything this large is not one. */
#define AUDIT_MAX_BYTES (64u * 1024 * 1024)

static const char *const kind_names[MJ_AUDIT_KIND_COUNT] = {
	[MJ_AUDIT_PERCENT] = "percent",
	[MJ_AUDIT_PART_LARGER] = "part-larger",
	[MJ_AUDIT_SUM] = "sum",
	[MJ_AUDIT_SUM_OVER] = "sum-over",
	[MJ_AUDIT_PERCENT_SUM] = "percent-sum",
	[MJ_AUDIT_COUNT] = "count",
};

const char *mj_audit_kind_name(enum mj_audit_kind kind)
{
	if ((int)kind < 0 || kind >= MJ_AUDIT_KIND_COUNT)
		return "unknown";
	return kind_names[kind];
}

/* The columns a published table may have. */
enum column {
	COL_TABLE, COL_CATEGORY, COL_COUNT, COL_PERCENT, COL_OF, COL_RECORDS,
	COL_NOTE, COL_N
};

static const char *const column_names[COL_N] = {
	"table", "category", "count", "percent", "of", "records", "note"};

/* Other header names people type for the same columns. */
static const struct {
	const char *name;
	enum column col;
} column_aliases[] = {
	{"breakdown", COL_TABLE}, {"label", COL_CATEGORY},
	{"n", COL_COUNT}, {"%", COL_PERCENT}, {"pct", COL_PERCENT},
	{"base", COL_OF}, {"part of", COL_OF}, {"comment", COL_NOTE},
	{"where", COL_RECORDS},
};

struct row {
	unsigned long line;
	unsigned long cols[COL_N]; /* column of each field (0: absent) */
	char *table, *category, *of;
	char *records;           /* what the count is of in records, or "" */
	char *table_key, *category_key;
	int has_count;
	unsigned long long count;
	int has_percent;
	unsigned long long pct;  /* printed percent times 10^decimals */
	int decimals;
	long whole;              /* index of the row named by of, or -1 */
};

struct breakdown {
	size_t whole;    /* row index of the whole */
	size_t *parts;   /* row indexes, in line order */
	size_t nparts, cap;
	int partial;     /* a part is left unprinted (empty count) */
};

struct mj_audit_doc {
	char *path;
	struct row *rows;
	size_t nrows;
	struct breakdown *bds;
	size_t nbds;
	size_t npercents;
};

/* A finding under construction, with its sort key. */
struct item {
	struct mj_audit_finding f;
	size_t seq;
};

struct mj_audit_report {
	struct item *items;
	size_t n, cap;
	struct mj_error *notes;
	size_t nnotes, notes_cap;
	struct mj_audit_totals totals;
};

struct mj_audit_counts {
	const struct mj_schema *schema;
	struct mj_schema *own_schema;
	int *dims;                /* dimension of each table */
	struct mj_table **tables; /* one-way tables, one per dimension */
	size_t n;
	struct mj_run_stats stats;
};

/* ---- numbers as printed ---- */

/* Skip one separator inside a number: ',' or a space, a no-break space
 * (U+00A0) or a narrow no-break space (U+202F). Returns its length or 0. */
static size_t group_separator(const char *s)
{
	if (*s == ',' || *s == ' ' || *s == '\'')
		return 1;
	if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
		return 2;
	if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
	    (unsigned char)s[2] == 0xAF)
		return 3;
	return 0;
}

/* Read digits grouped by thousands ("10,927", "10 927", "1046"): returns
 * the number of bytes read, 0 when s does not start with a digit, -1 when
 * the grouping is broken and -2 when the number is too large. */
static long read_grouped(const char *s, unsigned long long *out)
{
	const char *p = s;
	unsigned long long v = 0;
	size_t first = 0;
	while (*p >= '0' && *p <= '9') {
		if (v > MJ_AUDIT_MAX_COUNT)
			return -2;
		v = v * 10 + (unsigned)(*p++ - '0');
		first++;
	}
	if (first == 0)
		return 0;
	int grouped = 0;
	for (;;) {
		size_t sep = group_separator(p);
		if (!sep || !(p[sep] >= '0' && p[sep] <= '9'))
			break;
		const char *q = p + sep;
		size_t k = 0;
		while (q[k] >= '0' && q[k] <= '9' && k < 4)
			k++;
		if (k != 3 || (!grouped && first > 3))
			return -1;
		if (v > MJ_AUDIT_MAX_COUNT)
			return -2;
		v = v * 1000 + (unsigned)(q[0] - '0') * 100 +
		    (unsigned)(q[1] - '0') * 10 + (unsigned)(q[2] - '0');
		grouped = 1;
		p = q + 3;
	}
	if (v > MJ_AUDIT_MAX_COUNT)
		return -2;
	*out = v;
	return (long)(p - s);
}

/* Words for "thousand" in the publications this serves. */
static const char *const thousand_words[] = {
	"thousand", "тысяч", "тысячи", "тысяча", "тыс.", "тыс", "ming", "минг"};

/* Parse a count as printed: "10,927", "10 927", "1046" or
 * "10 thousand 927". Returns 0, or -1 with why filled. */
static int parse_count(const char *s, unsigned long long *out,
		       const char **why)
{
	unsigned long long v = 0;
	long n = read_grouped(s, &v);
	*why = "a count is a whole number like 10927, 10,927 or "
	       "10 thousand 927";
	if (n == -1)
		*why = "thousands are grouped by three digits, as in 10,927";
	if (n == -2)
		goto too_large;
	if (n <= 0)
		return -1;
	const char *p = s + n;
	if (*p == ' ') {
		const char *w = p;
		while (*w == ' ')
			w++;
		for (size_t i = 0; i < sizeof thousand_words / sizeof *thousand_words; i++) {
			size_t wl = strlen(thousand_words[i]);
			if (strncasecmp(w, thousand_words[i], wl) != 0)
				continue;
			const char *q = w + wl;
			if (*q != '\0' && *q != ' ')
				continue;
			while (*q == ' ')
				q++;
			unsigned long long rest = 0;
			const char *r = q;
			while (*r >= '0' && *r <= '9' && r - q < 4)
				rest = rest * 10 + (unsigned)(*r++ - '0');
			if (r == q) {
				rest = 0;
			} else if (r - q != 3) {
				*why = "after \"thousand\" come three digits, as in "
				       "10 thousand 927";
				return -1;
			}
			if (v > MJ_AUDIT_MAX_COUNT / 1000)
				goto too_large;
			v = v * 1000 + rest;
			p = r;
			break;
		}
	}
	if (*p == '.') {
		*why = "a count is a whole number (no decimals)";
		return -1;
	}
	if (*p != '\0')
		return -1;
	if (v > MJ_AUDIT_MAX_COUNT)
		goto too_large;
	*out = v;
	return 0;
too_large:
	*why = "a count is at most 1,000,000,000,000,000";
	return -1;
}

/* Parse a percent as printed: "14.1", "9", "0.6%", "7.1 %", "22 percent",
 * "14,1" (decimal comma). Returns 0 with the value times 10^decimals in
 * *value, or -1 with why filled. */
static int parse_percent(const char *s, unsigned long long *value,
			 int *decimals, const char **why)
{
	const char *p = s;
	unsigned long long v = 0;
	int intdigits = 0, dec = 0;
	*why = "a percent is a number like 14.1, 9, 0.6% or 22 percent";
	while (*p >= '0' && *p <= '9') {
		if (++intdigits > 9)
			return -1;
		v = v * 10 + (unsigned)(*p++ - '0');
	}
	if (intdigits == 0)
		return -1;
	if ((*p == '.' || *p == ',') && p[1] >= '0' && p[1] <= '9') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (++dec > MJ_AUDIT_MAX_DECIMALS) {
				*why = "a percent has at most 6 decimals";
				return -1;
			}
			v = v * 10 + (unsigned)(*p++ - '0');
		}
	}
	while (*p == ' ')
		p++;
	static const char *const signs[] = {"%", "percent", "per cent",
					    "процента", "процентов", "процент",
					    "foiz"};
	for (size_t i = 0; i < sizeof signs / sizeof *signs; i++) {
		size_t l = strlen(signs[i]);
		if (strncasecmp(p, signs[i], l) == 0) {
			p += l;
			break;
		}
	}
	if (*p != '\0')
		return -1;
	*value = v;
	*decimals = dec;
	return 0;
}

/* v / 10^decimals as text ("14.1"). */
static void format_scaled(u128 v, int decimals, char *buf, size_t len)
{
	char digits[48];
	size_t n = 0;
	do {
		digits[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v > 0 || n <= (size_t)decimals);
	size_t out = 0;
	while (n > 0 && out + 2 < len) {
		if (n == (size_t)decimals)
			buf[out++] = '.';
		buf[out++] = digits[--n];
	}
	buf[out] = '\0';
}

/* text, a number written as "10,927" or "14.1", as the language of the
 * messages writes numbers, for the findings' sentences (the JSON fields
 * keep the plain form). A reader of Russian takes "10,927" for ten and a
 * bit: the catalogue's translation of "1,234.5" gives the thousands mark
 * and the decimal sign ("1 234,5"). */
static char *in_message_style(const char *text, char *buf, size_t len)
{
	/* TRANSLATORS: this number as your language writes it, with its
	 * thousands mark and decimal sign (e.g. 1 234,5); the findings of
	 * mj-audit print their numbers so. */
	const char *style = MJ_("1,234.5");
	char thousands[8] = ",", decimal[8] = ".";
	const char *mid = strstr(style, "234"), *five = mid ? strchr(mid, '5') : NULL;
	if (style[0] == '1' && mid && five && (size_t)(mid - style - 1) < sizeof thousands &&
	    (size_t)(five - mid - 3) < sizeof decimal && five > mid + 3) {
		memcpy(thousands, style + 1, (size_t)(mid - style - 1));
		thousands[mid - style - 1] = '\0';
		memcpy(decimal, mid + 3, (size_t)(five - mid - 3));
		decimal[five - mid - 3] = '\0';
	}
	size_t out = 0;
	for (const char *p = text; *p && out + sizeof thousands < len; p++) {
		const char *mark = *p == ',' ? thousands : *p == '.' ? decimal : NULL;
		if (mark) {
			memcpy(buf + out, mark, strlen(mark));
			out += strlen(mark);
		} else {
			buf[out++] = *p;
		}
	}
	buf[out] = '\0';
	return buf;
}

/* A count with thousands marks, as the messages write numbers ("10,927";
 * "10 927" in Russian). Used in the findings' sentences only. */
static void format_count(unsigned long long v, char *buf, size_t len)
{
	char raw[32], plain[48];
	snprintf(raw, sizeof raw, "%llu", v);
	size_t n = strlen(raw), out = 0;
	for (size_t i = 0; i < n && out + 2 < sizeof plain; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			plain[out++] = ',';
		plain[out++] = raw[i];
	}
	plain[out] = '\0';
	in_message_style(plain, buf, len);
}

/* count / base * 100 at the given decimals, rounded half up and half to
 * even (they differ only at an exact half). base > 0. */
static void percent_rounded(unsigned long long count, unsigned long long base,
			    int decimals, u128 *half_up, u128 *half_even)
{
	u128 num = (u128)count * 100;
	for (int i = 0; i < decimals; i++)
		num *= 10;
	u128 q = num / base, r = num % base;
	u128 twice = r * 2;
	*half_up = twice >= base ? q + 1 : q;
	*half_even = twice > base || (twice == base && (q & 1)) ? q + 1 : q;
}

/* ---- parsing ---- */

/* A copy of text without its comment lines (first non-blank character '#'
 * at the start of a row), keeping every newline so lines still count. */
static char *strip_comments(const char *text, size_t len, size_t *outlen)
{
	char *out = malloc(len + 1);
	if (!out)
		return NULL;
	size_t n = 0;
	int quoted = 0, line_start = 1;
	for (size_t i = 0; i < len; i++) {
		if (line_start && !quoted) {
			size_t j = i;
			while (j < len && (text[j] == ' ' || text[j] == '\t'))
				j++;
			if (j < len && text[j] == '#') {
				while (j < len && text[j] != '\n')
					j++;
				i = j;
				if (i == len)
					break;
			}
		}
		char c = text[i];
		out[n++] = c;
		if (c == '"')
			quoted = !quoted;
		line_start = c == '\n';
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

/* The delimiter of the header: the first line that is not blank. */
static char detect_delimiter(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len && (text[i] == '\n' || text[i] == '\r' ||
			   text[i] == ' ' || text[i] == '\t'))
		i++;
	return mj_csv_detect_delimiter(text + i, len - i);
}

static void row_free(struct row *r)
{
	free(r->table);
	free(r->category);
	free(r->of);
	free(r->records);
	free(r->table_key);
	free(r->category_key);
}

void mj_audit_doc_destroy(struct mj_audit_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->nrows; i++)
		row_free(&doc->rows[i]);
	free(doc->rows);
	for (size_t i = 0; i < doc->nbds; i++)
		free(doc->bds[i].parts);
	free(doc->bds);
	free(doc->path);
	free(doc);
}

static enum mj_status map_header(const struct mj_csvrow *hdr, int *colof,
				 const char *path, struct mj_error *err)
{
	for (size_t c = 0; c < COL_N; c++)
		colof[c] = -1;
	for (size_t i = 0; i < hdr->nfields; i++) {
		const struct mj_csvfield *f = &hdr->fields[i];
		char *key = mj_text_key(f->text, f->len);
		if (!key)
			return mj_error_set(err, MJ_E_ENCODING, path, f->line,
					    f->column, "not valid UTF-8");
		int col = -1;
		for (size_t c = 0; c < COL_N && col < 0; c++)
			if (strcmp(key, column_names[c]) == 0)
				col = (int)c;
		for (size_t a = 0; a < sizeof column_aliases / sizeof *column_aliases && col < 0; a++)
			if (strcmp(key, column_aliases[a].name) == 0)
				col = (int)column_aliases[a].col;
		if (col < 0 && key[0] == '\0') {
			free(key);
			continue;
		}
		if (col < 0) {
			mj_error_set(err, MJ_E_PARSE, path, f->line, f->column,
				     "unknown column '%s' (the columns are table, "
				     "category, count, percent, of, records and "
				     "note)",
				     f->text);
			free(key);
			return MJ_E_PARSE;
		}
		free(key);
		if (colof[col] >= 0)
			return mj_error_set(err, MJ_E_PARSE, path, f->line,
					    f->column, "column '%s' appears twice",
					    column_names[col]);
		colof[col] = (int)i;
	}
	if (colof[COL_CATEGORY] < 0 || colof[COL_COUNT] < 0)
		return mj_error_set(err, MJ_E_PARSE, path, hdr->line, 1,
				    "the header needs the columns category and "
				    "count (and usually table, percent and of)");
	if (colof[COL_PERCENT] >= 0 && colof[COL_OF] < 0)
		return mj_error_set(err, MJ_E_PARSE, path, hdr->line, 1,
				    "a percent column needs an of column naming "
				    "the row each percent is of");
	return MJ_OK;
}

/* The trimmed text of a row's field in column c, or "" when absent. */
static const char *field_text(const struct mj_csvrow *row, const int *colof,
			      int c, unsigned long *column)
{
	*column = 0;
	if (colof[c] < 0 || (size_t)colof[c] >= row->nfields)
		return "";
	struct mj_csvfield *f = &row->fields[colof[c]];
	*column = f->column;
	return mj_text_trim(f->text);
}

static enum mj_status read_row(struct row *r, const struct mj_csvrow *in,
			       const int *colof, size_t ncols,
			       const char *path, struct mj_error *err)
{
	unsigned long col;
	r->line = in->line;
	r->whole = -1;
	for (size_t i = ncols; i < in->nfields; i++) {
		if (mj_text_trim(in->fields[i].text)[0] != '\0')
			return mj_error_set(err, MJ_E_PARSE, path,
					    in->fields[i].line,
					    in->fields[i].column,
					    "this row has more fields than "
					    "the header's %zu", ncols);
	}
	const char *table = field_text(in, colof, COL_TABLE, &col);
	r->cols[COL_TABLE] = col ? col : 1;
	const char *cat = field_text(in, colof, COL_CATEGORY, &col);
	r->cols[COL_CATEGORY] = col ? col : 1;
	const char *count = field_text(in, colof, COL_COUNT, &col);
	r->cols[COL_COUNT] = col ? col : 1;
	const char *pct = field_text(in, colof, COL_PERCENT, &col);
	r->cols[COL_PERCENT] = col ? col : 1;
	const char *of = field_text(in, colof, COL_OF, &col);
	r->cols[COL_OF] = col ? col : 1;
	const char *records = field_text(in, colof, COL_RECORDS, &col);
	r->cols[COL_RECORDS] = col ? col : 1;

	r->table = strdup(table);
	r->category = strdup(cat);
	r->of = strdup(of);
	r->records = strdup(records);
	if (!r->table || !r->category || !r->of || !r->records)
		return mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
	r->table_key = mj_text_key(table, strlen(table));
	if (!r->table_key)
		return mj_error_set(err, MJ_E_ENCODING, path, r->line,
				    r->cols[COL_TABLE], "not valid UTF-8");
	r->category_key = mj_text_key(cat, strlen(cat));
	if (!r->category_key)
		return mj_error_set(err, MJ_E_ENCODING, path, r->line,
				    r->cols[COL_CATEGORY], "not valid UTF-8");
	if (cat[0] == '\0')
		return mj_error_set(err, MJ_E_VALUE, path, r->line,
				    r->cols[COL_CATEGORY],
				    "the category is empty; every row needs "
				    "a label");
	const char *why;
	if (count[0] != '\0') {
		if (parse_count(count, &r->count, &why) != 0)
			return mj_error_set(err, MJ_E_VALUE, path, r->line,
					    r->cols[COL_COUNT],
					    "count '%s': %s", count, why);
		r->has_count = 1;
	}
	if (pct[0] != '\0') {
		if (parse_percent(pct, &r->pct, &r->decimals, &why) != 0)
			return mj_error_set(err, MJ_E_VALUE, path, r->line,
					    r->cols[COL_PERCENT],
					    "percent '%s': %s", pct, why);
		r->has_percent = 1;
		if (of[0] == '\0')
			return mj_error_set(err, MJ_E_VALUE, path, r->line,
					    r->cols[COL_OF],
					    "a percent is printed but of is empty; "
					    "name the row it is a percent of");
	}
	return MJ_OK;
}

/* Look-ups from a name to the rows it names, so that resolving every of
 * stays linear in the number of rows. Values are row index + 1; a second
 * map keeps the second row of a name that names several. */
struct names {
	GHashTable *first, *second;       /* category key -> row + 1 */
	GHashTable *tc_first, *tc_second; /* "table\x1fcategory" -> row + 1 */
};

static char *table_category_key(const char *table, size_t tlen,
				const char *category)
{
	return g_strdup_printf("%.*s\x1f%s", (int)tlen, table, category);
}

static void names_init(struct names *n, const struct mj_audit_doc *doc)
{
	n->first = g_hash_table_new(g_str_hash, g_str_equal);
	n->second = g_hash_table_new(g_str_hash, g_str_equal);
	n->tc_first = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	n->tc_second = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (size_t i = 0; i < doc->nrows; i++) {
		const struct row *r = &doc->rows[i];
		gpointer v = GSIZE_TO_POINTER(i + 1);
		if (!g_hash_table_contains(n->first, r->category_key))
			g_hash_table_insert(n->first, r->category_key, v);
		else if (!g_hash_table_contains(n->second, r->category_key))
			g_hash_table_insert(n->second, r->category_key, v);
		char *tc = table_category_key(r->table_key,
					      strlen(r->table_key),
					      r->category_key);
		if (!g_hash_table_contains(n->tc_first, tc))
			g_hash_table_insert(n->tc_first, tc, v);
		else if (!g_hash_table_contains(n->tc_second, tc))
			g_hash_table_insert(n->tc_second, tc, v);
		else
			g_free(tc);
	}
}

static void names_free(struct names *n)
{
	g_hash_table_destroy(n->first);
	g_hash_table_destroy(n->second);
	g_hash_table_destroy(n->tc_first);
	g_hash_table_destroy(n->tc_second);
}

/* Find the row named by r->of: "TABLE:CATEGORY" when the part before the
 * colon is a table, else the category alone, which must be unique. */
static enum mj_status resolve_of(struct mj_audit_doc *doc, size_t idx,
				 const struct names *names,
				 struct mj_error *err)
{
	struct row *r = &doc->rows[idx];
	if (r->of[0] == '\0')
		return MJ_OK;
	char *key = mj_text_key(r->of, strlen(r->of));
	if (!key)
		return mj_error_set(err, MJ_E_ENCODING, doc->path, r->line,
				    r->cols[COL_OF], "not valid UTF-8");
	size_t first = 0, second = 0; /* row + 1, or 0 */
	const char *colon = strchr(key, ':');
	if (colon) {
		size_t tl = (size_t)(colon - key);
		const char *ck = colon + 1;
		while (*ck == ' ')
			ck++;
		while (tl > 0 && key[tl - 1] == ' ')
			tl--;
		char *tc = table_category_key(key, tl, ck);
		first = GPOINTER_TO_SIZE(g_hash_table_lookup(names->tc_first, tc));
		second = GPOINTER_TO_SIZE(g_hash_table_lookup(names->tc_second, tc));
		g_free(tc);
	}
	if (!first) {
		first = GPOINTER_TO_SIZE(g_hash_table_lookup(names->first, key));
		second = GPOINTER_TO_SIZE(g_hash_table_lookup(names->second, key));
	}
	free(key);
	if (second) {
		const struct row *a = &doc->rows[first - 1];
		const struct row *b = &doc->rows[second - 1];
		return mj_error_set(err, MJ_E_VALUE, doc->path, r->line,
				    r->cols[COL_OF],
				    "'%s' names the rows on lines %lu and %lu; "
				    "write TABLE:CATEGORY, as in %s:%s", r->of,
				    a->line, b->line,
				    a->table[0] ? a->table : "TABLE",
				    a->category);
	}
	if (!first)
		return mj_error_set(err, MJ_E_VALUE, doc->path, r->line,
				    r->cols[COL_OF],
				    "no row has the category '%s' (of names "
				    "the row this one is a part of)", r->of);
	size_t found = first - 1;
	if (found == idx)
		return mj_error_set(err, MJ_E_VALUE, doc->path, r->line,
				    r->cols[COL_OF],
				    "a row cannot be a part of itself");
	const struct row *w = &doc->rows[found];
	if (!w->has_count)
		return mj_error_set(err, MJ_E_VALUE, doc->path, r->line,
				    r->cols[COL_OF],
				    "'%s' (line %lu) has no count, so nothing "
				    "can be a part of it", r->of, w->line);
	r->whole = (long)found;
	return MJ_OK;
}

/* Refuse "A is part of B, B is part of A" chains. Each row is walked once:
 * state 1 marks the path being followed, 2 a row known to end well. */
static enum mj_status check_cycles(const struct mj_audit_doc *doc,
				   struct mj_error *err)
{
	unsigned char *state = calloc(doc->nrows ? doc->nrows : 1, 1);
	if (!state)
		return mj_error_set(err, MJ_E_NOMEM, doc->path, 0, 0,
				    "out of memory");
	enum mj_status st = MJ_OK;
	for (size_t i = 0; i < doc->nrows && st == MJ_OK; i++) {
		long w = (long)i;
		while (w >= 0 && state[w] == 0) {
			state[w] = 1;
			w = doc->rows[w].whole;
		}
		if (w >= 0 && state[w] == 1) {
			const struct row *r = &doc->rows[w];
			st = mj_error_set(err, MJ_E_VALUE, doc->path, r->line,
					  r->cols[COL_OF],
					  "'%s' is, through of, a part of itself",
					  r->category);
		}
		for (long v = (long)i; v >= 0 && state[v] == 1;
		     v = doc->rows[v].whole)
			state[v] = 2;
	}
	free(state);
	return st;
}

/* Group parts into breakdowns: rows of one table that share their whole. */
static enum mj_status group_breakdowns(struct mj_audit_doc *doc,
				       struct mj_error *err)
{
	enum mj_status st = MJ_OK;
	size_t cap = 0;
	GHashTable *index = g_hash_table_new_full(g_str_hash, g_str_equal,
						  g_free, NULL);
	for (size_t i = 0; i < doc->nrows; i++) {
		const struct row *r = &doc->rows[i];
		if (r->whole < 0)
			continue;
		char *key = g_strdup_printf("%s\x1f%ld", r->table_key, r->whole);
		size_t k = GPOINTER_TO_SIZE(g_hash_table_lookup(index, key));
		if (k) {
			g_free(key);
		} else {
			if (mj_grow(&doc->bds, &cap, doc->nbds, sizeof *doc->bds) != 0) {
				g_free(key);
				goto nomem;
			}
			struct breakdown *b = &doc->bds[doc->nbds++];
			memset(b, 0, sizeof *b);
			b->whole = (size_t)r->whole;
			k = doc->nbds;
			g_hash_table_insert(index, key, GSIZE_TO_POINTER(k));
		}
		struct breakdown *b = &doc->bds[k - 1];
		if (mj_grow(&b->parts, &b->cap, b->nparts, sizeof *b->parts) != 0)
			goto nomem;
		b->parts[b->nparts++] = i;
		if (!r->has_count)
			b->partial = 1;
	}
	goto done;
nomem:
	st = mj_error_set(err, MJ_E_NOMEM, doc->path, 0, 0, "out of memory");
done:
	g_hash_table_destroy(index);
	return st;
}

struct mj_audit_doc *mj_audit_doc_parse(const char *path, const char *text,
					size_t len, struct mj_error *err)
{
	struct mj_csvdoc csv = {0};
	struct mj_audit_doc *doc = calloc(1, sizeof *doc);
	size_t slen = 0;
	char *stripped = NULL;
	if (!doc)
		goto nomem;
	doc->path = strdup(path ? path : "-");
	if (!doc->path)
		goto nomem;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (memchr(text, '\0', len)) {
		const char *z = memchr(text, '\0', len);
		unsigned long line = 1;
		for (const char *p = text; p < z; p++)
			line += *p == '\n';
		mj_error_set(err, MJ_E_PARSE, doc->path, line, 0,
			     "a NUL byte: this is not a text file");
		goto fail;
	}
	stripped = strip_comments(text, len, &slen);
	if (!stripped)
		goto nomem;
	if (mj_csvdoc_parse(&csv, doc->path, stripped, slen,
			    detect_delimiter(stripped, slen), 0, err) != MJ_OK)
		goto fail;
	if (csv.nrows == 0) {
		mj_error_set(err, MJ_E_EMPTY, doc->path, 0, 0,
			     "no header and no rows: a published table needs "
			     "the header table,category,count,percent,of");
		goto fail;
	}
	int colof[COL_N];
	if (map_header(&csv.rows[0], colof, doc->path, err) != MJ_OK)
		goto fail;
	size_t ncols = csv.rows[0].nfields;
	doc->rows = calloc(csv.nrows, sizeof *doc->rows);
	if (!doc->rows)
		goto nomem;
	for (size_t i = 1; i < csv.nrows; i++) {
		/* Spreadsheets save empty rows as ",,,,": nothing to read. */
		int empty = 1;
		for (size_t f = 0; f < csv.rows[i].nfields && empty; f++)
			empty = mj_text_trim(csv.rows[i].fields[f].text)[0] == '\0';
		if (empty)
			continue;
		struct row *r = &doc->rows[doc->nrows++];
		if (read_row(r, &csv.rows[i], colof, ncols, doc->path, err) != MJ_OK)
			goto fail;
		doc->npercents += (size_t)r->has_percent;
	}
	struct names names;
	names_init(&names, doc);
	for (size_t i = 0; i < doc->nrows; i++) {
		if (resolve_of(doc, i, &names, err) != MJ_OK) {
			names_free(&names);
			goto fail;
		}
	}
	names_free(&names);
	if (check_cycles(doc, err) != MJ_OK ||
	    group_breakdowns(doc, err) != MJ_OK)
		goto fail;
	mj_csvdoc_free(&csv);
	free(stripped);
	return doc;
nomem:
	mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
fail:
	mj_csvdoc_free(&csv);
	free(stripped);
	mj_audit_doc_destroy(doc);
	return NULL;
}

enum mj_status mj_audit_docs_load(const char *const *files, size_t nfiles,
				  struct mj_audit_doc **docs, size_t *ndocs,
				  void (*on_problem)(void *ctx, const struct mj_error *problem,
						     int fatal),
				  void *ctx)
{
	enum mj_status st = MJ_OK;
	*ndocs = 0;
	for (size_t i = 0; i < nfiles; i++) {
		struct mj_error err;
		mj_error_clear(&err);
		docs[*ndocs] = mj_audit_doc_load(files[i], &err);
		if (docs[*ndocs]) {
			++*ndocs;
			continue;
		}
		st = err.status;
		if (on_problem)
			on_problem(ctx, &err, 1);
	}
	return st;
}

struct mj_audit_doc *mj_audit_doc_load(const char *path, struct mj_error *err)
{
	char *data = NULL;
	size_t len = 0;
	if (mj_read_file(path, AUDIT_MAX_BYTES, &data, &len, err) != MJ_OK)
		return NULL;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct mj_audit_doc *doc = mj_audit_doc_parse(name, data, len, err);
	free(data);
	return doc;
}

size_t mj_audit_doc_nrows(const struct mj_audit_doc *doc)
{
	return doc->nrows;
}

size_t mj_audit_doc_npercents(const struct mj_audit_doc *doc)
{
	return doc->npercents;
}

size_t mj_audit_doc_nbreakdowns(const struct mj_audit_doc *doc)
{
	return doc->nbds;
}

/* ---- findings ---- */

struct mj_audit_report *mj_audit_report_new(void)
{
	return calloc(1, sizeof(struct mj_audit_report));
}

static void finding_free(struct mj_audit_finding *f)
{
	free((char *)f->path);
	free((char *)f->table);
	free((char *)f->category);
	free((char *)f->computed);
	free((char *)f->printed);
	free((char *)f->tolerance);
	free((char *)f->where);
	free((char *)f->message);
}

void mj_audit_report_destroy(struct mj_audit_report *report)
{
	if (!report)
		return;
	for (size_t i = 0; i < report->n; i++)
		finding_free(&report->items[i].f);
	free(report->items);
	free(report->notes);
	free(report);
}

size_t mj_audit_report_count(const struct mj_audit_report *report)
{
	return report->n;
}

const struct mj_audit_finding *
mj_audit_report_get(const struct mj_audit_report *report, size_t i)
{
	return i < report->n ? &report->items[i].f : NULL;
}

size_t mj_audit_report_nnotes(const struct mj_audit_report *report)
{
	return report->nnotes;
}

const struct mj_error *
mj_audit_report_note(const struct mj_audit_report *report, size_t i)
{
	return i < report->nnotes ? &report->notes[i] : NULL;
}

/* Append a note at a row's position. Returns 0, or -1 out of memory. */
static int add_note(struct mj_audit_report *rep, const char *path,
		    unsigned long line, unsigned long column, const char *msg)
{
	if (mj_grow(&rep->notes, &rep->notes_cap, rep->nnotes, sizeof *rep->notes) != 0)
		return -1;
	struct mj_error *e = &rep->notes[rep->nnotes++];
	mj_error_set(e, MJ_OK, path, line, column, "%s", msg);
	return 0;
}

void mj_audit_report_totals(const struct mj_audit_report *report,
			    struct mj_audit_totals *totals)
{
	*totals = report->totals;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Append a finding; strings are copied. Returns 0, or -1 out of memory. */
static int add_finding(struct mj_audit_report *rep,
		       const struct mj_audit_finding *f)
{
	if (mj_grow(&rep->items, &rep->cap, rep->n, sizeof *rep->items) != 0)
		return -1;
	struct item *it = &rep->items[rep->n];
	memset(it, 0, sizeof *it);
	it->seq = rep->n;
	it->f = *f;
	it->f.path = dup_or_null(f->path);
	it->f.table = dup_or_null(f->table);
	it->f.category = dup_or_null(f->category);
	it->f.computed = dup_or_null(f->computed);
	it->f.printed = dup_or_null(f->printed);
	it->f.tolerance = dup_or_null(f->tolerance);
	it->f.where = dup_or_null(f->where);
	it->f.message = dup_or_null(f->message);
	if ((f->path && !it->f.path) || (f->table && !it->f.table) ||
	    (f->category && !it->f.category) ||
	    (f->computed && !it->f.computed) ||
	    (f->printed && !it->f.printed) ||
	    (f->tolerance && !it->f.tolerance) ||
	    (f->where && !it->f.where) ||
	    (f->message && !it->f.message)) {
		finding_free(&it->f);
		return -1;
	}
	rep->n++;
	return 0;
}

/* How a breakdown is named in messages: its table, or "parts of WHOLE". */
static void breakdown_name(const struct mj_audit_doc *doc,
			   const struct breakdown *b, char *buf, size_t len)
{
	const struct row *first = &doc->rows[b->parts[0]];
	if (first->table[0])
		snprintf(buf, len, "%s", first->table);
	else
		snprintf(buf, len, MJ_("parts of %s"), doc->rows[b->whole].category);
}

static int check_row(const struct mj_audit_doc *doc, const struct row *r,
		     struct mj_audit_report *rep)
{
	if (r->whole < 0 || !r->has_count)
		return 0;
	const struct row *w = &doc->rows[r->whole];
	char msg[1024], c1[48], c2[48], pc[48], pp[48];
	struct mj_audit_finding f = {.path = doc->path, .line = r->line,
				     .table = r->table,
				     .category = r->category,
				     .count = r->count, .base = w->count};
	format_count(r->count, c1, sizeof c1);
	format_count(w->count, c2, sizeof c2);
	if (r->count > w->count) {
		f.kind = MJ_AUDIT_PART_LARGER;
		snprintf(msg, sizeof msg,
			 MJ_("%s: %s is larger than its whole, %s, %s"),
			 r->category, c1, w->category, c2);
		f.message = msg;
		if (add_finding(rep, &f) != 0)
			return -1;
	}
	if (!r->has_percent || w->count == 0)
		return 0;
	u128 up, even;
	percent_rounded(r->count, w->count, r->decimals, &up, &even);
	if (r->pct == up || r->pct == even)
		return 0;
	format_scaled(up, r->decimals, pc, sizeof pc);
	format_scaled(r->pct, r->decimals, pp, sizeof pp);
	f.kind = MJ_AUDIT_PERCENT;
	f.computed = pc;
	f.printed = pp;
	char mpc[64], mpp[64];
	snprintf(msg, sizeof msg, MJ_("%s: %s of %s is %s%%, printed %s%%"),
		 r->category, c1, c2, in_message_style(pc, mpc, sizeof mpc),
		 in_message_style(pp, mpp, sizeof mpp));
	f.message = msg;
	return add_finding(rep, &f);
}

static unsigned long long pow10u(int n)
{
	unsigned long long v = 1;
	while (n-- > 0)
		v *= 10;
	return v;
}

static int check_breakdown(const struct mj_audit_doc *doc,
			   const struct breakdown *b,
			   struct mj_audit_report *rep)
{
	const struct row *w = &doc->rows[b->whole];
	const struct row *first = &doc->rows[b->parts[0]];
	char name[512], msg[1024], c1[48], c2[48];
	breakdown_name(doc, b, name, sizeof name);
	struct mj_audit_finding f = {.path = doc->path, .line = first->line,
				     .table = first->table,
				     .category = w->category,
				     .base = w->count};
	/* Counts: the printed parts against their whole. */
	unsigned long long sum = 0;
	size_t counted = 0;
	for (size_t i = 0; i < b->nparts; i++) {
		const struct row *p = &doc->rows[b->parts[i]];
		if (p->has_count) {
			sum += p->count;
			counted++;
		}
	}
	format_count(sum, c1, sizeof c1);
	format_count(w->count, c2, sizeof c2);
	f.count = sum;
	f.nparts = counted;
	if (!b->partial && b->nparts >= 2 && sum != w->count) {
		f.kind = MJ_AUDIT_SUM;
		snprintf(msg, sizeof msg,
			 MJ_("%s: the %zu parts add up to %s, but their whole, "
			     "%s, is %s"), name, counted, c1, w->category, c2);
		f.message = msg;
		if (add_finding(rep, &f) != 0)
			return -1;
	} else if (b->partial && counted >= 2 && sum > w->count) {
		f.kind = MJ_AUDIT_SUM_OVER;
		snprintf(msg, sizeof msg,
			 MJ_("%s: the %zu parts shown add up to %s, more than "
			     "their whole, %s, %s"), name, counted, c1,
			 w->category, c2);
		f.message = msg;
		if (add_finding(rep, &f) != 0)
			return -1;
	}
	/* Percents: all in units of the finest printed precision; each
	 * printed percent may be off by half a unit of its last digit. */
	int maxdec = 0;
	size_t shown = 0;
	for (size_t i = 0; i < b->nparts; i++) {
		const struct row *p = &doc->rows[b->parts[i]];
		if (p->has_percent) {
			shown++;
			if (p->decimals > maxdec)
				maxdec = p->decimals;
		}
	}
	if (shown < 2)
		return 0;
	u128 total = 0, slack2 = 0; /* slack2: twice the tolerance */
	for (size_t i = 0; i < b->nparts; i++) {
		const struct row *p = &doc->rows[b->parts[i]];
		if (!p->has_percent)
			continue;
		unsigned long long scale = pow10u(maxdec - p->decimals);
		total += (u128)p->pct * scale;
		slack2 += scale;
	}
	u128 hundred = (u128)100 * pow10u(maxdec);
	int complete = !b->partial && shown == b->nparts;
	int bad = complete ? (total > hundred ? total - hundred : hundred - total) * 2 > slack2
			   : total > hundred && (total - hundred) * 2 > slack2;
	if (!bad)
		return 0;
	char ps[64], tol[64];
	format_scaled(total, maxdec, ps, sizeof ps);
	/* Half of slack2 units of 10^-maxdec is 5 * slack2 units of
	 * 10^-(maxdec+1); drop the trailing zeros. */
	format_scaled(slack2 * 5, maxdec + 1, tol, sizeof tol);
	size_t tl = strlen(tol);
	while (tl > 0 && tol[tl - 1] == '0')
		tol[--tl] = '\0';
	if (tl > 0 && tol[tl - 1] == '.')
		tol[--tl] = '\0';
	f.kind = MJ_AUDIT_PERCENT_SUM;
	f.count = 0;
	f.base = 0;
	f.nparts = shown;
	f.computed = "100";
	f.printed = ps;
	f.tolerance = tol;
	char mps[64], mtol[64];
	in_message_style(ps, mps, sizeof mps);
	in_message_style(tol, mtol, sizeof mtol);
	if (complete)
		snprintf(msg, sizeof msg,
			 MJ_("%s: the printed percents of the %zu parts of %s add "
			     "up to %s%%, not 100%% (rounding explains up to %s "
			     "points)"), name, shown, w->category, mps, mtol);
	else
		snprintf(msg, sizeof msg,
			 MJ_("%s: the printed percents of the %zu parts shown of "
			     "%s add up to %s%%, more than 100%% (rounding explains "
			     "up to %s points)"), name, shown, w->category, mps, mtol);
	f.message = msg;
	return add_finding(rep, &f);
}

/* ---- counts from records ---- */

enum key_kind {
	KEY_NONE,  /* nothing to compare with (why says so) */
	KEY_SKIP,  /* "-": not to be compared */
	KEY_ALL,   /* every record counted */
	KEY_CAT    /* records of one category of a dimension */
};

struct key {
	enum key_kind kind;
	int dim;
	const char *code; /* schema code, MJ_CODE_MISSING, or NULL ... */
	char *value;      /* ... the value as typed, for dimensions without a
			     fixed list (district, month); caller frees */
};

/* True when text names the "not stated" category in any language. */
static int is_missing(const struct mj_schema *s, const char *key)
{
	if (strcmp(key, MJ_CODE_MISSING) == 0 || strcmp(key, "not stated") == 0)
		return 1;
	for (int l = 0; l < MJ_LANG_COUNT; l++) {
		const char *label = mj_schema_missing_label(s, (enum mj_lang)l);
		char *k = label ? mj_text_key(label, strlen(label)) : NULL;
		int same = k && strcmp(k, key) == 0;
		free(k);
		if (same)
			return 1;
	}
	return 0;
}

static int countable(const struct mj_schema *s, int dim)
{
	enum mj_dim_kind k = mj_schema_dim_kind(s, (size_t)dim);
	return k == MJ_DIM_CATEGORY || k == MJ_DIM_OPEN || k == MJ_DIM_DERIVED;
}

/* What row r counts in the records. An explicit records value that names
 * nothing is an error at its position; a row whose table and category name
 * nothing gets KEY_NONE and why. */
static enum mj_status row_key(const struct mj_schema *s,
			      const struct mj_audit_doc *doc,
			      const struct row *r, struct key *k, char *why,
			      size_t whylen, struct mj_error *err)
{
	memset(k, 0, sizeof *k);
	k->dim = -1;
	const char *text = r->records;
	unsigned long col = r->cols[COL_RECORDS];
	if (strcmp(text, "-") == 0) {
		k->kind = KEY_SKIP;
		return MJ_OK;
	}
	char *key = mj_text_key(text, strlen(text));
	if (!key)
		return mj_error_set(err, MJ_E_ENCODING, doc->path, r->line, col,
				    "not valid UTF-8");
	if (strcmp(key, "all") == 0) {
		free(key);
		k->kind = KEY_ALL;
		return MJ_OK;
	}
	free(key);
	const char *dimtext, *value;
	char *buf = NULL;
	int explicit = text[0] != '\0';
	if (explicit) {
		const char *eq = strchr(text, '=');
		if (!eq)
			return mj_error_set(err, MJ_E_VALUE, doc->path, r->line,
					    col, "records '%s': write all, - or "
					    "DIMENSION=CATEGORY, as in "
					    "region=UZ-SU", text);
		buf = strdup(text);
		if (!buf)
			return mj_error_set(err, MJ_E_NOMEM, doc->path, 0, 0,
					    "out of memory");
		buf[eq - text] = '\0';
		dimtext = mj_text_trim(buf);
		value = mj_text_trim(buf + (eq - text) + 1);
	} else {
		dimtext = r->table;
		value = r->category;
	}
	enum mj_status st = MJ_OK;
	int dim = mj_schema_dim_find(s, dimtext);
	if (dim < 0 || !countable(s, dim)) {
		if (explicit)
			st = mj_error_set(err, MJ_E_VALUE, doc->path, r->line, col,
				dim < 0 ? "records: '%s' is not a dimension of "
					  "the schema"
					: "records: '%s' cannot be counted by "
					  "category (a date, number or id)",
				dimtext);
		else
			snprintf(why, whylen, MJ_("its table, '%s', is not a "
				 "dimension of the schema"), dimtext);
		goto done;
	}
	char *vkey = mj_text_key(value, strlen(value));
	if (!vkey) {
		st = mj_error_set(err, MJ_E_ENCODING, doc->path, r->line, col,
				  "not valid UTF-8");
		goto done;
	}
	if (is_missing(s, vkey)) {
		k->kind = KEY_CAT;
		k->dim = dim;
		k->code = MJ_CODE_MISSING;
	} else if (mj_schema_ncats(s, (size_t)dim) == 0) {
		k->kind = KEY_CAT;
		k->dim = dim;
		k->value = strdup(value);
		if (!k->value)
			st = mj_error_set(err, MJ_E_NOMEM, doc->path, 0, 0,
					  "out of memory");
	} else {
		int cat = mj_schema_cat_find(s, (size_t)dim, value);
		if (cat >= 0) {
			k->kind = KEY_CAT;
			k->dim = dim;
			k->code = mj_schema_cat_code(s, (size_t)dim, (size_t)cat);
		} else if (explicit) {
			st = mj_error_set(err, MJ_E_VALUE, doc->path, r->line,
					  col, "records: '%s' is not a category "
					  "of %s", value,
					  mj_schema_dim_name(s, (size_t)dim));
		} else {
			snprintf(why, whylen, MJ_("'%s' is not a category of %s"),
				 value, mj_schema_dim_name(s, (size_t)dim));
		}
	}
	free(vkey);
done:
	free(buf);
	return st;
}

void mj_audit_counts_destroy(struct mj_audit_counts *counts)
{
	if (!counts)
		return;
	for (size_t i = 0; i < counts->n; i++)
		mj_table_destroy(counts->tables[i]);
	free(counts->tables);
	free(counts->dims);
	mj_schema_destroy(counts->own_schema);
	free(counts);
}

const struct mj_run_stats *
mj_audit_counts_stats(const struct mj_audit_counts *counts)
{
	return &counts->stats;
}

/* Add dim to the dimensions to tabulate, once. */
static int want_dim(struct mj_audit_counts *c, int dim)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->dims[i] == dim)
			return 0;
	int *d = realloc(c->dims, (c->n + 1) * sizeof *d);
	if (!d)
		return -1;
	c->dims = d;
	c->dims[c->n++] = dim;
	return 0;
}

struct mj_audit_counts *mj_audit_counts_make(
	const struct mj_audit_doc *const *docs, size_t ndocs,
	const struct mj_run_opts *opts, const char *const *files,
	size_t nfiles, struct mj_error *err)
{
	struct mj_tab_spec *specs = NULL;
	struct mj_audit_counts *c = calloc(1, sizeof *c);
	if (!c)
		goto nomem;
	c->schema = opts->schema;
	if (!c->schema) {
		c->own_schema = mj_schema_default(err);
		if (!c->own_schema)
			goto fail;
		c->schema = c->own_schema;
	}
	/* Every explicit records value must name something before the
	 * records are read. */
	for (size_t d = 0; d < ndocs; d++) {
		for (size_t i = 0; i < docs[d]->nrows; i++) {
			const struct row *r = &docs[d]->rows[i];
			if (!r->has_count)
				continue;
			struct key k;
			char why[256];
			if (row_key(c->schema, docs[d], r, &k, why, sizeof why,
				    err) != MJ_OK)
				goto fail;
			free(k.value);
			if (k.kind == KEY_CAT && want_dim(c, k.dim) != 0)
				goto nomem;
		}
	}
	/* "all" reads the total of any table; make one when none is asked. */
	for (size_t d = 0; c->n == 0 && d < mj_schema_ndims(c->schema); d++)
		if (mj_schema_dim_kind(c->schema, d) == MJ_DIM_CATEGORY &&
		    want_dim(c, (int)d) != 0)
			goto nomem;
	if (c->n == 0) {
		mj_error_set(err, MJ_E_SCHEMA, NULL, 0, 0,
			     "the schema has no dimension to count by");
		goto fail;
	}
	specs = calloc(c->n, sizeof *specs);
	c->tables = calloc(c->n, sizeof *c->tables);
	if (!specs || !c->tables)
		goto nomem;
	for (size_t i = 0; i < c->n; i++)
		specs[i].by = mj_schema_dim_name(c->schema, (size_t)c->dims[i]);
	/* Every category must be there to be compared, unhidden. */
	struct mj_run_opts o = *opts;
	o.schema = c->schema;
	o.hide_empty = 0;
	o.top = 0;
	o.min_cell = 0;
	o.sort = MJ_SORT_SCHEMA;
	if (mj_tabulate(&o, files, nfiles, specs, c->n, c->tables, &c->stats,
			err) != MJ_OK) {
		/* mj_tabulate left no tables behind. */
		for (size_t i = 0; i < c->n; i++)
			c->tables[i] = NULL;
		goto fail;
	}
	free(specs);
	return c;
nomem:
	mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
fail:
	free(specs);
	mj_audit_counts_destroy(c);
	return NULL;
}

/* The value counts holds for k; 0 for a category no record has. */
static double counted_value(const struct mj_audit_counts *c,
			    const struct key *k)
{
	if (k->kind == KEY_ALL) {
		const struct mj_table_row *t = mj_table_total(c->tables[0]);
		return t ? t->values[0] : 0;
	}
	const struct mj_table *t = NULL;
	for (size_t i = 0; i < c->n && !t; i++)
		if (c->dims[i] == k->dim)
			t = c->tables[i];
	if (!t)
		return 0;
	char *vkey = k->value ? mj_text_key(k->value, strlen(k->value)) : NULL;
	double v = 0;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		if (row->kind != MJ_ROW_CATEGORY)
			continue;
		int match = 0;
		if (k->code) {
			match = strcmp(row->codes[0], k->code) == 0;
		} else if (vkey) {
			char *lk = mj_text_key(row->labels[0], strlen(row->labels[0]));
			char *ck = mj_text_key(row->codes[0], strlen(row->codes[0]));
			match = (lk && strcmp(lk, vkey) == 0) ||
				(ck && strcmp(ck, vkey) == 0);
			free(lk);
			free(ck);
		}
		if (match) {
			v = row->values[0];
			break;
		}
	}
	free(vkey);
	return v;
}

/* Compare row r's printed count with the records. Returns 0, or -1 out of
 * memory. */
static int compare_row(const struct mj_audit_doc *doc, const struct row *r,
		       const struct mj_audit_counts *c,
		       struct mj_audit_report *rep)
{
	if (!r->has_count)
		return 0;
	struct key k;
	char why[256] = "", msg[1024], where[300];
	struct mj_error e;
	if (row_key(c->schema, doc, r, &k, why, sizeof why, &e) != MJ_OK) {
		/* A document the counts were not made from. */
		free(k.value);
		rep->totals.not_compared++;
		return add_note(rep, doc->path, e.line, e.column, e.message);
	}
	if (k.kind == KEY_SKIP)
		return 0;
	if (k.kind == KEY_NONE) {
		rep->totals.not_compared++;
		snprintf(msg, sizeof msg, MJ_("%s: not compared with the records, "
			 "as %s; write what it counts in its records column "
			 "(DIMENSION=CODE or all), or - to skip it"),
			 r->category, why);
		return add_note(rep, doc->path, r->line, r->cols[COL_CATEGORY],
				msg);
	}
	rep->totals.compared++;
	double v = counted_value(c, &k);
	if (k.kind == KEY_ALL)
		snprintf(where, sizeof where, "all");
	else
		snprintf(where, sizeof where, "%s=%s",
			 mj_schema_dim_name(c->schema, (size_t)k.dim),
			 k.code ? k.code : k.value);
	free(k.value);
	if (v == (double)r->count)
		return 0;
	char printed[48], plain[64], counted[96];
	format_count(r->count, printed, sizeof printed);
	mj_format_number(v, v == (double)(long long)v ? -1 : 2, MJ_LANG_EN,
			 plain, sizeof plain);
	in_message_style(plain, counted, sizeof counted);
	if (strcmp(where, "all") == 0)
		snprintf(msg, sizeof msg, MJ_("%s: printed %s, the records count %s"),
			 r->category, printed, counted);
	else
		snprintf(msg, sizeof msg, MJ_("%s: printed %s, the records count %s "
			 "(%s)"), r->category, printed, counted, where);
	struct mj_audit_finding f = {.kind = MJ_AUDIT_COUNT, .path = doc->path,
				     .line = r->line, .table = r->table,
				     .category = r->category,
				     .count = r->count, .records = v,
				     .where = where, .message = msg};
	return add_finding(rep, &f);
}

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->f.line != y->f.line)
		return x->f.line < y->f.line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

enum mj_status mj_audit_check(const struct mj_audit_doc *doc,
			      const struct mj_audit_counts *counts,
			      struct mj_audit_report *report,
			      struct mj_error *err)
{
	size_t start = report->n;
	for (size_t i = 0; i < doc->nrows; i++) {
		if (check_row(doc, &doc->rows[i], report) != 0)
			goto nomem;
		if (counts && compare_row(doc, &doc->rows[i], counts, report) != 0)
			goto nomem;
	}
	for (size_t i = 0; i < doc->nbds; i++)
		if (check_breakdown(doc, &doc->bds[i], report) != 0)
			goto nomem;
	/* This document's findings in line order; a breakdown's come after
	 * those of its first part's row. */
	if (report->n - start > 1)
		qsort(report->items + start, report->n - start,
		      sizeof *report->items, item_cmp);
	report->totals.files++;
	report->totals.rows += doc->nrows;
	report->totals.percents += doc->npercents;
	report->totals.breakdowns += doc->nbds;
	return MJ_OK;
nomem:
	return mj_error_set(err, MJ_E_NOMEM, doc->path, 0, 0, "out of memory");
}

/* ---- JSON ---- */

static int json_add(json_object *obj, const char *key, json_object *val)
{
	if (!val)
		return -1;
	return json_object_object_add(obj, key, val);
}

char *mj_audit_report_text(const struct mj_audit_report *report, int against)
{
	GString *out = g_string_new(NULL);
	size_t n = mj_audit_report_count(report);
	for (size_t i = 0; i < n; i++) {
		const struct mj_audit_finding *f = mj_audit_report_get(report, i);
		g_string_append_printf(out, "%s:%lu: %s\n", f->path, f->line, f->message);
	}
	struct mj_audit_totals t;
	mj_audit_report_totals(report, &t);
	/* Each count agrees with its noun in the message language. */
	char a[64], b[64], c[64], d[64], e[64];
	snprintf(a, sizeof a, dngettext(MJ_TEXT_DOMAIN, "%zu finding", "%zu findings", n), n);
	snprintf(b, sizeof b, dngettext(MJ_TEXT_DOMAIN, "%zu file", "%zu files", t.files), t.files);
	snprintf(c, sizeof c, dngettext(MJ_TEXT_DOMAIN, "%zu row", "%zu rows", t.rows), t.rows);
	snprintf(d, sizeof d, dngettext(MJ_TEXT_DOMAIN, "%zu percent", "%zu percents", t.percents),
		 t.percents);
	snprintf(e, sizeof e, dngettext(MJ_TEXT_DOMAIN, "%zu breakdown", "%zu breakdowns",
					t.breakdowns), t.breakdowns);
	/* TRANSLATORS: the findings, then what was checked: files, rows,
	 * percents, breakdowns. */
	g_string_append_printf(out, MJ_("%s (%s: %s, %s, %s checked"), a, b, c, d, e);
	if (against)
		g_string_append_printf(out, dngettext(MJ_TEXT_DOMAIN,
						      "; %zu count compared with the records",
						      "; %zu counts compared with the records",
						      t.compared), t.compared);
	g_string_append(out, ")\n");
	/* The caller frees with free(). */
	char *text = strdup(n ? out->str : "");
	g_string_free(out, TRUE);
	return text;
}

char *mj_audit_report_json(const struct mj_audit_report *report)
{
	char *out = NULL;
	json_object *root = json_object_new_object();
	json_object *list = json_object_new_array();
	if (!root || !list) {
		json_object_put(list);
		goto done;
	}
	if (json_add(root, "findings", list) != 0)
		goto done;
	for (size_t i = 0; i < report->n; i++) {
		const struct mj_audit_finding *f = &report->items[i].f;
		json_object *o = json_object_new_object();
		if (!o || json_object_array_add(list, o) != 0) {
			json_object_put(o);
			goto done;
		}
		int bad = 0;
		bad |= json_add(o, "file", json_object_new_string(f->path));
		bad |= json_add(o, "line", json_object_new_int64((int64_t)f->line));
		bad |= json_add(o, "kind", json_object_new_string(
					mj_audit_kind_name(f->kind)));
		bad |= json_add(o, "table", json_object_new_string(f->table));
		bad |= json_add(o, "category", json_object_new_string(f->category));
		if (f->kind != MJ_AUDIT_PERCENT_SUM && f->kind != MJ_AUDIT_COUNT) {
			bad |= json_add(o, "count", json_object_new_int64((int64_t)f->count));
			bad |= json_add(o, "base", json_object_new_int64((int64_t)f->base));
		}
		if (f->kind == MJ_AUDIT_SUM || f->kind == MJ_AUDIT_SUM_OVER ||
		    f->kind == MJ_AUDIT_PERCENT_SUM)
			bad |= json_add(o, "parts", json_object_new_int64((int64_t)f->nparts));
		if (f->computed)
			bad |= json_add(o, "computed", json_object_new_string(f->computed));
		if (f->printed)
			bad |= json_add(o, "printed", json_object_new_string(f->printed));
		if (f->tolerance)
			bad |= json_add(o, "tolerance", json_object_new_string(f->tolerance));
		if (f->kind == MJ_AUDIT_COUNT) {
			bad |= json_add(o, "count", json_object_new_int64((int64_t)f->count));
			bad |= json_add(o, "records",
				f->records == (double)(int64_t)f->records
					? json_object_new_int64((int64_t)f->records)
					: json_object_new_double(f->records));
			bad |= json_add(o, "where", json_object_new_string(f->where));
		}
		bad |= json_add(o, "message", json_object_new_string(f->message));
		if (bad)
			goto done;
	}
	const struct mj_audit_totals *t = &report->totals;
	if (json_add(root, "count", json_object_new_int64((int64_t)report->n)) ||
	    json_add(root, "files", json_object_new_int64((int64_t)t->files)) ||
	    json_add(root, "rows", json_object_new_int64((int64_t)t->rows)) ||
	    json_add(root, "percents", json_object_new_int64((int64_t)t->percents)) ||
	    json_add(root, "breakdowns", json_object_new_int64((int64_t)t->breakdowns)) ||
	    json_add(root, "compared", json_object_new_int64((int64_t)t->compared)) ||
	    json_add(root, "not_compared", json_object_new_int64((int64_t)t->not_compared)))
		goto done;
	json_object *notes = json_object_new_array();
	if (!notes || json_add(root, "notes", notes) != 0)
		goto done;
	for (size_t i = 0; i < report->nnotes; i++) {
		const struct mj_error *e = &report->notes[i];
		json_object *o = json_object_new_object();
		if (!o || json_object_array_add(notes, o) != 0) {
			json_object_put(o);
			goto done;
		}
		if (json_add(o, "file", json_object_new_string(e->path)) ||
		    json_add(o, "line", json_object_new_int64((int64_t)e->line)) ||
		    json_add(o, "column", json_object_new_int64((int64_t)e->column)) ||
		    json_add(o, "message", json_object_new_string(e->message)))
			goto done;
	}
	const char *s = json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s) {
		size_t n = strlen(s);
		out = malloc(n + 2);
		if (out) {
			memcpy(out, s, n);
			out[n] = '\n';
			out[n + 1] = '\0';
		}
	}
done:
	json_object_put(root);
	return out;
}
