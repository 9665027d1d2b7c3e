/* Tables as inputs: the tables that offices send (written by mj-tab as CSV,
 * TSV or JSON), alone or mixed with registers of the same schema, summed
 * cell by cell into the tables a run asks for, so that national tables are
 * made without the records. Every program that tabulates reads its inputs
 * through mj_tabsum(). */
#ifndef MUROJAAT_TABSUM_H
#define MUROJAAT_TABSUM_H

#include <stddef.h>

#include "murojaat/error.h"
#include "murojaat/tab.h"
#include "murojaat/table.h"

struct mj_stats; /* murojaat/stats.h */

#define MJ_TABSUM_MAXNOTES 8

/* What the inputs were and what a reader of the result must know. Zero it
 * before the call; release with mj_tabsum_info_free(). */
struct mj_tabsum_info {
	/* In: a table asked for (a spec) whose dimensions some input table
	 * lacks is left NULL, with a note, instead of failing the run (a
	 * report makes the sections its inputs carry). */
	int partial;
	/* Out: */
	size_t ntables;      /* tables among the inputs (0: records only) */
	size_t nregisters;   /* registers among the inputs */
	size_t hidden_in;    /* hidden cells of the input tables */
	char *notes[MJ_TABSUM_MAXNOTES]; /* sentences, in the table's language */
	size_t nnotes;
	/* The period asked (--period) has whole months before the first or
	 * after the last record read (stats' data_from, data_to); a note says
	 * so. */
	int period_beyond;
};

/* Reads files ("-" is standard input; none means "-") and makes nspecs
 * tables into tables[] (caller destroys each), as mj_tabulate() does.
 * Each input is recognised by its content: a table written by mj-tab
 * (CSV, TSV or JSON) or a register of records. Without tables this is
 * mj_tabulate(). With tables, the registers are tabulated first and every
 * table is then summed cell by cell by category code (not by label), each
 * rolled up to the dimensions asked; read, counted and rejected add up,
 * and the result's period is the union of the inputs' periods. Refused,
 * with MJ_E_USAGE and a message that names the inputs: a dimension asked
 * that a table lacks (unless info->partial), periods with a gap or an
 * overlap, the same source twice (unless opts->allow_overlap), a table of
 * another schema (err gives the file, line and column of what is not in
 * the schema), another measure, and options that need records (--where,
 * --top, --missing exclude, --weight). A table that cannot be read is
 * reported through opts->on_problem (when set) and fails the call with
 * its status once every input was read. A sum that includes a hidden cell
 * of an input is hidden as MJ_HIDDEN_COMPLEMENT ("x": its value is not
 * known; it is no small count). info (may be NULL) receives the notes. */
enum mj_status mj_tabsum(const struct mj_run_opts *opts,
			 const char *const *files, size_t nfiles,
			 const struct mj_tab_spec *specs, size_t nspecs,
			 struct mj_table **tables, struct mj_run_stats *stats,
			 struct mj_tabsum_info *info, struct mj_error *err);

/* Appends info's notes to s (the notes printed under a text table and in
 * JSON). Returns MJ_OK or MJ_E_NOMEM. No operation is performed if info is
 * NULL. */
enum mj_status mj_tabsum_notes_add(const struct mj_tabsum_info *info,
				   struct mj_stats *s);

/* Frees the notes; no operation is performed if NULL. */
void mj_tabsum_info_free(struct mj_tabsum_info *info);

/* Whether the first len bytes of data look like a table written by mj-tab
 * (JSON with "murojaat": "table", or a header DIM_code,DIM,...): how an
 * input is recognised. */
int mj_tabsum_is_table(const char *data, size_t len);

#endif
