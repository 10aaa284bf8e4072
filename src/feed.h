/* Where requests come from, in id order: the positional URLs or the input
 * (parsed as --input-format says, kept to --shard, skipped when --resume's
 * FILE has them), then, with --crawl, the frontier, whose ids continue
 * after the input's and FILE's, through the robots.txt gate (gate.c).
 * Numbers every request and record in admission sequence, within the
 * --ordered window. Knows nothing of admission or the output: an input
 * line that is not a request, and a request robots.txt disallows, come
 * back as results for the caller to record. */
#ifndef VOLLEY_FEED_H
#define VOLLEY_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli.h"
#include "crawl.h"
#include "extract.h"
#include "hmap.h"
#include "input.h"
#include "inputline.h"
#include "record.h"
#include "request.h"
#include "gate.h"
#include "resume.h"
#include "sink.h"
#include "util.h"

struct feed_page; /* a page of --resume's FILE whose links wait */

struct feed {
  const struct config *cfg;
  const struct request_shared *shared;
  struct input *in;          /* borrowed; NULL: the positional URLs */
  const struct hmap *done;   /* borrowed: keys of the requests FILE has */
  const struct since *since; /* borrowed: --since FILE's index, or NULL */
  size_t next_arg;           /* next positional URL */
  struct crawl crawl;        /* --crawl: the frontier, if "crawling" */
  bool crawling;
  bool input_done;         /* no more requests will be read */
  bool input_failed;       /* reading the input failed */
  uint64_t last_line;      /* highest input line number read */
  uint64_t resumed_max_id; /* --resume --crawl: highest id in FILE */
  uint64_t next_seq;       /* sequence number of the next request */
  struct feed_page *pages; /* --resume --crawl: see feed_resumed() */
  size_t npages, cappages;
  char *id_prefix_json;   /* --id-prefix as inputline_id_prefix() made it,
                             owned; NULL without it */
  struct inputline bad;   /* the line of the last FEED_BAD, owned until the
                             next feed_next() */
  struct request *denied; /* the request of the last FEED_DENIED, owned
                             until the next feed_next() */
  struct gate *gate;      /* --crawl's robots.txt gate, owned; NULL without it
                             or with --ignore-robots. The caller gives it the
                             robots.txt requests' ends and drains it. */
};

enum feed_status {
  FEED_REQUEST, /* "*req" is the next request, the caller's now */
  FEED_BAD,     /* an input line that is not a request: the result of
                   its record and its sequence number */
  FEED_DENIED,  /* robots.txt disallows a request: likewise */
  FEED_FAILED,  /* reading the input failed (input_error() says why);
                   the crawl frontier may still follow */
  FEED_WAIT,    /* nothing ready: the input calls back when it has more,
                   the sink when its --ordered window moves, the gate
                   when a robots.txt is parsed */
  FEED_END      /* nothing more, unless fetched pages offer links */
};

/* An empty feed for "cfg" whose requests share "shared"; with --crawl it
 * owns the frontier and, unless --ignore-robots, the robots.txt gate. "in",
 * "done" and "since" are set by the caller before the first feed_next().
 * Returns 0, or -1 with "err" filled (a bad
 * --include or --exclude). */
int feed_init(struct feed *f, const struct config *cfg,
              const struct request_shared *shared, char err[VL_ERRLEN]);

/* Where requests come from besides the positional URLs: "in" (NULL: the
 * URLs are arguments), "done" (--resume: the keys FILE has; NULL or empty
 * for none) and "since" (--since FILE's index, or NULL). All borrowed:
 * they must outlive "f". Called once, after feed_init(), before
 * feed_next(); "done" and "since" may be filled later, before then. */
void feed_set_sources(struct feed *f, struct input *in,
                      const struct hmap *done, const struct since *since);

/* The next request or record: requests robots.txt released first, then,
 * while "sink" (NULL: no window) has room for the next sequence number,
 * the input, then the frontier; each passes the gate, which may park it,
 * or hand back its origin's robots.txt request to start instead (marked
 * internal). "*seq" is the sequence number. For FEED_BAD and FEED_DENIED
 * "*rec" is the record's result (kind "input", the line's message, id and
 * URL; kind "robots"), borrowed from "f" until the next call, and "*prev"
 * --since FILE's record of it, or NULL if none. */
enum feed_status feed_next(struct feed *f, const struct sink *sink,
                           struct request **req, struct result *rec,
                           const struct since_entry **prev, uint64_t *seq);

/* --crawl: queue the links of the page "req" fetched that are in scope. */
void feed_offer_links(struct feed *f, const struct request *req,
                      const struct extract_result *xr);

/* "req", handed out by feed_next(), is done: its record is written and
 * its links offered. With --crawl the next depth waits for that. */
void feed_done(struct feed *f, const struct request *req);

/* The requests of the run, for the progress line: the positional URLs;
 * with -i FILE those read so far, scaled by the share of the bytes they
 * came from ("*estimated" set), exact once the whole input is read. A
 * crawl's is not known ahead: the positional URLs' count (0 with -i). */
uint64_t feed_total(const struct feed *f, bool *estimated);

/* URLs of the frontier not fetched yet. */
size_t feed_queued(const struct feed *f);

/* With --crawl, the memory of the visited set and the frontier into "m";
 * else "m" is left alone. */
void feed_crawl_memory(const struct feed *f, struct stats_crawl *m);

/* Set the crawl's fields of "res" from "req": a seed's "depth" 0, a
 * discovered request's "parent" (the id of the page that linked it,
 * borrowed from "req") and "depth"; nothing without --crawl. */
void feed_crawl_fields(const struct request *req, struct result *res);

/* --crawl --resume, a resume_load() callback ("ud" is the feed): a page
 * FILE has is not fetched again, its links are followed again, and new
 * ids continue after FILE's. Every URL of FILE is marked first and the
 * links offered by feed_resumed_offer() after the whole file, or a link
 * to a page recorded further down would be queued again. */
void feed_resumed(const struct resume_record *rec, void *ud);
void feed_resumed_offer(struct feed *f);

/* Release what the feed owns (not "in" or "done"). */
void feed_free(struct feed *f);

#endif
