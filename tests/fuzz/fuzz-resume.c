/* Fuzzes the --resume and --check readers (resume.c) with any file content,
 * and with the record of any input line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "hmap.h"
#include "inputline.h"
#include "record.h"
#include "resume.h"

static const char *path; /* the file the readers read */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  path = fuzz_tmpfile("out.ndjson");
  return 0;
}

static void write_file(const void *p, size_t n)
{
  FILE *f = fopen(path, "wb");

  if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
    abort();
}

/* The file's content, malloc'd, its length in "*n". */
static char *read_file(size_t *n)
{
  FILE *f = fopen(path, "rb");
  char *buf;
  long size;

  if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0)
    abort();
  rewind(f);
  buf = malloc((size_t)size + 1);
  if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size)
    abort();
  fclose(f);
  *n = (size_t)size;
  return buf;
}

static uint64_t load(bool redo_failed, struct hmap *done)
{
  char err[VL_ERRLEN] = "";
  uint64_t kept = 0;
  int lock_fd = -1;

  FUZZ_CHECK(resume_load(path, redo_failed, done, &kept, &lock_fd, NULL, NULL,
                         err) == 0,
             "resume_load() failed: %s", err);
  FUZZ_CHECK(lock_fd == -1, "a lock appeared from nowhere");
  return kept;
}

/* What the line "p" ("n" bytes) is to the reader: -1 not a record (not a
 * JSON object with an "id" and a string or null "url"), else 0 ok, 1
 * failed, 2 cancelled, as resume.h defines them. */
static int record_kind(const char *p, size_t n)
{
  json_t *root = json_loadb(p, n, JSON_ALLOW_NUL, NULL);
  json_t *url = json_object_get(root, "url");
  const char *kind;
  int k = -1;

  if (json_object_get(root, "id") &&
      (json_is_string(url) || json_is_null(url))) {
    kind = json_string_value(
        json_object_get(json_object_get(root, "error"), "kind"));
    k = json_is_true(json_object_get(root, "ok")) ? 0
        : kind && strcmp(kind, "cancelled") == 0  ? 2
                                                  : 1;
  }
  json_decref(root);
  return k;
}

/* Load "file" ("n" bytes) with or without --resume-failed: what stays is
 * its complete lines in order, less cancelled records, failed ones with
 * "redo_failed", and the lines after the last record when the last line
 * is no record (torn); a second load cuts no record. */
static void check_load(const char *file, size_t n, bool redo_failed)
{
  struct hmap done = { NULL, 0, 0, NULL };
  uint64_t kept, again;
  size_t rn, rn2, i = 0, o = 0, last_record = 0, line = 0;
  char *after, *after2;

  for (i = 0; i < n;) {
    const char *nl = memchr(file + i, '\n', n - i);

    if (!nl)
      break;
    line++;
    if (record_kind(file + i, (size_t)(nl - file) - i) >= 0)
      last_record = line;
    i = (size_t)(nl - file) + 1;
  }
  write_file(file, n);
  kept = load(redo_failed, &done);
  after = read_file(&rn);
  FUZZ_CHECK(rn == 0 || after[rn - 1] == '\n', "cut inside a line");
  line = 0;
  for (i = 0; i < n;) {
    const char *nl = memchr(file + i, '\n', n - i);
    size_t len;
    int k;

    if (!nl)
      break;
    line++;
    len = (size_t)(nl - file) - i + 1;
    if (o + len <= rn && memcmp(after + o, file + i, len) == 0) {
      o += len;
    } else {
      k = record_kind(file + i, len - 1);
      FUZZ_CHECK(k == 2 || (k == 1 && redo_failed) ||
                     (k < 0 && line > last_record),
                 "line %zu (%s) was dropped", line,
                 k < 0    ? "not a record"
                 : k == 0 ? "ok"
                          : "failed");
    }
    i += len;
  }
  FUZZ_CHECK(o == rn, "the file holds a line it did not hold");
  hmap_free(&done);
  again = load(redo_failed, &done);
  after2 = read_file(&rn2);
  /* A second load may cut non-records that the first left last (those
   * before a record it dropped), never more. */
  FUZZ_CHECK(rn2 <= rn && memcmp(after, after2, rn2) == 0,
             "a second load changed the file");
  for (i = rn2; i < rn;) {
    const char *nl = memchr(after + i, '\n', rn - i);
    size_t len = (size_t)(nl - after) - i;

    FUZZ_CHECK(record_kind(after + i, len) < 0, "a second load cut a record");
    i += len + 1;
  }
  FUZZ_CHECK(again == kept, "a second load kept %llu, the first %llu",
             (unsigned long long)again, (unsigned long long)kept);
  hmap_free(&done);
  free(after);
  free(after2);
}

/* What check_scan() collects from resume_scan(). */
struct scan_seen {
  const char *file; /* the content scanned, to find the line's record */
  size_t n, pos;    /* its bytes; where the next line starts */
  uint64_t records;
};

/* Each record resume_scan() hands out is the next complete line of the
 * file that is one, with the key and outcome that line gives. */
static void scan_cb(const struct resume_line *rl, void *ud)
{
  struct scan_seen *sc = ud;
  struct hmap_key k;
  json_t *root, *url;
  char *id_json;
  int kind;

  for (;;) {
    const char *nl = memchr(sc->file + sc->pos, '\n', sc->n - sc->pos);
    size_t at = sc->pos, len;

    FUZZ_CHECK(nl, "a record handed out past the last complete line");
    len = (size_t)(nl - sc->file) - at;
    sc->pos = at + len + 1;
    kind = record_kind(sc->file + at, len);
    if (kind < 0)
      continue;
    root = json_loadb(sc->file + at, len, JSON_ALLOW_NUL, NULL);
    url = json_object_get(root, "url");
    id_json = json_dumps(json_object_get(root, "id"),
                         JSON_COMPACT | JSON_ENCODE_ANY);
    FUZZ_CHECK(id_json, "json_dumps() of an id failed");
    resume_key(&k, id_json, 0, json_string_value(url));
    FUZZ_CHECK(memcmp(&k, &rl->key, sizeof(k)) == 0,
               "the key of the record at byte %zu differs", at);
    FUZZ_CHECK(strcmp(rl->id_json, id_json) == 0, "id '%s', the line's '%s'",
               rl->id_json, id_json);
    FUZZ_CHECK((int)rl->outcome == kind, "outcome %d, the line's %d",
               (int)rl->outcome, kind);
    free(id_json);
    json_decref(root);
    sc->records++;
    return;
  }
}

/* --check's reader, resume_scan(), over "file" ("n" bytes): every complete
 * line that is a record is handed out, in order, with its key, id and
 * outcome; every other line, a torn last one included, is counted; the
 * file is left as it was. */
static void check_scan(const char *file, size_t n)
{
  struct scan_seen sc = { file, n, 0, 0 };
  char err[VL_ERRLEN] = "";
  uint64_t other = 0, lines = 0, torn;
  size_t i, rn;
  char *after;

  for (i = 0; i < n;) {
    const char *nl = memchr(file + i, '\n', n - i);

    if (!nl)
      break;
    lines++;
    i = (size_t)(nl - file) + 1;
  }
  torn = i < n;
  write_file(file, n);
  FUZZ_CHECK(resume_scan(path, scan_cb, &sc, &other, err) == 0,
             "resume_scan() failed: %s", err);
  FUZZ_CHECK(sc.records + other == lines + torn,
             "%llu records and %llu others in %llu lines%s",
             (unsigned long long)sc.records, (unsigned long long)other,
             (unsigned long long)lines, torn ? " and a torn one" : "");
  after = read_file(&rn);
  FUZZ_CHECK(rn == n && (n == 0 || memcmp(after, file, n) == 0),
             "resume_scan() changed the file");
  free(after);
}

/* The record of the request "line" makes, on line 7 of the input,
 * appended to the file left after loading: read back under its key. */
static void check_roundtrip(const char *line, size_t len)
{
  struct buf b = { NULL, 0, 0 };
  struct hmap done = { NULL, 0, 0, NULL };
  struct inputline it;
  struct result r;
  struct hmap_key k;
  FILE *f;

  inputline_parse(&it, line, len);
  if (it.kind == INPUTLINE_SKIP) {
    inputline_clear(&it);
    return;
  }
  memset(&r, 0, sizeof(r));
  r.id_json = it.id_json;
  r.line = 7;
  r.url = it.url;
  r.attempts = it.kind == INPUTLINE_REQUEST;
  r.kind = it.kind == INPUTLINE_REQUEST ? ERRKIND_NONE : ERRKIND_INPUT;
  r.status = it.kind == INPUTLINE_REQUEST ? 200 : 0;
  r.message = it.kind == INPUTLINE_REQUEST ? NULL : it.err;
  r.size = r.redirects = -1;
  record_build(&b, &r);

  f = fopen(path, "ab");
  if (!f || fwrite(b.p, 1, b.len, f) != b.len || fclose(f) != 0)
    abort();
  (void)load(false, &done);
  resume_key(&k, it.id_json, 7, it.url);
  FUZZ_CHECK(hmap_has(&done, &k),
             "the record of line '%.*s' is not read back: %.*s", (int)len,
             line, (int)b.len, b.p);
  hmap_free(&done);
  buf_free(&b);
  inputline_clear(&it);
}

/* Input: one input line, a newline, then the content of -o FILE as an earlier
 * run (or a crash, or a stranger) left it.
 *
 * Oracle: --check's resume_scan() hands out each record line, in order,
 * with its key, id and outcome, and counts every other line, a torn last
 * one included. resume_load() reads any content without failing, with or
 * without --resume-failed; it never drops an ok record, nor a failed one
 * without --resume-failed: what stays is the file's complete lines in
 * order, less cancelled records, failed ones with --resume-failed, and the
 * lines after the last record when the last line is none (torn); a second
 * load keeps as many records and cuts at most lines that are no records.
 * And whatever request the input line makes, the record volley writes for
 * it, appended to that file, is read back: the key resume_key() makes of
 * the request is in the set, so a resumed run does not fetch it again. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const uint8_t *nl = memchr(data, '\n', size);
  size_t llen = nl ? (size_t)(nl - data) : size;
  const char *file = nl ? (const char *)nl + 1 : "";
  size_t n = nl ? size - llen - 1 : 0;

  check_scan(file, n);
  check_load(file, n, true);
  check_load(file, n, false);
  check_roundtrip((const char *)data, llen);
  return 0;
}
