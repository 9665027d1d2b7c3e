/* The noun counted beside a number in the report, agreeing with it:
 * Russian has three forms (1, 21 обращение; 2-4, 22 обращения; 5-20, 11-14,
 * 25 обращений), Uzbek keeps the singular after a number, English the
 * singular for 1 only. The forms come from the schema (noun_one, noun_few,
 * noun_many). */
#include <math.h>

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
