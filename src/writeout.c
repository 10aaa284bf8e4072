/* -w/--write-out templates: compiled once into pieces (literal runs and
 * record fields), then rendered per record into the caller's buffer. The
 * fields and their values come from record.c's field table; this file
 * adds curl's names and makes values safe: raw text, flattened to stay on
 * one line and repaired to valid UTF-8, so the output is safe for cut,
 * awk and spreadsheets. Pure: no I/O, no state beyond the compiled
 * template. */
#include "config.h"

#include "writeout.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define FFFD "\xef\xbf\xbd"

/* curl's -w names for record fields, so that a curl user's template
 * works. */
static const struct {
  const char *curl, *volley;
} aliases[] = {
  { "http_code", "status" },       { "response_code", "status" },
  { "time_total", "time" },        { "url_effective", "final_url" },
  { "size_download", "size" },     { "num_redirects", "redirects" },
  { "errormsg", "error_message" },
};

#define NALIASES (sizeof(aliases) / sizeof(aliases[0]))

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

/* Append the "len" bytes of value "s": raw, but with tab, CR and newline
 * as spaces, every other control character (C0, DEL, C1) as \xHH per
 * byte, so that a server cannot send escape sequences to the terminal,
 * and each byte that starts no valid UTF-8 sequence as U+FFFD, the
 * repair record.c makes. */
static void put_value(struct record_buf *b, const char *s, size_t len)
{
  const unsigned char *p = (const unsigned char *)s;
  size_t i;
  bool clean = true;

  /* The common case, a clean value, in one copy. */
  for (i = 0; i < len && clean; i++)
    clean = !is_control(p[i], i + 1 < len ? p[i + 1] : 0);
  if (clean && record_is_utf8(s, len)) {
    record_put(b, s, len);
    return;
  }
  i = 0;
  while (i < len) {
    size_t n;

    if (p[i] == '\t' || p[i] == '\r' || p[i] == '\n') {
      record_put(b, " ", 1);
      i++;
    } else if (is_control(p[i], i + 1 < len ? p[i + 1] : 0)) {
      /* C1 is two bytes, both escaped: the text shows what was sent. */
      put_hex(b, p[i]);
      if (p[i] == 0xc2)
        put_hex(b, p[++i]);
      i++;
    } else if ((n = utf8_seq(p + i, len - i)) > 0) {
      record_put(b, s + i, n);
      i += n;
    } else {
      /* One U+FFFD per bad byte, then resynchronise on the next. */
      record_put_raw(b, FFFD);
      i++;
    }
  }
}

/* The field "len" bytes at "name" stand for, curl's names included;
 * NULL if none. */
static const struct record_field *lookup(const char *name, size_t len)
{
  size_t i;

  for (i = 0; i < NALIASES; i++)
    if (strlen(aliases[i].curl) == len &&
        memcmp(aliases[i].curl, name, len) == 0)
      return record_field_find(aliases[i].volley, strlen(aliases[i].volley));
  return record_field_find(name, len);
}

/* Fill "err" for the unknown variable "len" bytes at "name": at most 64
 * bytes of it, and none past a control byte such as a newline, since the
 * message is one line; then every name it could have been. */
static void unknown_error(const char *name, size_t len, char err[VL_ERRLEN])
{
  struct record_buf b = { NULL, 0, 0 };
  size_t shown = 0, i;
  const char *f;

  while (shown < len && shown < 64 && (unsigned char)name[shown] >= 0x20)
    shown++;
  record_putf(&b, "unknown variable %%{%.*s}%s; the variables are", (int)shown,
              name, shown < len ? "..." : "");
  for (i = 0; (f = record_field_name(i)); i++)
    record_putf(&b, " %s", f);
  record_put_raw(&b, " json; curl's");
  for (i = 0; i < NALIASES; i++)
    record_putf(&b, " %s", aliases[i].curl);
  snprintf(err, VL_ERRLEN, "%.*s", (int)b.len, b.p);
  record_buf_free(&b);
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
                      enum writeout_kind kind, const struct record_field *f,
                      size_t off, size_t len)
{
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 8;
    *pieces = xrealloc(*pieces, *cap * sizeof(**pieces));
  }
  (*pieces)[*n].kind = kind;
  (*pieces)[*n].field = f;
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
      const struct record_field *f = NULL;
      enum writeout_kind kind = WRITEOUT_FIELD;
      size_t name_len;

      if (!close) {
        snprintf(err, VL_ERRLEN, "unclosed %%{ at column %zu",
                 (size_t)(p - format) + 1);
        goto fail;
      }
      name_len = (size_t)(close - name);
      if (name_len == 4 && memcmp(name, "json", 4) == 0)
        kind = WRITEOUT_JSON;
      else if (!(f = lookup(name, name_len))) {
        unknown_error(name, name_len, err);
        goto fail;
      }
      if (text.len > lit)
        add_piece(&pieces, &n, &cap, WRITEOUT_LITERAL, NULL, lit,
                  text.len - lit);
      lit = text.len;
      add_piece(&pieces, &n, &cap, kind, f, 0, 0);
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
    add_piece(&pieces, &n, &cap, WRITEOUT_LITERAL, NULL, lit, text.len - lit);
  w->pieces = pieces;
  w->npieces = n;
  w->text = text.p;
  return 0;

fail:
  free(pieces);
  record_buf_free(&text);
  return -1;
}

void writeout_render(const struct writeout *w, const struct result *r,
                     struct record_buf *out)
{
  struct record_buf v = { NULL, 0, 0 };
  size_t start = out->len, i;

  for (i = 0; i < w->npieces; i++) {
    const struct writeout_piece *pc = &w->pieces[i];

    if (pc->kind == WRITEOUT_LITERAL) {
      record_put(out, w->text + pc->off, pc->len);
      continue;
    }
    /* The value goes through "v" first: only the whole can be made
     * safe. */
    record_buf_reset(&v);
    if (pc->kind == WRITEOUT_JSON) {
      record_build(&v, r);
      v.len--; /* its '\n' */
    } else {
      (void)record_field_text(pc->field, r, &v); /* absent: empty */
    }
    put_value(out, v.p, v.len);
  }
  record_buf_free(&v);
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
