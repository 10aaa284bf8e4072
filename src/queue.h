/* An intrusive queue: the links live in the entries, so putting an entry
 * in or taking it out anywhere costs O(1) and allocates nothing. Each
 * queue has an id, and each entry names the queue that holds it, so an
 * entry is in one queue at a time and a reader sees which (request.h's
 * enum request_queue names the queues of requests). Pure, header only:
 * the admission hot path inlines it. */
#ifndef VOLLEY_QUEUE_H
#define VOLLEY_QUEUE_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>

struct queue_link {
  struct queue_link *prev, *next; /* NULL at the ends, and out of queues */
  int in;                         /* the id of the queue holding it, 0 none */
};

struct queue {
  struct queue_link *head, *tail; /* both NULL when empty */
  size_t len;
  int id; /* > 0 */
};

/* The entry of type "type" whose member "member" is the link "l". */
#define QUEUE_ENTRY(l, type, member)                                          \
  ((type *)(void *)((char *)(l)-offsetof(type, member)))

/* An empty queue named "id" (> 0). */
static inline void queue_init(struct queue *q, int id)
{
  q->head = q->tail = NULL;
  q->len = 0;
  q->id = id;
}

static inline bool queue_empty(const struct queue *q)
{
  return !q->head;
}

/* Append "l", which no queue holds, at the tail of "q". */
static inline void queue_push(struct queue *q, struct queue_link *l)
{
  assert(l->in == 0);
  l->in = q->id;
  l->next = NULL;
  l->prev = q->tail;
  if (q->tail)
    q->tail->next = l;
  else
    q->head = l;
  q->tail = l;
  q->len++;
}

/* Take "l", which "q" holds, out of it. */
static inline void queue_remove(struct queue *q, struct queue_link *l)
{
  assert(l->in == q->id && q->len > 0);
  if (l->prev)
    l->prev->next = l->next;
  else
    q->head = l->next;
  if (l->next)
    l->next->prev = l->prev;
  else
    q->tail = l->prev;
  l->prev = l->next = NULL;
  l->in = 0;
  q->len--;
}

/* Take the head of "q" out and return it; NULL when "q" is empty. */
static inline struct queue_link *queue_pop(struct queue *q)
{
  struct queue_link *l = q->head;

  if (l)
    queue_remove(q, l);
  return l;
}

/* Move every entry of "from" to the tail of "to", in order; "from" ends
 * empty. Linear in the entries moved: each learns its new queue. */
static inline void queue_move_all(struct queue *to, struct queue *from)
{
  struct queue_link *l;

  while ((l = queue_pop(from)))
    queue_push(to, l);
}

#endif
