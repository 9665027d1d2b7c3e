/* The bare-libcsv ceiling: count the values of one column with libcsv and
 * nothing else (no validation, no tables). Usage: csvcount COLUMN FILE */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct state {
	int column, field;
	char values[64][32];
	long counts[64];
	int n;
	long rows;
};

static void on_field(void *s, size_t len, void *data)
{
	struct state *st = data;
	if (st->field++ != st->column || st->rows == 0)
		return;
	for (int i = 0; i < st->n; i++)
		if (strlen(st->values[i]) == len && memcmp(st->values[i], s, len) == 0) {
			st->counts[i]++;
			return;
		}
	if (st->n < 64 && len < 32) {
		memcpy(st->values[st->n], s, len);
		st->values[st->n][len] = '\0';
		st->counts[st->n++] = 1;
	}
}

static void on_row(int c, void *data)
{
	(void)c;
	struct state *st = data;
	st->field = 0;
	st->rows++;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	struct state st = {.column = atoi(argv[1])};
	FILE *f = fopen(argv[2], "rb");
	if (!f)
		return 2;
	struct csv_parser p;
	csv_init(&p, 0);
	static char buf[1 << 20];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		csv_parse(&p, buf, n, on_field, on_row, &st);
	csv_fini(&p, on_field, on_row, &st);
	for (int i = 0; i < st.n; i++)
		printf("%s,%ld\n", st.values[i], st.counts[i]);
	return 0;
}
