/* The record writer. Owns a uv_prepare_t that flushes once per loop turn,
 * a uv_timer_t that holds a file's writes back, two buffers (one being
 * written, one filling), and the stdout stream or the -o file. One write
 * is in flight at a time: a file written at its current offset must not
 * see two writes race in the thread pool, and a stream gains nothing from
 * more. A stream (pipe, TTY) is written on the loop thread, without
 * blocking, once per loop turn. A file is written in the thread pool, and
 * each write is a trip there and back, which a crawl pays for with its
 * pages' parsing: so a file's next write starts OUTPUT_FILE_MS after the
 * last one began, or once OUTPUT_FILE_BATCH bytes wait. Files are fsync'ed
 * at most once a second, off the loop thread, and at close. */
#include "config.h"

#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "stats.h"
#include "stdstream.h"

/* Queued bytes above which the caller is told to pause, and below which
 * it may resume. */
#define OUTPUT_HIGH (1024 * 1024)
#define OUTPUT_LOW  (256 * 1024)
/* A batch this large is written without waiting for the loop turn. */
#define OUTPUT_BATCH (256 * 1024)
/* Least time between two fsyncs of a file. */
#define OUTPUT_SYNC_MS 1000
/* A file's writes: one begins at most every OUTPUT_FILE_MS, unless
 * OUTPUT_FILE_BATCH bytes wait. On the db5.3 docs crawl this took the
 * writes of its 5,000 records from 4,000 to 60. */
#define OUTPUT_FILE_MS    20
#define OUTPUT_FILE_BATCH (64 * 1024)

struct output {
  uv_loop_t *loop;
  uv_prepare_t prepare;       /* flushes "fill" before the loop blocks */
  uv_timer_t timer;           /* starts a file's write that was held back */
  uint64_t written_ms;        /* uv_now() when a file's last write began */
  struct stats_output *count; /* output_count_into()'s, or NULL */
  uv_stream_t *stream;        /* stdout as pipe or TTY; NULL for a file */
  uv_file fd;                 /* the file written with uv_fs_write, or -1 */
  bool own_fd;                /* close "fd" at the end (-o FILE) */
  bool is_regular;            /* fsync makes sense */
  union {
    uv_write_t write;
    uv_fs_t fs;
  } req;              /* the one operation in flight */
  bool busy;          /* "req" is in flight */
  struct buf fill;    /* records queued since the last write began */
  struct buf out;     /* the bytes being written */
  size_t out_done;    /* bytes of "out" written (short file writes) */
  bool high;          /* above the high watermark, caller told */
  bool failed;        /* a write failed: drop everything */
  bool dirty;         /* written since the last fsync */
  uint64_t synced_ms; /* uv_now() at the last fsync */
  bool closing;       /* output_close() was called */
  int handles;        /* open uv handles; free when 0 after closing */
  output_pressure_fn *pressure_cb;
  output_error_fn *error_cb;
  output_closed_fn *closed_cb;
  void *ud;
};

static void kick(struct output *o);

static void maybe_free(struct output *o)
{
  if (o->handles > 0 || o->busy)
    return;
  buf_free(&o->fill);
  buf_free(&o->out);
  if (o->closed_cb)
    o->closed_cb(o->ud);
  free(o);
}

static void handle_close_cb(uv_handle_t *h)
{
  struct output *o = h->data;

  o->handles--;
  maybe_free(o);
}

static void stream_closed_cb(void *data)
{
  struct output *o = data;

  o->stream = NULL;
  o->handles--;
  maybe_free(o);
}

/* Close what is open once nothing is queued or in flight. */
static void close_all(struct output *o)
{
  if (o->own_fd && o->fd >= 0) {
    uv_fs_t req;

    /* The final fsync ran already (kick); close(2) does not wait long. */
    (void)uv_fs_close(NULL, &req, o->fd, NULL);
    uv_fs_req_cleanup(&req);
    o->fd = -1;
  }
  if (o->stream && !uv_is_closing((uv_handle_t *)o->stream))
    stdstream_close(o->stream, stream_closed_cb);
  if (!uv_is_closing((uv_handle_t *)&o->prepare))
    uv_close((uv_handle_t *)&o->prepare, handle_close_cb);
  if (!uv_is_closing((uv_handle_t *)&o->timer))
    uv_close((uv_handle_t *)&o->timer, handle_close_cb);
}

size_t output_queued(const struct output *o)
{
  return o->fill.len + (o->out.len - o->out_done);
}

static void check_low(struct output *o)
{
  if (o->high && output_queued(o) < OUTPUT_LOW) {
    o->high = false;
    if (o->pressure_cb && !o->closing)
      o->pressure_cb(false, o->ud);
  }
}

static void fail(struct output *o, int status)
{
  if (o->failed)
    return;
  o->failed = true;
  o->fill.len = 0;
  o->out.len = o->out_done = 0;
  check_low(o);
  if (o->error_cb)
    o->error_cb(status, o->ud);
}

static void op_done(struct output *o, int status)
{
  o->busy = false;
  if (status < 0)
    fail(o, status);
  check_low(o);
  kick(o);
}

static void stream_write_cb(uv_write_t *req, int status)
{
  struct output *o = req->data;

  if (status == 0 && o->count)
    o->count->bytes += o->out.len - o->out_done;
  o->out_done = o->out.len;
  op_done(o, status);
}

static void fs_write_cb(uv_fs_t *req)
{
  struct output *o = req->data;
  ssize_t n = req->result;

  uv_fs_req_cleanup(req);
  if (n >= 0) {
    o->out_done += (size_t)n;
    o->dirty = true;
    if (o->count)
      o->count->bytes += (uint64_t)n;
  }
  op_done(o, n < 0 ? (int)n : 0);
}

static void fs_sync_cb(uv_fs_t *req)
{
  struct output *o = req->data;
  ssize_t n = req->result;

  uv_fs_req_cleanup(req);
  /* EINVAL: a pipe or device given as file; not worth failing for. */
  op_done(o, n < 0 && n != UV_EINVAL && n != UV_EROFS ? (int)n : 0);
}

static int start_sync(struct output *o)
{
  o->dirty = false;
  o->synced_ms = uv_now(o->loop);
  o->req.fs.data = o;
  return uv_fs_fsync(o->loop, &o->req.fs, o->fd, fs_sync_cb);
}

static void timer_cb(uv_timer_t *h)
{
  kick(h->data);
}

/* Whether the next write of "fill" waits, with the timer set to start it:
 * a file's, less than OUTPUT_FILE_MS after the last one began, while less
 * than OUTPUT_FILE_BATCH bytes wait, and not when closing. */
static bool hold_back(struct output *o)
{
  uint64_t now = uv_now(o->loop);

  if (o->stream || o->closing || o->fill.len >= OUTPUT_FILE_BATCH ||
      now - o->written_ms >= OUTPUT_FILE_MS)
    return false;
  if (!uv_is_active((uv_handle_t *)&o->timer))
    (void)uv_timer_start(&o->timer, timer_cb,
                         OUTPUT_FILE_MS - (now - o->written_ms), 0);
  return true;
}

/* Start the next operation if none is in flight: the rest of "out", else
 * "fill" swapped in (unless held back), else a due fsync; else, when
 * closing, close_all(). */
static void kick(struct output *o)
{
  uv_buf_t b;
  int rc;

  if (o->busy)
    return;
  if (o->failed) {
    if (o->closing)
      close_all(o);
    return;
  }
  if (o->out_done == o->out.len && o->fill.len > 0) {
    struct buf t = o->out;

    if (hold_back(o))
      return;
    o->out = o->fill;
    o->fill = t;
    o->fill.len = 0;
    o->out_done = 0;
  }
  if (o->out_done < o->out.len) {
    b = uv_buf_init(o->out.p + o->out_done,
                    (unsigned)(o->out.len - o->out_done));
    if (o->count)
      o->count->writes++;
    if (o->stream) {
      o->req.write.data = o;
      rc = uv_write(&o->req.write, o->stream, &b, 1, stream_write_cb);
    } else {
      o->req.fs.data = o;
      o->written_ms = uv_now(o->loop);
      rc = uv_fs_write(o->loop, &o->req.fs, o->fd, &b, 1, -1, fs_write_cb);
    }
    if (rc < 0) {
      fail(o, rc);
      if (o->closing)
        close_all(o);
      return;
    }
    o->busy = true;
    return;
  }
  o->out.len = o->out_done = 0;
  if (o->is_regular && o->dirty &&
      (o->closing || uv_now(o->loop) - o->synced_ms >= OUTPUT_SYNC_MS)) {
    if (start_sync(o) == 0) {
      o->busy = true;
      return;
    }
  }
  if (o->closing)
    close_all(o);
}

static void prepare_cb(uv_prepare_t *h)
{
  struct output *o = h->data;

  /* Stopped until the next record: no work on idle turns. */
  (void)uv_prepare_stop(h); /* Cannot fail. */
  kick(o);
}

void output_write(struct output *o, const char *p, size_t len)
{
  struct buf *f = &o->fill;

  if (o->failed || o->closing)
    return;
  buf_put(f, p, len);
  if (f->len >= OUTPUT_BATCH)
    kick(o);
  else
    (void)uv_prepare_start(&o->prepare, prepare_cb); /* Cannot fail. */
  if (!o->high && output_queued(o) > OUTPUT_HIGH) {
    o->high = true;
    if (o->pressure_cb)
      o->pressure_cb(true, o->ud);
  }
}

void output_count_into(struct output *o, struct stats_output *count)
{
  o->count = count;
}

void output_close(struct output *o, output_closed_fn *closed_cb)
{
  o->closing = true;
  o->closed_cb = closed_cb;
  (void)uv_prepare_stop(&o->prepare); /* Cannot fail. */
  kick(o);
}

static int open_stdout(struct output *o, char err[VL_ERRLEN])
{
  struct stat st;

  if (stdstream_open(o->loop, 1, STDSTREAM_SOCKET, &o->stream, err) < 0)
    return -1;
  if (o->stream) {
    o->stream->data = o;
    o->handles++;
    return 0;
  }
  o->fd = 1;
  o->is_regular = fstat(1, &st) == 0 && S_ISREG(st.st_mode);
  return 0;
}

int output_check_not_input(const char *path, const char *const *inputs,
                           size_t n, bool from_stdin, char err[VL_ERRLEN])
{
  struct stat out, in;
  size_t i;

  if (!path || stat(path, &out) < 0)
    return 0; /* a new file is no input; output_open() reports errors */
  for (i = 0; i < n; i++) {
    if (strcmp(inputs[i], "-") == 0) {
      from_stdin = true;
      continue;
    }
    if (stat(inputs[i], &in) == 0 && in.st_dev == out.st_dev &&
        in.st_ino == out.st_ino) {
      snprintf(err, VL_ERRLEN, "-o: '%.100s' is also an input (-i '%.100s')",
               path, inputs[i]);
      return -1;
    }
  }
  if (from_stdin && fstat(0, &in) == 0 && S_ISREG(in.st_mode) &&
      in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
    snprintf(err, VL_ERRLEN, "-o: '%.200s' is also the standard input", path);
    return -1;
  }
  return 0;
}

int output_open(struct output **out, uv_loop_t *loop, const char *path,
                enum output_mode mode, output_pressure_fn *pressure_cb,
                output_error_fn *error_cb, void *ud, char err[VL_ERRLEN])
{
  struct output *o = xcalloc(1, sizeof(*o));
  int rc;

  *out = NULL;
  o->loop = loop;
  o->fd = -1;
  o->pressure_cb = pressure_cb;
  o->error_cb = error_cb;
  o->ud = ud;
  o->synced_ms = uv_now(loop);
  rc = uv_prepare_init(loop, &o->prepare);
  if (rc < 0) {
    snprintf(err, VL_ERRLEN, "output: %s", uv_strerror(rc));
    free(o);
    return -1;
  }
  o->prepare.data = o;
  o->handles++;
  (void)uv_timer_init(loop, &o->timer); /* Cannot fail. */
  o->timer.data = o;
  o->handles++;

  if (!path) {
    if (open_stdout(o, err) < 0)
      goto fail;
  } else {
    uv_fs_t req;
    struct stat st;
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC |
                (mode == OUTPUT_APPEND ? O_APPEND : O_TRUNC);

    /* Synchronous, before the loop runs: a bad path is found at once. */
    rc = uv_fs_open(NULL, &req, path, flags, 0644, NULL);
    uv_fs_req_cleanup(&req);
    if (rc < 0) {
      snprintf(err, VL_ERRLEN, "-o: cannot open '%s': %s", path,
               uv_strerror(rc));
      goto fail;
    }
    o->fd = rc;
    o->own_fd = true;
    o->is_regular = fstat(o->fd, &st) == 0 && S_ISREG(st.st_mode);
  }
  *out = o;
  return 0;
fail:
  /* Nothing was queued: closing frees "o" once the handles are closed. */
  o->failed = true;
  o->closing = true;
  close_all(o);
  return -1;
}
