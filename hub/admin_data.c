#define G_LOG_DOMAIN "vindu-hub"
#include "admin_data.h"

#include "backup.h"
#include "erase.h"
#include "export.h"

static const char *const commands[] = {"backup", "restore", "export", "delete", NULL};

gboolean
hub_admin_data_is_command(const char *command)
{
  return command && g_strv_contains(commands, command);
}

static JsonObject *
answer(void)
{
  JsonObject *o = json_object_new();
  json_object_set_boolean_member(o, "ok", TRUE);
  return o;
}

/* A request that cannot be run as given: always NULL. */
static JsonObject *
refuse(GError **error, const char *what)
{
  g_set_error(error, HUB_DB_ERROR, HUB_DB_ERROR_BAD_FORMAT, "%s", what);
  return NULL;
}

JsonObject *
hub_admin_data_run(HubDb *db, const char *data_dir, const HubAdminDataRequest *r, GError **error)
{
  const char *arg = r->argument;
  guint files = 0;
  if (g_str_equal(r->command, "backup")) {
    if (!arg)
      return refuse(error, "backup FILE: say where the backup goes");
    if (!hub_backup_write(db, data_dir, arg, &files, error))
      return NULL;
  } else if (g_str_equal(r->command, "restore")) {
    if (!arg)
      return refuse(error, "restore FILE: say which backup to restore");
    if (!hub_backup_restore(arg, data_dir, error))
      return NULL;
  } else if (g_str_equal(r->command, "export")) {
    if (!arg)
      return refuse(error, "export HOUSEHOLD: say which household");
    g_autofree char *fallback = g_strconcat("vindu-", arg, ".tar", NULL);
    if (!hub_export_household(db, data_dir, arg, r->output ? r->output : fallback, error))
      return NULL;
    JsonObject *o = answer();
    json_object_set_string_member(o, "file", r->output ? r->output : fallback);
    return o;
  } else if (g_str_equal(r->command, "delete")) {
    if (!arg)
      return refuse(error, "delete HOUSEHOLD: say which household");
    if (!r->yes)
      return refuse(error, "delete removes everything of the household for good (export it "
                           "first if it is wanted): add --yes");
    if (!hub_household_delete(db, data_dir, arg, &files, error))
      return NULL;
    JsonObject *o = answer();
    json_object_set_int_member(o, "removed_files", files);
    return o;
  }
  JsonObject *o = answer();
  json_object_set_string_member(o, "file", arg);
  if (g_str_equal(r->command, "backup"))
    json_object_set_int_member(o, "files", files);
  return o;
}
