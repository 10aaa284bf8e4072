/* One result to one NDJSON line, written by hand into a reused buffer:
 * no allocation per record once the buffer has grown, and strings are
 * escaped and repaired to valid UTF-8 (jansson refuses invalid UTF-8, and
 * servers send anything). Pure. */
#include "config.h"

#include "record.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "utf8.h"
#include "util.h"

static void reserve(struct record_buf *b, size_t more)
{
  if (b->cap - b->len >= more)
    return;
  while (b->cap - b->len < more)
    b->cap = b->cap ? b->cap * 2 : 1024;
  b->p = xrealloc(b->p, b->cap);
}

void record_put(struct record_buf *b, const char *s, size_t n)
{
  if (n == 0)
    return; /* memcpy from NULL is undefined even for 0 bytes. */
  reserve(b, n);
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

/* The file's short name for record_put(). */
static void put(struct record_buf *b, const char *s, size_t n)
{
  record_put(b, s, n);
}

void record_put_str(struct record_buf *b, const char *s)
{
  record_put(b, s, strlen(s));
}

void record_putf(struct record_buf *b, const char *fmt, ...)
{
  va_list ap;
  int n;

  /* Format in place; one more try after growing when it did not fit. */
  reserve(b, 64);
  va_start(ap, fmt);
  n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n >= b->cap - b->len) {
    reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0)
      return;
  }
  b->len += (size_t)n;
}

static void puts_lit(struct record_buf *b, const char *s)
{
  put(b, s, strlen(s));
}

/* Decimal digits of "v" (zero-padded to "width"), written backwards from
 * "end"; returns where they start. printf's engine costs more than the
 * rest of a record put together. */
static char *digits(char *end, uint64_t v, int width)
{
  int n = 0;

  do {
    *--end = (char)('0' + v % 10);
    v /= 10;
    n++;
  } while (v || n < width);
  return end;
}

static void put_fmt_u64(struct record_buf *b, uint64_t v)
{
  char tmp[24];
  char *p = digits(tmp + sizeof(tmp), v, 1);

  put(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

/* Seconds with six decimals, as "%.6f" prints them for times up to days;
 * negative or absurd values (never measured) print as 0. */
static void put_seconds(struct record_buf *b, double s)
{
  char tmp[48];
  char *end = tmp + sizeof(tmp), *p;
  uint64_t us;

  us = s > 0 && s < 1e12 ? (uint64_t)(s * 1e6 + 0.5) : 0;
  p = digits(end, us % 1000000, 6);
  *--p = '.';
  p = digits(p, us / 1000000, 1);
  put(b, p, (size_t)(end - p));
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

void record_put_string(struct record_buf *b, const char *s, size_t len)
{
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;

  /* Worst case: every byte becomes a 6-byte escape. */
  reserve(b, len * 6 + 2);
  b->p[b->len++] = '"';
  while (i < len) {
    size_t start = i, n;

    /* Copy the run of plain ASCII in one go: the common case. */
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

static void put_cstr_or_null(struct record_buf *b, const char *s)
{
  if (s)
    record_put_string(b, s, strlen(s));
  else
    puts_lit(b, "null");
}

static void put_base64(struct record_buf *b, const char *s, size_t len)
{
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const unsigned char *p = (const unsigned char *)s;
  size_t i;

  reserve(b, (len + 2) / 3 * 4 + 2);
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

/* One header line of the raw block: name and value, trimmed. */
struct hdr {
  const char *name;
  size_t name_len;
  const char *value;
  size_t value_len;
  size_t next; /* the next line with this name, or SIZE_MAX */
  bool repeat; /* an earlier line has this name */
};

/* The header lines of "len" bytes at "s", at most RECORD_MAX_HEADERS of
 * them, into "*out" (malloc'd); "*dropped" counts the lines past that. */
static size_t split_headers(const char *s, size_t len, struct hdr **out,
                            size_t *dropped)
{
  struct hdr *h = NULL;
  size_t n = 0, cap = 0;
  const char *end = s + len;

  *dropped = 0;
  while (s < end) {
    const char *eol = memchr(s, '\n', (size_t)(end - s));
    const char *line_end = eol ? eol : end;
    const char *colon = memchr(s, ':', (size_t)(line_end - s));

    /* A status line may hold a colon in its reason phrase. */
    if (line_end - s >= 5 && memcmp(s, "HTTP/", 5) == 0)
      colon = NULL;
    if (colon && colon > s && n == RECORD_MAX_HEADERS) {
      (*dropped)++;
    } else if (colon && colon > s) {
      const char *v = colon + 1;
      const char *ve = line_end;

      while (v < ve && (*v == ' ' || *v == '\t'))
        v++;
      while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
        ve--;
      if (n == cap) {
        cap = cap ? cap * 2 : 16;
        h = xrealloc(h, cap * sizeof(*h));
      }
      h[n].name = s;
      h[n].name_len = (size_t)(colon - s);
      h[n].value = v;
      h[n].value_len = (size_t)(ve - v);
      h[n].next = SIZE_MAX;
      h[n].repeat = false;
      n++;
    }
    s = eol ? eol + 1 : end;
  }
  *out = h;
  return n;
}

/* Order of header lines by name, ignoring case, then by position (the
 * entries are pointers into one array): the lines of one name end up
 * together, in the order they came. */
static int compare_lines(const void *pa, const void *pb)
{
  const struct hdr *a = *(const struct hdr *const *)pa;
  const struct hdr *b = *(const struct hdr *const *)pb;
  size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
  size_t i;

  for (i = 0; i < n; i++) {
    int ca = tolower((unsigned char)a->name[i]);
    int cb = tolower((unsigned char)b->name[i]);

    if (ca != cb)
      return ca - cb;
  }
  if (a->name_len != b->name_len)
    return a->name_len < b->name_len ? -1 : 1;
  return a < b ? -1 : a > b;
}

static bool same_name(const struct hdr *a, const struct hdr *b)
{
  return a->name_len == b->name_len &&
         strncasecmp(a->name, b->name, a->name_len) == 0;
}

/* Chain the lines of each name through "next" and mark the repeats. A
 * sort, not a name-against-every-name loop: a response of 40,000 names
 * would otherwise cost 800 million comparisons on the loop thread. */
static void link_names(struct hdr *h, size_t n)
{
  struct hdr **order = xmalloc((n ? n : 1) * sizeof(*order));
  size_t i;

  for (i = 0; i < n; i++)
    order[i] = &h[i];
  qsort(order, n, sizeof(*order), compare_lines);
  for (i = 1; i < n; i++) {
    if (same_name(order[i - 1], order[i])) {
      order[i - 1]->next = (size_t)(order[i] - h);
      order[i]->repeat = true;
    }
  }
  free(order);
}

/* Headers as an object with lower-case names; a repeated header's values
 * are joined with ", " (RFC 9110 5.3), in the order they came. Returns
 * the number of lines left out (past RECORD_MAX_HEADERS). */
static size_t put_headers(struct record_buf *b, const char *s, size_t len)
{
  struct hdr *h = NULL;
  size_t dropped;
  size_t n = split_headers(s, len, &h, &dropped);
  struct record_buf val = { NULL, 0, 0 };
  char *lname = NULL;
  size_t i, j, k;
  bool first = true;

  link_names(h, n);
  puts_lit(b, "{");
  for (i = 0; i < n; i++) {
    if (h[i].repeat)
      continue;
    lname = xrealloc(lname, h[i].name_len + 1);
    for (j = 0; j < h[i].name_len; j++)
      lname[j] = (char)tolower((unsigned char)h[i].name[j]);
    record_buf_reset(&val);
    put(&val, h[i].value, h[i].value_len);
    for (k = h[i].next; k != SIZE_MAX; k = h[k].next) {
      /* Set-Cookie values may hold commas (RFC 9110 5.3): a newline
       * keeps them apart. */
      if (h[i].name_len == 10 && strncasecmp(h[i].name, "set-cookie", 10) == 0)
        put(&val, "\n", 1);
      else
        put(&val, ", ", 2);
      put(&val, h[k].value, h[k].value_len);
    }
    if (!first)
      puts_lit(b, ",");
    first = false;
    record_put_string(b, lname, h[i].name_len);
    puts_lit(b, ":");
    record_put_string(b, val.p ? val.p : "", val.len);
  }
  puts_lit(b, "}");
  free(lname);
  record_buf_free(&val);
  free(h);
  return dropped;
}

bool record_ok(const struct result *r)
{
  return r->kind == ERRKIND_NONE && r->status > 0 && r->status < 400;
}

void record_build(struct record_buf *b, const struct result *r)
{
  char num[64];
  int n;

  puts_lit(b, "{\"id\":");
  if (r->id_json)
    puts_lit(b, r->id_json);
  else
    put_fmt_u64(b, r->line);
  puts_lit(b, ",\"url\":");
  put_cstr_or_null(b, r->url);
  puts_lit(b, record_ok(r) ? ",\"ok\":true" : ",\"ok\":false");
  puts_lit(b, ",\"status\":");
  if (r->status > 0)
    put_fmt_u64(b, (uint64_t)r->status);
  else
    puts_lit(b, "null");
  puts_lit(b, ",\"attempts\":");
  put_fmt_u64(b, r->attempts);
  puts_lit(b, ",\"time\":");
  put_seconds(b, r->time_s);
  puts_lit(b, ",\"error\":");
  if (record_ok(r)) {
    puts_lit(b, "null");
  } else {
    enum errkind kind = r->kind == ERRKIND_NONE ? ERRKIND_HTTP : r->kind;

    puts_lit(b, "{\"kind\":");
    put_cstr_or_null(b, errkind_name(kind));
    puts_lit(b, ",\"message\":");
    if (r->message) {
      put_cstr_or_null(b, r->message);
    } else {
      n = snprintf(num, sizeof(num), "HTTP %ld", r->status);
      record_put_string(b, num, (size_t)n);
    }
    puts_lit(b, "}");
  }
  if (r->final_url) {
    puts_lit(b, ",\"final_url\":");
    put_cstr_or_null(b, r->final_url);
  }
  if (r->http_version) {
    puts_lit(b, ",\"http_version\":");
    put_cstr_or_null(b, r->http_version);
  }
  if (r->content_type) {
    puts_lit(b, ",\"content_type\":");
    put_cstr_or_null(b, r->content_type);
  }
  if (r->size >= 0) {
    puts_lit(b, ",\"size\":");
    put_fmt_u64(b, (uint64_t)r->size);
  }
  if (r->redirects >= 0) {
    puts_lit(b, ",\"redirects\":");
    put_fmt_u64(b, (uint64_t)r->redirects);
  }
  if (r->remote_ip) {
    puts_lit(b, ",\"remote_ip\":");
    put_cstr_or_null(b, r->remote_ip);
  }
  if (r->headers) {
    size_t dropped;

    puts_lit(b, ",\"headers\":");
    dropped = put_headers(b, r->headers, r->headers_len);
    if (dropped) {
      puts_lit(b, ",\"headers_dropped\":");
      put_fmt_u64(b, dropped);
    }
  }
  if (r->body) {
    if (record_is_utf8(r->body, r->body_len)) {
      puts_lit(b, ",\"body\":");
      record_put_string(b, r->body, r->body_len);
    } else {
      puts_lit(b, ",\"body_base64\":");
      put_base64(b, r->body, r->body_len);
    }
  }
  if (r->extra)
    put(b, r->extra, r->extra_len);
  puts_lit(b, "}\n");
}

void record_buf_reset(struct record_buf *b)
{
  b->len = 0;
}

void record_buf_free(struct record_buf *b)
{
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
