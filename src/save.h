/* --save: one response body streamed to a file through libuv's thread
 * pool, under an unpredictable temporary name in the directory, renamed
 * when complete; never blocks the loop and never follows a symbolic link.
 * Owns its libuv requests and buffers; knows nothing of requests or
 * records. */
#ifndef VOLLEY_SAVE_H
#define VOLLEY_SAVE_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

#include "util.h"

struct save;

/* --save DIR, before the loop runs: create "dir" and its missing parents
 * (as mkdir -p, following what the user's path names), then open it.
 * Returns the directory's descriptor, or -1 with "err" filled. */
int save_dir_open(const char *dir, char err[VL_ERRLEN]);

/* The bytes queued fell below the low watermark after save_write() said
 * "full": the writer may go on. Called from the loop. */
typedef void save_drain_fn(void *ud);

/* save_close() is done. "status" is 0 when the body is kept under the
 * final name, or was discarded as asked; else a negative libuv error,
 * and "what" (valid during the call only) names the operation and the
 * error ("write: no space left on device"). No temporary file is left
 * either way. Called from the loop; the save is freed after it returns. */
typedef void save_done_fn(int status, const char *what, void *ud);

/* A save into a new file in the directory open as "dirfd" (borrowed: it
 * must stay open until done_cb). The file is created on the first write,
 * or by save_close() for an empty body, with O_CREAT|O_EXCL|O_NOFOLLOW
 * under a random hidden name, relative to "dirfd". Never fails here:
 * errors come back through save_close(). "drain_cb" may be NULL. */
struct save *save_new(uv_loop_t *loop, int dirfd, save_drain_fn *drain_cb,
                      void *ud);

/* Whether more than the high watermark is queued: the caller should
 * stop feeding (pause the transfer) until drain_cb. */
bool save_full(const struct save *s);

/* Queue "n" bytes of "p" (copied). */
void save_write(struct save *s, const char *p, size_t n);

/* Write what is queued, close, then when "keep" rename the file to
 * "name" (a relative path without empty, "." or ".." components, copied:
 * missing directories are created, a symbolic link on the way fails the
 * save, one at the final name is replaced, not followed), else remove
 * it; then call "done_cb" and free "s". A failed mkdir or rename removes
 * the file too. "done_cb" may run inside this call. */
void save_close(struct save *s, bool keep, const char *name,
                save_done_fn *done_cb, void *ud);

/* save_close(), but the last job (what is queued, the close and the
 * rename or removal) is the caller's to run, in a thread-pool job of its
 * own, so that a page parsed there too makes one trip to the pool, not
 * two. Returns true when the caller must run it: save_run() in the
 * thread pool, then save_ran(s, true) on the loop; or, if its job never
 * ran (cancelled before it started), save_ran(s, false), which queues it
 * as save_close() would. Returns false when a job of save's own is in
 * flight or nothing is on disk: save_close() then goes on alone
 * ("done_cb" may have run inside this call). */
bool save_close_with(struct save *s, bool keep, const char *name,
                     save_done_fn *done_cb, void *ud);
void save_run(struct save *s);
void save_ran(struct save *s, bool ran);

/* save_close() without keeping the file, for an attempt whose body is
 * not wanted (a retry starts a new file): a leftover temporary file is
 * harmless, so the outcome is not reported. "s" may be NULL. */
void save_discard(struct save *s);

#endif
