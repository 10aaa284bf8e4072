/* What is the same for every option table: the setters of the common
 * kinds of value, getopt_long's names and the messages for an unknown
 * option, and the --help and --list-options texts. Knows no option and
 * no config field: cli.c's rows say which. Prints nothing. */
#include "config.h"

#include "cliopt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "optname.h"

/* getopt_long's "val" for a name without a letter: VAL_BASE + row * 4 +
 * which of the row's names it is. */
#define VAL_BASE 256

/* Width of the option column of --help. */
#define HELP_LEFT 26

void cliopt_err(char err[VL_ERRLEN], const char *fmt, ...)
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

static void *field(void *conf, const struct cliopt *o)
{
  return (char *)conf + o->off;
}

int cliopt_check_text(const struct cliopt *o, const char *arg,
                      char err[VL_ERRLEN])
{
  /* A CR or LF would end the header or request line early and start one
   * of the sender's choosing (request smuggling): the JSON input refuses
   * them in headers too. */
  if ((o->flags & CLIOPT_LINE) && strpbrk(arg, "\r\n")) {
    cliopt_err(err, "--%s: the value must not contain a CR or LF", o->name);
    return -1;
  }
  if (!*arg && !(o->flags & CLIOPT_EMPTY_OK)) {
    cliopt_err(err, "--%s: the value must not be empty", o->name);
    return -1;
  }
  return 0;
}

static int parse_uint(const struct cliopt *o, const char *arg, uint64_t *v,
                      char err[VL_ERRLEN])
{
  if (util_parse_uint(arg, o->min, o->max, v) == 0)
    return 0;
  cliopt_err(err, "--%s: '%s' is not a whole number from %llu to %llu",
             o->name, arg, (unsigned long long)o->min,
             (unsigned long long)o->max);
  return -1;
}

int cliopt_set_uint(void *conf, const struct cliopt *o, const char *arg,
                    char err[VL_ERRLEN])
{
  uint64_t v;

  if (parse_uint(o, arg, &v, err) < 0)
    return -1;
  *(unsigned *)field(conf, o) = (unsigned)v; /* o->max fits an unsigned */
  return 0;
}

int cliopt_set_u64(void *conf, const struct cliopt *o, const char *arg,
                   char err[VL_ERRLEN])
{
  uint64_t v;

  if (parse_uint(o, arg, &v, err) < 0)
    return -1;
  *(uint64_t *)field(conf, o) = v;
  return 0;
}

int cliopt_set_seconds(void *conf, const struct cliopt *o, const char *arg,
                       char err[VL_ERRLEN])
{
  uint64_t v;

  if (util_parse_seconds(arg, &v) < 0) {
    cliopt_err(err, "--%s: '%s' is not a number of seconds", o->name, arg);
    return -1;
  }
  if (v < o->min) {
    cliopt_err(err, "--%s: '%s' must be more than 0 seconds", o->name, arg);
    return -1;
  }
  *(uint64_t *)field(conf, o) = v;
  return 0;
}

int cliopt_set_size(void *conf, const struct cliopt *o, const char *arg,
                    char err[VL_ERRLEN])
{
  uint64_t v;

  if (util_parse_size(arg, &v) < 0) {
    cliopt_err(err, "--%s: '%s' is not a size in bytes (K, M, G suffixes)",
               o->name, arg);
    return -1;
  }
  if (v < o->min) {
    cliopt_err(err, "--%s: '%s' must be at least 1 byte", o->name, arg);
    return -1;
  }
  *(uint64_t *)field(conf, o) = v;
  return 0;
}

int cliopt_set_str(void *conf, const struct cliopt *o, const char *arg,
                   char err[VL_ERRLEN])
{
  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  *(const char **)field(conf, o) = arg;
  return 0;
}

int cliopt_set_list(void *conf, const struct cliopt *o, const char *arg,
                    char err[VL_ERRLEN])
{
  const char ***list = field(conf, o);
  size_t *n = (size_t *)((char *)conf + o->count_off);

  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  *list = xrealloc(*list, (*n + 1) * sizeof(**list));
  (*list)[(*n)++] = arg;
  return 0;
}

int cliopt_set_flag(void *conf, const struct cliopt *o, const char *arg,
                    char err[VL_ERRLEN])
{
  (void)err;
  *(bool *)field(conf, o) = !arg || strtol(arg, NULL, 10) != 0;
  return 0;
}

int cliopt_set_int(void *conf, const struct cliopt *o, const char *arg,
                   char err[VL_ERRLEN])
{
  (void)err;
  *(int *)field(conf, o) = arg ? (int)strtol(arg, NULL, 10) : o->value;
  return 0;
}

int cliopt_set_count(void *conf, const struct cliopt *o, const char *arg,
                     char err[VL_ERRLEN])
{
  (void)arg;
  (void)err;
  (*(int *)field(conf, o))++;
  return 0;
}

/* The index of "arg" in o->words, or -1 with "err" listing them. */
static int find_word(const struct cliopt *o, const char *arg, bool nocase,
                     char err[VL_ERRLEN])
{
  char list[128] = "";
  size_t i, used;

  if (cliopt_check_text(o, arg, err) < 0)
    return -1;
  for (i = 0; o->words[i]; i++)
    if ((nocase ? strcasecmp : strcmp)(arg, o->words[i]) == 0)
      return (int)i;
  for (i = 0; o->words[i]; i++) {
    used = strlen(list);
    snprintf(list + used, sizeof(list) - used, "%s%s",
             i == 0            ? ""
             : o->words[i + 1] ? ", "
                               : " or ",
             o->words[i]);
  }
  cliopt_err(err, "--%s: '%s' is not %s", o->name, arg, list);
  return -1;
}

int cliopt_set_enum(void *conf, const struct cliopt *o, const char *arg,
                    char err[VL_ERRLEN])
{
  int i = find_word(o, arg, false, err);

  if (i < 0)
    return -1;
  *(int *)field(conf, o) = i;
  return 0;
}

int cliopt_set_word(void *conf, const struct cliopt *o, const char *arg,
                    char err[VL_ERRLEN])
{
  int i = find_word(o, arg, true, err);

  if (i < 0)
    return -1;
  *(const char **)field(conf, o) = o->words[i];
  return 0;
}

/* The row getopt_long's "val" stands for, and in "*which" by which of
 * its names it came; NULL for none. */
static const struct cliopt *find_val(const struct cliopt_names *nm, int val,
                                     enum cliopt_name *which)
{
  size_t i;

  if (val >= VAL_BASE && (size_t)(val - VAL_BASE) / 4 < nm->nrows) {
    *which = (enum cliopt_name)((val - VAL_BASE) % 4);
    return &nm->rows[(val - VAL_BASE) / 4];
  }
  for (i = 0; i < nm->nrows; i++) {
    *which = nm->rows[i].letter == val ? CLIOPT_OWN : CLIOPT_ALIAS;
    if (nm->rows[i].letter == val || nm->rows[i].alias_letter == val)
      return &nm->rows[i];
  }
  return NULL;
}

static void add_name(struct cliopt_names *nm, const char *name, bool has_arg,
                     int val)
{
  struct option *lo = &nm->longopts[nm->n];

  lo->name = name;
  lo->has_arg = has_arg ? required_argument : no_argument;
  lo->flag = NULL;
  lo->val = val;
  nm->all[nm->n++] = name;
}

static void add_letter(struct cliopt_names *nm, size_t *ns, char letter,
                       bool has_arg)
{
  if (!letter)
    return;
  nm->shortopts[(*ns)++] = letter;
  if (has_arg)
    nm->shortopts[(*ns)++] = ':';
}

void cliopt_names_init(struct cliopt_names *nm, const struct cliopt *rows,
                       size_t nrows)
{
  size_t i, ns = 0;

  nm->rows = rows;
  nm->nrows = nrows;
  nm->n = 0;
  nm->longopts = xcalloc(nrows * 3 + 1, sizeof(*nm->longopts));
  nm->all = xcalloc(nrows * 3, sizeof(*nm->all));
  nm->no = xcalloc(nrows, sizeof(*nm->no));
  nm->shortopts = xcalloc(nrows * 4 + 2, 1);
  /* The leading ':' makes getopt report a missing argument as ':'. No
   * '+': URLs may come before options, as in curl. */
  nm->shortopts[ns++] = ':';
  for (i = 0; i < nrows; i++) {
    const struct cliopt *o = &rows[i];
    int val = VAL_BASE + (int)i * 4;

    add_name(nm, o->name, o->arg, o->letter ? o->letter : val + CLIOPT_OWN);
    add_letter(nm, &ns, o->letter, o->arg);
    if (o->no_help) {
      nm->no[i] = xmalloc(strlen(o->name) + 4);
      snprintf(nm->no[i], strlen(o->name) + 4, "no-%s", o->name);
      add_name(nm, nm->no[i], false, val + CLIOPT_NO);
    }
  }
  /* Aliases last: suggestions name an option's own name first. */
  for (i = 0; i < nrows; i++) {
    const struct cliopt *o = &rows[i];
    int val = VAL_BASE + (int)i * 4 + CLIOPT_ALIAS;

    if (o->alias)
      add_name(nm, o->alias, o->arg, o->alias_letter ? o->alias_letter : val);
    add_letter(nm, &ns, o->alias_letter, o->arg);
  }
}

void cliopt_names_free(struct cliopt_names *nm)
{
  size_t i;

  for (i = 0; nm->no && i < nm->nrows; i++)
    free(nm->no[i]);
  free(nm->no);
  free(nm->longopts);
  free(nm->all);
  free(nm->shortopts);
  memset(nm, 0, sizeof(*nm));
}

/* Whether the "len" bytes of "name" are exactly a long name. */
static bool known_long(const struct cliopt_names *nm, const char *name,
                       size_t len)
{
  size_t i;

  for (i = 0; i < nm->n; i++)
    if (strlen(nm->all[i]) == len && strncmp(nm->all[i], name, len) == 0)
      return true;
  return false;
}

/* Fill "err" for the unknown long option "word" ("--name", "len" bytes,
 * no "=value"): what volley calls it, or the names it may have meant. */
static void unknown_long(const struct cliopt_names *nm, const char *word,
                         size_t len, char err[VL_ERRLEN])
{
  const char *hint = optname_foreign(word, len);
  char names[160] = "";

  if (hint) {
    cliopt_err(err, "unknown option '%.*s': %s", (int)len, word, hint);
    return;
  }
  if (len > 2 && strncmp(word, "--", 2) == 0)
    optname_suggest(word + 2, len - 2, nm->all, nm->n, names, sizeof(names));
  if (names[0])
    cliopt_err(err, "unknown option '%.*s'; did you mean %s?", (int)len, word,
               names);
  else
    cliopt_err(err, "unknown option '%.*s'", (int)len, word);
}

/* Fill "err" after getopt_long returned '?' or ':' ("c") for the
 * element at "optind". For a long option that is argv[optind - 1]; an
 * unknown short letter may sit inside an element getopt has not left
 * ("-np"), which then is argv[optind]. */
static void usage_error(const struct cliopt_names *nm, int c, int argc,
                        char **argv, char err[VL_ERRLEN])
{
  const char *w = argv[optind - 1], *hint;
  enum cliopt_name which;
  size_t n;
  /* optopt is an unknown letter for an unknown short option (negative
   * for a byte past 0x7f: glibc's char is signed); for a long option it
   * is 0 or the option's val (for "--quiet=1", 'q'). */
  bool is_short = c == '?' && optopt != 0 && optopt < VAL_BASE &&
                  !find_val(nm, optopt, &which);

  if (c == ':' && strncmp(w, "--", 2) != 0) {
    cliopt_err(err, "option '%s' needs a value", w);
    return;
  }
  if (is_short) {
    char letter[3] = { '-', (char)optopt, '\0' };

    if (optind < argc && argv[optind][0] == '-' && argv[optind][1] == optopt &&
        argv[optind][2])
      w = argv[optind];
    else if (!(w[0] == '-' && w[1] == optopt))
      w = NULL;
    hint = w ? optname_foreign(w, strlen(w)) : NULL;
    if (hint) {
      cliopt_err(err, "unknown option '%s': %s", w, hint);
      return;
    }
    hint = optname_foreign(letter, 2);
    cliopt_err(err, "unknown option '-%c'%s%s", optopt, hint ? ": " : "",
               hint ? hint : "");
    return;
  }
  n = strcspn(w, "=");
  if (strncmp(w, "--", 2) != 0 || !known_long(nm, w + 2, n - 2)) {
    unknown_long(nm, w, n, err);
    return;
  }
  if (c == ':')
    cliopt_err(err, "option '%s' needs a value", w);
  else
    cliopt_err(err, "option '%.*s' takes no value", (int)n, w);
}

int cliopt_next(const struct cliopt_names *nm, int argc, char **argv,
                const struct cliopt **o, enum cliopt_name *which,
                const char **arg, char err[VL_ERRLEN])
{
  int c, li = -1;

  optarg = NULL;
  opterr = 0;
  c = getopt_long(argc, argv, nm->shortopts, nm->longopts, &li);
  if (c == -1)
    return 0;
  if (c == '?' || c == ':') {
    usage_error(nm, c, argc, argv, err);
    return -1;
  }
  if (li >= 0) {
    /* getopt_long takes any unambiguous prefix ("--user" for
     * --user-agent): only the exact name is an option here. The element
     * is the one before a separate value. */
    const char *w = argv[optind - 1];
    size_t n;

    if (optarg && optarg == w && optind >= 2)
      w = argv[optind - 2];
    n = strcspn(w, "=");
    if (n - 2 != strlen(nm->longopts[li].name) ||
        strncmp(w + 2, nm->longopts[li].name, n - 2) != 0) {
      unknown_long(nm, w, n, err);
      return -1;
    }
  }
  *o = find_val(nm, c, which);
  if (!*o) {
    cliopt_err(err, "unknown option"); /* getopt gave a val not given */
    return -1;
  }
  *arg = optarg;
  return 1;
}

/* A growing string for the texts. */
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

/* One name's lines of --help: "-l, --name ARG" and "text" wrapped at 79
 * columns under itself. */
static void help_row(struct strbuf *sb, char letter, const char *name,
                     const char *arg, const char *text)
{
  char left[64];
  const char *p;
  size_t col;

  snprintf(left, sizeof(left), "%c%c%s--%s%s%s", letter ? '-' : ' ',
           letter ? letter : ' ', letter ? ", " : "  ", name, arg ? " " : "",
           arg ? arg : "");
  if (strlen(left) > HELP_LEFT)
    sb_printf(sb, "  %s\n  %-*s", left, HELP_LEFT, "");
  else
    sb_printf(sb, "  %-*s", HELP_LEFT, left);
  col = HELP_LEFT + 2;
  for (p = text; *p;) {
    size_t word = strcspn(p, " ");

    if (col > HELP_LEFT + 4 && col + 1 + word > 79) {
      sb_printf(sb, "\n  %-*s", HELP_LEFT, "");
      col = HELP_LEFT + 2;
    }
    /* One space between words, two after the option column. */
    sb_printf(sb, "%s%.*s", col > HELP_LEFT + 2 ? " " : "  ", (int)word, p);
    col += (col > HELP_LEFT + 2 ? 1 : 2) + word;
    p += word;
    while (*p == ' ')
      p++;
  }
  sb_printf(sb, "\n");
}

/* The line of --help, or of --list-options ("list"), for one name. */
static void name_line(struct strbuf *sb, bool list, char letter,
                      const char *name, const char *arg, const char *text)
{
  char shortname[3] = { '-', letter, '\0' };

  if (list)
    sb_printf(sb, "--%s\t%s\t%s\t%s\n", name, letter ? shortname : "",
              arg ? arg : "", text);
  else
    help_row(sb, letter, name, arg, text);
}

char *cliopt_text(const struct cliopt *rows, size_t nrows, bool list,
                  const char *head, const char *tail)
{
  struct strbuf sb = { xmalloc(4096), 0, 4096 };
  size_t i;

  sb_printf(&sb, "%s", head);
  for (i = 0; i < nrows; i++) {
    const struct cliopt *o = &rows[i];
    char text[256], no[64], shortname[4] = { '-', o->letter, '/', '\0' };

    if (o->flags & CLIOPT_HIDDEN)
      continue;
    if (o->deflt && o->arg)
      snprintf(text, sizeof(text), "%s (default %s)", o->help, o->deflt);
    else
      snprintf(text, sizeof(text), "%s", o->help);
    name_line(&sb, list, o->letter, o->name, o->arg, text);
    if (o->no_help) {
      snprintf(no, sizeof(no), "no-%s", o->name);
      name_line(&sb, list, 0, no, NULL, o->no_help);
    }
    if (o->alias) {
      snprintf(text, sizeof(text), "the same as %s--%s (curl's name)",
               o->letter ? shortname : "", o->name);
      name_line(&sb, list, o->alias_letter, o->alias, o->arg, text);
    }
  }
  sb_printf(&sb, "%s", tail);
  return sb.p;
}
