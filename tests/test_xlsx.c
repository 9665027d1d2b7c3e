/* Unit tests for the xlsx module; the "fixtures" case writes workbooks
 * that tests/xlsx_check.py reads back with openpyxl. */
#include "murojaat/xlsx.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static struct mj_schema *schema(void)
{
	struct mj_error err;
	struct mj_schema *s = mj_schema_default(&err);
	if (!s) {
		fprintf(stderr, "schema: %s\n", err.message);
		exit(2);
	}
	return s;
}

static int dim(const struct mj_schema *s, const char *name)
{
	int d = mj_schema_dim_find(s, name);
	if (d < 0) {
		fprintf(stderr, "no dimension %s\n", name);
		exit(2);
	}
	return d;
}

static void meta(struct mj_table *t, const char *title, enum mj_lang lang,
		 double total)
{
	mj_table_set(&t->title, title);
	mj_table_set(&t->lang, mj_lang_tag(lang));
	mj_table_set(&t->period_from, "2023-01-01");
	mj_table_set(&t->period_to, "2023-12-31");
	mj_table_set(&t->source, "appeals-2023.csv");
	t->n_read = 10927;
	t->n_counted = (unsigned long long)total;
	t->n_rejected = 0;
}

/* A one-way table of dimension name with counts in schema order, then
 * "not stated" when missing >= 0, then the total. */
static struct mj_table *oneway(const struct mj_schema *s, const char *name,
			       const double *counts, double missing,
			       enum mj_lang lang, const char *title)
{
	int d = dim(s, name);
	const char *dims[] = {name};
	struct mj_table *t = mj_table_new(1, dims, NULL, 1, NULL, NULL);
	mj_table_set(&t->dim_labels[0], mj_schema_dim_label(s, (size_t)d, lang));
	double total = 0;
	for (size_t c = 0; c < mj_schema_ncats(s, (size_t)d); c++) {
		const char *code = mj_schema_cat_code(s, (size_t)d, c);
		const char *label = mj_schema_cat_label(s, (size_t)d, c, lang);
		struct mj_table_row *row = mj_table_add_row(
			t, MJ_ROW_CATEGORY, 0, &code, &label);
		row->values[0] = counts[c];
		total += counts[c];
	}
	if (missing >= 0) {
		const char *code = MJ_CODE_MISSING;
		const char *label = mj_schema_missing_label(s, lang);
		mj_table_add_row(t, MJ_ROW_CATEGORY, 0, &code, &label)->values[0] =
			missing;
		total += missing;
	}
	const char *code = MJ_CODE_TOTAL, *label = mj_schema_total_label(s, lang);
	mj_table_add_row(t, MJ_ROW_TOTAL, 0, &code, &label)->values[0] = total;
	meta(t, title, lang, total);
	return t;
}

static struct mj_table *months(enum mj_lang lang)
{
	const char *dims[] = {"month"};
	struct mj_table *t = mj_table_new(1, dims, NULL, 1, NULL, NULL);
	static const double v[12] = {850, 812, 930, 901, 955, 990, 1002, 978,
				     905, 870, 866, 868};
	double total = 0;
	mj_table_set(&t->dim_labels[0], lang == MJ_LANG_RU ? "Месяц" : "Month");
	for (int m = 0; m < 12; m++) {
		char code[16];
		snprintf(code, sizeof code, "2023-%02d", m + 1);
		const char *c = code;
		mj_table_add_row(t, MJ_ROW_CATEGORY, 0, &c, &c)->values[0] = v[m];
		total += v[m];
	}
	const char *code = MJ_CODE_TOTAL, *label = "Total";
	mj_table_add_row(t, MJ_ROW_TOTAL, 0, &code, &label)->values[0] = total;
	meta(t, "Appeals by month", lang, total);
	return t;
}

/* place → relationship as published for 2023. */
static struct mj_table *nested(const struct mj_schema *s, enum mj_lang lang)
{
	int dp = dim(s, "place"), dr = dim(s, "relationship");
	const char *dims[] = {"place", "relationship"};
	struct mj_table *t = mj_table_new(2, dims, NULL, 1, NULL, NULL);
	mj_table_set(&t->dim_labels[0], mj_schema_dim_label(s, (size_t)dp, lang));
	mj_table_set(&t->dim_labels[1], mj_schema_dim_label(s, (size_t)dr, lang));
	static const struct { const char *code; size_t place; double v; } rel[] = {
		{"spouse", 0, 5535}, {"in_law", 0, 1363}, {"parent_child", 0, 464},
		{"other_family", 0, 0}, {"employer", 1, 53}, {"coworker", 1, 12},
		{"superior_org", 1, 11}, {"neighbour", 2, 356}, {"mahalla", 2, 298},
		{"organization", 2, 65}, {"abroad", 2, 18}};
	static const double places[] = {7362, 76, 737, 459};
	double total = 0;
	for (size_t p = 0; p < mj_schema_ncats(s, (size_t)dp); p++) {
		const char *pcode = mj_schema_cat_code(s, (size_t)dp, p);
		const char *plabel = mj_schema_cat_label(s, (size_t)dp, p, lang);
		const char *codes[2] = {pcode, MJ_CODE_TOTAL};
		const char *labels[2] = {plabel, mj_schema_total_label(s, lang)};
		int has_children = 0;
		for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++)
			has_children |= rel[i].place == p;
		struct mj_table_row *row = mj_table_add_row(
			t, has_children ? MJ_ROW_SUBTOTAL : MJ_ROW_CATEGORY, 0,
			codes, labels);
		row->values[0] = places[p];
		total += places[p];
		for (size_t i = 0; has_children && i < sizeof rel / sizeof rel[0]; i++) {
			int c = mj_schema_cat_find(s, (size_t)dr, rel[i].code);
			if (rel[i].place != p)
				continue;
			const char *cc[2] = {pcode, rel[i].code};
			const char *cl[2] = {plabel,
				mj_schema_cat_label(s, (size_t)dr, (size_t)c, lang)};
			mj_table_add_row(t, MJ_ROW_CATEGORY, 1, cc, cl)->values[0] =
				rel[i].v;
		}
	}
	const char *mc[2] = {MJ_CODE_MISSING, MJ_CODE_TOTAL};
	const char *ml[2] = {mj_schema_missing_label(s, lang),
			     mj_schema_total_label(s, lang)};
	mj_table_add_row(t, MJ_ROW_CATEGORY, 0, mc, ml)->values[0] = 2293;
	total += 2293;
	const char *tc[2] = {MJ_CODE_TOTAL, MJ_CODE_TOTAL};
	const char *tl[2] = {mj_schema_total_label(s, lang),
			     mj_schema_total_label(s, lang)};
	mj_table_add_row(t, MJ_ROW_TOTAL, 0, tc, tl)->values[0] = total;
	meta(t, "Appeals by place and relationship", lang, total);
	return t;
}

static const double region_counts[14] = {793, 827, 825, 979, 780, 985, 663,
					 642, 899, 549, 386, 925, 628, 1046};
static const double violence_counts[5] = {2709, 114, 4642, 1062, 2400};

/* region × violence whose margins are the published 2023 figures: the
 * cells are filled row by row, each column taking its share. */
static struct mj_table *crosstab(const struct mj_schema *s, enum mj_lang lang)
{
	int dr = dim(s, "region"), dv = dim(s, "violence");
	size_t nv = mj_schema_ncats(s, (size_t)dv), nr = mj_schema_ncats(s, (size_t)dr);
	const char *codes[8], *labels[8];
	for (size_t c = 0; c < nv; c++) {
		codes[c] = mj_schema_cat_code(s, (size_t)dv, c);
		labels[c] = mj_schema_cat_label(s, (size_t)dv, c, lang);
	}
	codes[nv] = MJ_CODE_TOTAL;
	labels[nv] = mj_schema_total_label(s, lang);
	const char *dims[] = {"region"};
	struct mj_table *t = mj_table_new(1, dims, "violence", nv + 1, codes, labels);
	mj_table_set(&t->dim_labels[0], mj_schema_dim_label(s, (size_t)dr, lang));
	mj_table_set(&t->col_dim_label, mj_schema_dim_label(s, (size_t)dv, lang));
	double left[5];
	memcpy(left, violence_counts, sizeof left);
	double remaining = 10927, col_tot[6] = {0};
	for (size_t r = 0; r < nr; r++) {
		const char *code = mj_schema_cat_code(s, (size_t)dr, r);
		const char *label = mj_schema_cat_label(s, (size_t)dr, r, lang);
		struct mj_table_row *row = mj_table_add_row(t, MJ_ROW_CATEGORY, 0,
							    &code, &label);
		double rt = region_counts[r], used = 0;
		for (size_t c = 0; c < nv; c++) {
			double v = r + 1 == nr ? left[c] :
				   (c + 1 == nv ? rt - used :
				    (double)(long)(rt * left[c] / remaining));
			row->values[c] = v;
			used += v;
			col_tot[c] += v;
		}
		for (size_t c = 0; c < nv; c++)
			left[c] -= row->values[c];
		remaining -= rt;
		row->values[nv] = rt;
		col_tot[nv] += rt;
	}
	const char *code = MJ_CODE_TOTAL, *label = mj_schema_total_label(s, lang);
	struct mj_table_row *tot = mj_table_add_row(t, MJ_ROW_TOTAL, 0, &code, &label);
	for (size_t c = 0; c <= nv; c++)
		tot->values[c] = col_tot[c];
	meta(t, "Appeals by region and type of violence", lang, 10927);
	return t;
}

/* The seven standard breakdowns of the 2023 report. */
static size_t standard(const struct mj_schema *s, enum mj_lang lang,
		       struct mj_table **out)
{
	static const double group[] = {10696, 70, 161, 0};
	static const double ages[] = {70, 2890, 4410, 2650, 907};
	size_t n = 0;
	out[n++] = oneway(s, "group", group, -1, lang, "Appeals by group");
	out[n++] = oneway(s, "violence", violence_counts, -1, lang,
			  "Appeals by type of violence");
	out[n++] = oneway(s, "region", region_counts, -1, lang, "Appeals by region");
	out[n++] = nested(s, lang);
	out[n++] = oneway(s, "age_group", ages, 0, lang, "Appeals by age group");
	out[n++] = months(lang);
	out[n++] = crosstab(s, lang);
	return n;
}

static void destroy_all(struct mj_table **t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		mj_table_destroy(t[i]);
}

/* A fresh empty folder for a case (caller removes it with cleanup()). */
static char *scratch_dir(void)
{
	const char *base = getenv("TMPDIR");
	char *path = malloc(512);
	snprintf(path, 512, "%s/mj-xlsx-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(path)) {
		perror("mkdtemp");
		exit(2);
	}
	return path;
}

static size_t count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	size_t n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	if (d)
		closedir(d);
	return n;
}

static void cleanup(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[1024];
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	free(dir);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	fclose(f);
	return buf;
}

static void test_sheet_names(void)
{
	char buf[128];
	const char *none[] = {NULL};
	CHECK_STR(mj_xlsx_sheet_name("Region", none, 0, buf, sizeof buf), "Region");
	CHECK_STR(mj_xlsx_sheet_name("a[b]c:d*e?f/g\\h", none, 0, buf, sizeof buf),
		  "a-b-c-d-e-f-g-h");
	/* 31 characters at most, counted as characters, not bytes. */
	CHECK_STR(mj_xlsx_sheet_name("Республика Каракалпакстан и другие регионы",
				     none, 0, buf, sizeof buf),
		  "Республика Каракалпакстан и дру");
	CHECK_STR(mj_xlsx_sheet_name("Zo'ravonlik turi", none, 0, buf, sizeof buf),
		  "Zo\xca\xbcravonlik turi");
	CHECK_STR(mj_xlsx_sheet_name("", none, 0, buf, sizeof buf), "Sheet");
	CHECK_STR(mj_xlsx_sheet_name("  x  ", none, 0, buf, sizeof buf), "x");
	/* Duplicates, compared without case, Cyrillic too. */
	const char *taken[] = {"About", "Регион", "Region"};
	CHECK_STR(mj_xlsx_sheet_name("about", taken, 3, buf, sizeof buf), "about (2)");
	CHECK_STR(mj_xlsx_sheet_name("РЕГИОН", taken, 3, buf, sizeof buf), "РЕГИОН (2)");
	const char *taken2[] = {"Region", "Region (2)"};
	CHECK_STR(mj_xlsx_sheet_name("Region", taken2, 2, buf, sizeof buf), "Region (3)");
	const char *longtaken[] = {"Appeals by place and relationsh"};
	CHECK_STR(mj_xlsx_sheet_name("Appeals by place and relationship",
				     longtaken, 1, buf, sizeof buf),
		  "Appeals by place and relati (2)");
	CHECK_STR(mj_xlsx_sheet_name("History", none, 0, buf, sizeof buf),
		  "History (2)");
}

static void test_write(void)
{
	struct mj_schema *s = schema();
	struct mj_table *t[8];
	size_t n = standard(s, MJ_LANG_EN, t);
	char *dir = scratch_dir();
	char path[600];
	snprintf(path, sizeof path, "%s/report.xlsx", dir);
	struct mj_xlsx_opts o;
	mj_xlsx_opts_init(&o);
	o.schema = s;
	o.program = "test_xlsx";
	struct mj_error err;
	CHECK(mj_xlsx_write(path, t, n, &o, &err) == MJ_OK);
	size_t len = 0;
	char *data = slurp(path, &len);
	CHECK(data && len > 1000 && memcmp(data, "PK", 2) == 0);
	free(data);
	/* Only the workbook is left: no temporary file. */
	CHECK(count_entries(dir) == 1);
	struct stat sb;
	CHECK(stat(path, &sb) == 0 && (sb.st_mode & 0077) != 0077);
	destroy_all(t, n);
	mj_schema_destroy(s);
	cleanup(dir);
}

static void test_deterministic(void)
{
	struct mj_schema *s = schema();
	struct mj_table *t[8];
	size_t n = standard(s, MJ_LANG_RU, t);
	char *dir = scratch_dir();
	char a[600], b[600], c[600];
	snprintf(a, sizeof a, "%s/a.xlsx", dir);
	snprintf(b, sizeof b, "%s/b.xlsx", dir);
	snprintf(c, sizeof c, "%s/c.xlsx", dir);
	struct mj_xlsx_opts o;
	mj_xlsx_opts_init(&o);
	o.schema = s;
	CHECK(mj_xlsx_write(a, t, n, &o, NULL) == MJ_OK);
	sleep(1);
	/* Another time zone and another second must not change a byte. */
	setenv("TZ", "Asia/Tashkent", 1);
	tzset();
	CHECK(mj_xlsx_write(b, t, n, &o, NULL) == MJ_OK);
	size_t la = 0, lb = 0, lc = 0;
	char *da = slurp(a, &la), *db = slurp(b, &lb);
	CHECK(da && db && la == lb && memcmp(da, db, la) == 0);
	/* The date is part of the file: another date, other bytes. */
	o.date = "2024-01-31";
	CHECK(mj_xlsx_write(c, t, n, &o, NULL) == MJ_OK);
	char *dc = slurp(c, &lc);
	CHECK(dc && (lc != la || memcmp(da, dc, la) != 0));
	free(da);
	free(db);
	free(dc);
	destroy_all(t, n);
	mj_schema_destroy(s);
	cleanup(dir);
}

static void test_dev_full(void)
{
	struct mj_schema *s = schema();
	struct mj_table *t[8];
	size_t n = standard(s, MJ_LANG_EN, t);
	struct mj_error err;
	mj_error_clear(&err);
	CHECK(mj_xlsx_write("/dev/full", t, n, NULL, &err) == MJ_E_IO);
	CHECK_STR(err.path, "/dev/full");
	CHECK(strstr(err.message, "No space left on device") != NULL);
	/* The device is still a device. */
	struct stat sb;
	CHECK(stat("/dev/full", &sb) == 0 && S_ISCHR(sb.st_mode));
	destroy_all(t, n);
	mj_schema_destroy(s);
}

static void test_unwritable(void)
{
	struct mj_schema *s = schema();
	struct mj_table *t[8];
	size_t n = standard(s, MJ_LANG_EN, t);
	struct mj_error err;
	char *dir = scratch_dir();
	char path[600];
	/* A folder that does not exist. */
	snprintf(path, sizeof path, "%s/missing/out.xlsx", dir);
	CHECK(mj_xlsx_write(path, t, n, NULL, &err) == MJ_E_IO);
	CHECK_STR(err.path, path);
	CHECK(strstr(err.message, "No such file or directory") != NULL);
	/* A folder that may not be written: root ignores permissions, so
	 * as root /proc stands in for it. */
	char ro[520];
	snprintf(ro, sizeof ro, "%s/ro", dir);
	mkdir(ro, 0500);
	if (geteuid() == 0)
		snprintf(path, sizeof path, "/proc/mj-xlsx-test.xlsx");
	else
		snprintf(path, sizeof path, "%s/out.xlsx", ro);
	CHECK(mj_xlsx_write(path, t, n, NULL, &err) == MJ_E_IO);
	CHECK_STR(err.path, path);
	CHECK(strstr(err.message, "cannot create a temporary file") != NULL);
	CHECK(access(path, F_OK) != 0);
	CHECK(count_entries(ro) == 0);
	rmdir(ro);
	/* A folder given as the output. */
	CHECK(mj_xlsx_write(dir, t, n, NULL, &err) == MJ_E_IO);
	CHECK(strstr(err.message, "is a directory") != NULL);
	CHECK(count_entries(dir) == 0);
	destroy_all(t, n);
	mj_schema_destroy(s);
	cleanup(dir);
}

static void test_failure_keeps_old(void)
{
	struct mj_schema *s = schema();
	struct mj_table *t[8];
	size_t n = standard(s, MJ_LANG_EN, t);
	char *dir = scratch_dir();
	char path[600];
	snprintf(path, sizeof path, "%s/out.xlsx", dir);
	FILE *f = fopen(path, "w");
	fputs("old", f);
	fclose(f);
	struct mj_xlsx_opts o;
	mj_xlsx_opts_init(&o);
	o.date = "2023-02-30";
	struct mj_error err;
	CHECK(mj_xlsx_write(path, t, n, &o, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "2023-02-30") != NULL);
	size_t len = 0;
	char *data = slurp(path, &len);
	CHECK(data && len == 3 && memcmp(data, "old", 3) == 0);
	free(data);
	CHECK(count_entries(dir) == 1);
	/* Zero tables is a usage error too. */
	CHECK(mj_xlsx_write(path, t, 0, NULL, &err) == MJ_E_USAGE);
	/* A good write replaces the old file. */
	o.date = NULL;
	CHECK(mj_xlsx_write(path, t, n, &o, &err) == MJ_OK);
	data = slurp(path, &len);
	CHECK(data && len > 3 && memcmp(data, "PK", 2) == 0);
	free(data);
	CHECK(count_entries(dir) == 1);
	destroy_all(t, n);
	mj_schema_destroy(s);
	cleanup(dir);
}

static void test_stream(void)
{
	struct mj_schema *s = schema();
	struct mj_table *t[8];
	size_t n = standard(s, MJ_LANG_EN, t);
	FILE *f = tmpfile();
	CHECK(mj_xlsx_write_stream(f, "<stdout>", t, n, NULL, NULL) == MJ_OK);
	char head[2] = {0};
	rewind(f);
	CHECK(fread(head, 1, 2, f) == 2 && memcmp(head, "PK", 2) == 0);
	fclose(f);
	destroy_all(t, n);
	mj_schema_destroy(s);
}

/* Workbooks for tests/xlsx_check.py, written into $MJ_XLSX_OUT. */
static void test_fixtures(void)
{
	const char *out = getenv("MJ_XLSX_OUT");
	if (!out) {
		fprintf(stderr, "MJ_XLSX_OUT is not set\n");
		check_failures++;
		return;
	}
	struct mj_schema *s = schema();
	struct mj_table *t[8];
	char path[600];
	struct mj_xlsx_opts o;
	size_t n;

	/* The standard workbook in English. */
	n = standard(s, MJ_LANG_EN, t);
	mj_xlsx_opts_init(&o);
	o.schema = s;
	o.program = "mj-xlsx 0.1.0";
	const char *inputs[] = {"samples/appeals-2023.csv"};
	o.inputs = inputs;
	o.ninputs = 1;
	snprintf(path, sizeof path, "%s/standard.xlsx", out);
	CHECK(mj_xlsx_write(path, t, n, &o, NULL) == MJ_OK);

	/* The same tables relabelled in Russian through the schema. */
	o.lang = MJ_LANG_RU;
	snprintf(path, sizeof path, "%s/ru.xlsx", out);
	CHECK(mj_xlsx_write(path, t, n, &o, NULL) == MJ_OK);

	/* Small counts hidden. */
	o.lang = -1;
	o.min_cell = 100;
	snprintf(path, sizeof path, "%s/suppressed.xlsx", out);
	CHECK(mj_xlsx_write(path, t, n, &o, NULL) == MJ_OK);
	destroy_all(t, n);

	/* Sheet names that need cleaning and de-duplicating. */
	static const double group[] = {10696, 70, 161, 0};
	mj_xlsx_opts_init(&o);
	o.date = "2024-02-29";
	for (int i = 0; i < 4; i++) {
		t[i] = oneway(s, "group", group, -1, MJ_LANG_EN, "Groups");
		mj_table_set(&t[i]->dim_labels[0],
			     i < 2 ? "Who? [men/women]: a *very* long name \\ indeed" :
			     i == 2 ? "About" : "'quoted'");
	}
	snprintf(path, sizeof path, "%s/names.xlsx", out);
	CHECK(mj_xlsx_write(path, t, 4, &o, NULL) == MJ_OK);
	destroy_all(t, 4);
	mj_schema_destroy(s);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"sheet_names", test_sheet_names},
		{"write", test_write},
		{"deterministic", test_deterministic},
		{"dev_full", test_dev_full},
		{"unwritable", test_unwritable},
		{"failure_keeps_old", test_failure_keeps_old},
		{"stream", test_stream},
		{"fixtures", test_fixtures},
		{0, 0}};
	return run_case(cases, argc, argv);
}
