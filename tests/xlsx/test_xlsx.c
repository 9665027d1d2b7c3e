/* Unit tests for the xlsx module; the "fixtures" case writes workbooks
 * that tests/xlsx_check.py reads back with openpyxl. */
#include "murojaat/xlsx.h"

#include <dirent.h>
#include <math.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "murojaat/stats.h"
#include "xlsxread.h"
#include "murojaat/multiresp.h"
#include "murojaat/population.h"

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
		  "Zo\xca\xbbravonlik turi");
	CHECK_STR(mj_xlsx_sheet_name("A'zolar", none, 0, buf, sizeof buf),
		  "A\xca\xbczolar");
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

/* ---- statistics: workbooks read back cell by cell ------------------------ */

#define GRID_ROWS 96
#define GRID_COLS 48

/* The cells of one sheet as the workbook reader gives them (formulas as
 * their cached values), [row][col] 1-based as Excel counts them. */
struct grid {
	char *cell[GRID_ROWS + 1][GRID_COLS + 1];
};

static int grid_row(void *ctx, const struct mj_field *f, size_t n,
		    unsigned long line)
{
	struct grid *g = ctx;
	for (size_t c = 0; c < n && line <= GRID_ROWS && c < GRID_COLS; c++)
		if (f[c].len)
			g->cell[line][c + 1] = strdup(f[c].text);
	return 0;
}

static struct grid *read_grid(const char *path, const char *sheet)
{
	struct grid *g = calloc(1, sizeof *g);
	struct mj_reader_opts ro = {.sheet = sheet, .header_row = 1};
	struct mj_error err;
	if (mj_xlsx_read_rows(path, &ro, grid_row, g, &err) != MJ_OK) {
		fprintf(stderr, "%s!%s: %s\n", path, sheet, err.message);
		check_failures++;
	}
	return g;
}

static void grid_free(struct grid *g)
{
	for (size_t r = 0; r <= GRID_ROWS; r++)
		for (size_t c = 0; c <= GRID_COLS; c++)
			free(g->cell[r][c]);
	free(g);
}

static const char *at(const struct grid *g, size_t row, size_t col)
{
	return row <= GRID_ROWS && col <= GRID_COLS ? g->cell[row][col] : NULL;
}

/* The number in a cell; NAN when empty or text. */
static double num(const struct grid *g, size_t row, size_t col)
{
	const char *v = at(g, row, col);
	char *end;
	if (!v)
		return NAN;
	double d = strtod(v, &end);
	return *end ? NAN : d;
}

/* The row whose column col reads text, or 0. */
static size_t find_text(const struct grid *g, size_t col, const char *text)
{
	for (size_t r = 1; r <= GRID_ROWS; r++)
		if (at(g, r, col) && strcmp(at(g, r, col), text) == 0)
			return r;
	return 0;
}

#define CHECK_NEAR(a, b) do { double a__ = (a), b__ = (b); \
	if (!(fabs(a__ - b__) <= 1e-12 * fmax(1, fabs(b__)))) { \
	fprintf(stderr, "%s:%d: expected %.15g, got %.15g (%s)\n", __FILE__, \
		__LINE__, b__, a__, #a); check_failures++; } } while (0)

/* The region table of another period: each count 40 less, Karakalpakstan
 * none (its change is "new"). */
static struct mj_table *region_before(const struct mj_schema *s)
{
	double before[14];
	for (int i = 0; i < 14; i++)
		before[i] = i == 0 ? 0 : region_counts[i] - 40;
	return oneway(s, "region", before, -1, MJ_LANG_EN, "Appeals by region");
}

/* Made-up figures for the test: a million people in each region but
 * Tashkent region, which the file leaves out. */
static struct mj_population *test_population(const struct mj_schema *s)
{
	char text[1024];
	size_t len = (size_t)snprintf(text, sizeof text, "region,population\n");
	int d = dim(s, "region");
	for (size_t c = 0; c < mj_schema_ncats(s, (size_t)d); c++) {
		const char *code = mj_schema_cat_code(s, (size_t)d, c);
		if (strcmp(code, "UZ-TO") != 0)
			len += (size_t)snprintf(text + len, sizeof text - len,
						"%s,1000000\n", code);
	}
	struct mj_error err;
	struct mj_population *p = mj_population_parse("pop-test.csv", text, len,
						      s, &err);
	if (!p) {
		fprintf(stderr, "population: %s\n", err.message);
		exit(2);
	}
	return p;
}

/* The figures of a table by region with every statistic beside it. */
static void region_stats(const struct mj_schema *s, struct mj_table *t,
			 struct mj_stats *st)
{
	struct mj_error err;
	mj_stats_init(st);
	struct mj_table *before = region_before(s);
	struct mj_population *pop = test_population(s);
	CHECK(mj_stats_ci(st, t, 0.95, MJ_CI_WILSON, 0, &err) == MJ_OK);
	CHECK(mj_stats_compare(st, t, before, &err) == MJ_OK);
	CHECK(mj_stats_rates(st, t, pop, 100000, &err) == MJ_OK);
	mj_population_destroy(pop);
	mj_table_destroy(before);
}

static void test_stats_oneway(void)
{
	struct mj_schema *s = schema();
	struct mj_table *t = oneway(s, "region", region_counts, -1, MJ_LANG_EN,
				    "Appeals by region");
	struct mj_stats st;
	region_stats(s, t, &st);
	char *dir = scratch_dir();
	char path[600];
	snprintf(path, sizeof path, "%s/stats.xlsx", dir);
	struct mj_xlsx_opts o;
	mj_xlsx_opts_init(&o);
	o.schema = s;
	const struct mj_stats *stats[] = {&st};
	o.stats = stats;
	CHECK(mj_xlsx_write(path, &t, 1, &o, NULL) == MJ_OK);
	struct grid *g = read_grid(path, "Region");
	/* Headings right of the table's own columns, in the stats' order. */
	static const char *const heads[] = {"Region", "Count", "%", "95% CI low",
		"95% CI high", "Compared", "Change", "Change %", "Population",
		"Rate per 100,000"};
	for (size_t c = 0; c < 10; c++)
		CHECK_STR(at(g, 4, c + 1), heads[c]);
	CHECK(at(g, 4, 11) == NULL);
	/* Andijan (row 6): 827 of 10,927, 787 before, a million people. */
	double lo, hi;
	CHECK(mj_ci_proportion(827, 10927, 0.95, MJ_CI_WILSON, &lo, &hi) == 0);
	CHECK_STR(at(g, 6, 1), "Andijan region");
	CHECK_NEAR(num(g, 6, 4), lo);
	CHECK_NEAR(num(g, 6, 5), hi);
	CHECK_NEAR(num(g, 6, 6), 787);
	CHECK_NEAR(num(g, 6, 7), 40);
	CHECK_NEAR(num(g, 6, 8), 40.0 / 787);
	CHECK_NEAR(num(g, 6, 9), 1e6);
	CHECK_NEAR(num(g, 6, 10), 82.7);
	/* Marks are text: no count before, no population. */
	CHECK_STR(at(g, 5, 8), "new");
	CHECK_NEAR(num(g, 5, 7), 793);
	size_t tash = find_text(g, 1, "Tashkent region");
	CHECK(tash == 15);
	CHECK_STR(at(g, tash, 9), "—");
	CHECK_STR(at(g, tash, 10), "no population");
	/* The total: no interval of a 100% by construction; its change
	 * all the same; no rate, since Tashkent region's appeals have no
	 * population in the file (the rate would be too high). */
	CHECK_STR(at(g, 19, 1), "Total");
	CHECK(at(g, 19, 4) == NULL && at(g, 19, 5) == NULL);
	CHECK_NEAR(num(g, 19, 6), 10927 - 13 * 40 - 793);
	CHECK_NEAR(num(g, 19, 7), 13 * 40 + 793);
	CHECK_STR(at(g, 19, 10), "partial population");
	/* The notes in rows under the table. */
	for (size_t i = 0; i < st.nnotes; i++)
		CHECK_STR(at(g, 21 + i, 1), st.notes[i]);
	grid_free(g);
	/* The About sheet says what was computed. */
	g = read_grid(path, "About");
	size_t r = find_text(g, 1, "Statistics");
	CHECK(r > 0);
	CHECK(r && strstr(at(g, r, 2), "95% confidence interval") &&
	      strstr(at(g, r, 2), "Wilson"));
	CHECK(r && strstr(at(g, r + 1, 2), "Compared with 2023-01-01"));
	CHECK(r && strstr(at(g, r + 2, 2), "100,000") &&
	      strstr(at(g, r + 2, 2), "pop-test.csv"));
	CHECK(find_text(g, 1, "Change, percent change and rates are formulas too; "
			"intervals, percents of mentions and the chi-square test are values.") > 0);
	grid_free(g);

	/* Tables without statistics beside ones with: entries may be NULL,
	 * and the same tables give the same bytes. */
	struct mj_table *two[] = {t, t};
	const struct mj_stats *some[] = {NULL, &st};
	o.stats = some;
	char a[600], b[600];
	snprintf(a, sizeof a, "%s/a.xlsx", dir);
	snprintf(b, sizeof b, "%s/b.xlsx", dir);
	CHECK(mj_xlsx_write(a, two, 2, &o, NULL) == MJ_OK);
	CHECK(mj_xlsx_write(b, two, 2, &o, NULL) == MJ_OK);
	size_t la = 0, lb = 0;
	char *da = slurp(a, &la), *db = slurp(b, &lb);
	CHECK(da && db && la == lb && memcmp(da, db, la) == 0);
	free(da);
	free(db);
	g = read_grid(a, "Region");
	CHECK(at(g, 4, 4) == NULL);
	grid_free(g);
	/* The second sheet of the same breakdown takes its table's title
	 * rather than a number. */
	g = read_grid(a, "Appeals by region");
	CHECK_STR(at(g, 4, 4), "95% CI low");
	grid_free(g);

	mj_stats_free(&st);
	mj_table_destroy(t);
	mj_schema_destroy(s);
	cleanup(dir);
}

static void test_stats_crosstab(void)
{
	struct mj_schema *s = schema();
	struct mj_table *t = crosstab(s, MJ_LANG_EN);
	struct mj_stats st;
	struct mj_error err;
	mj_stats_init(&st);
	CHECK(mj_stats_ci(&st, t, 0.95, MJ_CI_EXACT, 0, &err) == MJ_OK);
	CHECK(mj_table_chi2(t, &st.test, &err) == MJ_OK);
	st.has_test = 1;
	char *dir = scratch_dir();
	char path[600];
	snprintf(path, sizeof path, "%s/x.xlsx", dir);
	struct mj_xlsx_opts o;
	mj_xlsx_opts_init(&o);
	o.schema = s;
	const struct mj_stats *stats[] = {&st};
	o.stats = stats;
	CHECK(mj_xlsx_write(path, &t, 1, &o, NULL) == MJ_OK);
	struct grid *g = read_grid(path, "Region × Type of violence");
	/* Counts in rows 5-19; the row percents three rows below with the
	 * intervals beside them, each a block of the six columns after a
	 * spacer: titles in row 21, headings in row 22. */
	CHECK_STR(at(g, 19, 1), "Total");
	CHECK_STR(at(g, 22, 1), "Row %");
	CHECK_STR(at(g, 21, 9), "95% CI low");
	CHECK_STR(at(g, 21, 16), "95% CI high");
	CHECK(at(g, 22, 8) == NULL && at(g, 22, 15) == NULL);
	CHECK_STR(at(g, 22, 9), "Physical");
	CHECK_STR(at(g, 22, 14), "Total");
	CHECK_STR(at(g, 22, 16), "Physical");
	/* Nothing beside the counts: intervals bound the row percents. */
	CHECK(at(g, 4, 9) == NULL && at(g, 3, 9) == NULL);
	/* Andijan (row 2 of the table) x Sexual: its row percent's interval. */
	double x = t->rows[1].values[1], n = t->rows[1].values[5], lo, hi;
	CHECK(mj_ci_proportion(x, n, 0.95, MJ_CI_EXACT, &lo, &hi) == 0);
	CHECK_NEAR(num(g, 24, 10), lo);
	CHECK_NEAR(num(g, 24, 17), hi);
	CHECK_NEAR(num(g, 24, 3), x / n);
	/* The Total column's 100% has no interval. */
	CHECK(at(g, 24, 14) == NULL && at(g, 24, 21) == NULL);
	/* The test in rows under the last block. */
	size_t r = find_text(g, 1, "Pearson chi-square test of independence");
	CHECK(r > 40);
	CHECK_STR(at(g, r + 1, 1), "Pearson chi2");
	CHECK_NEAR(num(g, r + 1, 2), st.test.chi2);
	CHECK_STR(at(g, r + 2, 1), "Degrees of freedom");
	CHECK_NEAR(num(g, r + 2, 2), 52);
	CHECK_NEAR(num(g, r + 3, 2), st.test.p);
	CHECK_STR(at(g, r + 4, 1), "Cramér's V");
	CHECK_NEAR(num(g, r + 4, 2), st.test.cramers_v);
	CHECK_NEAR(num(g, r + 5, 2), 10927);
	CHECK(at(g, r + 6, 1) && strstr(at(g, r + 6, 1), "expected counts below 5"));
	CHECK(find_text(g, 1, "95% confidence interval of each row percent: "
			"exact (Clopper-Pearson).") == r - 2);
	grid_free(g);
	g = read_grid(path, "About");
	CHECK(find_text(g, 2, "Pearson chi-square test under the table on: "
			"Region × Type of violence") > 0);
	grid_free(g);

	/* A test that could not be made says why. */
	st.has_test = 0;
	snprintf(st.test_problem, sizeof st.test_problem, "too few rows");
	CHECK(mj_xlsx_write(path, &t, 1, &o, NULL) == MJ_OK);
	g = read_grid(path, "Region × Type of violence");
	CHECK(find_text(g, 1, "Chi-square test not computed: too few rows") > 40);
	CHECK(find_text(g, 1, "Pearson chi2") == 0);
	grid_free(g);
	mj_stats_free(&st);

	/* A block per statistic beside 1,400 columns passes Excel's 16,384:
	 * refused before anything is written. */
	static const char *cc[1400];
	for (size_t c = 0; c < 1400; c++)
		cc[c] = c + 1 < 1400 ? "district" : MJ_CODE_TOTAL;
	const char *dims[] = {"region"};
	struct mj_table *wide = mj_table_new(1, dims, "district", 1400, cc, cc);
	CHECK(wide != NULL);
	if (wide) {
		const char *code = MJ_CODE_TOTAL, *label = "Total";
		mj_table_add_row(wide, MJ_ROW_TOTAL, 0, &code, &label);
		struct mj_stats many;
		mj_stats_init(&many);
		many.ncols = MJ_STATS_MAXCOLS;
		stats[0] = &many;
		char wpath[600];
		snprintf(wpath, sizeof wpath, "%s/wide.xlsx", dir);
		CHECK(mj_xlsx_write(wpath, &wide, 1, &o, &err) == MJ_E_LIMIT);
		CHECK(strstr(err.message, "Excel's limit of 16384 columns") != NULL);
		CHECK(access(wpath, F_OK) != 0);
		mj_table_destroy(wide);
	}
	mj_table_destroy(t);
	mj_schema_destroy(s);
	cleanup(dir);
}

/* Statistics computed before the workbook hides small counts (as a
 * caller may pass them): a hidden cell shows none of them. */
static void test_stats_suppressed(void)
{
	struct mj_schema *s = schema();
	static const double group[] = {10696, 70, 161, 0};
	static const double before[] = {10500, 40, 180, 0};
	struct mj_table *t = oneway(s, "group", group, -1, MJ_LANG_EN, "Groups");
	struct mj_table *b = oneway(s, "group", before, -1, MJ_LANG_EN, "Groups");
	struct mj_stats st;
	struct mj_error err;
	mj_stats_init(&st);
	CHECK(mj_stats_ci(&st, t, 0.95, MJ_CI_WILSON, 0, &err) == MJ_OK);
	CHECK(mj_stats_compare(&st, t, b, &err) == MJ_OK);
	char *dir = scratch_dir();
	char path[600];
	snprintf(path, sizeof path, "%s/s.xlsx", dir);
	struct mj_xlsx_opts o;
	mj_xlsx_opts_init(&o);
	o.schema = s;
	o.min_cell = 100;
	const struct mj_stats *stats[] = {&st};
	o.stats = stats;
	CHECK(mj_xlsx_write(path, &t, 1, &o, NULL) == MJ_OK);
	struct grid *g = read_grid(path, "Group");
	CHECK_STR(at(g, 4, 4), "95% CI low");
	CHECK_STR(at(g, 4, 6), "Compared");
	/* Women shown with everything. */
	CHECK_NEAR(num(g, 5, 2), 10696);
	CHECK_NEAR(num(g, 5, 6), 10500);
	CHECK_NEAR(num(g, 5, 7), 196);
	/* Girls (70) and men (161, hidden with them) show no statistic;
	 * the girls read <100, the men x (they are not below 100). */
	for (size_t r = 6; r <= 7; r++) {
		CHECK_STR(at(g, r, 2), r == 6 ? "<100" : "x");
		for (size_t c = 3; c <= 8; c++)
			CHECK(at(g, r, c) == NULL);
	}
	/* Boys: 0 now, none hidden; "—" for a change from nothing. */
	CHECK_NEAR(num(g, 8, 2), 0);
	CHECK_STR(at(g, 8, 8), "—");
	grid_free(g);

	/* A small count of the other period is hidden like the table's own,
	 * and so is the change from it. */
	t->rows[1].values[0] = 170;
	t->rows[3].values[0] = 100;
	t->rows[4].values[0] = 10696 + 170 + 161 + 100;
	for (size_t r = 0; r < t->nrows; r++)
		t->rows[r].suppressed[0] = 0;
	mj_stats_free(&st);
	mj_stats_init(&st);
	CHECK(mj_stats_compare(&st, t, b, &err) == MJ_OK);
	CHECK(mj_xlsx_write(path, &t, 1, &o, NULL) == MJ_OK);
	g = read_grid(path, "Group");
	CHECK_NEAR(num(g, 6, 2), 170);
	CHECK_STR(at(g, 6, 4), "<100");
	CHECK(at(g, 6, 5) == NULL && at(g, 6, 6) == NULL);
	CHECK_NEAR(num(g, 7, 5), -19);
	grid_free(g);
	mj_stats_free(&st);
	mj_table_destroy(t);
	mj_table_destroy(b);
	mj_schema_destroy(s);
	cleanup(dir);
}

/* Appeals that name several types of violence: the total of a percent of
 * appeals is the sum of the percents, not 100%; percents of mentions are
 * hidden where a part of their mentions is. */
static void test_stats_multi(void)
{
	struct mj_schema *s = schema();
	/* 10 appeals naming 14 types between them. */
	static const double v[] = {6, 1, 5, 2, 0};
	struct mj_table *t = oneway(s, "violence", v, -1, MJ_LANG_EN, "Violence");
	t->rows[5].values[0] = 10;
	struct mj_stats st;
	struct mj_error err;
	mj_stats_init(&st);
	int which = mj_stats_multi_dim(t, s);
	CHECK(which == 0);
	CHECK(mj_stats_multi(&st, t, s, which, &err) == MJ_OK);
	CHECK(st.multi_used);
	char *dir = scratch_dir();
	char path[600];
	snprintf(path, sizeof path, "%s/m.xlsx", dir);
	struct mj_xlsx_opts o;
	mj_xlsx_opts_init(&o);
	o.schema = s;
	const struct mj_stats *stats[] = {&st};
	o.stats = stats;
	CHECK(mj_xlsx_write(path, &t, 1, &o, NULL) == MJ_OK);
	struct grid *g = read_grid(path, "Type of violence");
	CHECK_STR(at(g, 10, 1), "Total");
	CHECK_NEAR(num(g, 10, 3), 1.4);
	CHECK_STR(at(g, 4, 4), "% of mentions");
	CHECK_NEAR(num(g, 5, 4), 6.0 / 14);
	CHECK_NEAR(num(g, 10, 4), 1);
	CHECK_STR(at(g, 12, 1), st.notes[0]);
	grid_free(g);
	/* One type hidden: no percent of mentions gives it away. */
	o.min_cell = 2;
	CHECK(mj_xlsx_write(path, &t, 1, &o, NULL) == MJ_OK);
	g = read_grid(path, "Type of violence");
	CHECK_STR(at(g, 6, 2), "<2");
	for (size_t r = 5; r <= 10; r++)
		CHECK(at(g, r, 4) == NULL);
	grid_free(g);
	mj_stats_free(&st);
	mj_table_destroy(t);

	/* A cross-tab whose columns are the multi-response dimension: the
	 * Total column of the row percents sums them. */
	t = crosstab(s, MJ_LANG_EN);
	t->rows[0].values[1] += 100; /* 100 appeals also named sexual violence */
	t->rows[14].values[1] += 100;
	mj_stats_init(&st);
	which = mj_stats_multi_dim(t, s);
	CHECK(which == 1);
	CHECK(mj_stats_multi(&st, t, s, which, &err) == MJ_OK);
	CHECK(st.multi_used);
	CHECK(mj_xlsx_write(path, &t, 1, &o, NULL) == MJ_OK);
	g = read_grid(path, "Region × Type of violence");
	CHECK_STR(at(g, 22, 1), "Row %");
	CHECK_NEAR(num(g, 23, 7), (793.0 + 100) / 793);
	CHECK_NEAR(num(g, 24, 7), 1);
	/* Percents of mentions beside the row percents. */
	CHECK_STR(at(g, 21, 9), "% of mentions");
	CHECK_NEAR(num(g, 23, 10), t->rows[0].values[1] / 893);
	grid_free(g);
	mj_stats_free(&st);
	mj_table_destroy(t);
	mj_schema_destroy(s);
	cleanup(dir);
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
		{"stats_oneway", test_stats_oneway},
		{"stats_crosstab", test_stats_crosstab},
		{"stats_suppressed", test_stats_suppressed},
		{"stats_multi", test_stats_multi},
		{0, 0}};
	return run_case(cases, argc, argv);
}
