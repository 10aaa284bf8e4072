/* volley's entry point: parse options, run, return the exit status. */
#include "config.h"

#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <uv.h>

#include "check.h"
#include "cli.h"
#include "hmap.h"
#include "msg.h"
#include "run.h"

/* A closed fd 0, 1 or 2 would be reused by the first file we open (the
 * epoll fd as "stdout"): park /dev/null there, read-only, so that a
 * closed stdout still fails every write (exit 3) instead of swallowing
 * the records. */
static void ensure_std_fds(void)
{
  int fd;

  for (fd = 0; fd <= 2; fd++)
    if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDONLY) < 0)
      abort();
}

/* Keys of URLs that pages name (the crawl's seen set) must not be
 * chosen to collide: the hash gets a random seed. Without the kernel's
 * randomness, the time and the pid are still unknown to a page. */
static void seed_hash(void)
{
  uint64_t s[2];

  if (uv_random(NULL, NULL, s, sizeof(s), 0, NULL) < 0) {
    s[0] = uv_hrtime();
    s[1] = (uint64_t)uv_os_getpid() << 32 ^ (uint64_t)time(NULL);
  }
  hmap_seed(s[0], s[1]);
}

/* --check's result as an exit status. */
static int check_status(enum check_result cr)
{
  return cr == CHECK_COMPLETE     ? RUN_EXIT_OK
         : cr == CHECK_INCOMPLETE ? RUN_EXIT_FAILED
         : cr == CHECK_USAGE      ? RUN_EXIT_USAGE
                                  : RUN_EXIT_OUTPUT;
}

int main(int argc, char **argv)
{
  struct config cfg;
  char err[VL_ERRLEN];
  enum cli_status cs;
  char *text;
  int status;

  ensure_std_fds();
  seed_hash();
  /* A reader that goes away shows as EPIPE on the write, not a kill. */
  signal(SIGPIPE, SIG_IGN);
  /* libcurl 7.88 hands an IDN host to libidn2 in the locale's charset:
   * under "C" no "bücher.example" resolves. Input is UTF-8 whatever the
   * environment says, and C.UTF-8's ctype is C's for every single byte;
   * numbers and messages stay "C". Without that locale IDN fails. */
  if (!setlocale(LC_CTYPE, "C.UTF-8"))
    (void)setlocale(LC_CTYPE, "C.utf8");

  cs = cli_parse(&cfg, argc, argv, getenv("VOLLEY_OPTS"), err);
  switch (cs) {
  case CLI_OK:
    break;
  case CLI_HELP:
  case CLI_VERSION:
  case CLI_LIST:
    text = cs == CLI_HELP   ? cli_help_text()
           : cs == CLI_LIST ? cli_list_text()
                            : cli_version_text();
    fputs(text, stdout);
    free(text);
    cli_free(&cfg);
    return fflush(stdout) == 0 ? RUN_EXIT_OK : RUN_EXIT_OUTPUT;
  case CLI_USAGE:
    msg_usage("%s", err);
    cli_free(&cfg);
    return RUN_EXIT_USAGE;
  }

  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    msg_error(NULL, "libcurl failed to initialise");
    cli_free(&cfg);
    return RUN_EXIT_USAGE;
  }
  if (!(curl_version_info(CURLVERSION_NOW)->features & CURL_VERSION_ASYNCHDNS))
    msg_warn(NULL, "this libcurl resolves names synchronously: a slow DNS "
                   "server will stall every transfer");
  status = cfg.check ? check_status(check_main(&cfg)) : run_main(&cfg);
  curl_global_cleanup();
  cli_free(&cfg);
  return status;
}
