/* Counting a record into many tables: key parts made once per record, dense
 * arrays for tables of few cells, the cube for the others. */
#include "tally.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

enum { TALLY_HASH, TALLY_DENSE, TALLY_DENSE_MULTI };

struct mj_tally_table {
	unsigned char kind;
	unsigned char n;
	signed char multi;        /* position of the multi-response dimension, or -1 */
	unsigned char weighted;   /* the cells hold sums (else counts of 1) */
	/* Each dimension's part in a dense index: its place in the plan's
	 * used[], or MJ_MAX_DIMS + w for a period counted in window w. */
	unsigned char slot[MJ_CUBE_MAXD];
	unsigned char key_slot[MJ_CUBE_MAXD]; /* its key part (place in the plan's used[]) */
	int multi_dim;            /* the multi-response dimension, or -1 */
	int sum_dim;
	uint32_t stride[MJ_CUBE_MAXD]; /* dense: a key part's weight in the cell's index */
	uint32_t radix[MJ_CUBE_MAXD];
	uint32_t offset, ncells;  /* dense: the table's cells in the tally */
};

/* Whether dimension d is a period of a date (month, quarter, year): its
 * values are period numbers, not categories. */
static int is_period(const struct mj_schema *s, int d)
{
	const struct mj_dim *dim = &s->dims[d];
	return dim->kind == MJ_DIM_DERIVED && dim->source >= 0 &&
	       s->dims[dim->source].kind == MJ_DIM_DATE;
}

/* The largest key part a dense array can hold for dimension d (its
 * categories), or 0 when its values are not a fixed list. */
static uint32_t dense_bound(const struct mj_schema *s, int d)
{
	const struct mj_dim *dim = &s->dims[d];
	if ((dim->kind != MJ_DIM_CATEGORY && (dim->kind != MJ_DIM_DERIVED || is_period(s, d))) ||
	    dim->ncats == 0 || dim->ncats > MJ_TALLY_DENSE_MAX)
		return 0;
	return (uint32_t)dim->ncats;
}

/* Dimension d's place in used[]; a period gets a window when the plan
 * counts in dense arrays and one is left. */
static size_t use_dim(struct mj_tally_plan *p, const struct mj_schema *s, int d, int dense)
{
	for (size_t u = 0; u < p->nused; u++)
		if (p->used[u] == d)
			return u;
	size_t u = p->nused++;
	p->used[u] = d;
	if (dense && is_period(s, d) && p->nwin < MJ_TALLY_MAXWIN)
		p->win_used[p->nwin++] = (int)u;
	uint32_t b = dense_bound(s, d);
	/* Past the bound the record is counted in the cubes. */
	p->bound[u] = b ? b : 0xFFFFu;
	if (s->dims[d].multi) {
		size_t m = p->nmulti++;
		p->multi_used[m] = d;
		/* Mentions of categories a dense array has no cell for. */
		p->over[m] = b && b < 64 ? ~0ull << b : 0;
	}
	return u;
}

/* Adds the cells of multi-response table o (of at most one other
 * dimension, not weighted) to p's one[] and two[]: for a record that names
 * one category or none, its cell is that of its value and its case cell
 * does not move with the multi-response dimension. */
static void inline_multi(struct mj_tally_plan *p, const struct mj_tally_multi *o)
{
	uint32_t cases = o->offset + o->cases;
	if (!o->nkeys) {
		p->one[p->none++] = (struct mj_tally_one){o->offset, o->mslot};
		p->one[p->none++] = (struct mj_tally_one){cases, MJ_TALLY_ZERO};
		return;
	}
	uint32_t slot = o->slot[0], stride = o->stride[0];
	if (o->step == 1)
		p->two[p->ntwo++] = (struct mj_tally_two){o->offset, o->mslot, slot, stride};
	else
		p->two[p->ntwo++] = (struct mj_tally_two){o->offset, slot, o->mslot, o->step};
	if (stride == 1)
		p->one[p->none++] = (struct mj_tally_one){cases, slot};
	else
		p->two[p->ntwo++] = (struct mj_tally_two){cases, MJ_TALLY_ZERO, slot, stride};
}

/* Takes out of one[] each count of one dimension that a count of two in
 * two[] holds too (by the same part, so with as many cells): every row
 * counted in line is counted in both, and its cells are then added up from
 * the other's at the flush (p->margin). Before the offsets take the 1 of
 * each part, and before the multi-response tables join one[] and two[]. */
static void margins(struct mj_tally_plan *p)
{
	size_t kept = 0;
	for (size_t j = 0; j < p->none; j++) {
		struct mj_tally_one o = p->one[j];
		uint32_t nx = 0;
		for (size_t i = 0; i < p->ntables; i++)
			if (p->tables[i].kind == TALLY_DENSE && p->tables[i].offset == o.offset)
				nx = p->tables[i].ncells;
		int found = 0;
		for (size_t i = 0; !found && i < p->ntables; i++) {
			const struct mj_tally_table *u = &p->tables[i];
			if (u->kind != TALLY_DENSE || u->n != 2 || u->weighted)
				continue;
			uint32_t rows = u->stride[1], cols = u->ncells / rows;
			struct mj_tally_margin m = {.to = o.offset, .nx = nx, .from = u->offset};
			if (u->slot[0] == o.slot && rows == nx)
				m.xs = 1, m.ys = rows, m.ny = cols, found = 1;
			else if (u->slot[1] == o.slot && cols == nx)
				m.xs = rows, m.ys = 1, m.ny = rows, found = 1;
			if (found)
				p->margin[p->nmargin++] = m;
		}
		if (!found)
			p->one[kept++] = o;
	}
	p->none = kept;
}

int mj_tally_plan_init(struct mj_tally_plan *p, const struct mj_schema *s,
		       const struct mj_tally_spec *specs, size_t nspecs,
		       int unit, int missing_exclude, int dense)
{
	memset(p, 0, sizeof *p);
	p->unit = unit;
	p->missing_exclude = missing_exclude;
	size_t room = nspecs ? nspecs : 1;
	p->tables = calloc(room, sizeof *p->tables);
	/* A multi-response table may add two counts to one[] or two[]. */
	p->one = calloc(room * 2, sizeof *p->one);
	p->two = calloc(room * 2, sizeof *p->two);
	p->sum = calloc(room, sizeof *p->sum);
	p->multi = calloc(room, sizeof *p->multi);
	p->margin = calloc(room, sizeof *p->margin);
	p->other = calloc(room * 3, sizeof *p->other);
	if (!p->tables || !p->one || !p->two || !p->sum || !p->multi || !p->margin ||
	    !p->other) {
		mj_tally_plan_free(p);
		return -1;
	}
	p->hashed = p->other + room;
	p->summing = p->hashed + room;
	p->ntables = nspecs;
	for (size_t i = 0; i < nspecs; i++) {
		const struct mj_tally_spec *sp = &specs[i];
		struct mj_tally_table *t = &p->tables[i];
		t->n = (unsigned char)sp->n;
		t->multi = (signed char)sp->multi;
		t->multi_dim = sp->multi >= 0 ? sp->dims[sp->multi] : -1;
		t->sum_dim = sp->sum_dim;
		t->weighted = !unit || sp->sum_dim >= 0;
		size_t cells = 1;
		for (int k = 0; k < sp->n; k++) {
			size_t u = use_dim(p, s, sp->dims[k], dense);
			t->key_slot[k] = (unsigned char)u;
			t->slot[k] = (unsigned char)u;
			for (size_t w = 0; w < p->nwin; w++)
				if (p->win_used[w] == (int)u)
					t->slot[k] = (unsigned char)(MJ_MAX_DIMS + w);
			/* A window's cells are its places 0 to MJ_TALLY_WINDOW - 1. */
			uint32_t b = t->slot[k] >= MJ_MAX_DIMS ? MJ_TALLY_WINDOW - 1
				     : dense_bound(s, sp->dims[k]);
			/* Digits 0 (not stated) to b, and b + 1 for the cases of a
			 * multi-response dimension. */
			t->radix[k] = b + 1 + (k == sp->multi);
			if (!b)
				cells = 0;
			else if (cells)
				cells = cells * t->radix[k] > MJ_TALLY_DENSE_MAX ? 0 : cells * t->radix[k];
		}
		int summed_here = 0; /* counted in sum[], which sets *most itself */
		if (!dense || !cells) {
			t->kind = TALLY_HASH;
			p->hashed[p->nhashed++] = (uint32_t)i;
		} else {
			t->kind = sp->multi >= 0 ? TALLY_DENSE_MULTI : TALLY_DENSE;
			uint32_t stride = 1;
			for (int k = 0; k < sp->n; k++) {
				t->stride[k] = stride;
				stride *= t->radix[k];
			}
			t->offset = (uint32_t)p->ncells;
			t->ncells = (uint32_t)cells;
			p->ncells += cells;
			p->weighted |= t->weighted;
			if (t->kind == TALLY_DENSE_MULTI) {
				int k = t->multi;
				struct mj_tally_multi *o = &p->multi[p->nmulti_tables++];
				*o = (struct mj_tally_multi){
					.offset = t->offset, .mslot = t->slot[k], .step = t->stride[k],
					.cases = (t->radix[k] - 1) * t->stride[k],
					.ncats = t->radix[k] - 2, .dim = t->multi_dim,
					.table = t->weighted ? (int)i : -1};
				for (int q = 0; q < t->n; q++)
					if (q != k) {
						o->slot[o->nkeys] = t->slot[q];
						o->stride[o->nkeys++] = t->stride[q];
					}
			} else if (t->n == 1 && sp->sum_dim >= 0 && unit) {
				p->sum[p->nsum++] = (struct mj_tally_sum){t->offset, t->slot[0],
									  sp->sum_dim};
				summed_here = 1;
			} else if (t->weighted || t->n < 1 || t->n > 2)
				p->other[p->nother++] = (uint32_t)i;
			else if (t->n == 1)
				p->one[p->none++] = (struct mj_tally_one){t->offset, t->slot[0]};
			else
				p->two[p->ntwo++] = (struct mj_tally_two){t->offset, t->slot[0],
									  t->slot[1], t->stride[1]};
		}
		if (sp->sum_dim >= 0 && !summed_here)
			p->summing[p->nsumming++] = (uint32_t)i;
	}
	margins(p);
	/* The multi-response tables counted in line first, in multi[] as in
	 * one[] and two[]. */
	size_t none = p->none, ntwo = p->ntwo;
	for (size_t j = 0; j < p->nmulti_tables; j++) {
		struct mj_tally_multi o = p->multi[j];
		if (o.table >= 0 || o.nkeys > 1)
			continue;
		inline_multi(p, &o);
		p->multi[j] = p->multi[p->nmulti_inline];
		p->multi[p->nmulti_inline++] = o;
	}
	p->none_multi = p->none - none;
	p->ntwo_multi = p->ntwo - ntwo;
	/* The 1 of each part (see mj_tally_row); the first of two[] has
	 * stride 1. */
	for (size_t j = 0; j < p->none; j++)
		p->one[j].offset += 1;
	for (size_t j = 0; j < p->ntwo; j++)
		p->two[j].offset += 1 + p->two[j].stride1;
	for (size_t j = 0; j < p->nsum; j++)
		p->sum[j].offset += 1;
	p->rest = p->nmulti_tables > p->nmulti_inline || p->nother || p->nhashed || p->nsumming;
	return 0;
}

void mj_tally_plan_free(struct mj_tally_plan *p)
{
	free(p->tables);
	free(p->one);
	free(p->two);
	free(p->sum);
	free(p->multi);
	free(p->margin);
	free(p->other);
	memset(p, 0, sizeof *p);
}

int mj_tally_init(struct mj_tally *t, const struct mj_tally_plan *p)
{
	size_t n = p->ncells ? p->ncells : 1;
	t->counts = calloc(n, sizeof *t->counts);
	t->sums = p->weighted ? calloc(n, sizeof *t->sums) : NULL;
	if (!t->counts || (p->weighted && !t->sums)) {
		mj_tally_free(t);
		return -1;
	}
	for (size_t w = 0; w < MJ_TALLY_MAXWIN; w++)
		t->base[w] = MJ_TALLY_UNPLACED;
	return 0;
}

void mj_tally_free(struct mj_tally *t)
{
	free(t->counts);
	free(t->sums);
	t->counts = NULL;
	t->sums = NULL;
}

/* The value table t adds for rec. */
static inline double table_value(const struct mj_tally_table *t,
				 const struct mj_record *rec, double v)
{
	return t->sum_dim < 0 ? v : mj_tally_sum_value(rec, t->sum_dim);
}

/* Counts into the cube: a multi-response dimension's cells per category
 * mentioned, and the record once as a case. */
static int count_hash(const struct mj_tally_plan *p, const struct mj_tally_table *t,
		      struct mj_cube *cube, const struct mj_record *rec,
		      const uint32_t *part, double v)
{
	uint64_t key = 0;
	for (int i = 0; i < t->n; i++)
		key |= (uint64_t)((part[t->key_slot[i]] + 1) & 0xFFFFu) << (16 * i);
	if (t->multi < 0)
		return mj_cube_count(cube, key, v);
	int shift = 16 * t->multi;
	uint64_t rest = key & ~((uint64_t)0xFFFFu << shift);
	if (!(p->missing_exclude && rec->value[t->multi_dim] == MJ_MISSING) &&
	    mj_cube_count(cube, rest | (uint64_t)MJ_KEY_TOTAL << shift, v) != 0)
		return -1;
	unsigned long long m = rec->mentions[t->multi_dim];
	if (!m)
		return mj_cube_count(cube, key, v);
	for (int c = 0; m; c++, m >>= 1)
		if ((m & 1) && mj_cube_count(cube, rest | mj_key_part(c) << shift, v) != 0)
			return -1;
	return 0;
}

/* As count_hash, into a multi-response table's dense cells: the record
 * as a case, and a cell per category mentioned (or of its one value). */
static inline void count_multi(const struct mj_tally_plan *p, const struct mj_tally_multi *o,
			       struct mj_tally *tally, const struct mj_record *rec,
			       const uint32_t *part, double v)
{
	uint32_t at = o->offset;
	for (uint32_t k = 0; k < o->nkeys; k++)
		at += (part[o->slot[k]] + 1) * o->stride[k];
	uint64_t *restrict counts = tally->counts;
	double *sums = o->table >= 0 ? tally->sums : NULL;
	double tv = sums ? table_value(&p->tables[o->table], rec, v) : 0;
	if (!(p->missing_exclude && rec->value[o->dim] == MJ_MISSING)) {
		counts[at + o->cases]++;
		if (sums)
			sums[at + o->cases] += tv;
	}
	unsigned long long m = rec->mentions[o->dim];
	if (!m) {
		/* One category named (the record's value), or none. */
		uint32_t c = at + (part[o->mslot] + 1) * o->step;
		counts[c]++;
		if (sums)
			sums[c] += tv;
		return;
	}
	if (o->ncats <= 8 && !sums) {
		/* No loop of as many turns as categories named. */
		for (uint32_t c = 0; c < o->ncats; c++)
			counts[at + (c + 1) * o->step] += (m >> c) & 1;
		return;
	}
	do {
		uint32_t c = at + (uint32_t)(__builtin_ctzll(m) + 1) * o->step;
		counts[c]++;
		if (sums)
			sums[c] += tv;
		m &= m - 1;
	} while (m);
}

int mj_tally_rest(const struct mj_tally_plan *p, struct mj_tally *tally,
		  struct mj_cube *cubes, const struct mj_record *rec, double v,
		  const uint32_t *part, int bad, int mentioned, double *most)
{
	for (size_t j = 0; j < p->nsumming; j++) {
		double tv = table_value(&p->tables[p->summing[j]], rec, v);
		if (fabs(tv) > *most)
			*most = fabs(tv);
	}
	if (bad) {
		/* Rare: a value the dense arrays have no cell for. A window is
		 * placed at the first period met, a quarter of it before (a
		 * file in date order starts at its earliest); nothing has been
		 * counted in it yet. This record still goes to the cubes, by
		 * the key parts of mj_key_part() (less one, as parts are). */
		uint32_t key[MJ_MAX_DIMS];
		for (size_t u = 0; u < p->nused; u++)
			key[u] = (uint32_t)mj_key_part(rec->value[p->used[u]]) - 1;
		for (size_t j = 0; j < p->nsum; j++) {
			double tv = mj_tally_sum_value(rec, p->sum[j].dim);
			if (fabs(tv) > *most)
				*most = fabs(tv);
		}
		for (size_t w = 0; w < p->nwin; w++) {
			uint32_t k = key[p->win_used[w]] + 1;
			if (tally->base[w] == MJ_TALLY_UNPLACED && k != MJ_KEY_MISSING)
				tally->base[w] = k > MJ_TALLY_WINDOW / 4 ? k - MJ_TALLY_WINDOW / 4 : 0;
		}
		for (size_t i = 0; i < p->ntables; i++) {
			const struct mj_tally_table *t = &p->tables[i];
			if (count_hash(p, t, &cubes[i], rec, key, table_value(t, rec, v)) != 0)
				return -1;
		}
		return 0;
	}
	for (size_t j = mentioned ? 0 : p->nmulti_inline; j < p->nmulti_tables; j++)
		count_multi(p, &p->multi[j], tally, rec, part, v);
	uint64_t *restrict counts = tally->counts;
	for (size_t j = 0; j < p->nother; j++) {
		const struct mj_tally_table *t = &p->tables[p->other[j]];
		uint32_t idx = t->offset;
		for (int k = 0; k < t->n; k++)
			idx += (part[t->slot[k]] + 1) * t->stride[k];
		counts[idx]++;
		if (t->weighted)
			tally->sums[idx] += table_value(t, rec, v);
	}
	for (size_t j = 0; j < p->nhashed; j++) {
		size_t i = p->hashed[j];
		const struct mj_tally_table *t = &p->tables[i];
		if (count_hash(p, t, &cubes[i], rec, part, table_value(t, rec, v)) != 0)
			return -1;
	}
	return 0;
}

int mj_tally_flush(const struct mj_tally_plan *p, struct mj_tally *tally,
		   struct mj_cube *cubes)
{
	for (size_t j = 0; j < p->nmargin; j++) {
		const struct mj_tally_margin *m = &p->margin[j];
		for (uint32_t x = 0; x < m->nx; x++) {
			uint64_t n = 0;
			for (uint32_t y = 0; y < m->ny; y++)
				n += tally->counts[m->from + x * m->xs + y * m->ys];
			tally->counts[m->to + x] = n;
		}
	}
	for (size_t i = 0; i < p->ntables; i++) {
		const struct mj_tally_table *t = &p->tables[i];
		if (t->kind == TALLY_HASH)
			continue;
		for (uint32_t c = 0; c < t->ncells; c++) {
			size_t at = t->offset + c;
			if (!tally->counts[at])
				continue;
			uint64_t key = 0;
			uint32_t rest = c;
			for (int k = 0; k < t->n; k++) {
				uint32_t digit = rest % t->radix[k];
				rest /= t->radix[k];
				if (k == t->multi && digit == t->radix[k] - 1)
					digit = MJ_KEY_TOTAL;
				else if (t->slot[k] >= MJ_MAX_DIMS)
					digit += tally->base[t->slot[k] - MJ_MAX_DIMS];
				key |= (uint64_t)digit << (16 * k);
			}
			double sum = t->weighted ? tally->sums[at] : (double)tally->counts[at];
			if (mj_cube_add(&cubes[i], key, sum) != 0)
				return -1;
		}
	}
	mj_tally_reset(p, tally);
	return 0;
}

void mj_tally_reset(const struct mj_tally_plan *p, struct mj_tally *tally)
{
	if (!p->ncells)
		return;
	memset(tally->counts, 0, p->ncells * sizeof *tally->counts);
	if (tally->sums)
		memset(tally->sums, 0, p->ncells * sizeof *tally->sums);
}
