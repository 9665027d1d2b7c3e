/* libFuzzer target, differential: the fast scanner must give exactly the
 * rows, fields, lines and status of the plain libcsv reader. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "murojaat/reader.h"
#include "scan.h"

static int collect(void *ctx, const struct mj_field *fields, size_t n, unsigned long line)
{
	GString *s = ctx;
	g_string_append_printf(s, "%lu:%zu:", line, n);
	for (size_t i = 0; i < n; i++) {
		g_string_append_printf(s, "%zu=", fields[i].len);
		g_string_append_len(s, fields[i].text, (gssize)fields[i].len);
	}
	g_string_append_c(s, '\n');
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first byte picks the delimiter; no BOM handling differences. */
	if (size < 1)
		return 0;
	char delim = ",;\t|"[data[0] & 3];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		return 0;
	/* Workbooks (zip files) and old or encrypted ones (OLE files) go to the
	 * .xlsx reader, not to either CSV path. */
	if (len >= 4 && memcmp(text, "PK\003\004", 4) == 0)
		return 0;
	if (len >= 8 && memcmp(text, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return 0;
	int fd = memfd_create("scan", 0);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		abort();
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	GString *ref = g_string_new(NULL), *fast = g_string_new(NULL);
	struct mj_error e1, e2;
	struct mj_reader_opts o = {.delimiter = delim};
	enum mj_status s1 = mj_read_rows(path, &o, collect, ref, NULL, &e1);
	enum mj_status s2 = mj_scan_mem(text, len, delim, collect, fast, &e2);
	/* The streaming reader works in 1 MiB blocks; rows over its limits
	 * are out of this comparison's scope. */
	if (s1 != s2 || (s1 == MJ_OK && strcmp(ref->str, fast->str) != 0)) {
		fprintf(stderr, "libcsv (%d):\n%s\nfast (%d):\n%s\n", s1, ref->str, s2, fast->str);
		abort();
	}
	g_string_free(ref, TRUE);
	g_string_free(fast, TRUE);
	close(fd);
	return 0;
}
