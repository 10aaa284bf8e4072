/* Admission. Owns the global semaphore, the list of requests in flight
 * and the retries that wait for their time: a heap under one uv timer,
 * never a sleep, and no slot held while waiting. Knows nothing of the
 * engine or the output: run.c's callbacks start requests. */
#include "config.h"

#include "sched.h"

#include <assert.h>

int sched_init(struct sched *s, uv_loop_t *loop, unsigned limit,
               sched_next_fn *next_cb, sched_start_fn *start_cb, void *ud)
{
  int rc;

  s->loop = loop;
  s->limit = limit;
  s->inflight = 0;
  s->head = NULL;
  s->ready = s->ready_tail = NULL;
  heap_init(&s->waiting);
  s->paused = 0;
  s->stopped = false;
  s->pumping = false;
  s->next_cb = next_cb;
  s->start_cb = start_cb;
  s->ud = ud;
  rc = uv_timer_init(loop, &s->timer);
  if (rc == 0)
    s->timer.data = s;
  return rc;
}

static void link_inflight(struct sched *s, struct request *req)
{
  req->prev = NULL;
  req->next = s->head;
  if (s->head)
    s->head->prev = req;
  s->head = req;
  s->inflight++;
}

void sched_done(struct sched *s, struct request *req)
{
  assert(s->inflight > 0);
  if (req->prev)
    req->prev->next = req->next;
  else
    s->head = req->next;
  if (req->next)
    req->next->prev = req->prev;
  req->prev = req->next = NULL;
  s->inflight--;
}

/* Move retries whose time came from the heap to the ready queue, and set
 * the timer for the next one. */
static void collect_due(struct sched *s)
{
  const struct heap_entry *e;
  uint64_t now = uv_now(s->loop);

  while ((e = heap_peek(&s->waiting)) && e->key <= now) {
    struct request *req = heap_pop(&s->waiting);

    req->next = NULL;
    if (s->ready_tail)
      s->ready_tail->next = req;
    else
      s->ready = req;
    s->ready_tail = req;
  }
}

static void timer_cb(uv_timer_t *h);

static void arm_timer(struct sched *s)
{
  const struct heap_entry *e = heap_peek(&s->waiting);
  uint64_t now = uv_now(s->loop);

  if (!e) {
    (void)uv_timer_stop(&s->timer); /* Cannot fail. */
    return;
  }
  /* Cannot fail on an initialised timer. */
  (void)uv_timer_start(&s->timer, timer_cb, e->key > now ? e->key - now : 0,
                       0);
}

static void timer_cb(uv_timer_t *h)
{
  struct sched *s = h->data;

  collect_due(s);
  arm_timer(s);
  sched_pump(s);
}

void sched_pump(struct sched *s)
{
  if (s->pumping)
    return;
  s->pumping = true;
  while (!s->stopped && !s->paused && s->inflight < s->limit) {
    struct request *req = s->ready;

    if (req) {
      s->ready = req->next;
      if (!s->ready)
        s->ready_tail = NULL;
      req->next = NULL;
    } else {
      req = s->next_cb(s->ud);
      if (!req)
        break;
    }
    /* A failed start wrote the request's record and freed it. */
    if (s->start_cb(req, s->ud) == 0)
      link_inflight(s, req);
  }
  s->pumping = false;
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

void sched_stop(struct sched *s)
{
  s->stopped = true;
}

void sched_retry(struct sched *s, struct request *req, uint64_t delay_ms)
{
  req->retry_at_ms = uv_now(s->loop) + delay_ms;
  heap_push(&s->waiting, req->retry_at_ms, req);
  arm_timer(s);
}

struct request *sched_inflight(const struct sched *s)
{
  return s->head;
}

void sched_drain(struct sched *s, sched_each_fn *fn, void *ud)
{
  struct request *req;

  while (s->ready) {
    req = s->ready;
    s->ready = req->next;
    req->next = NULL;
    fn(req, ud);
  }
  s->ready_tail = NULL;
  while ((req = heap_pop(&s->waiting)))
    fn(req, ud);
  (void)uv_timer_stop(&s->timer); /* Cannot fail. */
}

bool sched_idle(const struct sched *s)
{
  return s->inflight == 0 && !s->ready && s->waiting.len == 0;
}

size_t sched_waiting(const struct sched *s)
{
  size_t n = s->waiting.len;
  const struct request *r;

  for (r = s->ready; r; r = r->next)
    n++;
  return n;
}

void sched_close(struct sched *s)
{
  heap_free(&s->waiting);
  if (!uv_is_closing((uv_handle_t *)&s->timer))
    uv_close((uv_handle_t *)&s->timer, NULL);
}
