/* Fuzzes the --since index (since.c, fed by resume.c's reader) with any
 * earlier output. The promises: reading never crashes; each record line
 * is found under its request's key with what a plain re-parse of the
 * line by jansson says of it (outcome, status, error kind, final_url,
 * sha256, ETag, Last-Modified, the fields a 304 carries over) and where
 * it lies in FILE, the last line of a key winning; a cancelled record,
 * a line that is not a record and a torn last line are not indexed;
 * the conditional headers are one line each, hold the ETag as it was
 * and are sent only for an ok record with the fields the run needs; and
 * the line read back at the entry's place parses (since_carry_parse) to
 * what jansson reads there. The first input byte picks what the run
 * needs (--hash, --title, --links, --save, --body); the rest is FILE. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "cli.h"
#include "errkind.h"
#include "extract.h"
#include "fuzz.h"
#include "hmap.h"
#include "resume.h"
#include "since.h"
#include "util.h"

static const char *path; /* the file the readers read */
static struct extract_spec spec;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  path = fuzz_tmpfile("earlier.ndjson");
  extract_spec_init(&spec);
  return 0;
}

/* What the re-parse expects of one key: the last record line of it. */
struct want {
  struct hmap_key key;
  size_t offset, len; /* of the line in FILE */
  json_t *rec;        /* the line parsed by jansson: owned */
};

/* The value of the 16 hex digits at "p", or -1 when they are not
 * lower-case hex; written apart from since.c's. */
static int hex16(const char *p, uint64_t *v)
{
  int i;

  *v = 0;
  for (i = 0; i < 16; i++) {
    const char *d = strchr("0123456789abcdef", p[i]);

    if (!p[i] || !d)
      return -1;
    *v = *v * 16 + (uint64_t)(d - "0123456789abcdef");
  }
  return 0;
}

static bool is_sha256(json_t *v, uint64_t *first)
{
  const char *p = json_string_value(v);
  uint64_t x;
  int i;

  if (!p || json_string_length(v) != 64)
    return false;
  for (i = 64 - 16; i >= 0; i -= 16)
    if (hex16(p + i, i ? &x : first) < 0)
      return false;
  return true;
}

/* The ETag bytes volley may send back: 1 to VL_VALIDATOR_MAX visible
 * ASCII characters. */
static bool sendable(json_t *v)
{
  const char *p = json_string_value(v);
  size_t i, n = json_string_length(v);

  if (!p || n == 0 || n > VL_VALIDATOR_MAX)
    return false;
  for (i = 0; i < n; i++)
    if (p[i] < 0x21 || p[i] > 0x7e)
      return false;
  return true;
}

/* The key a record is indexed under, or false when it is no record. */
static bool key_of(json_t *rec, struct hmap_key *k)
{
  json_t *id = json_object_get(rec, "id"), *url = json_object_get(rec, "url");
  char *id_json;

  if (!id || !(json_is_string(url) || json_is_null(url)))
    return false;
  if (json_is_string(url) && json_object_get(rec, "parent")) {
    resume_key(k, "", 0, json_string_value(url));
    return true;
  }
  id_json = json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
  FUZZ_CHECK(id_json, "json_dumps() of an id failed");
  resume_key(k, id_json, 0, json_string_value(url));
  free(id_json);
  return true;
}

static bool cancelled(json_t *rec)
{
  const char *kind = json_string_value(
      json_object_get(json_object_get(rec, "error"), "kind"));

  return !json_is_true(json_object_get(rec, "ok")) && kind &&
         strcmp(kind, "cancelled") == 0;
}

static bool same_str(const char *a, json_t *v)
{
  const char *b = json_string_value(v);

  return a && b ? strlen(a) == strlen(b) && strcmp(a, b) == 0 : !a && !b;
}

/* The entry of "w" against the re-parse of its line. */
static void check_entry(const struct since *s, const struct since_entry *e,
                        const struct want *w)
{
  json_t *rec = w->rec, *v;
  const char *str, *kind;
  uint64_t sha = 0;
  struct hmap_key fu;
  time_t t;
  long status = 0;
  int k, want_kind;

  FUZZ_CHECK(e->offset == w->offset && e->len == w->len,
             "entry at %llu+%u, the line at %zu+%zu",
             (unsigned long long)e->offset, (unsigned)e->len, w->offset,
             w->len);
  FUZZ_CHECK(!!(e->flags & SINCE_OK) ==
                 json_is_true(json_object_get(rec, "ok")),
             "ok differs");
  v = json_object_get(rec, "status");
  if (json_is_integer(v) && json_integer_value(v) >= 1 &&
      json_integer_value(v) <= 999)
    status = (long)json_integer_value(v);
  FUZZ_CHECK((long)e->status == status, "status %u, the line says %ld",
             (unsigned)e->status, status);
  kind = json_string_value(
      json_object_get(json_object_get(rec, "error"), "kind"));
  want_kind = ERRKIND_NONE;
  if (kind) {
    want_kind = ERRKIND_OTHER; /* a name volley does not know */
    for (k = ERRKIND_NONE + 1; k < ERRKIND_COUNT; k++)
      if (strcmp(kind, errkind_name((enum errkind)k)) == 0)
        want_kind = k;
  }
  FUZZ_CHECK(e->kind == want_kind, "error.kind '%s' indexed as %d, not %d",
             kind ? kind : "(none)", (int)e->kind, want_kind);
  v = json_object_get(rec, "final_url");
  str = json_is_string(v) ? json_string_value(v) : "";
  hmap_key_of(&fu, str, json_is_string(v) ? json_string_length(v) : 0, "", 0);
  FUZZ_CHECK(e->final_url == fu.a, "final_url's hash differs");
  if (is_sha256(json_object_get(rec, "sha256"), &sha))
    FUZZ_CHECK((e->flags & SINCE_SHA) && e->sha == sha, "sha256 differs");
  else
    FUZZ_CHECK(!(e->flags & SINCE_SHA), "a sha256 from no valid sha256");
  v = json_object_get(rec, "etag");
  if (sendable(v))
    FUZZ_CHECK(e->etag_len == json_string_length(v) &&
                   memcmp(s->etags.p + e->etag_off, json_string_value(v),
                          e->etag_len) == 0,
               "the ETag differs");
  else
    FUZZ_CHECK(e->etag_len == 0, "an ETag kept that may not be sent");
  str = json_string_value(json_object_get(rec, "last_modified"));
  t = str ? curl_getdate(str, NULL) : -1;
  if (t >= 0 && (uint64_t)t <= UINT32_MAX)
    FUZZ_CHECK((e->flags & SINCE_LM) && e->last_mod == (uint32_t)t,
               "Last-Modified differs");
  else
    FUZZ_CHECK(!(e->flags & SINCE_LM), "a Last-Modified from none");
  v = json_object_get(rec, "title");
  FUZZ_CHECK(!!(e->flags & SINCE_TITLE) ==
                 (json_is_string(v) || json_is_null(v)),
             "title's presence differs");
  FUZZ_CHECK(!!(e->flags & SINCE_LINKS) ==
                 json_is_array(json_object_get(rec, "links")),
             "links' presence differs");
  FUZZ_CHECK(!!(e->flags & SINCE_EXTRACT) ==
                 json_is_object(json_object_get(rec, "extract")),
             "extract's presence differs");
  FUZZ_CHECK(!!(e->flags & SINCE_SAVED) ==
                 json_is_string(json_object_get(rec, "saved")),
             "saved's presence differs");
}

/* The conditional headers of "e": one line each, the ETag as it was, and
 * only for an ok record with every field "s" needs. */
static void check_validators(const struct since *s,
                             const struct since_entry *e)
{
  char inm[VL_VALIDATOR_MAX + 64], ims[128];
  bool sent = since_validators(s, e, inm, sizeof(inm), ims, sizeof(ims));
  bool may = !s->fetch_all && (e->flags & SINCE_OK) &&
             (e->flags & s->needs) == s->needs &&
             (e->etag_len || (e->flags & SINCE_LM));

  FUZZ_CHECK(sent == may, "validators sent: %d, expected %d", sent, may);
  FUZZ_CHECK(sent == (inm[0] || ims[0]), "the result disagrees with them");
  FUZZ_CHECK(!strpbrk(inm, "\r\n") && !strpbrk(ims, "\r\n"),
             "a header with a line break");
  if (sent && e->etag_len) {
    FUZZ_CHECK(strncmp(inm, "If-None-Match: ", 15) == 0 &&
                   strlen(inm) == 15 + e->etag_len &&
                   memcmp(inm + 15, s->etags.p + e->etag_off, e->etag_len) ==
                       0,
               "If-None-Match is not the ETag: '%s'", inm);
  } else {
    FUZZ_CHECK(!inm[0], "If-None-Match without an ETag");
  }
  if (sent && (e->flags & SINCE_LM))
    FUZZ_CHECK(curl_getdate(ims + strlen("If-Modified-Since: "), NULL) ==
                   (time_t)e->last_mod,
               "If-Modified-Since is not the date: '%s'", ims);
  else
    FUZZ_CHECK(!ims[0], "If-Modified-Since without a date");
}

/* The line read back at the entry's place, against jansson's view. */
static void check_carry(const struct since *s, const struct since_entry *e,
                        const struct want *w)
{
  struct since_carry c;
  struct extract_result xr;
  char *line = malloc(e->len + 1);
  json_t *rec = w->rec, *v, *links;
  size_t i, n;
  long status = 0;

  FUZZ_CHECK(line, "out of memory");
  FUZZ_CHECK(resume_read_at(s->fd, e->offset, e->len, line) == 0,
             "the entry's line cannot be read back");
  FUZZ_CHECK(since_carry_parse(line, e->len, &spec, &c, &xr) == 0,
             "the line read back is no JSON object");
  v = json_object_get(rec, "status");
  if (json_is_integer(v) && json_integer_value(v) >= 1 &&
      json_integer_value(v) <= 999)
    status = (long)json_integer_value(v);
  FUZZ_CHECK(c.status == status, "carried status %ld, the line says %ld",
             c.status, status);
  v = json_object_get(rec, "size");
  FUZZ_CHECK(c.size == (json_is_integer(v) && json_integer_value(v) >= 0
                            ? json_integer_value(v)
                            : -1),
             "carried size differs");
  FUZZ_CHECK(
      same_str(c.content_type, json_object_get(rec, "content_type")) &&
          same_str(c.sha256, json_object_get(rec, "sha256")) &&
          same_str(c.etag, json_object_get(rec, "etag")) &&
          same_str(c.last_modified, json_object_get(rec, "last_modified")) &&
          same_str(c.saved, json_object_get(rec, "saved")) &&
          same_str(xr.title, json_object_get(rec, "title")),
      "a carried string differs");
  links = json_object_get(rec, "links");
  n = 0;
  for (i = 0; json_is_array(links) && i < json_array_size(links); i++) {
    v = json_array_get(links, i);
    if (!json_is_string(v))
      continue;
    FUZZ_CHECK(n < xr.nlinks && same_str(xr.links[n], v),
               "carried link %zu differs", n);
    n++;
  }
  FUZZ_CHECK(n == xr.nlinks, "%zu links carried, the line has %zu", xr.nlinks,
             n);
  since_carry_free(&c);
  extract_result_free(&xr);
  free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct config cfg;
  struct since s;
  struct want *w = NULL;
  size_t nw = 0, i, j, pos, nl;
  bool is_output = false;
  char err[VL_ERRLEN] = "";
  const char *file;
  FILE *f;
  uint8_t pick;

  if (size < 1)
    return 0;
  pick = data[0];
  file = (const char *)data + 1;
  size--;
  f = fopen(path, "wb");
  FUZZ_CHECK(f && (!size || fwrite(file, 1, size, f) == size) &&
                 fclose(f) == 0,
             "cannot write %s", path);

  memset(&cfg, 0, sizeof(cfg));
  since_init(&s, &cfg, &spec);
  s.needs = pick & (SINCE_SHA | SINCE_TITLE | SINCE_LINKS | SINCE_SAVED);
  s.fetch_all = (pick & 0x80) != 0;
  FUZZ_CHECK(resume_since_load(&s, path, NULL, false, &is_output, err) == 0,
             "resume_since_load() failed: %s", err);
  FUZZ_CHECK(s.fd >= 0, "FILE not left open for reading back");

  /* The re-parse: whole lines only (a torn last line is no record), the
   * last record of a key winning. */
  for (pos = 0; pos < size; pos = nl + 1) {
    const char *end = memchr(file + pos, '\n', size - pos);
    struct hmap_key k;
    json_t *rec;

    if (!end)
      break;
    nl = (size_t)(end - file);
    rec = json_loadb(file + pos, nl - pos, JSON_ALLOW_NUL, NULL);
    if (!json_is_object(rec) || !key_of(rec, &k) || cancelled(rec)) {
      json_decref(rec);
      continue;
    }
    for (j = 0; j < nw && memcmp(&w[j].key, &k, sizeof(k)) != 0; j++)
      ;
    if (j == nw) {
      w = realloc(w, (nw + 1) * sizeof(*w));
      FUZZ_CHECK(w, "out of memory");
      nw++;
    } else {
      json_decref(w[j].rec);
    }
    w[j].key = k;
    w[j].offset = pos;
    w[j].len = nl - pos;
    w[j].rec = rec;
  }

  FUZZ_CHECK(s.records == nw, "%llu keys indexed, the file has %zu",
             (unsigned long long)s.records, nw);
  for (i = 0; i < nw; i++) {
    const struct since_entry *e = since_find(&s, &w[i].key);

    FUZZ_CHECK(e, "the record at offset %zu is not found", w[i].offset);
    check_entry(&s, e, &w[i]);
    check_validators(&s, e);
    check_carry(&s, e, &w[i]);
    json_decref(w[i].rec);
  }
  free(w);
  close(s.fd);
  since_free(&s);
  return 0;
}
