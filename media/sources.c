#include "media/sources.h"

#include "media/devices.h"

#define AUDIO_WORK_CAPS VINDU_AUDIO_WORK_CAPS

GstCaps *
vindu_audio_work_caps(void)
{
  return gst_caps_from_string(AUDIO_WORK_CAPS);
}

GstElement *
vindu_bin_from_description(const char *description, GError **error)
{
  g_autoptr(GError) local = NULL;
  GstElement *bin = gst_parse_bin_from_description_full(description, TRUE, NULL,
                                                        GST_PARSE_FLAG_FATAL_ERRORS, &local);
  if (!bin) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_PIPELINE, "could not build \"%s\": %s",
                description, local ? local->message : "unknown error");
    return NULL;
  }
  return bin;
}

/* The camera's path and whether it must be read as MJPEG. */
static gboolean
find_camera(const char *wanted, const VinduCallSettings *s, char **path, gboolean *mjpeg)
{
  GList *devices = vindu_devices_cameras();
  gboolean found = FALSE;
  g_autoptr(GstCaps) want_raw = gst_caps_new_simple("video/x-raw", "width", G_TYPE_INT, s->width,
                                                    "height", G_TYPE_INT, s->height, NULL);
  for (GList *l = devices; l && !found; l = l->next) {
    GstDevice *device = l->data;
    g_autofree char *device_path = vindu_device_property(device, "device.path");
    if (!device_path || (wanted && g_strcmp0(wanted, device_path) != 0))
      continue;
    g_autoptr(GstCaps) caps = gst_device_get_caps(device);
    if (!caps)
      continue;
    g_autoptr(GstCaps) jpeg = gst_caps_from_string("image/jpeg");
    /* Raw at the size we send avoids a decoder; cameras that only give MJPEG need jpegdec. */
    gboolean raw = gst_caps_can_intersect(caps, want_raw);
    *mjpeg = !raw && gst_caps_can_intersect(caps, jpeg);
    *path = g_steal_pointer(&device_path);
    found = TRUE;
  }
  g_list_free_full(devices, gst_object_unref);
  return found;
}

GstElement *
vindu_video_source_new(const VinduCallSettings *s, GError **error)
{
  g_autofree char *out_caps = g_strdup_printf(
      "video/x-raw,format=I420,width=%d,height=%d,framerate=%d/1,pixel-aspect-ratio=1/1", s->width,
      s->height, s->fps);
  g_autofree char *description = NULL;
  switch (s->video_source) {
  case VINDU_VIDEO_SOURCE_NONE:
    return NULL;
  case VINDU_VIDEO_SOURCE_TEST:
    description = g_strdup_printf("videotestsrc is-live=true pattern=%s ! %s ! queue "
                                  "max-size-buffers=2 leaky=downstream",
                                  s->test_pattern ? s->test_pattern : "ball", out_caps);
    break;
  case VINDU_VIDEO_SOURCE_AUTO:
  case VINDU_VIDEO_SOURCE_CAMERA: {
    g_autofree char *path = NULL;
    gboolean mjpeg = FALSE;
    if (!find_camera(s->camera_device, s, &path, &mjpeg)) {
      g_message("no camera found: the call goes on with audio only");
      return NULL;
    }
    g_message("camera %s (%s)", path, mjpeg ? "MJPEG" : "raw");
    /* videorate drops or repeats to the set rate; the leaky queue keeps capture from ever
     * waiting for a slow encoder. */
    description = g_strdup_printf(
        "v4l2src device=%s ! %s ! videoconvert ! videoscale ! videorate drop-only=true "
        "max-rate=%d ! %s ! queue max-size-buffers=2 leaky=downstream",
        path, mjpeg ? "image/jpeg ! jpegdec" : "video/x-raw", s->fps, out_caps);
    break;
  }
  }
  return vindu_bin_from_description(description, error);
}

/* A microphone the chosen source can open: pulsesrc only sees PulseAudio's sources (an ALSA
 * card does not help it when the sound server is down); autoaudiosrc falls back to any. Read
 * from the process's device monitor (media/devices.c): no device pass per call. */
static VinduMicrophone
microphone_for(VinduAudioSource kind)
{
  guint n;
  if (!vindu_devices_count_microphones(kind == VINDU_AUDIO_SOURCE_PULSE, &n))
    return VINDU_MICROPHONE_UNKNOWN;
  return n > 0 ? VINDU_MICROPHONE_PRESENT : VINDU_MICROPHONE_ABSENT;
}

VinduMicrophone
vindu_media_microphone(void)
{
  return microphone_for(VINDU_AUDIO_SOURCE_AUTO);
}

gboolean
vindu_media_has_microphone(void)
{
  return vindu_media_microphone() != VINDU_MICROPHONE_ABSENT;
}

GstElement *
vindu_audio_source_new(const VinduCallSettings *s, GError **error)
{
  const char *source = NULL;
  g_autofree char *test = NULL;
  switch (s->audio_source) {
  case VINDU_AUDIO_SOURCE_TEST:
    /* A tone: the far end can measure it, mute must silence it. */
    test = g_strdup_printf("audiotestsrc is-live=true wave=sine freq=%d volume=0.3 "
                           "samplesperbuffer=480",
                           s->test_tone_hz > 0 ? s->test_tone_hz : 440);
    source = test;
    break;
  case VINDU_AUDIO_SOURCE_PULSE:
    source = "pulsesrc";
    break;
  case VINDU_AUDIO_SOURCE_AUTO:
    source = "autoaudiosrc";
    break;
  }
  /* Only a microphone known to be missing fails here; not known yet, the source may still open */
  if (s->audio_source != VINDU_AUDIO_SOURCE_TEST &&
      microphone_for(s->audio_source) == VINDU_MICROPHONE_ABSENT) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_NO_MICROPHONE, "no microphone found");
    return NULL;
  }
  g_autofree char *description = g_strdup_printf(
      "%s ! audioconvert ! audioresample ! capsfilter caps=\"%s\"", source, AUDIO_WORK_CAPS);
  return vindu_bin_from_description(description, error);
}
