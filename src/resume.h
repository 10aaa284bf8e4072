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
 * line number in decimal when it has none) and its URL ("" if none). */
void resume_key(struct hmap_key *k, const char *id_json, uint64_t line,
                const char *url);

/* Read "path" (missing is fine: nothing done yet). A torn last line (no
 * final newline, or not JSON) is cut off the file. Each record's key goes
 * into "done"; with "redo_failed", records that are not ok are left out
 * of "done" and the file is rewritten (temporary file, then rename) with
 * only the ok ones. "*kept" counts the keys added. Returns 0, or -1 with
 * "err" filled. Blocking: call before the loop runs. */
int resume_load(const char *path, bool redo_failed, struct hmap *done,
                uint64_t *kept, char err[VL_ERRLEN]);

#endif
