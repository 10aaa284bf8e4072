/* SHA-256 (FIPS 180-4) of a byte string, for --save-name's {sha256}.
 * Pure. */
#ifndef VOLLEY_SHA256_H
#define VOLLEY_SHA256_H

#include <stddef.h>

/* Write the digest of "len" bytes of "data" into "out" as 64 lower-case
 * hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
