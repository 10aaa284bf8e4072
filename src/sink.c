/* Finished results to records: the record or -w line, --only-changed,
 * --stats' counts and the --ordered window, in that order, then out
 * through the write function the caller gave. Pure: the caller does the
 * writing. */
#include "config.h"

#include "sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errkind.h"
#include "util.h"

int sink_init(struct sink *s, const struct sink_config *cfg,
              char err[VL_ERRLEN])
{
  char why[VL_ERRLEN];

  memset(s, 0, sizeof(*s));
  s->cfg = *cfg;
  if (cfg->ordered)
    s->order = order_new(cfg->ordered);
  if (cfg->write_out && writeout_parse(&s->wo, cfg->write_out, why) < 0) {
    snprintf(err, VL_ERRLEN, "--write-out: %.480s", why);
    return -1;
  }
  return 0;
}

bool sink_room(const struct sink *s, uint64_t seq)
{
  return !s->order || order_room(s->order, seq);
}

bool sink_put(struct sink *s, uint64_t seq, struct result *res,
              const struct since_entry *prev)
{
  struct buf *b = &s->rec;
  char *line;
  size_t len;

  res->changed = since_changed(s->cfg.since, prev, res);
  buf_reset(b);
  if (s->cfg.only_changed && res->changed == RECORD_CHANGED_FALSE)
    ; /* An empty line: --ordered's window still moves past it. */
  else if (s->cfg.write_out)
    writeout_render(&s->wo, res, b);
  else
    record_build(b, res);
  stats_add(s->cfg.stats, res);
  if (!s->order) {
    if (b->len)
      s->cfg.write_cb(b->p, b->len, s->cfg.ud);
  } else {
    order_put_take(s->order, seq,
                   b->len ? xstrndup(b->p, b->len) : xstrdup(""), b->len);
    while (order_pop(s->order, &line, &len)) {
      if (len)
        s->cfg.write_cb(line, len, s->cfg.ud);
      free(line);
    }
  }
  /* robots.txt's refusals are the crawl's manners, not failures. */
  return !record_ok(res) && res->kind != ERRKIND_ROBOTS;
}

void sink_free(struct sink *s)
{
  order_free(s->order);
  s->order = NULL;
  buf_free(&s->rec);
  writeout_free(&s->wo);
}
