/* Fuzzes writeout.c: -w templates, and results with any bytes in their string
 * fields. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "writeout.h"

/* Every variable, each alone between two '|'. */
static const char every_var[] =
    "|%{id}|%{url}|%{ok}|%{status}|%{attempts}|%{time}|%{error}|"
    "%{error_message}|%{final_url}|%{http_version}|%{content_type}|"
    "%{size}|%{redirects}|%{remote_ip}|%{etag}|%{last_modified}|%{sha256}|"
    "%{queued}|%{timing}|%{changed}|%{headers}|%{body}|%{body_base64}|"
    "%{json}|";

static struct writeout all;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  char err[VL_ERRLEN];

  (void)argc;
  (void)argv;
  if (writeout_parse(&all, every_var, err) < 0)
    abort();
  return 0;
}

static bool template_has_newline(const struct writeout *w)
{
  size_t i;

  for (i = 0; i < w->npieces; i++)
    if (w->pieces[i].kind == WRITEOUT_LITERAL &&
        memchr(w->text + w->pieces[i].off, '\n', w->pieces[i].len))
      return true;
  return false;
}

/* Input: a -w template, then the NUL-separated string fields of a result (id,
 * url, message, final_url, http_version, content_type, remote_ip) and bytes
 * for its numbers.
 *
 * Oracle: a template that does not compile leaves a one-line message and
 * nothing held; one that compiles renders, for any bytes in the fields, a line
 * ending in '\n', valid UTF-8 if the template is, with no other newline unless
 * the template wrote one; and every value, rendered alone, holds no C0 control
 * byte and no DEL, so a server cannot reach the terminal with ESC sequences
 * (issue 10, point 6). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fuzz_reader in = { data, size };
  struct record_buf out = { NULL, 0, 0 };
  struct writeout w;
  struct result r;
  char err[VL_ERRLEN], *tmpl = fuzz_str(&in), *f[7];
  const char *c;
  size_t i;

  for (i = 0; i < 7; i++)
    f[i] = fuzz_str(&in);
  memset(&r, 0, sizeof(r));
  r.id_json = f[0][0] ? f[0] : NULL;
  r.url = f[1];
  r.message = f[2][0] ? f[2] : NULL;
  r.final_url = f[3];
  r.http_version = f[4];
  r.content_type = f[5];
  r.remote_ip = f[6];
  r.line = fuzz_byte(&in);
  r.status = (long)fuzz_byte(&in) * 3;
  r.kind = (enum errkind)(fuzz_byte(&in) % ERRKIND_COUNT);
  r.attempts = fuzz_byte(&in);
  r.time_s = (double)(int8_t)fuzz_byte(&in) / 7.0;
  r.size = (int8_t)fuzz_byte(&in);
  r.redirects = (int8_t)fuzz_byte(&in);

  if (writeout_parse(&w, tmpl, err) < 0) {
    FUZZ_CHECK(err[0], "a failed template has no message");
    for (c = err; *c; c++)
      FUZZ_CHECK((unsigned char)*c >= 0x20, "the message spans lines: %s",
                 err);
    FUZZ_CHECK(!w.pieces && !w.text && !w.npieces, "a failed parse holds");
  } else {
    writeout_render(&w, &r, &out);
    FUZZ_CHECK(out.len > 0 && out.p[out.len - 1] == '\n', "no final newline");
    /* The template's own bytes are the user's: they come out as given. */
    if (fuzz_utf8_valid(tmpl, strlen(tmpl)))
      FUZZ_CHECK(fuzz_utf8_valid(out.p, out.len), "the line is not UTF-8");
    if (!template_has_newline(&w))
      FUZZ_CHECK(!memchr(out.p, '\n', out.len - 1),
                 "a value broke the line: %.*s", (int)out.len, out.p);
    writeout_free(&w);
  }

  record_buf_reset(&out);
  writeout_render(&all, &r, &out);
  FUZZ_CHECK(fuzz_utf8_valid(out.p, out.len), "the line is not UTF-8");
  for (i = 0; i + 1 < out.len; i++)
    FUZZ_CHECK((unsigned char)out.p[i] >= 0x20 &&
                   (unsigned char)out.p[i] != 0x7f,
               "byte 0x%02x from a value at %zu: %.*s",
               (unsigned char)out.p[i], i, (int)out.len, out.p);

  record_buf_free(&out);
  free(tmpl);
  for (i = 0; i < 7; i++)
    free(f[i]);
  return 0;
}
