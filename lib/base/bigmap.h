/* Large blocks of memory mapped apart, in huge pages where the system
 * gives them. */
#ifndef MJ_BIGMAP_H
#define MJ_BIGMAP_H

#include <stddef.h>

/* A zeroed mapping of len bytes, aligned to and advised into huge pages
 * from 2 MB on: with small pages, each 4 K of it is a page fault when
 * first touched and a TLB miss when touched at random. *map and *map_len
 * are what to give mj_bigmap_free(). NULL when out of memory. */
void *mj_bigmap_alloc(size_t len, void **map, size_t *map_len);
void mj_bigmap_free(void *map, size_t map_len);

#endif
