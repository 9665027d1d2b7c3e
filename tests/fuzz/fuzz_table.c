/* libFuzzer target: the table reader (mj-tab's CSV, TSV and JSON read back
 * by mj-chart and mj-xlsx), with and without its statistics columns, then
 * every writer on what it read; and tables as inputs (mj_tabsum(): the
 * recognition, the checks against the schema and the sums and roll-ups). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "murojaat/stats.h"
#include "murojaat/table.h"
#include "murojaat/tabsum.h"

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

/* The input as a file, summed with itself by several dimensions. */
static void sum_all(const uint8_t *data, size_t size)
{
	static char path[] = "/tmp/fuzz_tabsum.XXXXXX";
	static int fd = -1;
	if (fd < 0 && (fd = mkstemp(path)) < 0)
		return;
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	size_t put = fwrite(data, 1, size, f);
	fclose(f);
	if (put != size)
		return;
	static const struct mj_tab_spec specs[] = {
		{.by = "violence"}, {.by = "region", .cols = "violence"},
		{.by = "place,relationship"}, {.by = "relationship", .cols = "place"},
		{.by = "month"},
	};
	const char *files[] = {path, path};
	struct mj_run_opts o;
	mj_run_opts_init(&o);
	o.threads = 1;
	for (int twice = 0; twice < 2; twice++) {
		o.allow_overlap = twice;
		struct mj_table *out[5];
		struct mj_tabsum_info info = {.partial = 1};
		struct mj_error err;
		if (mj_tabsum(&o, files, 1 + (size_t)twice, specs, 5, out, NULL, &info, &err) == MJ_OK)
			for (int i = 0; i < 5; i++) {
				if (out[i])
					write_all(out[i], NULL);
				mj_table_destroy(out[i]);
			}
		mj_tabsum_info_free(&info);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)mj_tabsum_is_table((const char *)data, size);
	if (size && size < 65536 && mj_tabsum_is_table((const char *)data, size))
		sum_all(data, size);
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
