/* The options shared by every program that tabulates records, and the
 * statistics options, applied to what they set; the programs name them
 * (cmd/cli_options.c). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/period.h"
#include "murojaat/stats.h"
#include "murojaat/tab.h"



enum mj_status mj_run_opts_apply(struct mj_run_opts *o, struct mj_tab_spec *spec,
				 int opt, const char *arg,
				 struct mj_schema **schema_out, struct mj_error *err)
{
	long n;
	switch (opt) {
	case MJ_OPT_BY:
		spec->by = arg;
		break;
	case MJ_OPT_COLS:
		spec->cols = arg;
		break;
	case MJ_OPT_WHERE:
		if (o->nwhere == MJ_MAX_WHERE)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					    "at most %d --where options", MJ_MAX_WHERE);
		o->where[o->nwhere++] = arg;
		break;
	case MJ_OPT_PERIOD:
	case MJ_OPT_MONTH:
		o->period = arg;
		break;
	case MJ_OPT_MISSING:
		if (strcmp(arg, "include") == 0)
			o->missing_exclude = 0;
		else if (strcmp(arg, "exclude") == 0)
			o->missing_exclude = 1;
		else
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--missing: expected include or exclude, got \"%s\"", arg);
		break;
	case MJ_OPT_SORT:
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
	case MJ_OPT_TOP:
		if (mj_parse_whole(arg, 1, 1000000, &n) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--top: expected a whole number from 1, got \"%s\"", arg);
		o->top = (size_t)n;
		break;
	case MJ_OPT_HIDE_EMPTY:
		o->hide_empty = 1;
		break;
	case MJ_OPT_LANG: {
		int lang = mj_lang_parse(arg);
		if (lang < 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--lang: expected en, ru, uz or uz-Cyrl, got \"%s\"", arg);
		o->lang = (enum mj_lang)lang;
		break;
	}
	case MJ_OPT_WEIGHT:
		o->weight = arg;
		break;
	case MJ_OPT_SUM:
		o->sum = arg;
		break;
	case MJ_OPT_MIN_CELL:
		if (mj_parse_whole(arg, 0, 1000000, &n) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--min-cell: expected a whole number from 0, got \"%s\"", arg);
		o->min_cell = n;
		break;
	case MJ_OPT_STRICT:
		o->strict = 1;
		break;
	case MJ_OPT_ALLOW_OVERLAP:
		o->allow_overlap = 1;
		break;
	case MJ_OPT_SCHEMA: {
		struct mj_schema *s = mj_schema_load(arg, err);
		if (!s)
			return err ? err->status : MJ_E_SCHEMA;
		mj_schema_destroy(*schema_out);
		*schema_out = s;
		o->schema = s;
		break;
	}
	case MJ_OPT_ENCODING:
		if (strcmp(arg, "utf-8") && strcmp(arg, "utf8") && strcmp(arg, "cp1251") &&
		    strcmp(arg, "windows-1251") && strcmp(arg, "auto"))
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--encoding: expected utf-8, cp1251 or auto, got \"%s\"", arg);
		o->encoding = arg;
		break;
	case MJ_OPT_DELIMITER:
		if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
			o->delimiter = '\t';
		else if (strlen(arg) == 1 && strchr(",;\t|", arg[0]))
			o->delimiter = arg[0];
		else
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--delimiter: expected , ; | or tab, got \"%s\"", arg);
		break;
	case MJ_OPT_SHEET:
		if (!*arg)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					    "--sheet: expected a sheet name or number");
		o->sheet = arg;
		break;
	case MJ_OPT_HEADER_ROW:
		if (mj_parse_whole(arg, 1, 1048576, &n) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--header-row: expected a row number from 1 to 1048576, got \"%s\"", arg);
		o->header_row = (unsigned long)n;
		break;
	case MJ_OPT_DATE_ORDER: {
		int order = mj_date_order_parse(arg);
		if (order < 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--date-order: expected dmy, mdy or ymd, got \"%s\"", arg);
		o->date_order = (enum mj_date_order)order;
		break;
	}
	case MJ_OPT_THREADS:
		if (mj_parse_whole(arg, 0, 64, &n) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--threads: expected a whole number 0-64, got \"%s\"", arg);
		o->threads = (int)n;
		break;
	default:
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "unknown option");
	}
	return MJ_OK;
}

/* Statistics options ---------------------------------------------------- */

int mj_stats_option(int opt)
{
	return opt >= MJ_OPT_CI && opt < MJ_OPT_STATS_END;
}

void mj_stats_opts_init(struct mj_stats_opts *o)
{
	memset(o, 0, sizeof *o);
	o->ci_method = MJ_CI_WILSON;
}

static int parse_real(const char *text, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(text, &end);
	if (end == text || *end || errno || !(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}

enum mj_status mj_stats_opts_apply(struct mj_stats_opts *o, int opt,
				   const char *arg, struct mj_error *err)
{
	double v;
	switch (opt) {
	case MJ_OPT_CI:
		if (parse_real(arg, 50, 99.9, &v) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--ci: expected a confidence level from 50 to 99.9 (percent), got \"%s\"", arg);
		o->ci_level = v / 100;
		break;
	case MJ_OPT_CI_METHOD:
		if (strcmp(arg, "wilson") == 0)
			o->ci_method = MJ_CI_WILSON;
		else if (strcmp(arg, "exact") == 0 || strcmp(arg, "clopper-pearson") == 0)
			o->ci_method = MJ_CI_EXACT;
		else
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--ci-method: expected wilson or exact, got \"%s\"", arg);
		break;
	case MJ_OPT_TEST: {
		/* No word is the chi-square, as --test was before it took one. */
		unsigned tests = arg ? 0 : MJ_TEST_CHI2;
		const char *p = arg;
		while (p && *p) {
			size_t n = strcspn(p, ",");
			if (n == 4 && strncmp(p, "chi2", 4) == 0)
				tests |= MJ_TEST_CHI2;
			else if (n == 5 && strncmp(p, "props", 5) == 0)
				tests |= MJ_TEST_PROPS;
			else
				return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
					"--test: expected chi2, props or chi2,props, got \"%s\"", arg);
			p += n + (p[n] == ',');
		}
		if (!tests)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--test: expected chi2, props or chi2,props, got \"%s\"", arg);
		o->test |= tests;
		break;
	}
	case MJ_OPT_COMPARE: {
		long first, last;
		/* Checked now, so that a forgotten value ("--compare -o DIR")
		 * is named as such. */
		if (strcmp(arg, "previous") != 0 && strcmp(arg, "year") != 0 &&
		    mj_period_parse(arg, &first, &last, NULL) != MJ_OK)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--compare: expected previous, year or a period (e.g. 2023-07), got \"%s\"", arg);
		o->compare = arg;
		break;
	}
	case MJ_OPT_RATE_PER:
		if (parse_real(arg, 1, 1e9, &v) != 0)
			return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				"--rate-per: expected a number from 1 to 1000000000 (e.g. 100000), got \"%s\"", arg);
		o->rate_per = v;
		break;
	case MJ_OPT_POPULATION:
		o->population = arg;
		break;
	default:
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "unknown option");
	}
	return MJ_OK;
}

enum mj_status mj_stats_opts_check(const struct mj_stats_opts *o, struct mj_error *err)
{
	if (o->rate_per > 0 && !o->population)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "--rate-per needs --population FILE (population by region, sex, ...)");
	if (o->population && !(o->rate_per > 0))
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0,
				    "--population needs --rate-per N (e.g. --rate-per 100000)");
	return MJ_OK;
}
