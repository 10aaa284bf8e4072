/* A growable byte buffer: the one type behind records, output and save
 * queues, the input window and the scanners' token text. Appending is
 * inline and grows by doubling out of line; the memory is reused after
 * buf_reset(). Pure: no I/O. */
#ifndef VOLLEY_BUF_H
#define VOLLEY_BUF_H

#include <stddef.h>
#include <string.h>

/* Bytes [0, len) of "p" are the content; "p" is NULL until something was
 * reserved. { NULL, 0, 0 } (or zeroed memory) is an empty buffer. */
struct buf {
  char *p;
  size_t len; /* bytes used */
  size_t cap; /* bytes allocated, >= len */
};

/* Grow "b" so that "more" bytes fit past "len": the capacity doubles
 * (64 bytes at first) until they do. Aborts when memory runs out. The
 * slow path of buf_reserve(); call that. */
void buf_grow(struct buf *b, size_t more);

/* Make room for "more" bytes past "len"; "p" may move. */
static inline void buf_reserve(struct buf *b, size_t more)
{
  if (b->cap - b->len < more)
    buf_grow(b, more);
}

/* Append "n" bytes at "s" ("s" may be NULL when "n" is 0). */
static inline void buf_put(struct buf *b, const void *s, size_t n)
{
  if (n == 0)
    return; /* memcpy from NULL is undefined even for 0 bytes. */
  buf_reserve(b, n);
  memcpy(b->p + b->len, s, n);
  b->len += n;
}

/* Append the byte "c". */
static inline void buf_putc(struct buf *b, char c)
{
  buf_reserve(b, 1);
  b->p[b->len++] = c;
}

/* Append printf output (no NUL counted; one follows the bytes). */
void buf_putf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The content as a C string: a NUL is written after "len" bytes, not
 * counted in "len"; the next append overwrites it. Never NULL. The
 * pointer is "b"'s, valid until the next append or buf_free(). */
char *buf_cstr(struct buf *b);

/* The content as a C string the caller owns and frees (never NULL); "b"
 * is left empty, holding no memory. */
char *buf_detach(struct buf *b);

/* Empty "b" for reuse, keeping its memory. */
static inline void buf_reset(struct buf *b)
{
  b->len = 0;
}

/* Release the memory of "b" (NULL or a zeroed buffer is fine); "b" is
 * left empty. */
void buf_free(struct buf *b);

#endif
