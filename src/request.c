/* One request: the only place that sets easy options. Owns the request's
 * strings and buffers; borrows the easy handle between request_attach()
 * and request_release(). Its callbacks run inside libcurl and never remove
 * handles: past --max-body the write callback notes why and returns 0. */
#include "config.h"

#include "request.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "retry.h"
#include "robots.h"
#include "util.h"

/* Set one easy option or leave through "fail" naming it. */
#define SETOPT(opt, val)                                                      \
  do {                                                                        \
    CURLcode setopt_rc = curl_easy_setopt(easy, opt, val);                    \
    if (setopt_rc != CURLE_OK) {                                              \
      snprintf(err, VL_ERRLEN, "setting %s: %s", #opt,                        \
               curl_easy_strerror(setopt_rc));                                \
      goto fail;                                                              \
    }                                                                         \
  } while (0)

/* The host of the request's URL, lower case, for sched ("" if none);
 * one too long is cut, as libcurl would refuse it anyway. */
static void request_set_host(struct request *req)
{
  (void)urlnorm_origin_host(req->url, req->host, sizeof(req->host));
}

/* glibc's malloc serves blocks of up to 1032 bytes from a per-thread
 * cache; a larger one takes its general path, allocating and freeing
 * which cost about 0.6 k instructions more, once for every request. */
_Static_assert(sizeof(struct request) <= 1032,
               "struct request fits glibc's per-thread cache");

struct request *request_new_take(struct inputline *it, uint64_t line,
                                 uint64_t seq,
                                 const struct request_shared *shared)
{
  struct request *req = xmalloc(sizeof(*req));
  size_t i;

  /* Zeroed up to its large buffers (see struct request), which are
   * strings set here and again by request_reset_attempt(), and the digest
   * state made there, before anything writes to it. */
  memset(req, 0, offsetof(struct request, host));
  req->errbuf[0] = '\0';
  req->sha_hex[0] = '\0';

  req->seq = seq;
  req->line = line;
  req->shared = shared;
  req->id_json = it->id_json;
  req->url = it->url;
  req->method = it->method;
  req->body = it->body;
  req->body_len = it->body_len;
  req->retry_after_ms = -1;
  request_set_host(req);
  if (it->nheaders) {
    struct curl_slist *s;

    /* The shared headers first, then the line's, so that a line's header
     * comes last and wins where a server takes the last. */
    for (s = shared->headers; s; s = s->next)
      req->headers = curl_slist_append(req->headers, s->data);
    for (i = 0; i < it->nheaders; i++)
      req->headers = curl_slist_append(req->headers, it->headers[i]);
    if (!req->headers)
      abort(); /* curl_slist_append fails only without memory. */
  }
  for (i = 0; i < it->nheaders; i++)
    free(it->headers[i]);
  free(it->headers);
  inputline_init(it);
  return req;
}

void request_free(struct request *req)
{
  if (!req)
    return;
  assert(!req->save); /* Closing it is asynchronous: the caller's job. */
  free(req->id_json);
  free(req->parent_json);
  free(req->seed_host);
  free(req->save_error);
  free(req->redirect_from);
  free(req->etag);
  free(req->last_modified);
  since_carry_free(req->carry);
  free(req->carry);
  free(req->url);
  free(req->method);
  free(req->body);
  curl_slist_free_all(req->headers);
  buf_free(&req->bodybuf);
  buf_free(&req->hdrbuf);
  free(req);
}

void request_since(struct request *req, const struct since_entry *prev)
{
  const struct request_shared *sh = req->shared;
  const char *method = req->method ? req->method : sh->cfg->method;
  char inm[VL_VALIDATOR_MAX + 32], ims[64];
  struct curl_slist *s;

  req->since_prev = prev;
  /* Other methods give If-None-Match other meanings (RFC 9110 13.1.2). */
  if (!prev || req->body || sh->data ||
      (method && strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0))
    return;
  if (!since_validators(sh->since, prev, inm, sizeof(inm), ims, sizeof(ims)))
    return;
  if (!req->headers)
    for (s = sh->headers; s; s = s->next)
      req->headers = curl_slist_append(req->headers, s->data);
  if (inm[0])
    req->headers = curl_slist_append(req->headers, inm);
  if (ims[0])
    req->headers = curl_slist_append(req->headers, ims);
  if (!req->headers)
    abort(); /* curl_slist_append fails only without memory. */
  req->conditional = true;
}

/* The --save file drained: let the transfer go on. Runs in a uv_fs
 * callback, outside libcurl, where unpausing is allowed. */
static void save_drain_cb(void *ud)
{
  struct request *req = ud;

  if (req->paused && req->easy) {
    req->paused = false;
    /* A failure shows as the transfer's own error. */
    (void)curl_easy_pause(req->easy, CURLPAUSE_CONT);
  }
}

static size_t body_write_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
  struct request *req = ud;
  size_t n = size * nmemb;

  /* robots.txt (an internal request) is not a body to save, nor is an
   * error page unless --save-errors: decided at the first bytes. */
  if (req->shared->save_dir && !req->internal && !req->save &&
      !req->save_skipped) {
    if (request_save_wanted(req))
      req->save = save_new(req->shared->loop, req->shared->save_dirfd,
                           save_drain_cb, req);
    else
      req->save_skipped = true;
  }
  if (req->save) {
    if (save_full(req->save)) {
      /* The disk is behind: curl delivers this chunk again later. */
      req->paused = true;
      return CURL_WRITEFUNC_PAUSE;
    }
  }
  /* robots.txt: the parser reads ROBOTS_MAX_BYTES to a line end, so one
   * byte past them is all it needs to know the file goes on; the rest is
   * not fetched, whatever --max-body says. outcome_status() lets the cut
   * file's status stand. */
  if (req->internal && req->bodybuf.len + n > ROBOTS_MAX_BYTES + 1) {
    buf_put(&req->bodybuf, ptr, ROBOTS_MAX_BYTES + 1 - req->bodybuf.len);
    req->too_large = true;
    return 0;
  }
  req->body_bytes += n;
  if (req->body_bytes > req->shared->cfg->max_body) {
    /* A short count aborts the transfer with CURLE_WRITE_ERROR. */
    req->too_large = true;
    return 0;
  }
  /* Hashed as it passes: no body is kept for it, whatever its size. */
  if (req->shared->cfg->hash && !req->internal)
    sha256_update(&req->sha, ptr, n);
  if (req->save)
    save_write(req->save, ptr, n);
  if (req->shared->keep_body || req->internal)
    buf_put(&req->bodybuf, ptr, n);
  return n;
}

/* Whether the status line "p" ("n" bytes, "HTTP/x[.y] NNN ...") has a
 * 3xx status. */
static bool status_3xx(const char *p, size_t n)
{
  const char *sp = memchr(p, ' ', n);
  size_t i;

  if (!sp)
    return false;
  i = (size_t)(sp - p) + 1;
  return i + 3 <= n && p[i] == '3' && isdigit((unsigned char)p[i + 1]) &&
         isdigit((unsigned char)p[i + 2]);
}

/* Keep the value of the header line "p" ("n" bytes, the name and colon
 * already skipped) in "*slot", trimmed; none when empty or longer than
 * VL_VALIDATOR_MAX: a validator that long is not worth sending back. */
static void keep_value(char **slot, const char *p, size_t n)
{
  while (n && (*p == ' ' || *p == '\t')) {
    p++;
    n--;
  }
  while (n && (p[n - 1] == '\r' || p[n - 1] == '\n' || p[n - 1] == ' ' ||
               p[n - 1] == '\t'))
    n--;
  free(*slot);
  *slot = n && n <= VL_VALIDATOR_MAX ? xstrndup(p, n) : NULL;
}

static size_t header_cb(char *ptr, size_t size, size_t nmemb, void *ud)
{
  struct request *req = ud;
  size_t n = size * nmemb;

  if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0) {
    /* A new response: after a redirect or a 100 Continue, only the last
     * one's headers count. */
    req->got_response = true;
    req->headers_done = false;
    req->hdrbuf.len = 0;
    req->retry_after_ms = -1;
    free(req->redirect_from);
    req->redirect_from = NULL;
    free(req->etag);
    req->etag = NULL;
    free(req->last_modified);
    req->last_modified = NULL;
    if (status_3xx(ptr, n)) {
      char *u = NULL;

      /* The URL this response came from: if libcurl then refuses the
       * Location, its effective URL names a target never fetched. */
      if (curl_easy_getinfo(req->easy, CURLINFO_EFFECTIVE_URL, &u) ==
              CURLE_OK &&
          u)
        req->redirect_from = xstrdup(u);
    }
    return n;
  }
  if ((n == 2 && ptr[0] == '\r' && ptr[1] == '\n') ||
      (n == 1 && ptr[0] == '\n'))
    req->headers_done = true;
  /* By the first letter: most headers are none of the three, and this
   * runs for every header of every response. */
  switch (n > 0 ? ptr[0] | 0x20 : 0) {
  case 'r':
    if (n > 12 && strncasecmp(ptr, "retry-after:", 12) == 0)
      req->retry_after_ms =
          retry_parse_after(ptr + 12, n - 12, util_wallclock());
    break;
  case 'e':
    if (n > 5 && strncasecmp(ptr, "etag:", 5) == 0)
      keep_value(&req->etag, ptr + 5, n - 5);
    break;
  case 'l':
    if (n > 14 && strncasecmp(ptr, "last-modified:", 14) == 0)
      keep_value(&req->last_modified, ptr + 14, n - 14);
    break;
  }
  if (req->shared->cfg->want_headers && n > 2)
    buf_put(&req->hdrbuf, ptr, n);
  return n;
}

/* Read --data @FILE ("path", or "-" for standard input) into "sh". */
static int load_data_file(struct request_shared *sh, const char *path,
                          char err[VL_ERRLEN])
{
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  struct buf data = { NULL, 0, 0 };
  size_t n;
  int rc = 0;

  if (!f) {
    snprintf(err, VL_ERRLEN, "--data: cannot open '%s': %s", path,
             strerror(errno));
    return -1;
  }
  do {
    buf_reserve(&data, 4096);
    n = fread(data.p + data.len, 1, data.cap - data.len, f);
    data.len += n;
  } while (n > 0);
  if (ferror(f)) {
    snprintf(err, VL_ERRLEN, "--data: cannot read '%s'", path);
    rc = -1;
  }
  if (f != stdin)
    fclose(f);
  sh->data = sh->data_file = data.p; /* not NULL: room was reserved */
  sh->data_len = data.len;
  return rc;
}

int request_shared_init(struct request_shared *sh, const struct config *cfg,
                        uv_loop_t *loop, const struct since *since,
                        char err[VL_ERRLEN])
{
  size_t i;

  sh->cfg = cfg;
  sh->loop = loop;
  sh->save_dir = cfg->save_dir;
  sh->since = since;
  sh->save_dirfd = -1;
  sh->proxy_off = !cfg->proxy && !request_proxy_in_env();
  for (i = 0; i < cfg->nheaders; i++) {
    sh->headers = curl_slist_append(sh->headers, cfg->headers[i]);
    if (!sh->headers)
      abort(); /* Fails only without memory. */
  }
  for (i = 0; i < cfg->nresolves; i++) {
    sh->resolve = curl_slist_append(sh->resolve, cfg->resolves[i]);
    if (!sh->resolve)
      abort(); /* Fails only without memory. */
  }
  if (request_tls_trust(sh, err) < 0)
    return -1;
  if (cfg->data && cfg->data[0] == '@')
    return load_data_file(sh, cfg->data + 1, err);
  if (cfg->data) {
    sh->data = cfg->data;
    sh->data_len = strlen(cfg->data);
  }
  return 0;
}

void request_shared_free(struct request_shared *sh)
{
  curl_slist_free_all(sh->headers);
  curl_slist_free_all(sh->resolve);
  free(sh->data_file);
  if (sh->save_dirfd >= 0)
    (void)close(sh->save_dirfd); /* only read: nothing to lose */
  sh->headers = sh->resolve = NULL;
  sh->data_file = NULL;
  sh->save_dirfd = -1;
}

bool request_proxy_in_env(void)
{
  static const char *const vars[] = { "http_proxy",  "HTTP_PROXY",
                                      "https_proxy", "HTTPS_PROXY",
                                      "all_proxy",   "ALL_PROXY" };
  size_t i;

  for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
    const char *v = getenv(vars[i]);

    if (v && *v)
      return true;
  }
  return false;
}

/* The environment variable "name" when set and not empty, else NULL. */
static const char *env_value(const char *name)
{
  const char *v = getenv(name);

  return v && *v ? v : NULL;
}

/* Whether "path" opens for reading and is ("dir") or is not a
 * directory; else fill "err" naming "opt". */
static int check_readable(const char *opt, const char *path, bool dir,
                          char err[VL_ERRLEN])
{
  struct stat st;
  int fd = open(path, O_RDONLY | O_CLOEXEC | (dir ? O_DIRECTORY : 0));
  int e = errno;

  /* The descriptor was only a probe: closing it cannot lose data. */
  if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) == dir) {
    (void)close(fd);
    return 0;
  }
  if (fd >= 0) {
    (void)close(fd);
    e = dir ? ENOTDIR : EISDIR;
  }
  snprintf(err, VL_ERRLEN, "--%s: cannot read '%.200s': %s", opt, path,
           uv_strerror(uv_translate_sys_error(e)));
  return -1;
}

int request_tls_trust(struct request_shared *sh, char err[VL_ERRLEN])
{
  const struct config *cfg = sh->cfg;

  sh->cacert = cfg->cacert;
  sh->capath = cfg->capath;
  if (sh->cacert && check_readable("cacert", sh->cacert, false, err) < 0)
    return -1;
  if (sh->capath && check_readable("capath", sh->capath, true, err) < 0)
    return -1;
  if (sh->cacert || sh->capath || cfg->insecure)
    return 0;
  /* curl reads these, libcurl does not; curl's order. A bad value is not
   * checked: like curl, every https transfer then fails as kind tls. */
  if ((sh->cacert = env_value("CURL_CA_BUNDLE")))
    return 0;
  if ((sh->capath = env_value("SSL_CERT_DIR")))
    return 0;
  sh->cacert = env_value("SSL_CERT_FILE");
  return 0;
}

void request_reset_attempt(struct request *req)
{
  req->too_large = false;
  req->got_response = false;
  req->headers_done = false;
  free(req->redirect_from);
  req->redirect_from = NULL;
  req->refused_noted = false;
  req->save_skipped = false;
  req->retry_after_ms = -1;
  free(req->etag);
  req->etag = NULL;
  free(req->last_modified);
  req->last_modified = NULL;
  sha256_init(&req->sha);
  req->sha_hex[0] = '\0';
  req->body_bytes = 0;
  req->bodybuf.len = 0;
  req->hdrbuf.len = 0;
  req->errbuf[0] = '\0';
}

/* Whether libcurl has a built-in CA bundle (not only a directory). */
static bool request_ca_bundle(CURL *easy)
{
  char *path = NULL;

  return curl_easy_getinfo(easy, CURLINFO_CAINFO, &path) == CURLE_OK && path &&
         *path;
}

/* Whether "req" needs no option beyond the run's common ones and its own
 * pointers: then an easy handle it leaves behind can serve the next such
 * request without curl_easy_reset() and the common options again. */
static bool request_plain(const struct request *req)
{
  return !req->headers && !req->body && !req->method &&
         !req->internal &&       /* robots.txt: no --max-body */
         !req->shared->save_dir; /* --save pauses transfers */
}

/* The options that differ between plain requests. */
static int set_own(struct request *req, CURL *easy, char err[VL_ERRLEN])
{
  const struct config *cfg = req->shared->cfg;

  SETOPT(CURLOPT_URL, req->url);
  SETOPT(CURLOPT_PRIVATE, req);
  SETOPT(CURLOPT_ERRORBUFFER, req->errbuf);
  SETOPT(CURLOPT_WRITEDATA, req);
  SETOPT(CURLOPT_HEADERDATA, req);
  /* Waiting for a connection to multiplex on pays only where HTTP/2 is
   * likely: over TLS. On http:// it would queue a request behind a
   * sibling's whole response, a hang included. */
  SETOPT(CURLOPT_PIPEWAIT, cfg->httpver != CLI_HTTP_1_1 &&
                                   strncasecmp(req->url, "https:", 6) == 0
                               ? 1L
                               : 0L);
  if (cfg->max_time_ms) /* cut to what is left of -m: differs each time */
    SETOPT(CURLOPT_TIMEOUT_MS, (long)req->timeout_ms);
  if (cfg->userpwd) {
    /* -u goes to the hosts of the input only: a crawl that reaches
     * another host (--any-host) must not hand it the password, nor may
     * the robots.txt fetch of any host. A pooled handle may hold it from
     * the last request: set or clear it. libcurl itself keeps it from
     * the other hosts of a redirect. */
    bool own = !req->internal &&
               (!req->seed_host || strcmp(req->host, req->seed_host) == 0);

    SETOPT(CURLOPT_USERPWD, own ? cfg->userpwd : NULL);
  }
  return 0;
fail:
  return -1;
}

/* The share bucket of "url"'s origin, made on first use: a CURLSH sharing the
 * DNS cache and the TLS sessions.
 *
 * Why buckets: libcurl 7.88 keeps 8 TLS sessions in a share handle (and 5
 * in an easy handle without one), evicting the oldest, so one share for a
 * list of thousands of hosts resumes almost nothing; and it walks the
 * whole DNS cache at the end of every transfer to expire old entries,
 * which over one cache of thousands of hosts costs more than the
 * transfer. Hashed by origin into REQUEST_SHARES buckets, the connections
 * to one origin share one small cache of both. NULL if libcurl refused
 * (the request then goes without). */
static CURLSH *share_of(struct request_pool *pool, const char *url)
{
  uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
  const char *p = strstr(url, "://");
  CURLSH **slot;

  /* Scheme, host and port, as libcurl keys its sessions. */
  p = p ? p + 3 : url;
  p += strcspn(p, "/?#");
  for (; url < p; url++)
    h = (h ^ (unsigned char)*url) * 0x100000001b3ULL;
  if (!pool->shares)
    pool->shares = xcalloc(REQUEST_SHARES, sizeof(*pool->shares));
  slot = &pool->shares[h % REQUEST_SHARES];
  if (!*slot) {
    CURLSH *sh = curl_share_init();

    if (!sh)
      return NULL;
    if (curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) !=
            CURLSHE_OK ||
        curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) !=
            CURLSHE_OK) {
      (void)curl_share_cleanup(sh); /* Unused: cannot fail. */
      return NULL;
    }
    *slot = sh;
  }
  return *slot;
}

/* The limit of the attempt "req" starts at "now_ms": -t, cut to what is
 * left of -m after its earlier attempts and waits. */
static void attempt_timeout(struct request *req, uint64_t now_ms)
{
  const struct config *cfg = req->shared->cfg;
  uint64_t used, left;

  if (req->attempts == 0)
    req->first_start_ms = now_ms;
  if (!cfg->max_time_ms)
    return;
  used = now_ms - req->first_start_ms;
  /* A start delayed past -m (a rate, a paused host) still gets 1 ms:
   * libcurl reads 0 as no limit at all. */
  left = used < cfg->max_time_ms ? cfg->max_time_ms - used : 1;
  req->timeout_ms =
      cfg->timeout_ms && cfg->timeout_ms < left ? cfg->timeout_ms : left;
}

int request_attach(struct request *req, struct request_pool *pool,
                   uint64_t now_ms, char err[VL_ERRLEN])
{
  const struct request_shared *sh = req->shared;
  const struct config *cfg = sh->cfg;
  const char *body = req->body ? req->body : sh->data;
  size_t body_len = req->body ? req->body_len : sh->data_len;
  const char *method = req->method ? req->method : cfg->method;
  bool plain = request_plain(req);
  CURL *easy;
  const struct request_shared *base = NULL;
  CURLSH *share = NULL, *want = share_of(pool, req->url);

  if (pool->len > 0) {
    pool->len--;
    easy = pool->v[pool->len].easy;
    base = pool->v[pool->len].base;
    share = pool->v[pool->len].share;
    if (base && (base != sh || !plain)) {
      curl_easy_reset(easy);
      base = NULL;
    }
  } else if (!(easy = curl_easy_init())) {
    snprintf(err, VL_ERRLEN, "curl_easy_init failed");
    return -1;
  }
  attempt_timeout(req, now_ms);
  req->easy = easy;
  req->easy_base = NULL;
  req->easy_share = share;
  if (req->attempts == 0)
    req->first_start_ns = uv_hrtime();
  req->attempts++;
  request_reset_attempt(req);

  if (set_own(req, easy, err) < 0)
    return -1;
  /* A reset keeps the share but not its session count: set it again. */
  if (want != share || !base) {
    SETOPT(CURLOPT_SHARE, want);
    req->easy_share = want;
  }
  if (base) { /* the common options are set already */
    req->easy_base = base;
    return 0;
  }
  SETOPT(CURLOPT_NOSIGNAL, 1L);
  SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
  SETOPT(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  SETOPT(CURLOPT_WRITEFUNCTION, body_write_cb);
  SETOPT(CURLOPT_HEADERFUNCTION, header_cb);
  if (!cfg->max_time_ms)
    SETOPT(CURLOPT_TIMEOUT_MS, (long)cfg->timeout_ms);
  SETOPT(CURLOPT_CONNECTTIMEOUT_MS, (long)cfg->connect_timeout_ms);
  SETOPT(CURLOPT_FOLLOWLOCATION, cfg->follow ? 1L : 0L);
  SETOPT(CURLOPT_MAXREDIRS, (long)cfg->max_redirs);
  SETOPT(CURLOPT_USERAGENT, cfg->user_agent);
  /* A robots.txt is cut at ROBOTS_MAX_BYTES instead (body_write_cb), and
   * read: one past --max-body must not be refused whole. */
  if (!req->internal)
    SETOPT(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)cfg->max_body);
  if (req->headers || sh->headers)
    SETOPT(CURLOPT_HTTPHEADER, req->headers ? req->headers : sh->headers);
  if (cfg->compressed)
    SETOPT(CURLOPT_ACCEPT_ENCODING, "");
  if (cfg->insecure) {
    SETOPT(CURLOPT_SSL_VERIFYPEER, 0L);
    SETOPT(CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (request_ca_bundle(easy)) {
    /* libcurl 7.88 builds one CA store per multi handle and shares it
     * among connections only when no CA directory is set. Debian's has
     * both a bundle and /etc/ssl/certs (the same certificates), so each
     * new TLS connection parsed the whole bundle (145 certificates, about
     * 30 ms of CPU with OpenSSL 3) and kept its own copy (about 1 MB) as
     * long as it stayed open. With a bundle, the directory goes. */
    SETOPT(CURLOPT_CAPATH, NULL);
  }
  if (sh->cacert)
    SETOPT(CURLOPT_CAINFO, sh->cacert);
  if (sh->capath)
    SETOPT(CURLOPT_CAPATH, sh->capath);
  if (sh->resolve)
    SETOPT(CURLOPT_RESOLVE, sh->resolve);
  if (cfg->proxy) {
    SETOPT(CURLOPT_PROXY, cfg->proxy);
  } else if (sh->proxy_off) {
    /* What libcurl would find in the environment, said once: it would
     * otherwise read six variables on every transfer. */
    SETOPT(CURLOPT_PROXY, "");
    SETOPT(CURLOPT_NOPROXY, "");
  }
  if (sh->opensocket) {
    /* Connections copy these when they are made: they outlive this
     * request in libcurl's cache, not the engine. */
    SETOPT(CURLOPT_OPENSOCKETFUNCTION, sh->opensocket);
    SETOPT(CURLOPT_OPENSOCKETDATA, sh->socketdata);
    SETOPT(CURLOPT_CLOSESOCKETFUNCTION, sh->closesocket);
    SETOPT(CURLOPT_CLOSESOCKETDATA, sh->socketdata);
  }
  if (cfg->ipresolve == CLI_IP_V4)
    SETOPT(CURLOPT_IPRESOLVE, (long)CURL_IPRESOLVE_V4);
  else if (cfg->ipresolve == CLI_IP_V6)
    SETOPT(CURLOPT_IPRESOLVE, (long)CURL_IPRESOLVE_V6);
  if (cfg->httpver == CLI_HTTP_1_1)
    SETOPT(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
  else if (cfg->httpver == CLI_HTTP_2)
    SETOPT(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2_0);

  if (body) {
    SETOPT(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    SETOPT(CURLOPT_POSTFIELDS, body);
  }
  if (method) {
    if (strcmp(method, "HEAD") == 0 && !body)
      SETOPT(CURLOPT_NOBODY, 1L);
    else if (!(strcmp(method, "GET") == 0 && !body) &&
             !(strcmp(method, "POST") == 0 && body))
      SETOPT(CURLOPT_CUSTOMREQUEST, method);
  }
  if (plain)
    req->easy_base = sh;
  return 0;
fail:
  return -1;
}

struct save *request_take_save(struct request *req)
{
  struct save *s = req->save;

  req->save = NULL;
  req->paused = false;
  return s;
}

bool request_save_wanted(const struct request *req)
{
  long status = 0;

  if (req->shared->cfg->save_errors)
    return true;
  (void)curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
  return status >= 200 && status < 300;
}

void request_release(struct request *req, struct request_pool *pool)
{
  CURL *easy = req->easy;

  if (!easy)
    return;
  req->easy = NULL;
  if (!req->easy_base)
    curl_easy_reset(easy);
  if (pool->len == pool->cap) {
    pool->cap = pool->cap ? pool->cap * 2 : 64;
    pool->v = xrealloc(pool->v, pool->cap * sizeof(*pool->v));
  }
  pool->v[pool->len].easy = easy;
  pool->v[pool->len].base = req->easy_base;
  pool->v[pool->len].share = req->easy_share;
  pool->len++;
  req->easy_base = NULL;
  req->easy_share = NULL;
}

struct request *request_from_easy(CURL *easy)
{
  char *p = NULL;

  (void)curl_easy_getinfo(easy, CURLINFO_PRIVATE, &p); /* Always set. */
  return (struct request *)p;
}

const char *request_id_text(const struct request *req, char *buf, size_t len)
{
  if (req->id_json)
    snprintf(buf, len, "%.60s", req->id_json);
  else
    snprintf(buf, len, "%llu", (unsigned long long)req->line);
  return buf;
}

void request_pool_free(struct request_pool *pool)
{
  size_t i;

  for (i = 0; i < pool->len; i++)
    curl_easy_cleanup(pool->v[i].easy);
  free(pool->v);
  pool->v = NULL;
  pool->len = pool->cap = 0;
  /* Every easy handle is gone, so no share is in use. */
  for (i = 0; pool->shares && i < REQUEST_SHARES; i++)
    if (pool->shares[i])
      (void)curl_share_cleanup(pool->shares[i]);
  free(pool->shares);
  pool->shares = NULL;
}
