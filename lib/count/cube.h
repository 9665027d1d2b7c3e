/* Counting cells: a small open-addressing map from packed category keys to
 * sums, grown by doubling. Memory follows the number of distinct cells. */
#ifndef MJ_CUBE_H
#define MJ_CUBE_H

#include <stddef.h>
#include <stdint.h>

/* Up to four dimensions of 16 bits each; 0 means "not stated", 0xFFFF the
 * aggregate over the dimension, v + 1 the value v. */
#define MJ_CUBE_MAXD 4
#define MJ_KEY_MISSING 0u
#define MJ_KEY_TOTAL 0xFFFFu

struct mj_cube {
	uint64_t *keys;   /* key + 1; 0 marks an empty slot */
	double *sums;
	size_t cap, used;
};

int mj_cube_init(struct mj_cube *c);
void mj_cube_free(struct mj_cube *c);
/* Add v to the cell key; returns -1 when out of memory. */
int mj_cube_add(struct mj_cube *c, uint64_t key, double v);

/* The slot where the search for key starts (a multiplicative hash spreads
 * the packed 16-bit parts). */
static inline size_t mj_cube_home(uint64_t key, size_t cap)
{
	return (size_t)((key * 0x9E3779B97F4A7C15ull) >> 17) & (cap - 1);
}

/* As mj_cube_add, in line for the usual case of counting: a cell already
 * held in the slot where its search starts (the same slot, and the same
 * sum, as mj_cube_add would find). */
static inline int mj_cube_count(struct mj_cube *c, uint64_t key, double v)
{
	size_t i = mj_cube_home(key, c->cap);
	if (c->keys[i] == key + 1) {
		c->sums[i] += v;
		return 0;
	}
	return mj_cube_add(c, key, v);
}
/* The sum in cell key (0 when absent). */
double mj_cube_get(const struct mj_cube *c, uint64_t key);
/* Whether cell key was ever added to. */
int mj_cube_has(const struct mj_cube *c, uint64_t key);

static inline uint64_t mj_key_part(int value)
{
	return value < 0 ? MJ_KEY_MISSING : (uint64_t)(value + 1) & 0xFFFFu;
}

#endif
