/* Output files written safely (a temporary beside the target, synced and
 * renamed into place), the check that an output is not an input, and the
 * registry of temporaries that a signal handler removes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "murojaat/outfile.h"

/* ---- the registry ------------------------------------------------------ */

/* A slot is FREE, being FILLED by mj_cleanup_add(), or READY for the
 * signal handler; the state is atomic so that the handler never reads a
 * half-written name. */
enum { SLOT_FREE, SLOT_FILLING, SLOT_READY };
/* Room for a report's files open at once: the two dozen charts a batch
 * may hold (see chart_png.c) and the folder and files being written. */
#define SLOTS 64

static struct {
	atomic_int state;
	int dir;
	char path[PATH_MAX];
} slots[SLOTS];

int mj_cleanup_add(const char *path, int dir)
{
	if (!path || strlen(path) >= PATH_MAX)
		return -1;
	for (size_t i = 0; i < SLOTS; i++) {
		int expected = SLOT_FREE;
		if (!atomic_compare_exchange_strong(&slots[i].state, &expected, SLOT_FILLING))
			continue;
		memcpy(slots[i].path, path, strlen(path) + 1);
		slots[i].dir = dir;
		atomic_store(&slots[i].state, SLOT_READY);
		return 0;
	}
	return -1;
}

char *mj_cleanup_mkdtemp(char *template)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	char *made = mkdtemp(template);
	int e = errno;
	if (made)
		mj_cleanup_add(made, 1);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return made;
}

void mj_cleanup_remove(const char *path)
{
	if (!path)
		return;
	for (size_t i = 0; i < SLOTS; i++)
		if (atomic_load(&slots[i].state) == SLOT_READY &&
		    strcmp(slots[i].path, path) == 0) {
			atomic_store(&slots[i].state, SLOT_FREE);
			return;
		}
}

/* Removes name in the folder parent with what it holds, using only calls
 * that are safe in a signal handler (no opendir, no malloc). Folders
 * nested deeper than the temporaries of murojaat ever are are left.
 * Returns unlinkat()'s result for the folder itself. */
static int tree_remove_at(int parent, const char *name, int depth)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		char buf[4096] __attribute__((aligned(8)));
		for (;;) {
			ssize_t n = getdents64(fd, buf, sizeof buf);
			if (n <= 0)
				break;
			for (ssize_t off = 0; off < n;) {
				struct dirent64 *d = (struct dirent64 *)(void *)(buf + off);
				off += d->d_reclen;
				if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
					continue;
				if (unlinkat(fd, d->d_name, 0) != 0 && errno == EISDIR && depth < 6)
					tree_remove_at(fd, d->d_name, depth + 1);
			}
		}
		close(fd);
	}
	return unlinkat(parent, name, AT_REMOVEDIR);
}

void mj_cleanup_signal(void)
{
	int saved = errno;
	for (size_t i = 0; i < SLOTS; i++) {
		if (atomic_load(&slots[i].state) != SLOT_READY)
			continue;
		/* Another thread (a chart's) may still write a file into the
		 * folder while it is emptied: emptied again until it goes. Once
		 * gone, nothing can be made in it. */
		if (slots[i].dir)
			for (int k = 0; k < 1000 && tree_remove_at(AT_FDCWD, slots[i].path, 0) != 0 &&
					errno == ENOTEMPTY; k++)
				;
		else
			unlink(slots[i].path);
	}
	errno = saved;
}

/* ---- output files ------------------------------------------------------ */

static void outfile_free(struct mj_outfile *o)
{
	free(o->path);
	free(o->target);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}

/* Creates a new temporary file beside target with O_EXCL; the name goes
 * into o->tmp and into the registry before any signal can see the file
 * without its name there. Returns the descriptor or -1 with errno. */
static int temp_create(struct mj_outfile *o, mode_t mode)
{
	static atomic_uint counter;
	size_t n = strlen(o->target) + 16;
	o->tmp = malloc(n);
	if (!o->tmp) {
		errno = ENOMEM;
		return -1;
	}
	sigset_t all, old;
	sigfillset(&all);
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned x = (unsigned)getpid() * 2654435761u ^
			     atomic_fetch_add(&counter, 1u) * 40503u ^ (unsigned)time(NULL);
		snprintf(o->tmp, n, "%s.tmp%06x", o->target, x & 0xffffffu);
		pthread_sigmask(SIG_BLOCK, &all, &old);
		int fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
		int e = errno;
		if (fd >= 0)
			mj_cleanup_add(o->tmp, 0);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		if (fd >= 0)
			return fd;
		if (e != EEXIST) {
			errno = e;
			return -1;
		}
	}
	errno = EEXIST;
	return -1;
}

enum mj_status mj_outfile_open(struct mj_outfile *o, const char *path,
			       unsigned flags, struct mj_error *err)
{
	memset(o, 0, sizeof *o);
	if (!path || !*path)
		return mj_error_set(err, MJ_E_USAGE, NULL, 0, 0, "no output file given");
	o->path = strdup(path);
	if (!o->path)
		goto nomem;
	struct stat sb;
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		/* Replace what the link points to, not the link. */
		o->target = realpath(path, NULL);
		if (!o->target && errno != ENOENT) {
			int e = errno;
			outfile_free(o);
			return mj_error_set(err, MJ_E_IO, path, 0, 0, "%s", strerror(e));
		}
	}
	if (!o->target && !(o->target = strdup(path)))
		goto nomem;
	if (stat(o->target, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			outfile_free(o);
			return mj_error_set(err, MJ_E_IO, path, 0, 0,
					    "is a directory; give a file name");
		}
		if (!S_ISREG(sb.st_mode)) {
			/* A device or a FIFO cannot be renamed over. */
			o->fp = fopen(o->target, "wb");
			if (!o->fp) {
				int e = errno;
				outfile_free(o);
				return mj_error_set(err, MJ_E_IO, path, 0, 0,
						    "cannot open: %s", strerror(e));
			}
			return MJ_OK;
		}
	}
	int fd = temp_create(o, flags & MJ_OUTFILE_PRIVATE ? 0600 : 0666);
	if (fd < 0) {
		int e = errno;
		/* The message names the folder, which is what is missing or
		 * not writable. */
		char dir[PATH_MAX];
		const char *slash = strrchr(o->target, '/');
		if (!slash)
			snprintf(dir, sizeof dir, ".");
		else
			snprintf(dir, sizeof dir, "%.*s", slash == o->target ? 1 :
				 (int)(slash - o->target), o->target);
		free(o->tmp);
		o->tmp = NULL;
		outfile_free(o);
		if (e == ENOMEM)
			goto nomem;
		return mj_error_set(err, MJ_E_IO, path, 0, 0,
				    "cannot create a temporary file in '%s': %s",
				    dir, strerror(e));
	}
	o->fp = fdopen(fd, "wb");
	if (!o->fp) {
		int e = errno;
		close(fd);
		mj_outfile_abort(o);
		return mj_error_set(err, MJ_E_IO, path, 0, 0, "%s", strerror(e));
	}
	return MJ_OK;
nomem:
	outfile_free(o);
	return mj_error_set(err, MJ_E_NOMEM, path, 0, 0, "out of memory");
}

enum mj_status mj_outfile_commit(struct mj_outfile *o, struct mj_error *err)
{
	if (!o->fp) {
		outfile_free(o);
		return mj_error_set(err, MJ_E_IO, NULL, 0, 0, "no output file open");
	}
	int e = 0;
	errno = 0;
	if (fflush(o->fp) != 0 || ferror(o->fp))
		e = errno ? errno : EIO;
	else if (o->tmp && fsync(fileno(o->fp)) != 0)
		e = errno;
	if (fclose(o->fp) != 0 && !e)
		e = errno ? errno : EIO;
	o->fp = NULL;
	if (!e && o->tmp && rename(o->tmp, o->target) != 0)
		e = errno;
	if (o->tmp) {
		if (e)
			unlink(o->tmp);
		mj_cleanup_remove(o->tmp);
	}
	char path[sizeof err->path];
	snprintf(path, sizeof path, "%s", o->path ? o->path : "");
	outfile_free(o);
	if (e)
		return mj_error_set(err, MJ_E_IO, path, 0, 0, "cannot write: %s",
				    strerror(e));
	return MJ_OK;
}

void mj_outfile_abort(struct mj_outfile *o)
{
	if (!o)
		return;
	if (o->fp)
		fclose(o->fp);
	o->fp = NULL;
	if (o->tmp) {
		unlink(o->tmp);
		mj_cleanup_remove(o->tmp);
	}
	outfile_free(o);
}

/* ---- outputs that are inputs ------------------------------------------- */

/* The input's name for messages. */
static const char *input_name(const char *input)
{
	return strcmp(input, "-") == 0 ? "standard input" : input;
}

/* Whether the file named input (or "-") lies inside the folder real. */
static int inside(const char *real, const char *input)
{
	char *p = realpath(strcmp(input, "-") == 0 ? "/proc/self/fd/0" : input, NULL);
	if (!p)
		return 0;
	size_t n = strlen(real);
	int in = strncmp(p, real, n) == 0 && (p[n] == '/' || (n == 1 && real[0] == '/'));
	free(p);
	return in;
}

enum mj_status mj_outfile_check_inputs(const char *output,
				       const char *const *inputs, size_t n,
				       struct mj_error *err)
{
	static const char *const stdin_only[] = {"-"};
	struct stat out;
	if (!output || strcmp(output, "-") == 0 || stat(output, &out) != 0)
		return MJ_OK;
	if (n == 0) {
		inputs = stdin_only;
		n = 1;
	}
	if (S_ISDIR(out.st_mode)) {
		char *real = realpath(output, NULL);
		enum mj_status st = MJ_OK;
		for (size_t i = 0; real && i < n && st == MJ_OK; i++)
			if (inside(real, inputs[i]))
				st = mj_error_set(err, MJ_E_USAGE, output, 0, 0,
						  "holds the input \"%s\"; refusing to replace a "
						  "folder with an input in it (give another folder)",
						  input_name(inputs[i]));
		free(real);
		return st;
	}
	if (!S_ISREG(out.st_mode))
		return MJ_OK;
	for (size_t i = 0; i < n; i++) {
		struct stat in;
		int got = strcmp(inputs[i], "-") == 0 ? fstat(0, &in) : stat(inputs[i], &in);
		if (got == 0 && in.st_dev == out.st_dev && in.st_ino == out.st_ino)
			return mj_error_set(err, MJ_E_USAGE, output, 0, 0,
					    "is the same file as the input \"%s\"; refusing to "
					    "write over an input (give another output file)",
					    input_name(inputs[i]));
	}
	return MJ_OK;
}
