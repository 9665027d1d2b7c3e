/* Unit tests of the report module: what the folder holds, the narrative's
 * figures, and that a failed run leaves a previous report as it was. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "check.h"
#include "murojaat/report.h"

static const char records[] =
	"id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children\n"
	"A1,2023-08-01,hotline,UZ-TK,,female,34,physical,domestic,spouse,shelter,2\n"
	"A2,2023-08-02,office,Andijan,,female,16,psychological,,,consultation,0\n"
	"A3,2023-08-03,hotline,UZ-TK,,male,40,economic,workplace,employer,referral,0\n"
	"A4,2023-08-04,hotline,UZ-SA,,female,29,physical,domestic,in_law,shelter,1\n";

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/mj-report-test.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(2);
	}
}

static void teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static char *path(const char *name)
{
	return g_build_filename(dir, name, NULL);
}

static void write_file(const char *name, const char *text)
{
	char *p = path(name);
	CHECK(g_file_set_contents(p, text, -1, NULL));
	g_free(p);
}

static char *read_file(const char *name)
{
	char *p = path(name), *text = NULL;
	if (!g_file_get_contents(p, &text, NULL, NULL))
		text = NULL;
	g_free(p);
	return text;
}

/* Counts the problems the report passes on. */
static unsigned problems_seen;
static unsigned long last_line;
static void on_problem(void *ctx, const struct mj_error *e, int fatal)
{
	(void)fatal;
	CHECK(ctx == &problems_seen);
	if (e->status != MJ_OK) {
		problems_seen++;
		last_line = e->line;
	}
}

static enum mj_status run(const char *out, const char *input, int strict,
			  struct mj_run_stats *stats, struct mj_error *err)
{
	struct mj_run_opts ro;
	mj_run_opts_init(&ro);
	ro.strict = strict;
	ro.on_problem = on_problem;
	ro.ctx = &problems_seen;
	struct mj_report_opts opts;
	mj_report_opts_init(&opts, &ro);
	char *o = path(out), *in = path(input);
	const char *files[] = {in};
	enum mj_status st = mj_report_write(o, &opts, files, 1, stats, err);
	g_free(o);
	g_free(in);
	return st;
}

/* Number of entries of dir whose name starts with prefix. */
static int entries(const char *prefix)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
			n++;
	if (d)
		closedir(d);
	return n;
}

static void test_write(void)
{
	setup();
	write_file("in.csv", records);
	struct mj_error err;
	struct mj_run_stats stats;
	CHECK(run("out", "in.csv", 0, &stats, &err) == MJ_OK);
	CHECK(stats.read == 4 && stats.counted == 4 && stats.rejected == 0);
	static const char *const files[] = {
		"out/summary.md", "out/summary.txt", "out/report.xlsx", "out/report.pdf",
		"out/charts/regions.png", "out/charts/regions.svg", "out/charts/place.png",
		"out/charts/months.svg", "out/charts/violence.png",
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *p = path(files[i]);
		struct stat st;
		CHECK(stat(p, &st) == 0 && st.st_size > 0);
		g_free(p);
	}
	char *md = read_file("out/summary.md");
	CHECK(md != NULL);
	if (md) {
		char *flat = g_strdelimit(g_strdup(md), "\n", ' ');
		/* The period is the whole month the records fall in. */
		CHECK(strstr(flat, "# Report on appeals, 2023-08-01 – 2023-08-31") != NULL);
		CHECK(strstr(flat, "In total, 4 appeals were counted, of which 2 (50.0%) concerned women, "
				   "1 (25.0%) girls under 18 and 1 (25.0%) men.") != NULL);
		CHECK(strstr(flat, "physical 2 (50.0%)") != NULL);
		CHECK(strstr(flat, "domestic 2 (50.0%), of which husband and wife 1 (25.0%) "
				   "and mother-in-law and daughter-in-law 1 (25.0%)") != NULL);
		CHECK(strstr(flat, "2 women were placed in the centre with 3 children.") != NULL);
		CHECK(strstr(flat, "4 rows read, 4 counted, 0 outside the period or filters, "
				   "0 rejected") != NULL);
		g_free(flat);
	}
	g_free(md);
	CHECK(entries("out.") == 0); /* no temporary folder left */
	teardown();
}

static void test_deterministic(void)
{
	setup();
	write_file("in.csv", records);
	struct mj_error err;
	CHECK(run("a", "in.csv", 0, NULL, &err) == MJ_OK);
	CHECK(run("b", "in.csv", 0, NULL, &err) == MJ_OK);
	static const char *const names[] = {"summary.md", "summary.txt", "report.xlsx",
					    "report.pdf", "charts/place.svg"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char *pa = g_strconcat("a/", names[i], NULL), *pb = g_strconcat("b/", names[i], NULL);
		char *fa = path(pa), *fb = path(pb), *ca = NULL, *cb = NULL;
		gsize la = 0, lb = 0;
		CHECK(g_file_get_contents(fa, &ca, &la, NULL));
		CHECK(g_file_get_contents(fb, &cb, &lb, NULL));
		CHECK(ca && cb && la == lb && memcmp(ca, cb, la) == 0);
		g_free(ca); g_free(cb); g_free(fa); g_free(fb); g_free(pa); g_free(pb);
	}
	teardown();
}

static void test_keeps_old(void)
{
	setup();
	write_file("in.csv", records);
	struct mj_error err;
	CHECK(run("out", "in.csv", 0, NULL, &err) == MJ_OK);
	char *before = read_file("out/summary.md");
	CHECK(run("out", "missing.csv", 0, NULL, &err) == MJ_E_IO);
	CHECK(strstr(err.path, "missing.csv") != NULL);
	char *after = read_file("out/summary.md");
	CHECK(before && after && strcmp(before, after) == 0);
	CHECK(entries("out.") == 0);
	g_free(before);
	g_free(after);
	/* A second good run replaces the folder as a whole. */
	write_file("in2.csv", "id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children\n"
			      "B1,2023-09-01,hotline,UZ-TK,,female,34,physical,domestic,spouse,referral,0\n");
	CHECK(run("out", "in2.csv", 0, NULL, &err) == MJ_OK);
	after = read_file("out/summary.md");
	CHECK(after && strstr(after, "2023-09-01") != NULL);
	g_free(after);
	CHECK(entries("out.") == 0);
	teardown();
}

static void test_foreign(void)
{
	setup();
	write_file("in.csv", records);
	char *d = path("home");
	CHECK(mkdir(d, 0700) == 0);
	g_free(d);
	write_file("home/letter.txt", "keep me");
	struct mj_error err;
	CHECK(run("home", "in.csv", 0, NULL, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "letter.txt") != NULL);
	char *kept = read_file("home/letter.txt");
	CHECK(kept && strcmp(kept, "keep me") == 0);
	g_free(kept);
	CHECK(entries("home.") == 0);
	teardown();
}

static void test_rejected(void)
{
	setup();
	GString *s = g_string_new(records);
	g_string_append(s, "A5,2023-08-05,hotline,Atlantis,,female,30,physical,,,referral,0\n");
	write_file("in.csv", s->str);
	g_string_free(s, TRUE);
	struct mj_error err;
	struct mj_run_stats stats;
	problems_seen = 0;
	CHECK(run("out", "in.csv", 0, &stats, &err) == MJ_OK);
	CHECK(stats.rejected == 1 && stats.counted == 4);
	CHECK(problems_seen == 1); /* reported once, not once per pass */
	CHECK(last_line == 6);
	char *txt = read_file("out/summary.txt");
	char *flat = txt ? g_strdelimit(g_strdup(txt), "\n", ' ') : NULL;
	CHECK(flat && strstr(flat, "5 rows read, 4 counted, 0 outside the period or filters, 1 rejected"));
	g_free(flat);
	g_free(txt);
	/* --strict: the rejected row stops the run; nothing is written. */
	CHECK(run("strict", "in.csv", 1, &stats, &err) == MJ_E_VALUE);
	CHECK(entries("strict") == 0);
	teardown();
}

static void test_usage(void)
{
	struct mj_run_opts ro;
	mj_run_opts_init(&ro);
	struct mj_report_opts opts;
	mj_report_opts_init(&opts, &ro);
	struct mj_error err;
	/* Standard input is copied once; named twice it is a mistake. */
	const char *in[] = {"-", "-"};
	CHECK(mj_report_write("/tmp/never-made", &opts, in, 2, NULL, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "standard input") != NULL);
	/* A comparison needs the period it compares. */
	struct mj_stats_opts so;
	mj_stats_opts_init(&so);
	so.compare = "previous";
	opts.stats = &so;
	char path[512];
	snprintf(path, sizeof path, "%s/samples/appeals-2023.csv", getenv("MJ_SOURCE_ROOT"));
	const char *sample[] = {path};
	CHECK(mj_report_write("/tmp/never-made", &opts, sample, 1, NULL, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "--compare needs the period") != NULL);
	CHECK(access("/tmp/never-made", F_OK) != 0);
}

/* A schema of another service: its sections alone make the report. */
static const char clinic_schema[] =
	"kind,dim,code,parent,en,ru,uz,uz-Cyrl,aliases,attrs\n"
	"schema,,clinic,,Clinic visits,Визиты,Tashriflar,Ташрифлар,,\n"
	"label,,unit,,Visits,Визиты,Tashriflar,Ташрифлар,,\n"
	"dimension,date,,,Date,,,,,type=date\n"
	"dimension,kind,,,Kind,,,,,type=category\n"
	"category,kind,a,,Alpha,,,,,\ncategory,kind,b,,Beta,,,,,\n"
	"category,kind,c,,Gamma,,,,,\ncategory,kind,d,,Delta,,,,,\n"
	"dimension,sex,,,Sex,,,,,type=category\n"
	"category,sex,f,,Female,,,,,\ncategory,sex,m,,Male,,,,,\n"
	"dimension,n,,,Items,,,,,type=integer\n"
	"section,kind,kinds,,Visits by kind,Визиты по видам,,,,\"chart=bar,pie\"\n"
	"section,kind,items,,Items by kind,,,,,sum=n;chart=hbar;sheet=4\n"
	"section,kind,women,,Visits of women by kind,,,,,where=sex=f;chart=donut\n"
	"section,kind,kind-sex,,\"Kind, by sex\",,,,,cols=sex;chart=stacked;sheet=2\n";

static const char clinic_records[] =
	"date,kind,sex,n\n"
	"2024-01-02,a,f,1\n2024-01-03,a,f,2\n2024-01-04,a,m,3\n2024-01-05,b,f,4\n"
	"2024-01-06,b,m,5\n2024-01-07,c,f,6\n2024-01-08,d,m,7\n2024-01-09,,f,0\n";

static void test_sections(void)
{
	setup();
	write_file("clinic.csv", clinic_schema);
	write_file("in.csv", clinic_records);
	struct mj_error err;
	char *sp = path("clinic.csv");
	struct mj_schema *schema = mj_schema_load(sp, &err);
	g_free(sp);
	CHECK(schema != NULL);
	if (!schema) {
		teardown();
		return;
	}
	struct mj_run_opts ro;
	mj_run_opts_init(&ro);
	ro.schema = schema;
	struct mj_report_opts opts;
	mj_report_opts_init(&opts, &ro);
	char *o = path("out"), *in = path("in.csv");
	const char *files[] = {in};
	struct mj_run_stats stats;
	CHECK(mj_report_write(o, &opts, files, 1, &stats, &err) == MJ_OK);
	CHECK(stats.read == 8 && stats.counted == 8);
	/* A chart file per chart of a section, and nothing else. */
	static const char *const charts[] = {"kinds", "kinds-pie", "items", "women", "kind-sex"};
	for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++)
		for (int e = 0; e < 2; e++) {
			char *name = g_strdup_printf("out/charts/%s.%s", charts[i], e ? "svg" : "png");
			char *p = path(name);
			struct stat st;
			CHECK(stat(p, &st) == 0 && st.st_size > 0);
			g_free(p);
			g_free(name);
		}
	char *cd = path("out/charts");
	GDir *gd = g_dir_open(cd, 0, NULL);
	int n = 0;
	while (gd && g_dir_read_name(gd))
		n++;
	if (gd)
		g_dir_close(gd);
	g_free(cd);
	CHECK(n == 10);
	char *txt = read_file("out/summary.md");
	char *flat = txt ? g_strdelimit(g_strdup(txt), "\n", ' ') : NULL;
	CHECK(flat != NULL);
	if (flat) {
		CHECK(strstr(flat, "# Clinic visits, 2024-01-01 – 2024-01-31") != NULL);
		CHECK(strstr(flat, "Visits: 8 in total.") != NULL);
		CHECK(strstr(flat, "Visits by kind: 8 in total; the largest: Alpha 3 (37.5%), "
				   "Beta 2 (25.0%) and Gamma 1 (12.5%); not stated 1 (12.5%).") != NULL);
		/* A sum ranks by the sum; a filter counts fewer, and says so. */
		CHECK(strstr(flat, "Items by kind: 28 in total; the largest: Beta 9 (32.1%), "
				   "Delta 7 (25.0%) and Alpha 6 (21.4%).") != NULL);
		CHECK(strstr(flat, "Visits of women by kind: 5 in total") != NULL);
		CHECK(strstr(flat, "Kind, by sex: 8 in total; the largest: Alpha, Female\u00a0\u2014 2 (25.0%)") != NULL);
		CHECK(strstr(flat, "These tables keep only some of the records: "
				   "Visits of women by kind (sex=f).") != NULL);
		CHECK(strstr(flat, "Women's") == NULL && strstr(flat, "appeals") == NULL);
	}
	g_free(flat);
	g_free(txt);
	/* Russian titles from the schema, English where it gives none. */
	ro.lang = MJ_LANG_RU;
	char *o2 = path("out-ru");
	CHECK(mj_report_write(o2, &opts, files, 1, NULL, &err) == MJ_OK);
	txt = read_file("out-ru/summary.md");
	CHECK(txt && strstr(txt, "Визиты по видам: всего 8") != NULL);
	CHECK(txt && strstr(txt, "Items by kind: всего 28") != NULL);
	g_free(txt);
	g_free(o2);
	mj_schema_destroy(schema);

	/* A schema without sections makes no report. */
	char *no = g_strndup(clinic_schema, strstr(clinic_schema, "section,") - clinic_schema);
	schema = mj_schema_parse("none.csv", no, strlen(no), &err);
	g_free(no);
	CHECK(schema != NULL);
	ro.schema = schema;
	char *o3 = path("none");
	CHECK(mj_report_write(o3, &opts, files, 1, NULL, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "no report sections") != NULL);
	struct stat st;
	CHECK(stat(o3, &st) != 0);
	CHECK(entries("none") == 0);
	g_free(o3);
	mj_schema_destroy(schema);
	g_free(o);
	g_free(in);
	teardown();
}

/* Another service's schema that asks for the narrative's forms (say=)
 * and gives its own words (say_*): no dimension name is special. */
static void test_forms(void)
{
	setup();
	const char *head = strstr(clinic_schema, "section,");
	char *text = g_strdup_printf("%.*s%s", (int)(head - clinic_schema), clinic_schema,
		"label,,say_title,,Clinic report,Отчёт клиники,,,,\n"
		"label,,say_kinds,,By kind,По видам,,,,\n"
		"section,sex,people,,,,,,,say=headline\n"
		"section,kind,kinds,,Visits by kind,,,,,say=list\n"
		"section,kind,kind-sex,,\"Kind, by sex\",,,,,cols=sex;say=none\n"
		"section,kind,items,,Items by kind,,,,,sum=n\n");
	write_file("forms.csv", text);
	g_free(text);
	write_file("in.csv", clinic_records);
	struct mj_error err;
	char *sp = path("forms.csv");
	struct mj_schema *schema = mj_schema_load(sp, &err);
	g_free(sp);
	CHECK(schema != NULL);
	if (!schema) {
		teardown();
		return;
	}
	struct mj_run_opts ro;
	mj_run_opts_init(&ro);
	ro.schema = schema;
	struct mj_report_opts opts;
	mj_report_opts_init(&opts, &ro);
	char *o = path("out"), *in = path("in.csv");
	const char *files[] = {in};
	CHECK(mj_report_write(o, &opts, files, 1, NULL, &err) == MJ_OK);
	char *txt = read_file("out/summary.md");
	char *flat = txt ? g_strdelimit(g_strdup(txt), "\n", ' ') : NULL;
	CHECK(flat != NULL);
	if (flat) {
		CHECK(strstr(flat, "# Clinic report, 2024-01-01 – 2024-01-31") != NULL);
		CHECK(strstr(flat, "Visits in total: 8, of which 5 (62.5%) concerned female "
				   "and 3 (37.5%) male.") != NULL);
		CHECK(strstr(flat, "By kind: alpha 3 (37.5%), beta 2 (25.0%), gamma 1 (12.5%), "
				   "delta 1 (12.5%) and not stated 1 (12.5%).") != NULL);
		/* A section without a form is said in general terms; one with
		 * say=none is not said. */
		CHECK(strstr(flat, "Items by kind: 28 in total; the largest: Beta 9 (32.1%)") != NULL);
		CHECK(strstr(flat, "Kind, by sex:") == NULL);
		CHECK(strstr(flat, "Visits: 8 in total.") == NULL);
	}
	g_free(flat);
	g_free(txt);
	g_free(o);
	g_free(in);
	mj_schema_destroy(schema);
	teardown();
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"write", test_write},
		{"deterministic", test_deterministic},
		{"keeps_old", test_keeps_old},
		{"foreign", test_foreign},
		{"rejected", test_rejected},
		{"usage", test_usage},
		{"sections", test_sections},
		{"forms", test_forms},
		{NULL, NULL},
	};
	return run_case(cases, argc, argv);
}
