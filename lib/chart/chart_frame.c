/* The frame of every chart (title, subtitle, note) and the layout helpers
 * the chart types share: axis steps and legends. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chart_internal.h"

/* Words of the frame, per language (en, ru, uz, uz-Cyrl). Those that name
 * what is counted come from the schema (its phrases); these neutral ones
 * serve a schema that gives none. */
static const char *const w_count[MJ_LANG_COUNT] = {
	"Count", "Количество", "Soni", "Сони"};
static const char *const w_row_pct[MJ_LANG_COUNT] = {
	"Percent of each row", "Процент в строке", "Qatordagi foiz", "Қатордаги фоиз"};
static const char *const w_all_pct[MJ_LANG_COUNT] = {
	"Percent of all", "Процент от всех", "Barchasidan foiz", "Барчасидан фоиз"};
static const char *const w_sum[MJ_LANG_COUNT] = {
	"sum", "сумма", "yig\xca\xbbindi", "йиғинди"};
static const char *const w_filters[MJ_LANG_COUNT] = {
	"Filters", "Фильтры", "Filtrlar", "Фильтрлар"};
static const char *const w_source[MJ_LANG_COUNT] = {
	"Source", "Источник", "Manba", "Манба"};
static const char *const w_rejected[MJ_LANG_COUNT] = {
	"rejected", "отклонено", "rad etilgan", "рад этилган"};
static const char *const w_below[MJ_LANG_COUNT] = {
	"counts below %s, and cells that would reveal them, are not shown (%s)",
	"значения меньше %s и ячейки, по которым их можно вычислить, не показаны (%s)",
	"%s tadan kam qiymatlar va ularni ochib beradigan kataklar ko\xca\xbbrsatilmagan (%s)",
	"%s тадан кам қийматлар ва уларни очиб берадиган катаклар кўрсатилмаган (%s)"};
/* The same when the chart shows cells hidden to protect others: those
 * carry their own mark, explained after it. */
static const char *const w_below_only[MJ_LANG_COUNT] = {
	"counts below %s are not shown (%s)",
	"значения меньше %s не показаны (%s)",
	"%s tadan kam qiymatlar ko\xca\xbbrsatilmagan (%s)",
	"%s тадан кам қийматлар кўрсатилмаган (%s)"};
static const char *const w_fewer[MJ_LANG_COUNT] = {
	"not shown (%s)", "не показано (%s)", "ko\xca\xbbrsatilmagan (%s)",
	"кўрсатилмаган (%s)"};
static const char *const w_by[MJ_LANG_COUNT] = {
	"By %s", "По: %s", "%s bo\xca\xbbyicha", "%s бўйича"};

const char *chart_phrase(const struct chart_ctx *c, const char *name,
			 const char *const fallback[MJ_LANG_COUNT])
{
	const char *p = c->s ? mj_schema_phrase(c->s, name, c->lang) : NULL;
	return p && *p ? p : fallback[c->lang];
}
static const char *const w_and[MJ_LANG_COUNT] = {
	" and ", " и ", " va ", " ва "};

/* Append text to buf (of size len) after a separator when buf is not
 * empty. */
static void join(char *buf, size_t len, const char *sep, const char *text)
{
	size_t used = strlen(buf);
	if (used >= len - 1)
		return;
	snprintf(buf + used, len - used, "%s%s", used ? sep : "", text);
}

/* The number of records behind the table: n counted, or the grand total
 * of a count. */
static double table_n(const struct mj_table *t)
{
	if (t->n_counted > 0)
		return (double)t->n_counted;
	const struct mj_table_row *total = mj_table_total(t);
	if (total && !mj_table_is_sum(t) &&
	    !total->suppressed[t->ncols - 1])
		return total->values[t->ncols - 1];
	return -1;
}

/* A dimension's label in the chart's language: the schema's, else the
 * table's, else its name. */
static const char *dim_label(struct chart_ctx *c, const char *dim,
			     const char *table_label)
{
	int d = c->s ? mj_schema_dim_find(c->s, dim) : -1;
	if (d >= 0)
		return mj_schema_dim_label(c->s, (size_t)d, c->lang);
	return table_label ? table_label : dim;
}

static void default_title(struct chart_ctx *c, char *buf, size_t len)
{
	const struct mj_table *t = c->t;
	if (t->title && *t->title) {
		snprintf(buf, len, "%s", t->title);
		return;
	}
	/* "Appeals by region", "Appeals by place → relationship", "Appeals
	 * by region and type of violence". */
	char dims[512] = "";
	for (size_t d = 0; d < t->ndims; d++)
		join(dims, sizeof dims, " \xe2\x86\x92 ",
		     dim_label(c, t->dims[d], t->dim_labels ? t->dim_labels[d]
							    : NULL));
	if (t->col_dim)
		join(dims, sizeof dims, w_and[c->lang],
		     dim_label(c, t->col_dim, t->col_dim_label));
	gchar *lower = g_utf8_strdown(dims, -1);
	snprintf(buf, len, chart_phrase(c, "chart_by", w_by), lower ? lower : dims);
	g_free(lower);
}

static void default_subtitle(struct chart_ctx *c, char *buf, size_t len)
{
	const struct mj_table *t = c->t;
	char part[600], a[32], b[32], num[64];
	buf[0] = '\0';
	if (t->measure && strcmp(t->measure, "count") != 0) {
		const char *m = t->measure;
		int d = c->s ? mj_schema_dim_find(c->s, m) : -1;
		if (d >= 0)
			m = mj_schema_dim_label(c->s, (size_t)d, c->lang);
		snprintf(part, sizeof part, "%s (%s)", m, w_sum[c->lang]);
		join(buf, len, " \xc2\xb7 ", part);
	} else if (c->rates) {
		char unit[128];
		join(buf, len, " \xc2\xb7 ", chart_rate_unit(c, 1, unit, sizeof unit));
	} else if (c->o->percent && c->o->type == MJ_CHART_STACKED) {
		join(buf, len, " \xc2\xb7 ", chart_phrase(c, "chart_percent_row", w_row_pct));
	} else if (c->o->percent && c->o->type == MJ_CHART_MAP) {
		join(buf, len, " \xc2\xb7 ", chart_phrase(c, "chart_percent_all", w_all_pct));
	} else {
		join(buf, len, " \xc2\xb7 ", chart_phrase(c, "chart_count", w_count));
	}
	if (t->period_from && t->period_to) {
		mj_format_date(t->period_from, (enum mj_lang)c->lang, a, sizeof a);
		mj_format_date(t->period_to, (enum mj_lang)c->lang, b, sizeof b);
		snprintf(part, sizeof part, "%s \xe2\x80\x93 %s", a, b);
		join(buf, len, " \xc2\xb7 ", part);
	}
	double n = table_n(t);
	if (n >= 0) {
		snprintf(part, sizeof part, "n = %s",
			 chart_num(c, n, num, sizeof num));
		join(buf, len, " \xc2\xb7 ", part);
	}
	if (t->filters && *t->filters) {
		snprintf(part, sizeof part, "%s: %s", w_filters[c->lang],
			 t->filters);
		join(buf, len, " \xc2\xb7 ", part);
	}
}

static void default_note(struct chart_ctx *c, char *buf, size_t len)
{
	const struct mj_table *t = c->t;
	char part[600], num[64], lt[64];
	buf[0] = '\0';
	if (t->source && *t->source) {
		snprintf(part, sizeof part, "%s: %s", w_source[c->lang],
			 t->source);
		join(buf, len, " \xc2\xb7 ", part);
	}
	double n = table_n(t);
	if (n >= 0) {
		snprintf(part, sizeof part, "n = %s",
			 chart_num(c, n, num, sizeof num));
		join(buf, len, " \xc2\xb7 ", part);
	}
	if (t->n_rejected > 0) {
		snprintf(part, sizeof part, "%s: %s", w_rejected[c->lang],
			 chart_num(c, (double)t->n_rejected, num, sizeof num));
		join(buf, len, " \xc2\xb7 ", part);
	}
	if (t->min_cell > 0) {
		chart_num(c, (double)t->min_cell, num, sizeof num);
		int complement = mj_table_has_hidden(t, MJ_HIDDEN_COMPLEMENT);
		snprintf(part, sizeof part,
			 (complement ? w_below_only : w_below)[c->lang], num,
			 chart_suppressed(c, lt, sizeof lt));
		join(buf, len, " \xc2\xb7 ", part);
		/* The other mark, when the chart shows it. */
		if (complement)
			join(buf, len, "; ", mj_table_mark_note(c->lang));
	}
}

/* Lay out text wrapped to the frame's width; *h gets its height (0 for no
 * text). Returns NULL for no text. */
static PangoLayout *frame_text(struct chart_ctx *c, const char *text,
			       double size, int bold, double *h)
{
	*h = 0;
	if (!text || !*text)
		return NULL;
	PangoLayout *l = chart_layout(c, text, size, bold, c->w - 2 * c->pad,
				      CHART_LEFT);
	if (l)
		chart_layout_size(l, NULL, h);
	return l;
}

enum mj_status chart_frame(struct chart_ctx *c)
{
	char title[1024], subtitle[1024], note[1024];
	const struct mj_chart_opts *o = c->o;
	if (o->title)
		snprintf(title, sizeof title, "%s", o->title);
	else
		default_title(c, title, sizeof title);
	if (o->subtitle)
		snprintf(subtitle, sizeof subtitle, "%s", o->subtitle);
	else
		default_subtitle(c, subtitle, sizeof subtitle);
	if (o->note)
		snprintf(note, sizeof note, "%s", o->note);
	else
		default_note(c, note, sizeof note);
	/* What the whiskers are and which cells have no rate belong to the
	 * drawing: said under a note of the caller's too. */
	if (c->stat_note[0])
		join(note, sizeof note, " \xc2\xb7 ", c->stat_note);
	/* So do the categories left out as empty. */
	if (c->drop_note)
		join(note, sizeof note, " \xc2\xb7 ", c->drop_note);

	cairo_t *cr = c->cr;
	chart_set_color(c, chart_white);
	cairo_rectangle(cr, 0, 0, c->w, c->h);
	cairo_fill(cr);

	double th, sh, nh;
	PangoLayout *lt = frame_text(c, title, c->fs * 1.45, 1, &th);
	PangoLayout *ls = frame_text(c, subtitle, c->fs, 0, &sh);
	PangoLayout *ln = frame_text(c, note, c->fs_small, 0, &nh);
	double y = c->pad;
	if (lt) {
		chart_layout_show(c, lt, c->pad, y, chart_ink);
		y += th + c->fs * 0.25;
		g_object_unref(lt);
	}
	if (ls) {
		chart_layout_show(c, ls, c->pad, y, chart_grey_text);
		y += sh;
		g_object_unref(ls);
	}
	if (lt || ls)
		y += c->fs * 1.2;
	double bottom = c->h - c->pad;
	if (ln) {
		chart_layout_show(c, ln, c->pad, bottom - nh, chart_grey_text);
		bottom -= nh + c->fs * 0.9;
		g_object_unref(ln);
	}
	c->px = c->pad;
	c->pw = c->w - 2 * c->pad;
	c->py = y;
	c->ph = bottom - y;
	if (c->ph < c->fs * 6 || c->pw < c->fs * 12)
		return mj_error_set(c->err, MJ_E_USAGE, NULL, 0, 0,
				    "a chart of %g x %g leaves no room to plot "
				    "after its title and note",
				    c->w, c->h);
	return MJ_OK;
}

double chart_nice_step(double max, int n)
{
	if (!(max > 0))
		return 1;
	double raw = max / n;
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;
	double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
	double step = nice * mag;
	/* Counts get whole-number ticks. */
	return step < 1 ? 1 : step;
}

double chart_legend(struct chart_ctx *c, const struct chart_item *items,
		    size_t n, int with_suppressed, double x, double y,
		    double width, int draw)
{
	double sw = c->fs * 0.95, gap = c->fs * 0.4, sep = c->fs * 1.3;
	double cx = x, cy = y, line_h = 0, th, tw;
	char fewer[128], num[64];
	chart_marks(c, num, sizeof num);
	snprintf(fewer, sizeof fewer, w_fewer[c->lang], num);
	for (size_t i = 0; i < n + (with_suppressed ? 1 : 0); i++) {
		const char *label = i < n ? items[i].label : fewer;
		chart_text_size(c, label, c->fs, 0, &tw, &th);
		double iw = sw + gap + tw;
		if (cx > x && cx + iw > x + width) {
			cx = x;
			cy += line_h + c->fs * 0.4;
			line_h = 0;
		}
		double h = th > sw ? th : sw;
		if (draw) {
			double sy = cy + (h - sw) / 2;
			if (i < n) {
				chart_set_color(c, items[i].color);
				cairo_rectangle(c->cr, cx, sy, sw, sw);
				cairo_fill(c->cr);
			} else {
				chart_hatch_rect(c, cx, sy, sw, sw);
			}
			chart_text(c, label, c->fs, 0, cx + sw + gap,
				   cy + (h - th) / 2, CHART_LEFT, chart_ink);
		}
		cx += iw + sep;
		if (h > line_h)
			line_h = h;
	}
	return cy + line_h - y;
}
