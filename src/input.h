/* The streaming input reader: lines from files or stdin, read through
 * libuv in blocks and only as fast as they are taken, so memory does not
 * grow with the input. Knows nothing of what a line means. */
#ifndef VOLLEY_INPUT_H
#define VOLLEY_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "util.h"

struct input;

/* Called from the loop when input_next() said INPUT_WAIT and lines, the
 * end or an error have since arrived. */
typedef void input_ready_fn(void *ud);

enum input_status {
  INPUT_LINE, /* a line is handed out */
  INPUT_WAIT, /* none yet: ready_cb follows */
  INPUT_END,  /* no more lines (or input_stop() was called) */
  INPUT_ERROR /* a read failed: input_error() says why */
};

struct input_line {
  const char *p; /* not NUL-terminated; valid until the next call */
  size_t len;
  uint64_t lineno; /* 1-based over all inputs, every line counted */
  bool overlong;   /* longer than the limit: "p" holds the start only */
};

/* Open "paths" ("npaths" of them, "-" is stdin; none means stdin), read
 * one after another. Opening is done now, so a missing file is reported
 * before any request: returns -1 with "err" filled and "*out" NULL. */
int input_open(struct input **out, uv_loop_t *loop, const char *const *paths,
               size_t npaths, input_ready_fn *ready_cb, void *ud,
               char err[VL_ERRLEN]);

/* Take the next line into "line". Never blocks. */
enum input_status input_next(struct input *in, struct input_line *line);

/* Stop reading: later calls return INPUT_END. */
void input_stop(struct input *in);

/* How far the reading is, for the progress line: "*taken" bytes handed
 * out as lines (newlines included) of "*total" bytes, the sizes of the
 * inputs when each is a regular file, else 0 (unknown). */
void input_progress(const struct input *in, uint64_t *taken, uint64_t *total);

/* The last read error as text (after INPUT_ERROR). */
const char *input_error(const struct input *in);

/* Release "in"; memory held by a pending read is released when that read
 * comes back, so the loop must run on. NULL is fine. */
void input_close(struct input *in);

#endif
