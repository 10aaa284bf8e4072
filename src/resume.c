/* The --resume reader. Runs once before the loop starts (blocking I/O is
 * fine then: nothing is in flight): reads -o FILE, cuts a torn last line,
 * rewrites FILE without the cancelled records (and the failed ones with
 * --resume-failed), and fills the set of finished request keys. Also
 * reads record files for --check, and --since's FILE into its index,
 * whose records it reads back later from the thread pool. Owns nothing
 * after it returns. */
#include "config.h"

#include "resume.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "utf8.h"

void resume_key(struct hmap_key *k, const char *id_json, uint64_t line,
                const char *url)
{
  char num[24], *fixed = NULL;
  size_t len;

  if (!id_json) {
    snprintf(num, sizeof(num), "%" PRIu64, line);
    id_json = num;
  }
  if (!url)
    url = "";
  /* The record holds the URL with invalid UTF-8 repaired (record.c), so
   * the key of the input's URL is taken the same way; repair leaves a
   * URL read back from a record as it is. */
  len = strlen(url);
  fixed = utf8_repair(url, len, &len);
  hmap_key_of(k, id_json, strlen(id_json), fixed ? fixed : url, len);
  free(fixed);
}

/* The outcome a record's "ok" and "error.kind" say. */
static enum resume_outcome outcome_of(json_t *root)
{
  const char *kind;

  if (json_is_true(json_object_get(root, "ok")))
    return RESUME_OK;
  kind = json_string_value(
      json_object_get(json_object_get(root, "error"), "kind"));
  if (kind && strcmp(kind, "cancelled") == 0)
    return RESUME_CANCELLED;
  return RESUME_FAILED;
}

/* The key, outcome and id text of one record line into "rl" (the caller
 * frees rl->id_json); -1 if it is not a record. On success "*rootp" holds
 * the parsed record (the caller releases it). */
static int parse_record(const char *p, size_t len, struct resume_line *rl,
                        json_t **rootp)
{
  /* JSON_ALLOW_NUL as inputline.c reads requests: an id that holds
   * "\u0000" was accepted there, so its record must be read back here. */
  json_t *root = json_loadb(p, len, JSON_ALLOW_NUL, NULL);
  json_t *id, *url;
  char *id_json;

  *rootp = NULL;
  if (!root)
    return -1;
  id = json_object_get(root, "id");
  url = json_object_get(root, "url");
  if (id && (json_is_string(url) || json_is_null(url))) {
    id_json = json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
    if (id_json) {
      resume_key(&rl->key, id_json, 0,
                 json_is_string(url) ? json_string_value(url) : NULL);
      rl->id_json = id_json;
      rl->outcome = outcome_of(root);
      *rootp = root;
      return 0;
    }
  }
  json_decref(root);
  return -1;
}

/* Hand what a record says of the crawl to "cb": its URL, numeric id,
 * depth and links. */
static void tell_record(json_t *root, bool ok, resume_record_fn *cb, void *ud)
{
  struct resume_record rec;
  json_t *v = json_object_get(root, "links");
  const char **links = NULL;
  size_t i, n = json_is_array(v) ? json_array_size(v) : 0;

  memset(&rec, 0, sizeof(rec));
  rec.url = json_string_value(json_object_get(root, "url"));
  if (!rec.url)
    return;
  if (json_is_integer(json_object_get(root, "id")) &&
      json_integer_value(json_object_get(root, "id")) > 0)
    rec.id = (uint64_t)json_integer_value(json_object_get(root, "id"));
  if (json_is_integer(json_object_get(root, "depth")))
    rec.depth = (unsigned)json_integer_value(json_object_get(root, "depth"));
  if (n) {
    links = xcalloc(n, sizeof(*links));
    for (i = 0; i < n; i++) {
      const char *l = json_string_value(json_array_get(v, i));

      if (l)
        links[rec.nlinks++] = l;
    }
  }
  rec.links = links;
  rec.ok = ok;
  cb(&rec, ud);
  free(links);
}

/* Streams "fd" line by line: each complete line goes to "fn". Returns the
 * file offset after the last complete line, or -1 on a read error. */
static int64_t each_line(int fd, void (*fn)(const char *, size_t, void *),
                         void *ud)
{
  size_t cap = 1 << 16, len = 0;
  char *buf = xmalloc(cap);
  int64_t offset = 0;
  ssize_t n;

  for (;;) {
    size_t pos = 0;
    char *nl;

    if (len == cap) {
      cap *= 2; /* one line longer than the buffer */
      buf = xrealloc(buf, cap);
    }
    n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      free(buf);
      return -1;
    }
    len += (size_t)n;
    while ((nl = memchr(buf + pos, '\n', len - pos))) {
      size_t end = (size_t)(nl - buf);

      fn(buf + pos, end - pos, ud);
      offset += (int64_t)(end + 1 - pos);
      pos = end + 1;
    }
    memmove(buf, buf + pos, len - pos);
    len -= pos;
    if (n == 0)
      break;
  }
  free(buf);
  return offset;
}

/* A byte range of FILE, [start, end). */
struct span {
  int64_t start, end;
};

struct loader {
  struct hmap *done;
  bool redo_failed;
  uint64_t kept;
  int64_t good;      /* offset after the last line worth keeping */
  int64_t offset;    /* offset after the line being looked at */
  bool pending_bad;  /* the last complete line is not a record */
  struct span *drop; /* records to drop, in file order, merged when
                        adjacent: 16 bytes a run of dropped lines */
  size_t ndrop, capdrop;
  resume_record_fn *record_cb;
  void *record_ud;
};

static void drop_span(struct loader *l, int64_t start, int64_t end)
{
  if (l->ndrop && l->drop[l->ndrop - 1].end == start) {
    l->drop[l->ndrop - 1].end = end;
    return;
  }
  if (l->ndrop == l->capdrop) {
    l->capdrop = l->capdrop ? l->capdrop * 2 : 64;
    l->drop = xrealloc(l->drop, l->capdrop * sizeof(*l->drop));
  }
  l->drop[l->ndrop].start = start;
  l->drop[l->ndrop++].end = end;
}

/* Keeps the key of one record line, or marks the line to be dropped: a
 * cancelled record always (the request was not done: it is fetched
 * again), a failed one with --resume-failed. A line that is not a record
 * is kept in the file unless it is the last one (then it is torn). */
static void load_line(const char *p, size_t len, void *ud)
{
  struct loader *l = ud;
  struct resume_line rl;
  int64_t start = l->offset;
  json_t *root;

  l->offset += (int64_t)len + 1;
  if (parse_record(p, len, &rl, &root) < 0) {
    l->pending_bad = true;
    return;
  }
  free(rl.id_json);
  l->pending_bad = false;
  l->good = l->offset;
  if (rl.outcome == RESUME_CANCELLED ||
      (rl.outcome == RESUME_FAILED && l->redo_failed)) {
    drop_span(l, start, l->offset);
  } else {
    if (hmap_add(l->done, &rl.key))
      l->kept++;
    if (l->record_cb)
      tell_record(root, rl.outcome == RESUME_OK, l->record_cb, l->record_ud);
  }
  json_decref(root);
}

/* Copy bytes [from, to) of "in" to the end of "out". Returns 0, or -1
 * with errno set. */
static int copy_range(int in, int out, int64_t from, int64_t to, char *buf,
                      size_t cap)
{
  while (from < to) {
    size_t want = (uint64_t)(to - from) < cap ? (size_t)(to - from) : cap;
    ssize_t n = pread(in, buf, want, (off_t)from);
    size_t done = 0;

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0)
        errno = EIO; /* the file shrank under us */
      return -1;
    }
    while (done < (size_t)n) {
      ssize_t w = write(out, buf + done, (size_t)n - done);

      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        return -1;
      done += (size_t)w;
    }
    from += n;
  }
  return 0;
}

/* Write FILE ("fd", "path") without the dropped records and without the
 * bytes from "keep" on to a temporary file beside it, lock that file as
 * "*lock_fd" is locked, and rename it over FILE, so that a kill leaves
 * one or the other whole and no second writer can take the new file
 * between the rename and the lock. Returns 0, or -1 with "err" filled. */
static int rewrite(int fd, const char *path, const struct loader *l,
                   int64_t keep, int *lock_fd, char err[VL_ERRLEN])
{
  size_t n = strlen(path) + 16, i, cap = 1 << 16;
  char *tmp = xmalloc(n), *buf = NULL;
  int64_t pos = 0;
  struct stat st;
  int out, rc = -1;

  /* mkstemp: an unpredictable name, created with O_EXCL. */
  snprintf(tmp, n, "%s.volley-XXXXXX", path);
  out = mkstemp(tmp);
  if (out >= 0)
    (void)fcntl(out, F_SETFD, FD_CLOEXEC); /* Nothing is exec'ed anyway. */
  if (out < 0) {
    snprintf(err, VL_ERRLEN, "--resume: cannot create '%s': %s", tmp,
             strerror(errno));
    free(tmp);
    return -1;
  }
  buf = xmalloc(cap);
  for (i = 0; i <= l->ndrop; i++) {
    int64_t to = i < l->ndrop ? l->drop[i].start : keep;

    if (copy_range(fd, out, pos, to, buf, cap) < 0)
      goto write_failed;
    if (i < l->ndrop)
      pos = l->drop[i].end;
  }
  /* mkostemp made it 0600: give it FILE's permissions. */
  if (fstat(fd, &st) == 0)
    (void)fchmod(out, st.st_mode & 07777); /* Best effort, as cp does. */
  if (fsync(out) < 0)
    goto write_failed;
  if (*lock_fd >= 0 && flock(out, LOCK_EX | LOCK_NB) < 0) {
    snprintf(err, VL_ERRLEN, "--resume: cannot lock '%s': %s", tmp,
             strerror(errno));
    goto fail;
  }
  if (rename(tmp, path) < 0) {
    snprintf(err, VL_ERRLEN, "--resume: cannot rename '%s': %s", tmp,
             strerror(errno));
    goto fail;
  }
  if (*lock_fd >= 0) {
    /* The old file's lock goes with its last descriptor. */
    close(*lock_fd);
    *lock_fd = out;
    out = -1;
  }
  free(tmp);
  tmp = NULL;
  rc = 0;
  goto fail;
write_failed:
  snprintf(err, VL_ERRLEN, "--resume: cannot write '%s': %s", tmp,
           strerror(errno));
fail:
  if (out >= 0)
    close(out);
  if (tmp) {
    (void)unlink(tmp); /* Best effort: FILE itself is untouched. */
    free(tmp);
  }
  free(buf);
  return rc;
}

int resume_load(const char *path, bool redo_failed, struct hmap *done,
                uint64_t *kept, int *lock_fd, resume_record_fn *record_cb,
                void *ud, char err[VL_ERRLEN])
{
  struct loader l;
  int64_t end, keep;
  off_t size;
  int fd, rc = -1;

  memset(&l, 0, sizeof(l));
  l.record_cb = record_cb;
  l.record_ud = ud;
  l.done = done;
  l.redo_failed = redo_failed;
  *kept = 0;
  fd = open(path, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return 0;
    snprintf(err, VL_ERRLEN, "--resume: cannot open '%s': %s", path,
             strerror(errno));
    return -1;
  }
  end = each_line(fd, load_line, &l);
  if (end < 0) {
    snprintf(err, VL_ERRLEN, "--resume: cannot read '%s': %s", path,
             strerror(errno));
    goto done;
  }
  *kept = l.kept;
  /* Cut the torn tail: bytes after the last newline, and a last line
   * that is not a record. A middle line that is not JSON stays. */
  keep = l.pending_bad ? l.good : end;
  if (l.ndrop) {
    rc = rewrite(fd, path, &l, keep, lock_fd, err);
    goto done;
  }
  size = lseek(fd, 0, SEEK_END);
  if (size > keep && ftruncate(fd, (off_t)keep) < 0) {
    snprintf(err, VL_ERRLEN, "--resume: cannot cut the torn line of '%s': %s",
             path, strerror(errno));
    goto done;
  }
  rc = 0;
done:
  free(l.drop);
  close(fd);
  return rc;
}

/* --check's reader: every record line to "line_cb". */
struct scanner {
  resume_line_fn *line_cb;
  void *ud;
  uint64_t other;
};

static void scan_line(const char *p, size_t len, void *ud)
{
  struct scanner *sc = ud;
  struct resume_line rl;
  json_t *root;

  if (parse_record(p, len, &rl, &root) < 0) {
    sc->other++;
    return;
  }
  json_decref(root);
  sc->line_cb(&rl, sc->ud);
  free(rl.id_json);
}

int resume_scan(const char *path, resume_line_fn *line_cb, void *ud,
                uint64_t *other, char err[VL_ERRLEN])
{
  struct scanner sc = { line_cb, ud, 0 };
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  int64_t end;

  *other = 0;
  if (fd < 0) {
    snprintf(err, VL_ERRLEN, "cannot open '%s': %s", path, strerror(errno));
    return errno == ENOENT ? 1 : -1;
  }
  end = each_line(fd, scan_line, &sc);
  if (end < 0) {
    snprintf(err, VL_ERRLEN, "cannot read '%s': %s", path, strerror(errno));
    close(fd);
    return -1;
  }
  /* A last line without its newline is torn: not a record. */
  if (lseek(fd, 0, SEEK_END) > (off_t)end)
    sc.other++;
  close(fd);
  *other = sc.other;
  return 0;
}

/* --since's reader: every record line into the index. */
struct since_loader {
  struct since *s;
  uint64_t offset; /* of the line being looked at */
};

static void since_line(const char *p, size_t len, void *ud)
{
  struct since_loader *sl = ud;
  struct resume_line rl;
  json_t *root;
  const char *url;

  if (parse_record(p, len, &rl, &root) == 0) {
    url = json_string_value(json_object_get(root, "url"));
    /* A discovered page's id depends on the order pages were found in:
     * only its URL names it from one run to the next. */
    if (url && json_object_get(root, "parent"))
      resume_key(&rl.key, "", 0, url);
    if (rl.outcome != RESUME_CANCELLED)
      since_add(sl->s, &rl.key, root, sl->offset, len);
    free(rl.id_json);
    json_decref(root);
  }
  sl->offset += len + 1;
}

/* A copy of "fd" ("path") in an unlinked temporary file beside it, for
 * reading records back after the output truncated FILE. Returns the
 * copy's descriptor, or -1 with "err" filled. */
static int private_copy(int fd, const char *path, char err[VL_ERRLEN])
{
  size_t n = strlen(path) + 16, cap = 1 << 16;
  char *tmp = xmalloc(n), *buf = xmalloc(cap);
  off_t size = lseek(fd, 0, SEEK_END);
  int out;

  /* mkstemp: an unpredictable name, created with O_EXCL. */
  snprintf(tmp, n, "%s.volley-XXXXXX", path);
  out = mkstemp(tmp);
  if (out >= 0) {
    (void)fcntl(out, F_SETFD, FD_CLOEXEC); /* Nothing is exec'ed anyway. */
    (void)unlink(tmp); /* Gone with its descriptor, whatever happens. */
  }
  if (out < 0 || size < 0 || copy_range(fd, out, 0, size, buf, cap) < 0) {
    snprintf(err, VL_ERRLEN, "--since: cannot copy '%s' beside it: %s", path,
             strerror(errno));
    if (out >= 0)
      close(out);
    out = -1;
  }
  free(tmp);
  free(buf);
  return out;
}

int resume_since_load(struct since *s, const char *path, const char *output,
                      bool truncate, bool *is_output, char err[VL_ERRLEN])
{
  struct since_loader sl = { s, 0 };
  struct stat st, out;
  int fd = open(path, O_RDONLY | O_CLOEXEC);

  *is_output = false;
  if (fd < 0) {
    if (errno == ENOENT)
      return 0;
    snprintf(err, VL_ERRLEN, "--since: cannot open '%s': %s", path,
             strerror(errno));
    return -1;
  }
  if (fstat(fd, &st) < 0) {
    snprintf(err, VL_ERRLEN, "--since: cannot read '%s': %s", path,
             strerror(errno));
    close(fd);
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    snprintf(err, VL_ERRLEN, "--since: cannot read '%s': it is a directory",
             path);
    close(fd);
    return -1;
  }
  if (each_line(fd, since_line, &sl) < 0) {
    snprintf(err, VL_ERRLEN, "--since: cannot read '%s': %s", path,
             strerror(errno));
    close(fd);
    return -1;
  }
  if (s->len && !S_ISREG(st.st_mode)) {
    /* A pipe (<(...)) reads once: a 304 could not read its record back. */
    snprintf(err, VL_ERRLEN,
             "--since: '%s' is not a regular file: its records could not "
             "be read back",
             path);
    close(fd);
    return -1;
  }
  *is_output = output && stat(output, &out) == 0 && out.st_dev == st.st_dev &&
               out.st_ino == st.st_ino;
  if (*is_output && truncate) {
    int copy = private_copy(fd, path, err);

    close(fd);
    if (copy < 0)
      return -1;
    fd = copy;
  }
  s->fd = fd;
  return 0;
}

int resume_read_at(int fd, uint64_t offset, size_t len, char *buf)
{
  size_t done = 0;

  while (done < len) {
    ssize_t n = pread(fd, buf + done, len - done, (off_t)(offset + done));

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return -1;
    done += (size_t)n;
  }
  return 0;
}

int resume_since_open(struct since *s, const struct config *cfg,
                      const struct extract_spec *spec, char err[VL_ERRLEN])
{
  bool is_output;

  since_init(s, cfg, spec);
  if (resume_since_load(s, cfg->since, cfg->output,
                        !cfg->append && !cfg->resume, &is_output, err) < 0)
    return -1;
  if (is_output && cfg->only_changed) {
    snprintf(err, VL_ERRLEN,
             "--only-changed: -o '%.150s' is --since's FILE: its "
             "unchanged records would be lost",
             cfg->output);
    return -1;
  }
  return 0;
}
