/* Distributions and intervals of proportions: the normal quantile, the
 * incomplete beta and gamma functions, chi-square tails, Wilson and
 * Clopper-Pearson intervals. Pure arithmetic, no tables. */
#ifndef MUROJAAT_DISTRIBUTIONS_H
#define MUROJAAT_DISTRIBUTIONS_H


/* Distributions ------------------------------------------------------------ */

/* The standard normal quantile: z with P(Z <= z) = p, for 0 < p < 1
 * (NAN outside). Found by bisection on erfc, accurate to double precision. */
double mj_normal_quantile(double p);
/* The regularised incomplete beta function I_x(a, b) for a, b > 0 and
 * 0 <= x <= 1 (NAN outside), by its continued fraction. */
double mj_beta_inc(double a, double b, double x);
/* The x with I_x(a, b) = p, by bisection on mj_beta_inc(). */
double mj_beta_inc_inv(double a, double b, double p);
/* The upper regularised gamma function Q(a, x) = Γ(a, x) / Γ(a), a > 0,
 * x >= 0: a series below a + 1, a continued fraction above. */
double mj_gamma_q(double a, double x);
/* P(X >= x) for X chi-square with df degrees of freedom. */
double mj_chi2_sf(double x, double df);

/* Confidence intervals ------------------------------------------------------ */

enum mj_ci_method {
	MJ_CI_WILSON = 0, /* Wilson score interval (default) */
	MJ_CI_EXACT       /* Clopper-Pearson, from the beta distribution */
};

/* Interval for the proportion x / n at confidence level (0.5 <= level < 1).
 * Bounds are proportions (0..1). Returns 0, or -1 when n <= 0, x is
 * outside 0..n or the level is out of range (bounds set to NAN). */
int mj_ci_proportion(double x, double n, double level, enum mj_ci_method method,
		     double *lo, double *hi);

#endif
