/* What the PDF and the web page both say besides the tables: the key
 * figures, the subtitles, the notes under a table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "schema_internal.h"

/* The key figures as boxes: the total, each category of the headline
 * section (say=headline) or else of the first section that counts records
 * one way, then what its placed sections (say=placed:CODE) count, or
 * else each summed measure's total. */
void report_key_figures(const struct report *r, struct report_figures *kf)
{
	char (*num)[96] = kf->num;
	char (*lab)[160] = kf->lab;
	size_t n = 0;
	long h = report_say_find(r, MJ_SAY_HEADLINE);
	const struct mj_table *g = h >= 0 ? r->t[h] : NULL;
	for (size_t i = 0; i < r->n && !g; i++) {
		const struct mj_schema_section *sec = r->sections[i];
		if (!sec->cols && !sec->sum && sec->nwhere == 0 && r->t[i]->ndims == 1)
			g = r->t[i];
	}
	const struct mj_table_row *tot = g ? mj_table_total(g) : NULL;
	if (tot) {
		report_cell(r, g, (size_t)(tot - g->rows), 0, 0, num[n], sizeof num[n]);
	} else {
		mj_format_number((double)r->stats.counted, -1, r->lang, num[n], sizeof num[n]);
	}
	/* Under the headline's total, the noun agrees with the number: 1
	 * обращение, 2 обращения. */
	double shown = tot ? tot->values[0] : (double)r->stats.counted;
	const char *noun = h >= 0 ? report_noun(r, shown, NULL) : NULL;
	if (noun) {
		snprintf(lab[n], sizeof lab[0], "%s", noun);
	} else {
		char *unit = g_utf8_strdown(mj_schema_unit_label(r->schema, r->lang), -1);
		snprintf(lab[n], sizeof lab[0], "%s", unit);
		g_free(unit);
	}
	double now, before, pc;
	size_t gsec = 0;
	while (g && gsec + 1 < r->n && r->t[gsec] != g)
		gsec++;
	if (tot && report_change(r, gsec, (size_t)(tot - g->rows), 0, &now, &before, &pc)) {
		/* "appeals · +5.9% compared with July 2023" */
		char c[48], phrase[160];
		GString *k = g_string_new(NULL);
		report_append_word(k, r, "k_change", lab[n],
				   report_change_text(r, now - before, pc, c, sizeof c),
				   report_compare_phrase(r, phrase, sizeof phrase));
		/* As the trend's box says it: a change within chance is no
		 * rise or fall to report. */
		if (now != before && report_change_same(now, before))
			g_string_append_printf(k, " · %s", report_word(r, "trend_k_same"));
		snprintf(lab[n], sizeof lab[0], "%s", k->str);
		g_string_free(k, TRUE);
	}
	n++;
	/* The month against the month before, a year before, and the year so
	 * far. */
	kf->n = n;
	report_trend_figures(r, kf);
	n = kf->n;
	/* Boxes beyond these would crowd the page. */
	for (size_t i = 0; g && i < g->nrows && n < 9; i++) {
		const struct mj_table_row *row = &g->rows[i];
		if (row->kind != MJ_ROW_CATEGORY ||
		    (!row->suppressed[0] && row->values[0] == 0))
			continue;
		/* The count large, its share beside the label. */
		report_cell(r, g, i, 0, 0, num[n], sizeof num[n]);
		char cell[96];
		report_cell(r, g, i, 0, 1, cell, sizeof cell);
		const char *share = strchr(cell, '(');
		snprintf(lab[n++], sizeof lab[0], "%s%s%s", mj_table_row_label(g, row),
			 share ? " " : "", share ? share : "");
	}
	int forms = report_forms(r);
	/* Each summed measure once: its total, unless it is said as placed. */
	for (size_t i = 0; i < r->n && n < 12; i++) {
		const struct mj_schema_section *sec = r->sections[i];
		if (!sec->sum || sec->nwhere || (forms && sec->say == MJ_SAY_PLACED))
			continue;
		int seen = 0;
		for (size_t j = 0; j < i; j++)
			seen |= r->sections[j]->sum && r->sections[j]->nwhere == 0 &&
				strcmp(r->sections[j]->sum, sec->sum) == 0;
		const struct mj_table *t = r->t[i];
		const struct mj_table_row *st = mj_table_total(t);
		int d = mj_schema_dim_find(r->schema, sec->sum);
		if (seen || !st || d < 0)
			continue;
		report_cell(r, t, (size_t)(st - t->rows), t->ncols - 1, 0, num[n],
			    sizeof num[n]);
		snprintf(lab[n++], sizeof lab[0], "%s",
			 mj_schema_dim_label(r->schema, (size_t)d, r->lang));
	}
	/* Those placed ("Placed in the centre"), then the sum placed with
	 * them. */
	for (size_t s = 0; forms && s < r->n; s++) {
		const struct mj_schema_section *sec = r->sections[s];
		if (sec->say != MJ_SAY_PLACED)
			continue;
		const struct mj_table *o = report_find(r, sec->by, NULL, NULL);
		const struct mj_table *c = r->t[s];
		for (size_t i = 0; o && i < o->nrows && n + 2 <= REPORT_FIGURES_MAX; i++) {
			if (o->rows[i].kind != MJ_ROW_CATEGORY ||
			    strcmp(o->rows[i].codes[0], sec->say_code) != 0)
				continue;
			report_cell(r, o, i, 0, 0, num[n], sizeof num[n]);
			/* Its caption: the schema's say_placed_caption ("Размещено
			 * в центре", a heading for any count), else the category's
			 * label. */
			snprintf(lab[n++], sizeof lab[0], "%s",
				 report_say_word(r, "say_placed_caption",
						 mj_table_row_label(o, &o->rows[i])));
			/* The sum's caption: the schema's say_placed_sum ("children
			 * placed with them"), else the summed dimension's label. */
			int sd = mj_schema_dim_find(r->schema, sec->sum);
			const char *cap = report_say_word(r, "say_placed_sum",
				sd >= 0 ? mj_schema_dim_label(r->schema, (size_t)sd, r->lang) : sec->sum);
			for (size_t j = 0; j < c->nrows && n < REPORT_FIGURES_MAX; j++)
				if (c->rows[j].kind == MJ_ROW_CATEGORY &&
				    strcmp(c->rows[j].codes[0], sec->say_code) == 0) {
					report_cell(r, c, j, 0, 0, num[n], sizeof num[n]);
					snprintf(lab[n++], sizeof lab[0], "%s", cap);
				}
		}
	}
	kf->n = n;
}

/* Whether some category or subtotal in column col of section sec has the
 * statistic name (a total's alone is no reason for a column: the rate of
 * all appeals in a table by a dimension the population file lacks). */
static int stat_any(const struct report *r, size_t sec, const char *name, size_t col)
{
	for (size_t i = 0; i < r->t[sec]->nrows; i++)
		if (r->t[sec]->rows[i].kind != MJ_ROW_TOTAL &&
		    !isnan(report_stat(r, sec, name, i, col, NULL, NULL)))
			return 1;
	return 0;
}

int report_stat_any(const struct report *r, size_t sec, const char *name, size_t col)
{
	return stat_any(r, sec, name, col);
}

/* Under a table: its chi-square test (as mj-tab prints it) and the notes
 * of its statistics. */
/* Whether a change in section sec's table is marked "≈" (within chance):
 * the rows of a one-way table compared with another period. */
static int shows_same(const struct report *r, size_t sec)
{
	const struct mj_table *t = r->t[sec];
	for (size_t i = 0; r->prev && t->ncols == 1 && i < t->nrows; i++) {
		double now, before, pct;
		if (report_change(r, sec, i, 0, &now, &before, &pct) &&
		    report_change_marked(now, before))
			return 1;
	}
	return 0;
}

char *report_table_notes(const struct report *r, size_t sec)
{
	GString *text = g_string_new(NULL);
	/* The "x" mark is explained under every table that shows it, and so
	 * is "≈". */
	if (mj_table_has_hidden(r->t[sec], MJ_HIDDEN_COMPLEMENT))
		g_string_append_printf(text, "%s.\n", mj_table_mark_note(r->lang));
	if (shows_same(r, sec))
		g_string_append_printf(text, "%s\n", report_word(r, "trend_legend_same"));
	const struct mj_stats *s = r->sx ? &r->sx[sec] : NULL;
	if (!s) {
		/* Nothing more to say. */
	} else if (s->has_test) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (f) {
			mj_chi2_write(f, &s->test, r->lang);
			fclose(f);
			/* Lines aligned for a fixed-width terminal: here one space
			 * between words, no blank lines. */
			char **lines = g_strsplit(buf ? buf : "", "\n", -1);
			for (char **l = lines; *l; l++) {
				char **words = g_strsplit_set(g_strstrip(*l), " ", -1);
				int any = 0;
				for (char **w = words; *w; w++)
					if (**w) {
						g_string_append_printf(text, "%s%s", any ? " " : "", *w);
						any = 1;
					}
				if (any)
					g_string_append_c(text, '\n');
				g_strfreev(words);
			}
			g_strfreev(lines);
		}
		free(buf);
	} else if (s->test_problem[0]) {
		g_string_append_printf(text, "%s\n", s->test_problem);
	}
	size_t nnotes = s ? s->nnotes : 0;
	/* Only the notes of what the table shows: a cross-tab here shows
	 * counts alone, and the method page tells of the comparison. */
	int cross = r->t[sec]->col_dim != NULL;
	for (size_t k = 0; k < nnotes; k++) {
		int kind = r->note_kind ? r->note_kind[sec][k] : REPORT_NOTE_MULTI;
		if (kind == REPORT_NOTE_COMPARE ||
		    (cross && (kind == REPORT_NOTE_CI || kind == REPORT_NOTE_RATES)) ||
		    (kind == REPORT_NOTE_RATES && !stat_any(r, sec, "rate", 0)))
			continue;
		g_string_append_printf(text, "%s\n", s->notes[k]);
	}
	while (text->len && text->str[text->len - 1] == '\n')
		g_string_truncate(text, text->len - 1);
	return g_string_free(text, text->len == 0);
}

/* "period · n = N · source", and the filters that the table's records
 * passed, as every table page shows them. */
static void subtitle(const struct report *r, const struct mj_table *t,
		     const char *filters, char *buf, size_t len)
{
	char n[64];
	const struct mj_table_row *tot = mj_table_total(t);
	/* n is a number of records: a sum's total (of children) is not one. */
	mj_format_number(mj_table_is_sum(t) ? (double)t->n_counted
			 : tot ? tot->values[t->ncols - 1] : 0, -1, r->lang, n, sizeof n);
	/* Records without dates have no period to show. */
	if (r->stats.period_from[0])
	{
		char range[80];
		snprintf(buf, len, "%s · n = %s · %s", report_range(r, r->stats.period_from,
			 r->stats.period_to, range, sizeof range), n, r->source ? r->source : "");
	}
	else
		snprintf(buf, len, "n = %s · %s", n, r->source ? r->source : "");
	if (filters && *filters) {
		size_t used = strlen(buf);
		if (used < len)
			report_filters_text(r, filters, buf + used, len - used);
	}
}

char *report_first_subtitle(const struct report *r, char *buf, size_t len)
{
	/* What was counted, in the report's language, and from where. */
	snprintf(buf, len, "%s · %s", mj_schema_title(r->schema, r->lang),
		 r->source ? r->source : "");
	if (r->filters && *r->filters) {
		size_t used = strlen(buf);
		if (used < len)
			report_filters_text(r, r->filters, buf + used, len - used);
	}
	return buf;
}

char *report_section_subtitle(const struct report *r, size_t section, char *buf,
			      size_t len)
{
	const struct mj_schema_section *sec = r->sections[section];
	const struct mj_table *t = r->t[section];
	/* A section that keeps only some records says which: its table's
	 * filters are the run's and its own. */
	subtitle(r, t, sec->nwhere ? t->filters : r->filters, buf, len);
	return buf;
}

char *report_rejected_text(const struct report *r)
{
	if (!r->rejected || !r->rejected->len)
		return NULL;
	GString *s = g_string_new(report_word(r, "rejected_at"));
	g_string_append(s, r->rejected->str);
	if (r->rejected_more) {
		char n[64];
		mj_format_number((double)r->rejected_more, -1, r->lang, n, sizeof n);
		report_append_word(s, r, "rejected_more", n);
	} else {
		g_string_append_c(s, '.');
	}
	return g_string_free(s, FALSE);
}
