/* Counting cells in an open-addressing hash map. */
#include "cube.h"

#include <stdlib.h>

static size_t slot_of(uint64_t key, size_t cap)
{
	return mj_cube_home(key, cap);
}

int mj_cube_init(struct mj_cube *c)
{
	c->cap = 256;
	c->used = 0;
	c->keys = calloc(c->cap, sizeof *c->keys);
	c->sums = calloc(c->cap, sizeof *c->sums);
	if (!c->keys || !c->sums) {
		mj_cube_free(c);
		return -1;
	}
	return 0;
}

void mj_cube_free(struct mj_cube *c)
{
	free(c->keys);
	free(c->sums);
	c->keys = NULL;
	c->sums = NULL;
	c->cap = c->used = 0;
}

static int grow(struct mj_cube *c)
{
	struct mj_cube bigger = {calloc(c->cap * 2, sizeof(uint64_t)),
				 calloc(c->cap * 2, sizeof(double)), c->cap * 2, 0};
	if (!bigger.keys || !bigger.sums) {
		free(bigger.keys);
		free(bigger.sums);
		return -1;
	}
	for (size_t i = 0; i < c->cap; i++)
		if (c->keys[i])
			mj_cube_add(&bigger, c->keys[i] - 1, c->sums[i]);
	mj_cube_free(c);
	*c = bigger;
	return 0;
}

int mj_cube_add(struct mj_cube *c, uint64_t key, double v)
{
	if ((c->used + 1) * 4 > c->cap * 3 && grow(c) != 0)
		return -1;
	size_t i = slot_of(key, c->cap);
	while (c->keys[i] && c->keys[i] != key + 1)
		i = (i + 1) & (c->cap - 1);
	if (!c->keys[i]) {
		c->keys[i] = key + 1;
		c->used++;
	}
	c->sums[i] += v;
	return 0;
}

static const size_t *find(const struct mj_cube *c, uint64_t key, size_t *slot)
{
	if (!c->cap)
		return NULL;
	size_t i = slot_of(key, c->cap);
	while (c->keys[i]) {
		if (c->keys[i] == key + 1) {
			*slot = i;
			return slot;
		}
		i = (i + 1) & (c->cap - 1);
	}
	return NULL;
}

double mj_cube_get(const struct mj_cube *c, uint64_t key)
{
	size_t slot;
	return find(c, key, &slot) ? c->sums[slot] : 0;
}

int mj_cube_has(const struct mj_cube *c, uint64_t key)
{
	size_t slot;
	return find(c, key, &slot) != NULL;
}
