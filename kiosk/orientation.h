/* Day, date and part of day in words, for the home screen: "Tuesday 24 November, morning". */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  VK_PART_NIGHT,
  VK_PART_MORNING,
  VK_PART_AFTERNOON,
  VK_PART_EVENING,
} VkPartOfDay;

VkPartOfDay vk_part_of_day(int hour);
/* transfer full; in the current language */
char *vk_orientation_text(gint64 unix_s);
/* "14:10"; transfer full */
char *vk_clock_text(gint64 unix_s);
/* "today at 14:10", "yesterday at 9:05", "Monday at 11:00"; transfer full */
char *vk_when_text(gint64 unix_s, gint64 now_s);

G_END_DECLS
