/* Fuzzes the --resume reader (resume.c) with any file content, and with the
 * record of any input line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "fuzz.h"
#include "hmap.h"
#include "inputline.h"
#include "record.h"
#include "resume.h"

static char dir[64];
static char path[128];

static void remove_dir(void)
{
  (void)unlink(path);
  (void)rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  const char *tmp = getenv("TMPDIR");

  (void)argc;
  (void)argv;
  snprintf(dir, sizeof(dir), "%s/volley-fuzz-XXXXXX",
           tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp");
  if (!mkdtemp(dir))
    abort();
  snprintf(path, sizeof(path), "%s/out.ndjson", dir);
  atexit(remove_dir);
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

  FUZZ_CHECK(resume_load(path, redo_failed, done, &kept, NULL, NULL, err) == 0,
             "resume_load() failed: %s", err);
  return kept;
}

static void check_content(const char *file, size_t n)
{
  struct hmap done = { NULL, 0, 0 };
  uint64_t kept, again;
  size_t n1, n2;
  char *after, *after2;

  write_file(file, n);
  kept = load(false, &done);
  after = read_file(&n1);
  FUZZ_CHECK(n1 <= n && memcmp(after, file, n1) == 0,
             "the file is no prefix of what it was");
  FUZZ_CHECK(n1 == 0 || after[n1 - 1] == '\n', "cut inside a line");
  hmap_free(&done);
  again = load(false, &done);
  after2 = read_file(&n2);
  FUZZ_CHECK(n2 == n1 && memcmp(after, after2, n1) == 0,
             "a second load cut again");
  FUZZ_CHECK(again == kept, "a second load kept %llu, the first %llu",
             (unsigned long long)again, (unsigned long long)kept);
  hmap_free(&done);
  free(after);
  free(after2);
}

/* With --resume-failed, every line left is a record that is ok. */
static void check_redo(const char *file, size_t n)
{
  struct hmap done = { NULL, 0, 0 };
  size_t len, i = 0;
  char *after;

  write_file(file, n);
  (void)load(true, &done);
  after = read_file(&len);
  while (i < len) {
    char *nl = memchr(after + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - after) : len;
    json_t *rec = json_loadb(after + i, end - i, JSON_ALLOW_NUL, NULL);

    FUZZ_CHECK(rec && json_is_true(json_object_get(rec, "ok")),
               "--resume-failed kept a line that is not an ok record");
    json_decref(rec);
    i = end + 1;
  }
  hmap_free(&done);
  free(after);
}

/* The record of the request "line" makes, on line 7 of the input,
 * appended to the file left after loading: read back under its key. */
static void check_roundtrip(const char *line, size_t len)
{
  struct record_buf b = { NULL, 0, 0 };
  struct hmap done = { NULL, 0, 0 };
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
  record_buf_free(&b);
  inputline_clear(&it);
}

/* Input: one input line, a newline, then the content of -o FILE as an earlier
 * run (or a crash, or a stranger) left it.
 *
 * Oracle: resume_load() reads any content without failing; it only cuts, at a
 * line end (what stays is a prefix of the file, empty or ending in '\n'); a
 * second load changes nothing and keeps as many records; with --resume-failed
 * the rewritten file holds only ok records. And whatever request the input
 * line makes, the record volley writes for it, appended to that file, is read
 * back: the key resume_key() makes of the request is in the set, so a resumed
 * run does not fetch it again. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const uint8_t *nl = memchr(data, '\n', size);
  size_t llen = nl ? (size_t)(nl - data) : size;
  const char *file = nl ? (const char *)nl + 1 : "";
  size_t n = nl ? size - llen - 1 : 0;

  check_redo(file, n);
  check_content(file, n);
  check_roundtrip((const char *)data, llen);
  return 0;
}
