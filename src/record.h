/* One result to one NDJSON line. Writes JSON by hand into a reused
 * buffer: every string is escaped and made valid UTF-8 whatever bytes it
 * held. Pure: no I/O. */
#ifndef VOLLEY_RECORD_H
#define VOLLEY_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errkind.h"

/* Header lines of a response kept in its record; "headers_dropped" says
 * how many more there were. */
#define RECORD_MAX_HEADERS 1000

/* --since: how a record compares with FILE's record of the request. */
enum record_changed {
  RECORD_CHANGED_NONE,    /* no --since: no "changed" field */
  RECORD_CHANGED_UNKNOWN, /* null: FILE has no record of it, or it was
                             cancelled */
  RECORD_CHANGED_FALSE,
  RECORD_CHANGED_TRUE
};

struct extract_result;
struct extract_spec;

/* The last attempt's phases as libcurl measured them (CURLINFO_*_TIME_T):
 * when each ended, in seconds from that attempt's start. A phase that did
 * not happen (no TLS, a reused connection) ends with the one before it,
 * so dns <= connect <= tls <= ttfb <= total. */
struct record_timing {
  bool known; /* false: no attempt ran in libcurl; the field is absent */
  double dns_s, connect_s, tls_s, ttfb_s, total_s;
};

/* What a finished request produced: every field of its record, typed.
 * Pointers are borrowed for the call. A field is absent from the record
 * when its member says so (NULL, -1, false); record_result_init() starts
 * with every optional field absent. The field table in record.c names
 * each field once. */
struct result {
  const char *id_json; /* the request's own id as JSON text, or NULL */
  uint64_t line;       /* the input line number, the id when no id_json */
  const char *url;     /* as given; NULL is written as null */
  unsigned attempts;
  double time_s;   /* from the first attempt's start to the record,
                      retries and their waits included; 0 if none began */
  double queued_s; /* from taking the request in to its first attempt's
                      start (-c, --per-host, rates, robots.txt) */
  struct record_timing timing;
  long status;              /* final HTTP status, 0 when no response came */
  enum errkind kind;        /* ERRKIND_NONE when the transfer completed */
  const char *message;      /* why, when kind is set */
  const char *final_url;    /* NULL when unknown */
  const char *http_version; /* "1.1", "2"; NULL when unknown */
  const char *content_type;
  const char *remote_ip;
  int64_t size;              /* decoded body bytes; -1 when unknown */
  int64_t redirects;         /* -1 when unknown */
  const char *etag;          /* the final response's ETag, or NULL */
  const char *last_modified; /* its Last-Modified, as sent, or NULL */
  const char *sha256;        /* --hash: 64 hex digits of the decoded body */
  bool unchanged;            /* --since: a 304 answered FILE's validators */
  enum record_changed changed;
  const char *headers; /* raw header block of the final response, or NULL */
  size_t headers_len;
  const char *body; /* the body when requested, or NULL */
  size_t body_len;
  bool crawled;            /* --crawl: "depth" (and "parent") are written */
  unsigned depth;          /* --crawl: hops from the seed, 0 for a seed */
  const char *parent_json; /* --crawl: the linking page's id as JSON;
                              NULL for a seed */
  const struct extract_result *extract;    /* --title --links -x -e: what the
                                              extraction found, or NULL: no
                                              extraction fields */
  const struct extract_spec *extract_spec; /* what was asked, with it */
  bool saving;                             /* --save: "saved" is written */
  const char *saved; /* the saved file's path; NULL is written as null */
};

/* Set every member of "r" to zero, with the optional fields absent. */
void record_result_init(struct result *r);

/* A growing byte buffer, reused from record to record. */
struct record_buf {
  char *p;
  size_t len; /* bytes used */
  size_t cap; /* bytes allocated */
};

/* Whether "r" counts as ok: completed with a status below 400. */
bool record_ok(const struct result *r);

/* Append the record of "r" as one JSON line, '\n' included, to "b": every
 * field of the table in its order, absent ones left out. */
void record_build(struct record_buf *b, const struct result *r);

/* One field of the record (opaque; its row in record.c's table). */
struct record_field;

/* The field named "len" bytes at "name", or NULL. Also finds the names
 * that exist for -w only: "error_message" (the error's message; "error"
 * is its kind there). */
const struct record_field *record_field_find(const char *name, size_t len);

/* The name of field "i" of the table, in record order, -w-only names
 * last; NULL past the end. */
const char *record_field_name(size_t i);

/* Append the value of "f" for "r" as JSON to "b" ("null" for a -w-only
 * name). Returns false, having appended nothing, when "r" lacks it. */
bool record_field_json(const struct record_field *f, const struct result *r,
                       struct record_buf *b);

/* Append the value of "f" for "r" as -w writes it to "b": a string's raw
 * bytes (not made safe: writeout.c does that), a number as in JSON, an
 * object or array as its JSON; the kind's name for "error". Returns
 * false, having appended nothing, when "r" lacks it or it is null. */
bool record_field_text(const struct record_field *f, const struct result *r,
                       struct record_buf *b);

/* Append "n" bytes of "s" to "b" as they are; a C string as it is; printf
 * output. */
void record_put(struct record_buf *b, const char *s, size_t n);
void record_put_raw(struct record_buf *b, const char *s);
void record_putf(struct record_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append "len" bytes of "s" to "b" as a JSON string: quoted, escaped,
 * invalid UTF-8 replaced by U+FFFD. */
void record_put_quoted(struct record_buf *b, const char *s, size_t len);

/* Whether "len" bytes of "s" are valid UTF-8 with no NUL. */
bool record_is_utf8(const char *s, size_t len);

/* Empty "b" for reuse (keeps its memory); release its memory. */
void record_buf_reset(struct record_buf *b);
void record_buf_free(struct record_buf *b);

#endif
