/* -o FILE and --since FILE around a run. Owns FILE's lock descriptor,
 * --resume's set of done request keys and --since's index with its
 * descriptor, from before the loop to after it; writes FILE only through
 * resume.c's rewrite. */
#include "config.h"

#include "outfile.h"

#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "filelock.h"

void outfile_init(struct outfile *of)
{
  memset(of, 0, sizeof(*of));
  of->lock_fd = -1;
  of->since.fd = -1;
}

enum outfile_status outfile_open(struct outfile *of, const struct config *cfg,
                                 const struct extract_spec *spec,
                                 struct msg *msg, resume_record_fn *record_cb,
                                 void *ud, char err[VL_ERRLEN])
{
  if (cfg->output) {
    /* Before FILE is truncated or resumed: a second volley on the same
     * FILE stops here, having changed nothing. */
    switch (filelock_take(cfg->output, &of->lock_fd, err)) {
    case FILELOCK_HELD:
      break;
    case FILELOCK_NONE:
      if (err[0])
        msg_warn(msg, "%s", err);
      break;
    case FILELOCK_BUSY:
      return OUTFILE_USAGE;
    case FILELOCK_FAILED:
      return OUTFILE_FAILED;
    }
  }
  if (cfg->since) {
    /* Before --resume rewrites FILE or output_open() truncates it. */
    if (resume_since_open(&of->since, cfg, spec, err) < 0)
      return OUTFILE_USAGE;
    msg_verbose(msg, 1, "since: %llu records of '%s' indexed",
                (unsigned long long)of->since.records, cfg->since);
  }
  if (cfg->resume) {
    uint64_t kept = 0;

    if (resume_load(cfg->output, cfg->resume_failed, &of->done, &kept,
                    &of->lock_fd, record_cb, ud, err) < 0)
      return OUTFILE_FAILED;
    msg_verbose(msg, 1, "resume: %llu requests are done in '%s'",
                (unsigned long long)kept, cfg->output);
  }
  return OUTFILE_OK;
}

void outfile_close(struct outfile *of)
{
  hmap_free(&of->done);
  since_free(&of->since);
  if (of->since.fd >= 0)
    (void)close(of->since.fd); /* only read: nothing to lose */
  of->since.fd = -1;
  /* FILE is written and closed: releasing the lock lets the next in. */
  if (of->lock_fd >= 0)
    (void)close(of->lock_fd);
  of->lock_fd = -1;
}
