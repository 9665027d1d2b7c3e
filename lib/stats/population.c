/* Population files and rates per population beside a table. */
#include "murojaat/population.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvdoc.h"
#include "schema_internal.h"
#include "stats_internal.h"
#include "text.h"

static const char *const W_POPULATION[] = {"Population", "Население", "Aholi", "Аҳоли"};
static const char *const W_RATE[] = {"Rate per %s", "На %s жителей", "%s aholiga", "%s аҳолига"};
static const char *const W_NO_POP[] = {"no population", "нет данных о населении",
				       "aholi soni yoʻq", "аҳоли сони йўқ"};
static const char *const W_PART_POP[] = {"partial population", "неполные данные о населении",
					 "aholi soni toʻliq emas", "аҳоли сони тўлиқ эмас"};

/* Population tables ---------------------------------------------------------- */

#define POP_MAXD 4

struct mj_population {
	const struct mj_schema *schema;
	size_t ndims;
	int dims[POP_MAXD];      /* schema dimensions */
	char *path;
	size_t nrows;
	int *cats;               /* nrows * ndims category indices */
	double *pop;             /* nrows */
};

void mj_population_destroy(struct mj_population *p)
{
	if (!p)
		return;
	free(p->path);
	free(p->cats);
	free(p->pop);
	free(p);
}

struct mj_population *mj_population_parse(const char *path, const char *text,
					  size_t len,
					  const struct mj_schema *schema,
					  struct mj_error *err)
{
	struct mj_csvdoc doc = {0};
	struct mj_population *p = calloc(1, sizeof *p);
	if (!p) {
		mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	p->schema = schema;
	p->path = strdup(path);
	if (!p->path) {
		mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	if (mj_csvdoc_parse(&doc, path, text, len, 0, 1, err) != MJ_OK)
		goto fail;
	if (doc.nrows < 2) {
		mj_error_set(err, MJ_E_EMPTY, path, doc.nrows ? doc.rows[0].line : 1, 1,
			     "no population figures (expected a header and rows: region,population)");
		goto fail;
	}
	const struct mj_csvrow *head = &doc.rows[0];
	/* Which population dimension each header field is. A header has at
	 * most POP_MAXD dimensions and one population column: a longer one
	 * fails below before its fields are recorded here. */
	int pop_col = -1, col_dim[POP_MAXD + 1];
	for (size_t f = 0; f < head->nfields; f++) {
		const struct mj_csvfield *fd = &head->fields[f];
		char *key = mj_text_key(fd->text, fd->len);
		int is_pop = key && (strcmp(key, "population") == 0 || strcmp(key, "население") == 0 ||
				     strcmp(key, "aholi") == 0 || strcmp(key, "аҳоли") == 0);
		free(key);
		if (is_pop) {
			if (pop_col >= 0) {
				mj_error_set(err, MJ_E_PARSE, path, fd->line, fd->column,
					     "a second population column");
				goto fail;
			}
			pop_col = (int)f;
			continue;
		}
		int d = mj_schema_dim_find(schema, fd->text);
		if (d < 0 || schema->dims[d].kind == MJ_DIM_ID || schema->dims[d].kind == MJ_DIM_DATE ||
		    schema->dims[d].kind == MJ_DIM_INTEGER || schema->dims[d].ncats == 0) {
			mj_error_set(err, MJ_E_PARSE, path, fd->line, fd->column,
				"column '%s' is not a dimension with categories (expected e.g. region, sex, age_group and population)",
				fd->text);
			goto fail;
		}
		for (size_t i = 0; i < p->ndims; i++)
			if (p->dims[i] == d) {
				mj_error_set(err, MJ_E_PARSE, path, fd->line, fd->column,
					     "duplicate column for '%s'", schema->dims[d].name);
				goto fail;
			}
		if (p->ndims == POP_MAXD) {
			mj_error_set(err, MJ_E_LIMIT, path, fd->line, fd->column,
				     "more than %d dimensions", POP_MAXD);
			goto fail;
		}
		if (f > POP_MAXD) {
			mj_error_set(err, MJ_E_LIMIT, path, fd->line, fd->column,
				     "more than %d dimensions", POP_MAXD);
			goto fail;
		}
		col_dim[f] = (int)p->ndims;
		p->dims[p->ndims++] = d;
	}
	if (pop_col < 0 || p->ndims == 0 || head->nfields != p->ndims + 1) {
		mj_error_set(err, MJ_E_PARSE, path, head->line, 1,
			     pop_col < 0 ? "no 'population' column in the header"
					 : "no dimension column in the header (e.g. region)");
		goto fail;
	}
	p->cats = malloc((doc.nrows - 1) * p->ndims * sizeof *p->cats);
	p->pop = malloc((doc.nrows - 1) * sizeof *p->pop);
	if (!p->cats || !p->pop) {
		mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	for (size_t r = 1; r < doc.nrows; r++) {
		const struct mj_csvrow *row = &doc.rows[r];
		if (row->nfields != head->nfields) {
			mj_error_set(err, MJ_E_PARSE, path, row->line, 1,
				     "%zu fields where the header has %zu", row->nfields, head->nfields);
			goto fail;
		}
		int *cats = &p->cats[p->nrows * p->ndims];
		for (size_t f = 0; f < row->nfields; f++) {
			const struct mj_csvfield *fd = &row->fields[f];
			if ((int)f == pop_col) {
				char *end;
				errno = 0;
				double v = strtod(fd->text, &end);
				while (*end == ' ')
					end++;
				if (end == fd->text || *end || errno || !(v >= 0) || !isfinite(v)) {
					mj_error_set(err, MJ_E_VALUE, path, fd->line, fd->column,
						     "population \"%.40s\" is not a number of people", fd->text);
					goto fail;
				}
				p->pop[p->nrows] = v;
				continue;
			}
			int i = col_dim[f];
			int d = p->dims[i];
			int c = mj_schema_cat_find(schema, (size_t)d, fd->text);
			if (c < 0) {
				char *key = mj_text_key(fd->text, fd->len);
				int sug = key ? mj_schema_suggest(schema, (size_t)d, key) : -1;
				free(key);
				if (sug >= 0)
					mj_error_set(err, MJ_E_VALUE, path, fd->line, fd->column,
						"'%s' has no value \"%.40s\" (did you mean \"%s\"?)",
						schema->dims[d].name, fd->text, schema->dims[d].cats[sug].code);
				else
					mj_error_set(err, MJ_E_VALUE, path, fd->line, fd->column,
						"'%s' has no value \"%.40s\"", schema->dims[d].name, fd->text);
				goto fail;
			}
			cats[i] = c;
		}
		for (size_t q = 0; q < p->nrows; q++)
			if (memcmp(&p->cats[q * p->ndims], cats, p->ndims * sizeof *cats) == 0) {
				mj_error_set(err, MJ_E_VALUE, path, row->line, 1,
					     "the same categories as an earlier row (line %lu)",
					     doc.rows[q + 1].line);
				goto fail;
			}
		p->nrows++;
	}
	mj_csvdoc_free(&doc);
	return p;
fail:
	mj_csvdoc_free(&doc);
	mj_population_destroy(p);
	return NULL;
}

struct mj_population *mj_population_read(const char *path,
					 const struct mj_schema *schema,
					 struct mj_error *err)
{
	char *data;
	size_t len;
	if (mj_read_file(path, 64u << 20, &data, &len, err) != MJ_OK)
		return NULL;
	struct mj_population *p = mj_population_parse(path, data, len, schema, err);
	free(data);
	return p;
}

/* Which categories of each population dimension a cell admits: from the
 * cell's codes and from the table's filters. */
struct pop_query {
	unsigned char *allow[POP_MAXD]; /* NULL: any */
	int none;                       /* the cell has no population */
};

static int query_restrict(struct pop_query *q, const struct mj_population *p, size_t i,
			  const unsigned char *set)
{
	size_t n = p->schema->dims[p->dims[i]].ncats;
	if (!q->allow[i]) {
		q->allow[i] = malloc(n ? n : 1);
		if (!q->allow[i])
			return -1;
		memset(q->allow[i], 1, n);
	}
	for (size_t c = 0; c < n; c++)
		q->allow[i][c] &= set[c];
	return 0;
}

/* Restricts q for dimension name = code (a table code). */
static int query_code(struct pop_query *q, const struct mj_population *p,
		      const char *name, const char *code)
{
	if (strcmp(code, MJ_CODE_TOTAL) == 0)
		return 0;
	int d = mj_schema_dim_find(p->schema, name);
	size_t i = 0;
	while (i < p->ndims && p->dims[i] != d)
		i++;
	if (i == p->ndims || strcmp(code, MJ_CODE_MISSING) == 0) {
		q->none = 1;
		return 0;
	}
	int c = mj_schema_cat_find(p->schema, (size_t)d, code);
	if (c < 0) {
		q->none = 1; /* "Other" of --top and values outside the schema */
		return 0;
	}
	size_t n = p->schema->dims[d].ncats;
	unsigned char *set = calloc(n ? n : 1, 1);
	if (!set)
		return -1;
	set[c] = 1;
	int rc = query_restrict(q, p, i, set);
	free(set);
	return rc;
}

/* Restricts q by filters "dim=a,b; dim2=c" on the file's dimensions. */
static int query_filters(struct pop_query *q, const struct mj_population *p,
			 const char *filters)
{
	if (!filters)
		return 0;
	char *copy = strdup(filters);
	if (!copy)
		return -1;
	int rc = 0;
	for (char *save = NULL, *f = strtok_r(copy, ";", &save); f && rc == 0;
	     f = strtok_r(NULL, ";", &save)) {
		while (*f == ' ')
			f++;
		char *eq = strchr(f, '=');
		if (!eq)
			continue;
		*eq = '\0';
		int d = mj_schema_dim_find(p->schema, f);
		size_t i = 0;
		while (i < p->ndims && p->dims[i] != d)
			i++;
		if (i == p->ndims)
			continue;
		size_t n = p->schema->dims[d].ncats;
		unsigned char *set = calloc(n ? n : 1, 1);
		if (!set) {
			rc = -1;
			break;
		}
		for (char *s2 = NULL, *v = strtok_r(eq + 1, ",", &s2); v; v = strtok_r(NULL, ",", &s2)) {
			int c = mj_schema_cat_find(p->schema, (size_t)d, v);
			if (c >= 0)
				set[c] = 1;
		}
		rc = query_restrict(q, p, i, set);
		free(set);
	}
	free(copy);
	return rc;
}

static double query_sum(const struct pop_query *q, const struct mj_population *p)
{
	double sum = 0;
	for (size_t r = 0; r < p->nrows; r++) {
		int ok = 1;
		for (size_t i = 0; i < p->ndims && ok; i++)
			ok = !q->allow[i] || q->allow[i][p->cats[r * p->ndims + i]];
		if (ok)
			sum += p->pop[r];
	}
	return sum;
}

/* Whether the cell (row r, column c) is a category of every dimension,
 * not "not stated" and not a total. */
static int stated_leaf(const struct mj_table *t, size_t r, size_t c)
{
	const struct mj_table_row *row = &t->rows[r];
	if (row->kind != MJ_ROW_CATEGORY ||
	    (t->col_dim && (c + 1 == t->ncols || strcmp(t->col_codes[c], MJ_CODE_MISSING) == 0)))
		return 0;
	for (size_t k = 0; k < t->ndims; k++)
		if (strcmp(row->codes[k], MJ_CODE_MISSING) == 0)
			return 0;
	return 1;
}

/* A total (or subtotal) adds up categories. When the population file has
 * the dimension but lacks some of the categories that count appeals, the
 * total's appeals include some with no population in its divisor: its
 * rate would be too high, so it is withdrawn and marked. (When the file
 * has none of the categories, the total's rate is the overall one, and
 * stays.) Returns how many rates were withdrawn. */
static size_t rates_partial(const struct mj_table *t, struct mj_stat_col *pc,
			    struct mj_stat_col *rc, const char *mark)
{
	size_t withdrawn = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		/* The rows this one adds up: all for the total, the nested
		 * rows below a subtotal, itself otherwise. */
		size_t r0 = r, r1 = r + 1;
		if (row->kind == MJ_ROW_TOTAL) {
			r0 = 0;
			r1 = t->nrows;
		} else if (row->kind == MJ_ROW_SUBTOTAL) {
			while (r1 < t->nrows && t->rows[r1].kind != MJ_ROW_TOTAL &&
			       t->rows[r1].level > row->level)
				r1++;
		}
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			int total_col = t->col_dim && c + 1 == t->ncols;
			if ((row->kind == MJ_ROW_CATEGORY && !total_col) || isnan(pc->values[i]))
				continue;
			size_t c0 = total_col ? 0 : c, c1 = total_col ? t->ncols - 1 : c + 1;
			int with = 0, without = 0;
			for (size_t q = r0; q < r1; q++)
				for (size_t k = c0; k < c1; k++) {
					if (!stated_leaf(t, q, k))
						continue;
					size_t j = q * t->ncols + k;
					if (!isnan(pc->values[j]))
						with = 1;
					else if (t->rows[q].values[k] > 0 || t->rows[q].suppressed[k])
						without = 1;
				}
			if (with && without) {
				rc->values[i] = NAN;
				rc->marks[i] = mark;
				withdrawn++;
			}
		}
	}
	return withdrawn;
}

enum mj_status mj_stats_rates(struct mj_stats *s, const struct mj_table *t,
			      const struct mj_population *p, double per,
			      struct mj_error *err)
{
	char title[64], perbuf[32];
	mj_format_number(per, per == floor(per) ? 0 : 2, stats_lang(t), perbuf, sizeof perbuf);
	enum mj_lang lang = stats_lang(t);
	struct mj_stat_col *pc = stats_add_col(s, t, "population", W_POPULATION[lang], 0, 1, err);
	snprintf(title, sizeof title, W_RATE[lang], perbuf);
	struct mj_stat_col *rc = pc ? stats_add_col(s, t, "rate", title, 2, 1, err) : NULL;
	if (!rc)
		return err ? err->status : MJ_E_NOMEM;
	size_t marked = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			struct pop_query q = {0};
			int fail = query_filters(&q, p, t->filters);
			for (size_t k = 0; k < t->ndims && !fail; k++)
				fail = query_code(&q, p, t->dims[k], row->codes[k]);
			if (!fail && t->col_dim)
				fail = query_code(&q, p, t->col_dim, t->col_codes[c]);
			double pop = fail || q.none ? 0 : query_sum(&q, p);
			for (size_t k = 0; k < POP_MAXD; k++)
				free(q.allow[k]);
			if (fail)
				return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
			if (!(pop > 0)) {
				pc->marks[i] = "—";
				rc->marks[i] = W_NO_POP[lang];
				marked++;
				continue;
			}
			pc->values[i] = pop;
			if (!row->suppressed[c])
				rc->values[i] = row->values[c] / pop * per;
		}
	}
	size_t partial = rates_partial(t, pc, rc, W_PART_POP[lang]);
	static const char *const fmt[] = {
		"Rate = count / population × %s; population from %s",
		"Показатель = число / население × %s; население из %s",
		"Koʻrsatkich = soni / aholi × %s; aholi %s faylidan",
		"Кўрсаткич = сони / аҳоли × %s; аҳоли %s файлидан"};
	static const char *const none[] = {
		"; \"%s\": the file has no figure for that category",
		"; «%s»: в файле нет данных для этой категории",
		"; \"%s\": faylda bu toifa uchun raqam yoʻq",
		"; «%s»: файлда бу тоифа учун рақам йўқ"};
	char note[1024];
	int n = snprintf(note, sizeof note, fmt[lang], perbuf, p->path);
	static const char *const part[] = {
		"; \"%s\": a total over categories some of which the file lacks",
		"; «%s»: итог по категориям, для части которых в файле нет данных",
		"; \"%s\": baʼzi toifalari faylda yoʻq boʻlgan jami",
		"; «%s»: баъзи тоифалари файлда йўқ бўлган жами"};
	if (marked && n > 0 && (size_t)n < sizeof note)
		n += snprintf(note + n, sizeof note - (size_t)n, none[lang], W_NO_POP[lang]);
	if (partial && n > 0 && (size_t)n < sizeof note)
		snprintf(note + n, sizeof note - (size_t)n, part[lang], W_PART_POP[lang]);
	strncat(note, ".", sizeof note - strlen(note) - 1);
	return mj_stats_note(s, note);
}
