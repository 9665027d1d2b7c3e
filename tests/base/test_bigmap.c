/* Unit tests for large mappings: zeroed, page-aligned, and no longer than
 * the pages they need. */
#include "bigmap.h"

#include <stdint.h>
#include <unistd.h>

#include "check.h"

#define MB (1u << 20)

/* Whether bytes [from, to) of p are all zero. */
static int zeroed(const unsigned char *p, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (p[i])
			return 0;
	return 1;
}

static void fill(unsigned char *p, size_t len, unsigned seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 31u + seed);
}

static void test_alloc(void)
{
	static const size_t lens[] = {1, 4096, 64u << 10, 2 * MB - 1, 2 * MB, 5 * MB + 123};
	for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
		void *map;
		size_t map_len;
		unsigned char *p = mj_bigmap_alloc(lens[k], &map, &map_len);
		CHECK(p != NULL);
		CHECK(zeroed(p, 0, lens[k]));
		/* The bytes asked for lie in the mapping, which is no longer
		 * than they need and the page they end in. */
		CHECK((unsigned char *)map <= p);
		CHECK(p + lens[k] <= (unsigned char *)map + map_len);
		size_t page = (size_t)sysconf(_SC_PAGESIZE);
		CHECK(map_len < lens[k] + page);
		CHECK((uintptr_t)p % page == 0);
		fill(p, lens[k], 7);
		mj_bigmap_free(map, map_len);
	}
	mj_bigmap_free(NULL, 0);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"alloc", test_alloc}, {0, 0}};
	return run_case(cases, argc, argv);
}
