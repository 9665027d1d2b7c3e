/* Helpers shared by the programs in cmd/: problem printing and number
 * options. Header-only so each program stays one file plus this. */
#ifndef MJ_CLI_H
#define MJ_CLI_H

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "murojaat/error.h"

/* Appends to the option table (cap entries, kept ending in a zero entry)
 * the options of list: count of them, or when count is 0 those up to the
 * first without a name; keep (may be NULL) chooses by name. Returns -1
 * when the table would overflow. */
static inline int cli_add_options(struct option *table, size_t cap,
				  const struct option *list, size_t count,
				  int (*keep)(const char *name))
{
	size_t n = 0;
	while (table[n].name)
		n++;
	for (size_t i = 0; count ? i < count : list[i].name != NULL; i++) {
		if (keep && !keep(list[i].name))
			continue;
		if (n + 1 >= cap)
			return -1;
		table[n++] = list[i];
	}
	table[n] = (struct option){0};
	return 0;
}

/* Parses a whole number in lo..hi; returns 0 on success. */
static inline int cli_number(const char *text, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (end == text || *end || errno || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Prints "prog: path:line:col: message". */
static inline void cli_error(const char *prog, const struct mj_error *e)
{
	char buf[1024];
	fprintf(stderr, "%s: %s\n", prog, mj_error_format(e, buf, sizeof buf));
}

/* Problems of a run, printed up to a cap and counted. */
struct cli_problems {
	const char *prog;
	unsigned long max;      /* print at most this many (0: no limit) */
	unsigned long printed, hidden, notes;
	int quiet_notes;
	/* The last problem that stopped a file, so that the program does not
	 * print it again when the run fails with it. */
	int fatal_seen;
	struct mj_error last_fatal;
};

/* Whether e is the problem that stopped a file, already printed. */
static inline int cli_problem_printed(const struct cli_problems *p, const struct mj_error *e)
{
	return p->fatal_seen && strcmp(p->last_fatal.path, e->path) == 0 &&
	       strcmp(p->last_fatal.message, e->message) == 0;
}

static inline void cli_on_problem(void *ctx, const struct mj_error *e, int fatal)
{
	struct cli_problems *p = ctx;
	if (e->status == MJ_OK) {
		p->notes++;
		if (!p->quiet_notes)
			cli_error(p->prog, e);
		return;
	}
	if (!fatal && p->max && p->printed >= p->max) {
		p->hidden++;
		return;
	}
	p->printed++;
	cli_error(p->prog, e);
	if (fatal) {
		p->fatal_seen = 1;
		p->last_fatal = *e;
	}
}

/* Says that input is awaited when the user gave no file at a terminal. */
static inline void cli_stdin_hint(const char *prog, size_t nfiles)
{
	if (nfiles == 0 && isatty(0))
		fprintf(stderr, "%s: reading records from standard input (end with Ctrl-D; --help for usage)\n",
			prog);
}

/* Checks that everything written to stdout reached it. */
static inline int cli_close_stdout(const char *prog)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, "%s: error writing to standard output: %s\n", prog,
			strerror(errno));
		return -1;
	}
	return 0;
}

#endif

/* An output file written to a temporary name beside it and renamed into
 * place only when complete, created readable by the owner only (0600):
 * files of murojaat that hold rows are sensitive. */
struct cli_outfile {
	char *path;
	char *tmp;
	FILE *fp;
};

static inline int cli_outfile_open(struct cli_outfile *o, const char *path)
{
	o->path = strdup(path);
	size_t n = strlen(path) + 16;
	o->tmp = malloc(n);
	o->fp = NULL;
	if (!o->path || !o->tmp)
		return -1;
	/* A device or a pipe (/dev/stdout, /dev/full) is written as it is:
	 * there is nothing to rename over. */
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			return -1;
		}
		free(o->tmp);
		o->tmp = NULL;
		o->fp = fopen(path, "w");
		if (!o->fp) {
			free(o->path);
			o->path = NULL;
			return -1;
		}
		return 0;
	}
	snprintf(o->tmp, n, "%s.tmpXXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		errno = e;
		return -1;
	}
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		close(fd);
		unlink(o->tmp);
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		return -1;
	}
	return 0;
}

/* Finishes the file: renamed into place when ok, removed otherwise.
 * Returns 0 on success, -1 with errno set. */
static inline int cli_outfile_close(struct cli_outfile *o, int ok)
{
	int rc = 0;
	if (o->fp) {
		if (fflush(o->fp) != 0 || ferror(o->fp) ||
		    (o->tmp && fsync(fileno(o->fp)) != 0))
			ok = 0, rc = -1;
		int e = errno;
		if (fclose(o->fp) != 0)
			ok = 0, rc = -1;
		else
			errno = e;
		o->fp = NULL;
	}
	if (!o->tmp) {
		/* Written in place (a device or a pipe). */
		free(o->path);
		o->path = NULL;
		return ok ? rc : -1;
	}
	if (ok && rename(o->tmp, o->path) != 0)
		ok = 0, rc = -1;
	if (!ok) {
		int e = errno;
		unlink(o->tmp);
		errno = e;
	}
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	return rc;
}
