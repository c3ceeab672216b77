/* The resident's recorded voice reply: "Record a reply" on a message → the recording screen
 * ("Recording… 0:07", Stop and send, Cancel) → the finished recording goes to the outbox, and the
 * messages screen says what became of it. */
#pragma once

#include "kiosk/app.h"

G_BEGIN_DECLS

/* A reply may be this long; the recording stops and is sent by itself then. */
#define VK_VOICE_REPLY_MAX_MS (2 * 60 * 1000)

typedef struct VkVoiceReply {
  char *to_id;                      /* the person the reply is for */
  char *path;                       /* where it records; its outbox row is held meanwhile */
  struct VkVoiceRecorder *recorder; /* NULL when the microphone failed (or in the tour) */
  gboolean failed;                  /* the microphone did not work: say so, offer Back */
  gboolean stopping;                /* Stop and send touched; the file is being finished */
  guint fixed_ms;                   /* the tour: show this much time instead of the clock */
  guint tick_id;                    /* redraws the time while recording */
} VkVoiceReply;

/* "record-reply", "stop-send", "cancel-recording": TRUE if the action was one of these. */
gboolean vk_voice_reply_activate(VkApp *app, const char *action, const char *arg);
/* The screen changes away from the recording (a call comes in): what was said is kept and sent,
 * never thrown away. */
void vk_voice_reply_leave(VkApp *app);
guint vk_voice_reply_elapsed_ms(VkApp *app);
/* Can the current message be answered with a recording? (a person sent it) */
gboolean vk_voice_reply_possible(VkApp *app, const char *to_id);
/* A quick reply ("Thank you!") went to the outbox: say so, as for a voice reply, so that nobody
 * touches it again thinking nothing happened. */
void vk_voice_reply_quick_sent(VkApp *app, const char *to_id);
void vk_voice_reply_free(VkApp *app);

/* At start: a reply being recorded (or with nothing on disk) when the kiosk stopped was lost.
 * Says so on the messages screen and aloud, with the person's name. */
void vk_voice_reply_tell_lost(VkApp *app, const char *to_id);

G_END_DECLS
