/* Parsers of option values that are more than one number: status lists,
 * rates, shards, --resolve entries, and VOLLEY_OPTS cut into words. Pure:
 * no I/O, no config; cli.c calls them and words the errors. */
#ifndef VOLLEY_OPTVAL_H
#define VOLLEY_OPTVAL_H

#include <stdbool.h>

/* Parse "s", a comma list of HTTP statuses 100-599, into "set" (one flag
 * per status, replaced as a whole). Returns 0, or -1 with "set"
 * unchanged. */
int optval_parse_codes(bool set[600], const char *s);

/* Parse "s", "R", "R/s" or "R/m" with R a number above 0 and at most
 * 1e9, into "*per_s" starts a second. Returns 0, or -1 with "*per_s"
 * unchanged. */
int optval_parse_rate(const char *s, double *per_s);

/* Parse "s", "K/N" with 0 <= K < N <= 1000000, into "*k" and "*n".
 * Returns 0, or -1 with both unchanged. */
int optval_parse_shard(const char *s, unsigned *k, unsigned *n);

/* Check "s" as curl's --resolve takes it, "[+]HOST:PORT:ADDR[,ADDR]...":
 * a host name, a port from 1 to 65535, and IPv4 or IPv6 addresses (the
 * latter bracketed or not). Returns 0 or -1. */
int optval_check_resolve(const char *s);

/* Split "s" into words as a shell would, quotes and backslashes
 * included, but without expansions. Returns the number of words, or -1
 * on an unclosed quote. "*out" is always set to a NULL-terminated array
 * (the words read so far on -1) that the caller releases with
 * optval_free_words(). */
int optval_split_words(const char *s, char ***out);

/* Release what optval_split_words() returned; takes NULL. */
void optval_free_words(char **v);

#endif
