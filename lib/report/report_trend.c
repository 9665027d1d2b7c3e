/* The month in its trend: the counts of the 13 months that end with the
 * report's month, its changes compared with the month before and with the
 * same month a year earlier, the year to date, and the sentences that say
 * them. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "murojaat/period.h"
#include "report_internal.h"
#include "suppress.h"
#include "trend.h"

static const char *const en_months[12] = {"January", "February", "March", "April", "May",
	"June", "July", "August", "September", "October", "November", "December"};
static const char *const ru_nom[12] = {"январь", "февраль", "март", "апрель", "май",
	"июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"};
static const char *const ru_in[12] = {"январе", "феврале", "марте", "апреле", "мае",
	"июне", "июле", "августе", "сентябре", "октябре", "ноябре", "декабре"};
static const char *const ru_dat[12] = {"январю", "февралю", "марту", "апрелю", "маю",
	"июню", "июлю", "августу", "сентябрю", "октябрю", "ноябрю", "декабрю"};
static const char *const uz_months[12] = {"yanvar", "fevral", "mart", "aprel", "may",
	"iyun", "iyul", "avgust", "sentabr", "oktabr", "noyabr", "dekabr"};
static const char *const uzc_months[12] = {"январь", "февраль", "март", "апрель", "май",
	"июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"};
static const char *const short_months[MJ_LANG_COUNT][12] = {
	{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	{"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},
	{"yan", "fev", "mar", "apr", "may", "iyun", "iyul", "avg", "sen", "okt", "noy", "dek"},
	{"янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},
};

char *report_trend_month(const struct report *r, int m, int form, char *buf, size_t len)
{
	int y, mo;
	mj_trend_month_split(m, &y, &mo);
	if (form == 2) {
		snprintf(buf, len, "%s", short_months[r->lang < MJ_LANG_COUNT ? r->lang : 0][mo - 1]);
		return buf;
	}
	/* A no-break space keeps a month with its year. */
	switch (r->lang) {
	case MJ_LANG_RU:
		snprintf(buf, len, "%s%s\u00a0%d\u00a0г.", form == 3 ? "к\u00a0" : "",
			 form == 1 ? ru_in[mo - 1] : form == 3 ? ru_dat[mo - 1] : ru_nom[mo - 1], y);
		break;
	case MJ_LANG_UZ:
		snprintf(buf, len, form == 1 ? "%d-yil\u00a0%s oyida" : form == 3 ? "%d-yil\u00a0%s oyiga nisbatan"
			 : "%d-yil\u00a0%s", y, uz_months[mo - 1]);
		break;
	case MJ_LANG_UZ_CYRL:
		snprintf(buf, len, form == 1 ? "%d\u00a0йил\u00a0%s ойида" : form == 3 ? "%d\u00a0йил\u00a0%s ойига нисбатан"
			 : "%d\u00a0йил\u00a0%s", y, uzc_months[mo - 1]);
		break;
	default:
		snprintf(buf, len, "%s%s\u00a0%d", form == 3 ? "compared with " : "", en_months[mo - 1], y);
	}
	if (form == 4 && g_unichar_islower(g_utf8_get_char(buf))) {
		/* A row of a table starts with a capital, as its other rows do. */
		char up[8];
		int n = g_unichar_to_utf8(g_unichar_toupper(g_utf8_get_char(buf)), up);
		const char *rest = g_utf8_next_char(buf);
		if ((size_t)n == (size_t)(rest - buf))
			memcpy(buf, up, (size_t)n);
	}
	return buf;
}

char *report_trend_range(const struct report *r, int a, int b, char *buf, size_t len)
{
	int ya, ma, yb, mb;
	mj_trend_month_split(a, &ya, &ma);
	mj_trend_month_split(b, &yb, &mb);
	if (a == b)
		return report_trend_month(r, a, 0, buf, len);
	if (ya != yb) {
		char x[64], y[64];
		snprintf(buf, len, "%s – %s", report_trend_month(r, a, 0, x, sizeof x),
			 report_trend_month(r, b, 0, y, sizeof y));
		return buf;
	}
	switch (r->lang) {
	case MJ_LANG_RU:
		snprintf(buf, len, "%s–%s\u00a0%d\u00a0г.", ru_nom[ma - 1], ru_nom[mb - 1], ya);
		break;
	case MJ_LANG_UZ:
		snprintf(buf, len, "%d-yil\u00a0%s–%s", ya, uz_months[ma - 1], uz_months[mb - 1]);
		break;
	case MJ_LANG_UZ_CYRL:
		snprintf(buf, len, "%d\u00a0йил %s–%s", ya, uzc_months[ma - 1], uzc_months[mb - 1]);
		break;
	default:
		snprintf(buf, len, "%s–%s\u00a0%d", en_months[ma - 1], en_months[mb - 1], ya);
	}
	return buf;
}

int report_month_of(const char *code)
{
	int y, m;
	char extra;
	if (!code || sscanf(code, "%4d-%2d%c", &y, &m, &extra) < 2 || m < 1 || m > 12)
		return -1;
	return mj_trend_month(y, m);
}

int report_month_code(const char *code)
{
	return code && strlen(code) == 7 ? report_month_of(code) : -1;
}

/* A copy of the table by month and category with the months shown
 * (tr->first .. tr->last), named as the report names them, and the
 * total of those months; *out NULL when it counts nothing. */
static enum mj_status mix_keep(const struct report *r, const struct mj_table *t,
			       struct mj_table **out)
{
	const struct report_trend *tr = &r->trend;
	*out = NULL;
	struct mj_table *c = mj_table_new(1, (const char *const *)t->dims, t->col_dim, t->ncols,
					  (const char *const *)t->col_codes,
					  (const char *const *)t->col_labels);
	if (!c)
		return MJ_E_NOMEM;
	int ok = mj_table_set(&c->lang, t->lang) == MJ_OK &&
		 mj_table_set(&c->measure, t->measure) == MJ_OK &&
		 mj_table_set(&c->col_dim_label, t->col_dim_label) == MJ_OK &&
		 mj_table_set(&c->dim_labels[0], t->dim_labels ? t->dim_labels[0] : t->dims[0]) == MJ_OK &&
		 mj_table_set(&c->source, r->source) == MJ_OK;
	c->min_cell = t->min_cell;
	double *sum = calloc(t->ncols, sizeof *sum);
	ok = ok && sum;
	double all = 0;
	for (size_t i = 0; ok && i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		int m = row->kind == MJ_ROW_CATEGORY ? report_month_of(row->codes[0]) : -1;
		if (m < tr->first || m > tr->last)
			continue;
		char name[96];
		report_trend_month(r, m, 0, name, sizeof name);
		const char *codes[1] = {row->codes[0]}, *labels[1] = {name};
		struct mj_table_row *nr = mj_table_add_row(c, MJ_ROW_CATEGORY, 0, codes, labels);
		if (!nr) {
			ok = 0;
			break;
		}
		for (size_t k = 0; k < t->ncols; k++) {
			nr->values[k] = row->values[k];
			nr->suppressed[k] = row->suppressed[k];
			sum[k] += row->values[k];
		}
		all += row->values[t->ncols - 1];
	}
	if (ok) {
		const char *codes[1] = {MJ_CODE_TOTAL};
		const char *labels[1] = {mj_schema_total_label(r->schema, r->lang)};
		struct mj_table_row *nr = mj_table_add_row(c, MJ_ROW_TOTAL, 0, codes, labels);
		ok = nr != NULL;
		for (size_t k = 0; ok && k < t->ncols; k++)
			nr->values[k] = sum[k];
		c->n_counted = (unsigned long long)all;
	}
	/* The months shown are a part of those counted, and their total is
	 * new: the cells hidden in all of them may not protect it, and a
	 * total is no small count ("<10" for 114). Suppressed again as a
	 * table of its own, the cells hidden before staying hidden. */
	if (ok && t->min_cell > 1 && mj_table_suppress(c, t->min_cell) != MJ_OK)
		ok = 0;
	free(sum);
	if (!ok) {
		mj_table_destroy(c);
		return MJ_E_NOMEM;
	}
	if (all > 0)
		*out = c;
	else
		mj_table_destroy(c);
	return MJ_OK;
}

void report_trend_free(struct report *r)
{
	mj_table_destroy(r->trend.mix);
	r->trend.mix = NULL;
}

char *report_trend_mix_title(const struct report *r, char *buf, size_t len)
{
	const struct report_trend *tr = &r->trend;
	char range[128];
	report_trend_range(r, tr->first, tr->last, range, sizeof range);
	GString *s = g_string_new(NULL);
	const struct mj_table *t = tr->mix;
	report_append_word(s, r, "mix_title", t && t->col_dim_label ? t->col_dim_label : "", range);
	snprintf(buf, len, "%s", s->str);
	g_string_free(s, TRUE);
	return buf;
}

enum mj_status report_trend_count(struct report *r, const struct mj_run_opts *ro,
				  const char *const *files, size_t nfiles,
				  struct mj_error *err)
{
	struct report_trend *tr = &r->trend;
	memset(tr, 0, sizeof *tr);
	long first, last;
	if (!ro->period || mj_period_parse(ro->period, &first, &last, NULL) != MJ_OK)
		return MJ_OK;
	int y = (int)(last / 10000), mo = (int)(last / 100 % 100), d = (int)(last % 100);
	/* A period that stops within a month has no month to put in a trend;
	 * nor has a register without dates. */
	if (d != mj_days_in_month(y, mo) || !r->stats.data_from[0])
		return MJ_OK;
	tr->last = mj_trend_month(y, mo);
	tr->base = mj_trend_month(y - 1, 1) - 1;
	tr->held = report_month_of(r->stats.data_from);
	if (tr->held < 0)
		return MJ_OK;
	tr->first = tr->last - (REPORT_TREND_SPAN - 1);
	if (tr->first < tr->held)
		tr->first = tr->held > tr->last ? tr->last : tr->held;
	int by, bm;
	mj_trend_month_split(tr->base, &by, &bm);
	char period[32];
	snprintf(period, sizeof period, "%04d-%02d..%04d-%02d", by, bm, y, mo);
	struct mj_run_opts o = *ro;
	o.period = period;
	o.on_problem = NULL;
	o.ctx = NULL;
	o.on_progress = NULL;
	o.strict = 0;
	o.sum = NULL;
	o.top = 0;
	o.hide_empty = 0;
	o.sort = MJ_SORT_SCHEMA;
	/* The main breakdown's mix by month: the first section shown as a
	 * ring (shares of a whole), counted in the same pass; of one month
	 * shown it would be that section again. */
	struct mj_tab_spec spec[2] = {{.by = "month"}};
	size_t nspec = 1;
	for (size_t i = 0; i < r->n && nspec == 1 && tr->last > tr->first; i++) {
		const struct mj_schema_section *sec = r->sections[i];
		if (sec->ncharts && (sec->charts[0] == MJ_CHART_DONUT || sec->charts[0] == MJ_CHART_PIE) &&
		    !sec->cols && !sec->sum && sec->nwhere == 0 && !strchr(sec->by, ',')) {
			spec[nspec++] = (struct mj_tab_spec){.by = "month", .cols = sec->by};
			tr->mix_section = i;
		}
	}
	struct mj_table *made[2] = {NULL, NULL};
	struct mj_run_stats stats;
	enum mj_status st = mj_tabulate(&o, files, nfiles, spec, nspec, made, &stats, err);
	if (st != MJ_OK)
		return st;
	struct mj_table *t = made[0];
	if (made[1]) {
		st = mix_keep(r, made[1], &tr->mix);
		mj_table_destroy(made[1]);
		if (st != MJ_OK) {
			mj_table_destroy(t);
			return mj_error_set(err, st, NULL, 0, 0, "out of memory");
		}
	}
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		int m = row->kind == MJ_ROW_CATEGORY ? report_month_of(row->codes[0]) : -1;
		if (m < tr->base || m > tr->last)
			continue;
		tr->count[m - tr->base] = row->values[0];
		tr->hidden[m - tr->base] = row->suppressed[0] != 0;
	}
	mj_table_destroy(t);
	tr->on = 1;
	return MJ_OK;
}

int report_trend_value(const struct report *r, int m, double *v)
{
	const struct report_trend *tr = &r->trend;
	if (!tr->on || m < tr->base || m > tr->last || m < tr->held || tr->hidden[m - tr->base])
		return 0;
	*v = tr->count[m - tr->base];
	return 1;
}

int report_month_held(const struct report *r, int m)
{
	int y, mo;
	mj_trend_month_split(m, &y, &mo);
	return mj_run_month_held(&r->stats, y, mo);
}

int report_trend_empty(const struct report *r, int m)
{
	const struct report_trend *tr = &r->trend;
	/* Not the month's count, which the filters may make 0: whether the
	 * register holds a record of it at all. */
	return tr->on && m >= tr->held && m >= tr->base && m <= tr->last &&
	       !tr->hidden[m - tr->base] && tr->count[m - tr->base] == 0 &&
	       !report_month_held(r, m);
}

/* Appends to out, separated by ", ", the runs of empty months from a to
 * b ("September–October 2022, December 2022"). */
static void append_empty_runs(GString *out, const struct report *r, int a, int b)
{
	char buf[96];
	for (int m = a; m <= b; m++) {
		if (!report_trend_empty(r, m))
			continue;
		int e = m;
		while (e < b && report_trend_empty(r, e + 1))
			e++;
		if (out->len)
			g_string_append(out, ", ");
		g_string_append(out, report_trend_range(r, m, e, buf, sizeof buf));
		m = e;
	}
}

char *report_trend_gaps(const struct report *r, int a, int b)
{
	GString *gaps = g_string_new(NULL);
	append_empty_runs(gaps, r, a, b);
	GString *s = NULL;
	if (gaps->len) {
		s = g_string_new(NULL);
		report_append_word(s, r, "trend_gap", gaps->str);
	}
	g_string_free(gaps, TRUE);
	return s ? g_string_free(s, FALSE) : NULL;
}

/* The first month a change of the trend is counted from: the month
 * before the first shown, or January of the year before (the year to
 * date's and the year-earlier changes), whichever is earlier. */
static int trend_compared_from(const struct report_trend *tr)
{
	int y, mo;
	mj_trend_month_split(tr->last, &y, &mo);
	int jan_before = mj_trend_month(y - 1, 1);
	return tr->first - 1 < jan_before ? tr->first - 1 : jan_before;
}

int report_trend_has_empty(const struct report *r)
{
	for (int m = trend_compared_from(&r->trend); r->trend.on && m <= r->trend.last; m++)
		if (report_trend_empty(r, m))
			return 1;
	return 0;
}

int report_trend_change(const struct report *r, int m, int against,
			struct mj_trend_change *c)
{
	double a, b;
	/* A month the register holds no appeal for may be a month nobody
	 * entered: "-100%" into it or "+1,405" out of it would say the
	 * appeals fell and rose. No change is given beside it. */
	if (report_trend_empty(r, m) || report_trend_empty(r, against) ||
	    !report_trend_value(r, m, &a) || !report_trend_value(r, against, &b))
		return 0;
	mj_trend_change(a, b, c);
	return 1;
}

static char *num(const struct report *r, double v, char *buf, size_t len)
{
	return mj_format_number(v, -1, r->lang, buf, len);
}

/* "31 (2.6%)", or "3" on a small base: the size of a change, no sign.
 * Uzbek counts it with "ta" ("87 ta (5,9 %) koʻp"), so that no case
 * ending is ever glued to a digit or a bracket. */
static char *change_size(const struct report *r, const struct mj_trend_change *c,
			 char *buf, size_t len)
{
	char n[40], p[40];
	num(r, fabs(c->diff), n, sizeof n);
	if (r->lang == MJ_LANG_UZ || r->lang == MJ_LANG_UZ_CYRL)
		g_strlcat(n, r->lang == MJ_LANG_UZ ? "\u00a0ta" : "\u00a0та", sizeof n);
	if (isnan(c->pct)) {
		snprintf(buf, len, "%s", n);
	} else {
		mj_format_number(fabs(c->pct), 1, r->lang, p, sizeof p);
		snprintf(buf, len, "%s (%s%s%%)", n, p, report_pct_space(r));
	}
	return buf;
}

char *report_trend_change_text(const struct report *r, const struct mj_trend_change *c,
			       char *buf, size_t len)
{
	char n[40], p[40];
	const char *sign = c->diff > 0 ? "+" : c->diff < 0 ? "\u2212" : "±";
	num(r, fabs(c->diff), n, sizeof n);
	if (isnan(c->pct)) {
		snprintf(buf, len, "%s%s", sign, n);
	} else {
		mj_format_number(fabs(c->pct), 1, r->lang, p, sizeof p);
		snprintf(buf, len, "%s%s (%s%s%s%%)", sign, n, sign, p, report_pct_space(r));
	}
	return buf;
}

/* Whether --compare's period is the whole month m: the total's key figure
 * then gives the change against it, and a box of the trend's own would
 * say it again. */
static int compared_month(const struct report *r, int m)
{
	const struct mj_table *pt = r->prev && !r->compare_empty ? r->prev[0] : NULL;
	if (!pt || !pt->period_from || !pt->period_to)
		return 0;
	int y, mo;
	mj_trend_month_split(m, &y, &mo);
	char from[16], to[16];
	snprintf(from, sizeof from, "%04d-%02d-01", y, mo);
	snprintf(to, sizeof to, "%04d-%02d-%02d", y, mo, mj_days_in_month(y, mo));
	return strcmp(pt->period_from, from) == 0 && strcmp(pt->period_to, to) == 0;
}

/* "31 (2.6%) more than in July 2023, about the same" */
static void append_change(GString *s, const struct report *r, const struct mj_trend_change *c,
			  int against)
{
	char size[96], month[96];
	report_trend_month(r, against, 1, month, sizeof month);
	if (c->diff == 0) {
		report_append_word(s, r, "trend_same", month);
		return;
	}
	report_append_word(s, r, c->diff > 0 ? "trend_more" : "trend_fewer", change_size(r, c, size, sizeof size),
		    month);
	if (!c->real)
		g_string_append(s, report_word(r, "trend_about_same"));
}

char *report_trend_sentences(const struct report *r)
{
	const struct report_trend *tr = &r->trend;
	double now;
	if (!tr->on || !report_trend_value(r, tr->last, &now))
		return NULL;
	GString *s = g_string_new(NULL);
	char a[96], b[96], c[96], n[64];
	char *cap;
	report_trend_month(r, tr->last, 1, a, sizeof a);
	report_append_word(s, r, "trend_month_count", num(r, now, n, sizeof n), a);
	/* Against the month before, then a year before (a hidden count has
	 * nothing to compare). */
	static const int back[] = {1, 12};
	size_t parts = 0;
	int missing[2], nmissing = 0;
	for (size_t k = 0; k < 2; k++) {
		int against = tr->last - back[k];
		struct mj_trend_change ch;
		int ok = report_trend_change(r, tr->last, against, &ch);
		if (!ok && against < tr->held)
			missing[nmissing++] = against;
		if (!ok)
			continue;
		if (parts++)
			g_string_append(s, "; ");
		append_change(s, r, &ch, against);
	}
	/* The months before the register's first, said once ("for December
	 * 2022 or January 2022"). */
	if (nmissing) {
		if (parts++)
			g_string_append(s, "; ");
		report_trend_month(r, missing[0], 0, b, sizeof b);
		if (nmissing == 2)
			report_append_word(s, r, "trend_not_held_two", b,
					   report_trend_month(r, missing[1], 0, c, sizeof c));
		else
			report_append_word(s, r, "trend_not_held", b);
	}
	if (!parts) {
		/* No comparison: the count alone, without its separator. */
		while (s->len && (s->str[s->len - 1] == ' ' || s->str[s->len - 1] == ':'))
			g_string_truncate(s, s->len - 1);
		if (g_str_has_suffix(s->str, " —"))
			g_string_truncate(s, s->len - strlen(" —"));
	}
	if (s->len && s->str[s->len - 1] != '.')
		g_string_append_c(s, '.');
	g_string_append_c(s, ' ');
	/* The months shown. */
	int shown = tr->last - tr->first + 1;
	snprintf(n, sizeof n, "%d", shown);
	report_trend_range(r, tr->first, tr->last, a, sizeof a);
	if (shown == 1)
		report_append_word(s, r, "trend_span_one", report_trend_month(r, tr->held, 0, c, sizeof c),
				   a);
	else if (tr->first > tr->last - (REPORT_TREND_SPAN - 1))
		report_append_word(s, r, "trend_span_short", report_trend_month(r, tr->held, 0, c, sizeof c),
			    n, a);
	else
		report_append_word(s, r, "trend_span_full", n, a);
	/* Months shown, after the register's first, in which no appeal is
	 * counted: a 0 that may be a month nobody entered, not a month
	 * without appeals. */
	GString *gaps = g_string_new(NULL);
	append_empty_runs(gaps, r, trend_compared_from(tr), tr->last);
	if (gaps->len) {
		g_string_append_c(s, ' ');
		report_append_word(s, r, "trend_gap", gaps->str);
	}
	g_string_free(gaps, TRUE);
	/* The year to date against the same months of the year before
	 * (none in January: the month is the year so far). */
	int y, mo;
	mj_trend_month_split(tr->last, &y, &mo);
	int jan = mj_trend_month(y, 1);
	if (mo > 1) {
		double ytd = 0, before = 0, v;
		int known = 1, known_before = 1, empty = 0;
		for (int m = jan; m <= tr->last; m++) {
			known &= report_trend_value(r, m, &v);
			ytd += known ? v : 0;
			known_before &= report_trend_value(r, m - 12, &v);
			before += known_before ? v : 0;
			empty |= report_trend_empty(r, m) || report_trend_empty(r, m - 12);
		}
		if (known) {
			g_string_append_c(s, ' ');
			report_append_word(s, r, "trend_ytd", report_trend_range(r, jan, tr->last, a, sizeof a),
				    num(r, ytd, n, sizeof n));
			report_trend_range(r, jan - 12, tr->last - 12, a, sizeof a);
			if (known_before && empty) {
				/* A month nobody entered would make the change. */
				GString *months = g_string_new(NULL);
				append_empty_runs(months, r, jan - 12, tr->last - 12);
				append_empty_runs(months, r, jan, tr->last);
				report_append_word(s, r, "trend_ytd_gap", months->str);
				g_string_free(months, TRUE);
			} else if (known_before) {
				struct mj_trend_change ch;
				mj_trend_change(ytd, before, &ch);
				char size[96];
				change_size(r, &ch, size, sizeof size);
				/* "as many as in ..." takes the months alone: a
				 * format that skips an argument is refused. */
				if (ch.diff == 0)
					report_append_word(s, r, "trend_ytd_same", a);
				else
					report_append_word(s, r, ch.diff > 0 ? "trend_ytd_more"
							   : "trend_ytd_fewer", size, a);
				if (ch.diff != 0 && !ch.real)
					g_string_append(s, report_word(r, "trend_about_same"));
			} else if (jan - 12 < tr->held) {
				report_append_word(s, r, "trend_ytd_not_held", a);
			}
			if (s->str[s->len - 1] != '.')
				g_string_append_c(s, '.');
		}
	}
	/* A sentence starts with a capital ("2023-yil", "Обращений" already do). */
	cap = g_string_free(s, FALSE);
	if (cap[0] >= 'a' && cap[0] <= 'z')
		cap[0] = (char)(cap[0] - 'a' + 'A');
	return cap;
}

char *report_trend_method(const struct report *r)
{
	if (!r->trend.on)
		return NULL;
	char alpha[32], base[32];
	mj_format_number(MJ_TREND_ALPHA, 2, r->lang, alpha, sizeof alpha);
	snprintf(base, sizeof base, "%d", MJ_TREND_MIN_BASE);
	GString *s = g_string_new(NULL);
	report_append_word(s, r, "trend_method", alpha, base);
	return g_string_free(s, FALSE);
}

void report_trend_figures(const struct report *r, struct report_figures *kf)
{
	const struct report_trend *tr = &r->trend;
	if (!tr->on)
		return;
	static const int back[] = {1, 12};
	for (size_t k = 0; k < 2 && kf->n < REPORT_FIGURES_MAX; k++) {
		struct mj_trend_change c;
		int against = tr->last - back[k];
		if (compared_month(r, against) || !report_trend_change(r, tr->last, against, &c))
			continue;
		char month[96], n[40];
		GString *lab = g_string_new(NULL);
		/* The count large; its percent beside what it is compared with. */
		const char *sign = c.diff > 0 ? "+" : c.diff < 0 ? "\u2212" : "±";
		/* Uzbek says what it is compared with first: "2023-yil iyul oyiga nisbatan
		 * +5,9 %". */
		int on_first = r->lang == MJ_LANG_UZ || r->lang == MJ_LANG_UZ_CYRL;
		if (on_first)
			g_string_append(lab, report_trend_month(r, against, 3, month, sizeof month));
		if (!isnan(c.pct)) {
			mj_format_number(fabs(c.pct), 1, r->lang, n, sizeof n);
			g_string_append_printf(lab, on_first ? " %s%s%s%%" : "%s%s%s%% ", sign, n,
					       report_pct_space(r));
		}
		if (!on_first)
			g_string_append(lab, report_trend_month(r, against, 3, month, sizeof month));
		if (c.diff != 0 && !c.real)
			g_string_append_printf(lab, " · %s", report_word(r, "trend_k_same"));
		mj_format_number(fabs(c.diff), -1, r->lang, n, sizeof n);
		snprintf(kf->num[kf->n], sizeof kf->num[0], "%s%s", sign, n);
		snprintf(kf->lab[kf->n++], sizeof kf->lab[0], "%s", lab->str);
		g_string_free(lab, TRUE);
	}
	int y, mo;
	mj_trend_month_split(tr->last, &y, &mo);
	int jan = mj_trend_month(y, 1);
	double ytd = 0, v;
	for (int m = jan; m <= tr->last; m++)
		if (!report_trend_value(r, m, &v))
			return;
		else
			ytd += v;
	if (mo == 1 || kf->n >= REPORT_FIGURES_MAX)
		return;
	char a[96];
	GString *lab = g_string_new(NULL);
	report_append_word(lab, r, "trend_k_ytd", report_trend_range(r, jan, tr->last, a, sizeof a));
	num(r, ytd, kf->num[kf->n], sizeof kf->num[0]);
	snprintf(kf->lab[kf->n++], sizeof kf->lab[0], "%s", lab->str);
	g_string_free(lab, TRUE);
}

char *report_trend_title(const struct report *r, char *title, size_t tlen)
{
	char range[128];
	report_trend_range(r, r->trend.first, r->trend.last, range, sizeof range);
	/* The format comes from the trend's word table. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(title, tlen, report_word(r, "trend_title"), range);
#pragma GCC diagnostic pop
	return title;
}

int report_trend_sheet(const struct report *r, struct report_trend_sheet *ts)
{
	const struct report_trend *tr = &r->trend;
	memset(ts, 0, sizeof *ts);
	if (!tr->on)
		return 0;
	report_trend_title(r, ts->title, sizeof ts->title);
	struct mj_xlsx_trend *x = &ts->x;
	x->sheet = report_word(r, "trend_sheet");
	x->title = ts->title;
	static const char *const heads[] = {"trend_month", "trend_appeals", "trend_on_prev",
					     "trend_pct_prev", "trend_on_year", "trend_pct_year"};
	for (size_t k = 0; k < 6; k++)
		x->heads[k] = report_word(r, heads[k]);
	x->year_ago = -1;
	size_t n = 0;
	int same = 0;
	for (int m = tr->first; m <= tr->last && n < REPORT_TREND_SPAN; m++, n++) {
		mj_trend_month_split(m, &ts->year[n], &ts->month[n]);
		double v;
		ts->count[n] = report_trend_value(r, m, &v) ? v : NAN;
		struct mj_trend_change c;
		ts->pd[n] = ts->pp[n] = ts->yd[n] = ts->yp[n] = NAN;
		if (report_trend_change(r, m, m - 1, &c)) {
			ts->pd[n] = c.diff;
			ts->pp[n] = c.pct;
			ts->prev_same[n] = mj_trend_within_chance(&c);
		}
		if (report_trend_change(r, m, m - 12, &c)) {
			ts->yd[n] = c.diff;
			ts->yp[n] = c.pct;
			ts->year_same[n] = mj_trend_within_chance(&c);
		}
		same |= ts->prev_same[n] | ts->year_same[n];
		if (m == tr->last)
			x->highlight = n;
		if (m == tr->last - 12)
			x->year_ago = (long)n;
	}
	x->n = n;
	x->year = ts->year;
	x->month = ts->month;
	x->count = ts->count;
	x->prev_diff = ts->pd;
	x->prev_pct = ts->pp;
	x->year_diff = ts->yd;
	x->year_pct = ts->yp;
	x->prev_same = ts->prev_same;
	x->year_same = ts->year_same;
	/* The notes of the marks the table shows. */
	ts->note[0] = '\0';
	if (same)
		g_strlcat(ts->note, report_word(r, "trend_legend_same"), sizeof ts->note);
	if (report_trend_has_empty(r)) {
		if (same)
			g_strlcat(ts->note, " ", sizeof ts->note);
		g_strlcat(ts->note, report_word(r, "trend_legend_gap"), sizeof ts->note);
	}
	x->note = ts->note[0] ? ts->note : NULL;
	return 1;
}

int report_trend_section(const struct report *r, size_t sec)
{
	const struct mj_schema_section *s = r->sections[sec];
	return r->trend.on && strcmp(s->by, "month") == 0 && !s->cols && !s->sum &&
	       s->nwhere == 0;
}
