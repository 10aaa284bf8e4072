/* UTF-8 as RFC 3629 defines it: the length of one valid sequence, and
 * repair of invalid bytes. Pure. */
#ifndef VOLLEY_UTF8_H
#define VOLLEY_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The length (1 to 4) of the valid UTF-8 sequence at "s", which has "n"
 * bytes left; 0 if none starts there: no overlong forms, no surrogates,
 * nothing past U+10FFFF. */
size_t utf8_seq(const unsigned char *s, size_t n);

/* Write the code point "c" as UTF-8 into "out"; returns its length, 1 to
 * 4. No check: a surrogate is written as three bytes and anything from
 * 0x10000 up as four (its bits above 21 dropped), as libxml2 writes one. */
size_t utf8_encode(uint32_t c, unsigned char out[4]);

/* A malloc'd copy of the "len" bytes at "s" with each byte that starts no
 * valid sequence replaced by U+FFFD (as a decoder reads them), its length
 * in "*outlen"; NULL, and "*outlen" untouched, when "s" is valid already. */
char *utf8_repair(const char *s, size_t len, size_t *outlen);

#endif
