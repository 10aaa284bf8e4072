/* libFuzzer harness for htmlscan.c (and cssscan.c), with libxml2's tree as
 * the oracle: whenever htmlscan_run() does not decline, it must find what
 * extract_html_tree() finds in the same bytes (title, <base href>, every
 * reference and its kind), whatever the bytes; asked for the title alone
 * it must give the same title; and the CSS scanner must hand out only
 * non-empty URLs. Self-contained until tests/fuzz/ has its common build
 * (then it joins `make fuzz`). Build and run from the top of the tree:
 *
 *   ./bootstrap && ./configure && make src/config.h   # or any configured
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I. -Isrc \
 *     $(pkg-config --cflags libxml-2.0) tests/fuzz/htmlscan.c \
 *     src/htmlscan.c src/html4.c src/cssscan.c src/extract.c \
 *     src/bodytext.c src/utf8.c src/urlnorm.c src/record.c src/errkind.c \
 *     src/util.c src/buf.c \
 *     $(pkg-config --libs libxml-2.0 libpcre2-8 libcurl) -lm \
 *     -o htmlscan-fuzz
 *   mkdir -p corpus && cp tests/fixtures/scan-quirks.html corpus/
 *   ./htmlscan-fuzz -max_len=4096 -max_total_time=600 corpus
 *
 * The first input byte picks the Content-Type charset (none, utf-8,
 * iso-8859-1, windows-1252); the rest is the body, each NUL byte made
 * '<' (the scan declines bodies with NUL bytes, which would leave most
 * mutations unchecked). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cssscan.h"
#include "extract.h"
#include "htmlscan.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const char *a, const char *b)
{
  return a && b ? strcmp(a, b) == 0 : a == b;
}

static void css_cb(const char *url, size_t len, void *ud)
{
  (void)ud;
  if (len == 0 || !url)
    abort();
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
  if (!body)
    return 0;
  memcpy(body, data + 1, len);
  for (i = 0; i < len; i++)
    if (body[i] == '\0')
      body[i] = '<';

  cssscan_urls(body, len, css_cb, NULL);

  if (htmlscan_run(body, len, charset, all, &s) == 0) {
    extract_html_tree(body, len, charset, all, &t);
    if (!same(s.title, t.title) || !same(s.base, t.base) || s.nrefs != t.nrefs)
      abort();
    for (i = 0; i < s.nrefs; i++)
      if (s.refs[i].kind != t.refs[i].kind ||
          strcmp(s.refs[i].text, t.refs[i].text) != 0)
        abort();
    htmlscan_result_free(&t);
  }
  htmlscan_result_free(&s);

  if (htmlscan_run(body, len, charset, HTMLSCAN_TITLE, &s) == 0) {
    extract_html_tree(body, len, charset, HTMLSCAN_TITLE, &t);
    if (!same(s.title, t.title))
      abort();
    htmlscan_result_free(&t);
  }
  htmlscan_result_free(&s);
  free(body);
  return 0;
}
