/* Synthetic records that reproduce a spec of marginal counts exactly: for
 * samples, tests, benchmarks and demo data that can be shared. */
#ifndef MUROJAAT_SYNTH_H
#define MUROJAAT_SYNTH_H

#include <stdint.h>
#include <stdio.h>

#include "murojaat/error.h"
#include "murojaat/schema.h"

/* Seed used when the caller gives none, so the samples are reproducible. */
#define MJ_SYNTH_DEFAULT_SEED 2023u

/* Largest total (and largest --rows) a spec may ask for: scaling multiplies
 * two counts in 64 bits, so each stays below 2^32. */
#define MJ_SYNTH_MAX_ROWS 4294967295ull

/* A parsed spec. The spec format (a small CSV document):
 *
 *   # comment                      lines starting with # and blank lines
 *   total,10927                    optional; the number of records
 *   id,A2023-                      optional; prefix of the generated ids
 *   block,sex,age                  a block: a set of record columns...
 *   10696,female,18-59             ...and its joint rows: count, values
 *   231,male,
 *
 * Each block's counts add up to the total. Each block's rows are dealt to
 * the records in a random order of their own (seeded), independently of the
 * other blocks, so every block's joint counts hold exactly. A value is a
 * code or alias of the schema (written as its code), free text for an open
 * dimension, an integer or range "18-59" for an integer dimension, a date
 * or range "2023-01-01..2023-08-31" (or months "2023-01..2023-08") for a
 * date dimension, empty for "not stated", or alternatives "a|b|" (one drawn
 * per record; the last here is empty). Columns in no block are empty. */
struct mj_synth;

/* Parse a spec held in memory against schema (borrowed for the call only;
 * codes are copied). path names the spec in error positions. Caller owns
 * the result; free with mj_synth_destroy(). NULL on error, err filled. */
struct mj_synth *mj_synth_parse(const struct mj_schema *schema,
				const char *path, const char *text, size_t len,
				struct mj_error *err);
/* Read and parse a spec file ("-" is stdin). Caller owns the result. */
struct mj_synth *mj_synth_load(const struct mj_schema *schema,
			       const char *path, struct mj_error *err);
/* No operation is performed if NULL. */
void mj_synth_destroy(struct mj_synth *synth);

/* The number of records that mj_synth_write() writes. */
uint64_t mj_synth_rows(const struct mj_synth *synth);

/* Scale every block to rows records: each count becomes its share of rows,
 * rounded by largest remainder (ties to the earlier row), so each block
 * still adds up to rows exactly. Always from the spec's own counts, so
 * scaling twice does not compound rounding. Fails with MJ_E_LIMIT above
 * MJ_SYNTH_MAX_ROWS and MJ_E_EMPTY when the spec's total is 0. */
enum mj_status mj_synth_scale(struct mj_synth *synth, uint64_t rows,
			      struct mj_error *err);

/* Blocks and their (current, possibly scaled) counts, for tests and
 * reports. Column names are borrowed from synth. */
size_t mj_synth_nblocks(const struct mj_synth *synth);
size_t mj_synth_block_ncols(const struct mj_synth *synth, size_t block);
const char *mj_synth_block_col(const struct mj_synth *synth, size_t block,
			       size_t col);
size_t mj_synth_block_nrows(const struct mj_synth *synth, size_t block);
uint64_t mj_synth_block_count(const struct mj_synth *synth, size_t block,
			      size_t row);

/* Write the header and the records as CSV to out, deterministically for
 * seed: the same spec, seed and row count give the same bytes. Streams:
 * memory does not grow with the number of records. name is used in I/O
 * error messages. The stream is not closed. */
enum mj_status mj_synth_write(const struct mj_synth *synth, uint64_t seed,
			      FILE *out, const char *name,
			      struct mj_error *err);

#endif
