/* Unit tests for the schema module. */
#include "murojaat/chart.h"
#include "murojaat/schema.h"
#include "schema_internal.h"

#include "check.h"

static struct mj_schema *builtin(void)
{
	struct mj_error e;
	struct mj_schema *s = mj_schema_default(&e);
	if (!s)
		fprintf(stderr, "%s\n", e.message);
	return s;
}

static void test_builtin(void)
{
	struct mj_schema *s = builtin();
	CHECK(s != NULL);
	if (!s)
		return;
	int region = mj_schema_dim_find(s, "Region");
	CHECK(region >= 0);
	CHECK(mj_schema_ncats(s, (size_t)region) == 14);
	CHECK(mj_schema_dim_find(s, "  ВИЛОЯТ ") == region);
	CHECK(mj_schema_dim_find(s, "область") == region);
	CHECK(mj_schema_dim_find(s, "nonsense") < 0);
	const char *codes[] = {"UZ-QR", "UZ-AN", "UZ-BU", "UZ-JI", "UZ-QA", "UZ-NW", "UZ-NG",
			       "UZ-SA", "UZ-SU", "UZ-SI", "UZ-TO", "UZ-FA", "UZ-XO", "UZ-TK"};
	for (size_t i = 0; i < 14; i++)
		CHECK_STR(mj_schema_cat_code(s, (size_t)region, i), codes[i]);
	mj_schema_destroy(s);
}

static void test_aliases(void)
{
	struct mj_schema *s = builtin();
	if (!s)
		return;
	size_t r = (size_t)mj_schema_dim_find(s, "region");
	int fa = mj_schema_cat_find(s, r, "UZ-FA");
	CHECK(fa >= 0);
	/* Every spelling of the Uzbek apostrophe, and case. */
	const char *fergana[] = {"Farg'ona", "Farg\xca\xbbona", "Farg\xe2\x80\x98ona",
				 "Farg\xe2\x80\x99ona", "FARG`ONA", "Fargona", "Ferghana",
				 "Фергана", "ФАРҒОНА", " Ферганская обл. ", "Farg'ona viloyati"};
	for (size_t i = 0; i < sizeof fergana / sizeof *fergana; i++)
		CHECK(mj_schema_cat_find(s, r, fergana[i]) == fa);
	CHECK(mj_schema_cat_find(s, r, "г. Ташкент") == mj_schema_cat_find(s, r, "UZ-TK"));
	CHECK(mj_schema_cat_find(s, r, "Tashkent") < 0); /* ambiguous: city or region */
	int col = -1, row = -1;
	CHECK(mj_schema_cat_tile(s, r, (size_t)mj_schema_cat_find(s, r, "UZ-AN"), &col, &row) == 0);
	CHECK(col == 6 && row == 1);
	char buf[64];
	CHECK_STR(mj_schema_cat_attr(s, r, (size_t)fa, "short", buf, sizeof buf), "Fergana");
	CHECK(mj_schema_cat_attr(s, r, (size_t)fa, "nothing", buf, sizeof buf) == NULL);
	size_t rel = (size_t)mj_schema_dim_find(s, "relationship");
	size_t place = (size_t)mj_schema_dim_find(s, "place");
	CHECK(mj_schema_dim_parent(s, rel) == (int)place);
	CHECK(mj_schema_cat_parent(s, rel, (size_t)mj_schema_cat_find(s, rel, "coworker")) ==
	      mj_schema_cat_find(s, place, "workplace"));
	mj_schema_destroy(s);
}

static void test_labels(void)
{
	struct mj_schema *s = builtin();
	if (!s)
		return;
	size_t r = (size_t)mj_schema_dim_find(s, "region");
	size_t su = (size_t)mj_schema_cat_find(s, r, "UZ-SU");
	CHECK_STR(mj_schema_cat_label(s, r, su, MJ_LANG_EN), "Surkhandarya region");
	CHECK_STR(mj_schema_cat_label(s, r, su, MJ_LANG_RU), "Сурхандарьинская область");
	CHECK_STR(mj_schema_cat_label(s, r, su, MJ_LANG_UZ), "Surxondaryo viloyati");
	CHECK_STR(mj_schema_cat_label(s, r, su, MJ_LANG_UZ_CYRL), "Сурхондарё вилояти");
	CHECK(mj_lang_parse("uz-cyrl") == MJ_LANG_UZ_CYRL);
	CHECK(mj_lang_parse("fr") < 0);
	CHECK_STR(mj_lang_tag(MJ_LANG_UZ_CYRL), "uz-Cyrl");
	mj_schema_destroy(s);
}

static void expect_error(const char *text, unsigned long line, unsigned long col,
			 const char *fragment)
{
	struct mj_error e;
	mj_error_clear(&e);
	struct mj_schema *s = mj_schema_parse("t.csv", text, strlen(text), &e);
	CHECK(s == NULL);
	mj_schema_destroy(s);
	CHECK(e.status == MJ_E_SCHEMA);
	CHECK(e.line == line);
	CHECK(e.column == col);
	if (!strstr(e.message, fragment)) {
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n", e.message, fragment);
		check_failures++;
	}
	if (e.column != col || e.line != line) {
		fprintf(stderr, "at %lu:%lu: %s\n", e.line, e.column, e.message);
		check_failures++;
	}
}

#define HEAD "kind,dim,code,parent,en,ru,uz,uz-Cyrl,aliases,attrs\n"

static void test_errors(void)
{
	expect_error("kind,dim\n", 1, 1, "header column 3 must be 'code'");
	expect_error(HEAD "dimension,a,,,A,,,,,type=category\ncategory,a,x,,X,,,,,\ncategory,a,x,,Y,,,,,\n",
		     4, 12, "duplicate category code \"x\"");
	expect_error(HEAD "dimension,a,,,A,,,,,type=category\ndimension,b,,,B,,,,,type=category;parent=a\n"
		     "category,a,x,,X,,,,,\ncategory,b,y,z,Y,,,,,\n", 5, 14, "unknown parent \"z\"");
	expect_error(HEAD "dimension,a,,,A,,,,,type=category\ncategory,a,x,,X,,,,foo,\ncategory,a,y,,Y,,,,Foo,\n",
		     4, 20, "alias \"Foo\" is claimed by category \"x\" too");
	expect_error(HEAD "dimension,a,,,A,,,,,type=weird\n", 2, 21, "type must be");
	expect_error(HEAD "category,nodim,x,,X,,,,,\n", 2, 10, "unknown dimension 'nodim'");
	expect_error(HEAD "dimension,b,,,B,,,,,type=category;parent=b2\n", 2, 21, "unknown parent dimension");
	expect_error(HEAD "frobnicate,,,,,,,,,\n", 2, 1, "unknown row kind");
	/* An integer's bounds are numbers: "1O" is not 0, nor 1. */
	expect_error(HEAD "dimension,n,,,N,,,,,type=integer;min=1O\n", 2, 21,
		     "min= and max= are whole numbers");
	expect_error(HEAD "dimension,n,,,N,,,,,type=integer;max=\n", 2, 21,
		     "min= and max= are whole numbers");
	expect_error(HEAD "dimension,n,,,N,,,,,type=integer;min=5;max=2\n", 2, 21,
		     "min= is above max=");
}

static void test_other_schema(void)
{
	const char *text = HEAD
		"dimension,incident,,,Incident type,,,,type,type=category;required\n"
		"category,incident,rape,,Rape,,,,,\n"
		"category,incident,assault,,Sexual assault,,,,,\n";
	struct mj_error e;
	struct mj_schema *s = mj_schema_parse("g.csv", text, strlen(text), &e);
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(mj_schema_ndims(s) == 1);
	CHECK(mj_schema_cat_find(s, 0, "SEXUAL ASSAULT") == 1);
	CHECK_STR(mj_schema_missing_label(s, MJ_LANG_RU), "Не указано");
	mj_schema_destroy(s);
}

static void test_cycle(void)
{
	/* A parent may be declared after its child, so a cycle can be
	 * written: it is caught at the first dimension on it. */
	expect_error(HEAD "dimension,a,,,A,,,,,type=category;parent=b\n"
		     "dimension,b,,,B,,,,,type=category;parent=a\n", 2, 21,
		     "cycle in the hierarchy of dimensions: a -> b -> a");
	expect_error(HEAD "dimension,a,,,A,,,,,type=category;parent=a\n", 2, 21,
		     "cycle in the hierarchy of dimensions: a -> a");
	expect_error(HEAD "dimension,x,,,X,,,,,type=category;parent=c\n"
		     "dimension,a,,,A,,,,,type=category;parent=b\n"
		     "dimension,b,,,B,,,,,type=category;parent=c\n"
		     "dimension,c,,,C,,,,,type=category;parent=a\n", 3, 21,
		     "cycle in the hierarchy of dimensions: a -> b -> c -> a");
	/* Declared in any order, a hierarchy without a cycle loads. */
	const char *ok = HEAD "dimension,rel,,,Rel,,,,,type=category;parent=place\n"
		"category,rel,spouse,home,Spouse,,,,,\n"
		"dimension,place,,,Place,,,,,type=category\n"
		"category,place,home,,Home,,,,,\n";
	struct mj_error e;
	struct mj_schema *s = mj_schema_parse("ok.csv", ok, strlen(ok), &e);
	CHECK(s != NULL);
	if (s) {
		CHECK(mj_schema_dim_parent(s, 0) == 1);
		CHECK(mj_schema_cat_parent(s, 0, 0) == 0);
	}
	mj_schema_destroy(s);
	/* A parent on a dimension that cannot have one. */
	expect_error(HEAD "dimension,a,,,A,,,,,type=category\n"
		     "dimension,n,,,N,,,,,type=integer;parent=a\n", 3, 21,
		     "must both be of type=category");
}

static void test_derived_errors(void)
{
	const char *base = HEAD "dimension,sex,,,Sex,,,,,type=category\n"
		"category,sex,female,,Female,,,,,\n"
		"dimension,age,,,Age,,,,,type=integer;max=120\n";
	char buf[1024];
	snprintf(buf, sizeof buf, "%s%s", base,
		 "dimension,group,,,Group,,,,,type=derived;from=sex+age\n"
		 "category,group,girl,,Girl,,,,,when=sex:femal&age:0-17\n");
	expect_error(buf, 6, 31, "rule names unknown category \"femal\" of 'sex'");
	snprintf(buf, sizeof buf, "%s%s", base,
		 "dimension,group,,,Group,,,,,type=derived;from=sex+age\n"
		 "category,group,girl,,Girl,,,,,when=gender:female\n");
	expect_error(buf, 6, 31, "names unknown dimension 'gender'");
	snprintf(buf, sizeof buf, "%s%s", base,
		 "dimension,group,,,Group,,,,,type=derived;from=sex+agee\n");
	expect_error(buf, 5, 29, "unknown source dimension 'agee'");
	snprintf(buf, sizeof buf, "%s%s", base,
		 "dimension,group,,,Group,,,,,type=derived;from=age\n"
		 "category,group,old,,Old,,,,,\n");
	expect_error(buf, 6, 29, "needs range= or when=");
}

static void test_sections(void)
{
	struct mj_schema *s = builtin();
	if (!s)
		return;
	/* The Women's Center's report, in the order of its PDF pages. */
	const char *codes[] = {"group", "violence", "regions", "place", "age", "channel",
			       "outcome", "children", "outcome-group", "months",
			       "region-violence"};
	const size_t sheets[] = {0, 1, 2, 3, 4, 5, 6, 7, 10, 8, 9};
	CHECK(mj_schema_nsections(s) == 11);
	for (size_t i = 0; i < 11 && i < mj_schema_nsections(s); i++) {
		CHECK_STR(mj_schema_section(s, i)->code, codes[i]);
		CHECK(mj_schema_section(s, i)->sheet == sheets[i]);
	}
	CHECK(mj_schema_section(s, 11) == NULL);
	const struct mj_schema_section *r = mj_schema_section(s, 2);
	CHECK_STR(r->by, "region");
	CHECK(r->ncharts == 2 && r->charts[0] == MJ_CHART_HBAR && r->charts[1] == MJ_CHART_MAP);
	CHECK(r->cols == NULL && r->sum == NULL);
	/* Each section is titled as the language words it ("Обращения по
	 * регионам"), not put together from its dimension's label. */
	CHECK_STR(r->titles[MJ_LANG_EN], "Appeals by region");
	CHECK_STR(r->titles[MJ_LANG_RU], "Обращения по регионам");
	const struct mj_schema_section *c = mj_schema_section(s, 7);
	CHECK_STR(c->sum, "children");
	CHECK_STR(c->titles[MJ_LANG_EN], "Children placed, by outcome");
	CHECK_STR(c->titles[MJ_LANG_RU], "Размещённые дети по результату");
	CHECK_STR(mj_schema_section(s, 3)->by, "place,relationship");
	CHECK_STR(mj_schema_section(s, 10)->cols, "violence");
	/* How the narrative speaks of each, and the words it opens with. */
	const int says[] = {MJ_SAY_HEADLINE, MJ_SAY_LIST, MJ_SAY_NAMES, MJ_SAY_NESTED,
			    MJ_SAY_LIST, MJ_SAY_LIST, MJ_SAY_LIST, MJ_SAY_PLACED,
			    MJ_SAY_NONE, MJ_SAY_EXTREMES, MJ_SAY_NONE};
	for (size_t i = 0; i < 11 && i < mj_schema_nsections(s); i++)
		CHECK(mj_schema_section(s, i)->say == says[i]);
	CHECK_STR(c->say_code, "shelter");
	CHECK(mj_schema_section(s, 0)->say_code == NULL);
	CHECK_STR(mj_schema_say_text(s, "say_violence", MJ_LANG_EN), "By type of violence");
	CHECK_STR(mj_schema_say_text(s, "say_title", MJ_LANG_RU), "Отчёт об обращениях");
	CHECK(mj_schema_say_text(s, "say_group", MJ_LANG_EN) == NULL);
	mj_schema_destroy(s);

	/* A section's own filter, and a title given in English only. */
	const char *text = HEAD "dimension,sex,,,Sex,,,,,type=category\n"
		"category,sex,female,,Female,,,,,\ncategory,sex,male,,Male,,,,,\n"
		"section,sex,women,,Women only,,,,,\"where=sex=female,male&sex=Female;chart=pie,bar\"\n";
	struct mj_error e;
	s = mj_schema_parse("w.csv", text, strlen(text), &e);
	CHECK(s != NULL);
	if (!s)
		return;
	c = mj_schema_section(s, 0);
	CHECK(c->nwhere == 2);
	CHECK_STR(c->where[0], "sex=female,male");
	CHECK_STR(c->where[1], "sex=Female");
	CHECK(c->ncharts == 2 && c->charts[0] == MJ_CHART_PIE);
	CHECK_STR(c->titles[MJ_LANG_UZ_CYRL], "Women only");
	mj_schema_destroy(s);
}

static void test_section_errors(void)
{
#define DIMS HEAD "dimension,id,,,Id,,,,,type=id\ndimension,date,,,Date,,,,,type=date\n" \
	"dimension,n,,,N,,,,,type=integer\ndimension,a,,,A,,,,,type=category\n" \
	"category,a,x,,X,,,,,\n"
	expect_error(DIMS "section,\",\",s1,,,,,,,chart=bar\n", 7, 9,
		     "section \"s1\" needs the dimensions it breaks down by");
	expect_error(DIMS "section,b,s1,,,,,,,chart=bar\n", 7, 9,
		     "section \"s1\" names unknown dimension 'b'");
	expect_error(DIMS "section,a,s1,,,,,,,chart=bars\n", 7, 20,
		     "section \"s1\" names unknown chart type \"bars\"");
	expect_error(DIMS "section,a,s1,,,,,,,chart=stacked\n", 7, 20,
		     "a stacked chart needs a cross-tab");
	expect_error(DIMS "section,a,s1,,,,,,,chart=sunburst\n", 7, 20, "a sunburst needs");
	expect_error(DIMS "section,a,s1,,,,,,,chart=map\n", 7, 20, "a map needs");
	expect_error(DIMS "section,a,s1,,,,,,,cols=zz;chart=stacked\n", 7, 20,
		     "names unknown dimension 'zz'");
	expect_error(DIMS "section,id,s1,,,,,,,chart=bar\n", 7, 9, "is an identifier");
	expect_error(DIMS "section,date,s1,,,,,,,chart=bar\n", 7, 9, "is a date");
	expect_error(DIMS "section,a,s1,,,,,,,sum=a\n", 7, 20, "only an integer dimension");
	expect_error(DIMS "section,a,s1,,,,,,,where=a=y\n", 7, 20,
		     "where names unknown category \"y\"");
	expect_error(DIMS "section,a,s1,,,,,,,colour=red\n", 7, 20, "unknown attribute \"colour\"");
	expect_error(DIMS "section,a,s1,,,,,,,say=story\n", 7, 20, "say= must be");
	expect_error(DIMS "section,a,s1,,,,,,,say=nested\n", 7, 20, "two nested dimensions");
	expect_error(DIMS "section,a,s1,,,,,,,say=placed:x\n", 7, 20, "for a summed section");
	expect_error(DIMS "section,a,s1,,,,,,,sum=n;say=placed:y\n", 7, 20,
		     "names a category of the section's dimension");
	expect_error(DIMS "section,a,s1,,,,,,,cols=a;say=list\n", 7, 20, "without cols= or where=");
	expect_error(DIMS "section,a,s1,,,,,,,\nsection,a,s1,,,,,,,\n", 8, 11,
		     "duplicate section \"s1\"");
	expect_error(DIMS "section,a,../x,,,,,,,\n", 7, 11, "may hold only letters");
	expect_error(DIMS "section,a,s1,,,,,,,sheet=3\n", 7, 20, "beyond the number of sections");
	expect_error(DIMS "section,a,s1,,,,,,,\nsection,a,s2,,,,,,,sheet=1\n", 8, 20,
		     "sheet 1 is taken by section \"s1\" too");
#undef DIMS
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"builtin", test_builtin}, {"aliases", test_aliases}, {"labels", test_labels},
		{"errors", test_errors}, {"other_schema", test_other_schema},
		{"cycle", test_cycle}, {"derived_errors", test_derived_errors},
		{"sections", test_sections}, {"section_errors", test_section_errors}, {0, 0}};
	return run_case(cases, argc, argv);
}
