/* vindu-hub: the rendezvous server, and `vindu-hub admin …` on the same data directory. */
#define G_LOG_DOMAIN "vindu-hub"
#include "admin.h"
#include "call_survival.h"
#include "hub.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int
serve(int argc, char **argv)
{
  g_autofree char *config_file = NULL, *listen = NULL, *data_dir = NULL, *web_root = NULL,
                  *plugins_dir = NULL, *public_url = NULL;
  int port = -1, ring_timeout = -1;
  gboolean version = FALSE;
  GOptionEntry entries[] = {
      {"config", 0, 0, G_OPTION_ARG_FILENAME, &config_file, "Key file with settings", "FILE"},
      {"listen", 0, 0, G_OPTION_ARG_STRING, &listen, "Address to listen on", "ADDR"},
      {"port", 0, 0, G_OPTION_ARG_INT, &port, "Port (0 picks a free one)", "N"},
      {"data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Data directory", "DIR"},
      {"web-root", 0, 0, G_OPTION_ARG_FILENAME, &web_root, "Web app directory", "DIR"},
      {"plugins-dir", 0, 0, G_OPTION_ARG_FILENAME, &plugins_dir, "Plugin manifests", "DIR"},
      {"public-url", 0, 0, G_OPTION_ARG_STRING, &public_url, "URL people open", "URL"},
      {"ring-timeout-s", 0, 0, G_OPTION_ARG_INT, &ring_timeout, "Seconds a call rings", "N"},
      {"version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("| admin COMMAND …");
  g_option_context_set_summary(ctx, "Vindu's rendezvous server (HTTPS + WSS on one origin).\n"
                                    "Run `vindu-hub admin --help` for the admin commands.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    fprintf(stderr, "vindu-hub: %s\n", error->message);
    return 2;
  }
  if (version) {
    printf("vindu-hub %s\n", HUB_VERSION);
    return 0;
  }
  g_autoptr(HubConfig) config = hub_config_new_defaults();
  if (config_file && !hub_config_load_file(config, config_file, &error)) {
    fprintf(stderr, "vindu-hub: %s: %s\n", config_file, error->message);
    return 2;
  }
#define OVERRIDE(field, value)                                                                     \
  if (value) {                                                                                     \
    g_free(config->field);                                                                         \
    config->field = g_strdup(value);                                                               \
  }
  OVERRIDE(listen, listen);
  OVERRIDE(data_dir, data_dir);
  OVERRIDE(web_root, web_root);
  OVERRIDE(plugins_dir, plugins_dir);
  OVERRIDE(public_url, public_url);
#undef OVERRIDE
  if (port >= 0)
    config->port = port;
  if (ring_timeout > 0)
    config->ring_timeout_s = ring_timeout;
  if (config->port < 0 || config->port > 65535 || config->ring_timeout_s < 1 ||
      config->seen_interval_s < 1) {
    fprintf(stderr, "vindu-hub: --port is 0-65535, --ring-timeout-s and seen_interval_s at "
                    "least 1\n");
    return 2;
  }
  hub_config_finish(config);

  g_autoptr(HubDb) db = hub_db_open_server(config->data_dir, &error);
  if (!db) {
    fprintf(stderr, "vindu-hub: %s\n", error->message);
    return 1;
  }
  Hub *hub = hub_server_new(config, db, &error);
  if (hub) /* a bad manifest is logged and left out: the hub runs on without it */
    hub->manifests = hub_manifests_load_dir(config->plugins_dir);
  if (hub) /* calls answered before a restart go on; stale rows of the call log are closed */
    call_survival_restore(hub);
  if (!hub || !hub_server_start(hub, &error)) {
    fprintf(stderr, "vindu-hub: %s\n", error->message);
    if (hub)
      hub_manifests_free(hub->manifests);
    hub_server_free(hub);
    return 1;
  }
  hub_server_run(hub);
  HubManifests *manifests = hub->manifests;
  hub_server_free(hub);
  hub_manifests_free(manifests);
  hub_db_checkpoint(db);
  g_message("stopped");
  return 0;
}

int
main(int argc, char **argv)
{
  /* the database, files, keys and uploads are the household's: owner only (0600 / 0700) */
  umask(S_IRWXG | S_IRWXO);
  if (argc >= 2 && strcmp(argv[1], "admin") == 0)
    return hub_admin_main(argc - 2, argv + 2);
  return serve(argc, argv);
}
