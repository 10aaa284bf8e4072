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

/* What a finished request produced. Pointers are borrowed for the call. */
struct result {
  const char *id_json; /* the request's own id as JSON text, or NULL */
  uint64_t line;       /* the input line number, the id when no id_json */
  const char *url;     /* as given; NULL is written as null */
  unsigned attempts;
  double time_s;            /* all attempts, backoff included */
  long status;              /* final HTTP status, 0 when no response came */
  enum errkind kind;        /* ERRKIND_NONE when the transfer completed */
  const char *message;      /* why, when kind is set */
  const char *final_url;    /* NULL when unknown */
  const char *http_version; /* "1.1", "2"; NULL when unknown */
  const char *content_type;
  const char *remote_ip;
  int64_t size;        /* decoded body bytes; -1 when unknown */
  long redirects;      /* -1 when unknown */
  const char *headers; /* raw header block of the final response, or NULL */
  size_t headers_len;
  const char *body; /* the body when requested, or NULL */
  size_t body_len;
  const char *extra; /* more fields, ",\"k\":v..." as JSON, or NULL */
  size_t extra_len;
};

/* A growing byte buffer, reused from record to record. */
struct record_buf {
  char *p;
  size_t len; /* bytes used */
  size_t cap; /* bytes allocated */
};

/* Whether "r" counts as ok: completed with a status below 400. */
bool record_ok(const struct result *r);

/* Append the record of "r" as one JSON line, '\n' included, to "b". */
void record_build(struct record_buf *b, const struct result *r);

/* Append "n" bytes of "s" to "b" as they are; a C string; printf
 * output. */
void record_put(struct record_buf *b, const char *s, size_t n);
void record_put_str(struct record_buf *b, const char *s);
void record_putf(struct record_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append "len" bytes of "s" to "b" as a JSON string: quoted, escaped,
 * invalid UTF-8 replaced by U+FFFD. */
void record_put_string(struct record_buf *b, const char *s, size_t len);

/* Whether "len" bytes of "s" are valid UTF-8 with no NUL. */
bool record_is_utf8(const char *s, size_t len);

/* Empty "b" for reuse (keeps its memory); release its memory. */
void record_buf_reset(struct record_buf *b);
void record_buf_free(struct record_buf *b);

#endif
