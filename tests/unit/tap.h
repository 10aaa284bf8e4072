/* A small TAP producer for the unit tests. Each test file lists its cases
 * in a table of { name, function } rows, one row per case, as libuv's
 * test-list.h does; tap_run() runs the rows in order, prints the plan and
 * one "ok"/"not ok" line each, and returns the exit status for main(). */
#ifndef VOLLEY_TAP_H
#define VOLLEY_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define TAP_WHYLEN 512

/* A case returns 0 when it passed; on failure the CHECK macros, which
 * expect the case's parameter to be named "why", fill it (TAP_WHYLEN
 * bytes) and return -1. A name must not hold '#', TAP's directive mark. */
typedef int tap_case_fn(char *why);

struct tap_case {
  const char *name;
  tap_case_fn *fn;
};

#define TAP_COUNT(table) (sizeof(table) / sizeof((table)[0]))

static inline int tap_fail(char *why, const char *file, int line,
                           const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static inline int tap_fail(char *why, const char *file, int line,
                           const char *fmt, ...)
{
  va_list ap;
  int n = snprintf(why, TAP_WHYLEN, "%s:%d: ", file, line);

  if (n < 0 || n >= TAP_WHYLEN)
    n = 0;
  va_start(ap, fmt);
  vsnprintf(why + n, TAP_WHYLEN - (size_t)n, fmt, ap);
  va_end(ap);
  return -1;
}

/* Run "n" rows of "cases"; returns 0 when all passed, 1 otherwise. */
static inline int tap_run(const struct tap_case *cases, size_t n)
{
  size_t i, failed = 0;

  printf("1..%zu\n", n);
  for (i = 0; i < n; i++) {
    char why[TAP_WHYLEN] = "";
    int rc = cases[i].fn(why);

    printf("%s %zu - %s\n", rc == 0 ? "ok" : "not ok", i + 1, cases[i].name);
    if (rc != 0) {
      printf("# %s\n", why);
      failed++;
    }
    fflush(stdout);
  }
  return failed ? 1 : 0;
}

/* Return -1 if "call", a helper that fills "why" itself (so that the
 * failure names the helper's line, not the caller's), failed. */
#define CHECK_OK(call)                                                        \
  do {                                                                        \
    if ((call) != 0)                                                          \
      return -1;                                                              \
  } while (0)

#define CHECK(cond)                                                           \
  do {                                                                        \
    if (!(cond))                                                              \
      return tap_fail(why, __FILE__, __LINE__, "%s", #cond);                  \
  } while (0)

/* NULL-safe: two NULLs are equal, a NULL and a string are not. */
#define CHECK_STREQ(a, b)                                                     \
  do {                                                                        \
    const char *tap_a_ = (a), *tap_b_ = (b);                                  \
    if (!tap_a_ || !tap_b_ ? tap_a_ != tap_b_ : strcmp(tap_a_, tap_b_) != 0)  \
      return tap_fail(why, __FILE__, __LINE__, "%s == %s: '%s' != '%s'", #a,  \
                      #b, tap_a_ ? tap_a_ : "(null)",                         \
                      tap_b_ ? tap_b_ : "(null)");                            \
  } while (0)

/* "hay" contains "needle". */
#define CHECK_HAS(hay, needle)                                                \
  do {                                                                        \
    const char *tap_h_ = (hay), *tap_n_ = (needle);                           \
    if (!tap_h_ || !strstr(tap_h_, tap_n_))                                   \
      return tap_fail(why, __FILE__, __LINE__, "'%s' lacks '%s'",             \
                      tap_h_ ? tap_h_ : "(null)", tap_n_);                    \
  } while (0)

#define CHECK_INT(a, b)                                                       \
  do {                                                                        \
    long long tap_a_ = (long long)(a), tap_b_ = (long long)(b);               \
    if (tap_a_ != tap_b_)                                                     \
      return tap_fail(why, __FILE__, __LINE__, "%s == %s: %lld != %lld", #a,  \
                      #b, tap_a_, tap_b_);                                    \
  } while (0)

#define CHECK_UINT(a, b)                                                      \
  do {                                                                        \
    unsigned long long tap_a_ = (unsigned long long)(a);                      \
    unsigned long long tap_b_ = (unsigned long long)(b);                      \
    if (tap_a_ != tap_b_)                                                     \
      return tap_fail(why, __FILE__, __LINE__, "%s == %s: %llu != %llu", #a,  \
                      #b, tap_a_, tap_b_);                                    \
  } while (0)

#endif
