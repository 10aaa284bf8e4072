/* Small helpers with no state: allocation that aborts on exhaustion and
 * checked parsers for numbers, sizes and durations. */
#ifndef VOLLEY_UTIL_H
#define VOLLEY_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Room for one error line, as filled by every fallible function. */
#define VL_ERRLEN 512

/* The longest URL volley sends, in bytes: libcurl 7.88 builds an HTTP/1
 * request (line and headers) in at most 1 MiB and refuses strings over
 * 8,000,000 bytes; a longer input URL is a bad line, a longer link is
 * dropped. */
#define VL_URL_MAX 65536

/* The longest ETag or Last-Modified value volley keeps, in bytes: a longer
 * one is left out of the record, so --since never sends it back. */
#define VL_VALIDATOR_MAX 512

/* The longest duration volley keeps, in ms: 366 days. Options refuse a
 * longer one; a longer Retry-After or Crawl-delay counts as this long. */
#define VL_DURATION_MAX_MS (UINT64_C(366) * 86400 * 1000)

/* Allocate or die: on exhaustion print "volley: out of memory" and abort(). */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Parse a decimal unsigned integer in ["min", "max"] from all of "s".
 * Returns 0 and sets "*out", or -1 on junk, overflow or out of range. */
int util_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* Parse seconds ("1", "0.25", "1e1") into milliseconds, rounding up so
 * that a tiny positive value never becomes 0. Negative, NaN and values
 * over VL_DURATION_MAX_MS are refused. Returns 0 or -1. */
int util_parse_seconds(const char *s, uint64_t *out_ms);

/* Parse a byte count with an optional K, M or G suffix (powers of 1024,
 * case-insensitive, optional trailing "B" or "iB"). Returns 0 or -1. */
int util_parse_size(const char *s, uint64_t *out);

/* A duration from outside, "ms" milliseconds, clamped to [0,
 * VL_DURATION_MAX_MS] (NaN gives 0): do it before any conversion to an
 * integer type, which is undefined behaviour out of range. */
double util_clamp_ms(double ms);

/* Current wall-clock time in seconds since the epoch, as a double. */
double util_wallclock(void);

#endif
