/* Stopping a run early: signals, --grace, --deadline and --fail-fast.
 * Owns two signal handles and three timers, and decides when the run
 * halts and when what is left is cancelled; the cancelling itself is the
 * run's (stop_ops). Knows nothing of requests. */
#include "config.h"

#include "stop.h"

#include <signal.h>
#include <stdio.h>

/* Log "what", cancel everything left with "why", and end the run if
 * nothing else holds it. */
static void cancel_now(struct stop *st, const char *what, const char *why)
{
  msg_verbose(st->msg, 1, "%s: cancelling %u in flight", what, *st->inflight);
  st->ops->cancel(why, st->ud);
  st->ops->check(st->ud);
}

static void fail_fast_cb(uv_timer_t *h)
{
  struct stop *st = h->data;

  if (!st->closed)
    cancel_now(st, "--fail-fast",
               "cancelled: another request failed (--fail-fast)");
}

static void grace_cb(uv_timer_t *h)
{
  struct stop *st = h->data;

  if (!st->closed)
    cancel_now(st, "grace period over",
               "cancelled: the grace period after a signal ended");
}

static void deadline_cb(uv_timer_t *h)
{
  struct stop *st = h->data;

  if (st->closed)
    return;
  st->deadline_hit = true;
  st->ops->halt(st->ud);
  cancel_now(st, "deadline passed", "cancelled: --deadline passed");
}

static void signal_cb(uv_signal_t *h, int signum)
{
  struct stop *st = h->data;
  unsigned inflight;

  if (st->closed)
    return;
  if (st->signal) {
    cancel_now(st, "second signal", "cancelled by a second signal");
    return;
  }
  inflight = *st->inflight;
  st->signal = signum;
  st->at_signal = inflight;
  st->ops->halt(st->ud);
  /* Ctrl-C at a terminal: say what happens, and how to hurry it. */
  msg_verbose(st->msg, signum == SIGINT && inflight && st->grace_ms ? 0 : 1,
              "stopping: %u in flight get up to %.1fs; %s again cancels "
              "them now",
              inflight, (double)st->grace_ms / 1000.0,
              signum == SIGINT ? "Ctrl-C" : "SIGTERM");
  /* A retry waiting for its time would start after the signal: cancel
   * it at once. */
  st->ops->cancel_waiting(st->ud);
  if (st->grace_ms == 0) {
    st->ops->cancel("cancelled by a signal", st->ud);
  } else {
    st->grace_end = uv_now(st->loop) + st->grace_ms;
    (void)uv_timer_start(&st->grace, grace_cb, st->grace_ms, 0);
  }
  st->ops->check(st->ud);
}

int stop_init(struct stop *st, uv_loop_t *loop, uint64_t deadline_ms,
              uint64_t grace_ms, struct msg *msg, const unsigned *inflight,
              const struct stop_ops *ops, void *ud, char err[VL_ERRLEN])
{
  st->loop = loop;
  st->grace_ms = grace_ms;
  st->msg = msg;
  st->inflight = inflight;
  st->ops = ops;
  st->ud = ud;
  /* Signal and timer handles cannot fail to initialise on a live loop. */
  (void)uv_signal_init(loop, &st->sigint);
  (void)uv_signal_init(loop, &st->sigterm);
  (void)uv_timer_init(loop, &st->deadline);
  (void)uv_timer_init(loop, &st->grace);
  /* Its own timer: a signal's grace period, started meanwhile, must
   * neither delay nor replace --fail-fast's cancellation. */
  (void)uv_timer_init(loop, &st->fail_fast);
  st->sigint.data = st->sigterm.data = st;
  st->deadline.data = st->grace.data = st->fail_fast.data = st;
  st->ready = true;
  if (uv_signal_start(&st->sigint, signal_cb, SIGINT) < 0 ||
      uv_signal_start(&st->sigterm, signal_cb, SIGTERM) < 0) {
    snprintf(err, VL_ERRLEN, "cannot handle signals");
    return -1;
  }
  /* The signal handles must not keep the loop alive on their own. */
  uv_unref((uv_handle_t *)&st->sigint);
  uv_unref((uv_handle_t *)&st->sigterm);
  if (deadline_ms) {
    st->deadline_at = uv_now(loop) + deadline_ms;
    (void)uv_timer_start(&st->deadline, deadline_cb, deadline_ms, 0);
    uv_unref((uv_handle_t *)&st->deadline);
  }
  return 0;
}

void stop_fail_fast(struct stop *st)
{
  if (st->closed || !st->ready)
    return;
  st->ops->halt(st->ud);
  (void)uv_timer_start(&st->fail_fast, fail_fast_cb, 0, 0); /* Cannot fail. */
}

bool stop_grace_left(const struct stop *st, uint64_t *left_ms)
{
  uint64_t now;

  *left_ms = 0;
  if (!st->grace_end)
    return false;
  now = uv_now(st->loop);
  if (st->grace_end > now)
    *left_ms = st->grace_end - now;
  return true;
}

uint64_t stop_deadline_left_ms(const struct stop *st)
{
  uint64_t now;

  if (!st->deadline_at)
    return UINT64_MAX;
  now = uv_now(st->loop);
  return st->deadline_at > now ? st->deadline_at - now : 0;
}

void stop_note_done(struct stop *st)
{
  if (st->signal)
    st->n_done_after++;
}

void stop_report(const struct stop *st, uint64_t cancelled)
{
  if (st->signal || st->deadline_hit)
    msg_verbose(st->msg, 1,
                "shutdown: %llu finished after the signal, %llu cancelled "
                "(%u were in flight at the signal)",
                (unsigned long long)st->n_done_after,
                (unsigned long long)cancelled, st->at_signal);
}

void stop_close(struct stop *st)
{
  st->closed = true;
  if (!st->ready)
    return;
  st->ready = false;
  uv_close((uv_handle_t *)&st->sigint, NULL);
  uv_close((uv_handle_t *)&st->sigterm, NULL);
  uv_close((uv_handle_t *)&st->deadline, NULL);
  uv_close((uv_handle_t *)&st->grace, NULL);
  uv_close((uv_handle_t *)&st->fail_fast, NULL);
}
