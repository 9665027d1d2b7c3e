/* A chart's pixels as a PNG file, written with zlib rather than cairo's
 * own writer: cairo compresses at zlib's default with every row filter
 * tried, which made the report's dozen PNGs most of its time. Charts are
 * large flat areas of few colours, which deflate packs best unfiltered.
 * Level 3 (zlib's fast matcher) takes less than half the time of level 6
 * on the report's charts for files about a third larger (1.86 against
 * 1.36 MB for the report's twelve); levels 1 and 2 are hardly faster and
 * larger still. The file is the one libpng wrote with these settings,
 * byte for byte (IHDR, the zlib stream in IDAT chunks of 8 KiB, IEND),
 * but the stream's checksum is summed 16 bytes a step here, where zlib's
 * took a seventh of the time, and each row goes to deflate without
 * libpng's copy. The same pixels give the same bytes, run after run. A
 * batch (mj_chart_batch_new()) writes them on threads of its own while
 * its caller draws the next chart. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "chart_internal.h"

/* The zlib stream of a PNG being written: its output is cut into IDAT
 * chunks of CHUNK bytes (libpng's buffer), the last one shorter. */
#define CHUNK 8192

struct png_out {
	FILE *f;
	int error;     /* errno of the first failed write */
	unsigned char buf[CHUNK];
	size_t used;
};

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Writes a chunk of type with len bytes of data and its CRC. */
static void chunk_write(struct png_out *o, const char *type, const unsigned char *data,
			size_t len)
{
	unsigned char head[8], tail[4];
	put32(head, (uint32_t)len);
	memcpy(head + 4, type, 4);
	uLong crc = crc32(0L, head + 4, 4);
	if (len)
		crc = crc32(crc, data, (uInt)len);
	put32(tail, (uint32_t)crc);
	if (!o->error && (fwrite(head, 1, 8, o->f) != 8 ||
			  (len && fwrite(data, 1, len, o->f) != len) ||
			  fwrite(tail, 1, 4, o->f) != 4))
		o->error = errno ? errno : EIO;
}

/* Adds n bytes to the stream, writing each IDAT as it fills. */
static void stream_put(struct png_out *o, const unsigned char *p, size_t n)
{
	while (n) {
		size_t k = CHUNK - o->used < n ? CHUNK - o->used : n;
		memcpy(o->buf + o->used, p, k);
		o->used += k;
		p += k;
		n -= k;
		if (o->used == CHUNK) {
			chunk_write(o, "IDAT", o->buf, CHUNK);
			o->used = 0;
		}
	}
}

/* Adler-32 of n more bytes at p, as zlib's adler32() gives it: for each
 * block of 16 bytes x0..x15 after sums a and b, a gains their sum and b
 * gains 16a and 16x0 + 15x1 + ... + x15. 5552 bytes at most between the
 * reductions modulo 65521 keep every sum within 32 bits, as zlib's NMAX. */
static uint32_t adler_add(uint32_t adler, const unsigned char *p, size_t n)
{
	uint32_t a = adler & 0xffff, b = adler >> 16;
	while (n) {
		size_t k = n < 5552 ? n : 5552;
		n -= k;
#ifdef __SSE2__
		size_t blocks = k / 16;
		if (blocks) {
			const __m128i zero = _mm_setzero_si128();
			const __m128i w_lo = _mm_setr_epi16(16, 15, 14, 13, 12, 11, 10, 9);
			const __m128i w_hi = _mm_setr_epi16(8, 7, 6, 5, 4, 3, 2, 1);
			/* sum: the bytes so far; before: the sum of sum before
			 * each block; weighted: the blocks' weighted sums. */
			__m128i sum = zero, before = zero, weighted = zero;
			for (size_t i = 0; i < blocks; i++) {
				__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
				before = _mm_add_epi32(before, sum);
				sum = _mm_add_epi32(sum, _mm_sad_epu8(v, zero));
				weighted = _mm_add_epi32(weighted,
					_mm_madd_epi16(_mm_unpacklo_epi8(v, zero), w_lo));
				weighted = _mm_add_epi32(weighted,
					_mm_madd_epi16(_mm_unpackhi_epi8(v, zero), w_hi));
			}
			uint32_t s[4], bf[4], wt[4];
			_mm_storeu_si128((__m128i *)(void *)s, sum);
			_mm_storeu_si128((__m128i *)(void *)bf, before);
			_mm_storeu_si128((__m128i *)(void *)wt, weighted);
			/* The byte sums sit in lanes 0 and 2 (64-bit halves). */
			uint64_t total = (uint64_t)s[0] + s[2];
			uint64_t prior = (uint64_t)bf[0] + bf[2];
			uint64_t wsum = (uint64_t)wt[0] + wt[1] + wt[2] + wt[3];
			uint64_t bb = b + 16 * ((uint64_t)blocks * a + prior) + wsum;
			a = (uint32_t)((a + total) % 65521);
			b = (uint32_t)(bb % 65521);
			p += 16 * blocks;
			k -= 16 * blocks;
		}
#endif
		while (k--) {
			a += *p++;
			b += a;
		}
		a %= 65521;
		b %= 65521;
	}
	return b << 16 | a;
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

/* Runs deflate on what z holds with flush, passing what it makes to the
 * stream. Returns zlib's status. */
static int deflate_out(struct png_out *o, z_stream *z, int flush)
{
	int ret;
	do {
		unsigned char out[CHUNK];
		z->next_out = out;
		z->avail_out = sizeof out;
		ret = deflate(z, flush);
		if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR)
			return ret;
		stream_put(o, out, sizeof out - z->avail_out);
	} while (z->avail_in || (flush == Z_FINISH && ret != Z_STREAM_END));
	return ret;
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
	/* Each row as PNG holds it: filter type 0 (none), then R, G, B. */
	size_t rowlen = (size_t)w * 3 + 1;
	unsigned char *row = malloc(rowlen);
	struct png_out *o = malloc(sizeof *o);
	z_stream z;
	memset(&z, 0, sizeof z);
	/* A raw stream, its header and checksum put here: zlib's level 3 and
	 * memory level 8, with the window libpng asks for: 32 KiB, or for an
	 * image of 16 KiB or less the least power of two holding it and 262
	 * bytes more (zlib's least, 256 bytes, is 512). */
	size_t size = rowlen * (size_t)h;
	int wbits = 15;
	if (size <= 16384)
		while (wbits > 8 && size + 262 <= (size_t)1 << (wbits - 1))
			wbits--;
	if (wbits == 8)
		wbits = 9;
	if (!row || !o || deflateInit2(&z, 3, Z_DEFLATED, -wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(row);
		free(o);
		*why = "out of memory";
		return -1;
	}
	o->f = f;
	o->error = 0;
	o->used = 0;
	static const unsigned char sig[8] = {137, 'P', 'N', 'G', '\r', '\n', 26, '\n'};
	if (fwrite(sig, 1, sizeof sig, f) != sizeof sig)
		o->error = errno ? errno : EIO;
	unsigned char ihdr[13];
	put32(ihdr, (uint32_t)w);
	put32(ihdr + 4, (uint32_t)h);
	ihdr[8] = 8;  /* bits a sample */
	ihdr[9] = 2;  /* RGB */
	ihdr[10] = 0; /* deflate */
	ihdr[11] = 0; /* adaptive filtering, each row saying its filter */
	ihdr[12] = 0; /* not interlaced */
	chunk_write(o, "IHDR", ihdr, sizeof ihdr);
	/* zlib's header: deflate and its window, FLEVEL 1 (a fast level),
	 * check bits making it a multiple of 31. Like libpng, a small image
	 * says the least window that holds it (without the 262 bytes). */
	int cinfo = wbits - 8;
	if (size <= 16384)
		while (cinfo > 0 && size <= (size_t)1 << (cinfo + 7))
			cinfo--;
	unsigned cmf = 8 | (unsigned)cinfo << 4, flg = 1 << 6;
	flg += 31 - (cmf << 8 | flg) % 31;
	unsigned char zhead[2] = {(unsigned char)cmf, (unsigned char)flg};
	stream_put(o, zhead, sizeof zhead);
	uint32_t adler = 1;
	int ret = Z_OK;
	row[0] = 0;
	for (int y = 0; y < h && !o->error && ret == Z_OK; y++) {
		/* CAIRO_FORMAT_RGB24: a 32-bit word a pixel, 0x00RRGGBB. */
		const uint32_t *src = (const uint32_t *)(const void *)(pixels + (size_t)y * (size_t)stride);
		unsigned char *rgb = row + 1;
		int x = rgb_words(rgb, src, w);
		for (; x < w; x++) {
			rgb[3 * x] = (unsigned char)(src[x] >> 16);
			rgb[3 * x + 1] = (unsigned char)(src[x] >> 8);
			rgb[3 * x + 2] = (unsigned char)src[x];
		}
		adler = adler_add(adler, row, rowlen);
		z.next_in = row;
		z.avail_in = (uInt)rowlen;
		ret = deflate_out(o, &z, Z_NO_FLUSH);
		if (ret == Z_BUF_ERROR)
			ret = Z_OK;
	}
	if (ret == Z_OK && !o->error)
		ret = deflate_out(o, &z, Z_FINISH);
	deflateEnd(&z);
	free(row);
	if (ret != Z_STREAM_END && !o->error) {
		free(o);
		*why = "cannot compress the image";
		return -1;
	}
	unsigned char ztail[4];
	put32(ztail, adler);
	stream_put(o, ztail, sizeof ztail);
	/* The last IDAT holds what is left, even nothing, as libpng's did. */
	chunk_write(o, "IDAT", o->buf, o->used);
	chunk_write(o, "IEND", NULL, 0);
	*error = o->error;
	free(o);
	if (*error) {
		*why = "write error";
		return -1;
	}
	return 0;
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

/* Threads of a batch: two keep both cores of a small machine busy while
 * the caller draws; each holds one chart (14 MB at the report's size). */
#define BATCH_THREADS 2

struct batch_job {
	cairo_surface_t *surface; /* NULL: the place is free */
	struct mj_outfile out;
	unsigned long seq;        /* the order it was handed in */
	int taken;                /* a thread writes it */
};

struct mj_chart_batch {
	GMutex lock;
	GCond cond;
	GThread *threads[BATCH_THREADS];
	size_t nthreads;
	struct batch_job jobs[BATCH_THREADS];
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
	g_cond_init(&b->cond);
	return b;
}

static struct batch_job *batch_next(struct mj_chart_batch *b)
{
	struct batch_job *next = NULL;
	for (size_t i = 0; i < BATCH_THREADS; i++)
		if (b->jobs[i].surface && !b->jobs[i].taken &&
		    (!next || b->jobs[i].seq < next->seq))
			next = &b->jobs[i];
	return next;
}

static gpointer batch_main(gpointer data)
{
	struct mj_chart_batch *b = data;
	g_mutex_lock(&b->lock);
	for (;;) {
		struct batch_job *job;
		while (!(job = batch_next(b)) && !b->stop)
			g_cond_wait(&b->cond, &b->lock);
		if (!job)
			break;
		job->taken = 1;
		cairo_surface_t *surface = job->surface;
		struct mj_outfile out = job->out;
		g_mutex_unlock(&b->lock);
		struct mj_error e;
		mj_error_clear(&e);
		enum mj_status st = chart_png_save(surface, &out, &e);
		g_mutex_lock(&b->lock);
		if (st != MJ_OK && (b->status == MJ_OK || job->seq < b->failed_seq)) {
			b->status = st;
			b->failed_seq = job->seq;
			b->err = e;
		}
		memset(job, 0, sizeof *job);
		g_cond_broadcast(&b->cond);
	}
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

enum mj_status chart_png_queue(struct mj_chart_batch *b, cairo_surface_t *surface,
			       struct mj_outfile *out, struct mj_error *err)
{
	/* A thread more while there are charts for it (and cores); without
	 * any, the batch writes as it goes. */
	size_t want = g_get_num_processors() > 1 ? BATCH_THREADS : 1;
	if (b->nthreads < want) {
		GThread *t = g_thread_try_new("mj-png", batch_main, b, NULL);
		if (t)
			b->threads[b->nthreads++] = t;
	}
	if (!b->nthreads)
		return chart_png_save(surface, out, err);
	g_mutex_lock(&b->lock);
	struct batch_job *job = NULL;
	for (;;) {
		for (size_t i = 0; i < b->nthreads && !job; i++)
			if (!b->jobs[i].surface)
				job = &b->jobs[i];
		if (job)
			break;
		g_cond_wait(&b->cond, &b->lock);
	}
	job->surface = surface;
	job->out = *out;
	job->seq = b->seq++;
	job->taken = 0;
	memset(out, 0, sizeof *out);
	g_cond_broadcast(&b->cond);
	g_mutex_unlock(&b->lock);
	return MJ_OK;
}

enum mj_status mj_chart_batch_finish(struct mj_chart_batch *b, struct mj_error *err)
{
	if (!b)
		return MJ_OK;
	g_mutex_lock(&b->lock);
	b->stop = 1;
	g_cond_broadcast(&b->cond);
	g_mutex_unlock(&b->lock);
	for (size_t i = 0; i < b->nthreads; i++)
		g_thread_join(b->threads[i]);
	enum mj_status st = b->status;
	if (st != MJ_OK && err)
		*err = b->err;
	g_cond_clear(&b->cond);
	g_mutex_clear(&b->lock);
	free(b);
	return st;
}
