/* Unit tests of inputline.c: skipped lines, plain URLs, JSON request
 * objects and the errors of both. One row per case. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "inputline.h"
#include "tap.h"

/* Parse a C string (no NUL inside) into "it". */
static void parse(struct inputline *it, const char *line)
{
  inputline_parse(it, line, strlen(line));
}

/* The kind of "line" once parsed; the item is released. */
static enum inputline_kind kind_of(const char *line)
{
  struct inputline it;
  enum inputline_kind k;

  parse(&it, line);
  k = it.kind;
  inputline_clear(&it);
  return k;
}

static int skip_blank(char *why)
{
  CHECK_INT(kind_of(""), INPUTLINE_SKIP);
  CHECK_INT(kind_of(" "), INPUTLINE_SKIP);
  CHECK_INT(kind_of(" \t \r"), INPUTLINE_SKIP);
  CHECK_INT(kind_of("\r"), INPUTLINE_SKIP);
  return 0;
}

static int skip_comment(char *why)
{
  struct inputline it;

  CHECK_INT(kind_of("#"), INPUTLINE_SKIP);
  CHECK_INT(kind_of("# http://example.com/"), INPUTLINE_SKIP);
  CHECK_INT(kind_of("   #indented"), INPUTLINE_SKIP);
  parse(&it, "#x");
  CHECK(!it.url && it.err[0] == '\0');
  inputline_clear(&it);
  return 0;
}

static int url_plain(char *why)
{
  struct inputline it;

  parse(&it, "http://example.com/a?b=c");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.url, "http://example.com/a?b=c");
  CHECK(!it.method && !it.headers && it.nheaders == 0);
  CHECK(!it.body && it.body_len == 0 && !it.id_json);
  CHECK_STREQ(it.err, "");
  inputline_clear(&it);
  parse(&it, "https://example.com:8443/");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.url, "https://example.com:8443/");
  inputline_clear(&it);
  return 0;
}

static int url_trimmed(char *why)
{
  struct inputline it;

  parse(&it, "  \thttps://example.com/x \t\r");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.url, "https://example.com/x");
  inputline_clear(&it);
  parse(&it, "http://example.com/\r");
  CHECK_STREQ(it.url, "http://example.com/");
  inputline_clear(&it);
  return 0;
}

static int url_uses_len(char *why)
{
  static const char line[] = "http://a.example/xyz";
  struct inputline it;

  inputline_parse(&it, line, 16);
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.url, "http://a.example");
  inputline_clear(&it);
  return 0;
}

static int url_odd_but_valid(char *why)
{
  CHECK_INT(kind_of("HTTP://EXAMPLE.COM/"), INPUTLINE_REQUEST);
  CHECK_INT(kind_of("http://[::1]:8080/"), INPUTLINE_REQUEST);
  CHECK_INT(kind_of("http://127.0.0.1/"), INPUTLINE_REQUEST);
  return 0;
}

static int err_ftp(char *why)
{
  struct inputline it;

  parse(&it, "ftp://example.com/file");
  CHECK_INT(it.kind, INPUTLINE_ERROR);
  CHECK_HAS(it.err, "scheme");
  CHECK_STREQ(it.url, "ftp://example.com/file");
  inputline_clear(&it);
  CHECK_INT(kind_of("file:///etc/passwd"), INPUTLINE_ERROR);
  return 0;
}

/* "line" parsed with the default scheme "scheme": its url, or its error
 * when "want_error". */
static int with_scheme(const char *line, const char *scheme, const char *want,
                       bool want_error, char *why)
{
  struct inputline it;

  inputline_parse_with(&it, line, strlen(line), INPUTLINE_AUTO, scheme);
  if (want_error) {
    CHECK_INT(it.kind, INPUTLINE_ERROR);
    CHECK_HAS(it.err, want);
  } else {
    CHECK_INT(it.kind, INPUTLINE_REQUEST);
    CHECK_STREQ(it.url, want);
  }
  inputline_clear(&it);
  return 0;
}

/* A URL without a scheme takes --proto-default's, as curl's does; one
 * with another scheme stays an error. */
static int no_scheme_gets_default(char *why)
{
  CHECK_OK(with_scheme("example.com/path", "http", "http://example.com/path",
                       false, why));
  CHECK_OK(with_scheme("example.com/path", "https", "https://example.com/path",
                       false, why));
  CHECK_OK(
      with_scheme("example.com", "http", "http://example.com", false, why));
  CHECK_OK(with_scheme("example.com:8080/x", "http",
                       "http://example.com:8080/x", false, why));
  CHECK_OK(
      with_scheme("localhost:80", "http", "http://localhost:80", false, why));
  CHECK_OK(with_scheme("//example.com/", "https", "https://example.com/",
                       false, why));
  CHECK_OK(
      with_scheme("[::1]:8080/", "http", "http://[::1]:8080/", false, why));
  CHECK_OK(with_scheme("{\"url\":\"example.com/j\"}", "https",
                       "https://example.com/j", false, why));
  CHECK_OK(with_scheme("HTTPS://example.com/", "http", "HTTPS://example.com/",
                       false, why));
  CHECK_OK(
      with_scheme("mailto:a@example.com", "http", "not an http", true, why));
  CHECK_OK(with_scheme("ftp://example.com/", "http", "scheme", true, why));
  CHECK_OK(with_scheme("http:/example.com", "http", "not an http", true, why));
  /* inputline_parse() takes http. */
  CHECK_INT(kind_of("example.com/x"), INPUTLINE_REQUEST);
  return 0;
}

/* A UTF-8 byte order mark (a Windows editor's first bytes) is skipped,
 * before a URL or a JSON request. */
static int bom_skipped(char *why)
{
  CHECK_OK(with_scheme("\xef\xbb\xbfhttp://example.com/", "http",
                       "http://example.com/", false, why));
  CHECK_OK(with_scheme("\xef\xbb\xbf{\"url\":\"http://example.com/j\"}",
                       "http", "http://example.com/j", false, why));
  CHECK_INT(kind_of("\xef\xbb\xbf"), INPUTLINE_SKIP);
  CHECK_INT(kind_of("\xef\xbb\xbf# comment"), INPUTLINE_SKIP);
  return 0;
}

static int err_junk_urls(char *why)
{
  static const char *const bad[] = {
    "http://",
    "https://",
    "http://exa mple.com/",
    "http://a b/",
    "http://example.com:99999/",
    "[1,2]",
    "not a url at all",
  };
  size_t i;

  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct inputline it;
    int bad_kind, no_err;

    parse(&it, bad[i]);
    bad_kind = it.kind != INPUTLINE_ERROR;
    no_err = it.err[0] == '\0';
    inputline_clear(&it);
    if (bad_kind || no_err)
      return tap_fail(why, __FILE__, __LINE__, "'%s' not an error", bad[i]);
  }
  return 0;
}

static int err_nul_byte(char *why)
{
  static const char line[] = "http://example.com/\0x";
  struct inputline it;

  inputline_parse(&it, line, sizeof(line) - 1);
  CHECK_INT(it.kind, INPUTLINE_ERROR);
  CHECK_HAS(it.err, "NUL");
  inputline_clear(&it);
  return 0;
}

static int check_url(char *why)
{
  char err[VL_ERRLEN];

  err[0] = '\0';
  CHECK_INT(inputline_check_url("https://example.com/", err), 0);
  CHECK_INT(inputline_check_url("", err), -1);
  CHECK(err[0] != '\0');
  CHECK_INT(inputline_check_url("gopher://example.com/", err), -1);
  CHECK_HAS(err, "gopher://example.com/");
  return 0;
}

/* libcurl 7.88 fails a URL of 1 MiB as "Out of memory" and one of 9 MiB
 * when it is set: the limit is checked when the line is read. */
static int check_url_length(char *why)
{
  static char url[VL_URL_MAX + 2];
  static const char head[] = "http://example.com/";
  char err[VL_ERRLEN];
  struct inputline it;

  memset(url, 'a', sizeof(url) - 1);
  memcpy(url, head, sizeof(head) - 1);
  url[VL_URL_MAX] = '\0';
  CHECK_INT(inputline_check_url(url, err), 0);
  url[VL_URL_MAX] = 'a';
  url[VL_URL_MAX + 1] = '\0';
  CHECK_INT(inputline_check_url(url, err), -1);
  CHECK_HAS(err, "longer than 65536 bytes");
  inputline_parse(&it, url, strlen(url));
  CHECK_INT(it.kind, INPUTLINE_ERROR);
  inputline_clear(&it);
  /* Also past the plain fast path: a query of 'a's is plain. */
  CHECK(inputline_url_plain(url));
  return 0;
}

/* libcurl's verdict: an http or https URL its parser accepts. */
static bool curl_accepts(const char *url)
{
  CURLU *u = curl_url();
  char *scheme = NULL;
  bool ok =
      u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0);

  curl_free(scheme);
  curl_url_cleanup(u);
  return ok;
}

/* The fast path says "plain" only of URLs libcurl's parser accepts, and
 * says it of the everyday ones. */
static int url_plain_fast(char *why)
{
  static const char *const plain[] = {
    "http://example.com",
    "https://example.com/",
    "HTTP://Example.COM/a/b?c=d&e=f#g",
    "http://127.0.0.1:38111/1k.bin?17",
    "https://a-b.c.example:443/x%20y/{z}~!$'()*+,;=@[]|^`",
    "http://h:65535/",
    "http://h?q",
    "http://h#f",
  };
  static const char *const not_plain[] = {
    "",
    "example.com",
    "ftp://h/",
    "http://",
    "http:///p",
    "http://-h/",
    "http://h:0/",
    "http://h:65536/",
    "http://h:080/",
    "http://h:/",
    "http://h:123456/",
    "http://h x/",
    "http://h/a b",
    "http://h/a\\b",
    "http://u@h/",
    "http://u:p@h/",
    "http://[::1]/",
    "http://h_/",
    "http://h/\x7f",
    "http://h/caf\xc3\xa9",
    "http://h\t/",
  };
  static const char alphabet[] =
      "ab09ab09-.-.:/?#@[]%_~!$&'()*+,;= \\\x7f\xc3";
  uint64_t x = 0x9e3779b97f4a7c15ULL;
  size_t i;
  int n, nplain = 0;

  for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
    CHECK(inputline_url_plain(plain[i]));
    CHECK(curl_accepts(plain[i]));
  }
  for (i = 0; i < sizeof(not_plain) / sizeof(not_plain[0]); i++)
    CHECK(!inputline_url_plain(not_plain[i]));
  for (n = 0; n < 20000; n++) { /* random URLs: plain implies accepted */
    char url[64] = "http://";
    size_t len = 7, k, m;

    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    m = 1 + x % 10;
    for (k = 0; k < m; k++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      url[len++] = alphabet[x % (sizeof(alphabet) - 1)];
    }
    url[len] = '\0';
    if (!inputline_url_plain(url))
      continue;
    nplain++;
    if (!curl_accepts(url)) {
      tap_fail(why, __FILE__, __LINE__, "plain but refused: '%s'", url);
      return -1;
    }
  }
  CHECK(nplain > 500); /* the loop tried the fast path's yeses */
  return 0;
}

static int json_url_only(char *why)
{
  struct inputline it;

  parse(&it, "{\"url\":\"http://example.com/j\"}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.url, "http://example.com/j");
  CHECK(!it.method && it.nheaders == 0 && !it.body && !it.id_json);
  CHECK_STREQ(it.err, "");
  inputline_clear(&it);
  return 0;
}

static int json_trimmed(char *why)
{
  struct inputline it;

  parse(&it, "  { \"url\" : \"http://example.com/\" }  \r");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.url, "http://example.com/");
  inputline_clear(&it);
  return 0;
}

static int json_method(char *why)
{
  struct inputline it;

  parse(&it, "{\"url\":\"http://example.com/\",\"method\":\"DELETE\"}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.method, "DELETE");
  inputline_clear(&it);
  return 0;
}

static int json_method_bad(char *why)
{
  CHECK_INT(kind_of("{\"url\":\"http://e.com/\",\"method\":\"GE T\"}"),
            INPUTLINE_ERROR);
  CHECK_INT(kind_of("{\"url\":\"http://e.com/\",\"method\":\"\"}"),
            INPUTLINE_ERROR);
  CHECK_INT(kind_of("{\"url\":\"http://e.com/\",\"method\":5}"),
            INPUTLINE_ERROR);
  CHECK_INT(kind_of("{\"url\":\"http://e.com/\",\"method\":\"G\\r\\nX\"}"),
            INPUTLINE_ERROR);
  return 0;
}

static int json_headers(char *why)
{
  struct inputline it;

  parse(&it, "{\"url\":\"http://example.com/\",\"headers\":"
             "{\"X-A\":\"1\",\"Accept\":\"text/html\",\"X-Empty\":\"\"}}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_INT(it.nheaders, 3);
  /* jansson keeps insertion order, so the headers keep the line's. */
  CHECK_STREQ(it.headers[0], "X-A: 1");
  CHECK_STREQ(it.headers[1], "Accept: text/html");
  CHECK_STREQ(it.headers[2], "X-Empty: ");
  inputline_clear(&it);
  parse(&it, "{\"url\":\"http://example.com/\",\"headers\":null}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_INT(it.nheaders, 0);
  inputline_clear(&it);
  return 0;
}

static int json_header_bad(char *why)
{
  static const char *const bad[] = {
    "{\"url\":\"http://e.com/\",\"headers\":{\"A\":1}}",
    "{\"url\":\"http://e.com/\",\"headers\":{\"A\":null}}",
    "{\"url\":\"http://e.com/\",\"headers\":{\"A\":[\"x\"]}}",
    "{\"url\":\"http://e.com/\",\"headers\":[\"A: 1\"]}",
    "{\"url\":\"http://e.com/\",\"headers\":\"A: 1\"}",
    "{\"url\":\"http://e.com/\",\"headers\":{\"A B\":\"x\"}}",
    "{\"url\":\"http://e.com/\",\"headers\":{\"\":\"x\"}}",
    "{\"url\":\"http://e.com/\",\"headers\":{\"A\":\"x\\r\\nB: y\"}}",
  };
  size_t i;

  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct inputline it;
    int bad_kind, no_err;

    parse(&it, bad[i]);
    bad_kind = it.kind != INPUTLINE_ERROR;
    no_err = it.err[0] == '\0';
    inputline_clear(&it);
    if (bad_kind || no_err)
      return tap_fail(why, __FILE__, __LINE__, "'%s' not an error", bad[i]);
  }
  return 0;
}

static int json_body_string(char *why)
{
  struct inputline it;

  parse(&it, "{\"url\":\"http://example.com/\",\"body\":\"a=1&b=\\u00e9\"}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_INT(it.body_len, 8);
  CHECK(memcmp(it.body, "a=1&b=\xc3\xa9", 8) == 0);
  inputline_clear(&it);
  return 0;
}

/* A string body holding "\u0000" is sent as it is (JSON_ALLOW_NUL), while
 * url, method and header strings still refuse NUL. */
static int json_body_nul(char *why)
{
  struct inputline it;
  enum inputline_kind kind;
  size_t len;
  int same;

  parse(&it, "{\"url\":\"http://example.com/\",\"body\":\"a\\u0000b\"}");
  kind = it.kind;
  len = it.body_len;
  same = it.body && len == 3 && memcmp(it.body, "a\0b", 3) == 0;
  if (kind != INPUTLINE_REQUEST)
    tap_fail(why, __FILE__, __LINE__, "kind %d: %s", (int)kind, it.err);
  inputline_clear(&it);
  if (kind != INPUTLINE_REQUEST)
    return -1;
  CHECK_INT(len, 3);
  CHECK(same);
  return 0;
}

static int json_body_object(char *why)
{
  struct inputline it;

  parse(&it, "{\"url\":\"http://example.com/\",\"body\":"
             "{ \"k\" : [1, 2, \"x\"], \"n\" : null }}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.body, "{\"k\":[1,2,\"x\"],\"n\":null}");
  CHECK_INT(it.body_len, strlen("{\"k\":[1,2,\"x\"],\"n\":null}"));
  inputline_clear(&it);
  parse(&it, "{\"url\":\"http://example.com/\",\"body\":[true]}");
  CHECK_STREQ(it.body, "[true]");
  inputline_clear(&it);
  parse(&it, "{\"url\":\"http://example.com/\",\"body\":null}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK(!it.body && it.body_len == 0);
  inputline_clear(&it);
  return 0;
}

static int json_id_number(char *why)
{
  struct inputline it;

  parse(&it, "{\"id\":7,\"url\":\"http://example.com/\"}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.id_json, "7");
  inputline_clear(&it);
  parse(&it, "{\"id\":-1.5,\"url\":\"http://example.com/\"}");
  CHECK_STREQ(it.id_json, "-1.5");
  inputline_clear(&it);
  return 0;
}

static int json_id_string(char *why)
{
  struct inputline it;

  parse(&it, "{\"id\":\"a \\\"b\\\"\",\"url\":\"http://example.com/\"}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.id_json, "\"a \\\"b\\\"\"");
  inputline_clear(&it);
  return 0;
}

static int json_id_object(char *why)
{
  struct inputline it;

  parse(&it, "{\"url\":\"http://example.com/\","
             "\"id\": { \"a\" : 1, \"b\" : [ true, null ] } }");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.id_json, "{\"a\":1,\"b\":[true,null]}");
  inputline_clear(&it);
  return 0;
}

static int json_id_null(char *why)
{
  struct inputline it;

  parse(&it, "{\"id\":null,\"url\":\"http://example.com/\"}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK(!it.id_json);
  inputline_clear(&it);
  return 0;
}

static int json_invalid(char *why)
{
  struct inputline it;

  parse(&it, "{\"url\":");
  CHECK_INT(it.kind, INPUTLINE_ERROR);
  CHECK_HAS(it.err, "JSON");
  CHECK(!it.url && !it.id_json);
  inputline_clear(&it);
  CHECK_INT(kind_of("{url: \"http://example.com/\"}"), INPUTLINE_ERROR);
  CHECK_INT(kind_of("{\"url\":\"http://example.com/\"} x"), INPUTLINE_ERROR);
  CHECK_INT(kind_of("{\"url\":\"http://example.com/\xff\"}"), INPUTLINE_ERROR);
  return 0;
}

static int json_no_url(char *why)
{
  struct inputline it;

  parse(&it, "{\"id\":5,\"method\":\"GET\"}");
  CHECK_INT(it.kind, INPUTLINE_ERROR);
  CHECK_HAS(it.err, "url");
  CHECK_STREQ(it.id_json, "5");
  CHECK(!it.url);
  inputline_clear(&it);
  parse(&it, "{\"id\":\"x\",\"url\":5}");
  CHECK_INT(it.kind, INPUTLINE_ERROR);
  CHECK_STREQ(it.id_json, "\"x\"");
  inputline_clear(&it);
  return 0;
}

static int json_bad_url_keeps_id(char *why)
{
  struct inputline it;

  parse(&it, "{\"id\":[1],\"url\":\"ftp://example.com/\"}");
  CHECK_INT(it.kind, INPUTLINE_ERROR);
  CHECK_HAS(it.err, "scheme");
  CHECK_STREQ(it.id_json, "[1]");
  CHECK_STREQ(it.url, "ftp://example.com/");
  inputline_clear(&it);
  parse(&it,
        "{\"id\":2,\"url\":\"http://example.com/\",\"headers\":{\"A\":1}}");
  CHECK_INT(it.kind, INPUTLINE_ERROR);
  CHECK_STREQ(it.id_json, "2");
  inputline_clear(&it);
  return 0;
}

static int json_duplicate_keys(char *why)
{
  struct inputline it;

  parse(&it, "{\"url\":\"http://a.example/\",\"url\":\"http://b.example/\"}");
  CHECK_INT(it.kind, INPUTLINE_ERROR);
  CHECK(it.err[0] != '\0');
  inputline_clear(&it);
  CHECK_INT(kind_of("{\"url\":\"http://e.com/\",\"headers\":"
                    "{\"A\":\"1\",\"A\":\"2\"}}"),
            INPUTLINE_ERROR);
  return 0;
}

static int json_unknown_keys(char *why)
{
  struct inputline it;

  parse(&it, "{\"url\":\"http://example.com/\",\"timeout\":5,"
             "\"extra\":{\"x\":[1]},\"note\":null}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  CHECK_STREQ(it.url, "http://example.com/");
  inputline_clear(&it);
  return 0;
}

static int clear_zeroes(char *why)
{
  struct inputline it, zero;
  /* All but the bytes of "err" past its first, which stay as they were. */
  size_t empty = offsetof(struct inputline, err) + 1;

  memset(&zero, 0, sizeof(zero));
  parse(&it, "{\"url\":\"http://example.com/\",\"method\":\"POST\","
             "\"headers\":{\"A\":\"1\"},\"body\":\"x\",\"id\":1}");
  CHECK_INT(it.kind, INPUTLINE_REQUEST);
  inputline_clear(&it);
  CHECK(memcmp(&it, &zero, empty) == 0);
  parse(&it, "ftp://x/");
  inputline_clear(&it);
  CHECK(memcmp(&it, &zero, empty) == 0);
  /* Clearing an empty item again is harmless. */
  inputline_clear(&it);
  CHECK(memcmp(&it, &zero, empty) == 0);
  return 0;
}

/* --id-prefix: the id text is what jansson writes for the string, so
 * that --resume, which re-encodes a record's id, finds it. */
static int id_prefix(char *why)
{
  struct inputline it;
  char *p = inputline_id_prefix("a\"b\\c/\xc3\xa9\t:");

  CHECK(p != NULL);
  CHECK_STREQ(p, "\"a\\\"b\\\\c/\xc3\xa9\\t:");
  parse(&it, "http://example.com/");
  inputline_number(&it, p, 12);
  CHECK_STREQ(it.id_json, "\"a\\\"b\\\\c/\xc3\xa9\\t:12\"");
  inputline_clear(&it);
  /* A line's own id stays. */
  parse(&it, "{\"url\":\"http://example.com/\",\"id\":[1]}");
  inputline_number(&it, p, 3);
  CHECK_STREQ(it.id_json, "[1]");
  inputline_clear(&it);
  free(p);
  p = inputline_id_prefix("");
  CHECK_STREQ(p, "\"");
  free(p);
  CHECK(inputline_id_prefix("\xff") == NULL);
  CHECK(inputline_id_prefix("\xc3") == NULL);
  return 0;
}

static const struct tap_case cases[] = {
  { "blank and whitespace-only lines are skipped", skip_blank },
  { "'#' comments are skipped", skip_comment },
  { "plain http and https URLs", url_plain },
  { "surrounding blanks and \\r are trimmed", url_trimmed },
  { "only len bytes are read", url_uses_len },
  { "upper-case scheme, IPv6 and IPv4 hosts", url_odd_but_valid },
  { "ftp:// and file:// are errors", err_ftp },
  { "a URL without a scheme gets the default one", no_scheme_gets_default },
  { "a byte order mark at the start is skipped", bom_skipped },
  { "junk URLs are errors with a message", err_junk_urls },
  { "a NUL byte is an error", err_nul_byte },
  { "inputline_check_url", check_url },
  { "inputline_check_url: at most VL_URL_MAX bytes", check_url_length },
  { "inputline_url_plain: only URLs libcurl accepts", url_plain_fast },
  { "JSON: url only", json_url_only },
  { "JSON: surrounding blanks trimmed", json_trimmed },
  { "JSON: method", json_method },
  { "JSON: bad method is an error", json_method_bad },
  { "JSON: headers in order", json_headers },
  { "JSON: bad headers are errors", json_header_bad },
  { "JSON: string body", json_body_string },
  { "JSON: body with \\u0000 keeps its length", json_body_nul },
  { "JSON: object body sent as JSON text", json_body_object },
  { "JSON: number id", json_id_number },
  { "JSON: string id", json_id_string },
  { "JSON: object id kept as compact JSON", json_id_object },
  { "JSON: null id is no id", json_id_null },
  { "JSON: invalid JSON is an error", json_invalid },
  { "JSON: no url is an error, id kept", json_no_url },
  { "JSON: bad url or header is an error, id kept", json_bad_url_keeps_id },
  { "JSON: duplicate keys rejected", json_duplicate_keys },
  { "JSON: unknown keys ignored", json_unknown_keys },
  { "inputline_clear leaves the item zeroed up to err's first byte",
    clear_zeroes },
  { "--id-prefix: ids as jansson writes them", id_prefix },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
