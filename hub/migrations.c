/* Numbered schema migrations. Each entry runs once, in order, inside one transaction with the
 * bump of PRAGMA user_version; never edit a released entry, add a new one. */
#define G_LOG_DOMAIN "vindu-hub"
#include "migrations.h"

#include "db_error.h"

static const char *const migrations[] = {
    /* 1: the data model of docs/hub.md */
    "CREATE TABLE households("
    "  id TEXT PRIMARY KEY, resident TEXT NOT NULL, language TEXT NOT NULL DEFAULT 'nb',"
    "  quiet_start TEXT, quiet_end TEXT,"
    "  provision_hash TEXT UNIQUE, provision_expires_at INTEGER,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE kiosks("
    "  id TEXT PRIMARY KEY, household_id TEXT NOT NULL REFERENCES households(id),"
    "  secret_hash TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen_at INTEGER,"
    "  revoked_at INTEGER, msg_seq INTEGER NOT NULL DEFAULT 0, doc_seq INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE people("
    "  id TEXT PRIMARY KEY, name TEXT NOT NULL, photo TEXT, session_hash TEXT UNIQUE,"
    "  msg_seq INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
    "CREATE TABLE memberships("
    "  household_id TEXT NOT NULL REFERENCES households(id),"
    "  person_id TEXT NOT NULL REFERENCES people(id),"
    "  relationship TEXT NOT NULL, role TEXT NOT NULL, rights TEXT NOT NULL,"
    "  invite_hash TEXT UNIQUE, invite_expires_at INTEGER, invite_redeemed_at INTEGER,"
    "  revoked_at INTEGER, created_at INTEGER NOT NULL,"
    "  PRIMARY KEY(household_id, person_id));"
    "CREATE TABLE consents("
    "  id INTEGER PRIMARY KEY, household_id TEXT NOT NULL, person_id TEXT NOT NULL,"
    "  agreed_by TEXT NOT NULL, recorded_by TEXT NOT NULL, at INTEGER NOT NULL,"
    "  withdrawn_at INTEGER, withdrawn_by TEXT);"
    "CREATE TABLE pairing_codes("
    "  code_hash TEXT PRIMARY KEY, expires_at INTEGER NOT NULL, household_id TEXT,"
    "  bound_by TEXT, bound_at INTEGER);"
    "CREATE TABLE calls("
    "  id TEXT PRIMARY KEY, household_id TEXT NOT NULL, caller TEXT NOT NULL,"
    "  callee TEXT NOT NULL, started_at INTEGER NOT NULL, answered_at INTEGER,"
    "  ended_at INTEGER, outcome TEXT);"
    "CREATE TABLE messages("
    "  id TEXT PRIMARY KEY, household_id TEXT NOT NULL, sender TEXT NOT NULL,"
    "  sender_name TEXT NOT NULL, kind TEXT NOT NULL, text TEXT, file TEXT, caption TEXT,"
    "  duration_ms INTEGER, client_msg_id TEXT NOT NULL, sent_at INTEGER NOT NULL,"
    "  UNIQUE(sender, client_msg_id));"
    "CREATE TABLE deliveries("
    "  recipient TEXT NOT NULL, seq INTEGER NOT NULL, message_id TEXT NOT NULL,"
    "  acked_at INTEGER, seen_at INTEGER, PRIMARY KEY(recipient, seq));"
    "CREATE INDEX deliveries_by_message ON deliveries(message_id);"
    "CREATE TABLE documents("
    "  household_id TEXT NOT NULL, kind TEXT NOT NULL, doc TEXT NOT NULL, rev INTEGER NOT NULL,"
    "  body TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, updated_by TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL, PRIMARY KEY(household_id, kind, doc));"
    "CREATE TABLE doc_deliveries("
    "  kiosk_id TEXT NOT NULL, seq INTEGER NOT NULL, household_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL, doc TEXT NOT NULL, rev INTEGER NOT NULL, body TEXT NOT NULL,"
    "  deleted INTEGER NOT NULL, acked_at INTEGER,"
    "  PRIMARY KEY(kiosk_id, seq));"
    "CREATE TABLE files("
    "  sha256 TEXT PRIMARY KEY, kind TEXT NOT NULL, mime TEXT NOT NULL, size INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE file_households("
    "  sha256 TEXT NOT NULL REFERENCES files(sha256), household_id TEXT NOT NULL,"
    "  uploaded_by TEXT NOT NULL, PRIMARY KEY(sha256, household_id));"
    "CREATE TABLE events("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, household_id TEXT,"
    "  subject TEXT, at INTEGER NOT NULL);",
    /* 2: indexes for the lookups done on every sign-in, call and post */
    "CREATE INDEX memberships_by_person ON memberships(person_id);"
    "CREATE INDEX kiosks_by_household ON kiosks(household_id);"
    "CREATE INDEX consents_by_member ON consents(household_id, person_id);"
    "CREATE INDEX calls_by_household ON calls(household_id, started_at);",
    /* 3: plugins: each kiosk's latest inventory, and plugins' answers once per kiosk and key */
    "CREATE TABLE kiosk_plugins("
    "  kiosk_id TEXT PRIMARY KEY, household_id TEXT NOT NULL, inventory TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE TABLE plugin_answers("
    "  kiosk_id TEXT NOT NULL, answer TEXT NOT NULL, household_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL, doc TEXT NOT NULL, rev INTEGER NOT NULL, body TEXT NOT NULL,"
    "  at INTEGER NOT NULL, PRIMARY KEY(kiosk_id, answer));"
    "CREATE INDEX plugin_answers_by_doc ON plugin_answers(household_id, kind, doc, at);",
    /* 4: Web Push subscriptions, one per browser endpoint (hub/push.c) */
    "CREATE TABLE push_subscriptions("
    "  id TEXT PRIMARY KEY, person_id TEXT NOT NULL, endpoint TEXT NOT NULL UNIQUE,"
    "  p256dh TEXT NOT NULL, auth TEXT NOT NULL, show_text INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX push_subscriptions_by_person ON push_subscriptions(person_id);",
    /* 5: reminders not confirmed, told once per occurrence (reminder_escalation.c) */
    "CREATE TABLE reminder_escalations("
    "  household_id TEXT NOT NULL, doc TEXT NOT NULL, due INTEGER NOT NULL,"
    "  person_id TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(household_id, doc, due));"
    "CREATE INDEX reminder_escalations_by_person ON reminder_escalations(person_id, at);",
    /* 6: the short name the family can set for a person's tile on the kiosk's home screen */
    "ALTER TABLE memberships ADD COLUMN short_name TEXT;",
    /* 7: where the resident is picked up for an activity (household_address.c) */
    "ALTER TABLE households ADD COLUMN address TEXT;",
    /* 8: whether the family sees which memory-book photos the resident looked at (off) */
    "ALTER TABLE households ADD COLUMN share_looks INTEGER NOT NULL DEFAULT 0;",
    /* 9: check-ins whose coming due was pushed to staff, once per time (checkin_due.c) */
    "CREATE TABLE checkin_pushes("
    "  household_id TEXT NOT NULL, doc TEXT NOT NULL, at INTEGER NOT NULL,"
    "  pushed_at INTEGER NOT NULL, PRIMARY KEY(household_id, doc, at));",
    /* 10: a person's devices, each with its own session (signin.c, devices.c); the one session
     * a person had becomes their first device. One-time links that add a device. A push
     * subscription belongs to the device that made it, so signing a device out stops them. */
    "CREATE TABLE sessions("
    "  id TEXT PRIMARY KEY, person_id TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,"
    "  device TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen_at INTEGER);"
    "CREATE INDEX sessions_by_person ON sessions(person_id);"
    "INSERT INTO sessions(id, person_id, token_hash, device, created_at)"
    "  SELECT 'd_'||lower(hex(randomblob(8))), id, session_hash, '', created_at FROM people"
    "  WHERE session_hash IS NOT NULL;"
    "UPDATE people SET session_hash=NULL;"
    "CREATE TABLE device_links("
    "  token_hash TEXT PRIMARY KEY, person_id TEXT NOT NULL, expires_at INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX device_links_by_person ON device_links(person_id);"
    "ALTER TABLE push_subscriptions ADD COLUMN session_id TEXT;",
};

int
hub_migrations_latest(void)
{
  return (int)G_N_ELEMENTS(migrations);
}

static int
user_version(sqlite3 *sql)
{
  sqlite3_stmt *st = NULL;
  int v = -1;
  if (sqlite3_prepare_v2(sql, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

gboolean
hub_migrations_apply(sqlite3 *sql, GError **error)
{
  for (;;) {
    if (sqlite3_exec(sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
      g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_SQL, "migrations: %s", sqlite3_errmsg(sql));
      return FALSE;
    }
    int current = user_version(sql);
    if (current < 0 || current > hub_migrations_latest()) {
      sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
      g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_SQL,
                  "database schema version %d is not one this hub knows (latest %d)", current,
                  hub_migrations_latest());
      return FALSE;
    }
    if (current == hub_migrations_latest()) {
      sqlite3_exec(sql, "COMMIT", NULL, NULL, NULL);
      return TRUE;
    }
    char *msg = NULL;
    g_autofree char *bump = g_strdup_printf("PRAGMA user_version=%d", current + 1);
    if (sqlite3_exec(sql, migrations[current], NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(sql, bump, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(sql, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
      g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_SQL, "migration %d: %s", current + 1,
                  msg ? msg : "failed");
      sqlite3_free(msg);
      sqlite3_exec(sql, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
    g_info("applied schema migration %d", current + 1);
  }
}
