/* -w/--write-out templates: compiled once into pieces (literal runs and
 * variables), then rendered per record into the caller's buffer. Values
 * are raw text, flattened to stay on one line and repaired to valid
 * UTF-8, so the output is safe for cut, awk and spreadsheets. Pure: no
 * I/O, no state beyond the compiled template. */
#include "config.h"

#include "writeout.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errkind.h"

#define FFFD "\xef\xbf\xbd"

static const char *const var_names[WRITEOUT_VAR_COUNT] = {
  [WRITEOUT_LITERAL] = NULL,
  [WRITEOUT_ID] = "id",
  [WRITEOUT_URL] = "url",
  [WRITEOUT_OK] = "ok",
  [WRITEOUT_STATUS] = "status",
  [WRITEOUT_ATTEMPTS] = "attempts",
  [WRITEOUT_TIME] = "time",
  [WRITEOUT_ERROR] = "error",
  [WRITEOUT_ERROR_MESSAGE] = "error_message",
  [WRITEOUT_FINAL_URL] = "final_url",
  [WRITEOUT_HTTP_VERSION] = "http_version",
  [WRITEOUT_CONTENT_TYPE] = "content_type",
  [WRITEOUT_SIZE] = "size",
  [WRITEOUT_REDIRECTS] = "redirects",
  [WRITEOUT_REMOTE_IP] = "remote_ip",
};

/* The length a UTF-8 sequence starting with byte "c" claims; 0 for a
 * byte that cannot start one (a continuation, 0xc0, 0xc1, 0xf5 up). */
static size_t utf8_claim(unsigned char c)
{
  if (c < 0x80)
    return 1;
  if (c >= 0xc2 && c <= 0xdf)
    return 2;
  if (c >= 0xe0 && c <= 0xef)
    return 3;
  if (c >= 0xf0 && c <= 0xf4)
    return 4;
  return 0;
}

/* Whether "c" (then "next") starts a control character: C0, DEL, or
 * C1 (U+0080 to U+009F, the bytes 0xc2 0x80-0x9f in UTF-8), which some
 * terminals obey as well. */
static bool is_control(unsigned char c, unsigned char next)
{
  return c < 0x20 || c == 0x7f || (c == 0xc2 && next >= 0x80 && next <= 0x9f);
}

/* Append "\xHH" for byte "c". */
static void put_hex(struct record_buf *b, unsigned char c)
{
  record_putf(b, "\\x%02x", c);
}

/* Append the value "s" (NULL writes nothing): raw, but with tab, CR and
 * newline as spaces, every other control character (C0, DEL, C1) as
 * \xHH per byte, so that a server cannot send escape sequences to the
 * terminal, and each byte that starts no valid UTF-8 sequence as U+FFFD,
 * the repair record.c makes. */
static void put_value(struct record_buf *b, const char *s)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t len, i = 0;
  bool clean = true;

  if (!s)
    return;
  len = strlen(s);
  /* The common case, a clean value, in one copy. */
  for (i = 0; i < len && clean; i++)
    clean = !is_control(p[i], p[i + 1]); /* p[len] is the NUL */
  if (clean && record_is_utf8(s, len)) {
    record_put(b, s, len);
    return;
  }
  i = 0;
  while (i < len) {
    size_t n = utf8_claim(p[i]);

    if (p[i] == '\t' || p[i] == '\r' || p[i] == '\n') {
      record_put(b, " ", 1);
      i++;
    } else if (is_control(p[i], p[i + 1])) {
      /* C1 is two bytes, both escaped: the text shows what was sent. */
      put_hex(b, p[i]);
      if (p[i] == 0xc2)
        put_hex(b, p[++i]);
      i++;
    } else if (n == 1) {
      record_put(b, s + i, 1);
      i++;
    } else if (n > 0 && n <= len - i && record_is_utf8(s + i, n)) {
      /* record_is_utf8() checks the continuation bytes and rejects
       * overlong forms and surrogates: the tables stay in record.c. */
      record_put(b, s + i, n);
      i += n;
    } else {
      /* One U+FFFD per bad byte, then resynchronise on the next. */
      record_put_str(b, FFFD);
      i++;
    }
  }
}

static enum writeout_var lookup(const char *name, size_t len)
{
  size_t i;

  for (i = WRITEOUT_LITERAL + 1; i < WRITEOUT_VAR_COUNT; i++)
    if (strlen(var_names[i]) == len && memcmp(var_names[i], name, len) == 0)
      return (enum writeout_var)i;
  return WRITEOUT_LITERAL;
}

/* The byte that backslash and "c" stand for; 0 when they are no escape
 * and stay as written. */
static char escape_of(char c)
{
  switch (c) {
  case 'n':
    return '\n';
  case 't':
    return '\t';
  case 'r':
    return '\r';
  case '\\':
    return '\\';
  default:
    return 0;
  }
}

static void add_piece(struct writeout_piece **pieces, size_t *n, size_t *cap,
                      enum writeout_var var, size_t off, size_t len)
{
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    *pieces = xrealloc(*pieces, *cap * sizeof(**pieces));
  }
  (*pieces)[*n].var = var;
  (*pieces)[*n].off = off;
  (*pieces)[*n].len = len;
  (*n)++;
}

int writeout_parse(struct writeout *w, const char *format, char err[VL_ERRLEN])
{
  struct record_buf text = { NULL, 0, 0 };
  struct writeout_piece *pieces = NULL;
  size_t n = 0, cap = 0;
  size_t lit = 0; /* where the literal run being collected starts */
  const char *p = format;

  w->pieces = NULL;
  w->npieces = 0;
  w->text = NULL;
  while (*p) {
    if (p[0] == '%' && p[1] == '%') {
      record_put(&text, "%", 1);
      p += 2;
    } else if (p[0] == '%' && p[1] == '{') {
      const char *name = p + 2;
      const char *close = strchr(name, '}');
      size_t name_len;
      enum writeout_var var;

      if (!close) {
        snprintf(err, VL_ERRLEN, "unclosed %%{ at column %zu",
                 (size_t)(p - format) + 1);
        goto fail;
      }
      name_len = (size_t)(close - name);
      var = lookup(name, name_len);
      if (var == WRITEOUT_LITERAL) {
        /* The message is one line: show at most 64 bytes of the name,
         * and none past a control byte such as a newline. */
        size_t shown = 0;

        while (shown < name_len && shown < 64 &&
               (unsigned char)name[shown] >= 0x20)
          shown++;
        snprintf(err, VL_ERRLEN, "unknown variable %%{%.*s}%s", (int)shown,
                 name, shown < name_len ? "..." : "");
        goto fail;
      }
      if (text.len > lit)
        add_piece(&pieces, &n, &cap, WRITEOUT_LITERAL, lit, text.len - lit);
      lit = text.len;
      add_piece(&pieces, &n, &cap, var, 0, 0);
      p = close + 1;
    } else if (p[0] == '\\' && escape_of(p[1])) {
      char c = escape_of(p[1]);

      record_put(&text, &c, 1);
      p += 2;
    } else {
      record_put(&text, p, 1);
      p++;
    }
  }
  if (text.len > lit)
    add_piece(&pieces, &n, &cap, WRITEOUT_LITERAL, lit, text.len - lit);
  w->pieces = pieces;
  w->npieces = n;
  w->text = text.p;
  return 0;

fail:
  free(pieces);
  record_buf_free(&text);
  return -1;
}

static void render_piece(const struct writeout *w,
                         const struct writeout_piece *pc,
                         const struct result *r, bool ok,
                         struct record_buf *out)
{
  switch (pc->var) {
  case WRITEOUT_LITERAL:
    record_put(out, w->text + pc->off, pc->len);
    break;
  case WRITEOUT_ID:
    if (r->id_json)
      put_value(out, r->id_json);
    else
      record_putf(out, "%llu", (unsigned long long)r->line);
    break;
  case WRITEOUT_URL:
    put_value(out, r->url);
    break;
  case WRITEOUT_OK:
    record_put_str(out, ok ? "true" : "false");
    break;
  case WRITEOUT_STATUS:
    if (r->status > 0)
      record_putf(out, "%ld", r->status);
    break;
  case WRITEOUT_ATTEMPTS:
    record_putf(out, "%u", r->attempts);
    break;
  case WRITEOUT_TIME:
    record_putf(out, "%.6f", r->time_s);
    break;
  case WRITEOUT_ERROR:
    /* As record_build() names it: not ok after a completed transfer
     * means the status failed it. */
    if (!ok)
      put_value(
          out, errkind_name(r->kind == ERRKIND_NONE ? ERRKIND_HTTP : r->kind));
    break;
  case WRITEOUT_ERROR_MESSAGE:
    if (ok)
      break;
    if (r->message)
      put_value(out, r->message);
    else
      record_putf(out, "HTTP %ld", r->status);
    break;
  case WRITEOUT_FINAL_URL:
    put_value(out, r->final_url);
    break;
  case WRITEOUT_HTTP_VERSION:
    put_value(out, r->http_version);
    break;
  case WRITEOUT_CONTENT_TYPE:
    put_value(out, r->content_type);
    break;
  case WRITEOUT_SIZE:
    if (r->size >= 0)
      record_putf(out, "%lld", (long long)r->size);
    break;
  case WRITEOUT_REDIRECTS:
    if (r->redirects >= 0)
      record_putf(out, "%ld", r->redirects);
    break;
  case WRITEOUT_REMOTE_IP:
    put_value(out, r->remote_ip);
    break;
  case WRITEOUT_VAR_COUNT:
    break; /* not a variable; writeout_parse() never makes one */
  }
}

void writeout_render(const struct writeout *w, const struct result *r,
                     struct record_buf *out)
{
  size_t start = out->len, i;
  bool ok = record_ok(r);

  for (i = 0; i < w->npieces; i++)
    render_piece(w, &w->pieces[i], r, ok, out);
  if (out->len == start || out->p[out->len - 1] != '\n')
    record_put(out, "\n", 1);
}

void writeout_free(struct writeout *w)
{
  free(w->pieces);
  free(w->text);
  w->pieces = NULL;
  w->npieces = 0;
  w->text = NULL;
}
