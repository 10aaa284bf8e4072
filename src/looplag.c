/* Loop lag. Owns one uv_check_t, which runs once per loop iteration after
 * the poll and its I/O callbacks. An iteration is the span from one check
 * to the next: timers, pending and prepare callbacks, the poll's wait and
 * its I/O callbacks. Its busy time is that span less the time libuv spent
 * blocked in epoll_wait (uv_metrics_idle_time()).
 *
 * Wall time counts what other processes take from us: on a shared machine
 * a busy iteration of 100 ms may be 1 ms of our work and 99 ms of someone
 * else's. So a stall is counted on the loop thread's CPU time instead,
 * which only our own work advances. Reading it (CLOCK_THREAD_CPUTIME_ID)
 * is a system call of about 2 us here, too dear for every iteration; it is
 * read at most once every LOOPLAG_CPU_EVERY_NS, and when an iteration was
 * busy long enough to be a stall. The CPU time of that iteration is then
 * at least the CPU time since the last reading less the busy time of the
 * iterations before it since that reading (the thread cannot use more CPU
 * than the wall time it was busy): a bound at most LOOPLAG_CPU_EVERY_NS
 * below the truth, never above it. */
#include "config.h"

#include "looplag.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "util.h"

/* How stale the last CPU reading may be. */
#define LOOPLAG_CPU_EVERY_NS 10000000ULL

#define STALL_NS ((uint64_t)(STATS_STALL_S * 1e9))

struct looplag {
  uv_check_t check;
  uv_loop_t *loop;
  struct stats_loop *out; /* borrowed */
  uint64_t last_ns;       /* uv_hrtime() at the last check */
  uint64_t last_idle_ns;  /* uv_metrics_idle_time() then */
  uint64_t cpu_ns;        /* the loop thread's CPU time at "cpu_at_ns" */
  uint64_t cpu_at_ns;     /* uv_hrtime() of that reading */
  uint64_t busy_since_ns; /* busy time of the iterations since then */
};

static uint64_t thread_cpu_ns(void)
{
  struct timespec ts;

  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
    return 0; /* Never on Linux; a 0 only hides stalls. */
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void check_cb(uv_check_t *h)
{
  struct looplag *l = h->data;
  uint64_t now = uv_hrtime();
  uint64_t idle = uv_metrics_idle_time(l->loop);
  uint64_t span = now - l->last_ns, waited = idle - l->last_idle_ns;
  uint64_t busy = span > waited ? span - waited : 0;

  stats_loop_add(l->out, (double)busy / 1e9);
  if (busy > STALL_NS) {
    uint64_t cpu = thread_cpu_ns();
    uint64_t used = cpu > l->cpu_ns ? cpu - l->cpu_ns : 0;

    if (used > l->busy_since_ns && used - l->busy_since_ns > STALL_NS)
      l->out->stalls++;
    l->cpu_ns = cpu;
    l->cpu_at_ns = now;
    l->busy_since_ns = 0;
  } else if (now - l->cpu_at_ns >= LOOPLAG_CPU_EVERY_NS) {
    l->cpu_ns = thread_cpu_ns();
    l->cpu_at_ns = now;
    l->busy_since_ns = 0;
  } else {
    l->busy_since_ns += busy;
  }
  l->last_ns = now;
  l->last_idle_ns = idle;
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
  l->loop = loop;
  l->out = out;
  /* Neither can fail on a live loop. */
  (void)uv_check_init(loop, &l->check);
  l->check.data = l;
  (void)uv_check_start(&l->check, check_cb);
  /* The measurement must not keep the loop alive. */
  uv_unref((uv_handle_t *)&l->check);
  l->last_ns = l->cpu_at_ns = uv_hrtime();
  l->last_idle_ns = uv_metrics_idle_time(loop);
  l->cpu_ns = thread_cpu_ns();
  return l;
}

static void close_cb(uv_handle_t *h)
{
  free(h->data);
}

void looplag_stop(struct looplag *l)
{
  if (!l)
    return;
  uv_close((uv_handle_t *)&l->check, close_cb);
}
