/* The --stats and --stats-json summary, written once the loop has ended:
 * stats.c formats it, this writes it with blocking stdio. */
#ifndef VOLLEY_SUMMARY_H
#define VOLLEY_SUMMARY_H

#include <stdbool.h>

#include "stats.h"
#include "util.h"

/* Write the summary of "s" over "elapsed_s" seconds: as text on stderr
 * when "text" (--stats), and as one JSON object into the file
 * "json_path" (--stats-json; NULL: none), created or truncated. Blocking:
 * call only after the loop ended. Returns 0, or -1 with "err" naming the
 * file and the system's reason when the JSON could not be written. */
int summary_write(const struct stats *s, double elapsed_s, bool text,
                  const char *json_path, char err[VL_ERRLEN]);

#endif
