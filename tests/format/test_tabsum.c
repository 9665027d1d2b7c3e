/* Unit tests for tables as inputs (lib/format/tabsum.c): recognising a table,
 * sums equal to the table of the registers together, roll-ups, periods,
 * double counting, hidden cells and tables lacking a dimension. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "murojaat/tab.h"
#include "murojaat/tabsum.h"

#include "check.h"

static char dir[64];

/* The path of name in the test's folder: one of 16 buffers used in turn,
 * so keep a copy (path_keep) of one needed for longer. */
static const char *path_of(const char *name)
{
	static char buf[16][128];
	static int k;
	k = (k + 1) % 16;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static char kept[8][128];

static const char *path_keep(int slot, const char *name)
{
	snprintf(kept[slot], sizeof kept[slot], "%s/%s", dir, name);
	return kept[slot];
}

static void put(const char *name, const char *text)
{
	FILE *f = fopen(path_of(name), "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fputs(text, f);
	fclose(f);
}

#define HEAD "id,date,channel,region,sex,age,violence,place,relationship,outcome,children\n"
/* January at two offices, and February at the first. */
static const char jan1[] = HEAD
	"1,2023-01-03,office,UZ-AN,female,30,physical,domestic,spouse,referral,0\n"
	"2,2023-01-09,office,UZ-AN,female,41,psychological,domestic,in_law,shelter,2\n"
	"3,2023-01-20,hotline,UZ-AN,male,35,economic,elsewhere,,consultation,0\n"
	"4,2023-01-28,office,UZ-AN,female,19,psychological,,,referral,0\n";
static const char jan2[] = HEAD
	"5,2023-01-05,office,UZ-BU,female,52,physical,public,neighbour,referral,0\n"
	"6,2023-01-17,hotline,UZ-BU,female,16,sexual,domestic,parent_child,shelter,1\n"
	"7,2023-01-30,office,UZ-BU,female,33,psychological,domestic,spouse,referral,0\n";
static const char feb1[] = HEAD
	"8,2023-02-02,office,UZ-AN,female,28,physical,domestic,spouse,referral,0\n"
	"9,2023-02-21,office,UZ-AN,female,60,other,workplace,employer,consultation,0\n";

/* Tabulates files into one table by by (and cols). */
static struct mj_table *tabulate(const char *by, const char *cols, const char *const *files,
				 size_t n, enum mj_lang lang)
{
	struct mj_run_opts o;
	mj_run_opts_init(&o);
	o.lang = lang;
	o.threads = 1;
	struct mj_tab_spec spec = {.by = by, .cols = cols};
	struct mj_table *t = NULL;
	struct mj_error err;
	if (mj_tabulate(&o, files, n, &spec, 1, &t, NULL, &err) != MJ_OK)
		fprintf(stderr, "tabulate: %s\n", err.message);
	CHECK(t != NULL);
	return t;
}

/* Writes t as a table file in format f. */
static void write_table(const char *name, const struct mj_table *t, enum mj_format f)
{
	FILE *out = fopen(path_of(name), "w");
	struct mj_write_opts w;
	mj_write_opts_init(&w, t);
	w.format = f;
	struct mj_error err;
	CHECK(out && mj_table_write(out, t, &w, &err) == MJ_OK);
	if (out)
		fclose(out);
}

/* Sums the table files by by (and cols). */
static enum mj_status sum(const char *by, const char *cols, const char *const *names, size_t n,
			  int allow_overlap, struct mj_table **out, struct mj_tabsum_info *info,
			  struct mj_error *err)
{
	const char *files[8];
	for (size_t i = 0; i < n; i++)
		files[i] = path_of(names[i]);
	struct mj_run_opts o;
	mj_run_opts_init(&o);
	o.threads = 1;
	o.allow_overlap = allow_overlap;
	struct mj_tab_spec spec = {.by = by, .cols = cols};
	return mj_tabsum(&o, files, n, &spec, 1, out, NULL, info, err);
}

/* The cells of a and b are the same, codes, values and marks. */
static void same_cells(const struct mj_table *a, const struct mj_table *b)
{
	CHECK(a && b);
	if (!a || !b)
		return;
	CHECK(a->nrows == b->nrows && a->ncols == b->ncols && a->ndims == b->ndims);
	if (a->nrows != b->nrows || a->ncols != b->ncols || a->ndims != b->ndims)
		return;
	for (size_t r = 0; r < a->nrows; r++) {
		for (size_t i = 0; i < a->ndims; i++)
			CHECK_STR(a->rows[r].codes[i], b->rows[r].codes[i]);
		CHECK(a->rows[r].kind == b->rows[r].kind);
		for (size_t c = 0; c < a->ncols; c++) {
			CHECK_NUM(a->rows[r].values[c], b->rows[r].values[c]);
			CHECK(a->rows[r].suppressed[c] == b->rows[r].suppressed[c]);
		}
	}
	CHECK(a->n_read == b->n_read && a->n_counted == b->n_counted);
	CHECK_STR(a->period_from, b->period_from);
	CHECK_STR(a->period_to, b->period_to);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/test_tabsum.XXXXXX");
	CHECK(mkdtemp(dir) != NULL);
	put("jan1.csv", jan1);
	put("jan2.csv", jan2);
	put("feb1.csv", feb1);
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
}

static void test_is_table(void)
{
	static const char csv[] = "violence_code,violence,count\nphysical,Physical,3\n";
	CHECK(mj_tabsum_is_table(csv, strlen(csv)));
	static const char excel[] = "\xef\xbb\xbfplace_code;place;relationship_code;relationship;count\n";
	CHECK(mj_tabsum_is_table(excel, strlen(excel)));
	static const char tsv[] = "\"region_code\"\t\"region\"\tcount\r\n";
	CHECK(mj_tabsum_is_table(tsv, strlen(tsv)));
	static const char json[] = "  {\"murojaat\": \"table\"}";
	CHECK(mj_tabsum_is_table(json, strlen(json)));
	CHECK(!mj_tabsum_is_table(jan1, strlen(jan1)));
	static const char near[] = "region_code,district,count\n";
	CHECK(!mj_tabsum_is_table(near, strlen(near)));
	CHECK(!mj_tabsum_is_table("", 0));
	CHECK(!mj_tabsum_is_table("PK\x03\x04", 4));
}

/* One-way, cross-tab and nested tables of two offices, in CSV and JSON,
 * summed: the table of the two registers together. */
static void test_sum_equals_registers(void)
{
	setup();
	static const struct { const char *by, *cols; } asks[] = {
		{"violence", NULL}, {"region", "violence"}, {"place,relationship", NULL},
	};
	const char *regs[] = {path_keep(0, "jan1.csv"), path_keep(1, "jan2.csv")};
	for (size_t k = 0; k < 3; k++)
		for (int json = 0; json < 2; json++) {
			struct mj_table *a = tabulate(asks[k].by, asks[k].cols, regs, 1, MJ_LANG_EN);
			struct mj_table *b = tabulate(asks[k].by, asks[k].cols, regs + 1, 1, MJ_LANG_RU);
			write_table(json ? "a.json" : "a.csv", a, json ? MJ_FMT_JSON : MJ_FMT_CSV);
			write_table("b.tsv", b, MJ_FMT_TSV);
			const char *names[] = {json ? "a.json" : "a.csv", "b.tsv"};
			struct mj_table *s = NULL;
			struct mj_tabsum_info info = {0};
			struct mj_error err;
			CHECK(sum(asks[k].by, asks[k].cols, names, 2, 0, &s, &info, &err) == MJ_OK);
			struct mj_table *direct = tabulate(asks[k].by, asks[k].cols, regs, 2, MJ_LANG_EN);
			same_cells(s, direct);
			CHECK(info.ntables == 2 && info.nregisters == 0 && info.hidden_in == 0);
			/* Labels are the run's, not the Russian table's. */
			CHECK_STR(s ? s->rows[0].labels[0] : NULL, direct->rows[0].labels[0]);
			mj_tabsum_info_free(&info);
			mj_table_destroy(a);
			mj_table_destroy(b);
			mj_table_destroy(s);
			mj_table_destroy(direct);
		}
	teardown();
}

/* Nested tables rolled up to either dimension, a cross-tab to its column
 * dimension: the direct tables. A place without relationships stands for
 * "not stated" relationships. */
static void test_rollup(void)
{
	setup();
	const char *regs[] = {path_keep(0, "jan1.csv"), path_keep(1, "jan2.csv")};
	struct mj_table *n1 = tabulate("place,relationship", NULL, regs, 1, MJ_LANG_EN);
	struct mj_table *n2 = tabulate("region", "place", regs + 1, 1, MJ_LANG_EN);
	write_table("n1.csv", n1, MJ_FMT_CSV);
	write_table("n2.csv", n2, MJ_FMT_CSV);
	const char *names[] = {"n1.csv", "n2.csv"};
	struct mj_table *s = NULL, *direct;
	struct mj_error err;
	CHECK(sum("place", NULL, names, 2, 0, &s, NULL, &err) == MJ_OK);
	same_cells(s, direct = tabulate("place", NULL, regs, 2, MJ_LANG_EN));
	mj_table_destroy(s);
	mj_table_destroy(direct);
	/* relationship is not in n2: refused, naming it. */
	CHECK(sum("relationship", NULL, names, 2, 0, &s, NULL, &err) == MJ_E_USAGE);
	CHECK(s == NULL);
	CHECK(strstr(err.message, "'relationship' is not a dimension of ") != NULL);
	CHECK(strstr(err.message, "n2.csv (") != NULL);
	CHECK(strstr(err.message, "n1.csv") == NULL);
	CHECK(sum("relationship", NULL, names, 1, 0, &s, NULL, &err) == MJ_OK);
	same_cells(s, direct = tabulate("relationship", NULL, regs, 1, MJ_LANG_EN));
	int missing = -1;
	for (size_t r = 0; s && r < s->nrows; r++)
		if (strcmp(s->rows[r].codes[0], MJ_CODE_MISSING) == 0)
			missing = (int)s->rows[r].values[0];
	CHECK(missing == 2); /* elsewhere, and no place */
	mj_table_destroy(s);
	mj_table_destroy(direct);
	/* A report makes what it can: the spec the tables lack is NULL. */
	struct mj_run_opts o;
	mj_run_opts_init(&o);
	const char *files[] = {path_keep(2, "n1.csv"), path_keep(3, "n2.csv")};
	struct mj_tab_spec specs[] = {{.by = "place"}, {.by = "relationship"}};
	struct mj_table *out[2];
	struct mj_tabsum_info info = {.partial = 1};
	CHECK(mj_tabsum(&o, files, 2, specs, 2, out, NULL, &info, &err) == MJ_OK);
	CHECK(out[0] != NULL && out[1] == NULL);
	CHECK(info.nnotes == 2);
	CHECK(info.nnotes == 2 && strstr(info.notes[1], "Not available from these inputs") != NULL);
	mj_table_destroy(out[0]);
	mj_tabsum_info_free(&info);
	/* A cross-tab not available: its two names, joined by a word only in
	 * English. */
	struct mj_tab_spec cross[] = {{.by = "place", .cols = "relationship"}};
	for (int lang = MJ_LANG_EN; lang <= MJ_LANG_RU; lang++) {
		o.lang = (enum mj_lang)lang;
		struct mj_tabsum_info ci = {.partial = 1};
		CHECK(mj_tabsum(&o, files, 2, cross, 1, out, NULL, &ci, &err) == MJ_OK);
		CHECK(out[0] == NULL && ci.nnotes >= 1);
		const char *want = lang == MJ_LANG_EN ? "relationship by place" : "relationship × place";
		CHECK(ci.nnotes >= 1 && strstr(ci.notes[ci.nnotes - 1], want) != NULL);
		mj_tabsum_info_free(&ci);
	}
	mj_table_destroy(n1);
	mj_table_destroy(n2);
	teardown();
}

/* January and February make the two months; January twice overlaps;
 * January and March leave a gap. */
static void test_periods(void)
{
	setup();
	put("mar1.csv", HEAD "10,2023-03-02,office,UZ-AN,female,28,physical,domestic,spouse,referral,0\n");
	const char *regs[] = {path_keep(0, "jan1.csv"), path_keep(1, "feb1.csv"),
			      path_keep(2, "mar1.csv"), path_keep(3, "jan2.csv")};
	const char *tabs[] = {"t-jan1.csv", "t-feb1.csv", "t-mar1.csv", "t-jan2.csv"};
	for (int i = 0; i < 4; i++) {
		struct mj_table *t = tabulate("violence", NULL, regs + i, 1, MJ_LANG_EN);
		write_table(tabs[i], t, MJ_FMT_CSV);
		mj_table_destroy(t);
	}
	struct mj_table *s = NULL;
	struct mj_error err;
	const char *two[] = {"t-feb1.csv", "t-jan1.csv", "t-jan2.csv"};
	CHECK(sum("violence", NULL, two, 3, 0, &s, NULL, &err) == MJ_OK);
	CHECK_STR(s ? s->period_from : NULL, "2023-01-01");
	CHECK_STR(s ? s->period_to : NULL, "2023-02-28");
	CHECK(s && s->n_counted == 9);
	mj_table_destroy(s);
	const char *gap[] = {"t-jan1.csv", "t-mar1.csv"};
	CHECK(sum("violence", NULL, gap, 2, 0, &s, NULL, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "t-jan1.csv (2023-01) and ") != NULL);
	CHECK(strstr(err.message, "t-mar1.csv (2023-03): the periods leave a gap (2023-02)") != NULL);
	/* The register and its own table: double counting. */
	put("t-jan1-again.csv", "");
	FILE *f = fopen(path_of("t-jan1-again.csv"), "w");
	struct mj_table *t = tabulate("violence", NULL, regs, 1, MJ_LANG_EN);
	struct mj_write_opts w;
	mj_write_opts_init(&w, t);
	w.format = MJ_FMT_JSON;
	CHECK(f && mj_table_write(f, t, &w, &err) == MJ_OK);
	if (f)
		fclose(f);
	mj_table_destroy(t);
	const char *twice[] = {"t-jan1.csv", "t-jan1-again.csv"};
	CHECK(sum("violence", NULL, twice, 2, 0, &s, NULL, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "both count ") != NULL);
	CHECK(sum("violence", NULL, twice, 2, 1, &s, NULL, &err) == MJ_OK);
	CHECK(s && s->rows[s->nrows - 1].values[0] == 8);
	mj_table_destroy(s);
	teardown();
}

/* A sum that includes a hidden cell is hidden as complementary ("x"),
 * whatever the input's mark; sums without one stay exact. */
static void test_hidden(void)
{
	setup();
	put("h1.csv",
	    "violence_code,violence,count,suppressed,hidden,period_from,period_to,min_cell,source\n"
	    "physical,Physical,,1,<3,2023-01-01,2023-01-31,3,a\n"
	    "sexual,Sexual,0,0,,2023-01-01,2023-01-31,3,a\n"
	    "psychological,Psychological,5,0,,2023-01-01,2023-01-31,3,a\n"
	    "economic,Economic,,1,x,2023-01-01,2023-01-31,3,a\n"
	    "other,Other,0,0,,2023-01-01,2023-01-31,3,a\n"
	    "_total,Total,10,0,,2023-01-01,2023-01-31,3,a\n");
	put("h2.csv",
	    "violence_code,violence,count,period_from,period_to,source\n"
	    "physical,Physical,4,2023-01-01,2023-01-31,b\n"
	    "psychological,Psychological,1,2023-01-01,2023-01-31,b\n"
	    "_total,Total,5,2023-01-01,2023-01-31,b\n");
	const char *names[] = {"h1.csv", "h2.csv"};
	struct mj_table *s = NULL;
	struct mj_tabsum_info info = {0};
	struct mj_error err;
	CHECK(sum("violence", NULL, names, 2, 0, &s, &info, &err) == MJ_OK);
	CHECK(info.hidden_in == 2);
	for (size_t r = 0; s && r < s->nrows; r++) {
		const char *code = s->rows[r].codes[0];
		int hidden = strcmp(code, "physical") == 0 || strcmp(code, "economic") == 0;
		CHECK(s->rows[r].suppressed[0] == (hidden ? MJ_HIDDEN_COMPLEMENT : MJ_HIDDEN_NONE));
		if (strcmp(code, "psychological") == 0)
			CHECK_NUM(s->rows[r].values[0], 6);
		if (strcmp(code, MJ_CODE_TOTAL) == 0)
			CHECK_NUM(s->rows[r].values[0], 15);
	}
	CHECK(s && s->min_cell == 3);
	CHECK(info.nnotes == 2 && strstr(info.notes[1], "2 cells of the tables summed were hidden") != NULL);
	mj_tabsum_info_free(&info);
	mj_table_destroy(s);
	teardown();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"is_table", test_is_table}, {"sum_equals_registers", test_sum_equals_registers},
		{"rollup", test_rollup}, {"periods", test_periods}, {"hidden", test_hidden},
		{0, 0}};
	return run_case(cases, argc, argv);
}
