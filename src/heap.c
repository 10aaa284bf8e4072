/* A binary min-heap of (key, item) pairs, ties broken by insertion
 * order so that retries due at once keep their order. Pure. */
#include "config.h"

#include "heap.h"

#include <stdlib.h>

#include "util.h"

void heap_init(struct heap *h)
{
  h->v = NULL;
  h->len = h->cap = 0;
  h->next_order = 0;
}

void heap_free(struct heap *h)
{
  free(h->v);
  heap_init(h);
}

static bool less(const struct heap_entry *a, const struct heap_entry *b)
{
  return a->key < b->key || (a->key == b->key && a->order < b->order);
}

static void swap(struct heap_entry *a, struct heap_entry *b)
{
  struct heap_entry t = *a;

  *a = *b;
  *b = t;
}

static void sift_up(struct heap *h, size_t i)
{
  while (i > 0) {
    size_t parent = (i - 1) / 2;

    if (!less(&h->v[i], &h->v[parent]))
      break;
    swap(&h->v[i], &h->v[parent]);
    i = parent;
  }
}

static void sift_down(struct heap *h, size_t i)
{
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;

    if (l < h->len && less(&h->v[l], &h->v[m]))
      m = l;
    if (r < h->len && less(&h->v[r], &h->v[m]))
      m = r;
    if (m == i)
      break;
    swap(&h->v[i], &h->v[m]);
    i = m;
  }
}

void heap_push(struct heap *h, uint64_t key, void *item)
{
  if (h->len == h->cap) {
    h->cap = h->cap ? h->cap * 2 : 16;
    h->v = xrealloc(h->v, h->cap * sizeof(*h->v));
  }
  h->v[h->len].key = key;
  h->v[h->len].order = h->next_order++;
  h->v[h->len].item = item;
  sift_up(h, h->len++);
}

const struct heap_entry *heap_peek(const struct heap *h)
{
  return h->len ? &h->v[0] : NULL;
}

static void remove_at(struct heap *h, size_t i)
{
  h->len--;
  if (i == h->len)
    return;
  h->v[i] = h->v[h->len];
  sift_down(h, i);
  sift_up(h, i);
}

void *heap_pop(struct heap *h)
{
  void *item;

  if (!h->len)
    return NULL;
  item = h->v[0].item;
  remove_at(h, 0);
  return item;
}

bool heap_remove(struct heap *h, const void *item)
{
  size_t i;

  for (i = 0; i < h->len; i++) {
    if (h->v[i].item == item) {
      remove_at(h, i);
      return true;
    }
  }
  return false;
}
