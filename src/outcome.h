/* What a finished attempt gave: a request and its easy handle read into
 * the result its record writes, and what the retry policy, the gate,
 * --since and --save read of the attempt. Reads only; request.c runs the
 * transfer. */
#ifndef VOLLEY_OUTCOME_H
#define VOLLEY_OUTCOME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "record.h"
#include "request.h"
#include "retry.h"

/* Fill "res" from the attempt that ended with "code" (a cancellation if
 * "cancel_why" is set). Pointers in "res" borrow "req" and its easy
 * handle: use "res" before request_release(). "now_ns" is uv_hrtime(). */
void outcome_result(struct request *req, CURLcode code, uint64_t now_ns,
                    struct result *res);

/* What the retry policy reads of the attempt that ended with "code": the
 * "status", "kind" and "message" of outcome_result() (the rest of "res" as
 * far as "req" knows it without libcurl), at less than half its cost. A
 * record is written from outcome_result() only. */
void outcome_for_retry(struct request *req, CURLcode code, uint64_t now_ns,
                       struct result *res);

/* The attempt of "req" that ended with "code", "res" its result, as the
 * retry policy sees it at "now_ms" (uv_now()), into "*a". */
void outcome_retry_attempt(const struct request *req, CURLcode code,
                           const struct result *res, uint64_t now_ms,
                           struct retry_attempt *a);

/* The final HTTP status of the attempt that ended with "code"; 0 when it
 * failed (but for a robots.txt cut at ROBOTS_MAX_BYTES on purpose) or no
 * response came. */
long outcome_status(const struct request *req, CURLcode code);

/* Whether the last response was a 304 to the validators request_since()
 * added: the body is FILE's. */
bool outcome_not_modified(const struct request *req);

/* --hash: the digest of the body, once the transfer completed; else NULL.
 * Valid until the next attempt. */
const char *outcome_sha256(struct request *req);

/* The file name (relative to --save's directory) of this attempt's --save
 * file, from "tmpl" (--save-name), into "name" ("len" bytes). */
void outcome_save_name(const struct request *req, const char *tmpl, char *name,
                       size_t len);

#endif
