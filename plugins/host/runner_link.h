/* One plugin's runner process, seen from the kiosk: started with one end of a socket pair,
 * sent requests one at a time, each under a deadline, and started again with backoff when it
 * crashes, hangs or ends. Everything happens on the GLib main loop; nothing here ever blocks. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct RunnerLink RunnerLink;

typedef enum {
  RUNNER_STARTING,   /* spawned, "open" in flight */
  RUNNER_RUNNING,    /* opened */
  RUNNER_RESTARTING, /* waiting out the backoff after a fault */
  RUNNER_REFUSED,    /* the plugin was refused: never started again */
  RUNNER_STOPPED,
} RunnerState;

typedef struct {
  /* The runner is ready: builds the "open" request's fields (context and storage). */
  void (*build_open)(RunnerLink *link, JsonBuilder *builder, gpointer data);
  /* "open" was answered: ok (hello has name, version, kinds...) or refused (its log line). */
  void (*opened)(RunnerLink *link, JsonObject *hello, gpointer data);
  void (*refused)(RunnerLink *link, const char *why, gpointer data);
  /* A service call from the plugin ({"svc":...}). */
  void (*service)(RunnerLink *link, JsonObject *msg, gpointer data);
  /* The runner crashed or hung ("crashed", "hung", "ended") while `request` was in flight (NULL
   * when none was). A restart is already scheduled. */
  void (*fault)(RunnerLink *link, const char *what, JsonObject *request, gpointer data);
  gpointer data;
} RunnerLinkEvents;

/* reply NULL: the runner went away before answering. */
typedef void (*RunnerReplyFn)(RunnerLink *link, JsonObject *reply, gpointer data);

typedef struct {
  const char *runner_path; /* vindu-plugin-runner */
  const char *plugin_path; /* the .so */
  guint memory_mb;         /* the runner's memory limit */
  guint deadline_ms;       /* for each request */
  guint open_deadline_ms;  /* for "open" (loading libraries takes longer) */
} RunnerLinkOptions;

RunnerLink *runner_link_new(const RunnerLinkOptions *options, const RunnerLinkEvents *events);
/* Stops the runner (if any) and frees; queued replies get NULL. */
void runner_link_free(RunnerLink *link);
void runner_link_start(RunnerLink *link);
RunnerState runner_link_state(RunnerLink *link);
const char *runner_link_plugin_path(RunnerLink *link);
/* The runner's process id, 0 when none runs (bench: its memory). */
int runner_link_pid(RunnerLink *link);
/* How many times it was started. */
guint runner_link_starts(RunnerLink *link);

/* The host refuses the plugin after all (another already reads its kind): stopped for good. */
void runner_link_refuse(RunnerLink *link);

/* Queues a request (`request` an object without "id"; taken). Sent when those before it were
 * answered; `done` gets the reply. Dropped with NULL if the runner is not running. */
void runner_link_request(RunnerLink *link, JsonNode *request, RunnerReplyFn done, gpointer data);
/* Sends a settings line now, ahead of queued requests ({"set":...}; taken). */
void runner_link_set(RunnerLink *link, JsonNode *settings);

G_END_DECLS
