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
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "murojaat/chart.h"
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
	{"test", optional_argument, NULL, MJ_OPT_TEST},
	{"compare", required_argument, NULL, MJ_OPT_COMPARE},
	{"rate-per", required_argument, NULL, MJ_OPT_RATE_PER},
	{"population", required_argument, NULL, MJ_OPT_POPULATION},
	{NULL, 0, NULL, 0},
};

const char *const cli_stats_help = N_(
	"Statistics:\n"
	"  --ci LEVEL            confidence interval of each percent, e.g. 95 (50-99.9)\n"
	"  --ci-method wilson|exact    Wilson score (default) or Clopper-Pearson\n"
	"  --test [chi2|props]   Pearson chi-square, p-value and Cramer's V after a\n"
	"                        cross-tab (CSV/TSV: on standard error); props: in\n"
	"                        each row, letters of the columns whose proportion\n"
	"                        is smaller (z-test, 5%, Bonferroni); chi2,props both\n"
	"  --compare P|previous|year   counts of another period beside --period's\n"
	"  --rate-per N          rate per N people (with --population)\n"
	"  --population FILE     CSV: dimension column(s) and population\n");

int cli_test_word(int argc, char **argv)
{
	static char chi2[] = "--test=chi2", props[] = "--test=props",
		    both[] = "--test=chi2,props", both2[] = "--test=props,chi2";
	static char *const joined[] = {chi2, props, both, both2};
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--test") != 0)
			continue;
		for (size_t w = 0; w < sizeof joined / sizeof joined[0]; w++)
			if (strcmp(argv[i + 1], joined[w] + 7) == 0) {
				argv[i] = joined[w];
				memmove(argv + i + 1, argv + i + 2, (size_t)(argc - i - 1) * sizeof *argv);
				argc--;
				break;
			}
	}
	return argc;
}

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

void cli_make_options(struct option *table, size_t cap,
		      const struct option *own, size_t nown,
		      int (*keep_run)(const char *name), int stats,
		      int (*keep_stats)(const char *name))
{
	table[0] = (struct option){0};
	if (cli_add_options(table, cap, cli_run_options, 0, keep_run) != 0 ||
	    (stats && cli_add_options(table, cap, cli_stats_options, 0, keep_stats) != 0) ||
	    cli_add_options(table, cap, own, nown, NULL) != 0)
		abort(); /* the caller's table is sized for every option */
}

int cli_version(const char *prog)
{
	printf("%s (murojaat) %s\n", prog, MJ_VERSION);
	return cli_close_stdout(prog) ? 2 : 0;
}

size_t cli_text_width(void)
{
	const char *env = getenv("COLUMNS");
	long n;
	if (env && cli_number(env, 20, 100000, &n) == 0)
		return (size_t)n;
	struct winsize ws;
	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
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

void cli_on_progress(void *ctx, unsigned long long done, unsigned long long total)
{
	struct cli_problems *p = ctx;
	if (total == 0)
		return;
	int pct = (int)(done * 100 / total);
	if (pct + 1 == p->progress)
		return;
	p->progress = pct + 1;
	fputc('\r', stderr);
	fprintf(stderr, _("%s: reading %3d%%"), p->prog, pct);
}

void cli_progress_end(const struct cli_problems *p)
{
	if (p->progress)
		fprintf(stderr, "\r%*s\r", (int)(strlen(p->prog) + strlen(_("%s: reading %3d%%"))), "");
}

/* Says that input is awaited when the user gave no file at a terminal. */
void cli_stdin_hint(const char *prog, size_t nfiles)
{
	if (nfiles == 0 && isatty(0))
		fprintf(stderr, _("%s: reading records from standard input (end with Ctrl-D; --help for usage)\n"),
			prog);
}

int cli_stdin_once(const char *prog, const char *const *first, size_t nfirst,
		   const char *const *second, size_t nsecond)
{
	size_t uses = nfirst == 0;
	for (size_t i = 0; i < nfirst; i++)
		uses += strcmp(first[i], "-") == 0;
	for (size_t i = 0; i < nsecond; i++)
		uses += strcmp(second[i], "-") == 0;
	if (uses > 1) {
		fprintf(stderr, _("%s: standard input can be read only once\n"), prog);
		return -1;
	}
	if (uses && isatty(STDIN_FILENO))
		fprintf(stderr, _("%s: reading from standard input (end with Ctrl-D; "
			"--help for usage)\n"), prog);
	return 0;
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

/* In sanitizer builds the library tells LeakSanitizer that fontconfig's
 * process-long caches are not leaks; the sanitizer reads its options before
 * the library is loaded, so the program asks here that it not list them
 * on standard error. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
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

/* Runs ------------------------------------------------------------------- */

int cli_max_errors(const char *prog, const char *arg, long *max)
{
	if (cli_number(arg, 0, 1000000000L, max) == 0)
		return 0;
	fprintf(stderr, _("%s: --max-errors: expected a whole number, got \"%s\"\n"), prog, arg);
	return -1;
}

void cli_run_init(struct cli_run *r, const char *prog)
{
	memset(r, 0, sizeof *r);
	mj_run_init(&r->run);
	r->problems.prog = prog;
	r->problems.max = 20;
	r->run.opts.on_problem = cli_on_problem;
	r->run.opts.ctx = &r->problems;
}

int cli_run_option(struct cli_run *r, int opt, const char *arg)
{
	const char *prog = r->problems.prog;
	struct mj_run *run = &r->run;
	if (opt == MJ_OPT_COLS && !r->nest_cols && strchr(arg, ',')) {
		fprintf(stderr, "%s: --cols takes one dimension here; mj-tab nests columns\n", prog);
		return -1;
	}
	if (r->run.many && opt == MJ_OPT_BY) {
		if (run->nspecs == MJ_RUN_MAX_TABLES) {
			fprintf(stderr, _("%s: --by: at most %d tables\n"), prog, MJ_RUN_MAX_TABLES);
			return -1;
		}
		run->specs[run->nspecs++].by = arg;
		return 0;
	}
	if (r->run.many && opt == MJ_OPT_COLS) {
		if (run->nspecs == 0) {
			fprintf(stderr, _("%s: --cols belongs to a --by given before it\n"), prog);
			return -1;
		}
		run->specs[run->nspecs - 1].cols = arg;
		return 0;
	}
	struct mj_error err;
	mj_error_clear(&err);
	if (mj_run_option(run, opt, arg, &err) == MJ_OK)
		return 0;
	cli_error(prog, &err);
	return -1;
}

int cli_run_tabulate(struct cli_run *r, const char *const *files, size_t nfiles)
{
	struct mj_error err;
	mj_error_clear(&err);
	cli_stdin_hint(r->problems.prog, nfiles);
	enum mj_status st = mj_run_tabulate(&r->run, files, nfiles, &err);
	const struct mj_run_stats *c = &r->run.counts;
	if (st == MJ_OK && r->run.inputs.period_beyond)
		fprintf(stderr, _("%s: note: the period asked runs from %s to %s, but the records "
				  "read only from %s to %s: its counts may not cover the whole period\n"),
			r->problems.prog, c->period_from, c->period_to, c->data_from, c->data_to);
	if (st == MJ_OK)
		return 0;
	/* File errors were printed as they happened. */
	if (err.path[0] == '\0' || st == MJ_E_USAGE)
		cli_error(r->problems.prog, &err);
	return mj_run_exit_status(&r->run, st);
}

int cli_run_check(const struct cli_run *r)
{
	struct mj_error err;
	mj_error_clear(&err);
	if (mj_run_check(&r->run, &err) == MJ_OK)
		return 0;
	cli_error(r->problems.prog, &err);
	return -1;
}

int cli_run_statistics(struct cli_run *r, long percents, int titles)
{
	struct mj_error err;
	mj_error_clear(&err);
	if (mj_run_statistics(&r->run, percents, &err) != MJ_OK) {
		cli_error(r->problems.prog, &err);
		return -1;
	}
	cli_run_test_problems(r, titles);
	return 0;
}

enum mj_status cli_run_draw_layers(const struct cli_run *r, const char *output,
				   const struct mj_chart_opts *co, struct mj_error *err)
{
	const struct mj_layers *l = r->run.layers;
	/* Each panel is titled by its layer; the statistics of one table are
	 * not drawn on the others. */
	struct mj_chart_opts one = *co;
	one.stats = NULL;
	char **titles = calloc(l->n, sizeof *titles);
	if (!titles)
		return mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	enum mj_status st = MJ_OK;
	for (size_t i = 0; st == MJ_OK && i < l->n; i++)
		if (!(titles[i] = g_strdup_printf("%s: %s", l->dim_label, l->labels[i])))
			st = mj_error_set(err, MJ_E_NOMEM, NULL, 0, 0, "out of memory");
	if (st == MJ_OK)
		st = mj_chart_write_panels(output, (const struct mj_table *const *)l->tables,
					   (const char *const *)titles, l->n, r->run.schema, &one, err);
	for (size_t i = 0; i < l->n; i++)
		g_free(titles[i]);
	free(titles);
	return st;
}

int cli_date(const char *prog, const char *arg)
{
	int y, m, d;
	char extra;
	if (sscanf(arg, "%4d-%2d-%2d%c", &y, &m, &d, &extra) == 3 && strlen(arg) == 10)
		return 0;
	fprintf(stderr, _("%s: --date: expected YYYY-MM-DD, got \"%s\"\n"), prog, arg);
	return -1;
}

int cli_format(const char *prog, const char *arg, enum mj_format *format)
{
	static const char *const names[] = {"text", "csv", "tsv", "json", "md"};
	for (int i = 0; i < 5; i++)
		if (strcmp(arg, names[i]) == 0) {
			*format = (enum mj_format)i;
			return 0;
		}
	fprintf(stderr, _("%s: --format: expected text, csv, tsv, json or md, got \"%s\"\n"),
		prog, arg);
	return -1;
}

void cli_run_tests_stderr(const struct cli_run *r)
{
	const struct mj_run *run = &r->run;
	for (size_t i = 0; run->stats && i < run->ntables; i++) {
		if (!run->stats[i].has_test)
			continue;
		if (run->layers)
			fprintf(stderr, "%s:\n", run->tables[i]->title);
		mj_chi2_write(stderr, &run->stats[i].test, run->opts.lang);
	}
}

void cli_run_test_problems(const struct cli_run *r, int titles)
{
	const char *prog = r->problems.prog;
	for (size_t i = 0; r->run.stats && i < r->run.ntables; i++) {
		const char *why = r->run.stats[i].test_problem;
		const char *title = r->run.tables[i]->title;
		/* The table is still worth writing; say why there is no test. */
		if (why[0] && titles)
			fprintf(stderr, _("%s: --test: %s: %s\n"), prog, title ? title : "table", why);
		else if (why[0])
			fprintf(stderr, _("%s: --test: %s\n"), prog, why);
	}
}

enum mj_status cli_run_read_tables(struct cli_run *r, const char *const *files,
				   size_t nfiles, int with_stats)
{
	int from_stdin = nfiles == 0;
	for (size_t i = 0; i < nfiles; i++)
		from_stdin |= strcmp(files[i], "-") == 0;
	if (from_stdin && isatty(0))
		fprintf(stderr, _("%s: reading a table from standard input "
			"(end with Ctrl-D; --help for usage)\n"), r->problems.prog);
	struct mj_error err;
	mj_error_clear(&err);
	enum mj_status st = mj_run_read_tables(&r->run, files, nfiles, with_stats, &err);
	if (st == MJ_E_USAGE)
		cli_error(r->problems.prog, &err);
	return st;
}

void cli_run_summary(const struct cli_run *r, int quiet, int always)
{
	const char *prog = r->problems.prog;
	const struct mj_run_stats *n = &r->run.counts;
	if (r->problems.hidden)
		fprintf(stderr, _("%s: ... and %lu more problems (mj-check lists them all)\n"),
			prog, r->problems.hidden);
	if (!quiet && (n->rejected || always))
		fprintf(stderr, _("%s: %llu rows read, %llu counted, %llu outside the filters, %llu rejected\n"),
			prog, n->read, n->counted, n->excluded, n->rejected);
}
