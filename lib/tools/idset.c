/* The set of ids a check has seen, read in order. */
#include "idset.h"

#include <stdlib.h>
#include <string.h>

#include "bigmap.h"

/* Tables from this size on are mapped apart (bigmap.h), and given back
 * whole when freed. */
#define MAP_BYTES (4u << 20)

/* A zeroed table of cap slots; s->map and s->map_len are set when it is a
 * mapping of its own. */
static struct mj_idslot *table_alloc(size_t cap, void **map, size_t *map_len)
{
	size_t bytes = cap * sizeof(struct mj_idslot);
	*map = NULL;
	*map_len = 0;
	if (bytes < MAP_BYTES)
		return calloc(cap, sizeof(struct mj_idslot));
	return mj_bigmap_alloc(bytes, map, map_len);
}

static void table_free(struct mj_idslot *slots, void *map, size_t map_len)
{
	if (map)
		mj_bigmap_free(map, map_len);
	else
		free(slots);
}

/* Up to 7 ids in 10 slots: linear probing stays short. */
static size_t limit_of(size_t cap)
{
	return cap / 10 * 7;
}

/* Moves s's ids into a new table of cap slots; -1 when out of memory. */
static int rebuild(struct mj_idset *s, size_t cap)
{
	void *map;
	size_t map_len;
	struct mj_idslot *slots = table_alloc(cap, &map, &map_len);
	if (!slots)
		return -1;
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slots[i].key)
			continue;
		size_t j = s->slots[i].key & (cap - 1);
		while (slots[j].key)
			j = (j + 1) & (cap - 1);
		slots[j] = s->slots[i];
	}
	table_free(s->slots, s->map, s->map_len);
	s->slots = slots;
	s->cap = cap;
	s->limit = limit_of(cap);
	s->map = map;
	s->map_len = map_len;
	return 0;
}

int mj_idset_reserve(struct mj_idset *s, size_t more)
{
	size_t want = s->used + more;
	if (s->slots && want <= s->limit)
		return 0;
	size_t cap = s->cap ? s->cap : 1024;
	while (limit_of(cap) < want)
		cap *= 2;
	return rebuild(s, cap);
}

enum mj_id_seen mj_idset_add(struct mj_idset *s, uint64_t key, uint64_t pos, uint64_t *other)
{
	key = key ? key : 1;
	size_t mask = s->cap - 1;
	for (size_t i = key & mask;; i = (i + 1) & mask) {
		struct mj_idslot *slot = &s->slots[i];
		if (!slot->key) {
			*slot = (struct mj_idslot){key, pos};
			s->used++;
			return MJ_ID_NEW;
		}
		if (slot->key != key || mj_idpos_check(slot->pos) != mj_idpos_check(pos))
			continue;       /* another id, or one of the same 64-bit hash */
		*other = slot->pos;
		if (mj_idpos_order(slot->pos) <= mj_idpos_order(pos))
			return MJ_ID_LATER;
		slot->pos = pos;
		return MJ_ID_EARLIER;
	}
}

void mj_idset_free(struct mj_idset *s)
{
	table_free(s->slots, s->map, s->map_len);
	memset(s, 0, sizeof *s);
}
