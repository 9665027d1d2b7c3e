/* Distributions (normal, beta, gamma, chi-square) and intervals of
 * proportions. */
#include "murojaat/distributions.h"

#include <float.h>
#include <math.h>

/* Distributions ------------------------------------------------------------ */

double mj_normal_quantile(double p)
{
	if (!(p > 0 && p < 1))
		return NAN;
	/* Phi(z) = erfc(-z / sqrt 2) / 2 is monotone; bisection to the last
	 * bit is slow only by comparison with a rational approximation, and
	 * it is called once per table. */
	double lo = -40, hi = 40;
	for (int i = 0; i < 200; i++) {
		double mid = (lo + hi) / 2;
		if (mid == lo || mid == hi)
			break;
		if (0.5 * erfc(-mid / sqrt(2.0)) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

#define TINY 1e-300

/* The continued fraction of the incomplete beta function (Abramowitz and
 * Stegun 26.5.8), evaluated with the modified Lentz method; converges fast
 * for x < (a + 1) / (a + b + 2). */
static double beta_fraction(double a, double b, double x)
{
	double c = 1, d = 1 - (a + b) * x / (a + 1);
	if (fabs(d) < TINY)
		d = TINY;
	d = 1 / d;
	double h = d;
	for (int m = 1; m <= 100000; m++) {
		double m2 = 2.0 * m;
		/* Even step. */
		double num = m * (b - m) * x / ((a - 1 + m2) * (a + m2));
		d = 1 + num * d;
		if (fabs(d) < TINY)
			d = TINY;
		c = 1 + num / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1 / d;
		h *= d * c;
		/* Odd step. */
		num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + 1 + m2));
		d = 1 + num * d;
		if (fabs(d) < TINY)
			d = TINY;
		c = 1 + num / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1 / d;
		double step = d * c;
		h *= step;
		if (fabs(step - 1) < 1e-16)
			break;
	}
	return h;
}

double mj_beta_inc(double a, double b, double x)
{
	if (!(a > 0 && b > 0 && x >= 0 && x <= 1))
		return NAN;
	if (x == 0 || x == 1)
		return x;
	double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x));
	if (x < (a + 1) / (a + b + 2))
		return front * beta_fraction(a, b, x) / a;
	return 1 - front * beta_fraction(b, a, 1 - x) / b;
}

double mj_beta_inc_inv(double a, double b, double p)
{
	if (!(a > 0 && b > 0 && p >= 0 && p <= 1))
		return NAN;
	if (p == 0 || p == 1)
		return p;
	double lo = 0, hi = 1;
	for (int i = 0; i < 1100; i++) {
		double mid = (lo + hi) / 2;
		if (mid <= lo || mid >= hi)
			break;
		if (mj_beta_inc(a, b, mid) < p)
			lo = mid;
		else
			hi = mid;
		if (hi - lo <= DBL_EPSILON * hi)
			break;
	}
	return (lo + hi) / 2;
}

double mj_gamma_q(double a, double x)
{
	if (!(a > 0 && x >= 0))
		return NAN;
	if (x == 0)
		return 1;
	double front = exp(-x + a * log(x) - lgamma(a));
	if (x < a + 1) {
		/* P(a, x) by its series, Q = 1 - P. */
		double term = 1 / a, sum = term;
		for (int n = 1; n < 100000; n++) {
			term *= x / (a + n);
			sum += term;
			if (fabs(term) < fabs(sum) * 1e-17)
				break;
		}
		double q = 1 - sum * front;
		return q < 0 ? 0 : q;
	}
	/* Q(a, x) by its continued fraction (modified Lentz). */
	double b = x + 1 - a, c = 1 / TINY, d = 1 / b, h = d;
	for (int i = 1; i < 100000; i++) {
		double an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (fabs(d) < TINY)
			d = TINY;
		c = b + an / c;
		if (fabs(c) < TINY)
			c = TINY;
		d = 1 / d;
		double step = d * c;
		h *= step;
		if (fabs(step - 1) < 1e-16)
			break;
	}
	return front * h;
}

double mj_chi2_sf(double x, double df)
{
	if (!(df > 0))
		return NAN;
	if (!(x > 0))
		return 1;
	return mj_gamma_q(df / 2, x / 2);
}

/* Confidence intervals ----------------------------------------------------- */

int mj_ci_proportion(double x, double n, double level, enum mj_ci_method method,
		     double *lo, double *hi)
{
	*lo = *hi = NAN;
	if (!(n > 0) || !(x >= 0) || x > n || !(level >= 0.5 && level < 1))
		return -1;
	double alpha = 1 - level;
	if (method == MJ_CI_EXACT) {
		*lo = x == 0 ? 0 : mj_beta_inc_inv(x, n - x + 1, alpha / 2);
		*hi = x == n ? 1 : mj_beta_inc_inv(x + 1, n - x, 1 - alpha / 2);
		return 0;
	}
	double z = mj_normal_quantile(1 - alpha / 2);
	double p = x / n, z2 = z * z;
	double denom = 1 + z2 / n;
	double centre = (p + z2 / (2 * n)) / denom;
	double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
	*lo = x == 0 ? 0 : fmax(0, centre - half);
	*hi = x == n ? 1 : fmin(1, centre + half);
	return 0;
}
