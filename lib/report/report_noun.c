/* Words of the report that follow the language's typography: the noun
 * counted beside a number, dates, ranges, the percent sign.
 *
 * The noun counted agrees with its number:
 * Russian has three forms (1, 21 обращение; 2-4, 22 обращения; 5-20, 11-14,
 * 25 обращений), Uzbek keeps the singular after a number, English the
 * singular for 1 only. The forms come from the schema (noun_one, noun_few,
 * noun_many). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_internal.h"

const char *report_noun_form(enum mj_lang lang, double n)
{
	unsigned long long k = (unsigned long long)llround(fabs(n));
	if (lang == MJ_LANG_RU) {
		if (k % 10 == 1 && k % 100 != 11)
			return "noun_one";
		if (k % 10 >= 2 && k % 10 <= 4 && (k % 100 < 12 || k % 100 > 14))
			return "noun_few";
		return "noun_many";
	}
	if (lang == MJ_LANG_UZ || lang == MJ_LANG_UZ_CYRL || k == 1)
		return "noun_one";
	return "noun_many";
}

const char *report_noun(const struct report *r, double n, const char *fallback)
{
	const char *noun = mj_schema_phrase(r->schema, report_noun_form(r->lang, n), r->lang);
	return noun && *noun ? noun : fallback;
}

char *report_date(const struct report *r, const char *iso, char *buf, size_t len)
{
	return mj_format_date(iso, (enum mj_lang)r->lang, buf, len);
}

char *report_range(const struct report *r, const char *from, const char *to,
		   char *buf, size_t len)
{
	char a[32], b[32];
	/* Russian and Uzbek keep the range on one line (no-break spaces). */
	const char *nb = r->lang == MJ_LANG_EN ? " " : "\u00a0";
	snprintf(buf, len, "%s%s–%s%s", report_date(r, from, a, sizeof a), nb, nb,
		 report_date(r, to, b, sizeof b));
	return buf;
}

const char *report_pct_space(const struct report *r)
{
	return r->lang == MJ_LANG_EN ? "" : "\u00a0";
}
