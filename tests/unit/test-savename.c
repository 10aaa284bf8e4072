/* Unit tests of savename.c: the template check, the sanitised expansion
 * and the -N suffix for a second file of the same name. One row per
 * case. */
#include "config.h"

#include <string.h>

#include "savename.h"
#include "tap.h"

static int expand(const char *tmpl, const char *id, const char *ct,
                  const char *want, char *why)
{
  struct savename_facts f = { id, "example.com", "http://example.com/", ct };
  char out[256];

  savename_expand(tmpl, &f, out, sizeof(out));
  CHECK_STREQ(out, want);
  return 0;
}

static int expand_sanitises(char *why)
{
  CHECK_OK(expand("{id}{ext}", "a/b", "text/plain", "a_b.txt", why));
  CHECK_OK(expand("{id}{ext}", "a_b", "text/plain", "a_b.txt", why));
  CHECK_OK(expand("{id}{ext}", "..", NULL, "_..bin", why));
  CHECK_OK(expand("../{id}", "x", NULL, "_._x", why));
  CHECK_OK(expand("{id}", "", NULL, "_", why));
  return 0;
}

static int check_needs_a_variable(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(savename_check("{id}{ext}", err), 0);
  CHECK_INT(savename_check("{ext}", err), -1);
  CHECK_HAS(err, "--save-name");
  CHECK_INT(savename_check("{nope}", err), -1);
  CHECK_HAS(err, "unknown variable");
  return 0;
}

static int number(const char *name, unsigned n, const char *want, char *why)
{
  char out[300];

  savename_number(name, n, out, sizeof(out));
  CHECK_STREQ(out, want);
  return 0;
}

static int number_before_extension(char *why)
{
  CHECK_OK(number("a_b.txt", 2, "a_b-2.txt", why));
  CHECK_OK(number("a_b.txt", 10, "a_b-10.txt", why));
  CHECK_OK(number("x.tar.gz", 3, "x.tar-3.gz", why));
  CHECK_OK(number("noext", 2, "noext-2", why));
  /* A leading dot starts no extension (names never start with one). */
  CHECK_OK(number(".bin", 2, ".bin-2", why));
  CHECK_OK(number("a-2.json", 2, "a-2-2.json", why));
  return 0;
}

static int number_keeps_long_names(char *why)
{
  char name[201], want[220], out[300];

  memset(name, 'L', 195);
  memcpy(name + 195, ".html", 6);
  memset(want, 'L', 195);
  memcpy(want + 195, "-4294967295.html", 17);
  savename_number(name, 4294967295U, out, sizeof(out));
  CHECK_STREQ(out, want);
  return 0;
}

static const struct tap_case cases[] = {
  { "expand: / becomes _, so a/b and a_b meet", expand_sanitises },
  { "check: a variable besides {ext} is needed", check_needs_a_variable },
  { "number: -N before the extension", number_before_extension },
  { "number: a 200-byte name keeps its extension", number_keeps_long_names },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
