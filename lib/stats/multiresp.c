/* Multi-response dimensions: appeals that name several categories. */
#include "murojaat/multiresp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"
#include "stats_internal.h"

static const char *const W_MENTIONS[] = {"% of mentions", "% упоминаний", "Eslatmalar %", "Эслатмалар %"};

/* Multi-response dimensions --------------------------------------------------- */

int mj_stats_multi_dim(const struct mj_table *t, const struct mj_schema *schema)
{
	for (size_t i = 0; i <= t->ndims; i++) {
		const char *name = i < t->ndims ? t->dims[i] : t->col_dim;
		int d = name ? mj_schema_dim_find(schema, name) : -1;
		if (d >= 0 && schema->dims[d].multi)
			return (int)i;
	}
	return -1;
}

/* Mentions in cell (row r, column c) summed over the categories of the
 * multi-response dimension which ("not stated" left out), and the appeals
 * behind them (the total over which). NAN when the layout has no such
 * sum (nested rows). */
static double mentions_at(const struct mj_table *t, int which, size_t r, size_t c,
			  double *appeals)
{
	*appeals = NAN;
	if ((size_t)which == t->ndims && t->col_dim) {
		double sum = 0;
		for (size_t k = 0; k + 1 < t->ncols; k++)
			if (strcmp(t->col_codes[k], MJ_CODE_MISSING) != 0)
				sum += t->rows[r].values[k];
		*appeals = t->rows[r].values[t->ncols - 1];
		return sum;
	}
	if (which != 0 || t->ndims != 1)
		return NAN;
	double sum = 0;
	for (size_t q = 0; q < t->nrows; q++) {
		const struct mj_table_row *row = &t->rows[q];
		if (row->kind == MJ_ROW_CATEGORY && strcmp(row->codes[0], MJ_CODE_MISSING) != 0)
			sum += row->values[c];
	}
	const struct mj_table_row *total = mj_table_total(t);
	*appeals = total ? total->values[c] : NAN;
	return sum;
}

int mj_stats_multi_used(const struct mj_table *t, int which)
{
	if (which < 0)
		return 0;
	const struct mj_table_row *total = mj_table_total(t);
	if (!total)
		return 0;
	size_t r = (size_t)(total - t->rows);
	double appeals, missing = 0;
	if ((size_t)which == t->ndims) {
		for (size_t k = 0; k + 1 < t->ncols; k++)
			if (strcmp(t->col_codes[k], MJ_CODE_MISSING) == 0)
				missing += total->values[k];
		double m = mentions_at(t, which, r, t->ncols - 1, &appeals);
		return m + missing > appeals + 1e-9;
	}
	/* A row dimension: its rows against the rows one level out (or the
	 * total). */
	double sum = 0, base = 0;
	for (size_t q = 0; q < t->nrows; q++) {
		const struct mj_table_row *row = &t->rows[q];
		if (row->kind == MJ_ROW_TOTAL)
			continue;
		if (row->level == which)
			sum += row->values[t->ncols - 1];
		else if (row->level == which - 1)
			base += row->values[t->ncols - 1];
	}
	if (which == 0)
		base = total->values[t->ncols - 1];
	return sum > base + 1e-9;
}

enum mj_status mj_stats_multi(struct mj_stats *s, const struct mj_table *t,
			      const struct mj_schema *schema, int which,
			      struct mj_error *err)
{
	enum mj_lang lang = stats_lang(t);
	const char *name = (size_t)which < t->ndims ? t->dims[which] : t->col_dim;
	int d = mj_schema_dim_find(schema, name);
	const char *label = d >= 0 ? schema->dims[d].labels[lang] : name;
	const struct mj_table_row *total = mj_table_total(t);
	double appeals = NAN, mentions = NAN;
	s->multi_which = which;
	s->multi_used = mj_stats_multi_used(t, which);
	if (total)
		mentions = mentions_at(t, which, (size_t)(total - t->rows), t->ncols - 1, &appeals);
	if (!isnan(mentions)) {
		struct mj_stat_col *mc = stats_add_col(s, t, "mention_percent", W_MENTIONS[lang], -1, 0, err);
		if (!mc)
			return err ? err->status : MJ_E_NOMEM;
		for (size_t r = 0; r < t->nrows; r++) {
			for (size_t c = 0; c < t->ncols; c++) {
				const struct mj_table_row *row = &t->rows[r];
				double a, m = mentions_at(t, which, r, c, &a);
				int is_total_cell = (size_t)which == t->ndims ? c + 1 == t->ncols
					: row->kind == MJ_ROW_TOTAL;
				int is_missing = (size_t)which == t->ndims
					? strcmp(t->col_codes[c], MJ_CODE_MISSING) == 0
					: mj_table_row_missing(t, row);
				if (!(m > 0) || is_missing || row->suppressed[c])
					continue;
				mc->values[r * t->ncols + c] = is_total_cell ? 100 : 100 * row->values[c] / m;
			}
		}
	}
	static const char *const head[] = {
		"%s is multi-response: an appeal can name several, so counts are appeals naming each and "
		"percents are of appeals (cases); they can sum to over 100",
		"«%s» — множественный ответ: в обращении может быть указано несколько, поэтому числа — это "
		"обращения с каждым значением, а проценты — от обращений; их сумма может превышать 100",
		"\"%s\" — koʻp javobli: murojaatda bir nechtasi koʻrsatilishi mumkin, shuning uchun sonlar — "
		"har birini koʻrsatgan murojaatlar, foizlar — murojaatlardan; ularning yigʻindisi 100 dan oshishi mumkin",
		"«%s» — кўп жавобли: мурожаатда бир нечтаси кўрсатилиши мумкин, шунинг учун сонлар — "
		"ҳар бирини кўрсатган мурожаатлар, фоизлар — мурожаатлардан; уларнинг йиғиндиси 100 дан ошиши мумкин"};
	static const char *const tail[] = {
		" and the Total counts appeals, not mentions (%s mentions by %s appeals); "
		"its percent of appeals is the sum of the percents. \"%s\" is of the mentions (responses).",
		", а «Всего» считает обращения, а не упоминания (%s упоминаний в %s обращениях); "
		"его процент — сумма процентов. «%s» — от числа упоминаний.",
		", «Jami» esa eslatmalarni emas, murojaatlarni sanaydi (%s eslatma, %s murojaat); "
		"uning foizi — foizlar yigʻindisi. \"%s\" — eslatmalar sonidan.",
		", «Жами» эса эслатмаларни эмас, мурожаатларни санайди (%s эслатма, %s мурожаат); "
		"унинг фоизи — фоизлар йиғиндиси. «%s» — эслатмалар сонидан."};
	char note[1024], a[32], m[32];
	int n = snprintf(note, sizeof note, head[lang], label);
	if (n > 0 && (size_t)n < sizeof note) {
		if (!isnan(mentions)) {
			mj_format_number(appeals, 0, lang, a, sizeof a);
			mj_format_number(mentions, 0, lang, m, sizeof m);
			snprintf(note + n, sizeof note - (size_t)n, tail[lang], m, a, W_MENTIONS[lang]);
		} else {
			snprintf(note + n, sizeof note - (size_t)n, ".");
		}
	}
	return mj_stats_note(s, note);
}
