/* The -o FILE lock. Opens, locks and re-checks FILE once before the loop
 * starts; owns nothing after it returns (the caller holds the
 * descriptor). Does not write FILE. */
#include "config.h"

#include "filelock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Times FILE may be replaced under us before we give up. Each round needs
 * another volley to finish a rewrite in between: a few are plenty. */
#define FILELOCK_TRIES 8

enum filelock_status filelock_take(const char *path, int *fd,
                                   char err[VL_ERRLEN])
{
  struct stat st, now;
  int i, rc;

  *fd = -1;
  err[0] = '\0';
  /* A pipe or device is nobody's file: no lock, and no open that could
   * block on a FIFO. */
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
    return FILELOCK_NONE;
  for (i = 0; i < FILELOCK_TRIES; i++) {
    *fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
               0644);
    if (*fd < 0) {
      snprintf(err, VL_ERRLEN, "-o: cannot open '%s': %s", path,
               strerror(errno));
      return FILELOCK_FAILED;
    }
    if (fstat(*fd, &st) < 0 || !S_ISREG(st.st_mode)) {
      close(*fd);
      *fd = -1;
      return FILELOCK_NONE;
    }
    do
      rc = flock(*fd, LOCK_EX | LOCK_NB);
    while (rc < 0 && errno == EINTR);
    if (rc < 0) {
      int e = errno;

      close(*fd);
      *fd = -1;
      if (e == EWOULDBLOCK) {
        snprintf(err, VL_ERRLEN,
                 "-o: '%s' is being written by another process (it holds "
                 "the file's lock)",
                 path);
        return FILELOCK_BUSY;
      }
      /* ENOLCK, EOPNOTSUPP: a file system without locks. */
      snprintf(err, VL_ERRLEN, "-o: cannot lock '%s' (%s): running unlocked",
               path, strerror(e));
      return FILELOCK_NONE;
    }
    /* The lock is on the inode we opened. Had a holder renamed a new file
     * over FILE between our open and our lock, we would hold the old,
     * unlinked one: look again, and lock the new one. */
    if (stat(path, &now) == 0 && now.st_dev == st.st_dev &&
        now.st_ino == st.st_ino)
      return FILELOCK_HELD;
    close(*fd);
    *fd = -1;
  }
  snprintf(err, VL_ERRLEN, "-o: '%s' keeps being replaced: cannot lock it",
           path);
  return FILELOCK_FAILED;
}
