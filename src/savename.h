/* --save-name: a file name from a template and a request's facts, every
 * component sanitised so that no name leaves the directory: a relative
 * path whose '/' come from the template and from {path} only. Pure. */
#ifndef VOLLEY_SAVENAME_H
#define VOLLEY_SAVENAME_H

#include <stddef.h>

#include "util.h"

/* The longest name savename_expand() gives, and the longest of each of
 * its components (well under NAME_MAX, with room for a "-N"). */
#define SAVENAME_MAX      1024
#define SAVENAME_PART_MAX 200

/* What the template's variables stand for. */
struct savename_facts {
  const char *id;           /* the id as text (JSON string ids unquoted) */
  const char *host;         /* lower-case host, or "" */
  const char *url;          /* for {sha256} and {path} */
  const char *content_type; /* for {ext}, may be NULL */
};

/* Check "tmpl": only {id}, {host}, {path}, {sha256} and {ext} may
 * appear, and some variable but {ext} must. Returns 0, or -1 with "err"
 * filled. */
int savename_check(const char *tmpl, char err[VL_ERRLEN]);

/* Expand "tmpl" for "f" into "out" ("outlen" bytes, at least 64): a
 * relative path. A '/' of the template separates directories; {path} is
 * the URL's path, its dot segments resolved, each segment a component,
 * "index.html" for a directory URL ("/", "/docs/"), and "?query" added to
 * the last component. In every component each byte outside
 * [A-Za-z0-9._-] becomes '_' (a '/' of {id} or {host} too) and so does a
 * leading '.', and empty components are dropped: no component is "." or
 * "..", and the path never starts with '/'. A component is at most
 * SAVENAME_PART_MAX bytes, the whole at most SAVENAME_MAX, never empty,
 * never ending in '/'. */
void savename_expand(const char *tmpl, const struct savename_facts *f,
                     char *out, size_t outlen);

/* "name" with "-N" before the extension of its last component ("a.txt"
 * and 2 give "a-2.txt"; "a" gives "a-2"; "d.x/a" gives "d.x/a-2"; a
 * leading dot starts no extension), into "out" ("outlen" bytes, at least
 * 32 more than "name"'s length), for a second file of the same name in
 * one run. */
void savename_number(const char *name, unsigned n, char *out, size_t outlen);

/* The extension for a content type: ".html", ".json", ".txt", ... or
 * ".bin" when unknown. */
const char *savename_ext(const char *content_type);

#endif
