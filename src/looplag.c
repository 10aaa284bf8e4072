/* Loop lag. Owns one uv_check_t, which runs once per loop iteration after
 * the poll and its I/O callbacks, and a POSIX timer on the loop thread's
 * CPU clock. An iteration is the span from one check to the next: timers,
 * pending and prepare callbacks, the poll's wait and its I/O callbacks.
 * Its busy time is that span less the time libuv spent blocked in
 * epoll_wait (uv_metrics_idle_time()).
 *
 * Wall time counts what other processes take from us: on a shared machine
 * a busy iteration of 100 ms may be 1 ms of our work. The thread's CPU
 * clock (CLOCK_THREAD_CPUTIME_ID) leaves out other processes, but in a
 * virtual machine that does not report steal time it still counts the
 * time the host took the virtual CPU away while our thread was on it:
 * here it showed iterations of "100 ms" of CPU in which perf sampled our
 * thread 4 times at 2 kHz. So stalls are counted in ticks instead: the
 * timer expires every LOOPLAG_TICK_NS of the thread's CPU time, and its
 * signal is only delivered while the thread runs. Time the host took
 * shows as one late signal with a large overrun, of which at most
 * LOOPLAG_MAX_OVERRUN expirations are counted; the thread's own work
 * shows as a signal every tick. A stall is an iteration with more than
 * STATS_STALL_S of ticks. The signal never comes while the loop waits
 * (the CPU clock stands still then), and SA_RESTART resumes the system
 * calls it interrupts; epoll_wait and poll return EINTR, which libuv and
 * libcurl retry or read as "nothing yet". */
#define _GNU_SOURCE /* SIGEV_THREAD_ID, gettid() */
#include "config.h"

#include "looplag.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* The CPU time between two ticks: the precision of the stall count. */
#define LOOPLAG_TICK_NS 10000000L

/* Expirations one late signal counts for beyond itself. */
#define LOOPLAG_MAX_OVERRUN 2

#define STALL_TICKS ((unsigned)(STATS_STALL_S * 1e9 / LOOPLAG_TICK_NS))

struct looplag {
  uv_check_t check;
  uv_loop_t *loop;
  struct stats_loop *out; /* borrowed */
  uint64_t last_ns;       /* uv_hrtime() at the last check */
  uint64_t last_idle_ns;  /* uv_metrics_idle_time() then */
  atomic_uint ticks;      /* CPU ticks of the loop thread, from tick_cb() */
  unsigned last_ticks;    /* "ticks" at the last check */
  timer_t timer;
  int signo;
  struct sigaction old; /* the signal's action before ours */
};

/* The signal of the timer, in the loop thread: count the tick. */
static void tick_cb(int signo, siginfo_t *si, void *uc)
{
  struct looplag *l = si->si_value.sival_ptr;
  int over = si->si_overrun;

  (void)signo;
  (void)uc;
  if (over < 0)
    over = 0;
  if (over > LOOPLAG_MAX_OVERRUN)
    over = LOOPLAG_MAX_OVERRUN; /* the host's time, not ours */
  atomic_fetch_add_explicit(&l->ticks, 1u + (unsigned)over,
                            memory_order_relaxed);
}

/* One iteration ended: count it. */
static void measure(struct looplag *l)
{
  uint64_t now = uv_hrtime();
  uint64_t idle = uv_metrics_idle_time(l->loop);
  uint64_t span = now - l->last_ns, waited = idle - l->last_idle_ns;
  uint64_t busy = span > waited ? span - waited : 0;
  unsigned ticks = atomic_load_explicit(&l->ticks, memory_order_relaxed);

  stats_loop_add(l->out, (double)busy / 1e9);
  if (ticks - l->last_ticks > STALL_TICKS)
    l->out->stalls++;
  l->last_ticks = ticks;
  l->last_ns = now;
  l->last_idle_ns = idle;
}

static void check_cb(uv_check_t *h)
{
  measure(h->data);
}

/* The CPU-time timer of the calling thread, signalling "l". */
static int start_timer(struct looplag *l, char err[VL_ERRLEN])
{
  struct sigaction sa;
  struct sigevent sev;
  struct itimerspec its;

  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = tick_cb;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  l->signo = SIGRTMIN;
  if (sigaction(l->signo, &sa, &l->old) < 0) {
    snprintf(err, VL_ERRLEN, "loop lag: cannot handle signal %d", l->signo);
    return -1;
  }
  memset(&sev, 0, sizeof(sev));
  sev.sigev_notify = SIGEV_THREAD_ID;
  sev._sigev_un._tid = gettid(); /* glibc 2.36 names it no other way */
  sev.sigev_signo = l->signo;
  sev.sigev_value.sival_ptr = l;
  if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &l->timer) < 0) {
    snprintf(err, VL_ERRLEN, "loop lag: no CPU-time timer");
    (void)sigaction(l->signo, &l->old, NULL);
    return -1;
  }
  its.it_interval.tv_sec = its.it_value.tv_sec = 0;
  its.it_interval.tv_nsec = its.it_value.tv_nsec = LOOPLAG_TICK_NS;
  (void)timer_settime(l->timer, 0, &its, NULL); /* Cannot fail here. */
  return 0;
}

struct looplag *looplag_start(uv_loop_t *loop, struct stats_loop *out,
                              char err[VL_ERRLEN])
{
  struct looplag *l;
  int rc = uv_loop_configure(loop, UV_METRICS_IDLE_TIME);

  if (rc < 0) {
    snprintf(err, VL_ERRLEN, "loop metrics: %s", uv_strerror(rc));
    return NULL;
  }
  l = xcalloc(1, sizeof(*l));
  atomic_init(&l->ticks, 0);
  if (start_timer(l, err) < 0) {
    free(l);
    return NULL;
  }
  l->loop = loop;
  l->out = out;
  /* Neither can fail on a live loop. */
  (void)uv_check_init(loop, &l->check);
  l->check.data = l;
  (void)uv_check_start(&l->check, check_cb);
  /* The measurement must not keep the loop alive. */
  uv_unref((uv_handle_t *)&l->check);
  l->last_ns = uv_hrtime();
  l->last_idle_ns = uv_metrics_idle_time(loop);
  return l;
}

static void close_cb(uv_handle_t *h)
{
  free(h->data);
}

void looplag_stop(struct looplag *l)
{
  struct sigaction ign;

  if (!l)
    return;
  /* The iteration that stops the measurement counts too: its work (the
   * last records, say) would otherwise never be seen. */
  measure(l);
  (void)timer_delete(l->timer); /* Cannot fail for a live timer. */
  /* A signal still pending would reach "l" after it is freed: ignoring
   * the signal discards it, then the old action comes back. */
  memset(&ign, 0, sizeof(ign));
  ign.sa_handler = SIG_IGN;
  sigemptyset(&ign.sa_mask);
  (void)sigaction(l->signo, &ign, NULL);
  (void)sigaction(l->signo, &l->old, NULL);
  uv_close((uv_handle_t *)&l->check, close_cb);
}
