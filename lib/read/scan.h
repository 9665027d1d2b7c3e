/* Fast scanning of CSV files: rows without quotes are split in place, 64
 * bytes at a time (SSE2, AVX2 or AVX-512, picked at run time); a row with
 * a quote goes through libcsv, so the fields are always exactly libcsv's
 * (with the line end and the limits set in rowbuf.h). A regular file can
 * be cut into parts at row boundaries and scanned by several threads; a cut that falls inside
 * a quoted field is detected and that part is scanned again in sequence. */
#ifndef MJ_SCAN_H
#define MJ_SCAN_H

#include <stddef.h>

#include "murojaat/reader.h"

#define MJ_SCAN_MAX_PARTS 64

struct mj_scan_result {
	size_t nparts;                        /* parts scanned */
	int valid[MJ_SCAN_MAX_PARTS];         /* whether part k's rows count */
	unsigned long line_base[MJ_SCAN_MAX_PARTS]; /* absolute line of a part's local line 1 */
};

/* Called once, after the header row went to ctxs[0] through on_row, to make
 * the other parts' contexts ready (copies of the header state). Returns 0
 * to go on. */
typedef int (*mj_scan_prepare_fn)(void **ctxs, size_t nparts);

/* Whether the fast parallel scan applies: a regular file, UTF-8 (no
 * conversion). */
int mj_scan_possible(const char *path, const struct mj_reader_opts *opts);

/* Scan path in up to nparts parts (1 = in this thread). Part 0 gets the
 * header and its lines are absolute; part k > 0 numbers lines from 1 at its
 * start, and result->line_base[k] gives the offset once known. Rows of a
 * part whose start was not a row boundary are not valid: the scan then
 * continues in sequence with the previous part's context, and the caller
 * must discard invalid parts' contexts. Return values as mj_read_rows. */
enum mj_status mj_scan_file(const char *path, const struct mj_reader_opts *opts,
			    mj_row_fn on_row, mj_scan_prepare_fn prepare,
			    void **ctxs, size_t nparts,
			    struct mj_scan_result *result, struct mj_error *err);

/* As mj_scan_file, with the parts cut after the first line break at or
 * after the offsets cuts[0..nparts-2] (for tests: every cut must give the
 * same rows). */
enum mj_status mj_scan_file_at(const char *path, const struct mj_reader_opts *opts,
			       mj_row_fn on_row, mj_scan_prepare_fn prepare,
			       void **ctxs, size_t nparts, const long *cuts,
			       struct mj_scan_result *result, struct mj_error *err);

/* The instruction sets the splitter has a version for; each gives the
 * same fields. */
enum mj_scan_isa {
	MJ_SCAN_AUTO,   /* the best this processor has (the default) */
	MJ_SCAN_PLAIN,  /* plain C */
	MJ_SCAN_SSE2,
	MJ_SCAN_AVX2,   /* AVX2 with BMI1 */
	MJ_SCAN_AVX512, /* AVX-512 BW with BMI1 */
};

/* Makes the scans started from now on split with isa (for tests, which
 * run each version: call it while no scan runs). Returns -1, and changes
 * nothing, when this processor or build has no such version. */
int mj_scan_set_isa(enum mj_scan_isa isa);

/* A text read in sequence (a pipe), whose first bytes were read to
 * recognise what it is. */
struct mj_scan_stream {
	int fd;
	const char *name;               /* for messages ("<stdin>") */
	const char *head;               /* the bytes read, after a BOM */
	size_t len;
	unsigned long long consumed;    /* bytes read from fd (a BOM too) */
	unsigned long long total;       /* its size if known (progress), else 0 */
	char delim, eol;
	size_t chunk;                   /* reads take at most this (0: as much
					   as fits; tests cut reads short) */
};

/* Scans a stream in this thread, from its head then on from fd, with
 * the same rows, header gate and errors as mj_read_rows (UTF-8 text). */
enum mj_status mj_scan_stream(const struct mj_scan_stream *in,
			      const struct mj_reader_opts *opts, mj_row_fn on_row, void *ctx,
			      struct mj_error *err);

/* Splits the bytes of text (a whole document) into rows with the fast
 * splitter and libcsv fallback, for the differential test against plain
 * libcsv. */
enum mj_status mj_scan_mem(const char *text, size_t len, char delim,
			   mj_row_fn on_row, void *ctx, struct mj_error *err);

#endif
