/* Messages on stderr, each "volley: " plus one line. Before the loop runs
 * they are written directly; once msg_start() attached a libuv stream
 * they go through it, and lines past a bound are dropped and counted, so
 * -v never stalls transfers behind a slow terminal. */
#ifndef VOLLEY_MSG_H
#define VOLLEY_MSG_H

#include <stdbool.h>
#include <stddef.h>

#include <uv.h>

struct msg {
  int verbose;         /* -v count */
  bool quiet;          /* -q: errors only */
  uv_loop_t *loop;     /* set by msg_start() */
  uv_stream_t *stream; /* NULL: write directly (regular file, or no loop) */
  size_t dropped;      /* lines dropped because the queue was full */
  bool status_shown;   /* a progress line is on the terminal */
};

/* Set up "m" for "verbose" (the -v count) and "quiet" (-q); messages are
 * written directly until msg_start(). */
void msg_init(struct msg *m, int verbose, bool quiet);

/* A usage error: "volley: TEXT" and the --help hint, written directly. */
void msg_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An error, a warning, a verbose line ("level" = how many -v it needs).
 * "m" may be NULL (before options are known): then errors and warnings
 * are written directly and verbose lines dropped. */
void msg_error(struct msg *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void msg_warn(struct msg *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void msg_verbose(struct msg *m, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether msg_verbose() at "level" prints anything: lets a caller skip
 * building its arguments on the hot path. */
bool msg_wants(const struct msg *m, int level);

/* Show "line" as the status (progress) line, in place of the last one,
 * without a newline; NULL erases it. Other messages erase it first. */
void msg_status(struct msg *m, const char *line);

/* Attach stderr to "loop" as a pipe or TTY stream when it is one.
 * Returns 0, or -1 (then messages keep being written directly). */
int msg_start(struct msg *m, uv_loop_t *loop);

/* Start closing the stream: its queued lines are written first, then
 * the close callback restores fd 2's flags and reports dropped lines; the
 * loop must run on for that. Later messages are written directly. Safe
 * when msg_start() was not called. */
void msg_close(struct msg *m);

#endif
