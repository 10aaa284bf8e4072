/* A binary min-heap of (key, item) pairs; equal keys leave in the order
 * they came. Used for retry wake-up times. Pure. */
#ifndef VOLLEY_HEAP_H
#define VOLLEY_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct heap_entry {
  uint64_t key;
  uint64_t order; /* insertion counter: ties leave first in, first out */
  void *item;     /* borrowed: the heap never frees it */
};

struct heap {
  struct heap_entry *v;
  size_t len, cap;
  uint64_t next_order;
};

/* An empty heap; heap_free() releases its array (not the items). */
void heap_init(struct heap *h);
void heap_free(struct heap *h);

void heap_push(struct heap *h, uint64_t key, void *item);

/* The smallest entry, or NULL when empty. Valid until the next change. */
const struct heap_entry *heap_peek(const struct heap *h);

/* Remove the smallest entry and return its item; NULL when empty. */
void *heap_pop(struct heap *h);

/* Remove "item" wherever it is; returns whether it was there. O(n). */
bool heap_remove(struct heap *h, const void *item);

#endif
