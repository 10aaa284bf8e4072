/* A set of 128-bit keys (hashes of strings), open addressing: 16 bytes a
 * slot, at most three quarters full, so 21-43 bytes per key (and the old
 * table beside the new one while it doubles). Used for the requests a
 * resumed run already has. As a map (hmap_put), each slot also holds a
 * 32-bit value: 27-53 bytes per key; --since keeps the number of each
 * request's entry there. Pure. */
#ifndef VOLLEY_HMAP_H
#define VOLLEY_HMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hmap_key {
  uint64_t a, b; /* never both 0: that marks an empty slot */
};

struct hmap {
  struct hmap_key *slots;
  size_t cap; /* a power of two, or 0 */
  size_t len;
  uint32_t *vals; /* a value per slot once hmap_put() was used, or NULL */
};

/* Seed the hash of hmap_key_of() with "s1" and "s2", so that no one can
 * choose strings whose keys collide: once, at start, before any key is
 * made and before any thread runs. Keys never leave the process, so each
 * run may have its own. Unseeded, or after hmap_seed(0, 0), the hash is
 * fixed (tests, fuzzing). */
void hmap_seed(uint64_t s1, uint64_t s2);

/* The key of the pair ("s1", "s2"): a 128-bit hash of both. */
void hmap_key_of(struct hmap_key *k, const char *s1, size_t n1, const char *s2,
                 size_t n2);

/* Add "k"; returns false if it was there already. */
bool hmap_add(struct hmap *h, const struct hmap_key *k);

/* Whether "k" is in "h". */
bool hmap_has(const struct hmap *h, const struct hmap_key *k);

/* Map "k" to "v", adding it or replacing its value; returns false if it
 * was there already. A map takes only hmap_put(), never hmap_add(). */
bool hmap_put(struct hmap *h, const struct hmap_key *k, uint32_t v);

/* The value of "k" into "*v"; false if "k" is not in "h". */
bool hmap_get(const struct hmap *h, const struct hmap_key *k, uint32_t *v);

/* Release the slots; "h" is empty after. */
void hmap_free(struct hmap *h);

#endif
