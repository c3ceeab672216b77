/* Process-wide set-up: GStreamer, the plugin check, the DTLS certificate and device discovery. */
#include "media/call.h"

#include <gst/gst.h>

#include "media/devices.h"

/* The quark name is stringified: spaces around its dashes would become part of it. */
/* clang-format off */
G_DEFINE_QUARK(vindu-media-error-quark, vindu_media_error)
/* clang-format on */

static GMutex init_lock;
static gboolean initialised;
/* Held so the certificate made by the first DTLS element is never made again mid-call. */
static GstElement *dtls_warm;

static const char *const needed[] = {
    "webrtcbin",    "nicesrc",      "dtlsdec",     "srtpenc",         "vp8enc",
    "vp8dec",       "rtpvp8pay",    "rtpvp8depay", "opusenc",         "opusdec",
    "rtpopuspay",   "rtpopusdepay", "webrtcdsp",   "webrtcechoprobe", "videotestsrc",
    "audiotestsrc", "valve",        "level",       "volume",          "appsink",
    "videoconvert", "videoscale",   "videorate",   "audioconvert",    "audioresample",
    "jpegdec",
};

static gboolean init_locked(GError **error);

gboolean
vindu_media_init(GError **error)
{
  g_mutex_lock(&init_lock);
  gboolean ok = init_locked(error);
  g_mutex_unlock(&init_lock);
  return ok;
}

static gboolean
init_locked(GError **error)
{
  if (initialised)
    return TRUE;
  g_autoptr(GError) local = NULL;
  if (!gst_init_check(NULL, NULL, &local)) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_INIT, "GStreamer did not start: %s",
                local->message);
    return FALSE;
  }
  for (gsize i = 0; i < G_N_ELEMENTS(needed); i++) {
    g_autoptr(GstElementFactory) factory = gst_element_factory_find(needed[i]);
    if (!factory) {
      g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_INIT,
                  "GStreamer element %s is missing (install the GStreamer plugin packages)",
                  needed[i]);
      return FALSE;
    }
    /* Load the plugin now rather than while the first call is being answered. */
    GstPluginFeature *loaded = gst_plugin_feature_load(GST_PLUGIN_FEATURE(factory));
    if (loaded)
      gst_object_unref(loaded);
  }
  gint64 start = g_get_monotonic_time();
  dtls_warm = gst_element_factory_make("dtlsdec", "vindu-dtls-warm-up");
  if (!dtls_warm) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_INIT, "could not create dtlsdec");
    return FALSE;
  }
  gst_object_ref_sink(dtls_warm);
  g_debug("DTLS certificate ready in %" G_GINT64_FORMAT " ms",
          (g_get_monotonic_time() - start) / 1000);
  /* On its own thread: a wedged sound server can hold a device provider for tens of seconds,
   * and the caller may be a UI. */
  vindu_devices_start();
  initialised = TRUE;
  return TRUE;
}

void
vindu_media_deinit(void)
{
  g_mutex_lock(&init_lock);
  vindu_devices_stop();
  g_clear_pointer(&dtls_warm, gst_object_unref);
  initialised = FALSE;
  g_mutex_unlock(&init_lock);
}
