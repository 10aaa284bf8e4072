/* The growable byte buffer of buf.h: the slow paths (growth, printf,
 * C strings). Owns nothing but each buffer's memory. Pure. */
#include "config.h"

#include "buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util.h"

/* The first allocation: small, since many buffers hold a short name. */
#define BUF_FIRST 64

void buf_grow(struct buf *b, size_t more)
{
  size_t need = b->len + more, cap = b->cap ? b->cap : BUF_FIRST;

  /* A sum that wraps asks for all memory: xrealloc() then fails with
   * "out of memory", as any allocation too large to make does. */
  if (need < b->len)
    need = SIZE_MAX;
  while (cap < need && cap <= SIZE_MAX / 2)
    cap *= 2;
  if (cap < need)
    cap = need;
  if (cap == b->cap)
    return;
  b->p = xrealloc(b->p, cap);
  b->cap = cap;
}

void buf_putf(struct buf *b, const char *fmt, ...)
{
  va_list ap;
  int n;

  /* Format in place; one more try after growing when it did not fit. */
  buf_reserve(b, 64);
  va_start(ap, fmt);
  n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  if ((size_t)n >= b->cap - b->len) {
    buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0)
      return;
  }
  b->len += (size_t)n;
}

char *buf_cstr(struct buf *b)
{
  buf_reserve(b, 1);
  b->p[b->len] = '\0';
  return b->p;
}

char *buf_detach(struct buf *b)
{
  char *s = buf_cstr(b);

  b->p = NULL;
  b->len = b->cap = 0;
  return s;
}

void buf_free(struct buf *b)
{
  free(b->p);
  b->p = NULL;
  b->len = b->cap = 0;
}
