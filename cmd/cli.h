/* Helpers shared by the programs in cmd/: problem printing and number
 * options. Header-only so each program stays one file plus this. */
#ifndef MJ_CLI_H
#define MJ_CLI_H

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "murojaat/error.h"
#include "murojaat/outfile.h"

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
		fprintf(stderr, _("%s: reading records from standard input (end with Ctrl-D; --help for usage)\n"),
			prog);
}

/* Checks that everything written to stdout reached it. */
static inline int cli_close_stdout(const char *prog)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, _("%s: error writing to standard output: %s\n"), prog,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* The program's name for the signal handler. */
static inline const char **cli_prog_slot(void)
{
	static const char *prog;
	return &prog;
}

/* Removes the run's temporaries, says why for a file too large, and dies
 * of the signal as if it had not been caught. */
static inline void cli_on_signal(int sig)
{
	mj_cleanup_signal();
	if (sig == SIGXFSZ) {
		static const char msg[] = ": file size limit exceeded\n";
		const char *prog = *cli_prog_slot();
		ssize_t put = write(2, prog, strlen(prog));
		put = write(2, msg, sizeof msg - 1);
		(void)put;
	}
	/* SA_RESETHAND restored the default action; the signal is blocked
	 * until the handler returns, then it ends the process. */
	raise(sig);
}

/* What every program does first. Descriptors 0-2 that are closed are
 * opened on /dev/null, the wrong way round (0 for writing, 1 and 2 for
 * reading) so that using one fails as it would have when closed, while
 * no file the program opens can take its number (an output file opened as
 * descriptor 2 would get the diagnostics). Then SIGINT, SIGTERM, SIGHUP,
 * SIGPIPE and SIGXFSZ (ulimit -f) remove the temporaries of the run before
 * ending it; a signal ignored when the program started stays ignored. */
static inline void cli_start(const char *prog)
{
	*cli_prog_slot() = prog;
	for (int fd = 0; fd < 3; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int got = open("/dev/null", (fd == 0 ? O_WRONLY : O_RDONLY));
		if (got != fd)
			exit(2); /* nothing can be said: there is no stderr */
	}
	cli_i18n_start();
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

/* Refuses (prints why and returns -1) an output that is one of the inputs
 * (files, "-" or none for standard input); see mj_outfile_check_inputs(). */
static inline int cli_refuse_input(const char *prog, const char *output,
				   const char *const *files, size_t nfiles)
{
	struct mj_error e;
	mj_error_clear(&e);
	if (mj_outfile_check_inputs(output, files, nfiles, &e) == MJ_OK)
		return 0;
	cli_error(prog, &e);
	return -1;
}

#endif
