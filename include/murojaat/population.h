/* Population files (population by region, sex, ...) and the rates per
 * population computed from them beside a table. */
#ifndef MUROJAAT_POPULATION_H
#define MUROJAAT_POPULATION_H

#include "murojaat/error.h"
#include "murojaat/schema.h"
#include "murojaat/stats.h"
#include "murojaat/table.h"

/* A population table: population by one or more dimensions. */
struct mj_population;

/* Reads a CSV whose header names schema dimensions (by name or alias) and
 * a column "population"; each row a combination of categories and its
 * population. Errors name path:line:col. Caller destroys. */
struct mj_population *mj_population_read(const char *path,
					 const struct mj_schema *schema,
					 struct mj_error *err);
struct mj_population *mj_population_parse(const char *path, const char *text,
					  size_t len,
					  const struct mj_schema *schema,
					  struct mj_error *err);
void mj_population_destroy(struct mj_population *p);

/* Adds population and rate = value / population * per for every cell.
 * A cell's population is the sum of the file's rows that agree with the
 * cell's categories and with the table's filters on the file's
 * dimensions; cells of a dimension the file lacks, and "not stated", have
 * none and are marked "no population". */
enum mj_status mj_stats_rates(struct mj_stats *s, const struct mj_table *t,
			      const struct mj_population *pop, double per,
			      struct mj_error *err);

#endif
