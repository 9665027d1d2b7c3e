/* Arrays that grow by doubling. */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

int mj_grow(void *arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	if (c < *cap || c > SIZE_MAX / size)
		return -1;
	void *p = realloc(*(void **)arr, c * size);
	if (!p)
		return -1;
	*(void **)arr = p;
	*cap = c;
	return 0;
}
