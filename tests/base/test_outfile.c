/* Unit tests for safe output files: modes, devices, links, failures, the
 * output-is-an-input check and the registry of temporaries. */
#include "murojaat/outfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static char base[64];

/* A fresh folder for a case; its path in base. */
static void fresh(void)
{
	if (base[0]) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
		if (system(cmd) != 0)
			abort();
	}
	snprintf(base, sizeof base, "/tmp/mj-outfile.XXXXXX");
	if (!mkdtemp(base))
		abort();
}

static char *at(const char *name)
{
	static char buf[4][256];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s/%s", base, name);
	return buf[i];
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static int holds(const char *path, const char *text)
{
	char buf[256] = {0};
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	return n == strlen(text) && memcmp(buf, text, n) == 0;
}

/* Entries of the case's folder (temporaries show here). */
static int entries(void)
{
	DIR *d = opendir(base);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void test_modes(void)
{
	fresh();
	mode_t old = umask(022);
	struct mj_outfile o;
	struct mj_error err;
	CHECK(mj_outfile_open(&o, at("rows.csv"), MJ_OUTFILE_PRIVATE, &err) == MJ_OK);
	CHECK(o.tmp && strncmp(o.tmp, at("rows.csv.tmp"), strlen(at("rows.csv.tmp"))) == 0);
	fputs("a\n", o.fp);
	CHECK(access(at("rows.csv"), F_OK) != 0); /* not there before commit */
	CHECK(mj_outfile_commit(&o, &err) == MJ_OK);
	CHECK(o.fp == NULL && o.tmp == NULL);
	struct stat sb;
	CHECK(stat(at("rows.csv"), &sb) == 0 && (sb.st_mode & 0777) == 0600);
	CHECK(holds(at("rows.csv"), "a\n"));
	CHECK(mj_outfile_open(&o, at("table.csv"), 0, &err) == MJ_OK);
	CHECK(mj_outfile_commit(&o, &err) == MJ_OK);
	CHECK(stat(at("table.csv"), &sb) == 0 && (sb.st_mode & 0777) == 0644);
	CHECK(entries() == 2);
	umask(old);
}

static void test_device(void)
{
	struct mj_outfile o;
	struct mj_error err;
	CHECK(mj_outfile_open(&o, "/dev/null", 0, &err) == MJ_OK);
	CHECK(o.tmp == NULL);
	fputs("x", o.fp);
	CHECK(mj_outfile_commit(&o, &err) == MJ_OK);
	struct stat sb;
	CHECK(stat("/dev/null", &sb) == 0 && S_ISCHR(sb.st_mode));
	if (access("/dev/full", W_OK) == 0) {
		CHECK(mj_outfile_open(&o, "/dev/full", 0, &err) == MJ_OK);
		fputs("x", o.fp);
		CHECK(mj_outfile_commit(&o, &err) == MJ_E_IO);
		CHECK_STR(err.path, "/dev/full");
		CHECK(strstr(err.message, "No space left on device") != NULL);
	}
	fresh();
	CHECK(mj_outfile_open(&o, base, 0, &err) == MJ_E_IO);
	CHECK(strstr(err.message, "is a directory") != NULL);
	CHECK(o.fp == NULL && o.path == NULL);
}

/* A symbolic link is followed: the file it names is replaced, the link is
 * kept; a dangling link is replaced. */
static void test_link(void)
{
	fresh();
	struct mj_outfile o;
	struct mj_error err;
	put(at("real.csv"), "old");
	CHECK(symlink("real.csv", at("link.csv")) == 0);
	CHECK(mj_outfile_open(&o, at("link.csv"), 0, &err) == MJ_OK);
	fputs("new", o.fp);
	CHECK(mj_outfile_commit(&o, &err) == MJ_OK);
	struct stat sb;
	CHECK(lstat(at("link.csv"), &sb) == 0 && S_ISLNK(sb.st_mode));
	CHECK(holds(at("real.csv"), "new"));
	CHECK(symlink("nowhere.csv", at("dangling.csv")) == 0);
	CHECK(mj_outfile_open(&o, at("dangling.csv"), 0, &err) == MJ_OK);
	fputs("x", o.fp);
	CHECK(mj_outfile_commit(&o, &err) == MJ_OK);
	CHECK(lstat(at("dangling.csv"), &sb) == 0 && S_ISREG(sb.st_mode));
	CHECK(entries() == 3);
}

static void test_abort(void)
{
	fresh();
	struct mj_outfile o;
	struct mj_error err;
	put(at("out.csv"), "old");
	CHECK(mj_outfile_open(&o, at("out.csv"), 0, &err) == MJ_OK);
	fputs("half", o.fp);
	CHECK(entries() == 2);
	mj_outfile_abort(&o);
	mj_outfile_abort(&o); /* empty: nothing to do */
	CHECK(holds(at("out.csv"), "old"));
	CHECK(entries() == 1);
	CHECK(mj_outfile_open(&o, at("no/such/dir.csv"), 0, &err) == MJ_E_IO);
	CHECK(strstr(err.message, "cannot create a temporary file in '") != NULL);
	CHECK(strstr(err.message, "no/such': No such file or directory") != NULL);
}

static void test_inputs(void)
{
	fresh();
	struct mj_error err;
	put(at("reg.csv"), "rows");
	put(at("other.csv"), "rows");
	CHECK(link(at("reg.csv"), at("hard.csv")) == 0);
	CHECK(symlink("reg.csv", at("soft.csv")) == 0);
	const char *in[] = {at("other.csv"), at("reg.csv")};
	CHECK(mj_outfile_check_inputs(at("reg.csv"), in, 2, &err) == MJ_E_USAGE);
	CHECK_STR(err.path, at("reg.csv"));
	CHECK(strstr(err.message, "refusing to write over an input") != NULL);
	CHECK(mj_outfile_check_inputs(at("hard.csv"), in, 2, &err) == MJ_E_USAGE);
	CHECK(mj_outfile_check_inputs(at("soft.csv"), in, 2, &err) == MJ_E_USAGE);
	CHECK(mj_outfile_check_inputs(at("new.csv"), in, 2, &err) == MJ_OK);
	CHECK(mj_outfile_check_inputs(at("other.csv"), in + 1, 1, &err) == MJ_OK);
	CHECK(mj_outfile_check_inputs("/dev/null", in, 2, &err) == MJ_OK);
	CHECK(mj_outfile_check_inputs("-", in, 2, &err) == MJ_OK);
	/* Standard input: "-" or no input at all. */
	int fd = open(at("reg.csv"), O_RDONLY);
	int saved = dup(0);
	CHECK(fd >= 0 && saved >= 0 && dup2(fd, 0) == 0);
	CHECK(mj_outfile_check_inputs(at("hard.csv"), NULL, 0, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "standard input") != NULL);
	const char *dash[] = {"-"};
	CHECK(mj_outfile_check_inputs(at("reg.csv"), dash, 1, &err) == MJ_E_USAGE);
	CHECK(mj_outfile_check_inputs(at("other.csv"), dash, 1, &err) == MJ_OK);
	dup2(saved, 0);
	close(saved);
	close(fd);
	/* A folder holding an input (a report's), however it is named. */
	CHECK(mkdir(at("rep"), 0700) == 0);
	put(at("rep/in.csv"), "rows");
	const char *inside[] = {at("other.csv"), at("rep/../rep/in.csv")};
	CHECK(mj_outfile_check_inputs(at("rep"), inside, 2, &err) == MJ_E_USAGE);
	CHECK(strstr(err.message, "holds the input") != NULL);
	CHECK(mj_outfile_check_inputs(at("rep/"), inside, 2, &err) == MJ_E_USAGE);
	CHECK(mj_outfile_check_inputs(at("rep"), inside, 1, &err) == MJ_OK);
	CHECK(mkdir(at("rep2"), 0700) == 0);
	CHECK(mj_outfile_check_inputs(at("rep2"), inside, 2, &err) == MJ_OK);
	/* "rep2" starts with "rep" but is not inside it. */
	put(at("rep2/x.csv"), "rows");
	const char *sibling[] = {at("rep2/x.csv")};
	CHECK(mj_outfile_check_inputs(at("rep"), sibling, 1, &err) == MJ_OK);
}

/* What a signal handler removes: registered files and folders with what
 * they hold, and nothing that was forgotten. */
static void test_cleanup(void)
{
	fresh();
	CHECK(mkdir(at("r.tmp1"), 0700) == 0);
	CHECK(mkdir(at("r.tmp1/charts"), 0700) == 0);
	put(at("r.tmp1/summary.md"), "x");
	put(at("r.tmp1/charts/a.png"), "x");
	put(at("r.tmp1/charts/b.svg.tmp123456"), "x");
	put(at("f.tmp2"), "x");
	put(at("done.csv"), "x");
	CHECK(mj_cleanup_add(at("r.tmp1"), 1) == 0);
	CHECK(mj_cleanup_add(at("f.tmp2"), 0) == 0);
	CHECK(mj_cleanup_add(at("done.csv"), 0) == 0);
	mj_cleanup_remove(at("done.csv"));
	mj_cleanup_remove(at("never-added"));
	struct mj_outfile o;
	struct mj_error err;
	CHECK(mj_outfile_open(&o, at("out.csv"), 0, &err) == MJ_OK);
	CHECK(entries() == 4);
	mj_cleanup_signal();
	CHECK(entries() == 1);
	CHECK(access(at("done.csv"), F_OK) == 0);
	/* The file open when the signal came cannot be committed. */
	CHECK(mj_outfile_commit(&o, &err) == MJ_E_IO);
	mj_cleanup_remove(at("r.tmp1"));
	mj_cleanup_remove(at("f.tmp2"));
	/* The registry is bounded, and says so. */
	int added = 0;
	char name[64];
	for (int i = 0; i < 80; i++) {
		snprintf(name, sizeof name, "/nonexistent/%d", i);
		added += mj_cleanup_add(name, 0) == 0;
	}
	CHECK(added == 64);
	for (int i = 0; i < 80; i++) {
		snprintf(name, sizeof name, "/nonexistent/%d", i);
		mj_cleanup_remove(name);
	}
	CHECK(mj_cleanup_add(at("x"), 0) == 0);
	mj_cleanup_remove(at("x"));
}

int main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		{"modes", test_modes}, {"device", test_device}, {"link", test_link},
		{"abort", test_abort}, {"inputs", test_inputs}, {"cleanup", test_cleanup},
		{0, 0}};
	int rc = run_case(cases, argc, argv);
	if (base[0]) {
		char cmd[128];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", base);
		if (system(cmd) != 0)
			rc = 1;
	}
	return rc;
}
