/* The photo frame's book: which photos the frame shows, in which order, and what is known of
 * each (caption, chapter, people, who added it). The memory book's pages lead, "on this day"
 * pages first on their day; photos received as messages follow. Two portrait photos stand side
 * by side on a landscape screen. One book per kiosk. */
#pragma once

#include "kiosk/app.h"

G_BEGIN_DECLS

typedef struct {
  char *path;       /* the file in the kiosk's cache */
  char *file;       /* its hub hash (64 hex), NULL for a photo received as a message */
  char *caption;    /* may be NULL: "Summer at the cabin, 1974" */
  char *chapter;    /* may be NULL: a chapter's key ("family") or a chapter of the family's own */
  char *people;     /* may be NULL: who is in it, in the family's words */
  char *added_by;   /* may be NULL: the person id of who added it */
  char *voice_path; /* may be NULL: the caption spoken, a file in the cache (once it is here) */
  gint64 taken_at;
} VkFramePhoto;

VkFramePhoto *vk_frame_photo_new(const char *path, const char *file);
void vk_frame_photo_free(VkFramePhoto *p);

/* The memory book's pages changed (`pages`: VkFramePhoto*, newest first, files present):
 * m->photos becomes the pages in showing order followed by the received photos. A page that
 * went leaves m->photos at once. transfer none */
void vk_frame_book_set_pages(VkApp *app, GPtrArray *pages);
/* What is known of a photo of the frame, or NULL (a received photo). transfer none */
const VkFramePhoto *vk_frame_book_page(const char *path);
/* Is this photo, shown the right way up, taller than wide? (read from its header once) */
gboolean vk_frame_book_portrait(const char *path);
/* The frame's slides: slide i shows *first and, when two portraits share a landscape screen,
 * *second (else NULL). Returns the number of slides (0: no photos). Only photos of the chosen
 * chapter when one is chosen. */
guint vk_frame_book_slide(VkApp *app, guint i, const char **first, const char **second);
/* The chapter the frame shows (NULL: all); chapters present in the book, sorted. */
const char *vk_frame_book_chapter(void);
void vk_frame_book_choose_chapter(const char *chapter);
GPtrArray *vk_frame_book_chapters(void); /* transfer container, char* transfer none */
/* A chapter in the household's words ("family" -> "Family"; one of their own as written). */
const char *vk_frame_book_chapter_words(const char *chapter);
/* The memory book's pages of a --fixture file's "memory" array ({"photo": file beside the
 * fixture, "caption", "chapter", "people", "added_by"}), for --describe and --screenshot. */
gboolean vk_frame_book_load_fixture(VkApp *app, const char *fixture, GError **error);
/* Forget everything (the kiosk quits). */
void vk_frame_book_clear(void);

G_END_DECLS
