/* The header of mj-tab --excel's CSV in the table's language: a Russian or
 * Uzbek Excel user reads words; pipes (plain CSV, TSV, JSON) keep the
 * machine names that mj-chart and mj-xlsx read back. */
#include "csvhead.h"

#include <string.h>

#include "murojaat/schema.h"
#include "text.h"

struct word {
	const char *name;
	const char *w[MJ_LANG_COUNT];
};

/* Column names of tabwrite.c and their words (as in the workbook). */
static const struct word words[] = {
	{"count", {"count", "Число", "Soni", "Сони"}},
	{"percent", {"percent", "%", "%", "%"}},
	{"row_percent", {"row_percent", "% по строке", "Qator boʻyicha %", "Қатор бўйича %"}},
	{"col_percent", {"col_percent", "% по столбцу", "Ustun boʻyicha %", "Устун бўйича %"}},
	{"valid_percent", {"valid_percent", "% от указанных", "Koʻrsatilganlardan %",
			   "Кўрсатилганлардан %"}},
	{"cum_percent", {"cum_percent", "Накопленный %", "Jamlangan %", "Жамланган %"}},
	{"percent_base", {"percent_base", "База %", "% asosi", "% асоси"}},
	{"row_percent_base", {"row_percent_base", "База % по строке", "Qator boʻyicha % asosi",
			      "Қатор бўйича % асоси"}},
	{"col_percent_base", {"col_percent_base", "База % по столбцу", "Ustun boʻyicha % asosi",
			      "Устун бўйича % асоси"}},
	{"valid_percent_base", {"valid_percent_base", "База % от указанных",
				"Koʻrsatilganlardan % asosi", "Кўрсатилганлардан % асоси"}},
	{"suppressed", {"suppressed", "Скрыто (малое число)", "Yashirilgan (kichik son)",
			"Яширилган (кичик сон)"}},
	{"hidden", {"hidden", "Скрыто (для защиты)", "Yashirilgan (himoya uchun)",
		    "Яширилган (ҳимоя учун)"}},
	{"title", {"title", "Название", "Nomi", "Номи"}},
	{"lang", {"lang", "Язык", "Til", "Тил"}},
	{"period_from", {"period_from", "Период с", "Davr boshi", "Давр боши"}},
	{"period_to", {"period_to", "Период по", "Davr oxiri", "Давр охири"}},
	{"filters", {"filters", "Фильтры", "Filtrlar", "Фильтрлар"}},
	{"n_read", {"n_read", "Прочитано записей", "Oʻqilgan yozuvlar", "Ўқилган ёзувлар"}},
	{"n_counted", {"n_counted", "Учтено записей", "Hisobga olingan yozuvlar",
		       "Ҳисобга олинган ёзувлар"}},
	{"n_rejected", {"n_rejected", "Отклонено записей", "Rad etilgan yozuvlar",
			"Рад этилган ёзувлар"}},
	{"min_cell", {"min_cell", "Порог скрытия", "Yashirish chegarasi", "Яшириш чегараси"}},
	{"source", {"source", "Источник", "Manba", "Манба"}},
	{"weight", {"weight", "Вес", "Vazn", "Вазн"}},
};

static const char *const code_word[MJ_LANG_COUNT] = {"code", "код", "kod", "код"};
static const char *const note_word[MJ_LANG_COUNT] = {"note", "примечание", "izoh", "изоҳ"};

int csvhead_wanted(const struct mj_table *t)
{
	int lang = t->lang ? mj_lang_parse(t->lang) : -1;
	return lang > 0 && lang < MJ_LANG_COUNT;
}

static void put_text(FILE *out, const char *s, char delim)
{
	mj_csv_put_field(out, s, strlen(s), delim);
}

/* The label of the table's dimension called name (n bytes), or NULL. */
static const char *dim_label(const struct mj_table *t, const char *name, size_t n)
{
	for (size_t i = 0; i < t->ndims; i++)
		if (strlen(t->dims[i]) == n && strncmp(t->dims[i], name, n) == 0)
			return t->dim_labels && t->dim_labels[i] ? t->dim_labels[i] : NULL;
	if (t->col_dim && strlen(t->col_dim) == n && strncmp(t->col_dim, name, n) == 0)
		return t->col_dim_label;
	return NULL;
}

static const char *stat_title(const struct mj_stats *stats, const char *name, size_t n)
{
	for (size_t i = 0; stats && i < stats->ncols; i++)
		if (strlen(stats->cols[i].name) == n &&
		    strncmp(stats->cols[i].name, name, n) == 0 && stats->cols[i].title[0])
			return stats->cols[i].title;
	return NULL;
}

/* One header field (the machine name name, n bytes) in lang. */
static void put_name(FILE *out, const char *name, size_t n, char delim,
		     const struct mj_table *t, const struct mj_stats *stats, int lang)
{
	const char *l = dim_label(t, name, n);
	if (l) {
		put_text(out, l, delim);
		return;
	}
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strlen(words[i].name) == n && strncmp(words[i].name, name, n) == 0) {
			put_text(out, words[i].w[lang], delim);
			return;
		}
	if ((l = stat_title(stats, name, n))) {
		put_text(out, l, delim);
		return;
	}
	char buf[256];
	if (n > 5 && strncmp(name + n - 5, "_code", 5) == 0 &&
	    (l = dim_label(t, name, n - 5))) {
		snprintf(buf, sizeof buf, "%s (%s)", l, code_word[lang]);
		put_text(out, buf, delim);
		return;
	}
	if (n > 5 && strncmp(name + n - 5, "_note", 5) == 0 &&
	    (l = stat_title(stats, name, n - 5))) {
		snprintf(buf, sizeof buf, "%s: %s", l, note_word[lang]);
		put_text(out, buf, delim);
		return;
	}
	/* A name without a word (a summed column): as it is. */
	mj_csv_put_field(out, name, n, delim);
}

void csvhead_put(FILE *out, const char *text, size_t len, char delim,
		 const struct mj_table *t, const struct mj_stats *stats)
{
	int lang = mj_lang_parse(t->lang);
	const char *p = text, *end = text + len;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		fwrite(p, 1, 3, out);
		p += 3;
	}
	const char *eol = memchr(p, '\n', (size_t)(end - p));
	const char *head_end = eol ? eol : end;
	if (head_end > p && head_end[-1] == '\r')
		head_end--;
	/* The header holds machine names only: no quoted field. */
	for (const char *f = p; f <= head_end;) {
		const char *next = memchr(f, delim, (size_t)(head_end - f));
		if (!next)
			next = head_end;
		if (f != p)
			fputc(delim, out);
		put_name(out, f, (size_t)(next - f), delim, t, stats, lang);
		f = next + 1;
	}
	fwrite(head_end, 1, (size_t)(end - head_end), out);
}
