/* A response's raw header block (status lines and header lines, as
 * libcurl hands them over) as the JSON object of a record's "headers".
 * Pure: no I/O. */
#ifndef VOLLEY_HDRBLOCK_H
#define VOLLEY_HDRBLOCK_H

#include <stddef.h>

#include "record.h"

/* Append the header lines of the "len" bytes at "s" to "b" as one JSON
 * object: names in lower case, values trimmed, a repeated header's values
 * joined with ", " (RFC 9110 5.3; Set-Cookie's with a newline) in the
 * order they came, status lines skipped, at most RECORD_MAX_HEADERS
 * lines. Returns the number of header lines left out. */
size_t hdrblock_put_json(struct record_buf *b, const char *s, size_t len);

/* The number of header lines of the "len" bytes at "s" past
 * RECORD_MAX_HEADERS, which hdrblock_put_json() leaves out. */
size_t hdrblock_dropped(const char *s, size_t len);

#endif
