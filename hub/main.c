/* vindu-hub: the rendezvous server, and `vindu-hub admin …` on the same data directory. */
#define G_LOG_DOMAIN "vindu-hub"
#include "admin.h"
#include "call_survival.h"
#include "hub.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The command line of the server: each setting NULL (or -1) when not given. */
typedef struct {
  char *config_file, *listen, *data_dir, *web_root, *plugins_dir, *public_url;
  int port, ring_timeout;
  gboolean version;
} ServeOptions;

static void
serve_options_clear(ServeOptions *o)
{
  g_free(o->config_file);
  g_free(o->listen);
  g_free(o->data_dir);
  g_free(o->web_root);
  g_free(o->plugins_dir);
  g_free(o->public_url);
}

/* Parse the command line into `o`; FALSE after saying why. */
static gboolean
serve_options_parse(ServeOptions *o, int argc, char **argv)
{
  GOptionEntry entries[] = {
      {"config", 0, 0, G_OPTION_ARG_FILENAME, &o->config_file, "Key file with settings", "FILE"},
      {"listen", 0, 0, G_OPTION_ARG_STRING, &o->listen, "Address to listen on", "ADDR"},
      {"port", 0, 0, G_OPTION_ARG_INT, &o->port, "Port (0 picks a free one)", "N"},
      {"data-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->data_dir, "Data directory", "DIR"},
      {"web-root", 0, 0, G_OPTION_ARG_FILENAME, &o->web_root, "Web app directory", "DIR"},
      {"plugins-dir", 0, 0, G_OPTION_ARG_FILENAME, &o->plugins_dir, "Plugin manifests", "DIR"},
      {"public-url", 0, 0, G_OPTION_ARG_STRING, &o->public_url, "URL people open", "URL"},
      {"ring-timeout-s", 0, 0, G_OPTION_ARG_INT, &o->ring_timeout, "Seconds a call rings", "N"},
      {"version", 0, 0, G_OPTION_ARG_NONE, &o->version, "Print the version", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new("| admin COMMAND …");
  g_option_context_set_summary(ctx, "Vindu's rendezvous server (HTTPS + WSS on one origin).\n"
                                    "Run `vindu-hub admin --help` for the admin commands.");
  g_option_context_add_main_entries(ctx, entries, NULL);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
    fprintf(stderr, "vindu-hub: %s\n", error->message);
    return FALSE;
  }
  return TRUE;
}

/* The settings: the defaults, then the config file, then the command line. NULL after saying
 * why. (transfer full) */
static HubConfig *
serve_config(const ServeOptions *o)
{
  g_autoptr(HubConfig) config = hub_config_new_defaults();
  g_autoptr(GError) error = NULL;
  if (o->config_file && !hub_config_load_file(config, o->config_file, &error)) {
    fprintf(stderr, "vindu-hub: %s: %s\n", o->config_file, error->message);
    return NULL;
  }
#define OVERRIDE(field, value)                                                                     \
  if (value) {                                                                                     \
    g_free(config->field);                                                                         \
    config->field = g_strdup(value);                                                               \
  }
  OVERRIDE(listen, o->listen);
  OVERRIDE(data_dir, o->data_dir);
  OVERRIDE(web_root, o->web_root);
  OVERRIDE(plugins_dir, o->plugins_dir);
  OVERRIDE(public_url, o->public_url);
#undef OVERRIDE
  if (o->port >= 0)
    config->port = o->port;
  if (o->ring_timeout > 0)
    config->ring_timeout_s = o->ring_timeout;
  if (config->port < 0 || config->port > 65535 || config->ring_timeout_s < 1 ||
      config->seen_interval_s < 1) {
    fprintf(stderr, "vindu-hub: --port is 0-65535, --ring-timeout-s and seen_interval_s at "
                    "least 1\n");
    return NULL;
  }
  hub_config_finish(config);
  return g_steal_pointer(&config);
}

/* Open the database and run the server until it stops: the exit status. */
static int
serve_run(HubConfig *config)
{
  g_autoptr(GError) error = NULL;
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

static int
serve(int argc, char **argv)
{
  ServeOptions options = {.port = -1, .ring_timeout = -1};
  int status;
  if (!serve_options_parse(&options, argc, argv))
    status = 2;
  else if (options.version) {
    printf("vindu-hub %s\n", HUB_VERSION);
    status = 0;
  } else {
    g_autoptr(HubConfig) config = serve_config(&options);
    status = config ? serve_run(config) : 2;
  }
  serve_options_clear(&options);
  return status;
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
