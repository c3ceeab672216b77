#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/voice_recorder.h"

#include <gio/gio.h>
#include <glib/gstdio.h>

#ifdef VINDU_KIOSK_HAVE_MEDIA
#include <gst/gst.h>

#include "media/call.h"
#include "media/sources.h"

/* Speech, not music: 24 kb/s Opus is clear for a voice and two minutes stay under 400 kB. */
#define VOICE_BITRATE 24000
/* Shorter than this is a touch by mistake, not a message. */
#define MIN_VOICE_MS 300
/* A pipeline that does not finish its file within this long after stop has failed. */
#define FINISH_TIMEOUT_MS 3000

struct VkVoiceRecorder {
  GstElement *pipeline;
  char *path;
  guint bus_watch;
  guint limit_id;  /* the maximum length */
  guint finish_id; /* stop → EOS safety net */
  gint64 started_us;
  gint recorded_us; /* audio that reached the encoder (atomic: streaming thread) */
  gboolean stopping, finished;
  VkVoiceRecorderDone done;
  gpointer data;
};

static GstPadProbeReturn
count_audio(GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
  (void)pad;
  VkVoiceRecorder *r = data;
  GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER(info);
  if (b && GST_BUFFER_DURATION_IS_VALID(b))
    g_atomic_int_add(&r->recorded_us, (gint)(GST_BUFFER_DURATION(b) / GST_USECOND));
  return GST_PAD_PROBE_OK;
}

static void
teardown(VkVoiceRecorder *r)
{
  g_clear_handle_id(&r->bus_watch, g_source_remove);
  g_clear_handle_id(&r->limit_id, g_source_remove);
  g_clear_handle_id(&r->finish_id, g_source_remove);
  if (r->pipeline) {
    gst_element_set_state(r->pipeline, GST_STATE_NULL);
    g_clear_object(&r->pipeline);
  }
}

/* Ends the recording once: done() with the file, or with an error and no file. */
static void
finish(VkVoiceRecorder *r, GError *error /* transfer full, nullable */)
{
  if (r->finished)
    return;
  r->finished = TRUE;
  teardown(r);
  guint ms = (guint)g_atomic_int_get(&r->recorded_us) / 1000;
  if (!error && ms < MIN_VOICE_MS)
    error = g_error_new(G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT, "the recording was too short");
  if (error)
    g_unlink(r->path);
  r->done(r->data, error ? NULL : r->path, error ? 0 : ms, error);
  g_clear_error(&error);
}

static gboolean
on_bus(GstBus *bus, GstMessage *msg, gpointer data)
{
  (void)bus;
  VkVoiceRecorder *r = data;
  switch (GST_MESSAGE_TYPE(msg)) {
  case GST_MESSAGE_EOS:
    r->bus_watch = 0;
    finish(r, NULL);
    return G_SOURCE_REMOVE;
  case GST_MESSAGE_ERROR: {
    GError *err = NULL;
    gst_message_parse_error(msg, &err, NULL);
    g_message("voice recording failed: %s", err->message);
    r->bus_watch = 0;
    finish(r, err);
    return G_SOURCE_REMOVE;
  }
  default:
    return G_SOURCE_CONTINUE;
  }
}

static gboolean
on_finish_timeout(gpointer data)
{
  VkVoiceRecorder *r = data;
  r->finish_id = 0;
  finish(r, g_error_new(G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the recording did not finish"));
  return G_SOURCE_REMOVE;
}

static gboolean
on_limit(gpointer data)
{
  VkVoiceRecorder *r = data;
  r->limit_id = 0;
  vk_voice_recorder_stop(r);
  return G_SOURCE_REMOVE;
}

VkVoiceRecorder *
vk_voice_recorder_start(const char *path, gboolean test_source, guint max_ms,
                        VkVoiceRecorderDone done, gpointer data, GError **error)
{
  if (!vindu_media_init(error))
    return NULL;
  VinduCallSettings s;
  vindu_call_settings_init(&s);
  if (test_source) {
    s.audio_source = VINDU_AUDIO_SOURCE_TEST;
    s.test_tone_hz = 440;
  }
  GstElement *source = vindu_audio_source_new(&s, error);
  if (!source)
    return NULL;
  g_autoptr(GError) local = NULL;
  /* Unbuffered: each Ogg page (at most half a second of audio) reaches the file as it is made,
   * so a power cut right after "Stop and send" leaves what was said on disk for the salvage; a
   * buffered sink holds the first 64 KB (20 s of speech) in memory. */
  g_autofree char *tail_desc = g_strdup_printf(
      "opusenc bitrate=%d audio-type=voice ! oggmux ! filesink name=file buffer-mode=unbuffered",
      VOICE_BITRATE);
  GstElement *tail = gst_parse_bin_from_description(tail_desc, TRUE, &local);
  if (!tail) {
    gst_object_unref(gst_object_ref_sink(source));
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot build the recorder: %s",
                local->message);
    return NULL;
  }
  VkVoiceRecorder *r = g_new0(VkVoiceRecorder, 1);
  r->path = g_strdup(path);
  r->done = done;
  r->data = data;
  r->pipeline = gst_object_ref_sink(gst_pipeline_new("voice-recorder"));
  gst_bin_add_many(GST_BIN(r->pipeline), source, tail, NULL);
  g_autoptr(GstElement) file = gst_bin_get_by_name(GST_BIN(tail), "file");
  g_object_set(file, "location", path, NULL);
  g_autoptr(GstPad) src = gst_element_get_static_pad(source, "src");
  gst_pad_add_probe(src, GST_PAD_PROBE_TYPE_BUFFER, count_audio, r, NULL);
  if (!gst_element_link(source, tail)) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot link the recorder");
    vk_voice_recorder_cancel(r);
    return NULL;
  }
  g_autoptr(GstBus) bus = gst_element_get_bus(r->pipeline);
  r->bus_watch = gst_bus_add_watch(bus, on_bus, r);
  if (gst_element_set_state(r->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "the microphone did not start");
    vk_voice_recorder_cancel(r);
    return NULL;
  }
  r->started_us = g_get_monotonic_time();
  if (max_ms)
    r->limit_id = g_timeout_add(max_ms, on_limit, r);
  return r;
}

guint
vk_voice_recorder_elapsed_ms(VkVoiceRecorder *r)
{
  return (guint)((g_get_monotonic_time() - r->started_us) / 1000);
}

void
vk_voice_recorder_stop(VkVoiceRecorder *r)
{
  if (r->stopping || r->finished)
    return;
  r->stopping = TRUE;
  g_clear_handle_id(&r->limit_id, g_source_remove);
  /* EOS from the source through the encoder: the muxer writes the last page, then the bus says
   * EOS and the file is whole. */
  gst_element_send_event(r->pipeline, gst_event_new_eos());
  r->finish_id = g_timeout_add(FINISH_TIMEOUT_MS, on_finish_timeout, r);
}

void
vk_voice_recorder_free(VkVoiceRecorder *r)
{
  if (!r)
    return;
  teardown(r);
  g_free(r->path);
  g_free(r);
}

void
vk_voice_recorder_cancel(VkVoiceRecorder *r)
{
  if (!r)
    return;
  teardown(r);
  if (!r->finished) /* once finished, the file belongs to whoever done() gave it to */
    g_unlink(r->path);
  vk_voice_recorder_free(r);
}

#else /* no media engine in this build */

VkVoiceRecorder *
vk_voice_recorder_start(const char *path, gboolean test_source, guint max_ms,
                        VkVoiceRecorderDone done, gpointer data, GError **error)
{
  (void)path, (void)test_source, (void)max_ms, (void)done, (void)data;
  g_set_error(error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
              "this kiosk was built without the media engine");
  return NULL;
}

guint
vk_voice_recorder_elapsed_ms(VkVoiceRecorder *r)
{
  (void)r;
  return 0;
}

void
vk_voice_recorder_stop(VkVoiceRecorder *r)
{
  (void)r;
}

void
vk_voice_recorder_cancel(VkVoiceRecorder *r)
{
  (void)r;
}

void
vk_voice_recorder_free(VkVoiceRecorder *r)
{
  (void)r;
}

#endif
