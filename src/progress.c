/* The progress line. Owns a uv timer that samples the run's counters
 * every 100 ms, keeps a one-second window of samples for the rate, and
 * hands the formatted line to msg.c's status line. Decides whether the
 * run shows it. Never touches stdout. */
#include "config.h"

#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Redraw period and the number of periods in the rate window. */
#define PROGRESS_TICK_MS 100
#define PROGRESS_WINDOW  10

struct progress {
  uv_timer_t timer;
  uint64_t started_ms;
  uint64_t done_at[PROGRESS_WINDOW]; /* "done" at each of the last ticks */
  uint64_t tick;                     /* ticks so far */
  bool color;
  struct msg *msg;           /* borrowed: shows the line */
  const struct stats *stats; /* borrowed: done, ok, failed, retries */
  progress_sample_fn *sample_cb;
  void *ud;
};

static void clock_text(uint64_t secs, char *out, size_t outlen)
{
  if (secs >= 3600)
    snprintf(
        out, outlen, "%llu:%02llu:%02llu", (unsigned long long)(secs / 3600),
        (unsigned long long)(secs / 60 % 60), (unsigned long long)(secs % 60));
  else
    snprintf(out, outlen, "%02llu:%02llu", (unsigned long long)(secs / 60),
             (unsigned long long)(secs % 60));
}

void progress_format(const struct progress_counts *c, uint64_t elapsed_ms,
                     double rate, bool color, char *out, size_t outlen)
{
  const char *green = color ? "\033[32m" : "";
  const char *red = color && c->failed ? "\033[31m" : "";
  const char *reset = color ? "\033[0m" : "";
  char done[48], elapsed[32], eta[48] = "";

  if (c->total)
    snprintf(done, sizeof(done), "%llu/%s%llu", (unsigned long long)c->done,
             c->estimated ? "~" : "", (unsigned long long)c->total);
  else
    snprintf(done, sizeof(done), "%llu", (unsigned long long)c->done);
  clock_text(elapsed_ms / 1000, elapsed, sizeof(elapsed));
  if (c->stopping) {
    /* No rate and no ETA: nothing new starts. */
    snprintf(out, outlen,
             "stopping: %u in flight, cancelled in %.1fs | %s done | %sok "
             "%llu%s | %sfailed %llu%s | %s",
             c->inflight, (double)c->cancel_in_ms / 1000.0, done, green,
             (unsigned long long)c->ok, reset, red,
             (unsigned long long)c->failed, reset, elapsed);
    return;
  }
  if (c->total && rate > 0 && c->done < c->total) {
    char t[32];

    clock_text((uint64_t)((double)(c->total - c->done) / rate + 0.5), t,
               sizeof(t));
    snprintf(eta, sizeof(eta), " | ETA %s", t);
  }
  snprintf(out, outlen,
           "%s done | %.0f/s | %u in flight | %sok %llu%s | %sfailed %llu%s "
           "| retries %llu | %s%s",
           done, rate, c->inflight, green, (unsigned long long)c->ok, reset,
           red, (unsigned long long)c->failed, reset,
           (unsigned long long)c->retries, elapsed, eta);
}

static void timer_cb(uv_timer_t *h)
{
  struct progress *p = h->data;
  struct progress_counts c = { 0, 0, 0, 0, 0, 0, false, false, 0 };
  uint64_t now = uv_now(h->loop), elapsed = now - p->started_ms;
  uint64_t oldest, span_ticks;
  double rate;
  char line[256];

  c.done = p->stats->requests;
  c.ok = p->stats->ok;
  c.failed = p->stats->failed;
  c.retries = p->stats->retries;
  p->sample_cb(&c, p->ud);
  /* The rate over the last second: done now minus done a window ago. */
  span_ticks = p->tick < PROGRESS_WINDOW ? p->tick : PROGRESS_WINDOW;
  oldest =
      span_ticks ? p->done_at[(p->tick - span_ticks) % PROGRESS_WINDOW] : 0;
  p->done_at[p->tick % PROGRESS_WINDOW] = c.done;
  p->tick++;
  if (span_ticks)
    rate = (double)(c.done - oldest) /
           ((double)span_ticks * PROGRESS_TICK_MS / 1000.0);
  else
    rate = 0;
  progress_format(&c, elapsed, rate, p->color, line, sizeof(line));
  msg_status(p->msg, line);
}

/* Whether the requests are typed at a terminal: no URL argument, and
 * standard input, a terminal, among the inputs. */
static bool typed_in(const struct config *cfg)
{
  size_t i;
  bool from_stdin = cfg->ninputs == 0;

  for (i = 0; i < cfg->ninputs; i++)
    if (strcmp(cfg->inputs[i], "-") == 0)
      from_stdin = true;
  return cfg->nurls == 0 && from_stdin && isatty(0);
}

/* Whether the run shows the line (see progress_start()); "*typed" says
 * the URLs are typed at the terminal, "*color" that the counts may be in
 * colour. */
static bool progress_wanted(const struct config *cfg, bool *color, bool *typed)
{
  bool tty = isatty(2);

  *typed = typed_in(cfg);
  *color = tty && !getenv("NO_COLOR");
  if (*typed && cfg->progress < 0)
    return false;
  return cfg->progress > 0 || (cfg->progress < 0 && tty);
}

struct progress *progress_start(uv_loop_t *loop, const struct config *cfg,
                                struct msg *msg, const struct stats *stats,
                                progress_sample_fn *sample_cb, void *ud)
{
  struct progress *p;
  bool color, typed, on = progress_wanted(cfg, &color, &typed);
  int rc;

  if (typed)
    msg_verbose(msg, 0, "reading URLs from standard input; end with Ctrl-D");
  if (!on)
    return NULL;
  p = xcalloc(1, sizeof(*p));
  p->color = color;
  p->msg = msg;
  p->stats = stats;
  p->sample_cb = sample_cb;
  p->ud = ud;
  p->started_ms = uv_now(loop);
  rc = uv_timer_init(loop, &p->timer);
  if (rc < 0) {
    msg_warn(msg, "progress timer: %s", uv_strerror(rc));
    free(p);
    return NULL;
  }
  p->timer.data = p;
  /* Starting an initialised timer cannot fail. */
  (void)uv_timer_start(&p->timer, timer_cb, PROGRESS_TICK_MS,
                       PROGRESS_TICK_MS);
  /* The line must not keep a finished run alive. */
  uv_unref((uv_handle_t *)&p->timer);
  return p;
}

static void close_cb(uv_handle_t *h)
{
  free(h->data);
}

void progress_stop(struct progress *p)
{
  if (!p)
    return;
  msg_status(p->msg, NULL);
  uv_close((uv_handle_t *)&p->timer, close_cb);
}
