/* Error codes, their descriptions and the error record filled by callees. */
#include "murojaat/error.h"

#include "i18n.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const status_text[MJ_STATUS_COUNT] = {
	[MJ_OK] = MJ_N_("success"),
	[MJ_E_NOMEM] = MJ_N_("out of memory"),
	[MJ_E_IO] = MJ_N_("input/output error"),
	[MJ_E_PARSE] = MJ_N_("malformed input"),
	[MJ_E_SCHEMA] = MJ_N_("invalid schema"),
	[MJ_E_VALUE] = MJ_N_("invalid value"),
	[MJ_E_USAGE] = MJ_N_("invalid usage"),
	[MJ_E_ENCODING] = MJ_N_("invalid text encoding"),
	[MJ_E_LIMIT] = MJ_N_("limit exceeded"),
	[MJ_E_EMPTY] = MJ_N_("no data"),
	[MJ_E_UNSUPPORTED] = MJ_N_("unsupported request"),
};

const char *mj_strerror(enum mj_status status)
{
	if ((unsigned)status >= MJ_STATUS_COUNT || !status_text[status])
		return MJ_("unknown error");
	return MJ_(status_text[status]);
}

enum mj_status mj_error_set(struct mj_error *err, enum mj_status status,
			    const char *path, unsigned long line,
			    unsigned long column, const char *fmt, ...)
{
	if (!err)
		return status;
	err->status = status;
	snprintf(err->path, sizeof err->path, "%s", path ? path : "");
	err->line = line;
	err->column = column;
	err->sheet[0] = '\0';
	va_list ap;
	va_start(ap, fmt);
	/* Every message the library writes is a format given here: translated
	 * once, here, before its values are filled in. */
	vsnprintf(err->message, sizeof err->message, *fmt ? MJ_(fmt) : fmt, ap);
	va_end(ap);
	return status;
}

void mj_error_clear(struct mj_error *err)
{
	if (err)
		memset(err, 0, sizeof *err);
}

/* A sheet name as Excel writes it in a reference: quoted ('My sheet', with
 * ' doubled) unless it is one word. */
static size_t sheet_ref(const char *sheet, char *buf, size_t len)
{
	int plain = 1;
	for (const unsigned char *c = (const unsigned char *)sheet; *c; c++)
		if (!(isalnum(*c) || *c == '_' || *c == '.' || *c >= 0x80))
			plain = 0;
	if (plain)
		return (size_t)snprintf(buf, len, "%s", sheet);
	size_t n = 0;
	if (n + 1 < len)
		buf[n++] = '\'';
	for (const char *c = sheet; *c && n + 3 < len; c++) {
		if (*c == '\'')
			buf[n++] = '\'';
		buf[n++] = *c;
	}
	if (n + 1 < len)
		buf[n++] = '\'';
	buf[n < len ? n : len - 1] = '\0';
	return n;
}

char *mj_error_format(const struct mj_error *err, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	if (err->path[0] && err->sheet[0] && err->line) {
		char ref[2 * MJ_SHEET_NAME_MAX + 4], col[8] = "";
		unsigned long c = err->column;
		size_t k = 0;
		char tmp[8];
		while (c && k < 3) {
			c--;
			tmp[k++] = (char)('A' + c % 26);
			c /= 26;
		}
		for (size_t i = 0; i < k; i++)
			col[i] = tmp[k - 1 - i];
		col[k] = '\0';
		sheet_ref(err->sheet, ref, sizeof ref);
		n += snprintf(buf + n, len - n, "%s:%s!%s%lu: ", err->path, ref,
			      k ? col : MJ_("row "), err->line);
	} else if (err->path[0]) {
		n += snprintf(buf + n, len - n, "%s:", err->path);
		if (n < len && err->line)
			n += snprintf(buf + n, len - n, "%lu:", err->line);
		if (n < len && err->line && err->column)
			n += snprintf(buf + n, len - n, "%lu:", err->column);
		if (n < len)
			n += snprintf(buf + n, len - n, " ");
	}
	if (n < len)
		snprintf(buf + n, len - n, "%s",
			 err->message[0] ? err->message : mj_strerror(err->status));
	return buf;
}

int mj_exit_status(enum mj_status st, int strict, unsigned long long rejected)
{
	if (st == MJ_OK)
		return rejected ? 1 : 0;
	return st == MJ_E_VALUE && strict ? 1 : 2;
}
