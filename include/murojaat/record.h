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
 * (0: the record is valid), each reported through on_problem. Every value
 * of rec is set, but a record passed again for the next row is cleared
 * only in the parts the last row may have changed: a caller must not
 * change a record between calls (or must clear it whole first). */
size_t mj_normaliser_row(struct mj_normaliser *n, const struct mj_field *fields,
			 size_t nfields, unsigned long line,
			 struct mj_record *rec, mj_problem_fn on_problem,
			 void *ctx);

/* Derives in each record only the derived dimensions among dims[] (n of
 * them) and those they are derived from; the others stay MJ_MISSING. For a
 * caller that reads no other dimension's value (each takes a few dozen
 * instructions a row). Every derived dimension is derived until it is
 * called; clones derive what n does. */
void mj_normaliser_derive_only(struct mj_normaliser *n, const int *dims, size_t ndims);

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

/* Parse a date (YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY, DD-MM-YYYY: day first; a trailing time is ignored). Returns 0 on
 * success. Records read dates through the normaliser, which knows the
 * order of the file's dates (see mj_normaliser_set_date_order). */
int mj_parse_date(const char *text, size_t len, int *year, int *month, int *day);

/* How dates written with the day and the month before a 4-digit year and
 * slashes or dashes (01/02/2023, 01-02-2023) are read. Dotted dates
 * (DD.MM.YYYY) are always day first; year-first dates are unambiguous. */
enum mj_date_order {
	MJ_DATE_AUTO = 0, /* not known: ambiguous dates are read day first */
	MJ_DATE_DMY,      /* day first (DD/MM/YYYY) */
	MJ_DATE_MDY,      /* month first (MM/DD/YYYY) */
	MJ_DATE_YMD,      /* only year-first dates (YYYY-MM-DD) are dates */
};

/* A file's order is decided before a date that needs it is read, from its
 * first date that can only be read one way among its first rows: as many
 * as standard input can hold back while waiting (a file is read the same
 * way, so that both give the same result). */
#define MJ_DATE_PREFIX_ROWS 100000
#define MJ_DATE_PREFIX_BYTES (64u << 20) /* or fewer rows, this long in all */

/* "dmy", "mdy" or "ymd"; -1 for anything else. */
int mj_date_order_parse(const char *text);

/* How n reads the dates of the rows that follow. forced (the user's
 * --date-order): a date that cannot be read in that order is a rejected
 * value. Otherwise order is the one decided for the file (MJ_DATE_AUTO when
 * nothing told it): every date is read in the only order it allows, an
 * ambiguous one in order (day first for MJ_DATE_AUTO), and what each date
 * says is noted for mj_normaliser_date_verdict(). */
void mj_normaliser_set_date_order(struct mj_normaliser *n,
				  enum mj_date_order order, int forced);

/* Decides the order of a file's day-month dates; ctx as given to
 * mj_normaliser_defer_date_order(). */
typedef enum mj_date_order (*mj_date_order_fn)(void *ctx);

/* As mj_normaliser_set_date_order(n, decide(ctx), 0), with decide called
 * only when a date first needs the order: one that can be read both ways
 * (a day and a month that differ). The dates of most files never do, and
 * their order is never looked for; a file's order is decided once for n
 * and all its clones (decide may then run in any of their threads, and
 * must be safe there). ctx is borrowed until the file is read. */
void mj_normaliser_defer_date_order(struct mj_normaliser *n, mj_date_order_fn decide,
				    void *ctx);

/* The column of the first date dimension in the current file's header, or
 * -1. */
int mj_normaliser_date_column(const struct mj_normaliser *n);

/* The column of the id dimension in the current file's header, or -1. */
int mj_normaliser_id_column(const struct mj_normaliser *n);

/* Adds what the dates read by other (a clone, reading a later part of the
 * same file whose line 1 is line line_base of the file) said to n's. */
void mj_normaliser_merge_dates(struct mj_normaliser *n,
			       const struct mj_normaliser *other,
			       unsigned long line_base);

/* The verdict on the dates of the file read since the header: MJ_OK, or
 * MJ_E_VALUE with err naming the two dates that disagree about the order
 * (the file must not be counted). *has_note is set, and note filled (status
 * MJ_OK), when ambiguous dates were read day first because nothing in the
 * file told the order. */
enum mj_status mj_normaliser_date_verdict(const struct mj_normaliser *n,
					  struct mj_error *note, int *has_note,
					  struct mj_error *err);

#endif
