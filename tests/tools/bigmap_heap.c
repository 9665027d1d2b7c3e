/* The mappings of bigmap.h from the heap, for test_idbins: the sanitizer
 * then sees a block written past its end, freed twice or never freed, and
 * the test can count the blocks alive and make the Nth mapping fail. */
#include <stdatomic.h>
#include <stdlib.h>

#include "bigmap.h"
#include "bigmap_heap.h"

static atomic_long fail_in = -1;
static atomic_long live = 0;

void bigmap_heap_fail_after(long n)
{
	atomic_store(&fail_in, n);
}

long bigmap_heap_live(void)
{
	return atomic_load(&live);
}

void *mj_bigmap_alloc(size_t len, void **map, size_t *map_len)
{
	*map = NULL;
	*map_len = 0;
	if (atomic_load(&fail_in) >= 0 && atomic_fetch_sub(&fail_in, 1) == 0)
		return NULL;
	void *p = calloc(1, len);
	if (!p)
		return NULL;
	atomic_fetch_add(&live, 1);
	*map = p;
	*map_len = len;
	return p;
}

void mj_bigmap_free(void *map, size_t map_len)
{
	(void)map_len;
	if (!map)
		return;
	atomic_fetch_sub(&live, 1);
	free(map);
}
