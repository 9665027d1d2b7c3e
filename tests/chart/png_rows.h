/* Reading back the PNGs the chart writer makes, for its tests. */
#ifndef MJ_TEST_PNG_ROWS_H
#define MJ_TEST_PNG_ROWS_H

#include <cairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* The rows a PNG (len bytes at d) holds, checked: the IHDR's 13 bytes are
 * put in ihdr, and the IDAT chunks' data, inflated (zlib checks its
 * Adler-32), is returned (the caller frees it). NULL when a chunk's CRC is
 * wrong, an IDAT but the last is not of libpng's 8192 bytes, or the
 * stream does not inflate to exactly rawlen bytes. */
static inline unsigned char *png_rows(const unsigned char *d, size_t len, unsigned char *ihdr,
				      size_t rawlen)
{
	unsigned char *z = malloc(len), *raw = malloc(rawlen + 1);
	size_t zlen = 0, p = 8, last_idat = 0;
	int bad = len < 8 || memcmp(d, "\x89PNG\r\n\x1a\n", 8) != 0;
	while (!bad && p + 12 <= len) {
		size_t n = (size_t)d[p] << 24 | (size_t)d[p + 1] << 16 | (size_t)d[p + 2] << 8 |
			   d[p + 3];
		if (p + 12 + n > len)
			break;
		uint32_t want = (uint32_t)d[p + 8 + n] << 24 | (uint32_t)d[p + 9 + n] << 16 |
				(uint32_t)d[p + 10 + n] << 8 | d[p + 11 + n];
		bad |= crc32(0, d + p + 4, (uInt)(n + 4)) != want;
		if (memcmp(d + p + 4, "IHDR", 4) == 0 && n == 13)
			memcpy(ihdr, d + p + 8, 13);
		if (memcmp(d + p + 4, "IDAT", 4) == 0) {
			bad |= last_idat && last_idat != 8192;
			memcpy(z + zlen, d + p + 8, n);
			zlen += n;
			last_idat = n;
		}
		p += 12 + n;
	}
	uLongf got = (uLongf)rawlen + 1;
	bad |= p != len || uncompress(raw, &got, z, (uLong)zlen) != Z_OK || got != rawlen;
	free(z);
	if (bad) {
		free(raw);
		return NULL;
	}
	return raw;
}

/* Whether image s has rows repeating the row above for 32 K bytes or
 * more, of at most 32 K bytes each (rows a deflate match reaches): a
 * check of a test's own image, that it has long runs of repeated rows. */
static inline int png_has_run(cairo_surface_t *s)
{
	cairo_surface_flush(s);
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *d = cairo_image_surface_get_data(s);
	size_t rowlen = (size_t)w * 3 + 1, run = 0;
	if (rowlen > 32768)
		return 0;
	for (int y = 1; y < h; y++) {
		run = memcmp(d + (size_t)y * (size_t)stride, d + (size_t)(y - 1) * (size_t)stride,
			     (size_t)w * 4) == 0 ? run + rowlen : 0;
		if (run >= 32768)
			return 1;
	}
	return 0;
}

#endif
