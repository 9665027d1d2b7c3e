/* Unit tests for the ids of files read in parts: the duplicates found by
 * settling bins are those a plain search finds, with their places whole.
 * Built with blocks of 256 notes at first and 2,048 at most, so that a part fills blocks of each
 * size and a move takes a block another move emptied, of its size or
 * larger; and with the blocks on the heap (bigmap_heap.c), so that the
 * sanitizer sees a block overrun or not freed, and a mapping can fail. */
#include "idbins.h"

#include <stdlib.h>

#include "bigmap_heap.h"
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

/* What the files so far have seen: each id's first place (0: none, as
 * a place's line is never 0). With jumps, rows are rejected at random
 * and lines skip ahead, some by more than a short note's line holds, up
 * to the last line a place holds. */
struct seen {
	struct mj_idbins b;
	uint64_t *first;
	uint64_t distinct;
	unsigned seed;
	int jumps;
};

static unsigned next_random(struct seen *s)
{
	s->seed = s->seed * 1103515245u + 12345u;
	return s->seed >> 8;
}

/* The line after line (in a part's order): with jumps, half the way to
 * near the last line a place holds now and then, so that every line stays
 * apart (a part has fewer than 100,000 rows here). */
static unsigned long next_line(struct seen *s, unsigned long line)
{
	if (!s->jumps)
		return line + 1;
	unsigned r = next_random(s) % 1000;
	unsigned long room = line < UINT32_MAX - 100000ul ? UINT32_MAX - 100000ul - line : 0;
	unsigned long step = r < 900 ? 1
		: r < 990 ? 1 + r % 7
		: r < 998 ? (1ul << MJ_IDSHORT_LINE_BITS) - 2 + r % 4
		: room / 2 + 1;
	return line + (step <= room ? step : 1);
}

static void seen_init(struct seen *s, uint64_t distinct, unsigned seed)
{
	s->b = (struct mj_idbins){0};
	s->first = calloc(distinct, sizeof *s->first);
	CHECK(s->first != NULL);
	s->distinct = distinct;
	s->seed = seed;
}

static void seen_free(struct seen *s)
{
	mj_idbins_free(&s->b);
	free(s->first);
}

/* File number file of parts parts, part p of sizes[p] ids, settled on
 * threads threads, its ids kept when keep. With fail_map >= 0 the
 * settling's mapping of that number fails. Returns what the settling
 * returns; on success its duplicates must be the places whose id came
 * before (in this file or an earlier one), each with its id's first
 * place. */
static int settle_file(struct seen *s, unsigned file, const size_t *sizes, unsigned parts,
		       unsigned threads, int keep, long fail_map)
{
	size_t total = 0;
	for (unsigned p = 0; p < parts; p++)
		total += sizes[p];
	struct place *all = calloc(total ? total : 1, sizeof *all);
	struct mj_idfill fills[MJ_IDPOS_PARTS];
	CHECK(all != NULL && parts <= MJ_IDPOS_PARTS);
	size_t n = 0;
	for (unsigned p = 0; p < parts; p++) {
		mj_idfill_init(&fills[p]);
		unsigned long line = 1;
		for (size_t i = 0; i < sizes[p]; i++) {
			uint64_t id = next_random(s) % s->distinct;
			int rejected = s->jumps && next_random(s) % 3 == 0;
			line = next_line(s, line);
			uint64_t pos = mj_idpos(file, p, line, rejected, (unsigned)(id & 0x1ff));
			CHECK(mj_idfill_add(&fills[p], key_of(id), pos) == 0);
			all[n++] = (struct place){id, pos};
		}
	}
	struct mj_iddup *dups;
	size_t ndups;
	bigmap_heap_fail_after(fail_map);
	int rc = mj_idbins_settle(&s->b, fills, parts, threads, keep, &dups, &ndups);
	bigmap_heap_fail_after(-1);
	for (unsigned p = 0; p < parts; p++)
		mj_idfill_free(&fills[p]);
	if (rc != 0) {
		CHECK(ndups == 0 && dups == NULL);
		free(all);
		return rc;
	}
	/* The plain search: this file's places in order. */
	qsort(all, n, sizeof *all, by_pos);
	if (ndups)
		qsort(dups, ndups, sizeof *dups, by_dup);
	size_t want = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t id = all[i].id;
		if (!s->first[id]) {
			s->first[id] = all[i].pos;
			continue;
		}
		CHECK(want < ndups);
		if (want >= ndups)
			break;
		CHECK(dups[want].pos == all[i].pos);
		CHECK(dups[want].first == s->first[id]);
		want++;
	}
	CHECK(want == ndups);
	free(dups);
	free(all);
	return 0;
}

/* Files of parts of per_part ids drawn from distinct values, the bins
 * kept between files. */
static void run(unsigned files, unsigned parts, size_t per_part, uint64_t distinct,
		unsigned threads)
{
	struct seen s;
	seen_init(&s, distinct, 12345);
	size_t sizes[MJ_IDPOS_PARTS];
	for (unsigned p = 0; p < parts; p++)
		sizes[p] = per_part;
	for (unsigned f = 0; f < files; f++)
		CHECK(settle_file(&s, f, sizes, parts, threads, f + 1 < files, -1) == 0);
	seen_free(&s);
	CHECK(bigmap_heap_live() == 0);
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

/* No parts, parts without ids, parts that end on a block's end (256,
 * 256 + 512, ... notes) or just past it, and more threads than blocks;
 * the ids kept are counted. */
static void test_shapes(void)
{
	static const size_t sizes[] = {0, 256, 768, 1792, 3840, 0, 1, 255, 257, 22272};
	static const size_t none[] = {0, 0, 0};
	for (unsigned threads = 1; threads <= 5; threads += 2) {
		struct seen s;
		seen_init(&s, 60000, 7);
		CHECK(settle_file(&s, 0, sizes, 0, threads, 1, -1) == 0);
		CHECK(settle_file(&s, 1, none, 3, threads, 1, -1) == 0);
		CHECK(s.b.ids == 0);
		CHECK(settle_file(&s, 2, sizes, 10, threads, 1, -1) == 0);
		CHECK(settle_file(&s, 3, none, 3, threads, 1, -1) == 0);
		CHECK(settle_file(&s, 4, sizes + 1, 1, threads, 1, -1) == 0);
		size_t distinct = 0;
		for (size_t i = 0; i < s.distinct; i++)
			distinct += s.first[i] != 0;
		CHECK(s.b.ids == distinct);
		/* A last file: its ids are counted, not kept. */
		CHECK(settle_file(&s, 5, sizes + 8, 2, threads, 0, -1) == 0);
		seen_free(&s);
	}
	CHECK(bigmap_heap_live() == 0);
}

/* Enough ids for many bins (about 400,000: 32 bins), kept, then a file
 * that meets them. */
static void test_many_bins(void)
{
	size_t sizes[8];
	for (unsigned p = 0; p < 8; p++)
		sizes[p] = 50000 + p * 777;
	struct seen s;
	seen_init(&s, 1u << 20, 99);
	CHECK(settle_file(&s, 0, sizes, 8, 2, 1, -1) == 0);
	CHECK(s.b.bits >= 4);
	CHECK(settle_file(&s, 1, sizes, 3, 2, 0, -1) == 0);
	seen_free(&s);
	CHECK(bigmap_heap_live() == 0);
}

/* Rows rejected, and lines that skip ahead within a block's reach or
 * past it (a new block), up to near the last line a place holds (lines
 * clamped there would not stay apart): the places come back whole. */
static void test_lines(void)
{
	static const size_t sizes[] = {5000, 1, 3000, 12000};
	for (unsigned threads = 1; threads <= 2; threads++) {
		struct seen s;
		seen_init(&s, 8000, 41 + threads);
		s.jumps = 1;
		CHECK(settle_file(&s, 0, sizes, 4, threads, 1, -1) == 0);
		CHECK(settle_file(&s, 1, sizes, 4, threads, 0, -1) == 0);
		seen_free(&s);
		CHECK(bigmap_heap_live() == 0);
	}
}

/* A block that cannot be mapped, at every point of a second file's
 * settling: it fails or succeeds whole, and frees every block. */
static void test_no_memory(void)
{
	static const size_t sizes[] = {3000, 0, 5000, 700, 4000};
	int failed = 0;
	for (long at = 0; at < 40; at++) {
		for (unsigned threads = 1; threads <= 3; threads += 2) {
			struct seen s;
			seen_init(&s, 20000, 3);
			CHECK(settle_file(&s, 0, sizes, 5, threads, 1, -1) == 0);
			failed += settle_file(&s, 1, sizes, 5, threads, 1, at) != 0;
			seen_free(&s);
			CHECK(bigmap_heap_live() == 0);
		}
	}
	/* The moves take a new block only until an emptied one is free:
	 * some points fail. */
	CHECK(failed > 0);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"settle", test_settle}, {"files", test_files}, {"one_thread", test_one_thread},
		{"shapes", test_shapes}, {"many_bins", test_many_bins},
		{"lines", test_lines}, {"no_memory", test_no_memory}, {0, 0}};
	return run_case(cases, argc, argv);
}
