/* Large blocks of memory mapped apart (see bigmap.h). */
#include "bigmap.h"

#include <stdint.h>
#include <sys/mman.h>

#define HUGE_PAGE (2u << 20)

void *mj_bigmap_alloc(size_t len, void **map, size_t *map_len)
{
	*map_len = len >= HUGE_PAGE ? len + HUGE_PAGE : len;
	*map = mmap(NULL, *map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (*map == MAP_FAILED) {
		*map = NULL;
		return NULL;
	}
	if (len < HUGE_PAGE)
		return *map;
	char *start = (char *)(((uintptr_t)*map + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
#ifdef MADV_HUGEPAGE
	madvise(start, len, MADV_HUGEPAGE);
#endif
	return start;
}

void mj_bigmap_free(void *map, size_t map_len)
{
	if (map)
		munmap(map, map_len);
}
