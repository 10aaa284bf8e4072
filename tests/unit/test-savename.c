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
  char out[SAVENAME_MAX + 1];

  savename_expand(tmpl, &f, out, sizeof(out));
  CHECK_STREQ(out, want);
  return 0;
}

static int expand_sanitises(char *why)
{
  CHECK_OK(expand("{id}{ext}", "a/b", "text/plain", "a_b.txt", why));
  CHECK_OK(expand("{id}{ext}", "a_b", "text/plain", "a_b.txt", why));
  CHECK_OK(expand("{id}{ext}", "..", NULL, "_..bin", why));
  CHECK_OK(expand("../{id}", "x", NULL, "_./x", why));
  CHECK_OK(expand("{id}", "", NULL, "_", why));
  /* The template's '/' separate directories; empty components go. */
  CHECK_OK(expand("/{host}//{id}{ext}", "7", "text/html", "example.com/7.html",
                  why));
  CHECK_OK(expand("./{id}", "7", NULL, "_/7", why));
  CHECK_OK(expand("{id}/", "7", NULL, "7/_", why));
  return 0;
}

/* {path} of "url" under "tmpl", expected "want". */
static int path(const char *tmpl, const char *url, const char *want, char *why)
{
  struct savename_facts f = { "1", "example.com", url, "text/html" };
  char out[SAVENAME_MAX + 1];

  savename_expand(tmpl, &f, out, sizeof(out));
  CHECK_STREQ(out, want);
  return 0;
}

/* {path}: a browsable tree as wget's, every component sanitised, never
 * a way out of the directory. */
static int expand_path(char *why)
{
  CHECK_OK(path("{host}/{path}", "https://example.com/docs/a/b.html",
                "example.com/docs/a/b.html", why));
  /* A directory URL is its index.html. */
  CHECK_OK(path("{host}/{path}", "https://example.com",
                "example.com/index.html", why));
  CHECK_OK(path("{host}/{path}", "https://example.com/",
                "example.com/index.html", why));
  CHECK_OK(path("{path}", "http://e.x/docs/", "docs/index.html", why));
  CHECK_OK(path("{path}", "http://e.x:8080/docs/.", "docs/index.html", why));
  /* Dot segments resolve, never above the top; no component is ".."
   * or starts with a dot; %, spaces and the like become '_'. */
  CHECK_OK(
      path("{path}", "http://e.x/a/../../../etc/passwd", "etc/passwd", why));
  CHECK_OK(path("{path}", "http://e.x/a/./b/..", "a/index.html", why));
  CHECK_OK(path("{path}", "http://e.x/.git/config", "_git/config", why));
  CHECK_OK(path("{path}", "http://e.x/a%2F..%2Fb/c d", "a_2F.._2Fb/c_d", why));
  CHECK_OK(path("{path}", "http://e.x//a///b", "a/b", why));
  /* The query is kept on the last component, the fragment dropped. */
  CHECK_OK(path("{path}", "http://e.x/s?q=a/b#top", "s_q_a_b", why));
  CHECK_OK(path("{path}", "http://e.x/?p=2", "index.html_p_2", why));
  CHECK_OK(path("{path}", "http://e.x/a#x/y", "a", why));
  CHECK_OK(path("{id}-{path}", "http://e.x/a/b", "1-/a/b", why));
  return 0;
}

/* Bounds: a component at most SAVENAME_PART_MAX bytes, the whole at most
 * SAVENAME_MAX, a deep path at most 64 components. */
static int expand_path_bounded(char *why)
{
  struct savename_facts f = { "1", "h", NULL, NULL };
  static char url[20000], out[SAVENAME_MAX + 64];
  const char *p, *q;
  size_t i, n = 0;

  memcpy(url, "http://h/", 9);
  memset(url + 9, 'a', 500);
  url[509] = '\0';
  f.url = url;
  savename_expand("{path}", &f, out, sizeof(out));
  CHECK_UINT(strlen(out), SAVENAME_PART_MAX);
  for (i = 0; i < 3000; i++)
    memcpy(url + 8 + 2 * i, "/b", 2);
  url[8 + 2 * 3000] = '\0';
  savename_expand("{path}", &f, out, sizeof(out));
  CHECK(strlen(out) <= SAVENAME_MAX);
  for (p = out; (q = strchr(p, '/')); p = q + 1)
    n++;
  CHECK(n < 64);
  return 0;
}

static int check_needs_a_variable(char *why)
{
  char err[VL_ERRLEN];

  CHECK_INT(savename_check("{id}{ext}", err), 0);
  CHECK_INT(savename_check("{host}/{path}", err), 0);
  CHECK_INT(savename_check("{path}", err), 0);
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
  /* In a directory: the last component's extension only. */
  CHECK_OK(number("d.x/a", 2, "d.x/a-2", why));
  CHECK_OK(number("d/a.html", 2, "d/a-2.html", why));
  CHECK_OK(number("d/.b", 2, "d/.b-2", why));
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
  { "expand: {path} builds a tree, sanitised, inside", expand_path },
  { "expand: components and the whole name bounded", expand_path_bounded },
  { "check: a variable besides {ext} is needed", check_needs_a_variable },
  { "number: -N before the extension", number_before_extension },
  { "number: a 200-byte name keeps its extension", number_keeps_long_names },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
