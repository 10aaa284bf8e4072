/* One result to one NDJSON line, written by hand into a reused buffer:
 * no allocation per record once the buffer has grown, and strings are
 * escaped and repaired to valid UTF-8 (jansson refuses invalid UTF-8, and
 * servers send anything). Pure. */
#include "config.h"

#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extract.h"
#include "hdrblock.h"
#include "utf8.h"
#include "util.h"

void record_put_raw(struct buf *b, const char *s)
{
  buf_put(b, s, strlen(s));
}

/* Append the string literal "lit", its length known at compile time. */
#define PUT_LIT(b, lit) buf_put((b), "" lit, sizeof(lit) - 1)

/* "00" to "99": two digits per division by 100. */
static const char digit_pairs[] = "00010203040506070809"
                                  "10111213141516171819"
                                  "20212223242526272829"
                                  "30313233343536373839"
                                  "40414243444546474849"
                                  "50515253545556575859"
                                  "60616263646566676869"
                                  "70717273747576777879"
                                  "80818283848586878889"
                                  "90919293949596979899";

/* Decimal digits of "v", written backwards from "end"; returns where they
 * start. printf's engine costs more than the rest of a record put
 * together, and a digit at a time twice what this does. */
static char *digits(char *end, uint64_t v)
{
  while (v >= 100) {
    end -= 2;
    memcpy(end, digit_pairs + 2 * (v % 100), 2);
    v /= 100;
  }
  if (v >= 10) {
    end -= 2;
    memcpy(end, digit_pairs + 2 * v, 2);
  } else {
    *--end = (char)('0' + v);
  }
  return end;
}

static void put_fmt_u64(struct buf *b, uint64_t v)
{
  char tmp[24];
  char *p = digits(tmp + sizeof(tmp), v);

  buf_put(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* Seconds with six decimals, as "%.6f" prints them for times up to days;
 * negative or absurd values (never measured) print as 0. */
static void put_seconds(struct buf *b, double s)
{
  char tmp[48];
  char *end = tmp + sizeof(tmp), *p;
  uint64_t us;
  uint32_t frac;

  us = s > 0 && s < 1e12 ? (uint64_t)(s * 1e6 + 0.5) : 0;
  frac = (uint32_t)(us % 1000000);
  p = end - 6;
  memcpy(p, digit_pairs + 2 * (frac / 10000), 2);
  memcpy(p + 2, digit_pairs + 2 * (frac / 100 % 100), 2);
  memcpy(p + 4, digit_pairs + 2 * (frac % 100), 2);
  *--p = '.';
  p = digits(p, us / 1000000);
  buf_put(b, p, (size_t)(end - p));
}

bool record_is_utf8(const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;

  while (i < len) {
    size_t n;

    if (p[i] >= 0x20 && p[i] < 0x80) {
      i++;
      continue;
    }
    if (p[i] == 0)
      return false;
    n = utf8_seq(p + i, len - i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

/* Whether none of the 8 bytes at "p" needs more than a copy into a JSON
 * string: no control byte, no byte of 0x80 or above, no '"' and no '\\'.
 * Each test is the exact "has a byte below n" of (x - n per byte) & ~x,
 * whose high bit is set in some byte iff one is; the byte order does not
 * matter. */
static bool word_plain(const unsigned char *p)
{
  const uint64_t ones = 0x0101010101010101ULL;
  const uint64_t high = 0x8080808080808080ULL;
  uint64_t w, q, bs;

  memcpy(&w, p, sizeof(w));
  q = w ^ (ones * '"');
  bs = w ^ (ones * '\\');
  return !((w | ((w - ones * 0x20) & ~w) | ((q - ones) & ~q) |
            ((bs - ones) & ~bs)) &
           high);
}

void record_put_quoted(struct buf *b, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;

  /* Worst case: every byte becomes a 6-byte escape. */
  buf_reserve(b, len * 6 + 2);
  b->p[b->len++] = '"';
  while (i < len) {
    size_t start = i, n;

    /* Copy the run of plain ASCII in one go: the common case. Eight
     * bytes at a time while none of them needs a look. */
    while (len - i >= 8 && word_plain(p + i))
      i += 8;
    while (i < len && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' &&
           p[i] != '\\')
      i++;
    if (i > start) {
      memcpy(b->p + b->len, s + start, i - start);
      b->len += i - start;
    }
    if (i >= len)
      break;
    if (p[i] == '"' || p[i] == '\\') {
      b->p[b->len++] = '\\';
      b->p[b->len++] = (char)p[i++];
      continue;
    }
    if (p[i] < 0x20) {
      char e = 0;

      switch (p[i]) {
      case '\n':
        e = 'n';
        break;
      case '\r':
        e = 'r';
        break;
      case '\t':
        e = 't';
        break;
      case '\b':
        e = 'b';
        break;
      case '\f':
        e = 'f';
        break;
      default:
        break;
      }
      b->p[b->len++] = '\\';
      if (e) {
        b->p[b->len++] = e;
      } else {
        memcpy(b->p + b->len, "u00", 3);
        b->len += 3;
        b->p[b->len++] = hex[p[i] >> 4];
        b->p[b->len++] = hex[p[i] & 15];
      }
      i++;
      continue;
    }
    n = utf8_seq(p + i, len - i);
    if (n == 0) {
      /* Invalid byte: U+FFFD in place of it, then resynchronise. */
      memcpy(b->p + b->len, "\\ufffd", 6);
      b->len += 6;
      i++;
      continue;
    }
    memcpy(b->p + b->len, s + i, n);
    b->len += n;
    i += n;
  }
  b->p[b->len++] = '"';
}

static void put_cstr_or_null(struct buf *b, const char *s)
{
  if (s)
    record_put_quoted(b, s, strlen(s));
  else
    PUT_LIT(b, "null");
}

static void put_base64(struct buf *b, const char *s, size_t len)
{
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *p = (const unsigned char *)s;
  size_t i;

  buf_reserve(b, (len + 2) / 3 * 4 + 2);
  b->p[b->len++] = '"';
  for (i = 0; i + 2 < len; i += 3) {
    b->p[b->len++] = tab[p[i] >> 2];
    b->p[b->len++] = tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
    b->p[b->len++] = tab[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
    b->p[b->len++] = tab[p[i + 2] & 63];
  }
  if (i < len) {
    b->p[b->len++] = tab[p[i] >> 2];
    if (i + 1 < len) {
      b->p[b->len++] = tab[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
      b->p[b->len++] = tab[(p[i + 1] & 15) << 2];
    } else {
      b->p[b->len++] = tab[(p[i] & 3) << 4];
      b->p[b->len++] = '=';
    }
    b->p[b->len++] = '=';
  }
  b->p[b->len++] = '"';
}

bool record_ok(const struct result *r)
{
  return r->kind == ERRKIND_NONE && r->status > 0 && r->status < 400;
}

void record_result_init(struct result *r)
{
  memset(r, 0, sizeof(*r));
  r->size = -1;
  r->redirects = -1;
}

struct record_field;

/* Each field's writer appends its key "f" (when "f" is not NULL) and its
 * value as JSON, or returns false having appended nothing when the result
 * lacks it: the key goes out only once the value is known to, since
 * writing and taking back the keys of absent fields cost as much as the
 * rest of a record. */
typedef bool put_fn(struct buf *b, const struct result *r,
                    const struct record_field *f);

/* -w's writer of a field: its raw text, or false when absent. */
typedef bool text_fn(struct buf *b, const struct result *r);

/* Append the key of "f", unless "f" is NULL (the value alone). */
static void put_key(struct buf *b, const struct record_field *f);

static bool put_string_or_absent(struct buf *b, const char *s,
                                 const struct record_field *f)
{
  if (!s)
    return false;
  put_key(b, f);
  record_put_quoted(b, s, strlen(s));
  return true;
}

static bool put_id(struct buf *b, const struct result *r,
                   const struct record_field *f)
{
  put_key(b, f);
  if (r->id_json)
    record_put_raw(b, r->id_json);
  else
    put_fmt_u64(b, r->line);
  return true;
}

static bool put_url(struct buf *b, const struct result *r,
                    const struct record_field *f)
{
  put_key(b, f);
  put_cstr_or_null(b, r->url);
  return true;
}

static bool put_ok(struct buf *b, const struct result *r,
                   const struct record_field *f)
{
  put_key(b, f);
  if (record_ok(r))
    PUT_LIT(b, "true");
  else
    PUT_LIT(b, "false");
  return true;
}

static bool put_status(struct buf *b, const struct result *r,
                       const struct record_field *f)
{
  put_key(b, f);
  if (r->status > 0)
    put_fmt_u64(b, (uint64_t)r->status);
  else
    PUT_LIT(b, "null");
  return true;
}

static bool put_attempts(struct buf *b, const struct result *r,
                         const struct record_field *f)
{
  put_key(b, f);
  put_fmt_u64(b, r->attempts);
  return true;
}

static bool put_time(struct buf *b, const struct result *r,
                     const struct record_field *f)
{
  put_key(b, f);
  put_seconds(b, r->time_s);
  return true;
}

static bool put_queued(struct buf *b, const struct result *r,
                       const struct record_field *f)
{
  put_key(b, f);
  put_seconds(b, r->queued_s);
  return true;
}

/* The kind a record names: not ok after a completed transfer means the
 * status failed it. */
static enum errkind shown_kind(const struct result *r)
{
  return r->kind == ERRKIND_NONE ? ERRKIND_HTTP : r->kind;
}

/* The error's message: the one given, else "HTTP 503". */
static void put_message_text(struct buf *b, const struct result *r)
{
  if (r->message)
    record_put_raw(b, r->message);
  else
    buf_putf(b, "HTTP %ld", r->status);
}

static bool put_error(struct buf *b, const struct result *r,
                      const struct record_field *f)
{
  char num[32];
  int n;

  put_key(b, f);
  if (record_ok(r)) {
    PUT_LIT(b, "null");
    return true;
  }
  PUT_LIT(b, "{\"kind\":");
  put_cstr_or_null(b, errkind_name(shown_kind(r)));
  PUT_LIT(b, ",\"message\":");
  if (r->message) {
    record_put_quoted(b, r->message, strlen(r->message));
  } else {
    n = snprintf(num, sizeof(num), "HTTP %ld", r->status);
    record_put_quoted(b, num, (size_t)n);
  }
  PUT_LIT(b, "}");
  return true;
}

static bool put_timing(struct buf *b, const struct result *r,
                       const struct record_field *f)
{
  const struct record_timing *t = &r->timing;

  if (!t->known)
    return false;
  put_key(b, f);
  PUT_LIT(b, "{\"dns\":");
  put_seconds(b, t->dns_s);
  PUT_LIT(b, ",\"connect\":");
  put_seconds(b, t->connect_s);
  PUT_LIT(b, ",\"tls\":");
  put_seconds(b, t->tls_s);
  PUT_LIT(b, ",\"ttfb\":");
  put_seconds(b, t->ttfb_s);
  PUT_LIT(b, ",\"total\":");
  put_seconds(b, t->total_s);
  PUT_LIT(b, "}");
  return true;
}

static bool put_final_url(struct buf *b, const struct result *r,
                          const struct record_field *f)
{
  return put_string_or_absent(b, r->final_url, f);
}

static bool put_http_version(struct buf *b, const struct result *r,
                             const struct record_field *f)
{
  return put_string_or_absent(b, r->http_version, f);
}

static bool put_content_type(struct buf *b, const struct result *r,
                             const struct record_field *f)
{
  return put_string_or_absent(b, r->content_type, f);
}

static bool put_size(struct buf *b, const struct result *r,
                     const struct record_field *f)
{
  if (r->size < 0)
    return false;
  put_key(b, f);
  put_fmt_u64(b, (uint64_t)r->size);
  return true;
}

static bool put_redirects(struct buf *b, const struct result *r,
                          const struct record_field *f)
{
  if (r->redirects < 0)
    return false;
  put_key(b, f);
  put_fmt_u64(b, (uint64_t)r->redirects);
  return true;
}

static bool put_remote_ip(struct buf *b, const struct result *r,
                          const struct record_field *f)
{
  return put_string_or_absent(b, r->remote_ip, f);
}

static bool put_etag(struct buf *b, const struct result *r,
                     const struct record_field *f)
{
  return put_string_or_absent(b, r->etag, f);
}

static bool put_last_modified(struct buf *b, const struct result *r,
                              const struct record_field *f)
{
  return put_string_or_absent(b, r->last_modified, f);
}

static bool put_sha256(struct buf *b, const struct result *r,
                       const struct record_field *f)
{
  return put_string_or_absent(b, r->sha256, f);
}

static bool put_unchanged(struct buf *b, const struct result *r,
                          const struct record_field *f)
{
  if (!r->unchanged)
    return false;
  put_key(b, f);
  PUT_LIT(b, "true");
  return true;
}

static bool put_changed(struct buf *b, const struct result *r,
                        const struct record_field *f)
{
  if (r->changed == RECORD_CHANGED_NONE)
    return false;
  put_key(b, f);
  switch (r->changed) {
  case RECORD_CHANGED_NONE:
    break; /* not reached */
  case RECORD_CHANGED_UNKNOWN:
    PUT_LIT(b, "null");
    break;
  case RECORD_CHANGED_FALSE:
    PUT_LIT(b, "false");
    break;
  case RECORD_CHANGED_TRUE:
    PUT_LIT(b, "true");
    break;
  }
  return true;
}

static bool put_headers_field(struct buf *b, const struct result *r,
                              const struct record_field *f)
{
  if (!r->headers)
    return false;
  put_key(b, f);
  (void)hdrblock_put_json(b, r->headers, r->headers_len); /* see below */
  return true;
}

static bool put_headers_dropped(struct buf *b, const struct result *r,
                                const struct record_field *f)
{
  size_t dropped;

  if (!r->headers)
    return false;
  dropped = hdrblock_dropped(r->headers, r->headers_len);
  if (!dropped)
    return false;
  put_key(b, f);
  put_fmt_u64(b, dropped);
  return true;
}

static bool put_body(struct buf *b, const struct result *r,
                     const struct record_field *f)
{
  if (!r->body || !record_is_utf8(r->body, r->body_len))
    return false;
  put_key(b, f);
  record_put_quoted(b, r->body, r->body_len);
  return true;
}

static bool put_body_base64(struct buf *b, const struct result *r,
                            const struct record_field *f)
{
  if (!r->body || record_is_utf8(r->body, r->body_len))
    return false;
  put_key(b, f);
  put_base64(b, r->body, r->body_len);
  return true;
}

static bool put_parent(struct buf *b, const struct result *r,
                       const struct record_field *f)
{
  if (!r->crawled || !r->parent_json)
    return false;
  put_key(b, f);
  record_put_raw(b, r->parent_json);
  return true;
}

static bool put_depth(struct buf *b, const struct result *r,
                      const struct record_field *f)
{
  if (!r->crawled)
    return false;
  put_key(b, f);
  put_fmt_u64(b, r->depth);
  return true;
}

/* A JSON array of the "n" strings of "v" (NULL when "n" is 0). */
static void put_array(struct buf *b, char *const *v, size_t n)
{
  size_t i;

  PUT_LIT(b, "[");
  for (i = 0; i < n; i++) {
    if (i)
      PUT_LIT(b, ",");
    record_put_quoted(b, v[i], strlen(v[i]));
  }
  PUT_LIT(b, "]");
}

static bool put_title(struct buf *b, const struct result *r,
                      const struct record_field *f)
{
  if (!r->extract || !r->extract_spec->title)
    return false;
  put_key(b, f);
  put_cstr_or_null(b, r->extract->title);
  return true;
}

static bool put_links(struct buf *b, const struct result *r,
                      const struct record_field *f)
{
  if (!r->extract || !r->extract_spec->links)
    return false;
  put_key(b, f);
  put_array(b, r->extract->links, r->extract->nlinks);
  return true;
}

/* The values of -x/-e item "i", or NULL when the extraction has none. */
static const struct extract_values *values_of(const struct result *r, size_t i)
{
  const struct extract_result *x = r->extract;

  return x->values && i < x->nvalues ? &x->values[i] : NULL;
}

static bool put_extract(struct buf *b, const struct result *r,
                        const struct record_field *f)
{
  const struct extract_spec *spec = r->extract_spec;
  size_t i;

  if (!r->extract || spec->nitems == 0)
    return false;
  put_key(b, f);
  PUT_LIT(b, "{");
  for (i = 0; i < spec->nitems; i++) {
    const struct extract_values *vals = values_of(r, i);

    if (i > 0)
      PUT_LIT(b, ",");
    put_cstr_or_null(b, extract_spec_name(spec, i));
    PUT_LIT(b, ":");
    put_array(b, vals ? vals->v : NULL, vals ? vals->n : 0);
  }
  PUT_LIT(b, "}");
  return true;
}

static bool put_extract_cut(struct buf *b, const struct result *r,
                            const struct record_field *f)
{
  const struct extract_spec *spec;
  bool first = true;
  size_t i;

  if (!r->extract)
    return false;
  spec = r->extract_spec;
  for (i = 0; i < spec->nitems; i++) {
    const struct extract_values *vals = values_of(r, i);

    if (!vals || !vals->cut)
      continue;
    if (first)
      put_key(b, f);
    buf_putc(b, first ? '{' : ',');
    first = false;
    put_cstr_or_null(b, extract_spec_name(spec, i));
    PUT_LIT(b, ":");
    put_cstr_or_null(b, vals->cut);
  }
  if (first)
    return false;
  PUT_LIT(b, "}");
  return true;
}

static bool put_saved(struct buf *b, const struct result *r,
                      const struct record_field *f)
{
  if (!r->saving)
    return false;
  put_key(b, f);
  put_cstr_or_null(b, r->saved);
  return true;
}

/* -w's text of a field whose JSON is not what -w shows. */
static bool text_error(struct buf *b, const struct result *r)
{
  if (record_ok(r))
    return false;
  record_put_raw(b, errkind_name(shown_kind(r)));
  return true;
}

static bool text_error_message(struct buf *b, const struct result *r)
{
  if (record_ok(r))
    return false;
  put_message_text(b, r);
  return true;
}

static bool text_body(struct buf *b, const struct result *r)
{
  if (!r->body || !record_is_utf8(r->body, r->body_len))
    return false;
  buf_put(b, r->body, r->body_len);
  return true;
}

static bool text_body_base64(struct buf *b, const struct result *r)
{
  size_t start = b->len;

  if (!put_body_base64(b, r, NULL))
    return false;
  /* The JSON string without its quotes. */
  memmove(b->p + start, b->p + start + 1, b->len - start - 2);
  b->len -= 2;
  return true;
}

static bool text_title(struct buf *b, const struct result *r)
{
  if (!r->extract || !r->extract_spec->title || !r->extract->title)
    return false;
  record_put_raw(b, r->extract->title);
  return true;
}

static bool text_saved(struct buf *b, const struct result *r)
{
  if (!r->saving || !r->saved)
    return false;
  record_put_raw(b, r->saved);
  return true;
}

/* How a string field reads in -w: its bytes, unquoted. */
#define STRING_TEXT(name, member)                                             \
  static bool text_##name(struct buf *b, const struct result *r)              \
  {                                                                           \
    if (!r->member)                                                           \
      return false;                                                           \
    record_put_raw(b, r->member);                                             \
    return true;                                                              \
  }
STRING_TEXT(url, url)
STRING_TEXT(final_url, final_url)
STRING_TEXT(http_version, http_version)
STRING_TEXT(content_type, content_type)
STRING_TEXT(remote_ip, remote_ip)
STRING_TEXT(etag, etag)
STRING_TEXT(last_modified, last_modified)
STRING_TEXT(sha256, sha256)
#undef STRING_TEXT

/* The one list of a record's fields: the record writes them in this
 * order, -w looks its variables up here, and the docs list them so. */
struct record_field {
  const char *name; /* the JSON key and the -w variable */
  const char *key;  /* ",\"name\":", what the record writes before it */
  size_t key_len;   /* its length: no strlen() per field and record */
  put_fn *json;     /* the value as JSON; NULL: a -w-only name */
  text_fn *text;    /* the value for -w; NULL: its JSON, "null" empty */
};

/* A row: the key written before the value, with its length known at
 * compile time (a strlen() per field would double a record's cost). */
#define KEY(name) ",\"" #name "\":"
#define FIELD(name, json, text)                                               \
  {                                                                           \
#name, KEY(name), sizeof(KEY(name)) - 1, json, text                       \
  }

static const struct record_field fields[] = {
  FIELD(id, put_id, NULL),
  FIELD(url, put_url, text_url),
  FIELD(ok, put_ok, NULL),
  FIELD(status, put_status, NULL),
  FIELD(attempts, put_attempts, NULL),
  FIELD(time, put_time, NULL),
  FIELD(queued, put_queued, NULL),
  FIELD(error, put_error, text_error),
  FIELD(timing, put_timing, NULL),
  FIELD(final_url, put_final_url, text_final_url),
  FIELD(http_version, put_http_version, text_http_version),
  FIELD(content_type, put_content_type, text_content_type),
  FIELD(size, put_size, NULL),
  FIELD(redirects, put_redirects, NULL),
  FIELD(remote_ip, put_remote_ip, text_remote_ip),
  FIELD(etag, put_etag, text_etag),
  FIELD(last_modified, put_last_modified, text_last_modified),
  FIELD(sha256, put_sha256, text_sha256),
  FIELD(unchanged, put_unchanged, NULL),
  FIELD(changed, put_changed, NULL),
  FIELD(headers, put_headers_field, NULL),
  FIELD(headers_dropped, put_headers_dropped, NULL),
  FIELD(body, put_body, text_body),
  FIELD(body_base64, put_body_base64, text_body_base64),
  FIELD(parent, put_parent, NULL),
  FIELD(depth, put_depth, NULL),
  FIELD(title, put_title, text_title),
  FIELD(links, put_links, NULL),
  FIELD(extract, put_extract, NULL),
  FIELD(extract_cut, put_extract_cut, NULL),
  FIELD(saved, put_saved, text_saved),
  FIELD(error_message, NULL, text_error_message),
};

#undef FIELD
#undef KEY

#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static void put_key(struct buf *b, const struct record_field *f)
{
  if (f)
    buf_put(b, f->key, f->key_len);
}

const struct record_field *record_field_find(const char *name, size_t len)
{
  size_t i;

  for (i = 0; i < NFIELDS; i++)
    if (strlen(fields[i].name) == len &&
        memcmp(fields[i].name, name, len) == 0)
      return &fields[i];
  return NULL;
}

const char *record_field_name(size_t i)
{
  return i < NFIELDS ? fields[i].name : NULL;
}

bool record_field_json(const struct record_field *f, const struct result *r,
                       struct buf *b)
{
  if (!f->json) {
    PUT_LIT(b, "null");
    return true;
  }
  return f->json(b, r, NULL);
}

bool record_field_text(const struct record_field *f, const struct result *r,
                       struct buf *b)
{
  size_t start = b->len;

  if (f->text)
    return f->text(b, r);
  if (!f->json(b, r, NULL))
    return false;
  if (b->len - start == 4 && memcmp(b->p + start, "null", 4) == 0) {
    b->len = start;
    return false;
  }
  return true;
}

void record_build(struct buf *b, const struct result *r)
{
  size_t i;

  /* "id" comes first, always: its key has no comma before it. */
  PUT_LIT(b, "{\"id\":");
  (void)put_id(b, r, NULL);
  for (i = 1; i < NFIELDS && fields[i].json; i++)
    (void)fields[i].json(b, r, &fields[i]);
  PUT_LIT(b, "}\n");
}
