/* Run statistics: counts by outcome, error kind and status class, and a
 * latency histogram of fixed size from which quantiles are read, so a run
 * of any length needs the same few kilobytes and never stores a list of
 * times. Formats the summary as text or JSON into the caller's buffer;
 * prints nothing. Pure. */
#include "config.h"

#include "stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util.h"

#define SUB_COUNT   (1u << STATS_SUB_BITS)
#define EXACT_COUNT (1u << (STATS_SUB_BITS + 1))

/* A JSON number with "decimals" digits after the point, or null for what
 * JSON cannot hold (NaN, infinities). */
static void put_json_double(struct buf *b, int decimals, double v)
{
  if (isfinite(v))
    buf_putf(b, "%.*f", decimals, v);
  else
    record_put_raw(b, "null");
}

/* The bucket of a time of "us" microseconds. */
static unsigned bucket_of(uint64_t us)
{
  unsigned e;

  if (us < EXACT_COUNT)
    return (unsigned)us;
  if (us >= (uint64_t)1 << STATS_TOP_BITS)
    return STATS_BUCKETS - 1;
  /* e is the top bit, STATS_SUB_BITS + 1 or more; the next
   * STATS_SUB_BITS bits pick the sub-bucket. */
  e = 63u - (unsigned)__builtin_clzll(us);
  return EXACT_COUNT + (e - STATS_SUB_BITS - 1) * SUB_COUNT +
         (unsigned)((us >> (e - STATS_SUB_BITS)) - SUB_COUNT);
}

/* The middle of bucket "i" in microseconds: the bucket holds the whole
 * numbers lo .. lo + width - 1, each the rounding of a real time. */
static double bucket_mid_us(unsigned i)
{
  unsigned k, e;
  double lo, width;

  if (i < EXACT_COUNT)
    return (double)i;
  k = i - EXACT_COUNT;
  e = STATS_SUB_BITS + 1 + k / SUB_COUNT;
  width = ldexp(1.0, (int)(e - STATS_SUB_BITS));
  lo = (double)(SUB_COUNT + k % SUB_COUNT) * width;
  return lo + (width - 1) / 2;
}

static enum stats_status status_class(long status)
{
  if (status <= 0)
    return STATS_STATUS_NONE; /* as record_build() writes null */
  if (status < 100 || status > 599)
    return STATS_STATUS_OTHER;
  return (enum stats_status)(STATS_STATUS_1XX + (status / 100 - 1));
}

void stats_init(struct stats *s)
{
  memset(s, 0, sizeof(*s));
}

/* The bucket of a time of "t" seconds; "!(t > 0)" also catches NaN. */
static unsigned bucket_of_s(double t)
{
  double us;

  if (!(t > 0) || !isfinite(t))
    t = 0;
  us = t * 1e6 + 0.5;
  if (us >= ldexp(1.0, STATS_TOP_BITS))
    return STATS_BUCKETS - 1;
  return bucket_of((uint64_t)us);
}

/* The "q"-quantile of "n" samples counted in "counts", whose exact
 * minimum and maximum are "min" and "max". */
static double hist_quantile(const uint64_t *counts, uint64_t n, double min,
                            double max, double q)
{
  uint64_t rank, seen = 0;
  double v;
  unsigned i;

  if (n == 0)
    return 0;
  if (!(q > 0))
    return min;
  if (q >= 1)
    return max;
  /* The nearest rank. The small slack keeps 0.07 * 100, which is
   * 7.000000000000001 in binary, at rank 7. */
  v = ceil(q * (double)n - 1e-9);
  rank = v < 1 ? 1 : (uint64_t)v;
  if (rank > n)
    rank = n;
  for (i = 0; i < STATS_BUCKETS; i++) {
    seen += counts[i];
    if (seen >= rank)
      break;
  }
  if (i == STATS_BUCKETS)
    return max; /* unreachable while the invariants hold */
  /* The clamp makes the top and bottom buckets exact where it matters:
   * a one-sample run reports its time, not its bucket's middle. */
  v = bucket_mid_us(i) / 1e6;
  if (v < min)
    v = min;
  if (v > max)
    v = max;
  return v;
}

void stats_add(struct stats *s, const struct result *r)
{
  double t = r->timing.total_s;

  s->requests++;
  if (record_ok(r)) {
    s->ok++;
  } else if (r->kind == ERRKIND_ROBOTS) {
    /* Reported, but what a polite crawl expects: no failure. */
    s->robots++;
    s->kinds[ERRKIND_ROBOTS]++;
  } else {
    /* Name the kind as record_build() does: a completed transfer that
     * is not ok failed on its status. */
    enum errkind kind = r->kind == ERRKIND_NONE ? ERRKIND_HTTP : r->kind;

    s->failed++;
    if ((unsigned)kind < ERRKIND_COUNT)
      s->kinds[kind]++;
    else
      s->kinds[ERRKIND_OTHER]++;
  }
  if (r->kind == ERRKIND_CANCELLED)
    s->cancelled++;
  s->status[status_class(r->status)]++;
  if (r->attempts > 1)
    s->retries += r->attempts - 1;
  if (r->size > 0)
    s->bytes += (uint64_t)r->size;
  /* The latency is the last attempt's, as libcurl timed it: not the
   * queue before it, nor earlier attempts and their waits. A request that
   * never ran in libcurl (robots.txt, an input error) has none, and a
   * cancelled one was cut short by us. */
  if (r->kind == ERRKIND_CANCELLED || r->kind == ERRKIND_ROBOTS ||
      !r->timing.known)
    return;

  /* "!(t > 0)" also catches NaN; an infinite time is a bug upstream
   * and would turn the mean into infinity. */
  if (!(t > 0) || !isfinite(t))
    t = 0;
  s->latency[bucket_of_s(t)]++;
  if (s->latency_n == 0 || t < s->latency_min_s)
    s->latency_min_s = t;
  if (s->latency_n == 0 || t > s->latency_max_s)
    s->latency_max_s = t;
  s->latency_sum_s += t;
  s->latency_n++;
}

double stats_quantile(const struct stats *s, double q)
{
  return hist_quantile(s->latency, s->latency_n, s->latency_min_s,
                       s->latency_max_s, q);
}

void stats_loop_add(struct stats_loop *l, double busy_s)
{
  if (!(busy_s > 0) || !isfinite(busy_s))
    busy_s = 0;
  l->busy[bucket_of_s(busy_s)]++;
  if (l->iterations == 0 || busy_s > l->busy_max_s)
    l->busy_max_s = busy_s;
  if (busy_s > STATS_STALL_S)
    l->slow++;
  l->iterations++;
}

double stats_loop_quantile(const struct stats_loop *l, double q)
{
  /* The minimum is not kept: 0 bounds it, and busy times that small fall
   * in the exact buckets anyway. */
  return hist_quantile(l->busy, l->iterations, 0, l->busy_max_s, q);
}

static double mean_s(const struct stats *s)
{
  return s->latency_n ? s->latency_sum_s / (double)s->latency_n : 0;
}

/* The run's wall time made safe to divide by and print. */
static double clean_elapsed(double elapsed_s)
{
  return elapsed_s > 0 && isfinite(elapsed_s) ? elapsed_s : 0;
}

static double rate_of(const struct stats *s, double elapsed_s)
{
  return elapsed_s > 0 ? (double)s->requests / elapsed_s : 0;
}

static const char *const status_names[STATS_STATUS_COUNT] = {
  [STATS_STATUS_NONE] = "none",   [STATS_STATUS_1XX] = "1xx",
  [STATS_STATUS_2XX] = "2xx",     [STATS_STATUS_3XX] = "3xx",
  [STATS_STATUS_4XX] = "4xx",     [STATS_STATUS_5XX] = "5xx",
  [STATS_STATUS_OTHER] = "other",
};

/* "errors: timeout 7, dns 3": the kinds seen, most frequent first, ties
 * in the enum's order. */
static void text_errors(const struct stats *s, struct buf *out)
{
  enum errkind order[ERRKIND_COUNT];
  size_t n = 0, i, j;

  for (i = 0; i < ERRKIND_COUNT; i++) {
    if (s->kinds[i] == 0)
      continue;
    /* Insertion sort, stable: a strictly larger count moves up. */
    for (j = n; j > 0 && s->kinds[order[j - 1]] < s->kinds[i]; j--)
      order[j] = order[j - 1];
    order[j] = (enum errkind)i;
    n++;
  }
  record_put_raw(out, "errors:");
  if (n == 0)
    record_put_raw(out, " none");
  for (i = 0; i < n; i++) {
    const char *name = errkind_name(order[i]);

    buf_putf(out, "%s %s %llu", i ? "," : "", name ? name : "none",
             (unsigned long long)s->kinds[order[i]]);
  }
  record_put_raw(out, "\n");
}

/* "status: 2xx 10, 3xx 0, 4xx 0, 5xx 0, none 0": the classes people look
 * for always, 1xx and other only when they occurred. */
static void text_status(const struct stats *s, struct buf *out)
{
  static const enum stats_status order[] = {
    STATS_STATUS_1XX, STATS_STATUS_2XX,   STATS_STATUS_3XX,  STATS_STATUS_4XX,
    STATS_STATUS_5XX, STATS_STATUS_OTHER, STATS_STATUS_NONE,
  };
  const char *sep = " ";
  size_t i;

  record_put_raw(out, "status:");
  for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
    enum stats_status c = order[i];

    if ((c == STATS_STATUS_1XX || c == STATS_STATUS_OTHER) &&
        s->status[c] == 0)
      continue;
    buf_putf(out, "%s%s %llu", sep, status_names[c],
             (unsigned long long)s->status[c]);
    sep = ", ";
  }
  record_put_raw(out, "\n");
}

/* "bytes: 21474836 (20.5 MiB)", in the powers of 1024 that --max-body
 * takes. */
static void text_bytes(const struct stats *s, struct buf *out)
{
  static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
  double v = (double)s->bytes;
  size_t u = 0;

  buf_putf(out, "bytes: %llu", (unsigned long long)s->bytes);
  if (s->bytes >= 1024) {
    v /= 1024;
    while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
      v /= 1024;
      u++;
    }
    buf_putf(out, " (%.1f %s)", v, units[u]);
  }
  record_put_raw(out, "\n");
}

/* One figure of the latency line: milliseconds with three decimals (the
 * histogram's microsecond) below a second, seconds with three decimals
 * from a second on, so a slow API reads "6.193 s", not "6193.151 ms". */
static void put_duration(struct buf *out, const char *label, double s)
{
  if (s >= 1)
    buf_putf(out, "%s %.3f s", label, s);
  else
    buf_putf(out, "%s %.3f ms", label, s * 1e3);
}

static void text_latency(const struct stats *s, struct buf *out)
{
  put_duration(out, "latency: min", s->latency_min_s);
  put_duration(out, ", p50", stats_quantile(s, 0.5));
  put_duration(out, ", p90", stats_quantile(s, 0.9));
  put_duration(out, ", p99", stats_quantile(s, 0.99));
  put_duration(out, ", max", s->latency_max_s);
  put_duration(out, ", mean", mean_s(s));
  record_put_raw(out, "\n");
}

/* "loop: 1234 iterations, busy p99 0.041 ms, max 2.310 ms, 0 slow,
 * 0 stalls": nothing when the loop was not measured. */
static void text_loop(const struct stats_loop *l, struct buf *out)
{
  if (l->iterations == 0)
    return;
  buf_putf(out, "loop: %llu iterations, busy p99 %.3f ms, max %.3f ms,",
           (unsigned long long)l->iterations,
           stats_loop_quantile(l, 0.99) * 1e3, l->busy_max_s * 1e3);
  buf_putf(out, " %llu slow, %llu stalls (over %.0f ms)\n",
           (unsigned long long)l->slow, (unsigned long long)l->stalls,
           STATS_STALL_S * 1e3);
}

/* "crawl: 200000 URLs seen (8192 KiB, 42 bytes each), frontier peak
 * 150000 URLs (7040 KiB, 48 bytes each)": nothing without a crawl. */
static void text_crawl(const struct stats_crawl *c, struct buf *out)
{
  if (c->seen == 0)
    return;
  buf_putf(out, "crawl: %llu URLs seen (%llu KiB, %llu bytes each),",
           (unsigned long long)c->seen,
           (unsigned long long)(c->seen_bytes / 1024),
           (unsigned long long)(c->seen_bytes / c->seen));
  buf_putf(out, " frontier peak %llu URLs (%llu KiB, %llu bytes each)",
           (unsigned long long)c->frontier_peak,
           (unsigned long long)(c->frontier_peak_bytes / 1024),
           (unsigned long long)(c->frontier_peak
                                    ? c->frontier_peak_bytes / c->frontier_peak
                                    : 0));
  if (c->robots_peak_bytes)
    buf_putf(out, ", robots.txt peak %llu KiB (%llu origins dropped)",
             (unsigned long long)(c->robots_peak_bytes / 1024),
             (unsigned long long)c->robots_dropped);
  record_put_raw(out, "\n");
}

/* "output: 12 writes, 2117 KiB": nothing when nothing was written. */
static void text_output(const struct stats_output *o, struct buf *out)
{
  if (o->writes == 0)
    return;
  buf_putf(out, "output: %llu writes, %llu KiB\n",
           (unsigned long long)o->writes,
           (unsigned long long)(o->bytes / 1024));
}

void stats_text(const struct stats *s, double elapsed_s, struct buf *out)
{
  double elapsed = clean_elapsed(elapsed_s);

  buf_putf(out, "requests: %llu (%llu ok, %llu failed",
           (unsigned long long)s->requests, (unsigned long long)s->ok,
           (unsigned long long)s->failed);
  if (s->robots)
    buf_putf(out, ", %llu disallowed by robots.txt",
             (unsigned long long)s->robots);
  record_put_raw(out, ")\n");
  buf_putf(out, "retries: %llu\n", (unsigned long long)s->retries);
  text_errors(s, out);
  text_status(s, out);
  text_bytes(s, out);
  buf_putf(out, "rate: %.1f requests/s over %.3f s\n", rate_of(s, elapsed),
           elapsed);
  if (s->latency_n == 0)
    record_put_raw(out, "latency: no samples\n");
  else
    text_latency(s, out);
  text_loop(&s->loop, out);
  text_crawl(&s->crawl, out);
  text_output(&s->output, out);
}

static void json_u64(struct buf *out, const char *key, uint64_t v)
{
  record_put_quoted(out, key, strlen(key));
  buf_putf(out, ":%llu", (unsigned long long)v);
}

/* "key":seconds, or "key":null when there is no sample. */
static void json_latency(struct buf *out, const struct stats *s,
                         const char *key, double v)
{
  record_put_quoted(out, key, strlen(key));
  record_put_raw(out, ":");
  if (s->latency_n == 0)
    record_put_raw(out, "null");
  else
    put_json_double(out, 6, v);
}

void stats_json(const struct stats *s, double elapsed_s, struct buf *out)
{
  const struct {
    const char *key;
    uint64_t v;
  } counts[] = { { "requests", s->requests },   { "ok", s->ok },
                 { "failed", s->failed },       { "robots", s->robots },
                 { "cancelled", s->cancelled }, { "retries", s->retries } };
  double elapsed = clean_elapsed(elapsed_s);
  size_t i;

  for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
    record_put_raw(out, i ? "," : "{");
    json_u64(out, counts[i].key, counts[i].v);
  }
  /* Every kind, zeros included: a fixed shape is easier on jq and
   * spreadsheets than keys that come and go. */
  record_put_raw(out, ",\"errors\":{");
  for (i = ERRKIND_NONE + 1; i < ERRKIND_COUNT; i++) {
    if (i > ERRKIND_NONE + 1)
      record_put_raw(out, ",");
    json_u64(out, errkind_name((enum errkind)i), s->kinds[i]);
  }
  record_put_raw(out, "},\"status\":{");
  for (i = STATS_STATUS_1XX; i <= STATS_STATUS_5XX; i++) {
    json_u64(out, status_names[i], s->status[i]);
    record_put_raw(out, ",");
  }
  json_u64(out, "other", s->status[STATS_STATUS_OTHER]);
  record_put_raw(out, ",");
  json_u64(out, "none", s->status[STATS_STATUS_NONE]);
  record_put_raw(out, "},");
  json_u64(out, "bytes", s->bytes);
  record_put_raw(out, ",\"elapsed\":");
  put_json_double(out, 6, elapsed);
  record_put_raw(out, ",\"rate\":");
  put_json_double(out, 3, rate_of(s, elapsed));
  record_put_raw(out, ",\"latency\":{");
  json_latency(out, s, "min", s->latency_min_s);
  record_put_raw(out, ",");
  json_latency(out, s, "p50", stats_quantile(s, 0.5));
  record_put_raw(out, ",");
  json_latency(out, s, "p90", stats_quantile(s, 0.9));
  record_put_raw(out, ",");
  json_latency(out, s, "p99", stats_quantile(s, 0.99));
  record_put_raw(out, ",");
  json_latency(out, s, "max", s->latency_max_s);
  record_put_raw(out, ",");
  json_latency(out, s, "mean", mean_s(s));
  record_put_raw(out, "}");
  if (s->loop.iterations > 0) {
    record_put_raw(out, ",\"loop\":{");
    json_u64(out, "iterations", s->loop.iterations);
    record_put_raw(out, ",\"busy_p99\":");
    put_json_double(out, 6, stats_loop_quantile(&s->loop, 0.99));
    record_put_raw(out, ",\"busy_max\":");
    put_json_double(out, 6, s->loop.busy_max_s);
    record_put_raw(out, ",");
    json_u64(out, "slow", s->loop.slow);
    record_put_raw(out, ",");
    json_u64(out, "stalls", s->loop.stalls);
    record_put_raw(out, "}");
  }
  if (s->crawl.seen > 0) {
    record_put_raw(out, ",\"crawl\":{");
    json_u64(out, "seen", s->crawl.seen);
    record_put_raw(out, ",");
    json_u64(out, "seen_bytes", s->crawl.seen_bytes);
    record_put_raw(out, ",");
    json_u64(out, "frontier_peak", s->crawl.frontier_peak);
    record_put_raw(out, ",");
    json_u64(out, "frontier_peak_bytes", s->crawl.frontier_peak_bytes);
    record_put_raw(out, ",");
    json_u64(out, "robots_peak_bytes", s->crawl.robots_peak_bytes);
    record_put_raw(out, ",");
    json_u64(out, "robots_dropped", s->crawl.robots_dropped);
    record_put_raw(out, "}");
  }
  if (s->output.writes > 0) {
    record_put_raw(out, ",\"output\":{");
    json_u64(out, "writes", s->output.writes);
    record_put_raw(out, ",");
    json_u64(out, "bytes", s->output.bytes);
    record_put_raw(out, "}");
  }
  record_put_raw(out, "}\n");
}
