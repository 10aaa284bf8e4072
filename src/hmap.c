/* A set of 128-bit keys with linear probing. Keys are hashes: storing
 * 16 bytes instead of the id and URL keeps a resumed run of ten million
 * requests within a few hundred MB. Pure, but for the hash's seed. */
#include "config.h"

#include "hmap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static uint64_t mix(uint64_t x)
{
  /* The splitmix64 finaliser: every input bit flips half the output. */
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

static void absorb(uint64_t *h1, uint64_t *h2, const char *s, size_t n)
{
  size_t i;

  for (i = 0; i < n; i += 8) {
    uint64_t w = 0;
    size_t k = n - i < 8 ? n - i : 8;

    memcpy(&w, s + i, k);
    *h1 = mix(*h1 ^ w) + 0x9e3779b97f4a7c15ULL;
    *h2 = mix(*h2 + w) ^ 0xc2b2ae3d27d4eb4fULL;
  }
  *h1 = mix(*h1 ^ n);
  *h2 = mix(*h2 + n * 0x165667b19e3779f9ULL);
}

/* The hash's first state. Fixed, anyone could compute strings whose keys
 * share their low bits, and a crawled page could then line thousands of
 * links up in one run of slots: each insertion would probe them all, on
 * the loop thread. hmap_seed() makes it unknown. Written once, before
 * any thread starts; the module's only mutable state. */
static uint64_t start1 = 0x243f6a8885a308d3ULL;
static uint64_t start2 = 0x13198a2e03707344ULL;

void hmap_seed(uint64_t s1, uint64_t s2)
{
  start1 = 0x243f6a8885a308d3ULL ^ s1;
  start2 = 0x13198a2e03707344ULL ^ s2;
}

void hmap_key_of(struct hmap_key *k, const char *s1, size_t n1, const char *s2,
                 size_t n2)
{
  uint64_t h1 = start1, h2 = start2;

  absorb(&h1, &h2, s1, n1);
  absorb(&h1, &h2, s2, n2);
  k->a = h1;
  k->b = h2 | 1; /* never the empty marker */
}

static size_t find(const struct hmap *h, const struct hmap_key *k)
{
  size_t mask = h->cap - 1;
  size_t i = (size_t)k->a & mask;

  while (h->slots[i].b != 0 &&
         (h->slots[i].a != k->a || h->slots[i].b != k->b))
    i = (i + 1) & mask;
  return i;
}

/* Double the table ("map": with a value per slot). */
static void grow(struct hmap *h, bool map)
{
  struct hmap old = *h;
  size_t i;

  h->cap = old.cap ? old.cap * 2 : 1024;
  h->slots = xcalloc(h->cap, sizeof(*h->slots));
  h->vals = map ? xcalloc(h->cap, sizeof(*h->vals)) : NULL;
  h->len = 0;
  for (i = 0; i < old.cap; i++)
    if (old.slots[i].b != 0) {
      size_t j = find(h, &old.slots[i]);

      h->slots[j] = old.slots[i];
      if (h->vals)
        h->vals[j] = old.vals[i];
      h->len++;
    }
  free(old.slots);
  free(old.vals);
}

bool hmap_add(struct hmap *h, const struct hmap_key *k)
{
  size_t i;

  assert(!h->vals); /* a map: hmap_put() */
  /* At most three quarters full: linear probing stays short, and ten
   * million keys fit in 2^24 slots (256 MiB). */
  if ((h->len + 1) * 4 > h->cap * 3)
    grow(h, false);
  i = find(h, k);
  if (h->slots[i].b != 0)
    return false;
  h->slots[i] = *k;
  h->len++;
  return true;
}

bool hmap_has(const struct hmap *h, const struct hmap_key *k)
{
  return h->cap && h->slots[find(h, k)].b != 0;
}

bool hmap_put(struct hmap *h, const struct hmap_key *k, uint32_t v)
{
  bool added;
  size_t i;

  assert(h->vals || h->len == 0); /* a set: hmap_add() */
  if (!h->vals || (h->len + 1) * 4 > h->cap * 3)
    grow(h, true);
  i = find(h, k);
  added = h->slots[i].b == 0;
  if (added) {
    h->slots[i] = *k;
    h->len++;
  }
  h->vals[i] = v;
  return added;
}

bool hmap_get(const struct hmap *h, const struct hmap_key *k, uint32_t *v)
{
  size_t i;

  if (!h->cap)
    return false;
  i = find(h, k);
  if (h->slots[i].b == 0)
    return false;
  *v = h->vals ? h->vals[i] : 0;
  return true;
}

void hmap_free(struct hmap *h)
{
  free(h->slots);
  free(h->vals);
  h->vals = NULL;
  h->slots = NULL;
  h->cap = h->len = 0;
}
