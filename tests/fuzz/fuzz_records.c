/* libFuzzer target: the record reader and normaliser, through mj_tabulate,
 * on arbitrary bytes (as a file, so the streaming reader runs as in use). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "murojaat/tab.h"

static struct mj_schema *schema;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mj_error err;
	if (!schema && !(schema = mj_schema_default(&err)))
		abort();
	int fd = memfd_create("records", 0);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct mj_run_opts o;
	mj_run_opts_init(&o);
	o.schema = schema;
	/* The first byte picks options so they are fuzzed too. */
	o.encoding = size && (data[0] & 1) ? "auto" : "utf-8";
	o.min_cell = size && (data[0] & 2) ? 5 : 0;
	struct mj_tab_spec specs[] = {
		{.by = "region"}, {.by = "place,relationship", .cols = "sex"},
		{.by = "month", .cols = "group"}, {.by = "district"}};
	struct mj_table *tables[4];
	struct mj_run_stats stats;
	const char *files[] = {path};
	if (mj_tabulate(&o, files, 1, specs, 4, tables, &stats, &err) == MJ_OK) {
		/* The counting rule holds for every input. */
		if (stats.read != stats.counted + stats.excluded + stats.rejected)
			abort();
		for (int i = 0; i < 4; i++) {
			const struct mj_table_row *total = mj_table_total(tables[i]);
			if (!total || (!total->suppressed[tables[i]->ncols - 1] &&
				       total->values[tables[i]->ncols - 1] != (double)stats.counted))
				abort();
			FILE *null = fopen("/dev/null", "w");
			struct mj_write_opts w;
			mj_write_opts_init(&w, tables[i]);
			w.format = (enum mj_format)(i % 5);
			mj_table_write(null, tables[i], &w, &err);
			fclose(null);
			mj_table_destroy(tables[i]);
		}
	}
	close(fd);
	return 0;
}
