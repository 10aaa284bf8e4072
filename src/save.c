/* --save: a body streamed to disk, one operation in flight at a time on
 * libuv's thread pool, so the loop never waits on the disk. The file is
 * created with openat(O_CREAT|O_EXCL|O_NOFOLLOW) under a random name and
 * renamed with renameat(), both relative to the directory descriptor
 * taken once at start; a final name in subdirectories has each created
 * with mkdirat() and opened with openat(O_DIRECTORY|O_NOFOLLOW) from
 * there: whoever else can write the directory cannot make volley write
 * through a planted symbolic link, nor swap the directory for another
 * after the check. libuv's uv_fs_* take paths, so those two
 * (and unlinkat) run as uv_queue_work jobs; writes and the close use
 * uv_fs_write and uv_fs_close on the descriptor. Bytes queue in memory
 * meanwhile; past SAVE_HIGH the caller is told to pause the transfer,
 * and drain_cb says when to go on. */
#include "config.h"

#include "save.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* Queued bytes above which save_full() is true, and below which a
 * paused writer is told to go on. */
#define SAVE_HIGH (1024 * 1024)
#define SAVE_LOW  (256 * 1024)

/* Random names tried before giving up on EEXIST: with 64 random bits a
 * second try is already a sign of someone guessing. */
#define SAVE_NAME_TRIES 16

enum save_state {
  SAVE_IDLE,    /* nothing in flight */
  SAVE_OPENING, /* the openat job in flight */
  SAVE_WRITING, /* uv_fs_write in flight */
  SAVE_CLOSING, /* uv_fs_close in flight */
  SAVE_MOVING   /* the renameat or unlinkat job in flight */
};

struct save {
  uv_loop_t *loop;
  int dirfd;           /* borrowed */
  uv_fs_t req;         /* the write or close in flight */
  uv_work_t work;      /* the openat, renameat or unlinkat in flight */
  int work_rc;         /* the job's result: 0, or a negative libuv error */
  const char *work_op; /* the job's failed operation: "mkdir", "rename" */
  char tmp_name[40];   /* ".volley-<16 hex>.part" once created, else "" */
  enum save_state state;
  char *final_name;     /* set by save_close() */
  uv_file fd;           /* -1 until open; the job sets it */
  int error;            /* the first libuv error, 0 if none */
  const char *error_op; /* the operation that failed: "open", ... */
  char *buf;            /* queued bytes: [0, len) */
  size_t len, cap;
  char *out; /* the bytes being written: [0, out_len) */
  size_t out_len, out_cap;
  bool opened;   /* the open was started */
  bool was_full; /* save_full() said true: call drain_cb */
  bool closing;  /* save_close() was called */
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
  s->req.data = s;
  s->work.data = s;
  return s;
}

bool save_full(const struct save *s)
{
  return s->len + s->out_len > SAVE_HIGH;
}

void save_write(struct save *s, const char *p, size_t n)
{
  if (s->error || n == 0)
    return; /* The error is reported by save_close(). */
  if (s->cap - s->len < n) {
    while (s->cap - s->len < n)
      s->cap = s->cap ? s->cap * 2 : 64 * 1024;
    s->buf = xrealloc(s->buf, s->cap);
  }
  memcpy(s->buf + s->len, p, n);
  s->len += n;
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
  free(s->buf);
  free(s->out);
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

/* In the thread pool: touches only the save's names and descriptors,
 * which the loop leaves alone while a job is in flight. */
static void work_cb(uv_work_t *w)
{
  struct save *s = w->data;

  s->work_rc = 0;
  if (s->state == SAVE_OPENING) {
    s->work_rc = create_temp(s);
    return;
  }
  /* SAVE_MOVING. */
  if (s->keep && !s->error) {
    s->work_rc = move_into_place(s);
    if (s->work_rc == 0)
      return;
  }
  /* A failed, discarded or unrenamable body: no file stays behind. A
   * failure here has nothing left to try, and the record already tells
   * of the error that brought us here, if any. */
  (void)unlinkat(s->dirfd, s->tmp_name, 0);
}

static void after_work_cb(uv_work_t *w, int status)
{
  struct save *s = w->data;
  enum save_state was = s->state;

  (void)status; /* Never cancelled: uv_cancel is not used. */
  s->state = SAVE_IDLE;
  if (was == SAVE_OPENING) {
    if (s->work_rc < 0)
      set_error(s, s->work_rc, "open");
    kick(s);
    return;
  }
  if (s->work_rc < 0)
    set_error(s, s->work_rc, s->work_op ? s->work_op : "rename");
  close_done(s);
}

static void fs_cb(uv_fs_t *req)
{
  struct save *s = req->data;
  ssize_t result = req->result;
  enum save_state was = s->state;

  uv_fs_req_cleanup(req);
  s->state = SAVE_IDLE;
  if (was == SAVE_WRITING) {
    if (result < 0) {
      set_error(s, (int)result, "write");
      s->out_len = 0;
    } else if ((size_t)result < s->out_len) {
      /* A short write: keep the rest at the front. */
      memmove(s->out, s->out + result, s->out_len - (size_t)result);
      s->out_len -= (size_t)result;
    } else {
      s->out_len = 0;
    }
  } else if (was == SAVE_CLOSING) {
    if (result < 0)
      set_error(s, (int)result, "close");
    s->fd = -1;
  }
  if (s->was_full && s->len + s->out_len < SAVE_LOW) {
    s->was_full = false;
    if (s->drain_cb && !s->closing)
      s->drain_cb(s->ud);
  }
  kick(s);
}

/* Note that "state" is in flight, or handle its failure to start ("rc"
 * negative); returns whether kick() must look again. */
static bool started(struct save *s, enum save_state state, int rc,
                    const char *op)
{
  if (rc >= 0) {
    s->state = state;
    return false;
  }
  set_error(s, rc, op);
  if (state == SAVE_CLOSING)
    s->fd = -1; /* The descriptor is lost either way. */
  return true;
}

/* Start the next operation when none is in flight: create the file on
 * the first bytes, write what is queued, and once closing close the file, then
 * rename or remove. */
static void kick(struct save *s)
{
  uv_buf_t b;

again:
  if (s->state != SAVE_IDLE)
    return;
  if (s->error)
    s->len = s->out_len = 0; /* Nothing more reaches the disk. */
  if (!s->opened && !s->error && (s->len > 0 || (s->closing && s->keep))) {
    s->opened = true;
    s->state = SAVE_OPENING;
    if (started(s, SAVE_OPENING,
                uv_queue_work(s->loop, &s->work, work_cb, after_work_cb),
                "open")) {
      s->state = SAVE_IDLE;
      goto again;
    }
    return;
  }
  if (s->out_len == 0 && s->len > 0) {
    char *t = s->out;
    size_t tc = s->out_cap;

    s->out = s->buf;
    s->out_cap = s->cap;
    s->out_len = s->len;
    s->buf = t;
    s->cap = tc;
    s->len = 0;
  }
  if (s->out_len > 0 && s->fd >= 0) {
    b = uv_buf_init(s->out, (unsigned)s->out_len);
    if (started(s, SAVE_WRITING,
                uv_fs_write(s->loop, &s->req, s->fd, &b, 1, -1, fs_cb),
                "write"))
      goto again;
    return;
  }
  if (!s->closing)
    return;
  if (s->fd >= 0) {
    if (started(s, SAVE_CLOSING, uv_fs_close(s->loop, &s->req, s->fd, fs_cb),
                "close"))
      goto again;
    return;
  }
  if (s->tmp_name[0]) {
    /* Rename when kept and whole, else remove; the job reads the state,
     * so it is set before the job is queued. */
    s->state = SAVE_MOVING;
    if (uv_queue_work(s->loop, &s->work, work_cb, after_work_cb) == 0)
      return;
    /* Cannot fail on a live loop; the file stays if it does. */
    s->state = SAVE_IDLE;
    set_error(s, UV_EINVAL, "rename");
  }
  close_done(s);
}

void save_close(struct save *s, bool keep, const char *name,
                save_done_fn *done_cb, void *ud)
{
  s->closing = true;
  s->keep = keep;
  s->final_name = xstrdup(name ? name : "");
  s->done_cb = done_cb;
  s->done_ud = ud;
  if (!keep)
    s->len = 0; /* Nothing more needs to reach the disk. */
  kick(s);
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
