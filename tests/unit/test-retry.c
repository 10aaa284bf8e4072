/* Unit tests of retry.c: which failures are transient, the decision with
 * its counts, methods, Retry-After and deadline, and the backoff's range.
 * One row per case. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include <curl/curl.h>

#include "retry.h"
#include "tap.h"
#include "util.h"

/* Room for retry_decide()'s reason. */
#define WHYLEN 256

/* The defaults of the command line: 2 retries, 0.5 s base, 30 s cap,
 * statuses 408 429 500 502 503 504. "on" holds 600 flags. */
static void policy_init(struct retry_policy *p, bool *on)
{
  static const int codes[] = { 408, 429, 500, 502, 503, 504 };
  size_t i;

  memset(on, 0, 600 * sizeof(*on));
  for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
    on[codes[i]] = true;
  memset(p, 0, sizeof(*p));
  p->retries = 2;
  p->all_methods = false;
  p->retry_on = on;
  p->base_ms = 500;
  p->cap_ms = 30000;
}

/* A first attempt of a GET that completed with "status". */
static void attempt_http(struct retry_attempt *a, long status)
{
  memset(a, 0, sizeof(*a));
  a->kind = ERRKIND_NONE;
  a->code = CURLE_OK;
  a->got_response = true;
  a->status = status;
  a->idempotent = true;
  a->attempts = 1;
  a->retry_after_ms = -1;
}

/* A first attempt of a GET that failed with "code" before any response. */
static void attempt_fail(struct retry_attempt *a, CURLcode code)
{
  attempt_http(a, 0);
  a->code = code;
  a->kind = errkind_from_curl(code);
  a->got_response = false;
}

static uint64_t xorshift(uint64_t *x)
{
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

/* min(cap, base * 2^(n-1)) without overflow. */
static uint64_t ceiling_ms(uint64_t base, uint64_t cap, unsigned n)
{
  uint64_t c = base;
  unsigned i;

  for (i = 1; i < n && c < cap; i++)
    c = c > UINT64_MAX / 2 ? UINT64_MAX : c * 2;
  return c < cap ? c : cap;
}

static int transient_dns(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;

  policy_init(&p, on);
  attempt_fail(&a, CURLE_COULDNT_RESOLVE_HOST);
  CHECK_INT(a.kind, ERRKIND_DNS);
  CHECK(retry_transient(&p, &a));
  return 0;
}

static int transient_connect(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;

  policy_init(&p, on);
  attempt_fail(&a, CURLE_COULDNT_CONNECT);
  CHECK(retry_transient(&p, &a));
  return 0;
}

static int transient_timeout(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;

  policy_init(&p, on);
  attempt_fail(&a, CURLE_OPERATION_TIMEDOUT);
  CHECK_INT(a.kind, ERRKIND_TIMEOUT);
  CHECK(retry_transient(&p, &a));
  return 0;
}

static int reset_before_response(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;

  policy_init(&p, on);
  attempt_fail(&a, CURLE_RECV_ERROR);
  CHECK(retry_transient(&p, &a));
  attempt_fail(&a, CURLE_SEND_ERROR);
  CHECK(retry_transient(&p, &a));
  attempt_fail(&a, CURLE_GOT_NOTHING);
  CHECK(retry_transient(&p, &a));
  return 0;
}

static int reset_after_response(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  uint64_t delay = 0;

  policy_init(&p, on);
  attempt_fail(&a, CURLE_RECV_ERROR);
  a.got_response = true;
  a.status = 200;
  CHECK(!retry_transient(&p, &a));
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  attempt_fail(&a, CURLE_SEND_ERROR);
  a.got_response = true;
  a.status = 503; /* a status in retry_on does not make a reset safe */
  CHECK(!retry_transient(&p, &a));
  return 0;
}

static int transient_statuses(char *why)
{
  static const long yes[] = { 408, 429, 500, 502, 503, 504 };
  static const long no[] = { 0,   100, 200, 204, 301, 304, 400, 401,
                             403, 404, 409, 410, 501, 505, 599 };
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  size_t i;

  policy_init(&p, on);
  for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
    attempt_http(&a, yes[i]);
    if (!retry_transient(&p, &a))
      return tap_fail(why, __FILE__, __LINE__, "%ld not transient", yes[i]);
    a.kind = ERRKIND_HTTP;
    CHECK(retry_transient(&p, &a));
  }
  for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
    attempt_http(&a, no[i]);
    if (retry_transient(&p, &a))
      return tap_fail(why, __FILE__, __LINE__, "%ld transient", no[i]);
  }
  return 0;
}

static int statuses_follow_policy(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;

  policy_init(&p, on);
  on[404] = true;
  on[503] = false;
  attempt_http(&a, 404);
  CHECK(retry_transient(&p, &a));
  attempt_http(&a, 503);
  CHECK(!retry_transient(&p, &a));
  /* Out-of-range statuses never index the table. */
  attempt_http(&a, 600);
  CHECK(!retry_transient(&p, &a));
  attempt_http(&a, 99999);
  CHECK(!retry_transient(&p, &a));
  attempt_http(&a, -1);
  CHECK(!retry_transient(&p, &a));
  return 0;
}

static int not_transient_kinds(char *why)
{
  static const enum errkind kinds[] = {
    ERRKIND_INPUT,     ERRKIND_TLS,      ERRKIND_TOO_LARGE,
    ERRKIND_CANCELLED, ERRKIND_PROTOCOL, ERRKIND_OTHER,
  };
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  size_t i;

  policy_init(&p, on);
  for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
    attempt_http(&a, 503); /* even with a retryable status */
    a.kind = kinds[i];
    if (retry_transient(&p, &a))
      return tap_fail(why, __FILE__, __LINE__, "kind %s transient",
                      errkind_name(kinds[i]));
  }
  attempt_fail(&a, CURLE_FILESIZE_EXCEEDED);
  CHECK_INT(a.kind, ERRKIND_TOO_LARGE);
  CHECK(!retry_transient(&p, &a));
  return 0;
}

static int decide_counts(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  uint64_t delay;

  policy_init(&p, on);
  attempt_http(&a, 503);
  a.attempts = 1;
  CHECK(retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_STREQ(reason, "");
  a.attempts = 2;
  CHECK(retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  a.attempts = 3; /* the first attempt and 2 retries made */
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_STREQ(reason, "");
  p.retries = 0;
  a.attempts = 1;
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_STREQ(reason, "");
  return 0;
}

static int decide_not_transient(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  uint64_t delay;

  policy_init(&p, on);
  attempt_http(&a, 404);
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_STREQ(reason, "");
  attempt_http(&a, 200);
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_STREQ(reason, "");
  /* A POST that could not be retried anyway gets no reason either. */
  attempt_http(&a, 404);
  a.idempotent = false;
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_STREQ(reason, "");
  return 0;
}

static int decide_non_idempotent(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  uint64_t delay;

  policy_init(&p, on);
  attempt_fail(&a, CURLE_OPERATION_TIMEDOUT);
  a.idempotent = false;
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_HAS(reason, "idempotent");
  CHECK_HAS(reason, "--retry-all-methods");
  p.all_methods = true;
  CHECK(retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_STREQ(reason, "");
  return 0;
}

static int decide_retry_after(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  uint64_t delay = 0, rnd;

  policy_init(&p, on);
  for (rnd = 0; rnd < 5; rnd++) {
    attempt_http(&a, 429);
    a.retry_after_ms = 2000;
    CHECK(
        retry_decide(&p, &a, UINT64_MAX, rnd * 7919, &delay, reason, WHYLEN));
    CHECK_UINT(delay, 2000);
    attempt_http(&a, 503);
    a.retry_after_ms = 0;
    CHECK(
        retry_decide(&p, &a, UINT64_MAX, rnd * 7919, &delay, reason, WHYLEN));
    CHECK_UINT(delay, 0);
  }
  /* Exactly the cap is still allowed. */
  a.retry_after_ms = 30000;
  CHECK(retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_UINT(delay, 30000);
  return 0;
}

static int retry_after_other_status(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  uint64_t delay = 0;

  /* Retry-After counts for 429 and 503 only; a 500 uses the backoff. */
  policy_init(&p, on);
  attempt_http(&a, 500);
  a.retry_after_ms = 20000;
  CHECK(retry_decide(&p, &a, UINT64_MAX, 20000, &delay, reason, WHYLEN));
  CHECK(delay <= p.base_ms);
  return 0;
}

static int retry_after_beyond_cap(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  uint64_t delay;

  policy_init(&p, on);
  attempt_http(&a, 503);
  a.retry_after_ms = 60000;
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_HAS(reason, "Retry-After");
  CHECK_HAS(reason, "--retry-max-delay");
  CHECK_HAS(reason, "60.0s");
  attempt_http(&a, 429);
  a.retry_after_ms = 30001;
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK(reason[0] != '\0');
  return 0;
}

/* A Retry-After that hit the clamp may have been any longer: never
 * waited for, even when --retry-max-delay is as long as the clamp. */
static int retry_after_clamped_refused(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  uint64_t delay;

  policy_init(&p, on);
  p.cap_ms = VL_DURATION_MAX_MS;
  attempt_http(&a, 429);
  a.retry_after_ms = (int64_t)VL_DURATION_MAX_MS;
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_HAS(reason, "Retry-After of 366 days or more");
  a.retry_after_ms = (int64_t)VL_DURATION_MAX_MS - 1;
  CHECK(retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_UINT(delay, VL_DURATION_MAX_MS - 1);
  return 0;
}

/* retry_parse_after() of "v" at a fixed clock. */
static int64_t after(const char *v)
{
  return retry_parse_after(v, strlen(v), 1700000000.0);
}

static int parse_after_seconds(char *why)
{
  CHECK_INT(after("0"), 0);
  CHECK_INT(after("1"), 1000);
  CHECK_INT(after(" 120 \r\n"), 120000);
  CHECK_INT(after("31622400"), (int64_t)VL_DURATION_MAX_MS);
  CHECK_INT(after("31622401"), (int64_t)VL_DURATION_MAX_MS);
  CHECK_INT(after("99999999999999999999"), (int64_t)VL_DURATION_MAX_MS);
  CHECK_INT(after("1844674407370955161600"), (int64_t)VL_DURATION_MAX_MS);
  CHECK_INT(after(""), -1);
  CHECK_INT(after("  "), -1);
  CHECK_INT(after("12x"), -1);
  CHECK_INT(after("-1"), -1);
  CHECK_INT(after("1.5"), -1);
  return 0;
}

static int parse_after_many_digits(char *why)
{
  char v[2001];

  memset(v, '9', sizeof(v) - 1);
  v[sizeof(v) - 1] = '\0';
  CHECK_INT(after(v), (int64_t)VL_DURATION_MAX_MS);
  v[1000] = 'x';
  CHECK_INT(after(v), -1);
  return 0;
}

static int parse_after_dates(char *why)
{
  /* 1700000000 is Tue, 14 Nov 2023 22:13:20 GMT. */
  CHECK_INT(after("Tue, 14 Nov 2023 22:13:30 GMT"), 10000);
  CHECK_INT(after("Tue, 14 Nov 2023 22:13:20 GMT"), 0);
  CHECK_INT(after("Mon, 13 Nov 2023 00:00:00 GMT"), 0); /* past */
  CHECK_INT(after("Fri, 31 Dec 2147483647 23:59:59 GMT"),
            (int64_t)VL_DURATION_MAX_MS);
  CHECK_INT(after("d2Oct999999999"), (int64_t)VL_DURATION_MAX_MS);
  CHECK_INT(after("Fri, 31 Dec 9999 23:59:59 GMT"),
            (int64_t)VL_DURATION_MAX_MS);
  CHECK_INT(after("not a date"), -1);
  return 0;
}

static int decide_deadline(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  uint64_t delay = 0;

  policy_init(&p, on);
  attempt_fail(&a, CURLE_COULDNT_CONNECT);
  /* First retry: ceiling 500 ms, and rnd 400 gives a wait of 400 ms. */
  CHECK(retry_decide(&p, &a, 401, 400, &delay, reason, WHYLEN));
  CHECK_UINT(delay, 400);
  CHECK(!retry_decide(&p, &a, 400, 400, &delay, reason, WHYLEN));
  CHECK_HAS(reason, "deadline");
  CHECK(!retry_decide(&p, &a, 100, 400, &delay, reason, WHYLEN));
  CHECK_HAS(reason, "deadline");
  CHECK(!retry_decide(&p, &a, 0, 0, &delay, reason, WHYLEN));
  CHECK_HAS(reason, "deadline");
  attempt_http(&a, 429);
  a.retry_after_ms = 5000;
  CHECK(!retry_decide(&p, &a, 1000, 0, &delay, reason, WHYLEN));
  CHECK_HAS(reason, "deadline");
  CHECK_HAS(reason, "5.0s");
  return 0;
}

/* -m: a wait that would end past the request's whole-time cap, or a cap
 * already spent, rules a retry out with a reason naming --max-time. */
static int decide_max_time(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  uint64_t delay = 0;

  policy_init(&p, on);
  attempt_fail(&a, CURLE_OPERATION_TIMEDOUT);
  a.max_time_ms = 3000;
  a.elapsed_ms = 2000;
  /* A wait of 400 ms ends before the cap. */
  CHECK(retry_decide(&p, &a, UINT64_MAX, 400, &delay, reason, WHYLEN));
  CHECK_UINT(delay, 400);
  a.elapsed_ms = 2600;
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 400, &delay, reason, WHYLEN));
  CHECK_STREQ(reason,
              "not retried: the wait of 0.4s would pass --max-time 3.0s");
  a.elapsed_ms = 3000;
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, WHYLEN));
  CHECK_STREQ(reason, "not retried: --max-time 3.0s is spent");
  /* 0: no cap. */
  a.max_time_ms = 0;
  a.elapsed_ms = 1000000;
  CHECK(retry_decide(&p, &a, UINT64_MAX, 400, &delay, reason, WHYLEN));
  return 0;
}

static int decide_why_short(char *why)
{
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[8];
  uint64_t delay;

  /* A small "why" is filled, truncated and terminated. */
  policy_init(&p, on);
  attempt_fail(&a, CURLE_OPERATION_TIMEDOUT);
  a.idempotent = false;
  memset(reason, 'x', sizeof(reason));
  CHECK(!retry_decide(&p, &a, UINT64_MAX, 0, &delay, reason, sizeof(reason)));
  CHECK_INT(strlen(reason), sizeof(reason) - 1);
  return 0;
}

static int backoff_range(char *why)
{
  uint64_t x = UINT64_C(0x853c49e6748fea9b);
  int i;

  for (i = 0; i < 200000; i++) {
    bool on[600];
    struct retry_policy p;
    uint64_t got, top;
    unsigned n;

    policy_init(&p, on);
    /* Values the options allow: up to a year in milliseconds. */
    p.base_ms = xorshift(&x) % (i % 2 ? 10001 : UINT64_C(31622400001));
    p.cap_ms = xorshift(&x) % (i % 3 ? 100001 : UINT64_C(31622400001));
    n = 1 + (unsigned)(xorshift(&x) % 70);
    top = ceiling_ms(p.base_ms, p.cap_ms, n);
    got = retry_backoff_ms(&p, n, xorshift(&x));
    if (got > top)
      return tap_fail(
          why, __FILE__, __LINE__, "base %llu cap %llu n %u: %llu > %llu",
          (unsigned long long)p.base_ms, (unsigned long long)p.cap_ms, n,
          (unsigned long long)got, (unsigned long long)top);
  }
  return 0;
}

static int backoff_top_grows(char *why)
{
  bool on[600];
  struct retry_policy p;
  unsigned n;

  /* rnd == ceiling gives the ceiling itself: base * 2^(n-1) up to cap. */
  policy_init(&p, on);
  p.base_ms = 100;
  p.cap_ms = 10000;
  for (n = 1; n <= 7; n++)
    CHECK_UINT(retry_backoff_ms(&p, n, UINT64_C(100) << (n - 1)),
               UINT64_C(100) << (n - 1));
  for (n = 8; n <= 100; n++)
    CHECK_UINT(retry_backoff_ms(&p, n, 10000), 10000);
  CHECK_UINT(retry_backoff_ms(&p, 1, 0), 0);
  return 0;
}

static int backoff_mean_grows(char *why)
{
  uint64_t x = 42;
  bool on[600];
  struct retry_policy p;
  double prev = -1;
  unsigned n;

  policy_init(&p, on);
  p.base_ms = 100;
  p.cap_ms = 1000000;
  for (n = 1; n <= 10; n++) {
    double sum = 0, mean, top = (double)ceiling_ms(100, 1000000, n);
    uint64_t max = 0;
    int i;

    for (i = 0; i < 20000; i++) {
      uint64_t w = retry_backoff_ms(&p, n, xorshift(&x));

      sum += (double)w;
      max = w > max ? w : max;
    }
    mean = sum / 20000;
    /* Full jitter: uniform, so the mean is near half the ceiling. */
    if (mean < top * 0.45 || mean > top * 0.55 || mean <= prev ||
        (double)max < top * 0.95)
      return tap_fail(why, __FILE__, __LINE__, "n %u: mean %.1f max %llu", n,
                      mean, (unsigned long long)max);
    prev = mean;
  }
  return 0;
}

static int backoff_zero(char *why)
{
  bool on[600];
  struct retry_policy p;

  policy_init(&p, on);
  p.base_ms = 0;
  CHECK_UINT(retry_backoff_ms(&p, 1, 12345), 0);
  CHECK_UINT(retry_backoff_ms(&p, 10, UINT64_MAX), 0);
  p.base_ms = 500;
  p.cap_ms = 0;
  CHECK_UINT(retry_backoff_ms(&p, 3, 12345), 0);
  return 0;
}

static int decide_uses_backoff(char *why)
{
  uint64_t x = 7;
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  char reason[WHYLEN];
  int i;

  policy_init(&p, on);
  p.retries = 10;
  for (i = 0; i < 10000; i++) {
    uint64_t delay = UINT64_MAX, rnd = xorshift(&x);

    attempt_fail(&a, CURLE_OPERATION_TIMEDOUT);
    a.attempts = 1 + (unsigned)(rnd % 10);
    CHECK(retry_decide(&p, &a, UINT64_MAX, rnd, &delay, reason, WHYLEN));
    CHECK_UINT(delay, retry_backoff_ms(&p, a.attempts, rnd));
  }
  return 0;
}

/* 429 and 503 with a Retry-After pause the host, for at most the cap;
 * other statuses, or no Retry-After, do not. */
static int host_pause(char *why)
{
  static const long statuses[] = { 200, 408, 500, 502, 504 };
  bool on[600];
  struct retry_policy p;
  struct retry_attempt a;
  uint64_t pause_ms = 7;
  size_t i;

  policy_init(&p, on);
  attempt_http(&a, 429);
  a.retry_after_ms = 2000;
  CHECK(retry_host_pause(&p, &a, &pause_ms));
  CHECK_INT(pause_ms, 2000);
  a.status = 503;
  a.retry_after_ms = 40000;
  CHECK(retry_host_pause(&p, &a, &pause_ms));
  CHECK_INT(pause_ms, 30000);
  a.retry_after_ms = -1;
  pause_ms = 7;
  CHECK(!retry_host_pause(&p, &a, &pause_ms));
  CHECK_INT(pause_ms, 7);
  for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
    attempt_http(&a, statuses[i]);
    a.retry_after_ms = 1000;
    CHECK(!retry_host_pause(&p, &a, &pause_ms));
  }
  return 0;
}

static const struct tap_case cases[] = {
  { "dns failures are transient", transient_dns },
  { "connection refused is transient", transient_connect },
  { "timeouts are transient", transient_timeout },
  { "a reset before any response is transient", reset_before_response },
  { "a reset after a response is not", reset_after_response },
  { "retry_on statuses are transient, others not", transient_statuses },
  { "statuses follow the policy's table", statuses_follow_policy },
  { "input, tls, too_large, protocol and others are not",
    not_transient_kinds },
  { "retry_decide: no more than retries", decide_counts },
  { "retry_decide: not transient, no reason", decide_not_transient },
  { "retry_decide: non-idempotent refused with a reason",
    decide_non_idempotent },
  { "retry_decide: Retry-After for 429 and 503", decide_retry_after },
  { "retry_decide: Retry-After ignored for 500", retry_after_other_status },
  { "retry_decide: Retry-After beyond the cap refused with a reason",
    retry_after_beyond_cap },
  { "retry_decide: a Retry-After at the clamp is never waited for",
    retry_after_clamped_refused },
  { "retry_host_pause: 429 and 503 with Retry-After, capped", host_pause },
  { "retry_parse_after: delta-seconds, clamped to 366 days",
    parse_after_seconds },
  { "retry_parse_after: 2000 digits are clamped, not overflowed",
    parse_after_many_digits },
  { "retry_parse_after: HTTP dates, years up to 2^31 clamped",
    parse_after_dates },
  { "retry_decide: a wait past the deadline refused with a reason",
    decide_deadline },
  { "retry_decide: a wait past -m refused with a reason", decide_max_time },
  { "retry_decide: a short reason buffer is truncated", decide_why_short },
  { "retry_backoff_ms within [0, min(cap, base*2^(n-1))]", backoff_range },
  { "retry_backoff_ms ceiling doubles up to the cap", backoff_top_grows },
  { "retry_backoff_ms is uniform, mean grows with n", backoff_mean_grows },
  { "retry_backoff_ms with no base or cap is 0", backoff_zero },
  { "retry_decide waits retry_backoff_ms", decide_uses_backoff },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
