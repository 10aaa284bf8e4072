/* --save-name: a file name from a template and a request's facts, every
 * component sanitised so that no name leaves the directory. Pure. */
#ifndef VOLLEY_SAVENAME_H
#define VOLLEY_SAVENAME_H

#include <stddef.h>

#include "util.h"

/* What the template's variables stand for. */
struct savename_facts {
  const char *id;           /* the id as text (JSON string ids unquoted) */
  const char *host;         /* lower-case host, or "" */
  const char *url;          /* for {sha256} */
  const char *content_type; /* for {ext}, may be NULL */
};

/* Check "tmpl": only {id}, {host}, {sha256} and {ext} may appear, and
 * some variable must. Returns 0, or -1 with "err" filled. */
int savename_check(const char *tmpl, char err[VL_ERRLEN]);

/* Expand "tmpl" for "f" into "out" ("outlen" bytes, at least 64): each
 * value has every byte outside [A-Za-z0-9._-] replaced by '_', the whole
 * name is at most 200 bytes, and a leading '.' becomes '_', so the
 * result is one plain file name, never "..", never with a '/'. */
void savename_expand(const char *tmpl, const struct savename_facts *f,
                     char *out, size_t outlen);

/* "name" with "-N" before its extension ("a.txt" and 2 give "a-2.txt";
 * "a" gives "a-2"; a leading dot starts no extension), into "out"
 * ("outlen" bytes, at least 32 more than "name"'s length), for a second
 * file of the same name in one run. */
void savename_number(const char *name, unsigned n, char *out, size_t outlen);

/* The extension for a content type: ".html", ".json", ".txt", ... or
 * ".bin" when unknown. */
const char *savename_ext(const char *content_type);

#endif
