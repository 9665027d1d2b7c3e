/* What the programs in cmd/ share: the names of the shared options,
 * problem printing, number options, and the start of every run. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "murojaat/outfile.h"
#include "murojaat/schema.h"
#include "murojaat/stats.h"
#include "murojaat/tab.h"

const struct option cli_run_options[] = {
	{"by", required_argument, NULL, MJ_OPT_BY},
	{"cols", required_argument, NULL, MJ_OPT_COLS},
	{"where", required_argument, NULL, MJ_OPT_WHERE},
	{"period", required_argument, NULL, MJ_OPT_PERIOD},
	{"month", required_argument, NULL, MJ_OPT_MONTH},
	{"missing", required_argument, NULL, MJ_OPT_MISSING},
	{"sort", required_argument, NULL, MJ_OPT_SORT},
	{"top", required_argument, NULL, MJ_OPT_TOP},
	{"hide-empty", no_argument, NULL, MJ_OPT_HIDE_EMPTY},
	{"lang", required_argument, NULL, MJ_OPT_LANG},
	{"weight", required_argument, NULL, MJ_OPT_WEIGHT},
	{"sum", required_argument, NULL, MJ_OPT_SUM},
	{"min-cell", required_argument, NULL, MJ_OPT_MIN_CELL},
	{"strict", no_argument, NULL, MJ_OPT_STRICT},
	{"schema", required_argument, NULL, MJ_OPT_SCHEMA},
	{"encoding", required_argument, NULL, MJ_OPT_ENCODING},
	{"delimiter", required_argument, NULL, MJ_OPT_DELIMITER},
	{"threads", required_argument, NULL, MJ_OPT_THREADS},
	{"sheet", required_argument, NULL, MJ_OPT_SHEET},
	{"header-row", required_argument, NULL, MJ_OPT_HEADER_ROW},
	{"date-order", required_argument, NULL, MJ_OPT_DATE_ORDER},
	{"allow-overlap", no_argument, NULL, MJ_OPT_ALLOW_OVERLAP},
	{NULL, 0, NULL, 0},
};

const char *const cli_run_help = N_(
	"What to count:\n"
	"  --by DIM[,DIM...]     rows: one dimension, or nested ones (place,relationship)\n"
	"  --cols DIM[,DIM]      columns of a cross-tab (mj-tab nests several)\n"
	"  --where DIM=V[,V...]  keep records with one of these values (repeatable)\n"
	"  --period P            2023-08, 2023-01..2023-08, 2023-Q2, 2023, or dates\n"
	"                        (default: the whole months the records span)\n"
	"  --month M             the same as --period M\n"
	"  --missing include|exclude   count \"not stated\" as a category (default) or leave it out\n"
	"  --weight COL          add COL (a whole-number column of the schema) per record\n"
	"                        instead of 1\n"
	"  --sum COL             sum COL (e.g. children) instead of counting\n"
	"  --strict              stop at the first rejected row\n"
	"  --allow-overlap       add tables that count the same source twice\n"
	"How tables look:\n"
	"  --sort schema|count|label   row order (default schema; \"not stated\" stays last)\n"
	"  --top N               the N first rows; the rest together as \"Other\"\n"
	"  --hide-empty          drop rows that count zero\n"
	"  --lang en|ru|uz|uz-Cyrl     labels (default en), messages\n"
	"  --min-cell N          hide counts 1..N-1 and the cells that would reveal them\n"
	"Input:\n"
	"  --schema FILE         use this schema instead of the built-in one\n"
	"  --encoding utf-8|cp1251|auto   input encoding (default utf-8)\n"
	"  --delimiter C         field separator: , ; tab (default: detected)\n"
	"  --date-order dmy|mdy|ymd   how 01/02/2023 is read: day or month first, or\n"
	"                        only YYYY-MM-DD (default: found in each file's dates)\n"
	"  --threads N           threads for a large file (default: one per core)\n"
	"  --sheet NAME|N        workbooks (.xlsx): the sheet to read (default the first)\n"
	"  --header-row N        workbooks: the header's row (default: the first row\n"
	"                        naming two columns of the schema)\n");

const struct option cli_stats_options[] = {
	{"ci", required_argument, NULL, MJ_OPT_CI},
	{"ci-method", required_argument, NULL, MJ_OPT_CI_METHOD},
	{"test", no_argument, NULL, MJ_OPT_TEST},
	{"compare", required_argument, NULL, MJ_OPT_COMPARE},
	{"rate-per", required_argument, NULL, MJ_OPT_RATE_PER},
	{"population", required_argument, NULL, MJ_OPT_POPULATION},
	{NULL, 0, NULL, 0},
};

const char *const cli_stats_help = N_(
	"Statistics:\n"
	"  --ci LEVEL            confidence interval of each percent, e.g. 95 (50-99.9)\n"
	"  --ci-method wilson|exact    Wilson score (default) or Clopper-Pearson\n"
	"  --test                Pearson chi-square, p-value and Cramer's V after a\n"
	"                        cross-tab (CSV/TSV: on standard error)\n"
	"  --compare P|previous|year   counts of another period beside --period's\n"
	"  --rate-per N          rate per N people (with --population)\n"
	"  --population FILE     CSV: dimension column(s) and population\n");

/* Messages ---------------------------------------------------------------- */

#ifndef MJ_LOCALEDIR
#define MJ_LOCALEDIR "/usr/local/share/locale"
#endif


/* Whether gettext treats the locale called name as untranslated (it then
 * ignores LANGUAGE). */
static int cli_locale_is_c(const char *name)
{
	return !name || !*name || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0;
}

/* Makes gettext read LANGUAGE (value) even where the locale of messages is
 * C: under C.UTF-8, which every glibc since 2.35 has built in, it does. */
static void cli_language(const char *value)
{
	setenv("LANGUAGE", value, 1);
	const char *now = setlocale(LC_MESSAGES, NULL);
	if (cli_locale_is_c(now))
		setlocale(LC_MESSAGES, "C.UTF-8");
	else
		setlocale(LC_MESSAGES, ""); /* forgets translations looked up before */
}

/* Chooses the language of messages as C programs do: LC_ALL, else
 * LC_MESSAGES, else LANG, and LANGUAGE before them for the list of
 * languages. Only LC_MESSAGES follows the user's locale: numbers, dates,
 * collation and character classes stay C, so that every output is the same
 * bytes whatever the locale; catalogues are read as UTF-8, which is what
 * the programs write. A locale that is named but not generated on this
 * machine (setlocale fails) is still honoured through LANGUAGE.
 * MJ_LOCALEDIR, when set, replaces the installed catalogues' folder (the
 * tests read the catalogues of the build tree); a program run from its
 * build tree (BUILD/cmd/mj-tab, as the README's examples run it) reads
 * BUILD/po. */
static void cli_i18n_start(void)
{
	const char *got = setlocale(LC_MESSAGES, "");
	if (!got || cli_locale_is_c(got)) {
		const char *want = getenv("LC_ALL");
		if (!want || !*want)
			want = getenv("LC_MESSAGES");
		if (!want || !*want)
			want = getenv("LANG");
		const char *language = getenv("LANGUAGE");
		if (!cli_locale_is_c(want) && strncmp(want, "C.", 2) != 0)
			cli_language(language && *language ? language : want);
	}
	const char *dir = getenv("MJ_LOCALEDIR");
	char built[4096];
	if (!dir || !*dir) {
		dir = MJ_LOCALEDIR;
		/* Built, not installed: the catalogues are in BUILD/po beside
		 * BUILD/cmd. An installed program has no such folder. */
		ssize_t n = readlink("/proc/self/exe", built, sizeof built - 64);
		char *slash = n > 0 ? memrchr(built, '/', (size_t)n) : NULL;
		if (slash) {
			strcpy(slash, "/../po/ru/LC_MESSAGES/murojaat.mo");
			if (access(built, R_OK) == 0) {
				strcpy(slash, "/../po");
				dir = built;
			}
		}
	}
	bindtextdomain("murojaat", dir);
	bind_textdomain_codeset("murojaat", "UTF-8");
	/* strerror() speaks the language too, in UTF-8 rather than in the C
	 * locale's ASCII (LC_CTYPE stays C). */
	bind_textdomain_codeset("libc", "UTF-8");
	textdomain("murojaat");
}

/* --lang LANG (or --lang=LANG) among the arguments before "--" chooses the
 * language of messages too, over the locale. */
void cli_i18n_lang(int argc, char **argv)
{
	static const char *const gettext_name[MJ_LANG_COUNT] = {
		[MJ_LANG_EN] = "en", [MJ_LANG_RU] = "ru", [MJ_LANG_UZ] = "uz",
		[MJ_LANG_UZ_CYRL] = "uz@cyrillic",
	};
	const char *value = NULL;
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
			value = argv[++i];
		else if (strncmp(argv[i], "--lang=", 7) == 0)
			value = argv[i] + 7;
	}
	int lang = value ? mj_lang_parse(value) : -1;
	if (lang >= 0 && lang < MJ_LANG_COUNT && gettext_name[lang])
		cli_language(gettext_name[lang]);
}

/* Appends to the option table (cap entries, kept ending in a zero entry)
 * the options of list: count of them, or when count is 0 those up to the
 * first without a name; keep (may be NULL) chooses by name. Returns -1
 * when the table would overflow. */
int cli_add_options(struct option *table, size_t cap,
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
int cli_number(const char *text, long lo, long hi, long *out)
{
	return mj_parse_whole(text, lo, hi, out);
}

/* Prints "prog: path:line:col: message". */
void cli_error(const char *prog, const struct mj_error *e)
{
	char buf[1024];
	fprintf(stderr, "%s: %s\n", prog, mj_error_format(e, buf, sizeof buf));
}


/* Whether e is the problem that stopped a file, already printed. */
int cli_problem_printed(const struct cli_problems *p, const struct mj_error *e)
{
	return p->fatal_seen && strcmp(p->last_fatal.path, e->path) == 0 &&
	       strcmp(p->last_fatal.message, e->message) == 0;
}

void cli_on_problem(void *ctx, const struct mj_error *e, int fatal)
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
void cli_stdin_hint(const char *prog, size_t nfiles)
{
	if (nfiles == 0 && isatty(0))
		fprintf(stderr, _("%s: reading records from standard input (end with Ctrl-D; --help for usage)\n"),
			prog);
}

/* Checks that everything written to stdout reached it. */
int cli_close_stdout(const char *prog)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		fprintf(stderr, _("%s: error writing to standard output: %s\n"), prog,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* The program's name for the signal handler. */
static const char **cli_prog_slot(void)
{
	static const char *prog;
	return &prog;
}

/* Removes the run's temporaries, says why for a file too large, and dies
 * of the signal as if it had not been caught. */
static void cli_on_signal(int sig)
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
void cli_start(const char *prog)
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
int cli_refuse_input(const char *prog, const char *output,
		     const char *const *files, size_t nfiles)
{
	struct mj_error e;
	mj_error_clear(&e);
	if (mj_outfile_check_inputs(output, files, nfiles, &e) == MJ_OK)
		return 0;
	cli_error(prog, &e);
	return -1;
}
