/* Text helpers: matching keys and edit distance for "did you mean", and
 * whole numbers, and the quoting of a CSV field. */
#include "text.h"

#include <errno.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/tab.h"

/* Whole numbers are read here for every module (murojaat/tab.h), at the
 * bottom of the library, so that the schema and the table readers can
 * use the same rule as the options. */
int mj_parse_whole(const char *text, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (end == text || *end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Characters people type for the Uzbek apostrophe (oʻ, gʻ) and the hard sign
 * in Latin transliteration. */
static int is_apostrophe(gunichar c)
{
	return c == '\'' || c == '`' || c == 0x02BB || c == 0x02BC ||
	       c == 0x2018 || c == 0x2019 || c == 0x00B4 || c == 0x02B9;
}

static int is_space(gunichar c)
{
	return g_unichar_isspace(c) || c == 0x00A0 || c == 0x202F;
}

/* text trimmed, inner spaces collapsed to one, invisible marks dropped;
 * with fold, spellings of one letter made one and case folded; NFC. */
static char *clean_text(const char *text, size_t len, int fold)
{
	if (!g_utf8_validate(text, (gssize)len, NULL))
		return NULL;
	GString *s = g_string_sized_new(len + 1);
	int pending_space = 0;
	for (const char *p = text; p < text + len; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (is_space(c)) {
			pending_space = s->len > 0;
			continue;
		}
		/* Invisible marks (a zero-width space, a byte-order mark a
		 * program doubled, a soft hyphen, a direction mark) are not part
		 * of what a person wrote. */
		if (g_unichar_type(c) == G_UNICODE_FORMAT)
			continue;
		if (pending_space)
			g_string_append_c(s, ' ');
		pending_space = 0;
		if (fold && is_apostrophe(c))
			c = '\'';
		else if (fold && (c == 0x0401 || c == 0x0451))
			c = 0x0435; /* ё -> е */
		g_string_append_unichar(s, c);
	}
	gchar *folded = fold ? g_utf8_casefold(s->str, (gssize)s->len) : NULL;
	gchar *norm = g_utf8_normalize(folded ? folded : s->str, -1, G_NORMALIZE_NFC);
	g_free(folded);
	g_string_free(s, TRUE);
	if (!norm)
		return NULL;
	char *out = strdup(norm);
	g_free(norm);
	return out;
}

char *mj_text_key(const char *text, size_t len)
{
	return clean_text(text, len, 1);
}

char *mj_text_id_key(const char *text, size_t len)
{
	return clean_text(text, len, 0);
}

size_t mj_text_distance(const char *a, const char *b, size_t limit)
{
	glong la = 0, lb = 0;
	gunichar *ua = g_utf8_to_ucs4_fast(a, -1, &la);
	gunichar *ub = g_utf8_to_ucs4_fast(b, -1, &lb);
	size_t result = limit + 1;
	size_t *prev = malloc((size_t)(lb + 1) * sizeof *prev);
	size_t *cur = malloc((size_t)(lb + 1) * sizeof *cur);
	if (!ua || !ub || !prev || !cur)
		goto done;
	if ((size_t)(la > lb ? la - lb : lb - la) > limit)
		goto done;
	for (glong j = 0; j <= lb; j++)
		prev[j] = (size_t)j;
	for (glong i = 1; i <= la; i++) {
		cur[0] = (size_t)i;
		size_t best = cur[0];
		for (glong j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (ua[i - 1] != ub[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			size_t m = sub < del ? sub : del;
			cur[j] = m < ins ? m : ins;
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > limit)
			goto done;
		size_t *t = prev;
		prev = cur;
		cur = t;
	}
	result = prev[lb] <= limit ? prev[lb] : limit + 1;
done:
	g_free(ua);
	g_free(ub);
	free(prev);
	free(cur);
	return result;
}

size_t mj_text_width(const char *text, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)text[i] & 0xC0) != 0x80;
	return n;
}

char *mj_text_trim(char *text)
{
	char *start = text;
	for (;;) {
		if (*start == ' ' || *start == '\t' || *start == '\r' || *start == '\n')
			start++;
		else if ((unsigned char)start[0] == 0xC2 && (unsigned char)start[1] == 0xA0)
			start += 2;
		else
			break;
	}
	size_t n = strlen(start);
	while (n > 0) {
		char c = start[n - 1];
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			n--;
		else if (n >= 2 && (unsigned char)start[n - 2] == 0xC2 &&
			 (unsigned char)start[n - 1] == 0xA0)
			n -= 2;
		else
			break;
	}
	memmove(text, start, n);
	text[n] = '\0';
	return text;
}

void mj_csv_put_field(FILE *out, const char *s, size_t n, char delim)
{
	int quote = 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		fwrite(s, 1, n, out);
		return;
	}
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', out);
		fputc(s[i], out);
	}
	fputc('"', out);
}
