/* robots.txt (RFC 9309): the rules of one host's file for one crawler,
 * and whether they allow a path. Pure: the caller fetches the file. */
#ifndef VOLLEY_ROBOTS_H
#define VOLLEY_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes of a robots.txt read: RFC 9309 2.5 asks for at least 500 KiB;
 * what follows is ignored. */
#define ROBOTS_MAX_BYTES (500 * 1024)

/* Byte comparisons one robots_allowed() check may make, about a
 * millisecond: a path whose check would take more counts as disallowed.
 * Real files need a few thousand; 500 KiB of rules made of many stars
 * would need a billion against one path of 20,000 bytes. */
#define ROBOTS_MAX_STEPS (1u << 20)

/* The rules kept from one robots.txt for one user agent. */
struct robots;

/* Parse "len" bytes of robots.txt "text" (the first ROBOTS_MAX_BYTES of
 * them, to the last line end) for the crawler "agent", a
 * User-Agent string whose product token (the leading letters, digits, '-'
 * and '_': "volley" in "volley/0.1.0") is matched case-insensitively. The
 * groups kept are those naming the most specific match: the token itself,
 * or a prefix of it ending before a '-' ("volley" for "volley-news"),
 * longest first; with none, the "*" groups; with none of those either, no
 * rules. Several groups for the same name are merged. Never fails: junk
 * lines are skipped; CRLF, CR, comments and a UTF-8 BOM are understood;
 * empty or NULL "text" (no file) allows everything. Returns a new object
 * the caller releases with robots_free(). */
struct robots *robots_parse(const char *text, size_t len, const char *agent);

/* Whether "r" allows "path_and_query" (the URL's path and query, "/a?b";
 * NULL or empty means "/"). The longest matching rule wins and Allow wins
 * a tie; '*' in a rule matches any run of bytes and a final '$' anchors it
 * to the end; percent-encoding is compared case-insensitively, unreserved
 * characters and their %XX form are equal, and non-ASCII bytes equal their
 * %XX form. Each rule costs time linear in the path and the rule; a check
 * that would pass ROBOTS_MAX_STEPS answers false. "/robots.txt" itself is
 * always allowed, as is anything when "r" is NULL. */
bool robots_allowed(const struct robots *r, const char *path_and_query);

/* The Crawl-delay of the kept groups in seconds (the first valid one), or
 * 0 when they set none; a longer one than VL_DURATION_MAX_MS counts as
 * that long. */
double robots_crawl_delay(const struct robots *r);

/* The bytes "r" holds, malloc's overhead estimated (0 for NULL): for
 * a budget across origins. Up to about 4 MB for ROBOTS_MAX_BYTES of
 * one-byte rules. */
size_t robots_size(const struct robots *r);

/* Release "r"; NULL is allowed. */
void robots_free(struct robots *r);

#endif
