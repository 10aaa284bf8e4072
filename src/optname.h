/* Names of options, for the message of an unknown one: the names it may
 * have meant, and curl's or wget's names with volley's way. Pure. */
#ifndef VOLLEY_OPTNAME_H
#define VOLLEY_OPTNAME_H

#include <stddef.h>

/* Longest name compared; longer names are cut. */
#define NAME_CMP_MAX 64

/* Levenshtein distance between the "la" bytes of "a" and the string "b",
 * both cut at NAME_CMP_MAX bytes. */
size_t optname_distance(const char *a, size_t la, const char *b);

/* Which of the "n" long option "names" (without "--") the "len" bytes of
 * "name" may have meant: those "name" begins (getopt_long took such a
 * prefix once), else those nearest by edit distance, when near enough (at
 * most 2, or a third of "len"). Written into "out" ("outlen" bytes) as
 * "--a", "--a or --b", "--a, --b or --c", or with ", ..." when there are
 * more than three; empty when none. */
void optname_suggest(const char *name, size_t len, const char *const *names,
                     size_t n, char *out, size_t outlen);

/* When the "len" bytes of "word" ("--fail", "-O", "-np": as typed, no
 * "=value") are one of curl's or wget's options that volley does not
 * have, one line saying what does the same here; else NULL. The line is
 * static. */
const char *optname_foreign(const char *word, size_t len);

#endif
