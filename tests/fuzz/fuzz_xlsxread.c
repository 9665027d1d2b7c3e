/* libFuzzer target: the .xlsx reader on arbitrary bytes held in memory (zip
 * directory, inflated parts, XML, cells, header search), checking what every
 * row handed to the callback must satisfy. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xlsxread.h"
#include "murojaat/schema.h"

static struct mj_schema *schema;

struct seen {
	unsigned long last_line;
	size_t rows;
};

static int on_row(void *ctx, const struct mj_field *f, size_t n, unsigned long line)
{
	struct seen *s = ctx;
	/* Rows come in sheet order, within Excel's limits, never empty. */
	if (line <= s->last_line || line > MJ_XLSX_MAX_ROW || n == 0 || n > MJ_XLSX_MAX_COL)
		abort();
	s->last_line = line;
	size_t nonempty = 0;
	for (size_t i = 0; i < n; i++) {
		if (!f[i].text || strlen(f[i].text) > f[i].len || f[i].len > MJ_XLSX_MAX_CELL ||
		    f[i].text[f[i].len] != '\0')
			abort();
		nonempty += f[i].len > 0;
	}
	if (!nonempty)
		abort();
	s->rows++;
	return s->rows >= 100000; /* stopping early is part of the contract */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mj_error err;
	if (!schema && !(schema = mj_schema_default(&err)))
		abort();
	/* The size picks options so they are fuzzed too. */
	struct mj_reader_opts o = {.schema = size % 2 ? schema : NULL,
				   .header_row = size % 3 == 0 ? 2 : 0,
				   .sheet = size % 5 == 0 ? "2" : NULL};
	char sheet[MJ_SHEET_NAME_MAX];
	o.sheet_read = sheet;
	struct seen s = {0};
	mj_error_clear(&err);
	enum mj_status st = mj_xlsx_read_memory(data, size, "fuzz.xlsx", &o, on_row, &s, &err);
	if (st != MJ_OK && (err.status != st || !err.message[0]))
		abort();
	if (memchr(sheet, '\0', sizeof sheet) == NULL)
		abort();
	return 0;
}
