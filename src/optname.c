/* Names of options: the options a mistyped name may have meant (those it
 * begins, else the nearest by edit distance), and curl's and wget's names
 * that volley does not have, with volley's way. Pure; cli.c asks it when
 * an option is unknown. */
#include "config.h"

#include "optname.h"

#include <stdio.h>
#include <string.h>

/* curl's and wget's names that volley does not have, and what does the
 * same here, in one line. */
static const struct {
  const char *names; /* the option words, separated by spaces */
  const char *hint;
} foreign[] = {
  { "-f --fail --fail-with-body",
    "HTTP errors are already \"ok\":false in the record; --fail-fast stops "
    "the run at the first failure" },
  { "-O --remote-name --remote-name-all --output-dir -P --directory-prefix",
    "--save DIR writes each body to a file in DIR (--save-name names it); "
    "-o FILE takes the records" },
  { "--retry-connrefused",
    "refused connections are retried already (kind connect); --retry N "
    "sets how often" },
  { "--retry-max-time",
    "-m/--max-time SECS caps a request's whole time, retries and waits "
    "included" },
  { "-N --no-buffer",
    "records are written as each request completes; nothing is buffered" },
  { "--recursive -l --level",
    "--crawl DEPTH follows the links of fetched pages, DEPTH hops deep "
    "(wget's -r -l DEPTH)" },
  { "--tries", "--retry N counts the retries after the first attempt: wget's "
               "--tries=3 is --retry 2" },
  { "--wait --waitretry --random-wait",
    "--rate-per-host R spaces the starts to each host (--rate-per-host 1 "
    "is wget's --wait=1); --retry-delay sets the backoff" },
  { "--limit-rate",
    "volley does not cap bandwidth; --rate and --rate-per-host cap the "
    "requests started a second" },
  { "-np --no-parent",
    "--include REGEX keeps a crawl under a path, e.g. --include "
    "'^https://example\\.com/docs/'" },
  { "-U", "-A/--user-agent sets the User-Agent header" },
  { "-Z --parallel --parallel-max",
    "requests always run in parallel; -c N sets how many at once" },
  { "--continue",
    "-o FILE --resume goes on with a run that was cut (wget's -c)" },
  { "-D --dump-header", "--headers puts the response headers in the record" },
  { "--referer", "-H 'Referer: URL' sends a Referer header" },
  { "-K --config", "VOLLEY_OPTS holds default options" },
};

/* Two rows of the table at a time: the names are short. */
size_t optname_distance(const char *a, size_t la, const char *b)
{
  size_t prev[NAME_CMP_MAX + 1], cur[NAME_CMP_MAX + 1];
  size_t lb = strlen(b), i, j;

  if (la > NAME_CMP_MAX)
    la = NAME_CMP_MAX;
  if (lb > NAME_CMP_MAX)
    lb = NAME_CMP_MAX;
  for (j = 0; j <= lb; j++)
    prev[j] = j;
  for (i = 1; i <= la; i++) {
    cur[0] = i;
    for (j = 1; j <= lb; j++) {
      size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      size_t del = prev[j] + 1, ins = cur[j - 1] + 1;

      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, (lb + 1) * sizeof(*cur));
  }
  return prev[lb];
}

void optname_suggest(const char *name, size_t len, const char *const *names,
                     size_t n, char *out, size_t outlen)
{
  const char *pick[3];
  size_t npick = 0, nall = 0, best = (size_t)-1, i, k;
  size_t near = len / 3 > 2 ? len / 3 : 2;

  out[0] = '\0';
  for (k = 0; k < n; k++) {
    const char *o = names[k];

    if (len && strncmp(o, name, len) == 0) {
      if (npick < 3)
        pick[npick++] = o;
      nall++;
    }
  }
  if (!nall) {
    for (k = 0; k < n; k++) {
      const char *o = names[k];
      size_t d = optname_distance(name, len, o);

      if (d > near || d > best)
        continue;
      if (d < best) {
        best = d;
        npick = nall = 0;
      }
      if (npick < 3)
        pick[npick++] = o;
      nall++;
    }
  }
  for (i = 0; i < npick; i++) {
    size_t used = strlen(out);

    snprintf(out + used, outlen - used, "%s--%s",
             i == 0 ? "" : (i + 1 == npick && nall == npick ? " or " : ", "),
             pick[i]);
  }
  if (nall > npick) {
    size_t used = strlen(out);

    snprintf(out + used, outlen - used, ", ...");
  }
}

const char *optname_foreign(const char *word, size_t len)
{
  size_t i;

  for (i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++) {
    const char *p = foreign[i].names;

    while (*p) {
      size_t n = strcspn(p, " ");

      if (n == len && strncmp(p, word, len) == 0)
        return foreign[i].hint;
      p += n;
      p += strspn(p, " ");
    }
  }
  return NULL;
}
