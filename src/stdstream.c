/* Standard descriptors as libuv streams, for input.c (stdin), output.c
 * (stdout) and msg.c (stderr). Owns the handle's memory and the saved file
 * flags; reads and writes nothing itself. */
#include "config.h"

#include "stdstream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"

struct stdstream {
  /* First, so that a handle pointer is a struct stdstream pointer. */
  union {
    uv_stream_t stream;
    uv_pipe_t pipe;
    uv_tty_t tty;
  } h;
  int fd;          /* the standard descriptor, 0, 1 or 2 */
  int saved_flags; /* its file flags before libuv, -1 if unknown */
  stdstream_closed_fn *closed_cb;
};

static const char *fd_name(int fd)
{
  return fd == 0 ? "stdin" : fd == 1 ? "stdout" : "stderr";
}

bool stdstream_wanted(int fd, unsigned flags)
{
  uv_handle_type type = uv_guess_handle(fd);

  return type == UV_NAMED_PIPE || type == UV_TTY ||
         (type == UV_TCP && (flags & STDSTREAM_SOCKET));
}

static void restore_flags(struct stdstream *ss)
{
  if (ss->saved_flags >= 0)
    (void)fcntl(ss->fd, F_SETFL, ss->saved_flags); /* Best effort. */
}

static void close_cb(uv_handle_t *h)
{
  struct stdstream *ss = (struct stdstream *)h;

  restore_flags(ss);
  if (ss->closed_cb)
    ss->closed_cb(h->data);
  free(ss);
}

int stdstream_open(uv_loop_t *loop, int fd, unsigned flags, uv_stream_t **out,
                   char err[VL_ERRLEN])
{
  struct stdstream *ss;
  int dup_fd, rc;

  *out = NULL;
  if (!stdstream_wanted(fd, flags))
    return 0;
  /* A duplicate: the stream closes it, and "fd" stays valid to the end. */
  dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (dup_fd < 0) {
    snprintf(err, VL_ERRLEN, "%s: cannot duplicate: %s", fd_name(fd),
             uv_strerror(uv_translate_sys_error(errno)));
    return -1;
  }
  ss = xcalloc(1, sizeof(*ss));
  ss->fd = fd;
  ss->saved_flags = fcntl(fd, F_GETFL);
  if (uv_guess_handle(fd) == UV_TTY) {
    rc = uv_tty_init(loop, &ss->h.tty, dup_fd, (flags & STDSTREAM_READ) != 0);
    if (rc < 0)
      goto fail;
  } else {
    rc = uv_pipe_init(loop, &ss->h.pipe, 0);
    if (rc < 0)
      goto fail;
    rc = uv_pipe_open(&ss->h.pipe, dup_fd);
    if (rc < 0) {
      /* The handle is initialised: it goes in its close callback, which
       * puts the flags back; the descriptor was never its own. */
      snprintf(err, VL_ERRLEN, "%s: %s", fd_name(fd), uv_strerror(rc));
      close(dup_fd);
      restore_flags(ss);
      ss->h.stream.data = NULL;
      uv_close((uv_handle_t *)&ss->h.pipe, close_cb);
      return -1;
    }
  }
  *out = &ss->h.stream;
  return 0;
fail:
  snprintf(err, VL_ERRLEN, "%s: %s", fd_name(fd), uv_strerror(rc));
  close(dup_fd);
  restore_flags(ss);
  free(ss);
  return -1;
}

void stdstream_close(uv_stream_t *s, stdstream_closed_fn *closed_cb)
{
  struct stdstream *ss = (struct stdstream *)s;

  ss->closed_cb = closed_cb;
  uv_close((uv_handle_t *)s, close_cb);
}
