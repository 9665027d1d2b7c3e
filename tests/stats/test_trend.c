/* Unit tests for the trend module: the exact test of two Poisson counts
 * and the changes a bulletin reports. */
#include <math.h>

#include "trend.h"

#include "check.h"

/* The expected p-values were computed apart from this code, by exact
 * summation in rational arithmetic: p = min(1, 2 * sum_{i<=k} C(n, i) / 2^n)
 * with n = a + b and k = min(a, b) (Python: fractions.Fraction and
 * math.comb). By hand: (10, 3) is 2 * (1 + 13 + 78 + 286) / 8192 =
 * 0.09228515625; (6, 0) is 2 / 64. */
static void test_p_values(void)
{
	static const struct {
		double a, b, p;
	} cases[] = {
		{1240, 1209, 0.5443804939536866},
		{1240, 1128, 0.022526349709920335},
		{10, 3, 0.09228515625},
		{3, 10, 0.09228515625},
		{12, 12, 1.0},
		{0, 0, 1.0},
		{5, 0, 0.0625},
		{6, 0, 0.03125},
		{700, 640, 0.10697992524490955},
		{100, 130, 0.055613577781392386},
		{1046, 979, 0.14244784871418437},
		{20, 35, 0.058064146792409066},
		{3000, 3200, 0.011488253770871206},
		{2000, 2130, 0.04470349068657504},
		{1000, 900, 0.02310884510890107},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double p = mj_trend_p(cases[i].a, cases[i].b);
		if (fabs(p - cases[i].p) > 1e-9)
			fprintf(stderr, "(%g, %g): p = %.17g, expected %.17g\n",
				cases[i].a, cases[i].b, p, cases[i].p);
		CHECK(fabs(p - cases[i].p) <= 1e-9);
	}
	/* A large register: equal counts are no change, a 2% rise on
	 * 100,000 is. */
	CHECK(mj_trend_p(1e6, 1e6) == 1.0);
	CHECK(mj_trend_p(102000, 100000) < 1e-5);
	CHECK(isnan(mj_trend_p(-1, 3)));
}

/* A change within chance is about the same; a small base gives no
 * percent. */
static void test_change(void)
{
	struct mj_trend_change c;
	mj_trend_change(1240, 1209, &c);
	CHECK(c.diff == 31);
	CHECK(fabs(c.pct - 100.0 * 31 / 1209) < 1e-12);
	CHECK(!c.real);
	mj_trend_change(1240, 1128, &c);
	CHECK(c.diff == 112 && c.real);
	CHECK(fabs(c.pct - 9.929078014184397) < 1e-9);
	/* A fall is as real as a rise. */
	mj_trend_change(1128, 1240, &c);
	CHECK(c.diff == -112 && c.real && c.pct < 0);
	/* Base 19: a count only, even when the change is real. */
	mj_trend_change(60, 19, &c);
	CHECK(isnan(c.pct) && c.diff == 41 && c.real);
	mj_trend_change(25, 20, &c);
	CHECK(c.pct == 25.0 && !c.real);
	mj_trend_change(0, 0, &c);
	CHECK(c.diff == 0 && !c.real && isnan(c.pct));
	int y, m;
	mj_trend_month_split(mj_trend_month(2023, 1) - 1, &y, &m);
	CHECK(y == 2022 && m == 12);
	mj_trend_month_split(mj_trend_month(2023, 8) - 12, &y, &m);
	CHECK(y == 2022 && m == 8);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"p_values", test_p_values}, {"change", test_change}, {0, 0}};
	return run_case(cases, argc, argv);
}
