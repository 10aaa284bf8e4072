/* Unit tests of stats.c: counts by outcome, kind and status class; the
 * latency histogram's quantiles against exact nearest-rank quantiles of
 * known distributions; the text summary line by line; the JSON summary
 * parsed back with jansson. One row per case. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "record.h"
#include "stats.h"
#include "tap.h"

/* Relative error allowed on a quantile: the histogram promises 0.8%; the
 * contract asks for 2-3%. */
#define TOLERANCE 0.01

#define CHECK_NEAR(got, want, rel)                                            \
  do {                                                                        \
    double tap_g_ = (got), tap_w_ = (want);                                   \
    if (fabs(tap_g_ - tap_w_) > (rel)*fabs(tap_w_))                           \
      return tap_fail(why, __FILE__, __LINE__, "%s: %.9g, want %.9g +- %g%%", \
                      #got, tap_g_, tap_w_, (rel)*100);                       \
  } while (0)

/* A successful GET that took "time_s", with every optional field unset. */
static void result_init(struct result *r, double time_s)
{
  memset(r, 0, sizeof(*r));
  r->line = 1;
  r->url = "http://example.com/";
  r->attempts = 1;
  r->time_s = time_s;
  r->timing.known = true;
  r->timing.total_s = time_s;
  r->status = 200;
  r->kind = ERRKIND_NONE;
  r->size = -1;
  r->redirects = -1;
}

static void add_ok(struct stats *s, double time_s)
{
  struct result r;

  result_init(&r, time_s);
  stats_add(s, &r);
}

static void add_failed(struct stats *s, enum errkind kind, long status,
                       double time_s)
{
  struct result r;

  result_init(&r, time_s);
  r.kind = kind;
  r.status = status;
  stats_add(s, &r);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

/* The nearest-rank "q"-quantile of the sorted "v" of "n" values, the
 * definition stats_quantile() approximates. */
static double exact_quantile(const double *v, size_t n, double q)
{
  double rank = ceil(q * (double)n - 1e-9);

  if (rank < 1)
    rank = 1;
  if (rank > (double)n)
    rank = (double)n;
  return v[(size_t)rank - 1];
}

/* Add the "n" times of "v" to a fresh "s", sort "v", and compare p1, p10,
 * p50, p90, p99 and p99.9 with the exact ones. */
static int check_distribution(struct stats *s, double *v, size_t n, char *why)
{
  static const double qs[] = { 0.01, 0.1, 0.5, 0.9, 0.99, 0.999 };
  size_t i;

  stats_init(s);
  for (i = 0; i < n; i++)
    add_ok(s, v[i]);
  qsort(v, n, sizeof(v[0]), cmp_double);
  for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
    CHECK_NEAR(stats_quantile(s, qs[i]), exact_quantile(v, n, qs[i]),
               TOLERANCE);
  CHECK(stats_quantile(s, 0) == v[0]);
  CHECK(stats_quantile(s, 1) == v[n - 1]);
  return 0;
}

/* A small deterministic generator: the same numbers on every machine. */
static double uniform01(uint64_t *state)
{
  *state = *state * 6364136223846793005ull + 1442695040888963407ull;
  return (double)(*state >> 11) / 9007199254740992.0;
}

/* Render "s" with "fn" and check it is text ending in one '\n'. Returns
 * a NUL-terminated copy for CHECK_HAS (caller frees) or NULL. */
static char *render(const struct stats *s, double elapsed_s, bool json,
                    char *why)
{
  struct buf b = { NULL, 0, 0 };
  char *text;

  if (json)
    stats_json(s, elapsed_s, &b);
  else
    stats_text(s, elapsed_s, &b);
  if (b.len == 0 || b.p[b.len - 1] != '\n') {
    tap_fail(why, __FILE__, __LINE__, "no '\\n' at the end");
    buf_free(&b);
    return NULL;
  }
  text = malloc(b.len + 1);
  if (text) {
    memcpy(text, b.p, b.len);
    text[b.len] = '\0';
  }
  buf_free(&b);
  return text;
}

/* stats_json() of "s" as an object (caller decrefs), after checking it is
 * one line; NULL with "why" filled. */
static json_t *json_of(const struct stats *s, double elapsed_s, char *why)
{
  char *text = render(s, elapsed_s, true, why);
  json_error_t jerr;
  json_t *j;

  if (!text)
    return NULL;
  if (strchr(text, '\n') != text + strlen(text) - 1) {
    tap_fail(why, __FILE__, __LINE__, "not one line: %s", text);
    free(text);
    return NULL;
  }
  j = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
  if (!j)
    tap_fail(why, __FILE__, __LINE__, "bad JSON: %s: %s", jerr.text, text);
  else if (!json_is_object(j)) {
    tap_fail(why, __FILE__, __LINE__, "not an object: %s", text);
    json_decref(j);
    j = NULL;
  }
  free(text);
  return j;
}

/* Borrowed lookups of "a.b"; -1 or NAN when absent or mistyped. */
static json_int_t jint(const json_t *o, const char *a, const char *b)
{
  const json_t *v = json_object_get(o, a);

  if (b)
    v = json_object_get(v, b);
  return json_is_integer(v) ? json_integer_value(v) : -1;
}

static double jnum(const json_t *o, const char *a, const char *b)
{
  const json_t *v = json_object_get(o, a);

  if (b)
    v = json_object_get(v, b);
  return json_is_number(v) ? json_number_value(v) : NAN;
}

static int init_is_empty(char *why)
{
  struct stats s;
  size_t i;

  memset(&s, 0xa5, sizeof(s));
  stats_init(&s);
  CHECK_UINT(s.requests, 0);
  CHECK_UINT(s.ok + s.failed + s.cancelled + s.retries + s.bytes, 0);
  CHECK_UINT(s.latency_n, 0);
  for (i = 0; i < STATS_BUCKETS; i++)
    CHECK_UINT(s.latency[i], 0);
  CHECK(stats_quantile(&s, 0.5) == 0);
  CHECK(stats_quantile(&s, 0) == 0);
  CHECK(stats_quantile(&s, 1) == 0);
  return 0;
}

static int fixed_size(char *why)
{
  /* Fixed memory: each histogram (latency, loop busy time) is a constant
   * array, under 16 KiB. */
  CHECK_UINT(STATS_BUCKETS, 1728);
  CHECK(sizeof(struct stats) - sizeof(struct stats_loop) < 16 * 1024);
  CHECK(sizeof(struct stats_loop) < 16 * 1024);
  return 0;
}

static int counts_ok_and_failed(char *why)
{
  struct stats s;

  stats_init(&s);
  add_ok(&s, 0.1);
  add_ok(&s, 0.2);
  add_failed(&s, ERRKIND_NONE, 404, 0.1);
  add_failed(&s, ERRKIND_TIMEOUT, 0, 30);
  add_failed(&s, ERRKIND_DNS, 0, 0.01);
  CHECK_UINT(s.requests, 5);
  CHECK_UINT(s.ok, 2);
  CHECK_UINT(s.failed, 3);
  CHECK_UINT(s.cancelled, 0);
  return 0;
}

static int kinds_as_records_name_them(char *why)
{
  struct stats s;
  uint64_t sum = 0;
  size_t i;

  stats_init(&s);
  add_failed(&s, ERRKIND_NONE, 503, 0.1); /* not ok on its status: http */
  add_failed(&s, ERRKIND_TIMEOUT, 0, 1);
  add_failed(&s, ERRKIND_TIMEOUT, 0, 1);
  add_failed(&s, ERRKIND_TOO_LARGE, 200, 0.1);
  add_ok(&s, 0.1);
  CHECK_UINT(s.kinds[ERRKIND_NONE], 0);
  CHECK_UINT(s.kinds[ERRKIND_HTTP], 1);
  CHECK_UINT(s.kinds[ERRKIND_TIMEOUT], 2);
  CHECK_UINT(s.kinds[ERRKIND_TOO_LARGE], 1);
  for (i = 0; i < ERRKIND_COUNT; i++)
    sum += s.kinds[i];
  CHECK_UINT(sum, s.failed);
  return 0;
}

static int status_classes(char *why)
{
  static const long codes[] = { 101, 204, 200, 301, 404, 503, 0, -1, 999, 42 };
  struct stats s;
  uint64_t sum = 0;
  size_t i;

  stats_init(&s);
  for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
    add_failed(&s, codes[i] ? ERRKIND_NONE : ERRKIND_CONNECT, codes[i], 0.1);
  CHECK_UINT(s.status[STATS_STATUS_1XX], 1);
  CHECK_UINT(s.status[STATS_STATUS_2XX], 2);
  CHECK_UINT(s.status[STATS_STATUS_3XX], 1);
  CHECK_UINT(s.status[STATS_STATUS_4XX], 1);
  CHECK_UINT(s.status[STATS_STATUS_5XX], 1);
  CHECK_UINT(s.status[STATS_STATUS_NONE], 2);
  CHECK_UINT(s.status[STATS_STATUS_OTHER], 2);
  for (i = 0; i < STATS_STATUS_COUNT; i++)
    sum += s.status[i];
  CHECK_UINT(sum, s.requests);
  return 0;
}

static int retries_are_attempts_minus_one(char *why)
{
  static const unsigned attempts[] = { 1, 3, 0, 2, 1 };
  struct stats s;
  struct result r;
  size_t i;

  stats_init(&s);
  for (i = 0; i < sizeof(attempts) / sizeof(attempts[0]); i++) {
    result_init(&r, 0.1);
    r.attempts = attempts[i]; /* 0: never started, no retry either */
    stats_add(&s, &r);
  }
  CHECK_UINT(s.retries, 3);
  return 0;
}

static int bytes_skip_unknown_sizes(char *why)
{
  static const int64_t sizes[] = { 100, -1, 0, (int64_t)1 << 40, 5 };
  struct stats s;
  struct result r;
  size_t i;

  stats_init(&s);
  for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
    result_init(&r, 0.1);
    r.size = sizes[i];
    stats_add(&s, &r);
  }
  CHECK_UINT(s.bytes, ((uint64_t)1 << 40) + 105);
  return 0;
}

static int cancelled_counted_not_timed(char *why)
{
  struct stats s;

  stats_init(&s);
  add_ok(&s, 0.5);
  add_failed(&s, ERRKIND_CANCELLED, 0, 99);
  CHECK_UINT(s.requests, 2);
  CHECK_UINT(s.failed, 1);
  CHECK_UINT(s.cancelled, 1);
  CHECK_UINT(s.kinds[ERRKIND_CANCELLED], 1);
  CHECK_UINT(s.latency_n, 1);
  CHECK(stats_quantile(&s, 1) == 0.5);
  return 0;
}

/* robots.txt's refusals are reported but are no failure: counted apart,
 * in errors by kind, not in the latency; the summary says so. */
static int robots_counted_apart(char *why)
{
  struct buf b = { NULL, 0, 0 };
  struct stats s;
  json_t *j;

  stats_init(&s);
  add_ok(&s, 0.5);
  add_failed(&s, ERRKIND_ROBOTS, 0, 0.001);
  add_failed(&s, ERRKIND_ROBOTS, 0, 0.001);
  add_failed(&s, ERRKIND_TIMEOUT, 0, 2);
  CHECK_UINT(s.requests, 4);
  CHECK_UINT(s.ok, 1);
  CHECK_UINT(s.failed, 1);
  CHECK_UINT(s.robots, 2);
  CHECK_UINT(s.kinds[ERRKIND_ROBOTS], 2);
  CHECK_UINT(s.latency_n, 2);
  stats_text(&s, 1, &b);
  buf_put(&b, "", 1);
  CHECK_HAS(b.p, "requests: 4 (1 ok, 1 failed, 2 disallowed by robots.txt)\n");
  buf_free(&b);
  j = json_of(&s, 1, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "robots", NULL), 2);
  CHECK_INT(jint(j, "failed", NULL), 1);
  CHECK_INT(jint(j, "errors", "robots"), 2);
  json_decref(j);
  return 0;
}

static int one_sample_is_exact(char *why)
{
  struct stats s;

  stats_init(&s);
  add_ok(&s, 0.123456);
  CHECK(stats_quantile(&s, 0) == 0.123456);
  CHECK(stats_quantile(&s, 0.5) == 0.123456);
  CHECK(stats_quantile(&s, 0.99) == 0.123456);
  CHECK(stats_quantile(&s, 1) == 0.123456);
  return 0;
}

static int min_max_mean_exact(char *why)
{
  struct stats s;

  stats_init(&s);
  add_ok(&s, 0.25);
  add_ok(&s, 0.001);
  add_ok(&s, 2.5);
  add_ok(&s, 0.75);
  CHECK(s.latency_min_s == 0.001);
  CHECK(s.latency_max_s == 2.5);
  CHECK(stats_quantile(&s, 0) == 0.001);
  CHECK(stats_quantile(&s, 1) == 2.5);
  CHECK_NEAR(s.latency_sum_s / (double)s.latency_n, 3.501 / 4, 1e-12);
  return 0;
}

static int rank_is_nearest_rank(char *why)
{
  struct stats s;
  int i;

  /* 1..100 ms: the 7th of 100 is 7 ms even though 0.07 * 100 is a hair
   * above 7 in binary; 50% is the 50th, 50.5% the 51st. */
  stats_init(&s);
  for (i = 100; i >= 1; i--)
    add_ok(&s, i / 1000.0);
  CHECK_NEAR(stats_quantile(&s, 0.07), 0.007, TOLERANCE);
  CHECK_NEAR(stats_quantile(&s, 0.5), 0.050, TOLERANCE);
  CHECK_NEAR(stats_quantile(&s, 0.505), 0.051, TOLERANCE);
  CHECK_NEAR(stats_quantile(&s, 0.001), 0.001, TOLERANCE);
  return 0;
}

static int quantiles_uniform(char *why)
{
  static double v[10000];
  struct stats s;
  size_t i;

  /* 1 ms to 10 s in 1 ms steps, added in a scrambled order. */
  for (i = 0; i < 10000; i++)
    v[i] = (double)((i * 7919) % 10000 + 1) / 1000.0;
  CHECK_OK(check_distribution(&s, v, 10000, why));
  CHECK_NEAR(stats_quantile(&s, 0.5), 5.0, TOLERANCE);
  CHECK_NEAR(stats_quantile(&s, 0.9), 9.0, TOLERANCE);
  CHECK_NEAR(stats_quantile(&s, 0.99), 9.9, TOLERANCE);
  return 0;
}

static int quantiles_exponential(char *why)
{
  static double v[100000];
  uint64_t state = 42;
  struct stats s;
  size_t i;

  /* Mean 50 ms: p50 = 50 ln 2 ms, p99 = 50 ln 100 ms, give or take the
   * sample; the exact sample quantiles are the reference. */
  for (i = 0; i < 100000; i++)
    v[i] = -0.05 * log(1 - uniform01(&state));
  CHECK_OK(check_distribution(&s, v, 100000, why));
  CHECK_NEAR(stats_quantile(&s, 0.5), 0.05 * log(2), 0.03);
  CHECK_NEAR(stats_quantile(&s, 0.99), 0.05 * log(100), 0.05);
  return 0;
}

static int quantiles_log_uniform(char *why)
{
  static double v[50000];
  uint64_t state = 7;
  struct stats s;
  size_t i;

  /* 100 us to an hour, seven and a half decades: every part of the
   * bucket layout but the exact microseconds, whose half-microsecond
   * rounding is more than 1% of a time under 50 us. */
  for (i = 0; i < 50000; i++)
    v[i] = 1e-4 * pow(10, 7.5 * uniform01(&state));
  CHECK_OK(check_distribution(&s, v, 50000, why));
  return 0;
}

static int quantiles_bimodal(char *why)
{
  static double v[20000];
  uint64_t state = 3;
  struct stats s;
  size_t i;

  /* 95% fast (1-2 ms, a cache) and 5% slow (800-1200 ms): p99 is in the
   * slow mode, p50 and p90 in the fast one. */
  for (i = 0; i < 20000; i++)
    v[i] = i % 20 == 0 ? 0.8 + 0.4 * uniform01(&state)
                       : 0.001 + 0.001 * uniform01(&state);
  CHECK_OK(check_distribution(&s, v, 20000, why));
  CHECK(stats_quantile(&s, 0.9) < 0.0021);
  CHECK(stats_quantile(&s, 0.99) > 0.79);
  return 0;
}

static int every_magnitude_within_one_percent(char *why)
{
  double t;

  /* With a 0 beside it, t is the top rank; with an hour beside it, the
   * bottom: the clamp to [min, max] hides no error then. */
  for (t = 1e-6; t < 3600; t *= 1.013) {
    struct stats s;

    stats_init(&s);
    add_ok(&s, 0);
    add_ok(&s, t);
    /* Below 128 us a bucket is 1 us wide: half a microsecond of error. */
    CHECK_NEAR(stats_quantile(&s, 0.99), t, t < 128e-6 ? 0.5e-6 / t : 0.008);
    stats_init(&s);
    add_ok(&s, t);
    add_ok(&s, 3600);
    CHECK_NEAR(stats_quantile(&s, 0.5), t, t < 128e-6 ? 0.5e-6 / t : 0.008);
  }
  return 0;
}

static int odd_times(char *why)
{
  struct stats s;

  stats_init(&s);
  add_ok(&s, -1);
  add_ok(&s, NAN);
  add_ok(&s, INFINITY);
  add_ok(&s, 0);
  add_ok(&s, 1e-9);
  CHECK_UINT(s.latency_n, 5);
  CHECK(s.latency_min_s == 0);
  CHECK(s.latency_max_s == 1e-9);
  CHECK(isfinite(s.latency_sum_s));
  CHECK(stats_quantile(&s, 0.5) == 0);
  return 0;
}

static int beyond_the_top_bucket(char *why)
{
  struct stats s;

  /* Two hours is past the 71-minute top: counted in the last bucket, and
   * max stays exact. */
  stats_init(&s);
  add_ok(&s, 7200);
  add_ok(&s, 1e12);
  add_ok(&s, 0.5);
  CHECK_UINT(s.latency[STATS_BUCKETS - 1], 2);
  CHECK(stats_quantile(&s, 1) == 1e12);
  CHECK(stats_quantile(&s, 0.5) <= 1e12);
  CHECK(stats_quantile(&s, 0.5) > 4000);
  CHECK_NEAR(stats_quantile(&s, 0.01), 0.5, TOLERANCE);
  return 0;
}

static int million_samples(char *why)
{
  struct stats s;
  int i;

  stats_init(&s);
  for (i = 0; i < 1000000; i++)
    add_ok(&s, i % 1000 == 999 ? 2.0 : 0.010);
  CHECK_UINT(s.latency_n, 1000000);
  CHECK_NEAR(stats_quantile(&s, 0.5), 0.010, TOLERANCE);
  CHECK_NEAR(stats_quantile(&s, 0.999), 0.010, TOLERANCE);
  CHECK_NEAR(stats_quantile(&s, 0.9995), 2.0, TOLERANCE);
  return 0;
}

/* The run the text and JSON cases print: 3 ok, a 404, two timeouts, a
 * dns failure and a cancelled request, over 2 seconds. */
static void sample_run(struct stats *s)
{
  struct result r;

  stats_init(s);
  result_init(&r, 0.010);
  r.size = 1000;
  stats_add(s, &r);
  r.time_s = r.timing.total_s = 0.020;
  r.attempts = 3;
  stats_add(s, &r);
  r.time_s = r.timing.total_s = 0.030;
  r.attempts = 1;
  r.status = 301;
  stats_add(s, &r);
  add_failed(s, ERRKIND_NONE, 404, 0.005);
  add_failed(s, ERRKIND_TIMEOUT, 0, 1.0);
  add_failed(s, ERRKIND_DNS, 0, 0.001);
  add_failed(s, ERRKIND_TIMEOUT, 0, 1.0);
  add_failed(s, ERRKIND_CANCELLED, 0, 1.5);
}

static int text_lines(char *why)
{
  struct stats s;
  char *t;

  sample_run(&s);
  t = render(&s, 2.0, false, why);
  if (!t)
    return -1;
  CHECK_HAS(t, "requests: 8 (3 ok, 5 failed)\n");
  CHECK_HAS(t, "retries: 2\n");
  CHECK_HAS(t, "errors: timeout 2, dns 1, http 1, cancelled 1\n");
  CHECK_HAS(t, "status: 2xx 2, 3xx 1, 4xx 1, 5xx 0, none 4\n");
  CHECK_HAS(t, "bytes: 3000 (2.9 KiB)\n");
  CHECK_HAS(t, "rate: 4.0 requests/s over 2.000 s\n");
  CHECK_HAS(t, "latency: min 1.000 ms, p50 ");
  CHECK_HAS(t, ", max 1.000 s, mean ");
  CHECK(!strstr(t, "1xx"));
  CHECK(!strstr(t, "other"));
  free(t);
  return 0;
}

/* The latency is the last attempt's total: not the record's time, which
 * holds retries and their waits; a result without timing (never ran in
 * libcurl) is no sample. */
static int latency_last_attempt(char *why)
{
  struct stats s;
  struct result r;

  stats_init(&s);
  result_init(&r, 5.0);
  r.timing.total_s = 0.2;
  stats_add(&s, &r);
  r.timing.known = false;
  stats_add(&s, &r);
  CHECK_UINT(s.requests, 2);
  CHECK_UINT(s.latency_n, 1);
  CHECK(s.latency_max_s == 0.2);
  return 0;
}

/* Figures of a second or more are seconds: "p99 6.193 s". */
static int text_seconds(char *why)
{
  struct stats s;
  char *t;

  stats_init(&s);
  add_ok(&s, 0.25);
  add_ok(&s, 6.193151);
  t = render(&s, 7.0, false, why);
  if (!t)
    return -1;
  CHECK_HAS(t, "latency: min 250.000 ms, p50 25");
  CHECK_HAS(t, " ms, p90 6.");
  CHECK_HAS(t, " s, max 6.193 s, mean 3.");
  CHECK(!strstr(t, "6193"));
  free(t);
  return 0;
}

static int text_empty(char *why)
{
  struct stats s;
  char *t;

  stats_init(&s);
  t = render(&s, 0, false, why);
  if (!t)
    return -1;
  CHECK_HAS(t, "requests: 0 (0 ok, 0 failed)\n");
  CHECK_HAS(t, "errors: none\n");
  CHECK_HAS(t, "status: 2xx 0, 3xx 0, 4xx 0, 5xx 0, none 0\n");
  CHECK_HAS(t, "bytes: 0\n");
  CHECK_HAS(t, "rate: 0.0 requests/s over 0.000 s\n");
  CHECK_HAS(t, "latency: no samples\n");
  free(t);
  return 0;
}

static int text_rare_classes_shown(char *why)
{
  struct stats s;
  char *t;

  stats_init(&s);
  add_failed(&s, ERRKIND_NONE, 101, 0.1);
  add_failed(&s, ERRKIND_NONE, 999, 0.1);
  t = render(&s, 1, false, why);
  if (!t)
    return -1;
  CHECK_HAS(t, "status: 1xx 1, 2xx 0, 3xx 0, 4xx 0, 5xx 0, other 1, none 0");
  free(t);
  return 0;
}

static int text_byte_units(char *why)
{
  static const struct {
    int64_t size;
    const char *want;
  } rows[] = {
    { 1023, "bytes: 1023\n" },
    { 1536, "bytes: 1536 (1.5 KiB)\n" },
    { 21474836, "bytes: 21474836 (20.5 MiB)\n" },
    { (int64_t)3 << 30, "bytes: 3221225472 (3.0 GiB)\n" },
    { (int64_t)5 << 50, "bytes: 5629499534213120 (5.0 PiB)\n" },
  };
  size_t i;

  for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    struct stats s;
    struct result r;
    char *t;

    stats_init(&s);
    result_init(&r, 0.1);
    r.size = rows[i].size;
    stats_add(&s, &r);
    t = render(&s, 1, false, why);
    if (!t)
      return -1;
    CHECK_HAS(t, rows[i].want);
    free(t);
  }
  return 0;
}

static int text_appends(char *why)
{
  struct buf b = { NULL, 0, 0 };
  struct stats s;

  stats_init(&s);
  record_put_quoted(&b, "x", 1);
  stats_text(&s, 1, &b);
  CHECK(b.len > 4);
  CHECK(memcmp(b.p, "\"x\"requests: 0", 14) == 0);
  buf_free(&b);
  return 0;
}

static int json_fields(char *why)
{
  struct stats s;
  json_t *j;

  sample_run(&s);
  j = json_of(&s, 2.0, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "requests", NULL), 8);
  CHECK_INT(jint(j, "ok", NULL), 3);
  CHECK_INT(jint(j, "failed", NULL), 5);
  CHECK_INT(jint(j, "cancelled", NULL), 1);
  CHECK_INT(jint(j, "retries", NULL), 2);
  CHECK_INT(jint(j, "bytes", NULL), 3000);
  CHECK_INT(jint(j, "errors", "timeout"), 2);
  CHECK_INT(jint(j, "errors", "dns"), 1);
  CHECK_INT(jint(j, "errors", "http"), 1);
  CHECK_INT(jint(j, "errors", "cancelled"), 1);
  CHECK_INT(jint(j, "errors", "tls"), 0);
  CHECK_INT(jint(j, "status", "2xx"), 2);
  CHECK_INT(jint(j, "status", "3xx"), 1);
  CHECK_INT(jint(j, "status", "4xx"), 1);
  CHECK_INT(jint(j, "status", "5xx"), 0);
  CHECK_INT(jint(j, "status", "none"), 4);
  CHECK(jnum(j, "elapsed", NULL) == 2.0);
  CHECK(jnum(j, "rate", NULL) == 4.0);
  CHECK(jnum(j, "latency", "min") == 0.001);
  CHECK(jnum(j, "latency", "max") == 1.0);
  CHECK_NEAR(jnum(j, "latency", "p50"), 0.020, TOLERANCE);
  CHECK_NEAR(jnum(j, "latency", "p90"), 1.0, TOLERANCE);
  CHECK_NEAR(jnum(j, "latency", "p99"), 1.0, TOLERANCE);
  CHECK_NEAR(jnum(j, "latency", "mean"), 2.066 / 7, 1e-5);
  json_decref(j);
  return 0;
}

static int json_every_kind_and_class(char *why)
{
  const char *key;
  json_t *j, *v;
  struct stats s;
  size_t i;

  stats_init(&s);
  j = json_of(&s, 1, why);
  if (!j)
    return -1;
  /* A fixed shape: every kind but "none", every class, zeros included. */
  CHECK_UINT(json_object_size(json_object_get(j, "errors")),
             ERRKIND_COUNT - 1);
  for (i = ERRKIND_NONE + 1; i < ERRKIND_COUNT; i++)
    CHECK_INT(jint(j, "errors", errkind_name((enum errkind)i)), 0);
  CHECK_UINT(json_object_size(json_object_get(j, "status")), 7);
  json_object_foreach(json_object_get(j, "status"), key, v)
  {
    CHECK(json_is_integer(v));
    CHECK_INT(json_integer_value(v), 0);
  }
  CHECK_UINT(json_object_size(j), 12);
  json_decref(j);
  return 0;
}

/* The loop's busy times: counted, p99 and max read as for latency, slow
 * iterations counted past STATS_STALL_S; stalls are the caller's. */
static int loop_busy(char *why)
{
  struct stats s;
  json_t *j;
  char *t;
  int i;

  stats_init(&s);
  for (i = 0; i < 990; i++)
    stats_loop_add(&s.loop, 0.0001);
  for (i = 0; i < 9; i++)
    stats_loop_add(&s.loop, 0.002);
  stats_loop_add(&s.loop, 0.25);
  stats_loop_add(&s.loop, -1);
  s.loop.stalls = 1;
  CHECK_UINT(s.loop.iterations, 1001);
  CHECK_UINT(s.loop.slow, 1);
  CHECK(s.loop.busy_max_s == 0.25);
  CHECK_NEAR(stats_loop_quantile(&s.loop, 0.5), 0.0001, TOLERANCE);
  CHECK_NEAR(stats_loop_quantile(&s.loop, 0.999), 0.002, TOLERANCE);
  CHECK(stats_loop_quantile(&s.loop, 1) == 0.25);
  t = render(&s, 1, false, why);
  if (!t)
    return -1;
  CHECK_HAS(t, "loop: 1001 iterations, busy p99 0.100 ms, max 250.000 ms, "
               "1 slow, 1 stalls (over 100 ms)\n");
  free(t);
  j = json_of(&s, 1, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "loop", "iterations"), 1001);
  CHECK_INT(jint(j, "loop", "slow"), 1);
  CHECK_INT(jint(j, "loop", "stalls"), 1);
  CHECK(jnum(j, "loop", "busy_max") == 0.25);
  CHECK_NEAR(jnum(j, "loop", "busy_p99"), 0.0001, TOLERANCE);
  json_decref(j);
  return 0;
}

/* A crawl's memory: one line of text, one object of JSON; none without a
 * crawl. */
static int crawl_memory_reported(char *why)
{
  struct stats s;
  json_t *j;
  char *t;

  stats_init(&s);
  s.crawl.seen = 200000;
  s.crawl.seen_bytes = 8388608;
  s.crawl.frontier_peak = 150000;
  s.crawl.frontier_peak_bytes = 7208960;
  t = render(&s, 1, false, why);
  if (!t)
    return -1;
  CHECK_HAS(t, "crawl: 200000 URLs seen (8192 KiB, 41 bytes each), frontier "
               "peak 150000 URLs (7040 KiB, 48 bytes each)\n");
  free(t);
  j = json_of(&s, 1, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "crawl", "seen"), 200000);
  CHECK_INT(jint(j, "crawl", "seen_bytes"), 8388608);
  CHECK_INT(jint(j, "crawl", "frontier_peak"), 150000);
  CHECK_INT(jint(j, "crawl", "frontier_peak_bytes"), 7208960);
  CHECK_INT(jint(j, "crawl", "robots_peak_bytes"), 0);
  CHECK_INT(jint(j, "crawl", "robots_dropped"), 0);
  json_decref(j);
  /* robots.txt origins: on the same line when there were any. */
  s.crawl.robots_peak_bytes = 33554432 + 4096;
  s.crawl.robots_dropped = 12;
  t = render(&s, 1, false, why);
  if (!t)
    return -1;
  CHECK_HAS(t, "frontier peak 150000 URLs (7040 KiB, 48 bytes each), "
               "robots.txt peak 32772 KiB (12 origins dropped)\n");
  free(t);
  j = json_of(&s, 1, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "crawl", "robots_peak_bytes"), 33558528);
  CHECK_INT(jint(j, "crawl", "robots_dropped"), 12);
  json_decref(j);
  stats_init(&s);
  j = json_of(&s, 1, why);
  if (!j)
    return -1;
  CHECK(!json_object_get(j, "crawl"));
  json_decref(j);
  return 0;
}

/* The record writer's writes: one line of text, one object of JSON;
 * none when nothing was written. */
static int output_writes_reported(char *why)
{
  struct stats s;
  json_t *j;
  char *t;

  stats_init(&s);
  s.output.writes = 60;
  s.output.bytes = 2167808;
  t = render(&s, 1, false, why);
  if (!t)
    return -1;
  CHECK_HAS(t, "output: 60 writes, 2117 KiB\n");
  free(t);
  j = json_of(&s, 1, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "output", "writes"), 60);
  CHECK_INT(jint(j, "output", "bytes"), 2167808);
  json_decref(j);
  stats_init(&s);
  t = render(&s, 1, false, why);
  if (!t)
    return -1;
  CHECK(!strstr(t, "output:"));
  free(t);
  j = json_of(&s, 1, why);
  if (!j)
    return -1;
  CHECK(!json_object_get(j, "output"));
  json_decref(j);
  return 0;
}

/* A run that did not measure its loop says nothing of it. */
static int loop_absent(char *why)
{
  struct stats s;
  json_t *j;
  char *t;

  stats_init(&s);
  t = render(&s, 1, false, why);
  if (!t)
    return -1;
  CHECK(!strstr(t, "loop:"));
  free(t);
  j = json_of(&s, 1, why);
  if (!j)
    return -1;
  CHECK(!json_object_get(j, "loop"));
  json_decref(j);
  return 0;
}

static int json_empty_latency_null(char *why)
{
  static const char *const keys[] = {
    "min", "p50", "p90", "p99", "max", "mean"
  };
  struct stats s;
  json_t *j;
  size_t i;

  stats_init(&s);
  j = json_of(&s, 0, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "requests", NULL), 0);
  CHECK(jnum(j, "rate", NULL) == 0);
  CHECK(jnum(j, "elapsed", NULL) == 0);
  CHECK_UINT(json_object_size(json_object_get(j, "latency")), 6);
  for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
    CHECK(
        json_is_null(json_object_get(json_object_get(j, "latency"), keys[i])));
  json_decref(j);
  return 0;
}

static int json_bad_elapsed(char *why)
{
  static const double bad[] = { -1, 0, NAN, INFINITY };
  size_t i;

  /* A clock gone wrong must not make JSON that jq refuses. */
  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct stats s;
    json_t *j;

    sample_run(&s);
    j = json_of(&s, bad[i], why);
    if (!j)
      return -1;
    CHECK(jnum(j, "elapsed", NULL) == 0);
    CHECK(jnum(j, "rate", NULL) == 0);
    json_decref(j);
  }
  return 0;
}

static int json_big_counts(char *why)
{
  struct stats s;
  json_t *j;

  /* Counts past 2^53 print as exact integers, not doubles. */
  stats_init(&s);
  s.requests = s.ok = ((uint64_t)1 << 53) + 1;
  j = json_of(&s, 1, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "requests", NULL), ((json_int_t)1 << 53) + 1);
  json_decref(j);
  return 0;
}

static const struct tap_case cases[] = {
  { "stats_init: every count 0, quantiles 0", init_is_empty },
  { "fixed memory: 1728 buckets, each histogram under 16 KiB", fixed_size },
  { "ok and failed counted by record_ok()", counts_ok_and_failed },
  { "error kinds as records name them: 503 after a completed transfer is "
    "http",
    kinds_as_records_name_them },
  { "status classes 1xx..5xx, other, and none for 0 or below",
    status_classes },
  { "retries: attempts - 1 summed, 0 attempts adds none",
    retries_are_attempts_minus_one },
  { "bytes: sizes summed, -1 skipped", bytes_skip_unknown_sizes },
  { "cancelled: counted, failed, not in the latency",
    cancelled_counted_not_timed },
  { "robots: counted apart, not failed, not in the latency",
    robots_counted_apart },
  { "one sample: every quantile is its exact time", one_sample_is_exact },
  { "min, max and mean are exact", min_max_mean_exact },
  { "quantiles use the nearest rank", rank_is_nearest_rank },
  { "uniform 1 ms..10 s: quantiles within 1%", quantiles_uniform },
  { "exponential, 100,000 samples: quantiles within 1%",
    quantiles_exponential },
  { "log-uniform 100 us..1 h: quantiles within 1%", quantiles_log_uniform },
  { "bimodal 95/5: p90 fast, p99 slow, within 1%", quantiles_bimodal },
  { "every magnitude from 1 us to 1 h within 0.8%",
    every_magnitude_within_one_percent },
  { "negative, NaN and infinite times count as 0", odd_times },
  { "times past 71 minutes: last bucket, exact max", beyond_the_top_bucket },
  { "1,000,000 samples in fixed memory", million_samples },
  { "stats_text: the summary lines", text_lines },
  { "stats_text: an empty run", text_empty },
  { "stats_text: a second or more in seconds", text_seconds },
  { "latency: the last attempt's total; none without timing",
    latency_last_attempt },
  { "stats_text: 1xx and other shown when seen", text_rare_classes_shown },
  { "stats_text: bytes in powers of 1024", text_byte_units },
  { "stats_text appends to what the buffer holds", text_appends },
  { "stats_json: valid, one line, fields right", json_fields },
  { "stats_json: a fixed shape with zeros", json_every_kind_and_class },
  { "loop: busy quantiles, slow and stalls, text and JSON", loop_busy },
  { "loop: not measured, not reported", loop_absent },
  { "crawl: memory of the visited set and frontier, text and JSON",
    crawl_memory_reported },
  { "output: writes and bytes, text and JSON; none without a write",
    output_writes_reported },
  { "stats_json: no samples gives null latencies", json_empty_latency_null },
  { "stats_json: a bad elapsed time gives 0, not NaN", json_bad_elapsed },
  { "stats_json: counts past 2^53 stay exact", json_big_counts },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
