/* Statistics beside tables: intervals of each percent, comparison with
 * another period, and the one call that computes everything asked for
 * (the test, rates and multi-response parts live in their own files). */
#include "murojaat/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/multiresp.h"
#include "murojaat/period.h"
#include "murojaat/population.h"
#include "murojaat/record.h"
#include "schema_internal.h"
#include "stats_internal.h"

/* Headings and marks in the table's language. */
static const char *const W_CI_LOW[] = {"%s%% CI low", "%s%% ДИ от", "%s%% IO quyi", "%s%% ИО қуйи"};
static const char *const W_CI_HIGH[] = {"%s%% CI high", "%s%% ДИ до", "%s%% IO yuqori", "%s%% ИО юқори"};
static const char *const W_COMPARED[] = {"Compared", "Для сравнения", "Taqqoslash", "Таққослаш"};
static const char *const W_CHANGE[] = {"Change", "Изменение", "Oʻzgarish", "Ўзгариш"};
static const char *const W_CHANGE_PCT[] = {"Change %", "Изменение %", "Oʻzgarish %", "Ўзгариш %"};
static const char *const W_NEW[] = {"new", "новое", "yangi", "янги"};


enum mj_status mj_stats_ci(struct mj_stats *s, const struct mj_table *t,
			   double level, enum mj_ci_method method, int valid,
			   struct mj_error *err)
{
	if (mj_table_is_sum(t))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
			"--ci needs counts of appeals: a sum of '%s' is not a number of cases", t->measure);
	enum mj_percent base = t->col_dim || !valid ? mj_table_default_percent(t) : MJ_PCT_VALID;
	enum mj_lang lang = stats_lang(t);
	char title[64], lv[16];
	double shown = level * 100;
	int dec = fabs(shown - round(shown)) < 1e-9 ? 0 : 1;
	mj_format_number(shown, dec, lang, lv, sizeof lv);
	snprintf(title, sizeof title, W_CI_LOW[lang], lv);
	struct mj_stat_col *lo = stats_add_col(s, t, "ci_low", title, -1, 0, err);
	if (!lo)
		return err ? err->status : MJ_E_NOMEM;
	snprintf(title, sizeof title, W_CI_HIGH[lang], lv);
	struct mj_stat_col *hi = stats_add_col(s, t, "ci_high", title, -1, 0, err);
	if (!hi)
		return err ? err->status : MJ_E_NOMEM;
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		for (size_t c = 0; c < t->ncols; c++) {
			/* A percent that is 100 by construction has no interval. */
			if (base == MJ_PCT_ROW ? c + 1 == t->ncols : row->kind == MJ_ROW_TOTAL)
				continue;
			double n = mj_table_percent_base(t, row, c, base);
			double a, b;
			if (isnan(n) || mj_ci_proportion(row->values[c], n, level, method, &a, &b) != 0)
				continue;
			lo->values[r * t->ncols + c] = 100 * a;
			hi->values[r * t->ncols + c] = 100 * b;
		}
	}
	static const char *const fmt[] = {
		"%s%% confidence interval of each %s: %s.",
		"%s%% доверительный интервал для каждого значения (%s): %s.",
		"Har bir ulush uchun %s%% ishonch oraligʻi (IO; %s): %s.",
		"Ҳар бир улуш учун %s%% ишонч оралиғи (ИО; %s): %s."};
	static const char *const what[][3] = {
		{"percent of total", "row percent", "valid percent"},
		{"% от итога", "% по строке", "валидный %"},
		{"jamidan %", "qator %", "haqiqiy %"},
		{"жамидан %", "қатор %", "ҳақиқий %"}};
	static const char *const how[][2] = {
		{"Wilson score", "exact (Clopper-Pearson)"},
		{"метод Уилсона", "точный (Клоппер — Пирсон)"},
		{"Wilson usuli", "aniq (Clopper — Pearson)"},
		{"Уилсон усули", "аниқ (Клоппер — Пирсон)"}};
	char note[512];
	snprintf(note, sizeof note, fmt[lang], lv, what[lang][t->col_dim ? 1 : valid ? 2 : 0],
		 how[lang][method == MJ_CI_EXACT]);
	return mj_stats_note(s, note);
}

/* Comparison with another period -------------------------------------------- */

static int same_codes(const struct mj_table *t, const struct mj_table_row *a,
		      const struct mj_table_row *b)
{
	if (a->kind != b->kind)
		return 0;
	for (size_t i = 0; i < t->ndims; i++)
		if (strcmp(a->codes[i], b->codes[i]) != 0)
			return 0;
	return 1;
}

enum mj_status mj_stats_compare(struct mj_stats *s, const struct mj_table *t,
				const struct mj_table *cmp, struct mj_error *err)
{
	/* Rows and columns are matched by code: open dimensions (district)
	 * may have other values in another period. */
	if (cmp->ndims != t->ndims || (t->col_dim == NULL) != (cmp->col_dim == NULL) ||
	    (!t->col_dim && cmp->ncols != t->ncols))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "the compared table has another shape");
	enum mj_lang lang = stats_lang(t);
	struct mj_stat_col *prev = stats_add_col(s, t, "count_compared", W_COMPARED[lang], 0, 0, err);
	struct mj_stat_col *chg = prev ? stats_add_col(s, t, "change", W_CHANGE[lang], 0, 0, err) : NULL;
	struct mj_stat_col *pct = chg ? stats_add_col(s, t, "percent_change", W_CHANGE_PCT[lang], -1, 1, err) : NULL;
	if (!pct)
		return err ? err->status : MJ_E_NOMEM;
	/* Column codes of a cross-tab are looked up by code: the compared
	 * period has the same schema categories in the same order. */
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		const struct mj_table_row *other = NULL;
		for (size_t q = 0; q < cmp->nrows && !other; q++)
			if (same_codes(t, row, &cmp->rows[q]))
				other = &cmp->rows[q];
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c, oc = c;
			if (t->col_dim) {
				for (oc = 0; oc < cmp->ncols; oc++)
					if (strcmp(cmp->col_codes[oc], t->col_codes[c]) == 0)
						break;
			}
			/* A category absent from the compared table counted none. */
			double before = other && oc < cmp->ncols ? other->values[oc] : 0;
			int hidden = row->suppressed[c] || (other && oc < cmp->ncols && other->suppressed[oc]);
			if (hidden)
				continue; /* NAN: shown as "—", empty in CSV */
			prev->values[i] = before;
			chg->values[i] = row->values[c] - before;
			if (before > 0)
				pct->values[i] = 100 * (row->values[c] - before) / before;
			else
				pct->marks[i] = row->values[c] > 0 ? W_NEW[lang] : "—";
		}
	}
	static const char *const fmt[] = {
		"Compared with %s – %s (n = %s); change = count − compared; \"%s\" where the compared count is 0.",
		"Сравнение с периодом %s\u00a0–\u00a0%s (n = %s); изменение = число − для сравнения; «%s», где для сравнения 0.",
		"%s\u00a0–\u00a0%s davri bilan taqqoslandi (n = %s); oʻzgarish = soni − taqqoslash; taqqoslash 0 boʻlsa «%s».",
		"%s\u00a0–\u00a0%s даври билан таққосланди (n = %s); ўзгариш = сони − таққослаш; таққослаш 0 бўлса «%s»."};
	char note[512], n[32], day[2][32];
	mj_format_number((double)cmp->n_counted, 0, lang, n, sizeof n);
	/* The dates in the language's style: 31.07.2023 in Russian and Uzbek. */
	const char *iso[2] = {cmp->period_from, cmp->period_to};
	for (int k = 0; k < 2; k++)
		mj_format_date(iso[k] ? iso[k] : "?", (enum mj_lang)lang, day[k], sizeof day[k]);
	snprintf(note, sizeof note, fmt[lang], day[0], day[1], n, W_NEW[lang]);
	return mj_stats_note(s, note);
}

/* Everything at once ----------------------------------------------------------- */

const char *mj_table_period_dim(const struct mj_table *t, const struct mj_schema *schema)
{
	for (size_t i = 0; i <= t->ndims; i++) {
		const char *name = i < t->ndims ? t->dims[i] : t->col_dim;
		int d = name ? mj_schema_dim_find(schema, name) : -1;
		if (d >= 0 && schema->dims[d].kind == MJ_DIM_DERIVED &&
		    schema->dims[schema->dims[d].source].kind == MJ_DIM_DATE)
			return name;
	}
	return NULL;
}

/* A note for a table whose rare values of an open dimension were counted
 * together (code "_rare", see mj_tabulate()). */
static enum mj_status note_rare(struct mj_stats *s, const struct mj_table *t)
{
	static const char *const words[] = {
		"Values of %s named by fewer than %ld appeals each are counted together in one row, so that no text typed into that column is printed.",
		"Значения («%s»), указанные менее чем в %ld обращениях каждое, объединены в одну строку, чтобы не печатать введённый в этот столбец текст.",
		"%s ustunining har biri %ld tadan kam murojaatda koʻrsatilgan qiymatlari bitta qatorga birlashtirildi, shu ustunga yozilgan matn chop etilmasligi uchun.",
		"%s устунининг ҳар бири %ld тадан кам мурожаатда кўрсатилган қийматлари битта қаторга бирлаштирилди, шу устунга ёзилган матн чоп этилмаслиги учун."};
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->ndims; i++)
			if (strcmp(t->rows[r].codes[i], "_rare") == 0) {
				char note[512];
				snprintf(note, sizeof note, words[stats_lang(t)],
					 t->dim_labels[i], t->min_cell);
				return mj_stats_note(s, note) == MJ_E_NOMEM ? MJ_E_NOMEM : MJ_OK;
			}
	for (size_t c = 0; t->col_dim && c < t->ncols; c++)
		if (strcmp(t->col_codes[c], "_rare") == 0) {
			char note[512];
			snprintf(note, sizeof note, words[stats_lang(t)],
				 t->col_dim_label ? t->col_dim_label : t->col_dim, t->min_cell);
			return mj_stats_note(s, note) == MJ_E_NOMEM ? MJ_E_NOMEM : MJ_OK;
		}
	return MJ_OK;
}

enum mj_status mj_stats_compute(struct mj_stats *s, const struct mj_table *t,
				const struct mj_stats_opts *o, unsigned percents,
				const struct mj_run_opts *run,
				const struct mj_tab_spec *spec,
				const char *const *files, size_t nfiles,
				struct mj_error *err)
{
	struct mj_schema *own = NULL;
	const struct mj_schema *schema = run->schema;
	struct mj_population *pop = NULL;
	struct mj_table *other = NULL;
	enum mj_status st = MJ_OK;
	s->test_problem[0] = '\0';
	if (!schema) {
		own = mj_schema_default(err);
		if (!own)
			return err ? err->status : MJ_E_SCHEMA;
		schema = own;
	}
	/* Mentions are told apart from appeals only when some appeal named
	 * several categories; otherwise the two are the same table. */
	if (note_rare(s, t) != MJ_OK) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto done;
	}
	int which = mj_stats_multi_dim(t, schema);
	if (which >= 0 && percents && mj_stats_multi_used(t, which) &&
	    (st = mj_stats_multi(s, t, schema, which, err)) != MJ_OK)
		goto done;
	if (o->ci_level > 0) {
		/* Of the percent shown: row percents in a cross-tab, valid
		 * percents when only those are asked for, else of the total. */
		int valid = (percents & (1u << MJ_PCT_VALID)) && !(percents & (1u << MJ_PCT_TOTAL));
		if ((st = mj_stats_ci(s, t, o->ci_level, o->ci_method, valid, err)) != MJ_OK)
			goto done;
	}
	if (o->compare) {
		/* Rows by month, quarter or year are periods themselves: they
		 * would never meet their compared counterparts. */
		const char *name = mj_table_period_dim(t, schema);
		if (name) {
			st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--compare: the table is by '%s', whose rows are periods already; tabulate a longer --period instead",
				name);
			goto done;
		}
		char period[64];
		if ((st = mj_period_compare(run->period, o->compare, period, sizeof period, err)) != MJ_OK)
			goto done;
		for (size_t f = 0; !run->stdin_copy && (f < nfiles || f == 0); f++)
			if (nfiles == 0 || strcmp(files[f], "-") == 0) {
				st = mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					"--compare reads the records twice: give a file, or a copy of standard input (mj_run_copy_stdin)");
				goto done;
			}
		/* The same records, filters and options over the compared
		 * period; its rejected rows were reported by the first pass. */
		struct mj_run_opts again = *run;
		again.period = period;
		again.on_problem = NULL;
		again.on_progress = NULL;
		if ((st = mj_tabulate(&again, files, nfiles, spec, 1, &other, NULL, err)) != MJ_OK ||
		    (st = mj_stats_compare(s, t, other, err)) != MJ_OK)
			goto done;
	}
	if (o->population) {
		pop = mj_population_read(o->population, schema, err);
		if (!pop) {
			st = err ? err->status : MJ_E_PARSE;
			goto done;
		}
		if ((st = mj_stats_rates(s, t, pop, o->rate_per, err)) != MJ_OK)
			goto done;
	}
	if (o->test) {
		struct mj_error terr;
		if (which >= 0 && mj_stats_multi_used(t, which))
			snprintf(s->test_problem, sizeof s->test_problem,
				 "not computed: appeals here name several categories of '%s', so they are counted in several cells and the cells are not independent",
				 (size_t)which < t->ndims ? t->dims[which] : t->col_dim);
		else {
			if ((o->test & MJ_TEST_CHI2) && mj_table_chi2(t, &s->test, &terr) == MJ_OK)
				s->has_test = 1;
			else if (o->test & MJ_TEST_CHI2)
				memcpy(s->test_problem, terr.message, sizeof s->test_problem);
			/* Column proportions at 5%, as SPSS's default. */
			if (o->test & MJ_TEST_PROPS) {
				st = mj_stats_props(s, t, 0.05, &terr);
				if (st == MJ_E_UNSUPPORTED) {
					memcpy(s->test_problem, terr.message, sizeof s->test_problem);
					st = MJ_OK;
				} else if (st != MJ_OK) {
					if (err)
						*err = terr;
					goto done;
				}
			}
		}
	}
done:
	mj_table_destroy(other);
	mj_population_destroy(pop);
	mj_schema_destroy(own);
	return st;
}
