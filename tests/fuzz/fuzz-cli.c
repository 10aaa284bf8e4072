/* Fuzzes cli.c's option parser with command lines and VOLLEY_OPTS cut from the
 * input. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz.h"

#define MAX_WORDS 64

static void check_config(const struct config *cfg)
{
  size_t i;

  FUZZ_CHECK(cfg->concurrency >= 1 && cfg->concurrency <= 100000,
             "--concurrency %u", cfg->concurrency);
  FUZZ_CHECK(cfg->retries <= 100, "--retries %u", cfg->retries);
  FUZZ_CHECK(cfg->max_redirs <= 1000, "--max-redirs %u", cfg->max_redirs);
  FUZZ_CHECK(cfg->max_body >= 1, "--max-body 0");
  FUZZ_CHECK(!cfg->shard_n || cfg->shard_k < cfg->shard_n, "--shard %u/%u",
             cfg->shard_k, cfg->shard_n);
  FUZZ_CHECK(cfg->rate >= 0 && cfg->rate_per_host >= 0, "a negative rate");
  FUZZ_CHECK(cfg->user_agent, "no User-Agent");
  FUZZ_CHECK(!(cfg->resume || cfg->append) || cfg->output,
             "--resume or --append without -o");
  /* --check takes -i LIST and record FILEs as arguments. */
  FUZZ_CHECK(!(cfg->nurls && cfg->ninputs) || cfg->check,
             "URLs and -i together");
  FUZZ_CHECK(cfg->timeout_ms <= 366ull * 86400 * 1000 &&
                 cfg->retry_max_delay_ms <= 366ull * 86400 * 1000,
             "a time past a year");
  for (i = 0; i < cfg->nheaders; i++)
    FUZZ_CHECK(strchr(cfg->headers[i], ':') && cfg->headers[i][0] != ':',
               "header '%s'", cfg->headers[i]);
  for (i = 0; i < cfg->nurls; i++)
    FUZZ_CHECK(cfg->urls[i] && (!cfg->check || strcmp(cfg->urls[i], "-")),
               "a NULL URL, or --check of '-'");
  FUZZ_CHECK(!cfg->check || (cfg->nurls && !cfg->output && !cfg->crawl),
             "--check without FILEs, or with -o or --crawl");
  for (i = 0; i < 100; i++)
    FUZZ_CHECK(!cfg->retry_on[i], "--retry-on holds %zu", i);
}

static enum cli_status parse(int argc, char **argv, const char *env,
                             char err[VL_ERRLEN])
{
  struct config cfg;
  enum cli_status st = cli_parse(&cfg, argc, argv, env, err);

  switch (st) {
  case CLI_OK:
    check_config(&cfg);
    break;
  case CLI_USAGE: {
    const char *c;

    FUZZ_CHECK(err[0], "a usage error without a message");
    for (c = err; *c; c++)
      FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f,
                 "the message holds byte 0x%02x: %s", (unsigned char)*c, err);
    break;
  }
  case CLI_HELP:
  case CLI_VERSION:
  case CLI_LIST:
    break;
  default:
    fuzz_fail(__FILE__, __LINE__, "status %d", (int)st);
  }
  cli_free(&cfg);
  return st;
}

/* Input: a flag byte, then NUL-separated words; with the flag's low bit set
 * the first word is VOLLEY_OPTS (split by cli.c as a shell would), the rest
 * are argv.
 *
 * Oracle: cli_parse() returns one of its five statuses; a usage error has a
 * message of one line (no control byte, whatever bytes the value held); a
 * parse that succeeds keeps every value in its table's range (--concurrency,
 * --retries, --shard, --max-body, --resume with -o ...); a second parse of the
 * same line gives the same answer (getopt's state is reset); cli_free()
 * releases everything (LeakSanitizer checks). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fuzz_reader in = { data, size };
  bool with_env = fuzz_byte(&in) & 1;
  char *env = with_env ? fuzz_str(&in) : NULL;
  char *words[MAX_WORDS + 2], *copy[MAX_WORDS + 2];
  char err1[VL_ERRLEN], err2[VL_ERRLEN];
  enum cli_status s1, s2;
  int argc = 1, i;

  words[0] = strdup("volley");
  if (!words[0])
    abort();
  while (in.n && argc <= MAX_WORDS)
    words[argc++] = fuzz_str(&in);
  words[argc] = NULL;
  /* getopt_long() permutes argv: each parse gets its own copy of it. */
  memcpy(copy, words, sizeof(words));
  s1 = parse(argc, copy, env, err1);
  memcpy(copy, words, sizeof(words));
  s2 = parse(argc, copy, env, err2);
  FUZZ_CHECK(s1 == s2 && (s1 != CLI_USAGE || strcmp(err1, err2) == 0),
             "a second parse differs: %d '%s', then %d '%s'", (int)s1, err1,
             (int)s2, err2);
  for (i = 0; i < argc; i++)
    free(words[i]);
  free(env);
  return 0;
}
