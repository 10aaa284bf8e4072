/* Fuzzes record.c's writer (and extract.c's record fragment, which writes into
 * the same line) with any bytes in every string field. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extract.h"
#include "fuzz.h"
#include "record.h"

static struct extract_spec spec;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  char err[VL_ERRLEN];

  (void)argc;
  (void)argv;
  extract_spec_init(&spec);
  spec.title = true;
  spec.links = true;
  if (extract_spec_add_regex(&spec, "a=x", err) < 0 ||
      extract_spec_add_regex(&spec, "b-2=y", err) < 0)
    abort();
  return 0;
}

/* Decode standard base64 ("len" bytes of "s") into "out"; returns the
 * length, or -1 when it is not padded base64. */
static long unbase64(const char *s, size_t len, unsigned char *out)
{
  static const char tab[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t i, o = 0;

  if (len % 4)
    return -1;
  for (i = 0; i < len; i += 4) {
    unsigned v = 0, k, pad = 0;

    for (k = 0; k < 4; k++) {
      const char *c = s[i + k] ? strchr(tab, s[i + k]) : NULL;

      if (s[i + k] == '=' && i + 4 == len && k >= 2) {
        pad++;
        v <<= 6;
        continue;
      }
      if (!c || pad)
        return -1;
      v = (v << 6) | (unsigned)(c - tab);
    }
    out[o++] = (unsigned char)(v >> 16);
    if (pad < 2)
      out[o++] = (unsigned char)(v >> 8);
    if (pad < 1)
      out[o++] = (unsigned char)v;
  }
  return (long)o;
}

/* A string field as given: equal when it was valid UTF-8, else present. */
static void check_string(json_t *rec, const char *key, const char *given)
{
  json_t *v = json_object_get(rec, key);

  if (!given)
    return;
  FUZZ_CHECK(json_is_string(v), "\"%s\" is missing", key);
  if (fuzz_utf8_valid(given, strlen(given)))
    FUZZ_CHECK(strcmp(json_string_value(v), given) == 0, "\"%s\" was changed",
               key);
}

static void check_body(json_t *rec, const char *body, size_t len)
{
  json_t *text = json_object_get(rec, "body");
  json_t *b64 = json_object_get(rec, "body_base64");
  unsigned char *dec;
  long n;

  if (text) {
    FUZZ_CHECK(json_string_length(text) == len &&
                   memcmp(json_string_value(text), body, len) == 0,
               "\"body\" is not the body");
    return;
  }
  FUZZ_CHECK(json_is_string(b64), "neither \"body\" nor \"body_base64\"");
  dec = malloc(json_string_length(b64) + 1);
  if (!dec)
    abort();
  n = unbase64(json_string_value(b64), json_string_length(b64), dec);
  FUZZ_CHECK(n >= 0 && (size_t)n == len && memcmp(dec, body, len) == 0,
             "\"body_base64\" does not decode to the body");
  free(dec);
}

/* Input: NUL-separated string fields (the id as JSON text, url, message,
 * final_url, http_version, content_type, remote_ip, a title, a link), bytes
 * for the flags and numbers, then the raw header block and the body, split
 * where a byte says.
 *
 * Oracle: the record is one line ending in '\n' with no raw control byte,
 * valid UTF-8, and valid JSON (jansson parses it, no duplicate key); the id,
 * url, status and ok read back as given, and so does the body, as "body" or as
 * "body_base64". */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fuzz_reader in = { data, size };
  struct buf b = { NULL, 0, 0 };
  struct extract_result res;
  struct extract_values values[2];
  char *f[9], *links[2], *vals[3];
  json_t *rec, *id = NULL;
  char *id_json = NULL;
  json_error_t jerr;
  struct result r;
  uint8_t flags;
  size_t i, split;

  for (i = 0; i < 9; i++)
    f[i] = fuzz_str(&in);
  flags = fuzz_byte(&in);
  memset(&r, 0, sizeof(r));
  r.line = fuzz_byte(&in);
  r.status = (long)(fuzz_byte(&in) * 4 + (flags & 3)) - 10;
  r.kind = (enum errkind)(fuzz_byte(&in) % ERRKIND_COUNT);
  r.attempts = fuzz_byte(&in);
  r.time_s = (double)(int8_t)fuzz_byte(&in) * 1234.5678;
  r.size = (int64_t)(int8_t)fuzz_byte(&in) * 1000003;
  r.redirects = (int8_t)fuzz_byte(&in);
  /* The id as the input reader makes it: compact JSON of any value. */
  id = json_loads(f[0], JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
  if (id)
    r.id_json = id_json = json_dumps(id, JSON_COMPACT | JSON_ENCODE_ANY);
  r.url = flags & 4 ? NULL : f[1];
  r.message = flags & 8 ? NULL : f[2];
  r.final_url = flags & 16 ? NULL : f[3];
  r.http_version = f[4][0] ? f[4] : NULL;
  r.content_type = f[5][0] ? f[5] : NULL;
  r.remote_ip = f[6][0] ? f[6] : NULL;
  /* The rest is the header block and the body, split where a byte says. */
  split = in.n * fuzz_byte(&in) / 256;
  if (split > in.n)
    split = in.n;
  if (!(flags & 32)) {
    r.headers = (const char *)in.p;
    r.headers_len = split;
  }
  if (!(flags & 64)) {
    r.body = (const char *)in.p + split;
    r.body_len = in.n - split;
  }

  memset(&res, 0, sizeof(res));
  memset(values, 0, sizeof(values)); /* no "cut" text */
  res.title = flags & 128 ? NULL : f[7];
  links[0] = f[1];
  links[1] = f[8];
  res.links = links;
  res.nlinks = 2;
  vals[0] = f[7];
  vals[1] = f[8];
  vals[2] = f[2];
  /* Every field set: "cut" came after this harness, and left as the
   * stack had it, it crashed extract_result_json() on the first input. */
  memset(values, 0, sizeof(values));
  values[0].v = vals;
  values[0].n = 3;
  values[1].v = vals + 2;
  values[1].n = 1;
  values[1].cut = f[8][0] & 1 ? "budget" : NULL;
  res.values = values;
  res.nvalues = 2;
  r.extract = &res;
  r.extract_spec = &spec;

  record_build(&b, &r);
  FUZZ_CHECK(b.len >= 2 && b.p[b.len - 1] == '\n', "no final newline");
  for (i = 0; i + 1 < b.len; i++)
    FUZZ_CHECK((unsigned char)b.p[i] >= 0x20, "raw control byte 0x%02x at %zu",
               (unsigned char)b.p[i], i);
  FUZZ_CHECK(fuzz_utf8_valid(b.p, b.len), "the record is not valid UTF-8");
  rec = json_loadb(b.p, b.len - 1, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
                   &jerr);
  FUZZ_CHECK(rec, "not JSON (%s at %d): %.*s", jerr.text, jerr.position,
             (int)b.len, b.p);
  FUZZ_CHECK(json_is_object(rec), "not an object");

  if (id)
    FUZZ_CHECK(json_equal(json_object_get(rec, "id"), id),
               "the id was changed");
  else
    FUZZ_CHECK(json_integer_value(json_object_get(rec, "id")) ==
                   (json_int_t)r.line,
               "the line number is not the id");
  if (r.url)
    check_string(rec, "url", r.url);
  else
    FUZZ_CHECK(json_is_null(json_object_get(rec, "url")), "url not null");
  FUZZ_CHECK(json_is_true(json_object_get(rec, "ok")) == record_ok(&r),
             "ok is wrong");
  if (r.status > 0)
    FUZZ_CHECK(json_integer_value(json_object_get(rec, "status")) == r.status,
               "the status was changed");
  check_string(rec, "final_url", r.final_url);
  check_string(rec, "content_type", r.content_type);
  if (r.body)
    check_body(rec, r.body, r.body_len);
  if (r.headers)
    FUZZ_CHECK(json_is_object(json_object_get(rec, "headers")),
               "\"headers\" is not an object");
  FUZZ_CHECK(json_array_size(json_object_get(rec, "links")) == 2,
             "links were lost");

  json_decref(rec);
  json_decref(id);
  free(id_json);
  buf_free(&b);
  for (i = 0; i < 9; i++)
    free(f[i]);
  return 0;
}
