/* Visits and agreed check-in calls said aloud: a quarter of an hour before Kari comes or Anna
 * calls, the kiosk says so once ("Kari is coming to visit at 11:00."), so a resident who does
 * not look at the strip is not surprised by the doorbell or the ring. Never in quiet hours, never
 * over a call (then it is said after the call, if still before the time), never for a plan that
 * is already past when the kiosk starts. */
#pragma once

#include "kiosk/app.h"

/* How long before a visit or a check-in call it is said. */
#define VK_PLAN_ANNOUNCE_LEAD_S (15 * 60)

/* The sentence to say for `it` at `now`, or NULL when it is not time (or not a visit or call).
 * Pure: `who_name` is the person's name as the kiosk shows it. transfer full */
char *vk_plan_announcement(const VkTodayItem *it, const char *who_name, gint64 now);
/* Says every plan that is due to be said and was not said yet (once per plan). Called on each
 * clock tick and when a call ends. */
void vk_plan_announce_tick(VkApp *app);
