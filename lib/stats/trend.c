/* Changes of counts between periods and the exact test that says whether a
 * change is more than chance (see trend.h). */
#include "trend.h"

#include <math.h>

double mj_trend_p(double a, double b)
{
	if (!(a >= 0) || !(b >= 0))
		return NAN;
	double n = a + b;
	double k = a < b ? a : b;
	if (n == 0)
		return 1.0;
	/* P(X <= k) for X binomial(n, 1/2), summed from k down: with k at
	 * most n / 2 the terms only shrink, by i / (n - i + 1) each step, so
	 * the sum stops once they no longer count. */
	double log_term = lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1) - n * log(2.0);
	double term = exp(log_term), sum = 0;
	for (double i = k; i >= 0; i--) {
		sum += term;
		if (term < sum * 1e-17 || term == 0)
			break;
		term *= i / (n - i + 1);
	}
	double p = 2 * sum;
	return p > 1 ? 1.0 : p;
}

void mj_trend_change(double now, double before, struct mj_trend_change *c)
{
	c->now = now;
	c->before = before;
	c->diff = now - before;
	c->pct = before >= MJ_TREND_MIN_BASE ? 100.0 * (now - before) / before : NAN;
	c->p = mj_trend_p(now, before);
	c->real = c->p < MJ_TREND_ALPHA;
}

int mj_trend_within_chance(const struct mj_trend_change *c)
{
	return !c->real && (c->now > 0 || c->before > 0);
}

int mj_trend_month(int year, int month)
{
	return year * 12 + month - 1;
}

void mj_trend_month_split(int index, int *year, int *month)
{
	*year = index / 12;
	*month = index % 12 + 1;
}
