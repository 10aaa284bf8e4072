/* Command-line options: one table feeds getopt_long, --help,
 * --list-options and every value check, so they cannot disagree. Pure:
 * no I/O; main prints. */
#ifndef VOLLEY_CLI_H
#define VOLLEY_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum cli_httpver { CLI_HTTP_DEFAULT, CLI_HTTP_1_1, CLI_HTTP_2 };

enum cli_ipresolve { CLI_IP_ANY, CLI_IP_V4, CLI_IP_V6 };

enum cli_inputfmt {
  CLI_INPUT_AUTO,  /* a line starting with '{' is JSON, else a URL */
  CLI_INPUT_LINES, /* every line is a URL */
  CLI_INPUT_JSONL  /* every line is a JSON request */
};

/* Everything the command line decides. Strings point into argv (or into
 * "env_argv", owned here) and live as long as argv. Adding an option is
 * a field here and a row in cli.c's table. */
struct config {
  unsigned concurrency;        /* >= 1 */
  unsigned per_host;           /* in flight per host, 0 = no cap */
  double rate;                 /* --rate: starts a second, 0 = no cap */
  double rate_per_host;        /* --rate-per-host, 0 = no cap */
  uint64_t timeout_ms;         /* per attempt, 0 = none */
  uint64_t max_time_ms;        /* -m: one request's whole time, attempts
                                  and waits included; 0 = none */
  uint64_t connect_timeout_ms; /* 0 = libcurl's default */
  const char *method;          /* NULL: GET, or POST with --data */
  const char **headers;        /* "K: V" strings, "nheaders" of them */
  size_t nheaders;
  const char *data;       /* --data as given ("@FILE" not read) */
  const char *user_agent; /* never NULL */
  const char *userpwd;    /* -u USER:PASSWORD, or NULL; never printed */
  bool head;              /* -I: method HEAD */
  bool follow;            /* follow redirects */
  unsigned max_redirs;
  bool insecure;
  const char *cacert; /* --cacert FILE, or NULL */
  const char *capath; /* --capath DIR, or NULL */
  const char *proxy;
  const char **resolves; /* --resolve HOST:PORT:ADDR as given, checked */
  size_t nresolves;
  enum cli_httpver httpver;
  enum cli_ipresolve ipresolve; /* -4, -6 */
  bool compressed;
  uint64_t max_body; /* bytes of decoded body, per response */
  bool want_body;
  bool want_headers;
  bool hash;          /* --hash: the SHA-256 of each body in its record */
  const char *since;  /* --since FILE, or NULL */
  bool only_changed;  /* --only-changed */
  const char *output; /* NULL: stdout */
  bool ordered;
  bool quiet;
  int verbose;
  const char **inputs; /* -i files, "-" = stdin; "ninputs" of them */
  size_t ninputs;
  char **urls; /* positional URLs, pointing into argv */
  size_t nurls;
  unsigned retries;
  bool retry_all_methods;
  bool retry_on[600];      /* statuses that are retried */
  uint64_t retry_delay_ms; /* base of the backoff */
  uint64_t retry_max_delay_ms;
  uint64_t deadline_ms; /* 0 = none */
  uint64_t grace_ms;
  bool resume;
  bool resume_failed;
  bool append;
  bool fail_fast;   /* cancel everything at the first failure */
  int progress;     /* -1 auto (stderr a TTY), 0 off, 1 on */
  unsigned shard_k; /* --shard K/N: this run's part, K < N */
  unsigned shard_n; /* 0: no sharding */
  enum cli_inputfmt inputfmt;
  const char *proto_default; /* "http" or "https": for URLs without one */
  bool stats;                /* --stats: a summary on stderr at the end */
  const char *stats_json;    /* --stats-json FILE, or NULL */
  const char *write_out;     /* -w FORMAT, or NULL for JSON records */
  char **env_argv;           /* VOLLEY_OPTS words, owned; strings above
                                may point into them */
  const char **xpaths;       /* -x NAME=EXPR as given, "nxpaths" of them */
  size_t nxpaths;
  const char **regexes; /* -e NAME=PATTERN as given */
  size_t nregexes;
  bool title;            /* --title */
  bool links;            /* --links */
  bool page_requisites;  /* --page-requisites (implies --links) */
  const char *save_dir;  /* --save DIR, or NULL */
  const char *save_name; /* --save-name TEMPLATE */
  bool save_errors;      /* --save-errors: non-2xx bodies too */
  bool crawl;            /* --crawl given */
  unsigned crawl_depth;  /* --crawl DEPTH */
  bool any_host;         /* --any-host */
  const char *include;   /* --include REGEX, or NULL */
  const char *exclude;   /* --exclude REGEX, or NULL */
  uint64_t max_urls;     /* --max-urls, 0: no cap */
  bool ignore_robots;    /* --ignore-robots */
  bool check;            /* --check: "urls" are record files to check */
  const char *id_prefix; /* --id-prefix STR (valid UTF-8), or NULL */
  bool failures_ok;      /* --failures-ok */
  char **all_argv;       /* VOLLEY_OPTS words and argv, owned */
};

enum cli_status {
  CLI_OK,
  CLI_HELP,    /* print cli_help_text() on stdout, exit 0 */
  CLI_VERSION, /* print cli_version_text() on stdout, exit 0 */
  CLI_LIST,    /* print cli_list_text() on stdout, exit 0 */
  CLI_USAGE    /* "err" names option and value; exit 2 */
};

/* Fill "cfg" from "env_opts" (VOLLEY_OPTS: default options, split like
 * a shell would, without expansions; NULL for none) and then "argv", so
 * that the command line wins. On CLI_USAGE "err" holds one line naming
 * the option and the bad value. The caller releases "cfg" with
 * cli_free() whatever the result. */
enum cli_status cli_parse(struct config *cfg, int argc, char **argv,
                          const char *env_opts, char err[VL_ERRLEN]);

/* Release what cli_parse() allocated in "cfg" (not "cfg" itself). */
void cli_free(struct config *cfg);

/* The --help text, built from the option table. Caller frees. */
char *cli_help_text(void);

/* The hidden --list-options text: one line per option name that --help
 * shows (aliases and --no-NAME included, in --help's order), four fields
 * separated by a tab: "--NAME", "-L" or "", the value's name in --help or
 * "" for none, and the help line. completions/check.sh reads it. Caller
 * frees. */
char *cli_list_text(void);

/* The --version text: volley's version and the libraries'. Caller frees. */
char *cli_version_text(void);

#endif
