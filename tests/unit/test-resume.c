/* Unit tests of resume.c: the key of a request, and records written by
 * record.c read back from a file under that key. One row per case. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hmap.h"
#include "record.h"
#include "resume.h"
#include "tap.h"

/* Write the record of a finished request for "url" (id "id_json", or the
 * line number 7) to a new temporary file, load it and say whether the
 * request's key is in the set. Returns 1 or 0, or -1 with "why" filled. */
static int read_back(const char *id_json, const char *url, char *why)
{
  char path[] = "/tmp/volley-test-resume-XXXXXX", err[VL_ERRLEN];
  struct buf b = { NULL, 0, 0 };
  struct hmap done = { NULL, 0, 0, NULL };
  struct hmap_key k;
  struct result r;
  uint64_t kept = 0;
  int fd = mkstemp(path), found = -1, lock_fd = -1;

  if (fd < 0)
    return tap_fail(why, __FILE__, __LINE__, "mkstemp failed");
  memset(&r, 0, sizeof(r));
  r.id_json = id_json;
  r.line = 7;
  r.url = url;
  r.attempts = 1;
  r.status = 200;
  r.size = r.redirects = -1;
  record_build(&b, &r);
  if (write(fd, b.p, b.len) != (ssize_t)b.len) {
    tap_fail(why, __FILE__, __LINE__, "write failed");
    goto done;
  }
  if (resume_load(path, false, &done, &kept, &lock_fd, NULL, NULL, err) < 0) {
    tap_fail(why, __FILE__, __LINE__, "resume_load: %s", err);
    goto done;
  }
  resume_key(&k, id_json, 7, url);
  found = hmap_has(&done, &k) ? 1 : 0;
done:
  close(fd);
  unlink(path);
  hmap_free(&done);
  buf_free(&b);
  return found;
}

/* The input takes a URL with bytes that are not UTF-8; its record holds
 * U+FFFD in their place. The key was made of the raw bytes, so --resume
 * never found the record and fetched the URL again on every run (found by
 * tests/fuzz/fuzz-resume.c). */
static int url_not_utf8(char *why)
{
  int found = read_back(NULL, "http://x/\xff\xfe", why);

  if (found < 0)
    return -1;
  CHECK_INT(found, 1);
  found = read_back("\"a\"", "http://x/\xc3\x28?\xed\xa0\x80", why);
  if (found < 0)
    return -1;
  CHECK_INT(found, 1);
  return 0;
}

static int url_utf8_read_back(char *why)
{
  int found = read_back("{\"k\":[1,2.5]}", "http://x/caf\xc3\xa9?a=b", why);

  if (found < 0)
    return -1;
  CHECK_INT(found, 1);
  return 0;
}

/* A valid URL is keyed as it is: the key is the hash of id and URL. */
static int key_of_valid_url(char *why)
{
  struct hmap_key k, want;

  resume_key(&k, NULL, 12, "http://x/\xe2\x82\xac");
  hmap_key_of(&want, "12", 2, "http://x/\xe2\x82\xac", 12);
  CHECK(k.a == want.a && k.b == want.b);
  resume_key(&k, "\"id\"", 12, NULL);
  hmap_key_of(&want, "\"id\"", 4, "", 0);
  CHECK(k.a == want.a && k.b == want.b);
  return 0;
}

static const struct tap_case cases[] = {
  { "URL that is not UTF-8: its record is read back", url_not_utf8 },
  { "UTF-8 URL and a JSON id: read back", url_utf8_read_back },
  { "key of a valid URL: id and URL as they are", key_of_valid_url },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
