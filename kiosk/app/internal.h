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
