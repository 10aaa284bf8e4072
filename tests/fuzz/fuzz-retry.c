/* Fuzzes retry.c: the Retry-After parser and the retry policy that acts on
 * what it gives. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "retry.h"
#include "util.h"

/* Delta-seconds as RFC 9110 writes them, blanks around: its value, at most
 * 10^12 (any more is past the clamp), or -1 when "v" is not only
 * digits. */
static int64_t delta_seconds(const char *v, size_t len)
{
  int64_t secs = 0;
  size_t i;

  while (len && isspace((unsigned char)*v)) {
    v++;
    len--;
  }
  while (len && isspace((unsigned char)v[len - 1]))
    len--;
  if (len == 0)
    return -1;
  for (i = 0; i < len; i++) {
    if (v[i] < '0' || v[i] > '9')
      return -1;
    if (secs < 1000000000000)
      secs = secs * 10 + (v[i] - '0');
  }
  return secs < 1000000000000 ? secs : 1000000000000;
}

/* Eight bytes as a number, then one byte that shifts it right by 0 to 63
 * bits, so that small values are as likely as big ones. */
static uint64_t u64(struct fuzz_reader *in)
{
  uint64_t v = 0;
  int i;

  for (i = 0; i < 8; i++)
    v = (v << 8) | fuzz_byte(in);
  return v >> (fuzz_byte(in) % 64);
}

/* Input: a Retry-After value, a NUL, then bytes for the clock, the policy and
 * the ended attempt. The parser gets the value as request.c's header_cb()
 * hands it over: the bytes after "Retry-After:", CRLF included.
 *
 * Oracle: the value converts without undefined behaviour (UBSan stops on an
 * out-of-range double to integer cast) to -1 (none) or a wait from 0 ms to
 * VL_DURATION_MAX_MS (366 days); delta-seconds give exactly their
 * milliseconds up to that clamp and the clamp past it, whatever their
 * number of digits; an HTTP date is the clamped distance from "now";
 * retry_decide() retries only a transient failure of an idempotent request
 * (or with --retry-all-methods) within the retry count, never waits longer
 * than --retry-max-delay nor past the deadline, never retries after a
 * Retry-After of the clamp (it may have been any longer), and honours
 * Retry-After on 429 and 503; backoff stays within its ceiling. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fuzz_reader in = { data, size };
  char *value = fuzz_str(&in), why[256];
  size_t len = strlen(value);
  double now_s = (double)u64(&in);
  bool retry_on[600] = { false };
  struct retry_policy p;
  struct retry_attempt a;
  uint64_t left, rnd, delay = UINT64_MAX, ceiling;
  int64_t secs = delta_seconds(value, len);
  int64_t ms = retry_parse_after(value, len, now_s);
  unsigned i;
  bool go;

  FUZZ_CHECK(ms >= -1 && ms <= (int64_t)VL_DURATION_MAX_MS,
             "Retry-After '%s' gave %lld ms", value, (long long)ms);
  if (secs >= 0)
    FUZZ_CHECK(ms == (secs * 1000 < (int64_t)VL_DURATION_MAX_MS
                          ? secs * 1000
                          : (int64_t)VL_DURATION_MAX_MS),
               "Retry-After '%s' gave %lld ms", value, (long long)ms);

  retry_on[408] = retry_on[429] = retry_on[503] = true;
  retry_on[100 + fuzz_byte(&in) % 250 * 2] = true;
  p.retries = fuzz_byte(&in) % 8;
  p.all_methods = fuzz_byte(&in) & 1;
  p.retry_on = retry_on;
  p.base_ms = u64(&in);
  p.cap_ms = u64(&in);
  a.kind = (enum errkind)(fuzz_byte(&in) % ERRKIND_COUNT);
  a.code = (CURLcode)(fuzz_byte(&in) % CURL_LAST);
  a.got_response = fuzz_byte(&in) & 1;
  a.status = (long)fuzz_byte(&in) * 3;
  a.idempotent = fuzz_byte(&in) & 1;
  a.attempts = 1 + fuzz_byte(&in) % 70;
  a.retry_after_ms = ms;
  left = u64(&in);
  rnd = u64(&in);

  go = retry_decide(&p, &a, left, rnd, &delay, why, sizeof(why));
  if (go) {
    FUZZ_CHECK(a.attempts <= p.retries, "retried past --retries");
    FUZZ_CHECK(retry_transient(&p, &a), "retried a lasting failure");
    FUZZ_CHECK(a.idempotent || p.all_methods, "retried a POST");
    FUZZ_CHECK(delay <= p.cap_ms, "waits %llu ms past the cap",
               (unsigned long long)delay);
    FUZZ_CHECK(delay < left, "waits past the deadline");
    if (ms >= 0 && (a.status == 429 || a.status == 503)) {
      FUZZ_CHECK(delay == (uint64_t)ms, "Retry-After not honoured");
      FUZZ_CHECK(ms < (int64_t)VL_DURATION_MAX_MS,
                 "retried after a Retry-After of the clamp");
    }
  } else {
    FUZZ_CHECK(delay == UINT64_MAX, "no retry, yet a delay was set");
  }

  ceiling = p.base_ms;
  for (i = 1; i < a.attempts && ceiling < p.cap_ms; i++)
    ceiling = ceiling > UINT64_MAX / 2 ? UINT64_MAX : ceiling * 2;
  if (ceiling > p.cap_ms)
    ceiling = p.cap_ms;
  FUZZ_CHECK(retry_backoff_ms(&p, a.attempts, rnd) <= ceiling,
             "backoff past its ceiling");
  free(value);
  return 0;
}
