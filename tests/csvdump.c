/* Test helper: prints the rows the record reader (or, with --fast, the fast
 * scanner) finds in FILE, as one JSON array of arrays of strings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/reader.h"
#include "scan.h"

static int first = 1;

static int dump(void *ctx, const struct mj_field *fields, size_t n, unsigned long line)
{
	(void)ctx;
	(void)line;
	printf("%s[", first ? "" : ",\n");
	first = 0;
	for (size_t i = 0; i < n; i++) {
		putchar(i ? ',' : ' ');
		putchar('"');
		for (size_t k = 0; k < fields[i].len; k++) {
			unsigned char c = (unsigned char)fields[i].text[k];
			if (c == '"' || c == '\\')
				printf("\\%c", c);
			else if (c < 0x20)
				printf("\\u%04x", c);
			else
				putchar(c);
		}
		putchar('"');
	}
	printf("]");
	return 0;
}

int main(int argc, char **argv)
{
	int fast = argc == 3 && strcmp(argv[1], "--fast") == 0;
	if (argc != 2 && !fast) {
		fprintf(stderr, "usage: csvdump [--fast] FILE\n");
		return 2;
	}
	const char *path = argv[argc - 1];
	struct mj_error err;
	printf("[");
	enum mj_status st;
	if (fast) {
		FILE *f = fopen(path, "rb");
		static char buf[1 << 20];
		size_t n = f ? fread(buf, 1, sizeof buf, f) : 0;
		if (f)
			fclose(f);
		st = mj_scan_mem(buf, n, ',', dump, NULL, &err);
	} else {
		struct mj_reader_opts o = {.delimiter = ','};
		st = mj_read_rows(path, &o, dump, NULL, NULL, &err);
	}
	printf("]\n");
	if (st != MJ_OK) {
		fprintf(stderr, "csvdump: %s\n", err.message);
		return 1;
	}
	return 0;
}
