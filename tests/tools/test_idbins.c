/* Unit tests for the ids of files read in parts: the duplicates found by
 * settling bins are those a plain search finds. Built with blocks of 256
 * notes at first and 2,048 at most, so that a part fills blocks of each
 * size and a move takes a block another move emptied, of its size or
 * larger. */
#include "idbins.h"

#include <stdlib.h>

#include "check.h"

/* A key of few distinct values (so that ids repeat), spread over all
 * bits as a hash's are. */
static uint64_t key_of(uint64_t id)
{
	uint64_t x = (id + 1) * 0x9E3779B97F4A7C15ull;
	x ^= x >> 29;
	return x ? x : 1;
}

struct place {
	uint64_t id, pos;
};

static int by_pos(const void *a, const void *b)
{
	uint64_t x = mj_idpos_order(((const struct place *)a)->pos);
	uint64_t y = mj_idpos_order(((const struct place *)b)->pos);
	return x < y ? -1 : x > y;
}

static int by_dup(const void *a, const void *b)
{
	uint64_t x = mj_idpos_order(((const struct mj_iddup *)a)->pos);
	uint64_t y = mj_idpos_order(((const struct mj_iddup *)b)->pos);
	return x < y ? -1 : x > y;
}

/* Files of parts of ids drawn from `distinct` values, settled on
 * `threads` threads, the bins kept between files; each file's duplicates
 * must be the places whose id came before (in this file or an earlier
 * one), each with its id's first place. */
static void run(unsigned files, unsigned parts, size_t per_part, uint64_t distinct,
		unsigned threads)
{
	struct mj_idbins b = {0};
	size_t total = (size_t)files * parts * per_part;
	struct place *all = calloc(total, sizeof *all);
	uint64_t *first = calloc(distinct, sizeof *first);
	CHECK(all && first);
	size_t n = 0;
	unsigned seed = 12345;
	for (unsigned f = 0; f < files; f++) {
		struct mj_idfill fills[8];
		size_t from = n;
		for (unsigned p = 0; p < parts; p++) {
			mj_idfill_init(&fills[p]);
			for (size_t i = 0; i < per_part; i++) {
				seed = seed * 1103515245u + 12345u;
				uint64_t id = (seed >> 8) % distinct;
				uint64_t pos = mj_idpos(f, p, i + 2, 0, (unsigned)(id & 0x1ff));
				CHECK(mj_idfill_add(&fills[p], key_of(id), pos) == 0);
				all[n++] = (struct place){id, pos};
			}
		}
		struct mj_iddup *dups;
		size_t ndups;
		CHECK(mj_idbins_settle(&b, fills, parts, threads, f + 1 < files, &dups,
				       &ndups) == 0);
		for (unsigned p = 0; p < parts; p++)
			mj_idfill_free(&fills[p]);
		/* The plain search: this file's places in order. */
		qsort(all + from, n - from, sizeof *all, by_pos);
		qsort(dups, ndups, sizeof *dups, by_dup);
		size_t want = 0;
		for (size_t i = from; i < n; i++) {
			uint64_t id = all[i].id;
			if (!first[id]) {
				first[id] = all[i].pos | 1ull << 63;
				continue;
			}
			CHECK(want < ndups);
			if (want >= ndups)
				break;
			CHECK(mj_idpos_order(dups[want].pos) == mj_idpos_order(all[i].pos));
			CHECK(mj_idpos_order(dups[want].first) == mj_idpos_order(first[id]));
			want++;
		}
		CHECK(want == ndups);
		free(dups);
	}
	mj_idbins_free(&b);
	free(all);
	free(first);
}

static void test_settle(void)
{
	run(1, 4, 20000, 30000, 2);
}

static void test_files(void)
{
	run(3, 8, 5000, 50000, 3);
}

static void test_one_thread(void)
{
	run(2, 3, 7000, 9000, 1);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"settle", test_settle}, {"files", test_files}, {"one_thread", test_one_thread},
		{0, 0}};
	return run_case(cases, argc, argv);
}
