/* Test helper: writes a register CSV as an Excel workbook with libxlsxwriter,
 * the way analysts keep it: optional title rows above the header, dates as
 * real Excel dates, numbers as numbers, a formula column, extra sheets.
 * usage: mkxlsx [--sheet NAME] [--title] [--dates] [--formulas] [--inline]
 *               [--before NAME] [--after NAME] [--set CELL=TEXT]...
 *               [--merge RANGE=TEXT]...
 *               IN.csv OUT.xlsx
 * --merge merges the cells of RANGE (such as C2:C4) over what was written,
 * TEXT in its first cell, as a person merging cells in Excel leaves them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "murojaat/reader.h"

struct job {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *custom_date, *builtin_date;
	int dates, formulas;
	lxw_row_t row;               /* next sheet row (0-based) */
	int date_col, number_cols[8];
	size_t nnumber;
	const char *set_cell[16], *set_text[16];
	size_t nset;
	int failed;
};

/* Days since 1970-01-01 of a civil date. */
static long days_from_civil(long y, long m, long d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void cell_name(lxw_row_t row, lxw_col_t col, char *buf, size_t len)
{
	char letters[8];
	size_t n = 0;
	unsigned c = (unsigned)col + 1;
	while (c) {
		c--;
		letters[n++] = (char)('A' + c % 26);
		c /= 26;
	}
	size_t k = 0;
	while (n && k + 1 < len)
		buf[k++] = letters[--n];
	snprintf(buf + k, len - k, "%u", (unsigned)row + 1);
}

static int on_row(void *ctx, const struct mj_field *f, size_t n, unsigned long line)
{
	struct job *j = ctx;
	(void)line;
	int header = j->date_col == -2;
	if (header) {
		j->date_col = -1;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(f[i].text, "date") == 0)
				j->date_col = (int)i;
			if ((strcmp(f[i].text, "age") == 0 || strcmp(f[i].text, "children") == 0) &&
			    j->nnumber < 8)
				j->number_cols[j->nnumber++] = (int)i;
		}
	}
	for (size_t i = 0; i < n; i++) {
		lxw_col_t col = (lxw_col_t)i;
		char name[16];
		cell_name(j->row, col, name, sizeof name);
		const char *text = f[i].text;
		int overridden = 0;
		for (size_t s = 0; s < j->nset; s++)
			if (strcmp(j->set_cell[s], name) == 0) {
				text = j->set_text[s];
				overridden = 1;
			}
		lxw_error e = LXW_NO_ERROR;
		int is_number = 0;
		for (size_t k = 0; k < j->nnumber; k++)
			is_number |= j->number_cols[k] == (int)i;
		int y, m, d;
		if (!*text)
			continue; /* an empty cell */
		if (!header && !overridden && j->dates && (int)i == j->date_col &&
		    sscanf(text, "%4d-%2d-%2d", &y, &m, &d) == 3) {
			double serial = (double)days_from_civil(y, m, d) + 25569;
			e = worksheet_write_number(j->ws, j->row, col, serial,
						   j->row % 2 ? j->custom_date : j->builtin_date);
		} else if (!header && !overridden && is_number) {
			e = worksheet_write_number(j->ws, j->row, col, strtod(text, NULL), NULL);
		} else if (!header && !overridden && j->formulas && i == 1 + (size_t)(j->date_col == 1)) {
			char formula[256];
			snprintf(formula, sizeof formula, "=\"%s\"", text);
			e = worksheet_write_formula_str(j->ws, j->row, col, formula, NULL, text);
		} else {
			e = worksheet_write_string(j->ws, j->row, col, text, NULL);
		}
		if (e != LXW_NO_ERROR) {
			fprintf(stderr, "mkxlsx: %s: %s\n", name, lxw_strerror(e));
			j->failed = 1;
			return 1;
		}
	}
	j->row++;
	return 0;
}

int main(int argc, char **argv)
{
	struct job j = {.date_col = -2};
	const char *sheet = "Appeals", *before = NULL, *after = NULL;
	const char *merge_range[8], *merge_text[8];
	size_t nmerge = 0;
	int title = 0, inline_strings = 0;
	int i = 1;
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--sheet") == 0 && i + 1 < argc)
			sheet = argv[++i];
		else if (strcmp(argv[i], "--before") == 0 && i + 1 < argc)
			before = argv[++i];
		else if (strcmp(argv[i], "--after") == 0 && i + 1 < argc)
			after = argv[++i];
		else if (strcmp(argv[i], "--title") == 0)
			title = 1;
		else if (strcmp(argv[i], "--dates") == 0)
			j.dates = 1;
		else if (strcmp(argv[i], "--formulas") == 0)
			j.formulas = 1;
		else if (strcmp(argv[i], "--inline") == 0)
			inline_strings = 1;
		else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc && j.nset < 16) {
			char *eq = strchr(argv[++i], '=');
			if (!eq)
				break;
			*eq = '\0';
			j.set_cell[j.nset] = argv[i];
			j.set_text[j.nset++] = eq + 1;
		} else if (strcmp(argv[i], "--merge") == 0 && i + 1 < argc && nmerge < 8) {
			char *eq = strchr(argv[++i], '=');
			if (!eq)
				break;
			*eq = '\0';
			merge_range[nmerge] = argv[i];
			merge_text[nmerge++] = eq + 1;
		} else {
			break;
		}
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: mkxlsx [--sheet NAME] [--title] [--dates] [--formulas] [--inline] [--before NAME] [--after NAME] [--set CELL=TEXT]... [--merge RANGE=TEXT]... IN.csv OUT.xlsx\n");
		return 2;
	}
	/* constant_memory makes libxlsxwriter write inline strings. */
	lxw_workbook_options wo = {.constant_memory = (uint8_t)inline_strings};
	j.wb = workbook_new_opt(argv[i + 1], &wo);
	if (!j.wb) {
		fprintf(stderr, "mkxlsx: cannot create %s\n", argv[i + 1]);
		return 2;
	}
	if (before) {
		lxw_worksheet *other = workbook_add_worksheet(j.wb, before);
		worksheet_write_string(other, 0, 0, "Notes on the register", NULL);
		worksheet_write_number(other, 1, 0, 42, NULL);
	}
	j.ws = workbook_add_worksheet(j.wb, sheet);
	if (after) {
		lxw_worksheet *other = workbook_add_worksheet(j.wb, after);
		worksheet_write_string(other, 0, 0, "Totals", NULL);
	}
	j.custom_date = workbook_add_format(j.wb);
	format_set_num_format(j.custom_date, "dd.mm.yyyy");
	j.builtin_date = workbook_add_format(j.wb);
	format_set_num_format_index(j.builtin_date, 14);
	if (title) {
		lxw_format *bold = workbook_add_format(j.wb);
		format_set_bold(bold);
		worksheet_write_string(j.ws, 0, 0, "Register of appeals, 2023", bold);
		worksheet_write_string(j.ws, 1, 0, "Prepared by the centre; figures are provisional", NULL);
		worksheet_write_string(j.ws, 1, 3, "region", NULL); /* one column name only */
		j.row = 3; /* row 3 stays empty */
	}
	struct mj_error err;
	mj_error_clear(&err);
	if (mj_read_rows(argv[i], NULL, on_row, &j, NULL, &err) != MJ_OK || j.failed) {
		char buf[1024];
		if (!j.failed)
			fprintf(stderr, "mkxlsx: %s\n", mj_error_format(&err, buf, sizeof buf));
		workbook_close(j.wb);
		return 2;
	}
	for (size_t m = 0; m < nmerge; m++)
		if (worksheet_merge_range(j.ws, lxw_name_to_row(merge_range[m]),
					  lxw_name_to_col(merge_range[m]),
					  lxw_name_to_row_2(merge_range[m]),
					  lxw_name_to_col_2(merge_range[m]), merge_text[m],
					  NULL) != LXW_NO_ERROR) {
			fprintf(stderr, "mkxlsx: cannot merge %s\n", merge_range[m]);
			workbook_close(j.wb);
			return 2;
		}
	lxw_error e = workbook_close(j.wb);
	if (e != LXW_NO_ERROR) {
		fprintf(stderr, "mkxlsx: %s: %s\n", argv[i + 1], lxw_strerror(e));
		return 2;
	}
	return 0;
}
