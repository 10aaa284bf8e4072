/* Where finished results go: each becomes one record (the JSON line, or
 * -w's text), is counted for --stats, passes the --ordered window and
 * leaves through the caller's write function. The only module that turns
 * a result into output. Pure: no I/O, no loop. */
#ifndef VOLLEY_SINK_H
#define VOLLEY_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "order.h"
#include "record.h"
#include "since.h"
#include "stats.h"
#include "writeout.h"

/* Called with each line to write, in the order records leave; "line" is
 * borrowed for the call. */
typedef void sink_write_fn(const char *line, size_t len, void *ud);

/* What a sink does with a result; the pointers are borrowed for the
 * sink's life. */
struct sink_config {
  const char *write_out;     /* -w's template, or NULL: JSON records */
  const struct since *since; /* --since FILE's index, or NULL */
  bool only_changed;         /* --only-changed: "changed": false is not
                                written (still counted) */
  size_t ordered;            /* --ordered: the window's slots; 0: none */
  struct stats *stats;       /* counts every result */
  sink_write_fn *write_cb;
  void *ud;
};

struct sink {
  struct sink_config cfg;
  struct writeout wo;  /* -w's template compiled; holds nothing without */
  struct order *order; /* --ordered's window, or NULL; owned */
  struct buf rec;      /* reused for every record */
};

/* Make "s" work as "cfg" says. Returns 0, or -1 with "err" filled when
 * -w's template does not compile (cli.c has checked it: only a bug gets
 * there); sink_free() either way. */
int sink_init(struct sink *s, const struct sink_config *cfg,
              char err[VL_ERRLEN]);

/* Whether the record of sequence number "seq" may be started now: with
 * --ordered, it must fit in the window. */
bool sink_room(const struct sink *s, uint64_t seq);

/* Take the result "res" of sequence number "seq" (every sequence number
 * gets exactly one call) to its record: sets res->changed from "prev",
 * --since FILE's record of the request (NULL: none), counts it, and
 * writes the line now, or with --ordered once every earlier one was.
 * Returns whether the result is a failure for --fail-fast (not ok, and
 * not a robots.txt refusal). */
bool sink_put(struct sink *s, uint64_t seq, struct result *res,
              const struct since_entry *prev);

/* Release what "s" holds, lines still in the window included. A zeroed
 * "s" is fine. */
void sink_free(struct sink *s);

#endif
