/* After a transfer, before its record. Owns one job per request that
 * needs work: a uv_work_t for extraction in the thread pool, one for
 * reading --since's earlier record back, and the --save file's close and
 * rename (in the extraction's job when there is one: one trip to the
 * pool), and the set of file names this run saved to, so that no two
 * bodies get one name. The job's threads touch only the body bytes, the
 * strings copied for them, the stop flag and FILE's descriptor, never
 * libcurl or the loop. At most "max_running" extractions are in the pool
 * at once; the others wait in a queue here. */
#include "config.h"

#include "finish.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include "hmap.h"
#include "outcome.h"
#include "queue.h"
#include "resume.h"
#include "save.h"
#include "savename.h"
#include "since.h"
#include "util.h"

/* libuv's thread pool when UV_THREADPOOL_SIZE does not say. */
#define FINISH_POOL_DEFAULT 4

/* Bodies from which on the freed parse tree is given back at once. */
#define FINISH_TRIM_BYTES (1024 * 1024)

/* The ids of finish's two queues of jobs. */
enum { FINISH_JOBS = 1, FINISH_WAITING };

enum job_state {
  JOB_IDLE,      /* no extraction, or it is over */
  JOB_WAITING,   /* in the queue for a turn in the pool */
  JOB_SUBMITTED, /* uv_queue_work() took it: queued or running */
};

struct job {
  uv_work_t work;
  struct finish *f;
  struct request *req;
  struct queue_link link;  /* in f->jobs: every job, for finish_cancel() */
  struct queue_link wlink; /* in f->waiting while JOB_WAITING */
  enum job_state state;
  atomic_bool stop;       /* set by finish_cancel(), read by the worker */
  const char *cancel_why; /* finish_cancel()'s reason, or NULL */
  CURLcode code;
  char note[160];
  int steps; /* async steps left */
  bool extracting;
  char *ctype, *final_url; /* copies for the worker thread */
  struct extract_result xr;
  char *saved; /* the final path: set with "keep", freed if it failed */
  struct save *save_job;     /* --save's last job, run with the extraction */
  bool keep;                 /* the body is kept under its final name */
  uv_work_t carry_work;      /* --since: FILE's record read back */
  bool carrying;             /* a 304: the record takes FILE's fields */
  struct since_carry *carry; /* what the read gave, or NULL if it failed */
};

struct finish {
  uv_loop_t *loop;
  const struct extract_spec *spec;
  const char *save_name;
  struct hmap names;    /* --save: every file name given out this run */
  unsigned running;     /* jobs JOB_SUBMITTED, <= max_running */
  unsigned max_running; /* half the thread pool, at least 1 */
  struct queue jobs;    /* every pending job */
  struct queue waiting; /* jobs waiting for a turn in the pool */
  finish_done_fn *done_cb;
  void *ud;
};

/* The record of "req": its result with the note "note" ("" for none),
 * the extraction "xr" (or NULL) and the saved path "saved" (or NULL), to
 * done_cb. */
static void report(struct finish *f, struct request *req, CURLcode code,
                   const char *note, const struct extract_result *xr,
                   const char *saved)
{
  struct result res;
  char message[VL_ERRLEN + CURL_ERROR_SIZE];

  outcome_result(req, code, uv_hrtime(), &res);
  if (note[0]) {
    if (res.message)
      snprintf(message, sizeof(message), "%s; %s", res.message, note);
    else
      snprintf(message, sizeof(message), "HTTP %ld; %s", res.status, note);
    res.message = message;
  }
  res.extract = xr;
  res.extract_spec = f->spec;
  res.saving = f->save_name != NULL;
  res.saved = saved;
  f->done_cb(req, &res, f->ud);
}

static void job_done(struct job *j)
{
  queue_remove(&j->f->jobs, &j->link);
  report(j->f, j->req, j->code, j->note, j->extracting ? &j->xr : NULL,
         j->saved);
  if (j->extracting)
    extract_result_free(&j->xr);
  free(j->ctype);
  free(j->final_url);
  free(j->saved);
  since_carry_free(j->carry);
  free(j->carry);
  free(j);
}

static void step_done(struct job *j)
{
  if (--j->steps == 0)
    job_done(j);
}

/* Run the extraction of "j". In the thread pool it may touch only the
 * body, the copied strings and the stop flag. */
static void extract_job(struct job *j)
{
  const struct buf *body = &j->req->bodybuf;

  (void)extract_run_until(j->f->spec, body->p ? body->p : "", body->len,
                          j->ctype, j->final_url, &j->stop, &j->xr);
}

/* The extraction is over (or was never run because finish_cancel() came
 * first): a result the stop cut short makes the record a cancellation. */
static void extract_over(struct job *j)
{
  j->state = JOB_IDLE;
  if (j->xr.cancelled && j->cancel_why && !j->req->cancel_why)
    j->req->cancel_why = j->cancel_why;
}

static void work_cb(uv_work_t *w)
{
  struct job *j = w->data;

  if (j->save_job)
    save_run(j->save_job);
  extract_job(j);
#ifdef HAVE_MALLOC_TRIM
  /* Each pool thread has its own malloc arena, which keeps the peak of
   * the parses it ran: a 2.5 MB page makes a 55 MB tree, and four
   * threads would keep four such peaks after their pages were freed.
   * Giving the free pages back costs about a fifth of the parse's CPU
   * (they are faulted in again by the next one), so only after bodies
   * large enough for their trees to matter, and only when a tree was
   * built (the one-pass scan of --title and --links builds none). */
  if (j->xr.tree && j->req->bodybuf.len >= FINISH_TRIM_BYTES)
    (void)malloc_trim(0);
#endif
}

static void submit(struct job *j);

/* The --save job that was to go with the extraction: "ran" in it, or
 * to be queued on its own. Its done_cb is a step of "j": not the last. */
static void save_job_over(struct job *j, bool ran)
{
  struct save *s = j->save_job;

  j->save_job = NULL;
  if (s)
    save_ran(s, ran);
}

/* Give the next waiting job its turn in the pool, if it has one. */
static void start_waiting(struct finish *f)
{
  while (!queue_empty(&f->waiting) && f->running < f->max_running)
    submit(QUEUE_ENTRY(queue_pop(&f->waiting), struct job, wlink));
}

static void after_work_cb(uv_work_t *w, int status)
{
  struct job *j = w->data;
  struct finish *f = j->f;

  f->running--;
  save_job_over(j, status != UV_ECANCELED);
  if (status == UV_ECANCELED)
    extract_job(j); /* Taken back before it ran: "stop" is set, so this
                       only marks every item as cut. */
  extract_over(j);
  start_waiting(f);
  /* Only --body wants the body in the record: let it go now rather than
   * when --save's file is done too (at the peak of a crawl with --save,
   * half the heap was bodies already parsed). */
  if (!j->req->shared->cfg->want_body)
    buf_free(&j->req->bodybuf);
  step_done(j);
}

static void submit(struct job *j)
{
  struct finish *f = j->f;

  j->work.data = j;
  j->state = JOB_SUBMITTED;
  f->running++;
  if (uv_queue_work(f->loop, &j->work, work_cb, after_work_cb) < 0) {
    /* Cannot fail on a live loop; run it here rather than lose it. */
    save_job_over(j, false);
    extract_job(j);
    f->running--;
    extract_over(j);
    step_done(j);
  }
}

/* In the thread pool: FILE's record of the request, read back and parsed
 * (after a 304, its title, links and extract values too). */
static void carry_work_cb(uv_work_t *w)
{
  struct job *j = w->data;
  const struct since_entry *e = j->req->since_prev;
  struct since_carry *c = xcalloc(1, sizeof(*c));
  char *line = xmalloc(e->len ? e->len : 1);

  if (resume_read_at(j->req->shared->since->fd, e->offset, e->len, line) ==
          0 &&
      since_carry_parse(line, e->len, j->f->spec, c,
                        j->carrying ? &j->xr : NULL) == 0) {
    j->carry = c;
  } else {
    since_carry_free(c);
    free(c);
  }
  free(line);
}

static void carry_after_cb(uv_work_t *w, int status)
{
  struct job *j = w->data;

  (void)status; /* Never cancelled: finish_cancel() leaves it be. */
  if (!j->carry) {
    /* FILE changed under us: a 304's record says only what came. */
    if (j->carrying)
      j->extracting = false;
  } else {
    if (j->f->save_name && j->carry->saved) {
      /* The body is the one FILE's run saved: that file stays. */
      free(j->saved);
      j->saved = xstrdup(j->carry->saved);
    }
    if (j->carrying) {
      j->req->carry = j->carry;
      j->carry = NULL;
    }
  }
  step_done(j);
}

static void save_done_cb(int status, const char *what, void *ud)
{
  struct job *j = ud;

  if (j->keep && status < 0) {
    /* The record becomes kind "save", its message this one. */
    free(j->req->save_error);
    j->req->save_error = xstrdup(what);
    free(j->saved);
    j->saved = NULL;
  }
  step_done(j);
}

/* A file name for "req" that no other body of this run got: the
 * template's, or with -2, -3, ... before its extension. */
static void unique_name(struct finish *f, const struct request *req,
                        char *name, size_t len)
{
  char base[SAVENAME_MAX + 1];
  struct hmap_key k;
  unsigned n = 1;

  outcome_save_name(req, f->save_name, base, sizeof(base));
  snprintf(name, len, "%s", base);
  for (;;) {
    hmap_key_of(&k, name, strlen(name), "", 0);
    if (hmap_add(&f->names, &k))
      return;
    savename_number(base, ++n, name, len);
  }
}

/* "dir/name" without a doubled '/' when "dir" ends in one: --save
 * mirror/ gives mirror/1.html. Caller frees. */
static char *join_path(const char *dir, const char *name)
{
  size_t dl = strlen(dir), n;
  char *p;

  while (dl > 1 && dir[dl - 1] == '/')
    dl--;
  n = dl + 1 + strlen(name) + 1;
  p = xmalloc(n);
  if (dl == 1 && dir[0] == '/')
    snprintf(p, n, "/%s", name);
  else
    snprintf(p, n, "%.*s/%s", (int)dl, dir, name);
  return p;
}

void finish_start(struct finish *f, struct request *req, CURLcode code,
                  const char *note)
{
  struct job *j;
  struct save *save = request_take_save(req);
  bool completed = code == CURLE_OK && !req->cancel_why && req->got_response;
  const struct since_entry *prev = req->since_prev;
  bool carry = completed && outcome_not_modified(req);
  /* Only a 2xx body is the page; an error page is saved on demand, and a
   * 304 to --since's validators has none. */
  bool wanted = completed && !carry && request_save_wanted(req);
  bool extracting = completed && !carry && extract_spec_active(f->spec);
  /* --save does not rewrite the file of a body FILE's run saved. */
  bool same_body = wanted && f->save_name && prev &&
                   (prev->flags & SINCE_SAVED) &&
                   since_same_body(prev, outcome_sha256(req));

  if (!save && !(f->save_name && wanted) && !carry && !same_body &&
      !extracting) {
    char copy[sizeof(j->note)] = "";

    /* Nothing to wait for: the record now, without a job (most requests
     * of a plain run). The note is cut as a job's copy would be. */
    if (note)
      memcpy(copy, note, strnlen(note, sizeof(copy) - 1));
    report(f, req, code, copy, NULL, NULL);
    return;
  }
  j = xcalloc(1, sizeof(*j));
  j->f = f;
  j->req = req;
  j->code = code;
  atomic_init(&j->stop, false);
  if (note) /* j->note is zeroed: the copy stays terminated */
    memcpy(j->note, note, strnlen(note, sizeof(j->note) - 1));
  queue_push(&f->jobs, &j->link);
  j->steps = 1; /* held until every step is started */

  if (f->save_name && wanted && !save) /* an empty body: empty file */
    save = save_new(f->loop, req->shared->save_dirfd, NULL, NULL);
  if (save) {
    char name[SAVENAME_MAX + 32] = "";

    j->steps++;
    j->keep = wanted && f->save_name && !same_body;
    if (j->keep) {
      unique_name(f, req, name, sizeof(name));
      j->saved = join_path(req->shared->save_dir, name);
    }
    /* With an extraction to come, its pool job writes the file too. */
    if (!extracting)
      save_close(save, j->keep, name, save_done_cb, j);
    else if (save_close_with(save, j->keep, name, save_done_cb, j))
      j->save_job = save;
  }
  if (carry || same_body) {
    j->carrying = carry;
    j->extracting = carry && extract_spec_active(f->spec);
    j->carry_work.data = j;
    j->steps++;
    if (uv_queue_work(f->loop, &j->carry_work, carry_work_cb, carry_after_cb) <
        0) {
      /* Cannot fail on a live loop; run it here rather than lose it. */
      carry_work_cb(&j->carry_work);
      carry_after_cb(&j->carry_work, 0);
    }
  }
  if (extracting) {
    char *s = NULL;

    j->extracting = true;
    if (curl_easy_getinfo(req->easy, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK &&
        s)
      j->ctype = xstrdup(s);
    s = NULL;
    if (curl_easy_getinfo(req->easy, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK &&
        s)
      j->final_url = xstrdup(s);
    else
      j->final_url = xstrdup(req->url);
    j->steps++;
    if (f->running < f->max_running) {
      submit(j);
    } else {
      j->state = JOB_WAITING;
      queue_push(&f->waiting, &j->wlink);
    }
  }
  step_done(j);
}

void finish_size_pool(void)
{
  unsigned n = uv_available_parallelism();
  char v[16];

  if (getenv("UV_THREADPOOL_SIZE"))
    return;
  n = n < 4 ? 4 : n > 128 ? 128 : n;
  snprintf(v, sizeof(v), "%u", n);
  /* The environment is libuv's only way to take the size; nothing else
   * reads this variable. A failure leaves libuv's default. */
  (void)setenv("UV_THREADPOOL_SIZE", v, 0);
}

void finish_cancel(struct finish *f, const char *why)
{
  struct queue_link *l;
  struct queue waiting;

  /* Extractions in the pool: one not started yet is taken back
   * (after_work_cb comes with UV_ECANCELED), one running sees "stop".
   * A --save file being closed is not stopped: that is quick, and the
   * body is whole. */
  for (l = f->jobs.head; l; l = l->next) {
    struct job *j = QUEUE_ENTRY(l, struct job, link);

    if (j->state != JOB_WAITING && j->state != JOB_SUBMITTED)
      continue;
    j->cancel_why = why;
    atomic_store(&j->stop, true);
    if (j->state == JOB_SUBMITTED)
      (void)uv_cancel((uv_req_t *)&j->work); /* UV_EBUSY when running. */
  }
  /* Extractions waiting for a turn never get one. Their step ends here,
   * which may free the job and call done_cb: the queue is detached
   * first. */
  queue_init(&waiting, FINISH_WAITING);
  queue_move_all(&waiting, &f->waiting);
  while ((l = queue_pop(&waiting))) {
    struct job *j = QUEUE_ENTRY(l, struct job, wlink);

    save_job_over(j, false);
    extract_job(j);
    extract_over(j);
    step_done(j);
  }
}

/* Half of libuv's thread pool: parsing more pages at once than that
 * gains nothing on the cores the pool has, multiplies the memory held by
 * parse trees, and would leave no thread for --save's and -o's file
 * operations, which share the pool. */
static unsigned pool_share(void)
{
  char buf[32];
  size_t len = sizeof(buf);
  uint64_t n = FINISH_POOL_DEFAULT;

  if (uv_os_getenv("UV_THREADPOOL_SIZE", buf, &len) == 0 &&
      util_parse_uint(buf, 1, 1024, &n) < 0)
    n = FINISH_POOL_DEFAULT;
  return n >= 2 ? (unsigned)(n / 2) : 1;
}

struct finish *finish_new(uv_loop_t *loop, const struct extract_spec *spec,
                          const char *save_name, finish_done_fn *done_cb,
                          void *ud)
{
  struct finish *f = xcalloc(1, sizeof(*f));

  f->loop = loop;
  f->spec = spec;
  f->save_name = save_name;
  f->max_running = pool_share();
  queue_init(&f->jobs, FINISH_JOBS);
  queue_init(&f->waiting, FINISH_WAITING);
  f->done_cb = done_cb;
  f->ud = ud;
  return f;
}

unsigned finish_pending(const struct finish *f)
{
  return f ? (unsigned)f->jobs.len : 0;
}

void finish_free(struct finish *f)
{
  if (!f)
    return;
  hmap_free(&f->names);
  free(f);
}
