/* -w/--write-out: one line of text per record from a template, in curl's
 * style, instead of the JSON record. The template is compiled once by
 * writeout_parse() and rendered per record. Pure: no I/O. */
#ifndef VOLLEY_WRITEOUT_H
#define VOLLEY_WRITEOUT_H

#include <stddef.h>

#include "record.h"
#include "util.h"

/* What a piece of a compiled template writes. */
enum writeout_kind {
  WRITEOUT_LITERAL, /* text from the template itself */
  WRITEOUT_FIELD,   /* a field of the record (record.c's table) */
  WRITEOUT_JSON     /* %{json}: the whole record, as JSON */
};

/* One piece: a field, the record, or "len" bytes of literal text at
 * "off" in the template's text. */
struct writeout_piece {
  enum writeout_kind kind;
  const struct record_field *field; /* WRITEOUT_FIELD only */
  size_t off;                       /* into writeout.text; literal only */
  size_t len;
};

/* A compiled template. Owns "pieces" and "text"; all fields NULL/0 when
 * it holds nothing (after a failed parse or writeout_free()). */
struct writeout {
  struct writeout_piece *pieces;
  size_t npieces;
  char *text; /* the literal text with escapes resolved, not terminated */
};

/* Compile "format" into "w" (which must hold nothing). The format is
 * literal text with:
 *   %{name}      a field of the record: every name a record may hold
 *                (id url ok status attempts time queued error timing
 *                final_url ... saved), "error_message", "json" (the whole
 *                record), and curl's names for the same things:
 *                http_code and response_code (status), time_total (time),
 *                url_effective (final_url), size_download (size),
 *                num_redirects (redirects), errormsg (error_message)
 *   %%           a literal '%' (a '%' before anything else stays as is)
 *   \n \t \r \\  newline, tab, carriage return, backslash (any other
 *                backslash stays as is, as in curl)
 * Returns 0; or -1 with "err" filled ("unknown variable %{foo}; the
 * variables are id url ...", "unclosed %{ at column 3") and "w" holding
 * nothing. */
int writeout_parse(struct writeout *w, const char *format,
                   char err[VL_ERRLEN]);

/* Append to "out" the line of "r" (borrowed for the call) from "w", with
 * '\n' added unless the rendered text ends with one. Values are written
 * as record_field_text() gives them (strings raw, not JSON-quoted;
 * objects and arrays as JSON), but tabs, CRs and newlines inside them become
 * spaces, so a value never breaks the line, every other control
 * character (C0, DEL, C1) becomes "\xHH" per byte, so a server cannot
 * drive the terminal, and invalid UTF-8 becomes U+FFFD. Unknown values
 * (status 0, size or redirects -1, a NULL string, a field the record
 * lacks) and the error fields of an ok record are empty. */
void writeout_render(const struct writeout *w, const struct result *r,
                     struct record_buf *out);

/* Release what "w" holds and leave it holding nothing. Takes a "w" that
 * holds nothing. */
void writeout_free(struct writeout *w);

#endif
