/* What a finished attempt gave: reads a request and its easy handle (until
 * request_release()) into the result its record writes, and into what the
 * retry policy, the gate, --since and --save read of it. Sets no easy
 * option and owns nothing; request.c runs the transfer. */
#include "config.h"

#include "outcome.h"

#include <stdio.h>
#include <string.h>

#include "savename.h"

static const char *version_name(long v)
{
  switch (v) {
  case CURL_HTTP_VERSION_1_0:
    return "1.0";
  case CURL_HTTP_VERSION_1_1:
    return "1.1";
  case CURL_HTTP_VERSION_2_0:
    return "2";
  case CURL_HTTP_VERSION_3:
    return "3";
  default:
    return NULL;
  }
}

/* After a 3xx, libcurl refused the Location (another scheme, a URL it
 * cannot use) once it had made it the effective URL: the record keeps
 * the last URL fetched as final_url, the redirect as not followed, and
 * names the target in the message. Written into "errbuf" once, as the
 * result is read more than once. */
static void refused_redirect(struct request *req, CURLcode code,
                             struct result *res)
{
  char msg[CURL_ERROR_SIZE];

  if ((code != CURLE_UNSUPPORTED_PROTOCOL && code != CURLE_URL_MALFORMAT) ||
      !res->final_url || strcmp(res->final_url, req->redirect_from) == 0)
    return;
  if (!req->refused_noted) {
    snprintf(msg, sizeof(msg), "redirect to '%.120s' refused: %.100s",
             res->final_url, res->message);
    memcpy(req->errbuf, msg, sizeof(msg));
    req->refused_noted = true;
  }
  res->message = req->errbuf;
  res->final_url = req->redirect_from;
  if (res->redirects > 0)
    res->redirects--;
}

/* The phases of the attempt "easy" ran, as libcurl timed them: when each
 * ended, from the attempt's start. A phase that did not happen (no TLS, a
 * reused connection: libcurl says 0) ended with the one before it, so the
 * phases never go backwards. */
static void attempt_timing(CURL *easy, struct record_timing *t)
{
  static const CURLINFO what[5] = {
    CURLINFO_NAMELOOKUP_TIME_T, CURLINFO_CONNECT_TIME_T,
    CURLINFO_APPCONNECT_TIME_T, CURLINFO_STARTTRANSFER_TIME_T,
    CURLINFO_TOTAL_TIME_T,
  };
  double *to[5] = { &t->dns_s, &t->connect_s, &t->tls_s, &t->ttfb_s,
                    &t->total_s };
  size_t i;

  for (i = 0; i < 5; i++) {
    curl_off_t us = 0;

    /* Microseconds; a failed getinfo leaves 0. */
    (void)curl_easy_getinfo(easy, what[i], &us);
    *to[i] = us > 0 ? (double)us / 1e6 : 0;
    if (i > 0 && *to[i] < *to[i - 1])
      *to[i] = *to[i - 1];
  }
  t->known = true;
}

/* The start of every result: what "req" itself knows, without asking
 * libcurl. */
static void result_base(const struct request *req, uint64_t now_ns,
                        struct result *res)
{
  record_result_init(res);
  res->id_json = req->id_json;
  res->line = req->line;
  res->url = req->url;
  res->attempts = req->attempts;
  if (req->first_start_ns) {
    res->queued_s = (double)(req->first_start_ns - req->started_ns) / 1e9;
    res->time_s = (double)(now_ns - req->first_start_ns) / 1e9;
  } else {
    /* Never started (robots.txt refused it, or it was cancelled while
     * waiting): all of its time was queueing. */
    res->queued_s = (double)(now_ns - req->started_ns) / 1e9;
  }
}

/* The final status of a response that came: libcurl's, or after a 304
 * to --since's validators the earlier record's. */
static void result_status(const struct request *req, CURLcode code,
                          struct result *res)
{
  long v = 0;

  /* getinfo on a handle that ran cannot fail for this: the result is
   * only read when set. */
  if (curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &v) == CURLE_OK)
    res->status = v;
  if (req->carry && code == CURLE_OK && !req->cancel_why)
    res->status = req->carry->status;
}

/* The kind and message of the result, from "code" and what the transfer
 * noted, once "status" (and, after an error, "final_url" and "redirects")
 * are filled. */
static void result_kind(struct request *req, CURLcode code, struct result *res)
{
  CURL *easy = req->easy;

  if (easy && req->got_response)
    req->last_status = res->status;
  else if (!easy)
    res->status = req->last_status; /* cancelled while waiting to retry */
  if (req->cancel_why) {
    res->kind = ERRKIND_CANCELLED;
    res->message = req->cancel_why;
    res->body = NULL;
  } else if (req->too_large) {
    res->kind = ERRKIND_TOO_LARGE;
    res->message = "body larger than --max-body";
  } else if (code != CURLE_OK) {
    const char *why = NULL;
    long sent = 0;
    bool in_head = false;

    /* Past the request and before the end of the headers: where a
     * header line too long for libcurl shows as "Out of memory". */
    if (easy && !req->headers_done &&
        curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &sent) == CURLE_OK)
      in_head = sent > 0;
    res->kind = errkind_of_transfer(code, req->errbuf, req->got_response,
                                    in_head, &why);
    if (code == CURLE_FILESIZE_EXCEEDED)
      res->message = "body larger than --max-body";
    else if (why)
      res->message = why;
    else
      res->message = req->errbuf[0] ? req->errbuf : curl_easy_strerror(code);
    if (easy && req->redirect_from)
      refused_redirect(req, code, res);
  } else if (req->save_error) {
    /* The transfer was whole, its file is not: the status stays. */
    res->kind = ERRKIND_SAVE;
    res->message = req->save_error;
  } else if (res->status >= 400) {
    res->kind = ERRKIND_HTTP;
  }
}

void outcome_result(struct request *req, CURLcode code, uint64_t now_ns,
                    struct result *res)
{
  CURL *easy = req->easy;

  result_base(req, now_ns, res);
  if (easy && code != CURLE_FAILED_INIT)
    attempt_timing(easy, &res->timing);

  if (easy && req->got_response) {
    long v = 0;
    char *s = NULL;

    result_status(req, code, res);
    /* As for the status: these cannot fail on a handle that ran. */
    if (curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &s) == CURLE_OK)
      res->final_url = s;
    if (curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &v) == CURLE_OK)
      res->http_version = version_name(v);
    s = NULL;
    if (curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK)
      res->content_type = s;
    if (curl_easy_getinfo(easy, CURLINFO_REDIRECT_COUNT, &v) == CURLE_OK)
      res->redirects = v;
    s = NULL;
    if (curl_easy_getinfo(easy, CURLINFO_PRIMARY_IP, &s) == CURLE_OK && s &&
        *s)
      res->remote_ip = s;
    res->size = (int64_t)req->body_bytes;
    res->etag = req->etag;
    res->last_modified = req->last_modified;
    if (code == CURLE_OK)
      res->sha256 = outcome_sha256(req);
    if (req->carry && code == CURLE_OK && !req->cancel_why) {
      const struct since_carry *c = req->carry;

      /* A 304 refreshes the earlier record as a cache refreshes a stored
       * response (RFC 9111 4.3.4): what describes the body is FILE's,
       * what describes this transfer is new (result_status() took its
       * status). */
      res->unchanged = true;
      res->content_type = c->content_type;
      res->size = c->size;
      res->sha256 = c->sha256;
      if (!res->etag)
        res->etag = c->etag;
      if (!res->last_modified)
        res->last_modified = c->last_modified;
    }
    if (req->shared->cfg->want_headers)
      res->headers = req->hdrbuf.p ? req->hdrbuf.p : "";
    res->headers_len = req->hdrbuf.len;
    if (req->shared->cfg->want_body && code == CURLE_OK)
      res->body = req->bodybuf.p ? req->bodybuf.p : "";
    res->body_len = req->bodybuf.len;
  }
  result_kind(req, code, res);
}

void outcome_for_retry(struct request *req, CURLcode code, uint64_t now_ns,
                       struct result *res)
{
  /* A failed transfer may need its final URL and redirect count for its
   * message (refused_redirect()): the whole result, as failures are
   * few. */
  if (code != CURLE_OK) {
    outcome_result(req, code, now_ns, res);
    return;
  }
  result_base(req, now_ns, res);
  if (req->easy && req->got_response)
    result_status(req, code, res);
  result_kind(req, code, res);
}

long outcome_status(const struct request *req, CURLcode code)
{
  long status = 0;
  /* A robots.txt cut at ROBOTS_MAX_BYTES (request.c) is whole enough. */
  bool cut = code == CURLE_WRITE_ERROR && req->internal && req->too_large;

  if ((code == CURLE_OK || cut) && req->easy && req->got_response)
    (void)curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

bool outcome_not_modified(const struct request *req)
{
  long status = 0;

  return req->conditional && req->easy && req->got_response &&
         curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status) ==
             CURLE_OK &&
         status == 304;
}

const char *outcome_sha256(struct request *req)
{
  if (!req->shared->cfg->hash || !req->easy || !req->got_response ||
      req->too_large || req->cancel_why)
    return NULL;
  /* Ended once: the digest is asked for more than once. */
  if (!req->sha_hex[0])
    sha256_final_hex(&req->sha, req->sha_hex);
  return req->sha_hex;
}

void outcome_save_name(const struct request *req, const char *tmpl, char *name,
                       size_t len)
{
  struct savename_facts f;
  char id[128];
  char *ct = NULL;

  if (req->id_json) {
    size_t n = strlen(req->id_json);

    /* A JSON string id is used without its quotes. */
    if (n >= 2 && req->id_json[0] == '"')
      snprintf(id, sizeof(id), "%.*s", (int)(n - 2), req->id_json + 1);
    else
      snprintf(id, sizeof(id), "%s", req->id_json);
  } else {
    snprintf(id, sizeof(id), "%llu", (unsigned long long)req->line);
  }
  if (req->easy)
    (void)curl_easy_getinfo(req->easy, CURLINFO_CONTENT_TYPE, &ct);
  f.id = id;
  f.host = req->host;
  f.url = req->url;
  f.content_type = ct;
  savename_expand(tmpl, &f, name, len);
}

/* Whether the method is idempotent (GET HEAD PUT DELETE OPTIONS TRACE):
 * the retry policy repeats no other without --retry-all-methods. */
static bool idempotent(const struct request *req)
{
  static const char *const safe[] = { "GET",    "HEAD",    "PUT",
                                      "DELETE", "OPTIONS", "TRACE" };
  const char *method = req->method ? req->method : req->shared->cfg->method;
  size_t i;

  if (!method)
    return !(req->body || req->shared->data);
  for (i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
    if (strcmp(method, safe[i]) == 0)
      return true;
  return false;
}

void outcome_retry_attempt(const struct request *req, CURLcode code,
                           const struct result *res, uint64_t now_ms,
                           struct retry_attempt *a)
{
  a->kind = res->kind;
  a->code = code;
  a->got_response = req->got_response;
  a->status = res->status;
  a->idempotent = idempotent(req);
  a->attempts = req->attempts;
  a->retry_after_ms = req->retry_after_ms;
  a->max_time_ms = req->shared->cfg->max_time_ms;
  a->elapsed_ms = now_ms - req->first_start_ms;
}
