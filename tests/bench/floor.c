/* tests/bench/floor.c - libcurl's floor: the least a tool built on libcurl's
 * multi socket API and libuv can spend per request. Fetches every URL of a
 * file (one per line), C at a time, reusing easy handles, discarding
 * bodies, writing nothing but a count. The requests carry volley's default
 * headers. No records, no retries, no admission logic: what is left is
 * libcurl's and the kernel's cost, which tests/bench/run sets beside
 * volley's and curl --parallel's.
 *
 *   cc -O2 -o floor floor.c $(pkg-config --cflags --libs libcurl libuv)
 *   ./floor URLFILE C
 *
 * Prints "ok N of M" on stderr; exits 1 if any transfer failed. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

static uv_loop_t *loop;
static CURLM *multi;
static uv_timer_t timer;
static FILE *in;
static long nstarted, nok, nfailed;
static int running;

/* One poll handle per fd, kept from open to close (as src/engine.c). */
struct sock {
  uv_poll_t poll;
  int events;
  int wanted;
};
static struct sock **socks;
static size_t nsocks;

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
  (void)p;
  (void)ud;
  return size * n;
}

static void sock_closed(uv_handle_t *h)
{
  free(h->data);
}

static void sock_drop(int fd)
{
  if (fd >= 0 && (size_t)fd < nsocks && socks[fd]) {
    uv_close((uv_handle_t *)&socks[fd]->poll, sock_closed);
    socks[fd] = NULL;
  }
}

static void on_poll(uv_poll_t *h, int status, int events);

static void watch(struct sock *s, int events)
{
  if (events == s->events)
    return;
  if (events)
    uv_poll_start(&s->poll, events, on_poll);
  else
    uv_poll_stop(&s->poll);
  s->events = events;
}

static struct sock *sock_new(int fd)
{
  struct sock *s;

  if ((size_t)fd >= nsocks) {
    size_t n = nsocks ? nsocks : 256;

    while (n <= (size_t)fd)
      n *= 2;
    socks = realloc(socks, n * sizeof(*socks));
    memset(socks + nsocks, 0, (n - nsocks) * sizeof(*socks));
    nsocks = n;
  }
  s = calloc(1, sizeof(*s));
  uv_poll_init_socket(loop, &s->poll, fd);
  s->poll.data = s;
  socks[fd] = s;
  return s;
}

static int start_next(CURL *easy)
{
  char line[4096];
  size_t n;

  if (!fgets(line, sizeof(line), in))
    return 0;
  n = strcspn(line, "\r\n");
  line[n] = '\0';
  curl_easy_setopt(easy, CURLOPT_URL, line);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard);
  curl_multi_add_handle(multi, easy);
  nstarted++;
  return 1;
}

static void check_done(void)
{
  CURLMsg *m;
  int left;

  while ((m = curl_multi_info_read(multi, &left))) {
    CURL *easy = m->easy_handle;
    long code = 0;

    if (m->msg != CURLMSG_DONE)
      continue;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &code);
    if (m->data.result == CURLE_OK && code == 200)
      nok++;
    else
      nfailed++;
    curl_multi_remove_handle(multi, easy);
    if (!start_next(easy))
      curl_easy_cleanup(easy);
  }
}

static void on_poll(uv_poll_t *h, int status, int events)
{
  struct sock *s = h->data;
  int flags = 0;

  if (!s->wanted) {
    watch(s, 0);
    return;
  }
  if (status < 0)
    flags = CURL_CSELECT_ERR;
  if (events & UV_READABLE)
    flags |= CURL_CSELECT_IN;
  if (events & UV_WRITABLE)
    flags |= CURL_CSELECT_OUT;
  curl_multi_socket_action(multi, s->poll.io_watcher.fd, flags, &running);
  check_done();
}

static void on_timeout(uv_timer_t *t)
{
  (void)t;
  curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
  check_done();
}

static int timer_cb(CURLM *m, long ms, void *ud)
{
  (void)m;
  (void)ud;
  if (ms < 0)
    uv_timer_stop(&timer);
  else
    uv_timer_start(&timer, on_timeout, (uint64_t)ms, 0);
  return 0;
}

static int socket_cb(CURL *e, curl_socket_t fd, int what, void *ud, void *sp)
{
  struct sock *s = (size_t)fd < nsocks ? socks[fd] : NULL;
  int events = 0;

  (void)e;
  (void)ud;
  (void)sp;
  if (!s)
    s = sock_new(fd);
  if (what == CURL_POLL_REMOVE) {
    s->wanted = 0;
    watch(s, s->events ? UV_READABLE : 0);
    return 0;
  }
  s->wanted = 1;
  if (what & CURL_POLL_IN)
    events |= UV_READABLE;
  if (what & CURL_POLL_OUT)
    events |= UV_WRITABLE;
  watch(s, events);
  return 0;
}

static int close_cb(void *ud, curl_socket_t fd)
{
  (void)ud;
  sock_drop(fd);
  return close(fd);
}

static curl_socket_t open_cb(void *ud, curlsocktype purpose,
                             struct curl_sockaddr *a)
{
  int fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);

  (void)ud;
  (void)purpose;
  sock_drop(fd);
  return fd;
}

int main(int argc, char **argv)
{
  long c, i;

  if (argc != 3 || !(in = fopen(argv[1], "r")) || (c = atol(argv[2])) < 1) {
    fprintf(stderr, "usage: floor URLFILE C\n");
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  loop = uv_default_loop();
  uv_timer_init(loop, &timer);
  multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
  curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, timer_cb);
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, c);
  for (i = 0; i < c; i++) {
    CURL *easy = curl_easy_init();

    /* The request volley sends by default: a User-Agent, and
     * Accept-Encoding (--compressed is on by default). */
    curl_easy_setopt(easy, CURLOPT_USERAGENT, "volley/0.1.0");
    curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, open_cb);
    curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, close_cb);
    if (!start_next(easy)) {
      curl_easy_cleanup(easy);
      break;
    }
  }
  while (nok + nfailed < nstarted)
    uv_run(loop, UV_RUN_ONCE);
  curl_multi_cleanup(multi);
  for (i = 0; (size_t)i < nsocks; i++)
    sock_drop((int)i);
  uv_close((uv_handle_t *)&timer, NULL);
  uv_run(loop, UV_RUN_DEFAULT);
  free(socks);
  fclose(in);
  curl_global_cleanup();
  fprintf(stderr, "ok %ld of %ld\n", nok, nstarted);
  return nfailed ? 1 : 0;
}
