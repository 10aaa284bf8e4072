/* A slow disk for tests/bounds.bats, as an LD_PRELOAD library: every
 * write to a regular file under $SLOWDISK_DIR, and every rename into it,
 * first sleeps $SLOWDISK_MS milliseconds. Built by the test itself with
 * the system's C compiler; not part of volley. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static int under_dir(const char *path)
{
  const char *dir = getenv("SLOWDISK_DIR");
  size_t n = dir ? strlen(dir) : 0;

  return n > 0 && strncmp(path, dir, n) == 0;
}

static void nap(void)
{
  const char *ms = getenv("SLOWDISK_MS");
  long v = ms ? atol(ms) : 0;
  struct timespec ts;

  ts.tv_sec = v / 1000;
  ts.tv_nsec = (v % 1000) * 1000000L;
  while (v > 0 && nanosleep(&ts, &ts) != 0)
    ;
}

/* Sleep if "fd" is a regular file under the slow directory. */
static void maybe_nap(int fd)
{
  char link[64], path[PATH_MAX];
  struct stat st;
  ssize_t n;

  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
    return;
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  n = readlink(link, path, sizeof(path) - 1);
  if (n <= 0)
    return;
  path[n] = '\0';
  if (under_dir(path))
    nap();
}

#define NEXT(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

ssize_t write(int fd, const void *buf, size_t count)
{
  maybe_nap(fd);
  return NEXT(write)(fd, buf, count);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t off)
{
  maybe_nap(fd);
  return NEXT(pwrite)(fd, buf, count, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off_t off)
{
  maybe_nap(fd);
  return NEXT(pwrite64)(fd, buf, count, off);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
  maybe_nap(fd);
  return NEXT(pwritev)(fd, iov, cnt, off);
}

ssize_t pwritev64(int fd, const struct iovec *iov, int cnt, off_t off)
{
  maybe_nap(fd);
  return NEXT(pwritev64)(fd, iov, cnt, off);
}

int rename(const char *from, const char *to)
{
  if (under_dir(to))
    nap();
  return NEXT(rename)(from, to);
}
