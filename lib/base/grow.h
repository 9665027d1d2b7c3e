/* Arrays that grow by doubling, for the library's lists of records. */
#ifndef MJ_GROW_H
#define MJ_GROW_H

#include <stddef.h>

/* Makes the array at *arr (of *cap elements of size bytes) hold at least
 * n + 1 elements, doubling it (16 at first). Returns -1, leaving the
 * array as it was, when out of memory or when the size would overflow. */
int mj_grow(void *arr, size_t *cap, size_t n, size_t size);

#endif
