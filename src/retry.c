/* Retry policy: transient failures of idempotent requests are retried
 * with exponential backoff and full jitter, or after the server's
 * Retry-After. Pure. */
#include "config.h"

#include "retry.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "util.h"

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

/* A 429 or 503 that says when to come back. */
static bool asks_to_wait(const struct retry_attempt *a)
{
  return a->retry_after_ms >= 0 && (a->status == 429 || a->status == 503);
}

bool retry_host_pause(const struct retry_policy *p,
                      const struct retry_attempt *a, uint64_t *pause_ms)
{
  if (!asks_to_wait(a))
    return false;
  *pause_ms = (uint64_t)a->retry_after_ms;
  if (*pause_ms > p->cap_ms)
    *pause_ms = p->cap_ms;
  return true;
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
  if (asks_to_wait(a)) {
    wait = (uint64_t)a->retry_after_ms;
    if (wait >= VL_DURATION_MAX_MS) {
      /* The clamp: the server may have said any longer time. */
      snprintf(why, whylen,
               "not retried: Retry-After of %llu days or more is beyond "
               "--retry-max-delay %.1fs",
               (unsigned long long)(VL_DURATION_MAX_MS / 86400000),
               (double)p->cap_ms / 1000.0);
      return false;
    }
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
  if (a->max_time_ms && a->elapsed_ms >= a->max_time_ms) {
    snprintf(why, whylen, "not retried: --max-time %.1fs is spent",
             (double)a->max_time_ms / 1000.0);
    return false;
  }
  if (a->max_time_ms && wait >= a->max_time_ms - a->elapsed_ms) {
    snprintf(why, whylen,
             "not retried: the wait of %.1fs would pass --max-time %.1fs",
             (double)wait / 1000.0, (double)a->max_time_ms / 1000.0);
    return false;
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

static bool is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
         c == '\v';
}

int64_t retry_parse_after(const char *value, size_t len, double now_s)
{
  const uint64_t max_s = VL_DURATION_MAX_MS / 1000;
  char tmp[64];
  time_t when;
  size_t i;

  while (len && is_blank(*value)) {
    value++;
    len--;
  }
  while (len && is_blank(value[len - 1]))
    len--;
  if (len == 0)
    return -1;
  if (value[0] >= '0' && value[0] <= '9') {
    uint64_t secs = 0;

    /* Any number of digits: once past the maximum, only the check that
     * the rest are digits goes on, so nothing overflows. */
    for (i = 0; i < len; i++) {
      if (value[i] < '0' || value[i] > '9')
        return -1;
      if (secs <= max_s)
        secs = secs * 10 + (uint64_t)(value[i] - '0');
    }
    return (int64_t)(secs > max_s ? max_s * 1000 : secs * 1000);
  }
  if (len >= sizeof(tmp))
    return -1;
  memcpy(tmp, value, len);
  tmp[len] = '\0';
  /* curl_getdate() reads years up to 2^31 into a 64-bit time_t. */
  when = curl_getdate(tmp, NULL);
  if (when < 0)
    return -1;
  return (int64_t)util_clamp_ms(((double)when - now_s) * 1000.0);
}

void retry_policy_init(struct retry_policy *p, const struct config *cfg,
                       uint64_t seed)
{
  p->retries = cfg->retries;
  p->all_methods = cfg->retry_all_methods;
  p->retry_on = cfg->retry_on;
  p->base_ms = cfg->retry_delay_ms;
  p->cap_ms = cfg->retry_max_delay_ms;
  /* The constant keeps the state off 0, where xorshift stays. */
  p->rng = seed ^ 0x9e3779b97f4a7c15ULL;
  if (!p->rng)
    p->rng = 0x9e3779b97f4a7c15ULL;
}

uint64_t retry_random(struct retry_policy *p)
{
  /* xorshift64*: jitter needs spread, not cryptographic strength. */
  p->rng ^= p->rng >> 12;
  p->rng ^= p->rng << 25;
  p->rng ^= p->rng >> 27;
  return p->rng * 2685821657736338717ULL;
}
