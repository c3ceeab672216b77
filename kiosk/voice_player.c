#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/voice_player.h"

#include <gio/gio.h>

struct VkVoicePlayer {
  gboolean test_sink;
  struct _GstElement *playbin;
  guint bus_watch;
  guint finished, failed;
};

#ifdef VINDU_KIOSK_HAVE_MEDIA
#include <gst/gst.h>

#include "media/call.h"

void
vk_voice_player_stop(VkVoicePlayer *p)
{
  g_clear_handle_id(&p->bus_watch, g_source_remove);
  if (p->playbin) {
    gst_element_set_state(p->playbin, GST_STATE_NULL);
    g_clear_object(&p->playbin);
  }
}

static gboolean
on_bus(GstBus *bus, GstMessage *msg, gpointer data)
{
  (void)bus;
  VkVoicePlayer *p = data;
  switch (GST_MESSAGE_TYPE(msg)) {
  case GST_MESSAGE_EOS:
    p->finished++;
    break;
  case GST_MESSAGE_ERROR: {
    g_autoptr(GError) err = NULL;
    gst_message_parse_error(msg, &err, NULL);
    g_message("a voice note could not be played: %s", err->message);
    p->failed++;
    break;
  }
  default:
    return G_SOURCE_CONTINUE;
  }
  p->bus_watch = 0; /* this source ends here */
  gst_element_set_state(p->playbin, GST_STATE_NULL);
  g_clear_object(&p->playbin);
  return G_SOURCE_REMOVE;
}

gboolean
vk_voice_player_play(VkVoicePlayer *p, const char *path, double volume, GError **error)
{
  vk_voice_player_stop(p);
  if (!vindu_media_init(error))
    return FALSE;
  g_autofree char *uri = g_filename_to_uri(path, NULL, error);
  if (!uri)
    return FALSE;
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "the voice note is not here yet");
    return FALSE;
  }
  GstElement *playbin = gst_element_factory_make("playbin", NULL);
  if (!playbin) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "playbin is missing");
    return FALSE;
  }
  p->playbin = gst_object_ref_sink(playbin);
  /* sound only: no video sink, no subtitles */
  g_object_set(p->playbin, "uri", uri, "volume", CLAMP(volume, 0.0, 1.0), "flags", 0x2, NULL);
  if (p->test_sink) {
    GstElement *sink = gst_element_factory_make("fakesink", NULL);
    g_object_set(sink, "sync", TRUE, NULL); /* in real time, like the loudspeakers */
    g_object_set(p->playbin, "audio-sink", sink, NULL);
  }
  g_autoptr(GstBus) bus = gst_element_get_bus(p->playbin);
  p->bus_watch = gst_bus_add_watch(bus, on_bus, p);
  if (gst_element_set_state(p->playbin, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "the loudspeaker did not start");
    vk_voice_player_stop(p);
    p->failed++;
    return FALSE;
  }
  return TRUE;
}

#else /* no media engine in this build */

void
vk_voice_player_stop(VkVoicePlayer *p)
{
  (void)p;
}

gboolean
vk_voice_player_play(VkVoicePlayer *p, const char *path, double volume, GError **error)
{
  (void)path, (void)volume;
  p->failed++;
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
              "this kiosk was built without the media engine");
  return FALSE;
}

#endif

VkVoicePlayer *
vk_voice_player_new(gboolean test_sink)
{
  VkVoicePlayer *p = g_new0(VkVoicePlayer, 1);
  p->test_sink = test_sink;
  return p;
}

void
vk_voice_player_free(VkVoicePlayer *p)
{
  if (!p)
    return;
  vk_voice_player_stop(p);
  g_free(p);
}

gboolean
vk_voice_player_playing(VkVoicePlayer *p)
{
  return p && p->playbin;
}

guint
vk_voice_player_finished(VkVoicePlayer *p)
{
  return p ? p->finished : 0;
}

guint
vk_voice_player_failed(VkVoicePlayer *p)
{
  return p ? p->failed : 0;
}
