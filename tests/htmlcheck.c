/* htmlcheck: do the one-pass scan (htmlscan.c) and libxml2's tree give the
 * same title and links? Runs extract_run() both ways over pages on disk
 * and reports every page where they differ: in what htmlscan_run() and
 * extract_html_tree() find (the title as it stands, <base href>, each
 * reference and its kind), and in the record's title and links with and
 * without --page-requisites.
 *
 *   htmlcheck [--charset CS] PATH...   files, or directories searched for
 *                                      *.html and *.htm; exit 1 on a
 *                                      difference
 *   htmlcheck                          make check: the fixtures (four
 *                                      ways), and the Python 3.11 and
 *                                      Berkeley DB documentation when
 *                                      installed; TAP
 *
 * Pages are read as served from http://127.0.0.1/ plus their path under
 * the directory given, with Content-Type text/html (and the charset). */
#include "config.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extract.h"
#include "htmlscan.h"
#include "util.h"

struct tally {
  size_t pages, differ, declined;
};

struct check {
  const char *charset; /* the Content-Type's, or NULL */
  bool tap;            /* differences as TAP comments */
  bool quick;          /* the record with --page-requisites only */
  struct tally t;
};

static char *slurp(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *p = NULL;
  size_t cap = 0, n = 0;

  if (!f)
    return NULL;
  for (;;) {
    size_t got;

    if (cap - n < 65536) {
      cap = cap ? 2 * cap : 65536;
      p = xrealloc(p, cap);
    }
    got = fread(p + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  fclose(f);
  *len = n;
  return p;
}

static void say(const struct check *c, const char *path, const char *what,
                const char *a, const char *b)
{
  printf("%s%s: %s differs\n%s  tree: %.300s\n%s  scan: %.300s\n",
         c->tap ? "# " : "", path, what, c->tap ? "# " : "", a ? a : "(none)",
         c->tap ? "# " : "", b ? b : "(none)");
}

static bool same(const char *a, const char *b)
{
  return a && b ? strcmp(a, b) == 0 : a == b;
}

/* The raw findings of both ways, HTMLSCAN_TITLE | LINKS | REQUISITES. */
static bool check_raw(struct check *c, const char *path, const char *body,
                      size_t len)
{
  struct htmlscan_result t, s;
  unsigned all = HTMLSCAN_TITLE | HTMLSCAN_LINKS | HTMLSCAN_REQUISITES;
  bool ok = true;
  size_t i;
  char what[64];

  if (htmlscan_run(body, len, c->charset, all, &s) < 0) {
    c->t.declined++;
    return true;
  }
  extract_html_tree(body, len, c->charset, all, &t);
  if (!same(t.title, s.title)) {
    say(c, path, "title", t.title, s.title);
    ok = false;
  }
  if (!same(t.base, s.base)) {
    say(c, path, "base href", t.base, s.base);
    ok = false;
  }
  for (i = 0; ok && i < t.nrefs && i < s.nrefs; i++) {
    if (t.refs[i].kind != s.refs[i].kind ||
        strcmp(t.refs[i].text, s.refs[i].text) != 0) {
      snprintf(what, sizeof(what), "reference %zu (kinds %d, %d)", i + 1,
               (int)t.refs[i].kind, (int)s.refs[i].kind);
      say(c, path, what, t.refs[i].text, s.refs[i].text);
      ok = false;
    }
  }
  if (ok && t.nrefs != s.nrefs) {
    snprintf(what, sizeof(what), "the number of references (%zu, %zu)",
             t.nrefs, s.nrefs);
    say(c, path, what, NULL, NULL);
    ok = false;
  }
  htmlscan_result_free(&t);
  htmlscan_result_free(&s);
  return ok;
}

/* The record's title and links, both ways, with "requisites" or not. */
static bool check_record(struct check *c, const char *path, const char *url,
                         const char *body, size_t len, bool requisites)
{
  struct extract_spec spec;
  struct extract_result t, s;
  char ct[96];
  bool ok = true;
  size_t i;

  snprintf(ct, sizeof(ct), "text/html%s%s", c->charset ? "; charset=" : "",
           c->charset ? c->charset : "");
  extract_spec_init(&spec);
  spec.title = spec.links = true;
  spec.requisites = requisites;
  spec.html = EXTRACT_HTML_TREE;
  (void)extract_run(&spec, body, len, ct, url, &t);
  spec.html = EXTRACT_HTML_AUTO;
  (void)extract_run(&spec, body, len, ct, url, &s);
  if (!same(t.title, s.title)) {
    say(c, path, "record title", t.title, s.title);
    ok = false;
  }
  for (i = 0; ok && i < t.nlinks && i < s.nlinks; i++) {
    if (strcmp(t.links[i], s.links[i]) != 0) {
      say(c, path, requisites ? "a link (requisites)" : "a link", t.links[i],
          s.links[i]);
      ok = false;
    }
  }
  if (ok && t.nlinks != s.nlinks) {
    say(c, path, "the number of links", NULL, NULL);
    ok = false;
  }
  extract_result_free(&t);
  extract_result_free(&s);
  extract_spec_free(&spec);
  return ok;
}

static void check_file(struct check *c, const char *path, const char *rel)
{
  size_t len = 0;
  char *body = slurp(path, &len);
  char url[4096];
  bool ok;

  if (!body) {
    printf("%s%s: cannot read\n", c->tap ? "# " : "", path);
    c->t.differ++;
    return;
  }
  snprintf(url, sizeof(url), "http://127.0.0.1/%s", rel);
  c->t.pages++;
  ok = check_raw(c, path, body, len);
  if (!c->quick)
    ok &= check_record(c, path, url, body, len, false);
  ok &= check_record(c, path, url, body, len, true);
  if (!ok)
    c->t.differ++;
  free(body);
}

static bool is_page(const char *name)
{
  size_t n = strlen(name);

  return (n > 5 && strcmp(name + n - 5, ".html") == 0) ||
         (n > 4 && strcmp(name + n - 4, ".htm") == 0);
}

static int name_cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "path", a file or a directory searched in name order; "rel" is its
 * path under the directory given first. */
static void check_path(struct check *c, const char *path, const char *rel)
{
  struct stat st;
  DIR *d;
  struct dirent *e;
  char **names = NULL;
  size_t n = 0, i;

  if (stat(path, &st) < 0) {
    printf("%s%s: not found\n", c->tap ? "# " : "", path);
    c->t.differ++;
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    check_file(c, path, rel);
    return;
  }
  d = opendir(path);
  if (!d)
    return;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    names = xrealloc(names, (n + 1) * sizeof(*names));
    names[n++] = xstrdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof(*names), name_cmp);
  for (i = 0; i < n; i++) {
    char sub[4096], subrel[4096];

    snprintf(sub, sizeof(sub), "%s/%s", path, names[i]);
    snprintf(subrel, sizeof(subrel), "%s%s%s", rel, *rel ? "/" : "", names[i]);
    if (stat(sub, &st) == 0 && (S_ISDIR(st.st_mode) || is_page(names[i])))
      check_path(c, sub, subrel);
    free(names[i]);
  }
  free(names);
}

/* make check: one TAP line per set of pages and charset. */
static int run_tap(void)
{
  const char *srcdir = getenv("VOLLEY_SRCDIR");
  static const char *const docs[] = { "/usr/share/doc/python3.11/html",
                                      "/usr/share/doc/db5.3-doc" };
  static const char *const charsets[] = { NULL, "utf-8", "iso-8859-1",
                                          "windows-1252" };
  char fixtures[4096];
  int n = 0, failed = 0;
  size_t i;

  snprintf(fixtures, sizeof(fixtures), "%s/tests/fixtures",
           srcdir ? srcdir : ".");
  printf("1..%zu\n", sizeof(charsets) / sizeof(charsets[0]) +
                         sizeof(docs) / sizeof(docs[0]));
  for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++) {
    struct check c = { charsets[i], true, false, { 0, 0, 0 } };

    check_path(&c, fixtures, "");
    failed += c.t.differ || c.t.pages == 0;
    printf("%s %d - fixtures, charset %s: %zu pages, %zu differ, %zu left "
           "to the tree\n",
           c.t.differ || c.t.pages == 0 ? "not ok" : "ok", ++n,
           charsets[i] ? charsets[i] : "none", c.t.pages, c.t.differ,
           c.t.declined);
  }
  for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
    /* Thousands of pages: without the record that only drops links. */
    struct check c = { NULL, true, true, { 0, 0, 0 } };
    struct stat st;

    if (stat(docs[i], &st) < 0) {
      printf("ok %d - %s # SKIP not installed\n", ++n, docs[i]);
      continue;
    }
    check_path(&c, docs[i], "");
    failed += c.t.differ > 0;
    printf("%s %d - %s: %zu pages, %zu differ, %zu left to the tree\n",
           c.t.differ ? "not ok" : "ok", ++n, docs[i], c.t.pages, c.t.differ,
           c.t.declined);
  }
  return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
  struct check c = { NULL, false, false, { 0, 0, 0 } };
  int i = 1;

  if (argc == 1)
    return run_tap();
  if (argc > 2 && strcmp(argv[1], "--charset") == 0) {
    c.charset = argv[2];
    i = 3;
  }
  for (; i < argc; i++)
    check_path(&c, argv[i], "");
  printf("%zu pages, %zu differ, %zu left to the tree\n", c.t.pages,
         c.t.differ, c.t.declined);
  return c.t.differ ? 1 : 0;
}
