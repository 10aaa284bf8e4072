/* Unit tests of html4.c: each table against the libxml2 volley is built
 * with, through libxml2's public lookups (htmlTagLookup(),
 * htmlAutoCloseTag(), htmlEntityLookup() and htmlEntityValueLookup()) and,
 * where none exists, through what its parser builds. One row per case. */
#include "config.h"

#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>

#include "html4.h"
#include "tap.h"

static int names_sorted_and_found(char *why)
{
  int t;

  for (t = 0; t < HTML4_OTHER; t++) {
    const char *name = html4_name((enum html4_tag)t);

    CHECK(name != NULL);
    CHECK_INT(html4_tag(name, strlen(name)), t);
    if (t > 0)
      CHECK(strcmp(html4_name((enum html4_tag)(t - 1)), name) < 0);
  }
  CHECK_INT(html4_tag("svg", 3), HTML4_OTHER);
  CHECK_INT(html4_tag("divx", 4), HTML4_OTHER);
  CHECK_INT(html4_tag("di", 2), HTML4_OTHER);
  CHECK_INT(html4_tag("Div", 3), HTML4_OTHER); /* names come lower-cased */
  CHECK_INT(html4_tag("", 0), HTML4_OTHER);
  CHECK_INT(html4_tag("div", 3), HTML4_DIV);
  CHECK(html4_name(HTML4_OTHER) == NULL);
  return 0;
}

/* Every name libxml2 knows is ours and empty where libxml2's is; listing
 * and xmp are ours only for the auto-close rules. */
static int tags_match_libxml2(char *why)
{
  int t;

  for (t = 0; t < HTML4_OTHER; t++) {
    const char *name = html4_name((enum html4_tag)t);
    const htmlElemDesc *d = htmlTagLookup((const xmlChar *)name);

    if (t == HTML4_LISTING || t == HTML4_XMP) {
      CHECK(d == NULL);
      CHECK(!html4_empty((enum html4_tag)t));
      continue;
    }
    CHECK(d != NULL);
    if ((d->empty != 0) != html4_empty((enum html4_tag)t))
      return tap_fail(why, __FILE__, __LINE__, "<%s>: empty differs", name);
  }
  return 0;
}

/* Pairs of different names: htmlAutoCloseTag(doc, OLD, node NEW) is
 * libxml2's htmlCheckAutoClose(NEW, OLD). */
static int closes_match_libxml2(char *why)
{
  int o, t, n = 0;

  for (t = 0; t < HTML4_OTHER; t++) {
    xmlNode *node = xmlNewNode(NULL, (const xmlChar *)html4_name(t));

    for (o = 0; o < HTML4_OTHER; o++) {
      bool lib;

      if (o == t)
        continue;
      lib = htmlAutoCloseTag(NULL, (const xmlChar *)html4_name(o), node);
      if (lib != html4_closes((enum html4_tag)o, (enum html4_tag)t)) {
        xmlFreeNode(node);
        return tap_fail(why, __FILE__, __LINE__, "<%s> closing <%s> differs",
                        html4_name(t), html4_name(o));
      }
      n += lib;
    }
    xmlFreeNode(node);
  }
  /* The unknown never close or get closed. */
  CHECK(!html4_closes(HTML4_OTHER, HTML4_P));
  CHECK(!html4_closes(HTML4_P, HTML4_OTHER));
  CHECK(n > 200);
  return 0;
}

/* A start tag closing an element of its own name: what libxml2's parser
 * builds from "<X>a<X>b" in a <div>, for the tags that hold text. */
static int closes_own_name_match_libxml2(char *why)
{
  int t;

  for (t = 0; t < HTML4_OTHER; t++) {
    const char *name = html4_name((enum html4_tag)t);
    char page[256];
    htmlDocPtr doc;
    xmlNode *n, *first = NULL;
    bool sibling;

    if (html4_empty((enum html4_tag)t) || t == HTML4_HTML || t == HTML4_HEAD ||
        t == HTML4_BODY || t == HTML4_SCRIPT || t == HTML4_STYLE ||
        t == HTML4_TITLE || t == HTML4_FRAMESET || t == HTML4_NOFRAMES ||
        t == HTML4_META)
      continue;
    snprintf(page, sizeof(page), "<html><body><div><%s>a<%s>b</div>", name,
             name);
    doc = htmlReadMemory(page, (int)strlen(page), NULL, "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                             HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
    CHECK(doc != NULL);
    for (n = xmlDocGetRootElement(doc); n;
         n = n->children ? n->children : n->next) {
      if (n->type == XML_ELEMENT_NODE &&
          strcmp((const char *)n->name, name) == 0) {
        first = n;
        break;
      }
    }
    if (!first) {
      /* Closed by the <div> before it opened: nothing to learn. */
      xmlFreeDoc(doc);
      continue;
    }
    sibling = true;
    for (n = first->children; n; n = n->next)
      if (n->type == XML_ELEMENT_NODE &&
          strcmp((const char *)n->name, name) == 0)
        sibling = false;
    xmlFreeDoc(doc);
    if (sibling != html4_closes((enum html4_tag)t, (enum html4_tag)t))
      return tap_fail(why, __FILE__, __LINE__, "<%s> closing <%s> differs",
                      name, name);
  }
  return 0;
}

static int priorities(char *why)
{
  CHECK_INT(html4_priority(HTML4_DIV), 150);
  CHECK_INT(html4_priority(HTML4_TD), 160);
  CHECK_INT(html4_priority(HTML4_TH), 160);
  CHECK_INT(html4_priority(HTML4_TR), 170);
  CHECK_INT(html4_priority(HTML4_TBODY), 180);
  CHECK_INT(html4_priority(HTML4_TABLE), 190);
  CHECK_INT(html4_priority(HTML4_BODY), 200);
  CHECK_INT(html4_priority(HTML4_HTML), 220);
  CHECK_INT(html4_priority(HTML4_P), 100);
  CHECK_INT(html4_priority(HTML4_OTHER), 100);
  return 0;
}

/* Ours and libxml2's entities are one set: each of ours is libxml2's with
 * its value, and every name libxml2 gives for a code point is ours. */
static int entities_match_libxml2(char *why)
{
  unsigned v, n = 0;

  for (v = 1; v < 0x10000; v++) {
    const htmlEntityDesc *e = htmlEntityValueLookup(v);
    const char *name;

    if (!e)
      continue;
    name = (const char *)e->name;
    n++;
    if (html4_entity(name, strlen(name)) != v)
      return tap_fail(why, __FILE__, __LINE__, "&%s; differs", name);
    e = htmlEntityLookup((const xmlChar *)name);
    CHECK(e != NULL && e->value == v);
  }
  CHECK_UINT(n, 253);
  CHECK_UINT(html4_entity("amp", 3), '&');
  CHECK_UINT(html4_entity("AMP", 3), 0); /* case matters */
  CHECK_UINT(html4_entity("apos", 4), '\'');
  CHECK_UINT(html4_entity("ampx", 4), 0);
  CHECK_UINT(html4_entity("am", 2), 0);
  CHECK_UINT(html4_entity("", 0), 0);
  CHECK_UINT(html4_entity("thetasymxxxxxxxxxxxxx", 21), 0);
  return 0;
}

static const struct tap_case cases[] = {
  { "tag names: sorted, each found, others not", names_sorted_and_found },
  { "tags: libxml2's elements, empty where libxml2's are",
    tags_match_libxml2 },
  { "auto-close: the pairs of libxml2's htmlCheckAutoClose()",
    closes_match_libxml2 },
  { "auto-close: a tag closing its own name, as libxml2 parses",
    closes_own_name_match_libxml2 },
  { "end-tag priorities", priorities },
  { "entities: the 253 of libxml2, case-sensitive", entities_match_libxml2 },
};

int main(void)
{
  xmlInitParser();
  return tap_run(cases, TAP_COUNT(cases));
}
