/* Unit tests of cssscan.c: which url() and @import targets a stylesheet
 * gives, in order, escapes decoded. One row per case. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cssscan.h"
#include "record.h"
#include "tap.h"

static void collect_cb(const char *url, size_t len, void *ud)
{
  struct buf *b = ud;

  if (b->len)
    buf_put(b, "|", 1);
  buf_put(b, url, len);
}

/* The URLs of "css" joined by '|' against "want". */
static int urls(char *why, const char *css, const char *want)
{
  struct buf b = { NULL, 0, 0 };
  int ok;

  cssscan_urls(css, strlen(css), collect_cb, &b);
  buf_put(&b, "", 1);
  ok = strcmp(b.p, want) == 0;
  if (!ok)
    tap_fail(why, __FILE__, __LINE__, "got '%s' want '%s'", b.p, want);
  free(b.p);
  return ok ? 0 : -1;
}

static int url_forms(char *why)
{
  return urls(why,
              "a{b:url(x.png)} c{d:url( 'y.png' )} e{f:URL(\"z.png\")}"
              "g{h:url(  w.png  )}",
              "x.png|y.png|z.png|w.png");
}

static int imports(char *why)
{
  return urls(why,
              "@import \"a.css\"; @import url(b.css) screen; "
              "@IMPORT 'c.css'; @import/**/\"d.css\";",
              "a.css|b.css|c.css|d.css");
}

static int not_urls(char *why)
{
  return urls(why,
              "/* url(a) @import \"b\" */ p{content:\"url(c)\"} "
              "d{myurl(e) x-url(f) 1url(g)} @importx \"h\"; url (i)",
              "");
}

static int escapes(char *why)
{
  return urls(why,
              "a{b:url(sp\\ ace.png)} c{d:url(\"q\\\"uote\")} "
              "e{f:u\\72l(esc.png)} g{h:url(\\41\\42 c)} "
              "i{j:url(\"line\\\ncont\")}",
              "sp ace.png|q\"uote|esc.png|ABc|linecont");
}

/* A newline ends a string as a bad one; the quote after it opens another
 * string, which holds the rest: "in-a-string" is text, as in browsers. */
static int bad_urls_skipped(char *why)
{
  return urls(why,
              "a{b:url(x y)} c{d:url(q\"r)} e{f:url(g(h)} i{j:url(ok)} "
              "k{l:url()} m{n:url(\"\")} q{r:url(fine)} "
              "o{p:url(\"bad\nstring\")} s{t:url(in-a-string)}",
              "ok|fine");
}

static int unterminated(char *why)
{
  CHECK_OK(urls(why, "a{b:url(end", "end"));
  CHECK_OK(urls(why, "a{b:url(\"end", "end"));
  CHECK_OK(urls(why, "@import \"x", "x"));
  CHECK_OK(urls(why, "/* a{b:url(x)}", ""));
  return urls(why, "a{b:url(x\\", "x\xef\xbf\xbd");
}

static int non_ascii(char *why)
{
  return urls(why, "a{b:url(caf\xc3\xa9.png)} c\xc3\xa9{d:url(\\e9)}",
              "caf\xc3\xa9.png|\xc3\xa9");
}

static int empty(char *why)
{
  CHECK_OK(urls(why, "", ""));
  cssscan_urls(NULL, 0, collect_cb, NULL);
  return 0;
}

static const struct tap_case cases[] = {
  { "url() quoted, unquoted, any case, with blanks", url_forms },
  { "@import with a string or url()", imports },
  { "no URL in comments, strings, other names, url with a blank", not_urls },
  { "escapes decoded", escapes },
  { "bad url() and empty ones skipped", bad_urls_skipped },
  { "the end of the text inside a token", unterminated },
  { "bytes past 0x7F pass through", non_ascii },
  { "an empty stylesheet", empty },
};

int main(void)
{
  return tap_run(cases, TAP_COUNT(cases));
}
