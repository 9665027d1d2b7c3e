/* The programs' shared options: the tables getopt_long reads, their help,
 * and the values of options (whole numbers, dates, output formats). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "murojaat/stats.h"
#include "murojaat/tab.h"

const struct option cli_run_options[] = {
	{"by", required_argument, NULL, MJ_OPT_BY},
	{"cols", required_argument, NULL, MJ_OPT_COLS},
	{"where", required_argument, NULL, MJ_OPT_WHERE},
	{"period", required_argument, NULL, MJ_OPT_PERIOD},
	{"month", required_argument, NULL, MJ_OPT_MONTH},
	{"missing", required_argument, NULL, MJ_OPT_MISSING},
	{"sort", required_argument, NULL, MJ_OPT_SORT},
	{"top", required_argument, NULL, MJ_OPT_TOP},
	{"hide-empty", no_argument, NULL, MJ_OPT_HIDE_EMPTY},
	{"lang", required_argument, NULL, MJ_OPT_LANG},
	{"weight", required_argument, NULL, MJ_OPT_WEIGHT},
	{"sum", required_argument, NULL, MJ_OPT_SUM},
	{"min-cell", required_argument, NULL, MJ_OPT_MIN_CELL},
	{"strict", no_argument, NULL, MJ_OPT_STRICT},
	{"schema", required_argument, NULL, MJ_OPT_SCHEMA},
	{"encoding", required_argument, NULL, MJ_OPT_ENCODING},
	{"delimiter", required_argument, NULL, MJ_OPT_DELIMITER},
	{"threads", required_argument, NULL, MJ_OPT_THREADS},
	{"sheet", required_argument, NULL, MJ_OPT_SHEET},
	{"header-row", required_argument, NULL, MJ_OPT_HEADER_ROW},
	{"date-order", required_argument, NULL, MJ_OPT_DATE_ORDER},
	{"allow-overlap", no_argument, NULL, MJ_OPT_ALLOW_OVERLAP},
	{NULL, 0, NULL, 0},
};

const char *const cli_run_help = N_(
	"What to count:\n"
	"  --by DIM[,DIM...]     rows: one dimension, or nested ones (place,relationship)\n"
	"  --cols DIM[,DIM]      columns of a cross-tab (mj-tab nests several)\n"
	"  --where DIM=V[,V...]  keep records with one of these values (repeatable)\n"
	"  --period P            2023-08, 2023-01..2023-08, 2023-Q2, 2023, or dates\n"
	"                        (default: the whole months the records span)\n"
	"  --month M             the same as --period M\n"
	"  --missing include|exclude   count \"not stated\" as a category (default) or leave it out\n"
	"  --weight COL          add COL (a whole-number column of the schema) per record\n"
	"                        instead of 1\n"
	"  --sum COL             sum COL (e.g. children) instead of counting\n"
	"  --strict              stop at the first rejected row\n"
	"  --allow-overlap       add inputs that count the same source twice (a file\n"
	"                        named twice, tables of one source and period)\n"
	"How tables look:\n"
	"  --sort schema|count|label   row order (default schema; \"not stated\" stays last)\n"
	"  --top N               the N first rows; the rest together as \"Other\"\n"
	"  --hide-empty          drop rows that count zero\n"
	"  --lang en|ru|uz|uz-Cyrl     labels (default en), messages\n"
	"  --min-cell N          hide counts 1..N-1 and the cells that would reveal them\n"
	"Input:\n"
	"  --schema FILE         use this schema instead of the built-in one\n"
	"  --encoding utf-8|cp1251|auto   input encoding (default utf-8)\n"
	"  --delimiter C         field separator: , ; tab (default: detected)\n"
	"  --date-order dmy|mdy|ymd   how 01/02/2023 is read: day or month first, or\n"
	"                        only YYYY-MM-DD (default: found in each file's dates)\n"
	"  --threads N           threads for a large file (default: one per core)\n"
	"  --sheet NAME|N        workbooks (.xlsx): the sheet to read (default the first)\n"
	"  --header-row N        the header's row, or a text file's line (default: the\n"
	"                        first of 100 rows naming two columns of the schema)\n");

const struct option cli_stats_options[] = {
	{"ci", required_argument, NULL, MJ_OPT_CI},
	{"ci-method", required_argument, NULL, MJ_OPT_CI_METHOD},
	{"test", optional_argument, NULL, MJ_OPT_TEST},
	{"compare", required_argument, NULL, MJ_OPT_COMPARE},
	{"rate-per", required_argument, NULL, MJ_OPT_RATE_PER},
	{"population", required_argument, NULL, MJ_OPT_POPULATION},
	{NULL, 0, NULL, 0},
};

const char *const cli_stats_help = N_(
	"Statistics:\n"
	"  --ci LEVEL            confidence interval of each percent, e.g. 95 (50-99.9)\n"
	"  --ci-method wilson|exact    Wilson score (default) or Clopper-Pearson\n"
	"  --test [chi2|props]   Pearson chi-square, p-value and Cramer's V after a\n"
	"                        cross-tab (CSV/TSV: on standard error); props: in\n"
	"                        each row, letters of the columns whose proportion\n"
	"                        is smaller (z-test, 5%, Bonferroni); chi2,props both\n"
	"  --compare P|previous|year   counts of another period beside --period's\n"
	"  --rate-per N          rate per N people (with --population)\n"
	"  --population FILE     CSV: dimension column(s) and population\n");

int cli_test_word(const struct option *table, int argc, char **argv)
{
	static char chi2[] = "--test=chi2", props[] = "--test=props",
		    both[] = "--test=chi2,props", both2[] = "--test=props,chi2";
	static char *const joined[] = {chi2, props, both, both2};
	size_t o = 0;
	while (table[o].name && strcmp(table[o].name, "test") != 0)
		o++;
	if (!table[o].name || table[o].has_arg != optional_argument)
		return argc;
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--test") != 0)
			continue;
		for (size_t w = 0; w < sizeof joined / sizeof joined[0]; w++)
			if (strcmp(argv[i + 1], joined[w] + 7) == 0) {
				argv[i] = joined[w];
				memmove(argv + i + 1, argv + i + 2, (size_t)(argc - i - 1) * sizeof *argv);
				argc--;
				break;
			}
	}
	return argc;
}

/* Appends to the option table (cap entries, kept ending in a zero entry)
 * the options of list: count of them, or when count is 0 those up to the
 * first without a name; keep (may be NULL) chooses by name. Returns -1
 * when the table would overflow. */
int cli_add_options(struct option *table, size_t cap,
		    const struct option *list, size_t count,
		    int (*keep)(const char *name))
{
	size_t n = 0;
	while (table[n].name)
		n++;
	for (size_t i = 0; count ? i < count : list[i].name != NULL; i++) {
		if (keep && !keep(list[i].name))
			continue;
		if (n + 1 >= cap)
			return -1;
		table[n++] = list[i];
	}
	table[n] = (struct option){0};
	return 0;
}

void cli_make_options(struct option *table, size_t cap,
		      const struct option *own, size_t nown,
		      int (*keep_run)(const char *name), int stats,
		      int (*keep_stats)(const char *name))
{
	table[0] = (struct option){0};
	if (cli_add_options(table, cap, cli_run_options, 0, keep_run) != 0 ||
	    (stats && cli_add_options(table, cap, cli_stats_options, 0, keep_stats) != 0) ||
	    cli_add_options(table, cap, own, nown, NULL) != 0)
		abort(); /* the caller's table is sized for every option */
}

size_t cli_text_width(void)
{
	const char *env = getenv("COLUMNS");
	long n;
	if (env && cli_number(env, 20, 100000, &n) == 0)
		return (size_t)n;
	struct winsize ws;
	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 0;
}

/* Parses a whole number in lo..hi; returns 0 on success. */
int cli_number(const char *text, long lo, long hi, long *out)
{
	return mj_parse_whole(text, lo, hi, out);
}

int cli_max_errors(const char *prog, const char *arg, long *max)
{
	if (cli_number(arg, 0, 1000000000L, max) == 0)
		return 0;
	fprintf(stderr, _("%s: --max-errors: expected a whole number, got \"%s\"\n"), prog, arg);
	return -1;
}

int cli_date(const char *prog, const char *arg)
{
	int y, m, d;
	char extra;
	if (sscanf(arg, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3 && strlen(arg) == 10)
		return 0;
	fprintf(stderr, _("%s: --date: expected YYYY-MM-DD, got \"%s\"\n"), prog, arg);
	return -1;
}

int cli_format(const char *prog, const char *arg, enum mj_format *format)
{
	static const char *const names[] = {"text", "csv", "tsv", "json", "md"};
	for (int i = 0; i < 5; i++)
		if (strcmp(arg, names[i]) == 0) {
			*format = (enum mj_format)i;
			return 0;
		}
	fprintf(stderr, _("%s: --format: expected text, csv, tsv, json or md, got \"%s\"\n"),
		prog, arg);
	return -1;
}
