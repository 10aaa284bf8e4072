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

/* The robots.txt request "fetch" ended with "code". Parses its body
 * and returns the Crawl-delay for the caller's spacing of fetch->host
 * (seconds, 0 if none). The origin's parked requests become available
 * from gate_next(). The caller still owns and frees "fetch". */
double gate_fetched(struct gate *g, struct request *fetch, CURLcode code);

/* Count into "count" (borrowed: it must outlive "g") the peak of the
 * bytes the known origins held (robots_peak_bytes) and the origins
 * dropped to stay within the gate's budget (robots_dropped). NULL "g"
 * is fine. */
void gate_count_into(struct gate *g, struct stats_crawl *count);

/* A request released by robots.txt, with "*denied" telling whether it
 * may be fetched; NULL when none (or "g" is NULL). The caller owns it. */
struct request *gate_next(struct gate *g, bool *denied);

/* Requests held (parked or released and not taken). */
size_t gate_holding(const struct gate *g);

/* Cancel what the gate holds: hand every held request to "fn" (the
 * callee owns it), its "cancel_why" saying it was cancelled while waiting
 * for robots.txt. */
void gate_drain(struct gate *g, void (*fn)(struct request *, void *),
                void *ud);

/* Release the gate; nothing may be held. NULL is fine. */
void gate_free(struct gate *g);

#endif
