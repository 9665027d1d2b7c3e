/* Fast scanning of CSV files, in parallel parts, with libcsv's results. */
#include "scan.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <stdint.h>
#include <unistd.h>
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define SCAN_X86 1
#include <immintrin.h>
#else
#define SCAN_X86 0
#endif
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "csvdoc.h"
#include "headgate.h"
#include "rowbuf.h"
#include "xlsxread.h"
#include "i18n.h"

#define SCAN_BLOCK (1u << 20)
/* Bytes after the end of the data that a 64-byte load may read: kept
 * zeroed, and never taken for data. */
#define SCAN_PAD 64
/* Fields that split_body may add past the capacity it checked (one
 * 64-byte step's delimiters and the last field): room kept beyond fcap. */
#define FIELD_SLACK 65
/* Where a stream's part stops: never (a stream is one part). */
#define STREAM_END ((off_t)1 << 62)

/* Parts handed to threads as they come free: more parts than threads, so
 * that a thread slowed by other work on the machine holds up at most one
 * small part at the end. */
struct part_queue {
	atomic_size_t next;             /* the next part not yet taken */
	size_t nparts;
	struct scanner *parts;
	atomic_ullong done;             /* bytes read by all parts */
	unsigned progress;              /* the calling thread tells progress */
};

/* What split_body looks for among 64 bytes at p, as bits (bit i for
 * p[i]): the delimiters; the bytes that stop the fast path or end the line
 * (a quote, the line end, and an LF: with CR line ends an LF is data, and
 * libcsv's rows count it in their lines, so such a line goes to libcsv);
 * and the bytes that may be trimmed, or more: any byte up to a space (the
 * trimming itself is exact, see fast_row). One reader per instruction set,
 * picked at run time (see pick_run); all give the same bits. */
struct masks {
	uint64_t delim, stop, blank;
};

struct marks {
	char delim, eol;
};

static inline void masks_plain(const struct marks *mk, const char *p, struct masks *out)
{
	uint64_t d = 0, o = 0, b = 0;
	for (unsigned i = 0; i < 64; i++) {
		unsigned char c = (unsigned char)p[i];
		d |= (uint64_t)(c == (unsigned char)mk->delim) << i;
		o |= (uint64_t)(c == '"' || c == (unsigned char)mk->eol || c == '\n') << i;
		b |= (uint64_t)(c <= ' ') << i;
	}
	out->delim = d;
	out->stop = o;
	out->blank = b;
}

#if defined(__SSE2__)
static inline void masks_sse2(const struct marks *mk, const char *p, struct masks *out)
{
	const __m128i delim = _mm_set1_epi8(mk->delim), eol = _mm_set1_epi8(mk->eol),
		      quote = _mm_set1_epi8('"'), lf = _mm_set1_epi8('\n'),
		      space = _mm_set1_epi8(' ');
	uint64_t d = 0, o = 0, b = 0;
	for (unsigned k = 0; k < 64; k += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + k));
		d |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, delim)) << k;
		o |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_cmpeq_epi8(x, quote),
			_mm_or_si128(_mm_cmpeq_epi8(x, eol), _mm_cmpeq_epi8(x, lf)))) << k;
		b |= (uint64_t)(unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_min_epu8(x, space), x)) << k;
	}
	out->delim = d;
	out->stop = o;
	out->blank = b;
}
#endif

#if SCAN_X86
__attribute__((target("avx2,bmi")))
static inline void masks_avx2(const struct marks *mk, const char *p, struct masks *out)
{
	const __m256i delim = _mm256_set1_epi8(mk->delim), eol = _mm256_set1_epi8(mk->eol),
		      quote = _mm256_set1_epi8('"'), lf = _mm256_set1_epi8('\n'),
		      space = _mm256_set1_epi8(' ');
	uint64_t d = 0, o = 0, b = 0;
	for (unsigned k = 0; k < 64; k += 32) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(p + k));
		d |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, delim)) << k;
		o |= (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_or_si256(
			_mm256_cmpeq_epi8(x, quote),
			_mm256_or_si256(_mm256_cmpeq_epi8(x, eol), _mm256_cmpeq_epi8(x, lf)))) << k;
		b |= (uint64_t)(uint32_t)_mm256_movemask_epi8(
			_mm256_cmpeq_epi8(_mm256_min_epu8(x, space), x)) << k;
	}
	out->delim = d;
	out->stop = o;
	out->blank = b;
}

__attribute__((target("avx512f,avx512bw,bmi")))
static inline void masks_avx512(const struct marks *mk, const char *p, struct masks *out)
{
	__m512i x = _mm512_loadu_si512((const void *)p);
	out->delim = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(mk->delim));
	out->stop = _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('"')) |
		    _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(mk->eol)) |
		    _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8('\n'));
	out->blank = _mm512_cmple_epu8_mask(x, _mm512_set1_epi8(' '));
}
#endif

/* What split_body found. */
enum split {
	SPLIT_ROW,      /* a line without quotes: fields are set */
	SPLIT_SLOW,     /* a quote (or, with CR line ends, an LF): libcsv reads it */
	SPLIT_MORE,     /* the line goes on past the bytes held */
	SPLIT_FAIL,     /* over the field limit or out of memory */
};

/* Why run_body stopped. */
enum run {
	RUN_STOP,       /* at stop_at or max_rows, at the end of the data, a
			   failure, or the callback's non-zero *rc */
	RUN_SLOW,       /* the line at cur needs libcsv */
	RUN_MORE,       /* the line at cur goes on past the bytes held */
	RUN_ONE,        /* one row was handed on, as asked */
};

/* One part of a file, scanned by one thread. */
struct scanner {
	int fd;                 /* -1 when scanning memory */
	off_t next_read;        /* file offset of the next byte to read */
	off_t file_end;         /* end of the file (a stream: its size if known, else 0) */
	int stream;             /* fd is read in sequence (a pipe): its end is
				   known when a read gives nothing */
	int eof;                /* a stream's read gave nothing */
	size_t chunk;           /* a stream's reads take at most this (0: no limit) */
	off_t stop_at;          /* rows starting at or after this belong to the next part */
	char *buf;              /* buf[0] is at file offset buf_off */
	size_t cap, lim, cur;   /* bytes held, next byte to scan */
	off_t buf_off;
	char delim;
	char eol;               /* the file's line end: '\n' or '\r' */
	unsigned long line;     /* line of the next row (local to the part) */
	struct marks marks;     /* the bytes split_body looks for */
	enum run (*run)(struct scanner *, int, int, int *); /* see run_body */
	struct csv_parser csv;
	int csv_ready;
	struct mj_rowbuf rb;
	struct mj_quote_watch quotes;
	struct mj_field *fields;/* fast-path fields */
	size_t fcap;
	mj_row_fn on_row;
	void *ctx;
	int max_rows;           /* stop after this many rows (0: no limit) */
	unsigned long rows;
	const struct mj_reader_opts *opts;
	unsigned progress_parts;  /* report progress (part 0) for this many parts */
	struct part_queue *queue; /* parts scanned by several threads, or NULL */
	off_t part_start;
	/* Results. */
	enum mj_status status;
	struct mj_error err;
	const char *name;
	off_t end_off;          /* offset just after the last row scanned */
	int stopped;            /* the callback asked to stop */
	const struct mj_headgate *gate; /* the header's gate, while rows go to it */
};

static enum mj_status fail(struct scanner *sc, enum mj_status st, const char *msg)
{
	sc->status = st;
	mj_error_set(&sc->err, st, sc->name, sc->line, 0, "%s", MJ_(msg));
	return st;
}

/* Whether no byte is left to read after lim. */
static inline int data_ends(const struct scanner *sc)
{
	return sc->fd < 0 || sc->eof || (!sc->stream && sc->next_read >= sc->file_end);
}

/* Reads what follows lim into buf (want bytes at most): the bytes read,
 * 0 at a stream's end, -1 on a failure (sc->status set). */
static ssize_t read_more(struct scanner *sc, size_t want)
{
	for (;;) {
		ssize_t got;
		if (sc->stream) {
			if (sc->chunk && want > sc->chunk)
				want = sc->chunk;
			got = read(sc->fd, sc->buf + sc->lim, want);
		} else {
			if ((off_t)want > sc->file_end - sc->next_read)
				want = (size_t)(sc->file_end - sc->next_read);
			got = pread(sc->fd, sc->buf + sc->lim, want, sc->next_read);
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got == 0 && sc->stream) {
			sc->eof = 1;
			return 0;
		}
		if (got <= 0) {
			fail(sc, MJ_E_IO, got < 0 ? strerror(errno) : "file shrank while being read");
			return -1;
		}
		return got;
	}
}

/* Tells progress after a read: part 0 speaks for all parts, which are of
 * equal size; with a queue, the bytes read by every part, told by the
 * calling thread's parts; a stream of unknown size, its bytes and 0. */
static void tell_progress(struct scanner *sc, ssize_t got)
{
	if (sc->queue)
		atomic_fetch_add(&sc->queue->done, (unsigned long long)got);
	if (!sc->progress_parts || !sc->opts->on_progress)
		return;
	unsigned long long total = (unsigned long long)sc->file_end;
	unsigned long long done = sc->stream ? (unsigned long long)sc->next_read
		: sc->queue ? atomic_load(&sc->queue->done)
		: (unsigned long long)(sc->next_read - sc->part_start) * sc->progress_parts;
	sc->opts->on_progress(sc->opts->progress_ctx, total && done > total ? total : done,
			      total);
}

/* Makes buf hold a whole line from cur (up to and including '\n'), or all
 * that is left of the file. Returns the length of the line (0 at the end),
 * and sets *has_nl. */
static size_t need_line(struct scanner *sc, int *has_nl)
{
	for (;;) {
		char *nl = memchr(sc->buf + sc->cur, sc->eol, sc->lim - sc->cur);
		if (nl) {
			*has_nl = 1;
			return (size_t)(nl - (sc->buf + sc->cur)) + 1;
		}
		if (data_ends(sc)) {
			*has_nl = 0;
			return sc->lim - sc->cur;
		}
		/* Keep the partial line and read more after it. */
		if (sc->cur > 0) {
			memmove(sc->buf, sc->buf + sc->cur, sc->lim - sc->cur);
			sc->buf_off += (off_t)sc->cur;
			sc->lim -= sc->cur;
			sc->cur = 0;
		}
		if (sc->lim == sc->cap) {
			if (sc->cap >= MJ_MAX_ROW_BYTES) {
				fail(sc, MJ_E_LIMIT, MJ_ROW_LIMIT_MSG);
				*has_nl = 0;
				return 0;
			}
			char *grown = realloc(sc->buf, sc->cap * 2 + SCAN_PAD);
			if (!grown) {
				fail(sc, MJ_E_NOMEM, "out of memory");
				*has_nl = 0;
				return 0;
			}
			sc->buf = grown;
			sc->cap *= 2;
		}
		ssize_t got = read_more(sc, sc->cap - sc->lim);
		if (got < 0) {
			*has_nl = 0;
			return 0;
		}
		sc->lim += (size_t)got;
		sc->next_read += got;
		memset(sc->buf + sc->lim, 0, SCAN_PAD);
		if (got > 0)
			tell_progress(sc, got);
	}
}

/* Blank space that libcsv trims from the ends of an unquoted field: with
 * LF line ends a CR is blank too (see mj_rowbuf_set_eol). */
static int is_trim(char c, const struct scanner *sc)
{
	return (c == ' ' || c == '\t' || (c == '\r' && sc->eol == '\n')) && c != sc->delim;
}

/* Trims the fields split_body found as libcsv trims an unquoted field
 * (when the line holds a blank byte) and hands the row on. */
static inline int fast_row(struct scanner *sc, size_t n, int blank)
{
	struct mj_field *fields = sc->fields;
	for (size_t i = 0; blank && i < n; i++) {
		char *a = (char *)fields[i].text, *b = a + fields[i].len;
		while (a < b && is_trim(*a, sc))
			a++;
		while (b > a && is_trim(b[-1], sc))
			b--;
		fields[i].text = a;
		fields[i].len = (size_t)(b - a);
		*b = '\0';
	}
	/* A blank line or a row of empty fields, as rowbuf.c skips them. */
	if (fields[0].len == 0) {
		size_t filled = 1;
		while (filled < n && fields[filled].len == 0)
			filled++;
		if (filled == n)
			return 0;
	}
	sc->rows++;
	return sc->on_row(sc->ctx, fields, n, sc->line);
}

/* Makes room for need fields (FIELD_SLACK more are always allocated);
 * -1 past the limit. */
static int grow_fields(struct scanner *sc, size_t need)
{
	if (need <= sc->fcap)
		return 0;
	/* The same limit as libcsv's rows (rowbuf.c). */
	if (need > MJ_MAX_FIELDS)
		return fail(sc, MJ_E_LIMIT, MJ_ROW_LIMIT_MSG), -1;
	size_t cap = sc->fcap ? sc->fcap : 64;
	while (cap < need)
		cap *= 2;
	if (cap > MJ_MAX_FIELDS)
		cap = MJ_MAX_FIELDS;
	struct mj_field *f = realloc(sc->fields, (cap + FIELD_SLACK) * sizeof *f);
	if (!f)
		return fail(sc, MJ_E_NOMEM, "out of memory"), -1;
	sc->fields = f;
	sc->fcap = cap;
	return 0;
}

/* Finds the fields of the line at cur, 64 bytes at a time, up to its line
 * end (at_end: or up to lim, the end of the data), and ends each field
 * with a NUL in place of its delimiter or line end. On SPLIT_ROW the
 * fields are (start, length) before trimming, *len is the line's length
 * with its line end, *has_nl whether it has one, and *blank whether the
 * line may hold a byte to trim. A line found to need libcsv is given back
 * its delimiters first. Inlined into one function per instruction set,
 * with masks its reader of 64 bytes. */
static inline __attribute__((always_inline)) enum split
split_body(struct scanner *sc, int at_end, size_t *len, int *has_nl, size_t *nfields,
	   int *blank, void (*masks)(const struct marks *, const char *, struct masks *))
{
	char *s = sc->buf + sc->cur, *lim = sc->buf + sc->lim;
	char *start = s;
	const char eol = sc->eol;
	struct mj_field *fields = sc->fields;
	size_t n = 0, fcap = sc->fcap;
	uint64_t blanks = 0;
	char *p = s;
	/* A copy the stores through q cannot alias: its bytes stay in
	 * registers. */
	const struct marks marks = sc->marks;
	for (; p < lim; p += 64) {
		struct masks mk;
		masks(&marks, p, &mk);
		uint64_t m = mk.delim, other = mk.stop, blank_bits = mk.blank;
		if ((size_t)(lim - p) < 64) {
			uint64_t keep = ((uint64_t)1 << (lim - p)) - 1;
			m &= keep;
			other &= keep;
			blank_bits &= keep;
		}
		/* Only the delimiters before the first stop count (all of
		 * them when there is none). */
		uint64_t before = (other & (0 - other)) - 1;
		m &= before;
		blanks |= blank_bits & before;
		/* At most 64 fields more: the slack holds them, and the
		 * capacity is checked once per step. */
		while (m) {
			char *q = p + (size_t)__builtin_ctzll(m);
			m &= m - 1;
			fields[n].text = start;
			fields[n].len = (size_t)(q - start);
			n++;
			*q = '\0';
			start = q + 1;
		}
		if (n > fcap) {
			if (grow_fields(sc, n) != 0)
				goto unsplit;
			fields = sc->fields;
			fcap = sc->fcap;
		}
		if (other) {
			char *q = p + __builtin_ctzll(other);
			if (*q != eol)
				goto unsplit;
			if (n + 1 > fcap && grow_fields(sc, n + 1) != 0)
				goto unsplit;
			fields = sc->fields;
			fields[n].text = start;
			fields[n].len = (size_t)(q - start);
			*q = '\0';
			*nfields = n + 1;
			*len = (size_t)(q + 1 - s);
			*has_nl = 1;
			*blank = blanks != 0;
			return SPLIT_ROW;
		}
	}
	if (!at_end)
		goto unsplit;
	if (n + 1 > fcap && grow_fields(sc, n + 1) != 0)
		goto unsplit;
	sc->fields[n].text = start;
	sc->fields[n].len = (size_t)(lim - start);
	*lim = '\0';
	*nfields = n + 1;
	*len = (size_t)(lim - s);
	*has_nl = 0;
	*blank = blanks != 0;
	return SPLIT_ROW;
unsplit:
	/* A quote, the line going on past the bytes held, or a failure. */
	for (size_t i = 0; i < n; i++)
		((char *)sc->fields[i].text)[sc->fields[i].len] = sc->delim;
	return sc->status != MJ_OK ? SPLIT_FAIL : p < lim ? SPLIT_SLOW : SPLIT_MORE;
}

/* Hands on the plain rows from cur while they are whole in the bytes held
 * (at_end: all that is left of the data is held); with one, a single row.
 * *rc is the callback's answer. The loop of scan_part's common case, kept
 * in the function of each instruction set so that a row costs no call. */
static inline __attribute__((always_inline)) enum run
run_body(struct scanner *sc, int at_end, int one, int *rc,
	 void (*masks)(const struct marks *, const char *, struct masks *))
{
	for (;;) {
		if (sc->buf_off + (off_t)sc->cur >= sc->stop_at)
			return RUN_STOP;
		if (sc->max_rows && sc->rows >= (unsigned long)sc->max_rows)
			return RUN_STOP;
		int has_nl = 0, blank = 0;
		size_t len = 0, nfields = 0;
		enum split how = split_body(sc, at_end, &len, &has_nl, &nfields, &blank, masks);
		if (how != SPLIT_ROW)
			return how == SPLIT_SLOW ? RUN_SLOW : how == SPLIT_MORE ? RUN_MORE : RUN_STOP;
		if (len == 0)
			return RUN_STOP; /* the end of the data */
		unsigned long this_line = sc->line;
		*rc = fast_row(sc, nfields, blank);
		sc->cur += len;
		sc->line = this_line + (unsigned long)has_nl;
		if (*rc)
			return RUN_STOP;
		if (one)
			return RUN_ONE;
	}
}

static enum run run_plain(struct scanner *sc, int at_end, int one, int *rc)
{
	return run_body(sc, at_end, one, rc, masks_plain);
}

#if defined(__SSE2__)
static enum run run_sse2(struct scanner *sc, int at_end, int one, int *rc)
{
	return run_body(sc, at_end, one, rc, masks_sse2);
}
#endif

#if SCAN_X86
/* With BMI1 (which every processor with AVX2 has), a field costs split_body
 * two instructions fewer: tzcnt gives a 64-bit count to add to a pointer,
 * and blsr clears the delimiter's bit. */
__attribute__((target("avx2,bmi")))
static enum run run_avx2(struct scanner *sc, int at_end, int one, int *rc)
{
	return run_body(sc, at_end, one, rc, masks_avx2);
}

__attribute__((target("avx512f,avx512bw,bmi")))
static enum run run_avx512(struct scanner *sc, int at_end, int one, int *rc)
{
	return run_body(sc, at_end, one, rc, masks_avx512);
}
#endif

/* The instruction set forced by mj_scan_set_isa (MJ_SCAN_AUTO: the best
 * this processor has). */
static _Atomic int scan_isa = MJ_SCAN_AUTO;

static int isa_supported(enum mj_scan_isa isa)
{
	switch (isa) {
	case MJ_SCAN_AUTO:
	case MJ_SCAN_PLAIN:
		return 1;
	case MJ_SCAN_SSE2:
#if defined(__SSE2__)
		return 1;
#else
		return 0;
#endif
	case MJ_SCAN_AVX2:
#if SCAN_X86
		return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi");
#else
		return 0;
#endif
	case MJ_SCAN_AVX512:
#if SCAN_X86
		return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
		       __builtin_cpu_supports("bmi");
#else
		return 0;
#endif
	}
	return 0;
}

int mj_scan_set_isa(enum mj_scan_isa isa)
{
	if (!isa_supported(isa))
		return -1;
	atomic_store(&scan_isa, (int)isa);
	return 0;
}

static enum run (*pick_run(void))(struct scanner *, int, int, int *)
{
	enum mj_scan_isa isa = (enum mj_scan_isa)atomic_load(&scan_isa);
	if (isa == MJ_SCAN_AUTO)
		isa = isa_supported(MJ_SCAN_AVX512) ? MJ_SCAN_AVX512
		    : isa_supported(MJ_SCAN_AVX2) ? MJ_SCAN_AVX2 : MJ_SCAN_SSE2;
	switch (isa) {
#if SCAN_X86
	case MJ_SCAN_AVX512:
		return run_avx512;
	case MJ_SCAN_AVX2:
		return run_avx2;
#endif
#if defined(__SSE2__)
	case MJ_SCAN_SSE2:
		return run_sse2;
#endif
	default:
		return run_plain;
	}
}

/* Feeds lines to libcsv from the current one until the parser is back
 * between rows (a quoted field may span lines). */
static int slow_rows(struct scanner *sc)
{
	if (!sc->csv_ready) {
		if (csv_init(&sc->csv, CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
			return fail(sc, MJ_E_NOMEM, "out of memory"), -1;
		csv_set_delim(&sc->csv, (unsigned char)sc->delim);
		csv_set_blk_size(&sc->csv, 1u << 16);
		mj_rowbuf_set_eol(&sc->rb, &sc->csv, sc->eol);
		sc->csv_ready = 1;
		sc->rb.on_row = sc->on_row;
		sc->rb.ctx = sc->ctx;
	}
	sc->rb.next_line = sc->line;
	sc->rb.last_end = 0;
	mj_quote_watch_start(&sc->quotes, sc->line);
	for (;;) {
		int has_nl;
		size_t len = need_line(sc, &has_nl);
		if (sc->status != MJ_OK)
			return -1;
		if (len == 0)
			break;
		char *s = sc->buf + sc->cur;
		size_t at;
		if (mj_quote_watch(&sc->quotes, s, len, sc->delim, sc->eol, &at)) {
			sc->status = MJ_E_PARSE;
			mj_error_set(&sc->err, MJ_E_PARSE, sc->name, sc->quotes.odd_line,
				     sc->quotes.odd_field, "%s",
				     sc->gate && mj_headgate_seeking(sc->gate)
				     ? MJ_(MJ_QUOTE_TITLE_MSG) : MJ_(MJ_QUOTE_TEXT_MSG));
			return -1;
		}
		if (csv_parse(&sc->csv, s, len, mj_rowbuf_field, mj_rowbuf_end, &sc->rb) != len &&
		    !sc->rb.stop)
			return fail(sc, MJ_E_PARSE, csv_strerror(csv_error(&sc->csv))), -1;
		sc->cur += len;
		if (sc->rb.nomem)
			return fail(sc, MJ_E_NOMEM, "out of memory"), -1;
		/* Checked after each line, so that an unclosed quote cannot
		 * grow libcsv's field without bound. */
		if (mj_rowbuf_check(&sc->rb, &sc->csv)) {
			sc->line = sc->rb.overflow_line;
			return fail(sc, MJ_E_LIMIT, MJ_ROW_LIMIT_MSG), -1;
		}
		if (sc->rb.stop)
			return 1;
		if (sc->csv.pstate == 0 && has_nl)
			break; /* back between rows */
		if (!has_nl)
			break; /* end of file */
	}
	if (sc->csv.pstate != 0 && sc->cur == sc->lim && data_ends(sc)) {
		if (sc->csv.quoted && sc->csv.pstate == 2) {
			sc->line = sc->rb.next_line;
			return fail(sc, MJ_E_PARSE,
				"unterminated quoted field at end of file (a '\"' opens a field that never closes)"), -1;
		}
		csv_fini(&sc->csv, mj_rowbuf_field, mj_rowbuf_end, &sc->rb);
	}
	sc->line = sc->rb.next_line;
	return sc->rb.stop ? 1 : 0;
}

/* Scans rows until one starts at or after stop_at, the callback stops, or
 * the file ends. */
static void scan_part(struct scanner *sc)
{
	for (;;) {
		int rc = 0;
		enum run r = sc->run(sc, data_ends(sc), 0, &rc);
		if (r == RUN_MORE) {
			/* Read on until the line is whole (or the file ends),
			 * and take that one line. */
			int has_nl;
			if (need_line(sc, &has_nl) == 0 || sc->status != MJ_OK)
				break;
			r = sc->run(sc, 1, 1, &rc);
		}
		if (r == RUN_SLOW) {
			/* Its rows count as the fast path's do: the header
			 * gate reads a quoted header row alone. */
			unsigned long before = sc->rb.rows;
			rc = slow_rows(sc);
			sc->rows += sc->rb.rows - before;
		} else if (r != RUN_ONE && rc == 0)
			break;
		if (rc < 0)
			break;
		if (rc > 0) {
			sc->stopped = 1;
			break;
		}
	}
	sc->end_off = sc->buf_off + (off_t)sc->cur;
}

static void scanner_free(struct scanner *sc)
{
	if (sc->csv_ready)
		csv_free(&sc->csv);
	mj_rowbuf_free(&sc->rb);
	free(sc->fields);
	free(sc->buf);
}

static int scanner_init(struct scanner *sc, int fd, off_t start, off_t stop_at,
			off_t file_end, char delim, char eol, mj_row_fn on_row, void *ctx,
			const char *name)
{
	memset(sc, 0, sizeof *sc);
	sc->fd = fd;
	sc->next_read = start;
	sc->buf_off = start;
	sc->stop_at = stop_at;
	sc->file_end = file_end;
	sc->delim = delim;
	sc->eol = eol;
	sc->marks.delim = delim;
	sc->marks.eol = eol;
	sc->run = pick_run();
	sc->on_row = on_row;
	sc->ctx = ctx;
	sc->name = name;
	sc->line = 1;
	sc->part_start = start;
	sc->cap = SCAN_BLOCK;
	/* Memory is scanned in one piece, whatever its size. */
	if (fd < 0 || file_end - start < (off_t)sc->cap)
		sc->cap = (size_t)(file_end - start) + 16;
	sc->buf = calloc(1, sc->cap + SCAN_PAD);
	sc->fcap = 64;
	sc->fields = malloc((sc->fcap + FIELD_SLACK) * sizeof *sc->fields);
	return sc->buf && sc->fields ? 0 : -1;
}

int mj_scan_possible(const char *path, const struct mj_reader_opts *opts)
{
	if (strcmp(path, "-") == 0)
		return 0;
	if (opts && opts->encoding && strcmp(opts->encoding, "utf-8") != 0 &&
	    strcmp(opts->encoding, "utf8") != 0)
		return 0;
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	/* Workbooks are not text: mj_read_rows reads them, and says what
	 * other files that are not text are. */
	unsigned char magic[8];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t got = pread(fd, magic, sizeof magic, 0);
	close(fd);
	return !(got > 0 && (mj_xlsx_sniff(magic, (size_t)got) ||
			     mj_read_not_text(magic, (size_t)got)));
}

/* Scans parts from the queue until none is left; progress: this is the
 * calling thread, which tells progress. */
static void run_queue(struct part_queue *q, int progress)
{
	for (;;) {
		size_t k = atomic_fetch_add(&q->next, 1);
		if (k >= q->nparts)
			break;
		if (progress)
			q->parts[k].progress_parts = q->progress;
		scan_part(&q->parts[k]);
	}
}

static void *run_part(void *arg)
{
	run_queue(arg, 0);
	return NULL;
}

/* The offset just after the first line end at or after off, or end. */
static off_t next_line_start(int fd, off_t off, off_t end, char eol)
{
	char buf[65536];
	while (off < end) {
		ssize_t got = pread(fd, buf, sizeof buf, off);
		if (got <= 0)
			return end;
		char *nl = memchr(buf, eol, (size_t)got);
		if (nl)
			return off + (nl - buf) + 1;
		off += got;
	}
	return end;
}

/* Where part k of n begins in a body of len bytes. With more parts than
 * threads, parts shrink from the first to the last (part k weighs n - k):
 * a thread that runs out of parts waits for the others' last ones, and
 * those are small (a thirty-sixth of the file for 8 parts), where parts of
 * equal size left it idle for up to one whole part, a quarter of mj-tab's
 * time on two cores. Otherwise the parts are equal. */
static off_t part_start(off_t len, size_t k, size_t n, int shrink)
{
	off_t weight = shrink ? (off_t)(k * n - k * (k - 1) / 2) : (off_t)k;
	off_t total = shrink ? (off_t)(n * (n + 1) / 2) : (off_t)n;
	/* len / total * weight + its remainder's share: no overflow. */
	return len / total * weight + len % total * weight / total;
}

/* Reads the header with part 0 in this thread. Title rows above it are
 * no records (headgate.h): they go to the gate a row at a time until it
 * has passed the header on to the part's callback. Returns the gate's
 * failure (the part is then stopped); the part's own status is its own. */
static enum mj_status scan_header(struct scanner *sc, const struct mj_reader_opts *opts,
				  const char *name, struct mj_error *err)
{
	mj_row_fn on_row = sc->on_row;
	void *ctx = sc->ctx;
	struct mj_headgate gate;
	mj_headgate_init(&gate, on_row, ctx, opts);
	/* The lines above --header-row's are skipped as lines, not read as
	 * CSV: a title's stray quote cannot take the header into a field. */
	for (unsigned long k = 1; k < gate.want && sc->status == MJ_OK; k++) {
		int has_nl;
		size_t len = need_line(sc, &has_nl);
		if (len == 0)
			break;
		if (mj_line_filled(sc->buf + sc->cur, len, sc->delim))
			mj_above_header_add(gate.above, sc->line);
		sc->cur += len;
		sc->line += (unsigned long)has_nl;
	}
	if (!gate.open) {
		sc->on_row = mj_headgate_row;
		sc->ctx = &gate;
		sc->gate = &gate;
	}
	unsigned long before;
	do {
		before = sc->rows;
		sc->max_rows = (int)before + 1;
		scan_part(sc);
	} while (!gate.open && !gate.failed && !gate.nomem && sc->status == MJ_OK &&
		 !sc->stopped && sc->rows > before);
	sc->max_rows = 0;
	sc->gate = NULL;
	sc->on_row = sc->rb.on_row = on_row;
	sc->ctx = sc->rb.ctx = ctx;
	enum mj_status st = MJ_OK;
	if (gate.failed || gate.nomem ||
	    (!gate.open && sc->status == MJ_OK && !sc->stopped)) {
		/* The gate failed (the row's stop may look like a caller's),
		 * or the file ended before it passed a header on (its rows
		 * are then read as they are). */
		st = mj_headgate_status(&gate, name, err);
		sc->stopped = st != MJ_OK;
	}
	mj_headgate_free(&gate);
	return st;
}

enum mj_status mj_scan_file(const char *path, const struct mj_reader_opts *opts,
			    mj_row_fn on_row, mj_scan_prepare_fn prepare,
			    void **ctxs, size_t nparts,
			    struct mj_scan_result *result, struct mj_error *err)
{
	return mj_scan_file_at(path, opts, on_row, prepare, ctxs, nparts, NULL, result, err);
}

enum mj_status mj_scan_file_at(const char *path, const struct mj_reader_opts *opts,
			       mj_row_fn on_row, mj_scan_prepare_fn prepare,
			       void **ctxs, size_t nparts, const long *cuts,
			       struct mj_scan_result *result, struct mj_error *err)
{
	memset(result, 0, sizeof *result);
	if (nparts < 1)
		nparts = 1;
	if (nparts > MJ_SCAN_MAX_PARTS)
		nparts = MJ_SCAN_MAX_PARTS;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mj_error_set(err, MJ_E_IO, path, 0, 0, "cannot open: %s", strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return mj_error_set(err, MJ_E_IO, path, 0, 0, "not a regular file");
	}
	off_t size = st.st_size;
	char head[MJ_SNIFF_BYTES];
	ssize_t got = pread(fd, head, sizeof head, 0);
	if (got < 0) {
		close(fd);
		return mj_error_set(err, MJ_E_IO, path, 0, 0, "read error: %s", strerror(errno));
	}
	off_t start = got >= 3 && memcmp(head, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	char delim = opts && opts->delimiter ? opts->delimiter
		: mj_csv_detect_delimiter(head + start, (size_t)(got - start));
	char eol = mj_csv_detect_eol(head + start, (size_t)(got - start));
	enum mj_status st_out = MJ_OK;
	/* The header, in this thread. */
	struct scanner parts[MJ_SCAN_MAX_PARTS];
	size_t made = 0;
	if (scanner_init(&parts[0], fd, start, size, size, delim, eol, on_row, ctxs[0], path) != 0) {
		close(fd);
		return mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
	}
	made = 1;
	parts[0].opts = opts;
	st_out = scan_header(&parts[0], opts, path, err);
	parts[0].progress_parts = opts && opts->on_progress ? 1 : 0;
	if (st_out != MJ_OK || parts[0].status != MJ_OK || parts[0].stopped ||
	    parts[0].rows == 0) {
		result->nparts = 1;
		result->valid[0] = 1;
		result->line_base[0] = 1;
		goto finish;
	}
	off_t body = parts[0].end_off;
	/* Small files are not worth the threads. */
	if (!cuts && (size - body < (off_t)(4u << 20) || (opts && opts->threads == 1)))
		nparts = 1;
	if (nparts > 1 && prepare(ctxs, nparts) != 0) {
		st_out = mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
		goto finish;
	}
	size_t nthreads = opts && opts->threads ? opts->threads : nparts;
	if (nthreads > nparts)
		nthreads = nparts;
	off_t cut[MJ_SCAN_MAX_PARTS + 1];
	cut[0] = body;
	for (size_t k = 1; k < nparts; k++) {
		off_t at = cuts ? (off_t)cuts[k - 1]
			: body + part_start(size - body, k, nparts, nthreads < nparts);
		if (at < body)
			at = body;
		cut[k] = next_line_start(fd, at, size, eol);
		if (cut[k] < cut[k - 1])
			cut[k] = cut[k - 1];
	}
	cut[nparts] = size;
	parts[0].stop_at = cut[1];
	if (parts[0].progress_parts)
		parts[0].progress_parts = (unsigned)nparts;
	for (size_t k = 1; k < nparts; k++) {
		if (scanner_init(&parts[k], fd, cut[k], cut[k + 1], size, delim, eol, on_row,
				 ctxs[k], path) != 0) {
			st_out = mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
			goto finish;
		}
		made++;
	}
	/* Part 0 in this thread, which read the header, and then the parts
	 * that are left; the other threads take parts as they come free. */
	struct part_queue queue = {.nparts = nparts, .parts = parts,
				   .progress = parts[0].progress_parts ? 1 : 0};
	atomic_init(&queue.next, 1);
	atomic_init(&queue.done, (unsigned long long)(parts[0].next_read - start));
	for (size_t k = 0; k < nparts && nthreads > 1; k++) {
		parts[k].queue = &queue;
		parts[k].opts = opts;
	}
	pthread_t threads[MJ_SCAN_MAX_PARTS];
	int started[MJ_SCAN_MAX_PARTS] = {0};
	if (nthreads > 1) {
		for (size_t t = 1; t < nthreads; t++)
			started[t] = pthread_create(&threads[t], NULL, run_part, &queue) == 0;
		scan_part(&parts[0]);
		run_queue(&queue, 1);
		for (size_t t = 1; t < nthreads; t++)
			if (started[t])
				pthread_join(threads[t], NULL);
	} else {
		for (size_t k = 0; k < nparts; k++)
			scan_part(&parts[k]);
	}
	result->nparts = nparts;
	result->valid[0] = 1;
	result->line_base[0] = 1;
	/* A part counts when the part before it ended exactly where it began:
	 * otherwise a quoted field spanned the cut, and the part before goes
	 * on in sequence from where it really ended. */
	size_t k = 1;
	for (; k < nparts; k++) {
		struct scanner *prev = &parts[k - 1];
		if (prev->status != MJ_OK || prev->stopped)
			break;
		if (prev->end_off != cut[k])
			break;
		result->valid[k] = 1;
		result->line_base[k] = result->line_base[k - 1] + prev->line - 1;
	}
	if (k < nparts && parts[k - 1].status == MJ_OK && !parts[k - 1].stopped) {
		struct scanner *prev = &parts[k - 1];
		prev->stop_at = size;
		scan_part(prev);
	}
finish:
	for (size_t k = 0; k < made; k++) {
		if ((result->valid[k] || k == 0) && parts[k].status != MJ_OK && st_out == MJ_OK) {
			st_out = parts[k].status;
			if (err) {
				*err = parts[k].err;
				err->line += result->line_base[k] ? result->line_base[k] - 1 : 0;
			}
		}
		scanner_free(&parts[k]);
	}
	if (result->nparts == 0) {
		result->nparts = 1;
		result->valid[0] = 1;
		result->line_base[0] = 1;
	}
	close(fd);
	return st_out;
}

enum mj_status mj_scan_stream(const struct mj_scan_stream *in,
			      const struct mj_reader_opts *opts, mj_row_fn on_row, void *ctx,
			      struct mj_error *err)
{
	struct scanner sc;
	/* The end is not known: a buffer of the usual size, or more for
	 * the bytes already read. */
	if (scanner_init(&sc, in->fd, 0, STREAM_END, STREAM_END, in->delim, in->eol, on_row, ctx,
			 in->name) != 0) {
		scanner_free(&sc);
		return mj_error_set(err, MJ_E_NOMEM, in->name, 0, 0, "out of memory");
	}
	sc.stream = 1;
	sc.chunk = in->chunk;
	sc.file_end = (off_t)in->total;
	sc.next_read = (off_t)in->consumed;
	sc.opts = opts;
	if (in->len > sc.cap) {
		char *grown = realloc(sc.buf, in->len + SCAN_PAD);
		if (!grown) {
			scanner_free(&sc);
			return mj_error_set(err, MJ_E_NOMEM, in->name, 0, 0, "out of memory");
		}
		sc.buf = grown;
		sc.cap = in->len;
	}
	if (in->len)
		memcpy(sc.buf, in->head, in->len);
	memset(sc.buf + in->len, 0, SCAN_PAD);
	sc.lim = in->len;
	enum mj_status st = scan_header(&sc, opts, in->name, err);
	if (st == MJ_OK && sc.status == MJ_OK && !sc.stopped && sc.rows > 0) {
		sc.progress_parts = opts && opts->on_progress ? 1 : 0;
		scan_part(&sc);
	}
	if (st == MJ_OK && sc.status != MJ_OK) {
		st = sc.status;
		if (err)
			*err = sc.err;
	}
	scanner_free(&sc);
	return st;
}

enum mj_status mj_scan_mem(const char *text, size_t len, char delim,
			   mj_row_fn on_row, void *ctx, struct mj_error *err)
{
	struct scanner sc;
	char eol = mj_csv_detect_eol(text, len < MJ_SNIFF_BYTES ? len : MJ_SNIFF_BYTES);
	if (scanner_init(&sc, -1, 0, (off_t)len, (off_t)len, delim ? delim : ',', eol, on_row, ctx,
			 "<memory>") != 0 || len + 1 > sc.cap + 1) {
		scanner_free(&sc);
		return mj_error_set(err, MJ_E_NOMEM, "<memory>", 0, 0, "out of memory");
	}
	memcpy(sc.buf, text, len);
	memset(sc.buf + len, 0, SCAN_PAD);
	sc.lim = len;
	scan_part(&sc);
	enum mj_status st = sc.status;
	if (st != MJ_OK && err)
		*err = sc.err;
	scanner_free(&sc);
	return st;
}
