/* One input line to one request item: a plain URL or a JSON request
 * object. Pure: no I/O. */
#ifndef VOLLEY_INPUTLINE_H
#define VOLLEY_INPUTLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum inputline_kind {
  INPUTLINE_SKIP,    /* blank or '#' comment: no request, no record */
  INPUTLINE_REQUEST, /* a request to make */
  INPUTLINE_ERROR    /* a bad line: a record with error kind "input" */
};

/* A parsed line. Every pointer is owned by the item and released by
 * inputline_clear(). */
struct inputline {
  enum inputline_kind kind;
  char *url;      /* as given; NULL when the line had none (bad JSON) */
  char *method;   /* NULL: the default */
  char **headers; /* "Name: value", "nheaders" of them */
  size_t nheaders;
  char *body; /* request body, "body_len" bytes; NULL: none */
  size_t body_len;
  char *id_json;       /* the request's own id as compact JSON; NULL: none */
  char err[VL_ERRLEN]; /* why, when kind is INPUTLINE_ERROR; stays last
                          (inputline_init()) */
};

enum inputline_format {
  INPUTLINE_AUTO,  /* '{' starts a JSON request, anything else a URL */
  INPUTLINE_LINES, /* every line is a URL */
  INPUTLINE_JSONL  /* every line is a JSON request */
};

/* Parse "len" bytes of "line" (no newline) into "it", which the caller
 * then owns and releases with inputline_clear(). Never fails: a bad line
 * is an item of kind INPUTLINE_ERROR. A UTF-8 byte order mark at its
 * start is skipped. A URL without a scheme ("example.com/x", "//h/x",
 * "h:8080") gets "scheme" ("http" or "https"), as curl's --proto-default
 * does; the item's url is then the URL with it. inputline_parse() is the
 * AUTO format, inputline_parse_as() takes "http". */
void inputline_parse(struct inputline *it, const char *line, size_t len);
void inputline_parse_as(struct inputline *it, const char *line, size_t len,
                        enum inputline_format format);
void inputline_parse_with(struct inputline *it, const char *line, size_t len,
                          enum inputline_format format, const char *scheme);

/* A stable 64-bit hash of a request's method and URL, for --shard: the
 * same on every machine and every run. */
uint64_t inputline_shard_hash(const char *method, const char *url);

/* --id-prefix: "prefix" as the start of a JSON string as jansson writes
 * it, the opening quote included and the closing one left off
 * ("\"chunk-7:"), so that an id built from it reads back (resume.c) as
 * the same text. NULL when "prefix" is not valid UTF-8. Caller frees. */
char *inputline_id_prefix(const char *prefix);

/* Give "it" the id "prefix_json" (from inputline_id_prefix()) followed
 * by "line", as a JSON string, unless the line gave its own id. */
void inputline_number(struct inputline *it, const char *prefix_json,
                      uint64_t line);

/* Make "it" empty, holding nothing, as zeroed memory would be but for
 * the bytes of "err" past its first (the bulk of the struct, and this runs
 * a few times a request). Frees nothing: see inputline_clear(). */
void inputline_init(struct inputline *it);

/* Release what "it" holds and reset it to an empty item. */
void inputline_clear(struct inputline *it);

/* Check that "url" is an absolute http or https URL of at most
 * VL_URL_MAX bytes. Returns 0, or -1 with "err" filled. */
int inputline_check_url(const char *url, char err[VL_ERRLEN]);

/* True if "url" is plainly http(s)://HOST[:PORT][/...]: a host of letters,
 * digits, '-' and '.', a port of 1 to 65535, then printable ASCII but
 * space and backslash. Every such URL that is not too long passes
 * inputline_check_url, which then skips libcurl's parser; anything else
 * gets that parser. */
bool inputline_url_plain(const char *url);

#endif
