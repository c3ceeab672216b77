/* Settings of vindu-hub: a GKeyFile (--config) overridden by command-line flags.
 *
 *   [hub]   listen=127.0.0.1  port=8443  data_dir=…  web_root=…  public_url=https://…
 *           ring_timeout_s=60
 *           seen_interval_s=300   (how often connected kiosks' last seen is stored; for tests)
 *           call_resume_grace_s=90  (an answered call waits this long for a kiosk whose socket
 *           dropped, or after a restart for both sides; 0: such calls end at once)
 *   [tls]   cert=FILE  key=FILE   (default: DATA_DIR/tls/{cert,key}.pem, made on first run)
 *   [plugins] dir=…  (plugin manifests, docs/plugin-manifest.md)
 *   [limits] unauth_per_address=16  unauth_total=1024  (connections not signed in, see gate.h)
 *            pair_wait_s=600  (how long an unpaired kiosk may wait for an admin)
 *            max_connections=0  (0: the descriptor limit minus a reserve)
 *            person_messages_per_minute=30  household_messages_per_minute=120
 *            person_documents=300  household_documents=1000
 *            person_stored_mb=1024  household_stored_mb=4096  (quotas, see quota.h)
 *   [turn]  secret=…  urls=turn:host:3478?transport=udp;turns:host:5349  ttl_s=3600
 *           relay_only=false  (true: calls use the TURN relay only, never a direct path)
 *   [push]  ca_file=FILE  (trust these CAs for push services instead of the system's; tests)
 *           contact=mailto:…|https://…  (the VAPID subject; default the public URL)
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *listen;
  int port;
  char *data_dir;
  char *web_root;
  char *public_url;
  int ring_timeout_s;
  int seen_interval_s;
  int call_resume_grace_s;
  char *tls_cert;
  char *tls_key;
  char *turn_secret;
  char **turn_urls;
  int turn_ttl_s;
  gboolean turn_relay_only;
  char *plugins_dir; /* plugin manifests: DIR/<name>.json or DIR/<name>/manifest.json */
  int unauth_per_address;
  int unauth_total;
  int pair_wait_s;
  int max_connections;
  int person_messages_per_minute;
  int household_messages_per_minute;
  int person_documents;
  int household_documents;
  int person_stored_mb;
  int household_stored_mb;
  char *push_ca_file;
  char *push_contact;
} HubConfig;

HubConfig *hub_config_new_defaults(void);
/* Load FILE into `config` (only keys present are changed). */
gboolean hub_config_load_file(HubConfig *config, const char *path, GError **error);
/* Fill derived defaults (tls paths, public url) once everything is set. */
void hub_config_finish(HubConfig *config);
void hub_config_free(HubConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubConfig, hub_config_free)

G_END_DECLS
