/* What cairo 1.16's tagged PDF cannot say itself: the document's language,
 * that viewers show its title, and each figure's alternative text. They are
 * added to the finished file as an incremental update, which PDF allows:
 * new versions of the catalog and of the figures' structure elements, a
 * cross-reference section for them and a trailer pointing back to the old
 * one are appended, and nothing before them changes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "report_internal.h"

/* The first occurrence of needle in the len bytes at hay, or NULL. A PDF
 * holds binary streams, so a NUL byte ends nothing here. */
static const char *find(const char *hay, size_t len, const char *needle)
{
	return memmem(hay, len, needle, strlen(needle));
}

/* The last occurrence of needle in the len bytes at hay, or NULL. */
static const char *find_last(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = len >= n ? len - n + 1 : 0; i-- > 0;)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
			return hay + i;
	return NULL;
}

/* Reads the whole number after key ("/Size", "startxref") in the len bytes
 * at p: its value, or -1 when there is none. With ref, the number must be
 * followed by " 0 R" (an indirect reference). */
static long number_after(const char *p, size_t len, const char *key, int ref)
{
	const char *k = find(p, len, key);
	if (!k)
		return -1;
	const char *end = p + len;
	k += strlen(key);
	while (k < end && (*k == ' ' || *k == '\n' || *k == '\r'))
		k++;
	long v = 0;
	int digits = 0;
	while (k < end && *k >= '0' && *k <= '9' && v < 100000000L) {
		v = v * 10 + (*k++ - '0');
		digits++;
	}
	if (!digits)
		return -1;
	if (ref && (end - k < 4 || memcmp(k, " 0 R", 4) != 0))
		return -1;
	return v;
}

/* One object of the file: its number and the bytes of its dictionary
 * ("<< ... >>", without the stream of a stream object). */
struct pdf_obj {
	long num;
	const char *dict;
	size_t len;
};

/* Finds object num at offset off of data: its dictionary, when it is an
 * object "num 0 obj << ... >> endobj" with no stream. */
static int object_at(const char *data, size_t size, long off, long num,
		     struct pdf_obj *o)
{
	if (off < 0 || (size_t)off >= size)
		return 0;
	const char *p = data + off, *end = data + size;
	char head[32];
	int hl = snprintf(head, sizeof head, "%ld 0 obj", num);
	if (end - p < hl || memcmp(p, head, (size_t)hl) != 0)
		return 0;
	p += hl;
	/* A structure element or the catalog is short; a longer object is
	 * none of those looked for. */
	size_t room = (size_t)(end - p) < 4096 ? (size_t)(end - p) : 4096;
	const char *eo = find(p, room, "endobj");
	if (!eo)
		return 0;
	const char *open = find(p, (size_t)(eo - p), "<<");
	const char *close = find_last(p, (size_t)(eo - p), ">>");
	if (!open || !close || close < open || find(p, (size_t)(eo - p), "stream"))
		return 0;
	o->num = num;
	o->dict = open;
	o->len = (size_t)(close + 2 - open);
	return 1;
}

/* Appends text as a PDF text string in UTF-16BE with its byte order mark,
 * written in hex: <FEFF...>. */
static void text_string(GString *out, const char *text)
{
	glong n = 0;
	gunichar2 *u = g_utf8_to_utf16(text, -1, NULL, &n, NULL);
	g_string_append(out, "<FEFF");
	for (glong i = 0; u && i < n; i++)
		g_string_append_printf(out, "%04X", (unsigned)u[i]);
	g_string_append_c(out, '>');
	g_free(u);
}

/* Appends object o again with extra inside its dictionary, and remembers
 * where it starts (base: the file's size before the update). */
static void object_again(GString *out, size_t base, const struct pdf_obj *o,
			 const char *extra, long *num, size_t *off, size_t *n)
{
	num[*n] = o->num;
	off[*n] = base + out->len;
	(*n)++;
	g_string_append_printf(out, "%ld 0 obj\n", o->num);
	g_string_append_len(out, o->dict, (gssize)(o->len - 2));
	g_string_append_printf(out, "   %s\n>>\nendobj\n", extra);
}

static int by_num(const void *a, const void *b)
{
	const struct pdf_obj *x = a, *y = b;
	return (x->num > y->num) - (x->num < y->num);
}

enum mj_status report_pdf_annotate(const char *path, const char *lang,
				   const char *const *alts, size_t nalts,
				   struct mj_error *err)
{
	gchar *data = NULL;
	gsize size = 0;
	GError *ge = NULL;
	if (!g_file_get_contents(path, &data, &size, &ge)) {
		enum mj_status st = mj_error_set(err, MJ_E_IO, path, 0, 0, "%s",
						 ge ? ge->message : "cannot read it back");
		g_clear_error(&ge);
		return st;
	}
	enum mj_status st = MJ_OK;
	GString *out = g_string_new("\n");
	long *num = NULL;
	size_t *off = NULL, nup = 0, nfig = 0;
	struct pdf_obj *figs = NULL, cat = {0};
	/* The last trailer: cairo 1.16 writes a cross-reference table and a
	 * trailer dictionary. A file without them (a newer writer's
	 * cross-reference stream) is left as it is. */
	const char *sx = find_last(data, size, "startxref");
	const char *tr = find_last(data, size, "trailer");
	long prev = sx ? number_after(sx, size - (size_t)(sx - data), "startxref", 0) : -1;
	if (!sx || !tr || tr > sx || prev < 0 || (size_t)prev >= size ||
	    memcmp(data + prev, "xref", 4) != 0)
		goto out;
	size_t tlen = (size_t)(sx - tr);
	long nobj = number_after(tr, tlen, "/Size", 0);
	long root = number_after(tr, tlen, "/Root", 1);
	long info = number_after(tr, tlen, "/Info", 1);
	if (nobj <= 0 || root <= 0 || root >= nobj)
		goto out;
	/* Where each object starts, from the cross-reference table: "xref",
	 * then subsections "FIRST COUNT" of 20-byte entries. */
	long *where = calloc((size_t)nobj, sizeof *where);
	figs = calloc((size_t)nobj, sizeof *figs);
	num = calloc((size_t)nobj, sizeof *num);
	off = calloc((size_t)nobj, sizeof *off);
	if (!where || !figs || !num || !off) {
		free(where);
		st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
		goto out;
	}
	for (long i = 0; i < nobj; i++)
		where[i] = -1;
	const char *p = data + prev + 4, *end = tr;
	for (;;) {
		while (p < end && (*p == '\n' || *p == '\r' || *p == ' '))
			p++;
		long first, count;
		int used;
		if (p >= end || sscanf(p, "%ld %ld%n", &first, &count, &used) != 2 ||
		    first < 0 || count < 0 || first + count > nobj)
			break;
		p += used;
		while (p < end && (*p == '\n' || *p == '\r' || *p == ' '))
			p++;
		for (long k = 0; k < count && end - p >= 20; k++, p += 20)
			if (p[17] == 'n')
				where[first + k] = strtol(p, NULL, 10);
	}
	for (long i = 1; i < nobj; i++) {
		struct pdf_obj o;
		if (!object_at(data, size, where[i], i, &o))
			continue;
		if (find(o.dict, o.len, "/Type /StructElem") && find(o.dict, o.len, "/S /Figure") &&
		    !find(o.dict, o.len, "/Alt"))
			figs[nfig++] = o;
	}
	int have_root = object_at(data, size, where[root], root, &cat);
	free(where);
	if (!have_root || !find(cat.dict, cat.len, "/Type /Catalog"))
		goto out;

	/* The figures in the order they were drawn: cairo numbers structure
	 * elements as they are made. Alternative texts are given only when
	 * there is one for each figure, so none lands on the wrong one. */
	qsort(figs, nfig, sizeof *figs, by_num);
	GString *extra = g_string_new(NULL);
	g_string_append_printf(extra, "/Lang (%s)\n   /ViewerPreferences << /DisplayDocTitle true >>",
			       lang);
	size_t base = size;
	struct pdf_obj *all = figs;
	size_t nall = nfig == nalts ? nfig : 0;
	/* Objects of a cross-reference section in ascending order: the
	 * catalog takes its place among the figures. */
	int cat_done = 0;
	for (size_t k = 0; k <= nall; k++) {
		if (!cat_done && (k == nall || all[k].num > root)) {
			object_again(out, base, &cat, extra->str, num, off, &nup);
			cat_done = 1;
		}
		if (k == nall)
			break;
		GString *alt = g_string_new("/Alt ");
		text_string(alt, alts[k]);
		object_again(out, base, &all[k], alt->str, num, off, &nup);
		g_string_free(alt, TRUE);
	}
	g_string_free(extra, TRUE);
	size_t xref = base + out->len;
	g_string_append(out, "xref\n");
	for (size_t k = 0; k < nup; k++)
		g_string_append_printf(out, "%ld 1\n%010zu 00000 n \n", num[k], off[k]);
	g_string_append_printf(out, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n", nobj, root);
	if (info > 0)
		g_string_append_printf(out, "   /Info %ld 0 R\n", info);
	g_string_append_printf(out, "   /Prev %ld\n>>\nstartxref\n%zu\n%%%%EOF\n", prev, xref);

	FILE *f = fopen(path, "ab");
	if (!f) {
		st = mj_error_set(err, MJ_E_IO, path, 0, 0, "%s", strerror(errno));
		goto out;
	}
	size_t w = fwrite(out->str, 1, out->len, f);
	int bad = w != out->len || ferror(f);
	if (fclose(f) != 0 || bad)
		st = mj_error_set(err, MJ_E_IO, path, 0, 0, "%s", strerror(errno ? errno : EIO));
out:
	free(figs);
	free(num);
	free(off);
	g_string_free(out, TRUE);
	g_free(data);
	return st;
}
