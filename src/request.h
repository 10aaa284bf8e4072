/* One request and its current transfer: the easy handle's options, the
 * write and header callbacks, --max-body, and what they note of each
 * attempt (outcome.h reads that into a result). Embeds no uv handle, so
 * request_free() is synchronous. */
#ifndef VOLLEY_REQUEST_H
#define VOLLEY_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "buf.h"
#include "cli.h"
#include "inputline.h"
#include "queue.h"
#include "save.h"
#include "sha256.h"
#include "since.h"
#include "urlnorm.h"

struct request_pool;

/* Settings shared by every request of a run, built once by the caller
 * (request_shared_init() makes the parts the options give). */
struct request_shared {
  const struct config *cfg;
  struct curl_slist *headers; /* -H headers; owned by the caller */
  const char *data;           /* --data bytes (after @FILE), or NULL */
  size_t data_len;
  char *data_file;      /* --data @FILE's contents, owned, or NULL */
  bool keep_body;       /* keep the body in memory (--body, extraction) */
  const char *save_dir; /* --save DIR, or NULL */
  int save_dirfd;       /* --save DIR opened once, -1 without --save;
                           closed by request_shared_free() */
  uv_loop_t *loop;      /* for --save's file writes */
  bool proxy_off;       /* no --proxy and no proxy variable in the
                           environment (request_proxy_in_env) */
  const char *cacert;   /* CA file to trust, or NULL for libcurl's */
  const char *capath;   /* CA directory to trust, or NULL for libcurl's
                           (both set by request_tls_trust) */
  struct curl_slist *resolve; /* --resolve entries; owned by the caller */
  const struct since *since;  /* --since FILE's index, or NULL */
  curl_opensocket_callback opensocket;   /* the engine's, or NULL */
  curl_closesocket_callback closesocket; /* (engine_socket_callbacks) */
  void *socketdata;
};

/* Set up "sh" for "cfg" on "loop": -H and --resolve lists, the proxy and
 * TLS trust settings, --save's directory name, --since FILE's index
 * "since" (borrowed, NULL without --since; it may be filled later, before
 * the first request), and --data, whose @FILE (or @- for standard input)
 * is read now, blocking: call it before the loop runs. The rest
 * ("keep_body", "save_dirfd", the socket callbacks) is the caller's to
 * fill. Returns 0, or -1 with "err" filled
 * (a usage error); either way request_shared_free() releases what was
 * made. */
int request_shared_init(struct request_shared *sh, const struct config *cfg,
                        uv_loop_t *loop, const struct since *since,
                        char err[VL_ERRLEN]);

/* Release what request_shared_init() made, and "save_dirfd"; call it
 * after request_shared_init(), whatever that returned. */
void request_shared_free(struct request_shared *sh);

/* Whether a variable libcurl reads for a proxy (http_proxy, https_proxy,
 * all_proxy, either case) is set and not empty. */
bool request_proxy_in_env(void);

/* Set the CA file and directory of "sh" from --cacert and --capath of
 * "sh->cfg", and without either (and without -k) from the environment as
 * curl does: CURL_CA_BUNDLE, else SSL_CERT_DIR, else SSL_CERT_FILE (set
 * and not empty). An option's file or directory must be readable: else
 * returns -1 with "err" filled (a usage error), else 0. The strings are
 * borrowed from argv and the environment. */
int request_tls_trust(struct request_shared *sh, char err[VL_ERRLEN]);

/* The queues a request waits in, as its "link.in" names them: one at a
 * time. sched.c owns the first three, gate.c the last two. */
enum request_queue {
  REQUEST_QUEUE_NONE = 0, /* none: in hand, or in sched's retry heap */
  REQUEST_QUEUE_INFLIGHT, /* sched: its transfer runs */
  REQUEST_QUEUE_READY,    /* sched: a retry whose time came */
  REQUEST_QUEUE_PARKED,   /* sched: behind its full or paused host */
  REQUEST_QUEUE_ROBOTS,   /* gate: behind its origin's robots.txt */
  REQUEST_QUEUE_RELEASED  /* gate: robots.txt came, to be taken again */
};

struct request {
  struct queue_link link;     /* in the queue "link.in" names, or in none */
  uint64_t seq;               /* admission order, from 0 */
  uint64_t line;              /* input line number */
  char *id_json;              /* own id as JSON, or NULL; owned */
  char *url;                  /* owned */
  char *method;               /* owned; NULL: GET, or POST with a body */
  struct curl_slist *headers; /* owned: shared ones plus the line's, or
                                 NULL to use the shared list as is */
  char *body;                 /* the line's own body, owned, or NULL */
  size_t body_len;
  const struct request_shared *shared;
  CURL *easy; /* from request_attach() to request_release() */
  const struct request_shared *easy_base; /* "easy" holds only the common
                                             options of these */
  CURLSH *easy_share;      /* the share bucket "easy" is in, or NULL */
  uint64_t started_ns;     /* uv_hrtime() when taken in (read, or taken
                              from the crawl frontier) */
  uint64_t first_start_ns; /* uv_hrtime() when the first attempt started
                              (request_attach()); 0 before */
  uint64_t first_start_ms; /* uv_now() when the first attempt started,
                              for -m; 0 before */
  uint64_t timeout_ms;     /* with -m: this attempt's limit, -t's cut
                              to what is left of -m (at least 1) */
  uint64_t retry_at_ms;    /* when a waiting retry is due */
  const char *cancel_why;  /* set: the record is a cancellation */
  char *redirect_from;     /* the URL of this attempt's last response
                              when that was a 3xx, else NULL; owned */
  int64_t retry_after_ms;  /* Retry-After of this attempt, -1 if none */
  uint64_t body_bytes;     /* decoded body bytes of this attempt */
  char *etag;              /* the last response's ETag (at most
                              VL_VALIDATOR_MAX bytes), or NULL; owned */
  char *last_modified;     /* its Last-Modified, likewise */
  const struct since_entry *since_prev; /* --since: FILE's record of this
                                           request, or NULL */
  struct since_carry *carry;            /* a 304 to them: the fields the record
                                           takes from FILE's (finish.c reads them),
                                           or NULL; owned */
  struct buf bodybuf;                   /* the body, kept with --body */
  struct buf hdrbuf;                    /* the final response's headers */
  struct save *save; /* --save: this attempt's file, or NULL */
  char *parent_json; /* --crawl: the linking page's id; owned */
  char *seed_host;   /* --crawl: the seed's host; owned */
  long last_status;  /* status of the last attempt, kept across a
                        retry's wait (the easy handle is gone) */
  char *save_error;  /* --save failed: the operation and the
                        error, for a record of kind "save"; owned */
  /* The small members together, so that padding adds nothing: the
   * request's size stays under the 1032 bytes that glibc's per-thread
   * cache serves (request_new_take()). */
  unsigned attempts;  /* attempts started */
  unsigned depth;     /* --crawl: hops from the seed, 0 for input */
  bool too_large;     /* the body passed --max-body */
  bool got_response;  /* a status line arrived this attempt */
  bool headers_done;  /* the last response's headers ended */
  bool refused_noted; /* "errbuf" names a refused redirect */
  bool conditional;   /* --since: its validators go with every attempt */
  bool save_skipped;  /* --save: this response's body is not saved
                         (not 2xx, no --save-errors) */
  bool paused;        /* the transfer waits for "save" to drain */
  bool internal;      /* robots.txt for the gate: no record */
  /* The large buffers come last, from "host" on: request_new_take()
   * zeroes only the members before it (a request is made for every line,
   * and these are most of its bytes), and sets each of these before it is
   * read. A new member goes above "host". */
  char host[URLNORM_HOST_MAX]; /* lower-case host of "url", for sched */
  char errbuf[CURL_ERROR_SIZE];
  struct sha256_ctx sha; /* --hash: the body's digest so far; set for each
                            attempt by request_reset_attempt() */
  char sha_hex[65];      /* --hash: the digest once the body ended,
                            "" before */
};

/* A request for "it" (a parsed INPUTLINE_REQUEST), taking its strings:
 * "it" is left empty. The request belongs to the caller. */
struct request *request_new_take(struct inputline *it, uint64_t line,
                                 uint64_t seq,
                                 const struct request_shared *shared);

/* --since: "prev" (NULL: none) is FILE's record of "req": send its
 * validators, if it has any worth sending, with every attempt of a GET or
 * HEAD. Call before the first request_attach(). */
void request_since(struct request *req, const struct since_entry *prev);

/* Release "req" and what it owns; its easy handle must be detached and
 * its --save file taken (request_take_save()). NULL is fine. */
void request_free(struct request *req);

/* Give "req" an easy handle from "pool" (or a new one) with every option
 * of the next attempt set, starting at "now_ms" (uv_now(): -t, cut to
 * what is left of -m); counts the attempt. Returns 0, or -1 with "err"
 * filled (the request may hold the handle: request_release() it). */
int request_attach(struct request *req, struct request_pool *pool,
                   uint64_t now_ms, char err[VL_ERRLEN]);

/* Return the easy handle of "req", if any, to "pool". */
void request_release(struct request *req, struct request_pool *pool);

/* Hand over this attempt's --save file (NULL if none): the caller
 * finishes it. */
struct save *request_take_save(struct request *req);

/* Whether the body of this attempt's response is to be saved: a 2xx, or
 * any with --save-errors. Needs the easy handle. */
bool request_save_wanted(const struct request *req);

/* The request an easy handle belongs to. */
struct request *request_from_easy(CURL *easy);

/* Forget the last attempt's response, before a retry. */
void request_reset_attempt(struct request *req);

/* The id of "req" as its record writes it, into "buf" ("len" bytes; the
 * JSON id cut at 60), for -v lines. Returns "buf". */
const char *request_id_text(const struct request *req, char *buf, size_t len);

/* A pool of easy handles: creating one per request costs more than the
 * transfer on loopback. A handle a plain request used (no own method,
 * body or headers, no --save) keeps the run's common options and serves
 * the next plain request as it is; any other is reset.
 *
 * The pool also owns the share handles: REQUEST_SHARES buckets, made on
 * first use, each sharing the DNS cache and the TLS sessions of the
 * origins (scheme, host, port) that hash to it among every easy handle
 * that goes to them. */
#define REQUEST_SHARES 4096
struct request_pool {
  struct {
    CURL *easy;
    const struct request_shared *base; /* options set for these, or NULL:
                                          reset */
    CURLSH *share;                     /* the bucket "easy" is in */
  } * v;
  size_t len, cap;
  CURLSH **shares; /* REQUEST_SHARES buckets, NULL until one is used */
};

/* Release every handle in the pool, then the share handles. */
void request_pool_free(struct request_pool *pool);

#endif
