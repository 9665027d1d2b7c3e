/* Private parts of the report module shared by report.c (tabulation and
 * the output folder), report_text.c (the narrative) and report_pdf.c. */
#ifndef MJ_REPORT_INTERNAL_H
#define MJ_REPORT_INTERNAL_H

#include <stdio.h>

#include <glib.h>

#include "murojaat/report.h"
#include "murojaat/table.h"

/* The tables of a report, in the order of the workbook and the PDF. */
enum report_table {
	RT_GROUP = 0,
	RT_VIOLENCE,
	RT_REGION,
	RT_PLACE,            /* place → relationship */
	RT_AGE,
	RT_CHANNEL,
	RT_OUTCOME,
	RT_CHILDREN,         /* children placed, summed by outcome */
	RT_MONTH,
	RT_REGION_VIOLENCE,  /* region × violence */
	RT_OUTCOME_GROUP,    /* outcome × group: who was placed */
	RT_COUNT
};

struct report {
	const struct mj_schema *schema;
	enum mj_lang lang;
	struct mj_table *t[RT_COUNT];
	struct mj_run_stats stats;
	long min_cell;
	const char *source;   /* input base names joined with ", " */
	const char *program;
	char date[11];        /* the period's end: the only date in any file */
};

/* The narrative as paragraphs of plain text (the first is the title). The
 * caller frees with g_ptr_array_unref(). */
GPtrArray *report_narrative(const struct report *r);
/* The method paragraph (rows read, counted, rejected; period; suppression). */
char *report_method(const struct report *r);
/* Writes summary.md (markdown) or summary.txt (wrapped plain text). */
enum mj_status report_summary_write(const struct report *r, const char *path,
				    int markdown, struct mj_error *err);
/* "10,696 (97.9%)", or "<5" when suppressed, for row i, column col, with
 * the percent of the total. buf of len >= 64. */
char *report_cell(const struct report *r, const struct mj_table *t, size_t i,
		  size_t col, int with_percent, char *buf, size_t len);
/* Words of the report in its language (headings, labels of key figures). */
const char *report_word(const struct report *r, const char *key);
/* Writes the PDF at path. */
enum mj_status report_pdf_write(const struct report *r, const char *path,
				struct mj_error *err);

#endif
