/* UTF-8 validation and repair, shared by records (record.c) and the text
 * that regexes read (bodytext.c). Pure. */
#include "config.h"

#include "utf8.h"

#include <string.h>

#include "util.h"

size_t utf8_seq(const unsigned char *s, size_t n)
{
  unsigned c = s[0];

  if (c < 0x80)
    return 1;
  if (c < 0xC2 || c > 0xF4)
    return 0;
  if (n < 2 || (s[1] & 0xC0) != 0x80)
    return 0;
  if (c < 0xE0)
    return 2;
  if (n < 3 || (s[2] & 0xC0) != 0x80 || (c == 0xE0 && s[1] < 0xA0) ||
      (c == 0xED && s[1] >= 0xA0))
    return 0;
  if (c < 0xF0)
    return 3;
  if (n < 4 || (s[3] & 0xC0) != 0x80 || (c == 0xF0 && s[1] < 0x90) ||
      (c == 0xF4 && s[1] >= 0x90))
    return 0;
  return 4;
}

char *utf8_repair(const char *s, size_t len, size_t *outlen)
{
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0, o, n;
  char *out;

  for (; i < len; i += n) {
    n = utf8_seq(u + i, len - i);
    if (n == 0)
      break;
  }
  if (i == len)
    return NULL;
  out = xmalloc(len * 3 + 1);
  memcpy(out, s, i);
  o = i;
  while (i < len) {
    n = utf8_seq(u + i, len - i);
    if (n == 0) {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    } else {
      memcpy(out + o, s + i, n);
      o += n;
      i += n;
    }
  }
  *outlen = o;
  return out;
}

size_t utf8_encode(uint32_t c, unsigned char out[4])
{
  if (c < 0x80) {
    out[0] = (unsigned char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (unsigned char)(0xC0 | (c >> 6));
    out[1] = (unsigned char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (unsigned char)(0xE0 | (c >> 12));
    out[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | ((c >> 18) & 0x07));
  out[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
  out[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
  out[3] = (unsigned char)(0x80 | (c & 0x3F));
  return 4;
}
