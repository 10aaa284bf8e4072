/* The --resume reader: the records an earlier run left in -o FILE, read
 * once before the loop starts, become a set of finished request keys. */
#ifndef VOLLEY_RESUME_H
#define VOLLEY_RESUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmap.h"
#include "util.h"

/* Key of a request for the resume set: its id as compact JSON text (the
 * line number in decimal when it has none) and its URL ("" if none) as
 * its record holds it: invalid UTF-8 replaced by U+FFFD. */
void resume_key(struct hmap_key *k, const char *id_json, uint64_t line,
                const char *url);

/* What a kept record says, for --crawl: the URL fetched, the numeric id
 * (0 if the id is not a number), the depth and the links found. Valid
 * during the call only. */
struct resume_record {
  const char *url;
  uint64_t id;
  unsigned depth;
  const char *const *links;
  size_t nlinks;
  bool ok;
};

typedef void resume_record_fn(const struct resume_record *rec, void *ud);

/* Read "path" (missing is fine: nothing done yet). A torn last line (no
 * final newline, or not JSON) is cut off the file. Each record's key goes
 * into "done"; with "redo_failed", records that are not ok are left out
 * of "done" and the file is rewritten (temporary file, then rename) with
 * only the ok ones. "*kept" counts the keys added; "record_cb", if not
 * NULL, sees each record kept. Returns 0, or -1 with "err" filled.
 * Blocking: call before the loop runs. */
int resume_load(const char *path, bool redo_failed, struct hmap *done,
                uint64_t *kept, resume_record_fn *record_cb, void *ud,
                char err[VL_ERRLEN]);

#endif
