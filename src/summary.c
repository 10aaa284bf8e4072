/* The --stats and --stats-json summary at the end of a run. Owns only the
 * writing: stats.c counts and formats. Blocking stdio, which is fine once
 * the loop has ended and nothing else is. */
#include "config.h"

#include "summary.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "record.h"

int summary_write(const struct stats *s, double elapsed_s, bool text,
                  const char *json_path, char err[VL_ERRLEN])
{
  struct record_buf b = { NULL, 0, 0 };
  FILE *f;
  int rc = 0;

  if (text) {
    stats_text(s, elapsed_s, &b);
    fwrite(b.p, 1, b.len, stderr);
    record_buf_reset(&b);
  }
  if (json_path) {
    stats_json(s, elapsed_s, &b);
    f = fopen(json_path, "w");
    if (!f || fwrite(b.p, 1, b.len, f) != b.len) {
      snprintf(err, VL_ERRLEN, "--stats-json: cannot write '%.400s': %s",
               json_path, strerror(errno));
      rc = -1;
    }
    if (f && fclose(f) != 0 && rc == 0) {
      snprintf(err, VL_ERRLEN, "--stats-json: cannot write '%.400s': %s",
               json_path, strerror(errno));
      rc = -1;
    }
  }
  record_buf_free(&b);
  return rc;
}
