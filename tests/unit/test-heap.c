/* Unit tests of heap.c: smallest key first, ties first in first out,
 * removal from anywhere. One row per case. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "heap.h"
#include "tap.h"

enum { NITEMS = 2000 };

/* Items are elements of an int array holding their own index, so a popped
 * item says where it came from. */
static void items_init(int *items, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++)
    items[i] = (int)i;
}

static int pop_index(struct heap *h)
{
  const int *p = heap_pop(h);

  return p ? *p : -1;
}

static uint64_t xorshift(uint64_t *x)
{
  *x ^= *x << 13;
  *x ^= *x >> 7;
  *x ^= *x << 17;
  return *x;
}

static int empty(char *why)
{
  struct heap h;
  int item = 0;

  heap_init(&h);
  CHECK(!heap_peek(&h));
  CHECK(!heap_pop(&h));
  CHECK(!heap_remove(&h, &item));
  CHECK_INT(h.len, 0);
  heap_free(&h);
  heap_free(&h);
  return 0;
}

static int push_pop_order(char *why)
{
  static const uint64_t keys[] = { 5, 1, 3, 4, 2, 0, 9 };
  static const int want[] = { 5, 1, 4, 2, 3, 0, 6 };
  int items[7];
  struct heap h;
  size_t i;

  items_init(items, 7);
  heap_init(&h);
  for (i = 0; i < 7; i++)
    heap_push(&h, keys[i], &items[i]);
  CHECK_INT(h.len, 7);
  for (i = 0; i < 7; i++)
    CHECK_INT(pop_index(&h), want[i]);
  CHECK_INT(pop_index(&h), -1);
  heap_free(&h);
  return 0;
}

static int peek(char *why)
{
  int items[3];
  struct heap h;

  items_init(items, 3);
  heap_init(&h);
  heap_push(&h, 30, &items[0]);
  heap_push(&h, 10, &items[1]);
  heap_push(&h, 20, &items[2]);
  CHECK(heap_peek(&h) != NULL);
  CHECK_UINT(heap_peek(&h)->key, 10);
  CHECK(heap_peek(&h)->item == &items[1]);
  CHECK_INT(h.len, 3);
  CHECK_INT(pop_index(&h), 1);
  CHECK_UINT(heap_peek(&h)->key, 20);
  heap_free(&h);
  return 0;
}

static int ties_fifo(char *why)
{
  int items[8];
  struct heap h;
  int i;

  items_init(items, 8);
  heap_init(&h);
  for (i = 0; i < 8; i++)
    heap_push(&h, 7, &items[i]);
  for (i = 0; i < 8; i++)
    CHECK_INT(pop_index(&h), i);
  heap_free(&h);
  return 0;
}

static int ties_mixed(char *why)
{
  static const uint64_t keys[] = { 2, 1, 2, 1, 0, 2, 1 };
  static const int want[] = { 4, 1, 3, 6, 0, 2, 5 };
  int items[7];
  struct heap h;
  size_t i;

  items_init(items, 7);
  heap_init(&h);
  for (i = 0; i < 7; i++)
    heap_push(&h, keys[i], &items[i]);
  for (i = 0; i < 7; i++)
    CHECK_INT(pop_index(&h), want[i]);
  heap_free(&h);
  return 0;
}

static int remove_middle(char *why)
{
  int items[10], i;
  struct heap h;

  items_init(items, 10);
  heap_init(&h);
  for (i = 9; i >= 0; i--)
    heap_push(&h, (uint64_t)i * 10, &items[i]);
  CHECK(heap_remove(&h, &items[5]));
  CHECK(!heap_remove(&h, &items[5]));
  CHECK_INT(h.len, 9);
  for (i = 0; i < 10; i++) {
    if (i == 5)
      continue;
    CHECK_INT(pop_index(&h), i);
  }
  CHECK_INT(pop_index(&h), -1);
  heap_free(&h);
  return 0;
}

static int remove_ends(char *why)
{
  int items[5], other = 0;
  struct heap h;

  items_init(items, 5);
  heap_init(&h);
  heap_push(&h, 3, &items[3]);
  heap_push(&h, 1, &items[1]);
  heap_push(&h, 4, &items[4]);
  heap_push(&h, 2, &items[2]);
  CHECK(!heap_remove(&h, &other));
  CHECK(heap_remove(&h, &items[1])); /* the root */
  CHECK_UINT(heap_peek(&h)->key, 2);
  CHECK(heap_remove(&h, h.v[h.len - 1].item)); /* the last slot */
  CHECK_INT(h.len, 2);
  CHECK(heap_remove(&h, &items[2]));
  CHECK(heap_remove(&h, h.v[0].item));
  CHECK_INT(h.len, 0);
  CHECK(!heap_pop(&h));
  heap_free(&h);
  return 0;
}

static int remove_keeps_ties(char *why)
{
  int items[6];
  struct heap h;

  items_init(items, 6);
  heap_init(&h);
  heap_push(&h, 5, &items[0]);
  heap_push(&h, 5, &items[1]);
  heap_push(&h, 5, &items[2]);
  heap_push(&h, 1, &items[3]);
  heap_push(&h, 5, &items[4]);
  heap_push(&h, 5, &items[5]);
  CHECK(heap_remove(&h, &items[3]));
  CHECK(heap_remove(&h, &items[2]));
  CHECK_INT(pop_index(&h), 0);
  CHECK_INT(pop_index(&h), 1);
  CHECK_INT(pop_index(&h), 4);
  CHECK_INT(pop_index(&h), 5);
  heap_free(&h);
  return 0;
}

/* Pop all of "h": keys never decrease, and equal keys leave in push
 * order (items pushed in index order). Returns how many came out, or -1
 * with "why" filled. */
static long drain_sorted(struct heap *h, const uint64_t *keys, char *why)
{
  long n = 0;
  int last = -1;

  while (heap_peek(h)) {
    int i = pop_index(h);

    if (last >= 0 &&
        (keys[i] < keys[last] || (keys[i] == keys[last] && i < last)))
      return tap_fail(
          why, __FILE__, __LINE__, "item %d (key %llu) after %d (key %llu)", i,
          (unsigned long long)keys[i], last, (unsigned long long)keys[last]);
    last = i;
    n++;
  }
  return n;
}

static int random_sorted(char *why)
{
  static int items[NITEMS];
  static uint64_t keys[NITEMS];
  uint64_t x = UINT64_C(0x2545f4914f6cdd1d);
  struct heap h;
  long n;
  size_t i;

  items_init(items, NITEMS);
  heap_init(&h);
  for (i = 0; i < NITEMS; i++) {
    /* Few distinct keys, so that ties are common. */
    keys[i] = i % 3 ? xorshift(&x) % 100 : xorshift(&x);
    heap_push(&h, keys[i], &items[i]);
  }
  n = drain_sorted(&h, keys, why);
  heap_free(&h);
  if (n < 0)
    return -1;
  CHECK_INT(n, NITEMS);
  return 0;
}

static int random_with_removes(char *why)
{
  static int items[NITEMS];
  static uint64_t keys[NITEMS];
  static bool removed[NITEMS];
  uint64_t x = UINT64_C(0x9e3779b97f4a7c15);
  struct heap h;
  size_t i, nremoved = 0;
  long n;

  items_init(items, NITEMS);
  heap_init(&h);
  for (i = 0; i < NITEMS; i++) {
    keys[i] = xorshift(&x) % 500;
    removed[i] = false;
    heap_push(&h, keys[i], &items[i]);
  }
  for (i = 0; i < NITEMS / 4; i++) {
    size_t k = (size_t)(xorshift(&x) % NITEMS);

    if (heap_remove(&h, &items[k]) == removed[k])
      return tap_fail(why, __FILE__, __LINE__, "remove %zu", k);
    if (!removed[k])
      nremoved++;
    removed[k] = true;
  }
  CHECK_INT(h.len, NITEMS - nremoved);
  for (i = 0; i < h.len; i++)
    CHECK(!removed[*(const int *)h.v[i].item]);
  n = drain_sorted(&h, keys, why);
  heap_free(&h);
  if (n < 0)
    return -1;
  CHECK_INT(n, NITEMS - nremoved);
  return 0;
}

static int interleaved(char *why)
{
  static int items[NITEMS];
  uint64_t x = 12345, now = 0;
  struct heap h;
  size_t i;

  /* Timer use: keys are "now + delay", pops take what is due. */
  items_init(items, NITEMS);
  heap_init(&h);
  for (i = 0; i < NITEMS; i++) {
    heap_push(&h, now + xorshift(&x) % 1000, &items[i]);
    if (i % 3 == 0) {
      uint64_t key = heap_peek(&h)->key;

      CHECK(key >= now);
      now = key;
      heap_pop(&h);
    }
  }
  while (heap_peek(&h)) {
    CHECK(heap_peek(&h)->key >= now);
    now = heap_peek(&h)->key;
    heap_pop(&h);
  }
  heap_free(&h);
  return 0;
}

static int reuse_after_free(char *why)
{
  int items[2];
  struct heap h;

  items_init(items, 2);
  heap_init(&h);
  heap_push(&h, 1, &items[0]);
  heap_free(&h);
  CHECK(!heap_peek(&h));
  heap_push(&h, 2, &items[1]);
  CHECK_INT(pop_index(&h), 1);
  heap_free(&h);
  return 0;
}

static const struct tap_case cases[] = {
  { "an empty heap peeks and pops NULL", empty },
  { "pops smallest key first", push_pop_order },
  { "heap_peek shows the smallest, leaves it", peek },
  { "equal keys leave in push order", ties_fifo },
  { "ties among mixed keys", ties_mixed },
  { "heap_remove from the middle", remove_middle },
  { "heap_remove the root, the last slot, absent items", remove_ends },
  { "heap_remove keeps the order of ties", remove_keeps_ties },
  { "many random keys pop sorted and stable", random_sorted },
  { "random keys with removals pop sorted", random_with_removes },
  { "pushes and pops interleaved as timers", interleaved },
  { "heap_free leaves a usable empty heap", reuse_after_free },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
