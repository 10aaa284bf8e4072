/* Fuzzes the one-pass HTML scan (htmlscan.c, with html4.c's tables and
 * cssscan.c for --page-requisites) with libxml2's tree as the oracle:
 * whenever htmlscan_run() does not decline, it must find what
 * extract_html_tree() finds in the same bytes (title, <base href>, every
 * reference and its kind), whatever the bytes; asked for the title alone
 * it must give the same title. The first input byte picks the
 * Content-Type charset (none, utf-8, iso-8859-1, windows-1252); the rest
 * is the body, each NUL byte made '<' (the scan declines bodies with NUL
 * bytes, which would leave most mutations unchecked). The stylesheet
 * scan has a harness of its own (fuzz-cssscan.c). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "fuzz.h"
#include "htmlscan.h"

static bool same(const char *a, const char *b)
{
  return a && b ? strcmp(a, b) == 0 : a == b;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  struct extract_spec spec;

  (void)argc;
  (void)argv;
  extract_spec_init(&spec); /* libxml2's one-time set-up */
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static const char *const charsets[] = { NULL, "utf-8", "iso-8859-1",
                                          "windows-1252" };
  const unsigned all = HTMLSCAN_TITLE | HTMLSCAN_LINKS | HTMLSCAN_REQUISITES;
  struct htmlscan_result s, t;
  const char *charset;
  char *body;
  size_t len, i;

  if (size < 1)
    return 0;
  charset = charsets[data[0] & 3];
  len = size - 1;
  body = malloc(len + 1);
  FUZZ_CHECK(body, "out of memory");
  memcpy(body, data + 1, len);
  for (i = 0; i < len; i++)
    if (body[i] == '\0')
      body[i] = '<';

  if (htmlscan_run(body, len, charset, all, &s) == 0) {
    extract_html_tree(body, len, charset, all, &t);
    FUZZ_CHECK(same(s.title, t.title), "title '%s', the tree's '%s'",
               s.title ? s.title : "(none)", t.title ? t.title : "(none)");
    FUZZ_CHECK(same(s.base, t.base), "base '%s', the tree's '%s'",
               s.base ? s.base : "(none)", t.base ? t.base : "(none)");
    FUZZ_CHECK(s.nrefs == t.nrefs, "%zu references, the tree's %zu", s.nrefs,
               t.nrefs);
    for (i = 0; i < s.nrefs; i++)
      FUZZ_CHECK(s.refs[i].kind == t.refs[i].kind &&
                     strcmp(s.refs[i].text, t.refs[i].text) == 0,
                 "reference %zu: '%s' (kind %d), the tree's '%s' (kind %d)", i,
                 s.refs[i].text, (int)s.refs[i].kind, t.refs[i].text,
                 (int)t.refs[i].kind);
    htmlscan_result_free(&t);
  }
  htmlscan_result_free(&s);

  if (htmlscan_run(body, len, charset, HTMLSCAN_TITLE, &s) == 0) {
    extract_html_tree(body, len, charset, HTMLSCAN_TITLE, &t);
    FUZZ_CHECK(same(s.title, t.title), "title alone '%s', the tree's '%s'",
               s.title ? s.title : "(none)", t.title ? t.title : "(none)");
    htmlscan_result_free(&t);
  }
  htmlscan_result_free(&s);
  free(body);
  return 0;
}
