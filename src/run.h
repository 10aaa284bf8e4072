/* A whole run: owns the loop, creates the modules and wires their
 * callbacks, cancels what stop.c (signals, --deadline, --grace,
 * --fail-fast) says to, shuts down in order and computes the exit
 * status. */
#ifndef VOLLEY_RUN_H
#define VOLLEY_RUN_H

#include "cli.h"

/* volley's exit statuses, computed in run.c's exit_status() only. */
enum run_exit {
  RUN_EXIT_OK = 0,       /* every request ok */
  RUN_EXIT_FAILED = 1,   /* at least one request not ok, or --deadline */
  RUN_EXIT_USAGE = 2,    /* bad options or an input that cannot be read */
  RUN_EXIT_OUTPUT = 3,   /* the records could not be written */
  RUN_EXIT_SIGINT = 130, /* stopped by SIGINT */
  RUN_EXIT_SIGTERM = 143 /* stopped by SIGTERM */
};

/* Fetch everything "cfg" asks for and return the exit status. */
int run_main(const struct config *cfg);

#endif
