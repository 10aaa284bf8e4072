/* The progress line on stderr: redrawn from a uv timer at most ten times
 * a second from counters the caller samples, and shown as msg.c's status
 * line. */
#ifndef VOLLEY_PROGRESS_H
#define VOLLEY_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "msg.h"
#include "stats.h"
#include "util.h"

struct progress_counts {
  uint64_t done; /* records written */
  uint64_t ok;
  uint64_t failed;
  uint64_t retries; /* retries started */
  unsigned inflight;
  uint64_t total;        /* requests in all, 0 when unknown */
  bool estimated;        /* "total" is an estimate (from the input's bytes) */
  bool stopping;         /* a signal came: the in-flight ones finish or go */
  uint64_t cancel_in_ms; /* when "stopping": left before they are
                            cancelled */
};

/* Fill in the counts "c" has not from the run's stats: "inflight",
 * "total", "estimated", "stopping" and "cancel_in_ms", now. */
typedef void progress_sample_fn(struct progress_counts *c, void *ud);

struct config;
struct progress;

/* Start redrawing every 100 ms, from "stats" (the records written so far)
 * and what "sample_cb" adds, through "msg" (both borrowed), if the run of
 * "cfg" shows the line: when --progress asks, or by default when stderr
 * is a terminal, unless the URLs are typed at the terminal (no URL
 * argument, standard input a terminal among the inputs): then "msg"
 * shows a hint instead of a line that ticks over "0 done". Ok and failed
 * counts are in colour when stderr is a terminal and NO_COLOR is not
 * set. Returns NULL when the line is off, or when its timer could not
 * start (a warning on "msg" says so). */
struct progress *progress_start(uv_loop_t *loop, const struct config *cfg,
                                struct msg *msg, const struct stats *stats,
                                progress_sample_fn *sample_cb, void *ud);

/* Erase the line and stop; the memory goes in the timer's close
 * callback, so the loop must run on. NULL is fine. */
void progress_stop(struct progress *p);

/* Format the line for "c" after "elapsed_ms", at "rate" requests a
 * second, into "out" (at most "outlen" bytes): while stopping, a count
 * down to the cancellation instead of the rate and the time left. Pure;
 * for tests too. */
void progress_format(const struct progress_counts *c, uint64_t elapsed_ms,
                     double rate, bool color, char *out, size_t outlen);

#endif
