/* Helpers shared by the screens: the root panel, button sizes, titles, pills (the layout figures
 * are kiosk/geom.h's). */
#pragma once

#include "kiosk/app.h"
#include "kiosk/geom.h"
#include "kiosk/i18n.h"
#include "kiosk/ui/widget.h"

VkWidget *vk_screen_root(VkApp *app, const char *name);
/* A button wide enough for its text (at least min_w), t tall. */
int vk_button_width(VkApp *app, const char *text, int min_w);
/* A screen title's height: not a target, so only as tall as its words (at most a target's
 * side), which leaves a small screen room for the rows under it. */
int vk_title_height(VkApp *app);
/* A label whose words do not fit its box at their size (a small screen, where every size is at
 * least the body text's floor) takes the body size rather than cut words. */
void vk_fit_or_body(VkApp *app, VkWidget *label);
/* The height `text` takes wrapped to `width` in the body size. */
int vk_body_height(VkApp *app, const char *text, int width);
/* A rounded label that says what is live or what happened ("● Microphone on"), body text. */
VkWidget *vk_pill(VkApp *app, const char *name, const char *text, int x, int y, VkColor bg,
                  VkColor fg, VkRole role);
/* photo_view.c: the current message's photo full screen, its sender and words read aloud. */
void vk_photo_view_open(VkApp *app);
/* photo_frame_fade.c: around each redraw. A new slide fades in over old_root (still drawn, freed
 * by the caller); on the photo frame fade_draw draws the whole screen (TRUE) instead of the tree,
 * through its texture (FALSE: the caller draws the tree);
 * after the present, the next frame of the fade is asked for, and with --control the figures are
 * printed (due to on screen, the fade's frame times). */
void vk_photo_frame_fade_from(VkApp *app, VkWidget *old_root);
gboolean vk_photo_frame_fade_draw(VkApp *app);
void vk_photo_frame_presented(VkApp *app, gint64 draw_us);
/* photo_frame.c: the slide due waits for its photos (else a photo decoded ahead, for the next
 * slide, changes nothing on the screen and costs no redraw). */
gboolean vk_photo_frame_waiting(void);
/* photo_frame.c: forget the slide on the screen (the kiosk stops). */
void vk_photo_frame_forget(void);
/* home_people.c: the people's tiles in `area`, in pages when they do not all fit. */
void vk_home_people(VkApp *app, VkWidget *root, SDL_Rect area);
