/* Private parts of the report module shared by report.c (tabulation and
 * the output folder), report_text.c (the narrative) and report_pdf.c. */
#ifndef MJ_REPORT_INTERNAL_H
#define MJ_REPORT_INTERNAL_H

#include <stdio.h>

#include <glib.h>

#include "murojaat/chart.h"
#include "murojaat/report.h"
#include "murojaat/stats.h"
#include "murojaat/table.h"
#include "murojaat/xlsx.h"

/* What a note of a table's statistics explains. */
enum report_note {
	REPORT_NOTE_MULTI = 0, /* appeals naming several categories */
	REPORT_NOTE_CI,
	REPORT_NOTE_RATES,
	REPORT_NOTE_COMPARE
};

/* The month in its trend (report_trend.c): with a period that ends with a
 * whole month M, the counts by month from December two years before M's
 * year to M, counted with the run's filters but not its period. Months
 * are numbered as mj_trend_month() numbers them. */
#define REPORT_TREND_SPAN 13 /* months a trend shows: M and the 12 before */
#define REPORT_TREND_MAX 26  /* months counted: base .. M */
struct report_trend {
	int on;          /* 0: no trend (no period, or one not ending a month) */
	int last;        /* M */
	int first;       /* the first month shown: M - 12, or the register's first */
	int base;        /* the month of count[0] */
	int held;        /* the first month the register holds records for */
	double count[REPORT_TREND_MAX];
	unsigned char hidden[REPORT_TREND_MAX]; /* suppressed: no figure */
	/* The mix of the main breakdown (the first section drawn as a ring:
	 * the type of violence) in each month shown, month by category with
	 * the months labelled as the report names them; NULL when there is
	 * none. Owned; report_trend_free() frees it. */
	struct mj_table *mix;
	size_t mix_section;
};

/* A report: one table per section of the schema, in section order. */
struct report {
	const struct mj_schema *schema;
	enum mj_lang lang;
	int threads;                               /* the run's --threads (1: one) */
	size_t n;                                  /* sections */
	const struct mj_schema_section **sections; /* borrowed from schema */
	struct mj_table **t;                       /* t[i] is section i's table */
	/* The statistics asked for (NULL: none) and each table's (sx[i], NULL
	 * when none is asked for). With a comparison: the compared period
	 * ("2023-07"), its tables (prev[i] for section i) and run counts, and
	 * in sx[i] the columns count_compared, change and percent_change
	 * (none for tables by a period, which cannot be compared cell by
	 * cell). */
	const struct mj_stats_opts *so;
	const char *compare;
	char compare_period[64];
	char compare_name[96]; /* compare_period as the language names it */
	struct mj_table **prev;
	struct mj_run_stats prev_stats;
	int compare_empty; /* the compared period counts nothing: no changes */
	struct mj_stats *sx;
	/* What each note of sx[i] explains (enum report_note). */
	unsigned char (*note_kind)[MJ_STATS_MAXNOTES];
	const char *filters;  /* the run's filters as the tables say them ("" none) */
	char *filters_owned;  /* the string filters points to when no table has it */
	struct mj_run_stats stats;
	long min_cell;
	const char *source;   /* input base names joined with ", " */
	const char *program;
	char date[11];        /* the period's end: the only date in any file */
	/* Where the rejected rows are, "FILE:LINE:COL" joined with ", ", for
	 * the method page (positions only: a message may quote a value). */
	GString *rejected;
	unsigned long rejected_listed, rejected_more;
	/* The sections that the inputs (tables without their dimensions)
	 * could not make, their codes joined with ", "; NULL when none. */
	char *unavailable;
	struct report_trend trend;
	/* With a section of layer=DIM: every section copied (sections[]
	 * points into it), each layered one preceded by a copy per category
	 * of DIM filtered to it (no chart, no sentence, its table's title
	 * saying the layer), their sheets in that order; NULL otherwise. The
	 * strings the copies make are in owned. */
	struct mj_schema_section *copies;
	GPtrArray *owned;
};

/* What a section's cells show (show=, as mj-tab's --show): a figure is
 * the count (or sum), a percent of base, or the cumulative percent. */
struct report_fig {
	int cum;               /* the cumulative percent (one-way tables) */
	int value;             /* the count or sum itself */
	enum mj_percent base;  /* the percent's base otherwise */
	const char *head;      /* its heading in the report's language */
	double *pct;           /* the percents shown [row * ncols + col], 1 decimal */
};
#define REPORT_FIGS_MAX 8
/* The figures of section sec's show= in order, into figs (at most
 * REPORT_FIGS_MAX); 0 when the section says none. Free with
 * report_figs_free(). */
size_t report_figs(const struct report *r, size_t sec, struct report_fig *figs);
void report_figs_free(struct report_fig *figs, size_t n);
/* Figure f of row i, column col of section sec's table t as shown: the
 * count as report_cell() writes it, a percent to one decimal, "—" for a
 * percent without a base (or of a hidden count). */
char *report_fig_cell(const struct report *r, const struct mj_table *t,
		      const struct report_fig *f, size_t i, size_t col, char *buf, size_t len);

/* Look-ups (report_lookup.c). Whether two strings are equal, both NULL
 * counting as equal. */
int report_same_str(const char *a, const char *b);
/* The table of the section breaking down by by (and cols, and summing sum;
 * NULL for none) with no filter of its own, or NULL. */
const struct mj_table *report_find(const struct report *r, const char *by,
				   const char *cols, const char *sum);

/* Whether the narrative speaks of each section as its schema row says
 * (say=) and with the schema's own words (say_* labels): only when every
 * section that has a form was made. From tables that lack some of their
 * dimensions, it speaks of every section in general terms. */
int report_forms(const struct report *r);
/* The first section whose form is say (enum mj_say) when report_forms(),
 * or -1. */
long report_say_find(const struct report *r, int say);
/* The schema's words coded code ("say_title") when report_forms() and the
 * schema gives them, else fallback. */
const char *report_say_word(const struct report *r, const char *code,
			    const char *fallback);

/* How many rejected rows the method page lists by position. */
#define REPORT_REJECTED_MAX 60

/* The narrative as paragraphs of plain text (the first is the title). The
 * caller frees with g_ptr_array_unref(). */
GPtrArray *report_narrative(const struct report *r);
/* "Tables: ..." of the method: every table's title, the trend's in a
 * month's report: first, in place of the section of months (trend_first:
 * the PDF's pages), or after that section's own table (the web page's).
 * The mix of types by month is a chart, not a table. */
char *report_tables_text(const struct report *r, int trend_first);
/* The method paragraph (rows read, counted, rejected; period; suppression). */
char *report_method(const struct report *r);
/* Writes summary.md (markdown) or summary.txt (wrapped plain text). */
/* Writes text to path (created or truncated); an I/O error names path. */
enum mj_status report_file_write(const char *path, const GString *text,
				 struct mj_error *err);
enum mj_status report_summary_write(const struct report *r, const char *path,
				    int markdown, struct mj_error *err);
/* "10,696 (97.9%)", or "<5" when suppressed, for row i, column col, with
 * the percent of the total. buf of len >= 64. */
char *report_cell(const struct report *r, const struct mj_table *t, size_t i,
		  size_t col, int with_percent, char *buf, size_t len);
/* The value of the statistics column name ("ci_low", "rate") of section
 * sec at row i, column col: NAN when there is none; *mark gets its mark
 * ("no population") or NULL, *decimals the digits it is shown with (1
 * when the column says "as the percents"). Both may be NULL. */
double report_stat(const struct report *r, size_t sec, const char *name,
		   size_t i, size_t col, const char **mark, int *decimals);
/* The change of row i, column col of section sec's table against the
 * compared period: sets *now, *before and *pct (NAN when the compared count
 * is under MJ_TREND_MIN_BASE: a change on a small base is given as a count
 * only, as in the trend) and returns 1; 0 when there is no comparison or a
 * count is suppressed. */
int report_change(const struct report *r, size_t sec, size_t i, size_t col,
		  double *now, double *before, double *pct);
/* Whether a change from before to now is within chance (the trend's exact
 * test of two Poisson counts), so that the text does not call it a rise or
 * a fall; no change at all is none. */
int report_change_same(double now, double before);
/* Whether a table marks the change from before to now "≈": one within
 * chance, or none at all on a base above zero (mj_trend_within_chance()). */
int report_change_marked(double now, double before);
/* "+8.4%" or "−7.9%" (or the signed count "+12" when pct is NAN) into buf. */
char *report_change_text(const struct report *r, double change, double pct,
			 char *buf, size_t len);
/* The compared period as a phrase in the report's language: "compared
 * with July 2023", "к июлю 2023 г.", "2023-yil iyul oyiga nisbatan". */
char *report_compare_phrase(const struct report *r, char *buf, size_t len);
/* Period p ("2023-07", "2023-Q3", "2023", "2023-01..2023-06", dates) as
 * a column's heading names it in the report's language: "Июль 2023 г.". */
char *report_period_name(const struct report *r, const char *p, char *buf, size_t len);
/* Appends a phrase of the word table (a printf format; its arguments as
 * the key's comment in report_lookup.c says). */
void report_append_word(GString *s, const struct report *r, const char *key, ...);
/* Words of the report in its language (headings, labels of key figures, the
 * trend's phrases), from the one table in report_lookup.c. */
const char *report_word(const struct report *r, const char *key);
/* The head of section sec's column of counts: "Count", or the label of
 * the column it sums ("Children"), whose total its percents are of. */
const char *report_count_head(const struct report *r, size_t sec);
/* The schema's form of the counted noun ("noun_one", "noun_few" or
 * "noun_many") that agrees with the number n in lang (report_noun.c). */
const char *report_noun_form(enum mj_lang lang, double n);
/* The counted noun in that form ("обращения" for 2), or fallback when the
 * schema gives none. Borrowed. */
const char *report_noun(const struct report *r, double n, const char *fallback);
/* An ISO date as the report's language writes it: 31.12.2023 in Russian
 * and Uzbek, 2023-12-31 in English. Returns buf. */
char *report_date(const struct report *r, const char *iso, char *buf, size_t len);
/* A period "from – to" in that style, on one line in Russian and Uzbek. */
char *report_range(const struct report *r, const char *from, const char *to,
		   char *buf, size_t len);
/* What goes between a number and "%": a no-break space in Russian and
 * Uzbek ("50,7 %"), nothing in English. */
const char *report_pct_space(const struct report *r);
/* " · filters: F" in the report's language into buf, for a subtitle. */
void report_filters_text(const struct report *r, const char *filters, char *buf,
			 size_t len);
/* The file name (without extension) of chart k of section sec: the code
 * for the first, CODE-TYPE for the others. buf of len >= 64. */
char *report_chart_name(const struct mj_schema_section *sec, size_t k,
			char *buf, size_t len);
/* True when t counts nothing, so it gets no chart. */
int report_table_empty(const struct mj_table *t);
/* Sets the statistics of section sec's charts: with --ci, the intervals
 * drawn as whiskers on bars (counts only, never a sum). */
void report_chart_stats(const struct report *r, size_t sec, struct mj_chart_opts *co);
/* Writes charts/NAME.png and .svg for every chart into dir, through
 * batch (NULL: before returning). */
enum mj_status report_charts_write(const struct report *r, const char *dir,
				   struct mj_chart_batch *batch, struct mj_error *err);
/* Writes the PDF at path. */
enum mj_status report_pdf_write(const struct report *r, const char *path,
				struct mj_error *err);

/* What the PDF and the web page both show, made once (report_content.c). */
#define REPORT_FIGURES_MAX 32
/* The key figures: the count large (num), what it counts (lab). */
struct report_figures {
	char num[REPORT_FIGURES_MAX][96];
	char lab[REPORT_FIGURES_MAX][160];
	size_t n;
};
void report_key_figures(const struct report *r, struct report_figures *kf);
/* Whether some category or subtotal of section sec has the statistic
 * name in column col (the PDF and the page then show its column). */
int report_stat_any(const struct report *r, size_t sec, const char *name, size_t col);
/* The lines under section sec's table: its test and the notes of what it
 * shows, joined with newlines; NULL when there are none. g_free() it. */
char *report_table_notes(const struct report *r, size_t sec);
/* The subtitle of section sec's page: period, n, source and the section's
 * own filters. buf of len >= 512. */
char *report_section_subtitle(const struct report *r, size_t sec, char *buf, size_t len);
/* Where the rejected rows are ("Rejected rows are at FILE:LINE:COL, ...
 * and N more."), for the method page; NULL when none was rejected. g_free()
 * it. */
char *report_rejected_text(const struct report *r);
/* The first page's subtitle: the schema's name (in English) and the source. */
char *report_first_subtitle(const struct report *r, char *buf, size_t len);
/* A sentence on section i in general terms (its total and largest
 * categories), the figures' short text alternative (report_text.c).
 * g_free() it; NULL when the table has no total. */
char *report_section_sentence(const struct report *r, size_t i);

/* Adds to the finished PDF at path what cairo cannot: the language lang
 * ("ru"), that viewers show the title, and alts[k] as the alternative text
 * of the k-th figure drawn (when there are exactly nalts). A file in
 * another form than cairo 1.16 writes is left as it is (report_pdftag.c). */
enum mj_status report_pdf_annotate(const char *path, const char *lang,
				   const char *const *alts, size_t nalts,
				   struct mj_error *err);
/* Writes the web page at path: the PDF's content as one self-contained,
 * accessible HTML file (report_html.c). */
enum mj_status report_html_write(const struct report *r, const char *path,
				 struct mj_error *err);

/* The trend (report_trend.c). Counts the months of r->trend when ro's
 * period ends with a whole month (quietly: the first pass reported the
 * problems); needs r->stats of that pass. */
enum mj_status report_trend_count(struct report *r, const struct mj_run_opts *ro,
				  const char *const *files, size_t nfiles,
				  struct mj_error *err);
/* Frees what report_trend_count() made. */
void report_trend_free(struct report *r);
/* The mix's title ("Type of violence by month, September 2022 – August
 * 2023") into buf. */
char *report_trend_mix_title(const struct report *r, char *buf, size_t len);
/* Whether month m's count is known (in the register and not hidden);
 * sets *v to it. */
int report_trend_value(const struct report *r, int m, double *v);
/* "2023-08" (or a date "2023-08-31") as a trend month number; -1 when it
 * is none. */
int report_month_of(const char *code);
/* The same of a month's code alone ("2023-08", not a date); -1 else. */
int report_month_code(const char *code);
/* Whether the register holds a record of trend month m, filtered out or
 * not (the run's months_held). */
int report_month_held(const struct report *r, int m);
/* Whether month m, shown and after the register's first, counts no
 * appeal (it may be a month nobody entered). */
int report_trend_empty(const struct report *r, int m);
/* The sentence on the months from a to b that count no appeal ("No
 * appeal is counted for September–October 2022: a 0 there may be a month
 * that was not entered."), or NULL when none does. g_free() it. */
char *report_trend_gaps(const struct report *r, int a, int b);
/* Whether a month of the trend shown is so. */
int report_trend_has_empty(const struct report *r);
/* The change of month m on month against (both known, neither empty):
 * sets *c, returns 1. */
struct mj_trend_change;
int report_trend_change(const struct report *r, int m, int against,
			struct mj_trend_change *c);
/* Month m by name: form 0 "August 2023" (nominative), 1 as after "in"
 * ("августе 2023 г."), 2 short for an axis ("Aug"), 3 as what a change is
 * compared with ("compared with July 2023", "к июлю 2023 г."), 4 as 0 for
 * a table's row ("Январь 2023 г."). */
char *report_trend_month(const struct report *r, int m, int form, char *buf, size_t len);
/* Months a to b: "January–August 2023", "August 2022 – August 2023". */
char *report_trend_range(const struct report *r, int a, int b, char *buf, size_t len);
/* "+31 (+2.6%)" or "+3" (a base under 20) into buf. */
char *report_trend_change_text(const struct report *r, const struct mj_trend_change *c,
			       char *buf, size_t len);
/* The trend's paragraph of the narrative: the month against the month
 * before and a year before, the months shown, the year to date. NULL
 * when there is no trend. g_free() it. */
char *report_trend_sentences(const struct report *r);
/* The method's sentence on the trend and its test, or NULL. g_free() it. */
char *report_trend_method(const struct report *r);
/* The charts' words (report_chartdata.c). */
const char *report_chart_word(const struct report *r, const char *key);
/* How many top-level categories of one-way t count something; *only is
 * the last of them (-1: none). */
int report_chart_nonzero(const struct mj_table *t, long *only);
/* Draws nested table t as horizontal bars from x, y in width w: each
 * top-level category bold with its subtotal, its children under it;
 * empty ones left out. Returns the height used; draws nothing unless draw. */
double report_nested_bars(const struct report *r, const struct mj_table *t, cairo_t *cr,
			  double x, double y, double w, int draw);

/* The workbook's trend sheet, with the storage its arrays point into. */
struct report_trend_sheet {
	struct mj_xlsx_trend x;
	int year[REPORT_TREND_SPAN], month[REPORT_TREND_SPAN];
	double count[REPORT_TREND_SPAN], pd[REPORT_TREND_SPAN], pp[REPORT_TREND_SPAN],
	       yd[REPORT_TREND_SPAN], yp[REPORT_TREND_SPAN];
	unsigned char prev_same[REPORT_TREND_SPAN], year_same[REPORT_TREND_SPAN];
	char title[192];
	char note[512];
};
/* Fills ts for r's trend; 0 when there is none. */
int report_trend_sheet(const struct report *r, struct report_trend_sheet *ts);
/* Appends the trend's key figures (the changes, the year to date) to kf. */
void report_trend_figures(const struct report *r, struct report_figures *kf);
/* Draws the trend as columns into x, y, w, h of cr (in points): M dark,
 * the same month a year earlier marked, each column with its count. */
void report_trend_chart(const struct report *r, cairo_t *cr, double x, double y,
			double w, double h);
/* The trend's title ("Appeals by month, January–August 2023") into
 * title; returns title. */
char *report_trend_title(const struct report *r, char *title, size_t tlen);
/* The same, and what its page says under it (the source, the filters)
 * into sub. */
void report_trend_heading(const struct report *r, char *title, size_t tlen, char *sub,
			  size_t slen);
/* Whether section sec is the plain table by month that the trend takes
 * the place of (one month with --month). */
int report_trend_section(const struct report *r, size_t sec);
/* The trend as a chart file of its own (PNG or SVG by path's extension),
 * written by batch b as its charts are: the trend page's title, source and
 * columns, and the sentence on months shown that count no appeal. */
enum mj_status report_trend_file(const struct report *r, struct mj_chart_batch *b,
				 const char *path, struct mj_error *err);

#endif
