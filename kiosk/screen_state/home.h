/* The home screen's own state (kiosk/screens/home.c, home_people.c): which people and which of
 * today's plans are shown when they do not all fit.
 *
 * The screens' states are declared here, outside kiosk/screens/, because struct VkApp
 * (kiosk/app.h) holds one of each and the screens include kiosk/app.h: a header in the screens'
 * folder would make an include circle. Code outside the screen changes its state only through
 * the functions below. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  int people_page; /* the first person shown when there are more than fit (home_people.c) */
  int today_page;  /* the first plan shown on the "today" strip (home.c) */
} VkHomeState;

/* "More people" touched: the people from `first` on (past the end: from the start again). */
static inline void
vk_home_state_people_from(VkHomeState *s, int first)
{
  s->people_page = first;
}

/* The "today" strip touched: its plans from `first` on (past the end: from the start again). */
static inline void
vk_home_state_today_from(VkHomeState *s, int first)
{
  s->today_page = first;
}

/* Back to the first people and the first plans. */
static inline void
vk_home_state_reset(VkHomeState *s)
{
  s->people_page = s->today_page = 0;
}

G_END_DECLS
