/* Large blocks of memory mapped apart (see bigmap.h). */
#include "bigmap.h"

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define HUGE_PAGE (2u << 20)

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
	/* Aligned, and cut to its length: one mapping, which mremap() can grow. */
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

void *mj_bigmap_grow(void *start, size_t len, void **map, size_t *map_len)
{
	size_t offset = (size_t)((char *)start - (char *)*map);
	if (offset + len <= *map_len)
		return start;
#ifdef MREMAP_MAYMOVE
	/* The kernel moves the pages rather than copying them, and the pages
	 * already touched are not zeroed again. */
	void *moved = mremap(*map, *map_len, offset + len, MREMAP_MAYMOVE);
	if (moved == MAP_FAILED)
		return NULL;
	*map = moved;
	*map_len = offset + len;
	start = (char *)moved + offset;
#ifdef MADV_HUGEPAGE
	if (len >= HUGE_PAGE)
		madvise(start, len, MADV_HUGEPAGE);
#endif
	return start;
#else
	void *new_map;
	size_t new_map_len;
	void *to = mj_bigmap_alloc(len, &new_map, &new_map_len);
	if (!to)
		return NULL;
	memcpy(to, start, *map_len - offset);
	mj_bigmap_free(*map, *map_len);
	*map = new_map;
	*map_len = new_map_len;
	return to;
#endif
}

void mj_bigmap_free(void *map, size_t map_len)
{
	if (map)
		munmap(map, map_len);
}
