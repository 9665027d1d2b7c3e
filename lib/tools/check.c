/* mj-check's work: validate rows, find duplicate ids with a compact hash
 * set, write canonical rows and a rejects file. */
#include "murojaat/chart.h"
#include "murojaat/check.h"

#include <fcntl.h>
#include <glib.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dateorder.h"
#include "scan.h"
#include "schema_internal.h"
#include "i18n.h"
#include "text.h"

/* Each id is remembered as 16 bytes: a 64-bit hash, a 16-bit second hash,
 * and where it was first seen (file index, line). Two ids are taken as the
 * same when all 80 hash bits agree: for ten million ids a false report has
 * a probability below 1e-8. */
struct id_entry {
	uint64_t hash;
	uint32_t line;
	uint16_t file;
	uint16_t check;
};

struct id_set {
	struct id_entry *slots;
	size_t cap, used;
	void *map;              /* the mapping that holds a large table, or NULL */
	size_t map_len;
};

/* The ids are kept in ID_SHARDS tables by the top bits of their hash, so
 * that threads can look them up apart (each its own shards) and each
 * table is filled in file order whatever the threads. */
#define ID_SHARD_BITS 3
#define ID_SHARDS (1u << ID_SHARD_BITS)

static size_t id_shard(uint64_t h)
{
	return (size_t)(h >> (64 - ID_SHARD_BITS));
}

/* Tables from this size on are mapped apart, in huge pages where the
 * system gives them: an id's slot is a random place in the table, and
 * small pages would make each a page fault and a TLB miss. */
#define ID_MAP_BYTES (4u << 20)
#define HUGE_PAGE (2u << 20)

/* A zeroed table of cap entries; *map and *map_len are set when it is a
 * mapping of its own. */
static struct id_entry *table_alloc(size_t cap, void **map, size_t *map_len)
{
	size_t bytes = cap * sizeof(struct id_entry);
	*map = NULL;
	*map_len = 0;
	if (bytes < ID_MAP_BYTES)
		return calloc(cap, sizeof(struct id_entry));
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
	return (struct id_entry *)(void *)aligned;
}

static void table_free(struct id_entry *slots, void *map, size_t map_len)
{
	if (map)
		munmap(map, map_len);
	else
		free(slots);
}

/* About how many rows a regular file holds, from the length of its first
 * lines: the id table is made that large at once, not grown step by step
 * (each step moves every id to a new random place). 0 when unknown. */
static size_t rows_estimate(const char *path)
{
	int fd = strcmp(path, "-") == 0 ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	char head[65536];
	ssize_t got = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? pread(fd, head, sizeof head, 0) : -1;
	close(fd);
	size_t lines = 0;
	for (ssize_t i = 0; i < got; i++)
		lines += head[i] == '\n';
	if (got <= 0 || lines < 2)
		return 0;
	return (size_t)((double)st.st_size / ((double)got / (double)lines));
}

static uint64_t mix(uint64_t h)
{
	/* The splitmix64 finaliser. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	return h;
}

/* Two hashes of an id from one pass over its bytes, 8 at a time: a 64-bit
 * one and a 16-bit check, from two lanes with different multipliers. */
static void hash_id(const char *s, size_t n, uint64_t *hash, uint16_t *check)
{
	uint64_t a = 0x9E3779B97F4A7C15ull ^ n, b = 0x5bd1e9955bd1e995ull ^ (n << 32);
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		a = (a ^ w) * 0xff51afd7ed558ccdull;
		a ^= a >> 32;
		b = (b ^ w) * 0xc4ceb9fe1a85ec53ull;
		b ^= b >> 29;
	}
	if (i < n) {
		uint64_t w = 0;
		memcpy(&w, s + i, n - i);
		a = (a ^ w) * 0xff51afd7ed558ccdull;
		b = (b ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	*hash = mix(a);
	*check = (uint16_t)(mix(b) >> 48);
}

/* Makes room for want ids in all; -1 when out of memory. */
static int id_reserve(struct id_set *set, size_t want)
{
	if (want * 10 <= set->cap * 7)
		return 0;
	size_t cap = set->cap ? set->cap * 2 : 1024;
	while (want * 10 > cap * 7)
		cap *= 2;
	void *map;
	size_t map_len;
	struct id_entry *slots = table_alloc(cap, &map, &map_len);
	if (!slots)
		return -1;
	for (size_t i = 0; i < set->cap; i++) {
		if (!set->slots[i].line)
			continue;
		size_t j = set->slots[i].hash & (cap - 1);
		while (slots[j].line)
			j = (j + 1) & (cap - 1);
		slots[j] = set->slots[i];
	}
	table_free(set->slots, set->map, set->map_len);
	set->slots = slots;
	set->cap = cap;
	set->map = map;
	set->map_len = map_len;
	return 0;
}

/* Returns the earlier entry when the id with these hashes was seen, NULL
 * when it is new (and is then remembered); id_reserve() first. */
static const struct id_entry *id_seen(struct id_set *set, uint64_t h, uint16_t check,
				      uint32_t line, uint16_t file)
{
	size_t j = h & (set->cap - 1);
	while (set->slots[j].line) {
		if (set->slots[j].hash == h && set->slots[j].check == check)
			return &set->slots[j];
		j = (j + 1) & (set->cap - 1);
	}
	set->slots[j] = (struct id_entry){h, line ? line : 1, file, check};
	set->used++;
	return NULL;
}

struct checker {
	const struct mj_check_opts *o;
	const struct mj_schema *s;
	struct mj_normaliser *norm;
	struct mj_check_stats *stats;
	struct id_set ids[ID_SHARDS];
	size_t rows_hint;       /* rows the file being read may hold (ids to make room for) */
	const char *const *files;
	size_t file;
	const char *path;
	int header_done;
	struct mj_record rec;
	GString *reasons;
	size_t problems;
	int nomem;
	enum mj_status status;
	struct mj_error *err;
	int fixed_header_done, rejects_header_done;
	char sheet[MJ_SHEET_NAME_MAX]; /* the workbook's sheet being read, "" for text */
};

static void on_problem(void *ctx, const struct mj_error *e, int fatal)
{
	struct checker *c = ctx;
	if (fatal && e->status != MJ_OK) {
		/* It stops the file, which reports it once. */
		if (c->status == MJ_OK) {
			*c->err = *e;
			c->status = e->status;
		}
		return;
	}
	if (e->status != MJ_OK) {
		c->problems++;
		if (c->reasons->len)
			g_string_append(c->reasons, "; ");
		g_string_append(c->reasons, e->message);
	}
	if (c->o->on_problem)
		c->o->on_problem(c->o->ctx, e, fatal);
}

/* The columns of canonical output: every dimension read from files. */
static int is_input_dim(const struct mj_dim *d)
{
	return d->kind != MJ_DIM_DERIVED;
}

static void write_fixed(struct checker *c)
{
	FILE *out = c->o->fixed;
	const struct mj_schema *s = c->s;
	if (!c->fixed_header_done) {
		int first = 1;
		for (size_t d = 0; d < s->ndims; d++)
			if (is_input_dim(&s->dims[d])) {
				fprintf(out, "%s%s", first ? "" : ",", s->dims[d].name);
				first = 0;
			}
		fputc('\n', out);
		c->fixed_header_done = 1;
	}
	int first = 1;
	char buf[32];
	for (size_t d = 0; d < s->ndims; d++) {
		const struct mj_dim *dim = &s->dims[d];
		if (!is_input_dim(dim))
			continue;
		if (!first)
			fputc(',', out);
		first = 0;
		int v = c->rec.value[d];
		switch (dim->kind) {
		case MJ_DIM_ID:
			if (c->rec.id)
				mj_csv_put_field(out, c->rec.id, strlen(c->rec.id), ',');
			break;
		case MJ_DIM_DATE:
			if (c->rec.year)
				fprintf(out, "%04d-%02d-%02d", c->rec.year % 10000,
					c->rec.month % 100, c->rec.day % 100);
			break;
		case MJ_DIM_INTEGER:
			if (v != MJ_MISSING)
				fprintf(out, "%ld", c->rec.number[d]);
			break;
		case MJ_DIM_OPEN:
			if (v != MJ_MISSING) {
				const char *label = mj_normaliser_open_label(c->norm, d, v);
				mj_csv_put_field(out, label, strlen(label), ',');
			}
			break;
		case MJ_DIM_CATEGORY:
			if (c->rec.mentions[d]) {
				/* Several categories of a multi-response dimension,
				 * in schema order: "physical;psychological". */
				int sep = 0;
				for (size_t k = 0; k < dim->ncats && k < 64; k++)
					if (c->rec.mentions[d] & (1ull << k)) {
						fprintf(out, "%s%s", sep ? ";" : "", dim->cats[k].code);
						sep = 1;
					}
			} else if (v != MJ_MISSING) {
				mj_csv_put_field(out, dim->cats[v].code, strlen(dim->cats[v].code), ',');
			}
			break;
		case MJ_DIM_DERIVED:
			break;
		}
	}
	(void)buf;
	fputc('\n', out);
}

static void write_reject(struct checker *c, const struct mj_field *fields,
			 size_t nfields, unsigned long line)
{
	FILE *out = c->o->rejects;
	if (!c->rejects_header_done) {
		fputs("file,line,reason,fields...\n", out);
		c->rejects_header_done = 1;
	}
	mj_csv_put_field(out, c->path, strlen(c->path), ',');
	fprintf(out, ",%lu,", line);
	mj_csv_put_field(out, c->reasons->str, c->reasons->len, ',');
	for (size_t i = 0; i < nfields; i++) {
		fputc(',', out);
		mj_csv_put_field(out, fields[i].text, fields[i].len, ',');
	}
	fputc('\n', out);
}

static int on_row(void *ctx, const struct mj_field *fields, size_t nfields,
		  unsigned long line)
{
	struct checker *c = ctx;
	if (!c->header_done) {
		c->header_done = 1;
		struct mj_error e;
		mj_error_clear(&e);
		if (mj_normaliser_header(c->norm, c->path, fields, nfields, line,
					 on_problem, c, &e) != MJ_OK) {
			*c->err = e;
			c->status = e.status;
			return 1;
		}
		return 0;
	}
	c->stats->read++;
	c->problems = 0;
	g_string_truncate(c->reasons, 0);
	/* The id's slot is a random place in a large table: it is hashed and
	 * fetched now, and looked at after the row is read. */
	uint64_t id_hash = 0;
	uint16_t id_check = 0;
	int id_col = mj_normaliser_id_column(c->norm);
	if (id_col >= 0 && (size_t)id_col < nfields) {
		/* At a file's first id, room for all its rows at once. */
		for (size_t k = 0; c->rows_hint && k < ID_SHARDS; k++)
			if (id_reserve(&c->ids[k], c->ids[k].used + 1 + c->rows_hint / ID_SHARDS +
				       c->rows_hint / (ID_SHARDS * 8)) != 0)
				c->nomem = 1;
		c->rows_hint = 0;
		hash_id(fields[id_col].text, fields[id_col].len, &id_hash, &id_check);
		struct id_set *set = &c->ids[id_shard(id_hash)];
		if (c->nomem || id_reserve(set, set->used + 1) != 0) {
			c->nomem = 1;
			return 1;
		}
		__builtin_prefetch(&set->slots[id_hash & (set->cap - 1)]);
	}
	mj_normaliser_row(c->norm, fields, nfields, line, &c->rec, on_problem, c);
	if (c->status != MJ_OK)
		return 1;
	if (c->rec.id && c->rec.id_len) {
		/* The normaliser's id is the field hashed above. */
		const struct id_entry *first = id_seen(&c->ids[id_shard(id_hash)], id_hash, id_check,
						       (uint32_t)line, (uint16_t)c->file);
		if (first) {
			struct mj_error e;
			const char *where = c->files[first->file];
			mj_error_set(&e, MJ_E_VALUE, c->path, line, 0,
				     "column 'id': duplicate id (first seen at %s%s%u)",
				     strcmp(where, "-") == 0 ? "<stdin>" : where,
				     c->sheet[0] ? MJ_(", row ") : ":", first->line);
			/* In a workbook the place is the id's cell. */
			snprintf(e.sheet, sizeof e.sheet, "%s", c->sheet);
			for (size_t i = 0; c->sheet[0] && i < nfields; i++)
				if (c->rec.id >= fields[i].text &&
				    c->rec.id <= fields[i].text + fields[i].len)
					e.column = i + 1;
			c->stats->duplicates++;
			on_problem(c, &e, 0);
		}
	}
	if (c->problems) {
		c->stats->rejected++;
		if (c->o->rejects)
			write_reject(c, fields, nfields, line);
	} else {
		c->stats->valid++;
		if (c->o->fixed)
			write_fixed(c);
	}
	return 0;
}

/* Parallel checking ------------------------------------------------------ */

/* A regular UTF-8 file whose rows are not written out (no --fix, no
 * --rejects) is checked in parts by several threads. Each part validates
 * its rows with its own normaliser, holds back its problems and logs the
 * hash of every id in row order; after the scan the ids go through the
 * id set in file order (so that the first of two equal ids is the one
 * kept, as in sequence) and the problems are reported in file order with
 * the duplicates between them: the same messages, counts and exit status
 * as one thread gives. */

struct held_problem {
	enum mj_status status;
	int fatal;
	unsigned long line, column;
	size_t msg;             /* offset of the message in the part's text */
};

struct id_log {
	uint64_t hash;
	uint32_t line;          /* the part's own line */
	uint16_t check;
	uint16_t rejected;      /* the row had other problems */
};

/* Problems a part may hold back; a file with more is checked again in
 * sequence (memory stays bounded, the result is the same). */
#define HELD_MAX 200000

struct part {
	struct checker *c;
	struct mj_normaliser *norm;
	int header_done;
	unsigned long long read, valid, rejected;
	struct mj_record rec;
	size_t row_problems;
	struct held_problem *held;
	size_t nheld, capheld;
	GString *text;
	struct id_log *ids;
	size_t nids, capids;
	enum mj_status status;
	struct mj_error err;
	int overflow;           /* too much held back: the file is read again */
	int nomem;
};

static void part_problem(void *ctx, const struct mj_error *e, int fatal)
{
	struct part *p = ctx;
	if (fatal && e->status != MJ_OK) {
		if (p->status == MJ_OK) {
			p->err = *e;
			p->status = e->status;
		}
		return;
	}
	if (e->status != MJ_OK)
		p->row_problems++;
	/* Only problems placed in this file are held back compactly. */
	if (p->nheld == HELD_MAX || e->sheet[0] || strcmp(e->path, p->c->path) != 0) {
		p->overflow = 1;
		return;
	}
	if (p->nheld == p->capheld) {
		size_t cap = p->capheld ? p->capheld * 2 : 64;
		struct held_problem *held = realloc(p->held, cap * sizeof *held);
		if (!held) {
			p->nomem = 1;
			return;
		}
		p->held = held;
		p->capheld = cap;
	}
	p->held[p->nheld++] = (struct held_problem){e->status, fatal, e->line, e->column,
						    p->text->len};
	g_string_append_len(p->text, e->message, (gssize)strlen(e->message) + 1);
}

static int part_row(void *ctx, const struct mj_field *fields, size_t nfields,
		    unsigned long line)
{
	struct part *p = ctx;
	if (!p->header_done) {
		p->header_done = 1;
		struct mj_error e;
		mj_error_clear(&e);
		if (mj_normaliser_header(p->norm, p->c->path, fields, nfields, line,
					 part_problem, p, &e) != MJ_OK) {
			p->err = e;
			p->status = e.status;
			return 1;
		}
		return 0;
	}
	p->read++;
	p->row_problems = 0;
	mj_normaliser_row(p->norm, fields, nfields, line, &p->rec, part_problem, p);
	if (p->status != MJ_OK || p->overflow || p->nomem)
		return 1;
	if (p->row_problems)
		p->rejected++;
	else
		p->valid++;
	int id_col = mj_normaliser_id_column(p->norm);
	if (p->rec.id && p->rec.id_len && id_col >= 0 && (size_t)id_col < nfields) {
		if (p->nids == p->capids) {
			size_t cap = p->capids ? p->capids * 2 : 4096;
			struct id_log *ids = realloc(p->ids, cap * sizeof *ids);
			if (!ids) {
				p->nomem = 1;
				return 1;
			}
			p->ids = ids;
			p->capids = cap;
		}
		struct id_log *l = &p->ids[p->nids++];
		hash_id(fields[id_col].text, fields[id_col].len, &l->hash, &l->check);
		l->line = (uint32_t)line;
		l->rejected = p->row_problems != 0;
	}
	return 0;
}

/* After the header went to part 0: the others get copies of its state. */
static int part_prepare(void **ctxs, size_t n)
{
	struct part *p0 = ctxs[0];
	for (size_t k = 1; k < n; k++) {
		struct part *p = ctxs[k];
		p->norm = mj_normaliser_clone(p0->norm);
		if (!p->norm)
			return -1;
		p->header_done = 1;
	}
	return 0;
}

struct dup {
	unsigned long line;
	uint32_t first_line;
	uint16_t first_file;
	uint16_t rejected;
};

/* Reports a duplicate id as the sequential check does. */
static void report_dup(struct checker *c, const struct dup *d)
{
	struct mj_error e;
	const char *where = c->files[d->first_file];
	mj_error_set(&e, MJ_E_VALUE, c->path, d->line, 0,
		     "column 'id': duplicate id (first seen at %s%s%u)",
		     strcmp(where, "-") == 0 ? "<stdin>" : where, ":", d->first_line);
	c->stats->duplicates++;
	if (!d->rejected) {
		c->stats->valid--;
		c->stats->rejected++;
	}
	if (c->o->on_problem)
		c->o->on_problem(c->o->ctx, &e, 0);
}

/* The duplicate ids of a file's parts among the ids of shards t, t + nt,
 * ... (one thread's share), in file order. */
struct dup_job {
	struct checker *c;
	const struct part *parts;
	const struct mj_scan_result *res;
	size_t total;           /* ids in all parts */
	size_t t, nt;
	struct dup *dups;
	size_t ndups, capdups;
	int nomem;
};

static int dup_add(struct dup_job *j, const struct dup *d)
{
	if (j->ndups == j->capdups) {
		size_t cap = j->capdups ? j->capdups * 2 : 64;
		struct dup *more = realloc(j->dups, cap * sizeof *more);
		if (!more)
			return -1;
		j->dups = more;
		j->capdups = cap;
	}
	j->dups[j->ndups++] = *d;
	return 0;
}

static void *dup_run(void *arg)
{
	struct dup_job *j = arg;
	struct checker *c = j->c;
	/* Each table made large enough at once for its share of the ids. */
	for (size_t s = j->t; s < ID_SHARDS; s += j->nt)
		if (id_reserve(&c->ids[s], c->ids[s].used + j->total / ID_SHARDS +
			       j->total / (ID_SHARDS * 8) + 16) != 0) {
			j->nomem = 1;
			return NULL;
		}
	for (size_t k = 0; k < j->res->nparts; k++) {
		if (!j->res->valid[k])
			continue;
		const struct part *p = &j->parts[k];
		unsigned long base = j->res->line_base[k] - 1;
		for (size_t i = 0; i < p->nids; i++) {
			/* The slot of an id some ids ahead is fetched now. */
			if (i + 16 < p->nids) {
				uint64_t ah = p->ids[i + 16].hash;
				if (id_shard(ah) % j->nt == j->t) {
					const struct id_set *as = &c->ids[id_shard(ah)];
					__builtin_prefetch(&as->slots[ah & (as->cap - 1)], 1);
				}
			}
			const struct id_log *l = &p->ids[i];
			size_t s = id_shard(l->hash);
			if (s % j->nt != j->t)
				continue;
			struct id_set *set = &c->ids[s];
			unsigned long line = l->line + base;
			if (id_reserve(set, set->used + 1) != 0) {
				j->nomem = 1;
				return NULL;
			}
			const struct id_entry *first = id_seen(set, l->hash, l->check,
							       (uint32_t)line, (uint16_t)c->file);
			if (first && dup_add(j, &(struct dup){line, first->line, first->file,
							     l->rejected}) != 0) {
				j->nomem = 1;
				return NULL;
			}
		}
	}
	return NULL;
}

/* Checks file in nparts parts. Returns 1 when it must be read again in
 * sequence (nothing of it was reported or counted), else 0 with *st the
 * scan's status (MJ_OK; c->nomem set when memory ran out). */
static int check_parallel(struct checker *c, const char *file, const struct mj_reader_opts *ro,
			  size_t nparts, size_t nthreads, enum mj_status *st, struct mj_error *ferr)
{
	struct part parts[MJ_SCAN_MAX_PARTS];
	void *ctxs[MJ_SCAN_MAX_PARTS];
	memset(parts, 0, nparts * sizeof *parts);
	int again = 0;
	for (size_t k = 0; k < nparts; k++) {
		parts[k].c = c;
		parts[k].text = g_string_new(NULL);
		ctxs[k] = &parts[k];
	}
	parts[0].norm = c->norm;
	struct mj_scan_result res;
	*st = mj_scan_file(file, ro, part_row, part_prepare, ctxs, nparts, &res, ferr);
	/* A file that fails, or holds too much back, is read again in
	 * sequence: it then reports what it reported before its failure. */
	again = *st != MJ_OK || !parts[0].header_done;
	for (size_t k = 0; k < res.nparts; k++)
		if (res.valid[k])
			again |= parts[k].overflow || parts[k].nomem || parts[k].status != MJ_OK;
	if (again)
		goto done;
	c->header_done = 1;
	/* The ids in file order, each thread its own shards. */
	struct dup_job jobs[MJ_SCAN_MAX_PARTS];
	size_t njobs = nthreads < ID_SHARDS ? nthreads : ID_SHARDS;
	size_t total = 0;
	for (size_t k = 0; k < res.nparts; k++)
		if (res.valid[k])
			total += parts[k].nids;
	pthread_t threads[MJ_SCAN_MAX_PARTS];
	int started[MJ_SCAN_MAX_PARTS] = {0};
	for (size_t t = 0; t < njobs; t++) {
		jobs[t] = (struct dup_job){.c = c, .parts = parts, .res = &res, .total = total,
					   .t = t, .nt = njobs};
		if (t > 0)
			started[t] = pthread_create(&threads[t], NULL, dup_run, &jobs[t]) == 0;
	}
	for (size_t t = 0; t < njobs; t++)
		if (t == 0 || !started[t])
			dup_run(&jobs[t]);
	for (size_t t = 1; t < njobs; t++)
		if (started[t])
			pthread_join(threads[t], NULL);
	/* One list in file order from the threads' lists. */
	struct dup *dups = NULL;
	size_t ndups = 0;
	for (size_t t = 0; t < njobs; t++) {
		c->nomem |= jobs[t].nomem;
		ndups += jobs[t].ndups;
	}
	if (!c->nomem && ndups && !(dups = malloc(ndups * sizeof *dups)))
		c->nomem = 1;
	for (size_t n = 0, at[MJ_SCAN_MAX_PARTS] = {0}; !c->nomem && n < ndups; n++) {
		size_t best = njobs;
		for (size_t t = 0; t < njobs; t++)
			if (at[t] < jobs[t].ndups &&
			    (best == njobs || jobs[t].dups[at[t]].line < jobs[best].dups[at[best]].line))
				best = t;
		dups[n] = jobs[best].dups[at[best]++];
	}
	for (size_t t = 0; t < njobs; t++)
		free(jobs[t].dups);
	/* Counts and problems, in file order, the duplicates among them. A
	 * file that fails reports only its failure, as in sequence. */
	if (!c->nomem) {
		size_t d = 0;
		for (size_t k = 0; k < res.nparts; k++) {
			if (!res.valid[k])
				continue;
			struct part *p = &parts[k];
			c->stats->read += p->read;
			c->stats->valid += p->valid;
			c->stats->rejected += p->rejected;
		}
		for (size_t k = 0; k < res.nparts; k++) {
			if (!res.valid[k])
				continue;
			struct part *p = &parts[k];
			unsigned long base = res.line_base[k] - 1;
			for (size_t i = 0; i < p->nheld; i++) {
				const struct held_problem *h = &p->held[i];
				struct mj_error e;
				memset(&e, 0, sizeof e);
				e.status = h->status;
				snprintf(e.path, sizeof e.path, "%s", c->path);
				e.line = h->line ? h->line + base : 0;
				e.column = h->column;
				snprintf(e.message, sizeof e.message, "%s", p->text->str + h->msg);
				while (e.line && d < ndups && dups[d].line < e.line)
					report_dup(c, &dups[d++]);
				if (c->o->on_problem)
					c->o->on_problem(c->o->ctx, &e, h->fatal);
			}
			if (k > 0)
				mj_normaliser_merge_dates(c->norm, p->norm, res.line_base[k]);
		}
		while (d < ndups)
			report_dup(c, &dups[d++]);
	}
	free(dups);
done:
	for (size_t k = 0; k < nparts; k++) {
		if (k > 0)
			mj_normaliser_destroy(parts[k].norm);
		free(parts[k].held);
		free(parts[k].ids);
		g_string_free(parts[k].text, TRUE);
	}
	return again;
}

enum mj_status mj_check_files(const struct mj_check_opts *o,
			      const char *const *files, size_t nfiles,
			      struct mj_check_stats *stats, struct mj_error *err)
{
	memset(stats, 0, sizeof *stats);
	struct checker c = {.o = o, .s = o->schema, .stats = stats, .files = files};
	c.norm = mj_normaliser_new(o->schema, NULL, NULL, err);
	if (!c.norm)
		return err ? err->status : MJ_E_NOMEM;
	c.reasons = g_string_new(NULL);
	struct mj_reader_opts ro = {.delimiter = o->delimiter, .encoding = o->encoding,
				    .sheet = o->sheet, .header_row = o->header_row,
				    .schema = o->schema, .sheet_read = c.sheet};
	mj_normaliser_set_sheet(c.norm, c.sheet);
	if (o->date_order != MJ_DATE_AUTO)
		mj_normaliser_set_date_order(c.norm, o->date_order, 1);
	enum mj_status result = MJ_OK;
	/* Rows written out go in sequence; a check alone takes every core,
	 * with more parts than threads. */
	size_t nthreads = o->threads > 0 ? (size_t)o->threads : (size_t)sysconf(_SC_NPROCESSORS_ONLN);
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > 8)
		nthreads = 8;
	size_t nparts = nthreads > 1 ? nthreads * 4 : 1;
	ro.threads = (unsigned)nthreads;
	for (size_t f = 0; f < nfiles && f < 65536; f++) {
		c.file = f;
		c.rows_hint = rows_estimate(files[f]);
		c.path = strcmp(files[f], "-") == 0 ? "<stdin>" : files[f];
		c.header_done = 0;
		c.status = MJ_OK;
		struct mj_error ferr;
		mj_error_clear(&ferr);
		c.err = &ferr;
		/* Regular UTF-8 files go through the fast scanner (in parts when
		 * no rows are written, else in one); others through the
		 * streaming reader. */
		enum mj_status st;
		/* The order of the file's dates is known before a date that
		 * needs it is checked: from a first look at a file, taken when
		 * the first such date comes (most files have none), or by
		 * holding back a stream's first rows until a date tells it. */
		int gate = 0;
		struct mj_date_lookup lookup;
		if (o->date_order == MJ_DATE_AUTO) {
			gate = !mj_date_rereadable(files[f]);
			if (gate)
				mj_normaliser_set_date_order(c.norm, MJ_DATE_AUTO, 0);
			else
				mj_date_order_defer(c.norm, &lookup, files[f], &ro, o->schema);
		}
		if (gate) {
			struct mj_dategate g;
			mj_dategate_init(&g, on_row, &c, c.norm);
			st = mj_read_rows(files[f], &ro, mj_dategate_row, &g, NULL, &ferr);
			if (mj_dategate_finish(&g) != 0 && st == MJ_OK)
				st = mj_error_set(&ferr, MJ_E_NOMEM, c.path, 0, 0, "out of memory");
			mj_dategate_free(&g);
		} else if (mj_scan_possible(files[f], &ro)) {
			if (nparts < 2 || o->fixed || o->rejects ||
			    check_parallel(&c, files[f], &ro, nparts, nthreads, &st, &ferr)) {
				void *ctxs[1] = {&c};
				struct mj_scan_result res;
				c.header_done = 0;
				st = mj_scan_file(files[f], &ro, on_row, NULL, ctxs, 1, &res, &ferr);
			}
		} else {
			st = mj_read_rows(files[f], &ro, on_row, &c, NULL, &ferr);
		}
		if (st == MJ_OK && c.status != MJ_OK)
			st = c.status;
		if (st == MJ_OK && c.nomem)
			st = mj_error_set(&ferr, MJ_E_NOMEM, c.path, 0, 0, "out of memory");
		if (st == MJ_OK && !c.header_done)
			st = mj_error_set(&ferr, MJ_E_EMPTY, c.path, 0, 0, "file is empty (no header row)");
		if (st == MJ_OK) {
			struct mj_error note;
			int has_note;
			st = mj_normaliser_date_verdict(c.norm, &note, &has_note, &ferr);
			if (has_note && o->on_problem)
				o->on_problem(o->ctx, &note, 0);
		}
		if (st != MJ_OK) {
			if (o->on_problem)
				o->on_problem(o->ctx, &ferr, 1);
			if (result == MJ_OK) {
				result = st;
				if (err)
					*err = ferr;
			}
		}
	}
	for (size_t k = 0; k < ID_SHARDS; k++) {
		stats->ids += c.ids[k].used;
		table_free(c.ids[k].slots, c.ids[k].map, c.ids[k].map_len);
	}
	g_string_free(c.reasons, TRUE);
	mj_normaliser_destroy(c.norm);
	return result;
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const char *kind_name(enum mj_dim_kind k)
{
	static const char *const names[] = {"category", "open", "integer", "date", "id", "derived"};
	return names[k];
}

/* The report's sections (mj-report(1)): one line each, in report order. */
static void explain_sections(const struct mj_schema *s, FILE *out)
{
	size_t n = mj_schema_nsections(s);
	if (n == 0) {
		fprintf(out, "\nReport sections: none (mj-report needs rows of kind section)\n");
		return;
	}
	fprintf(out, "\nReport sections (mj-report, in report order):\n");
	for (size_t i = 0; i < n; i++) {
		const struct mj_schema_section *sec = mj_schema_section(s, i);
		fprintf(out, "  %-18s by %s", sec->code, sec->by);
		if (sec->cols)
			fprintf(out, " across %s", sec->cols);
		if (sec->sum)
			fprintf(out, ", sum of %s", sec->sum);
		for (size_t w = 0; w < sec->nwhere; w++)
			fprintf(out, "%s%s", w ? " and " : ", only ", sec->where[w]);
		fprintf(out, "; sheet %zu", sec->sheet + 1);
		for (size_t k = 0; k < sec->ncharts; k++)
			fprintf(out, "%s%s", k ? ", " : "; charts ",
				mj_chart_type_name((enum mj_chart_type)sec->charts[k]));
		if (sec->titles[MJ_LANG_EN])
			fprintf(out, "; \"%s\"", sec->titles[MJ_LANG_EN]);
		fputc('\n', out);
	}
}

enum mj_status mj_schema_explain(const struct mj_schema *s, FILE *out)
{
	fprintf(out, "Schema: %s (%s)\n\n", s->labels[MJ_LANG_EN], s->code);
	for (size_t d = 0; d < s->ndims; d++) {
		const struct mj_dim *dim = &s->dims[d];
		fprintf(out, "%s — %s%s%s\n", dim->name, kind_name(dim->kind),
			dim->required ? ", required" : "",
			dim->parent >= 0 ? ", child of " : "");
		if (dim->parent >= 0)
			fprintf(out, "  (categories belong to '%s')\n", s->dims[dim->parent].name);
		fprintf(out, "  labels: %s | %s | %s | %s\n", dim->labels[0], dim->labels[1],
			dim->labels[2], dim->labels[3]);
		GPtrArray *names = g_ptr_array_new();
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, s->dim_lookup);
		while (g_hash_table_iter_next(&it, &k, &v))
			if (GPOINTER_TO_INT(v) - 1 == (int)d)
				g_ptr_array_add(names, k);
		g_ptr_array_sort(names, cmp_str);
		fprintf(out, "  column names:");
		for (guint i = 0; i < names->len; i++)
			fprintf(out, "%s %s", i ? "," : "", (char *)g_ptr_array_index(names, i));
		fputc('\n', out);
		g_ptr_array_free(names, TRUE);
		if (dim->kind == MJ_DIM_INTEGER)
			fprintf(out, "  whole numbers from %ld to %ld, or empty\n", dim->min, dim->max);
		if (dim->kind == MJ_DIM_DATE)
			fprintf(out, "  YYYY-MM-DD or DD.MM.YYYY\n");
		for (size_t c = 0; c < dim->ncats; c++) {
			const struct mj_cat *cat = &dim->cats[c];
			fprintf(out, "  %-14s %s | %s | %s | %s", cat->code, cat->labels[0],
				cat->labels[1], cat->labels[2], cat->labels[3]);
			if (cat->parent >= 0)
				fprintf(out, "  [in %s]", s->dims[dim->parent].cats[cat->parent].code);
			fputc('\n', out);
			if (!dim->lookup)
				continue;
			GPtrArray *sp = g_ptr_array_new();
			g_hash_table_iter_init(&it, dim->lookup);
			while (g_hash_table_iter_next(&it, &k, &v))
				if (GPOINTER_TO_INT(v) - 1 == (int)c)
					g_ptr_array_add(sp, k);
			g_ptr_array_sort(sp, cmp_str);
			if (sp->len) {
				fprintf(out, "  %-14s accepted:", "");
				for (guint i = 0; i < sp->len; i++)
					fprintf(out, "%s %s", i ? "," : "", (char *)g_ptr_array_index(sp, i));
				fputc('\n', out);
			}
			g_ptr_array_free(sp, TRUE);
		}
		fputc('\n', out);
	}
	fprintf(out, "Not stated: %s | %s | %s | %s (an empty field means the same)\n",
		s->missing_labels[0], s->missing_labels[1], s->missing_labels[2],
		s->missing_labels[3]);
	explain_sections(s, out);
	return ferror(out) ? MJ_E_IO : MJ_OK;
}
