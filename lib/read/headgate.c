/* The rows above a text file's header (see headgate.h). */
#include "headgate.h"

#include <stdlib.h>
#include <string.h>

#include "murojaat/error.h"
#include "murojaat/schema.h"

/* A row held while the header is looked for: its fields' bytes in one
 * block. */
struct mj_headgate_row {
	unsigned long line;
	size_t n;
	struct mj_field *fields;
	char *bytes;
};

int mj_fields_name_schema(const struct mj_schema *s, const struct mj_field *fields,
			  size_t nfields)
{
	unsigned long long seen = 0;
	int matches = 0;
	for (size_t i = 0; i < nfields && matches < 2; i++) {
		int d = mj_schema_dim_find(s, fields[i].text);
		if (d < 0)
			continue;
		unsigned long long bit = d < 64 ? 1ull << d : 0;
		if (seen & bit)
			continue;
		seen |= bit;
		matches++;
	}
	return matches >= 2;
}

void mj_headgate_init(struct mj_headgate *g, mj_row_fn on_row, void *ctx,
		      const struct mj_reader_opts *opts)
{
	memset(g, 0, sizeof *g);
	g->on_row = on_row;
	g->ctx = ctx;
	g->schema = opts ? opts->schema : NULL;
	g->want = opts ? opts->header_row : 0;
	g->open = !g->schema && !g->want;
}

static void held_free(struct mj_headgate *g)
{
	for (size_t i = 0; i < g->nheld; i++) {
		free(g->held[i].fields);
		free(g->held[i].bytes);
	}
	free(g->held);
	g->held = NULL;
	g->nheld = 0;
}

static int hold(struct mj_headgate *g, const struct mj_field *fields, size_t n,
		unsigned long line)
{
	if (!g->held && !(g->held = calloc(MJ_HEADGATE_SCAN, sizeof *g->held)))
		return -1;
	struct mj_headgate_row *h = &g->held[g->nheld];
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += fields[i].len + 1;
	h->fields = malloc((n ? n : 1) * sizeof *h->fields);
	h->bytes = malloc(total ? total : 1);
	if (!h->fields || !h->bytes) {
		free(h->fields);
		free(h->bytes);
		return -1;
	}
	char *p = h->bytes;
	for (size_t i = 0; i < n; i++) {
		memcpy(p, fields[i].text, fields[i].len);
		p[fields[i].len] = '\0';
		h->fields[i] = (struct mj_field){p, fields[i].len};
		p += fields[i].len + 1;
	}
	h->n = n;
	h->line = line;
	g->nheld++;
	return 0;
}

/* The rows held go on as they are: the first is the header. */
static int replay(struct mj_headgate *g)
{
	g->open = 1;
	int rc = 0;
	for (size_t i = 0; i < g->nheld && !rc; i++)
		rc = g->on_row(g->ctx, g->held[i].fields, g->held[i].n, g->held[i].line);
	held_free(g);
	return rc;
}

int mj_headgate_row(void *gate, const struct mj_field *fields, size_t nfields,
		    unsigned long line)
{
	struct mj_headgate *g = gate;
	if (g->open)
		return g->on_row(g->ctx, fields, nfields, line);
	if (g->want) {
		/* The row that starts on the line asked for, or the first
		 * after it (a blank line is no row). */
		if (line < g->want)
			return 0;
		g->open = 1;
		return g->on_row(g->ctx, fields, nfields, line);
	}
	if (mj_fields_name_schema(g->schema, fields, nfields)) {
		held_free(g);
		g->open = 1;
		return g->on_row(g->ctx, fields, nfields, line);
	}
	if (hold(g, fields, nfields, line) != 0) {
		g->nomem = 1;
		return -1;
	}
	if (g->nheld < MJ_HEADGATE_SCAN)
		return 0;
	return replay(g);
}

int mj_headgate_finish(struct mj_headgate *g)
{
	if (g->nomem)
		return -1;
	return g->open ? 0 : replay(g);
}

enum mj_status mj_headgate_status(struct mj_headgate *g, const char *name,
				  struct mj_error *err)
{
	if (g->want && !g->open)
		return mj_error_set(err, MJ_E_VALUE, name, g->want, 0,
				    "line %lu (--header-row) is past the file's last row",
				    g->want);
	if (mj_headgate_finish(g) < 0)
		return mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
	return MJ_OK;
}

void mj_headgate_free(struct mj_headgate *g)
{
	held_free(g);
}
