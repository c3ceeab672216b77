#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/remote_picture.h"

void
vk_picture_watch_start(VkPictureWatch *w, gint64 now_ms)
{
  w->watching = TRUE;
  w->stopped = FALSE;
  w->last_frame_ms = now_ms;
}

void
vk_picture_watch_stop(VkPictureWatch *w)
{
  w->watching = FALSE;
  w->stopped = FALSE;
}

gboolean
vk_picture_watch_frame(VkPictureWatch *w, gint64 now_ms)
{
  w->last_frame_ms = now_ms;
  if (!w->watching || !w->stopped)
    return FALSE;
  w->stopped = FALSE;
  return TRUE;
}

gint64
vk_picture_watch_deadline(const VkPictureWatch *w)
{
  if (!w->watching || w->stopped)
    return 0;
  return w->last_frame_ms + VK_PICTURE_STOPPED_MS;
}

gboolean
vk_picture_watch_check(VkPictureWatch *w, gint64 now_ms)
{
  if (!w->watching || w->stopped)
    return FALSE;
  w->checks++;
  if (now_ms - w->last_frame_ms < VK_PICTURE_STOPPED_MS)
    return FALSE; /* a frame came since: the deadline moved on */
  w->stopped = TRUE;
  return TRUE;
}

const char *
vk_picture_watch_name(const VkPictureWatch *w)
{
  if (!w->watching)
    return "none";
  return w->stopped ? "stopped" : "live";
}
