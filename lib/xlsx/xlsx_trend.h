/* The workbook's trend sheet (xlsx_trend.c), written by xlsx.c's build. */
#ifndef MJ_XLSX_TREND_H
#define MJ_XLSX_TREND_H

#include <xlsxwriter.h>

#include "murojaat/schema.h"
#include "murojaat/xlsx.h"

/* Adds the sheet tr describes to wb as name (a valid sheet name, with no
 * apostrophe), its month cells as dates in lang's month names. Returns
 * the first libxlsxwriter error, or LXW_NO_ERROR. */
lxw_error xlsx_trend_sheet(lxw_workbook *wb, const struct mj_xlsx_trend *tr,
			   const char *name, enum mj_lang lang);

/* Excel's serial day of a civil date (days since 1899-12-30). */
double xlsx_serial(int y, int m, int d);
/* The number format of a month in lang's month names ("[$-419]mmmm
 * yyyy"). */
const char *xlsx_month_format(enum mj_lang lang);

#endif
