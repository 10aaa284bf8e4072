/* The crawl frontier: links found on fetched pages, kept when in scope
 * (depth, host, --include/--exclude, --max-urls) and not seen before
 * (a set of 128-bit keys of normalised URLs), handed out level by level
 * from compact blocks of bytes: a URL of depth d only once no URL of a
 * smaller depth is being fetched, so that a URL's depth is its shortest
 * distance from a seed. Pure. */
#ifndef VOLLEY_CRAWL_H
#define VOLLEY_CRAWL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmap.h"
#include "stats.h"
#include "util.h"

struct crawl_item {
  char *url;         /* absolute, as found (fragment dropped); owned */
  char *parent_json; /* id of the page that linked it, as JSON; owned */
  char *seed_host;   /* host of the seed it descends from; owned */
  unsigned depth;    /* hops from the seed, >= 1 */
};

struct crawl_block; /* a block of the frontier, private to crawl.c */

/* The queued URLs of one depth, first in, first out: bytes in a list of
 * blocks, one batch per page (its parent id and seed host once, then its
 * queued URLs), so a queued URL costs its length and a few bytes. */
struct crawl_level {
  struct crawl_block *head, *tail;
  size_t qlen;      /* URLs queued */
  char *cur_parent; /* the batch being read: its parent id as JSON; owned */
  char *cur_host;   /* its seed host; owned */
  uint64_t active;  /* handed out (seeds included), not crawl_done() yet */
};

struct crawl {
  unsigned max_depth;
  uint64_t max_urls; /* seeds and discovered URLs in all, 0: no cap */
  bool any_host;
  void *include;              /* compiled --include (pcre2_code), or NULL */
  void *exclude;              /* compiled --exclude, or NULL */
  struct hmap seen;           /* normalised URLs fetched or queued */
  uint64_t admitted;          /* seeds and discovered URLs let in */
  struct crawl_level *levels; /* max_depth + 1, indexed by depth */
  size_t qlen;                /* URLs queued, all levels */
  size_t qbytes;              /* bytes of the blocks, headers included */
  size_t qlen_peak;           /* the most URLs queued at once */
  size_t qbytes_peak;         /* the most bytes the blocks took at once */
};

/* Set up "c"; "include" and "exclude" are PCRE2 patterns or NULL. Returns
 * 0, or -1 with "err" naming the bad pattern. */
int crawl_init(struct crawl *c, unsigned max_depth, uint64_t max_urls,
               bool any_host, const char *include, const char *exclude,
               char err[VL_ERRLEN]);

/* Note a seed (an input URL), handed out now: it is fetched whatever the
 * scope, its links are followed, and it holds back depth 1 until
 * crawl_done(). */
void crawl_seed(struct crawl *c, const char *url);

/* Note a URL a resumed run's output already has: it counts towards
 * --max-urls and is never queued again. */
void crawl_mark(struct crawl *c, const char *url);

/* Offer "n" links found on a page at "depth" with id "parent_json",
 * descending from "seed_host". Queues those in scope and new; returns how
 * many were queued. "links" are absolute http or https URLs as libcurl
 * writes them (urlnorm.h). A link --include cannot match, or --exclude cannot
 * rule out (the match failed), is out of scope. */
size_t crawl_offer(struct crawl *c, const char *const *links, size_t n,
                   unsigned depth, const char *parent_json,
                   const char *seed_host);

/* Take the next queued item into "out" (the caller owns its strings): the
 * first of the smallest depth, and only when no URL of a smaller depth is
 * active (links it may offer could be shorter paths). False when none
 * may go now; crawl_done() or crawl_offer() may change that. */
bool crawl_next(struct crawl *c, struct crawl_item *out);

/* A URL of "depth" handed out (crawl_next(), crawl_seed()) is done: its
 * record is written and its links, if any, offered. */
void crawl_done(struct crawl *c, unsigned depth);

/* Items queued and not taken. */
size_t crawl_queued(const struct crawl *c);

/* The memory of the visited set and of the frontier (its peak) into
 * "m". */
void crawl_memory(const struct crawl *c, struct stats_crawl *m);

/* Release everything. */
void crawl_free(struct crawl *c);

/* Release an item's strings. */
void crawl_item_clear(struct crawl_item *it);

#endif
