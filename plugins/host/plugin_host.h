/* The kiosk's plugin host: one runner process per plugin (runner_link.h), the household's
 * plugin documents routed to the plugin that reads their kind and handed to it again whenever
 * its runner starts, documents that brought a runner down three times set aside (quarantine.h),
 * timers on the kiosk's one clock, each plugin's bounded storage, and the plugins' "today"
 * items and photos collected for the screen. Main thread only; nothing here waits on a plugin:
 * answers arrive later and `changed` says so. */
#pragma once

#include <json-glib/json-glib.h>

#include "quarantine.h"

G_BEGIN_DECLS

typedef struct {
  /* The kiosk's one clock, in ms since 1970. */
  gint64 (*now_ms)(gpointer data);
  /* Today items, photos, or which plugins run / are set aside changed: read them again. */
  void (*changed)(gpointer data);
  /* A plugin asked for a kiosk service: {"svc":"card"|"card_close"|"say"|"chime"|"answer"|
   * "call", ...} (plugin_wire.h). Already checked to be well formed. */
  void (*service)(gpointer data, const char *plugin, JsonObject *msg);
  gpointer data;
} VinduPluginHostHooks;

typedef struct {
  const char *runner_path; /* the vindu-plugin-runner program */
  const char *state_dir;   /* where quarantine and storage are kept; NULL: in memory only */
  guint memory_mb;         /* each runner's memory limit (0: none) */
  guint deadline_ms;       /* each call's deadline (0: 2000) */
} VinduPluginHostOptions;

typedef struct {
  char *plugin;
  char *id;
  gint64 starts_at;
  char *title;
  char *kind;
  char *action_id[2], *action_label[2]; /* NULL when fewer */
} VinduHostTodayItem;

typedef struct {
  char *plugin;
  char *file; /* 64 hex digits */
  char *caption, *chapter, *people, *added_by;
  char *voice_file; /* NULL, or 64 hex digits: the caption spoken */
  gint64 taken_at;
} VinduHostPhoto;

typedef struct {
  const char *name, *version, *description; /* NULL until it has said hello */
  const char *state;                        /* "starting" | "running" | "restarting" | "refused" */
  const char *const *kinds;                 /* NULL-terminated; empty until hello */
  const char *file;                         /* the .so */
  guint starts;                             /* how many times its runner was started */
  int pid;                                  /* 0 when none runs */
} VinduHostPluginInfo;

typedef struct _VinduPluginHost VinduPluginHost;

VinduPluginHost *vindu_plugin_host_new(const VinduPluginHostOptions *options,
                                       const VinduPluginHostHooks *hooks);
void vindu_plugin_host_free(VinduPluginHost *host);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VinduPluginHost, vindu_plugin_host_free)

/* Starts a runner for every *.so in `dir`, one after the other in name order (so that of two
 * plugins reading one kind, the first by name wins every time); returns how many files. */
guint vindu_plugin_host_load_dir(VinduPluginHost *host, const char *dir);

/* What runners see of the kiosk: language, quiet hours on, people ([{"id","name",
 * "relationship"}]); sent to every runner now and at each start. */
void vindu_plugin_host_set_context(VinduPluginHost *host, const char *language, gboolean quiet,
                                   JsonArray *people);
/* The kiosk's clock moved (tests): timers due run, runners learn the new time. */
void vindu_plugin_host_clock_changed(VinduPluginHost *host);

/* A document arrived (body_json NULL: deleted); kept and handed to its plugin, now and at
 * every start of its runner, unless it is set aside. FALSE if no plugin reads `kind`. */
gboolean vindu_plugin_host_put_document(VinduPluginHost *host, const char *kind, const char *doc,
                                        gint64 rev, const char *body_json);

/* Asks every plugin for its items in [from, to) and its photos; `changed` follows. */
void vindu_plugin_host_refresh(VinduPluginHost *host, gint64 from, gint64 to);
/* The items and photos from the last answers, soonest / newest first. transfer none */
GPtrArray *vindu_plugin_host_today(VinduPluginHost *host);
GPtrArray *vindu_plugin_host_photos(VinduPluginHost *host);

/* The resident touched an action of `plugin`'s item or card. */
void vindu_plugin_host_action(VinduPluginHost *host, const char *plugin, const char *item,
                              const char *action);
/* May `plugin` start a call now (the resident touched one of its actions just before)? */
gboolean vindu_plugin_host_may_call(VinduPluginHost *host, const char *plugin);

guint vindu_plugin_host_count(VinduPluginHost *host);
void vindu_plugin_host_info(VinduPluginHost *host, guint i, VinduHostPluginInfo *out);
/* transfer none */
VinduQuarantine *vindu_plugin_host_quarantine(VinduPluginHost *host);

G_END_DECLS
