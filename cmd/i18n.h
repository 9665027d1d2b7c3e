/* Messages of the programs in the user's language: GNU gettext, text domain
 * "murojaat" (the library's messages are in the same domain). */
#ifndef MJ_CLI_I18N_H
#define MJ_CLI_I18N_H

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "murojaat/schema.h"

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

#ifndef MJ_LOCALEDIR
#define MJ_LOCALEDIR "/usr/local/share/locale"
#endif

/* Whether gettext treats the locale called name as untranslated (it then
 * ignores LANGUAGE). */
static inline int cli_locale_is_c(const char *name)
{
	return !name || !*name || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0;
}

/* Makes gettext read LANGUAGE (value) even where the locale of messages is
 * C: under C.UTF-8, which every glibc since 2.35 has built in, it does. */
static inline void cli_language(const char *value)
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
 * tests read the catalogues of the build tree). */
static inline void cli_i18n_start(void)
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
	bindtextdomain("murojaat", dir && *dir ? dir : MJ_LOCALEDIR);
	bind_textdomain_codeset("murojaat", "UTF-8");
	/* strerror() speaks the language too, in UTF-8 rather than in the C
	 * locale's ASCII (LC_CTYPE stays C). */
	bind_textdomain_codeset("libc", "UTF-8");
	textdomain("murojaat");
}

/* --lang LANG (or --lang=LANG) among the arguments before "--" chooses the
 * language of messages too, over the locale. */
static inline void cli_i18n_lang(int argc, char **argv)
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

#endif
