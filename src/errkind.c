/* Error kinds of a record. The one table from CURLcode to kind lives
 * here; everything else asks errkind_from_curl(). Pure. */
#include "config.h"

#include "errkind.h"

#include <stddef.h>
#include <string.h>

static const char *const names[ERRKIND_COUNT] = {
  [ERRKIND_NONE] = NULL,
  [ERRKIND_INPUT] = "input",
  [ERRKIND_DNS] = "dns",
  [ERRKIND_CONNECT] = "connect",
  [ERRKIND_TLS] = "tls",
  [ERRKIND_TIMEOUT] = "timeout",
  [ERRKIND_HTTP] = "http",
  [ERRKIND_TOO_LARGE] = "too_large",
  [ERRKIND_CANCELLED] = "cancelled",
  [ERRKIND_PROTOCOL] = "protocol",
  [ERRKIND_OTHER] = "other",
  [ERRKIND_ROBOTS] = "robots",
  [ERRKIND_SAVE] = "save",
};

/* Codes not listed are ERRKIND_OTHER. A send or receive failure counts
 * as "connect": the connection broke (a reset); errkind_of_transfer()
 * tells the cases after the status line apart. */
static const struct {
  CURLcode code;
  enum errkind kind;
} table[] = {
  { CURLE_OK, ERRKIND_NONE },
  /* volley checks every URL before libcurl sees it: these come from a
   * response (an unknown HTTP version, a redirect to a bad URL). */
  { CURLE_UNSUPPORTED_PROTOCOL, ERRKIND_PROTOCOL },
  { CURLE_URL_MALFORMAT, ERRKIND_PROTOCOL },
  { CURLE_COULDNT_RESOLVE_PROXY, ERRKIND_DNS },
  { CURLE_COULDNT_RESOLVE_HOST, ERRKIND_DNS },
  { CURLE_COULDNT_CONNECT, ERRKIND_CONNECT },
  { CURLE_SEND_ERROR, ERRKIND_CONNECT },
  { CURLE_RECV_ERROR, ERRKIND_CONNECT },
  { CURLE_GOT_NOTHING, ERRKIND_CONNECT },
  { CURLE_OPERATION_TIMEDOUT, ERRKIND_TIMEOUT },
  { CURLE_SSL_CONNECT_ERROR, ERRKIND_TLS },
  { CURLE_PEER_FAILED_VERIFICATION, ERRKIND_TLS },
  { CURLE_SSL_ENGINE_NOTFOUND, ERRKIND_TLS },
  { CURLE_SSL_ENGINE_SETFAILED, ERRKIND_TLS },
  { CURLE_SSL_ENGINE_INITFAILED, ERRKIND_TLS },
  { CURLE_SSL_CERTPROBLEM, ERRKIND_TLS },
  { CURLE_SSL_CIPHER, ERRKIND_TLS },
  { CURLE_SSL_CACERT_BADFILE, ERRKIND_TLS },
  { CURLE_SSL_SHUTDOWN_FAILED, ERRKIND_TLS },
  { CURLE_SSL_CRL_BADFILE, ERRKIND_TLS },
  { CURLE_SSL_ISSUER_ERROR, ERRKIND_TLS },
  { CURLE_SSL_PINNEDPUBKEYNOTMATCH, ERRKIND_TLS },
  { CURLE_SSL_INVALIDCERTSTATUS, ERRKIND_TLS },
  { CURLE_SSL_CLIENTCERT, ERRKIND_TLS },
  { CURLE_USE_SSL_FAILED, ERRKIND_TLS },
  { CURLE_FILESIZE_EXCEEDED, ERRKIND_TOO_LARGE },
  { CURLE_ABORTED_BY_CALLBACK, ERRKIND_CANCELLED },
  { CURLE_WEIRD_SERVER_REPLY, ERRKIND_PROTOCOL },
  { CURLE_HTTP2, ERRKIND_PROTOCOL },
  { CURLE_HTTP2_STREAM, ERRKIND_PROTOCOL },
  { CURLE_PARTIAL_FILE, ERRKIND_PROTOCOL },
  { CURLE_TOO_MANY_REDIRECTS, ERRKIND_PROTOCOL },
  { CURLE_BAD_CONTENT_ENCODING, ERRKIND_PROTOCOL },
  { CURLE_RANGE_ERROR, ERRKIND_PROTOCOL },
  { CURLE_HTTP_RETURNED_ERROR, ERRKIND_HTTP },
  { CURLE_HTTP3, ERRKIND_PROTOCOL },
  { CURLE_UNRECOVERABLE_POLL, ERRKIND_OTHER },
};

enum errkind errkind_from_curl(CURLcode code)
{
  size_t i;

  for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
    if (table[i].code == code)
      return table[i].kind;
  return ERRKIND_OTHER;
}

enum errkind errkind_of_transfer(CURLcode code, const char *errbuf,
                                 bool got_response, bool in_head,
                                 const char **message)
{
  /* The text of libcurl 7.88 (Debian's fix of CVE-2023-38039) when all
   * of a response's headers pass 300 KiB; the code, CURLE_RECV_ERROR,
   * says no more. */
  static const char too_many[] = "Too large response headers";

  *message = NULL;
  if (code == CURLE_RECV_ERROR && errbuf &&
      strncmp(errbuf, too_many, sizeof(too_many) - 1) == 0)
    return ERRKIND_TOO_LARGE;
  if (code == CURLE_OUT_OF_MEMORY && in_head) {
    /* libcurl keeps a header line in a buffer of CURL_MAX_HTTP_HEADER
     * bytes and says "Out of memory" when a line does not fit. */
    *message = "a response header line is longer than libcurl's limit "
               "(100 KiB)";
    return ERRKIND_TOO_LARGE;
  }
  if (code == CURLE_RECV_ERROR && got_response)
    return ERRKIND_PROTOCOL; /* the response broke off or did not decode */
  return errkind_from_curl(code);
}

const char *errkind_name(enum errkind kind)
{
  if ((unsigned)kind >= ERRKIND_COUNT)
    return "other";
  return names[kind];
}

bool errkind_is_reset(CURLcode code)
{
  return code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR ||
         code == CURLE_GOT_NOTHING;
}
