/* The Vindu kiosk plugin ABI, version 1.
 *
 * A plugin is a shared object built against this header alone. It turns the household's plugin
 * documents (docs/protocol.md, "Plugin documents": reminders, memory book, activities), which
 * the kiosk receives from the hub, into things the kiosk shows the resident: items on the
 * "today" strip, and photos for the photo frame. A plugin does no I/O of its own and never
 * draws: the kiosk owns the screen, the network and the storage.
 *
 * Every plugin exports one function, vindu_plugin_v1(), returning a static VinduPlugin. The
 * kiosk refuses a plugin whose `abi` or `struct_size` differ from its own, with a clear
 * message, and goes on without it. All strings are UTF-8. All callbacks are called from the
 * kiosk's main thread only. */
#ifndef VINDU_PLUGIN_H
#define VINDU_PLUGIN_H

#ifdef __cplusplus
extern "C" {
#endif

#define VINDU_PLUGIN_ABI 1
#define VINDU_PLUGIN_ENTRY_SYMBOL "vindu_plugin_v1"

/* Something happening today, for the "today" strip and for speech. */
typedef struct VinduTodayItem {
  long long starts_at; /* seconds since 1970 (UTC) */
  const char *title;   /* plain words for the resident: "Time for your walk" */
  const char *kind;    /* "reminder", "activity", ... (for the icon) */
} VinduTodayItem;

/* A photo for the photo frame: a file of the hub, by content hash, with its caption. */
typedef struct VinduPhoto {
  const char *file;    /* 64 hex digits (SHA-256), as in docs/protocol.md */
  const char *caption; /* may be NULL */
  long long taken_at;  /* seconds since 1970, 0 if unknown; newer photos are shown more */
} VinduPhoto;

typedef void (*VinduTodayEmit)(void *ctx, const VinduTodayItem *item);
typedef void (*VinduPhotoEmit)(void *ctx, const VinduPhoto *photo);

typedef struct VinduPlugin {
  unsigned abi;              /* VINDU_PLUGIN_ABI */
  unsigned struct_size;      /* sizeof(VinduPlugin) as the plugin was built */
  const char *name;          /* "reminders" */
  const char *document_kind; /* the document kind it reads: "reminder", "memory", "activity" */

  /* Make the plugin's state. `language` is the household's ("nb", "nn", "sv", "en"). */
  void *(*open)(const char *language);
  void (*close)(void *self);

  /* A document was created or changed (`body_json` is its JSON object), or deleted
   * (`body_json` is NULL). Returns 0 when taken; non-zero when the body is not understood, in
   * which case the plugin keeps what it had before for that document. */
  int (*put_document)(void *self, const char *doc_id, const char *body_json);

  /* Emit every item that starts in [from, to). May be NULL. */
  void (*today)(void *self, long long from, long long to, VinduTodayEmit emit, void *ctx);

  /* Emit every photo for the photo frame. May be NULL. */
  void (*photos)(void *self, VinduPhotoEmit emit, void *ctx);
} VinduPlugin;

/* The one symbol a plugin exports (plugins may build with hidden visibility). */
#define VINDU_PLUGIN_EXPORT __attribute__((visibility("default")))
VINDU_PLUGIN_EXPORT const VinduPlugin *vindu_plugin_v1(void);

#ifdef __cplusplus
}
#endif

#endif
