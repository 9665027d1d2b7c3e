/* Unit tests for the chart module: every type renders the 2023 figures in
 * PNG, SVG and PDF; sizes, labels and values; byte-identical reruns;
 * Cyrillic and Uzbek text; suppression; errors for tables that do not fit;
 * whiskers of confidence intervals, grouped bars and rates; tables read
 * back with their statistics columns. */
#include <cairo.h>
#include <dirent.h>
#include <math.h>
#include <png.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "murojaat/chart.h"
#include "murojaat/stats.h"

#include "check.h"
#include "png_rows.h"
#include "murojaat/population.h"

static struct mj_schema *schema;

static struct mj_schema *sch(void)
{
	if (!schema)
		schema = mj_schema_default(NULL);
	return schema;
}

/* The label of code in dim (schema) in lang. */
static const char *label_of(const char *dim, const char *code,
			    enum mj_lang lang)
{
	if (strcmp(code, MJ_CODE_MISSING) == 0)
		return mj_schema_missing_label(sch(), lang);
	if (strcmp(code, MJ_CODE_TOTAL) == 0)
		return mj_schema_total_label(sch(), lang);
	int d = mj_schema_dim_find(sch(), dim);
	int c = d >= 0 ? mj_schema_cat_find(sch(), (size_t)d, code) : -1;
	return c >= 0 ? mj_schema_cat_label(sch(), (size_t)d, (size_t)c, lang)
		      : code;
}

static void set_meta(struct mj_table *t, const char *title, enum mj_lang lang,
		     double n)
{
	mj_table_set(&t->title, title);
	mj_table_set(&t->measure, "count");
	mj_table_set(&t->lang, mj_lang_tag(lang));
	mj_table_set(&t->period_from, "2023-01-01");
	mj_table_set(&t->period_to, "2023-12-31");
	mj_table_set(&t->source, "samples/appeals-2023.csv");
	t->n_read = t->n_counted = (unsigned long long)n;
}

/* A one-way table of dim with the given codes and counts, a total row and
 * the 2023 metadata. */
static struct mj_table *one_way(const char *dim, enum mj_lang lang,
				const char *title, const char *const *codes,
				const double *values, size_t n)
{
	const char *dims[] = {dim};
	struct mj_table *t = mj_table_new(1, dims, NULL, 1, NULL, NULL);
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		const char *lab[] = {label_of(dim, codes[i], lang)};
		struct mj_table_row *r = mj_table_add_row(t, MJ_ROW_CATEGORY, 0,
							  &codes[i], lab);
		r->values[0] = values[i];
		sum += values[i];
	}
	const char *tc[] = {MJ_CODE_TOTAL};
	const char *tl[] = {label_of(dim, MJ_CODE_TOTAL, lang)};
	mj_table_add_row(t, MJ_ROW_TOTAL, 0, tc, tl)->values[0] = sum;
	int d = mj_schema_dim_find(sch(), dim);
	mj_table_set(&t->dim_labels[0],
		     d >= 0 ? mj_schema_dim_label(sch(), (size_t)d, lang) : dim);
	set_meta(t, title, lang, sum);
	return t;
}

static const char *const violence_codes[] = {"physical", "sexual",
	"psychological", "economic", "other"};
static const double violence_n[] = {2709, 114, 4642, 1062, 2400};

static const char *const region_codes[] = {"UZ-QR", "UZ-AN", "UZ-BU",
	"UZ-JI", "UZ-QA", "UZ-NW", "UZ-NG", "UZ-SA", "UZ-SU", "UZ-SI", "UZ-TO",
	"UZ-FA", "UZ-XO", "UZ-TK"};
static const double region_n[] = {793, 827, 825, 979, 780, 985, 663, 642, 899,
	549, 386, 925, 628, 1046};

static const char *const place_codes[] = {"domestic", "workplace", "public",
	"elsewhere", MJ_CODE_MISSING};
static const double place_n[] = {7362, 76, 737, 459, 2293};

static const char *const group_codes[] = {"woman", "girl", "man"};
static const double group_n[] = {10696, 70, 161};

static const char *const month_codes[] = {"2023-01", "2023-02", "2023-03",
	"2023-04", "2023-05", "2023-06", "2023-07", "2023-08", "2023-09",
	"2023-10", "2023-11", "2023-12"};
/* A plausible monthly spread of the 10,927 appeals. */
static const double month_n[] = {812, 845, 903, 921, 958, 934, 967, 982, 940,
	915, 880, 870};

static const char *title_of(const char *what, enum mj_lang lang)
{
	static const char *const titles[][MJ_LANG_COUNT] = {
		{"Appeals by type of violence", "Обращения по видам насилия",
		 "Zo\xca\xbbravonlik turlari bo\xca\xbbyicha murojaatlar",
		 "Зўравонлик турлари бўйича мурожаатлар"},
		{"Appeals by region", "Обращения по регионам",
		 "Hududlar bo\xca\xbbyicha murojaatlar",
		 "Ҳудудлар бўйича мурожаатлар"},
		{"Appeals by place of violence", "Обращения по месту насилия",
		 "Zo\xca\xbbravonlik joyi bo\xca\xbbyicha murojaatlar",
		 "Зўравонлик жойи бўйича мурожаатлар"},
		{"Appeals by month", "Обращения по месяцам",
		 "Oylar bo\xca\xbbyicha murojaatlar", "Ойлар бўйича мурожаатлар"},
		{"Appeals by group", "Обращения по группам",
		 "Guruhlar bo\xca\xbbyicha murojaatlar", "Гуруҳлар бўйича мурожаатлар"},
	};
	int i = strcmp(what, "violence") == 0 ? 0 : strcmp(what, "region") == 0 ? 1
		: strcmp(what, "place") == 0 ? 2 : strcmp(what, "month") == 0 ? 3 : 4;
	return titles[i][lang];
}

static struct mj_table *violence(enum mj_lang lang)
{
	return one_way("violence", lang, title_of("violence", lang),
		       violence_codes, violence_n, 5);
}

static struct mj_table *region(enum mj_lang lang)
{
	return one_way("region", lang, title_of("region", lang), region_codes,
		       region_n, 14);
}

static struct mj_table *place(enum mj_lang lang)
{
	return one_way("place", lang, title_of("place", lang), place_codes,
		       place_n, 5);
}

static struct mj_table *months(enum mj_lang lang)
{
	return one_way("month", lang, title_of("month", lang), month_codes,
		       month_n, 12);
}

/* place -> relationship as published in 2023. */
static struct mj_table *nested(enum mj_lang lang)
{
	static const struct { const char *place, *rel; double n; } rows[] = {
		{"domestic", NULL, 7362}, {"domestic", "spouse", 5535},
		{"domestic", "in_law", 1363}, {"domestic", "parent_child", 464},
		{"domestic", "other_family", 0},
		{"workplace", NULL, 76}, {"workplace", "employer", 53},
		{"workplace", "coworker", 12}, {"workplace", "superior_org", 11},
		{"public", NULL, 737}, {"public", "neighbour", 356},
		{"public", "mahalla", 298}, {"public", "organization", 65},
		{"public", "abroad", 18},
		{"elsewhere", NULL, 459}, {MJ_CODE_MISSING, NULL, 2293},
	};
	const char *dims[] = {"place", "relationship"};
	struct mj_table *t = mj_table_new(2, dims, NULL, 1, NULL, NULL);
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *codes[] = {rows[i].place,
				       rows[i].rel ? rows[i].rel : MJ_CODE_TOTAL};
		const char *labs[] = {label_of("place", codes[0], lang),
				      label_of("relationship", codes[1], lang)};
		struct mj_table_row *r = mj_table_add_row(t,
			rows[i].rel ? MJ_ROW_CATEGORY : MJ_ROW_SUBTOTAL,
			rows[i].rel ? 1 : 0, codes, labs);
		r->values[0] = rows[i].n;
	}
	const char *tc[] = {MJ_CODE_TOTAL, MJ_CODE_TOTAL};
	const char *tl[] = {label_of("place", MJ_CODE_TOTAL, lang),
			    label_of("place", MJ_CODE_TOTAL, lang)};
	mj_table_add_row(t, MJ_ROW_TOTAL, 0, tc, tl)->values[0] = 10927;
	static const char *const titles[MJ_LANG_COUNT] = {
		"Where violence happened, and between whom",
		"Где произошло насилие и между кем",
		"Zo\xca\xbbravonlik qayerda va kimlar o\xca\xbbrtasida sodir bo\xca\xbblgan",
		"Зўравонлик қаерда ва кимлар ўртасида содир бўлган"};
	set_meta(t, titles[lang], lang, 10927);
	return t;
}

/* A cross-tab of rows (codes, totals) by violence, split by the 2023
 * shares of the types of violence. */
static struct mj_table *crosstab(const char *dim, enum mj_lang lang,
				 const char *title, const char *const *codes,
				 const double *totals, size_t n)
{
	const char *dims[] = {dim};
	const char *cc[6], *cl[6];
	for (size_t j = 0; j < 5; j++) {
		cc[j] = violence_codes[j];
		cl[j] = label_of("violence", cc[j], lang);
	}
	cc[5] = MJ_CODE_TOTAL;
	cl[5] = label_of("violence", MJ_CODE_TOTAL, lang);
	struct mj_table *t = mj_table_new(1, dims, "violence", 6, cc, cl);
	double coltot[6] = {0};
	for (size_t i = 0; i < n; i++) {
		const char *lab[] = {label_of(dim, codes[i], lang)};
		struct mj_table_row *r = mj_table_add_row(t, MJ_ROW_CATEGORY, 0,
							  &codes[i], lab);
		double left = totals[i];
		for (size_t j = 0; j < 5; j++) {
			/* Vary the shares a little by row. */
			double share = violence_n[j] / 10927.0 *
				       (1 + 0.25 * sin((double)(i * 5 + j)));
			double v = j < 4 ? round(totals[i] * share) : left;
			if (v > left)
				v = left;
			r->values[j] = v;
			left -= v;
			coltot[j] += v;
		}
		r->values[5] = totals[i];
		coltot[5] += totals[i];
	}
	const char *tc[] = {MJ_CODE_TOTAL};
	const char *tl[] = {label_of(dim, MJ_CODE_TOTAL, lang)};
	struct mj_table_row *tr = mj_table_add_row(t, MJ_ROW_TOTAL, 0, tc, tl);
	memcpy(tr->values, coltot, sizeof coltot);
	mj_table_set(&t->col_dim_label,
		     mj_schema_dim_label(sch(), (size_t)mj_schema_dim_find(sch(), "violence"), lang));
	set_meta(t, title, lang, coltot[5]);
	return t;
}

static struct mj_table *region_by_violence(enum mj_lang lang)
{
	static const char *const titles[MJ_LANG_COUNT] = {
		"Types of violence by region", "Виды насилия по регионам",
		"Hududlar bo\xca\xbbyicha zo\xca\xbbravonlik turlari",
		"Ҳудудлар бўйича зўравонлик турлари"};
	return crosstab("region", lang, titles[lang], region_codes, region_n, 14);
}

static struct mj_table *month_by_violence(enum mj_lang lang)
{
	static const char *const titles[MJ_LANG_COUNT] = {
		"Types of violence by month", "Виды насилия по месяцам",
		"Oylar bo\xca\xbbyicha zo\xca\xbbravonlik turlari",
		"Ойлар бўйича зўравонлик турлари"};
	return crosstab("month", lang, titles[lang], month_codes, month_n, 12);
}

/* Girls under 18 by violence with --min-cell 5: small cells hidden. */
static struct mj_table *suppressed_table(void)
{
	static const double n[] = {31, 4, 26, 2, 7};
	struct mj_table *t = one_way("violence", MJ_LANG_EN, "Girls under 18",
				     violence_codes, n, 5);
	t->rows[1].suppressed[0] = 1;
	t->rows[3].suppressed[0] = 1;
	t->min_cell = 5;
	return t;
}

/* --- helpers --- */

static char tmpdir[64];

static const char *tmp_path(const char *name)
{
	static char path[256];
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof tmpdir, "/tmp/mj-chart-test.XXXXXX");
		if (!mkdtemp(tmpdir))
			abort();
	}
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	return path;
}

static void cleanup(void)
{
	if (!tmpdir[0])
		return;
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	char p[512];
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' && (!e->d_name[1] ||
		    (e->d_name[1] == '.' && !e->d_name[2])))
			continue;
		snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	size_t got = fread(buf, 1, (size_t)n, f);
	fclose(f);
	buf[got] = '\0';
	if (len)
		*len = got;
	return buf;
}

static enum mj_status write_chart(const char *path, enum mj_chart_type type,
				  const struct mj_table *t, int percent)
{
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	o.type = type;
	o.percent = percent;
	struct mj_error err;
	enum mj_status st = mj_chart_write(path, t, sch(), &o, &err);
	if (st != MJ_OK) {
		char buf[800];
		fprintf(stderr, "%s\n", mj_error_format(&err, buf, sizeof buf));
	}
	return st;
}

/* The text of a PDF (pdftotext), with all white space, no-break spaces
 * included, made single spaces. */
static char *pdf_text(const char *path)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 '%s' -", path);
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	int ch, space = 1;
	while ((ch = fgetc(p)) != EOF) {
		if (len + 4 >= cap)
			buf = realloc(buf, cap *= 2);
		if (ch == 0xc2) {
			int next = fgetc(p);
			if (next == 0xa0) {
				ch = ' ';
			} else {
				buf[len++] = (char)ch;
				ch = next;
			}
		}
		if (ch == '\n' || ch == '\t' || ch == '\f' || ch == ' ') {
			if (!space)
				buf[len++] = ' ';
			space = 1;
			continue;
		}
		space = 0;
		buf[len++] = (char)ch;
	}
	buf[len] = '\0';
	CHECK(pclose(p) == 0);
	return buf;
}

static void check_contains(const char *text, const char *want)
{
	if (!text || !strstr(text, want)) {
		fprintf(stderr, "missing \"%s\" in: %.2000s\n", want,
			text ? text : "(null)");
		check_failures++;
	}
}

/* --- cases --- */

static void test_types(void)
{
	for (int i = 0; i < MJ_CHART_TYPE_COUNT; i++)
		CHECK(mj_chart_type_parse(mj_chart_type_name(i)) == i);
	CHECK(mj_chart_type_parse("pie") == MJ_CHART_PIE);
	CHECK(mj_chart_type_parse("map") == MJ_CHART_MAP);
	CHECK(mj_chart_type_parse("radar") == -1);
	CHECK(mj_chart_type_parse(NULL) == -1);
	CHECK_STR(mj_chart_type_name(MJ_CHART_TYPE_COUNT), "unknown");
	CHECK(mj_chart_format_for("a.png") == MJ_CHART_PNG);
	CHECK(mj_chart_format_for("dir.x/A.SVG") == MJ_CHART_SVG);
	CHECK(mj_chart_format_for("r.pdf") == MJ_CHART_PDF);
	CHECK(mj_chart_format_for("r.jpg") == -1);
	CHECK(mj_chart_format_for("dir.png/r") == -1);
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	CHECK_NUM(o.width, 1200);
	CHECK_NUM(o.height, 750);
	CHECK_NUM(o.scale, 2);
	CHECK(o.lang == -1);
	CHECK(o.title == NULL);
}

static void test_png_size(void)
{
	struct mj_table *t = region(MJ_LANG_EN);
	const char *path = tmp_path("region.png");
	CHECK(write_chart(path, MJ_CHART_HBAR, t, 0) == MJ_OK);
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	CHECK(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
	CHECK(cairo_image_surface_get_width(s) == 2400);
	CHECK(cairo_image_surface_get_height(s) == 1500);
	/* Not blank: many distinct colours, white background, dark text. */
	cairo_surface_flush(s);
	unsigned char *data = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	uint32_t first = *(uint32_t *)data;
	size_t differ = 0;
	int dark = 0;
	for (int y = 0; y < 1500; y += 3)
		for (int x = 0; x < 2400; x += 3) {
			uint32_t px = *(uint32_t *)(data + y * stride + x * 4);
			differ += (px & 0xffffff) != (first & 0xffffff);
			dark |= (px & 0xff) < 0x40 && ((px >> 8) & 0xff) < 0x40;
		}
	CHECK((first & 0xffffff) == 0xffffff);
	CHECK(differ > 20000);
	CHECK(dark);
	cairo_surface_destroy(s);

	/* Another size and scale. */
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	o.type = MJ_CHART_BAR;
	o.width = 640;
	o.height = 400;
	o.scale = 1;
	path = tmp_path("small.png");
	CHECK(mj_chart_write(path, t, sch(), &o, NULL) == MJ_OK);
	s = cairo_image_surface_create_from_png(path);
	CHECK(cairo_image_surface_get_width(s) == 640);
	CHECK(cairo_image_surface_get_height(s) == 400);
	cairo_surface_destroy(s);
	mj_table_destroy(t);
	cleanup();
}

/* A PNG holds the pixels cairo draws, at widths that end a row with each
 * of the writer's loops (16 pixels, 4 and 1 at a time). */
static void test_png_pixels(void)
{
	struct mj_table *t = region(MJ_LANG_EN);
	static const int widths[] = {400, 404, 403, 401};
	for (size_t i = 0; i < sizeof widths / sizeof *widths; i++) {
		struct mj_chart_opts o;
		mj_chart_opts_init(&o);
		o.type = MJ_CHART_HBAR;
		o.width = widths[i];
		o.height = 400;
		o.scale = 1;
		const char *path = tmp_path("pixels.png");
		CHECK(mj_chart_write(path, t, sch(), &o, NULL) == MJ_OK);
		cairo_surface_t *png = cairo_image_surface_create_from_png(path);
		cairo_surface_t *want = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
								   widths[i], 400);
		cairo_t *cr = cairo_create(want);
		CHECK(mj_chart_draw(cr, widths[i], 400, t, sch(), &o, NULL) == MJ_OK);
		cairo_destroy(cr);
		CHECK(cairo_surface_status(png) == CAIRO_STATUS_SUCCESS);
		CHECK(cairo_image_surface_get_width(png) == widths[i]);
		CHECK(cairo_image_surface_get_height(png) == 400);
		cairo_surface_flush(png);
		cairo_surface_flush(want);
		size_t differ = 0;
		for (int y = 0; y < 400; y++)
			for (int x = 0; x < widths[i]; x++) {
				uint32_t a, b;
				memcpy(&a, cairo_image_surface_get_data(png) +
				       y * cairo_image_surface_get_stride(png) + 4 * x, 4);
				memcpy(&b, cairo_image_surface_get_data(want) +
				       y * cairo_image_surface_get_stride(want) + 4 * x, 4);
				differ += (a & 0xffffff) != (b & 0xffffff);
			}
		CHECK(differ == 0);
		cairo_surface_destroy(want);
		cairo_surface_destroy(png);
	}
	mj_table_destroy(t);
	cleanup();
}

/* What libpng writes from an image's pixels with the chart writer's
 * settings (zlib level 3, memLevel 5, rows unfiltered). */
struct png_mem {
	unsigned char *data;
	size_t len;
};

static void png_mem_write(png_structp png, png_bytep data, size_t len)
{
	struct png_mem *m = png_get_io_ptr(png);
	m->data = realloc(m->data, m->len + len);
	memcpy(m->data + m->len, data, len);
	m->len += len;
}

static void png_mem_flush(png_structp png)
{
	(void)png;
}

static struct png_mem libpng_bytes(cairo_surface_t *s)
{
	struct png_mem m = {NULL, 0};
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	cairo_surface_flush(s);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	png_set_write_fn(png, &m, png_mem_write, png_mem_flush);
	png_set_compression_level(png, 3);
	png_set_compression_mem_level(png, 5);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	unsigned char *row = malloc((size_t)w * 3);
	for (int y = 0; y < h; y++) {
		const unsigned char *src = cairo_image_surface_get_data(s) +
					   (size_t)y * (size_t)cairo_image_surface_get_stride(s);
		for (int x = 0; x < w; x++) {
			uint32_t px;
			memcpy(&px, src + 4 * x, 4);
			row[3 * x] = (unsigned char)(px >> 16);
			row[3 * x + 1] = (unsigned char)(px >> 8);
			row[3 * x + 2] = (unsigned char)px;
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	return m;
}

/* A chart's PNG holds exactly its pixels, as libpng writes them with the
 * same settings: every chunk's CRC right, the image data in IDATs of
 * libpng's size, and inflated (its checksum right) the rows libpng's
 * inflate to. The writer compresses the rows itself, but for the
 * smallest images and those too wide for a match to reach the row above,
 * which libpng writes: those are libpng's bytes. Its files are no more
 * than a tenth larger than libpng's at the same level, and at the
 * report's size (1200 x 750 at 2) smaller. */
static void test_png_bytes(void)
{
	struct mj_table *t = region(MJ_LANG_EN);
	static const double sizes[][3] = {
		{300, 200, 0.25}, {400, 400, 1}, {403, 401, 1}, {1200, 750, 2}, {333, 217, 1.5},
		/* Rows of 32,767 bytes, the longest a copy reaches, and of 32,773. */
		{10922, 750, 1}, {10924, 750, 1},
	};
	for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
		struct mj_chart_opts o;
		mj_chart_opts_init(&o);
		o.type = i % 2 ? MJ_CHART_HBAR : MJ_CHART_PIE;
		o.width = sizes[i][0];
		o.height = sizes[i][1];
		o.scale = sizes[i][2];
		const char *path = tmp_path("bytes.png");
		struct mj_error err;
		enum mj_status st = mj_chart_write(path, t, sch(), &o, &err);
		char buf[800];
		if (st != MJ_OK)
			fprintf(stderr, "%s\n", mj_error_format(&err, buf, sizeof buf));
		CHECK(st == MJ_OK);
		size_t len = 0;
		unsigned char *got = (unsigned char *)slurp(path, &len);
		cairo_surface_t *png = cairo_image_surface_create_from_png(path);
		CHECK(got && cairo_surface_status(png) == CAIRO_STATUS_SUCCESS);
		if (got && cairo_surface_status(png) == CAIRO_STATUS_SUCCESS) {
			struct png_mem want = libpng_bytes(png);
			size_t w = (size_t)cairo_image_surface_get_width(png);
			size_t h = (size_t)cairo_image_surface_get_height(png);
			size_t rawlen = (w * 3 + 1) * h;
			unsigned char ihdr[13] = {0}, want_ihdr[13] = {1};
			unsigned char *rows = png_rows(got, len, ihdr, rawlen);
			unsigned char *want_rows = png_rows(want.data, want.len, want_ihdr, rawlen);
			CHECK(rows && want_rows && memcmp(rows, want_rows, rawlen) == 0);
			CHECK(memcmp(ihdr, want_ihdr, 13) == 0);
			int same = want.len == len && memcmp(want.data, got, len) == 0;
			int own = rawlen > 16384 && w * 3 + 1 <= 32768;
			CHECK(own ? !same : same);
			CHECK(len <= want.len + want.len / 10);
			if (sizes[i][0] == 1200 && sizes[i][2] == 2)
				CHECK(len < want.len);
			if (!same)
				fprintf(stderr, "%gx%g at %g: %zu bytes, libpng's %zu\n", sizes[i][0],
					sizes[i][1], sizes[i][2], len, want.len);
			free(rows);
			free(want_rows);
			free(want.data);
		}
		free(got);
		cairo_surface_destroy(png);
	}
	mj_table_destroy(t);
	cleanup();
}

/* Every type and format twice: the same bytes. */
static void test_rerun(void)
{
	static const char *const ext[] = {"png", "svg", "pdf"};
	for (int type = 0; type < MJ_CHART_TYPE_COUNT; type++) {
		struct mj_table *t =
			type == MJ_CHART_STACKED ? region_by_violence(MJ_LANG_RU)
			: type == MJ_CHART_LINE ? month_by_violence(MJ_LANG_RU)
			: type == MJ_CHART_SUNBURST ? nested(MJ_LANG_RU)
			: type == MJ_CHART_MAP ? region(MJ_LANG_RU)
			: violence(MJ_LANG_RU);
		for (int e = 0; e < 3; e++) {
			char a[64], b[64];
			snprintf(a, sizeof a, "a-%d.%s", type, ext[e]);
			snprintf(b, sizeof b, "b-%d.%s", type, ext[e]);
			char pa[256];
			snprintf(pa, sizeof pa, "%s", tmp_path(a));
			CHECK(write_chart(pa, type, t, 0) == MJ_OK);
			const char *pb = tmp_path(b);
			CHECK(write_chart(pb, type, t, 0) == MJ_OK);
			size_t la = 0, lb = 0;
			char *da = slurp(pa, &la), *db = slurp(pb, &lb);
			CHECK(da && db && la == lb && memcmp(da, db, la) == 0);
			if (!(da && db && la == lb && memcmp(da, db, la) == 0))
				fprintf(stderr, "differs: %s %s\n", pa, pb);
			CHECK(la > 1000);
			free(da);
			free(db);
		}
		mj_table_destroy(t);
	}
	/* The PDF's dates come from the period, not the clock. */
	size_t plen;
	char *pdf = slurp(tmp_path("a-0.pdf"), &plen);
	CHECK(pdf && memmem(pdf, plen, "/CreationDate (20231231000000Z)", 31));
	CHECK(pdf && memmem(pdf, plen, "/ModDate (20231231000000Z)", 26));
	free(pdf);
	cleanup();
}

/* Every label and value is drawn as text (PDF text layer) and listed in
 * the SVG's description. */
/* A batch writes the same bytes as mj_chart_write(), its PNGs and SVGs
 * after the call returns (the table freed meanwhile); a PNG or SVG that
 * cannot be written fails the batch, at its end and for the charts asked
 * after it. */
static void test_batch(void)
{
	static const char *const ext[] = {"png", "svg", "pdf"};
	struct mj_chart_batch *b = mj_chart_batch_new();
	CHECK(b != NULL);
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	struct mj_error err;
	for (int type = 0; type < MJ_CHART_TYPE_COUNT; type++) {
		struct mj_table *t =
			type == MJ_CHART_STACKED ? region_by_violence(MJ_LANG_UZ)
			: type == MJ_CHART_LINE ? month_by_violence(MJ_LANG_UZ)
			: type == MJ_CHART_SUNBURST ? nested(MJ_LANG_UZ)
			: type == MJ_CHART_MAP ? region(MJ_LANG_UZ)
			: violence(MJ_LANG_UZ);
		o.type = (enum mj_chart_type)type;
		for (int e = 0; e < 3; e++) {
			char name[64], path[256];
			snprintf(name, sizeof name, "one-%d.%s", type, ext[e]);
			snprintf(path, sizeof path, "%s", tmp_path(name));
			CHECK(mj_chart_write(path, t, sch(), &o, &err) == MJ_OK);
			snprintf(name, sizeof name, "batch-%d.%s", type, ext[e]);
			CHECK(mj_chart_batch_write(b, tmp_path(name), t, sch(), &o, &err) == MJ_OK);
		}
		mj_table_destroy(t);
	}
	CHECK(mj_chart_batch_finish(b, &err) == MJ_OK);
	for (int type = 0; type < MJ_CHART_TYPE_COUNT; type++)
		for (int e = 0; e < 3; e++) {
			char name[64], pa[256];
			snprintf(name, sizeof name, "one-%d.%s", type, ext[e]);
			snprintf(pa, sizeof pa, "%s", tmp_path(name));
			snprintf(name, sizeof name, "batch-%d.%s", type, ext[e]);
			size_t la = 0, lb = 0;
			char *da = slurp(pa, &la), *db = slurp(tmp_path(name), &lb);
			CHECK(da && db && la == lb && la > 1000 && memcmp(da, db, la) == 0);
			free(da);
			free(db);
		}
	/* A link to /dev/full: the device is written in place, and fails on
	 * the thread. */
	char full[256];
	snprintf(full, sizeof full, "%s", tmp_path("full.png"));
	CHECK(symlink("/dev/full", full) == 0);
	struct mj_table *t = violence(MJ_LANG_EN);
	o.type = MJ_CHART_BAR;
	b = mj_chart_batch_new();
	CHECK(mj_chart_batch_write(b, full, t, sch(), &o, &err) == MJ_OK);
	CHECK(mj_chart_batch_finish(b, &err) == MJ_E_IO);
	CHECK_STR(err.path, full);
	CHECK(strstr(err.message, "No space") != NULL);
	b = mj_chart_batch_new();
	CHECK(mj_chart_batch_write(b, full, t, sch(), &o, &err) == MJ_OK);
	/* Once it has failed, the next chart is refused (small ones, quickly
	 * drawn, until the thread has come to it). */
	enum mj_status st = MJ_OK;
	o.width = 320;
	o.height = 200;
	for (int i = 0; i < 2000 && st == MJ_OK; i++)
		st = mj_chart_batch_write(b, tmp_path("after.png"), t, sch(), &o, &err);
	CHECK(st == MJ_E_IO);
	o.width = o.height = 0;
	CHECK(mj_chart_batch_finish(b, &err) == MJ_E_IO);
	CHECK_STR(err.path, full);
	/* Without a batch, as mj_chart_write(). */
	CHECK(mj_chart_batch_write(NULL, full, t, sch(), &o, &err) == MJ_E_IO);
	CHECK(strstr(err.message, "No space") != NULL);
	/* An SVG, written out on the thread, fails the batch the same way;
	 * the chart before it is written. */
	char full_svg[256];
	snprintf(full_svg, sizeof full_svg, "%s", tmp_path("full.svg"));
	CHECK(symlink("/dev/full", full_svg) == 0);
	b = mj_chart_batch_new();
	CHECK(mj_chart_batch_write(b, tmp_path("before.svg"), t, sch(), &o, &err) == MJ_OK);
	CHECK(mj_chart_batch_write(b, full_svg, t, sch(), &o, &err) == MJ_OK);
	CHECK(mj_chart_batch_finish(b, &err) == MJ_E_IO);
	CHECK_STR(err.path, full_svg);
	CHECK(strstr(err.message, "No space") != NULL);
	size_t before_len = 0;
	char *before = slurp(tmp_path("before.svg"), &before_len);
	CHECK(before && before_len > 1000 && strstr(before, "</svg>") != NULL);
	free(before);
	CHECK(mj_chart_batch_finish(NULL, &err) == MJ_OK);
	mj_table_destroy(t);
}

static void test_labels(void)
{
	struct mj_table *t = region(MJ_LANG_EN);
	const char *path = tmp_path("region.pdf");
	CHECK(write_chart(path, MJ_CHART_HBAR, t, 0) == MJ_OK);
	char *text = pdf_text(path);
	char buf[128], num[64];
	for (size_t i = 0; i < 14; i++) {
		check_contains(text, t->rows[i].labels[0]);
		double pct = 100 * region_n[i] / 10927;
		snprintf(buf, sizeof buf, "%s (%.1f%%)",
			 mj_format_number(region_n[i], 0, MJ_LANG_EN, num,
					  sizeof num), pct);
		check_contains(text, buf);
	}
	check_contains(text, "Appeals by region");
	check_contains(text, "n = 10,927");
	check_contains(text, "Source: samples/appeals-2023.csv");
	check_contains(text, "2023-01-01 \xe2\x80\x93 2023-12-31");
	check_contains(text, "Tashkent city");
	check_contains(text, "1,046 (9.6%)");
	free(text);

	path = tmp_path("region.svg");
	CHECK(write_chart(path, MJ_CHART_HBAR, t, 0) == MJ_OK);
	char *svg = slurp(path, NULL);
	check_contains(svg, "<svg");
	check_contains(svg, "<title>Appeals by region</title>");
	for (size_t i = 0; i < 14; i++)
		check_contains(svg, t->rows[i].labels[0]);
	check_contains(svg, "Republic of Karakalpakstan: 793 (7.3%)");
	check_contains(svg, "Total: 10,927");
	free(svg);
	mj_table_destroy(t);

	/* The donut's hole holds the total; the map its short names. */
	t = violence(MJ_LANG_EN);
	path = tmp_path("violence.pdf");
	CHECK(write_chart(path, MJ_CHART_DONUT, t, 0) == MJ_OK);
	text = pdf_text(path);
	check_contains(text, "10,927");
	check_contains(text, "appeals");
	check_contains(text, "Psychological 4,642 (42.5%)");
	check_contains(text, "Sexual 114 (1.0%)");
	free(text);
	mj_table_destroy(t);

	t = region(MJ_LANG_EN);
	path = tmp_path("map.pdf");
	CHECK(write_chart(path, MJ_CHART_MAP, t, 0) == MJ_OK);
	text = pdf_text(path);
	check_contains(text, "Karakalpakstan");
	check_contains(text, "Tashkent reg.");
	check_contains(text, "1,046");
	check_contains(text, "Number of appeals");
	free(text);
	mj_table_destroy(t);

	t = nested(MJ_LANG_EN);
	path = tmp_path("sunburst.pdf");
	CHECK(write_chart(path, MJ_CHART_SUNBURST, t, 0) == MJ_OK);
	text = pdf_text(path);
	check_contains(text, "Husband and wife");
	check_contains(text, "5,535 (50.7%)");
	check_contains(text, "Domestic");
	check_contains(text, "Another state");
	check_contains(text, "appeals");
	free(text);
	mj_table_destroy(t);
	cleanup();
}

/* Russian and Uzbek text renders: Cyrillic, the Uzbek ʻ, number style. */
static void test_cyrillic(void)
{
	struct mj_table *t = violence(MJ_LANG_RU);
	const char *path = tmp_path("ru.pdf");
	CHECK(write_chart(path, MJ_CHART_PIE, t, 0) == MJ_OK);
	char *text = pdf_text(path);
	check_contains(text, "Обращения по видам насилия");
	check_contains(text, "Психологическое");
	check_contains(text, "4 642 (42,5 %)");
	check_contains(text, "Источник");
	check_contains(text, "01.01.2023 \xe2\x80\x93 31.12.2023");
	free(text);
	mj_table_destroy(t);

	t = region(MJ_LANG_UZ);
	path = tmp_path("uz.pdf");
	CHECK(write_chart(path, MJ_CHART_HBAR, t, 0) == MJ_OK);
	text = pdf_text(path);
	check_contains(text, "Hududlar bo\xca\xbbyicha murojaatlar");
	check_contains(text, "Farg\xca\xbbona viloyati");
	check_contains(text, "Qoraqalpog\xca\xbbiston Respublikasi");
	check_contains(text, "1 046 (9,6 %)");
	free(text);
	mj_table_destroy(t);

	t = violence(MJ_LANG_UZ_CYRL);
	path = tmp_path("uzc.pdf");
	CHECK(write_chart(path, MJ_CHART_DONUT, t, 0) == MJ_OK);
	text = pdf_text(path);
	check_contains(text, "Руҳий");
	check_contains(text, "10 927");
	check_contains(text, "мурожаат");
	free(text);
	mj_table_destroy(t);
	cleanup();
}

/* Suppressed cells show "<5", never their number, in every type that
 * can show the table. */
static void test_suppressed(void)
{
	struct mj_table *t = suppressed_table();
	static const enum mj_chart_type types[] = {MJ_CHART_BAR, MJ_CHART_HBAR,
		MJ_CHART_PIE, MJ_CHART_DONUT, MJ_CHART_LINE};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		const char *path = tmp_path("supp.pdf");
		CHECK(write_chart(path, types[i], t, 0) == MJ_OK);
		char *text = pdf_text(path);
		check_contains(text, "<5");
		check_contains(text, "counts below 5, and cells that would reveal them, are not shown");
		/* The hidden values 4 and 2 appear nowhere as numbers. */
		CHECK(!strstr(text, " 4 ") && !strstr(text, " 2 ("));
		CHECK(!strstr(text, " 4 (") && !strstr(text, "\n4"));
		free(text);
		char *svg;
		path = tmp_path("supp.svg");
		CHECK(write_chart(path, types[i], t, 0) == MJ_OK);
		svg = slurp(path, NULL);
		check_contains(svg, "Sexual: &lt;5");
		CHECK(!strstr(svg, "Sexual: 4"));
		free(svg);
	}
	mj_table_destroy(t);
	cleanup();
}

static enum mj_status draw_status(enum mj_chart_type type,
				  const struct mj_table *t, char *msg,
				  size_t len)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
							300, 200);
	cairo_t *cr = cairo_create(s);
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	o.type = type;
	struct mj_error err;
	mj_error_clear(&err);
	enum mj_status st = mj_chart_draw(cr, 600, 400, t, sch(), &o, &err);
	snprintf(msg, len, "%s", err.message);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return st;
}

static void test_errors(void)
{
	char msg[512];
	const char *dims[] = {"violence"};
	struct mj_table *empty = mj_table_new(1, dims, NULL, 1, NULL, NULL);
	CHECK(draw_status(MJ_CHART_BAR, empty, msg, sizeof msg) == MJ_E_EMPTY);
	check_contains(msg, "no categories");
	const char *tc[] = {MJ_CODE_TOTAL};
	mj_table_add_row(empty, MJ_ROW_TOTAL, 0, tc, tc);
	CHECK(draw_status(MJ_CHART_PIE, empty, msg, sizeof msg) == MJ_E_EMPTY);
	static const double zeros[5] = {0};
	struct mj_table *zero = one_way("violence", MJ_LANG_EN, "x",
					violence_codes, zeros, 5);
	CHECK(draw_status(MJ_CHART_DONUT, zero, msg, sizeof msg) == MJ_E_EMPTY);
	check_contains(msg, "every value is 0");

	struct mj_table *cross = region_by_violence(MJ_LANG_EN);
	CHECK(draw_status(MJ_CHART_PIE, cross, msg, sizeof msg) ==
	      MJ_E_UNSUPPORTED);
	check_contains(msg, "cross-tab");
	CHECK(draw_status(MJ_CHART_SUNBURST, cross, msg, sizeof msg) ==
	      MJ_E_UNSUPPORTED);
	CHECK(draw_status(MJ_CHART_MAP, cross, msg, sizeof msg) ==
	      MJ_E_UNSUPPORTED);
	CHECK(draw_status(MJ_CHART_STACKED, cross, msg, sizeof msg) == MJ_OK);
	CHECK(draw_status(MJ_CHART_LINE, cross, msg, sizeof msg) == MJ_OK);

	struct mj_table *v = violence(MJ_LANG_EN);
	CHECK(draw_status(MJ_CHART_SUNBURST, v, msg, sizeof msg) ==
	      MJ_E_UNSUPPORTED);
	check_contains(msg, "nested");
	CHECK(draw_status(MJ_CHART_MAP, v, msg, sizeof msg) == MJ_E_UNSUPPORTED);
	check_contains(msg, "tile");
	CHECK(draw_status(MJ_CHART_STACKED, v, msg, sizeof msg) ==
	      MJ_E_UNSUPPORTED);
	/* A map needs the schema's tile positions. */
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
	cairo_t *cr = cairo_create(s);
	struct mj_table *r = region(MJ_LANG_EN);
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	o.type = MJ_CHART_MAP;
	CHECK(mj_chart_draw(cr, 600, 400, r, NULL, &o, NULL) == MJ_E_UNSUPPORTED);
	/* Too small to plot. */
	o.type = MJ_CHART_BAR;
	CHECK(mj_chart_draw(cr, 120, 60, r, sch(), &o, NULL) == MJ_E_USAGE);
	cairo_destroy(cr);
	cairo_surface_destroy(s);

	/* More bars than lines of 8 pt text fit: a limit, not overlaps. */
	{
		char codes[90][16];
		const char *cp[90];
		double vals[90];
		for (int i = 0; i < 90; i++) {
			snprintf(codes[i], sizeof codes[i], "d%02d", i);
			cp[i] = codes[i];
			vals[i] = 10 + i;
		}
		struct mj_table *many = one_way("district", MJ_LANG_EN, "Districts",
						cp, vals, 90);
		CHECK(draw_status(MJ_CHART_HBAR, many, msg, sizeof msg) == MJ_E_LIMIT);
		check_contains(msg, "--top");
		CHECK(draw_status(MJ_CHART_BAR, many, msg, sizeof msg) == MJ_E_LIMIT);
		mj_table_destroy(many);
	}

	/* A failed write leaves nothing behind. */
	struct mj_error err;
	CHECK(mj_chart_write(tmp_path("bad.jpg"), v, sch(), &o, &err) ==
	      MJ_E_USAGE);
	o.type = MJ_CHART_PIE;
	CHECK(mj_chart_write(tmp_path("cross.png"), cross, sch(), &o, &err) ==
	      MJ_E_UNSUPPORTED);
	CHECK_STR(err.path, tmp_path("cross.png"));
	CHECK(mj_chart_write("/nonexistent-dir/x.png", v, sch(), &o, &err) ==
	      MJ_E_IO);
	DIR *d = opendir(tmpdir);
	int files = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		files += e->d_name[0] != '.' || (e->d_name[1] &&
			 (e->d_name[1] != '.' || e->d_name[2]));
	if (d)
		closedir(d);
	CHECK(files == 0);
	mj_table_destroy(empty);
	mj_table_destroy(zero);
	mj_table_destroy(cross);
	mj_table_destroy(v);
	mj_table_destroy(r);
	cleanup();
}

/* hbar sorts nominal categories by value, "not stated" last; months and
 * age groups keep their order (checked through the PDF's text order). */
static void test_order(void)
{
	struct mj_table *t = place(MJ_LANG_EN);
	const char *path = tmp_path("place.pdf");
	CHECK(write_chart(path, MJ_CHART_HBAR, t, 0) == MJ_OK);
	char *text = pdf_text(path);
	const char *dom = strstr(text, "Domestic"),
		   *pub = strstr(text, "Public place"),
		   *els = strstr(text, "Elsewhere"),
		   *work = strstr(text, "At work"),
		   *miss = strstr(text, "Not stated");
	CHECK(dom && pub && els && work && miss);
	CHECK(dom < pub && pub < els && els < work && work < miss);
	free(text);
	mj_table_destroy(t);

	/* mj-tab's "Other" (after --top) comes after the categories and
	 * before "not stated". */
	static const char *const top[] = {"UZ-TK", "_other", "UZ-TO",
					  MJ_CODE_MISSING};
	static const double tn[] = {1046, 9000, 386, 495};
	t = one_way("region", MJ_LANG_EN, "Top", top, tn, 4);
	CHECK(write_chart(path, MJ_CHART_HBAR, t, 0) == MJ_OK);
	text = pdf_text(path);
	const char *tk = strstr(text, "Tashkent city"),
		   *to = strstr(text, "Tashkent region"),
		   *oth = strstr(text, "_other"),
		   *ns = strstr(text, "Not stated");
	CHECK(tk && to && oth && ns && tk < to && to < oth && oth < ns);
	free(text);
	mj_table_destroy(t);

	static const char *const ages[] = {"0-17", "18-29", "30-44", "45-59", "60+"};
	static const double an[] = {70, 3100, 4200, 2800, 757};
	t = one_way("age_group", MJ_LANG_EN, "Appeals by age", ages, an, 5);
	CHECK(write_chart(path, MJ_CHART_HBAR, t, 0) == MJ_OK);
	text = pdf_text(path);
	const char *a = strstr(text, "0\xe2\x80\x93" "17"),
		   *b = strstr(text, "30\xe2\x80\x93" "44"),
		   *c = strstr(text, "60+");
	CHECK(a && b && c && a < b && b < c);
	free(text);
	mj_table_destroy(t);
	cleanup();
}

/* Every type in en, ru and uz as PNG, SVG and PDF into charts/ (kept as
 * build outputs to look at). */
static void test_render(void)
{
	mkdir("charts", 0777);
	static const char *const langs[] = {"en", "ru", "uz"};
	static const char *const ext[] = {"png", "svg", "pdf"};
	for (int l = 0; l < 3; l++) {
		enum mj_lang lang = (enum mj_lang)mj_lang_parse(langs[l]);
		struct {
			const char *name;
			enum mj_chart_type type;
			struct mj_table *t;
			int percent;
		} jobs[] = {
			{"bar-group", MJ_CHART_BAR, one_way("group", lang,
				title_of("group", lang), group_codes, group_n, 3), 0},
			{"bar-month", MJ_CHART_BAR, months(lang), 0},
			{"hbar-region", MJ_CHART_HBAR, region(lang), 0},
			{"hbar-place", MJ_CHART_HBAR, place(lang), 0},
			{"stacked", MJ_CHART_STACKED, region_by_violence(lang), 0},
			{"stacked-percent", MJ_CHART_STACKED, region_by_violence(lang), 1},
			{"pie", MJ_CHART_PIE, violence(lang), 0},
			{"pie-regions", MJ_CHART_PIE, region(lang), 0},
			{"donut", MJ_CHART_DONUT, place(lang), 0},
			{"line", MJ_CHART_LINE, months(lang), 0},
			{"line-violence", MJ_CHART_LINE, month_by_violence(lang), 0},
			{"sunburst", MJ_CHART_SUNBURST, nested(lang), 0},
			{"map", MJ_CHART_MAP, region(lang), 0},
			{"map-percent", MJ_CHART_MAP, region(lang), 1},
			{"bar-suppressed", MJ_CHART_HBAR, suppressed_table(), 0},
		};
		for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++) {
			for (int e = 0; e < 3; e++) {
				if (e > 0 && l > 0)
					continue;
				char path[256];
				snprintf(path, sizeof path, "charts/%s-%s.%s",
					 jobs[j].name, langs[l], ext[e]);
				CHECK(write_chart(path, jobs[j].type, jobs[j].t,
						  jobs[j].percent) == MJ_OK);
			}
			mj_table_destroy(jobs[j].t);
		}
	}
}

/* --- statistics: whiskers and rates --- */

/* Draws t as an SVG with o and returns the number of whiskers in it
 * (strokes in their dark grey, which nothing else uses), or -1 when the
 * chart failed; the SVG text goes to *svg_out when not NULL. */
static int whiskers_in(const struct mj_table *t, const struct mj_chart_opts *o,
		       char **svg_out)
{
	const char *path = tmp_path("w.svg");
	struct mj_error err;
	if (mj_chart_write(path, t, sch(), o, &err) != MJ_OK) {
		char buf[800];
		fprintf(stderr, "%s\n", mj_error_format(&err, buf, sizeof buf));
		return -1;
	}
	char *svg = slurp(path, NULL);
	int n = 0;
	for (const char *p = svg; (p = strstr(p, "stroke:rgb(20%,20%,20%)")); p++)
		n++;
	if (svg_out)
		*svg_out = svg;
	else
		free(svg);
	return n;
}

/* The drawn text of t charted with o as a PDF. */
static char *chart_words(const struct mj_table *t, const struct mj_chart_opts *o)
{
	const char *path = tmp_path("w.pdf");
	struct mj_error err;
	if (mj_chart_write(path, t, sch(), o, &err) != MJ_OK) {
		char buf[800];
		fprintf(stderr, "%s\n", mj_error_format(&err, buf, sizeof buf));
		return NULL;
	}
	return pdf_text(path);
}

/* One whisker per bar of counts with --ci, none without, none on a pie;
 * the note names the level and the method. */
static void test_whiskers(void)
{
	struct mj_table *t = violence(MJ_LANG_EN);
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	o.type = MJ_CHART_HBAR;
	CHECK(whiskers_in(t, &o, NULL) == 0);
	o.ci_level = 0.95;
	CHECK(whiskers_in(t, &o, NULL) == 5);
	o.type = MJ_CHART_BAR;
	CHECK(whiskers_in(t, &o, NULL) == 5);
	char *text = chart_words(t, &o);
	check_contains(text, "Whiskers: 95% confidence interval (Wilson)");
	free(text);
	o.ci_method = MJ_CI_EXACT;
	o.ci_level = 0.99;
	text = chart_words(t, &o);
	check_contains(text, "Whiskers: 99% confidence interval (Clopper-Pearson)");
	free(text);
	/* Types that draw no intervals ignore the level. */
	o.type = MJ_CHART_PIE;
	CHECK(whiskers_in(t, &o, NULL) == 0);
	text = chart_words(t, &o);
	CHECK(text && !strstr(text, "Whiskers"));
	free(text);
	/* Russian words for the note. */
	struct mj_table *ru = violence(MJ_LANG_RU);
	o.type = MJ_CHART_HBAR;
	o.ci_method = MJ_CI_WILSON;
	o.ci_level = 0.95;
	text = chart_words(ru, &o);
	check_contains(text, "Усы: 95 % доверительный интервал (Уилсон)");
	free(text);
	mj_table_destroy(ru);
	mj_table_destroy(t);
	cleanup();
}

/* The whisker of a bar spans the interval of its percent times its base:
 * 2,709 of 10,927 has the Wilson 95% interval 23.99%..25.61%, so
 * its whisker runs from 2,621.5 to 2,798.4 appeals, drawn on the bar's
 * own scale. Checked on a recording surface: the whisker's line is
 * the widest horizontal stroke in its dark grey, and its length against
 * the bar's length gives the counts back. */
static void test_whisker_geometry(void)
{
	static const char *const codes[] = {"UZ-TK"};
	static const double n[] = {2709};
	/* By region: bars in the default blue (regions have no colours). */
	struct mj_table *t = one_way("region", MJ_LANG_EN, "x", codes, n, 1);
	/* Grand total 10,927: the rest is "other". */
	t->rows[1].values[0] = 10927;
	double lo, hi;
	CHECK(mj_ci_proportion(2709, 10927, 0.95, MJ_CI_WILSON, &lo, &hi) == 0);
	/* Independent computation (Python, the Wilson formula):
	 * 2621.5105 and 2798.4256 appeals. */
	CHECK(fabs(lo * 10927 - 2621.5105) < 1e-3 && fabs(hi * 10927 - 2798.4256) < 1e-3);
	struct mj_stats s;
	mj_stats_init(&s);
	CHECK(mj_stats_ci(&s, t, 0.95, MJ_CI_WILSON, 0, NULL) == MJ_OK);
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	o.type = MJ_CHART_HBAR;
	o.ci_level = 0.95;
	/* The same whisker whether the chart computes the interval or is
	 * given it. */
	for (int given = 0; given < 2; given++) {
		o.stats = given ? &s : NULL;
		char *svg = NULL;
		CHECK(whiskers_in(t, &o, &svg) == 1);
		/* cairo writes the whisker as one path: "M x1 y L x2 y M ...". */
		const char *p = svg ? strstr(svg, "stroke:rgb(20%,20%,20%)") : NULL;
		const char *d = p ? strstr(p, " d=\"M ") : NULL;
		double x1 = 0, y1 = 0, x2 = 0, y2 = 0;
		CHECK(d && sscanf(d, " d=\"M %lf %lf L %lf %lf", &x1, &y1, &x2,
				  &y2) == 4);
		CHECK(fabs(y1 - y2) < 1e-6 && x2 > x1);
		/* The bar: the filled rectangle in the default blue. */
		const char *b = svg ? strstr(svg, "fill:rgb(0%,44.705882%,69.803922%)")
				    : NULL;
		CHECK(b != NULL);
		/* Its path follows in the same element: "M x0 y h len". */
		const char *bd = b ? strstr(b, " d=\"M ") : NULL;
		double bx = 0, by = 0, bx2 = 0;
		CHECK(bd && sscanf(bd, " d=\"M %lf %lf L %lf", &bx, &by, &bx2) == 3);
		double per = (bx2 - bx) / 2709;
		CHECK(per > 0);
		CHECK(fabs((x1 - bx) / per - lo * 10927) < 0.5);
		CHECK(fabs((x2 - bx) / per - hi * 10927) < 0.5);
		free(svg);
	}
	/* Intervals at another level than the chart says are refused. */
	o.stats = &s;
	o.ci_level = 0.90;
	char msg[512];
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
	cairo_t *cr = cairo_create(surf);
	struct mj_error err;
	CHECK(mj_chart_draw(cr, 1200, 750, t, sch(), &o, &err) == MJ_E_VALUE);
	snprintf(msg, sizeof msg, "%s", err.message);
	check_contains(msg, "not 90% Wilson intervals");
	o.ci_level = 0.95;
	o.ci_method = MJ_CI_EXACT;
	CHECK(mj_chart_draw(cr, 1200, 750, t, sch(), &o, NULL) == MJ_E_VALUE);
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
	mj_stats_free(&s);
	mj_table_destroy(t);
	cleanup();
}

/* Suppressed cells ("<5") get no whisker: its ends would give the count
 * away. */
static void test_whiskers_suppressed(void)
{
	struct mj_table *t = suppressed_table();
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	o.ci_level = 0.95;
	o.type = MJ_CHART_HBAR;
	CHECK(whiskers_in(t, &o, NULL) == 3);
	o.type = MJ_CHART_BAR;
	CHECK(whiskers_in(t, &o, NULL) == 3);
	/* Suppressed by the chart (min_cell) as well. */
	mj_table_destroy(t);
	t = violence(MJ_LANG_EN);
	o.min_cell = 200;
	CHECK(whiskers_in(t, &o, NULL) < 5);
	char *text = chart_words(t, &o);
	check_contains(text, "<200");
	free(text);
	mj_table_destroy(t);
	cleanup();
}

/* A cross-tab in bar and hbar: groups of bars with a legend, one whisker
 * per bar of the row percents' intervals. */
static void test_grouped(void)
{
	struct mj_table *t = region_by_violence(MJ_LANG_EN);
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	for (int type = MJ_CHART_BAR; type <= MJ_CHART_HBAR; type++) {
		o.type = (enum mj_chart_type)type;
		o.ci_level = 0;
		CHECK(whiskers_in(t, &o, NULL) == 0);
		o.ci_level = 0.95;
		CHECK(whiskers_in(t, &o, NULL) == 14 * 5);
		char *text = chart_words(t, &o);
		check_contains(text, "Physical");
		check_contains(text, "Psychological");
		check_contains(text, "Tashkent city");
		check_contains(text, "Whiskers: 95% confidence interval (Wilson)");
		free(text);
	}
	/* Stacked bars draw none. */
	o.type = MJ_CHART_STACKED;
	CHECK(whiskers_in(t, &o, NULL) == 0);
	mj_table_destroy(t);
	cleanup();
}

/* Made-up populations (tests only): 1,000,000 in every region but
 * Tashkent region, which has none. */
static struct mj_population *test_population(void)
{
	char text[2048] = "region,population\n";
	for (size_t i = 0; i < 14; i++)
		if (strcmp(region_codes[i], "UZ-TO") != 0) {
			size_t used = strlen(text);
			snprintf(text + used, sizeof text - used, "%s,1000000\n",
				 region_codes[i]);
		}
	struct mj_error err;
	struct mj_population *p = mj_population_parse("pop.csv", text,
						      strlen(text), sch(), &err);
	if (!p) {
		char buf[800];
		fprintf(stderr, "%s\n", mj_error_format(&err, buf, sizeof buf));
	}
	return p;
}

/* Rates take the place of counts in bars and on the map; a region with
 * no population is left out and named; shares of rates are refused. */
static void test_rates(void)
{
	struct mj_table *t = region(MJ_LANG_EN);
	struct mj_population *pop = test_population();
	CHECK(pop != NULL);
	struct mj_stats s;
	mj_stats_init(&s);
	CHECK(mj_stats_rates(&s, t, pop, 100000, NULL) == MJ_OK);
	struct mj_chart_opts o;
	mj_chart_opts_init(&o);
	o.stats = &s;
	o.rates = 1;
	o.rate_per = 100000;
	static const enum mj_chart_type drawn[] = {MJ_CHART_HBAR, MJ_CHART_BAR,
						   MJ_CHART_MAP};
	for (size_t i = 0; i < 3; i++) {
		o.type = drawn[i];
		char *text = chart_words(t, &o);
		CHECK(text != NULL);
		/* 793 / 1,000,000 x 100,000 and 1,046 / 1,000,000 x 100,000. */
		check_contains(text, "79.3");
		check_contains(text, "104.6");
		check_contains(text, "Tashkent region: no population");
		check_contains(text, "Per 100,000 population");
		/* No count or percent of a region is drawn. */
		CHECK(text && !strstr(text, "793 (7.3%)") && !strstr(text, "1,046"));
		free(text);
	}
	/* Only the map keeps the region without a population (an empty tile);
	 * the bars leave it out. */
	o.type = MJ_CHART_HBAR;
	char *text = chart_words(t, &o);
	int seen = 0;
	for (const char *p = text; p && (p = strstr(p, "Tashkent region")); p++)
		seen++;
	CHECK(seen == 1);
	free(text);
	o.type = MJ_CHART_MAP;
	text = chart_words(t, &o);
	seen = 0;
	for (const char *p = text; p && (p = strstr(p, "Tashkent reg")); p++)
		seen++;
	CHECK(seen == 2);
	free(text);
	o.type = MJ_CHART_HBAR;
	/* Rates drawn with --ci: no whiskers (intervals are of percents). */
	o.ci_level = 0.95;
	CHECK(whiskers_in(t, &o, NULL) == 0);
	o.ci_level = 0;
	/* Shares and sums of rates are refused. */
	static const enum mj_chart_type refused[] = {MJ_CHART_PIE,
		MJ_CHART_DONUT, MJ_CHART_LINE};
	cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
	cairo_t *cr = cairo_create(surf);
	struct mj_error err;
	for (size_t i = 0; i < 3; i++) {
		o.type = refused[i];
		CHECK(mj_chart_draw(cr, 1200, 750, t, sch(), &o, &err) ==
		      MJ_E_UNSUPPORTED);
		check_contains(err.message, "shares of rates mean nothing");
	}
	struct mj_table *cross = region_by_violence(MJ_LANG_EN);
	o.type = MJ_CHART_STACKED;
	o.stats = NULL;
	CHECK(mj_chart_draw(cr, 1200, 750, cross, sch(), &o, &err) ==
	      MJ_E_UNSUPPORTED);
	/* No rate column: a usage error that says how to get one. */
	o.type = MJ_CHART_HBAR;
	CHECK(mj_chart_draw(cr, 1200, 750, t, sch(), &o, &err) == MJ_E_USAGE);
	check_contains(err.message, "--rate-per N --population FILE");
	/* Rates per another unit than the chart names. */
	o.stats = &s;
	o.rate_per = 1000;
	CHECK(mj_chart_draw(cr, 1200, 750, t, sch(), &o, &err) == MJ_E_VALUE);
	check_contains(err.message, "per 100,000 people, not per 1,000");
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
	/* A cross-tab by violence: the population is by region only, so
	 * every cell but the row totals lacks one: nothing to draw. */
	mj_stats_free(&s);
	mj_stats_init(&s);
	CHECK(mj_stats_rates(&s, cross, pop, 100000, NULL) == MJ_OK);
	o.rate_per = 100000;
	char msg[512];
	o.type = MJ_CHART_BAR;
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
	cr = cairo_create(surf);
	CHECK(mj_chart_draw(cr, 1200, 750, cross, sch(), &o, &err) == MJ_E_EMPTY);
	snprintf(msg, sizeof msg, "%s", err.message);
	check_contains(msg, "population");
	cairo_destroy(cr);
	cairo_surface_destroy(surf);
	mj_table_destroy(cross);
	mj_stats_free(&s);
	mj_population_destroy(pop);
	mj_table_destroy(t);
	cleanup();
}

/* Tables written by mj-tab with statistics columns are read back with
 * them (CSV and JSON), and plain reading ignores them. */
static void test_read_stats(void)
{
	static const char csv[] =
		"region_code,region,sex_code,sex,count,row_percent,row_percent_base,ci_low,ci_high,population,population_note,rate,rate_note\n"
		"UZ-QR,Karakalpakstan,female,Female,781,98.5,793,97.4,99.1,600000,,130.17,\n"
		"UZ-QR,Karakalpakstan,male,Male,12,1.5,793,0.9,2.6,400000,,3.00,\n"
		"UZ-QR,Karakalpakstan,_total,Total,793,100.0,793,,,1000000,,79.30,\n"
		"UZ-AN,Andijan,female,Female,817,98.8,827,97.8,99.3,,\xe2\x80\x94,,no population\n"
		"UZ-AN,Andijan,male,Male,10,1.2,827,0.7,2.2,,\xe2\x80\x94,,no population\n"
		"UZ-AN,Andijan,_total,Total,827,100.0,827,,,,\xe2\x80\x94,,no population\n"
		"_total,Total,female,Female,1598,98.6,1620,98.0,99.1,,,,\n"
		"_total,Total,male,Male,22,1.4,1620,0.9,2.1,,,,\n"
		"_total,Total,_total,Total,1620,100.0,1620,,,,,,\n";
	FILE *f = fmemopen((void *)csv, sizeof csv - 1, "r");
	struct mj_stats s;
	struct mj_error err;
	struct mj_table *t = mj_table_read_stats(f, "t.csv", &s, &err);
	fclose(f);
	CHECK(t != NULL);
	CHECK(t && t->nrows == 3 && t->ncols == 3);
	CHECK(s.ncols == 4);
	const struct mj_stat_col *lo = NULL, *rate = NULL;
	for (size_t i = 0; i < s.ncols; i++) {
		if (strcmp(s.cols[i].name, "ci_low") == 0)
			lo = &s.cols[i];
		if (strcmp(s.cols[i].name, "rate") == 0)
			rate = &s.cols[i];
	}
	CHECK(lo && rate);
	if (t && lo && rate) {
		CHECK(lo->values[0] == 97.4 && lo->values[4] == 0.7);
		CHECK(isnan(lo->values[2]));
		CHECK(lo->decimals == 1 && rate->decimals == 2);
		CHECK(rate->values[0] == 130.17 && rate->values[2] == 79.3);
		CHECK(isnan(rate->values[3]) && isnan(rate->values[5]));
	}
	mj_stats_free(&s);
	mj_table_destroy(t);
	/* Plain reading still works and ignores the columns. */
	f = fmemopen((void *)csv, sizeof csv - 1, "r");
	t = mj_table_read(f, "t.csv", &err);
	fclose(f);
	CHECK(t && t->nrows == 3 && t->rows[0].values[1] == 12);
	mj_table_destroy(t);

	static const char json[] =
		"{\"murojaat\": \"table\", \"version\": 1, \"measure\": \"count\", \"lang\": \"en\",\n"
		" \"dims\": [{\"name\": \"violence\", \"label\": \"Violence\"}],\n"
		" \"columns\": [{\"code\": \"_total\", \"label\": \"Count\"}],\n"
		" \"rows\": [\n"
		"  {\"kind\": \"category\", \"level\": 0, \"codes\": [\"physical\"], \"labels\": [\"Physical\"], \"values\": [2709], \"ci_low\": [24.0], \"ci_high\": [25.6]},\n"
		"  {\"kind\": \"category\", \"level\": 0, \"codes\": [\"sexual\"], \"labels\": [\"Sexual\"], \"values\": [null], \"suppressed\": [true], \"ci_low\": [null], \"ci_high\": [null]},\n"
		"  {\"kind\": \"total\", \"level\": 0, \"codes\": [\"_total\"], \"labels\": [\"Total\"], \"values\": [10927], \"ci_low\": [null], \"ci_high\": [null]}\n"
		" ],\n"
		" \"notes\": [\"95% confidence interval of each percent of total: Wilson score.\"]\n"
		"}\n";
	f = fmemopen((void *)json, sizeof json - 1, "r");
	t = mj_table_read_stats(f, "t.json", &s, &err);
	fclose(f);
	CHECK(t && t->nrows == 3);
	CHECK(s.ncols == 2 && s.nnotes == 1);
	if (s.ncols == 2) {
		CHECK(strcmp(s.cols[0].name, "ci_low") == 0);
		CHECK(s.cols[0].values[0] == 24.0 && isnan(s.cols[0].values[1]));
		CHECK(s.cols[1].values[0] == 25.6 && s.cols[1].decimals == 1);
	}
	mj_stats_free(&s);
	mj_table_destroy(t);
	/* A bad number in a statistics column is an error with its place. */
	static const char bad[] =
		"violence_code,violence,count,ci_low,ci_high\n"
		"physical,Physical,2709,24.0,x\n"
		"_total,Total,2709,,\n";
	f = fmemopen((void *)bad, sizeof bad - 1, "r");
	t = mj_table_read_stats(f, "bad.csv", &s, &err);
	fclose(f);
	CHECK(t == NULL && err.status == MJ_E_PARSE && err.line == 2 && err.column == 29);
	check_contains(err.message, "ci_high");
	CHECK(s.ncols == 0);
	mj_stats_free(&s);
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"types", test_types},
		{"png_size", test_png_size},
		{"png_pixels", test_png_pixels},
		{"png_bytes", test_png_bytes},
		{"rerun", test_rerun},
		{"batch", test_batch},
		{"labels", test_labels},
		{"cyrillic", test_cyrillic},
		{"suppressed", test_suppressed},
		{"errors", test_errors},
		{"order", test_order},
		{"render", test_render},
		{"whiskers", test_whiskers},
		{"whisker_geometry", test_whisker_geometry},
		{"whiskers_suppressed", test_whiskers_suppressed},
		{"grouped", test_grouped},
		{"rates", test_rates},
		{"read_stats", test_read_stats},
		{0, 0}};
	int rc = run_case(cases, argc, argv);
	mj_schema_destroy(schema);
	return rc;
}
