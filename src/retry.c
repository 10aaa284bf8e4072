/* Retry policy: transient failures of idempotent requests are retried
 * with exponential backoff and full jitter, or after the server's
 * Retry-After. Pure. */
#include "config.h"

#include "retry.h"

#include <stdio.h>

bool retry_transient(const struct retry_policy *p,
                     const struct retry_attempt *a)
{
  switch (a->kind) {
  case ERRKIND_DNS:
  case ERRKIND_TIMEOUT:
    return true;
  case ERRKIND_CONNECT:
    /* A reset after response bytes came may have had effects: no. */
    return a->code == CURLE_COULDNT_CONNECT || !a->got_response;
  case ERRKIND_NONE:
  case ERRKIND_HTTP:
    return a->status >= 100 && a->status < 600 && p->retry_on[a->status];
  default:
    return false;
  }
}

uint64_t retry_backoff_ms(const struct retry_policy *p, unsigned attempts,
                          uint64_t rnd)
{
  uint64_t ceiling = p->base_ms;
  unsigned i;

  for (i = 1; i < attempts && ceiling < p->cap_ms; i++)
    ceiling = ceiling > UINT64_MAX / 2 ? UINT64_MAX : ceiling * 2;
  if (ceiling > p->cap_ms)
    ceiling = p->cap_ms;
  if (ceiling == UINT64_MAX)
    return rnd;
  return ceiling ? rnd % (ceiling + 1) : 0;
}

bool retry_decide(const struct retry_policy *p, const struct retry_attempt *a,
                  uint64_t left_ms, uint64_t rnd, uint64_t *delay_ms,
                  char *why, size_t whylen)
{
  uint64_t wait;

  why[0] = '\0';
  if (a->attempts > p->retries || !retry_transient(p, a))
    return false;
  if (!a->idempotent && !p->all_methods) {
    snprintf(why, whylen,
             "not retried: the method is not idempotent "
             "(--retry-all-methods)");
    return false;
  }
  if (a->retry_after_ms >= 0 && (a->status == 429 || a->status == 503)) {
    wait = (uint64_t)a->retry_after_ms;
    if (wait > p->cap_ms) {
      snprintf(why, whylen,
               "not retried: Retry-After %.1fs is beyond --retry-max-delay "
               "%.1fs",
               (double)wait / 1000.0, (double)p->cap_ms / 1000.0);
      return false;
    }
  } else {
    wait = retry_backoff_ms(p, a->attempts, rnd);
  }
  if (wait >= left_ms) {
    snprintf(why, whylen,
             "not retried: the wait of %.1fs would pass the deadline",
             (double)wait / 1000.0);
    return false;
  }
  *delay_ms = wait;
  return true;
}
