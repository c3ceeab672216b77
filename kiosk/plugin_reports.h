/* What the kiosk tells the hub about its plugins: their answers to documents ("done", "I will
 * come"), durable and exactly once, and the inventory — which plugins run and which documents
 * are set aside (quarantined) because they brought their plugin down.
 *
 * Answers are kept in the kiosk's cache first (like the outbox's replies) and sent, oldest first
 * and one at a time, whenever the kiosk is signed in, until the hub accepts them. Each carries an
 * idempotency key made once, so a retry after a lost connection is stored only once at the hub.
 * The inventory is kept in memory and sent at every sign-in and whenever it changes. */
#pragma once

#include <glib.h>

#include "kiosk/app.h"
#include "protocol/protocol.h"

G_BEGIN_DECLS

/* Queues a plugin's answer to a document durably (kept in the kiosk's cache like the outbox) and
 * sends it whenever the kiosk is signed in, until the hub accepts it: exactly once.
 * body_json: a JSON object of at most 4096 bytes. FALSE with error when the answer is malformed
 * (G_IO_ERROR_INVALID_ARGUMENT), when 200 answers of its kind already wait for the hub
 * (G_IO_ERROR_NO_SPACE), or when it cannot be kept (no cache, disk full). */
gboolean vk_plugin_answer_queue(VkApp *app, const char *kind, const char *doc, gint64 rev,
                                const char *body_json, GError **error);

typedef struct {
  const char *name, *version, *state; /* state: "running" | "restarting" | "refused" */
  const char *const *kinds;           /* NULL-terminated */
} VkPluginStatus;
typedef struct {
  const char *plugin, *kind, *doc;
  gint64 rev;
  guint faults;
} VkQuarantined;
/* What runs and what is set aside; sent now if signed in and again at every sign-in. Copies. */
void vk_plugin_inventory_set(VkApp *app, const VkPluginStatus *plugins, guint n_plugins,
                             const VkQuarantined *quarantined, guint n_quarantined);

/* --- the hub client's side ---------------------------------------------------------------- */

/* Sends one frame now. transfer full */
typedef void (*VkReportSend)(gpointer data, VpMessage *m);
/* Signed in to household: send the inventory and the answers that wait. */
void vk_plugin_reports_online(VkApp *app, const char *household, VkReportSend send, gpointer data);
void vk_plugin_reports_offline(VkApp *app);
/* plugin.answer.accepted: the hub has stored it (or had it already). */
void vk_plugin_reports_accepted(VkApp *app, const char *answer);
/* An error answering request_id: TRUE if it answered one of ours. */
gboolean vk_plugin_reports_refused(VkApp *app, const char *request_id, const char *code);
/* The resident looked at the memory-book photo `file` (its hub hash): told to the hub as
 * memory.look, which keeps it only when the household shares looks (docs/protocol.md). At most
 * once per photo in ten minutes (leafing back and forth is one look); not kept while offline. */
void vk_memory_look_report(VkApp *app, const char *file);
/* Answers not yet accepted (nor refused for good). */
guint vk_plugin_answers_waiting(VkApp *app);
void vk_plugin_reports_free(VkApp *app);

G_END_DECLS
