/* Is the other person's picture still coming? In a connected call, a picture that has not
 * changed for VK_PICTURE_STOPPED_MS is taken as their camera turned off (a browser takes its
 * video track off the connection, a kiosk closes its camera valve): the last frame would stay on
 * screen and look like a live person who froze. The kiosk then shows their photo and a plain
 * sentence instead, and the next frame brings the picture back at once.
 *
 * Only what is known is said:
 * - The watch begins at the first frame. "Connected" comes with the first audio or RTCP, and a
 *   first key frame can come seconds later on a slow link; until then their photo is shown,
 *   which is true. Only if no frame has come VK_PICTURE_FIRST_MS after connecting is the camera
 *   taken as off (it was off when the call began), as a browser would say the same by then.
 * - While the connection is weak, a picture that stops is "paused" (the connection's doing),
 *   never "their camera is off". Once the link is good again, the picture has
 *   VK_PICTURE_STOPPED_MS more to come back before the camera is taken as off.
 *
 * The watch works on times it is given (tests drive it with a fake clock). It needs no timer
 * per frame: a frame only records its time, and one check at the deadline either finds a newer
 * frame and sets the next deadline, or finds the picture stopped. While frames flow that is one
 * wake-up every VK_PICTURE_STOPPED_MS, and none while the picture is stopped or paused by a weak
 * link. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* As long as the web app waits before it says the same of the kiosk's picture. */
#define VK_PICTURE_STOPPED_MS 2000
/* From connecting to the first frame: a first key frame over a poor link, with room to spare. */
#define VK_PICTURE_FIRST_MS 10000

typedef struct {
  gboolean watching; /* in a connected call */
  gboolean seen;     /* a frame has come in this connection */
  gboolean weak;     /* the connection is weak (the banner is up) */
  gboolean stopped;  /* their camera is off: no frame for the limit on a good link */
  gboolean paused;   /* no frame for the limit while the link was weak */
  gint64 since_ms;   /* the newest frame, or when watching began or the link recovered */
  guint checks;      /* deadline checks so far: tests show it is not one per frame */
} VkPictureWatch;

/* The call has connected: waiting for the first frame (VK_PICTURE_FIRST_MS). */
void vk_picture_watch_start(VkPictureWatch *w, gint64 now_ms);
/* Not in a connected call any more (ended, reconnecting): nothing to say about the picture. */
void vk_picture_watch_stop(VkPictureWatch *w);
/* A new frame of the other person was shown. TRUE if the picture was stopped or paused and is
 * live again (the screen must change now, not at the next check). */
gboolean vk_picture_watch_frame(VkPictureWatch *w, gint64 now_ms);
/* The connection became weak or good again (the deadline may move: ask for it again). What the
 * picture area says does not change by itself: a paused picture waits for a frame or its
 * deadline. */
void vk_picture_watch_weak(VkPictureWatch *w, gboolean weak, gint64 now_ms);
/* When vk_picture_watch_check() must run next (absolute ms); 0 when nothing is to be waited
 * for (not watching, stopped, or paused on a weak link: only a frame or the link changes that). */
gint64 vk_picture_watch_deadline(const VkPictureWatch *w);
/* The deadline has come: TRUE if the picture has just stopped or paused. */
gboolean vk_picture_watch_check(VkPictureWatch *w, gint64 now_ms);
/* "live", "waiting" (connected, no frame yet: their photo), "paused", "stopped", or "none"
 * outside a connected call (--control status). */
const char *vk_picture_watch_name(const VkPictureWatch *w);

G_END_DECLS
