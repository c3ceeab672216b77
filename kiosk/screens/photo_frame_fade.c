/* The photo frame's crossfade and its figures, around each redraw (common.h). The frame is drawn
 * through its texture (kiosk/ui/crossfade.h); the fade runs at the display's pace (a frame every
 * 16 ms) for VK_CROSSFADE_MS; between fades the frame draws nothing until its next photo is
 * due, so it costs no CPU. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/screens/common.h"
#include "kiosk/ui/photo_loader.h"

#include <stdio.h>

#define FRAME_MS 16 /* 60 Hz */

void
vk_photo_frame_fade_from(VkApp *app, VkWidget *old_root)
{
  VkFrameState *f = &app->frame;
  gboolean fade = f->fade_due;
  f->fade_due = FALSE;
  if (app->screen != VK_SCREEN_PHOTO_FRAME) {
    vk_crossfade_stop(&f->fade); /* another screen comes at once */
    return;
  }
  if (!fade || !old_root || g_strcmp0(old_root->name, "photo-frame") != 0) {
    vk_crossfade_changed(&f->fade); /* the same slide built again: drawn again */
    return;
  }
  if (vk_crossfade_begin(&f->fade, app->ui, old_root) && app->opts->control) {
    if (!f->fade_frames_us)
      f->fade_frames_us = g_array_new(FALSE, FALSE, sizeof(gint64));
    g_array_set_size(f->fade_frames_us, 0);
  }
}

static gboolean
fade_tick(gpointer data)
{
  VkApp *app = data;
  app->frame.fade_timer = 0;
  vk_app_redraw(app);
  return G_SOURCE_REMOVE;
}

/* The fade is over: its frames' draw times, for the bench (--control only). */
static void
report_fade_frames(VkFrameState *f)
{
  if (!f->fade_frames_us || !f->fade_frames_us->len)
    return;
  GString *s = g_string_new("vindu-kiosk: frame fade frames_us=");
  for (guint i = 0; i < f->fade_frames_us->len; i++)
    g_string_append_printf(s, "%s%" G_GINT64_FORMAT, i ? "," : "",
                           g_array_index(f->fade_frames_us, gint64, i));
  printf("%s\n", s->str);
  fflush(stdout);
  g_string_free(s, TRUE);
  g_array_set_size(f->fade_frames_us, 0);
}

gboolean
vk_photo_frame_fade_draw(VkApp *app)
{
  VkFrameState *f = &app->frame;
  if (app->screen != VK_SCREEN_PHOTO_FRAME)
    return FALSE;
  gboolean fading = vk_crossfade_running(&f->fade);
  if (app->focus && !fading)
    return FALSE; /* the caller draws the tree with its focus ring (keys, one button) */
  gboolean moving = vk_crossfade_moving(&f->fade);
  if (!vk_crossfade_draw(&f->fade, app->ui, app->root, g_get_monotonic_time()))
    return FALSE;
  f->fade_preparing = fading && !moving;
  if (fading && !vk_crossfade_running(&f->fade))
    report_fade_frames(f);
  return TRUE;
}

void
vk_photo_frame_presented(VkApp *app, gint64 draw_us)
{
  VkFrameState *f = &app->frame;
  if (vk_crossfade_running(&f->fade)) {
    if (f->fade_preparing && app->opts->control) {
      printf("vindu-kiosk: frame slide=%d prepare_ms=%.1f\n", f->photo_index, draw_us / 1000.0);
      fflush(stdout);
    } else if (f->fade_frames_us) {
      g_array_append_val(f->fade_frames_us, draw_us);
    }
    if (!f->fade_timer)
      f->fade_timer = g_timeout_add(FRAME_MS, fade_tick, app);
  }
  if (f->fade_preparing) { /* the new slide shows from the next frame */
    f->fade_preparing = FALSE;
    return;
  }
  if (f->slide_arrived) {
    f->slide_arrived = FALSE;
    if (app->opts->control && f->slide_due_us) {
      printf("vindu-kiosk: frame slide=%d on_screen_ms=%.1f held=%u\n", f->photo_index,
             (g_get_monotonic_time() - f->slide_due_us) / 1000.0,
             vk_photo_loader_held(app->ui->photos));
      fflush(stdout);
    }
  }
}
