#define G_LOG_DOMAIN "vindu-hub"
#include "admin.h"

#include "admin_data.h"
#include "protocol.h"
#include "config.h"
#include "directory.h"
#include "qr.h"

#include <stdio.h>
#include <string.h>

typedef struct {
  GHashTable *opts; /* "--name" -> value ("" for flags) */
  GPtrArray *words;
} Args;

static const char *const flag_options[] = {"--json", "--withdraw", "--none",
                                           "--help", "--yes",      NULL};

static gboolean
is_flag(const char *name)
{
  return g_strv_contains(flag_options, name);
}

static gboolean
args_parse(int argc, char **argv, Args *a, GError **error)
{
  a->opts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  a->words = g_ptr_array_new_with_free_func(g_free);
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    if (g_str_has_prefix(arg, "--")) {
      const char *eq = strchr(arg, '=');
      if (eq) {
        g_hash_table_replace(a->opts, g_strndup(arg, eq - arg), g_strdup(eq + 1));
      } else if (is_flag(arg)) {
        g_hash_table_replace(a->opts, g_strdup(arg), g_strdup(""));
      } else if (i + 1 < argc) {
        g_hash_table_replace(a->opts, g_strdup(arg), g_strdup(argv[++i]));
      } else {
        g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s needs a value", arg);
        return FALSE;
      }
    } else {
      g_ptr_array_add(a->words, g_strdup(arg));
    }
  }
  return TRUE;
}

static const char *
opt(Args *a, const char *name)
{
  return g_hash_table_lookup(a->opts, name);
}

static const char *
word(Args *a, guint i)
{
  return i < a->words->len ? a->words->pdata[i] : NULL;
}

static int
usage(void)
{
  fputs("usage: vindu-hub admin [--config FILE] --data-dir DIR [--public-url URL] COMMAND\n"
        "  household create --resident NAME [--language nb|nn|sv|en] [--json]\n"
        "  invite --household H --name NAME --relationship REL\n"
        "         --role family|volunteer|staff|coordinator --rights call,message,...\n"
        "         [--qr FILE.png] [--json]\n"
        "  join --household H --person P --relationship REL --role ROLE --rights LIST [--json]\n"
        "  address --household H (--address TEXT | --none) [--json]\n"
        "  list [--json]\n"
        "  set-rights --household H --person P --rights LIST [--json]\n"
        "  revoke --household H (--person P | --kiosk K) [--json]\n"
        "  pair --household H --code CODE [--json]\n"
        "  consent --household H --person P --agreed-by NAME [--withdraw] [--json]\n"
        "  quiet-hours --household H (--start HH:MM --end HH:MM | --none) [--json]\n"
        "  backup FILE [--json]           (while the hub runs)\n"
        "  restore FILE [--json]          (into a new or empty --data-dir, hub stopped)\n"
        "  export HOUSEHOLD [--output FILE] [--json]\n"
        "  delete HOUSEHOLD --yes [--json]\n"
        "rights: call auto_answer message reminders memory_book activities status\n"
        "        quiet_hours_exempt admin\n",
        stderr);
  return 2;
}

static void
print_json(JsonObject *o)
{
  g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), o);
  g_autofree char *s = vp_json_text(node, FALSE, NULL);
  printf("%s\n", s);
  fflush(stdout);
}

static int
fail_msg(gboolean json, const char *code, const char *message)
{
  if (json) {
    g_autoptr(JsonObject) o = json_object_new();
    json_object_set_boolean_member(o, "ok", FALSE);
    json_object_set_string_member(o, "code", code);
    json_object_set_string_member(o, "message", message);
    print_json(o);
  }
  fprintf(stderr, "vindu-hub admin: %s\n", message);
  return 1;
}

static int
fail_error(gboolean json, GError *error)
{
  const char *code = "internal";
  if (error->domain == HUB_DB_ERROR && error->code == HUB_DB_ERROR_NOT_FOUND)
    code = "not_found";
  else if (error->domain == HUB_DB_ERROR && error->code == HUB_DB_ERROR_BAD_FORMAT)
    code = "bad_format";
  else if (error->domain == HUB_DB_ERROR && error->code == HUB_DB_ERROR_CONFLICT)
    code = "conflict";
  return fail_msg(json, code, error->message);
}

static int
ok_simple(gboolean json, const char *text)
{
  if (json) {
    g_autoptr(JsonObject) o = json_object_new();
    json_object_set_boolean_member(o, "ok", TRUE);
    print_json(o);
  } else {
    printf("%s\n", text);
  }
  return 0;
}

static gboolean
is_clock(const char *s)
{
  return s && strlen(s) == 5 && g_ascii_isdigit(s[0]) && g_ascii_isdigit(s[1]) && s[2] == ':' &&
         g_ascii_isdigit(s[3]) && g_ascii_isdigit(s[4]) && (s[0] - '0') * 10 + (s[1] - '0') < 24 &&
         (s[3] - '0') * 10 + (s[4] - '0') < 60;
}

/* The answer of a data command (admin_data.h): JSON, or its fields as "key value" lines. */
static int
data_answer(gboolean json, JsonObject *answer, GError *error)
{
  if (!answer)
    return fail_error(json, error);
  if (json) {
    print_json(answer);
  } else {
    g_autoptr(GList) members = json_object_get_members(answer);
    for (GList *m = members; m; m = m->next) {
      JsonNode *value = json_object_get_member(answer, m->data);
      if (g_str_equal(m->data, "ok"))
        continue;
      if (json_node_get_value_type(value) == G_TYPE_STRING)
        printf("%s %s\n", (char *)m->data, json_node_get_string(value));
      else
        printf("%s %" G_GINT64_FORMAT "\n", (char *)m->data, json_node_get_int(value));
    }
  }
  json_object_unref(answer);
  return 0;
}

/* The public URL: --public-url, the config, or the one the running server wrote. */
static char *
public_url(Args *a, HubConfig *c)
{
  if (opt(a, "--public-url"))
    return g_strdup(opt(a, "--public-url"));
  if (c->public_url)
    return g_strdup(c->public_url);
  g_autofree char *path = g_build_filename(c->data_dir, "public_url", NULL);
  char *s = NULL;
  if (g_file_get_contents(path, &s, NULL, NULL))
    return g_strstrip(s);
  return g_strdup_printf("https://%s:%d", c->listen, c->port);
}

/* What every subcommand needs: the parsed arguments, the open database, the settings. */
typedef struct {
  Args *args;
  HubDb *db;
  HubConfig *config;
  gboolean json;
} AdminRun;

static int
admin_household_create(AdminRun *r)
{
  Args *a = r->args;
  gboolean json = r->json;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *resident = opt(a, "--resident");
  const char *language = opt(a, "--language") ? opt(a, "--language") : "nb";
  if (!resident || !*resident || g_utf8_strlen(resident, -1) > 64) {
    status = fail_msg(json, "missing_field", "--resident NAME is needed (at most 64 characters)");
    return status;
  }
  if (!hub_language_valid(language)) {
    status = fail_msg(json, "out_of_range", "--language is one of nb, nn, sv, en");
    return status;
  }
  g_autofree char *id = NULL, *code = NULL;
  if (!hub_household_create(r->db, resident, language, &id, &code, &error)) {
    status = fail_error(json, error);
    return status;
  }
  if (json) {
    g_autoptr(JsonObject) o = json_object_new();
    json_object_set_boolean_member(o, "ok", TRUE);
    json_object_set_string_member(o, "household", id);
    json_object_set_string_member(o, "provisioning_code", code);
    print_json(o);
  } else {
    printf("household %s\nkiosk provisioning code %s\n", id, code);
  }
  return status;
}

static int
admin_invite(AdminRun *r)
{
  Args *a = r->args;
  gboolean json = r->json;
  const char *household = opt(a, "--household");
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *name = opt(a, "--name"), *rel = opt(a, "--relationship"), *role = opt(a, "--role");
  guint rights = 0;
  if (!household || !name || !*name || !rel || !role) {
    status = fail_msg(json, "missing_field",
                      "--household, --name, --relationship and --role are needed");
    return status;
  }
  if (g_utf8_strlen(name, -1) > 64 || g_utf8_strlen(rel, -1) > 40) {
    status = fail_msg(json, "out_of_range", "the name or relationship is too long");
    return status;
  }
  if (!hub_role_valid(role)) {
    status = fail_msg(json, "out_of_range", "--role is family, volunteer, staff or coordinator");
    return status;
  }
  if (!hub_rights_parse(opt(a, "--rights"), &rights)) {
    status = fail_msg(json, "out_of_range", "--rights has an unknown right");
    return status;
  }
  g_autofree char *url = public_url(a, r->config);
  g_autofree char *pid = NULL, *link = NULL;
  gint64 expires = 0;
  if (!hub_invite_create(r->db, household, name, rel, role, rights, url, &pid, &link, &expires,
                         &error)) {
    status = fail_error(json, error);
    return status;
  }
  if (opt(a, "--qr") && !hub_qr_write_png(link, opt(a, "--qr"), &error)) {
    status = fail_error(json, error);
    return status;
  }
  if (json) {
    g_autoptr(JsonObject) o = json_object_new();
    json_object_set_boolean_member(o, "ok", TRUE);
    json_object_set_string_member(o, "person", pid);
    json_object_set_string_member(o, "link", link);
    json_object_set_string_member(o, "token", strstr(link, "#join=") + 6);
    json_object_set_int_member(o, "expires_at", expires);
    if (opt(a, "--qr"))
      json_object_set_string_member(o, "qr", opt(a, "--qr"));
    print_json(o);
  } else {
    printf("person %s\ninvite link %s\n", pid, link);
  }
  return status;
}

static int
admin_list(AdminRun *r)
{
  gboolean json = r->json;
  int status = 0;
  g_autoptr(JsonNode) node = hub_directory_list(r->db);
  if (json) {
    json_object_set_boolean_member(json_node_get_object(node), "ok", TRUE);
    g_autofree char *s = vp_json_text(node, FALSE, NULL);
    printf("%s\n", s);
  } else {
    JsonArray *hs = json_object_get_array_member(json_node_get_object(node), "households");
    for (guint i = 0; i < json_array_get_length(hs); i++) {
      JsonObject *h = json_array_get_object_element(hs, i);
      printf("%s  %s (%s)\n", json_object_get_string_member(h, "id"),
             json_object_get_string_member(h, "resident"),
             json_object_get_string_member(h, "language"));
      JsonArray *ks = json_object_get_array_member(h, "kiosks");
      for (guint k = 0; k < json_array_get_length(ks); k++)
        printf("    kiosk %s\n",
               json_object_get_string_member(json_array_get_object_element(ks, k), "id"));
      JsonArray *ps = json_object_get_array_member(h, "people");
      for (guint p = 0; p < json_array_get_length(ps); p++) {
        JsonObject *po = json_array_get_object_element(ps, p);
        g_autoptr(JsonNode) rn =
            json_node_init_array(json_node_alloc(), json_object_get_array_member(po, "rights"));
        g_autofree char *rs = json_to_string(rn, FALSE);
        printf("    %s  %s, %s (%s) %s\n", json_object_get_string_member(po, "id"),
               json_object_get_string_member(po, "name"),
               json_object_get_string_member(po, "relationship"),
               json_object_get_string_member(po, "role"), rs);
      }
    }
  }
  return status;
}

static int
admin_set_rights(AdminRun *r)
{
  Args *a = r->args;
  gboolean json = r->json;
  const char *household = opt(a, "--household");
  const char *person = opt(a, "--person");
  g_autoptr(GError) error = NULL;
  int status = 0;
  guint rights = 0;
  if (!household || !person || !opt(a, "--rights")) {
    status = fail_msg(json, "missing_field", "--household, --person and --rights are needed");
    return status;
  }
  if (!hub_rights_parse(opt(a, "--rights"), &rights)) {
    status = fail_msg(json, "out_of_range", "--rights has an unknown right");
    return status;
  }
  if (!hub_rights_set(r->db, household, person, rights, &error))
    status = fail_error(json, error);
  else
    status = ok_simple(json, "rights changed");
  return status;
}

/* Where the resident is picked up for activities. */
static int
admin_address(AdminRun *r)
{
  const char *household = opt(r->args, "--household"), *address = opt(r->args, "--address");
  gboolean none = opt(r->args, "--none") != NULL;
  g_autoptr(GError) error = NULL;
  if (!household || (!none && (!address || !*address)))
    return fail_msg(r->json, "missing_field", "--household and --address TEXT or --none");
  if (!none &&
      (!g_utf8_validate(address, -1, NULL) || g_utf8_strlen(address, -1) > HUB_ADDRESS_MAX))
    return fail_msg(r->json, "out_of_range", "the address is at most 120 characters");
  if (!hub_household_address_set(r->db, household, none ? NULL : address, &error))
    return fail_error(r->json, error);
  return ok_simple(r->json, none ? "address removed" : "address set");
}

/* An existing person in one more household (a coordinator serving several residents). */
static int
admin_join(AdminRun *r)
{
  Args *a = r->args;
  HubJoin j = {opt(a, "--household"), opt(a, "--person"), opt(a, "--relationship"),
               opt(a, "--role"), 0};
  g_autoptr(GError) error = NULL;
  if (!j.household || !j.person || !j.relationship || !j.role)
    return fail_msg(r->json, "missing_field",
                    "--household, --person, --relationship and --role are needed");
  if (g_utf8_strlen(j.relationship, -1) > 40)
    return fail_msg(r->json, "out_of_range", "the relationship is too long");
  if (!hub_role_valid(j.role))
    return fail_msg(r->json, "out_of_range", "--role is family, volunteer, staff or coordinator");
  if (!hub_rights_parse(opt(a, "--rights"), &j.rights))
    return fail_msg(r->json, "out_of_range", "--rights has an unknown right");
  if (!hub_membership_join(r->db, &j, &error))
    return fail_error(r->json, error);
  return ok_simple(r->json, "joined");
}

static int
admin_revoke(AdminRun *r)
{
  Args *a = r->args;
  gboolean json = r->json;
  const char *household = opt(a, "--household");
  const char *person = opt(a, "--person");
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *kiosk = opt(a, "--kiosk");
  if (!household || (!person && !kiosk)) {
    status = fail_msg(json, "missing_field", "--household and --person or --kiosk are needed");
    return status;
  }
  gboolean ok = person ? hub_person_revoke(r->db, household, person, &error)
                       : hub_kiosk_revoke(r->db, household, kiosk, &error);
  status = ok ? ok_simple(json, "revoked") : fail_error(json, error);
  return status;
}

static int
admin_pair(AdminRun *r)
{
  Args *a = r->args;
  gboolean json = r->json;
  const char *household = opt(a, "--household");
  g_autoptr(GError) error = NULL;
  int status = 0;
  if (!household || !opt(a, "--code")) {
    status = fail_msg(json, "missing_field", "--household and --code are needed");
    return status;
  }
  if (!hub_pairing_bind_and_wait(r->db, household, opt(a, "--code"), "admin", 10000, &error))
    status = fail_error(json, error);
  else
    status = ok_simple(json, "paired: the kiosk receives its secret now");
  return status;
}

static int
admin_consent(AdminRun *r)
{
  Args *a = r->args;
  gboolean json = r->json;
  const char *household = opt(a, "--household");
  const char *person = opt(a, "--person");
  g_autoptr(GError) error = NULL;
  int status = 0;
  gboolean withdraw = opt(a, "--withdraw") != NULL;
  const char *agreed_by = opt(a, "--agreed-by");
  if (!household || !person || (!withdraw && (!agreed_by || !*agreed_by))) {
    status = fail_msg(json, "missing_field", "--household, --person and --agreed-by are needed");
    return status;
  }
  if (!hub_consent_record(r->db, household, person, agreed_by ? agreed_by : "", "admin", withdraw,
                          &error))
    status = fail_error(json, error);
  else
    status = ok_simple(json, withdraw ? "consent withdrawn" : "consent recorded");
  return status;
}

static int
admin_quiet_hours(AdminRun *r)
{
  Args *a = r->args;
  gboolean json = r->json;
  const char *household = opt(a, "--household");
  g_autoptr(GError) error = NULL;
  int status = 0;
  gboolean none = opt(a, "--none") != NULL;
  const char *start = opt(a, "--start"), *end = opt(a, "--end");
  if (!household || (!none && (!is_clock(start) || !is_clock(end)))) {
    status = fail_msg(json, "bad_format", "--household and --start HH:MM --end HH:MM or --none");
    return status;
  }
  if (!hub_quiet_hours_set(r->db, household, none ? NULL : start, none ? NULL : end, &error))
    status = fail_error(json, error);
  else
    status = ok_simple(json, "quiet hours set");
  return status;
}

/* The subcommands that work on an open database: name, second word (or NULL), action. */
// clang-format off
static const struct {
  const char *name;
  const char *second;
  int (*run)(AdminRun *r);
} admin_actions[] = {
  {"household", "create", admin_household_create},
  {"invite", NULL, admin_invite},
  {"list", NULL, admin_list},
  {"set-rights", NULL, admin_set_rights},
  {"revoke", NULL, admin_revoke},
  {"pair", NULL, admin_pair},
  {"consent", NULL, admin_consent},
  {"quiet-hours", NULL, admin_quiet_hours},
  {"join", NULL, admin_join},
  {"address", NULL, admin_address},
};
// clang-format on

int
hub_admin_main(int argc, char **argv)
{
  Args a = {0};
  g_autoptr(GError) error = NULL;
  if (!args_parse(argc, argv, &a, &error)) {
    fprintf(stderr, "vindu-hub admin: %s\n", error->message);
    return usage();
  }
  int status = 0;
  gboolean json = opt(&a, "--json") != NULL;
  g_autoptr(HubConfig) config = hub_config_new_defaults();
  g_autoptr(HubDb) db = NULL;
  const char *cmd = word(&a, 0);
  if (!cmd || opt(&a, "--help")) {
    status = usage();
    goto out;
  }
  if (opt(&a, "--config") && !hub_config_load_file(config, opt(&a, "--config"), &error)) {
    status = fail_error(json, error);
    goto out;
  }
  if (opt(&a, "--data-dir")) {
    g_free(config->data_dir);
    config->data_dir = g_strdup(opt(&a, "--data-dir"));
  }
  HubAdminDataRequest data = {cmd, word(&a, 1), opt(&a, "--output"), opt(&a, "--yes") != NULL};
  if (g_str_equal(cmd, "restore")) { /* fills an empty data directory: no database to open */
    JsonObject *answer = hub_admin_data_run(NULL, config->data_dir, &data, &error);
    status = data_answer(json, answer, error);
    goto out;
  }
  db = hub_db_open(config->data_dir, &error);
  if (!db) {
    status = fail_error(json, error);
    goto out;
  }
  AdminRun run = {&a, db, config, json};
  int (*action)(AdminRun *) = NULL;
  for (guint i = 0; i < G_N_ELEMENTS(admin_actions) && !action; i++)
    if (g_str_equal(cmd, admin_actions[i].name) &&
        (!admin_actions[i].second || g_strcmp0(word(&a, 1), admin_actions[i].second) == 0))
      action = admin_actions[i].run;
  if (action) {
    status = action(&run);
  } else if (hub_admin_data_is_command(cmd)) {
    JsonObject *answer = hub_admin_data_run(db, config->data_dir, &data, &error);
    status = data_answer(json, answer, error);
  } else {
    status = usage();
  }
out:
  fflush(stdout);
  g_hash_table_destroy(a.opts);
  g_ptr_array_free(a.words, TRUE);
  return status;
}
