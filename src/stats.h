/* Run statistics for --stats, --stats-json and the progress line: counts
 * by outcome, error kind and status class, and a latency histogram of
 * fixed size. Pure: no I/O, no allocation after the caller's struct. */
#ifndef VOLLEY_STATS_H
#define VOLLEY_STATS_H

#include <stdint.h>

#include "errkind.h"
#include "record.h"

/* The histogram is log-linear, as HDR histograms are: times in whole
 * microseconds below 2^(STATS_SUB_BITS + 1) get a bucket each; above,
 * each power of two [2^e, 2^(e+1)) is cut into 2^STATS_SUB_BITS equal
 * buckets. A bucket is then at most 1/64 of its values wide, and its
 * midpoint within 0.8% of any value in it. The top power of two ends at
 * 2^32 us (71 minutes); longer times go in the last bucket. */
#define STATS_SUB_BITS 6
#define STATS_TOP_BITS 32
#define STATS_BUCKETS                                                         \
  ((1u << (STATS_SUB_BITS + 1)) +                                             \
   (STATS_TOP_BITS - STATS_SUB_BITS - 1) * (1u << STATS_SUB_BITS))

/* Classes of the final HTTP status, the index into stats.status. */
enum stats_status {
  STATS_STATUS_NONE,  /* no response: status 0 (or below) */
  STATS_STATUS_1XX,   /* 100-199 */
  STATS_STATUS_2XX,   /* 200-299 */
  STATS_STATUS_3XX,   /* 300-399 */
  STATS_STATUS_4XX,   /* 400-499 */
  STATS_STATUS_5XX,   /* 500-599 */
  STATS_STATUS_OTHER, /* a response with a status outside 100-599 */
  STATS_STATUS_COUNT
};

/* A loop iteration that used more than this much time counts as slow
 * (wall time) or as a stall (the loop thread's CPU time). */
#define STATS_STALL_S 0.1

/* How the event loop kept up, measured by looplag.c: one sample per loop
 * iteration, its busy time (the wall time it did not spend waiting for
 * events). Only stats_loop_add() and looplag.c change the fields. */
struct stats_loop {
  uint64_t iterations;          /* samples, the sum of busy[] */
  uint64_t busy[STATS_BUCKETS]; /* busy time per iteration, as latency[] */
  double busy_max_s;            /* exact; meaningful when iterations > 0 */
  /* Iterations busy longer than STATS_STALL_S of wall time. */
  uint64_t slow;
  /* Iterations whose loop thread used more than STATS_STALL_S of CPU
   * time: the loop's own work, not time other processes took. */
  uint64_t stalls;
};

/* The crawl's own memory: crawl.c fills the first four fields at the end
 * of a run, gate.c the robots.txt ones as it goes. */
struct stats_crawl {
  uint64_t seen;                /* URLs in the visited set */
  uint64_t seen_bytes;          /* bytes of its table */
  uint64_t frontier_peak;       /* the most URLs queued at once */
  uint64_t frontier_peak_bytes; /* the most bytes the queue took */
  uint64_t robots_peak_bytes;   /* the most robots.txt origins held */
  uint64_t robots_dropped;      /* origins dropped for gate.c's budget */
};

/* The record writer's work (output.c counts it): the writes it started
 * and the bytes they wrote. */
struct stats_output {
  uint64_t writes;
  uint64_t bytes;
};

/* All counts of a run. The fields are public for the progress line to
 * read; only stats_add() changes them. Invariants: requests == ok +
 * failed + robots; the sum of kinds[] is failed + robots; the sum of
 * status[] is requests; latency_n is the sum of latency[]. */
struct stats {
  uint64_t requests;  /* records added */
  uint64_t ok;        /* those for which record_ok() holds */
  uint64_t failed;    /* the others, cancelled ones included, but */
  uint64_t robots;    /* those robots.txt disallowed: not ok, yet not a
                         failure (the exit status, --fail-fast) */
  uint64_t cancelled; /* == kinds[ERRKIND_CANCELLED] */
  uint64_t retries;   /* attempts - 1, summed over requests */
  uint64_t bytes;     /* body sizes summed; unknown sizes (-1) count 0 */
  /* Failed requests by the kind their record names: a completed transfer
   * with a status of 400 or more is ERRKIND_HTTP, so [ERRKIND_NONE] stays
   * 0. */
  uint64_t kinds[ERRKIND_COUNT];
  uint64_t status[STATS_STATUS_COUNT]; /* by enum stats_status */
  /* Latency: the last attempt's total time (timing.total) of every
   * request that ran in libcurl, but cancelled ones, whose time we cut
   * short ourselves and which would drag the quantiles towards
   * --deadline. */
  uint64_t latency[STATS_BUCKETS]; /* counts per bucket */
  uint64_t latency_n;              /* samples, the sum of latency[] */
  double latency_min_s;            /* exact; meaningful when latency_n > 0 */
  double latency_max_s;            /* exact; meaningful when latency_n > 0 */
  double latency_sum_s;            /* exact, for the mean */
  struct stats_loop loop;          /* filled by looplag.c, if it ran */
  struct stats_crawl crawl;        /* with --crawl, else zero */
  struct stats_output output;      /* filled by output.c */
};

/* Set every count of "s" to zero. */
void stats_init(struct stats *s);

/* Count the finished request "r" (borrowed for the call): its outcome
 * (record_ok(), or robots for ERRKIND_ROBOTS), r->kind, r->status,
 * r->attempts, r->size and, unless it was cancelled or has no timing
 * (it never ran in libcurl), r->timing.total_s: the last attempt's time,
 * not r->time_s. A negative, NaN or infinite time counts as 0. */
void stats_add(struct stats *s, const struct result *r);

/* The "q"-quantile of the latency in seconds, "q" in [0, 1]: the time of
 * the request of rank ceil(q * latency_n), to within 0.8% (a microsecond
 * below 128 us). 0 gives the exact minimum, 1 the exact maximum; the
 * result never leaves [min, max]. Returns 0 when there is no sample. */
double stats_quantile(const struct stats *s, double q);

/* Count one loop iteration that was busy "busy_s" seconds (negative,
 * NaN or infinite counts as 0). Stalls are counted by the caller. */
void stats_loop_add(struct stats_loop *l, double busy_s);

/* The "q"-quantile of the loop's busy time per iteration in seconds, as
 * stats_quantile() reads the latency; 0 when there is no sample. */
double stats_loop_quantile(const struct stats_loop *l, double q);

/* Append to "out" the human summary for stderr: a few lines, each ending
 * in '\n', e.g. "requests: 20000 (19990 ok, 10 failed)", a "loop:" line
 * when the loop was measured and a "crawl:" line after a crawl. "elapsed_s" is
 * the run's wall time, for the rate. */
void stats_text(const struct stats *s, double elapsed_s, struct buf *out);

/* Append to "out" the same as one JSON object and '\n': requests, ok,
 * failed, robots, cancelled, retries, errors (an object with every kind, zeros
 * included), status (1xx..5xx, other, none), bytes, elapsed, rate and
 * latency (min, p50, p90, p99, max, mean in seconds; null when there was
 * no sample); when the loop was measured, loop (iterations, busy_p99
 * and busy_max in seconds, slow, stalls); with a crawl, crawl (seen,
 * seen_bytes, frontier_peak, frontier_peak_bytes). */
void stats_json(const struct stats *s, double elapsed_s, struct buf *out);

#endif
