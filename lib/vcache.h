/* A cache from the raw bytes of a field to what they mean (a category code),
 * so that a value is normalised once per distinct spelling, not once per
 * record. Open addressing; short keys stored inline; bounded size. */
#ifndef MJ_VCACHE_H
#define MJ_VCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MJ_VCACHE_INLINE 24

struct mj_vslot {
	uint64_t hash;          /* 0 marks an empty slot */
	uint32_t len;
	int32_t value;
	union {
		char bytes[MJ_VCACHE_INLINE];
		char *ptr;      /* keys longer than MJ_VCACHE_INLINE */
	} key;
};

struct mj_vcache {
	struct mj_vslot *slots;
	size_t cap, used, max;
};

/* Hash of len bytes; never 0. */
static inline uint64_t mj_vcache_hash(const char *s, size_t len)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ (len * 0xff51afd7ed558ccdull);
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
		h ^= h >> 31;
		s += 8;
		len -= 8;
	}
	if (len) {
		uint64_t w = 0;
		for (size_t i = 0; i < len; i++)
			w |= (uint64_t)(unsigned char)s[i] << (8 * i);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	h ^= h >> 29;
	return h ? h : 1;
}

static inline int mj_vcache_same(const char *a, const char *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* The value cached for s (len bytes): returns 1 and sets *value on a hit. */
static inline int mj_vcache_get(const struct mj_vcache *c, const char *s, size_t len,
				uint64_t hash, int *value)
{
	size_t mask = c->cap - 1;
	for (size_t i = hash & mask;; i = (i + 1) & mask) {
		const struct mj_vslot *slot = &c->slots[i];
		if (!slot->hash)
			return 0;
		/* 64 hash bits agree almost only for equal keys; the bytes
		 * are compared all the same. */
		if (slot->hash == hash && slot->len == len &&
		    (len <= MJ_VCACHE_INLINE ? mj_vcache_same(slot->key.bytes, s, len)
					     : memcmp(slot->key.ptr, s, len) == 0)) {
			*value = slot->value;
			return 1;
		}
	}
}

int mj_vcache_init(struct mj_vcache *c, size_t max);
/* Remembers s -> value (no operation when full or out of memory). */
void mj_vcache_put(struct mj_vcache *c, const char *s, size_t len, uint64_t hash, int value);
void mj_vcache_free(struct mj_vcache *c);

#endif
