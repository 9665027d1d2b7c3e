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

/* A note as a part writes it while it reads, in 12 bytes rather than 16
 * (ten million ids take 120 MB, not 160, of memory the kernel must zero):
 * the hash in two halves, and in tail its line after its block's first
 * (MJ_IDSHORT_LINE_BITS bits) under the place's bits from
 * MJ_IDPOS_ORDER_BITS on (the row's rejected mark and the id's check). A
 * block's file, part and first line are the block's. */
struct mj_idshort {
	uint32_t key_lo, key_hi, tail;
};
#define MJ_IDSHORT_LINE_BITS 22
_Static_assert(MJ_IDSHORT_LINE_BITS + 64 - MJ_IDPOS_ORDER_BITS == 32,
	       "a short note's tail holds its line and the place's top bits");

/* Notes in a mapping of their own (mj_bigmap_alloc), their places
 * counted from base. */
struct mj_idblock {
	struct mj_idshort *v;
	size_t n, cap;                  /* notes held; notes it has room for */
	size_t bytes;                   /* the room asked for */
	uint64_t base;                  /* mj_idpos_order() of its first place */
	void *map;
	size_t map_len;
};

/* One part's notes, in the order it read them: blocks that double in
 * size up to 2 MB, so that a small file takes little
 * memory. A note whose line is MJ_IDSHORT_LINE_BITS or more past its
 * block's first line (a row of millions of lines, or a place of another
 * file or part) starts a block. */
struct mj_idfill {
	struct mj_idshort *at, *end;    /* the next free note of the last block; its end */
	uint64_t base;                  /* the last block's */
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
/* Slow path of mj_idfill_add: a new block, whose first place is pos. */
int mj_idfill_grow(struct mj_idfill *f, uint64_t pos);

/* Notes an id with hash key seen at pos (places noted in a fill come in
 * order); -1 when out of memory. */
static inline int mj_idfill_add(struct mj_idfill *f, uint64_t key, uint64_t pos)
{
	key = key ? key : 1;
	uint64_t line = mj_idpos_order(pos) - f->base;
	if (f->at == f->end || line >> MJ_IDSHORT_LINE_BITS) {
		if (mj_idfill_grow(f, pos) != 0)
			return -1;
		line = 0;
	}
	*f->at++ = (struct mj_idshort){
		(uint32_t)key, (uint32_t)(key >> 32),
		(uint32_t)line | (uint32_t)(pos >> MJ_IDPOS_ORDER_BITS) << MJ_IDSHORT_LINE_BITS};
	return 0;
}

/* The note n of a block whose first place is base. */
static inline struct mj_idnote mj_idshort_note(const struct mj_idshort *n, uint64_t base)
{
	uint64_t line = n->tail & ((1u << MJ_IDSHORT_LINE_BITS) - 1);
	uint64_t top = (uint64_t)(n->tail >> MJ_IDSHORT_LINE_BITS) << MJ_IDPOS_ORDER_BITS;
	return (struct mj_idnote){(uint64_t)n->key_hi << 32 | n->key_lo, (base + line) | top};
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
