/* Unit tests of cli.c: defaults, each option's field, usage errors that
 * name option and value, --help and --version, and the help text. One
 * row per case. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tap.h"
#include "util.h"

#define MAXARGS 32

/* A writable argv, as getopt_long permutes it. */
struct args {
  int argc;
  char *argv[MAXARGS + 1];
};

/* Parse "volley" followed by the NULL-terminated arguments. The caller
 * releases "cfg" with cli_free() and "a" with args_free(). */
static enum cli_status parse(struct config *cfg, struct args *a, char *err,
                             ...) __attribute__((sentinel));

static enum cli_status parse(struct config *cfg, struct args *a, char *err,
                             ...)
{
  const char *s;
  va_list ap;

  a->argc = 0;
  a->argv[a->argc++] = xstrdup("volley");
  va_start(ap, err);
  while ((s = va_arg(ap, const char *)) && a->argc < MAXARGS)
    a->argv[a->argc++] = xstrdup(s);
  va_end(ap);
  a->argv[a->argc] = NULL;
  return cli_parse(cfg, a->argc, a->argv, NULL, err);
}

static void args_free(struct args *a)
{
  int i;

  for (i = 0; i < a->argc; i++)
    free(a->argv[i]);
  a->argc = 0;
}

/* Parse, keep the status and the error line, release everything. */
static enum cli_status parse_err(char *err, const char *a1, const char *a2,
                                 const char *a3, const char *a4)
{
  struct config cfg;
  struct args a;
  enum cli_status st;

  st = parse(&cfg, &a, err, a1, a2, a3, a4, (const char *)NULL);
  cli_free(&cfg);
  args_free(&a);
  return st;
}

static int defaults(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, (const char *)NULL), CLI_OK);
  CHECK_STREQ(err, "");
  CHECK_INT(cfg.concurrency, 50);
  CHECK_UINT(cfg.timeout_ms, 30000);
  CHECK_UINT(cfg.connect_timeout_ms, 10000);
  CHECK_INT(cfg.retries, 2);
  CHECK_UINT(cfg.max_body, 10 * 1024 * 1024);
  CHECK(strncmp(cfg.user_agent, "volley/", 7) == 0);
  CHECK_STREQ(cfg.user_agent, "volley/" VERSION);
  CHECK(cfg.follow);
  CHECK(cfg.compressed);
  CHECK(cfg.retry_on[408] && cfg.retry_on[429] && cfg.retry_on[500]);
  CHECK(cfg.retry_on[502] && cfg.retry_on[503] && cfg.retry_on[504]);
  CHECK(!cfg.retry_on[404] && !cfg.retry_on[200] && !cfg.retry_on[501]);
  CHECK_UINT(cfg.retry_delay_ms, 500);
  CHECK_UINT(cfg.retry_max_delay_ms, 30000);
  CHECK_UINT(cfg.deadline_ms, 0);
  CHECK_UINT(cfg.grace_ms, 5000);
  CHECK_INT(cfg.max_redirs, 10);
  CHECK(!cfg.method && !cfg.data && !cfg.proxy && !cfg.output);
  CHECK_INT(cfg.nheaders, 0);
  CHECK_INT(cfg.ninputs, 0);
  CHECK_INT(cfg.nurls, 0);
  CHECK_INT(cfg.httpver, CLI_HTTP_DEFAULT);
  CHECK(!cfg.insecure && !cfg.want_body && !cfg.want_headers);
  CHECK(!cfg.ordered && !cfg.quiet && cfg.verbose == 0);
  CHECK(!cfg.retry_all_methods && !cfg.resume && !cfg.resume_failed);
  CHECK(!cfg.append);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_concurrency(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-c", "7", (const char *)NULL), CLI_OK);
  CHECK_INT(cfg.concurrency, 7);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "--concurrency=8", (const char *)NULL),
            CLI_OK);
  CHECK_INT(cfg.concurrency, 8);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(
      parse(&cfg, &a, err, "--concurrency", "100000", (const char *)NULL),
      CLI_OK);
  CHECK_INT(cfg.concurrency, 100000);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_timeouts(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-t", "1.5", "--connect-timeout", "2",
                  (const char *)NULL),
            CLI_OK);
  CHECK_UINT(cfg.timeout_ms, 1500);
  CHECK_UINT(cfg.connect_timeout_ms, 2000);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "--timeout", "0", (const char *)NULL),
            CLI_OK);
  CHECK_UINT(cfg.timeout_ms, 0);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_retries(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-r", "0", (const char *)NULL), CLI_OK);
  CHECK_INT(cfg.retries, 0);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "--retries", "5", "--retry-all-methods",
                  "--retry-delay", "0.1", "--retry-max-delay", "7",
                  (const char *)NULL),
            CLI_OK);
  CHECK_INT(cfg.retries, 5);
  CHECK(cfg.retry_all_methods);
  CHECK_UINT(cfg.retry_delay_ms, 100);
  CHECK_UINT(cfg.retry_max_delay_ms, 7000);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_retry_on(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "--retry-on", "404,500", (const char *)NULL),
            CLI_OK);
  CHECK(cfg.retry_on[404] && cfg.retry_on[500]);
  /* The list replaces the default set. */
  CHECK(!cfg.retry_on[503] && !cfg.retry_on[429]);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "--retry-on=100,599", (const char *)NULL),
            CLI_OK);
  CHECK(cfg.retry_on[100] && cfg.retry_on[599] && !cfg.retry_on[503]);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_deadline_grace(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "--deadline", "60", "--grace", "1",
                  (const char *)NULL),
            CLI_OK);
  CHECK_UINT(cfg.deadline_ms, 60000);
  CHECK_UINT(cfg.grace_ms, 1000);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_request_shape(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-X", "PUT", "-d", "a=1", "-A", "bot/1",
                  "--proxy", "http://p:3128", (const char *)NULL),
            CLI_OK);
  CHECK_STREQ(cfg.method, "PUT");
  CHECK_STREQ(cfg.data, "a=1");
  CHECK_STREQ(cfg.user_agent, "bot/1");
  CHECK_STREQ(cfg.proxy, "http://p:3128");
  cli_free(&cfg);
  args_free(&a);
  /* An empty body and an empty User-Agent are allowed. */
  CHECK_INT(parse(&cfg, &a, err, "-d", "", "-A", "", (const char *)NULL),
            CLI_OK);
  CHECK_STREQ(cfg.data, "");
  CHECK_STREQ(cfg.user_agent, "");
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_header_repeat(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-H", "A: 1", "--header", "B: two", "-H",
                  "X-Empty:", (const char *)NULL),
            CLI_OK);
  CHECK_INT(cfg.nheaders, 3);
  CHECK_STREQ(cfg.headers[0], "A: 1");
  CHECK_STREQ(cfg.headers[1], "B: two");
  CHECK_STREQ(cfg.headers[2], "X-Empty:");
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_header_bad(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "-H", "nocolon", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--header");
  CHECK_HAS(err, "'nocolon'");
  CHECK_INT(parse_err(err, "-H", ": x", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--header");
  return 0;
}

static int opt_location(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "--no-location", "--max-redirs", "3",
                  (const char *)NULL),
            CLI_OK);
  CHECK(!cfg.follow);
  CHECK_INT(cfg.max_redirs, 3);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "--no-location", "-L", (const char *)NULL),
            CLI_OK);
  CHECK(cfg.follow);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_tls_http(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-k", "--http1.1", (const char *)NULL),
            CLI_OK);
  CHECK(cfg.insecure);
  CHECK_INT(cfg.httpver, CLI_HTTP_1_1);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "--http2", (const char *)NULL), CLI_OK);
  CHECK_INT(cfg.httpver, CLI_HTTP_2);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_compressed(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "--no-compressed", (const char *)NULL),
            CLI_OK);
  CHECK(!cfg.compressed);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "--no-compressed", "--compressed",
                  (const char *)NULL),
            CLI_OK);
  CHECK(cfg.compressed);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_max_body(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "--max-body", "1K", (const char *)NULL),
            CLI_OK);
  CHECK_UINT(cfg.max_body, 1024);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse_err(err, "--max-body", "0", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--max-body");
  CHECK_HAS(err, "'0'");
  CHECK_INT(parse_err(err, "--max-body", "10x", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--max-body: '10x'");
  return 0;
}

static int opt_record_shape(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "--body", "--headers", "--ordered", "-q",
                  (const char *)NULL),
            CLI_OK);
  CHECK(cfg.want_body && cfg.want_headers && cfg.ordered && cfg.quiet);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_verbose(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-v", "--verbose", (const char *)NULL),
            CLI_OK);
  CHECK_INT(cfg.verbose, 2);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "-vvv", (const char *)NULL), CLI_OK);
  CHECK_INT(cfg.verbose, 3);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_output_resume(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-o", "out.ndjson", (const char *)NULL),
            CLI_OK);
  CHECK_STREQ(cfg.output, "out.ndjson");
  CHECK(!cfg.resume && !cfg.append);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "-o", "f", "--resume", (const char *)NULL),
            CLI_OK);
  CHECK(cfg.resume && !cfg.resume_failed);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "--resume-failed", "--output", "f",
                  (const char *)NULL),
            CLI_OK);
  CHECK(cfg.resume && cfg.resume_failed);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "-o", "f", "--append", (const char *)NULL),
            CLI_OK);
  CHECK(cfg.append && !cfg.resume);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int input_repeat(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-i", "a.txt", "--input", "b.txt", "-i", "-",
                  (const char *)NULL),
            CLI_OK);
  CHECK_INT(cfg.ninputs, 3);
  CHECK_STREQ(cfg.inputs[0], "a.txt");
  CHECK_STREQ(cfg.inputs[1], "b.txt");
  CHECK_STREQ(cfg.inputs[2], "-");
  CHECK_INT(cfg.nurls, 0);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int positional_urls(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(
      parse(&cfg, &a, err, "http://a/", "https://b/", (const char *)NULL),
      CLI_OK);
  CHECK_INT(cfg.nurls, 2);
  CHECK_STREQ(cfg.urls[0], "http://a/");
  CHECK_STREQ(cfg.urls[1], "https://b/");
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int urls_between_options(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "http://a/", "-c", "3", "http://b/", "-k",
                  (const char *)NULL),
            CLI_OK);
  CHECK_INT(cfg.concurrency, 3);
  CHECK(cfg.insecure);
  CHECK_INT(cfg.nurls, 2);
  CHECK_STREQ(cfg.urls[0], "http://a/");
  CHECK_STREQ(cfg.urls[1], "http://b/");
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int double_dash(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(
      parse(&cfg, &a, err, "-q", "--", "-not-an-option", (const char *)NULL),
      CLI_OK);
  CHECK(cfg.quiet);
  CHECK_INT(cfg.nurls, 1);
  CHECK_STREQ(cfg.urls[0], "-not-an-option");
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int err_unknown_option(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "--nope", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--nope");
  CHECK_INT(parse_err(err, "-Z", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "-Z");
  CHECK_INT(parse_err(err, "-qZ", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "-Z");
  return 0;
}

/* A value given to a flag that takes none ("--quiet=1") names "--quiet":
 * getopt sets optopt to the short letter, which once showed as "-q". */
static int err_flag_with_value(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "--quiet=1", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--quiet");
  CHECK_INT(parse_err(err, "--body=x", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--body");
  return 0;
}

static int err_missing_value(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "-t", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "-t");
  CHECK_INT(parse_err(err, "--timeout", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--timeout");
  CHECK_INT(parse_err(err, "http://a/", "-H", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "-H");
  return 0;
}

static int err_bad_seconds(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "--timeout", "abc", NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err, "--timeout: 'abc' is not a number of seconds");
  CHECK_INT(parse_err(err, "-t", "abc", NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err, "--timeout: 'abc' is not a number of seconds");
  CHECK_INT(parse_err(err, "--connect-timeout=-1", NULL, NULL, NULL),
            CLI_USAGE);
  CHECK_STREQ(err, "--connect-timeout: '-1' is not a number of seconds");
  CHECK_INT(parse_err(err, "--retry-delay", "1x", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--retry-delay: '1x'");
  CHECK_INT(parse_err(err, "--deadline", "0", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--deadline");
  CHECK_HAS(err, "'0'");
  return 0;
}

/* A value with a newline or an escape sequence made a usage message of
 * several lines, or one that drives the terminal (found by
 * tests/fuzz/fuzz-cli.c): control bytes and DEL are written as escapes. */
static int err_control_bytes_escaped(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "--timeout", "a\nb\tc\rd", NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err, "--timeout: 'a\\nb\\tc\\rd' is not a number of seconds");
  CHECK_INT(parse_err(err, "-H", "X\x1b[31m\x7f", NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err,
              "--header: 'X\\x1b[31m\\x7f' is not of the form 'Name: value'");
  return 0;
}

static int err_bad_counts(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "-c", "abc", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--concurrency: 'abc'");
  CHECK_INT(parse_err(err, "-c", "0", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--concurrency: '0'");
  CHECK_INT(parse_err(err, "-c", "100001", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--concurrency: '100001'");
  CHECK_INT(parse_err(err, "-c", "-5", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--concurrency: '-5'");
  CHECK_INT(parse_err(err, "-r", "101", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--retries: '101'");
  CHECK_INT(parse_err(err, "--max-redirs", "x", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--max-redirs: 'x'");
  return 0;
}

static int err_retry_on(char *why)
{
  static const char *const bad[] = { "",     "abc",    "99",       "600",
                                     "500,", ",500",   "500,,502", "5000",
                                     "5 00", "500;502" };
  char err[VL_ERRLEN];
  size_t i;

  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    if (parse_err(err, "--retry-on", bad[i], NULL, NULL) != CLI_USAGE)
      return tap_fail(why, __FILE__, __LINE__, "'%s' accepted", bad[i]);
    CHECK_HAS(err, "--retry-on");
  }
  return 0;
}

static int err_empty_value(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "-o", "", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--output");
  CHECK_INT(parse_err(err, "-X", "", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--method");
  return 0;
}

static int opt_tls_trust_resolve(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "--cacert", "ca.pem", "--capath", "certs",
                  "--resolve", "a.test:443:127.0.0.1", "--resolve",
                  "+b.test:8080:[::1],10.0.0.1", (const char *)NULL),
            CLI_OK);
  CHECK_STREQ(cfg.cacert, "ca.pem");
  CHECK_STREQ(cfg.capath, "certs");
  CHECK_UINT(cfg.nresolves, 2);
  CHECK_STREQ(cfg.resolves[0], "a.test:443:127.0.0.1");
  CHECK_STREQ(cfg.resolves[1], "+b.test:8080:[::1],10.0.0.1");
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int err_resolve(char *why)
{
  static const char *const bad[] = {
    "a.test:443",           "a.test:0:127.0.0.1",  "a.test:65536:127.0.0.1",
    ":443:127.0.0.1",       "a.test::127.0.0.1",   "a.test:443:",
    "a.test:443:localhost", "a.test:443:1.2.3.4,", "a.test:443:[::1",
  };
  char err[VL_ERRLEN];
  size_t i;

  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    CHECK_INT(parse_err(err, "--resolve", bad[i], NULL, NULL), CLI_USAGE);
    CHECK_HAS(err, "--resolve");
    CHECK_HAS(err, bad[i]);
  }
  return 0;
}

/* Values that go on the wire refuse CR and LF, naming the option;
 * values that do not (a file name, a template) keep them. */
static int err_crlf(char *why)
{
  static const struct {
    const char *opt, *value, *name;
  } rows[] = {
    { "-H", "X-A: 1\r\nX-B: 2", "--header" },
    { "-H", "X-A: 1\nHost: evil", "--header" },
    { "-A", "bot\r\nX-B: 2", "--user-agent" },
    { "-X", "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET", "--method" },
    { "--proxy", "http://p:8080/\r\n", "--proxy" },
  };
  char err[VL_ERRLEN];
  size_t i;

  for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    CHECK_INT(parse_err(err, rows[i].opt, rows[i].value, NULL, NULL),
              CLI_USAGE);
    CHECK_HAS(err, rows[i].name);
    CHECK_HAS(err, "CR or LF");
  }
  CHECK_INT(parse_err(err, "-H", "X-A: 1\t2", NULL, NULL), CLI_OK);
  CHECK_INT(parse_err(err, "-w", "%{url}\n", NULL, NULL), CLI_OK);
  return 0;
}

static int err_resume_needs_output(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "--resume", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--resume");
  CHECK_HAS(err, "-o");
  CHECK_INT(parse_err(err, "--resume-failed", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "-o");
  CHECK_INT(parse_err(err, "--append", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "--append");
  CHECK_INT(parse_err(err, "-o", "f", "--append", "--resume"), CLI_USAGE);
  CHECK_HAS(err, "--append");
  CHECK_HAS(err, "--resume");
  return 0;
}

static int err_urls_and_inputs(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "-i", "list.txt", "http://a/", NULL), CLI_USAGE);
  CHECK(err[0] != '\0');
  return 0;
}

static int opt_failures_ok(char *why)
{
  struct config cfg;
  struct args a;
  char err[VL_ERRLEN];

  CHECK_INT(parse(&cfg, &a, err, "http://a/", (const char *)NULL), CLI_OK);
  CHECK(!cfg.failures_ok);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(
      parse(&cfg, &a, err, "--failures-ok", "http://a/", (const char *)NULL),
      CLI_OK);
  CHECK(cfg.failures_ok);
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int opt_id_prefix(char *why)
{
  struct config cfg;
  struct args a;
  char err[VL_ERRLEN];

  CHECK_INT(parse(&cfg, &a, err, "--id-prefix", "part-7:", "http://a/",
                  (const char *)NULL),
            CLI_OK);
  CHECK_STREQ(cfg.id_prefix, "part-7:");
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse_err(err, "--id-prefix", "\xff", "http://a/", NULL),
            CLI_USAGE);
  CHECK_HAS(err, "--id-prefix");
  CHECK_INT(parse_err(err, "--id-prefix", "", "http://a/", NULL), CLI_USAGE);
  CHECK_INT(parse_err(err, "--id-prefix", "x", "--crawl", "1"), CLI_USAGE);
  CHECK_HAS(err, "--crawl");
  return 0;
}

static int opt_check(char *why)
{
  struct config cfg;
  struct args a;
  char err[VL_ERRLEN];

  /* The arguments are record files, and -i may come with them. */
  CHECK_INT(parse(&cfg, &a, err, "--check", "-i", "list", "p0", "p1",
                  (const char *)NULL),
            CLI_OK);
  CHECK(cfg.check);
  CHECK_UINT(cfg.ninputs, 1);
  CHECK_UINT(cfg.nurls, 2);
  CHECK_STREQ(cfg.urls[1], "p1");
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse_err(err, "--check", "-i", "list", NULL), CLI_USAGE);
  CHECK_HAS(err, "FILE");
  CHECK_INT(parse_err(err, "--check", "-i", "list", "-"), CLI_USAGE);
  CHECK_INT(parse_err(err, "--check", "-o", "out", "p0"), CLI_USAGE);
  CHECK_HAS(err, "-o");
  return 0;
}

static int help_and_version(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "--help", NULL, NULL, NULL), CLI_HELP);
  CHECK_INT(parse_err(err, "-h", NULL, NULL, NULL), CLI_HELP);
  CHECK_INT(parse_err(err, "-c", "5", "--help", NULL), CLI_HELP);
  CHECK_INT(parse_err(err, "--version", NULL, NULL, NULL), CLI_VERSION);
  CHECK_INT(parse_err(err, "-V", NULL, NULL, NULL), CLI_VERSION);
  return 0;
}

static int help_text_options(char *why)
{
  static const char *const longs[] = {
    "--input",
    "--concurrency",
    "--timeout",
    "--connect-timeout",
    "--retries",
    "--retry-on",
    "--retry-all-methods",
    "--retry-delay",
    "--retry-max-delay",
    "--deadline",
    "--grace",
    "--method",
    "--header",
    "--data",
    "--user-agent",
    "--location",
    "--no-location",
    "--max-redirs",
    "--insecure",
    "--proxy",
    "--http1.1",
    "--http2",
    "--compressed",
    "--no-compressed",
    "--max-body",
    "--body",
    "--headers",
    "--output",
    "--resume",
    "--resume-failed",
    "--append",
    "--ordered",
    "--quiet",
    "--verbose",
    "--help",
    "--version",
  };
  char *help = cli_help_text();
  char missing[VL_ERRLEN] = "";
  size_t i;

  for (i = 0; i < sizeof(longs) / sizeof(longs[0]); i++) {
    if (!strstr(help, longs[i])) {
      snprintf(missing, sizeof(missing), "%s", longs[i]);
      break;
    }
  }
  i = strstr(help, "(default 50)") != NULL;
  free(help);
  if (missing[0])
    return tap_fail(why, __FILE__, __LINE__, "--help lacks %s", missing);
  CHECK(i);
  return 0;
}

static int version_text(char *why)
{
  char *v = cli_version_text();
  int ok = strncmp(v, "volley " VERSION "\n", strlen(VERSION) + 8) == 0 &&
           strstr(v, "libcurl ") && strstr(v, "libuv ") &&
           strstr(v, "jansson ");

  free(v);
  CHECK(ok);
  return 0;
}

static int parse_twice(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-c", "5", "-H", "A: b", "-i", "x",
                  (const char *)NULL),
            CLI_OK);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "-c", "6", "http://y/", (const char *)NULL),
            CLI_OK);
  CHECK_INT(cfg.concurrency, 6);
  CHECK_INT(cfg.nheaders, 0);
  CHECK_INT(cfg.ninputs, 0);
  CHECK_INT(cfg.nurls, 1);
  CHECK_STREQ(cfg.urls[0], "http://y/");
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int parse_after_error(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  /* A parse that stopped mid-argv must not leave getopt's state behind,
   * grouped short options included. */
  CHECK_INT(parse_err(err, "-qZv", NULL, NULL, NULL), CLI_USAGE);
  CHECK_INT(parse_err(err, "-t", "x", "http://a/", NULL), CLI_USAGE);
  CHECK_INT(parse(&cfg, &a, err, "-t", "2", "http://y/", (const char *)NULL),
            CLI_OK);
  CHECK_STREQ(err, "");
  CHECK_UINT(cfg.timeout_ms, 2000);
  CHECK(!cfg.quiet && cfg.verbose == 0);
  CHECK_INT(cfg.nurls, 1);
  CHECK_STREQ(cfg.urls[0], "http://y/");
  cli_free(&cfg);
  args_free(&a);
  return 0;
}

static int free_twice(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-H", "A: 1", "-i", "f", (const char *)NULL),
            CLI_OK);
  cli_free(&cfg);
  cli_free(&cfg);
  CHECK(!cfg.headers && cfg.nheaders == 0 && !cfg.inputs);
  args_free(&a);
  return 0;
}

/* getopt_long took any unambiguous prefix ("--user" for --user-agent,
 * "--fail" for --fail-fast): only exact names are options now, and the
 * error names what was meant. */
static int err_prefix_refused(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "--user-ag", "x", NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err, "unknown option '--user-ag'; did you mean --user-agent?");
  CHECK_INT(parse_err(err, "--conc=3", NULL, NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err, "unknown option '--conc'; did you mean --concurrency?");
  CHECK_INT(parse_err(err, "--fail-f", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "did you mean --fail-fast?");
  /* A prefix at the end, where getopt asks for the value first. */
  CHECK_INT(parse_err(err, "--inp", NULL, NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err, "unknown option '--inp'; did you mean --input or "
                   "--input-format?");
  /* A flag's prefix with a value is unknown, not "takes no value". */
  CHECK_INT(parse_err(err, "--qui=1", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "unknown option '--qui'");
  return 0;
}

static int err_did_you_mean(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "--concurency", "3", NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err,
              "unknown option '--concurency'; did you mean --concurrency?");
  CHECK_INT(parse_err(err, "--tmeout", "3", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "did you mean --timeout?");
  CHECK_INT(parse_err(err, "--xyzzy-plugh", NULL, NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err, "unknown option '--xyzzy-plugh'");
  return 0;
}

/* curl's and wget's names volley lacks get volley's way in one line. */
static int err_foreign_names(char *why)
{
  static const struct {
    const char *arg, *has;
  } rows[] = {
    { "--fail", "--fail-fast stops the run at the first failure" },
    { "-f", "HTTP errors are already \"ok\":false" },
    { "--output-dir", "--save DIR" },
    { "-O", "--save DIR" },
    { "--remote-name", "--save DIR" },
    { "--retry-connrefused", "retried already" },
    { "-N", "written as each request completes" },
    { "--recursive", "--crawl DEPTH" },
    { "-l", "--crawl DEPTH" },
    { "--level=2", "--crawl DEPTH" },
    { "--tries=3", "--retry 2" },
    { "--wait=1", "--rate-per-host" },
    { "--limit-rate", "--rate" },
    { "-np", "--include REGEX" },
    { "--no-parent", "--include REGEX" },
  };
  char err[VL_ERRLEN];
  size_t i;

  for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    CHECK_INT(parse_err(err, rows[i].arg, "http://a/", NULL, NULL), CLI_USAGE);
    CHECK_HAS(err, "unknown option '");
    CHECK_HAS(err, rows[i].has);
  }
  /* wget's -r takes no value: the URL is not a number of retries. */
  CHECK_INT(parse_err(err, "-r", "http://a/", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "wget's -r is --crawl DEPTH");
  return 0;
}

/* curl's names where the meaning is the same; an alias's errors name it
 * as typed. */
static int opt_curl_names(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "--retry", "5", "-s", "-m", "2.5", "-4",
                  (const char *)NULL),
            CLI_OK);
  CHECK_INT(cfg.retries, 5);
  CHECK(cfg.quiet && cfg.progress == 0);
  CHECK_UINT(cfg.max_time_ms, 2500);
  CHECK_INT(cfg.ipresolve, CLI_IP_V4);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "--silent", "--max-time=1", "-6", "-I", "-u",
                  "alice:s3cret", "--user", "bob:pw", (const char *)NULL),
            CLI_OK);
  CHECK(cfg.quiet);
  CHECK_UINT(cfg.max_time_ms, 1000);
  CHECK_INT(cfg.ipresolve, CLI_IP_V6);
  CHECK_STREQ(cfg.method, "HEAD");
  CHECK_STREQ(cfg.userpwd, "bob:pw");
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse_err(err, "--retry", "x", NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err, "--retry: 'x' is not a whole number from 0 to 100");
  CHECK_INT(parse_err(err, "-I", "-d", "x", NULL), CLI_USAGE);
  CHECK_HAS(err, "--data");
  CHECK_INT(parse_err(err, "-I", "-X", "GET", NULL), CLI_USAGE);
  CHECK_HAS(err, "-X GET");
  return 0;
}

/* -u's value is a password: a message never shows it. */
static int err_user_not_echoed(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "-u", "s3cret", NULL, NULL), CLI_USAGE);
  CHECK_STREQ(err, "--user: the value must be USER:PASSWORD");
  CHECK_INT(parse_err(err, "-u", "alice:s3cret\r\nX: y", NULL, NULL),
            CLI_USAGE);
  CHECK(!strstr(err, "s3cret"));
  CHECK_HAS(err, "--user");
  return 0;
}

/* A positional "-" is standard input, as "-i -" is. */
static int positional_dash(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "-c", "2", "-", (const char *)NULL), CLI_OK);
  CHECK_INT(cfg.nurls, 0);
  CHECK_INT(cfg.ninputs, 1);
  CHECK_STREQ(cfg.inputs[0], "-");
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse_err(err, "http://a/", "-", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "not both");
  return 0;
}

/* -w, -x, -e, --save-name, --include and --exclude are checked while
 * parsing, by the modules that own them, so a bad one is a usage error
 * naming option and value. */
static int err_owned_checks(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "-w", "%{nope}", "http://a/", NULL), CLI_USAGE);
  CHECK_HAS(err, "--write-out");
  CHECK_HAS(err, "%{nope}");
  CHECK_INT(parse_err(err, "-x", "bad=//[", "http://a/", NULL), CLI_USAGE);
  CHECK_HAS(err, "--xpath: 'bad=//['");
  CHECK_INT(parse_err(err, "-e", "bad=(", "http://a/", NULL), CLI_USAGE);
  CHECK_HAS(err, "--regex: 'bad=('");
  /* A NAME is used once across -x and -e. */
  CHECK_INT(parse_err(err, "-x", "a=//p", "-e", "a=x"), CLI_USAGE);
  CHECK_HAS(err, "used twice");
  CHECK_INT(parse_err(err, "--save-name", "{nope}", "http://a/", NULL),
            CLI_USAGE);
  CHECK_HAS(err, "--save-name: '{nope}'");
  CHECK_INT(parse_err(err, "--save-name", "fixed", "http://a/", NULL),
            CLI_USAGE);
  CHECK_HAS(err, "--save-name");
  CHECK_INT(parse_err(err, "--include", "(", "http://a/", NULL), CLI_USAGE);
  CHECK_HAS(err, "--include: '('");
  CHECK_INT(parse_err(err, "--exclude", "a\n[", "http://a/", NULL), CLI_USAGE);
  CHECK_HAS(err, "--exclude: 'a\\n['");
  CHECK_INT(parse_err(err, "--include", "^https://", "--exclude", "\\.pdf$"),
            CLI_OK);
  CHECK_INT(parse_err(err, "-w", "%{url}", "-x", "t=//title"), CLI_OK);
  CHECK_INT(parse_err(err, "-e", "n=[0-9]+", "--save-name", "{host}/{id}"),
            CLI_OK);
  return 0;
}

/* --no-NAME comes from its row, and the last of --NAME and --no-NAME
 * wins. */
static int opt_no_names(char *why)
{
  char err[VL_ERRLEN];
  struct config cfg;
  struct args a;

  CHECK_INT(parse(&cfg, &a, err, "--no-location", "--no-compressed",
                  "--no-progress", (const char *)NULL),
            CLI_OK);
  CHECK(!cfg.follow && !cfg.compressed && cfg.progress == 0);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse(&cfg, &a, err, "--no-location", "-L", "--no-progress",
                  "--progress", (const char *)NULL),
            CLI_OK);
  CHECK(cfg.follow && cfg.progress == 1);
  cli_free(&cfg);
  args_free(&a);
  CHECK_INT(parse_err(err, "--no-body", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "unknown option '--no-body'");
  CHECK_INT(parse_err(err, "--no-location=1", NULL, NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "takes no value");
  return 0;
}

/* The hidden --list-options: one line per name --help shows, four tab
 * separated fields, and itself in neither. */
static int list_options_text(char *why)
{
  char err[VL_ERRLEN];
  char *list = cli_list_text(), *help = cli_help_text();
  bool ok = strstr(list, "--concurrency\t-c\tN\trequests in flight at once "
                         "(default 50)\n") &&
            strstr(list, "\n--no-location\t\t\tdo not follow redirects\n") &&
            strstr(list, "\n--retry\t\tN\tthe same as -r/--retries") &&
            strstr(list, "\n--silent\t-s\t\tthe same as -q/--quiet") &&
            strstr(list, "\n--body\t\t\tput the body") &&
            !strstr(list, "list-options") && !strstr(help, "list-options");
  size_t lines = 0, tabs = 0;
  const char *p;

  for (p = list; *p; p++) {
    lines += *p == '\n';
    tabs += *p == '\t';
  }
  free(list);
  free(help);
  CHECK(ok);
  CHECK(lines > 70);
  CHECK_UINT(tabs, lines * 3);
  CHECK_INT(parse_err(err, "--list-options", NULL, NULL, NULL), CLI_LIST);
  CHECK_INT(parse_err(err, "-c", "0", "--list-options", NULL), CLI_USAGE);
  return 0;
}

/* Found by fuzz-cli: a short option letter past 0x7f is a negative optopt;
 * it was taken for a long option and the element before it (here "") was
 * read as "--name", past its end. */
static int err_high_byte_letter(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(parse_err(err, "", "-\x9ah", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "unknown option '-\x9a'");
  CHECK_INT(parse_err(err, "x", "-\xff", NULL, NULL), CLI_USAGE);
  CHECK_HAS(err, "unknown option '-\xff'");
  return 0;
}

/* Each alias has its own line in --help, under its option. */
static int help_text_aliases(char *why)
{
  char *help = cli_help_text();
  const char *r = strstr(help, "--retries N");
  const char *retry = strstr(help, "\n      --retry N ");
  const char *q = strstr(help, "-q, --quiet");
  const char *silent = strstr(help, "\n  -s, --silent ");
  bool ok = r && retry && q && silent && retry > r && silent > q &&
            strstr(help, "the same as -r/--retries") &&
            strstr(help, "the same as -q/--quiet");

  free(help);
  CHECK(ok);
  return 0;
}

static const struct tap_case cases[] = {
  { "defaults", defaults },
  { "-c and --concurrency set concurrency", opt_concurrency },
  { "-t and --connect-timeout set milliseconds", opt_timeouts },
  { "-r, --retry-all-methods and retry delays", opt_retries },
  { "--retry-on replaces the status set", opt_retry_on },
  { "--deadline and --grace", opt_deadline_grace },
  { "-X, -d, -A and --proxy", opt_request_shape },
  { "-H repeats, in order", opt_header_repeat },
  { "-H without a colon refused, naming the value", opt_header_bad },
  { "--no-location, -L and --max-redirs", opt_location },
  { "-k, --http1.1 and --http2", opt_tls_http },
  { "--no-compressed and --compressed", opt_compressed },
  { "--max-body takes sizes and refuses 0", opt_max_body },
  { "--body, --headers, --ordered and -q", opt_record_shape },
  { "-v counts", opt_verbose },
  { "-o, --resume, --resume-failed and --append", opt_output_resume },
  { "-i repeats, in order", input_repeat },
  { "positional URLs", positional_urls },
  { "URLs may come between options", urls_between_options },
  { "-- ends the options", double_dash },
  { "unknown options named in err", err_unknown_option },
  { "a value given to a flag names the flag", err_flag_with_value },
  { "missing value names the option", err_missing_value },
  { "bad seconds name option and value", err_bad_seconds },
  { "bad counts name option and value, -c 0 refused", err_bad_counts },
  { "control bytes in a value are escaped in err", err_control_bytes_escaped },
  { "--retry-on bad lists refused", err_retry_on },
  { "empty -o and -X refused", err_empty_value },
  { "CR or LF in -H, -A, -X and --proxy refused", err_crlf },
  { "--cacert, --capath and --resolve (repeatable)", opt_tls_trust_resolve },
  { "--resolve refuses what is not HOST:PORT:ADDR", err_resolve },
  { "--resume and --append need -o, not together", err_resume_needs_output },
  { "URLs and -i together refused", err_urls_and_inputs },
  { "--failures-ok", opt_failures_ok },
  { "--id-prefix: valid UTF-8, not with --crawl", opt_id_prefix },
  { "--check: record files as arguments, with -i", opt_check },
  { "--help gives CLI_HELP, --version CLI_VERSION", help_and_version },
  { "cli_help_text mentions every long option", help_text_options },
  { "cli_version_text names volley and the libraries", version_text },
  { "cli_parse can run twice in one process", parse_twice },
  { "cli_parse after a failed parse starts afresh", parse_after_error },
  { "cli_free twice is harmless", free_twice },
  { "long option prefixes refused, the meant name given", err_prefix_refused },
  { "unknown long options get the nearest names", err_did_you_mean },
  { "curl's and wget's names get volley's way", err_foreign_names },
  { "curl's names: --retry, -s, -m, -u, -I, -4 and -6", opt_curl_names },
  { "-u's value never shows in a message", err_user_not_echoed },
  { "a positional - is standard input", positional_dash },
  { "--help shows each alias under its option", help_text_aliases },
  { "-w, -x, -e, --save-name, --include, --exclude checked while parsing",
    err_owned_checks },
  { "--no-NAME comes from its row; the last one wins", opt_no_names },
  { "--list-options: one line per name, four fields", list_options_text },
  { "a short option past 0x7f is an unknown letter", err_high_byte_letter },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
