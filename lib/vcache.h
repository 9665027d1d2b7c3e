/* A cache from the raw bytes of a field to what they mean (a category code),
 * so that a value is normalised once per distinct spelling, not once per
 * record. Open addressing; keys up to 24 bytes are held (and compared) as
 * three zero-padded words; longer keys are held apart. Bounded size. */
#ifndef MJ_VCACHE_H
#define MJ_VCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MJ_VCACHE_INLINE 24

/* A key as looked up: the words of a short key, or the bytes of a long one. */
struct mj_vkey {
	uint64_t w[3];
	const char *s;
	size_t len;
	uint64_t hash;
};

struct mj_vslot {
	uint64_t hash;          /* 0 marks an empty slot */
	uint64_t w[3];          /* short keys */
	char *ptr;              /* long keys */
	uint32_t len;
	int32_t value;
};

struct mj_vcache {
	struct mj_vslot *slots;
	size_t cap, used, max;
};

static inline void mj_vkey_make(struct mj_vkey *k, const char *s, size_t len)
{
	k->s = s;
	k->len = len;
	uint64_t h = 0x9E3779B97F4A7C15ull ^ (len * 0xff51afd7ed558ccdull);
	if (len <= MJ_VCACHE_INLINE) {
		char buf[MJ_VCACHE_INLINE] = {0};
		memcpy(buf, s, len);
		memcpy(k->w, buf, sizeof buf);
		h ^= k->w[0] * 0xc4ceb9fe1a85ec53ull;
		h = (h ^ (h >> 29)) + k->w[1] * 0x94d049bb133111ebull;
		h = (h ^ (h >> 31)) + k->w[2] * 0xbf58476d1ce4e5b9ull;
	} else {
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	}
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	k->hash = h ? h : 1;
}

/* The value cached for k: returns 1 and sets *value on a hit. */
static inline int mj_vcache_get(const struct mj_vcache *c, const struct mj_vkey *k,
				int *value)
{
	size_t mask = c->cap - 1;
	for (size_t i = k->hash & mask;; i = (i + 1) & mask) {
		const struct mj_vslot *slot = &c->slots[i];
		if (!slot->hash)
			return 0;
		if (slot->hash != k->hash || slot->len != k->len)
			continue;
		if (k->len <= MJ_VCACHE_INLINE
			    ? (slot->w[0] == k->w[0]) & (slot->w[1] == k->w[1]) & (slot->w[2] == k->w[2])
			    : memcmp(slot->ptr, k->s, k->len) == 0) {
			*value = slot->value;
			return 1;
		}
	}
}

int mj_vcache_init(struct mj_vcache *c, size_t max);
/* Remembers k -> value (no operation when full or out of memory). */
void mj_vcache_put(struct mj_vcache *c, const struct mj_vkey *k, int value);
void mj_vcache_free(struct mj_vcache *c);

#endif
