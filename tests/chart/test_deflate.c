/* Tests of the deflate blocks that copy a PNG's repeated rows
 * (lib/chart/chart_deflate.c, built into this test with the PNG writer,
 * chart_png.c): whatever the row's length and bytes and however many
 * copies, zlib inflates a stream that holds the block to exactly those
 * copies, and a PNG with runs anywhere to exactly its pixels. */
#include <stdint.h>
#include <zlib.h>

#include "chart_internal.h"
#include "check.h"
#include "png_rows.h"

/* A raw deflate stream: zlib's compression of before (a sync flush), the
 * block of k copies of its last rowlen bytes, and a last empty block.
 * Returns its length, or 0 when the block was refused; *bits is the
 * block's length in bits. */
static size_t stream_with_block(const unsigned char *before, size_t nbefore, size_t rowlen,
				size_t k, unsigned char *out, size_t room, size_t *bits)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	CHECK(deflateInit2(&z, 3, Z_DEFLATED, -15, 5, Z_DEFAULT_STRATEGY) == Z_OK);
	z.next_in = (unsigned char *)before;
	z.avail_in = (uInt)nbefore;
	z.next_out = out;
	z.avail_out = (uInt)room;
	CHECK(deflate(&z, Z_SYNC_FLUSH) == Z_OK && z.avail_in == 0 && z.avail_out > 0);
	size_t len = room - z.avail_out;
	deflateEnd(&z);
	const unsigned char *row = before + nbefore - rowlen;
	size_t need = chart_deflate_rows_room(rowlen, k);
	CHECK(need + len + 8 <= room);
	*bits = chart_deflate_rows(out + len, need, row, rowlen, k);
	if (!*bits)
		return 0;
	/* A last block of fixed codes holding only its end, after the block's
	 * last bits: BFINAL 1, BTYPE 1 in two bits (1 then 0), then the end
	 * of block, 7 zero bits. */
	size_t at = len * 8 + *bits;
	uint32_t last = 1u | 1u << 1;
	for (unsigned i = 0; i < 10; i++, at++) {
		unsigned char *byte = out + at / 8;
		if (at % 8 == 0)
			*byte = 0;
		*byte = (unsigned char)(*byte | ((last >> i & 1) << (at % 8)));
	}
	return (at + 7) / 8;
}

/* Inflates the raw stream; returns the bytes it holds or NULL. */
static unsigned char *inflate_all(const unsigned char *in, size_t len, size_t want)
{
	unsigned char *out = malloc(want + 1);
	z_stream z;
	memset(&z, 0, sizeof z);
	CHECK(inflateInit2(&z, -15) == Z_OK);
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)want + 1;
	int ret = inflate(&z, Z_FINISH);
	size_t got = want + 1 - z.avail_out;
	inflateEnd(&z);
	if (ret != Z_STREAM_END || got != want || z.avail_in != 0) {
		fprintf(stderr, "inflate: %d, %zu bytes of %zu: %s\n", ret, got, want,
			z.msg ? z.msg : "");
		free(out);
		return NULL;
	}
	return out;
}

/* A row of rowlen bytes: filter byte 0, then pixels of one colour
 * (kind 0 white, 1 black, the filter byte's own value) or of several. */
static void make_row(unsigned char *row, size_t rowlen, int kind, unsigned seed)
{
	row[0] = 0;
	for (size_t i = 1; i < rowlen; i++) {
		size_t px = (i - 1) / 3, c = (i - 1) % 3;
		if (kind == 0)
			row[i] = 255;
		else if (kind == 1)
			row[i] = 0;
		else
			row[i] = (unsigned char)((px / 7 + c * 31 + seed) * 2654435761u >> 24);
	}
}

static void test_rows(void)
{
	/* Lengths that leave 0, 1 and 2 after the 258s, and the longest a
	 * copy reaches back; pixel rows (3w + 1) and others. */
	static const size_t lens[] = {4, 7, 10, 259, 260, 261, 262, 517, 1201, 7201, 32767, 32768,
				      100, 516};
	static const size_t ks[] = {1, 2, 3, 129, 400};
	for (size_t li = 0; li < sizeof lens / sizeof *lens; li++) {
		for (int kind = 0; kind < 3; kind++) {
			for (size_t ki = 0; ki < sizeof ks / sizeof *ks; ki++) {
				size_t rowlen = lens[li], k = ks[ki];
				if (rowlen * k > (8u << 20))
					continue;
				size_t nbefore = 1000 + rowlen;
				unsigned char *before = malloc(nbefore);
				for (size_t i = 0; i < 1000; i++)
					before[i] = (unsigned char)(i * 7919u >> 3);
				make_row(before + 1000, rowlen, kind, (unsigned)li);
				size_t room = nbefore + 1024 + chart_deflate_rows_room(rowlen, k);
				unsigned char *stream = malloc(room);
				size_t bits = 0;
				size_t len = stream_with_block(before, nbefore, rowlen, k, stream,
							       room, &bits);
				CHECK(len > 0);
				size_t total = nbefore + rowlen * k;
				unsigned char *want = malloc(total);
				memcpy(want, before, nbefore);
				for (size_t r = 0; r < k; r++)
					memcpy(want + nbefore + r * rowlen, before + 1000, rowlen);
				unsigned char *got = len ? inflate_all(stream, len, total) : NULL;
				CHECK(got && memcmp(got, want, total) == 0);
				if (!got || memcmp(got, want, total) != 0)
					fprintf(stderr, "rowlen %zu, kind %d, %zu copies\n", rowlen,
						kind, k);
				/* A row of one colour takes 2 bits for each 258 bytes
				 * and a few more: far less than a copy of the row. */
				if (kind < 2 && (rowlen - 1) % 3 == 0 && rowlen >= 7)
					CHECK(bits <= 512 + k * (2 * (rowlen / 258) + 24));
				free(got);
				free(want);
				free(stream);
				free(before);
			}
		}
	}
}

/* What it cannot write, it refuses: too little room, rows longer than a
 * copy reaches back, no copies. */
static void test_refused(void)
{
	unsigned char row[40000];
	make_row(row, sizeof row, 2, 1);
	unsigned char out[4096];
	size_t room = chart_deflate_rows_room(1201, 10);
	CHECK(room <= sizeof out);
	CHECK(chart_deflate_rows(out, room, row, 1201, 10) > 0);
	CHECK(chart_deflate_rows(out, room - 1, row, 1201, 10) == 0);
	CHECK(chart_deflate_rows(out, sizeof out, row, 1201, 0) == 0);
	CHECK(chart_deflate_rows(out, sizeof out, row, 2, 1) == 0);
	unsigned char *big = malloc(chart_deflate_rows_room(32769, 1));
	CHECK(chart_deflate_rows(big, chart_deflate_rows_room(32769, 1), row, 32769, 1) == 0);
	free(big);
}

/* An image of w x h pixels whose row y is drawn from kind[y]: 0 white,
 * 1 one colour, any other a pattern of its own that changes along it. */
static cairo_surface_t *image_of(int w, int h, const unsigned *kind)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_surface_flush(s);
	unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	for (int y = 0; y < h; y++) {
		uint32_t *px = (uint32_t *)(void *)(d + (size_t)y * (size_t)stride);
		for (int x = 0; x < w; x++)
			px[x] = kind[y] == 0 ? 0xffffff : kind[y] == 1 ? 0x0072b2
				: ((uint32_t)x / 5 * 2654435761u ^ kind[y] * 40503u) & 0xffffff;
	}
	cairo_surface_mark_dirty(s);
	return s;
}

/* The image data of a PNG of s, as libpng would have it: each row's
 * filter byte (0) and its pixels' R, G, B. */
static unsigned char *rows_of(cairo_surface_t *s, size_t *len)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *d = cairo_image_surface_get_data(s);
	size_t rowlen = (size_t)w * 3 + 1;
	unsigned char *raw = malloc(rowlen * (size_t)h);
	for (int y = 0; y < h; y++) {
		unsigned char *r = raw + rowlen * (size_t)y;
		const uint32_t *px = (const uint32_t *)(const void *)(d + (size_t)y * (size_t)stride);
		r[0] = 0;
		for (int x = 0; x < w; x++) {
			r[1 + 3 * x] = (unsigned char)(px[x] >> 16);
			r[2 + 3 * x] = (unsigned char)(px[x] >> 8);
			r[3 + 3 * x] = (unsigned char)px[x];
		}
	}
	*len = rowlen * (size_t)h;
	return raw;
}

/* Images with runs of repeated rows at the start, between others, one
 * after another and at the end, of one colour or of several, long and
 * short, in rows of 259 to 32,767 bytes: the PNG holds exactly the image
 * (every layout has runs that are copied). */
static void test_png(void)
{
	static const int widths[] = {86, 700, 2400, 10922};
	for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++) {
		int w = widths[wi];
		size_t rowlen = (size_t)w * 3 + 1;
		int least = (int)((32768 + rowlen - 1) / rowlen); /* rows of a run */
		for (int layout = 0; layout < 4; layout++) {
			unsigned kind[4096];
			int h = 0;
			/* 0: one row and a run to the end; 1: runs of growing
			 * length between single rows; 2: runs back to back (each
			 * of another row); 3: runs too short, then one long. */
			if (layout == 0) {
				kind[h++] = 7;
				for (int i = 0; i < least * 3; i++)
					kind[h++] = 0;
			} else if (layout == 1) {
				for (int r = 0; r < 12 && h < 3000; r++) {
					kind[h++] = 100 + (unsigned)r;
					for (int i = 0; i <= least + r * (1 + least / 8) && h < 4000; i++)
						kind[h++] = r % 3 == 0 ? 0 : r % 3 == 1 ? 1 : 200 + (unsigned)r;
				}
			} else if (layout == 2) {
				for (int r = 0; r < 6; r++)
					for (int i = 0; i < least + r; i++)
						kind[h++] = r % 2 ? 1 : 300 + (unsigned)r;
			} else {
				for (int r = 0; r < 5; r++)
					for (int i = 0; i < least - 1 && h < 3000; i++)
						kind[h++] = 400 + (unsigned)r;
				for (int i = 0; i < least * 2; i++)
					kind[h++] = 0;
				kind[h++] = 9;
			}
			cairo_surface_t *s = image_of(w, h, kind);
			FILE *f = tmpfile();
			int error = 0;
			const char *why = NULL;
			CHECK(f && chart_png_write(s, f, &error, &why) == 0);
			size_t len = f ? (size_t)ftell(f) : 0;
			unsigned char *png = malloc(len + 1);
			if (f) {
				rewind(f);
				CHECK(fread(png, 1, len, f) == len);
				fclose(f);
			}
			size_t rawlen;
			unsigned char *want = rows_of(s, &rawlen), ihdr[13];
			unsigned char *got = png_rows(png, len, ihdr, rawlen);
			CHECK(got && memcmp(got, want, rawlen) == 0);
			CHECK(png_has_run(s));
			if (!got || memcmp(got, want, rawlen) != 0)
				fprintf(stderr, "width %d, layout %d: not its rows\n", w, layout);
			free(got);
			free(want);
			free(png);
			cairo_surface_destroy(s);
		}
	}
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"rows", test_rows},
		{"refused", test_refused},
		{"png", test_png},
		{0, 0}};
	return run_case(cases, argc, argv);
}
