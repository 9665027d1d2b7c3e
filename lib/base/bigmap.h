/* Large blocks of memory mapped apart: given back to the system whole when
 * freed, and zeroed by it when first touched. */
#ifndef MJ_BIGMAP_H
#define MJ_BIGMAP_H

#include <stddef.h>

/* A zeroed mapping of len bytes in the system's small pages. Huge pages
 * were asked for once: on the virtual machines measured, a first touch of
 * 14 MB took 20-40 ms in them against 9 ms in small pages, and mj-check
 * run after mj-report took 0.58-0.66 s with them against 0.57-0.58 s
 * without (its bins then needed memory compacted first). *map and
 * *map_len are what to give mj_bigmap_free(). NULL when out of memory. */
void *mj_bigmap_alloc(size_t len, void **map, size_t *map_len);
void mj_bigmap_free(void *map, size_t map_len);

#endif
