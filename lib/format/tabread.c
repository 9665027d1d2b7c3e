/* Reading tables written by mj-tab (CSV, TSV or JSON) back into the model,
 * so mj-chart and mj-xlsx work at the end of a pipe with no extra flags. */
#include <glib.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvdoc.h"
#include "murojaat/stats.h"
#include "murojaat/table.h"

#define TABLE_LIMIT (256u << 20)

/* The statistics columns mj-tab writes beside a table (lib/stats.c),
 * read back by mj_table_read_stats(). */
static const char *const stat_names[] = {
	"ci_low", "ci_high", "count_compared", "change", "percent_change",
	"population", "rate", "mention_percent",
};
#define NSTATS (sizeof stat_names / sizeof stat_names[0])

/* Digits after the decimal point (or comma) in a number's text. */
static int decimals_of(const char *text)
{
	const char *p = strpbrk(text, ".,");
	int n = 0;
	if (p)
		for (p++; *p >= '0' && *p <= '9'; p++)
			n++;
	return n;
}

/* The kind of a hidden cell (enum mj_hidden) from its "hidden" field
 * (JSON: "primary", "complementary"; CSV: its mark) or, for a table typed
 * or edited by hand, from the mark in place of its value: "x" for a
 * complementary cell, "<N" for a primary one (N then becomes the table's
 * threshold when it has none). 0 when neither says the cell is hidden. */
static int hidden_kind(const char *hidden, const char *value, long *min_cell)
{
	if (strcmp(hidden, "complementary") == 0)
		return MJ_HIDDEN_COMPLEMENT;
	if (strcmp(hidden, "primary") == 0)
		return MJ_HIDDEN_PRIMARY;
	if (*hidden)
		value = hidden;
	if (strcmp(value, "x") == 0 || strcmp(value, "X") == 0)
		return MJ_HIDDEN_COMPLEMENT;
	if (value[0] == '<') {
		long n;
		if (mj_parse_whole(value + 1, 2, 999999999, &n) != 0)
			return 0;
		if (*min_cell <= 1)
			*min_cell = n;
		return MJ_HIDDEN_PRIMARY;
	}
	return 0;
}

/* Values read for the statistics columns: one array per name found, of
 * cap cells, NAN where empty. */
struct stat_read {
	double *values[NSTATS];
	int decimals[NSTATS];
	size_t cap;
};

static void stat_read_free(struct stat_read *r)
{
	for (size_t i = 0; i < NSTATS; i++)
		free(r->values[i]);
}

/* Makes room for the column named stat_names[i]; -1 when out of memory. */
static int stat_read_want(struct stat_read *r, size_t i)
{
	if (r->values[i])
		return 0;
	r->values[i] = malloc((r->cap ? r->cap : 1) * sizeof *r->values[i]);
	if (!r->values[i])
		return -1;
	for (size_t k = 0; k < r->cap; k++)
		r->values[i][k] = NAN;
	return 0;
}

/* Moves the columns read into stats, sized for t. */
static enum mj_status stat_read_finish(struct stat_read *r,
				       const struct mj_table *t,
				       struct mj_stats *stats, const char *name,
				       struct mj_error *err)
{
	size_t n = t->nrows * t->ncols;
	for (size_t i = 0; i < NSTATS; i++) {
		if (!r->values[i])
			continue;
		if (stats->ncols == MJ_STATS_MAXCOLS)
			return mj_error_set(err, MJ_E_LIMIT, name, 0, 0,
					    "more than %d statistics columns",
					    MJ_STATS_MAXCOLS);
		struct mj_stat_col *c = &stats->cols[stats->ncols];
		memset(c, 0, sizeof *c);
		c->values = malloc((n ? n : 1) * sizeof *c->values);
		if (!c->values)
			return mj_error_set(err, MJ_E_NOMEM, name, 0, 0,
					    "out of memory");
		memcpy(c->values, r->values[i], n * sizeof *c->values);
		snprintf(c->name, sizeof c->name, "%s", stat_names[i]);
		snprintf(c->title, sizeof c->title, "%s", stat_names[i]);
		c->decimals = r->decimals[i];
		stats->ncols++;
	}
	return MJ_OK;
}

/* Reads a count written by mj-tab: plain decimal digits, a decimal point or
 * comma and more digits, from 0 to MJ_TABLE_VALUE_MAX. No sign, exponent,
 * hexadecimal, infinity or NaN: a table that holds one was not written by
 * mj-tab, and its number would break every drawing and writing path.
 * Returns 0 with *out set, or -1. */
static int parse_count(const char *text, double *out)
{
	char buf[64];
	size_t n = 0, digits = 0;
	const char *p = text;
	for (; *p >= '0' && *p <= '9' && n < sizeof buf - 1; p++, digits++)
		buf[n++] = *p;
	if (digits && (*p == '.' || *p == ',') && n < sizeof buf - 1) {
		buf[n++] = '.';
		size_t frac = 0;
		for (p++; *p >= '0' && *p <= '9' && n < sizeof buf - 1; p++, frac++)
			buf[n++] = *p;
		if (!frac)
			return -1;
	}
	if (!digits || *p)
		return -1;
	/* Compared as digits first: strtod() would round 2^53 + 1 down. */
	const char *lead = text;
	while (*lead == '0' && digits > 1) {
		lead++;
		digits--;
	}
	if (digits > 16 || (digits == 16 && strncmp(lead, "9007199254740992", 16) > 0))
		return -1;
	buf[n] = '\0';
	double v = strtod(buf, NULL);
	if (!(v >= 0 && v <= MJ_TABLE_VALUE_MAX))
		return -1;
	*out = v;
	return 0;
}

/* The text of a label or code as mj-tab meant it: it writes text that a
 * spreadsheet would take for a formula (= + - @, tab, carriage return)
 * after an apostrophe, dropped here. */
static const char *cell_text(const struct mj_csvfield *f)
{
	const char *s = f->text;
	return s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]) ? s + 1 : s;
}

/* The columns that say what was counted, repeated on every row of a CSV
 * written by mj-tab (lib/tabwrite.c): text ones, then counts. */
static const char *const meta_text[] = {
	"title", "lang", "period_from", "period_to", "filters", "source", "weight",
};
static const char *const meta_count[] = {
	"n_read", "n_counted", "n_rejected", "min_cell",
};
#define NMETA_TEXT (sizeof meta_text / sizeof meta_text[0])
#define NMETA_COUNT (sizeof meta_count / sizeof meta_count[0])

/* Sets t's metadata from the columns of row (first data row) found in
 * head after the table's own; a file without them keeps what it had.
 * Counts from a file are not trusted: what is not a plain number below
 * 10^18 reads as none. */
static enum mj_status read_csv_meta(struct mj_table *t, const struct mj_csvrow *head,
				    const struct mj_csvrow *row, size_t from)
{
	char **text[] = {&t->title, &t->lang, &t->period_from, &t->period_to,
			 &t->filters, &t->source, &t->weight};
	for (size_t f = from; f < head->nfields && f < row->nfields; f++) {
		const char *name = head->fields[f].text;
		const char *v = row->fields[f].text;
		for (size_t i = 0; i < NMETA_TEXT; i++)
			if (strcmp(name, meta_text[i]) == 0 && *v &&
			    mj_table_set(text[i], v) != MJ_OK)
				return MJ_E_NOMEM;
		for (size_t i = 0; i < NMETA_COUNT; i++) {
			if (strcmp(name, meta_count[i]) != 0)
				continue;
			unsigned long long x = 0;
			size_t k = 0;
			for (; v[k] >= '0' && v[k] <= '9' && k < 18; k++)
				x = x * 10 + (unsigned)(v[k] - '0');
			if (k == 0 || v[k])
				continue;
			if (i == 0)
				t->n_read = x;
			else if (i == 1)
				t->n_counted = x;
			else if (i == 2)
				t->n_rejected = x;
			else if (x < 1000000000 && (long)x > t->min_cell)
				t->min_cell = (long)x;
		}
	}
	return MJ_OK;
}

static int is_total(const char *code)
{
	return strcmp(code, MJ_CODE_TOTAL) == 0;
}

static enum mj_row_kind kind_of(const char *const *codes, size_t n, int *level)
{
	size_t stated = 0;
	while (stated < n && !is_total(codes[stated]))
		stated++;
	*level = stated ? (int)stated - 1 : 0;
	if (stated == 0)
		return MJ_ROW_TOTAL;
	return stated == n ? MJ_ROW_CATEGORY : MJ_ROW_SUBTOTAL;
}

/* Where things are in a table's CSV: DIM_code,DIM pairs, then the value,
 * the marks of hidden cells and the statistics columns. */
struct csv_layout {
	size_t npairs;     /* code,label pairs */
	size_t value_col;  /* the count's column */
	size_t ndims;      /* row dimensions (the pairs but a cross-tab's last) */
	int cross;         /* a cross-tab: the last pair is the column */
	int suppressed_col, hidden_col; /* -1 when absent */
	int stat_field[NSTATS];         /* column of stat_names[i], or -1 */
};

/* Reads the layout from the header (and, for a cross-tab, from the rows):
 * a cross-tab has rows whose first code is the total while the last is a
 * category (the column totals); nested tables never do. */
static enum mj_status csv_layout_read(const struct mj_csvdoc *doc, const char *name,
				      int want_stats, struct csv_layout *L,
				      struct mj_error *err)
{
	const struct mj_csvrow *head = &doc->rows[0];
	if (strcmp(head->fields[0].text, "layer_code") == 0)
		return mj_error_set(err, MJ_E_UNSUPPORTED, name, head->line, 1, "layers of mj-tab --layer: read back one table at a time (tabulate without --layer, or keep one layer)");
	size_t npairs = 0;
	while (2 * npairs + 1 < head->nfields) {
		const char *a = head->fields[2 * npairs].text;
		const char *b = head->fields[2 * npairs + 1].text;
		size_t la = strlen(a), lb = strlen(b);
		if (la != lb + 5 || strncmp(a, b, lb) != 0 || strcmp(a + lb, "_code") != 0)
			break;
		npairs++;
	}
	size_t value_col = 2 * npairs;
	if (npairs == 0 || value_col >= head->nfields)
		return mj_error_set(err, MJ_E_PARSE, name, head->line, 1,
			"not a table made by mj-tab: expected columns DIM_code,DIM,...,count (got \"%s\")",
			head->fields[0].text);
	L->npairs = npairs;
	L->value_col = value_col;
	L->suppressed_col = L->hidden_col = -1;
	for (size_t f = value_col + 1; f < head->nfields; f++) {
		if (strcmp(head->fields[f].text, "suppressed") == 0)
			L->suppressed_col = (int)f;
		if (strcmp(head->fields[f].text, "hidden") == 0)
			L->hidden_col = (int)f;
	}
	for (size_t i = 0; i < NSTATS; i++) {
		L->stat_field[i] = -1;
		for (size_t f = value_col + 1; want_stats && f < head->nfields; f++)
			if (strcmp(head->fields[f].text, stat_names[i]) == 0)
				L->stat_field[i] = (int)f;
	}
	L->cross = 0;
	for (size_t r = 1; npairs > 1 && r < doc->nrows; r++) {
		const struct mj_csvrow *row = &doc->rows[r];
		if (row->nfields > value_col && is_total(row->fields[0].text) &&
		    !is_total(row->fields[2 * (npairs - 1)].text))
			L->cross = 1;
	}
	L->ndims = L->cross ? npairs - 1 : npairs;
	if (L->ndims > 8)
		return mj_error_set(err, MJ_E_LIMIT, name, head->line, 1, "more than 8 dimensions");
	return MJ_OK;
}

/* A cross-tab's column categories in order of appearance, the total last,
 * into ccodes and clabels (room for a row's worth each); their number. */
static size_t csv_col_cats(const struct mj_csvdoc *doc, const struct csv_layout *L,
			   const char **ccodes, const char **clabels)
{
	size_t ncols = 0, cc = 2 * L->ndims;
	for (int pass = 0; pass < 2; pass++)
		for (size_t r = 1; r < doc->nrows; r++) {
			const struct mj_csvrow *row = &doc->rows[r];
			if (row->nfields <= L->value_col)
				continue;
			const char *code = cell_text(&row->fields[cc]);
			if (is_total(code) != pass)
				continue;
			size_t k = 0;
			while (k < ncols && strcmp(ccodes[k], code) != 0)
				k++;
			if (k == ncols) {
				ccodes[ncols] = code;
				clabels[ncols] = cell_text(&row->fields[cc + 1]);
				ncols++;
			}
		}
	return ncols;
}

/* The statistics of one row's cell at (cell) into sr: a number, with a
 * decimal point or comma, or empty. */
static enum mj_status csv_row_stats(const struct mj_csvrow *row,
				    const struct csv_layout *L, struct stat_read *sr,
				    size_t cell, const char *name, struct mj_error *err)
{
	for (size_t i = 0; i < NSTATS; i++) {
		if (L->stat_field[i] < 0)
			continue;
		const struct mj_csvfield *sf = &row->fields[L->stat_field[i]];
		if (sf->len == 0)
			continue;
		char *end, buf[64];
		snprintf(buf, sizeof buf, "%s", sf->text);
		for (char *p = buf; *p; p++)
			if (*p == ',')
				*p = '.';
		double v = strtod(buf, &end);
		if (end == buf || *end || !isfinite(v))
			return mj_error_set(err, MJ_E_PARSE, name, sf->line, sf->column,
					    "column '%s': \"%s\" is not a number",
					    stat_names[i], sf->text);
		sr->values[i][cell] = v;
		int d = decimals_of(sf->text);
		if (d > sr->decimals[i])
			sr->decimals[i] = d;
	}
	return MJ_OK;
}

/* The count of one row into cur's column col, or its mark when hidden
 * (the suppressed and hidden columns, or a mark in place of the count). */
static enum mj_status csv_row_value(const struct mj_csvrow *row,
				    const struct mj_csvrow *head,
				    const struct csv_layout *L, struct mj_table *t,
				    struct mj_table_row *cur, size_t col,
				    const char *name, struct mj_error *err)
{
	const struct mj_csvfield *vf = &row->fields[L->value_col];
	int hidden = L->suppressed_col >= 0 &&
		     strcmp(row->fields[L->suppressed_col].text, "1") == 0;
	int kind = hidden_kind(L->hidden_col >= 0 ? row->fields[L->hidden_col].text : "",
			       vf->text, &t->min_cell);
	if (hidden || kind || vf->len == 0) {
		cur->suppressed[col] = kind ? (unsigned char)kind : MJ_HIDDEN_PRIMARY;
		return MJ_OK;
	}
	double v;
	if (parse_count(vf->text, &v) != 0)
		return mj_error_set(err, MJ_E_PARSE, name, vf->line, vf->column,
			"column '%s': \"%.40s\" is not a number from 0 to %.0f in plain decimal digits",
			head->fields[L->value_col].text, vf->text, MJ_TABLE_VALUE_MAX);
	cur->values[col] = v;
	return MJ_OK;
}

static struct mj_table *read_csv(const char *data, size_t len, const char *name,
				 struct mj_stats *stats, struct mj_error *err)
{
	struct stat_read sr = {0};
	struct csv_layout L = {0};
	struct mj_csvdoc doc;
	if (mj_csvdoc_parse(&doc, name, data, len, 0, 0, err) != MJ_OK)
		return NULL;
	struct mj_table *t = NULL;
	const char **codes = NULL, **labels = NULL, **ccodes = NULL, **clabels = NULL;
	if (doc.nrows < 2) {
		mj_error_set(err, MJ_E_EMPTY, name, 1, 1,
			     "no table here (a header and at least one row are needed)");
		goto fail;
	}
	const struct mj_csvrow *head = &doc.rows[0];
	if (csv_layout_read(&doc, name, stats != NULL, &L, err) != MJ_OK)
		goto fail;
	size_t ndims = L.ndims;
	int cross = L.cross;
	const char *dims[8];
	for (size_t i = 0; i < ndims; i++)
		dims[i] = cell_text(&head->fields[2 * i + 1]);
	size_t ncols = 1;
	ccodes = calloc(doc.nrows + 1, sizeof *ccodes);
	clabels = calloc(doc.nrows + 1, sizeof *clabels);
	codes = calloc(L.npairs, sizeof *codes);
	labels = calloc(L.npairs, sizeof *labels);
	if (!ccodes || !clabels || !codes || !labels)
		goto nomem;
	if (cross) {
		ncols = csv_col_cats(&doc, &L, ccodes, clabels);
		if (ncols == 0 || !is_total(ccodes[ncols - 1])) {
			mj_error_set(err, MJ_E_PARSE, name, 2, 1, "cross-tab without column totals");
			goto fail;
		}
	}
	t = mj_table_new(ndims, dims, cross ? cell_text(&head->fields[2 * ndims + 1]) : NULL,
			 ncols, cross ? ccodes : NULL, cross ? clabels : NULL);
	if (!t || mj_table_set(&t->measure, cell_text(&head->fields[L.value_col])) != MJ_OK)
		goto nomem;
	/* A table has at most one row per line of the file. */
	sr.cap = doc.nrows * ncols;
	for (size_t i = 0; i < NSTATS; i++)
		if (L.stat_field[i] >= 0 && stat_read_want(&sr, i) != 0)
			goto nomem;
	struct mj_table_row *cur = NULL;
	for (size_t r = 1; r < doc.nrows; r++) {
		const struct mj_csvrow *row = &doc.rows[r];
		if (row->nfields != head->nfields) {
			mj_error_set(err, MJ_E_PARSE, name, row->line, 1,
				     "row has %zu fields, the header has %zu", row->nfields, head->nfields);
			goto fail;
		}
		for (size_t i = 0; i < ndims; i++) {
			codes[i] = cell_text(&row->fields[2 * i]);
			labels[i] = cell_text(&row->fields[2 * i + 1]);
		}
		/* A cross-tab's row goes on over the lines of its columns. */
		int same = cur != NULL;
		for (size_t i = 0; same && i < ndims; i++)
			same = strcmp(cur->codes[i], codes[i]) == 0;
		if (!same || !cross) {
			int level;
			enum mj_row_kind kind = kind_of(codes, ndims, &level);
			cur = mj_table_add_row(t, kind, level, codes, labels);
			if (!cur)
				goto nomem;
		}
		size_t col = 0;
		if (cross) {
			const char *code = cell_text(&row->fields[2 * ndims]);
			while (col < ncols && strcmp(t->col_codes[col], code) != 0)
				col++;
		}
		if (csv_row_stats(row, &L, &sr, (t->nrows - 1) * ncols + col, name, err) != MJ_OK ||
		    csv_row_value(row, head, &L, t, cur, col, name, err) != MJ_OK)
			goto fail;
	}
	const struct mj_table_row *total = mj_table_total(t);
	if (!total) {
		mj_error_set(err, MJ_E_PARSE, name, doc.rows[doc.nrows - 1].line, 1,
			     "no totals row (codes _total): is this a table made by mj-tab?");
		goto fail;
	}
	for (size_t r = 0; r < t->nrows; r++)
		if (t->rows[r].suppressed[0] || t->rows[r].suppressed[t->ncols - 1])
			t->min_cell = t->min_cell ? t->min_cell : 1;
	double n = total->values[t->ncols - 1];
	t->n_counted = t->n_read = n > 0 && n < 1e18 ? (unsigned long long)n : 0;
	if (read_csv_meta(t, head, &doc.rows[1], L.value_col + 1) != MJ_OK)
		goto nomem;
	if (stats && stat_read_finish(&sr, t, stats, name, err) != MJ_OK)
		goto fail;
	goto done;
nomem:
	mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
fail:
	mj_table_destroy(t);
	t = NULL;
done:
	free(codes);
	free(labels);
	free(ccodes);
	free(clabels);
	stat_read_free(&sr);
	mj_csvdoc_free(&doc);
	return t;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static json_object *jarr(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* A JSON table's title, measure, language, filters, source, period and
 * counts into t. Counts from a file are not trusted: negative ones read
 * as 0. */
static enum mj_status json_meta_read(json_object *root, struct mj_table *t)
{
	const char *const keys[] = {"title", "measure", "weight", "lang", "filters", "source"};
	char **fields[] = {&t->title, &t->measure, &t->weight, &t->lang, &t->filters, &t->source};
	for (size_t k = 0; k < 6; k++)
		if (jstr(root, keys[k]) && mj_table_set(fields[k], jstr(root, keys[k])) != MJ_OK)
			return MJ_E_NOMEM;
	json_object *period;
	if (json_object_object_get_ex(root, "period", &period) &&
	    json_object_is_type(period, json_type_object)) {
		if ((jstr(period, "from") && mj_table_set(&t->period_from, jstr(period, "from")) != MJ_OK) ||
		    (jstr(period, "to") && mj_table_set(&t->period_to, jstr(period, "to")) != MJ_OK))
			return MJ_E_NOMEM;
	}
	json_object *v;
	int64_t x;
	if (json_object_object_get_ex(root, "n_read", &v) && (x = json_object_get_int64(v)) > 0)
		t->n_read = (unsigned long long)x;
	if (json_object_object_get_ex(root, "n_counted", &v) && (x = json_object_get_int64(v)) > 0)
		t->n_counted = (unsigned long long)x;
	if (json_object_object_get_ex(root, "n_rejected", &v) && (x = json_object_get_int64(v)) > 0)
		t->n_rejected = (unsigned long long)x;
	if (json_object_object_get_ex(root, "min_cell", &v) && (x = json_object_get_int64(v)) > 0 &&
	    x < 1000000000)
		t->min_cell = (long)x;
	return MJ_OK;
}

/* Row r's values (rv), suppressed flags (rs) and hidden marks (rh, both
 * may be NULL) into tr: a count, or a hidden cell. */
static enum mj_status json_row_values(json_object *rv, json_object *rs, json_object *rh,
				      struct mj_table *t, struct mj_table_row *tr,
				      size_t r, const char *name, struct mj_error *err)
{
	for (size_t c = 0; c < t->ncols; c++) {
		json_object *x = json_object_array_get_idx(rv, c);
		json_object *s = rs ? json_object_array_get_idx(rs, c) : NULL;
		json_object *h = rh ? json_object_array_get_idx(rh, c) : NULL;
		const char *hs = h ? json_object_get_string(h) : NULL;
		int kind = hidden_kind(hs ? hs : "",
				       x && json_object_is_type(x, json_type_string)
				       ? json_object_get_string(x) : "", &t->min_cell);
		if (!x || json_object_is_type(x, json_type_null) || kind ||
		    (s && json_object_get_boolean(s))) {
			tr->suppressed[c] = kind ? (unsigned char)kind : MJ_HIDDEN_PRIMARY;
			continue;
		}
		double v = json_object_get_double(x);
		if ((!json_object_is_type(x, json_type_double) &&
		     !json_object_is_type(x, json_type_int)) ||
		    !(v >= 0 && v <= MJ_TABLE_VALUE_MAX))
			return mj_error_set(err, MJ_E_PARSE, name, 0, 0,
					    "row %zu, value %zu: not a count (a number from 0 to %.0f)",
					    r + 1, c + 1, MJ_TABLE_VALUE_MAX);
		tr->values[c] = v;
	}
	return MJ_OK;
}

/* Row r's statistics arrays (one per name, a value per column) into sr. */
static enum mj_status json_row_stats(json_object *row, struct stat_read *sr, size_t r,
				     size_t ncols, const char *name, struct mj_error *err)
{
	for (size_t i = 0; i < NSTATS; i++) {
		json_object *a = jarr(row, stat_names[i]);
		if (!a)
			continue;
		if (json_object_array_length(a) != ncols)
			return mj_error_set(err, MJ_E_PARSE, name, 0, 0,
					    "row %zu: '%s' has %zu values, the table %zu columns",
					    r + 1, stat_names[i], json_object_array_length(a), ncols);
		if (stat_read_want(sr, i) != 0)
			return MJ_E_NOMEM;
		for (size_t c = 0; c < ncols; c++) {
			json_object *x = json_object_array_get_idx(a, c);
			if (!x || json_object_is_type(x, json_type_null))
				continue;
			if (!json_object_is_type(x, json_type_double) &&
			    !json_object_is_type(x, json_type_int))
				return mj_error_set(err, MJ_E_PARSE, name, 0, 0,
						    "row %zu: '%s' holds something that is not a number",
						    r + 1, stat_names[i]);
			if (!isfinite(json_object_get_double(x)))
				return mj_error_set(err, MJ_E_PARSE, name, 0, 0,
						    "row %zu: '%s' holds a number that is not finite",
						    r + 1, stat_names[i]);
			sr->values[i][r * ncols + c] = json_object_get_double(x);
			int d = decimals_of(json_object_get_string(x));
			if (d > sr->decimals[i])
				sr->decimals[i] = d;
		}
	}
	return MJ_OK;
}

/* The empty table a JSON table describes: its dimensions and columns
 * (one column dimension only), with their labels; NULL with err set when
 * it is not one. */
static struct mj_table *json_table_new(json_object *root, const char *name,
				       struct mj_error *err)
{
	struct mj_table *t = NULL;
	const char **cc = NULL, **cl = NULL;
	json_object *dims = jarr(root, "dims"), *cols = jarr(root, "columns"),
		    *rows = jarr(root, "rows");
	const char *kind = jstr(root, "murojaat");
	if (!kind || strcmp(kind, "table") != 0 || !dims || !cols || !rows ||
	    json_object_array_length(dims) == 0 || json_object_array_length(dims) > 8 ||
	    json_object_array_length(cols) == 0) {
		mj_error_set(err, MJ_E_PARSE, name, 0, 0,
			     "not a table made by mj-tab (needs \"murojaat\": \"table\", dims, columns, rows)");
		goto fail;
	}
	size_t ndims = json_object_array_length(dims), ncols = json_object_array_length(cols);
	const char *dimnames[8], *dimlabels[8];
	for (size_t i = 0; i < ndims; i++) {
		json_object *d = json_object_array_get_idx(dims, i);
		dimnames[i] = jstr(d, "name");
		dimlabels[i] = jstr(d, "label");
		if (!dimnames[i]) {
			mj_error_set(err, MJ_E_PARSE, name, 0, 0, "dimension %zu has no name", i + 1);
			goto fail;
		}
	}
	json_object *coldim = NULL;
	json_object_object_get_ex(root, "col_dim", &coldim);
	const char *colname = coldim && json_object_is_type(coldim, json_type_object)
		? jstr(coldim, "name") : NULL;
	if (!colname && ncols != 1) {
		mj_error_set(err, MJ_E_PARSE, name, 0, 0, "several columns but no col_dim");
		goto fail;
	}
	json_object *nested = NULL;
	if (colname && json_object_object_get_ex(coldim, "dims", &nested)) {
		/* Its subtotal columns would be taken for categories. */
		mj_error_set(err, MJ_E_UNSUPPORTED, name, 0, 0,
			     "a table with nested columns (mj-tab --cols A,B) cannot be read back; tabulate one column dimension");
		goto fail;
	}
	cc = calloc(ncols, sizeof *cc);
	cl = calloc(ncols, sizeof *cl);
	if (!cc || !cl)
		goto nomem;
	for (size_t c = 0; c < ncols; c++) {
		json_object *col = json_object_array_get_idx(cols, c);
		cc[c] = jstr(col, "code") ? jstr(col, "code") : "";
		cl[c] = jstr(col, "label") ? jstr(col, "label") : cc[c];
	}
	t = mj_table_new(ndims, dimnames, colname, ncols, cc, cl);
	if (!t)
		goto nomem;
	for (size_t i = 0; i < ndims; i++)
		if (dimlabels[i] && mj_table_set(&t->dim_labels[i], dimlabels[i]) != MJ_OK)
			goto nomem;
	if (colname && jstr(coldim, "label") &&
	    mj_table_set(&t->col_dim_label, jstr(coldim, "label")) != MJ_OK)
		goto nomem;
	goto done;
nomem:
	mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
fail:
	mj_table_destroy(t);
	t = NULL;
done:
	free(cc);
	free(cl);
	return t;
}

static struct mj_table *read_json(const char *data, size_t len, const char *name,
				  struct mj_stats *stats, struct mj_error *err)
{
	struct stat_read sr = {0};
	json_tokener *tok = json_tokener_new_ex(64);
	if (!tok) {
		mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
		return NULL;
	}
	json_object *root = json_tokener_parse_ex(tok, data, (int)len);
	enum json_tokener_error je = json_tokener_get_error(tok);
	struct mj_table *t = NULL;
	const char **codes = NULL, **labels = NULL;
	if (!root || je != json_tokener_success) {
		mj_error_set(err, MJ_E_PARSE, name, 0, 0, "not valid JSON: %s",
			     json_tokener_error_desc(je));
		goto done;
	}
	t = json_table_new(root, name, err);
	if (!t)
		goto done;
	json_object *rows = jarr(root, "rows");
	size_t ndims = t->ndims, ncols = t->ncols;
	codes = calloc(ndims, sizeof *codes);
	labels = calloc(ndims, sizeof *labels);
	if (!codes || !labels)
		goto nomem;
	if (json_meta_read(root, t) != MJ_OK)
		goto nomem;
	size_t nrows = json_object_array_length(rows);
	sr.cap = nrows * ncols;
	for (size_t r = 0; r < nrows; r++) {
		json_object *row = json_object_array_get_idx(rows, r);
		json_object *rc = jarr(row, "codes"), *rl = jarr(row, "labels"),
			    *rv = jarr(row, "values"), *rs = jarr(row, "suppressed"),
			    *rh = jarr(row, "hidden");
		if (!rc || !rv || json_object_array_length(rc) != ndims ||
		    json_object_array_length(rv) != ncols) {
			mj_error_set(err, MJ_E_PARSE, name, 0, 0,
				     "row %zu: codes and values do not match dims and columns", r + 1);
			goto fail;
		}
		for (size_t i = 0; i < ndims; i++) {
			codes[i] = json_object_get_string(json_object_array_get_idx(rc, i));
			labels[i] = rl && json_object_array_length(rl) == ndims
				? json_object_get_string(json_object_array_get_idx(rl, i)) : codes[i];
			if (!codes[i])
				codes[i] = "";
			if (!labels[i])
				labels[i] = codes[i];
		}
		int level;
		enum mj_row_kind kind = kind_of(codes, ndims, &level);
		struct mj_table_row *tr = mj_table_add_row(t, kind, level, codes, labels);
		if (!tr)
			goto nomem;
		if (json_row_values(rv, rs, rh, t, tr, r, name, err) != MJ_OK)
			goto fail;
		enum mj_status st = stats ? json_row_stats(row, &sr, r, ncols, name, err) : MJ_OK;
		if (st == MJ_E_NOMEM)
			goto nomem;
		if (st != MJ_OK)
			goto fail;
	}
	if (!mj_table_total(t)) {
		mj_error_set(err, MJ_E_PARSE, name, 0, 0, "no totals row (codes _total)");
		goto fail;
	}
	if (stats) {
		if (stat_read_finish(&sr, t, stats, name, err) != MJ_OK)
			goto fail;
		json_object *notes = jarr(root, "notes");
		for (size_t i = 0; notes && i < json_object_array_length(notes); i++) {
			const char *note = json_object_get_string(json_object_array_get_idx(notes, i));
			if (note && mj_stats_note(stats, note) == MJ_E_NOMEM)
				goto nomem;
		}
	}
	goto done;
nomem:
	mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
fail:
	mj_table_destroy(t);
	t = NULL;
done:
	free(codes);
	free(labels);
	stat_read_free(&sr);
	json_object_put(root);
	json_tokener_free(tok);
	return t;
}

static struct mj_table *read_mem(const char *data, size_t len, const char *name,
				 struct mj_stats *stats, struct mj_error *err)
{
	size_t i = 0;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
		i++;
	if (i == len) {
		mj_error_set(err, MJ_E_EMPTY, name, 0, 0, "input is empty: no table to read");
		return NULL;
	}
	if (len > (size_t)0x7fffffff) {
		mj_error_set(err, MJ_E_LIMIT, name, 0, 0, "table larger than 2 GiB");
		return NULL;
	}
	/* Labels and titles go on to charts, workbooks and JSON, which hold
	 * text: a table is UTF-8, as mj-tab writes it. */
	const char *bad;
	if (!g_utf8_validate(data, (gssize)len, &bad)) {
		size_t line = 1, col = 1;
		for (const char *p = data; p < bad; p = g_utf8_next_char(p)) {
			col = *p == '\n' ? 1 : col + 1;
			line += *p == '\n';
		}
		mj_error_set(err, MJ_E_ENCODING, name, line, col,
			     "not UTF-8 text: a table is read as UTF-8, as mj-tab writes it (convert it with iconv -f CP1251 -t UTF-8)");
		return NULL;
	}
	if (data[i] == '{')
		return read_json(data, len, name, stats, err);
	if (data[i] == '[') {
		mj_error_set(err, MJ_E_UNSUPPORTED, name, 1, 1, "layers of mj-tab --layer: read back one table at a time (tabulate without --layer, or keep one layer)");
		return NULL;
	}
	return read_csv(data, len, name, stats, err);
}

struct mj_table *mj_table_read_mem(const char *data, size_t len, const char *name,
				   struct mj_error *err)
{
	return read_mem(data, len, name, NULL, err);
}

/* Reads all of in (up to TABLE_LIMIT) and parses it. */
static struct mj_table *read_stream(FILE *in, const char *name,
				    struct mj_stats *stats, struct mj_error *err)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	if (!buf) {
		mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
		return NULL;
	}
	for (;;) {
		if (n == cap) {
			if (cap >= TABLE_LIMIT) {
				free(buf);
				mj_error_set(err, MJ_E_LIMIT, name, 0, 0,
					     "table larger than %u MiB", TABLE_LIMIT >> 20);
				return NULL;
			}
			char *grown = realloc(buf, cap * 2);
			if (!grown) {
				free(buf);
				mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
				return NULL;
			}
			buf = grown;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, in);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(in)) {
		free(buf);
		mj_error_set(err, MJ_E_IO, name, 0, 0, "read error");
		return NULL;
	}
	struct mj_table *t = read_mem(buf, n, name, stats, err);
	free(buf);
	return t;
}

struct mj_table *mj_table_read(FILE *in, const char *name, struct mj_error *err)
{
	return read_stream(in, name, NULL, err);
}

struct mj_table *mj_table_read_stats(FILE *in, const char *name,
				     struct mj_stats *stats, struct mj_error *err)
{
	mj_stats_init(stats);
	struct mj_table *t = read_stream(in, name, stats, err);
	if (!t)
		mj_stats_free(stats);
	return t;
}
