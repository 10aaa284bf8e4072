/* Extraction from response bodies: the title, the links, XPath 1.0 over
 * libxml2's HTML tree and PCRE2 regexes over the text. Owns the compiled
 * spec (read-only once built) and each call's document, contexts and match
 * data, so calls may run on several threads at once. Fetches nothing and
 * prints nothing: libxml2's own error printing is muted around each call.
 * Pure. */
#include "config.h"

#include "extract.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "bodytext.h"
#include "cli.h"
#include "cssscan.h"
#include "htmlscan.h"
#include "record.h"
#include "urlnorm.h"
#include "util.h"

/* Bound on PCRE2's backtracking per start position (its default is ten
 * million): one start position gives up in milliseconds. The whole body's
 * work is bounded by the step budget (extract.h) on top. */
#define EXTRACT_MATCH_LIMIT 1000000

#define HTML_OPTIONS                                                          \
  (HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |           \
   HTML_PARSE_NONET)

enum extract_kind { EXTRACT_XPATH, EXTRACT_REGEX };

struct extract_item {
  enum extract_kind kind;
  char *name;                /* [A-Za-z0-9_-]+, unique in the spec */
  char *expr;                /* the XPath or the pattern as given */
  pcre2_code *re;            /* EXTRACT_REGEX: compiled, shared read-only */
  pcre2_match_context *mctx; /* EXTRACT_REGEX: the match limit */
  uint32_t ncaptures;        /* EXTRACT_REGEX: capture groups */
};

/* libxml2's thread-local generic error handler, muted for one call. Some
 * of its errors ignore the parser's NOERROR and the XPath context's own
 * handler ("xmlXPathCompOpEval: function foo not found", transcoding
 * failures) and would otherwise land on stderr from a pool thread. */
struct mute {
  xmlGenericErrorFunc func;
  void *ctx;
};

static void mute_cb(void *ctx, const char *msg, ...)
{
  (void)ctx;
  (void)msg;
}

static void mute_start(struct mute *m)
{
  m->func = xmlGenericError;
  m->ctx = xmlGenericErrorContext;
  xmlSetGenericErrorFunc(NULL, mute_cb);
}

static void mute_stop(const struct mute *m)
{
  xmlSetGenericErrorFunc(m->ctx, m->func);
}

/* Where XPath errors go instead: the code and offset of the last one, for
 * extract_spec_add_xpath()'s message. */
struct xpath_error {
  int code; /* an XML_XPATH_* code; 0: none */
  int offset;
};

static void xpath_error_cb(void *ud, xmlErrorPtr e)
{
  struct xpath_error *xe = ud;

  if (xe && e) {
    xe->code = e->code;
    xe->offset = e->int1;
  }
}

/* libxml2 2.9 leaves the message of an XPath error out of the xmlError it
 * passes; its own table is static, so here is ours. */
static const char *xpath_error_text(int code)
{
  switch (code) {
  case XML_XPATH_NUMBER_ERROR:
    return "bad number";
  case XML_XPATH_UNFINISHED_LITERAL_ERROR:
    return "unfinished literal";
  case XML_XPATH_START_LITERAL_ERROR:
    return "expected a literal";
  case XML_XPATH_VARIABLE_REF_ERROR:
    return "expected $ for a variable";
  case XML_XPATH_UNDEF_VARIABLE_ERROR:
    return "undefined variable";
  case XML_XPATH_INVALID_PREDICATE_ERROR:
    return "invalid predicate";
  case XML_XPATH_EXPR_ERROR:
    return "invalid expression";
  case XML_XPATH_UNCLOSED_ERROR:
    return "missing closing brace";
  case XML_XPATH_UNKNOWN_FUNC_ERROR:
    return "unknown function";
  case XML_XPATH_INVALID_OPERAND:
    return "invalid operand";
  case XML_XPATH_INVALID_TYPE:
    return "invalid type";
  case XML_XPATH_INVALID_ARITY:
    return "wrong number of arguments";
  case XML_XPATH_UNDEF_PREFIX_ERROR:
    return "undefined namespace prefix";
  case XML_XPATH_ENCODING_ERROR:
    return "encoding error";
  case XML_XPATH_INVALID_CHAR_ERROR:
    return "character out of range";
  default:
    return "invalid expression";
  }
}

/* PCRE2 allocates through these, so that running out of memory stops the
 * way it does everywhere else (in xmalloc()). */
static void *pcre_alloc_cb(size_t n, void *ud)
{
  (void)ud;
  return xmalloc(n);
}

static void pcre_free_cb(void *p, void *ud)
{
  (void)ud;
  free(p);
}

/* Grow an array of "n" elements of "size" bytes so that one more fits:
 * capacity is the next power of two, so no separate count is kept. */
static void *grow(void *v, size_t n, size_t size)
{
  if (n == 0 || (n & (n - 1)) == 0)
    return xrealloc(v, (n ? 2 * n : 1) * size);
  return v;
}

static void values_push(struct extract_values *vals, char *s)
{
  vals->v = grow(vals->v, vals->n, sizeof(*vals->v));
  vals->v[vals->n++] = s;
}

static void values_free(struct extract_values *vals)
{
  size_t i;

  for (i = 0; i < vals->n; i++)
    free(vals->v[i]);
  free(vals->v);
  vals->v = NULL;
  vals->n = 0;
}

/* --- The spec ---------------------------------------------------------- */

void extract_spec_init(struct extract_spec *spec)
{
  memset(spec, 0, sizeof(*spec));
  /* libxml2 sets up its tables here; doing it first on the main thread
   * keeps two pool threads from racing to do it. */
  xmlInitParser();
}

int extract_spec_configure(struct extract_spec *spec, const struct config *cfg,
                           char err[VL_ERRLEN])
{
  size_t i;

  spec->title = cfg->title;
  spec->links = cfg->links || cfg->page_requisites || cfg->crawl;
  spec->requisites = cfg->page_requisites;
  for (i = 0; i < cfg->nxpaths; i++)
    if (extract_spec_add_xpath(spec, cfg->xpaths[i], err) < 0)
      return -1;
  for (i = 0; i < cfg->nregexes; i++)
    if (extract_spec_add_regex(spec, cfg->regexes[i], err) < 0)
      return -1;
  return 0;
}

const char *extract_spec_item_name(const struct extract_spec *spec, size_t i)
{
  return spec->items[i].name;
}

bool extract_spec_active(const struct extract_spec *spec)
{
  return spec->title || spec->links || spec->nitems > 0;
}

static void item_free(struct extract_item *it)
{
  free(it->name);
  free(it->expr);
  pcre2_code_free(it->re);
  pcre2_match_context_free(it->mctx);
  memset(it, 0, sizeof(*it));
}

void extract_spec_free(struct extract_spec *spec)
{
  size_t i;

  for (i = 0; i < spec->nitems; i++)
    item_free(&spec->items[i]);
  free(spec->items);
  memset(spec, 0, sizeof(*spec));
}

/* Split "arg" ("NAME=EXPR") for option "opt", checking the name. Returns
 * 0 with "*name" malloc'd and "*expr" pointing into "arg", or -1. */
static int split_arg(const struct extract_spec *spec, const char *opt,
                     const char *arg, char **name, const char **expr,
                     char err[VL_ERRLEN])
{
  const char *eq = strchr(arg, '=');
  size_t n, i;

  if (!eq || eq == arg || !eq[1]) {
    snprintf(err, VL_ERRLEN, "--%s: '%s' is not of the form NAME=%s", opt, arg,
             strcmp(opt, "regex") == 0 ? "PATTERN" : "EXPR");
    return -1;
  }
  n = (size_t)(eq - arg);
  for (i = 0; i < n; i++) {
    char c = arg[i];

    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      snprintf(err, VL_ERRLEN,
               "--%s: '%s': a name holds only letters, digits, '_' and '-'",
               opt, arg);
      return -1;
    }
  }
  for (i = 0; i < spec->nitems; i++) {
    if (strlen(spec->items[i].name) == n &&
        memcmp(spec->items[i].name, arg, n) == 0) {
      snprintf(err, VL_ERRLEN, "--%s: '%s': the name '%.*s' is used twice",
               opt, arg, (int)n, arg);
      return -1;
    }
  }
  *name = xstrndup(arg, n);
  *expr = eq + 1;
  return 0;
}

static void spec_push(struct extract_spec *spec, const struct extract_item *it)
{
  spec->items = grow(spec->items, spec->nitems, sizeof(*spec->items));
  spec->items[spec->nitems++] = *it;
}

/* A small page to evaluate each new XPath on once: libxml2 finds unknown
 * functions and variables, and type errors, only when it evaluates. */
static const char probe_html[] =
    "<html><head><title>t</title><base href=\"http://x/\"></head>"
    "<body><p id=\"p\" class=\"c\">t<a href=\"a\">a</a></p></body></html>";

/* Compile "expr" and evaluate it on "doc" with errors into "xe". Returns
 * the result (the caller frees it with xmlXPathFreeObject()) or NULL. */
static xmlXPathObject *xpath_eval(const char *expr, xmlDoc *doc,
                                  struct xpath_error *xe)
{
  xmlXPathContext *ctx = xmlXPathNewContext(doc);
  xmlXPathCompExpr *comp = NULL;
  xmlXPathObject *obj = NULL;

  if (!ctx)
    return NULL;
  ctx->error = xpath_error_cb;
  ctx->userData = xe;
  /* Relative paths ("title", "count(//a)") start at the document. */
  ctx->node = (xmlNode *)doc;
  comp = xmlXPathCtxtCompile(ctx, (const xmlChar *)expr);
  if (comp)
    obj = xmlXPathCompiledEval(comp, ctx);
  xmlXPathFreeCompExpr(comp);
  xmlXPathFreeContext(ctx);
  return obj;
}

int extract_spec_add_xpath(struct extract_spec *spec, const char *name_eq_expr,
                           char err[VL_ERRLEN])
{
  struct extract_item it = { EXTRACT_XPATH, NULL, NULL, NULL, NULL, 0 };
  struct xpath_error xe = { 0, -1 };
  const char *expr;
  xmlXPathObject *obj;
  xmlDoc *doc;
  struct mute m;

  if (split_arg(spec, "xpath", name_eq_expr, &it.name, &expr, err) < 0)
    return -1;
  mute_start(&m);
  doc = htmlReadMemory(probe_html, (int)sizeof(probe_html) - 1, NULL, "UTF-8",
                       HTML_OPTIONS);
  obj = doc ? xpath_eval(expr, doc, &xe) : NULL;
  mute_stop(&m);
  if (!obj) {
    if (xe.code != 0 && xe.offset >= 0 &&
        xe.code != XML_XPATH_UNKNOWN_FUNC_ERROR &&
        xe.code != XML_XPATH_UNDEF_VARIABLE_ERROR)
      snprintf(err, VL_ERRLEN, "--xpath: '%s': %s at offset %d", name_eq_expr,
               xpath_error_text(xe.code), xe.offset);
    else
      snprintf(err, VL_ERRLEN, "--xpath: '%s': %s", name_eq_expr,
               xpath_error_text(xe.code));
    xmlFreeDoc(doc);
    free(it.name);
    return -1;
  }
  xmlXPathFreeObject(obj);
  xmlFreeDoc(doc);
  it.expr = xstrdup(expr);
  spec_push(spec, &it);
  return 0;
}

int extract_spec_add_regex(struct extract_spec *spec,
                           const char *name_eq_pattern, char err[VL_ERRLEN])
{
  struct extract_item it = { EXTRACT_REGEX, NULL, NULL, NULL, NULL, 0 };
  pcre2_general_context *gctx = NULL;
  pcre2_compile_context *cctx = NULL;
  const char *pattern;
  PCRE2_UCHAR msg[160];
  PCRE2_SIZE offset = 0;
  int code = 0;

  if (split_arg(spec, "regex", name_eq_pattern, &it.name, &pattern, err) < 0)
    return -1;
  gctx = pcre2_general_context_create(pcre_alloc_cb, pcre_free_cb, NULL);
  cctx = pcre2_compile_context_create(gctx);
  it.mctx = pcre2_match_context_create(gctx);
  if (!gctx || !cctx || !it.mctx)
    abort(); /* Unreachable: the allocator is xmalloc(). */
  pcre2_set_match_limit(it.mctx, EXTRACT_MATCH_LIMIT);
  pcre2_set_depth_limit(it.mctx, EXTRACT_DEPTH_LIMIT);
  pcre2_set_heap_limit(it.mctx, EXTRACT_HEAP_LIMIT_KIB);
  /* Not PCRE2_MATCH_INVALID_UTF: with it pcre2_match() checks the subject
   * from the start offset to the end on every call, whatever
   * PCRE2_NO_UTF_CHECK says, which made 18,000 matches over 2 MiB take 33
   * seconds. run_regex() gets text made valid first instead. */
  /* PCRE2_AUTO_CALLOUT calls step_cb() before each item is tried: the
   * only way to count the work of a whole pcre2_match() call, whose own
   * limit restarts at each start position. It costs 1.2 to 1.5 times the
   * matching time of plain patterns. */
  it.re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                        PCRE2_UTF | PCRE2_UCP | PCRE2_AUTO_CALLOUT, &code,
                        &offset, cctx);
  pcre2_compile_context_free(cctx);
  pcre2_general_context_free(gctx);
  if (!it.re) {
    if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
      snprintf((char *)msg, sizeof(msg), "error %d", code);
    snprintf(err, VL_ERRLEN, "--regex: '%s': %s at offset %zu",
             name_eq_pattern, (const char *)msg, (size_t)offset);
    item_free(&it);
    return -1;
  }
  (void)pcre2_pattern_info(it.re, PCRE2_INFO_CAPTURECOUNT, &it.ncaptures);
  it.expr = xstrdup(pattern);
  spec_push(spec, &it);
  return 0;
}

/* --- The HTML tree ----------------------------------------------------- */

/* The next node after "n" in document order, entering elements only. */
static xmlNode *next_node(xmlNode *n)
{
  if (n->type == XML_ELEMENT_NODE && n->children)
    return n->children;
  while (n) {
    if (n->next)
      return n->next;
    n = n->parent;
  }
  return NULL;
}

static bool name_is(const xmlNode *n, const char *name)
{
  /* The HTML parser lower-cases element names. */
  return strcmp((const char *)n->name, name) == 0;
}

static bool in_svg(const xmlNode *n)
{
  for (n = n->parent; n && n->type == XML_ELEMENT_NODE; n = n->parent)
    if (name_is(n, "svg"))
      return true;
  return false;
}

/* Add the attribute "attr" of "n", when it has one, as a "kind"
 * reference (libxml2 gives "" for an attribute without a value). */
static void add_attr(struct htmlscan_result *h, xmlNode *n, const char *attr,
                     enum htmlscan_kind kind)
{
  xmlChar *v = xmlGetProp(n, (const xmlChar *)attr);

  if (v)
    htmlscan_result_add(h, (const char *)v, kind);
  xmlFree(v);
}

/* What htmlscan_run() finds, from the tree: one walk in document order,
 * the same rules (htmlscan.c's start_element()). */
static void walk_tree(xmlDoc *doc, unsigned what, struct htmlscan_result *h)
{
  bool links = what & HTMLSCAN_LINKS;
  bool req = links && (what & HTMLSCAN_REQUISITES);
  xmlNode *n;

  for (n = doc->children; n; n = next_node(n)) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if ((what & HTMLSCAN_TITLE) && !h->title && name_is(n, "title") &&
        !in_svg(n)) {
      xmlChar *c = xmlNodeGetContent(n);

      h->title = xstrdup(c ? (const char *)c : "");
      xmlFree(c);
      if (!links)
        break; /* all that --title wants */
    }
    if (name_is(n, "base") && !h->base) {
      xmlChar *v = xmlGetProp(n, (const xmlChar *)"href");

      if (v)
        h->base = xstrdup((const char *)v);
      xmlFree(v);
    } else if (!links) {
      continue;
    } else if (name_is(n, "a") || name_is(n, "area")) {
      add_attr(h, n, "href", HTMLSCAN_NAV);
    } else if (name_is(n, "frame") || name_is(n, "iframe")) {
      add_attr(h, n, "src", HTMLSCAN_NAV);
    } else if (req && (name_is(n, "img") || name_is(n, "script"))) {
      add_attr(h, n, "src", HTMLSCAN_REQ);
    } else if (req && name_is(n, "link")) {
      add_attr(h, n, "href", HTMLSCAN_REQ);
    }
    if (req)
      add_attr(h, n, "style", HTMLSCAN_CSS);
    if (req && name_is(n, "style")) {
      xmlChar *c = xmlNodeGetContent(n);

      htmlscan_result_add(h, c ? (const char *)c : "", HTMLSCAN_CSS);
      xmlFree(c);
    }
  }
}

static xmlDoc *read_html(const char *body, size_t len, const char *url,
                         const char *charset)
{
  /* The header's charset wins, as in browsers; without one libxml2
   * reads a BOM or <meta charset>, else UTF-8. An unknown charset name
   * is ignored by libxml2. libxml2 takes an int length. */
  return htmlReadMemory(body, len > INT_MAX ? INT_MAX : (int)len, url,
                        charset && charset[0] ? charset : NULL, HTML_OPTIONS);
}

void extract_html_tree(const char *body, size_t len, const char *charset,
                       unsigned what, struct htmlscan_result *res)
{
  xmlDoc *doc;
  struct mute m;

  memset(res, 0, sizeof(*res));
  mute_start(&m);
  doc = len > 0 ? read_html(body, len, NULL, charset) : NULL;
  if (doc)
    walk_tree(doc, what, res);
  xmlFreeDoc(doc);
  mute_stop(&m);
}

/* "s" with runs of ASCII whitespace made one space, trimmed; malloc'd. */
static char *collapse(const char *s)
{
  char *out = xmalloc(strlen(s) + 1), *o = out;
  bool space = false;

  for (; *s; s++) {
    if (bodytext_space((unsigned char)*s)) {
      space = o != out;
      continue;
    }
    if (space)
      *o++ = ' ';
    space = false;
    *o++ = *s;
  }
  *o = '\0';
  return out;
}

/* A set of strings by index into the links array, for de-duplication in
 * one pass: slots hold index + 1, 0 is empty; at most half full. */
struct linkset {
  size_t *slots;
  size_t cap; /* a power of two, or 0 */
};

static uint64_t hash_str(const char *s)
{
  uint64_t h = 14695981039346656037ULL; /* FNV-1a */

  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

/* Add links[i] unless an equal string is there; returns false if so. */
static bool linkset_add(struct linkset *set, char **links, size_t i)
{
  size_t mask, j;

  if ((i + 1) * 2 > set->cap) {
    size_t old = set->cap, *slots = set->slots, k;

    set->cap = old ? old * 2 : 64;
    set->slots = xcalloc(set->cap, sizeof(*set->slots));
    for (k = 0; k < old; k++) {
      if (!slots[k])
        continue;
      j = hash_str(links[slots[k] - 1]) & (set->cap - 1);
      while (set->slots[j])
        j = (j + 1) & (set->cap - 1);
      set->slots[j] = slots[k];
    }
    free(slots);
  }
  mask = set->cap - 1;
  for (j = hash_str(links[i]) & mask; set->slots[j]; j = (j + 1) & mask)
    if (strcmp(links[set->slots[j] - 1], links[i]) == 0)
      return false;
  set->slots[j] = i + 1;
  return true;
}

/* The links of one body being collected: resolved against "base",
 * unique, in order. Resolving is the dear part (libcurl's URL API), and a
 * page names the same targets many times (the Python documentation: 23,000
 * distinct of 164,000), so each reference up to its '#' is resolved once:
 * the fragment is dropped anyway, and the same text gives the same URL. */
struct collect {
  struct extract_result *res;
  struct linkset set; /* over res->links */
  const struct urlnorm_base *base;
  char **refs; /* the references seen, each up to its '#' */
  size_t nrefs;
  struct linkset refset; /* over refs */
};

static void collect_add(struct collect *c, const char *ref)
{
  struct extract_result *res = c->res;
  char *abs;

  c->refs = grow(c->refs, c->nrefs, sizeof(*c->refs));
  c->refs[c->nrefs] = xstrndup(ref, strcspn(ref, "#"));
  if (!linkset_add(&c->refset, c->refs, c->nrefs)) {
    free(c->refs[c->nrefs]);
    return;
  }
  c->nrefs++;
  if (urlnorm_resolve_with(c->base, ref, &abs) < 0)
    return;
  res->links = grow(res->links, res->nlinks, sizeof(*res->links));
  res->links[res->nlinks] = abs;
  if (linkset_add(&c->set, res->links, res->nlinks))
    res->nlinks++;
  else
    free(abs);
}

static void collect_free(struct collect *c)
{
  size_t i;

  for (i = 0; i < c->nrefs; i++)
    free(c->refs[i]);
  free(c->refs);
  free(c->refset.slots);
  free(c->set.slots);
}

static void css_url_cb(const char *url, size_t len, void *ud)
{
  char *ref = xstrndup(url, len);

  collect_add(ud, ref);
  free(ref);
}

/* The record's title and links from what the scan or the tree found. */
static void html_result(const struct extract_spec *spec,
                        const struct htmlscan_result *h, const char *url,
                        struct extract_result *res)
{
  struct urlnorm_base *page, *base = NULL;
  struct collect c = { res, { NULL, 0 }, NULL, NULL, 0, { NULL, 0 } };
  char *abs;
  size_t i;

  if (spec->title && h->title)
    res->title = collapse(h->title);
  if (!spec->links)
    return;
  page = urlnorm_base_new(url);
  /* <base href> is itself relative to the page; one that does not
   * resolve to http(s) is ignored, as browsers do. */
  if (h->base && urlnorm_resolve_with(page, h->base, &abs) == 0) {
    base = urlnorm_base_new(abs);
    free(abs);
  }
  c.base = base ? base : page;
  for (i = 0; i < h->nrefs; i++) {
    const struct htmlscan_ref *r = &h->refs[i];

    if (r->kind == HTMLSCAN_NAV ||
        (spec->requisites && r->kind == HTMLSCAN_REQ))
      collect_add(&c, r->text);
    else if (spec->requisites && r->kind == HTMLSCAN_CSS)
      cssscan_urls(r->text, strlen(r->text), css_url_cb, &c);
  }
  collect_free(&c);
  urlnorm_base_free(base);
  urlnorm_base_free(page);
}

/* --page-requisites on a stylesheet: its url() and @import targets,
 * relative to its own URL. */
static void css_result(const char *body, size_t len, const char *charset,
                       const char *url, struct extract_result *res)
{
  struct urlnorm_base *page = urlnorm_base_new(url);
  struct collect c = { res, { NULL, 0 }, page, NULL, 0, { NULL, 0 } };
  char *owned;
  size_t textlen;
  const char *text = bodytext_utf8(body, len, charset, &owned, &textlen);

  cssscan_urls(text, textlen, css_url_cb, &c);
  free(owned);
  collect_free(&c);
  urlnorm_base_free(page);
}

/* The strings of an XPath result, as --xpath reports them. */
static void xpath_values(xmlXPathObject *obj, struct extract_values *out)
{
  xmlChar *s;
  int i;

  switch (obj->type) {
  case XPATH_NODESET:
    for (i = 0; obj->nodesetval && i < obj->nodesetval->nodeNr; i++) {
      /* Text content for an element, the value for an attribute. */
      s = xmlNodeGetContent(obj->nodesetval->nodeTab[i]);
      values_push(out, xstrdup(s ? (const char *)s : ""));
      xmlFree(s);
    }
    return;
  case XPATH_BOOLEAN:
    values_push(out, xstrdup(obj->boolval ? "true" : "false"));
    return;
  case XPATH_NUMBER:
    /* As string() writes numbers: "3", not "3.0"; "NaN", "Infinity". */
    s = xmlXPathCastNumberToString(obj->floatval);
    break;
  case XPATH_STRING:
    values_push(out,
                xstrdup(obj->stringval ? (const char *)obj->stringval : ""));
    return;
  default:
    s = xmlXPathCastToString(obj);
    break;
  }
  values_push(out, xstrdup(s ? (const char *)s : ""));
  xmlFree(s);
}

static void run_xpath(const struct extract_item *it, xmlDoc *doc,
                      struct extract_values *out)
{
  struct xpath_error xe = { 0, -1 };
  xmlXPathObject *obj;

  /* Compiled again for each call: libxml2 2.9 caches function lookups in
   * the compiled expression while evaluating (op->cache), so one shared
   * compiled form would be written by several threads. Compiling costs
   * microseconds against the milliseconds of parsing. */
  obj = xpath_eval(it->expr, doc, &xe);
  if (!obj)
    return;
  xpath_values(obj, out);
  xmlXPathFreeObject(obj);
}

/* --- Regexes ----------------------------------------------------------- */

/* Past the character at "off": one byte, then any continuation bytes. */
static size_t next_char(const char *s, size_t len, size_t off)
{
  off++;
  while (off < len && ((unsigned char)s[off] & 0xC0) == 0x80)
    off++;
  return off;
}

/* What the regexes of one body may still spend, and who stops them. */
struct budget {
  uint64_t left;           /* steps left */
  const atomic_bool *stop; /* set from another thread, or NULL */
  const char *why;         /* set by step_cb() when it ends a match */
};

/* Steps between two looks at "stop": a relaxed load is cheap, but there
 * is no need to make it on every step. */
#define STOP_EVERY 1024

/* PCRE2's callout, before each pattern item is tried: count the step and
 * end the match when the budget is spent or the caller asks to stop. */
static int step_cb(pcre2_callout_block *cb, void *ud)
{
  struct budget *bg = ud;

  (void)cb;
  if (bg->left == 0) {
    bg->why = "budget";
    return PCRE2_ERROR_CALLOUT;
  }
  bg->left--;
  if (bg->left % STOP_EVERY == 0 && bg->stop &&
      atomic_load_explicit(bg->stop, memory_order_relaxed)) {
    bg->why = "cancelled";
    return PCRE2_ERROR_CALLOUT;
  }
  return 0;
}

/* Why pcre2_match() failed with "rc" (not PCRE2_ERROR_NOMATCH). */
static const char *cut_reason(int rc, const struct budget *bg)
{
  switch (rc) {
  case PCRE2_ERROR_CALLOUT:
    return bg->why ? bg->why : "error";
  case PCRE2_ERROR_MATCHLIMIT:
    return "match limit";
  case PCRE2_ERROR_DEPTHLIMIT:
    return "depth limit";
  case PCRE2_ERROR_HEAPLIMIT:
    return "heap limit";
  default:
    return "error";
  }
}

/* All matches of "it" in "len" bytes of "s", left to right, not
 * overlapping; an empty match is followed by a try for a non-empty one at
 * the same place, then a step of one character (as pcre2demo does, so
 * "x*" cannot loop). The steps come out of "bg"; a limit, the budget or
 * a stop ends the list there, and out->cut says which. */
static void run_regex(const struct extract_item *it, const char *s, size_t len,
                      struct budget *bg, struct extract_values *out)
{
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(it->re, NULL);
  pcre2_match_context *mctx = pcre2_match_context_copy(it->mctx);
  uint32_t group = it->ncaptures > 0 ? 1 : 0, opts = 0;
  /* "s" is valid UTF-8 (see extract_run()): checking it again on each of
   * thousands of calls would make the loop quadratic. */
  const uint32_t base = PCRE2_NO_UTF_CHECK;
  size_t off = 0;

  if (!md || !mctx)
    abort(); /* Unreachable: the pattern allocates with xmalloc(). */
  /* The shared context stays read-only: the budget is this call's. */
  pcre2_set_callout(mctx, step_cb, bg);
  while (off <= len) {
    int rc =
        pcre2_match(it->re, (PCRE2_SPTR)s, len, off, base | opts, md, mctx);
    PCRE2_SIZE *ov;

    if (rc == PCRE2_ERROR_NOMATCH && opts != 0) {
      opts = 0;
      off = next_char(s, len, off);
      continue;
    }
    if (rc == PCRE2_ERROR_NOMATCH)
      break;
    if (rc < 0) {
      out->cut = cut_reason(rc, bg);
      break;
    }
    ov = pcre2_get_ovector_pointer(md);
    if (ov[0] > ov[1])
      break; /* \K in a lookahead: a match ending before it starts. */
    if (ov[2 * group] == PCRE2_UNSET)
      values_push(out, xstrdup("")); /* an optional group that missed */
    else
      values_push(
          out, xstrndup(s + ov[2 * group], ov[2 * group + 1] - ov[2 * group]));
    off = ov[1];
    opts = ov[0] == ov[1] ? PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED : 0;
  }
  pcre2_match_context_free(mctx);
  pcre2_match_data_free(md);
}

static bool stopped(const atomic_bool *stop)
{
  return stop && atomic_load_explicit(stop, memory_order_relaxed);
}

/* --- One body ---------------------------------------------------------- */

/* Item "i" was not run, or not to its end, because of the stop. */
static void cut_cancelled(struct extract_result *res, size_t i)
{
  res->values[i].cut = "cancelled";
  res->cancelled = true;
}

int extract_run(const struct extract_spec *spec, const char *body, size_t len,
                const char *content_type, const char *url,
                struct extract_result *res)
{
  return extract_run_until(spec, body, len, content_type, url, NULL, res);
}

int extract_run_until(const struct extract_spec *spec, const char *body,
                      size_t len, const char *content_type, const char *url,
                      const atomic_bool *stop, struct extract_result *res)
{
  char type[128], charset[64];
  bool html, need_tree = false, need_text = false;
  unsigned what = (spec->title ? HTMLSCAN_TITLE : 0) |
                  (spec->links ? HTMLSCAN_LINKS : 0) |
                  (spec->requisites ? HTMLSCAN_REQUISITES : 0);
  size_t textlen = 0, i;
  xmlDoc *doc = NULL;
  struct mute m;

  memset(res, 0, sizeof(*res));
  if (spec->nitems > 0)
    res->values = xcalloc(spec->nitems, sizeof(*res->values));
  res->nvalues = spec->nitems;
  if (!body)
    len = 0;
  if (stopped(stop)) {
    res->cancelled = true;
    for (i = 0; i < spec->nitems; i++)
      cut_cancelled(res, i);
    return 0;
  }
  for (i = 0; i < spec->nitems; i++) {
    need_tree |= spec->items[i].kind == EXTRACT_XPATH;
    need_text |= spec->items[i].kind == EXTRACT_REGEX;
  }
  bodytext_content_type(content_type, type, sizeof(type), charset,
                        sizeof(charset));
  html = len > 0 && bodytext_is_html(type, body, len);
  mute_start(&m);
  if (html && (need_tree || (what && spec->html == EXTRACT_HTML_TREE)))
    doc = read_html(body, len, url, charset);
  res->tree = doc != NULL;
  if (html && what) {
    struct htmlscan_result h = { NULL, NULL, NULL, 0 };
    /* One pass over the bytes gives what the tree would; where the scan
     * declines (or an -x builds the tree anyway), the tree. */
    bool scanned = !doc && htmlscan_run(body, len, charset, what, &h) == 0;

    if (!scanned && !doc) {
      doc = read_html(body, len, url, charset);
      res->tree = true;
    }
    /* The parse cannot be stopped; what comes after it can. */
    if (stopped(stop)) {
      res->cancelled = true;
    } else {
      if (!scanned && doc)
        walk_tree(doc, what, &h);
      html_result(spec, &h, url, res);
    }
    htmlscan_result_free(&h);
  } else if (spec->links && spec->requisites && len > 0 &&
             strcmp(type, "text/css") == 0) {
    css_result(body, len, charset, url, res);
  }
  for (i = 0; doc && i < spec->nitems; i++) {
    if (spec->items[i].kind != EXTRACT_XPATH)
      continue;
    if (stopped(stop))
      cut_cancelled(res, i);
    else
      run_xpath(&spec->items[i], doc, &res->values[i]);
  }
  xmlFreeDoc(doc);
  if (need_text && len > 0) {
    char *owned;
    const char *s = bodytext_utf8(body, len, charset, &owned, &textlen);

    /* A budget per regex, so that one bad pattern does not starve the
     * others; the body's work is still bounded: that many budgets. */
    for (i = 0; i < spec->nitems; i++) {
      struct budget bg = { 0, stop, NULL };

      if (spec->items[i].kind != EXTRACT_REGEX)
        continue;
      if (stopped(stop)) {
        cut_cancelled(res, i);
        continue;
      }
      bg.left =
          EXTRACT_STEPS_BASE + EXTRACT_STEPS_PER_BYTE * (uint64_t)textlen;
      run_regex(&spec->items[i], s, textlen, &bg, &res->values[i]);
      if (bg.why && strcmp(bg.why, "cancelled") == 0)
        res->cancelled = true;
    }
    free(owned);
  }
  mute_stop(&m);
  return 0;
}

void extract_result_free(struct extract_result *res)
{
  size_t i;

  free(res->title);
  for (i = 0; i < res->nlinks; i++)
    free(res->links[i]);
  free(res->links);
  for (i = 0; res->values && i < res->nvalues; i++)
    values_free(&res->values[i]);
  free(res->values);
  memset(res, 0, sizeof(*res));
}

const char *extract_spec_name(const struct extract_spec *spec, size_t i)
{
  return i < spec->nitems ? spec->items[i].name : NULL;
}
