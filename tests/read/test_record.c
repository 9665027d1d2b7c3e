/* Unit tests for the record normaliser: header matching, values in every
 * spelling, derived dimensions, and each problem with its column. */
#include <stdlib.h>

#include "murojaat/record.h"

#include "calendar.h"

#include "check.h"

static struct mj_schema *schema;
static struct mj_error problems[16];
static size_t nproblems;

static void on_problem(void *ctx, const struct mj_error *e, int fatal)
{
	(void)ctx;
	(void)fatal;
	if (e->status != MJ_OK && nproblems < 16)
		problems[nproblems++] = *e;
}

/* Splits a comma-separated line (no quotes) into fields. */
static size_t split(char *line, struct mj_field *f)
{
	size_t n = 0;
	for (char *p = line;; p++) {
		char *q = strchr(p, ',');
		f[n].text = p;
		f[n].len = q ? (size_t)(q - p) : strlen(p);
		n++;
		if (!q)
			break;
		*q = '\0';
		p = q;
	}
	return n;
}

static struct mj_normaliser *with_header(const char *header)
{
	struct mj_error err;
	if (!schema)
		schema = mj_schema_default(&err);
	struct mj_normaliser *n = mj_normaliser_new(schema, NULL, NULL, &err);
	char buf[512];
	snprintf(buf, sizeof buf, "%s", header);
	struct mj_field f[32];
	size_t k = split(buf, f);
	nproblems = 0;
	CHECK(mj_normaliser_header(n, "t.csv", f, k, 1, on_problem, NULL, &err) == MJ_OK);
	return n;
}

static size_t row(struct mj_normaliser *n, const char *text, struct mj_record *rec)
{
	static char buf[512];
	snprintf(buf, sizeof buf, "%s", text);
	struct mj_field f[32];
	size_t k = split(buf, f);
	nproblems = 0;
	return mj_normaliser_row(n, f, k, 2, rec, on_problem, NULL);
}

static int dim(const char *name)
{
	return mj_schema_dim_find(schema, name);
}

static int cat(const char *d, const char *code)
{
	return mj_schema_cat_find(schema, (size_t)dim(d), code);
}

static void test_header(void)
{
	struct mj_error err;
	struct mj_normaliser *n = with_header("№,Дата обращения,ВИЛОЯТ,Jins,Yosh,notes");
	CHECK(mj_normaliser_has_column(n, (size_t)dim("region")));
	CHECK(mj_normaliser_has_column(n, (size_t)dim("sex")));
	CHECK(!mj_normaliser_has_column(n, (size_t)dim("violence")));
	mj_normaliser_destroy(n);
	n = mj_normaliser_new(schema, NULL, NULL, &err);
	char h1[] = "id,date,sex";
	struct mj_field f[8];
	size_t k = split(h1, f);
	CHECK(mj_normaliser_header(n, "t.csv", f, k, 1, on_problem, NULL, &err) == MJ_E_VALUE);
	CHECK(strstr(err.message, "missing required column 'region'") != NULL);
	char h2[] = "id,date,region,Область";
	k = split(h2, f);
	CHECK(mj_normaliser_header(n, "t.csv", f, k, 1, on_problem, NULL, &err) == MJ_E_VALUE);
	CHECK(err.column == 4 && strstr(err.message, "duplicate column") != NULL);
	mj_normaliser_destroy(n);
}

static void test_values(void)
{
	struct mj_normaliser *n = with_header("id,date,region,sex,age,place,relationship,violence");
	struct mj_record rec;
	CHECK(row(n, "1,05.03.2023,Farg\xe2\x80\x98ona,Ж,16,,spouse,Психологическое", &rec) == 0);
	CHECK(rec.value[dim("region")] == cat("region", "UZ-FA"));
	CHECK(rec.year == 2023 && rec.month == 3 && rec.day == 5);
	CHECK(rec.value[dim("group")] == cat("group", "girl"));
	CHECK(rec.value[dim("age_group")] == cat("age_group", "0-17"));
	/* A relationship names its place when the place is left empty. */
	CHECK(rec.value[dim("place")] == cat("place", "domestic"));
	CHECK(rec.value[dim("violence")] == cat("violence", "psychological"));
	CHECK(row(n, "2,2023-02-28 14:30,Tashkent city,male,,not stated,,other", &rec) == 0);
	CHECK(rec.value[dim("group")] == cat("group", "man"));
	CHECK(rec.value[dim("age_group")] == MJ_MISSING);
	CHECK(rec.value[dim("place")] == MJ_MISSING);
	mj_normaliser_destroy(n);
}

static void test_problems(void)
{
	struct mj_normaliser *n = with_header("id,date,region,sex,age,place,relationship,violence");
	struct mj_record rec;
	CHECK(row(n, "1,2023-02-29,Tashknt,female,121,domestic,coworker,physical", &rec) == 4);
	CHECK(nproblems == 4);
	CHECK(problems[0].line == 2 && problems[0].column == 2);
	CHECK(strstr(problems[0].message, "is not a date") != NULL);
	CHECK(problems[1].column == 3);
	CHECK(strstr(problems[1].message, "(did you mean \"Tashkent city\"?)") != NULL);
	CHECK(problems[2].column == 5 && strstr(problems[2].message, "out of range 0-120") != NULL);
	CHECK(problems[3].column == 7 && strstr(problems[3].message, "does not belong to place") != NULL);
	CHECK(row(n, "2,2023-01-01,,female,30,,,physical", &rec) == 1);
	CHECK(problems[0].column == 3 && strstr(problems[0].message, "a value is required") != NULL);
	CHECK(row(n, "3,2023-01-01,UZ-TK", &rec) == 1);
	CHECK(strstr(problems[0].message, "row has 3 fields, the header has 8") != NULL);
	/* Problems of cached columns (region, sex) and of the others (date,
	 * age) between them come in column order, on a whole row and on one
	 * with a field too many (read column by column). */
	static const char *const mixed[] = {
		"5,2023-13-01,Tashknt,femail,abc,,,physical",
		"5,2023-13-01,Tashknt,femail,abc,,,physical,extra"};
	for (size_t i = 0; i < 2; i++) {
		struct mj_record one;
		CHECK(row(n, mixed[i], &one) == 4 + i);
		CHECK(nproblems == 4 + i);
		for (size_t k = 0; k < 4 && k + i < nproblems; k++)
			CHECK(problems[k + i].column == (unsigned long)(k + 2));
		CHECK(strstr(problems[i].message, "is not a date") != NULL);
		CHECK(strstr(problems[i + 3].message, "is not a whole number") != NULL);
		/* The same row again, its values now seen, says the same. */
		CHECK(row(n, mixed[i], &one) == 4 + i);
	}
	/* The same bad spelling again is answered from the cache, the same way. */
	CHECK(row(n, "4,2023-01-01,Tashknt,female,30,,,physical", &rec) == 1);
	CHECK(strstr(problems[0].message, "did you mean \"Tashkent city\"") != NULL);
	mj_normaliser_destroy(n);
}

static void iso_fast(void);

static void test_dates(void)
{
	int y, m, d;
	CHECK(mj_parse_date("2023-08-31", 10, &y, &m, &d) == 0 && y == 2023 && m == 8 && d == 31);
	CHECK(mj_parse_date("1.2.2024", 8, &y, &m, &d) == 0 && m == 2 && d == 1);
	CHECK(mj_parse_date("29.02.2024", 10, &y, &m, &d) == 0);
	CHECK(mj_parse_date("29.02.2023", 10, &y, &m, &d) != 0);
	CHECK(mj_parse_date("2023-04-31", 10, &y, &m, &d) != 0);
	CHECK(mj_parse_date("2023/04/01", 10, &y, &m, &d) != 0);
	CHECK(mj_parse_date("31.12.23", 8, &y, &m, &d) != 0);
	CHECK(mj_parse_date("2023-01-05T10:00:00", 19, &y, &m, &d) == 0 && d == 5);
	iso_fast();
}

/* The ISO date check as it was written byte by byte: what the word-wise
 * check (calendar_iso_date) must agree with. */
static int iso_date_bytewise(const char *t, int *y, int *m, int *d)
{
	if (t[4] != '-' || t[7] != '-')
		return 0;
	static const int at[] = {0, 1, 2, 3, 5, 6, 8, 9};
	int v[8];
	for (int i = 0; i < 8; i++) {
		v[i] = (unsigned char)t[at[i]] - '0';
		if (v[i] < 0 || v[i] > 9)
			return 0;
	}
	int year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
	int month = v[4] * 10 + v[5], day = v[6] * 10 + v[7];
	if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1 ||
	    day > calendar_days_in_month(year, month))
		return 0;
	*y = year;
	*m = month;
	*d = day;
	return 1;
}

/* Whether both checks say the same of the 10 bytes at t. */
static int iso_same(const char *t)
{
	int y1 = -1, m1 = -1, d1 = -1, y2 = -1, m2 = -1, d2 = -1;
	int a = calendar_iso_date(t, &y1, &m1, &d1), b = iso_date_bytewise(t, &y2, &m2, &d2);
	return a == b && y1 == y2 && m1 == m2 && d1 == d2;
}

/* The word-wise ISO date check against the byte-wise one: every month and
 * day number (0-19, 0-39) of the years around the range, every byte value
 * in every place of a few dates, and a date at the very end of its
 * allocation (no byte after it is read). The row reader takes the same
 * dates through its fast path and, spaced, through the full reader. */
static void iso_fast(void)
{
	char t[11];
	size_t bad = 0, ok = 0;
	static const int years[][2] = {{0, 120}, {1850, 3050}, {9900, 9999}};
	for (size_t r = 0; r < sizeof years / sizeof years[0]; r++)
		for (int y = years[r][0]; y <= years[r][1]; y++)
			for (int m = 0; m < 20; m++)
				for (int d = 0; d < 40; d++) {
					snprintf(t, sizeof t, "%04d-%02d-%02d", y, m, d);
					int yy, mm, dd;
					ok += (size_t)calendar_iso_date(t, &yy, &mm, &dd);
					bad += !iso_same(t);
				}
	CHECK(bad == 0);
	CHECK(ok == 1100 * 365 + 267); /* 1900-2999: 267 leap years */
	static const char *const base[] = {"2024-02-29", "2023-02-28", "2000-02-29",
					   "1900-02-28", "2999-12-31", "1900-01-01"};
	for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
		for (int at = 0; at < 10; at++)
			for (int c = 0; c < 256; c++) {
				memcpy(t, base[i], 10);
				t[at] = (char)c;
				bad += !iso_same(t);
			}
	CHECK(bad == 0);
	int y, m, d;
	CHECK(calendar_iso_date("2024-02-29", &y, &m, &d) && y == 2024 && m == 2 && d == 29);
	CHECK(!calendar_iso_date("2023-02-29", &y, &m, &d));
	CHECK(!calendar_iso_date("1900-02-29", &y, &m, &d));
	CHECK(calendar_iso_date("2000-02-29", &y, &m, &d));
	CHECK(!calendar_iso_date("2023-13-01", &y, &m, &d));
	CHECK(!calendar_iso_date("2023-00-10", &y, &m, &d));
	CHECK(!calendar_iso_date("2023-04-31", &y, &m, &d));
	CHECK(!calendar_iso_date("2023-04-00", &y, &m, &d));
	CHECK(!calendar_iso_date("2023/04/01", &y, &m, &d));
	CHECK(!calendar_iso_date("2023-4-011", &y, &m, &d));
	CHECK(!calendar_iso_date("1899-12-31", &y, &m, &d));
	CHECK(!calendar_iso_date("3000-01-01", &y, &m, &d));
	CHECK(!calendar_iso_date("2O23-01-01", &y, &m, &d));
	CHECK(!calendar_iso_date("2023-01-0:", &y, &m, &d));
	CHECK(!calendar_iso_date("2023-01-\xb0" "1", &y, &m, &d));
	char *end = malloc(10);
	CHECK(end != NULL);
	if (end) {
		memcpy(end, "2023-06-30", 10);
		CHECK(calendar_iso_date(end, &y, &m, &d) && y == 2023 && m == 6 && d == 30);
		free(end);
	}

	/* A row's date through the fast path equals the same date spaced
	 * (which the fast path leaves to the full reader). */
	struct mj_normaliser *n = with_header("id,date,region,sex,age,place,relationship,violence");
	static const char *const dates[] = {"2024-02-29", "2023-02-29", "2000-02-29", "1900-02-29",
					    "2023-12-31", "2023-12-32", "2023-00-01", "1899-12-31",
					    "2999-12-31", "3000-01-01", "2023-1-01", "2023-01-1x"};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		char line[64];
		struct mj_record fast, slow;
		snprintf(line, sizeof line, "1,%s,UZ-TK,male,30,,,physical", dates[i]);
		size_t pf = row(n, line, &fast);
		snprintf(line, sizeof line, "1, %s ,UZ-TK,male,30,,,physical", dates[i]);
		size_t ps = row(n, line, &slow);
		CHECK(pf == ps);
		CHECK(fast.year == slow.year && fast.month == slow.month && fast.day == slow.day);
		CHECK(fast.value[dim("date")] == slow.value[dim("date")]);
	}
	mj_normaliser_destroy(n);
}

/* Day-month dates are read in the order decided for the file; what each
 * date tells is kept for the verdict on the whole file. */
static void test_date_order(void)
{
	const char *h = "id,date,region,sex,age,place,relationship,violence";
	struct mj_record rec;
	struct mj_error note, err;
	int has_note, y, m, d;
	CHECK(mj_parse_date("31-12-2023", 10, &y, &m, &d) == 0 && m == 12 && d == 31);
	CHECK(mj_date_order_parse("mdy") == MJ_DATE_MDY && mj_date_order_parse("us") < 0);
	/* Nothing tells: day first, and a note. */
	struct mj_normaliser *n = with_header(h);
	CHECK(row(n, "1,02/08/2023,UZ-TK,female,30,,,physical", &rec) == 0);
	CHECK(rec.month == 8 && rec.day == 2);
	CHECK(row(n, "2,05/05/2023,UZ-TK,female,30,,,physical", &rec) == 0 && rec.month == 5);
	CHECK(mj_normaliser_date_verdict(n, &note, &has_note, &err) == MJ_OK && has_note);
	CHECK(note.status == MJ_OK && note.line == 2 && note.column == 2);
	CHECK(strstr(note.message, "\"02/08/2023\"") != NULL);
	/* A date read day first, then one that can only be month first. */
	CHECK(row(n, "3,12/31/2023,UZ-TK,female,30,,,physical", &rec) == 0);
	CHECK(rec.month == 12 && rec.day == 31);
	CHECK(mj_normaliser_date_verdict(n, &note, &has_note, &err) == MJ_E_VALUE && !has_note);
	CHECK(strstr(err.message, "was read day first") != NULL);
	mj_normaliser_destroy(n);
	/* Month first, decided before: the ambiguous date is read that way. */
	n = with_header(h);
	mj_normaliser_set_date_order(n, MJ_DATE_MDY, 0);
	CHECK(row(n, "1,02/08/2023,UZ-TK,female,30,,,physical", &rec) == 0);
	CHECK(rec.month == 2 && rec.day == 8);
	CHECK(row(n, "2,12/31/2023,UZ-TK,female,30,,,physical", &rec) == 0);
	CHECK(mj_normaliser_date_verdict(n, &note, &has_note, &err) == MJ_OK && !has_note);
	/* A part read by a clone (its line 2 is line 101) says day first. */
	struct mj_normaliser *c = mj_normaliser_clone(n);
	CHECK(c != NULL);
	CHECK(row(c, "3,31/12/2023,UZ-TK,female,30,,,physical", &rec) == 0);
	mj_normaliser_merge_dates(n, c, 100);
	CHECK(mj_normaliser_date_verdict(n, &note, &has_note, &err) == MJ_E_VALUE);
	CHECK(err.line == 101 && err.column == 2 && strstr(err.message, "mixes") != NULL);
	CHECK(strstr(err.message, "t.csv:2:2") != NULL);
	mj_normaliser_destroy(c);
	mj_normaliser_destroy(n);
	/* The user's order: a date that does not fit it is rejected. */
	n = with_header(h);
	mj_normaliser_set_date_order(n, MJ_DATE_DMY, 1);
	CHECK(row(n, "1,12/31/2023,UZ-TK,female,30,,,physical", &rec) == 1);
	CHECK(strstr(problems[0].message, "--date-order dmy") != NULL);
	CHECK(row(n, "2,02/08/2023,UZ-TK,female,30,,,physical", &rec) == 0 && rec.month == 8);
	CHECK(mj_normaliser_date_verdict(n, &note, &has_note, &err) == MJ_OK && !has_note);
	/* Dotted dates are day first; one that is month first refuses the file. */
	CHECK(row(n, "3,02.08.2023,UZ-TK,female,30,,,physical", &rec) == 0 && rec.month == 8);
	CHECK(row(n, "4,12.31.2023,UZ-TK,female,30,,,physical", &rec) == 0);
	CHECK(mj_normaliser_date_verdict(n, &note, &has_note, &err) == MJ_E_VALUE);
	CHECK(strstr(err.message, "dotted dates are day first") != NULL);
	mj_normaliser_destroy(n);
}

/* Derived values are remembered by their inputs: over every sex and age
 * (more than the memory holds, so that slots are reused), in two orders, a
 * normaliser that has seen many rows derives what a fresh one derives.
 * The group (sex and age) and the age group (age) are found by one key;
 * a normaliser told to derive the age group alone, after rows that
 * remembered both, keys it by age and derives the same. */
static void test_derived_memo(void)
{
	static const char *const sexes[] = {"female", "male", "", "F", "М"};
	struct mj_normaliser *seen = with_header("id,date,region,sex,age,violence");
	int g = dim("group"), a = dim("age_group");
	CHECK(g >= 0 && a >= 0);
	struct mj_normaliser *alone = with_header("id,date,region,sex,age,violence");
	struct mj_record r3;
	for (int i = 0; i < 4; i++) {
		char text[64];
		snprintf(text, sizeof text, "1,2023-03-05,UZ-AN,%s,%d,physical", sexes[i % 2], i / 2);
		row(alone, text, &r3);
	}
	mj_normaliser_derive_only(alone, &a, 1);
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 5 * 123; i++) {
			int k = pass ? 5 * 123 - 1 - i : (i * 7) % (5 * 123);
			int age = k / 5 - 1;
			char text[64];
			if (age < 0)
				snprintf(text, sizeof text, "1,2023-03-05,UZ-AN,%s,,physical", sexes[k % 5]);
			else
				snprintf(text, sizeof text, "1,2023-03-05,UZ-AN,%s,%d,physical", sexes[k % 5], age);
			struct mj_normaliser *fresh = with_header("id,date,region,sex,age,violence");
			struct mj_record r1, r2;
			row(fresh, text, &r1);
			row(seen, text, &r2);
			CHECK(r1.value[g] == r2.value[g]);
			CHECK(r1.value[a] == r2.value[a]);
			row(alone, text, &r3);
			CHECK(r3.value[a] == r1.value[a]);
			mj_normaliser_destroy(fresh);
		}
	}
	mj_normaliser_destroy(alone);
	/* And what they derive is the rule's. */
	struct mj_record rec;
	row(seen, "1,2023-03-05,UZ-AN,female,17,physical", &rec);
	CHECK(rec.value[g] == cat("group", "girl") && rec.value[a] == cat("age_group", "0-17"));
	row(seen, "1,2023-03-05,UZ-AN,female,18,physical", &rec);
	CHECK(rec.value[g] == cat("group", "woman") && rec.value[a] == cat("age_group", "18-29"));
	row(seen, "1,2023-03-05,UZ-AN,male,,physical", &rec);
	CHECK(rec.value[g] == cat("group", "man") && rec.value[a] == MJ_MISSING);
	/* A clone remembers in memory of its own, and the month beside
	 * them is still the date's. */
	struct mj_normaliser *copy = mj_normaliser_clone(seen);
	CHECK(copy != NULL);
	row(copy, "1,2023-03-05,UZ-AN,female,17,physical", &rec);
	CHECK(rec.value[g] == cat("group", "girl") && rec.value[a] == cat("age_group", "0-17"));
	int m = dim("month");
	CHECK(m < 0 || rec.value[m] == mj_period_month(2023, 3));
	mj_normaliser_destroy(copy);
	mj_normaliser_destroy(seen);
}

/* What a record holds after a row: its values, mentions and numbers, its
 * date, weight, measure and id. */
static void same_record(const struct mj_record *a, const struct mj_record *b)
{
	for (size_t d = 0; d < MJ_MAX_DIMS; d++) {
		CHECK(a->value[d] == b->value[d]);
		CHECK(a->mentions[d] == b->mentions[d]);
		if (d < mj_schema_ndims(schema) && mj_schema_dim_kind(schema, d) == MJ_DIM_INTEGER &&
		    a->value[d] != MJ_MISSING)
			CHECK(a->number[d] == b->number[d]);
	}
	CHECK(a->year == b->year && a->month == b->month && a->day == b->day);
	CHECK(a->weight == b->weight && a->measure == b->measure);
	CHECK(a->id_len == b->id_len && (a->id == NULL) == (b->id == NULL));
}

/* A record given again is cleared only in part (see mj_normaliser_row):
 * after each row it holds what a record cleared whole holds, through
 * good values, empty, missing and unknown ones, several mentions, rows
 * short and long, and a second header with fewer columns. */
static void test_reuse(void)
{
	static const char *const rows[] = {
		"A1,2023-06-05,office,UZ-SU,Termiz,female,35,psychological,domestic,spouse,referral,0",
		"A2,,,,,,,,,,,",
		"A3,2023-06-05,office,UZ-SU,Termiz,female,35,physical;sexual,domestic,spouse,referral,2",
		"A4,2023-13-01,hotline,UZ-XX,Nowhere,martian,abc,psychological,,,consultation,x",
		"A1,2023-06-05,office,UZ-SU,Termiz,female,35,psychological,domestic,spouse,referral,0",
		",05.06.2023,office,,Termiz,male,,economic,,,referral,",
		"A7,2023-06-05,office,UZ-SU",
		"A8,2023-06-05,office,UZ-SU,Termiz,female,35,psychological,domestic,spouse,referral,0,extra",
		"A9,2023-06-05,office,UZ-AN,Termiz,female,35,physical;physical,domestic,spouse,referral,0",
		"A10,2023-06-05,office,not stated,,female,200,other,,,referral,0",
		"A1,2023-06-05,office,UZ-SU,Termiz,female,35,psychological,domestic,spouse,referral,0",
	};
	const char *header = "id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children";
	struct mj_normaliser *again = with_header(header), *whole = with_header(header);
	struct mj_record rec, fresh[2];
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		size_t got = row(again, rows[i], &rec);
		size_t np = nproblems;
		/* The other normaliser's record is a new one each row. */
		struct mj_record *f = &fresh[i % 2];
		memset(f, 0x5a, sizeof *f);
		CHECK(row(whole, rows[i], f) == got && nproblems == np);
		same_record(&rec, f);
	}
	/* A required column left empty in a row whose other fields are all
	 * plain is still a problem (the fast path does not take it). */
	CHECK(row(again, "A11,2023-06-05,office,,,female,35,psychological,domestic,spouse,referral,0",
		  &rec) == 1 && nproblems == 1 && problems[0].column == 4);
	/* A second file with fewer columns: the values of the others are
	 * missing. */
	struct mj_error err;
	char buf[64] = "id,date,region,sex";
	struct mj_field hf[8];
	size_t k = split(buf, hf);
	CHECK(mj_normaliser_header(again, "u.csv", hf, k, 1, on_problem, NULL, &err) == MJ_OK);
	CHECK(mj_normaliser_header(whole, "u.csv", hf, k, 1, on_problem, NULL, &err) == MJ_OK);
	CHECK(row(again, "B1,2023-01-02,UZ-QR,male", &rec) == 0);
	memset(&fresh[0], 0x5a, sizeof fresh[0]);
	CHECK(row(whole, "B1,2023-01-02,UZ-QR,male", &fresh[0]) == 0);
	same_record(&rec, &fresh[0]);
	CHECK(rec.value[dim("district")] == MJ_MISSING && rec.value[dim("age")] == MJ_MISSING);
	mj_normaliser_destroy(again);
	mj_normaliser_destroy(whole);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"header", test_header}, {"values", test_values},
		{"problems", test_problems}, {"dates", test_dates},

		{"date_order", test_date_order}, {"derived_memo", test_derived_memo},
		{"reuse", test_reuse}, {0, 0}};
	int rc = run_case(cases, argc, argv);
	mj_schema_destroy(schema);
	return rc;
}
