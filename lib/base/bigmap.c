/* Large blocks of memory mapped apart (see bigmap.h). */
#include "bigmap.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE (2u << 20)

/* From 2 MB on, the mapping is aligned to a huge page and advised into
 * them, and cut to its length (one mapping). */
void *mj_bigmap_alloc(size_t len, void **map, size_t *map_len)
{
	size_t over = len >= HUGE_PAGE ? HUGE_PAGE : 0;
	char *got = mmap(NULL, len + over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (got == MAP_FAILED) {
		*map = NULL;
		*map_len = 0;
		return NULL;
	}
	*map = got;
	*map_len = len;
	if (!over)
		return got;
	char *start = (char *)(((uintptr_t)got + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t end = ((size_t)(start - got) + len + page - 1) / page * page;
	if (start > got)
		munmap(got, (size_t)(start - got));
	if (end < len + over)
		munmap(got + end, len + over - end);
	*map = start;
	*map_len = end - (size_t)(start - got);
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
