/* The messages screen's own state (kiosk/screens/messages.c, and photo_view.c, which shows the
 * same message's photo): which message is shown, which was last read aloud, and the line that
 * says what became of the last reply (kept by kiosk/app/notice.c). Why it is declared here and
 * not in kiosk/screens/: kiosk/screen_state/home.h. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int index;       /* which message is shown, 0 = newest */
  int spoken;      /* the message last read aloud, -1 none */
  char *notice;    /* what became of the last reply, for a while; NULL: nothing to say */
  guint notice_id; /* the notice's end */
} VkMessagesState;

static inline void
vk_messages_state_init(VkMessagesState *s)
{
  *s = (VkMessagesState){.spoken = -1};
}

/* Opened afresh (not back from a reply or a photo): the newest message, read aloud again. */
static inline void
vk_messages_state_open(VkMessagesState *s)
{
  s->index = 0;
  s->spoken = -1;
}

/* Newer (by -1) or older (by 1), within the `count` messages there are. */
static inline void
vk_messages_state_step(VkMessagesState *s, int by, guint count)
{
  s->index = CLAMP(s->index + by, 0, MAX((int)count - 1, 0));
}

/* Message i is the one to show (the tour picks one of each kind). */
static inline void
vk_messages_state_show(VkMessagesState *s, int i)
{
  s->index = i;
}

/* Message i is on the screen: TRUE if it was not the one before, so it is read aloud (once). */
static inline gboolean
vk_messages_state_reached(VkMessagesState *s, int i)
{
  gboolean fresh = i != s->spoken;
  s->spoken = i;
  return fresh;
}

/* The notice's words (NULL: none) and the timeout that ends them (0: none); the old one's is
 * dropped. */
static inline void
vk_messages_state_set_notice(VkMessagesState *s, const char *text, guint end_id)
{
  g_free(s->notice);
  s->notice = g_strdup(text);
  g_clear_handle_id(&s->notice_id, g_source_remove);
  s->notice_id = end_id;
}

/* The notice's time is up (from its timeout, which ends). */
static inline void
vk_messages_state_notice_ended(VkMessagesState *s)
{
  s->notice_id = 0;
  g_clear_pointer(&s->notice, g_free);
}

/* The kiosk stops. */
static inline void
vk_messages_state_clear(VkMessagesState *s)
{
  vk_messages_state_set_notice(s, NULL, 0);
}

G_END_DECLS
