/* Command-line options. One table below feeds getopt_long, the --help
 * text and the range checks; defaults are applied by parsing the table's
 * default strings, so help and behaviour agree. Pure: prints nothing. */
#include "config.h"

#include "cli.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <jansson.h>
#include <uv.h>

#include "inputline.h"
#include "optname.h"

enum cli_arg {
  ARG_NONE,
  ARG_UINT,
  ARG_SECONDS,
  ARG_SIZE,
  ARG_STRING,
  ARG_LINE, /* a string that goes on the wire: no CR or LF */
  ARG_CODES
};

/* Option ids: a short option's letter, else a value past any char. */
enum cli_id {
  OPT_CONNECT_TIMEOUT = 256,
  OPT_PER_HOST,
  OPT_LOCATION_OFF,
  OPT_MAX_REDIRS,
  OPT_PROXY,
  OPT_HTTP11,
  OPT_HTTP2,
  OPT_COMPRESSED,
  OPT_COMPRESSED_OFF,
  OPT_MAX_BODY,
  OPT_BODY,
  OPT_HEADERS,
  OPT_ORDERED,
  OPT_RETRY_ALL,
  OPT_RETRY,
  OPT_RETRY_ON,
  OPT_RETRY_DELAY,
  OPT_RETRY_MAX_DELAY,
  OPT_DEADLINE,
  OPT_GRACE,
  OPT_RESUME,
  OPT_RESUME_FAILED,
  OPT_APPEND,
  OPT_FAIL_FAST,
  OPT_SHARD,
  OPT_INPUT_FORMAT,
  OPT_PROTO_DEFAULT,
  OPT_PROGRESS,
  OPT_PROGRESS_OFF,
  OPT_STATS,
  OPT_STATS_JSON,
  OPT_RATE,
  OPT_RATE_PER_HOST,
  OPT_TITLE,
  OPT_LINKS,
  OPT_SAVE,
  OPT_SAVE_NAME,
  OPT_SAVE_ERRORS,
  OPT_CRAWL,
  OPT_ANY_HOST,
  OPT_INCLUDE,
  OPT_EXCLUDE,
  OPT_MAX_URLS,
  OPT_IGNORE_ROBOTS,
  OPT_CACERT,
  OPT_CAPATH,
  OPT_RESOLVE,
  OPT_CHECK,
  OPT_ID_PREFIX,
  OPT_FAILURES_OK,
  OPT_HASH,
  OPT_SINCE,
  OPT_ONLY_CHANGED,
  OPT_PAGE_REQUISITES
};

struct cli_option {
  int id;              /* getopt_long's val */
  const char *name;    /* long name, without "--" */
  char letter;         /* short option, 0 if none */
  enum cli_arg kind;   /* what the argument is */
  const char *metavar; /* shown in --help */
  uint64_t min, max;   /* range for ARG_UINT */
  const char *deflt;   /* parsed at start when not NULL */
  const char *help;    /* one line; "(default X)" is added */
};

static const struct cli_option options[] = {
  { 'i', "input", 'i', ARG_STRING, "FILE", 0, 0, NULL,
    "read requests from FILE ('-' is stdin; repeatable)" },
  { OPT_INPUT_FORMAT, "input-format", 0, ARG_STRING, "FORMAT", 0, 0, "auto",
    "auto, lines (URLs only) or jsonl (JSON requests only)" },
  { OPT_PROTO_DEFAULT, "proto-default", 0, ARG_STRING, "SCHEME", 0, 0, "http",
    "scheme of a URL given without one: http or https" },
  { OPT_SHARD, "shard", 0, ARG_STRING, "K/N", 0, 0, NULL,
    "only the requests in part K (0 to N-1) of N, by URL hash" },
  { OPT_ID_PREFIX, "id-prefix", 0, ARG_STRING, "STR", 0, 0, NULL,
    "ids are STR and the line number, as strings" },
  { OPT_CHECK, "check", 0, ARG_NONE, NULL, 0, 0, NULL,
    "fetch nothing: exit 0 if the record FILEs given as arguments hold "
    "each request of the input once, else 1" },
  { 'c', "concurrency", 'c', ARG_UINT, "N", 1, 100000, "50",
    "requests in flight at once" },
  { OPT_PER_HOST, "per-host", 0, ARG_UINT, "N", 0, 100000, "0",
    "requests in flight per host, 0 for no cap" },
  { OPT_RATE, "rate", 0, ARG_STRING, "R[/s|/m]", 0, 0, NULL,
    "start at most R requests a second (or a minute)" },
  { OPT_RATE_PER_HOST, "rate-per-host", 0, ARG_STRING, "R[/s|/m]", 0, 0, NULL,
    "start at most R requests a second (or minute) per host" },
  { 't', "timeout", 't', ARG_SECONDS, "SECS", 0, 0, "30",
    "limit on each attempt, 0 for none" },
  { 'm', "max-time", 'm', ARG_SECONDS, "SECS", 0, 0, NULL,
    "limit on a request's whole time, attempts and retry waits included; "
    "without it a request may take (-r + 1) x -t plus the waits" },
  { OPT_CONNECT_TIMEOUT, "connect-timeout", 0, ARG_SECONDS, "SECS", 0, 0, "10",
    "limit on connecting" },
  { 'r', "retries", 'r', ARG_UINT, "N", 0, 100, "2",
    "retries of a transient failure" },
  { OPT_RETRY_ON, "retry-on", 0, ARG_CODES, "CODES", 0, 0,
    "408,429,500,502,503,504", "HTTP statuses that are retried" },
  { OPT_RETRY_ALL, "retry-all-methods", 0, ARG_NONE, NULL, 0, 0, NULL,
    "retry POST and PATCH too" },
  { OPT_RETRY_DELAY, "retry-delay", 0, ARG_SECONDS, "SECS", 0, 0, "0.5",
    "base of the exponential backoff" },
  { OPT_RETRY_MAX_DELAY, "retry-max-delay", 0, ARG_SECONDS, "SECS", 0, 0, "30",
    "longest wait before a retry" },
  { OPT_DEADLINE, "deadline", 0, ARG_SECONDS, "SECS", 0, 0, NULL,
    "budget for the whole run; then cancel the rest" },
  { OPT_GRACE, "grace", 0, ARG_SECONDS, "SECS", 0, 0, "5",
    "time in-flight requests get after SIGINT/SIGTERM" },
  { 'X', "method", 'X', ARG_LINE, "METHOD", 0, 0, NULL,
    "request method (default GET, POST with --data)" },
  { 'I', "head", 'I', ARG_NONE, NULL, 0, 0, NULL,
    "send HEAD requests (as -X HEAD)" },
  { 'H', "header", 'H', ARG_LINE, "'K: V'", 0, 0, NULL,
    "add a request header (repeatable)" },
  { 'd', "data", 'd', ARG_STRING, "DATA|@FILE", 0, 0, NULL,
    "request body; @FILE reads it from FILE" },
  { 'A', "user-agent", 'A', ARG_LINE, "STRING", 0, 0, "volley/" VERSION,
    "User-Agent header" },
  { 'u', "user", 'u', ARG_LINE, "USER:PASSWORD", 0, 0, NULL,
    "basic authentication for the input's hosts; never printed" },
  { 'L', "location", 'L', ARG_NONE, NULL, 0, 0, NULL,
    "follow redirects (the default)" },
  { OPT_LOCATION_OFF, "no-location", 0, ARG_NONE, NULL, 0, 0, NULL,
    "do not follow redirects" },
  { OPT_MAX_REDIRS, "max-redirs", 0, ARG_UINT, "N", 0, 1000, "10",
    "redirects followed at most" },
  { 'k', "insecure", 'k', ARG_NONE, NULL, 0, 0, NULL,
    "do not verify TLS certificates" },
  { OPT_CACERT, "cacert", 0, ARG_STRING, "FILE", 0, 0, NULL,
    "trust the CA certificates in FILE (PEM)" },
  { OPT_CAPATH, "capath", 0, ARG_STRING, "DIR", 0, 0, NULL,
    "trust the CA certificates in DIR (hashed, as openssl rehash does)" },
  { OPT_PROXY, "proxy", 0, ARG_LINE, "URL", 0, 0, NULL,
    "use this proxy (default: the *_proxy environment)" },
  { OPT_RESOLVE, "resolve", 0, ARG_LINE, "HOST:PORT:ADDR", 0, 0, NULL,
    "connect to ADDR for HOST:PORT, no DNS (repeatable)" },
  { '4', "ipv4", '4', ARG_NONE, NULL, 0, 0, NULL,
    "connect to IPv4 addresses only" },
  { '6', "ipv6", '6', ARG_NONE, NULL, 0, 0, NULL,
    "connect to IPv6 addresses only" },
  { OPT_HTTP11, "http1.1", 0, ARG_NONE, NULL, 0, 0, NULL,
    "use HTTP/1.1 only" },
  { OPT_HTTP2, "http2", 0, ARG_NONE, NULL, 0, 0, NULL,
    "use HTTP/2 (TLS: ALPN; plain: h2c upgrade)" },
  { OPT_COMPRESSED, "compressed", 0, ARG_NONE, NULL, 0, 0, NULL,
    "ask for compressed bodies and decode them (the default)" },
  { OPT_COMPRESSED_OFF, "no-compressed", 0, ARG_NONE, NULL, 0, 0, NULL,
    "do not ask for compressed bodies" },
  { OPT_MAX_BODY, "max-body", 0, ARG_SIZE, "BYTES", 0, 0, "10M",
    "largest decoded body, K/M/G suffixes" },
  { OPT_BODY, "body", 0, ARG_NONE, NULL, 0, 0, NULL,
    "put the body in the record" },
  { OPT_HEADERS, "headers", 0, ARG_NONE, NULL, 0, 0, NULL,
    "put the response headers in the record" },
  { OPT_HASH, "hash", 0, ARG_NONE, NULL, 0, 0, NULL,
    "put the SHA-256 of the decoded body in the record" },
  { OPT_TITLE, "title", 0, ARG_NONE, NULL, 0, 0, NULL,
    "put the HTML <title> in the record" },
  { OPT_LINKS, "links", 0, ARG_NONE, NULL, 0, 0, NULL,
    "put the page's links, absolute, in the record" },
  { OPT_PAGE_REQUISITES, "page-requisites", 0, ARG_NONE, NULL, 0, 0, NULL,
    "links (and --crawl) also take images, scripts, stylesheets and CSS "
    "url()s" },
  { 'x', "xpath", 'x', ARG_STRING, "NAME=EXPR", 0, 0, NULL,
    "XPath 1.0 results as extract.NAME (repeatable)" },
  { 'e', "regex", 'e', ARG_STRING, "NAME=PATTERN", 0, 0, NULL,
    "PCRE2 matches as extract.NAME (repeatable)" },
  { OPT_SAVE, "save", 0, ARG_STRING, "DIR", 0, 0, NULL,
    "write each 2xx body to a file in DIR (created if missing)" },
  { OPT_SAVE_NAME, "save-name", 0, ARG_STRING, "TEMPLATE", 0, 0, "{id}{ext}",
    "file names: {id} {host} {path} {sha256} {ext}; '/' makes "
    "directories" },
  { OPT_SAVE_ERRORS, "save-errors", 0, ARG_NONE, NULL, 0, 0, NULL,
    "--save: also save the bodies of responses that are not 2xx" },
  { OPT_CRAWL, "crawl", 0, ARG_UINT, "DEPTH", 0, 1000, NULL,
    "also fetch the links of fetched pages, DEPTH hops deep" },
  { OPT_ANY_HOST, "any-host", 0, ARG_NONE, NULL, 0, 0, NULL,
    "--crawl: follow links to other hosts too" },
  { OPT_INCLUDE, "include", 0, ARG_STRING, "REGEX", 0, 0, NULL,
    "--crawl: follow only URLs that match" },
  { OPT_EXCLUDE, "exclude", 0, ARG_STRING, "REGEX", 0, 0, NULL,
    "--crawl: never follow URLs that match" },
  { OPT_MAX_URLS, "max-urls", 0, ARG_UINT, "N", 0, UINT64_MAX, "10000",
    "--crawl: fetch at most N URLs, seeds included; 0 for no cap" },
  { OPT_IGNORE_ROBOTS, "ignore-robots", 0, ARG_NONE, NULL, 0, 0, NULL,
    "--crawl: do not fetch or obey robots.txt" },
  { 'o', "output", 'o', ARG_STRING, "FILE", 0, 0, NULL,
    "write records to FILE (truncated; locked while volley runs) instead "
    "of stdout" },
  { OPT_RESUME, "resume", 0, ARG_NONE, NULL, 0, 0, NULL,
    "with -o: skip requests FILE already has, append the rest" },
  { OPT_RESUME_FAILED, "resume-failed", 0, ARG_NONE, NULL, 0, 0, NULL,
    "with -o: like --resume, and redo failed requests" },
  { OPT_APPEND, "append", 0, ARG_NONE, NULL, 0, 0, NULL,
    "with -o: append to FILE instead of truncating it" },
  { OPT_SINCE, "since", 0, ARG_STRING, "FILE", 0, 0, NULL,
    "send the validators of FILE's records (an earlier output) and mark "
    "each record changed or not" },
  { OPT_ONLY_CHANGED, "only-changed", 0, ARG_NONE, NULL, 0, 0, NULL,
    "with --since: write only the records that differ from FILE's" },
  { OPT_FAIL_FAST, "fail-fast", 0, ARG_NONE, NULL, 0, 0, NULL,
    "at the first failed request, cancel the rest and exit 1" },
  { OPT_FAILURES_OK, "failures-ok", 0, ARG_NONE, NULL, 0, 0, NULL,
    "failed requests do not make the exit status 1 (cancelled ones do)" },
  { OPT_ORDERED, "ordered", 0, ARG_NONE, NULL, 0, 0, NULL,
    "write records in input order" },
  { 'w', "write-out", 'w', ARG_STRING, "FORMAT", 0, 0, NULL,
    "one line per record from FORMAT, not JSON" },
  { OPT_STATS, "stats", 0, ARG_NONE, NULL, 0, 0, NULL,
    "print a summary on stderr at the end" },
  { OPT_STATS_JSON, "stats-json", 0, ARG_STRING, "FILE", 0, 0, NULL,
    "write the summary to FILE as one JSON object" },
  { OPT_PROGRESS, "progress", 0, ARG_NONE, NULL, 0, 0, NULL,
    "progress line on stderr (default: on a terminal)" },
  { OPT_PROGRESS_OFF, "no-progress", 0, ARG_NONE, NULL, 0, 0, NULL,
    "no progress line" },
  { 'q', "quiet", 'q', ARG_NONE, NULL, 0, 0, NULL,
    "only fatal errors on stderr, no progress line" },
  { 'v', "verbose", 'v', ARG_NONE, NULL, 0, 0, NULL,
    "one stderr line per event (repeat for more)" },
  { 'h', "help", 'h', ARG_NONE, NULL, 0, 0, NULL, "show this help and exit" },
  { 'V', "version", 'V', ARG_NONE, NULL, 0, 0, NULL,
    "show versions and exit" },
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

/* Other names of options above, curl's where the meaning is the same:
 * each takes its option's value and --help shows it under it. */
struct cli_alias {
  int id;           /* getopt_long's val, distinct from every option's */
  const char *name; /* long name, without "--" */
  char letter;      /* short option, 0 if none */
  int same_as;      /* the option's id */
};

static const struct cli_alias aliases[] = {
  { OPT_RETRY, "retry", 0, 'r' },
  { 's', "silent", 's', 'q' },
};

#define NALIASES (sizeof(aliases) / sizeof(aliases[0]))

/* Width of the option column of --help. */
#define HELP_LEFT 26

static void set_err(char err[VL_ERRLEN], const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Fill "err" from "fmt". The message quotes the value as given, so each
 * control byte and DEL in it is written as an escape (\n, \t, \r,
 * \xHH): the message stays one line, as cli_parse() promises, and a
 * value cannot reach the terminal with its own escape sequences. */
static void set_err(char err[VL_ERRLEN], const char *fmt, ...)
{
  static const char hex[] = "0123456789abcdef";
  char raw[VL_ERRLEN];
  const unsigned char *p;
  size_t o = 0;
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(raw, sizeof(raw), fmt, ap);
  va_end(ap);
  for (p = (const unsigned char *)raw; *p && o + 5 < VL_ERRLEN; p++) {
    if (*p >= 0x20 && *p != 0x7f) {
      err[o++] = (char)*p;
      continue;
    }
    err[o++] = '\\';
    if (*p == '\n' || *p == '\t' || *p == '\r') {
      err[o++] = *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r';
    } else {
      err[o++] = 'x';
      err[o++] = hex[*p >> 4];
      err[o++] = hex[*p & 15];
    }
  }
  err[o] = '\0';
}

static const struct cli_option *find_option(int id)
{
  size_t i;

  for (i = 0; i < NOPTIONS; i++)
    if (options[i].id == id)
      return &options[i];
  return NULL;
}

/* The option getopt_long's "val" stands for, and in "*alias" the alias
 * it came by (NULL when it came by the option's own name or letter). */
static const struct cli_option *find_val(int val,
                                         const struct cli_alias **alias)
{
  size_t i;

  *alias = NULL;
  for (i = 0; i < NALIASES; i++)
    if (aliases[i].id == val) {
      *alias = &aliases[i];
      return find_option(aliases[i].same_as);
    }
  return find_option(val);
}

/* Whether the "len" bytes of "name" are exactly an option's or an
 * alias's long name. */
static bool known_long(const char *name, size_t len)
{
  size_t i;

  for (i = 0; i < NOPTIONS; i++)
    if (strlen(options[i].name) == len &&
        strncmp(options[i].name, name, len) == 0)
      return true;
  for (i = 0; i < NALIASES; i++)
    if (strlen(aliases[i].name) == len &&
        strncmp(aliases[i].name, name, len) == 0)
      return true;
  return false;
}

/* Fill "err" for the unknown long option "word" ("--name", "len" bytes,
 * no "=value"): what volley calls it, or the names it may have meant. */
static void unknown_long(const char *word, size_t len, char err[VL_ERRLEN])
{
  const char *hint = optname_foreign(word, len);
  const char *all[NOPTIONS + NALIASES];
  char names[160];
  size_t i;

  if (hint) {
    set_err(err, "unknown option '%.*s': %s", (int)len, word, hint);
    return;
  }
  for (i = 0; i < NOPTIONS + NALIASES; i++)
    all[i] = i < NOPTIONS ? options[i].name : aliases[i - NOPTIONS].name;
  optname_suggest(word + 2, len - 2, all, NOPTIONS + NALIASES, names,
                  sizeof(names));
  if (names[0])
    set_err(err, "unknown option '%.*s'; did you mean %s?", (int)len, word,
            names);
  else
    set_err(err, "unknown option '%.*s'", (int)len, word);
}

/* Fill "err" after getopt_long returned '?' or ':' ("c") for the
 * element at "optind". For a long option that is argv[optind - 1]; an
 * unknown short letter may sit inside an element getopt has not left
 * ("-np"), which then is argv[optind]. */
static void usage_error(int c, int argc, char **argv, char err[VL_ERRLEN])
{
  const char *w = argv[optind - 1], *hint;
  size_t n;
  /* optopt is an unknown letter for an unknown short option; for a long
   * option it is 0 or the option's val (for "--quiet=1", 'q'). */
  bool is_short = c == '?' && optopt > 0 && optopt < 256;
  size_t i;

  for (i = 0; is_short && i < NOPTIONS + NALIASES; i++)
    if ((i < NOPTIONS ? options[i].id : aliases[i - NOPTIONS].id) == optopt)
      is_short = false;
  if (c == ':' && strncmp(w, "--", 2) != 0) {
    set_err(err, "option '%s' needs a value", w);
    return;
  }
  if (is_short) {
    if (optind < argc && argv[optind][0] == '-' && argv[optind][1] == optopt &&
        argv[optind][2])
      w = argv[optind];
    else if (!(w[0] == '-' && w[1] == optopt))
      w = NULL;
    hint = w ? optname_foreign(w, strlen(w)) : NULL;
    if (hint) {
      set_err(err, "unknown option '%s': %s", w, hint);
      return;
    }
    {
      char letter[3] = { '-', (char)optopt, '\0' };

      hint = optname_foreign(letter, 2);
    }
    set_err(err, "unknown option '-%c'%s%s", optopt, hint ? ": " : "",
            hint ? hint : "");
    return;
  }
  n = strcspn(w, "=");
  if (strncmp(w, "--", 2) != 0 || !known_long(w + 2, n - 2)) {
    unknown_long(w, n, err);
    return;
  }
  if (c == ':')
    set_err(err, "option '%s' needs a value", w);
  else
    set_err(err, "option '%.*s' takes no value", (int)n, w);
}

/* "CODES" is a comma list of statuses 100-599; it replaces the set. */
static int parse_codes(bool set[600], const char *s)
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

/* "R", "R/s" or "R/m": a positive number of starts a second. */
static int parse_rate(const char *s, double *per_s)
{
  char num[32];
  const char *slash = strchr(s, '/');
  size_t n = slash ? (size_t)(slash - s) : strlen(s);
  double v, unit = 1.0;
  char *end;

  if (n == 0 || n >= sizeof(num) ||
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

/* "K/N": shard K of N, 0 <= K < N. */
static int parse_shard(struct config *cfg, const char *s)
{
  const char *slash = strchr(s, '/');
  char k[24];
  uint64_t kv, nv;

  if (!slash || (size_t)(slash - s) >= sizeof(k))
    return -1;
  memcpy(k, s, (size_t)(slash - s));
  k[slash - s] = '\0';
  if (util_parse_uint(k, 0, 1000000, &kv) < 0 ||
      util_parse_uint(slash + 1, 1, 1000000, &nv) < 0 || kv >= nv)
    return -1;
  cfg->shard_k = (unsigned)kv;
  cfg->shard_n = (unsigned)nv;
  return 0;
}

/* "[+]HOST:PORT:ADDR[,ADDR]...", as curl's --resolve takes it: a host
 * name, a port from 1 to 65535, and IPv4 or IPv6 addresses (the latter
 * bracketed or not). libcurl would refuse anything else at every
 * transfer: check it once, here. */
static int parse_resolve(const char *s)
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

/* Check "arg" against the option's kind and range and store it. */
static int apply(struct config *cfg, const struct cli_option *o,
                 const char *arg, char err[VL_ERRLEN])
{
  uint64_t v = 0;

  switch (o->kind) {
  case ARG_UINT:
    if (util_parse_uint(arg, o->min, o->max, &v) < 0) {
      /* "volley -r URL" is wget's recursion: say where it is here. */
      bool wget_r = o->id == 'r' && strstr(arg, "://");

      set_err(err, "--%s: '%s' is not a whole number from %llu to %llu%s",
              o->name, arg, (unsigned long long)o->min,
              (unsigned long long)o->max,
              wget_r ? " (wget's -r is --crawl DEPTH)" : "");
      return -1;
    }
    break;
  case ARG_SECONDS:
    if (util_parse_seconds(arg, &v) < 0) {
      set_err(err, "--%s: '%s' is not a number of seconds", o->name, arg);
      return -1;
    }
    break;
  case ARG_SIZE:
    if (util_parse_size(arg, &v) < 0) {
      set_err(err, "--%s: '%s' is not a size in bytes (K, M, G suffixes)",
              o->name, arg);
      return -1;
    }
    break;
  case ARG_CODES:
    if (parse_codes(cfg->retry_on, arg) < 0) {
      set_err(err, "--%s: '%s' is not a comma list of HTTP statuses", o->name,
              arg);
      return -1;
    }
    return 0;
  case ARG_LINE:
  case ARG_STRING:
    /* A CR or LF would end the header or request line early and start
     * one of the sender's choosing (request smuggling): the JSON input
     * refuses them in headers too. */
    if (o->kind == ARG_LINE && strpbrk(arg, "\r\n")) {
      set_err(err, "--%s: the value must not contain a CR or LF", o->name);
      return -1;
    }
    if (!*arg && o->id != 'd' && o->id != 'A') {
      set_err(err, "--%s: the value must not be empty", o->name);
      return -1;
    }
    break;
  case ARG_NONE:
    break;
  }

  switch (o->id) {
  case 'i':
    cfg->inputs =
        xrealloc(cfg->inputs, (cfg->ninputs + 1) * sizeof(*cfg->inputs));
    cfg->inputs[cfg->ninputs++] = arg;
    break;
  case 'c':
    cfg->concurrency = (unsigned)v;
    break;
  case OPT_PER_HOST:
    cfg->per_host = (unsigned)v;
    break;
  case OPT_RATE:
  case OPT_RATE_PER_HOST:
    if (parse_rate(arg, o->id == OPT_RATE ? &cfg->rate : &cfg->rate_per_host) <
        0) {
      set_err(err, "--%s: '%s' is not a rate such as 10, 10/s or 600/m",
              o->name, arg);
      return -1;
    }
    break;
  case 't':
    cfg->timeout_ms = v;
    break;
  case 'm':
    cfg->max_time_ms = v;
    break;
  case OPT_CONNECT_TIMEOUT:
    cfg->connect_timeout_ms = v;
    break;
  case 'r':
    cfg->retries = (unsigned)v;
    break;
  case OPT_RETRY_ALL:
    cfg->retry_all_methods = true;
    break;
  case OPT_RETRY_DELAY:
    cfg->retry_delay_ms = v;
    break;
  case OPT_RETRY_MAX_DELAY:
    cfg->retry_max_delay_ms = v;
    break;
  case OPT_DEADLINE:
    if (v == 0) {
      set_err(err, "--deadline: '%s' must be more than 0 seconds", arg);
      return -1;
    }
    cfg->deadline_ms = v;
    break;
  case OPT_GRACE:
    cfg->grace_ms = v;
    break;
  case 'X':
    cfg->method = arg;
    break;
  case 'H':
    if (!strchr(arg, ':') || arg[0] == ':') {
      set_err(err, "--header: '%s' is not of the form 'Name: value'", arg);
      return -1;
    }
    cfg->headers =
        xrealloc(cfg->headers, (cfg->nheaders + 1) * sizeof(*cfg->headers));
    cfg->headers[cfg->nheaders++] = xstrdup(arg);
    break;
  case 'd':
    cfg->data = arg;
    break;
  case 'A':
    cfg->user_agent = arg;
    break;
  case 'u':
    /* A password: no message ever shows the value. */
    if (!strchr(arg, ':')) {
      set_err(err, "--user: the value must be USER:PASSWORD");
      return -1;
    }
    cfg->userpwd = arg;
    break;
  case 'I':
    cfg->head = true;
    break;
  case '4':
    cfg->ipresolve = CLI_IP_V4;
    break;
  case '6':
    cfg->ipresolve = CLI_IP_V6;
    break;
  case 'L':
    cfg->follow = true;
    break;
  case OPT_LOCATION_OFF:
    cfg->follow = false;
    break;
  case OPT_MAX_REDIRS:
    cfg->max_redirs = (unsigned)v;
    break;
  case 'k':
    cfg->insecure = true;
    break;
  case OPT_PROXY:
    cfg->proxy = arg;
    break;
  case OPT_CACERT:
    cfg->cacert = arg;
    break;
  case OPT_CAPATH:
    cfg->capath = arg;
    break;
  case OPT_RESOLVE:
    if (parse_resolve(arg) < 0) {
      set_err(err,
              "--resolve: '%s' is not HOST:PORT:ADDR (a port from 1 to "
              "65535, IP addresses separated by commas)",
              arg);
      return -1;
    }
    cfg->resolves =
        xrealloc(cfg->resolves, (cfg->nresolves + 1) * sizeof(char *));
    cfg->resolves[cfg->nresolves++] = arg;
    break;
  case OPT_HTTP11:
    cfg->httpver = CLI_HTTP_1_1;
    break;
  case OPT_HTTP2:
    cfg->httpver = CLI_HTTP_2;
    break;
  case OPT_COMPRESSED:
    cfg->compressed = true;
    break;
  case OPT_COMPRESSED_OFF:
    cfg->compressed = false;
    break;
  case OPT_MAX_BODY:
    if (v == 0) {
      set_err(err, "--max-body: '%s' must be at least 1 byte", arg);
      return -1;
    }
    cfg->max_body = v;
    break;
  case OPT_BODY:
    cfg->want_body = true;
    break;
  case OPT_HEADERS:
    cfg->want_headers = true;
    break;
  case OPT_HASH:
    cfg->hash = true;
    break;
  case OPT_SINCE:
    cfg->since = arg;
    break;
  case OPT_ONLY_CHANGED:
    cfg->only_changed = true;
    break;
  case 'o':
    cfg->output = arg;
    break;
  case OPT_RESUME:
    cfg->resume = true;
    break;
  case OPT_RESUME_FAILED:
    cfg->resume = true;
    cfg->resume_failed = true;
    break;
  case OPT_APPEND:
    cfg->append = true;
    break;
  case OPT_ORDERED:
    cfg->ordered = true;
    break;
  case OPT_FAIL_FAST:
    cfg->fail_fast = true;
    break;
  case OPT_FAILURES_OK:
    cfg->failures_ok = true;
    break;
  case OPT_CHECK:
    cfg->check = true;
    break;
  case OPT_ID_PREFIX: {
    char *json = inputline_id_prefix(arg);

    if (!json) {
      set_err(err, "--id-prefix: '%s' is not valid UTF-8", arg);
      return -1;
    }
    free(json);
    cfg->id_prefix = arg;
    break;
  }
  case OPT_SHARD:
    if (parse_shard(cfg, arg) < 0) {
      set_err(err, "--shard: '%s' is not K/N with 0 <= K < N", arg);
      return -1;
    }
    break;
  case OPT_PROTO_DEFAULT:
    if (strcasecmp(arg, "http") == 0)
      cfg->proto_default = "http";
    else if (strcasecmp(arg, "https") == 0)
      cfg->proto_default = "https";
    else {
      set_err(err, "--proto-default: '%s' is not http or https", arg);
      return -1;
    }
    break;
  case OPT_INPUT_FORMAT:
    if (strcmp(arg, "auto") == 0)
      cfg->inputfmt = CLI_INPUT_AUTO;
    else if (strcmp(arg, "lines") == 0)
      cfg->inputfmt = CLI_INPUT_LINES;
    else if (strcmp(arg, "jsonl") == 0)
      cfg->inputfmt = CLI_INPUT_JSONL;
    else {
      set_err(err, "--input-format: '%s' is not auto, lines or jsonl", arg);
      return -1;
    }
    break;
  case 'q':
    cfg->quiet = true;
    cfg->progress = 0;
    break;
  case OPT_PROGRESS:
    cfg->progress = 1;
    break;
  case 'w':
    cfg->write_out = arg;
    break;
  case OPT_STATS:
    cfg->stats = true;
    break;
  case OPT_TITLE:
    cfg->title = true;
    break;
  case OPT_LINKS:
    cfg->links = true;
    break;
  case OPT_PAGE_REQUISITES:
    cfg->page_requisites = true;
    break;
  case 'x':
    cfg->xpaths = xrealloc(cfg->xpaths, (cfg->nxpaths + 1) * sizeof(char *));
    cfg->xpaths[cfg->nxpaths++] = arg;
    break;
  case 'e':
    cfg->regexes =
        xrealloc(cfg->regexes, (cfg->nregexes + 1) * sizeof(char *));
    cfg->regexes[cfg->nregexes++] = arg;
    break;
  case OPT_SAVE:
    cfg->save_dir = arg;
    break;
  case OPT_SAVE_NAME:
    cfg->save_name = arg;
    break;
  case OPT_SAVE_ERRORS:
    cfg->save_errors = true;
    break;
  case OPT_CRAWL:
    cfg->crawl = true;
    cfg->crawl_depth = (unsigned)v;
    break;
  case OPT_ANY_HOST:
    cfg->any_host = true;
    break;
  case OPT_INCLUDE:
    cfg->include = arg;
    break;
  case OPT_EXCLUDE:
    cfg->exclude = arg;
    break;
  case OPT_MAX_URLS:
    cfg->max_urls = v;
    break;
  case OPT_IGNORE_ROBOTS:
    cfg->ignore_robots = true;
    break;
  case OPT_STATS_JSON:
    cfg->stats_json = arg;
    break;
  case OPT_PROGRESS_OFF:
    cfg->progress = 0;
    break;
  case 'v':
    cfg->verbose++;
    break;
  default:
    break;
  }
  return 0;
}

static void set_defaults(struct config *cfg)
{
  char err[VL_ERRLEN];
  size_t i;

  memset(cfg, 0, sizeof(*cfg));
  cfg->progress = -1;
  cfg->follow = true;
  cfg->compressed = true;
  for (i = 0; i < NOPTIONS; i++) {
    /* The table's defaults are valid by construction. */
    if (options[i].deflt && apply(cfg, &options[i], options[i].deflt, err) < 0)
      abort();
  }
}

/* Split "s" into words as a shell would, quotes and backslashes
 * included, but without expansions. Returns the number of words, or -1
 * on an unclosed quote. "*out" is a NULL-terminated array the caller
 * frees (words and array). */
static int split_words(const char *s, char ***out)
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

static void free_words(char **v)
{
  size_t i;

  if (!v)
    return;
  for (i = 0; v[i]; i++)
    free(v[i]);
  free(v);
}

/* --check: the arguments are record files, not URLs, and nothing is
 * written or fetched. */
static enum cli_status check_args(const struct config *cfg,
                                  char err[VL_ERRLEN])
{
  size_t i;

  if (!cfg->nurls) {
    set_err(err, "--check needs the record FILEs to check as arguments");
    return CLI_USAGE;
  }
  for (i = 0; i < cfg->nurls; i++)
    if (strcmp(cfg->urls[i], "-") == 0) {
      set_err(err, "--check reads record FILEs by name: '-' is not one");
      return CLI_USAGE;
    }
  if (cfg->output || cfg->crawl || cfg->since) {
    set_err(err, "--check fetches nothing: it cannot be used with %s",
            cfg->output  ? "-o"
            : cfg->crawl ? "--crawl"
                         : "--since");
    return CLI_USAGE;
  }
  return CLI_OK;
}

enum cli_status cli_parse(struct config *cfg, int argc, char **argv,
                          const char *env_opts, char err[VL_ERRLEN])
{
  struct option longopts[NOPTIONS + NALIASES + 1];
  char shortopts[(NOPTIONS + NALIASES) * 2 + 2];
  char **all = NULL;
  size_t i, ns = 0;
  int c, nenv = 0;

  set_defaults(cfg);
  err[0] = '\0';
  if (env_opts) {
    char **words;

    nenv = split_words(env_opts, &words);
    cfg->env_argv = words;
    if (nenv < 0) {
      set_err(err, "VOLLEY_OPTS: unclosed quote");
      return CLI_USAGE;
    }
  }
  if (nenv > 0) {
    /* The defaults from VOLLEY_OPTS come first: the command line, parsed
     * after them, wins. The array is kept until cli_free(). */
    all = xmalloc(((size_t)argc + (size_t)nenv + 1) * sizeof(*all));
    all[0] = argv[0];
    memcpy(all + 1, cfg->env_argv, (size_t)nenv * sizeof(*all));
    memcpy(all + 1 + nenv, argv + 1, (size_t)(argc - 1) * sizeof(*all));
    all[argc + nenv] = NULL;
    argc += nenv;
    argv = all;
    cfg->all_argv = all;
  }

  /* No leading '+': URLs may come before options, as in curl. The
   * leading ':' makes getopt report a missing argument as ':'. */
  shortopts[ns++] = ':';
  for (i = 0; i < NOPTIONS; i++) {
    longopts[i].name = options[i].name;
    longopts[i].has_arg =
        options[i].kind == ARG_NONE ? no_argument : required_argument;
    longopts[i].flag = NULL;
    longopts[i].val = options[i].id;
    if (options[i].letter) {
      shortopts[ns++] = options[i].letter;
      if (options[i].kind != ARG_NONE)
        shortopts[ns++] = ':';
    }
  }
  for (i = 0; i < NALIASES; i++) {
    const struct cli_option *o = find_option(aliases[i].same_as);
    bool has_arg = o->kind != ARG_NONE;

    longopts[NOPTIONS + i].name = aliases[i].name;
    longopts[NOPTIONS + i].has_arg = has_arg ? required_argument : no_argument;
    longopts[NOPTIONS + i].flag = NULL;
    longopts[NOPTIONS + i].val = aliases[i].id;
    if (aliases[i].letter) {
      shortopts[ns++] = aliases[i].letter;
      if (has_arg)
        shortopts[ns++] = ':';
    }
  }
  memset(&longopts[NOPTIONS + NALIASES], 0, sizeof(longopts[0]));
  shortopts[ns] = '\0';

  /* optind = 0 makes glibc start afresh, so cli_parse() can run twice. */
  optind = 0;
  opterr = 0;
  for (;;) {
    const struct cli_option *o;
    const struct cli_alias *alias;
    struct cli_option shown;
    int li = -1;

    optarg = NULL;
    c = getopt_long(argc, argv, shortopts, longopts, &li);
    if (c == -1)
      break;
    if (c == '?' || c == ':') {
      usage_error(c, argc, argv, err);
      return CLI_USAGE;
    }
    if (li >= 0) {
      /* getopt_long takes any unambiguous prefix ("--user" for
       * --user-agent): only the exact name is an option here. The
       * element is the one before a separate value. */
      const char *w = argv[optind - 1];
      size_t n;

      if (optarg && optarg == w && optind >= 2)
        w = argv[optind - 2];
      n = strcspn(w, "=");
      if (n - 2 != strlen(longopts[li].name) ||
          strncmp(w + 2, longopts[li].name, n - 2) != 0) {
        unknown_long(w, n, err);
        return CLI_USAGE;
      }
    }
    if (c == 'h')
      return CLI_HELP;
    if (c == 'V')
      return CLI_VERSION;
    o = find_val(c, &alias);
    if (!o)
      return CLI_USAGE;
    /* Messages name the option as typed: "--retry", not "--retries". */
    shown = *o;
    if (alias)
      shown.name = alias->name;
    if (apply(cfg, &shown, optarg, err) < 0)
      return CLI_USAGE;
  }
  cfg->urls = argv + optind;
  cfg->nurls = (size_t)(argc - optind);
  /* A positional "-" is standard input, as "-i -" is. */
  for (i = 0; i < cfg->nurls;) {
    if (strcmp(cfg->urls[i], "-") != 0) {
      i++;
      continue;
    }
    cfg->inputs =
        xrealloc(cfg->inputs, (cfg->ninputs + 1) * sizeof(*cfg->inputs));
    cfg->inputs[cfg->ninputs++] = cfg->urls[i];
    memmove(&cfg->urls[i], &cfg->urls[i + 1],
            (cfg->nurls - i - 1) * sizeof(*cfg->urls));
    cfg->nurls--;
  }

  if (cfg->head) {
    /* HEAD has no body to send, and one method only. */
    if (cfg->data) {
      set_err(err, "-I/--head sends no body: it cannot be used with --data");
      return CLI_USAGE;
    }
    if (cfg->method && strcmp(cfg->method, "HEAD") != 0) {
      set_err(err, "-I/--head and -X %s cannot be used together", cfg->method);
      return CLI_USAGE;
    }
    cfg->method = "HEAD";
  }

  if ((cfg->resume || cfg->append) && !cfg->output) {
    set_err(err, "--%s needs -o FILE", cfg->resume ? "resume" : "append");
    return CLI_USAGE;
  }
  if (cfg->resume && cfg->write_out) {
    set_err(err, "--resume reads JSON records: it cannot be used with -w");
    return CLI_USAGE;
  }
  if (cfg->resume && cfg->append) {
    set_err(err, "--append and --resume cannot be used together");
    return CLI_USAGE;
  }
  if (cfg->only_changed && !cfg->since) {
    set_err(err, "--only-changed needs --since FILE");
    return CLI_USAGE;
  }
  if (cfg->check)
    return check_args(cfg, err);
  if (cfg->id_prefix && cfg->crawl) {
    set_err(err, "--id-prefix numbers input lines: it cannot be used with "
                 "--crawl");
    return CLI_USAGE;
  }
  if (cfg->nurls && cfg->ninputs) {
    set_err(err, "give URLs as arguments or with -i (or '-'), not both");
    return CLI_USAGE;
  }
  return CLI_OK;
}

void cli_free(struct config *cfg)
{
  size_t i;

  free_words(cfg->env_argv);
  cfg->env_argv = NULL;
  free(cfg->all_argv);
  cfg->all_argv = NULL;
  for (i = 0; i < cfg->nheaders; i++)
    free(cfg->headers[i]);
  free(cfg->headers);
  free(cfg->inputs);
  free(cfg->xpaths);
  free(cfg->regexes);
  free(cfg->resolves);
  cfg->xpaths = cfg->regexes = cfg->resolves = NULL;
  cfg->nresolves = 0;
  cfg->headers = NULL;
  cfg->inputs = NULL;
  cfg->nheaders = 0;
  cfg->ninputs = 0;
}

/* A growing string for the help and version texts. */
struct strbuf {
  char *p;
  size_t len, cap;
};

static void sb_printf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
  va_list ap;
  int n;

  for (;;) {
    va_start(ap, fmt);
    n = vsnprintf(sb->p + sb->len, sb->cap - sb->len, fmt, ap);
    va_end(ap);
    if (n < 0)
      abort();
    if ((size_t)n < sb->cap - sb->len)
      break;
    sb->cap = (sb->cap + (size_t)n) * 2;
    sb->p = xrealloc(sb->p, sb->cap);
  }
  sb->len += (size_t)n;
}

/* One option's lines of --help: "-l, --name METAVAR" and "text" wrapped
 * at 79 columns under itself. */
static void help_row(struct strbuf *sb, char letter, const char *name,
                     const char *metavar, const char *text)
{
  char left[64];
  const char *p;
  size_t col;

  if (letter)
    snprintf(left, sizeof(left), "-%c, --%s%s%s", letter, name,
             metavar ? " " : "", metavar ? metavar : "");
  else
    snprintf(left, sizeof(left), "    --%s%s%s", name, metavar ? " " : "",
             metavar ? metavar : "");
  if (strlen(left) > HELP_LEFT)
    sb_printf(sb, "  %s\n  %-*s", left, HELP_LEFT, "");
  else
    sb_printf(sb, "  %-*s", HELP_LEFT, left);
  /* Wrap at 79 columns, continuing under the text. */
  col = HELP_LEFT + 2;
  for (p = text; *p;) {
    size_t word = strcspn(p, " ");

    if (col > HELP_LEFT + 4 && col + 1 + word > 79) {
      sb_printf(sb, "\n  %-*s", HELP_LEFT, "");
      col = HELP_LEFT + 2;
    }
    if (col > HELP_LEFT + 2) {
      sb_printf(sb, " ");
      col++;
    } else {
      sb_printf(sb, "  ");
      col += 2;
    }
    sb_printf(sb, "%.*s", (int)word, p);
    col += word;
    p += word;
    while (*p == ' ')
      p++;
  }
  sb_printf(sb, "\n");
}

char *cli_help_text(void)
{
  struct strbuf sb = { xmalloc(4096), 0, 4096 };
  size_t i, k;

  sb_printf(&sb,
            "Usage: volley [OPTIONS] [URL...]\n"
            "       volley [OPTIONS] -i FILE\n"
            "       volley --check [OPTIONS] -i LIST FILE...\n"
            "Fetch many URLs concurrently; print one JSON record per "
            "request.\n"
            "With no URL and no -i, read requests from stdin: one URL per "
            "line,\nor a JSON object per line "
            "({\"url\":...,\"method\":...,\"headers\":{...},\n"
            "\"body\":...,\"id\":...}).\n\nOptions:\n");
  for (i = 0; i < NOPTIONS; i++) {
    const struct cli_option *o = &options[i];
    char text[256];

    if (o->deflt)
      snprintf(text, sizeof(text), "%s (default %s)", o->help, o->deflt);
    else
      snprintf(text, sizeof(text), "%s", o->help);
    help_row(&sb, o->letter, o->name, o->metavar, text);
    for (k = 0; k < NALIASES; k++) {
      if (aliases[k].same_as != o->id)
        continue;
      if (o->letter)
        snprintf(text, sizeof(text), "the same as -%c/--%s (curl's name)",
                 o->letter, o->name);
      else
        snprintf(text, sizeof(text), "the same as --%s (curl's name)",
                 o->name);
      help_row(&sb, aliases[k].letter, aliases[k].name, o->metavar, text);
    }
  }
  sb_printf(&sb, "\nExit status: 0 all requests ok, 1 some failed, 2 usage "
                 "error,\n3 output not written, 130 SIGINT, 143 SIGTERM.\n"
                 "See volley(1) for the record format.\n");
  return sb.p;
}

char *cli_version_text(void)
{
  struct strbuf sb = { xmalloc(256), 0, 256 };
  const curl_version_info_data *ci = curl_version_info(CURLVERSION_NOW);

  sb_printf(&sb, "volley %s\n", VERSION);
  sb_printf(&sb, "libcurl %s (%s%s%s)\n", ci->version,
            ci->ssl_version ? ci->ssl_version : "no TLS",
            ci->nghttp2_version ? ", nghttp2/" : "",
            ci->nghttp2_version ? ci->nghttp2_version : "");
  sb_printf(&sb, "libuv %s\n", uv_version_string());
  sb_printf(&sb, "jansson %s\n", jansson_version_str());
  return sb.p;
}
