/* Drives libcurl's multi socket API from libuv. Owns the multi handle, one
 * timer and a poll handle per socket. Knows nothing of admission, records
 * or output: finished transfers go to done_cb. */
#include "config.h"

#include "engine.h"

#include <stdio.h>
#include <stdlib.h>

struct engine {
  uv_loop_t *loop;
  CURLM *multi;
  uv_timer_t timer;
  int running;  /* transfers libcurl reports running */
  int added;    /* easy handles added and not removed */
  int handles;  /* open uv handles, timer and sockets */
  bool closing; /* engine_close() ran */
  engine_done_fn *done_cb;
  void *ud;
};

/* One per socket libcurl asked us to watch; assigned to the socket with
 * curl_multi_assign, never looked up by fd: curl may reuse an fd number
 * before the old context's close callback ran. */
struct sockctx {
  uv_poll_t poll;
  curl_socket_t fd;
  struct engine *eng;
};

static void maybe_free(struct engine *eng)
{
  if (eng->closing && eng->handles == 0 && !eng->multi)
    free(eng);
}

static void sock_close_cb(uv_handle_t *h)
{
  struct sockctx *ctx = h->data;
  struct engine *eng = ctx->eng;

  free(ctx);
  eng->handles--;
  maybe_free(eng);
}

static void timer_close_cb(uv_handle_t *h)
{
  struct engine *eng = h->data;

  eng->handles--;
  maybe_free(eng);
}

/* Hand every finished transfer to done_cb. Only here are handles removed
 * for completions, outside any libcurl callback. */
static void check_done(struct engine *eng)
{
  CURLMsg *m;
  int left;

  /* done_cb may end the run and close the engine: then stop reading. */
  while (eng->multi && (m = curl_multi_info_read(eng->multi, &left))) {
    CURL *easy;
    CURLcode code;

    if (m->msg != CURLMSG_DONE)
      continue;
    easy = m->easy_handle;
    code = m->data.result;
    /* Removing cannot fail for a handle the multi handle just reported. */
    (void)curl_multi_remove_handle(eng->multi, easy);
    eng->added--;
    eng->done_cb(easy, code, eng->ud);
  }
}

static void sock_poll_cb(uv_poll_t *h, int status, int events)
{
  struct sockctx *ctx = h->data;
  struct engine *eng = ctx->eng;
  int flags = 0;

  /* An error (POLLERR arrives as a status, e.g. EBADF when the peer
   * vanished) is libcurl's to handle: report it, do not stop. */
  if (status < 0)
    flags = CURL_CSELECT_ERR | CURL_CSELECT_IN; /* let curl read why */
  else {
    if (events & UV_READABLE)
      flags |= CURL_CSELECT_IN;
    if (events & UV_WRITABLE)
      flags |= CURL_CSELECT_OUT;
  }
  if (!eng->multi)
    return; /* Closing: the handle is being closed too. */
  (void)curl_multi_socket_action(eng->multi, ctx->fd, flags, &eng->running);
  check_done(eng);
}

static void timeout_cb(uv_timer_t *h)
{
  struct engine *eng = h->data;

  if (!eng->multi)
    return;
  (void)curl_multi_socket_action(eng->multi, CURL_SOCKET_TIMEOUT, 0,
                                 &eng->running);
  check_done(eng);
}

/* CURLMOPT_TIMERFUNCTION: one timer for libcurl's next timeout. 0 ms
 * means "now", which must not recurse into libcurl from here: a 0 ms uv
 * timer runs on the next loop turn. */
static int multi_timer_cb(CURLM *multi, long timeout_ms, void *ud)
{
  struct engine *eng = ud;

  (void)multi;
  if (timeout_ms < 0) {
    (void)uv_timer_stop(&eng->timer); /* Cannot fail. */
    return 0;
  }
  if (eng->closing)
    return 0;
  return uv_timer_start(&eng->timer, timeout_cb, (uint64_t)timeout_ms, 0) < 0
             ? -1
             : 0;
}

/* CURLMOPT_SOCKETFUNCTION. Also runs inside curl_multi_cleanup(), after
 * admission stopped: it must only touch the socket contexts. */
static int multi_socket_cb(CURL *easy, curl_socket_t s, int what, void *ud,
                           void *socketp)
{
  struct engine *eng = ud;
  struct sockctx *ctx = socketp;
  int events = 0;

  (void)easy;
  if (what == CURL_POLL_REMOVE) {
    if (ctx) {
      (void)uv_poll_stop(&ctx->poll); /* Cannot fail. */
      uv_close((uv_handle_t *)&ctx->poll, sock_close_cb);
      if (eng->multi)
        (void)curl_multi_assign(eng->multi, s, NULL);
    }
    return 0;
  }
  if (!ctx) {
    ctx = calloc(1, sizeof(*ctx));
    if (!ctx)
      return -1;
    ctx->fd = s;
    ctx->eng = eng;
    if (uv_poll_init_socket(eng->loop, &ctx->poll, s) < 0) {
      free(ctx);
      return -1;
    }
    ctx->poll.data = ctx;
    eng->handles++;
    if (curl_multi_assign(eng->multi, s, ctx) != CURLM_OK) {
      uv_close((uv_handle_t *)&ctx->poll, sock_close_cb);
      return -1;
    }
  }
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
    events |= UV_READABLE;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
    events |= UV_WRITABLE;
  return uv_poll_start(&ctx->poll, events, sock_poll_cb) < 0 ? -1 : 0;
}

struct engine *engine_new(uv_loop_t *loop, long maxconns,
                          engine_done_fn *done_cb, void *ud,
                          char err[VL_ERRLEN])
{
  struct engine *eng = calloc(1, sizeof(*eng));
  int rc;

  if (!eng) {
    snprintf(err, VL_ERRLEN, "out of memory");
    return NULL;
  }
  eng->loop = loop;
  eng->done_cb = done_cb;
  eng->ud = ud;
  rc = uv_timer_init(loop, &eng->timer);
  if (rc < 0) {
    snprintf(err, VL_ERRLEN, "timer: %s", uv_strerror(rc));
    free(eng);
    return NULL;
  }
  eng->timer.data = eng;
  eng->handles++;
  eng->multi = curl_multi_init();
  if (!eng->multi) {
    snprintf(err, VL_ERRLEN, "curl_multi_init failed");
    engine_close(eng);
    return NULL;
  }
  if (curl_multi_setopt(eng->multi, CURLMOPT_SOCKETFUNCTION,
                        multi_socket_cb) != CURLM_OK ||
      curl_multi_setopt(eng->multi, CURLMOPT_SOCKETDATA, eng) != CURLM_OK ||
      curl_multi_setopt(eng->multi, CURLMOPT_TIMERFUNCTION, multi_timer_cb) !=
          CURLM_OK ||
      curl_multi_setopt(eng->multi, CURLMOPT_TIMERDATA, eng) != CURLM_OK ||
      curl_multi_setopt(eng->multi, CURLMOPT_MAXCONNECTS, maxconns) !=
          CURLM_OK) {
    snprintf(err, VL_ERRLEN, "curl_multi_setopt failed");
    engine_close(eng);
    return NULL;
  }
  return eng;
}

int engine_add(struct engine *eng, CURL *easy, char err[VL_ERRLEN])
{
  CURLMcode mc = curl_multi_add_handle(eng->multi, easy);

  if (mc != CURLM_OK) {
    snprintf(err, VL_ERRLEN, "curl_multi_add_handle: %s",
             curl_multi_strerror(mc));
    return -1;
  }
  eng->added++;
  return 0;
}

void engine_remove(struct engine *eng, CURL *easy)
{
  /* Fails only for a handle not added: nothing to undo then. */
  if (curl_multi_remove_handle(eng->multi, easy) == CURLM_OK)
    eng->added--;
}

int engine_running(const struct engine *eng)
{
  return eng->added;
}

void engine_close(struct engine *eng)
{
  if (!eng)
    return;
  eng->closing = true;
  (void)uv_timer_stop(&eng->timer); /* Cannot fail. */
  if (eng->multi) {
    CURLM *multi = eng->multi;

    /* The socket callback may run in here (POLL_REMOVE for cached
     * connections) and closes those poll handles; "multi" is NULL first
     * so that it does not call back into a multi handle being freed. */
    eng->multi = NULL;
    (void)curl_multi_cleanup(multi);
  }
  uv_close((uv_handle_t *)&eng->timer, timer_close_cb);
}
