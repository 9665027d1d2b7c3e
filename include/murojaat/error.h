/* Error reporting shared by every libmurojaat module. */
#ifndef MUROJAAT_ERROR_H
#define MUROJAAT_ERROR_H

#include <stddef.h>

/* Status codes returned by library calls. Keep mj_strerror()'s table in step
 * (tests/test_error.c checks it). */
enum mj_status {
	MJ_OK = 0,      /* success */
	MJ_E_NOMEM,     /* memory allocation failed */
	MJ_E_IO,        /* reading or writing a file failed (errno in message) */
	MJ_E_PARSE,     /* input is not well-formed (CSV, JSON, schema syntax) */
	MJ_E_SCHEMA,    /* the schema is inconsistent */
	MJ_E_VALUE,     /* a value is not valid for its column */
	MJ_E_USAGE,     /* a caller passed an invalid option or argument */
	MJ_E_ENCODING,  /* input is not valid in the declared encoding */
	MJ_E_LIMIT,     /* input exceeds a documented limit */
	MJ_E_EMPTY,     /* input holds no data where some is required */
	MJ_E_UNSUPPORTED, /* the request does not fit the data (e.g. cross-tab into pie) */
	MJ_STATUS_COUNT /* number of codes; not a status */
};

/* Bytes for a sheet name: Excel allows 31 characters. */
#define MJ_SHEET_NAME_MAX 128

/* Where an error happened and what it was. Filled by the callee; the program
 * prints it as "path:line:col: message". line and column are 1-based; 0 means
 * unknown. When sheet is not empty the place is a cell of that sheet of a
 * workbook (line: row, column: A = 1), printed "path:Sheet!C12: message". */
struct mj_error {
	enum mj_status status;
	char path[256];
	unsigned long line;
	unsigned long column;
	char message[512];
	char sheet[MJ_SHEET_NAME_MAX];
};

/* A fixed description of status in the language of messages (gettext
 * domain "murojaat"; English when untranslated); never NULL. */
const char *mj_strerror(enum mj_status status);

/* Fill err (when not NULL) and return status. path may be NULL. fmt is
 * translated (gettext domain "murojaat") before it is filled in. The sheet
 * is left empty; set it after the call for a place in a workbook. */
enum mj_status mj_error_set(struct mj_error *err, enum mj_status status,
			    const char *path, unsigned long line,
			    unsigned long column, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Reset err to MJ_OK with empty fields. No operation is performed if NULL. */
void mj_error_clear(struct mj_error *err);

/* Format err as "path:line:col: message" (parts omitted when unknown), or
 * "path:Sheet!C12: message" ("path:Sheet!row 12: message" without a column)
 * for a workbook, into buf of size len. Returns buf. */
char *mj_error_format(const struct mj_error *err, char *buf, size_t len);

/* The exit status of a program, one rule for every program: 0 when the run
 * (status st) succeeded and rejected no row; 1 for data problems: rows
 * rejected by a run that finished, or the rejected row (MJ_E_VALUE) that
 * stopped a run under --strict (strict not 0); 2 for anything else (usage,
 * I/O, memory, a schema or data that does not fit the output). */
int mj_exit_status(enum mj_status st, int strict, unsigned long long rejected);

#endif
