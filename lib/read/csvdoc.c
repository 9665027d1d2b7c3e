/* Small in-memory CSV documents parsed with libcsv, with positions. */
#include "csvdoc.h"
#include "grow.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct builder {
	struct mj_csvdoc *doc;
	struct mj_csvfield *fields;
	size_t nfields, cap;
	size_t rowcap;           /* room in doc->rows */
	unsigned long row_line;
	unsigned long field_line, field_col;
	int nomem;
	int skip_comments;
};

/* Lines with a delimiter weighed to find it. */
#define DETECT_LINES 10

/* The delimiter of one line's counts of ',' ';' and tab. */
static char delimiter_of(const size_t *count)
{
	if (count[2] > count[0] && count[2] >= count[1])
		return '\t';
	if (count[1] > count[0])
		return ';';
	return ',';
}

char mj_csv_detect_delimiter(const char *text, size_t len)
{
	/* Of the first lines, the one with the most of the three decides: a
	 * title or a note above the header holds fewer than the header, and
	 * blank lines none. */
	size_t count[3] = {0, 0, 0}, best[3] = {0, 0, 0};
	int quoted = 0, lines = 0;
	for (size_t i = 0; i <= len && lines < DETECT_LINES; i++) {
		char c = i < len ? text[i] : '\n';
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r')) {
			size_t n = count[0] + count[1] + count[2];
			if (n > best[0] + best[1] + best[2])
				memcpy(best, count, sizeof best);
			lines += n > 0;
			memset(count, 0, sizeof count);
		} else if (!quoted && c == ',')
			count[0]++;
		else if (!quoted && c == ';')
			count[1]++;
		else if (!quoted && c == '\t')
			count[2]++;
	}
	return delimiter_of(best);
}

static void on_field(void *s, size_t len, void *data)
{
	struct builder *b = data;
	if (b->nomem)
		return;
	if (mj_grow(&b->fields, &b->cap, b->nfields, sizeof *b->fields) != 0) {
		b->nomem = 1;
		return;
	}
	struct mj_csvfield *f = &b->fields[b->nfields];
	f->text = malloc(len + 1);
	if (!f->text) {
		b->nomem = 1;
		return;
	}
	memcpy(f->text, s, len);
	f->text[len] = '\0';
	f->len = len;
	f->line = b->field_line;
	f->column = b->field_col;
	b->nfields++;
}

static void drop_fields(struct builder *b)
{
	for (size_t i = 0; i < b->nfields; i++)
		free(b->fields[i].text);
	b->nfields = 0;
}

static void on_row(int c, void *data)
{
	(void)c;
	struct builder *b = data;
	if (b->nomem) {
		drop_fields(b);
		return;
	}
	int blank = b->nfields == 0 || (b->nfields == 1 && b->fields[0].len == 0);
	int comment = b->skip_comments && b->nfields > 0 &&
		      b->fields[0].text[0] == '#';
	if (blank || comment) {
		drop_fields(b);
		return;
	}
	struct mj_csvdoc *doc = b->doc;
	/* Room doubles, so a long document is not copied row by row. */
	if (mj_grow(&doc->rows, &b->rowcap, doc->nrows, sizeof *doc->rows) != 0) {
		b->nomem = 1;
		drop_fields(b);
		return;
	}
	struct mj_csvrow *rows = doc->rows;
	struct mj_csvrow *row = &rows[doc->nrows++];
	row->fields = malloc(b->nfields * sizeof *row->fields);
	if (!row->fields) {
		doc->nrows--;
		b->nomem = 1;
		drop_fields(b);
		return;
	}
	memcpy(row->fields, b->fields, b->nfields * sizeof *row->fields);
	row->nfields = b->nfields;
	row->line = b->row_line;
	b->nfields = 0;
}

enum mj_status mj_csvdoc_parse(struct mj_csvdoc *doc, const char *path,
			       const char *text, size_t len, char delim,
			       int skip_comments, struct mj_error *err)
{
	memset(doc, 0, sizeof *doc);
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (!delim)
		delim = mj_csv_detect_delimiter(text, len);
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL) != 0)
		return mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
	csv_set_delim(&p, (unsigned char)delim);
	struct builder b = {.doc = doc, .skip_comments = skip_comments,
			    .row_line = 1, .field_line = 1, .field_col = 1};
	/* Feed one byte at a time so every field and row knows where it
	 * starts; these documents are small. */
	unsigned long line = 1, col = 1;
	int at_field_start = 1, quoted = 0, row_started = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];
		if (at_field_start) {
			b.field_line = line;
			b.field_col = col;
			if (!row_started)
				b.row_line = line;
			at_field_start = 0;
			row_started = 1;
		}
		if (c == '"')
			quoted = !quoted;
		if (!quoted && (unsigned char)c == (unsigned char)delim)
			at_field_start = 1;
		if (!quoted && (c == '\n' || c == '\r')) {
			at_field_start = 1;
			row_started = 0;
		}
		if (csv_parse(&p, &text[i], 1, on_field, on_row, &b) != 1) {
			csv_free(&p);
			mj_csvdoc_free(doc);
			drop_fields(&b);
			free(b.fields);
			return mj_error_set(err, MJ_E_PARSE, path, line, col,
					    "%s", csv_strerror(csv_error(&p)));
		}
		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xC0) != 0x80) {
			col++;
		}
	}
	int unterminated = quoted;
	if (csv_fini(&p, on_field, on_row, &b) != 0 || unterminated) {
		csv_free(&p);
		mj_csvdoc_free(doc);
		drop_fields(&b);
		free(b.fields);
		return mj_error_set(err, MJ_E_PARSE, path, b.field_line, b.field_col,
				    "unterminated quoted field");
	}
	csv_free(&p);
	drop_fields(&b);
	free(b.fields);
	if (b.nomem) {
		mj_csvdoc_free(doc);
		return mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
	}
	return MJ_OK;
}

void mj_csvdoc_free(struct mj_csvdoc *doc)
{
	if (!doc)
		return;
	for (size_t r = 0; r < doc->nrows; r++) {
		for (size_t f = 0; f < doc->rows[r].nfields; f++)
			free(doc->rows[r].fields[f].text);
		free(doc->rows[r].fields);
	}
	free(doc->rows);
	doc->rows = NULL;
	doc->nrows = 0;
}

enum mj_status mj_read_file(const char *path, size_t limit, char **data,
			    size_t *len, struct mj_error *err)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f)
		return mj_error_set(err, MJ_E_IO, name, 0, 0, "cannot open: %s",
				    strerror(errno));
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!is_stdin)
			fclose(f);
		return mj_error_set(err, MJ_E_IO, name, 0, 0,
				    "is a directory, not a file");
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		goto nomem;
	for (;;) {
		if (n == cap) {
			if (cap >= limit) {
				free(buf);
				if (!is_stdin)
					fclose(f);
				return mj_error_set(err, MJ_E_LIMIT, name, 0, 0,
					"larger than the limit of %zu bytes", limit);
			}
			cap *= 2;
			char *grown = realloc(buf, cap + 1);
			if (!grown)
				goto nomem;
			buf = grown;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		free(buf);
		if (!is_stdin)
			fclose(f);
		return mj_error_set(err, MJ_E_IO, name, 0, 0, "read error: %s",
				    strerror(e));
	}
	if (!is_stdin)
		fclose(f);
	buf[n] = '\0';
	*data = buf;
	*len = n;
	return MJ_OK;
nomem:
	free(buf);
	if (!is_stdin)
		fclose(f);
	return mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
}
