/* Retry policy: which failures are transient, and how long to wait.
 * Pure: the caller supplies the clock and the random numbers. */
#ifndef VOLLEY_RETRY_H
#define VOLLEY_RETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "errkind.h"

/* One ended attempt, as the policy sees it. */
struct retry_attempt {
  enum errkind kind;   /* ERRKIND_NONE when the transfer completed */
  CURLcode code;       /* the transfer's code */
  bool got_response;   /* a status line arrived */
  long status;         /* final status, 0 if none */
  bool idempotent;     /* the method may be repeated */
  unsigned attempts;   /* attempts made so far, >= 1 */
  long retry_after_ms; /* the response's Retry-After, -1 if none */
};

/* The policy's knobs, from the command line. */
struct retry_policy {
  unsigned retries;     /* retries allowed after the first attempt */
  bool all_methods;     /* retry POST and PATCH too */
  const bool *retry_on; /* 600 flags: statuses to retry */
  uint64_t base_ms;     /* backoff base */
  uint64_t cap_ms;      /* longest wait */
};

/* Whether the attempt failed in a way a retry may fix: dns, connect (a
 * reset only before any response byte), timeout, or a status in
 * "retry_on" (p->retry_on). Ignores counts and methods. */
bool retry_transient(const struct retry_policy *p,
                     const struct retry_attempt *a);

/* Full jitter: a uniform wait in [0, min(cap, base * 2^(attempts-1))],
 * "rnd" a uniform 64-bit random number. */
uint64_t retry_backoff_ms(const struct retry_policy *p, unsigned attempts,
                          uint64_t rnd);

/* Decide: returns true with "*delay_ms" set when the attempt is to be
 * retried; false otherwise, with "why" filled when a retry was ruled out
 * for a reason the record should say (else why[0] is 0). "left_ms" is the
 * time to the deadline, UINT64_MAX if none. */
bool retry_decide(const struct retry_policy *p, const struct retry_attempt *a,
                  uint64_t left_ms, uint64_t rnd, uint64_t *delay_ms,
                  char *why, size_t whylen);

#endif
