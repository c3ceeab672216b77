/* The memory view's own state (kiosk/screens/memory_view.c): the memory-book page it shows. Why
 * it is declared here and not in kiosk/screens/: kiosk/screen_state/home.h. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char *path; /* the photo shown (a path of the frame's), NULL before one is opened */
} VkMemoryState;

/* The page of this photo is the one shown. */
static inline void
vk_memory_state_open(VkMemoryState *s, const char *path)
{
  char *copy = g_strdup(path); /* first: safe with s->path itself */
  g_free(s->path);
  s->path = copy;
}

/* The kiosk stops. */
static inline void
vk_memory_state_clear(VkMemoryState *s)
{
  g_clear_pointer(&s->path, g_free);
}

G_END_DECLS
