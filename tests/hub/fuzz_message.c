/* libFuzzer target for the hub's message handler: every input is fed as one WebSocket text
 * frame to a signed-in kiosk, a signed-in person (all rights, staff role) and a connection
 * that has not said hello, all of one household in a real (temporary) hub database. The
 * identifiers HOUSEHOLD, KIOSK and PERSON in an input are replaced by the real ones so seeds
 * reach past the membership checks. */
#include "hub.h"
#include "router.h"

#include <glib/gstdio.h>
#include <string.h>

static Hub *hub;
static Conn *kiosk;
static Conn *person;
static char *household_id, *kiosk_id, *person_id;

static void
quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data)
{
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
  g_log_set_default_handler(quiet_log, NULL);
  char *dir = g_dir_make_tmp("vindu-hub-fuzz-XXXXXX", NULL);
  HubConfig *config = hub_config_new_defaults();
  g_free(config->data_dir);
  config->data_dir = dir;
  hub_config_finish(config);
  HubDb *db = hub_db_open(dir, NULL);
  g_assert(db);
  hub_db_exec(db, "PRAGMA synchronous=OFF", NULL);
  char *code = NULL, *link = NULL, *secret = NULL, *hh = NULL;
  HubNewSession signed_in = {0};
  g_assert(hub_household_create(db, "Ingebjørg", "nb", &household_id, &code, NULL));
  guint rights = 0;
  hub_rights_parse("call,auto_answer,message,reminders,memory_book,activities,status,"
                   "quiet_hours_exempt,admin",
                   &rights);
  g_assert(hub_invite_create(db, household_id, "Anna", "Daughter", "staff", rights,
                             "https://hub.test", &person_id, &link, NULL, NULL));
  const char *token = strstr(link, "#join=") + 6;
  g_assert(hub_auth_invite(db, token, "fuzz", &signed_in, NULL));
  hub_new_session_clear(&signed_in);
  g_assert(hub_auth_provision(db, code, &hh, &kiosk_id, &secret, NULL));
  g_free(code), g_free(link), g_free(secret), g_free(hh);

  hub = hub_server_new(config, db, NULL);
  g_assert(hub);
  kiosk = conn_new(hub, NULL);
  kiosk->role = CONN_KIOSK;
  kiosk->self_id = g_strdup(kiosk_id);
  kiosk->household = g_strdup(household_id);
  conn_register(kiosk);
  person = conn_new(hub, NULL);
  person->role = CONN_PERSON;
  person->self_id = g_strdup(person_id);
  person->name = g_strdup("Anna");
  person->memberships = hub_person_memberships(db, person_id);
  conn_register(person);
  return 0;
}

static char *
substitute(const guint8 *data, size_t size)
{
  g_autofree char *text = g_strndup((const char *)data, size);
  if (strlen(text) != size) /* embedded NUL: feed as is */
    return g_memdup2(data, size);
  static const char *names[] = {"HOUSEHOLD", "KIOSK", "PERSON"};
  const char *values[] = {household_id, kiosk_id, person_id};
  char *out = g_strdup(text);
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    g_auto(GStrv) parts = g_strsplit(out, names[i], -1);
    g_free(out);
    out = g_strjoinv(values[i], parts);
  }
  return out;
}

static void
feed(Conn *c, const char *data, size_t size)
{
  c->closing = FALSE;
  c->close_code = 0;
  c->bucket.last_us = 0; /* a full bucket: fuzz the handler, not the rate limit */
  router_receive(c, data, size, TRUE, TRUE, FALSE);
  messages_commit_pending(hub); /* the group commit the main loop would run */
  g_queue_clear_full(&c->out, (GDestroyNotify)g_bytes_unref);
  c->out_bytes = 0;
}

int LLVMFuzzerTestOneInput(const guint8 *data, size_t size);
int
LLVMFuzzerTestOneInput(const guint8 *data, size_t size)
{
  gboolean substituted = size > 0 && memchr(data, 0, size) == NULL;
  g_autofree char *frame = substituted ? substitute(data, size) : g_memdup2(data, size ? size : 1);
  size_t len = substituted ? strlen(frame) : size;
  /* a person revoked by an earlier input gets their memberships back */
  if (!person->memberships || person->memberships->len == 0) {
    sqlite3_exec(hub_db_handle(hub->db), "UPDATE memberships SET revoked_at=NULL", NULL, NULL,
                 NULL);
    conn_set_memberships(person, hub_person_memberships(hub->db, person_id));
  }
  feed(kiosk, frame, len);
  feed(person, frame, len);
  Conn *fresh = conn_new(hub, NULL);
  feed(fresh, frame, len);
  router_conn_gone(fresh);
  return 0;
}
