/* A cache from the raw bytes of a field to what they mean (a category code),
 * so that a value is normalised once per distinct spelling, not once per
 * record. The key is the field's length and its first 16 bytes read as two
 * integers (with overlapping loads, so no byte is read outside the field);
 * a longer key is held apart too, and its bytes past 16 compared on a hit.
 * Open addressing from the hash's top bits (a product's low bits see only
 * the low bytes of a key: "UZ-SU" and "UZ-SA" would share them); bounded
 * size. */
#ifndef MJ_VCACHE_H
#define MJ_VCACHE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Bytes of a key held in the slot itself. */
#define MJ_VCACHE_INLINE 16

/* A key as looked up. */
struct mj_vkey {
	uint64_t w0, w1;        /* the first 16 bytes (see mj_vkey_make) */
	const char *s;          /* the key's bytes (borrowed) */
	size_t len;
	uint64_t hash;          /* its top bits pick the slot */
};

struct mj_vslot {
	uint64_t w0, w1;
	char *rest;             /* all bytes of a key longer than MJ_VCACHE_INLINE */
	uint32_t len1;          /* length + 1; 0 marks an empty slot */
	int32_t value;
};

struct mj_vcache {
	struct mj_vslot *slots;
	size_t cap, used, max;
	unsigned shift;         /* 64 - log2(cap): a key's first slot is hash >> shift */
};

static inline uint64_t mj_vload64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint64_t mj_vload32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

/* Fills k from the len bytes at s: its words and its hash. For a given
 * length the two words are a one-to-one image of the first min(len, 16)
 * bytes: 8-16 bytes as the first and the last 8, 4-7 as the first and the
 * last 4, 1-3 as the first, middle and last byte. The hash also takes a
 * longer key's last 8 bytes, which spread such keys. */
static inline void mj_vkey_make(struct mj_vkey *k, const char *s, size_t len)
{
	uint64_t w0, w1;
	if (len >= 8) {
		w0 = mj_vload64(s);
		w1 = mj_vload64(s + (len >= MJ_VCACHE_INLINE ? 8 : len - 8));
	} else if (len >= 4) {
		w0 = mj_vload32(s) | mj_vload32(s + len - 4) << 32;
		w1 = 0;
	} else if (len) {
		w0 = (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[len / 2] << 8 |
		     (uint64_t)(unsigned char)s[len - 1] << 16;
		w1 = 0;
	} else {
		w0 = w1 = 0;
	}
	uint64_t tail = len > MJ_VCACHE_INLINE ? mj_vload64(s + len - 8) : 0;
	k->w0 = w0;
	k->w1 = w1;
	k->s = s;
	k->len = len;
	k->hash = (w0 + len) * 0x9E3779B97F4A7C15ull ^ (w1 ^ tail) * 0xC2B2AE3D27D4EB4Full;
}

/* Whether the len bytes (more than MJ_VCACHE_INLINE) at a and b agree
 * past the first MJ_VCACHE_INLINE, in 8-byte words (the last one may
 * overlap the one before). No call of memcmp: a call in the row loop
 * made the compiler keep that loop's values on the stack. */
static inline int mj_vrest_eq(const char *a, const char *b, size_t len)
{
	size_t i = MJ_VCACHE_INLINE;
	for (; i + 8 < len; i += 8)
		if (mj_vload64(a + i) != mj_vload64(b + i))
			return 0;
	return mj_vload64(a + len - 8) == mj_vload64(b + len - 8);
}

/* The value cached for k: returns 1 and sets *value on a hit. */
static inline int mj_vcache_get(const struct mj_vcache *c, const struct mj_vkey *k,
				int *value)
{
	size_t mask = c->cap - 1;
	for (size_t i = (size_t)(k->hash >> c->shift);; i = (i + 1) & mask) {
		const struct mj_vslot *slot = &c->slots[i];
		if (!slot->len1)
			return 0;
		if (slot->len1 == k->len + 1 && slot->w0 == k->w0 && slot->w1 == k->w1 &&
		    (k->len <= MJ_VCACHE_INLINE || mj_vrest_eq(slot->rest, k->s, k->len))) {
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
