/* Translation of the library's messages: the text domain "murojaat" of GNU
 * gettext. Library-private; the program binds the domain (cmd/i18n.h). */
#ifndef MJ_I18N_H
#define MJ_I18N_H

#include <libintl.h>

#define MJ_TEXT_DOMAIN "murojaat"

/* A message in the language of LC_MESSAGES/LANGUAGE, else as written. */
#define MJ_(msgid) dgettext(MJ_TEXT_DOMAIN, msgid)
/* Marks a message for extraction where it is translated later (tables). */
#define MJ_N_(msgid) (msgid)

#endif
