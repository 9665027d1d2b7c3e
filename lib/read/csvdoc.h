/* Small CSV documents held in memory (schemas, specs, published tables,
 * tables written by mj-tab): every field with its line and column. Records
 * use the streaming reader instead. */
#ifndef MJ_CSVDOC_H
#define MJ_CSVDOC_H

#include <stddef.h>

#include "murojaat/error.h"

struct mj_csvfield {
	char *text;           /* NUL-terminated copy of the field */
	size_t len;
	unsigned long line;   /* 1-based line where the field starts */
	unsigned long column; /* 1-based column (in bytes) where it starts */
};

struct mj_csvrow {
	struct mj_csvfield *fields;
	size_t nfields;
	unsigned long line;   /* line where the row starts */
};

struct mj_csvdoc {
	struct mj_csvrow *rows;
	size_t nrows;
};

/* Parse text (a UTF-8 BOM is skipped) with delimiter delim (0: detect among
 * ',' ';' and tab from the first line). Rows that are empty or whose first
 * field starts with '#' are kept out when skip_comments is set. Errors name
 * path, line and column. Caller frees with mj_csvdoc_free(). */
enum mj_status mj_csvdoc_parse(struct mj_csvdoc *doc, const char *path,
			       const char *text, size_t len, char delim,
			       int skip_comments, struct mj_error *err);
/* No operation is performed if doc is NULL. */
void mj_csvdoc_free(struct mj_csvdoc *doc);

/* Pick the delimiter of the line, among the first ten that hold one,
 * that holds the most (the header, not a title or a note above it): the
 * most frequent of ',' ';' '\t' outside quotes; ',' when none occurs. */
char mj_csv_detect_delimiter(const char *text, size_t len);

/* Read a whole file (or stdin for "-") into memory, up to limit bytes.
 * Caller frees *data. */
enum mj_status mj_read_file(const char *path, size_t limit, char **data,
			    size_t *len, struct mj_error *err);

#endif
