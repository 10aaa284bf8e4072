/* Unit tests of order.c, the reorder window of --ordered: lines leave in
 * sequence order, the window bounds what is held and slides as lines
 * leave. One row per case. Run under valgrind to check order_free(). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order.h"
#include "tap.h"
#include "util.h"

/* Hold a malloc'd copy of the text "seq<N>" for "seq". */
static void put(struct order *o, uint64_t seq)
{
  char tmp[32];
  int n = snprintf(tmp, sizeof(tmp), "seq%llu", (unsigned long long)seq);

  order_put_take(o, seq, xstrdup(tmp), (size_t)n);
}

/* Pop one line: returns its sequence number from the text, or -1 when
 * nothing is ready. */
static long long pop(struct order *o)
{
  char *line = NULL;
  size_t len = 0;
  long long seq;

  if (!order_pop(o, &line, &len))
    return -1;
  seq = len > 3 && strlen(line) == len ? strtoll(line + 3, NULL, 10) : -2;
  free(line);
  return seq;
}

static int empty(char *why)
{
  struct order *o = order_new(4);

  CHECK_UINT(order_base(o), 0);
  CHECK_INT(pop(o), -1);
  CHECK_UINT(order_base(o), 0);
  order_free(o);
  return 0;
}

static int in_order(char *why)
{
  struct order *o = order_new(4);
  uint64_t i;

  for (i = 0; i < 10; i++) {
    put(o, i);
    CHECK_INT(pop(o), (long long)i);
    CHECK_INT(pop(o), -1);
    CHECK_UINT(order_base(o), i + 1);
  }
  order_free(o);
  return 0;
}

static int out_of_order(char *why)
{
  struct order *o = order_new(4);

  put(o, 2);
  put(o, 1);
  CHECK_INT(pop(o), -1);
  put(o, 3);
  CHECK_INT(pop(o), -1);
  CHECK_UINT(order_base(o), 0);
  put(o, 0);
  CHECK_INT(pop(o), 0);
  CHECK_INT(pop(o), 1);
  CHECK_INT(pop(o), 2);
  CHECK_INT(pop(o), 3);
  CHECK_INT(pop(o), -1);
  CHECK_UINT(order_base(o), 4);
  order_free(o);
  return 0;
}

static int gap_in_middle(char *why)
{
  struct order *o = order_new(8);

  put(o, 0);
  put(o, 2);
  put(o, 3);
  CHECK_INT(pop(o), 0);
  CHECK_INT(pop(o), -1);
  put(o, 1);
  CHECK_INT(pop(o), 1);
  CHECK_INT(pop(o), 2);
  CHECK_INT(pop(o), 3);
  CHECK_INT(pop(o), -1);
  order_free(o);
  return 0;
}

static int room(char *why)
{
  struct order *o = order_new(3);

  CHECK(order_room(o, 0));
  CHECK(order_room(o, 2));
  CHECK(!order_room(o, 3));
  CHECK(!order_room(o, 1000));
  put(o, 2);
  CHECK(!order_room(o, 3)); /* held lines do not widen the window */
  put(o, 0);
  CHECK_INT(pop(o), 0);
  CHECK(order_room(o, 3));
  CHECK(!order_room(o, 4));
  CHECK(!order_room(o, 0)); /* behind the window */
  order_free(o);
  return 0;
}

static int slides(char *why)
{
  struct order *o = order_new(2);
  uint64_t i;

  /* Pairs arrive swapped: 1 0 3 2 5 4 ... */
  for (i = 0; i < 100; i += 2) {
    CHECK(order_room(o, i + 1));
    CHECK(!order_room(o, i + 2));
    put(o, i + 1);
    CHECK_INT(pop(o), -1);
    put(o, i);
    CHECK_INT(pop(o), (long long)i);
    CHECK_INT(pop(o), (long long)i + 1);
  }
  CHECK_UINT(order_base(o), 100);
  CHECK(order_room(o, 101) && !order_room(o, 102));
  order_free(o);
  return 0;
}

static int cap_one(char *why)
{
  struct order *o = order_new(1);

  CHECK(order_room(o, 0) && !order_room(o, 1));
  put(o, 0);
  CHECK(!order_room(o, 1));
  CHECK_INT(pop(o), 0);
  CHECK(order_room(o, 1) && !order_room(o, 2));
  put(o, 1);
  CHECK_INT(pop(o), 1);
  order_free(o);
  return 0;
}

static int keeps_bytes(char *why)
{
  static const char text[] = "{\"id\":1}\n\0tail";
  struct order *o = order_new(2);
  char *line = xmalloc(sizeof(text));
  char *got = NULL;
  size_t len = 0;
  int same;

  memcpy(line, text, sizeof(text));
  order_put_take(o, 0, line, sizeof(text));
  CHECK(order_pop(o, &got, &len));
  same = got == line && len == sizeof(text);
  free(got);
  order_free(o);
  CHECK(same);
  return 0;
}

/* Admission as run.c does it: admit while order_room(), complete a random
 * admitted request, pop what is ready. Lines leave 0, 1, 2, ... and
 * never more than "cap" are held. */
static int random_completion(char *why)
{
  enum { N = 5000, CAP = 16 };
  uint64_t x = UINT64_C(88172645463325252);
  uint64_t inflight[CAP], next = 0, want = 0;
  size_t nin = 0;
  struct order *o = order_new(CAP);

  while (want < N) {
    long long seq;
    size_t k;

    while (next < N && order_room(o, next)) {
      if (nin >= CAP)
        return tap_fail(why, __FILE__, __LINE__, "more than %d admitted", CAP);
      inflight[nin++] = next++;
    }
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    k = (size_t)(x % nin);
    put(o, inflight[k]);
    inflight[k] = inflight[--nin];
    while ((seq = pop(o)) >= 0) {
      if ((uint64_t)seq != want)
        return tap_fail(why, __FILE__, __LINE__, "popped %lld, not %llu", seq,
                        (unsigned long long)want);
      want++;
    }
  }
  CHECK_UINT(order_base(o), N);
  CHECK_INT(nin, 0);
  order_free(o);
  return 0;
}

static int free_held(char *why)
{
  struct order *o = order_new(8);

  /* 0 never comes: 1, 3 and 7 stay held and order_free() frees them
   * (valgrind says whether it did). */
  put(o, 1);
  put(o, 3);
  put(o, 7);
  CHECK_INT(pop(o), -1);
  order_free(o);
  order_free(NULL);
  return 0;
}

static int free_after_wrap(char *why)
{
  struct order *o = order_new(3);
  uint64_t i;

  for (i = 0; i < 7; i++) {
    put(o, i);
    CHECK_INT(pop(o), (long long)i);
  }
  put(o, 8);
  put(o, 9);
  order_free(o);
  return 0;
}

static const struct tap_case cases[] = {
  { "a new window is empty at 0", empty },
  { "in-order puts pop at once", in_order },
  { "out-of-order lines wait for the gap", out_of_order },
  { "a gap in the middle holds the rest", gap_in_middle },
  { "order_room is false past the window", room },
  { "the window slides as lines leave", slides },
  { "a window of one", cap_one },
  { "lines leave with their pointer and length", keeps_bytes },
  { "random completion order leaves in sequence", random_completion },
  { "order_free frees held lines", free_held },
  { "order_free after the ring wrapped", free_after_wrap },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
