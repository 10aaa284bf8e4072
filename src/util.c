/* Small helpers with no state: allocation that aborts on exhaustion and
 * checked number parsers. No I/O but the one out-of-memory line. */
#include "config.h"

#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static void oom(void)
{
  /* The one deep stop: nothing sensible can continue without memory. */
  fputs("volley: out of memory\n", stderr);
  abort();
}

void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);

  if (!p)
    oom();
  return p;
}

void *xcalloc(size_t nmemb, size_t n)
{
  void *p = calloc(nmemb ? nmemb : 1, n ? n : 1);

  if (!p)
    oom();
  return p;
}

void *xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);

  if (!q)
    oom();
  return q;
}

char *xstrdup(const char *s)
{
  return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
  char *p = xmalloc(n + 1);

  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

int util_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
  unsigned long long v;
  char *end;

  /* strtoull accepts a sign and leading blanks; a count must not. */
  if (!s || !isdigit((unsigned char)s[0]))
    return -1;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (errno || *end || v < min || v > max)
    return -1;
  *out = v;
  return 0;
}

int util_parse_seconds(const char *s, uint64_t *out_ms)
{
  double v, ms, whole;
  char *end;

  /* Decimal only: strtod would also take hex floats, "inf" and "nan". */
  if (!s || !*s || strspn(s, "0123456789.eE+-") != strlen(s) ||
      !(isdigit((unsigned char)s[0]) || s[0] == '.'))
    return -1;
  errno = 0;
  v = strtod(s, &end);
  if (errno == ERANGE && v != 0)
    return -1;
  if (*end || !isfinite(v) || v < 0 || v > (double)(VL_DURATION_MAX_MS / 1000))
    return -1;
  /* Round up so that a tiny positive value never becomes 0, but not past
   * the binary error of a decimal: "4.03" is 4030 ms, not 4031. */
  ms = v * 1000.0;
  whole = floor(ms + 0.5);
  if (fabs(ms - whole) < 1e-6 * (1.0 + ms))
    ms = whole;
  else
    ms = ceil(ms);
  if (v > 0 && ms < 1)
    ms = 1;
  *out_ms = (uint64_t)ms;
  return 0;
}

int util_parse_size(const char *s, uint64_t *out)
{
  unsigned long long v;
  uint64_t mult = 1;
  char *end;

  if (!s || !isdigit((unsigned char)s[0]))
    return -1;
  errno = 0;
  v = strtoull(s, &end, 10);
  if (errno)
    return -1;
  switch (tolower((unsigned char)*end)) {
  case 'k':
    mult = 1024;
    end++;
    break;
  case 'm':
    mult = 1024 * 1024;
    end++;
    break;
  case 'g':
    mult = 1024 * 1024 * 1024;
    end++;
    break;
  default:
    break;
  }
  if (mult > 1 && tolower((unsigned char)*end) == 'i')
    end++;
  if (tolower((unsigned char)*end) == 'b')
    end++;
  if (*end || v > UINT64_MAX / mult)
    return -1;
  *out = v * mult;
  return 0;
}

double util_clamp_ms(double ms)
{
  /* "!(ms > 0)" is also true for NaN. */
  if (!(ms > 0))
    return 0;
  return ms < (double)VL_DURATION_MAX_MS ? ms : (double)VL_DURATION_MAX_MS;
}

double util_wallclock(void)
{
  struct timeval tv;

  gettimeofday(&tv, NULL);
  return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}
