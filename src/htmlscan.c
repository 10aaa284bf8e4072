/* One pass over an HTML body for its title and links, taking the steps
 * libxml2's HTML parser (2.9.14) takes: the same loop over comments, PIs,
 * DOCTYPEs, tags, references and text, the same stack of open element
 * names with its implied and auto-closed elements and end-tag priorities
 * (html4.c holds the tables). It reads the raw bytes, since the markup is
 * ASCII in every charset it accepts, and decodes only the strings it
 * keeps. Owns nothing past one call; prints nothing. Pure.
 *
 * The functions below are named after the libxml2 steps they follow
 * (htmlParseStartTag() is parse_start_tag()); where libxml2's behaviour
 * is odd, the comment says so, since matching it is the point. */
#include "config.h"

#include "htmlscan.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html4.h"
#include "utf8.h"
#include "util.h"

/* libxml2 reads a tag or attribute name up to this many bytes; the rest
 * is parsed as whatever follows (HTML_PARSER_BUFFER_SIZE). */
#define NAME_LEN 100
/* libxml2 hands text on in pieces of this many bytes; a run of blanks
 * this long implies a <p> in <head> as other text does. */
#define TEXT_PIECE 1000
/* libxml2's tree stops the parse when a 258th element would open; the
 * scan declines well before. */
#define MAX_DEPTH 250

/* An open element. */
struct elem {
  enum html4_tag tag;
  enum html4_tag dom; /* the tag of its name in the tree (see local()) */
  bool svg;
  size_t name; /* HTML4_OTHER: offset of its name in scan.names */
};

enum enc {
  ENC_UTF8,   /* also what libxml2 assumes without a charset */
  ENC_LATIN1, /* ISO-8859-1 */
  ENC_CP1252, /* windows-1252, as glibc's iconv has it */
  ENC_ASCII   /* libxml2's own US-ASCII decoder: nothing past 0x7F */
};

enum capture { CAP_NONE, CAP_OPEN, CAP_DONE };

/* The attributes of one start tag that the scan keeps. */
enum attr { A_HREF, A_SRC, A_STYLE, A_CHARSET, A_HTTP_EQUIV, A_CONTENT, A_N };

struct attrval {
  bool seen;       /* the first of that name came: later ones are dropped */
  bool has_value;  /* it had "=": otherwise libxml2's value is empty */
  bool truncated;  /* a reference to U+0000 ended the value */
  struct buf text; /* decoded */
};

struct scan {
  const unsigned char *b;
  size_t n;
  size_t i; /* the read position: libxml2's input->cur */
  unsigned what;
  struct htmlscan_result *res;
  bool fail; /* decline: the caller parses with libxml2 */
  bool stop; /* all that "what" asks for is known */

  struct elem *stack; /* libxml2's nameTab */
  size_t depth, cap;
  struct buf names;   /* names of the open elements, NUL-terminated */
  unsigned svg;       /* open elements named svg */
  int html;           /* libxml2's ctxt->html: 3 after <head>, 10 <body> */
  unsigned misplaced; /* libxml2's ctxt->depth: ignored html/head/body */

  enum enc enc;
  bool enc_fixed; /* a charset is set: a later <meta> changes nothing */
  size_t checked; /* the bytes before this are valid in "enc" */

  enum capture title;
  size_t title_at; /* stack index of the open <title> */
  struct buf title_text;
  bool style_open;
  size_t style_at, style_ref; /* stack index, index in res->refs */
  struct buf style_text;

  struct attrval attrs[A_N];
};

/* --- Bytes ------------------------------------------------------------- */

/* The byte "k" ahead of the read position; 0 past the end, where libxml2
 * reads its buffer's terminating NUL. */
static int peek(const struct scan *s, size_t k)
{
  size_t j = s->i + k;

  return j < s->n ? s->b[j] : 0;
}

static int cur(const struct scan *s)
{
  return s->i < s->n ? s->b[s->i] : 0;
}

static bool is_blank(int c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_letter(int c)
{
  return (unsigned)((c | 0x20) - 'a') < 26u;
}

static bool is_digit(int c)
{
  return c >= '0' && c <= '9';
}

static int lower(int c)
{
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* XML's Char production: what libxml2 keeps of text. */
static bool is_char(uint32_t c)
{
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

static void skip_blanks(struct scan *s)
{
  while (s->i < s->n && is_blank(s->b[s->i]))
    s->i++;
}

/* The length of the UTF-8 character at "p" ("n" bytes there) as libxml2's
 * htmlCurrentChar() reads it, its code point in "*cp"; 0 when libxml2
 * calls it invalid. Unlike RFC 3629 it takes surrogates and values up to
 * 0x1FFFFF. */
static size_t utf8_char(const unsigned char *p, size_t n, uint32_t *cp)
{
  unsigned c = p[0];

  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  if (!(c & 0x40) || n < 2 || (p[1] & 0xC0) != 0x80)
    return 0;
  if ((c & 0xE0) != 0xE0) {
    *cp = ((c & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    return *cp < 0x80 ? 0 : 2;
  }
  if (n < 3 || (p[2] & 0xC0) != 0x80)
    return 0;
  if ((c & 0xF0) != 0xF0) {
    *cp = ((c & 0xFu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    return *cp < 0x800 ? 0 : 3;
  }
  if ((c & 0xF8) != 0xF0 || n < 4 || (p[3] & 0xC0) != 0x80)
    return 0;
  *cp = ((c & 0x7u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
        (p[3] & 0x3Fu);
  return *cp < 0x10000 ? 0 : 4;
}

/* windows-1252's 0x80 to 0x9F; 0 where glibc's iconv refuses the byte. */
static const unsigned short cp1252[32] = {
  0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
  0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178
};

/* Append the code point "c" to "b" as UTF-8, the way libxml2 writes one
 * (four bytes from 0x10000 up, whatever the value). */
static void add_cp(struct buf *b, uint32_t c)
{
  unsigned char o[4];

  buf_put(b, o, utf8_encode(c, o));
}

/* The character at "j" in the current charset: its length in bytes and
 * its code point in "*cp"; 0, declining the scan, for a byte that
 * libxml2 would decode another way (it would switch to Latin-1 at an
 * invalid UTF-8 byte, and stop at one its converter refuses). */
static size_t char_at(struct scan *s, size_t j, uint32_t *cp)
{
  unsigned c = s->b[j];
  size_t len;

  *cp = c;
  if (c < 0x80)
    return 1;
  switch (s->enc) {
  case ENC_UTF8:
    len = utf8_char(s->b + j, s->n - j, cp);
    if (len)
      return len;
    break;
  case ENC_LATIN1:
    return 1;
  case ENC_CP1252:
    *cp = c < 0xA0 ? cp1252[c - 0x80] : c;
    if (*cp)
      return 1;
    break;
  case ENC_ASCII:
    break;
  }
  s->fail = true;
  return 0;
}

/* The bytes [from, to) decoded from the current charset onto "out"
 * (NULL: only checked). "text": drop what is not an XML Char, as libxml2
 * does in text but not in attribute values. Returns -1 when char_at()
 * declined. */
static int decode(struct scan *s, size_t from, size_t to, bool text,
                  struct buf *out)
{
  const unsigned char *b = s->b;
  size_t i = from;

  while (i < to) {
    size_t run = i, len;
    uint32_t cp;

    /* Printable ASCII is the same in every charset here. */
    while (run < to && b[run] >= 0x20 && b[run] < 0x80)
      run++;
    if (out && run > i)
      buf_put(out, b + i, run - i);
    i = run;
    if (i == to)
      break;
    len = char_at(s, i, &cp);
    if (!len)
      return -1;
    if (out && (!text || is_char(cp))) {
      if (s->enc == ENC_UTF8 || cp < 0x80)
        buf_put(out, b + i, len);
      else
        add_cp(out, cp);
    }
    i += len;
  }
  return 0;
}

/* Check the bytes up to "to" in the current charset: libxml2 decodes
 * nearly every byte it passes, and one it calls invalid makes it switch
 * to Latin-1 for the rest of the page. */
static void check_upto(struct scan *s, size_t to)
{
  size_t i = s->checked;

  while (i < to && s->enc != ENC_LATIN1) {
    uint64_t w;
    uint32_t cp;
    size_t len;

    /* Eight ASCII bytes at a time: most pages are mostly ASCII. */
    while (to - i >= 8) {
      memcpy(&w, s->b + i, 8);
      if (w & 0x8080808080808080ULL)
        break;
      i += 8;
    }
    if (i == to)
      break;
    len = char_at(s, i, &cp);
    if (!len)
      return;
    i += len;
  }
  s->checked = to;
}

/* --- The charset ------------------------------------------------------- */

static bool name_is(const char *a, size_t n, const char *b)
{
  size_t i;

  for (i = 0; i < n; i++)
    if (!b[i] || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
      return false;
  return b[n] == '\0';
}

/* The charset a name means, for the names libxml2 and glibc's iconv read
 * as one the scan decodes; -1 for any other name. */
static int charset_of(const char *name, size_t n)
{
  static const struct {
    const char *name;
    enum enc enc;
  } names[] = {
    { "utf-8", ENC_UTF8 },          { "utf8", ENC_UTF8 },
    { "iso-8859-1", ENC_LATIN1 },   { "iso-latin-1", ENC_LATIN1 },
    { "iso latin 1", ENC_LATIN1 },  { "latin1", ENC_LATIN1 },
    { "l1", ENC_LATIN1 },           { "iso_8859-1", ENC_LATIN1 },
    { "iso8859-1", ENC_LATIN1 },    { "iso-ir-100", ENC_LATIN1 },
    { "cp819", ENC_LATIN1 },        { "ibm819", ENC_LATIN1 },
    { "csisolatin1", ENC_LATIN1 },  { "iso_8859-1:1987", ENC_LATIN1 },
    { "windows-1252", ENC_CP1252 }, { "cp1252", ENC_CP1252 },
    { "ms-ansi", ENC_CP1252 },      { "us-ascii", ENC_ASCII },
    { "ascii", ENC_ASCII }
  };
  size_t i;

  for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if (name_is(name, n, names[i].name))
      return (int)names[i].enc;
  return -1;
}

/* htmlCheckEncodingDirect(): a <meta> names the charset of the rest of
 * the page, from the read position on (libxml2 converts what it has not
 * read yet), unless one was set already. */
static void meta_charset(struct scan *s, const char *name)
{
  int enc;

  if (s->enc_fixed)
    return;
  while (*name == ' ' || *name == '\t')
    name++;
  s->enc_fixed = true;
  /* libxml2 refuses a switch to UTF-16 or UCS-4 from a <meta>: the page
   * cannot be in it if the tag was read as ASCII. */
  if (name_is(name, strlen(name), "utf-16") ||
      name_is(name, strlen(name), "utf16") ||
      name_is(name, strlen(name), "ucs-4") ||
      name_is(name, strlen(name), "ucs4") ||
      name_is(name, strlen(name), "iso-10646-ucs-4"))
    return;
  enc = charset_of(name, strlen(name));
  if (enc < 0) {
    s->fail = true;
    return;
  }
  check_upto(s, s->i);
  s->enc = (enum enc)enc;
}

/* The first place "needle" (lower case) occurs in "hay", ignoring case;
 * NULL when it does not. */
static const char *find_ci(const char *hay, const char *needle)
{
  size_t k;

  for (; *hay; hay++) {
    for (k = 0; needle[k] && lower((unsigned char)hay[k]) == needle[k]; k++)
      ;
    if (!needle[k])
      return hay;
  }
  return NULL;
}

/* htmlCheckMeta(): a charset attribute first, else http-equiv
 * Content-Type with a content that names a charset. */
static void check_meta(struct scan *s)
{
  struct attrval *cs = &s->attrs[A_CHARSET];
  struct attrval *he = &s->attrs[A_HTTP_EQUIV];
  struct attrval *ct = &s->attrs[A_CONTENT];
  const char *v, *eq;

  if (cs->seen && cs->has_value)
    meta_charset(s, buf_cstr(&cs->text));
  if (s->fail || !he->seen || !he->has_value || !ct->seen || !ct->has_value)
    return;
  v = buf_cstr(&he->text);
  if (!name_is(v, strlen(v), "content-type"))
    return;
  /* htmlCheckEncoding(): after the first "charset", or, when a blank
   * follows it, after the first '=' of the whole value. */
  v = buf_cstr(&ct->text);
  eq = find_ci(v, "charset");
  if (!eq)
    return;
  eq += 7;
  if (is_blank((unsigned char)*eq))
    eq = strchr(v, '=');
  if (eq && *eq == '=')
    meta_charset(s, eq + 1);
}

/* --- What the scan keeps ----------------------------------------------- */

static void add_ref(struct scan *s, struct buf *text, enum htmlscan_kind kind)
{
  htmlscan_result_add(s->res, buf_cstr(text), kind);
}

/* libxml2's characters() and cdataBlock(): text lands in every element
 * open, so in the <title> and <style> kept when they are. */
static void chars(struct scan *s, const char *p, size_t n)
{
  if (s->title == CAP_OPEN)
    buf_put(&s->title_text, p, n);
  if (s->style_open)
    buf_put(&s->style_text, p, n);
}

/* The text [from, to) decoded, into the open captures. */
static void chars_raw(struct scan *s, size_t from, size_t to)
{
  if (s->title == CAP_OPEN && s->style_open) {
    struct buf t = { NULL, 0, 0 };

    if (decode(s, from, to, true, &t) == 0)
      chars(s, t.p, t.len);
    buf_free(&t);
  } else if (s->title == CAP_OPEN) {
    (void)decode(s, from, to, true, &s->title_text);
  } else if (s->style_open) {
    (void)decode(s, from, to, true, &s->style_text);
  }
}

static bool capturing(const struct scan *s)
{
  return s->title == CAP_OPEN || s->style_open;
}

/* --- The stack of open elements ---------------------------------------- */

static const char *elem_name(const struct scan *s, const struct elem *e)
{
  return e->tag == HTML4_OTHER ? s->names.p + e->name : html4_name(e->tag);
}

static const char *top_name(const struct scan *s)
{
  return s->depth ? elem_name(s, &s->stack[s->depth - 1]) : NULL;
}

static enum html4_tag top_tag(const struct scan *s)
{
  return s->depth ? s->stack[s->depth - 1].tag : HTML4_OTHER;
}

/* Where the name of an element in libxml2's tree starts in its tag name:
 * the tree drops a prefix up to the first ':' (xmlSplitQName()), unless
 * the name starts or ends with it, so "<x:title>" is a title there. */
static size_t local(const char *name, size_t len)
{
  const char *colon = len > 1 ? memchr(name + 1, ':', len - 1) : NULL;

  if (name[0] == ':' || !colon || (size_t)(colon - name) == len - 1)
    return 0;
  return (size_t)(colon - name) + 1;
}

/* htmlnamePush() and the start of the element in libxml2's tree. */
static void push(struct scan *s, const char *name, size_t len,
                 enum html4_tag tag)
{
  struct elem *e;
  size_t at = local(name, len);

  if (s->depth >= MAX_DEPTH) {
    s->fail = true;
    return;
  }
  if (s->depth == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 32;
    s->stack = xrealloc(s->stack, s->cap * sizeof(*s->stack));
  }
  if (s->html < 3 && tag == HTML4_HEAD)
    s->html = 3;
  if (s->html < 10 && tag == HTML4_BODY)
    s->html = 10;
  e = &s->stack[s->depth];
  e->tag = tag;
  e->dom = at ? html4_tag(name + at, len - at) : tag;
  e->name = s->names.len;
  if (tag == HTML4_OTHER) {
    buf_put(&s->names, name, len);
    buf_putc(&s->names, '\0'); /* read as a C string */
  }
  e->svg = len - at == 3 && memcmp(name + at, "svg", 3) == 0;
  s->svg += e->svg;
  if (e->dom == HTML4_TITLE && s->title == CAP_NONE && s->svg == 0 &&
      (s->what & HTMLSCAN_TITLE)) {
    s->title = CAP_OPEN;
    s->title_at = s->depth;
  }
  s->depth++;
}

/* htmlnamePop() and the end of the element in the tree. */
static void pop(struct scan *s)
{
  struct elem *e;

  if (!s->depth)
    return;
  e = &s->stack[--s->depth];
  s->svg -= e->svg;
  if (s->title == CAP_OPEN && s->title_at == s->depth) {
    s->title = CAP_DONE;
    s->res->title = buf_detach(&s->title_text);
    if (!(s->what & HTMLSCAN_LINKS))
      s->stop = true;
  }
  if (s->style_open && s->style_at == s->depth) {
    struct htmlscan_ref *r = &s->res->refs[s->style_ref];

    free(r->text);
    r->text = buf_detach(&s->style_text);
    s->style_open = false;
  }
  s->names.len = e->name;
}

/* Whether "e" is named "name", whose tag is "tag". */
static bool elem_is(const struct scan *s, const struct elem *e,
                    enum html4_tag tag, const char *name)
{
  if (tag != HTML4_OTHER || e->tag != HTML4_OTHER)
    return e->tag == tag;
  return strcmp(s->names.p + e->name, name) == 0;
}

static bool top_is(const struct scan *s, enum html4_tag tag, const char *name)
{
  return s->depth && elem_is(s, &s->stack[s->depth - 1], tag, name);
}

/* htmlAutoClose(): while the start tag "tag" closes the innermost open
 * element, close it. */
static void auto_close(struct scan *s, enum html4_tag tag)
{
  while (s->depth && html4_closes(top_tag(s), tag))
    pop(s);
}

/* htmlAutoCloseOnClose(): the end tag "name" closes the elements above
 * the innermost one of its name, unless one of them has a higher
 * priority: then it is ignored. */
static void auto_close_on_close(struct scan *s, const char *name,
                                enum html4_tag tag)
{
  int priority = html4_priority(tag);
  size_t i;

  for (i = s->depth; i > 0; i--) {
    const struct elem *e = &s->stack[i - 1];

    if (elem_is(s, e, tag, name))
      break;
    if (html4_priority(e->tag) > priority)
      return;
  }
  if (i == 0)
    return;
  while (s->depth && !top_is(s, tag, name))
    pop(s);
}

static void auto_close_on_end(struct scan *s)
{
  while (s->depth)
    pop(s);
}

static void push_tag(struct scan *s, enum html4_tag tag, const char *name)
{
  push(s, name, strlen(name), tag);
}

/* htmlCheckImplied(): the html, head or body a start tag "tag" needs. */
static void check_implied(struct scan *s, enum html4_tag tag)
{
  size_t i;

  if (tag == HTML4_HTML)
    return;
  if (s->depth == 0)
    push_tag(s, HTML4_HTML, "html");
  if (tag == HTML4_BODY || tag == HTML4_HEAD)
    return;
  if (s->depth <= 1 &&
      (tag == HTML4_SCRIPT || tag == HTML4_STYLE || tag == HTML4_META ||
       tag == HTML4_LINK || tag == HTML4_TITLE || tag == HTML4_BASE)) {
    if (s->html >= 3)
      return;
    push_tag(s, HTML4_HEAD, "head");
  } else if (tag != HTML4_NOFRAMES && tag != HTML4_FRAME &&
             tag != HTML4_FRAMESET) {
    if (s->html >= 10)
      return;
    for (i = 0; i < s->depth; i++)
      if (s->stack[i].tag == HTML4_BODY || s->stack[i].tag == HTML4_HEAD)
        return;
    push_tag(s, HTML4_BODY, "body");
  }
}

/* htmlCheckParagraph(): text with no element open, or right in <html> or
 * <head>, opens a <p> (closing <head>, opening <body>). */
static void check_paragraph(struct scan *s)
{
  if (s->depth && top_tag(s) != HTML4_HTML && top_tag(s) != HTML4_HEAD)
    return;
  auto_close(s, HTML4_P);
  check_implied(s, HTML4_P);
  push_tag(s, HTML4_P, "p");
}

/* --- Names and references ---------------------------------------------- */

static bool is_name_char(int c)
{
  return is_letter(c) || is_digit(c) || c == ':' || c == '-' || c == '_' ||
         c == '.';
}

/* htmlParseHTMLName(): a tag or attribute name, lower-cased into "out"
 * (NAME_LEN + 1 bytes); returns its length, 0 when none starts here. */
static size_t parse_html_name(struct scan *s, char *out)
{
  const unsigned char *b = s->b;
  size_t k = 0, i = s->i, n = s->n;

  if (i >= n ||
      (!is_letter(b[i]) && b[i] != '_' && b[i] != ':' && b[i] != '.'))
    return 0;
  /* Letters first: nearly every byte of a name is one. */
  for (; k < NAME_LEN && i < n; i++) {
    int c = b[i];

    if (is_letter(c))
      out[k++] = (char)(c | 0x20);
    else if (is_digit(c) || c == ':' || c == '-' || c == '_' || c == '.')
      out[k++] = (char)c;
    else
      break;
  }
  out[k] = '\0';
  s->i = i;
  return k;
}

/* htmlParseHTMLName_nonInvasive(): the name after '<' without reading it,
 * as the content loop looks ahead; unlike the real one it takes no '.'. */
static size_t peek_name(const struct scan *s, char *out)
{
  size_t k = 0;
  int c = peek(s, 1);

  if (!is_letter(c) && c != '_' && c != ':')
    return 0;
  while (k < NAME_LEN &&
         (is_letter(c) || is_digit(c) || c == ':' || c == '-' || c == '_')) {
    out[k++] = (char)lower(c);
    c = peek(s, k + 1);
  }
  out[k] = '\0';
  return k;
}

/* htmlParseCharRef() at "&#" at "j": the position after it, the value in
 * "*val": 0 when it is no XML Char (libxml2 then writes nothing in text
 * and ends an attribute value there). */
static size_t char_ref_at(const struct scan *s, size_t j, uint32_t *val)
{
  const unsigned char *b = s->b;
  uint32_t v = 0;
  bool hex = j + 2 < s->n && (b[j + 2] == 'x' || b[j + 2] == 'X');

  j += hex ? 3 : 2;
  for (; j < s->n && b[j] != ';'; j++) {
    unsigned d;

    if (is_digit(b[j]))
      d = b[j] - '0';
    else if (hex && b[j] >= 'a' && b[j] <= 'f')
      d = b[j] - 'a' + 10u;
    else if (hex && b[j] >= 'A' && b[j] <= 'F')
      d = b[j] - 'A' + 10u;
    else
      break;
    if (v < 0x110000)
      v = v * (hex ? 16 : 10) + d;
  }
  if (j < s->n && b[j] == ';')
    j++;
  *val = is_char(v) ? v : 0;
  return j;
}

/* htmlParseEntityRef() at '&' at "j": the position after it; "*val" the
 * code point when libxml2 knows the name and ';' follows it (read too),
 * else 0 and the name in "*name", "*len" (0: none). A name that starts
 * with or runs into a non-ASCII byte declines the scan: libxml2 reads
 * such a name through htmlParseNameComplex(), which, with a charset
 * set, starts again from where it is every 100 characters or so,
 * dropping what it had read (fuzzing found a long Latin-1 name written
 * back as "&e;", and "&" and 150 bytes 0xFF in an attribute value kept
 * as "&" and 48 of them). */
static size_t entity_ref_at(struct scan *s, size_t j, unsigned *val,
                            size_t *name, size_t *len)
{
  const unsigned char *b = s->b;
  size_t k;

  *val = 0;
  *name = ++j;
  *len = 0;
  if (j < s->n && b[j] >= 0x80)
    s->fail = true;
  if (j >= s->n || (!is_letter(b[j]) && b[j] != '_' && b[j] != ':'))
    return j;
  for (k = j + 1; k < s->n && is_name_char(b[k]); k++)
    ;
  if (k < s->n && b[k] >= 0x80)
    s->fail = true;
  *len = k - j;
  if (k < s->n && b[k] == ';') {
    *val = html4_entity((const char *)b + j, *len);
    if (*val)
      k++;
  }
  return k;
}

/* htmlParseHTMLAttribute(): the value [from, to) with its references
 * decoded, onto "v". */
static void attr_value(struct scan *s, size_t from, size_t to,
                       struct attrval *v)
{
  const unsigned char *b = s->b;
  size_t j = from;

  while (j < to && !s->fail) {
    const unsigned char *amp = memchr(b + j, '&', to - j);
    size_t end = amp ? (size_t)(amp - b) : to;

    if (!v->truncated && end > j)
      (void)decode(s, j, end, false, &v->text);
    if (!amp)
      break;
    if (end + 1 < to && b[end + 1] == '#') {
      uint32_t c;

      j = char_ref_at(s, end, &c);
      if (c == 0)
        v->truncated = true; /* libxml2 writes a NUL into the value */
      else if (!v->truncated)
        add_cp(&v->text, c);
    } else {
      unsigned c;
      size_t name, len;

      j = entity_ref_at(s, end, &c, &name, &len);
      if (v->truncated)
        continue;
      if (c) {
        add_cp(&v->text, c);
      } else {
        buf_put(&v->text, "&", 1);
        buf_put(&v->text, b + name, len);
      }
    }
  }
}

/* --- Markup ------------------------------------------------------------ */

static bool at_doctype(const struct scan *s)
{
  static const char d[] = "DOCTYPE";
  size_t k;

  if (cur(s) != '<' || peek(s, 1) != '!')
    return false;
  for (k = 0; k < 7; k++)
    if (lower(peek(s, k + 2)) != lower(d[k]))
      return false;
  return true;
}

static bool at_comment(const struct scan *s)
{
  return cur(s) == '<' && peek(s, 1) == '!' && peek(s, 2) == '-' &&
         peek(s, 3) == '-';
}

static bool at_pi(const struct scan *s)
{
  return cur(s) == '<' && peek(s, 1) == '?';
}

/* htmlParseComment(): up to the first "-->" or "--!>" from the fifth
 * byte on (so "<!-->" opens one), or to the end of the page. */
static void parse_comment(struct scan *s)
{
  const unsigned char *b = s->b, *p, *end = s->b + s->n;

  if (!at_comment(s))
    return;
  for (p = b + s->i + 4; p < end; p++) {
    p = memchr(p, '-', (size_t)(end - p));
    if (!p)
      break;
    if (end - p >= 3 && p[1] == '-' && p[2] == '>') {
      s->i = (size_t)(p - b) + 3;
      return;
    }
    if (end - p >= 4 && p[1] == '-' && p[2] == '!' && p[3] == '>') {
      s->i = (size_t)(p - b) + 4;
      return;
    }
  }
  s->i = s->n;
}

/* htmlParsePI(): "<?" and a name, then up to the first '>'. Without a
 * name libxml2 reads the "<?" alone and the rest as text; whether a
 * non-ASCII character starts a name is a Unicode table this scan does
 * not carry, so it declines. An ASCII name that runs to the end of the
 * page is no name either: htmlParseName() wants a byte after it. */
static void parse_pi(struct scan *s)
{
  const unsigned char *gt;
  size_t k;
  int c;

  if (!at_pi(s))
    return;
  s->i += 2;
  c = cur(s);
  if (c >= 0x80) {
    s->fail = true;
    return;
  }
  if (!is_letter(c) && c != '_' && c != ':')
    return;
  for (k = s->i; k < s->n && is_name_char(s->b[k]); k++)
    ;
  if (k == s->n)
    return;
  gt = memchr(s->b + s->i, '>', s->n - s->i);
  s->i = gt ? (size_t)(gt - s->b) + 1 : s->n;
}

/* htmlParseSystemLiteral() and htmlParsePubidLiteral(): a quoted string,
 * which may hold '>'. */
static void parse_literal(struct scan *s)
{
  int q = cur(s);
  const unsigned char *e;

  if (q != '"' && q != '\'')
    return;
  s->i++;
  e = memchr(s->b + s->i, q, s->n - s->i);
  s->i = e ? (size_t)(e - s->b) + 1 : s->n;
}

static bool at_word(const struct scan *s, const char *w)
{
  size_t k;

  for (k = 0; w[k]; k++)
    if (lower(peek(s, k)) != lower(w[k]))
      return false;
  return true;
}

/* Blanks, then anything up to '>', and the '>' itself (or the end). */
static void skip_to_gt(struct scan *s)
{
  skip_blanks(s);
  if (cur(s) != '>') {
    const unsigned char *gt = memchr(s->b + s->i, '>', s->n - s->i);

    s->i = gt ? (size_t)(gt - s->b) : s->n;
  }
  if (cur(s) == '>')
    s->i++;
}

/* htmlParseDocTypeDecl(): the name, an external ID with its literals,
 * then up to '>'. */
static void parse_doctype(struct scan *s)
{
  int c;

  s->i += 9;
  skip_blanks(s);
  c = cur(s);
  if (is_letter(c) || c == '_' || c == ':') {
    while (is_name_char(cur(s)))
      s->i++;
    c = cur(s);
  }
  /* A name with non-ASCII letters would end elsewhere (see parse_pi). */
  if (c >= 0x80) {
    s->fail = true;
    return;
  }
  skip_blanks(s);
  if (at_word(s, "SYSTEM")) {
    s->i += 6;
    skip_blanks(s);
    parse_literal(s);
  } else if (at_word(s, "PUBLIC")) {
    s->i += 6;
    skip_blanks(s);
    parse_literal(s);
    skip_blanks(s);
    if (cur(s) == '"' || cur(s) == '\'')
      parse_literal(s);
  }
  skip_to_gt(s);
}

/* htmlParseScript(): the text of a <script> or <style>, up to "</" and
 * the name of the innermost open element in any case (so "</scripts"
 * ends it too), or the end of the page. */
static void parse_script(struct scan *s)
{
  const unsigned char *b = s->b, *end = b + s->n, *p = b + s->i;
  const char *name = top_name(s);
  size_t nl = name ? strlen(name) : 0, from = s->i, k;

  for (;;) {
    p = memchr(p, '<', (size_t)(end - p));
    if (!p) {
      p = end;
      break;
    }
    if (name && end - p >= 2 && p[1] == '/' && (size_t)(end - p) - 2 >= nl) {
      for (k = 0; k < nl && lower(p[2 + k]) == name[k]; k++)
        ;
      if (k == nl)
        break;
    }
    p++;
  }
  if (capturing(s))
    chars_raw(s, from, (size_t)(p - b));
  s->i = (size_t)(p - b);
}

/* htmlParseCharData(): text up to '<' or '&'. Besides its characters, it
 * matters for the <p> that text implies in <html> or <head> (see
 * check_paragraph): libxml2 asks in pieces of TEXT_PIECE bytes, and a
 * piece of blanks counts as text unless '<' or the end follows it. */
static void parse_char_data(struct scan *s)
{
  const unsigned char *b = s->b, *lt, *amp;
  size_t from = s->i, to;

  lt = memchr(b + from, '<', s->n - from);
  to = lt ? (size_t)(lt - b) : s->n;
  amp = memchr(b + from, '&', to - from);
  if (amp)
    to = (size_t)(amp - b);
  if (!s->depth || top_tag(s) == HTML4_HTML || top_tag(s) == HTML4_HEAD) {
    size_t blanks = 0, j;
    bool text = false;

    for (j = from; j < to && !text; j++) {
      uint32_t cp;
      size_t len;

      if (is_blank(b[j])) {
        blanks++;
      } else if (b[j] > 0x20 && b[j] < 0x80) {
        text = true;
      } else if (b[j] >= 0x80) {
        len = char_at(s, j, &cp);
        if (!len)
          return;
        text = is_char(cp);
        j += len - 1;
      }
    }
    if (text || blanks >= TEXT_PIECE || (blanks && to < s->n && b[to] == '&'))
      check_paragraph(s);
  }
  if (capturing(s))
    chars_raw(s, from, to);
  s->i = to;
}

/* htmlParseReference(): "&#N;" or "&name;" in text. */
static void parse_reference(struct scan *s)
{
  const unsigned char *b = s->b;

  if (peek(s, 1) == '#') {
    uint32_t c;

    s->i = char_ref_at(s, s->i, &c);
    if (c == 0)
      return;
    check_paragraph(s);
    if (capturing(s)) {
      struct buf t = { NULL, 0, 0 };

      add_cp(&t, c);
      chars(s, t.p, t.len);
      buf_free(&t);
    }
  } else {
    unsigned c;
    size_t name, len;

    s->i = entity_ref_at(s, s->i, &c, &name, &len);
    check_paragraph(s);
    if (!capturing(s))
      return;
    if (c) {
      struct buf t = { NULL, 0, 0 };

      add_cp(&t, c);
      chars(s, t.p, t.len);
      buf_free(&t);
    } else {
      chars(s, "&", 1);
      chars(s, (const char *)b + name, len);
    }
  }
}

/* Which kept attribute "name" is on an element "tag" ("dom" in the
 * tree, which decides the links; only a <meta> by its full name names a
 * charset), or A_N: the ones the scan decodes. */
static enum attr attr_kind(const struct scan *s, const char *name, size_t len,
                           enum html4_tag tag, enum html4_tag dom)
{
  bool links = s->what & HTMLSCAN_LINKS;
  bool req = links && (s->what & HTMLSCAN_REQUISITES);

  switch (len) {
  case 3:
    if (memcmp(name, "src", 3) == 0 &&
        ((links && (dom == HTML4_FRAME || dom == HTML4_IFRAME)) ||
         (req && (dom == HTML4_IMG || dom == HTML4_SCRIPT))))
      return A_SRC;
    break;
  case 4:
    if (memcmp(name, "href", 4) == 0 &&
        (dom == HTML4_BASE ||
         (links && (dom == HTML4_A || dom == HTML4_AREA)) ||
         (req && dom == HTML4_LINK)))
      return A_HREF;
    break;
  case 5:
    if (req && memcmp(name, "style", 5) == 0)
      return A_STYLE;
    break;
  case 7:
    if (tag == HTML4_META && memcmp(name, "charset", 7) == 0)
      return A_CHARSET;
    if (tag == HTML4_META && memcmp(name, "content", 7) == 0)
      return A_CONTENT;
    break;
  case 10:
    if (tag == HTML4_META && memcmp(name, "http-equiv", 10) == 0)
      return A_HTTP_EQUIV;
    break;
  }
  return A_N;
}

/* htmlParseAttribute() and htmlParseAttValue(): a name, and after '=' a
 * value, quoted or up to a blank or '>'. Of each name only the first
 * counts. */
static void parse_attribute(struct scan *s, enum html4_tag tag,
                            enum html4_tag dom)
{
  char name[NAME_LEN + 1];
  struct attrval *v = NULL;
  enum attr kind;
  size_t from, to, len;
  int q;

  len = parse_html_name(s, name);
  if (!len) {
    /* Not a name: libxml2 skips to a blank or the end of the tag. */
    while (cur(s) && !is_blank(cur(s)) && cur(s) != '>' &&
           !(cur(s) == '/' && peek(s, 1) == '>'))
      s->i++;
    return;
  }
  kind = attr_kind(s, name, len, tag, dom);
  if (kind != A_N && !s->attrs[kind].seen) {
    v = &s->attrs[kind];
    v->seen = true;
  }
  skip_blanks(s);
  if (cur(s) != '=')
    return;
  s->i++;
  skip_blanks(s);
  q = cur(s);
  if (q == '"' || q == '\'') {
    const unsigned char *e;

    from = ++s->i;
    e = memchr(s->b + from, q, s->n - from);
    to = e ? (size_t)(e - s->b) : s->n;
    s->i = e ? to + 1 : to;
  } else {
    from = to = s->i;
    while (to < s->n && !is_blank(s->b[to]) && s->b[to] != '>')
      to++;
    s->i = to;
  }
  if (v) {
    v->has_value = true;
    attr_value(s, from, to, v);
  }
}

/* What a start tag adds to the result, once it is open: "tag" is the
 * element's tag in the tree. */
static void start_element(struct scan *s, enum html4_tag tag)
{
  struct attrval *a = s->attrs;
  bool req = (s->what & HTMLSCAN_LINKS) && (s->what & HTMLSCAN_REQUISITES);

  if (tag == HTML4_BASE && a[A_HREF].seen && !s->res->base)
    s->res->base = xstrdup(buf_cstr(&a[A_HREF].text));
  else if ((tag == HTML4_A || tag == HTML4_AREA) && a[A_HREF].seen)
    add_ref(s, &a[A_HREF].text, HTMLSCAN_NAV);
  else if ((tag == HTML4_FRAME || tag == HTML4_IFRAME) && a[A_SRC].seen)
    add_ref(s, &a[A_SRC].text, HTMLSCAN_NAV);
  else if ((tag == HTML4_IMG || tag == HTML4_SCRIPT) && a[A_SRC].seen)
    add_ref(s, &a[A_SRC].text, HTMLSCAN_REQ);
  else if (tag == HTML4_LINK && a[A_HREF].seen)
    add_ref(s, &a[A_HREF].text, HTMLSCAN_REQ);
  if (a[A_STYLE].seen)
    add_ref(s, &a[A_STYLE].text, HTMLSCAN_CSS);
  if (req && tag == HTML4_STYLE && !s->style_open) {
    /* The element's text, filled in when it closes (pop()). */
    htmlscan_result_add(s->res, "", HTMLSCAN_CSS);
    s->style_open = true;
    s->style_at = s->depth - 1;
    s->style_ref = s->res->nrefs - 1;
  }
}

/* htmlParseStartTag() and htmlParseElementInternal(): a start tag, what
 * it closes and implies, its attributes, and the element it opens.
 * "peeked" is the tag of the "peeked_len" bytes the content loop looked
 * at already (peek_name()), which is the tag's when the name is as long. */
static void parse_element(struct scan *s, enum html4_tag peeked,
                          size_t peeked_len)
{
  char name[NAME_LEN + 1];
  enum html4_tag tag, dom;
  bool discard = false;
  size_t len, k, at;

  s->i++;
  len = parse_html_name(s, name);
  tag = len == peeked_len ? peeked : html4_tag(name, len);
  at = local(name, len);
  dom = at ? html4_tag(name + at, len - at) : tag;
  auto_close(s, tag);
  check_implied(s, tag);
  /* An <html> inside the page, a <head> anywhere but right in <html>, a
   * second <body> are dropped, and as many of their end tags later. */
  if (s->depth > 0 && tag == HTML4_HTML) {
    discard = true;
    s->misplaced++;
  }
  if (s->depth != 1 && tag == HTML4_HEAD) {
    discard = true;
    s->misplaced++;
  }
  if (tag == HTML4_BODY) {
    for (k = 0; k < s->depth; k++) {
      if (s->stack[k].tag == HTML4_BODY) {
        discard = true;
        s->misplaced++;
      }
    }
  }
  for (k = 0; k < A_N; k++) {
    s->attrs[k].seen = s->attrs[k].has_value = s->attrs[k].truncated = false;
    buf_reset(&s->attrs[k].text);
  }
  skip_blanks(s);
  while (cur(s) && cur(s) != '>' && !(cur(s) == '/' && peek(s, 1) == '>') &&
         !s->fail) {
    parse_attribute(s, tag, dom);
    skip_blanks(s);
  }
  if (tag == HTML4_META)
    check_meta(s);
  if (s->fail)
    return;
  if (!discard) {
    push(s, name, len, tag);
    if (s->fail)
      return;
    start_element(s, dom);
  }
  /* What follows acts on the innermost open element, which for a dropped
   * tag is another one: "<body/>" in a body closes whatever is open. */
  if (cur(s) == '/' && peek(s, 1) == '>') {
    s->i += 2;
    pop(s);
    return;
  }
  if (cur(s) != '>') {
    /* The end of the page inside the tag. */
    pop(s);
    auto_close_on_end(s);
    return;
  }
  s->i++;
  if (html4_empty(top_tag(s)))
    pop(s);
}

/* htmlParseEndTag(): returns whether it closed the innermost element. */
static bool parse_end_tag(struct scan *s)
{
  char name[NAME_LEN + 1];
  enum html4_tag tag;
  size_t len, k;

  s->i += 2;
  len = parse_html_name(s, name);
  if (!len)
    return false; /* "</" is gone, the rest is text */
  skip_to_gt(s);
  tag = html4_tag(name, len);
  if (s->misplaced > 0 &&
      (tag == HTML4_HTML || tag == HTML4_BODY || tag == HTML4_HEAD)) {
    s->misplaced--;
    return false;
  }
  for (k = s->depth; k > 0; k--)
    if (elem_is(s, &s->stack[k - 1], tag, name))
      break;
  if (k == 0)
    return false;
  auto_close_on_close(s, name, tag);
  if (top_is(s, tag, name)) {
    pop(s);
    return true;
  }
  return false;
}

/* libxml2's "currentNode": a copy of the innermost element's name, which
 * the content loop updates only at some steps (and which decides whether
 * text is a script's). */
struct current {
  bool set; /* false: NULL */
  enum html4_tag tag;
  char name[NAME_LEN + 1]; /* for HTML4_OTHER */
  size_t depth;
};

static void current_sync(const struct scan *s, struct current *c)
{
  c->set = s->depth > 0;
  c->tag = top_tag(s);
  if (c->set && c->tag == HTML4_OTHER) {
    const char *t = top_name(s);

    memcpy(c->name, t, strlen(t) + 1);
  }
  c->depth = s->depth;
}

static bool current_is_top(const struct scan *s, const struct current *c)
{
  if (!s->depth)
    return !c->set;
  return c->set && elem_is(s, &s->stack[s->depth - 1], c->tag, c->name);
}

/* htmlParseContentInternal(). */
static void parse_content(struct scan *s)
{
  struct current c;

  current_sync(s, &c);
  while (!s->fail && !s->stop) {
    int c0 = cur(s), c1 = peek(s, 1);
    enum html4_tag tag = HTML4_OTHER;
    size_t len = 0;

    if (c0 == '<' && c1 == '/') {
      if (parse_end_tag(s) && (c.set || s->depth == 0))
        current_sync(s, &c);
      continue;
    }
    if (c0 == '<' && (is_letter(c1) || c1 == '_' || c1 == ':')) {
      char name[NAME_LEN + 1];

      len = peek_name(s, name);
      tag = html4_tag(name, len);
      if (s->depth && html4_closes(top_tag(s), tag)) {
        auto_close(s, tag);
        continue;
      }
    }
    /* Was the current element closed meanwhile? */
    if (s->depth > 0 && c.depth >= s->depth && !current_is_top(s, &c)) {
      if (!cur(s))
        auto_close_on_end(s);
      current_sync(s, &c);
      continue;
    }
    if (cur(s) && c.set && (c.tag == HTML4_SCRIPT || c.tag == HTML4_STYLE)) {
      parse_script(s);
      continue;
    }
    /* A DOCTYPE in the page is read, and then, in the same step, what
     * follows it, whatever it is. */
    if (at_doctype(s))
      parse_doctype(s);
    if (s->fail)
      break;
    c0 = cur(s);
    c1 = peek(s, 1);
    if (at_comment(s)) {
      parse_comment(s);
    } else if (at_pi(s)) {
      parse_pi(s);
    } else if (c0 == '<' && is_letter(c1)) {
      parse_element(s, tag, len);
      current_sync(s, &c);
    } else if (c0 == '<') {
      chars(s, "<", 1);
      s->i++;
    } else if (c0 == '&') {
      parse_reference(s);
    } else if (c0 == 0) {
      auto_close_on_end(s);
      break;
    } else {
      parse_char_data(s);
    }
  }
}

/* htmlParseDocument(), from its first blank skip on. */
static void parse_document(struct scan *s)
{
  skip_blanks(s);
  while ((at_comment(s) || at_pi(s)) && !s->fail) {
    parse_comment(s);
    parse_pi(s);
    skip_blanks(s);
  }
  if (at_doctype(s))
    parse_doctype(s);
  skip_blanks(s);
  while ((at_comment(s) || at_pi(s)) && !s->fail) {
    parse_comment(s);
    parse_pi(s);
    skip_blanks(s);
  }
  if (!s->fail)
    parse_content(s);
  if (!s->fail && !s->stop)
    auto_close_on_end(s);
}

/* --- The entry points -------------------------------------------------- */

/* Where libxml2 starts reading: past a UTF-8 byte order mark; -1 for a
 * start it would read another way (UTF-16, EBCDIC, two marks). */
static long start_of(const struct scan *s)
{
  const unsigned char *b = s->b;
  bool bom = s->n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF;

  if (s->enc != ENC_UTF8)
    return 0; /* libxml2 looks at the bytes after converting them */
  if (bom) {
    /* libxml2 skips it when it sees four bytes or more (with a charset
     * of "UTF-8" from three), and a second one sometimes. */
    if (s->n < 4 ||
        (s->n >= 6 && b[3] == 0xEF && b[4] == 0xBB && b[5] == 0xBF))
      return -1;
    return 3;
  }
  if (s->n >= 4 &&
      ((b[0] == 0xFE && b[1] == 0xFF) || (b[0] == 0xFF && b[1] == 0xFE) ||
       (b[0] == 0x4C && b[1] == 0x6F && b[2] == 0xA7 && b[3] == 0x94)))
    return -1;
  return 0;
}

int htmlscan_run(const char *body, size_t len, const char *charset,
                 unsigned what, struct htmlscan_result *res)
{
  struct scan s;
  long start;
  size_t k;

  memset(res, 0, sizeof(*res));
  memset(&s, 0, sizeof(s));
  s.b = (const unsigned char *)(body ? body : "");
  s.n = body ? len : 0;
  s.what = what;
  s.res = res;
  s.enc = ENC_UTF8;
  /* libxml2 takes an embedded NUL for the end of the page in some places
   * and for a blank in others. */
  if (memchr(s.b, 0, s.n))
    s.fail = true;
  if (charset && *charset) {
    int enc = charset_of(charset, strlen(charset));

    if (enc < 0)
      s.fail = true;
    s.enc = enc < 0 ? ENC_UTF8 : (enum enc)enc;
    s.enc_fixed = true;
  }
  start = s.fail ? -1 : start_of(&s);
  if (start < 0)
    s.fail = true;
  else
    s.i = s.checked = (size_t)start;
  if (!s.fail)
    parse_document(&s);
  if (!s.fail)
    check_upto(&s, s.stop ? s.i : s.n);
  free(s.stack);
  buf_free(&s.names);
  buf_free(&s.title_text);
  buf_free(&s.style_text);
  for (k = 0; k < A_N; k++)
    buf_free(&s.attrs[k].text);
  if (s.fail) {
    htmlscan_result_free(res);
    return -1;
  }
  return 0;
}

void htmlscan_result_add(struct htmlscan_result *res, const char *text,
                         enum htmlscan_kind kind)
{
  size_t n = res->nrefs;

  /* Capacity is the next power of two: no separate count is kept. */
  if (n == 0 || (n & (n - 1)) == 0)
    res->refs = xrealloc(res->refs, (n ? 2 * n : 1) * sizeof(*res->refs));
  res->refs[n].text = xstrdup(text);
  res->refs[n].kind = kind;
  res->nrefs++;
}

void htmlscan_result_free(struct htmlscan_result *res)
{
  size_t i;

  free(res->title);
  free(res->base);
  for (i = 0; i < res->nrefs; i++)
    free(res->refs[i].text);
  free(res->refs);
  memset(res, 0, sizeof(*res));
}
