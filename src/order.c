/* The reorder window of --ordered: a ring of "cap" slots indexed by
 * sequence number modulo cap. Admission asks order_room() first, so the
 * window, not the length of the run, bounds what is held. Pure. */
#include "config.h"

#include "order.h"

#include <assert.h>
#include <stdlib.h>

#include "util.h"

struct slot {
  char *line; /* NULL: not arrived */
  size_t len;
};

struct order {
  struct slot *slots;
  size_t cap;
  uint64_t base; /* oldest sequence number not popped */
};

struct order *order_new(size_t cap)
{
  struct order *o = xcalloc(1, sizeof(*o));

  assert(cap >= 1);
  o->slots = xcalloc(cap, sizeof(*o->slots));
  o->cap = cap;
  return o;
}

void order_free(struct order *o)
{
  size_t i;

  if (!o)
    return;
  for (i = 0; i < o->cap; i++)
    free(o->slots[i].line);
  free(o->slots);
  free(o);
}

bool order_room(const struct order *o, uint64_t seq)
{
  return seq >= o->base && seq - o->base < o->cap;
}

void order_put_take(struct order *o, uint64_t seq, char *line, size_t len)
{
  struct slot *s;

  assert(order_room(o, seq));
  s = &o->slots[seq % o->cap];
  assert(!s->line);
  s->line = line;
  s->len = len;
}

bool order_pop(struct order *o, char **line, size_t *len)
{
  struct slot *s = &o->slots[o->base % o->cap];

  if (!s->line)
    return false;
  *line = s->line;
  *len = s->len;
  s->line = NULL;
  s->len = 0;
  o->base++;
  return true;
}

uint64_t order_base(const struct order *o)
{
  return o->base;
}
