/* The order of a file's day-month dates, decided before a date that needs
 * it is read: from a first look at the dates of a file that can be read
 * twice (taken when such a date first comes), or by holding back the first
 * rows of a stream until a date tells. */
#ifndef MJ_DATEORDER_H
#define MJ_DATEORDER_H

#include <stddef.h>

#include "murojaat/reader.h"
#include "murojaat/record.h"

/* Stands between a reader and the consumer of its rows (next, ctx): the
 * header goes on at once; the rows that follow are held until one of their
 * dates can only be read one way, or MJ_DATE_PREFIX_ROWS are held, and are
 * then handed on after the order is set on norm (the consumer's normaliser,
 * which has the header once next has taken it). */
struct mj_dategate {
	mj_row_fn next;
	void *ctx;
	struct mj_normaliser *norm;   /* borrowed */
	int header_done, decided, stopped, nomem;
	int date_col;
	unsigned long held;           /* rows held */
	char *buf;                    /* held rows, one after another */
	size_t len, cap;
	struct mj_field *fields;
	size_t fcap;
};

void mj_dategate_init(struct mj_dategate *g, mj_row_fn next, void *ctx,
		      struct mj_normaliser *norm);
/* The reader's callback; ctx is the gate. */
int mj_dategate_row(void *ctx, const struct mj_field *fields, size_t nfields,
		    unsigned long line);
/* At the end of the input: hands on the rows still held. Returns -1 when
 * memory ran out (then rows were lost), else 0. */
int mj_dategate_finish(struct mj_dategate *g);
void mj_dategate_free(struct mj_dategate *g);

/* The order told by the first dates of the file at path (which must be a
 * regular file: it is read again afterwards), read with ro: MJ_DATE_DMY,
 * MJ_DATE_MDY, or MJ_DATE_AUTO when no date among the first
 * MJ_DATE_PREFIX_ROWS tells (or the file cannot be read: reading it again
 * says why). */
enum mj_date_order mj_date_order_prescan(const char *path,
					 const struct mj_reader_opts *ro,
					 const struct mj_schema *schema);

/* A first look at a file put off until a date needs it: the order of the
 * file's dates is then the one mj_date_order_prescan() gives, but most
 * files (year-first dates) never read their first rows twice. */
struct mj_date_lookup {
	const char *path;                 /* borrowed */
	struct mj_reader_opts ro;         /* a copy: its pointers are borrowed */
	const struct mj_schema *schema;   /* borrowed */
};

/* Makes norm look at the first dates of path (read with ro) when a date
 * first needs the order (mj_normaliser_defer_date_order); l must live
 * until the file is read. */
void mj_date_order_defer(struct mj_normaliser *norm, struct mj_date_lookup *l,
			 const char *path, const struct mj_reader_opts *ro,
			 const struct mj_schema *schema);

/* What a date field (untrimmed) tells of the order: MJ_DATE_DMY when it
 * is a slash or dash date that can only be day first, MJ_DATE_MDY when it
 * can only be month first, MJ_DATE_AUTO otherwise. */
enum mj_date_order mj_date_tells(const char *text, size_t len);

/* Whether path can be read twice (a regular file, not "-"). */
int mj_date_rereadable(const char *path);

#endif
