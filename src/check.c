/* --check. Reads the record files first, blocking (nothing else runs),
 * into sets of 128-bit keys of id and URL, never whole records; then
 * streams the input through input.c and feed.c on a loop of its own, so
 * that lines, --shard and ids are exactly a run's; writes through
 * output.c. Owns the loop, the sets and the counts. */
#include "config.h"

#include "check.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "feed.h"
#include "hmap.h"
#include "input.h"
#include "msg.h"
#include "output.h"
#include "record.h"
#include "request.h"
#include "resume.h"
#include "util.h"

struct check {
  uv_loop_t loop;
  const struct config *cfg;
  struct config feed_cfg; /* "cfg" without --crawl: the input only */
  struct msg msg;
  struct request_shared shared;
  struct input *in;
  struct feed feed;
  bool feed_ready;
  struct output *out;
  bool paused;  /* the output is above its high watermark */
  bool closing; /* the summary is written */
  int output_error;
  struct hmap seen;    /* keys with a record */
  struct hmap dup;     /* keys with more than one record */
  struct hmap canc;    /* keys with a cancelled record */
  struct hmap matched; /* keys of the input, each once */
  struct buf line;
  uint64_t records, other_lines;
  uint64_t requests, once, missing, cancelled, duplicated;
  uint64_t with_record; /* requests of the input that have a record */
};

static void record_cb(const struct resume_line *rl, void *ud)
{
  struct check *c = ud;

  c->records++;
  if (!hmap_add(&c->seen, &rl->key))
    (void)hmap_add(&c->dup, &rl->key); /* Once is enough. */
  if (rl->outcome == RESUME_CANCELLED)
    (void)hmap_add(&c->canc, &rl->key);
}

/* Read every record file; -1 if one cannot be read. */
static int read_records(struct check *c)
{
  char err[VL_ERRLEN];
  uint64_t other;
  size_t i;

  for (i = 0; i < c->cfg->nurls; i++) {
    switch (resume_scan(c->cfg->urls[i], record_cb, c, &other, err)) {
    case 0:
      c->other_lines += other;
      break;
    case 1:
      /* A part never written: its requests are simply missing. */
      msg_warn(&c->msg, "--check: %s", err);
      break;
    default:
      msg_error(&c->msg, "--check: %s", err);
      return -1;
    }
  }
  return 0;
}

/* Sort one request of the input by what the record files hold for it. */
static void classify(struct check *c, const char *id_json, uint64_t line,
                     const char *url)
{
  struct hmap_key k;
  const char *what;
  char num[24];

  resume_key(&k, id_json, line, url);
  /* A line that repeats another's id and URL is the same request, as
   * --resume sees it. */
  if (!hmap_add(&c->matched, &k))
    return;
  c->requests++;
  if (!hmap_has(&c->seen, &k)) {
    c->missing++;
    what = "missing";
  } else {
    c->with_record++;
    if (hmap_has(&c->dup, &k)) {
      c->duplicated++;
      what = "duplicated";
    } else if (hmap_has(&c->canc, &k)) {
      c->cancelled++;
      what = "cancelled";
    } else {
      c->once++;
      return;
    }
  }
  if (c->cfg->verbose < 1)
    return;
  if (!id_json) {
    snprintf(num, sizeof(num), "%" PRIu64, line);
    id_json = num;
  }
  buf_reset(&c->line);
  buf_putf(&c->line, "{\"id\":%s,\"state\":\"%s\"}\n", id_json, what);
  output_write(c->out, c->line.p, c->line.len);
}

static void output_closed_cb(void *ud)
{
  struct check *c = ud;

  c->out = NULL;
}

/* Whether every request of the input has exactly one record, and that
 * one not cancelled. */
static bool complete(const struct check *c)
{
  return !c->missing && !c->cancelled && !c->duplicated &&
         !c->feed.input_failed;
}

/* The input is read: the summary, then close. */
static void finish(struct check *c)
{
  const struct config *cfg = c->cfg;

  c->closing = true;
  buf_reset(&c->line);
  record_put_raw(&c->line, "{");
  if (cfg->shard_n)
    buf_putf(&c->line, "\"shard\":\"%u/%u\",", cfg->shard_k, cfg->shard_n);
  buf_putf(&c->line,
           "\"requests\":%" PRIu64 ",\"once\":%" PRIu64 ",\"missing\":%" PRIu64
           ",\"cancelled\":%" PRIu64 ",\"duplicated\":%" PRIu64
           ",\"other_records\":%" PRIu64 ",\"other_lines\":%" PRIu64
           ",\"complete\":%s}\n",
           c->requests, c->once, c->missing, c->cancelled, c->duplicated,
           (uint64_t)c->seen.len - c->with_record, c->other_lines,
           complete(c) ? "true" : "false");
  output_write(c->out, c->line.p, c->line.len);
  input_close(c->in);
  c->in = NULL;
  output_close(c->out, output_closed_cb);
}

/* Take what the input has: requests and bad lines alike (a run writes a
 * record for a bad line too). */
static void pump(struct check *c)
{
  while (!c->closing && !c->paused) {
    struct request *req;
    struct result bad;
    const struct since_entry *prev;
    uint64_t seq;

    switch (feed_next(&c->feed, NULL, &req, &bad, &prev, &seq)) {
    case FEED_REQUEST:
      classify(c, req->id_json, req->line, req->url);
      request_free(req);
      break;
    case FEED_BAD:
    case FEED_DENIED: /* not without --crawl */
      classify(c, bad.id_json, bad.line, bad.url);
      break;
    case FEED_FAILED:
      msg_error(&c->msg, "reading input: %s", input_error(c->in));
      break;
    case FEED_WAIT:
      return;
    case FEED_END:
      finish(c);
      return;
    }
  }
}

static void input_ready_cb(void *ud)
{
  pump(ud);
}

static void pressure_cb(bool high, void *ud)
{
  struct check *c = ud;

  c->paused = high;
  if (!high)
    pump(c);
}

static void output_error_cb(int status, void *ud)
{
  struct check *c = ud;

  if (status != UV_EPIPE)
    msg_error(&c->msg, "cannot write: %s", uv_strerror(status));
  c->output_error = status;
}

/* Open input and output and read to the end. Returns CHECK_COMPLETE
 * when the loop ran, whatever it found. */
static enum check_result check_run(struct check *c)
{
  char err[VL_ERRLEN];

  if (input_open(&c->in, &c->loop, c->cfg->inputs, c->cfg->ninputs,
                 input_ready_cb, c, err) < 0) {
    msg_error(&c->msg, "%s", err);
    return CHECK_USAGE;
  }
  if (feed_init(&c->feed, &c->feed_cfg, &c->shared, err) < 0) {
    msg_error(&c->msg, "%s", err);
    return CHECK_USAGE;
  }
  c->feed_ready = true;
  feed_set_sources(&c->feed, c->in, NULL, NULL);
  if (output_open(&c->out, &c->loop, NULL, OUTPUT_TRUNCATE, pressure_cb,
                  output_error_cb, c, err) < 0) {
    msg_error(&c->msg, "%s", err);
    return CHECK_OUTPUT;
  }
  pump(c);
  (void)uv_run(&c->loop, UV_RUN_DEFAULT);
  return CHECK_COMPLETE;
}

enum check_result check_main(const struct config *cfg)
{
  struct check *c = xcalloc(1, sizeof(*c));
  enum check_result res = CHECK_USAGE;
  int rc;

  c->cfg = cfg;
  c->feed_cfg = *cfg;
  c->feed_cfg.crawl = false;
  msg_init(&c->msg, cfg->verbose, cfg->quiet);
  c->shared.cfg = &c->feed_cfg;
  /* Only whether there is a body matters here: it makes the default
   * method POST, which --shard hashes. */
  c->shared.data = cfg->data;
  c->shared.data_len = cfg->data ? strlen(cfg->data) : 0;
  rc = uv_loop_init(&c->loop);
  if (rc < 0) {
    msg_error(NULL, "cannot start the event loop: %s", uv_strerror(rc));
    free(c);
    return CHECK_USAGE;
  }
  if (read_records(c) == 0)
    res = check_run(c);
  /* Whatever failed, close what was opened and let it finish. */
  input_close(c->in);
  c->in = NULL;
  if (c->out)
    output_close(c->out, output_closed_cb);
  (void)uv_run(&c->loop, UV_RUN_DEFAULT);
  if (res == CHECK_COMPLETE) {
    if (c->feed.input_failed)
      res = CHECK_USAGE;
    else if (c->output_error && c->output_error != UV_EPIPE)
      res = CHECK_OUTPUT;
    else if (!complete(c))
      res = CHECK_INCOMPLETE;
  }
  if (c->feed_ready)
    feed_free(&c->feed);
  hmap_free(&c->seen);
  hmap_free(&c->dup);
  hmap_free(&c->canc);
  hmap_free(&c->matched);
  buf_free(&c->line);
  if (uv_loop_close(&c->loop) != 0)
    msg_error(NULL, "internal error: handles left open at exit");
  free(c);
  return res;
}
