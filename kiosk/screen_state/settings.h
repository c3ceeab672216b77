/* The helpers' screens' own state (kiosk/screens/settings.c, settings_more.c): the way in (five
 * taps on the clock, then the helper code) and the page of the auto-answer screen. Why it is
 * declared here and not in kiosk/screens/: kiosk/screen_state/home.h. */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

typedef struct {
  char pin_entry[9];    /* digits typed on the PIN screen */
  gboolean pin_wrong;   /* the last code typed was not the right one */
  int clock_taps;       /* taps on the clock so far */
  gint64 first_tap_us;  /* when the first of them was (monotonic) */
  int auto_answer_page; /* which people the auto-answer screen shows */
} VkSettingsState;

/* A tap on the clock at now_us: TRUE when it is the fifth within 4 s (counting starts again). */
static inline gboolean
vk_settings_state_clock_tap(VkSettingsState *s, gint64 now_us)
{
  if (!s->clock_taps || now_us - s->first_tap_us > 4 * G_USEC_PER_SEC) {
    s->clock_taps = 0;
    s->first_tap_us = now_us;
  }
  if (++s->clock_taps < 5)
    return FALSE;
  s->clock_taps = 0;
  return TRUE;
}

/* Nothing typed yet. */
static inline void
vk_settings_state_pin_clear(VkSettingsState *s)
{
  s->pin_entry[0] = 0;
}

/* One more digit typed (beyond eight: not kept). */
static inline void
vk_settings_state_pin_digit(VkSettingsState *s, char digit)
{
  size_t n = strlen(s->pin_entry);
  if (n < sizeof s->pin_entry - 1) {
    s->pin_entry[n] = digit;
    s->pin_entry[n + 1] = 0;
  }
}

/* The PIN screen as it opens, and after the right code: nothing typed, nothing wrong. */
static inline void
vk_settings_state_pin_start(VkSettingsState *s)
{
  vk_settings_state_pin_clear(s);
  s->pin_wrong = FALSE;
}

/* Eight digits and not the code: the helper starts again, told it was wrong. */
static inline void
vk_settings_state_pin_refused(VkSettingsState *s)
{
  vk_settings_state_pin_clear(s);
  s->pin_wrong = TRUE;
}

G_END_DECLS
