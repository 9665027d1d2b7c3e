/* Synthetic records from a spec of joint counts, dealt block by block. */
#include "murojaat/synth.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvdoc.h"
#include "grow.h"
#include "murojaat/period.h"
#include "schema_internal.h"
#include "text.h"
#include "i18n.h"

/* Specs are small documents; a bigger file is a mistake, not a spec. */
#define SPEC_MAX_BYTES (16u << 20)
/* Output buffer: large writes keep the 10-million-row case fast. */
#define OUT_BUF_BYTES (1u << 20)

enum atom_kind {
	ATOM_TEXT, /* a fixed value, already encoded for CSV */
	ATOM_INT,  /* a whole number drawn from lo..hi */
	ATOM_DATE  /* a day drawn from lo..hi (days since 1970-01-01) */
};

/* One alternative of a value. */
struct atom {
	enum atom_kind kind;
	char *text;      /* ATOM_TEXT: CSV-encoded text (may be empty) */
	size_t len;
	int64_t lo, hi;  /* ATOM_INT, ATOM_DATE: the range; ATOM_TEXT of a
			  * category: lo is the category index, else -1 */
};

/* A value in a block row: one atom, or alternatives drawn per record. */
struct cell {
	struct atom *alts;
	size_t nalts;
};

struct block {
	size_t ncols;
	size_t *cols;            /* output column of each block column */
	size_t nrows, cap;
	uint64_t *spec_counts;   /* counts as written in the spec */
	uint64_t *counts;        /* counts written (scaled by mj_synth_scale) */
	struct cell *cells;      /* nrows * ncols */
	uint64_t sum;
	unsigned long line;      /* where the block starts */
};

struct mj_synth {
	size_t ncols;            /* record columns: the schema's own, in order */
	char **names;            /* column names (CSV-safe: schema names) */
	int id_col;              /* column of generated ids, or -1 */
	int *owner;              /* block that fills each column, or -1 */
	size_t *owner_pos;       /* position of the column in that block */
	char *id_prefix;         /* CSV-encoded prefix of the ids */
	size_t id_prefix_len;
	uint64_t spec_total;     /* total of the spec */
	uint64_t rows;           /* records to write */
	struct block *blocks;
	size_t nblocks;
};

/* ---------------------------------------------------------------- dates */

static int digits(const char *s, size_t n, long *out)
{
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Parse "YYYY-MM-DD" (one day) or "YYYY-MM" (the whole month) of length n
 * into its first and last day. */
static int date_parse(const char *s, size_t n, int64_t *first, int64_t *last)
{
	long y, m, d;
	if ((n != 7 && n != 10) || s[4] != '-' || digits(s, 4, &y) ||
	    digits(s + 5, 2, &m) || m < 1 || m > 12 || y < 1)
		return -1;
	if (n == 7) {
		*first = mj_days_from_civil((int)y, (int)m, 1);
		*last = mj_days_from_civil((int)y, (int)m, mj_days_in_month((int)y, (int)m));
		return 0;
	}
	if (s[7] != '-' || digits(s + 8, 2, &d) || d < 1 ||
	    d > mj_days_in_month((int)y, (int)m))
		return -1;
	*first = *last = mj_days_from_civil((int)y, (int)m, (int)d);
	return 0;
}

/* ------------------------------------------------------------- parsing */

struct parser {
	struct mj_synth *s;
	const struct mj_schema *schema;
	const char *path;
	struct mj_error *err;
	int *dim_col;            /* schema dimension -> record column, or -1 */
	int total_given;
};

static enum mj_status fail(struct parser *p, const struct mj_csvfield *f,
			   enum mj_status st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Fill the error at field f (NULL: the whole spec) and return st. */
static enum mj_status fail(struct parser *p, const struct mj_csvfield *f,
			   enum mj_status st, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, MJ_(fmt), ap);
	va_end(ap);
	return mj_error_set(p->err, st, p->path, f ? f->line : 0,
			    f ? f->column : 0, "%s", msg);
}

/* Copy text encoded as one CSV field: quoted when it holds a delimiter, a
 * quote, a line break or edge spaces. */
static char *csv_encode(const char *text, size_t *len)
{
	size_t n = strlen(text), extra = 0;
	int quote = n > 0 && (text[0] == ' ' || text[n - 1] == ' ');
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '"')
			extra++;
		if (strchr(",;\"\r\n\t", text[i]))
			quote = 1;
	}
	char *out = malloc(n + extra + 3);
	if (!out)
		return NULL;
	size_t o = 0;
	if (quote)
		out[o++] = '"';
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '"')
			out[o++] = '"';
		out[o++] = text[i];
	}
	if (quote)
		out[o++] = '"';
	out[o] = '\0';
	*len = o;
	return out;
}

static int parse_count(const char *text, uint64_t *out)
{
	size_t n = strlen(text);
	if (n == 0 || n > 10)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(text[i] - '0');
	}
	if (v > MJ_SYNTH_MAX_ROWS)
		return -1;
	*out = v;
	return 0;
}

static int is_count(const char *text)
{
	return text[0] >= '0' && text[0] <= '9';
}

/* Parse one alternative of a value for schema dimension dim into a. */
static enum mj_status atom_parse(struct parser *p, size_t dim, char *text,
				 const struct mj_csvfield *f, struct atom *a)
{
	const struct mj_schema *sc = p->schema;
	const char *name = mj_schema_dim_name(sc, dim);
	mj_text_trim(text);
	size_t n = strlen(text);
	a->kind = ATOM_TEXT;
	a->lo = -1;
	if (n == 0) {
		a->text = calloc(1, 1);
		a->len = 0;
		return a->text ? MJ_OK : fail(p, f, MJ_E_NOMEM, "out of memory");
	}
	switch (mj_schema_dim_kind(sc, dim)) {
	case MJ_DIM_CATEGORY: {
		int c = mj_schema_cat_find(sc, dim, text);
		if (c < 0) {
			char *key = mj_text_key(text, n);
			int g = key ? mj_schema_suggest(sc, dim, key) : -1;
			free(key);
			if (g >= 0)
				return fail(p, f, MJ_E_VALUE,
					    "column '%s': unknown value \"%s\" (did you mean \"%s\"?)",
					    name, text, mj_schema_cat_code(sc, dim, (size_t)g));
			return fail(p, f, MJ_E_VALUE, "column '%s': unknown value \"%s\"",
				    name, text);
		}
		a->text = csv_encode(mj_schema_cat_code(sc, dim, (size_t)c), &a->len);
		a->lo = c;
		break;
	}
	case MJ_DIM_INTEGER: {
		const struct mj_dim *d = &sc->dims[dim];
		const char *dash = strchr(text, '-');
		size_t n1 = dash ? (size_t)(dash - text) : n;
		size_t n2 = dash ? strlen(dash + 1) : n;
		const char *second = dash ? dash + 1 : text;
		long lo, hi;
		if (n1 == 0 || n2 == 0 || n1 > 9 || n2 > 9 ||
		    digits(text, n1, &lo) || digits(second, n2, &hi))
			return fail(p, f, MJ_E_VALUE,
				    "column '%s': \"%s\" is not a whole number or a range like 18-59",
				    name, text);
		if (lo > hi)
			return fail(p, f, MJ_E_VALUE,
				    "column '%s': range \"%s\" runs backwards", name, text);
		if (lo < d->min || hi > d->max)
			return fail(p, f, MJ_E_VALUE,
				    "column '%s': \"%s\" is outside %ld-%ld", name,
				    text, d->min, d->max);
		a->kind = ATOM_INT;
		a->lo = lo;
		a->hi = hi;
		return MJ_OK;
	}
	case MJ_DIM_DATE: {
		char *dots = strstr(text, "..");
		int64_t f1, l1, f2, l2;
		size_t n1 = dots ? (size_t)(dots - text) : n;
		const char *second = dots ? dots + 2 : text;
		if (date_parse(text, n1, &f1, &l1) ||
		    date_parse(second, strlen(second), &f2, &l2))
			return fail(p, f, MJ_E_VALUE,
				    "column '%s': \"%s\" is not a date YYYY-MM-DD, a month YYYY-MM or a range FROM..TO",
				    name, text);
		if (f1 > l2)
			return fail(p, f, MJ_E_VALUE,
				    "column '%s': range \"%s\" runs backwards", name, text);
		a->kind = ATOM_DATE;
		a->lo = f1;
		a->hi = l2;
		return MJ_OK;
	}
	default:
		a->text = csv_encode(text, &a->len);
		break;
	}
	if (!a->text)
		return fail(p, f, MJ_E_NOMEM, "out of memory");
	return MJ_OK;
}

static void cell_free(struct cell *c)
{
	for (size_t i = 0; i < c->nalts; i++)
		free(c->alts[i].text);
	free(c->alts);
	c->alts = NULL;
	c->nalts = 0;
}

/* Parse a value: alternatives separated by '|'. */
static enum mj_status cell_parse(struct parser *p, size_t dim,
				 const struct mj_csvfield *f, struct cell *c)
{
	size_t n = 1;
	for (const char *q = f->text; *q; q++)
		n += *q == '|';
	c->alts = calloc(n, sizeof *c->alts);
	if (!c->alts)
		return fail(p, f, MJ_E_NOMEM, "out of memory");
	char *copy = strdup(f->text);
	if (!copy)
		return fail(p, f, MJ_E_NOMEM, "out of memory");
	char *rest = copy;
	enum mj_status st = MJ_OK;
	for (size_t i = 0; i < n; i++) {
		char *bar = strchr(rest, '|');
		if (bar)
			*bar = '\0';
		st = atom_parse(p, dim, rest, f, &c->alts[i]);
		c->nalts++;
		if (st != MJ_OK)
			break;
		rest = bar ? bar + 1 : rest + strlen(rest);
	}
	free(copy);
	return st;
}

static enum mj_status block_new(struct parser *p, const struct mj_csvrow *row)
{
	struct mj_synth *s = p->s;
	const struct mj_csvfield *kw = &row->fields[0];
	if (row->nfields < 2)
		return fail(p, kw, MJ_E_PARSE,
			    "a block names at least one column: block,COLUMN,...");
	struct block *grown = realloc(s->blocks, (s->nblocks + 1) * sizeof *grown);
	if (!grown)
		return fail(p, kw, MJ_E_NOMEM, "out of memory");
	s->blocks = grown;
	struct block *b = &s->blocks[s->nblocks];
	memset(b, 0, sizeof *b);
	b->line = row->line;
	b->cols = calloc(row->nfields - 1, sizeof *b->cols);
	if (!b->cols)
		return fail(p, kw, MJ_E_NOMEM, "out of memory");
	s->nblocks++;
	for (size_t i = 1; i < row->nfields; i++) {
		const struct mj_csvfield *f = &row->fields[i];
		char *name = mj_text_trim(f->text);
		int d = mj_schema_dim_find(p->schema, name);
		if (d < 0)
			return fail(p, f, MJ_E_VALUE,
				    "unknown column '%s' (the record's columns are the schema's dimensions)",
				    name);
		const char *dn = mj_schema_dim_name(p->schema, (size_t)d);
		enum mj_dim_kind k = mj_schema_dim_kind(p->schema, (size_t)d);
		if (k == MJ_DIM_ID)
			return fail(p, f, MJ_E_VALUE,
				    "column '%s' is generated; set its prefix with id,PREFIX",
				    dn);
		if (k == MJ_DIM_DERIVED)
			return fail(p, f, MJ_E_VALUE,
				    "column '%s' is derived; give the columns it is made from",
				    dn);
		size_t col = (size_t)p->dim_col[d];
		if (s->owner[col] >= 0)
			return fail(p, f, MJ_E_VALUE,
				    "column '%s' is already in a block (each column belongs to one block)",
				    dn);
		s->owner[col] = (int)(s->nblocks - 1);
		s->owner_pos[col] = b->ncols;
		b->cols[b->ncols++] = col;
	}
	/* A hierarchical column (relationship) needs its parent (place) in
	 * the same block, or records could pair a child with a foreign
	 * parent. */
	for (size_t i = 0; i < b->ncols; i++) {
		int d = mj_schema_dim_find(p->schema, s->names[b->cols[i]]);
		int parent = mj_schema_dim_parent(p->schema, (size_t)d);
		if (parent >= 0 && s->owner[p->dim_col[parent]] != (int)(s->nblocks - 1))
			return fail(p, &row->fields[i + 1], MJ_E_VALUE,
				    "column '%s' needs its parent column '%s' in the same block",
				    s->names[b->cols[i]],
				    mj_schema_dim_name(p->schema, (size_t)parent));
	}
	return MJ_OK;
}

/* Check that each child value (relationship) belongs to its row's parent
 * value (place), alternatives included. */
static enum mj_status row_check_parents(struct parser *p, struct block *b,
					const struct mj_csvrow *row,
					struct cell *cells)
{
	for (size_t i = 0; i < b->ncols; i++) {
		int d = mj_schema_dim_find(p->schema, p->s->names[b->cols[i]]);
		int pd = mj_schema_dim_parent(p->schema, (size_t)d);
		if (pd < 0)
			continue;
		struct cell *pc = &cells[p->s->owner_pos[p->dim_col[pd]]];
		for (size_t a = 0; a < cells[i].nalts; a++) {
			const struct atom *ca = &cells[i].alts[a];
			if (ca->len == 0)
				continue;
			/* Read the parent from the schema itself (the library's own view). */
			int want = p->schema->dims[d].cats[ca->lo].parent;
			for (size_t q = 0; q < pc->nalts; q++) {
				if (pc->alts[q].lo == want)
					continue;
				return fail(p, &row->fields[i + 1], MJ_E_VALUE,
					    "column '%s': '%s' belongs to %s '%s'",
					    mj_schema_dim_name(p->schema, (size_t)d),
					    mj_schema_cat_code(p->schema, (size_t)d, (size_t)ca->lo),
					    mj_schema_dim_name(p->schema, (size_t)pd),
					    want >= 0 ? mj_schema_cat_code(p->schema, (size_t)pd, (size_t)want) : "?");
			}
		}
	}
	return MJ_OK;
}

static enum mj_status block_add_row(struct parser *p, const struct mj_csvrow *row)
{
	struct mj_synth *s = p->s;
	const struct mj_csvfield *f0 = &row->fields[0];
	if (s->nblocks == 0)
		return fail(p, f0, MJ_E_PARSE,
			    "a count row before any block: start one with block,COLUMN,...");
	struct block *b = &s->blocks[s->nblocks - 1];
	if (row->nfields != b->ncols + 1) {
		return fail(p, f0, MJ_E_PARSE,
			    "row has %zu values but the block of line %lu has %zu columns",
			    row->nfields - 1, b->line, b->ncols);
	}
	uint64_t count;
	if (parse_count(mj_text_trim(f0->text), &count))
		return fail(p, f0, MJ_E_VALUE,
			    "count \"%s\" is not a whole number up to %llu", f0->text,
			    (unsigned long long)MJ_SYNTH_MAX_ROWS);
	if (b->sum + count > MJ_SYNTH_MAX_ROWS)
		return fail(p, f0, MJ_E_LIMIT,
			    "the block's counts exceed the limit of %llu records",
			    (unsigned long long)MJ_SYNTH_MAX_ROWS);
	if (b->nrows == b->cap) {
		/* Three arrays of one length (ncols >= 1 cells a row): each
		 * grows from the same capacity, kept only when all have grown. */
		size_t c[3] = {b->cap, b->cap, b->cap};
		if (mj_grow(&b->spec_counts, &c[0], b->nrows, sizeof *b->spec_counts) != 0 ||
		    mj_grow(&b->counts, &c[1], b->nrows, sizeof *b->counts) != 0 ||
		    mj_grow(&b->cells, &c[2], b->nrows, b->ncols * sizeof *b->cells) != 0)
			return fail(p, f0, MJ_E_NOMEM, "out of memory");
		b->cap = c[0];
	}
	struct cell *cells = &b->cells[b->nrows * b->ncols];
	memset(cells, 0, b->ncols * sizeof *cells);
	b->spec_counts[b->nrows] = b->counts[b->nrows] = count;
	b->nrows++;
	b->sum += count;
	for (size_t i = 0; i < b->ncols; i++) {
		int d = mj_schema_dim_find(p->schema, s->names[b->cols[i]]);
		enum mj_status st = cell_parse(p, (size_t)d, &row->fields[i + 1], &cells[i]);
		if (st != MJ_OK)
			return st;
	}
	return row_check_parents(p, b, row, cells);
}

/* The block that just ended must add up to the total (or sets it). */
static enum mj_status block_end(struct parser *p)
{
	struct mj_synth *s = p->s;
	if (s->nblocks == 0)
		return MJ_OK;
	struct block *b = &s->blocks[s->nblocks - 1];
	char msg[200];
	if (b->nrows == 0) {
		mj_error_set(p->err, MJ_E_EMPTY, p->path, b->line, 1,
			     "the block has no count rows");
		return MJ_E_EMPTY;
	}
	if (!p->total_given && s->nblocks == 1) {
		s->spec_total = b->sum;
		return MJ_OK;
	}
	if (b->sum == s->spec_total)
		return MJ_OK;
	snprintf(msg, sizeof msg,
		 MJ_("the block's counts add up to %llu, not the total %llu"),
		 (unsigned long long)b->sum, (unsigned long long)s->spec_total);
	return mj_error_set(p->err, MJ_E_VALUE, p->path, b->line, 1, "%s", msg);
}

static enum mj_status parse_rows(struct parser *p, const struct mj_csvdoc *doc)
{
	struct mj_synth *s = p->s;
	enum mj_status st;
	for (size_t r = 0; r < doc->nrows; r++) {
		const struct mj_csvrow *row = &doc->rows[r];
		const struct mj_csvfield *f0 = &row->fields[0];
		char *kw = mj_text_trim(f0->text);
		if (is_count(kw)) {
			st = block_add_row(p, row);
		} else if (strcasecmp(kw, "block") == 0) {
			st = block_end(p);
			if (st == MJ_OK)
				st = block_new(p, row);
		} else if (strcasecmp(kw, "total") == 0) {
			if (row->nfields != 2)
				return fail(p, f0, MJ_E_PARSE, "write the total as total,N");
			if (p->total_given)
				return fail(p, f0, MJ_E_PARSE, "the total is given twice");
			if (s->nblocks > 0)
				return fail(p, f0, MJ_E_PARSE,
					    "the total must come before the first block");
			const struct mj_csvfield *f = &row->fields[1];
			if (parse_count(mj_text_trim(f->text), &s->spec_total))
				return fail(p, f, MJ_E_VALUE,
					    "total \"%s\" is not a whole number up to %llu",
					    f->text, (unsigned long long)MJ_SYNTH_MAX_ROWS);
			p->total_given = 1;
			st = MJ_OK;
		} else if (strcasecmp(kw, "id") == 0) {
			if (row->nfields != 2)
				return fail(p, f0, MJ_E_PARSE, "write the id prefix as id,PREFIX");
			if (s->id_col < 0)
				return fail(p, f0, MJ_E_VALUE,
					    "the schema has no id column for a prefix");
			free(s->id_prefix);
			s->id_prefix = csv_encode(mj_text_trim(row->fields[1].text),
						  &s->id_prefix_len);
			st = s->id_prefix ? MJ_OK
					  : fail(p, f0, MJ_E_NOMEM, "out of memory");
		} else {
			return fail(p, f0, MJ_E_PARSE,
				    "unknown directive \"%s\" (expected total, id, block or a count)",
				    kw);
		}
		if (st != MJ_OK)
			return st;
	}
	st = block_end(p);
	if (st != MJ_OK)
		return st;
	if (s->nblocks == 0)
		return mj_error_set(p->err, MJ_E_EMPTY, p->path, 0, 0,
				    "the spec has no block: nothing to generate");
	return MJ_OK;
}

struct mj_synth *mj_synth_parse(const struct mj_schema *schema,
				const char *path, const char *text, size_t len,
				struct mj_error *err)
{
	struct mj_csvdoc doc;
	if (mj_csvdoc_parse(&doc, path, text, len, ',', 1, err) != MJ_OK)
		return NULL;
	struct mj_synth *s = calloc(1, sizeof *s);
	struct parser p = {.s = s, .schema = schema, .path = path, .err = err};
	size_t nd = mj_schema_ndims(schema);
	p.dim_col = calloc(nd ? nd : 1, sizeof *p.dim_col);
	if (!s || !p.dim_col)
		goto nomem;
	s->id_col = -1;
	for (size_t d = 0; d < nd; d++) {
		enum mj_dim_kind k = mj_schema_dim_kind(schema, d);
		p.dim_col[d] = -1;
		if (k == MJ_DIM_DERIVED)
			continue;
		if (k == MJ_DIM_ID && s->id_col < 0)
			s->id_col = (int)s->ncols;
		p.dim_col[d] = (int)s->ncols++;
	}
	s->names = calloc(s->ncols + 1, sizeof *s->names);
	s->owner = calloc(s->ncols + 1, sizeof *s->owner);
	s->owner_pos = calloc(s->ncols + 1, sizeof *s->owner_pos);
	s->id_prefix = strdup("A");
	if (!s->names || !s->owner || !s->owner_pos || !s->id_prefix)
		goto nomem;
	s->id_prefix_len = 1;
	for (size_t d = 0; d < nd; d++) {
		if (p.dim_col[d] < 0)
			continue;
		s->owner[p.dim_col[d]] = -1;
		s->names[p.dim_col[d]] = strdup(mj_schema_dim_name(schema, d));
		if (!s->names[p.dim_col[d]])
			goto nomem;
	}
	if (parse_rows(&p, &doc) != MJ_OK)
		goto fail;
	s->rows = s->spec_total;
	free(p.dim_col);
	mj_csvdoc_free(&doc);
	return s;
nomem:
	mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
fail:
	free(p.dim_col);
	mj_csvdoc_free(&doc);
	mj_synth_destroy(s);
	return NULL;
}

struct mj_synth *mj_synth_load(const struct mj_schema *schema,
			       const char *path, struct mj_error *err)
{
	char *text;
	size_t len;
	if (mj_read_file(path, SPEC_MAX_BYTES, &text, &len, err) != MJ_OK)
		return NULL;
	struct mj_synth *s = mj_synth_parse(schema,
					     strcmp(path, "-") == 0 ? "<stdin>" : path,
					     text, len, err);
	free(text);
	return s;
}

void mj_synth_destroy(struct mj_synth *s)
{
	if (!s)
		return;
	for (size_t b = 0; b < s->nblocks; b++) {
		struct block *bl = &s->blocks[b];
		for (size_t i = 0; i < bl->nrows * bl->ncols; i++)
			cell_free(&bl->cells[i]);
		free(bl->cells);
		free(bl->counts);
		free(bl->spec_counts);
		free(bl->cols);
	}
	free(s->blocks);
	if (s->names)
		for (size_t c = 0; c < s->ncols; c++)
			free(s->names[c]);
	free(s->names);
	free(s->owner);
	free(s->owner_pos);
	free(s->id_prefix);
	free(s);
}

/* ------------------------------------------------------------- queries */

uint64_t mj_synth_rows(const struct mj_synth *s)
{
	return s->rows;
}

size_t mj_synth_nblocks(const struct mj_synth *s)
{
	return s->nblocks;
}

size_t mj_synth_block_ncols(const struct mj_synth *s, size_t b)
{
	return b < s->nblocks ? s->blocks[b].ncols : 0;
}

const char *mj_synth_block_col(const struct mj_synth *s, size_t b, size_t c)
{
	if (b >= s->nblocks || c >= s->blocks[b].ncols)
		return NULL;
	return s->names[s->blocks[b].cols[c]];
}

size_t mj_synth_block_nrows(const struct mj_synth *s, size_t b)
{
	return b < s->nblocks ? s->blocks[b].nrows : 0;
}

uint64_t mj_synth_block_count(const struct mj_synth *s, size_t b, size_t r)
{
	if (b >= s->nblocks || r >= s->blocks[b].nrows)
		return 0;
	return s->blocks[b].counts[r];
}

/* ------------------------------------------------------------- scaling */

enum mj_status mj_synth_scale(struct mj_synth *s, uint64_t rows,
			      struct mj_error *err)
{
	if (rows > MJ_SYNTH_MAX_ROWS)
		return mj_error_set(err, MJ_E_LIMIT, NULL, 0, 0,
				    "%llu rows exceed the limit of %llu",
				    (unsigned long long)rows,
				    (unsigned long long)MJ_SYNTH_MAX_ROWS);
	if (s->spec_total == 0 && rows > 0)
		return mj_error_set(err, MJ_E_EMPTY, NULL, 0, 0,
				    "a spec whose total is 0 cannot be scaled");
	for (size_t b = 0; b < s->nblocks; b++) {
		struct block *bl = &s->blocks[b];
		uint64_t given = 0;
		/* Both factors are below 2^32, so the product fits. */
		for (size_t r = 0; r < bl->nrows; r++) {
			bl->counts[r] = bl->spec_counts[r] * rows / (s->spec_total ? s->spec_total : 1);
			given += bl->counts[r];
		}
		/* Largest remainder: the rows that lost most to rounding down
		 * get one more each, earlier rows first on ties. The deficit
		 * is below the number of rows, so a pass per unit is cheap. */
		uint64_t left = rows - given;
		while (left > 0) {
			size_t best = 0;
			uint64_t best_rem = 0;
			int found = 0;
			for (size_t r = 0; r < bl->nrows; r++) {
				uint64_t rem = bl->spec_counts[r] * rows % s->spec_total;
				uint64_t floor_ = bl->spec_counts[r] * rows / s->spec_total;
				if (bl->counts[r] != floor_)
					continue; /* already topped up */
				if (!found || rem > best_rem) {
					best = r;
					best_rem = rem;
					found = 1;
				}
			}
			bl->counts[best]++;
			left--;
		}
	}
	s->rows = rows;
	return MJ_OK;
}

/* ----------------------------------------------------------- generation */

/* xoshiro256** seeded through splitmix64: small, fast, and the same
 * sequence on every platform, so outputs are byte-identical. */
struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *g, uint64_t seed)
{
	for (int i = 0; i < 4; i++)
		g->s[i] = splitmix64(&seed);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *g)
{
	uint64_t *s = g->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* High 64 bits of the product a * b, the low ones in *lo; plain C, so the
 * sequence is the same whatever the compiler offers. */
static inline uint64_t mul_high(uint64_t a, uint64_t b, uint64_t *lo)
{
	uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
	*lo = (mid << 32) | (uint32_t)p00;
	return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* Uniform in 0..n-1 (n >= 1), without bias, by D. Lemire's multiply and
 * reject: the high word of x * n, rejecting the few x whose low word falls
 * below 2^64 mod n. A division happens only on the rare near-miss, which
 * matters when every record draws several numbers. */
static inline uint64_t rng_below(struct rng *g, uint64_t n)
{
	uint64_t lo;
	uint64_t hi = mul_high(rng_next(g), n, &lo);
	if (lo < n) {
		uint64_t reject = (0 - n) % n;
		while (lo < reject)
			hi = mul_high(rng_next(g), n, &lo);
	}
	return hi;
}

/* Counts still to deal in each block, as a Fenwick tree, so drawing the
 * row of the next record is O(log rows) and memory is O(rows of the spec),
 * whatever the number of records. Dealing by remaining counts is exactly a
 * uniformly random order of the block's records. */
struct deck {
	uint64_t *tree; /* 1-based, size m: n rounded up to a power of two */
	size_t m;
};

static int deck_init(struct deck *d, const uint64_t *counts, size_t n)
{
	d->m = 1;
	while (d->m < n)
		d->m *= 2;
	d->tree = calloc(d->m + 1, sizeof *d->tree);
	if (!d->tree)
		return -1;
	for (size_t i = 1; i <= d->m; i++) {
		if (i <= n)
			d->tree[i] += counts[i - 1];
		size_t j = i + (i & (0 - i));
		if (j <= d->m)
			d->tree[j] += d->tree[i];
	}
	return 0;
}

/* Take the card at position u (0-based among those left); returns its row.
 * The descent has no data-dependent branch: the rows drawn are random, so
 * a branch would be mispredicted half the time. */
static inline size_t deck_take(struct deck *d, uint64_t u)
{
	size_t pos = 0;
	for (size_t step = d->m / 2; step; step >>= 1) {
		uint64_t t = d->tree[pos + step];
		uint64_t take = t <= u;
		pos += step & (0 - (size_t)take);
		u -= t & (0 - take);
	}
	for (size_t i = pos + 1; i <= d->m; i += i & (0 - i))
		d->tree[i]--;
	return pos;
}

struct out {
	char *buf;
	size_t n;
	FILE *f;
	int failed;
	int errnum;
};

static void out_flush(struct out *o)
{
	if (o->n && !o->failed && fwrite(o->buf, 1, o->n, o->f) != o->n) {
		o->failed = 1;
		o->errnum = errno;
	}
	o->n = 0;
}

/* Make room for len bytes (len <= OUT_BUF_BYTES). */
static inline void out_room(struct out *o, size_t len)
{
	if (o->n + len > OUT_BUF_BYTES)
		out_flush(o);
}

static inline void out_put(struct out *o, const char *s, size_t len)
{
	if (len > OUT_BUF_BYTES / 2) {
		out_flush(o);
		if (!o->failed && fwrite(s, 1, len, o->f) != len) {
			o->failed = 1;
			o->errnum = errno;
		}
		return;
	}
	out_room(o, len);
	memcpy(o->buf + o->n, s, len);
	o->n += len;
}

/* Write v in decimal, at least width digits (zero-padded). */
static inline void out_uint(struct out *o, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	out_room(o, (size_t)n);
	while (n)
		o->buf[o->n++] = tmp[--n];
}

static inline void out_date(struct out *o, int64_t days)
{
	int y, m, d;
	mj_civil_from_days((long)days, &y, &m, &d);
	out_uint(o, (uint64_t)y, 4);
	out_room(o, 7);
	char *b = o->buf + o->n;
	b[0] = '-';
	b[1] = (char)('0' + m / 10);
	b[2] = (char)('0' + m % 10);
	b[3] = '-';
	b[4] = (char)('0' + d / 10);
	b[5] = (char)('0' + d % 10);
	o->n += 6;
}

static inline void out_atom(struct out *o, struct rng *g, const struct atom *a)
{
	switch (a->kind) {
	case ATOM_TEXT:
		out_put(o, a->text, a->len);
		break;
	case ATOM_INT: {
		int64_t v = a->lo;
		if (a->hi > a->lo)
			v += (int64_t)rng_below(g, (uint64_t)(a->hi - a->lo) + 1);
		if (v < 0) {
			out_put(o, "-", 1);
			out_uint(o, (uint64_t)-v, 1);
		} else {
			out_uint(o, (uint64_t)v, 1);
		}
		break;
	}
	case ATOM_DATE: {
		int64_t v = a->lo;
		if (a->hi > a->lo)
			v += (int64_t)rng_below(g, (uint64_t)(a->hi - a->lo) + 1);
		out_date(o, v);
		break;
	}
	}
}

enum mj_status mj_synth_write(const struct mj_synth *s, uint64_t seed,
			      FILE *f, const char *name, struct mj_error *err)
{
	enum mj_status st = MJ_OK;
	struct out o = {.f = f};
	struct deck *decks = calloc(s->nblocks, sizeof *decks);
	size_t *chosen = calloc(s->nblocks, sizeof *chosen);
	o.buf = malloc(OUT_BUF_BYTES);
	if (!decks || !chosen || !o.buf)
		goto nomem;
	for (size_t b = 0; b < s->nblocks; b++)
		if (deck_init(&decks[b], s->blocks[b].counts, s->blocks[b].nrows))
			goto nomem;
	struct rng g;
	rng_seed(&g, seed);

	for (size_t c = 0; c < s->ncols; c++) {
		if (c)
			out_put(&o, ",", 1);
		out_put(&o, s->names[c], strlen(s->names[c]));
	}
	out_put(&o, "\n", 1);

	int id_width = 6;
	for (uint64_t r = s->rows / 1000000; r; r /= 10)
		id_width++;
	for (uint64_t i = 0; i < s->rows && !o.failed; i++) {
		uint64_t left = s->rows - i;
		for (size_t b = 0; b < s->nblocks; b++)
			chosen[b] = deck_take(&decks[b],
					      decks[b].m > 1 ? rng_below(&g, left) : 0);
		for (size_t c = 0; c < s->ncols; c++) {
			if (c)
				out_put(&o, ",", 1);
			if ((int)c == s->id_col) {
				out_put(&o, s->id_prefix, s->id_prefix_len);
				out_uint(&o, i + 1, id_width);
				continue;
			}
			int b = s->owner[c];
			if (b < 0)
				continue;
			const struct block *bl = &s->blocks[b];
			const struct cell *cell =
				&bl->cells[chosen[b] * bl->ncols + s->owner_pos[c]];
			const struct atom *a = cell->alts;
			if (cell->nalts > 1)
				a += rng_below(&g, cell->nalts);
			out_atom(&o, &g, a);
		}
		out_put(&o, "\n", 1);
	}
	out_flush(&o);
	if (!o.failed && fflush(f) != 0) {
		o.failed = 1;
		o.errnum = errno;
	}
	if (o.failed)
		st = mj_error_set(err, MJ_E_IO, name, 0, 0, "write error: %s",
				  strerror(o.errnum));
	goto done;
nomem:
	st = mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
done:
	if (decks)
		for (size_t b = 0; b < s->nblocks; b++)
			free(decks[b].tree);
	free(decks);
	free(chosen);
	free(o.buf);
	return st;
}
