/* Records: one appeal, normalised against the schema. The normaliser maps a
 * header to dimensions and turns each row of fields into a record, reporting
 * every problem with its line and column (the field number). */
#ifndef MUROJAAT_RECORD_H
#define MUROJAAT_RECORD_H

#include <stddef.h>

#include "murojaat/error.h"
#include "murojaat/reader.h"
#include "murojaat/schema.h"

#define MJ_MAX_DIMS 64

/* Value of a dimension in a record: a category index (schema order), an
 * interned value id (open dimensions, month/quarter/year as a period
 * number), or MJ_MISSING. */
#define MJ_MISSING (-1)

/* The largest count one record may add to a table: its weight, its sum, and
 * the two multiplied (--weight, --sum). Small enough that totals of millions
 * of such records stay exact in a double (see MJ_TABLE_VALUE_MAX). */
#define MJ_VALUE_MAX 1e12

struct mj_record {
	int value[MJ_MAX_DIMS];    /* per dimension, see above */
	/* Multi-response dimensions (attr multi): bit c set for each category
	 * c named ("physical;psychological"); value[] holds the first. 0 when
	 * the record names one category or none. */
	unsigned long long mentions[MJ_MAX_DIMS];
	long number[MJ_MAX_DIMS];  /* integer dimensions (age, children) */
	int year, month, day;      /* the date; year 0 when missing */
	double weight;             /* 1, or the --weight column (0..MJ_VALUE_MAX) */
	double measure;            /* the --sum column, 0 when empty (0..MJ_VALUE_MAX) */
	const char *id;            /* the id field of the row (borrowed), or NULL */
	size_t id_len;
	unsigned long line;
};

struct mj_normaliser;

/* Called for each problem; fatal is set for problems that stop a file. */
typedef void (*mj_problem_fn)(void *ctx, const struct mj_error *problem,
			      int fatal);

/* A normaliser for schema (borrowed; must outlive it). weight and sum name
 * whole-number dimensions of the schema (NULL for none); any other name
 * fails with MJ_E_USAGE and a message listing those dimensions. Records
 * whose weight, sum or their product is not a count from 0 to MJ_VALUE_MAX
 * are rejected. Caller destroys it. */
struct mj_normaliser *mj_normaliser_new(const struct mj_schema *schema,
					const char *weight, const char *sum,
					struct mj_error *err);
void mj_normaliser_destroy(struct mj_normaliser *n);

/* Name the sheet (borrowed, read at each report; "" or NULL for text) whose
 * rows come next, so problems point at cells: "reg.xlsx:Appeals!D5". */
void mj_normaliser_set_sheet(struct mj_normaliser *n, const char *sheet);

/* Take the header row of file path. Unknown columns are reported as notes
 * (not fatal). Fails (MJ_E_VALUE, err filled) on a duplicate column, a
 * missing required column, or a missing --weight/--sum column. */
enum mj_status mj_normaliser_header(struct mj_normaliser *n, const char *path,
				    const struct mj_field *fields, size_t nfields,
				    unsigned long line, mj_problem_fn on_problem,
				    void *ctx, struct mj_error *err);

/* Normalise one data row into rec. Returns the number of problems found
 * (0: the record is valid), each reported through on_problem. */
size_t mj_normaliser_row(struct mj_normaliser *n, const struct mj_field *fields,
			 size_t nfields, unsigned long line,
			 struct mj_record *rec, mj_problem_fn on_problem,
			 void *ctx);

/* A copy of n after its header, for another thread: the same columns, its
 * own caches, and open-dimension ids shared (thread-safe) with n. */
struct mj_normaliser *mj_normaliser_clone(const struct mj_normaliser *n);

/* Label of an interned value of an open dimension (district). Borrowed. */
const char *mj_normaliser_open_label(const struct mj_normaliser *n,
				     size_t dim, int value);
size_t mj_normaliser_open_count(const struct mj_normaliser *n, size_t dim);

/* Whether the current file's header has a column for dim. */
int mj_normaliser_has_column(const struct mj_normaliser *n, size_t dim);

/* Period numbers of month, quarter and year values of a date. */
static inline int mj_period_month(int year, int month) { return year * 12 + month - 1; }
static inline int mj_period_quarter(int year, int month) { return year * 4 + (month - 1) / 3; }

/* Parse a date (YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY; a trailing time is
 * ignored). Returns 0 on success. */
int mj_parse_date(const char *text, size_t len, int *year, int *month, int *day);

#endif
