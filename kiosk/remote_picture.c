#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/remote_picture.h"

void
vk_picture_watch_start(VkPictureWatch *w, gint64 now_ms)
{
  gboolean weak = w->weak; /* the link's state outlives a reconnection */
  guint checks = w->checks;
  *w = (VkPictureWatch){.watching = TRUE, .weak = weak, .since_ms = now_ms, .checks = checks};
}

void
vk_picture_watch_stop(VkPictureWatch *w)
{
  w->watching = w->seen = w->stopped = w->paused = FALSE;
}

gboolean
vk_picture_watch_frame(VkPictureWatch *w, gint64 now_ms)
{
  w->since_ms = now_ms;
  if (!w->watching)
    return FALSE;
  w->seen = TRUE;
  if (!w->stopped && !w->paused)
    return FALSE;
  w->stopped = w->paused = FALSE;
  return TRUE;
}

void
vk_picture_watch_weak(VkPictureWatch *w, gboolean weak, gint64 now_ms)
{
  if (w->weak == weak)
    return;
  w->weak = weak;
  if (!weak && w->paused)
    w->since_ms = now_ms; /* the link is back: the picture gets its time to come back too */
  /* nothing the screen says changes here: a paused picture stays paused until a frame or its
   * deadline */
}

static gint64
limit_ms(const VkPictureWatch *w)
{
  return w->seen ? VK_PICTURE_STOPPED_MS : VK_PICTURE_FIRST_MS;
}

gint64
vk_picture_watch_deadline(const VkPictureWatch *w)
{
  if (!w->watching || w->stopped || (w->paused && w->weak))
    return 0;
  return w->since_ms + limit_ms(w);
}

gboolean
vk_picture_watch_check(VkPictureWatch *w, gint64 now_ms)
{
  if (!vk_picture_watch_deadline(w))
    return FALSE;
  w->checks++;
  if (now_ms - w->since_ms < limit_ms(w))
    return FALSE; /* a frame came since: the deadline moved on */
  if (w->weak) {
    w->paused = TRUE; /* the connection's doing, not their camera */
    return TRUE;
  }
  w->paused = FALSE;
  w->stopped = TRUE;
  return TRUE;
}

const char *
vk_picture_watch_name(const VkPictureWatch *w)
{
  if (!w->watching)
    return "none";
  if (w->stopped)
    return "stopped";
  if (w->paused)
    return "paused";
  return w->seen ? "live" : "waiting";
}
