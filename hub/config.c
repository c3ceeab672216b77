#define G_LOG_DOMAIN "vindu-hub"
#include "config.h"

#include "install_paths.h"

HubConfig *
hub_config_new_defaults(void)
{
  HubConfig *c = g_new0(HubConfig, 1);
  c->listen = g_strdup("127.0.0.1");
  c->port = 8443;
  c->data_dir = g_build_filename(g_get_user_data_dir(), "vindu-hub", NULL);
  c->web_root = g_strdup(vindu_path(VINDU_PATH_WEB_ROOT));
  c->plugins_dir = g_strdup(vindu_path(VINDU_PATH_PLUGIN_MANIFESTS));
  c->ring_timeout_s = 60;
  c->seen_interval_s = 300;
  c->call_resume_grace_s = 90;
  c->turn_ttl_s = 3600;
  c->unauth_per_address = 16;
  c->unauth_total = 1024;
  c->pair_wait_s = 600;
  c->person_messages_per_minute = 30;
  c->household_messages_per_minute = 120;
  c->person_documents = 300;
  c->household_documents = 1000;
  c->person_stored_mb = 1024;
  c->household_stored_mb = 4096;
  return c;
}

static void
take_string(GKeyFile *kf, const char *group, const char *key, char **slot)
{
  char *v = g_key_file_get_string(kf, group, key, NULL);
  if (v) {
    g_free(*slot);
    *slot = v;
  }
}

static gboolean
take_int(GKeyFile *kf, const char *group, const char *key, int *slot, GError **error)
{
  if (!g_key_file_has_key(kf, group, key, NULL))
    return TRUE;
  GError *local = NULL;
  int v = g_key_file_get_integer(kf, group, key, &local);
  if (local) {
    g_propagate_error(error, local);
    return FALSE;
  }
  *slot = v;
  return TRUE;
}

gboolean
hub_config_load_file(HubConfig *c, const char *path, GError **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new();
  if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, error))
    return FALSE;
  take_string(kf, "hub", "listen", &c->listen);
  take_string(kf, "hub", "data_dir", &c->data_dir);
  take_string(kf, "hub", "web_root", &c->web_root);
  take_string(kf, "hub", "public_url", &c->public_url);
  take_string(kf, "tls", "cert", &c->tls_cert);
  take_string(kf, "tls", "key", &c->tls_key);
  take_string(kf, "turn", "secret", &c->turn_secret);
  take_string(kf, "plugins", "dir", &c->plugins_dir);
  take_string(kf, "push", "ca_file", &c->push_ca_file);
  take_string(kf, "push", "contact", &c->push_contact);
  char **urls = g_key_file_get_string_list(kf, "turn", "urls", NULL, NULL);
  if (urls) {
    g_strfreev(c->turn_urls);
    c->turn_urls = urls;
  }
  if (g_key_file_has_key(kf, "turn", "relay_only", NULL)) {
    GError *local = NULL;
    c->turn_relay_only = g_key_file_get_boolean(kf, "turn", "relay_only", &local);
    if (local) {
      g_propagate_error(error, local);
      return FALSE;
    }
  }
  return take_int(kf, "hub", "port", &c->port, error) &&
         take_int(kf, "hub", "ring_timeout_s", &c->ring_timeout_s, error) &&
         take_int(kf, "hub", "seen_interval_s", &c->seen_interval_s, error) &&
         take_int(kf, "hub", "call_resume_grace_s", &c->call_resume_grace_s, error) &&
         take_int(kf, "turn", "ttl_s", &c->turn_ttl_s, error) &&
         take_int(kf, "limits", "unauth_per_address", &c->unauth_per_address, error) &&
         take_int(kf, "limits", "unauth_total", &c->unauth_total, error) &&
         take_int(kf, "limits", "pair_wait_s", &c->pair_wait_s, error) &&
         take_int(kf, "limits", "max_connections", &c->max_connections, error) &&
         take_int(kf, "limits", "person_messages_per_minute", &c->person_messages_per_minute,
                  error) &&
         take_int(kf, "limits", "household_messages_per_minute", &c->household_messages_per_minute,
                  error) &&
         take_int(kf, "limits", "person_documents", &c->person_documents, error) &&
         take_int(kf, "limits", "household_documents", &c->household_documents, error) &&
         take_int(kf, "limits", "person_stored_mb", &c->person_stored_mb, error) &&
         take_int(kf, "limits", "household_stored_mb", &c->household_stored_mb, error);
}

void
hub_config_finish(HubConfig *c)
{
  if (!c->tls_cert)
    c->tls_cert = g_build_filename(c->data_dir, "tls", "cert.pem", NULL);
  if (!c->tls_key)
    c->tls_key = g_build_filename(c->data_dir, "tls", "key.pem", NULL);
}

void
hub_config_free(HubConfig *c)
{
  if (!c)
    return;
  g_free(c->listen);
  g_free(c->data_dir);
  g_free(c->web_root);
  g_free(c->public_url);
  g_free(c->tls_cert);
  g_free(c->tls_key);
  g_free(c->turn_secret);
  g_free(c->push_ca_file);
  g_free(c->push_contact);
  g_strfreev(c->turn_urls);
  g_free(c->plugins_dir);
  g_free(c);
}
