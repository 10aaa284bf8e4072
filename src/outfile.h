/* -o FILE and --since FILE before the run, and their release after it:
 * FILE's lock, --since FILE's index and --resume's reading of FILE, in
 * the order that lets neither a second volley on FILE nor a usage error
 * change FILE. Does not open the output: output.c opens FILE after
 * outfile_open(), to truncate or append. */
#ifndef VOLLEY_OUTFILE_H
#define VOLLEY_OUTFILE_H

#include "hmap.h"
#include "msg.h"
#include "resume.h"
#include "since.h"
#include "util.h"

struct outfile {
  int lock_fd;        /* holds -o FILE's lock to the end, or -1 */
  struct hmap done;   /* --resume: keys of the requests FILE has */
  struct since since; /* --since FILE's records, by request; "since.fd"
                         stays open on FILE (or a copy), or is -1 */
};

enum outfile_status {
  OUTFILE_OK,
  OUTFILE_USAGE, /* another volley holds FILE, or --since FILE is
                    refused: nothing was changed */
  OUTFILE_FAILED /* FILE cannot be opened, or --resume failed */
};

struct config;
struct extract_spec;

/* Make "of" hold nothing, so that outfile_close() is safe. */
void outfile_init(struct outfile *of);

/* For a run of "cfg" that extracts "spec": lock -o FILE (a file system
 * without locks is warned about through "msg"), index --since FILE, and
 * with --resume read FILE's records into "of->done", "record_cb" (if not
 * NULL) seeing each record kept, with "ud". Returns OUTFILE_OK, or the
 * failure with "err" filled. Blocking: call before the loop runs and
 * before the output opens FILE. */
enum outfile_status outfile_open(struct outfile *of, const struct config *cfg,
                                 const struct extract_spec *spec,
                                 struct msg *msg, resume_record_fn *record_cb,
                                 void *ud, char err[VL_ERRLEN]);

/* Release what "of" holds; closing the lock lets the next volley on FILE
 * in, so call it once FILE is written and closed. */
void outfile_close(struct outfile *of);

#endif
