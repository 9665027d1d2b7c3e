/* The order of a file's day-month dates, decided before its records are
 * counted (see dateorder.h). */
#include "dateorder.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "scan.h"

void mj_dategate_init(struct mj_dategate *g, mj_row_fn next, void *ctx,
		      struct mj_normaliser *norm)
{
	memset(g, 0, sizeof *g);
	g->next = next;
	g->ctx = ctx;
	g->norm = norm;
	g->date_col = -1;
}

void mj_dategate_free(struct mj_dategate *g)
{
	free(g->buf);
	free(g->fields);
	g->buf = NULL;
	g->fields = NULL;
}

/* The bytes a row takes when held; the first look at a file counts the
 * same, so that it stops where a stream would. */
static size_t row_bytes(const struct mj_field *fields, size_t nfields)
{
	size_t need = sizeof(unsigned long) + sizeof nfields;
	for (size_t i = 0; i < nfields; i++)
		need += sizeof fields[i].len + fields[i].len + 1;
	return need;
}

static int hold(struct mj_dategate *g, const struct mj_field *fields, size_t nfields,
		unsigned long line)
{
	size_t need = row_bytes(fields, nfields);
	if (g->len + need > g->cap) {
		size_t cap = g->cap ? g->cap : 1u << 16;
		while (cap < g->len + need)
			cap *= 2;
		char *buf = realloc(g->buf, cap);
		if (!buf)
			return -1;
		g->buf = buf;
		g->cap = cap;
	}
	char *p = g->buf + g->len;
	memcpy(p, &line, sizeof line);
	p += sizeof line;
	memcpy(p, &nfields, sizeof nfields);
	p += sizeof nfields;
	for (size_t i = 0; i < nfields; i++) {
		memcpy(p, &fields[i].len, sizeof fields[i].len);
		p += sizeof fields[i].len;
		memcpy(p, fields[i].text, fields[i].len);
		p += fields[i].len;
		*p++ = '\0';
	}
	g->len += need;
	g->held++;
	return 0;
}

/* Sets the order and hands on the rows held, in order. */
static int release(struct mj_dategate *g, enum mj_date_order order)
{
	g->decided = 1;
	if (order != MJ_DATE_AUTO)
		mj_normaliser_set_date_order(g->norm, order, 0);
	const char *p = g->buf, *end = g->buf + g->len;
	while (p < end && !g->stopped) {
		unsigned long line;
		size_t n;
		memcpy(&line, p, sizeof line);
		p += sizeof line;
		memcpy(&n, p, sizeof n);
		p += sizeof n;
		if (n > g->fcap) {
			struct mj_field *f = realloc(g->fields, n * sizeof *f);
			if (!f) {
				g->nomem = 1;
				return 1;
			}
			g->fields = f;
			g->fcap = n;
		}
		for (size_t i = 0; i < n; i++) {
			memcpy(&g->fields[i].len, p, sizeof g->fields[i].len);
			p += sizeof g->fields[i].len;
			g->fields[i].text = p;
			p += g->fields[i].len + 1;
		}
		if (g->next(g->ctx, g->fields, n, line) != 0)
			g->stopped = 1;
	}
	free(g->buf);
	g->buf = NULL;
	g->len = g->cap = 0;
	return g->stopped;
}

int mj_dategate_row(void *ctx, const struct mj_field *fields, size_t nfields,
		    unsigned long line)
{
	struct mj_dategate *g = ctx;
	if (!g->header_done) {
		g->header_done = 1;
		int rc = g->next(g->ctx, fields, nfields, line);
		g->date_col = mj_normaliser_date_column(g->norm);
		/* Without a date column there is nothing to wait for. */
		if (g->date_col < 0)
			g->decided = 1;
		return rc;
	}
	if (g->decided)
		return g->next(g->ctx, fields, nfields, line);
	enum mj_date_order tells = (size_t)g->date_col < nfields
		? mj_date_tells(fields[g->date_col].text, fields[g->date_col].len)
		: MJ_DATE_AUTO;
	if (tells != MJ_DATE_AUTO) {
		if (release(g, tells) != 0)
			return 1;
		return g->next(g->ctx, fields, nfields, line);
	}
	if (hold(g, fields, nfields, line) != 0) {
		g->nomem = 1;
		return 1;
	}
	if (g->held >= MJ_DATE_PREFIX_ROWS || g->len >= MJ_DATE_PREFIX_BYTES)
		return release(g, MJ_DATE_AUTO);
	return 0;
}

int mj_dategate_finish(struct mj_dategate *g)
{
	if (!g->decided && !g->nomem)
		release(g, MJ_DATE_AUTO);
	return g->nomem ? -1 : 0;
}

/* The first look at a file: its header, then the date column's fields. */
struct look {
	struct mj_normaliser *norm;
	int header_done, date_col;
	unsigned long rows;
	size_t bytes;
	enum mj_date_order order;
};

static int look_row(void *ctx, const struct mj_field *fields, size_t nfields,
		    unsigned long line)
{
	struct look *l = ctx;
	if (!l->header_done) {
		l->header_done = 1;
		if (mj_normaliser_header(l->norm, "", fields, nfields, line, NULL, NULL,
					 NULL) != MJ_OK)
			return 1;
		l->date_col = mj_normaliser_date_column(l->norm);
		return l->date_col < 0;
	}
	if ((size_t)l->date_col < nfields)
		l->order = mj_date_tells(fields[l->date_col].text, fields[l->date_col].len);
	/* As many rows as a stream holds back, for the same answer. */
	l->bytes += row_bytes(fields, nfields);
	return l->order != MJ_DATE_AUTO || ++l->rows >= MJ_DATE_PREFIX_ROWS ||
	       l->bytes >= MJ_DATE_PREFIX_BYTES;
}

enum mj_date_order mj_date_order_prescan(const char *path,
					 const struct mj_reader_opts *ro,
					 const struct mj_schema *schema)
{
	struct look l = {.date_col = -1, .order = MJ_DATE_AUTO};
	l.norm = mj_normaliser_new(schema, NULL, NULL, NULL);
	if (!l.norm)
		return MJ_DATE_AUTO;
	struct mj_reader_opts o = *ro;
	char sheet[MJ_SHEET_NAME_MAX];
	o.on_progress = NULL;
	o.sheet_read = sheet;
	/* The fast scanner where it applies: the same rows as the reader's. */
	enum mj_status st;
	if (mj_scan_possible(path, &o)) {
		void *ctxs[1] = {&l};
		struct mj_scan_result res;
		st = mj_scan_file(path, &o, look_row, NULL, ctxs, 1, &res, NULL);
	} else {
		st = mj_read_rows(path, &o, look_row, &l, NULL, NULL);
	}
	if (st != MJ_OK)
		l.order = MJ_DATE_AUTO;
	mj_normaliser_destroy(l.norm);
	return l.order;
}

static enum mj_date_order lookup_decide(void *ctx)
{
	const struct mj_date_lookup *l = ctx;
	return mj_date_order_prescan(l->path, &l->ro, l->schema);
}

void mj_date_order_defer(struct mj_normaliser *norm, struct mj_date_lookup *l,
			 const char *path, const struct mj_reader_opts *ro,
			 const struct mj_schema *schema)
{
	l->path = path;
	l->ro = *ro;
	l->schema = schema;
	mj_normaliser_defer_date_order(norm, lookup_decide, l);
}

int mj_date_rereadable(const char *path)
{
	struct stat st;
	return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}
