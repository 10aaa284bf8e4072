/* How late the event loop runs: for each loop iteration, the time it was
 * busy (not waiting for events) and whether the loop thread itself spent
 * more than STATS_STALL_S of CPU time in it, counted into a struct
 * stats_loop for --stats and --stats-json. Knows nothing of what runs in
 * the loop. */
#ifndef VOLLEY_LOOPLAG_H
#define VOLLEY_LOOPLAG_H

#include <uv.h>

#include "stats.h"
#include "util.h"

struct looplag;

/* Start measuring "loop" into "out" (borrowed: it must outlive the
 * measurement). Must be called before uv_run(): it turns on libuv's idle
 * time metrics. Returns NULL with "err" filled if libuv refused. */
struct looplag *looplag_start(uv_loop_t *loop, struct stats_loop *out,
                              char err[VL_ERRLEN]);

/* Stop measuring; the memory goes in the handle's close callback, so the
 * loop must run on. NULL is fine. */
void looplag_stop(struct looplag *l);

#endif
