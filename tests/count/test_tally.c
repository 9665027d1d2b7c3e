/* Unit tests for counting a record into many tables: the dense arrays give
 * the cubes that counting every table in its cube gives, cell for cell,
 * with values not stated, several categories mentioned, weights, sums,
 * values past a dimension's categories and months in and out of the
 * windows of two threads. Without weights, the dense plan counts some
 * multi-response tables and a sum in line (mj_tally_row), with one
 * category named or several. */
#include <stdint.h>
#include <stdlib.h>

#include "murojaat/schema.h"
#include "tally.h"

#include "check.h"

static uint64_t rng_state = 88172645463325252ull;

static unsigned next(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

enum { REGION, VIOLENCE, PLACE, RELATION, OUTCOME, GROUP, CHANNEL, MONTH, DISTRICT,
       CHILDREN, NDIMS };
static const char *const names[NDIMS] = {"region", "violence", "place", "relationship",
					 "outcome", "group", "channel", "month", "district",
					 "children"};

struct fixture {
	struct mj_schema *schema;
	int dim[NDIMS];
	size_t ncats[NDIMS];
};

/* A record of random values: some not stated, some past the categories
 * or below MJ_MISSING, some past a key part of 16 bits (counted in the
 * cubes), several violence types mentioned. */
static void random_record(const struct fixture *f, struct mj_record *rec, int weighted)
{
	memset(rec, 0, sizeof *rec);
	for (int i = 0; i < NDIMS; i++) {
		int d = f->dim[i];
		unsigned roll = next(100);
		if (i == MONTH)
			/* Mostly near one another (in a window), some past
			 * either end of it, some of any year. */
			rec->value[d] = roll < 5 ? -1
				: roll == 5 ? -2 - (int)next(3)
				: roll == 6 ? 0xFFFF - 4 + (int)next(8)
				: roll < 15 ? 1900 * 12 + (int)next(1100 * 12)
				: roll < 40 ? 2023 * 12 - MJ_TALLY_WINDOW / 2 + (int)next(2 * MJ_TALLY_WINDOW)
				: 2023 * 12 + (int)next(14);
		else if (i == DISTRICT)
			rec->value[d] = roll < 5 ? -1 : roll == 5 ? -1 - (int)next(3)
				: roll == 6 ? 0xFFFF - 4 + (int)next(8) : (int)next(300);
		else if (i == CHILDREN) {
			rec->value[d] = roll < 20 ? -1 : 0;
			rec->number[d] = (long)next(5);
		} else
			rec->value[d] = roll < 10 ? -1 : roll == 99 ? (int)f->ncats[i] + 2
				: roll == 98 ? -2 - (int)next(3)
				: (int)next((unsigned)f->ncats[i]);
	}
	int v = f->dim[VIOLENCE];
	if (rec->value[v] >= 0 && next(3) == 0) {
		rec->mentions[v] = 1ull << rec->value[v];
		/* Another category, or any of them (every pattern). */
		rec->mentions[v] |= next(2) ? 1ull << next((unsigned)f->ncats[VIOLENCE])
			: (unsigned long long)next(1u << f->ncats[VIOLENCE]);
		if (next(50) == 0)
			rec->mentions[v] |= 1ull << 40; /* past the categories */
	}
	rec->weight = weighted ? (double)next(4) : 1;
}

static void check_same(const struct mj_cube *a, const struct mj_cube *b)
{
	CHECK(a->used == b->used);
	for (size_t k = 0; k < a->cap; k++)
		if (a->keys[k]) {
			CHECK(mj_cube_has(b, a->keys[k] - 1));
			CHECK_NUM(mj_cube_get(b, a->keys[k] - 1), a->sums[k]);
		}
}

static void compare(const struct fixture *f, int unit, int missing_exclude, int bad_rows)
{
	const int *d = f->dim;
	const struct mj_tally_spec specs[] = {
		{1, {d[REGION]}, -1, -1},
		{1, {d[VIOLENCE]}, 0, -1},
		{2, {d[REGION], d[VIOLENCE]}, 1, -1},
		{2, {d[VIOLENCE], d[GROUP]}, 0, -1},
		{2, {d[PLACE], d[RELATION]}, -1, -1},
		{1, {d[OUTCOME]}, -1, d[CHILDREN]},
		{2, {d[OUTCOME], d[GROUP]}, -1, -1},
		{3, {d[GROUP], d[OUTCOME], d[CHANNEL]}, -1, d[CHILDREN]},
		{1, {d[MONTH]}, -1, -1},
		{2, {d[MONTH], d[VIOLENCE]}, 1, -1},
		{2, {d[MONTH], d[CHANNEL]}, -1, -1},
		{2, {d[MONTH], d[DISTRICT]}, -1, -1},
		{2, {d[DISTRICT], d[CHANNEL]}, -1, -1},
		/* Counts of one that counts of two hold (found from them at the
		 * flush, as is the month's, from the month by channel): by
		 * their first dimension and by their second. */
		{1, {d[PLACE]}, -1, -1},
		{1, {d[GROUP]}, -1, -1},
		/* Multi-response by two others, and with a sum. */
		{3, {d[REGION], d[VIOLENCE], d[GROUP]}, 1, -1},
		{2, {d[VIOLENCE], d[OUTCOME]}, 0, d[CHILDREN]},
		/* No dimension: one cell of every record (the last table, so
		 * that a write past its cell would leave the array). */
		{0, {0}, -1, -1},
	};
	enum { N = sizeof specs / sizeof *specs };
	struct mj_tally_plan plan[2];
	/* tally[2]: a second thread of the dense plan, flushed into the same
	 * cubes, which places its windows where its own first months are. */
	struct mj_tally tally[3];
	struct mj_cube cubes[2][N];
	for (int p = 0; p < 2; p++) {
		CHECK(mj_tally_plan_init(&plan[p], f->schema, specs, N, unit, missing_exclude, p) == 0);
		CHECK(mj_tally_init(&tally[p], &plan[p]) == 0);
		for (int i = 0; i < N; i++)
			CHECK(mj_cube_init(&cubes[p][i]) == 0);
	}
	CHECK(mj_tally_init(&tally[2], &plan[1]) == 0);
	CHECK(plan[0].ncells == 0 && plan[1].ncells > 0);
	CHECK(plan[0].nwin == 0 && plan[1].nwin == 1);
	/* The tables counted in line: violence alone, by region and by
	 * group (by month it has too many cells for a dense array); the sum
	 * of children by outcome. */
	CHECK(plan[1].nmulti_inline == (unit ? 3u : 0u));
	CHECK(plan[1].nsum == (unit ? 1u : 0u));
	CHECK(plan[1].nmargin == (unit ? 3u : 0u));
	/* The second thread's first month places its window elsewhere. */
	struct mj_record first;
	memset(&first, 0, sizeof first);
	for (int i = 0; i < NDIMS; i++)
		first.value[d[i]] = -1;
	first.value[d[MONTH]] = 2023 * 12 - 40;
	first.weight = 1;
	double most0;
	CHECK(mj_tally_row(&plan[0], &tally[0], cubes[0], &first, 1, &most0) == 0);
	CHECK(mj_tally_row(&plan[1], &tally[2], cubes[1], &first, 1, &most0) == 0);
	CHECK(tally[2].base[0] == (uint32_t)mj_key_part(2023 * 12 - 40) - MJ_TALLY_WINDOW / 4);
	rng_state = 88172645463325252ull;
	for (int row = 0; row < 20000; row++) {
		struct mj_record rec;
		random_record(f, &rec, !unit);
		if (!bad_rows)
			for (int i = 0; i < NDIMS; i++) {
				int x = rec.value[d[i]];
				int open = i == MONTH || i == DISTRICT;
				if (x < -1 || (open && x >= 0xFFFF - 1) ||
				    (!open && i != CHILDREN && (size_t)x >= f->ncats[i]))
					rec.value[d[i]] = -1;
			}
		if (!bad_rows)
			rec.mentions[d[VIOLENCE]] &= (1ull << f->ncats[VIOLENCE]) - 1;
		double v = rec.weight, most[2];
		for (int p = 0; p < 2; p++)
			CHECK(mj_tally_row(&plan[p], &tally[p + (p && row / 1000 % 3 == 1)],
					   cubes[p], &rec, v, &most[p]) == 0);
		CHECK(most[0] == most[1]);
		/* The parts of a file are flushed one by one into the same cubes. */
		if (row == 7000)
			CHECK(mj_tally_flush(&plan[1], &tally[1], cubes[1]) == 0);
	}
	for (int p = 0; p < 2; p++)
		CHECK(mj_tally_flush(&plan[p], &tally[p], cubes[p]) == 0);
	CHECK(mj_tally_flush(&plan[1], &tally[2], cubes[1]) == 0);
	CHECK(tally[1].base[0] != tally[2].base[0]);
	for (int i = 0; i < N; i++) {
		check_same(&cubes[0][i], &cubes[1][i]);
		check_same(&cubes[1][i], &cubes[0][i]);
	}
	for (int p = 0; p < 2; p++) {
		for (int i = 0; i < N; i++)
			mj_cube_free(&cubes[p][i]);
		mj_tally_free(&tally[p]);
		mj_tally_plan_free(&plan[p]);
	}
	mj_tally_free(&tally[2]);
}

static void test_dense_same(void)
{
	struct mj_error err;
	struct fixture f;
	f.schema = mj_schema_default(&err);
	CHECK(f.schema != NULL);
	if (!f.schema)
		return;
	for (int i = 0; i < NDIMS; i++) {
		f.dim[i] = mj_schema_dim_find(f.schema, names[i]);
		CHECK(f.dim[i] >= 0);
		if (f.dim[i] < 0)
			return;
		f.ncats[i] = mj_schema_ncats(f.schema, (size_t)f.dim[i]);
	}
	for (int unit = 0; unit < 2; unit++)
		for (int exclude = 0; exclude < 2; exclude++)
			for (int bad = 0; bad < 2; bad++)
				compare(&f, unit, exclude, bad);
	mj_schema_destroy(f.schema);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {{"dense_same", test_dense_same}, {0, 0}};
	return run_case(cases, argc, argv);
}
