/* Messages on stderr with the "volley: " prefix. Owns a libuv stream on a
 * dup of fd 2 once the loop runs; lines past MSG_QUEUE_MAX queued bytes
 * are dropped and counted instead of blocking the loop. */
#include "config.h"

#include "msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stdstream.h"
#include "util.h"

/* Bytes queued on the stream beyond which new lines are dropped. */
#define MSG_QUEUE_MAX (256 * 1024)

struct msg_write {
  uv_write_t req;
  char text[]; /* the line, freed with the request in write_done_cb */
};

static void write_done_cb(uv_write_t *req, int status)
{
  (void)status; /* A lost message cannot be reported anywhere better. */
  free(req);
}

/* Put "n" bytes of "text" on stderr: directly before the loop runs or
 * when stderr is a file, else queued on the stream, or dropped (and
 * counted) when too much is queued already. */
static void send_text(struct msg *m, const char *text, size_t n)
{
  struct msg_write *w;
  uv_buf_t buf;

  if (!m || !m->stream) {
    /* No loop yet, or stderr is a file: a plain write does not stall. */
    fwrite(text, 1, n, stderr);
    fflush(stderr);
    return;
  }
  if (uv_stream_get_write_queue_size(m->stream) > MSG_QUEUE_MAX) {
    m->dropped++;
    return;
  }
  w = xmalloc(sizeof(*w) + n);
  memcpy(w->text, text, n);
  buf = uv_buf_init(w->text, (unsigned)n);
  if (uv_write(&w->req, m->stream, &buf, 1, write_done_cb) < 0) {
    free(w);
    m->dropped++;
  }
}

static void emit(struct msg *m, const char *kind, const char *fmt, va_list ap)
{
  char line[2048];
  int n = 0, k;

  /* A progress line is on the terminal: erase it first. */
  if (m && m->status_shown) {
    n = snprintf(line, sizeof(line), "\r\033[K");
    m->status_shown = false;
  }
  n += snprintf(line + n, sizeof(line) - (size_t)n, "volley: %s", kind);
  k = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
  if (k < 0)
    return;
  n += k;
  if ((size_t)n > sizeof(line) - 2)
    n = (int)sizeof(line) - 2;
  line[n++] = '\n';
  send_text(m, line, (size_t)n);
}

void msg_status(struct msg *m, const char *line)
{
  char text[512];
  int n;

  if (!line) {
    if (m->status_shown)
      send_text(m, "\r\033[K", 4);
    m->status_shown = false;
    return;
  }
  n = snprintf(text, sizeof(text), "\r%s\033[K", line);
  if (n < 0)
    return;
  if ((size_t)n >= sizeof(text))
    n = (int)sizeof(text) - 1;
  send_text(m, text, (size_t)n);
  m->status_shown = true;
}

void msg_usage(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  emit(NULL, "", fmt, ap);
  va_end(ap);
  fputs("Try 'volley --help' for more information.\n", stderr);
}

void msg_error(struct msg *m, const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  emit(m, "", fmt, ap);
  va_end(ap);
}

void msg_warn(struct msg *m, const char *fmt, ...)
{
  va_list ap;

  if (m && m->quiet)
    return;
  va_start(ap, fmt);
  emit(m, "warning: ", fmt, ap);
  va_end(ap);
}

bool msg_wants(const struct msg *m, int level)
{
  return m && !m->quiet && m->verbose >= level;
}

void msg_verbose(struct msg *m, int level, const char *fmt, ...)
{
  va_list ap;

  if (!msg_wants(m, level))
    return;
  va_start(ap, fmt);
  emit(m, "", fmt, ap);
  va_end(ap);
}

/* The stream is closed and stderr's file flags are back. */
static void stream_closed_cb(void *data)
{
  struct msg *m = data;

  if (m->dropped) {
    fprintf(stderr, "volley: %zu messages dropped: stderr was too slow\n",
            m->dropped);
    m->dropped = 0;
  }
}

static void shutdown_cb(uv_shutdown_t *req, int status)
{
  (void)status; /* Closing follows whatever the outcome. */
  stdstream_close(req->handle, stream_closed_cb);
  free(req);
}

void msg_init(struct msg *m, int verbose, bool quiet)
{
  memset(m, 0, sizeof(*m));
  m->verbose = verbose;
  m->quiet = quiet;
}

int msg_start(struct msg *m, uv_loop_t *loop)
{
  char err[VL_ERRLEN];

  m->loop = loop;
  m->stream = NULL;
  /* The duplicate leaves fd 2 for the last lines, written directly. */
  if (stdstream_open(loop, 2, 0, &m->stream, err) < 0)
    return -1;
  if (m->stream)
    m->stream->data = m;
  return 0;
}

void msg_close(struct msg *m)
{
  uv_shutdown_t *req;
  uv_stream_t *s = m->stream;

  if (!s) {
    if (m->dropped)
      fprintf(stderr, "volley: %zu messages dropped\n", m->dropped);
    m->dropped = 0;
    return;
  }
  /* Later lines are written directly; the queued ones drain first. */
  m->stream = NULL;
  req = xmalloc(sizeof(*req));
  if (uv_shutdown(req, s, shutdown_cb) < 0) {
    free(req);
    stdstream_close(s, stream_closed_cb);
  }
}
