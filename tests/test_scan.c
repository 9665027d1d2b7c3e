/* Unit tests for the fast scanner: it must give exactly libcsv's rows and
 * lines, and a file cut into parts at any byte must give the same rows. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "murojaat/reader.h"
#include "scan.h"

#include "check.h"

struct log {
	GString *text;
	unsigned long base;
};

static int collect(void *ctx, const struct mj_field *fields, size_t n, unsigned long line)
{
	struct log *l = ctx;
	g_string_append_printf(l->text, "%lu:", line + l->base);
	for (size_t i = 0; i < n; i++) {
		/* Line breaks inside fields are escaped: one row per line. */
		g_string_append_c(l->text, '[');
		for (size_t k = 0; k < fields[i].len; k++) {
			char c = fields[i].text[k];
			if (c == '\n')
				g_string_append(l->text, "\\n");
			else if (c == '\r')
				g_string_append(l->text, "\\r");
			else
				g_string_append_c(l->text, c);
		}
		g_string_append_c(l->text, ']');
	}
	g_string_append_c(l->text, '\n');
	return 0;
}

static const char *const tricky[] = {
	"a,b,c\n1,2,3\n",
	"a,b\r\n1,2\r\n\r\n3,4",
	"h1,h2\n\"x\ny\",2\n3,\"q\"\"q\"\n",
	"h\n  spaced  , \t tabbed\t\n,\n   \n",
	"h,i\nplain,\"quoted, comma\"\nmid\"quote,z\n\"open\" tail,z\n",
	"h,i\nx\ry,z\nlast,row",
	"h,i\n\"a\r\nb\",c\r\nd,e\r\n",
	"h;i\n1;2\n\"3;4\";5\n",
	"\n\nh,i\n\n1,2\n\n",
	"h,i\n\"never closed,2\n3,4\n",
	"h\n\"\"\n\"\"\"\"\n",
	/* Lines ended by a lone CR (old Mac files), with an LF as data. */
	"h,i\r1,2\r\"a\rb\",c\r\r3,4\r",
	"h,i\r1\n2,3\r\"x\ny\",z\rend",
	/* A lone CR in an LF file is blank space at a field's ends and data
	 * inside it: it never splits the record. */
	"h,i\r\nx\r,y\r\r\n\r\n a\rb ,\"q\"\r\n\"c\rd\"\r,z\n",
	"h,i\n\r\n1,2\n\r\r\nx\r\ry,\r\n",
	/* Blank lines before a semicolon header. */
	"\n\r\n  \nh;i\n1;2\n",
};

static char *write_temp(const char *text)
{
	char *path = g_strdup("/tmp/mj-scan-XXXXXX");
	int fd = g_mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	return path;
}

static void same_rows(size_t i, const char *text)
{
	{
		char *path = write_temp(text);
		struct log ref = {g_string_new(NULL), 0}, fast = {g_string_new(NULL), 0};
		struct mj_error e1, e2;
		mj_error_clear(&e1);
		mj_error_clear(&e2);
		/* The delimiter as both paths detect it. */
		char delim = strchr(text, ';') ? ';' : ',';
		struct mj_reader_opts o = {0};
		enum mj_status s1 = mj_read_rows(path, &o, collect, &ref, NULL, &e1);
		enum mj_status s2 = mj_scan_mem(text, strlen(text), delim, collect, &fast, &e2);
		CHECK(s1 == s2);
		if (strcmp(ref.text->str, fast.text->str) != 0) {
			fprintf(stderr, "input %zu differs:\nlibcsv:\n%sfast:\n%s", i, ref.text->str,
				fast.text->str);
			check_failures++;
		}
		unlink(path);
		g_free(path);
		g_string_free(ref.text, TRUE);
		g_string_free(fast.text, TRUE);
	}
}

static void test_same_as_libcsv(void)
{
	for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++)
		same_rows(i, tricky[i]);
}

/* A row of 600,000 fields is a row on both paths (the limit is 1,000,000),
 * and one over the limit fails both alike. */
static void test_wide_row(void)
{
	GString *doc = g_string_new("h,i\n1");
	for (int k = 0; k < 600000; k++)
		g_string_append(doc, ",x");
	g_string_append(doc, "\n2,3\n");
	same_rows(100, doc->str);
	g_string_assign(doc, "h,i\n1");
	for (int k = 0; k < 1000000; k++)
		g_string_append(doc, ",");
	g_string_append(doc, "\n2,3\n");
	same_rows(101, doc->str);
	g_string_free(doc, TRUE);
}

static int no_prepare(void **ctxs, size_t n)
{
	(void)ctxs;
	(void)n;
	return 0;
}

static void every_cut(const char *eol)
{
	/* Quoted fields span lines, so many cuts fall inside one. */
	GString *doc = g_string_new("id,note,x");
	g_string_append(doc, eol);
	for (int r = 0; r < 40; r++) {
		if (r % 3)
			g_string_append_printf(doc, "%d,\"a%sb,\"\"c\",%d", r, eol, r * 7);
		else
			g_string_append_printf(doc, "%d,pl\ra in,%d", r, r * 7);
		g_string_append(doc, r % 2 ? eol : "\n");
	}
	if (strcmp(eol, "\r") == 0)
		for (char *p = doc->str; *p; p++)
			if (*p == '\n')
				*p = '\r';
	char *path = write_temp(doc->str);
	struct log seq = {g_string_new(NULL), 0};
	struct mj_error err;
	struct mj_reader_opts o = {0};
	CHECK(mj_read_rows(path, &o, collect, &seq, NULL, &err) == MJ_OK);
	int valid_parts = 0;
	for (long cut = 0; cut <= (long)doc->len; cut++) {
		struct log a = {g_string_new(NULL), 0}, b = {g_string_new(NULL), 0};
		void *ctxs[2] = {&a, &b};
		struct mj_scan_result res;
		CHECK(mj_scan_file_at(path, &o, collect, no_prepare, ctxs, 2, &cut, &res, &err) == MJ_OK);
		GString *all = g_string_new(a.text->str);
		valid_parts += res.nparts == 2 && res.valid[1];
		if (res.nparts == 2 && res.valid[1]) {
			/* Part 1 numbered its lines from 1: add its base. */
			char **lines = g_strsplit(b.text->str, "\n", -1);
			for (char **l = lines; *l && **l; l++) {
				char *colon = strchr(*l, ':');
				unsigned long n = strtoul(*l, NULL, 10);
				g_string_append_printf(all, "%lu%s\n", n + res.line_base[1] - 1, colon);
			}
			g_strfreev(lines);
		}
		if (strcmp(all->str, seq.text->str) != 0) {
			fprintf(stderr, "cut at %ld gives other rows:\n%s---\n%s", cut, all->str,
				seq.text->str);
			check_failures++;
		}
		g_string_free(all, TRUE);
		g_string_free(a.text, TRUE);
		g_string_free(b.text, TRUE);
	}
	/* Most cuts fall between rows and let part 1 count; the others fall
	 * inside a quoted field and must have been read again in sequence. */
	CHECK(valid_parts > 0);
	CHECK(valid_parts < (int)doc->len);
	unlink(path);
	g_free(path);
	g_string_free(seq.text, TRUE);
	g_string_free(doc, TRUE);
}

static void test_every_cut(void)
{
	every_cut("\r\n");
}

/* A file whose lines end in a lone CR is cut at its CRs. */
static void test_every_cut_cr(void)
{
	every_cut("\r");
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"same_as_libcsv", test_same_as_libcsv}, {"every_cut", test_every_cut},
		{"every_cut_cr", test_every_cut_cr}, {"wide_row", test_wide_row}, {0, 0}};
	return run_case(cases, argc, argv);
}
