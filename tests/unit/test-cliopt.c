/* Unit tests of cliopt.c on a table of its own: the setters of each kind,
 * --no-NAME and aliases, exact long names and the messages for unknown
 * ones, and the --help and --list-options lines. One row per case. */
#include "config.h"

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliopt.h"
#include "tap.h"

struct toy {
  unsigned n;
  uint64_t ms;
  uint64_t bytes;
  bool flag;
  const char *s;
  const char **list;
  size_t nlist;
  int kind;
  const char *word;
  int count;
};

static const char *const kinds[] = { "one", "two", "three", NULL };

static const struct cliopt rows[] = {
  { .name = "num",
    .letter = 'n',
    .arg = "N",
    .set = cliopt_set_uint,
    .off = offsetof(struct toy, n),
    .min = 1,
    .max = 5,
    .deflt = "3",
    .help = "a number",
    .alias = "number",
    .alias_letter = 'N' },
  { .name = "secs",
    .arg = "SECS",
    .set = cliopt_set_seconds,
    .off = offsetof(struct toy, ms),
    .min = 1,
    .help = "seconds" },
  { .name = "size",
    .arg = "BYTES",
    .set = cliopt_set_size,
    .off = offsetof(struct toy, bytes),
    .help = "bytes" },
  { .name = "flag",
    .letter = 'f',
    .set = cliopt_set_flag,
    .off = offsetof(struct toy, flag),
    .deflt = "1",
    .help = "on",
    .no_help = "off" },
  { .name = "str",
    .arg = "S",
    .set = cliopt_set_str,
    .off = offsetof(struct toy, s),
    .flags = CLIOPT_LINE,
    .help = "text" },
  { .name = "item",
    .letter = 'i',
    .arg = "X",
    .set = cliopt_set_list,
    .off = offsetof(struct toy, list),
    .count_off = offsetof(struct toy, nlist),
    .help = "items" },
  { .name = "kind",
    .arg = "K",
    .set = cliopt_set_enum,
    .off = offsetof(struct toy, kind),
    .words = kinds,
    .help = "a kind" },
  { .name = "word",
    .arg = "W",
    .set = cliopt_set_word,
    .off = offsetof(struct toy, word),
    .words = kinds + 1,
    .help = "a word" },
  { .name = "verbose",
    .letter = 'v',
    .set = cliopt_set_count,
    .off = offsetof(struct toy, count),
    .help = "more" },
  { .name = "secret", .value = 42, .flags = CLIOPT_HIDDEN, .help = "hid" },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* Parse the NULL-terminated "args" after a program name into "t" (its
 * defaults first), as cli.c does. Returns 0, the "value" of a row
 * without a setter, or -1 with "err" filled. */
static int parse(struct toy *t, char err[VL_ERRLEN], const char **args)
{
  char *argv[32], words[32][64];
  struct cliopt_names nm;
  const struct cliopt *o;
  struct cliopt shown;
  enum cliopt_name which;
  const char *arg;
  int argc = 0, rc;
  size_t i;

  memset(t, 0, sizeof(*t));
  for (i = 0; i < NROWS; i++)
    if (rows[i].deflt && rows[i].set(t, &rows[i], rows[i].deflt, err) < 0)
      abort();
  /* A writable argv, as getopt_long permutes it. */
  for (; argc < 31 && (argc == 0 || *args); argc++) {
    snprintf(words[argc], sizeof(words[argc]), "%s", argc ? *args++ : "toy");
    argv[argc] = words[argc];
  }
  argv[argc] = NULL;
  cliopt_names_init(&nm, rows, NROWS);
  optind = 0;
  while ((rc = cliopt_next(&nm, argc, argv, &o, &which, &arg, err)) > 0) {
    if (!o->set) {
      rc = o->value;
      break;
    }
    shown = *o;
    if (which == CLIOPT_ALIAS)
      shown.name = o->alias;
    if (o->set(t, &shown, which == CLIOPT_NO ? "0" : arg, err) < 0) {
      rc = -1;
      break;
    }
  }
  cliopt_names_free(&nm);
  return rc;
}

#define ARGS(...) ((const char *[]){ __VA_ARGS__, NULL })

static int kinds_set(char *why)
{
  char err[VL_ERRLEN];
  struct toy t;

  CHECK_INT(parse(&t, err, ARGS("toy")), 0);
  CHECK(t.n == 3 && t.flag && t.count == 0 && !t.s && t.nlist == 0);
  CHECK_INT(parse(&t, err,
                  ARGS("-n", "5", "--secs=1.5", "--size", "2K", "--no-flag",
                       "--str", "a b", "-i", "x", "--item", "y", "--kind",
                       "three", "--word", "THREE", "-vv")),
            0);
  CHECK(t.n == 5 && t.ms == 1500 && t.bytes == 2048 && !t.flag);
  CHECK_STREQ(t.s, "a b");
  CHECK(t.nlist == 2 && strcmp(t.list[0], "x") == 0 &&
        strcmp(t.list[1], "y") == 0);
  CHECK(t.kind == 2 && t.count == 2);
  CHECK_STREQ(t.word, "three"); /* the table's spelling */
  free(t.list);
  CHECK_INT(parse(&t, err, ARGS("--no-flag", "-f", "--number", "1", "-N2")),
            0);
  CHECK(t.flag && t.n == 2);
  CHECK_INT(parse(&t, err, ARGS("--secret")), 42);
  return 0;
}

static int kinds_refuse(char *why)
{
  char err[VL_ERRLEN];
  struct toy t;

  CHECK_INT(parse(&t, err, ARGS("-n", "6")), -1);
  CHECK_STREQ(err, "--num: '6' is not a whole number from 1 to 5");
  CHECK_INT(parse(&t, err, ARGS("--number", "0")), -1);
  CHECK_STREQ(err, "--number: '0' is not a whole number from 1 to 5");
  CHECK_INT(parse(&t, err, ARGS("--secs", "0")), -1);
  CHECK_STREQ(err, "--secs: '0' must be more than 0 seconds");
  CHECK_INT(parse(&t, err, ARGS("--secs", "x\n")), -1);
  CHECK_STREQ(err, "--secs: 'x\\n' is not a number of seconds");
  CHECK_INT(parse(&t, err, ARGS("--size", "1Q")), -1);
  CHECK_HAS(err, "--size: '1Q' is not a size");
  CHECK_INT(parse(&t, err, ARGS("--str", "a\r\nb")), -1);
  CHECK_STREQ(err, "--str: the value must not contain a CR or LF");
  CHECK_INT(parse(&t, err, ARGS("-i", "")), -1);
  CHECK_STREQ(err, "--item: the value must not be empty");
  CHECK_INT(parse(&t, err, ARGS("--kind", "One")), -1);
  CHECK_STREQ(err, "--kind: 'One' is not one, two or three");
  CHECK_INT(parse(&t, err, ARGS("--word", "one")), -1);
  CHECK_STREQ(err, "--word: 'one' is not two or three");
  return 0;
}

static int names(char *why)
{
  char err[VL_ERRLEN];
  struct toy t;

  CHECK_INT(parse(&t, err, ARGS("--nu", "1")), -1);
  CHECK_STREQ(err, "unknown option '--nu'; did you mean --num or --number?");
  CHECK_INT(parse(&t, err, ARGS("--flga")), -1);
  CHECK_STREQ(err, "unknown option '--flga'; did you mean --flag?");
  CHECK_INT(parse(&t, err, ARGS("--no-str")), -1);
  CHECK_HAS(err, "unknown option '--no-str'");
  CHECK_INT(parse(&t, err, ARGS("--flag=1")), -1);
  CHECK_STREQ(err, "option '--flag' takes no value");
  CHECK_INT(parse(&t, err, ARGS("--num")), -1);
  CHECK_STREQ(err, "option '--num' needs a value");
  CHECK_INT(parse(&t, err, ARGS("-n")), -1);
  CHECK_STREQ(err, "option '-n' needs a value");
  CHECK_INT(parse(&t, err, ARGS("-z")), -1);
  CHECK_STREQ(err, "unknown option '-z'");
  return 0;
}

static int texts(char *why)
{
  char *help = cliopt_text(rows, NROWS, false, "HEAD\n", "TAIL\n");
  char *list = cliopt_text(rows, NROWS, true, "", "");
  char alias[128], no[128];
  bool help_ok, list_ok;

  /* The option column is 26 wide after two spaces, then two spaces. */
  snprintf(alias, sizeof(alias),
           "\n  %-26s  the same as -n/--num (curl's name)\n",
           "-N, --number N");
  snprintf(no, sizeof(no), "\n  %-26s  on\n  %-26s  off\n", "-f, --flag",
           "    --no-flag");
  help_ok = strncmp(help, "HEAD\n  -n, --num N ", 18) == 0 &&
            strstr(help, "a number (default 3)\n") && strstr(help, alias) &&
            strstr(help, no) && !strstr(help, "secret") &&
            strstr(help, "TAIL\n");
  list_ok =
      strncmp(list, "--num\t-n\tN\ta number (default 3)\n", 31) == 0 &&
      strstr(list, "\n--no-flag\t\t\toff\n") &&
      strstr(list,
             "\n--number\t-N\tN\tthe same as -n/--num (curl's name)\n") &&
      !strstr(list, "secret");
  free(help);
  free(list);
  CHECK(help_ok);
  CHECK(list_ok);
  return 0;
}

static const struct tap_case cases[] = {
  { "each kind's setter stores its value; defaults; aliases", kinds_set },
  { "each kind's setter refuses a bad value, naming it", kinds_refuse },
  { "exact long names, --no-NAME only where the row says", names },
  { "--help and --list-options lines; hidden rows in neither", texts },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
