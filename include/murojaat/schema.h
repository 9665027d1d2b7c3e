/* The schema: dimensions, categories, labels in four languages, aliases,
 * hierarchy and per-category attributes (colour, tile position). */
#ifndef MUROJAAT_SCHEMA_H
#define MUROJAAT_SCHEMA_H

#include <stddef.h>

#include "murojaat/error.h"

/* Languages for labels. */
enum mj_lang {
	MJ_LANG_EN = 0, /* English */
	MJ_LANG_RU,     /* Russian */
	MJ_LANG_UZ,     /* Uzbek, Latin script */
	MJ_LANG_UZ_CYRL,/* Uzbek, Cyrillic script */
	MJ_LANG_COUNT
};

/* Parse "en", "ru", "uz", "uz-Cyrl" (case-insensitive; "uz-cyrl", "uz_Cyrl"
 * accepted). Returns -1 when unknown. */
int mj_lang_parse(const char *text);
/* The canonical tag of lang ("en", "ru", "uz", "uz-Cyrl"). */
const char *mj_lang_tag(enum mj_lang lang);

/* How a dimension's values are read from a record. */
enum mj_dim_kind {
	MJ_DIM_CATEGORY, /* a fixed list of categories in the schema */
	MJ_DIM_OPEN,     /* free text grouped after trimming and case folding (district) */
	MJ_DIM_INTEGER,  /* a whole number with a range (age, children) */
	MJ_DIM_DATE,     /* a date, YYYY-MM-DD or DD.MM.YYYY */
	MJ_DIM_ID,       /* an opaque identifier, never printed in aggregates */
	MJ_DIM_DERIVED   /* computed from other dimensions (group, age_group, month...) */
};

/* Category code used for a missing value in every table ("not stated"). */
#define MJ_CODE_MISSING "_missing"
/* Categories in one dimension at most (tables count them in 16 bits). */
#define MJ_MAX_CATS 65534u
/* Category code used for an aggregate over a dimension (totals, subtotals). */
#define MJ_CODE_TOTAL "_total"

struct mj_schema;

/* The schema embedded at build time (samples' Women's Center schema).
 * Caller owns the result; free with mj_schema_destroy(). */
struct mj_schema *mj_schema_default(struct mj_error *err);
/* Load a schema file. Caller owns the result. */
struct mj_schema *mj_schema_load(const char *path, struct mj_error *err);
/* Load from memory; name is used in error positions. */
struct mj_schema *mj_schema_parse(const char *name, const char *text,
				  size_t len, struct mj_error *err);
/* No operation is performed if NULL. */
void mj_schema_destroy(struct mj_schema *schema);

/* Human name of the schema ("Women's Center appeals"). Borrowed. */
const char *mj_schema_name(const struct mj_schema *schema);

size_t mj_schema_ndims(const struct mj_schema *schema);
/* Index of the dimension whose name or alias matches text (trimmed,
 * case-insensitive), or -1. */
int mj_schema_dim_find(const struct mj_schema *schema, const char *text);
const char *mj_schema_dim_name(const struct mj_schema *schema, size_t dim);
const char *mj_schema_dim_label(const struct mj_schema *schema, size_t dim,
				enum mj_lang lang);
enum mj_dim_kind mj_schema_dim_kind(const struct mj_schema *schema, size_t dim);
/* Parent dimension for hierarchical dimensions (relationship -> place), or -1. */
int mj_schema_dim_parent(const struct mj_schema *schema, size_t dim);

/* Fixed categories of a dimension, in schema order (not including missing). */
size_t mj_schema_ncats(const struct mj_schema *schema, size_t dim);
const char *mj_schema_cat_code(const struct mj_schema *schema, size_t dim,
			       size_t cat);
const char *mj_schema_cat_label(const struct mj_schema *schema, size_t dim,
				size_t cat, enum mj_lang lang);
/* Label of the "not stated" category in lang. */
const char *mj_schema_missing_label(const struct mj_schema *schema,
				    enum mj_lang lang);
/* A phrase the schema gives for the words of charts, by name:
 * "chart_count" ("Number of appeals"), "chart_percent_all",
 * "chart_percent_row", "chart_by" ("Appeals by %s"), and the noun counted
 * after a number: "noun_one", "noun_few" (Russian 2-4), "noun_many".
 * NULL when the schema gives none (charts then use neutral words). */
const char *mj_schema_phrase(const struct mj_schema *schema, const char *name,
			     enum mj_lang lang);

/* Label of totals ("Total") in lang. */
const char *mj_schema_total_label(const struct mj_schema *schema,
				  enum mj_lang lang);
/* Index of the category matching text by code, label or alias (trimmed,
 * case-insensitive, Uzbek apostrophes unified), or -1. */
int mj_schema_cat_find(const struct mj_schema *schema, size_t dim,
		       const char *text);
/* Index of the parent category of cat (in the parent dimension), or -1. */
int mj_schema_cat_parent(const struct mj_schema *schema, size_t dim, size_t cat);
/* Attribute of a category ("color" -> "#0072B2", "tile" -> "3:0",
 * "short" -> "Andijan") copied into buf of size len; NULL when unset. */
const char *mj_schema_cat_attr(const struct mj_schema *schema, size_t dim,
			       size_t cat, const char *key, char *buf,
			       size_t len);
/* Tile-map position of a category; returns 0 and fills col,row when set. */
int mj_schema_cat_tile(const struct mj_schema *schema, size_t dim, size_t cat,
		       int *col, int *row);

/* The schema's title ("Appeals to the Women's Center") in lang. Borrowed. */
const char *mj_schema_title(const struct mj_schema *schema, enum mj_lang lang);

/* Most charts and filters one report section may have. */
#define MJ_SECTION_CHARTS_MAX 4
#define MJ_SECTION_WHERE_MAX 4

/* How the report's narrative speaks of a section (attribute say=). */
enum mj_say {
	MJ_SAY_GENERAL = 0, /* not given: its total and largest categories */
	MJ_SAY_NONE,        /* none: nothing (the tables and charts say it) */
	MJ_SAY_HEADLINE,    /* headline: the first sentence, "In total, N people
			       applied, of whom ..."; its categories are the
			       key figures */
	MJ_SAY_LIST,        /* list: "By ...: each category, count and percent" */
	MJ_SAY_NAMES,       /* names: a list whose labels are names, kept as
			       written (not lower-cased) */
	MJ_SAY_NESTED,      /* nested: each outer category, then its inner ones */
	MJ_SAY_EXTREMES,    /* extremes: the largest and the smallest category
			       ("the most appeals came in ...") */
	MJ_SAY_PLACED,      /* placed:CODE on a summed section: those of category
			       CODE with the sum placed with them, and how many
			       of them are of the headline's first category
			       ("N women were placed in the centre with M
			       children"), said after the counting section of
			       the same breakdown and shown as key figures */
};

/* One breakdown of the report, from a row of kind "section" of the schema:
 * the table mj-report makes, the charts it draws of it, and where its
 * sheet goes in the workbook. Every string is borrowed from the schema. */
struct mj_schema_section {
	const char *code;   /* "regions": names its chart files (letters,
			       digits, - and _ only) */
	const char *by;     /* row dimensions, "region" or "place,relationship" */
	const char *cols;   /* column dimension of a cross-tab, or NULL; two
			       nested, "channel,outcome" */
	const char *sum;    /* integer dimension summed instead of counting
			       records ("children"), or NULL */
	/* Filters of this section only, "DIM=V1,V2", on top of the run's. */
	const char *where[MJ_SECTION_WHERE_MAX];
	size_t nwhere;
	/* Charts drawn of the table, as enum mj_chart_type (murojaat/charttype.h);
	 * the first is the one under the table in the PDF. The first chart's
	 * file is CODE, each further one's CODE-TYPE ("regions-map"). */
	int charts[MJ_SECTION_CHARTS_MAX];
	size_t ncharts;
	/* The table's title in each language; all NULL when the section
	 * gives none (the table's own title, "Appeals by region", is kept). */
	const char *titles[MJ_LANG_COUNT];
	/* Position of its sheet in the workbook, from 0: the section's place
	 * in the list unless the row says sheet=N (N from 1). */
	size_t sheet;
	/* How the narrative speaks of it, as enum mj_say; with MJ_SAY_PLACED
	 * the category code placed, else NULL. Its sentence opens with the
	 * schema's label say_CODE ("By type of violence") when there is one,
	 * else with the table's title. */
	int say;
	const char *say_code;
	/* What the cells show, in order, as mj-tab's --show ("row%",
	 * "count,row%"); NULL: the count and percent of a one-way table, the
	 * counts of a cross-tab. */
	const char *show;
	/* A table per category of this dimension, then the one over all
	 * (mj-tab's --layer), or NULL. */
	const char *layer;
};

/* The report's sections, in the order of the report (PDF pages, charts,
 * narrative). */
size_t mj_schema_nsections(const struct mj_schema *schema);
const struct mj_schema_section *mj_schema_section(const struct mj_schema *schema,
						  size_t i);

#endif
