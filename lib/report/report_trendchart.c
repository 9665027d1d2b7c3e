/* The month in its trend as a column chart for the report's pages: a
 * column per month with its count, the report's month dark, the same
 * month a year earlier marked, months the register does not hold left
 * out. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"
#include "report_internal.h"
#include "trend.h"

/* Sets text in font at x, y (centred on x when centre), in points. */
static double label(cairo_t *cr, const char *text, const char *font, double x, double y,
		    int centre, int draw)
{
	return chart_label(cr, text, font, x, y, centre ? CHART_CENTER : CHART_LEFT, draw);
}

void report_trend_chart(const struct report *r, cairo_t *cr, double x, double y,
			double w, double h)
{
	const struct report_trend *tr = &r->trend;
	int n = tr->last - tr->first + 1;
	if (!tr->on || n < 1)
		return;
	cairo_save(cr);
	double max = 0, v;
	for (int m = tr->first; m <= tr->last; m++)
		if (report_trend_value(r, m, &v) && v > max)
			max = v;
	const char *font = "DejaVu Sans 7.5", *bold = "DejaVu Sans Bold 7.5";
	/* Room for the axis numbers at the left, two lines of month and year
	 * under the columns, the legend above. */
	char buf[96];
	double step = chart_nice_step(max > 0 ? max : 1, 4);
	double top = step * ceil((max > 0 ? max : 1) / step);
	mj_format_number(top, -1, r->lang, buf, sizeof buf);
	double left = label(cr, buf, font, 0, 0, 0, 0) + 8;
	double legend_h = 16, below = 26;
	double px = x + left, pw = w - left, py = y + legend_h, ph = h - legend_h - below;
	/* The grid and its numbers. */
	cairo_set_line_width(cr, 0.4);
	for (double g = 0; g <= top + step / 2; g += step) {
		double gy = py + ph - g / top * ph;
		cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
		cairo_move_to(cr, px, gy);
		cairo_line_to(cr, px + pw, gy);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
		mj_format_number(g, -1, r->lang, buf, sizeof buf);
		double tw = label(cr, buf, font, 0, 0, 0, 0);
		label(cr, buf, font, px - 5 - tw, gy - 5, 0, 1);
	}
	/* Columns of at most a twentieth of the page each, centred. */
	double band = pw / (n < 8 ? 8 : n);
	double x0 = px + (pw - band * n) / 2;
	int year_ago = tr->last - 12;
	for (int m = tr->first; m <= tr->last; m++) {
		int k = m - tr->first;
		double bx = x0 + band * k + band * 0.15, bw = band * 0.7;
		int known = report_trend_value(r, m, &v);
		if (m == tr->last)
			cairo_set_source_rgb(cr, 0.0, 0.447, 0.698); /* #0072B2 */
		else if (m == year_ago)
			cairo_set_source_rgb(cr, 0.902, 0.624, 0.0); /* #E69F00 */
		else
			cairo_set_source_rgb(cr, 0.69, 0.78, 0.86);
		double bh = known ? v / top * ph : 0;
		if (known) {
			cairo_rectangle(cr, bx, py + ph - bh, bw, bh);
			cairo_fill(cr);
		}
		/* The count over the column, or the mark of a hidden one. */
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		if (known)
			mj_format_number(v, -1, r->lang, buf, sizeof buf);
		else
			snprintf(buf, sizeof buf, "<%ld", r->min_cell);
		label(cr, buf, m == tr->last ? bold : font, bx + bw / 2, py + ph - bh - 11, 1, 1);
		/* The month, and the year under January and the first month. */
		int yy, mm;
		mj_trend_month_split(m, &yy, &mm);
		report_trend_month(r, m, 2, buf, sizeof buf);
		label(cr, buf, m == tr->last ? bold : font, bx + bw / 2, py + ph + 3, 1, 1);
		if (mm == 1 || m == tr->first) {
			snprintf(buf, sizeof buf, "%d", yy);
			label(cr, buf, font, bx + bw / 2, py + ph + 13, 1, 1);
		}
	}
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, px, py + ph);
	cairo_line_to(cr, px + pw, py + ph);
	cairo_stroke(cr);
	/* The legend: the month, and the month a year earlier when shown. */
	double lx = px;
	for (int k = 0; k < 2; k++) {
		int m = k ? year_ago : tr->last;
		if (k && m < tr->first)
			break;
		if (k)
			cairo_set_source_rgb(cr, 0.902, 0.624, 0.0);
		else
			cairo_set_source_rgb(cr, 0.0, 0.447, 0.698);
		cairo_rectangle(cr, lx, y + 2, 9, 9);
		cairo_fill(cr);
		char month[96];
		report_trend_month(r, m, 0, month, sizeof month);
		if (k) {
			/* The format comes from the trend's word table. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
			snprintf(buf, sizeof buf, report_word(r, "trend_legend_year"), month);
#pragma GCC diagnostic pop
		} else {
			snprintf(buf, sizeof buf, "%s", month);
		}
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		lx += 13 + label(cr, buf, font, lx + 13, y + 1, 0, 1) + 16;
	}
	cairo_restore(cr);
}

void report_trend_heading(const struct report *r, char *title, size_t tlen, char *sub,
			  size_t slen)
{
	report_trend_title(r, title, tlen);
	snprintf(sub, slen, "%s", r->source ? r->source : "");
	if (r->filters && *r->filters) {
		size_t used = strlen(sub);
		report_filters_text(r, r->filters, sub + used, slen - used);
	}
}

/* A chart file's size in its units, and how much larger than the page's
 * the trend's columns and words are drawn there. */
#define FILE_W 1200.0
#define FILE_H 750.0
#define FILE_ZOOM 1.5

struct trend_file {
	const struct report *r;
	const char *title, *subtitle, *note;
};

static void trend_file_draw(cairo_t *cr, double w, double h, void *arg)
{
	const struct trend_file *tf = arg;
	double plot[4];
	if (mj_chart_frame(cr, w, h, (int)tf->r->lang, tf->title, tf->subtitle, tf->note, plot,
			   NULL) != MJ_OK)
		return;
	cairo_save(cr);
	cairo_translate(cr, plot[0], plot[1]);
	cairo_scale(cr, FILE_ZOOM, FILE_ZOOM);
	report_trend_chart(tf->r, cr, 0, 0, plot[2] / FILE_ZOOM, plot[3] / FILE_ZOOM);
	cairo_restore(cr);
}

enum mj_status report_trend_file(const struct report *r, struct mj_chart_batch *b,
				 const char *path, struct mj_error *err)
{
	const struct report_trend *tr = &r->trend;
	char title[256], sub[512], buf[96], month[96];
	report_trend_heading(r, title, sizeof title, sub, sizeof sub);
	char *gap = report_trend_gaps(r, tr->first, tr->last);
	/* The text alternative: each month and its count, as the columns. */
	GString *desc = g_string_new(NULL);
	for (int m = tr->first; m <= tr->last; m++) {
		double v;
		if (report_trend_value(r, m, &v))
			mj_format_number(v, -1, r->lang, buf, sizeof buf);
		else
			snprintf(buf, sizeof buf, "<%ld", r->min_cell);
		report_trend_month(r, m, 0, month, sizeof month);
		g_string_append_printf(desc, "%s%s: %s", m > tr->first ? "\n" : "", month, buf);
	}
	if (gap)
		g_string_append_printf(desc, "\n%s", gap);
	struct trend_file tf = {r, title, sub, gap ? gap : ""};
	struct mj_chart_opts co;
	mj_chart_opts_init(&co);
	co.width = FILE_W;
	co.height = FILE_H;
	enum mj_status st = mj_chart_batch_drawing(b, path, &co, trend_file_draw, &tf, title,
						   desc->str, r->date, err);
	g_string_free(desc, TRUE);
	g_free(gap);
	return st;
}
