/* SHA-256 (FIPS 180-4): streamed, for --hash of a body as it arrives, or
 * of a whole buffer, for --save-name's {sha256}. Pure. */
#ifndef VOLLEY_SHA256_H
#define VOLLEY_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* A digest in progress: 104 bytes, no allocation. */
struct sha256_ctx {
  uint32_t h[8];
  uint64_t len;          /* bytes hashed so far */
  unsigned char buf[64]; /* a partial block */
  size_t fill;           /* bytes of "buf" used, < 64 */
};

/* Start a digest in "c". */
void sha256_init(struct sha256_ctx *c);

/* Hash "len" more bytes of "data" (NULL is fine when "len" is 0). */
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);

/* End the digest of "c" and write it into "out" as 64 lower-case hex
 * digits and a NUL; "c" must be started again before another use. */
void sha256_final_hex(struct sha256_ctx *c, char out[65]);

/* Write the digest of "len" bytes of "data" into "out" as 64 lower-case
 * hex digits and a NUL. */
void sha256_hex(const void *data, size_t len, char out[65]);

#endif
