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

/* The kind of a failed transfer, from its "code" and what the attempt
 * saw: "errbuf" is libcurl's error text ("" if none), "got_response" that
 * a status line arrived, "in_head" that the request went out and the
 * final response's headers had not ended. A receive error after the
 * status line is "protocol"; response headers past libcurl's limits are
 * "too_large". Sets "*message" to a static text to write instead of
 * libcurl's when libcurl's misleads ("Out of memory"), else to NULL. */
enum errkind errkind_of_transfer(CURLcode code, const char *errbuf,
                                 bool got_response, bool in_head,
                                 const char **message);

/* The kind's name as written in records ("dns"); NULL for ERRKIND_NONE. */
const char *errkind_name(enum errkind kind);

/* True when "code" says the connection broke before or while reading:
 * the "reset" case that a retry may fix when no response byte came. */
bool errkind_is_reset(CURLcode code);

#endif
