/* Command-line options shared by every program that tabulates records. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/tab.h"

enum {
	OPT_BY = 1000, OPT_COLS, OPT_WHERE, OPT_PERIOD, OPT_MONTH, OPT_MISSING,
	OPT_SORT, OPT_TOP, OPT_HIDE_EMPTY, OPT_LANG, OPT_WEIGHT, OPT_SUM,
	OPT_MIN_CELL, OPT_STRICT, OPT_SCHEMA, OPT_ENCODING, OPT_DELIMITER,
	OPT_THREADS, OPT_SHEET, OPT_HEADER_ROW, OPT_DATE_ORDER
};

const struct option mj_run_long_options[] = {
	{"by", required_argument, NULL, OPT_BY},
	{"cols", required_argument, NULL, OPT_COLS},
	{"where", required_argument, NULL, OPT_WHERE},
	{"period", required_argument, NULL, OPT_PERIOD},
	{"month", required_argument, NULL, OPT_MONTH},
	{"missing", required_argument, NULL, OPT_MISSING},
	{"sort", required_argument, NULL, OPT_SORT},
	{"top", required_argument, NULL, OPT_TOP},
	{"hide-empty", no_argument, NULL, OPT_HIDE_EMPTY},
	{"lang", required_argument, NULL, OPT_LANG},
	{"weight", required_argument, NULL, OPT_WEIGHT},
	{"sum", required_argument, NULL, OPT_SUM},
	{"min-cell", required_argument, NULL, OPT_MIN_CELL},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"schema", required_argument, NULL, OPT_SCHEMA},
	{"encoding", required_argument, NULL, OPT_ENCODING},
	{"delimiter", required_argument, NULL, OPT_DELIMITER},
	{"threads", required_argument, NULL, OPT_THREADS},
	{"sheet", required_argument, NULL, OPT_SHEET},
	{"header-row", required_argument, NULL, OPT_HEADER_ROW},
	{"date-order", required_argument, NULL, OPT_DATE_ORDER},
	{NULL, 0, NULL, 0},
};

const char mj_run_options_help[] =
	"What to count:\n"
	"  --by DIM[,DIM...]     rows: one dimension, or nested ones (place,relationship)\n"
	"  --cols DIM            columns of a two-way cross-tab\n"
	"  --where DIM=V[,V...]  keep records with one of these values (repeatable)\n"
	"  --period P            2023-08, 2023-01..2023-08, 2023-Q2, 2023, or dates\n"
	"                        (default: the whole months the records span)\n"
	"  --month M             the same as --period M\n"
	"  --missing include|exclude   count \"not stated\" as a category (default) or leave it out\n"
	"  --weight COL          add COL (a whole-number column of the schema) per record\n"
	"                        instead of 1 (sums tables from offices)\n"
	"  --sum COL             sum COL (e.g. children) instead of counting\n"
	"  --strict              stop at the first rejected row\n"
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
	"  --header-row N        workbooks: the header's row (default: the first row\n"
	"                        naming two columns of the schema)\n";

/* Parses a whole number in lo..hi. */
static int parse_count(const char *text, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (end == text || *end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

enum mj_status mj_run_opts_apply(struct mj_run_opts *o, struct mj_tab_spec *spec,
				 int opt, const char *arg,
				 struct mj_schema **schema_out, struct mj_error *err)
{
	long n;
	switch (opt) {
	case OPT_BY:
		spec->by = arg;
		break;
	case OPT_COLS:
		spec->cols = arg;
		break;
	case OPT_WHERE:
		if (o->nwhere == MJ_MAX_WHERE)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					    "at most %d --where options", MJ_MAX_WHERE);
		o->where[o->nwhere++] = arg;
		break;
	case OPT_PERIOD:
	case OPT_MONTH:
		o->period = arg;
		break;
	case OPT_MISSING:
		if (strcmp(arg, "include") == 0)
			o->missing_exclude = 0;
		else if (strcmp(arg, "exclude") == 0)
			o->missing_exclude = 1;
		else
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--missing: expected include or exclude, got \"%s\"", arg);
		break;
	case OPT_SORT:
		if (strcmp(arg, "schema") == 0)
			o->sort = MJ_SORT_SCHEMA;
		else if (strcmp(arg, "count") == 0)
			o->sort = MJ_SORT_COUNT;
		else if (strcmp(arg, "label") == 0)
			o->sort = MJ_SORT_LABEL;
		else
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--sort: expected schema, count or label, got \"%s\"", arg);
		break;
	case OPT_TOP:
		if (parse_count(arg, 1, 1000000, &n) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--top: expected a whole number from 1, got \"%s\"", arg);
		o->top = (size_t)n;
		break;
	case OPT_HIDE_EMPTY:
		o->hide_empty = 1;
		break;
	case OPT_LANG: {
		int lang = mj_lang_parse(arg);
		if (lang < 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--lang: expected en, ru, uz or uz-Cyrl, got \"%s\"", arg);
		o->lang = (enum mj_lang)lang;
		break;
	}
	case OPT_WEIGHT:
		o->weight = arg;
		break;
	case OPT_SUM:
		o->sum = arg;
		break;
	case OPT_MIN_CELL:
		if (parse_count(arg, 0, 1000000, &n) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--min-cell: expected a whole number from 0, got \"%s\"", arg);
		o->min_cell = n;
		break;
	case OPT_STRICT:
		o->strict = 1;
		break;
	case OPT_SCHEMA: {
		struct mj_schema *s = mj_schema_load(arg, err);
		if (!s)
			return err ? err->status : MJ_E_SCHEMA;
		mj_schema_destroy(*schema_out);
		*schema_out = s;
		o->schema = s;
		break;
	}
	case OPT_ENCODING:
		if (strcmp(arg, "utf-8") && strcmp(arg, "utf8") && strcmp(arg, "cp1251") &&
		    strcmp(arg, "windows-1251") && strcmp(arg, "auto"))
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--encoding: expected utf-8, cp1251 or auto, got \"%s\"", arg);
		o->encoding = arg;
		break;
	case OPT_DELIMITER:
		if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
			o->delimiter = '\t';
		else if (strlen(arg) == 1 && strchr(",;\t|", arg[0]))
			o->delimiter = arg[0];
		else
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--delimiter: expected , ; | or tab, got \"%s\"", arg);
		break;
	case OPT_SHEET:
		if (!*arg)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					    "--sheet: expected a sheet name or number");
		o->sheet = arg;
		break;
	case OPT_HEADER_ROW:
		if (parse_count(arg, 1, 1048576, &n) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--header-row: expected a row number from 1 to 1048576, got \"%s\"", arg);
		o->header_row = (unsigned long)n;
		break;
	case OPT_DATE_ORDER: {
		int order = mj_date_order_parse(arg);
		if (order < 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--date-order: expected dmy, mdy or ymd, got \"%s\"", arg);
		o->date_order = (enum mj_date_order)order;
		break;
	}
	case OPT_THREADS:
		if (parse_count(arg, 0, 64, &n) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--threads: expected a whole number 0-64, got \"%s\"", arg);
		o->threads = (int)n;
		break;
	default:
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "unknown option");
	}
	return MJ_OK;
}
