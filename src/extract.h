/* Extraction from one response body: --title and --links (one pass of
 * htmlscan.c, or libxml2's tree where that declines), -x/--xpath NAME=EXPR
 * (libxml2's HTML parser and XPath 1.0) and -e/--regex NAME=PATTERN
 * (PCRE2), into record fields. Pure: no I/O, no loop; extract_run() may run
 * on any thread. */
#ifndef VOLLEY_EXTRACT_H
#define VOLLEY_EXTRACT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "htmlscan.h"
#include "record.h"
#include "util.h"

/* The work of one -e regex over one body, in steps (a pattern item tried
 * at a subject position: a PCRE2 auto-callout, about 20 ns here), is at
 * most EXTRACT_STEPS_BASE plus EXTRACT_STEPS_PER_BYTE for each byte of
 * the body's text: 0.2 s plus 0.3 s a MiB. PCRE2's own match limit counts
 * per start position only, so a pattern like "(a+)+$" could otherwise
 * spend a million steps at each of a body's positions. Each match also
 * has a depth and a heap limit (KiB). */
#define EXTRACT_STEPS_BASE     10000000ULL
#define EXTRACT_STEPS_PER_BYTE 16ULL
#define EXTRACT_DEPTH_LIMIT    100000
#define EXTRACT_HEAP_LIMIT_KIB 16384

/* One -x or -e: its name and compiled form, private to extract.c. */
struct extract_item;

/* How --title and --links read HTML. Not an option: EXTRACT_HTML_AUTO
 * always, except in tests/htmlcheck, which compares the two. */
enum extract_html {
  EXTRACT_HTML_AUTO, /* htmlscan.c, libxml2's tree where it declines */
  EXTRACT_HTML_TREE  /* libxml2's tree always */
};

/* What to extract, built once from the command line before any request
 * and read-only after: every extract_run() may share it, on any thread. */
struct extract_spec {
  bool title;                 /* --title */
  bool links;                 /* --links */
  bool requisites;            /* --page-requisites: more links (below) */
  enum extract_html html;     /* EXTRACT_HTML_AUTO */
  struct extract_item *items; /* -x and -e, in command-line order */
  size_t nitems;
};

/* The strings of one -x or -e, in document order. */
struct extract_values {
  char **v; /* "n" malloc'd UTF-8 strings */
  size_t n;
  /* Why the list ended early, a static string: "budget" (the pattern's
   * steps for this body ran out), "match limit", "depth limit", "heap limit",
   * "error" (another PCRE2 failure) or "cancelled"; NULL when whole. */
  const char *cut;
};

/* What extract_run() found in one body. Owned by whoever passed it to
 * extract_run(), released with extract_result_free(). */
struct extract_result {
  char *title;   /* --title: collapsed text; NULL when the page has none */
  char **links;  /* --links: absolute http(s) URLs, unique, in order */
  size_t nlinks; /* entries of "links" */
  bool tree;     /* libxml2's tree was built (for -x, or the title and
                    links where the one-pass scan declined) */
  struct extract_values *values; /* one per spec item, same order */
  size_t nvalues;                /* the spec's "nitems" */
  bool cancelled; /* extract_run_until()'s stop cut something short */
};

/* Make "spec" empty (nothing to extract). Also initialises libxml2 (once
 * per process is enough, more is harmless): call it on the main thread
 * before any extract_run() on another. */
void extract_spec_init(struct extract_spec *spec);

/* Add -x/--xpath "name_eq_expr" ("NAME=EXPR") to "spec". NAME is one or
 * more of [A-Za-z0-9_-], not used by another item; EXPR is XPath 1.0,
 * checked by compiling it and by evaluating it once on a small page (an
 * unknown function or variable shows only then). Returns 0, or -1 with
 * "err" holding one line that starts "--xpath: " and quotes the argument;
 * "spec" is then unchanged. */
int extract_spec_add_xpath(struct extract_spec *spec, const char *name_eq_expr,
                           char err[VL_ERRLEN]);

/* Add -e/--regex "name_eq_pattern" ("NAME=PATTERN", PCRE2 syntax, UTF and
 * Unicode-property mode) to "spec"; NAME as for extract_spec_add_xpath().
 * Returns 0, or -1 with "err" holding "--regex: ..." and PCRE2's message
 * with the offset in the pattern; "spec" is then unchanged. */
int extract_spec_add_regex(struct extract_spec *spec,
                           const char *name_eq_pattern, char err[VL_ERRLEN]);

struct config;

/* Fill the empty "spec" from "cfg": --title, --links (implied by
 * --page-requisites and --crawl, which follows the links of each page),
 * --page-requisites, and each -x and -e compiled in order. Returns 0, or
 * -1 with "err" filled as extract_spec_add_xpath() and _regex() do. */
int extract_spec_configure(struct extract_spec *spec, const struct config *cfg,
                           char err[VL_ERRLEN]);

/* The NAME of the "i"th -x or -e item of "spec" (i < spec->nitems): the
 * key of its values under "extract" in a record. */
const char *extract_spec_item_name(const struct extract_spec *spec, size_t i);

/* Whether "spec" asks for anything, i.e. bodies must be kept for it. */
bool extract_spec_active(const struct extract_spec *spec);

/* Release what "spec" holds; it is empty after. */
void extract_spec_free(struct extract_spec *spec);

/* Run "spec" over one body: "len" bytes of "body" (NULL when "len" is 0),
 * served as "content_type" (the Content-Type header or NULL) from "url"
 * (the final URL, which relative links resolve against; NULL: only
 * absolute links count). Fills "res", which need not be initialised and
 * which the caller releases with extract_result_free().
 *
 * A body is HTML when its type is text/html or application/xhtml+xml, or
 * when the type is missing or unknown and the body starts like HTML (the
 * WHATWG sniffing patterns). HTML is decoded by the Content-Type charset,
 * else the page's own BOM or <meta> charset, else as UTF-8; broken HTML
 * gives what libxml2's parser recovers, whether the scan or the tree
 * reads it. The title is the text of the first <title> outside <svg>,
 * white space collapsed. The links are the navigational ones: <a> and
 * <area> href, <frame> and <iframe> src; with "requisites" also <img> and
 * <script> src, <link> href, and the url() and @import targets of <style>
 * elements and style attributes, each in its element's place (the
 * attribute's after the element's own link). They resolve against
 * "url" and the first <base href>; only http(s) ones count, fragments
 * dropped, each once, in document order. With "requisites" a text/css
 * body gives its url() and @import targets as links, resolved against
 * "url". Any other body gives no title, no links and empty XPath arrays.
 * Regexes run over every body, decoded to UTF-8 by its BOM, else the
 * Content-Type charset, else read as UTF-8; each byte that is not valid
 * UTF-8 is read as U+FFFD.
 *
 * Holds no state between calls and writes nothing shared: calls with the
 * same "spec" may run concurrently. Returns 0 (memory exhaustion aborts
 * in xmalloc(); nothing else fails). */
int extract_run(const struct extract_spec *spec, const char *body, size_t len,
                const char *content_type, const char *url,
                struct extract_result *res);

/* What --title and --links find in an HTML body from libxml2's tree, as
 * htmlscan_run() finds it in one pass: the same "what", the same
 * "res" (see htmlscan.h; "res" need not be initialised). For the tests
 * that compare the two (tests/htmlcheck, the fuzz harness). */
void extract_html_tree(const char *body, size_t len, const char *charset,
                       unsigned what, struct htmlscan_result *res);

/* extract_run(), stopping early once "*stop" (set from another thread)
 * is true: the HTML parse itself runs to its end, but no XPath or regex
 * starts after that, and a regex running stops within a few thousand
 * steps. Items not run or stopped have "cut" set to "cancelled". "stop"
 * may be NULL. */
int extract_run_until(const struct extract_spec *spec, const char *body,
                      size_t len, const char *content_type, const char *url,
                      const atomic_bool *stop, struct extract_result *res);

/* The NAME of -x/-e item "i" of "spec" (borrowed), or NULL past the
 * end. */
const char *extract_spec_name(const struct extract_spec *spec, size_t i);

/* Release what "res" holds (a zeroed or half-filled "res" is fine); it is
 * zeroed after. */
void extract_result_free(struct extract_result *res);

#endif
