/* The ids mj-check has seen, in one open-addressing table that several
 * threads add to at once without locks. Each id is a 64-bit hash (the
 * slot's key) and, in the slot's value, where it was seen and a 9-bit
 * second hash: two ids are taken as the same when all 73 bits agree (for
 * ten million ids a false duplicate has a probability near 5e-9).
 *
 * Threads read parts of a file in any order, so an id's slot keeps the
 * earliest place it was seen: a thread that finds a later place there
 * puts its own in, and the place it took out is then the duplicate. */
#ifndef MJ_IDSET_H
#define MJ_IDSET_H

#include <stdatomic.h>
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
	_Atomic uint64_t key;   /* the id's hash; 0 marks an empty slot */
	_Atomic uint64_t pos;   /* mj_idpos(); 0 while its key is being put in */
};

struct mj_idset {
	struct mj_idslot *slots;
	size_t cap;
	size_t limit;           /* ids the table takes before it is full */
	void *map;              /* the mapping that holds a large table, or NULL */
	size_t map_len;
	/* Ids counted in by mj_idset_count, apart from the flag that threads
	 * read on every id (one cache line each). */
	_Alignas(64) atomic_size_t used;
	_Alignas(64) atomic_int full;
};

enum mj_id_seen {
	MJ_ID_NEW,      /* not seen before: remembered here */
	MJ_ID_LATER,    /* seen before, at *other: this place is a duplicate */
	MJ_ID_EARLIER,  /* seen before at *other, a later place, which this
			   place replaced: the place at *other is a duplicate */
};

/* Makes the table take at least `more` ids beyond those counted, with
 * `slack` more that threads may add before they count them. Not while
 * threads add. Returns -1 when out of memory. */
int mj_idset_reserve(struct mj_idset *s, size_t more, size_t slack);
/* Whether the table has taken its limit: add no more (hold ids back,
 * mj_idset_reserve, then add them). */
static inline int mj_idset_full(struct mj_idset *s)
{
	return atomic_load_explicit(&s->full, memory_order_relaxed);
}
/* Counts n new ids in (a thread counts its MJ_ID_NEW now and then);
 * returns 1 when the table is now full. */
int mj_idset_count(struct mj_idset *s, size_t n);
/* Adds the id with hash key seen at pos; safe from several threads once
 * reserved. */
enum mj_id_seen mj_idset_add(struct mj_idset *s, uint64_t key, uint64_t pos, uint64_t *other);
/* Where the id with hash key and pos's check was first seen, or 0. */
uint64_t mj_idset_first(const struct mj_idset *s, uint64_t key, uint64_t pos);
/* Forgets the ids whose first place is in file at part from_part or later
 * (a read of the file that is taken back). Returns -1 when out of memory. */
int mj_idset_forget(struct mj_idset *s, unsigned file, unsigned from_part);
void mj_idset_free(struct mj_idset *s);

#endif
