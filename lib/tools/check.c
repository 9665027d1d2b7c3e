/* mj-check's work: validate rows, find duplicate ids by their hashes,
 * write canonical rows and a rejects file. */
#include "murojaat/chart.h"
#include "murojaat/check.h"

#include <fcntl.h>
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dateorder.h"
#include "grow.h"
#include "idbins.h"
#include "idset.h"
#include "scan.h"
#include "schema_internal.h"
#include "i18n.h"
#include "text.h"

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

/* The 128-bit product of a and b folded to 64 bits: every bit of each
 * factor reaches the middle bits of the product, and the fold brings the
 * high half down onto the low. */
#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 u128;
static inline uint64_t fold_mul(uint64_t a, uint64_t b)
{
	u128 r = (u128)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}
#else
/* The same product from 32-bit halves, where the compiler has no 128-bit
 * integers. */
static inline uint64_t fold_mul(uint64_t a, uint64_t b)
{
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;
	uint64_t lo = (mid << 32) | (uint32_t)ll;
	uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
	return lo ^ hi;
}
#endif

/* Two hashes of an id, 16 bytes at a time: a 64-bit one and a 9-bit check
 * (see idset.h), from two lanes with their own constants. A step takes
 * its two words together (the last step's words may overlap those before,
 * and the length is hashed too); an id under 8 bytes is read as
 * overlapping pieces that hold all its bytes. Each step and the end go
 * through a folded 128-bit product, so a byte changed anywhere changes
 * every bit (a lighter step once let "A2023-100153" and "A2023-170154"
 * meet). */
static void hash_id(const char *s, size_t n, uint64_t *hash, unsigned *check)
{
	static const uint64_t k[4] = {0xa0761d6478bd642full, 0xe7037ed1a0b428dbull,
				      0x8ebc6af09c88c6e3ull, 0x589965cc75374cc3ull};
	uint64_t a = k[0] ^ n, b = k[2] ^ (n << 32);
	uint64_t w0, w1;
	size_t i = 0;
	for (; i + 16 < n; i += 16) {
		memcpy(&w0, s + i, 8);
		memcpy(&w1, s + i + 8, 8);
		a = fold_mul(w0 ^ a, w1 ^ k[1]);
		b = fold_mul(w0 ^ b, w1 ^ k[3]);
	}
	size_t left = n - i;
	const char *t = s + i;
	if (left >= 8) {
		memcpy(&w0, t, 8);
		memcpy(&w1, t + left - 8, 8);
	} else if (left >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, t, 4);
		memcpy(&hi, t + left - 4, 4);
		w0 = lo | (uint64_t)hi << 32;
		w1 = 0;
	} else {
		w0 = left ? (uint64_t)(unsigned char)t[0] | (uint64_t)(unsigned char)t[left / 2] << 8 |
			    (uint64_t)(unsigned char)t[left - 1] << 16 : 0;
		w1 = 0;
	}
	a = fold_mul(w0 ^ a, w1 ^ k[1]);
	b = fold_mul(w0 ^ b, w1 ^ k[3]);
	*hash = fold_mul(a ^ k[2], n ^ k[1]) ^ a;
	*check = (unsigned)(fold_mul(b ^ k[0], n ^ k[3]) >> 55);
}

/* Whether the n bytes at s are all printable ASCII without spaces (0x21
 * to 0x7e), eight at a time: a byte under 0x21 borrows into its top bit,
 * one over 0x7e has it or gets it by adding 1. */
static inline int printable_ascii(const char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, tops = 0x8080808080808080ull;
	uint64_t bad = 0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, s + i, 8);
		bad |= ((x - ones * 0x21) & ~x) | x | (x + ones);
	}
	if (i < n) {
		uint64_t x = ones * 'A';
		memcpy(&x, s + i, n - i);
		bad |= ((x - ones * 0x21) & ~x) | x | (x + ones);
	}
	return !(bad & tops);
}

/* The key of an id that is not its own (mj_text_id_key), hashed. */
static __attribute__((noinline)) int hash_cleaned_id(const char *s, size_t n, uint64_t *hash,
						      unsigned *check)
{
	char *key = mj_text_id_key(s, n);
	if (!key) {
		hash_id(s, n, hash, check);
		return 1;
	}
	size_t len = strlen(key);
	hash_id(key, len, hash, check);
	free(key);
	return len > 0;
}

/* Hashes the id s of n bytes by its key (mj_text_id_key): "A1 ", "A1" and
 * "A\u200b1" are one id. Most ids are printable ASCII without spaces and
 * are their own key. Returns 0 when the id is empty once cleaned (only
 * spaces or marks: no id to compare); text that is not UTF-8 (the row is
 * rejected for it) is hashed as it is. */
static inline int hash_id_key(const char *s, size_t n, uint64_t *hash, unsigned *check)
{
	if (printable_ascii(s, n)) {
		hash_id(s, n, hash, check);
		return n > 0;
	}
	return hash_cleaned_id(s, n, hash, check);
}

struct checker {
	const struct mj_check_opts *o;
	const struct mj_schema *s;
	struct mj_normaliser *norm;
	struct mj_check_stats *stats;
	struct mj_idset ids;     /* the ids seen, while files are read in order */
	struct mj_idbins bins;   /* the ids seen, while files are read in parts */
	unsigned threads;
	size_t rows_hint;       /* rows the file being read may hold (ids to make room for) */
	/* For each file read in parts, the line of each part's first row
	 * (an id's place is its part and its line in the part), else NULL. */
	unsigned long **part_lines;
	char *workbook;         /* for each file, whether it was a workbook */
	char *refused;          /* for each file, whether it was refused whole */
	const char *const *files;
	size_t nfiles;
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

/* What comes between a file and the place an id was first seen in it: a
 * workbook's place is a row of its sheet, a text file's a line. */
static const char *first_sep(const struct checker *c, size_t file)
{
	int book = file == c->file ? c->sheet[0] != '\0' : c->workbook[file];
	return book ? MJ_(", row ") : ":";
}

/* Whether an id's first place (mj_idpos) was a rejected row, or a row of
 * a file refused whole: the row that stays may then be none of them. */
static int first_rejected(const struct checker *c, uint64_t first)
{
	return mj_idpos_rejected(first) || c->refused[mj_idpos_file(first)];
}

/* What a duplicate's message adds after the first place. */
static const char *first_note(int first_rejected)
{
	return first_rejected ? MJ_(", a row itself rejected") : "";
}

/* The line of a file where an id was seen. */
static unsigned long first_line(const struct checker *c, uint64_t pos)
{
	const unsigned long *lines = c->part_lines[mj_idpos_file(pos)];
	unsigned long line = mj_idpos_line(pos);
	return lines ? lines[mj_idpos_part(pos)] + line - 1 : line;
}

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
	unsigned id_check = 0;
	int id_key = 0;
	int id_col = mj_normaliser_id_column(c->norm);
	if (id_col >= 0 && (size_t)id_col < nfields) {
		/* At a file's first id, room for all its rows at once, with
		 * the ids of files read in parts before. */
		size_t more = 1 + c->rows_hint + c->rows_hint / 8;
		if (c->nomem || (c->bins.ids ? mj_idbins_to_set(&c->bins, &c->ids, more)
				 : mj_idset_reserve(&c->ids, more)) != 0) {
			c->nomem = 1;
			return 1;
		}
		c->rows_hint = 0;
		id_key = hash_id_key(fields[id_col].text, fields[id_col].len, &id_hash, &id_check);
		__builtin_prefetch(&c->ids.slots[(id_hash ? id_hash : 1) & (c->ids.cap - 1)]);
	}
	mj_normaliser_row(c->norm, fields, nfields, line, &c->rec, on_problem, c);
	if (c->status != MJ_OK)
		return 1;
	uint64_t first;
	if (c->rec.id && c->rec.id_len && id_key &&
	    mj_idset_add(&c->ids, id_hash,
			 mj_idpos((unsigned)c->file, 0, line, c->problems != 0, id_check),
			 &first) != MJ_ID_NEW) {
		/* In order, an id seen before is seen earlier (MJ_ID_LATER). The
		 * normaliser's id is the field hashed above. */
		struct mj_error e;
		const char *where = c->files[mj_idpos_file(first)];
		mj_error_set(&e, MJ_E_VALUE, c->path, line, (unsigned long)id_col + 1,
			     "column 'id': duplicate id (first seen at %s%s%lu%s)",
			     strcmp(where, "-") == 0 ? "<stdin>" : where,
			     first_sep(c, mj_idpos_file(first)), first_line(c, first),
			     first_note(first_rejected(c, first)));
		/* In a workbook the place is the id's cell. */
		snprintf(e.sheet, sizeof e.sheet, "%s", c->sheet);
		for (size_t i = 0; c->sheet[0] && i < nfields; i++)
			if (c->rec.id >= fields[i].text &&
			    c->rec.id <= fields[i].text + fields[i].len)
				e.column = i + 1;
		c->stats->duplicates++;
		on_problem(c, &e, 0);
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
 * its rows with its own normaliser and holds back its problems; it writes
 * down the places of its ids (idbins.h). After the scan they are sorted
 * into bins and settled: each place but the first of its id is a duplicate,
 * and the problems are reported in file order with the duplicates between
 * them: the same messages, counts and exit status as one thread gives. */

struct held_problem {
	enum mj_status status;
	int fatal;
	unsigned long line, column;
	size_t msg;             /* offset of the message in the part's text */
};

/* Problems a part may hold back; a file with more is checked again in
 * sequence (memory stays bounded, the result is the same). */
#define HELD_MAX 200000
/* From this many files on (this one and those after it), files small
 * beside the ids seen before them are read in order: see mj_check_files. */
#define SMALL_FILES_IN_ORDER 8

struct part {
	/* Threads read parts side by side: each part starts a cache line of
	 * its own, so that the counts one thread writes on every row never
	 * share a line with what another reads. */
	_Alignas(64) struct checker *c;
	unsigned index;         /* the part's place in the file */
	struct mj_normaliser *norm;
	int id_col;             /* the id's column (from the header), or -1 */
	int header_done;
	unsigned long long read, valid, rejected;
	struct mj_record rec;
	size_t row_problems;
	struct held_problem *held;
	size_t nheld, capheld;
	GString *text;
	struct mj_idfill ids;   /* the places of the part's ids */
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
	if (mj_grow(&p->held, &p->capheld, p->nheld, sizeof *p->held) != 0) {
		p->nomem = 1;
		return;
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
		p->id_col = mj_normaliser_id_column(p->norm);
		return 0;
	}
	p->read++;
	p->row_problems = 0;
	/* The id is hashed before the row is read: its multiplications
	 * then overlap the normaliser's work. */
	int id_col = p->id_col;
	int has_id = id_col >= 0 && (size_t)id_col < nfields;
	uint64_t key = 0;
	unsigned check = 0;
	if (has_id)
		has_id = hash_id_key(fields[id_col].text, fields[id_col].len, &key, &check);
	mj_normaliser_row(p->norm, fields, nfields, line, &p->rec, part_problem, p);
	if (p->status != MJ_OK || p->overflow || p->nomem)
		return 1;
	if (p->row_problems)
		p->rejected++;
	else
		p->valid++;
	/* The normaliser's id is the id column's field, hashed above. */
	if (has_id && p->rec.id && p->rec.id_len) {
		uint64_t pos = mj_idpos((unsigned)p->c->file, p->index, line,
					p->row_problems != 0, check);
		if (mj_idfill_add(&p->ids, key, pos) != 0) {
			p->nomem = 1;
			return 1;
		}
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
		p->id_col = p0->id_col;
		p->header_done = 1;
	}
	return 0;
}

struct dup {
	unsigned long line, first_line;
	unsigned first_file;
	int rejected;           /* the row had other problems */
	int first_rejected;     /* so had the first */
};

/* Reports a duplicate id as the sequential check does. */
static void report_dup(struct checker *c, const struct dup *d)
{
	struct mj_error e;
	const char *where = c->files[d->first_file];
	/* The id's column is this file's (its header was read). */
	mj_error_set(&e, MJ_E_VALUE, c->path, d->line,
		     (unsigned long)(mj_normaliser_id_column(c->norm) + 1),
		     "column 'id': duplicate id (first seen at %s%s%lu%s)",
		     strcmp(where, "-") == 0 ? "<stdin>" : where, first_sep(c, d->first_file),
		     d->first_line, first_note(d->first_rejected));
	c->stats->duplicates++;
	if (!d->rejected) {
		c->stats->valid--;
		c->stats->rejected++;
	}
	if (c->o->on_problem)
		c->o->on_problem(c->o->ctx, &e, 0);
}

static int cmp_dup(const void *a, const void *b)
{
	const struct dup *x = a, *y = b;
	return (x->line > y->line) - (x->line < y->line);
}

/* The duplicates among the ids the valid parts noted, in file order, once
 * each. Returns -1 when out of memory. */
static int find_dups(struct checker *c, struct part *parts, size_t valid_parts,
		     struct dup **out, size_t *nout)
{
	struct mj_idfill fills[MJ_SCAN_MAX_PARTS];
	for (size_t k = 0; k < valid_parts; k++)
		fills[k] = parts[k].ids;
	struct mj_iddup *found;
	size_t n;
	/* The last file's ids are counted, not kept. */
	int keep = c->file + 1 < c->nfiles;
	int rc = mj_idbins_settle(&c->bins, fills, valid_parts, c->threads, keep, &found, &n);
	/* Settling freed the notes: the parts hold what is left. */
	for (size_t k = 0; k < valid_parts; k++)
		parts[k].ids = fills[k];
	*out = NULL;
	*nout = 0;
	if (rc != 0)
		return -1;
	struct dup *dups = n ? malloc(n * sizeof *dups) : NULL;
	if (n && !dups) {
		free(found);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		dups[i] = (struct dup){first_line(c, found[i].pos), first_line(c, found[i].first),
				       mj_idpos_file(found[i].first), mj_idpos_rejected(found[i].pos),
				       first_rejected(c, found[i].first)};
	free(found);
	if (n)
		qsort(dups, n, sizeof *dups, cmp_dup);
	*out = dups;
	*nout = n;
	return 0;
}

/* The file's problems, in file order with the duplicates between them,
 * and its counts. */
static void report_parts(struct checker *c, struct part *parts, const struct mj_scan_result *res,
			 size_t valid_parts, const struct dup *dups, size_t ndups)
{
	size_t d = 0;
	for (size_t k = 0; k < valid_parts; k++) {
		c->stats->read += parts[k].read;
		c->stats->valid += parts[k].valid;
		c->stats->rejected += parts[k].rejected;
	}
	for (size_t k = 0; k < valid_parts; k++) {
		struct part *p = &parts[k];
		unsigned long base = res->line_base[k] - 1;
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
			mj_normaliser_merge_dates(c->norm, p->norm, res->line_base[k]);
	}
	while (d < ndups)
		report_dup(c, &dups[d++]);
}

/* After a scan in parts that counts: the file's part lines are kept for
 * its places, and its duplicates found and reported with its problems.
 * The ids of parts that were read again in sequence (not valid) are left
 * out: the part before them read those rows. Returns -1 when out of
 * memory. */
static int finish_parts(struct checker *c, struct part *parts, const struct mj_scan_result *res)
{
	size_t valid_parts = 0;
	while (valid_parts < res->nparts && res->valid[valid_parts])
		valid_parts++;
	unsigned long *lines = calloc(MJ_SCAN_MAX_PARTS, sizeof *lines);
	if (!lines)
		return -1;
	for (size_t k = 0; k < valid_parts; k++)
		lines[k] = res->line_base[k];
	free(c->part_lines[c->file]);
	c->part_lines[c->file] = lines;
	struct dup *dups = NULL;
	size_t ndups = 0;
	if (find_dups(c, parts, valid_parts, &dups, &ndups) != 0)
		return -1;
	report_parts(c, parts, res, valid_parts, dups, ndups);
	free(dups);
	return 0;
}

/* Checks file in nparts parts. Returns 1 when it must be read again in
 * sequence (nothing of it was reported or counted), else 0 with *st the
 * scan's status (MJ_OK; c->nomem set when memory ran out). */
static int check_parallel(struct checker *c, const char *file, const struct mj_reader_opts *ro,
			  size_t nparts, enum mj_status *st, struct mj_error *ferr)
{
	struct part parts[MJ_SCAN_MAX_PARTS];
	void *ctxs[MJ_SCAN_MAX_PARTS];
	memset(parts, 0, nparts * sizeof *parts);
	*st = MJ_OK;
	int again = 0;
	/* The ids of files read in order before go to the bins. */
	if (c->ids.used && mj_idbins_from_set(&c->bins, &c->ids) != 0) {
		c->nomem = 1;
		return 0;
	}
	for (size_t k = 0; k < nparts; k++) {
		parts[k].c = c;
		parts[k].index = (unsigned)k;
		parts[k].text = g_string_new(NULL);
		mj_idfill_init(&parts[k].ids);
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
	if (!again) {
		c->header_done = 1;
		if (finish_parts(c, parts, &res) != 0)
			c->nomem = 1;
	}
	for (size_t k = 0; k < nparts; k++) {
		if (k > 0)
			mj_normaliser_destroy(parts[k].norm);
		free(parts[k].held);
		mj_idfill_free(&parts[k].ids);
		g_string_free(parts[k].text, TRUE);
	}
	return again;
}

enum mj_status mj_check_files(const struct mj_check_opts *o,
			      const char *const *files, size_t nfiles,
			      struct mj_check_stats *stats, struct mj_error *err)
{
	memset(stats, 0, sizeof *stats);
	struct checker c = {.o = o, .s = o->schema, .stats = stats, .files = files,
			    .nfiles = nfiles < 65536 ? nfiles : 65536};
	c.norm = mj_normaliser_new(o->schema, NULL, NULL, err);
	if (!c.norm)
		return err ? err->status : MJ_E_NOMEM;
	/* A check writes the register's own columns, never a derived one. */
	mj_normaliser_derive_only(c.norm, NULL, 0);
	c.part_lines = calloc(nfiles == 0 ? 1 : nfiles < 65536 ? nfiles : 65536, sizeof *c.part_lines);
	c.workbook = calloc(nfiles == 0 ? 1 : nfiles < 65536 ? nfiles : 65536, 1);
	c.refused = calloc(nfiles == 0 ? 1 : nfiles < 65536 ? nfiles : 65536, 1);
	if (!c.part_lines || !c.workbook || !c.refused) {
		free(c.part_lines);
		free(c.workbook);
		free(c.refused);
		mj_normaliser_destroy(c.norm);
		return mj_error_set(err, MJ_E_NOMEM, "", 0, 0, "out of memory");
	}
	c.reasons = g_string_new(NULL);
	size_t sheets = 0;
	struct mj_above_header above = {0};
	struct mj_reader_opts ro = {.delimiter = o->delimiter, .encoding = o->encoding,
				    .sheet = o->sheet, .header_row = o->header_row,
				    .schema = o->schema, .sheet_read = c.sheet,
				    .sheet_count = &sheets, .above = &above};
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
	c.threads = (unsigned)nthreads;
	for (size_t f = 0; f < nfiles && f < 65536; f++) {
		unsigned long long valid_before = stats->valid;
		c.file = f;
		c.rows_hint = rows_estimate(files[f]);
		c.path = strcmp(files[f], "-") == 0 ? "<stdin>" : files[f];
		c.header_done = 0;
		c.status = MJ_OK;
		/* A workbook's sheet names the places of its own rows only. */
		c.sheet[0] = '\0';
		sheets = 0;
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
			/* Settling a file in parts goes through every bin it
			 * touches, ids of earlier files too: when many files
			 * small beside them follow, they are read in order, so
			 * that each costs its own rows, not all the rows before
			 * it. Moving the ids into the table costs ten times a
			 * settling of them (a random place each), so a few files
			 * are still read in parts. */
			int small = c.rows_hint < (c.ids.used + c.bins.ids) / 4 &&
				    (c.ids.used || nfiles - f >= SMALL_FILES_IN_ORDER);
			if (nparts < 2 || o->fixed || o->rejects || small ||
			    check_parallel(&c, files[f], &ro, nparts, &st, &ferr)) {
				void *ctxs[1] = {&c};
				struct mj_scan_result res;
				c.header_done = 0;
				st = mj_scan_file(files[f], &ro, on_row, NULL, ctxs, 1, &res, &ferr);
			}
		} else {
			st = mj_read_rows(files[f], &ro, on_row, &c, NULL, &ferr);
		}
		c.workbook[f] = c.sheet[0] != '\0';
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
			if (mj_read_sheet_note(c.path, sheets, c.sheet, o->sheet, &note) && o->on_problem)
				o->on_problem(o->ctx, &note, 0);
			if (mj_read_above_note(c.path, &above, &note) && o->on_problem)
				o->on_problem(o->ctx, &note, 0);
		}
		if (st != MJ_OK) {
			/* A file refused or not read to its end: none of its rows
			 * is valid, whatever each of them held. */
			stats->refused += stats->valid - valid_before;
			stats->valid = valid_before;
			c.refused[f] = 1;
			if (o->on_problem)
				o->on_problem(o->ctx, &ferr, 1);
			if (result == MJ_OK) {
				result = st;
				if (err)
					*err = ferr;
			}
		}
	}
	stats->ids = c.ids.used + c.bins.ids;
	mj_idset_free(&c.ids);
	mj_idbins_free(&c.bins);
	for (size_t f = 0; f < nfiles && f < 65536; f++)
		free(c.part_lines[f]);
	free(c.part_lines);
	free(c.workbook);
	free(c.refused);
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
