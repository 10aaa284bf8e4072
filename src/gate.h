/* The robots.txt gate of --crawl: per origin, fetch /robots.txt once and
 * hold that origin's requests until it is known, then let them pass or
 * mark them denied. Owns the parked requests and the parsed files; knows
 * nothing of the engine or records. */
#ifndef VOLLEY_GATE_H
#define VOLLEY_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "request.h"
#include "stats.h"

struct gate;

enum gate_verdict {
  GATE_PASS,   /* start "*req" now: the request given, or the robots.txt
                  request of its origin when that is not known yet (the
                  request given is parked; the caller owns the robots.txt
                  request, see gate_fetched()) */
  GATE_PARKED, /* the gate holds "*req" until the origin's robots.txt */
  GATE_DENIED  /* robots.txt disallows "*req": write its record */
};

/* A gate for requests sharing "shared"; "agent" is the product token
 * matched against User-agent lines. */
struct gate *gate_new(const struct request_shared *shared, const char *agent);

/* Decide for "*req"; a NULL "g" (no robots.txt gate) passes it. */
enum gate_verdict gate_check(struct gate *g, struct request **req);

/* An origin's robots.txt is known: its Crawl-delay for "host" (seconds,
 * 0 if none; "host" is borrowed for the call), and its parked requests
 * are available from gate_next(). Called from the loop. */
typedef void gate_ready_fn(const char *host, double crawl_delay, void *ud);

/* Where gate_fetched()'s results go. NULL "g" is fine. */
void gate_on_ready(struct gate *g, gate_ready_fn *cb, void *ud);

/* The robots.txt request "fetch" ended with "code". A 2xx body is taken
 * from "fetch" and parsed in the thread pool of the loop of "shared",
 * then the ready callback runs; for any other outcome it runs before
 * this returns. The caller still owns and frees "fetch", at once. */
void gate_fetched(struct gate *g, struct request *fetch, CURLcode code);

/* Count into "count" (borrowed: it must outlive "g") the peak of the
 * bytes the known origins held (robots_peak_bytes) and the origins
 * dropped to stay within the gate's budget (robots_dropped). NULL "g"
 * is fine. */
void gate_count_into(struct gate *g, struct stats_crawl *count);

/* A request released by robots.txt, with "*denied" telling whether it
 * may be fetched; NULL when none (or "g" is NULL). The caller owns it. */
struct request *gate_next(struct gate *g, bool *denied);

/* Whether the gate parses as many robots.txt files as it may: then the
 * caller takes no new request until the ready callback. NULL "g" is
 * never busy. */
bool gate_busy(const struct gate *g);

/* Requests held (parked or released and not taken), plus robots.txt
 * files being parsed: the gate is done when this is 0. */
size_t gate_holding(const struct gate *g);

/* Cancel what the gate holds: hand every held request to "fn" (the
 * callee owns it), its "cancel_why" set to where it waited ("while
 * waiting for robots.txt"), for "fn" to put after the reason. */
void gate_drain(struct gate *g, void (*fn)(struct request *, void *),
                void *ud);

/* Release the gate; nothing may be held. NULL is fine. */
void gate_free(struct gate *g);

#endif
