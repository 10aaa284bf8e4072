/* Drives libcurl's multi socket API from libuv. Owns the multi handles
 * (shards, by host), a timer for each and a poll handle per socket. Knows
 * nothing of admission, records or output: finished transfers go to
 * done_cb. Also raises the open files limit its sockets count against. */
#include "config.h"

#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"

struct sockctx;

/* Most shards, and the fewest idle connections a shard may keep. */
#define ENGINE_MAX_SHARDS     16
#define ENGINE_MIN_SHARD_IDLE 128

/* One multi handle and its timer, for the hosts that hash to it.
 *
 * Why more than one: libcurl 7.88 walks its whole connection cache at the
 * end of every transfer whose connection it keeps (curl_multi_remove_handle
 * looks for "connect-only" connections by id), and again when it evicts
 * the oldest idle connection. With the thousands of idle connections a
 * list of many hosts needs for reuse, those walks cost more than the
 * transfer. Split by host, each walk covers one shard's connections, and a
 * host's connections all live in its shard, so none is missed for reuse.
 *
 * Why not always many: each multi handle loads the CA bundle once for TLS
 * (libcurl caches the store per multi handle), 50 to 70 ms of CPU with
 * OpenSSL 3 and Debian's 146 certificates. So the engine starts with one
 * shard and doubles them as the connections it opened pass
 * ENGINE_MIN_SHARD_IDLE a shard. A host that moves to a new shard leaves
 * its idle connections behind, to be evicted as the oldest there: that
 * happens four times at most. */
struct shard {
  struct engine *eng;
  CURLM *multi; /* NULL until the first transfer for a host of the shard */
  uv_timer_t timer;
  bool timer_ready; /* "timer" initialised: closed in engine_close() */
  int running;      /* transfers libcurl reports running */
  long inflight;    /* easy handles added and not removed */
};

struct engine {
  uv_loop_t *loop;
  struct shard shards[ENGINE_MAX_SHARDS];
  size_t nshards;    /* shards hosts hash to: 1, 2, 4 ... max_shards */
  size_t max_shards; /* a power of two, at most ENGINE_MAX_SHARDS */
  long max_idle;     /* idle connections kept at most, all shards */
  long shard_idle;   /* max_idle / nshards: the share of each */
  long opened;       /* sockets opensocket_cb made, in all */
  int added;         /* easy handles added and not removed */
  int handles;       /* open uv handles, timers and sockets */
  bool closing;      /* engine_close() ran */
  engine_done_fn *done_cb;
  void *ud;
  struct sockctx **socks; /* by fd: the context of each socket we watch */
  size_t nsocks;
};

/* One per socket, found by fd in eng->socks.
 *
 * A socket libcurl opened through opensocket_cb is "owned". Once it has
 * connected, libcurl closes it through closesocket_cb, so its context
 * lives as long as the socket. When libcurl stops watching a connected
 * owned socket (CURL_POLL_REMOVE: the transfer ended and the connection
 * went back to the cache), its poll handle keeps watching for input,
 * unreferenced, instead of being stopped: on a reused keep-alive
 * connection the next transfer asks for it again within a loop turn, and
 * re-registering it with epoll each time cost four to six epoll_ctl calls
 * a request. Input on an idle socket (the server closed it) stops the
 * handle; libcurl finds the connection dead when it next looks.
 *
 * The trap: libcurl 7.88 closes a socket whose connect never completed
 * (refused, timed out, a lost happy-eyeballs race) with close() alone, not
 * through closesocket_cb (cf-socket.c, cf_socket_close), and tells us
 * CURL_POLL_REMOVE after. Its fd number may meanwhile be reused by another
 * thread's socket or file (the resolver's). Watching such a stale fd makes
 * libuv's epoll_ctl fail, and libuv aborts. So an owned socket is
 * "trusted" only once it is known to have connected: at its first
 * CURL_POLL_REMOVE, the fd must still be the socket opensocket_cb made
 * (its inode) and have a peer; libcurl then closes it only through the
 * callback. Until then, each time libcurl announces it we check the inode
 * too, and a socket that fails either check is let go as any other.
 *
 * Any other socket (the threaded resolver's) is closed by libcurl right
 * after CURL_POLL_REMOVE, so its context is closed then, as libcurl's own
 * example does. */
struct sockctx {
  uv_poll_t poll;
  curl_socket_t fd;
  struct engine *eng;
  struct shard *shard; /* whose multi handle watches it; NULL until then */
  dev_t dev;           /* owned: the socket's identity (fstat) */
  ino_t ino;
  int events;   /* UV_READABLE | UV_WRITABLE the handle watches, 0 stopped */
  bool owned;   /* opened by opensocket_cb */
  bool trusted; /* owned and connected: closed only through closesocket_cb */
  bool wanted;  /* libcurl watches it: between a POLL_IN/OUT and REMOVE */
};

/* Every multi handle is cleaned up inside engine_close(), before any
 * close callback can run: the last one frees the engine. */
static void maybe_free(struct engine *eng)
{
  if (eng->closing && eng->handles == 0)
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
  struct shard *sh = h->data;
  struct engine *eng = sh->eng;

  eng->handles--;
  maybe_free(eng);
}

static struct sockctx *sock_get(const struct engine *eng, curl_socket_t fd)
{
  return fd >= 0 && (size_t)fd < eng->nsocks ? eng->socks[fd] : NULL;
}

/* A context for "fd" in the table, its poll handle initialised, stopped
 * and unreferenced; NULL if out of memory or libuv refused the fd. */
static struct sockctx *sock_new(struct engine *eng, curl_socket_t fd)
{
  struct sockctx *ctx;

  if (fd < 0)
    return NULL;
  if ((size_t)fd >= eng->nsocks) {
    size_t n = eng->nsocks ? eng->nsocks : 64;
    struct sockctx **socks;

    while (n <= (size_t)fd)
      n *= 2;
    socks = realloc(eng->socks, n * sizeof(*socks));
    if (!socks)
      return NULL;
    memset(socks + eng->nsocks, 0, (n - eng->nsocks) * sizeof(*socks));
    eng->socks = socks;
    eng->nsocks = n;
  }
  ctx = calloc(1, sizeof(*ctx));
  if (!ctx)
    return NULL;
  ctx->fd = fd;
  ctx->eng = eng;
  if (uv_poll_init_socket(eng->loop, &ctx->poll, fd) < 0) {
    free(ctx);
    return NULL;
  }
  ctx->poll.data = ctx;
  uv_unref((uv_handle_t *)&ctx->poll);
  eng->handles++;
  eng->socks[fd] = ctx;
  return ctx;
}

/* Forget the context of "fd" and close its handle (which stops it). */
static void sock_drop(struct engine *eng, curl_socket_t fd)
{
  struct sockctx *ctx = sock_get(eng, fd);

  if (!ctx)
    return;
  eng->socks[fd] = NULL;
  uv_close((uv_handle_t *)&ctx->poll, sock_close_cb);
}

static int sock_watch(struct sockctx *ctx, int events);

/* Let the shard keep its transfers' connections plus its share of idle
 * ones. libcurl compares the cache with this when a transfer ends and
 * closes the oldest idle connection past it; transfers in flight are
 * counted so that many transfers to one host never evict each other's
 * connections. */
static void shard_limit(struct shard *sh)
{
  /* Cannot fail for a valid handle and a long. */
  (void)curl_multi_setopt(sh->multi, CURLMOPT_MAXCONNECTS,
                          sh->inflight + sh->eng->shard_idle);
}

/* Hand every finished transfer to done_cb. Only here are handles removed
 * from a multi handle, outside libcurl's callbacks. */
static void check_done(struct shard *sh)
{
  struct engine *eng = sh->eng;
  CURLMsg *m;
  int left;

  /* done_cb may end the run and close the engine: then stop reading. */
  while (sh->multi && (m = curl_multi_info_read(sh->multi, &left))) {
    CURL *easy;
    CURLcode code;

    if (m->msg != CURLMSG_DONE)
      continue;
    easy = m->easy_handle;
    code = m->data.result;
    /* Removing cannot fail for a handle the multi handle just reported. */
    (void)curl_multi_remove_handle(sh->multi, easy);
    sh->inflight--;
    shard_limit(sh);
    eng->added--;
    eng->done_cb(easy, code, eng->ud);
  }
}

static void sock_poll_cb(uv_poll_t *h, int status, int events)
{
  struct sockctx *ctx = h->data;
  struct shard *sh = ctx->shard;
  int flags = 0;

  if (!sh || !sh->multi)
    return; /* Closing: the handle is being closed too. */
  if (!ctx->wanted) {
    /* An idle keep-alive connection became readable: the server closed
     * it or wrote out of turn. libcurl sees that when it next picks the
     * connection; stop watching so that the loop does not spin. */
    (void)sock_watch(ctx, 0);
    return;
  }
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
  (void)curl_multi_socket_action(sh->multi, ctx->fd, flags, &sh->running);
  check_done(sh);
}

/* Watch "events" on the socket (0: stop). libuv talks to epoll only when
 * the set changes. */
static int sock_watch(struct sockctx *ctx, int events)
{
  if (events == ctx->events)
    return 0;
  if (!events)
    (void)uv_poll_stop(&ctx->poll); /* Cannot fail. */
  else if (uv_poll_start(&ctx->poll, events, sock_poll_cb) < 0)
    return -1;
  ctx->events = events;
  return 0;
}

static void timeout_cb(uv_timer_t *h)
{
  struct shard *sh = h->data;

  if (!sh->multi)
    return;
  (void)curl_multi_socket_action(sh->multi, CURL_SOCKET_TIMEOUT, 0,
                                 &sh->running);
  check_done(sh);
}

/* CURLMOPT_TIMERFUNCTION: one timer for libcurl's next timeout. 0 ms
 * means "as soon as possible": the timer then fires on the next loop
 * turn, never from inside libcurl. */
static int multi_timer_cb(CURLM *multi, long timeout_ms, void *ud)
{
  struct shard *sh = ud;

  (void)multi;
  if (timeout_ms < 0) {
    (void)uv_timer_stop(&sh->timer); /* Cannot fail. */
    return 0;
  }
  if (sh->eng->closing)
    return 0;
  return uv_timer_start(&sh->timer, timeout_cb, (uint64_t)timeout_ms, 0) < 0
             ? -1
             : 0;
}

/* Whether the fd of owned "ctx" is still the socket opensocket_cb made. */
static bool sock_same(const struct sockctx *ctx)
{
  struct stat st;

  return fstat(ctx->fd, &st) == 0 && st.st_dev == ctx->dev &&
         st.st_ino == ctx->ino;
}

/* CURLMOPT_SOCKETFUNCTION. Also runs inside curl_multi_cleanup(), after
 * admission stopped: it must only touch the socket contexts. */
static int multi_socket_cb(CURL *easy, curl_socket_t s, int what, void *ud,
                           void *socketp)
{
  struct shard *sh = ud;
  struct engine *eng = sh->eng;
  struct sockctx *ctx = sock_get(eng, s);
  int events = 0;

  (void)easy;
  (void)socketp;
  if (what == CURL_POLL_REMOVE) {
    if (!ctx)
      return 0;
    if (!ctx->trusted) {
      struct sockaddr_storage peer;
      socklen_t len = sizeof(peer);

      if (!ctx->owned || !sock_same(ctx) ||
          getpeername(s, (struct sockaddr *)&peer, &len) < 0) {
        /* Perhaps closed already (see struct sockctx): let go. */
        sock_drop(eng, s);
        return 0;
      }
      ctx->trusted = true;
    }
    /* Idle: keep watching for input only (see struct sockctx). */
    ctx->wanted = false;
    uv_unref((uv_handle_t *)&ctx->poll);
    return sock_watch(ctx, ctx->events ? UV_READABLE : 0);
  }
  if (ctx && ctx->owned && !ctx->trusted && !sock_same(ctx)) {
    sock_drop(eng, s); /* closed behind our back, the number reused */
    ctx = NULL;
  }
  if (!ctx && !(ctx = sock_new(eng, s)))
    return -1;
  /* A connection stays in the cache of the multi handle that made it. */
  ctx->shard = sh;
  if (!ctx->wanted) {
    ctx->wanted = true;
    uv_ref((uv_handle_t *)&ctx->poll);
  }
  if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
    events |= UV_READABLE;
  if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
    events |= UV_WRITABLE;
  return sock_watch(ctx, events);
}

/* CURLOPT_OPENSOCKETFUNCTION: open the socket libcurl asks for and mark it
 * owned (see struct sockctx). */
static curl_socket_t opensocket_cb(void *ud, curlsocktype purpose,
                                   struct curl_sockaddr *addr)
{
  struct engine *eng = ud;
  curl_socket_t fd;
  struct sockctx *ctx;

  (void)purpose;
  fd = socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
  if (fd == CURL_SOCKET_BAD)
    return fd;
  /* A context left for this fd number belongs to a socket closed behind
   * our back: drop it rather than trust its epoll registration. */
  sock_drop(eng, fd);
  ctx = sock_new(eng, fd);
  if (ctx) {
    struct stat st;

    if (fstat(fd, &st) == 0) {
      ctx->owned = true;
      ctx->dev = st.st_dev;
      ctx->ino = st.st_ino;
    }
  }
  eng->opened++;
  /* Without a context the socket is watched as any other. */
  return fd;
}

/* CURLOPT_CLOSESOCKETFUNCTION: libcurl is done with an owned socket. Its
 * handle is closed (taken out of epoll) before the fd is. */
static int closesocket_cb(void *ud, curl_socket_t fd)
{
  struct engine *eng = ud;

  sock_drop(eng, fd);
  return close(fd);
}

long engine_idle_budget(unsigned concurrency, unsigned fds_each,
                        unsigned long long nofile)
{
  unsigned long long c = concurrency;
  unsigned long long need = c * fds_each + 64;
  unsigned long long idle = nofile > need ? nofile - need : 0;
  unsigned long long cap =
      ENGINE_MAX_CONNS > c + c / 4 ? ENGINE_MAX_CONNS - c : c / 4;

  if (idle > cap)
    idle = cap;
  return idle < 16 ? 16 : (long)idle;
}

unsigned long long engine_raise_nofile(unsigned concurrency, struct msg *msg)
{
  struct rlimit rl;

  if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
    return 1024; /* unknown: the usual default */
  if (rl.rlim_cur < rl.rlim_max) {
    rlim_t old = rl.rlim_cur;

    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
      msg_verbose(msg, 1, "raised the open files limit from %llu to %llu",
                  (unsigned long long)old, (unsigned long long)rl.rlim_cur);
    else
      rl.rlim_cur = old;
  }
  if (rl.rlim_cur < (rlim_t)concurrency + 64)
    msg_warn(msg,
             "-c %u may not fit: the open files limit is %llu (hard "
             "limit %llu); raise it with ulimit -n",
             concurrency, (unsigned long long)rl.rlim_cur,
             (unsigned long long)rl.rlim_max);
  return rl.rlim_cur;
}

struct engine *engine_new(uv_loop_t *loop, long max_idle,
                          engine_done_fn *done_cb, void *ud,
                          char err[VL_ERRLEN])
{
  struct engine *eng = calloc(1, sizeof(*eng));
  size_t i;

  if (!eng) {
    snprintf(err, VL_ERRLEN, "out of memory");
    return NULL;
  }
  eng->loop = loop;
  eng->done_cb = done_cb;
  eng->ud = ud;
  if (max_idle < 1)
    max_idle = 1;
  /* At most as many shards as keep ENGINE_MIN_SHARD_IDLE idle
   * connections each: a small cache is walked cheaply as one. */
  eng->max_shards = 1;
  while (eng->max_shards * 2 <= ENGINE_MAX_SHARDS &&
         (long)eng->max_shards * 2 * ENGINE_MIN_SHARD_IDLE <= max_idle)
    eng->max_shards *= 2;
  eng->nshards = 1;
  eng->max_idle = max_idle;
  eng->shard_idle = max_idle;
  for (i = 0; i < ENGINE_MAX_SHARDS; i++)
    eng->shards[i].eng = eng;
  return eng;
}

/* Double the shards as the connections opened outgrow them. */
static void shards_grow(struct engine *eng)
{
  size_t i;

  if (eng->nshards >= eng->max_shards ||
      eng->opened <= (long)eng->nshards * ENGINE_MIN_SHARD_IDLE)
    return;
  eng->nshards *= 2;
  eng->shard_idle = eng->max_idle / (long)eng->nshards;
  for (i = 0; i < eng->nshards; i++)
    if (eng->shards[i].multi)
      shard_limit(&eng->shards[i]);
}

/* The shard of "host", its multi handle made on first use. NULL with
 * "err" filled if libcurl or libuv refused. */
static struct shard *shard_of(struct engine *eng, const char *host,
                              char err[VL_ERRLEN])
{
  uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
  struct shard *sh;
  int rc;

  shards_grow(eng);
  /* One shard until a run has opened many connections: no hash then. */
  if (eng->nshards > 1)
    for (; host && *host; host++)
      h = (h ^ (unsigned char)*host) * 0x100000001b3ULL;
  sh = &eng->shards[eng->nshards > 1 ? h % eng->nshards : 0];
  if (sh->multi)
    return sh;
  if (!sh->timer_ready) {
    rc = uv_timer_init(eng->loop, &sh->timer);
    if (rc < 0) {
      snprintf(err, VL_ERRLEN, "timer: %s", uv_strerror(rc));
      return NULL;
    }
    sh->timer.data = sh;
    sh->timer_ready = true;
    eng->handles++;
  }
  sh->multi = curl_multi_init();
  if (!sh->multi) {
    snprintf(err, VL_ERRLEN, "curl_multi_init failed");
    return NULL;
  }
  if (curl_multi_setopt(sh->multi, CURLMOPT_SOCKETFUNCTION, multi_socket_cb) !=
          CURLM_OK ||
      curl_multi_setopt(sh->multi, CURLMOPT_SOCKETDATA, sh) != CURLM_OK ||
      curl_multi_setopt(sh->multi, CURLMOPT_TIMERFUNCTION, multi_timer_cb) !=
          CURLM_OK ||
      curl_multi_setopt(sh->multi, CURLMOPT_TIMERDATA, sh) != CURLM_OK) {
    snprintf(err, VL_ERRLEN, "curl_multi_setopt failed");
    (void)curl_multi_cleanup(sh->multi); /* Nothing added yet. */
    sh->multi = NULL;
    return NULL;
  }
  shard_limit(sh);
  return sh;
}

void engine_socket_callbacks(struct engine *eng,
                             curl_opensocket_callback *open_cb,
                             curl_closesocket_callback *close_cb, void **ud)
{
  *open_cb = opensocket_cb;
  *close_cb = closesocket_cb;
  *ud = eng;
}

int engine_add(struct engine *eng, CURL *easy, const char *host,
               char err[VL_ERRLEN])
{
  struct shard *sh = shard_of(eng, host, err);
  CURLMcode mc;

  if (!sh)
    return -1;
  mc = curl_multi_add_handle(sh->multi, easy);
  if (mc != CURLM_OK) {
    snprintf(err, VL_ERRLEN, "curl_multi_add_handle: %s",
             curl_multi_strerror(mc));
    return -1;
  }
  sh->inflight++;
  shard_limit(sh);
  eng->added++;
  return 0;
}

void engine_remove(struct engine *eng, CURL *easy)
{
  size_t i;

  /* Only the multi handle "easy" was added to accepts it; the others
   * refuse it without touching it. */
  for (i = 0; i < eng->nshards; i++) {
    struct shard *sh = &eng->shards[i];

    if (sh->multi && curl_multi_remove_handle(sh->multi, easy) == CURLM_OK) {
      sh->inflight--;
      shard_limit(sh);
      eng->added--;
      return;
    }
  }
}

int engine_running(const struct engine *eng)
{
  return eng->added;
}

void engine_close(struct engine *eng)
{
  size_t i;

  if (!eng)
    return;
  eng->closing = true;
  for (i = 0; i < eng->nshards; i++) {
    struct shard *sh = &eng->shards[i];
    CURLM *multi = sh->multi;

    if (sh->timer_ready)
      (void)uv_timer_stop(&sh->timer); /* Cannot fail. */
    if (multi) {
      /* Cleaning up closes the cached connections through closesocket_cb,
       * which closes their handles; "multi" is NULL first so that no
       * callback reaches into a multi handle being freed. */
      sh->multi = NULL;
      (void)curl_multi_cleanup(multi);
    }
    if (sh->timer_ready)
      uv_close((uv_handle_t *)&sh->timer, timer_close_cb);
  }
  /* Whatever is left (sockets libcurl closed itself) is closed here. */
  for (i = 0; i < eng->nsocks; i++)
    sock_drop(eng, (curl_socket_t)i);
  free(eng->socks);
  eng->socks = NULL;
  eng->nsocks = 0;
  /* Nothing was ever opened: no close callback will free the engine. */
  maybe_free(eng);
}
