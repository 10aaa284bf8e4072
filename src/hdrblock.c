/* A response's raw header block as a record's "headers" object. Joins
 * repeated names in one pass (never name against name), caps the lines
 * kept, and writes every name and value escaped and repaired to valid
 * UTF-8. Pure. */
#include "config.h"

#include "hdrblock.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* One header line of the raw block: name and value, trimmed. */
struct hdr {
  const char *name;
  size_t name_len;
  const char *value;
  size_t value_len;
};

/* The header lines of "len" bytes at "s", at most RECORD_MAX_HEADERS of
 * them, into "*out" (malloc'd; with "out" NULL only counted); "*dropped"
 * counts the lines past that. */
static size_t split_headers(const char *s, size_t len, struct hdr **out,
                            size_t *dropped)
{
  struct hdr *h = NULL;
  size_t n = 0, cap = 0;
  const char *end = s + len;

  *dropped = 0;
  while (s < end) {
    const char *eol = memchr(s, '\n', (size_t)(end - s));
    const char *line_end = eol ? eol : end;
    const char *colon = memchr(s, ':', (size_t)(line_end - s));

    /* A status line may hold a colon in its reason phrase. */
    if (line_end - s >= 5 && memcmp(s, "HTTP/", 5) == 0)
      colon = NULL;
    if (colon && colon > s && n == RECORD_MAX_HEADERS) {
      (*dropped)++;
    } else if (colon && colon > s && !out) {
      n++;
    } else if (colon && colon > s) {
      const char *v = colon + 1;
      const char *ve = line_end;

      while (v < ve && (*v == ' ' || *v == '\t'))
        v++;
      while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
        ve--;
      if (n == cap) {
        cap = cap ? cap * 2 : 16;
        h = xrealloc(h, cap * sizeof(*h));
      }
      h[n].name = s;
      h[n].name_len = (size_t)(colon - s);
      h[n].value = v;
      h[n].value_len = (size_t)(ve - v);
      n++;
    }
    s = eol ? eol + 1 : end;
  }
  if (out)
    *out = h;
  return n;
}

/* The header names of one block grouped by the key each is written as
 * (lower case, escaped, repaired): an open-addressing table of first
 * indices, at most half full, and a chain from each header to the next of
 * its group. One pass, so a hostile block of 50,000 distinct names costs
 * no more per name than one of ten. */
struct hdr_groups {
  struct record_buf keys; /* every name's key, quoted JSON, back to back */
  size_t *key_off;        /* where header i's key starts in "keys" */
  size_t *key_len;
  size_t *next;  /* the next header of header i's group; i itself: none */
  size_t *first; /* table slots: first header of a group + 1; 0: empty */
  size_t cap;    /* slots, a power of two */
};

static uint64_t hash_bytes(const char *s, size_t n)
{
  uint64_t h = 14695981039346656037ULL; /* FNV-1a */
  size_t i;

  for (i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h;
}

/* Write header i's name as its key: ASCII lower-cased, and a NUL byte
 * (libcurl refuses them, but this writer takes any bytes) made invalid
 * UTF-8 so that it becomes U+FFFD, since JSON readers such as jansson
 * refuse "\u0000" in a key. Names that differ only in bytes the repair
 * replaces get the same key, and so are one header, as they must: a
 * record must not hold a key twice. */
static void hdr_key(struct hdr_groups *g, const struct hdr *h, size_t i)
{
  char *lname = xmalloc(h->name_len + 1);
  size_t j;

  for (j = 0; j < h->name_len; j++) {
    char c = (char)tolower((unsigned char)h->name[j]);

    lname[j] = c ? c : (char)0xFF;
  }
  g->key_off[i] = g->keys.len;
  record_put_quoted(&g->keys, lname, h->name_len);
  g->key_len[i] = g->keys.len - g->key_off[i];
  free(lname);
}

static void hdr_group(struct hdr_groups *g, const struct hdr *h, size_t n)
{
  size_t *last = xcalloc(n ? n : 1, sizeof(*last)); /* group's tail */
  size_t i;

  memset(&g->keys, 0, sizeof(g->keys));
  g->key_off = xcalloc(n ? n : 1, sizeof(*g->key_off));
  g->key_len = xcalloc(n ? n : 1, sizeof(*g->key_len));
  g->next = xcalloc(n ? n : 1, sizeof(*g->next));
  for (g->cap = 16; g->cap < 2 * n; g->cap *= 2)
    ;
  g->first = xcalloc(g->cap, sizeof(*g->first));
  for (i = 0; i < n; i++) {
    const char *key;
    size_t slot, f;

    hdr_key(g, &h[i], i);
    key = g->keys.p + g->key_off[i];
    g->next[i] = i;
    slot = hash_bytes(key, g->key_len[i]) & (g->cap - 1);
    for (;;) {
      f = g->first[slot];
      if (f == 0) {
        g->first[slot] = i + 1;
        last[i] = i;
        break;
      }
      f--;
      if (g->key_len[f] == g->key_len[i] &&
          memcmp(g->keys.p + g->key_off[f], key, g->key_len[i]) == 0) {
        g->next[last[f]] = i;
        last[f] = i;
        break;
      }
      slot = (slot + 1) & (g->cap - 1);
    }
  }
  free(last);
}

static void hdr_groups_free(struct hdr_groups *g)
{
  record_buf_free(&g->keys);
  free(g->key_off);
  free(g->key_len);
  free(g->next);
  free(g->first);
}

size_t hdrblock_put_json(struct record_buf *b, const char *s, size_t len)
{
  struct hdr *h = NULL;
  size_t dropped;
  size_t n = split_headers(s, len, &h, &dropped);
  struct hdr_groups g;
  struct record_buf val = { NULL, 0, 0 };
  size_t i, j;
  bool first = true, *done = xcalloc(n ? n : 1, sizeof(*done));

  hdr_group(&g, h, n);
  record_put_raw(b, "{");
  for (i = 0; i < n; i++) {
    /* Set-Cookie values may hold commas (RFC 9110 5.3): a newline keeps
     * them apart. */
    bool cookie =
        h[i].name_len == 10 && strncasecmp(h[i].name, "set-cookie", 10) == 0;

    if (done[i])
      continue;
    record_buf_reset(&val);
    record_put(&val, h[i].value, h[i].value_len);
    for (j = i; g.next[j] != j;) {
      j = g.next[j];
      done[j] = true;
      record_put(&val, cookie ? "\n" : ", ", cookie ? 1 : 2);
      record_put(&val, h[j].value, h[j].value_len);
    }
    if (!first)
      record_put_raw(b, ",");
    first = false;
    record_put(b, g.keys.p + g.key_off[i], g.key_len[i]);
    record_put_raw(b, ":");
    record_put_quoted(b, val.p ? val.p : "", val.len);
  }
  record_put_raw(b, "}");
  record_buf_free(&val);
  hdr_groups_free(&g);
  free(done);
  free(h);
  return dropped;
}

size_t hdrblock_dropped(const char *s, size_t len)
{
  size_t dropped;

  (void)split_headers(s, len, NULL, &dropped);
  return dropped;
}
