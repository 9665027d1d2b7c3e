/* libFuzzer target: the schema loader on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "murojaat/schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mj_error err;
	struct mj_schema *s = mj_schema_parse("fuzz", (const char *)data, size, &err);
	if (s) {
		for (size_t d = 0; d < mj_schema_ndims(s); d++) {
			for (size_t c = 0; c < mj_schema_ncats(s, d); c++) {
				const char *code = mj_schema_cat_code(s, d, c);
				/* Every code finds its own category. */
				if (mj_schema_cat_find(s, d, code) < 0)
					abort();
			}
		}
	} else if (err.status == MJ_OK) {
		abort();
	}
	mj_schema_destroy(s);
	return 0;
}
