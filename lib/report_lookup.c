/* What the report looks up in its own tables: a section's table by its
 * breakdown, whether a table counts anything, the statistics a chart
 * draws, how the schema's sections ask to be spoken of. Below every page
 * writer. */
#include <string.h>

#include "report_internal.h"
#include "schema_internal.h"

int report_same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

const struct mj_table *report_find(const struct report *r, const char *by,
				   const char *cols, const char *sum)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct mj_schema_section *sec = r->sections[i];
		if (sec->nwhere == 0 && strcmp(sec->by, by) == 0 &&
		    report_same_str(sec->cols, cols) && report_same_str(sec->sum, sum))
			return r->t[i];
	}
	return NULL;
}

int report_forms(const struct report *r)
{
	size_t want = 0, have = 0;
	for (size_t i = 0; i < mj_schema_nsections(r->schema); i++)
		want += mj_schema_section(r->schema, i)->say != MJ_SAY_GENERAL;
	for (size_t i = 0; i < r->n; i++)
		have += r->sections[i]->say != MJ_SAY_GENERAL;
	return want > 0 && have == want;
}

long report_say_find(const struct report *r, int say)
{
	if (!report_forms(r))
		return -1;
	for (size_t i = 0; i < r->n; i++)
		if (r->sections[i]->say == say)
			return (long)i;
	return -1;
}

const char *report_say_word(const struct report *r, const char *code,
			    const char *fallback)
{
	const char *text = report_forms(r) ? mj_schema_say_text(r->schema, code, r->lang)
			   : NULL;
	return text ? text : fallback;
}

int report_table_empty(const struct mj_table *t)
{
	const struct mj_table_row *tot = mj_table_total(t);
	return !tot || tot->values[t->ncols - 1] == 0;
}

void report_chart_stats(const struct report *r, size_t sec, struct mj_chart_opts *co)
{
	if (!r->so || !(r->so->ci_level > 0) || !r->sx || r->sections[sec]->sum)
		return;
	co->stats = &r->sx[sec];
	co->ci_level = r->so->ci_level;
	co->ci_method = (int)r->so->ci_method;
}
