/* Unit tests for the schema module. */
#include "murojaat/schema.h"

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

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"builtin", test_builtin}, {"aliases", test_aliases}, {"labels", test_labels},
		{"errors", test_errors}, {"other_schema", test_other_schema}, {0, 0}};
	return run_case(cases, argc, argv);
}
