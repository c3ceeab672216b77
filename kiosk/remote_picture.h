/* Is the other person's picture still coming? In a connected call, a picture that has not
 * changed for VK_PICTURE_STOPPED_MS is taken as their camera turned off (a browser takes its
 * video track off the connection, a kiosk closes its camera valve): the last frame would stay on
 * screen and look like a live person who froze. The kiosk then shows their photo and a plain
 * sentence instead, and the next frame brings the picture back at once.
 *
 * The watch works on times it is given (tests drive it with a fake clock). It needs no timer
 * per frame: a frame only records its time, and one check at the deadline either finds a newer
 * frame and sets the next deadline, or finds the picture stopped. While frames flow that is one
 * wake-up every VK_PICTURE_STOPPED_MS, and none while the picture is stopped. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* As long as the web app waits before it says the same of the kiosk's picture. */
#define VK_PICTURE_STOPPED_MS 2000

typedef struct {
  gboolean watching;    /* in a connected call */
  gboolean stopped;     /* no new frame for VK_PICTURE_STOPPED_MS */
  gint64 last_frame_ms; /* the newest frame, or when watching began */
  guint checks;         /* deadline checks so far: tests show it is not one per frame */
} VkPictureWatch;

/* The call has connected: no frame yet counts as a picture not (yet) coming. */
void vk_picture_watch_start(VkPictureWatch *w, gint64 now_ms);
/* Not in a connected call any more (ended, reconnecting): nothing to say about the picture. */
void vk_picture_watch_stop(VkPictureWatch *w);
/* A new frame of the other person was shown. TRUE if the picture was stopped and is live again
 * (the screen must change now, not at the next check). */
gboolean vk_picture_watch_frame(VkPictureWatch *w, gint64 now_ms);
/* When vk_picture_watch_check() must run next (absolute ms); 0 when nothing is to be waited
 * for (not watching, or already stopped: only a frame changes that). */
gint64 vk_picture_watch_deadline(const VkPictureWatch *w);
/* The deadline has come: TRUE if the picture has just stopped. */
gboolean vk_picture_watch_check(VkPictureWatch *w, gint64 now_ms);
/* "live", "stopped", or "none" outside a connected call (--control status). */
const char *vk_picture_watch_name(const VkPictureWatch *w);

G_END_DECLS
