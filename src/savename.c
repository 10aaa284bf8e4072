/* --save-name: file names from a template. Every variable's value and
 * every literal byte is sanitised, so a template or a URL can never name
 * a path outside --save's directory. Pure. */
#include "config.h"

#include "savename.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sha256.h"

/* Longest name produced, well under NAME_MAX. */
#define SAVENAME_MAX 200

static const char *const vars[] = { "{id}", "{host}", "{sha256}", "{ext}" };

int savename_check(const char *tmpl, char err[VL_ERRLEN])
{
  const char *p = tmpl;
  int seen = 0;

  while ((p = strchr(p, '{'))) {
    size_t i, n = sizeof(vars) / sizeof(vars[0]);

    for (i = 0; i < n; i++)
      if (strncmp(p, vars[i], strlen(vars[i])) == 0)
        break;
    if (i == n) {
      snprintf(err, VL_ERRLEN,
               "--save-name: '%.60s' has an unknown variable at '%.20s' "
               "(known: {id} {host} {sha256} {ext})",
               tmpl, p);
      return -1;
    }
    if (i != 3)
      seen++;
    p += strlen(vars[i]);
  }
  if (!seen) {
    snprintf(err, VL_ERRLEN,
             "--save-name: '%.60s' needs {id}, {host} or {sha256}, or every "
             "body would go to one file",
             tmpl);
    return -1;
  }
  return 0;
}

const char *savename_ext(const char *ct)
{
  static const struct {
    const char *type;
    const char *ext;
  } map[] = {
    { "text/html", ".html" },
    { "application/xhtml+xml", ".html" },
    { "application/json", ".json" },
    { "text/plain", ".txt" },
    { "text/css", ".css" },
    { "text/csv", ".csv" },
    { "application/javascript", ".js" },
    { "text/javascript", ".js" },
    { "application/xml", ".xml" },
    { "text/xml", ".xml" },
    { "image/png", ".png" },
    { "image/jpeg", ".jpg" },
    { "image/gif", ".gif" },
    { "image/svg+xml", ".svg" },
    { "image/webp", ".webp" },
    { "application/pdf", ".pdf" },
    { "application/gzip", ".gz" },
    { "application/zip", ".zip" },
  };
  size_t i, n;

  if (!ct)
    return ".bin";
  n = strcspn(ct, "; \t");
  for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
    if (strlen(map[i].type) == n && strncasecmp(ct, map[i].type, n) == 0)
      return map[i].ext;
  return ".bin";
}

/* Append "s", sanitised, to "out" at "*len". */
static void append(char *out, size_t outlen, size_t *len, const char *s)
{
  for (; *s && *len + 1 < outlen && *len < SAVENAME_MAX; s++) {
    unsigned char c = (unsigned char)*s;

    out[(*len)++] =
        isalnum(c) || c == '.' || c == '_' || c == '-' ? (char)c : '_';
  }
  out[*len] = '\0';
}

void savename_expand(const char *tmpl, const struct savename_facts *f,
                     char *out, size_t outlen)
{
  size_t len = 0;
  const char *p = tmpl;
  char hex[65];

  out[0] = '\0';
  while (*p) {
    if (strncmp(p, "{id}", 4) == 0) {
      append(out, outlen, &len, f->id);
      p += 4;
    } else if (strncmp(p, "{host}", 6) == 0) {
      append(out, outlen, &len, f->host);
      p += 6;
    } else if (strncmp(p, "{sha256}", 8) == 0) {
      sha256_hex(f->url, strlen(f->url), hex);
      append(out, outlen, &len, hex);
      p += 8;
    } else if (strncmp(p, "{ext}", 5) == 0) {
      append(out, outlen, &len, savename_ext(f->content_type));
      p += 5;
    } else {
      char lit[2] = { *p++, '\0' };

      append(out, outlen, &len, lit);
    }
  }
  /* No hidden files, no "." or "..": a leading dot becomes '_'. */
  if (out[0] == '.')
    out[0] = '_';
  if (len == 0)
    snprintf(out, outlen, "_");
}

void savename_number(const char *name, unsigned n, char *out, size_t outlen)
{
  const char *dot = strrchr(name, '.');
  size_t stem = dot && dot != name ? (size_t)(dot - name) : strlen(name);

  snprintf(out, outlen, "%.*s-%u%s", (int)stem, name, n, name + stem);
}
