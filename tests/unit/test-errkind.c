/* Unit tests of errkind.c: each CURLcode family maps to its kind, every
 * kind has its record name, and which codes are resets. One row per
 * case. */
#include "config.h"

#include <string.h>

#include <curl/curl.h>

#include "errkind.h"
#include "tap.h"

/* Every code of "codes" maps to "kind"; names the first that does not. */
static int all_map_to(const CURLcode *codes, size_t n, enum errkind kind,
                      char *why)
{
  size_t i;

  for (i = 0; i < n; i++) {
    enum errkind got = errkind_from_curl(codes[i]);

    if (got != kind)
      return tap_fail(why, __FILE__, __LINE__, "code %d (%s): kind %d, not %d",
                      (int)codes[i], curl_easy_strerror(codes[i]), (int)got,
                      (int)kind);
  }
  return 0;
}

#define CHECK_MAP(codes, kind)                                                \
  do {                                                                        \
    if (all_map_to((codes), sizeof(codes) / sizeof((codes)[0]), (kind),       \
                   why) != 0)                                                 \
      return -1;                                                              \
  } while (0)

static int ok_is_none(char *why)
{
  CHECK_INT(errkind_from_curl(CURLE_OK), ERRKIND_NONE);
  return 0;
}

static int dns(char *why)
{
  static const CURLcode codes[] = { CURLE_COULDNT_RESOLVE_HOST,
                                    CURLE_COULDNT_RESOLVE_PROXY };

  CHECK_MAP(codes, ERRKIND_DNS);
  return 0;
}

static int connect_refused(char *why)
{
  static const CURLcode codes[] = { CURLE_COULDNT_CONNECT };

  CHECK_MAP(codes, ERRKIND_CONNECT);
  return 0;
}

static int connect_reset(char *why)
{
  static const CURLcode codes[] = { CURLE_RECV_ERROR, CURLE_SEND_ERROR,
                                    CURLE_GOT_NOTHING };

  CHECK_MAP(codes, ERRKIND_CONNECT);
  return 0;
}

static int timeout(char *why)
{
  static const CURLcode codes[] = { CURLE_OPERATION_TIMEDOUT };

  CHECK_MAP(codes, ERRKIND_TIMEOUT);
  return 0;
}

static int tls(char *why)
{
  static const CURLcode codes[] = {
    CURLE_SSL_CONNECT_ERROR,        CURLE_PEER_FAILED_VERIFICATION,
    CURLE_SSL_ENGINE_NOTFOUND,      CURLE_SSL_ENGINE_SETFAILED,
    CURLE_SSL_CERTPROBLEM,          CURLE_SSL_CIPHER,
    CURLE_SSL_CACERT_BADFILE,       CURLE_SSL_SHUTDOWN_FAILED,
    CURLE_SSL_CRL_BADFILE,          CURLE_SSL_ISSUER_ERROR,
    CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS,
    CURLE_SSL_CLIENTCERT,           CURLE_USE_SSL_FAILED,
  };

  CHECK_MAP(codes, ERRKIND_TLS);
  return 0;
}

/* CURLE_SSL_ENGINE_INITFAILED (66) is "tls" like its siblings 53 and 54;
 * it was once missing from the table. */
static int tls_engine_init(char *why)
{
  static const CURLcode codes[] = { CURLE_SSL_ENGINE_INITFAILED };

  CHECK_MAP(codes, ERRKIND_TLS);
  return 0;
}

static int protocol(char *why)
{
  static const CURLcode codes[] = {
    CURLE_TOO_MANY_REDIRECTS,
    CURLE_WEIRD_SERVER_REPLY,
    CURLE_HTTP2,
    CURLE_HTTP2_STREAM,
    CURLE_PARTIAL_FILE,
    CURLE_BAD_CONTENT_ENCODING,
    CURLE_RANGE_ERROR,
    CURLE_HTTP3,
  };

  CHECK_MAP(codes, ERRKIND_PROTOCOL);
  return 0;
}

static int too_large(char *why)
{
  static const CURLcode codes[] = { CURLE_FILESIZE_EXCEEDED };

  CHECK_MAP(codes, ERRKIND_TOO_LARGE);
  return 0;
}

static int cancelled(char *why)
{
  static const CURLcode codes[] = { CURLE_ABORTED_BY_CALLBACK };

  CHECK_MAP(codes, ERRKIND_CANCELLED);
  return 0;
}

/* URLs are checked before libcurl sees them: a bad URL or protocol met
 * during a transfer came from the server. */
static int bad_url_from_server(char *why)
{
  static const CURLcode codes[] = { CURLE_URL_MALFORMAT,
                                    CURLE_UNSUPPORTED_PROTOCOL };

  CHECK_MAP(codes, ERRKIND_PROTOCOL);
  return 0;
}

static int http(char *why)
{
  static const CURLcode codes[] = { CURLE_HTTP_RETURNED_ERROR };

  CHECK_MAP(codes, ERRKIND_HTTP);
  return 0;
}

static int other(char *why)
{
  static const CURLcode codes[] = {
    CURLE_FAILED_INIT,        CURLE_OUT_OF_MEMORY,
    CURLE_WRITE_ERROR,        CURLE_READ_ERROR,
    CURLE_UNRECOVERABLE_POLL, (CURLcode)9999,
    (CURLcode)CURL_LAST,      (CURLcode)-1,
  };

  CHECK_MAP(codes, ERRKIND_OTHER);
  return 0;
}

static int every_code_in_range(char *why)
{
  int c;

  for (c = 0; c < (int)CURL_LAST + 10; c++) {
    enum errkind k = errkind_from_curl((CURLcode)c);

    if ((unsigned)k >= ERRKIND_COUNT || (c != CURLE_OK) != (k != ERRKIND_NONE))
      return tap_fail(why, __FILE__, __LINE__, "code %d: kind %d", c, (int)k);
  }
  return 0;
}

static int names(char *why)
{
  CHECK(!errkind_name(ERRKIND_NONE));
  CHECK_STREQ(errkind_name(ERRKIND_INPUT), "input");
  CHECK_STREQ(errkind_name(ERRKIND_DNS), "dns");
  CHECK_STREQ(errkind_name(ERRKIND_CONNECT), "connect");
  CHECK_STREQ(errkind_name(ERRKIND_TLS), "tls");
  CHECK_STREQ(errkind_name(ERRKIND_TIMEOUT), "timeout");
  CHECK_STREQ(errkind_name(ERRKIND_HTTP), "http");
  CHECK_STREQ(errkind_name(ERRKIND_TOO_LARGE), "too_large");
  CHECK_STREQ(errkind_name(ERRKIND_CANCELLED), "cancelled");
  CHECK_STREQ(errkind_name(ERRKIND_PROTOCOL), "protocol");
  CHECK_STREQ(errkind_name(ERRKIND_OTHER), "other");
  return 0;
}

static int names_distinct(char *why)
{
  int a, b;

  for (a = 1; a < ERRKIND_COUNT; a++) {
    const char *na = errkind_name((enum errkind)a);

    CHECK(na && na[0]);
    CHECK(strspn(na, "abcdefghijklmnopqrstuvwxyz_") == strlen(na));
    for (b = 1; b < a; b++)
      CHECK(strcmp(na, errkind_name((enum errkind)b)) != 0);
  }
  return 0;
}

static int name_out_of_range(char *why)
{
  CHECK_STREQ(errkind_name(ERRKIND_COUNT), "other");
  CHECK_STREQ(errkind_name((enum errkind)1000), "other");
  return 0;
}

static int resets(char *why)
{
  CHECK(errkind_is_reset(CURLE_RECV_ERROR));
  CHECK(errkind_is_reset(CURLE_SEND_ERROR));
  CHECK(errkind_is_reset(CURLE_GOT_NOTHING));
  CHECK(!errkind_is_reset(CURLE_OK));
  CHECK(!errkind_is_reset(CURLE_COULDNT_CONNECT));
  CHECK(!errkind_is_reset(CURLE_COULDNT_RESOLVE_HOST));
  CHECK(!errkind_is_reset(CURLE_OPERATION_TIMEDOUT));
  CHECK(!errkind_is_reset(CURLE_WEIRD_SERVER_REPLY));
  CHECK(!errkind_is_reset(CURLE_SSL_CONNECT_ERROR));
  return 0;
}

static int resets_are_connect(char *why)
{
  int c;

  for (c = 0; c < (int)CURL_LAST; c++)
    if (errkind_is_reset((CURLcode)c))
      CHECK_INT(errkind_from_curl((CURLcode)c), ERRKIND_CONNECT);
  return 0;
}

/* errkind_of_transfer() with no replacement message expected. */
static enum errkind of(CURLcode code, const char *errbuf, bool got_response,
                       bool in_head)
{
  const char *msg = "unset";
  enum errkind k =
      errkind_of_transfer(code, errbuf, got_response, in_head, &msg);

  return msg ? ERRKIND_COUNT : k; /* ERRKIND_COUNT: a message came */
}

static int transfer_recv_after_status(char *why)
{
  const char *bad_chunk =
      "Illegal or missing hexadecimal sequence in chunked-encoding";

  /* After the status line the response broke: protocol. */
  CHECK_INT(of(CURLE_RECV_ERROR, bad_chunk, true, false), ERRKIND_PROTOCOL);
  CHECK_INT(of(CURLE_RECV_ERROR, "Recv failure: Connection reset by peer",
               true, false),
            ERRKIND_PROTOCOL);
  /* Before it, the connection broke: connect, as the table says. */
  CHECK_INT(of(CURLE_RECV_ERROR, "Recv failure: Connection reset by peer",
               false, true),
            ERRKIND_CONNECT);
  CHECK_INT(of(CURLE_SEND_ERROR, "", true, false), ERRKIND_CONNECT);
  CHECK_INT(of(CURLE_GOT_NOTHING, "", false, true), ERRKIND_CONNECT);
  return 0;
}

static int transfer_headers_too_large(char *why)
{
  const char *msg = NULL;

  CHECK_INT(of(CURLE_RECV_ERROR, "Too large response headers: 307277 > 307200",
               true, false),
            ERRKIND_TOO_LARGE);
  CHECK_INT(of(CURLE_RECV_ERROR, "Too large response headers", false, true),
            ERRKIND_TOO_LARGE);
  /* One header line past CURL_MAX_HTTP_HEADER reads "Out of memory". */
  CHECK_INT(errkind_of_transfer(CURLE_OUT_OF_MEMORY, "Out of memory", true,
                                true, &msg),
            ERRKIND_TOO_LARGE);
  CHECK_HAS(msg, "header line");
  /* Out of memory elsewhere stays other, with libcurl's message. */
  CHECK_INT(of(CURLE_OUT_OF_MEMORY, "Out of memory", false, false),
            ERRKIND_OTHER);
  CHECK_INT(of(CURLE_OUT_OF_MEMORY, "Out of memory", true, false),
            ERRKIND_OTHER);
  return 0;
}

static int transfer_falls_back_to_table(char *why)
{
  CHECK_INT(of(CURLE_COULDNT_RESOLVE_HOST, "", false, false), ERRKIND_DNS);
  CHECK_INT(of(CURLE_OPERATION_TIMEDOUT, "", true, true), ERRKIND_TIMEOUT);
  CHECK_INT(of(CURLE_FILESIZE_EXCEEDED, "", true, false), ERRKIND_TOO_LARGE);
  CHECK_INT(of(CURLE_UNSUPPORTED_PROTOCOL, "", true, false), ERRKIND_PROTOCOL);
  CHECK_INT(of(CURLE_RECV_ERROR, NULL, false, false), ERRKIND_CONNECT);
  return 0;
}

static const struct tap_case cases[] = {
  { "CURLE_OK is no error", ok_is_none },
  { "resolve failures are dns", dns },
  { "couldn't connect is connect", connect_refused },
  { "send, receive and empty reply are connect", connect_reset },
  { "timeout is timeout", timeout },
  { "SSL errors are tls", tls },
  { "SSL engine init failure is tls", tls_engine_init },
  { "redirects, weird replies, HTTP/2 and bad encoding are protocol",
    protocol },
  { "filesize exceeded is too_large", too_large },
  { "aborted by callback is cancelled", cancelled },
  { "a bad URL or protocol met in a transfer is protocol",
    bad_url_from_server },
  { "HTTP returned error is http", http },
  { "unknown and local codes are other", other },
  { "every code maps into range, only CURLE_OK to none", every_code_in_range },
  { "errkind_name for every kind", names },
  { "names distinct, lower case", names_distinct },
  { "errkind_name out of range is other", name_out_of_range },
  { "errkind_is_reset", resets },
  { "every reset is a connect error", resets_are_connect },
  { "transfer: a receive error after the status line is protocol",
    transfer_recv_after_status },
  { "transfer: headers past libcurl's limits are too_large",
    transfer_headers_too_large },
  { "transfer: anything else as the table says",
    transfer_falls_back_to_table },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
