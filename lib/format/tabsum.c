/* Tables as inputs: tables written by mj-tab, and registers tabulated on
 * the way, summed cell by cell by category code into the tables asked for,
 * rolled up to their dimensions, over one period without gap or overlap. */
#include "murojaat/tabsum.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "murojaat/period.h"
#include "murojaat/stats.h"
#include "i18n.h"
#include "schema_internal.h"
#include "suppress.h"

/* The most a table read as input may hold, as mj_table_read() allows. */
#define INPUT_LIMIT (256u << 20)
/* Bytes read to tell a table from a register. */
#define SNIFF_LEN 65536
/* Dimensions of an input table: rows and the column dimension. */
#define MAXD 9
/* Dimensions of a table asked for (as mj_tabulate() allows). */
#define ASKD 4

struct input {
	const char *name;       /* as the user gave it; "<stdin>" for "-" */
	const char *path;       /* the file opened */
	int is_table;
	char *data;             /* a table's text, for positions in errors */
	size_t len;
	struct mj_table *t;
	long from, to;          /* period as days since 1970, or -1 */
	dev_t dev;
	ino_t ino;
	int have_id;
};

/* An input table prepared for look-ups: its cells by their codes. */
struct src {
	const struct mj_table *t;
	const char *name;
	size_t nd;              /* row dimensions, and the column one */
	const char *dims[MAXD];
	GHashTable *cells;      /* key of codes -> row * ncols + col + 1 */
	/* Cells that no other cell of the table overlaps (categories, and the
	 * subtotals of parents without children), with the codes they stand
	 * for: a childless parent's inner dimensions are "not stated". */
	size_t nleaves;
	size_t *leaf_cell;      /* row * ncols + col */
	const char **leaf_codes;/* nleaves * nd */
};

static int is_total(const char *code)
{
	return strcmp(code, MJ_CODE_TOTAL) == 0;
}

static int is_missing(const char *code)
{
	return strcmp(code, MJ_CODE_MISSING) == 0;
}

/* Detection ---------------------------------------------------------------- */

/* Copies field k of the first line of data (separated by delim, quotes
 * dropped) into buf; -1 when the line has no such field. */
static int header_field(const char *line, size_t len, char delim, size_t k,
			char *buf, size_t cap)
{
	size_t i = 0;
	for (size_t f = 0; f <= k; f++) {
		size_t n = 0;
		int quoted = i < len && line[i] == '"';
		if (quoted)
			i++;
		while (i < len && (quoted ? line[i] != '"' : line[i] != delim)) {
			if (n + 1 < cap)
				buf[n++] = line[i];
			i++;
		}
		if (quoted && i < len)
			i++;
		buf[n] = '\0';
		if (f == k)
			return 0;
		if (i >= len || line[i] != delim)
			return -1;
		i++;
	}
	return -1;
}

int mj_tabsum_is_table(const char *data, size_t len)
{
	size_t i = 0;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' ||
			   data[i] == '\t'))
		i++;
	/* A JSON table, or the array of a layered one (refused when read). */
	if (i < len && (data[i] == '{' || data[i] == '['))
		return 1;
	const char *line = data + i;
	size_t n = 0;
	while (i + n < len && line[n] != '\n' && line[n] != '\r')
		n++;
	size_t count[3] = {0};
	static const char delims[] = {',', ';', '\t'};
	for (size_t k = 0; k < n; k++)
		for (size_t d = 0; d < 3; d++)
			count[d] += line[k] == delims[d];
	size_t best = 0;
	for (size_t d = 1; d < 3; d++)
		if (count[d] > count[best])
			best = d;
	char a[128], b[128];
	if (count[best] < 2 || header_field(line, n, delims[best], 0, a, sizeof a) != 0 ||
	    header_field(line, n, delims[best], 1, b, sizeof b) != 0)
		return 0;
	size_t la = strlen(a), lb = strlen(b);
	return lb > 0 && la == lb + 5 && strncmp(a, b, lb) == 0 && strcmp(a + lb, "_code") == 0;
}

/* Reads path: the first SNIFF_LEN bytes, and all of it (up to
 * INPUT_LIMIT) when they are a table. */
static enum mj_status input_load(struct input *in, struct mj_error *err)
{
	FILE *f = fopen(in->path, "rb");
	if (!f)
		return mj_error_set(err, MJ_E_IO, in->name, 0, 0, "cannot open: %s",
				    strerror(errno));
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode)) {
		in->dev = sb.st_dev;
		in->ino = sb.st_ino;
		in->have_id = 1;
	}
	size_t cap = SNIFF_LEN, n = 0;
	char *buf = malloc(cap + 1);
	enum mj_status st = MJ_OK;
	if (!buf) {
		fclose(f);
		return mj_error_set(err, MJ_E_NOMEM, in->name, 0, 0, "out of memory");
	}
	n = fread(buf, 1, cap, f);
	in->is_table = mj_tabsum_is_table(buf, n);
	while (in->is_table && !ferror(f) && n == cap) {
		if (cap >= INPUT_LIMIT) {
			st = mj_error_set(err, MJ_E_LIMIT, in->name, 0, 0,
					  "table larger than %u MiB", INPUT_LIMIT >> 20);
			break;
		}
		char *grown = realloc(buf, cap * 2 + 1);
		if (!grown) {
			st = mj_error_set(err, MJ_E_NOMEM, in->name, 0, 0, "out of memory");
			break;
		}
		buf = grown;
		n += fread(buf + n, 1, cap * 2 - n, f);
		cap *= 2;
	}
	if (st == MJ_OK && ferror(f))
		st = mj_error_set(err, MJ_E_IO, in->name, 0, 0, "read error");
	fclose(f);
	if (st != MJ_OK || !in->is_table) {
		free(buf);
		return st;
	}
	buf[n] = '\0';
	in->data = buf;
	in->len = n;
	return MJ_OK;
}

/* Whether standard input, a pipe, begins like a table: its first line is
 * looked at with tee(2), which leaves it in the pipe for whoever reads
 * it. Anything that is not a pipe is taken for records. */
static int stdin_peek_table(void)
{
	int p[2];
	if (pipe(p) != 0)
		return 0;
	char buf[4096];
	int table = 0;
	for (int tries = 0; tries < 100000; tries++) {
		ssize_t n = tee(0, p[1], sizeof buf, 0);
		if (n <= 0)
			break;
		size_t got = 0;
		while (got < (size_t)n) {
			ssize_t r = read(p[0], buf + got, (size_t)n - got);
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		size_t i = 0;
		while (i < got && strchr(" \t\r\n", buf[i]))
			i++;
		/* Decided once the first line is whole, or the buffer full. */
		if (got == sizeof buf || (i < got && buf[i] == '{') ||
		    memchr(buf + i, '\n', got - i)) {
			table = mj_tabsum_is_table(buf, got);
			break;
		}
		/* The writer has not written the whole line yet, or has
		 * closed the pipe after less than a line. */
		struct pollfd pf = {.fd = 0, .events = POLLIN};
		if (poll(&pf, 1, 0) == 1 && (pf.revents & POLLHUP)) {
			table = mj_tabsum_is_table(buf, got);
			break;
		}
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	close(p[0]);
	close(p[1]);
	return table;
}

/* The line and column of the first place where text stands as a whole
 * field (between separators or quotes) in in's data, so that an error
 * points at it. Leaves both 0 when not found. */
static void input_find(const struct input *in, const char *text,
		       unsigned long *line, unsigned long *col)
{
	*line = *col = 0;
	size_t tl = strlen(text);
	if (!in->data || !tl)
		return;
	unsigned long ln = 1;
	const char *bol = in->data;
	for (const char *p = in->data; p + tl <= in->data + in->len; p++) {
		if (*p == '\n') {
			ln++;
			bol = p + 1;
			continue;
		}
		if (memcmp(p, text, tl) != 0)
			continue;
		char before = p > in->data ? p[-1] : '\n';
		char after = p + tl < in->data + in->len ? p[tl] : '\n';
		if (strchr(",;\t\"\n", before) && strchr(",;\t\"\r\n", after)) {
			*line = ln;
			*col = (unsigned long)(p - bol) + 1;
			if (before == '"' && *col > 1)
				(*col)--;
			return;
		}
	}
}

/* Periods -------------------------------------------------------------------- */

/* Days since 1970 of an ISO date, or -1. */
static long iso_days(const char *iso)
{
	int y, m, d;
	char tail;
	if (!iso || sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 ||
	    m > 12 || d < 1 || d > mj_days_in_month(y, m))
		return -1;
	return mj_days_from_civil(y, m, d);
}

static void days_iso(long days, char *buf, size_t len)
{
	int y, m, d;
	mj_civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

/* "2023-01" or "2023-01-01..2023-01-15": a period as --period reads it. */
static void period_text(long from, long to, char *buf, size_t len)
{
	int y0, m0, d0, y1, m1, d1;
	mj_civil_from_days(from, &y0, &m0, &d0);
	mj_civil_from_days(to, &y1, &m1, &d1);
	mj_period_format((long)y0 * 10000 + m0 * 100 + d0,
			 (long)y1 * 10000 + m1 * 100 + d1, buf, len);
}

static int cmp_period(const void *pa, const void *pb)
{
	const struct input *a = *(const struct input *const *)pa;
	const struct input *b = *(const struct input *const *)pb;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return (a->to > b->to) - (a->to < b->to);
}

/* Checks that the inputs' periods join into one, without gap (always) or
 * overlap (unless allowed), and sets its first and last day. */
static enum mj_status periods_join(struct input **list, size_t n, int allow_overlap,
				   long *from, long *to, struct mj_error *err)
{
	*from = *to = -1;
	size_t dated = 0;
	for (size_t i = 0; i < n; i++)
		dated += list[i]->from >= 0;
	if (dated == 0)
		return MJ_OK;
	for (size_t i = 0; i < n; i++)
		if (list[i]->from < 0)
			return mj_error_set(err, MJ_E_USAGE, list[i]->name, 0, 0,
				"the table says no period (period_from, period_to), so it cannot be placed among the periods of the other inputs");
	qsort(list, n, sizeof *list, cmp_period);
	const struct input *last = list[0];
	long end = list[0]->to;
	for (size_t i = 1; i < n; i++) {
		const struct input *e = list[i];
		char a[48], b[48];
		if (e->from == list[i - 1]->from && e->to == list[i - 1]->to)
			continue;
		if (e->from <= end && !allow_overlap) {
			period_text(last->from, last->to, a, sizeof a);
			period_text(e->from, e->to, b, sizeof b);
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"%s (%s) and %s (%s): the periods overlap, so some days would be counted twice; combine tables of the same period or of periods that follow one another (--allow-overlap to add them anyway)",
				last->name, a, e->name, b);
		}
		if (e->from > end + 1) {
			char gap[48];
			period_text(last->from, last->to, a, sizeof a);
			period_text(e->from, e->to, b, sizeof b);
			period_text(end + 1, e->from - 1, gap, sizeof gap);
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"%s (%s) and %s (%s): the periods leave a gap (%s), and a sum of them would describe no period; give the tables of the missing days too",
				last->name, a, e->name, b, gap);
		}
		if (e->to > end) {
			end = e->to;
			last = e;
		}
	}
	*from = list[0]->from;
	*to = end;
	return MJ_OK;
}

/* Sources --------------------------------------------------------------------- */

/* Whether the list "a, b, c" names name. */
static int source_names(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; p && *p;) {
		const char *end = strstr(p, ", ");
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == n && memcmp(p, name, n) == 0)
			return 1;
		p = end ? end + 2 : NULL;
	}
	return 0;
}

static int same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Refuses the same source twice: the same file, a table of records that
 * are also given, or two tables of the same source, period and filters. */
static enum mj_status overlap_check(struct input *in, size_t n, struct mj_error *err)
{
	/* Formatted into the messages below, so translated on its own. */
	const char *tail =
		MJ_("its counts would be added twice (--allow-overlap to add them anyway)");
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			struct input *a = &in[i], *b = &in[j];
			if (strcmp(a->path, b->path) == 0 ||
			    (a->have_id && b->have_id && a->dev == b->dev && a->ino == b->ino))
				return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
						    "%s and %s are the same file: %s",
						    a->name, b->name, tail);
			if (a->is_table != b->is_table) {
				struct input *t = a->is_table ? a : b, *r = a->is_table ? b : a;
				if (t->t->source && source_names(t->t->source, r->name))
					return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
						"%s is a table of %s, which is given too: %s",
						t->name, r->name, tail);
			}
			if (a->is_table && b->is_table && a->t->source && b->t->source &&
			    strcmp(a->t->source, b->t->source) == 0 && a->from == b->from &&
			    a->to == b->to && same_text(a->t->filters, b->t->filters)) {
				/* Without a period, a message of its own: each
				 * language words "over no period" its own way. */
				if (a->from < 0)
					return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
						"%s and %s both count %s over no period: %s",
						a->name, b->name, a->t->source, tail);
				char p[48];
				period_text(a->from, a->to, p, sizeof p);
				return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					"%s and %s both count %s over %s: %s",
					a->name, b->name, a->t->source, p, tail);
			}
		}
	return MJ_OK;
}

/* The schema ----------------------------------------------------------------- */

/* Whether dimension d may be a table's: never an id (it identifies
 * people), a date or a whole number (tabulate what is derived from them). */
static int tabulable(const struct mj_schema *s, int d)
{
	enum mj_dim_kind k = s->dims[d].kind;
	return k != MJ_DIM_ID && k != MJ_DIM_DATE && k != MJ_DIM_INTEGER;
}

/* Whether code may stand in dimension d of a table of schema s. */
static int code_known(const struct mj_schema *s, int d, const char *code)
{
	const struct mj_dim *dim = &s->dims[d];
	if (is_total(code) || is_missing(code) || code[0] == '_')
		return 1;
	if (dim->ncats == 0 || dim->kind == MJ_DIM_OPEN)
		return 1;
	return mj_schema_cat_find(s, (size_t)d, code) >= 0;
}

/* Refuses a table whose dimensions or categories are not the schema's,
 * as a table of another schema. */
static enum mj_status table_check(const struct mj_schema *s, const struct input *in,
				  struct mj_error *err)
{
	const struct mj_table *t = in->t;
	unsigned long line, col;
	size_t nd = t->ndims + (t->col_dim != NULL);
	int dim[MAXD];
	if (nd > MAXD)
		return mj_error_set(err, MJ_E_LIMIT, in->name, 0, 0, "more than %d dimensions", MAXD);
	for (size_t i = 0; i < nd; i++) {
		const char *name = i < t->ndims ? t->dims[i] : t->col_dim;
		dim[i] = mj_schema_dim_find(s, name);
		if (dim[i] >= 0 && strcmp(s->dims[dim[i]].name, name) == 0 &&
		    !tabulable(s, dim[i])) {
			input_find(in, name, &line, &col);
			return mj_error_set(err, MJ_E_USAGE, in->name, line, col,
				"'%s' is never a dimension of a table (it is an identifier, a date or a number): this is no table made by mj-tab",
				name);
		}
		if (dim[i] < 0 || strcmp(s->dims[dim[i]].name, name) != 0) {
			input_find(in, name, &line, &col);
			return mj_error_set(err, MJ_E_USAGE, in->name, line, col,
				"dimension '%s' is not in the schema \"%s\": a table of another schema cannot be combined with these inputs",
				name, mj_schema_name(s));
		}
	}
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->ndims; i++)
			if (!code_known(s, dim[i], t->rows[r].codes[i])) {
				input_find(in, t->rows[r].codes[i], &line, &col);
				return mj_error_set(err, MJ_E_USAGE, in->name, line, col,
					"'%s' is not a category of %s in the schema \"%s\": a table of another schema cannot be combined with these inputs",
					t->rows[r].codes[i], t->dims[i], mj_schema_name(s));
			}
	for (size_t c = 0; t->col_dim && c < t->ncols; c++)
		if (!code_known(s, dim[t->ndims], t->col_codes[c])) {
			input_find(in, t->col_codes[c], &line, &col);
			return mj_error_set(err, MJ_E_USAGE, in->name, line, col,
				"'%s' is not a category of %s in the schema \"%s\": a table of another schema cannot be combined with these inputs",
				t->col_codes[c], t->col_dim, mj_schema_name(s));
		}
	return MJ_OK;
}

/* Look-ups ------------------------------------------------------------------ */

static char *cell_key(const char *const *codes, size_t n)
{
	GString *k = g_string_new(NULL);
	for (size_t i = 0; i < n; i++) {
		if (i)
			g_string_append_c(k, '\x1f');
		g_string_append(k, codes[i]);
	}
	return g_string_free(k, FALSE);
}

static void src_free(struct src *s)
{
	if (s->cells)
		g_hash_table_destroy(s->cells);
	free(s->leaf_cell);
	free(s->leaf_codes);
	memset(s, 0, sizeof *s);
}

static int src_init(struct src *s, const struct mj_table *t, const char *name)
{
	memset(s, 0, sizeof *s);
	s->t = t;
	s->name = name;
	s->nd = t->ndims + (t->col_dim != NULL);
	for (size_t i = 0; i < t->ndims; i++)
		s->dims[i] = t->dims[i];
	if (t->col_dim)
		s->dims[t->ndims] = t->col_dim;
	s->cells = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	size_t ncells = t->nrows * t->ncols;
	s->leaf_cell = malloc((ncells ? ncells : 1) * sizeof *s->leaf_cell);
	s->leaf_codes = malloc((ncells ? ncells : 1) * s->nd * sizeof *s->leaf_codes);
	if (!s->leaf_cell || !s->leaf_codes)
		return -1;
	const char *codes[MAXD];
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		/* A subtotal followed by no deeper row is a parent without
		 * children: its records have no inner category. */
		int leaf = row->kind == MJ_ROW_CATEGORY;
		if (row->kind == MJ_ROW_SUBTOTAL)
			leaf = r + 1 >= t->nrows || t->rows[r + 1].level <= row->level;
		for (size_t c = 0; c < t->ncols; c++) {
			for (size_t i = 0; i < t->ndims; i++)
				codes[i] = row->codes[i];
			if (t->col_dim)
				codes[t->ndims] = t->col_codes[c];
			g_hash_table_replace(s->cells, cell_key(codes, s->nd),
					     GSIZE_TO_POINTER(r * t->ncols + c + 1));
			if (!leaf || (t->col_dim && is_total(t->col_codes[c])))
				continue;
			const char **lc = &s->leaf_codes[s->nleaves * s->nd];
			for (size_t i = 0; i < s->nd; i++)
				lc[i] = i < t->ndims && is_total(codes[i]) ? MJ_CODE_MISSING : codes[i];
			s->leaf_cell[s->nleaves++] = r * t->ncols + c;
		}
	}
	return 0;
}

/* Adds to *v the value of the cell of s whose codes are q (one per
 * dimension of s, MJ_CODE_TOTAL over a dimension): the cell itself when
 * the table has it, else the sum of the cells it is made of. *hidden is
 * set when a hidden cell is part of it. */
static void src_value(const struct src *s, const char *const *q, double *v, int *hidden)
{
	char *key = cell_key(q, s->nd);
	gpointer found = g_hash_table_lookup(s->cells, key);
	g_free(key);
	const struct mj_table *t = s->t;
	if (found) {
		size_t cell = GPOINTER_TO_SIZE(found) - 1;
		const struct mj_table_row *row = &t->rows[cell / t->ncols];
		if (row->suppressed[cell % t->ncols])
			*hidden = 1;
		else
			*v += row->values[cell % t->ncols];
		return;
	}
	for (size_t l = 0; l < s->nleaves; l++) {
		const char *const *lc = &s->leaf_codes[l * s->nd];
		size_t i = 0;
		while (i < s->nd && (is_total(q[i]) || strcmp(q[i], lc[i]) == 0))
			i++;
		if (i < s->nd)
			continue;
		size_t cell = s->leaf_cell[l];
		const struct mj_table_row *row = &t->rows[cell / t->ncols];
		if (row->suppressed[cell % t->ncols])
			*hidden = 1;
		else
			*v += row->values[cell % t->ncols];
	}
}

/* Building the result ----------------------------------------------------------- */

struct level {
	char *code;
	char *label;
	int order;    /* schema order; open values and periods after; "not stated" last */
};

struct sum {
	const struct mj_run_opts *opts;
	const struct mj_schema *s;
	enum mj_lang lang;
	struct src *srcs;
	size_t nsrc;
	size_t na;                 /* row dimensions asked */
	int dims[ASKD];            /* rows, then the column dimension */
	int coldim;                /* -1 for one-way */
	GArray *lv[ASKD];          /* struct level per position */
	struct mj_table *t;
	size_t hidden_out;
	const char *weight;        /* what the counts are weighted by, or NULL */
};

static int cmp_level(const void *pa, const void *pb)
{
	const struct level *a = pa, *b = pb;
	if (a->order != b->order)
		return a->order < b->order ? -1 : 1;
	return strcmp(a->code, b->code);
}

/* The values of position p of the result: every schema category, the
 * open values and periods the inputs hold, and "not stated" when an input
 * has it or the dimension may lack a value (as mj_tabulate() shows them). */
static int collect_levels(struct sum *b, size_t p)
{
	const struct mj_schema *s = b->s;
	int d = b->dims[p];
	const struct mj_dim *dim = &s->dims[d];
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	GArray *l = g_array_new(FALSE, FALSE, sizeof(struct level));
	b->lv[p] = l;
	int period = dim->kind == MJ_DIM_DERIVED && dim->unit;
	int categories = dim->kind != MJ_DIM_OPEN && !period && dim->ncats > 0;
	for (size_t k = 0; categories && k < dim->ncats; k++) {
		struct level lv = {g_strdup(dim->cats[k].code),
				   g_strdup(dim->cats[k].labels[b->lang]), (int)k};
		g_array_append_val(l, lv);
		g_hash_table_add(seen, lv.code);
	}
	int missing = !dim->required && !period && dim->kind != MJ_DIM_OPEN &&
		!(dim->kind == MJ_DIM_DERIVED && dim->source >= 0 && s->dims[dim->source].required);
	for (size_t k = 0; k < b->nsrc; k++) {
		const struct src *sr = &b->srcs[k];
		size_t q = 0;
		while (q < sr->nd && strcmp(sr->dims[q], dim->name) != 0)
			q++;
		if (q == sr->nd)
			continue;
		const struct mj_table *t = sr->t;
		size_t n = q < t->ndims ? t->nrows : t->ncols;
		for (size_t r = 0; r < n; r++) {
			const char *code = q < t->ndims ? t->rows[r].codes[q] : t->col_codes[r];
			const char *label = q < t->ndims ? t->rows[r].labels[q] : t->col_labels[r];
			if (is_total(code))
				continue;
			if (is_missing(code)) {
				missing = 1;
				continue;
			}
			if (g_hash_table_contains(seen, code))
				continue;
			struct level lv = {g_strdup(code), g_strdup(label),
					   (int)dim->ncats + (code[0] == '_')};
			g_array_append_val(l, lv);
			g_hash_table_add(seen, lv.code);
		}
		/* A parent without children stands for its records' missing
		 * inner category. */
		for (size_t f = 0; f < sr->nleaves && !missing; f++)
			missing = is_missing(sr->leaf_codes[f * sr->nd + q]);
	}
	g_hash_table_destroy(seen);
	g_array_sort(l, cmp_level);
	if (missing && !b->opts->missing_exclude) {
		struct level lv = {g_strdup(MJ_CODE_MISSING),
				   g_strdup(s->missing_labels[b->lang]), 1 << 30};
		g_array_append_val(l, lv);
	}
	return 0;
}

/* The value of the result's cell with row codes rc and column code cc
 * (ignored for one-way), summed over the inputs. */
static double cell_value(struct sum *b, const char *const *rc, const char *cc, int *hidden)
{
	double v = 0;
	*hidden = 0;
	const char *q[MAXD];
	for (size_t k = 0; k < b->nsrc; k++) {
		const struct src *sr = &b->srcs[k];
		for (size_t i = 0; i < sr->nd; i++) {
			q[i] = MJ_CODE_TOTAL;
			for (size_t j = 0; j < b->na; j++)
				if (strcmp(sr->dims[i], b->s->dims[b->dims[j]].name) == 0)
					q[i] = rc[j];
			if (b->coldim >= 0 && strcmp(sr->dims[i], b->s->dims[b->coldim].name) == 0)
				q[i] = cc;
		}
		src_value(sr, q, &v, hidden);
	}
	return *hidden ? 0 : v;
}

static void fill_row(struct sum *b, struct mj_table_row *row)
{
	struct mj_table *t = b->t;
	for (size_t c = 0; c < t->ncols; c++) {
		int hidden;
		row->values[c] = cell_value(b, (const char *const *)row->codes,
					    t->col_dim ? t->col_codes[c] : MJ_CODE_TOTAL, &hidden);
		if (hidden) {
			row->suppressed[c] = MJ_HIDDEN_COMPLEMENT;
			b->hidden_out++;
		}
	}
}

struct sibling {
	const struct level *lv;
	double total;
	size_t order;
};

static int cmp_sibling(const void *pa, const void *pb, void *ctx)
{
	const struct sibling *a = pa, *c = pb;
	const struct sum *b = ctx;
	int ma = is_missing(a->lv->code), mc = is_missing(c->lv->code);
	if (ma != mc)
		return ma - mc;
	if (b->opts->sort == MJ_SORT_COUNT && a->total != c->total)
		return a->total < c->total ? 1 : -1;
	if (b->opts->sort == MJ_SORT_LABEL) {
		int k = g_utf8_collate(a->lv->label, c->lv->label);
		if (k)
			return k;
	}
	return (a->order > c->order) - (a->order < c->order);
}

/* Adds the rows of depth and below under the prefix in codes[], in the
 * order and with the rules of mj_tabulate(). */
static int emit(struct sum *b, size_t depth, const char **codes, const char **labels)
{
	/* Never true (a table has at most ASKD dimensions); said so
	 * that the compiler sees the recursion stay inside the arrays. */
	if (depth >= ASKD || b->na > ASKD)
		return -1;
	const struct mj_schema *s = b->s;
	int d = b->dims[depth];
	const struct mj_dim *dim = &s->dims[d];
	GArray *l = b->lv[depth];
	int hierarchical = depth > 0 && dim->parent == b->dims[depth - 1];
	int inner_open = depth > 0 && (dim->kind == MJ_DIM_OPEN ||
				       (dim->kind == MJ_DIM_DERIVED && dim->unit));
	struct sibling *sib = calloc(l->len ? l->len : 1, sizeof *sib);
	if (!sib)
		return -1;
	size_t nsib = 0;
	for (size_t i = 0; i < l->len; i++) {
		const struct level *lv = &g_array_index(l, struct level, i);
		codes[depth] = lv->code;
		for (size_t k = depth + 1; k < b->na; k++)
			codes[k] = MJ_CODE_TOTAL;
		int hidden;
		double total = cell_value(b, codes, MJ_CODE_TOTAL, &hidden);
		if (hierarchical) {
			int parent = mj_schema_cat_find(s, (size_t)b->dims[depth - 1], codes[depth - 1]);
			int cat = mj_schema_cat_find(s, (size_t)d, lv->code);
			if (is_missing(lv->code) ? total == 0 && !hidden
			    : cat < 0 || dim->cats[cat].parent != parent)
				continue;
		}
		if ((inner_open || (depth > 0 && is_missing(lv->code))) && total == 0 && !hidden)
			continue;
		if (b->opts->hide_empty && total == 0 && !hidden)
			continue;
		sib[nsib].lv = lv;
		sib[nsib].total = total;
		sib[nsib].order = i;
		nsib++;
	}
	g_qsort_with_data(sib, (gint)nsib, sizeof *sib, cmp_sibling, b);
	int rc = 0;
	for (size_t i = 0; i < nsib && rc == 0; i++) {
		const struct level *lv = sib[i].lv;
		codes[depth] = lv->code;
		labels[depth] = lv->label;
		for (size_t k = depth + 1; k < b->na; k++) {
			codes[k] = MJ_CODE_TOTAL;
			labels[k] = s->total_labels[b->lang];
		}
		int leaf = depth + 1 >= b->na || depth + 1 >= ASKD;
		int has_children = !leaf && !is_missing(lv->code);
		const struct mj_dim *inner = leaf ? NULL : &s->dims[b->dims[depth + 1]];
		if (has_children && inner->parent == d) {
			int cat = mj_schema_cat_find(s, (size_t)d, lv->code);
			has_children = 0;
			for (size_t c = 0; cat >= 0 && c < inner->ncats; c++)
				has_children |= inner->cats[c].parent == cat;
		}
		struct mj_table_row *row = mj_table_add_row(b->t,
			leaf ? MJ_ROW_CATEGORY : MJ_ROW_SUBTOTAL, (int)depth, codes, labels);
		if (!row) {
			rc = -1;
			break;
		}
		fill_row(b, row);
		if (has_children)
			rc = emit(b, depth + 1, codes, labels);
	}
	free(sib);
	return rc;
}

/* The dimensions of spec as schema indexes into b; MJ_E_USAGE for one
 * that is not the schema's. */
static enum mj_status spec_dims(struct sum *b, const struct mj_tab_spec *spec,
				struct mj_error *err)
{
	b->na = 0;
	b->coldim = -1;
	if (!spec->by || !*spec->by)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "no dimension to tabulate by (use --by DIMENSION)");
	char *by = g_strdup(spec->by);
	enum mj_status st = MJ_OK;
	for (char *save = NULL, *name = strtok_r(by, ",", &save); name && st == MJ_OK;
	     name = strtok_r(NULL, ",", &save)) {
		g_strstrip(name);
		int d = mj_schema_dim_find(b->s, name);
		if (d < 0)
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					  "unknown dimension '%s'", name);
		else if (!tabulable(b->s, d))
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					  "'%s' is not a dimension that can be tabulated", name);
		else if (b->na == ASKD - 1)
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					  "at most %d dimensions can be nested", ASKD - 1);
		else
			b->dims[b->na++] = d;
	}
	g_free(by);
	if (st == MJ_OK && spec->cols && *spec->cols) {
		int d = mj_schema_dim_find(b->s, spec->cols);
		if (d < 0 || !tabulable(b->s, d))
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					    "--cols: unknown dimension '%s'", spec->cols);
		b->coldim = d;
		b->dims[b->na] = d;
	}
	return st;
}

/* Which tables lack a dimension asked: "" when none does, else a message. */
static char *lacking(const struct sum *b, const struct input *const *tabs, size_t ntabs)
{
	GString *msg = g_string_new(NULL);
	size_t n = b->na + (b->coldim >= 0);
	for (size_t i = 0; i < n; i++) {
		const char *name = b->s->dims[b->dims[i]].name;
		GString *who = g_string_new(NULL), *have = g_string_new(NULL);
		size_t count = 0;
		const char *first = "";
		for (size_t k = 0; k < ntabs; k++) {
			const struct mj_table *t = tabs[k]->t;
			int found = t->col_dim && strcmp(t->col_dim, name) == 0;
			for (size_t j = 0; j < t->ndims; j++)
				found |= strcmp(t->dims[j], name) == 0;
			if (found)
				continue;
			g_string_append_printf(who, "%s%s", count ? ", " : "", tabs[k]->name);
			if (count++ == 0) {
				first = tabs[k]->name;
				for (size_t j = 0; j < t->ndims; j++)
					g_string_append_printf(have, "%s%s", j ? ", " : "", t->dims[j]);
				if (t->col_dim)
					g_string_append_printf(have, ", %s", t->col_dim);
			}
		}
		/* Formatted into a message: translated here. */
		if (count && msg->len == 0)
			g_string_printf(msg,
				MJ_("'%s' is not a dimension of %s (%s has %s); a table can be rolled up only to dimensions that every input table has"),
				name, who->str, first, have->str);
		g_string_free(who, TRUE);
		g_string_free(have, TRUE);
	}
	return g_string_free(msg, FALSE);
}

static void levels_free(struct sum *b)
{
	for (size_t p = 0; p < ASKD; p++) {
		if (!b->lv[p])
			continue;
		for (guint i = 0; i < b->lv[p]->len; i++) {
			struct level *lv = &g_array_index(b->lv[p], struct level, i);
			g_free(lv->code);
			g_free(lv->label);
		}
		g_array_free(b->lv[p], TRUE);
		b->lv[p] = NULL;
	}
}

/* Makes the table of spec from the inputs in b->srcs. */
static struct mj_table *build(struct sum *b, const struct mj_tab_spec *spec,
			      struct mj_error *err)
{
	const struct mj_schema *s = b->s;
	size_t n = b->na + (b->coldim >= 0);
	struct mj_table *t = NULL;
	const char **cc = NULL, **cl = NULL;
	for (size_t p = 0; p < n; p++)
		collect_levels(b, p);
	size_t ncols = 1;
	if (b->coldim >= 0) {
		GArray *l = b->lv[b->na];
		ncols = l->len + 1;
		cc = calloc(ncols, sizeof *cc);
		cl = calloc(ncols, sizeof *cl);
		if (!cc || !cl)
			goto nomem;
		for (guint c = 0; c < l->len; c++) {
			cc[c] = g_array_index(l, struct level, c).code;
			cl[c] = g_array_index(l, struct level, c).label;
		}
		cc[l->len] = MJ_CODE_TOTAL;
		cl[l->len] = s->total_labels[b->lang];
	}
	const char *dims[ASKD];
	for (size_t i = 0; i < b->na; i++)
		dims[i] = s->dims[b->dims[i]].name;
	t = mj_table_new(b->na, dims, b->coldim >= 0 ? s->dims[b->coldim].name : NULL,
			 ncols, cc, cl);
	if (!t)
		goto nomem;
	b->t = t;
	for (size_t i = 0; i < b->na; i++)
		if (mj_table_set(&t->dim_labels[i], s->dims[b->dims[i]].labels[b->lang]) != MJ_OK)
			goto nomem;
	if (b->coldim >= 0 &&
	    mj_table_set(&t->col_dim_label, s->dims[b->coldim].labels[b->lang]) != MJ_OK)
		goto nomem;
	const char *codes[ASKD], *labels[ASKD];
	if (emit(b, 0, codes, labels) != 0)
		goto nomem;
	for (size_t i = 0; i < b->na; i++) {
		codes[i] = MJ_CODE_TOTAL;
		labels[i] = s->total_labels[b->lang];
	}
	struct mj_table_row *total = mj_table_add_row(t, MJ_ROW_TOTAL, 0, codes, labels);
	if (!total)
		goto nomem;
	fill_row(b, total);
	/* Titled as mj_tabulate() titles its tables. */
	const char *sum = spec->sum ? spec->sum : b->opts->sum;
	char *title = spec->title ? strdup(spec->title)
		: mj_schema_table_title(b->s, b->dims, b->na, b->coldim >= 0, sum, b->lang);
	int ok = title && mj_table_set(&t->title, title) == MJ_OK;
	free(title);
	const char *measure = sum ? sum : "count";
	if (!ok || mj_table_set(&t->lang, mj_lang_tag(b->lang)) != MJ_OK ||
	    mj_table_set(&t->measure, measure) != MJ_OK ||
	    mj_table_set(&t->weight, sum ? NULL : b->weight) != MJ_OK)
		goto nomem;
	goto done;
nomem:
	mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	mj_table_destroy(t);
	t = NULL;
done:
	b->t = NULL;
	free(cc);
	free(cl);
	levels_free(b);
	return t;
}

/* Entry point -------------------------------------------------------------------- */

static enum mj_status note_add(struct mj_tabsum_info *info, char *text)
{
	if (!text)
		return MJ_E_NOMEM;
	if (!info || info->nnotes == MJ_TABSUM_MAXNOTES) {
		g_free(text);
		return MJ_OK;
	}
	info->notes[info->nnotes++] = text;
	return MJ_OK;
}

/* A note when the period asked (--period) has whole months before the
 * first or after the last record read: a table of 2023 from a register
 * that stops in August would otherwise read as the whole year's count.
 * Months, not days: a register that starts on 2 January covers January. */
static enum mj_status period_note(struct mj_tabsum_info *info, const struct mj_run_opts *o,
				  const struct mj_run_stats *stats)
{
	if (!info || !o->period || !stats->data_from[0] || !stats->period_from[0] ||
	    (strncmp(stats->period_from, stats->data_from, 7) >= 0 &&
	     strncmp(stats->period_to, stats->data_to, 7) <= 0))
		return MJ_OK;
	static const char *const fmt[] = {
		"The period is %s\u00a0–\u00a0%s, but the records read run only from %s to %s: "
		"the period's months outside those dates have no record in these inputs, and the "
		"counts may not cover the whole period.",
		"Период — %s\u00a0–\u00a0%s, но прочитанные записи охватывают только "
		"%s\u00a0–\u00a0%s: за месяцы периода вне этих дат записей нет, и числа могут "
		"охватывать не весь период.",
		"Davr — %s\u00a0–\u00a0%s, lekin oʻqilgan yozuvlar faqat %s\u00a0–\u00a0%s "
		"oraligʻini qamraydi: davrning bu sanalardan tashqaridagi oylari boʻyicha yozuv "
		"yoʻq, sonlar butun davrni qamramasligi mumkin.",
		"Давр — %s\u00a0–\u00a0%s, лекин ўқилган ёзувлар фақат %s\u00a0–\u00a0%s "
		"оралиғини қамрайди: даврнинг бу саналардан ташқаридаги ойлари бўйича ёзув "
		"йўқ, сонлар бутун даврни қамрамаслиги мумкин."};
	enum mj_lang lang = o->lang <= MJ_LANG_UZ_CYRL ? o->lang : MJ_LANG_EN;
	char d[4][16];
	mj_format_date(stats->period_from, lang, d[0], sizeof d[0]);
	mj_format_date(stats->period_to, lang, d[1], sizeof d[1]);
	mj_format_date(stats->data_from, lang, d[2], sizeof d[2]);
	mj_format_date(stats->data_to, lang, d[3], sizeof d[3]);
	info->period_beyond = 1;
	return note_add(info, g_strdup_printf(fmt[lang], d[0], d[1], d[2], d[3]));
}

/* The notes of a sum, in the table's language (the counts in brackets keep
 * the Russian and Uzbek free of plural forms): what was summed, the hidden
 * cells of the inputs, and the tables the inputs could not make. */
static enum mj_status summed_sentences(struct mj_tabsum_info *info, enum mj_lang lang, size_t ntabs,
				size_t nregs, const char *sources, const char *period,
				size_t hidden_in, const char *unavailable)
{
	if (lang > MJ_LANG_UZ_CYRL)
		lang = MJ_LANG_EN;
	char *what;
	if (lang == MJ_LANG_EN)
		what = g_strdup_printf("Summed from %zu table%s%s%s", ntabs, ntabs == 1 ? "" : "s",
				       nregs ? " and records of " : "",
				       nregs ? (nregs == 1 ? "1 register" : "registers") : "");
	else {
		static const char *const tabs[] = {"", "Сумма таблиц (%zu)", "Jadvallar (%zu)",
						   "Жадваллар (%zu)"};
		static const char *const regs[] = {"", " и записей реестров (%zu)",
						   " va reyestrlar (%zu) yozuvlari",
						   " ва реестрлар (%zu) ёзувлари"};
		static const char *const sum[] = {"", "", " yigʻindisi", " йиғиндиси"};
		char a[96], b[96] = "";
		snprintf(a, sizeof a, tabs[lang], ntabs);
		if (nregs)
			snprintf(b, sizeof b, regs[lang], nregs);
		what = g_strdup_printf("%s%s%s", a, b, sum[lang]);
	}
	static const char *const period_word[] = {"period", "период", "davr", "давр"};
	/* The period as --period reads it: 2023-Q1, 2023-01..2023-08. */
	enum mj_status st = note_add(info, g_strdup_printf("%s: %s%s%s%s%s", what, sources,
		*period ? "; " : "", *period ? period_word[lang] : "", *period ? " " : "", period));
	g_free(what);
	if (st == MJ_OK && hidden_in) {
		if (lang == MJ_LANG_EN)
			st = note_add(info, g_strdup_printf(
				"%zu cell%s of the tables summed %s hidden where %s made; every sum that includes one is hidden too (x): its value is not known, and none is guessed",
				hidden_in, hidden_in == 1 ? "" : "s", hidden_in == 1 ? "was" : "were",
				ntabs == 1 ? "it was" : "they were"));
		else {
			static const char *const hid[] = {"",
				"Ячеек, скрытых во входных таблицах там, где их составили: %zu; каждая сумма, "
				"включающая такую ячейку, тоже скрыта (x): её значение неизвестно и не угадывается",
				"Kiruvchi jadvallarda ular tuzilgan joyda yashirilgan kataklar: %zu; shunday "
				"katakni oʻz ichiga olgan har bir yigʻindi ham yashirilgan (x): uning qiymati "
				"nomaʼlum va taxmin qilinmaydi",
				"Кирувчи жадвалларда улар тузилган жойда яширилган катаклар: %zu; шундай "
				"катакни ўз ичига олган ҳар бир йиғинди ҳам яширилган (x): унинг қиймати "
				"номаълум ва тахмин қилинмайди"};
			st = note_add(info, g_strdup_printf(hid[lang], hidden_in));
		}
	}
	if (st == MJ_OK && *unavailable) {
		static const char *const un[] = {
			"Not available from these inputs (a table lacks the dimension): %s",
			"Нельзя составить по этим входным данным (в таблице нет измерения): %s",
			"Bu kiruvchi maʼlumotlardan tuzib boʻlmaydi (jadvalda oʻlchov yoʻq): %s",
			"Бу кирувчи маълумотлардан тузиб бўлмайди (жадвалда ўлчов йўқ): %s"};
		st = note_add(info, g_strdup_printf(un[lang], unavailable));
	}
	return st;
}

/* Refuses the run options that choose or weigh records: a table has none. */
static enum mj_status options_check(const struct mj_run_opts *o, const char *name,
				    struct mj_error *err)
{
	const char *opt = o->nwhere ? "--where" : o->top ? "--top"
		: o->missing_exclude ? "--missing exclude" : o->weight ? "--weight" : NULL;
	if (!opt)
		return MJ_OK;
	return mj_error_set(err, MJ_E_USAGE, name, 0, 0,
		"%s cannot be applied to a table: it holds counts, not the records the option works on; give the registers instead",
		opt);
}

/* Reads each input: a table (mj-tab's CSV) is loaded and parsed, a
 * register is only named in regs (mj_tabulate() reads it). Standard input
 * is looked at without being consumed: a file redirected to it is opened
 * again, a pipe is peeked at; records are then read from it as they
 * always were, streaming. An input that cannot be read does not stop the
 * others: it is reported through o's on_problem, and the first one's
 * status (and error, into err) returned. source gets the inputs' names. */
static enum mj_status inputs_load(const struct mj_run_opts *opts,
				  const char *const *files, size_t nfiles,
				  struct input *in, const char **regs, size_t *nregs,
				  size_t *ntabs, GString *source, struct mj_error *err)
{
	const struct mj_run_opts o = *opts;
	struct stat sb;
	int stdin_file = fstat(0, &sb) == 0 && S_ISREG(sb.st_mode) && lseek(0, 0, SEEK_CUR) == 0;
	int stdin_table = 0;
	if (!o.stdin_copy && !stdin_file) {
		for (size_t f = 0; f < nfiles && !stdin_table; f++)
			if (strcmp(files[f], "-") == 0)
				stdin_table = stdin_peek_table();
	}
	enum mj_status file_status = MJ_OK;
	for (size_t f = 0; f < nfiles; f++) {
		int is_stdin = strcmp(files[f], "-") == 0;
		in[f].name = is_stdin ? "<stdin>" : files[f];
		in[f].path = !is_stdin ? files[f] : o.stdin_copy ? o.stdin_copy : "/dev/stdin";
		in[f].from = in[f].to = -1;
		g_string_append_printf(source, "%s%s", f ? ", " : "", in[f].name);
		struct mj_error ferr;
		mj_error_clear(&ferr);
		enum mj_status fs = MJ_OK;
		if (is_stdin && !o.stdin_copy && !stdin_file && !stdin_table)
			in[f].is_table = 0; /* records, read by mj_tabulate() */
		else
			fs = input_load(&in[f], &ferr);
		if (fs != MJ_OK && !in[f].is_table) {
			/* mj_tabulate() says why a register cannot be read. */
			regs[(*nregs)++] = files[f];
			continue;
		}
		if (in[f].is_table) {
			in[f].t = mj_table_read_mem(in[f].data, in[f].len, in[f].name, &ferr);
			if (!in[f].t)
				fs = ferr.status != MJ_OK ? ferr.status : MJ_E_PARSE;
		}
		if (fs != MJ_OK) {
			/* A file that cannot be read does not stop the others. */
			if (o.on_problem)
				o.on_problem(o.ctx, &ferr, 1);
			if (file_status == MJ_OK) {
				file_status = fs;
				if (err)
					*err = ferr;
			}
			continue;
		}
		if (in[f].is_table)
			(*ntabs)++;
		else
			regs[(*nregs)++] = files[f];
	}
	return file_status;
}

/* What the inputs counted, summed into stats: the registers' counts
 * (regstats) and each table's, rows of one register (tables of other
 * periods or filters of it) counted once. Also the largest min_cell of
 * the tables, the cells they hid (*hidden_in) and their filters joined. */
static void inputs_counted(const struct input *in, size_t nfiles,
			   const struct mj_run_stats *regstats,
			   struct mj_run_stats *stats, long *min_cell_out,
			   size_t *hidden_in_out, GString *filters)
{
	long min_cell = *min_cell_out;
	size_t hidden_in = 0;
	stats->read = regstats->read;
	memcpy(stats->months_held, regstats->months_held, sizeof stats->months_held);
	stats->counted = regstats->counted;
	stats->rejected = regstats->rejected;
	stats->excluded = regstats->excluded;
	for (size_t f = 0; f < nfiles; f++) {
		const struct mj_table *t = in[f].t;
		if (!t)
			continue;
		/* A table's period was counted, month by month. */
		int y, m, ye, me;
		if (t->period_from && t->period_to &&
		    sscanf(t->period_from, "%4d-%2d", &y, &m) == 2 &&
		    sscanf(t->period_to, "%4d-%2d", &ye, &me) == 2)
			for (int k = 0; (y < ye || (y == ye && m <= me)) && k < MJ_HELD_YEARS * 12; k++) {
				mj_run_month_hold(stats->months_held, y, m);
				if (++m > 12)
					m = 1, y++;
			}
		/* Tables of one register (other periods or filters of it) read
		 * and rejected the same rows: those are counted once. */
		size_t first = f;
		for (size_t g = 0; g < f && first == f; g++)
			if (in[g].t && t->source && in[g].t->source &&
			    strcmp(in[g].t->source, t->source) == 0)
				first = g;
		unsigned long long read = 0, rejected = 0;
		for (size_t g = first; first == f && g < nfiles; g++)
			if (g == f || (in[g].t && t->source && in[g].t->source &&
				       strcmp(in[g].t->source, t->source) == 0)) {
				if (in[g].t->n_read > read)
					read = in[g].t->n_read;
				if (in[g].t->n_rejected > rejected)
					rejected = in[g].t->n_rejected;
			}
		stats->read += read;
		stats->rejected += rejected;
		stats->counted += t->n_counted;
		if (t->min_cell > min_cell)
			min_cell = t->min_cell;
		for (size_t r = 0; r < t->nrows; r++)
			for (size_t c = 0; c < t->ncols; c++)
				hidden_in += t->rows[r].suppressed[c] != 0;
		const char *flt = t->filters ? t->filters : "";
		if (*flt && !strstr(filters->str, flt))
			g_string_append_printf(filters, "%s%s", filters->len ? " | " : "", flt);
	}
	if (stats->read > stats->counted + stats->rejected)
		stats->excluded = stats->read - stats->counted - stats->rejected;
	*min_cell_out = min_cell;
	*hidden_in_out = hidden_in;
}

/* The notes that say what was summed: the inputs and the period, the
 * cells the tables hid, the tables that these inputs cannot make. */
static enum mj_status summed_notes(struct mj_tabsum_info *info, const struct mj_run_opts *o,
				   const struct mj_run_stats *stats, size_t ntabs,
				   size_t nregs, const GString *source,
				   long from, long to, size_t hidden_in,
				   const GString *unavailable)
{
	char p[48] = "";
	if (from >= 0)
		period_text(from, to, p, sizeof p);
	info->ntables = ntabs;
	info->nregisters = nregs;
	info->hidden_in = hidden_in;
	enum mj_status st = summed_sentences(info, o->lang, ntabs, nregs, source->str, p, hidden_in,
				      unavailable->str);
	if (st == MJ_OK)
		st = period_note(info, o, stats);
	return st;
}

/* --period with tables: the tables' period (days from..to, -1 for none)
 * must be the one asked, as a table cannot be cut to another. */
static enum mj_status period_check(const char *period, long from, long to,
				   struct mj_error *err)
{
	long lo, hi;
	enum mj_status st = mj_period_parse(period, &lo, &hi, err);
	if (st != MJ_OK)
		return st;
	long plo = mj_days_from_civil((int)(lo / 10000), (int)(lo / 100 % 100), (int)(lo % 100));
	long phi = mj_days_from_civil((int)(hi / 10000), (int)(hi / 100 % 100), (int)(hi % 100));
	if (plo == from && phi == to)
		return MJ_OK;
	if (from < 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--period %s: the tables given cover no period; a table cannot be cut to another period",
			period);
	char have[48];
	period_text(from, to, have, sizeof have);
	return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
		"--period %s: the tables given cover %s; a table cannot be cut to another period",
		period, have);
}

/* Why the tables tabs (nt of them) cannot make spec's table: a
 * dimension one lacks (lacking()), or a measure other than the one this
 * table adds (counts add to counts, sums of a dimension to sums of it);
 * "" when they can. Caller frees. */
static char *spec_lacking(struct sum *b, const struct mj_tab_spec *spec,
			  const struct input *const *tabs, size_t nt)
{
	char *lack = lacking(b, tabs, nt);
	const char *measure = spec->sum ? spec->sum : b->opts->sum ? b->opts->sum : "count";
	for (size_t k = 0; k < nt && !*lack; k++) {
		const char *m = tabs[k]->t->measure ? tabs[k]->t->measure : "count";
		if (strcmp(m, measure) != 0) {
			g_free(lack);
			/* Formatted into a message: translated here. */
			lack = g_strdup_printf(strcmp(measure, "count") == 0
				? MJ_("%s holds '%s', and this table adds '%s' (give --sum to add sums)")
				: MJ_("%s holds '%s', and this table adds '%s'"),
				tabs[k]->name, m, measure);
		}
	}
	/* Counts weighted by a column add only to counts weighted by it. */
	for (size_t k = 0; k < nt && !*lack && !mj_table_is_sum(tabs[k]->t); k++) {
		const char *w = tabs[k]->t->weight;
		if (w && b->weight && strcmp(w, b->weight) == 0)
			continue;
		if (!w && !b->weight)
			continue;
		g_free(lack);
		if (w && b->weight)
			lack = g_strdup_printf(MJ_("%s holds counts weighted by '%s', and this table adds counts weighted by '%s'"),
					       tabs[k]->name, w, b->weight);
		else if (w)
			lack = g_strdup_printf(MJ_("%s holds counts weighted by '%s', and this table adds unweighted counts"),
					       tabs[k]->name, w);
		else
			lack = g_strdup_printf(MJ_("%s holds unweighted counts, and this table adds counts weighted by '%s'"),
					       tabs[k]->name, b->weight);
	}
	return lack;
}

/* A summed table says what was counted (stats), over which period (when
 * has_period), with which filters, from which inputs; it is suppressed at
 * want_min_cell (when > 1), and carries min_cell when it hides a cell. */
static enum mj_status summed_finish(struct mj_table *t, const struct mj_run_stats *stats,
				    int has_period, const GString *filters,
				    const GString *source, long want_min_cell, long min_cell)
{
	t->n_read = stats->read;
	t->n_counted = stats->counted;
	t->n_rejected = stats->rejected;
	if ((has_period && (mj_table_set(&t->period_from, stats->period_from) != MJ_OK ||
			    mj_table_set(&t->period_to, stats->period_to) != MJ_OK)) ||
	    (filters->len && mj_table_set(&t->filters, filters->str) != MJ_OK) ||
	    mj_table_set(&t->source, source->str) != MJ_OK ||
	    (want_min_cell > 1 && mj_table_suppress(t, want_min_cell) != MJ_OK))
		return MJ_E_NOMEM;
	t->min_cell = mj_table_has_hidden(t, MJ_HIDDEN_PRIMARY) ||
		      mj_table_has_hidden(t, MJ_HIDDEN_COMPLEMENT) ? min_cell : 0;
	return MJ_OK;
}

enum mj_status mj_tabsum(const struct mj_run_opts *opts,
			 const char *const *files, size_t nfiles,
			 const struct mj_tab_spec *specs, size_t nspecs,
			 struct mj_table **tables, struct mj_run_stats *stats,
			 struct mj_tabsum_info *info, struct mj_error *err)
{
	static const char *const stdin_only[] = {"-"};
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	for (size_t i = 0; i < nspecs; i++)
		tables[i] = NULL;
	struct mj_run_stats local;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	struct mj_run_opts o = *opts;
	struct mj_stdin_copy copy = {.fd = -1};
	struct mj_schema *own_schema = NULL;
	struct input *in = calloc(nfiles, sizeof *in);
	struct input **order = calloc(nfiles + 1, sizeof *order);
	const char **regs = calloc(nfiles, sizeof *regs);
	struct mj_table **regtabs = calloc(nspecs ? nspecs : 1, sizeof *regtabs);
	struct src *srcs = calloc(nfiles, sizeof *srcs);
	struct input reggroup = {.from = -1, .to = -1};
	GString *source = g_string_new(NULL), *filters = g_string_new(NULL);
	GString *regnames = g_string_new(NULL);
	enum mj_status st = MJ_OK;
	size_t ntabs = 0, nregs = 0;
	if (!in || !order || !regs || !regtabs || !srcs) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	enum mj_status file_status = inputs_load(&o, files, nfiles, in, regs, &nregs,
						 &ntabs, source, err);
	if (ntabs == 0 && file_status == MJ_OK) {
		/* Records only: the one counting mechanism, as it always was. */
		st = mj_tabulate(&o, files, nfiles, specs, nspecs, tables, stats, err);
		if (info)
			info->nregisters = nfiles;
		if (st == MJ_OK && period_note(info, &o, stats) != MJ_OK)
			st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	if (file_status != MJ_OK) {
		st = file_status;
		goto done;
	}
	for (size_t f = 0; f < nfiles && st == MJ_OK; f++)
		if (in[f].is_table)
			st = options_check(&o, in[f].name, err);
	if (st != MJ_OK && info && info->partial) {
		/* Tables that cannot be filtered make none of these. */
		st = MJ_OK;
		info->ntables = ntabs;
		info->nregisters = nregs;
		goto done;
	}
	if (st != MJ_OK)
		goto done;
	const struct mj_schema *s = o.schema;
	if (!s) {
		own_schema = mj_schema_default(err);
		if (!own_schema) {
			st = err ? err->status : MJ_E_SCHEMA;
			goto done;
		}
		s = o.schema = own_schema;
	}
	for (size_t f = 0; f < nfiles && st == MJ_OK; f++) {
		if (!in[f].is_table)
			continue;
		st = table_check(s, &in[f], err);
		in[f].from = iso_days(in[f].t->period_from);
		in[f].to = iso_days(in[f].t->period_to);
		if (in[f].from < 0 || in[f].to < in[f].from)
			in[f].from = in[f].to = -1;
	}
	if (st != MJ_OK)
		goto done;
	struct mj_run_stats regstats = {0};
	if (nregs) {
		st = mj_tabulate(&o, regs, nregs, specs, nspecs, regtabs, &regstats, err);
		if (st != MJ_OK)
			goto done;
		/* Messages name the registers as given (no English word for
		 * "the records" inside a translated sentence). */
		for (size_t i = 0; i < nregs; i++)
			g_string_append_printf(regnames, "%s%s", i ? ", " : "",
					       strcmp(regs[i], "-") == 0 ? "<stdin>" : regs[i]);
		reggroup.name = regnames->str;
		reggroup.path = "";
		reggroup.from = iso_days(regstats.period_from);
		reggroup.to = iso_days(regstats.period_to);
		if (reggroup.from < 0)
			reggroup.to = -1;
	}
	if (!o.allow_overlap && (st = overlap_check(in, nfiles, err)) != MJ_OK)
		goto done;
	size_t nord = 0;
	for (size_t f = 0; f < nfiles; f++)
		if (in[f].is_table)
			order[nord++] = &in[f];
	if (nregs)
		order[nord++] = &reggroup;
	long from, to;
	if ((st = periods_join(order, nord, o.allow_overlap, &from, &to, err)) != MJ_OK)
		goto done;
	if (o.period && (st = period_check(o.period, from, to, err)) != MJ_OK)
		goto done;
	/* What was counted: the sums of what the inputs say. */
	long min_cell = o.min_cell > 1 ? o.min_cell : 0;
	size_t hidden_in = 0;
	inputs_counted(in, nfiles, &regstats, stats, &min_cell, &hidden_in, filters);
	if (from >= 0) {
		days_iso(from, stats->period_from, sizeof stats->period_from);
		days_iso(to, stats->period_to, sizeof stats->period_to);
		snprintf(stats->data_from, sizeof stats->data_from, "%s",
			 regstats.data_from[0] ? regstats.data_from : stats->period_from);
		snprintf(stats->data_to, sizeof stats->data_to, "%s",
			 regstats.data_to[0] ? regstats.data_to : stats->period_to);
	}
	struct sum b = {.opts = &o, .s = s, .lang = o.lang, .srcs = srcs};
	/* The registers' weight, or else the first table's: tables are added
	 * as they are (--weight weighs records only). */
	b.weight = nregs ? o.weight : NULL;
	for (size_t f = 0; !nregs && f < nfiles; f++)
		if (in[f].t && !mj_table_is_sum(in[f].t)) {
			b.weight = in[f].t->weight;
			break;
		}
	GString *unavailable = g_string_new(NULL);
	for (size_t i = 0; i < nspecs && st == MJ_OK; i++) {
		if ((st = spec_dims(&b, &specs[i], err)) != MJ_OK)
			break;
		b.nsrc = 0;
		const struct input *tabs[nfiles ? nfiles : 1];
		size_t nt = 0;
		for (size_t f = 0; f < nfiles; f++)
			if (in[f].t)
				tabs[nt++] = &in[f];
		char *lack = spec_lacking(&b, &specs[i], tabs, nt);
		if (*lack) {
			if (info && info->partial) {
				g_string_append_printf(unavailable, "%s%s", unavailable->len ? "; " : "",
						       specs[i].cols ? specs[i].cols : specs[i].by);
				/* Dimension names in any language; the word
				 * between them only in English. */
				if (specs[i].cols)
					g_string_append_printf(unavailable, "%s%s",
							       b.lang == MJ_LANG_EN ? " by " : " × ",
							       specs[i].by);
			} else {
				const char *opt = specs[i].cols ? "--by/--cols" : "--by";
				st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "%s %s%s%s: %s", opt,
						  specs[i].by, specs[i].cols ? " --cols " : "",
						  specs[i].cols ? specs[i].cols : "", lack);
			}
			g_free(lack);
			continue;
		}
		g_free(lack);
		int ok = 1;
		for (size_t k = 0; k < nt && ok; k++)
			ok = src_init(&srcs[b.nsrc++], tabs[k]->t, tabs[k]->name) == 0;
		if (ok && regtabs[i])
			ok = src_init(&srcs[b.nsrc++], regtabs[i], reggroup.name) == 0;
		struct mj_table *t = ok ? build(&b, &specs[i], err) : NULL;
		for (size_t k = 0; k < b.nsrc; k++)
			src_free(&srcs[k]);
		if (!ok && !t)
			st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		if (!t) {
			st = st != MJ_OK ? st : err ? err->status : MJ_E_NOMEM;
			break;
		}
		tables[i] = t;
		if (summed_finish(t, stats, from >= 0, filters, source, o.min_cell,
				  min_cell) != MJ_OK) {
			st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
			break;
		}
	}
	if (st == MJ_OK && info &&
	    summed_notes(info, &o, stats, ntabs, nregs, source, from, to, hidden_in,
			 unavailable) != MJ_OK)
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	g_string_free(unavailable, TRUE);
done:
	if (st != MJ_OK)
		for (size_t i = 0; i < nspecs; i++) {
			mj_table_destroy(tables[i]);
			tables[i] = NULL;
		}
	for (size_t i = 0; regtabs && i < nspecs; i++)
		mj_table_destroy(regtabs[i]);
	for (size_t f = 0; in && f < nfiles; f++) {
		free(in[f].data);
		mj_table_destroy(in[f].t);
	}
	free(in);
	free(order);
	free(regs);
	free(regtabs);
	free(srcs);
	g_string_free(source, TRUE);
	g_string_free(filters, TRUE);
	g_string_free(regnames, TRUE);
	mj_stdin_copy_close(&copy);
	mj_schema_destroy(own_schema);
	return st;
}

enum mj_status mj_tabsum_notes_add(const struct mj_tabsum_info *info, struct mj_stats *s)
{
	for (size_t i = 0; info && i < info->nnotes; i++)
		if (mj_stats_note(s, info->notes[i]) != MJ_OK)
			return MJ_E_NOMEM;
	return MJ_OK;
}

void mj_tabsum_info_free(struct mj_tabsum_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->nnotes; i++)
		g_free(info->notes[i]);
	info->nnotes = 0;
}
