/* The names of the chart types, without drawing: the schema's report
 * sections name charts, and the schema sits below the chart module. */
#ifndef MUROJAAT_CHARTTYPE_H
#define MUROJAAT_CHARTTYPE_H

enum mj_chart_type {
	MJ_CHART_BAR = 0,  /* vertical bars in table order; a cross-tab as
			      groups of bars, one bar per column */
	MJ_CHART_HBAR,     /* horizontal bars, sorted by value unless the
			      dimension is ordered (months, age groups); a
			      cross-tab as groups of bars */
	MJ_CHART_STACKED,  /* horizontal stacked bars of a cross-tab */
	MJ_CHART_PIE,      /* shares of a whole, one-way, few parts */
	MJ_CHART_DONUT,    /* a pie with the total in the hole */
	MJ_CHART_LINE,     /* trend over an ordered dimension (months) */
	MJ_CHART_SUNBURST, /* a nested table: inner ring outer dimension,
			      outer ring inner dimension */
	MJ_CHART_MAP,      /* tile map: one tile per category placed by the
			      schema attribute "tile" */
	MJ_CHART_TYPE_COUNT
};

/* The type named name ("bar", "hbar", ...), or -1 when unknown. */
int mj_chart_type_parse(const char *name);
/* The name of type ("bar"); "unknown" when out of range. */
const char *mj_chart_type_name(enum mj_chart_type type);

#endif
