/* The per-column value cache. */
#include "vcache.h"

#include <stdlib.h>

int mj_vcache_init(struct mj_vcache *c, size_t max)
{
	c->cap = 64;
	c->shift = 64 - 6;
	c->used = 0;
	c->max = max;
	c->slots = calloc(c->cap, sizeof *c->slots);
	return c->slots ? 0 : -1;
}

/* The hash of a held key, as mj_vkey_make computed it. */
static uint64_t slot_hash(const struct mj_vslot *slot)
{
	struct mj_vkey k;
	size_t len = slot->len1 - 1;
	if (len > MJ_VCACHE_INLINE) {
		mj_vkey_make(&k, slot->rest, len);
	} else {
		/* A short key is all in its words: write them back as bytes
		 * (the first and last 8, 4 or 1 bytes, as they were read). */
		char bytes[MJ_VCACHE_INLINE] = {0};
		if (len >= 8) {
			memcpy(bytes, &slot->w0, 8);
			memcpy(bytes + len - 8, &slot->w1, 8);
		} else if (len >= 4) {
			uint32_t a = (uint32_t)slot->w0, b = (uint32_t)(slot->w0 >> 32);
			memcpy(bytes, &a, 4);
			memcpy(bytes + len - 4, &b, 4);
		} else if (len) {
			bytes[0] = (char)(slot->w0 & 0xff);
			bytes[len / 2] = (char)(slot->w0 >> 8 & 0xff);
			bytes[len - 1] = (char)(slot->w0 >> 16 & 0xff);
		}
		mj_vkey_make(&k, bytes, len);
	}
	return k.hash;
}

static void insert(struct mj_vslot *slots, size_t cap, unsigned shift,
		   const struct mj_vslot *slot, uint64_t hash)
{
	size_t i = (size_t)(hash >> shift);
	while (slots[i].len1)
		i = (i + 1) & (cap - 1);
	slots[i] = *slot;
}

void mj_vcache_put(struct mj_vcache *c, const struct mj_vkey *k, int value)
{
	if (c->used >= c->max || k->len >= UINT32_MAX)
		return;
	if ((c->used + 1) * 2 > c->cap) {
		struct mj_vslot *bigger = calloc(c->cap * 2, sizeof *bigger);
		if (!bigger)
			return;
		for (size_t i = 0; i < c->cap; i++)
			if (c->slots[i].len1)
				insert(bigger, c->cap * 2, c->shift - 1, &c->slots[i],
				       slot_hash(&c->slots[i]));
		free(c->slots);
		c->slots = bigger;
		c->cap *= 2;
		c->shift--;
	}
	struct mj_vslot slot = {.w0 = k->w0, .w1 = k->w1, .len1 = (uint32_t)k->len + 1,
				.value = value};
	if (k->len > MJ_VCACHE_INLINE) {
		slot.rest = malloc(k->len);
		if (!slot.rest)
			return;
		memcpy(slot.rest, k->s, k->len);
	}
	insert(c->slots, c->cap, c->shift, &slot, k->hash);
	c->used++;
}

void mj_vcache_free(struct mj_vcache *c)
{
	for (size_t i = 0; c->slots && i < c->cap; i++)
		free(c->slots[i].rest);
	free(c->slots);
	c->slots = NULL;
	c->cap = c->used = 0;
}
