/* libFuzzer target for the hub's HTTP side as lws 4.1 parses it: every input is the byte stream
 * a client sends on one connection (any number of pipelined requests), written into one end of a
 * socket pair whose other end is adopted by a plain (no TLS) lws context running the hub's own
 * protocol table over a real (temporary) hub: database, files directory, web root. HOUSEHOLD and
 * TOKEN in an input are replaced by a real household and a person's session token, so seeds
 * reach the upload path.
 *
 * Besides the sanitizers it checks the answer: never more status lines than the input has header
 * blocks (plus one refusal), and never more than 1 MB: a hub that answers twice or loops
 * (pipelined uploads once repeated their 201 without end) fails here. */
#include "hub.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static Hub *hub;
static struct lws_context *ctx;
static struct lws_vhost *vhost;
static char *household_id, *session_token;

static void
quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
}

static void
make_household(HubDb *db)
{
  char *code = NULL, *link = NULL, *person = NULL;
  HubNewSession signed_in = {0};
  g_assert(hub_household_create(db, "Ingebjørg", "nb", &household_id, &code, NULL));
  guint rights = 0;
  hub_rights_parse("call,message", &rights);
  g_assert(hub_invite_create(db, household_id, "Anna", "Daughter", "family", rights,
                             "https://hub.test", &person, &link, NULL, NULL));
  g_assert(hub_auth_invite(db, strstr(link, "#join=") + 6, "fuzz", &signed_in, NULL));
  session_token = g_strdup(signed_in.token);
  hub_new_session_clear(&signed_in);
  g_free(code), g_free(link), g_free(person);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  g_log_set_default_handler(quiet_log, NULL);
  lws_set_log_level(0, NULL);
  char *dir = g_dir_make_tmp("vindu-hub-fuzz-http-XXXXXX", NULL);
  HubConfig *config = hub_config_new_defaults();
  g_free(config->data_dir);
  config->data_dir = dir;
  g_free(config->web_root);
  config->web_root = g_build_filename(dir, "web", NULL);
  g_mkdir_with_parents(config->web_root, 0700);
  g_autofree char *index = g_build_filename(config->web_root, "index.html", NULL);
  g_file_set_contents(index, "<!doctype html><title>Vindu</title>", -1, NULL);
  hub_config_finish(config);
  HubDb *db = hub_db_open(dir, NULL);
  g_assert(db);
  hub_db_exec(db, "PRAGMA synchronous=OFF", NULL);
  make_household(db);
  hub = hub_server_new(config, db, NULL);
  g_assert(hub);

  struct lws_context_creation_info info;
  memset(&info, 0, sizeof info);
  info.port = CONTEXT_PORT_NO_LISTEN_SERVER;
  info.protocols = hub_server_protocols();
  info.user = hub;
  info.timeout_secs = 5;
  ctx = lws_create_context(&info);
  g_assert(ctx);
  vhost = lws_get_vhost_by_name(ctx, "default");
  g_assert(vhost);
  return 0;
}

static char *
substitute(const guint8 *data, size_t size, gsize *len)
{
  GString *s = g_string_new_len((const char *)data, (gssize)size);
  g_string_replace(s, "HOUSEHOLD", household_id, 0);
  g_string_replace(s, "TOKEN", session_token, 0);
  *len = s->len;
  return g_string_free(s, FALSE);
}

static guint
count(const char *hay, gsize len, const char *needle)
{
  guint n = 0;
  gsize nl = strlen(needle);
  for (const char *p = hay; p && (gsize)(p - hay) + nl <= len; p++) {
    p = memmem(p, len - (gsize)(p - hay), needle, nl);
    if (!p)
      break;
    n++;
  }
  return n;
}

/* Write what the socket takes, service lws, read the answer; until the hub closes. */
static GByteArray *
exchange(int mine, const char *in, gsize len)
{
  GByteArray *out = g_byte_array_new();
  gsize sent = 0;
  gboolean shut = FALSE;
  guint8 buf[16384];
  for (int round = 0; round < 400 && out->len < (1u << 20); round++) {
    if (sent < len) {
      ssize_t n = send(mine, in + sent, len - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n > 0)
        sent += (gsize)n;
    } else if (!shut) {
      shutdown(mine, SHUT_WR);
      shut = TRUE;
    }
    lws_service(ctx, -1);
    ssize_t r;
    while ((r = recv(mine, buf, sizeof buf, MSG_DONTWAIT)) > 0)
      g_byte_array_append(out, buf, (guint)r);
    if (r == 0)
      break; /* the hub closed */
  }
  return out;
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);
int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
  gsize len = 0;
  g_autofree char *in = substitute(data, size, &len);
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0)
    return 0;
  fcntl(pair[1], F_SETFL, O_NONBLOCK);
  lws_sock_file_fd_type fd = {.sockfd = pair[1]};
  struct lws *wsi =
      lws_adopt_descriptor_vhost(vhost, LWS_ADOPT_SOCKET | LWS_ADOPT_HTTP, fd, "vindu.v1", NULL);
  if (!wsi) {
    close(pair[0]);
    return 0;
  }
  g_autoptr(GByteArray) out = exchange(pair[0], in, len);
  close(pair[0]);
  for (int i = 0; i < 20; i++) /* let lws see the close and free the connection */
    lws_service(ctx, -1);
  /* every answer needs a header block ending in an empty line (lws is lenient about the rest),
   * and lws may add one refusal of its own for trailing garbage */
  guint requests = count(in, len, "\n\r\n") + count(in, len, "\n\n");
  guint answers = count((const char *)out->data, out->len, "HTTP/1.1 ");
  if (g_getenv("VINDU_FUZZ_HTTP_SHOW")) /* to see what a seed reaches */
    fprintf(stderr, "%u requests, %u answers:\n%.*s\n", requests, answers,
            (int)MIN(out->len, 3000u), (const char *)out->data);
  if (answers > requests + 1 || out->len >= (1u << 20)) {
    fprintf(stderr, "%u answers to %u requests, %u bytes:\n%.*s\n", answers, requests, out->len,
            (int)MIN(out->len, 2000u), (const char *)out->data);
    abort();
  }
  return 0;
}
