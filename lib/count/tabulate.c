/* Tabulation: one pass over the records counts every requested table; the
 * tables are then laid out in schema order with subtotals and totals. */
#include "murojaat/tab.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cube.h"
#include "dateorder.h"
#include "grow.h"
#include "i18n.h"
#include "murojaat/period.h"
#include "murojaat/record.h"
#include "scan.h"
#include "schema_internal.h"
#include "suppress.h"
#include "tally.h"
#include "text.h"

/* A filter on one dimension: which values pass. */
struct filter {
	int dim;
	unsigned char *accept;  /* category dims: [0] missing, [c + 1] category c */
	size_t naccept;
	GHashTable *keys;       /* open dims: matching keys that pass */
	GArray *periods;        /* date-derived dims: period numbers that pass */
	int missing_passes;
	char *text;             /* canonical form for the table's description */
};

struct spec_state {
	int sum_dim;            /* integer dimension this table sums, or -1 */
	int dims[MJ_CUBE_MAXD]; /* row dimensions, then the column dimension */
	int nrow;
	int coldim;             /* -1 for one-way, else the outermost column dimension */
	int ncol;               /* column dimensions (dims[nrow..nrow + ncol - 1]) */
	struct mj_cube cube;
	/* A multi-response dimension (one per table): its position in dims[],
	 * or -1. The cube then counts mentions, and each appeal once more
	 * under the key whose part at that position is MJ_KEY_TOTAL (the
	 * cases behind the totals over it; raw cells never hold that part). */
	int multi;
};

struct run {
	const struct mj_run_opts *opts;
	const struct mj_schema *schema;
	struct mj_normaliser *norm;   /* worker 0's: open-dimension labels */
	struct spec_state *specs;
	size_t nspecs;
	struct mj_tally_plan plan;    /* how each record is counted into the specs */
	struct filter filters[MJ_MAX_WHERE];
	size_t nfilters;
	long period_lo, period_hi;    /* yyyymmdd, 0 when open */
	long seen_lo, seen_hi;        /* dates of the valid records read */
	struct mj_run_stats *stats;
	const char *path;
	struct worker *workers;       /* one per part of a file being read */
	size_t nworkers;
	size_t nthreads;              /* threads that read the parts */
	char sheet[MJ_SHEET_NAME_MAX]; /* the workbook's sheet being read, "" for text */
	size_t sheets;                /* the workbook's sheets, 0 for text */
	struct mj_above_header above; /* the rows skipped above the header */
};

/* Buffered problems of a worker that is not the first: they are reported
 * after the scan, in file order, with their lines made absolute. */
#define BUFFERED_MAX 10000

/* The counting state of one thread. */
struct worker {
	struct run *r;
	size_t index;
	struct mj_normaliser *norm;
	struct mj_cube *cubes;        /* one per spec */
	struct mj_tally tally;        /* the specs' dense cells, added to cubes at the end */
	unsigned long long read, counted, excluded, rejected;
	double added;                 /* the most any one cell can hold */
	long seen_lo, seen_hi;
	uint64_t months[MJ_HELD_WORDS]; /* the months of the valid records read */
	int header_done;
	int aborted;                  /* strict mode stopped the run */
	enum mj_status status;        /* failure inside a callback */
	struct mj_error err;
	struct mj_record rec;
	size_t row_problems;
	struct mj_error *held;        /* problems held back (index > 0) */
	size_t nheld, capheld;
	int held_fatal[1];
	unsigned long dropped;
	/* Workers of parts read at once lie side by side: what one writes for
	 * every row must not share a cache line (or its prefetched pair) with
	 * what the next reads. */
	char apart[128];
};

/* Month m of year y as a bit of months_held, or -1 outside its years. */
static long held_bit(int y, int m)
{
	if (y < MJ_HELD_FIRST_YEAR || y >= MJ_HELD_FIRST_YEAR + MJ_HELD_YEARS || m < 1 || m > 12)
		return -1;
	return (long)(y - MJ_HELD_FIRST_YEAR) * 12 + m - 1;
}

static inline void hold_month(uint64_t *held, int y, int m)
{
	long b = held_bit(y, m);
	if (b >= 0)
		held[b >> 6] |= 1ull << (b & 63);
}

void mj_run_month_hold(uint64_t *held, int y, int m)
{
	hold_month(held, y, m);
}

int mj_run_month_held(const struct mj_run_stats *stats, int y, int m)
{
	long b = held_bit(y, m);
	return b >= 0 && (stats->months_held[b >> 6] >> (b & 63) & 1);
}

void mj_run_opts_init(struct mj_run_opts *o)
{
	memset(o, 0, sizeof *o);
	o->lang = MJ_LANG_EN;
}

/* Period parsing ------------------------------------------------------- */

/* Period number of a month/quarter/year label, or -1. */
static int parse_period_value(const struct mj_dim *dim, const char *text)
{
	int y, m, q;
	char tail;
	if (dim->unit == 'q' && sscanf(text, "%4d-Q%1d%c", &y, &q, &tail) == 2 && q >= 1 && q <= 4)
		return y * 4 + q - 1;
	if (dim->unit == 'y' && sscanf(text, "%4d%c", &y, &tail) == 1)
		return y;
	if (dim->unit != 'q' && dim->unit != 'y' &&
	    sscanf(text, "%4d-%2d%c", &y, &m, &tail) == 2 && m >= 1 && m <= 12)
		return mj_period_month(y, m);
	return -1;
}

/* Period labels: 2023-08, 2023-Q3, 2023. */
static void period_label(const struct mj_dim *dim, int value, char *buf, size_t len)
{
	if (dim->unit == 'q')
		snprintf(buf, len, "%d-Q%d", value / 4, value % 4 + 1);
	else if (dim->unit == 'y')
		snprintf(buf, len, "%d", value);
	else
		snprintf(buf, len, "%d-%02d", value / 12, value % 12 + 1);
}

static int is_period_dim(const struct mj_schema *s, int d)
{
	return s->dims[d].kind == MJ_DIM_DERIVED &&
	       s->dims[s->dims[d].source].kind == MJ_DIM_DATE;
}

/* Filters ----------------------------------------------------------------- */

static void filter_free(struct filter *f)
{
	free(f->accept);
	if (f->keys)
		g_hash_table_destroy(f->keys);
	if (f->periods)
		g_array_free(f->periods, TRUE);
	free(f->text);
	memset(f, 0, sizeof *f);
}

static enum mj_status filter_parse(const struct mj_schema *s, const char *text,
				   struct filter *f, struct mj_error *err)
{
	memset(f, 0, sizeof *f);
	const char *eq = strchr(text, '=');
	if (!eq || eq == text)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--where \"%s\": expected DIMENSION=VALUE[,VALUE...]", text);
	char name[128];
	snprintf(name, sizeof name, "%.*s", (int)(eq - text), text);
	int d = mj_schema_dim_find(s, name);
	if (d < 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--where: unknown dimension '%s'", name);
	const struct mj_dim *dim = &s->dims[d];
	if (dim->kind == MJ_DIM_ID || dim->kind == MJ_DIM_DATE || dim->kind == MJ_DIM_INTEGER)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--where: dimension '%s' cannot be filtered by value (use --period for dates, age_group for ages)",
			dim->name);
	f->dim = d;
	GString *canon = g_string_new(dim->name);
	g_string_append_c(canon, '=');
	if (is_period_dim(s, d))
		f->periods = g_array_new(FALSE, FALSE, sizeof(int));
	else if (dim->kind == MJ_DIM_OPEN)
		f->keys = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	else {
		f->naccept = dim->ncats + 1;
		f->accept = calloc(f->naccept, 1);
	}
	char *values = strdup(eq + 1);
	enum mj_status st = MJ_OK;
	int first = 1;
	for (char *save = NULL, *v = strtok_r(values, ",", &save); v;
	     v = strtok_r(NULL, ",", &save)) {
		mj_text_trim(v);
		char *key = mj_text_key(v, strlen(v));
		const char *shown = v;
		if (!key) {
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "--where: value is not UTF-8");
			break;
		}
		if (strcmp(v, MJ_CODE_MISSING) == 0 || mj_schema_key_is_missing(s, key)) {
			f->missing_passes = 1;
			if (f->accept)
				f->accept[0] = 1;
			shown = MJ_CODE_MISSING;
		} else if (f->periods) {
			int p = parse_period_value(dim, v);
			if (p < 0) {
				st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					"--where: \"%s\" is not a %s (e.g. %s)", v, dim->name,
					dim->unit == 'q' ? "2023-Q2" : dim->unit == 'y' ? "2023" : "2023-08");
				free(key);
				break;
			}
			g_array_append_val(f->periods, p);
		} else if (f->keys) {
			g_hash_table_add(f->keys, key);
			key = NULL;
		} else {
			int c = mj_schema_key_find(s, (size_t)d, key);
			if (c < 0) {
				int sug = mj_schema_suggest(s, (size_t)d, key);
				if (sug >= 0)
					st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
						"--where: '%s' has no value \"%s\" (did you mean \"%s\"?)",
						dim->name, v, dim->cats[sug].code);
				else
					st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
						"--where: '%s' has no value \"%s\"", dim->name, v);
				free(key);
				break;
			}
			f->accept[c + 1] = 1;
			shown = dim->cats[c].code;
		}
		free(key);
		g_string_append_printf(canon, "%s%s", first ? "" : ",", shown);
		first = 0;
	}
	free(values);
	f->text = g_string_free(canon, FALSE);
	if (st != MJ_OK) {
		g_free(f->text);
		f->text = NULL;
		filter_free(f);
	} else {
		/* g_string memory is released with free(); copy to be sure. */
		char *copy = strdup(f->text);
		g_free(f->text);
		f->text = copy;
	}
	return st;
}

static int filter_pass(struct worker *w, const struct filter *f,
		       const struct mj_record *rec)
{
	int v = rec->value[f->dim];
	if (v == MJ_MISSING)
		return f->missing_passes;
	if (f->accept && rec->mentions[f->dim]) {
		/* Multi-response: any category named passes. */
		unsigned long long m = rec->mentions[f->dim];
		for (size_t c = 0; m; c++, m >>= 1)
			if ((m & 1) && c + 1 < f->naccept && f->accept[c + 1])
				return 1;
		return 0;
	}
	if (f->accept)
		return (size_t)v + 1 < f->naccept && f->accept[v + 1];
	if (f->periods) {
		for (guint i = 0; i < f->periods->len; i++)
			if (g_array_index(f->periods, int, i) == v)
				return 1;
		return 0;
	}
	const char *label = mj_normaliser_open_label(w->norm, (size_t)f->dim, v);
	char *key = mj_text_key(label, strlen(label));
	int pass = key && g_hash_table_contains(f->keys, key);
	free(key);
	return pass;
}

/* Reading ------------------------------------------------------------------ */

static void deliver(struct run *r, const struct mj_error *e, int fatal)
{
	if (r->opts->on_problem)
		r->opts->on_problem(r->opts->ctx, e, fatal);
}

static void on_row_problem(void *ctx, const struct mj_error *e, int fatal)
{
	struct worker *w = ctx;
	struct run *r = w->r;
	if (fatal && e->status != MJ_OK) {
		/* It stops the file (read_file reports it once). */
		if (w->status == MJ_OK) {
			w->status = e->status;
			w->err = *e;
		}
		return;
	}
	if (e->status != MJ_OK)
		w->row_problems++;
	fatal = fatal || (r->opts->strict && e->status != MJ_OK);
	if (w->index == 0) {
		deliver(r, e, fatal);
		return;
	}
	if (w->nheld == BUFFERED_MAX) {
		w->dropped++;
		return;
	}
	if (mj_grow(&w->held, &w->capheld, w->nheld, sizeof *w->held) != 0) {
		w->dropped++;
		return;
	}
	w->held[w->nheld++] = *e;
}

/* Whether a cell of sp's cube is a case of its multi-response dimension. */
static int is_case_key(const struct spec_state *sp, uint64_t key)
{
	return sp->multi >= 0 && ((key >> (16 * sp->multi)) & 0xFFFFu) == MJ_KEY_TOTAL;
}

static int on_row(void *ctx, const struct mj_field *fields, size_t nfields,
		  unsigned long line)
{
	struct worker *w = ctx;
	struct run *r = w->r;
	if (!w->header_done) {
		w->header_done = 1;
		struct mj_error e;
		mj_error_clear(&e);
		if (mj_normaliser_header(w->norm, r->path, fields, nfields, line,
					 on_row_problem, w, &e) != MJ_OK) {
			w->err = e;
			w->status = e.status;
			return 1;
		}
		return 0;
	}
	w->read++;
	w->row_problems = 0;
	struct mj_record *rec = &w->rec;
	mj_normaliser_row(w->norm, fields, nfields, line, rec, on_row_problem, w);
	if (w->status != MJ_OK)
		return 1;
	if (w->row_problems) {
		w->rejected++;
		if (r->opts->strict) {
			w->aborted = 1;
			return 1;
		}
		return 0;
	}
	long date = rec->year * 10000L + rec->month * 100 + rec->day;
	/* The register's span counts every valid record, those outside the
	 * filters and the period too: it gives the period of the tables. */
	if (rec->year) {
		if (!w->seen_lo || date < w->seen_lo)
			w->seen_lo = date;
		if (date > w->seen_hi)
			w->seen_hi = date;
		hold_month(w->months, rec->year, rec->month);
	}
	int pass = rec->year == 0 ? r->period_lo == 0
		: (!r->period_lo || date >= r->period_lo) && (!r->period_hi || date <= r->period_hi);
	for (size_t i = 0; pass && i < r->nfilters; i++)
		pass = filter_pass(w, &r->filters[i], rec);
	if (!pass) {
		w->excluded++;
		return 0;
	}
	w->counted++;
	double v = r->opts->sum ? rec->measure * rec->weight : rec->weight;
	double most;
	if (mj_tally_row(&r->plan, &w->tally, w->cubes, rec, v, &most) != 0) {
		w->status = mj_error_set(&w->err, MJ_E_NOMEM, r->path, line, 0,
					 "out of memory");
		return 1;
	}
	/* No cell can then exceed w->added, which the run keeps below
	 * MJ_TABLE_VALUE_MAX so that every count stays exact. */
	w->added += most;
	return 0;
}

static void worker_free(struct worker *w, size_t nspecs)
{
	if (w->index > 0)
		mj_normaliser_destroy(w->norm);
	for (size_t i = 0; w->cubes && i < nspecs; i++)
		mj_cube_free(&w->cubes[i]);
	free(w->cubes);
	mj_tally_free(&w->tally);
	free(w->held);
	memset(w, 0, sizeof *w);
}

/* Resets worker k's counts for a new file, keeping its normaliser. */
static int worker_start(struct run *r, size_t k)
{
	struct worker *w = &r->workers[k];
	if (!w->cubes) {
		w->cubes = calloc(r->nspecs ? r->nspecs : 1, sizeof *w->cubes);
		if (!w->cubes)
			return -1;
		for (size_t i = 0; i < r->nspecs; i++)
			if (mj_cube_init(&w->cubes[i]) != 0)
				return -1;
	}
	if (!w->tally.counts && mj_tally_init(&w->tally, &r->plan) != 0)
		return -1;
	w->r = r;
	w->index = k;
	w->header_done = k > 0;
	w->status = MJ_OK;
	return 0;
}

/* After the header went to worker 0: the others get copies of its state. */
static int prepare_workers(void **ctxs, size_t n)
{
	struct worker *w0 = ctxs[0];
	struct run *r = w0->r;
	for (size_t k = 1; k < n; k++) {
		struct worker *w = ctxs[k];
		mj_normaliser_destroy(w->norm);
		w->norm = mj_normaliser_clone(w0->norm);
		if (!w->norm || worker_start(r, k) != 0)
			return -1;
		w->read = w->counted = w->excluded = w->rejected = 0;
		w->added = 0;
		w->nheld = 0;
		w->dropped = 0;
	}
	return 0;
}

/* Adds the counts of worker k into worker 0 and replays its problems. */
static int merge_worker(struct run *r, size_t k, unsigned long line_base)
{
	struct worker *w0 = &r->workers[0], *w = &r->workers[k];
	for (size_t i = 0; i < w->nheld; i++) {
		struct mj_error e = w->held[i];
		if (e.line)
			e.line += line_base - 1;
		deliver(r, &e, 0);
	}
	if (w->dropped) {
		struct mj_error e;
		mj_error_set(&e, MJ_E_VALUE, r->path, 0, 0,
			     "%lu further problems in this file are counted but not listed", w->dropped);
		deliver(r, &e, 0);
	}
	w0->read += w->read;
	w0->counted += w->counted;
	w0->excluded += w->excluded;
	w0->rejected += w->rejected;
	mj_normaliser_merge_dates(w0->norm, w->norm, line_base);
	w0->added += w->added;
	if (w->seen_lo && (!w0->seen_lo || w->seen_lo < w0->seen_lo))
		w0->seen_lo = w->seen_lo;
	if (w->seen_hi > w0->seen_hi)
		w0->seen_hi = w->seen_hi;
	for (size_t i = 0; i < MJ_HELD_WORDS; i++)
		w0->months[i] |= w->months[i];
	if (mj_tally_flush(&r->plan, &w->tally, w->cubes) != 0)
		return -1;
	for (size_t s = 0; s < r->nspecs; s++) {
		const struct mj_cube *c = &w->cubes[s];
		for (size_t i = 0; i < c->cap; i++)
			if (c->keys[i] && mj_cube_add(&w0->cubes[s], c->keys[i] - 1, c->sums[i]) != 0)
				return -1;
		mj_cube_free(&w->cubes[s]);
		if (mj_cube_init(&w->cubes[s]) != 0)
			return -1;
	}
	w->read = w->counted = w->excluded = w->rejected = 0;
	w->added = 0;
	w->seen_lo = w->seen_hi = 0;
	memset(w->months, 0, sizeof w->months);
	w->nheld = 0;
	w->dropped = 0;
	return 0;
}

/* Reads one file with the workers; returns its status (err filled). */
static enum mj_status read_file(struct run *r, const char *file, struct mj_error *ferr)
{
	const struct mj_run_opts *opts = r->opts;
	struct mj_reader_opts ro = {.delimiter = opts->delimiter,
				    .encoding = opts->encoding,
				    .on_progress = opts->on_progress,
				    .progress_ctx = opts->ctx,
				    .sheet = opts->sheet, .header_row = opts->header_row,
				    .schema = r->schema, .sheet_read = r->sheet,
				    .sheet_count = &r->sheets, .above = &r->above,
				    .threads = (unsigned)r->nthreads};
	r->sheets = 0;
	struct worker *w0 = &r->workers[0];
	w0->header_done = 0;
	w0->status = MJ_OK;
	enum mj_status rs;
	size_t parts = r->nworkers;
	if (opts->strict)
		parts = 1;
	/* The order of the file's dates is known before a date that needs it
	 * is read: from a first look at a file, taken when the first such
	 * date comes (most files have none), or by holding back a stream's
	 * first rows until a date tells it. */
	int gate = 0;
	struct mj_date_lookup lookup;
	if (opts->date_order == MJ_DATE_AUTO) {
		gate = !mj_date_rereadable(file);
		if (gate)
			mj_normaliser_set_date_order(w0->norm, MJ_DATE_AUTO, 0);
		else
			mj_date_order_defer(w0->norm, &lookup, file, &ro, r->schema);
	}
	if (gate) {
		struct mj_dategate g;
		mj_dategate_init(&g, on_row, w0, w0->norm);
		rs = mj_read_rows(file, &ro, mj_dategate_row, &g, NULL, ferr);
		if (mj_dategate_finish(&g) != 0 && rs == MJ_OK)
			rs = mj_error_set(ferr, MJ_E_NOMEM, r->path, 0, 0, "out of memory");
		mj_dategate_free(&g);
	} else if (mj_scan_possible(file, &ro)) {
		void *ctxs[MJ_SCAN_MAX_PARTS];
		for (size_t k = 0; k < parts; k++)
			ctxs[k] = &r->workers[k];
		struct mj_scan_result res;
		rs = mj_scan_file(file, &ro, on_row, prepare_workers, ctxs, parts, &res, ferr);
		for (size_t k = 1; k < res.nparts; k++) {
			if (res.valid[k]) {
				if (merge_worker(r, k, res.line_base[k]) != 0)
					return mj_error_set(ferr, MJ_E_NOMEM, r->path, 0, 0, "out of memory");
			} else {
				/* A part cut inside a quoted field was read again in
				 * sequence: its own counts do not count. */
				struct worker *w = &r->workers[k];
				mj_tally_reset(&r->plan, &w->tally);
				for (size_t s = 0; s < r->nspecs; s++) {
					mj_cube_free(&w->cubes[s]);
					if (mj_cube_init(&w->cubes[s]) != 0)
						return mj_error_set(ferr, MJ_E_NOMEM, r->path, 0, 0, "out of memory");
				}
				w->read = w->counted = w->excluded = w->rejected = 0;
				w->added = 0;
				w->seen_lo = w->seen_hi = 0;
				memset(w->months, 0, sizeof w->months);
				w->nheld = 0;
				w->dropped = 0;
				w->status = MJ_OK;
			}
		}
	} else {
		rs = mj_read_rows(file, &ro, on_row, w0, NULL, ferr);
	}
	for (size_t k = 0; k < r->nworkers && rs == MJ_OK; k++)
		if (r->workers[k].status != MJ_OK) {
			rs = r->workers[k].status;
			*ferr = r->workers[k].err;
		}
	if (rs == MJ_OK && !w0->header_done)
		rs = mj_error_set(ferr, MJ_E_EMPTY, r->path, 0, 0, "file is empty (no header row)");
	if (rs == MJ_OK) {
		struct mj_error note;
		int has_note;
		rs = mj_normaliser_date_verdict(w0->norm, &note, &has_note, ferr);
		if (has_note)
			deliver(r, &note, 0);
		if (mj_read_sheet_note(r->path, r->sheets, r->sheet, opts->sheet, &note))
			deliver(r, &note, 0);
		if (mj_read_above_note(r->path, &r->above, &note))
			deliver(r, &note, 0);
	}
	return rs;
}

/* Table layout ------------------------------------------------------------- */

struct level {
	int value;      /* MJ_MISSING or the value */
	char *code;
	char *label;
};

struct levels {
	struct level *items;
	size_t n, cap;
};

static void levels_free(struct levels *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].code);
		free(l->items[i].label);
	}
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

static int levels_add(struct levels *l, int value, const char *code, const char *label)
{
	/* Room doubles (a schema may list 65,534). */
	if (mj_grow(&l->items, &l->cap, l->n, sizeof *l->items) != 0)
		return -1;
	struct level *items = l->items;
	items[l->n].value = value;
	items[l->n].code = strdup(code);
	items[l->n].label = strdup(label);
	if (!items[l->n].code || !items[l->n].label)
		return -1;
	l->n++;
	return 0;
}

static int cmp_level_label(const void *a, const void *b)
{
	return strcmp(((const struct level *)a)->label, ((const struct level *)b)->label);
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

struct build {
	struct run *r;
	struct spec_state *sp;
	struct mj_cube agg;       /* cells with totals over inner dimensions */
	struct levels lv[MJ_CUBE_MAXD];
	struct mj_table *t;
	enum mj_lang lang;
	int *colv;                /* nested columns: [c * ncol + k] values, -2 for total */
};

/* The value an open dimension's rare values are counted under: above every
 * value the normaliser gives (fewer than 65000), below the key's total. */
#define OPEN_OTHER 65000
#define OPEN_OTHER_CODE "_rare"

/* With --min-cell, a value of an open dimension (district) that fewer than
 * min_cell appeals name may be anything someone typed, a name too: its
 * label must appear in no output. Such values of position i of the spec
 * are counted together as OPEN_OTHER ("Other districts"), a row suppressed
 * like any other when it is small itself. A table of a multi-response
 * dimension counts each appeal once in its cases. Returns -1 when out of
 * memory. */
static int group_rare(struct run *r, struct spec_state *sp, int i)
{
	double min = (double)r->opts->min_cell;
	struct mj_cube totals, grouped;
	if (mj_cube_init(&totals) != 0)
		return -1;
	const struct mj_cube *c = &sp->cube;
	int rc = 0;
	for (size_t k = 0; k < c->cap && rc == 0; k++) {
		if (!c->keys[k] || (sp->multi >= 0 && !is_case_key(sp, c->keys[k] - 1)))
			continue;
		unsigned part = (unsigned)((c->keys[k] - 1) >> (16 * i)) & 0xFFFFu;
		if (part != MJ_KEY_TOTAL && part != MJ_KEY_MISSING)
			rc = mj_cube_add(&totals, part, c->sums[k]);
	}
	size_t rare = 0;
	for (size_t k = 0; k < totals.cap; k++)
		rare += totals.keys[k] && totals.sums[k] < min;
	if (rc != 0 || rare == 0 || mj_cube_init(&grouped) != 0) {
		mj_cube_free(&totals);
		return rc;
	}
	for (size_t k = 0; k < c->cap && rc == 0; k++) {
		if (!c->keys[k])
			continue;
		uint64_t key = c->keys[k] - 1;
		unsigned part = (unsigned)(key >> (16 * i)) & 0xFFFFu;
		if (part != MJ_KEY_TOTAL && part != MJ_KEY_MISSING &&
		    mj_cube_get(&totals, part) < min)
			key = (key & ~((uint64_t)0xFFFFu << (16 * i))) |
			      mj_key_part(OPEN_OTHER) << (16 * i);
		rc = mj_cube_add(&grouped, key, c->sums[k]);
	}
	mj_cube_free(&totals);
	if (rc != 0) {
		mj_cube_free(&grouped);
		return rc;
	}
	mj_cube_free(&sp->cube);
	sp->cube = grouped;
	return 0;
}

/* The label of the rare values of open dimension d: the schema's (attr
 * other), else neutral words; with the threshold, so that every output
 * says why they are together. */
static char *other_label(const struct mj_dim *dim, enum mj_lang lang, long min_cell)
{
	static const char *const words[] = {"Other values", "Другие значения",
					    "Boshqa qiymatlar", "Бошқа қийматлар"};
	static const char *const each[] = {"each fewer than %ld", "в каждом менее %ld",
					   "har biri %ld tadan kam", "ҳар бири %ld тадан кам"};
	const char *name = dim->other_labels[lang] ? dim->other_labels[lang]
		: dim->other_labels[MJ_LANG_EN] ? dim->other_labels[MJ_LANG_EN] : words[lang];
	char note[64];
	snprintf(note, sizeof note, each[lang], min_cell);
	return g_strdup_printf("%s (%s)", name, note);
}

/* The values of dimension i of a spec: every schema category (zeros
 * included), open values and periods seen, and "not stated" last. */
static int collect_levels(struct build *b, int i)
{
	struct run *r = b->r;
	const struct mj_schema *s = r->schema;
	int d = b->sp->dims[i];
	const struct mj_dim *dim = &s->dims[d];
	struct levels *l = &b->lv[i];
	GArray *seen = g_array_new(FALSE, FALSE, sizeof(int));
	int missing_seen = 0;
	const struct mj_cube *c = &b->sp->cube;
	for (size_t k = 0; k < c->cap; k++) {
		if (!c->keys[k])
			continue;
		unsigned part = (unsigned)((c->keys[k] - 1) >> (16 * i)) & 0xFFFFu;
		if (part == MJ_KEY_TOTAL)
			continue; /* a case of a multi-response dimension */
		if (part == MJ_KEY_MISSING) {
			missing_seen = 1;
			continue;
		}
		int v = (int)part - 1;
		g_array_append_val(seen, v);
	}
	g_array_sort(seen, cmp_int);
	int rc = 0;
	char code[32];
	if (is_period_dim(s, d)) {
		int lo = -1, hi = -1;
		if (seen->len) {
			lo = g_array_index(seen, int, 0);
			hi = g_array_index(seen, int, seen->len - 1);
		}
		/* The period (the one asked for, else the register's span) shows
		 * all its months, zeros included. */
		long first = r->period_lo ? r->period_lo : r->seen_lo;
		long last = r->period_lo ? r->period_hi : r->seen_hi;
		if (first) {
			int y0 = (int)(first / 10000), m0 = (int)(first / 100 % 100);
			int y1 = (int)(last / 10000), m1 = (int)(last / 100 % 100);
			int plo = dim->unit == 'q' ? mj_period_quarter(y0, m0)
				: dim->unit == 'y' ? y0 : mj_period_month(y0, m0);
			int phi = dim->unit == 'q' ? mj_period_quarter(y1, m1)
				: dim->unit == 'y' ? y1 : mj_period_month(y1, m1);
			if (lo < 0 || plo < lo)
				lo = plo;
			if (phi > hi)
				hi = phi;
		}
		for (int v = lo; lo >= 0 && v <= hi && rc == 0; v++) {
			period_label(dim, v, code, sizeof code);
			rc = levels_add(l, v, code, code);
		}
	} else if (dim->kind == MJ_DIM_OPEN) {
		int prev = -2, other = 0;
		for (guint k = 0; k < seen->len && rc == 0; k++) {
			int v = g_array_index(seen, int, k);
			if (v == prev)
				continue;
			prev = v;
			if (v == OPEN_OTHER) {
				other = 1;
				continue;
			}
			const char *label = mj_normaliser_open_label(r->norm, (size_t)d, v);
			rc = levels_add(l, v, label, label);
		}
		/* Ids depend on reading order; labels do not. */
		if (rc == 0 && l->n > 1)
			qsort(l->items, l->n, sizeof *l->items, cmp_level_label);
		if (rc == 0 && other) {
			char *label = other_label(dim, b->lang, r->opts->min_cell);
			rc = levels_add(l, OPEN_OTHER, OPEN_OTHER_CODE, label);
			g_free(label);
		}
	} else {
		for (size_t k = 0; k < dim->ncats && rc == 0; k++)
			rc = levels_add(l, (int)k, dim->cats[k].code, dim->cats[k].labels[b->lang]);
	}
	int show_missing = missing_seen ||
		(!dim->required && !is_period_dim(s, d) && dim->kind != MJ_DIM_OPEN &&
		 !(dim->kind == MJ_DIM_DERIVED && dim->source >= 0 && s->dims[dim->source].required));
	if (r->opts->missing_exclude)
		show_missing = 0;
	if (rc == 0 && show_missing)
		rc = levels_add(l, MJ_MISSING, MJ_CODE_MISSING, s->missing_labels[b->lang]);
	g_array_free(seen, TRUE);
	return rc;
}

static uint64_t make_key(const int *values, int n)
{
	uint64_t key = 0;
	for (int i = 0; i < n; i++)
		key |= (values[i] == -2 ? (uint64_t)MJ_KEY_TOTAL : mj_key_part(values[i])) << (16 * i);
	return key;
}

/* The totals over a multi-response dimension: each appeal once. */
static int aggregate_cases(struct build *b)
{
	const struct spec_state *sp = b->sp;
	int n = sp->nrow + sp->ncol;
	const struct mj_cube *c = &sp->cube;
	for (size_t k = 0; k < c->cap; k++) {
		if (!c->keys[k] || !is_case_key(sp, c->keys[k] - 1))
			continue;
		uint64_t key = c->keys[k] - 1;
		int values[MJ_CUBE_MAXD];
		int skip = 0;
		for (int i = 0; i < n; i++) {
			unsigned part = (unsigned)(key >> (16 * i)) & 0xFFFFu;
			values[i] = part == MJ_KEY_TOTAL ? -2 : part == MJ_KEY_MISSING ? MJ_MISSING : (int)part - 1;
			if (part == MJ_KEY_MISSING && b->r->opts->missing_exclude)
				skip = 1;
		}
		if (skip)
			continue;
		for (int depth = sp->nrow; depth >= 0; depth--) {
			/* Each aggregate once: levels already aggregated repeat it. */
			if (depth < sp->nrow && values[depth] == -2)
				continue;
			int v[MJ_CUBE_MAXD];
			memcpy(v, values, sizeof v);
			for (int i = depth; i < sp->nrow; i++)
				v[i] = -2;
			uint64_t last = make_key(v, n);
			if (mj_cube_add(&b->agg, last, c->sums[k]) != 0)
				return -1;
			/* The totals over the column dimensions too (a case
			 * key already totals a multi-response column). */
			for (int cd = sp->ncol - 1; cd >= 0; cd--) {
				v[sp->nrow + cd] = -2;
				uint64_t key = make_key(v, n);
				if (key == last)
					continue;
				if (mj_cube_add(&b->agg, key, c->sums[k]) != 0)
					return -1;
				last = key;
			}
		}
	}
	return 0;
}

/* Sums every cell into the cells that aggregate over inner row dimensions
 * and over the column dimension. Excluded "not stated" values are left out. */
static int aggregate(struct build *b)
{
	const struct spec_state *sp = b->sp;
	int n = sp->nrow + sp->ncol;
	const struct mj_cube *c = &sp->cube;
	for (size_t k = 0; k < c->cap; k++) {
		if (!c->keys[k] || is_case_key(sp, c->keys[k] - 1))
			continue;
		uint64_t key = c->keys[k] - 1;
		int values[MJ_CUBE_MAXD];
		int skip = 0;
		for (int i = 0; i < n; i++) {
			unsigned part = (unsigned)(key >> (16 * i)) & 0xFFFFu;
			values[i] = part == MJ_KEY_MISSING ? MJ_MISSING : (int)part - 1;
			if (part == MJ_KEY_MISSING && b->r->opts->missing_exclude)
				skip = 1;
		}
		if (skip)
			continue;
		for (int depth = sp->nrow; depth >= 0; depth--) {
			int v[MJ_CUBE_MAXD];
			memcpy(v, values, sizeof v);
			for (int i = depth; i < sp->nrow; i++)
				v[i] = -2;
			/* Totals over a multi-response dimension come from the
			 * cases, not from adding up mentions. */
			int over_multi = sp->multi >= 0 && sp->multi < sp->nrow && sp->multi >= depth;
			if (!over_multi && mj_cube_add(&b->agg, make_key(v, n), c->sums[k]) != 0)
				return -1;
			/* Totals over the inner column dimensions, then over all;
			 * those over a multi-response column come from the cases. */
			for (int cd = sp->ncol - 1; cd >= 0; cd--) {
				v[sp->nrow + cd] = -2;
				if (sp->multi >= sp->nrow && cd <= sp->multi - sp->nrow)
					continue;
				if (!over_multi && mj_cube_add(&b->agg, make_key(v, n), c->sums[k]) != 0)
					return -1;
			}
		}
	}
	return sp->multi >= 0 ? aggregate_cases(b) : 0;
}

static void fill_values(struct build *b, struct mj_table_row *row, const int *prefix)
{
	const struct spec_state *sp = b->sp;
	int n = sp->nrow + sp->ncol;
	int v[MJ_CUBE_MAXD];
	memcpy(v, prefix, sizeof v);
	if (sp->coldim < 0) {
		row->values[0] = mj_cube_get(&b->agg, make_key(v, n));
		return;
	}
	if (sp->ncol > 1) {
		for (size_t c = 0; c < b->t->ncols; c++) {
			for (int k = 0; k < sp->ncol; k++)
				v[sp->nrow + k] = b->colv[c * (size_t)sp->ncol + (size_t)k];
			row->values[c] = mj_cube_get(&b->agg, make_key(v, n));
		}
		return;
	}
	const struct levels *cl = &b->lv[sp->nrow];
	for (size_t c = 0; c < cl->n; c++) {
		v[sp->nrow] = cl->items[c].value;
		row->values[c] = mj_cube_get(&b->agg, make_key(v, n));
	}
	v[sp->nrow] = -2;
	row->values[cl->n] = mj_cube_get(&b->agg, make_key(v, n));
}

struct sibling {
	const struct level *level;
	double total;
	size_t order;
};

static int cmp_sibling(const void *pa, const void *pb, void *ctx)
{
	const struct build *sort_ctx = ctx;
	const struct sibling *a = pa, *b = pb;
	/* "Not stated" stays last whatever the order. */
	int ma = a->level->value == MJ_MISSING, mb = b->level->value == MJ_MISSING;
	if (ma != mb)
		return ma - mb;
	/* So do the rare values of an open dimension, before it. */
	int oa = a->level->value == OPEN_OTHER, ob = b->level->value == OPEN_OTHER;
	if (oa != ob)
		return oa - ob;
	if (sort_ctx->r->opts->sort == MJ_SORT_COUNT && a->total != b->total)
		return a->total < b->total ? 1 : -1;
	if (sort_ctx->r->opts->sort == MJ_SORT_LABEL) {
		int c = g_utf8_collate(a->level->label, b->level->label);
		if (c)
			return c;
	}
	return (a->order > b->order) - (a->order < b->order);
}

static double cell_total(struct build *b, const int *prefix)
{
	const struct spec_state *sp = b->sp;
	int n = sp->nrow + sp->ncol;
	int v[MJ_CUBE_MAXD];
	memcpy(v, prefix, sizeof v);
	for (int k = 0; k < sp->ncol; k++)
		v[sp->nrow + k] = -2;
	return mj_cube_get(&b->agg, make_key(v, n));
}

static int emit(struct build *b, int depth, int *prefix, const char **codes,
		const char **labels)
{
	if (depth < 0 || depth >= MJ_CUBE_MAXD - 1)
		return -1;
	struct run *r = b->r;
	const struct mj_schema *s = r->schema;
	const struct spec_state *sp = b->sp;
	int d = sp->dims[depth];
	const struct mj_dim *dim = &s->dims[d];
	const struct levels *l = &b->lv[depth];
	int hierarchical = depth > 0 && dim->parent == sp->dims[depth - 1];
	int inner_open = depth > 0 && (dim->kind == MJ_DIM_OPEN || is_period_dim(s, d));
	struct sibling *sib = calloc(l->n ? l->n : 1, sizeof *sib);
	if (!sib)
		return -1;
	size_t nsib = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct level *lv = &l->items[i];
		prefix[depth] = lv->value;
		for (int k = depth + 1; k < sp->nrow; k++)
			prefix[k] = -2;
		double total = cell_total(b, prefix);
		if (hierarchical) {
			if (lv->value == MJ_MISSING ? total == 0
			    : dim->cats[lv->value].parent != prefix[depth - 1])
				continue;
		}
		if ((inner_open || (depth > 0 && lv->value == MJ_MISSING)) && total == 0)
			continue;
		if (r->opts->hide_empty && total == 0)
			continue;
		sib[nsib].level = lv;
		sib[nsib].total = total;
		sib[nsib].order = i;
		nsib++;
	}
	qsort_r(sib, nsib, sizeof *sib, cmp_sibling, b);
	size_t keep = nsib;
	if (depth == 0 && r->opts->top && r->opts->top < nsib)
		keep = r->opts->top;
	int rc = 0;
	for (size_t i = 0; i < keep && rc == 0; i++) {
		const struct level *lv = sib[i].level;
		prefix[depth] = lv->value;
		for (int k = depth + 1; k < sp->nrow; k++) {
			prefix[k] = -2;
			codes[k] = MJ_CODE_TOTAL;
			labels[k] = s->total_labels[b->lang];
		}
		codes[depth] = lv->code;
		labels[depth] = lv->label;
		int leaf = depth == sp->nrow - 1;
		/* A parent without inner categories has no children to list. */
		int has_children = !leaf && prefix[depth] != MJ_MISSING;
		if (has_children && s->dims[sp->dims[depth + 1]].parent == d &&
		    lv->value >= 0) {
			has_children = 0;
			const struct mj_dim *inner = &s->dims[sp->dims[depth + 1]];
			for (size_t c = 0; c < inner->ncats; c++)
				has_children |= inner->cats[c].parent == lv->value;
		}
		struct mj_table_row *row = mj_table_add_row(b->t,
			leaf ? MJ_ROW_CATEGORY : MJ_ROW_SUBTOTAL, depth, codes, labels);
		if (!row) {
			rc = -1;
			break;
		}
		fill_values(b, row, prefix);
		if (!leaf && has_children)
			rc = emit(b, depth + 1, prefix, codes, labels);
	}
	if (rc == 0 && keep < nsib) {
		/* The categories beyond --top are kept together, not lost. */
		static const char *const other[] = {"Other", "Другие", "Boshqalar", "Бошқалар"};
		for (int k = 0; k < sp->nrow; k++) {
			codes[k] = k == 0 ? "_other" : MJ_CODE_TOTAL;
			labels[k] = k == 0 ? other[b->lang] : s->total_labels[b->lang];
		}
		struct mj_table_row *row = mj_table_add_row(b->t, MJ_ROW_CATEGORY, 0, codes, labels);
		if (!row)
			rc = -1;
		for (size_t i = keep; row && i < nsib; i++) {
			prefix[0] = sib[i].level->value;
			for (int k = 1; k < sp->nrow; k++)
				prefix[k] = -2;
			struct mj_table_row tmp = *row;
			double *vals = calloc(b->t->ncols, sizeof *vals);
			if (!vals) {
				rc = -1;
				break;
			}
			tmp.values = vals;
			fill_values(b, &tmp, prefix);
			for (size_t c = 0; c < b->t->ncols; c++)
				row->values[c] += vals[c];
			free(vals);
		}
	}
	free(sib);
	return rc;
}

/* The columns of nested column dimensions, as rows nest: under each
 * category of dimension k its inner categories, then its subtotal; the
 * grand total last. */
struct colset {
	int *values;      /* [c * ncol + k] */
	const char **codes, **labels;
	unsigned char *kinds;
	int *levels;
	size_t n, cap;
};

static int colset_add(struct colset *cs, int ncol, const int *v, const char *const *codes,
		      const char *const *labels, enum mj_row_kind kind, int level)
{
	if (cs->n == cs->cap) {
		/* Five arrays of one length (ncol >= 1 entries per column in
		 * three): each grows from the same capacity, which is kept
		 * only when all five have grown. */
		size_t nc = (size_t)ncol, c[5] = {cs->cap, cs->cap, cs->cap, cs->cap, cs->cap};
		if (mj_grow(&cs->values, &c[0], cs->n, nc * sizeof *cs->values) != 0 ||
		    mj_grow(&cs->codes, &c[1], cs->n, nc * sizeof *cs->codes) != 0 ||
		    mj_grow(&cs->labels, &c[2], cs->n, nc * sizeof *cs->labels) != 0 ||
		    mj_grow(&cs->kinds, &c[3], cs->n, sizeof *cs->kinds) != 0 ||
		    mj_grow(&cs->levels, &c[4], cs->n, sizeof *cs->levels) != 0)
			return -1;
		cs->cap = c[0];
	}
	for (int k = 0; k < ncol; k++) {
		cs->values[cs->n * (size_t)ncol + (size_t)k] = v[k];
		cs->codes[cs->n * (size_t)ncol + (size_t)k] = codes[k];
		cs->labels[cs->n * (size_t)ncol + (size_t)k] = labels[k];
	}
	cs->kinds[cs->n] = (unsigned char)kind;
	cs->levels[cs->n] = level;
	cs->n++;
	return 0;
}

static void colset_free(struct colset *cs)
{
	free(cs->values);
	free(cs->codes);
	free(cs->labels);
	free(cs->kinds);
	free(cs->levels);
}

/* What the records count under column prefix v (rows all totalled). */
static double col_total(struct build *b, const int *v)
{
	const struct spec_state *sp = b->sp;
	int key[MJ_CUBE_MAXD];
	for (int i = 0; i < sp->nrow; i++)
		key[i] = -2;
	for (int k = 0; k < sp->ncol; k++)
		key[sp->nrow + k] = v[k];
	return mj_cube_get(&b->agg, make_key(key, sp->nrow + sp->ncol));
}

/* Sets column level k to lv and every level below it to the total. */
static void col_prefix(const struct build *b, int k, const struct level *lv,
		       int *v, const char **codes, const char **labels)
{
	const struct spec_state *sp = b->sp;
	v[k] = lv->value;
	codes[k] = lv->code;
	labels[k] = lv->label;
	for (int j = k + 1; j < sp->ncol && j < MJ_CUBE_MAXD; j++) {
		v[j] = -2;
		codes[j] = MJ_CODE_TOTAL;
		labels[j] = b->r->schema->total_labels[b->lang];
	}
}

static int emit_cols(struct build *b, struct colset *cs, int k, int *v,
		     const char **codes, const char **labels)
{
	const struct spec_state *sp = b->sp;
	/* Never true (at most MJ_CUBE_MAXD dimensions in all); said so that
	 * the compiler sees the recursion stay inside v, codes and labels. */
	if (k < 0 || k >= MJ_CUBE_MAXD || sp->ncol > MJ_CUBE_MAXD)
		return -1;
	const struct mj_schema *s = b->r->schema;
	int d = sp->dims[sp->nrow + k];
	const struct mj_dim *dim = &s->dims[d];
	const struct levels *l = &b->lv[sp->nrow + k];
	int hierarchical = k > 0 && dim->parent == sp->dims[sp->nrow + k - 1];
	int inner_open = k > 0 && (dim->kind == MJ_DIM_OPEN || is_period_dim(s, d));
	for (size_t i = 0; i < l->n; i++) {
		const struct level *lv = &l->items[i];
		col_prefix(b, k, lv, v, codes, labels);
		double total = col_total(b, v);
		if (hierarchical && (lv->value == MJ_MISSING ? total == 0
				     : dim->cats[lv->value].parent != v[k - 1]))
			continue;
		if ((inner_open || (k > 0 && lv->value == MJ_MISSING)) && total == 0)
			continue;
		if (k + 1 < sp->ncol && emit_cols(b, cs, k + 1, v, codes, labels) != 0)
			return -1;
		/* The subtotal after its children, which changed the levels
		 * below k. */
		col_prefix(b, k, lv, v, codes, labels);
		if (colset_add(cs, sp->ncol, v, codes, labels,
			       k + 1 < sp->ncol ? MJ_ROW_SUBTOTAL : MJ_ROW_CATEGORY, k) != 0)
			return -1;
	}
	return 0;
}

/* Makes t's nest from cs; the composite codes and labels of the columns
 * ("phone/shelter", "Telephone › Placed") are set too. */
static int set_nest(struct build *b, struct colset *cs)
{
	const struct spec_state *sp = b->sp;
	const struct mj_schema *s = b->r->schema;
	struct mj_table *t = b->t;
	size_t nc = (size_t)sp->ncol;
	struct mj_col_nest *nest = calloc(1, sizeof *nest);
	if (!nest)
		return -1;
	t->nest = nest;
	nest->ndims = nc;
	nest->dims = calloc(nc, sizeof *nest->dims);
	nest->dim_labels = calloc(nc, sizeof *nest->dim_labels);
	nest->codes = calloc(cs->n * nc, sizeof *nest->codes);
	nest->labels = calloc(cs->n * nc, sizeof *nest->labels);
	nest->kinds = malloc(cs->n);
	nest->levels = malloc(cs->n * sizeof *nest->levels);
	if (!nest->dims || !nest->dim_labels || !nest->codes || !nest->labels ||
	    !nest->kinds || !nest->levels)
		return -1;
	GString *name = g_string_new(NULL), *label = g_string_new(NULL);
	for (size_t k = 0; k < nc; k++) {
		const struct mj_dim *dim = &s->dims[sp->dims[sp->nrow + (int)k]];
		nest->dims[k] = strdup(dim->name);
		nest->dim_labels[k] = strdup(dim->labels[b->lang]);
		g_string_append_printf(name, "%s%s", k ? "," : "", dim->name);
		g_string_append_printf(label, "%s%s", k ? " › " : "", dim->labels[b->lang]);
	}
	int rc = mj_table_set(&t->col_dim, name->str) != MJ_OK ||
		 mj_table_set(&t->col_dim_label, label->str) != MJ_OK ? -1 : 0;
	for (size_t c = 0; c < cs->n && rc == 0; c++) {
		g_string_truncate(name, 0);
		g_string_truncate(label, 0);
		for (size_t k = 0; k < nc; k++) {
			nest->codes[c * nc + k] = strdup(cs->codes[c * nc + k]);
			nest->labels[c * nc + k] = strdup(cs->labels[c * nc + k]);
			if (!nest->codes[c * nc + k] || !nest->labels[c * nc + k])
				rc = -1;
			if (cs->values[c * nc + k] == -2)
				continue;
			g_string_append_printf(name, "%s%s", k ? "/" : "", cs->codes[c * nc + k]);
			g_string_append_printf(label, "%s%s", k ? " › " : "", cs->labels[c * nc + k]);
		}
		nest->kinds[c] = cs->kinds[c];
		nest->levels[c] = cs->levels[c];
		if (cs->kinds[c] == MJ_ROW_TOTAL)
			continue; /* "_total" and "Total" as made */
		if (mj_table_set(&t->col_codes[c], name->str) != MJ_OK ||
		    mj_table_set(&t->col_labels[c], label->str) != MJ_OK)
			rc = -1;
	}
	for (size_t k = 0; k < nc && rc == 0; k++)
		if (!nest->dims[k] || !nest->dim_labels[k])
			rc = -1;
	g_string_free(name, TRUE);
	g_string_free(label, TRUE);
	return rc;
}

static struct mj_table *build_table(struct run *r, struct spec_state *sp,
				    const struct mj_tab_spec *spec, struct mj_error *err)
{
	const struct mj_schema *s = r->schema;
	struct build b = {.r = r, .sp = sp, .lang = r->opts->lang};
	struct mj_table *t = NULL;
	const char **col_codes = NULL, **col_labels = NULL;
	struct colset cs = {0};
	int n = sp->nrow + sp->ncol;
	if (mj_cube_init(&b.agg) != 0)
		goto nomem;
	for (int i = 0; i < n && r->opts->min_cell > 1; i++)
		if (s->dims[sp->dims[i]].kind == MJ_DIM_OPEN && group_rare(r, sp, i) != 0)
			goto nomem;
	for (int i = 0; i < n; i++)
		if (collect_levels(&b, i) != 0)
			goto nomem;
	if (aggregate(&b) != 0)
		goto nomem;
	const char *dims[MJ_CUBE_MAXD];
	for (int i = 0; i < sp->nrow; i++)
		dims[i] = s->dims[sp->dims[i]].name;
	size_t ncols = 1;
	if (sp->ncol > 1) {
		int v[MJ_CUBE_MAXD];
		const char *codes[MJ_CUBE_MAXD], *labels[MJ_CUBE_MAXD];
		if (emit_cols(&b, &cs, 0, v, codes, labels) != 0)
			goto nomem;
		for (int k = 0; k < sp->ncol; k++) {
			v[k] = -2;
			codes[k] = MJ_CODE_TOTAL;
			labels[k] = s->total_labels[b.lang];
		}
		if (colset_add(&cs, sp->ncol, v, codes, labels, MJ_ROW_TOTAL, 0) != 0)
			goto nomem;
		ncols = cs.n;
		col_codes = calloc(ncols, sizeof *col_codes);
		col_labels = calloc(ncols, sizeof *col_labels);
		if (!col_codes || !col_labels)
			goto nomem;
		for (size_t c = 0; c < ncols; c++) {
			col_codes[c] = cs.codes[c * (size_t)sp->ncol];
			col_labels[c] = cs.labels[c * (size_t)sp->ncol];
		}
		b.colv = cs.values;
	} else if (sp->coldim >= 0) {
		const struct levels *cl = &b.lv[sp->nrow];
		ncols = cl->n + 1;
		col_codes = calloc(ncols, sizeof *col_codes);
		col_labels = calloc(ncols, sizeof *col_labels);
		if (!col_codes || !col_labels)
			goto nomem;
		for (size_t c = 0; c < cl->n; c++) {
			col_codes[c] = cl->items[c].code;
			col_labels[c] = cl->items[c].label;
		}
		col_codes[cl->n] = MJ_CODE_TOTAL;
		col_labels[cl->n] = s->total_labels[b.lang];
	}
	t = mj_table_new((size_t)sp->nrow, dims,
			 sp->coldim >= 0 ? s->dims[sp->coldim].name : NULL,
			 ncols, col_codes, col_labels);
	if (!t)
		goto nomem;
	b.t = t;
	for (int i = 0; i < sp->nrow; i++) {
		free(t->dim_labels[i]);
		t->dim_labels[i] = strdup(s->dims[sp->dims[i]].labels[b.lang]);
		if (!t->dim_labels[i])
			goto nomem;
	}
	if (sp->coldim >= 0 &&
	    mj_table_set(&t->col_dim_label, s->dims[sp->coldim].labels[b.lang]) != MJ_OK)
		goto nomem;
	if (sp->ncol > 1 && set_nest(&b, &cs) != 0)
		goto nomem;
	int prefix[MJ_CUBE_MAXD];
	const char *codes[MJ_CUBE_MAXD], *labels[MJ_CUBE_MAXD];
	if (emit(&b, 0, prefix, codes, labels) != 0)
		goto nomem;
	for (int i = 0; i < sp->nrow; i++) {
		prefix[i] = -2;
		codes[i] = MJ_CODE_TOTAL;
		labels[i] = s->total_labels[b.lang];
	}
	struct mj_table_row *total = mj_table_add_row(t, MJ_ROW_TOTAL, 0, codes, labels);
	if (!total)
		goto nomem;
	fill_values(&b, total, prefix);
	char *title = spec->title ? strdup(spec->title)
		: mj_schema_table_title(s, sp->dims, (size_t)sp->nrow, (size_t)sp->ncol,
					spec->sum ? spec->sum : r->opts->sum, b.lang);
	if (!title)
		goto nomem;
	free(t->title);
	t->title = title;
	if (mj_table_set(&t->lang, mj_lang_tag(b.lang)) != MJ_OK ||
	    mj_table_set(&t->measure, spec->sum ? spec->sum : r->opts->sum ? r->opts->sum : "count") != MJ_OK ||
	    mj_table_set(&t->weight, r->opts->weight) != MJ_OK)
		goto nomem;
	if (r->opts->min_cell > 1 && mj_table_suppress(t, r->opts->min_cell) != MJ_OK)
		goto nomem;
	t->min_cell = r->opts->min_cell > 1 ? r->opts->min_cell : 0;
	free(col_codes);
	free(col_labels);
	colset_free(&cs);
	for (int i = 0; i < n; i++)
		levels_free(&b.lv[i]);
	mj_cube_free(&b.agg);
	return t;
nomem:
	mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	mj_table_destroy(t);
	free(col_codes);
	free(col_labels);
	colset_free(&cs);
	for (int i = 0; i < n; i++)
		levels_free(&b.lv[i]);
	mj_cube_free(&b.agg);
	return NULL;
}

/* Entry point -------------------------------------------------------------- */

static enum mj_status prepare_spec(const struct mj_schema *s,
				   const struct mj_tab_spec *spec,
				   struct spec_state *sp, struct mj_error *err)
{
	memset(sp, 0, sizeof *sp);
	sp->coldim = -1;
	sp->sum_dim = -1;
	if (spec->sum) {
		int d = mj_schema_dim_find(s, spec->sum);
		if (d < 0 || s->dims[d].kind != MJ_DIM_INTEGER)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"a table can sum only a whole-number column of the schema (\"%s\" is not one)",
				spec->sum);
		sp->sum_dim = d;
	}
	if (!spec->by || !*spec->by)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "no dimension to tabulate by (use --by DIMENSION)");
	char *by = strdup(spec->by);
	if (!by)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	enum mj_status st = MJ_OK;
	for (char *save = NULL, *name = strtok_r(by, ",", &save); name;
	     name = strtok_r(NULL, ",", &save)) {
		mj_text_trim(name);
		int d = mj_schema_dim_find(s, name);
		if (d < 0) {
			GString *names = g_string_new(NULL);
			for (size_t k = 0; k < s->ndims; k++)
				if (s->dims[k].kind != MJ_DIM_ID && s->dims[k].kind != MJ_DIM_DATE &&
				    s->dims[k].kind != MJ_DIM_INTEGER)
					g_string_append_printf(names, "%s%s", names->len ? ", " : "",
							       s->dims[k].name);
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"unknown dimension '%s' (one of: %s)", name, names->str);
			g_string_free(names, TRUE);
			break;
		}
		enum mj_dim_kind kind = s->dims[d].kind;
		if (kind == MJ_DIM_ID) {
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"'%s' identifies people and is never tabulated", s->dims[d].name);
			break;
		}
		if (kind == MJ_DIM_DATE || kind == MJ_DIM_INTEGER) {
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"'%s' is not a category; tabulate a derived dimension instead (%s)",
				s->dims[d].name, kind == MJ_DIM_DATE ? "month, quarter or year" : "e.g. age_group");
			break;
		}
		if (sp->nrow == MJ_CUBE_MAXD - 1) {
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"at most %d dimensions can be nested", MJ_CUBE_MAXD - 1);
			break;
		}
		sp->dims[sp->nrow++] = d;
	}
	free(by);
	if (st != MJ_OK)
		return st;
	/* "--by ," names no dimension at all. */
	if (sp->nrow == 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "no dimension to tabulate by (use --by DIMENSION)");
	if (spec->cols && *spec->cols) {
		char *cols = strdup(spec->cols);
		if (!cols)
			return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		for (char *save = NULL, *name = strtok_r(cols, ",", &save); name && st == MJ_OK;
		     name = strtok_r(NULL, ",", &save)) {
			mj_text_trim(name);
			int d = mj_schema_dim_find(s, name);
			if (d < 0 || s->dims[d].kind == MJ_DIM_ID || s->dims[d].kind == MJ_DIM_DATE ||
			    s->dims[d].kind == MJ_DIM_INTEGER)
				st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					"--cols: '%s' is not a dimension that can be tabulated", name);
			else if (sp->nrow + sp->ncol == MJ_CUBE_MAXD)
				st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					"a table has at most %d dimensions in its rows and columns",
					MJ_CUBE_MAXD);
			else {
				if (sp->coldim < 0)
					sp->coldim = d;
				sp->dims[sp->nrow + sp->ncol++] = d;
			}
		}
		free(cols);
		if (st != MJ_OK)
			return st;
	}
	sp->multi = -1;
	for (int i = 0; i < sp->nrow + sp->ncol; i++) {
		if (!s->dims[sp->dims[i]].multi)
			continue;
		if (sp->multi >= 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"'%s' and '%s' are both multi-response: a table can have one",
				s->dims[sp->dims[sp->multi]].name, s->dims[sp->dims[i]].name);
		sp->multi = i;
	}

	if (mj_cube_init(&sp->cube) != 0)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	return MJ_OK;
}

/* How each record is counted: every record adds 1 when the run has no
 * weight and no sum. */
/* A record's values are read only by the tables' counting (their
 * dimensions and sums) and the filters: the derived dimensions none of
 * them reads are not derived. */
static void derive_only(struct run *r)
{
	unsigned char read[MJ_MAX_DIMS] = {0};
	for (size_t u = 0; u < r->plan.nused; u++)
		read[r->plan.used[u]] = 1;
	for (size_t i = 0; i < r->nfilters; i++)
		read[r->filters[i].dim] = 1;
	for (size_t i = 0; i < r->nspecs; i++)
		if (r->specs[i].sum_dim >= 0)
			read[r->specs[i].sum_dim] = 1;
	int dims[MJ_MAX_DIMS];
	size_t n = 0;
	for (int d = 0; d < MJ_MAX_DIMS; d++)
		if (read[d])
			dims[n++] = d;
	mj_normaliser_derive_only(r->norm, dims, n);
}

static int plan_tally(struct run *r)
{
	struct mj_tally_spec *ts = calloc(r->nspecs ? r->nspecs : 1, sizeof *ts);
	if (!ts)
		return -1;
	for (size_t i = 0; i < r->nspecs; i++) {
		const struct spec_state *sp = &r->specs[i];
		ts[i].n = sp->nrow + sp->ncol;
		memcpy(ts[i].dims, sp->dims, sizeof ts[i].dims);
		ts[i].multi = sp->multi;
		ts[i].sum_dim = sp->sum_dim;
	}
	int rc = mj_tally_plan_init(&r->plan, r->schema, ts, r->nspecs,
				    !r->opts->sum && !r->opts->weight,
				    r->opts->missing_exclude, 1);
	free(ts);
	return rc;
}

/* Where file lies: standard input ("-") where it is redirected from, so
 * that a file and "-" < file are found the same. 0, or -1 when it is no
 * regular file (or cannot be read: that is reported when it is read). */
static int file_id(const char *file, struct stat *st)
{
	int got = strcmp(file, "-") == 0 ? fstat(STDIN_FILENO, st) : stat(file, st);
	return got == 0 && S_ISREG(st->st_mode) ? 0 : -1;
}

/* Refuses a register named twice (by the same name, another name of the
 * same file such as a link, or as standard input redirected from it): its
 * records would be counted twice. */
static enum mj_status same_file_check(const char *const *files, size_t nfiles,
				      struct mj_error *err)
{
	if (nfiles < 2)
		return MJ_OK;
	struct stat *ids = calloc(nfiles, sizeof *ids);
	char *regular = calloc(nfiles, 1);
	if (!ids || !regular) {
		free(ids);
		free(regular);
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	for (size_t i = 0; i < nfiles; i++)
		regular[i] = file_id(files[i], &ids[i]) == 0;
	enum mj_status st = MJ_OK;
	for (size_t i = 0; i < nfiles && st == MJ_OK; i++)
		for (size_t j = i + 1; j < nfiles && st == MJ_OK && regular[i]; j++)
			if (regular[j] && ids[i].st_dev == ids[j].st_dev && ids[i].st_ino == ids[j].st_ino)
				st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					"%s and %s are the same file: %s",
					strcmp(files[i], "-") == 0 ? "<stdin>" : files[i],
					strcmp(files[j], "-") == 0 ? "<stdin>" : files[j],
					MJ_("its records would be counted twice"));
	free(ids);
	free(regular);
	return st;
}

enum mj_status mj_tabulate(const struct mj_run_opts *opts,
			   const char *const *files, size_t nfiles,
			   const struct mj_tab_spec *specs, size_t nspecs,
			   struct mj_table **tables, struct mj_run_stats *stats,
			   struct mj_error *err)
{
	struct mj_run_stats local;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	for (size_t i = 0; i < nspecs; i++)
		tables[i] = NULL;
	struct mj_schema *own_schema = NULL;
	struct run r = {.opts = opts, .stats = stats};
	r.schema = opts->schema;
	if (!r.schema) {
		own_schema = mj_schema_default(err);
		if (!own_schema)
			return err ? err->status : MJ_E_SCHEMA;
		r.schema = own_schema;
	}
	enum mj_status st = MJ_OK;
	r.specs = calloc(nspecs ? nspecs : 1, sizeof *r.specs);
	if (!r.specs) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	r.nspecs = nspecs;
	for (size_t i = 0; i < nspecs; i++)
		if ((st = prepare_spec(r.schema, &specs[i], &r.specs[i], err)) != MJ_OK)
			goto done;
	for (size_t i = 0; i < opts->nwhere; i++) {
		if ((st = filter_parse(r.schema, opts->where[i], &r.filters[i], err)) != MJ_OK)
			goto done;
		r.nfilters++;
	}
	if (opts->period && (st = mj_period_parse(opts->period, &r.period_lo, &r.period_hi, err)) != MJ_OK)
		goto done;
	if (!opts->allow_overlap && (st = same_file_check(files, nfiles, err)) != MJ_OK)
		goto done;
	if (opts->sum && opts->weight && strcmp(opts->sum, opts->weight) == 0) {
		st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "--sum and --weight name the same column");
		goto done;
	}
	if (plan_tally(&r) != 0) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	r.norm = mj_normaliser_new(r.schema, opts->weight, opts->sum, err);
	if (!r.norm) {
		st = err ? err->status : MJ_E_NOMEM;
		goto done;
	}
	derive_only(&r);
	r.nworkers = opts->threads > 0 ? (size_t)opts->threads : (size_t)sysconf(_SC_NPROCESSORS_ONLN);
	if (r.nworkers < 1)
		r.nworkers = 1;
	if (r.nworkers > 8)
		r.nworkers = 8;
	/* More parts than threads: a thread slowed by other work holds up
	 * at most a small part at the end. */
	r.nthreads = r.nworkers;
	if (r.nthreads > 1)
		r.nworkers = r.nthreads * 4;
	r.workers = calloc(r.nworkers, sizeof *r.workers);
	if (!r.workers || worker_start(&r, 0) != 0) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	r.workers[0].norm = r.norm;
	if (opts->date_order != MJ_DATE_AUTO)
		mj_normaliser_set_date_order(r.norm, opts->date_order, 1);
	mj_normaliser_set_sheet(r.norm, r.sheet);
	static const char *const stdin_only[] = {"-"};
	if (nfiles == 0) {
		files = stdin_only;
		nfiles = 1;
	}
	enum mj_status file_status = MJ_OK;
	int aborted = 0;
	for (size_t f = 0; f < nfiles && !aborted; f++) {
		int is_stdin = strcmp(files[f], "-") == 0;
		r.path = is_stdin ? "<stdin>" : files[f];
		const char *file = is_stdin && opts->stdin_copy ? opts->stdin_copy : files[f];
		struct mj_error ferr;
		mj_error_clear(&ferr);
		enum mj_status rs = read_file(&r, file, &ferr);
		size_t cl = file != files[f] ? strlen(file) : 0;
		if (cl && strncmp(ferr.path, file, cl) == 0) {
			/* The copy is standard input to the user ("<stdin>:Appeals!D5"
			 * for a workbook). */
			char rest[sizeof ferr.path - 8];
			snprintf(rest, sizeof rest, "%s", ferr.path + cl);
			snprintf(ferr.path, sizeof ferr.path, "<stdin>%s", rest);
		}
		for (size_t k = 0; k < r.nworkers; k++)
			aborted |= r.workers[k].aborted;
		if (rs != MJ_OK && !aborted) {
			/* One bad file does not stop the others; the run fails at
			 * the end. */
			deliver(&r, &ferr, 1);
			if (file_status == MJ_OK) {
				file_status = rs;
				if (err)
					*err = ferr;
			}
		}
	}
	struct worker *w0 = &r.workers[0];
	stats->read = w0->read;
	stats->counted = w0->counted;
	stats->excluded = w0->excluded;
	stats->rejected = w0->rejected;
	r.seen_lo = w0->seen_lo;
	r.seen_hi = w0->seen_hi;
	memcpy(stats->months_held, w0->months, sizeof stats->months_held);
	if (mj_tally_flush(&r.plan, &w0->tally, w0->cubes) != 0) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nspecs; i++) {
		mj_cube_free(&r.specs[i].cube);
		r.specs[i].cube = w0->cubes[i];
		mj_cube_init(&w0->cubes[i]);
	}
	if (aborted) {
		st = mj_error_set(err, MJ_E_VALUE, NULL, 0, 0,
				  "stopped at the first rejected row (--strict)");
		goto done;
	}
	if (!(w0->added <= MJ_TABLE_VALUE_MAX)) {
		st = mj_error_set(err, MJ_E_LIMIT, NULL, 0, 0,
				  "the counts add up to more than %.0f, beyond which totals are not exact",
				  MJ_TABLE_VALUE_MAX);
		goto done;
	}
	if (file_status != MJ_OK) {
		st = file_status;
		goto done;
	}
	/* The period is the one asked for, else the whole calendar months
	 * that the register's records span. */
	if (r.period_lo) {
		mj_period_iso(r.period_lo, stats->period_from, sizeof stats->period_from);
		mj_period_iso(r.period_hi, stats->period_to, sizeof stats->period_to);
	} else if (r.seen_lo) {
		long from, to;
		mj_period_whole_months(r.seen_lo, r.seen_hi, &from, &to);
		mj_period_iso(from, stats->period_from, sizeof stats->period_from);
		mj_period_iso(to, stats->period_to, sizeof stats->period_to);
	}
	if (r.seen_lo) {
		mj_period_iso(r.seen_lo, stats->data_from, sizeof stats->data_from);
		mj_period_iso(r.seen_hi, stats->data_to, sizeof stats->data_to);
	}
	GString *filters = g_string_new(NULL);
	for (size_t i = 0; i < r.nfilters; i++)
		g_string_append_printf(filters, "%s%s", i ? "; " : "", r.filters[i].text);
	GString *source = g_string_new(NULL);
	for (size_t f = 0; f < nfiles; f++)
		g_string_append_printf(source, "%s%s", f ? ", " : "",
				       strcmp(files[f], "-") == 0 ? "<stdin>" : files[f]);
	for (size_t i = 0; i < nspecs && st == MJ_OK; i++) {
		struct mj_table *t = build_table(&r, &r.specs[i], &specs[i], err);
		if (!t) {
			st = err ? err->status : MJ_E_NOMEM;
			break;
		}
		t->n_read = stats->read;
		t->n_counted = stats->counted;
		t->n_rejected = stats->rejected;
		if ((stats->period_from[0] &&
		     (mj_table_set(&t->period_from, stats->period_from) != MJ_OK ||
		      mj_table_set(&t->period_to, stats->period_to) != MJ_OK)) ||
		    (filters->len && mj_table_set(&t->filters, filters->str) != MJ_OK) ||
		    mj_table_set(&t->source, source->str) != MJ_OK) {
			mj_table_destroy(t);
			st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
			break;
		}
		tables[i] = t;
	}
	g_string_free(filters, TRUE);
	g_string_free(source, TRUE);
done:
	if (st != MJ_OK)
		for (size_t i = 0; i < nspecs; i++) {
			mj_table_destroy(tables[i]);
			tables[i] = NULL;
		}
	for (size_t i = 0; r.specs && i < nspecs; i++) {
		mj_cube_free(&r.specs[i].cube);
	}
	free(r.specs);
	mj_tally_plan_free(&r.plan);
	for (size_t k = 0; r.workers && k < r.nworkers; k++)
		worker_free(&r.workers[k], nspecs);
	free(r.workers);
	for (size_t i = 0; i < r.nfilters; i++)
		filter_free(&r.filters[i]);
	mj_normaliser_destroy(r.norm);
	mj_schema_destroy(own_schema);
	return st;
}
