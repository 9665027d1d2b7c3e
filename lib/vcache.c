/* The per-column value cache. */
#include "vcache.h"

#include <stdlib.h>

int mj_vcache_init(struct mj_vcache *c, size_t max)
{
	c->cap = 64;
	c->used = 0;
	c->max = max;
	c->slots = calloc(c->cap, sizeof *c->slots);
	return c->slots ? 0 : -1;
}

static void insert(struct mj_vslot *slots, size_t cap, const struct mj_vslot *slot)
{
	size_t i = slot->hash & (cap - 1);
	while (slots[i].hash)
		i = (i + 1) & (cap - 1);
	slots[i] = *slot;
}

void mj_vcache_put(struct mj_vcache *c, const struct mj_vkey *k, int value)
{
	if (c->used >= c->max || k->len > UINT32_MAX)
		return;
	if ((c->used + 1) * 2 > c->cap) {
		struct mj_vslot *bigger = calloc(c->cap * 2, sizeof *bigger);
		if (!bigger)
			return;
		for (size_t i = 0; i < c->cap; i++)
			if (c->slots[i].hash)
				insert(bigger, c->cap * 2, &c->slots[i]);
		free(c->slots);
		c->slots = bigger;
		c->cap *= 2;
	}
	struct mj_vslot slot = {.hash = k->hash, .len = (uint32_t)k->len, .value = value};
	if (k->len <= MJ_VCACHE_INLINE) {
		memcpy(slot.w, k->w, sizeof slot.w);
	} else {
		slot.ptr = malloc(k->len);
		if (!slot.ptr)
			return;
		memcpy(slot.ptr, k->s, k->len);
	}
	insert(c->slots, c->cap, &slot);
	c->used++;
}

void mj_vcache_free(struct mj_vcache *c)
{
	for (size_t i = 0; c->slots && i < c->cap; i++)
		free(c->slots[i].ptr);
	free(c->slots);
	c->slots = NULL;
	c->cap = c->used = 0;
}
