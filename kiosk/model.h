/* The kiosk's local model: the people on the home screen, the messages, today's items.
 * Filled from the SQLite cache or, for tests and screenshots, from a JSON fixture; kept up to
 * date by the hub client, which tells the model's listeners (the app, the plugin glue) what
 * changed with vk_model_changed. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define VK_MAX_PEOPLE 6 /* UX.md: the home screen shows at most 6 people at once */
/* More than six are shown in pages; this many are kept at most (a household is a few people;
 * the bound keeps one bad household list from filling the cache). */
#define VK_MAX_PEOPLE_KEPT 60

typedef struct {
  char *id;
  char *name;
  char *relationship;
  char *short_name; /* what the family set for a name too long for a tile, or NULL */
  char *photo_path; /* absolute, or NULL: a calm initial is drawn instead */
  gboolean reachable;
  gboolean auto_answer;     /* the resident agreed (consent recorded on the hub) */
  gboolean may_auto_answer; /* holds the auto_answer right: helpers may record consent */
} VkPerson;

typedef enum {
  VK_MSG_TEXT,
  VK_MSG_PHOTO,
  VK_MSG_VOICE,
  VK_MSG_MISSED_CALL,
} VkMessageKind;

typedef struct {
  char *id;
  VkMessageKind kind;
  char *from_id;
  char *text;       /* text, or a photo caption; never logged */
  char *media_path; /* photo or voice file */
  gint64 sent_at;   /* unix seconds, by the hub's clock: shown, never used to order */
  gint64 seq;       /* the hub's delivery sequence (orders messages); 0 for the kiosk's own */
  gboolean seen;
} VkMessage;

typedef enum {
  VK_TODAY_VISIT,
  VK_TODAY_CALL,
  VK_TODAY_PLUGIN,
} VkTodayKind;

typedef struct {
  VkTodayKind kind;
  char *title; /* for plugin items: the sentence as the plugin gave it */
  char *who;   /* person id for visits and calls */
  gint64 at;   /* unix seconds */
  /* plugin items: whose item, its id, and up to two actions the resident can touch */
  char *plugin, *item_id;
  char *action_id[2], *action_label[2];
} VkTodayItem;

/* What changed, for the model's listeners (a bit set). */
typedef enum {
  VK_MODEL_PEOPLE = 1 << 0,       /* the household: people, other callers, resident, quiet hours */
  VK_MODEL_PRESENCE = 1 << 1,     /* someone's reachable flag */
  VK_MODEL_MESSAGES = 1 << 2,     /* a message was added */
  VK_MODEL_FILE_ARRIVED = 1 << 3, /* a photo or voice note is now on disk (media_path, photos) */
  VK_MODEL_DOCUMENTS = 1 << 4,    /* a document arrived (VkModel.document; check-ins reloaded) */
  VK_MODEL_CONNECTION = 1 << 5,   /* connected changed (vk_model_set_connected) */
} VkModelChange;

/* A document from the hub as it arrived; body_json NULL: deleted. */
typedef struct {
  const char *kind, *doc;
  gint64 rev;
  const char *body_json;
} VkModelDocument;

typedef struct VkModelListeners VkModelListeners;

typedef struct {
  GPtrArray *people;   /* VkPerson*, in home-screen order */
  GPtrArray *messages; /* VkMessage*, newest first */
  GPtrArray *today;    /* VkTodayItem*, soonest first */
  GPtrArray *photos;   /* char* paths for the photo frame */
  GPtrArray *others;   /* VkPerson*: callers not on the home screen (another kiosk, ...) */
  gboolean paired;
  /* Signed in to the hub now. FALSE without a hub, from start until the welcome and from the
   * moment the connection drops: then nobody is shown available and nobody can be called. */
  gboolean connected;
  char *pair_code;
  gint64 fixed_now;      /* unix seconds; 0 = the real clock (tests pin the clock) */
  gint64 clock_offset_s; /* tests (--control clock-advance): added to the real clock */
  gint64 checkins_due;   /* when the check-ins on the strip must be looked at again */
  gint64 checkins_at;    /* vk_model_now() when they were last loaded (a step back reloads) */
  char *language;        /* from the fixture, if any */
  char *resident;        /* the resident's name: whose consent the helpers' settings record */
  char *quiet_start, *quiet_end; /* "HH:MM", or both NULL: no quiet hours */
  /* a fixture's plugin card for the tour, per language ("nb" -> card as a plugin sends it),
   * and the plugin that sends it; NULL: the tour shows its own reminder card */
  JsonObject *fixture_cards;
  char *fixture_card_plugin;
  GHashTable *fixture_files; /* file hash -> path: the pictures of those cards (no cache) */
  /* the document arriving, only while VK_MODEL_DOCUMENTS listeners run from
   * vk_model_document_arrived; NULL otherwise */
  const VkModelDocument *document;
  VkModelListeners *listeners;
} VkModel;

VkModel *vk_model_new(void);
void vk_model_free(VkModel *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkModel, vk_model_free)

VkPerson *vk_person_new(const char *id, const char *name, const char *relationship);
void vk_person_free(VkPerson *p);
VkMessage *vk_message_new(const char *id, VkMessageKind kind, const char *from_id);
void vk_message_free(VkMessage *m);

/* Loads a JSON fixture (see tests/kiosk/fixtures/family.json). Relative media paths are
 * resolved against the fixture's folder. */
gboolean vk_model_load_fixture(VkModel *m, const char *path, GError **error);

/* transfer none; NULL if unknown */
VkPerson *vk_model_find_person(VkModel *m, const char *id);
/* Whether `a` goes above `b` (newest first): by the hub's delivery sequence when both have one,
 * since the hub's clock may step back; otherwise by sent_at, a tie going to `a` (the one added
 * later, so of two messages in the same second the later one opens first). */
gboolean vk_message_newer(const VkMessage *a, const VkMessage *b);
/* Inserts keeping newest-first order; returns FALSE if a message with that id exists. */
gboolean vk_model_add_message(VkModel *m, VkMessage *msg /* transfer full */);
guint vk_model_unseen_count(VkModel *m);
gint64 vk_model_now(VkModel *m);
/* The same clock in ms (the plugins' timers and the cards' countdowns run on it). */
gint64 vk_model_clock_ms(VkModel *m);

const char *vk_message_kind_name(VkMessageKind k);

/* Listeners: who changes the model calls vk_model_changed with what changed, and each listener
 * is called at once (synchronously), in the order they were registered, with those bits. All of
 * it on the UI thread (the GLib main loop's): the model has no lock. A listener may call
 * vk_model_unlisten (itself or another: one not yet called is then not called) and
 * vk_model_listen (the new one hears the next change, not this one) while it runs. */
typedef void (*VkModelListener)(VkModel *m, guint changes /* VkModelChange bits */, gpointer data);
/* Returns the listener's id (never 0). */
guint vk_model_listen(VkModel *m, VkModelListener fn, gpointer data);
void vk_model_unlisten(VkModel *m, guint id);
void vk_model_changed(VkModel *m, guint changes);
/* A document arrived: VK_MODEL_DOCUMENTS with m->document set to it while the listeners run. */
void vk_model_document_arrived(VkModel *m, const VkModelDocument *doc);
/* Signed in to the hub or not. Offline, nobody is reachable; VK_MODEL_CONNECTION when the flag
 * changes. */
void vk_model_set_connected(VkModel *m, gboolean connected);

G_END_DECLS
