/* The report as one web page: the PDF's content (key figures, narrative,
 * every table with its notes and first chart, the method) in a single
 * self-contained HTML file that reads with no network, no script and no
 * file beside it, on a phone as in print, and to a screen reader. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-svg.h>
#include <cairo.h>
#include <glib.h>

#include "report_internal.h"
#include "trend.h"
#include "schema_internal.h"

/* Words only the page has (the others are the report's). */
static const struct {
	const char *key;
	const char *text[MJ_LANG_COUNT];
} page_words[] = {
	{"skip", {"Skip to the report", "Перейти к отчёту", "Hisobotga oʻtish",
		  "Ҳисоботга ўтиш"}},
	{"contents", {"Contents", "Содержание", "Mundarija", "Мундарижа"}},
	{"summary", {"Summary", "Обзор", "Qisqacha", "Қисқача"}},
	{"chart", {"Chart", "Диаграмма", "Diagramma", "Диаграмма"}},
	{"table", {"Table", "Таблица", "Jadval", "Жадвал"}},
};

static const char *page_word(const struct report *r, const char *key)
{
	for (size_t i = 0; i < sizeof page_words / sizeof page_words[0]; i++)
		if (strcmp(page_words[i].key, key) == 0)
			return page_words[i].text[r->lang < MJ_LANG_COUNT ? r->lang : 0];
	return key;
}

/* The page's style: one column up to 60 rem, tables that scroll inside
 * their own box when wider than a phone, charts that scale, and print on
 * A4 with a section to a page. Colours keep a contrast of 4.5:1 or more. */
static const char style[] =
	":root{--fg:#1b1b1b;--muted:#4d4d4d;--line:#b8b8b8;--band:#f2f4f7;--accent:#005a9c}\n"
	"*{box-sizing:border-box}\n"
	"html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
	"body{margin:0 auto;max-width:60rem;padding:1rem 1.25rem;color:var(--fg);"
	"background:#fff;font:1rem/1.5 \"DejaVu Sans\",\"Noto Sans\",Arial,sans-serif;"
	"overflow-wrap:break-word}\n"
	"a{color:var(--accent)}\n"
	".skip{position:absolute;left:-100vw}\n"
	".skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:1}\n"
	".nw{white-space:nowrap}\n"
	".vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
	"white-space:nowrap}\n"
	"h1{font-size:1.7rem;line-height:1.25;margin:.5rem 0 .25rem}\n"
	"h2{font-size:1.3rem;line-height:1.3;margin:2.25rem 0 .5rem}\n"
	".sub{color:var(--muted);font-size:.9rem;margin:.25rem 0 1rem}\n"
	"nav ol{columns:17rem;column-gap:2rem;padding-left:1.75rem;margin:.5rem 0}\n"
	".kf{list-style:none;padding:0;margin:0;display:grid;"
	"grid-template-columns:repeat(auto-fill,minmax(10.5rem,1fr));gap:.6rem}\n"
	".kf li{background:var(--band);border-left:4px solid #0072b2;padding:.5rem .75rem}\n"
	".kf .n{display:block;font-size:1.45rem;font-weight:bold;line-height:1.3}\n"
	".kf .l{display:block;font-size:.85rem;color:var(--muted)}\n"
	".tw{overflow-x:auto;max-width:100%;margin:.5rem 0}\n"
	"table{border-collapse:collapse;min-width:min(100%,38rem);font-size:.92rem;"
	"font-variant-numeric:tabular-nums}\n"
	/* A caption kept a caption (no position), only out of sight. */
	"caption.vh{position:static;width:auto;height:1px;padding:0;overflow:hidden;"
	"clip-path:inset(50%);white-space:normal}\n"
	"th,td{padding:.3rem .55rem;text-align:right;vertical-align:top}\n"
	"td{white-space:nowrap}\n"
	"thead th{border-bottom:2px solid #555;vertical-align:bottom}\n"
	"thead th:first-child,tbody th{text-align:left}\n"
	"tbody th{font-weight:normal}\n"
	"tbody tr:nth-child(even){background:var(--band)}\n"
	"tr.sub th,tr.sub td,tr.tot th,tr.tot td{font-weight:bold}\n"
	"tr.tot th,tr.tot td{border-top:2px solid #555}\n"
	"tr.miss{color:var(--muted)}\n"
	"th.l1{padding-left:1.6rem}\n"	/* Row labels stay in view while a wide table scrolls. */
	".tw th[scope=row],.tw thead th:first-child{position:sticky;left:0;background:#fff}\n"
	".tw tbody tr:nth-child(even) th{background:var(--band)}\n"
	".note{font-size:.85rem;color:var(--muted);margin:.25rem 0}\n"
	"figure{margin:1.25rem 0}\n"
	"figure svg{display:block;width:100%;height:auto;max-width:40rem}\n"
	"figcaption{font-size:.9rem;color:var(--muted);margin-top:.4rem}\n"
	"footer{border-top:1px solid var(--line);margin-top:2.5rem;padding-top:.5rem;"
	"color:var(--muted);font-size:.85rem}\n"
	"@media (max-width:30rem){body{padding:.75rem}h1{font-size:1.4rem}"
	"h2{font-size:1.15rem}table{font-size:.82rem}th,td{padding:.25rem .35rem}"
	"th.l1{padding-left:1rem}.kf{grid-template-columns:repeat(2,minmax(0,1fr))}"
	".kf .n{font-size:1.2rem}}\n"
	"@media print{@page{size:A4;margin:16mm 15mm}"
	"body{max-width:none;padding:0;font-size:10pt}"
	".skip,nav{display:none}"
	"section.t{break-before:page}"
	"h2{break-after:avoid}"
	"tr,figure,.kf li{break-inside:avoid}"
	".tw{overflow:visible}"
	"a{color:inherit;text-decoration:none}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

/* Appends text with the characters HTML gives meaning to escaped. */
static void esc(GString *out, const char *text)
{
	for (const char *p = text ? text : ""; *p; p++) {
		switch (*p) {
		case '&': g_string_append(out, "&amp;"); break;
		case '<': g_string_append(out, "&lt;"); break;
		case '>': g_string_append(out, "&gt;"); break;
		case '"': g_string_append(out, "&quot;"); break;
		default: g_string_append_c(out, *p); break;
		}
	}
}

/* Whether p starts a date or month ("2023-08-31", "2023-08"): n digits,
 * '-', two digits, and again. Its length, or 0. */
static size_t date_at(const char *p)
{
	size_t n = 0;
	for (int part = 0; part < 3; part++) {
		size_t digits = part == 0 ? 4 : 2, k = 0;
		if (part > 0 && p[n] != '-')
			break;
		size_t at = n + (part > 0);
		while (k < digits && g_ascii_isdigit(p[at + k]))
			k++;
		if (k < digits || g_ascii_isdigit(p[at + k]))
			break;
		n = at + k;
	}
	return n > 4 ? n : 0;
}

/* Appends text escaped as esc() does, with each date kept on one line: a
 * narrow phone would break "2023-01-01" at its hyphens. Not for <title>
 * or attribute values, which hold no markup. */
static void text(GString *out, const char *s)
{
	const char *p = s ? s : "";
	while (*p) {
		size_t d = (p == s || !g_ascii_isdigit(p[-1])) ? date_at(p) : 0;
		if (d) {
			g_string_append(out, "<span class=\"nw\">");
			g_string_append_len(out, p, (gssize)d);
			g_string_append(out, "</span>");
			p += d;
			continue;
		}
		const char *q = p;
		while (*q && !(g_ascii_isdigit(*q) && (q == s || !g_ascii_isdigit(q[-1])) &&
			       date_at(q)))
			q++;
		char *part = g_strndup(p, (gsize)(q - p));
		esc(out, part);
		g_free(part);
		p = q;
	}
}

/* Appends "<tag>text</tag>\n" with text escaped (and its dates kept
 * whole); attrs (may be "") go into the opening tag as they are. */
static void element(GString *out, const char *tag, const char *attrs, const char *s)
{
	g_string_append_printf(out, "<%s%s%s>", tag, *attrs ? " " : "", attrs);
	if (strcmp(tag, "title") == 0)
		esc(out, s);
	else
		text(out, s);
	g_string_append_printf(out, "</%s>\n", tag);
}

/* An id from a section's code: letters, digits, '-' and '_' kept. */
static void section_id(GString *out, const char *prefix, const char *code)
{
	g_string_append(out, prefix);
	for (const char *p = code; *p; p++)
		g_string_append_c(out, g_ascii_isalnum(*p) || *p == '-' || *p == '_' ? *p : '_');
}

static cairo_status_t svg_collect(void *closure, const unsigned char *data,
				  unsigned int len)
{
	g_byte_array_append(closure, data, len);
	return CAIRO_STATUS_SUCCESS;
}

/* Whether text at p starts with s. */
static int starts(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

/* Appends the inside of the SVG document svg (without its <svg> element
 * and the XML declaration) with every id renamed "PREFIX-N", N by order of
 * appearance, and every reference to it ("#id", "url(#id)") to match:
 * several charts on one page must not share cairo's "glyph0-1", and the
 * same chart gets the same ids in every run. */
static void svg_inner(GString *out, const char *svg, size_t len, const char *prefix)
{
	const char *end = svg + len;
	const char *open = g_strstr_len(svg, (gssize)len, "<svg");
	const char *body = open ? memchr(open, '>', (size_t)(end - open)) : NULL;
	const char *close = g_strrstr_len(svg, (gssize)len, "</svg>");
	if (!body || !close || close < body)
		return;
	body++;
	GHashTable *ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* First the ids in order, so a reference before its target is
	 * renamed the same way. */
	for (const char *p = body; p < close; p++) {
		if (!starts(p, close, " id=\""))
			continue;
		const char *a = p + 5, *b = memchr(a, '"', (size_t)(close - a));
		if (!b)
			break;
		char *name = g_strndup(a, (size_t)(b - a));
		if (!g_hash_table_contains(ids, name))
			g_hash_table_insert(ids, name,
					    GUINT_TO_POINTER(g_hash_table_size(ids) + 1));
		else
			g_free(name);
		p = b;
	}
	for (const char *p = body; p < close;) {
		static const char *const lead[] = {" id=\"", "href=\"#", "url(#"};
		size_t k = 0;
		while (k < 3 && !starts(p, close, lead[k]))
			k++;
		if (k == 3) {
			g_string_append_c(out, *p++);
			continue;
		}
		const char *a = p + strlen(lead[k]);
		const char *b = a;
		while (b < close && *b != '"' && *b != ')')
			b++;
		char *name = g_strndup(a, (size_t)(b - a));
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(ids, name));
		g_free(name);
		g_string_append(out, lead[k]);
		if (n)
			g_string_append_printf(out, "%s-%u", prefix, n);
		else
			g_string_append_len(out, a, b - a);
		p = b;
	}
	g_hash_table_destroy(ids);
}

/* The size of a chart on the page, in CSS pixels at full width. */
#define CHART_W 560.0
#define CHART_H 400.0
#define TREND_H 330.0

/* Draws into an SVG of w x h: a chart of a table, or (t NULL) the trend's
 * columns. Returns the document in *mem. */
static enum mj_status svg_draw(const struct report *r, const struct mj_table *t,
			       const struct mj_chart_opts *co, double w, double h,
			       GByteArray **mem, struct mj_error *err)
{
	*mem = g_byte_array_new();
	cairo_surface_t *sf = cairo_svg_surface_create_for_stream(svg_collect, *mem, w, h);
	cairo_svg_surface_set_document_unit(sf, CAIRO_SVG_UNIT_PX);
	cairo_t *cr = cairo_create(sf);
	enum mj_status st = MJ_OK;
	if (t) {
		st = mj_chart_draw(cr, w, h, t, r->schema, co, err);
	} else {
		/* The trend chart measures in points; the page's pixels are
		 * 4/3 of them. */
		cairo_scale(cr, 4.0 / 3.0, 4.0 / 3.0);
		report_trend_chart(r, cr, 0, 0, w * 0.75, h * 0.75);
	}
	cairo_destroy(cr);
	cairo_surface_finish(sf);
	if (st == MJ_OK && cairo_surface_status(sf) != CAIRO_STATUS_SUCCESS)
		st = mj_error_set(err, MJ_E_IO, NULL, 0, 0, "cairo: %s",
				  cairo_status_to_string(cairo_surface_status(sf)));
	cairo_surface_destroy(sf);
	if (st != MJ_OK) {
		g_byte_array_free(*mem, TRUE);
		*mem = NULL;
	}
	return st;
}

/* Appends the SVG in mem as a figure with id, its title and caption. */
static void svg_figure(GString *out, const struct report *r, const GByteArray *mem,
		       double w, double h, const char *id, const char *title,
		       const char *caption)
{
	g_string_append(out, "<figure>\n");
	g_string_append_printf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" "
		"xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 %g %g\" "
		"role=\"img\" aria-labelledby=\"%s-t\" aria-describedby=\"%s-d\">\n",
		w, h, id, id);
	g_string_append_printf(out, "<title id=\"%s-t\">%s: ", id, page_word(r, "chart"));
	esc(out, title);
	g_string_append(out, "</title>\n");
	svg_inner(out, (const char *)mem->data, mem->len, id);
	g_string_append(out, "</svg>\n");
	g_string_append_printf(out, "<figcaption id=\"%s-d\">", id);
	text(out, caption);
	g_string_append(out, "</figcaption>\n</figure>\n");
}

/* Appends section sec's first chart as a figure: the SVG inline with a
 * title and a description (the sentence on the section), role="img", and
 * the description again as the visible caption. */
static enum mj_status figure(GString *out, const struct report *r, size_t sec,
			     struct mj_error *err)
{
	const struct mj_schema_section *s = r->sections[sec];
	const struct mj_table *t = r->t[sec];
	if (!s->ncharts || report_table_empty(t))
		return MJ_OK;
	struct mj_chart_opts co;
	mj_chart_opts_init(&co);
	co.type = (enum mj_chart_type)s->charts[0];
	co.lang = (int)r->lang;
	report_chart_stats(r, sec, &co);
	/* The section's heading and table say what the title and note would. */
	co.title = "";
	co.subtitle = "";
	co.note = "";
	co.font_size = 11.5;
	/* What counts nothing is left out, and said under the figure. */
	char *dropped = NULL;
	struct mj_table *ct = co.stats ? NULL
			      : mj_chart_shown(t, r->schema, co.type, (int)r->lang, &dropped);
	GByteArray *mem;
	enum mj_status st = svg_draw(r, ct ? ct : t, &co, CHART_W, CHART_H, &mem, err);
	mj_table_destroy(ct);
	if (st != MJ_OK) {
		free(dropped);
		return st;
	}
	GString *id = g_string_new(NULL);
	section_id(id, "c-", s->code);
	char *sentence = report_section_sentence(r, sec);
	svg_figure(out, r, mem, CHART_W, CHART_H, id->str, t->title,
		   sentence ? sentence : t->title);
	if (dropped)
		element(out, "p", "class=\"note\"", dropped);
	free(dropped);
	g_free(sentence);
	g_string_free(id, TRUE);
	g_byte_array_free(mem, TRUE);
	return MJ_OK;
}

/* Columns a one-way table shows beside count and percent, as the PDF. */
enum { XCOL_COMPARED, XCOL_CHANGE, XCOL_CI, XCOL_RATE, XCOL_N };

static void td(GString *out, const char *text)
{
	element(out, "td", "", text);
}

/* Section sec's table as its show= asks (or with nested columns), as the
 * PDF draws it: a one-way table with a column per figure; a cross-tab
 * with a table per figure, captioned by it, whose nested columns get a
 * heading row of their outer categories (colspan) above the inner ones. */
static void table_shown(GString *out, const struct report *r, size_t sec)
{
	const struct mj_table *t = r->t[sec];
	struct report_fig figs[REPORT_FIGS_MAX];
	size_t nfigs = report_figs(r, sec, figs);
	if (nfigs == 0) {
		memset(&figs[0], 0, sizeof figs[0]);
		figs[0].value = 1;
		figs[0].head = report_count_head(r, sec);
		nfigs = 1;
	}
	int cross = t->col_dim != NULL;
	const struct mj_col_nest *n = t->nest && t->nest->ndims > 1 ? t->nest : NULL;
	size_t nc = t->ncols;
	char sub[512], cell[96];
	report_section_subtitle(r, sec, sub, sizeof sub);
	element(out, "p", "class=\"sub\" aria-hidden=\"true\"", sub);
	GString *dl = g_string_new(NULL);
	for (size_t d = 0; d < t->ndims; d++)
		g_string_append_printf(dl, "%s%s", d ? " → " : "",
				       t->dim_labels ? t->dim_labels[d] : t->dims[d]);
	size_t nblocks = cross ? nfigs : 1;
	for (size_t b = 0; b < nblocks; b++) {
		GString *id = g_string_new(NULL);
		section_id(id, "t-", r->sections[sec]->code);
		if (b > 0)
			g_string_append_printf(id, "-%zu", b + 1);
		g_string_append_printf(out, "<div class=\"tw\" role=\"region\" tabindex=\"0\" "
				       "aria-labelledby=\"%s\">\n<table>\n<caption id=\"%s\" class=\"vh\">",
				       id->str, id->str);
		esc(out, t->title);
		if (cross) {
			g_string_append(out, ", ");
			esc(out, figs[b].head);
		}
		g_string_append(out, ". ");
		esc(out, sub);
		g_string_append(out, "</caption>\n<thead>\n");
		if (cross && (nfigs > 1 || !figs[b].value)) {
			/* The figure the table shows, over it for the eye. */
			g_string_append_printf(out, "<tr><th scope=\"colgroup\" colspan=\"%zu\">", nc + 1);
			esc(out, figs[b].head);
			g_string_append(out, "</th></tr>\n");
		}
		if (n) {
			g_string_append(out, "<tr><td></td>");
			size_t nd = n->ndims, from = 0;
			for (size_t c = 1; c <= nc; c++) {
				const char *a = n->codes[from * nd], *z = c < nc ? n->codes[c * nd] : NULL;
				if (z && strcmp(a, z) == 0 && strcmp(a, MJ_CODE_TOTAL) != 0)
					continue;
				g_string_append_printf(out, "<th scope=\"colgroup\" colspan=\"%zu\">", c - from);
				if (strcmp(a, MJ_CODE_TOTAL) != 0)
					esc(out, n->labels[from * nd]);
				g_string_append(out, "</th>");
				from = c;
			}
			g_string_append(out, "</tr>\n");
		}
		g_string_append(out, "<tr>");
		element(out, "th", "scope=\"col\"", dl->str);
		if (cross) {
			for (size_t c = 0; c < nc; c++)
				element(out, "th", "scope=\"col\"",
					!n ? t->col_labels[c] : n->kinds[c] != MJ_ROW_CATEGORY
					? t->col_labels[nc - 1] : n->labels[c * n->ndims + n->ndims - 1]);
		} else {
			for (size_t k = 0; k < nfigs; k++)
				element(out, "th", "scope=\"col\"", figs[k].head);
		}
		g_string_append(out, "</tr>\n</thead>\n<tbody>\n");
		for (size_t i = 0; i < t->nrows; i++) {
			const struct mj_table_row *row = &t->rows[i];
			const char *cls = row->kind == MJ_ROW_TOTAL ? "tot"
					  : row->kind == MJ_ROW_SUBTOTAL ? "sub"
					  : mj_table_row_missing(t, row) ? "miss" : NULL;
			if (cls)
				g_string_append_printf(out, "<tr class=\"%s\">", cls);
			else
				g_string_append(out, "<tr>");
			const char *label = row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
					    : mj_table_row_label(t, row);
			element(out, "th", row->level > 0 ? "scope=\"row\" class=\"l1\"" : "scope=\"row\"",
				label);
			size_t ncells = cross ? nc : nfigs;
			for (size_t k = 0; k < ncells; k++)
				td(out, report_fig_cell(r, t, cross ? &figs[b] : &figs[k], i,
							cross ? k : 0, cell, sizeof cell));
			g_string_append(out, "</tr>\n");
		}
		g_string_append(out, "</tbody>\n</table>\n</div>\n");
		g_string_free(id, TRUE);
	}
	g_string_free(dl, TRUE);
	report_figs_free(figs, nfigs);
}

/* Appends section sec's table: a caption, header cells for the columns
 * (scope="col") and for each row's label (scope="row"), the cells as the
 * PDF shows them, suppression marks included. Wider than a phone, it
 * scrolls in its own box, which a keyboard can reach. */
static void table(GString *out, const struct report *r, size_t sec)
{
	const struct mj_table *t = r->t[sec];
	if (r->sections[sec]->show || t->nest) {
		table_shown(out, r, sec);
		return;
	}
	int cross = t->col_dim != NULL;
	int show[XCOL_N] = {0};
	if (!cross) {
		show[XCOL_COMPARED] = show[XCOL_CHANGE] =
			report_stat_any(r, sec, "count_compared", 0);
		show[XCOL_CI] = report_stat_any(r, sec, "ci_low", 0);
		show[XCOL_RATE] = report_stat_any(r, sec, "rate", 0);
	}
	GString *id = g_string_new(NULL);
	section_id(id, "t-", r->sections[sec]->code);
	char sub[512];
	report_section_subtitle(r, sec, sub, sizeof sub);
	/* The caption says the title and what was counted to a screen
	 * reader; the eye reads the same under the heading, on the page's
	 * width rather than on the width of a table that scrolls. */
	element(out, "p", "class=\"sub\" aria-hidden=\"true\"", sub);
	g_string_append_printf(out, "<div class=\"tw\" role=\"region\" tabindex=\"0\" "
			       "aria-labelledby=\"%s\">\n<table>\n<caption id=\"%s\" class=\"vh\">",
			       id->str, id->str);
	esc(out, t->title);
	g_string_append(out, ". ");
	esc(out, sub);
	g_string_append(out, "</caption>\n<thead>\n<tr>");

	GString *dl = g_string_new(NULL);
	for (size_t d = 0; d < t->ndims; d++)
		g_string_append_printf(dl, "%s%s", d ? " → " : "",
				       t->dim_labels ? t->dim_labels[d] : t->dims[d]);
	element(out, "th", "scope=\"col\"", dl->str);
	g_string_free(dl, TRUE);
	if (cross) {
		for (size_t k = 0; k < t->ncols; k++)
			element(out, "th", "scope=\"col\"", t->col_labels[k]);
	} else {
		element(out, "th", "scope=\"col\"", report_count_head(r, sec));
		element(out, "th", "scope=\"col\"", report_word(r, "percent"));
		if (show[XCOL_COMPARED]) {
			element(out, "th", "scope=\"col\"", r->compare_name);
			element(out, "th", "scope=\"col\"", report_word(r, "change"));
		}
		if (show[XCOL_CI]) {
			char lv[16];
			mj_format_number(r->so->ci_level * 100, -1, r->lang, lv, sizeof lv);
			GString *h = g_string_new(NULL);
			report_append_word(h, r, "ci_head", lv);
			element(out, "th", "scope=\"col\"", h->str);
			g_string_free(h, TRUE);
		}
		if (show[XCOL_RATE]) {
			char per[32];
			mj_format_number(r->so->rate_per, -1, r->lang, per, sizeof per);
			GString *h = g_string_new(NULL);
			report_append_word(h, r, "rate_head", per);
			element(out, "th", "scope=\"col\"", h->str);
			g_string_free(h, TRUE);
		}
	}
	g_string_append(out, "</tr>\n</thead>\n<tbody>\n");

	double *pct = mj_table_percents(t, MJ_PCT_TOTAL, 1, 0);
	char cell[96];
	for (size_t i = 0; i < t->nrows; i++) {
		const struct mj_table_row *row = &t->rows[i];
		const char *cls = row->kind == MJ_ROW_TOTAL ? "tot"
				  : row->kind == MJ_ROW_SUBTOTAL ? "sub"
				  : mj_table_row_missing(t, row) ? "miss" : NULL;
		if (cls)
			g_string_append_printf(out, "<tr class=\"%s\">", cls);
		else
			g_string_append(out, "<tr>");
		/* A subtotal row names its outer category, not "Total". */
		const char *label = row->kind == MJ_ROW_SUBTOTAL ? row->labels[0]
				    : mj_table_row_label(t, row);
		element(out, "th", row->level > 0 ? "scope=\"row\" class=\"l1\"" : "scope=\"row\"",
			label);
		for (size_t k = 0; k < t->ncols; k++)
			td(out, report_cell(r, t, i, k, 0, cell, sizeof cell));
		if (!cross) {
			double v = pct ? pct[i * t->ncols] : -1;
			td(out, v >= 0 ? mj_format_number(v, 1, r->lang, cell, sizeof cell) : "");
			double now, before, pc;
			int changed = report_change(r, sec, i, 0, &now, &before, &pc);
			if (show[XCOL_COMPARED]) {
				td(out, changed ? mj_format_number(before, -1, r->lang, cell,
								   sizeof cell) : "");
				if (changed) {
					report_change_text(r, now - before, pc, cell, sizeof cell);
					if (report_change_marked(now, before))
						g_strlcat(cell, " ≈", sizeof cell);
				}
				td(out, changed ? cell : "");
			}
			/* An interval or a rate would give a hidden count away. */
			int hidden = row->suppressed[0];
			if (show[XCOL_CI]) {
				double lo = report_stat(r, sec, "ci_low", i, 0, NULL, NULL);
				double hi = report_stat(r, sec, "ci_high", i, 0, NULL, NULL);
				cell[0] = '\0';
				if (!hidden && !isnan(lo) && !isnan(hi)) {
					char a[32], b[32];
					mj_format_number(lo, 1, r->lang, a, sizeof a);
					mj_format_number(hi, 1, r->lang, b, sizeof b);
					snprintf(cell, sizeof cell, "%s–%s", a, b);
				}
				td(out, cell);
			}
			if (show[XCOL_RATE]) {
				int rd;
				const char *mark;
				double rate = report_stat(r, sec, "rate", i, 0, &mark, &rd);
				cell[0] = '\0';
				if (!hidden && !isnan(rate))
					mj_format_number(rate, rd, r->lang, cell, sizeof cell);
				td(out, !hidden && isnan(rate) && mark ? mark : cell);
			}
		}
		g_string_append(out, "</tr>\n");
	}
	free(pct);
	g_string_append(out, "</tbody>\n</table>\n</div>\n");
	g_string_free(id, TRUE);
}

/* Appends text as paragraphs of class cls, one per line. */
/* The month in its trend, as the PDF's second page has it: what it
 * says, then the table of the months and their changes. */
static enum mj_status trend(GString *out, const struct report *r, struct mj_error *err)
{
	const struct report_trend *tr = &r->trend;
	char title[192];
	element(out, "h3", "id=\"h-trend\"", report_trend_title(r, title, sizeof title));
	char *say = report_trend_sentences(r);
	if (say)
		element(out, "p", "", say);
	/* The columns of the months, as the PDF draws them. */
	GByteArray *mem;
	enum mj_status st = svg_draw(r, NULL, NULL, CHART_W, TREND_H, &mem, err);
	if (st != MJ_OK) {
		g_free(say);
		return st;
	}
	svg_figure(out, r, mem, CHART_W, TREND_H, "c-trend", title, say ? say : title);
	g_byte_array_free(mem, TRUE);
	g_free(say);
	g_string_append(out, "<div class=\"tw\" role=\"region\" tabindex=\"0\" "
			"aria-labelledby=\"t-trend\">\n<table>\n<caption id=\"t-trend\" class=\"vh\">");
	esc(out, title);
	g_string_append(out, "</caption>\n<thead>\n<tr>");
	static const char *const heads[] = {"trend_month", "trend_appeals", "trend_on_prev",
					     "trend_on_year"};
	for (size_t k = 0; k < 4; k++)
		element(out, "th", "scope=\"col\"", report_word(r, heads[k]));
	g_string_append(out, "</tr>\n</thead>\n<tbody>\n");
	for (int m = tr->first; m <= tr->last; m++) {
		char cell[128];
		double v;
		g_string_append(out, m == tr->last ? "<tr class=\"tot\">" : "<tr>");
		element(out, "th", "scope=\"row\"", report_trend_month(r, m, 4, cell, sizeof cell));
		if (report_trend_value(r, m, &v))
			mj_format_number(v, -1, r->lang, cell, sizeof cell);
		else
			snprintf(cell, sizeof cell, "<%ld", r->min_cell);
		td(out, cell);
		static const int back[] = {1, 12};
		for (size_t k = 0; k < 2; k++) {
			struct mj_trend_change c;
			if (report_trend_change(r, m, m - back[k], &c)) {
				report_trend_change_text(r, &c, cell, sizeof cell);
				if (mj_trend_within_chance(&c)) {
					size_t used = strlen(cell);
					snprintf(cell + used, sizeof cell - used, " ≈");
				}
			} else {
				snprintf(cell, sizeof cell, "—");
			}
			td(out, cell);
		}
		g_string_append(out, "</tr>\n");
	}
	g_string_append(out, "</tbody>\n</table>\n</div>\n");
	element(out, "p", "class=\"note\"", report_word(r, "trend_legend_same"));
	if (report_trend_has_empty(r))
		element(out, "p", "class=\"note\"", report_word(r, "trend_legend_gap"));
	if (!r->trend.mix)
		return MJ_OK;
	/* The main breakdown's mix in each month, as 100% bars. */
	char mix[256];
	report_trend_mix_title(r, mix, sizeof mix);
	element(out, "h3", "id=\"h-mix\"", mix);
	struct mj_chart_opts co;
	mj_chart_opts_init(&co);
	co.type = MJ_CHART_STACKED;
	co.percent = 1;
	co.lang = (int)r->lang;
	co.title = "";
	co.subtitle = report_word(r, "mix_sub");
	co.note = "";
	co.font_size = 11.5;
	char *dropped = NULL;
	struct mj_table *ct = mj_chart_shown(r->trend.mix, r->schema, co.type, (int)r->lang,
					     &dropped);
	if (!ct)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	double h = 90 + 30.0 * (double)ct->nrows;
	st = svg_draw(r, ct, &co, CHART_W, h, &mem, err);
	mj_table_destroy(ct);
	if (st == MJ_OK) {
		svg_figure(out, r, mem, CHART_W, h, "c-mix", mix, mix);
		g_byte_array_free(mem, TRUE);
		if (dropped)
			element(out, "p", "class=\"note\"", dropped);
	}
	free(dropped);
	return st;
}

static void lines(GString *out, const char *text, const char *cls)
{
	char **l = g_strsplit(text, "\n", -1);
	for (char **p = l; *p; p++)
		if (**p)
			element(out, "p", cls, *p);
	g_strfreev(l);
}

/* The method section: what the PDF's last page says. */
static void method(GString *out, const struct report *r)
{
	g_string_append(out, "<section id=\"method\" aria-labelledby=\"h-method\">\n");
	element(out, "h2", "id=\"h-method\"", report_word(r, "method_title"));
	char *m = report_method(r);
	element(out, "p", "", m);
	g_free(m);
	char *tables = report_tables_text(r, 0);
	element(out, "p", "", tables);
	g_free(tables);
	element(out, "p", "", report_word(r, r->stats.rejected ? "rejected_some" : "rejected_none"));
	char *rejected = report_rejected_text(r);
	if (rejected) {
		element(out, "p", "class=\"note\"", rejected);
		g_free(rejected);
	}
	g_string_append(out, "</section>\n");
}

/* The whole page into out. */
static enum mj_status page(GString *out, const struct report *r, struct mj_error *err)
{
	GPtrArray *para = report_narrative(r);
	const char *title = g_ptr_array_index(para, 0);
	g_string_append_printf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
			       "<meta charset=\"utf-8\">\n"
			       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
			       mj_lang_tag(r->lang));
	element(out, "title", "", title);
	g_string_append(out, "<meta name=\"generator\" content=\"");
	esc(out, r->program);
	g_string_append_printf(out, "\">\n<style>\n%s</style>\n</head>\n<body>\n", style);
	g_string_append(out, "<a class=\"skip\" href=\"#main\">");
	esc(out, page_word(r, "skip"));
	g_string_append(out, "</a>\n<header>\n");
	element(out, "h1", "", title);
	char sub[512];
	element(out, "p", "class=\"sub\"", report_first_subtitle(r, sub, sizeof sub));
	g_string_append(out, "</header>\n");

	/* Contents: a link to each section. */
	g_string_append(out, "<nav aria-labelledby=\"h-contents\">\n");
	element(out, "h2", "id=\"h-contents\"", page_word(r, "contents"));
	g_string_append(out, "<ol>\n");
	for (size_t i = 0; i < r->n; i++) {
		GString *id = g_string_new(NULL);
		section_id(id, "s-", r->sections[i]->code);
		g_string_append_printf(out, "<li><a href=\"#%s\">", id->str);
		esc(out, r->t[i]->title);
		g_string_append(out, "</a></li>\n");
		g_string_free(id, TRUE);
	}
	g_string_append(out, "<li><a href=\"#method\">");
	esc(out, report_word(r, "method_title"));
	g_string_append(out, "</a></li>\n</ol>\n</nav>\n<main id=\"main\">\n");

	struct report_figures kf;
	report_key_figures(r, &kf);
	g_string_append(out, "<section aria-labelledby=\"h-key\">\n");
	element(out, "h2", "id=\"h-key\"", report_word(r, "key_figures"));
	g_string_append(out, "<ul class=\"kf\">\n");
	for (size_t i = 0; i < kf.n; i++) {
		g_string_append(out, "<li><span class=\"n\">");
		esc(out, kf.num[i]);
		g_string_append(out, "</span> <span class=\"l\">");
		text(out, kf.lab[i]);
		g_string_append(out, "</span></li>\n");
	}
	g_string_append(out, "</ul>\n");
	/* A box that reads "x" says why under the boxes, as in the PDF. */
	int any_x = 0;
	for (size_t i = 0; i < kf.n; i++)
		any_x |= strcmp(kf.num[i], "x") == 0;
	if (any_x) {
		GString *note = g_string_new(mj_table_mark_note(r->lang));
		g_string_append_c(note, '.');
		element(out, "p", "class=\"note\"", note->str);
		g_string_free(note, TRUE);
	}
	g_string_append(out, "</section>\n");

	/* The narrative, without its method paragraph (the method has it). */
	g_string_append(out, "<section aria-labelledby=\"h-summary\">\n");
	element(out, "h2", "id=\"h-summary\"", page_word(r, "summary"));
	for (guint i = 1; i + 1 < para->len; i++)
		element(out, "p", "", g_ptr_array_index(para, i));
	g_string_append(out, "</section>\n");

	enum mj_status st = MJ_OK;
	for (size_t i = 0; i < r->n && st == MJ_OK; i++) {
		GString *id = g_string_new(NULL);
		section_id(id, "s-", r->sections[i]->code);
		g_string_append_printf(out, "<section class=\"t\" id=\"%s\" aria-labelledby=\"h%s\">\n",
				       id->str, id->str);
		g_string_append_printf(out, "<h2 id=\"h%s\">", id->str);
		esc(out, r->t[i]->title);
		g_string_append(out, "</h2>\n");
		g_string_free(id, TRUE);
		table(out, r, i);
		/* The months' table carries the month in its trend. */
		int by_month = report_trend_section(r, i);
		if (by_month)
			st = trend(out, r, err);
		char *notes = report_table_notes(r, i);
		if (notes)
			lines(out, notes, "class=\"note\"");
		g_free(notes);
		/* The trend's columns stand for the chart of the period's
		 * months (one point, with --month). */
		if (st == MJ_OK && !by_month)
			st = figure(out, r, i, err);
		g_string_append(out, "</section>\n");
	}
	method(out, r);
	g_string_append(out, "</main>\n<footer>\n<p>");
	if (r->stats.period_from[0]) {
		text(out, r->stats.period_from);
		g_string_append(out, " – ");
		text(out, r->stats.period_to);
		g_string_append(out, " · ");
		GString *gen = g_string_new(NULL);
		report_append_word(gen, r, "generated", r->date);
		text(out, gen->str);
		g_string_free(gen, TRUE);
		g_string_append(out, " · ");
	}
	esc(out, r->program);
	g_string_append(out, "</p>\n</footer>\n</body>\n</html>\n");
	g_ptr_array_unref(para);
	return st;
}

enum mj_status report_html_write(const struct report *r, const char *path,
				 struct mj_error *err)
{
	GString *out = g_string_sized_new(1 << 20);
	enum mj_status st = page(out, r, err);
	if (st == MJ_OK)
		st = report_file_write(path, out, err);
	g_string_free(out, TRUE);
	return st;
}
