/* A chart's pixels as a PNG file, written here rather than by cairo's own
 * writer: cairo compresses at zlib's default with every row filter tried,
 * which made the report's dozen PNGs most of its time. Charts are large
 * flat areas of few colours, which deflate packs best unfiltered. The
 * rows are compressed by chart_deflate.c, which matches each place
 * against the pixel before it, the row above and two earlier places of
 * the same 4 bytes only: on the report's charts it executes less than
 * half the instructions zlib did at level 3 (itself under half of level
 * 6), and its files are a fifth smaller. Images too small for that to
 * matter (16 K bytes) or too wide for a match to reach the row above are
 * written by libpng, at level 3. The same pixels give the same bytes, run
 * after run.
 * A batch (mj_chart_batch_new()) writes them on threads of its own while
 * its caller goes on: the caller records each chart's drawing (pango's
 * objects stay on its thread; the recording holds only cairo's, which lock
 * the fonts they share) and a thread of the batch paints and compresses
 * it. The batch also runs other work of chart.c the same way (an SVG
 * written out). */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <png.h>
#include <zlib.h>

#include "bigmap.h"
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

/* The PNG as libpng writes it, for images too small for zip_write():
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

/* libpng's size of an IDAT chunk: the image data is cut into chunks of
 * this size, and the last one shorter. */
#define IDAT_SIZE 8192

/* Writes the stream's bytes that fill whole IDAT chunks; all of them when
 * last. */
static void idat_drain(struct chart_zip *z, FILE *f, int *error, int last)
{
	size_t len;
	const unsigned char *data = chart_zip_output(z, &len);
	size_t done = 0;
	while (len - done >= IDAT_SIZE || (last && done < len)) {
		size_t n = len - done < IDAT_SIZE ? len - done : IDAT_SIZE;
		chunk_write(f, error, "IDAT", data + done, n);
		done += n;
	}
	chart_zip_consume(z, done);
}

/* The PNG with the rows compressed by chart_deflate.c, in libpng's zlib
 * wrapper (its header, and the Adler-32 of the rows after them). For
 * images of more than 16 K bytes whose rows a deflate match can reach
 * back over (at most 10,922 pixels wide); chart_zip_new() refuses wider
 * ones, which libpng writes. */
static int zip_write(struct chart_zip *z, const unsigned char *pixels, int w, int h,
		     int stride, int shuffle, FILE *f, int *error, const char **why)
{
	static const unsigned char signature[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
	size_t rowlen = (size_t)w * 3 + 1;
	unsigned char *row = malloc(rowlen);
	if (!row) {
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
	/* zlib's header (RFC 1950): deflate with a 32 K window, and its
	 * check bits. */
	static const unsigned char zlib_head[2] = {0x78, 0x5e};
	uint32_t adler = 1, row_adler = 1;
	int failed = chart_zip_put(z, zlib_head, sizeof zlib_head) != 0;
	row[0] = 0; /* each row's filter: none */
	for (int y = 0; y < h && !failed && !*error; y++) {
		/* A row that repeats the one above is still in row, and its
		 * checksum is known. */
		const unsigned char *px = pixels + (size_t)y * (size_t)stride;
		int same = y > 0 && memcmp(px, px - stride, (size_t)w * 4) == 0;
		if (!same) {
			rgb_row(row + 1, pixels, stride, y, w, shuffle);
			row_adler = adler_update(1, row, rowlen, shuffle);
		}
		adler = (uint32_t)adler32_combine(adler, row_adler, (z_off_t)rowlen);
		failed = chart_zip_row(z, row, same) != 0;
		idat_drain(z, f, error, 0);
	}
	if (!failed && !*error) {
		unsigned char check[4];
		put32(check, adler);
		failed = chart_zip_finish(z) != 0 || chart_zip_put(z, check, sizeof check) != 0;
	}
	if (!failed && !*error) {
		idat_drain(z, f, error, 1);
		chunk_write(f, error, "IEND", NULL, 0);
	}
	if (failed && !*error)
		*why = "out of memory";
	free(row);
	return failed || *error ? -1 : 0;
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
	struct chart_zip *z = ((size_t)w * 3 + 1) * (size_t)h > 16384
			      ? chart_zip_new((size_t)w * 3 + 1) : NULL;
	if (!z)
		return libpng_write(pixels, w, h, stride, shuffle, f, error, why);
	int ret = zip_write(z, pixels, w, h, stride, shuffle, f, error, why);
	chart_zip_free(z);
	return ret;
}

/* Marks the pixels a surface of chart_png_surface() frees with it. */
static const cairo_user_data_key_t pixels_key;

/* cairo clears every new image surface, and the 14 MB that malloc gives
 * the next chart are the last one's, cleared again for a background that
 * chart_frame() (or draw_panels()) then paints white over all of them: a
 * tenth of the report's drawing went to clearing. */
/* An image surface on pixels (w x h, stride), which release(owner) gives
 * back when the surface is destroyed; NULL (and released) when cairo
 * cannot make one. */
static cairo_surface_t *surface_on(unsigned char *pixels, int w, int h, int stride,
				   void *owner, cairo_destroy_func_t release)
{
	cairo_surface_t *s = cairo_image_surface_create_for_data(pixels, CAIRO_FORMAT_RGB24,
								 w, h, stride);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
	    cairo_surface_set_user_data(s, &pixels_key, owner, release) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		release(owner);
		return NULL;
	}
	return s;
}

cairo_surface_t *chart_png_surface(int w, int h, int covered)
{
	int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
	unsigned char *pixels = covered && stride > 0 && h > 0
				? malloc((size_t)stride * (size_t)h) : NULL;
	cairo_surface_t *s = pixels ? surface_on(pixels, w, h, stride, pixels, free) : NULL;
	return s ? s : cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
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
 * caller with many more waits for room. The report has two dozen. */
#define BATCH_QUEUE 32

/* Work handed to a batch: run(arg) does it and frees arg. */
struct batch_job {
	struct batch_job *next;
	chart_job_fn run;
	void *arg;
	unsigned long seq;        /* the order it was handed in */
};

/* A chart to write as a PNG: its drawing as cairo recorded it. The image
 * (14 MB at the report's size) is made by the thread that compresses it,
 * so that the caller, which waited for a thread when it handed in images,
 * goes on with its SVGs, workbook, PDF and web page. */
struct png_job {
	struct mj_chart_batch *batch;
	cairo_surface_t *recording;
	int width, height, covered; /* as chart_png_surface() takes them */
	struct mj_outfile out;
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
	struct pixels *spare;     /* images' pixels, free for the next image */
};

/* An image's pixels, mapped apart and kept by the batch for its next
 * image: a new 14 MB block is 3,500 page faults the first time each page
 * is written, which made the first charts of a report take ten times as
 * long as the others (0.04 s each); the next images reuse it. */
struct pixels {
	struct pixels *next;
	struct mj_chart_batch *batch;
	unsigned char *data;
	size_t len;
	void *map;
	size_t map_len;
};

/* Back to the batch, when the surface of these pixels is destroyed. */
static void pixels_return(void *data)
{
	struct pixels *px = data;
	struct mj_chart_batch *b = px->batch;
	g_mutex_lock(&b->lock);
	px->next = b->spare;
	b->spare = px;
	g_mutex_unlock(&b->lock);
}

/* A surface as chart_png_surface() makes one, on pixels b keeps. */
static cairo_surface_t *batch_surface(struct mj_chart_batch *b, int w, int h, int covered)
{
	int stride = cairo_format_stride_for_width(CAIRO_FORMAT_RGB24, w);
	if (!covered || stride <= 0 || h <= 0)
		return chart_png_surface(w, h, covered);
	size_t len = (size_t)stride * (size_t)h;
	g_mutex_lock(&b->lock);
	struct pixels **at = &b->spare;
	while (*at && (*at)->len < len)
		at = &(*at)->next;
	struct pixels *px = *at;
	if (px)
		*at = px->next;
	g_mutex_unlock(&b->lock);
	if (!px && (px = calloc(1, sizeof *px)) != NULL) {
		px->batch = b;
		px->len = len;
		if (!(px->data = mj_bigmap_alloc(len, &px->map, &px->map_len))) {
			free(px);
			px = NULL;
		}
	}
	cairo_surface_t *s = px ? surface_on(px->data, w, h, stride, px, pixels_return) : NULL;
	return s ? s : chart_png_surface(w, h, covered);
}

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
static enum mj_status png_replay_save(struct mj_chart_batch *b, cairo_surface_t *recording,
				      int w, int h, int covered, struct mj_outfile *out,
				      struct mj_error *err)
{
	cairo_surface_t *surface = batch_surface(b, w, h, covered);
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
		enum mj_status st = job->run(job->arg, &e);
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

static enum mj_status png_job_run(void *arg, struct mj_error *err)
{
	struct png_job *job = arg;
	enum mj_status st = png_replay_save(job->batch, job->recording, job->width, job->height,
					    job->covered, &job->out, err);
	free(job);
	return st;
}

enum mj_status chart_batch_queue(struct mj_chart_batch *b, chart_job_fn run, void *arg,
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
		return run(arg, err);
	job->run = run;
	job->arg = arg;
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

enum mj_status mj_chart_batch_run(struct mj_chart_batch *b, mj_chart_job_fn run, void *arg,
				  struct mj_error *err)
{
	return b ? chart_batch_queue(b, run, arg, err) : run(arg, err);
}

enum mj_status chart_png_queue(struct mj_chart_batch *b, cairo_surface_t *recording,
			       int w, int h, int covered, struct mj_outfile *out,
			       struct mj_error *err)
{
	struct png_job *job = malloc(sizeof *job);
	if (!job)
		return png_replay_save(b, recording, w, h, covered, out, err);
	*job = (struct png_job){b, recording, w, h, covered, *out};
	memset(out, 0, sizeof *out);
	return chart_batch_queue(b, png_job_run, job, err);
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
	while (b->spare) {
		struct pixels *px = b->spare;
		b->spare = px->next;
		mj_bigmap_free(px->map, px->map_len);
		free(px);
	}
	g_cond_clear(&b->work);
	g_cond_clear(&b->room);
	g_mutex_clear(&b->lock);
	free(b);
	return st;
}
