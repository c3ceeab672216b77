/* What the files of the kiosk application (kiosk/app/) share besides kiosk/app.h: the timers one
 * part arms for another. Not for anyone outside this folder. */
#pragma once

#include "kiosk/app.h"

/* call.c: the call state machine's next deadline, as the one call timer. */
void vk_app_schedule_call_timer(VkApp *app);
/* picture.c: the other person's picture is watched only in a connected call. */
void vk_app_follow_picture(VkApp *app);
/* idle.c: a touch or a new screen starts the idle time again (photo frame, night, home). */
void vk_app_reset_idle_timer(VkApp *app);
/* clock.c: the clock's next tick, at the next whole minute. */
void vk_app_arm_clock(VkApp *app);

/* The application's side of kiosk/app_port.h: what vk_app_show & co. forward to (app.c fills
 * the table in). screen.c: */
void vk_app_do_show(VkApp *app, VkScreenId screen);
void vk_app_do_redraw(VkApp *app);
/* call.c */
void vk_app_do_call_event(VkApp *app, CallEventId ev, const char *peer_id, gboolean auto_answer);
/* actions.c */
void vk_app_do_activate(VkApp *app, const char *action, const char *arg);
/* notice.c */
void vk_app_do_set_notice(VkApp *app, const char *text);
/* picture.c */
void vk_app_do_remote_frame(VkApp *app);
void vk_app_do_set_weak_connection(VkApp *app, gboolean weak);
