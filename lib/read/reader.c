/* Streaming CSV reading: blocks of 1 MiB through libcsv, rows to a callback. */
#include "murojaat/reader.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csvdoc.h"
#include "headgate.h"
#include "rowbuf.h"
#include "scan.h"
#include "xlsxread.h"

#define BLOCK (1u << 20)

static int looks_utf8(const char *buf, size_t len)
{
	/* A block may end inside a character; ignore a short tail. */
	const char *end;
	if (g_utf8_validate(buf, (gssize)len, &end))
		return 1;
	if ((size_t)(buf + len - end) < 4 && len >= 4)
		return 1;
	/* Not all UTF-8: two files pasted together, or Windows-1251 whose
	 * letters now and then pair into a UTF-8 character. The more common
	 * wins, so that one pasted row of the other encoding is reported as
	 * that row's problem and does not garble the whole file. */
	size_t good = 0, bad = 0;
	const char *p = buf, *stop = buf + len;
	while (p < stop) {
		g_utf8_validate(p, stop - p, &end);
		for (const char *q = p; q < end; q++)
			good += ((unsigned char)*q & 0xC0) == 0xC0;
		if (end >= stop || stop - end < 4)
			break;
		bad++;
		p = end + 1;
	}
	return good > bad;
}

enum mj_status mj_read_rows(const char *path, const struct mj_reader_opts *opts,
			    mj_row_fn on_row_fn, void *ctx,
			    const char **detected, struct mj_error *err)
{
	int is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mj_error_set(err, MJ_E_IO, name, 0, 0, "cannot open: %s",
				    strerror(errno));
	struct stat st = {0};
	unsigned long long total = 0;
	if (fstat(fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			if (!is_stdin)
				close(fd);
			return mj_error_set(err, MJ_E_IO, name, 0, 0,
					    "is a directory, not a file of records");
		}
		if (S_ISREG(st.st_mode))
			total = (unsigned long long)st.st_size;
	}
	/* Excel workbooks (recognised by content) have their own reader. */
	if (opts && opts->sheet_read)
		opts->sheet_read[0] = '\0';
	if (opts && opts->sheet_count)
		*opts->sheet_count = 0;
	if (opts && opts->above)
		memset(opts->above, 0, sizeof *opts->above);
	unsigned char magic[8];
	if (!is_stdin && S_ISREG(st.st_mode) && pread(fd, magic, 8, 0) == 8 &&
	    mj_xlsx_sniff(magic, 8)) {
		close(fd);
		if (detected)
			*detected = "utf-8";
		return mj_xlsx_read_rows(path, opts, on_row_fn, ctx, err);
	}
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	enum mj_status status = MJ_OK;
	struct csv_parser parser;
	int parser_ready = 0;
	iconv_t cd = (iconv_t)-1;
	/* Small files need no full block (the fuzzer reads thousands). */
	size_t block = total && total < BLOCK ? (size_t)total + 1 : BLOCK;
	char *in = malloc(block + 4);
	char *conv = NULL;
	/* Title rows above the header are no records (headgate.h). */
	struct mj_headgate gate;
	mj_headgate_init(&gate, on_row_fn, ctx, opts);
	struct mj_rowbuf rb = {.on_row = gate.open ? on_row_fn : mj_headgate_row,
			       .ctx = gate.open ? ctx : (void *)&gate, .next_line = 1};
	struct mj_quote_watch quotes;
	mj_quote_watch_start(&quotes, 1);
	unsigned long skip_left = gate.want > 1 ? gate.want - 1 : 0;
	int skip_filled = 0;
	char delim = ',';
	if (!in) {
		status = mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
		goto done;
	}
	if (csv_init(&parser, CSV_APPEND_NULL | CSV_REPALL_NL) != 0) {
		status = mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
		goto done;
	}
	parser_ready = 1;
	csv_set_blk_size(&parser, 1u << 16);

	const char *enc = opts && opts->encoding ? opts->encoding : "utf-8";
	int first = 1;
	unsigned long long done_bytes = 0;
	for (;;) {
		ssize_t got = read(fd, in, block);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			status = mj_error_set(err, MJ_E_IO, name, rb.next_line, 0,
					      "read error: %s", strerror(errno));
			goto done;
		}
		if (got == 0)
			break;
		/* A pipe may give the start in small pieces: the delimiter and
		 * the line end are decided on the same bytes as for a file. */
		while (first && (size_t)got < block && (size_t)got < MJ_SNIFF_BYTES) {
			ssize_t more = read(fd, in + got, block - (size_t)got);
			if (more < 0 && errno == EINTR)
				continue;
			if (more < 0) {
				status = mj_error_set(err, MJ_E_IO, name, 0, 0,
						      "read error: %s", strerror(errno));
				goto done;
			}
			if (more == 0)
				break;
			got += more;
		}
		size_t len = (size_t)got;
		done_bytes += len;
		char *data = in;
		if (first) {
			first = 0;
			if (mj_xlsx_sniff(data, len)) { /* a workbook from a pipe */
				status = mj_xlsx_read_fd(fd, data, len, name, opts,
							 on_row_fn, ctx, err);
				goto done;
			}
			int not_text = mj_read_not_text(data, len);
			if (not_text == 1) {
				status = mj_error_set(err, MJ_E_ENCODING, name, 0, 0,
					"the file is UTF-16 text (as Excel saves \"Unicode text\"); save it as \"CSV UTF-8\", or convert it: iconv -f UTF-16 -t UTF-8");
				goto done;
			}
			if (not_text == 2) {
				status = mj_error_set(err, MJ_E_ENCODING, name, 0, 0,
					"the file is compressed (gzip); decompress it first (gunzip)");
				goto done;
			}
			if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
				data += 3;
				len -= 3;
				if (strcmp(enc, "auto") == 0)
					enc = "utf-8";
			}
			if (strcmp(enc, "auto") == 0)
				enc = looks_utf8(data, len) ? "utf-8" : "cp1251";
			if (g_ascii_strcasecmp(enc, "cp1251") == 0 ||
			    g_ascii_strcasecmp(enc, "windows-1251") == 0) {
				enc = "cp1251";
				cd = iconv_open("UTF-8", "CP1251");
				conv = malloc(block * 3 + 16);
				if (cd == (iconv_t)-1 || !conv) {
					status = mj_error_set(err, MJ_E_ENCODING, name, 0, 0,
						"cannot convert from Windows-1251");
					goto done;
				}
			} else if (g_ascii_strcasecmp(enc, "utf-8") == 0 ||
				   g_ascii_strcasecmp(enc, "utf8") == 0) {
				enc = "utf-8";
			} else {
				status = mj_error_set(err, MJ_E_USAGE, name, 0, 0,
					"unknown encoding \"%s\" (expected utf-8 or cp1251)", enc);
				goto done;
			}
			if (detected)
				*detected = enc;
			size_t sniff = (size_t)(data - in) + len < MJ_SNIFF_BYTES ? len
				: MJ_SNIFF_BYTES - (size_t)(data - in);
			delim = opts && opts->delimiter ? opts->delimiter
				: mj_csv_detect_delimiter(data, sniff);
			char eol = mj_csv_detect_eol(data, sniff);
			if (cd == (iconv_t)-1 && (is_stdin || !S_ISREG(st.st_mode))) {
				/* Standard input and pipes: the fast scanner, in
				 * one thread. Named files are read here by libcsv,
				 * the reference the scanner is tested against
				 * (mj_scan_file reads them faster, in parts). */
				struct mj_scan_stream in = {
					.fd = fd, .name = name, .head = data, .len = len,
					.consumed = done_bytes, .total = total,
					.delim = delim, .eol = eol};
				status = mj_scan_stream(&in, opts, on_row_fn, ctx, err);
				goto done;
			}
			csv_set_delim(&parser, (unsigned char)delim);
			mj_rowbuf_set_eol(&rb, &parser, eol);
		}
		if (cd != (iconv_t)-1) {
			char *src = data, *dst = conv;
			size_t left = len, room = block * 3 + 16;
			/* Windows-1251 is one byte per character: a block
			 * never ends inside one. */
			if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1) {
				status = mj_error_set(err, MJ_E_ENCODING, name, rb.next_line, 0,
					"cannot convert from Windows-1251: %s", strerror(errno));
				goto done;
			}
			data = conv;
			len = (size_t)(dst - conv);
		}
		/* The lines above --header-row's are skipped as lines, not
		 * read as CSV (as the fast scanner skips them). */
		char eolc = rb.eol ? rb.eol : '\n';
		while (skip_left && len) {
			char *nl = memchr(data, eolc, len);
			size_t n = nl ? (size_t)(nl - data) + 1 : len;
			skip_filled |= mj_line_filled(data, n, delim);
			data += n;
			len -= n;
			if (nl) {
				if (skip_filled)
					mj_above_header_add(gate.above, rb.next_line);
				skip_filled = 0;
				skip_left--;
				rb.next_line++;
				mj_quote_watch_start(&quotes, rb.next_line);
			}
		}
		/* The rows before a field that would swallow the lines after
		 * it are read, as the fast scanner reads them. */
		size_t at;
		int broken = mj_quote_watch(&quotes, data, len, delim, rb.eol ? rb.eol : '\n', &at);
		if (broken) {
			if (csv_parse(&parser, data, at, mj_rowbuf_field, mj_rowbuf_end, &rb) != at &&
			    !rb.stop) {
				status = mj_error_set(err, MJ_E_PARSE, name, rb.next_line, 0,
						      "%s", csv_strerror(csv_error(&parser)));
				goto done;
			}
			if (!rb.stop)
				status = mj_error_set(err, MJ_E_PARSE, name, quotes.odd_line,
						      quotes.odd_field, "%s",
						      mj_headgate_seeking(&gate)
						      ? MJ_(MJ_QUOTE_TITLE_MSG) : MJ_(MJ_QUOTE_TEXT_MSG));
			goto done;
		}
		if (csv_parse(&parser, data, len, mj_rowbuf_field, mj_rowbuf_end, &rb) != len &&
		    !rb.stop) {
			status = mj_error_set(err, MJ_E_PARSE, name, rb.next_line, 0,
					      "%s", csv_strerror(csv_error(&parser)));
			goto done;
		}
		if (rb.nomem) {
			status = mj_error_set(err, MJ_E_NOMEM, name, rb.next_line, 0,
					      "out of memory");
			goto done;
		}
		if (mj_rowbuf_check(&rb, &parser)) {
			status = mj_error_set(err, MJ_E_LIMIT, name, rb.overflow_line, 0,
					      MJ_ROW_LIMIT_MSG);
			goto done;
		}
		if (rb.stop)
			goto done;
		if (gate.open && rb.on_row != on_row_fn) {
			rb.on_row = on_row_fn;
			rb.ctx = ctx;
		}
		if (opts && opts->on_progress)
			opts->on_progress(opts->progress_ctx, done_bytes, total);
	}
	if (first && detected)
		*detected = strcmp(enc, "auto") == 0 ? "utf-8" : enc;
	/* libcsv (3.0) accepts an unterminated quote at the end in
	 * non-strict mode; a register cut short must not pass silently. */
	if (parser.quoted && parser.pstate == 2 /* inside a quoted field */) {
		status = mj_error_set(err, MJ_E_PARSE, name, rb.next_line, 0,
			"unterminated quoted field at end of file (a '\"' opens a field that never closes)");
		goto done;
	}
	if (csv_fini(&parser, mj_rowbuf_field, mj_rowbuf_end, &rb) != 0) {
		status = mj_error_set(err, MJ_E_PARSE, name, rb.next_line, 0,
				      "%s", csv_strerror(csv_error(&parser)));
		goto done;
	}
	if (rb.overflow)
		status = mj_error_set(err, MJ_E_LIMIT, name, rb.overflow_line, 0,
				      MJ_ROW_LIMIT_MSG);
	else if (rb.nomem)
		status = mj_error_set(err, MJ_E_NOMEM, name, rb.next_line, 0,
				      "out of memory");
	else if (!rb.stop)
		status = mj_headgate_status(&gate, name, err);
done:
	/* A row above the header that may be a record stops the file on
	 * every path (the callback's stop looks like a caller's). */
	if (status == MJ_OK && (gate.failed || gate.nomem))
		status = mj_headgate_status(&gate, name, err);
	mj_headgate_free(&gate);
	if (parser_ready)
		csv_free(&parser);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	free(conv);
	free(in);
	mj_rowbuf_free(&rb);
	if (!is_stdin)
		close(fd);
	return status;
}

int mj_read_above_note(const char *path, const struct mj_above_header *above,
		       struct mj_error *note)
{
	if (!above || !above->rows)
		return 0;
	unsigned long a = above->first, b = above->last, h = above->header;
	if (a == b && above->workbook)
		mj_error_set(note, MJ_OK, path, 0, 0,
			     "note: row %lu, above the header (row %lu), was skipped as a title or a note",
			     a, h);
	else if (a == b)
		mj_error_set(note, MJ_OK, path, 0, 0,
			     "note: line %lu, above the header (line %lu), was skipped as a title or a note",
			     a, h);
	else if (above->workbook)
		mj_error_set(note, MJ_OK, path, 0, 0,
			     "note: rows %lu–%lu, above the header (row %lu), were skipped as titles or notes",
			     a, b, h);
	else
		mj_error_set(note, MJ_OK, path, 0, 0,
			     "note: lines %lu–%lu, above the header (line %lu), were skipped as titles or notes",
			     a, b, h);
	return 1;
}

int mj_read_sheet_note(const char *path, size_t count, const char *read,
		       const char *asked, struct mj_error *note)
{
	if (asked || count < 2)
		return 0;
	mj_error_set(note, MJ_OK, path, 0, 0,
		     "note: the workbook has %zu sheets; only the first, '%s', was read (--sheet NAME or N reads another; each sheet is read in a run of its own)",
		     count, read ? read : "");
	return 1;
}
