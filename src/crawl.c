/* The crawl frontier. Keeps a set of normalised URLs (hashes, as --resume
 * does) so that each page is fetched once per run, whatever the cycles
 * between pages, and a ring of items in discovery order. Pure. */
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
  re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
                     &code, &off, NULL);
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

static bool matches(void *re, const char *s)
{
  pcre2_match_data *md;
  int rc;

  md = pcre2_match_data_create_from_pattern(re, NULL);
  if (!md)
    abort(); /* Out of memory. */
  rc = pcre2_match(re, (PCRE2_SPTR)s, strlen(s), 0, 0, md, NULL);
  pcre2_match_data_free(md);
  return rc >= 0;
}

int crawl_init(struct crawl *c, unsigned max_depth, uint64_t max_urls,
               bool any_host, const char *include, const char *exclude,
               char err[VL_ERRLEN])
{
  memset(c, 0, sizeof(*c));
  c->max_depth = max_depth;
  c->max_urls = max_urls;
  c->any_host = any_host;
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
}

void crawl_mark(struct crawl *c, const char *url)
{
  if (first_sight(c, url))
    c->admitted++;
}

static void push(struct crawl *c, struct crawl_item *it)
{
  if (c->qlen == c->qcap) {
    size_t ncap = c->qcap ? c->qcap * 2 : 64, i;
    struct crawl_item *nq = xcalloc(ncap, sizeof(*nq));

    for (i = 0; i < c->qlen; i++)
      nq[i] = c->q[(c->qhead + i) % c->qcap];
    free(c->q);
    c->q = nq;
    c->qcap = ncap;
    c->qhead = 0;
  }
  c->q[(c->qhead + c->qlen) % c->qcap] = *it;
  c->qlen++;
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
    struct hmap_key k;
    char host[256];

    if (c->max_urls && c->admitted >= c->max_urls)
      break;
    /* Most links of a site were offered before, by other pages: parsing
     * and normalising them again (libcurl's URL API, on the loop thread)
     * cost more than all the rest here. */
    hmap_key_of(&k, links[i], strlen(links[i]), "", 0);
    if (hmap_has(&c->offered, &k))
      continue;
    if (!c->any_host && (urlnorm_host(links[i], host, sizeof(host)) < 0 ||
                         strcmp(host, seed_host) != 0))
      continue;
    if (c->include && !matches(c->include, links[i]))
      continue;
    if (c->exclude && matches(c->exclude, links[i]))
      continue;
    /* In scope, so skipping it later changes nothing: where a seed's host
     * puts it out of scope it is skipped anyway, and first_sight() of the
     * same text gives the same answer. */
    (void)hmap_add(&c->offered, &k);
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
  if (!c->qlen)
    return false;
  *out = c->q[c->qhead];
  c->qhead = (c->qhead + 1) % c->qcap;
  c->qlen--;
  return true;
}

size_t crawl_queued(const struct crawl *c)
{
  return c->qlen;
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
  struct crawl_item it;

  while (crawl_next(c, &it))
    crawl_item_clear(&it);
  free(c->q);
  c->q = NULL;
  c->qcap = 0;
  hmap_free(&c->seen);
  hmap_free(&c->offered);
  pcre2_code_free(c->include);
  pcre2_code_free(c->exclude);
  c->include = c->exclude = NULL;
}
