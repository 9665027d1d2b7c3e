/* The schema: loaded from a CSV file (or the embedded default), validated,
 * and queried by dimension and category. */
#include "schema_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvdoc.h"
#include "i18n.h"
#include "murojaat/charttype.h"
#include "murojaat/tab.h"
#include "text.h"

extern const char mj_schema_default_text[];
extern const size_t mj_schema_default_text_len;

/* Columns of a schema file, in order. */
enum { COL_KIND, COL_DIM, COL_CODE, COL_PARENT, COL_EN, COL_RU, COL_UZ,
       COL_UZ_CYRL, COL_ALIASES, COL_ATTRS, NCOLS };
static const char *const col_names[NCOLS] = {
	"kind", "dim", "code", "parent", "en", "ru", "uz", "uz-Cyrl",
	"aliases", "attrs"};

static const char *const lang_tags[MJ_LANG_COUNT] = {"en", "ru", "uz", "uz-Cyrl"};

int mj_lang_parse(const char *text)
{
	if (!text)
		return -1;
	for (int i = 0; i < MJ_LANG_COUNT; i++)
		if (g_ascii_strcasecmp(text, lang_tags[i]) == 0)
			return i;
	if (g_ascii_strcasecmp(text, "uz_Cyrl") == 0 ||
	    g_ascii_strcasecmp(text, "uz-Cyr") == 0 ||
	    g_ascii_strcasecmp(text, "uzc") == 0)
		return MJ_LANG_UZ_CYRL;
	if (g_ascii_strcasecmp(text, "uz-Latn") == 0)
		return MJ_LANG_UZ;
	return -1;
}

const char *mj_lang_tag(enum mj_lang lang)
{
	return (unsigned)lang < MJ_LANG_COUNT ? lang_tags[lang] : "en";
}

static void free_labels(char **labels)
{
	for (int l = 0; l < MJ_LANG_COUNT; l++)
		free(labels[l]);
}

void mj_schema_destroy(struct mj_schema *s)
{
	if (!s)
		return;
	for (size_t d = 0; d < s->ndims; d++) {
		struct mj_dim *dim = &s->dims[d];
		for (size_t c = 0; c < dim->ncats; c++) {
			free(dim->cats[c].code);
			free_labels(dim->cats[c].labels);
			free(dim->cats[c].attrs);
		}
		free(dim->cats);
		free(dim->name);
		free_labels(dim->labels);
		free_labels(dim->other_labels);
		if (dim->lookup)
			g_hash_table_destroy(dim->lookup);
	}
	free(s->dims);
	for (size_t i = 0; i < s->nsections; i++) {
		struct mj_schema_section *sec = &s->sections[i];
		free((char *)sec->code);
		free((char *)sec->by);
		free((char *)sec->cols);
		free((char *)sec->sum);
		for (size_t w = 0; w < sec->nwhere; w++)
			free((char *)sec->where[w]);
		for (int l = 0; l < MJ_LANG_COUNT; l++)
			free((char *)sec->titles[l]);
		free((char *)sec->say_code);
		free((char *)sec->show);
		free((char *)sec->layer);
	}
	free(s->sections);
	for (guint i = 0; s->say_texts && i < s->say_texts->len; i++) {
		struct mj_say_text *t = g_ptr_array_index(s->say_texts, i);
		free(t->code);
		free_labels(t->labels);
		free(t);
	}
	if (s->say_texts)
		g_ptr_array_free(s->say_texts, TRUE);
	free(s->code);
	free_labels(s->labels);
	free_labels(s->missing_labels);
	free_labels(s->total_labels);
	free_labels(s->unit_labels);
	for (int i = 0; i < MJ_PHRASE_COUNT; i++)
		free_labels(s->phrases[i]);
	if (s->missing)
		g_hash_table_destroy(s->missing);
	if (s->dim_lookup)
		g_hash_table_destroy(s->dim_lookup);
	free(s);
}

/* A category whose parent is resolved once every dimension is known. */
struct pending_cat {
	int dim, cat;
	size_t row;
};

/* Parsing state: the document, its name and the error sink. Parents of
 * dimensions and categories, and sections, are resolved after the last
 * row, so a dimension may name a parent declared after it (which is how a
 * cycle could be written, and is caught). */
struct loader {
	struct mj_schema *s;
	const char *path;
	struct mj_error *err;
	const struct mj_csvdoc *doc;
	GArray *dim_rows;      /* size_t: the row of each dimension */
	GArray *cats;          /* struct pending_cat */
	GArray *section_rows;  /* size_t */
	size_t row;            /* the row being read */
	GHashTable *codes;     /* "dimension index:code" of every category */
};

static const struct mj_csvfield *field(const struct mj_csvrow *row, int col)
{
	static const struct mj_csvfield empty = {(char *)"", 0, 0, 0};
	return col < (int)row->nfields ? &row->fields[col] : &empty;
}

static enum mj_status fail_at(struct loader *ld, const struct mj_csvrow *row,
			      int col, const char *fmt, const char *a,
			      const char *b)
{
	const struct mj_csvfield *f = field(row, col);
	unsigned long column = f->column ? f->column : 1;
	unsigned long line = f->line ? f->line : row->line;
	/* The message is formatted once, into the error's own buffer, which
	 * truncates long names rather than overflowing. */
	return mj_error_set(ld->err, MJ_E_SCHEMA, ld->path, line, column, fmt,
			    a ? a : "", b ? b : "");
}

static enum mj_status copy_labels(char **dst, const struct mj_csvrow *row)
{
	for (int l = 0; l < MJ_LANG_COUNT; l++) {
		const char *text = field(row, COL_EN + l)->text;
		/* A missing translation falls back to English. */
		if (!*text)
			text = field(row, COL_EN)->text;
		dst[l] = strdup(text);
		if (!dst[l])
			return MJ_E_NOMEM;
	}
	return MJ_OK;
}

/* Value of key in "k=v;k=v" attrs, copied into buf; NULL when absent. */
static const char *attr_get(const char *attrs, const char *key, char *buf,
			    size_t len)
{
	size_t klen = strlen(key);
	for (const char *p = attrs; p && *p;) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t vlen = n - klen - 1;
			if (vlen >= len)
				vlen = len - 1;
			memcpy(buf, p + klen + 1, vlen);
			buf[vlen] = '\0';
			return buf;
		}
		if (n == klen && strncmp(p, key, klen) == 0) {
			buf[0] = '\0';
			return buf;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

/* Registers key -> value+1 in table; reports a conflict with another value. */
static int claim(GHashTable *table, const char *text, int value, int *other)
{
	char *key = mj_text_key(text, strlen(text));
	if (!key)
		return -1;
	if (!*key) {
		free(key);
		return 0;
	}
	gpointer old = g_hash_table_lookup(table, key);
	if (old && GPOINTER_TO_INT(old) - 1 != value) {
		*other = GPOINTER_TO_INT(old) - 1;
		free(key);
		return 1;
	}
	g_hash_table_replace(table, key, GINT_TO_POINTER(value + 1));
	return 0;
}

static int dim_index(const struct mj_schema *s, const char *name)
{
	for (size_t d = 0; d < s->ndims; d++)
		if (strcmp(s->dims[d].name, name) == 0)
			return (int)d;
	return -1;
}

static enum mj_status add_dimension(struct loader *ld, const struct mj_csvrow *row)
{
	struct mj_schema *s = ld->s;
	const char *name = field(row, COL_DIM)->text;
	if (!*name)
		return fail_at(ld, row, COL_DIM, "dimension without a name%s%s", 0, 0);
	if (dim_index(s, name) >= 0)
		return fail_at(ld, row, COL_DIM, "duplicate dimension '%s'%s", name, 0);
	struct mj_dim *dims = realloc(s->dims, (s->ndims + 1) * sizeof *dims);
	if (!dims)
		return MJ_E_NOMEM;
	s->dims = dims;
	struct mj_dim *dim = &dims[s->ndims++];
	memset(dim, 0, sizeof *dim);
	dim->parent = -1;
	dim->source = -1;
	dim->name = strdup(name);
	dim->lookup = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	if (!dim->name || copy_labels(dim->labels, row) != MJ_OK)
		return MJ_E_NOMEM;

	const char *attrs = field(row, COL_ATTRS)->text;
	char buf[128];
	const char *type = attr_get(attrs, "type", buf, sizeof buf);
	static const struct { const char *name; enum mj_dim_kind kind; } kinds[] = {
		{"category", MJ_DIM_CATEGORY}, {"open", MJ_DIM_OPEN},
		{"integer", MJ_DIM_INTEGER}, {"date", MJ_DIM_DATE},
		{"id", MJ_DIM_ID}, {"derived", MJ_DIM_DERIVED}};
	int found = 0;
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (type && strcmp(type, kinds[k].name) == 0) {
			dim->kind = kinds[k].kind;
			found = 1;
		}
	if (!found)
		return fail_at(ld, row, COL_ATTRS,
			"dimension '%s': type must be category, open, integer, date, id or derived (got \"%s\")",
			name, type ? type : "");
	dim->required = attr_get(attrs, "required", buf, sizeof buf) != NULL;
	dim->multi = dim->kind == MJ_DIM_CATEGORY && attr_get(attrs, "multi", buf, sizeof buf) != NULL;
	dim->min = 0;
	dim->max = 1000000000L;
	/* A bound that is not a number would silently be 0 and reject or
	 * admit values the schema's author did not mean. */
	static const char *const bounds[] = {"min", "max"};
	for (int b = 0; b < 2; b++)
		if (attr_get(attrs, bounds[b], buf, sizeof buf) &&
		    mj_parse_whole(buf, -1000000000000000000L, 1000000000000000000L,
				   b ? &dim->max : &dim->min) != 0)
			return fail_at(ld, row, COL_ATTRS,
				"dimension '%s': min= and max= are whole numbers (got \"%s\")",
				name, buf);
	if (dim->min > dim->max)
		return fail_at(ld, row, COL_ATTRS, "dimension '%s': min= is above max=", name, NULL);
	char others[512];
	if (dim->kind == MJ_DIM_OPEN && attr_get(attrs, "other", others, sizeof others)) {
		char *save = NULL, *w = strtok_r(others, "|", &save);
		for (int l = 0; w && l < MJ_LANG_COUNT; l++, w = strtok_r(NULL, "|", &save))
			if (!(dim->other_labels[l] = strdup(w)))
				return MJ_E_NOMEM;
	}
	g_array_append_val(ld->dim_rows, ld->row);
	if (dim->kind == MJ_DIM_DERIVED) {
		if (!attr_get(attrs, "from", buf, sizeof buf))
			return fail_at(ld, row, COL_ATTRS,
				"derived dimension '%s' needs from=DIMENSION%s", name, 0);
		/* Every source named must be declared before; the first is the
		 * one a range or a date unit applies to. */
		char *save = NULL;
		int first = 1;
		for (char *src = strtok_r(buf, ",+", &save); src;
		     src = strtok_r(NULL, ",+", &save)) {
			int d = dim_index(s, src);
			if (d < 0 || d == (int)s->ndims - 1)
				return fail_at(ld, row, COL_ATTRS,
					"derived dimension '%s': unknown source dimension '%s' (declare it first)",
					name, src);
			if (first)
				dim->source = d;
			first = 0;
		}
		if (dim->source < 0)
			return fail_at(ld, row, COL_ATTRS,
				"derived dimension '%s' needs from=DIMENSION%s", name, 0);
		if (attr_get(attrs, "unit", buf, sizeof buf))
			dim->unit = buf[0];
	}
	/* The dimension's name and aliases identify its column in a header. */
	int other;
	if (claim(s->dim_lookup, name, (int)(s->ndims - 1), &other) > 0)
		return fail_at(ld, row, COL_DIM, "dimension name '%s' is already an alias of '%s'",
			       name, s->dims[other].name);
	/* Labels name the column too ("Kanal", "Область"); a label that
	 * another dimension already claims is left to that dimension. */
	for (int l = 0; l < MJ_LANG_COUNT; l++)
		claim(s->dim_lookup, dim->labels[l], (int)(s->ndims - 1), &other);
	char *aliases = strdup(field(row, COL_ALIASES)->text);
	if (!aliases)
		return MJ_E_NOMEM;
	for (char *save = NULL, *a = strtok_r(aliases, "|", &save); a;
	     a = strtok_r(NULL, "|", &save)) {
		if (claim(s->dim_lookup, a, (int)(s->ndims - 1), &other) > 0) {
			enum mj_status st = fail_at(ld, row, COL_ALIASES,
				"column alias \"%s\" is claimed by dimension '%s' too",
				a, s->dims[other].name);
			free(aliases);
			return st;
		}
	}
	free(aliases);
	return MJ_OK;
}

/* Parses "sex:female&age:0-17" into conditions of cat. */
static enum mj_status parse_when(struct loader *ld, const struct mj_csvrow *row,
				 struct mj_cat *cat, const char *when)
{
	char *copy = strdup(when);
	if (!copy)
		return MJ_E_NOMEM;
	enum mj_status st = MJ_OK;
	for (char *save = NULL, *c = strtok_r(copy, "&", &save); c;
	     c = strtok_r(NULL, "&", &save)) {
		char *colon = strchr(c, ':');
		if (!colon || cat->nconds == 4) {
			st = fail_at(ld, row, COL_ATTRS,
				"condition \"%s\" must read DIMENSION:VALUE or DIMENSION:LOW-HIGH%s", c, 0);
			break;
		}
		*colon = '\0';
		int d = dim_index(ld->s, c);
		if (d < 0) {
			st = fail_at(ld, row, COL_ATTRS,
				"rule of \"%s\" names unknown dimension '%s' (declare it first)",
				cat->code, c);
			break;
		}
		struct mj_cond *cond = &cat->conds[cat->nconds++];
		cond->dim = d;
		cond->cat = -1;
		if (ld->s->dims[d].kind == MJ_DIM_INTEGER) {
			if (sscanf(colon + 1, "%ld-%ld", &cond->lo, &cond->hi) != 2) {
				st = fail_at(ld, row, COL_ATTRS,
					"condition on '%s' needs a range LOW-HIGH, got \"%s\"", c, colon + 1);
				break;
			}
		} else {
			char *key = mj_text_key(colon + 1, strlen(colon + 1));
			cond->cat = key ? mj_schema_key_find(ld->s, (size_t)d, key) : -1;
			free(key);
			if (cond->cat < 0) {
				st = fail_at(ld, row, COL_ATTRS,
					"derived category's rule names unknown category \"%s\" of '%s'",
					colon + 1, c);
				break;
			}
		}
	}
	free(copy);
	return st;
}

static enum mj_status add_category(struct loader *ld, const struct mj_csvrow *row)
{
	struct mj_schema *s = ld->s;
	const char *dname = field(row, COL_DIM)->text;
	const char *code = field(row, COL_CODE)->text;
	int d = dim_index(s, dname);
	if (d < 0)
		return fail_at(ld, row, COL_DIM,
			"category of unknown dimension '%s' (declare the dimension first)%s", dname, 0);
	struct mj_dim *dim = &s->dims[d];
	if (dim->kind != MJ_DIM_CATEGORY && dim->kind != MJ_DIM_DERIVED)
		return fail_at(ld, row, COL_DIM,
			"dimension '%s' does not take categories%s", dname, 0);
	char *code_key = mj_text_key(code, strlen(code));
	int blank = !code_key || !*code_key;
	free(code_key);
	if (blank)
		return fail_at(ld, row, COL_CODE, "category of '%s' without a code%s", dname, 0);
	if (code[0] == '_')
		return fail_at(ld, row, COL_CODE,
			"category code \"%s\": codes starting with '_' are reserved%s", code, 0);
	/* Tables count categories in 16 bits per dimension (lib/cube.h). */
	if (dim->ncats == MJ_MAX_CATS) {
		char limit[32];
		snprintf(limit, sizeof limit, "%u", MJ_MAX_CATS);
		return fail_at(ld, row, COL_CODE,
			"dimension '%s' has more categories than the limit of %s", dname, limit);
	}
	char *dup_key = g_strdup_printf("%d:%s", d, code);
	if (!g_hash_table_add(ld->codes, dup_key))
		return fail_at(ld, row, COL_CODE,
			"duplicate category code \"%s\" in dimension '%s'", code, dname);
	/* Room doubles at each power of two (large lists load in linear time). */
	if ((dim->ncats & (dim->ncats - 1)) == 0) {
		struct mj_cat *grown = realloc(dim->cats, (dim->ncats ? dim->ncats * 2 : 1) * sizeof *grown);
		if (!grown)
			return MJ_E_NOMEM;
		dim->cats = grown;
	}
	struct mj_cat *cats = dim->cats;
	struct mj_cat *cat = &cats[dim->ncats++];
	memset(cat, 0, sizeof *cat);
	cat->parent = -1;
	cat->code = strdup(code);
	cat->attrs = strdup(field(row, COL_ATTRS)->text);
	if (!cat->code || !cat->attrs || copy_labels(cat->labels, row) != MJ_OK)
		return MJ_E_NOMEM;
	int index = (int)dim->ncats - 1;

	struct pending_cat pc = {d, index, ld->row};
	g_array_append_val(ld->cats, pc);

	char buf[256];
	if (attr_get(cat->attrs, "range", buf, sizeof buf)) {
		if (sscanf(buf, "%ld-%ld", &cat->lo, &cat->hi) != 2 || cat->lo > cat->hi)
			return fail_at(ld, row, COL_ATTRS, "range \"%s\" must read LOW-HIGH%s", buf, 0);
		cat->has_range = 1;
	}
	if (attr_get(cat->attrs, "when", buf, sizeof buf)) {
		enum mj_status st = parse_when(ld, row, cat, buf);
		if (st != MJ_OK)
			return st;
	}
	if (dim->kind == MJ_DIM_DERIVED && !cat->has_range && cat->nconds == 0)
		return fail_at(ld, row, COL_ATTRS,
			"category \"%s\" of derived dimension '%s' needs range= or when=", code, dname);

	/* Code, labels and aliases all identify the category. */
	int other;
	const char *names[2 + MJ_LANG_COUNT] = {code};
	for (int l = 0; l < MJ_LANG_COUNT; l++)
		names[1 + l] = cat->labels[l];
	for (int i = 0; i < 1 + MJ_LANG_COUNT; i++) {
		if (!names[i])
			continue;
		if (claim(dim->lookup, names[i], index, &other) > 0)
			return fail_at(ld, row, i == 0 ? COL_CODE : COL_EN + i - 1,
				"\"%s\" already names category \"%s\"", names[i],
				dim->cats[other].code);
	}
	char *aliases = strdup(field(row, COL_ALIASES)->text);
	if (!aliases)
		return MJ_E_NOMEM;
	enum mj_status st = MJ_OK;
	for (char *save = NULL, *a = strtok_r(aliases, "|", &save); a;
	     a = strtok_r(NULL, "|", &save)) {
		if (claim(dim->lookup, a, index, &other) > 0) {
			st = fail_at(ld, row, COL_ALIASES,
				"alias \"%s\" is claimed by category \"%s\" too", a,
				dim->cats[other].code);
			break;
		}
	}
	free(aliases);
	return st;
}

const char *const mj_phrase_names[MJ_PHRASE_COUNT] = {
	"chart_count", "chart_percent_all", "chart_percent_row", "chart_by",
	"noun_one", "noun_few", "noun_many"};

static enum mj_status add_label(struct loader *ld, const struct mj_csvrow *row)
{
	struct mj_schema *s = ld->s;
	const char *code = field(row, COL_CODE)->text;
	char **dst = NULL;
	for (int i = 0; i < MJ_PHRASE_COUNT; i++)
		if (strcmp(code, mj_phrase_names[i]) == 0)
			dst = s->phrases[i];
	if (!dst && strncmp(code, "say_", 4) == 0 && code[4]) {
		/* The report's own words: a later row replaces an earlier one. */
		struct mj_say_text *t = NULL;
		if (!s->say_texts && !(s->say_texts = g_ptr_array_new()))
			return MJ_E_NOMEM;
		for (guint i = 0; i < s->say_texts->len && !t; i++) {
			struct mj_say_text *old = g_ptr_array_index(s->say_texts, i);
			if (strcmp(old->code, code) == 0)
				t = old;
		}
		if (!t) {
			if (!(t = calloc(1, sizeof *t)) || !(t->code = strdup(code))) {
				free(t);
				return MJ_E_NOMEM;
			}
			g_ptr_array_add(s->say_texts, t);
		}
		dst = t->labels;
	}
	if (!dst && strcmp(code, "missing") == 0)
		dst = s->missing_labels;
	else if (!dst && strcmp(code, "total") == 0)
		dst = s->total_labels;
	else if (!dst && (strcmp(code, "appeals") == 0 || strcmp(code, "unit") == 0))
		dst = s->unit_labels;
	if (!dst)
		return fail_at(ld, row, COL_CODE,
			"unknown label \"%s\" (expected missing, total, unit, chart_count, chart_percent_all, chart_percent_row, chart_by, noun_one, noun_few or noun_many)%s",
			code, 0);
	free_labels(dst);
	memset(dst, 0, MJ_LANG_COUNT * sizeof *dst);
	if (copy_labels(dst, row) != MJ_OK)
		return MJ_E_NOMEM;
	if (dst == s->missing_labels) {
		int other;
		char *aliases = strdup(field(row, COL_ALIASES)->text);
		if (!aliases)
			return MJ_E_NOMEM;
		for (char *save = NULL, *a = strtok_r(aliases, "|", &save); a;
		     a = strtok_r(NULL, "|", &save))
			claim(s->missing, a, 0, &other);
		for (int l = 0; l < MJ_LANG_COUNT; l++)
			claim(s->missing, dst[l], 0, &other);
		free(aliases);
	}
	return MJ_OK;
}

/* Dimension parents: known, category dimensions, and no cycle. */
static enum mj_status resolve_dim_parents(struct loader *ld)
{
	struct mj_schema *s = ld->s;
	char buf[128];
	for (size_t d = 0; d < s->ndims; d++) {
		const struct mj_csvrow *row =
			&ld->doc->rows[g_array_index(ld->dim_rows, size_t, d)];
		struct mj_dim *dim = &s->dims[d];
		if (!attr_get(field(row, COL_ATTRS)->text, "parent", buf, sizeof buf))
			continue;
		dim->parent = dim_index(s, buf);
		if (dim->parent < 0)
			return fail_at(ld, row, COL_ATTRS,
				"dimension '%s': unknown parent dimension '%s'", dim->name, buf);
		if (dim->kind != MJ_DIM_CATEGORY || s->dims[dim->parent].kind != MJ_DIM_CATEGORY)
			return fail_at(ld, row, COL_ATTRS,
				"dimension '%s': a parent links two category dimensions ('%s' and its parent must both be of type=category)",
				dim->name, buf);
	}
	/* A chain of parents longer than the number of dimensions loops. */
	for (size_t d = 0; d < s->ndims; d++) {
		int p = s->dims[d].parent;
		size_t steps = 0;
		while (p >= 0 && p != (int)d && steps++ < s->ndims)
			p = s->dims[p].parent;
		if (p != (int)d)
			continue;
		GString *chain = g_string_new(s->dims[d].name);
		p = s->dims[d].parent;
		for (steps = 0; steps++ < s->ndims; p = s->dims[p].parent) {
			g_string_append_printf(chain, " -> %s", s->dims[p].name);
			if (p == (int)d)
				break;
		}
		const struct mj_csvrow *row =
			&ld->doc->rows[g_array_index(ld->dim_rows, size_t, d)];
		enum mj_status st = fail_at(ld, row, COL_ATTRS,
			"cycle in the hierarchy of dimensions: %s%s", chain->str, 0);
		g_string_free(chain, TRUE);
		return st;
	}
	return MJ_OK;
}

/* Category parents, now that every dimension's parent is known. */
static enum mj_status resolve_cat_parents(struct loader *ld)
{
	struct mj_schema *s = ld->s;
	for (guint i = 0; i < ld->cats->len; i++) {
		const struct pending_cat *pc = &g_array_index(ld->cats, struct pending_cat, i);
		const struct mj_csvrow *row = &ld->doc->rows[pc->row];
		struct mj_dim *dim = &s->dims[pc->dim];
		struct mj_cat *cat = &dim->cats[pc->cat];
		const char *parent = field(row, COL_PARENT)->text;
		if (*parent) {
			if (dim->parent < 0)
				return fail_at(ld, row, COL_PARENT,
					"category \"%s\" names a parent but dimension '%s' has no parent dimension",
					cat->code, dim->name);
			struct mj_dim *pdim = &s->dims[dim->parent];
			for (size_t c = 0; c < pdim->ncats; c++)
				if (strcmp(pdim->cats[c].code, parent) == 0)
					cat->parent = (int)c;
			if (cat->parent < 0)
				return fail_at(ld, row, COL_PARENT,
					"unknown parent \"%s\" (not a category of '%s')", parent, pdim->name);
		} else if (dim->parent >= 0) {
			return fail_at(ld, row, COL_PARENT,
				"category \"%s\" needs a parent category of '%s'", cat->code,
				s->dims[dim->parent].name);
		}
	}
	return MJ_OK;
}

/* A dimension a section names by name or alias; fails at col when unknown
 * or when it can never be shown (an id). */
static enum mj_status section_dim(struct loader *ld, const struct mj_csvrow *row,
				  int col, const char *code, const char *name,
				  int *out)
{
	*out = mj_schema_dim_find(ld->s, name);
	if (*out < 0)
		return fail_at(ld, row, col, "section \"%s\" names unknown dimension '%s'",
			       code, name);
	if (ld->s->dims[*out].kind == MJ_DIM_ID)
		return fail_at(ld, row, col,
			"section \"%s\": '%s' is an identifier, which no table may show",
			code, name);
	if (ld->s->dims[*out].kind == MJ_DIM_DATE)
		return fail_at(ld, row, col,
			"section \"%s\": '%s' is a date; break down by a derived month, quarter or year",
			code, name);
	return MJ_OK;
}

/* What is known of one section while its row is read: the row, the section
 * being filled, and the shape of its table that later keys are checked
 * against. */
struct section_read {
	struct loader *ld;
	const struct mj_csvrow *row;
	struct mj_schema_section *sec;
	const char *code;
	int nby, first, bys[2];	/* dimensions it breaks down by: how many, the first, the first two */
	int cols, ncols, cols2;	/* its column dimensions (-1 for none) and how many */
	size_t *sheet_given;
};

/* The section's code names its chart files, so it must be there, safe in a
 * file name and unique; a section has no parent or aliases. */
static enum mj_status section_code(struct loader *ld, const struct mj_csvrow *row,
				   const char *code)
{
	struct mj_schema *s = ld->s;
	if (!*code)
		return fail_at(ld, row, COL_CODE, "section without a code (it names the chart files)%s%s", 0, 0);
	for (const char *p = code; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
			return fail_at(ld, row, COL_CODE,
				"section code \"%s\" may hold only letters, digits, - and _ (it names files)%s",
				code, 0);
	for (size_t i = 0; i < s->nsections; i++)
		if (strcmp(s->sections[i].code, code) == 0)
			return fail_at(ld, row, COL_CODE, "duplicate section \"%s\"%s", code, 0);
	if (*field(row, COL_PARENT)->text || *field(row, COL_ALIASES)->text)
		return fail_at(ld, row, *field(row, COL_PARENT)->text ? COL_PARENT : COL_ALIASES,
			"section \"%s\" takes no parent or aliases%s", code, 0);
	return MJ_OK;
}

/* The dimensions the section breaks down by, "A" or "A,B" nested; the
 * later keys are checked against them. */
static enum mj_status section_by(struct section_read *sr)
{
	struct loader *ld = sr->ld;
	const struct mj_csvrow *row = sr->row;
	const char *code = sr->code;
	const char *by = field(row, COL_DIM)->text;
	enum mj_status st;
	if (!*by)
		return fail_at(ld, row, COL_DIM, "section \"%s\" needs the dimensions it breaks down by%s", code, 0);
	if (!(sr->sec->by = strdup(by)))
		return MJ_E_NOMEM;
	char *copy = strdup(by);
	if (!copy)
		return MJ_E_NOMEM;
	int nby = 0, d = -1, first = -1, bys[2] = {-1, -1};
	st = MJ_OK;
	for (char *save = NULL, *b = strtok_r(copy, ",", &save); b && st == MJ_OK;
	     b = strtok_r(NULL, ",", &save)) {
		mj_text_trim(b);
		st = section_dim(ld, row, COL_DIM, code, b, &d);
		if (nby < 2)
			bys[nby] = d;
		if (nby++ == 0)
			first = d;
	}
	free(copy);
	sr->nby = nby;
	sr->first = first;
	sr->bys[0] = bys[0];
	sr->bys[1] = bys[1];
	if (st != MJ_OK)
		return st;
	/* "," names none. */
	if (nby == 0)
		return fail_at(ld, row, COL_DIM, "section \"%s\" needs the dimensions it breaks down by%s", code, 0);
	if (nby > 2)
		return fail_at(ld, row, COL_DIM, "section \"%s\": at most two nested dimensions%s", code, 0);
	return MJ_OK;
}

/* The keys of a section's attributes column. Each reads the value in buf
 * (512 bytes, which it may change) into the section. */

/* cols=A or cols=A,B: the column dimensions of a cross-tab. */
static enum mj_status section_cols(struct section_read *sr, char *buf)
{
	struct mj_schema_section *sec = sr->sec;
	enum mj_status st;
	if (!(sec->cols = strdup(buf)))
		return MJ_E_NOMEM;
	/* One dimension, or two nested (the second within the first). */
	for (char *save = NULL, *c = strtok_r(buf, ",", &save); c;
	     c = strtok_r(NULL, ",", &save)) {
		mj_text_trim(c);
		int cd;
		if ((st = section_dim(sr->ld, sr->row, COL_ATTRS, sr->code, c, &cd)) != MJ_OK)
			return st;
		if (sr->ncols++ == 0)
			sr->cols = cd;
		else
			sr->cols2 = cd;
	}
	if (sr->ncols > 2)
		return fail_at(sr->ld, sr->row, COL_ATTRS,
			"section \"%s\": at most two nested column dimensions (cols=A,B)%s", sr->code, 0);
	return MJ_OK;
}

/* layer=DIM: one table per category of a dimension the table does not
 * already show, so that dimension must have fixed categories. */
static enum mj_status section_layer(struct section_read *sr, char *buf)
{
	struct mj_schema *s = sr->ld->s;
	const char *code = sr->code;
	enum mj_status st;
	int layer = -1;
	if ((st = section_dim(sr->ld, sr->row, COL_ATTRS, code, buf, &layer)) != MJ_OK)
		return st;
	const struct mj_dim *ldim = &s->dims[layer];
	if (!(ldim->kind == MJ_DIM_CATEGORY ||
	      (ldim->kind == MJ_DIM_DERIVED && ldim->ncats)) || ldim->multi)
		return fail_at(sr->ld, sr->row, COL_ATTRS,
			"section \"%s\": layer=%s needs a dimension of fixed categories, one per record",
			code, buf);
	if (layer == sr->bys[0] || layer == sr->bys[1] || layer == sr->cols || layer == sr->cols2)
		return fail_at(sr->ld, sr->row, COL_ATTRS,
			"section \"%s\": layer=%s is one of the table's own dimensions", code, buf);
	if (!(sr->sec->layer = strdup(ldim->name)))
		return MJ_E_NOMEM;
	return MJ_OK;
}

/* sum=DIM: the section adds up a whole-number dimension instead of
 * counting records. */
static enum mj_status section_sum(struct section_read *sr, char *buf)
{
	struct mj_schema *s = sr->ld->s;
	int sd = mj_schema_dim_find(s, buf);
	if (sd < 0)
		return fail_at(sr->ld, sr->row, COL_ATTRS, "section \"%s\" sums unknown dimension '%s'",
			       sr->code, buf);
	if (s->dims[sd].kind != MJ_DIM_INTEGER)
		return fail_at(sr->ld, sr->row, COL_ATTRS,
			"section \"%s\": only an integer dimension can be summed ('%s' is not one)",
			sr->code, buf);
	if (!(sr->sec->sum = strdup(buf)))
		return MJ_E_NOMEM;
	return MJ_OK;
}

/* show=FIG,...: what mj-tab's --show takes that the section's table can
 * show. */
static enum mj_status section_show(struct section_read *sr, char *buf)
{
	struct mj_schema_section *sec = sr->sec;
	if (!(sec->show = strdup(buf)))
		return MJ_E_NOMEM;
	size_t n = 0;
	for (char *save = NULL, *w = strtok_r(buf, ",", &save); w;
	     w = strtok_r(NULL, ",", &save)) {
		mj_text_trim(w);
		static const char *const known[] = {"count", "sum", "total%", "row%", "col%",
						    "valid%", "cum%"};
		size_t k = 0;
		while (k < sizeof known / sizeof known[0] && strcmp(w, known[k]) != 0)
			k++;
		const char *why = NULL;
		if (k == sizeof known / sizeof known[0])
			why = MJ_N_("section \"%s\": show=%s: expected count, sum, total%%, row%%, col%%, valid%% or cum%%");
		else if (k == 0 && sec->sum)
			why = MJ_N_("section \"%s\": show=%s: the section sums (show sum)");
		else if (k == 1 && !sec->sum)
			why = MJ_N_("section \"%s\": show=%s: the section counts (show count)");
		else if ((k == 3 || k == 4) && sr->cols < 0)
			why = MJ_N_("section \"%s\": show=%s: row and column percents need a cross-tab (cols=DIM)");
		else if (k == 6 && sr->cols >= 0)
			why = MJ_N_("section \"%s\": show=%s: a cumulative percent needs a one-way table (no cols=)");
		else if (++n > 6)
			why = MJ_N_("section \"%s\": show=%s: at most 6 figures");
		if (why)
			return fail_at(sr->ld, sr->row, COL_ATTRS, why, sr->code, w);
	}
	if (n == 0)
		return fail_at(sr->ld, sr->row, COL_ATTRS, "section \"%s\": show= names no figure%s",
			       sr->code, 0);
	return MJ_OK;
}

/* where=DIM=VALUE[,VALUE...]&...: the records the section counts. A
 * category named must be one of the dimension's, or a typo would count
 * nothing without a word. */
static enum mj_status section_where(struct section_read *sr, char *buf)
{
	struct loader *ld = sr->ld;
	struct mj_schema *s = ld->s;
	struct mj_schema_section *sec = sr->sec;
	const struct mj_csvrow *row = sr->row;
	const char *code = sr->code;
	enum mj_status st = MJ_OK;
	for (char *save = NULL, *w = strtok_r(buf, "&", &save); w;
	     w = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(w, '=');
		if (!eq || eq == w || sec->nwhere == MJ_SECTION_WHERE_MAX)
			return fail_at(ld, row, COL_ATTRS,
				"section \"%s\": where=%s must read DIM=VALUE[,VALUE...], at most 4 joined by &",
				code, w);
		*eq = '\0';
		int wd;
		if ((st = section_dim(ld, row, COL_ATTRS, code, w, &wd)) != MJ_OK)
			return st;
		const struct mj_dim *wdim = &s->dims[wd];
		if (wdim->kind == MJ_DIM_INTEGER)
			return fail_at(ld, row, COL_ATTRS,
				"section \"%s\": '%s' cannot be filtered by value (use a derived group)", code, w);
		if (wdim->kind == MJ_DIM_CATEGORY ||
		    (wdim->kind == MJ_DIM_DERIVED && wdim->ncats)) {
			char *vals = strdup(eq + 1);
			if (!vals)
				return MJ_E_NOMEM;
			for (char *sv = NULL, *v = strtok_r(vals, ",", &sv); v && st == MJ_OK;
			     v = strtok_r(NULL, ",", &sv)) {
				char *key = mj_text_key(v, strlen(v));
				if (key && !mj_schema_key_is_missing(s, key) &&
				    strcmp(v, MJ_CODE_MISSING) != 0 &&
				    mj_schema_key_find(s, (size_t)wd, key) < 0)
					st = fail_at(ld, row, COL_ATTRS,
						"section \"%s\": where names unknown category \"%s\"",
						code, v);
				free(key);
			}
			free(vals);
			if (st != MJ_OK)
				return st;
		}
		*eq = '=';
		if (!(sec->where[sec->nwhere++] = strdup(w)))
			return MJ_E_NOMEM;
	}
	/* A layered table filters each layer by its category, one more
	 * filter than where= holds. */
	if (sec->layer && sec->nwhere == MJ_SECTION_WHERE_MAX)
		return fail_at(ld, row, COL_ATTRS,
			"section \"%s\": layer= takes a filter of its own: at most 3 in where=%s", code, 0);
	return MJ_OK;
}

/* chart=TYPE,...: checked against the table's shape here, so that
 * mj-report fails on the schema rather than on its fourth chart. */
static enum mj_status section_chart(struct section_read *sr, char *buf)
{
	struct mj_schema *s = sr->ld->s;
	struct mj_schema_section *sec = sr->sec;
	const char *code = sr->code;
	int nby = sr->nby, first = sr->first, cols = sr->cols;
	for (char *save = NULL, *c = strtok_r(buf, ",", &save); c;
	     c = strtok_r(NULL, ",", &save)) {
		int type = mj_chart_type_parse(c);
		if (type < 0)
			return fail_at(sr->ld, sr->row, COL_ATTRS,
				"section \"%s\" names unknown chart type \"%s\" (bar, hbar, stacked, pie, donut, line, sunburst or map)",
				code, c);
		if (sec->ncharts == MJ_SECTION_CHARTS_MAX)
			return fail_at(sr->ld, sr->row, COL_ATTRS, "section \"%s\": at most 4 charts%s", code, 0);
		const char *why = NULL;
		if (sr->ncols > 1)
			why = "a table with nested columns (cols=A,B) has no chart; leave chart= out";
		else if (type == MJ_CHART_STACKED && cols < 0)
			why = "a stacked chart needs a cross-tab (cols=DIMENSION)";
		else if (cols >= 0 && type != MJ_CHART_STACKED && type != MJ_CHART_LINE)
			why = "a cross-tab is drawn as stacked or line";
		else if (type == MJ_CHART_SUNBURST && nby != 2)
			why = "a sunburst needs two nested dimensions (by \"place,relationship\")";
		else if (type == MJ_CHART_MAP) {
			/* The back half of buf, past any chart list, holds a
			 * category's tile= while it is looked at. */
			int tiles = 0;
			for (size_t k = 0; nby == 1 && k < s->dims[first].ncats; k++)
				tiles |= attr_get(s->dims[first].cats[k].attrs, "tile",
						  buf + 256, 64) != NULL;
			if (!tiles)
				why = "a map needs one dimension whose categories have tile= positions";
		}
		if (why)
			return fail_at(sr->ld, sr->row, COL_ATTRS, "section \"%s\": %s", code, why);
		sec->charts[sec->ncharts++] = type;
	}
	return MJ_OK;
}

/* sheet=N: the section's place among the workbook's sheets, from 1; a
 * section without it keeps its place in the schema. */
static enum mj_status section_sheet(struct section_read *sr, char *buf)
{
	long n;
	if (mj_parse_whole(buf, 1, 10000, &n) != 0)
		return fail_at(sr->ld, sr->row, COL_ATTRS,
			"section \"%s\": sheet=%s must be a whole number from 1", sr->code, buf);
	sr->sec->sheet = (size_t)n - 1;
	*sr->sheet_given = 1;
	return MJ_OK;
}

/* say=FORM: how the narrative speaks of the section; each form fits only
 * tables of one shape. */
static enum mj_status section_say(struct section_read *sr, char *buf)
{
	struct mj_schema *s = sr->ld->s;
	struct mj_schema_section *sec = sr->sec;
	int nby = sr->nby, first = sr->first;
	static const char *const forms[] = {
		[MJ_SAY_NONE] = "none", [MJ_SAY_HEADLINE] = "headline",
		[MJ_SAY_LIST] = "list", [MJ_SAY_NAMES] = "names",
		[MJ_SAY_NESTED] = "nested", [MJ_SAY_EXTREMES] = "extremes",
		[MJ_SAY_PLACED] = "placed",
	};
	char *arg = strchr(buf, ':');
	if (arg)
		*arg++ = '\0';
	for (size_t f = 1; f < sizeof forms / sizeof forms[0]; f++)
		if (strcmp(buf, forms[f]) == 0)
			sec->say = (int)f;
	const char *why = NULL;
	if (!sec->say || (arg != NULL) != (sec->say == MJ_SAY_PLACED))
		why = "say= must be none, headline, list, names, nested, extremes or placed:CODE";
	else if (sec->say == MJ_SAY_NESTED ? nby != 2 :
		 sec->say != MJ_SAY_NONE && nby != 1)
		why = "say=nested needs two nested dimensions, the other forms one";
	else if (sec->say != MJ_SAY_NONE && (sr->cols >= 0 || sec->nwhere))
		why = "the narrative speaks of tables without cols= or where=";
	else if ((sec->say == MJ_SAY_PLACED) != (sec->sum != NULL))
		why = "say=placed:CODE is for a summed section, and a summed section says only that";
	else if (sec->say == MJ_SAY_PLACED) {
		char *key = mj_text_key(arg, strlen(arg));
		if (!key)
			return MJ_E_NOMEM;
		int c = mj_schema_key_find(s, (size_t)first, key);
		free(key);
		if (c < 0)
			why = "say=placed:CODE names a category of the section's dimension";
		else if (!(sec->say_code = strdup(s->dims[first].cats[c].code)))
			return MJ_E_NOMEM;
	}
	if (why)
		return fail_at(sr->ld, sr->row, COL_ATTRS, "section \"%s\": %s", sr->code, why);
	return MJ_OK;
}

/* The keys a section takes, read in this order: a later key is checked
 * against what an earlier one set (show= and say= against sum=, say=
 * against where=, layer= against cols=). */
static const struct {
	const char *key;
	enum mj_status (*read)(struct section_read *sr, char *buf);
} section_keys[] = {
	{"cols", section_cols},
	{"layer", section_layer},
	{"sum", section_sum},
	{"show", section_show},
	{"where", section_where},
	{"chart", section_chart},
	{"sheet", section_sheet},
	{"say", section_say},
};

/* Fails on a key of attrs that no section takes, so that a misspelt key is
 * not quietly ignored; buf (512 bytes) holds the key for the message. */
static enum mj_status section_unknown(struct section_read *sr, const char *attrs, char *buf,
				      size_t len)
{
	for (const char *p = attrs; *p;) {
		size_t n = strcspn(p, ";");
		size_t k = strcspn(p, "=");
		if (k > n)
			k = n;
		int ok = n == 0;
		for (size_t i = 0; i < sizeof section_keys / sizeof section_keys[0]; i++)
			ok |= strlen(section_keys[i].key) == k &&
			      strncmp(p, section_keys[i].key, k) == 0;
		if (!ok) {
			snprintf(buf, len, "%.*s", (int)k, p);
			return fail_at(sr->ld, sr->row, COL_ATTRS,
				"section \"%s\": unknown attribute \"%s\" (cols, sum, where, chart, sheet, say, show or layer)",
				sr->code, buf);
		}
		p += n;
		if (*p == ';')
			p++;
	}
	return MJ_OK;
}

/* Reads one section row; kinds of dimension and chart shapes are checked
 * here so that mj-report fails on a schema, not halfway through a report. */
static enum mj_status add_section(struct loader *ld, const struct mj_csvrow *row,
				  size_t *sheet_given)
{
	struct mj_schema *s = ld->s;
	struct mj_schema_section *sec = &s->sections[s->nsections];
	memset(sec, 0, sizeof *sec);
	const char *code = field(row, COL_CODE)->text;
	const char *attrs = field(row, COL_ATTRS)->text;
	enum mj_status st;
	if ((st = section_code(ld, row, code)) != MJ_OK)
		return st;
	/* From here on the section owns what it holds. */
	s->nsections++;
	if (!(sec->code = strdup(code)))
		return MJ_E_NOMEM;
	struct section_read sr = {
		.ld = ld, .row = row, .sec = sec, .code = code,
		.nby = 0, .first = -1, .bys = {-1, -1},
		.cols = -1, .ncols = 0, .cols2 = -1,
		.sheet_given = sheet_given,
	};
	if ((st = section_by(&sr)) != MJ_OK)
		return st;
	sec->sheet = s->nsections - 1;
	*sheet_given = 0;
	char buf[512];
	for (size_t i = 0; i < sizeof section_keys / sizeof section_keys[0]; i++)
		if (attr_get(attrs, section_keys[i].key, buf, sizeof buf) &&
		    (st = section_keys[i].read(&sr, buf)) != MJ_OK)
			return st;
	if ((st = section_unknown(&sr, attrs, buf, sizeof buf)) != MJ_OK)
		return st;
	if (*field(row, COL_EN)->text) {
		char *titles[MJ_LANG_COUNT] = {0};
		if (copy_labels(titles, row) != MJ_OK) {
			free_labels(titles);
			return MJ_E_NOMEM;
		}
		for (int l = 0; l < MJ_LANG_COUNT; l++)
			sec->titles[l] = titles[l];
	}
	return MJ_OK;
}

/* Sections, read after every dimension; sheet positions must be unique and
 * within the list. */
static enum mj_status add_sections(struct loader *ld)
{
	struct mj_schema *s = ld->s;
	size_t n = ld->section_rows->len;
	if (n == 0)
		return MJ_OK;
	s->sections = calloc(n, sizeof *s->sections);
	size_t *given = calloc(n, sizeof *given);
	if (!s->sections || !given) {
		free(given);
		return MJ_E_NOMEM;
	}
	enum mj_status st = MJ_OK;
	for (size_t i = 0; i < n && st == MJ_OK; i++)
		st = add_section(ld, &ld->doc->rows[g_array_index(ld->section_rows, size_t, i)],
				 &given[i]);
	for (size_t i = 0; i < n && st == MJ_OK; i++) {
		const struct mj_csvrow *row = &ld->doc->rows[g_array_index(ld->section_rows, size_t, i)];
		char num[32];
		snprintf(num, sizeof num, "%zu", s->sections[i].sheet + 1);
		if (s->sections[i].sheet >= n) {
			st = fail_at(ld, row, COL_ATTRS,
				"section \"%s\": sheet=%s is beyond the number of sections",
				s->sections[i].code, num);
			break;
		}
		for (size_t j = 0; j < i && st == MJ_OK; j++)
			if (s->sections[j].sheet == s->sections[i].sheet) {
				size_t k = given[i] ? i : j;
				row = &ld->doc->rows[g_array_index(ld->section_rows, size_t, k)];
				st = fail_at(ld, row, COL_ATTRS,
					"sheet %s is taken by section \"%s\" too; give each section its own sheet=N",
					num, s->sections[given[i] ? j : i].code);
			}
	}
	free(given);
	return st;
}

static enum mj_status set_default_labels(char **dst, const char *const *values)
{
	for (int l = 0; l < MJ_LANG_COUNT; l++)
		if (!dst[l] && !(dst[l] = strdup(values[l])))
			return MJ_E_NOMEM;
	return MJ_OK;
}

static void loader_free(struct loader *ld)
{
	g_array_free(ld->dim_rows, TRUE);
	g_array_free(ld->cats, TRUE);
	g_array_free(ld->section_rows, TRUE);
	g_hash_table_destroy(ld->codes);
}

struct mj_schema *mj_schema_parse(const char *name, const char *text,
				  size_t len, struct mj_error *err)
{
	struct mj_csvdoc doc;
	if (mj_csvdoc_parse(&doc, name, text, len, ',', 1, err) != MJ_OK)
		return NULL;
	struct mj_schema *s = calloc(1, sizeof *s);
	struct loader ld = {s, name, err, &doc, g_array_new(FALSE, FALSE, sizeof(size_t)),
			    g_array_new(FALSE, FALSE, sizeof(struct pending_cat)),
			    g_array_new(FALSE, FALSE, sizeof(size_t)), 0,
			    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
	enum mj_status st = MJ_OK;
	if (!s)
		goto nomem;
	s->missing = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	s->dim_lookup = g_hash_table_new_full(g_str_hash, g_str_equal, free, NULL);
	if (doc.nrows == 0) {
		mj_error_set(err, MJ_E_SCHEMA, name, 1, 1, "schema is empty");
		goto fail;
	}
	/* The header must name the columns in order, so a schema written for
	 * another layout is caught at once. */
	const struct mj_csvrow *head = &doc.rows[0];
	for (int c = 0; c < NCOLS; c++) {
		const char *got = field(head, c)->text;
		if (strcmp(got, col_names[c]) != 0) {
			mj_error_set(err, MJ_E_SCHEMA, name, head->line,
				     field(head, c)->column ? field(head, c)->column : 1,
				     "schema header column %d must be '%s', got \"%s\"",
				     c + 1, col_names[c], got);
			goto fail;
		}
	}
	for (size_t r = 1; r < doc.nrows; r++) {
		const struct mj_csvrow *row = &doc.rows[r];
		const char *kind = field(row, COL_KIND)->text;
		ld.row = r;
		for (size_t f = 0; f < row->nfields; f++)
			if (strlen(row->fields[f].text) != row->fields[f].len ||
			    !g_utf8_validate(row->fields[f].text, (gssize)row->fields[f].len, NULL)) {
				fail_at(&ld, row, (int)f, "field is not valid UTF-8 text%s%s", 0, 0);
				goto fail;
			}
		if (strcmp(kind, "dimension") == 0)
			st = add_dimension(&ld, row);
		else if (strcmp(kind, "category") == 0)
			st = add_category(&ld, row);
		else if (strcmp(kind, "label") == 0)
			st = add_label(&ld, row);
		else if (strcmp(kind, "schema") == 0) {
			free_labels(s->labels);
			memset(s->labels, 0, sizeof s->labels);
			free(s->code);
			s->code = strdup(field(row, COL_CODE)->text);
			st = s->code ? copy_labels(s->labels, row) : MJ_E_NOMEM;
		} else if (strcmp(kind, "section") == 0) {
			/* Read after the last row, when every dimension is known. */
			g_array_append_val(ld.section_rows, r);
		} else {
			st = fail_at(&ld, row, COL_KIND,
				"unknown row kind \"%s\" (expected schema, label, dimension, category or section)%s",
				kind, 0);
		}
		if (st == MJ_E_NOMEM)
			goto nomem;
		if (st != MJ_OK)
			goto fail;
	}
	if ((st = resolve_dim_parents(&ld)) == MJ_OK &&
	    (st = resolve_cat_parents(&ld)) == MJ_OK)
		st = add_sections(&ld);
	if (st == MJ_E_NOMEM)
		goto nomem;
	if (st != MJ_OK)
		goto fail;
	static const char *const missing[] = {"Not stated", "Не указано", "Koʻrsatilmagan", "Кўрсатилмаган"};
	static const char *const total[] = {"Total", "Всего", "Jami", "Жами"};
	static const char *const unit[] = {"Records", "Записи", "Yozuvlar", "Ёзувлар"};
	static const char *const title[] = {"Records", "Записи", "Yozuvlar", "Ёзувлар"};
	if (set_default_labels(s->missing_labels, missing) != MJ_OK ||
	    set_default_labels(s->total_labels, total) != MJ_OK ||
	    set_default_labels(s->unit_labels, unit) != MJ_OK ||
	    set_default_labels(s->labels, title) != MJ_OK ||
	    (!s->code && !(s->code = strdup("custom"))))
		goto nomem;
	int other;
	claim(s->missing, "", 0, &other);
	loader_free(&ld);
	mj_csvdoc_free(&doc);
	return s;
nomem:
	mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
fail:
	loader_free(&ld);
	mj_csvdoc_free(&doc);
	mj_schema_destroy(s);
	return NULL;
}

struct mj_schema *mj_schema_default(struct mj_error *err)
{
	return mj_schema_parse("<built-in schema>", mj_schema_default_text,
			       mj_schema_default_text_len, err);
}

struct mj_schema *mj_schema_load(const char *path, struct mj_error *err)
{
	char *data;
	size_t len;
	if (mj_read_file(path, 16u << 20, &data, &len, err) != MJ_OK)
		return NULL;
	struct mj_schema *s = mj_schema_parse(path, data, len, err);
	free(data);
	return s;
}

const char *mj_schema_name(const struct mj_schema *s)
{
	return s->labels[MJ_LANG_EN];
}

size_t mj_schema_ndims(const struct mj_schema *s)
{
	return s->ndims;
}

int mj_schema_dim_find(const struct mj_schema *s, const char *text)
{
	char *key = mj_text_key(text, strlen(text));
	if (!key)
		return -1;
	gpointer v = g_hash_table_lookup(s->dim_lookup, key);
	free(key);
	return v ? GPOINTER_TO_INT(v) - 1 : -1;
}

const char *mj_schema_dim_name(const struct mj_schema *s, size_t d)
{
	return s->dims[d].name;
}

const char *mj_schema_dim_label(const struct mj_schema *s, size_t d,
				enum mj_lang lang)
{
	return s->dims[d].labels[(unsigned)lang < MJ_LANG_COUNT ? lang : 0];
}

enum mj_dim_kind mj_schema_dim_kind(const struct mj_schema *s, size_t d)
{
	return s->dims[d].kind;
}

int mj_schema_dim_parent(const struct mj_schema *s, size_t d)
{
	return s->dims[d].parent;
}

size_t mj_schema_ncats(const struct mj_schema *s, size_t d)
{
	return s->dims[d].ncats;
}

const char *mj_schema_cat_code(const struct mj_schema *s, size_t d, size_t c)
{
	return s->dims[d].cats[c].code;
}

const char *mj_schema_cat_label(const struct mj_schema *s, size_t d, size_t c,
				enum mj_lang lang)
{
	return s->dims[d].cats[c].labels[(unsigned)lang < MJ_LANG_COUNT ? lang : 0];
}

const char *mj_schema_missing_label(const struct mj_schema *s, enum mj_lang lang)
{
	return s->missing_labels[(unsigned)lang < MJ_LANG_COUNT ? lang : 0];
}

const char *mj_schema_total_label(const struct mj_schema *s, enum mj_lang lang)
{
	return s->total_labels[(unsigned)lang < MJ_LANG_COUNT ? lang : 0];
}

const char *mj_schema_unit_label(const struct mj_schema *s, enum mj_lang lang)
{
	return s->unit_labels[(unsigned)lang < MJ_LANG_COUNT ? lang : 0];
}

char *mj_schema_table_title(const struct mj_schema *s, const int *dims, size_t nrow,
			    size_t ncol, const char *sum, enum mj_lang lang)
{
	int d = sum ? mj_schema_dim_find(s, sum) : -1;
	GString *t = g_string_new(d >= 0 ? s->dims[d].labels[lang] : s->unit_labels[lang]);
	for (size_t i = 0; i < nrow + ncol; i++) {
		const char *label = s->dims[dims[i]].labels[lang];
		if (lang == MJ_LANG_EN) {
			g_string_append(t, i == 0 ? " by " : i == nrow ? " and " : " › ");
			/* "Appeals by type of violence": lower-case the first letter. */
			g_string_append_c(t, g_ascii_tolower(label[0]));
			g_string_append(t, label + 1);
		} else {
			g_string_append(t, i == 0 ? " — " : i == nrow ? " × " : " › ");
			g_string_append(t, label);
		}
	}
	/* g_string memory is released with free() by the tables. */
	char *out = strdup(t->str);
	g_string_free(t, TRUE);
	return out;
}

int mj_schema_key_is_missing(const struct mj_schema *s, const char *key)
{
	return key[0] == '\0' || g_hash_table_contains(s->missing, key);
}

int mj_schema_key_find(const struct mj_schema *s, size_t d, const char *key)
{
	gpointer v = g_hash_table_lookup(s->dims[d].lookup, key);
	return v ? GPOINTER_TO_INT(v) - 1 : -1;
}

int mj_schema_cat_find(const struct mj_schema *s, size_t d, const char *text)
{
	char *key = mj_text_key(text, strlen(text));
	if (!key)
		return -1;
	int c = mj_schema_key_find(s, d, key);
	free(key);
	return c;
}

/* Score of key against one spelling: the distance to the whole spelling,
 * or to its first word (people type "Tashknt" for "Tashkent city"). */
static void score(const char *key, const char *spelling, size_t limit,
		  size_t *best_part, size_t *best_full)
{
	size_t full = mj_text_distance(key, spelling, 64);
	char word[256];
	snprintf(word, sizeof word, "%s", spelling);
	word[strcspn(word, " ")] = '\0';
	size_t part = mj_text_distance(key, word, limit);
	if (full < part)
		part = full;
	if (part < *best_part || (part == *best_part && full < *best_full)) {
		*best_part = part;
		*best_full = full;
	}
}

int mj_schema_suggest(const struct mj_schema *s, size_t d, const char *key)
{
	const struct mj_dim *dim = &s->dims[d];
	size_t klen = mj_text_width(key, strlen(key));
	size_t limit = klen / 3 > 1 ? klen / 3 : 1;
	if (limit > 4)
		limit = 4;
	int best = -1;
	size_t best_part = limit + 1, best_full = (size_t)-1;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, dim->lookup);
	/* Hash order is arbitrary; ties are broken by schema order below. */
	while (g_hash_table_iter_next(&it, &k, &v)) {
		size_t p2 = (size_t)-1, f2 = (size_t)-1;
		score(key, k, limit, &p2, &f2);
		int c = GPOINTER_TO_INT(v) - 1;
		if (p2 > limit)
			continue;
		if (p2 < best_part || (p2 == best_part && f2 < best_full) ||
		    (p2 == best_part && f2 == best_full && c < best)) {
			best = c;
			best_part = p2;
			best_full = f2;
		}
	}
	return best;
}

const char *mj_schema_cat_attr(const struct mj_schema *s, size_t d, size_t c,
			       const char *key, char *buf, size_t len)
{
	return attr_get(s->dims[d].cats[c].attrs, key, buf, len);
}

int mj_schema_cat_tile(const struct mj_schema *s, size_t d, size_t c,
		       int *col, int *row)
{
	char buf[32];
	const char *v = mj_schema_cat_attr(s, d, c, "tile", buf, sizeof buf);
	if (!v || sscanf(v, "%d:%d", col, row) != 2)
		return -1;
	return 0;
}

int mj_schema_cat_parent(const struct mj_schema *s, size_t d, size_t c)
{
	return s->dims[d].cats[c].parent;
}

const char *mj_schema_title(const struct mj_schema *s, enum mj_lang lang)
{
	return s->labels[(unsigned)lang < MJ_LANG_COUNT ? lang : 0];
}

size_t mj_schema_nsections(const struct mj_schema *s)
{
	return s->nsections;
}

const struct mj_schema_section *mj_schema_section(const struct mj_schema *s, size_t i)
{
	return i < s->nsections ? &s->sections[i] : NULL;
}

const char *mj_schema_say_text(const struct mj_schema *s, const char *code,
			       enum mj_lang lang)
{
	for (guint i = 0; s->say_texts && i < s->say_texts->len; i++) {
		const struct mj_say_text *t = g_ptr_array_index(s->say_texts, i);
		if (strcmp(t->code, code) == 0)
			return t->labels[(unsigned)lang < MJ_LANG_COUNT ? lang : 0];
	}
	return NULL;
}

const char *mj_schema_phrase(const struct mj_schema *s, const char *name,
			     enum mj_lang lang)
{
	for (int i = 0; i < MJ_PHRASE_COUNT; i++)
		if (strcmp(name, mj_phrase_names[i]) == 0)
			return s->phrases[i][(unsigned)lang < MJ_LANG_COUNT ? lang : 0];
	return NULL;
}
