/* The ids of a file read in parts, settled bin by bin (see idbins.h). */
#include "idbins.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "bigmap.h"
#include "grow.h"

/* About this many ids a bin at most: its settling table, four slots an
 * id of 16 bytes each, then stays within a core's cache. */
#define BIN_IDS 16384
/* A fill's first block is MJ_IDBLOCK_FIRST bytes, each next one twice
 * the one before, up to MJ_IDBLOCK_MAX (2 MB). Tests make
 * them smaller. */
#ifndef MJ_IDBLOCK_FIRST
#define MJ_IDBLOCK_FIRST ((size_t)65536)
#endif
#ifndef MJ_IDBLOCK_MAX
#define MJ_IDBLOCK_MAX ((size_t)2 << 20)
#endif
_Static_assert(MJ_IDBLOCK_FIRST >= sizeof(struct mj_idshort) &&
	       MJ_IDBLOCK_MAX / sizeof(struct mj_idshort) <= UINT32_MAX,
	       "a note's place in a block is a uint32_t");

static unsigned bits_for(size_t rows)
{
	unsigned bits = 0;
	while (bits < MJ_IDBINS_MAX_BITS && (rows >> bits) > BIN_IDS)
		bits++;
	return bits;
}

/* Makes b take ids ids: more bins for more ids, each about a cache's
 * worth; never fewer bins than before (the ids kept are moved to the new
 * bins). Returns -1 when out of memory. */
static int prepare_bins(struct mj_idbins *b, size_t ids)
{
	unsigned bits = bits_for(ids);
	if (b->first && bits <= b->bits)
		return 0;
	size_t nbins = (size_t)1 << bits;
	struct mj_idnote **first = calloc(nbins, sizeof *first);
	size_t *nfirst = calloc(nbins, sizeof *nfirst);
	if (!first || !nfirst)
		goto fail;
	/* The ids kept so far go to the new bins: count, make room, move. */
	size_t oldbins = b->first ? (size_t)1 << b->bits : 0;
	for (size_t i = 0; i < oldbins; i++)
		for (size_t j = 0; j < b->nfirst[i]; j++)
			nfirst[mj_idbin_of(b->first[i][j].key, bits)]++;
	for (size_t i = 0; i < nbins; i++)
		if (nfirst[i] && !(first[i] = malloc(nfirst[i] * sizeof **first)))
			goto fail;
	memset(nfirst, 0, nbins * sizeof *nfirst);
	for (size_t i = 0; i < oldbins; i++) {
		for (size_t j = 0; j < b->nfirst[i]; j++) {
			size_t to = mj_idbin_of(b->first[i][j].key, bits);
			first[to][nfirst[to]++] = b->first[i][j];
		}
		free(b->first[i]);
	}
	free(b->first);
	free(b->nfirst);
	b->first = first;
	b->nfirst = nfirst;
	b->bits = bits;
	return 0;
fail:
	for (size_t i = 0; first && i < nbins; i++)
		free(first[i]);
	free(first);
	free(nfirst);
	return -1;
}

static void block_free(struct mj_idblock *k)
{
	mj_bigmap_free(k->map, k->map_len);
	memset(k, 0, sizeof *k);
}

/* A block of bytes bytes of room; -1 when out of memory. */
static int block_alloc(struct mj_idblock *k, size_t bytes)
{
	memset(k, 0, sizeof *k);
	k->v = mj_bigmap_alloc(bytes, &k->map, &k->map_len);
	k->cap = k->v ? bytes / sizeof *k->v : 0;
	k->bytes = k->v ? bytes : 0;
	return k->v ? 0 : -1;
}

void mj_idfill_init(struct mj_idfill *f)
{
	memset(f, 0, sizeof *f);
}

/* Counts the notes of f's last block in it. */
static void fill_close(struct mj_idfill *f)
{
	if (f->nblocks)
		f->blocks[f->nblocks - 1].n = (size_t)(f->at - f->blocks[f->nblocks - 1].v);
}

void mj_idfill_free(struct mj_idfill *f)
{
	for (size_t i = 0; i < f->nblocks; i++)
		block_free(&f->blocks[i]);
	free(f->blocks);
	memset(f, 0, sizeof *f);
}

int mj_idfill_grow(struct mj_idfill *f, uint64_t pos)
{
	fill_close(f);
	size_t bytes = MJ_IDBLOCK_FIRST;
	if (f->nblocks) {
		bytes = 2 * f->blocks[f->nblocks - 1].bytes;
		bytes = bytes < MJ_IDBLOCK_MAX ? bytes : MJ_IDBLOCK_MAX;
	}
	if (mj_grow(&f->blocks, &f->capblocks, f->nblocks, sizeof *f->blocks) != 0)
		return -1;
	struct mj_idblock *k = &f->blocks[f->nblocks];
	if (block_alloc(k, bytes) != 0)
		return -1;
	k->base = mj_idpos_order(pos);
	f->nblocks++;
	f->base = k->base;
	f->at = k->v;
	f->end = k->v + k->cap;
	return 0;
}

/* Settling ---------------------------------------------------------------- */

/* Each block's notes are first moved into a block of their own, bin after
 * bin (each thread takes whole blocks, the largest first), then the bins
 * are settled (each thread takes whole bins, whose notes are one piece of
 * each moved block). A block read to the end is free for a move after
 * it: fresh pages cost the kernel a page of zeros each, more than the
 * move itself, so a move takes new memory only when no block it emptied
 * is free. */

struct settle_job {
	struct mj_idbins *b;
	struct mj_idblock *from;        /* the fills' blocks, largest first */
	struct mj_idblock *to;          /* block j's notes, by bin */
	size_t nblocks;
	uint32_t *start;        /* where bin i starts in to[j]: [i * nblocks + j] */
	int keep;               /* whether the bins keep the new ids */
	pthread_mutex_t lock;   /* of the free blocks */
	struct mj_idblock *spare;       /* blocks moved out of, free */
	size_t nspare;
	atomic_size_t next;     /* the next block or bin to take */
	atomic_int nomem;
};

/* One thread's table and findings. */
struct settler {
	struct settle_job *job;
	struct mj_idnote *table;
	size_t cap;
	struct mj_idnote *later;        /* places of the bin that are not first */
	size_t nlater, caplater;
	struct mj_iddup *dups;
	size_t ndups, capdups;
	size_t added;           /* new ids, when not kept */
	uint32_t *next;         /* where each bin's next note goes in a move (nbins + 1) */
};

/* A free block of room for n notes or more, or a new one of bytes bytes;
 * -1 when out of memory. */
static int take_block(struct settle_job *job, size_t n, size_t bytes, struct mj_idblock *to)
{
	pthread_mutex_lock(&job->lock);
	size_t best = job->nspare;
	for (size_t i = 0; i < job->nspare; i++)
		if (job->spare[i].cap >= n && (best == job->nspare ||
					       job->spare[i].cap < job->spare[best].cap))
			best = i;
	int found = best < job->nspare;
	if (found) {
		*to = job->spare[best];
		job->spare[best] = job->spare[--job->nspare];
	}
	pthread_mutex_unlock(&job->lock);
	return found ? 0 : block_alloc(to, bytes);
}

/* The bin of a short note: the top bits of its hash, all in its top half. */
static inline size_t bin_of(const struct mj_idshort *n, unsigned bits)
{
	return mj_idbin_of((uint64_t)n->key_hi << 32, bits);
}

/* Moves block j's notes into a block of their own, bin after bin, and
 * frees block j for a move after it. 0, or -1 when out of memory. */
static int move_block(struct settler *st, size_t j)
{
	struct settle_job *job = st->job;
	unsigned bits = job->b->bits;
	size_t nbins = (size_t)1 << bits;
	struct mj_idblock *from = &job->from[j];
	/* Each bin's start, kept by bin (settling a bin reads the starts of
	 * every block's piece of it one after another). */
	uint32_t *next = st->next;
	if (!next && !(next = st->next = malloc((nbins + 1) * sizeof *next)))
		return -1;
	memset(next, 0, (nbins + 1) * sizeof *next);
	for (size_t i = 0; i < from->n; i++)
		next[bin_of(&from->v[i], bits) + 1]++;
	for (size_t i = 0; i < nbins; i++)
		next[i + 1] += next[i];
	for (size_t i = 0; i <= nbins; i++)
		job->start[i * job->nblocks + j] = next[i];
	struct mj_idblock to = {0};
	if (take_block(job, from->n, from->bytes, &to) != 0)
		return -1;
	for (size_t i = 0; i < from->n; i++) {
		struct mj_idshort note = from->v[i];
		to.v[next[bin_of(&note, bits)]++] = note;
	}
	to.n = from->n;
	to.base = from->base;
	job->to[j] = to;
	pthread_mutex_lock(&job->lock);
	job->spare[job->nspare++] = *from;
	pthread_mutex_unlock(&job->lock);
	memset(from, 0, sizeof *from);
	return 0;
}

static void *move_blocks(void *arg)
{
	struct settler *st = arg;
	struct settle_job *job = st->job;
	for (;;) {
		size_t j = atomic_fetch_add(&job->next, 1);
		if (j >= job->nblocks || atomic_load(&job->nomem))
			break;
		if (move_block(st, j) != 0)
			atomic_store(&job->nomem, 1);
	}
	return NULL;
}

static int same_id(const struct mj_idnote *a, uint64_t key, uint64_t pos)
{
	return a->key == key && mj_idpos_check(a->pos) == mj_idpos_check(pos);
}

/* The slot of the id (key, pos's check) in a table of cap slots: its own,
 * or the empty one where it goes. */
static struct mj_idnote *slot_of(struct mj_idnote *table, size_t cap, uint64_t key, uint64_t pos)
{
	size_t i = key & (cap - 1);
	while (table[i].key && !same_id(&table[i], key, pos))
		i = (i + 1) & (cap - 1);
	return &table[i];
}

/* Settles one bin: its kept ids and its new notes go into the table, each
 * slot keeping its id's earliest place; every other place is a duplicate
 * of the slot's. */
static int settle_bin(struct settler *st, size_t bin)
{
	struct settle_job *job = st->job;
	struct mj_idbins *b = job->b;
	const uint32_t *start = job->start + bin * job->nblocks, *end = start + job->nblocks;
	size_t nnew = 0;
	for (size_t j = 0; j < job->nblocks; j++)
		nnew += end[j] - start[j];
	if (!nnew)
		return 0;
	size_t n = b->nfirst[bin] + nnew, cap = 16;
	while (cap < 4 * n)
		cap *= 2;
	if (cap > st->cap) {
		free(st->table);
		st->table = malloc(cap * sizeof *st->table);
		st->cap = st->table ? cap : 0;
		if (!st->table)
			return -1;
	}
	memset(st->table, 0, cap * sizeof *st->table);
	for (size_t j = 0; j < b->nfirst[bin]; j++) {
		const struct mj_idnote *id = &b->first[bin][j];
		*slot_of(st->table, cap, id->key, id->pos) = *id;
	}
	st->nlater = 0;
	for (size_t j = 0; j < job->nblocks; j++) {
		const struct mj_idshort *notes = job->to[j].v;
		uint64_t base = job->to[j].base;
		/* The next piece's first notes are on their way meanwhile. */
		if (j + 1 < job->nblocks)
			__builtin_prefetch(job->to[j + 1].v + start[j + 1]);
		for (size_t i = start[j]; i < end[j]; i++) {
			struct mj_idnote note = mj_idshort_note(&notes[i], base);
			struct mj_idnote *slot = slot_of(st->table, cap, note.key, note.pos);
			if (!slot->key) {
				*slot = note;
				continue;
			}
			if (mj_idpos_order(note.pos) < mj_idpos_order(slot->pos)) {
				struct mj_idnote was = *slot;
				slot->pos = note.pos;
				note = was;
			}
			if (mj_grow(&st->later, &st->caplater, st->nlater, sizeof *st->later) != 0)
				return -1;
			st->later[st->nlater++] = note;
		}
	}
	/* Each place that is not first, with the first place of its id. */
	for (size_t j = 0; j < st->nlater; j++) {
		const struct mj_idnote *later = &st->later[j];
		const struct mj_idnote *first = slot_of(st->table, cap, later->key, later->pos);
		if (mj_grow(&st->dups, &st->capdups, st->ndups, sizeof *st->dups) != 0)
			return -1;
		st->dups[st->ndups++] = (struct mj_iddup){later->pos, first->pos};
	}
	size_t kept = n - st->nlater;
	if (!job->keep) {
		st->added += kept - b->nfirst[bin];
		return 0;
	}
	struct mj_idnote *ids = malloc(kept * sizeof *ids);
	if (!ids)
		return -1;
	size_t m = 0;
	for (size_t i = 0; i < cap; i++)
		if (st->table[i].key)
			ids[m++] = st->table[i];
	free(b->first[bin]);
	b->first[bin] = ids;
	b->nfirst[bin] = m;
	return 0;
}

static void *settle_bins(void *arg)
{
	struct settler *st = arg;
	struct settle_job *job = st->job;
	size_t nbins = (size_t)1 << job->b->bits;
	for (;;) {
		size_t bin = atomic_fetch_add(&job->next, 1);
		if (bin >= nbins || atomic_load(&job->nomem))
			break;
		if (settle_bin(st, bin) != 0)
			atomic_store(&job->nomem, 1);
	}
	return NULL;
}

/* Runs fn on n threads, one of them this one, each with its settler. */
static void on_threads(struct settler *st, size_t n, void *(*fn)(void *))
{
	pthread_t tid[64];
	size_t started = 1;
	atomic_store(&st[0].job->next, 0);
	while (started < n && pthread_create(&tid[started], NULL, fn, &st[started]) == 0)
		started++;
	fn(&st[0]);
	for (size_t t = 1; t < started; t++)
		pthread_join(tid[t], NULL);
}

static int larger_first(const void *a, const void *b)
{
	size_t x = ((const struct mj_idblock *)a)->cap, y = ((const struct mj_idblock *)b)->cap;
	return (x < y) - (x > y);
}

/* Takes the blocks of the fills into job->from, largest first (a fill
 * makes a block for a note, so each holds one at least); the ids they note
 * in *notes. -1 when out of memory. */
static int take_fills(struct settle_job *job, struct mj_idfill *fills, size_t nfills,
		      size_t *notes)
{
	size_t nblocks = 0;
	*notes = 0;
	for (size_t k = 0; k < nfills; k++) {
		fill_close(&fills[k]);
		nblocks += fills[k].nblocks;
	}
	if (!(job->from = calloc(nblocks ? nblocks : 1, sizeof *job->from)))
		return -1;
	for (size_t k = 0; k < nfills; k++) {
		for (size_t i = 0; i < fills[k].nblocks; i++) {
			*notes += fills[k].blocks[i].n;
			job->from[job->nblocks++] = fills[k].blocks[i];
		}
		fills[k].nblocks = 0;
		fills[k].at = fills[k].end = NULL;
	}
	qsort(job->from, job->nblocks, sizeof *job->from, larger_first);
	return 0;
}

int mj_idbins_settle(struct mj_idbins *b, struct mj_idfill *fills, size_t nfills,
		     unsigned threads, int keep, struct mj_iddup **dups, size_t *ndups)
{
	*dups = NULL;
	*ndups = 0;
	size_t nthreads = threads < 1 ? 1 : threads > 64 ? 64 : threads;
	struct settle_job job = {.b = b, .keep = keep};
	pthread_mutex_init(&job.lock, NULL);
	struct settler *st = calloc(nthreads, sizeof *st);
	size_t notes;
	int rc = -1;
	if (!st || take_fills(&job, fills, nfills, &notes) != 0)
		goto done;
	/* As many bins as the ids need, old and new. */
	if (prepare_bins(b, b->ids + notes) != 0)
		goto done;
	size_t nbins = (size_t)1 << b->bits;
	size_t nb = job.nblocks ? job.nblocks : 1;
	job.to = calloc(nb, sizeof *job.to);
	job.spare = calloc(nb, sizeof *job.spare);
	job.start = calloc(nb * (nbins + 1), sizeof *job.start);
	if (!job.to || !job.spare || !job.start)
		goto done;
	for (size_t t = 0; t < nthreads; t++)
		st[t].job = &job;
	on_threads(st, nthreads < job.nblocks ? nthreads : job.nblocks, move_blocks);
	/* The blocks left over hold nothing the bins need. */
	for (size_t i = 0; i < job.nspare; i++)
		block_free(&job.spare[i]);
	job.nspare = 0;
	if (!atomic_load(&job.nomem))
		on_threads(st, nthreads < nbins ? nthreads : nbins, settle_bins);
	if (atomic_load(&job.nomem))
		goto done;
	for (size_t t = 0; t < nthreads; t++)
		*ndups += st[t].ndups;
	if (*ndups && !(*dups = malloc(*ndups * sizeof **dups)))
		goto done;
	size_t at = 0;
	for (size_t t = 0; t < nthreads; t++) {
		if (st[t].ndups)
			memcpy(*dups + at, st[t].dups, st[t].ndups * sizeof **dups);
		at += st[t].ndups;
	}
	rc = 0;
done:
	if (rc != 0)
		*ndups = 0;
	b->ids = 0;
	for (size_t i = 0; b->nfirst && i < (size_t)1 << b->bits; i++)
		b->ids += b->nfirst[i];
	for (size_t t = 0; st && t < nthreads; t++) {
		b->ids += st[t].added;
		free(st[t].table);
		free(st[t].later);
		free(st[t].dups);
		free(st[t].next);
	}
	for (size_t j = 0; j < job.nblocks; j++) {
		block_free(&job.from[j]);
		if (job.to)
			block_free(&job.to[j]);
	}
	for (size_t i = 0; i < job.nspare; i++)
		block_free(&job.spare[i]);
	pthread_mutex_destroy(&job.lock);
	free(st);
	free(job.from);
	free(job.to);
	free(job.spare);
	free(job.start);
	return rc;
}

/* Between bins and the table of ids read in order ------------------------- */

int mj_idbins_to_set(struct mj_idbins *b, struct mj_idset *s, size_t more)
{
	if (mj_idset_reserve(s, b->ids + more) != 0)
		return -1;
	size_t nbins = b->first ? (size_t)1 << b->bits : 0;
	for (size_t i = 0; i < nbins; i++) {
		for (size_t j = 0; j < b->nfirst[i]; j++) {
			uint64_t other;
			mj_idset_add(s, b->first[i][j].key, b->first[i][j].pos, &other);
		}
		free(b->first[i]);
		b->first[i] = NULL;
		b->nfirst[i] = 0;
	}
	b->ids = 0;
	return 0;
}

int mj_idbins_from_set(struct mj_idbins *b, struct mj_idset *s)
{
	if (prepare_bins(b, b->ids + s->used) != 0)
		return -1;
	size_t nbins = (size_t)1 << b->bits;
	size_t *count = calloc(nbins, sizeof *count);
	if (!count)
		return -1;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].key)
			count[mj_idbin_of(s->slots[i].key, b->bits)]++;
	for (size_t i = 0; i < nbins; i++) {
		if (!count[i])
			continue;
		struct mj_idnote *v = realloc(b->first[i], (b->nfirst[i] + count[i]) * sizeof *v);
		if (!v) {
			free(count);
			return -1;
		}
		b->first[i] = v;
	}
	free(count);
	for (size_t i = 0; i < s->cap; i++) {
		const struct mj_idslot *slot = &s->slots[i];
		if (!slot->key)
			continue;
		size_t to = mj_idbin_of(slot->key, b->bits);
		b->first[to][b->nfirst[to]++] = (struct mj_idnote){slot->key, slot->pos};
	}
	b->ids += s->used;
	mj_idset_free(s);
	return 0;
}

void mj_idbins_free(struct mj_idbins *b)
{
	for (size_t i = 0; b->first && i < (size_t)1 << b->bits; i++)
		free(b->first[i]);
	free(b->first);
	free(b->nfirst);
	memset(b, 0, sizeof *b);
}
