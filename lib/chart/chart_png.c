/* A chart's pixels as a PNG file, written here with zlib (or libpng) rather
 * than cairo's own writer: cairo compresses at zlib's default with every
 * row filter tried, which made the report's dozen PNGs most of its time.
 * Charts are large flat areas of few colours, which deflate packs best
 * unfiltered.
 * Level 3 (zlib's fast matcher) takes less than half the time of level 6
 * on the report's charts for files about a third larger; levels 1 and 2
 * are hardly faster and larger still. zlib's memLevel is 5, not its
 * default 8: a hash table of 4 K entries rather than 32 K took a fifth of
 * the instructions off the report's PNG threads, and its smaller blocks
 * made the files a little smaller (1.78 against 1.80 MB for the twelve).
 * ISA-L's deflate was five times faster but is not used: its output for
 * the same rows differed now and then when threads compressed at once.
 * libdeflate was no faster than zlib. Half the rows of the report's
 * charts repeat the row above; long runs of them are copied by blocks of
 * chart_deflate.c, not searched by zlib (a quarter of the report's fixed
 * cost, its work apart from reading the register; and its PNGs 7 %
 * smaller). The same pixels give the same bytes, run after run.
 * A batch (mj_chart_batch_new()) writes them on threads of its own while
 * its caller goes on: the caller records each chart's drawing (pango's
 * objects stay on its thread; the recording holds only cairo's, which lock
 * the fonts they share) and a thread of the batch paints and compresses
 * it. */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <png.h>
#include <zlib.h>

#include "chart_internal.h"

struct png_out {
	FILE *f;
	int error; /* errno of the first failed write */
	const char *why; /* libpng's message when it gave up */
};

static void png_out_write(png_structp png, png_bytep data, size_t len)
{
	struct png_out *o = png_get_io_ptr(png);
	if (!o->error && fwrite(data, 1, len, o->f) != len)
		o->error = errno ? errno : EIO;
	if (o->error)
		png_error(png, "write error");
}

static void png_out_flush(png_structp png)
{
	(void)png;
}

static void png_out_fail(png_structp png, png_const_charp msg)
{
	struct png_out *o = png_get_error_ptr(png);
	if (!o->why)
		o->why = msg;
	png_longjmp(png, 1);
}

static void png_out_warn(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* The first pixels of a row (a multiple of 4), four at a time as three
 * 32-bit words of R, G, B bytes: a sixth of the compression's time went
 * to taking them a byte at a time. Returns how many it did. */
static int rgb_words(unsigned char *row, const uint32_t *src, int w)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	int x = 0;
	for (; x + 4 <= w; x += 4) {
		/* 0x00RRGGBB to 0x00BBGGRR: R, G, B in memory order. */
		uint32_t q[4];
		for (int i = 0; i < 4; i++)
			q[i] = __builtin_bswap32(src[x + i]) >> 8;
		uint32_t out[3] = {q[0] | q[1] << 24, q[1] >> 8 | q[2] << 16, q[2] >> 16 | q[3] << 8};
		memcpy(row + 3 * x, out, sizeof out);
	}
	return x;
#else
	(void)row;
	(void)src;
	(void)w;
	return 0;
#endif
}

#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#include <immintrin.h>
#define RGB_SSSE3 1

/* The first pixels of a row (a multiple of 16), sixteen at a time with
 * SSSE3's byte shuffle, on processors that have it (nearly every x86-64
 * since 2006): rgb_words() took a sixth of the PNG threads' time, at 2.2
 * ns a pixel of the report's charts; this takes 0.25. Returns how many
 * it did. */
__attribute__((target("ssse3")))
static int rgb_ssse3(unsigned char *row, const uint32_t *src, int w)
{
	/* Bytes B, G, R, 0 of four pixels to R, G, B of each, then 4 zeros. */
	const __m128i order = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12,
					    -1, -1, -1, -1);
	int x = 0;
	for (; x + 16 <= w; x += 16) {
		__m128i a = _mm_shuffle_epi8(_mm_loadu_si128((const void *)(src + x)), order);
		__m128i b = _mm_shuffle_epi8(_mm_loadu_si128((const void *)(src + x + 4)), order);
		__m128i c = _mm_shuffle_epi8(_mm_loadu_si128((const void *)(src + x + 8)), order);
		__m128i d = _mm_shuffle_epi8(_mm_loadu_si128((const void *)(src + x + 12)), order);
		/* 12 bytes of each, joined into 48. */
		_mm_storeu_si128((void *)(row + 3 * x), _mm_or_si128(a, _mm_slli_si128(b, 12)));
		_mm_storeu_si128((void *)(row + 3 * x + 16),
				 _mm_or_si128(_mm_srli_si128(b, 4), _mm_slli_si128(c, 8)));
		_mm_storeu_si128((void *)(row + 3 * x + 32),
				 _mm_or_si128(_mm_srli_si128(c, 8), _mm_slli_si128(d, 4)));
	}
	return x;
}
#endif

/* Row y of a CAIRO_FORMAT_RGB24 image (a 32-bit word a pixel, 0x00RRGGBB)
 * as R, G, B bytes; shuffle: the processor has SSSE3. */
static void rgb_row(unsigned char *row, const unsigned char *pixels, int stride, int y, int w,
		    int shuffle)
{
	const uint32_t *src = (const uint32_t *)(const void *)(pixels + (size_t)y * (size_t)stride);
	int x = 0;
#ifdef RGB_SSSE3
	if (shuffle)
		x = rgb_ssse3(row, src, w);
#else
	(void)shuffle;
#endif
	x += rgb_words(row + 3 * x, src + x, w - x);
	for (; x < w; x++) {
		row[3 * x] = (unsigned char)(src[x] >> 16);
		row[3 * x + 1] = (unsigned char)(src[x] >> 8);
		row[3 * x + 2] = (unsigned char)src[x];
	}
}

/* The PNG as libpng writes it, for images too small for zlib_write():
 * libpng narrows zlib's window for them. */
static int libpng_write(const unsigned char *pixels, int w, int h, int stride, int shuffle,
			FILE *f, int *error, const char **why)
{
	struct png_out o = {f, 0, NULL};
	unsigned char *volatile row = malloc((size_t)w * 3);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &o, png_out_fail,
						  png_out_warn);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!row || !png || !info) {
		png_destroy_write_struct(&png, &info);
		free(row);
		*why = "out of memory";
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		free(row);
		*error = o.error;
		*why = o.why;
		return -1;
	}
	png_set_write_fn(png, &o, png_out_write, png_out_flush);
	png_set_compression_level(png, 3);
	png_set_compression_mem_level(png, 5);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	/* The rows are turned into R, G, B here: libpng's png_set_filler()
	 * and png_set_bgr() give the same bytes from cairo's rows but took a
	 * sixth more of each PNG thread (callgrind, mj-report's charts). */
	for (int y = 0; y < h; y++) {
		rgb_row(row, pixels, stride, y, w, shuffle);
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return 0;
}

/* Adler-32 (zlib's checksum) of len bytes after adler, which zlib's own
 * takes a byte at a time: an eighth of mj-report's time went to it. */
#ifdef RGB_SSSE3
static uint64_t lanes_sum(__m128i v)
{
	uint32_t x[4];
	_mm_storeu_si128((void *)x, v);
	return (uint64_t)x[0] + x[1] + x[2] + x[3];
}

/* Sixteen bytes at a time: of n bytes after (a, b), a gains their sum and
 * b gains n * a plus each byte times (n - its index). */
__attribute__((target("ssse3")))
static uint32_t adler_ssse3(uint32_t adler, const unsigned char *p, size_t len)
{
	const uint32_t mod = 65521;
	const __m128i weights = _mm_setr_epi8(16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3,
					      2, 1);
	const __m128i ones = _mm_set1_epi16(1);
	const __m128i zero = _mm_setzero_si128();
	uint32_t a = adler & 0xffff, b = adler >> 16;
	while (len >= 16) {
		/* Reduced every 5552 bytes, as zlib does: no lane overflows. */
		size_t n = len < 5552 ? len & ~(size_t)15 : 5552;
		__m128i sum = zero, before = zero, weighted = zero;
		for (size_t i = 0; i < n; i += 16) {
			__m128i v = _mm_loadu_si128((const void *)(p + i));
			/* The sum of the blocks before this one, once for each of
			 * its 16 bytes (times 16 below). */
			before = _mm_add_epi32(before, sum);
			sum = _mm_add_epi32(sum, _mm_sad_epu8(v, zero));
			weighted = _mm_add_epi32(weighted,
						 _mm_madd_epi16(_mm_maddubs_epi16(v, weights), ones));
		}
		b = (uint32_t)((b + (uint64_t)n * a + 16 * lanes_sum(before) + lanes_sum(weighted)) %
			       mod);
		a = (uint32_t)((a + lanes_sum(sum)) % mod);
		p += n;
		len -= n;
	}
	for (; len; len--) {
		a += *p++;
		b += a;
	}
	return (b % mod) << 16 | (a % mod);
}
#endif

/* ssse3: the processor has SSSE3. */
static uint32_t adler_update(uint32_t adler, const unsigned char *p, size_t len, int ssse3)
{
#ifdef RGB_SSSE3
	if (ssse3)
		return adler_ssse3(adler, p, len);
#else
	(void)ssse3;
#endif
	return (uint32_t)adler32(adler, p, (uInt)len);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG chunk of type with len bytes of data; *error keeps the errno of the
 * first failed write. */
static void chunk_write(FILE *f, int *error, const char *type, const unsigned char *data,
			size_t len)
{
	unsigned char head[8], tail[4];
	put32(head, (uint32_t)len);
	memcpy(head + 4, type, 4);
	uLong crc = crc32(0, head + 4, 4);
	if (len)
		crc = crc32(crc, data, (uInt)len);
	put32(tail, (uint32_t)crc);
	if (*error)
		return;
	if (fwrite(head, 1, sizeof head, f) != sizeof head ||
	    (len && fwrite(data, 1, len, f) != len) || fwrite(tail, 1, sizeof tail, f) != sizeof tail)
		*error = errno ? errno : EIO;
}

/* libpng's buffer for zlib's output: its zlib stream is cut into IDAT
 * chunks of this size, and the last one shorter. */
#define IDAT_SIZE 8192

/* Rows that repeat the row above for at least this many bytes are copied
 * by a block of chart_deflate.c rather than compressed by zlib: each such
 * run ends zlib's block and has it hash KEEP bytes (or a row) again, which
 * costs less than compressing 32 K bytes. */
#define RUN_MIN 32768
/* The farthest a deflate copy reaches back (zlib's window). */
#define WINDOW 32768
/* What zlib is given again of a run, at least a row: as a run rarely
 * ends where the next row can be found further back, hashing zlib's whole
 * window of 32 K again took a quarter of the time run_deflate() saved and
 * made the report's PNGs no smaller. RUN_MIN is no less. */
#define KEEP 8192

/* A PNG's image data on its way out: zlib's stream in IDAT chunks. */
struct idat_out {
	z_stream z;
	FILE *f;
	int *error;             /* errno of the first failed write */
	unsigned char *idat;    /* IDAT_SIZE bytes, z's output */
	uint32_t adler;         /* of the rows so far */
	int ssse3;
	unsigned char *copy;    /* a run's deflate block, copy_room bytes */
	size_t copy_room;
	unsigned char *window;  /* a run's last bytes, for zlib's window */
	const char *why;        /* what failed, when it was not a write */
};

/* Writes the IDAT buffer when zlib has filled it, and empties it. */
static void idat_full(struct idat_out *o)
{
	if (o->z.avail_out)
		return;
	chunk_write(o->f, o->error, "IDAT", o->idat, IDAT_SIZE);
	o->z.next_out = o->idat;
	o->z.avail_out = IDAT_SIZE;
}

/* Bytes of the stream that are not zlib's, after zlib's. */
static void idat_put(struct idat_out *o, const unsigned char *p, size_t n)
{
	while (n) {
		idat_full(o);
		size_t k = n < o->z.avail_out ? n : o->z.avail_out;
		memcpy(o->z.next_out, p, k);
		o->z.next_out += k;
		o->z.avail_out -= (uInt)k;
		p += k;
		n -= k;
	}
	idat_full(o);
}

/* A row's bytes through zlib, and into the checksum. */
static int row_deflate(struct idat_out *o, unsigned char *row, size_t rowlen)
{
	o->adler = adler_update(o->adler, row, rowlen, o->ssse3);
	o->z.next_in = row;
	o->z.avail_in = (uInt)rowlen;
	int ret;
	do {
		ret = deflate(&o->z, Z_NO_FLUSH);
		idat_full(o);
	} while (ret == Z_OK && !*o->error && o->z.avail_in > 0);
	if (ret != Z_OK)
		o->why = o->z.msg ? o->z.msg : "zlib failed";
	return ret == Z_OK && !*o->error ? 0 : -1;
}

/* How many rows from y on repeat row y - 1, pixel for pixel. */
static int same_rows(const unsigned char *pixels, int stride, int w, int y, int h)
{
	const unsigned char *above = pixels + (size_t)(y - 1) * (size_t)stride;
	int k = 0;
	while (y + k < h &&
	       memcmp(pixels + (size_t)(y + k) * (size_t)stride, above, (size_t)w * 4) == 0)
		k++;
	return k;
}

/* k rows that repeat row (its bytes, filter byte first), as a deflate
 * block of chart_deflate_rows(). zlib's output is first taken to a byte's
 * end (an empty stored block); zlib then starts again from the block's
 * last bits, with the run's last KEEP bytes (or its last row, when longer)
 * as all it has seen, which a reader has seen too: its matches reach no
 * further back. */
static int run_deflate(struct idat_out *o, unsigned char *row, size_t rowlen, int k)
{
	int ret, done;
	do {
		ret = deflate(&o->z, Z_SYNC_FLUSH);
		done = o->z.avail_out != 0;
		idat_full(o);
	} while (ret == Z_OK && !done && !*o->error);
	if (ret != Z_OK || *o->error)
		goto zlib_failed;

	size_t room = chart_deflate_rows_room(rowlen, (size_t)k);
	if (room > o->copy_room) {
		unsigned char *copy = realloc(o->copy, room);
		if (!copy)
			goto nomem;
		o->copy = copy;
		o->copy_room = room;
	}
	size_t keep = rowlen > KEEP ? rowlen : KEEP;
	if (!o->window && !(o->window = malloc(keep + rowlen)))
		goto nomem;
	size_t bits = chart_deflate_rows(o->copy, room, row, rowlen, (size_t)k);
	if (!bits) {
		/* Not to be: the rows go through zlib, after its flush. */
		for (int i = 0; i < k; i++)
			if (row_deflate(o, row, rowlen) != 0)
				return -1;
		return 0;
	}
	idat_put(o, o->copy, bits / 8);
	if (deflateReset(&o->z) != Z_OK ||
	    (bits % 8 && deflatePrime(&o->z, (int)(bits % 8), o->copy[bits / 8]) != Z_OK))
		goto zlib_failed;
	/* total >= RUN_MIN >= keep: the run holds what zlib is given. */
	size_t copies = (keep + rowlen - 1) / rowlen;
	for (size_t i = 0; i < copies; i++)
		memcpy(o->window + i * rowlen, row, rowlen);
	if (deflateSetDictionary(&o->z, o->window + copies * rowlen - keep, (uInt)keep) != Z_OK)
		goto zlib_failed;
	uint32_t one = adler_update(1, row, rowlen, o->ssse3);
	for (int i = 0; i < k; i++)
		o->adler = (uint32_t)adler32_combine(o->adler, one, (z_off_t)rowlen);
	return *o->error ? -1 : 0;
nomem:
	o->why = "out of memory";
	return -1;
zlib_failed:
	if (!*o->error)
		o->why = o->z.msg ? o->z.msg : "zlib failed";
	return -1;
}

/* The PNG with zlib called directly: its raw deflate and the checksum
 * above in libpng's zlib wrapper, with libpng's settings. Rows repeating
 * the row above for RUN_MIN bytes or more are copied by run_deflate(); an
 * image without such runs is, byte for byte, what libpng writes. For
 * images of more than 16 K bytes, whose zlib window libpng does not
 * narrow. */
static int zlib_write(const unsigned char *pixels, int w, int h, int stride, int shuffle,
		      FILE *f, int *error, const char **why)
{
	static const unsigned char signature[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
	size_t rowlen = (size_t)w * 3 + 1;
	unsigned char *row = malloc(rowlen);
	struct idat_out o;
	memset(&o, 0, sizeof o);
	o.f = f;
	o.error = error;
	o.ssse3 = shuffle;
	o.adler = 1;
	o.idat = malloc(IDAT_SIZE);
	/* Level 3, memLevel 5, a 32 K window; negative: no zlib header or
	 * checksum, written here. */
	if (!row || !o.idat ||
	    deflateInit2(&o.z, 3, Z_DEFLATED, -15, 5, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(row);
		free(o.idat);
		*why = "out of memory";
		return -1;
	}
	unsigned char ihdr[13] = {0};
	put32(ihdr, (uint32_t)w);
	put32(ihdr + 4, (uint32_t)h);
	ihdr[8] = 8; /* bits a sample */
	ihdr[9] = 2; /* R, G, B */
	if (fwrite(signature, 1, sizeof signature, f) != sizeof signature)
		*error = errno ? errno : EIO;
	chunk_write(f, error, "IHDR", ihdr, sizeof ihdr);
	/* zlib's header as deflate() writes it for a 32 K window at level 3
	 * (RFC 1950: deflate, CINFO 7, FLEVEL 1, and FCHECK). */
	o.idat[0] = 0x78;
	o.idat[1] = 0x5e;
	o.z.next_out = o.idat + 2;
	o.z.avail_out = IDAT_SIZE - 2;
	row[0] = 0; /* each row's filter: none */
	int failed = 0;
	for (int y = 0; y < h && !failed && !*error;) {
		int k = y > 0 && rowlen <= WINDOW ? same_rows(pixels, stride, w, y, h) : 0;
		if ((size_t)k * rowlen >= RUN_MIN) {
			failed = run_deflate(&o, row, rowlen, k) != 0;
			y += k;
			continue;
		}
		/* A new row, or a few that repeat the row still in row. */
		if (!k)
			rgb_row(row + 1, pixels, stride, y, w, shuffle);
		int n = k ? k : 1;
		for (int i = 0; i < n && !failed; i++)
			failed = row_deflate(&o, row, rowlen) != 0;
		y += n;
	}
	int ret = Z_OK;
	while (!failed && !*error && ret == Z_OK) {
		ret = deflate(&o.z, Z_FINISH);
		idat_full(&o);
	}
	if (ret == Z_STREAM_END && !*error) {
		unsigned char check[4];
		put32(check, o.adler);
		for (int i = 0; i < 4; i++) {
			idat_full(&o);
			*o.z.next_out++ = check[i];
			o.z.avail_out--;
		}
		chunk_write(f, error, "IDAT", o.idat, IDAT_SIZE - o.z.avail_out);
		chunk_write(f, error, "IEND", NULL, 0);
	} else if (!*error) {
		*why = o.why ? o.why : o.z.msg ? o.z.msg : "zlib failed";
	}
	deflateEnd(&o.z);
	free(o.window);
	free(o.copy);
	free(o.idat);
	free(row);
	return ret == Z_STREAM_END && !*error ? 0 : -1;
}

int chart_png_write(cairo_surface_t *surface, FILE *f, int *error, const char **why)
{
	cairo_surface_flush(surface);
	int w = cairo_image_surface_get_width(surface);
	int h = cairo_image_surface_get_height(surface);
	int stride = cairo_image_surface_get_stride(surface);
	const unsigned char *pixels = cairo_image_surface_get_data(surface);
	*error = 0;
	*why = NULL;
	if (!pixels || w <= 0 || h <= 0) {
		*why = "no image to write";
		return -1;
	}
#ifdef RGB_SSSE3
	int shuffle = __builtin_cpu_supports("ssse3");
#else
	int shuffle = 0;
#endif
	/* libpng narrows zlib's window for images of up to 16 K bytes. */
	if (((size_t)w * 3 + 1) * (size_t)h <= 16384)
		return libpng_write(pixels, w, h, stride, shuffle, f, error, why);
	return zlib_write(pixels, w, h, stride, shuffle, f, error, why);
}

/* Marks the pixels a surface of chart_png_surface() frees with it. */
static const cairo_user_data_key_t pixels_key;

/* cairo clears every new image surface, and the 14 MB that malloc gives
 * the next chart are the last one's, cleared again for a background that
 * chart_frame() (or draw_panels()) then paints white over all of them: a
 * tenth of the report's drawing went to clearing. */
cairo_surface_t *chart_png_surface(int w, int h, int covered)
{
	int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
	unsigned char *pixels = covered && stride > 0 && h > 0
				? malloc((size_t)stride * (size_t)h) : NULL;
	if (!pixels)
		return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_surface_t *s = cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_RGB24,
								 w, h, stride);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
	    cairo_surface_set_user_data(s, &pixels_key, pixels, free) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		free(pixels);
		return cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	}
	return s;
}

enum mj_status chart_png_save(cairo_surface_t *surface, struct mj_outfile *out,
			      struct mj_error *err)
{
	int error;
	const char *why;
	enum mj_status st;
	if (chart_png_write(surface, out->fp, &error, &why) != 0) {
		st = mj_error_set(err, MJ_E_IO, out->path, 0, 0, "%s",
				  error ? strerror(error)
				  : why ? why : "cannot write the PNG");
		goto fail;
	}
	cairo_surface_finish(surface);
	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		st = mj_error_set(err, MJ_E_IO, out->path, 0, 0, "%s",
				  cairo_status_to_string(cairo_surface_status(surface)));
		goto fail;
	}
	cairo_surface_destroy(surface);
	return mj_outfile_commit(out, err);
fail:
	cairo_surface_destroy(surface);
	mj_outfile_abort(out);
	return st;
}

/* Threads of a batch: at most two, and one fewer than the cores, which
 * the caller keeps while it draws; when it is done it writes the charts
 * still waiting beside them (mj_chart_batch_finish()). On two cores, two
 * threads and the caller shared them until the threads had written every
 * chart, and the caller then drew its last pages alone. */
#define BATCH_THREADS 2
/* Charts handed in and not yet written: each holds an open file, so a
 * caller with many more waits for room. The report has a dozen. */
#define BATCH_QUEUE 16

/* A chart to write: its drawing as cairo recorded it. The image (14 MB
 * at the report's size) is made by the thread that compresses it, so
 * that the caller, which waited for a thread when it handed in images,
 * goes on with its SVGs, workbook, PDF and web page. */
struct batch_job {
	struct batch_job *next;
	cairo_surface_t *recording;
	int width, height, covered; /* as chart_png_surface() takes them */
	struct mj_outfile out;
	unsigned long seq;        /* the order it was handed in */
};

struct mj_chart_batch {
	GMutex lock;
	GCond work;               /* a chart is waiting, or stop */
	GCond room;               /* a chart has been written */
	GThread *threads[BATCH_THREADS];
	size_t nthreads;
	struct batch_job *head, **tail; /* waiting, in the order handed in */
	size_t pending;           /* handed in and not yet written */
	unsigned long seq;
	int stop;
	enum mj_status status;    /* the failure of the first chart that failed */
	unsigned long failed_seq;
	struct mj_error err;
};

struct mj_chart_batch *mj_chart_batch_new(void)
{
	struct mj_chart_batch *b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	g_mutex_init(&b->lock);
	g_cond_init(&b->work);
	g_cond_init(&b->room);
	b->tail = &b->head;
	return b;
}

/* Paints the recording into an image (cairo replays it onto the pixels:
 * the same pixels as drawing them directly) and writes that. Takes the
 * recording's reference and empties out. */
static enum mj_status png_replay_save(cairo_surface_t *recording, int w, int h,
				      int covered, struct mj_outfile *out,
				      struct mj_error *err)
{
	cairo_surface_t *surface = chart_png_surface(w, h, covered);
	cairo_t *cr = cairo_create(surface);
	cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
	cairo_set_source_surface(cr, recording, 0, 0);
	cairo_paint(cr);
	cairo_status_t cst = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_destroy(recording);
	if (cst != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surface);
		enum mj_status st = mj_error_set(err, MJ_E_IO, out->path, 0, 0, "cairo: %s",
						 cairo_status_to_string(cst));
		mj_outfile_abort(out);
		return st;
	}
	return chart_png_save(surface, out, err);
}

/* Writes the charts waiting in b, until none is left or, with wait set,
 * until b stops. Called with b->lock held; returns with it held. */
static void batch_run(struct mj_chart_batch *b, int wait)
{
	for (;;) {
		while (wait && !b->head && !b->stop)
			g_cond_wait(&b->work, &b->lock);
		struct batch_job *job = b->head;
		if (!job)
			break;
		b->head = job->next;
		if (!b->head)
			b->tail = &b->head;
		g_mutex_unlock(&b->lock);
		struct mj_error e;
		mj_error_clear(&e);
		enum mj_status st = png_replay_save(job->recording, job->width, job->height,
						    job->covered, &job->out, &e);
		g_mutex_lock(&b->lock);
		if (st != MJ_OK && (b->status == MJ_OK || job->seq < b->failed_seq)) {
			b->status = st;
			b->failed_seq = job->seq;
			b->err = e;
		}
		free(job);
		b->pending--;
		g_cond_signal(&b->room);
	}
}

static gpointer batch_main(gpointer data)
{
	struct mj_chart_batch *b = data;
	g_mutex_lock(&b->lock);
	batch_run(b, 1);
	g_mutex_unlock(&b->lock);
	return NULL;
}

enum mj_status chart_batch_failed(struct mj_chart_batch *b, struct mj_error *err)
{
	g_mutex_lock(&b->lock);
	enum mj_status st = b->status;
	if (st != MJ_OK && err)
		*err = b->err;
	g_mutex_unlock(&b->lock);
	return st;
}

enum mj_status chart_png_queue(struct mj_chart_batch *b, cairo_surface_t *recording,
			       int w, int h, int covered, struct mj_outfile *out,
			       struct mj_error *err)
{
	/* A thread more while there are charts for it (and cores); without
	 * any, the batch writes as it goes. */
	guint cores = g_get_num_processors();
	size_t want = cores > BATCH_THREADS ? BATCH_THREADS : cores > 1 ? cores - 1 : 1;
	if (b->nthreads < want) {
		GThread *t = g_thread_try_new("mj-png", batch_main, b, NULL);
		if (t)
			b->threads[b->nthreads++] = t;
	}
	struct batch_job *job = b->nthreads ? calloc(1, sizeof *job) : NULL;
	if (!job)
		return png_replay_save(recording, w, h, covered, out, err);
	job->recording = recording;
	job->width = w;
	job->height = h;
	job->covered = covered;
	job->out = *out;
	memset(out, 0, sizeof *out);
	g_mutex_lock(&b->lock);
	while (b->pending >= BATCH_QUEUE)
		g_cond_wait(&b->room, &b->lock);
	b->pending++;
	job->seq = b->seq++;
	*b->tail = job;
	b->tail = &job->next;
	g_cond_signal(&b->work);
	g_mutex_unlock(&b->lock);
	return MJ_OK;
}

enum mj_status mj_chart_batch_finish(struct mj_chart_batch *b, struct mj_error *err)
{
	if (!b)
		return MJ_OK;
	g_mutex_lock(&b->lock);
	batch_run(b, 0);
	b->stop = 1;
	g_cond_broadcast(&b->work);
	g_mutex_unlock(&b->lock);
	for (size_t i = 0; i < b->nthreads; i++)
		g_thread_join(b->threads[i]);
	enum mj_status st = b->status;
	if (st != MJ_OK && err)
		*err = b->err;
	g_cond_clear(&b->work);
	g_cond_clear(&b->room);
	g_mutex_clear(&b->lock);
	free(b);
	return st;
}
