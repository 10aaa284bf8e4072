/* Unit tests of record.c: each built line is parsed back with jansson and
 * checked key by key; strings, UTF-8 repair, bodies, base64 and header
 * blocks. One row per case. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "record.h"
#include "tap.h"
#include "util.h"

#define FFFD "\xef\xbf\xbd"

/* A successful GET of line 1, with every optional field unset. */
static void result_init(struct result *r)
{
  record_result_init(r);
  r->line = 1;
  r->url = "http://example.com/";
  r->attempts = 1;
  r->time_s = 0.5;
  r->status = 200;
  r->kind = ERRKIND_NONE;
  r->size = -1;
  r->redirects = -1;
}

/* Build the record of "r" and parse it back. The line must be one line
 * ending in '\n' with no raw control byte, and valid JSON with no
 * duplicate key. Returns the object (caller decrefs), or NULL with "why"
 * filled. */
static json_t *build_parse(const struct result *r, char *why)
{
  struct buf b = { NULL, 0, 0 };
  json_error_t jerr;
  json_t *j = NULL;
  size_t i;

  record_build(&b, r);
  if (b.len < 2 || b.p[b.len - 1] != '\n') {
    tap_fail(why, __FILE__, __LINE__, "no '\\n' at the end");
    goto done;
  }
  for (i = 0; i + 1 < b.len; i++) {
    if ((unsigned char)b.p[i] < 0x20) {
      tap_fail(why, __FILE__, __LINE__, "raw byte 0x%02x at %zu",
               (unsigned)(unsigned char)b.p[i], i);
      goto done;
    }
  }
  j = json_loadb(b.p, b.len - 1, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
                 &jerr);
  if (!j)
    tap_fail(why, __FILE__, __LINE__, "bad JSON: %s: %.*s", jerr.text,
             (int)(b.len < 300 ? b.len : 300), b.p);
  else if (!json_is_object(j)) {
    tap_fail(why, __FILE__, __LINE__, "not an object");
    json_decref(j);
    j = NULL;
  }
done:
  buf_free(&b);
  return j;
}

/* Borrowed views of a key; NULL or a sentinel when absent or mistyped. */
static const char *jstr(const json_t *o, const char *key)
{
  return json_string_value(json_object_get(o, key));
}

static long long jint(const json_t *o, const char *key)
{
  const json_t *v = json_object_get(o, key);

  return json_is_integer(v) ? json_integer_value(v) : -999;
}

static const char *jerr(const json_t *o, const char *key)
{
  return jstr(json_object_get(o, "error"), key);
}

/* Whether "n" bytes of "needle" occur in "len" bytes of "p" (memmem is
 * a GNU extension). */
static bool mem_has(const char *p, size_t len, const char *needle, size_t n)
{
  size_t i;

  for (i = 0; p && i + n <= len; i++)
    if (memcmp(p + i, needle, n) == 0)
      return true;
  return false;
}

static bool has(const json_t *o, const char *key)
{
  return json_object_get(o, key) != NULL;
}

/* Decode standard padded base64 into "out" (room for len * 3 / 4 bytes).
 * Returns the decoded length, or -1 on a bad character or length. */
static long b64_decode(const char *s, unsigned char *out)
{
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t len = strlen(s), i;
  long n = 0;

  if (len % 4)
    return -1;
  for (i = 0; i < len; i += 4) {
    unsigned v = 0;
    int k, pad = 0;

    for (k = 0; k < 4; k++) {
      const char *p = s[i + k] ? strchr(tab, s[i + k]) : NULL;

      if (s[i + k] == '=' && i + 4 == len && k >= 2) {
        pad++;
        v <<= 6;
        continue;
      }
      if (!p || pad)
        return -1;
      v = (v << 6) | (unsigned)(p - tab);
    }
    out[n++] = (unsigned char)(v >> 16);
    if (pad < 2)
      out[n++] = (unsigned char)(v >> 8);
    if (pad < 1)
      out[n++] = (unsigned char)v;
  }
  return n;
}

static int success_basic(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "id"), 1);
  CHECK_STREQ(jstr(j, "url"), "http://example.com/");
  CHECK(json_is_true(json_object_get(j, "ok")));
  CHECK_INT(jint(j, "status"), 200);
  CHECK_INT(jint(j, "attempts"), 1);
  CHECK(json_is_real(json_object_get(j, "time")));
  CHECK(json_number_value(json_object_get(j, "time")) == 0.5);
  CHECK(json_is_null(json_object_get(j, "error")));
  CHECK(json_number_value(json_object_get(j, "queued")) == 0);
  /* The optional keys are absent when unset. */
  CHECK_INT(json_object_size(j), 8);
  CHECK(!has(j, "timing") && !has(j, "depth") && !has(j, "saved"));
  CHECK(!has(j, "final_url") && !has(j, "http_version"));
  CHECK(!has(j, "content_type") && !has(j, "size"));
  CHECK(!has(j, "redirects") && !has(j, "remote_ip"));
  CHECK(!has(j, "headers") && !has(j, "body") && !has(j, "body_base64"));
  json_decref(j);
  return 0;
}

static int id_from_line(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.line = 42;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "id"), 42);
  json_decref(j);
  r.line = UINT64_C(9007199254740993);
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "id"), INT64_C(9007199254740993));
  json_decref(j);
  return 0;
}

static int id_from_json(char *why)
{
  static const char *const ids[] = {
    "7", "-1.5", "\"job-17\"", "{\"a\":1,\"b\":[true,null]}", "[1,\"x\"]",
  };
  size_t i;

  for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
    json_t *want = json_loads(ids[i], JSON_DECODE_ANY, NULL);
    struct result r;
    json_t *j;
    int same;

    result_init(&r);
    r.line = 99;
    r.id_json = ids[i];
    j = build_parse(&r, why);
    if (!j) {
      json_decref(want);
      return -1;
    }
    same = json_equal(json_object_get(j, "id"), want);
    json_decref(j);
    json_decref(want);
    if (!same)
      return tap_fail(why, __FILE__, __LINE__, "id %s not kept", ids[i]);
  }
  return 0;
}

static int ok_redirect_status(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.status = 304;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK(json_is_true(json_object_get(j, "ok")));
  CHECK_INT(jint(j, "status"), 304);
  CHECK(json_is_null(json_object_get(j, "error")));
  json_decref(j);
  return 0;
}

static int http_default_message(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.status = 503;
  r.attempts = 3;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK(json_is_false(json_object_get(j, "ok")));
  CHECK_INT(jint(j, "status"), 503);
  CHECK_INT(jint(j, "attempts"), 3);
  CHECK_STREQ(jerr(j, "kind"), "http");
  CHECK_STREQ(jerr(j, "message"), "HTTP 503");
  CHECK_INT(json_object_size(json_object_get(j, "error")), 2);
  json_decref(j);
  return 0;
}

static int http_given_message(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.status = 404;
  r.kind = ERRKIND_HTTP;
  r.message = "not retried: the method is not idempotent";
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "status"), 404);
  CHECK_STREQ(jerr(j, "kind"), "http");
  CHECK_STREQ(jerr(j, "message"), "not retried: the method is not idempotent");
  json_decref(j);
  return 0;
}

static int transfer_failure(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.status = 0;
  r.kind = ERRKIND_TIMEOUT;
  r.message = "Operation timed out after 30000 milliseconds";
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK(json_is_false(json_object_get(j, "ok")));
  CHECK(json_is_null(json_object_get(j, "status")));
  CHECK_STREQ(jerr(j, "kind"), "timeout");
  CHECK_STREQ(jerr(j, "message"),
              "Operation timed out after 30000 milliseconds");
  json_decref(j);
  return 0;
}

static int failure_with_status(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.kind = ERRKIND_TOO_LARGE;
  r.message = "body larger than --max-body";
  r.size = 1024;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK(json_is_false(json_object_get(j, "ok")));
  CHECK_INT(jint(j, "status"), 200);
  CHECK_STREQ(jerr(j, "kind"), "too_large");
  CHECK_INT(jint(j, "size"), 1024);
  json_decref(j);
  return 0;
}

static int every_kind(char *why)
{
  int k;

  for (k = ERRKIND_INPUT; k < ERRKIND_COUNT; k++) {
    struct result r;
    json_t *j;
    int same;

    result_init(&r);
    r.status = 0;
    r.kind = (enum errkind)k;
    r.message = "m";
    j = build_parse(&r, why);
    if (!j)
      return -1;
    same = jerr(j, "kind") && errkind_name(r.kind) &&
           strcmp(jerr(j, "kind"), errkind_name(r.kind)) == 0 &&
           json_is_false(json_object_get(j, "ok"));
    json_decref(j);
    if (!same)
      return tap_fail(why, __FILE__, __LINE__, "kind %d", k);
  }
  return 0;
}

static int url_null(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.url = NULL;
  r.status = 0;
  r.kind = ERRKIND_INPUT;
  r.message = "invalid JSON request";
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK(json_is_null(json_object_get(j, "url")));
  CHECK_STREQ(jerr(j, "kind"), "input");
  json_decref(j);
  return 0;
}

static int optional_keys(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.final_url = "https://example.com/final";
  r.http_version = "2";
  r.content_type = "text/html; charset=utf-8";
  r.remote_ip = "::1";
  r.size = 0;
  r.redirects = 0;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_STREQ(jstr(j, "final_url"), "https://example.com/final");
  CHECK_STREQ(jstr(j, "http_version"), "2");
  CHECK_STREQ(jstr(j, "content_type"), "text/html; charset=utf-8");
  CHECK_STREQ(jstr(j, "remote_ip"), "::1");
  CHECK_INT(jint(j, "size"), 0);
  CHECK_INT(jint(j, "redirects"), 0);
  CHECK_INT(json_object_size(j), 14); /* with "queued" */
  json_decref(j);
  r.size = 123456789012LL;
  r.redirects = 3;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_INT(jint(j, "size"), 123456789012LL);
  CHECK_INT(jint(j, "redirects"), 3);
  json_decref(j);
  return 0;
}

static int validators_and_hash(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.etag = "W/\"a\\b\"";
  r.last_modified = "Tue, 14 Nov 2023 22:13:20 GMT";
  r.sha256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_STREQ(jstr(j, "etag"), "W/\"a\\b\"");
  CHECK_STREQ(jstr(j, "last_modified"), "Tue, 14 Nov 2023 22:13:20 GMT");
  CHECK_STREQ(
      jstr(j, "sha256"),
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  /* Without --since: neither "changed" nor "unchanged". */
  CHECK(!has(j, "changed") && !has(j, "unchanged"));
  CHECK_INT(json_object_size(j), 11); /* with "queued" */
  json_decref(j);
  return 0;
}

static int changed_values(char *why)
{
  static const enum record_changed v[] = { RECORD_CHANGED_UNKNOWN,
                                           RECORD_CHANGED_FALSE,
                                           RECORD_CHANGED_TRUE };
  struct result r;
  json_t *j, *c;
  size_t i;

  for (i = 0; i < 3; i++) {
    result_init(&r);
    r.changed = v[i];
    r.unchanged = v[i] == RECORD_CHANGED_FALSE;
    j = build_parse(&r, why);
    if (!j)
      return -1;
    c = json_object_get(j, "changed");
    CHECK(c);
    CHECK(i != 0 || json_is_null(c));
    CHECK(i != 1 || json_is_false(c));
    CHECK(i != 2 || json_is_true(c));
    /* "unchanged" is written only when true. */
    CHECK(i == 1 ? json_is_true(json_object_get(j, "unchanged"))
                 : !has(j, "unchanged"));
    json_decref(j);
  }
  return 0;
}

static int time_values(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.time_s = 0;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK(json_number_value(json_object_get(j, "time")) == 0);
  json_decref(j);
  r.time_s = 12.345678;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK(json_number_value(json_object_get(j, "time")) > 12.3456775);
  CHECK(json_number_value(json_object_get(j, "time")) < 12.3456785);
  json_decref(j);
  return 0;
}

/* "queued" follows "time"; "timing" follows "error", its phases in
 * order; the crawl's, the extraction's and --save's fields come last, in
 * the table's order. */
static int new_fields_in_order(char *why)
{
  static const char want[] =
      "{\"id\":1,\"url\":\"http://example.com/\",\"ok\":true,"
      "\"status\":200,\"attempts\":1,\"time\":0.500000,"
      "\"queued\":1.250000,\"error\":null,\"timing\":{\"dns\":0.001000,"
      "\"connect\":0.002000,\"tls\":0.000000,\"ttfb\":0.003000,"
      "\"total\":0.004000},\"parent\":3,\"depth\":2,\"saved\":null}\n";
  struct buf b = { NULL, 0, 0 };
  struct result r;
  bool same;

  result_init(&r);
  r.queued_s = 1.25;
  r.timing.known = true;
  r.timing.dns_s = 0.001;
  r.timing.connect_s = 0.002;
  r.timing.ttfb_s = 0.003;
  r.timing.total_s = 0.004;
  r.crawled = true;
  r.depth = 2;
  r.parent_json = "3";
  r.saving = true;
  record_build(&b, &r);
  same = b.len == sizeof(want) - 1 && memcmp(b.p, want, b.len) == 0;
  if (!same)
    tap_fail(why, __FILE__, __LINE__, "got %.*s", (int)b.len, b.p);
  buf_free(&b);
  return same ? 0 : -1;
}

/* The record's text for "time" and "id", as "%.6f" and "%llu" print them. */
static int numbers_as_printf(char *why)
{
  static const double times[] = { 0,        0.5,      1e-7,      2.5e-6,
                                  0.000123, 0.015938, 12.345678, 59.9999996,
                                  86400.25, 1e6 + 0.5 };
  static const uint64_t ids[] = { 0, 1, 9, 10, 1234567890123ULL, UINT64_MAX };
  struct result r;
  uint64_t x = 88172645463325252ULL;
  size_t i;

  result_init(&r);
  for (i = 0; i < 2000 + sizeof(times) / sizeof(times[0]); i++) {
    struct buf b = { NULL, 0, 0 };
    char want[64];
    const char *at;

    if (i < sizeof(times) / sizeof(times[0]))
      r.time_s = times[i];
    else { /* xorshift: times up to about 1000 s */
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      r.time_s = (double)(x % 1000000000ULL) / 1e6 + 1e-9;
    }
    snprintf(want, sizeof(want), ",\"time\":%.6f,", r.time_s);
    record_build(&b, &r);
    at = strstr(buf_cstr(&b), ",\"time\":");
    CHECK(at && strncmp(at, want, strlen(want)) == 0);
    buf_free(&b);
  }
  for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
    struct buf b = { NULL, 0, 0 };
    char want[64];

    r.line = ids[i];
    snprintf(want, sizeof(want), "{\"id\":%llu,", (unsigned long long)ids[i]);
    record_build(&b, &r);
    CHECK(strncmp(b.p, want, strlen(want)) == 0);
    buf_free(&b);
  }
  return 0;
}

static int escape_quotes(char *why)
{
  static const char url[] = "http://example.com/\"q\"\\x\\\\\"";
  struct result r;
  json_t *j;

  result_init(&r);
  r.url = url;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_STREQ(jstr(j, "url"), url);
  json_decref(j);
  return 0;
}

static int escape_controls(char *why)
{
  static const char msg[] = "a\nb\rc\td\be\ff\x01g\x1fh\x7fi";
  struct result r;
  json_t *j;

  result_init(&r);
  r.status = 0;
  r.kind = ERRKIND_OTHER;
  r.message = msg;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_STREQ(jerr(j, "message"), msg);
  json_decref(j);
  return 0;
}

static int invalid_utf8(char *why)
{
  static const struct {
    const char *in, *out;
  } t[] = {
    { "a\xff"
      "b",
      "a" FFFD "b" },
    { "\x80", FFFD },
    { "end\xc3", "end" FFFD },
    { "\xc3(", FFFD "(" },
    { "\xc0\xaf", FFFD FFFD },                   /* overlong '/' */
    { "\xe0\x80\xaf", FFFD FFFD FFFD },          /* overlong, 3 bytes */
    { "\xed\xa0\x80", FFFD FFFD FFFD },          /* a surrogate */
    { "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD }, /* past U+10FFFF */
    { "\xe2\x82", FFFD FFFD },
    { "\xf0\x9f\x98", FFFD FFFD FFFD },
    { "\xfe\xfe", FFFD FFFD },
  };
  size_t i;

  for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
    struct result r;
    json_t *j;
    int same;

    result_init(&r);
    r.url = t[i].in;
    r.content_type = t[i].in;
    j = build_parse(&r, why);
    if (!j)
      return -1;
    same = jstr(j, "url") && strcmp(jstr(j, "url"), t[i].out) == 0 &&
           jstr(j, "content_type") &&
           strcmp(jstr(j, "content_type"), t[i].out) == 0;
    json_decref(j);
    if (!same)
      return tap_fail(why, __FILE__, __LINE__, "case %zu", i);
  }
  return 0;
}

static int utf8_kept(char *why)
{
  /* 2, 3 and 4-byte sequences, the highest code point, and U+FFFD. */
  static const char s[] = "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 "
                          "\xf4\x8f\xbf\xbf " FFFD;
  struct buf b = { NULL, 0, 0 };
  struct result r;
  json_t *j;
  int raw;

  result_init(&r);
  r.url = s;
  record_build(&b, &r);
  /* Kept as raw bytes, not escaped. */
  raw = mem_has(b.p, b.len, s, sizeof(s) - 1);
  buf_free(&b);
  CHECK(raw);
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_STREQ(jstr(j, "url"), s);
  json_decref(j);
  return 0;
}

/* The exact text of record_put_quoted() for "len" bytes of "s". */
static int put_string_is(const char *s, size_t len, const char *want)
{
  struct buf b = { NULL, 0, 0 };
  int same;

  record_put_quoted(&b, s, len);
  same = b.len == strlen(want) && memcmp(b.p, want, b.len) == 0;
  buf_free(&b);
  return same;
}

static int put_string_exact(char *why)
{
  CHECK(put_string_is("", 0, "\"\""));
  CHECK(put_string_is("abc", 3, "\"abc\""));
  CHECK(put_string_is("a\0b", 3, "\"a\\u0000b\""));
  CHECK(put_string_is("\"\\", 2, "\"\\\"\\\\\""));
  CHECK(put_string_is("\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\""));
  CHECK(put_string_is("\x1f\x7f", 2, "\"\\u001f\x7f\""));
  CHECK(put_string_is("a/b", 3, "\"a/b\""));
  CHECK(put_string_is("\xff", 1, "\"\\ufffd\""));
  CHECK(put_string_is("abcdef", 2, "\"ab\""));
  return 0;
}

/* One byte (or sequence) needing a look at each offset of a run of plain
 * bytes, on both sides of the 8-byte words the copy takes at once. */
static int put_string_every_offset(char *why)
{
  static const struct {
    const char *in, *out;
  } odd[] = {
    { "\"", "\\\"" },      { "\\", "\\\\" },
    { "\n", "\\n" },       { "\x01", "\\u0001" },
    { "\x1f", "\\u001f" }, { "\x7f", "\x7f" },
    { " ", " " },          { "\xc3\xa9", "\xc3\xa9" },
    { "\xff", "\\ufffd" }, { "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" },
  };
  size_t k, at;

  for (k = 0; k < sizeof(odd) / sizeof(odd[0]); k++)
    for (at = 0; at <= 24; at++) {
      char in[64], want[96];
      size_t n = strlen(odd[k].in);

      memset(in, 'a', at);
      memcpy(in + at, odd[k].in, n);
      memset(in + at + n, 'z', 24 - at);
      snprintf(want, sizeof(want), "\"%.*s%s%.*s\"", (int)at,
               "aaaaaaaaaaaaaaaaaaaaaaaa", odd[k].out, (int)(24 - at),
               "zzzzzzzzzzzzzzzzzzzzzzzz");
      if (!put_string_is(in, n + 24, want))
        return tap_fail(why, __FILE__, __LINE__, "case %zu at offset %zu", k,
                        at);
    }
  return 0;
}

static int put_string_appends(char *why)
{
  struct buf b = { NULL, 0, 0 };
  int same;

  record_put_quoted(&b, "a", 1);
  record_put_quoted(&b, "b", 1);
  same = b.len == 6 && memcmp(b.p, "\"a\"\"b\"", 6) == 0;
  buf_free(&b);
  CHECK(same);
  return 0;
}

static int body_utf8(char *why)
{
  static const char body[] = "h\xc3\xa9llo\n\"x\"\t\x01 \xf0\x9f\x98\x80";
  struct result r;
  json_t *j;

  result_init(&r);
  r.body = body;
  r.body_len = sizeof(body) - 1;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_STREQ(jstr(j, "body"), body);
  CHECK(!has(j, "body_base64"));
  json_decref(j);
  return 0;
}

/* An empty body is valid UTF-8, so base64 of length 0 never occurs in a
 * record: it is "body": "". */
static int body_empty(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.body = "";
  r.body_len = 0;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_STREQ(jstr(j, "body"), "");
  CHECK(!has(j, "body_base64"));
  json_decref(j);
  return 0;
}

static int body_uses_len(char *why)
{
  struct result r;
  json_t *j;

  result_init(&r);
  r.body = "abcdef";
  r.body_len = 3;
  j = build_parse(&r, why);
  if (!j)
    return -1;
  CHECK_STREQ(jstr(j, "body"), "abc");
  json_decref(j);
  return 0;
}

/* The body_base64 of "len" bytes of "body", or NULL (caller frees). */
static char *base64_of(const char *body, size_t len, char *why)
{
  struct result r;
  char *s = NULL;
  json_t *j;

  result_init(&r);
  r.body = body;
  r.body_len = len;
  j = build_parse(&r, why);
  if (!j)
    return NULL;
  if (has(j, "body"))
    tap_fail(why, __FILE__, __LINE__, "\"body\" for binary bytes");
  else if (!jstr(j, "body_base64"))
    tap_fail(why, __FILE__, __LINE__, "no \"body_base64\"");
  else
    s = xstrdup(jstr(j, "body_base64"));
  json_decref(j);
  return s;
}

/* "len" binary bytes give "want" and decode back to themselves. */
static int base64_is(const char *body, size_t len, const char *want, char *why)
{
  unsigned char out[64];
  char *s = base64_of(body, len, why);
  long n;
  int same;

  if (!s)
    return -1;
  same = strcmp(s, want) == 0;
  n = b64_decode(s, out);
  if (!same)
    tap_fail(why, __FILE__, __LINE__, "%zu bytes: '%s', not '%s'", len, s,
             want);
  free(s);
  if (!same)
    return -1;
  CHECK_INT(n, len);
  CHECK(memcmp(out, body, len) == 0);
  return 0;
}

static int base64_lengths(char *why)
{
  CHECK_OK(base64_is("\xff", 1, "/w==", why));
  CHECK_OK(base64_is("\xff\xfe", 2, "//4=", why));
  CHECK_OK(base64_is("\xff\xfe\xfd", 3, "//79", why));
  CHECK_OK(base64_is("\xff\xfe\xfd\xfc", 4, "//79/A==", why));
  CHECK_OK(base64_is("\0", 1, "AA==", why));
  CHECK_OK(base64_is("\0\0", 2, "AAA=", why));
  CHECK_OK(base64_is("\0\0\0", 3, "AAAA", why));
  CHECK_OK(base64_is("a\0b", 3, "YQBi", why));
  CHECK_OK(base64_is("\xfb\xef\xbe\x00", 4, "++++AA==", why));
  return 0;
}

static int base64_roundtrip(char *why)
{
  uint64_t x = UINT64_C(0x9e3779b97f4a7c15);
  size_t len;

  for (len = 1; len <= 300; len++) {
    char body[300];
    unsigned char out[300];
    char *s;
    size_t i;
    long n;

    for (i = 0; i < len; i++) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      body[i] = (char)(x >> 32);
    }
    body[len / 2] = '\xff'; /* never valid UTF-8 */
    s = base64_of(body, len, why);
    if (!s)
      return -1;
    n = strlen(s) <= 400 ? b64_decode(s, out) : -1;
    free(s);
    if (n != (long)len || memcmp(out, body, len) != 0)
      return tap_fail(why, __FILE__, __LINE__, "length %zu", len);
  }
  return 0;
}

static int body_invalid_late(char *why)
{
  static char body[100000];
  char *s;

  /* One bad byte at the very end still makes the body binary. */
  memset(body, 'x', sizeof(body));
  body[sizeof(body) - 1] = '\xc3';
  s = base64_of(body, sizeof(body), why);
  if (!s)
    return -1;
  CHECK_INT(strlen(s), (sizeof(body) + 2) / 3 * 4);
  free(s);
  return 0;
}

static int headers_merged(char *why)
{
  static const char hdr[] = "A: 1\r\nB: x\r\na: 2\r\n";
  static const char text_want[] = "\"headers\":{\"a\":\"1, 2\",\"b\":\"x\"}";
  struct buf b = { NULL, 0, 0 };
  struct result r;
  json_t *j, *want;
  int same, text;

  result_init(&r);
  r.headers = hdr;
  r.headers_len = sizeof(hdr) - 1;
  record_build(&b, &r);
  text = mem_has(b.p, b.len, text_want, sizeof(text_want) - 1);
  buf_free(&b);
  CHECK(text);
  j = build_parse(&r, why);
  if (!j)
    return -1;
  want = json_pack("{s:s, s:s}", "a", "1, 2", "b", "x");
  same = json_equal(json_object_get(j, "headers"), want);
  json_decref(want);
  json_decref(j);
  CHECK(same);
  return 0;
}

/* Parse the headers object of "block" and compare it with "want" (JSON
 * text). */
static int headers_are(const char *block, size_t len, const char *want,
                       char *why)
{
  json_t *w = json_loads(want, 0, NULL);
  struct result r;
  json_t *j;
  char *got;
  int same;

  result_init(&r);
  r.headers = block;
  r.headers_len = len;
  j = build_parse(&r, why);
  if (!j || !w) {
    json_decref(w);
    json_decref(j);
    return -1;
  }
  same = json_equal(json_object_get(j, "headers"), w);
  got = json_dumps(json_object_get(j, "headers"), JSON_COMPACT);
  if (!same)
    tap_fail(why, __FILE__, __LINE__, "headers %s, not %s", got, want);
  free(got);
  json_decref(w);
  json_decref(j);
  return same ? 0 : -1;
}

#define CHECK_HEADERS(block, want)                                            \
  CHECK_OK(headers_are((block), sizeof(block) - 1, (want), why))

static int headers_status_line(char *why)
{
  CHECK_HEADERS("HTTP/1.1 200 OK\r\n"
                "Content-Type: text/html\r\n"
                "X-Y:   spaced  \r\n\r\n",
                "{\"content-type\":\"text/html\",\"x-y\":\"spaced\"}");
  CHECK_HEADERS("HTTP/2 200\r\nserver: s\r\n\r\n", "{\"server\":\"s\"}");
  return 0;
}

/* A status line whose reason phrase holds a colon (legal: any VCHAR) is
 * not a header. */
static int headers_status_line_colon(char *why)
{
  CHECK_HEADERS("HTTP/1.1 200 OK: fine\r\nA: 1\r\n\r\n", "{\"a\":\"1\"}");
  return 0;
}

static int headers_odd_lines(char *why)
{
  CHECK_HEADERS("", "{}");
  CHECK_HEADERS("\r\n", "{}");
  CHECK_HEADERS("K:v\r\n", "{\"k\":\"v\"}");
  CHECK_HEADERS("A: 1", "{\"a\":\"1\"}");
  CHECK_HEADERS("A: 1\nB: 2\n", "{\"a\":\"1\",\"b\":\"2\"}");
  CHECK_HEADERS("no colon here\r\n:x\r\nA: 1\r\n", "{\"a\":\"1\"}");
  CHECK_HEADERS("Location: http://x/?a=b:c\r\n",
                "{\"location\":\"http://x/?a=b:c\"}");
  CHECK_HEADERS("X-Bin: a\xff\r\n", "{\"x-bin\":\"a\\ufffd\"}");
  CHECK_HEADERS("X-Q: \"q\"\\\r\n", "{\"x-q\":\"\\\"q\\\"\\\\\"}");
  /* Set-Cookie values may hold commas: joined with newlines instead. */
  CHECK_HEADERS("Set-Cookie: a=1\r\nSET-COOKIE: b=2\r\n"
                "set-cookie: c=3\r\n",
                "{\"set-cookie\":\"a=1\\nb=2\\nc=3\"}");
  CHECK_HEADERS("X-A: 1\r\nx-a: 2\r\n", "{\"x-a\":\"1, 2\"}");
  return 0;
}

/* Names that differ only in bytes the UTF-8 repair replaces are written
 * as one key: as two, the record held a key twice and a JSON reader kept
 * one value (found by tests/fuzz/fuzz-record.c). A NUL byte in a name
 * becomes U+FFFD: jansson refuses "\u0000" in a key. */
static int headers_same_written_name(char *why)
{
  CHECK_HEADERS("X-\xff: 1\r\nx-\xfe: 2\r\nX-\xc3: 3\r\n",
                "{\"x-\\ufffd\":\"1, 2, 3\"}");
  CHECK_HEADERS("A\0B: 1\r\na\xff"
                "b: 2\r\n",
                "{\"a\\ufffdb\":\"1, 2\"}");
  return 0;
}

/* An empty header value: put() once called memcpy(NULL, value, 0), which
 * UBSan reports, on the still-empty value buffer. */
static int headers_empty_value(char *why)
{
  CHECK_HEADERS("Empty:\r\n", "{\"empty\":\"\"}");
  CHECK_HEADERS("A: 1\r\nE:  \r\n", "{\"a\":\"1\",\"e\":\"\"}");
  return 0;
}

static int headers_uses_len(char *why)
{
  static const char block[] = "A: 1\r\nB: 2\r\n";

  CHECK_OK(headers_are(block, 6, "{\"a\":\"1\"}", why));
  CHECK_OK(headers_are(block, 0, "{}", why));
  return 0;
}

/* "n" header lines: the names h0 .. h(n/2-1), then each again in upper
 * case with the second value. Into a malloc'd block of "*len" bytes. */
static char *repeated_block(size_t n, size_t *len)
{
  struct buf b = { NULL, 0, 0 };
  size_t i;

  buf_putf(&b, "HTTP/1.1 200 OK\r\n");
  for (i = 0; i < n; i++)
    buf_putf(&b, "%s%zu: %c%zu\r\n", i < n / 2 ? "h" : "H", i % (n / 2),
             i < n / 2 ? 'v' : 'w', i % (n / 2));
  *len = b.len;
  return b.p;
}

/* Many names, each twice far apart: every pair joined, names in the order
 * they first came. (The old name-against-every-name loop took seconds
 * for 40,000 names; this only checks the result of the sort.) */
static int headers_many_names(char *why)
{
  size_t len, i, n = RECORD_MAX_HEADERS;
  char *block = repeated_block(n, &len);
  struct result r;
  json_t *j, *h;
  const char *key;
  json_t *v;
  int bad = 0;

  result_init(&r);
  r.headers = block;
  r.headers_len = len;
  j = build_parse(&r, why);
  free(block);
  if (!j)
    return -1;
  h = json_object_get(j, "headers");
  i = 0;
  json_object_foreach(h, key, v)
  {
    char k[32], want[64];

    snprintf(k, sizeof(k), "h%zu", i);
    snprintf(want, sizeof(want), "v%zu, w%zu", i, i);
    if (strcmp(key, k) != 0 || !json_is_string(v) ||
        strcmp(json_string_value(v), want) != 0)
      bad++;
    i++;
  }
  CHECK(!bad);
  CHECK_INT(i, n / 2);
  CHECK(!json_object_get(j, "headers_dropped"));
  json_decref(j);
  return 0;
}

/* Past RECORD_MAX_HEADERS lines the rest are dropped and counted; status
 * lines and lines without a colon do not count. */
static int headers_cap(char *why)
{
  size_t len, n = RECORD_MAX_HEADERS + 501;
  char *block = repeated_block(n, &len);
  struct result r;
  json_t *j;

  result_init(&r);
  r.headers = block;
  r.headers_len = len;
  j = build_parse(&r, why);
  free(block);
  if (!j)
    return -1;
  CHECK_INT(json_object_size(json_object_get(j, "headers")), n / 2);
  CHECK_INT(json_integer_value(json_object_get(j, "headers_dropped")), 501);
  json_decref(j);
  return 0;
}

static int is_utf8(char *why)
{
  CHECK(record_is_utf8("", 0));
  CHECK(record_is_utf8("abc", 3));
  CHECK(record_is_utf8("\x01\x1f\x7f\t\n", 5));
  CHECK(record_is_utf8("\xc3\xa9", 2));
  CHECK(record_is_utf8("\xe2\x82\xac", 3));
  CHECK(record_is_utf8("\xf0\x9f\x98\x80", 4));
  CHECK(record_is_utf8("\xf4\x8f\xbf\xbf", 4));
  CHECK(record_is_utf8("\xef\xbf\xbd", 3));
  CHECK(!record_is_utf8("a\0b", 3));
  CHECK(!record_is_utf8("\0", 1));
  CHECK(!record_is_utf8("\xff", 1));
  CHECK(!record_is_utf8("\x80", 1));
  CHECK(!record_is_utf8("\xc3", 1));
  CHECK(!record_is_utf8("\xc3\xa9", 1));
  CHECK(!record_is_utf8("\xc0\xaf", 2));
  CHECK(!record_is_utf8("\xe0\x80\xaf", 3));
  CHECK(!record_is_utf8("\xed\xa0\x80", 3));
  CHECK(!record_is_utf8("\xf0\x80\x80\x80", 4));
  CHECK(!record_is_utf8("\xf4\x90\x80\x80", 4));
  CHECK(!record_is_utf8("\xf5\x80\x80\x80", 4));
  return 0;
}

static int ok_rule(char *why)
{
  struct result r;

  result_init(&r);
  CHECK(record_ok(&r));
  r.status = 101;
  CHECK(record_ok(&r));
  r.status = 399;
  CHECK(record_ok(&r));
  r.status = 400;
  CHECK(!record_ok(&r));
  r.status = 599;
  CHECK(!record_ok(&r));
  r.status = 0;
  CHECK(!record_ok(&r));
  r.status = 200;
  r.kind = ERRKIND_TOO_LARGE;
  CHECK(!record_ok(&r));
  r.kind = ERRKIND_CANCELLED;
  CHECK(!record_ok(&r));
  return 0;
}

static int buf_reuse(char *why)
{
  struct buf b = { NULL, 0, 0 };
  struct result r;
  char *first;
  size_t len, cap;
  int same, kept;

  result_init(&r);
  r.headers = "A: 1\r\n";
  r.headers_len = 6;
  record_build(&b, &r);
  len = b.len;
  cap = b.cap;
  first = xstrndup(b.p, b.len);
  buf_reset(&b);
  kept = b.len == 0 && b.cap == cap && b.p;
  record_build(&b, &r);
  same = b.len == len && memcmp(b.p, first, len) == 0 && b.cap == cap;
  free(first);
  buf_free(&b);
  CHECK(kept);
  CHECK(same);
  CHECK(!b.p && b.len == 0 && b.cap == 0);
  buf_free(&b);
  return 0;
}

static int lines_append(char *why)
{
  struct buf b = { NULL, 0, 0 };
  struct result r;
  size_t i, nl = 0;

  result_init(&r);
  for (i = 0; i < 1000; i++) {
    r.line = i + 1;
    record_build(&b, &r);
  }
  for (i = 0; i < b.len; i++)
    nl += b.p[i] == '\n';
  buf_free(&b);
  CHECK_INT(nl, 1000);
  return 0;
}

static int big_body(char *why)
{
  size_t len = 1 << 20;
  char *body = xmalloc(len);
  struct result r;
  json_t *j;
  size_t got;

  memset(body, 'x', len);
  body[7] = '"';
  result_init(&r);
  r.body = body;
  r.body_len = len;
  j = build_parse(&r, why);
  free(body);
  if (!j)
    return -1;
  got = json_string_length(json_object_get(j, "body"));
  json_decref(j);
  CHECK_INT(got, len);
  return 0;
}

static const struct tap_case cases[] = {
  { "success: keys and values, no optional keys", success_basic },
  { "queued, timing, crawl and --save fields, in order", new_fields_in_order },
  { "id is the line number without id_json", id_from_line },
  { "id_json is copied as JSON", id_from_json },
  { "3xx is ok", ok_redirect_status },
  { "HTTP 503 without message: kind http, \"HTTP 503\"",
    http_default_message },
  { "HTTP error with a message keeps it", http_given_message },
  { "transfer failure: status null, kind and message", transfer_failure },
  { "failure after a status keeps the status", failure_with_status },
  { "every error kind is named as errkind_name says", every_kind },
  { "NULL url is null", url_null },
  { "optional keys present when set", optional_keys },
  { "etag, last_modified and sha256 when set", validators_and_hash },
  { "changed: null, false, true; unchanged only when true", changed_values },
  { "time is a number of seconds", time_values },
  { "time and id print as %.6f and %llu do", numbers_as_printf },
  { "quotes and backslashes escaped", escape_quotes },
  { "control characters escaped", escape_controls },
  { "invalid UTF-8 becomes U+FFFD, line still JSON", invalid_utf8 },
  { "valid UTF-8 kept raw, 4-byte included", utf8_kept },
  { "record_put_quoted exact text", put_string_exact },
  { "record_put_quoted appends", put_string_appends },
  { "record_put_quoted: an odd byte at every offset of a plain run",
    put_string_every_offset },
  { "UTF-8 body is \"body\"", body_utf8 },
  { "empty body is \"body\": \"\"", body_empty },
  { "body_len bytes of the body", body_uses_len },
  { "base64 of lengths 1 to 4 and NUL bytes", base64_lengths },
  { "base64 decodes back, lengths 1 to 300", base64_roundtrip },
  { "one bad byte at the end makes the body base64", body_invalid_late },
  { "headers: lower-case names, repeats joined", headers_merged },
  { "headers: status lines skipped, values trimmed", headers_status_line },
  { "headers: status line with a colon skipped", headers_status_line_colon },
  { "headers: odd lines", headers_odd_lines },
  { "headers: empty values", headers_empty_value },
  { "headers: headers_len bytes only", headers_uses_len },
  { "headers: many names, repeats joined in order", headers_many_names },
  { "headers: lines past the cap dropped and counted", headers_cap },
  { "headers: names written alike are one key", headers_same_written_name },
  { "record_is_utf8", is_utf8 },
  { "record_ok", ok_rule },
  { "buf_reset keeps memory, lines repeat", buf_reuse },
  { "records append, one line each", lines_append },
  { "1 MiB body", big_body },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
