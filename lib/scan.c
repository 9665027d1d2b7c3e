/* Fast scanning of CSV files, in parallel parts, with libcsv's results. */
#include "scan.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvdoc.h"
#include "rowbuf.h"
#include "xlsxread.h"
#include "i18n.h"

#define SCAN_BLOCK (1u << 20)

/* One part of a file, scanned by one thread. */
struct scanner {
	int fd;                 /* -1 when scanning memory */
	off_t next_read;        /* file offset of the next byte to read */
	off_t file_end;         /* end of the file */
	off_t stop_at;          /* rows starting at or after this belong to the next part */
	char *buf;              /* buf[0] is at file offset buf_off */
	size_t cap, lim, cur;   /* bytes held, next byte to scan */
	off_t buf_off;
	char delim;
	char eol;               /* the file's line end: '\n' or '\r' */
	unsigned long line;     /* line of the next row (local to the part) */
	struct csv_parser csv;
	int csv_ready;
	struct mj_rowbuf rb;
	struct mj_field *fields;/* fast-path fields */
	size_t fcap;
	mj_row_fn on_row;
	void *ctx;
	int max_rows;           /* stop after this many rows (0: no limit) */
	unsigned long rows;
	const struct mj_reader_opts *opts;
	unsigned progress_parts;  /* report progress (part 0) for this many parts */
	off_t part_start;
	/* Results. */
	enum mj_status status;
	struct mj_error err;
	const char *name;
	off_t end_off;          /* offset just after the last row scanned */
	int stopped;            /* the callback asked to stop */
};

static enum mj_status fail(struct scanner *sc, enum mj_status st, const char *msg)
{
	sc->status = st;
	mj_error_set(&sc->err, st, sc->name, sc->line, 0, "%s", MJ_(msg));
	return st;
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
		if (sc->fd < 0 || sc->next_read >= sc->file_end) {
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
			char *grown = realloc(sc->buf, sc->cap * 2 + 1);
			if (!grown) {
				fail(sc, MJ_E_NOMEM, "out of memory");
				*has_nl = 0;
				return 0;
			}
			sc->buf = grown;
			sc->cap *= 2;
		}
		size_t want = sc->cap - sc->lim;
		if ((off_t)want > sc->file_end - sc->next_read)
			want = (size_t)(sc->file_end - sc->next_read);
		ssize_t got = pread(sc->fd, sc->buf + sc->lim, want, sc->next_read);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			fail(sc, MJ_E_IO, got < 0 ? strerror(errno) : "file shrank while being read");
			*has_nl = 0;
			return 0;
		}
		sc->lim += (size_t)got;
		sc->next_read += got;
		/* Part 0 speaks for all parts: they are of equal size. */
		if (sc->progress_parts && sc->opts->on_progress) {
			unsigned long long done = (unsigned long long)(sc->next_read - sc->part_start) *
						  sc->progress_parts;
			sc->opts->on_progress(sc->opts->progress_ctx,
					      done < (unsigned long long)sc->file_end ? done
					      : (unsigned long long)sc->file_end,
					      (unsigned long long)sc->file_end);
		}
	}
}

/* Blank space that libcsv trims from the ends of an unquoted field: with
 * LF line ends a CR is blank too (see mj_rowbuf_set_eol). */
static int is_trim(char c, const struct scanner *sc)
{
	return (c == ' ' || c == '\t' || (c == '\r' && sc->eol == '\n')) && c != sc->delim;
}

/* Splits a line without quotes in place and hands it on. line_end is the
 * end of the content (before CR LF or LF). */
static int fast_row(struct scanner *sc, char *s, char *line_end)
{
	size_t n = 0;
	char *p = s;
	for (;;) {
		char *q = memchr(p, sc->delim, (size_t)(line_end - p));
		if (!q)
			q = line_end;
		char *a = p, *b = q;
		while (a < b && is_trim(*a, sc))
			a++;
		while (b > a && is_trim(b[-1], sc))
			b--;
		if (n == sc->fcap) {
			/* The same limit as libcsv's rows (rowbuf.c). */
			if (n == MJ_MAX_FIELDS)
				return fail(sc, MJ_E_LIMIT, MJ_ROW_LIMIT_MSG), -1;
			size_t cap = sc->fcap ? sc->fcap * 2 : 64;
			if (cap > MJ_MAX_FIELDS)
				cap = MJ_MAX_FIELDS;
			struct mj_field *f = realloc(sc->fields, cap * sizeof *f);
			if (!f)
				return fail(sc, MJ_E_NOMEM, "out of memory"), -1;
			sc->fields = f;
			sc->fcap = cap;
		}
		sc->fields[n].text = a;
		sc->fields[n].len = (size_t)(b - a);
		n++;
		*b = '\0';
		if (q == line_end)
			break;
		p = q + 1;
	}
	if (n == 1 && sc->fields[0].len == 0)
		return 0; /* a blank line, as libcsv skips it */
	sc->rows++;
	return sc->on_row(sc->ctx, sc->fields, n, sc->line);
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
	for (;;) {
		int has_nl;
		size_t len = need_line(sc, &has_nl);
		if (sc->status != MJ_OK)
			return -1;
		if (len == 0)
			break;
		char *s = sc->buf + sc->cur;
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
	if (sc->csv.pstate != 0 && sc->cur == sc->lim && (sc->fd < 0 || sc->next_read >= sc->file_end)) {
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
		if (sc->buf_off + (off_t)sc->cur >= sc->stop_at)
			break;
		if (sc->max_rows && sc->rows >= (unsigned long)sc->max_rows)
			break;
		int has_nl;
		size_t len = need_line(sc, &has_nl);
		if (sc->status != MJ_OK || len == 0)
			break;
		char *s = sc->buf + sc->cur;
		char *end = s + len - has_nl;
		/* With CR line ends an LF is data, and libcsv's rows count it
		 * in their lines: such a line goes to libcsv. */
		int simple = !memchr(s, '"', len) &&
			     (sc->eol == '\n' || !memchr(s, '\n', len));
		int rc;
		if (simple) {
			unsigned long this_line = sc->line;
			rc = fast_row(sc, s, end);
			sc->cur += len;
			sc->line = this_line + has_nl;
		} else {
			rc = slow_rows(sc);
		}
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
	sc->on_row = on_row;
	sc->ctx = ctx;
	sc->name = name;
	sc->line = 1;
	sc->part_start = start;
	sc->cap = SCAN_BLOCK;
	/* Memory is scanned in one piece, whatever its size. */
	if (fd < 0 || file_end - start < (off_t)sc->cap)
		sc->cap = (size_t)(file_end - start) + 16;
	sc->buf = malloc(sc->cap + 1);
	return sc->buf ? 0 : -1;
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
	/* Workbooks are not text: mj_read_rows reads them. */
	unsigned char magic[8];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t got = pread(fd, magic, sizeof magic, 0);
	close(fd);
	return !(got > 0 && mj_xlsx_sniff(magic, (size_t)got));
}

static void *run_part(void *arg)
{
	scan_part(arg);
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
	parts[0].max_rows = 1;
	scan_part(&parts[0]);
	parts[0].max_rows = 0;
	parts[0].progress_parts = opts && opts->on_progress ? 1 : 0;
	if (parts[0].status != MJ_OK || parts[0].stopped || parts[0].rows == 0) {
		result->nparts = 1;
		result->valid[0] = 1;
		result->line_base[0] = 1;
		goto finish;
	}
	off_t body = parts[0].end_off;
	/* Small files are not worth the threads. */
	if (!cuts && size - body < (off_t)(4u << 20))
		nparts = 1;
	if (nparts > 1 && prepare(ctxs, nparts) != 0) {
		st_out = mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
		goto finish;
	}
	off_t cut[MJ_SCAN_MAX_PARTS + 1];
	cut[0] = body;
	for (size_t k = 1; k < nparts; k++) {
		off_t at = cuts ? (off_t)cuts[k - 1] : body + (size - body) * (off_t)k / (off_t)nparts;
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
	pthread_t threads[MJ_SCAN_MAX_PARTS];
	int started[MJ_SCAN_MAX_PARTS] = {0};
	for (size_t k = 1; k < nparts; k++)
		started[k] = pthread_create(&threads[k], NULL, run_part, &parts[k]) == 0;
	scan_part(&parts[0]);
	for (size_t k = 1; k < nparts; k++) {
		if (started[k])
			pthread_join(threads[k], NULL);
		else
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
	sc.lim = len;
	scan_part(&sc);
	enum mj_status st = sc.status;
	if (st != MJ_OK && err)
		*err = sc.err;
	scanner_free(&sc);
	return st;
}
