/* Unit tests of sink.c: a result becomes its record or -w line, is
 * counted, waits in the --ordered window, and --only-changed drops what
 * did not change; the return value says what --fail-fast counts. One row
 * per case. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sink.h"
#include "tap.h"
#include "util.h"

/* What the sink wrote, line after line. */
struct written {
  struct buf all;
  unsigned lines;
};

static void write_cb(const char *line, size_t len, void *ud)
{
  struct written *w = ud;

  buf_put(&w->all, line, len);
  w->lines++;
}

/* An ok result of line "line". */
static void ok_result(struct result *r, uint64_t line)
{
  record_result_init(r);
  r->line = line;
  r->url = "http://example.com/";
  r->attempts = 1;
  r->status = 200;
}

/* "w"'s output as a C string (owned by "w"). */
static const char *text(struct written *w)
{
  buf_put(&w->all, "", 1);
  w->all.len--;
  return w->all.p;
}

static int json_records(char *why)
{
  struct written w = { { NULL, 0, 0 }, 0 };
  struct stats st;
  struct sink s;
  struct result r;
  char err[VL_ERRLEN];

  stats_init(&st);
  CHECK_INT(sink_init(&s,
                      &(struct sink_config){
                          .stats = &st, .write_cb = write_cb, .ud = &w },
                      err),
            0);
  ok_result(&r, 1);
  CHECK(!sink_put(&s, 0, &r, NULL));
  CHECK_UINT(w.lines, 1);
  CHECK_HAS(text(&w), "{\"id\":1,\"url\":\"http://example.com/\",\"ok\":true");
  CHECK_UINT(st.requests, 1);
  CHECK_UINT(st.ok, 1);
  sink_free(&s);
  buf_free(&w.all);
  return 0;
}

static int ordered_window(char *why)
{
  struct written w = { { NULL, 0, 0 }, 0 };
  struct stats st;
  struct sink s;
  struct result r;
  char err[VL_ERRLEN];

  stats_init(&st);
  CHECK_INT(sink_init(&s,
                      &(struct sink_config){ .write_out = "%{id}",
                                             .ordered = 4,
                                             .stats = &st,
                                             .write_cb = write_cb,
                                             .ud = &w },
                      err),
            0);
  CHECK(sink_room(&s, 3));
  CHECK(!sink_room(&s, 4));
  ok_result(&r, 3);
  sink_put(&s, 2, &r, NULL);
  ok_result(&r, 2);
  sink_put(&s, 1, &r, NULL);
  CHECK_UINT(w.lines, 0); /* waiting for seq 0 */
  CHECK_UINT(st.requests, 2);
  ok_result(&r, 1);
  sink_put(&s, 0, &r, NULL);
  CHECK_STREQ(text(&w), "1\n2\n3\n");
  CHECK(sink_room(&s, 6));
  sink_free(&s);
  buf_free(&w.all);
  return 0;
}

static int failures_for_fail_fast(char *why)
{
  struct written w = { { NULL, 0, 0 }, 0 };
  struct stats st;
  struct sink s;
  struct result r;
  char err[VL_ERRLEN];

  stats_init(&st);
  CHECK_INT(sink_init(&s,
                      &(struct sink_config){
                          .stats = &st, .write_cb = write_cb, .ud = &w },
                      err),
            0);
  ok_result(&r, 1);
  r.status = 503;
  CHECK(sink_put(&s, 0, &r, NULL));
  ok_result(&r, 2);
  r.status = 0;
  r.kind = ERRKIND_ROBOTS;
  CHECK(!sink_put(&s, 1, &r, NULL)); /* a refusal is no failure */
  CHECK_UINT(st.failed, 1);
  CHECK_UINT(st.robots, 1);
  sink_free(&s);
  buf_free(&w.all);
  return 0;
}

static int bad_template(char *why)
{
  struct stats st;
  struct sink s;
  char err[VL_ERRLEN] = "";

  stats_init(&st);
  CHECK_INT(sink_init(&s,
                      &(struct sink_config){ .write_out = "%{nosuch}",
                                             .stats = &st,
                                             .write_cb = write_cb },
                      err),
            -1);
  CHECK_HAS(err, "--write-out: ");
  sink_free(&s);
  return 0;
}

static const struct tap_case cases[] = {
  { "a result becomes its JSON record and is counted", json_records },
  { "--ordered: lines leave in sequence; room follows the window",
    ordered_window },
  { "the return says what --fail-fast counts", failures_for_fail_fast },
  { "-w's template that does not compile fails sink_init()", bad_template },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
