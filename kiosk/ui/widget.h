/* The retained widget tree: screens build it once per state change; render.c draws it,
 * describe.c reports it, input hits it. Rectangles are px, computed from mm by the screens. */
#pragma once

#include <SDL.h>
#include <glib.h>

#include "kiosk/ui/layout_mm.h"
#include "kiosk/ui/theme.h"

G_BEGIN_DECLS

typedef enum {
  VK_ROLE_PANEL,     /* a plain coloured area */
  VK_ROLE_LABEL,     /* text */
  VK_ROLE_BUTTON,    /* a target with text */
  VK_ROLE_TILE,      /* a person: photo, name, relationship, reachable; a target */
  VK_ROLE_IMAGE,     /* a photo (cover-cropped) or an initial when there is no photo */
  VK_ROLE_VIDEO,     /* a decoded video stream */
  VK_ROLE_QR,        /* a QR code for pairing */
  VK_ROLE_INDICATOR, /* camera / microphone live, "available" */
  VK_ROLE_BANNER,    /* "the connection is weak" */
  VK_ROLE_SELF_VIEW, /* our own camera, small; or its text when the camera is off */
} VkRole;

typedef enum {
  VK_ALIGN_LEFT,
  VK_ALIGN_CENTER,
  VK_ALIGN_RIGHT,
} VkAlign;

typedef enum {
  VK_TEXT_BODY,
  VK_TEXT_NAME,
  VK_TEXT_TITLE,
  VK_TEXT_CLOCK,
} VkTextKind;

typedef struct VkWidget VkWidget;
struct VkWidget {
  VkRole role;
  char *name; /* stable id for tests and input: "tile:anna", "answer" */
  char *text;
  SDL_Rect rect;
  int font_px; /* 0: no text */
  gboolean bold;
  VkTextKind text_kind;
  VkAlign align;
  gboolean wrap;
  gboolean whole; /* an image drawn whole (letterboxed on bg), never cropped to fill */
  gboolean cut;   /* the text was shortened with "…" to fit: it does not fit (describe says so) */
  VkColor fg, bg;
  gboolean fill; /* draw bg; else the parent's colour shows through */
  int radius;    /* px */
  gboolean target;
  gboolean goes_home;
  char *action; /* what a touch does: "call", "answer", "home", ... */
  char *arg;    /* e.g. the person id */
  char *image_path;
  char *initial;         /* drawn when the photo is missing */
  gboolean loaded_apart; /* the photo comes from ui->photos (decoded off the UI thread) only */
  int video_slot;        /* 0 remote, 1 self */
  VkWidget *parent;
  GPtrArray *children; /* VkWidget*, drawn in order */
  /* render cache, owned by the widget */
  SDL_Texture *text_tex;
  int text_w, text_h;
};

VkWidget *vk_widget_new(VkRole role, const char *name, SDL_Rect rect);
void vk_widget_free(VkWidget *w);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VkWidget, vk_widget_free)
/* transfer full of child; returns child */
VkWidget *vk_widget_add(VkWidget *parent, VkWidget *child);
void vk_widget_set_text(VkWidget *w, const char *text);
void vk_widget_set_action(VkWidget *w, const char *action, const char *arg);
/* The colour behind w: its own fill, else the nearest filled ancestor's. */
VkColor vk_widget_effective_bg(const VkWidget *w);
/* The deepest target under (x, y), or NULL. transfer none */
VkWidget *vk_widget_hit(VkWidget *root, int x, int y);
/* Targets in reading order (top to bottom, left to right). transfer container */
GPtrArray *vk_widget_targets(VkWidget *root);
/* transfer none */
VkWidget *vk_widget_find(VkWidget *root, const char *name);
void vk_widget_foreach(VkWidget *root, void (*fn)(VkWidget *w, gpointer data), gpointer data);

/* Shared by the constructors: the UI context (renderer may be NULL when only measuring). */
typedef struct {
  SDL_Renderer *renderer;
  VkTheme *theme;
  VkLayout layout;
  GHashTable *fonts;         /* "path:px" -> TTF_Font* */
  GHashTable *images;        /* path -> SDL_Texture* */
  SDL_Texture *video_tex[2]; /* latest decoded frame per slot (IYUV), or NULL */
  int video_w[2], video_h[2];
  struct VkPhotoLoader *photos; /* the frame's photos, decoded off this thread (photo_loader.h) */
} VkUi;

VkUi *vk_ui_new(SDL_Renderer *r, VkTheme *theme /* transfer none */, VkLayout layout);
void vk_ui_free(VkUi *ui);
/* Drops every cached texture (the renderer is about to go away or the theme changed). */
void vk_ui_flush_textures(VkUi *ui);
int vk_ui_mm(VkUi *ui, double mm);
int vk_ui_font_px(VkUi *ui, VkTextKind kind);

/* Text: measure with the real font. Returns FALSE if the font cannot be opened. */
gboolean vk_text_measure(VkUi *ui, const char *text, int px, gboolean bold, int wrap_w, int *w,
                         int *h);
/* Shortens a one-line label's text with "…" until it fits its width. */
void vk_text_ellipsize(VkUi *ui, VkWidget *w);
/* Does the widget's text fit its rectangle (after wrapping, if it wraps)? */
gboolean vk_text_fits(VkUi *ui, VkWidget *w);

/* Constructors (label.c, button.c, tile.c, image.c, video_view.c). All return transfer full. */
VkWidget *vk_label_new(VkUi *ui, const char *name, const char *text, VkTextKind kind, SDL_Rect rect,
                       VkColor fg);
VkWidget *vk_button_new(VkUi *ui, const char *name, const char *text, SDL_Rect rect, VkColor bg,
                        VkColor fg, const char *action, const char *arg);
/* A person's tile (tile.c). */
typedef struct {
  const char *id, *name, *short_name, *relationship, *photo_path;
  gboolean reachable;
} VkPersonTile;
typedef struct {
  int name_px, name_h, rel_h, pill_h, height;
} VkTileBand;
/* What a tile w px wide needs under its photo: the name whole (≤ 2 lines, the name size down to
 * its floor), the relationship if show_rel and it fits whole in 2 lines (else left out), a row
 * for "Available". Returns the height, or -1 when the name cannot be shown whole. */
int vk_tile_band(VkUi *ui, const char *name, const char *relationship, int w, gboolean show_rel,
                 VkTileBand *out);
/* band_h: the height under the photo, the same on every tile of a screen so faces line up. */
VkWidget *vk_tile_new(VkUi *ui, const VkPersonTile *person, SDL_Rect rect, int band_h,
                      gboolean show_rel);
VkWidget *vk_image_new(VkUi *ui, const char *name, const char *path, const char *fallback_text,
                       SDL_Rect rect);
VkWidget *vk_qr_new(VkUi *ui, const char *name, const char *data, SDL_Rect rect);
VkWidget *vk_video_view_new(VkUi *ui, const char *name, int slot, SDL_Rect rect);
/* The resident's own camera (video slot 1), role "self-view"; with camera_off_text, that text
 * on a calm background instead of the picture. */
VkWidget *vk_self_view_new(VkUi *ui, SDL_Rect rect, const char *camera_off_text);
VkWidget *vk_panel_new(const char *name, SDL_Rect rect, VkColor bg, int radius);

const char *vk_role_name(VkRole r);

G_END_DECLS
