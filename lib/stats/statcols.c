/* The statistics columns and notes that travel beside a table to its
 * writers (struct mj_stats). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/stats.h"
#include "stats_internal.h"

enum mj_lang stats_lang(const struct mj_table *t)
{
	int l = mj_lang_parse(t->lang);
	return l < 0 ? MJ_LANG_EN : (enum mj_lang)l;
}

/* Columns ------------------------------------------------------------- */

void mj_stats_init(struct mj_stats *s)
{
	memset(s, 0, sizeof *s);
}

void mj_stats_free(struct mj_stats *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ncols; i++) {
		free(s->cols[i].values);
		free(s->cols[i].marks);
	}
	for (size_t i = 0; i < s->nnotes; i++)
		free(s->notes[i]);
	free(s->mark_text);
	mj_stats_init(s);
}

enum mj_status mj_stats_note(struct mj_stats *s, const char *text)
{
	if (s->nnotes == MJ_STATS_MAXNOTES)
		return MJ_E_LIMIT;
	char *copy = strdup(text);
	if (!copy)
		return MJ_E_NOMEM;
	s->notes[s->nnotes++] = copy;
	return MJ_OK;
}

struct mj_stat_col *stats_add_col(struct mj_stats *s, const struct mj_table *t,
				   const char *name, const char *title, int decimals,
				   int want_marks, struct mj_error *err)
{
	if (s->ncols == MJ_STATS_MAXCOLS) {
		mj_error_set(err, MJ_E_LIMIT, NULL, 0, 0, "more than %d statistics columns",
			     MJ_STATS_MAXCOLS);
		return NULL;
	}
	struct mj_stat_col *c = &s->cols[s->ncols];
	memset(c, 0, sizeof *c);
	size_t n = t->nrows * t->ncols;
	c->values = malloc((n ? n : 1) * sizeof *c->values);
	c->marks = want_marks ? calloc(n ? n : 1, sizeof *c->marks) : NULL;
	if (!c->values || (want_marks && !c->marks)) {
		free(c->values);
		free(c->marks);
		mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		c->values[i] = NAN;
	snprintf(c->name, sizeof c->name, "%s", name);
	snprintf(c->title, sizeof c->title, "%s", title);
	c->decimals = decimals;
	s->ncols++;
	return c;
}

const struct mj_stat_col *mj_stats_col(const struct mj_stats *s, const char *name)
{
	for (size_t i = 0; s && i < s->ncols; i++)
		if (strcmp(s->cols[i].name, name) == 0 && s->cols[i].values)
			return &s->cols[i];
	return NULL;
}
