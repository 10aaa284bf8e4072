/* The --since index: one small entry per earlier record, found by the
 * request's key, and the comparisons and conditional headers made from
 * it. Owns the entries, the ETag arena and the hmap; never the file.
 * Earlier records are outside data (FILE may have been edited): every
 * field is checked for its type and size before it is kept. Pure. */
#include "config.h"

#include "since.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "errkind.h"
#include "util.h"

_Static_assert(VL_VALIDATOR_MAX < 1024, "etag_len has 10 bits");
_Static_assert(ERRKIND_COUNT <= 16, "kind has 4 bits");
_Static_assert(sizeof(struct since_entry) == 40, "40 bytes an entry");

void since_init(struct since *s, const struct config *cfg,
                const struct extract_spec *spec)
{
  memset(s, 0, sizeof(*s));
  s->fd = -1;
  if (cfg->hash)
    s->needs |= SINCE_SHA;
  if (spec->title)
    s->needs |= SINCE_TITLE;
  if (spec->links)
    s->needs |= SINCE_LINKS;
  if (spec->nitems)
    s->needs |= SINCE_EXTRACT;
  if (cfg->save_dir)
    s->needs |= SINCE_SAVED;
  s->fetch_all = cfg->want_body;
}

void since_free(struct since *s)
{
  hmap_free(&s->index);
  free(s->v);
  buf_free(&s->etags);
  s->v = NULL;
  s->len = s->cap = 0;
}

/* 64 bits of "p" ("n" bytes). */
static uint64_t hash64(const char *p, size_t n)
{
  struct hmap_key k;

  hmap_key_of(&k, p, n, "", 0);
  return k.a;
}

/* The value of 16 hex digits at "p" into "*v"; -1 if they are not. */
static int hex64(const char *p, uint64_t *v)
{
  int i;

  *v = 0;
  for (i = 0; i < 16; i++) {
    int d;

    if (p[i] >= '0' && p[i] <= '9')
      d = p[i] - '0';
    else if (p[i] >= 'a' && p[i] <= 'f')
      d = p[i] - 'a' + 10;
    else
      return -1;
    *v = *v << 4 | (uint64_t)d;
  }
  return 0;
}

/* Whether "p" is a sha256 as --hash writes it: 64 lower-case hex
 * digits. */
static bool is_sha256(const char *p, size_t n)
{
  uint64_t v;
  size_t i;

  if (n != 64)
    return false;
  for (i = 0; i < 64; i += 16)
    if (hex64(p + i, &v) < 0)
      return false;
  return true;
}

/* Whether an ETag of "n" bytes at "p" may go back in a header: visible
 * ASCII only, so a FILE edited by hand cannot add a header line. */
static bool etag_sendable(const char *p, size_t n)
{
  size_t i;

  if (n == 0 || n > VL_VALIDATOR_MAX)
    return false;
  for (i = 0; i < n; i++)
    if (p[i] < 0x21 || p[i] > 0x7e)
      return false;
  return true;
}

/* A Last-Modified date as seconds since the epoch into "*t"; -1 when it
 * does not parse or lies outside 1970 to 2106. */
static int parse_date(const char *p, uint32_t *t)
{
  time_t v = curl_getdate(p, NULL);

  if (v < 0 || (uint64_t)v > UINT32_MAX)
    return -1;
  *t = (uint32_t)v;
  return 0;
}

/* The kind a record names in "error.kind"; ERRKIND_NONE when none is, or
 * it is unknown. */
static enum errkind kind_of(json_t *rec)
{
  const char *name = json_string_value(
      json_object_get(json_object_get(rec, "error"), "kind"));
  int k;

  if (!name)
    return ERRKIND_NONE;
  for (k = ERRKIND_NONE + 1; k < ERRKIND_COUNT; k++)
    if (strcmp(name, errkind_name((enum errkind)k)) == 0)
      return (enum errkind)k;
  return ERRKIND_OTHER;
}

void since_add(struct since *s, const struct hmap_key *key, json_t *rec,
               uint64_t offset, uint64_t len)
{
  struct since_entry e;
  json_t *v;
  const char *str;

  if (len > UINT32_MAX || s->len >= UINT32_MAX)
    return;
  memset(&e, 0, sizeof(e));
  e.offset = offset;
  e.len = (uint32_t)len;
  if (json_is_true(json_object_get(rec, "ok")))
    e.flags |= SINCE_OK;
  v = json_object_get(rec, "status");
  if (json_is_integer(v) && json_integer_value(v) > 0 &&
      json_integer_value(v) < 1000)
    e.status = (uint32_t)json_integer_value(v);
  e.kind = kind_of(rec);
  v = json_object_get(rec, "final_url");
  e.final_url = json_is_string(v)
                    ? hash64(json_string_value(v), json_string_length(v))
                    : hash64("", 0);
  v = json_object_get(rec, "sha256");
  if (json_is_string(v) &&
      is_sha256(json_string_value(v), json_string_length(v))) {
    (void)hex64(json_string_value(v), &e.sha); /* checked just above */
    e.flags |= SINCE_SHA;
  }
  str = json_string_value(json_object_get(rec, "last_modified"));
  if (str && parse_date(str, &e.last_mod) == 0)
    e.flags |= SINCE_LM;
  v = json_object_get(rec, "etag");
  if (json_is_string(v) &&
      etag_sendable(json_string_value(v), json_string_length(v)) &&
      s->etags.len + json_string_length(v) <= UINT32_MAX) {
    size_t n = json_string_length(v);

    e.etag_off = (uint32_t)s->etags.len;
    e.etag_len = (uint32_t)n;
    buf_put(&s->etags, json_string_value(v), n);
  }
  v = json_object_get(rec, "title");
  if (json_is_string(v) || json_is_null(v))
    e.flags |= SINCE_TITLE;
  if (json_is_array(json_object_get(rec, "links")))
    e.flags |= SINCE_LINKS;
  if (json_is_object(json_object_get(rec, "extract")))
    e.flags |= SINCE_EXTRACT;
  if (json_is_string(json_object_get(rec, "saved")))
    e.flags |= SINCE_SAVED;

  if (s->len == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 1024;
    s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
  }
  s->v[s->len] = e;
  if (hmap_put(&s->index, key, (uint32_t)s->len))
    s->records++;
  s->len++;
}

const struct since_entry *since_find(const struct since *s,
                                     const struct hmap_key *key)
{
  uint32_t i;

  if (!hmap_get(&s->index, key, &i) || i >= s->len)
    return NULL;
  return &s->v[i];
}

bool since_validators(const struct since *s, const struct since_entry *e,
                      char *inm, size_t inm_len, char *ims, size_t ims_len)
{
  static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed",
                                   "Thu", "Fri", "Sat" };
  static const char months[12][4] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  inm[0] = ims[0] = '\0';
  if (s->fetch_all || !(e->flags & SINCE_OK) ||
      (e->flags & s->needs) != s->needs)
    return false;
  if (e->etag_len)
    snprintf(inm, inm_len, "If-None-Match: %.*s", (int)e->etag_len,
             s->etags.p + e->etag_off);
  if (e->flags & SINCE_LM) {
    time_t t = (time_t)e->last_mod;
    struct tm tm;

    /* IMF-fixdate (RFC 9110 5.6.7) by hand: strftime's names follow the
     * locale. */
    if (gmtime_r(&t, &tm))
      snprintf(ims, ims_len,
               "If-Modified-Since: %s, %02d %s %04d %02d:%02d:%02d GMT",
               days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
               tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  }
  return inm[0] || ims[0];
}

/* The kind a record of "kind" and "ok" shows: an HTTP error has none of
 * its own (record.c writes "http"). */
static enum errkind shown_kind(enum errkind kind, bool ok)
{
  if (ok)
    return ERRKIND_NONE;
  return kind == ERRKIND_NONE ? ERRKIND_HTTP : kind;
}

bool since_same_body(const struct since_entry *e, const char *sha256_hex)
{
  uint64_t v;

  return e && (e->flags & SINCE_SHA) && sha256_hex &&
         hex64(sha256_hex, &v) == 0 && v == e->sha;
}

enum record_changed since_changed(const struct since *s,
                                  const struct since_entry *e,
                                  const struct result *res)
{
  bool ok = record_ok(res);
  const char *fu = res->final_url ? res->final_url : "";
  uint32_t t;

  if (!s)
    return RECORD_CHANGED_NONE;
  if (!e || res->kind == ERRKIND_CANCELLED)
    return RECORD_CHANGED_UNKNOWN;
  if (res->unchanged)
    return RECORD_CHANGED_FALSE;
  if (ok != !!(e->flags & SINCE_OK) ||
      (res->status > 0 && res->status < 1000 ? res->status : 0) !=
          (long)e->status ||
      shown_kind(res->kind, ok) !=
          shown_kind((enum errkind)e->kind, e->flags & SINCE_OK) ||
      hash64(fu, strlen(fu)) != e->final_url)
    return RECORD_CHANGED_TRUE;
  /* The same outcome: the body decides, by the best evidence both
   * records have. */
  if ((e->flags & SINCE_SHA) && res->sha256)
    return since_same_body(e, res->sha256) ? RECORD_CHANGED_FALSE
                                           : RECORD_CHANGED_TRUE;
  if (e->etag_len && res->etag)
    return strlen(res->etag) == e->etag_len &&
                   memcmp(res->etag, s->etags.p + e->etag_off, e->etag_len) ==
                       0
               ? RECORD_CHANGED_FALSE
               : RECORD_CHANGED_TRUE;
  if ((e->flags & SINCE_LM) && res->last_modified &&
      parse_date(res->last_modified, &t) == 0)
    return t == e->last_mod ? RECORD_CHANGED_FALSE : RECORD_CHANGED_TRUE;
  return RECORD_CHANGED_FALSE;
}

/* A copy of the string member "name" of "rec", or NULL. */
static char *dup_member(json_t *rec, const char *name)
{
  json_t *v = json_object_get(rec, name);

  return json_is_string(v)
             ? xstrndup(json_string_value(v), json_string_length(v))
             : NULL;
}

/* The strings of the array "arr" as malloc'd copies into "*out"; the
 * count. Members that are not strings are skipped. */
static size_t dup_strings(json_t *arr, char ***out)
{
  size_t i, n = 0, len = json_is_array(arr) ? json_array_size(arr) : 0;

  *out = len ? xcalloc(len, sizeof(**out)) : NULL;
  for (i = 0; i < len; i++) {
    json_t *v = json_array_get(arr, i);

    if (json_is_string(v))
      (*out)[n++] = xstrndup(json_string_value(v), json_string_length(v));
  }
  return n;
}

int since_carry_parse(const char *line, size_t len,
                      const struct extract_spec *spec, struct since_carry *c,
                      struct extract_result *xr)
{
  json_t *rec = json_loadb(line, len, JSON_ALLOW_NUL, NULL);
  json_t *v, *ex;
  size_t i;

  memset(c, 0, sizeof(*c));
  c->size = -1;
  if (xr)
    memset(xr, 0, sizeof(*xr));
  if (!json_is_object(rec)) {
    json_decref(rec);
    return -1;
  }
  v = json_object_get(rec, "status");
  if (json_is_integer(v) && json_integer_value(v) > 0 &&
      json_integer_value(v) < 1000)
    c->status = (long)json_integer_value(v);
  v = json_object_get(rec, "size");
  if (json_is_integer(v) && json_integer_value(v) >= 0)
    c->size = json_integer_value(v);
  c->content_type = dup_member(rec, "content_type");
  c->sha256 = dup_member(rec, "sha256");
  c->etag = dup_member(rec, "etag");
  c->last_modified = dup_member(rec, "last_modified");
  c->saved = dup_member(rec, "saved");
  if (xr) {
    xr->title = dup_member(rec, "title");
    xr->nlinks = dup_strings(json_object_get(rec, "links"), &xr->links);
    ex = json_object_get(rec, "extract");
    if (spec->nitems) {
      xr->values = xcalloc(spec->nitems, sizeof(*xr->values));
      xr->nvalues = spec->nitems;
      for (i = 0; i < spec->nitems; i++)
        xr->values[i].n =
            dup_strings(json_object_get(ex, extract_spec_item_name(spec, i)),
                        &xr->values[i].v);
    }
  }
  json_decref(rec);
  return 0;
}

void since_carry_free(struct since_carry *c)
{
  if (!c)
    return;
  free(c->content_type);
  free(c->sha256);
  free(c->etag);
  free(c->last_modified);
  free(c->saved);
  memset(c, 0, sizeof(*c));
  c->size = -1;
}
