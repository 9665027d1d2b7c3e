/* libFuzzer target for the published-table parser and the checks that run
 * on what it accepts: no input may crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "murojaat/audit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mj_error err;
	struct mj_audit_doc *doc = mj_audit_doc_parse("fuzz.csv",
						      (const char *)data, size,
						      &err);
	if (!doc)
		return 0;
	struct mj_audit_report *report = mj_audit_report_new();
	if (report && mj_audit_check(doc, NULL, report, &err) == MJ_OK) {
		/* Every finding must be complete. */
		for (size_t i = 0; i < mj_audit_report_count(report); i++) {
			const struct mj_audit_finding *f =
				mj_audit_report_get(report, i);
			if (!f->message || !f->path || f->line == 0)
				abort();
		}
		char *json = mj_audit_report_json(report);
		free(json);
	}
	mj_audit_report_destroy(report);
	mj_audit_doc_destroy(doc);
	return 0;
}
