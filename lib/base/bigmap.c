/* Large blocks of memory mapped apart (see bigmap.h). */
#include "bigmap.h"

#include <sys/mman.h>

void *mj_bigmap_alloc(size_t len, void **map, size_t *map_len)
{
	void *got = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (got == MAP_FAILED) {
		*map = NULL;
		*map_len = 0;
		return NULL;
	}
	*map = got;
	*map_len = len;
	return got;
}

void mj_bigmap_free(void *map, size_t map_len)
{
	if (map)
		munmap(map, map_len);
}
