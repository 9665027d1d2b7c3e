/* libFuzzer target, differential: the fast scanner must give exactly the
 * rows, fields, lines and status of the plain libcsv reader, scanning
 * memory with each version of its splitter (plain C, SSE2, AVX2, AVX-512,
 * those this processor has), scanning the file in two parts cut at a
 * byte the input picks (a cut may fall inside a quoted field), and
 * reading it as a stream (standard input) whose reads end at bytes the
 * input picks. */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "murojaat/reader.h"
#include "murojaat/schema.h"
#include "rowbuf.h"
#include "scan.h"
#include "xlsxread.h"

static int collect(void *ctx, const struct mj_field *fields, size_t n, unsigned long line)
{
	GString *s = ctx;
	g_string_append_printf(s, "%lu:%zu:", line, n);
	for (size_t i = 0; i < n; i++) {
		g_string_append_printf(s, "%zu=", fields[i].len);
		g_string_append_len(s, fields[i].text, (gssize)fields[i].len);
	}
	g_string_append_c(s, '\n');
	return 0;
}

static int no_prepare(void **ctxs, size_t n)
{
	(void)ctxs;
	(void)n;
	return 0;
}

/* Part 1 numbers its lines from 1: its rows with the lines of the file. */
static void append_based(GString *all, const GString *part, unsigned long base)
{
	const char *p = part->str, *end_all = part->str + part->len;
	while (p < end_all) {
		char *end;
		unsigned long n = strtoul(p, &end, 10);
		/* Fields may hold line breaks and NULs: rows are rebuilt field
		 * by field, by their lengths. */
		g_string_append_printf(all, "%lu", n + base - 1);
		p = end;
		size_t nf = strtoul(p + 1, &end, 10);
		g_string_append_len(all, p, end - p);
		p = end;
		g_string_append_c(all, *p++); /* ':' */
		for (size_t i = 0; i < nf; i++) {
			size_t flen = strtoul(p, &end, 10);
			g_string_append_len(all, p, end - p + 1 + (gssize)flen);
			p = end + 1 + flen;
		}
		g_string_append_c(all, *p++); /* '\n' */
	}
}

/* The text as a stream read chunk bytes at a time, its first chunk bytes
 * read beforehand (as mj_read_rows reads a pipe's head). */
static enum mj_status as_stream(int fd, const char *text, size_t len, char delim, size_t chunk,
				const struct mj_reader_opts *o, GString *out, struct mj_error *err)
{
	size_t head = chunk < len ? chunk : len;
	size_t sniff = len < MJ_SNIFF_BYTES ? len : MJ_SNIFF_BYTES;
	if (lseek(fd, (off_t)head, SEEK_SET) != (off_t)head)
		abort();
	struct mj_scan_stream in = {.fd = fd, .name = "<stdin>", .head = text, .len = head,
				    .consumed = head, .delim = delim, .chunk = chunk,
				    .eol = mj_csv_detect_eol(text, sniff)};
	return mj_scan_stream(&in, o, collect, out, err);
}

/* Aborts when the stream's rows or status differ from libcsv's. */
static void same_as_stream(const char *what, enum mj_status s_ref, const GString *ref,
			   enum mj_status s, const GString *got, size_t chunk)
{
	if (s != s_ref || (s_ref == MJ_OK && (ref->len != got->len ||
					      memcmp(ref->str, got->str, ref->len) != 0))) {
		fprintf(stderr, "libcsv%s (%d):\n%s\nstream read %zu bytes at a time (%d):\n%s\n",
			what, s_ref, ref->str, chunk, s, got->str);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The first byte picks the delimiter; no BOM handling differences. */
	if (size < 1)
		return 0;
	char delim = ",;\t|"[data[0] & 3];
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		return 0;
	/* Workbooks (zip files) and old or encrypted ones (OLE files) go to the
	 * .xlsx reader, not to either CSV path. */
	if (len >= 4 && memcmp(text, "PK\003\004", 4) == 0)
		return 0;
	if (len >= 8 && memcmp(text, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8) == 0)
		return 0;
	/* Nor are UTF-16 and gzip files text for either: the reader says what
	 * they are (mj_scan_possible() keeps them from the fast path). */
	if (mj_read_not_text(text, len))
		return 0;
	int fd = memfd_create("scan", 0);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		abort();
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	GString *ref = g_string_new(NULL), *fast = g_string_new(NULL);
	struct mj_error e1, e2;
	struct mj_reader_opts o = {.delimiter = delim};
	enum mj_status s1 = mj_read_rows(path, &o, collect, ref, NULL, &e1);
	static const enum mj_scan_isa isas[] = {MJ_SCAN_PLAIN, MJ_SCAN_SSE2, MJ_SCAN_AVX2,
						MJ_SCAN_AVX512};
	for (size_t k = 0; k < sizeof isas / sizeof *isas; k++) {
		if (mj_scan_set_isa(isas[k]) != 0)
			continue;
		g_string_truncate(fast, 0);
		enum mj_status s2 = mj_scan_mem(text, len, delim, collect, fast, &e2);
		/* The streaming reader works in 1 MiB blocks; rows over its
		 * limits are out of this comparison's scope. */
		if (s1 != s2 || (s1 == MJ_OK && (ref->len != fast->len ||
						 memcmp(ref->str, fast->str, ref->len) != 0))) {
			fprintf(stderr, "libcsv (%d):\n%s\nfast, splitter version %d (%d):\n%s\n",
				s1, ref->str, (int)isas[k], s2, fast->str);
			abort();
		}
	}
	mj_scan_set_isa(MJ_SCAN_AUTO);
	/* The file as a stream. */
	size_t chunk = 1 + (size_t)(data[0] >> 2);
	GString *st = g_string_new(NULL);
	struct mj_error e6;
	enum mj_status s6 = as_stream(fd, text, len, delim, chunk, &o, st, &e6);
	same_as_stream("", s1, ref, s6, st, chunk);
	/* The file in two parts. */
	GString *a = g_string_new(NULL), *b = g_string_new(NULL);
	void *ctxs[2] = {a, b};
	struct mj_scan_result res;
	struct mj_error e3;
	long cut = (long)(len * (data[0] >> 2) / 64);
	enum mj_status s3 = mj_scan_file_at(path, &o, collect, no_prepare, ctxs, 2, &cut, &res, &e3);
	if (s1 == MJ_OK) {
		GString *all = g_string_new_len(a->str, (gssize)a->len);
		if (res.nparts == 2 && res.valid[1])
			append_based(all, b, res.line_base[1]);
		if (s3 != MJ_OK || ref->len != all->len || memcmp(ref->str, all->str, ref->len) != 0) {
			fprintf(stderr, "libcsv:\n%s\nparts cut at %ld (%d):\n%s\n", ref->str, cut, s3,
				all->str);
			abort();
		}
		g_string_free(all, TRUE);
	}
	g_string_free(a, TRUE);
	g_string_free(b, TRUE);
	/* With the schema, rows above the header are dropped alike by the
	 * streaming reader and the scanner (headgate.h), a second bit of
	 * the first byte setting the header's line instead. */
	static struct mj_schema *schema;
	if (!schema && !(schema = mj_schema_default(NULL)))
		abort();
	struct mj_reader_opts og = {.delimiter = delim, .schema = schema,
				    .header_row = data[0] & 0x80 ? (data[0] >> 4 & 7) + 1 : 0};
	GString *gref = g_string_new(NULL), *ga = g_string_new(NULL), *gb = g_string_new(NULL);
	struct mj_error e4, e5;
	enum mj_status s4 = mj_read_rows(path, &og, collect, gref, NULL, &e4);
	void *gctxs[2] = {ga, gb};
	enum mj_status s5 = mj_scan_file_at(path, &og, collect, no_prepare, gctxs, 2, &cut, &res, &e5);
	if (s4 == MJ_OK || s4 == MJ_E_VALUE) {
		GString *all = g_string_new_len(ga->str, (gssize)ga->len);
		if (res.nparts == 2 && res.valid[1])
			append_based(all, gb, res.line_base[1]);
		if (s5 != s4 || (s4 == MJ_OK && (gref->len != all->len ||
						 memcmp(gref->str, all->str, gref->len) != 0))) {
			fprintf(stderr, "libcsv, header gate (%d):\n%s\nparts cut at %ld (%d):\n%s\n",
				s4, gref->str, cut, s5, all->str);
			abort();
		}
		g_string_free(all, TRUE);
	}
	g_string_truncate(st, 0);
	s6 = as_stream(fd, text, len, delim, chunk, &og, st, &e6);
	if (s4 == MJ_OK || s4 == MJ_E_VALUE)
		same_as_stream(", header gate", s4, gref, s6, st, chunk);
	g_string_free(st, TRUE);
	g_string_free(gref, TRUE);
	g_string_free(ga, TRUE);
	g_string_free(gb, TRUE);
	g_string_free(ref, TRUE);
	g_string_free(fast, TRUE);
	close(fd);
	return 0;
}
