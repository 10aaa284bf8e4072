/* Unit tests of extract.c: --title, --links, --xpath and --regex over one
 * body each, compared as the record fragment fragment() writes,
 * plus the spec's argument checks and concurrent runs on one spec. */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extract.h"
#include "record.h"
#include "tap.h"
#include "util.h"

#define HTML "text/html; charset=utf-8"
#define PAGE "http://example.com/dir/page.html"

/* Append the extraction's fields of a record of "res" under "spec" to
 * "out", each led by a comma, as record_build() writes them. */
static void fragment(const struct extract_result *res,
                     const struct extract_spec *spec, struct record_buf *out)
{
  static const char *const names[] = { "title", "links", "extract",
                                       "extract_cut" };
  struct result r;
  size_t i;

  record_result_init(&r);
  r.extract = res;
  r.extract_spec = spec;
  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    size_t start = out->len;

    record_putf(out, ",\"%s\":", names[i]);
    if (!record_field_json(record_field_find(names[i], strlen(names[i])), &r,
                           out))
      out->len = start;
  }
}

/* Build a spec from options ("--title", "--links", "-x", "N=E", "-e",
 * "N=P"), NULL-terminated. Returns 0, or -1 with "err" filled. */
static int build(struct extract_spec *spec, char err[VL_ERRLEN], va_list ap)
{
  const char *o;

  extract_spec_init(spec);
  while ((o = va_arg(ap, const char *)) != NULL) {
    if (strcmp(o, "--title") == 0) {
      spec->title = true;
    } else if (strcmp(o, "--links") == 0) {
      spec->links = true;
    } else if (strcmp(o, "--page-requisites") == 0) {
      spec->links = spec->requisites = true;
    } else if (strcmp(o, "--tree") == 0) {
      spec->html = EXTRACT_HTML_TREE;
    } else if (strcmp(o, "-x") == 0) {
      if (extract_spec_add_xpath(spec, va_arg(ap, const char *), err) < 0)
        return -1;
    } else if (extract_spec_add_regex(spec, va_arg(ap, const char *), err) <
               0) {
      return -1;
    }
  }
  return 0;
}

/* Run the spec of the options after "want" over "body" served as "ct"
 * from "url", and compare the record fragment with "want". */
static int expect(char *why, const char *body, size_t len, const char *ct,
                  const char *url, const char *want, ...)
{
  struct extract_spec spec;
  struct extract_result res;
  struct record_buf out = { NULL, 0, 0 };
  char err[VL_ERRLEN] = "";
  va_list ap;
  int rc, same;

  va_start(ap, want);
  rc = build(&spec, err, ap);
  va_end(ap);
  if (rc < 0) {
    extract_spec_free(&spec);
    return tap_fail(why, __FILE__, __LINE__, "spec: %s", err);
  }
  CHECK_INT(extract_run(&spec, body, len, ct, url, &res), 0);
  fragment(&res, &spec, &out);
  same = out.len == strlen(want) &&
         (out.len == 0 || memcmp(out.p, want, out.len) == 0);
  if (!same)
    tap_fail(why, __FILE__, __LINE__, "got %.*s want %s", (int)out.len,
             out.p ? out.p : "", want);
  extract_result_free(&res);
  extract_spec_free(&spec);
  record_buf_free(&out);
  return same ? 0 : -1;
}

#define S(lit) lit, sizeof(lit) - 1

/* Add one -x ("x") or -e ("e") argument to a fresh spec; expect failure
 * with "needle" in the message. */
static int refuses(char *why, char kind, const char *arg, const char *needle)
{
  struct extract_spec spec;
  char err[VL_ERRLEN] = "";
  int rc;

  extract_spec_init(&spec);
  rc = kind == 'x' ? extract_spec_add_xpath(&spec, arg, err)
                   : extract_spec_add_regex(&spec, arg, err);
  CHECK_UINT(spec.nitems, 0);
  extract_spec_free(&spec);
  CHECK_INT(rc, -1);
  CHECK_HAS(err, needle);
  return 0;
}

/* --- title ------------------------------------------------------------- */

static int title_plain(char *why)
{
  return expect(why, S("<html><head><title>Hello</title></head></html>"), HTML,
                PAGE, ",\"title\":\"Hello\"", "--title", NULL);
}

static int title_entities(char *why)
{
  return expect(why,
                S("<title>Fish &amp; Chips &lt;3 &eacute;&#233;&#x41; "
                  "&quot;q&quot;</title>"),
                HTML, PAGE,
                ",\"title\":\"Fish & Chips <3 \xc3\xa9\xc3\xa9"
                "A "
                "\\\"q\\\"\"",
                "--title", NULL);
}

static int title_non_ascii(char *why)
{
  return expect(why,
                S("<title>Caf\xc3\xa9 \xe2\x80\x94 "
                  "\xe6\x97\xa5\xe6\x9c\xac</title>"),
                HTML, PAGE,
                ",\"title\":\"Caf\xc3\xa9 \xe2\x80\x94 "
                "\xe6\x97\xa5\xe6\x9c\xac\"",
                "--title", NULL);
}

static int title_whitespace(char *why)
{
  return expect(why, S("<title>\n   one \t two\r\n\n  three   </title>"), HTML,
                PAGE, ",\"title\":\"one two three\"", "--title", NULL);
}

static int title_nbsp_kept(char *why)
{
  return expect(why, S("<title>a&nbsp;b</title>"), HTML, PAGE,
                ",\"title\":\"a\xc2\xa0"
                "b\"",
                "--title", NULL);
}

static int title_missing(char *why)
{
  return expect(why, S("<html><body><h1>No title</h1></body></html>"), HTML,
                PAGE, ",\"title\":null", "--title", NULL);
}

static int title_empty(char *why)
{
  return expect(why, S("<title>  </title><p>x"), HTML, PAGE, ",\"title\":\"\"",
                "--title", NULL);
}

static int title_first_wins(char *why)
{
  return expect(why, S("<title>One</title><body><title>Two</title>"), HTML,
                PAGE, ",\"title\":\"One\"", "--title", NULL);
}

static int title_svg_ignored(char *why)
{
  return expect(why,
                S("<body><svg><title>Icon</title></svg>"
                  "<title>Page</title></body>"),
                HTML, PAGE, ",\"title\":\"Page\"", "--title", NULL);
}

static int title_latin1_header(char *why)
{
  return expect(why, S("<title>Caf\xe9</title>"),
                "text/html; charset=ISO-8859-1", PAGE,
                ",\"title\":\"Caf\xc3\xa9\"", "--title", NULL);
}

static int title_meta_charset(char *why)
{
  return expect(why,
                S("<html><head><meta charset=\"iso-8859-1\">"
                  "<title>Caf\xe9</title></head></html>"),
                "text/html", PAGE, ",\"title\":\"Caf\xc3\xa9\"", "--title",
                NULL);
}

static int title_utf16(char *why)
{
  return expect(why,
                S("\xff\xfe<\0t\0i\0t\0l\0e\0>\0\xe9\0\xe5\x65<\0/\0t\0i\0"
                  "t\0l\0e\0>\0"),
                "text/html", PAGE, ",\"title\":\"\xc3\xa9\xe6\x97\xa5\"",
                "--title", NULL);
}

static int title_quoted_charset(char *why)
{
  return expect(why, S("<title>\xe9t\xe9</title>"),
                "text/html;charset=\"windows-1252\"", PAGE,
                ",\"title\":\"\xc3\xa9t\xc3\xa9\"", "--title", NULL);
}

/* --- links ------------------------------------------------------------- */

static int links_relative(char *why)
{
  return expect(why,
                S("<a href=\"other.html\">o</a><a href=\"../up\">u</a>"
                  "<a href=\"/root?q=1\">r</a>"),
                HTML, PAGE,
                ",\"links\":[\"http://example.com/dir/other.html\","
                "\"http://example.com/up\",\"http://example.com/root?q=1\"]",
                "--links", NULL);
}

static int links_navigational(char *why)
{
  return expect(why,
                S("<head><link rel=stylesheet href=\"s.css\">"
                  "<script src=\"j.js\"></script></head>"
                  "<body><img src=\"i.png\"><a href=\"a\">a</a>"
                  "<area href=\"area\"><a name=\"x\">no href</a>"
                  "<iframe src=\"f\"></iframe></body>"),
                HTML, PAGE,
                ",\"links\":[\"http://example.com/dir/a\","
                "\"http://example.com/dir/area\","
                "\"http://example.com/dir/f\"]",
                "--links", NULL);
}

static int links_requisites(char *why)
{
  return expect(why,
                S("<head><link rel=stylesheet href=\"s.css\">"
                  "<script src=\"j.js\"></script></head>"
                  "<body><img src=\"i.png\"><a href=\"a\">a</a>"
                  "<area href=\"area\"><a name=\"x\">no href</a>"
                  "<iframe src=\"f\"></iframe></body>"),
                HTML, PAGE,
                ",\"links\":[\"http://example.com/dir/s.css\","
                "\"http://example.com/dir/j.js\","
                "\"http://example.com/dir/i.png\","
                "\"http://example.com/dir/a\","
                "\"http://example.com/dir/area\","
                "\"http://example.com/dir/f\"]",
                "--page-requisites", NULL);
}

static int links_frameset(char *why)
{
  return expect(why,
                S("<html><frameset cols=\"1,2\"><frame src=\"nav.html\">"
                  "<FRAME SRC=\"main.html\"><noframes><a href=\"alt\">a</a>"
                  "</noframes></frameset></html>"),
                HTML, PAGE,
                ",\"links\":[\"http://example.com/dir/nav.html\","
                "\"http://example.com/dir/main.html\","
                "\"http://example.com/dir/alt\"]",
                "--links", NULL);
}

static int links_css_in_html(char *why)
{
  return expect(why,
                S("<style>@import \"a.css\"; /* url(no) */\n"
                  "p { background: url(b.png) }</style>"
                  "<p style=\"background: url('c.png')\">"
                  "<a href=\"d\" style=\"x: url(e.png)\">d</a>"),
                HTML, PAGE,
                ",\"links\":[\"http://example.com/dir/a.css\","
                "\"http://example.com/dir/b.png\","
                "\"http://example.com/dir/c.png\","
                "\"http://example.com/dir/d\","
                "\"http://example.com/dir/e.png\"]",
                "--page-requisites", NULL);
}

static int links_css_not_without_requisites(char *why)
{
  return expect(why,
                S("<style>p { background: url(b.png) }</style>"
                  "<p style=\"background: url('c.png')\">"),
                HTML, PAGE, ",\"links\":[]", "--links", NULL);
}

static int links_css_body(char *why)
{
  return expect(why,
                S("@import url(\"base.css\");\n"
                  "body { background: url(../img/bg.png) }\n"
                  "@font-face { src: url(f.woff2) format(\"woff2\") }"),
                "text/css", "http://example.com/css/site.css",
                ",\"links\":[\"http://example.com/css/base.css\","
                "\"http://example.com/img/bg.png\","
                "\"http://example.com/css/f.woff2\"]",
                "--page-requisites", NULL);
}

static int links_css_body_not_without_requisites(char *why)
{
  return expect(why, S("body { background: url(bg.png) }"), "text/css",
                "http://example.com/css/site.css", ",\"links\":[]", "--links",
                NULL);
}

/* The same page read by the scan and by libxml2's tree. */
static int scan_and_tree_agree(char *why)
{
  static const char page[] =
      "<HTML><HEAD><TITLE>A &amp; B</TITLE><BASE HREF=\"/b/\"></HEAD>"
      "<body><a href=x>1</a><table><tr><td><a href='y'>2</td></table>"
      "<svg><title>no</title></svg><frame src=z><img src=i.png></body>";
  static const char want[] =
      ",\"title\":\"A & B\",\"links\":[\"http://example.com/b/x\","
      "\"http://example.com/b/y\",\"http://example.com/b/z\"]";

  if (expect(why, S(page), HTML, PAGE, want, "--title", "--links", NULL) < 0)
    return -1;
  return expect(why, S(page), HTML, PAGE, want, "--title", "--links", "--tree",
                NULL);
}

/* Whether the tree was built: not for a plain page, yes where the scan
 * declines (bytes libxml2 would read as Latin-1) or for -x. */
static int scan_or_tree(char *why)
{
  struct extract_spec spec;
  struct extract_result res;
  char err[VL_ERRLEN];

  extract_spec_init(&spec);
  spec.title = spec.links = true;
  CHECK_INT(extract_run(&spec, S("<title>ok</title>"), HTML, PAGE, &res), 0);
  CHECK(!res.tree);
  extract_result_free(&res);
  CHECK_INT(
      extract_run(&spec, S("<title>caf\xe9</title>"), "text/html", PAGE, &res),
      0);
  CHECK(res.tree);
  CHECK_STREQ(res.title, "caf\xc3\xa9");
  extract_result_free(&res);
  CHECK_INT(extract_spec_add_xpath(&spec, "t=//title", err), 0);
  CHECK_INT(extract_run(&spec, S("<title>ok</title>"), HTML, PAGE, &res), 0);
  CHECK(res.tree);
  extract_result_free(&res);
  extract_spec_free(&spec);
  return 0;
}

static int links_base_href(char *why)
{
  return expect(why,
                S("<head><base href=\"/other/\"></head>"
                  "<a href=\"x\">x</a><a href=\"http://abs.org/y\">y</a>"),
                HTML, PAGE,
                ",\"links\":[\"http://example.com/other/x\","
                "\"http://abs.org/y\"]",
                "--links", NULL);
}

static int links_base_absolute(char *why)
{
  return expect(why,
                S("<base href=\"https://cdn.example.net/assets/\">"
                  "<a href=\"a.png\">a</a>"),
                HTML, PAGE,
                ",\"links\":[\"https://cdn.example.net/assets/a.png\"]",
                "--links", NULL);
}

static int links_base_after_links(char *why)
{
  /* The first <base href> applies to the whole page, wherever it is. */
  return expect(why,
                S("<a href=\"x\">x</a><base href=\"http://b.org/d/\">"
                  "<base href=\"http://ignored.org/\">"),
                HTML, PAGE, ",\"links\":[\"http://b.org/d/x\"]", "--links",
                NULL);
}

static int links_base_javascript_ignored(char *why)
{
  return expect(why, S("<base href=\"javascript:x\"><a href=\"y\">y</a>"),
                HTML, PAGE, ",\"links\":[\"http://example.com/dir/y\"]",
                "--links", NULL);
}

static int links_dedupe_in_order(char *why)
{
  return expect(why,
                S("<a href=\"b\">1</a><a href=\"a\">2</a>"
                  "<a href=\"./b\">3</a><a href=\"b#frag\">4</a>"
                  "<a href=\"http://example.com/dir/a\">5</a>"
                  "<img src=\"c\"><a href=\"c\">6</a>"),
                HTML, PAGE,
                ",\"links\":[\"http://example.com/dir/b\","
                "\"http://example.com/dir/a\",\"http://example.com/dir/c\"]",
                "--links", NULL);
}

static int links_fragment_dropped(char *why)
{
  return expect(why, S("<a href=\"#top\">t</a><a href=\"x.html#sec\">s</a>"),
                HTML, PAGE,
                ",\"links\":[\"http://example.com/dir/page.html\","
                "\"http://example.com/dir/x.html\"]",
                "--links", NULL);
}

static int links_non_http_dropped(char *why)
{
  return expect(why,
                S("<a href=\"mailto:a@example.com\">m</a>"
                  "<a href=\"javascript:void(0)\">j</a>"
                  "<img src=\"data:image/png;base64,AAAA\">"
                  "<a href=\"ftp://example.com/f\">f</a>"
                  "<a href=\"tel:123\">t</a><a href=\"ok\">ok</a>"),
                HTML, PAGE, ",\"links\":[\"http://example.com/dir/ok\"]",
                "--links", NULL);
}

static int links_trimmed(char *why)
{
  return expect(why, S("<a href=\"  spaced.html\n\">x</a>"), HTML, PAGE,
                ",\"links\":[\"http://example.com/dir/spaced.html\"]",
                "--links", NULL);
}

static int links_no_url(char *why)
{
  return expect(why, S("<a href=\"rel\">r</a><a href=\"http://x.org/\">x</a>"),
                HTML, NULL, ",\"links\":[\"http://x.org/\"]", "--links", NULL);
}

static int links_none(char *why)
{
  return expect(why, S("<p>no links here</p>"), HTML, PAGE, ",\"links\":[]",
                "--links", NULL);
}

static int links_entity_in_href(char *why)
{
  return expect(why, S("<a href=\"q?a=1&amp;b=2\">x</a>"), HTML, PAGE,
                ",\"links\":[\"http://example.com/dir/q?a=1&b=2\"]", "--links",
                NULL);
}

static int links_many_deduped(char *why)
{
  struct extract_spec spec;
  struct extract_result res;
  struct record_buf page = { NULL, 0, 0 };
  char a[64];
  int i, n;

  /* 3000 distinct links, each twice: the hash set must keep 3000. */
  for (i = 0; i < 6000; i++) {
    n = snprintf(a, sizeof(a), "<a href=\"/p%d\">x</a>", i % 3000);
    page.p = xrealloc(page.p, page.len + (size_t)n + 1);
    memcpy(page.p + page.len, a, (size_t)n + 1);
    page.len += (size_t)n;
  }
  extract_spec_init(&spec);
  spec.links = true;
  extract_run(&spec, page.p, page.len, HTML, PAGE, &res);
  n = (int)res.nlinks;
  CHECK_STREQ(res.links[2999], "http://example.com/p2999");
  extract_result_free(&res);
  extract_spec_free(&spec);
  free(page.p);
  CHECK_INT(n, 3000);
  return 0;
}

/* --- xpath ------------------------------------------------------------- */

#define XDOC                                                                  \
  "<html><head><title>T</title></head><body>"                                 \
  "<h1 class=\"big\">Head <b>line</b></h1>"                                   \
  "<a href=\"/1\">one</a><a href=\"/2\">two</a><a href=\"/3\">three</a>"      \
  "<ul><li>x</li><li>y</li></ul></body></html>"

static int xpath_attributes(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE,
                ",\"extract\":{\"h\":[\"/1\",\"/2\",\"/3\"]}", "-x",
                "h=//a/@href", NULL);
}

static int xpath_text(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE,
                ",\"extract\":{\"t\":[\"Head line\"]}", "-x", "t=//h1", NULL);
}

static int xpath_text_nodes(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE,
                ",\"extract\":{\"li\":[\"x\",\"y\"]}", "-x", "li=//li/text()",
                NULL);
}

static int xpath_count(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE, ",\"extract\":{\"n\":[\"3\"]}", "-x",
                "n=count(//a)", NULL);
}

static int xpath_fraction(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE, ",\"extract\":{\"n\":[\"1.5\"]}",
                "-x", "n=count(//a) div 2", NULL);
}

static int xpath_string(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE,
                ",\"extract\":{\"s\":[\"Head line\"]}", "-x", "s=string(//h1)",
                NULL);
}

static int xpath_string_attribute(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE, ",\"extract\":{\"c\":[\"big\"]}",
                "-x", "c=string(//h1/@class)", NULL);
}

static int xpath_boolean(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE,
                ",\"extract\":{\"y\":[\"true\"],\"n\":[\"false\"]}", "-x",
                "y=boolean(//ul)", "-x", "n=boolean(//table)", NULL);
}

static int xpath_no_match(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE, ",\"extract\":{\"t\":[]}", "-x",
                "t=//table//td", NULL);
}

static int xpath_relative_from_root(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE, ",\"extract\":{\"t\":[\"T\"]}", "-x",
                "t=html/head/title", NULL);
}

static int xpath_predicate(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE, ",\"extract\":{\"t\":[\"two\"]}",
                "-x", "t=//a[@href='/2']", NULL);
}

static int xpath_normalize_space(char *why)
{
  return expect(why, S("<p>  a \n b  </p>"), HTML, PAGE,
                ",\"extract\":{\"p\":[\"a b\"]}", "-x",
                "p=normalize-space(//p)", NULL);
}

static int xpath_bad_expression(char *why)
{
  return refuses(why, 'x', "h=//a[", "--xpath: 'h=//a[': ");
}

static int xpath_bad_expression_offset(char *why)
{
  return refuses(why, 'x', "h=//a[@x='y", "at offset");
}

static int xpath_unknown_function(char *why)
{
  return refuses(why, 'x', "f=nosuch(1)", "unknown function");
}

static int xpath_undefined_variable(char *why)
{
  return refuses(why, 'x', "v=$nope", "undefined variable");
}

static int xpath_arity(char *why)
{
  return refuses(why, 'x', "v=count()", "wrong number of arguments");
}

/* --- names ------------------------------------------------------------- */

static int name_missing_equals(char *why)
{
  return refuses(why, 'x', "//a", "is not of the form NAME=EXPR");
}

static int name_empty(char *why)
{
  return refuses(why, 'e', "=x", "is not of the form NAME=PATTERN");
}

static int expr_empty(char *why)
{
  return refuses(why, 'x', "n=", "is not of the form");
}

static int pattern_empty(char *why)
{
  return refuses(why, 'e', "n=", "is not of the form");
}

static int name_bad_chars(char *why)
{
  return refuses(why, 'x', "a b=//a", "letters, digits");
}

static int name_dot_refused(char *why)
{
  return refuses(why, 'e', "a.b=x", "letters, digits");
}

static int name_allowed_chars(char *why)
{
  return expect(why, S("x"), "text/plain", PAGE,
                ",\"extract\":{\"A-z_9\":[\"x\"]}", "-e", "A-z_9=x", NULL);
}

static int name_duplicate(char *why)
{
  struct extract_spec spec;
  char err[VL_ERRLEN] = "";
  int rc1, rc2;

  extract_spec_init(&spec);
  rc1 = extract_spec_add_xpath(&spec, "n=//a", err);
  rc2 = extract_spec_add_regex(&spec, "n=a", err);
  CHECK_UINT(spec.nitems, 1);
  extract_spec_free(&spec);
  CHECK_INT(rc1, 0);
  CHECK_INT(rc2, -1);
  CHECK_HAS(err, "the name 'n' is used twice");
  return 0;
}

static int expr_may_hold_equals(char *why)
{
  return expect(why, S(XDOC), HTML, PAGE, ",\"extract\":{\"t\":[\"two\"]}",
                "-x", "t=//a[@href='/2']", NULL);
}

/* --- regex ------------------------------------------------------------- */

static int regex_whole_match(char *why)
{
  return expect(why, S("a1 b22 c333"), "text/plain", PAGE,
                ",\"extract\":{\"d\":[\"1\",\"22\",\"333\"]}", "-e", "d=\\d+",
                NULL);
}

static int regex_first_group(char *why)
{
  return expect(why, S("id=7; id=42; other=1"), "text/plain", PAGE,
                ",\"extract\":{\"id\":[\"7\",\"42\"]}", "-e", "id=id=(\\d+)",
                NULL);
}

static int regex_only_first_group(char *why)
{
  return expect(why, S("k1=v1 k2=v2"), "text/plain", PAGE,
                ",\"extract\":{\"k\":[\"k1\",\"k2\"]}", "-e",
                "k=(\\w+)=(\\w+)", NULL);
}

static int regex_optional_group_unset(char *why)
{
  return expect(why, S("ab a"), "text/plain", PAGE,
                ",\"extract\":{\"g\":[\"b\",\"\"]}", "-e", "g=a(b)?", NULL);
}

static int regex_unicode(char *why)
{
  return expect(why, S("caf\xc3\xa9 na\xc3\xafve \xce\xb1\xce\xb2"),
                "text/plain; charset=utf-8", PAGE,
                ",\"extract\":{\"w\":[\"caf\xc3\xa9\",\"na\xc3\xafve\","
                "\"\xce\xb1\xce\xb2\"]}",
                "-e", "w=\\w+", NULL);
}

static int regex_dot_is_a_character(char *why)
{
  return expect(why, S("\xc3\xa9x"), "text/plain", PAGE,
                ",\"extract\":{\"c\":[\"\xc3\xa9\"]}", "-e", "c=^.", NULL);
}

static int regex_empty_matches_advance(char *why)
{
  return expect(why, S("axb"), "text/plain", PAGE,
                ",\"extract\":{\"x\":[\"\",\"x\",\"\",\"\"]}", "-e", "x=x*",
                NULL);
}

static int regex_empty_matches_unicode(char *why)
{
  /* Stepping past an empty match moves a whole character. */
  return expect(why, S("\xc3\xa9\xc3\xa9"), "text/plain", PAGE,
                ",\"extract\":{\"e\":[\"\",\"\",\"\"]}", "-e", "e=x?", NULL);
}

static int regex_invalid_utf8_body(char *why)
{
  return expect(why, S("ok \xff\xfe caf\xc3\xa9 \xc3 end\xe2\x82"),
                "text/plain", PAGE,
                ",\"extract\":{\"w\":[\"ok\",\"caf\xc3\xa9\",\"end\"]}", "-e",
                "w=\\w+", NULL);
}

static int regex_invalid_utf8_dot(char *why)
{
  return expect(why,
                S("a\xff"
                  "b"),
                "text/plain", PAGE,
                ",\"extract\":{\"w\":[\"a\xef\xbf\xbd"
                "b\"]}",
                "-e", "w=.+", NULL);
}

static int regex_nul_in_body(char *why)
{
  return expect(why, S("a\0b"), "text/plain", PAGE,
                ",\"extract\":{\"w\":[\"a\",\"b\"]}", "-e", "w=[a-z]", NULL);
}

static int regex_many_matches_linear(char *why)
{
  struct extract_spec spec;
  struct extract_result res;
  char err[VL_ERRLEN], *body = xmalloc(2 << 20);
  size_t i, n;
  clock_t t0;
  double s;

  /* 2 MiB with a match every 8 bytes and one invalid byte at the end:
   * each call must not scan the rest of the body again. */
  for (i = 0; i + 8 <= (2 << 20); i += 8)
    memcpy(body + i, "x=1234; ", 8);
  body[(2 << 20) - 1] = '\xff';
  extract_spec_init(&spec);
  CHECK_INT(extract_spec_add_regex(&spec, "n=x=(\\d+)", err), 0);
  t0 = clock();
  extract_run(&spec, body, 2 << 20, "text/plain", PAGE, &res);
  s = (double)(clock() - t0) / CLOCKS_PER_SEC;
  n = res.values[0].n;
  extract_result_free(&res);
  extract_spec_free(&spec);
  free(body);
  CHECK_UINT(n, (2 << 20) / 8);
  CHECK(s < 5.0);
  return 0;
}

static int regex_latin1_decoded(char *why)
{
  return expect(why, S("caf\xe9"), "text/plain; charset=iso-8859-1", PAGE,
                ",\"extract\":{\"w\":[\"caf\xc3\xa9\"]}", "-e", "w=\\w+",
                NULL);
}

static int regex_utf16_bom(char *why)
{
  return expect(why, S("\xff\xfeh\0i\0 \0\xe9\0"), "text/plain", PAGE,
                ",\"extract\":{\"w\":[\"\xef\xbb\xbfhi\",\"\xc3\xa9\"]}", "-e",
                "w=\\S+", NULL);
}

static int regex_shift_jis(char *why)
{
  return expect(why, S("\x93\xfa\x96\x7b"), "text/plain; charset=Shift_JIS",
                PAGE, ",\"extract\":{\"w\":[\"\xe6\x97\xa5\xe6\x9c\xac\"]}",
                "-e", "w=\\w+", NULL);
}

static int regex_over_html_source(char *why)
{
  return expect(why, S("<a href=\"/x\">x</a><a href=\"/y\">y</a>"), HTML, PAGE,
                ",\"extract\":{\"h\":[\"/x\",\"/y\"]}", "-e",
                "h=href=\"([^\"]*)\"", NULL);
}

static int regex_case_insensitive_flag(char *why)
{
  return expect(why, S("Foo FOO foo"), "text/plain", PAGE,
                ",\"extract\":{\"f\":[\"Foo\",\"FOO\",\"foo\"]}", "-e",
                "f=(?i)foo", NULL);
}

static int regex_backtracking_bounded(char *why)
{
  struct extract_spec spec;
  struct extract_result res;
  char err[VL_ERRLEN], *body = xmalloc(30002);
  clock_t t0;
  double s;

  memset(body, 'a', 30000);
  memcpy(body + 30000, "b", 2);
  extract_spec_init(&spec);
  CHECK_INT(extract_spec_add_regex(&spec, "r=(a+)+$", err), 0);
  t0 = clock();
  extract_run(&spec, body, 30001, "text/plain", PAGE, &res);
  s = (double)(clock() - t0) / CLOCKS_PER_SEC;
  CHECK_UINT(res.values[0].n, 0);
  extract_result_free(&res);
  extract_spec_free(&spec);
  free(body);
  CHECK(s < 2.0);
  return 0;
}

/* "n" copies of "unit" in a malloc'd buffer of "*len" bytes. */
static char *repeat(const char *unit, size_t n, size_t *len)
{
  size_t u = strlen(unit), i;
  char *s = xmalloc(u * n + 1);

  for (i = 0; i < n; i++)
    memcpy(s + i * u, unit, u);
  s[u * n] = '\0';
  *len = u * n;
  return s;
}

/* The body: each of 19,000 start positions stays under PCRE2's
 * match limit (2^18 steps or fewer), so only a budget across positions
 * stops "(a+)+$"; a second regex on the same body still runs whole. */
static int regex_budget_across_positions(char *why)
{
  size_t len;
  char *body = repeat("aaaaaaaaaaaaaaaaaa!", 1000, &len);
  int rc;

  rc = expect(why, body, len, "text/plain", PAGE,
              ",\"extract\":{\"r\":[],\"b\":[\"a!\"]},"
              "\"extract_cut\":{\"r\":\"budget\"}",
              "-e", "r=(a+)+$", "-e", "b=a(a!)$", NULL);
  free(body);
  return rc;
}

/* The depth and heap limits of one match, named in the cut. */
static int regex_depth_and_heap_limits(char *why)
{
  size_t len;
  char *body = repeat("ab", 200000, &len);
  int rc;

  rc = expect(why, body, len, "text/plain", PAGE,
              ",\"extract\":{\"d\":[]},\"extract_cut\":{\"d\":\"depth "
              "limit\"}",
              "-e", "d=^(?:a|b)*$", NULL);
  if (rc == 0)
    rc = expect(why, body, len, "text/plain", PAGE,
                ",\"extract\":{\"h\":[]},\"extract_cut\":{\"h\":\"heap "
                "limit\"}",
                "-e", "h=^(?:((((((((((((((((((((a))))))))))))))))))))|b)*$",
                NULL);
  free(body);
  /* Short subjects stay well within both. */
  if (rc == 0)
    rc = expect(why, S("abababab"), "text/plain", PAGE,
                ",\"extract\":{\"d\":[\"b\"]}", "-e", "d=^(?:a|(b))*$", NULL);
  return rc;
}

/* A stop asked before the run: nothing runs, every -x and -e is cut. */
static int stop_before(char *why)
{
  struct extract_spec spec;
  struct extract_result res;
  struct record_buf out = { NULL, 0, 0 };
  atomic_bool stop = true;
  char err[VL_ERRLEN];
  static const char want[] =
      ",\"title\":null,\"extract\":{\"h\":[],\"r\":[]},"
      "\"extract_cut\":{\"h\":\"cancelled\",\"r\":\"cancelled\"}";

  extract_spec_init(&spec);
  spec.title = true;
  CHECK_INT(extract_spec_add_xpath(&spec, "h=//h1", err), 0);
  CHECK_INT(extract_spec_add_regex(&spec, "r=h", err), 0);
  extract_run_until(&spec, S("<title>t</title><h1>h</h1>"), HTML, PAGE, &stop,
                    &res);
  fragment(&res, &spec, &out);
  CHECK(out.len == sizeof(want) - 1 && memcmp(out.p, want, out.len) == 0);
  extract_result_free(&res);
  extract_spec_free(&spec);
  record_buf_free(&out);
  return 0;
}

static void *stop_soon(void *ud)
{
  atomic_store((atomic_bool *)ud, true);
  return NULL;
}

/* A stop asked by another thread while a costly regex runs ends it within
 * a few thousand steps, long before its budget (4 MB of text: about 75
 * million steps). */
static int stop_while_running(char *why)
{
  struct extract_spec spec;
  struct extract_result res;
  atomic_bool stop = false;
  char err[VL_ERRLEN];
  size_t len;
  char *body = repeat("aaaaaaaaaaaaaaaaaa!", (4 << 20) / 19, &len);
  pthread_t t;

  extract_spec_init(&spec);
  CHECK_INT(extract_spec_add_regex(&spec, "r=(a+)+$", err), 0);
  CHECK_INT(pthread_create(&t, NULL, stop_soon, &stop), 0);
  extract_run_until(&spec, body, len, "text/plain", PAGE, &stop, &res);
  pthread_join(t, NULL);
  CHECK_UINT(res.values[0].n, 0);
  CHECK(res.values[0].cut && strcmp(res.values[0].cut, "cancelled") == 0);
  extract_result_free(&res);
  extract_spec_free(&spec);
  free(body);
  return 0;
}

static int regex_bad_pattern(char *why)
{
  return refuses(why, 'e', "r=(a", "--regex: 'r=(a': missing closing");
}

static int regex_bad_pattern_offset(char *why)
{
  return refuses(why, 'e', "r=a{2,1}", "at offset 5");
}

static int regex_bad_utf8_pattern(char *why)
{
  return refuses(why, 'e', "r=\xff", "UTF-8");
}

/* --- bodies that are not HTML ----------------------------------------- */

static int not_html_json(char *why)
{
  return expect(why, S("{\"title\":\"<title>x</title>\",\"n\":42}"),
                "application/json", PAGE,
                ",\"title\":null,\"links\":[],\"extract\":{\"t\":[],"
                "\"n\":[\"42\"]}",
                "--title", "--links", "-x", "t=//title", "-e",
                "n=\"n\":(\\d+)", NULL);
}

static int not_html_text_plain(char *why)
{
  return expect(why, S("<html><title>Looks like HTML</title></html>"),
                "text/plain", PAGE, ",\"title\":null", "--title", NULL);
}

static int not_html_image(char *why)
{
  return expect(why, S("\x89PNG\r\n\x1a\n\x00\x00<title>"), "image/png", PAGE,
                ",\"title\":null,\"links\":[]", "--title", "--links", NULL);
}

static int sniff_doctype(char *why)
{
  return expect(why, S("\n  <!DOCTYPE html><title>Sniffed</title>"), NULL,
                PAGE, ",\"title\":\"Sniffed\"", "--title", NULL);
}

static int sniff_unknown_type(char *why)
{
  return expect(why, S("<HTML><title>Sniffed</title>"), "unknown/unknown",
                PAGE, ",\"title\":\"Sniffed\"", "--title", NULL);
}

static int sniff_not_html(char *why)
{
  return expect(why, S("just some text <title>x</title>"), NULL, PAGE,
                ",\"title\":null", "--title", NULL);
}

static int xhtml_type(char *why)
{
  return expect(why,
                S("<?xml version=\"1.0\"?><html "
                  "xmlns=\"http://www.w3.org/1999/xhtml\"><head>"
                  "<title>X</title></head><body><a href=\"y\">y</a></body>"
                  "</html>"),
                "application/xhtml+xml", PAGE,
                ",\"title\":\"X\",\"links\":[\"http://example.com/dir/y\"]",
                "--title", "--links", NULL);
}

static int content_type_case(char *why)
{
  return expect(why, S("<title>T</title>"), "Text/HTML ; Charset=UTF-8", PAGE,
                ",\"title\":\"T\"", "--title", NULL);
}

static int empty_body(char *why)
{
  return expect(why, "", 0, HTML, PAGE,
                ",\"title\":null,\"links\":[],\"extract\":{\"t\":[],"
                "\"r\":[]}",
                "--title", "--links", "-x", "t=//title", "-e", "r=.", NULL);
}

static int null_body(char *why)
{
  return expect(why, NULL, 0, NULL, NULL, ",\"title\":null", "--title", NULL);
}

/* --- broken HTML ------------------------------------------------------- */

static int broken_unclosed(char *why)
{
  return expect(why,
                S("<html><head><title>Broken</title><body><div><p>one<p>two"
                  "<a href=\"/x\">x<div><span><a href=y>y"),
                HTML, PAGE,
                ",\"title\":\"Broken\",\"links\":[\"http://example.com/x\","
                "\"http://example.com/dir/y\"],\"extract\":{\"p\":[\"2\"]}",
                "--title", "--links", "-x", "p=count(//p)", NULL);
}

static int broken_no_html_element(char *why)
{
  return expect(why, S("<title>Bare</title><a href=x>x</a></b></i></table>"),
                HTML, PAGE,
                ",\"title\":\"Bare\",\"links\":[\"http://example.com/dir/x\"]",
                "--title", "--links", NULL);
}

static int broken_garbage(char *why)
{
  return expect(why, S("<<<>>><\x01\x02\xff\xfe</a><a href=\"\xff\">"), HTML,
                PAGE, ",\"title\":null", "--title", NULL);
}

static int broken_deep_nesting(char *why)
{
  struct extract_spec spec;
  struct extract_result res;
  char *body = xmalloc(5 * 20000 + 64);
  size_t n = 0;
  int i;

  for (i = 0; i < 20000; i++) {
    memcpy(body + n, "<div>", 5);
    n += 5;
  }
  memcpy(body + n, "<a href=\"/deep\">d</a>", 21);
  n += 21;
  extract_spec_init(&spec);
  spec.links = true;
  spec.title = true;
  CHECK_INT(extract_run(&spec, body, n, HTML, PAGE, &res), 0);
  CHECK(!res.title);
  extract_result_free(&res);
  extract_spec_free(&spec);
  free(body);
  return 0;
}

static int invalid_utf8_html(char *why)
{
  /* The fragment comes out valid UTF-8 whatever the parser made of it. */
  struct extract_spec spec;
  struct extract_result res;
  struct record_buf out = { NULL, 0, 0 };
  static const char body[] = "<title>bad \xff\xfe bytes \xc3</title>";
  bool ok;

  extract_spec_init(&spec);
  spec.title = true;
  extract_run(&spec, body, sizeof(body) - 1, HTML, PAGE, &res);
  CHECK(res.title != NULL);
  CHECK_HAS(res.title, "bad");
  fragment(&res, &spec, &out);
  ok = record_is_utf8(out.p, out.len);
  extract_result_free(&res);
  extract_spec_free(&spec);
  record_buf_free(&out);
  CHECK(ok);
  return 0;
}

/* --- the record fragment ----------------------------------------------- */

static int json_everything(char *why)
{
  return expect(why,
                S("<title>T</title><a href=\"/a\">A</a><p>p1</p><p>p2</p>"),
                HTML, PAGE,
                ",\"title\":\"T\",\"links\":[\"http://example.com/a\"],"
                "\"extract\":{\"p\":[\"p1\",\"p2\"],\"r\":[\"p1\",\"p2\"]}",
                "--title", "--links", "-x", "p=//p", "-e", "r=p\\d", NULL);
}

static int json_escapes(char *why)
{
  return expect(why, S("<title>say \"hi\" \\ back</title>"), HTML, PAGE,
                ",\"title\":\"say \\\"hi\\\" \\\\ back\"", "--title", NULL);
}

static int json_inactive_spec(char *why)
{
  struct extract_spec spec;
  struct extract_result res;
  struct record_buf out = { NULL, 0, 0 };

  extract_spec_init(&spec);
  CHECK(!extract_spec_active(&spec));
  extract_run(&spec, "<title>x</title>", 16, HTML, PAGE, &res);
  fragment(&res, &spec, &out);
  CHECK_UINT(out.len, 0);
  extract_result_free(&res);
  extract_spec_free(&spec);
  record_buf_free(&out);
  return 0;
}

static int json_zeroed_result(char *why)
{
  struct extract_spec spec;
  struct extract_result res;
  struct record_buf out = { NULL, 0, 0 };
  char err[VL_ERRLEN];
  const char *want;
  int same;

  /* A request that failed has no body: the caller may write a zeroed
   * result and get the empty fields. */
  extract_spec_init(&spec);
  spec.title = spec.links = true;
  CHECK_INT(extract_spec_add_regex(&spec, "r=x", err), 0);
  memset(&res, 0, sizeof(res));
  fragment(&res, &spec, &out);
  want = ",\"title\":null,\"links\":[],\"extract\":{\"r\":[]}";
  same = out.len == strlen(want) && memcmp(out.p, want, out.len) == 0;
  extract_result_free(&res);
  extract_spec_free(&spec);
  record_buf_free(&out);
  CHECK(same);
  return 0;
}

static int spec_active(char *why)
{
  struct extract_spec spec;
  char err[VL_ERRLEN];
  bool a, b, c;

  extract_spec_init(&spec);
  a = extract_spec_active(&spec);
  spec.links = true;
  b = extract_spec_active(&spec);
  spec.links = false;
  CHECK_INT(extract_spec_add_xpath(&spec, "t=//title", err), 0);
  c = extract_spec_active(&spec);
  extract_spec_free(&spec);
  CHECK(!a && b && c);
  CHECK(!extract_spec_active(&spec));
  return 0;
}

/* --- threads ----------------------------------------------------------- */

struct thread_arg {
  const struct extract_spec *spec;
  const char *body;
  size_t len;
  int failures;
};

static void *thread_main(void *p)
{
  struct thread_arg *a = p;
  int i;

  for (i = 0; i < 200; i++) {
    struct extract_result res;

    extract_run(a->spec, a->body, a->len, HTML, PAGE, &res);
    if (!res.title || strcmp(res.title, "T") != 0 || res.nlinks != 3 ||
        res.values[0].n != 1 || strcmp(res.values[0].v[0], "3") != 0 ||
        res.values[1].n != 3 || res.values[2].n != 3)
      a->failures++;
    extract_result_free(&res);
  }
  return NULL;
}

static int threads_share_spec(char *why)
{
  struct extract_spec spec;
  struct thread_arg args[4];
  pthread_t tids[4];
  char err[VL_ERRLEN];
  int i, failures = 0;

  extract_spec_init(&spec);
  spec.title = spec.links = true;
  CHECK_INT(extract_spec_add_xpath(&spec, "n=count(//a)", err), 0);
  CHECK_INT(extract_spec_add_xpath(&spec, "h=//a/@href", err), 0);
  CHECK_INT(extract_spec_add_regex(&spec, "r=href=\"([^\"]+)", err), 0);
  for (i = 0; i < 4; i++) {
    args[i].spec = &spec;
    args[i].body = XDOC;
    args[i].len = strlen(XDOC);
    args[i].failures = 0;
    CHECK_INT(pthread_create(&tids[i], NULL, thread_main, &args[i]), 0);
  }
  for (i = 0; i < 4; i++) {
    pthread_join(tids[i], NULL);
    failures += args[i].failures;
  }
  extract_spec_free(&spec);
  CHECK_INT(failures, 0);
  return 0;
}

static const struct tap_case cases[] = {
  { "title: plain", title_plain },
  { "title: entities decoded", title_entities },
  { "title: non-ASCII UTF-8 kept", title_non_ascii },
  { "title: whitespace collapsed and trimmed", title_whitespace },
  { "title: a no-break space is not collapsed", title_nbsp_kept },
  { "title: none gives null", title_missing },
  { "title: an empty title is the empty string", title_empty },
  { "title: the first one wins", title_first_wins },
  { "title: an SVG <title> is not the page's", title_svg_ignored },
  { "title: charset from Content-Type (ISO-8859-1)", title_latin1_header },
  { "title: charset from <meta> when the header has none",
    title_meta_charset },
  { "title: a quoted charset parameter", title_quoted_charset },
  { "title: a UTF-16 page with a BOM", title_utf16 },
  { "links: relative links resolved against the URL", links_relative },
  { "links: <a> and <area> href, <frame> and <iframe> src by default",
    links_navigational },
  { "links: --page-requisites adds <link href>, <img> and <script> src",
    links_requisites },
  { "links: a frameset's frames", links_frameset },
  { "links: --page-requisites adds url() and @import of <style> and style=",
    links_css_in_html },
  { "links: no CSS URLs without --page-requisites",
    links_css_not_without_requisites },
  { "links: a stylesheet's URLs with --page-requisites", links_css_body },
  { "links: a stylesheet gives none without --page-requisites",
    links_css_body_not_without_requisites },
  { "links: the scan and libxml2's tree agree", scan_and_tree_agree },
  { "links: the tree is built only where the scan declines or -x needs it",
    scan_or_tree },
  { "links: a relative <base href> resolves against the URL",
    links_base_href },
  { "links: an absolute <base href>", links_base_absolute },
  { "links: the first <base href> applies to earlier links",
    links_base_after_links },
  { "links: a javascript: <base> is ignored", links_base_javascript_ignored },
  { "links: duplicates dropped, document order kept", links_dedupe_in_order },
  { "links: fragments dropped", links_fragment_dropped },
  { "links: mailto:, javascript:, data:, ftp:, tel: dropped",
    links_non_http_dropped },
  { "links: blanks around an href trimmed", links_trimmed },
  { "links: without a URL only absolute links count", links_no_url },
  { "links: none gives []", links_none },
  { "links: entities in an href decoded", links_entity_in_href },
  { "links: 6000 links, 3000 distinct", links_many_deduped },
  { "xpath: attribute values", xpath_attributes },
  { "xpath: element text content, descendants included", xpath_text },
  { "xpath: text() nodes", xpath_text_nodes },
  { "xpath: count() is an integer without .0", xpath_count },
  { "xpath: a fraction", xpath_fraction },
  { "xpath: string()", xpath_string },
  { "xpath: string() of an attribute", xpath_string_attribute },
  { "xpath: booleans as true and false", xpath_boolean },
  { "xpath: no match gives []", xpath_no_match },
  { "xpath: relative paths start at the document", xpath_relative_from_root },
  { "xpath: a predicate", xpath_predicate },
  { "xpath: normalize-space()", xpath_normalize_space },
  { "xpath: a syntax error names the argument", xpath_bad_expression },
  { "xpath: a syntax error gives its offset", xpath_bad_expression_offset },
  { "xpath: an unknown function is refused", xpath_unknown_function },
  { "xpath: an undefined variable is refused", xpath_undefined_variable },
  { "xpath: a wrong argument count is refused", xpath_arity },
  { "names: NAME=EXPR needs the =", name_missing_equals },
  { "names: an empty name is refused", name_empty },
  { "names: an empty expression is refused", expr_empty },
  { "names: an empty pattern is refused", pattern_empty },
  { "names: a space is refused", name_bad_chars },
  { "names: a dot is refused", name_dot_refused },
  { "names: letters, digits, - and _ are fine", name_allowed_chars },
  { "names: one name for two items is refused", name_duplicate },
  { "names: the expression may hold =", expr_may_hold_equals },
  { "regex: whole matches without a group", regex_whole_match },
  { "regex: the first group", regex_first_group },
  { "regex: only the first of several groups", regex_only_first_group },
  { "regex: an optional group that missed gives \"\"",
    regex_optional_group_unset },
  { "regex: \\w is Unicode-aware", regex_unicode },
  { "regex: . is one character, not one byte", regex_dot_is_a_character },
  { "regex: empty matches advance, as in Perl", regex_empty_matches_advance },
  { "regex: empty matches step whole characters",
    regex_empty_matches_unicode },
  { "regex: invalid UTF-8 in the body is skipped, not fatal",
    regex_invalid_utf8_body },
  { "regex: an invalid byte reads as U+FFFD", regex_invalid_utf8_dot },
  { "regex: a NUL byte is an ordinary character", regex_nul_in_body },
  { "regex: 262,000 matches over 2 MiB stay linear",
    regex_many_matches_linear },
  { "regex: a Latin-1 body is decoded first", regex_latin1_decoded },
  { "regex: a UTF-16 BOM decides the decoding", regex_utf16_bom },
  { "regex: a Shift_JIS body is decoded first", regex_shift_jis },
  { "regex: runs over the HTML source", regex_over_html_source },
  { "regex: inline flags", regex_case_insensitive_flag },
  { "regex: a budget across start positions; the other regex runs whole",
    regex_budget_across_positions },
  { "regex: depth and heap limits, named in extract_cut",
    regex_depth_and_heap_limits },
  { "stop: asked before, every -x and -e cut as cancelled", stop_before },
  { "stop: asked while a regex runs, it ends cancelled", stop_while_running },
  { "regex: catastrophic backtracking stops at the match limit",
    regex_backtracking_bounded },
  { "regex: a bad pattern names the argument and the error",
    regex_bad_pattern },
  { "regex: a bad pattern gives its offset", regex_bad_pattern_offset },
  { "regex: a pattern that is not UTF-8 is refused", regex_bad_utf8_pattern },
  { "not HTML: JSON gives null, [] and empty XPath; regex runs",
    not_html_json },
  { "not HTML: text/plain is not sniffed", not_html_text_plain },
  { "not HTML: an image", not_html_image },
  { "sniffed: no type and a doctype", sniff_doctype },
  { "sniffed: unknown/unknown and <HTML", sniff_unknown_type },
  { "sniffed: no type and plain text is not HTML", sniff_not_html },
  { "application/xhtml+xml is HTML", xhtml_type },
  { "the content type is case-insensitive", content_type_case },
  { "an empty body gives empty results", empty_body },
  { "a NULL body gives empty results", null_body },
  { "broken HTML: unclosed tags still give title, links, XPath",
    broken_unclosed },
  { "broken HTML: no <html>, stray end tags", broken_no_html_element },
  { "broken HTML: garbage and control bytes", broken_garbage },
  { "broken HTML: 20,000 nested elements", broken_deep_nesting },
  { "invalid UTF-8 in HTML: the fragment is valid UTF-8", invalid_utf8_html },
  { "fragment: title, links and extract in order", json_everything },
  { "fragment: strings are escaped", json_escapes },
  { "fragment: nothing for an inactive spec", json_inactive_spec },
  { "fragment: a zeroed result writes empty fields", json_zeroed_result },
  { "extract_spec_active", spec_active },
  { "threads: 4 x 200 runs on one spec agree", threads_share_spec },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
