/* The ids mj-check has seen while it reads rows in order, in one
 * open-addressing table. Each id is a 64-bit hash (the slot's key) and, in
 * the slot's value, where it was seen and a 9-bit second hash: two ids are
 * taken as the same when all 73 bits agree (for ten million ids a false
 * duplicate has a probability near 5e-9). A file read in parts keeps its
 * ids in bins instead (idbins.h). */
#ifndef MJ_IDSET_H
#define MJ_IDSET_H

#include <stddef.h>
#include <stdint.h>

/* Where an id was seen, packed in 64 bits; places compare as numbers
 * (file, then part, then line) in their low MJ_IDPOS_ORDER_BITS. */
#define MJ_IDPOS_ORDER_BITS 54
#define MJ_IDPOS_PARTS 64       /* parts of a file (MJ_SCAN_MAX_PARTS) */

static inline uint64_t mj_idpos(unsigned file, unsigned part, unsigned long line,
				int rejected, unsigned check)
{
	uint32_t l = line == 0 ? 1 : line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
	return (uint64_t)l | (uint64_t)(part & 63) << 32 | (uint64_t)(file & 0xffff) << 38 |
	       (uint64_t)(rejected != 0) << 54 | (uint64_t)(check & 0x1ff) << 55;
}
static inline unsigned long mj_idpos_line(uint64_t p) { return (unsigned long)(p & 0xffffffffu); }
static inline unsigned mj_idpos_part(uint64_t p) { return (unsigned)(p >> 32 & 63); }
static inline unsigned mj_idpos_file(uint64_t p) { return (unsigned)(p >> 38 & 0xffff); }
static inline int mj_idpos_rejected(uint64_t p) { return (int)(p >> 54 & 1); }
static inline unsigned mj_idpos_check(uint64_t p) { return (unsigned)(p >> 55); }
static inline uint64_t mj_idpos_order(uint64_t p)
{
	return p & ((1ull << MJ_IDPOS_ORDER_BITS) - 1);
}

struct mj_idslot {
	uint64_t key;           /* the id's hash; 0 marks an empty slot */
	uint64_t pos;           /* mj_idpos() */
};

struct mj_idset {
	struct mj_idslot *slots;
	size_t cap;
	size_t limit;           /* ids the table takes before it grows */
	size_t used;            /* ids in the table */
	void *map;              /* the mapping that holds a large table, or NULL */
	size_t map_len;
};

enum mj_id_seen {
	MJ_ID_NEW,      /* not seen before: remembered here */
	MJ_ID_LATER,    /* seen before, at *other: this place is a duplicate */
	MJ_ID_EARLIER,  /* seen before at *other, a later place, which this
			   place replaced: the place at *other is a duplicate */
};

/* Makes the table take at least `more` ids beyond those it holds without
 * growing (growing moves every id). Returns -1 when out of memory. */
int mj_idset_reserve(struct mj_idset *s, size_t more);
/* Adds the id with hash key seen at pos, once reserved. */
enum mj_id_seen mj_idset_add(struct mj_idset *s, uint64_t key, uint64_t pos, uint64_t *other);
void mj_idset_free(struct mj_idset *s);

#endif
