/* Unit tests of writeout.c: each variable, escapes, %%, the parse errors,
 * the one newline per record, and values kept on one line and in valid
 * UTF-8. One row per case. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "record.h"
#include "tap.h"
#include "util.h"
#include "writeout.h"

#define FFFD "\xef\xbf\xbd"

/* A complete, successful GET of line 7 with every field set. */
static void result_full(struct result *r)
{
  memset(r, 0, sizeof(*r));
  r->line = 7;
  r->url = "http://example.com/a";
  r->attempts = 2;
  r->time_s = 0.25;
  r->status = 200;
  r->kind = ERRKIND_NONE;
  r->final_url = "http://example.com/b";
  r->http_version = "1.1";
  r->content_type = "text/html; charset=utf-8";
  r->remote_ip = "127.0.0.1";
  r->size = 1234;
  r->redirects = 1;
}

/* A request that never got a response: every optional field unknown. */
static void result_bare(struct result *r)
{
  memset(r, 0, sizeof(*r));
  r->line = 3;
  r->url = "http://bad.invalid/";
  r->attempts = 1;
  r->time_s = 0.001;
  r->status = 0;
  r->kind = ERRKIND_DNS;
  r->message = "Could not resolve host: bad.invalid";
  r->size = -1;
  r->redirects = -1;
}

/* Compile "format", render "r" with it, and compare with "want" (the
 * newline included). */
static int expect(const char *format, const struct result *r, const char *want,
                  char *why)
{
  struct writeout w;
  struct record_buf b = { NULL, 0, 0 };
  char err[VL_ERRLEN] = "";
  int rc = 0;

  if (writeout_parse(&w, format, err) != 0)
    return tap_fail(why, __FILE__, __LINE__, "'%s': %s", format, err);
  writeout_render(&w, r, &b);
  if (b.len != strlen(want) || memcmp(b.p, want, b.len) != 0)
    rc = tap_fail(why, __FILE__, __LINE__, "'%s' gave '%.*s', want '%s'",
                  format, (int)b.len, b.p ? b.p : "", want);
  record_buf_free(&b);
  writeout_free(&w);
  return rc;
}

/* "format" must fail with "want" as its message and leave "w" empty. */
static int expect_error(const char *format, const char *want, char *why)
{
  struct writeout w;
  char err[VL_ERRLEN] = "";

  memset(&w, 0x5a, sizeof(w));
  if (writeout_parse(&w, format, err) == 0) {
    writeout_free(&w);
    return tap_fail(why, __FILE__, __LINE__, "'%s' was accepted", format);
  }
  /* An unknown variable's message goes on with the list of names. */
  if (strncmp(err, want, strlen(want)) != 0 ||
      (err[strlen(want)] &&
       strncmp(err + strlen(want), "; the variables are id ", 23) != 0))
    return tap_fail(why, __FILE__, __LINE__, "'%s': '%s', want '%s'", format,
                    err, want);
  if (w.pieces || w.npieces || w.text)
    return tap_fail(why, __FILE__, __LINE__, "'%s': w not emptied", format);
  writeout_free(&w);
  return 0;
}

static int var_id_line(char *why)
{
  struct result r;

  result_full(&r);
  return expect("%{id}", &r, "7\n", why);
}

static int var_id_json(char *why)
{
  struct result r;

  result_full(&r);
  r.id_json = "\"page-1\"";
  CHECK_OK(expect("%{id}", &r, "\"page-1\"\n", why));
  r.id_json = "42";
  return expect("%{id}", &r, "42\n", why);
}

static int var_url(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{url}", &r, "http://example.com/a\n", why));
  r.url = NULL;
  return expect("[%{url}]", &r, "[]\n", why);
}

static int var_ok(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{ok}", &r, "true\n", why));
  r.status = 500;
  CHECK_OK(expect("%{ok}", &r, "false\n", why));
  result_bare(&r);
  return expect("%{ok}", &r, "false\n", why);
}

static int var_status(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{status}", &r, "200\n", why));
  r.status = 404;
  CHECK_OK(expect("%{status}", &r, "404\n", why));
  result_bare(&r);
  return expect("[%{status}]", &r, "[]\n", why);
}

static int var_attempts(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{attempts}", &r, "2\n", why));
  r.attempts = 0;
  return expect("%{attempts}", &r, "0\n", why);
}

static int var_time(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{time}", &r, "0.250000\n", why));
  r.time_s = 12.3456789;
  CHECK_OK(expect("%{time}", &r, "12.345679\n", why));
  r.time_s = 0;
  return expect("%{time}", &r, "0.000000\n", why);
}

static int var_error_empty_when_ok(char *why)
{
  struct result r;

  result_full(&r);
  r.message = "left over from a retry";
  return expect("[%{error}][%{error_message}]", &r, "[][]\n", why);
}

static int var_error_kind(char *why)
{
  struct result r;

  result_bare(&r);
  CHECK_OK(expect("%{error}", &r, "dns\n", why));
  r.kind = ERRKIND_TIMEOUT;
  CHECK_OK(expect("%{error}", &r, "timeout\n", why));
  r.kind = ERRKIND_TOO_LARGE;
  return expect("%{error}", &r, "too_large\n", why);
}

static int var_error_http(char *why)
{
  struct result r;

  /* As in the record: a completed transfer that is not ok is "http",
   * with "HTTP 503" when no message came. */
  result_full(&r);
  r.status = 503;
  return expect("%{error}: %{error_message}", &r, "http: HTTP 503\n", why);
}

static int var_error_message(char *why)
{
  struct result r;

  result_bare(&r);
  return expect("%{error_message}", &r,
                "Could not resolve host: bad.invalid\n", why);
}

static int var_final_url(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{final_url}", &r, "http://example.com/b\n", why));
  result_bare(&r);
  return expect("[%{final_url}]", &r, "[]\n", why);
}

static int var_http_version(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{http_version}", &r, "1.1\n", why));
  r.http_version = "2";
  CHECK_OK(expect("%{http_version}", &r, "2\n", why));
  result_bare(&r);
  return expect("[%{http_version}]", &r, "[]\n", why);
}

static int var_content_type(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{content_type}", &r, "text/html; charset=utf-8\n", why));
  result_bare(&r);
  return expect("[%{content_type}]", &r, "[]\n", why);
}

static int var_size(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{size}", &r, "1234\n", why));
  r.size = 0;
  CHECK_OK(expect("%{size}", &r, "0\n", why));
  r.size = (int64_t)1 << 40;
  CHECK_OK(expect("%{size}", &r, "1099511627776\n", why));
  result_bare(&r);
  return expect("[%{size}]", &r, "[]\n", why);
}

static int var_redirects(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{redirects}", &r, "1\n", why));
  r.redirects = 0;
  CHECK_OK(expect("%{redirects}", &r, "0\n", why));
  result_bare(&r);
  return expect("[%{redirects}]", &r, "[]\n", why);
}

static int var_remote_ip(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{remote_ip}", &r, "127.0.0.1\n", why));
  r.remote_ip = "::1";
  CHECK_OK(expect("%{remote_ip}", &r, "::1\n", why));
  result_bare(&r);
  return expect("[%{remote_ip}]", &r, "[]\n", why);
}

static int tsv_line(char *why)
{
  struct result r;

  result_full(&r);
  return expect("%{id}\\t%{status}\\t%{time}\\t%{url}\\n", &r,
                "7\t200\t0.250000\thttp://example.com/a\n", why);
}

static int literal_only(char *why)
{
  struct result r;

  result_full(&r);
  return expect("hello, world", &r, "hello, world\n", why);
}

static int empty_format(char *why)
{
  struct result r;

  result_full(&r);
  return expect("", &r, "\n", why);
}

static int escapes(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("a\\tb\\rc\\\\d\\ne", &r, "a\tb\rc\\d\ne\n", why));
  /* Two backslashes then n: an escaped backslash, then a plain n. */
  return expect("x\\\\n", &r, "x\\n\n", why);
}

static int unknown_escape_kept(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("a\\xb\\%{status}", &r, "a\\xb\\200\n", why));
  return expect("end\\", &r, "end\\\n", why);
}

static int percent(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("100%% %{status}", &r, "100% 200\n", why));
  CHECK_OK(expect("%%{url}", &r, "%{url}\n", why));
  CHECK_OK(expect("%%%{status}", &r, "%200\n", why));
  /* A '%' before anything but '%' or '{' is plain text, as in curl. */
  CHECK_OK(expect("%d %s 5%", &r, "%d %s 5%\n", why));
  return 0;
}

static int unknown_variable(char *why)
{
  CHECK_OK(expect_error("%{foo}", "unknown variable %{foo}", why));
  CHECK_OK(expect_error("x %{url} %{URL}", "unknown variable %{URL}", why));
  CHECK_OK(expect_error("%{}", "unknown variable %{}", why));
  CHECK_OK(expect_error("%{ url}", "unknown variable %{ url}", why));
  /* The message stays one line. */
  CHECK_OK(expect_error("%{ur\nl}", "unknown variable %{ur}...", why));
  return 0;
}

static int unknown_variable_long_name(char *why)
{
  char format[200], want[120];

  memset(format, 'a', sizeof(format));
  memcpy(format, "%{", 2);
  memcpy(format + sizeof(format) - 2, "}", 2);
  snprintf(want, sizeof(want), "unknown variable %%{%.64s}...", format + 2);
  return expect_error(format, want, why);
}

static int unclosed(char *why)
{
  CHECK_OK(expect_error("%{url", "unclosed %{ at column 1", why));
  CHECK_OK(expect_error("ab %{status} %{", "unclosed %{ at column 14", why));
  CHECK_OK(expect_error("%{url}%{", "unclosed %{ at column 7", why));
  return 0;
}

static int newline_added_once(char *why)
{
  struct result r;

  result_full(&r);
  CHECK_OK(expect("%{status}", &r, "200\n", why));
  CHECK_OK(expect("%{status}\\n", &r, "200\n", why));
  CHECK_OK(expect("%{status}\n", &r, "200\n", why));
  /* A template that asks for two lines per record gets them. */
  CHECK_OK(expect("%{status}\\n\\n", &r, "200\n\n", why));
  return expect("%{status}\\n%{url}", &r, "200\nhttp://example.com/a\n", why);
}

static int value_newlines_flattened(char *why)
{
  struct result r;

  result_bare(&r);
  r.message = "line one\nline two\r\n\tindented";
  CHECK_OK(
      expect("%{error_message}", &r, "line one line two   indented\n", why));
  /* A value ending in a newline does not stand for the line's end. */
  r.message = "trailing\n";
  CHECK_OK(expect("%{error_message}", &r, "trailing \n", why));
  r.url = "http://a/\tb";
  r.id_json = "\"x\ny\"";
  return expect("%{id}|%{url}", &r, "\"x y\"|http://a/ b\n", why);
}

static int invalid_utf8_repaired(char *why)
{
  struct result r;

  result_full(&r);
  r.content_type = "a\xff"
                   "b";
  CHECK_OK(expect("%{content_type}", &r, "a" FFFD "b\n", why));
  /* A sequence cut short at the end of the value. */
  r.content_type = "caf\xc3";
  CHECK_OK(expect("%{content_type}", &r, "caf" FFFD "\n", why));
  /* Overlong '/' and a UTF-16 surrogate: one U+FFFD per byte. */
  r.content_type = "\xc0\xaf";
  CHECK_OK(expect("%{content_type}", &r, FFFD FFFD "\n", why));
  r.content_type = "\xed\xa0\x80!";
  CHECK_OK(expect("%{content_type}", &r, FFFD FFFD FFFD "!\n", why));
  /* A bad byte beside a newline: both repaired. */
  r.content_type = "\x80\n";
  return expect("%{content_type}", &r, FFFD " \n", why);
}

static int value_controls_escaped(char *why)
{
  struct result r;

  result_full(&r);
  /* An escape sequence in a header or title: ESC and BEL written as
   * text, the rest kept. */
  r.content_type = "text/html\x1b]0;pwned\x07\x1b[2J";
  CHECK_OK(expect("%{content_type}", &r,
                  "text/html\\x1b]0;pwned\\x07\\x1b[2J\n", why));
  /* Every C0 byte but tab, CR and LF, and DEL. */
  r.content_type = "\x01\x08\x0b\x0c\x1f|\x7f";
  CHECK_OK(
      expect("%{content_type}", &r, "\\x01\\x08\\x0b\\x0c\\x1f|\\x7f\n", why));
  /* C1 (CSI is U+009B) is escaped byte by byte; U+00A0 is not C1. */
  r.content_type = "a\xc2\x9b"
                   "31mb\xc2\xa0";
  CHECK_OK(expect("%{content_type}", &r,
                  "a\\xc2\\x9b"
                  "31mb\xc2\xa0\n",
                  why));
  /* A control byte beside invalid UTF-8 and a tab: each repaired. */
  r.content_type = "\x1b\xff\t";
  return expect("%{content_type}", &r, "\\x1b" FFFD " \n", why);
}

static int valid_utf8_kept(char *why)
{
  struct result r;

  result_full(&r);
  r.url = "http://example.com/caf\xc3\xa9/\xe2\x82\xac/\xf0\x9f\x98\x80";
  return expect("%{url}", &r,
                "http://example.com/caf\xc3\xa9/\xe2\x82\xac/"
                "\xf0\x9f\x98\x80\n",
                why);
}

static int literal_text_raw(char *why)
{
  struct result r;

  /* The template is the user's own: its bytes are not repaired. */
  result_full(&r);
  return expect("\xff%{status}", &r,
                "\xff"
                "200\n",
                why);
}

static int render_appends(char *why)
{
  struct writeout w;
  struct record_buf b = { NULL, 0, 0 };
  char err[VL_ERRLEN];
  struct result r;

  result_full(&r);
  CHECK(writeout_parse(&w, "%{id} %{status}", err) == 0);
  writeout_render(&w, &r, &b);
  r.line = 8;
  r.status = 0;
  writeout_render(&w, &r, &b);
  CHECK_UINT(b.len, 9);
  CHECK(memcmp(b.p, "7 200\n8 \n", 9) == 0);
  /* An empty render after a full one still adds its own line. */
  writeout_free(&w);
  CHECK(writeout_parse(&w, "", err) == 0);
  record_buf_reset(&b);
  writeout_render(&w, &r, &b);
  CHECK_UINT(b.len, 1);
  record_buf_free(&b);
  writeout_free(&w);
  return 0;
}

static int pieces_compiled_once(char *why)
{
  struct writeout w;
  char err[VL_ERRLEN];

  /* "a%%b\\t" is one literal run; the variables are pieces of their own. */
  CHECK(writeout_parse(&w, "a%%b\\t%{url}%{status}c", err) == 0);
  CHECK_UINT(w.npieces, 4);
  CHECK(w.pieces[0].kind == WRITEOUT_LITERAL);
  CHECK_UINT(w.pieces[0].len, 4);
  CHECK(memcmp(w.text + w.pieces[0].off, "a%b\t", 4) == 0);
  CHECK(w.pieces[1].kind == WRITEOUT_FIELD);
  CHECK(w.pieces[1].field == record_field_find("url", 3));
  CHECK(w.pieces[2].field == record_field_find("status", 6));
  CHECK(w.pieces[3].kind == WRITEOUT_LITERAL);
  CHECK(memcmp(w.text + w.pieces[3].off, "c", 1) == 0);
  writeout_free(&w);
  return 0;
}

static int many_pieces(char *why)
{
  struct writeout w;
  struct record_buf b = { NULL, 0, 0 };
  char format[1000], err[VL_ERRLEN];
  struct result r;
  size_t i;

  for (i = 0; i < 100; i++)
    memcpy(format + i * 6, "%{id},", 6);
  format[600] = '\0';
  result_full(&r);
  CHECK(writeout_parse(&w, format, err) == 0);
  CHECK_UINT(w.npieces, 200);
  writeout_render(&w, &r, &b);
  CHECK_UINT(b.len, 201);
  CHECK(memcmp(b.p + 196, "7,7,\n", 5) == 0);
  record_buf_free(&b);
  writeout_free(&w);
  return 0;
}

static int free_is_idempotent(char *why)
{
  struct writeout w = { NULL, 0, NULL };
  char err[VL_ERRLEN];

  writeout_free(&w);
  CHECK(writeout_parse(&w, "x%{url}", err) == 0);
  writeout_free(&w);
  writeout_free(&w);
  CHECK(!w.pieces && w.npieces == 0 && !w.text);
  return 0;
}

/* Every field of the table is a variable of its own, in the record's
 * order; curl's names stand for volley's. */
static int every_name_parses(char *why)
{
  static const char *const names[] = {
    "id",
    "url",
    "ok",
    "status",
    "attempts",
    "time",
    "queued",
    "error",
    "timing",
    "final_url",
    "http_version",
    "content_type",
    "size",
    "redirects",
    "remote_ip",
    "etag",
    "last_modified",
    "sha256",
    "unchanged",
    "changed",
    "headers",
    "headers_dropped",
    "body",
    "body_base64",
    "parent",
    "depth",
    "title",
    "links",
    "extract",
    "extract_cut",
    "saved",
    "error_message",
  };
  static const char *const curl[][2] = {
    { "http_code", "status" },       { "response_code", "status" },
    { "time_total", "time" },        { "url_effective", "final_url" },
    { "size_download", "size" },     { "num_redirects", "redirects" },
    { "errormsg", "error_message" },
  };
  char format[64], err[VL_ERRLEN];
  struct writeout w;
  size_t i;

  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    CHECK_STREQ(record_field_name(i), names[i]);
    snprintf(format, sizeof(format), "%%{%s}", names[i]);
    if (writeout_parse(&w, format, err) != 0)
      return tap_fail(why, __FILE__, __LINE__, "%s: %s", format, err);
    CHECK_UINT(w.npieces, 1);
    CHECK(w.pieces[0].field == record_field_find(names[i], strlen(names[i])));
    writeout_free(&w);
  }
  CHECK(record_field_name(i) == NULL);
  for (i = 0; i < sizeof(curl) / sizeof(curl[0]); i++) {
    snprintf(format, sizeof(format), "%%{%s}", curl[i][0]);
    CHECK(writeout_parse(&w, format, err) == 0);
    CHECK(w.pieces[0].field ==
          record_field_find(curl[i][1], strlen(curl[i][1])));
    writeout_free(&w);
  }
  CHECK(writeout_parse(&w, "%{json}", err) == 0);
  CHECK(w.pieces[0].kind == WRITEOUT_JSON);
  writeout_free(&w);
  return 0;
}

/* The fields a crawl, --save and extraction add, each a variable. */
static int var_crawl_save_extract(char *why)
{
  struct extract_spec spec;
  struct extract_result xr;
  char title[] = "A\ttitle", l1[] = "http://e.com/1", l2[] = "http://e.com/2";
  char *links[2] = { l1, l2 };
  char err[VL_ERRLEN];
  struct result r;

  extract_spec_init(&spec);
  spec.title = spec.links = true;
  CHECK_INT(extract_spec_add_regex(&spec, "h=h.", err), 0);
  memset(&xr, 0, sizeof(xr));
  xr.title = title;
  xr.links = links;
  xr.nlinks = 2;
  result_full(&r);
  r.crawled = true;
  r.depth = 2;
  r.parent_json = "\"p\"";
  r.saving = true;
  r.saved = "out/7.html";
  r.extract = &xr;
  r.extract_spec = &spec;
  if (expect("%{title}|%{saved}|%{parent}|%{depth}|%{links}|%{extract}", &r,
             "A title|out/7.html|\"p\"|2|"
             "[\"http://e.com/1\",\"http://e.com/2\"]|{\"h\":[]}\n",
             why) < 0)
    return -1;
  r.saved = NULL;
  r.crawled = false;
  if (expect("[%{saved}|%{depth}|%{changed}|%{timing}]", &r, "[|||]\n", why) <
      0)
    return -1;
  r.timing.known = true;
  r.timing.total_s = 0.5;
  r.queued_s = 1.25;
  r.changed = RECORD_CHANGED_TRUE;
  if (expect("%{queued} %{changed} %{timing}", &r,
             "1.250000 true {\"dns\":0.000000,\"connect\":0.000000,"
             "\"tls\":0.000000,\"ttfb\":0.000000,\"total\":0.500000}\n",
             why) < 0)
    return -1;
  extract_spec_free(&spec);
  return 0;
}

/* curl's names give what volley's give; %{json} is the record. */
static int var_curl_names_json(char *why)
{
  struct record_buf b = { NULL, 0, 0 };
  struct result r;
  int rc;

  result_full(&r);
  if (expect("%{http_code} %{response_code} %{time_total} %{url_effective} "
             "%{size_download} %{num_redirects} [%{errormsg}]",
             &r, "200 200 0.250000 http://example.com/b 1234 1 []\n", why) < 0)
    return -1;
  record_build(&b, &r);
  record_put(&b, "", 1); /* a C string, '\n' included */
  rc = expect("%{json}", &r, b.p, why);
  record_buf_free(&b);
  return rc;
}

/* An unknown name lists every name there is. */
static int unknown_lists_names(char *why)
{
  struct writeout w;
  char err[VL_ERRLEN] = "";

  CHECK(writeout_parse(&w, "%{nope}", err) < 0);
  CHECK_HAS(err, "unknown variable %{nope}; the variables are id url ok");
  CHECK_HAS(err, " saved error_message json; curl's http_code");
  CHECK_HAS(err, " errormsg");
  return 0;
}

static const struct tap_case cases[] = {
  { "%{id}: the line number when there is no id", var_id_line },
  { "crawl, --save and extraction fields are variables",
    var_crawl_save_extract },
  { "curl's names are aliases; %{json} is the record", var_curl_names_json },
  { "an unknown name lists the valid ones", unknown_lists_names },
  { "%{id}: the id's JSON text", var_id_json },
  { "%{url}: raw; empty when null", var_url },
  { "%{ok}: true or false, as record_ok()", var_ok },
  { "%{status}: the number; empty when 0", var_status },
  { "%{attempts}", var_attempts },
  { "%{time}: seconds with 6 decimals", var_time },
  { "%{error} and %{error_message}: empty when ok", var_error_empty_when_ok },
  { "%{error}: the error kind", var_error_kind },
  { "%{error}: http and 'HTTP 503' for a failing status", var_error_http },
  { "%{error_message}: the message", var_error_message },
  { "%{final_url}: empty when unknown", var_final_url },
  { "%{http_version}: empty when unknown", var_http_version },
  { "%{content_type}: empty when unknown", var_content_type },
  { "%{size}: empty when -1", var_size },
  { "%{redirects}: empty when -1", var_redirects },
  { "%{remote_ip}: empty when unknown", var_remote_ip },
  { "every documented name parses to its variable", every_name_parses },
  { "a TSV template", tsv_line },
  { "literal text only", literal_only },
  { "an empty template writes an empty line", empty_format },
  { "escapes: \\t \\r \\\\ \\n", escapes },
  { "other backslashes stay as written", unknown_escape_kept },
  { "%% is a '%'; a '%' before other text stays", percent },
  { "an unknown variable is an error naming it", unknown_variable },
  { "a long unknown name is cut in the message", unknown_variable_long_name },
  { "an unclosed %{ is an error with its column", unclosed },
  { "'\\n' added once, only when missing", newline_added_once },
  { "tabs, CRs and newlines in values become spaces",
    value_newlines_flattened },
  { "invalid UTF-8 in values becomes U+FFFD", invalid_utf8_repaired },
  { "other control characters in values become \\xHH",
    value_controls_escaped },
  { "valid UTF-8 in values is kept", valid_utf8_kept },
  { "the template's own bytes are written as given", literal_text_raw },
  { "writeout_render appends line after line", render_appends },
  { "literal runs compile to one piece", pieces_compiled_once },
  { "200 pieces grow the table", many_pieces },
  { "writeout_free takes an empty template, twice", free_is_idempotent },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
