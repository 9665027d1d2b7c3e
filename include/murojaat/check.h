/* Checking registers: validation of every row, duplicate ids, canonical
 * output of valid rows and a rejects file, as mj-check does. */
#ifndef MUROJAAT_CHECK_H
#define MUROJAAT_CHECK_H

#include <stdio.h>

#include "murojaat/error.h"
#include "murojaat/record.h"
#include "murojaat/schema.h"

struct mj_check_opts {
	const struct mj_schema *schema;
	char delimiter;           /* 0: detect */
	const char *encoding;     /* NULL: utf-8 */
	const char *sheet;        /* workbooks: sheet name or number; NULL: the first */
	unsigned long header_row; /* workbooks: header row; 0: found from the schema */
	enum mj_date_order date_order; /* --date-order; MJ_DATE_AUTO: from each file */
	FILE *fixed;              /* canonical CSV of valid rows, or NULL */
	FILE *rejects;            /* rejected rows with reasons, or NULL */
	unsigned threads;         /* threads of a check without output; 0: one per core */
	mj_problem_fn on_problem; /* every problem, notes included */
	void *ctx;
};

struct mj_check_stats {
	unsigned long long read, valid, rejected, duplicates;
	/* Rows of files refused as a whole (or not read to their end) that
	 * had no problem of their own: read, but neither valid nor rejected. */
	unsigned long long refused;
	unsigned long long ids;   /* ids remembered for the duplicate check */
};

/* Check files ("-" is stdin) one after the other. A file that cannot be
 * read is reported through on_problem (fatal) and the others are still
 * checked; the call then returns that file's status. */
enum mj_status mj_check_files(const struct mj_check_opts *opts,
			      const char *const *files, size_t nfiles,
			      struct mj_check_stats *stats, struct mj_error *err);

/* Print the schema as readable tables: dimensions, codes, labels in every
 * language and accepted spellings. */
enum mj_status mj_schema_explain(const struct mj_schema *schema, FILE *out);

#endif
