/* Normalisation and validation of records against the schema. Values are
 * matched once per distinct spelling and column (a per-column cache), so a
 * long register costs one hash look-up per field. */
#include "murojaat/record.h"

#include <errno.h>
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"
#include "text.h"

/* Cache entries are bounded so garbage input cannot grow memory. */
#define CACHE_MAX 65536
#define OPEN_MAX 60000

struct column {
	int dim;          /* schema dimension, or -1 for ignored columns */
	int role;         /* ROLE_* for extra numeric columns */
	GHashTable *cache;/* raw text -> encoded result (see encode_cat) */
};

enum { ROLE_NONE, ROLE_WEIGHT, ROLE_SUM };

struct open_values {
	GHashTable *ids;  /* matching key -> id + 1 */
	GPtrArray *labels;/* id -> first spelling seen, trimmed */
};

struct mj_normaliser {
	const struct mj_schema *schema;
	char *weight, *sum;
	int weight_dim, sum_dim;  /* schema dims used as weight/sum, or -1 */
	struct column *cols;
	size_t ncols;
	int col_of_dim[MJ_MAX_DIMS]; /* column index for each dimension, -1 */
	int id_col;
	const char *path;
	const char *sheet;        /* borrowed: the sheet being read, "" for text */
	struct open_values open[MJ_MAX_DIMS];
};

/* Places in a workbook are cells of its sheet. */
static void set_sheet(const struct mj_normaliser *n, struct mj_error *e)
{
	if (n->sheet && n->sheet[0])
		snprintf(e->sheet, sizeof e->sheet, "%s", n->sheet);
}

void mj_normaliser_set_sheet(struct mj_normaliser *n, const char *sheet)
{
	n->sheet = sheet;
}

struct mj_normaliser *mj_normaliser_new(const struct mj_schema *schema,
					const char *weight, const char *sum,
					struct mj_error *err)
{
	if (schema->ndims > MJ_MAX_DIMS) {
		mj_error_set(err, MJ_E_LIMIT, NULL, 0, 0,
			     "the schema has %zu dimensions; the limit is %d",
			     schema->ndims, MJ_MAX_DIMS);
		return NULL;
	}
	struct mj_normaliser *n = calloc(1, sizeof *n);
	if (!n)
		goto nomem;
	n->schema = schema;
	n->weight = weight ? strdup(weight) : NULL;
	n->sum = sum ? strdup(sum) : NULL;
	if ((weight && !n->weight) || (sum && !n->sum))
		goto nomem;
	n->weight_dim = weight ? mj_schema_dim_find(schema, weight) : -1;
	n->sum_dim = sum ? mj_schema_dim_find(schema, sum) : -1;
	for (size_t d = 0; d < MJ_MAX_DIMS; d++)
		n->col_of_dim[d] = -1;
	for (size_t d = 0; d < schema->ndims; d++) {
		if (schema->dims[d].kind != MJ_DIM_OPEN)
			continue;
		n->open[d].ids = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
		n->open[d].labels = g_ptr_array_new_with_free_func(free);
	}
	n->id_col = -1;
	return n;
nomem:
	mj_normaliser_destroy(n);
	mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	return NULL;
}

static void drop_columns(struct mj_normaliser *n)
{
	for (size_t c = 0; c < n->ncols; c++)
		if (n->cols[c].cache)
			g_hash_table_destroy(n->cols[c].cache);
	free(n->cols);
	n->cols = NULL;
	n->ncols = 0;
}

void mj_normaliser_destroy(struct mj_normaliser *n)
{
	if (!n)
		return;
	drop_columns(n);
	for (size_t d = 0; d < MJ_MAX_DIMS; d++) {
		if (n->open[d].ids)
			g_hash_table_destroy(n->open[d].ids);
		if (n->open[d].labels)
			g_ptr_array_free(n->open[d].labels, TRUE);
	}
	free(n->weight);
	free(n->sum);
	free(n);
}

static void report(const struct mj_normaliser *n, mj_problem_fn fn, void *ctx,
		   unsigned long line, unsigned long col, int fatal,
		   enum mj_status status, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

static void report(const struct mj_normaliser *n, mj_problem_fn fn, void *ctx,
		   unsigned long line, unsigned long col, int fatal,
		   enum mj_status status, const char *fmt, ...)
{
	if (!fn)
		return;
	struct mj_error e;
	mj_error_set(&e, status, n->path, line, col, "%s", "");
	set_sheet(n, &e);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.message, sizeof e.message, fmt, ap);
	va_end(ap);
	fn(ctx, &e, fatal);
}

/* Header names are compared by their matching keys; "Region " and "REGION"
 * name the same column. */
static int same_name(const char *a, const char *b)
{
	char *ka = mj_text_key(a, strlen(a)), *kb = mj_text_key(b, strlen(b));
	int same = ka && kb && strcmp(ka, kb) == 0;
	free(ka);
	free(kb);
	return same;
}

static enum mj_status header_columns(struct mj_normaliser *n, const char *path,
				     const struct mj_field *fields, size_t nfields,
				     unsigned long line, mj_problem_fn on_problem,
				     void *ctx, struct mj_error *err);

enum mj_status mj_normaliser_header(struct mj_normaliser *n, const char *path,
				    const struct mj_field *fields, size_t nfields,
				    unsigned long line, mj_problem_fn on_problem,
				    void *ctx, struct mj_error *err)
{
	enum mj_status st = header_columns(n, path, fields, nfields, line,
					   on_problem, ctx, err);
	if (st != MJ_OK && err)
		set_sheet(n, err);
	return st;
}

static enum mj_status header_columns(struct mj_normaliser *n, const char *path,
				     const struct mj_field *fields, size_t nfields,
				     unsigned long line, mj_problem_fn on_problem,
				     void *ctx, struct mj_error *err)
{
	const struct mj_schema *s = n->schema;
	drop_columns(n);
	n->path = path;
	n->id_col = -1;
	for (size_t d = 0; d < MJ_MAX_DIMS; d++)
		n->col_of_dim[d] = -1;
	n->cols = calloc(nfields ? nfields : 1, sizeof *n->cols);
	if (!n->cols)
		return mj_error_set(err, MJ_E_NOMEM, path, line, 0, "out of memory");
	n->ncols = nfields;
	int weight_found = 0, sum_found = 0;
	for (size_t c = 0; c < nfields; c++) {
		struct column *col = &n->cols[c];
		col->dim = -1;
		const char *name = fields[c].text;
		if (fields[c].len != strlen(name) ||
		    !g_utf8_validate(name, (gssize)fields[c].len, NULL))
			return mj_error_set(err, MJ_E_ENCODING, path, line, c + 1,
				"header field %zu is not valid UTF-8 text (is the file Windows-1251? try --encoding cp1251)",
				c + 1);
		if (n->weight && n->weight_dim < 0 && same_name(name, n->weight)) {
			col->role = ROLE_WEIGHT;
			weight_found = 1;
			continue;
		}
		if (n->sum && n->sum_dim < 0 && same_name(name, n->sum)) {
			col->role = ROLE_SUM;
			sum_found = 1;
			continue;
		}
		int d = mj_schema_dim_find(s, name);
		if (d >= 0 && s->dims[d].kind == MJ_DIM_DERIVED) {
			report(n, on_problem, ctx, line, c + 1, 0, MJ_OK,
			       "note: column '%s' is derived by murojaat (from '%s'); the file's column is ignored",
			       name, s->dims[s->dims[d].source].name);
			continue;
		}
		if (d < 0) {
			report(n, on_problem, ctx, line, c + 1, 0, MJ_OK,
			       "note: column '%s' is not in the schema; ignored", name);
			continue;
		}
		if (n->col_of_dim[d] >= 0)
			return mj_error_set(err, MJ_E_VALUE, path, line, c + 1,
				"duplicate column: '%s' names '%s', as column %d does",
				name, s->dims[d].name, n->col_of_dim[d] + 1);
		n->col_of_dim[d] = (int)c;
		col->dim = d;
		if (s->dims[d].kind == MJ_DIM_ID)
			n->id_col = (int)c;
		if (s->dims[d].kind == MJ_DIM_CATEGORY || s->dims[d].kind == MJ_DIM_OPEN)
			col->cache = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	}
	for (size_t d = 0; d < s->ndims; d++)
		if (s->dims[d].required && n->col_of_dim[d] < 0)
			return mj_error_set(err, MJ_E_VALUE, path, line, 0,
				"missing required column '%s' (also accepted: the names in `mj-check --explain`)",
				s->dims[d].name);
	if (n->weight && n->weight_dim < 0 && !weight_found)
		return mj_error_set(err, MJ_E_VALUE, path, line, 0,
				    "no column '%s' for --weight", n->weight);
	if (n->sum && n->sum_dim < 0 && !sum_found)
		return mj_error_set(err, MJ_E_VALUE, path, line, 0,
				    "no column '%s' for --sum", n->sum);
	if (n->weight_dim >= 0 && n->col_of_dim[n->weight_dim] < 0)
		return mj_error_set(err, MJ_E_VALUE, path, line, 0,
				    "no column '%s' for --weight", n->weight);
	if (n->sum_dim >= 0 && n->col_of_dim[n->sum_dim] < 0)
		return mj_error_set(err, MJ_E_VALUE, path, line, 0,
				    "no column '%s' for --sum", n->sum);
	return MJ_OK;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Reads 1..max digits at *p; returns -1 when none. */
static int digits(const char **p, const char *end, int max)
{
	int v = 0, n = 0;
	while (*p < end && n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

int mj_parse_date(const char *text, size_t len, int *year, int *month, int *day)
{
	const char *p = text, *end = text + len;
	int a = digits(&p, end, 4);
	if (a < 0 || p == end)
		return -1;
	int y, m, d;
	if (p - text == 4 && *p == '-') {
		p++;
		m = digits(&p, end, 2);
		if (m < 0 || p == end || *p != '-')
			return -1;
		p++;
		d = digits(&p, end, 2);
		y = a;
	} else if ((*p == '.' || *p == '/') && p - text <= 2) {
		char sep = *p++;
		m = digits(&p, end, 2);
		if (m < 0 || p == end || *p != sep)
			return -1;
		p++;
		const char *ys = p;
		y = digits(&p, end, 4);
		if (p - ys != 4)
			return -1;
		d = a;
	} else {
		return -1;
	}
	/* Spreadsheets export dates with a time of day: ignore it. */
	if (p < end && (*p == ' ' || *p == 'T')) {
		p++;
		if (digits(&p, end, 2) < 0 || p == end || *p != ':')
			return -1;
		while (p < end && ((*p >= '0' && *p <= '9') || *p == ':' || *p == '.'))
			p++;
	}
	if (p != end || y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m))
		return -1;
	*year = y;
	*month = m;
	*day = d;
	return 0;
}

/* Cache encoding: 1 = missing, cat + 2 = category, -(s + 2) = unknown with
 * suggestion s, -1 = unknown without suggestion, 0 = not cached. */
static int lookup_category(struct mj_normaliser *n, struct column *col,
			   const char *text, size_t len, int *invalid_utf8)
{
	gpointer hit = g_hash_table_lookup(col->cache, text);
	if (hit)
		return GPOINTER_TO_INT(hit);
	const struct mj_schema *s = n->schema;
	char *key = mj_text_key(text, len);
	if (!key) {
		*invalid_utf8 = 1;
		return -1;
	}
	int code;
	if (mj_schema_key_is_missing(s, key)) {
		code = 1;
	} else if (s->dims[col->dim].kind == MJ_DIM_OPEN) {
		struct open_values *ov = &n->open[col->dim];
		gpointer id = g_hash_table_lookup(ov->ids, key);
		if (id) {
			code = GPOINTER_TO_INT(id) - 1 + 2;
		} else if (ov->labels->len >= OPEN_MAX) {
			code = -1;
		} else {
			char *label = strndup(text, len);
			if (!label) {
				free(key);
				return -1;
			}
			g_ptr_array_add(ov->labels, mj_text_trim(label));
			int newid = (int)ov->labels->len - 1;
			g_hash_table_insert(ov->ids, key, GINT_TO_POINTER(newid + 1));
			key = NULL;
			code = newid + 2;
		}
	} else {
		int c = mj_schema_key_find(s, (size_t)col->dim, key);
		if (c >= 0) {
			code = c + 2;
		} else {
			int sug = mj_schema_suggest(s, (size_t)col->dim, key);
			code = sug >= 0 ? -(sug + 2) : -1;
		}
	}
	free(key);
	if (g_hash_table_size(col->cache) < CACHE_MAX) {
		char *copy = strndup(text, len);
		if (copy)
			g_hash_table_insert(col->cache, copy, GINT_TO_POINTER(code));
	}
	return code;
}

/* Parses a whole number, spaces around allowed. Returns 0 on success. */
static int parse_long(const char *text, long *out)
{
	char *end;
	while (*text == ' ' || *text == '\t')
		text++;
	if (!*text)
		return -1;
	errno = 0;
	long v = strtol(text, &end, 10);
	/* "25.0" from a spreadsheet is still 25. */
	if (*end == '.' || *end == ',') {
		const char *z = end + 1;
		while (*z == '0')
			z++;
		if (z > end + 1 && (*z == '\0' || *z == ' '))
			end = (char *)z;
	}
	while (*end == ' ' || *end == '\t' || *end == '\r')
		end++;
	if (*end || errno)
		return -1;
	*out = v;
	return 0;
}

static int parse_double(const char *text, double *out)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%s", text);
	for (char *c = buf; *c; c++)
		if (*c == ',')
			*c = '.';
	char *end;
	errno = 0;
	double v = strtod(buf, &end);
	while (*end == ' ')
		end++;
	if (end == buf || *end || errno)
		return -1;
	*out = v;
	return 0;
}

/* Derived values: group from sex and age, bins from integers, periods. */
static void derive(const struct mj_schema *s, struct mj_record *rec)
{
	for (size_t d = 0; d < s->ndims; d++) {
		const struct mj_dim *dim = &s->dims[d];
		if (dim->kind != MJ_DIM_DERIVED)
			continue;
		int src = dim->source;
		const struct mj_dim *sdim = &s->dims[src];
		rec->value[d] = MJ_MISSING;
		if (sdim->kind == MJ_DIM_DATE) {
			if (rec->year == 0)
				continue;
			rec->value[d] = dim->unit == 'q' ? mj_period_quarter(rec->year, rec->month)
				: dim->unit == 'y' ? rec->year
				: mj_period_month(rec->year, rec->month);
			continue;
		}
		int best = -1, best_conds = -1;
		for (size_t c = 0; c < dim->ncats; c++) {
			const struct mj_cat *cat = &dim->cats[c];
			if (cat->has_range) {
				if (rec->value[src] != MJ_MISSING &&
				    rec->number[src] >= cat->lo && rec->number[src] <= cat->hi) {
					best = (int)c;
					break;
				}
				continue;
			}
			int ok = 1;
			for (int k = 0; k < cat->nconds && ok; k++) {
				const struct mj_cond *cond = &cat->conds[k];
				if (rec->value[cond->dim] == MJ_MISSING)
					ok = 0;
				else if (cond->cat >= 0)
					ok = rec->value[cond->dim] == cond->cat;
				else
					ok = rec->number[cond->dim] >= cond->lo &&
					     rec->number[cond->dim] <= cond->hi;
			}
			/* The most specific matching rule wins: a girl under 18
			 * matches "female" and "female under 18". */
			if (ok && cat->nconds > best_conds) {
				best = (int)c;
				best_conds = cat->nconds;
			}
		}
		rec->value[d] = best;
	}
}

size_t mj_normaliser_row(struct mj_normaliser *n, const struct mj_field *fields,
			 size_t nfields, unsigned long line,
			 struct mj_record *rec, mj_problem_fn on_problem,
			 void *ctx)
{
	const struct mj_schema *s = n->schema;
	size_t problems = 0;
	rec->line = line;
	rec->year = rec->month = rec->day = 0;
	rec->weight = 1;
	rec->measure = 0;
	rec->id = NULL;
	rec->id_len = 0;
	for (size_t d = 0; d < s->ndims; d++)
		rec->value[d] = MJ_MISSING;
	if (nfields != n->ncols) {
		report(n, on_problem, ctx, line, nfields < n->ncols ? nfields : n->ncols + 1,
		       0, MJ_E_PARSE, "row has %zu fields, the header has %zu", nfields, n->ncols);
		problems++;
	}
	size_t ncols = nfields < n->ncols ? nfields : n->ncols;
	for (size_t c = 0; c < ncols; c++) {
		struct column *col = &n->cols[c];
		const struct mj_field *f = &fields[c];
		if (col->dim < 0 && col->role == ROLE_NONE)
			continue;
		if (memchr(f->text, '\0', f->len)) {
			report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
			       "field holds a NUL byte (is this a binary file?)");
			problems++;
			continue;
		}
		if (col->role != ROLE_NONE) {
			double v = 0;
			char *copy = strndup(f->text, f->len);
			int bad = !copy || (mj_text_trim(copy)[0] && parse_double(copy, &v) != 0);
			free(copy);
			if (bad) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
				       "column '%s': \"%.40s\" is not a number",
				       col->role == ROLE_WEIGHT ? n->weight : n->sum, f->text);
				problems++;
			} else if (col->role == ROLE_WEIGHT) {
				rec->weight = v;
			} else {
				rec->measure = v;
			}
			continue;
		}
		const struct mj_dim *dim = &s->dims[col->dim];
		int d = col->dim;
		switch (dim->kind) {
		case MJ_DIM_ID:
			rec->id = f->text;
			rec->id_len = f->len;
			break;
		case MJ_DIM_CATEGORY:
		case MJ_DIM_OPEN: {
			int bad_utf8 = 0;
			int code = lookup_category(n, col, f->text, f->len, &bad_utf8);
			if (code >= 2) {
				rec->value[d] = code - 2;
			} else if (code == 1) {
				rec->value[d] = MJ_MISSING;
			} else if (bad_utf8) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_ENCODING,
				       "column '%s': value is not valid UTF-8 (is the file Windows-1251? try --encoding cp1251)",
				       dim->name);
				problems++;
			} else if (dim->kind == MJ_DIM_OPEN) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_LIMIT,
				       "column '%s': more than %d distinct values", dim->name, OPEN_MAX);
				problems++;
			} else if (code < -1) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
				       "column '%s': unknown value \"%.60s\" (did you mean \"%s\"?)",
				       dim->name, f->text, dim->cats[-code - 2].labels[MJ_LANG_EN]);
				problems++;
			} else {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
				       "column '%s': unknown value \"%.60s\" (see `mj-check --explain` for accepted values)",
				       dim->name, f->text);
				problems++;
			}
			break;
		}
		case MJ_DIM_INTEGER: {
			char buf[64];
			size_t len = f->len < sizeof buf - 1 ? f->len : sizeof buf - 1;
			memcpy(buf, f->text, len);
			buf[len] = '\0';
			mj_text_trim(buf);
			long v;
			if (!buf[0] || (f->len < 64 && mj_schema_key_is_missing(s, buf)))
				break;
			if (f->len >= 64 || parse_long(buf, &v) != 0) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
				       "column '%s': \"%.40s\" is not a whole number", dim->name, f->text);
				problems++;
			} else if (v < dim->min || v > dim->max) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
				       "column '%s': %ld is out of range %ld-%ld", dim->name, v,
				       dim->min, dim->max);
				problems++;
			} else {
				rec->value[d] = 0;
				rec->number[d] = v;
			}
			break;
		}
		case MJ_DIM_DATE: {
			char buf[64];
			size_t len = f->len < sizeof buf - 1 ? f->len : sizeof buf - 1;
			memcpy(buf, f->text, len);
			buf[len] = '\0';
			mj_text_trim(buf);
			if (!buf[0])
				break;
			int y, m, dd;
			if (f->len >= 64 || mj_parse_date(buf, strlen(buf), &y, &m, &dd) != 0) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
				       "column '%s': \"%.40s\" is not a date (expected YYYY-MM-DD or DD.MM.YYYY)",
				       dim->name, f->text);
				problems++;
			} else {
				rec->year = y;
				rec->month = m;
				rec->day = dd;
				rec->value[d] = 0;
			}
			break;
		}
		case MJ_DIM_DERIVED:
			break;
		}
	}
	if (n->sum_dim >= 0 && rec->value[n->sum_dim] != MJ_MISSING)
		rec->measure = (double)rec->number[n->sum_dim];
	if (n->weight_dim >= 0)
		rec->weight = rec->value[n->weight_dim] != MJ_MISSING
			? (double)rec->number[n->weight_dim] : 0;
	/* Hierarchy: a child category must belong to its parent. A missing
	 * parent is taken from the child. */
	for (size_t d = 0; d < s->ndims; d++) {
		const struct mj_dim *dim = &s->dims[d];
		if (dim->parent < 0 || dim->kind != MJ_DIM_CATEGORY ||
		    rec->value[d] == MJ_MISSING || n->col_of_dim[d] < 0)
			continue;
		int want = dim->cats[rec->value[d]].parent;
		int have = rec->value[dim->parent];
		const struct mj_dim *pdim = &s->dims[dim->parent];
		if (have == MJ_MISSING && n->col_of_dim[dim->parent] >= 0 &&
		    (size_t)n->col_of_dim[dim->parent] < ncols &&
		    fields[n->col_of_dim[dim->parent]].len == 0) {
			rec->value[dim->parent] = want;
		} else if (have != MJ_MISSING && want != have) {
			report(n, on_problem, ctx, line, (unsigned long)n->col_of_dim[d] + 1, 0,
			       MJ_E_VALUE,
			       "column '%s': \"%s\" does not belong to %s \"%s\" (it belongs to \"%s\")",
			       dim->name, dim->cats[rec->value[d]].code, pdim->name,
			       pdim->cats[have].code, want >= 0 ? pdim->cats[want].code : "?");
			problems++;
		}
	}
	for (size_t d = 0; d < s->ndims; d++) {
		const struct mj_dim *dim = &s->dims[d];
		int c = n->col_of_dim[d];
		if (dim->required && rec->value[d] == MJ_MISSING && c >= 0 &&
		    (size_t)c < ncols && fields[c].len == 0) {
			report(n, on_problem, ctx, line, (unsigned long)c + 1, 0, MJ_E_VALUE,
			       "column '%s': a value is required", dim->name);
			problems++;
		}
	}
	derive(s, rec);
	return problems;
}

const char *mj_normaliser_open_label(const struct mj_normaliser *n, size_t dim,
				     int value)
{
	const struct open_values *ov = &n->open[dim];
	if (!ov->labels || value < 0 || (guint)value >= ov->labels->len)
		return "";
	return g_ptr_array_index(ov->labels, (guint)value);
}

size_t mj_normaliser_open_count(const struct mj_normaliser *n, size_t dim)
{
	return n->open[dim].labels ? n->open[dim].labels->len : 0;
}

int mj_normaliser_has_column(const struct mj_normaliser *n, size_t dim)
{
	return dim < MJ_MAX_DIMS && n->col_of_dim[dim] >= 0;
}
