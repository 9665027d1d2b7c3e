/* A workbook's options from a run (murojaat/run.h): what mj-xlsx and any
 * other caller of the run would otherwise each copy from it. */
#include "murojaat/xlsx.h"

#include "murojaat/run.h"
#include "murojaat/stats.h"

void mj_xlsx_opts_from_run(struct mj_xlsx_opts *xo, const struct mj_run *run,
			   const char *const *files, size_t nfiles)
{
	static const char *const stdin_name[] = {"<stdin>"};
	xo->schema = run->schema;
	xo->min_cell = run->opts.min_cell;
	if (run->nspecs == 0) {
		/* Tables made elsewhere keep their language unless told. */
		if (run->lang_set)
			xo->lang = (int)run->opts.lang;
		return;
	}
	xo->lang = (int)run->opts.lang;
	xo->inputs = nfiles ? files : stdin_name;
	xo->ninputs = nfiles ? nfiles : 1;
	xo->have_counts = 1;
	if (run->layer)
		xo->sheet_names = (const char *const *)run->table_names;
	xo->n_read = run->counts.read;
	xo->n_counted = run->counts.counted;
	xo->n_rejected = run->counts.rejected;
}

enum mj_status mj_xlsx_show_check(const struct mj_xlsx_opts *xo,
				  struct mj_table *const *tables, size_t n,
				  struct mj_error *err)
{
	struct mj_stats none;
	mj_stats_init(&none);
	for (size_t i = 0; xo->show && i < n; i++) {
		const struct mj_stats *s = xo->stats && xo->stats[i] ? xo->stats[i] : &none;
		enum mj_status st = mj_show_parse(xo->show, tables[i], s, NULL, err);
		if (st != MJ_OK)
			return st;
	}
	return MJ_OK;
}
