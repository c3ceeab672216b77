#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/ring.h"

#include <SDL.h>
#include <math.h>

#define RATE 48000

static SDL_AudioDeviceID dev;
static gboolean tried, ringing;
static gint64 pos;       /* samples played in this ring */
static gint64 beep_left; /* samples of beep still to play */
static gint volume = 7;  /* 0..10, the helpers' setting; read on the audio thread */

void
vk_ring_set_volume(int v)
{
  g_atomic_int_set(&volume, CLAMP(v, 0, 10));
}

/* The ring must always be heard (UX.md "hearing"): the lowest setting still rings at 40 %. */
static float
gain(void)
{
  return (float)(0.4 + 0.6 * g_atomic_int_get(&volume) / 10.0);
}

void
vk_ring_synth(float *out, int n, gint64 start)
{
  /* 0.4 s tone pair (660 + 880 Hz), 0.2 s gap, twice, then 2 s rest: a phone, not an alarm */
  for (int i = 0; i < n; i++) {
    gint64 s = start + i;
    double t = (double)(s % (RATE * 3)) / RATE;
    double v = 0;
    if (t < 0.4 || (t >= 0.6 && t < 1.0)) {
      double tt = (double)s / RATE;
      v = 0.45 * sin(2 * G_PI * 660 * tt) + 0.35 * sin(2 * G_PI * 880 * tt);
    }
    out[i] = (float)v;
  }
}

static void
callback(void *user, Uint8 *stream, int len)
{
  float *out = (float *)stream;
  int n = len / (int)sizeof(float);
  if (ringing) {
    vk_ring_synth(out, n, pos);
    for (int i = 0; i < n; i++)
      out[i] *= gain();
    pos += n;
    return;
  }
  for (int i = 0; i < n; i++) {
    out[i] = beep_left > 0 ? gain() * (float)(0.5 * sin(2 * G_PI * 990 * (double)beep_left / RATE))
                           : 0.0f;
    if (beep_left > 0)
      beep_left--;
  }
}

static gboolean
open_device(void)
{
  if (dev)
    return TRUE;
  if (tried)
    return FALSE;
  tried = TRUE;
  if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
    g_message("no sound: %s", SDL_GetError());
    return FALSE;
  }
  SDL_AudioSpec want = {
      .freq = RATE, .format = AUDIO_F32SYS, .channels = 1, .samples = 2048, .callback = callback};
  dev = SDL_OpenAudioDevice(NULL, 0, &want, NULL, 0);
  if (!dev) {
    g_message("no sound device: %s", SDL_GetError());
    return FALSE;
  }
  SDL_PauseAudioDevice(dev, 0);
  return TRUE;
}

void
vk_ring_start(void)
{
  ringing = TRUE;
  if (open_device()) {
    SDL_LockAudioDevice(dev);
    pos = 0;
    SDL_UnlockAudioDevice(dev);
  }
}

void
vk_ring_stop(void)
{
  ringing = FALSE;
}

void
vk_ring_beep(void)
{
  if (open_device()) {
    SDL_LockAudioDevice(dev);
    beep_left = RATE / 5;
    SDL_UnlockAudioDevice(dev);
  }
}

gboolean
vk_ring_is_ringing(void)
{
  return ringing;
}

void
vk_ring_shutdown(void)
{
  if (dev)
    SDL_CloseAudioDevice(dev);
  dev = 0;
  tried = FALSE;
  ringing = FALSE;
}
