/* The start and end of every program: standard descriptors, signals that
 * remove temporaries, the language of messages, --version, and checking
 * that standard output was written. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <libintl.h>
#include <locale.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "murojaat/outfile.h"
#include "murojaat/schema.h"

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
static void cli_i18n_lang(int argc, char **argv)
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

int cli_version(const char *prog)
{
	printf("%s (murojaat) %s\n", prog, MJ_VERSION);
	return cli_close_stdout(prog) ? 2 : 0;
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
 * of the signal as if it had not been caught. Two threads may be signalled
 * at once (each writing a file past ulimit -f): the second waits for the
 * first to end the process, rather than ending it halfway through the
 * first's cleaning. */
static void cli_on_signal(int sig)
{
	static atomic_flag cleaning = ATOMIC_FLAG_INIT;
	if (atomic_flag_test_and_set(&cleaning))
		for (;;)
			pause();
	mj_cleanup_signal();
	if (sig == SIGXFSZ) {
		static const char msg[] = ": file size limit exceeded\n";
		const char *prog = *cli_prog_slot();
		ssize_t put = write(2, prog, strlen(prog));
		put = write(2, msg, sizeof msg - 1);
		(void)put;
	}
	/* The default action back; the signal is blocked until the handler
	 * returns, then it ends the process. */
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

/* What every program does first. Descriptors 0-2 that are closed are
 * opened on /dev/null, the wrong way round (0 for writing, 1 and 2 for
 * reading) so that using one fails as it would have when closed, while
 * no file the program opens can take its number (an output file opened as
 * descriptor 2 would get the diagnostics). Then SIGINT, SIGTERM, SIGHUP,
 * SIGPIPE and SIGXFSZ (ulimit -f) remove the temporaries of the run before
 * ending it; a signal ignored when the program started stays ignored.
 * Messages then speak the locale's language, or --lang's among argv. */
void cli_start(const char *prog, int argc, char **argv)
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
	cli_i18n_lang(argc, argv);
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = cli_on_signal;
	sa.sa_flags = 0;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction old;
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}
