/* Retry policy: which failures are transient, and how long to wait.
 * Pure: the caller supplies the clock and the seed of the jitter. */
#ifndef VOLLEY_RETRY_H
#define VOLLEY_RETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "errkind.h"

/* One ended attempt, as the policy sees it. */
struct retry_attempt {
  enum errkind kind;      /* ERRKIND_NONE when the transfer completed */
  CURLcode code;          /* the transfer's code */
  bool got_response;      /* a status line arrived */
  long status;            /* final status, 0 if none */
  bool idempotent;        /* the method may be repeated */
  unsigned attempts;      /* attempts made so far, >= 1 */
  int64_t retry_after_ms; /* the response's Retry-After, -1 if none, at
                             most VL_DURATION_MAX_MS (retry_parse_after) */
  uint64_t max_time_ms;   /* -m: the request's whole time, 0 if none */
  uint64_t elapsed_ms;    /* since the first attempt started (for -m) */
};

/* The policy's knobs, from the command line. */
struct retry_policy {
  unsigned retries;     /* retries allowed after the first attempt */
  bool all_methods;     /* retry POST and PATCH too */
  const bool *retry_on; /* 600 flags: statuses to retry */
  uint64_t base_ms;     /* backoff base */
  uint64_t cap_ms;      /* longest wait */
  uint64_t rng;         /* xorshift64* state for the jitter, never 0 */
};

struct config;

/* Fill "p" from --retry, --retry-all-methods, --retry-on, --retry-delay
 * and --retry-max-delay of "cfg", which must outlive "p" (p->retry_on
 * points into it), and seed its jitter with "seed" (any value). */
void retry_policy_init(struct retry_policy *p, const struct config *cfg,
                       uint64_t seed);

/* The next uniform 64-bit number of "p"'s jitter, for retry_decide(). */
uint64_t retry_random(struct retry_policy *p);

/* Whether the attempt failed in a way a retry may fix: dns, connect (a
 * reset only before any response byte), timeout, or a status in
 * "retry_on" (p->retry_on). Ignores counts and methods. */
bool retry_transient(const struct retry_policy *p,
                     const struct retry_attempt *a);

/* Full jitter: a uniform wait in [0, min(cap, base * 2^(attempts-1))],
 * "rnd" a uniform 64-bit random number. */
uint64_t retry_backoff_ms(const struct retry_policy *p, unsigned attempts,
                          uint64_t rnd);

/* Parse the "len" bytes of a Retry-After header's "value" (blanks around
 * allowed): delta-seconds, or an HTTP date that curl_getdate() reads, less
 * "now_s" (seconds since the epoch); a date past is 0. Returns the wait
 * in ms, clamped to VL_DURATION_MAX_MS before any conversion whatever the
 * number or the year, or -1 when "value" is neither. */
int64_t retry_parse_after(const char *value, size_t len, double now_s);

/* Whether the answer of the attempt asks its whole host to wait, not only
 * this request: a 429 or 503 with a Retry-After. Then sets "*pause_ms" to
 * that wait, at most "p->cap_ms" (--retry-max-delay), and returns true. */
bool retry_host_pause(const struct retry_policy *p,
                      const struct retry_attempt *a, uint64_t *pause_ms);

/* Decide: returns true with "*delay_ms" set when the attempt is to be
 * retried; false otherwise, with "why" filled when a retry was ruled out
 * for a reason the record should say (else why[0] is 0). A Retry-After
 * (on a 429 or 503) beyond "p->cap_ms", or of VL_DURATION_MAX_MS (the
 * clamp: it may have been any longer), rules a retry out, and so does a
 * wait that would end past -m (a->max_time_ms after the first start) or
 * the deadline. "left_ms" is the time to the deadline, UINT64_MAX if
 * none. */
bool retry_decide(const struct retry_policy *p, const struct retry_attempt *a,
                  uint64_t left_ms, uint64_t rnd, uint64_t *delay_ms,
                  char *why, size_t whylen);

#endif
