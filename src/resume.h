/* The --resume reader: the records an earlier run left in -o FILE, read
 * once before the loop starts, become a set of finished request keys. */
#ifndef VOLLEY_RESUME_H
#define VOLLEY_RESUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmap.h"
#include "since.h"
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

/* --since FILE: index every record of "path" into "s" (since.h) under
 * its request's key (resume_key(); a page --crawl discovered, whose
 * record has "parent", under its URL alone, with "" as id). Records of
 * kind "cancelled" and lines that are not records are left out; FILE is
 * never changed. A missing FILE is fine: nothing is indexed. "s->fd" is
 * left open on FILE for resume_read_at(), so later changes to FILE's
 * name (--resume's rewrite) do not matter; when FILE is "output" and the
 * run truncates it ("truncate"), on a private copy made first, in an
 * unlinked temporary file beside it. "*is_output" says whether FILE is
 * "output" (NULL: stdout). Returns 0, or -1 with "err" filled. Blocking:
 * call before the loop runs. */
int resume_since_load(struct since *s, const char *path, const char *output,
                      bool truncate, bool *is_output, char err[VL_ERRLEN]);

struct config;
struct extract_spec;

/* --since FILE for a run of "cfg" that extracts "spec": since_init() and
 * resume_since_load() on "s", with -o FILE as "output", truncated unless
 * --append or --resume. Fails too when FILE is -o FILE and --only-changed
 * is set: its unchanged records would be lost. Returns 0, or -1 with
 * "err" filled. Blocking: call before the loop runs, and before --resume
 * rewrites -o FILE or the output truncates it. */
int resume_since_open(struct since *s, const struct config *cfg,
                      const struct extract_spec *spec, char err[VL_ERRLEN]);

/* Read "len" bytes at "offset" of "fd" into "buf". Returns 0, or -1 if
 * they cannot all be read. Blocking: for libuv's thread pool. */
int resume_read_at(int fd, uint64_t offset, size_t len, char *buf);

#endif
