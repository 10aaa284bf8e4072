/* A whole run. Owns the loop and every module on it; wires input to
 * admission, admission to the engine, completions to records and records
 * to the output, and cancels what stop.c (signals, --grace, --deadline,
 * --fail-fast) says to. Closes everything in order, and computes the exit
 * status in one place. */
#include "config.h"

#include "run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <curl/curl.h>
#include <uv.h>

#include "engine.h"
#include "errkind.h"
#include "extract.h"
#include "feed.h"
#include "finish.h"
#include "gate.h"
#include "input.h"
#include "looplag.h"
#include "msg.h"
#include "outcome.h"
#include "outfile.h"
#include "output.h"
#include "progress.h"
#include "record.h"
#include "request.h"
#include "retry.h"
#include "save.h"
#include "sched.h"
#include "sink.h"
#include "stop.h"
#include "stats.h"
#include "summary.h"
#include "util.h"

struct run {
  uv_loop_t loop;
  const struct config *cfg;
  struct msg msg;
  struct input *in; /* NULL when the URLs are arguments */
  struct feed feed; /* requests, from the input, then the crawl */
  struct output *out;
  struct progress *progress; /* NULL when off */
  struct looplag *lag;       /* with --stats or --stats-json, or NULL */
  struct engine *eng;
  struct sched sched;
  struct sink sink; /* results to records, to "out" */
  struct request_pool pool;
  struct request_shared shared;
  struct retry_policy policy;
  struct outfile of;         /* -o FILE's lock, --resume, --since */
  struct extract_spec xspec; /* --title --links -x -e */
  struct finish *fin;        /* --save and extraction after a transfer */
  struct stop stop;          /* signals, --grace, --deadline, --fail-fast */
  bool stopping;             /* admission stopped for good */
  bool closing;              /* begin_close() ran */
  int output_error;          /* the write error, 0 if none */
  int setup_status;          /* exit status of a failed setup, 0 if none */
  struct stats stats;        /* every record written, by outcome */
  uint64_t started_ns;       /* uv_hrtime() at the start, for --stats */
  const char *cancel_reason; /* cancel_all()'s "why" while it runs */
};

static void end_if_over(void *ud);
static void pump(void *ud);

/* Hand "res" to the sink, which writes its record. "prev" is --since
 * FILE's record of the request (NULL if none). */
static void emit(struct run *r, uint64_t seq, struct result *res,
                 const struct since_entry *prev)
{
  if (r->output_error)
    return;
  if (sink_put(&r->sink, seq, res, prev) && r->cfg->fail_fast && !r->stopping)
    stop_fail_fast(&r->stop); /* halts now, cancels on the next turn */
}

/* The sink's write_cb. */
static void sink_write_cb(const char *line, size_t len, void *ud)
{
  struct run *r = ud;

  output_write(r->out, line, len);
}

/* finish.c's done_cb: write the record of "req" from "res", offer its
 * links to the crawl, and release it. */
static void finished_cb(struct request *req, struct result *res, void *ud)
{
  struct run *r = ud;
  char id[64];

  sched_release(&r->sched);
  feed_crawl_fields(req, res);
  if (!r->stopping)
    feed_offer_links(&r->feed, req, res->extract);
  feed_done(&r->feed, req);
  if (msg_wants(&r->msg, 1)) /* the id's text costs two snprintf calls */
    msg_verbose(&r->msg, 1, "done #%s %s: %s",
                request_id_text(req, id, sizeof(id)), req->url,
                res->kind == ERRKIND_NONE && res->status < 400
                    ? "ok"
                    : (res->message ? res->message : "HTTP error"));
  emit(r, req->seq, res, req->since_prev);
  request_release(req, &r->pool);
  request_free(req);
  pump(r);
}

/* The attempt of "req" ended with "code" and will not be retried: the
 * record follows once finish.c is done with it. Its body stays in
 * memory until then, so it keeps a slot of -c (released in
 * finished_cb()): extraction slower than the transfers holds back
 * admission instead of piling up bodies. */
static void after_transfer(struct run *r, struct request *req, CURLcode code,
                           const char *note)
{
  sched_hold(&r->sched);
  finish_start(r->fin, req, code, note);
}

/* A request that could not start: a record of kind "other". */
static void fail_start(struct run *r, struct request *req, const char *why)
{
  struct result res;

  outcome_result(req, CURLE_FAILED_INIT, uv_hrtime(), &res);
  res.kind = ERRKIND_OTHER;
  res.message = why;
  emit(r, req->seq, &res, req->since_prev);
  feed_done(&r->feed, req);
  request_release(req, &r->pool);
  request_free(req);
}

/* sched's next_cb: the next request from the feed (requests robots.txt
 * released, the input, then the crawl frontier); the records of what it
 * hands back instead of a request. */
static struct request *next_cb(void *ud)
{
  struct run *r = ud;

  while (!r->stopping) {
    struct request *req;
    struct result rec;
    const struct since_entry *prev;
    uint64_t seq;

    switch (feed_next(&r->feed, &r->sink, &req, &rec, &prev, &seq)) {
    case FEED_REQUEST:
      return req;
    case FEED_BAD:
    case FEED_DENIED:
      emit(r, seq, &rec, prev);
      continue;
    case FEED_FAILED:
      msg_error(&r->msg, "reading input: %s", input_error(r->in));
      continue;
    case FEED_WAIT:
    case FEED_END:
      return NULL;
    }
  }
  return NULL;
}

/* sched's start_cb: attach an easy handle and hand it to the engine. */
static int start_cb(struct request *req, void *ud)
{
  struct run *r = ud;
  char err[VL_ERRLEN], id[64];

  if (request_attach(req, &r->pool, uv_now(&r->loop), err) < 0 ||
      engine_add(r->eng, req->easy, req->host, err) < 0) {
    fail_start(r, req, err);
    return -1;
  }
  if (msg_wants(&r->msg, 2))
    msg_verbose(&r->msg, 2, "start #%s %s (attempt %u)",
                request_id_text(req, id, sizeof(id)), req->url, req->attempts);
  return 0;
}

/* Admit what may start now; input.c's ready_cb too. */
static void pump(void *ud)
{
  struct run *r = ud;

  if (r->closing)
    return;
  sched_pump(&r->sched);
  end_if_over(r);
}

/* The robots.txt request of an origin ended: the gate parses it, then
 * robots_ready_cb. */
static void robots_done(struct run *r, struct request *req, CURLcode code)
{
  gate_fetched(r->feed.gate, req, code);
  request_release(req, &r->pool);
  request_free(req);
}

/* gate.c's ready callback: an origin's rules release its requests, and a
 * Crawl-delay spaces that host's starts. */
static void robots_ready_cb(const char *host, double delay, void *ud)
{
  struct run *r = ud;

  if (r->closing)
    return;
  if (delay > 0) {
    sched_host_interval(&r->sched, host, delay);
    msg_verbose(&r->msg, 1, "robots.txt of %s: Crawl-delay %.1fs", host,
                delay);
  }
  pump(r);
}

/* The engine's done_cb: retry, or write the record. */
static void done_cb(CURL *easy, CURLcode code, void *ud)
{
  struct run *r = ud;
  struct request *req = request_from_easy(easy);
  struct retry_attempt a;
  struct result res;
  uint64_t delay_ms, pause_ms;
  char why[160] = "", id[64];

  sched_done(&r->sched, req);
  if (req->internal) {
    robots_done(r, req, code);
    pump(r);
    return;
  }
  stop_note_done(&r->stop);
  /* The record's result comes later, from finish: only the retry policy
   * reads this one. */
  outcome_for_retry(req, code, uv_hrtime(), &res);
  outcome_retry_attempt(req, code, &res, uv_now(&r->loop), &a);
  if (retry_host_pause(&r->policy, &a, &pause_ms)) {
    sched_pause_host(&r->sched, req->host, pause_ms);
    msg_verbose(&r->msg, 1, "host %s: HTTP %ld, Retry-After: pausing it %.1fs",
                req->host, res.status, (double)pause_ms / 1000.0);
  }
  if (!r->stopping &&
      retry_decide(&r->policy, &a, stop_deadline_left_ms(&r->stop),
                   retry_random(&r->policy), &delay_ms, why, sizeof(why))) {
    char http[32];

    /* "#ID", never "retry #N": the number is the request's, not the
     * retry's. */
    snprintf(http, sizeof(http), "HTTP %ld", res.status);
    msg_verbose(&r->msg, 1,
                "retry of #%s %s: attempt %u of %u in %.3fs, after %s",
                request_id_text(req, id, sizeof(id)), req->url,
                req->attempts + 1, r->cfg->retries + 1,
                (double)delay_ms / 1000.0, res.message ? res.message : http);
    save_discard(request_take_save(req)); /* a retry starts a new file */
    request_release(req, &r->pool);
    sched_retry(&r->sched, req, delay_ms);
  } else {
    after_transfer(r, req, code, why);
  }
  pump(r);
}

/* A request waiting to retry or parked behind its host (sched_drain()),
 * or held by the robots.txt gate, whose gate_drain() says so: its
 * message gives the reason for the cancel, then where it waited
 * ("cancelled: --deadline passed, before it started"), written into the
 * request's own message buffer, which no transfer uses while it waits. */
static void cancel_waiting_cb(struct request *req, void *ud)
{
  struct run *r = ud;
  const char *where = req->cancel_why ? req->cancel_why
                      : req->attempts ? "while waiting to retry"
                                      : "before it started";

  snprintf(req->errbuf, sizeof(req->errbuf), "%s, %s",
           r->cancel_reason ? r->cancel_reason : "cancelled", where);
  req->cancel_why = req->errbuf;
  after_transfer(r, req, CURLE_ABORTED_BY_CALLBACK, NULL);
}

/* Cancel every request in flight and every waiting retry, and stop the
 * extractions under way; each gets a record of kind "cancelled" saying
 * "why". stop.c's cancel. */
static void cancel_all(const char *why, void *ud)
{
  struct run *r = ud;
  struct request *req;

  while ((req = sched_inflight(&r->sched))) {
    engine_remove(r->eng, req->easy);
    sched_done(&r->sched, req);
    if (req->internal) {
      /* A robots.txt fetch has no record; the requests it held are
       * drained from the gate below. */
      request_release(req, &r->pool);
      request_free(req);
      continue;
    }
    req->cancel_why = why;
    after_transfer(r, req, CURLE_ABORTED_BY_CALLBACK, NULL);
  }
  r->cancel_reason = why;
  sched_drain(&r->sched, cancel_waiting_cb, r);
  gate_drain(r->feed.gate, cancel_waiting_cb, r);
  r->cancel_reason = NULL;
  finish_cancel(r->fin, why);
}

/* No more admission and no more reading, for good. stop.c's halt. */
static void stop_admission(void *ud)
{
  struct run *r = ud;

  r->stopping = true;
  sched_stop(&r->sched);
  if (r->in)
    input_stop(r->in);
}

/* stop.c's cancel_waiting, at a signal: retries waiting for their time
 * would start after it. */
static void cancel_waiting_all_cb(void *ud)
{
  struct run *r = ud;

  r->cancel_reason = "cancelled by a signal";
  sched_drain(&r->sched, cancel_waiting_cb, r);
  r->cancel_reason = NULL;
}

static const struct stop_ops stop_ops = { stop_admission, cancel_all,
                                          cancel_waiting_all_cb, end_if_over };

static void pressure_cb(bool high, void *ud)
{
  struct run *r = ud;

  if (high) {
    sched_pause(&r->sched, SCHED_PAUSE_OUTPUT);
  } else {
    sched_resume(&r->sched, SCHED_PAUSE_OUTPUT);
    end_if_over(r);
  }
}

static void output_error_cb(int status, void *ud)
{
  struct run *r = ud;

  /* A reader that went away (| head) ends the run quietly. */
  if (status != UV_EPIPE)
    msg_error(&r->msg, "cannot write records: %s", uv_strerror(status));
  r->output_error = status;
  stop_admission(r);
  if (!r->closing) {
    cancel_all("cancelled: the output failed", r);
    end_if_over(r);
  }
}

static void output_closed_cb(void *ud)
{
  struct run *r = ud;

  r->out = NULL;
  msg_close(&r->msg);
}

/* Close everything in order: input, admission, signals and timers, the
 * engine (every transfer is over), then the output, whose close callback
 * closes stderr's stream last. */
static void begin_close(struct run *r)
{
  r->closing = true;
  stop_report(&r->stop, r->stats.cancelled);
  if (feed_queued(&r->feed))
    msg_verbose(&r->msg, 1, "crawl: %zu URLs of the frontier not fetched",
                feed_queued(&r->feed));
  progress_stop(r->progress);
  r->progress = NULL;
  looplag_stop(r->lag);
  r->lag = NULL;
  input_close(r->in);
  r->in = NULL;
  sched_close(&r->sched);
  stop_close(&r->stop);
  engine_close(r->eng);
  r->eng = NULL;
  if (r->out)
    output_close(r->out, output_closed_cb);
  else
    msg_close(&r->msg);
}

static void progress_sample_cb(struct progress_counts *c, void *ud)
{
  struct run *r = ud;

  c->inflight = r->sched.inflight;
  c->total = feed_total(&r->feed, &c->estimated);
  c->stopping = stop_grace_left(&r->stop, &c->cancel_in_ms);
}

/* Begin closing once the run is over: the input read (or admission
 * stopped), nothing in flight, waiting, held by the gate or in finish.c,
 * and no frontier left to crawl. stop.c's check and sched's idle_cb. */
static void end_if_over(void *ud)
{
  struct run *r = ud;

  if (r->closing || !(r->feed.input_done || r->stopping))
    return;
  if (!sched_idle(&r->sched))
    return;
  if (finish_pending(r->fin) || gate_holding(r->feed.gate))
    return;
  if (!r->stopping && feed_queued(&r->feed))
    return;
  begin_close(r);
}

static int exit_status(const struct run *r)
{
  if (r->setup_status)
    return r->setup_status;
  if (r->output_error && r->output_error != UV_EPIPE)
    return RUN_EXIT_OUTPUT;
  if (r->stop.signal == SIGINT)
    return RUN_EXIT_SIGINT;
  if (r->stop.signal == SIGTERM)
    return RUN_EXIT_SIGTERM;
  if (r->feed.input_failed)
    return RUN_EXIT_USAGE;
  if (r->stop.deadline_hit)
    return RUN_EXIT_FAILED;
  /* --failures-ok: a failed request is a result; a cancelled one is not,
   * so the run did not finish its work. */
  if (r->cfg->failures_ok ? r->stats.cancelled : r->stats.failed)
    return RUN_EXIT_FAILED;
  return RUN_EXIT_OK;
}

/* Set up what scraping, crawling and --save need (cli.c has checked -x,
 * -e and --save-name). */
static int setup_scrape(struct run *r, char err[VL_ERRLEN])
{
  const struct config *cfg = r->cfg;

  if (extract_spec_configure(&r->xspec, cfg, err) < 0 ||
      feed_init(&r->feed, cfg, &r->shared, err) < 0)
    return -1;
  gate_count_into(r->feed.gate, &r->stats.crawl);
  gate_on_ready(r->feed.gate, robots_ready_cb, r);
  r->shared.keep_body = cfg->want_body || extract_spec_active(&r->xspec);
  r->fin = finish_new(&r->loop, &r->xspec,
                      cfg->save_dir ? cfg->save_name : NULL, finished_cb, r);
  return 0;
}

static int setup(struct run *r, char err[VL_ERRLEN])
{
  const struct config *cfg = r->cfg;
  unsigned long long nofile = engine_raise_nofile(cfg->concurrency, &r->msg);
  /* --since FILE's index, filled by outfile_open() below. */
  const struct since *since = cfg->since ? &r->of.since : NULL;
  int rc;

  if (request_shared_init(&r->shared, cfg, &r->loop, since, err) < 0)
    return RUN_EXIT_USAGE;
  if (setup_scrape(r, err) < 0)
    return RUN_EXIT_USAGE;
  if (sink_init(
          &r->sink,
          &(struct sink_config){
              .write_out = cfg->write_out,
              .since = since,
              .only_changed = cfg->only_changed,
              .ordered = cfg->ordered ? (size_t)cfg->concurrency * 4 + 16 : 0,
              .stats = &r->stats,
              .write_cb = sink_write_cb,
              .ud = r,
          },
          err) < 0)
    return RUN_EXIT_USAGE;
  if (cfg->nurls == 0 && input_open(&r->in, &r->loop, cfg->inputs,
                                    cfg->ninputs, pump, r, err) < 0)
    return RUN_EXIT_USAGE;
  /* Before --resume-failed rewrites FILE or output_open() truncates it. */
  if (output_check_not_input(cfg->output, cfg->inputs, cfg->ninputs,
                             cfg->nurls == 0 && cfg->ninputs == 0, err) < 0)
    return RUN_EXIT_USAGE;
  if (cfg->save_dir) {
    /* Created (mkdir -p) once every usage error is ruled out, and taken
     * once: every file is created and renamed relative to it, so the
     * directory checked here is the one written to. */
    r->shared.save_dirfd = save_dir_open(cfg->save_dir, err);
    if (r->shared.save_dirfd < 0)
      return RUN_EXIT_USAGE;
  }
  feed_set_sources(&r->feed, r->in, &r->of.done, since);
  rc = outfile_open(&r->of, cfg, &r->xspec, &r->msg,
                    r->feed.crawling ? feed_resumed : NULL, &r->feed, err);
  feed_resumed_offer(&r->feed); /* nothing to offer without --resume */
  if (rc != OUTFILE_OK)
    return rc == OUTFILE_USAGE ? RUN_EXIT_USAGE : RUN_EXIT_OUTPUT;
  if (output_open(&r->out, &r->loop, cfg->output,
                  cfg->append || cfg->resume ? OUTPUT_APPEND : OUTPUT_TRUNCATE,
                  pressure_cb, output_error_cb, r, err) < 0)
    return RUN_EXIT_OUTPUT;
  output_count_into(r->out, &r->stats.output);
  r->eng = engine_new(
      &r->loop,
      engine_idle_budget(cfg->concurrency, cfg->save_dir ? 4 : 3, nofile),
      done_cb, r, err);
  if (!r->eng)
    return RUN_EXIT_USAGE;
  engine_socket_callbacks(r->eng, &r->shared.opensocket,
                          &r->shared.closesocket, &r->shared.socketdata);
  if (sched_init(&r->sched, &r->loop, cfg->concurrency, cfg->per_host, next_cb,
                 start_cb, end_if_over, r, err) < 0)
    return RUN_EXIT_USAGE;
  sched_set_rate(&r->sched, cfg->rate, cfg->rate_per_host);
  if (stop_init(&r->stop, &r->loop, cfg->deadline_ms, cfg->grace_ms, &r->msg,
                &r->sched.inflight, &stop_ops, r, err) < 0)
    return RUN_EXIT_USAGE;
  return 0;
}

/* --stats and --stats-json, once the loop has ended. Returns -1 if the
 * JSON file could not be written. */
static int report_stats(struct run *r)
{
  char err[VL_ERRLEN];

  feed_crawl_memory(&r->feed, &r->stats.crawl);
  if (summary_write(&r->stats, (double)(uv_hrtime() - r->started_ns) / 1e9,
                    r->cfg->stats, r->cfg->stats_json, err) < 0) {
    msg_error(NULL, "%s", err);
    return -1;
  }
  return 0;
}

int run_main(const struct config *cfg)
{
  struct run *r = xcalloc(1, sizeof(*r));
  char err[VL_ERRLEN] = "";
  int status, rc;

  finish_size_pool();
  rc = uv_loop_init(&r->loop);
  if (rc < 0) {
    msg_error(NULL, "cannot start the event loop: %s", uv_strerror(rc));
    free(r);
    return RUN_EXIT_USAGE;
  }
  r->cfg = cfg;
  outfile_init(&r->of);
  extract_spec_init(&r->xspec);
  stats_init(&r->stats);
  r->started_ns = uv_hrtime();
  msg_init(&r->msg, cfg->verbose, cfg->quiet);
  retry_policy_init(&r->policy, cfg, uv_hrtime() ^ ((uint64_t)getpid() << 32));

  r->setup_status = setup(r, err);
  if (r->setup_status) {
    msg_error(NULL, "%s", err);
    r->stopping = true;
    begin_close(r);
  } else {
    if (msg_start(&r->msg, &r->loop) < 0)
      msg_warn(&r->msg, "stderr stays blocking: cannot attach it");
    r->progress = progress_start(&r->loop, cfg, &r->msg, &r->stats,
                                 progress_sample_cb, r);
    if (cfg->stats || cfg->stats_json) {
      r->lag = looplag_start(&r->loop, &r->stats.loop, err);
      if (!r->lag)
        msg_warn(&r->msg, "%s", err);
    }
    pump(r);
  }
  (void)uv_run(&r->loop, UV_RUN_DEFAULT);
  if (!r->closing) {
    /* A bug: the loop ran out of work before the run ended. Say so, and
     * still close in order so that every record is written. */
    msg_error(NULL, "internal error: the loop ran dry before the end");
    r->stopping = true;
    begin_close(r);
    (void)uv_run(&r->loop, UV_RUN_DEFAULT);
  }

  status = exit_status(r);
  /* A usage error writes nothing, not even a summary. */
  if (!r->setup_status && status != RUN_EXIT_USAGE && report_stats(r) < 0 &&
      status == RUN_EXIT_OK)
    status = RUN_EXIT_OUTPUT;
  finish_free(r->fin);
  extract_spec_free(&r->xspec);
  feed_free(&r->feed); /* zeroed if setup ended before feed_init() */
  request_pool_free(&r->pool);
  sink_free(&r->sink);
  request_shared_free(&r->shared);
  outfile_close(&r->of);
  rc = uv_loop_close(&r->loop);
  if (rc != 0) {
#ifdef VOLLEY_DEBUG
    uv_print_all_handles(&r->loop, stderr);
#endif
    msg_error(NULL, "internal error: handles left open at exit");
  }
  free(r);
  return status;
}
