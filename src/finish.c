/* After a transfer, before its record. Owns one job per request that
 * needs work: a uv_work_t for extraction in the thread pool and the
 * --save file's close and rename, and the set of file names this run
 * saved to, so that no two bodies get one name. The job's thread touches
 * only the body bytes and strings copied for it, never libcurl or the
 * loop. */
#include "config.h"

#include "finish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "savename.h"
#include "util.h"

struct finish {
  uv_loop_t *loop;
  const struct extract_spec *spec;
  const char *save_name;
  struct hmap names; /* --save: every file name given out this run */
  unsigned pending;
  finish_done_fn *done_cb;
  void *ud;
};

struct job {
  uv_work_t work;
  struct finish *f;
  struct request *req;
  CURLcode code;
  char note[160];
  int steps; /* async steps left */
  bool extracting;
  char *ctype, *final_url; /* copies for the worker thread */
  struct extract_result xr;
  char *saved; /* the final path: set with "keep", freed if it failed */
  bool keep;   /* the body is kept under its final name */
};

static void job_done(struct job *j)
{
  struct finish *f = j->f;
  struct record_buf extra = { NULL, 0, 0 };

  if (j->extracting)
    extract_result_json(&j->xr, f->spec, &extra);
  if (f->save_name) {
    record_put(&extra, ",\"saved\":", 9);
    if (j->saved)
      record_put_string(&extra, j->saved, strlen(j->saved));
    else
      record_put(&extra, "null", 4);
  }
  f->pending--;
  f->done_cb(j->req, j->code, j->note, &extra, j->extracting ? &j->xr : NULL,
             f->ud);
  record_buf_free(&extra);
  if (j->extracting)
    extract_result_free(&j->xr);
  free(j->ctype);
  free(j->final_url);
  free(j->saved);
  free(j);
}

static void step_done(struct job *j)
{
  if (--j->steps == 0)
    job_done(j);
}

static void work_cb(uv_work_t *w)
{
  struct job *j = w->data;
  const struct record_buf *body = &j->req->bodybuf;

  /* In the thread pool: the body and the copied strings only. */
  (void)extract_run(j->f->spec, body->p ? body->p : "", body->len, j->ctype,
                    j->final_url, &j->xr);
}

static void after_work_cb(uv_work_t *w, int status)
{
  struct job *j = w->data;

  (void)status; /* Never cancelled: uv_cancel is not used. */
  /* Only --body wants the body in the record: let it go now rather than
   * when --save's file is done too (at the peak of a crawl with --save,
   * half the heap was bodies already parsed). */
  if (!j->req->shared->cfg->want_body)
    record_buf_free(&j->req->bodybuf);
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
  char base[256];
  struct hmap_key k;
  unsigned n = 1;

  request_save_name(req, f->save_name, base, sizeof(base));
  snprintf(name, len, "%s", base);
  for (;;) {
    hmap_key_of(&k, name, strlen(name), "", 0);
    if (hmap_add(&f->names, &k))
      return;
    savename_number(base, ++n, name, len);
  }
}

void finish_start(struct finish *f, struct request *req, CURLcode code,
                  const char *note)
{
  struct job *j = xcalloc(1, sizeof(*j));
  struct save *save = request_take_save(req);
  bool completed = code == CURLE_OK && !req->cancel_why && req->got_response;

  j->f = f;
  j->req = req;
  j->code = code;
  if (note) /* j->note is zeroed: the copy stays terminated */
    memcpy(j->note, note, strnlen(note, sizeof(j->note) - 1));
  f->pending++;
  j->steps = 1; /* held until every step is started */

  if (f->save_name && completed && !save) /* an empty body: empty file */
    save = save_new(f->loop, req->shared->save_dirfd, NULL, NULL);
  if (save) {
    char name[320] = "";

    j->steps++;
    j->keep = completed && f->save_name;
    if (j->keep) {
      size_t n;

      unique_name(f, req, name, sizeof(name));
      n = strlen(req->shared->save_dir) + 1 + strlen(name) + 1;
      j->saved = xmalloc(n);
      snprintf(j->saved, n, "%s/%s", req->shared->save_dir, name);
    }
    save_finish(save, j->keep, name, save_done_cb, j);
  }
  if (completed && extract_spec_active(f->spec)) {
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
    j->work.data = j;
    j->steps++;
    if (uv_queue_work(f->loop, &j->work, work_cb, after_work_cb) < 0) {
      /* Cannot fail on a live loop; run it here rather than lose it. */
      work_cb(&j->work);
      j->steps--;
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

struct finish *finish_new(uv_loop_t *loop, const struct extract_spec *spec,
                          const char *save_name, finish_done_fn *done_cb,
                          void *ud)
{
  struct finish *f = xcalloc(1, sizeof(*f));

  f->loop = loop;
  f->spec = spec;
  f->save_name = save_name;
  f->done_cb = done_cb;
  f->ud = ud;
  return f;
}

unsigned finish_pending(const struct finish *f)
{
  return f ? f->pending : 0;
}

void finish_free(struct finish *f)
{
  if (!f)
    return;
  hmap_free(&f->names);
  free(f);
}
