/* The requests of a run, in id order: positional URLs or input lines,
 * then the crawl frontier. Owns the frontier and the sequence numbers;
 * borrows the input and --resume's set of done requests. Admits nothing
 * and writes no record. */
#include "config.h"

#include "feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "outcome.h"
#include "urlnorm.h"

struct feed_page {
  char *parent; /* the page's id, as text */
  char *host;
  unsigned depth;
  size_t order; /* its place in FILE */
  char **links;
  size_t nlinks;
};

int feed_init(struct feed *f, const struct config *cfg,
              const struct request_shared *shared, char err[VL_ERRLEN])
{
  memset(f, 0, sizeof(*f));
  f->cfg = cfg;
  f->shared = shared;
  if (cfg->id_prefix) {
    f->id_prefix_json = inputline_id_prefix(cfg->id_prefix);
    if (!f->id_prefix_json) {
      snprintf(err, VL_ERRLEN, "--id-prefix: not valid UTF-8");
      return -1;
    }
  }
  if (cfg->crawl) {
    if (crawl_init(&f->crawl, cfg->crawl_depth, cfg->max_urls, cfg->any_host,
                   cfg->include, cfg->exclude, err) < 0)
      return -1;
    f->crawling = true;
    if (!cfg->ignore_robots)
      f->gate = gate_new(shared, "volley");
  }
  return 0;
}

void feed_set_sources(struct feed *f, struct input *in,
                      const struct hmap *done, const struct since *since)
{
  f->in = in;
  f->done = done;
  f->since = since;
}

/* Whether "it" falls in this run's --shard. A line without a URL (bad
 * JSON) goes by its error text: the same on every machine, so exactly one
 * shard reports it. */
static bool in_shard(const struct feed *f, const struct inputline *it)
{
  const char *method = it->method ? it->method : f->cfg->method;
  uint64_t h;

  if (!method)
    method = it->body || f->shared->data ? "POST" : "GET";
  h = inputline_shard_hash(method, it->url ? it->url : it->err);
  return h % f->cfg->shard_n == f->cfg->shard_k;
}

/* --since: give "req" FILE's record of it, found by its id and URL, or
 * for a page the crawl discovered ("discovered") by its URL alone, as
 * resume_since_load() keys them. */
static void find_since(const struct feed *f, struct request *req,
                       bool discovered)
{
  struct hmap_key k;

  if (!f->since)
    return;
  resume_key(&k, discovered ? "" : req->id_json, req->line, req->url);
  request_since(req, since_find(f->since, &k));
}

/* The next line of the arguments or the input, parsed; FEED_REQUEST with
 * "it" filled when there is one. */
static enum feed_status next_line(struct feed *f, struct inputline *it,
                                  uint64_t *lineno)
{
  const struct config *cfg = f->cfg;
  struct input_line line;

  if (!f->in) {
    if (f->next_arg >= cfg->nurls) {
      f->input_done = true;
      return FEED_END;
    }
    line.p = cfg->urls[f->next_arg];
    line.len = strlen(line.p);
    line.lineno = ++f->next_arg;
    line.overlong = false;
  } else {
    switch (input_next(f->in, &line)) {
    case INPUT_WAIT:
      return FEED_WAIT;
    case INPUT_ERROR:
      f->input_failed = true;
      f->input_done = true;
      return FEED_FAILED;
    case INPUT_END:
      f->input_done = true;
      return FEED_END;
    case INPUT_LINE:
      break;
    }
  }
  f->last_line = *lineno = line.lineno;
  if (line.overlong) {
    memset(it, 0, sizeof(*it));
    it->kind = INPUTLINE_ERROR;
    snprintf(it->err, sizeof(it->err), "line longer than 16 MiB");
  } else {
    inputline_parse_with(it, line.p, line.len,
                         cfg->inputfmt == CLI_INPUT_LINES   ? INPUTLINE_LINES
                         : cfg->inputfmt == CLI_INPUT_JSONL ? INPUTLINE_JSONL
                                                            : INPUTLINE_AUTO,
                         cfg->proto_default);
  }
  return FEED_REQUEST;
}

/* The next request or bad line of the input, skipping blank lines and
 * comments, other shards' lines and requests FILE has. */
static enum feed_status next_input(struct feed *f, struct request **req,
                                   struct inputline *bad, uint64_t *lineno,
                                   uint64_t *seq)
{
  for (;;) {
    struct inputline it;
    enum feed_status st = next_line(f, &it, lineno);

    if (st != FEED_REQUEST)
      return st;
    if (it.kind == INPUTLINE_SKIP)
      continue;
    if (f->cfg->shard_n && !in_shard(f, &it)) {
      /* Another shard's request: no record here, ids unchanged. */
      inputline_clear(&it);
      continue;
    }
    /* Before the key is made: --resume matches the prefixed id. */
    if (f->id_prefix_json)
      inputline_number(&it, f->id_prefix_json, *lineno);
    if (f->done && f->done->len) {
      struct hmap_key k;

      /* FILE has this request's record already: no new one. */
      resume_key(&k, it.id_json, *lineno, it.url);
      if (hmap_has(f->done, &k)) {
        inputline_clear(&it);
        continue;
      }
    }
    *seq = f->next_seq++;
    if (it.kind == INPUTLINE_ERROR) {
      *bad = it;
      return FEED_BAD;
    }
    *req = request_new_take(&it, *lineno, *seq, f->shared);
    (*req)->started_ns = uv_hrtime();
    find_since(f, *req, false);
    if (f->crawling) {
      crawl_seed(&f->crawl, (*req)->url);
      (*req)->seed_host = xstrdup((*req)->host);
    }
    return FEED_REQUEST;
  }
}

/* The next URL of the crawl frontier as a request: its id continues
 * after the input's line numbers and FILE's ids. */
static struct request *next_discovered(struct feed *f)
{
  struct crawl_item item;
  struct inputline it;
  struct request *req;

  if (!crawl_next(&f->crawl, &item))
    return NULL;
  memset(&it, 0, sizeof(it));
  it.kind = INPUTLINE_REQUEST;
  it.url = item.url;
  if (f->last_line < f->resumed_max_id)
    f->last_line = f->resumed_max_id;
  req = request_new_take(&it, ++f->last_line, f->next_seq++, f->shared);
  req->started_ns = uv_hrtime();
  req->depth = item.depth;
  req->parent_json = item.parent_json;
  req->seed_host = item.seed_host;
  find_since(f, req, true);
  return req;
}

/* feed_next() with the bad line as it is. */
static enum feed_status next_any(struct feed *f, struct request **req,
                                 struct inputline *bad, uint64_t *line,
                                 uint64_t *seq)
{
  *req = NULL;
  for (;;) {
    if (!f->input_done) {
      enum feed_status st = next_input(f, req, bad, line, seq);

      if (st == FEED_END)
        continue; /* the input is done: the frontier is next */
      return st;
    }
    if (!f->crawling || !(*req = next_discovered(f)))
      return FEED_END;
    *line = (*req)->line;
    *seq = (*req)->seq;
    return FEED_REQUEST;
  }
}

/* Fill "res" with the record of input line "lineno", "it", that is not a
 * request (borrowed from "it"); returns --since's record of that line, or
 * NULL if none. */
static const struct since_entry *bad_result(const struct feed *f,
                                            const struct inputline *it,
                                            uint64_t lineno,
                                            struct result *res)
{
  struct hmap_key k;

  record_result_init(res);
  res->id_json = it->id_json;
  res->line = lineno;
  res->url = it->url;
  res->kind = ERRKIND_INPUT;
  res->message = it->err;
  if (!f->shared->since)
    return NULL;
  resume_key(&k, it->id_json, lineno, it->url);
  return since_find(f->shared->since, &k);
}

/* "*req", which robots.txt disallows, to the result of its record, "res"
 * (kind "robots"); "f" keeps the request until the next feed_next(). */
static enum feed_status deny(struct feed *f, struct request **req,
                             struct result *res,
                             const struct since_entry **prev, uint64_t *seq)
{
  struct request *r = *req;

  outcome_result(r, CURLE_OK, uv_hrtime(), res);
  res->kind = ERRKIND_ROBOTS;
  res->message = "disallowed by robots.txt";
  feed_crawl_fields(r, res);
  *prev = r->since_prev;
  *seq = r->seq;
  feed_done(f, r);
  f->denied = r;
  *req = NULL;
  return FEED_DENIED;
}

enum feed_status feed_next(struct feed *f, const struct sink *sink,
                           struct request **req, struct result *rec,
                           const struct since_entry **prev, uint64_t *seq)
{
  uint64_t line;
  enum feed_status st;
  bool denied;

  /* The records of the last call's results are out. */
  inputline_clear(&f->bad);
  request_free(f->denied);
  f->denied = NULL;
  for (;;) {
    *req = gate_next(f->gate, &denied);
    if (*req) {
      *seq = (*req)->seq;
      return denied ? deny(f, req, rec, prev, seq) : FEED_REQUEST;
    }
    if (sink && !sink_room(sink, f->next_seq))
      return FEED_WAIT;
    /* A new request may be a new origin's robots.txt: not while files
     * wait to be parsed. The gate's ready callback asks again. */
    if (gate_busy(f->gate))
      return FEED_WAIT;
    st = next_any(f, req, &f->bad, &line, seq);
    if (st == FEED_BAD)
      *prev = bad_result(f, &f->bad, line, rec);
    if (st != FEED_REQUEST)
      return st;
    switch (gate_check(f->gate, req)) {
    case GATE_PASS:
      return FEED_REQUEST;
    case GATE_PARKED:
      continue;
    case GATE_DENIED:
      return deny(f, req, rec, prev, seq);
    }
  }
}

void feed_offer_links(struct feed *f, const struct request *req,
                      const struct extract_result *xr)
{
  char id[32];
  const char *parent = req->id_json;

  if (!f->crawling || !xr)
    return;
  if (!parent) {
    snprintf(id, sizeof(id), "%llu", (unsigned long long)req->line);
    parent = id;
  }
  (void)crawl_offer(&f->crawl, (const char *const *)xr->links, xr->nlinks,
                    req->depth, parent,
                    req->seed_host ? req->seed_host : req->host);
}

void feed_done(struct feed *f, const struct request *req)
{
  if (f->crawling && !req->internal)
    crawl_done(&f->crawl, req->depth);
}

uint64_t feed_total(const struct feed *f, bool *estimated)
{
  uint64_t taken, size;

  *estimated = false;
  if (!f->in || f->crawling)
    return f->cfg->nurls;
  if (f->input_done && !f->input_failed)
    return f->next_seq;
  input_progress(f->in, &taken, &size);
  if (!size || !taken || taken > size)
    return f->cfg->nurls;
  *estimated = true;
  return (uint64_t)((double)f->next_seq * (double)size / (double)taken + 0.5);
}

size_t feed_queued(const struct feed *f)
{
  return f->crawling ? crawl_queued(&f->crawl) : 0;
}

void feed_crawl_memory(const struct feed *f, struct stats_crawl *m)
{
  if (f->crawling)
    crawl_memory(&f->crawl, m);
}

void feed_crawl_fields(const struct request *req, struct result *res)
{
  if (!req->seed_host) /* not crawling */
    return;
  res->crawled = true;
  res->depth = req->parent_json ? req->depth : 0;
  res->parent_json = req->parent_json;
}

void feed_resumed(const struct resume_record *rec, void *ud)
{
  struct feed *f = ud;
  struct feed_page *pg;
  char host[256], id[32];
  size_t i;

  crawl_mark(&f->crawl, rec->url);
  if (rec->id > f->resumed_max_id)
    f->resumed_max_id = rec->id;
  if (!rec->ok || !rec->nlinks || !rec->id ||
      urlnorm_host(rec->url, host, sizeof(host)) < 0)
    return;
  if (f->npages == f->cappages) {
    f->cappages = f->cappages ? f->cappages * 2 : 16;
    f->pages = xrealloc(f->pages, f->cappages * sizeof(*f->pages));
  }
  pg = &f->pages[f->npages];
  pg->order = f->npages++;
  snprintf(id, sizeof(id), "%llu", (unsigned long long)rec->id);
  pg->parent = xstrdup(id);
  pg->host = xstrdup(host);
  pg->depth = rec->depth;
  pg->nlinks = rec->nlinks;
  pg->links = xcalloc(rec->nlinks, sizeof(*pg->links));
  for (i = 0; i < rec->nlinks; i++)
    pg->links[i] = xstrdup(rec->links[i]);
}

static void pages_free(struct feed *f)
{
  size_t i, j;

  for (i = 0; i < f->npages; i++) {
    struct feed_page *pg = &f->pages[i];

    for (j = 0; j < pg->nlinks; j++)
      free(pg->links[j]);
    free(pg->links);
    free(pg->parent);
    free(pg->host);
  }
  free(f->pages);
  f->pages = NULL;
  f->npages = f->cappages = 0;
}

/* Shallower pages first, then FILE's order: a link is queued at the depth
 * of the first page that offers it. */
static int page_cmp(const void *a, const void *b)
{
  const struct feed_page *x = a, *y = b;

  if (x->depth != y->depth)
    return x->depth < y->depth ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

void feed_resumed_offer(struct feed *f)
{
  size_t i;

  if (f->npages)
    qsort(f->pages, f->npages, sizeof(*f->pages), page_cmp);
  for (i = 0; i < f->npages; i++) {
    struct feed_page *pg = &f->pages[i];

    (void)crawl_offer(&f->crawl, (const char *const *)pg->links, pg->nlinks,
                      pg->depth, pg->parent, pg->host);
  }
  pages_free(f);
}

void feed_free(struct feed *f)
{
  pages_free(f);
  inputline_clear(&f->bad);
  request_free(f->denied);
  f->denied = NULL;
  gate_free(f->gate);
  f->gate = NULL;
  free(f->id_prefix_json);
  f->id_prefix_json = NULL;
  if (f->crawling)
    crawl_free(&f->crawl);
  f->crawling = false;
}
