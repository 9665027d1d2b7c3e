/* The trend sheet of a workbook: months as real dates, their counts and
 * changes, and a native column chart with the report's month standing
 * out. */
#include "xlsx_trend.h"

#include <math.h>
#include <stdio.h>

#include "murojaat/period.h"

/* Excel's serial day of a civil date (days since 1899-12-30). */
double xlsx_serial(int y, int m, int d)
{
	return (double)(mj_days_from_civil(y, m, d) + 25569);
}

/* The month format in the language's month names (Excel's locale ids:
 * Russian 0x419, Uzbek Latin 0x443, Uzbek Cyrillic 0x843). */
const char *xlsx_month_format(enum mj_lang lang)
{
	switch (lang) {
	case MJ_LANG_RU:
		return "[$-419]mmmm yyyy";
	case MJ_LANG_UZ:
		return "[$-443]mmmm yyyy";
	case MJ_LANG_UZ_CYRL:
		return "[$-843]mmmm yyyy";
	default:
		return "[$-409]mmmm yyyy";
	}
}

static void keep(lxw_error *first, lxw_error e)
{
	if (*first == LXW_NO_ERROR && e != LXW_NO_ERROR)
		*first = e;
}

lxw_error xlsx_trend_sheet(lxw_workbook *wb, const struct mj_xlsx_trend *tr,
			   const char *name, enum mj_lang lang)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	if (!ws)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	lxw_error e = LXW_NO_ERROR;
	lxw_format *title = workbook_add_format(wb);
	lxw_format *head = workbook_add_format(wb);
	lxw_format *date = workbook_add_format(wb);
	lxw_format *date_b = workbook_add_format(wb);
	lxw_format *count = workbook_add_format(wb);
	lxw_format *count_b = workbook_add_format(wb);
	lxw_format *change = workbook_add_format(wb);
	lxw_format *pct = workbook_add_format(wb);
	lxw_format *note = workbook_add_format(wb);
	if (!title || !head || !date || !date_b || !count || !count_b || !change || !pct || !note)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	format_set_bold(title);
	format_set_font_size(title, 13);
	format_set_bold(head);
	format_set_text_wrap(head);
	format_set_bottom(head, LXW_BORDER_THIN);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_num_format(date, xlsx_month_format(lang));
	format_set_align(date, LXW_ALIGN_LEFT);
	format_set_num_format(date_b, xlsx_month_format(lang));
	format_set_align(date_b, LXW_ALIGN_LEFT);
	format_set_bold(date_b);
	format_set_num_format(count, "#,##0");
	format_set_num_format(count_b, "#,##0");
	format_set_bold(count_b);
	format_set_num_format(change, "+#,##0;\\-#,##0;0");
	format_set_num_format(pct, "+0.0\"%\";\\-0.0\"%\";0.0\"%\"");
	format_set_italic(note);
	keep(&e, worksheet_write_string(ws, 0, 0, tr->title, title));
	/* Month, count, then each change in count and percent with a
	 * narrow column for its "≈". */
	static const lxw_col_t at[6] = {0, 1, 2, 3, 5, 6};
	for (size_t c = 0; c < 6; c++)
		if (tr->heads[c])
			keep(&e, worksheet_write_string(ws, 2, at[c], tr->heads[c], head));
	keep(&e, worksheet_set_row(ws, 2, 45, NULL));
	keep(&e, worksheet_set_column(ws, 0, 0, 18, NULL));
	keep(&e, worksheet_set_column(ws, 1, 6, 13, NULL));
	keep(&e, worksheet_set_column(ws, 4, 4, 3, NULL));
	keep(&e, worksheet_set_column(ws, 7, 7, 3, NULL));
	for (size_t i = 0; i < tr->n; i++) {
		lxw_row_t r = (lxw_row_t)(3 + i);
		int strong = i == tr->highlight;
		keep(&e, worksheet_write_number(ws, r, 0, xlsx_serial(tr->year[i], tr->month[i], 1),
						strong ? date_b : date));
		if (!isnan(tr->count[i]))
			keep(&e, worksheet_write_number(ws, r, 1, tr->count[i], strong ? count_b : count));
		const double *v[4] = {tr->prev_diff, tr->prev_pct, tr->year_diff, tr->year_pct};
		for (size_t c = 0; c < 4; c++)
			if (v[c] && !isnan(v[c][i]))
				keep(&e, worksheet_write_number(ws, r, at[2 + c], v[c][i],
								c % 2 ? pct : change));
		if (tr->prev_same && tr->prev_same[i])
			keep(&e, worksheet_write_string(ws, r, 4, "≈", NULL));
		if (tr->year_same && tr->year_same[i])
			keep(&e, worksheet_write_string(ws, r, 7, "≈", NULL));
	}
	lxw_row_t end = (lxw_row_t)(3 + tr->n);
	if (tr->note)
		keep(&e, worksheet_write_string(ws, end + 1, 0, tr->note, note));
	if (tr->n == 0)
		return e;
	/* The chart: a column per month, the report's month dark blue, the
	 * month a year before orange, the rest light. */
	lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_COLUMN);
	if (!chart)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	char cats[200], vals[200], series_name[200];
	char quoted[140];
	/* A sheet name in a reference is quoted (it holds no apostrophe). */
	snprintf(quoted, sizeof quoted, "'%s'", name);
	snprintf(cats, sizeof cats, "=%s!$A$4:$A$%u", quoted, (unsigned)end);
	snprintf(vals, sizeof vals, "=%s!$B$4:$B$%u", quoted, (unsigned)end);
	snprintf(series_name, sizeof series_name, "=%s!$B$3", quoted);
	lxw_chart_series *series = chart_add_series(chart, cats, vals);
	if (!series)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	chart_series_set_name(series, series_name);
	lxw_chart_fill light = {.color = 0xB0C7DB}, dark = {.color = 0x0072B2},
		       orange = {.color = 0xE69F00};
	lxw_chart_point *pts = calloc(tr->n, sizeof *pts);
	lxw_chart_point **list = calloc(tr->n + 1, sizeof *list);
	if (!pts || !list) {
		free(pts);
		free(list);
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	}
	for (size_t i = 0; i < tr->n; i++) {
		pts[i].fill = i == tr->highlight ? &dark
			      : tr->year_ago >= 0 && i == (size_t)tr->year_ago ? &orange : &light;
		list[i] = &pts[i];
	}
	keep(&e, chart_series_set_points(series, list));
	free(pts);
	free(list);
	chart_series_set_labels(series);
	chart_series_set_labels_num_format(series, "#,##0");
	/* The axis names the months in the language too ("авг 2023"). */
	char axis_fmt[32];
	snprintf(axis_fmt, sizeof axis_fmt, "%.7smmm yyyy", xlsx_month_format(lang));
	chart_axis_set_num_format(chart->x_axis, axis_fmt);
	chart_axis_set_num_format(chart->y_axis, "#,##0");
	chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
	chart_title_set_name(chart, tr->title);
	chart_title_set_name_font(chart, &(lxw_chart_font){.size = 11, .bold = 1});
	lxw_chart_options co = {.x_scale = 1.6, .y_scale = 1.3};
	keep(&e, worksheet_insert_chart_opt(ws, end + 3, 0, chart, &co));
	/* Printed as the other sheets are: A4 across, one page wide. */
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	return e;
}
