/* Chart type names: parsing and printing, with no drawing library. */
#include <string.h>

#include "murojaat/charttype.h"

static const char *const type_names[MJ_CHART_TYPE_COUNT] = {
	"bar", "hbar", "stacked", "pie", "donut", "line", "sunburst", "map",
};

int mj_chart_type_parse(const char *name)
{
	for (int i = 0; name && i < MJ_CHART_TYPE_COUNT; i++)
		if (strcmp(name, type_names[i]) == 0)
			return i;
	return -1;
}

const char *mj_chart_type_name(enum mj_chart_type type)
{
	if ((int)type < 0 || type >= MJ_CHART_TYPE_COUNT)
		return "unknown";
	return type_names[type];
}
