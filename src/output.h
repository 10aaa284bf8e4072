/* The record writer: bytes to stdout or to -o FILE through libuv, in few
 * large writes (a stream's once per loop turn, a file's at most every
 * 20 ms unless 64 KiB wait), with watermarks that tell the caller to
 * pause admission while a slow reader drains. Never blocks. */
#ifndef VOLLEY_OUTPUT_H
#define VOLLEY_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

#include "stats.h"
#include "util.h"

struct output;

/* "high" true: more than the high watermark is queued (pause starting new
 * work); false: it drained below the low one. Called from the loop. */
typedef void output_pressure_fn(bool high, void *ud);

/* A write failed with "status" (UV_EPIPE: the reader went away). Later
 * writes are dropped. Called once, from the loop. */
typedef void output_error_fn(int status, void *ud);

/* Everything was written and the output closed. */
typedef void output_closed_fn(void *ud);

enum output_mode {
  OUTPUT_TRUNCATE, /* -o FILE: start empty */
  OUTPUT_APPEND    /* -o FILE --append or --resume */
};

/* Whether "path" (-o FILE, NULL for stdout) is one of the "n" inputs
 * "inputs" ("-" is standard input, also read when "from_stdin"): then
 * it would be truncated before it is read, or read back while records
 * are appended to it. Call it before output_open(). Returns 0, or -1
 * with "err" filled naming the input. */
int output_check_not_input(const char *path, const char *const *inputs,
                           size_t n, bool from_stdin, char err[VL_ERRLEN]);

/* Open "path" (NULL: stdout). The file is opened now, before the loop
 * runs, so that a bad path fails early: -1 with "err" filled. */
int output_open(struct output **out, uv_loop_t *loop, const char *path,
                enum output_mode mode, output_pressure_fn *pressure_cb,
                output_error_fn *error_cb, void *ud, char err[VL_ERRLEN]);

/* Queue "len" bytes of "p" (copied). Dropped after an error. */
void output_write(struct output *o, const char *p, size_t len);

/* Bytes queued and not yet written. */
size_t output_queued(const struct output *o);

/* Count the writes started and the bytes written into "count"
 * (borrowed: it must outlive "o"), for --stats. */
void output_count_into(struct output *o, struct stats_output *count);

/* Write what is queued, fsync a file, close, then call "closed_cb" from
 * the loop. After a write error, closes at once. */
void output_close(struct output *o, output_closed_fn *closed_cb);

#endif
