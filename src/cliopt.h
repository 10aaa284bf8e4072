/* The option row of cli.c's table, after nginx's ngx_command_t, with what
 * is the same for every table: the setters of the common kinds of value
 * (as ngx_conf_set_*_slot), getopt_long's names and the messages for an
 * unknown option, and the --help and --list-options texts. Pure. */
#ifndef VOLLEY_CLIOPT_H
#define VOLLEY_CLIOPT_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct cliopt;

/* Check "arg" for option "o" and store it in "conf" at o->off. "o" is
 * named in messages as typed (o->name is an alias's name when it came by
 * one). For an option without a value, "arg" is NULL for --NAME and a
 * number as text for --no-NAME ("0") and for the row's default. Returns
 * 0, or -1 with "err" filled: "--NAME: 'VALUE' is not ...". */
typedef int cliopt_set_fn(void *conf, const struct cliopt *o, const char *arg,
                          char err[VL_ERRLEN]);

/* Row flags. */
#define CLIOPT_LINE     1u /* goes on the wire: no CR or LF */
#define CLIOPT_EMPTY_OK 2u /* the value may be empty */
#define CLIOPT_HIDDEN   4u /* not in --help or --list-options */

struct cliopt {
  const char *name;         /* long name, without "--" */
  char letter;              /* short option, 0 if none */
  const char *arg;          /* the value's name in --help; NULL: none */
  cliopt_set_fn *set;       /* NULL: "value" is what the parser returns */
  size_t off;               /* offsetof the field "set" writes */
  size_t count_off;         /* cliopt_set_list: offsetof the count */
  uint64_t min, max;        /* cliopt_set_uint, _u64: the range;
                               _seconds, _size: min 1 refuses 0 */
  int value;                /* cliopt_set_int: what --NAME stores */
  const char *const *words; /* cliopt_set_enum, _word: NULL-terminated */
  unsigned flags;           /* CLIOPT_* above */
  const char *deflt;        /* given to "set" before parsing; shown in
                               --help when the option takes a value */
  const char *help;         /* one line */
  const char *no_help;      /* not NULL: --no-NAME exists and stores 0
                               (false); its help line */
  const char *alias;        /* another long name (curl's), or NULL */
  char alias_letter;        /* another short option, or 0 */
};

/* Fill "err" from "fmt", each control byte and DEL written as an escape
 * (\n, \t, \r, \xHH): the message stays one line whatever a value holds,
 * and cannot drive the terminal. */
void cliopt_err(char err[VL_ERRLEN], const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The checks every text value gets: not empty (unless CLIOPT_EMPTY_OK),
 * no CR or LF with CLIOPT_LINE. Returns 0 or -1 with "err" filled. */
int cliopt_check_text(const struct cliopt *o, const char *arg,
                      char err[VL_ERRLEN]);

/* The setters of the common kinds. Each writes the field at o->off, of
 * the type named, and only when "arg" is valid:
 *   _uint     unsigned, a whole number from o->min to o->max
 *   _u64      uint64_t, the same
 *   _seconds  uint64_t milliseconds from decimal seconds
 *   _size     uint64_t bytes, K/M/G suffixes
 *   _str      const char *, "arg" itself (checked text)
 *   _list     "arg" appended to a const char ** array grown with
 *             xrealloc(), its size_t count at o->count_off
 *   _flag     bool: true, or the number "arg" is (for --no-NAME)
 *   _int      int (or enum): o->value, or the number "arg" is
 *   _count    int: one more each time
 *   _enum     int (or enum): the index of "arg" in o->words
 *   _word     const char *: the o->words entry "arg" is, in any case */
cliopt_set_fn cliopt_set_uint, cliopt_set_u64, cliopt_set_seconds,
    cliopt_set_size, cliopt_set_str, cliopt_set_list, cliopt_set_flag,
    cliopt_set_int, cliopt_set_count, cliopt_set_enum, cliopt_set_word;

/* Which of a row's names an option came by. */
enum cliopt_name { CLIOPT_OWN, CLIOPT_NO, CLIOPT_ALIAS };

/* getopt_long's view of a table: every long name (each row's own, then
 * its "no-" one, then the aliases) and the short letters. Owns all but
 * the rows. */
struct cliopt_names {
  const struct cliopt *rows;
  size_t nrows;
  struct option *longopts; /* "n" names and a zeroed end */
  const char **all;        /* the same names, for suggestions */
  char **no;               /* per row: "no-NAME", or NULL */
  size_t n;
  char *shortopts;
};

/* Fill "nm" for the "nrows" "rows" (borrowed; they outlive "nm").
 * Release with cliopt_names_free(). */
void cliopt_names_init(struct cliopt_names *nm, const struct cliopt *rows,
                       size_t nrows);

void cliopt_names_free(struct cliopt_names *nm);

/* Read the next option of "argv" (getopt_long's state: set optind to 0
 * before the first call). Returns 1 with "*o" its row, "*which" the name
 * it came by and "*arg" its value (NULL for none); 0 at the end of the
 * options (optind is then the first operand); -1 on an unknown option or
 * a missing or extra value, with "err" filled. Only exact long names are
 * taken, not getopt_long's prefixes. */
int cliopt_next(const struct cliopt_names *nm, int argc, char **argv,
                const struct cliopt **o, enum cliopt_name *which,
                const char **arg, char err[VL_ERRLEN]);

/* The option lines of --help ("list" false: "-l, --name ARG  help",
 * wrapped at 79 columns) or of --list-options ("list" true: one line per
 * name, "--NAME", "-L" or "", ARG or "", the help, separated by tabs),
 * between "head" and "tail". A row's default shows as "(default X)";
 * --no-NAME and the alias follow their row. Caller frees. */
char *cliopt_text(const struct cliopt *rows, size_t nrows, bool list,
                  const char *head, const char *tail);

#endif
