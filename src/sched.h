/* Admission: the global semaphore of -c, per-host caps and pauses, the
 * list of requests in flight, and retries waiting for their time (a heap
 * under one timer). A waiting retry, or a request parked behind a full or
 * paused host, holds no slot and blocks no other host. The in-flight
 * counts live here only. */
#ifndef VOLLEY_SCHED_H
#define VOLLEY_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "heap.h"
#include "request.h"
#include "util.h"

/* The next new request to admit, or NULL when there is none now (input
 * not ready, window full, the end). Owned by sched after. */
typedef struct request *sched_next_fn(void *ud);

/* Start "req", admitted into a slot. Returns 0 (in flight), or -1: the
 * callee already wrote its record and freed it. */
typedef int sched_start_fn(struct request *req, void *ud);

/* Admission ran from sched's own timer (a retry due, a pause or a rate
 * wait over) and found nothing to do: the caller may check whether the
 * run is over, as it does after its own calls to sched_pump(). */
typedef void sched_idle_fn(void *ud);

/* Called for each request handed back by sched_drain(). */
typedef void sched_each_fn(struct request *req, void *ud);

/* Reasons to pause admission; each is set and cleared on its own. */
enum sched_pause {
  SCHED_PAUSE_OUTPUT = 1 /* the writer is above its high watermark */
};

struct sched_host; /* per-host state, private to sched.c */

struct sched {
  uv_loop_t *loop;
  unsigned limit;       /* -c */
  unsigned per_host;    /* --per-host, 0 for no cap */
  unsigned inflight;    /* <= limit; the length of "running" */
  struct queue running; /* REQUEST_QUEUE_INFLIGHT: owned by their transfer */
  struct queue ready;   /* REQUEST_QUEUE_READY: retries due, in order */
  /* Slots kept by requests out of flight whose record is not written
   * yet (sched_hold()): admission needs inflight + held < limit. */
  unsigned held;
  struct heap waiting;       /* retries not due yet, keyed by due time (ms) */
  struct sched_host **hosts; /* hash table of hosts, "nbuckets" chains */
  size_t nbuckets;
  size_t nhosts;
  size_t parked;           /* requests parked behind their host */
  size_t park_limit;       /* stop reading new requests past this */
  uv_timer_t timer;        /* next retry due or host pause over */
  double interval_ms;      /* --rate: least time between starts, or 0 */
  double host_interval_ms; /* --rate-per-host, or 0 */
  double next_ms;          /* --rate: no start before this uv_now() */
  bool rate_waiting;       /* admission stopped for --rate */
  unsigned paused;         /* enum sched_pause bits */
  bool stopped;            /* no more admission, ever */
  bool live;               /* sched_init() succeeded: the timer is live */
  bool pumping;            /* in sched_pump(): no recursion */
  sched_next_fn *next_cb;
  sched_start_fn *start_cb;
  sched_idle_fn *idle_cb; /* may be NULL */
  void *ud;
};

/* Set up "s" on "loop" with "limit" slots and at most "per_host" of them
 * per host (0: no cap); the callbacks get "ud", "idle_cb" may be NULL.
 * Returns 0, or -1 with "err" filled; sched_close() either way. sched_pump(),
 * sched_pause(), sched_resume(), sched_stop(), sched_idle() and
 * sched_close() also take a zeroed "s" whose sched_init() was not called
 * or failed: it admits nothing and is idle. */
int sched_init(struct sched *s, uv_loop_t *loop, unsigned limit,
               unsigned per_host, sched_next_fn *next_cb,
               sched_start_fn *start_cb, sched_idle_fn *idle_cb, void *ud,
               char err[VL_ERRLEN]);

/* Admit while a slot is free and nothing pauses: due retries first, then
 * parked requests whose host is free, then new ones from next_cb. Safe
 * to call from any callback. */
void sched_pump(struct sched *s);

/* Set or clear a pause reason; clearing the last one pumps. */
void sched_pause(struct sched *s, enum sched_pause why);
void sched_resume(struct sched *s, enum sched_pause why);

/* Start no request to "host" for "delay_ms" (a Retry-After): requests for
 * it are parked meanwhile; other hosts go on. */
void sched_pause_host(struct sched *s, const char *host, uint64_t delay_ms);

/* Space starts: at most "per_s" a second overall and "per_host_s" per
 * host (0: no limit). A spacing past VL_DURATION_MAX_MS counts as that. */
void sched_set_rate(struct sched *s, double per_s, double per_host_s);

/* Space the starts to "host" by "secs" (robots.txt's Crawl-delay),
 * instead of --rate-per-host's spacing; clamped to VL_DURATION_MAX_MS. */
void sched_host_interval(struct sched *s, const char *host, double secs);

/* Admit nothing more. */
void sched_stop(struct sched *s);

/* "req" left flight (finished or cancelled): its slot is free. The caller
 * owns "req" again. Does not pump. */
void sched_done(struct sched *s, struct request *req);

/* A request left flight but keeps its slot until sched_release(): its
 * body is still in memory, waiting for or under extraction, or its
 * --save file is being closed. So -c bounds the bodies held, not only
 * the transfers. Neither pumps. */
void sched_hold(struct sched *s);
void sched_release(struct sched *s);

/* Wait "delay_ms", then admit "req" again ahead of new requests. sched
 * owns "req" until it is admitted or drained. */
void sched_retry(struct sched *s, struct request *req, uint64_t delay_ms);

/* The request in flight that started last, NULL if none. */
struct request *sched_inflight(const struct sched *s);

/* Hand every request not in flight (waiting retries, parked requests) to
 * "fn", which takes ownership. */
void sched_drain(struct sched *s, sched_each_fn *fn, void *ud);

/* Nothing in flight, waiting or parked. */
bool sched_idle(const struct sched *s);

/* Close the timer and free the host table; the loop must run on for the
 * timer's close callback. */
void sched_close(struct sched *s);

#endif
