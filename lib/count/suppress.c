/* Small-cell suppression: primary cells below the threshold, then
 * complementary cells so that no hidden cell is the only unknown of a line. */
#include "suppress.h"

#include <stdlib.h>

#include "grow.h"

/* A cell of the table: row index and column index. */
struct cell {
	size_t row, col;
};

struct line {
	struct cell *parts;
	size_t nparts;
	struct cell total;
};

struct lines {
	struct line *items;
	size_t n, cap;
	struct cell *pool;  /* all parts, owned here */
	size_t pooln, poolcap;
};

static int add_line(struct lines *ls, const struct cell *parts, size_t n,
		    struct cell total)
{
	if (n == 0)
		return 0;
	if (mj_grow(&ls->items, &ls->cap, ls->n, sizeof *ls->items) != 0)
		return -1;
	struct cell *copy = malloc(n * sizeof *copy);
	if (!copy)
		return -1;
	for (size_t i = 0; i < n; i++)
		copy[i] = parts[i];
	ls->items[ls->n].parts = copy;
	ls->items[ls->n].nparts = n;
	ls->items[ls->n].total = total;
	ls->n++;
	return 0;
}

static void free_lines(struct lines *ls)
{
	for (size_t i = 0; i < ls->n; i++)
		free(ls->items[i].parts);
	free(ls->items);
}

/* The children of row p: following rows one level deeper until a row at
 * p's level or above. */
static size_t children(const struct mj_table *t, size_t p, struct cell *out,
		       size_t col)
{
	size_t n = 0;
	for (size_t r = p + 1; r < t->nrows; r++) {
		if (t->rows[r].kind == MJ_ROW_TOTAL || t->rows[r].level <= t->rows[p].level)
			break;
		if (t->rows[r].level == t->rows[p].level + 1)
			out[n++] = (struct cell){r, col};
	}
	return n;
}

static int build_lines(const struct mj_table *t, struct lines *ls)
{
	struct cell *buf = malloc((t->nrows + t->ncols + 1) * sizeof *buf);
	if (!buf)
		return -1;
	size_t total_row = t->nrows;
	for (size_t r = 0; r < t->nrows; r++)
		if (t->rows[r].kind == MJ_ROW_TOTAL)
			total_row = r;
	int rc = 0;
	/* Rows of a cross-tab: the top-level columns add up to the row total;
	 * nested columns add up to their parent's subtotal too. */
	size_t *kids = t->nest ? malloc(t->ncols * sizeof *kids) : NULL;
	if (t->nest && !kids) {
		free(buf);
		return -1;
	}
	if (t->ncols > 1)
		for (size_t r = 0; r < t->nrows && rc == 0; r++) {
			size_t n = 0;
			for (size_t c = 0; c + 1 < t->ncols; c++)
				if (mj_col_top(t, c))
					buf[n++] = (struct cell){r, c};
			rc = add_line(ls, buf, n, (struct cell){r, t->ncols - 1});
			for (size_t c = 0; kids && c < t->ncols && rc == 0; c++) {
				size_t k = mj_col_children(t, c, kids);
				for (size_t i = 0; i < k; i++)
					buf[i] = (struct cell){r, kids[i]};
				rc = add_line(ls, buf, k, (struct cell){r, c});
			}
		}
	free(kids);
	for (size_t c = 0; c < t->ncols && rc == 0; c++) {
		/* Top-level rows add up to the grand total. */
		size_t n = 0;
		for (size_t r = 0; r < t->nrows; r++)
			if (t->rows[r].level == 0 && t->rows[r].kind != MJ_ROW_TOTAL)
				buf[n++] = (struct cell){r, c};
		if (total_row < t->nrows)
			rc = add_line(ls, buf, n, (struct cell){total_row, c});
		/* Children add up to their subtotal. */
		for (size_t r = 0; r < t->nrows && rc == 0; r++)
			if (t->rows[r].kind == MJ_ROW_SUBTOTAL) {
				size_t k = children(t, r, buf, c);
				rc = add_line(ls, buf, k, (struct cell){r, c});
			}
	}
	free(buf);
	return rc;
}

static unsigned char *flag(struct mj_table *t, struct cell c)
{
	return &t->rows[c.row].suppressed[c.col];
}

static double value(const struct mj_table *t, struct cell c)
{
	return t->rows[c.row].values[c.col];
}

/* Two marks tell a reader more than one: a complementary cell ("x") holds
 * min_cell or more. In a line whose total is shown, its primary cells then
 * add up to at most R - nc * min_cell, R being what the hidden parts add up
 * to and nc how many of them are complementary, and each holds at most
 * that less one per other primary cell. True when this is below
 * min_cell - 1: the marks would narrow a small count, or give it away
 * (a total of 11 with one primary and one complementary part at
 * --min-cell 10 makes them 1 and 10). */
static int narrows(struct mj_table *t, const struct line *l, long min_cell)
{
	if (*flag(t, l->total))
		return 0;
	double hidden = value(t, l->total);
	size_t np = 0, nc = 0;
	for (size_t k = 0; k < l->nparts; k++) {
		unsigned char f = *flag(t, l->parts[k]);
		if (!f)
			hidden -= value(t, l->parts[k]);
		np += f == MJ_HIDDEN_PRIMARY;
		nc += f == MJ_HIDDEN_COMPLEMENT;
	}
	if (np == 0 || nc == 0)
		return 0;
	double most = hidden - (double)(np - 1) - (double)nc * (double)min_cell;
	return most < (double)(min_cell - 1);
}

enum mj_status mj_table_suppress(struct mj_table *t, long min_cell)
{
	if (min_cell <= 1)
		return MJ_OK;
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++) {
			double v = t->rows[r].values[c];
			if (v > 0 && v < (double)min_cell)
				t->rows[r].suppressed[c] = MJ_HIDDEN_PRIMARY;
		}
	struct lines ls = {0};
	if (build_lines(t, &ls) != 0) {
		free_lines(&ls);
		return MJ_E_NOMEM;
	}
	int changed = 1;
	while (changed) {
		changed = 0;
		for (size_t i = 0; i < ls.n; i++) {
			struct line *l = &ls.items[i];
			size_t hidden = *flag(t, l->total) != 0;
			for (size_t k = 0; k < l->nparts; k++)
				hidden += *flag(t, l->parts[k]) != 0;
			if (hidden != 1) {
				if (hidden < 2 || !narrows(t, l, min_cell))
					continue;
				/* Widen what the hidden parts may hold: hide the
				 * smallest shown part above the threshold (one of
				 * exactly min_cell adds nothing), or else the
				 * total. */
				struct cell *wide = NULL;
				for (size_t k = 0; k < l->nparts; k++) {
					struct cell *c = &l->parts[k];
					if (*flag(t, *c) || value(t, *c) <= (double)min_cell)
						continue;
					if (!wide || value(t, *c) < value(t, *wide))
						wide = c;
				}
				if (!wide)
					wide = &l->total;
				*flag(t, *wide) = MJ_HIDDEN_COMPLEMENT;
				changed = 1;
				continue;
			}
			/* One unknown in a line is recomputable: hide the
			 * smallest other non-zero part, or else the total. */
			struct cell *best = NULL;
			for (size_t k = 0; k < l->nparts; k++) {
				struct cell *c = &l->parts[k];
				if (*flag(t, *c) || value(t, *c) <= 0)
					continue;
				if (!best || value(t, *c) < value(t, *best))
					best = c;
			}
			if (!best && !*flag(t, l->total) && value(t, l->total) > 0)
				best = &l->total;
			if (best) {
				*flag(t, *best) = MJ_HIDDEN_COMPLEMENT;
				changed = 1;
			}
		}
	}
	free_lines(&ls);
	return MJ_OK;
}
