/* robots.txt after RFC 9309: keeps the rules of the groups that name this
 * crawler (or "*") and matches paths against them. Owns the rule copies
 * in struct robots; fetching the file and acting on the answer are the
 * crawler's. Pure. */
#include "config.h"

#include "robots.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

struct robots_rule {
  char *pattern; /* normalised as norm() does, without the final '$' */
  size_t len;    /* bytes of "pattern", the final '$' counted: specificity */
  bool anchored; /* the rule ended in '$' */
  bool wild;     /* "pattern" holds a '*' */
  bool allow;
};

/* What one robots_allowed() check has spent, in byte comparisons. */
struct scan {
  size_t steps;
  uint32_t *fail; /* KMP table for the longest segment of any rule */
};

struct robots_rules {
  struct robots_rule *v;
  size_t n, cap;
  double delay_s; /* the first valid Crawl-delay; valid when has_delay */
  bool has_delay;
};

struct robots {
  struct robots_rules kept; /* longest first, Allow first on a tie */
  size_t max_segment;       /* longest run between stars of any rule */
};

/* What robots_parse() knows while it reads the lines. */
struct robots_parser {
  const char *token;        /* the crawler's product token, borrowed */
  size_t token_len;         /* 0: only "*" groups can apply */
  struct robots_rules best; /* groups naming the most specific match */
  struct robots_rules star; /* groups naming "*" */
  size_t best_len;          /* length of that match; 0 when none yet */
  size_t group_len;         /* the current group's best match, 0: none */
  bool group_star;          /* the current group names "*" */
  bool group_has_rules;     /* a rule line came since its user-agent lines */
};

enum robots_key { KEY_AGENT, KEY_ALLOW, KEY_DISALLOW, KEY_DELAY };

/* Keys and the misspellings seen in the wild that crawlers accept. */
static const struct {
  char name[16];
  enum robots_key key;
} keys[] = {
  { "user-agent", KEY_AGENT },  { "useragent", KEY_AGENT },
  { "user agent", KEY_AGENT },  { "allow", KEY_ALLOW },
  { "disallow", KEY_DISALLOW }, { "dissallow", KEY_DISALLOW },
  { "dissalow", KEY_DISALLOW }, { "disalow", KEY_DISALLOW },
  { "crawl-delay", KEY_DELAY }, { "crawldelay", KEY_DELAY },
};

static bool is_token_char(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static bool is_blank(char c)
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static int hex_value(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static bool is_unreserved(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
         c == '~';
}

/* The form in which rules and paths are compared (RFC 9309, 2.2.2): a
 * %XX of an unreserved character becomes the character, any other %XX
 * gets upper-case hex, and bytes outside printable ASCII become %XX. So
 * "/%7Efoo" equals "/~foo", "/%c3%a9" equals "/\xc3\xa9", but "/a%2Fb"
 * stays apart from "/a/b". Returns a malloc'd string of "*outlen" bytes. */
static char *norm(const char *s, size_t n, size_t *outlen)
{
  static const char hex[] = "0123456789ABCDEF";
  char *out = xmalloc(n * 3 + 1);
  size_t i, o = 0;

  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    int hi = c == '%' && i + 2 < n ? hex_value(s[i + 1]) : -1;
    int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;

    if (lo >= 0) {
      c = (unsigned char)(hi * 16 + lo);
      i += 2;
      if (is_unreserved(c)) {
        out[o++] = (char)c;
        continue;
      }
    } else if (c > 0x20 && c < 0x7f) {
      out[o++] = (char)c;
      continue;
    }
    out[o++] = '%';
    out[o++] = hex[c >> 4];
    out[o++] = hex[c & 15];
  }
  out[o] = '\0';
  *outlen = o;
  return out;
}

static void rules_free(struct robots_rules *l)
{
  size_t i;

  for (i = 0; i < l->n; i++)
    free(l->v[i].pattern);
  free(l->v);
  memset(l, 0, sizeof(*l));
}

static void rules_add(struct robots_rules *l, const struct robots_rule *r)
{
  struct robots_rule *copy;

  if (l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 8;
    l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
  }
  copy = &l->v[l->n++];
  *copy = *r;
  copy->pattern = xstrdup(r->pattern);
}

/* How specifically the user-agent "name" ("n" bytes) names the crawler:
 * the length of its token when that is the crawler's token or a prefix of
 * it ending before a '-', else 0. */
static size_t agent_match(const struct robots_parser *p, const char *name,
                          size_t n)
{
  size_t len = 0;

  while (len < n && is_token_char(name[len]))
    len++;
  if (len == 0 || len > p->token_len || strncasecmp(name, p->token, len) != 0)
    return 0;
  if (len < p->token_len && p->token[len] != '-')
    return 0;
  return len;
}

/* A Crawl-delay value: digits with an optional fraction, nothing else.
 * Parsed by hand because strtod() follows the locale's decimal point. */
static bool parse_delay(const char *s, size_t n, double *out)
{
  double v = 0, scale = 1;
  size_t i = 0, digits = 0;

  for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
    v = v * 10 + (s[i] - '0');
  if (i < n && s[i] == '.')
    for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++)
      v += (s[i] - '0') * (scale /= 10);
  if (digits == 0 || i != n)
    return false;
  /* Any number of digits is read (a double only loses precision, or
   * becomes infinity); the clamp keeps later conversions defined. */
  *out = util_clamp_ms(v * 1000.0) / 1000.0;
  return true;
}

static void on_agent(struct robots_parser *p, const char *value, size_t n)
{
  size_t len;

  /* A user-agent line after rules starts a new group; consecutive ones
   * share a group. */
  if (p->group_has_rules) {
    p->group_len = 0;
    p->group_star = false;
    p->group_has_rules = false;
  }
  if (n == 1 && value[0] == '*') {
    p->group_star = true;
    return;
  }
  len = agent_match(p, value, n);
  if (len > p->group_len)
    p->group_len = len;
  if (len > p->best_len) {
    /* A more specific name: the groups kept so far no longer apply. */
    rules_free(&p->best);
    p->best_len = len;
  }
}

static void on_rule(struct robots_parser *p, enum robots_key key,
                    const char *value, size_t n)
{
  struct robots_rule r = { NULL, 0, false, false, key == KEY_ALLOW };
  bool to_best = p->group_len > 0 && p->group_len == p->best_len;
  char *raw;
  double delay;

  p->group_has_rules = true;
  if (!to_best && !p->group_star)
    return;
  if (key == KEY_DELAY) {
    if (!parse_delay(value, n, &delay))
      return;
    if (to_best && !p->best.has_delay) {
      p->best.delay_s = delay;
      p->best.has_delay = true;
    }
    if (p->group_star && !p->star.has_delay) {
      p->star.delay_s = delay;
      p->star.has_delay = true;
    }
    return;
  }
  if (n > 0 && value[n - 1] == '$') {
    r.anchored = true;
    n--;
  }
  /* An empty Disallow allows everything: no rule. */
  if (n == 0)
    return;
  /* "Disallow: private/" is a common slip for "/private/"; reading it so
   * keeps the crawler on the polite side. */
  raw = xmalloc(n + 2);
  raw[0] = '/';
  memcpy(raw + 1, value, n);
  raw[n + 1] = '\0';
  if (value[0] == '/' || value[0] == '*')
    r.pattern = norm(raw + 1, n, &r.len);
  else
    r.pattern = norm(raw, n + 1, &r.len);
  free(raw);
  r.wild = strchr(r.pattern, '*') != NULL;
  r.len += r.anchored;
  if (to_best)
    rules_add(&p->best, &r);
  if (p->group_star)
    rules_add(&p->star, &r);
  free(r.pattern);
}

static void parse_line(struct robots_parser *p, const char *line, size_t n)
{
  const char *hash = memchr(line, '#', n), *colon, *key, *value;
  size_t klen, vlen, i;

  if (hash)
    n = (size_t)(hash - line);
  colon = memchr(line, ':', n);
  if (!colon)
    return; /* junk */
  key = line;
  klen = (size_t)(colon - line);
  value = colon + 1;
  vlen = n - klen - 1;
  while (klen > 0 && is_blank(key[0])) {
    key++;
    klen--;
  }
  while (klen > 0 && is_blank(key[klen - 1]))
    klen--;
  while (vlen > 0 && is_blank(value[0])) {
    value++;
    vlen--;
  }
  while (vlen > 0 && is_blank(value[vlen - 1]))
    vlen--;
  for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
    if (strlen(keys[i].name) != klen ||
        strncasecmp(key, keys[i].name, klen) != 0)
      continue;
    if (keys[i].key == KEY_AGENT)
      on_agent(p, value, vlen);
    else
      on_rule(p, keys[i].key, value, vlen);
    return;
  }
  /* Sitemap and unknown keys are not group members: they neither end
   * a group nor belong to one. */
}

/* Longest first; on equal length, Allow first: then the first rule that
 * matches decides, as RFC 9309 2.2.2 says the longest match does. */
static int rule_order(const void *pa, const void *pb)
{
  const struct robots_rule *a = pa, *b = pb;

  if (a->len != b->len)
    return a->len > b->len ? -1 : 1;
  if (a->allow != b->allow)
    return a->allow ? -1 : 1;
  return strcmp(a->pattern, b->pattern);
}

struct robots *robots_parse(const char *text, size_t len, const char *agent)
{
  struct robots_parser p;
  struct robots *r = xcalloc(1, sizeof(*r));
  const char *s = text, *end;
  size_t i;

  if (text && len > ROBOTS_MAX_BYTES) {
    /* RFC 9309 2.5: at least 500 KiB must be read; the rest is ignored,
     * from the last line end before the cap, so no rule is cut short. */
    const char *nl = text + ROBOTS_MAX_BYTES;

    while (nl > text && nl[-1] != '\n' && nl[-1] != '\r')
      nl--;
    len = (size_t)(nl - text);
  }
  end = text ? text + len : NULL;

  memset(&p, 0, sizeof(p));
  if (agent) {
    while (*agent == ' ')
      agent++;
    p.token = agent;
    while (is_token_char(agent[p.token_len]))
      p.token_len++;
  }
  if (text && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
    s += 3;
  while (s && s < end) {
    const char *eol = s;

    while (eol < end && *eol != '\n' && *eol != '\r')
      eol++;
    parse_line(&p, s, (size_t)(eol - s));
    /* One line end: CRLF, CR or LF. */
    s = eol;
    if (s < end && *s == '\r' && s + 1 < end && s[1] == '\n')
      s += 2;
    else if (s < end)
      s++;
  }
  if (p.best_len > 0) {
    r->kept = p.best;
    rules_free(&p.star);
  } else {
    r->kept = p.star;
    rules_free(&p.best);
  }
  if (r->kept.n)
    qsort(r->kept.v, r->kept.n, sizeof(*r->kept.v), rule_order);
  for (i = 0; i < r->kept.n; i++) {
    const char *q = r->kept.v[i].pattern, *star;

    for (; (star = strchr(q, '*')); q = star + 1)
      if ((size_t)(star - q) > r->max_segment)
        r->max_segment = (size_t)(star - q);
    if (strlen(q) > r->max_segment)
      r->max_segment = strlen(q);
  }
  return r;
}

/* The end of the first "seg" ("m" bytes, m > 0) in "path" ("n" bytes)
 * at or after "from", or SIZE_MAX. Knuth-Morris-Pratt: at most 2 (m +
 * n - from) comparisons, whatever the bytes, counted in "sc". */
static size_t find_segment(const char *seg, size_t m, const char *path,
                           size_t n, size_t from, struct scan *sc)
{
  uint32_t *fail = sc->fail;
  size_t i, k = 0;

  fail[0] = 0;
  for (i = 1; i < m; i++) {
    while (k > 0 && seg[i] != seg[k])
      k = fail[k - 1];
    if (seg[i] == seg[k])
      k++;
    fail[i] = (uint32_t)k;
  }
  sc->steps += 2 * m;
  k = 0;
  for (i = from; i < n; i++) {
    while (k > 0 && path[i] != seg[k])
      k = fail[k - 1];
    if (path[i] == seg[k])
      k++;
    if (k == m) {
      sc->steps += 2 * (i + 1 - from);
      return i + 1;
    }
  }
  sc->steps += 2 * (n - from);
  return SIZE_MAX;
}

/* Whether "rule" matches the start of "path" ("n" bytes). The pattern is
 * runs of bytes between stars: the first must start the path; each
 * other is taken where it first occurs after the one before (the
 * earliest place leaves the most room for the rest); with '$' the last
 * must end the path instead. So the work is linear in the path and the
 * pattern, never a backtracking search. */
static bool rule_matches(const struct robots_rule *rule, const char *path,
                         size_t n, struct scan *sc)
{
  const char *seg = rule->pattern, *star = strchr(seg, '*');
  size_t m = star ? (size_t)(star - seg) : strlen(seg), pos;

  sc->steps += m;
  if (m > n || memcmp(seg, path, m) != 0)
    return false;
  if (!star)
    return !rule->anchored || m == n;
  pos = m;
  for (;;) {
    seg = star + 1;
    star = strchr(seg, '*');
    m = star ? (size_t)(star - seg) : strlen(seg);
    if (!star && rule->anchored) {
      sc->steps += m;
      return n - pos >= m && memcmp(path + n - m, seg, m) == 0;
    }
    if (m > 0) {
      pos = find_segment(seg, m, path, n, pos, sc);
      if (pos == SIZE_MAX)
        return false;
    }
    if (!star)
      return true;
  }
}

bool robots_allowed(const struct robots *r, const char *path_and_query)
{
  const char *path = path_and_query && *path_and_query ? path_and_query : "/";
  size_t plen = strcspn(path, "?"), n, i;
  bool allowed = true;
  struct scan sc = { 0, NULL };
  char *p;

  if (!r || r->kept.n == 0)
    return true;
  if (plen == strlen("/robots.txt") && memcmp(path, "/robots.txt", plen) == 0)
    return true;
  p = norm(path, strlen(path), &n);
  sc.fail = xmalloc((r->max_segment + 1) * sizeof(*sc.fail));
  /* The rules come longest first, Allow first on a tie: the first that
   * matches decides. */
  for (i = 0; i < r->kept.n; i++) {
    if (rule_matches(&r->kept.v[i], p, n, &sc)) {
      allowed = r->kept.v[i].allow;
      break;
    }
    if (sc.steps > ROBOTS_MAX_STEPS) {
      /* A file whose rules cost this much on one path is hostile or
       * broken: the polite answer is no. */
      allowed = false;
      break;
    }
  }
  free(sc.fail);
  free(p);
  return allowed;
}

double robots_crawl_delay(const struct robots *r)
{
  return r && r->kept.has_delay ? r->kept.delay_s : 0;
}

/* What malloc adds to each block, about: its header, and rounding. */
#define ROBOTS_MALLOC_OVERHEAD 16

size_t robots_size(const struct robots *r)
{
  size_t n, i;

  if (!r)
    return 0;
  n = sizeof(*r) + ROBOTS_MALLOC_OVERHEAD;
  if (r->kept.v)
    n += r->kept.cap * sizeof(*r->kept.v) + ROBOTS_MALLOC_OVERHEAD;
  for (i = 0; i < r->kept.n; i++)
    n += r->kept.v[i].len + 1 + ROBOTS_MALLOC_OVERHEAD;
  return n;
}

void robots_free(struct robots *r)
{
  if (!r)
    return;
  rules_free(&r->kept);
  free(r);
}
