/* Drives libcurl's multi socket API from libuv: multi handles sharded by
 * host, a uv_timer_t each, a uv_poll_t per socket, completions handed to a
 * callback. Knows nothing of admission, records or output. */
#ifndef VOLLEY_ENGINE_H
#define VOLLEY_ENGINE_H

#include <stdbool.h>

#include <curl/curl.h>
#include <uv.h>

#include "util.h"

struct msg;

struct engine;

/* A transfer ended with "code". The engine has removed "easy" from the
 * multi handle already; the callee owns it again. Runs inside the
 * engine's poll or timer callback, outside any libcurl callback, so it
 * may add and remove handles. */
typedef void engine_done_fn(CURL *easy, CURLcode code, void *ud);

/* Connections kept open at most, in flight and idle, whatever the open
 * files limit: libcurl 7.88 gives each TLS connection its own OpenSSL
 * context, about 40 KB in all, so 6144 of them hold 250 MB (a plain one
 * takes 3 KB). When -c is larger, a quarter of -c more stay idle. */
#define ENGINE_MAX_CONNS 6144ULL

/* Sockets are file descriptors: raise the soft open files limit to the
 * hard one, so that "concurrency" transfers and the idle connections
 * kept for reuse fit. Says so on "msg" (-v), and warns there when the
 * limit stays too low for "concurrency". Returns the limit in force
 * after, for engine_idle_budget(). Call before the loop starts. */
unsigned long long engine_raise_nofile(unsigned concurrency, struct msg *msg);

/* The idle connections an engine may keep with "nofile" descriptors
 * (the open files limit) beside "concurrency" transfers in flight that
 * hold "fds_each" descriptors each (the socket, the threaded resolver's
 * socket pair, a --save file), less 64 for everything else (input,
 * output, the loop's own). At least 16, and at most what
 * ENGINE_MAX_CONNS leaves beside -c (or -c / 4). For engine_new(). */
long engine_idle_budget(unsigned concurrency, unsigned fds_each,
                        unsigned long long nofile);

/* A new engine on "loop" that keeps at most "max_idle" idle keep-alive
 * connections open, over all hosts, beside those of the transfers in
 * flight (so the caller bounds file descriptors). Returns NULL with "err"
 * filled if out of memory. */
struct engine *engine_new(uv_loop_t *loop, long max_idle,
                          engine_done_fn *done_cb, void *ud,
                          char err[VL_ERRLEN]);

/* The CURLOPT_OPENSOCKETFUNCTION and CURLOPT_CLOSESOCKETFUNCTION an easy
 * handle given to this engine should carry, "*ud" being the data of both:
 * with them the engine keeps one poll handle per connection for as long as
 * the socket lives. A handle without them works too, its socket
 * registered anew for every transfer. */
void engine_socket_callbacks(struct engine *eng,
                             curl_opensocket_callback *open_cb,
                             curl_closesocket_callback *close_cb, void **ud);

/* Start "easy", a transfer to "host" (its URL's host: transfers to one
 * host share a multi handle and its connections). Returns 0; or -1 with
 * "err" filled, and the caller still owns "easy" (done_cb is never called
 * for it). */
int engine_add(struct engine *eng, CURL *easy, const char *host,
               char err[VL_ERRLEN]);

/* Stop "easy" at once (a cancellation); done_cb is not called. Must not
 * run inside a libcurl callback. */
void engine_remove(struct engine *eng, CURL *easy);

/* Transfers running. */
int engine_running(const struct engine *eng);

/* Clean up the multi handles (every easy must be removed first) and close
 * the timers and sockets; the engine frees itself in the last close
 * callback (or at once if it never opened one), so the loop must run on.
 * "eng" must not be used after. NULL is fine. */
void engine_close(struct engine *eng);

#endif
