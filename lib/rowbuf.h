/* A row being assembled from libcsv's field callbacks, with the line on
 * which it starts (libcsv itself keeps no positions). */
#ifndef MJ_ROWBUF_H
#define MJ_ROWBUF_H

#include <stddef.h>

#include "murojaat/reader.h"

#define MJ_MAX_ROW_BYTES (64u << 20)
#define MJ_MAX_FIELDS 1000000u

struct mj_rowbuf {
	char *bytes;           /* all fields of the row, NUL-separated */
	size_t used, cap;
	size_t *offsets;       /* start of each field in bytes */
	size_t *lens;
	struct mj_field *fields;
	size_t nfields, fcap;
	unsigned long next_line; /* line where the next row starts */
	size_t row_newlines;   /* newlines inside quoted fields of this row */
	int last_end;          /* character that ended the previous row */
	int overflow;          /* row over a limit */
	int nomem;
	int stop;              /* the callback asked to stop */
	mj_row_fn on_row;
	void *ctx;
};

/* libcsv callbacks; data is the struct mj_rowbuf. */
void mj_rowbuf_field(void *s, size_t len, void *data);
void mj_rowbuf_end(int c, void *data);
/* Grows the field arrays to hold n fields; returns -1 when out of memory. */
int mj_rowbuf_reserve(struct mj_rowbuf *rb, size_t n);
void mj_rowbuf_free(struct mj_rowbuf *rb);

#endif
