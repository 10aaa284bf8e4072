/* The robots.txt gate. One entry per origin (scheme, host, port): its
 * state, its parsed rules and the requests parked behind its fetch. A
 * fetched file is parsed in the thread pool (up to 500 KiB of rules take
 * tens of milliseconds), and the origin is ready when that job is back. A
 * crawl with --any-host meets as many origins as pages name, so they are
 * found through a hash table (chained, at most one entry a bucket on
 * average): a lookup per request costs the same at the ten-thousandth
 * origin as at the first. The robots.txt request is an internal one: it
 * takes a slot but writes no record. */
#include "config.h"

#include "gate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "buf.h"
#include "hmap.h"
#include "inputline.h"
#include "outcome.h"
#include "robots.h"
#include "urlnorm.h"
#include "util.h"

enum origin_state {
  ORIGIN_FETCHING, /* robots.txt requested, or being parsed */
  ORIGIN_READY     /* "rules" known (NULL: allow all) */
};

/* Buckets of the first table; it doubles when the origins outnumber
 * them. */
#define GATE_BUCKETS 64

/* Bytes the known origins may hold, their parsed rules included. A
 * robots.txt of 500 KiB of one-line rules parses to 3 or 4 MB, and an
 * --any-host crawl may meet thousands of origins: past the budget, the
 * origins used least recently are dropped (their robots.txt is fetched
 * again if a URL of theirs comes up later), but never one whose requests
 * the gate still holds, nor the newest. Real files take a few KB. */
#define GATE_BUDGET (32 * 1024 * 1024)

/* robots.txt files parsed at once; past that, gate_busy() asks for no
 * new request (which may be a new origin's fetch), so that fetched files
 * do not pile up in the pool, and readied origins with them, faster than
 * it parses them. */
#define GATE_PARSING_MAX 2

struct origin {
  struct origin *next; /* in its bucket */
  uint64_t hash;       /* of "name", hmap_key_of()'s (seeded) */
  enum origin_state state;
  struct robots *rules;  /* NULL: everything allowed */
  bool deny_all;         /* robots.txt answered 5xx (RFC 9309 2.3.1.4) */
  struct queue parked;   /* REQUEST_QUEUE_ROBOTS, first in first out */
  size_t held;           /* its requests parked or in "released" */
  size_t bytes;          /* this entry and its rules, for GATE_BUDGET */
  struct queue_link use; /* once READY: in the gate's "used" */
  char name[];           /* the key of urlnorm_origin(): "http://host:port" */
};

struct gate {
  const struct request_shared *shared;
  char *agent;
  struct origin **buckets; /* "nbuckets" chains */
  size_t nbuckets;         /* a power of two */
  size_t norigins;
  struct queue used;         /* READY origins, least recent first */
  size_t bytes;              /* held by READY origins */
  struct stats_crawl *count; /* gate_count_into()'s, or NULL */
  gate_ready_fn *ready_cb;
  void *ready_ud;
  size_t parsing;        /* jobs in the thread pool */
  struct queue released; /* REQUEST_QUEUE_RELEASED, in order */
  size_t holding;        /* requests in "released" and all "parked" */
};

/* A robots.txt body parsed in the thread pool. */
struct parse_job {
  uv_work_t work;
  struct gate *g;
  struct origin *o; /* FETCHING until the job is back: never dropped */
  struct buf body;  /* taken from the robots.txt request */
  struct robots *rules;
  size_t size; /* robots_size(rules) */
  char *host;  /* for the ready callback's Crawl-delay */
};

static uint64_t hash_of(const char *name)
{
  struct hmap_key k;

  hmap_key_of(&k, name, strlen(name), "", 0);
  return k.a;
}

static struct origin *find(struct gate *g, const char *name)
{
  uint64_t h = hash_of(name);
  struct origin *o;

  for (o = g->buckets[h & (g->nbuckets - 1)]; o; o = o->next)
    if (o->hash == h && strcmp(o->name, name) == 0)
      return o;
  return NULL;
}

/* Double the buckets and move every origin to its new chain. */
static void grow(struct gate *g)
{
  size_t n = g->nbuckets * 2, i;
  struct origin **b = xcalloc(n, sizeof(*b));

  for (i = 0; i < g->nbuckets; i++) {
    struct origin *o, *next;

    for (o = g->buckets[i]; o; o = next) {
      next = o->next;
      o->next = b[o->hash & (n - 1)];
      b[o->hash & (n - 1)] = o;
    }
  }
  free(g->buckets);
  g->buckets = b;
  g->nbuckets = n;
}

/* Take "o" out of its bucket. */
static void unlink_bucket(struct gate *g, struct origin *o)
{
  struct origin **p = &g->buckets[o->hash & (g->nbuckets - 1)];

  while (*p != o)
    p = &(*p)->next;
  *p = o->next;
  g->norigins--;
}

/* The id of the gate's queue of READY origins, the only queue an
 * origin is ever in. */
enum { GATE_USED = 1 };

static struct origin *used_entry(struct queue_link *l)
{
  return l ? QUEUE_ENTRY(l, struct origin, use) : NULL;
}

/* Past GATE_BUDGET, drop the origins used least recently that hold no
 * request, sparing "keep". Each one looked at is dropped or holds
 * requests, which the gate hands on soon: few are skipped. */
static void trim(struct gate *g, const struct origin *keep)
{
  struct origin *o = used_entry(g->used.head), *newer;

  while (g->bytes > GATE_BUDGET && o) {
    newer = used_entry(o->use.next);
    if (o != keep && o->held == 0) {
      queue_remove(&g->used, &o->use);
      unlink_bucket(g, o);
      g->bytes -= o->bytes;
      robots_free(o->rules);
      free(o);
      if (g->count)
        g->count->robots_dropped++;
    }
    o = newer;
  }
}

static void add(struct gate *g, struct origin *o)
{
  struct origin **head;

  if (g->norigins >= g->nbuckets)
    grow(g);
  head = &g->buckets[o->hash & (g->nbuckets - 1)];
  o->next = *head;
  *head = o;
  g->norigins++;
}

struct gate *gate_new(const struct request_shared *shared, const char *agent)
{
  struct gate *g = xcalloc(1, sizeof(*g));

  g->shared = shared;
  g->agent = xstrdup(agent);
  g->nbuckets = GATE_BUCKETS;
  g->buckets = xcalloc(g->nbuckets, sizeof(*g->buckets));
  queue_init(&g->used, GATE_USED);
  queue_init(&g->released, REQUEST_QUEUE_RELEASED);
  return g;
}

/* The request of link "l", or NULL. */
static struct request *entry(struct queue_link *l)
{
  return l ? QUEUE_ENTRY(l, struct request, link) : NULL;
}

static bool allowed(const struct origin *o, const char *url)
{
  struct urlnorm_origin uo;

  if (o->deny_all)
    return false;
  (void)urlnorm_origin(url, &uo); /* only the path is read */
  return !o->rules || robots_allowed(o->rules, uo.path);
}

enum gate_verdict gate_check(struct gate *g, struct request **reqp)
{
  struct request *req = *reqp;
  struct urlnorm_origin uo;
  const char *name = uo.key;
  char url[sizeof(uo.key) + 16];
  struct origin *o;
  struct inputline it;
  size_t n;

  if (!g)
    return GATE_PASS;
  /* "HTTP://User@Example.COM:80/" and "http://example.com/" share one
   * robots.txt: the key is the origin as urlnorm_origin() spells it. */
  (void)urlnorm_origin(req->url, &uo);
  o = find(g, name);
  if (o && o->state == ORIGIN_READY) {
    if (g->used.tail != &o->use) {
      queue_remove(&g->used, &o->use);
      queue_push(&g->used, &o->use);
    }
    return allowed(o, req->url) ? GATE_PASS : GATE_DENIED;
  }
  if (o) {
    queue_push(&o->parked, &req->link);
    o->held++;
    g->holding++;
    return GATE_PARKED;
  }
  n = strlen(name);
  o = xcalloc(1, sizeof(*o) + n + 1);
  memcpy(o->name, name, n + 1);
  o->hash = hash_of(o->name);
  o->state = ORIGIN_FETCHING;
  queue_init(&o->parked, REQUEST_QUEUE_ROBOTS);
  add(g, o);
  queue_push(&o->parked, &req->link);
  o->held++;
  g->holding++;

  /* The robots.txt request: GET, no record, the body kept. */
  memset(&it, 0, sizeof(it));
  snprintf(url, sizeof(url), "%s/robots.txt", name);
  it.kind = INPUTLINE_REQUEST;
  it.url = xstrdup(url);
  *reqp = request_new_take(&it, 0, 0, g->shared);
  (*reqp)->internal = true;
  (*reqp)->started_ns = uv_hrtime();
  return GATE_PASS;
}

/* "o"'s robots.txt is known: account for it, release its requests and
 * tell the caller its Crawl-delay for "host". */
static void ready(struct gate *g, struct origin *o, size_t rules_size,
                  const char *host)
{
  double crawl_delay = robots_crawl_delay(o->rules);

  o->state = ORIGIN_READY;
  o->bytes = sizeof(*o) + strlen(o->name) + 1 + rules_size;
  g->bytes += o->bytes;
  queue_push(&g->used, &o->use);
  if (g->count && g->bytes > g->count->robots_peak_bytes)
    g->count->robots_peak_bytes = g->bytes;
  trim(g, o);
  /* The parked requests go out in the order they came. */
  queue_move_all(&g->released, &o->parked);
  if (g->ready_cb)
    g->ready_cb(host, crawl_delay, g->ready_ud);
}

static void parse_work_cb(uv_work_t *w)
{
  struct parse_job *j = w->data;

  j->rules =
      robots_parse(j->body.p ? j->body.p : "", j->body.len, j->g->agent);
  j->size = robots_size(j->rules);
  buf_free(&j->body);
}

static void parse_after_cb(uv_work_t *w, int status)
{
  struct parse_job *j = w->data;
  struct gate *g = j->g;

  (void)status; /* never cancelled: the job is short */
  g->parsing--;
  j->o->rules = j->rules;
  ready(g, j->o, j->size, j->host);
  free(j->host);
  free(j); /* its body went in parse_work_cb() */
}

void gate_on_ready(struct gate *g, gate_ready_fn *cb, void *ud)
{
  if (g) {
    g->ready_cb = cb;
    g->ready_ud = ud;
  }
}

void gate_fetched(struct gate *g, struct request *fetch, CURLcode code)
{
  long status = outcome_status(fetch, code);
  struct urlnorm_origin uo;
  struct parse_job *j;
  struct origin *o;

  (void)urlnorm_origin(fetch->url, &uo);
  o = find(g, uo.key);
  if (!o)
    return;
  if (status >= 200 && status < 300) {
    j = xcalloc(1, sizeof(*j));
    j->g = g;
    j->o = o;
    j->body = fetch->bodybuf; /* taken: the request is freed next */
    memset(&fetch->bodybuf, 0, sizeof(fetch->bodybuf));
    j->host = xstrdup(fetch->host);
    j->work.data = j;
    g->parsing++;
    if (uv_queue_work(g->shared->loop, &j->work, parse_work_cb,
                      parse_after_cb) < 0) {
      /* The pool refused (it does not once the loop runs): parse here. */
      parse_work_cb(&j->work);
      parse_after_cb(&j->work, 0);
    }
    return;
  }
  if (status >= 500) {
    /* The server is in trouble: RFC 9309 says assume everything is
     * disallowed. 4xx, or no answer at all, allows everything (the
     * requests then meet their own errors). */
    o->deny_all = true;
  }
  ready(g, o, 0, fetch->host);
}

struct request *gate_next(struct gate *g, bool *denied)
{
  struct request *req = g ? entry(queue_pop(&g->released)) : NULL;
  struct urlnorm_origin uo;
  struct origin *o;

  if (!req)
    return NULL;
  g->holding--;
  (void)urlnorm_origin(req->url, &uo);
  o = find(g, uo.key);
  if (o)
    o->held--;
  *denied = o && !allowed(o, req->url);
  return req;
}

void gate_count_into(struct gate *g, struct stats_crawl *count)
{
  if (g)
    g->count = count;
}

bool gate_busy(const struct gate *g)
{
  return g && g->parsing >= GATE_PARSING_MAX;
}

size_t gate_holding(const struct gate *g)
{
  return g ? g->holding + g->parsing : 0;
}

/* Where a request cancelled while the gate held it waited: its record's
 * message follows the reason for the cancel with it (run.c). */
static const char held_why[] = "while waiting for robots.txt";

void gate_drain(struct gate *g, void (*fn)(struct request *, void *), void *ud)
{
  struct origin *o;
  struct request *req;
  bool denied;
  size_t i;

  if (!g)
    return;
  while ((req = gate_next(g, &denied))) {
    req->cancel_why = held_why;
    fn(req, ud);
  }
  for (i = 0; i < g->nbuckets; i++)
    for (o = g->buckets[i]; o; o = o->next)
      while ((req = entry(queue_pop(&o->parked)))) {
        o->held--;
        g->holding--;
        req->cancel_why = held_why;
        fn(req, ud);
      }
}

void gate_free(struct gate *g)
{
  struct origin *o, *next;
  size_t i;

  if (!g)
    return;
  for (i = 0; i < g->nbuckets; i++)
    for (o = g->buckets[i]; o; o = next) {
      next = o->next;
      robots_free(o->rules);
      free(o);
    }
  free(g->buckets);
  free(g->agent);
  free(g);
}
