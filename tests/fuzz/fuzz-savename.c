/* Fuzzes savename.c: --save-name templates and the facts they name. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "savename.h"

static void check_name(const char *tmpl, const struct savename_facts *f,
                       size_t outlen)
{
  char *out = malloc(outlen + 1), *c, *part;
  size_t n;

  if (!out)
    abort();
  memset(out, 'X', outlen + 1);
  savename_expand(tmpl, f, out, outlen);
  FUZZ_CHECK(out[outlen] == 'X', "wrote past %zu bytes", outlen);
  n = strnlen(out, outlen);
  FUZZ_CHECK(n < outlen, "no NUL within %zu bytes", outlen);
  FUZZ_CHECK(n > 0 && n <= SAVENAME_MAX, "name of %zu bytes", n);
  FUZZ_CHECK(out[0] != '/' && out[n - 1] != '/', "name '%s'", out);
  for (part = out; part; part = c ? c + 1 : NULL) {
    size_t len;

    c = strchr(part, '/');
    len = c ? (size_t)(c - part) : strlen(part);
    FUZZ_CHECK(len > 0 && len <= SAVENAME_PART_MAX && part[0] != '.',
               "name '%s': component of %zu bytes, or with a leading dot", out,
               len);
  }
  for (c = out; *c; c++)
    FUZZ_CHECK((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                   (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' ||
                   *c == '-' || *c == '/',
               "name '%s' holds byte 0x%02x", out, (unsigned char)*c);
  free(out);
}

/* Input: NUL-separated template, id, host, URL and Content-Type.
 *
 * Oracle: whatever the template and the facts (checked by savename_check() or
 * not), the name is a relative path inside the save directory: not empty, no
 * leading or trailing '/', each component not empty, without a leading dot
 * (so never "." or ".."), at most SAVENAME_PART_MAX bytes, only
 * [A-Za-z0-9._-]; at most SAVENAME_MAX bytes in all, and it fits the buffer,
 * down to the 64 bytes the header allows. A template that fails the check has
 * a message. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fuzz_reader in = { data, size };
  char *tmpl = fuzz_str(&in), *id = fuzz_str(&in), *host = fuzz_str(&in);
  char *url = fuzz_str(&in), *ct = fuzz_str(&in), err[VL_ERRLEN];
  struct savename_facts f = { id, host, url, ct[0] ? ct : NULL };

  if (savename_check(tmpl, err) < 0)
    FUZZ_CHECK(err[0], "a bad template has no message");
  check_name(tmpl, &f, 256);
  check_name(tmpl, &f, 64);
  check_name(tmpl, &f, 201);
  FUZZ_CHECK(savename_ext(f.content_type)[0] == '.', "extension without .");
  free(tmpl);
  free(id);
  free(host);
  free(url);
  free(ct);
  return 0;
}
