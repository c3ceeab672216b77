/* Settings of vindu-hub: a GKeyFile (--config) overridden by command-line flags.
 *
 *   [hub]   listen=127.0.0.1  port=8443  data_dir=…  web_root=…  public_url=https://…
 *           ring_timeout_s=60
 *           seen_interval_s=300   (how often connected kiosks' last seen is stored; for tests)
 *   [tls]   cert=FILE  key=FILE   (default: DATA_DIR/tls/{cert,key}.pem, made on first run)
 *   [plugins] dir=…  (plugin manifests, docs/plugin-manifest.md)
 *   [turn]  secret=…  urls=turn:host:3478?transport=udp;turns:host:5349  ttl_s=3600
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
  char *tls_cert;
  char *tls_key;
  char *turn_secret;
  char **turn_urls;
  int turn_ttl_s;
  char *plugins_dir; /* plugin manifests: DIR/<name>.json or DIR/<name>/manifest.json */
} HubConfig;

HubConfig *hub_config_new_defaults(void);
/* Load FILE into `config` (only keys present are changed). */
gboolean hub_config_load_file(HubConfig *config, const char *path, GError **error);
/* Fill derived defaults (tls paths, public url) once everything is set. */
void hub_config_finish(HubConfig *config);
void hub_config_free(HubConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HubConfig, hub_config_free)

G_END_DECLS
