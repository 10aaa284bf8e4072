/* A response body's media type and its text: Content-Type parsing, HTML
 * sniffing, decoding to UTF-8. Pure. */
#ifndef VOLLEY_BODYTEXT_H
#define VOLLEY_BODYTEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Whether "c" is ASCII whitespace as HTML and MIME headers count it:
 * space, tab, LF, CR, FF. */
bool bodytext_space(int c);

/* The media type of "ct" (NULL is fine) in lower case into "type" ("" when
 * none) and its charset parameter into "charset" ("" when none). */
void bodytext_content_type(const char *ct, char *type, size_t typelen,
                           char *charset, size_t cslen);

/* Whether a body of media type "type" (from bodytext_content_type()) is
 * HTML: text/html or XHTML, or, for a missing or unknown type only, a body
 * that starts like HTML (the WHATWG sniffing patterns). */
bool bodytext_is_html(const char *type, const char *body, size_t len);

/* The "len" bytes of "body" as UTF-8 text: decoded from the charset a byte
 * order mark names, else from "charset" (from the Content-Type; "" or an
 * unknown name: used as it is), then every invalid byte replaced by
 * U+FFFD. Returns the text and its length in "*outlen": "body" itself, or
 * "*owned", a malloc'd copy the caller frees (NULL when none was made). */
const char *bodytext_utf8(const char *body, size_t len, const char *charset,
                          char **owned, size_t *outlen);

#endif
