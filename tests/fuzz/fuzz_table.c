/* libFuzzer target: the table reader (mj-tab's CSV, TSV and JSON read back
 * by mj-chart and mj-xlsx), with and without its statistics columns, then
 * every writer on what it read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "murojaat/stats.h"
#include "murojaat/table.h"

static void write_all(const struct mj_table *t, const struct mj_stats *s)
{
	struct mj_error err;
	FILE *null = fopen("/dev/null", "w");
	for (int f = 0; f < 5; f++) {
		struct mj_write_opts w;
		mj_write_opts_init(&w, t);
		w.format = (enum mj_format)f;
		w.percents = 0x1e;
		w.cumulative = 1;
		w.round_largest = f & 1;
		w.stats = s;
		mj_table_write(null, t, &w, &err);
	}
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mj_error err;
	struct mj_table *t = mj_table_read_mem((const char *)data, size, "fuzz", &err);
	if (t) {
		write_all(t, NULL);
		mj_table_destroy(t);
	}
	/* The reader of statistics columns takes a stream. */
	FILE *in = size ? fmemopen((void *)data, size, "r") : NULL;
	if (!in)
		return 0;
	struct mj_stats s;
	t = mj_table_read_stats(in, "fuzz", &s, &err);
	fclose(in);
	if (t)
		write_all(t, &s);
	mj_stats_free(&s);
	mj_table_destroy(t);
	return 0;
}
