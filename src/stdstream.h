/* A standard descriptor (0, 1 or 2) as a libuv stream, when it is a pipe
 * or a terminal: a duplicate of it, so that the descriptor itself stays
 * valid for the last direct writes, and its file flags put back when the
 * stream closes, since the O_NONBLOCK libuv sets is shared with every
 * process using the same pipe or terminal. */
#ifndef VOLLEY_STDSTREAM_H
#define VOLLEY_STDSTREAM_H

#include <stdbool.h>

#include <uv.h>

#include "util.h"

enum stdstream_flags {
  STDSTREAM_READ = 1,   /* read, not written: a terminal opens readable */
  STDSTREAM_SOCKET = 2, /* a socket becomes a stream too */
};

/* Whether stdstream_open() would make "fd" a stream, given "flags": a
 * pipe or a terminal, or a socket with STDSTREAM_SOCKET. Otherwise (a
 * regular file, /dev/null) the caller reads or writes "fd" directly. */
bool stdstream_wanted(int fd, unsigned flags);

/* Attach the standard descriptor "fd" to "loop" as a stream. Sets "*out"
 * to a new stream the caller closes with stdstream_close(), or to NULL
 * when stdstream_wanted() is false; the caller may set its "data". Returns
 * 0, or -1 with "err" filled ("stdin: ..."): then nothing is held, and
 * "fd"'s flags are as they were (a handle that was initialised closes on
 * its own, so the loop must run). */
int stdstream_open(uv_loop_t *loop, int fd, unsigned flags, uv_stream_t **out,
                   char err[VL_ERRLEN]);

/* Called once the stream is closed and the descriptor's flags are back,
 * with the stream's "data"; its memory goes when this returns. */
typedef void stdstream_closed_fn(void *data);

/* Close "s" from stdstream_open(); "closed_cb" (may be NULL) runs from the
 * close callback, so the loop must run on. */
void stdstream_close(uv_stream_t *s, stdstream_closed_fn *closed_cb);

#endif
