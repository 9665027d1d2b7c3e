/* Streaming reader of delimited text: large blocks through libcsv, one row
 * at a time to a callback, with encoding conversion and line numbers. */
#ifndef MUROJAAT_READER_H
#define MUROJAAT_READER_H

#include <stddef.h>

#include "murojaat/error.h"

struct mj_schema;

struct mj_reader_opts {
	char delimiter;        /* 0: detect among , ; and tab from the first line */
	const char *encoding;  /* NULL or "utf-8": UTF-8 (BOM skipped);
				  "cp1251": Windows-1251 converted to UTF-8;
				  "auto": cp1251 when the start is not UTF-8 */
	/* Called with bytes done and the total (0 when unknown). */
	void (*on_progress)(void *ctx, unsigned long long done,
			    unsigned long long total);
	void *progress_ctx;    /* ctx for on_progress */
	unsigned threads;      /* threads that scan a file's parts (lib/read/scan.h); 0: one per part */
	/* Excel workbooks (.xlsx, recognised by content) only: */
	const char *sheet;      /* sheet name or number (1 = first); NULL: the first */
	unsigned long header_row; /* row of the header; 0: the first row that
				     names two columns of schema */
	const struct mj_schema *schema; /* finds the header; NULL: first non-empty row */
	char *sheet_read;       /* NULL, or MJ_SHEET_NAME_MAX bytes that receive the
				   name of the sheet read ("" for text) */
	size_t *sheet_count;    /* NULL, or receives the workbook's number of
				   sheets (0 for text) */
	struct mj_above_header *above; /* NULL, or receives the rows skipped above
				   the header */
};

/* The rows above a header that were skipped: titles and notes (rows of
 * few fields), never records. */
struct mj_above_header {
	unsigned long rows;        /* 0: none */
	unsigned long first, last; /* their lines (rows of a workbook) */
	unsigned long header;      /* the header's line */
	int workbook;              /* lines are a sheet's rows */
};

/* The note said after a file whose header was found below other rows
 * (opts->above filled): which lines were skipped. Returns 1 and fills
 * *note when there is one. */
int mj_read_above_note(const char *path, const struct mj_above_header *above,
		       struct mj_error *note);


/* The note said after a workbook of several sheets was read without
 * --sheet (opts->sheet NULL): only one of them was read. Fills *note and
 * returns 1 when there is one (count from opts->sheet_count, read from
 * opts->sheet_read). */
int mj_read_sheet_note(const char *path, size_t count, const char *read,
		       const char *asked, struct mj_error *note);

/* One field of a row: bytes (NUL-terminated, not owned by the callee; valid
 * during the callback only). */
struct mj_field {
	const char *text;
	size_t len;
};

/* Called for each row, the header included, with the line on which the row
 * starts. Return 0 to go on, non-zero to stop reading (not an error). */
typedef int (*mj_row_fn)(void *ctx, const struct mj_field *fields,
			 size_t nfields, unsigned long line);

/* Whether fields read as a header: they name two columns of schema s,
 * none twice and no field is repeated or reads as a number or a date (a
 * row of "Год,2023,Месяц,Август" above the header is none). */
int mj_fields_header_like(const struct mj_schema *s, const struct mj_field *fields,
			  size_t nfields);
/* How many of fields are not blank. */
size_t mj_fields_filled(const struct mj_field *fields, size_t nfields);
/* Whether a row of filled fields above a header of header_filled ones
 * may be a record rather than a title or a note: then the file is not
 * read past it without --header-row. */
int mj_above_is_record(size_t filled, size_t header_filled);

/* Read path ("-" for stdin). A file that starts like a zip archive is read
 * as an Excel workbook (one sheet: line is the row number and a field's
 * number its column; rows above the header are skipped); on stdin it is
 * first held in memory (at most 256 MiB). Fails with MJ_E_IO when the file cannot be
 * opened or read (a directory included), MJ_E_PARSE on an unterminated
 * quote, MJ_E_ENCODING when conversion fails, MJ_E_LIMIT for a row over
 * the limits (64 MiB or 1,000,000 fields). err names path and line. If
 * detected_encoding is not NULL it receives "utf-8" or "cp1251". */
enum mj_status mj_read_rows(const char *path, const struct mj_reader_opts *opts,
			    mj_row_fn on_row, void *ctx,
			    const char **detected_encoding,
			    struct mj_error *err);

#endif
