/* --check: whether record files hold each request of an input exactly
 * once, the input read as a run reads it. Fetches nothing. */
#ifndef VOLLEY_CHECK_H
#define VOLLEY_CHECK_H

#include "cli.h"

enum check_result {
  CHECK_COMPLETE,   /* each request has exactly one record, not cancelled */
  CHECK_INCOMPLETE, /* some are missing, cancelled or duplicated */
  CHECK_USAGE,      /* the input or a record file cannot be read */
  CHECK_OUTPUT      /* the summary could not be written */
};

/* Read the record files "cfg->urls" (a missing one holds no record),
 * then the input of "cfg" as a run would read it (--input-format,
 * --shard, --id-prefix), and write on stdout one JSON summary line
 * ({"requests":N,"once":N,"missing":N,"cancelled":N,"duplicated":N,
 * "other_records":N,"other_lines":N,"complete":BOOL}, "shard" first with
 * --shard); with -v, before it, {"id":ID,"state":STATE} for each request
 * missing, cancelled or duplicated. A request is keyed by id and URL, as
 * --resume keys it; records of requests not in the input are counted,
 * and do not make the check fail. */
enum check_result check_main(const struct config *cfg);

#endif
