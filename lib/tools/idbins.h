/* The ids of a file mj-check reads in parts, found again by hash in bins.
 *
 * While the file is read, each part writes the places of its ids one after
 * another (struct mj_idfill), in blocks of memory mapped apart. A table
 * shared by all ids would make every row wait for a random place in a
 * table larger than the cache; a write after the last one never waits.
 * After the read each block's notes are moved into bins by hash, as many
 * bins as the notes need for each to be small enough for a core's cache,
 * into a block another move emptied (so the move takes hardly any new
 * memory), and the bins are settled one at a time: the first place of
 * each id is kept (struct mj_idbins, across files), and every other place
 * is a duplicate.
 *
 * Ids are told apart as in idset.h: by their 64-bit hash and the 9-bit
 * check in their place. A key's bin is its top bits; within a bin the
 * settling table is indexed by its low bits. */
#ifndef MJ_IDBINS_H
#define MJ_IDBINS_H

#include <stddef.h>
#include <stdint.h>

#include "idset.h"

#define MJ_IDBINS_MAX_BITS 12

/* An id's hash (key, never 0) and its place (mj_idpos). */
struct mj_idnote {
	uint64_t key, pos;
};

/* Notes in a mapping of their own (mj_bigmap_alloc). */
struct mj_idblock {
	struct mj_idnote *v;
	size_t n, cap;                  /* notes held; notes it has room for */
	void *map;
	size_t map_len;
};

/* One part's notes, in the order it read them: blocks that double in
 * size up to 2 MB (a huge page), so that a small file takes little
 * memory. */
struct mj_idfill {
	struct mj_idnote *at, *end;     /* the next free note of the last block; its end */
	struct mj_idblock *blocks;
	size_t nblocks, capblocks;
};

/* The first place of each id of the files settled so far, by bin. */
struct mj_idbins {
	unsigned bits;
	struct mj_idnote **first;       /* 1 << bits arrays, or NULL before any */
	size_t *nfirst;
	size_t ids;                     /* ids in all bins */
};

/* A place whose id was seen before, at first. */
struct mj_iddup {
	uint64_t pos, first;
};

static inline size_t mj_idbin_of(uint64_t key, unsigned bits)
{
	/* Two shifts, so that no bits (a shift by 64) stays defined. */
	return (size_t)(key >> 32 >> (32 - bits));
}

/* An empty fill for a part (it takes memory with its first note). */
void mj_idfill_init(struct mj_idfill *f);
void mj_idfill_free(struct mj_idfill *f);
/* Slow path of mj_idfill_add: a new block. */
int mj_idfill_grow(struct mj_idfill *f);

/* Notes an id with hash key seen at pos; -1 when out of memory. */
static inline int mj_idfill_add(struct mj_idfill *f, uint64_t key, uint64_t pos)
{
	key = key ? key : 1;
	if (f->at == f->end && mj_idfill_grow(f) != 0)
		return -1;
	*f->at++ = (struct mj_idnote){key, pos};
	return 0;
}

/* Settles the notes of fills[0..nfills-1] into b on up to threads threads,
 * taking the fills' blocks (the caller still frees the fills).
 * Each place that is not its id's first (among b's and the fills') goes
 * into *dups, in no order; the caller frees *dups. Places compare by
 * mj_idpos_order. When keep is 0 (no file follows) the new ids are
 * counted in b->ids but not kept. Returns -1 when out of memory: the
 * check must stop. */
int mj_idbins_settle(struct mj_idbins *b, struct mj_idfill *fills, size_t nfills,
		     unsigned threads, int keep, struct mj_iddup **dups, size_t *ndups);

/* Moves the ids of b into s (reserving room for them and `more`), or those
 * of s into b, leaving the one they left empty. Returns -1 when out of
 * memory, leaving both as they were. */
int mj_idbins_to_set(struct mj_idbins *b, struct mj_idset *s, size_t more);
int mj_idbins_from_set(struct mj_idbins *b, struct mj_idset *s);

void mj_idbins_free(struct mj_idbins *b);

#endif
