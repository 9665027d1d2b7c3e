/* libFuzzer target: a table read from the input (as mj-chart and mj-xlsx
 * read mj-tab's output) drawn as every type of chart, by count and by
 * percent, with and without suppression, and written as a workbook. Any
 * table the reader accepts must draw and write in bounded time. */
#include <cairo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "murojaat/chart.h"
#include "murojaat/schema.h"
#include "murojaat/table.h"
#include "murojaat/xlsx.h"

static struct mj_schema *schema;

static void draw_all(const struct mj_table *t)
{
	/* Small surfaces: the drawing code runs in full, the pixels are few. */
	cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 240, 150);
	cairo_t *cr = cairo_create(surface);
	for (int type = 0; type < MJ_CHART_TYPE_COUNT; type++)
		for (int variant = 0; variant < 2; variant++) {
			struct mj_chart_opts o;
			struct mj_error err;
			mj_chart_opts_init(&o);
			o.type = (enum mj_chart_type)type;
			o.percent = variant;
			o.min_cell = variant ? 3 : 0;
			o.font_size = 8;
			mj_chart_draw(cr, 240, 150, t, schema, &o, &err);
		}
	cairo_destroy(cr);
	cairo_surface_destroy(surface);
}

static void write_book(struct mj_table *t)
{
	FILE *null = fopen("/dev/null", "w");
	if (!null)
		return;
	struct mj_xlsx_opts o;
	struct mj_error err;
	mj_xlsx_opts_init(&o);
	o.schema = schema;
	struct mj_table *const tables[] = {t};
	mj_xlsx_write_stream(null, "fuzz.xlsx", tables, 1, &o, &err);
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mj_error err;
	if (!schema && !(schema = mj_schema_default(&err)))
		abort();
	struct mj_table *t = mj_table_read_mem((const char *)data, size, "fuzz", &err);
	if (!t)
		return 0;
	draw_all(t);
	write_book(t);
	mj_table_destroy(t);
	return 0;
}
