/* Layers (--layer DIM): one table per category of a dimension, and one
 * over all of them, as SPSS's layers and Excel's report filter pages. */
#ifndef MUROJAAT_LAYERS_H
#define MUROJAAT_LAYERS_H

#include <stdio.h>

#include "murojaat/error.h"
#include "murojaat/tab.h"
#include "murojaat/table.h"
#include "murojaat/tabsum.h"

/* The tables of a layered tabulation, in the order of the layer
 * dimension's categories ("not stated" last, when some appeal has it),
 * then the table over all layers (code MJ_CODE_TOTAL). Each table is the
 * one mj_tabulate() makes for the spec, restricted to its layer: its title
 * says the layer, its filters add "DIM=CODE" and its counted appeals are
 * the layer's. Owned by the struct; free with mj_layers_destroy(). */
struct mj_layers {
	char *dim;             /* the layer dimension's schema name */
	char *dim_label;       /* its label in the tables' language */
	size_t n;              /* layers, the total included */
	char **codes;          /* each layer's category code */
	char **labels;         /* and label */
	struct mj_table **tables;
};

/* Tabulates spec for each category of the dimension layer and over all,
 * in one pass over files (as mj_tabsum(): stats and info likewise).
 * Fails with MJ_E_USAGE when layer is not a dimension, is one of the
 * table's own dimensions, or with --sum (a layer counts appeals). */
enum mj_status mj_layers_tabulate(const struct mj_run_opts *opts,
				  const char *const *files, size_t nfiles,
				  const struct mj_tab_spec *spec, const char *layer,
				  struct mj_layers **out, struct mj_run_stats *stats,
				  struct mj_tabsum_info *info, struct mj_error *err);

/* No operation is performed if NULL. */
void mj_layers_destroy(struct mj_layers *l);

struct mj_stats;
struct mj_stats_opts;

/* Computes, as mj_stats_compute() does for one table, the statistics o
 * asks for beside each layer (--compare is refused: it would tabulate
 * the whole again), info's notes added to each. *out gets l->n of them,
 * to free with mj_layers_stats_free() (also after a failure). */
enum mj_status mj_layers_stats(const struct mj_layers *l, const struct mj_stats_opts *o,
			       unsigned percents, const struct mj_run_opts *run,
			       const struct mj_tab_spec *spec,
			       const struct mj_tabsum_info *info,
			       struct mj_stats **out, struct mj_error *err);
/* Frees n statistics from mj_layers_stats(); no operation if NULL. */
void mj_layers_stats_free(struct mj_stats *s, size_t n);

/* Writes every layer in o's format: text and Markdown one table after
 * another (each titled with its layer), long CSV and TSV one header and a
 * layer column pair in front, wide CSV and TSV one block per layer, JSON
 * an array of tables each naming its "layer". stats, when not NULL, holds
 * l->n statistics (one per layer) that replace o->stats. */
enum mj_status mj_layers_write(FILE *out, const struct mj_layers *l,
			       const struct mj_write_opts *o,
			       const struct mj_stats *stats, struct mj_error *err);

#endif
