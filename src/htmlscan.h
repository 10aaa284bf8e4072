/* The title and the link attributes of an HTML body in one pass over its
 * bytes, with no tree: a tokenizer that keeps the rules of libxml2's HTML
 * parser (2.9.14, the one extract.c builds its tree with): its stack of
 * open elements with the implied and auto-closed ones, its comments,
 * entities and charsets. So it finds what extract.c's walk over that
 * tree finds. Where it cannot promise that (an encoding it does not
 * decode, bytes libxml2 would decode another way, nesting past libxml2's
 * depth limit) it declines and the caller builds the tree. Pure. */
#ifndef VOLLEY_HTMLSCAN_H
#define VOLLEY_HTMLSCAN_H

#include <stddef.h>

/* What a reference in the page is. */
enum htmlscan_kind {
  HTMLSCAN_NAV, /* a and area href, frame and iframe src */
  HTMLSCAN_REQ, /* img and script src, link href */
  HTMLSCAN_CSS  /* the text of a <style> element or a style attribute */
};

struct htmlscan_ref {
  char *text; /* UTF-8, entities decoded, as the attribute holds it */
  enum htmlscan_kind kind;
};

/* What htmlscan_run() found; also what extract.c's tree walk fills, so
 * that both feed one function. Owned by the caller, released with
 * htmlscan_result_free(). */
struct htmlscan_result {
  char *title; /* the text of the first <title> outside <svg>, not
                  collapsed; NULL when there is none */
  char *base;  /* the value of the first <base href>; NULL: none */
  struct htmlscan_ref *refs; /* in document order */
  size_t nrefs;
};

/* What to look for: the title, the links (navigational), and with
 * HTMLSCAN_REQUISITES also HTMLSCAN_REQ and HTMLSCAN_CSS references. */
#define HTMLSCAN_TITLE      1u
#define HTMLSCAN_LINKS      2u
#define HTMLSCAN_REQUISITES 4u

/* Scan the "len" bytes of "body" for "what", the HTMLSCAN_* bits. The
 * body is decoded by "charset" (the Content-Type's, "" or NULL when none),
 * else by its byte order mark and its <meta> charset, as libxml2 does.
 * Fills "res", which need not be initialised. Returns 0, or -1 when the
 * body holds something whose result libxml2 might give differently (an
 * unknown or non-ASCII-compatible charset, a NUL byte, invalid UTF-8,
 * more than 250 open elements): "res" is then empty and the caller
 * parses with libxml2. Linear in "len"; holds no state between calls. */
int htmlscan_run(const char *body, size_t len, const char *charset,
                 unsigned what, struct htmlscan_result *res);

/* Append a copy of "text" to the references of "res" (for the tree walk,
 * which fills the same structure). */
void htmlscan_result_add(struct htmlscan_result *res, const char *text,
                         enum htmlscan_kind kind);

/* Release what "res" holds (a zeroed one is fine); it is zeroed after. */
void htmlscan_result_free(struct htmlscan_result *res);

#endif
