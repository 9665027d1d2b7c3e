/* Unit tests for the synth module: the spec parser, exact marginals,
 * determinism, scaling and write errors. */
#include "murojaat/synth.h"

#include <stdint.h>

#include "check.h"

static struct mj_schema *schema(void)
{
	struct mj_error e;
	struct mj_schema *s = mj_schema_default(&e);
	if (!s) {
		fprintf(stderr, "no default schema: %s\n", e.message);
		exit(1);
	}
	return s;
}

static struct mj_synth *parse(const char *text, struct mj_error *e)
{
	struct mj_schema *sc = schema();
	struct mj_synth *s = mj_synth_parse(sc, "t.spec", text, strlen(text), e);
	mj_schema_destroy(sc);
	return s;
}

/* Generate into memory; caller frees. */
static char *generate(const struct mj_synth *s, uint64_t seed, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	struct mj_error e;
	CHECK(mj_synth_write(s, seed, f, "mem", &e) == MJ_OK);
	fclose(f);
	return buf;
}

/* Split a CSV line without quotes into at most max fields (in place). */
static size_t split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	fields[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == ',') {
			*p = '\0';
			fields[n++] = p + 1;
		}
	}
	return n;
}

enum { ID, DATE, CHANNEL, REGION, DISTRICT, SEX, AGE, VIOLENCE, PLACE,
       RELATIONSHIP, OUTCOME, CHILDREN, NCOLS };

static const char *const header =
	"id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children";

static const char spec_small[] =
	"# A spec exercising every kind of value.\n"
	"total,20\n"
	"id,T-\n"
	"block,sex,age,outcome,children\n"
	"7,female,18-59,shelter,2\n"
	"5,female,10-17,consultation,0\n"
	"6,Ж,,referral,0\n"
	"2,male,30,consultation,0\n"
	"block,place,relationship\n"
	"9,domestic,spouse\n"
	"4,workplace,employer\n"
	"0,public,abroad\n"
	"7,,\n"
	"block, region ,district\n"
	"12,Tashkent city,Chilonzor|Yunusobod\n"
	"8,UZ-QR,\"Nukus, city\"\n"
	"block,date\n"
	"15,2023-01-01..2023-01-31\n"
	"5,2023-03\n";

static void test_parse(void)
{
	struct mj_error e;
	struct mj_synth *s = parse(spec_small, &e);
	CHECK(s != NULL);
	if (!s) {
		fprintf(stderr, "%s:%lu:%lu: %s\n", e.path, e.line, e.column, e.message);
		return;
	}
	CHECK(mj_synth_rows(s) == 20);
	CHECK(mj_synth_nblocks(s) == 4);
	CHECK(mj_synth_block_ncols(s, 0) == 4);
	CHECK_STR(mj_synth_block_col(s, 0, 1), "age");
	CHECK_STR(mj_synth_block_col(s, 2, 0), "region");
	CHECK(mj_synth_block_nrows(s, 0) == 4);
	CHECK(mj_synth_block_count(s, 0, 2) == 6);
	CHECK(mj_synth_block_count(s, 1, 2) == 0);
	CHECK(mj_synth_block_nrows(s, 3) == 2);
	CHECK(mj_synth_block_count(s, 9, 0) == 0);
	CHECK(mj_synth_block_col(s, 0, 9) == NULL);
	mj_synth_destroy(s);
	mj_synth_destroy(NULL);

	/* Without total, the first block gives it. */
	s = parse("block,sex\n3,female\n1,male\nblock,violence\n4,other\n", &e);
	CHECK(s && mj_synth_rows(s) == 4);
	mj_synth_destroy(s);
}

struct bad_case {
	const char *spec;
	enum mj_status status;
	unsigned long line, column;
	const char *message; /* a part of the message */
};

static void test_errors(void)
{
	static const struct bad_case cases[] = {
		{"total,5\nblock,sex\n3,female\n1,male\n", MJ_E_VALUE, 2, 1,
		 "add up to 4, not the total 5"},
		{"total,4\nblock,sex\n4,female\nblock,violence\n3,other\n", MJ_E_VALUE, 4, 1,
		 "add up to 3, not the total 4"},
		{"block,sex,colour\n1,female,red\n", MJ_E_VALUE, 1, 11,
		 "unknown column 'colour'"},
		{"block,region\n5,Tashknt city\n", MJ_E_VALUE, 2, 3,
		 "unknown value \"Tashknt city\" (did you mean \"UZ-TK\"?)"},
		{"block,violence\n5,zzzzzzzzzz\n", MJ_E_VALUE, 2, 3,
		 "column 'violence': unknown value \"zzzzzzzzzz\""},
		{"block,sex\nfive,female\n", MJ_E_PARSE, 2, 1,
		 "unknown directive \"five\""},
		{"block,sex\n5x,female\n", MJ_E_VALUE, 2, 1,
		 "count \"5x\" is not a whole number"},
		{"block,sex\n99999999999,female\n", MJ_E_VALUE, 2, 1,
		 "is not a whole number up to 4294967295"},
		{"block,sex,age\n5,female\n", MJ_E_PARSE, 2, 1,
		 "row has 1 values but the block of line 1 has 2 columns"},
		{"5,female\n", MJ_E_PARSE, 1, 1, "a count row before any block"},
		{"block,sex\n5,female\ntotal,5\n", MJ_E_PARSE, 3, 1,
		 "the total must come before the first block"},
		{"total,5\ntotal,5\n", MJ_E_PARSE, 2, 1, "the total is given twice"},
		{"total,x\n", MJ_E_VALUE, 1, 7, "total \"x\" is not a whole number"},
		{"block,sex\n5,female\nblock,violence,sex\n5,other,male\n", MJ_E_VALUE, 3, 16,
		 "column 'sex' is already in a block"},
		{"block,sex,sex\n5,female,female\n", MJ_E_VALUE, 1, 11,
		 "column 'sex' is already in a block"},
		{"block,relationship\n5,spouse\n", MJ_E_VALUE, 1, 7,
		 "needs its parent column 'place' in the same block"},
		{"block,place,relationship\n5,workplace,spouse\n", MJ_E_VALUE, 2, 13,
		 "'spouse' belongs to place 'domestic'"},
		{"block,place,relationship\n5,,mahalla\n", MJ_E_VALUE, 2, 4,
		 "'mahalla' belongs to place 'public'"},
		{"block,id\n5,x\n", MJ_E_VALUE, 1, 7, "column 'id' is generated"},
		{"block,group\n5,woman\n", MJ_E_VALUE, 1, 7, "column 'group' is derived"},
		{"block,age\n5,59-18\n", MJ_E_VALUE, 2, 3, "range \"59-18\" runs backwards"},
		{"block,age\n5,18-130\n", MJ_E_VALUE, 2, 3, "\"18-130\" is outside 0-120"},
		{"block,age\n5,18-\n", MJ_E_VALUE, 2, 3, "is not a whole number or a range"},
		{"block,children\n5,-1\n", MJ_E_VALUE, 2, 3, "is not a whole number or a range"},
		{"block,date\n5,2023-02-30\n", MJ_E_VALUE, 2, 3, "is not a date"},
		{"block,date\n5,2023-13\n", MJ_E_VALUE, 2, 3, "is not a date"},
		{"block,date\n5,2023-03..2023-01\n", MJ_E_VALUE, 2, 3, "runs backwards"},
		{"block,sex\n5,female|robot\n", MJ_E_VALUE, 2, 3, "unknown value \"robot\""},
		{"block\n", MJ_E_PARSE, 1, 1, "a block names at least one column"},
		{"block,sex\nblock,violence\n5,other\n", MJ_E_EMPTY, 1, 1,
		 "the block has no count rows"},
		{"# nothing\n\ntotal,3\n", MJ_E_EMPTY, 0, 0, "the spec has no block"},
		{"block,sex\n5,\"female\n", MJ_E_PARSE, 2, 3, "unterminated quoted field"},
		{"id,a,b\nblock,sex\n1,male\n", MJ_E_PARSE, 1, 1, "write the id prefix as id,PREFIX"},
		{NULL, 0, 0, 0, NULL},
	};
	for (const struct bad_case *c = cases; c->spec; c++) {
		struct mj_error e;
		mj_error_clear(&e);
		struct mj_synth *s = parse(c->spec, &e);
		CHECK(s == NULL);
		mj_synth_destroy(s);
		if (e.status != c->status || e.line != c->line ||
		    e.column != c->column || !strstr(e.message, c->message) ||
		    strcmp(e.path, "t.spec") != 0) {
			fprintf(stderr, "spec %s\n  expected %d %lu:%lu %s\n  got %d %s:%lu:%lu %s\n",
				c->spec, c->status, c->line, c->column, c->message,
				e.status, e.path, e.line, e.column, e.message);
			check_failures++;
		}
	}
}

/* Count, in the generated records, each block row of spec_small and check
 * that the counts are the spec's, and that drawn values stay in range. */
static void test_marginals(void)
{
	struct mj_error e;
	struct mj_synth *s = parse(spec_small, &e);
	CHECK(s != NULL);
	if (!s)
		return;
	size_t len;
	char *out = generate(s, 7, &len);
	char *save = NULL;
	char *line = strtok_r(out, "\n", &save);
	CHECK_STR(line, header);
	unsigned long n = 0, shelter = 0, young = 0, nostated = 0, oldmen = 0;
	unsigned long spouse = 0, employer = 0, abroad = 0, noplace = 0;
	unsigned long tk = 0, qr = 0, jan = 0, mar = 0, children = 0;
	char seen[20][16];
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *f[NCOLS + 2];
		/* The quoted district holds a comma: 13 fields for UZ-QR rows. */
		size_t nf = split(line, f, NCOLS + 2);
		int quoted = strcmp(f[REGION], "UZ-QR") == 0;
		CHECK(nf == (size_t)NCOLS + quoted);
		if (nf != (size_t)NCOLS + quoted)
			break;
		if (quoted) {
			CHECK_STR(f[DISTRICT], "\"Nukus");
			CHECK_STR(f[DISTRICT + 1], " city\"");
			for (int i = DISTRICT + 1; i < NCOLS; i++)
				f[i] = f[i + 1];
		}
		CHECK(n < 20);
		if (n >= 20)
			break;
		snprintf(seen[n], sizeof seen[n], "%s", f[ID]);
		for (unsigned long k = 0; k < n; k++)
			CHECK(strcmp(seen[k], f[ID]) != 0);
		CHECK(strncmp(f[ID], "T-0000", 6) == 0 && strlen(f[ID]) == 8);
		n++;
		long age = f[AGE][0] ? strtol(f[AGE], NULL, 10) : -1;
		long kids = strtol(f[CHILDREN], NULL, 10);
		children += (unsigned long)kids;
		if (!strcmp(f[OUTCOME], "shelter")) {
			shelter++;
			CHECK_STR(f[SEX], "female");
			CHECK(age >= 18 && age <= 59);
			CHECK(kids == 2);
		} else if (!strcmp(f[OUTCOME], "consultation") && !strcmp(f[SEX], "female")) {
			young++;
			CHECK(age >= 10 && age <= 17);
		} else if (!strcmp(f[OUTCOME], "referral")) {
			nostated++;
			CHECK_STR(f[SEX], "female"); /* the alias Ж is written as its code */
			CHECK(age == -1);
		} else {
			oldmen++;
			CHECK_STR(f[SEX], "male");
			CHECK(age == 30);
		}
		if (!strcmp(f[PLACE], "domestic") && !strcmp(f[RELATIONSHIP], "spouse"))
			spouse++;
		else if (!strcmp(f[PLACE], "workplace") && !strcmp(f[RELATIONSHIP], "employer"))
			employer++;
		else if (!strcmp(f[PLACE], "public"))
			abroad++;
		else if (!f[PLACE][0] && !f[RELATIONSHIP][0])
			noplace++;
		if (!strcmp(f[REGION], "UZ-TK")) {
			tk++;
			CHECK(!strcmp(f[DISTRICT], "Chilonzor") ||
			      !strcmp(f[DISTRICT], "Yunusobod"));
		} else if (quoted) {
			qr++;
		}
		if (!strncmp(f[DATE], "2023-01-", 8))
			jan++;
		else if (!strncmp(f[DATE], "2023-03-", 8))
			mar++;
		CHECK(strlen(f[DATE]) == 10);
		CHECK(f[CHANNEL][0] == '\0' && f[VIOLENCE][0] == '\0');
	}
	CHECK(n == 20);
	CHECK(shelter == 7 && young == 5 && nostated == 6 && oldmen == 2);
	CHECK(children == 14);
	CHECK(spouse == 9 && employer == 4 && abroad == 0 && noplace == 7);
	CHECK(tk == 12 && qr == 8);
	CHECK(jan == 15 && mar == 5);
	free(out);
	mj_synth_destroy(s);
}

/* Marginals of a bigger spec, over many seeds: the counts never move. */
static void test_exact_many_seeds(void)
{
	static const char spec[] =
		"total,1000\n"
		"block,violence\n"
		"271,physical\n11,sexual\n464,psychological\n106,economic\n148,other\n"
		"block,channel\n"
		"999,hotline\n1,office\n";
	struct mj_error e;
	struct mj_synth *s = parse(spec, &e);
	CHECK(s != NULL);
	if (!s)
		return;
	static const char *const codes[] = {"physical", "sexual", "psychological",
					    "economic", "other"};
	static const unsigned long want[] = {271, 11, 464, 106, 148};
	for (uint64_t seed = 0; seed < 20; seed++) {
		size_t len;
		char *out = generate(s, seed, &len);
		unsigned long got[5] = {0}, office = 0, rows = 0;
		char *save = NULL;
		char *line = strtok_r(out, "\n", &save);
		while ((line = strtok_r(NULL, "\n", &save))) {
			char *f[NCOLS + 1];
			CHECK(split(line, f, NCOLS + 1) == NCOLS);
			rows++;
			for (int k = 0; k < 5; k++)
				got[k] += strcmp(f[VIOLENCE], codes[k]) == 0;
			office += strcmp(f[CHANNEL], "office") == 0;
		}
		CHECK(rows == 1000 && office == 1);
		for (int k = 0; k < 5; k++)
			CHECK(got[k] == want[k]);
		free(out);
	}
	mj_synth_destroy(s);
}

/* Draws are uniform: each age of a range and each alternative comes up
 * about equally often, and a block's rows are spread over the whole file,
 * not bunched at its start. */
static void test_uniform(void)
{
	static const char spec[] =
		"block,age,district\n20000,0-9,a|b|c|d\n"
		"block,violence\n10000,physical\n10000,other\n";
	struct mj_error e;
	struct mj_synth *s = parse(spec, &e);
	CHECK(s != NULL);
	if (!s)
		return;
	size_t len;
	char *out = generate(s, 3, &len);
	unsigned long ages[10] = {0}, districts[4] = {0}, first_half = 0, n = 0;
	char *save = NULL;
	char *line = strtok_r(out, "\n", &save);
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *f[NCOLS + 1];
		CHECK(split(line, f, NCOLS + 1) == NCOLS);
		long age = strtol(f[AGE], NULL, 10);
		CHECK(age >= 0 && age <= 9);
		if (age >= 0 && age <= 9)
			ages[age]++;
		CHECK(strlen(f[DISTRICT]) == 1 && f[DISTRICT][0] >= 'a' && f[DISTRICT][0] <= 'd');
		if (f[DISTRICT][0] >= 'a' && f[DISTRICT][0] <= 'd')
			districts[f[DISTRICT][0] - 'a']++;
		if (n++ < 10000)
			first_half += strcmp(f[VIOLENCE], "physical") == 0;
	}
	CHECK(n == 20000);
	/* Expected 2000 and 5000; the bounds are over six standard deviations. */
	for (int i = 0; i < 10; i++)
		CHECK(ages[i] > 1750 && ages[i] < 2250);
	for (int i = 0; i < 4; i++)
		CHECK(districts[i] > 4600 && districts[i] < 5400);
	CHECK(first_half > 4600 && first_half < 5400);
	free(out);
	mj_synth_destroy(s);
}

static void test_deterministic(void)
{
	struct mj_error e;
	struct mj_synth *s = parse(spec_small, &e);
	CHECK(s != NULL);
	if (!s)
		return;
	size_t l1, l2, l3;
	char *a = generate(s, 42, &l1);
	char *b = generate(s, 42, &l2);
	char *c = generate(s, 43, &l3);
	CHECK(l1 == l2 && memcmp(a, b, l1) == 0);
	CHECK(l1 != l3 || memcmp(a, c, l1) != 0);
	/* The same spec parsed again gives the same bytes too. */
	struct mj_synth *s2 = parse(spec_small, &e);
	size_t l4;
	char *d = generate(s2, 42, &l4);
	CHECK(l1 == l4 && memcmp(a, d, l1) == 0);
	free(a);
	free(b);
	free(c);
	free(d);
	mj_synth_destroy(s);
	mj_synth_destroy(s2);
}

static uint64_t block_sum(const struct mj_synth *s, size_t b)
{
	uint64_t sum = 0;
	for (size_t r = 0; r < mj_synth_block_nrows(s, b); r++)
		sum += mj_synth_block_count(s, b, r);
	return sum;
}

static void test_scale(void)
{
	struct mj_error e;
	struct mj_synth *s = parse(
		"block,violence\n5,physical\n3,sexual\n2,other\n"
		"block,sex\n1,female\n1,male\n8,\n", &e);
	CHECK(s != NULL);
	if (!s)
		return;
	/* 7 of 10: 3.5, 2.1, 1.4 round down to 3, 2, 1; the largest remainder
	 * (0.5) gets the one left. */
	CHECK(mj_synth_scale(s, 7, &e) == MJ_OK);
	CHECK(mj_synth_rows(s) == 7);
	CHECK(mj_synth_block_count(s, 0, 0) == 4);
	CHECK(mj_synth_block_count(s, 0, 1) == 2);
	CHECK(mj_synth_block_count(s, 0, 2) == 1);
	/* 0.7, 0.7, 5.6: the two largest remainders get one each. */
	CHECK(mj_synth_block_count(s, 1, 0) == 1);
	CHECK(mj_synth_block_count(s, 1, 1) == 1);
	CHECK(mj_synth_block_count(s, 1, 2) == 5);
	/* 2.5, 1.5, 1.0 and 0.5, 0.5, 4.0: ties go to the earlier row. */
	CHECK(mj_synth_scale(s, 5, &e) == MJ_OK);
	CHECK(mj_synth_block_count(s, 0, 0) == 3);
	CHECK(mj_synth_block_count(s, 0, 1) == 1);
	CHECK(mj_synth_block_count(s, 1, 0) == 1);
	CHECK(mj_synth_block_count(s, 1, 1) == 0);
	CHECK(mj_synth_block_count(s, 1, 2) == 4);
	static const uint64_t sizes[] = {0, 1, 2, 3, 13, 999, 1000003, 4294967295ull};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		CHECK(mj_synth_scale(s, sizes[i], &e) == MJ_OK);
		for (size_t b = 0; b < mj_synth_nblocks(s); b++)
			CHECK(block_sum(s, b) == sizes[i]);
	}
	/* Scaling starts from the spec each time: back to 10 gives it back. */
	CHECK(mj_synth_scale(s, 10, &e) == MJ_OK);
	CHECK(mj_synth_block_count(s, 0, 0) == 5 && mj_synth_block_count(s, 1, 2) == 8);
	CHECK(mj_synth_scale(s, 4294967296ull, &e) == MJ_E_LIMIT);
	/* Scaled output has the rows asked for, and the scaled counts. */
	CHECK(mj_synth_scale(s, 1234, &e) == MJ_OK);
	size_t len;
	char *out = generate(s, 1, &len);
	unsigned long lines = 0, physical = 0;
	for (char *p = out; (p = strchr(p, '\n')); p++)
		lines++;
	for (char *p = out; (p = strstr(p, ",physical,")); p++)
		physical++;
	CHECK(lines == 1235);
	CHECK(physical == mj_synth_block_count(s, 0, 0));
	CHECK(physical == 617);
	free(out);
	mj_synth_destroy(s);

	s = parse("total,0\nblock,sex\n0,female\n", &e);
	CHECK(s && mj_synth_rows(s) == 0);
	if (s) {
		CHECK(mj_synth_scale(s, 5, &e) == MJ_E_EMPTY);
		out = generate(s, 1, &len);
		CHECK(len == strlen(header) + 1);
		free(out);
	}
	mj_synth_destroy(s);
}

static void test_write_error(void)
{
	struct mj_error e;
	struct mj_synth *s = parse(spec_small, &e);
	CHECK(s != NULL);
	if (!s)
		return;
	/* A full device: the write error is reported with the name given. */
	FILE *f = fopen("/dev/full", "w");
	CHECK(f != NULL);
	if (f) {
		mj_error_clear(&e);
		CHECK(mj_synth_write(s, 1, f, "full.csv", &e) == MJ_E_IO);
		CHECK_STR(e.path, "full.csv");
		CHECK(strstr(e.message, "write error") != NULL);
		fclose(f);
	}
	mj_synth_destroy(s);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"parse", test_parse},
		{"errors", test_errors},
		{"marginals", test_marginals},
		{"exact_many_seeds", test_exact_many_seeds},
		{"uniform", test_uniform},
		{"deterministic", test_deterministic},
		{"scale", test_scale},
		{"write_error", test_write_error},
		{0, 0}};
	return run_case(cases, argc, argv);
}
