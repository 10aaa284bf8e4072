/* The --resume reader. Runs once before the loop starts (blocking I/O is
 * fine then: nothing is in flight): reads -o FILE, cuts a torn last line,
 * optionally rewrites FILE without the failed records, and fills the set
 * of finished request keys. Owns nothing after it returns. */
#include "config.h"

#include "resume.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

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

/* The key and ok flag of one record line; -1 if it is not a record. On
 * success "*rootp" holds the parsed record (the caller releases it). */
static int parse_record(const char *p, size_t len, struct hmap_key *k,
                        bool *ok, json_t **rootp)
{
  json_t *root = json_loadb(p, len, 0, NULL);
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
      resume_key(k, id_json, 0,
                 json_is_string(url) ? json_string_value(url) : NULL);
      free(id_json);
      *ok = json_is_true(json_object_get(root, "ok"));
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

struct loader {
  struct hmap *done;
  bool redo_failed;
  FILE *out; /* the rewritten file with --resume-failed */
  uint64_t kept;
  int64_t good;     /* offset after the last line worth keeping */
  int64_t offset;   /* offset after the line being looked at */
  bool pending_bad; /* the last complete line is not a record */
  bool write_failed;
  resume_record_fn *record_cb;
  void *record_ud;
};

/* Keeps the key of one record line. A line that is not a record is kept
 * in the file unless it is the last one (then it is torn). */
static void load_line(const char *p, size_t len, void *ud)
{
  struct loader *l = ud;
  struct hmap_key k;
  bool ok = false;

  l->offset += (int64_t)len + 1;
  json_t *root;

  if (parse_record(p, len, &k, &ok, &root) < 0) {
    l->pending_bad = true;
    return;
  }
  l->pending_bad = false;
  l->good = l->offset;
  if (ok || !l->redo_failed) {
    if (hmap_add(l->done, &k))
      l->kept++;
    if (l->record_cb)
      tell_record(root, ok, l->record_cb, l->record_ud);
  }
  json_decref(root);
  if (l->out && ok &&
      (fwrite(p, 1, len, l->out) != len || fputc('\n', l->out) == EOF))
    l->write_failed = true;
}

int resume_load(const char *path, bool redo_failed, struct hmap *done,
                uint64_t *kept, resume_record_fn *record_cb, void *ud,
                char err[VL_ERRLEN])
{
  struct loader l;
  char *tmp = NULL;
  int64_t end;
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
  if (redo_failed) {
    /* The ok records go to a temporary file beside FILE, renamed over it
     * at the end, so that a kill leaves one or the other whole. */
    size_t n = strlen(path) + 32;

    tmp = xmalloc(n);
    snprintf(tmp, n, "%s.volley-%ld.tmp", path, (long)getpid());
    l.out = fopen(tmp, "wb");
    if (!l.out) {
      snprintf(err, VL_ERRLEN, "--resume-failed: cannot create '%s': %s", tmp,
               strerror(errno));
      goto done;
    }
  }
  end = each_line(fd, load_line, &l);
  if (end < 0) {
    snprintf(err, VL_ERRLEN, "--resume: cannot read '%s': %s", path,
             strerror(errno));
    goto done;
  }
  *kept = l.kept;
  if (!redo_failed) {
    /* Cut the torn tail: bytes after the last newline, and a last line
     * that is not a record. A middle line that is not JSON stays. */
    int64_t keep = l.pending_bad ? l.good : end;
    off_t size = lseek(fd, 0, SEEK_END);

    if (size > keep && ftruncate(fd, (off_t)keep) < 0) {
      snprintf(err, VL_ERRLEN,
               "--resume: cannot cut the torn line of '%s': %s", path,
               strerror(errno));
      goto done;
    }
    rc = 0;
    goto done;
  }
  if (l.write_failed || fflush(l.out) != 0 || fsync(fileno(l.out)) != 0) {
    snprintf(err, VL_ERRLEN, "--resume-failed: cannot write '%s': %s", tmp,
             strerror(errno));
    goto done;
  }
  if (rename(tmp, path) < 0) {
    snprintf(err, VL_ERRLEN, "--resume-failed: cannot rename '%s': %s", tmp,
             strerror(errno));
    goto done;
  }
  free(tmp);
  tmp = NULL;
  rc = 0;
done:
  if (l.out)
    fclose(l.out);
  if (tmp) {
    (void)unlink(tmp); /* Best effort: FILE itself is untouched. */
    free(tmp);
  }
  close(fd);
  return rc;
}
