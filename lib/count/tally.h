/* Counting one record into many tables at once: each dimension's key part
 * is made once per record, and a table of few cells counts into a dense
 * array that is added into its cube at the end of a part. */
#ifndef MJ_TALLY_H
#define MJ_TALLY_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "cube.h"
#include "murojaat/record.h"
#include "murojaat/schema.h"

/* The most cells a table counts in a dense array. */
#define MJ_TALLY_DENSE_MAX 4096

/* A period of a date (month, quarter, year) has no fixed list of values: a
 * dense array holds MJ_TALLY_WINDOW periods in a row, from a first period
 * each tally (thread) places by itself when it meets its first period, and
 * a period outside is counted in the cubes. Up to MJ_TALLY_MAXWIN such
 * dimensions; more are counted in the cubes. 1024 months (85 years) is
 * wide enough that a register of many years, not in date order, rarely
 * leaves it. */
#define MJ_TALLY_WINDOW 1024
#define MJ_TALLY_MAXWIN 4
/* A window not yet placed: every part falls before it. */
#define MJ_TALLY_UNPLACED 0x40000000u

/* What one table counts. */
struct mj_tally_spec {
	int n;                   /* dimensions in dims[] */
	int dims[MJ_CUBE_MAXD];
	int multi;               /* position in dims[] of a multi-response dimension, or -1 */
	int sum_dim;             /* integer dimension summed, or -1 */
};

struct mj_tally_table;

/* A dense count of one dimension: cell offset + its key part. */
struct mj_tally_one {
	uint32_t offset, slot;
};

/* A dense count of two: offset + the first part + the second's times stride. */
struct mj_tally_two {
	uint32_t offset, slot0, slot1, stride1;
};

/* The key part of slot MJ_TALLY_ZERO is always 0: a cell of a table that
 * does not move with a dimension (the cases of a multi-response table
 * alone) is a dense count of that slot. */
#define MJ_TALLY_ZERO (MJ_MAX_DIMS + MJ_TALLY_MAXWIN)

/* A record's parts as mj_tally_row() makes them are its key parts less one
 * (modulo 2^32): a value as it is (MJ_MISSING, -1, for key part 0), so
 * that no instruction turns it into its key part; the offsets of one[],
 * two[] and sum[] hold the 1 of each part times its stride. */

/* A dense table of one dimension whose cells sum an integer dimension. */
struct mj_tally_sum {
	uint32_t offset, slot;
	int dim;                 /* the dimension summed */
};

/* A dense count of a multi-response dimension, alone or by others: the
 * others' cells start at offset + their parts times their strides; there
 * the cell of category c is at (c + 1) * step, of "not stated" at 0 and
 * of the record as a case at cases. */
struct mj_tally_multi {
	uint32_t offset;
	uint32_t nkeys;          /* the other dimensions */
	uint32_t slot[MJ_CUBE_MAXD - 1], stride[MJ_CUBE_MAXD - 1];
	uint32_t mslot, step, cases;
	uint32_t ncats;          /* the multi-response dimension's categories */
	int dim;                 /* the multi-response dimension */
	int table;               /* the table, when its cells hold sums; else -1 */
};

/* A dense count of one dimension that is not counted row by row: its
 * cells are those of a dense count of two (the same rows, by the same part)
 * added up over the other dimension, when the tally is flushed. Cell x
 * is the sum over y < ny of cell from + x * xs + y * ys. */
struct mj_tally_margin {
	uint32_t to, nx, from, xs, ys, ny;
};

struct mj_tally_plan {
	struct mj_tally_table *tables;
	size_t ntables;
	/* The tables by how they count, so that the usual ones (a dense
	 * count of one or two dimensions) take a few instructions each. A
	 * multi-response table of at most one other dimension is also two
	 * such counts (its case and its category) for a record that names
	 * one category or none: those are the last none_multi of one[] and
	 * the last ntwo_multi of two[], and the first nmulti_inline of
	 * multi[] are those tables. */
	struct mj_tally_one *one;
	size_t none, none_multi;
	struct mj_tally_two *two;
	size_t ntwo, ntwo_multi;
	struct mj_tally_sum *sum; /* dense sums by one dimension (not weighted) */
	size_t nsum;
	struct mj_tally_multi *multi;
	size_t nmulti_tables, nmulti_inline;
	struct mj_tally_margin *margin; /* the counts of one found from two */
	size_t nmargin;
	uint32_t *other;         /* other dense tables (sums, three dimensions) */
	size_t nother;
	uint32_t *hashed;        /* tables counted in their cubes */
	size_t nhashed;
	uint32_t *summing;       /* tables of their own sum, but those of sum[] */
	size_t nsumming;
	int rest;                /* mj_tally_rest() has tables to count in any row */
	int used[MJ_MAX_DIMS];   /* the dimensions any table uses */
	uint32_t bound[MJ_MAX_DIMS]; /* the largest key part a dense array holds */
	size_t nused;
	int multi_used[MJ_MAX_DIMS]; /* multi-response dimensions among them */
	uint64_t over[MJ_MAX_DIMS];  /* mentions past their categories */
	size_t nmulti;
	/* Dimensions counted in a window: their positions in used[]; a
	 * record's place in window w is part[MJ_MAX_DIMS + w]. */
	int win_used[MJ_TALLY_MAXWIN];
	size_t nwin;
	size_t ncells;           /* dense cells of all tables */
	int weighted;            /* some table's cells hold sums, not counts */
	int unit;                /* every record adds 1 (no weight, no run sum) */
	int missing_exclude;
};

/* Counts of one thread: dense cells (those of each table one after the
 * other) and, where a table sums, their sums. */
struct mj_tally {
	uint64_t *counts;
	double *sums;
	/* The key part of each window's first cell, or MJ_TALLY_UNPLACED.
	 * Placed once, before any count in the window; the flush reads it
	 * back, so threads need not agree on it. */
	uint32_t base[MJ_TALLY_MAXWIN];
};

/* A plan for nspecs tables of schema (borrowed). unit says that the value
 * each record adds is 1 (no weight and no sum for the run); dense 0 counts
 * every table in its cube (as a check of the dense arrays). Returns -1 when
 * out of memory. Free with mj_tally_plan_free(). */
int mj_tally_plan_init(struct mj_tally_plan *p, const struct mj_schema *schema,
		       const struct mj_tally_spec *specs, size_t nspecs,
		       int unit, int missing_exclude, int dense);
void mj_tally_plan_free(struct mj_tally_plan *p);

/* Empty counts for plan p; -1 when out of memory. mj_tally_free(NULL
 * counts) does nothing. */
int mj_tally_init(struct mj_tally *t, const struct mj_tally_plan *p);
void mj_tally_free(struct mj_tally *t);

/* The part of mj_tally_row() out of line: the tables of their own sum (for
 * *most), the other dense tables and those counted in their cubes, and
 * with mentioned every multi-response table; with bad, every table in its
 * cube (and windows not yet placed are placed). part: as mj_tally_row()
 * makes them (not read with bad). */
int mj_tally_rest(const struct mj_tally_plan *p, struct mj_tally *t,
		  struct mj_cube *cubes, const struct mj_record *rec, double v,
		  const uint32_t *part, int bad, int mentioned, double *most);

/* The value a table of the sum of dimension dim adds for rec. */
static inline double mj_tally_sum_value(const struct mj_record *rec, int dim)
{
	return rec->value[dim] == MJ_MISSING ? 0 : (double)rec->number[dim] * rec->weight;
}

/* Counts rec into table i's cube cubes[i] or its dense cells, adding v
 * (the run's weight, or its sum times the weight) or the table's own sum.
 * Sets *most to the largest value added to any one cell. A multi-response
 * dimension counts a cell per category mentioned and the record once as a
 * case (the key part MJ_KEY_TOTAL). Returns -1 when out of memory. In line:
 * it runs for every record. */
static inline int mj_tally_row(const struct mj_tally_plan *p, struct mj_tally *t,
			       struct mj_cube *cubes, const struct mj_record *rec,
			       double v, double *most)
{
	uint32_t part[MJ_TALLY_ZERO + 1];
	/* The parts past what the dense arrays hold: a key part k = value +
	 * 1 past its bound, in unsigned terms, as is one of a value below
	 * MJ_MISSING. The record then goes to the cubes with the key parts
	 * of mj_key_part(). One compare a part (and a carry added). */
	uint32_t past = 0;
	for (size_t u = 0; u < p->nused; u++) {
		uint32_t v = (uint32_t)rec->value[p->used[u]];
		part[u] = v;
		past += v + 1 > p->bound[u];
	}
	for (size_t w = 0; w < p->nwin; w++) {
		/* d is past MJ_TALLY_WINDOW - 1 before the window (or before
		 * it is placed) as well as past its end. */
		uint32_t d = part[p->win_used[w]] + 1 - t->base[w];
		part[MJ_MAX_DIMS + w] = d - 1;
		past += d > MJ_TALLY_WINDOW - 1;
	}
	part[MJ_TALLY_ZERO] = UINT32_MAX;
	/* Whether some multi-response dimension names several categories
	 * (or, when missing values are left out of its cases, none). */
	uint64_t mentioned = 0;
	for (size_t m = 0; m < p->nmulti; m++) {
		uint64_t named = rec->mentions[p->multi_used[m]];
		past += (named & p->over[m]) != 0;
		mentioned |= named;
	}
	if (p->missing_exclude)
		for (size_t m = 0; m < p->nmulti; m++)
			mentioned |= rec->value[p->multi_used[m]] == MJ_MISSING;
	*most = fabs(v);
	if (past)
		return mj_tally_rest(p, t, cubes, rec, v, part, 1, 1, most);
	uint64_t *restrict counts = t->counts;
	size_t none = p->none, ntwo = p->ntwo;
	if (mentioned) {
		none -= p->none_multi;
		ntwo -= p->ntwo_multi;
	}
	for (size_t j = 0; j < none; j++)
		counts[p->one[j].offset + part[p->one[j].slot]]++;
	for (size_t j = 0; j < ntwo; j++) {
		const struct mj_tally_two *o = &p->two[j];
		counts[o->offset + part[o->slot0] + part[o->slot1] * o->stride1]++;
	}
	for (size_t j = 0; j < p->nsum; j++) {
		const struct mj_tally_sum *o = &p->sum[j];
		double tv = mj_tally_sum_value(rec, o->dim);
		if (fabs(tv) > *most)
			*most = fabs(tv);
		uint32_t c = o->offset + part[o->slot];
		counts[c]++;
		t->sums[c] += tv;
	}
	if (p->rest || (mentioned && p->nmulti_inline))
		return mj_tally_rest(p, t, cubes, rec, v, part, 0, mentioned != 0, most);
	return 0;
}

/* Adds the dense cells into the cubes and empties them; -1 when out of
 * memory. */
int mj_tally_flush(const struct mj_tally_plan *p, struct mj_tally *t,
		   struct mj_cube *cubes);
/* Empties the dense cells (their counts are thrown away). */
void mj_tally_reset(const struct mj_tally_plan *p, struct mj_tally *t);

#endif
