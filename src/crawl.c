/* The crawl frontier. Keeps a set of normalised URLs (hashes, as --resume
 * does) so that each page is fetched once per run, whatever the cycles
 * between pages, and a ring of items per depth in discovery order. Depth
 * d waits until every URL of a smaller depth is done: handing out in
 * discovery order alone let a fast page's links go first, so a URL could
 * be found first by a longer path than a slow page offered. Pure. */
#include "config.h"

#include "crawl.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "urlnorm.h"

static int compile(const char *pattern, const char *opt, void **out,
                   char err[VL_ERRLEN])
{
  int code;
  PCRE2_SIZE off;
  pcre2_code *re;

  *out = NULL;
  if (!pattern)
    return 0;
  /* PCRE2_MATCH_INVALID_UTF: a URL with bytes that are not UTF-8 is
   * matched as it is, not refused with an error. */
  re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                     PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
  if (!re) {
    PCRE2_UCHAR msg[120];

    pcre2_get_error_message(code, msg, sizeof(msg));
    snprintf(err, VL_ERRLEN, "--%s: '%.60s': %s at offset %zu", opt, pattern,
             (const char *)msg, (size_t)off);
    return -1;
  }
  *out = re;
  return 0;
}

/* 1 when "re" matches "s", 0 when it does not, -1 when the match failed
 * (the match limit, a subject PCRE2 refuses). */
static int matches(void *re, const char *s)
{
  pcre2_match_data *md;
  int rc;

  md = pcre2_match_data_create_from_pattern(re, NULL);
  if (!md)
    abort(); /* Out of memory. */
  rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
  pcre2_match_data_free(md);
  return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

int crawl_init(struct crawl *c, unsigned max_depth, uint64_t max_urls,
               bool any_host, const char *include, const char *exclude,
               char err[VL_ERRLEN])
{
  memset(c, 0, sizeof(*c));
  c->max_depth = max_depth;
  c->max_urls = max_urls;
  c->any_host = any_host;
  c->levels = xcalloc((size_t)max_depth + 1, sizeof(*c->levels));
  if (compile(include, "include", &c->include, err) < 0 ||
      compile(exclude, "exclude", &c->exclude, err) < 0) {
    crawl_free(c);
    return -1;
  }
  return 0;
}

/* Add "url" to the seen set; false if it was there (or cannot be
 * normalised). */
static bool first_sight(struct crawl *c, const char *url)
{
  struct hmap_key k;
  char *norm = NULL;
  bool added;

  if (urlnorm_normalize(url, &norm) < 0)
    return false;
  hmap_key_of(&k, norm, strlen(norm), "", 0);
  free(norm);
  added = hmap_add(&c->seen, &k);
  return added;
}

void crawl_seed(struct crawl *c, const char *url)
{
  (void)first_sight(c, url);
  c->admitted++;
  c->levels[0].active++;
}

void crawl_mark(struct crawl *c, const char *url)
{
  if (first_sight(c, url))
    c->admitted++;
}

static void push(struct crawl *c, struct crawl_item *it)
{
  struct crawl_level *l = &c->levels[it->depth];

  if (l->len == l->cap) {
    size_t ncap = l->cap ? l->cap * 2 : 64, i;
    struct crawl_item *nq = xcalloc(ncap, sizeof(*nq));

    for (i = 0; i < l->len; i++)
      nq[i] = l->q[(l->head + i) % l->cap];
    free(l->q);
    l->q = nq;
    l->cap = ncap;
    l->head = 0;
  }
  l->q[(l->head + l->len) % l->cap] = *it;
  l->len++;
  c->queued++;
}

size_t crawl_offer(struct crawl *c, const char *const *links, size_t n,
                   unsigned depth, const char *parent_json,
                   const char *seed_host)
{
  size_t i, queued = 0;

  if (depth + 1 > c->max_depth)
    return 0;
  for (i = 0; i < n; i++) {
    struct crawl_item it;
    char host[256];

    if (c->max_urls && c->admitted >= c->max_urls)
      break;
    if (!c->any_host && (urlnorm_host(links[i], host, sizeof(host)) < 0 ||
                         strcmp(host, seed_host) != 0))
      continue;
    /* A match that failed keeps the URL out either way: an --exclude
     * that cannot tell must not let it in. */
    if (c->include && matches(c->include, links[i]) != 1)
      continue;
    if (c->exclude && matches(c->exclude, links[i]) != 0)
      continue;
    if (!first_sight(c, links[i]))
      continue;
    it.url = xstrdup(links[i]);
    it.parent_json = xstrdup(parent_json);
    it.seed_host = xstrdup(seed_host);
    it.depth = depth + 1;
    push(c, &it);
    c->admitted++;
    queued++;
  }
  return queued;
}

bool crawl_next(struct crawl *c, struct crawl_item *out)
{
  uint64_t shallower = 0; /* active URLs of the depths passed */
  unsigned d;

  if (!c->queued)
    return false;
  for (d = 0; d <= c->max_depth; d++) {
    struct crawl_level *l = &c->levels[d];

    if (l->len) {
      if (shallower)
        return false;
      *out = l->q[l->head];
      l->head = (l->head + 1) % l->cap;
      l->len--;
      l->active++;
      c->queued--;
      return true;
    }
    shallower += l->active;
  }
  return false;
}

void crawl_done(struct crawl *c, unsigned depth)
{
  if (depth <= c->max_depth && c->levels[depth].active)
    c->levels[depth].active--;
}

size_t crawl_queued(const struct crawl *c)
{
  return c->queued;
}

void crawl_item_clear(struct crawl_item *it)
{
  free(it->url);
  free(it->parent_json);
  free(it->seed_host);
  memset(it, 0, sizeof(*it));
}

void crawl_free(struct crawl *c)
{
  unsigned d;

  for (d = 0; c->levels && d <= c->max_depth; d++) {
    struct crawl_level *l = &c->levels[d];

    for (; l->len; l->len--, l->head = (l->head + 1) % l->cap)
      crawl_item_clear(&l->q[l->head]);
    free(l->q);
  }
  free(c->levels);
  c->levels = NULL;
  c->queued = 0;
  hmap_free(&c->seen);
  pcre2_code_free(c->include);
  pcre2_code_free(c->exclude);
  c->include = c->exclude = NULL;
}
