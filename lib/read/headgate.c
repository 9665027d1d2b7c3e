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

/* The most fields, and the longest name, a header may have. */
#define HEADER_FIELDS_MAX 1024
#define HEADER_NAME_MAX 256
/* The bytes held while looking for the header: past them, the search
 * ends and the first row is the header (memory stays that of a row). */
#define HELD_BYTES_MAX (1u << 20)

/* Whether a field reads as a value, not a name: digits with the dots,
 * dashes, slashes, colons and spaces of a number or a date. */
static int value_like(const struct mj_field *f)
{
	int digits = 0;
	for (size_t i = 0; i < f->len; i++) {
		char c = f->text[i];
		if (c >= '0' && c <= '9')
			digits++;
		else if (!strchr(".,-/: +", c))
			return 0;
	}
	return digits > 0;
}

static int blank(const struct mj_field *f)
{
	for (size_t i = 0; i < f->len; i++)
		if (!strchr(" \t\r\n", f->text[i]))
			return 0;
	return 1;
}

size_t mj_fields_filled(const struct mj_field *fields, size_t nfields)
{
	size_t n = 0;
	for (size_t i = 0; i < nfields; i++)
		n += !blank(&fields[i]);
	return n;
}

int mj_above_is_record(size_t filled, size_t header_filled)
{
	return filled >= 3 && 2 * filled >= header_filled;
}

int mj_fields_header_like(const struct mj_schema *s, const struct mj_field *fields,
			  size_t nfields)
{
	unsigned long long seen = 0;
	int matches = 0;
	/* A header is a few short names: a row of thousands of fields, or
	 * of long ones, is looked at no further. */
	if (nfields > HEADER_FIELDS_MAX)
		return 0;
	for (size_t i = 0; i < nfields; i++) {
		const struct mj_field *f = &fields[i];
		if (blank(f))
			continue;
		if (f->len > HEADER_NAME_MAX || value_like(f))
			return 0;
		for (size_t j = 0; j < i; j++)
			if (fields[j].len == f->len && memcmp(fields[j].text, f->text, f->len) == 0)
				return 0;
		int d = mj_schema_dim_find(s, f->text);
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
	g->above = opts ? opts->above : NULL;
	if (g->above)
		memset(g->above, 0, sizeof *g->above);
	g->open = !g->schema && !g->want;
	mj_error_clear(&g->err);
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
	g->held_bytes += total + n * sizeof *h->fields;
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

/* No header among the rows held: the first is taken as it, unless it
 * names no column of the schema at all, which no header does. */
static int give_up(struct mj_headgate *g)
{
	struct mj_headgate_row *h = &g->held[0];
	for (size_t i = 0; i < h->n && i < HEADER_FIELDS_MAX; i++)
		if (h->fields[i].len <= HEADER_NAME_MAX &&
		    mj_schema_dim_find(g->schema, h->fields[i].text) >= 0)
			return replay(g);
	mj_error_set(&g->err, MJ_E_VALUE, NULL, h->line, 0,
		     "no header: no row of the first %zu names two columns of the schema (such as date and region); give the header's line with --header-row N, or the delimiter with --delimiter",
		     g->nheld);
	g->failed = 1;
	return -1;
}

int mj_headgate_seeking(const struct mj_headgate *g)
{
	return !g->open && g->schema && !g->want;
}

int mj_line_filled(const char *s, size_t n, char delim)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] > ' ' && s[i] != delim)
			return 1;
	return 0;
}

void mj_above_header_add(struct mj_above_header *a, unsigned long line)
{
	if (!a)
		return;
	if (!a->rows++)
		a->first = line;
	a->last = line;
}

/* The header at line, of header_filled fields, found below the rows held:
 * they are skipped, unless one may be a record. */
static int header_found(struct mj_headgate *g, unsigned long line, size_t header_filled)
{
	for (size_t i = 0; i < g->nheld; i++) {
		struct mj_headgate_row *h = &g->held[i];
		size_t filled = mj_fields_filled(h->fields, h->n);
		if (mj_above_is_record(filled, header_filled)) {
			mj_error_set(&g->err, MJ_E_VALUE, NULL, h->line, 0,
				     "this row above the header (line %lu) has %zu fields filled, as a record has: if it is one, move it below the header; if it is a title or a note, give --header-row %lu",
				     line, filled, line);
			g->failed = 1;
			return -1;
		}
		mj_above_header_add(g->above, h->line);
	}
	if (g->above && g->above->rows)
		g->above->header = line;
	held_free(g);
	g->open = 1;
	return 0;
}

int mj_headgate_row(void *gate, const struct mj_field *fields, size_t nfields,
		    unsigned long line)
{
	struct mj_headgate *g = gate;
	if (g->open)
		return g->on_row(g->ctx, fields, nfields, line);
	if (g->failed || g->nomem)
		return -1;
	if (g->want) {
		/* The row that starts on the line asked for, or the first
		 * after it (a blank line is no row). */
		if (line < g->want) {
			mj_above_header_add(g->above, line);
			return 0;
		}
		if (line > g->want) {
			mj_error_set(&g->err, MJ_E_VALUE, NULL, g->want, 0,
				     "line %lu (--header-row) starts no row: it is blank, or its fields are all empty",
				     g->want);
			g->failed = 1;
			return -1;
		}
		if (g->above && g->above->rows)
			g->above->header = line;
		g->open = 1;
		return g->on_row(g->ctx, fields, nfields, line);
	}
	if (mj_fields_header_like(g->schema, fields, nfields)) {
		if (header_found(g, line, mj_fields_filled(fields, nfields)) != 0)
			return -1;
		return g->on_row(g->ctx, fields, nfields, line);
	}
	if (hold(g, fields, nfields, line) != 0) {
		g->nomem = 1;
		return -1;
	}
	if (g->nheld < MJ_HEADGATE_SCAN && g->held_bytes < HELD_BYTES_MAX)
		return 0;
	return give_up(g);
}

int mj_headgate_finish(struct mj_headgate *g)
{
	if (g->nomem || g->failed)
		return -1;
	return g->open || !g->nheld ? 0 : give_up(g);
}

enum mj_status mj_headgate_status(struct mj_headgate *g, const char *name,
				  struct mj_error *err)
{
	if (g->failed) {
		enum mj_status st = mj_error_set(err, g->err.status, name, g->err.line, 0, "%s",
						 g->err.message);
		return st;
	}
	if (g->nomem)
		return mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
	if (g->want && !g->open)
		return mj_error_set(err, MJ_E_VALUE, name, g->want, 0,
				    "line %lu (--header-row) is past the file's last row",
				    g->want);
	if (mj_headgate_finish(g) < 0)
		return g->failed ? mj_error_set(err, g->err.status, name, g->err.line, 0, "%s",
						g->err.message)
				 : mj_error_set(err, MJ_E_NOMEM, name, 0, 0, "out of memory");
	return MJ_OK;
}

void mj_headgate_free(struct mj_headgate *g)
{
	held_free(g);
}
