/* Unit tests for the audit module: parsing published tables, the rounding
 * rule, sums of parts and the findings' messages. */
#include "murojaat/audit.h"

#include <stdlib.h>
#include <unistd.h>

#include "check.h"

#define HDR "table,category,count,percent,of\n"

/* Parse and check text; the report, or NULL with err filled. */
static struct mj_audit_report *audit(const char *text, struct mj_error *err)
{
	mj_error_clear(err);
	struct mj_audit_doc *doc = mj_audit_doc_parse("t.csv", text,
						      strlen(text), err);
	if (!doc)
		return NULL;
	struct mj_audit_report *rep = mj_audit_report_new();
	if (!rep || mj_audit_check(doc, NULL, rep, err) != MJ_OK) {
		mj_audit_report_destroy(rep);
		rep = NULL;
	}
	mj_audit_doc_destroy(doc);
	return rep;
}

/* The report's findings must be exactly want[] (as "LINE: message"). */
static void expect(const char *text, const char *const *want)
{
	struct mj_error err;
	struct mj_audit_report *rep = audit(text, &err);
	CHECK(rep != NULL);
	if (!rep) {
		fprintf(stderr, "error: %lu:%lu: %s\n", err.line, err.column,
			err.message);
		return;
	}
	size_t n = 0;
	while (want[n])
		n++;
	size_t got = mj_audit_report_count(rep);
	if (got != n)
		fprintf(stderr, "expected %zu findings, got %zu\n", n, got);
	CHECK(got == n);
	for (size_t i = 0; i < got; i++) {
		const struct mj_audit_finding *f = mj_audit_report_get(rep, i);
		char line[1200];
		snprintf(line, sizeof line, "%lu: %s", f->line, f->message);
		if (i < n)
			CHECK_STR(line, want[i]);
		else
			fprintf(stderr, "unexpected: %s\n", line);
	}
	mj_audit_report_destroy(rep);
}

/* Parsing must fail at line:col with a message containing part. */
static void expect_error(const char *text, unsigned long line,
			 unsigned long col, const char *part)
{
	struct mj_error err;
	struct mj_audit_report *rep = audit(text, &err);
	CHECK(rep == NULL);
	mj_audit_report_destroy(rep);
	if (err.line != line || err.column != col)
		fprintf(stderr, "expected %lu:%lu, got %lu:%lu: %s\n", line,
			col, err.line, err.column, err.message);
	CHECK(err.line == line);
	CHECK(err.column == col);
	if (!strstr(err.message, part))
		fprintf(stderr, "expected \"%s\" in \"%s\"\n", part, err.message);
	CHECK(strstr(err.message, part) != NULL);
}

static const char *const none[] = {NULL};

static void test_counts(void)
{
	/* Every way of printing 10,927 reads as 10927: parts adding to it
	 * pass, a part of 10,928 in a complete pair does not. */
	const char *forms[] = {"10927", "\"10,927\"", "10 927",
			       "10 thousand 927", "10 тысяч 927",
			       "10\xc2\xa0" "927", "10\xe2\x80\xaf" "927"};
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		char text[256];
		snprintf(text, sizeof text,
			 HDR "t,all,%s,,\nx,a,10000,,all\nx,b,927,,all\n",
			 forms[i]);
		expect(text, none);
	}
	expect(HDR "t,all,7 thousand,,\nx,a,6 Thousand 999,,all\nx,b,1,,all\n",
	       none);
	static const char *const off[] = {
		"3: x: the 2 parts add up to 10,928, but their whole, all, is 10,927",
		NULL};
	expect(HDR "t,all,10927,,\nx,a,10001,,all\nx,b,927,,all\n", off);
}

static void test_count_errors(void)
{
	expect_error(HDR "t,all,\"10,92\",,\n", 2, 7, "count '10,92'");
	expect_error(HDR "t,all,1.5,,\n", 2, 7, "no decimals");
	expect_error(HDR "t,all,ten,,\n", 2, 7, "whole number");
	expect_error(HDR "t,all,\"1,0000\",,\n", 2, 7, "grouped by three");
	expect_error(HDR "t,all,\"12345,678\",,\n", 2, 7, "grouped by three");
	expect_error(HDR "t,all,-5,,\n", 2, 7, "count '-5'");
	expect_error(HDR "t,all,10 thousand 27,,\n", 2, 7, "three digits");
	expect_error(HDR "t,all,9999999999999999,,\n", 2, 7, "at most");
	expect_error(HDR "t,all,\"1,000,000,000,000,001\",,\n", 2, 7, "at most");
	expect_error(HDR "t,all,\"999,999,999,999,999,999,999\",,\n", 2, 7,
		     "at most");
	expect_error(HDR "t,all,99999999999999999999999,,\n", 2, 7, "at most");
	expect_error(HDR "t,all,1000000000001 thousand,,\n", 2, 7, "at most");
}

static void test_percents(void)
{
	/* 25 of 200 = 12.5%: every printed form of it is consistent. */
	const char *forms[] = {"12.5", "12.5%", "12.5 %", "12.5 percent",
			       "\"12,5\"", "12.50", "12.500000", "13", "12",
			       "12.5 per cent", "\"12,5 процента\"",
			       "12.5 Percent", "12.5 PERCENT"};
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		char text[256];
		snprintf(text, sizeof text, HDR "t,all,200,,\nx,a,25,%s,all\n"
			 "x,rest,,,all\n", forms[i]);
		expect(text, none);
	}
	static const char *const wrong[] = {
		"3: a: 25 of 200 is 12.50%, printed 12.40%", NULL};
	expect(HDR "t,all,200,,\nx,a,25,12.40,all\nx,rest,,,all\n", wrong);
}

static void test_percent_errors(void)
{
	expect_error(HDR "t,all,200,,\nx,a,25,about 12,all\n", 3, 8,
		     "percent 'about 12'");
	expect_error(HDR "t,all,200,,\nx,a,25,12.1234567,all\n", 3, 8,
		     "at most 6 decimals");
	expect_error(HDR "t,all,200,,\nx,a,25,-3,all\n", 3, 8, "percent '-3'");
	expect_error(HDR "t,all,200,,\nx,a,25,12.,all\n", 3, 8, "percent '12.'");
	expect_error(HDR "t,all,200,12,\n", 2, 14, "of is empty");
}

static void test_rounding(void)
{
	/* At an exact half both rounding rules are accepted: 1 of 8 is 12.5%,
	 * so "12" (to even) and "13" (up) pass; "11" and "14" do not. */
	expect(HDR "t,all,8,,\nx,a,1,12,all\nx,rest,,,all\n", none);
	expect(HDR "t,all,8,,\nx,a,1,13,all\nx,rest,,,all\n", none);
	static const char *const low[] = {
		"3: a: 1 of 8 is 13%, printed 11%", NULL};
	expect(HDR "t,all,8,,\nx,a,1,11,all\nx,rest,,,all\n", low);
	/* 3 of 8 = 37.5%: up and to even both give 38, so 37 is wrong. */
	static const char *const odd[] = {
		"3: a: 3 of 8 is 38%, printed 37%", NULL};
	expect(HDR "t,all,8,,\nx,a,3,37,all\nx,rest,,,all\n", odd);
	/* 1 of 16 = 6.25%: 6.2 and 6.3 pass at one decimal. */
	expect(HDR "t,all,16,,\nx,a,1,6.2,all\nx,b,1,6.3,all\nx,rest,,,all\n",
	       none);
	/* Just off the half: 1 of 7 = 14.2857...%, so 14.3 and never 14.2. */
	static const char *const seventh[] = {
		"3: a: 1 of 7 is 14.29%, printed 14.28%", NULL};
	expect(HDR "t,all,7,,\nx,a,1,14.3,all\nx,rest,,,all\n", none);
	expect(HDR "t,all,7,,\nx,a,1,14.28,all\nx,rest,,,all\n", seventh);
	/* The workplace figure of 2023: 76 of 10,927 = 0.70% printed as
	 * "1 percent" is consistent at whole-number precision. */
	expect(HDR "t,all,10927,,\nplace,workplace,76,1 percent,all\n"
	       "place,rest,,,all\n", none);
	/* ... and 114 of 10,927 = 1.04% printed as "1.1" is not. */
	static const char *const sexual[] = {
		"3: sexual: 114 of 10,927 is 1.0%, printed 1.1%", NULL};
	expect(HDR "t,all,10927,,\nv,sexual,114,1.1 percent,all\n"
	       "v,rest,,,all\n", sexual);
	/* Large counts are exact: 1 of 999,999,999,999,999 at 6 decimals. */
	expect(HDR "t,all,999999999999999,,\nx,a,1,0.000000,all\n"
	       "x,rest,,,all\n", none);
	static const char *const tiny[] = {
		"3: a: 5,000,000,000 of 999,999,999,999,999 is 0.000500%, "
		"printed 0.000499%", NULL};
	expect(HDR "t,all,999999999999999,,\nx,a,5000000000,0.000499,all\n"
	       "x,rest,,,all\n", tiny);
}

static void test_sums(void)
{
	/* A complete breakdown must add up; a partial one must not exceed. */
	static const char *const sum[] = {
		"3: x: the 3 parts add up to 75, but their whole, all, is 76",
		NULL};
	expect(HDR "t,all,76,,\nx,a,53,,all\nx,b,12,,all\nx,c,10,,all\n", sum);
	expect(HDR "t,all,76,,\nx,a,53,,all\nx,b,12,,all\nx,c,11,,all\n", none);
	expect(HDR "t,all,76,,\nx,a,53,,all\nx,b,12,,all\nx,c,,,all\n", none);
	static const char *const over[] = {
		"3: x: the 2 parts shown add up to 77, more than their whole, "
		"all, 76", NULL};
	expect(HDR "t,all,76,,\nx,a,53,,all\nx,b,24,,all\nx,c,,,all\n", over);
	/* One part alone is never taken as complete. */
	expect(HDR "t,all,76,,\nx,a,53,,all\n", none);
	/* Parts larger than the whole. */
	static const char *const larger[] = {
		"3: a: 80 is larger than its whole, all, 76",
		"3: a: 80 of 76 is 105%, printed 5%",
		NULL};
	expect(HDR "t,all,76,,\nx,a,80,5,all\n", larger);
	/* Different tables sharing a whole are different breakdowns. */
	expect(HDR "t,all,10,,\nx,a,4,,all\nx,b,6,,all\ny,c,3,,all\n"
	       "y,d,7,,all\n", none);
	/* Without a table column the whole names the breakdown. */
	static const char *const unnamed[] = {
		"3: parts of all: the 2 parts add up to 11, but their whole, "
		"all, is 10", NULL};
	expect("category,count,of\nall,10,\na,4,all\nb,7,all\n", unnamed);
}

static void test_percent_sum(void)
{
	/* Three percents at one decimal may miss 100 by 0.15. */
	expect(HDR "t,all,3,,\nx,a,1,33.3,all\nx,b,1,33.3,all\nx,c,1,33.3,all\n",
	       none);
	/* The 2023 regions: 14 printed percents add up to 106.0; 11 with one
	 * decimal and 3 whole numbers allow 2.05. */
	static const char *const regions[] = {
		"3: region: the printed percents of the 14 parts of all add up "
		"to 106.0%, not 100% (rounding explains up to 2.05 points)",
		"10: Surkhandarya: 899 of 10,927 is 8.2%, printed 14.1%",
		NULL};
	expect(HDR "t,all,10927,,\n"
	       "region,Karakalpakstan,793,7.3,all\n"
	       "region,Andijan,827,7.6,all\n"
	       "region,Bukhara,825,7.6,all\n"
	       "region,Jizzakh,979,9,all\n"
	       "region,Navoi,985,9,all\n"
	       "region,Namangan,663,6.1,all\n"
	       "region,Samarkand,642,5.9,all\n"
	       "region,Surkhandarya,899,14.1,all\n"
	       "region,Syrdarya,549,5,all\n"
	       "region,Tashkent city,1046,9.6,all\n"
	       "region,Fergana,925,8.5,all\n"
	       "region,Kashkadarya,780,7.1,all\n"
	       "region,Khorezm,628,5.7,all\n"
	       "region,Tashkent,386,3.5,all\n", regions);
	/* Partial breakdowns: printed percents may reach 100 + tolerance
	 * (here 0.5 + 0.05) and no further. Parts without counts have no
	 * percent of their own to check. */
	expect(HDR "t,all,10,,\nx,a,,50,all\nx,b,,50.5,all\nx,c,,,all\n", none);
	expect(HDR "t,all,10,,\nx,a,,50,all\nx,b,,50.50,all\nx,c,,,all\n", none);
	static const char *const partial[] = {
		"3: x: the printed percents of the 2 parts shown of all add up "
		"to 100.51%, more than 100% (rounding explains up to 0.505 "
		"points)", NULL};
	expect(HDR "t,all,10,,\nx,a,,50,all\nx,b,,50.51,all\nx,c,,,all\n",
	       partial);
	/* Exactly at the tolerance is still rounding: two percents at one
	 * decimal may add up to 100.1. */
	expect(HDR "t,all,10,,\nx,a,,50.0,all\nx,b,,50.1,all\nx,c,,,all\n",
	       none);
	static const char *const edge[] = {
		"4: b: 5 of 10 is 50.0%, printed 50.1%", NULL};
	expect(HDR "t,all,10,,\nx,a,5,50.0,all\nx,b,5,50.1,all\n", edge);
	static const char *const beyond[] = {
		"3: x: the printed percents of the 2 parts of all add up to "
		"100.2%, not 100% (rounding explains up to 0.1 points)",
		"4: b: 5 of 10 is 50.0%, printed 50.2%", NULL};
	expect(HDR "t,all,10,,\nx,a,5,50.0,all\nx,b,5,50.2,all\n", beyond);
	/* A complete breakdown whose percents fall short of 100. */
	static const char *const low[] = {
		"3: x: the printed percents of the 2 parts of all add up to "
		"99.8%, not 100% (rounding explains up to 0.1 points)",
		"4: b: 5 of 10 is 50.0%, printed 49.8%", NULL};
	expect(HDR "t,all,10,,\nx,a,5,50.0,all\nx,b,5,49.8,all\n", low);
}

static void test_of(void)
{
	/* "women" names two rows; nobody refers to it, so that is fine. */
	expect(HDR "t,all,10,,\ng,women,9,90,all\ng,men,1,10,all\n"
	       "s,placed,5,,\ns,women,3,,placed\ns,children,2,,placed\n", none);
	/* TABLE:CATEGORY picks one of them. */
	expect(HDR "t,all,10,,\ng,women,9,,all\ng,men,1,,all\n"
	       "s,women,3,,\nk,young,2,,g:women\nk,old,7,,g:women\n", none);
	/* Matching ignores case and spacing. */
	expect(HDR "t,All  Appeals,10,,\ng,a,9,90,all appeals\n"
	       "g,b,1,10, ALL APPEALS\n", none);
	/* A colon that is part of a category still works. */
	expect(HDR "t,total: all,10,,\ng,a,9,,total: all\ng,b,1,,total: all\n",
	       none);
}

static void test_of_errors(void)
{
	expect_error(HDR "t,all,10,,\ng,women,9,,all\ns,women,3,,\n"
		     "k,young,2,,women\n", 5, 12, "lines 3 and 4");
	expect_error(HDR "t,all,10,,\ng,a,9,,alll\n", 3, 8,
		     "no row has the category 'alll'");
	expect_error(HDR "t,all,10,,all\n", 2, 11, "part of itself");
	expect_error(HDR "t,a,10,,b\nt,b,10,,a\n", 2, 9, "part of itself");
	expect_error(HDR "t,all,,,\ng,a,9,,all\n", 3, 8, "has no count");
}

static void test_header_errors(void)
{
	expect_error("table,category,count,percnt,of\n", 1, 22,
		     "unknown column 'percnt'");
	expect_error("table,category,percent,of\n", 1, 1, "category and count");
	expect_error("table,category,count,percent\n", 1, 1, "needs an of");
	expect_error("category,count,count\n", 1, 16, "appears twice");
	expect_error("", 0, 0, "no header");
	expect_error("# only a comment\n\n", 0, 0, "no header");
	expect_error(HDR "t,all,10,,,extra\n", 2, 12, "more fields");
	expect_error(HDR "t,,10,,\n", 2, 3, "category is empty");
	expect_error(HDR "t,\"all,10,,\n", 2, 3, "unterminated");
	expect_error(HDR "t,a\xff,10,,\n", 2, 3, "UTF-8");
	/* Aliases, any order, any case, a note column, trailing empties. */
	expect("Note,Base,Label,N,%,Breakdown\nhi,,all,10,,t\n"
	       ",all,a,4,40,x,,\n,all,b,6,60,x\n", none);
}

static void test_formats(void)
{
	/* Semicolons with decimal commas, CRLF, a BOM, comments holding
	 * quotes and delimiters, blank lines. */
	static const char *const want[] = {
		"6: b: 2 of 3 is 66.7%, printed 66.6%", NULL};
	expect("\xef\xbb\xbf# a \"quoted; comment, with\ttabs\r\n"
	       "table;category;count;percent;of\r\n"
	       "t;all;3;;\r\n"
	       "\r\n"
	       "x;a;1;33,3;all\r\n"
	       "x;b;2;66,6;all\r\n"
	       "  # indented comment\r\n", want);
	/* Rows a spreadsheet left empty are skipped; lines still count. */
	static const char *const excel[] = {
		"6: b: 2 of 3 is 66.7%, printed 66.6%", NULL};
	expect(HDR ",,,,\nt,all,3,,\n , ,,\nx,a,1,33.3,all\nx,b,2,66.6,all\n"
	       ",,,,\n", excel);
	static const char *const tabs[] = {NULL};
	expect("table\tcategory\tcount\tpercent\tof\nt\tall\t3\t\t\n"
	       "x\ta\t1\t33.3\tall\nx\tb\t2\t66.7\tall\n", tabs);
}

static void test_json(void)
{
	struct mj_error err;
	struct mj_audit_report *rep = audit(
		HDR "t,all,10927,,\nv,sexual \"x\",114,1.1,all\nv,rest,,,all\n",
		&err);
	CHECK(rep != NULL);
	if (!rep)
		return;
	char *json = mj_audit_report_json(rep);
	CHECK(json != NULL);
	if (json) {
		CHECK(strstr(json, "\"kind\": \"percent\"") != NULL);
		CHECK(strstr(json, "\"category\": \"sexual \\\"x\\\"\"") != NULL);
		CHECK(strstr(json, "\"count\": 114") != NULL);
		CHECK(strstr(json, "\"base\": 10927") != NULL);
		CHECK(strstr(json, "\"computed\": \"1.0\"") != NULL);
		CHECK(strstr(json, "\"printed\": \"1.1\"") != NULL);
		CHECK(strstr(json, "\"line\": 3") != NULL);
		CHECK(strstr(json, "\"file\": \"t.csv\"") != NULL);
		CHECK(strstr(json, "\"rows\": 3") != NULL);
		CHECK(strstr(json, "\"percents\": 1") != NULL);
		CHECK(strstr(json, "\"breakdowns\": 1") != NULL);
		CHECK(json[strlen(json) - 1] == '\n');
	}
	free(json);
	mj_audit_report_destroy(rep);
}

static void test_kinds(void)
{
	/* Every kind has its own name; the table keeps in step. */
	for (int k = 0; k < MJ_AUDIT_KIND_COUNT; k++) {
		CHECK(strcmp(mj_audit_kind_name(k), "unknown") != 0);
		for (int j = 0; j < k; j++)
			CHECK(strcmp(mj_audit_kind_name(k),
				     mj_audit_kind_name(j)) != 0);
	}
	CHECK_STR(mj_audit_kind_name(MJ_AUDIT_KIND_COUNT), "unknown");
	/* Destroying NULL does nothing. */
	mj_audit_doc_destroy(NULL);
	mj_audit_report_destroy(NULL);
}

static void test_totals(void)
{
	/* A report gathers several documents in order. */
	struct mj_error err;
	struct mj_audit_report *rep = mj_audit_report_new();
	const char *a = HDR "t,all,10,,\nx,a,4,40,all\nx,b,5,50,all\n";
	const char *b = HDR "t,all,8,,\nx,a,1,11,all\nx,rest,,,all\n";
	struct mj_audit_doc *da = mj_audit_doc_parse("a.csv", a, strlen(a), &err);
	struct mj_audit_doc *db = mj_audit_doc_parse("b.csv", b, strlen(b), &err);
	CHECK(rep && da && db);
	if (rep && da && db) {
		CHECK(mj_audit_check(da, NULL, rep, &err) == MJ_OK);
		CHECK(mj_audit_check(db, NULL, rep, &err) == MJ_OK);
		CHECK(mj_audit_report_count(rep) == 3);
		const struct mj_audit_finding *f = mj_audit_report_get(rep, 0);
		CHECK_STR(f->path, "a.csv");
		CHECK(f->kind == MJ_AUDIT_SUM);
		f = mj_audit_report_get(rep, 1);
		CHECK(f->kind == MJ_AUDIT_PERCENT_SUM);
		CHECK_STR(f->printed, "90");
		CHECK_STR(f->tolerance, "1");
		f = mj_audit_report_get(rep, 2);
		CHECK_STR(f->path, "b.csv");
		CHECK(f->kind == MJ_AUDIT_PERCENT);
		CHECK(mj_audit_report_get(rep, 3) == NULL);
		struct mj_audit_totals t;
		mj_audit_report_totals(rep, &t);
		CHECK(t.files == 2);
		CHECK(t.rows == 6);
		CHECK(t.percents == 3);
		CHECK(t.breakdowns == 2);
		CHECK(mj_audit_doc_nrows(da) == 3);
		CHECK(mj_audit_doc_npercents(da) == 2);
		CHECK(mj_audit_doc_nbreakdowns(da) == 1);
	}
	mj_audit_doc_destroy(da);
	mj_audit_doc_destroy(db);
	mj_audit_report_destroy(rep);
}

/* Ten appeal records: Andijan 6, Surkhandarya 4;
 * domestic 4 (spouse 3, in-law 1), public 2, place not stated 4; women 8,
 * men 2; two in February. */
static const char records_text[] =
	"id,date,region,sex,age,violence,place,relationship,outcome,children\n"
	"1,2023-01-01,Andijan,female,30,physical,domestic,spouse,shelter,2\n"
	"2,2023-01-02,Andijan,female,31,physical,domestic,spouse,shelter,1\n"
	"3,2023-01-03,Andijan,female,32,sexual,domestic,spouse,referral,\n"
	"4,2023-01-04,Andijan,female,33,physical,domestic,in_law,referral,\n"
	"5,2023-01-05,Andijan,female,34,economic,public,neighbour,referral,\n"
	"6,2023-01-06,Andijan,female,35,economic,public,abroad,referral,\n"
	"7,2023-01-07,UZ-SU,female,36,other,,,consultation,\n"
	"8,2023-01-08,UZ-SU,female,37,other,,,consultation,\n"
	"9,2023-02-01,UZ-SU,male,38,other,,,consultation,\n"
	"10,2023-02-02,UZ-SU,male,39,other,,,consultation,\n";

/* Write the records to a temporary file; its name is in path. */
static int records_file(char *path, size_t len)
{
	snprintf(path, len, "/tmp/mj-audit-test-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	size_t n = strlen(records_text);
	int ok = write(fd, records_text, n) == (ssize_t)n;
	close(fd);
	return ok ? 0 : -1;
}

/* Audit text against the records with an optional period; findings and
 * notes as "LINE: message" must be exactly want[]. */
static void expect_against(const char *text, const char *period,
			   const char *const *want)
{
	char path[64];
	CHECK(records_file(path, sizeof path) == 0);
	struct mj_error err;
	struct mj_audit_doc *doc = mj_audit_doc_parse("t.csv", text,
						      strlen(text), &err);
	CHECK(doc != NULL);
	struct mj_run_opts opts;
	mj_run_opts_init(&opts);
	opts.period = period;
	const char *files[] = {path};
	const struct mj_audit_doc *docs[] = {doc};
	struct mj_audit_counts *counts = doc ? mj_audit_counts_make(docs, 1,
		&opts, files, 1, &err) : NULL;
	if (!counts)
		fprintf(stderr, "counts: %lu:%lu: %s\n", err.line, err.column,
			err.message);
	CHECK(counts != NULL);
	struct mj_audit_report *rep = mj_audit_report_new();
	if (counts && rep) {
		CHECK(mj_audit_check(doc, counts, rep, &err) == MJ_OK);
		size_t n = 0, got = 0;
		while (want[n])
			n++;
		char line[1200];
		for (size_t i = 0; i < mj_audit_report_count(rep); i++, got++) {
			const struct mj_audit_finding *f = mj_audit_report_get(rep, i);
			snprintf(line, sizeof line, "%lu: %s", f->line, f->message);
			if (got < n)
				CHECK_STR(line, want[got]);
			else
				fprintf(stderr, "unexpected: %s\n", line);
		}
		for (size_t i = 0; i < mj_audit_report_nnotes(rep); i++, got++) {
			const struct mj_error *e = mj_audit_report_note(rep, i);
			snprintf(line, sizeof line, "%lu:%lu: note: %s", e->line,
				 e->column, e->message);
			if (got < n)
				CHECK_STR(line, want[got]);
			else
				fprintf(stderr, "unexpected: %s\n", line);
		}
		if (got != n)
			fprintf(stderr, "expected %zu findings and notes, got %zu\n",
				n, got);
		CHECK(got == n);
	}
	mj_audit_report_destroy(rep);
	mj_audit_counts_destroy(counts);
	mj_audit_doc_destroy(doc);
	unlink(path);
}

static void test_against(void)
{
	/* Every way of saying what a row counts; the records agree. */
	expect_against(
		"table,category,count,of,records\n"
		"total,all appeals,10,,all\n"
		"region,Andijan,6,all appeals,\n"           /* inferred */
		"region,Surkhandarya,4,all appeals,region=UZ-SU\n"
		"region,Bukhara,0,all appeals,region=Bukhara region\n"
		"place,domestic violence,4,all appeals,place=domestic\n"
		"place,public,2,all appeals,\n"
		"place,not stated,4,all appeals,\n"          /* missing, inferred */
		"relationship,husband and wife,3,domestic violence,relationship=spouse\n"
		"relationship,in-law,1,domestic violence,relationship=in_law\n"
		"group,women,8,all appeals,group=woman\n"
		"group,men,2,all appeals,group=Men\n"        /* by label */
		"shelter,placed,2,,outcome=shelter\n"
		"shelter,children,3,,-\n"                    /* skipped */
		"month,2023-02,2,all appeals,month=2023-02\n"
		"month,January,8,all appeals,month=2023-01\n",
		NULL, none);
	/* Differences, and rows that cannot be placed. */
	static const char *const diff[] = {
		"3: Andijan: printed 7, the records count 6 (region=UZ-AN)",
		"4: domestic: printed 5, the records count 4 (place=domestic)",
		"5: abroad: printed 0, the records count 1 (relationship=abroad)",
		"6:9: note: ghosts: not compared with the records, as its table, "
		"'shelter', is not a dimension of the schema; write what it "
		"counts in its records column (DIMENSION=CODE or all), or - to "
		"skip it",
		"7:10: note: spiritual: not compared with the records, as "
		"'spiritual' "
		"is not a category of violence; write what it counts in its "
		"records column (DIMENSION=CODE or all), or - to skip it",
		NULL};
	expect_against(
		"table,category,count,records\n"
		"total,all,10,all\n"
		"region,Andijan,7,\n"
		"place,domestic,5,\n"
		"relationship,abroad,0,\n"
		"shelter,ghosts,1,\n"
		"violence,spiritual,1,\n", NULL, diff);
	/* The period applies as in mj-tab: February holds 2 records. */
	static const char *const feb[] = {
		"2: all: printed 10, the records count 2",
		"3: Surkhandarya: printed 3, the records count 2 (region=UZ-SU)",
		NULL};
	expect_against("table,category,count,records\nt,all,10,all\n"
		       "region,Surkhandarya,3,region=UZ-SU\n"
		       "region,Andijan,0,region=UZ-AN\n", "2023-02", feb);
}

static void test_against_errors(void)
{
	char path[64];
	CHECK(records_file(path, sizeof path) == 0);
	const char *files[] = {path};
	struct mj_run_opts opts;
	mj_run_opts_init(&opts);
	static const struct {
		const char *text;
		unsigned long line, col;
		const char *part;
	} cases[] = {
		{"category,count,records\nall,10,everything\n", 2, 8,
		 "write all, - or DIMENSION=CATEGORY"},
		{"category,count,records\nall,10,colour=red\n", 2, 8,
		 "'colour' is not a dimension"},
		{"category,count,records\nall,10,region=Atlantis\n", 2, 8,
		 "'Atlantis' is not a category of region"},
		{"category,count,records\nall,10,date=2023-01-01\n", 2, 8,
		 "cannot be counted by category"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct mj_error err;
		struct mj_audit_doc *doc = mj_audit_doc_parse("t.csv",
			cases[i].text, strlen(cases[i].text), &err);
		CHECK(doc != NULL);
		if (!doc)
			continue;
		const struct mj_audit_doc *docs[] = {doc};
		mj_error_clear(&err);
		struct mj_audit_counts *c = mj_audit_counts_make(docs, 1, &opts,
								 files, 1, &err);
		CHECK(c == NULL);
		CHECK(err.line == cases[i].line);
		CHECK(err.column == cases[i].col);
		int found = strstr(err.message, cases[i].part) != NULL;
		if (!found)
			fprintf(stderr, "case %zu: %lu:%lu: %s\n", i, err.line,
				err.column, err.message);
		CHECK(found);
		mj_audit_counts_destroy(c);
		mj_audit_doc_destroy(doc);
	}
	/* A records file that cannot be read. */
	const char *text = "category,count,records\nall,10,all\n";
	struct mj_error err;
	struct mj_audit_doc *doc = mj_audit_doc_parse("t.csv", text,
						      strlen(text), &err);
	const struct mj_audit_doc *docs[] = {doc};
	const char *nofile[] = {"/nonexistent/records.csv"};
	struct mj_audit_counts *c = mj_audit_counts_make(docs, 1, &opts,
							 nofile, 1, &err);
	CHECK(c == NULL);
	CHECK(err.status == MJ_E_IO);
	mj_audit_counts_destroy(c);
	mj_audit_doc_destroy(doc);
	mj_audit_counts_destroy(NULL);
	unlink(path);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"counts", test_counts},
		{"count_errors", test_count_errors},
		{"percents", test_percents},
		{"percent_errors", test_percent_errors},
		{"rounding", test_rounding},
		{"sums", test_sums},
		{"percent_sum", test_percent_sum},
		{"of", test_of},
		{"of_errors", test_of_errors},
		{"header_errors", test_header_errors},
		{"formats", test_formats},
		{"json", test_json},
		{"kinds", test_kinds},
		{"totals", test_totals},
		{"against", test_against},
		{"against_errors", test_against_errors},
		{0, 0}};
	return run_case(cases, argc, argv);
}
