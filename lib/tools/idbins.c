/* The ids of a file read in parts, settled bin by bin (see idbins.h). */
#include "idbins.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "bigmap.h"
#include "grow.h"

/* About this many ids a bin at most: its settling table, four slots an
 * id of 16 bytes each, then stays within a core's cache. */
#define BIN_IDS 16384
/* A fill's room is reserved for MJ_IDNOTES_ROOM notes (address space,
 * no memory: 8 GB, more than a part ever holds) and made usable from
 * FIRST_NOTES on, doubling: a small file takes little memory, and a
 * large one grows in place, never moved or copied. */
#ifndef MJ_IDNOTES_ROOM
#define MJ_IDNOTES_ROOM ((size_t)1 << 29)
#endif
#define FIRST_NOTES ((size_t)4096)
/* Notes in a cache line. */
#define LINE_NOTES (64 / sizeof(struct mj_idnote))

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

static void notes_free(struct mj_idnotes *s)
{
	mj_bigmap_free(s->map, s->map_len);
	memset(s, 0, sizeof *s);
}

/* Makes room for n notes in s, keeping those it holds. Returns -1 when
 * out of memory, leaving s as it was. */
static int notes_reserve(struct mj_idnotes *s, size_t n)
{
	if (n <= s->cap)
		return 0;
	size_t cap = s->cap ? 2 * s->cap : FIRST_NOTES;
	while (cap < n)
		cap *= 2;
	if (cap <= s->room) {
		if (mj_bigmap_commit(s->v, s->cap * sizeof *s->v, cap * sizeof *s->v) != 0)
			return -1;
		s->cap = cap;
		return 0;
	}
	/* A reservation of its own, at first or past the one it had, the
	 * notes so far copied in. Under a limit of address space (ulimit -v)
	 * a reservation counts against it as memory would: only twice what
	 * is needed then, moved when outgrown. */
	struct mj_idnotes t = {0};
	struct rlimit limit;
	int limited = getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY;
	t.room = limited ? 2 * cap : MJ_IDNOTES_ROOM > cap ? MJ_IDNOTES_ROOM : cap;
	if (!(t.v = mj_bigmap_reserve(t.room * sizeof *t.v, &t.map, &t.map_len))) {
		t.room = cap;
		if (!(t.v = mj_bigmap_reserve(t.room * sizeof *t.v, &t.map, &t.map_len)))
			return -1;
	}
	if (mj_bigmap_commit(t.v, 0, cap * sizeof *t.v) != 0) {
		notes_free(&t);
		return -1;
	}
	t.cap = cap;
	if (s->cap)
		memcpy(t.v, s->v, s->cap * sizeof *t.v);
	notes_free(s);
	*s = t;
	return 0;
}

int mj_idfill_init(struct mj_idfill *f)
{
	memset(f, 0, sizeof *f);
	f->count = calloc((size_t)1 << MJ_IDBINS_MAX_BITS, sizeof *f->count);
	return f->count ? 0 : -1;
}

void mj_idfill_free(struct mj_idfill *f)
{
	notes_free(&f->notes);
	free(f->count);
	memset(f, 0, sizeof *f);
}

int mj_idfill_grow(struct mj_idfill *f)
{
	size_t n = (size_t)(f->at - f->notes.v);
	if (notes_reserve(&f->notes, n + 1) != 0)
		return -1;
	f->at = f->notes.v + n;
	f->end = f->notes.v + f->notes.cap;
	return 0;
}

/* The notes f holds. */
static size_t fill_count(const struct mj_idfill *f)
{
	return (size_t)(f->at - f->notes.v);
}

/* Settling ---------------------------------------------------------------- */

/* Each fill's notes are first moved into an array of their own, bin after
 * bin (each thread takes whole fills), then the bins are settled (each
 * thread takes whole bins, whose notes are one piece of each fill's
 * array). A thread moves a fill into its spare room, and the fill's own
 * room, read to the end, is its spare room for the next fill: fresh pages
 * cost the kernel a page of zeros each, as much as the move itself, so
 * only a thread's first fill takes new ones. */

struct settle_job {
	struct mj_idbins *b;
	struct mj_idfill *fills;
	size_t nfills;
	int keep;               /* whether the bins keep the new ids */
	struct mj_idnotes *moved;       /* each fill's notes, by bin */
	size_t *count;          /* fill k's notes in bin i: [k << bits | i] */
	size_t *bin_end;        /* where they end in the fill's array */
	atomic_size_t next;     /* the next fill or bin to take */
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
	struct mj_idnote (*line)[LINE_NOTES]; /* each bin's notes on their way */
	struct mj_idnotes spare;        /* room for the next fill's notes */
};

/* Writes a whole line of notes to its place (64 bytes, aligned). The notes
 * are not read again until every fill is moved, so where the processor can
 * they go to memory without passing through the cache: without a read of
 * the line first, and without pushing out what the cache holds. */
static void put_line(struct mj_idnote *to, const struct mj_idnote *line)
{
#ifdef __SSE2__
	const __m128i *from = (const __m128i *)(const void *)line;
	__m128i *dst = (__m128i *)(void *)to;
	for (size_t i = 0; i < LINE_NOTES; i++)
		_mm_stream_si128(dst + i, _mm_load_si128(from + i));
#else
	memcpy(to, line, LINE_NOTES * sizeof *to);
#endif
}

/* Moves fill k's notes to their bins' pieces of its array (the thread's
 * spare room, which the fill's room replaces): a bin's notes gather in a
 * line of the thread's own (the scattered writes stay in the cache) and
 * go out a whole line at a time. Each piece starts at a line; 0 or -1
 * when out of memory. */
static int move_fill(struct settler *st, size_t k)
{
	struct settle_job *job = st->job;
	unsigned bits = job->b->bits;
	size_t nbins = (size_t)1 << bits;
	struct mj_idfill *f = &job->fills[k];
	size_t *count = job->count + (k << bits), *next = job->bin_end + (k << bits);
	/* A bin of fewer bits holds the counts of several finer ones. */
	unsigned finer = MJ_IDBINS_MAX_BITS - bits;
	for (size_t j = 0; j < (size_t)1 << MJ_IDBINS_MAX_BITS; j++)
		count[j >> finer] += f->count[j];
	size_t total = 0;
	for (size_t i = 0; i < nbins; i++) {
		next[i] = total;
		total += (count[i] + LINE_NOTES - 1) / LINE_NOTES * LINE_NOTES;
	}
	if (!total)
		return 0;
	struct mj_idnotes *to = &st->spare;
	if (notes_reserve(to, total) != 0)
		return -1;
	if (!st->line && !(st->line = aligned_alloc(64, nbins * sizeof *st->line)))
		return -1;
	const struct mj_idnote *from = f->notes.v;
	for (size_t i = 0, n = fill_count(f); i < n; i++) {
		size_t bin = mj_idbin_of(from[i].key, bits), at = next[bin]++;
		st->line[bin][at % LINE_NOTES] = from[i];
		if (at % LINE_NOTES == LINE_NOTES - 1)
			put_line(to->v + at + 1 - LINE_NOTES, st->line[bin]);
	}
	/* The notes of each bin's last line, if it is not full. */
	for (size_t i = 0; i < nbins; i++)
		memcpy(to->v + next[i] - next[i] % LINE_NOTES, st->line[i],
		       next[i] % LINE_NOTES * sizeof *to->v);
#ifdef __SSE2__
	_mm_sfence();
#endif
	job->moved[k] = *to;
	*to = f->notes;
	f->notes = (struct mj_idnotes){0};
	f->at = f->end = NULL;
	return 0;
}

static void *move_fills(void *arg)
{
	struct settler *st = arg;
	struct settle_job *job = st->job;
	for (;;) {
		size_t k = atomic_fetch_add(&job->next, 1);
		if (k >= job->nfills || atomic_load(&job->nomem))
			break;
		if (move_fill(st, k) != 0)
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
	unsigned bits = b->bits;
	size_t nnew = 0;
	for (size_t k = 0; k < job->nfills; k++)
		nnew += job->count[k << bits | bin];
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
	for (size_t k = 0; k < job->nfills; k++) {
		size_t end = job->bin_end[k << bits | bin], count = job->count[k << bits | bin];
		if (!count)
			continue;       /* a part without notes has no array */
		const struct mj_idnote *notes = job->moved[k].v + end - count;
		for (size_t j = 0; j < count; j++) {
		struct mj_idnote note = notes[j];
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

int mj_idbins_settle(struct mj_idbins *b, struct mj_idfill *fills, size_t nfills,
		     unsigned threads, int keep, struct mj_iddup **dups, size_t *ndups)
{
	*dups = NULL;
	*ndups = 0;
	/* As many bins as the ids need, old and new. */
	size_t notes = 0;
	for (size_t k = 0; k < nfills; k++)
		for (size_t j = 0; j < (size_t)1 << MJ_IDBINS_MAX_BITS; j++)
			notes += fills[k].count[j];
	if (prepare_bins(b, b->ids + notes) != 0)
		return -1;
	size_t nbins = (size_t)1 << b->bits;
	size_t nthreads = threads < 1 ? 1 : threads > 64 ? 64 : threads;
	struct settle_job job = {.b = b, .fills = fills, .nfills = nfills, .keep = keep};
	struct settler *st = calloc(nthreads, sizeof *st);
	job.moved = calloc(nfills ? nfills : 1, sizeof *job.moved);
	job.count = calloc((nfills ? nfills : 1) * nbins, sizeof *job.count);
	job.bin_end = malloc((nfills ? nfills : 1) * nbins * sizeof *job.bin_end);
	int rc = -1;
	if (!st || !job.moved || !job.count || !job.bin_end)
		goto done;
	for (size_t t = 0; t < nthreads; t++)
		st[t].job = &job;
	on_threads(st, nthreads < nfills ? nthreads : nfills, move_fills);
	/* The rooms left over hold nothing the bins need. */
	for (size_t t = 0; t < nthreads; t++)
		notes_free(&st[t].spare);
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
	for (size_t i = 0; b->nfirst && i < nbins; i++)
		b->ids += b->nfirst[i];
	for (size_t t = 0; st && t < nthreads; t++) {
		b->ids += st[t].added;
		free(st[t].table);
		free(st[t].later);
		free(st[t].dups);
		free(st[t].line);
		notes_free(&st[t].spare);
	}
	for (size_t k = 0; job.moved && k < nfills; k++)
		notes_free(&job.moved[k]);
	free(st);
	free(job.moved);
	free(job.count);
	free(job.bin_end);
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
