/* Error kinds of a record: one table maps each CURLcode to a kind. Pure. */
#ifndef VOLLEY_ERRKIND_H
#define VOLLEY_ERRKIND_H

#include <stdbool.h>

#include <curl/curl.h>

enum errkind {
  ERRKIND_NONE,
  ERRKIND_INPUT,
  ERRKIND_DNS,
  ERRKIND_CONNECT,
  ERRKIND_TLS,
  ERRKIND_TIMEOUT,
  ERRKIND_HTTP,
  ERRKIND_TOO_LARGE,
  ERRKIND_CANCELLED,
  ERRKIND_PROTOCOL,
  ERRKIND_OTHER,
  ERRKIND_ROBOTS, /* --crawl: robots.txt disallows the URL */
  ERRKIND_SAVE,   /* --save: the body could not be written */
  ERRKIND_COUNT
};

/* The kind of a failed transfer's "code" (CURLE_OK gives ERRKIND_NONE). */
enum errkind errkind_from_curl(CURLcode code);

/* The kind's name as written in records ("dns"); NULL for ERRKIND_NONE. */
const char *errkind_name(enum errkind kind);

/* True when "code" says the connection broke before or while reading:
 * the "reset" case that a retry may fix when no response byte came. */
bool errkind_is_reset(CURLcode code);

#endif
