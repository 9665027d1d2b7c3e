/* Auditing a published table: recompute each printed percent from its
 * counts at the precision it is printed with, and check that parts add up
 * to their whole. */
#ifndef MUROJAAT_AUDIT_H
#define MUROJAAT_AUDIT_H

#include <stddef.h>

#include "murojaat/error.h"
#include "murojaat/tab.h"

/* Largest count a published table may hold (a thousand million million). */
#define MJ_AUDIT_MAX_COUNT 1000000000000000ULL
/* Most decimals a printed percent may carry. */
#define MJ_AUDIT_MAX_DECIMALS 6

/* What a finding is about. Keep mj_audit_kind_name()'s table in step. */
enum mj_audit_kind {
	MJ_AUDIT_PERCENT = 0,  /* a printed percent does not round from count / base */
	MJ_AUDIT_PART_LARGER,  /* a part is larger than its whole */
	MJ_AUDIT_SUM,          /* the parts of a complete breakdown do not add up to the whole */
	MJ_AUDIT_SUM_OVER,     /* the printed parts of a partial breakdown add up to more than the whole */
	MJ_AUDIT_PERCENT_SUM,  /* printed percents of a breakdown do not add up to 100 within rounding */
	MJ_AUDIT_COUNT,        /* a printed count differs from the count in the records */
	MJ_AUDIT_KIND_COUNT    /* number of kinds; not a kind */
};

/* A short stable name for kind ("percent", "part-larger", "sum",
 * "sum-over", "percent-sum", "count"), used in JSON; "unknown" when out of
 * range. */
const char *mj_audit_kind_name(enum mj_audit_kind kind);

/* One problem found in a published table. Every string is owned by the
 * report that holds the finding. */
struct mj_audit_finding {
	enum mj_audit_kind kind;
	const char *path;     /* the document's name */
	unsigned long line;   /* line of the row (or of a breakdown's first part) */
	const char *table;    /* the breakdown ("region"); "" when not given */
	const char *category; /* the row, or the whole of a breakdown */
	/* The figures involved; which are set depends on kind:
	 * PERCENT: count, base, computed and printed percents.
	 * PART_LARGER: count (the part) and base (the whole).
	 * SUM, SUM_OVER: count (sum of the parts), base (the whole), nparts.
	 * PERCENT_SUM: computed ("100"), printed (the sum), tolerance, nparts.
	 * COUNT: count (printed), records (recounted), where. */
	unsigned long long count;
	unsigned long long base;
	size_t nparts;
	const char *computed; /* "8.2" */
	const char *printed;  /* "14.1" */
	const char *tolerance;/* "2.05" */
	double records;       /* the count (or sum) in the records */
	const char *where;    /* what was counted there: "region=UZ-SU", "all" */
	const char *message;  /* "Surkhandarya region: 899 of 10,927 is 8.2%,
				 printed 14.1%" (no path or line) */
};

/* A published table parsed from CSV (see mj-audit(1) for the format). */
struct mj_audit_doc;
/* The findings of one or more documents, in document and line order. */
struct mj_audit_report;

/* Parse a published table from len bytes of text; path names it in errors
 * and findings. Fails with MJ_E_PARSE or MJ_E_VALUE and the line and column
 * of the first problem. Caller owns the result; free it with
 * mj_audit_doc_destroy(). */
struct mj_audit_doc *mj_audit_doc_parse(const char *path, const char *text,
					size_t len, struct mj_error *err);
/* Read and parse a file ("-" is stdin). */
struct mj_audit_doc *mj_audit_doc_load(const char *path, struct mj_error *err);
/* No operation is performed if NULL. */
void mj_audit_doc_destroy(struct mj_audit_doc *doc);
/* Reads each of files into docs (room for nfiles; *ndocs of them read,
 * the caller destroys each). A file that cannot be read is reported
 * through on_problem (as fatal; may be NULL) and the others are still
 * read. Returns MJ_OK, or the status of the last file not read. */
enum mj_status mj_audit_docs_load(const char *const *files, size_t nfiles,
				  struct mj_audit_doc **docs, size_t *ndocs,
				  void (*on_problem)(void *ctx, const struct mj_error *problem,
						     int fatal),
				  void *ctx);

/* Rows, percents and breakdowns a document holds (for a summary). */
size_t mj_audit_doc_nrows(const struct mj_audit_doc *doc);
size_t mj_audit_doc_npercents(const struct mj_audit_doc *doc);
size_t mj_audit_doc_nbreakdowns(const struct mj_audit_doc *doc);

/* Counts recomputed from appeal records for the rows of published tables.
 * A row's records column says what it counts: "all" (every record
 * counted), "DIM=VALUE" (records whose dimension DIM has the category
 * VALUE: code, label or alias), "-" (not to be compared); when empty, the
 * row's table and category are tried as a dimension and one of its
 * categories. */
struct mj_audit_counts;

/* Read the records in files ("-" is stdin) once, with opts' filters and
 * period (as mj-tab counts them), and count every category the ndocs
 * documents name. opts is borrowed for the call; its hide_empty, top,
 * min_cell and sort do not apply. Fails with MJ_E_VALUE and the position
 * of a records value that names no dimension or category, or with the
 * status of mj_tabulate(). Caller owns the result. */
struct mj_audit_counts *mj_audit_counts_make(
	const struct mj_audit_doc *const *docs, size_t ndocs,
	const struct mj_run_opts *opts, const char *const *files,
	size_t nfiles, struct mj_error *err);
/* No operation is performed if NULL. */
void mj_audit_counts_destroy(struct mj_audit_counts *counts);
/* What reading the records read and counted. Borrowed. */
const struct mj_run_stats *
mj_audit_counts_stats(const struct mj_audit_counts *counts);

/* An empty report. Caller owns it; free with mj_audit_report_destroy(). */
struct mj_audit_report *mj_audit_report_new(void);
/* No operation is performed if NULL. */
void mj_audit_report_destroy(struct mj_audit_report *report);

/* Check doc and append its findings to report (doc is only read; the
 * findings copy what they need, so doc may be destroyed afterwards). When
 * counts is not NULL (made from doc among others), also compare every
 * printed count with the records; a count that cannot be compared adds a
 * note. Returns MJ_OK, or MJ_E_NOMEM. */
enum mj_status mj_audit_check(const struct mj_audit_doc *doc,
			      const struct mj_audit_counts *counts,
			      struct mj_audit_report *report,
			      struct mj_error *err);

/* What a report's checks covered. */
struct mj_audit_totals {
	size_t files;      /* documents checked */
	size_t rows;       /* rows read */
	size_t percents;   /* printed percents */
	size_t breakdowns; /* groups of parts with one whole */
	size_t compared;   /* counts compared with records */
	size_t not_compared; /* counts that could not be (see the notes) */
};
void mj_audit_report_totals(const struct mj_audit_report *report,
			    struct mj_audit_totals *totals);

size_t mj_audit_report_count(const struct mj_audit_report *report);
/* The i-th finding (i < count), borrowed from report; NULL past the end. */
const struct mj_audit_finding *
mj_audit_report_get(const struct mj_audit_report *report, size_t i);

/* Notes: counts that could not be compared with the records, with the
 * position of the row (status MJ_OK). The i-th is borrowed from report;
 * NULL past the end. */
size_t mj_audit_report_nnotes(const struct mj_audit_report *report);
const struct mj_error *
mj_audit_report_note(const struct mj_audit_report *report, size_t i);

/* The report as one JSON object, newline-terminated: {"findings": [...],
 * "count": N, "files": N, "rows": N, "percents": N, "breakdowns": N,
 * "compared": N, "not_compared": N, "notes": [...]}.
 * Returns a new string (caller frees) or NULL when out of memory. */
char *mj_audit_report_json(const struct mj_audit_report *report);

/* The report as text: "PATH:LINE: message" per finding, then one line of
 * totals (with the counts compared with records when against is set);
 * "" when nothing was found. Returns a new string (caller frees) or NULL
 * when out of memory. */
char *mj_audit_report_text(const struct mj_audit_report *report, int against);

#endif
