/* libxml2 2.9.14's HTML 4 tables, as data: element names with their empty
 * flag and end-tag priority, the pairs of (open element, start tag) where
 * the start tag closes the element, and the entity names. Lookups search
 * sorted arrays, or a bit matrix built once (pthread_once()), so any
 * thread may call. Pure. */
#include "config.h"

#include "html4.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define EMPTY 1u

static const struct tagdesc {
  const char *name;
  unsigned char flags;    /* EMPTY */
  unsigned char priority; /* of its end tag; libxml2's default is 100 */
} tags[] = {
  { "a", 0, 100 },
  { "abbr", 0, 100 },
  { "acronym", 0, 100 },
  { "address", 0, 100 },
  { "applet", 0, 100 },
  { "area", EMPTY, 100 },
  { "b", 0, 100 },
  { "base", EMPTY, 100 },
  { "basefont", EMPTY, 100 },
  { "bdo", 0, 100 },
  { "big", 0, 100 },
  { "blockquote", 0, 100 },
  { "body", 0, 200 },
  { "br", EMPTY, 100 },
  { "button", 0, 100 },
  { "caption", 0, 100 },
  { "center", 0, 100 },
  { "cite", 0, 100 },
  { "code", 0, 100 },
  { "col", EMPTY, 100 },
  { "colgroup", 0, 100 },
  { "dd", 0, 100 },
  { "del", 0, 100 },
  { "dfn", 0, 100 },
  { "dir", 0, 100 },
  { "div", 0, 150 },
  { "dl", 0, 100 },
  { "dt", 0, 100 },
  { "em", 0, 100 },
  { "embed", 0, 100 },
  { "fieldset", 0, 100 },
  { "font", 0, 100 },
  { "form", 0, 100 },
  { "frame", EMPTY, 100 },
  { "frameset", 0, 100 },
  { "h1", 0, 100 },
  { "h2", 0, 100 },
  { "h3", 0, 100 },
  { "h4", 0, 100 },
  { "h5", 0, 100 },
  { "h6", 0, 100 },
  { "head", 0, 200 },
  { "hr", EMPTY, 100 },
  { "html", 0, 220 },
  { "i", 0, 100 },
  { "iframe", 0, 100 },
  { "img", EMPTY, 100 },
  { "input", EMPTY, 100 },
  { "ins", 0, 100 },
  { "isindex", EMPTY, 100 },
  { "kbd", 0, 100 },
  { "label", 0, 100 },
  { "legend", 0, 100 },
  { "li", 0, 100 },
  { "link", EMPTY, 100 },
  { "listing", 0, 100 },
  { "map", 0, 100 },
  { "menu", 0, 100 },
  { "meta", EMPTY, 100 },
  { "noframes", 0, 100 },
  { "noscript", 0, 100 },
  { "object", 0, 100 },
  { "ol", 0, 100 },
  { "optgroup", 0, 100 },
  { "option", 0, 100 },
  { "p", 0, 100 },
  { "param", EMPTY, 100 },
  { "pre", 0, 100 },
  { "q", 0, 100 },
  { "s", 0, 100 },
  { "samp", 0, 100 },
  { "script", 0, 100 },
  { "select", 0, 100 },
  { "small", 0, 100 },
  { "span", 0, 100 },
  { "strike", 0, 100 },
  { "strong", 0, 100 },
  { "style", 0, 100 },
  { "sub", 0, 100 },
  { "sup", 0, 100 },
  { "table", 0, 190 },
  { "tbody", 0, 180 },
  { "td", 0, 160 },
  { "textarea", 0, 100 },
  { "tfoot", 0, 180 },
  { "th", 0, 160 },
  { "thead", 0, 180 },
  { "title", 0, 100 },
  { "tr", 0, 170 },
  { "tt", 0, 100 },
  { "u", 0, 100 },
  { "ul", 0, 100 },
  { "var", 0, 100 },
  { "xmp", 0, 100 },
};

/* { open element, start tag }, sorted: the start tag closes the element
 * when that is the innermost one open. */
static const unsigned char closes[][2] = {
  { HTML4_A, HTML4_A },
  { HTML4_A, HTML4_FIELDSET },
  { HTML4_A, HTML4_TABLE },
  { HTML4_A, HTML4_TD },
  { HTML4_A, HTML4_TH },
  { HTML4_ADDRESS, HTML4_DD },
  { HTML4_ADDRESS, HTML4_DL },
  { HTML4_ADDRESS, HTML4_DT },
  { HTML4_ADDRESS, HTML4_FORM },
  { HTML4_ADDRESS, HTML4_LI },
  { HTML4_ADDRESS, HTML4_UL },
  { HTML4_B, HTML4_CENTER },
  { HTML4_B, HTML4_P },
  { HTML4_B, HTML4_TD },
  { HTML4_B, HTML4_TH },
  { HTML4_BIG, HTML4_P },
  { HTML4_CAPTION, HTML4_COL },
  { HTML4_CAPTION, HTML4_COLGROUP },
  { HTML4_CAPTION, HTML4_TBODY },
  { HTML4_CAPTION, HTML4_TFOOT },
  { HTML4_CAPTION, HTML4_THEAD },
  { HTML4_CAPTION, HTML4_TR },
  { HTML4_COL, HTML4_COL },
  { HTML4_COL, HTML4_COLGROUP },
  { HTML4_COL, HTML4_TBODY },
  { HTML4_COL, HTML4_TFOOT },
  { HTML4_COL, HTML4_THEAD },
  { HTML4_COL, HTML4_TR },
  { HTML4_COLGROUP, HTML4_COLGROUP },
  { HTML4_COLGROUP, HTML4_TBODY },
  { HTML4_COLGROUP, HTML4_TFOOT },
  { HTML4_COLGROUP, HTML4_THEAD },
  { HTML4_COLGROUP, HTML4_TR },
  { HTML4_DD, HTML4_DT },
  { HTML4_DIR, HTML4_DD },
  { HTML4_DIR, HTML4_DL },
  { HTML4_DIR, HTML4_DT },
  { HTML4_DIR, HTML4_FORM },
  { HTML4_DIR, HTML4_UL },
  { HTML4_DL, HTML4_FORM },
  { HTML4_DL, HTML4_LI },
  { HTML4_DT, HTML4_DD },
  { HTML4_DT, HTML4_DL },
  { HTML4_FONT, HTML4_CENTER },
  { HTML4_FONT, HTML4_TD },
  { HTML4_FONT, HTML4_TH },
  { HTML4_FORM, HTML4_FORM },
  { HTML4_H1, HTML4_FIELDSET },
  { HTML4_H1, HTML4_FORM },
  { HTML4_H1, HTML4_LI },
  { HTML4_H1, HTML4_P },
  { HTML4_H1, HTML4_TABLE },
  { HTML4_H2, HTML4_FIELDSET },
  { HTML4_H2, HTML4_FORM },
  { HTML4_H2, HTML4_LI },
  { HTML4_H2, HTML4_P },
  { HTML4_H2, HTML4_TABLE },
  { HTML4_H3, HTML4_FIELDSET },
  { HTML4_H3, HTML4_FORM },
  { HTML4_H3, HTML4_LI },
  { HTML4_H3, HTML4_P },
  { HTML4_H3, HTML4_TABLE },
  { HTML4_H4, HTML4_FIELDSET },
  { HTML4_H4, HTML4_FORM },
  { HTML4_H4, HTML4_LI },
  { HTML4_H4, HTML4_P },
  { HTML4_H4, HTML4_TABLE },
  { HTML4_H5, HTML4_FIELDSET },
  { HTML4_H5, HTML4_FORM },
  { HTML4_H5, HTML4_LI },
  { HTML4_H5, HTML4_P },
  { HTML4_H5, HTML4_TABLE },
  { HTML4_H6, HTML4_FIELDSET },
  { HTML4_H6, HTML4_FORM },
  { HTML4_H6, HTML4_LI },
  { HTML4_H6, HTML4_P },
  { HTML4_H6, HTML4_TABLE },
  { HTML4_HEAD, HTML4_A },
  { HTML4_HEAD, HTML4_ABBR },
  { HTML4_HEAD, HTML4_ACRONYM },
  { HTML4_HEAD, HTML4_ADDRESS },
  { HTML4_HEAD, HTML4_B },
  { HTML4_HEAD, HTML4_BDO },
  { HTML4_HEAD, HTML4_BIG },
  { HTML4_HEAD, HTML4_BLOCKQUOTE },
  { HTML4_HEAD, HTML4_BODY },
  { HTML4_HEAD, HTML4_BR },
  { HTML4_HEAD, HTML4_CENTER },
  { HTML4_HEAD, HTML4_CITE },
  { HTML4_HEAD, HTML4_CODE },
  { HTML4_HEAD, HTML4_DD },
  { HTML4_HEAD, HTML4_DFN },
  { HTML4_HEAD, HTML4_DIR },
  { HTML4_HEAD, HTML4_DIV },
  { HTML4_HEAD, HTML4_DL },
  { HTML4_HEAD, HTML4_DT },
  { HTML4_HEAD, HTML4_EM },
  { HTML4_HEAD, HTML4_FIELDSET },
  { HTML4_HEAD, HTML4_FONT },
  { HTML4_HEAD, HTML4_FORM },
  { HTML4_HEAD, HTML4_FRAMESET },
  { HTML4_HEAD, HTML4_H1 },
  { HTML4_HEAD, HTML4_H2 },
  { HTML4_HEAD, HTML4_H3 },
  { HTML4_HEAD, HTML4_H4 },
  { HTML4_HEAD, HTML4_H5 },
  { HTML4_HEAD, HTML4_H6 },
  { HTML4_HEAD, HTML4_HR },
  { HTML4_HEAD, HTML4_I },
  { HTML4_HEAD, HTML4_IFRAME },
  { HTML4_HEAD, HTML4_IMG },
  { HTML4_HEAD, HTML4_KBD },
  { HTML4_HEAD, HTML4_LI },
  { HTML4_HEAD, HTML4_LISTING },
  { HTML4_HEAD, HTML4_MAP },
  { HTML4_HEAD, HTML4_MENU },
  { HTML4_HEAD, HTML4_OL },
  { HTML4_HEAD, HTML4_P },
  { HTML4_HEAD, HTML4_PRE },
  { HTML4_HEAD, HTML4_Q },
  { HTML4_HEAD, HTML4_S },
  { HTML4_HEAD, HTML4_SAMP },
  { HTML4_HEAD, HTML4_SMALL },
  { HTML4_HEAD, HTML4_SPAN },
  { HTML4_HEAD, HTML4_STRIKE },
  { HTML4_HEAD, HTML4_STRONG },
  { HTML4_HEAD, HTML4_SUB },
  { HTML4_HEAD, HTML4_SUP },
  { HTML4_HEAD, HTML4_TABLE },
  { HTML4_HEAD, HTML4_TT },
  { HTML4_HEAD, HTML4_U },
  { HTML4_HEAD, HTML4_UL },
  { HTML4_HEAD, HTML4_VAR },
  { HTML4_HEAD, HTML4_XMP },
  { HTML4_HR, HTML4_FORM },
  { HTML4_I, HTML4_CENTER },
  { HTML4_I, HTML4_P },
  { HTML4_I, HTML4_TD },
  { HTML4_I, HTML4_TH },
  { HTML4_LEGEND, HTML4_FIELDSET },
  { HTML4_LI, HTML4_LI },
  { HTML4_LINK, HTML4_BODY },
  { HTML4_LINK, HTML4_FRAMESET },
  { HTML4_LISTING, HTML4_DD },
  { HTML4_LISTING, HTML4_DL },
  { HTML4_LISTING, HTML4_DT },
  { HTML4_LISTING, HTML4_FIELDSET },
  { HTML4_LISTING, HTML4_FORM },
  { HTML4_LISTING, HTML4_LI },
  { HTML4_LISTING, HTML4_TABLE },
  { HTML4_LISTING, HTML4_UL },
  { HTML4_MENU, HTML4_DD },
  { HTML4_MENU, HTML4_DL },
  { HTML4_MENU, HTML4_DT },
  { HTML4_MENU, HTML4_FORM },
  { HTML4_MENU, HTML4_UL },
  { HTML4_OL, HTML4_FORM },
  { HTML4_OL, HTML4_UL },
  { HTML4_OPTION, HTML4_OPTGROUP },
  { HTML4_OPTION, HTML4_OPTION },
  { HTML4_P, HTML4_ADDRESS },
  { HTML4_P, HTML4_BLOCKQUOTE },
  { HTML4_P, HTML4_BODY },
  { HTML4_P, HTML4_CAPTION },
  { HTML4_P, HTML4_CENTER },
  { HTML4_P, HTML4_COL },
  { HTML4_P, HTML4_COLGROUP },
  { HTML4_P, HTML4_DD },
  { HTML4_P, HTML4_DIR },
  { HTML4_P, HTML4_DIV },
  { HTML4_P, HTML4_DL },
  { HTML4_P, HTML4_DT },
  { HTML4_P, HTML4_FIELDSET },
  { HTML4_P, HTML4_FORM },
  { HTML4_P, HTML4_FRAMESET },
  { HTML4_P, HTML4_H1 },
  { HTML4_P, HTML4_H2 },
  { HTML4_P, HTML4_H3 },
  { HTML4_P, HTML4_H4 },
  { HTML4_P, HTML4_H5 },
  { HTML4_P, HTML4_H6 },
  { HTML4_P, HTML4_HEAD },
  { HTML4_P, HTML4_HR },
  { HTML4_P, HTML4_LI },
  { HTML4_P, HTML4_LISTING },
  { HTML4_P, HTML4_MENU },
  { HTML4_P, HTML4_OL },
  { HTML4_P, HTML4_P },
  { HTML4_P, HTML4_PRE },
  { HTML4_P, HTML4_TABLE },
  { HTML4_P, HTML4_TBODY },
  { HTML4_P, HTML4_TD },
  { HTML4_P, HTML4_TFOOT },
  { HTML4_P, HTML4_TH },
  { HTML4_P, HTML4_TITLE },
  { HTML4_P, HTML4_TR },
  { HTML4_P, HTML4_UL },
  { HTML4_P, HTML4_XMP },
  { HTML4_PRE, HTML4_DD },
  { HTML4_PRE, HTML4_DL },
  { HTML4_PRE, HTML4_DT },
  { HTML4_PRE, HTML4_FIELDSET },
  { HTML4_PRE, HTML4_FORM },
  { HTML4_PRE, HTML4_LI },
  { HTML4_PRE, HTML4_TABLE },
  { HTML4_PRE, HTML4_UL },
  { HTML4_S, HTML4_P },
  { HTML4_SCRIPT, HTML4_NOSCRIPT },
  { HTML4_SMALL, HTML4_P },
  { HTML4_SPAN, HTML4_TD },
  { HTML4_SPAN, HTML4_TH },
  { HTML4_STRIKE, HTML4_P },
  { HTML4_STYLE, HTML4_BODY },
  { HTML4_STYLE, HTML4_FRAMESET },
  { HTML4_TBODY, HTML4_TBODY },
  { HTML4_TBODY, HTML4_TFOOT },
  { HTML4_TD, HTML4_TBODY },
  { HTML4_TD, HTML4_TD },
  { HTML4_TD, HTML4_TFOOT },
  { HTML4_TD, HTML4_TH },
  { HTML4_TD, HTML4_TR },
  { HTML4_TFOOT, HTML4_TBODY },
  { HTML4_TH, HTML4_TBODY },
  { HTML4_TH, HTML4_TD },
  { HTML4_TH, HTML4_TFOOT },
  { HTML4_TH, HTML4_TH },
  { HTML4_TH, HTML4_TR },
  { HTML4_THEAD, HTML4_TBODY },
  { HTML4_THEAD, HTML4_TFOOT },
  { HTML4_TITLE, HTML4_BODY },
  { HTML4_TITLE, HTML4_FRAMESET },
  { HTML4_TR, HTML4_TBODY },
  { HTML4_TR, HTML4_TFOOT },
  { HTML4_TR, HTML4_TR },
  { HTML4_TT, HTML4_P },
  { HTML4_U, HTML4_P },
  { HTML4_U, HTML4_TD },
  { HTML4_U, HTML4_TH },
  { HTML4_UL, HTML4_ADDRESS },
  { HTML4_UL, HTML4_FORM },
  { HTML4_UL, HTML4_MENU },
  { HTML4_UL, HTML4_OL },
  { HTML4_UL, HTML4_PRE },
  { HTML4_XMP, HTML4_DD },
  { HTML4_XMP, HTML4_DL },
  { HTML4_XMP, HTML4_DT },
  { HTML4_XMP, HTML4_FIELDSET },
  { HTML4_XMP, HTML4_FORM },
  { HTML4_XMP, HTML4_LI },
  { HTML4_XMP, HTML4_TABLE },
  { HTML4_XMP, HTML4_UL },
};

static const struct entity {
  const char *name;
  unsigned short value;
} entities[] = {
  { "AElig", 198 },   { "Aacute", 193 },   { "Acirc", 194 },
  { "Agrave", 192 },  { "Alpha", 913 },    { "Aring", 197 },
  { "Atilde", 195 },  { "Auml", 196 },     { "Beta", 914 },
  { "Ccedil", 199 },  { "Chi", 935 },      { "Dagger", 8225 },
  { "Delta", 916 },   { "ETH", 208 },      { "Eacute", 201 },
  { "Ecirc", 202 },   { "Egrave", 200 },   { "Epsilon", 917 },
  { "Eta", 919 },     { "Euml", 203 },     { "Gamma", 915 },
  { "Iacute", 205 },  { "Icirc", 206 },    { "Igrave", 204 },
  { "Iota", 921 },    { "Iuml", 207 },     { "Kappa", 922 },
  { "Lambda", 923 },  { "Mu", 924 },       { "Ntilde", 209 },
  { "Nu", 925 },      { "OElig", 338 },    { "Oacute", 211 },
  { "Ocirc", 212 },   { "Ograve", 210 },   { "Omega", 937 },
  { "Omicron", 927 }, { "Oslash", 216 },   { "Otilde", 213 },
  { "Ouml", 214 },    { "Phi", 934 },      { "Pi", 928 },
  { "Prime", 8243 },  { "Psi", 936 },      { "Rho", 929 },
  { "Scaron", 352 },  { "Sigma", 931 },    { "THORN", 222 },
  { "Tau", 932 },     { "Theta", 920 },    { "Uacute", 218 },
  { "Ucirc", 219 },   { "Ugrave", 217 },   { "Upsilon", 933 },
  { "Uuml", 220 },    { "Xi", 926 },       { "Yacute", 221 },
  { "Yuml", 376 },    { "Zeta", 918 },     { "aacute", 225 },
  { "acirc", 226 },   { "acute", 180 },    { "aelig", 230 },
  { "agrave", 224 },  { "alefsym", 8501 }, { "alpha", 945 },
  { "amp", 38 },      { "and", 8743 },     { "ang", 8736 },
  { "apos", 39 },     { "aring", 229 },    { "asymp", 8776 },
  { "atilde", 227 },  { "auml", 228 },     { "bdquo", 8222 },
  { "beta", 946 },    { "brvbar", 166 },   { "bull", 8226 },
  { "cap", 8745 },    { "ccedil", 231 },   { "cedil", 184 },
  { "cent", 162 },    { "chi", 967 },      { "circ", 710 },
  { "clubs", 9827 },  { "cong", 8773 },    { "copy", 169 },
  { "crarr", 8629 },  { "cup", 8746 },     { "curren", 164 },
  { "dArr", 8659 },   { "dagger", 8224 },  { "darr", 8595 },
  { "deg", 176 },     { "delta", 948 },    { "diams", 9830 },
  { "divide", 247 },  { "eacute", 233 },   { "ecirc", 234 },
  { "egrave", 232 },  { "empty", 8709 },   { "emsp", 8195 },
  { "ensp", 8194 },   { "epsilon", 949 },  { "equiv", 8801 },
  { "eta", 951 },     { "eth", 240 },      { "euml", 235 },
  { "euro", 8364 },   { "exist", 8707 },   { "fnof", 402 },
  { "forall", 8704 }, { "frac12", 189 },   { "frac14", 188 },
  { "frac34", 190 },  { "frasl", 8260 },   { "gamma", 947 },
  { "ge", 8805 },     { "gt", 62 },        { "hArr", 8660 },
  { "harr", 8596 },   { "hearts", 9829 },  { "hellip", 8230 },
  { "iacute", 237 },  { "icirc", 238 },    { "iexcl", 161 },
  { "igrave", 236 },  { "image", 8465 },   { "infin", 8734 },
  { "int", 8747 },    { "iota", 953 },     { "iquest", 191 },
  { "isin", 8712 },   { "iuml", 239 },     { "kappa", 954 },
  { "lArr", 8656 },   { "lambda", 955 },   { "lang", 9001 },
  { "laquo", 171 },   { "larr", 8592 },    { "lceil", 8968 },
  { "ldquo", 8220 },  { "le", 8804 },      { "lfloor", 8970 },
  { "lowast", 8727 }, { "loz", 9674 },     { "lrm", 8206 },
  { "lsaquo", 8249 }, { "lsquo", 8216 },   { "lt", 60 },
  { "macr", 175 },    { "mdash", 8212 },   { "micro", 181 },
  { "middot", 183 },  { "minus", 8722 },   { "mu", 956 },
  { "nabla", 8711 },  { "nbsp", 160 },     { "ndash", 8211 },
  { "ne", 8800 },     { "ni", 8715 },      { "not", 172 },
  { "notin", 8713 },  { "nsub", 8836 },    { "ntilde", 241 },
  { "nu", 957 },      { "oacute", 243 },   { "ocirc", 244 },
  { "oelig", 339 },   { "ograve", 242 },   { "oline", 8254 },
  { "omega", 969 },   { "omicron", 959 },  { "oplus", 8853 },
  { "or", 8744 },     { "ordf", 170 },     { "ordm", 186 },
  { "oslash", 248 },  { "otilde", 245 },   { "otimes", 8855 },
  { "ouml", 246 },    { "para", 182 },     { "part", 8706 },
  { "permil", 8240 }, { "perp", 8869 },    { "phi", 966 },
  { "pi", 960 },      { "piv", 982 },      { "plusmn", 177 },
  { "pound", 163 },   { "prime", 8242 },   { "prod", 8719 },
  { "prop", 8733 },   { "psi", 968 },      { "quot", 34 },
  { "rArr", 8658 },   { "radic", 8730 },   { "rang", 9002 },
  { "raquo", 187 },   { "rarr", 8594 },    { "rceil", 8969 },
  { "rdquo", 8221 },  { "real", 8476 },    { "reg", 174 },
  { "rfloor", 8971 }, { "rho", 961 },      { "rlm", 8207 },
  { "rsaquo", 8250 }, { "rsquo", 8217 },   { "sbquo", 8218 },
  { "scaron", 353 },  { "sdot", 8901 },    { "sect", 167 },
  { "shy", 173 },     { "sigma", 963 },    { "sigmaf", 962 },
  { "sim", 8764 },    { "spades", 9824 },  { "sub", 8834 },
  { "sube", 8838 },   { "sum", 8721 },     { "sup", 8835 },
  { "sup1", 185 },    { "sup2", 178 },     { "sup3", 179 },
  { "supe", 8839 },   { "szlig", 223 },    { "tau", 964 },
  { "there4", 8756 }, { "theta", 952 },    { "thetasym", 977 },
  { "thinsp", 8201 }, { "thorn", 254 },    { "tilde", 732 },
  { "times", 215 },   { "trade", 8482 },   { "uArr", 8657 },
  { "uacute", 250 },  { "uarr", 8593 },    { "ucirc", 251 },
  { "ugrave", 249 },  { "uml", 168 },      { "upsih", 978 },
  { "upsilon", 965 }, { "uuml", 252 },     { "weierp", 8472 },
  { "xi", 958 },      { "yacute", 253 },   { "yen", 165 },
  { "yuml", 255 },    { "zeta", 950 },     { "zwj", 8205 },
  { "zwnj", 8204 },
};

/* "name" ("len" bytes) against the NUL-terminated "b", as strcmp() does. */
static int name_cmp(const char *name, size_t len, const char *b)
{
  size_t i;

  for (i = 0; i < len && b[i]; i++)
    if (name[i] != b[i])
      return (unsigned char)name[i] < (unsigned char)b[i] ? -1 : 1;
  if (i < len)
    return 1;
  return b[i] ? -1 : 0;
}

/* Where the names starting with each letter begin in tags[]: the names
 * starting with 'a' + k are tags[first[k]] to tags[first[k + 1] - 1]. */
static const unsigned char first[27] = { 0,  6,  15, 21, 28, 30, 35, 35, 44,
                                         50, 50, 51, 56, 59, 61, 65, 68, 69,
                                         69, 80, 90, 92, 93, 93, 94, 94, 94 };

enum html4_tag html4_tag(const char *name, size_t len)
{
  unsigned k, i;
  size_t j;

  if (len == 0 || name[0] < 'a' || name[0] > 'z')
    return HTML4_OTHER;
  k = (unsigned)(name[0] - 'a');
  for (i = first[k]; i < first[k + 1]; i++) {
    const char *t = tags[i].name;

    for (j = 1; j < len && t[j] == name[j]; j++)
      ;
    if (j == len && t[j] == '\0')
      return (enum html4_tag)i;
  }
  return HTML4_OTHER;
}

const char *html4_name(enum html4_tag tag)
{
  return tag < HTML4_OTHER ? tags[tag].name : NULL;
}

bool html4_empty(enum html4_tag tag)
{
  return tag < HTML4_OTHER && (tags[tag].flags & EMPTY);
}

int html4_priority(enum html4_tag tag)
{
  return tag < HTML4_OTHER ? tags[tag].priority : 100;
}

/* closes[] as a bit matrix, by start tag then open element, built once:
 * a lookup for every start tag of every page is then two loads. */
static uint64_t closing[HTML4_OTHER][(HTML4_OTHER + 63) / 64];
static pthread_once_t closing_once = PTHREAD_ONCE_INIT;

static void closing_build(void)
{
  size_t i;

  for (i = 0; i < sizeof(closes) / sizeof(closes[0]); i++) {
    unsigned open = closes[i][0], tag = closes[i][1];

    closing[tag][open / 64] |= 1ULL << (open % 64);
  }
}

bool html4_closes(enum html4_tag open, enum html4_tag tag)
{
  if (open >= HTML4_OTHER || tag >= HTML4_OTHER)
    return false;
  /* Cannot fail: its only error is an invalid once-control. */
  (void)pthread_once(&closing_once, closing_build);
  return (closing[tag][open / 64] >> (open % 64)) & 1;
}

/* The entity search is written out: bsearch()'s call per comparison costs
 * more than the comparison. */
unsigned html4_entity(const char *name, size_t len)
{
  size_t lo = 0, hi = sizeof(entities) / sizeof(entities[0]);

  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = name_cmp(name, len, entities[mid].name);

    if (c == 0)
      return entities[mid].value;
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return 0;
}
