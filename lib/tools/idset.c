/* The set of ids seen, shared by the threads of a check. */
#include "idset.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Tables from this size on are mapped apart, in huge pages where the
 * system gives them: an id's slot is a random place in the table, and
 * small pages would make each a page fault and a TLB miss. */
#define MAP_BYTES (4u << 20)
#define HUGE_PAGE (2u << 20)

/* A zeroed table of cap slots; s->map and s->map_len are set when it is a
 * mapping of its own. */
static struct mj_idslot *table_alloc(size_t cap, void **map, size_t *map_len)
{
	size_t bytes = cap * sizeof(struct mj_idslot);
	*map = NULL;
	*map_len = 0;
	if (bytes < MAP_BYTES)
		return calloc(cap, sizeof(struct mj_idslot));
	size_t len = bytes + HUGE_PAGE;
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	char *aligned = (char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
#ifdef MADV_HUGEPAGE
	madvise(aligned, bytes, MADV_HUGEPAGE);
#endif
	*map = m;
	*map_len = len;
	return (struct mj_idslot *)(void *)aligned;
}

static void table_free(struct mj_idslot *slots, void *map, size_t map_len)
{
	if (map)
		munmap(map, map_len);
	else
		free(slots);
}

/* Up to 7 ids in 10 slots: linear probing stays short. */
static size_t limit_of(size_t cap)
{
	return cap / 10 * 7;
}

/* Moves s's ids into a new table of cap slots, leaving out (when dropping)
 * those first seen in drop_file at part drop_part or later; -1 when out of
 * memory. Single thread. */
static int rebuild(struct mj_idset *s, size_t cap, unsigned drop_file, unsigned drop_part,
		   int dropping)
{
	void *map;
	size_t map_len;
	struct mj_idslot *slots = table_alloc(cap, &map, &map_len);
	if (!slots)
		return -1;
	size_t used = 0;
	for (size_t i = 0; i < s->cap; i++) {
		uint64_t key = atomic_load_explicit(&s->slots[i].key, memory_order_relaxed);
		uint64_t pos = atomic_load_explicit(&s->slots[i].pos, memory_order_relaxed);
		if (!key)
			continue;
		if (dropping && mj_idpos_file(pos) == drop_file && mj_idpos_part(pos) >= drop_part)
			continue;
		size_t j = key & (cap - 1);
		while (atomic_load_explicit(&slots[j].key, memory_order_relaxed))
			j = (j + 1) & (cap - 1);
		atomic_store_explicit(&slots[j].key, key, memory_order_relaxed);
		atomic_store_explicit(&slots[j].pos, pos, memory_order_relaxed);
		used++;
	}
	table_free(s->slots, s->map, s->map_len);
	s->slots = slots;
	s->cap = cap;
	s->limit = limit_of(cap);
	s->map = map;
	s->map_len = map_len;
	atomic_store(&s->used, used);
	atomic_store(&s->full, used >= s->limit);
	return 0;
}

int mj_idset_reserve(struct mj_idset *s, size_t more, size_t slack)
{
	size_t used = atomic_load(&s->used);
	size_t want = used + more + slack;
	/* The slack must stay clear of a full table whatever the threads. */
	if (s->slots && want <= s->limit && s->limit + slack < s->cap)
		return 0;
	size_t cap = s->cap ? s->cap : 1024;
	while (limit_of(cap) < want || limit_of(cap) + slack >= cap)
		cap *= 2;
	return rebuild(s, cap, 0, 0, 0);
}

int mj_idset_count(struct mj_idset *s, size_t n)
{
	size_t used = atomic_fetch_add_explicit(&s->used, n, memory_order_relaxed) + n;
	if (used < s->limit)
		return 0;
	atomic_store_explicit(&s->full, 1, memory_order_relaxed);
	return 1;
}

enum mj_id_seen mj_idset_add(struct mj_idset *s, uint64_t key, uint64_t pos, uint64_t *other)
{
	key = key ? key : 1;
	size_t mask = s->cap - 1;
	for (size_t i = key & mask;; i = (i + 1) & mask) {
		struct mj_idslot *slot = &s->slots[i];
		uint64_t k = atomic_load_explicit(&slot->key, memory_order_acquire);
		if (!k) {
			if (atomic_compare_exchange_strong_explicit(&slot->key, &k, key,
								    memory_order_acq_rel,
								    memory_order_acquire)) {
				atomic_store_explicit(&slot->pos, pos, memory_order_release);
				return MJ_ID_NEW;
			}
			/* Another thread took the slot first: k is its key. */
		}
		if (k != key)
			continue;
		/* The place comes just after the key: wait for it. */
		uint64_t have;
		while (!(have = atomic_load_explicit(&slot->pos, memory_order_acquire)))
			;
		if (mj_idpos_check(have) != mj_idpos_check(pos))
			continue;       /* another id of the same 64-bit hash */
		for (;;) {
			*other = have;
			if (mj_idpos_order(have) <= mj_idpos_order(pos))
				return MJ_ID_LATER;
			if (atomic_compare_exchange_weak_explicit(&slot->pos, &have, pos,
								  memory_order_acq_rel,
								  memory_order_acquire))
				return MJ_ID_EARLIER;
		}
	}
}

uint64_t mj_idset_first(const struct mj_idset *s, uint64_t key, uint64_t pos)
{
	key = key ? key : 1;
	size_t mask = s->cap - 1;
	for (size_t i = key & mask; s->cap; i = (i + 1) & mask) {
		uint64_t k = atomic_load_explicit(&s->slots[i].key, memory_order_acquire);
		if (!k)
			return 0;
		uint64_t have = atomic_load_explicit(&s->slots[i].pos, memory_order_acquire);
		if (k == key && mj_idpos_check(have) == mj_idpos_check(pos))
			return have;
	}
	return 0;
}

int mj_idset_forget(struct mj_idset *s, unsigned file, unsigned from_part)
{
	if (!s->slots)
		return 0;
	return rebuild(s, s->cap, file, from_part, 1);
}

void mj_idset_free(struct mj_idset *s)
{
	table_free(s->slots, s->map, s->map_len);
	memset(s, 0, sizeof *s);
}
