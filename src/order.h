/* The reorder window of --ordered: records arrive in completion order,
 * leave in sequence order, and at most "cap" sequence numbers past the
 * oldest unwritten one may be held. Pure. */
#ifndef VOLLEY_ORDER_H
#define VOLLEY_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct order;

/* A window of "cap" slots (cap >= 1), sequence numbers from 0. */
struct order *order_new(size_t cap);

/* Release "o" and every line it still holds. NULL is fine. */
void order_free(struct order *o);

/* Whether sequence number "seq" fits in the window now: admission of
 * request "seq" waits until it does. */
bool order_room(const struct order *o, uint64_t seq);

/* Hold "line" ("len" bytes, malloc'd) for "seq", which must fit in the
 * window and not be held yet; the window owns "line" after. */
void order_put_take(struct order *o, uint64_t seq, char *line, size_t len);

/* If the oldest unwritten sequence number is held, hand its line (caller
 * owns it after) and advance; else return false. */
bool order_pop(struct order *o, char **line, size_t *len);

/* The oldest sequence number not yet popped. */
uint64_t order_base(const struct order *o);

#endif
