/* The crawl frontier. Keeps a set of normalised URLs (128-bit hashes, as
 * --resume does) so that each page is fetched once per run, whatever the
 * cycles between pages, and the queued links in discovery order, packed
 * into blocks of bytes: a crawl of a million pages holds most of them
 * queued at some point, and a malloc'd item of three strings per link
 * cost twice the bytes of the link. Depth d waits until every URL of a
 * smaller depth is done: handing out in discovery order alone let a fast
 * page's links go first, so a URL could be found first by a longer path
 * than a slow page offered. Pure. */
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

/* Bytes of a block, unless one record needs more. */
#define CRAWL_BLOCK 65536

/* A record starts with one of these. */
#define REC_BATCH 'B' /* parent id, seed host: for the URLs after */
#define REC_URL   'U' /* one queued URL */

struct crawl_block {
  struct crawl_block *next;
  size_t len;  /* bytes written */
  size_t read; /* bytes read, <= len */
  size_t cap;
  unsigned char data[];
};

/* Room for "n" more bytes at the tail: a new block when the last one is
 * full. Records never straddle blocks. */
static unsigned char *reserve(struct crawl *c, struct crawl_level *l, size_t n)
{
  struct crawl_block *b = l->tail;

  if (!b || b->cap - b->len < n) {
    size_t cap = n > CRAWL_BLOCK ? n : CRAWL_BLOCK;

    b = xmalloc(sizeof(*b) + cap);
    b->next = NULL;
    b->len = b->read = 0;
    b->cap = cap;
    if (l->tail)
      l->tail->next = b;
    else
      l->head = b;
    l->tail = b;
    c->qbytes += sizeof(*b) + cap;
    if (c->qbytes > c->qbytes_peak)
      c->qbytes_peak = c->qbytes;
  }
  return b->data + b->len;
}

/* Bytes of "v" as a varint: 7 bits a byte, low first. */
static size_t varint_len(size_t v)
{
  size_t n = 1;

  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
}

static unsigned char *put_varint(unsigned char *p, size_t v)
{
  while (v >= 0x80) {
    *p++ = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  *p++ = (unsigned char)v;
  return p;
}

static const unsigned char *get_varint(const unsigned char *p, size_t *v)
{
  unsigned shift = 0;

  *v = 0;
  while (*p & 0x80) {
    *v |= (size_t)(*p++ & 0x7f) << shift;
    shift += 7;
  }
  *v |= (size_t)*p++ << shift;
  return p;
}

static unsigned char *put_str(unsigned char *p, const char *s, size_t n)
{
  p = put_varint(p, n);
  memcpy(p, s, n);
  return p + n;
}

/* Append the batch header of a page to level "l": its links follow. */
static void push_batch(struct crawl *c, struct crawl_level *l,
                       const char *parent, const char *host)
{
  size_t np = strlen(parent), nh = strlen(host);
  size_t n = 1 + varint_len(np) + np + varint_len(nh) + nh;
  unsigned char *p = reserve(c, l, n), *start = p;

  *p++ = REC_BATCH;
  p = put_str(p, parent, np);
  p = put_str(p, host, nh);
  l->tail->len += (size_t)(p - start);
}

static void push_url(struct crawl *c, struct crawl_level *l, const char *url)
{
  size_t nu = strlen(url);
  unsigned char *p = reserve(c, l, 1 + varint_len(nu) + nu), *start = p;

  *p++ = REC_URL;
  p = put_str(p, url, nu);
  l->tail->len += (size_t)(p - start);
  l->qlen++;
  c->qlen++;
  if (c->qlen > c->qlen_peak)
    c->qlen_peak = c->qlen;
}

/* A malloc'd copy of the string record at "*p", advancing "*p". */
static char *take_str(const unsigned char **p)
{
  size_t n;
  const unsigned char *s = get_varint(*p, &n);

  *p = s + n;
  return xstrndup((const char *)s, n);
}

size_t crawl_offer(struct crawl *c, const char *const *links, size_t n,
                   unsigned depth, const char *parent_json,
                   const char *seed_host)
{
  size_t i, queued = 0;

  if (depth + 1 > c->max_depth)
    return 0;
  for (i = 0; i < n; i++) {
    struct hmap_key k;
    struct urlnorm_origin o;

    if (c->max_urls && c->admitted >= c->max_urls)
      break;
    /* Most links of a site were seen before, by other pages, and most are
     * in their normal form already: then the text itself is in "seen"
     * (whose keys are normal forms, and a normal form is its own), and
     * parsing it twice with libcurl's URL API, on the loop thread, can
     * only end in the same "not first". That cost more than all the rest
     * of a crawl's loop thread. */
    hmap_key_of(&k, links[i], strlen(links[i]), "", 0);
    if (hmap_has(&c->seen, &k))
      continue;
    /* The links are absolute URLs as libcurl writes them (resolved, or
     * read back from records volley wrote): no need to parse them again
     * with libcurl to find their host. */
    if (!c->any_host &&
        (urlnorm_origin(links[i], &o) < 0 || strcmp(o.host, seed_host) != 0))
      continue;
    /* A match that failed keeps the URL out either way: an --exclude
     * that cannot tell must not let it in. */
    if (c->include && matches(c->include, links[i]) != 1)
      continue;
    if (c->exclude && matches(c->exclude, links[i]) != 0)
      continue;
    if (!first_sight(c, links[i]))
      continue;
    if (queued == 0)
      push_batch(c, &c->levels[depth + 1], parent_json, seed_host);
    push_url(c, &c->levels[depth + 1], links[i]);
    c->admitted++;
    queued++;
  }
  return queued;
}

/* Free level "l"'s blocks and batch strings. */
static void level_release(struct crawl *c, struct crawl_level *l)
{
  while (l->head) {
    struct crawl_block *b = l->head;

    l->head = b->next;
    c->qbytes -= sizeof(*b) + b->cap;
    free(b);
  }
  l->tail = NULL;
  free(l->cur_parent);
  free(l->cur_host);
  l->cur_parent = l->cur_host = NULL;
}

/* Take level "l"'s first URL into "out" (its depth set by the caller);
 * false when the level is empty. */
static bool level_take(struct crawl *c, struct crawl_level *l,
                       struct crawl_item *out)
{
  while (l->qlen) {
    struct crawl_block *b = l->head;
    const unsigned char *p;

    if (b->read == b->len) {
      /* A block is freed once read: the frontier shrinks as it drains. */
      l->head = b->next;
      if (!l->head)
        l->tail = NULL;
      c->qbytes -= sizeof(*b) + b->cap;
      free(b);
      continue;
    }
    p = b->data + b->read;
    if (*p++ == REC_BATCH) {
      free(l->cur_parent);
      free(l->cur_host);
      l->cur_parent = take_str(&p);
      l->cur_host = take_str(&p);
      b->read = (size_t)(p - b->data);
      continue;
    }
    out->url = take_str(&p);
    b->read = (size_t)(p - b->data);
    out->parent_json = xstrdup(l->cur_parent);
    out->seed_host = xstrdup(l->cur_host);
    l->qlen--;
    c->qlen--;
    if (!l->qlen)
      level_release(c, l); /* a drained level keeps no block */
    return true;
  }
  return false;
}

bool crawl_next(struct crawl *c, struct crawl_item *out)
{
  unsigned d;

  if (!c->qlen)
    return false;
  for (d = 0; d <= c->max_depth; d++) {
    struct crawl_level *l = &c->levels[d];

    if (l->qlen) {
      if (!level_take(c, l, out))
        return false;
      out->depth = d;
      l->active++;
      return true;
    }
    if (l->active)
      return false; /* its links may be shorter paths */
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
  return c->qlen;
}

void crawl_memory(const struct crawl *c, struct stats_crawl *m)
{
  m->seen = c->seen.len;
  m->seen_bytes = (uint64_t)c->seen.cap * sizeof(*c->seen.slots);
  m->frontier_peak = c->qlen_peak;
  m->frontier_peak_bytes = c->qbytes_peak;
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

  for (d = 0; c->levels && d <= c->max_depth; d++)
    level_release(c, &c->levels[d]);
  free(c->levels);
  c->levels = NULL;
  c->qlen = c->qbytes = 0;
  hmap_free(&c->seen);
  pcre2_code_free(c->include);
  pcre2_code_free(c->exclude);
  c->include = c->exclude = NULL;
}
