/* Reading registers from Excel workbooks (.xlsx): one sheet streamed row by
 * row to the same callback as delimited text (private to libmurojaat; the
 * record reader dispatches here when a file starts like a zip archive). */
#ifndef MJ_XLSXREAD_H
#define MJ_XLSXREAD_H

#include <stddef.h>

#include "murojaat/reader.h"

/* Limits on hostile workbooks. The shared strings table is held in memory
 * (every other part is streamed), so it is capped. */
#define MJ_XLSX_MAX_TOTAL (1ull << 30)       /* bytes decompressed, all parts */
#define MJ_XLSX_MAX_RATIO 250u               /* decompressed / compressed, past 16 MiB */
#define MJ_XLSX_MAX_STRINGS_BYTES (256u << 20) /* shared strings text */
#define MJ_XLSX_MAX_STRINGS 16000000u        /* shared strings count */
#define MJ_XLSX_MAX_CELL 1000000u            /* bytes in one cell's text */
#define MJ_XLSX_MAX_ROW (1u << 20)           /* Excel's last row, 1,048,576 */
#define MJ_XLSX_MAX_COL 16384u               /* Excel's last column, XFD */
#define MJ_XLSX_MAX_ENTRIES 100000u          /* files in the zip archive */
#define MJ_XLSX_HEADER_SCAN 100u             /* rows searched for the header */
#define MJ_XLSX_MAX_STDIN (256u << 20)       /* a workbook buffered from a pipe */

/* What the first bytes of a file say: 1 for a zip archive (an .xlsx), 2 for
 * an OLE compound file (an encrypted workbook or an old .xls), 0 for
 * anything else. */
int mj_xlsx_sniff(const void *bytes, size_t len);
/* Whether a file whose first bytes are these is text of another kind than
 * CSV can be: 1 UTF-16 (a byte-order mark and a NUL byte in the first 64:
 * Excel's "Unicode text"), 2 gzip; else 0. */
int mj_read_not_text(const void *bytes, size_t len);

/* Read the rows of one sheet of the workbook at path (see reader.h for the
 * callback and opts: sheet, header_row, schema, sheet_read). Rows above the
 * header are skipped; the header and every non-empty row below it are
 * passed on with their row number as line, as many fields as the header
 * has cells up to its last non-empty one (more when a row is longer), so
 * a field's number is its column (A = 1). Fails with MJ_E_IO when the file
 * cannot be read, MJ_E_PARSE for a damaged workbook, MJ_E_LIMIT past the
 * limits above, MJ_E_VALUE when the sheet or the header is not found. */
enum mj_status mj_xlsx_read_rows(const char *path,
				 const struct mj_reader_opts *opts,
				 mj_row_fn on_row, void *ctx,
				 struct mj_error *err);

/* The same for a workbook held in memory (data borrowed for the call);
 * name is used in messages. */
enum mj_status mj_xlsx_read_memory(const void *data, size_t len,
				   const char *name,
				   const struct mj_reader_opts *opts,
				   mj_row_fn on_row, void *ctx,
				   struct mj_error *err);

/* The same for a workbook arriving on fd (a pipe): head holds the bytes
 * already read from it; the rest is read into memory, up to
 * MJ_XLSX_MAX_STDIN bytes. */
enum mj_status mj_xlsx_read_fd(int fd, const void *head, size_t headlen,
			       const char *name,
			       const struct mj_reader_opts *opts,
			       mj_row_fn on_row, void *ctx,
			       struct mj_error *err);

#endif
