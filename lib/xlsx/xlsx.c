/* Excel workbooks from tables, written with libxlsxwriter (coded against
 * Debian's 1.1.4): live formulas with cached values, totals, charts, an
 * About sheet, and an all-or-nothing write through a temporary file. */
#include "murojaat/xlsx.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <xlsxwriter.h>

#include "murojaat/charttype.h"
#include "murojaat/outfile.h"
#include "murojaat/relabel.h"
#include "murojaat/period.h"
#include "murojaat/stats.h"
#include "suppress.h"
#include "text.h"
#include "xlsx_trend.h"

/* Sheet layout: a title, a line saying what was counted, a line for the
 * column dimension of a cross-tab, then the header and the rows. */
#define ROW_TITLE 0
#define ROW_COUNTED 1
#define ROW_COLDIM 2
#define ROW_HEADER 3
#define ROW_FIRST 4

/* Excel's limits (rows per sheet, columns, characters in a formula). */
#define XL_MAX_ROWS 1048576u
#define XL_MAX_COLS 16384u
#define XL_MAX_FORMULA 8000u

/* Words of the workbook itself, in every language of the schema. */
enum word {
	W_COUNT, W_PCT, W_VALID, W_WITHIN, W_ROW_PCT, W_COL_PCT, W_TOTAL,
	W_COUNTED, W_SUM_OF, W_PERIOD, W_FILTERS, W_NONE, W_SUPPRESS,
	W_ABOUT, W_PROGRAM, W_SCHEMA, W_INPUTS, W_READ, W_REJECTED,
	W_THRESHOLD, W_DATE, W_SHEETS, W_NOTE_FORMULAS, W_NOTE_SUPPRESS,
	W_STATS, W_TEST, W_CHI2, W_DF, W_P, W_V, W_N_TESTED, W_NOT_TESTED,
	W_TESTED_ON, W_NOTE_STATS, W_ABOUT_SHEET, W_CUM,
	W_COUNT_WORDS
};

static const char *const words[W_COUNT_WORDS][MJ_LANG_COUNT] = {
	[W_COUNT] = {"Count", "Число", "Soni", "Сони"},
	[W_PCT] = {"%", "%", "%", "%"},
	[W_VALID] = {"Valid %", "% от указанных", "Koʻrsatilganlardan %",
		     "Кўрсатилганлардан %"},
	[W_WITHIN] = {"% within group", "% внутри группы", "Guruh ichida %",
		      "Гуруҳ ичида %"},
	[W_ROW_PCT] = {"Row %", "% по строке", "Qator boʻyicha %",
		       "Қатор бўйича %"},
	[W_COL_PCT] = {"Column %", "% по столбцу", "Ustun boʻyicha %",
		       "Устун бўйича %"},
	[W_TOTAL] = {"Total", "Всего", "Jami", "Жами"},
	[W_COUNTED] = {"Records counted", "Учтено записей",
		       "Hisobga olingan yozuvlar", "Ҳисобга олинган ёзувлар"},
	[W_SUM_OF] = {"Sum of", "Сумма", "Yigʻindi", "Йиғинди"},
	[W_PERIOD] = {"Period", "Период", "Davr", "Давр"},
	[W_FILTERS] = {"Filters", "Фильтры", "Filtrlar", "Фильтрлар"},
	[W_NONE] = {"none", "нет", "yoʻq", "йўқ"},
	/* Two %s: the threshold, then how a hidden cell reads ("<5"). */
	[W_SUPPRESS] = {"counts below %s are shown as \"%s\"",
			"значения меньше %s показаны как «%s»",
			"%s tadan kam qiymatlar «%s» deb koʻrsatilgan",
			"%s тадан кам қийматлар «%s» деб кўрсатилган"},
	[W_ABOUT] = {"About this workbook", "Об этой книге",
		     "Ushbu kitob haqida", "Ушбу китоб ҳақида"},
	[W_PROGRAM] = {"Program", "Программа", "Dastur", "Дастур"},
	[W_SCHEMA] = {"Schema", "Схема", "Sxema", "Схема"},
	[W_INPUTS] = {"Input files", "Входные файлы", "Kiruvchi fayllar",
		      "Кирувчи файллар"},
	[W_READ] = {"Records read", "Прочитано записей", "Oʻqilgan yozuvlar",
		    "Ўқилган ёзувлар"},
	[W_REJECTED] = {"Records rejected", "Отклонено записей",
			"Rad etilgan yozuvlar", "Рад этилган ёзувлар"},
	[W_THRESHOLD] = {"Suppression", "Подавление малых значений",
			 "Kichik qiymatlarni yashirish",
			 "Кичик қийматларни яшириш"},
	[W_DATE] = {"Document date", "Дата документа", "Hujjat sanasi",
		    "Ҳужжат санаси"},
	[W_SHEETS] = {"Sheets", "Листы", "Varaqlar", "Варақлар"},
	[W_NOTE_FORMULAS] = {
		"Percents and totals are formulas: edit a count and they follow.",
		"Проценты и итоги — формулы: измените число, и они пересчитаются.",
		"Foizlar va jamilar formulalar: sonni oʻzgartirsangiz, ular qayta hisoblanadi.",
		"Фоизлар ва жамилар формулалар: сонни ўзгартирсангиз, улар қайта ҳисобланади."},
	[W_NOTE_SUPPRESS] = {
		"Totals that include a hidden count are written as numbers, not formulas, and no percent refers to a hidden count.",
		"Итоги, включающие скрытое значение, записаны числами, а не формулами; ни один процент не ссылается на скрытое значение.",
		"Yashirilgan qiymatni oʻz ichiga olgan jamilar formula emas, son sifatida yozilgan; hech bir foiz yashirilgan qiymatga tayanmaydi.",
		"Яширилган қийматни ўз ичига олган жамилар формула эмас, сон сифатида ёзилган; ҳеч бир фоиз яширилган қийматга таянмайди."},
	[W_STATS] = {"Statistics", "Статистика", "Statistika", "Статистика"},
	[W_TEST] = {"Pearson chi-square test of independence",
		    "Критерий хи-квадрат Пирсона (независимость)",
		    "Pirsonning xi-kvadrat mustaqillik testi",
		    "Пирсоннинг хи-квадрат мустақиллик тести"},
	[W_CHI2] = {"Pearson chi2", "Хи-квадрат Пирсона", "Pirson xi-kvadrati",
		    "Пирсон хи-квадрати"},
	[W_DF] = {"Degrees of freedom", "Степени свободы", "Erkinlik darajalari",
		  "Эркинлик даражалари"},
	[W_P] = {"Pr (p-value)", "Pr (p-значение)", "Pr (p-qiymat)",
		 "Pr (p-қиймат)"},
	[W_V] = {"Cramér's V", "V Крамера", "Kramer V", "Крамер V"},
	[W_N_TESTED] = {"Appeals tested", "Обращений в тесте",
			"Testdagi murojaatlar", "Тестдаги мурожаатлар"},
	[W_NOT_TESTED] = {"Chi-square test not computed",
			  "Критерий хи-квадрат не вычислен",
			  "Xi-kvadrat testi hisoblanmadi",
			  "Хи-квадрат тести ҳисобланмади"},
	/* One %s: the sheets, joined with ", ". */
	[W_TESTED_ON] = {"Pearson chi-square test under the table on: %s",
			 "Критерий хи-квадрат Пирсона под таблицей на листах: %s",
			 "Pirson xi-kvadrat testi jadval ostida: %s",
			 "Пирсон хи-квадрат тести жадвал остида: %s"},
	[W_NOTE_STATS] = {
		"Change, percent change and rates are formulas too; intervals, percents of mentions and the chi-square test are values.",
		"Изменение, изменение в % и показатели на население — тоже формулы; интервалы, % упоминаний и критерий хи-квадрат — значения.",
		"Oʻzgarish, oʻzgarish % va aholiga koʻrsatkichlar ham formulalar; oraliqlar, eslatmalar % va xi-kvadrat testi — qiymatlar.",
		"Ўзгариш, ўзгариш % ва аҳолига кўрсаткичлар ҳам формулалар; оралиқлар, эслатмалар % ва хи-квадрат тести — қийматлар."},
	/* The name of the About sheet (at most 31 characters). */
	[W_ABOUT_SHEET] = {"About", "О книге", "Kitob haqida", "Китоб ҳақида"},
	[W_CUM] = {"Cumulative %", "Накопленный %", "Jamlangan %", "Жамланган %"},
};

static const char *word(enum mj_lang lang, enum word w)
{
	return words[w][lang];
}

/* Kinds of row, as indexes into the format tables. */
enum { K_CAT = 0, K_SUB, K_TOTAL, K_COUNT };
#define MAX_INDENT 4

/* Number formats of the statistics columns, made when first used (in
 * the order of writing, so the same tables give the same file). */
#define MAX_STAT_FORMATS 32

struct formats {
	lxw_format *title, *counted, *coldim, *header, *header_num;
	lxw_format *label[K_COUNT][MAX_INDENT];
	lxw_format *count[K_COUNT], *decimal[K_COUNT], *pct[K_COUNT],
		*hidden[K_COUNT];
	lxw_format *key, *value, *number, *link, *note, *note_wrap;
	lxw_format *month[MJ_LANG_COUNT]; /* a month's date, made when needed */
	struct {
		char num[48];
		lxw_format *f[K_COUNT];
	} stat[MAX_STAT_FORMATS];
	size_t nstat;
};

/* What a statistics column holds, known by its name (struct mj_stat_col). */
enum stat_kind {
	SK_OTHER = 0, SK_CI, SK_COMPARED, SK_CHANGE, SK_PCT_CHANGE,
	SK_POPULATION, SK_RATE, SK_MENTION
};

/* Where a cross-tab's statistics block sits: beside the counts, the row
 * percents or the column percents (the figures it qualifies). */
enum { HOST_COUNTS = 0, HOST_ROW_PCT, HOST_COL_PCT, NHOSTS };

struct stat_place {
	enum stat_kind kind;
	int host;
	lxw_col_t col;     /* its sheet column (the block's first in a cross-tab) */
};

/* Everything needed while one table becomes one sheet. */
struct sheet {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	struct formats *f;
	const struct mj_table *t;
	const struct mj_xlsx_opts *o;
	char name[128];
	enum mj_lang lang;
	int relabel;            /* labels looked up in the schema in lang */
	long min_cell;
	char hidden_text[32];   /* what a primary hidden cell reads: "<5" */
	unsigned char *sup;     /* nrows * ncols: enum mj_hidden of each cell */
	double *width;          /* characters per sheet column */
	size_t nwidth;
	int wrap_header;
	int decimals;           /* values with fractions: two decimals */
	lxw_error lerr;         /* first libxlsxwriter error */
	/* Statistics (NULL: none) and where their columns go. */
	const struct mj_stats *st;
	struct stat_place place[MJ_STATS_MAXCOLS];
	int i_compared, i_change, i_population; /* column indexes or -1 */
	double per;             /* rate per ...; 0 when rates are values */
	unsigned char *mention_ok; /* nrows * ncols: percent of mentions shown */
	lxw_row_t block_first[NHOSTS]; /* sheet row of table row 0 */
	lxw_row_t block_title[NHOSTS]; /* sheet row of a stats block's title */
	lxw_row_t block_header[NHOSTS];
	unsigned char *gap;     /* nwidth: narrow spacer columns */
	lxw_row_t below;        /* first free row under everything */
	int has_complement;     /* some cell is hidden to protect others ("x") */
	int chart_type;         /* enum mj_chart_type asked for, or -1 */
	/* What the cells show (o->shows[i], else o->show), and the figures
	 * it names (enum fig), in order. */
	const char *show;
	int figs[MJ_SHOW_MAX];
	size_t nfigs;
	lxw_row_t fig_header[MJ_SHOW_MAX]; /* a cross-tab block's heading row */
	/* Where table cell (0, 0)'s count is, when the counts are shown. */
	int counts_shown;
	lxw_row_t count_row0;
	lxw_col_t count_col0;
};

/* What a cell shows (struct mj_xlsx_opts.show). */
enum fig { FIG_COUNT, FIG_TOTAL, FIG_ROW, FIG_COL, FIG_VALID, FIG_CUM };

static void note_lxw(struct sheet *s, lxw_error e)
{
	if (e != LXW_NO_ERROR && s->lerr == LXW_NO_ERROR)
		s->lerr = e;
}

/* A workbook holds no NaN or infinity: libxlsxwriter would write them as
 * <v>NAN</v>, which Excel refuses to open. Such a value is left blank, or
 * cached as 0 under its formula. */
static lxw_error write_number(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
			      double v, lxw_format *f)
{
	return isfinite(v) ? worksheet_write_number(ws, r, c, v, f)
		: worksheet_write_blank(ws, r, c, f);
}

static lxw_error write_formula_num(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
				   const char *formula, lxw_format *f, double v)
{
	return worksheet_write_formula_num(ws, r, c, formula, f, isfinite(v) ? v : 0);
}

static void widen(struct sheet *s, size_t col, double chars)
{
	if (col < s->nwidth && chars > s->width[col])
		s->width[col] = chars;
}

static double text_chars(const char *text)
{
	return (double)mj_text_width(text, strlen(text));
}

/* Width of a number as Excel shows it with "#,##0" (or "0.0%"). */
static double number_chars(double v, int decimals)
{
	char buf[64];
	mj_format_number(v, decimals, MJ_LANG_EN, buf, sizeof buf);
	return (double)strlen(buf);
}

static int kind_index(const struct mj_table_row *row)
{
	return row->kind == MJ_ROW_TOTAL ? K_TOTAL :
	       row->kind == MJ_ROW_SUBTOTAL ? K_SUB : K_CAT;
}

static int is_hidden(const struct sheet *s, size_t r, size_t c)
{
	return s->sup[r * s->t->ncols + c];
}

/* What a hidden cell reads: "<5" below the threshold, "x" when hidden
 * only to protect others. */
static const char *hidden_mark(const struct sheet *s, size_t r, size_t c)
{
	return is_hidden(s, r, c) == MJ_HIDDEN_COMPLEMENT ? "x" : s->hidden_text;
}

/* ---- labels ---------------------------------------------------------- */

static enum mj_lang table_lang(const struct mj_table *t)
{
	int l = t->lang ? mj_lang_parse(t->lang) : -1;
	return l < 0 ? MJ_LANG_EN : (enum mj_lang)l;
}

/* The schema's label for code in the table's dimension d when
 * relabelling, or NULL. */
static const char *schema_label(const struct sheet *s, const char *dim,
				const char *code)
{
	return s->relabel ? mj_schema_code_label(s->o->schema, dim, code, s->lang)
			  : NULL;
}

static const char *row_label(const struct sheet *s, const struct mj_table_row *row)
{
	const struct mj_table *t = s->t;
	if (row->kind == MJ_ROW_TOTAL) {
		if (s->relabel)
			return mj_schema_total_label(s->o->schema, s->lang);
		const char *l = row->labels[0];
		return l && *l && strcmp(l, MJ_CODE_TOTAL) != 0 ?
		       l : word(s->lang, W_TOTAL);
	}
	size_t d = t->ndims - 1;
	while (d > 0 && strcmp(row->codes[d], MJ_CODE_TOTAL) == 0)
		d--;
	const char *l = schema_label(s, t->dims[d], row->codes[d]);
	return l ? l : mj_table_row_label(t, row);
}

/* The table's label for its dimension d; the schema's when relabelling,
 * or when the table carries only the name (a CSV table has no labels). */
static const char *dim_label(const struct sheet *s, size_t d)
{
	const struct mj_table *t = s->t;
	const char *own = t->dim_labels ? t->dim_labels[d] : NULL;
	if (s->relabel || (s->o->schema &&
			   (!own || !*own || strcmp(own, t->dims[d]) == 0))) {
		int di = mj_schema_dim_find(s->o->schema, t->dims[d]);
		if (di >= 0)
			return mj_schema_dim_label(s->o->schema, (size_t)di, s->lang);
	}
	return own && *own ? own : t->dims[d];
}

static const char *col_dim_label(const struct sheet *s)
{
	const struct mj_table *t = s->t;
	const char *own = t->col_dim_label;
	if (s->relabel || (s->o->schema &&
			   (!own || !*own || strcmp(own, t->col_dim) == 0))) {
		int di = mj_schema_dim_find(s->o->schema, t->col_dim);
		if (di >= 0)
			return mj_schema_dim_label(s->o->schema, (size_t)di, s->lang);
	}
	return own && *own ? own : t->col_dim;
}

/* "Count", or the label of the summed column ("Children placed"). */
static const char *measure_label(const struct sheet *s)
{
	const struct mj_table *t = s->t;
	if (t->measure && strcmp(t->measure, "count") != 0) {
		if (s->o->schema) {
			int di = mj_schema_dim_find(s->o->schema, t->measure);
			if (di >= 0)
				return mj_schema_dim_label(s->o->schema,
							   (size_t)di, s->lang);
		}
		return t->measure;
	}
	return word(s->lang, W_COUNT);
}

static const char *col_label(const struct sheet *s, size_t c)
{
	const struct mj_table *t = s->t;
	if (t->col_dim) {
		if (strcmp(t->col_codes[c], MJ_CODE_TOTAL) == 0)
			return s->relabel ?
			       mj_schema_total_label(s->o->schema, s->lang) :
			       (t->col_labels[c][0] &&
				strcmp(t->col_labels[c], MJ_CODE_TOTAL) != 0 ?
				t->col_labels[c] : word(s->lang, W_TOTAL));
		const char *l = schema_label(s, t->col_dim, t->col_codes[c]);
		return l ? l : t->col_labels[c];
	}
	return measure_label(s);
}

/* The row dimensions' labels joined: "Place of violence › Relationship",
 * with " × column" for a cross-tab. Caller frees. */
static char *dims_title(const struct sheet *s)
{
	GString *g = g_string_new(NULL);
	for (size_t d = 0; d < s->t->ndims; d++) {
		if (d)
			g_string_append(g, " › ");
		g_string_append(g, dim_label(s, d));
	}
	if (s->t->col_dim) {
		g_string_append(g, " × ");
		g_string_append(g, col_dim_label(s));
	}
	return g_string_free(g, FALSE);
}

/* A sheet name that fits Excel's 31 characters chosen rather than cut: the
 * dimensions as dims_title() joins them (a summed measure after them:
 * "Outcome · Children placed"), else joined tighter ("Place of
 * violence›Relationship"), else the innermost dimension alone. Caller
 * frees. */
static char *sheet_title(const struct sheet *s)
{
	const struct mj_table *t = s->t;
	int sum = t->measure && strcmp(t->measure, "count") != 0;
	for (int tight = 0; tight < 3; tight++) {
		GString *g = g_string_new(NULL);
		size_t from = tight == 2 ? t->ndims - 1 : 0;
		for (size_t d = from; d < t->ndims; d++) {
			if (d > from)
				g_string_append(g, tight ? "›" : " › ");
			g_string_append(g, dim_label(s, d));
		}
		if (t->col_dim) {
			g_string_append(g, tight ? "×" : " × ");
			g_string_append(g, col_dim_label(s));
		}
		if (sum) {
			g_string_append(g, " · ");
			g_string_append(g, measure_label(s));
		}
		if (g_utf8_strlen(g->str, -1) <= MJ_XLSX_SHEET_NAME_MAX || tight == 2)
			return g_string_free(g, FALSE);
		g_string_free(g, TRUE);
	}
	return NULL;
}

/* An ISO date into out in the language's style: as it is in English,
 * 31.08.2023 in Russian and Uzbek; "…" for none. */
static const char *date_text(enum mj_lang lang, const char *iso, char *out, size_t len)
{
	int y, m, d;
	char extra;
	if (lang != MJ_LANG_EN && iso && strlen(iso) == 10 &&
	    sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3)
		snprintf(out, len, "%02d.%02d.%04d", d, m, y);
	else
		snprintf(out, len, "%s", iso ? iso : "…");
	return out;
}

/* A period "from – to" into out, its dates as date_text() writes them,
 * kept on one line in Russian and Uzbek. */
static const char *period_text(enum mj_lang lang, const char *from, const char *to,
			       char *out, size_t len)
{
	char a[32], b[32];
	snprintf(out, len, lang == MJ_LANG_EN ? "%s – %s" : "%s\u00a0–\u00a0%s",
		 date_text(lang, from, a, sizeof a), date_text(lang, to, b, sizeof b));
	return out;
}

/* ---- suppression ----------------------------------------------------- */

/* Rows whose sum is row r in the same column: the level-0 rows for the
 * total, the direct children for a subtotal. Writes their indexes into
 * out (nrows long) and returns how many. */
static size_t children(const struct mj_table *t, size_t r, size_t *out)
{
	size_t n = 0;
	const struct mj_table_row *row = &t->rows[r];
	if (row->kind == MJ_ROW_TOTAL) {
		for (size_t i = 0; i < t->nrows; i++)
			if (t->rows[i].kind != MJ_ROW_TOTAL && t->rows[i].level == 0)
				out[n++] = i;
	} else if (row->kind == MJ_ROW_SUBTOTAL) {
		for (size_t i = r + 1; i < t->nrows &&
		     t->rows[i].kind != MJ_ROW_TOTAL &&
		     t->rows[i].level > row->level; i++)
			if (t->rows[i].level == row->level + 1)
				out[n++] = i;
	}
	return n;
}

/* The hidden cells of the sheet, as the table marks them (mj_xlsx_write()
 * has applied opts->min_cell through mj_table_suppress() first). */
static enum mj_status plan_suppression(struct sheet *s, struct mj_error *err)
{
	const struct mj_table *t = s->t;
	size_t nc = t->ncols, ncell = t->nrows * nc;
	s->sup = calloc(ncell ? ncell : 1, 1);
	if (!s->sup)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < nc; c++)
			s->sup[r * nc + c] = t->rows[r].suppressed[c];
	s->has_complement = mj_table_has_hidden(t, MJ_HIDDEN_COMPLEMENT);
	return MJ_OK;
}

/* ---- cells ----------------------------------------------------------- */

static void cell_ref(char *buf, lxw_row_t row, lxw_col_t col, int row_abs,
		     int col_abs)
{
	lxw_rowcol_to_cell_abs(buf, row, col, (uint8_t)row_abs, (uint8_t)col_abs);
}

/* "=SUM(B6:B9,B12)" over the sheet rows of table rows idx[0..n) (in
 * order) in column col, or 0 when it would be too long for Excel. */
static int sum_formula(char *buf, size_t len, const size_t *idx, size_t n,
		       lxw_row_t first, lxw_col_t col)
{
	size_t out = (size_t)snprintf(buf, len, "=SUM(");
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && idx[j + 1] == idx[j] + 1)
			j++;
		char a[32], b[32];
		cell_ref(a, first + (lxw_row_t)idx[i], col, 0, 0);
		cell_ref(b, first + (lxw_row_t)idx[j], col, 0, 0);
		int w = i == j ? snprintf(buf + out, len - out, "%s%s",
					  i ? "," : "", a) :
			snprintf(buf + out, len - out, "%s%s:%s", i ? "," : "",
				 a, b);
		if (w < 0 || (size_t)w >= len - out)
			return 0;
		out += (size_t)w;
		i = j + 1;
	}
	if (out + 2 > len)
		return 0;
	strcpy(buf + out, ")");
	return 1;
}

/* "=SUM(B5:C5,E5)" across sheet row xr over the table columns idx[0..n)
 * (in order; column 0 at sheet column first), or 0 when too long. */
static int sum_across(char *buf, size_t len, const size_t *idx, size_t n,
		      lxw_row_t xr, lxw_col_t first)
{
	size_t out = (size_t)snprintf(buf, len, "=SUM(");
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j + 1 < n && idx[j + 1] == idx[j] + 1)
			j++;
		char a[32], b[32];
		cell_ref(a, xr, first + (lxw_col_t)idx[i], 0, 0);
		cell_ref(b, xr, first + (lxw_col_t)idx[j], 0, 0);
		int w = i == j ? snprintf(buf + out, len - out, "%s%s", i ? "," : "", a)
			       : snprintf(buf + out, len - out, "%s%s:%s", i ? "," : "", a, b);
		if (w < 0 || (size_t)w >= len - out)
			return 0;
		out += (size_t)w;
		i = j + 1;
	}
	if (out + 2 > len)
		return 0;
	strcpy(buf + out, ")");
	return 1;
}

static int same_value(double a, double b)
{
	return fabs(a - b) <= 1e-9 * fmax(1.0, fabs(b));
}

/* Writes the count of table row r, column c at sheet cell (xr, xc): the
 * text "<N" when hidden; a SUM formula over its parts for subtotals,
 * totals and a cross-tab's total column when every part is shown and
 * they add up; else the number. */
static void write_count(struct sheet *s, size_t r, size_t c, lxw_row_t xr,
			lxw_col_t xc, size_t *scratch)
{
	const struct mj_table *t = s->t;
	const struct mj_table_row *row = &t->rows[r];
	int k = kind_index(row);
	double v = row->values[c];
	lxw_format *fmt = s->decimals ? s->f->decimal[k] : s->f->count[k];
	if (is_hidden(s, r, c)) {
		const char *mark = hidden_mark(s, r, c);
		note_lxw(s, worksheet_write_string(s->ws, xr, xc, mark,
						   s->f->hidden[k]));
		widen(s, xc, text_chars(mark));
		return;
	}
	widen(s, xc, number_chars(v, s->decimals ? 2 : 0));
	char formula[XL_MAX_FORMULA + 16];
	size_t n = 0;
	lxw_col_t along = xc;
	lxw_row_t base = xr - (lxw_row_t)r;
	if (row->kind != MJ_ROW_CATEGORY) {
		n = children(t, r, scratch);
	} else if (t->nest && t->nest->kinds[c] == MJ_ROW_SUBTOTAL) {
		/* Nested columns: a subtotal column sums its children. */
		n = mj_col_children(t, c, scratch);
	} else if (t->col_dim && c == t->ncols - 1 && t->ncols > 1) {
		/* A category row's total across the column categories (the
		 * outermost ones when columns nest). */
		for (size_t i = 0; i + 1 < t->ncols; i++)
			if (mj_col_top(t, i))
				scratch[n++] = i;
	}
	if (n > 0) {
		int horizontal = row->kind == MJ_ROW_CATEGORY;
		double sum = 0;
		int ok = 1;
		for (size_t i = 0; i < n && ok; i++) {
			size_t rr = horizontal ? r : scratch[i];
			size_t cc = horizontal ? scratch[i] : c;
			ok = !is_hidden(s, rr, cc);
			sum += t->rows[rr].values[cc];
		}
		if (ok && same_value(sum, v)) {
			if (horizontal) {
				ok = sum_across(formula, XL_MAX_FORMULA, scratch, n, xr,
						xc - (lxw_col_t)c);
			} else if (!sum_formula(formula, XL_MAX_FORMULA, scratch, n,
						base, along)) {
				ok = 0;
			}
			if (ok) {
				note_lxw(s, write_formula_num(
					s->ws, xr, xc, formula, fmt, v));
				return;
			}
		}
	}
	note_lxw(s, write_number(s->ws, xr, xc, v, fmt));
}

/* Writes num/den as a formula with its cached value, or an empty cell
 * when either part is hidden or the base is not positive: a percent of
 * a hidden count would give the count away. */
static void write_percent(struct sheet *s, lxw_row_t xr, lxw_col_t xc, int k,
			  const char *num_ref, const char *den_ref,
			  double num, double den, int hidden)
{
	if (hidden || !(den > 0)) {
		note_lxw(s, worksheet_write_blank(s->ws, xr, xc, s->f->pct[k]));
		return;
	}
	char formula[128];
	snprintf(formula, sizeof formula, "=%s/%s", num_ref, den_ref);
	note_lxw(s, write_formula_num(s->ws, xr, xc, formula,
						s->f->pct[k], num / den));
	widen(s, xc, 6);
}

static void write_label(struct sheet *s, size_t r, lxw_row_t xr)
{
	const struct mj_table_row *row = &s->t->rows[r];
	int k = kind_index(row);
	int level = row->level < 0 ? 0 :
		    row->level >= MAX_INDENT ? MAX_INDENT - 1 : row->level;
	const char *label = row_label(s, row);
	/* A month as a date, shown in the language's month names. */
	int y, m;
	char extra;
	const char *code = row->codes[s->t->ndims - 1];
	if (s->o->month_dates && k == K_CAT && row->level == 0 && s->t->ndims == 1 &&
	    strcmp(s->t->dims[0], "month") == 0 && code &&
	    sscanf(code, "%4d-%2d%c", &y, &m, &extra) == 2 && m >= 1 && m <= 12) {
		if (!s->f->month[s->lang]) {
			lxw_format *f = workbook_add_format(s->wb);
			if (f) {
				format_set_num_format(f, xlsx_month_format(s->lang));
				format_set_align(f, LXW_ALIGN_LEFT);
			}
			s->f->month[s->lang] = f;
		}
		if (s->f->month[s->lang]) {
			note_lxw(s, worksheet_write_number(s->ws, xr, 0, xlsx_serial(y, m, 1),
							   s->f->month[s->lang]));
			widen(s, 0, 16);
			return;
		}
	}
	note_lxw(s, worksheet_write_string(s->ws, xr, 0, label,
					   s->f->label[k][level]));
	widen(s, 0, text_chars(label) + 3.0 * level + (k == K_CAT ? 0 : 1));
	if (row->level > 0) {
		lxw_row_col_options ro = {.hidden = 0,
					  .level = (uint8_t)(row->level > 7 ? 7 : row->level),
					  .collapsed = 0};
		note_lxw(s, worksheet_set_row_opt(s->ws, xr, LXW_DEF_ROW_HEIGHT,
						  NULL, &ro));
	}
}

static void write_header(struct sheet *s, lxw_row_t xr, lxw_col_t xc,
			 const char *text, int numeric)
{
	note_lxw(s, worksheet_write_string(s->ws, xr, xc, text,
					   numeric ? s->f->header_num : s->f->header));
	double w = text_chars(text);
	if (numeric && w > 14) {
		s->wrap_header = 1;
		w = 14;
	}
	widen(s, xc, w);
}

/* ---- blocks ---------------------------------------------------------- */

static const struct mj_table_row *parent_of(const struct mj_table *t, size_t r)
{
	const struct mj_table_row *row = &t->rows[r];
	for (size_t p = r; p-- > 0;)
		if (t->rows[p].level < row->level)
			return t->rows[p].kind == MJ_ROW_SUBTOTAL ? &t->rows[p] : NULL;
	return NULL;
}

static int has_nesting(const struct mj_table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		if (t->rows[r].level > 0 || t->rows[r].kind == MJ_ROW_SUBTOTAL)
			return 1;
	return 0;
}

static size_t total_index(const struct mj_table *t)
{
	const struct mj_table_row *tot = mj_table_total(t);
	return tot ? (size_t)(tot - t->rows) : SIZE_MAX;
}

/* Whether the total of a percent of appeals (base) shows the sum of the
 * percents above it, not 100: appeals named several categories of a
 * multi-response dimension, and the table writers (lib/tabwrite.c) show
 * the same sum there, as SPSS MULT RESPONSE does. */
static int multi_sum(const struct sheet *s, enum mj_percent base)
{
	const struct mj_stats *st = s->st;
	if (!st || !st->multi_used)
		return 0;
	if (base == MJ_PCT_ROW)
		return (size_t)st->multi_which == s->t->ndims && s->t->col_dim;
	return st->multi_which == 0 && s->t->ndims == 1;
}

/* The shown percent of table cell (r, c) of base (a fraction), or -1
 * when its cell is blank: hidden, over a hidden or empty base. */
static double shown_percent(const struct sheet *s, size_t r, size_t c,
			    enum mj_percent base)
{
	const struct mj_table *t = s->t;
	size_t tot = total_index(t);
	if (is_hidden(s, r, c))
		return -1;
	double den;
	if (base == MJ_PCT_ROW) {
		if (is_hidden(s, r, t->ncols - 1))
			return -1;
		den = t->rows[r].values[t->ncols - 1];
	} else {
		if (tot == SIZE_MAX || is_hidden(s, tot, c))
			return -1;
		den = t->rows[tot].values[c];
		if (base == MJ_PCT_VALID) {
			if (mj_table_row_missing(t, &t->rows[r]))
				return -1;
			for (size_t q = 0; q < t->nrows; q++)
				if (t->rows[q].kind == MJ_ROW_CATEGORY &&
				    mj_table_row_missing(t, &t->rows[q])) {
					if (is_hidden(s, q, c))
						return -1;
					den -= t->rows[q].values[c];
				}
		}
	}
	return den > 0 ? t->rows[r].values[c] / den : -1;
}

/* The total row's percent in sheet column xc as the sum of the percent
 * cells above it (every row but the total, table column 0 of a one-way
 * table or xc - 1 of a cross-tab's column percents). */
static void write_multi_column_sum(struct sheet *s, lxw_row_t xr, lxw_col_t xc,
				   int k, enum mj_percent base, size_t *scratch)
{
	const struct mj_table *t = s->t;
	size_t tot = total_index(t), n = 0, c = t->col_dim ? (size_t)xc - 1 : 0;
	lxw_row_t first = xr - (lxw_row_t)tot;
	double sum = 0;
	int any = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		if (r == tot)
			continue;
		scratch[n++] = r;
		double p = shown_percent(s, r, c, base);
		if (p >= 0) {
			sum += p;
			any = 1;
		}
	}
	char formula[XL_MAX_FORMULA + 16];
	if (!any || !sum_formula(formula, XL_MAX_FORMULA, scratch, n, first, xc)) {
		note_lxw(s, worksheet_write_blank(s->ws, xr, xc, s->f->pct[k]));
		return;
	}
	note_lxw(s, write_formula_num(s->ws, xr, xc, formula,
						s->f->pct[k], sum));
	widen(s, xc, 7);
}

/* A one-way table (nested or not): label, count, % of total, and either
 * % within the parent group (nested) or valid % (with "not stated").
 * Returns the last sheet column used. */
static lxw_col_t write_oneway(struct sheet *s, size_t *scratch)
{
	const struct mj_table *t = s->t;
	size_t tot = total_index(t);
	int nested = has_nesting(t);
	const struct mj_table_row *total = tot == SIZE_MAX ? NULL : &t->rows[tot];
	int total_hidden = total ? is_hidden(s, tot, 0) : 1;
	/* Valid % needs the "not stated" rows shown, or it would reveal them. */
	int valid = 0;
	if (!nested && total && !total_hidden) {
		for (size_t r = 0; r < t->nrows; r++)
			if (t->rows[r].kind == MJ_ROW_CATEGORY &&
			    mj_table_row_missing(t, &t->rows[r])) {
				if (is_hidden(s, r, 0)) {
					valid = 0;
					break;
				}
				valid = 1;
			}
	}
	GString *g = g_string_new(NULL);
	for (size_t d = 0; d < t->ndims; d++)
		g_string_append_printf(g, "%s%s", d ? " › " : "", dim_label(s, d));
	write_header(s, ROW_HEADER, 0, g->str, 0);
	g_string_free(g, TRUE);
	write_header(s, ROW_HEADER, 1, col_label(s, 0), 1);
	write_header(s, ROW_HEADER, 2, word(s->lang, W_PCT), 1);
	if (nested || valid)
		write_header(s, ROW_HEADER, 3,
			     word(s->lang, nested ? W_WITHIN : W_VALID), 1);

	double missing = 0;
	char missing_refs[512] = "";
	if (valid) {
		for (size_t r = 0; r < t->nrows; r++)
			if (t->rows[r].kind == MJ_ROW_CATEGORY &&
			    mj_table_row_missing(t, &t->rows[r])) {
				char ref[32];
				size_t used = strlen(missing_refs);
				missing += t->rows[r].values[0];
				cell_ref(ref, ROW_FIRST + (lxw_row_t)r, 1, 1, 0);
				snprintf(missing_refs + used, sizeof missing_refs - used,
					 "-%s", ref);
			}
	}
	char total_ref[32] = "";
	if (total)
		cell_ref(total_ref, ROW_FIRST + (lxw_row_t)tot, 1, 1, 0);
	for (size_t r = 0; r < t->nrows; r++) {
		const struct mj_table_row *row = &t->rows[r];
		lxw_row_t xr = ROW_FIRST + (lxw_row_t)r;
		int k = kind_index(row);
		char me[32];
		cell_ref(me, xr, 1, 0, 0);
		write_label(s, r, xr);
		write_count(s, r, 0, xr, 1, scratch);
		int hid = is_hidden(s, r, 0);
		if (r == tot && multi_sum(s, MJ_PCT_TOTAL))
			write_multi_column_sum(s, xr, 2, k, MJ_PCT_TOTAL, scratch);
		else
			write_percent(s, xr, 2, k, me, total_ref, row->values[0],
				      total && !total_hidden ? total->values[0] : 0, hid);
		if (nested) {
			const struct mj_table_row *p = row->level > 0 ?
				parent_of(t, r) : NULL;
			if (p) {
				size_t pi = (size_t)(p - t->rows);
				char pref[32];
				cell_ref(pref, ROW_FIRST + (lxw_row_t)pi, 1, 1, 0);
				write_percent(s, xr, 3, k, me, pref, row->values[0],
					      p->values[0], hid || is_hidden(s, pi, 0));
			} else {
				note_lxw(s, worksheet_write_blank(s->ws, xr, 3,
								  s->f->pct[k]));
			}
		} else if (valid) {
			char den[600];
			double dv = total->values[0] - missing;
			snprintf(den, sizeof den, "(%s%s)", total_ref, missing_refs);
			if (row->kind == MJ_ROW_TOTAL && multi_sum(s, MJ_PCT_VALID)) {
				write_multi_column_sum(s, xr, 3, k, MJ_PCT_VALID, scratch);
			} else if (row->kind == MJ_ROW_TOTAL) {
				/* The valid base over itself: 100% unless a part is hidden. */
				int any_hidden = 0;
				for (size_t i = 0; i < t->nrows; i++)
					any_hidden |= is_hidden(s, i, 0);
				char num[600];
				snprintf(num, sizeof num, "(%s%s)", me, missing_refs);
				write_percent(s, xr, 3, k, num, den, dv, dv, any_hidden);
			} else if (mj_table_row_missing(t, row)) {
				note_lxw(s, worksheet_write_blank(s->ws, xr, 3,
								  s->f->pct[k]));
			} else {
				write_percent(s, xr, 3, k, me, den, row->values[0], dv, hid);
			}
		}
	}
	s->block_first[HOST_COUNTS] = ROW_FIRST;
	s->block_header[HOST_COUNTS] = ROW_HEADER;
	s->block_title[HOST_COUNTS] = ROW_COLDIM;
	s->below = ROW_FIRST + (lxw_row_t)t->nrows + 1;
	return nested || valid ? 3 : 2;
}

/* A cross-tab: the counts block, then row % and column % blocks below it
 * referring to the counts. Returns the last sheet column used. */
/* The counts' header of nested columns (--cols A,B): the outer
 * categories on the row above, each merged over its columns and its
 * subtotal, and the inner ones (or "Total" under a subtotal) below; the
 * column dimensions' names, joined, in the corner. */
static void write_nested_header(struct sheet *s)
{
	const struct mj_table *t = s->t;
	const struct mj_col_nest *n = t->nest;
	size_t nc = t->ncols, nd = n->ndims;
	note_lxw(s, worksheet_write_string(s->ws, ROW_COLDIM, 0, col_dim_label(s),
					   s->f->coldim));
	GString *outer = g_string_new(NULL), *next = g_string_new(NULL);
	size_t from = 0;
	for (size_t c = 0; c <= nc; c++) {
		/* The outer labels of column c (its levels but the last). */
		g_string_truncate(next, 0);
		for (size_t k = 0; c < nc && k + 1 < nd; k++) {
			const char *code = n->codes[c * nd + k];
			if (strcmp(code, MJ_CODE_TOTAL) == 0)
				break;
			g_string_append_printf(next, "%s%s", k ? " › " : "", n->labels[c * nd + k]);
		}
		if (c > 0 && (c == nc || strcmp(next->str, outer->str) != 0)) {
			lxw_col_t a = (lxw_col_t)(from + 1), b = (lxw_col_t)c;
			if (outer->len && b > a)
				note_lxw(s, worksheet_merge_range(s->ws, ROW_COLDIM, a, ROW_COLDIM, b,
								  outer->str, s->f->header_num));
			else if (outer->len)
				write_header(s, ROW_COLDIM, a, outer->str, 1);
			from = c;
		}
		g_string_assign(outer, next->str);
		if (c == nc)
			break;
		/* Below: the innermost label, or the total's under a subtotal
		 * and the grand total. */
		const char *inner = n->labels[c * nd + nd - 1];
		if (n->kinds[c] != MJ_ROW_CATEGORY)
			inner = col_label(s, nc - 1);
		write_header(s, ROW_HEADER, (lxw_col_t)(c + 1), inner, 1);
	}
	g_string_free(outer, TRUE);
	g_string_free(next, TRUE);
}

static lxw_col_t write_crosstab(struct sheet *s, size_t *scratch,
				lxw_row_t *row_pct_first, lxw_row_t *col_pct_first)
{
	const struct mj_table *t = s->t;
	size_t nc = t->ncols, tot = total_index(t);
	lxw_col_t last = (lxw_col_t)nc;
	GString *g = g_string_new(NULL);
	for (size_t d = 0; d < t->ndims; d++)
		g_string_append_printf(g, "%s%s", d ? " › " : "", dim_label(s, d));
	const char *rows_label = g->str;

	write_header(s, ROW_HEADER, 0, rows_label, 0);
	if (t->nest) {
		write_nested_header(s);
	} else {
		note_lxw(s, worksheet_write_string(s->ws, ROW_COLDIM, 1, col_dim_label(s),
						   s->f->coldim));
		for (size_t c = 0; c < nc; c++)
			write_header(s, ROW_HEADER, (lxw_col_t)(c + 1), col_label(s, c), 1);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		lxw_row_t xr = ROW_FIRST + (lxw_row_t)r;
		write_label(s, r, xr);
		for (size_t c = 0; c < nc; c++)
			write_count(s, r, c, xr, (lxw_col_t)(c + 1), scratch);
	}

	/* Row % block, then column % block, each with its own header. */
	lxw_row_t firsts[2];
	/* A row more between blocks when statistics blocks beside them need
	 * a title row. */
	lxw_row_t gap = s->st && s->st->ncols > 0 ? 3 : 2;
	firsts[0] = ROW_FIRST + (lxw_row_t)t->nrows + gap;
	firsts[1] = firsts[0] + (lxw_row_t)t->nrows + gap;
	for (int b = 0; b < 2; b++) {
		lxw_row_t hr = firsts[b] - 1;
		write_header(s, hr, 0, word(s->lang, b == 0 ? W_ROW_PCT : W_COL_PCT), 0);
		for (size_t c = 0; c < nc; c++)
			write_header(s, hr, (lxw_col_t)(c + 1), col_label(s, c), 1);
		for (size_t r = 0; r < t->nrows; r++) {
			const struct mj_table_row *row = &t->rows[r];
			lxw_row_t xr = firsts[b] + (lxw_row_t)r;
			lxw_row_t cr = ROW_FIRST + (lxw_row_t)r;
			int k = kind_index(row);
			write_label(s, r, xr);
			for (size_t c = 0; c < nc; c++) {
				lxw_col_t xc = (lxw_col_t)(c + 1);
				char num[32], den[32];
				double dv;
				int hid = is_hidden(s, r, c);
				cell_ref(num, cr, xc, 0, 0);
				if (b == 0) {
					cell_ref(den, cr, (lxw_col_t)nc, 0, 1);
					dv = row->values[nc - 1];
					hid |= is_hidden(s, r, nc - 1);
				} else if (tot != SIZE_MAX) {
					cell_ref(den, ROW_FIRST + (lxw_row_t)tot, xc, 1, 0);
					dv = t->rows[tot].values[c];
					hid |= is_hidden(s, tot, c);
				} else {
					den[0] = '\0';
					dv = 0;
				}
				if (b == 0 && c == nc - 1 && multi_sum(s, MJ_PCT_ROW)) {
					/* The row's percents of appeals, summed. */
					double sum = 0;
					int any = 0;
					for (size_t q = 0; q + 1 < nc; q++) {
						double p = shown_percent(s, r, q, MJ_PCT_ROW);
						if (p >= 0) {
							sum += p;
							any = 1;
						}
					}
					char a[32], z[32], formula[80];
					cell_ref(a, xr, 1, 0, 0);
					cell_ref(z, xr, (lxw_col_t)(nc - 1), 0, 0);
					snprintf(formula, sizeof formula, "=SUM(%s:%s)", a, z);
					if (any)
						note_lxw(s, write_formula_num(
							s->ws, xr, xc, formula, s->f->pct[k], sum));
					else
						note_lxw(s, worksheet_write_blank(s->ws, xr, xc,
										  s->f->pct[k]));
					continue;
				}
				if (b == 1 && r == tot && multi_sum(s, MJ_PCT_COL)) {
					write_multi_column_sum(s, xr, xc, k, MJ_PCT_COL, scratch);
					continue;
				}
				write_percent(s, xr, xc, k, num, den, row->values[c], dv, hid);
			}
		}
	}
	*row_pct_first = firsts[0];
	*col_pct_first = firsts[1];
	s->block_first[HOST_COUNTS] = ROW_FIRST;
	s->block_header[HOST_COUNTS] = ROW_HEADER;
	s->block_title[HOST_COUNTS] = ROW_COLDIM;
	for (int b = 0; b < 2; b++) {
		s->block_first[1 + b] = firsts[b];
		s->block_header[1 + b] = firsts[b] - 1;
		s->block_title[1 + b] = firsts[b] - 2;
	}
	s->below = firsts[1] + (lxw_row_t)t->nrows + 1;

	/* A colour scale on the row percents of the categories (not the
	 * totals): counts mostly show how large each row is, the percents
	 * its mix. */
	size_t body_rows = tot == SIZE_MAX ? t->nrows : tot;
	if (body_rows > 0 && nc > 1) {
		lxw_conditional_format cf;
		memset(&cf, 0, sizeof cf);
		cf.type = LXW_CONDITIONAL_3_COLOR_SCALE;
		cf.min_color = 0xF7FBFF;
		cf.mid_color = 0x9ECAE1;
		cf.max_color = 0x3182BD;
		note_lxw(s, worksheet_conditional_format_range(
			s->ws, firsts[0], 1, firsts[0] + (lxw_row_t)body_rows - 1,
			(lxw_col_t)(nc - 1), &cf));
	}
	g_string_free(g, TRUE);
	return last;
}

/* ---- what the cells show (--show) ------------------------------------ */

/* The figures o->show names, in its order, each once; statistics
 * columns it names are left to write_stats(). */
static void pick_figs(struct sheet *s)
{
	static const struct {
		const char *name;
		int fig;
	} names[] = {
		{"count", FIG_COUNT}, {"sum", FIG_COUNT},
		{"total%", FIG_TOTAL}, {"total", FIG_TOTAL}, {"percent", FIG_TOTAL},
		{"row%", FIG_ROW}, {"row", FIG_ROW}, {"col%", FIG_COL}, {"col", FIG_COL},
		{"valid%", FIG_VALID}, {"valid", FIG_VALID}, {"cum%", FIG_CUM}, {"cum", FIG_CUM},
	};
	s->nfigs = 0;
	const char *p = s->show;
	while (p && *p) {
		size_t len = strcspn(p, ",");
		char item[32];
		snprintf(item, sizeof item, "%.*s", (int)(len < sizeof item ? len : sizeof item - 1), p);
		mj_text_trim(item);
		for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
			if (strcmp(item, names[i].name) != 0)
				continue;
			int seen = names[i].fig == FIG_CUM && s->t->col_dim;
			for (size_t j = 0; j < s->nfigs; j++)
				seen |= s->figs[j] == names[i].fig;
			if (!seen && s->nfigs < MJ_SHOW_MAX)
				s->figs[s->nfigs++] = names[i].fig;
			break;
		}
		p += len;
		if (*p == ',')
			p++;
	}
}

static enum mj_percent fig_base(int fig)
{
	return fig == FIG_ROW ? MJ_PCT_ROW : fig == FIG_COL ? MJ_PCT_COL :
	       fig == FIG_VALID ? MJ_PCT_VALID : MJ_PCT_TOTAL;
}

static enum word fig_word(int fig)
{
	static const enum word w[] = {
		[FIG_COUNT] = W_COUNT, [FIG_TOTAL] = W_PCT, [FIG_ROW] = W_ROW_PCT,
		[FIG_COL] = W_COL_PCT, [FIG_VALID] = W_VALID, [FIG_CUM] = W_CUM,
	};
	return w[fig];
}

/* The count of table cell (r, c) in a formula: its cell (absolute as
 * asked) when the counts are shown, else the number itself. */
static void count_ref(const struct sheet *s, size_t r, size_t c, int row_abs,
		      int col_abs, char *buf, size_t len)
{
	if (s->counts_shown && len >= 32)
		cell_ref(buf, s->count_row0 + (lxw_row_t)r, s->count_col0 + (lxw_col_t)c,
			 row_abs, col_abs);
	else
		snprintf(buf, len, "%.15g", s->t->rows[r].values[c]);
}

/* The parent subtotal of nested row r, or SIZE_MAX. */
static size_t parent_index(const struct mj_table *t, size_t r)
{
	for (size_t p = r; p-- > 0;)
		if (t->rows[p].level < t->rows[r].level)
			return t->rows[p].kind != MJ_ROW_CATEGORY ? p : SIZE_MAX;
	return SIZE_MAX;
}

/* Writes the percent of base of table cell (r, c) at (xr, xc), as the
 * table writers compute it (mj_table_percent()): a formula over the
 * counts with its cached value, or an empty cell where the table shows
 * none (a hidden part, no base). */
static void write_base_percent(struct sheet *s, size_t r, size_t c, lxw_row_t xr,
			       lxw_col_t xc, enum mj_percent base, size_t *scratch)
{
	const struct mj_table *t = s->t;
	const struct mj_table_row *row = &t->rows[r];
	size_t nc = t->ncols, tot = total_index(t);
	int k = kind_index(row);
	if (r == tot && (base == MJ_PCT_TOTAL || base == MJ_PCT_VALID || base == MJ_PCT_COL) &&
	    multi_sum(s, base)) {
		write_multi_column_sum(s, xr, xc, k, base, scratch);
		return;
	}
	if (base == MJ_PCT_ROW && c == nc - 1 && nc > 1 && multi_sum(s, MJ_PCT_ROW)) {
		/* The row's percents of appeals, summed, as mj-tab shows them. */
		double sum = 0;
		int any = 0;
		for (size_t q = 0; q + 1 < nc; q++) {
			double p = shown_percent(s, r, q, MJ_PCT_ROW);
			if (p >= 0) {
				sum += p;
				any = 1;
			}
		}
		char a[32], z[32], formula[80];
		cell_ref(a, xr, xc - (lxw_col_t)c, 0, 0);
		cell_ref(z, xr, xc - 1, 0, 0);
		snprintf(formula, sizeof formula, "=SUM(%s:%s)", a, z);
		if (any)
			note_lxw(s, write_formula_num(s->ws, xr, xc, formula, s->f->pct[k], sum));
		else
			note_lxw(s, worksheet_write_blank(s->ws, xr, xc, s->f->pct[k]));
		return;
	}
	double p = mj_table_percent(t, row, c, base);
	int hidden = p < 0 || is_hidden(s, r, c);
	char num[600], den[600];
	count_ref(s, r, c, 0, 0, num, sizeof num);
	if (!hidden && base == MJ_PCT_TOTAL) {
		hidden = tot == SIZE_MAX || is_hidden(s, tot, nc - 1);
		if (!hidden)
			count_ref(s, tot, nc - 1, 1, 1, den, sizeof den);
	} else if (!hidden && base == MJ_PCT_ROW) {
		hidden = is_hidden(s, r, nc - 1);
		count_ref(s, r, nc - 1, 0, 1, den, sizeof den);
	} else if (!hidden && base == MJ_PCT_COL) {
		hidden = tot == SIZE_MAX || is_hidden(s, tot, c);
		if (!hidden)
			count_ref(s, tot, c, 1, 0, den, sizeof den);
	} else if (!hidden && base == MJ_PCT_VALID && row->level > 0) {
		size_t pi = parent_index(t, r);
		hidden = pi == SIZE_MAX || is_hidden(s, pi, c);
		if (!hidden)
			count_ref(s, pi, c, 1, 0, den, sizeof den);
	} else if (!hidden && base == MJ_PCT_VALID) {
		/* Of the column's total without its "not stated" rows, which
		 * must be shown, or the percent would give them away. */
		hidden = tot == SIZE_MAX || is_hidden(s, tot, c);
		char ref[32];
		size_t used = 0;
		if (!hidden) {
			count_ref(s, tot, c, 1, 0, ref, sizeof ref);
			used = (size_t)snprintf(den, sizeof den, "(%s", ref);
		}
		for (size_t q = 0; q < t->nrows && !hidden; q++)
			if (t->rows[q].kind == MJ_ROW_CATEGORY && t->rows[q].level == 0 &&
			    mj_table_row_missing(t, &t->rows[q])) {
				hidden = is_hidden(s, q, c);
				count_ref(s, q, c, 1, 0, ref, sizeof ref);
				if (used + strlen(ref) + 3 < sizeof den)
					used += (size_t)snprintf(den + used, sizeof den - used, "-%s", ref);
				else
					hidden = 1;
			}
		if (!hidden)
			snprintf(den + used, sizeof den - used, ")");
		/* The total's valid percent is of its valid part: 100. */
		if (!hidden && row->kind == MJ_ROW_TOTAL)
			snprintf(num, sizeof num, "%s", den);
	}
	if (hidden) {
		note_lxw(s, worksheet_write_blank(s->ws, xr, xc, s->f->pct[k]));
		return;
	}
	char formula[1300];
	snprintf(formula, sizeof formula, "=%s/%s", num, den);
	note_lxw(s, write_formula_num(s->ws, xr, xc, formula, s->f->pct[k], p / 100.0));
	widen(s, xc, 6);
}

/* A one-way table with a column per figure shown, in order. The
 * cumulative percent runs over the top-level rows, of valid when valid
 * is shown too, as mj-tab's; it stops at a hidden row, whose share the
 * next step would give away. Returns the last sheet column used. */
static lxw_col_t write_oneway_shown(struct sheet *s, size_t *scratch)
{
	const struct mj_table *t = s->t;
	GString *g = g_string_new(NULL);
	for (size_t d = 0; d < t->ndims; d++)
		g_string_append_printf(g, "%s%s", d ? " › " : "", dim_label(s, d));
	write_header(s, ROW_HEADER, 0, g->str, 0);
	g_string_free(g, TRUE);
	int valid = 0;
	for (size_t j = 0; j < s->nfigs; j++) {
		valid |= s->figs[j] == FIG_VALID;
		if (s->figs[j] == FIG_COUNT) {
			s->counts_shown = 1;
			s->count_col0 = (lxw_col_t)(j + 1);
		}
	}
	s->count_row0 = ROW_FIRST;
	for (size_t j = 0; j < s->nfigs; j++) {
		lxw_col_t xc = (lxw_col_t)(j + 1);
		int fig = s->figs[j];
		write_header(s, ROW_HEADER, xc, fig == FIG_COUNT ? col_label(s, 0) :
			     word(s->lang, fig_word(fig)), 1);
		lxw_row_t prev = 0;
		int have_prev = 0, stopped = 0;
		double run = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			const struct mj_table_row *row = &t->rows[r];
			lxw_row_t xr = ROW_FIRST + (lxw_row_t)r;
			int k = kind_index(row);
			if (j == 0)
				write_label(s, r, xr);
			if (fig == FIG_COUNT) {
				write_count(s, r, 0, xr, xc, scratch);
				continue;
			}
			if (fig != FIG_CUM) {
				write_base_percent(s, r, 0, xr, xc, fig_base(fig), scratch);
				continue;
			}
			enum mj_percent base = valid ? MJ_PCT_VALID : MJ_PCT_TOTAL;
			double p = mj_table_percent(t, row, 0, base);
			if (row->level != 0 || row->kind == MJ_ROW_TOTAL || p < 0 || stopped) {
				if (row->level == 0 && row->kind != MJ_ROW_TOTAL && p < 0 &&
				    !(valid && mj_table_row_missing(t, row)))
					stopped = 1;
				note_lxw(s, worksheet_write_blank(s->ws, xr, xc, s->f->pct[k]));
				continue;
			}
			/* This row's percent, as its own formula, added to the
			 * cumulative percent above. */
			char num[32], den[600], ref[32], formula[1400];
			count_ref(s, r, 0, 0, 0, num, sizeof num);
			size_t tot = total_index(t), used;
			count_ref(s, tot, 0, 1, 0, ref, sizeof ref);
			used = (size_t)snprintf(den, sizeof den, "(%s", ref);
			for (size_t q = 0; valid && q < t->nrows; q++)
				if (t->rows[q].kind == MJ_ROW_CATEGORY && t->rows[q].level == 0 &&
				    mj_table_row_missing(t, &t->rows[q]) && used + 34 < sizeof den) {
					count_ref(s, q, 0, 1, 0, ref, sizeof ref);
					used += (size_t)snprintf(den + used, sizeof den - used, "-%s", ref);
				}
			snprintf(den + used, sizeof den - used, ")");
			char before[32] = "";
			if (have_prev) {
				cell_ref(before, prev, xc, 0, 0);
				strcat(before, "+");
			}
			snprintf(formula, sizeof formula, "=%s%s/%s", before, num, den);
			run += p;
			note_lxw(s, write_formula_num(s->ws, xr, xc, formula, s->f->pct[k], run / 100.0));
			widen(s, xc, 6);
			prev = xr;
			have_prev = 1;
		}
	}
	s->block_first[HOST_COUNTS] = ROW_FIRST;
	s->block_header[HOST_COUNTS] = ROW_HEADER;
	s->block_title[HOST_COUNTS] = ROW_COLDIM;
	s->below = ROW_FIRST + (lxw_row_t)t->nrows + 1;
	return (lxw_col_t)s->nfigs;
}

/* A cross-tab with a block of rows per figure shown, in order, each with
 * its heading; the first block's heading is the counts' (nested column
 * headers included) whatever it shows. Returns the last sheet column. */
static lxw_col_t write_crosstab_shown(struct sheet *s, size_t *scratch)
{
	const struct mj_table *t = s->t;
	size_t nc = t->ncols, tot = total_index(t);
	lxw_row_t gap = s->st && s->st->ncols > 0 ? 3 : 2;
	lxw_row_t firsts[MJ_SHOW_MAX];
	for (size_t j = 0; j < s->nfigs; j++) {
		firsts[j] = ROW_FIRST + (lxw_row_t)j * ((lxw_row_t)t->nrows + gap);
		s->fig_header[j] = firsts[j] - 1;
		if (s->figs[j] == FIG_COUNT) {
			s->counts_shown = 1;
			s->count_row0 = firsts[j];
			s->count_col0 = 1;
		}
	}
	for (int h = 0; h < NHOSTS; h++) {
		s->block_first[h] = firsts[0];
		s->block_header[h] = firsts[0] - 1;
		s->block_title[h] = firsts[0] - 2;
	}
	for (size_t j = 0; j < s->nfigs; j++) {
		int fig = s->figs[j];
		int h = fig == FIG_COUNT ? HOST_COUNTS : fig == FIG_ROW ? HOST_ROW_PCT :
			fig == FIG_COL ? HOST_COL_PCT : -1;
		if (h >= 0) {
			s->block_first[h] = firsts[j];
			s->block_header[h] = firsts[j] - 1;
			s->block_title[h] = firsts[j] - 2;
		}
		if (j == 0) {
			if (fig == FIG_COUNT) {
				GString *g = g_string_new(NULL);
				for (size_t d = 0; d < t->ndims; d++)
					g_string_append_printf(g, "%s%s", d ? " › " : "",
							       dim_label(s, d));
				write_header(s, ROW_HEADER, 0, g->str, 0);
				g_string_free(g, TRUE);
			} else {
				write_header(s, ROW_HEADER, 0, word(s->lang, fig_word(fig)), 0);
			}
			if (t->nest) {
				write_nested_header(s);
			} else {
				note_lxw(s, worksheet_write_string(s->ws, ROW_COLDIM, 1,
								   col_dim_label(s), s->f->coldim));
				for (size_t c = 0; c < nc; c++)
					write_header(s, ROW_HEADER, (lxw_col_t)(c + 1),
						     col_label(s, c), 1);
			}
		} else {
			write_header(s, firsts[j] - 1, 0, fig == FIG_COUNT ? measure_label(s) :
				     word(s->lang, fig_word(fig)), 0);
			for (size_t c = 0; c < nc; c++)
				write_header(s, firsts[j] - 1, (lxw_col_t)(c + 1), col_label(s, c), 1);
		}
		for (size_t r = 0; r < t->nrows; r++) {
			lxw_row_t xr = firsts[j] + (lxw_row_t)r;
			write_label(s, r, xr);
			for (size_t c = 0; c < nc; c++) {
				if (fig == FIG_COUNT)
					write_count(s, r, c, xr, (lxw_col_t)(c + 1), scratch);
				else
					write_base_percent(s, r, c, xr, (lxw_col_t)(c + 1),
							   fig_base(fig), scratch);
			}
		}
		/* A colour scale on the row percents of the categories, as
		 * without --show. */
		size_t body_rows = tot == SIZE_MAX ? t->nrows : tot;
		if (fig == FIG_ROW && body_rows > 0 && nc > 1) {
			lxw_conditional_format cf;
			memset(&cf, 0, sizeof cf);
			cf.type = LXW_CONDITIONAL_3_COLOR_SCALE;
			cf.min_color = 0xF7FBFF;
			cf.mid_color = 0x9ECAE1;
			cf.max_color = 0x3182BD;
			note_lxw(s, worksheet_conditional_format_range(
				s->ws, firsts[j], 1, firsts[j] + (lxw_row_t)body_rows - 1,
				(lxw_col_t)(nc - 1), &cf));
		}
	}
	s->below = firsts[s->nfigs - 1] + (lxw_row_t)t->nrows + 1;
	return (lxw_col_t)nc;
}

/* ---- statistics ------------------------------------------------------ */

/* Applies the look of a row kind (bold and fill for subtotals and
 * totals, rules around the total) to f. */
static void row_style(lxw_format *f, int k)
{
	const lxw_color_t sub_fill = 0xF2F2F2, total_fill = 0xE7E6E6;
	if (k == K_CAT)
		return;
	format_set_bold(f);
	format_set_pattern(f, LXW_PATTERN_SOLID);
	format_set_bg_color(f, k == K_SUB ? sub_fill : total_fill);
	if (k == K_TOTAL) {
		format_set_top(f, LXW_BORDER_THIN);
		format_set_bottom(f, LXW_BORDER_DOUBLE);
	}
}

/* The format for number format num in a row of kind k, made on first
 * use; NULL (Excel's general) if too many were asked for. */
static lxw_format *stat_format(struct sheet *s, int k, const char *num)
{
	struct formats *f = s->f;
	for (size_t i = 0; i < f->nstat; i++)
		if (strcmp(f->stat[i].num, num) == 0)
			return f->stat[i].f[k];
	if (f->nstat == MAX_STAT_FORMATS || strlen(num) >= sizeof f->stat[0].num)
		return NULL;
	size_t i = f->nstat;
	snprintf(f->stat[i].num, sizeof f->stat[i].num, "%s", num);
	for (int j = 0; j < K_COUNT; j++) {
		lxw_format *x = workbook_add_format(s->wb);
		if (!x) {
			note_lxw(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
			return NULL;
		}
		format_set_num_format(x, num);
		row_style(x, j);
		f->stat[i].f[j] = x;
	}
	f->nstat++;
	return f->stat[i].f[k];
}

static enum stat_kind stat_kind_of(const char *name)
{
	static const struct { const char *name; enum stat_kind kind; } kinds[] = {
		{"ci_low", SK_CI}, {"ci_high", SK_CI},
		{"count_compared", SK_COMPARED}, {"change", SK_CHANGE},
		{"percent_change", SK_PCT_CHANGE}, {"population", SK_POPULATION},
		{"rate", SK_RATE}, {"mention_percent", SK_MENTION}};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(name, kinds[i].name) == 0)
			return kinds[i].kind;
	return SK_OTHER;
}

/* Whether a column's values are percents (7.3 for 7.3%): they are
 * written as fractions in a percent format, like the sheet's own. */
static int stat_is_percent(enum stat_kind k)
{
	return k == SK_CI || k == SK_PCT_CHANGE || k == SK_MENTION;
}

/* The Excel number format of statistics column i. */
static void stat_numfmt(const struct sheet *s, size_t i, char *buf, size_t len)
{
	const struct mj_stat_col *col = &s->st->cols[i];
	enum stat_kind k = s->place[i].kind;
	/* -1: as the percents, which the sheet shows with one decimal. */
	int d = col->decimals < 0 ? 1 : col->decimals > 6 ? 6 : col->decimals;
	char frac[8] = "";
	if (d > 0) {
		frac[0] = '.';
		memset(frac + 1, '0', (size_t)d);
		frac[d + 1] = '\0';
	}
	if (k == SK_PCT_CHANGE)
		snprintf(buf, len, "+0%s%%;-0%s%%;0%s%%", frac, frac, frac);
	else if (stat_is_percent(k))
		snprintf(buf, len, "0%s%%", frac);
	else if (k == SK_CHANGE)
		snprintf(buf, len, "+#,##0%s;-#,##0%s;0%s", frac, frac, frac);
	else
		snprintf(buf, len, "#,##0%s", frac);
}

/* The sheet cell of statistics column i for table cell (r, c). */
static void stat_cell(const struct sheet *s, size_t i, size_t r, size_t c,
		      lxw_row_t *xr, lxw_col_t *xc)
{
	*xr = s->block_first[s->place[i].host] + (lxw_row_t)r;
	*xc = s->place[i].col + (s->t->col_dim ? (lxw_col_t)c : 0);
}

/* A count below the threshold in a column of counts of another period
 * (count_compared): hidden as the table's own are. */
static int small_count(const struct sheet *s, double v)
{
	return s->min_cell > 1 && v > 0 && v < (double)s->min_cell;
}

enum { SS_BLANK, SS_TEXT, SS_NUMBER };

/* What statistics column i shows for table cell (r, c): nothing, a text
 * (a mark, or "<N") or a number (*v; a fraction for percents). A hidden
 * cell shows none of its statistics but its population: an interval,
 * a change or a rate would give the count away. */
static int stat_state(const struct sheet *s, size_t i, size_t r, size_t c,
		      double *v, const char **text)
{
	const struct mj_table *t = s->t;
	const struct mj_stat_col *col = &s->st->cols[i];
	enum stat_kind k = s->place[i].kind;
	size_t idx = r * t->ncols + c;
	*v = NAN;
	*text = NULL;
	if (is_hidden(s, r, c)) {
		/* "no population" says nothing of the count. */
		if (k == SK_RATE && col->marks && col->marks[idx]) {
			*text = col->marks[idx];
			return SS_TEXT;
		}
		if (k != SK_POPULATION)
			return SS_BLANK;
	}
	if (k == SK_CI) {
		/* The interval of a percent that the sheet leaves blank
		 * would give that percent away. */
		if (t->col_dim) {
			if (is_hidden(s, r, t->ncols - 1))
				return SS_BLANK;
		} else {
			size_t tot = total_index(t);
			if (tot == SIZE_MAX || is_hidden(s, tot, 0))
				return SS_BLANK;
			for (size_t q = 0; q < t->nrows; q++)
				if (t->rows[q].kind == MJ_ROW_CATEGORY &&
				    mj_table_row_missing(t, &t->rows[q]) &&
				    is_hidden(s, q, 0))
					return SS_BLANK;
			const struct mj_table_row *p = t->rows[r].level > 0 ?
				parent_of(t, r) : NULL;
			if (p && is_hidden(s, (size_t)(p - t->rows), 0))
				return SS_BLANK;
		}
	}
	if (k == SK_MENTION && s->mention_ok && !s->mention_ok[idx])
		return SS_BLANK;
	if ((k == SK_CHANGE || k == SK_PCT_CHANGE) && s->i_compared >= 0 &&
	    small_count(s, s->st->cols[s->i_compared].values[idx]))
		return SS_BLANK;
	if (col->marks && col->marks[idx]) {
		*text = col->marks[idx];
		return SS_TEXT;
	}
	double x = col->values[idx];
	if (isnan(x))
		return SS_BLANK;
	if (k == SK_COMPARED && small_count(s, x)) {
		*text = s->hidden_text;
		return SS_TEXT;
	}
	*v = stat_is_percent(k) ? x / 100 : x;
	return SS_NUMBER;
}

/* Rates are count / population * per: per found from the figures
 * themselves (struct mj_stats does not carry it), and only when every
 * shown rate agrees with it. 0 when no formula can be written. */
static double find_per(const struct sheet *s, size_t irate)
{
	const struct mj_table *t = s->t;
	if (s->i_population < 0)
		return 0;
	double per = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t r = 0; r < t->nrows; r++)
			for (size_t c = 0; c < t->ncols; c++) {
				double rate, pop;
				const char *tx;
				if (stat_state(s, irate, r, c, &rate, &tx) != SS_NUMBER ||
				    stat_state(s, (size_t)s->i_population, r, c, &pop,
					       &tx) != SS_NUMBER || !(pop > 0))
					continue;
				double count = t->rows[r].values[c];
				if (pass == 0) {
					if (per == 0 && count > 0) {
						/* Ten significant digits: 100000,
						 * not 99999.99999999999. */
						char buf[64];
						snprintf(buf, sizeof buf, "%.10g",
							 rate * pop / count);
						per = strtod(buf, NULL);
					}
				} else if (!same_value(count / pop * per, rate)) {
					return 0;
				}
			}
		if (per <= 0 || !isfinite(per))
			return 0;
	}
	return per;
}

/* Which cells may show a percent of mentions: those whose mentions (the
 * sum over the multi-response categories, "not stated" left out) count
 * no hidden cell, since the percents would let a reader recompute it. */
static enum mj_status plan_mentions(struct sheet *s, struct mj_error *err)
{
	const struct mj_table *t = s->t;
	size_t nc = t->ncols;
	size_t ncell = t->nrows * nc;
	s->mention_ok = malloc(ncell ? ncell : 1);
	if (!s->mention_ok)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	memset(s->mention_ok, 1, t->nrows * nc);
	int by_col = (size_t)s->st->multi_which == t->ndims && t->col_dim;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < nc; c++) {
			int hidden = 0;
			if (by_col) {
				for (size_t q = 0; q + 1 < nc; q++)
					hidden |= strcmp(t->col_codes[q], MJ_CODE_MISSING) != 0 &&
						  is_hidden(s, r, q);
			} else {
				for (size_t q = 0; q < t->nrows; q++)
					hidden |= t->rows[q].kind == MJ_ROW_CATEGORY &&
						  !mj_table_row_missing(t, &t->rows[q]) &&
						  is_hidden(s, q, c);
			}
			s->mention_ok[r * nc + c] = !hidden;
		}
	return MJ_OK;
}

/* Where each statistics column goes: one-way tables get one sheet
 * column each right after their own (from first); a cross-tab gets a
 * block of its categories per statistic beside the block it qualifies,
 * after a narrow spacer: intervals beside the row percents they bound,
 * percents of mentions beside the percents of appeals they go with,
 * comparisons and rates beside the counts. Returns the last column. */
static lxw_col_t plan_stats(struct sheet *s, lxw_col_t first)
{
	const struct mj_table *t = s->t;
	const struct mj_stats *st = s->st;
	size_t nc = t->ncols;
	lxw_col_t next[NHOSTS], last = first - 1;
	for (int h = 0; h < NHOSTS; h++)
		next[h] = (lxw_col_t)(nc + 2);
	s->i_compared = s->i_change = s->i_population = -1;
	for (size_t i = 0; i < st->ncols; i++) {
		enum stat_kind k = stat_kind_of(st->cols[i].name);
		s->place[i].kind = k;
		if (k == SK_COMPARED && s->i_compared < 0)
			s->i_compared = (int)i;
		else if (k == SK_CHANGE && s->i_change < 0)
			s->i_change = (int)i;
		else if (k == SK_POPULATION && s->i_population < 0)
			s->i_population = (int)i;
		if (!t->col_dim) {
			s->place[i].host = HOST_COUNTS;
			s->place[i].col = first + (lxw_col_t)i;
			last = s->place[i].col;
			continue;
		}
		int h = k == SK_CI ? HOST_ROW_PCT :
			k == SK_MENTION ? ((size_t)st->multi_which == t->ndims ?
					   HOST_ROW_PCT : HOST_COL_PCT) :
			HOST_COUNTS;
		s->place[i].host = h;
		s->place[i].col = next[h];
		s->gap[next[h] - 1] = 1;
		next[h] += (lxw_col_t)(nc + 1);
		if (next[h] - 2 > last)
			last = next[h] - 2;
	}
	return last;
}

/* Writes statistics column i for table cell (r, c): change, percent
 * change and rate as formulas over the cells they come from when those
 * are shown and agree, everything else as values. */
static void write_stat(struct sheet *s, size_t i, size_t r, size_t c, int k,
		       lxw_format *fmt)
{
	const struct mj_table *t = s->t;
	lxw_row_t xr;
	lxw_col_t xc;
	stat_cell(s, i, r, c, &xr, &xc);
	double v;
	const char *text;
	int state = stat_state(s, i, r, c, &v, &text);
	if (state == SS_BLANK) {
		note_lxw(s, worksheet_write_blank(s->ws, xr, xc, fmt));
		return;
	}
	if (state == SS_TEXT) {
		note_lxw(s, worksheet_write_string(s->ws, xr, xc, text,
						   s->f->hidden[k]));
		widen(s, xc, text_chars(text));
		return;
	}
	const struct mj_stat_col *col = &s->st->cols[i];
	enum stat_kind kind = s->place[i].kind;
	int d = col->decimals < 0 ? 1 : col->decimals;
	widen(s, xc, stat_is_percent(kind) ? 7 + d :
		     number_chars(v, d) + (kind == SK_CHANGE));
	char me[32], a[32], b[32], formula[160];
	lxw_row_t ar, br;
	lxw_col_t ac, bc;
	double count = t->rows[r].values[c], x, y;
	const char *tx;
	cell_ref(me, s->count_row0 + (lxw_row_t)r, s->count_col0 + (lxw_col_t)c, 0, 0);
	formula[0] = '\0';
	if (!s->counts_shown) {
		/* No count cell to refer to: values. */
	} else if (kind == SK_CHANGE && s->i_compared >= 0 &&
	    stat_state(s, (size_t)s->i_compared, r, c, &x, &tx) == SS_NUMBER &&
	    same_value(count - x, v)) {
		stat_cell(s, (size_t)s->i_compared, r, c, &ar, &ac);
		cell_ref(a, ar, ac, 0, 0);
		snprintf(formula, sizeof formula, "=%s-%s", me, a);
	} else if (kind == SK_PCT_CHANGE && s->i_compared >= 0 && s->i_change >= 0 &&
		   stat_state(s, (size_t)s->i_compared, r, c, &x, &tx) == SS_NUMBER &&
		   stat_state(s, (size_t)s->i_change, r, c, &y, &tx) == SS_NUMBER &&
		   x > 0 && same_value(y / x, v)) {
		stat_cell(s, (size_t)s->i_change, r, c, &ar, &ac);
		stat_cell(s, (size_t)s->i_compared, r, c, &br, &bc);
		cell_ref(a, ar, ac, 0, 0);
		cell_ref(b, br, bc, 0, 0);
		snprintf(formula, sizeof formula, "=%s/%s", a, b);
	} else if (kind == SK_RATE && s->per > 0 && s->i_population >= 0 &&
		   stat_state(s, (size_t)s->i_population, r, c, &x, &tx) == SS_NUMBER &&
		   x > 0 && same_value(count / x * s->per, v)) {
		stat_cell(s, (size_t)s->i_population, r, c, &ar, &ac);
		cell_ref(a, ar, ac, 0, 0);
		snprintf(formula, sizeof formula, "=%s/%s*%.10g", me, a, s->per);
	}
	if (formula[0])
		note_lxw(s, write_formula_num(s->ws, xr, xc, formula,
							fmt, v));
	else
		note_lxw(s, write_number(s->ws, xr, xc, v, fmt));
}

/* Writes the statistics columns (see plan_stats()) and their headings.
 * Returns the last sheet column used. */
static lxw_col_t write_stats(struct sheet *s, lxw_col_t own_last,
			     struct mj_error *err)
{
	const struct mj_table *t = s->t;
	const struct mj_stats *st = s->st;
	if (!st || st->ncols == 0)
		return own_last;
	lxw_col_t last = plan_stats(s, own_last + 1);
	for (size_t i = 0; i < st->ncols; i++)
		if (s->place[i].kind == SK_MENTION && !s->mention_ok &&
		    plan_mentions(s, err) != MJ_OK)
			return (lxw_col_t)-1;
	for (size_t i = 0; i < st->ncols; i++)
		if (s->place[i].kind == SK_RATE) {
			s->per = find_per(s, i);
			break;
		}
	for (size_t i = 0; i < st->ncols; i++) {
		char num[48];
		stat_numfmt(s, i, num, sizeof num);
		lxw_format *fmt[K_COUNT];
		for (int k = 0; k < K_COUNT; k++)
			fmt[k] = stat_format(s, k, num);
		int h = s->place[i].host;
		if (t->col_dim) {
			/* The block's title over its first column, the
			 * categories under it as over the counts. */
			note_lxw(s, worksheet_write_string(s->ws, s->block_title[h],
							   s->place[i].col,
							   st->cols[i].title,
							   s->f->coldim));
			for (size_t c = 0; c < t->ncols; c++)
				write_header(s, s->block_header[h],
					     s->place[i].col + (lxw_col_t)c,
					     col_label(s, c), 1);
		} else {
			write_header(s, ROW_HEADER, s->place[i].col,
				     st->cols[i].title, 1);
		}
		for (size_t r = 0; r < t->nrows; r++) {
			int k = kind_index(&t->rows[r]);
			for (size_t c = 0; c < t->ncols; c++)
				write_stat(s, i, r, c, k, fmt[k]);
		}
	}
	return last;
}

static const enum word test_words[] = {W_CHI2, W_DF, W_P, W_V, W_N_TESTED};

/* Makes the label column wide enough for the test's labels, and the
 * next for its figures, before the widths are set. */
static void widen_for_test(struct sheet *s)
{
	if (!s->st || !s->st->has_test)
		return;
	for (size_t i = 0; i < sizeof test_words / sizeof test_words[0]; i++)
		widen(s, 0, text_chars(word(s->lang, test_words[i])));
	widen(s, 1, number_chars(s->st->test.n, 0));
}

/* A line of text under the table: across columns A..span (merged) and
 * wrapped, its row as high as the lines it takes; a chart beside the
 * table would hide a line that ran on to the right. */
static void note_row(struct sheet *s, lxw_row_t *r, const char *text,
		     lxw_col_t span)
{
	double chars = 0;
	for (lxw_col_t c = 0; c <= span && c < s->nwidth; c++)
		chars += s->width[c];
	if (span == 0 || chars <= 0) {
		note_lxw(s, worksheet_write_string(s->ws, *r, 0, text, s->f->note));
		(*r)++;
		return;
	}
	/* Column widths are in digits of the default font; the letters of
	 * a text run narrower on average, which leaves room for the words
	 * that wrap early. */
	double lines = ceil(text_chars(text) / chars);
	note_lxw(s, worksheet_merge_range(s->ws, *r, 0, *r, span, text,
					  s->f->note_wrap));
	if (lines > 1)
		note_lxw(s, worksheet_set_row(s->ws, *r, 15 * lines, NULL));
	(*r)++;
}

/* The notes of the statistics and the chi-square test, in rows under
 * the table from s->below, notes as wide as columns A..span. Called
 * once the column widths are final (s->width). */
static void write_stats_notes(struct sheet *s, lxw_col_t span)
{
	const struct mj_stats *st = s->st;
	lxw_row_t r = s->below;
	/* The "x" mark is explained once, under the table. */
	if (s->has_complement) {
		char *line = g_strdup_printf("%s.", mj_table_mark_note(s->lang));
		note_row(s, &r, line, span);
		g_free(line);
	}
	if (!st)
		return;
	for (size_t i = 0; i < st->nnotes; i++)
		note_row(s, &r, st->notes[i], span);
	if (st->test_problem[0]) {
		char *line = g_strdup_printf("%s: %s", word(s->lang, W_NOT_TESTED),
					     st->test_problem);
		note_row(s, &r, line, span);
		g_free(line);
	}
	if (!st->has_test)
		return;
	const struct mj_chi2 *c = &st->test;
	if (st->nnotes || st->test_problem[0])
		r++;
	note_lxw(s, worksheet_write_string(s->ws, r++, 0, word(s->lang, W_TEST),
					   s->f->key));
	const double values[] = {c->chi2, c->df, c->p, c->cramers_v, c->n};
	static const char *const formats[] = {"0.0000", "0", "0.000", "0.0000",
					      "#,##0"};
	for (size_t i = 0; i < sizeof test_words / sizeof test_words[0]; i++, r++) {
		note_lxw(s, worksheet_write_string(s->ws, r, 0,
			 word(s->lang, test_words[i]), s->f->value));
		note_lxw(s, write_number(s->ws, r, 1, values[i],
						   stat_format(s, K_CAT, formats[i])));
	}
	/* The lines after the figures, as mj-tab prints them: cells with a
	 * small expected count, the warning, what was left out. */
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem) {
		note_lxw(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	mj_chi2_write(mem, c, s->lang);
	if (fclose(mem) != 0 || !text) {
		free(text);
		note_lxw(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	char *save = NULL;
	int n = 0;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (n++ >= 2 && *line)
			note_row(s, &r, line, span);
	free(text);
}

/* ---- charts ---------------------------------------------------------- */

/* The colour of a category from the schema ("#RRGGBB"), or -1. */
static long cat_color(const struct sheet *s, const char *dim, const char *code)
{
	const struct mj_schema *sc = s->o->schema;
	char buf[32];
	if (!sc || !dim || !code)
		return -1;
	int di = mj_schema_dim_find(sc, dim);
	if (di < 0)
		return -1;
	int ci = mj_schema_cat_find(sc, (size_t)di, code);
	if (ci < 0 || !mj_schema_cat_attr(sc, (size_t)di, (size_t)ci, "color",
					  buf, sizeof buf) ||
	    buf[0] != '#' || strlen(buf) != 7)
		return -1;
	char *end;
	long v = strtol(buf + 1, &end, 16);
	return *end ? -1 : v;
}

static const lxw_color_t palette[] = {
	0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7, 0x56B4E9, 0xD55E00,
	0xF0E442, 0x999999, 0x332288, 0x88CCEE, 0x44AA99, 0x117733,
};
#define NPALETTE (sizeof palette / sizeof palette[0])

/* Colours of n categories of dim: the schema's, grey for "not stated",
 * and for the rest palette colours that no other category uses. */
static void pick_colors(const struct sheet *s, const char *dim,
			const char *const *codes, size_t n, lxw_color_t *out)
{
	for (size_t r = 0; r < n; r++) {
		long c = strcmp(codes[r], MJ_CODE_MISSING) == 0 ? 0xBBBBBB :
			 cat_color(s, dim, codes[r]);
		out[r] = c >= 0 ? (lxw_color_t)c : LXW_COLOR_UNSET;
	}
	size_t next = 0;
	for (size_t r = 0; r < n; r++) {
		while (out[r] == LXW_COLOR_UNSET && next < NPALETTE) {
			lxw_color_t c = palette[next++];
			int used = 0;
			for (size_t i = 0; i < n; i++)
				used |= out[i] == c;
			if (!used)
				out[r] = c;
		}
		if (out[r] == LXW_COLOR_UNSET)
			out[r] = palette[r % NPALETTE];
	}
}

/* The native chart of sheet s: the type asked for when the table can
 * take it, else one chosen by its shape. *pct is set when the series are
 * the row percents (stacked bars of a cross-tab show each row's mix, as
 * the PDF's do). */
static uint8_t chart_kind(const struct sheet *s, size_t nbody, int any_hidden, int *pct)
{
	const struct mj_table *t = s->t;
	int nested = has_nesting(t);
	int month = t->ndims == 1 && strcmp(t->dims[0], "month") == 0;
	/* Appeals naming several categories of a multi-response dimension
	 * are parts that make more than the whole: no doughnut of them, and
	 * columns side by side rather than stacked past the total. */
	int multi = s->st && s->st->multi_used;
	int multi_cols = multi && t->col_dim && (size_t)s->st->multi_which == t->ndims;
	int ring = !t->col_dim && !nested && nbody <= 6 && !any_hidden && !multi;
	*pct = 0;
	switch (s->chart_type) {
	case MJ_CHART_BAR:
		return LXW_CHART_COLUMN;
	case MJ_CHART_HBAR:
	case MJ_CHART_MAP:
	case MJ_CHART_SUNBURST:
		return LXW_CHART_BAR;
	case MJ_CHART_STACKED:
		if (t->col_dim && !multi_cols) {
			*pct = 1;
			return LXW_CHART_BAR_STACKED;
		}
		break;
	case MJ_CHART_PIE:
	case MJ_CHART_DONUT:
		if (ring)
			return s->chart_type == MJ_CHART_PIE ? LXW_CHART_PIE : LXW_CHART_DOUGHNUT;
		break;
	case MJ_CHART_LINE:
		return LXW_CHART_LINE;
	default:
		break;
	}
	if (month)
		return LXW_CHART_LINE;
	if (t->col_dim)
		return multi_cols ? LXW_CHART_COLUMN : LXW_CHART_COLUMN_STACKED;
	return ring ? LXW_CHART_DOUGHNUT : LXW_CHART_BAR;
}

/* Whether body row r of the chart counts something in column c (a hidden
 * cell counts: it may hold anything from 1 up). */
static int chart_cell_counts(const struct sheet *s, size_t r, size_t c)
{
	return is_hidden(s, r, c) || s->t->rows[r].values[c] != 0;
}

/* One colour per slice of a ring (the schema's, else the palette) and
 * its percent as the table rounds it; slivers under 5% unlabelled, as
 * their labels would pile up (the table beside has them). */
static void ring_points(struct sheet *s, lxw_chart_series *ser, size_t nbody)
{
	const struct mj_table *t = s->t;
	lxw_chart_fill fills[6];
	lxw_chart_point pts[6], *ptrs[7];
	const char *codes[6];
	lxw_color_t colors[6];
	lxw_chart_data_label labels[6], *lptrs[7];
	double whole = 0;
	for (size_t r = 0; r < nbody; r++) {
		codes[r] = t->rows[r].codes[0];
		whole += t->rows[r].values[0];
	}
	pick_colors(s, t->dims[0], codes, nbody, colors);
	for (size_t r = 0; r < nbody; r++) {
		fills[r] = (lxw_chart_fill){.color = colors[r]};
		pts[r] = (lxw_chart_point){.fill = &fills[r]};
		ptrs[r] = &pts[r];
		labels[r] = (lxw_chart_data_label){
			.hide = whole > 0 && t->rows[r].values[0] < 0.05 * whole};
		lptrs[r] = &labels[r];
	}
	ptrs[nbody] = NULL;
	lptrs[nbody] = NULL;
	note_lxw(s, chart_series_set_points(ser, ptrs));
	chart_series_set_labels(ser);
	chart_series_set_labels_options(ser, 0, 0, 0);
	chart_series_set_labels_percentage(ser);
	chart_series_set_labels_num_format(ser, "0.0%");
	note_lxw(s, chart_series_set_labels_custom(ser, lptrs));
}

/* Groups dark, their members light: the hierarchy of a nested table
 * shows in its bars. */
static void nested_points(struct sheet *s, lxw_chart_series *ser, size_t nbody)
{
	lxw_chart_fill dark = {.color = 0x08519C}, light = {.color = 0x6BAED6};
	lxw_chart_point *pts = calloc(nbody, sizeof *pts);
	lxw_chart_point **ptrs = calloc(nbody + 1, sizeof *ptrs);
	if (!pts || !ptrs) {
		free(pts);
		free(ptrs);
		note_lxw(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (size_t r = 0; r < nbody; r++) {
		pts[r].fill = s->t->rows[r].level == 0 ? &dark : &light;
		ptrs[r] = &pts[r];
	}
	note_lxw(s, chart_series_set_points(ser, ptrs));
	free(pts);
	free(ptrs);
}

/* Labels of a stacked bar's row percents, rounded as the table rounds
 * them (97.9%, not 98%); those of slivers under 5% left off. */
static void pct_labels(struct sheet *s, lxw_chart_series *ser, size_t c, size_t nbody)
{
	const struct mj_table *t = s->t;
	lxw_chart_data_label *labels = calloc(nbody, sizeof *labels);
	lxw_chart_data_label **ptrs = calloc(nbody + 1, sizeof *ptrs);
	if (!labels || !ptrs) {
		free(labels);
		free(ptrs);
		note_lxw(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	for (size_t r = 0; r < nbody; r++) {
		double whole = t->rows[r].values[t->ncols - 1];
		labels[r].hide = !(whole > 0) || t->rows[r].values[c] < 0.05 * whole;
		ptrs[r] = &labels[r];
	}
	chart_series_set_labels(ser);
	chart_series_set_labels_num_format(ser, "0.0%");
	note_lxw(s, chart_series_set_labels_custom(ser, ptrs));
	free(labels);
	free(ptrs);
}

static void add_chart(struct sheet *s, lxw_col_t last_col, const char *title)
{
	const struct mj_table *t = s->t;
	size_t tot = total_index(t);
	size_t nbody = tot == SIZE_MAX ? t->nrows : tot;
	int nested = has_nesting(t);
	/* Nested rows or columns have subtotals a chart would count twice. */
	if (nbody == 0 || (nested && t->col_dim) || t->nest || !s->counts_shown)
		return;
	/* Categories at the end that count nothing ("not stated" in a month
	 * that has none) stay in the table but leave the chart. */
	while (nbody > 1 && t->rows[nbody - 1].level == 0 &&
	       !chart_cell_counts(s, nbody - 1, t->ncols - 1))
		nbody--;
	int any_hidden = 0;
	for (size_t r = 0; r < nbody; r++)
		for (size_t c = 0; c < t->ncols; c++)
			any_hidden |= is_hidden(s, r, c);
	int pct;
	uint8_t type = chart_kind(s, nbody, any_hidden, &pct);
	/* Without the row percents shown (--show), a stacked bar of the
	 * counts. */
	int row_shown = !s->show || s->nfigs == 0;
	for (size_t j = 0; j < s->nfigs && !row_shown; j++)
		row_shown = s->figs[j] == FIG_ROW;
	if (pct && !row_shown)
		pct = 0;
	lxw_chart *chart = workbook_add_chart(s->wb, type);
	if (!chart) {
		note_lxw(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	lxw_chart_font title_font = {.size = 11, .bold = 1};
	chart_title_set_name(chart, title);
	chart_title_set_name_font(chart, &title_font);
	lxw_row_t first = s->count_row0, lastr = first + (lxw_row_t)nbody - 1;
	/* The values: the counts, or a cross-tab's row percents. */
	lxw_row_t vfirst = pct ? s->block_first[1] : first;
	lxw_col_t vcol = t->col_dim ? 1 : s->count_col0;
	size_t nseries = t->col_dim ? t->ncols - 1 : 1;
	lxw_color_t *series_colors = calloc(nseries, sizeof *series_colors);
	if (!series_colors) {
		note_lxw(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
		return;
	}
	if (t->col_dim)
		pick_colors(s, t->col_dim, (const char *const *)t->col_codes,
			    nseries, series_colors);
	else
		series_colors[0] = palette[0];
	size_t drawn = 0;
	for (size_t c = 0; c < nseries; c++) {
		/* A column that counts nothing would only take a place in the
		 * legend. */
		int any = !t->col_dim;
		for (size_t r = 0; r < nbody && !any; r++)
			any = chart_cell_counts(s, r, c);
		if (!any)
			continue;
		drawn++;
		lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
		if (!ser) {
			note_lxw(s, LXW_ERROR_MEMORY_MALLOC_FAILED);
			goto out;
		}
		chart_series_set_categories(ser, s->name, first, 0, lastr, 0);
		chart_series_set_values(ser, s->name, vfirst, vcol + (lxw_col_t)c,
					vfirst + (lxw_row_t)nbody - 1, vcol + (lxw_col_t)c);
		chart_series_set_name_range(ser, s->name, s->block_header[HOST_COUNTS],
					    vcol + (lxw_col_t)c);
		lxw_chart_fill fill = {.color = series_colors[c]};
		lxw_chart_line line = {.color = fill.color, .width = 2.25};
		if (type == LXW_CHART_LINE) {
			chart_series_set_line(ser, &line);
			chart_series_set_marker_type(ser, LXW_CHART_MARKER_CIRCLE);
			chart_series_set_marker_size(ser, 5);
			chart_series_set_marker_fill(ser, &fill);
			chart_series_set_marker_line(ser, &line);
		} else if (type == LXW_CHART_DOUGHNUT || type == LXW_CHART_PIE) {
			ring_points(s, ser, nbody);
		} else if (type == LXW_CHART_BAR && nested) {
			nested_points(s, ser, nbody);
		} else {
			chart_series_set_fill(ser, &fill);
		}
		if (pct) {
			pct_labels(s, ser, c, nbody);
		} else if (!t->col_dim && (type == LXW_CHART_BAR || type == LXW_CHART_COLUMN)) {
			/* Each bar's count at its end, as the PDF's. */
			chart_series_set_labels(ser);
			chart_series_set_labels_num_format(ser, s->decimals ? "#,##0.00" : "#,##0");
		}
	}
	double w = 520, h = 300;
	int horizontal = type == LXW_CHART_BAR || type == LXW_CHART_BAR_STACKED;
	if (horizontal) {
		/* Categories read top to bottom in table order. */
		chart_axis_set_reverse(chart->y_axis);
		chart_axis_set_crossing_max(chart->y_axis);
		h = fmax(300, 22.0 * (double)nbody + (t->col_dim ? 130 : 90));
		chart_legend_set_position(chart, t->col_dim ? LXW_CHART_LEGEND_TOP
					  : LXW_CHART_LEGEND_NONE);
		if (type == LXW_CHART_BAR_STACKED) {
			chart_set_series_overlap(chart, 100);
			chart_set_series_gap(chart, 60);
		}
	} else if (type == LXW_CHART_COLUMN_STACKED ||
		   (type == LXW_CHART_COLUMN && t->col_dim)) {
		/* Side by side, each category needs room for every series. */
		double per = type == LXW_CHART_COLUMN ? 12.0 * (double)drawn + 20 : 44;
		w = fmin(1100, fmax(560, per * (double)nbody + 200));
		h = 380;
		chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
		chart_set_series_gap(chart, 60);
	} else if (type == LXW_CHART_COLUMN) {
		w = fmin(1100, fmax(480, 56.0 * (double)nbody + 120));
		chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	} else if (type == LXW_CHART_LINE) {
		w = fmin(1100, fmax(560, 40.0 * (double)nbody + 120));
		chart_legend_set_position(chart, drawn > 1 ?
					  LXW_CHART_LEGEND_BOTTOM :
					  LXW_CHART_LEGEND_NONE);
	} else {
		chart_legend_set_position(chart, LXW_CHART_LEGEND_RIGHT);
		if (type == LXW_CHART_DOUGHNUT)
			chart_set_hole_size(chart, 50);
	}
	if (pct) {
		chart_axis_set_num_format(chart->x_axis, "0%");
		chart_axis_set_max(chart->x_axis, 1);
	} else if (horizontal) {
		chart_axis_set_num_format(chart->x_axis, "#,##0");
	} else if (type != LXW_CHART_DOUGHNUT && type != LXW_CHART_PIE) {
		chart_axis_set_num_format(chart->y_axis, "#,##0");
	}
	/* Months held as dates are named on the axis as in the cells
	 * ("Январь 2023"), not as Excel's serial days. */
	if (s->o->month_dates && t->ndims == 1 && strcmp(t->dims[0], "month") == 0)
		chart_axis_set_num_format(horizontal ? chart->y_axis : chart->x_axis,
					  xlsx_month_format(s->lang));
	if (type == LXW_CHART_LINE || type == LXW_CHART_COLUMN_STACKED ||
	    (type == LXW_CHART_COLUMN && nbody > 8)) {
		/* Slanted category labels stay on one line each. */
		lxw_chart_font slant = {.rotation = -45};
		chart_axis_set_num_font(chart->x_axis, &slant);
	}
	/* A cross-tab that counts nothing has no bar to draw. */
	if (!drawn)
		goto out;
	lxw_chart_options co = {.x_offset = 10, .y_offset = 0,
				.x_scale = w / 480.0, .y_scale = h / 288.0,
				.description = (char *)title};
	note_lxw(s, worksheet_insert_chart_opt(s->ws, ROW_HEADER,
					       last_col + 2, chart, &co));
out:
	free(series_colors);
}

/* ---- sheets ---------------------------------------------------------- */

static void write_counted_line(struct sheet *s)
{
	const struct mj_table *t = s->t;
	const struct mj_table_row *total = mj_table_total(t);
	GString *g = g_string_new(NULL);
	char num[64];
	unsigned long long n = t->n_counted;
	if (n == 0 && total && (!t->measure || strcmp(t->measure, "count") == 0))
		n = (unsigned long long)total->values[t->ncols - 1];
	mj_format_number((double)n, 0, s->lang, num, sizeof num);
	g_string_append_printf(g, "%s: %s", word(s->lang, W_COUNTED), num);
	if (t->measure && strcmp(t->measure, "count") != 0 && total) {
		mj_format_number(total->values[t->ncols - 1], s->decimals ? 2 : 0,
				 s->lang, num, sizeof num);
		g_string_append_printf(g, " · %s: %s = %s", word(s->lang, W_SUM_OF),
				       measure_label(s), num);
	}
	if (t->period_from || t->period_to) {
		char p[80];
		g_string_append_printf(g, " · %s: %s", word(s->lang, W_PERIOD),
				       period_text(s->lang, t->period_from, t->period_to, p, sizeof p));
	}
	g_string_append_printf(g, " · %s: %s", word(s->lang, W_FILTERS),
			       t->filters && *t->filters ? t->filters :
			       word(s->lang, W_NONE));
	if (s->min_cell > 0) {
		char th[32];
		snprintf(th, sizeof th, "%ld", s->min_cell);
		g_string_append(g, " · ");
		g_string_append_printf(g, word(s->lang, W_SUPPRESS), th,
				       s->hidden_text);
	}
	note_lxw(s, worksheet_write_string(s->ws, ROW_COUNTED, 0, g->str,
					   s->f->counted));
	g_string_free(g, TRUE);
}

static int values_have_fractions(const struct mj_table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			if (t->rows[r].values[c] != floor(t->rows[r].values[c]))
				return 1;
	return 0;
}

static enum mj_status write_sheet(struct sheet *s, struct mj_error *err)
{
	const struct mj_table *t = s->t;
	enum mj_status st = plan_suppression(s, err);
	if (st != MJ_OK)
		return st;
	s->decimals = values_have_fractions(t);
	size_t nstats = s->st ? s->st->ncols : 0;
	s->nwidth = t->ncols + 4 + MJ_SHOW_MAX + nstats * (t->ncols + 1);
	s->width = calloc(s->nwidth, sizeof *s->width);
	s->gap = calloc(s->nwidth, 1);
	size_t *scratch = calloc(t->nrows + t->ncols + 1, sizeof *scratch);
	if (!s->width || !s->gap || !scratch) {
		free(scratch);
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	}
	char *title = t->title && *t->title && !s->relabel ? NULL : dims_title(s);
	const char *shown_title = title ? title : t->title;
	note_lxw(s, worksheet_write_string(s->ws, ROW_TITLE, 0, shown_title,
					   s->f->title));
	write_counted_line(s);

	lxw_col_t last;
	lxw_row_t rp = 0, cp = 0;
	size_t tot = total_index(t);
	size_t nbody = tot == SIZE_MAX ? t->nrows : tot;
	s->counts_shown = 1;
	s->count_row0 = ROW_FIRST;
	s->count_col0 = 1;
	if (s->show)
		pick_figs(s);
	if (s->show && s->nfigs > 0) {
		s->counts_shown = 0;
		if (t->col_dim)
			last = write_crosstab_shown(s, scratch);
		else
			last = write_oneway_shown(s, scratch);
	} else if (t->col_dim) {
		last = write_crosstab(s, scratch, &rp, &cp);
	} else {
		last = write_oneway(s, scratch);
	}
	lxw_col_t all = write_stats(s, last, err);
	if (all == (lxw_col_t)-1) {
		free(scratch);
		g_free(title);
		return err ? err->status : MJ_E_NOMEM;
	}
	/* A one-way table's statistics are columns of the table itself:
	 * filtering and sorting take them along. */
	if (!t->col_dim)
		last = all;
	widen_for_test(s);

	/* Column widths from the longest entry; headers wrap beyond 14. */
	for (size_t c = 0; c <= all && c < s->nwidth; c++) {
		double w = s->width[c] + 2;
		if (c == 0)
			w = fmin(fmax(w, 12), 60);
		else if (s->gap[c])
			w = 2;
		else
			w = fmin(fmax(w, 9), 18);
		s->width[c] = w;
		note_lxw(s, worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c,
						 w, NULL));
	}
	write_stats_notes(s, last);
	if (s->wrap_header) {
		note_lxw(s, worksheet_set_row(s->ws, ROW_HEADER, 30, NULL));
		if (t->col_dim && s->show && s->nfigs > 0) {
			for (size_t j = 1; j < s->nfigs; j++)
				note_lxw(s, worksheet_set_row(s->ws, s->fig_header[j], 30, NULL));
		} else if (t->col_dim) {
			note_lxw(s, worksheet_set_row(s->ws, rp - 1, 30, NULL));
			note_lxw(s, worksheet_set_row(s->ws, cp - 1, 30, NULL));
		}
	}
	worksheet_freeze_panes(s->ws, ROW_FIRST, 1);
	if (nbody > 0)
		note_lxw(s, worksheet_autofilter(s->ws, ROW_HEADER, 0,
						 ROW_FIRST + (lxw_row_t)nbody - 1,
						 last));
	/* Groups above their members: the outline buttons sit on the
	 * subtotal rows. */
	worksheet_outline_settings(s->ws, 1, 0, 0, 0);
	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9);
	worksheet_fit_to_pages(s->ws, 1, 0);
	note_lxw(s, worksheet_repeat_rows(s->ws, ROW_HEADER, ROW_HEADER));
	if (s->o->charts)
		add_chart(s, all, shown_title);
	g_free(title);
	free(scratch);
	return MJ_OK;
}

/* ---- sheet names ----------------------------------------------------- */

static int name_taken(const char *name, const char *const *taken, size_t n)
{
	gchar *key = g_utf8_casefold(name, -1);
	int found = strcmp(key, "history") == 0;
	for (size_t i = 0; i < n && !found; i++) {
		gchar *k = g_utf8_casefold(taken[i], -1);
		found = strcmp(k, key) == 0;
		g_free(k);
	}
	g_free(key);
	return found;
}

/* Copies at most max Excel characters (UTF-16 units) of src into dst. */
static void copy_chars(char *dst, size_t len, const char *src, size_t max)
{
	size_t used = 0, out = 0;
	const char *p = src;
	while (*p) {
		gunichar ch = g_utf8_get_char(p);
		size_t units = ch > 0xFFFF ? 2 : 1;
		const char *next = g_utf8_next_char(p);
		size_t bytes = (size_t)(next - p);
		if (used + units > max || out + bytes + 1 > len)
			break;
		memcpy(dst + out, p, bytes);
		out += bytes;
		used += units;
		p = next;
	}
	dst[out] = '\0';
	/* Trailing spaces are trimmed: they are invisible on a tab. */
	while (out > 0 && dst[out - 1] == ' ')
		dst[--out] = '\0';
}

char *mj_xlsx_sheet_name(const char *wanted, const char *const *taken,
			 size_t ntaken, char *buf, size_t len)
{
	GString *g = g_string_new(NULL);
	const char *p = wanted ? wanted : "";
	const char *end = p + strlen(p);
	while (p < end) {
		gunichar ch = g_utf8_get_char_validated(p, end - p);
		if (ch == (gunichar)-1 || ch == (gunichar)-2) {
			g_string_append_c(g, '-');
			p++;
			continue;
		}
		p = g_utf8_next_char(p);
		if (strchr("[]:*?/\\", (int)ch) && ch < 0x80)
			g_string_append_c(g, '-');
		else if (ch == '\'' && g->len > 0 && strchr("oOgG", g->str[g->len - 1]))
			g_string_append_unichar(g, 0x02BB); /* the letters oʻ, gʻ */
		else if (ch == '\'')
			g_string_append_unichar(g, 0x02BC);
		else if (ch < 0x20 || ch == 0x7F)
			g_string_append_c(g, ' ');
		else
			g_string_append_unichar(g, ch);
	}
	/* Leading spaces are trimmed like trailing ones. */
	const char *start = g->str;
	while (*start == ' ')
		start++;
	char base[256];
	copy_chars(base, sizeof base, *start ? start : "Sheet",
		   MJ_XLSX_SHEET_NAME_MAX);
	if (!*base)
		strcpy(base, "Sheet");
	g_string_free(g, TRUE);
	snprintf(buf, len, "%s", base);
	for (unsigned k = 2; name_taken(buf, taken, ntaken); k++) {
		char suffix[32], cut[256];
		int sl = snprintf(suffix, sizeof suffix, " (%u)", k);
		copy_chars(cut, sizeof cut, base,
			   MJ_XLSX_SHEET_NAME_MAX - (size_t)sl);
		snprintf(buf, len, "%s%s", cut, suffix);
	}
	return buf;
}

/* ---- the About sheet ------------------------------------------------- */

static void about_row(struct sheet *s, lxw_row_t *r, enum word key,
		      const char *value, double *widths)
{
	note_lxw(s, worksheet_write_string(s->ws, *r, 0, word(s->lang, key),
					   s->f->key));
	note_lxw(s, worksheet_write_string(s->ws, *r, 1, value, s->f->value));
	widths[0] = fmax(widths[0], text_chars(word(s->lang, key)));
	widths[1] = fmax(widths[1], text_chars(value));
	(*r)++;
}

static void about_number(struct sheet *s, lxw_row_t *r, enum word key,
			 unsigned long long v, double *widths)
{
	note_lxw(s, worksheet_write_string(s->ws, *r, 0, word(s->lang, key),
					   s->f->key));
	note_lxw(s, write_number(s->ws, *r, 1, (double)v, s->f->number));
	widths[0] = fmax(widths[0], text_chars(word(s->lang, key)));
	(*r)++;
}

/* "Statistics": each different note of the tables' statistics (they say
 * what was computed: "95% confidence interval ...: Wilson score.",
 * "Compared with 2023-07-01 – 2023-07-31 ...", "Rate = count /
 * population × 100,000; population from FILE."), then the sheets that
 * carry a chi-square test. Returns whether there were any. */
static void about_stat_line(struct sheet *s, lxw_row_t *r, const char *text,
			    int *labelled, double *widths)
{
	note_lxw(s, worksheet_write_string(s->ws, *r, 0,
		 *labelled ? "" : word(s->lang, W_STATS), s->f->key));
	note_lxw(s, worksheet_write_string(s->ws, *r, 1, text, s->f->value));
	widths[0] = fmax(widths[0], text_chars(word(s->lang, W_STATS)));
	widths[1] = fmax(widths[1], text_chars(text));
	*labelled = 1;
	(*r)++;
}

static int about_stats(struct sheet *s, lxw_row_t *r, size_t n,
		       char names[][128], double *widths)
{
	const struct mj_stats *const *stats = s->o->stats;
	if (!stats)
		return 0;
	int any = 0, labelled = 0;
	GString *tested = g_string_new(NULL);
	for (size_t i = 0; i < n; i++) {
		const struct mj_stats *st = stats[i];
		if (!st)
			continue;
		any |= st->ncols > 0 || st->nnotes > 0 || st->has_test;
		for (size_t j = 0; j < st->nnotes; j++) {
			/* Said once, however many tables say it. */
			int seen = 0;
			for (size_t p = 0; p <= i && !seen; p++)
				for (size_t q = 0; stats[p] && q < stats[p]->nnotes &&
				     (p < i || q < j) && !seen; q++)
					seen = strcmp(stats[p]->notes[q], st->notes[j]) == 0;
			if (!seen)
				about_stat_line(s, r, st->notes[j], &labelled, widths);
		}
		if (st->has_test)
			g_string_append_printf(tested, "%s%s", tested->len ? ", " : "",
					       names[i]);
	}
	if (tested->len) {
		char *line = g_strdup_printf(word(s->lang, W_TESTED_ON), tested->str);
		about_stat_line(s, r, line, &labelled, widths);
		g_free(line);
	}
	g_string_free(tested, TRUE);
	return any;
}

static void write_about(struct sheet *s, struct mj_table *const *tables,
			size_t n, char names[][128], const char *date)
{
	const struct mj_xlsx_opts *o = s->o;
	const struct mj_table *t0 = tables[0];
	double widths[2] = {10, 10};
	lxw_row_t r = 2;
	char buf[512];
	note_lxw(s, worksheet_write_string(s->ws, 0, 0, word(s->lang, W_ABOUT),
					   s->f->title));
	about_row(s, &r, W_PROGRAM, o->program ? o->program : "murojaat", widths);
	if (o->schema)
		about_row(s, &r, W_SCHEMA, mj_schema_title(o->schema, s->lang), widths);
	if (o->inputs && o->ninputs > 0) {
		for (size_t i = 0; i < o->ninputs; i++) {
			if (i == 0) {
				about_row(s, &r, W_INPUTS, o->inputs[i], widths);
			} else {
				note_lxw(s, worksheet_write_string(s->ws, r, 1,
					 o->inputs[i], s->f->value));
				widths[1] = fmax(widths[1], text_chars(o->inputs[i]));
				r++;
			}
		}
	} else if (t0->source && *t0->source) {
		about_row(s, &r, W_INPUTS, t0->source, widths);
	}
	const char *from = NULL, *to = NULL;
	for (size_t i = 0; i < n && !from && !to; i++) {
		from = tables[i]->period_from;
		to = tables[i]->period_to;
	}
	if (from || to) {
		period_text(s->lang, from, to, buf, sizeof buf);
		about_row(s, &r, W_PERIOD, buf, widths);
	}
	const char *filters = o->filters ? o->filters : t0->filters;
	about_row(s, &r, W_FILTERS, filters && *filters ? filters :
		  word(s->lang, W_NONE), widths);
	if (o->have_counts) {
		about_number(s, &r, W_READ, o->n_read, widths);
		about_number(s, &r, W_COUNTED, o->n_counted, widths);
		about_number(s, &r, W_REJECTED, o->n_rejected, widths);
	} else {
		about_number(s, &r, W_READ, t0->n_read, widths);
		about_number(s, &r, W_COUNTED, t0->n_counted, widths);
		about_number(s, &r, W_REJECTED, t0->n_rejected, widths);
	}
	long min_cell = o->min_cell;
	for (size_t i = 0; i < n; i++)
		if (tables[i]->min_cell > min_cell)
			min_cell = tables[i]->min_cell;
	if (min_cell > 0) {
		char th[32], lt[32];
		snprintf(th, sizeof th, "%ld", min_cell);
		snprintf(lt, sizeof lt, "<%ld", min_cell);
		snprintf(buf, sizeof buf, word(s->lang, W_SUPPRESS), th, lt);
		int any_complement = 0;
		for (size_t i = 0; i < n; i++)
			any_complement |= mj_table_has_hidden(tables[i], MJ_HIDDEN_COMPLEMENT);
		if (any_complement) {
			size_t used = strlen(buf);
			snprintf(buf + used, sizeof buf - used, "; %s",
				 mj_table_mark_note(s->lang));
		}
		about_row(s, &r, W_THRESHOLD, buf, widths);
	} else {
		about_row(s, &r, W_THRESHOLD, word(s->lang, W_NONE), widths);
	}
	char day[32];
	about_row(s, &r, W_DATE, date_text(s->lang, date, day, sizeof day), widths);
	int any_stats = about_stats(s, &r, n, names, widths);

	/* A table of contents with links to the sheets. */
	r++;
	note_lxw(s, worksheet_write_string(s->ws, r++, 0, word(s->lang, W_SHEETS),
					   s->f->key));
	for (size_t i = 0; i < n; i++, r++) {
		char url[300];
		snprintf(url, sizeof url, "internal:'%s'!A1", names[i]);
		note_lxw(s, worksheet_write_url_opt(s->ws, r, 0, url, s->f->link,
						    names[i], NULL));
		widths[0] = fmax(widths[0], text_chars(names[i]));
		const char *title = tables[i]->title ? tables[i]->title : "";
		note_lxw(s, worksheet_write_string(s->ws, r, 1, title, s->f->value));
		widths[1] = fmax(widths[1], text_chars(title));
	}
	r++;
	note_lxw(s, worksheet_write_string(s->ws, r++, 0,
					   word(s->lang, W_NOTE_FORMULAS), s->f->note));
	if (min_cell > 0)
		note_lxw(s, worksheet_write_string(s->ws, r++, 0,
			 word(s->lang, W_NOTE_SUPPRESS), s->f->note));
	if (any_stats)
		note_lxw(s, worksheet_write_string(s->ws, r++, 0,
			 word(s->lang, W_NOTE_STATS), s->f->note));
	note_lxw(s, worksheet_set_column(s->ws, 0, 0, fmin(widths[0] + 2, 40), NULL));
	note_lxw(s, worksheet_set_column(s->ws, 1, 1, fmin(widths[1] + 2, 90), NULL));
	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9);
	worksheet_fit_to_pages(s->ws, 1, 0);
}

/* ---- workbook -------------------------------------------------------- */

static lxw_format *fmt_new(lxw_workbook *wb, int *ok)
{
	lxw_format *f = workbook_add_format(wb);
	if (!f)
		*ok = 0;
	return f;
}

static int make_formats(lxw_workbook *wb, struct formats *f)
{
	int ok = 1;
	const lxw_color_t header_fill = 0xDCE6F1;
	if (!(f->title = fmt_new(wb, &ok)) || !(f->counted = fmt_new(wb, &ok)) ||
	    !(f->coldim = fmt_new(wb, &ok)) || !(f->header = fmt_new(wb, &ok)) ||
	    !(f->header_num = fmt_new(wb, &ok)) || !(f->key = fmt_new(wb, &ok)) ||
	    !(f->value = fmt_new(wb, &ok)) || !(f->number = fmt_new(wb, &ok)) ||
	    !(f->link = fmt_new(wb, &ok)) || !(f->note = fmt_new(wb, &ok)) ||
	    !(f->note_wrap = fmt_new(wb, &ok)))
		return 0;
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	format_set_italic(f->counted);
	format_set_font_color(f->counted, 0x595959);
	format_set_bold(f->coldim);
	format_set_italic(f->coldim);
	lxw_format *hs[2] = {f->header, f->header_num};
	for (int i = 0; i < 2; i++) {
		format_set_bold(hs[i]);
		format_set_pattern(hs[i], LXW_PATTERN_SOLID);
		format_set_bg_color(hs[i], header_fill);
		format_set_bottom(hs[i], LXW_BORDER_THIN);
		format_set_top(hs[i], LXW_BORDER_THIN);
		format_set_text_wrap(hs[i]);
		format_set_align(hs[i], LXW_ALIGN_VERTICAL_CENTER);
	}
	format_set_align(f->header_num, LXW_ALIGN_CENTER);
	format_set_bold(f->key);
	format_set_align(f->key, LXW_ALIGN_VERTICAL_TOP);
	format_set_align(f->value, LXW_ALIGN_LEFT);
	format_set_num_format(f->number, "#,##0");
	format_set_align(f->number, LXW_ALIGN_LEFT);
	format_set_underline(f->link, LXW_UNDERLINE_SINGLE);
	format_set_font_color(f->link, 0x0563C1);
	format_set_italic(f->note);
	format_set_font_color(f->note, 0x595959);
	format_set_italic(f->note_wrap);
	format_set_font_color(f->note_wrap, 0x595959);
	format_set_text_wrap(f->note_wrap);
	format_set_align(f->note_wrap, LXW_ALIGN_VERTICAL_TOP);
	for (int k = 0; k < K_COUNT; k++) {
		lxw_format *row[4 + MAX_INDENT];
		for (int i = 0; i < MAX_INDENT; i++)
			if (!(row[i] = f->label[k][i] = fmt_new(wb, &ok)))
				return 0;
		if (!(row[MAX_INDENT] = f->count[k] = fmt_new(wb, &ok)) ||
		    !(row[MAX_INDENT + 1] = f->decimal[k] = fmt_new(wb, &ok)) ||
		    !(row[MAX_INDENT + 2] = f->pct[k] = fmt_new(wb, &ok)) ||
		    !(row[MAX_INDENT + 3] = f->hidden[k] = fmt_new(wb, &ok)))
			return 0;
		for (int i = 0; i < MAX_INDENT; i++)
			if (i > 0)
				format_set_indent(f->label[k][i], (uint8_t)(2 * i));
		format_set_num_format(f->count[k], "#,##0");
		format_set_num_format(f->decimal[k], "#,##0.00");
		format_set_num_format(f->pct[k], "0.0%");
		format_set_align(f->hidden[k], LXW_ALIGN_RIGHT);
		for (int i = 0; i < 4 + MAX_INDENT; i++)
			row_style(row[i], k);
	}
	return ok;
}

/* Parses "YYYY-MM-DD" into a time at midnight UTC; 0 when invalid. */
static time_t parse_date(const char *text)
{
	int y, m, d;
	char extra;
	if (!text || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 ||
	    strlen(text) != 10 || y < 1980 || y > 9999 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return 0;
	if (d > mj_days_in_month(y, m))
		return 0;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d,
			.tm_hour = 0};
	return timegm(&tm);
}

/* The document date: opts->date, the latest period end, or 2000-01-01. */
static enum mj_status pick_date(struct mj_table *const *tables, size_t n,
				const struct mj_xlsx_opts *o, char *date,
				time_t *when, struct mj_error *err)
{
	if (o->date) {
		*when = parse_date(o->date);
		if (*when == 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					    "invalid date '%s': expected YYYY-MM-DD "
					    "from 1980 on", o->date);
		snprintf(date, 11, "%s", o->date);
		return MJ_OK;
	}
	const char *best = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *p = tables[i]->period_to;
		if (p && parse_date(p) && (!best || strcmp(p, best) > 0))
			best = p;
	}
	snprintf(date, 11, "%s", best ? best : "2000-01-01");
	*when = parse_date(date);
	return MJ_OK;
}

static enum mj_status check_limits(struct mj_table *const *tables, size_t n,
				   const struct mj_xlsx_opts *o,
				   struct mj_error *err)
{
	if (n == 0)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "no tables to write");
	for (size_t i = 0; i < n; i++) {
		const struct mj_table *t = tables[i];
		if (!t || t->ncols == 0 || t->ndims == 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					    "table %zu is empty", i + 1);
		if (t->ncols + 8 >= XL_MAX_COLS)
			return mj_error_set(err, MJ_E_LIMIT, NULL, 0, 0,
					    "table %zu has %zu columns: exceeds "
					    "Excel's limit of %u", i + 1, t->ncols,
					    XL_MAX_COLS);
		/* Each statistic takes a column, or a block of the table's
		 * columns beside a cross-tab's. */
		size_t nstats = o->stats && o->stats[i] ? o->stats[i]->ncols : 0;
		if (nstats && (nstats + 1) * (t->ncols + 1) + 8 >= XL_MAX_COLS)
			return mj_error_set(err, MJ_E_LIMIT, NULL, 0, 0,
					    "table %zu has %zu columns: with %zu "
					    "statistics beside them it exceeds "
					    "Excel's limit of %u columns", i + 1,
					    t->ncols, nstats, XL_MAX_COLS);
		if (3 * t->nrows + 64 >= XL_MAX_ROWS)
			return mj_error_set(err, MJ_E_LIMIT, NULL, 0, 0,
					    "table %zu has %zu rows: a sheet holds "
					    "%u", i + 1, t->nrows, XL_MAX_ROWS);
	}
	return MJ_OK;
}

static void sheet_free(struct sheet *s)
{
	free(s->sup);
	free(s->width);
	free(s->gap);
	free(s->mention_ok);
	s->sup = NULL;
	s->width = NULL;
	s->gap = NULL;
	s->mention_ok = NULL;
}

/* Builds the whole workbook into file (which may exist and is replaced). */
static enum mj_status build(const char *file, const char *dir,
			    const char *shown, struct mj_table *const *tables,
			    size_t n, const struct mj_xlsx_opts *o,
			    struct mj_error *err)
{
	char date[11];
	time_t when;
	enum mj_status st = pick_date(tables, n, o, date, &when, err);
	if (st != MJ_OK)
		return st;
	char (*names)[128] = calloc(n + 2, sizeof *names);
	const char **taken = calloc(n + 2, sizeof *taken);
	lxw_workbook *wb = NULL;
	if (!names || !taken) {
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto fail;
	}
	/* libxlsxwriter's own scratch files go where ours could be made. */
	lxw_workbook_options wo = {.constant_memory = 0, .tmpdir = (char *)dir,
				   .use_zip64 = 0};
	wb = workbook_new_opt(file, &wo);
	struct formats f;
	memset(&f, 0, sizeof f);
	if (!wb || !make_formats(wb, &f)) {
		st = mj_error_set(err, MJ_E_NOMEM, shown, 0, 0,
				  "cannot start a workbook: out of memory");
		goto fail;
	}
	enum mj_lang about_lang = o->lang >= 0 ? (enum mj_lang)o->lang :
					       table_lang(tables[0]);
	/* "About" is reserved first, so a table cannot take its name. */
	strcpy(names[n], word(about_lang, W_ABOUT_SHEET));
	taken[0] = names[n];
	/* So is the trend's sheet, its name made valid as every other is
	 * (an ASCII apostrophe, as in "Oylar bo'yicha", becomes U+02BB or U+02BC). */
	size_t nres = 1;
	char trend_name[128] = "";
	if (o->trend) {
		mj_xlsx_sheet_name(o->trend->sheet, taken, 1, trend_name, sizeof trend_name);
		taken[nres++] = trend_name;
	}
	for (size_t i = 0; i < n; i++) {
		struct sheet s;
		memset(&s, 0, sizeof s);
		s.wb = wb;
		s.f = &f;
		s.t = tables[i];
		s.o = o;
		s.st = o->stats ? o->stats[i] : NULL;
		s.show = o->shows && o->shows[i] ? o->shows[i] : o->show;
		s.chart_type = o->chart_types ? o->chart_types[i] : -1;
		s.lang = o->lang >= 0 ? (enum mj_lang)o->lang : table_lang(s.t);
		s.relabel = o->lang >= 0 && o->schema && (int)table_lang(s.t) != o->lang;
		if (o->min_cell > 1 && (!tables[i]->measure ||
					strcmp(tables[i]->measure, "count") == 0)) {
			if (mj_table_suppress(tables[i], o->min_cell) != MJ_OK) {
				st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0,
						  "out of memory");
				goto fail;
			}
			if (tables[i]->min_cell < o->min_cell)
				tables[i]->min_cell = o->min_cell;
		}
		s.min_cell = o->min_cell > s.t->min_cell ? o->min_cell : s.t->min_cell;
		if (s.min_cell > 0)
			snprintf(s.hidden_text, sizeof s.hidden_text, "<%ld", s.min_cell);
		else
			strcpy(s.hidden_text, "..");
		char *want = o->sheet_names && o->sheet_names[i] ? g_strdup(o->sheet_names[i])
								  : sheet_title(&s);
		if (!want) {
			st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
			goto fail;
		}
		/* A name another sheet has, or one too long for a tab, gives
		 * way to the table's own title when that fits: "Children
		 * placed, by outcome" rather than "Outcome (2)". */
		char base[128];
		mj_xlsx_sheet_name(want, NULL, 0, base, sizeof base);
		if ((name_taken(base, taken, i + nres) ||
		     g_utf8_strlen(want, -1) > MJ_XLSX_SHEET_NAME_MAX) &&
		    s.t->title && *s.t->title && !s.relabel &&
		    g_utf8_strlen(s.t->title, -1) <= MJ_XLSX_SHEET_NAME_MAX) {
			mj_xlsx_sheet_name(s.t->title, NULL, 0, base, sizeof base);
			if (!name_taken(base, taken, i + nres)) {
				g_free(want);
				want = g_strdup(s.t->title);
			}
		}
		mj_xlsx_sheet_name(want, taken, i + nres, names[i], sizeof names[i]);
		g_free(want);
		taken[i + nres] = names[i];
		snprintf(s.name, sizeof s.name, "%s", names[i]);
		s.ws = workbook_add_worksheet(wb, s.name);
		if (!s.ws) {
			st = mj_error_set(err, MJ_E_NOMEM, shown, 0, 0,
					  "cannot add sheet '%s'", s.name);
			goto fail;
		}
		st = write_sheet(&s, err);
		lxw_error le = s.lerr;
		sheet_free(&s);
		if (st != MJ_OK)
			goto fail;
		if (le != LXW_NO_ERROR) {
			st = mj_error_set(err, MJ_E_IO, shown, 0, 0,
					  "sheet '%s': %s", names[i], lxw_strerror(le));
			goto fail;
		}
	}
	if (o->trend) {
		lxw_error te = xlsx_trend_sheet(wb, o->trend, trend_name,
						(enum mj_lang)about_lang);
		if (te != LXW_NO_ERROR) {
			st = mj_error_set(err, MJ_E_IO, shown, 0, 0, "sheet '%s': %s",
					  trend_name, lxw_strerror(te));
			goto fail;
		}
	}
	struct sheet about;
	memset(&about, 0, sizeof about);
	about.wb = wb;
	about.f = &f;
	about.o = o;
	about.lang = (enum mj_lang)about_lang;
	about.ws = workbook_add_worksheet(wb, names[n]);
	if (!about.ws) {
		st = mj_error_set(err, MJ_E_NOMEM, shown, 0, 0,
				  "cannot add the About sheet");
		goto fail;
	}
	write_about(&about, tables, n, names, date);
	if (about.lerr != LXW_NO_ERROR) {
		st = mj_error_set(err, MJ_E_IO, shown, 0, 0, "About sheet: %s",
				  lxw_strerror(about.lerr));
		goto fail;
	}

	lxw_doc_properties props;
	memset(&props, 0, sizeof props);
	props.title = (char *)(o->title ? o->title :
			       n == 1 && tables[0]->title ? tables[0]->title :
			       o->schema ? mj_schema_title(o->schema, about_lang) : "murojaat");
	props.subject = (char *)(o->schema ? mj_schema_title(o->schema, about_lang) : "");
	props.author = (char *)"murojaat";
	props.comments = (char *)(o->program ? o->program : "murojaat");
	props.created = when;
	lxw_error le = workbook_set_properties(wb, &props);
	if (le != LXW_NO_ERROR) {
		st = mj_error_set(err, MJ_E_IO, shown, 0, 0, "%s", lxw_strerror(le));
		goto fail;
	}
	errno = 0;
	le = workbook_close(wb);
	wb = NULL;
	if (le != LXW_NO_ERROR) {
		int e = errno;
		st = mj_error_set(err, MJ_E_IO, shown, 0, 0, "cannot write workbook: %s%s%s",
				  lxw_strerror(le), e ? ": " : "", e ? strerror(e) : "");
		goto fail;
	}
	free(names);
	free(taken);
	return MJ_OK;
fail:
	if (wb) {
		/* Closing is the only way to free a workbook; its output is
		 * removed by the caller. */
		workbook_close(wb);
	}
	free(names);
	free(taken);
	return st;
}

/* ---- files ----------------------------------------------------------- */

/* Creates an empty file named after base in dir with O_EXCL and puts its
 * name in out (caller frees). */
static enum mj_status temp_create(const char *dir, const char *base,
				  const char *shown, char **out,
				  struct mj_error *err)
{
	static unsigned counter;
	for (int attempt = 0; attempt < 100; attempt++) {
		char *name = g_strdup_printf("%s/.%s.%ld.%u.tmp", dir, base,
					     (long)getpid(), counter++);
		/* Only this process reads it back: private, as every
		 * temporary file of the toolkit is. */
		int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			close(fd);
			mj_cleanup_add(name, 0);
			*out = name;
			return MJ_OK;
		}
		int e = errno;
		g_free(name);
		if (e != EEXIST)
			return mj_error_set(err, MJ_E_IO, shown, 0, 0,
					    "cannot create a temporary file in "
					    "'%s': %s", dir, strerror(e));
	}
	return mj_error_set(err, MJ_E_IO, shown, 0, 0,
			    "cannot create a temporary file in '%s'", dir);
}

static enum mj_status copy_out(const char *from, FILE *to, const char *shown,
			       struct mj_error *err)
{
	FILE *in = fopen(from, "rb");
	if (!in)
		return mj_error_set(err, MJ_E_IO, shown, 0, 0,
				    "cannot reopen the workbook: %s", strerror(errno));
	char buf[65536];
	size_t got;
	int e = 0;
	while ((got = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, got, to) != got) {
			e = errno ? errno : EIO;
			break;
		}
	if (!e && ferror(in))
		e = errno ? errno : EIO;
	fclose(in);
	if (!e && fflush(to) != 0)
		e = errno ? errno : EIO;
	if (e)
		return mj_error_set(err, MJ_E_IO, shown, 0, 0, "cannot write: %s",
				    strerror(e));
	return MJ_OK;
}

static const char *tmp_dir(void)
{
	const char *d = getenv("TMPDIR");
	return d && *d ? d : "/tmp";
}

void mj_xlsx_opts_init(struct mj_xlsx_opts *o)
{
	memset(o, 0, sizeof *o);
	o->lang = -1;
	o->charts = 1;
}

enum mj_status mj_xlsx_write_stream(FILE *out, const char *name,
				    struct mj_table *const *tables, size_t n,
				    const struct mj_xlsx_opts *o,
				    struct mj_error *err)
{
	struct mj_xlsx_opts defaults;
	if (!o) {
		mj_xlsx_opts_init(&defaults);
		o = &defaults;
	}
	enum mj_status st = check_limits(tables, n, o, err);
	if (st != MJ_OK)
		return st;
	char *tmp = NULL;
	st = temp_create(tmp_dir(), "mj-xlsx", name, &tmp, err);
	if (st != MJ_OK)
		return st;
	st = build(tmp, tmp_dir(), name, tables, n, o, err);
	if (st == MJ_OK)
		st = copy_out(tmp, out, name, err);
	unlink(tmp);
	mj_cleanup_remove(tmp);
	g_free(tmp);
	return st;
}

enum mj_status mj_xlsx_write(const char *path, struct mj_table *const *tables,
			     size_t n, const struct mj_xlsx_opts *o,
			     struct mj_error *err)
{
	struct mj_xlsx_opts defaults;
	if (!o) {
		mj_xlsx_opts_init(&defaults);
		o = &defaults;
	}
	if (!path || !*path)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "no output file given");
	enum mj_status st = check_limits(tables, n, o, err);
	if (st != MJ_OK)
		return st;
	/* One rule for every output file (murojaat/outfile.h): a temporary
	 * beside the target renamed into place; a device written in place. */
	struct mj_outfile out;
	if ((st = mj_outfile_open(&out, path, 0, err)) != MJ_OK)
		return st;
	if (!out.tmp) {
		/* A device or pipe cannot be renamed over: build the file
		 * aside and copy it in. */
		st = mj_xlsx_write_stream(out.fp, path, tables, n, o, err);
	} else {
		gchar *dir = g_path_get_dirname(out.target);
		st = build(out.tmp, dir, path, tables, n, o, err);
		g_free(dir);
	}
	if (st != MJ_OK) {
		mj_outfile_abort(&out);
		return st;
	}
	return mj_outfile_commit(&out, err);
}
