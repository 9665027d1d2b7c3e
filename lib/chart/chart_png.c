/* A chart's pixels as a PNG file, written with libpng rather than cairo's
 * own writer: cairo compresses at zlib's default with every row filter
 * tried, which made the report's dozen PNGs most of its time. Charts are
 * large flat areas of few colours, which deflate packs best unfiltered:
 * the files come out smaller and three times faster. The same pixels give
 * the same bytes, run after run. */
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>

#include <png.h>

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

int chart_png_write(cairo_surface_t *surface, FILE *f, int *error, const char **why)
{
	cairo_surface_flush(surface);
	int w = cairo_image_surface_get_width(surface);
	int h = cairo_image_surface_get_height(surface);
	int stride = cairo_image_surface_get_stride(surface);
	const unsigned char *pixels = cairo_image_surface_get_data(surface);
	struct png_out o = {f, 0, NULL};
	*error = 0;
	*why = NULL;
	if (!pixels || w <= 0 || h <= 0) {
		*why = "no image to write";
		return -1;
	}
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
	png_set_compression_level(png, 6);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		/* CAIRO_FORMAT_RGB24: a 32-bit word a pixel, 0x00RRGGBB. */
		const uint32_t *src = (const uint32_t *)(const void *)(pixels + (size_t)y * (size_t)stride);
		for (int x = 0; x < w; x++) {
			row[3 * x] = (unsigned char)(src[x] >> 16);
			row[3 * x + 1] = (unsigned char)(src[x] >> 8);
			row[3 * x + 2] = (unsigned char)src[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return 0;
}
