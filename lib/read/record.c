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
#include <time.h>

#include "calendar.h"
#include "dateorder.h"
#include "schema_internal.h"
#include "text.h"
#include "vcache.h"
#include "i18n.h"

/* Cache entries are bounded so garbage input cannot grow memory. */
#define CACHE_MAX 65536
#define OPEN_MAX 60000

struct column {
	int dim;          /* schema dimension, or -1 for ignored columns */
	enum mj_dim_kind kind; /* the dimension's kind (when dim >= 0) */
	struct mj_vcache cache; /* raw bytes -> encoded result (see lookup_category) */
	int cached;       /* whether cache is in use */
	int multi;        /* the dimension is multi-response */
	int required;     /* the dimension is required */
	long min, max;    /* the range of a whole-number dimension */
	long latest;      /* a date column's latest date (YYYYMMDD): see mj_normaliser_new */
};

/* A column the row loop reads (one with a dimension), in column order:
 * the loop visits only these. */
struct col_op {
	struct column *col;
	size_t c;         /* the column's index */
	int dim;
	int cached;
	int at;           /* its place among all the ops */
	/* The least cache code the fast path takes: 2 when the dimension
	 * is required (a missing value goes to the slow path, which checks
	 * it), 1 (missing) otherwise. */
	int min_hit;
	int required;
};

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
	/* The order of the file's day-month dates when it is decided on
	 * first need (mj_normaliser_defer_date_order). */
	mj_date_order_fn decide;
	void *decide_ctx;
	int decided;
	enum mj_date_order decided_order;
};

/* The first date of a file that said something about the order of its
 * day-month dates (line 0: none). */
struct date_vote {
	unsigned long line, col;
	char text[24];
};

struct date_votes {
	struct date_vote dmy;   /* slash or dash, can only be day first */
	struct date_vote mdy;   /* slash or dash, can only be month first */
	struct date_vote ambig; /* slash or dash, read day first by convention */
	struct date_vote dot;   /* dotted, can only be month first */
};

/* How a derived dimension is found on each row, settled once so that the
 * row loop reads one small struct: a period of the date, its value
 * remembered by one or two inputs (see derive_inputs), or its rule. */
enum derive_kind { STEP_MONTH, STEP_QUARTER, STEP_YEAR, STEP_MEMO1, STEP_MEMO2, STEP_RULE };
/* The most derived dimensions one remembered key finds (see settle_steps). */
#define MEMO_WIDTH 4
struct derive_step {
	enum derive_kind kind;
	int dim;
	int in[2];             /* the inputs of a remembered value, -1 past them */
	unsigned char whole[2]; /* whether that input is a whole number */
	/* The dimensions this step sets: dim, and (remembered values) the
	 * next steps of the same inputs, found by the same key. */
	int out[MEMO_WIDTH];
	int nout;
};

struct mj_normaliser {
	const struct mj_schema *schema;
	long latest;              /* the latest date a record may have (YYYYMMDD) */
	char *weight, *sum;
	int weight_dim, sum_dim;  /* schema dims used as weight/sum, or -1 */
	struct column *cols;
	size_t ncols;
	struct col_op *ops;       /* see struct col_op */
	size_t nops;
	/* The same ops apart, the cached and the others, when there are at
	 * most 64, with one date column and one id column at most (else
	 * none): a whole row takes each list's fast path in its own loop,
	 * and the fields it misses are read after, in column order (see
	 * mj_normaliser_row). */
	struct col_op *cached_ops, *value_ops;
	size_t ncached, nvalue;
	/* With those lists: the id column's op (in ops, or NULL), which the
	 * value list leaves out; and whether the lists are made. */
	const struct col_op *id_op;
	int fast;
	/* The multi-response dimensions, the only ones whose mentions the
	 * row loop sets; the record whose values and mentions it cleared
	 * whole (a row then sets again only the values it may have set);
	 * and whether a row set mentions since. */
	int multi_dims[MJ_MAX_DIMS];
	size_t nmulti;
	const struct mj_record *cleared;
	int mentioned;
	int col_of_dim[MJ_MAX_DIMS]; /* column index for each dimension, -1 */
	int id_col;
	const char *path;
	unsigned long header_line;
	struct open_shared *shared;
	/* Dimensions that need work on every row, found once. */
	int child_dims[MJ_MAX_DIMS], required_dims[MJ_MAX_DIMS];
	size_t nchild, nrequired;
	/* How each derived dimension is found, in schema order (see
	 * derive_step); and the same steps as the row loop takes them,
	 * those remembered by the same inputs made one (see settle_steps). */
	struct derive_step steps[MJ_MAX_DIMS];
	size_t nsteps;
	struct derive_step runs[MJ_MAX_DIMS];
	size_t nruns;
	const char *sheet;        /* borrowed: the sheet being read, "" for text */
	/* The order of day-month dates, and what the dates read so far said
	 * about it (see mj_normaliser_date_verdict). */
	enum mj_date_order date_order;
	int date_forced;
	int date_deferred;        /* the order is in shared, once decided */
	struct date_votes votes;
	/* Derived values remembered by their inputs (see derive_inputs); each
	 * normaliser has its own, made on first use. */
	struct derive_memo *memo[MJ_MAX_DIMS];
};

/* A small direct-mapped table from the inputs of derived dimensions (one
 * or two other dimensions' values) to their categories (those of a run's
 * out[], in order). */
#define MEMO_SLOTS 256
struct derive_memo {
	uint64_t key[MEMO_SLOTS];  /* inputs + 1; 0 marks an empty slot */
	int value[MEMO_SLOTS][MEMO_WIDTH];
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

/* A measure is a whole-number dimension of the schema (children): the only
 * kind of column that may be summed or weighted by, so that no column the
 * schema does not declare (a phone number, an id) ever reaches a table. */
static int is_measure(const struct mj_schema *schema, int dim)
{
	return dim >= 0 && schema->dims[dim].kind == MJ_DIM_INTEGER;
}

/* Fills err with a usage error that lists the measures of schema. The name
 * is what the user typed as an option's argument, not a value of the data. */
static void not_a_measure(const struct mj_schema *schema, const char *option,
			  const char *name, struct mj_error *err)
{
	char list[512] = "";
	size_t len = 0;
	for (size_t d = 0; d < schema->ndims; d++) {
		if (!is_measure(schema, (int)d))
			continue;
		int k = snprintf(list + len, sizeof list - len, "%s%s", len ? ", " : "",
				 schema->dims[d].name);
		if (k < 0 || (size_t)k >= sizeof list - len)
			break;
		len += (size_t)k;
	}
	mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
		     "%s %s: only a whole-number column of the schema can be summed or weighted by (%s)",
		     option, name, len ? list : "this schema has none");
}

/* The step that finds derived dimension d. Its value is remembered by its
 * inputs when it depends on at most two other dimensions (its source for
 * ranges, those of its conditions). */
static struct derive_step derive_inputs(const struct mj_schema *s, size_t d)
{
	const struct mj_dim *dim = &s->dims[d];
	struct derive_step st = {.kind = STEP_RULE, .dim = (int)d, .in = {-1, -1}};
	if (dim->source >= 0 && s->dims[dim->source].kind == MJ_DIM_DATE) {
		st.kind = dim->unit == 'q' ? STEP_QUARTER : dim->unit == 'y' ? STEP_YEAR : STEP_MONTH;
		return st;
	}
	int in[2] = {-1, -1}, nin = 0, ok = dim->source >= 0;
	for (size_t c = 0; ok && c < dim->ncats; c++) {
		const struct mj_cat *cat = &dim->cats[c];
		for (int k = -1; ok && k < cat->nconds; k++) {
			int x = k < 0 ? (cat->has_range ? dim->source : -1) : cat->conds[k].dim;
			if (x < 0)
				continue;
			/* Ranges compare a whole number, as the key holds it. */
			if ((k < 0 || cat->conds[k].cat < 0) &&
			    s->dims[x].kind != MJ_DIM_INTEGER)
				ok = 0;
			if (x == in[0] || x == in[1])
				continue;
			if (nin == 2)
				ok = 0;
			else
				in[nin++] = x;
		}
	}
	if (!ok || nin == 0)
		return st;
	st.kind = nin == 1 ? STEP_MEMO1 : STEP_MEMO2;
	for (int i = 0; i < nin; i++) {
		st.in[i] = in[i];
		st.whole[i] = s->dims[in[i]].kind == MJ_DIM_INTEGER;
	}
	return st;
}

/* Whether dimension x is among the n dimensions at dims. */
static int among(int x, const int *dims, int n)
{
	for (int i = 0; i < n; i++)
		if (dims[i] == x)
			return 1;
	return 0;
}

/* Settles n->runs from n->steps: a remembered step joins the run before
 * it when that run is remembered too and their inputs together are at
 * most two, none of them set by the run (the rules of a run read only
 * its inputs, so each is the value it would be step by step); one key
 * then finds them all ("group" from sex and age, and "age_group" from
 * age). The memories of the old runs go: their keys differ. */
static void settle_steps(struct mj_normaliser *n)
{
	for (size_t d = 0; d < MJ_MAX_DIMS; d++) {
		free(n->memo[d]);
		n->memo[d] = NULL;
	}
	n->nruns = 0;
	for (size_t k = 0; k < n->nsteps; k++) {
		struct derive_step st = n->steps[k];
		st.out[0] = st.dim;
		st.nout = 1;
		int memo = st.kind == STEP_MEMO1 || st.kind == STEP_MEMO2;
		struct derive_step *run = n->nruns ? &n->runs[n->nruns - 1] : NULL;
		if (memo && run && (run->kind == STEP_MEMO1 || run->kind == STEP_MEMO2) &&
		    run->nout < MEMO_WIDTH) {
			int in[2] = {run->in[0], run->in[1]};
			unsigned char whole[2] = {run->whole[0], run->whole[1]};
			int nin = run->kind == STEP_MEMO1 ? 1 : 2, ok = 1;
			for (int i = 0; ok && i < (st.kind == STEP_MEMO1 ? 1 : 2); i++) {
				if (among(st.in[i], in, nin))
					continue;
				if (nin == 2) {
					ok = 0;
				} else {
					in[nin] = st.in[i];
					whole[nin++] = st.whole[i];
				}
			}
			/* No input is set by the run, the step included. */
			for (int i = 0; ok && i < nin; i++)
				ok = in[i] != st.dim && !among(in[i], run->out, run->nout);
			if (ok) {
				run->kind = nin == 1 ? STEP_MEMO1 : STEP_MEMO2;
				for (int i = 0; i < 2; i++) {
					run->in[i] = i < nin ? in[i] : -1;
					run->whole[i] = i < nin ? whole[i] : 0;
				}
				run->out[run->nout++] = st.dim;
				continue;
			}
		}
		n->runs[n->nruns++] = st;
	}
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
	/* No appeal is dated after today: a later date is a slip of the
	 * pen that would stretch every period to it. Today is a day ahead
	 * of the clock's date in UTC at most, wherever the register was. */
	time_t tomorrow = time(NULL) + 24 * 60 * 60;
	struct tm tm;
	gmtime_r(&tomorrow, &tm);
	n->latest = (tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100L + tm.tm_mday;
	n->weight = weight ? strdup(weight) : NULL;
	n->sum = sum ? strdup(sum) : NULL;
	if ((weight && !n->weight) || (sum && !n->sum))
		goto nomem;
	n->weight_dim = weight ? mj_schema_dim_find(schema, weight) : -1;
	n->sum_dim = sum ? mj_schema_dim_find(schema, sum) : -1;
	if ((weight && !is_measure(schema, n->weight_dim)) ||
	    (sum && !is_measure(schema, n->sum_dim))) {
		not_a_measure(schema, weight && !is_measure(schema, n->weight_dim) ? "--weight" : "--sum",
			      weight && !is_measure(schema, n->weight_dim) ? weight : sum, err);
		mj_normaliser_destroy(n);
		return NULL;
	}
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
		if (schema->dims[d].multi)
			n->multi_dims[n->nmulti++] = (int)d;
	for (size_t d = 0; d < schema->ndims; d++)
		if (schema->dims[d].kind == MJ_DIM_DERIVED)
			n->steps[n->nsteps++] = derive_inputs(schema, d);
	settle_steps(n);
	return n;
nomem:
	mj_normaliser_destroy(n);
	mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	return NULL;
}

void mj_normaliser_derive_only(struct mj_normaliser *n, const int *dims, size_t ndims)
{
	const struct mj_schema *s = n->schema;
	unsigned char need[MJ_MAX_DIMS] = {0};
	for (size_t i = 0; i < ndims; i++)
		if (dims[i] >= 0 && (size_t)dims[i] < s->ndims)
			need[dims[i]] = 1;
	/* What a needed derived dimension reads is needed too: a derived
	 * dimension may be derived from another. */
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t k = 0; k < n->nsteps; k++) {
			const struct mj_dim *dim = &s->dims[n->steps[k].dim];
			if (!need[n->steps[k].dim])
				continue;
			int src = dim->source;
			if (src >= 0 && !need[src])
				need[src] = changed = 1;
			for (size_t c = 0; c < dim->ncats; c++)
				for (int j = 0; j < dim->cats[c].nconds; j++) {
					int x = dim->cats[c].conds[j].dim;
					if (x >= 0 && !need[x])
						need[x] = changed = 1;
				}
		}
	}
	size_t kept = 0;
	for (size_t k = 0; k < n->nsteps; k++)
		if (need[n->steps[k].dim])
			n->steps[kept++] = n->steps[k];
	n->nsteps = kept;
	settle_steps(n);
}

static void drop_columns(struct mj_normaliser *n)
{
	for (size_t c = 0; c < n->ncols; c++)
		if (n->cols[c].cached)
			mj_vcache_free(&n->cols[c].cache);
	free(n->cols);
	free(n->ops);
	free(n->cached_ops);
	n->cols = NULL;
	n->ops = n->cached_ops = n->value_ops = NULL;
	n->ncols = n->nops = n->ncached = n->nvalue = 0;
	n->id_op = NULL;
	n->fast = 0;
}

/* Lists the columns with a dimension in n->ops, and apart in
 * n->cached_ops, n->value_ops and n->id_op; -1 when out of memory. */
static int make_ops(struct mj_normaliser *n)
{
	/* Other columns set other values: the next record is cleared whole. */
	n->cleared = NULL;
	free(n->ops);
	n->nops = 0;
	n->ops = malloc((n->ncols ? n->ncols : 1) * sizeof *n->ops);
	if (!n->ops)
		return -1;
	for (size_t c = 0; c < n->ncols; c++) {
		if (n->cols[c].dim < 0)
			continue;
		n->ops[n->nops] = (struct col_op){.col = &n->cols[c], .c = c,
						  .dim = n->cols[c].dim,
						  .cached = n->cols[c].cached, .at = (int)n->nops,
						  .min_hit = n->cols[c].required ? 2 : 1,
						  .required = n->cols[c].required};
		n->nops++;
	}
	free(n->cached_ops);
	n->cached_ops = n->value_ops = NULL;
	n->ncached = n->nvalue = 0;
	n->id_op = NULL;
	n->fast = 0;
	/* Every date column sets the record's one date, and every id
	 * column its id: two or more are read in column order only. */
	size_t dates = 0, ids = 0;
	for (size_t k = 0; k < n->nops; k++) {
		dates += n->ops[k].col->kind == MJ_DIM_DATE;
		ids += n->ops[k].col->kind == MJ_DIM_ID;
	}
	if (n->nops > 64 || dates > 1 || ids > 1)
		return 0;
	n->cached_ops = malloc((n->nops ? n->nops : 1) * sizeof *n->cached_ops);
	if (!n->cached_ops)
		return -1;
	for (size_t k = 0; k < n->nops; k++)
		if (n->ops[k].cached)
			n->cached_ops[n->ncached++] = n->ops[k];
	n->value_ops = n->cached_ops + n->ncached;
	for (size_t k = 0; k < n->nops; k++)
		if (n->ops[k].col->kind == MJ_DIM_ID)
			n->id_op = &n->ops[k];
		else if (!n->ops[k].cached)
			n->value_ops[n->nvalue++] = n->ops[k];
	n->fast = 1;
	return 0;
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
	for (size_t d = 0; d < MJ_MAX_DIMS; d++)
		free(n->memo[d]);
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
	vsnprintf(e.message, sizeof e.message, MJ_(fmt), ap);
	va_end(ap);
	fn(ctx, &e, fatal);
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
	memset(&n->votes, 0, sizeof n->votes);
	n->header_line = line;
	n->id_col = -1;
	for (size_t d = 0; d < MJ_MAX_DIMS; d++)
		n->col_of_dim[d] = -1;
	n->cols = calloc(nfields ? nfields : 1, sizeof *n->cols);
	if (!n->cols)
		return mj_error_set(err, MJ_E_NOMEM, path, line, 0, "out of memory");
	n->ncols = nfields;
	for (size_t c = 0; c < nfields; c++) {
		struct column *col = &n->cols[c];
		col->dim = -1;
		const char *name = fields[c].text;
		if (fields[c].len != strlen(name) ||
		    !g_utf8_validate(name, (gssize)fields[c].len, NULL))
			return mj_error_set(err, MJ_E_ENCODING, path, line, c + 1,
				"header field %zu is not valid UTF-8 text (is the file Windows-1251? try --encoding cp1251)",
				c + 1);
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
		col->multi = s->dims[d].multi;
		col->required = s->dims[d].required;
		col->min = s->dims[d].min;
		col->max = s->dims[d].max;
		col->latest = n->latest;
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
	if (n->weight_dim >= 0 && n->col_of_dim[n->weight_dim] < 0)
		return mj_error_set(err, MJ_E_VALUE, path, line, 0,
				    "no column '%s' for --weight", n->weight);
	if (n->sum_dim >= 0 && n->col_of_dim[n->sum_dim] < 0)
		return mj_error_set(err, MJ_E_VALUE, path, line, 0,
				    "no column '%s' for --sum", n->sum);
	if (make_ops(n) != 0)
		return mj_error_set(err, MJ_E_NOMEM, path, line, 0, "out of memory");
	return MJ_OK;
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

static int valid_date(int y, int m, int d)
{
	return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= calendar_days_in_month(y, m);
}

/* How a date is written. */
enum date_form {
	FORM_BAD,       /* not a date */
	FORM_YEAR,      /* YYYY-MM-DD */
	FORM_DOT,       /* a.b.YYYY */
	FORM_DAY_MONTH, /* a/b/YYYY or a-b-YYYY */
};

/* Splits a date into its first two parts and its year; a trailing time of
 * day (spreadsheets export one) is ignored. Ranges are not checked. */
static enum date_form date_split(const char *text, size_t len, int *a, int *b, int *y)
{
	const char *p = text, *end = text + len;
	int first = digits(&p, end, 4);
	if (first < 0 || p == end || (*p != '-' && *p != '/' && *p != '.'))
		return FORM_BAD;
	size_t nfirst = (size_t)(p - text);
	char sep = *p++;
	int second = digits(&p, end, 2);
	if (second < 0 || p == end || *p != sep)
		return FORM_BAD;
	p++;
	const char *ts = p;
	int third = digits(&p, end, 4);
	size_t nthird = (size_t)(p - ts);
	enum date_form form;
	if (nfirst == 4 && sep == '-' && nthird >= 1 && nthird <= 2) {
		form = FORM_YEAR;
		*y = first;
		*a = second;
		*b = third;
	} else if (nfirst <= 2 && nthird == 4) {
		form = sep == '.' ? FORM_DOT : FORM_DAY_MONTH;
		*a = first;
		*b = second;
		*y = third;
	} else {
		return FORM_BAD;
	}
	if (p < end && (*p == ' ' || *p == 'T')) {
		p++;
		if (digits(&p, end, 2) < 0 || p == end || *p != ':')
			return FORM_BAD;
		while (p < end && ((*p >= '0' && *p <= '9') || *p == ':' || *p == '.'))
			p++;
	}
	return p == end ? form : FORM_BAD;
}

int mj_parse_date(const char *text, size_t len, int *year, int *month, int *day)
{
	int a, b, y, m, d;
	enum date_form form = date_split(text, len, &a, &b, &y);
	if (form == FORM_BAD)
		return -1;
	m = form == FORM_YEAR ? a : b;
	d = form == FORM_YEAR ? b : a;
	if (!valid_date(y, m, d))
		return -1;
	*year = y;
	*month = m;
	*day = d;
	return 0;
}

int mj_date_order_parse(const char *text)
{
	return strcmp(text, "dmy") == 0 ? MJ_DATE_DMY
	     : strcmp(text, "mdy") == 0 ? MJ_DATE_MDY
	     : strcmp(text, "ymd") == 0 ? MJ_DATE_YMD : -1;
}

void mj_normaliser_set_date_order(struct mj_normaliser *n,
				  enum mj_date_order order, int forced)
{
	n->date_order = order;
	n->date_forced = forced;
	n->date_deferred = 0;
}

void mj_normaliser_defer_date_order(struct mj_normaliser *n, mj_date_order_fn decide,
				    void *ctx)
{
	pthread_mutex_lock(&n->shared->lock);
	n->shared->decide = decide;
	n->shared->decide_ctx = ctx;
	n->shared->decided = 0;
	n->shared->decided_order = MJ_DATE_AUTO;
	pthread_mutex_unlock(&n->shared->lock);
	n->date_order = MJ_DATE_AUTO;
	n->date_forced = 0;
	n->date_deferred = 1;
}

/* The order a date that can be read both ways is read in: a deferred one
 * is decided now, once for all clones (the first to need it decides, the
 * others wait for it). */
static enum mj_date_order date_order_now(struct mj_normaliser *n)
{
	if (!n->date_deferred)
		return n->date_order;
	struct open_shared *sh = n->shared;
	pthread_mutex_lock(&sh->lock);
	if (!sh->decided) {
		sh->decided_order = sh->decide ? sh->decide(sh->decide_ctx) : MJ_DATE_AUTO;
		sh->decided = 1;
	}
	n->date_order = sh->decided_order;
	pthread_mutex_unlock(&sh->lock);
	n->date_deferred = 0;
	return n->date_order;
}

/* The order decided for the file so far, without deciding it: a deferred
 * order not yet decided was needed by no date, and reads as
 * MJ_DATE_AUTO. */
static enum mj_date_order date_order_known(const struct mj_normaliser *n)
{
	if (!n->date_deferred)
		return n->date_order;
	pthread_mutex_lock(&n->shared->lock);
	enum mj_date_order o = n->shared->decided ? n->shared->decided_order : MJ_DATE_AUTO;
	pthread_mutex_unlock(&n->shared->lock);
	return o;
}

int mj_normaliser_id_column(const struct mj_normaliser *n)
{
	return n->id_col;
}

int mj_normaliser_date_column(const struct mj_normaliser *n)
{
	for (size_t d = 0; d < n->schema->ndims && d < MJ_MAX_DIMS; d++)
		if (n->schema->dims[d].kind == MJ_DIM_DATE && n->col_of_dim[d] >= 0)
			return n->col_of_dim[d];
	return -1;
}

static void vote(struct date_vote *v, unsigned long line, unsigned long col, const char *text)
{
	if (v->line)
		return;
	v->line = line;
	v->col = col;
	/* A date, perhaps with a time: ASCII, cut to what a message shows. */
	size_t k = strlen(text);
	if (k >= sizeof v->text)
		k = sizeof v->text - 1;
	memcpy(v->text, text, k);
	v->text[k] = '\0';
}

static void merge_vote(struct date_vote *into, const struct date_vote *from,
		       unsigned long line_base)
{
	if (!from->line)
		return;
	unsigned long line = from->line + line_base - 1;
	if (into->line && into->line <= line)
		return;
	*into = *from;
	into->line = line;
}

void mj_normaliser_merge_dates(struct mj_normaliser *n,
			       const struct mj_normaliser *other,
			       unsigned long line_base)
{
	merge_vote(&n->votes.dmy, &other->votes.dmy, line_base);
	merge_vote(&n->votes.mdy, &other->votes.mdy, line_base);
	merge_vote(&n->votes.ambig, &other->votes.ambig, line_base);
	merge_vote(&n->votes.dot, &other->votes.dot, line_base);
}

/* "file:12:2" (or "file:Sheet!B12") for a vote, to name in a message. */
static void vote_place(const struct mj_normaliser *n, const struct date_vote *v,
		       char *buf, size_t len)
{
	struct mj_error e;
	mj_error_set(&e, MJ_OK, n->path, v->line, v->col, "%s", ".");
	set_sheet(n, &e);
	mj_error_format(&e, buf, len);
	size_t k = strlen(buf);
	if (k >= 3)
		buf[k - 3] = '\0'; /* the ": ." */
}

enum mj_status mj_normaliser_date_verdict(const struct mj_normaliser *n,
					  struct mj_error *note, int *has_note,
					  struct mj_error *err)
{
	const struct date_votes *v = &n->votes;
	char a[400];
	*has_note = 0;
	enum mj_status st = MJ_OK;
	if (v->dot.line) {
		st = mj_error_set(err, MJ_E_VALUE, n->path, v->dot.line, v->dot.col,
			"\"%s\" is month first, but dotted dates are day first (DD.MM.YYYY): "
			"the file's other dotted dates cannot be read safely, and it is refused "
			"(write them as YYYY-MM-DD or DD.MM.YYYY)", v->dot.text);
	} else if (n->date_forced) {
		return MJ_OK;
	} else if (v->dmy.line && v->mdy.line) {
		const struct date_vote *first = v->dmy.line < v->mdy.line ? &v->dmy : &v->mdy;
		const struct date_vote *later = first == &v->dmy ? &v->mdy : &v->dmy;
		vote_place(n, first, a, sizeof a);
		st = mj_error_set(err, MJ_E_VALUE, n->path, later->line, later->col,
			"the file mixes day-first and month-first dates: \"%s\" here is %s first, "
			"but \"%s\" at %s is %s first; the file is refused (make its dates "
			"agree, or say --date-order dmy or mdy to reject the dates of the other order)",
			later->text, later == &v->dmy ? MJ_("day") : MJ_("month"), first->text, a,
			first == &v->dmy ? MJ_("day") : MJ_("month"));
	} else if (v->mdy.line && v->ambig.line && date_order_known(n) != MJ_DATE_MDY) {
		vote_place(n, &v->ambig, a, sizeof a);
		st = mj_error_set(err, MJ_E_VALUE, n->path, v->mdy.line, v->mdy.col,
			"\"%s\" is month first, but \"%s\" at %s was read day first: no date "
			"before it told the order (the order is decided from the first %d rows); "
			"the file is refused (say --date-order mdy)",
			v->mdy.text, v->ambig.text, a, MJ_DATE_PREFIX_ROWS);
	} else if (v->ambig.line && !v->mdy.line && !v->dmy.line && note) {
		mj_error_set(note, MJ_OK, n->path, v->ambig.line, v->ambig.col,
			"note: no date in the file tells whether \"%s\" is day or month first; "
			"its dates are read day first (DD/MM/YYYY), the local convention "
			"(--date-order mdy reads them month first)", v->ambig.text);
		set_sheet(n, note);
		*has_note = 1;
	}
	if (st != MJ_OK && err)
		set_sheet(n, err);
	return st;
}

enum mj_date_order mj_date_tells(const char *text, size_t len)
{
	char buf[64];
	if (len >= sizeof buf)
		return MJ_DATE_AUTO;
	memcpy(buf, text, len);
	buf[len] = '\0';
	mj_text_trim(buf);
	int a, b, y;
	if (date_split(buf, strlen(buf), &a, &b, &y) != FORM_DAY_MONTH)
		return MJ_DATE_AUTO;
	int dmy = valid_date(y, b, a), mdy = valid_date(y, a, b);
	return dmy && !mdy ? MJ_DATE_DMY : mdy && !dmy ? MJ_DATE_MDY : MJ_DATE_AUTO;
}

/* Reads the date in text (trimmed, NUL-terminated) into rec; returns 0, or
 * -1 when it is not a date in the order the normaliser reads. */
static int read_date(struct mj_normaliser *n, const char *text, unsigned long line,
		     unsigned long col, struct mj_record *rec)
{
	int a, b, y, m, d;
	enum date_form form = date_split(text, strlen(text), &a, &b, &y);
	if (form == FORM_BAD)
		return -1;
	if (form == FORM_YEAR) {
		m = a;
		d = b;
	} else if (n->date_forced && n->date_order == MJ_DATE_YMD) {
		return -1;
	} else if (form == FORM_DOT) {
		m = b;
		d = a;
		if (!valid_date(y, m, d)) {
			if (!valid_date(y, a, b))
				return -1;
			/* The file is refused (mj_normaliser_date_verdict). */
			vote(&n->votes.dot, line, col, text);
			return 0;
		}
	} else {
		int dmy = valid_date(y, b, a), mdy = valid_date(y, a, b);
		if (n->date_forced) {
			if (n->date_order == MJ_DATE_MDY ? !mdy : !dmy)
				return -1;
			m = n->date_order == MJ_DATE_MDY ? a : b;
			d = n->date_order == MJ_DATE_MDY ? b : a;
		} else if (dmy && mdy) {
			/* Only a day and a month that differ need the order
			 * (a deferred one is decided here). */
			enum mj_date_order order = MJ_DATE_AUTO;
			if (a != b) {
				vote(&n->votes.ambig, line, col, text);
				order = date_order_now(n);
			}
			m = order == MJ_DATE_MDY ? a : b;
			d = order == MJ_DATE_MDY ? b : a;
		} else if (dmy) {
			vote(&n->votes.dmy, line, col, text);
			m = b;
			d = a;
		} else if (mdy) {
			vote(&n->votes.mdy, line, col, text);
			m = a;
			d = b;
		} else {
			return -1;
		}
	}
	if (!valid_date(y, m, d))
		return -1;
	rec->year = y;
	rec->month = m;
	rec->day = d;
	return 0;
}

_Static_assert(MJ_MISSING == 1 - 2, "the row loop takes cache code 1 - 2 for missing");

/* Cache encoding: 1 = missing, cat + 2 = category, -(s + 2) = unknown with
 * suggestion s, -1 = unknown without suggestion, and two marks for bytes
 * that are no text at all. */
#define CODE_BAD_UTF8 INT_MIN
#define CODE_NUL (INT_MIN + 1)
#define CODE_TOO_LONG (INT_MIN + 2)
/* No category or district is this long; longer values are not matched. */
#define MAX_VALUE_BYTES 1024
static int lookup_miss(struct mj_normaliser *n, struct column *col,
		       const char *text, size_t len, const struct mj_vkey *k);

/* A value seen before in this column costs one look-up in its cache, with
 * no normalisation; the first sight of a spelling goes to lookup_miss. */
static inline int lookup_category(struct mj_normaliser *n, struct column *col,
				  const char *text, size_t len, int *invalid_utf8)
{
	struct mj_vkey vk;
	mj_vkey_make(&vk, text, len);
	int hit;
	(void)invalid_utf8;
	if (mj_vcache_get(&col->cache, &vk, &hit))
		return hit;
	return lookup_miss(n, col, text, len, &vk);
}

static __attribute__((noinline)) int lookup_miss(struct mj_normaliser *n, struct column *col,
						 const char *text, size_t len,
						 const struct mj_vkey *k)
{
	struct mj_vkey vk = *k;
	const struct mj_schema *s = n->schema;
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

/* Derived dimension d of rec by its rule: the category whose range or
 * conditions rec meets. */
static int derive_rule(const struct mj_dim *dim, const struct mj_record *rec)
{
	int src = dim->source;
	int best = MJ_MISSING, best_conds = -1;
	for (size_t c = 0; c < dim->ncats; c++) {
		const struct mj_cat *cat = &dim->cats[c];
		if (cat->has_range) {
			if (rec->value[src] != MJ_MISSING &&
			    rec->number[src] >= cat->lo && rec->number[src] <= cat->hi)
				return (int)c;
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
	return best;
}

/* Sets derived dimension d of rec by its rule and returns it. A rule may
 * name its own dimension, which it then reads as missing, not as the last
 * row's value (a record is reused). */
static int derive_by_rule(const struct mj_dim *dims, int d, struct mj_record *rec)
{
	rec->value[d] = MJ_MISSING;
	return rec->value[d] = derive_rule(&dims[d], rec);
}

/* One input of a remembered value as half of its key: a whole number by
 * its value, any other dimension by its category, missing as 0xfffffffe
 * (never a value, nor a key of all ones). Returns 0 for a whole number the
 * key cannot hold. */
static inline int memo_part(const struct mj_record *rec, int x, int whole, uint64_t *part)
{
	if (rec->value[x] == MJ_MISSING) {
		*part = 0xfffffffeu;
		return 1;
	}
	if (!whole) {
		*part = (uint32_t)rec->value[x];
		return 1;
	}
	*part = (uint64_t)rec->number[x];
	return rec->number[x] >= 0 && rec->number[x] < 0x7fffffff;
}

/* Derived values: group from sex and age, bins from integers, periods. */
static void derive(struct mj_normaliser *n, struct mj_record *rec)
{
	const struct mj_dim *dims = n->schema->dims;
	for (size_t k = 0; k < n->nruns; k++) {
		const struct derive_step *st = &n->runs[k];
		int d = st->dim;
		uint64_t key, hi;
		switch (st->kind) {
		case STEP_MONTH:
			rec->value[d] = rec->year == 0 ? MJ_MISSING : mj_period_month(rec->year, rec->month);
			continue;
		case STEP_QUARTER:
			rec->value[d] = rec->year == 0 ? MJ_MISSING : mj_period_quarter(rec->year, rec->month);
			continue;
		case STEP_YEAR:
			rec->value[d] = rec->year == 0 ? MJ_MISSING : rec->year;
			continue;
		case STEP_MEMO1:
			if (!memo_part(rec, st->in[0], st->whole[0], &key))
				break;
			goto remembered;
		case STEP_MEMO2:
			if (!memo_part(rec, st->in[0], st->whole[0], &key) ||
			    !memo_part(rec, st->in[1], st->whole[1], &hi))
				break;
			key |= hi << 32;
			goto remembered;
		case STEP_RULE:
			break;
		}
		for (int i = 0; i < st->nout; i++)
			derive_by_rule(dims, st->out[i], rec);
		continue;
remembered:;
		/* The memo is only a cache of the rules: a miss finds the
		 * values by the rules and keeps them. */
		struct derive_memo *memo = n->memo[d];
		if (!memo) {
			memo = n->memo[d] = calloc(1, sizeof *memo);
			if (!memo) {
				for (int i = 0; i < st->nout; i++)
					derive_by_rule(dims, st->out[i], rec);
				continue;
			}
		}
		size_t slot = (size_t)(((key + 1) * 0x9E3779B97F4A7C15ull) >> 56) & (MEMO_SLOTS - 1);
		int *value = memo->value[slot];
		if (memo->key[slot] == key + 1) {
			for (int i = 0; i < st->nout; i++)
				rec->value[st->out[i]] = value[i];
			continue;
		}
		memo->key[slot] = key + 1;
		for (int i = 0; i < st->nout; i++)
			value[i] = derive_by_rule(dims, st->out[i], rec);
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
	n->mentioned = 1;
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

/* A record's date as a number YYYYMMDD (0 without one). */
static inline long record_ymd(const struct mj_record *rec)
{
	return rec->year * 10000L + rec->month * 100L + rec->day;
}

/* The fast paths of a whole number or a date field: plain digits in
 * range, a valid ISO date, an empty number (not when required: the slow
 * path checks it). Returns 1 when the field is read (rec set), 0 when it
 * needs the full reading. */
static inline int fast_value(const struct column *col, const struct mj_field *f,
			     struct mj_record *rec)
{
	if (col->kind == MJ_DIM_INTEGER && f->len && f->len <= 9) {
		long v = 0;
		size_t i = 0;
		for (; i < f->len && (unsigned)(f->text[i] - '0') <= 9; i++)
			v = v * 10 + (f->text[i] - '0');
		if (i == f->len && v >= col->min && v <= col->max) {
			rec->value[col->dim] = 0;
			rec->number[col->dim] = v;
			return 1;
		}
	} else if (col->kind == MJ_DIM_DATE && f->len == 10) {
		if (calendar_iso_date(f->text, &rec->year, &rec->month, &rec->day) &&
		    record_ymd(rec) <= col->latest) {
			rec->value[col->dim] = 0;
			return 1;
		}
	} else if (col->kind == MJ_DIM_INTEGER && f->len == 0) {
		rec->value[col->dim] = MJ_MISSING;
		return !col->required;
	}
	return 0;
}

/* A category (or open text) field in column c: its code into rec, or a
 * problem. Returns the problems found. This and the two readers below
 * are kept out of line (noinline): the row loop's common path (cache
 * hits, plain numbers, ISO dates) stays small, and a row costs fewer
 * instructions than with them inlined. */
static __attribute__((noinline)) size_t category_value(struct mj_normaliser *n, struct column *col,
			     const struct mj_field *f, unsigned long line, size_t c,
			     struct mj_record *rec, mj_problem_fn on_problem, void *ctx)
{
	const struct mj_dim *dim = &n->schema->dims[col->dim];
	int d = col->dim;
	if (col->multi && memchr(f->text, ';', f->len))
		return multi_values(n, col, f, line, c, rec, on_problem, ctx);
	int bad_utf8 = 0;
	int code = lookup_category(n, col, f->text, f->len, &bad_utf8);
	if (code >= 2) {
		rec->value[d] = code - 2;
		return 0;
	}
	if (code == 1) {
		rec->value[d] = MJ_MISSING;
		return 0;
	}
	if (code == CODE_TOO_LONG) {
		report(n, on_problem, ctx, line, c + 1, 0, MJ_E_LIMIT,
		       "column '%s': value of %zu bytes is longer than the limit of %d",
		       dim->name, f->len, MAX_VALUE_BYTES);
	} else if (code == CODE_NUL) {
		report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
		       "field holds a NUL byte (is this a binary file?)");
	} else if (code == CODE_BAD_UTF8) {
		report(n, on_problem, ctx, line, c + 1, 0, MJ_E_ENCODING,
		       "column '%s': value is not valid UTF-8 (is the file Windows-1251? try --encoding cp1251)",
		       dim->name);
	} else if (dim->kind == MJ_DIM_OPEN) {
		/* Which values came first depends on how the file was
		 * split between threads: the whole file stops, with a
		 * message that names the column's header, never a row. */
		report(n, on_problem, ctx, n->header_line, c + 1, 1, MJ_E_LIMIT,
		       "column '%s' has more than %d distinct values, the limit for a column without a fixed list; the file cannot be counted",
		       dim->name, OPEN_MAX);
	} else if (code < -1) {
		report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
		       "column '%s': unknown value \"%.60s\" (did you mean \"%s\"?)",
		       dim->name, f->text, dim->cats[-code - 2].labels[MJ_LANG_EN]);
	} else {
		report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
		       "column '%s': unknown value \"%.60s\" (see `mj-check --explain` for accepted values)",
		       dim->name, f->text);
	}
	return 1;
}

/* Field f trimmed into buf (64 bytes); the field may be longer. */
static inline void trimmed(const struct mj_field *f, char buf[64])
{
	size_t len = f->len < 63 ? f->len : 63;
	memcpy(buf, f->text, len);
	buf[len] = '\0';
	mj_text_trim(buf);
}

/* Field f trimmed into buf as trimmed() does; a field holding a NUL byte
 * (a binary file) is a problem instead, and 1 is returned. */
static int trimmed_or_nul(const struct mj_normaliser *n, const struct mj_field *f,
			  unsigned long line, size_t c, mj_problem_fn on_problem, void *ctx,
			  char buf[64])
{
	if (memchr(f->text, '\0', f->len)) {
		report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
		       "field holds a NUL byte (is this a binary file?)");
		return 1;
	}
	trimmed(f, buf);
	return 0;
}

/* Whether the len bytes at text say "not stated" in words ("N/A",
 * "Не указано"), matched as a category's value is (any case). */
static int says_missing(const struct mj_normaliser *n, const char *text, size_t len)
{
	char *key = mj_text_key(text, len);
	int missing = key && mj_schema_key_is_missing(n->schema, key);
	free(key);
	return missing;
}

/* A whole-number field the fast path did not take: spaces around it,
 * a "not stated" word, or a problem (a NUL byte first: a binary file). Returns the problems found. */
static __attribute__((noinline)) size_t integer_value(struct mj_normaliser *n, struct column *col,
			    const struct mj_field *f, unsigned long line, size_t c,
			    struct mj_record *rec, mj_problem_fn on_problem, void *ctx)
{
	const struct mj_dim *dim = &n->schema->dims[col->dim];
	char buf[64];
	if (trimmed_or_nul(n, f, line, c, on_problem, ctx, buf) != 0)
		return 1;
	long v;
	if (!buf[0] || (f->len < 64 && says_missing(n, buf, strlen(buf))))
		return 0;
	if (f->len >= 64 || parse_long(buf, &v) != 0) {
		report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
		       "column '%s': \"%.40s\" is not a whole number", dim->name, f->text);
		return 1;
	}
	if (v < dim->min || v > dim->max) {
		report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
		       "column '%s': %ld is out of range %ld-%ld", dim->name, v,
		       dim->min, dim->max);
		return 1;
	}
	rec->value[col->dim] = 0;
	rec->number[col->dim] = v;
	return 0;
}

/* A date field the fast path did not take: the other forms and orders,
 * or a problem that says which forms are read (a NUL byte first). Returns the problems. */
static __attribute__((noinline)) size_t date_value(struct mj_normaliser *n, struct column *col,
			 const struct mj_field *f, unsigned long line, size_t c,
			 struct mj_record *rec, mj_problem_fn on_problem, void *ctx)
{
	const struct mj_dim *dim = &n->schema->dims[col->dim];
	char buf[64];
	if (trimmed_or_nul(n, f, line, c, on_problem, ctx, buf) != 0)
		return 1;
	if (!buf[0] || (f->len < 64 && says_missing(n, buf, strlen(buf))))
		return 0;
	if (f->len < 64 && read_date(n, buf, line, c + 1, rec) == 0) {
		if (rec->year && record_ymd(rec) > n->latest) {
			rec->year = rec->month = rec->day = 0;
			report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
			       "column '%s': \"%.40s\" lies in the future (the latest date accepted is %04ld-%02ld-%02ld)",
			       dim->name, buf, n->latest / 10000, n->latest / 100 % 100, n->latest % 100);
			return 1;
		}
		if (rec->year)
			rec->value[col->dim] = 0;
		return 0;
	}
	rec->year = rec->month = rec->day = 0;
	if (n->date_forced && n->date_order != MJ_DATE_AUTO)
		report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
		       "column '%s': \"%.40s\" is not a date in the order of "
		       "--date-order %s (accepted: %s)", dim->name, f->text,
		       n->date_order == MJ_DATE_DMY ? "dmy"
		       : n->date_order == MJ_DATE_MDY ? "mdy" : "ymd",
		       n->date_order == MJ_DATE_DMY
		       ? "YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, DD-MM-YYYY"
		       : n->date_order == MJ_DATE_MDY
		       ? "YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY, MM-DD-YYYY"
		       : "YYYY-MM-DD");
	else
		report(n, on_problem, ctx, line, c + 1, 0, MJ_E_VALUE,
		       "column '%s': \"%.40s\" is not a date (accepted: YYYY-MM-DD, "
		       "DD.MM.YYYY, DD/MM/YYYY or MM/DD/YYYY (also with dashes; the "
		       "order is found in the file, or set by --date-order dmy|mdy|ymd), "
		       "in a workbook, a date cell)", dim->name, f->text);
	return 1;
}

/* What the record adds up: its weight (--weight) and measure (--sum),
 * each a count small enough that every total stays exact. A schema may
 * let a whole number be negative or larger than a count can be. Returns
 * the problems found. */
static size_t row_measure(struct mj_normaliser *n, unsigned long line,
			  struct mj_record *rec, mj_problem_fn on_problem, void *ctx)
{
	const struct mj_schema *s = n->schema;
	if (n->sum_dim >= 0 && rec->value[n->sum_dim] != MJ_MISSING)
		rec->measure = (double)rec->number[n->sum_dim];
	if (n->weight_dim >= 0)
		rec->weight = rec->value[n->weight_dim] != MJ_MISSING
			? (double)rec->number[n->weight_dim] : 0;
	if (n->weight_dim >= 0 && !(rec->weight >= 0 && rec->weight <= MJ_VALUE_MAX)) {
		report(n, on_problem, ctx, line, (size_t)n->col_of_dim[n->weight_dim] + 1, 0,
		       MJ_E_VALUE, "column '%s': a weight must be a count from 0 to %.0f",
		       s->dims[n->weight_dim].name, MJ_VALUE_MAX);
		return 1;
	}
	if (n->sum_dim >= 0 &&
	    !(rec->measure >= 0 && rec->measure * rec->weight <= MJ_VALUE_MAX)) {
		report(n, on_problem, ctx, line, (size_t)n->col_of_dim[n->sum_dim] + 1, 0,
		       MJ_E_VALUE, "column '%s': a sum adds counts from 0 to %.0f per row (weight included)",
		       s->dims[n->sum_dim].name, MJ_VALUE_MAX);
		return 1;
	}
	return 0;
}

/* The rules across a row's columns: a child category must belong to its
 * parent (a missing parent is taken from the child), and (with required)
 * a required column must not be empty. ncols: the fields the row has.
 * Returns the problems found. */
static size_t row_rules(struct mj_normaliser *n, const struct mj_field *fields,
			size_t ncols, unsigned long line, struct mj_record *rec,
			int required, mj_problem_fn on_problem, void *ctx)
{
	const struct mj_schema *s = n->schema;
	size_t problems = 0;
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
	for (size_t k = 0; required && k < n->nrequired; k++) {
		size_t d = (size_t)n->required_dims[k];
		const struct mj_dim *dim = &s->dims[d];
		int c = n->col_of_dim[d];
		if (rec->value[d] != MJ_MISSING || (size_t)c >= ncols)
			continue;
		const struct mj_field *f = &fields[c];
		if (f->len == 0) {
			report(n, on_problem, ctx, line, (unsigned long)c + 1, 0, MJ_E_VALUE,
			       "column '%s': a value is required", dim->name);
			problems++;
			continue;
		}
		/* "Not stated" in words is no value either (a value the schema
		 * does not know was reported as such). */
		if (says_missing(n, f->text, f->len)) {
			report(n, on_problem, ctx, line, (unsigned long)c + 1, 0, MJ_E_VALUE,
			       "column '%s': a value is required (\"%.*s\" means not stated)",
			       dim->name, (int)(f->len < 64 ? f->len : 64), f->text);
			problems++;
		}
	}
	return problems;
}

/* A cached column's fast path: a cache hit (code 1, missing, is
 * MJ_MISSING + 2 as a category is its index + 2; not taken when the
 * column is required, see struct col_op). A multi-response field
 * naming several is never cached whole (its parts are), nor is a value
 * with a problem taken here. Returns 1 when the field is read (rec set).
 * Every field is looked up: a test of whether it repeats its column's last
 * value saved instructions, but its outcome changes from row to row, and
 * the processor's wrong guesses cost more (10% of mj-tab's CPU time). */
static inline int cached_value(const struct col_op *op, const struct mj_field *f,
			       struct mj_record *rec)
{
	struct column *col = op->col;
	struct mj_vkey vk;
	int hit;
	mj_vkey_make(&vk, f->text, f->len);
	if (!mj_vcache_get(&col->cache, &vk, &hit) || hit < op->min_hit)
		return 0;
	rec->value[op->dim] = hit - 2;
	return 1;
}

/* A field its column's fast path did not take: the full reading, or a
 * problem. Returns the problems found. */
static size_t slow_value(struct mj_normaliser *n, const struct col_op *op,
			 const struct mj_field *f, unsigned long line, struct mj_record *rec,
			 mj_problem_fn on_problem, void *ctx)
{
	struct column *col = op->col;
	/* The record is not cleared between rows: a value not read is
	 * missing. */
	rec->value[op->dim] = MJ_MISSING;
	switch (col->kind) {
	case MJ_DIM_ID:
		rec->id = f->text;
		rec->id_len = f->len;
		break;
	case MJ_DIM_CATEGORY:
	case MJ_DIM_OPEN:
		return category_value(n, col, f, line, op->c, rec, on_problem, ctx);
	case MJ_DIM_INTEGER:
		return integer_value(n, col, f, line, op->c, rec, on_problem, ctx);
	case MJ_DIM_DATE:
		return date_value(n, col, f, line, op->c, rec, on_problem, ctx);
	case MJ_DIM_DERIVED:
		break;
	}
	return 0;
}

/* Whether a row that did not read as a record repeats the header (two
 * files joined together): two of its fields or more name columns of the
 * schema. Said once instead of a problem per field; in another column
 * order it stops the file, as the rows after it would be read in the first
 * header's order (a child's age read as her number of children). Returns
 * 1 when it did, with the problem reported. */
static __attribute__((noinline, cold)) int
repeated_header(const struct mj_normaliser *n, const struct mj_field *fields, size_t nfields,
		unsigned long line, mj_problem_fn on_problem, void *ctx)
{
	size_t named = 0, moved = 0, first_moved = 0;
	for (size_t c = 0; c < nfields && c < n->ncols; c++) {
		if (!fields[c].len || fields[c].len > 80 || fields[c].len != strlen(fields[c].text))
			continue;
		int d = mj_schema_dim_find(n->schema, fields[c].text);
		if (d < 0)
			continue;
		named++;
		if (n->cols[c].dim != d && !moved++)
			first_moved = c + 1;
	}
	if (named < 2)
		return 0;
	if (moved)
		report(n, on_problem, ctx, line, first_moved, 1, MJ_E_PARSE,
		       "the header is repeated here in another column order (two files joined together?): the rows after it would be read in the first header's order; put the files' columns in one order, or read them as two files");
	else
		report(n, on_problem, ctx, line, 0, 0, MJ_E_VALUE,
		       "the row repeats the header (two files joined together?): it is not a record");
	return 1;
}

size_t mj_normaliser_row(struct mj_normaliser *n, const struct mj_field *fields,
			 size_t nfields, unsigned long line,
			 struct mj_record *rec, mj_problem_fn on_problem,
			 void *ctx)
{
	size_t problems = 0;
	rec->line = line;
	rec->year = rec->month = rec->day = 0;
	rec->weight = 1;
	rec->measure = 0;
	rec->id = NULL;
	rec->id_len = 0;
	/* A record is cleared whole once; then a row sets again each value
	 * it may have set (every column's, every derived one's), and only a
	 * multi-response dimension's mentions, when a row set any. */
	_Static_assert(MJ_MISSING == -1, "MJ_MISSING is all bits set");
	if (rec != n->cleared) {
		memset(rec->value, 0xff, sizeof rec->value);
		memset(rec->mentions, 0, sizeof rec->mentions);
		n->cleared = rec;
		n->mentioned = 0;
	} else if (n->mentioned) {
		for (size_t k = 0; k < n->nmulti; k++)
			rec->mentions[n->multi_dims[k]] = 0;
		n->mentioned = 0;
	}
	/* Empty fields past the header's (a spreadsheet's trailing commas)
	 * hold nothing to lose. */
	size_t past = n->ncols;
	while (past < nfields && fields[past].len == 0)
		past++;
	if (nfields < n->ncols || past < nfields) {
		report(n, on_problem, ctx, line, nfields < n->ncols ? nfields : past + 1,
		       0, MJ_E_PARSE, "row has %zu fields, the header has %zu", nfields, n->ncols);
		problems++;
	}
	size_t ncols = nfields < n->ncols ? nfields : n->ncols;
	/* Whether a required column may be empty: no row that took only
	 * fast paths has one (see struct col_op). */
	int required = 1;
	if (nfields == n->ncols && n->fast) {
		/* Each list's fast path in its own loop; the fields either
		 * misses (a bit each, by place among all ops) are read
		 * after, in column order, so problems come as they would. */
		uint64_t slow = 0;
		for (const struct col_op *op = n->cached_ops, *end = op + n->ncached; op < end; op++)
			if (!cached_value(op, &fields[op->c], rec))
				slow |= 1ull << op->at;
		for (const struct col_op *op = n->value_ops, *end = op + n->nvalue; op < end; op++)
			if (!fast_value(op->col, &fields[op->c], rec))
				slow |= 1ull << op->at;
		if (n->id_op) {
			const struct col_op *op = n->id_op;
			const struct mj_field *f = &fields[op->c];
			rec->id = f->text;
			rec->id_len = f->len;
			if (!f->len && op->required)
				slow |= 1ull << op->at;
		}
		required = slow != 0;
		/* A header's fields are nearly all off the fast paths; a
		 * record's seldom are, and are not looked at again. */
		if (slow && (size_t)__builtin_popcountll(slow) * 2 >= n->nops &&
		    repeated_header(n, fields, nfields, line, on_problem, ctx))
			return 1;
		while (slow) {
			const struct col_op *op = &n->ops[__builtin_ctzll(slow)];
			slow &= slow - 1;
			problems += slow_value(n, op, &fields[op->c], line, rec, on_problem, ctx);
		}
	} else {
		/* Fields past the row's end are not read: their values are
		 * missing. */
		memset(rec->value, 0xff, sizeof rec->value);
		if (repeated_header(n, fields, nfields, line, on_problem, ctx))
			return problems + 1;
		const struct col_op *op = n->ops, *end = op ? op + n->nops : op;
		while (end > op && end[-1].c >= ncols)
			end--;
		for (; op < end; op++) {
			const struct mj_field *f = &fields[op->c];
			if (op->cached ? cached_value(op, f, rec) : fast_value(op->col, f, rec))
				continue;
			problems += slow_value(n, op, f, line, rec, on_problem, ctx);
		}
	}
	problems += row_measure(n, line, rec, on_problem, ctx) +
		    row_rules(n, fields, ncols, line, rec, required, on_problem, ctx);
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
	memset(&c->votes, 0, sizeof c->votes);
	memset(c->memo, 0, sizeof c->memo);
	c->ops = c->cached_ops = c->value_ops = NULL;
	c->nops = c->ncached = c->nvalue = 0;
	c->id_op = NULL;
	c->fast = 0;
	c->cleared = NULL;
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
	if (make_ops(c) != 0) {
		mj_normaliser_destroy(c);
		return NULL;
	}
	return c;
}

int mj_normaliser_has_column(const struct mj_normaliser *n, size_t dim)
{
	return dim < MJ_MAX_DIMS && n->col_of_dim[dim] >= 0;
}
