/* tests/bench/delayd.c - the far end of the TLS table in tests/bench/run:
 * internet latency on loopback, and the names of many hosts.
 *
 * - HTTP/1.1 on 127.0.0.1:HTTPPORT: every request is answered after a delay
 *   drawn uniformly from MIN_MS to MAX_MS (a fixed seed), with BODY bytes;
 *   connections stay open (keep-alive) until the client closes them. nginx
 *   terminates TLS in front of it.
 * - DNS on UDP DNSADDR:53: A records for the names of HOSTS (a file of
 *   "ADDRESS NAME..." lines), no AAAA (an empty answer), NXDOMAIN for
 *   other names. Tools reach it through a resolv.conf bind-mounted in a
 *   private mount namespace. A hosts file of 10,000 names would do the
 *   same, but glibc reads the whole file on every lookup: about 1 ms each.
 *
 *   cc -O2 -o delayd delayd.c $(pkg-config --cflags --libs libuv)
 *   ./delayd HTTPPORT DNSADDR HOSTS MIN_MS MAX_MS BODY MAX_SECONDS
 *
 * Prints "ready" on stdout once both sockets listen. Exits on SIGTERM or
 * SIGINT, or after MAX_SECONDS, and prints what it served on stderr. */
#define _GNU_SOURCE /* memmem, strcasestr */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <uv.h>

#define HEAD_MAX 16384 /* a request head longer than this closes the conn */
#define NAME_MAX_LEN 255
#define TABLE_BITS 16 /* DNS names: at most half of 65536 */

struct conn {
  uv_tcp_t tcp;
  uv_timer_t timer;
  char buf[HEAD_MAX];
  size_t len;   /* bytes in buf */
  bool waiting; /* a response is due when "timer" fires */
  bool keep;    /* keep-alive after this response */
  bool closing;
  int open; /* handles not yet closed: 2, then 1, then free */
};

struct name {
  char *name; /* lower case, no trailing dot; NULL: empty slot */
  unsigned char addr[4];
};

static uv_loop_t *loop;
static uv_tcp_t listener;
static uv_udp_t dns;
static uv_signal_t sigterm, sigint;
static uv_timer_t deadline;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static unsigned min_ms, max_ms;
static char *response; /* head and body, sent for every request */
static size_t response_len;
static struct name table[1u << TABLE_BITS];
static unsigned long n_requests, n_conns, n_queries, n_nx;

static uint64_t next_rand(void)
{
  rng ^= rng >> 12;
  rng ^= rng << 25;
  rng ^= rng >> 27;
  return rng * 0x2545f4914f6cdd1dULL;
}

static uint32_t hash_name(const char *s, size_t n)
{
  uint32_t h = 2166136261u;
  size_t i;

  for (i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static struct name *lookup(const char *s, size_t n, bool insert)
{
  uint32_t mask = (1u << TABLE_BITS) - 1, i = hash_name(s, n) & mask;

  for (;; i = (i + 1) & mask) {
    struct name *e = &table[i];

    if (!e->name)
      return insert ? e : NULL;
    if (strlen(e->name) == n && memcmp(e->name, s, n) == 0)
      return e;
  }
}

static int load_hosts(const char *path)
{
  FILE *f = fopen(path, "r");
  char line[4096];
  unsigned count = 0;

  if (!f)
    return -1;
  while (fgets(line, sizeof(line), f)) {
    char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save);
    struct in_addr a;

    if (!tok || tok[0] == '#' || inet_pton(AF_INET, tok, &a) != 1)
      continue;
    while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
      size_t n = strlen(tok), i;
      struct name *e;

      if (n == 0 || n > NAME_MAX_LEN)
        continue;
      for (i = 0; i < n; i++)
        tok[i] = (char)tolower((unsigned char)tok[i]);
      if (++count > (1u << (TABLE_BITS - 1))) {
        fclose(f);
        return -1;
      }
      e = lookup(tok, n, true);
      if (!e->name)
        e->name = strdup(tok);
      memcpy(e->addr, &a, 4);
    }
  }
  fclose(f);
  return 0;
}

/* ------------------------------------------------------------- DNS -- */

struct dns_reply {
  uv_udp_send_t req;
  unsigned char msg[512];
};

static void dns_sent_cb(uv_udp_send_t *req, int status)
{
  (void)status;
  free(req->data);
}

static void dns_alloc_cb(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
  static char slab[65536];

  (void)h;
  (void)size;
  buf->base = slab;
  buf->len = sizeof(slab);
}

static void dns_recv_cb(uv_udp_t *h, ssize_t nread, const uv_buf_t *buf,
                        const struct sockaddr *from, unsigned flags)
{
  const unsigned char *q = (const unsigned char *)buf->base;
  char name[NAME_MAX_LEN + 1];
  size_t pos = 12, nlen = 0, qend;
  unsigned qtype;
  struct name *e;
  struct dns_reply *r;
  unsigned char *m;
  size_t len;

  (void)flags;
  if (nread < 12 + 5 || !from)
    return;
  /* A standard query (QR 0, opcode 0) with one question. */
  if ((q[2] & 0xf8) != 0 || q[4] != 0 || q[5] != 1)
    return;
  while (pos < (size_t)nread && q[pos] != 0) {
    size_t l = q[pos++];

    if (l > 63 || pos + l > (size_t)nread || nlen + l + 1 > NAME_MAX_LEN)
      return; /* compression or overlong: not from a stub resolver */
    if (nlen)
      name[nlen++] = '.';
    for (; l; l--)
      name[nlen++] = (char)tolower(q[pos++]);
  }
  if (pos + 5 > (size_t)nread)
    return;
  qend = pos + 5; /* the root label, QTYPE and QCLASS */
  qtype = (unsigned)q[pos + 1] << 8 | q[pos + 2];
  name[nlen] = '\0';
  n_queries++;
  e = lookup(name, nlen, false);
  if (!e)
    n_nx++;
  if (qend > sizeof(r->msg) - 16)
    return;
  r = malloc(sizeof(*r));
  if (!r)
    return;
  m = r->msg;
  memcpy(m, q, qend);
  m[2] = 0x84 | (q[2] & 0x01); /* QR, AA, RD as asked */
  m[3] = 0x80 | (e ? 0 : 3);   /* RA; NOERROR or NXDOMAIN */
  m[6] = m[7] = m[8] = m[9] = m[10] = m[11] = 0; /* no records yet */
  len = qend;
  if (e && qtype == 1) {
    static const unsigned char rr[] = { 0xc0, 0x0c, 0, 1, 0, 1, 0,
                                        0,    0x0e, 0x10, 0, 4 };

    m[7] = 1;
    memcpy(m + len, rr, sizeof(rr)); /* the question's name, A, IN, 3600 s */
    len += sizeof(rr);
    memcpy(m + len, e->addr, 4);
    len += 4;
  }
  {
    uv_buf_t b = uv_buf_init((char *)m, (unsigned)len);

    r->req.data = r;
    if (uv_udp_send(&r->req, h, &b, 1, from, dns_sent_cb) < 0)
      free(r);
  }
}

/* ------------------------------------------------------------ HTTP -- */

static void conn_close_cb(uv_handle_t *h)
{
  struct conn *c = h->data;

  if (--c->open == 0)
    free(c);
}

static void conn_close(struct conn *c)
{
  if (c->closing)
    return;
  c->closing = true;
  uv_close((uv_handle_t *)&c->timer, conn_close_cb);
  uv_close((uv_handle_t *)&c->tcp, conn_close_cb);
}

static void next_request(struct conn *c);

static void write_cb(uv_write_t *req, int status)
{
  struct conn *c = req->data;

  free(req);
  if (status < 0 || !c->keep)
    conn_close(c);
}

static void timer_cb(uv_timer_t *t)
{
  struct conn *c = t->data;
  uv_write_t *w = malloc(sizeof(*w));
  uv_buf_t b = uv_buf_init(response, (unsigned)response_len);

  if (!w) {
    conn_close(c);
    return;
  }
  w->data = c;
  c->waiting = false;
  n_requests++;
  if (uv_write(w, (uv_stream_t *)&c->tcp, &b, 1, write_cb) < 0) {
    free(w);
    conn_close(c);
    return;
  }
  if (c->keep)
    next_request(c);
}

/* Start the delay of the next complete request head in the buffer. */
static void next_request(struct conn *c)
{
  char *end;
  size_t head;
  unsigned delay;

  if (c->waiting || c->closing || c->len < 4)
    return;
  c->buf[c->len < sizeof(c->buf) ? c->len : sizeof(c->buf) - 1] = '\0';
  end = memmem(c->buf, c->len, "\r\n\r\n", 4);
  if (!end)
    return;
  head = (size_t)(end - c->buf) + 4;
  *end = '\0';
  c->keep = strncmp(c->buf, "GET ", 4) == 0 && strstr(c->buf, " HTTP/1.1") &&
            !strcasestr(c->buf, "\nconnection: close");
  memmove(c->buf, c->buf + head, c->len - head);
  c->len -= head;
  c->waiting = true;
  delay = min_ms + (unsigned)(next_rand() % (max_ms - min_ms + 1));
  if (uv_timer_start(&c->timer, timer_cb, delay, 0) < 0)
    conn_close(c);
}

static void alloc_cb(uv_handle_t *h, size_t size, uv_buf_t *buf)
{
  struct conn *c = h->data;

  (void)size;
  buf->base = c->buf + c->len;
  buf->len = sizeof(c->buf) - 1 - c->len;
}

static void read_cb(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
  struct conn *c = s->data;

  (void)buf;
  if (nread < 0) {
    conn_close(c);
    return;
  }
  c->len += (size_t)nread;
  if (c->len >= sizeof(c->buf) - 1) {
    conn_close(c); /* no head this long from any client we run */
    return;
  }
  next_request(c);
}

static void accept_cb(uv_stream_t *server, int status)
{
  struct conn *c;

  if (status < 0)
    return;
  c = calloc(1, sizeof(*c));
  if (!c)
    return;
  uv_tcp_init(loop, &c->tcp);
  uv_timer_init(loop, &c->timer);
  c->tcp.data = c->timer.data = c;
  c->open = 2;
  if (uv_accept(server, (uv_stream_t *)&c->tcp) < 0 ||
      uv_read_start((uv_stream_t *)&c->tcp, alloc_cb, read_cb) < 0) {
    conn_close(c);
    return;
  }
  uv_tcp_nodelay(&c->tcp, 1);
  n_conns++;
}

/* ------------------------------------------------------------ main -- */

static void stop(void)
{
  fprintf(stderr,
          "delayd: %lu requests on %lu connections; %lu DNS queries, %lu "
          "for unknown names\n",
          n_requests, n_conns, n_queries, n_nx);
  uv_stop(loop);
}

static void signal_cb(uv_signal_t *h, int signum)
{
  (void)h;
  (void)signum;
  stop();
}

static void deadline_cb(uv_timer_t *t)
{
  (void)t;
  fprintf(stderr, "delayd: MAX_SECONDS reached\n");
  stop();
}

int main(int argc, char **argv)
{
  struct sockaddr_in http_addr, dns_addr;
  struct rlimit rl;
  unsigned long body, secs;
  int rc;

  if (argc != 8) {
    fprintf(stderr, "usage: delayd HTTPPORT DNSADDR HOSTS MIN_MS MAX_MS "
                    "BODY MAX_SECONDS\n");
    return 2;
  }
  min_ms = (unsigned)strtoul(argv[4], NULL, 10);
  max_ms = (unsigned)strtoul(argv[5], NULL, 10);
  body = strtoul(argv[6], NULL, 10);
  secs = strtoul(argv[7], NULL, 10);
  if (max_ms < min_ms || body > (1ul << 24) || secs == 0 ||
      uv_ip4_addr("127.0.0.1", atoi(argv[1]), &http_addr) < 0 ||
      uv_ip4_addr(argv[2], 53, &dns_addr) < 0 ||
      strncmp(argv[2], "127.", 4) != 0) {
    fprintf(stderr, "delayd: bad arguments\n");
    return 2;
  }
  if (load_hosts(argv[3]) < 0) {
    fprintf(stderr, "delayd: cannot read %s (or over %u names)\n", argv[3],
            1u << (TABLE_BITS - 1));
    return 2;
  }
  /* One connection per request nginx has in flight. */
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
    rl.rlim_cur = rl.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &rl);
  }
  response = malloc(body + 128);
  response_len = (size_t)snprintf(response, 128,
                                  "HTTP/1.1 200 OK\r\nContent-Type: "
                                  "text/plain\r\nContent-Length: %lu\r\n\r\n",
                                  body);
  memset(response + response_len, 'x', body);
  response_len += body;

  loop = uv_default_loop();
  uv_tcp_init(loop, &listener);
  uv_udp_init(loop, &dns);
  if ((rc = uv_tcp_bind(&listener, (const struct sockaddr *)&http_addr, 0)) <
          0 ||
      (rc = uv_listen((uv_stream_t *)&listener, 4096, accept_cb)) < 0 ||
      (rc = uv_udp_bind(&dns, (const struct sockaddr *)&dns_addr, 0)) < 0 ||
      (rc = uv_udp_recv_start(&dns, dns_alloc_cb, dns_recv_cb)) < 0) {
    fprintf(stderr, "delayd: listen: %s\n", uv_strerror(rc));
    return 1;
  }
  uv_signal_init(loop, &sigterm);
  uv_signal_init(loop, &sigint);
  uv_signal_start(&sigterm, signal_cb, SIGTERM);
  uv_signal_start(&sigint, signal_cb, SIGINT);
  uv_timer_init(loop, &deadline);
  uv_timer_start(&deadline, deadline_cb, secs * 1000, 0);
  printf("ready\n");
  fflush(stdout);
  uv_run(loop, UV_RUN_DEFAULT);
  /* Exiting: the kernel closes the sockets. */
  return 0;
}
