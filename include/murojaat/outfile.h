/* Output files written safely: one rule for every file a program of
 * murojaat writes, and the temporaries a signal must not leave behind. */
#ifndef MUROJAAT_OUTFILE_H
#define MUROJAAT_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "murojaat/error.h"

/* Flags of mj_outfile_open(). */
enum {
	/* Created readable and writable by the owner only (0600): files
	 * that hold raw rows (mj-check --fix and --rejects, mj-synth).
	 * Without it a file is created 0666 less the umask, as any file. */
	MJ_OUTFILE_PRIVATE = 1u << 0,
};

/* A file being written. The rules, the same everywhere:
 *  - A regular file (or a name not yet taken) is written to a temporary
 *    file beside it, "TARGET.tmpXXXXXX", which is synced and renamed into
 *    place by mj_outfile_commit(): a failed or killed run leaves the old
 *    file as it was. The new file has the mode of the flags, not the old
 *    file's.
 *  - A symbolic link is followed: the file it points to is replaced (in
 *    its own folder) and the link is kept. A link that points nowhere is
 *    replaced by the file.
 *  - Anything else that exists and is not a folder (a device such as
 *    /dev/stdout or /dev/null, a FIFO, a socket) is opened and written in
 *    place: there is nothing to rename over. tmp is then NULL.
 *  - A folder is an error (EISDIR).
 * The temporary's name is registered for mj_cleanup_signal() until
 * commit or abort. The fields may be read; the struct is owned by the
 * caller and zero-initialised is a valid "nothing open" state. */
struct mj_outfile {
	char *path;   /* the name given, for messages */
	char *target; /* the file replaced (the link's target when a link) */
	char *tmp;    /* the temporary file, or NULL when written in place */
	FILE *fp;     /* open for writing, binary */
};

/* Opens path as above. Returns MJ_OK, MJ_E_IO (err names path and the
 * failed call) or MJ_E_NOMEM; on failure o is left empty. */
enum mj_status mj_outfile_open(struct mj_outfile *o, const char *path,
			       unsigned flags, struct mj_error *err);

/* Flushes, syncs, closes and renames the file into place. Whatever the
 * result, o is left empty and no temporary remains. Returns MJ_OK or
 * MJ_E_IO (err names the path). */
enum mj_status mj_outfile_commit(struct mj_outfile *o, struct mj_error *err);

/* Closes and removes the temporary; the target is left as it was. No
 * operation is performed on an empty o. */
void mj_outfile_abort(struct mj_outfile *o);

/* Checks that writing output would not destroy one of the inputs, before
 * anything is written. Files are compared by device and inode, so another
 * name, a hard link or a symbolic link of an input is found; "-" (and no
 * input at all) stands for standard input. When output is an existing
 * folder (mj-report), an input inside it is refused. An output that does
 * not exist yet, or is a device or FIFO, is not an input. Returns MJ_OK
 * or MJ_E_USAGE with err naming output and the input. */
enum mj_status mj_outfile_check_inputs(const char *output,
				       const char *const *inputs, size_t n,
				       struct mj_error *err);

/* ---- temporaries removed on a signal ---------------------------------- */

/* Registers path (a file, or a folder to remove with what is in it when
 * dir is not 0) to be removed by mj_cleanup_signal(). Returns 0, or -1
 * when the registry (32 names) is full or the name too long; the path is
 * then only not removed on a signal. The library registers its own
 * temporaries; a program calls this only for temporaries of its own. */
int mj_cleanup_add(const char *path, int dir);

/* mkdtemp(template) and mj_cleanup_add(template, 1) with every signal
 * blocked in between, so that no signal finds the new folder without its
 * name in the registry. Returns template, or NULL with errno. */
char *mj_cleanup_mkdtemp(char *template);

/* Forgets path (renamed into place or removed). No operation is performed
 * if it is not registered. */
void mj_cleanup_remove(const char *path);

/* Removes every registered temporary. Async-signal-safe: for a signal
 * handler, which then re-raises the signal. */
void mj_cleanup_signal(void);

#endif
