/* The schema's representation, shared by the library's modules (the public
 * header keeps it opaque). */
#ifndef MJ_SCHEMA_INTERNAL_H
#define MJ_SCHEMA_INTERNAL_H

#include <glib.h>

#include "murojaat/schema.h"

/* A condition of a derived category: dimension dim has category cat, or (for
 * an integer dimension) a value within lo..hi. */
struct mj_cond {
	int dim;
	int cat;       /* -1 for a range condition */
	long lo, hi;
};

struct mj_cat {
	char *code;
	char *labels[MJ_LANG_COUNT];
	int parent;            /* category index in the parent dimension, or -1 */
	char *attrs;           /* raw "key=value;key=value" */
	struct mj_cond conds[4];
	int nconds;
	long lo, hi;           /* range=lo-hi for bins of an integer dimension */
	int has_range;
};

struct mj_dim {
	char *name;
	char *labels[MJ_LANG_COUNT];
	enum mj_dim_kind kind;
	int parent;            /* parent dimension or -1 */
	int required;
	int multi;             /* attr multi: a record may name several categories */
	long min, max;         /* integer range */
	int source;            /* derived: the dimension derived from, or -1 */
	char unit;             /* derived from date: 'm' month, 'q' quarter, 'y' year */
	/* Open dimension (attr other=EN|RU|UZ|UZ-CYRL): the label of the
	 * values too rare to print under --min-cell ("Other districts"); NULL
	 * where not given. */
	char *other_labels[MJ_LANG_COUNT];
	struct mj_cat *cats;
	size_t ncats;
	GHashTable *lookup;    /* matching key -> category index + 1 */
};

/* Names of the phrases, in the order of mj_schema.phrases. */
#define MJ_PHRASE_COUNT 7
extern const char *const mj_phrase_names[MJ_PHRASE_COUNT];

struct mj_schema {
	char *code;
	char *labels[MJ_LANG_COUNT];
	char *missing_labels[MJ_LANG_COUNT];
	char *total_labels[MJ_LANG_COUNT];
	char *unit_labels[MJ_LANG_COUNT]; /* "Appeals" */
	/* Phrases a schema may give for charts (see mj_schema_phrase()). */
	char *phrases[MJ_PHRASE_COUNT][MJ_LANG_COUNT];
	/* The report's own words, from label rows coded say_* (say_title,
	 * say_nothing, say_percent_note, say_SECTION): struct mj_say_text. */
	GPtrArray *say_texts;
	GHashTable *missing;   /* matching keys that mean "not stated" */
	GHashTable *dim_lookup;/* matching key of name/alias -> dim index + 1 */
	struct mj_dim *dims;
	size_t ndims;
	/* Report sections; their strings are owned here (freed through
	 * casts in mj_schema_destroy()). */
	struct mj_schema_section *sections;
	size_t nsections;
};

/* A label row coded say_*: words of the report that the schema gives. */
struct mj_say_text {
	char *code;
	char *labels[MJ_LANG_COUNT];
};

/* The report's words coded code ("say_title") in lang, or NULL when the
 * schema gives none. Borrowed. */
const char *mj_schema_say_text(const struct mj_schema *schema, const char *code,
			       enum mj_lang lang);

/* Whether text (already a matching key) means "not stated". */
int mj_schema_key_is_missing(const struct mj_schema *schema, const char *key);
/* Category of dim matching key (a matching key), or -1. */
int mj_schema_key_find(const struct mj_schema *schema, size_t dim,
		       const char *key);
/* The closest category to key for "did you mean", or -1. */
int mj_schema_suggest(const struct mj_schema *schema, size_t dim,
		      const char *key);
/* The title of a table of the dimensions dims (nrow of rows, then ncol of
 * columns): "Appeals by type of violence", or of the sum of column sum
 * ("Children placed by outcome"; NULL: a count) in lang. NULL when out of
 * memory; free() it. */
char *mj_schema_table_title(const struct mj_schema *schema, const int *dims, size_t nrow,
			    size_t ncol, const char *sum, enum mj_lang lang);
/* Label of the unit counted ("Appeals") in lang. */
const char *mj_schema_unit_label(const struct mj_schema *schema,
				 enum mj_lang lang);

#endif
