/* What the report looks up in its own tables: a section's table by its
 * breakdown, whether a table counts anything, the statistics a chart
 * draws, how the schema's sections ask to be spoken of, and its words in
 * each language (one table for the narrative, the trend and the pages).
 * Below every page writer. */
#include <stdarg.h>
#include <string.h>

#include <glib.h>

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
	/* The copies of a layered section (struct report.copies) are not the
	 * schema's. */
	for (size_t i = 0; i < r->n; i++)
		have += r->sections[i]->say != MJ_SAY_GENERAL && !(r->copies && r->sections[i]->layer);
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

/* Every phrase of the report in en, ru, uz (Latin) and uz-Cyrl. A printf
 * format takes its %s arguments in the order the key's comment says. */
static const struct {
	const char *key;
	const char *text[MJ_LANG_COUNT];
} words[] = {
	/* total: N */
	/* total: N, the schema's noun for what is counted (English: agreeing
	 * with N, total_one for 1; Russian: its genitive plural after
	 * "учтено"). The register counts appeals, not people: a person may
	 * appeal twice, and someone else may call on her behalf. */
	{"total", {"In total, %s %s were counted", "Всего учтено %2$s: %1$s",
		   "Jami %s\u00a0ta %s hisobga olindi", "Жами %s\u00a0та %s ҳисобга олинди"}},
	{"total_one", {"In total, %s %s was counted", "Всего учтено %2$s: %1$s",
		   "Jami %s\u00a0ta %s hisobga olindi", "Жами %s\u00a0та %s ҳисобга олинди"}},
	/* total_unit: N, the unit's label, for a schema without the noun's
	 * forms (no agreement with the number to get wrong) */
	{"total_unit", {"%2$s in total: %1$s", "%2$s, всего: %1$s", "%2$s, jami: %1$s",
			"%2$s, жами: %1$s"}},
	{"of_whom", {", of which ", "; из них ", ", shundan ", ", шундан "}},
	/* first item of the group list: cell, label */
	{"group_first", {"%s concerned %s", "%s — %s", "%2$s — %1$s", "%2$s — %1$s"}},
	{"group_item", {"%s %s", "%s — %s", "%2$s — %1$s", "%2$s — %1$s"}},
	{"and", {" and ", " и ", " va ", " ва "}},
	{"of_which", {", of which ", ", из них ", ", shundan ", ", шундан "}},
	/* month: busiest month, count, quietest month, count */
	{"month", {"By month, the most appeals came in %s (%s) and the fewest in %s (%s).",
		   "Больше всего обращений поступило в %s (%s), меньше всего — в %s (%s).",
		   "Eng koʻp murojaat %s (%s), eng kam murojaat %s (%s) tushdi.",
		   "Энг кўп мурожаат %s (%s), энг кам мурожаат %s (%s) тушди."}},
	/* method: read, counted, excluded, rejected */
	/* Said under the heading method_title, so without a label of its own
	 * (the summary's paragraph of it reads alone). */
	{"method", {"%s rows read, %s counted, %s outside the period or filters, %s rejected as invalid.",
		    "Прочитано строк: %s, учтено: %s, вне периода или фильтров: %s, отклонено как ошибочных: %s.",
		    "Oʻqilgan qatorlar: %s, hisobga olingan: %s, davr yoki filtrlardan tashqari: %s, xato deb rad etilgan: %s.",
		    "Ўқилган қаторлар: %s, ҳисобга олинган: %s, давр ёки фильтрлардан ташқари: %s, хато деб рад этилган: %s."}},
	/* period: from, to */
	{"period", {"Period: %s to %s.", "Период: с %s по %s.", "Davr: %s\u00a0– %s.",
		    "Давр: %s\u00a0– %s."}},
	{"source", {"Source: %s.", "Источник: %s.", "Manba: %s.", "Манба: %s."}},
	{"filters", {"Filters: %s.", "Фильтры: %s.", "Filtrlar: %s.", "Фильтрлар: %s."}},
	/* suppress: N-1, N */
	{"suppress", {"Counts from 1 to %1$s are shown as <%2$s. Cells hidden only so that those counts cannot be worked out from totals are shown as x: not shown, to protect small numbers.",
		      "Значения от 1 до %1$s показаны как <%2$s. Ячейки, скрытые лишь для того, чтобы эти значения нельзя было вычислить из итогов, показаны как x: не показано, чтобы защитить малые числа.",
		      "1–%1$s oraligʻidagi sonlar <%2$s deb koʻrsatilgan. Faqat bu sonlarni jamidan hisoblab boʻlmasligi uchun yashirilgan kataklar x deb koʻrsatilgan: kichik sonlarni himoya qilish uchun koʻrsatilmagan.",
		      "1–%1$s оралиғидаги сонлар <%2$s деб кўрсатилган. Фақат бу сонларни жамидан ҳисоблаб бўлмаслиги учун яширилган катаклар x деб кўрсатилган: кичик сонларни ҳимоя қилиш учун кўрсатилмаган."}},
	/* withheld: a label whose count is hidden to protect others (no
	 * figure is named for it, not even "<N") */
	{"withheld", {"the figure for %s is withheld", "%s: число не показано",
		      "%s: soni koʻrsatilmagan", "%s: сони кўрсатилмаган"}},
	/* The general sentences, for sections without a form of their own. */
	/* g_total: unit label, N */
	{"g_total", {"%s: %s in total.", "%s: всего %s.", "%s: jami %s.", "%s: жами %s."}},
	/* g_section: section title, N */
	{"g_section", {"%s: %s in total", "%s: всего %s", "%s: jami %s", "%s: жами %s"}},
	{"g_largest", {"; the largest: ", "; больше всего: ", "; eng koʻpi: ", "; энг кўпи: "}},
	{"g_all", {"; of which ", "; из них ", "; shundan ", "; шундан "}},
	{"g_percent_note", {"Percents are of the total of each table, rounded to one decimal.",
			    "Проценты — от итога каждой таблицы, с точностью до десятой.",
			    "Foizlar har bir jadval jamidan, oʻndan birgacha yaxlitlangan.",
			    "Фоизлар ҳар бир жадвал жамидан, ўндан биргача яхлитланган."}},
	/* The same when a cross-table's bars show the mix of each row. */
	{"g_percent_note_cross", {"Percents are of the total of each table (in a cross-table's bars, of each row's total), rounded to one decimal.",
			    "Проценты — от итога каждой таблицы (в столбиках перекрёстной таблицы — от итога каждой строки), с точностью до десятой.",
			    "Foizlar har bir jadval jamidan (kesishma jadval ustunlarida — har bir qator jamidan), oʻndan birgacha yaxlitlangan.",
			    "Фоизлар ҳар бир жадвал жамидан (кесишма жадвал устунларида — ҳар бир қатор жамидан), ўндан биргача яхлитланган."}},
	/* g_own_filter: "title (filter)" joined with "; " */
	{"g_own_filter", {"These tables keep only some of the records: %s.",
			  "Эти таблицы учитывают только часть записей: %s.",
			  "Bu jadvallar yozuvlarning faqat bir qismini hisobga oladi: %s.",
			  "Бу жадваллар ёзувларнинг фақат бир қисмини ҳисобга олади: %s."}},
	{"g_nothing", {"No records were counted in this period.",
		       "За этот период записей не учтено.",
		       "Bu davrda yozuvlar hisobga olinmadi.",
		       "Бу даврда ёзувлар ҳисобга олинмади."}},
	/* Comparisons. total_change: change, compared-period phrase, compared count */
	{"total_change", {" (%s %s: %s)", " (%s %s: %s)", " (%2$s %1$s: %3$s)",
			  " (%2$s %1$s: %3$s)"}},
	/* changes: compared-period phrase */
	{"changes", {"Changes %s: ", "Изменения %s: ", "%s oʻzgarishlar: ",
		     "%s ўзгаришлар: "}},
	{"rises", {"the largest rises: ", "наибольший рост — ", "eng katta oʻsish — ",
		   "энг катта ўсиш — "}},
	{"falls", {"the largest falls: ", "наибольшее снижение — ", "eng katta kamayish — ",
		   "энг катта камайиш — "}},
	{"rise", {"rises: ", "рост — ", "oʻsish — ", "ўсиш — "}},
	/* Between a label ending in a digit and its change in those lists:
	 * not the mark that opens the list ("rises: 30–44 — +82", "рост —
	 * 30–44: +82"). */
	{"change_sep", {"\u00a0— ", ": ", ": ", ": "}},
	{"fall", {"falls: ", "снижение — ", "kamayish — ", "камайиш — "}},
	{"no_change", {"no change", "без изменений", "oʻzgarishsiz", "ўзгаришсиз"}},
	/* compare_method: from, to, count */
	{"compare_method", {"Changes are against %s to %s (%s counted) with the same filters; a change is not shown where either count is suppressed.",
			    "Изменения — по сравнению с периодом с %s по %s (учтено: %s) с теми же фильтрами; изменение не показано, если одно из чисел скрыто.",
			    "Oʻzgarishlar %s\u00a0– %s davri bilan (hisobga olingan: %s) shu filtrlar bilan taqqoslangan; sonlardan biri yashirilgan boʻlsa, oʻzgarish koʻrsatilmaydi.",
			    "Ўзгаришлар %s\u00a0– %s даври билан (ҳисобга олинган: %s) шу фильтрлар билан таққосланган; сонлардан бири яширилган бўлса, ўзгариш кўрсатилмайди."}},
	/* compare_test: the base below which no percent */
	{"compare_test", {"A change within chance (the exact conditional test of two Poisson counts gives a two-sided p of 0.05 or more) is marked ≈ or said to be within chance; a change on a base under %s is given as a count only.",
			  "Изменение в пределах случайных колебаний (точный условный тест для двух пуассоновских величин даёт двустороннее p не меньше 0,05) отмечено ≈ или названо так; изменение при базе меньше %s дано только числом.",
			  "Tasodifiy tebranishlar doirasidagi oʻzgarish (ikki Puasson sanogʻi uchun aniq shartli test ikki tomonlama p ni 0,05 yoki undan katta beradi) ≈ bilan belgilangan yoki shunday deb aytilgan; asosi %s\u00a0tadan kichik oʻzgarish faqat son bilan berilgan.",
			  "Тасодифий тебранишлар доирасидаги ўзгариш (икки Пуассон саноғи учун аниқ шартли тест икки томонлама p ни 0,05 ёки ундан катта беради) ≈ билан белгиланган ёки шундай деб айтилган; асоси %s\u00a0тадан кичик ўзгариш фақат сон билан берилган."}},
	{"within_chance", {"within chance", "в пределах случайных колебаний",
			   "tasodifiy tebranishlar doirasida", "тасодифий тебранишлар доирасида"}},
	{"all_within_chance", {", all within chance", ", все в пределах случайных колебаний",
			       ", barchasi tasodifiy tebranishlar doirasida",
			       ", барчаси тасодифий тебранишлар доирасида"}},
	/* compare_empty: the compared period */
	{"compare_empty", {"No records were counted in the period compared with (%s), so no changes are shown.",
			   "В периоде для сравнения (%s) записей не учтено, поэтому изменения не показаны.",
			   "Taqqoslanadigan davrda (%s) yozuvlar hisobga olinmadi, shuning uchun oʻzgarishlar koʻrsatilmagan.",
			   "Таққосланадиган даврда (%s) ёзувлар ҳисобга олинмади, шунинг учун ўзгаришлар кўрсатилмаган."}},
	/* unavailable: the codes of the sections not made */
	{"unavailable", {"Not available from these inputs (tables without their dimensions): %s.",
			 "Недоступно из этих входных данных (в таблицах нет их измерений): %s.",
			 "Bu kirish maʼlumotlaridan olib boʻlmaydi (jadvallarda ularning oʻlchovlari yoʻq): %s.",
			 "Бу кириш маълумотларидан олиб бўлмайди (жадвалларда уларнинг ўлчовлари йўқ): %s."}},
	{"method_title", {"Method", "Методика", "Uslub", "Услуб"}},
	{"key_figures", {"Key figures", "Основные показатели", "Asosiy koʻrsatkichlar",
			 "Асосий кўрсаткичлар"}},
	{"page", {"Page %s of %s", "Страница %s из %s", "%s-sahifa, jami %s", "%s-саҳифа, жами %s"}},
	/* data_up_to: the last day the report's records cover */
	{"data_up_to", {"data up to %s", "данные по %s", "maʼlumotlar %s holatiga",
			"маълумотлар %s ҳолатига"}},
	/* with_filters: the run's filters, in a subtitle or the title */
	{"with_filters", {"filters: %s", "фильтры: %s", "filtrlar: %s", "фильтрлар: %s"}},
	/* total_filters: the run's filters, in the first sentence */
	{"total_filters", {" (filters: %s)", " (фильтры: %s)", " (filtrlar: %s)",
			   " (фильтрлар: %s)"}},
	{"count", {"Count", "Число", "Soni", "Сони"}},
	{"percent", {"%", "%", "%", "%"}},
	/* the figures of a section's show= (as mj-tab heads them) */
	{"row_pct", {"Row %", "% по строке", "Qator %", "Қатор %"}},
	{"col_pct", {"Column %", "% по столбцу", "Ustun %", "Устун %"}},
	{"valid_pct", {"Valid %", "Валидный %", "Haqiqiy %", "Ҳақиқий %"}},
	{"cum_pct", {"Cum. %", "Накопл. %", "Jamlangan %", "Жамланган %"}},
	{"change", {"Change", "Изменение", "Oʻzgarish", "Ўзгариш"}},
	/* ci_head: the level in percent (the interval's abbreviation as
	 * mj-tab's notes have it) */
	{"ci_head", {"%s%% CI", "%s%% ДИ", "%s%% IO", "%s%% ИО"}},
	/* rate_head: per how many */
	{"rate_head", {"per %s", "на %s", "%s\u00a0kishiga", "%s\u00a0кишига"}},
	/* k_change: label, change, compared-period phrase */
	{"k_change", {"%s · %s %s", "%s · %s %s", "%1$s · %3$s %2$s", "%1$s · %3$s %2$s"}},
	{"rejected_none", {"No rows were rejected.", "Отклонённых строк нет.",
			   "Rad etilgan qatorlar yoʻq.", "Рад этилган қаторлар йўқ."}},
	{"rejected_some", {"Rejected rows are listed with their line numbers on standard error by mj-check and mj-report; they are not counted in any table.",
			   "Отклонённые строки с номерами выводятся mj-check и mj-report в стандартный поток ошибок; они не учтены ни в одной таблице.",
			   "Rad etilgan qatorlar raqamlari bilan mj-check va mj-report tomonidan xatolar oqimiga chiqariladi; ular hech bir jadvalda hisobga olinmagan.",
			   "Рад этилган қаторлар рақамлари билан mj-check ва mj-report томонидан хатолар оқимига чиқарилади; улар ҳеч бир жадвалда ҳисобга олинмаган."}},
	{"rejected_at", {"Rejected rows (file:line:column): ", "Отклонённые строки (файл:строка:столбец): ",
			 "Rad etilgan qatorlar (fayl:qator:ustun): ", "Рад этилган қаторлар (файл:қатор:устун): "}},
	/* rejected_more: N */
	{"rejected_more", {" and %s more.", " и ещё %s.", " va yana %s\u00a0ta.", " ва яна %s\u00a0та."}},
	{"tables", {"Tables: ", "Таблицы: ", "Jadvallar: ", "Жадваллар: "}},
	{"one_rule", {"Every table counts the same records, read in one pass.",
		      "Все таблицы построены по одним и тем же записям, прочитанным за один проход.",
		      "Barcha jadvallar bir oʻqishda oʻqilgan bir xil yozuvlarni hisoblaydi.",
		      "Барча жадваллар бир ўқишда ўқилган бир хил ёзувларни ҳисоблайди."}},
	/* The month in its trend (report_trend.c, the PDF's and the page's trend). */
	/* trend_title: the months */
	{"trend_title", {"Appeals by month, %s", "Обращения по месяцам, %s",
			 "Oylar boʻyicha murojaatlar, %s", "Ойлар бўйича мурожаатлар, %s"}},
	/* month_count: count, month (as after "in") */
	{"trend_month_count", {"%s appeals in %s: ", "В %2$s поступило обращений: %1$s — ",
			 "%2$s %1$s\u00a0ta murojaat tushdi — ", "%2$s %1$s\u00a0та мурожаат тушди — "}},
	/* more / fewer: change, month (as after "in") */
	{"trend_more", {"%s more than in %s", "на %s больше, чем в %s",
		  "%2$sgidan %1$s koʻp", "%2$sгидан %1$s кўп"}},
	{"trend_fewer", {"%s fewer than in %s", "на %s меньше, чем в %s",
		   "%2$sgidan %1$s kam", "%2$sгидан %1$s кам"}},
	/* same: month (as after "in") */
	{"trend_same", {"as many as in %s", "столько же, сколько в %s", "%sgicha", "%sгича"}},
	{"trend_about_same", {" (within chance)", " (в пределах случайных колебаний)",
			" (tasodifiy tebranishlar doirasida)", " (тасодифий тебранишлар доирасида)"}},
	/* not_held: month (nominative) */
	{"trend_not_held", {"the register holds no records for %s",
		      "за %s записей в реестре нет",
		      "reyestrda %s uchun yozuvlar yoʻq",
		      "реестрда %s учун ёзувлар йўқ"}},
	/* not_held_two: the month before, the month a year before */
	{"trend_not_held_two", {"the register holds no records for %s or %s",
		      "за %s и %s записей в реестре нет",
		      "reyestrda %s va %s uchun yozuvlar yoʻq",
		      "реестрда %s ва %s учун ёзувлар йўқ"}},
	/* gap: months shown with no appeal counted */
	{"trend_gap", {"No appeal is counted for %s: a 0 there may be a month that was not entered.",
		 "За %s не учтено ни одного обращения: 0 там может означать, что месяц не был внесён.",
		 "%s uchun birorta murojaat hisobga olinmagan: u yerdagi 0 oy kiritilmaganini bildirishi mumkin.",
		 "%s учун бирорта мурожаат ҳисобга олинмаган: у ердаги 0 ой киритилмаганини билдириши мумкин."}},
	/* span_full: count of months, the months */
	{"trend_span_full", {"The trend covers the %s months %s.",
		       "Динамика показана за %s месяцев (%s).",
		       "Dinamika %s oy uchun koʻrsatilgan (%s).",
		       "Динамика %s ой учун кўрсатилган (%s)."}},
	/* span_short: first month held (nominative), count shown, the months */
	{"trend_span_short", {"The register begins in %s, so the trend covers %s months, %s, not the usual 13.",
			"Первый месяц в реестре — %s, поэтому динамика показана за %s мес. (%s), а не за обычные\u00a013.",
			"Reyestr %s oyidan boshlanadi, shuning uchun dinamika odatdagi 13 emas, %s oy uchun koʻrsatilgan (%s).",
			"Реестр %s ойидан бошланади, шунинг учун динамика одатдаги 13 эмас, %s ой учун кўрсатилган (%s)."}},
	/* trend_span_one: the register's first month, the months shown */
	{"trend_span_one", {"The register begins in %s, so the trend covers one month, %s, not the usual 13.",
			"Первый месяц в реестре — %s, поэтому динамика показана за 1\u00a0мес. (%s), а не за обычные\u00a013.",
			"Reyestr %s oyidan boshlanadi, shuning uchun dinamika odatdagi 13 emas, 1\u00a0oy uchun koʻrsatilgan (%s).",
			"Реестр %s ойидан бошланади, шунинг учун динамика одатдаги 13 эмас, 1\u00a0ой учун кўрсатилган (%s)."}},
	/* ytd: the months, count */
	{"trend_ytd", {"Year to date, %s: %s appeals",
		 "С начала года (%s): обращений %s",
		 "Yil boshidan (%s): %s\u00a0ta murojaat",
		 "Йил бошидан (%s): %s\u00a0та мурожаат"}},
	/* ytd_more / ytd_fewer: change, the months a year before */
	{"trend_ytd_more", {", %s more than in %s", ", на %s больше, чем за %s",
		      ", %2$s davridagidan %1$s koʻp", ", %2$s давридагидан %1$s кўп"}},
	{"trend_ytd_fewer", {", %s fewer than in %s", ", на %s меньше, чем за %s",
		       ", %2$s davridagidan %1$s kam", ", %2$s давридагидан %1$s кам"}},
	{"trend_ytd_same", {", as many as in %s", ", столько же, сколько за %s",
			    ", %s davridagicha", ", %s давридагича"}},
	/* ytd_not_held: the months a year before */
	{"trend_ytd_not_held", {"; the register does not hold %s, so there is no comparison with the year before",
			  "; в реестре нет данных за %s, поэтому сравнения с прошлым годом нет",
			  "; reyestrda %s uchun yozuvlar yoʻq, shuning uchun oʻtgan yil bilan taqqoslanmagan",
			  "; реестрда %s учун ёзувлар йўқ, шунинг учун ўтган йил билан таққосланмаган"}},
	/* ytd_gap: the months of the two that count no appeal */
	{"trend_ytd_gap", {"; no appeal is counted for %s, so there is no comparison with the year before",
			   "; за %s не учтено ни одного обращения, поэтому сравнения с прошлым годом нет",
			   "; %s uchun birorta murojaat hisobga olinmagan, shuning uchun oʻtgan yil bilan taqqoslanmagan",
			   "; %s учун бирорта мурожаат ҳисобга олинмаган, шунинг учун ўтган йил билан таққосланмаган"}},
	/* method: the level in percent, the base below which no percent */
	{"trend_method", {"Changes compared with the month before and with the same month a year earlier are tested with the exact conditional test of two Poisson counts (given the sum of the two counts, each is binomial with p = 1/2 when the rates are equal); a change with a two-sided p of %s or more is called within chance. A change on a base under %s is given as a count only.",
		    "Изменения к предыдущему месяцу и к тому же месяцу год назад проверены точным условным тестом для двух пуассоновских величин (при заданной сумме двух чисел каждое биномиально с p = 1/2, если интенсивности равны); изменение с двусторонним p не меньше %s считается в пределах случайных колебаний. Изменение при базе меньше %s дано только числом.",
		    "Oldingi oyga va oʻtgan yilning shu oyiga nisbatan oʻzgarishlar ikki Puasson sanogʻi uchun aniq shartli test bilan tekshirilgan (ikki son yigʻindisi berilganda, intensivliklar teng boʻlsa, har biri p = 1/2 bilan binomial); ikki tomonlama p %s yoki undan katta boʻlgan oʻzgarish tasodifiy tebranishlar doirasida deb hisoblanadi. Taqqoslash asosi %s\u00a0tadan kam boʻlsa, oʻzgarish faqat son bilan berilgan.",
		    "Олдинги ойга ва ўтган йилнинг шу ойига нисбатан ўзгаришлар икки Пуассон саноғи учун аниқ шартли тест билан текширилган (икки сон йиғиндиси берилганда, интенсивликлар тенг бўлса, ҳар бири p = 1/2 билан биномиал); икки томонлама p %s ёки ундан катта бўлган ўзгариш тасодифий тебранишлар доирасида деб ҳисобланади. Таққослаш асоси %s\u00a0тадан кам бўлса, ўзгариш фақат сон билан берилган."}},
	{"trend_method_also", {"Changes compared with the month before and with the same month a year earlier are tested in the same way.",
		    "Изменения к предыдущему месяцу и к тому же месяцу год назад проверены тем же тестом.",
		    "Oldingi oyga va oʻtgan yilning shu oyiga nisbatan oʻzgarishlar ham shu test bilan tekshirilgan.",
		    "Олдинги ойга ва ўтган йилнинг шу ойига нисбатан ўзгаришлар ҳам шу тест билан текширилган."}},
	{"trend_k_same", {"within chance", "в пределах колебаний", "tebranishlar doirasida",
		    "тебранишлар доирасида"}},
	/* k_ytd: the months */
	{"trend_k_ytd", {"appeals, %s", "обращений, %s", "murojaat, %s", "мурожаат, %s"}},
	{"trend_month", {"Month", "Месяц", "Oy", "Ой"}},
	{"trend_sheet", {"Trend by month", "Динамика по месяцам", "Oylar boʻyicha dinamika",
		   "Ойлар бўйича динамика"}},
	{"trend_pct_prev", {"Change compared with the month before, %", "Изменение к предыдущему месяцу, %",
		      "Oldingi oyga nisbatan oʻzgarish, %", "Олдинги ойга нисбатан ўзгариш, %"}},
	{"trend_pct_year", {"Change compared with a year earlier, %", "Изменение к тому же месяцу год назад, %",
		      "Oʻtgan yilning shu oyiga nisbatan, %", "Ўтган йилнинг шу ойига нисбатан, %"}},
	{"trend_appeals", {"Appeals", "Обращений", "Murojaatlar", "Мурожаатлар"}},
	{"trend_on_prev", {"Change compared with the month before", "Изменение к предыдущему месяцу",
		     "Oldingi oyga nisbatan oʻzgarish", "Олдинги ойга нисбатан ўзгариш"}},
	{"trend_on_year", {"Change compared with a year earlier", "Изменение к тому же месяцу год назад",
		     "Oʻtgan yilning shu oyiga nisbatan", "Ўтган йилнинг шу ойига нисбатан"}},
	/* legend_year: the month a year earlier */
	{"trend_legend_year", {"%s, a year earlier", "%s, год назад", "%s, bir yil oldin",
			 "%s, бир йил олдин"}},
	{"trend_legend_same", {"≈ within chance (p ≥ 0.05).",
			 "≈ в пределах случайных колебаний (p ≥ 0,05).",
			 "≈ tasodifiy tebranishlar doirasida (p ≥ 0,05).",
			 "≈ тасодифий тебранишлар доирасида (p ≥ 0,05)."}},
	{"trend_legend_gap", {"No change is given to or from a month with no appeal counted: it may be a month that was not entered.",
			"Изменение к месяцу без учтённых обращений и от него не приводится: данные за этот месяц могли быть не внесены.",
			"Murojaat hisobga olinmagan oyga va undan oʻzgarish berilmaydi: bu oy kiritilmagan boʻlishi mumkin.",
			"Мурожаат ҳисобга олинмаган ойга ва ундан ўзгариш берилмайди: бу ой киритилмаган бўлиши мумкин."}},
	/* mix_title: the breakdown's label, the months */
	{"mix_title", {"%s by month, %s", "%s по месяцам, %s", "%s oylar boʻyicha, %s",
		       "%s ойлар бўйича, %s"}},
	{"mix_sub", {"Percent of each month's appeals", "Процент от обращений каждого месяца",
		     "Har oy murojaatlaridan foiz", "Ҳар ой мурожаатларидан фоиз"}},
};

const char *report_word(const struct report *r, const char *key)
{
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(words[i].key, key) == 0)
			return words[i].text[r->lang < MJ_LANG_COUNT ? r->lang : 0];
	return key;
}

const char *report_count_head(const struct report *r, size_t sec)
{
	const char *sum = r->sections[sec]->sum;
	int d = sum ? mj_schema_dim_find(r->schema, sum) : -1;
	return d >= 0 ? mj_schema_dim_label(r->schema, (size_t)d, r->lang)
		      : report_word(r, "count");
}

/* printf with one of the formats above. The formats come from the table,
 * never from input. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void report_append_word(GString *s, const struct report *r, const char *key, ...)
{
	va_list ap;
	va_start(ap, key);
	g_string_append_vprintf(s, report_word(r, key), ap);
	va_end(ap);
}
#pragma GCC diagnostic pop
