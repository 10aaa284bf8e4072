/* The URLs a stylesheet refers to: url() and @import targets, found by
 * the tokenizing rules of CSS Syntax Level 3 (comments, strings and
 * escapes, so that a "url(" inside a comment or a string is no URL). For
 * --page-requisites: CSS bodies, <style> elements and style attributes.
 * Pure. */
#ifndef VOLLEY_CSSSCAN_H
#define VOLLEY_CSSSCAN_H

#include <stddef.h>

/* Called with each URL found, "len" bytes at "url" (escapes decoded, not
 * NUL-terminated, valid during the call only), in the order they occur. */
typedef void cssscan_url_fn(const char *url, size_t len, void *ud);

/* Find the URLs in the "len" bytes of "css" (UTF-8 or any ASCII-
 * compatible charset; bytes past 0x7F pass through): the argument of
 * each url() (quoted or not) and the string after each @import. Empty
 * ones and bad url() tokens (an unescaped quote, parenthesis or blank
 * inside) are skipped. Linear in "len". */
void cssscan_urls(const char *css, size_t len, cssscan_url_fn *fn, void *ud);

#endif
