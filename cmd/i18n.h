/* Messages of the programs in the user's language: GNU gettext, text domain
 * "murojaat" (the library's messages are in the same domain). */
#ifndef MJ_CLI_I18N_H
#define MJ_CLI_I18N_H

#include <libintl.h>

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

#endif
