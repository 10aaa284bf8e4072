/* When a run stops early, and how: SIGINT and SIGTERM (the first stops
 * admission and gives the transfers in flight --grace, a second or the
 * grace's end cancels them), --deadline (stops and cancels at once) and
 * --fail-fast (stops now, cancels on the next loop turn). The one owner
 * of cancellation's timing; the run does the cancelling through "ops". */
#ifndef VOLLEY_STOP_H
#define VOLLEY_STOP_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "msg.h"
#include "util.h"

/* What the run does when "stop" decides; each gets the "ud" of
 * stop_init(). None may be NULL. */
struct stop_ops {
  void (*halt)(void *ud); /* no more admission or input, ever */
  void (*cancel)(const char *why, void *ud); /* everything left, "why" */
  void (*cancel_waiting)(void *ud); /* the retries waiting for their time */
  void (*check)(void *ud);          /* end the run if nothing holds it */
};

/* Read-only outside stop.c. */
struct stop {
  uv_loop_t *loop;
  uv_signal_t sigint, sigterm;
  uv_timer_t deadline, grace, fail_fast;
  bool ready;               /* the handles are initialised */
  bool closed;              /* stop_close() ran: decide nothing more */
  int signal;               /* the first signal, 0 if none */
  bool deadline_hit;        /* --deadline passed */
  unsigned at_signal;       /* transfers in flight at the first signal */
  uint64_t n_done_after;    /* transfers that ended after the signal */
  uint64_t grace_ms;        /* --grace */
  uint64_t deadline_at;     /* uv_now() of --deadline, 0 if none */
  uint64_t grace_end;       /* uv_now() when the grace ends, 0 if none */
  struct msg *msg;          /* borrowed */
  const unsigned *inflight; /* borrowed: transfers in flight now */
  const struct stop_ops *ops;
  void *ud;
};

/* Catch SIGINT and SIGTERM on "loop" and arm --deadline ("deadline_ms",
 * 0: none); neither keeps the loop alive. "msg", "inflight" (the count of
 * transfers in flight, read when a signal or a cancellation comes) and
 * "ops" are borrowed. Returns 0, or -1 with "err" filled; stop_close()
 * either way. */
int stop_init(struct stop *st, uv_loop_t *loop, uint64_t deadline_ms,
              uint64_t grace_ms, struct msg *msg, const unsigned *inflight,
              const struct stop_ops *ops, void *ud, char err[VL_ERRLEN]);

/* --fail-fast saw a failure: halt now, cancel on the next loop turn, never
 * from inside the caller (it may run in the middle of admission or of a
 * cancellation). */
void stop_fail_fast(struct stop *st);

/* Whether a signal started the --grace period; then "*left_ms" is the
 * time left before what is in flight is cancelled (else it is 0). */
bool stop_grace_left(const struct stop *st, uint64_t *left_ms);

/* The time left before --deadline, UINT64_MAX without one. */
uint64_t stop_deadline_left_ms(const struct stop *st);

/* A transfer ended (not cancelled): counted when after the signal. */
void stop_note_done(struct stop *st);

/* At the end of a run stopped by a signal or --deadline, say with -v how
 * the transfers in flight ended: "cancelled" of them were cancelled. */
void stop_report(const struct stop *st, uint64_t cancelled);

/* Close the handles (the loop must run on); nothing is decided after.
 * Safe when stop_init() was not called on a zeroed "st". */
void stop_close(struct stop *st);

#endif
