/* --save: a body streamed to disk through libuv's thread pool, one job
 * in flight at a time, so the loop never waits on the disk. Bytes gather
 * in memory until SAVE_BATCH of them or the end of the body; a job then
 * does what is due in one trip: create the file (the first time), write
 * the bytes gathered, and, once the body is complete, close the file and
 * rename or remove it. A body under SAVE_BATCH is one job, which a
 * caller may run in a thread-pool job of its own (save_close_with()).
 * The file is created with openat(O_CREAT|O_EXCL|O_NOFOLLOW) under a
 * random name and renamed with renameat(), both relative to the
 * directory descriptor taken once at start; a final name in
 * subdirectories has each created with mkdirat() and opened with
 * openat(O_DIRECTORY|O_NOFOLLOW) from there: whoever else can write the
 * directory cannot make volley write through a planted symbolic link,
 * nor swap the directory for another after the check. Bytes also queue
 * in memory while a job runs; past SAVE_HIGH the caller is told to pause
 * the transfer, and drain_cb says when to go on. */
#include "config.h"

#include "save.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "util.h"

/* Queued bytes above which save_full() is true, and below which a
 * paused writer is told to go on. */
#define SAVE_HIGH (1024 * 1024)
#define SAVE_LOW  (256 * 1024)

/* Queued bytes that start a job before the body is complete: fewer,
 * larger writes, and most pages in one trip to the thread pool. Below
 * SAVE_LOW, so a paused writer is always drained by a job. */
#define SAVE_BATCH (64 * 1024)

/* Random names tried before giving up on EEXIST: with 64 random bits a
 * second try is already a sign of someone guessing. */
#define SAVE_NAME_TRIES 16

struct save {
  uv_loop_t *loop;
  int dirfd;            /* borrowed */
  uv_work_t work;       /* the job in flight */
  bool busy;            /* a job is in flight */
  bool job_open;        /* this job creates the file */
  bool job_finish;      /* this job closes, then renames or removes it */
  int work_rc;          /* the job's result: 0, or a negative libuv error */
  const char *work_op;  /* the job's failed operation: "write", "rename" */
  char tmp_name[40];    /* ".volley-<16 hex>.part" once created, else "" */
  char *final_name;     /* set by save_close() */
  int fd;               /* -1 until open; the job sets it */
  int error;            /* the first libuv error, 0 if none */
  const char *error_op; /* the operation that failed: "open", ... */
  struct buf queued;    /* bytes not yet handed to a job */
  struct buf out;       /* the bytes the job in flight writes */
  bool opened;          /* a job was told to create the file */
  bool was_full;        /* save_full() said true: call drain_cb */
  bool closing;         /* save_close() was called */
  bool keep;
  save_drain_fn *drain_cb;
  save_done_fn *done_cb;
  void *ud, *done_ud;
};

static void kick(struct save *s);

int save_dir_open(const char *dir, char err[VL_ERRLEN])
{
  char *path = xstrdup(dir), *p;
  int fd, mkdir_errno = 0;

  /* Each parent, then the whole; one that exists is fine, and the open
   * below decides. A path that ends in '/' makes the last call create
   * the whole a second time, which EEXIST answers. */
  for (p = path + 1;; p++) {
    char c = *p;

    if (c && (c != '/' || p[-1] == '/'))
      continue;
    *p = '\0';
    mkdir_errno = mkdir(path, 0777) < 0 && errno != EEXIST ? errno : 0;
    *p = c;
    if (!c)
      break;
  }
  free(path);
  fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    /* "No such file" after a failed mkdir says less than the mkdir. */
    int e = errno == ENOENT && mkdir_errno ? mkdir_errno : errno;

    snprintf(err, VL_ERRLEN,
             "--save: '%.150s' is not a directory volley can create and "
             "open: %s",
             dir, uv_strerror(uv_translate_sys_error(e)));
  }
  return fd;
}

struct save *save_new(uv_loop_t *loop, int dirfd, save_drain_fn *drain_cb,
                      void *ud)
{
  struct save *s = xcalloc(1, sizeof(*s));

  s->loop = loop;
  s->dirfd = dirfd;
  s->fd = -1;
  s->drain_cb = drain_cb;
  s->ud = ud;
  s->work.data = s;
  return s;
}

bool save_full(const struct save *s)
{
  return s->queued.len + s->out.len > SAVE_HIGH;
}

void save_write(struct save *s, const char *p, size_t n)
{
  if (s->error || n == 0)
    return; /* The error is reported by save_close(). */
  buf_put(&s->queued, p, n);
  if (save_full(s))
    s->was_full = true;
  kick(s);
}

static void set_error(struct save *s, int rc, const char *op)
{
  if (!s->error) {
    s->error = rc;
    s->error_op = op;
  }
}

static void close_done(struct save *s)
{
  save_done_fn *cb = s->done_cb;
  void *ud = s->done_ud;
  int status = s->keep ? s->error : 0;
  char what[VL_ERRLEN] = "";

  if (status && strcmp(s->error_op, "rename") == 0)
    snprintf(what, sizeof(what), "rename to '%.100s': %s", s->final_name,
             uv_strerror(status));
  else if (status && strcmp(s->error_op, "mkdir") == 0)
    snprintf(what, sizeof(what), "mkdir for '%.100s': %s", s->final_name,
             uv_strerror(status));
  else if (status)
    snprintf(what, sizeof(what), "%s: %s", s->error_op, uv_strerror(status));
  free(s->final_name);
  buf_free(&s->queued);
  buf_free(&s->out);
  free(s);
  cb(status, what, ud);
}

/* In the thread pool: create the temporary file. A name that exists
 * (planted, or a leftover) is never opened: another random one is
 * tried. */
static int create_temp(struct save *s)
{
  unsigned char r[8];
  int i, rc, fd;

  for (i = 0; i < SAVE_NAME_TRIES; i++) {
    rc = uv_random(NULL, NULL, r, sizeof(r), 0, NULL);
    if (rc < 0)
      return rc;
    snprintf(s->tmp_name, sizeof(s->tmp_name),
             ".volley-%02x%02x%02x%02x%02x%02x%02x%02x.part", r[0], r[1], r[2],
             r[3], r[4], r[5], r[6], r[7]);
    fd = openat(s->dirfd, s->tmp_name,
                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0) {
      s->fd = fd;
      return 0;
    }
    if (errno != EEXIST)
      break;
  }
  rc = uv_translate_sys_error(errno);
  s->tmp_name[0] = '\0';
  return rc;
}

/* In the thread pool: the directory of "name" below "dirfd", each
 * missing one created, into "*fd" (dirfd itself for a plain name; else
 * the caller closes it), and its last component into "*leaf". A symbolic
 * link on the way is never followed: openat(O_NOFOLLOW) fails on it.
 * Returns 0 or a negative libuv error, "*op" naming the call. */
static int open_parent(int dirfd, const char *name, int *fd, const char **leaf,
                       const char **op)
{
  char part[256];
  const char *p = name, *slash;
  int cur = dirfd, next, rc;

  while ((slash = strchr(p, '/'))) {
    size_t n = (size_t)(slash - p);

    *op = "mkdir";
    if (n == 0 || n >= sizeof(part)) {
      rc = UV_EINVAL; /* savename.c gives neither */
      goto fail;
    }
    memcpy(part, p, n);
    part[n] = '\0';
    /* EEXIST: a directory already, or anything else, which the openat
     * below refuses. The mode is masked by the umask, as mkdir -p's. */
    if (mkdirat(cur, part, 0777) < 0 && errno != EEXIST) {
      rc = uv_translate_sys_error(errno);
      goto fail;
    }
    next = openat(cur, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      rc = uv_translate_sys_error(errno);
      goto fail;
    }
    if (cur != dirfd)
      (void)close(cur); /* only a directory read: nothing to lose */
    cur = next;
    p = slash + 1;
  }
  *fd = cur;
  *leaf = p;
  return 0;
fail:
  if (cur != dirfd)
    (void)close(cur);
  return rc;
}

/* In the thread pool: rename the temporary file to the final name,
 * creating its directories. Returns 0 or a negative libuv error. */
static int move_into_place(struct save *s)
{
  const char *leaf, *op = "rename";
  int fd, rc = open_parent(s->dirfd, s->final_name, &fd, &leaf, &op);

  if (rc == 0) {
    /* renameat() replaces a symbolic link at the final name; it never
     * writes through one. */
    op = "rename";
    if (renameat(s->dirfd, s->tmp_name, fd, leaf) < 0)
      rc = uv_translate_sys_error(errno);
    if (fd != s->dirfd)
      (void)close(fd); /* only a directory read: nothing to lose */
  }
  s->work_op = op;
  return rc;
}

/* In the thread pool: write all of "p", through short writes. Returns 0
 * or a negative libuv error. */
static int write_all(int fd, const char *p, size_t n)
{
  while (n > 0) {
    ssize_t w = write(fd, p, n);

    if (w < 0) {
      if (errno == EINTR)
        continue;
      return uv_translate_sys_error(errno);
    }
    if (w == 0)
      return UV_EIO; /* no progress: never loop on it */
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* In the thread pool: the job kick() planned. It touches only what the
 * loop leaves alone while a job is in flight: the names, the
 * descriptor, "out", and (when finishing, so save_close() has run)
 * "keep" and "error". Stops at the first failure, but a finishing job
 * still closes and removes the file, so none stays behind. */
static void work_cb(uv_work_t *w)
{
  struct save *s = w->data;
  const char *op = NULL;
  int rc = 0;

  if (s->job_open) {
    op = "open";
    rc = create_temp(s);
  }
  if (rc == 0 && s->out.len > 0) {
    op = "write";
    rc = write_all(s->fd, s->out.p, s->out.len);
  }
  if (s->job_finish) {
    if (s->fd >= 0) {
      if (close(s->fd) < 0 && rc == 0) {
        op = "close";
        rc = uv_translate_sys_error(errno);
      }
      s->fd = -1;
    }
    if (s->tmp_name[0] && s->keep && !s->error && rc == 0) {
      rc = move_into_place(s);
      op = s->work_op;
    }
    /* A failed, discarded or unrenamable body: no file stays behind. A
     * failure here has nothing left to try, and the record tells of the
     * error that brought us here, if any. */
    if (s->tmp_name[0] && (rc < 0 || !s->keep || s->error))
      (void)unlinkat(s->dirfd, s->tmp_name, 0);
  }
  s->work_rc = rc;
  s->work_op = op;
}

static void after_work_cb(uv_work_t *w, int status)
{
  struct save *s = w->data;

  (void)status; /* Never cancelled: uv_cancel is not used. */
  s->busy = false;
  s->out.len = 0; /* written, or lost with the error */
  if (s->work_rc < 0)
    set_error(s, s->work_rc, s->work_op);
  if (s->job_finish) {
    close_done(s);
    return;
  }
  if (s->was_full && s->queued.len < SAVE_LOW) {
    s->was_full = false;
    if (s->drain_cb && !s->closing)
      s->drain_cb(s->ud);
  }
  kick(s);
}

/* Make the job that is due the next one, when none is in flight: the
 * queued bytes once SAVE_BATCH of them or the body is complete
 * (creating the file first), and once closing (nothing more can be
 * queued then) the close and the rename or removal. Returns true when
 * there is one to start; with nothing on disk to close, "s" is done. */
static bool plan(struct save *s)
{
  struct buf t;

  if (s->busy || (!s->closing && s->queued.len < SAVE_BATCH))
    return false;
  if (s->error)
    s->queued.len = 0; /* Nothing more reaches the disk. */
  t = s->out;
  s->out = s->queued;
  s->queued = t;
  s->queued.len = 0;
  s->job_open =
      !s->opened && !s->error && (s->out.len > 0 || (s->closing && s->keep));
  s->job_finish = s->closing;
  if (!s->job_open && s->out.len == 0 &&
      !(s->job_finish && (s->fd >= 0 || s->tmp_name[0]))) {
    if (s->job_finish)
      close_done(s); /* nothing on disk */
    return false;
  }
  s->opened = s->opened || s->job_open;
  s->busy = true;
  return true;
}

/* Start the planned job in the thread pool. */
static void submit(struct save *s)
{
  if (uv_queue_work(s->loop, &s->work, work_cb, after_work_cb) == 0)
    return;
  /* Cannot fail on a live loop. */
  s->busy = false;
  set_error(s, UV_EINVAL, s->job_open ? "open" : "write");
  s->out.len = 0;
  if (s->job_finish)
    close_done(s); /* a file may stay behind: nothing can remove it */
}

static void kick(struct save *s)
{
  if (plan(s))
    submit(s);
}

/* save_close()'s part before the job. */
static void set_closing(struct save *s, bool keep, const char *name,
                        save_done_fn *done_cb, void *ud)
{
  s->closing = true;
  s->keep = keep;
  s->final_name = xstrdup(name ? name : "");
  s->done_cb = done_cb;
  s->done_ud = ud;
  if (!keep)
    s->queued.len = 0; /* Nothing more needs to reach the disk. */
}

void save_close(struct save *s, bool keep, const char *name,
                save_done_fn *done_cb, void *ud)
{
  set_closing(s, keep, name, done_cb, ud);
  kick(s);
}

bool save_close_with(struct save *s, bool keep, const char *name,
                     save_done_fn *done_cb, void *ud)
{
  set_closing(s, keep, name, done_cb, ud);
  return plan(s);
}

void save_run(struct save *s)
{
  work_cb(&s->work);
}

void save_ran(struct save *s, bool ran)
{
  if (ran)
    after_work_cb(&s->work, 0);
  else
    submit(s);
}

static void discarded_cb(int status, const char *what, void *ud)
{
  (void)status; /* A leftover temporary file is harmless. */
  (void)what;
  (void)ud;
}

void save_discard(struct save *s)
{
  if (s)
    save_close(s, false, NULL, discarded_cb, NULL);
}
