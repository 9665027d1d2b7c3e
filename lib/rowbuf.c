/* Rows assembled from libcsv's callbacks, with line numbers. */
#include "rowbuf.h"

#include <stdlib.h>
#include <string.h>

int mj_rowbuf_reserve(struct mj_rowbuf *rb, size_t n)
{
	if (n <= rb->fcap)
		return 0;
	size_t cap = rb->fcap ? rb->fcap : 64;
	while (cap < n)
		cap *= 2;
	size_t *o = realloc(rb->offsets, cap * sizeof *o);
	if (o)
		rb->offsets = o;
	size_t *l = realloc(rb->lens, cap * sizeof *l);
	if (l)
		rb->lens = l;
	struct mj_field *f = realloc(rb->fields, cap * sizeof *f);
	if (f)
		rb->fields = f;
	if (!o || !l || !f)
		return -1;
	rb->fcap = cap;
	return 0;
}

void mj_rowbuf_field(void *s, size_t len, void *data)
{
	struct mj_rowbuf *rb = data;
	if (rb->stop || rb->overflow || rb->nomem)
		return;
	if (rb->nfields == MJ_MAX_FIELDS || rb->used + len + 1 > MJ_MAX_ROW_BYTES) {
		rb->overflow = 1;
		return;
	}
	if (mj_rowbuf_reserve(rb, rb->nfields + 1) != 0) {
		rb->nomem = 1;
		return;
	}
	if (rb->used + len + 1 > rb->cap) {
		size_t cap = rb->cap ? rb->cap : 4096;
		while (cap < rb->used + len + 1)
			cap *= 2;
		char *b = realloc(rb->bytes, cap);
		if (!b) {
			rb->nomem = 1;
			return;
		}
		rb->bytes = b;
		rb->cap = cap;
	}
	if (len)
		memcpy(rb->bytes + rb->used, s, len);
	rb->bytes[rb->used + len] = '\0';
	/* Quoted fields may hold line breaks; count them so the next row's
	 * line number stays right. */
	const char *p = rb->bytes + rb->used, *end = p + len;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		rb->row_newlines++;
		p++;
	}
	rb->offsets[rb->nfields] = rb->used;
	rb->lens[rb->nfields] = len;
	rb->used += len + 1;
	rb->nfields++;
}

void mj_rowbuf_end(int c, void *data)
{
	struct mj_rowbuf *rb = data;
	unsigned long start = rb->next_line;
	int crlf_tail = c == '\n' && rb->last_end == '\r' && rb->nfields == 0;
	/* With CSV_REPALL_NL every line end outside a record arrives as an
	 * empty row; the LF of a CRLF pair ends no new line. */
	if (!crlf_tail)
		rb->next_line += rb->row_newlines + (c == -1 ? 0 : 1);
	rb->last_end = c;
	size_t n = rb->nfields;
	rb->nfields = 0;
	rb->used = 0;
	rb->row_newlines = 0;
	if (rb->stop || rb->nomem || rb->overflow || n == 0)
		return;
	if (n == 1 && rb->lens[0] == 0)
		return; /* a blank line */
	for (size_t i = 0; i < n; i++) {
		rb->fields[i].text = rb->bytes + rb->offsets[i];
		rb->fields[i].len = rb->lens[i];
	}
	if (rb->on_row(rb->ctx, rb->fields, n, start))
		rb->stop = 1;
}

void mj_rowbuf_free(struct mj_rowbuf *rb)
{
	free(rb->bytes);
	free(rb->offsets);
	free(rb->lens);
	free(rb->fields);
	rb->bytes = NULL;
	rb->offsets = rb->lens = NULL;
	rb->fields = NULL;
}
