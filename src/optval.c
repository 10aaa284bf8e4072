/* Parsers of option values that are more than one number. Each reads one
 * argument and fills the caller's variables only when the whole argument
 * is valid; none prints, none knows which option it serves. */
#include "config.h"

#include "optval.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int optval_parse_codes(bool set[600], const char *s)
{
  bool tmp[600] = { false };
  const char *p = s;

  if (!*p)
    return -1;
  while (*p) {
    char num[8];
    size_t n = strcspn(p, ",");
    uint64_t v;

    if (n == 0 || n >= sizeof(num))
      return -1;
    memcpy(num, p, n);
    num[n] = '\0';
    if (util_parse_uint(num, 100, 599, &v) < 0)
      return -1;
    tmp[v] = true;
    p += n;
    if (*p == ',' && *++p == '\0')
      return -1;
  }
  memcpy(set, tmp, sizeof(tmp));
  return 0;
}

int optval_parse_rate(const char *s, double *per_s)
{
  char num[32];
  const char *slash = strchr(s, '/');
  size_t n = slash ? (size_t)(slash - s) : strlen(s);
  double v, unit = 1.0;
  char *end;

  /* strtod() alone would take " 5", "+5", "inf" and hex ("0x10"). */
  if (n == 0 || n >= sizeof(num) || strspn(s, "0123456789.eE+-") < n ||
      !(isdigit((unsigned char)s[0]) || s[0] == '.'))
    return -1;
  memcpy(num, s, n);
  num[n] = '\0';
  if (slash) {
    if (strcmp(slash, "/s") == 0)
      unit = 1.0;
    else if (strcmp(slash, "/m") == 0)
      unit = 60.0;
    else
      return -1;
  }
  v = strtod(num, &end);
  if (*end || !(v > 0) || v > 1e9)
    return -1;
  *per_s = v / unit;
  return 0;
}

int optval_parse_shard(const char *s, unsigned *k, unsigned *n)
{
  const char *slash = strchr(s, '/');
  char kbuf[24];
  uint64_t kv, nv;

  if (!slash || (size_t)(slash - s) >= sizeof(kbuf))
    return -1;
  memcpy(kbuf, s, (size_t)(slash - s));
  kbuf[slash - s] = '\0';
  if (util_parse_uint(kbuf, 0, 1000000, &kv) < 0 ||
      util_parse_uint(slash + 1, 1, 1000000, &nv) < 0 || kv >= nv)
    return -1;
  *k = (unsigned)kv;
  *n = (unsigned)nv;
  return 0;
}

/* libcurl would refuse a bad entry at every transfer: checking it once,
 * before the run, turns that into one usage error. */
int optval_check_resolve(const char *s)
{
  const char *colon, *p;
  char num[8], addr[INET6_ADDRSTRLEN + 2];
  unsigned char bin[sizeof(struct in6_addr)];
  uint64_t port;
  size_t n;

  if (*s == '+')
    s++;
  colon = strchr(s, ':');
  if (!colon || colon == s)
    return -1;
  p = colon + 1;
  n = strcspn(p, ":");
  if (!p[n] || n == 0 || n >= sizeof(num))
    return -1;
  memcpy(num, p, n);
  num[n] = '\0';
  if (util_parse_uint(num, 1, 65535, &port) < 0)
    return -1;
  p += n + 1;
  do {
    n = strcspn(p, ",");
    if (n >= 2 && p[0] == '[' && p[n - 1] == ']') {
      p++;
      n -= 2;
    }
    if (n == 0 || n >= sizeof(addr))
      return -1;
    memcpy(addr, p, n);
    addr[n] = '\0';
    if (inet_pton(AF_INET, addr, bin) != 1 &&
        inet_pton(AF_INET6, addr, bin) != 1)
      return -1;
    p = strchr(p, ',');
  } while (p && *++p);
  return p ? -1 : 0;
}

int optval_split_words(const char *s, char ***out)
{
  char **v = NULL;
  size_t n = 0;

  *out = NULL;
  for (;;) {
    char *w, *p;
    char quote = 0;

    while (*s == ' ' || *s == '\t' || *s == '\n')
      s++;
    if (!*s)
      break;
    w = p = xmalloc(strlen(s) + 1);
    while (*s && (quote || (*s != ' ' && *s != '\t' && *s != '\n'))) {
      if (quote) {
        if (*s == quote)
          quote = 0;
        else if (quote == '"' && *s == '\\' && s[1])
          *p++ = *++s;
        else
          *p++ = *s;
      } else if (*s == '\'' || *s == '"') {
        quote = *s;
      } else if (*s == '\\' && s[1]) {
        *p++ = *++s;
      } else {
        *p++ = *s;
      }
      s++;
    }
    *p = '\0';
    v = xrealloc(v, (n + 2) * sizeof(*v));
    v[n++] = w;
    v[n] = NULL;
    if (quote) {
      *out = v;
      return -1;
    }
  }
  if (!v)
    v = xcalloc(1, sizeof(*v));
  *out = v;
  return (int)n;
}

void optval_free_words(char **v)
{
  size_t i;

  if (!v)
    return;
  for (i = 0; v[i]; i++)
    free(v[i]);
  free(v);
}
