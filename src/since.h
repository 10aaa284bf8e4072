/* --since FILE: what an earlier output says of each request, kept small
 * enough for millions of them. An entry keeps the outcome (ok, status,
 * error kind, a hash of final_url, the first 64 bits of sha256), the
 * validators to send back (the ETag in an arena, Last-Modified as a time)
 * and where the record lies in FILE; the fields a 304 carries over
 * (title, links, extract, saved...) are read back from FILE when one
 * comes, never held. The file reading is resume.c's; this module only
 * indexes records, compares outcomes and parses a record read back. Pure.
 *
 * Memory per indexed record: a 40-byte entry, a 20-byte slot of the hmap
 * (at most three quarters full: 27 to 53 bytes), and the ETag's bytes. */
#ifndef VOLLEY_SINCE_H
#define VOLLEY_SINCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "cli.h"
#include "extract.h"
#include "hmap.h"
#include "record.h"

/* What an earlier record had, beyond its outcome. */
enum since_flag {
  SINCE_OK = 1 << 0,      /* "ok": true */
  SINCE_SHA = 1 << 1,     /* a valid "sha256" (its first 64 bits kept) */
  SINCE_LM = 1 << 2,      /* a "last_modified" that parses as a date */
  SINCE_TITLE = 1 << 3,   /* "title" (a string or null) */
  SINCE_LINKS = 1 << 4,   /* "links" */
  SINCE_EXTRACT = 1 << 5, /* "extract" */
  SINCE_SAVED = 1 << 6    /* "saved", a string */
};

/* One earlier record: 40 bytes. */
struct since_entry {
  uint64_t offset;        /* of the record's line in FILE */
  uint64_t sha;           /* SINCE_SHA: the first 16 hex digits' value */
  uint64_t final_url;     /* hash of "final_url" ("" when absent) */
  uint32_t len;           /* bytes of the line, without its newline */
  uint32_t last_mod;      /* SINCE_LM: seconds since the epoch */
  uint32_t etag_off;      /* the ETag's bytes in the arena */
  uint32_t etag_len : 10; /* 0: no ETag worth sending back */
  uint32_t status : 10;   /* 0 when null (statuses have 3 digits) */
  uint32_t kind : 4;      /* enum errkind of "error.kind" */
  uint32_t flags : 7;     /* enum since_flag */
};

struct since {
  struct hmap index;     /* request key -> number of its entry */
  struct since_entry *v; /* the entries, "len" of them */
  size_t len, cap;
  struct buf etags; /* the arena of ETag bytes */
  unsigned needs;   /* enum since_flag a 304 must be able to carry
                       for validators to be sent */
  bool fetch_all;   /* --body: bodies are never carried over, so no
                       validators are sent */
  int fd;           /* FILE (or a copy) for reading records back,
                       or -1: opened and closed by the caller */
  uint64_t records; /* records indexed (a key seen twice counts
                       once, the later record winning) */
};

/* An empty index for a run of "cfg" that extracts "spec": what a 304
 * must carry decides which earlier records get validators. */
void since_init(struct since *s, const struct config *cfg,
                const struct extract_spec *spec);

/* Release what "s" holds (not "s->fd"); it is empty after. */
void since_free(struct since *s);

/* Index the record "rec" (a parsed record line: borrowed) under "key",
 * its line "len" bytes at "offset" of FILE. A later record of the same
 * key replaces the earlier one. Records of FILE are outside data: a
 * field of the wrong type or an oversized value is left out, and a line
 * longer than 4 GiB is not indexed. */
void since_add(struct since *s, const struct hmap_key *key, json_t *rec,
               uint64_t offset, uint64_t len);

/* The entry of "key", or NULL. Valid as long as "s". */
const struct since_entry *since_find(const struct since *s,
                                     const struct hmap_key *key);

/* The conditional headers to send for entry "e", as whole header lines
 * into "inm" ("If-None-Match: ...") and "ims" ("If-Modified-Since: ..."),
 * each empty when not sent. Returns false (both empty) when none are:
 * the earlier record was not ok, has no validator, or lacks a field
 * this run's records need that a 304 would have to carry over. */
bool since_validators(const struct since *s, const struct since_entry *e,
                      char *inm, size_t inm_len, char *ims, size_t ims_len);

/* How "res" compares with its earlier record "e" (NULL: none): null when
 * there is none or "res" is a cancellation; false for a 304 to the
 * validators; else true when ok, status, error kind or final_url differ,
 * or the body differs by sha256, else by ETag, else by Last-Modified
 * (the first both records have). RECORD_CHANGED_NONE when "s" is NULL. */
enum record_changed since_changed(const struct since *s,
                                  const struct since_entry *e,
                                  const struct result *res);

/* Whether the body of digest "sha256_hex" (NULL: none) is that of "e". */
bool since_same_body(const struct since_entry *e, const char *sha256_hex);

/* The fields a record carries over from its earlier record. */
struct since_carry {
  long status;        /* 0 when null */
  char *content_type; /* each string malloc'd, or NULL */
  char *sha256;
  char *etag;
  char *last_modified;
  char *saved;
  int64_t size; /* -1 when absent */
};

/* Parse the record line "line" ("len" bytes) read back from FILE into
 * "c", and, when "xr" is not NULL, its title, links and "spec"'s extract
 * values into "xr" as extract_run() would have filled it (both zeroed
 * first). Returns 0, or -1 if the line is not a JSON object. Thread-safe:
 * runs in the thread pool. */
int since_carry_parse(const char *line, size_t len,
                      const struct extract_spec *spec, struct since_carry *c,
                      struct extract_result *xr);

/* Release the strings of "c"; it is zeroed after. NULL is fine. */
void since_carry_free(struct since_carry *c);

#endif
