/* A row being assembled from libcsv's field callbacks, with the line on
 * which it starts (libcsv itself keeps no positions). */
#ifndef MJ_ROWBUF_H
#define MJ_ROWBUF_H

#include <stddef.h>

#include "i18n.h"
#include "murojaat/reader.h"

#define MJ_MAX_ROW_BYTES (64u << 20)
#define MJ_MAX_FIELDS 1000000u
/* The one message for a row over either limit, on every reading path. */
#define MJ_ROW_LIMIT_MSG MJ_N_("row is larger than the limits of 64 MiB or 1,000,000 fields")

struct csv_parser;

/* Follows the bytes given to libcsv as libcsv reads them, for the one
 * mistake it takes without a word: a quoted field whose closing quote is
 * followed by text ("Ромашка" ООО). libcsv keeps the quote and reads on
 * inside the field, so when no quote ends it on that line, the lines
 * after it, whole appeals, become the field's text and are lost. */
struct mj_quote_watch {
	unsigned char state;   /* between fields, in an unquoted field, in a
				  quoted one, or after a quote in one */
	unsigned char odd;     /* the quoted field went on after a quote */
	size_t spaces;         /* blanks after that quote */
	unsigned long line;    /* line of the next byte */
	unsigned long field;   /* field of the next byte in its row, from 1 */
	unsigned long odd_line, odd_field;
};

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
	unsigned long overflow_line; /* line where that row starts */
	char eol;              /* the file's line end ('\n' or '\r'; 0 is '\n') */
	int nomem;
	int stop;              /* the callback asked to stop */
	unsigned long rows;    /* rows handed to on_row */
	mj_row_fn on_row;
	void *ctx;
};

/* libcsv callbacks; data is the struct mj_rowbuf. */
void mj_rowbuf_field(void *s, size_t len, void *data);
void mj_rowbuf_end(int c, void *data);
/* Marks the row being read as over the limit once its fields so far and
 * the field libcsv is still collecting pass MJ_MAX_ROW_BYTES: called after
 * each block, so an unclosed quote cannot grow memory without bound;
 * also lets libcsv's field buffer grow in steps that follow its size.
 * Returns rb->overflow. */
int mj_rowbuf_check(struct mj_rowbuf *rb, struct csv_parser *p);
/* Starts watching at a row's start on line. */
void mj_quote_watch_start(struct mj_quote_watch *w, unsigned long line);
/* Watches the len bytes at s (delimiter delim, line end eol) before
 * libcsv reads them. Returns 1 when a field went on past a line end after
 * a quote followed by text: w->odd_line and w->odd_field say where that
 * quote is, and *at the line end (the rows before it are whole: libcsv may
 * read them). */
int mj_quote_watch(struct mj_quote_watch *w, const char *s, size_t len, char delim, char eol,
		   size_t *at);
/* The message for it, on every reading path. */
#define MJ_QUOTE_TEXT_MSG MJ_N_("a quoted field's closing quote is followed by text, so the lines after it would be read into this field and their appeals lost; put the whole field in quotes and double each quote inside it (\"\"\"Name\"\" LLC\"), or remove the quotes")
/* The same before the header is found: the line may be a title. */
#define MJ_QUOTE_TITLE_MSG MJ_N_("a quoted field's closing quote is followed by text, so the lines after it would be read into this field and their appeals lost; if this line is a title above the header, give the header's line with --header-row N; otherwise put the whole field in quotes and double each quote inside it (\"\"\"Name\"\" LLC\"), or remove the quotes")

/* Sets the line end of p and rb: eol ends rows; with '\n', a CR is
 * blank space (trimmed at the ends of a field, kept inside it), so a lone
 * CR in a field does not split the record and CR LF ends a line. */
void mj_rowbuf_set_eol(struct mj_rowbuf *rb, struct csv_parser *p, char eol);
/* The line end of a file from its first line break within text: '\r'
 * when it is a CR not followed by LF (lines ended as old Mac files do),
 * else '\n'. */
char mj_csv_detect_eol(const char *text, size_t len);
/* The bytes of a file's start that decide its delimiter and line end, on
 * every reading path. */
#define MJ_SNIFF_BYTES 65536u
/* Grows the field arrays to hold n fields; returns -1 when out of memory. */
int mj_rowbuf_reserve(struct mj_rowbuf *rb, size_t n);
void mj_rowbuf_free(struct mj_rowbuf *rb);

#endif
