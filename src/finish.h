/* After a transfer: what must happen before its record is written. The
 * --save file is closed and renamed, and --title/--links/-x/-e run on the
 * body in libuv's thread pool, so that parsing a large page never holds
 * the loop; at most half the pool's threads parse at once. After a 304
 * to --since's validators, the earlier record is read back from FILE in
 * the pool instead, for the fields the new one carries over. Then the
 * request goes back to the caller with the record's extra fields. Knows
 * nothing of admission or output. */
#ifndef VOLLEY_FINISH_H
#define VOLLEY_FINISH_H

#include <curl/curl.h>
#include <uv.h>

#include "extract.h"
#include "record.h"
#include "request.h"

struct finish;

/* Size libuv's thread pool, where extraction and --save's file operations
 * run, to the machine: as many threads as it runs at once
 * (uv_available_parallelism()), at least libuv's default of 4, at most
 * 128. A UV_THREADPOOL_SIZE in the environment is left alone. libuv reads
 * that variable once, at the pool's first use: call this before. */
void finish_size_pool(void);

/* "req" is ready for its record: "res" is its result (outcome_result()
 * at this moment), with finish_start()'s note added to its message, and
 * what finish.c found: the extraction ("res->extract", NULL if none ran)
 * and --save's file ("res->saving", "res->saved"). "res" and what it
 * points to are valid during the call only; the callee owns "req" again
 * and may change "res". May run inside finish_start(). */
typedef void finish_done_fn(struct request *req, struct result *res, void *ud);

/* A finisher on "loop". "spec" (borrowed, may be inactive) says what to
 * extract; "save_name" is --save-name's template (NULL without --save). */
struct finish *finish_new(uv_loop_t *loop, const struct extract_spec *spec,
                          const char *save_name, finish_done_fn *done_cb,
                          void *ud);

/* Finish "req", whose attempt ended with "code" ("note", copied, adds to
 * its message). finish owns "req" until done_cb. */
void finish_start(struct finish *f, struct request *req, CURLcode code,
                  const char *note);

/* Stop the extractions: those waiting or queued never run, a running
 * one stops after its HTML parse or within a few thousand regex steps.
 * Each request whose extraction was cut short gets "why" (static) as
 * its cancel_why, so its record is a cancellation. Their done_cb comes
 * as usual, some within this call. --save files are still finished. */
void finish_cancel(struct finish *f, const char *why);

/* Requests between finish_start() and done_cb. */
unsigned finish_pending(const struct finish *f);

/* Release "f"; nothing may be pending. NULL is fine. */
void finish_free(struct finish *f);

#endif
