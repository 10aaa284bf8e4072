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
 * into "done", except for the records that are dropped: those of kind
 * "cancelled" (the request was not done) and, with "redo_failed", those
 * that are not ok. When there are any, FILE is rewritten without them
 * (temporary file, then rename), so that their requests, fetched again,
 * still have one record each. "*lock_fd" is the descriptor that holds
 * FILE's lock (filelock.h), or -1: the rewritten file is locked before
 * the rename and its descriptor replaces "*lock_fd", so the lock holds
 * across the rename. "*kept" counts the keys added; "record_cb", if not
 * NULL, sees each record kept. Returns 0, or -1 with "err" filled.
 * Blocking: call before the loop runs. */
int resume_load(const char *path, bool redo_failed, struct hmap *done,
                uint64_t *kept, int *lock_fd, resume_record_fn *record_cb,
                void *ud, char err[VL_ERRLEN]);

/* What a record says for --check. */
enum resume_outcome {
  RESUME_OK,       /* "ok": true */
  RESUME_FAILED,   /* not ok, and not cancelled */
  RESUME_CANCELLED /* error kind "cancelled": the request was not done */
};

/* One record line: its key (as resume_key() makes it), outcome, and id
 * as compact JSON text. Valid during the call only. */
struct resume_line {
  struct hmap_key key;
  enum resume_outcome outcome;
  char *id_json;
};

typedef void resume_line_fn(const struct resume_line *rl, void *ud);

/* Read the record file "path" for --check: "line_cb" sees each record;
 * "*other" counts the lines that are not records (a torn last line
 * included). Returns 0, 1 when "path" does not exist, or -1 with "err"
 * filled (also filled for 1). Blocking: call before the loop runs. */
int resume_scan(const char *path, resume_line_fn *line_cb, void *ud,
                uint64_t *other, char err[VL_ERRLEN]);

#endif
