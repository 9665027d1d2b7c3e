/* A copy of standard input in a temporary file without a name, so that
 * records piped in can be read more than once (a report's passes, a
 * comparison with another period). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "murojaat/tab.h"

static enum mj_status copy_stdin(int *fd_out, char *path, size_t len, struct mj_error *err)
{
	const char *dir = g_get_tmp_dir();
	/* The records are survivors' data: the file is the user's alone and
	 * has no name, so it vanishes with the process however it ends. */
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		/* File systems without O_TMPFILE: a named file, unlinked now. */
		char *tmpl = g_build_filename(dir, "murojaat-stdin.XXXXXX", NULL);
		fd = mkostemp(tmpl, O_CLOEXEC);
		if (fd >= 0)
			unlink(tmpl);
		g_free(tmpl);
	}
	if (fd < 0)
		return mj_error_set(err, MJ_E_IO, dir, 0, 0,
				    "cannot make a temporary file for standard input: %s",
				    strerror(errno));
	char buf[1 << 16];
	for (;;) {
		ssize_t got = read(0, buf, sizeof buf);
		if (got == 0)
			break;
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			close(fd);
			return mj_error_set(err, MJ_E_IO, "<stdin>", 0, 0, "%s", strerror(e));
		}
		for (ssize_t off = 0; off < got;) {
			ssize_t put = write(fd, buf + off, (size_t)(got - off));
			if (put < 0 && errno == EINTR)
				continue;
			if (put < 0) {
				int e = errno;
				close(fd);
				return mj_error_set(err, MJ_E_IO, dir, 0, 0,
					"cannot copy standard input to a temporary file: %s",
					strerror(e));
			}
			off += put;
		}
	}
	/* The readers open files by name; this one is reached through the
	 * process's descriptor. */
	snprintf(path, len, "/proc/self/fd/%d", fd);
	*fd_out = fd;
	return MJ_OK;
}

enum mj_status mj_run_copy_stdin(struct mj_run_opts *opts, const char *const *files,
				 size_t nfiles, struct mj_stdin_copy *copy,
				 struct mj_error *err)
{
	copy->fd = -1;
	copy->path[0] = '\0';
	int piped = nfiles == 0;
	for (size_t f = 0; f < nfiles; f++)
		piped |= strcmp(files[f], "-") == 0;
	if (!piped)
		return MJ_OK;
	enum mj_status st = copy_stdin(&copy->fd, copy->path, sizeof copy->path, err);
	if (st == MJ_OK)
		opts->stdin_copy = copy->path;
	return st;
}

void mj_stdin_copy_close(struct mj_stdin_copy *copy)
{
	if (copy && copy->fd >= 0) {
		close(copy->fd);
		copy->fd = -1;
	}
}
