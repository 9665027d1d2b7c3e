/* The table model: construction, percents and number formatting. */
#include "murojaat/table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Copies n strings; NULL entries become empty strings. */
static char **copy_strv(const char *const *src, size_t n)
{
	char **v = calloc(n ? n : 1, sizeof *v);
	if (!v)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		v[i] = strdup(src && src[i] ? src[i] : "");
		if (!v[i]) {
			free_strv(v, i);
			return NULL;
		}
	}
	return v;
}

struct mj_table *mj_table_new(size_t ndims, const char *const *dims,
			      const char *col_dim, size_t ncols,
			      const char *const *col_codes,
			      const char *const *col_labels)
{
	if (ndims == 0 || ncols == 0 || (!col_dim && ncols != 1))
		return NULL;
	struct mj_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->ndims = ndims;
	t->ncols = ncols;
	t->dims = copy_strv(dims, ndims);
	t->dim_labels = copy_strv(dims, ndims);
	t->measure = strdup("count");
	t->lang = strdup("en");
	if (col_dim) {
		t->col_dim = strdup(col_dim);
		t->col_dim_label = strdup(col_dim);
		t->col_codes = copy_strv(col_codes, ncols);
		t->col_labels = copy_strv(col_labels ? col_labels : col_codes, ncols);
	} else {
		static const char *const count[] = {"count"};
		t->col_codes = copy_strv(count, 1);
		t->col_labels = copy_strv(count, 1);
	}
	if (!t->dims || !t->dim_labels || !t->measure || !t->lang ||
	    !t->col_codes || !t->col_labels ||
	    (col_dim && (!t->col_dim || !t->col_dim_label))) {
		mj_table_destroy(t);
		return NULL;
	}
	return t;
}

void mj_table_destroy(struct mj_table *t)
{
	if (!t)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		struct mj_table_row *row = &t->rows[r];
		free_strv(row->codes, t->ndims);
		free_strv(row->labels, t->ndims);
		free(row->values);
		free(row->suppressed);
	}
	free(t->rows);
	free_strv(t->dims, t->ndims);
	free_strv(t->dim_labels, t->ndims);
	free_strv(t->col_codes, t->ncols);
	free_strv(t->col_labels, t->ncols);
	mj_col_nest_free(t->nest, t->ncols);
	free(t->col_dim);
	free(t->col_dim_label);
	free(t->title);
	free(t->measure);
	free(t->weight);
	free(t->lang);
	free(t->period_from);
	free(t->period_to);
	free(t->filters);
	free(t->source);
	free(t);
}

enum mj_status mj_table_set(char **field, const char *value)
{
	char *copy = dup_or_null(value);
	if (value && !copy)
		return MJ_E_NOMEM;
	free(*field);
	*field = copy;
	return MJ_OK;
}

struct mj_table_row *mj_table_add_row(struct mj_table *t,
				      enum mj_row_kind kind, int level,
				      const char *const *codes,
				      const char *const *labels)
{
	if (t->nrows % 32 == 0) {
		struct mj_table_row *grown =
			realloc(t->rows, (t->nrows + 32) * sizeof *grown);
		if (!grown)
			return NULL;
		t->rows = grown;
	}
	struct mj_table_row *row = &t->rows[t->nrows];
	memset(row, 0, sizeof *row);
	row->kind = kind;
	row->level = level;
	row->codes = copy_strv(codes, t->ndims);
	row->labels = copy_strv(labels ? labels : codes, t->ndims);
	row->values = calloc(t->ncols, sizeof *row->values);
	row->suppressed = calloc(t->ncols, 1);
	if (!row->codes || !row->labels || !row->values || !row->suppressed) {
		free_strv(row->codes, t->ndims);
		free_strv(row->labels, t->ndims);
		free(row->values);
		free(row->suppressed);
		return NULL;
	}
	t->nrows++;
	return row;
}

const struct mj_table_row *mj_table_total(const struct mj_table *t)
{
	for (size_t r = t->nrows; r-- > 0;)
		if (t->rows[r].kind == MJ_ROW_TOTAL)
			return &t->rows[r];
	return NULL;
}

int mj_table_is_sum(const struct mj_table *t)
{
	return t->measure && strcmp(t->measure, "count") != 0;
}

const char *mj_table_row_label(const struct mj_table *t,
			       const struct mj_table_row *row)
{
	for (size_t d = t->ndims; d-- > 0;)
		if (strcmp(row->codes[d], MJ_CODE_TOTAL) != 0)
			return row->labels[d];
	return row->labels[0];
}

int mj_table_row_missing(const struct mj_table *t,
			 const struct mj_table_row *row)
{
	for (size_t d = t->ndims; d-- > 0;)
		if (strcmp(row->codes[d], MJ_CODE_TOTAL) != 0)
			return strcmp(row->codes[d], MJ_CODE_MISSING) == 0;
	return 0;
}

/* The row that is the parent subtotal of row (the nearest preceding row of
 * lower level), or the total row. */
static const struct mj_table_row *parent_row(const struct mj_table *t,
					     const struct mj_table_row *row)
{
	if (row->level > 0)
		for (const struct mj_table_row *p = row; p-- > t->rows;)
			if (p->level < row->level && p->kind != MJ_ROW_CATEGORY)
				return p;
	return mj_table_total(t);
}

/* Sum of "not stated" rows at the top level in column col. */
static double missing_total(const struct mj_table *t, size_t col)
{
	double sum = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		if (row->level == 0 && row->kind != MJ_ROW_TOTAL &&
		    strcmp(row->codes[0], MJ_CODE_MISSING) == 0)
			sum += row->values[col];
	}
	return sum;
}

enum mj_percent mj_table_default_percent(const struct mj_table *t)
{
	return t && t->col_dim ? MJ_PCT_ROW : MJ_PCT_TOTAL;
}

double mj_table_percent(const struct mj_table *t,
			const struct mj_table_row *row, size_t col,
			enum mj_percent base)
{
	if (col >= t->ncols || row->suppressed[col])
		return -1;
	const struct mj_table_row *total = mj_table_total(t);
	double denom = 0;
	switch (base) {
	case MJ_PCT_NONE:
		return -1;
	case MJ_PCT_TOTAL:
		if (!total)
			return -1;
		if (total->suppressed[t->ncols - 1])
			return -1;
		denom = total->values[t->ncols - 1];
		break;
	case MJ_PCT_ROW:
		if (row->suppressed[t->ncols - 1])
			return -1;
		denom = row->values[t->ncols - 1];
		break;
	case MJ_PCT_COL:
		if (!total || total->suppressed[col])
			return -1;
		denom = total->values[col];
		break;
	case MJ_PCT_VALID:
		if (!total || mj_table_row_missing(t, row))
			return -1;
		if (row->level > 0) {
			const struct mj_table_row *p = parent_row(t, row);
			if (!p || p->suppressed[col])
				return -1;
			denom = p->values[col];
		} else {
			denom = total->values[col] - missing_total(t, col);
		}
		break;
	}
	if (!(denom > 0))
		return -1;
	/* The total's valid percent is of its valid part: 100, not
	 * total / valid. */
	if (base == MJ_PCT_VALID && row->kind == MJ_ROW_TOTAL)
		return 100.0;
	return 100.0 * row->values[col] / denom;
}

double mj_table_percent_base(const struct mj_table *t,
			     const struct mj_table_row *row, size_t col,
			     enum mj_percent base)
{
	if (mj_table_percent(t, row, col, base) < 0)
		return NAN;
	const struct mj_table_row *total = mj_table_total(t);
	switch (base) {
	case MJ_PCT_TOTAL:
		return total->values[t->ncols - 1];
	case MJ_PCT_ROW:
		return row->values[t->ncols - 1];
	case MJ_PCT_COL:
		return total->values[col];
	case MJ_PCT_VALID:
		if (row->level > 0) {
			/* The parent subtotal, as mj_table_percent() takes it. */
			for (const struct mj_table_row *p = row; p-- > t->rows;)
				if (p->level < row->level && p->kind != MJ_ROW_CATEGORY)
					return p->values[col];
			return NAN;
		}
		return total->values[col] - missing_total(t, col);
	case MJ_PCT_NONE:
		break;
	}
	return NAN;
}

char *mj_format_number(double value, int decimals, enum mj_lang lang,
		       char *buf, size_t len)
{
	/* en groups with ","; ru and uz with a no-break space and use a
	 * decimal comma, as the languages' own style books do. */
	const char *group = lang == MJ_LANG_EN ? "," : "\xc2\xa0";
	char point = lang == MJ_LANG_EN ? '.' : ',';
	char raw[64];
	if (decimals < 0)
		decimals = 0;
	snprintf(raw, sizeof raw, "%.*f", decimals, value);
	if (strcmp(raw, "-0") == 0 || strncmp(raw, "-0.", 3) == 0) {
		/* Negative zero after rounding reads as 0. */
		int nonzero = 0;
		for (const char *p = raw + 1; *p; p++)
			nonzero |= *p >= '1' && *p <= '9';
		if (!nonzero)
			memmove(raw, raw + 1, strlen(raw));
	}
	const char *digits = raw;
	size_t out = 0;
	if (*digits == '-' && out + 1 < len) {
		buf[out++] = '-';
		digits++;
	}
	size_t intlen = strcspn(digits, ".");
	for (size_t i = 0; i < intlen && out + 4 < len; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			for (const char *g = group; *g && out + 1 < len; g++)
				buf[out++] = *g;
		buf[out++] = digits[i];
	}
	if (digits[intlen] == '.' && out + 1 < len) {
		buf[out++] = point;
		for (const char *p = digits + intlen + 1; *p && out + 1 < len; p++)
			buf[out++] = *p;
	}
	buf[out] = '\0';
	return buf;
}

char *mj_format_date(const char *iso, enum mj_lang lang, char *buf, size_t len)
{
	int y, m, d;
	char extra;
	if (lang != MJ_LANG_EN && iso && strlen(iso) == 10 &&
	    sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3)
		snprintf(buf, len, "%02d.%02d.%04d", d, m, y);
	else
		snprintf(buf, len, "%s", iso ? iso : "");
	return buf;
}

char *mj_table_mark(const struct mj_table *t, int kind, char *buf, size_t len)
{
	if (kind == MJ_HIDDEN_COMPLEMENT)
		snprintf(buf, len, "x");
	else if (kind)
		snprintf(buf, len, "<%ld", t->min_cell);
	else if (len)
		buf[0] = '\0';
	return buf;
}

int mj_table_has_hidden(const struct mj_table *t, int kind)
{
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			if (t->rows[r].suppressed[c] == kind)
				return 1;
	return 0;
}

const char *mj_table_mark_note(enum mj_lang lang)
{
	static const char *const note[MJ_LANG_COUNT] = {
		"x: not shown, to protect small numbers",
		"x — не показано, чтобы защитить малые числа",
		"x — kichik sonlarni himoya qilish uchun koʻrsatilmagan",
		"x — кичик сонларни ҳимоя қилиш учун кўрсатилмаган"};
	return note[(unsigned)lang < MJ_LANG_COUNT ? lang : MJ_LANG_EN];
}

const char *mj_hidden_name(int kind)
{
	return kind == MJ_HIDDEN_PRIMARY ? "primary"
	       : kind == MJ_HIDDEN_COMPLEMENT ? "complementary" : NULL;
}
