/* url() and @import targets of a stylesheet. A single pass over the
 * bytes with the token rules of CSS Syntax Level 3 that decide what is a
 * URL: comments, strings, escapes, identifiers (so "myurl(" is no url()),
 * and url tokens with their bad forms. Everything else is skipped byte by
 * byte. Owns one scratch buffer per call; prints nothing. Pure. */
#include "config.h"

#include "cssscan.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "utf8.h"

struct css {
  const unsigned char *s;
  size_t n;
  struct buf tok; /* the token being decoded */
  cssscan_url_fn *fn;
  void *ud;
};

static void put_cp(struct css *c, uint32_t cp)
{
  unsigned char o[4];

  buf_put(&c->tok, o, utf8_encode(cp, o));
}

static bool is_ws(int ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

static bool is_newline(int ch)
{
  return ch == '\n' || ch == '\r' || ch == '\f';
}

static int hex_value(int ch)
{
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

static bool name_start(int ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
         ch >= 0x80;
}

static bool name_char(int ch)
{
  return name_start(ch) || (ch >= '0' && ch <= '9') || ch == '-';
}

/* Whether a backslash at "i" starts an escape: not before a newline. */
static bool valid_escape(const struct css *c, size_t i)
{
  return i < c->n && c->s[i] == '\\' &&
         (i + 1 >= c->n || !is_newline(c->s[i + 1]));
}

/* The escape at "i" (a valid one) decoded onto the buffer; returns the
 * position after it: up to six hex digits and one blank, or one more
 * character (its first byte; the rest follow as plain bytes). */
static size_t escape(struct css *c, size_t i)
{
  uint32_t cp = 0;
  int k = 0, h;

  i++;
  if (i >= c->n) {
    put_cp(c, 0xFFFD);
    return i;
  }
  if (hex_value(c->s[i]) < 0) {
    buf_put(&c->tok, c->s + i, 1);
    return i + 1;
  }
  while (k < 6 && i < c->n && (h = hex_value(c->s[i])) >= 0) {
    cp = cp * 16 + (uint32_t)h;
    i++;
    k++;
  }
  if (i < c->n && is_ws(c->s[i]))
    i += c->s[i] == '\r' && i + 1 < c->n && c->s[i + 1] == '\n' ? 2 : 1;
  if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
    cp = 0xFFFD;
  put_cp(c, cp);
  return i;
}

/* The string at "i" (a quote) decoded into the buffer; returns the
 * position after it. "*ok" is false for a bad string (a newline). */
static size_t string(struct css *c, size_t i, bool *ok)
{
  int q = c->s[i++];

  buf_reset(&c->tok);
  *ok = true;
  while (i < c->n) {
    int ch = c->s[i];

    if (ch == q)
      return i + 1;
    if (is_newline(ch)) {
      *ok = false;
      return i;
    }
    if (ch == '\\') {
      if (i + 1 >= c->n)
        return i + 1;
      if (is_newline(c->s[i + 1])) {
        /* A line continuation: nothing. */
        i +=
            c->s[i + 1] == '\r' && i + 2 < c->n && c->s[i + 2] == '\n' ? 3 : 2;
        continue;
      }
      i = escape(c, i);
      continue;
    }
    buf_put(&c->tok, c->s + i, 1);
    i++;
  }
  return i;
}

/* The identifier at "i" decoded into the buffer; returns the position
 * after it. */
static size_t ident(struct css *c, size_t i)
{
  buf_reset(&c->tok);
  while (i < c->n) {
    if (name_char(c->s[i])) {
      buf_put(&c->tok, c->s + i, 1);
      i++;
    } else if (valid_escape(c, i)) {
      i = escape(c, i);
    } else {
      break;
    }
  }
  return i;
}

static bool non_printable(int ch)
{
  return ch <= 0x08 || ch == 0x0B || (ch >= 0x0E && ch <= 0x1F) || ch == 0x7F;
}

/* An unquoted url( token from "i" (after the blanks) decoded into the
 * buffer; returns the position after its ')'. "*ok" is false for a bad
 * one, whose rest is skipped up to ')'. */
static size_t url_token(struct css *c, size_t i, bool *ok)
{
  buf_reset(&c->tok);
  *ok = true;
  while (i < c->n) {
    int ch = c->s[i];

    if (ch == ')')
      return i + 1;
    if (is_ws(ch)) {
      while (i < c->n && is_ws(c->s[i]))
        i++;
      if (i >= c->n)
        return i;
      if (c->s[i] == ')')
        return i + 1;
      break;
    }
    if (ch == '"' || ch == '\'' || ch == '(' || non_printable(ch))
      break;
    if (ch == '\\') {
      if (!valid_escape(c, i))
        break;
      i = escape(c, i);
      continue;
    }
    buf_put(&c->tok, c->s + i, 1);
    i++;
  }
  if (i >= c->n)
    return i;
  *ok = false;
  while (i < c->n) {
    if (c->s[i] == ')')
      return i + 1;
    i += valid_escape(c, i) ? 2 : 1;
  }
  return i;
}

static void emit(struct css *c)
{
  if (c->tok.len)
    c->fn(c->tok.p, c->tok.len, c->ud);
}

static bool token_is(const struct css *c, const char *word)
{
  size_t i;

  for (i = 0; i < c->tok.len && word[i]; i++) {
    int ch = (unsigned char)c->tok.p[i];

    if ((ch >= 'A' && ch <= 'Z' ? ch + 32 : ch) != word[i])
      return false;
  }
  return i == c->tok.len && !word[i];
}

/* Past blanks and comments from "i". */
static size_t skip_space(const struct css *c, size_t i)
{
  for (;;) {
    while (i < c->n && is_ws(c->s[i]))
      i++;
    if (i + 1 < c->n && c->s[i] == '/' && c->s[i + 1] == '*') {
      const unsigned char *e = c->s + i + 2;

      for (;;) {
        e = memchr(e, '*', (size_t)(c->s + c->n - e));
        if (!e || e + 1 >= c->s + c->n) {
          i = c->n;
          break;
        }
        if (e[1] == '/') {
          i = (size_t)(e - c->s) + 2;
          break;
        }
        e++;
      }
      continue;
    }
    return i;
  }
}

void cssscan_urls(const char *css, size_t len, cssscan_url_fn *fn, void *ud)
{
  struct css c = {
    (const unsigned char *)css, css ? len : 0, { NULL, 0, 0 }, fn, ud
  };
  size_t i = 0;
  bool ok;

  while (i < c.n) {
    int ch = c.s[i];

    if (ch == '/' || is_ws(ch)) {
      size_t j = skip_space(&c, i);

      i = j > i ? j : i + 1;
    } else if (ch == '"' || ch == '\'') {
      i = string(&c, i, &ok);
    } else if (ch == '@') {
      i = ident(&c, i + 1);
      if (token_is(&c, "import")) {
        i = skip_space(&c, i);
        if (i < c.n && (c.s[i] == '"' || c.s[i] == '\'')) {
          i = string(&c, i, &ok);
          if (ok)
            emit(&c);
        }
      }
    } else if (name_char(ch) || valid_escape(&c, i)) {
      /* Numbers and dimensions too: "1url(" is no url(). */
      i = ident(&c, i);
      if (i < c.n && c.s[i] == '(' && token_is(&c, "url")) {
        /* Blanks only: in "url(/x)" the slash starts the URL. */
        for (i++; i < c.n && is_ws(c.s[i]); i++)
          ;
        if (i < c.n && (c.s[i] == '"' || c.s[i] == '\'')) {
          i = string(&c, i, &ok);
        } else {
          i = url_token(&c, i, &ok);
        }
        if (ok)
          emit(&c);
      }
    } else {
      i++;
    }
  }
  buf_free(&c.tok);
}
