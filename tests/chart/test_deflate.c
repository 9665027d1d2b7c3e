/* Tests of the deflate stream of a chart's rows (lib/chart/chart_deflate.c,
 * built into this test with the PNG writer, chart_png.c): whatever the
 * rows' length and bytes, zlib inflates the stream to exactly those rows
 * (its Adler-32 checked), across blocks and as the window moves; and a
 * PNG with runs of repeated rows anywhere holds exactly its pixels. */
#include <stdint.h>
#include <zlib.h>

#include "chart_internal.h"
#include "check.h"
#include "png_rows.h"

/* A zlib stream (header, deflate, Adler-32) of nrows rows of rowlen
 * bytes at rows; NULL when refused. */
static unsigned char *zip_rows(const unsigned char *rows, size_t rowlen, size_t nrows,
			       size_t *len)
{
	struct chart_zip *z = chart_zip_new(rowlen);
	if (!z)
		return NULL;
	static const unsigned char head[2] = {0x78, 0x5e};
	CHECK(chart_zip_put(z, head, 2) == 0);
	size_t total = 0;
	unsigned char *out = NULL;
	for (size_t r = 0; r < nrows; r++) {
		/* Told when the row repeats the one above, as the PNG
		 * writer tells it. */
		int same = r > 0 && memcmp(rows + r * rowlen, rows + (r - 1) * rowlen, rowlen) == 0;
		CHECK(chart_zip_row(z, rows + r * rowlen, same) == 0);
		/* Take some of the output now and then, as the PNG writer does. */
		if (r % 5 == 4) {
			/* Half of what is there, then the rest: what is left
			 * after a partial take is the stream's next bytes. */
			size_t n;
			const unsigned char *d = chart_zip_output(z, &n);
			size_t half = n / 2;
			out = realloc(out, total + n + 1);
			memcpy(out + total, d, half);
			total += half;
			chart_zip_consume(z, half);
			d = chart_zip_output(z, &n);
			memcpy(out + total, d, n);
			total += n;
			chart_zip_consume(z, n);
		}
	}
	CHECK(chart_zip_finish(z) == 0);
	uint32_t adler = (uint32_t)adler32(1, rows, (uInt)(rowlen * nrows));
	unsigned char check[4] = {(unsigned char)(adler >> 24), (unsigned char)(adler >> 16),
				  (unsigned char)(adler >> 8), (unsigned char)adler};
	CHECK(chart_zip_put(z, check, 4) == 0);
	size_t n;
	const unsigned char *d = chart_zip_output(z, &n);
	out = realloc(out, total + n);
	memcpy(out + total, d, n);
	*len = total + n;
	chart_zip_free(z);
	return out;
}

/* Inflates a zlib stream (its checksum checked); the bytes it holds, or
 * NULL. */
static unsigned char *inflate_all(const unsigned char *in, size_t len, size_t want)
{
	unsigned char *out = malloc(want + 1);
	z_stream z;
	memset(&z, 0, sizeof z);
	CHECK(inflateInit(&z) == Z_OK);
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

/* Row r of kind: 0 one colour; 1 runs of colours that change along it;
 * 2 random bytes (literals); 3 the row two or three above with a few
 * bytes changed (matches of the row above and further back); 4 words
 * repeated along the row at odd distances (matches the hash finds); 5
 * each row random or a copy of the one above, at random. */
static void make_rows(unsigned char *rows, size_t rowlen, size_t nrows, int kind,
		      unsigned *seed)
{
	for (size_t r = 0; r < nrows; r++) {
		unsigned char *row = rows + r * rowlen;
		unsigned char *above = r ? row - rowlen : NULL;
		int k = kind;
		if (kind == 5)
			k = above && rand_r(seed) % 3 ? 6 : 2;
		for (size_t i = 0; i < rowlen; i++) {
			switch (k) {
			case 0:
				row[i] = i ? 0x72 : 0;
				break;
			case 1:
				row[i] = (unsigned char)((i / 3 / (r % 7 + 5) + i % 3 * 31 + r / 9) *
							 2654435761u >> 24);
				break;
			case 2:
				row[i] = (unsigned char)rand_r(seed);
				break;
			case 3:
				row[i] = r >= 3 && rand_r(seed) % 50 ? row[i - (r % 2 + 2) * rowlen]
								    : (unsigned char)rand_r(seed);
				break;
			case 4:
				row[i] = i >= 11 && rand_r(seed) % 40 ? row[i - 11 - r % 5]
								   : (unsigned char)rand_r(seed);
				break;
			default:
				row[i] = above[i];
			}
		}
	}
}

static void test_rows(void)
{
	/* Short rows, rows of 258 and either side, pixel rows (3w + 1), and
	 * the longest a match reaches back; enough rows that the window
	 * moves several times and the symbols fill several blocks. */
	static const size_t lens[] = {1, 2, 3, 4, 5, 7, 257, 258, 259, 1201, 7201, 32767, 32768};
	unsigned seed = 7;
	for (size_t li = 0; li < sizeof lens / sizeof *lens; li++) {
		for (int kind = 0; kind < 6; kind++) {
			size_t rowlen = lens[li];
			/* The window moves after 96 K bytes: more than twice
			 * for long rows, once for short ones (a row costs the
			 * most). */
			size_t bytes = rowlen < 64 ? 120000 : 240000;
			size_t nrows = (bytes + rowlen - 1) / rowlen + 3;
			unsigned char *rows = malloc(rowlen * nrows);
			make_rows(rows, rowlen, nrows, kind, &seed);
			size_t len = 0;
			unsigned char *zs = zip_rows(rows, rowlen, nrows, &len);
			unsigned char *got = zs ? inflate_all(zs, len, rowlen * nrows) : NULL;
			CHECK(got && memcmp(got, rows, rowlen * nrows) == 0);
			if (!got || memcmp(got, rows, rowlen * nrows) != 0)
				fprintf(stderr, "rowlen %zu, kind %d: not its rows\n", rowlen, kind);
			/* Rows of one colour come out small: at most 4 bits a row
			 * and 8 for each 258 bytes (rows of 4 bytes or more: a
			 * match ends at its row's end). */
			if (kind == 0 && rowlen >= 4)
				CHECK(len <= 600 + nrows / 2 + rowlen * nrows / 258);
			free(got);
			free(zs);
			free(rows);
		}
	}
}

/* No rows at all, and a single row: still a whole stream. */
static void test_empty(void)
{
	size_t len = 0;
	unsigned char row[4] = {0, 1, 2, 3};
	unsigned char *zs = zip_rows(row, 4, 0, &len);
	CHECK(zs && len > 0);
	unsigned char *got = zs ? inflate_all(zs, len, 0) : NULL;
	CHECK(got != NULL);
	free(got);
	free(zs);
	zs = zip_rows(row, 4, 1, &len);
	got = zs ? inflate_all(zs, len, 4) : NULL;
	CHECK(got && memcmp(got, row, 4) == 0);
	free(got);
	free(zs);
}

/* Rows longer than a match reaches back, or of no bytes, are refused. */
static void test_refused(void)
{
	CHECK(chart_zip_new(0) == NULL);
	CHECK(chart_zip_new(32769) == NULL);
	struct chart_zip *z = chart_zip_new(32768);
	CHECK(z != NULL);
	chart_zip_free(z);
	chart_zip_free(NULL);
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
 * (every layout has long runs, which the writer takes as repeated rows). */
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
		{"empty", test_empty},
		{"refused", test_refused},
		{"png", test_png},
		{0, 0}};
	return run_case(cases, argc, argv);
}
