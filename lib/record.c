/* Normalisation and validation of records against the schema. Values are
 * matched once per distinct spelling and column (a per-column cache), so a
 * long register costs one hash look-up per field. */
#include "murojaat/record.h"

#include <errno.h>
#include <glib.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"
#include "text.h"
#include "vcache.h"

/* Cache entries are bounded so garbage input cannot grow memory. */
#define CACHE_MAX 65536
#define OPEN_MAX 60000

struct column {
	int dim;          /* schema dimension, or -1 for ignored columns */
	int role;         /* ROLE_* for extra numeric columns */
	enum mj_dim_kind kind; /* the dimension's kind (when dim >= 0) */
	struct mj_vcache cache; /* raw bytes -> encoded result (see lookup_category) */
	int cached;       /* whether cache is in use */
};

enum { ROLE_NONE, ROLE_WEIGHT, ROLE_SUM };

struct open_values {
	GHashTable *ids;  /* matching key -> id + 1 */
	GPtrArray *labels;/* id -> smallest spelling seen, trimmed */
	GPtrArray *retired;/* spellings replaced by smaller ones */
};

/* Values of open dimensions get the same ids in every clone of a
 * normaliser (one per thread), so their tables can be added up. */
struct open_shared {
	pthread_mutex_t lock;
	int refs;
	struct open_values open[MJ_MAX_DIMS];
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
	unsigned long header_line;
	struct open_shared *shared;
	/* Dimensions that need work on every row, found once. */
	int child_dims[MJ_MAX_DIMS], required_dims[MJ_MAX_DIMS], derived_dims[MJ_MAX_DIMS];
	size_t nchild, nrequired, nderived;
	const char *sheet;        /* borrowed: the sheet being read, "" for text */
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
	n->shared = calloc(1, sizeof *n->shared);
	if (!n->shared)
		goto nomem;
	pthread_mutex_init(&n->shared->lock, NULL);
	n->shared->refs = 1;
	for (size_t d = 0; d < schema->ndims; d++) {
		if (schema->dims[d].kind != MJ_DIM_OPEN)
			continue;
		n->shared->open[d].ids = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
		n->shared->open[d].labels = g_ptr_array_new_with_free_func(free);
		n->shared->open[d].retired = g_ptr_array_new_with_free_func(free);
	}
	n->id_col = -1;
	for (size_t d = 0; d < schema->ndims; d++)
		if (schema->dims[d].kind == MJ_DIM_DERIVED)
			n->derived_dims[n->nderived++] = (int)d;
	return n;
nomem:
	mj_normaliser_destroy(n);
	mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	return NULL;
}

static void drop_columns(struct mj_normaliser *n)
{
	for (size_t c = 0; c < n->ncols; c++)
		if (n->cols[c].cached)
			mj_vcache_free(&n->cols[c].cache);
	free(n->cols);
	n->cols = NULL;
	n->ncols = 0;
}

void mj_normaliser_destroy(struct mj_normaliser *n)
{
	if (!n)
		return;
	drop_columns(n);
	struct open_shared *sh = n->shared;
	int last = 0;
	if (sh) {
		pthread_mutex_lock(&sh->lock);
		last = --sh->refs == 0;
		pthread_mutex_unlock(&sh->lock);
	}
	if (last) {
		for (size_t d = 0; d < MJ_MAX_DIMS; d++) {
			if (sh->open[d].ids)
				g_hash_table_destroy(sh->open[d].ids);
			if (sh->open[d].labels)
				g_ptr_array_free(sh->open[d].labels, TRUE);
			if (sh->open[d].retired)
				g_ptr_array_free(sh->open[d].retired, TRUE);
		}
		pthread_mutex_destroy(&sh->lock);
		free(sh);
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
	n->header_line = line;
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
		col->kind = s->dims[d].kind;
		if (s->dims[d].kind == MJ_DIM_ID)
			n->id_col = (int)c;
		if (s->dims[d].kind == MJ_DIM_CATEGORY || s->dims[d].kind == MJ_DIM_OPEN) {
			if (mj_vcache_init(&col->cache, CACHE_MAX) != 0)
				return mj_error_set(err, MJ_E_NOMEM, path, line, 0, "out of memory");
			col->cached = 1;
		}
	}
	n->nchild = n->nrequired = 0;
	for (size_t d = 0; d < s->ndims; d++) {
		if (s->dims[d].parent >= 0 && s->dims[d].kind == MJ_DIM_CATEGORY &&
		    n->col_of_dim[d] >= 0)
			n->child_dims[n->nchild++] = (int)d;
		if (s->dims[d].required && n->col_of_dim[d] >= 0)
			n->required_dims[n->nrequired++] = (int)d;
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
 * suggestion s, -1 = unknown without suggestion, and two marks for bytes
 * that are no text at all. */
#define CODE_BAD_UTF8 INT_MIN
#define CODE_NUL (INT_MIN + 1)
#define CODE_TOO_LONG (INT_MIN + 2)
/* No category or district is this long; longer values are not matched. */
#define MAX_VALUE_BYTES 1024
static int lookup_category(struct mj_normaliser *n, struct column *col,
			   const char *text, size_t len, int *invalid_utf8)
{
	struct mj_vkey vk;
	mj_vkey_make(&vk, text, len);
	int hit;
	if (mj_vcache_get(&col->cache, &vk, &hit))
		return hit;
	const struct mj_schema *s = n->schema;
	(void)invalid_utf8;
	if (memchr(text, '\0', len)) {
		mj_vcache_put(&col->cache, &vk, CODE_NUL);
		return CODE_NUL;
	}
	if (len > MAX_VALUE_BYTES)
		return CODE_TOO_LONG;
	char *key = mj_text_key(text, len);
	if (!key) {
		mj_vcache_put(&col->cache, &vk, CODE_BAD_UTF8);
		return CODE_BAD_UTF8;
	}
	int code;
	if (mj_schema_key_is_missing(s, key)) {
		code = 1;
	} else if (s->dims[col->dim].kind == MJ_DIM_OPEN) {
		struct open_values *ov = &n->shared->open[col->dim];
		pthread_mutex_lock(&n->shared->lock);
		gpointer id = g_hash_table_lookup(ov->ids, key);
		if (id) {
			code = GPOINTER_TO_INT(id) - 1 + 2;
			/* The label shown is the smallest spelling seen, so it does
			 * not depend on which thread saw which spelling first. The
			 * one replaced stays alive until the normaliser goes. */
			char *label = strndup(text, len);
			guint i = (guint)(code - 2);
			if (label && strcmp(mj_text_trim(label), g_ptr_array_index(ov->labels, i)) < 0) {
				g_ptr_array_add(ov->retired, g_ptr_array_index(ov->labels, i));
				g_ptr_array_index(ov->labels, i) = label;
			} else {
				free(label);
			}
		} else if (ov->labels->len >= OPEN_MAX) {
			code = -1;
		} else {
			char *label = strndup(text, len);
			if (!label) {
				pthread_mutex_unlock(&n->shared->lock);
				free(key);
				return -1;
			}
			g_ptr_array_add(ov->labels, mj_text_trim(label));
			int newid = (int)ov->labels->len - 1;
			g_hash_table_insert(ov->ids, key, GINT_TO_POINTER(newid + 1));
			key = NULL;
			code = newid + 2;
		}
		pthread_mutex_unlock(&n->shared->lock);
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
	mj_vcache_put(&col->cache, &vk, code);
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
static void derive(const struct mj_normaliser *n, struct mj_record *rec)
{
	const struct mj_schema *s = n->schema;
	for (size_t k = 0; k < n->nderived; k++) {
		size_t d = (size_t)n->derived_dims[k];
		const struct mj_dim *dim = &s->dims[d];
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

/* A field of a multi-response dimension naming several categories separated
 * by ';': each is matched like a single value; "not stated" parts and
 * repeats are ignored. Returns the number of problems. */
static size_t multi_values(struct mj_normaliser *n, struct column *col,
			   const struct mj_field *f, unsigned long line, size_t c,
			   struct mj_record *rec, mj_problem_fn on_problem, void *ctx)
{
	const struct mj_dim *dim = &n->schema->dims[col->dim];
	int d = col->dim;
	size_t problems = 0;
	const char *p = f->text, *end = f->text + f->len;
	while (p <= end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		if (!semi)
			semi = end;
		char part[256];
		size_t len = (size_t)(semi - p);
		if (len >= sizeof part)
			len = sizeof part - 1;
		memcpy(part, p, len);
		part[len] = '\0';
		mj_text_trim(part);
		p = semi + 1;
		if (!part[0])
			continue;
		int bad_utf8 = 0;
		int code = lookup_category(n, col, part, strlen(part), &bad_utf8);
		if (code == 1)
			continue;
		if (code >= 2 && code - 2 < 64) {
			if (rec->value[d] == MJ_MISSING)
				rec->value[d] = code - 2;
			rec->mentions[d] |= 1ull << (code - 2);
			continue;
		}
		if (code >= 2)
			report(n, on_problem, ctx, line, c + 1, 0, MJ_E_LIMIT,
			       "column '%s': a multi-response dimension has at most 64 categories",
			       dim->name);
		else if (bad_utf8 || code == CODE_BAD_UTF8)
			report(n, on_problem, ctx, line, c + 1, 0, MJ_E_ENCODING,
			       "column '%s': value is not valid UTF-8 (is the file Windows-1251? try --encoding cp1251)",
			       dim->name);
		else if (code == CODE_NUL)
			report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
			       "field holds a NUL byte (is this a binary file?)");
		else if (code == CODE_TOO_LONG)
			report(n, on_problem, ctx, line, c + 1, 0, MJ_E_LIMIT,
			       "column '%s': value is longer than the limit of %d bytes",
			       dim->name, MAX_VALUE_BYTES);
		else if (code < -1)
			report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
			       "column '%s': unknown value \"%.60s\" (did you mean \"%s\"?)",
			       dim->name, part, dim->cats[-code - 2].labels[MJ_LANG_EN]);
		else
			report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
			       "column '%s': unknown value \"%.60s\" (see `mj-check --explain` for accepted values)",
			       dim->name, part);
		problems++;
	}
	/* One category named (perhaps twice) is an ordinary single value. */
	if (rec->mentions[d] && !(rec->mentions[d] & (rec->mentions[d] - 1)))
		rec->mentions[d] = 0;
	return problems;
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
	for (size_t d = 0; d < s->ndims; d++) {
		rec->value[d] = MJ_MISSING;
		rec->mentions[d] = 0;
	}
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
		if (col->role != ROLE_NONE || col->kind == MJ_DIM_INTEGER || col->kind == MJ_DIM_DATE) {
			/* Fast paths first: plain digits and ISO dates. */
			if (col->kind == MJ_DIM_INTEGER && f->len && f->len <= 9) {
				long v = 0;
				size_t i = 0;
				for (; i < f->len && (unsigned)(f->text[i] - '0') <= 9; i++)
					v = v * 10 + (f->text[i] - '0');
				const struct mj_dim *dim = &s->dims[col->dim];
				if (i == f->len && v >= dim->min && v <= dim->max) {
					rec->value[col->dim] = 0;
					rec->number[col->dim] = v;
					continue;
				}
			} else if (col->kind == MJ_DIM_DATE && f->len == 10 && f->text[4] == '-' &&
				   f->text[7] == '-') {
				const char *t = f->text;
				unsigned y0 = (unsigned)(t[0] - '0'), y1 = (unsigned)(t[1] - '0'),
					 y2 = (unsigned)(t[2] - '0'), y3 = (unsigned)(t[3] - '0'),
					 m0 = (unsigned)(t[5] - '0'), m1 = (unsigned)(t[6] - '0'),
					 d0 = (unsigned)(t[8] - '0'), d1 = (unsigned)(t[9] - '0');
				if ((y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) <= 9) {
					int y = (int)(y0 * 1000 + y1 * 100 + y2 * 10 + y3);
					int m = (int)(m0 * 10 + m1), dd = (int)(d0 * 10 + d1);
					if (y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && dd >= 1 &&
					    dd <= days_in_month(y, m)) {
						rec->year = y;
						rec->month = m;
						rec->day = dd;
						rec->value[col->dim] = 0;
						continue;
					}
				}
			} else if (col->kind == MJ_DIM_INTEGER && f->len == 0) {
				continue;
			}
			if (memchr(f->text, '\0', f->len)) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
				       "field holds a NUL byte (is this a binary file?)");
				problems++;
				continue;
			}
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
			if (dim->multi && memchr(f->text, ';', f->len)) {
				problems += multi_values(n, col, f, line, c, rec, on_problem, ctx);
				break;
			}
			int bad_utf8 = 0;
			int code = lookup_category(n, col, f->text, f->len, &bad_utf8);
			if (code >= 2) {
				rec->value[d] = code - 2;
			} else if (code == 1) {
				rec->value[d] = MJ_MISSING;
			} else if (code == CODE_TOO_LONG) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_LIMIT,
				       "column '%s': value of %zu bytes is longer than the limit of %d",
				       dim->name, f->len, MAX_VALUE_BYTES);
				problems++;
			} else if (code == CODE_NUL) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
				       "field holds a NUL byte (is this a binary file?)");
				problems++;
			} else if (code == CODE_BAD_UTF8) {
				report(n, on_problem, ctx, line, c + 1, 0, MJ_E_ENCODING,
				       "column '%s': value is not valid UTF-8 (is the file Windows-1251? try --encoding cp1251)",
				       dim->name);
				problems++;
			} else if (dim->kind == MJ_DIM_OPEN) {
				/* Which values came first depends on how the file was
				 * split between threads: the whole file stops, with a
				 * message that names the column's header, never a row. */
				report(n, on_problem, ctx, n->header_line, c + 1, 1, MJ_E_LIMIT,
				       "column '%s' has more than %d distinct values, the limit for a column without a fixed list; the file cannot be counted",
				       dim->name, OPEN_MAX);
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
	for (size_t k = 0; k < n->nchild; k++) {
		size_t d = (size_t)n->child_dims[k];
		const struct mj_dim *dim = &s->dims[d];
		if (rec->value[d] == MJ_MISSING)
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
	for (size_t k = 0; k < n->nrequired; k++) {
		size_t d = (size_t)n->required_dims[k];
		const struct mj_dim *dim = &s->dims[d];
		int c = n->col_of_dim[d];
		if (rec->value[d] == MJ_MISSING && (size_t)c < ncols && fields[c].len == 0) {
			report(n, on_problem, ctx, line, (unsigned long)c + 1, 0, MJ_E_VALUE,
			       "column '%s': a value is required", dim->name);
			problems++;
		}
	}
	derive(n, rec);
	return problems;
}

const char *mj_normaliser_open_label(const struct mj_normaliser *n, size_t dim,
				     int value)
{
	const struct open_values *ov = &n->shared->open[dim];
	const char *label = "";
	pthread_mutex_lock(&n->shared->lock);
	if (ov->labels && value >= 0 && (guint)value < ov->labels->len)
		label = g_ptr_array_index(ov->labels, (guint)value);
	pthread_mutex_unlock(&n->shared->lock);
	/* Labels are never freed or moved before the normaliser is. */
	return label;
}

size_t mj_normaliser_open_count(const struct mj_normaliser *n, size_t dim)
{
	pthread_mutex_lock(&n->shared->lock);
	size_t count = n->shared->open[dim].labels ? n->shared->open[dim].labels->len : 0;
	pthread_mutex_unlock(&n->shared->lock);
	return count;
}

struct mj_normaliser *mj_normaliser_clone(const struct mj_normaliser *n)
{
	struct mj_normaliser *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	*c = *n;
	c->weight = n->weight ? strdup(n->weight) : NULL;
	c->sum = n->sum ? strdup(n->sum) : NULL;
	c->cols = calloc(n->ncols ? n->ncols : 1, sizeof *c->cols);
	if (!c->cols || (n->weight && !c->weight) || (n->sum && !c->sum)) {
		free(c->cols);
		free(c->weight);
		free(c->sum);
		free(c);
		return NULL;
	}
	pthread_mutex_lock(&n->shared->lock);
	n->shared->refs++;
	pthread_mutex_unlock(&n->shared->lock);
	for (size_t i = 0; i < n->ncols; i++) {
		c->cols[i] = n->cols[i];
		if (n->cols[i].cached && mj_vcache_init(&c->cols[i].cache, CACHE_MAX) != 0) {
			c->cols[i].cached = 0;
			c->ncols = i;
			mj_normaliser_destroy(c);
			return NULL;
		}
	}
	return c;
}

int mj_normaliser_has_column(const struct mj_normaliser *n, size_t dim)
{
	return dim < MJ_MAX_DIMS && n->col_of_dim[dim] >= 0;
}
