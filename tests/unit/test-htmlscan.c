/* Unit tests of htmlscan.c: what one pass finds on small pages (the
 * title as it stands, <base href>, references and their kinds) and where
 * it declines; each result is also checked against libxml2's tree
 * (extract_html_tree()), the oracle it follows. One row per case. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "htmlscan.h"
#include "record.h"
#include "tap.h"
#include "util.h"

#define ALL    (HTMLSCAN_TITLE | HTMLSCAN_LINKS | HTMLSCAN_REQUISITES)
#define S(lit) lit, sizeof(lit) - 1

/* The references of "r" as "N:text|R:text|C:text". */
static char *refs_of(const struct htmlscan_result *r)
{
  struct buf b = { NULL, 0, 0 };
  size_t i;

  buf_put(&b, "", 0);
  for (i = 0; i < r->nrefs; i++) {
    static const char kinds[] = "NRC";

    if (i > 0)
      buf_put(&b, "|", 1);
    buf_put(&b, &kinds[r->refs[i].kind], 1);
    buf_put(&b, ":", 1);
    buf_put(&b, r->refs[i].text, strlen(r->refs[i].text));
  }
  buf_put(&b, "", 1);
  return b.p;
}

static bool same(const char *a, const char *b)
{
  return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Scan "body" with "charset" for "what"; expect "rc" and, when 0, the
 * title, base and references given, which libxml2's tree must give too. */
static int scan(char *why, const char *body, size_t len, const char *charset,
                unsigned what, int rc, const char *title, const char *base,
                const char *refs)
{
  struct htmlscan_result s, t;
  char *got, *tree;
  int ok;

  CHECK_INT(htmlscan_run(body, len, charset, what, &s), rc);
  if (rc < 0) {
    CHECK(s.title == NULL && s.base == NULL && s.nrefs == 0);
    return 0;
  }
  extract_html_tree(body, len, charset, what, &t);
  got = refs_of(&s);
  tree = refs_of(&t);
  ok = same(s.title, title) && same(s.base, base) && strcmp(got, refs) == 0;
  if (!ok)
    tap_fail(why, __FILE__, __LINE__,
             "got title '%s' base '%s' refs '%s'; want '%s' '%s' '%s'",
             s.title ? s.title : "(null)", s.base ? s.base : "(null)", got,
             title ? title : "(null)", base ? base : "(null)", refs);
  else if (!same(t.title, s.title) || !same(t.base, s.base) ||
           strcmp(tree, got) != 0)
    ok = tap_fail(why, __FILE__, __LINE__,
                  "libxml2's tree differs: title '%s' base '%s' refs '%s'",
                  t.title ? t.title : "(null)", t.base ? t.base : "(null)",
                  tree) == 0;
  free(got);
  free(tree);
  htmlscan_result_free(&s);
  htmlscan_result_free(&t);
  return ok ? 0 : -1;
}

static int kinds(char *why)
{
  return scan(why,
              S("<head><title>T</title><link href=s.css>"
                "<script src=j.js></script></head><body>"
                "<a href=a>a</a><area href=b><frame src=c>"
                "<iframe src=d></iframe><img src=e><a>none</a></body>"),
              NULL, ALL, 0, "T", NULL, "R:s.css|R:j.js|N:a|N:b|N:c|N:d|R:e");
}

static int navigational_only(char *why)
{
  return scan(why,
              S("<link href=s.css><style>x{}</style><img src=e style=y>"
                "<a href=a>a</a>"),
              NULL, HTMLSCAN_LINKS, 0, NULL, NULL, "N:a");
}

static int style_text_in_place(char *why)
{
  return scan(why,
              S("<a href=1>1</a><style>p{b:url(x)}</style>"
                "<a href=2 style=\"c:url(y)\">2</a>"),
              NULL, ALL, 0, NULL, NULL, "N:1|C:p{b:url(x)}|N:2|C:c:url(y)");
}

static int title_raw_and_entities(char *why)
{
  return scan(why,
              S("<title>\n A &amp; B &eacute;&#x41;&#66;&nbsp;&bogus; &amp "
                "<b>bold</b><!-- c --></title>"),
              NULL, HTMLSCAN_TITLE, 0,
              "\n A & B \xc3\xa9"
              "AB\xc2\xa0&bogus; &amp bold",
              NULL, "");
}

static int title_first_outside_svg(char *why)
{
  return scan(why,
              S("<svg><title>icon</title></svg><title>one</title>"
                "<title>two</title>"),
              NULL, HTMLSCAN_TITLE, 0, "one", NULL, "");
}

static int title_none(char *why)
{
  return scan(why, S("<p>no title"), NULL, ALL, 0, NULL, NULL, "");
}

static int title_to_the_end(char *why)
{
  return scan(why, S("<title>open <a href=x>x</a> still"), NULL, ALL, 0,
              "open x still", NULL, "N:x");
}

/* libxml2's tree names an element by what follows a prefix: "<x:a>" is an
 * <a> there, "<s:svg>" an <svg>, "<x:title>" a title; ":a" and "a:" keep
 * their colon. Only a <meta> by its full name names a charset. */
static int prefixed_names(char *why)
{
  return scan(why,
              S("<s:svg><title>no</title></s:svg><x:title>T</x:title>"
                "<x:a href=1>1</x:a><a:b:a href=no1>2</a:b:a>"
                "<:a href=no2>3</:a><a: href=no3>4</a:>"
                "<x:frame src=2><x:meta charset=latin1>"
                "<a href=\"\xc3\xa9\">5</a>"),
              NULL, ALL, 0, "T", NULL, "N:1|N:2|N:\xc3\xa9");
}

static int base_first_with_href(char *why)
{
  return scan(why,
              S("<base target=_top><base href=/a/><base href=/b/>"
                "<a href=x>x</a>"),
              NULL, ALL, 0, NULL, "/a/", "N:x");
}

static int attributes(char *why)
{
  return scan(why,
              S("<a HREF = \"a&amp;b\" href=dup>1</a><A href='q?x=1&y'>2</A>"
                "<a href=un&quot;quoted>3</a><a href>4</a>"
                "<a href=\"cut&#0;off\">5</a><a x=\"y\" =bad href=z>6</a>"),
              NULL, ALL, 0, NULL, NULL,
              "N:a&b|N:q?x=1&y|N:un\"quoted|N:|N:cut|N:z");
}

/* As libxml2 has it: an end tag right at the start of the text is read
 * as one ("</p>" vanishes), others are text up to "</script" or "</style"
 * in any case, whatever follows. */
static int raw_text(char *why)
{
  return scan(why,
              S("<script><a href=no1></scriptx><a href=no2></script>"
                "<style></p><a href=no3></STYLE><a href=yes>y</a>"),
              NULL, ALL, 0, NULL, NULL, "C:<a href=no3>|N:yes");
}

static int comments_and_pis(char *why)
{
  return scan(why,
              S("<!--><a href=no1>--><a href=1>1</a>"
                "<!-- x --!><a href=2>2</a><?pi <a href=no2>?>"
                "<? <a href=3>3</a><!doc <a href=4>4</a>"
                "<!-- <a href=no3> unterminated"),
              NULL, ALL, 0, NULL, NULL, "N:1|N:2|N:3|N:4");
}

/* Found by fuzz-htmlscan: "<?" and an ASCII name that ends the page is
 * no PI to libxml2, the name stays text (a non-ASCII byte in the name, or
 * anything after it, makes it one). */
static int pi_name_to_the_end(char *why)
{
  return scan(why, S("<title>a<?ex"), NULL, ALL, 0, "aex", NULL, "") ||
         scan(why, S("<title>a<?x:y.z-1_"), NULL, ALL, 0, "ax:y.z-1_", NULL,
              "") ||
         scan(why, S("<title>a<?ex "), NULL, ALL, 0, "a", NULL, "") ||
         scan(why, S("<title>a<?e\xc3\xa9"), NULL, ALL, 0, "a", NULL, "");
}

static int implied_and_closed(char *why)
{
  /* An <a> closes an open <a>; a <table> closes a <p>; text in <head>
   * opens a body. None of it hides a link. */
  return scan(why,
              S("<head>text<title>t</title></head><p><a href=1>1<a href=2>"
                "2<table><tr><td><a href=3>3</td></tr></table></p>"),
              NULL, ALL, 0, "t", NULL, "N:1|N:2|N:3");
}

static int charset_meta_latin1(char *why)
{
  return scan(why,
              S("<meta http-equiv=\"content-type\" "
                "content=\"text/html; charset=ISO-8859-1\">"
                "<title>Caf\xe9</title><a href=\"\xe9\">e</a>"),
              NULL, ALL, 0, "Caf\xc3\xa9", NULL, "N:\xc3\xa9");
}

static int charset_meta_cp1252(char *why)
{
  return scan(
      why, S("<meta charset=windows-1252><title>\x93q\x94 \x80</title>"), NULL,
      ALL, 0, "\xe2\x80\x9cq\xe2\x80\x9d \xe2\x82\xac", NULL, "");
}

static int charset_header_wins(char *why)
{
  return scan(why, S("<meta charset=utf-8><title>Caf\xe9</title>"), "latin1",
              ALL, 0, "Caf\xc3\xa9", NULL, "");
}

static int charset_meta_after_text(char *why)
{
  /* What comes before the <meta> was read as UTF-8 already. */
  return scan(why,
              S("<title>\xc3\xa9</title><meta charset=iso-8859-1>"
                "<a href=\"\xe9\">e</a>"),
              NULL, ALL, 0, "\xc3\xa9", NULL, "N:\xc3\xa9");
}

static int bom_skipped(char *why)
{
  return scan(why, S("\xef\xbb\xbf<title>x</title>"), NULL, ALL, 0, "x", NULL,
              "");
}

static int declines(char *why)
{
  struct htmlscan_result r;
  char deep[4000];
  size_t i, n = 0;

  CHECK_INT(htmlscan_run(S("<title>a\0b</title>"), NULL, ALL, &r), -1);
  CHECK_INT(htmlscan_run(S("<title>\xff</title>"), NULL, ALL, &r), -1);
  CHECK_INT(htmlscan_run(S("<title>\xe9</title>"), "utf-8", ALL, &r), -1);
  CHECK_INT(htmlscan_run(S("<title>x</title>"), "koi8-r", ALL, &r), -1);
  CHECK_INT(htmlscan_run(S("<meta charset=shift_jis><title>x</title>"), NULL,
                         ALL, &r),
            -1);
  CHECK_INT(htmlscan_run(S("\xff\xfe<\0t\0"), NULL, ALL, &r), -1);
  CHECK_INT(htmlscan_run(S("<title>\x81</title>"), "windows-1252", ALL, &r),
            -1);
  CHECK_INT(htmlscan_run(S("<title>\xe9</title>"), "us-ascii", ALL, &r), -1);
  CHECK_INT(htmlscan_run(S("<?\xc3\xa9 x><title>x</title>"), NULL, ALL, &r),
            -1);
  /* An entity name that runs into a non-ASCII byte (libxml2's result
   * depends on how it converted its input). */
  CHECK_INT(htmlscan_run(S("<title>C&egra\xd4\xd4ve;</title>"), "iso-8859-1",
                         ALL, &r),
            -1);
  /* ... or starts with one: libxml2 keeps 48 of these 150 letters. */
  n = (size_t)snprintf(deep, sizeof(deep), "<a href=\"&");
  memset(deep + n, 0xff, 150);
  n += 150;
  n += (size_t)snprintf(deep + n, sizeof(deep) - n, "\">x</a>");
  CHECK_INT(htmlscan_run(deep, n, "iso-8859-1", ALL, &r), -1);
  n = 0;
  for (i = 0; i < 300; i++)
    n += (size_t)snprintf(deep + n, sizeof(deep) - n, "<div>");
  CHECK_INT(htmlscan_run(deep, n, NULL, ALL, &r), -1);
  CHECK(r.nrefs == 0 && r.title == NULL);
  return 0;
}

static int title_only_stops_early(char *why)
{
  /* A bad byte after the title changes nothing libxml2 gives for it. */
  CHECK_OK(scan(why, S("<title>ok</title><p>\xff"), NULL, HTMLSCAN_TITLE, 0,
                "ok", NULL, ""));
  return scan(why, S("<title>ok</title><p>\xff"), NULL, ALL, -1, NULL, NULL,
              "");
}

static int empty_body(char *why)
{
  CHECK_OK(scan(why, "", 0, NULL, ALL, 0, NULL, NULL, ""));
  return scan(why, NULL, 0, NULL, ALL, 0, NULL, NULL, "");
}

static int result_add_and_free(char *why)
{
  struct htmlscan_result r;
  size_t i;

  memset(&r, 0, sizeof(r));
  for (i = 0; i < 1000; i++)
    htmlscan_result_add(&r, "x", HTMLSCAN_REQ);
  CHECK_UINT(r.nrefs, 1000);
  CHECK_STREQ(r.refs[999].text, "x");
  htmlscan_result_free(&r);
  CHECK(r.refs == NULL && r.nrefs == 0);
  htmlscan_result_free(&r);
  return 0;
}

static const struct tap_case cases[] = {
  { "kinds: navigational and requisite references", kinds },
  { "links alone: navigational references only", navigational_only },
  { "<style> text and style attributes, each in its place",
    style_text_in_place },
  { "title: as it stands, entities decoded, comments dropped",
    title_raw_and_entities },
  { "title: the first outside <svg>", title_first_outside_svg },
  { "title: none", title_none },
  { "title: an unclosed one runs to the end", title_to_the_end },
  { "names with a prefix, as the tree has them", prefixed_names },
  { "base: the first <base> with href", base_first_with_href },
  { "attributes: case, quotes, duplicates, references, bogus names",
    attributes },
  { "script and style: raw text up to their end tag", raw_text },
  { "comments, PIs and declarations as libxml2 reads them", comments_and_pis },
  { "a PI name that ends the page is text", pi_name_to_the_end },
  { "implied and auto-closed elements", implied_and_closed },
  { "charset: <meta http-equiv> Latin-1", charset_meta_latin1 },
  { "charset: <meta charset> windows-1252", charset_meta_cp1252 },
  { "charset: the header's wins over <meta>", charset_header_wins },
  { "charset: a <meta> applies from where it stands",
    charset_meta_after_text },
  { "a UTF-8 byte order mark is skipped", bom_skipped },
  { "declines: NUL, bad UTF-8, unknown or wide charsets, depth", declines },
  { "--title alone stops after the title", title_only_stops_early },
  { "an empty body", empty_body },
  { "htmlscan_result_add() and _free()", result_add_and_free },
};

int main(void)
{
  struct extract_spec spec;

  extract_spec_init(&spec); /* libxml2's set-up, for the tree */
  return tap_run(cases, TAP_COUNT(cases));
}
