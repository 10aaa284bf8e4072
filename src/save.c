/* --save: a body streamed to disk with uv_fs_open, uv_fs_write,
 * uv_fs_close and uv_fs_rename (or uv_fs_unlink), one operation in
 * flight at a time on the thread pool, so the loop never waits on the
 * disk. Bytes queue in memory meanwhile; past SAVE_HIGH the caller is
 * told to pause the transfer, and drain_cb says when to go on. */
#include "config.h"

#include "save.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Queued bytes above which save_full() is true, and below which a
 * paused writer is told to go on. */
#define SAVE_HIGH (1024 * 1024)
#define SAVE_LOW  (256 * 1024)

enum save_state {
  SAVE_IDLE,    /* nothing in flight */
  SAVE_OPENING, /* uv_fs_open in flight */
  SAVE_WRITING, /* uv_fs_write in flight */
  SAVE_CLOSING, /* uv_fs_close in flight */
  SAVE_MOVING   /* uv_fs_rename or uv_fs_unlink in flight */
};

struct save {
  uv_loop_t *loop;
  uv_fs_t req; /* the one operation in flight */
  enum save_state state;
  char *tmp_path;
  char *final_path; /* set by save_finish() */
  uv_file fd;       /* -1 until open */
  int error;        /* the first libuv error, 0 if none */
  char *buf;        /* queued bytes: [0, len) */
  size_t len, cap;
  char *out; /* the bytes being written: [0, out_len) */
  size_t out_len, out_cap;
  bool opened;    /* the open was started */
  bool was_full;  /* save_full() said true: call drain_cb */
  bool finishing; /* save_finish() was called */
  bool keep;
  save_drain_fn *drain_cb;
  save_done_fn *done_cb;
  void *ud, *done_ud;
};

static void kick(struct save *s);

struct save *save_new(uv_loop_t *loop, const char *tmp_path,
                      save_drain_fn *drain_cb, void *ud)
{
  struct save *s = xcalloc(1, sizeof(*s));

  s->loop = loop;
  s->tmp_path = xstrdup(tmp_path);
  s->fd = -1;
  s->drain_cb = drain_cb;
  s->ud = ud;
  s->req.data = s;
  return s;
}

bool save_full(const struct save *s)
{
  return s->len + s->out_len > SAVE_HIGH;
}

void save_write(struct save *s, const char *p, size_t n)
{
  if (s->error || n == 0)
    return; /* The error is reported by save_finish(). */
  if (s->cap - s->len < n) {
    while (s->cap - s->len < n)
      s->cap = s->cap ? s->cap * 2 : 64 * 1024;
    s->buf = xrealloc(s->buf, s->cap);
  }
  memcpy(s->buf + s->len, p, n);
  s->len += n;
  if (save_full(s))
    s->was_full = true;
  kick(s);
}

static void finish_done(struct save *s, int status)
{
  save_done_fn *cb = s->done_cb;
  void *ud = s->done_ud;
  char *path = s->final_path;

  s->final_path = NULL;
  free(s->tmp_path);
  free(s->buf);
  free(s->out);
  free(s);
  cb(status, path, ud);
  free(path);
}

/* The status save_finish() reports once the file is renamed or gone. */
static int final_status(const struct save *s, ssize_t result)
{
  if (!s->keep)
    return 0;
  if (s->error)
    return s->error;
  return result < 0 ? (int)result : 0;
}

static void fs_cb(uv_fs_t *req)
{
  struct save *s = req->data;
  ssize_t result = req->result;
  enum save_state was = s->state;

  uv_fs_req_cleanup(req);
  s->state = SAVE_IDLE;
  switch (was) {
  case SAVE_OPENING:
    if (result < 0)
      s->error = (int)result;
    else
      s->fd = (uv_file)result;
    break;
  case SAVE_WRITING:
    if (result < 0) {
      s->error = (int)result;
      s->out_len = 0;
    } else if ((size_t)result < s->out_len) {
      /* A short write: keep the rest at the front. */
      memmove(s->out, s->out + result, s->out_len - (size_t)result);
      s->out_len -= (size_t)result;
    } else {
      s->out_len = 0;
    }
    break;
  case SAVE_CLOSING:
    if (result < 0 && !s->error)
      s->error = (int)result;
    s->fd = -1;
    break;
  case SAVE_MOVING:
    finish_done(s, final_status(s, result));
    return;
  case SAVE_IDLE:
    break;
  }
  if (s->was_full && s->len + s->out_len < SAVE_LOW) {
    s->was_full = false;
    if (s->drain_cb && !s->finishing)
      s->drain_cb(s->ud);
  }
  kick(s);
}

/* Note that "state" is in flight, or handle its failure to start ("rc"
 * negative); returns whether kick() must look again. */
static bool started(struct save *s, enum save_state state, int rc)
{
  if (rc >= 0) {
    s->state = state;
    return false;
  }
  if (!s->error)
    s->error = rc;
  if (state == SAVE_CLOSING)
    s->fd = -1; /* The descriptor is lost either way. */
  return true;
}

/* Start the next operation when none is in flight: open on the first
 * bytes, write what is queued, and once finishing close, then rename or
 * remove. */
static void kick(struct save *s)
{
  uv_buf_t b;

again:
  if (s->state != SAVE_IDLE)
    return;
  if (s->error)
    s->len = s->out_len = 0; /* Nothing more reaches the disk. */
  if (!s->opened && !s->error && (s->len > 0 || (s->finishing && s->keep))) {
    s->opened = true;
    if (started(s, SAVE_OPENING,
                uv_fs_open(s->loop, &s->req, s->tmp_path,
                           O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644,
                           fs_cb)))
      goto again;
    return;
  }
  if (s->out_len == 0 && s->len > 0) {
    char *t = s->out;
    size_t tc = s->out_cap;

    s->out = s->buf;
    s->out_cap = s->cap;
    s->out_len = s->len;
    s->buf = t;
    s->cap = tc;
    s->len = 0;
  }
  if (s->out_len > 0 && s->fd >= 0) {
    b = uv_buf_init(s->out, (unsigned)s->out_len);
    if (started(s, SAVE_WRITING,
                uv_fs_write(s->loop, &s->req, s->fd, &b, 1, -1, fs_cb)))
      goto again;
    return;
  }
  if (!s->finishing)
    return;
  if (s->fd >= 0) {
    if (started(s, SAVE_CLOSING, uv_fs_close(s->loop, &s->req, s->fd, fs_cb)))
      goto again;
    return;
  }
  if (s->keep && !s->error) {
    if (!started(
            s, SAVE_MOVING,
            uv_fs_rename(s->loop, &s->req, s->tmp_path, s->final_path, fs_cb)))
      return;
  } else if (s->opened) {
    /* A failed or discarded body: no partial file stays behind. */
    s->opened = false;
    if (!started(s, SAVE_MOVING,
                 uv_fs_unlink(s->loop, &s->req, s->tmp_path, fs_cb)))
      return;
  }
  finish_done(s, final_status(s, 0));
}

void save_finish(struct save *s, bool keep, const char *final_path,
                 save_done_fn *done_cb, void *ud)
{
  s->finishing = true;
  s->keep = keep;
  s->final_path = xstrdup(final_path ? final_path : "");
  s->done_cb = done_cb;
  s->done_ud = ud;
  if (!keep)
    s->len = 0; /* Nothing more needs to reach the disk. */
  kick(s);
}
