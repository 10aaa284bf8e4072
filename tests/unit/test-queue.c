/* Unit tests of queue.h: first in first out, removal from anywhere, each
 * entry naming the queue that holds it. One row per case. */
#include "config.h"

#include <stddef.h>

#include "queue.h"
#include "tap.h"

enum { QA = 1, QB = 2 };

struct item {
  int value;
  struct queue_link link;
};

static int value_of(struct queue_link *l)
{
  return l ? QUEUE_ENTRY(l, struct item, link)->value : -1;
}

static void items_init(struct item *items, size_t n)
{
  size_t i;

  for (i = 0; i < n; i++) {
    items[i].value = (int)i;
    items[i].link.prev = items[i].link.next = NULL;
    items[i].link.in = 0;
  }
}

static int empty(char *why)
{
  struct queue q;

  queue_init(&q, QA);
  CHECK(queue_empty(&q));
  CHECK(!queue_pop(&q));
  CHECK_INT(q.len, 0);
  return 0;
}

static int fifo_order(char *why)
{
  struct item items[5];
  struct queue q;
  size_t i;

  items_init(items, 5);
  queue_init(&q, QA);
  for (i = 0; i < 5; i++)
    queue_push(&q, &items[i].link);
  CHECK_INT(q.len, 5);
  for (i = 0; i < 5; i++)
    CHECK_INT(value_of(queue_pop(&q)), (int)i);
  CHECK(queue_empty(&q));
  CHECK(!q.tail);
  return 0;
}

static int membership_named(char *why)
{
  struct item items[2];
  struct queue a, b;

  items_init(items, 2);
  queue_init(&a, QA);
  queue_init(&b, QB);
  queue_push(&a, &items[0].link);
  queue_push(&b, &items[1].link);
  CHECK_INT(items[0].link.in, QA);
  CHECK_INT(items[1].link.in, QB);
  queue_remove(&a, &items[0].link);
  CHECK_INT(items[0].link.in, 0);
  CHECK(!items[0].link.prev && !items[0].link.next);
  return 0;
}

/* Head, middle and tail each leave; the rest keep their order. */
static int remove_anywhere(char *why)
{
  static const int want[] = { 1, 3, 5 };
  struct item items[7];
  struct queue q;
  size_t i;

  items_init(items, 7);
  queue_init(&q, QA);
  for (i = 0; i < 7; i++)
    queue_push(&q, &items[i].link);
  queue_remove(&q, &items[0].link);
  queue_remove(&q, &items[6].link);
  queue_remove(&q, &items[4].link);
  queue_remove(&q, &items[2].link);
  CHECK_INT(q.len, 3);
  CHECK_INT(value_of(q.tail), 5);
  for (i = 0; i < 3; i++)
    CHECK_INT(value_of(queue_pop(&q)), want[i]);
  CHECK(queue_empty(&q) && !q.tail);
  return 0;
}

static int move_all_appends(char *why)
{
  struct item items[5];
  struct queue a, b;
  size_t i;

  items_init(items, 5);
  queue_init(&a, QA);
  queue_init(&b, QB);
  queue_push(&a, &items[0].link);
  queue_push(&a, &items[1].link);
  for (i = 2; i < 5; i++)
    queue_push(&b, &items[i].link);
  queue_move_all(&a, &b);
  CHECK(queue_empty(&b));
  CHECK_INT(b.len, 0);
  CHECK_INT(a.len, 5);
  for (i = 0; i < 5; i++) {
    CHECK_INT(items[i].link.in, QA);
    CHECK_INT(value_of(queue_pop(&a)), (int)i);
  }
  queue_move_all(&a, &b); /* both empty */
  CHECK(queue_empty(&a));
  return 0;
}

/* A popped entry may go into another queue, and back. */
static int reuse_after_pop(char *why)
{
  struct item items[1];
  struct queue a, b;

  items_init(items, 1);
  queue_init(&a, QA);
  queue_init(&b, QB);
  queue_push(&a, &items[0].link);
  queue_push(&b, queue_pop(&a));
  CHECK_INT(items[0].link.in, QB);
  queue_push(&a, queue_pop(&b));
  CHECK_INT(value_of(a.head), 0);
  CHECK(queue_empty(&b));
  return 0;
}

static const struct tap_case cases[] = {
  { "empty: nothing to pop", empty },
  { "push and pop: first in first out", fifo_order },
  { "each entry names the queue holding it, none once out", membership_named },
  { "remove: head, middle and tail, the rest in order", remove_anywhere },
  { "move_all: appended in order, the source empty", move_all_appends },
  { "an entry popped from one queue goes into another", reuse_after_pop },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
