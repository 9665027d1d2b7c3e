/* The monthly report in one command: every breakdown the schema's report
 * sections name, as a narrative summary, a workbook, charts and a PDF,
 * written into one folder that is replaced as a whole or not at all. */
#ifndef MUROJAAT_REPORT_H
#define MUROJAAT_REPORT_H

#include <stddef.h>

#include "murojaat/error.h"
#include "murojaat/stats.h"
#include "murojaat/tab.h"

/* What a report holds besides the run's options. Fill with
 * mj_report_opts_init(); pointers are borrowed for the duration of
 * mj_report_write(). */
struct mj_report_opts {
	/* What is counted and in which language: period, filters, schema,
	 * min_cell, strict, on_problem, on_progress. The report sets by/cols
	 * and sum itself. Must not be NULL. */
	const struct mj_run_opts *run;
	const char *program; /* "mj-report 0.1.0" for the About sheet; NULL: "murojaat" */
	/* Statistics beside the tables (murojaat/stats.h), or NULL for none:
	 *  - compare ("previous", "year" or a period): every table carries the
	 *    compared counts and changes, the narrative says them ("+8.4% on
	 *    July 2023") and the PDF shows them beside one-way tables; needs
	 *    run->period;
	 *  - ci_level: an interval for each percent, in the PDF's one-way
	 *    tables and the workbook;
	 *  - rate_per with population: rates in the PDF and the workbook where
	 *    the population file has the table's dimension;
	 *  - test: the chi-square test under each cross-tab.
	 * Sums (children placed) get only the comparison. */
	const struct mj_stats_opts *stats;
};

void mj_report_opts_init(struct mj_report_opts *opts,
			 const struct mj_run_opts *run);

/* Reads files ("-" is standard input, copied first to an unlinked
 * temporary file, since the records may be read more than once: once for
 * the counts, once for the compared period, once more for each sum or
 * filter of a section) and writes into the folder outdir, one table per
 * section of the schema (mj_schema_section()):
 *   summary.md, summary.txt  the narrative in the run's language
 *   report.xlsx              every table and an About sheet
 *   charts/NAME.png, .svg    every chart of every section
 *   report.pdf               A4: key figures, one page per section, method
 * Everything is built in a temporary folder beside outdir ("OUTDIR.tmpXXXXXX")
 * and swapped into place at the end; on any failure the temporary folder is
 * removed and a previous outdir is left as it was. An existing outdir is only
 * replaced when it holds nothing but what a report writes, at any depth
 * (charts/ only the charts of the schema's sections; each a regular file);
 * else MJ_E_USAGE. A signal removes the temporary folder (mj_cleanup_add()). Rejected rows go
 * to run->on_problem as they are found and are counted in stats (may be
 * NULL); with run->strict the first one stops the run (MJ_E_VALUE) and
 * nothing is written. Returns MJ_OK, MJ_E_USAGE (also for a schema without
 * sections, and for a comparison without a period), MJ_E_IO (err names the
 * path and the reason), MJ_E_VALUE or MJ_E_NOMEM. */
enum mj_status mj_report_write(const char *outdir,
			       const struct mj_report_opts *opts,
			       const char *const *files, size_t nfiles,
			       struct mj_run_stats *stats, struct mj_error *err);

#endif
