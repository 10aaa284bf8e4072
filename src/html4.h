/* HTML 4 as libxml2 2.9.14's HTML parser knows it: its elements, which
 * start tags close which open elements, the priorities of end tags, and
 * its entities. The facts htmlscan.c needs to parse as libxml2 does;
 * tests/unit/test-html4.c checks each one against the libxml2 that volley
 * is built with. Pure. */
#ifndef VOLLEY_HTML4_H
#define VOLLEY_HTML4_H

#include <stdbool.h>
#include <stddef.h>

/* Every element name libxml2 knows, in byte order, the two more its
 * auto-close rules name (listing, xmp), and HTML4_OTHER for the rest. */
enum html4_tag {
  HTML4_A,
  HTML4_ABBR,
  HTML4_ACRONYM,
  HTML4_ADDRESS,
  HTML4_APPLET,
  HTML4_AREA,
  HTML4_B,
  HTML4_BASE,
  HTML4_BASEFONT,
  HTML4_BDO,
  HTML4_BIG,
  HTML4_BLOCKQUOTE,
  HTML4_BODY,
  HTML4_BR,
  HTML4_BUTTON,
  HTML4_CAPTION,
  HTML4_CENTER,
  HTML4_CITE,
  HTML4_CODE,
  HTML4_COL,
  HTML4_COLGROUP,
  HTML4_DD,
  HTML4_DEL,
  HTML4_DFN,
  HTML4_DIR,
  HTML4_DIV,
  HTML4_DL,
  HTML4_DT,
  HTML4_EM,
  HTML4_EMBED,
  HTML4_FIELDSET,
  HTML4_FONT,
  HTML4_FORM,
  HTML4_FRAME,
  HTML4_FRAMESET,
  HTML4_H1,
  HTML4_H2,
  HTML4_H3,
  HTML4_H4,
  HTML4_H5,
  HTML4_H6,
  HTML4_HEAD,
  HTML4_HR,
  HTML4_HTML,
  HTML4_I,
  HTML4_IFRAME,
  HTML4_IMG,
  HTML4_INPUT,
  HTML4_INS,
  HTML4_ISINDEX,
  HTML4_KBD,
  HTML4_LABEL,
  HTML4_LEGEND,
  HTML4_LI,
  HTML4_LINK,
  HTML4_LISTING,
  HTML4_MAP,
  HTML4_MENU,
  HTML4_META,
  HTML4_NOFRAMES,
  HTML4_NOSCRIPT,
  HTML4_OBJECT,
  HTML4_OL,
  HTML4_OPTGROUP,
  HTML4_OPTION,
  HTML4_P,
  HTML4_PARAM,
  HTML4_PRE,
  HTML4_Q,
  HTML4_S,
  HTML4_SAMP,
  HTML4_SCRIPT,
  HTML4_SELECT,
  HTML4_SMALL,
  HTML4_SPAN,
  HTML4_STRIKE,
  HTML4_STRONG,
  HTML4_STYLE,
  HTML4_SUB,
  HTML4_SUP,
  HTML4_TABLE,
  HTML4_TBODY,
  HTML4_TD,
  HTML4_TEXTAREA,
  HTML4_TFOOT,
  HTML4_TH,
  HTML4_THEAD,
  HTML4_TITLE,
  HTML4_TR,
  HTML4_TT,
  HTML4_U,
  HTML4_UL,
  HTML4_VAR,
  HTML4_XMP,
  HTML4_OTHER
};

/* The tag named "name" ("len" bytes, lower case), or HTML4_OTHER. */
enum html4_tag html4_tag(const char *name, size_t len);

/* The name of "tag" (NULL for HTML4_OTHER). */
const char *html4_name(enum html4_tag tag);

/* Whether "tag" is empty: libxml2 closes it as soon as it opens. */
bool html4_empty(enum html4_tag tag);

/* The priority of an end tag or open element "tag": an end tag closes
 * the elements above its own only if none has a higher one. */
int html4_priority(enum html4_tag tag);

/* Whether a start tag "tag" closes the innermost open element "open"
 * (libxml2's htmlCheckAutoClose()). */
bool html4_closes(enum html4_tag open, enum html4_tag tag);

/* The code point of the entity "name" ("len" bytes, case matters), or 0
 * when libxml2 does not know it. */
unsigned html4_entity(const char *name, size_t len);

#endif
