/* Unit tests of since.c: the --since index, the conditional headers made
 * from an earlier record, the comparison that gives "changed", and the
 * record read back after a 304. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "extract.h"
#include "since.h"
#include "tap.h"

#define SHA_A                                                                 \
  "3773b96381cf7a87c988560f47b55bc86a9c5a0fa7c6c5bddbe868dad1db63f1"
#define SHA_B                                                                 \
  "8b03c75e743cc0ca29007a0a618f004d75b35e2ed196cc9b70c3b0755239be16"

/* An index for a run with "hash" and "title", holding "rec" (a record
 * line) under the key ("1", "u"). */
static const struct since_entry *index_one(struct since *s,
                                           struct extract_spec *spec,
                                           bool hash, bool title,
                                           const char *rec)
{
  struct config cfg;
  struct hmap_key k;
  json_t *j = json_loads(rec, JSON_ALLOW_NUL, NULL);

  memset(&cfg, 0, sizeof(cfg));
  cfg.hash = hash;
  extract_spec_init(spec);
  spec->title = title;
  since_init(s, &cfg, spec);
  hmap_key_of(&k, "1", 1, "u", 1);
  if (j)
    since_add(s, &k, j, 100, strlen(rec));
  json_decref(j);
  return since_find(s, &k);
}

/* A successful result, as outcome_result() gives it. */
static void ok_result(struct result *r)
{
  memset(r, 0, sizeof(*r));
  r->url = "u";
  r->status = 200;
  r->final_url = "http://x/";
  r->size = -1;
  r->redirects = -1;
}

static int entry_is_40_bytes(char *why)
{
  CHECK_UINT(sizeof(struct since_entry), 40);
  return 0;
}

static int find_and_replace(char *why)
{
  struct since s;
  struct extract_spec spec;
  struct hmap_key k, other;
  const struct since_entry *e;
  json_t *j = json_loads("{\"ok\":false,\"status\":503}", 0, NULL);

  e = index_one(&s, &spec, false, false,
                "{\"id\":1,\"url\":\"u\",\"ok\":true,\"status\":200}");
  CHECK(e && e->offset == 100 && e->status == 200 && (e->flags & SINCE_OK));
  hmap_key_of(&other, "2", 1, "u", 1);
  CHECK(!since_find(&s, &other));
  /* A later record of the same request wins; counted once. */
  hmap_key_of(&k, "1", 1, "u", 1);
  since_add(&s, &k, j, 500, 30);
  e = since_find(&s, &k);
  CHECK(e && e->offset == 500 && e->len == 30 && e->status == 503);
  CHECK(!(e->flags & SINCE_OK));
  CHECK_UINT(s.records, 1);
  json_decref(j);
  since_free(&s);
  return 0;
}

static int validators_as_headers(char *why)
{
  struct since s;
  struct extract_spec spec;
  const struct since_entry *e;
  char inm[600], ims[64];

  e = index_one(&s, &spec, false, false,
                "{\"ok\":true,\"status\":200,\"etag\":\"W/\\\"v1\\\"\","
                "\"last_modified\":\"Tue, 14 Nov 2023 22:13:20 GMT\"}");
  CHECK(e);
  CHECK(since_validators(&s, e, inm, sizeof(inm), ims, sizeof(ims)));
  CHECK_STREQ(inm, "If-None-Match: W/\"v1\"");
  CHECK_STREQ(ims, "If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT");
  since_free(&s);
  /* An obsolete date form goes back as an IMF-fixdate. */
  e = index_one(&s, &spec, false, false,
                "{\"ok\":true,\"status\":200,"
                "\"last_modified\":\"Sunday, 06-Nov-94 08:49:37 GMT\"}");
  CHECK(e && since_validators(&s, e, inm, sizeof(inm), ims, sizeof(ims)));
  CHECK_STREQ(inm, "");
  CHECK_STREQ(ims, "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT");
  since_free(&s);
  return 0;
}

static int no_validators_when(char *why)
{
  struct since s;
  struct extract_spec spec;
  const struct since_entry *e;
  char inm[600], ims[64];

  /* Not ok: nothing to refresh. */
  e = index_one(&s, &spec, false, false,
                "{\"ok\":false,\"status\":404,\"etag\":\"\\\"x\\\"\"}");
  CHECK(e && !since_validators(&s, e, inm, sizeof(inm), ims, sizeof(ims)));
  CHECK_STREQ(inm, "");
  since_free(&s);
  /* No validator, or one that does not parse. */
  e = index_one(&s, &spec, false, false,
                "{\"ok\":true,\"status\":200,\"last_modified\":\"soon\"}");
  CHECK(e && !since_validators(&s, e, inm, sizeof(inm), ims, sizeof(ims)));
  since_free(&s);
  /* This run wants a title and --hash, the record has neither: a 304
   * could not give them. */
  e = index_one(&s, &spec, true, true,
                "{\"ok\":true,\"status\":200,\"etag\":\"\\\"x\\\"\"}");
  CHECK(e && !since_validators(&s, e, inm, sizeof(inm), ims, sizeof(ims)));
  since_free(&s);
  e = index_one(&s, &spec, true, true,
                "{\"ok\":true,\"status\":200,\"etag\":\"\\\"x\\\"\","
                "\"title\":null,\"sha256\":\"" SHA_A "\"}");
  CHECK(e && since_validators(&s, e, inm, sizeof(inm), ims, sizeof(ims)));
  since_free(&s);
  return 0;
}

static int hostile_etag_not_sent(char *why)
{
  static const char *const bad[] = {
    "{\"ok\":true,\"status\":200,\"etag\":\"\\\"x\\\"\\r\\nX-Evil: 1\"}",
    "{\"ok\":true,\"status\":200,\"etag\":\"a b\"}",
    "{\"ok\":true,\"status\":200,\"etag\":\"a\\u0000b\"}",
    "{\"ok\":true,\"status\":200,\"etag\":\"caf\\u00e9\"}",
    "{\"ok\":true,\"status\":200,\"etag\":\"\"}",
    "{\"ok\":true,\"status\":200,\"etag\":7}",
  };
  struct since s;
  struct extract_spec spec;
  const struct since_entry *e;
  char inm[600], ims[64], big[700];
  size_t i;

  for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    e = index_one(&s, &spec, false, false, bad[i]);
    CHECK(e && e->etag_len == 0);
    CHECK(!since_validators(&s, e, inm, sizeof(inm), ims, sizeof(ims)));
    since_free(&s);
  }
  /* Longer than VL_VALIDATOR_MAX: not kept either. */
  snprintf(big, sizeof(big),
           "{\"ok\":true,\"status\":200,\"etag\":\"%0513d\"}", 0);
  e = index_one(&s, &spec, false, false, big);
  CHECK(e && e->etag_len == 0);
  since_free(&s);
  return 0;
}

static int changed_by_outcome(char *why)
{
  struct since s;
  struct extract_spec spec;
  const struct since_entry *e;
  struct result r;

  e = index_one(&s, &spec, false, false,
                "{\"ok\":true,\"status\":200,\"final_url\":\"http://x/\"}");
  ok_result(&r);
  CHECK_INT(since_changed(NULL, e, &r), RECORD_CHANGED_NONE);
  CHECK_INT(since_changed(&s, NULL, &r), RECORD_CHANGED_UNKNOWN);
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_FALSE);
  r.status = 201;
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_TRUE);
  ok_result(&r);
  r.final_url = "http://y/";
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_TRUE);
  ok_result(&r);
  r.status = 0;
  r.kind = ERRKIND_CONNECT;
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_TRUE);
  /* A cancellation says nothing of the request. */
  r.kind = ERRKIND_CANCELLED;
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_UNKNOWN);
  since_free(&s);

  /* A failure like the earlier one is no change: HTTP 500 both times. */
  e = index_one(&s, &spec, false, false,
                "{\"ok\":false,\"status\":500,\"error\":{\"kind\":\"http\"},"
                "\"final_url\":\"http://x/\"}");
  ok_result(&r);
  r.status = 500;
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_FALSE);
  r.kind = ERRKIND_TOO_LARGE;
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_TRUE);
  since_free(&s);
  return 0;
}

static int changed_by_body(char *why)
{
  struct since s;
  struct extract_spec spec;
  const struct since_entry *e;
  struct result r;

  e = index_one(&s, &spec, true, false,
                "{\"ok\":true,\"status\":200,\"final_url\":\"http://x/\","
                "\"sha256\":\"" SHA_A "\",\"etag\":\"\\\"e1\\\"\","
                "\"last_modified\":\"Tue, 14 Nov 2023 22:13:20 GMT\"}");
  ok_result(&r);
  /* A 304 to the validators. */
  r.unchanged = true;
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_FALSE);
  /* sha256 first, when both have one: a new ETag does not matter. */
  ok_result(&r);
  r.sha256 = SHA_A;
  r.etag = "\"e2\"";
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_FALSE);
  r.sha256 = SHA_B;
  r.etag = "\"e1\"";
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_TRUE);
  CHECK(since_same_body(e, SHA_A) && !since_same_body(e, SHA_B));
  CHECK(!since_same_body(e, NULL) && !since_same_body(NULL, SHA_A));
  /* Else the ETag, else Last-Modified. */
  r.sha256 = NULL;
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_FALSE);
  r.etag = "\"e2\"";
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_TRUE);
  r.etag = NULL;
  r.last_modified = "Tue, 14 Nov 2023 22:13:20 GMT";
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_FALSE);
  r.last_modified = "Tue, 14 Nov 2023 23:13:20 GMT";
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_TRUE);
  /* No evidence either way: the same outcome is no change. */
  r.last_modified = NULL;
  CHECK_INT(since_changed(&s, e, &r), RECORD_CHANGED_FALSE);
  since_free(&s);
  return 0;
}

static int carry_parse(char *why)
{
  static const char rec[] =
      "{\"id\":1,\"url\":\"u\",\"ok\":true,\"status\":200,"
      "\"content_type\":\"text/html\",\"size\":2000,\"etag\":\"\\\"e\\\"\","
      "\"sha256\":\"" SHA_A "\",\"title\":\"T\","
      "\"links\":[\"http://a/\",7,\"http://b/\"],"
      "\"extract\":{\"h\":[\"one\",\"two\"]},\"saved\":\"m/1.html\"}";
  struct extract_spec spec;
  struct since_carry c;
  struct extract_result xr;
  char err[VL_ERRLEN];

  extract_spec_init(&spec);
  spec.title = true;
  spec.links = true;
  CHECK(extract_spec_add_xpath(&spec, "h=//h1", err) == 0);
  CHECK(extract_spec_add_regex(&spec, "missing=x", err) == 0);
  CHECK(since_carry_parse(rec, strlen(rec), &spec, &c, &xr) == 0);
  CHECK_INT(c.status, 200);
  CHECK_INT(c.size, 2000);
  CHECK_STREQ(c.content_type, "text/html");
  CHECK_STREQ(c.etag, "\"e\"");
  CHECK_STREQ(c.last_modified, NULL);
  CHECK_STREQ(c.sha256, SHA_A);
  CHECK_STREQ(c.saved, "m/1.html");
  CHECK_STREQ(xr.title, "T");
  CHECK_UINT(xr.nlinks, 2);
  CHECK_STREQ(xr.links[1], "http://b/");
  CHECK_UINT(xr.nvalues, 2);
  CHECK_UINT(xr.values[0].n, 2);
  CHECK_STREQ(xr.values[0].v[1], "two");
  CHECK_UINT(xr.values[1].n, 0);
  since_carry_free(&c);
  extract_result_free(&xr);
  /* Not a record: -1, nothing held. */
  CHECK(since_carry_parse("[1,2", 4, &spec, &c, NULL) == -1);
  CHECK(since_carry_parse("[1,2]", 5, &spec, &c, &xr) == -1);
  CHECK(!c.sha256 && c.size == -1 && !xr.title);
  extract_spec_free(&spec);
  return 0;
}

static const struct tap_case cases[] = {
  { "an entry is 40 bytes", entry_is_40_bytes },
  { "since_find by key; a later record of the same key replaces it",
    find_and_replace },
  { "validators as If-None-Match and If-Modified-Since (IMF-fixdate)",
    validators_as_headers },
  { "no validators: not ok, none, or a field this run needs is missing",
    no_validators_when },
  { "an ETag with CR, LF, space, NUL, non-ASCII or 513 bytes is not sent",
    hostile_etag_not_sent },
  { "changed: ok, status, error kind, final_url; null when cancelled",
    changed_by_outcome },
  { "changed: a 304, then sha256, ETag, Last-Modified", changed_by_body },
  { "since_carry_parse: fields, title, links, extract by NAME", carry_parse },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
