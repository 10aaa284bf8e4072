/* The lock of -o FILE: an exclusive flock(2) on FILE itself, taken before
 * FILE is truncated or resumed and held for the whole run, so that two
 * volleys never write one file. FILE's own inode is locked, not a
 * sidecar FILE.lock that would stay behind among the parts of a run; a
 * rewrite that renames a new file over FILE (resume.c) locks the new file
 * before the rename. */
#ifndef VOLLEY_FILELOCK_H
#define VOLLEY_FILELOCK_H

#include "util.h"

enum filelock_status {
  FILELOCK_HELD,  /* "*fd" holds the lock */
  FILELOCK_NONE,  /* not locked, "*fd" is -1: FILE is not a regular
                     file (a pipe, /dev/null), or its file system has no
                     locks (then "err" says so, else it is empty) */
  FILELOCK_BUSY,  /* another process holds it: "err" names FILE */
  FILELOCK_FAILED /* FILE cannot be opened: "err" says why */
};

/* Open "path" (creating it empty if missing, as -o would) and lock it,
 * exclusively and without waiting. After the lock is taken, FILE is
 * checked to be still the file locked: if another volley renamed a
 * rewritten file over it meanwhile, the new one is locked instead.
 * "*fd" is -1 unless FILELOCK_HELD; the caller closes it at the end of
 * the run, which releases the lock. Blocking: call before the loop. */
enum filelock_status filelock_take(const char *path, int *fd,
                                   char err[VL_ERRLEN]);

#endif
