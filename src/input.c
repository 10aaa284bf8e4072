/* The streaming input reader. Owns a buffer of at most one long line plus
 * a block, the open files and, for a pipe or TTY on stdin, a libuv
 * stream. Reads a block only when input_next() ran out of lines: the
 * consumer's pace, not the input's size, sets the memory used. */
#include "config.h"

#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stdstream.h"

/* Bytes asked for in one read. */
#define INPUT_BLOCK (64 * 1024)
/* Longest line handed out whole; a longer one is cut and flagged. */
#define INPUT_LINE_MAX (16 * 1024 * 1024)

struct source {
  const char *name; /* for messages */
  uv_file fd;       /* -1 for a stream source */
  bool own_fd;      /* close "fd" at the end (not stdin) */
};

struct input {
  uv_loop_t *loop;
  struct source *src;
  size_t nsrc;
  size_t cur;          /* index of the source being read */
  uv_stream_t *stream; /* stdin as a pipe or TTY, else NULL */
  uv_fs_t req;         /* the file read in flight */
  bool reading;        /* a read is in flight */
  bool done;           /* every source is at its end */
  bool stopped;        /* input_stop() was called */
  bool closing;        /* input_close() ran; free when the read returns */
  bool skipping;       /* dropping the rest of an overlong line */
  int error;           /* a negative libuv error, 0 if none */
  char *buf;
  size_t start;   /* first byte not handed out */
  size_t scanned; /* [start, scanned) holds no '\n' */
  size_t end;     /* bytes filled */
  size_t cap;
  uint64_t lineno;
  uint64_t taken;     /* bytes handed out, newlines included */
  uint64_t total;     /* the regular files' sizes, summed */
  bool total_unknown; /* a source is not a regular file */
  input_ready_fn *ready_cb;
  void *ud;
};

static void free_input(struct input *in)
{
  size_t i;

  for (i = 0; i < in->nsrc; i++)
    if (in->src[i].own_fd && in->src[i].fd >= 0) {
      uv_fs_t req;

      /* Closing a file we only read cannot block for long. */
      (void)uv_fs_close(NULL, &req, in->src[i].fd, NULL);
      uv_fs_req_cleanup(&req);
    }
  free(in->src);
  free(in->buf);
  free(in);
}

static void stream_closed_cb(void *data)
{
  struct input *in = data;

  in->stream = NULL;
  if (in->reading) {
    /* A file read of a later source is still out: it frees "in". */
    in->closing = true;
    return;
  }
  free_input(in);
}

/* Make room for a block at "end": compact, then grow if a line is long. */
static void make_room(struct input *in)
{
  if (in->start > 0 && in->cap - in->end < INPUT_BLOCK) {
    memmove(in->buf, in->buf + in->start, in->end - in->start);
    in->end -= in->start;
    in->scanned -= in->start;
    in->start = 0;
  }
  if (in->cap - in->end < INPUT_BLOCK) {
    in->cap = in->end + INPUT_BLOCK;
    in->buf = xrealloc(in->buf, in->cap);
  }
}

static void got_data(struct input *in, ssize_t n)
{
  in->reading = false;
  if (n > 0) {
    in->end += (size_t)n;
  } else if (n == 0 || n == UV_EOF) {
    /* This source is at its end; the next one is read on demand. */
    in->cur++;
    if (in->cur >= in->nsrc)
      in->done = true;
  } else {
    in->error = (int)n;
    in->done = true;
  }
}

static void fs_read_cb(uv_fs_t *req)
{
  struct input *in = req->data;
  ssize_t n = req->result;

  uv_fs_req_cleanup(req);
  if (in->closing) {
    free_input(in);
    return;
  }
  got_data(in, n);
  in->ready_cb(in->ud);
}

static void alloc_cb(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
  struct input *in = h->data;

  (void)suggested;
  *buf = uv_buf_init(in->buf + in->end, (unsigned)(in->cap - in->end));
}

static void stream_read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
  struct input *in = s->data;

  (void)buf;
  if (n == 0)
    return; /* EAGAIN: nothing read, keep waiting. */
  /* One block at a time: stop until the lines are taken. */
  (void)uv_read_stop(s); /* Cannot fail on an active stream. */
  got_data(in, n);
  in->ready_cb(in->ud);
}

static int start_read(struct input *in)
{
  struct source *src = &in->src[in->cur];
  uv_buf_t buf;
  int rc;

  make_room(in);
  if (src->fd < 0) {
    rc = uv_read_start(in->stream, alloc_cb, stream_read_cb);
  } else {
    buf = uv_buf_init(in->buf + in->end, INPUT_BLOCK);
    in->req.data = in;
    rc = uv_fs_read(in->loop, &in->req, src->fd, &buf, 1, -1, fs_read_cb);
  }
  if (rc < 0) {
    in->error = rc;
    in->done = true;
    return rc;
  }
  in->reading = true;
  return 0;
}

/* Hand out [start, stop) as line, then move past "skip" more bytes. */
static void take(struct input *in, struct input_line *line, size_t stop,
                 size_t skip)
{
  line->p = in->buf + in->start;
  line->len = stop - in->start;
  line->lineno = ++in->lineno;
  line->overlong = false;
  in->taken += stop + skip - in->start;
  in->start = stop + skip;
  in->scanned = in->start;
}

enum input_status input_next(struct input *in, struct input_line *line)
{
  for (;;) {
    char *nl;

    if (in->stopped)
      return INPUT_END;
    /* No memchr on the NULL buffer before the first read (UBSan). */
    nl = in->end > in->scanned
             ? memchr(in->buf + in->scanned, '\n', in->end - in->scanned)
             : NULL;
    if (nl) {
      bool skip = in->skipping;

      take(in, line, (size_t)(nl - in->buf), 1);
      if (skip) {
        /* The tail of an overlong line: its line number was counted. */
        in->skipping = false;
        in->lineno--;
        continue;
      }
      return INPUT_LINE;
    }
    in->scanned = in->end;
    if (in->end - in->start >= INPUT_LINE_MAX) {
      bool skip = in->skipping;

      take(in, line, in->end, 0);
      if (skip) {
        in->lineno--;
        continue;
      }
      line->overlong = true;
      in->skipping = true;
      return INPUT_LINE;
    }
    if (in->done) {
      if (in->end > in->start && !in->skipping) {
        take(in, line, in->end, 0);
        return INPUT_LINE;
      }
      in->start = in->scanned = in->end;
      return in->error ? INPUT_ERROR : INPUT_END;
    }
    if (in->reading)
      return INPUT_WAIT;
    if (start_read(in) < 0)
      continue;
    return INPUT_WAIT;
  }
}

void input_stop(struct input *in)
{
  in->stopped = true;
  if (in->reading && in->stream) {
    (void)uv_read_stop(in->stream); /* Cannot fail. */
    in->reading = false;
  }
}

void input_progress(const struct input *in, uint64_t *taken, uint64_t *total)
{
  *taken = in->taken;
  *total = in->total_unknown ? 0 : in->total;
}

const char *input_error(const struct input *in)
{
  return in->error ? uv_strerror(in->error) : "no error";
}

/* A directory opens for reading but fails the first read: refuse it
 * here, before the output is truncated, as a usage error. A regular
 * file's size adds to the total of input_progress(). */
static int check_not_dir(struct input *in, uv_file fd, const char *name,
                         char err[VL_ERRLEN])
{
  uv_fs_t req;
  int rc = uv_fs_fstat(NULL, &req, fd, NULL);
  bool dir = rc == 0 && (req.statbuf.st_mode & S_IFMT) == S_IFDIR;

  if (rc == 0 && (req.statbuf.st_mode & S_IFMT) == S_IFREG)
    in->total += req.statbuf.st_size;
  else
    in->total_unknown = true;
  uv_fs_req_cleanup(&req);
  if (rc < 0) {
    snprintf(err, VL_ERRLEN, "-i: cannot read '%s': %s", name,
             uv_strerror(rc));
    return -1;
  }
  if (dir) {
    snprintf(err, VL_ERRLEN, "-i: '%s' is a directory", name);
    return -1;
  }
  return 0;
}

static int open_stdin(struct input *in, struct source *src,
                      char err[VL_ERRLEN])
{
  src->name = "stdin";
  src->own_fd = false;
  if (!stdstream_wanted(0, STDSTREAM_READ)) {
    /* A regular file, /dev/null, or anything else read() serves. */
    src->fd = 0;
    return check_not_dir(in, 0, "-", err);
  }
  in->total_unknown = true; /* a pipe or a terminal */
  if (in->stream) {
    snprintf(err, VL_ERRLEN, "stdin given twice as input");
    return -1;
  }
  src->fd = -1;
  if (stdstream_open(in->loop, 0, STDSTREAM_READ, &in->stream, err) < 0)
    return -1;
  in->stream->data = in;
  return 0;
}

int input_open(struct input **out, uv_loop_t *loop, const char *const *paths,
               size_t npaths, input_ready_fn *ready_cb, void *ud,
               char err[VL_ERRLEN])
{
  static const char *const dash[] = { "-" };
  struct input *in = xcalloc(1, sizeof(*in));
  size_t i;

  *out = NULL;
  if (npaths == 0) {
    paths = dash;
    npaths = 1;
  }
  in->loop = loop;
  in->ready_cb = ready_cb;
  in->ud = ud;
  in->src = xcalloc(npaths, sizeof(*in->src));
  for (i = 0; i < npaths; i++) {
    struct source *src = &in->src[in->nsrc];

    src->fd = -1;
    if (strcmp(paths[i], "-") == 0) {
      if (open_stdin(in, src, err) < 0)
        goto fail;
    } else {
      uv_fs_t req;
      int rc;

      /* Synchronous, before the loop runs: a missing file is a usage
       * error found before any request starts. */
      rc = uv_fs_open(NULL, &req, paths[i], O_RDONLY | O_CLOEXEC, 0, NULL);
      uv_fs_req_cleanup(&req);
      if (rc < 0) {
        snprintf(err, VL_ERRLEN, "-i: cannot open '%s': %s", paths[i],
                 uv_strerror(rc));
        goto fail;
      }
      src->name = paths[i];
      src->fd = rc;
      src->own_fd = true;
      if (check_not_dir(in, rc, paths[i], err) < 0) {
        in->nsrc++; /* counted, so that input_close() closes it */
        goto fail;
      }
    }
    in->nsrc++;
  }
  *out = in;
  return 0;
fail:
  input_close(in);
  return -1;
}

void input_close(struct input *in)
{
  if (!in)
    return;
  in->stopped = true;
  if (in->stream) {
    (void)uv_read_stop(in->stream);
    stdstream_close(in->stream, stream_closed_cb);
    return;
  }
  if (in->reading) {
    in->closing = true;
    return;
  }
  free_input(in);
}
