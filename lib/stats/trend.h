/* Changes of a count between two periods (a month compared with the month
 * before, with the same month a year earlier): the difference, its percent
 * on a base large enough to carry one, and whether it is more than chance. */
#ifndef MJ_TREND_H
#define MJ_TREND_H

/* Below this base (the earlier count) a change is given as a count only:
 * a percent of a handful reads larger than it is. */
#define MJ_TREND_MIN_BASE 20

/* The level of the test: a two-sided p below it is a real change. */
#define MJ_TREND_ALPHA 0.05

/* The two-sided p of the exact conditional test of two Poisson counts a
 * and b (whole numbers >= 0) with equal rates: given a + b, a is
 * binomial(a + b, 1/2), and p is twice the smaller tail, at most 1. Two
 * zero counts give 1. */
double mj_trend_p(double a, double b);

/* A count now against a count before. */
struct mj_trend_change {
	double now, before;
	double diff; /* now - before */
	double pct;  /* 100 * diff / before; NAN when before < MJ_TREND_MIN_BASE */
	double p;    /* mj_trend_p(now, before) */
	int real;    /* p < MJ_TREND_ALPHA: a rise or a fall, not chance */
};

/* Fills *c for now against before. */
void mj_trend_change(double now, double before, struct mj_trend_change *c);
/* Whether a table marks c with "≈" (within chance): a change, or no
 * change at all, that chance would give (p >= MJ_TREND_ALPHA); two
 * counts of zero are no comparison to mark. */
int mj_trend_within_chance(const struct mj_trend_change *c);

/* Months as one number, year * 12 + month - 1, and back. */
int mj_trend_month(int year, int month);
void mj_trend_month_split(int index, int *year, int *month);

#endif
