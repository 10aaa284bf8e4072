/* What every libFuzzer harness of tests/fuzz/ shares: the oracle's stop
 * (a message, then abort(), which libFuzzer reports as a crash and saves
 * the input of), fields cut from the input, a UTF-8 check written apart
 * from src/utf8.c so that the two can disagree, and a CPU clock for the
 * oracles on work done, and a scratch file for the harnesses that read
 * files. Header-only: each harness is one file. */
#ifndef VOLLEY_FUZZ_H
#define VOLLEY_FUZZ_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static inline void fuzz_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

static inline void fuzz_fail(const char *file, int line, const char *fmt, ...)
{
  va_list ap;

  fprintf(stderr, "%s:%d: broken promise: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

/* The oracle: when "cond" is false, name it and the promise it breaks,
 * and stop. */
#define FUZZ_CHECK(cond, ...)                                                 \
  do {                                                                        \
    if (!(cond))                                                              \
      fuzz_fail(__FILE__, __LINE__, __VA_ARGS__);                             \
  } while (0)

/* The input, read front to back as NUL-separated fields. */
struct fuzz_reader {
  const uint8_t *p;
  size_t n; /* bytes left */
};

/* The next field: the bytes up to the next NUL (dropped) or the end, as a
 * malloc'd C string the caller frees; "" once the input is used up. */
static inline char *fuzz_str(struct fuzz_reader *r)
{
  const uint8_t *nul = r->n ? memchr(r->p, 0, r->n) : NULL;
  size_t len = nul ? (size_t)(nul - r->p) : r->n;
  char *s = malloc(len + 1);

  if (!s)
    abort();
  if (len)
    memcpy(s, r->p, len);
  s[len] = '\0';
  r->p += len + (nul ? 1 : 0);
  r->n -= len + (nul ? 1 : 0);
  return s;
}

/* The next byte, 0 once the input is used up. */
static inline uint8_t fuzz_byte(struct fuzz_reader *r)
{
  uint8_t b = r->n ? r->p[0] : 0;

  if (r->n) {
    r->p++;
    r->n--;
  }
  return b;
}

/* The length (1 to 4) of the valid UTF-8 sequence at "s" ("n" bytes
 * left), or 0: decoded to its code point and checked against RFC 3629's
 * ranges, where src/utf8.c checks byte patterns. */
static inline size_t fuzz_utf8_len(const unsigned char *s, size_t n)
{
  static const uint32_t least[4] = { 0, 0x80, 0x800, 0x10000 };
  uint32_t cp;
  size_t more, k;

  if (s[0] < 0x80)
    return 1;
  if ((s[0] & 0xE0) == 0xC0) {
    cp = s[0] & 0x1Fu;
    more = 1;
  } else if ((s[0] & 0xF0) == 0xE0) {
    cp = s[0] & 0x0Fu;
    more = 2;
  } else if ((s[0] & 0xF8) == 0xF0) {
    cp = s[0] & 0x07u;
    more = 3;
  } else {
    return 0;
  }
  if (n <= more)
    return 0;
  for (k = 1; k <= more; k++) {
    if ((s[k] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[k] & 0x3Fu);
  }
  if (cp < least[more] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return more + 1;
}

/* Whether "n" bytes of "s" are valid UTF-8 (NUL counts as valid). */
static inline bool fuzz_utf8_valid(const void *s, size_t n)
{
  const unsigned char *u = s;
  size_t i = 0, k;

  while (i < n) {
    k = fuzz_utf8_len(u + i, n - i);
    if (k == 0)
      return false;
    i += k;
  }
  return true;
}

/* The thread's CPU time in ns: unlike the wall clock it does not grow
 * when other processes take the machine, so a bound on it holds under
 * load. */
static inline uint64_t fuzz_cpu_ns(void)
{
  struct timespec ts;

  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    abort();
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A file called "name" in a private directory made under $TMPDIR (else
 * /tmp), both removed at exit: its path, for the harnesses that give
 * their input to readers of files. Call once, from
 * LLVMFuzzerInitialize(). */
static char fuzz_tmp_dir[64], fuzz_tmp_path[128];

static inline void fuzz_tmp_remove(void)
{
  (void)unlink(fuzz_tmp_path);
  (void)rmdir(fuzz_tmp_dir);
}

static inline const char *fuzz_tmpfile(const char *name)
{
  const char *tmp = getenv("TMPDIR");

  snprintf(fuzz_tmp_dir, sizeof(fuzz_tmp_dir), "%s/volley-fuzz-XXXXXX",
           tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
  if (!mkdtemp(fuzz_tmp_dir))
    abort();
  snprintf(fuzz_tmp_path, sizeof(fuzz_tmp_path), "%s/%.40s", fuzz_tmp_dir,
           name);
  atexit(fuzz_tmp_remove);
  return fuzz_tmp_path;
}

#endif
