/* Admission. Owns the global semaphore, per-host state (in-flight count,
 * a pause from Retry-After, the requests parked behind it), the list of
 * requests in flight and the retries that wait for their time: a heap
 * under one uv timer, never a sleep, and no slot held while waiting.
 * Knows nothing of the engine or the output: run.c's callbacks start
 * requests. */
#include "config.h"

#include "sched.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct sched_host {
  struct sched_host *chain; /* next in the hash bucket */
  unsigned inflight;        /* requests to this host in flight */
  uint64_t until_ms;        /* paused until this uv_now(), 0 if not */
  double next_ms;           /* --rate-per-host: no start before this */
  double interval_ms;       /* this host's spacing, 0: the default */
  struct queue parked;      /* REQUEST_QUEUE_PARKED, first in first out */
  char name[];
};

static uint64_t hash_name(const char *s)
{
  uint64_t h = 0xcbf29ce484222325ULL;

  while (*s) {
    h ^= (unsigned char)*s++;
    h *= 0x100000001b3ULL;
  }
  return h;
}

static struct sched_host **bucket(struct sched *s, const char *name)
{
  return &s->hosts[hash_name(name) & (s->nbuckets - 1)];
}

static struct sched_host *host_find(struct sched *s, const char *name)
{
  struct sched_host *h;

  for (h = *bucket(s, name); h; h = h->chain)
    if (strcmp(h->name, name) == 0)
      return h;
  return NULL;
}

static void grow_table(struct sched *s)
{
  struct sched_host **old = s->hosts;
  size_t i, n = s->nbuckets;

  s->nbuckets *= 2;
  s->hosts = xcalloc(s->nbuckets, sizeof(*s->hosts));
  for (i = 0; i < n; i++) {
    struct sched_host *h = old[i], *next;

    for (; h; h = next) {
      struct sched_host **b = bucket(s, h->name);

      next = h->chain;
      h->chain = *b;
      *b = h;
    }
  }
  free(old);
}

static struct sched_host *host_get(struct sched *s, const char *name)
{
  struct sched_host *h = host_find(s, name);
  struct sched_host **b;
  size_t n;

  if (h)
    return h;
  if (s->nhosts >= s->nbuckets)
    grow_table(s);
  n = strlen(name);
  h = xcalloc(1, sizeof(*h) + n + 1);
  memcpy(h->name, name, n + 1);
  queue_init(&h->parked, REQUEST_QUEUE_PARKED);
  b = bucket(s, name);
  h->chain = *b;
  *b = h;
  s->nhosts++;
  return h;
}

/* Forget a host with nothing in flight, parked or paused: the table
 * holds only hosts with state, however many a run touches. */
static void host_maybe_drop(struct sched *s, struct sched_host *h)
{
  struct sched_host **p;

  if (h->inflight || !queue_empty(&h->parked) ||
      h->until_ms > uv_now(s->loop) || h->next_ms > (double)uv_now(s->loop) ||
      h->interval_ms > 0)
    return;
  for (p = bucket(s, h->name); *p != h; p = &(*p)->chain)
    ;
  *p = h->chain;
  s->nhosts--;
  free(h);
}

static bool host_blocked(const struct sched *s, const struct sched_host *h)
{
  uint64_t now = uv_now(s->loop);

  return h->until_ms > now || h->next_ms > (double)now ||
         (s->per_host && h->inflight >= s->per_host);
}

/* When "h" may start its next request, for the timer: 0 if now. */
static uint64_t host_ready_at(const struct sched_host *h)
{
  uint64_t at = h->until_ms;

  if (h->next_ms > (double)at)
    at = (uint64_t)h->next_ms + 1;
  return at;
}

/* Spacing of starts: the token buckets of --rate and --rate-per-host
 * with a burst of one, kept as the earliest time of the next start. */
static void note_start(struct sched *s, struct sched_host *h)
{
  double now = (double)uv_now(s->loop);
  double host_iv = h->interval_ms > 0 ? h->interval_ms : s->host_interval_ms;

  if (s->interval_ms > 0)
    s->next_ms = (s->next_ms > now ? s->next_ms : now) + s->interval_ms;
  if (host_iv > 0)
    h->next_ms = (h->next_ms > now ? h->next_ms : now) + host_iv;
}

int sched_init(struct sched *s, uv_loop_t *loop, unsigned limit,
               unsigned per_host, sched_next_fn *next_cb,
               sched_start_fn *start_cb, sched_idle_fn *idle_cb, void *ud,
               char err[VL_ERRLEN])
{
  int rc;

  memset(s, 0, sizeof(*s));
  s->loop = loop;
  s->limit = limit;
  s->per_host = per_host;
  heap_init(&s->waiting);
  queue_init(&s->running, REQUEST_QUEUE_INFLIGHT);
  queue_init(&s->ready, REQUEST_QUEUE_READY);
  s->nbuckets = 64;
  s->hosts = xcalloc(s->nbuckets, sizeof(*s->hosts));
  /* Parked requests were read from the input: bound them so that one
   * paused host cannot pull the whole input into memory. */
  s->park_limit = (size_t)limit * 4 + 64;
  s->next_cb = next_cb;
  s->start_cb = start_cb;
  s->idle_cb = idle_cb;
  s->ud = ud;
  rc = uv_timer_init(loop, &s->timer);
  if (rc < 0) {
    snprintf(err, VL_ERRLEN, "timer: %s", uv_strerror(rc));
    return -1;
  }
  s->timer.data = s;
  s->live = true;
  return 0;
}

/* "req" started: in flight, to its host "h" (sched_pump() has it, from
 * before start_cb: a start drops no host). */
static void link_inflight(struct sched *s, struct request *req,
                          struct sched_host *h)
{
  queue_push(&s->running, &req->link);
  s->inflight++;
  h->inflight++;
}

void sched_done(struct sched *s, struct request *req)
{
  struct sched_host *h = host_find(s, req->host);

  assert(s->inflight > 0 && h && h->inflight > 0);
  queue_remove(&s->running, &req->link);
  s->inflight--;
  h->inflight--;
  host_maybe_drop(s, h);
}

/* The request of link "l", or NULL. */
static struct request *entry(struct queue_link *l)
{
  return l ? QUEUE_ENTRY(l, struct request, link) : NULL;
}

static void park(struct sched *s, struct sched_host *h, struct request *req)
{
  queue_push(&h->parked, &req->link);
  s->parked++;
}

/* A parked request whose host is free now, or NULL. Hosts with parked
 * requests are few (park_limit bounds them), so a scan is cheap. */
static struct request *unpark(struct sched *s)
{
  size_t i;

  if (!s->parked)
    return NULL;
  for (i = 0; i < s->nbuckets; i++) {
    struct sched_host *h;

    for (h = s->hosts[i]; h; h = h->chain) {
      if (queue_empty(&h->parked) || host_blocked(s, h))
        continue;
      s->parked--;
      return entry(queue_pop(&h->parked));
    }
  }
  return NULL;
}

/* Move retries whose time came from the heap to the ready queue. */
static void collect_due(struct sched *s)
{
  const struct heap_entry *e;
  uint64_t now = uv_now(s->loop);

  while ((e = heap_peek(&s->waiting)) && e->key <= now) {
    struct request *req = heap_pop(&s->waiting);

    queue_push(&s->ready, &req->link);
  }
}

static void timer_cb(uv_timer_t *h);

/* Set the one timer for the earliest of: the next retry due, the end of
 * a pause of a host with parked requests. */
static void arm_timer(struct sched *s)
{
  const struct heap_entry *e = heap_peek(&s->waiting);
  uint64_t now = uv_now(s->loop), due = UINT64_MAX;
  size_t i;

  if (e)
    due = e->key;
  if (s->rate_waiting && (uint64_t)s->next_ms + 1 < due)
    due = (uint64_t)s->next_ms + 1;
  if (s->parked) {
    for (i = 0; i < s->nbuckets; i++) {
      struct sched_host *h;

      for (h = s->hosts[i]; h; h = h->chain)
        if (!queue_empty(&h->parked) && host_ready_at(h) > now &&
            host_ready_at(h) < due)
          due = host_ready_at(h);
    }
  }
  if (due == UINT64_MAX) {
    (void)uv_timer_stop(&s->timer); /* Cannot fail. */
    return;
  }
  /* Cannot fail on an initialised timer. */
  (void)uv_timer_start(&s->timer, timer_cb, due > now ? due - now : 0, 0);
}

static void timer_cb(uv_timer_t *h)
{
  struct sched *s = h->data;

  collect_due(s);
  sched_pump(s);
  arm_timer(s);
  /* The pump may have learnt that the input is over: say so, or nobody
   * would look again and the loop would run dry with handles open. */
  if (s->idle_cb && sched_idle(s))
    s->idle_cb(s->ud);
}

void sched_pump(struct sched *s)
{
  if (s->pumping || !s->live)
    return;
  s->pumping = true;
  s->rate_waiting = false;
  while (!s->stopped && !s->paused && s->inflight + s->held < s->limit) {
    struct request *req;
    struct sched_host *h;

    if (s->interval_ms > 0 && s->next_ms > (double)uv_now(s->loop)) {
      /* --rate: the next start is not due yet; the timer wakes us. The
       * next request is taken in now, to wait its turn first in line:
       * with none left, the input's end is seen at once, not an interval
       * later (a cron job with --rate 1/m would idle a minute). */
      if (queue_empty(&s->ready) && s->parked == 0) {
        req = s->next_cb(s->ud);
        if (!req)
          break;
        queue_push(&s->ready, &req->link);
      }
      s->rate_waiting = true;
      break;
    }
    req = entry(queue_pop(&s->ready));
    if (!req) {
      req = unpark(s);
      if (!req) {
        if (s->parked >= s->park_limit)
          break;
        req = s->next_cb(s->ud);
        if (!req)
          break;
      }
    }
    h = host_get(s, req->host);
    if (host_blocked(s, h)) {
      park(s, h, req);
      continue;
    }
    note_start(s, h);
    /* A failed start wrote the request's record and freed it. */
    if (s->start_cb(req, s->ud) == 0)
      link_inflight(s, req, h);
    else
      host_maybe_drop(s, h);
  }
  s->pumping = false;
  arm_timer(s);
}

void sched_pause(struct sched *s, enum sched_pause why)
{
  s->paused |= (unsigned)why;
}

void sched_resume(struct sched *s, enum sched_pause why)
{
  s->paused &= ~(unsigned)why;
  if (!s->paused)
    sched_pump(s);
}

void sched_pause_host(struct sched *s, const char *host, uint64_t delay_ms)
{
  struct sched_host *h = host_get(s, host);
  uint64_t until = uv_now(s->loop) + delay_ms;

  if (until > h->until_ms)
    h->until_ms = until;
}

void sched_set_rate(struct sched *s, double per_s, double per_host_s)
{
  /* Clamped while doubles: host_ready_at() and arm_timer() cast them. */
  s->interval_ms = per_s > 0 ? util_clamp_ms(1000.0 / per_s) : 0;
  s->host_interval_ms =
      per_host_s > 0 ? util_clamp_ms(1000.0 / per_host_s) : 0;
}

void sched_host_interval(struct sched *s, const char *host, double secs)
{
  struct sched_host *h = host_get(s, host);

  h->interval_ms = util_clamp_ms(secs * 1000.0);
}

void sched_stop(struct sched *s)
{
  s->stopped = true;
}

void sched_hold(struct sched *s)
{
  s->held++;
}

void sched_release(struct sched *s)
{
  assert(s->held > 0);
  s->held--;
}

void sched_retry(struct sched *s, struct request *req, uint64_t delay_ms)
{
  req->retry_at_ms = uv_now(s->loop) + delay_ms;
  heap_push(&s->waiting, req->retry_at_ms, req);
  arm_timer(s);
}

struct request *sched_inflight(const struct sched *s)
{
  /* The last started first, as cancellations always went. */
  return entry(s->running.tail);
}

void sched_drain(struct sched *s, sched_each_fn *fn, void *ud)
{
  struct request *req;
  struct queue list;
  size_t i;

  queue_init(&list, REQUEST_QUEUE_PARKED);
  while ((req = entry(queue_pop(&s->ready))))
    fn(req, ud);
  while ((req = heap_pop(&s->waiting)))
    fn(req, ud);
  /* The parked requests leave their hosts before any "fn": the last
   * record may end the run, and sched_close() free the hosts, inside it.
   * "parked" still counts them, so that sched_idle() says no till then. */
  for (i = 0; i < s->nbuckets; i++) {
    struct sched_host *h;

    for (h = s->hosts[i]; h; h = h->chain)
      queue_move_all(&list, &h->parked);
  }
  while ((req = entry(queue_pop(&list)))) {
    s->parked--;
    fn(req, ud);
  }
  (void)uv_timer_stop(&s->timer); /* Cannot fail. */
}

bool sched_idle(const struct sched *s)
{
  return s->inflight == 0 && queue_empty(&s->ready) && s->waiting.len == 0 &&
         s->parked == 0;
}

void sched_close(struct sched *s)
{
  size_t i;

  heap_free(&s->waiting);
  for (i = 0; i < s->nbuckets; i++) {
    struct sched_host *h, *next;

    for (h = s->hosts[i]; h; h = next) {
      next = h->chain;
      free(h);
    }
  }
  free(s->hosts);
  s->hosts = NULL;
  s->nbuckets = s->nhosts = 0;
  if (s->live && !uv_is_closing((uv_handle_t *)&s->timer))
    uv_close((uv_handle_t *)&s->timer, NULL);
  s->live = false;
}
