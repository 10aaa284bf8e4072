/* --save: one response body streamed to a file through uv_fs_*, under a
 * temporary name, renamed when complete; never blocks the loop. Owns its
 * uv_fs_t requests and buffers; knows nothing of requests or records. */
#ifndef VOLLEY_SAVE_H
#define VOLLEY_SAVE_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

struct save;

/* The bytes queued fell below the low watermark after save_write() said
 * "full": the writer may go on. Called from the loop. */
typedef void save_drain_fn(void *ud);

/* save_finish() is done: "path" (the final name) holds the body when
 * "status" is 0 and the body was kept; else "status" is a libuv error
 * or 0 for a discarded body. Called from the loop; the save is freed
 * after it returns. */
typedef void save_done_fn(int status, const char *path, void *ud);

/* A save into "tmp_path" (created and truncated on the first write, or
 * by save_finish() for an empty body). Never fails here: errors come
 * back through save_finish(). "drain_cb" may be NULL. */
struct save *save_new(uv_loop_t *loop, const char *tmp_path,
                      save_drain_fn *drain_cb, void *ud);

/* Whether more than the high watermark is queued: the caller should
 * stop feeding (pause the transfer) until drain_cb. */
bool save_full(const struct save *s);

/* Queue "n" bytes of "p" (copied). */
void save_write(struct save *s, const char *p, size_t n);

/* Write what is queued, close, then rename to "final_path" when "keep"
 * (else remove the temporary file), then call "done_cb" and free "s".
 * "final_path" is copied. */
void save_finish(struct save *s, bool keep, const char *final_path,
                 save_done_fn *done_cb, void *ud);

#endif
