/* The rows above a text file's header: a title line or two, as an export
 * often puts there. As in a workbook, the header is the first row that
 * reads as one (mj_fields_header_like()), or the row --header-row gives,
 * and the rows above it, titles and notes, are skipped and told of
 * (opts->above); one that may be a record stops the file. A file whose
 * first rows hold no header is read as it is: its first row is its
 * header. */
#ifndef MJ_HEADGATE_H
#define MJ_HEADGATE_H

#include <stddef.h>

#include "murojaat/error.h"
#include "murojaat/reader.h"

/* Rows searched for the header before the first is taken as it. */
#define MJ_HEADGATE_SCAN 100u

struct mj_headgate_row;

struct mj_headgate {
	mj_row_fn on_row;
	void *ctx;
	const struct mj_schema *schema;
	unsigned long want;      /* the header's line, or 0: find it */
	int open;                /* the header has gone on: so does every row */
	struct mj_headgate_row *held; /* rows read while looking */
	size_t nheld;
	size_t held_bytes;
	struct mj_above_header *above; /* the rows skipped, or NULL */
	int nomem;
	int failed;              /* a row above the header may be a record: err */
	struct mj_error err;
};

/* A gate in front of on_row(ctx, ...) for opts (its schema and
 * header_row); with neither, it is open from the start. */
void mj_headgate_init(struct mj_headgate *g, mj_row_fn on_row, void *ctx,
		      const struct mj_reader_opts *opts);
/* An mj_row_fn of ctx g: holds rows while it looks for the header, then
 * passes them on. */
int mj_headgate_row(void *g, const struct mj_field *fields, size_t nfields,
		    unsigned long line);
/* At the end of the file: the rows held, when no header was found, go on
 * as they are. Returns what on_row returned (non-zero: stop), or -1 when
 * out of memory (g->nomem) or when the gate failed (g->failed). */
int mj_headgate_finish(struct mj_headgate *g);
/* Whether a row g is given may still be a title above a header it looks
 * for (a schema, no --header-row, no header yet): a stray quote there may
 * be a title's, and its message says so. */
int mj_headgate_seeking(const struct mj_headgate *g);
/* Whether the n bytes of a line hold a field's text (any byte but blank
 * space, line ends and delim): a line skipped above --header-row's is
 * told of when it does, as a row of empty fields is no row. */
int mj_line_filled(const char *s, size_t n, char delim);
/* Notes a row at line skipped above the header in a (NULL: nowhere). */
void mj_above_header_add(struct mj_above_header *a, unsigned long line);
/* mj_headgate_finish() as a status of the file name: MJ_E_VALUE when the
 * line --header-row gives is past its last row, or when a row above the
 * header may be a record (the file is read no further: no record is
 * skipped without a word). */
enum mj_status mj_headgate_status(struct mj_headgate *g, const char *name,
				  struct mj_error *err);
void mj_headgate_free(struct mj_headgate *g);

#endif
