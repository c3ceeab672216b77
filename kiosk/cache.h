/* The kiosk's local cache (SQLite, WAL) in --data-dir: people, messages, photos, plugin
 * documents and the kiosk's own credentials, so everything but calling works offline.
 * A message is acknowledged to the hub only after vk_cache_store_message() returned. */
#pragma once

#include <glib.h>

#include "kiosk/model.h"

G_BEGIN_DECLS

typedef struct VkCache VkCache;

#define VK_CACHE_ERROR (vk_cache_error_quark())
GQuark vk_cache_error_quark(void);

/* Opens or creates DIR/kiosk.db (and DIR/files/). transfer full */
VkCache *vk_cache_open(const char *dir, GError **error);
void vk_cache_close(VkCache *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkCache, vk_cache_close)

/* Small settings and credentials: "kiosk", "secret", "household", "language", ... */
char *vk_cache_get(VkCache *c, const char *key); /* transfer full, NULL if unset */
gboolean vk_cache_set(VkCache *c, const char *key, const char *value, GError **error);
gint64 vk_cache_get_int(VkCache *c, const char *key, gint64 fallback);
gboolean vk_cache_set_int(VkCache *c, const char *key, gint64 value, GError **error);

/* Replaces the people on the home screen (in order). */
gboolean vk_cache_set_people(VkCache *c, GPtrArray *people /* VkPerson* */, GError **error);
gboolean vk_cache_set_presence(VkCache *c, const char *person_id, gboolean reachable,
                               GError **error);

/* Stores a message durably. *is_new is FALSE if it was already stored (same id): the caller
 * must not show it twice. The message's media path may be NULL until its file arrives. */
gboolean vk_cache_store_message(VkCache *c, const VkMessage *m, const char *file_hash,
                                gboolean *is_new, GError **error);
gboolean vk_cache_set_message_seen(VkCache *c, const char *id, GError **error);
gboolean vk_cache_set_message_media(VkCache *c, const char *id, const char *path, GError **error);
gboolean vk_cache_forget_file(VkCache *c, const char *path, GError **error);

/* Plugin documents (reminders, memory book, activities, check-ins). body is JSON text. */
gboolean vk_cache_put_doc(VkCache *c, const char *kind, const char *doc, gint64 rev,
                          const char *body, gboolean deleted, GError **error);
/* (kind, doc, body) triples of live documents of one kind (NULL: of every kind).
 * transfer full: char* in threes */
GPtrArray *vk_cache_docs(VkCache *c, const char *kind);
/* Every live document of every kind, in (kind, doc) order (the plugins' replay at start). */
typedef void (*VkCacheDocFn)(const char *kind, const char *doc, gint64 rev, const char *body,
                             gpointer data);
void vk_cache_each_doc(VkCache *c, VkCacheDocFn fn, gpointer data);

/* Messages whose photo or voice file has not arrived yet (the newest 50): (id, hash) pairs.
 * transfer full: char* in twos */
GPtrArray *vk_cache_messages_missing_files(VkCache *c);

/* Where a downloaded file with this hash lives (DIR/files/HASH). transfer full */
char *vk_cache_file_path(VkCache *c, const char *hash);

/* The outbox: what the resident sent (quick replies, voice notes) until the hub accepts it. */
typedef struct {
  char *client_msg_id; /* makes the post idempotent at the hub */
  char *to_id;
  char *kind; /* "text" or "voice" */
  char *text;
  char *path; /* voice: the recording, until the hub has it */
  guint duration_ms;
  char *file_hash; /* voice: set once the hub has the file */
  int held;        /* VK_OUTBOX_* : a voice reply not finished yet is kept, not sent */
} VkOutboxItem;
/* A voice reply's row exists from the moment recording starts, so a crash or power cut never
 * loses it without a word (kiosk/voice_salvage.c looks at held rows at start). */
enum { VK_OUTBOX_READY = 0, VK_OUTBOX_RECORDING = 1, VK_OUTBOX_STOPPED = 2 };
void vk_outbox_item_free(VkOutboxItem *it);
gboolean vk_cache_outbox_add(VkCache *c, const VkOutboxItem *it, GError **error);
/* Items not accepted and not refused, oldest first. transfer full: VkOutboxItem* */
GPtrArray *vk_cache_outbox_waiting(VkCache *c);
gboolean vk_cache_outbox_set_file(VkCache *c, const char *client_msg_id, const char *hash,
                                  GError **error);
/* The hub said no for good (code kept for the helpers); the item is not sent again. */
gboolean vk_cache_outbox_refuse(VkCache *c, const char *client_msg_id, const char *code,
                                GError **error);
guint vk_cache_outbox_refused_count(VkCache *c);
gboolean vk_cache_outbox_remove(VkCache *c, const char *client_msg_id, GError **error);
/* The voice reply recorded at path: held (recording or stopped) or ready with its length. */
gboolean vk_cache_outbox_hold(VkCache *c, const char *path, int held, guint duration_ms,
                              GError **error);
gboolean vk_cache_outbox_remove_path(VkCache *c, const char *path, GError **error);
/* Held voice replies, oldest first. transfer full: VkOutboxItem* */
GPtrArray *vk_cache_outbox_held(VkCache *c);
/* Whether any row (held, waiting or refused) keeps the file at path. */
gboolean vk_cache_outbox_keeps(VkCache *c, const char *path);
/* Plugins' answers to documents (plugin_reports.c), kept until the hub accepts them. */
typedef struct {
  char *answer; /* the idempotency key, made once */
  char *kind, *doc;
  gint64 rev;
  char *body; /* JSON object */
} VkAnswerItem;
void vk_answer_item_free(VkAnswerItem *it);
gboolean vk_cache_answer_add(VkCache *c, const VkAnswerItem *it, GError **error);
/* Answers neither accepted nor refused, oldest first. transfer full: VkAnswerItem* */
GPtrArray *vk_cache_answers_waiting(VkCache *c);
/* Accepted (refused_code NULL: forgotten) or refused for good (kept with its code). */
gboolean vk_cache_answer_done(VkCache *c, const char *answer, const char *refused_code,
                              GError **error);
/* The data directory (recordings waiting to be sent live under it). transfer none */
const char *vk_cache_dir(VkCache *c);

/* Fills the model from the cache: people, messages (newest first), photos, check-ins. */
gboolean vk_cache_load_model(VkCache *c, VkModel *m, GError **error);

G_END_DECLS
