/* The Vindu kiosk plugin ABI, version 2.
 *
 * A plugin is a shared object built against this header alone (pkg-config: vindu-plugin). It
 * reads the household's plugin documents of the kinds it names (a reminder, a memory-book
 * page, ...) and acts through the host services below: items on the "today" strip, photos for
 * the photo frame, full-screen cards, speech, timers, answers to the family. It never draws,
 * never opens a socket or a file of its own: the kiosk owns screen, network and storage.
 *
 * Isolation. The kiosk never runs plugin code in its own process. Each plugin runs in its own
 * runner process (vindu-plugin-runner) under a memory limit, without network, with every call
 * under a deadline. A plugin that crashes or hangs is restarted (its documents are handed to it
 * again); a document that brings it down three times is set aside until a new revision of it
 * arrives. See docs/plugins.md.
 *
 * Threading. Every callback is called on the runner's one thread, one at a time; host services
 * may be called from inside any callback (and only there: the runner has no thread of its own
 * to carry a call made from another thread). A callback should return within a second.
 *
 * Compatibility. The plugin exports one function, vindu_plugin_v2(), returning a pointer to a
 * const VinduPluginDescriptor that lives as long as the library. The host loads a plugin whose
 * abi_major equals its own and whose abi_minor and descriptor_size are not newer or larger than
 * its own; a smaller descriptor from an older minor is read with its missing tail as zero
 * (NULL callbacks). Fields are only ever added at the end, with a minor bump. The same holds,
 * the other way round, for the host table: check host->size before using a field that a later
 * minor added (VINDU_HOST_HAS).
 *
 * All strings are UTF-8 and are copied by the side that receives them. Times are seconds since
 * 1970 (UTC) on the kiosk's one clock (host->now): never call time() yourself. */
#ifndef VINDU_PLUGIN_H
#define VINDU_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VINDU_PLUGIN_ABI_MAJOR 2
/* 2.0: the descriptor ends after timer(). 2.1: action() (touch targets on strip items and
 * cards). 2.2: VinduPhoto.voice_file (read only from a plugin of 2.2 or later). */
#define VINDU_PLUGIN_ABI_MINOR 2
#define VINDU_PLUGIN_ENTRY_SYMBOL "vindu_plugin_v2"

/* --- what a plugin gives the host ------------------------------------------------------- */

/* An action the resident can take on a strip item or a card: a touch target. */
typedef struct VinduAction {
  const char *id;    /* the plugin's name for it, given back to action(): "done" */
  const char *label; /* the words on the button, in the household's language: "Done" */
} VinduAction;

#define VINDU_TODAY_MAX_ACTIONS 2

/* Something happening today, for the "today" strip. */
typedef struct VinduTodayItem {
  const char *id;      /* unique within the plugin, given back to action() */
  long long starts_at; /* when it happens */
  const char *title;   /* plain words for the resident: "Time for your walk" */
  const char *kind;    /* the document kind it comes from, for the icon: "reminder" */
  VinduAction actions[VINDU_TODAY_MAX_ACTIONS]; /* up to two; unused ones all NULL */
} VinduTodayItem;

/* A photo for the photo frame: a file of the hub, by content hash. */
typedef struct VinduPhoto {
  const char *file;     /* 64 hex digits (SHA-256), as in docs/protocol.md */
  const char *caption;  /* may be NULL: "Summer at the cabin, 1974" */
  const char *chapter;  /* may be NULL: a memory book's chapter, "The cabin" */
  const char *people;   /* may be NULL: person ids in the photo, comma-separated */
  const char *added_by; /* may be NULL: the person id of who added it */
  long long taken_at;   /* 0 if unknown; newer photos are shown first */
  /* ABI 2.2: may be NULL: 64 hex digits, a recording of the caption spoken, played when the
   * photo is touched (after the caption is read aloud) */
  const char *voice_file;
} VinduPhoto;

typedef void (*VinduTodayEmit)(void *ctx, const VinduTodayItem *item);
typedef void (*VinduPhotoEmit)(void *ctx, const VinduPhoto *photo);

/* --- cards ------------------------------------------------------------------------------- */

#define VINDU_CARD_MAX_BUTTONS 3

/* A full screen the kiosk builds from its own widgets, in its own theme and sizes. The host
 * refuses a card that breaks the resident's rules (no title, a title over 80 characters, a body
 * over 300, a button label over 24, a button without id or label) rather than shrink it: the
 * card would be unreadable. The host always adds its own "Close" target; touching it gives the
 * plugin the action "closed". A call always wins: a card due during a call waits until it ends.
 * One card at a time per kiosk, in the order they were asked for. */
typedef struct VinduCard {
  const char *id;    /* unique within the plugin, given back to action() */
  const char *title; /* "Time for your walk" (required) */
  const char *body;  /* may be NULL: one or two sentences */
  const char *photo; /* may be NULL: a hub file hash, shown whole */
  VinduAction buttons[VINDU_CARD_MAX_BUTTONS]; /* up to three; unused ones all NULL */
  int countdown_s; /* > 0: the card shows the seconds left and then closes with "timeout" */
} VinduCard;

/* --- the host table: the services the kiosk offers --------------------------------------- */

typedef enum {
  VINDU_LOG_DEBUG,
  VINDU_LOG_INFO,
  VINDU_LOG_WARNING,
} VinduLogLevel;

/* One person of the household (the people on the home screen). */
typedef struct VinduPerson {
  const char *id;           /* as in documents ("p_anna") */
  const char *name;         /* "Anna" */
  const char *relationship; /* "daughter", may be NULL */
} VinduPerson;

#define VINDU_STORAGE_MAX 65536 /* bytes of keys plus values, per plugin */

typedef struct VinduHost VinduHost;
struct VinduHost {
  /* sizeof(VinduHost) as the kiosk was built: check with VINDU_HOST_HAS before using a field
   * added by a later minor. */
  size_t size;
  /* The host's own pointer: pass `host` back as the first argument of every service. */
  void *host_data;

  /* Log a line to the kiosk's log under the plugin's name. Never log document words: they are
   * the family's. */
  void (*log)(const VinduHost *host, VinduLogLevel level, const char *message);
  /* The kiosk's one clock (seconds since 1970). Tests move it; so must everything a plugin
   * schedules. */
  long long (*now)(const VinduHost *host);
  /* The household's language: "nb", "nn", "sv" or "en". */
  const char *(*language)(const VinduHost *host);
  /* The household's people: fills up to max of `out`, returns how many there are. The strings
   * stay valid until the callback returns. */
  int (*people)(const VinduHost *host, VinduPerson *out, int max);
  /* Non-zero while the resident's quiet hours are on (speech and chime are silent then). */
  int (*quiet_hours)(const VinduHost *host);

  /* Ask for timer(self, timer_id) at second `at` on the kiosk's clock (at once if it has
   * passed). Setting a timer_id again moves it; at < 0 cancels it. Timers do not survive a
   * restart of the runner: open() and put_document() set them again. */
  void (*timer_at)(const VinduHost *host, unsigned timer_id, long long at);
  /* The plugin's strip items changed: the host asks today() again soon. */
  void (*today_changed)(const VinduHost *host);
  /* The plugin's photos changed: the host asks photos() again soon. */
  void (*photos_changed)(const VinduHost *host);

  /* Show a card (see VinduCard); returns 0 when queued, -1 when refused (logged). */
  int (*card_show)(const VinduHost *host, const VinduCard *card);
  /* Take a card away, shown or waiting, without an action. */
  void (*card_close)(const VinduHost *host, const char *card_id);

  /* Say text aloud in the household's language; silent in quiet hours and during a call. */
  void (*say)(const VinduHost *host, const char *text);
  /* A short, gentle chime; silent in quiet hours and during a call. */
  void (*chime)(const VinduHost *host);

  /* Small per-plugin storage kept by the kiosk across restarts: at most VINDU_STORAGE_MAX bytes
   * of keys plus values. storage_get returns a copy the plugin frees with free(), or NULL.
   * storage_set with value NULL deletes; returns 0, or -1 when over the bound (nothing changes). */
  char *(*storage_get)(const VinduHost *host, const char *key);
  int (*storage_set)(const VinduHost *host, const char *key, const char *value);

  /* An answer to a document, for the family: a JSON object of at most 4 KiB, kept by the kiosk
   * and delivered to the hub exactly once ("done", "accepted", ...). Returns 0, or -1 when the
   * body is not a JSON object or too large. */
  int (*answer)(const VinduHost *host, const char *kind, const char *doc_id, long long rev,
                const char *body_json);
  /* Start a call to a person of the household. Only honoured within a few seconds after the
   * resident touched one of this plugin's actions (a plugin never calls on its own); returns 0
   * when the call starts, -1 otherwise. */
  int (*call_person)(const VinduHost *host, const char *person_id);
};

/* Is `field` of the host table there (the kiosk's minor may be older than the plugin's)? */
#define VINDU_HOST_HAS(host, field)                                                                \
  ((host)->size >= offsetof(VinduHost, field) + sizeof((host)->field))

/* --- the descriptor ---------------------------------------------------------------------- */

typedef struct VinduPluginDescriptor {
  unsigned abi_major;       /* VINDU_PLUGIN_ABI_MAJOR */
  unsigned abi_minor;       /* VINDU_PLUGIN_ABI_MINOR */
  unsigned descriptor_size; /* sizeof(VinduPluginDescriptor) as the plugin was built */
  const char *name;         /* "reminders": [a-z][a-z0-9-]{0,31} */
  const char *version;      /* "2.0.0" */
  const char *description;  /* one line, for people who install it */
  const char *const *kinds; /* NULL-terminated document kinds it reads: {"reminder", NULL} */

  /* Make the plugin's state into *self; return 0, or non-zero to refuse to run (logged; the
   * plugin is not loaded). `host` lives until close(). */
  int (*open)(const VinduHost *host, void **self);
  void (*close)(void *self);

  /* A document of one of its kinds was created or changed (`body_json` is its JSON object), or
   * deleted (`body_json` NULL). Return 0 when taken; non-zero when the body is not understood,
   * and then keep what you had for that document. */
  int (*put_document)(void *self, const char *kind, const char *doc_id, long long rev,
                      const char *body_json);

  /* Emit every strip item that starts in [from, to). May be NULL. */
  void (*today)(void *self, long long from, long long to, VinduTodayEmit emit, void *ctx);
  /* Emit every photo for the photo frame. May be NULL. */
  void (*photos)(void *self, VinduPhotoEmit emit, void *ctx);
  /* A timer set with timer_at came due. May be NULL. */
  void (*timer)(void *self, unsigned timer_id);
  /* Since 2.1. The resident touched an action of a strip item or a card (`item_id` is its id), or a
   * card went: "closed" (its Close target) or "timeout" (its countdown ran out). May be NULL. */
  void (*action)(void *self, const char *item_id, const char *action_id);
} VinduPluginDescriptor;

/* The one symbol a plugin exports (plugins may build with hidden visibility). */
#define VINDU_PLUGIN_EXPORT __attribute__((visibility("default")))
VINDU_PLUGIN_EXPORT const VinduPluginDescriptor *vindu_plugin_v2(void);

#ifdef __cplusplus
}
#endif

#endif
