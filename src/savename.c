/* --save-name: file names from a template. Every variable's value and
 * every literal byte is sanitised component by component, and only the
 * template's '/' and {path}'s segments separate directories, so a
 * template or a URL can never name a path outside --save's directory.
 * Pure. */
#include "config.h"

#include "savename.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sha256.h"

static const char *const vars[] = { "{id}", "{host}", "{path}", "{sha256}",
                                    "{ext}" };

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
               "(known: {id} {host} {path} {sha256} {ext})",
               tmpl, p);
      return -1;
    }
    if (strcmp(vars[i], "{ext}") != 0)
      seen++;
    p += strlen(vars[i]);
  }
  if (!seen) {
    snprintf(err, VL_ERRLEN,
             "--save-name: '%.60s' needs {id}, {host}, {path} or {sha256}, "
             "or every body would go to one file",
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

/* The name being built: "len" bytes of "out", its last component "part"
 * bytes long. */
struct name {
  char *out;
  size_t outlen, len, part;
};

/* Append the byte "c" to the current component, sanitised: outside
 * [A-Za-z0-9._-] it becomes '_', and so does a leading '.'. Past a
 * component's or the name's bound it is dropped. */
static void put(struct name *n, unsigned char c)
{
  if (n->part >= SAVENAME_PART_MAX || n->len >= SAVENAME_MAX ||
      n->len + 1 >= n->outlen)
    return;
  if (!(isalnum(c) || c == '.' || c == '_' || c == '-') ||
      (c == '.' && n->part == 0))
    c = '_';
  n->out[n->len++] = (char)c;
  n->out[n->len] = '\0';
  n->part++;
}

static void put_str(struct name *n, const char *s, size_t len)
{
  size_t i;

  for (i = 0; i < len; i++)
    put(n, (unsigned char)s[i]);
}

/* End the current component with a '/', unless it is empty: so no
 * component is, and the name never starts with '/'. */
static void separate(struct name *n)
{
  if (n->part == 0 || n->len + 1 >= SAVENAME_MAX || n->len + 2 >= n->outlen)
    return;
  n->out[n->len++] = '/';
  n->out[n->len] = '\0';
  n->part = 0;
}

/* Segments of a {path} kept as components; deeper ones share the last. */
#define PATH_SEGMENTS 64

/* {path}: the path of "url" (after "scheme://authority"), its dot
 * segments resolved as a browser resolves them, one component per
 * segment; "index.html" for a directory; "?query" on the last one. */
static void put_path(struct name *n, const char *url)
{
  struct {
    const char *p;
    size_t len;
  } seg[PATH_SEGMENTS];
  size_t nseg = 0, i;
  const char *p = strstr(url, "://"), *end;
  bool dir = true; /* the path ends in '/', ".", ".." or is empty */

  p = p ? p + 3 + strcspn(p + 3, "/?#") : url;
  end = p + strcspn(p, "?#");
  while (p < end) {
    const char *s;
    size_t len;
    bool dot, dotdot;

    p++; /* the '/' */
    s = p;
    p += strcspn(p, "/?#");
    len = (size_t)(p - s);
    dot = len == 1 && s[0] == '.';
    dotdot = len == 2 && s[0] == '.' && s[1] == '.';
    dir = len == 0 || dot || dotdot;
    if (dotdot && nseg)
      nseg--;
    if (dir)
      continue;
    if (nseg == PATH_SEGMENTS)
      nseg--; /* too deep: the last segment replaces the one before */
    seg[nseg].p = s;
    seg[nseg].len = len;
    nseg++;
  }
  for (i = 0; i < nseg; i++) {
    separate(n);
    put_str(n, seg[i].p, seg[i].len);
  }
  if (dir) {
    separate(n);
    put_str(n, "index.html", 10);
  }
  if (*end == '?' && end[1] && end[1] != '#')
    put_str(n, end, strcspn(end, "#"));
}

void savename_expand(const char *tmpl, const struct savename_facts *f,
                     char *out, size_t outlen)
{
  struct name n = { out, outlen, 0, 0 };
  const char *p = tmpl;
  char hex[65];

  out[0] = '\0';
  while (*p) {
    if (strncmp(p, "{id}", 4) == 0) {
      put_str(&n, f->id, strlen(f->id));
      p += 4;
    } else if (strncmp(p, "{host}", 6) == 0) {
      put_str(&n, f->host, strlen(f->host));
      p += 6;
    } else if (strncmp(p, "{path}", 6) == 0) {
      put_path(&n, f->url);
      p += 6;
    } else if (strncmp(p, "{sha256}", 8) == 0) {
      sha256_hex(f->url, strlen(f->url), hex);
      put_str(&n, hex, 64);
      p += 8;
    } else if (strncmp(p, "{ext}", 5) == 0) {
      const char *ext = savename_ext(f->content_type);

      put_str(&n, ext, strlen(ext));
      p += 5;
    } else if (*p == '/') {
      separate(&n);
      p++;
    } else {
      put(&n, (unsigned char)*p++);
    }
  }
  /* Never empty, never a directory: "a/" names "a/_". */
  if (n.part == 0)
    put(&n, '_');
}

void savename_number(const char *name, unsigned n, char *out, size_t outlen)
{
  const char *slash = strrchr(name, '/');
  const char *last = slash ? slash + 1 : name;
  const char *dot = strrchr(last, '.');
  size_t stem = dot && dot != last ? (size_t)(dot - name) : strlen(name);

  snprintf(out, outlen, "%.*s-%u%s", (int)stem, name, n, name + stem);
}
