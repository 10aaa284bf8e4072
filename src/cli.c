/* Command-line options: the option table. Each row, after nginx's
 * ngx_command_t, names an option, the config field it writes (offsetof),
 * the setter for the field's kind (cliopt.c's, or one below for the few
 * options with a behaviour of their own), bounds and default. The table
 * drives getopt_long, --help, --list-options and every check; defaults
 * are set by giving each row's default text to its setter, so help and
 * behaviour agree. Adding an option is one row and one config field.
 * Pure: prints nothing; calls other layer-0 checkers (writeout, extract,
 * crawl, savename) so that every bad value is a usage error. */
#include "config.h"

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <uv.h>

#include "cliopt.h"
#include "crawl.h"
#include "extract.h"
#include "inputline.h"
#include "optval.h"
#include "savename.h"
#include "writeout.h"

/* offsetof the config field "f", which must be of type "type": a row
 * cannot aim its setter at a field of another kind. */
#define FIELD(f, type)                                                        \
  (offsetof(struct config, f) +                                               \
   0 * sizeof(char[_Generic(((struct config *)0)->f, type : 1, default        \
                            : -1)]))
/* The same for an int or an enum, which cliopt_set_int writes as an int. */
#define INTFIELD(f)                                                           \
  (offsetof(struct config, f) +                                               \
   0 * sizeof(char[sizeof(((struct config *)0)->f) == sizeof(int) ? 1 : -1]))

/* The parts of a row. The kinds (UINT to WORD) pick the setter and the
 * field; "lo" of SECS and SIZE is 1 where 0 is refused. */
#define OPT(n, l, a)     .name = (n), .letter = (l), .arg = (a)
#define UINT(f, lo, hi)  SET(cliopt_set_uint, f, unsigned), RANGE(lo, hi)
#define U64(f, lo, hi)   SET(cliopt_set_u64, f, uint64_t), RANGE(lo, hi)
#define SECS(f, lo)      SET(cliopt_set_seconds, f, uint64_t), .min = (lo)
#define SIZE(f, lo)      SET(cliopt_set_size, f, uint64_t), .min = (lo)
#define STR(f)           SET(cliopt_set_str, f, const char *)
#define FLAG(f)          SET(cliopt_set_flag, f, bool)
#define COUNT(f)         SET(cliopt_set_count, f, int)
#define INT(f, v)        .set = cliopt_set_int, .off = INTFIELD(f), .value = (v)
#define ENUM(f, w)       .set = cliopt_set_enum, .off = INTFIELD(f), .words = (w)
#define WORD(f, w)       SET(cliopt_set_word, f, const char *), .words = (w)
#define LIST(f, n)       SET(cliopt_set_list, f, const char **), COUNTED(n)
#define SET(fn, f, type) .set = (fn), .off = FIELD(f, type)
#define COUNTED(n)       .count_off = FIELD(n, size_t)
#define RANGE(lo, hi)    .min = (lo), .max = (hi)
#define DEFLT(s)         .deflt = (s)
#define HELP(s)          .help = (s)
#define NO(s)            .no_help = (s)
#define ALIAS(n, l)      .alias = (n), .alias_letter = (l)
#define FLAGS(x)         .flags = (x)
#define STATUS(st)       .value = (st)

static cliopt_set_fn set_rate, set_codes, set_retries, set_header, set_user,
    set_resolve, set_shard, set_id_prefix, set_quiet, set_resume_failed,
    set_crawl, set_crawl_regex, set_write_out, set_save_name;

static const char *const input_formats[] = { "auto", "lines", "jsonl", NULL };
static const char *const schemes[] = { "http", "https", NULL };

static const struct cliopt options[] = {
  { OPT("input", 'i', "FILE"), LIST(inputs, ninputs),
    HELP("read requests from FILE ('-' is stdin; repeatable)") },
  { OPT("input-format", 0, "FORMAT"), ENUM(inputfmt, input_formats),
    DEFLT("auto"),
    HELP("auto, lines (URLs only) or jsonl (JSON requests only)") },
  { OPT("proto-default", 0, "SCHEME"), WORD(proto_default, schemes),
    DEFLT("http"), HELP("scheme of a URL given without one: http or https") },
  { OPT("shard", 0, "K/N"), SET(set_shard, shard_n, unsigned),
    HELP("only the requests in part K (0 to N-1) of N, by URL hash") },
  { OPT("id-prefix", 0, "STR"), SET(set_id_prefix, id_prefix, const char *),
    HELP("ids are STR and the line number, as strings") },
  { OPT("check", 0, NULL), FLAG(check),
    HELP("fetch nothing: exit 0 if the record FILEs given as arguments hold "
         "each request of the input once, else 1") },
  { OPT("concurrency", 'c', "N"), UINT(concurrency, 1, 100000), DEFLT("50"),
    HELP("requests in flight at once") },
  { OPT("per-host", 0, "N"), UINT(per_host, 0, 100000), DEFLT("0"),
    HELP("requests in flight per host, 0 for no cap") },
  { OPT("rate", 0, "R[/s|/m]"), SET(set_rate, rate, double),
    HELP("start at most R requests a second (or a minute)") },
  { OPT("rate-per-host", 0, "R[/s|/m]"), SET(set_rate, rate_per_host, double),
    HELP("start at most R requests a second (or minute) per host") },
  { OPT("timeout", 't', "SECS"), SECS(timeout_ms, 0), DEFLT("30"),
    HELP("limit on each attempt, 0 for none") },
  { OPT("max-time", 'm', "SECS"), SECS(max_time_ms, 0),
    HELP("limit on a request's whole time, attempts and retry waits "
         "included; without it a request may take (-r + 1) x -t plus the "
         "waits") },
  { OPT("connect-timeout", 0, "SECS"), SECS(connect_timeout_ms, 0),
    DEFLT("10"), HELP("limit on connecting") },
  { OPT("retries", 'r', "N"), SET(set_retries, retries, unsigned),
    RANGE(0, 100), DEFLT("2"), ALIAS("retry", 0),
    HELP("retries of a transient failure") },
  { OPT("retry-on", 0, "CODES"), SET(set_codes, retry_on, bool *),
    DEFLT("408,429,500,502,503,504"), HELP("HTTP statuses that are retried") },
  { OPT("retry-all-methods", 0, NULL), FLAG(retry_all_methods),
    HELP("retry POST and PATCH too") },
  { OPT("retry-delay", 0, "SECS"), SECS(retry_delay_ms, 0), DEFLT("0.5"),
    HELP("base of the exponential backoff") },
  { OPT("retry-max-delay", 0, "SECS"), SECS(retry_max_delay_ms, 0),
    DEFLT("30"), HELP("longest wait before a retry") },
  { OPT("deadline", 0, "SECS"), SECS(deadline_ms, 1),
    HELP("budget for the whole run; then cancel the rest") },
  { OPT("grace", 0, "SECS"), SECS(grace_ms, 0), DEFLT("5"),
    HELP("time in-flight requests get after SIGINT/SIGTERM") },
  { OPT("method", 'X', "METHOD"), STR(method), FLAGS(CLIOPT_LINE),
    HELP("request method (default GET, POST with --data)") },
  { OPT("head", 'I', NULL), FLAG(head),
    HELP("send HEAD requests (as -X HEAD)") },
  { OPT("header", 'H', "'K: V'"), SET(set_header, headers, const char **),
    COUNTED(nheaders), FLAGS(CLIOPT_LINE),
    HELP("add a request header (repeatable)") },
  { OPT("data", 'd', "DATA|@FILE"), STR(data), FLAGS(CLIOPT_EMPTY_OK),
    HELP("request body; @FILE reads it from FILE") },
  { OPT("user-agent", 'A', "STRING"), STR(user_agent),
    FLAGS(CLIOPT_LINE | CLIOPT_EMPTY_OK), DEFLT("volley/" VERSION),
    HELP("User-Agent header") },
  { OPT("user", 'u', "USER:PASSWORD"), SET(set_user, userpwd, const char *),
    FLAGS(CLIOPT_LINE),
    HELP("basic authentication for the input's hosts; never printed") },
  { OPT("location", 'L', NULL), FLAG(follow), DEFLT("1"),
    HELP("follow redirects (the default)"), NO("do not follow redirects") },
  { OPT("max-redirs", 0, "N"), UINT(max_redirs, 0, 1000), DEFLT("10"),
    HELP("redirects followed at most") },
  { OPT("insecure", 'k', NULL), FLAG(insecure),
    HELP("do not verify TLS certificates") },
  { OPT("cacert", 0, "FILE"), STR(cacert),
    HELP("trust the CA certificates in FILE (PEM)") },
  { OPT("capath", 0, "DIR"), STR(capath),
    HELP("trust the CA certificates in DIR (hashed, as openssl rehash "
         "does)") },
  { OPT("proxy", 0, "URL"), STR(proxy), FLAGS(CLIOPT_LINE),
    HELP("use this proxy (default: the *_proxy environment)") },
  { OPT("resolve", 0, "HOST:PORT:ADDR"),
    SET(set_resolve, resolves, const char **), COUNTED(nresolves),
    FLAGS(CLIOPT_LINE),
    HELP("connect to ADDR for HOST:PORT, no DNS (repeatable)") },
  { OPT("ipv4", '4', NULL), INT(ipresolve, CLI_IP_V4),
    HELP("connect to IPv4 addresses only") },
  { OPT("ipv6", '6', NULL), INT(ipresolve, CLI_IP_V6),
    HELP("connect to IPv6 addresses only") },
  { OPT("http1.1", 0, NULL), INT(httpver, CLI_HTTP_1_1),
    HELP("use HTTP/1.1 only") },
  { OPT("http2", 0, NULL), INT(httpver, CLI_HTTP_2),
    HELP("use HTTP/2 (TLS: ALPN; plain: h2c upgrade)") },
  { OPT("compressed", 0, NULL), FLAG(compressed), DEFLT("1"),
    HELP("ask for compressed bodies and decode them (the default)"),
    NO("do not ask for compressed bodies") },
  { OPT("max-body", 0, "BYTES"), SIZE(max_body, 1), DEFLT("10M"),
    HELP("largest decoded body, K/M/G suffixes") },
  { OPT("body", 0, NULL), FLAG(want_body),
    HELP("put the body in the record") },
  { OPT("headers", 0, NULL), FLAG(want_headers),
    HELP("put the response headers in the record") },
  { OPT("hash", 0, NULL), FLAG(hash),
    HELP("put the SHA-256 of the decoded body in the record") },
  { OPT("title", 0, NULL), FLAG(title),
    HELP("put the HTML <title> in the record") },
  { OPT("links", 0, NULL), FLAG(links),
    HELP("put the page's links, absolute, in the record") },
  { OPT("page-requisites", 0, NULL), FLAG(page_requisites),
    HELP("links (and --crawl) also take images, scripts, stylesheets and CSS "
         "url()s") },
  { OPT("xpath", 'x', "NAME=EXPR"), LIST(xpaths, nxpaths),
    HELP("XPath 1.0 results as extract.NAME (repeatable)") },
  { OPT("regex", 'e', "NAME=PATTERN"), LIST(regexes, nregexes),
    HELP("PCRE2 matches as extract.NAME (repeatable)") },
  { OPT("save", 0, "DIR"), STR(save_dir),
    HELP("write each 2xx body to a file in DIR (created if missing)") },
  { OPT("save-name", 0, "TEMPLATE"),
    SET(set_save_name, save_name, const char *), DEFLT("{id}{ext}"),
    HELP("file names: {id} {host} {path} {sha256} {ext}; '/' makes "
         "directories") },
  { OPT("save-errors", 0, NULL), FLAG(save_errors),
    HELP("--save: also save the bodies of responses that are not 2xx") },
  { OPT("crawl", 0, "DEPTH"), SET(set_crawl, crawl_depth, unsigned),
    RANGE(0, 1000),
    HELP("also fetch the links of fetched pages, DEPTH hops deep") },
  { OPT("any-host", 0, NULL), FLAG(any_host),
    HELP("--crawl: follow links to other hosts too") },
  { OPT("include", 0, "REGEX"), SET(set_crawl_regex, include, const char *),
    HELP("--crawl: follow only URLs that match") },
  { OPT("exclude", 0, "REGEX"), SET(set_crawl_regex, exclude, const char *),
    HELP("--crawl: never follow URLs that match") },
  { OPT("max-urls", 0, "N"), U64(max_urls, 0, UINT64_MAX), DEFLT("10000"),
    HELP("--crawl: fetch at most N URLs, seeds included; 0 for no cap") },
  { OPT("ignore-robots", 0, NULL), FLAG(ignore_robots),
    HELP("--crawl: do not fetch or obey robots.txt") },
  { OPT("output", 'o', "FILE"), STR(output),
    HELP("write records to FILE (truncated; locked while volley runs) "
         "instead of stdout") },
  { OPT("resume", 0, NULL), FLAG(resume),
    HELP("with -o: skip requests FILE already has, append the rest") },
  { OPT("resume-failed", 0, NULL), SET(set_resume_failed, resume_failed, bool),
    HELP("with -o: like --resume, and redo failed requests") },
  { OPT("append", 0, NULL), FLAG(append),
    HELP("with -o: append to FILE instead of truncating it") },
  { OPT("since", 0, "FILE"), STR(since),
    HELP("send the validators of FILE's records (an earlier output) and mark "
         "each record changed or not") },
  { OPT("only-changed", 0, NULL), FLAG(only_changed),
    HELP("with --since: write only the records that differ from FILE's") },
  { OPT("fail-fast", 0, NULL), FLAG(fail_fast),
    HELP("at the first failed request, cancel the rest and exit 1") },
  { OPT("failures-ok", 0, NULL), FLAG(failures_ok),
    HELP("failed requests do not make the exit status 1 (cancelled ones "
         "do)") },
  { OPT("ordered", 0, NULL), FLAG(ordered),
    HELP("write records in input order") },
  { OPT("write-out", 'w', "FORMAT"),
    SET(set_write_out, write_out, const char *),
    HELP("one line per record from FORMAT, not JSON") },
  { OPT("stats", 0, NULL), FLAG(stats),
    HELP("print a summary on stderr at the end") },
  { OPT("stats-json", 0, "FILE"), STR(stats_json),
    HELP("write the summary to FILE as one JSON object") },
  { OPT("progress", 0, NULL), INT(progress, 1), DEFLT("-1"),
    HELP("progress line on stderr (default: on a terminal)"),
    NO("no progress line") },
  { OPT("quiet", 'q', NULL), SET(set_quiet, quiet, bool), ALIAS("silent", 's'),
    HELP("only fatal errors on stderr, no progress line") },
  { OPT("verbose", 'v', NULL), COUNT(verbose),
    HELP("one stderr line per event (repeat for more)") },
  { OPT("help", 'h', NULL), STATUS(CLI_HELP),
    HELP("show this help and exit") },
  { OPT("version", 'V', NULL), STATUS(CLI_VERSION),
    HELP("show versions and exit") },
  { OPT("list-options", 0, NULL), STATUS(CLI_LIST), FLAGS(CLIOPT_HIDDEN),
    HELP("print the option table for scripts and exit") },
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static int set_rate(void *conf, const struct cliopt *o, const char *arg,
                    char err[VL_ERRLEN])
{
  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  if (optval_parse_rate(arg, (double *)((char *)conf + o->off)) < 0) {
    cliopt_err(err, "--%s: '%s' is not a rate such as 10, 10/s or 600/m",
               o->name, arg);
    return -1;
  }
  return 0;
}

static int set_codes(void *conf, const struct cliopt *o, const char *arg,
                     char err[VL_ERRLEN])
{
  struct config *cfg = conf;

  if (optval_parse_codes(cfg->retry_on, arg) < 0) {
    cliopt_err(err, "--%s: '%s' is not a comma list of HTTP statuses", o->name,
               arg);
    return -1;
  }
  return 0;
}

/* "volley -r URL" is wget's recursion: say where it is here. */
static int set_retries(void *conf, const struct cliopt *o, const char *arg,
                       char err[VL_ERRLEN])
{
  size_t n;

  if (cliopt_set_uint(conf, o, arg, err) == 0)
    return 0;
  n = strlen(err);
  if (o->letter == 'r' && strstr(arg, "://"))
    snprintf(err + n, VL_ERRLEN - n, " (wget's -r is --crawl DEPTH)");
  return -1;
}

static int set_header(void *conf, const struct cliopt *o, const char *arg,
                      char err[VL_ERRLEN])
{
  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  if (!strchr(arg, ':') || arg[0] == ':') {
    cliopt_err(err, "--%s: '%s' is not of the form 'Name: value'", o->name,
               arg);
    return -1;
  }
  return cliopt_set_list(conf, o, arg, err);
}

static int set_user(void *conf, const struct cliopt *o, const char *arg,
                    char err[VL_ERRLEN])
{
  /* A password: no message ever shows the value. */
  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  if (!strchr(arg, ':')) {
    cliopt_err(err, "--%s: the value must be USER:PASSWORD", o->name);
    return -1;
  }
  return cliopt_set_str(conf, o, arg, err);
}

static int set_resolve(void *conf, const struct cliopt *o, const char *arg,
                       char err[VL_ERRLEN])
{
  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  if (optval_check_resolve(arg) < 0) {
    cliopt_err(err,
               "--%s: '%s' is not HOST:PORT:ADDR (a port from 1 to 65535, IP "
               "addresses separated by commas)",
               o->name, arg);
    return -1;
  }
  return cliopt_set_list(conf, o, arg, err);
}

/* Sets shard_k as well as the row's shard_n. */
static int set_shard(void *conf, const struct cliopt *o, const char *arg,
                     char err[VL_ERRLEN])
{
  struct config *cfg = conf;

  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  if (optval_parse_shard(arg, &cfg->shard_k, &cfg->shard_n) < 0) {
    cliopt_err(err, "--%s: '%s' is not K/N with 0 <= K < N", o->name, arg);
    return -1;
  }
  return 0;
}

static int set_id_prefix(void *conf, const struct cliopt *o, const char *arg,
                         char err[VL_ERRLEN])
{
  char *json;

  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  json = inputline_id_prefix(arg);
  if (!json) {
    cliopt_err(err, "--%s: '%s' is not valid UTF-8", o->name, arg);
    return -1;
  }
  free(json);
  return cliopt_set_str(conf, o, arg, err);
}

static int set_quiet(void *conf, const struct cliopt *o, const char *arg,
                     char err[VL_ERRLEN])
{
  ((struct config *)conf)->progress = 0;
  return cliopt_set_flag(conf, o, arg, err);
}

static int set_resume_failed(void *conf, const struct cliopt *o,
                             const char *arg, char err[VL_ERRLEN])
{
  ((struct config *)conf)->resume = true;
  return cliopt_set_flag(conf, o, arg, err);
}

static int set_crawl(void *conf, const struct cliopt *o, const char *arg,
                     char err[VL_ERRLEN])
{
  if (cliopt_set_uint(conf, o, arg, err) < 0)
    return -1;
  ((struct config *)conf)->crawl = true;
  return 0;
}

/* crawl.c compiles --include and --exclude for the run: here only to
 * check them. */
static int set_crawl_regex(void *conf, const struct cliopt *o, const char *arg,
                           char err[VL_ERRLEN])
{
  bool include = o->off == offsetof(struct config, include);
  char why[VL_ERRLEN];
  struct crawl c;

  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  if (crawl_init(&c, 0, 0, false, include ? arg : NULL, include ? NULL : arg,
                 why) < 0) {
    cliopt_err(err, "%s", why);
    return -1;
  }
  crawl_free(&c);
  return cliopt_set_str(conf, o, arg, err);
}

/* writeout.c's parser is the one that knows the variables: the format is
 * compiled here only to check it, so that a bad one is a usage error. */
static int set_write_out(void *conf, const struct cliopt *o, const char *arg,
                         char err[VL_ERRLEN])
{
  struct writeout wo = { 0 };
  char why[VL_ERRLEN];

  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  if (writeout_parse(&wo, arg, why) < 0) {
    cliopt_err(err, "--%s: %.480s", o->name, why);
    return -1;
  }
  writeout_free(&wo);
  return cliopt_set_str(conf, o, arg, err);
}

static int set_save_name(void *conf, const struct cliopt *o, const char *arg,
                         char err[VL_ERRLEN])
{
  char why[VL_ERRLEN];

  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  if (savename_check(arg, why) < 0) {
    cliopt_err(err, "%s", why);
    return -1;
  }
  return cliopt_set_str(conf, o, arg, err);
}

/* -x and -e are compiled together (a NAME may not be used twice) by
 * extract.c, which compiles them again for the run. */
static int check_extract(const struct config *cfg, char err[VL_ERRLEN])
{
  struct extract_spec spec;
  char why[VL_ERRLEN];
  size_t i;
  int rc = 0;

  if (!cfg->nxpaths && !cfg->nregexes)
    return 0;
  extract_spec_init(&spec);
  for (i = 0; rc == 0 && i < cfg->nxpaths; i++)
    rc = extract_spec_add_xpath(&spec, cfg->xpaths[i], why);
  for (i = 0; rc == 0 && i < cfg->nregexes; i++)
    rc = extract_spec_add_regex(&spec, cfg->regexes[i], why);
  extract_spec_free(&spec);
  if (rc < 0)
    cliopt_err(err, "%s", why);
  return rc;
}

static void set_defaults(struct config *cfg)
{
  char err[VL_ERRLEN];
  size_t i;

  memset(cfg, 0, sizeof(*cfg));
  for (i = 0; i < NOPTIONS; i++) {
    /* The table's defaults are valid by construction. */
    if (options[i].deflt &&
        options[i].set(cfg, &options[i], options[i].deflt, err) < 0)
      abort();
  }
}

/* Put VOLLEY_OPTS's words before the command line's, which, parsed after
 * them, win. Returns the new argc, or -1 on an unclosed quote. */
static int prepend_env(struct config *cfg, const char *env_opts, int argc,
                       char ***argv)
{
  int nenv = optval_split_words(env_opts, &cfg->env_argv);
  char **all;

  if (nenv <= 0)
    return nenv < 0 ? -1 : argc;
  all = xmalloc(((size_t)argc + (size_t)nenv + 1) * sizeof(*all));
  all[0] = (*argv)[0];
  memcpy(all + 1, cfg->env_argv, (size_t)nenv * sizeof(*all));
  memcpy(all + 1 + nenv, *argv + 1, (size_t)(argc - 1) * sizeof(*all));
  all[argc + nenv] = NULL;
  cfg->all_argv = all; /* kept until cli_free() */
  *argv = all;
  return argc + nenv;
}

/* The checks between options, once all are read. */
static enum cli_status check_combinations(struct config *cfg,
                                          char err[VL_ERRLEN])
{
  size_t i;

  if (cfg->head) {
    /* HEAD has no body to send, and one method only. */
    if (cfg->data) {
      cliopt_err(err,
                 "-I/--head sends no body: it cannot be used with --data");
      return CLI_USAGE;
    }
    if (cfg->method && strcmp(cfg->method, "HEAD") != 0) {
      cliopt_err(err, "-I/--head and -X %s cannot be used together",
                 cfg->method);
      return CLI_USAGE;
    }
    cfg->method = "HEAD";
  }
  if ((cfg->resume || cfg->append) && !cfg->output) {
    cliopt_err(err, "--%s needs -o FILE", cfg->resume ? "resume" : "append");
    return CLI_USAGE;
  }
  if (cfg->resume && cfg->write_out) {
    cliopt_err(err, "--resume reads JSON records: it cannot be used with -w");
    return CLI_USAGE;
  }
  if (cfg->resume && cfg->append) {
    cliopt_err(err, "--append and --resume cannot be used together");
    return CLI_USAGE;
  }
  if (cfg->only_changed && !cfg->since) {
    cliopt_err(err, "--only-changed needs --since FILE");
    return CLI_USAGE;
  }
  if (check_extract(cfg, err) < 0)
    return CLI_USAGE;
  if (cfg->check) {
    /* The arguments are record files, not URLs; nothing is written. */
    if (!cfg->nurls) {
      cliopt_err(err, "--check needs the record FILEs to check as arguments");
      return CLI_USAGE;
    }
    for (i = 0; i < cfg->nurls; i++)
      if (strcmp(cfg->urls[i], "-") == 0) {
        cliopt_err(err, "--check reads record FILEs by name: '-' is not one");
        return CLI_USAGE;
      }
    if (cfg->output || cfg->crawl || cfg->since) {
      cliopt_err(err, "--check fetches nothing: it cannot be used with %s",
                 cfg->output  ? "-o"
                 : cfg->crawl ? "--crawl"
                              : "--since");
      return CLI_USAGE;
    }
    return CLI_OK;
  }
  if (cfg->id_prefix && cfg->crawl) {
    cliopt_err(err, "--id-prefix numbers input lines: it cannot be used with "
                    "--crawl");
    return CLI_USAGE;
  }
  if (cfg->nurls && cfg->ninputs) {
    cliopt_err(err, "give URLs as arguments or with -i (or '-'), not both");
    return CLI_USAGE;
  }
  return CLI_OK;
}

enum cli_status cli_parse(struct config *cfg, int argc, char **argv,
                          const char *env_opts, char err[VL_ERRLEN])
{
  struct cliopt_names nm;
  const struct cliopt *o;
  struct cliopt shown;
  enum cliopt_name which;
  const char *arg;
  size_t i;
  int rc;

  set_defaults(cfg);
  err[0] = '\0';
  if (env_opts && (argc = prepend_env(cfg, env_opts, argc, &argv)) < 0) {
    cliopt_err(err, "VOLLEY_OPTS: unclosed quote");
    return CLI_USAGE;
  }
  cliopt_names_init(&nm, options, NOPTIONS);
  /* optind = 0 makes glibc start afresh, so cli_parse() can run twice. */
  optind = 0;
  while ((rc = cliopt_next(&nm, argc, argv, &o, &which, &arg, err)) > 0) {
    if (!o->set)
      break;
    /* Messages name the option as typed: "--retry", not "--retries". */
    shown = *o;
    if (which == CLIOPT_ALIAS)
      shown.name = o->alias;
    if (o->set(cfg, &shown, which == CLIOPT_NO ? "0" : arg, err) < 0) {
      rc = -1;
      break;
    }
  }
  cliopt_names_free(&nm);
  if (rc != 0)
    return rc < 0 ? CLI_USAGE : (enum cli_status)o->value;
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
  return check_combinations(cfg, err);
}

void cli_free(struct config *cfg)
{
  optval_free_words(cfg->env_argv);
  free(cfg->all_argv);
  free(cfg->headers);
  free(cfg->inputs);
  free(cfg->xpaths);
  free(cfg->regexes);
  free(cfg->resolves);
  cfg->env_argv = cfg->all_argv = NULL;
  cfg->xpaths = cfg->regexes = cfg->resolves = NULL;
  cfg->headers = cfg->inputs = NULL;
  cfg->nxpaths = cfg->nregexes = cfg->nresolves = 0;
  cfg->nheaders = cfg->ninputs = 0;
}

char *cli_help_text(void)
{
  return cliopt_text(
      options, NOPTIONS, false,
      "Usage: volley [OPTIONS] [URL...]\n"
      "       volley [OPTIONS] -i FILE\n"
      "       volley --check [OPTIONS] -i LIST FILE...\n"
      "Fetch many URLs concurrently; print one JSON record per request.\n"
      "With no URL and no -i, read requests from stdin: one URL per line,\n"
      "or a JSON object per line "
      "({\"url\":...,\"method\":...,\"headers\":{...},\n"
      "\"body\":...,\"id\":...}).\n\nOptions:\n",
      "\nExit status: 0 all requests ok, 1 some failed, 2 usage error,\n"
      "3 output not written, 130 SIGINT, 143 SIGTERM.\n"
      "See volley(1) for the record format.\n");
}

char *cli_list_text(void)
{
  return cliopt_text(options, NOPTIONS, true, "", "");
}

char *cli_version_text(void)
{
  const curl_version_info_data *ci = curl_version_info(CURLVERSION_NOW);
  size_t len = 512;
  char *s = xmalloc(len);

  snprintf(s, len,
           "volley %s\nlibcurl %.100s (%.100s%s%.100s)\nlibuv %s\n"
           "jansson %s\n",
           VERSION, ci->version, ci->ssl_version ? ci->ssl_version : "no TLS",
           ci->nghttp2_version ? ", nghttp2/" : "",
           ci->nghttp2_version ? ci->nghttp2_version : "", uv_version_string(),
           jansson_version_str());
  return s;
}
