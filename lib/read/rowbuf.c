/* Rows assembled from libcsv's callbacks, with line numbers. */
#include "rowbuf.h"

#include <csv.h>
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
		rb->overflow_line = rb->next_line;
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
	while ((p = memchr(p, rb->eol ? rb->eol : '\n', (size_t)(end - p))) != NULL) {
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
	/* A blank line, or a row of empty fields only (",,,,": a
	 * spreadsheet's empty row saved as CSV), holds nothing to count or
	 * reject: skipped, as a workbook's empty rows are. */
	size_t filled = 0;
	while (filled < n && rb->lens[filled] == 0)
		filled++;
	if (filled == n)
		return;
	for (size_t i = 0; i < n; i++) {
		rb->fields[i].text = rb->bytes + rb->offsets[i];
		rb->fields[i].len = rb->lens[i];
	}
	rb->rows++;
	if (rb->on_row(rb->ctx, rb->fields, n, start))
		rb->stop = 1;
}

int mj_rowbuf_check(struct mj_rowbuf *rb, struct csv_parser *p)
{
	if (!rb->overflow && !rb->stop && rb->used + p->entry_pos + 1 > MJ_MAX_ROW_BYTES) {
		rb->overflow = 1;
		rb->overflow_line = rb->next_line;
	}
	/* libcsv grows a field by a fixed step: a step that follows its size
	 * keeps a long field from being copied thousands of times. */
	size_t step = p->entry_size / 2;
	if (step > p->blk_size && step <= MJ_MAX_ROW_BYTES / 4)
		csv_set_blk_size(p, step);
	return rb->overflow;
}

static int is_lf(unsigned char c)
{
	return c == '\n';
}

static int is_cr(unsigned char c)
{
	return c == '\r';
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

static int is_blank_or_cr(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

void mj_rowbuf_set_eol(struct mj_rowbuf *rb, struct csv_parser *p, char eol)
{
	rb->eol = eol == '\r' ? '\r' : '\n';
	csv_set_term_func(p, rb->eol == '\r' ? is_cr : is_lf);
	csv_set_space_func(p, rb->eol == '\r' ? is_blank : is_blank_or_cr);
}

char mj_csv_detect_eol(const char *text, size_t len)
{
	const char *lf = memchr(text, '\n', len), *cr = memchr(text, '\r', len);
	if (cr && (!lf || cr < lf) && cr + 1 < text + len && cr[1] != '\n')
		return '\r';
	return '\n';
}

enum { Q_START, Q_UNQUOTED, Q_QUOTED, Q_AFTER_QUOTE };

void mj_quote_watch_start(struct mj_quote_watch *w, unsigned long line)
{
	memset(w, 0, sizeof *w);
	w->line = line;
	w->field = 1;
}

/* Blank as libcsv's space function takes it (mj_rowbuf_set_eol). */
static int watch_blank(char c, char eol)
{
	return c == ' ' || c == '\t' || (c == '\r' && eol == '\n');
}

/* Moves w over s[from, to), bytes outside any quoted field: counts lines
 * and fields, and says whether the state after them is between fields
 * (only blanks since a delimiter or a line end) or in an unquoted field. */
static void watch_plain(struct mj_quote_watch *w, const char *s, size_t from, size_t to,
			char delim, char eol)
{
	size_t last_eol = from;
	int any_eol = 0;
	for (size_t i = from; i < to; i++)
		if (s[i] == eol) {
			w->line++;
			last_eol = i + 1;
			any_eol = 1;
		}
	if (any_eol)
		w->field = 1;
	for (size_t i = last_eol; i < to; i++)
		w->field += s[i] == delim;
	size_t b = to;
	while (b > from && watch_blank(s[b - 1], eol) && s[b - 1] != delim)
		b--;
	if (b > from)
		w->state = s[b - 1] == delim || s[b - 1] == eol ? Q_START : Q_UNQUOTED;
}

int mj_quote_watch(struct mj_quote_watch *w, const char *s, size_t len, char delim, char eol,
		   size_t *at)
{
	size_t i = 0;
	while (i < len) {
		if (w->state == Q_START || w->state == Q_UNQUOTED) {
			/* Only a quote can start what is watched: one at a
			 * field's start opens a quoted field; one inside an
			 * unquoted field is text. */
			const char *q = memchr(s + i, '"', len - i);
			size_t k = q ? (size_t)(q - s) : len;
			watch_plain(w, s, i, k, delim, eol);
			if (!q)
				break;
			w->state = w->state == Q_START ? Q_QUOTED : Q_UNQUOTED;
			i = k + 1;
		} else if (w->state == Q_QUOTED) {
			const char *q = memchr(s + i, '"', len - i);
			size_t k = q ? (size_t)(q - s) : len;
			for (size_t j = i; j < k; j++)
				if (s[j] == eol) {
					if (w->odd) {
						*at = j;
						return 1;
					}
					w->line++;
				}
			if (!q)
				break;
			w->state = Q_AFTER_QUOTE;
			w->spaces = 0;
			i = k + 1;
		} else {
			char c = s[i++];
			if (c == delim || c == eol) {
				w->state = Q_START;
				w->odd = 0;
				if (c == eol) {
					w->line++;
					w->field = 1;
				} else {
					w->field++;
				}
			} else if (watch_blank(c, eol)) {
				w->spaces++;
			} else if (c == '"') {
				/* A quote after blanks is text; a quote at once
				 * is a doubled quote. */
				if (w->spaces)
					w->spaces = 0;
				else
					w->state = Q_QUOTED;
			} else {
				if (!w->odd) {
					w->odd = 1;
					w->odd_line = w->line;
					w->odd_field = w->field;
				}
				w->state = Q_QUOTED;
			}
		}
	}
	return 0;
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
