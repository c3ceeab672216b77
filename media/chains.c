#include "media/chains.h"

#include <gst/rtp/rtp.h>
#include <gst/video/video.h>
#include "media/send_size.h"
#include "media/sources.h"

/* The payloader stamps transport-wide sequence numbers so the peer can send TWCC feedback. */
static gboolean
add_twcc(GstElement *bin, const char *payloader, GError **error)
{
  g_autoptr(GstElement) pay = gst_bin_get_by_name(GST_BIN(bin), payloader);
  GstRTPHeaderExtension *ext = gst_rtp_header_extension_create_from_uri(VINDU_TWCC_URI);
  if (!pay || !ext) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_INIT,
                "the TWCC RTP header extension is not available");
    g_clear_object(&ext);
    return FALSE;
  }
  gst_rtp_header_extension_set_id(ext, VINDU_TWCC_EXT_ID);
  g_signal_emit_by_name(pay, "add-extension", ext);
  gst_object_unref(ext);
  return TRUE;
}

GstCaps *
vindu_audio_rtp_caps(void)
{
  return gst_caps_new_simple("application/x-rtp", "media", G_TYPE_STRING, "audio", "encoding-name",
                             G_TYPE_STRING, "OPUS", "payload", G_TYPE_INT, VINDU_OPUS_PT,
                             "clock-rate", G_TYPE_INT, 48000, "encoding-params", G_TYPE_STRING, "2",
                             "minptime", G_TYPE_STRING, "10", "useinbandfec", G_TYPE_STRING, "1",
                             "rtcp-fb-transport-cc", G_TYPE_BOOLEAN, TRUE, "extmap-1",
                             G_TYPE_STRING, VINDU_TWCC_URI, NULL);
}

GstCaps *
vindu_video_rtp_caps(void)
{
  return gst_caps_new_simple("application/x-rtp", "media", G_TYPE_STRING, "video", "encoding-name",
                             G_TYPE_STRING, "VP8", "payload", G_TYPE_INT, VINDU_VP8_PT,
                             "clock-rate", G_TYPE_INT, 90000, "rtcp-fb-nack", G_TYPE_BOOLEAN, TRUE,
                             "rtcp-fb-nack-pli", G_TYPE_BOOLEAN, TRUE, "rtcp-fb-ccm-fir",
                             G_TYPE_BOOLEAN, TRUE, "rtcp-fb-transport-cc", G_TYPE_BOOLEAN, TRUE,
                             "extmap-1", G_TYPE_STRING, VINDU_TWCC_URI, NULL);
}

/* webrtcechoprobe 1.22 leaks the latency query it makes when a LATENCY event passes it
 * upstream (at every pipeline start). Pass that event on to its upstream neighbour ourselves;
 * the probe learns the playback delay from the buffers' timing anyway. */
static GstPadProbeReturn
bypass_dsp_latency(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT(info);
  if (GST_EVENT_TYPE(event) != GST_EVENT_LATENCY)
    return GST_PAD_PROBE_OK;
  GstPad *dsp_sink = user_data;
  gst_pad_push_event(dsp_sink, event);
  return GST_PAD_PROBE_HANDLED;
}

static void
work_around_latency_leak(GstElement *bin, const char *name)
{
  g_autoptr(GstElement) element = gst_bin_get_by_name(GST_BIN(bin), name);
  if (!element)
    return;
  g_autoptr(GstPad) src = gst_element_get_static_pad(element, "src");
  GstPad *sink = gst_element_get_static_pad(element, "sink");
  gst_pad_add_probe(src, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, bypass_dsp_latency, sink,
                    gst_object_unref);
}

GstElement *
vindu_audio_send_new(const VinduCallSettings *s, const char *probe_name, GError **error)
{
  g_autoptr(GstElement) mic = vindu_audio_source_new(s, error);
  if (!mic)
    return NULL;
  gst_object_ref_sink(mic);
  g_autofree char *dsp =
      s->echo_cancel
          ? g_strdup_printf("webrtcdsp name=dsp probe=%s echo-cancel=true noise-suppression=true "
                            "gain-control=true ! ",
                            probe_name)
          : g_strdup("");
  /* A 20 ms Opus frame with in-band FEC: the usual choice for voice over lossy paths. */
  g_autofree char *description = g_strdup_printf(
      "%svalve name=mic_valve drop=false ! audioconvert ! opusenc bitrate=%d audio-type=voice "
      "frame-size=20 inband-fec=true packet-loss-percentage=5 ! rtpopuspay name=opuspay pt=%d "
      "mtu=1200",
      dsp, s->audio_bitrate_kbps * 1000, VINDU_OPUS_PT);
  g_autoptr(GstElement) chain = vindu_bin_from_description(description, error);
  if (!chain)
    return NULL;
  gst_object_ref_sink(chain);
  if (!add_twcc(chain, "opuspay", error))
    return NULL;

  GstElement *bin = gst_bin_new("audio-send");
  gst_bin_add_many(GST_BIN(bin), mic, chain, NULL); /* the bin takes its own refs */
  if (!gst_element_link(mic, chain)) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_PIPELINE,
                "could not link the microphone to the audio encoder");
    gst_object_unref(gst_object_ref_sink(bin));
    return NULL;
  }
  g_autoptr(GstPad) src = gst_element_get_static_pad(chain, "src");
  gst_element_add_pad(bin, gst_ghost_pad_new("src", src));
  return bin;
}

GstElement *
vindu_audio_play_new(const VinduCallSettings *s, const char *probe_name, GError **error)
{
  const char *sink = NULL;
  switch (s->audio_sink) {
  case VINDU_AUDIO_SINK_TEST:
    /* sync=true: consume at the sound card's pace so the echo probe sees real timing. */
    sink = "fakesink sync=true async=false";
    break;
  case VINDU_AUDIO_SINK_PULSE:
    sink = "pulsesink async=false";
    break;
  case VINDU_AUDIO_SINK_AUTO:
    sink = "autoaudiosink";
    break;
  }
  const char *caps_str = VINDU_AUDIO_WORK_CAPS;
  g_autofree char *description = g_strdup_printf(
      "rtpopusdepay ! opusdec plc=true ! audioconvert ! audioresample ! %s ! volume name=volume "
      "volume=%f ! level name=level interval=100000000 post-messages=true ! webrtcechoprobe "
      "name=%s ! %s",
      caps_str, s->volume, probe_name, sink);
  GstElement *bin = vindu_bin_from_description(description, error);
  if (!bin)
    return NULL;
  /* The branch waits unlinked until the peer's audio arrives: it must not hold the pipeline's
   * state change. */
  g_object_set(bin, "async-handling", TRUE, NULL);
  work_around_latency_leak(bin, probe_name);
  return bin;
}

int
vindu_preview_height(const VinduCallSettings *s)
{
  /* Keep the camera's shape; I420 wants even sizes. */
  int h = s->width > 0 ? VINDU_PREVIEW_WIDTH * s->height / s->width : VINDU_PREVIEW_WIDTH * 3 / 4;
  return MAX(2, h & ~1);
}

/* The peer asks for a key frame (PLI/FIR) whenever it misses a packet. A key frame of a noisy
 * picture is a burst of ~100 packets; on a busy receiver some are lost, it asks again, and the
 * sender spent its rate on key frames (25 requests in 15 s were seen, sending 1.3-1.4 times the
 * target). One request a second is honoured; others within that second are dropped (the key
 * frame already on its way answers them). */
#define KEY_FRAME_REQUEST_MIN_US G_USEC_PER_SEC

static GstPadProbeReturn
limit_key_frame_requests(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT(info);
  if (!gst_video_event_is_force_key_unit(event))
    return GST_PAD_PROBE_OK;
  gint64 *last_us = user_data; /* only the encoder's src pad's streaming threads come here */
  gint64 now = g_get_monotonic_time();
  if (*last_us && now - *last_us < KEY_FRAME_REQUEST_MIN_US)
    return GST_PAD_PROBE_DROP;
  *last_us = now;
  return GST_PAD_PROBE_OK;
}

static void
add_key_frame_limit(GstElement *bin)
{
  g_autoptr(GstElement) enc = gst_bin_get_by_name(GST_BIN(bin), "vp8enc");
  g_autoptr(GstPad) src = enc ? gst_element_get_static_pad(enc, "src") : NULL;
  if (src)
    gst_pad_add_probe(src, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, limit_key_frame_requests,
                      g_new0(gint64, 1), g_free);
}

GstElement *
vindu_video_send_new(const VinduCallSettings *s, GError **error)
{
  /* Real-time VP8: no look-ahead, CBR with a small buffer, fast speed on one thread (a
   * second thread costs more in hand-over than it saves at 640x480), loss-resilient
   * partitions; key frames come on request (PLI/FIR), and every 3 s as a safety net.
   * Holding the rate on any picture: a noisy one (a webcam in a dim room; snow) does not fit
   * the target even at the worst quantizer 56 allowed before (14 Mbit/s against 2 at
   * 640x480), so the quantizer may go to 63, frames are dropped when the buffer falls below
   * 30 % (the frame rate steps down), and VP8 may encode at a smaller size, decided at each
   * key frame (the resolution steps down, and back up when the buffer is full again); the
   * receiver decodes whatever size comes. */
  /* The self-view taps the picture after the camera valve (camera off: no preview either,
   * so the screen can honestly say so) through its own leaky queue, so a slow scaler drops
   * preview frames and never holds the encoder back. */
  /* The size sent follows the target (media/send_size.h): call.c changes send_size's caps. */
  int preview_h = vindu_preview_height(s);
  int send_w, send_h;
  vindu_send_size_of_step(
      s->width, s->height,
      vindu_send_size_step(s->width, s->height, s->fps, s->video_bitrate_kbps, 0), &send_w,
      &send_h);
  g_autofree char *description = g_strdup_printf(
      "valve name=camera_valve drop=false ! tee name=camera_tee ! queue max-size-buffers=1 "
      "leaky=downstream ! videoscale ! capsfilter name=send_size "
      "caps=video/x-raw,width=%d,height=%d,pixel-aspect-ratio=1/1 ! "
      "vp8enc name=vp8enc deadline=1 cpu-used=12 threads=1 end-usage=cbr target-bitrate=%d "
      "lag-in-frames=0 error-resilient=partitions token-partitions=1 keyframe-max-dist=90 "
      "buffer-size=500 buffer-initial-size=300 buffer-optimal-size=400 undershoot=95 "
      "min-quantizer=4 max-quantizer=63 dropframe-threshold=30 resize-allowed=true "
      "resize-down-threshold=30 resize-up-threshold=60 ! rtpvp8pay name=vp8pay pt=%d mtu=1200 "
      "picture-id-mode=15-bit "
      "camera_tee. ! queue max-size-buffers=1 max-size-bytes=0 max-size-time=0 leaky=downstream "
      "! videoscale ! video/x-raw,format=I420,width=%d,height=%d,pixel-aspect-ratio=1/1 ! "
      "appsink name=preview sync=false async=false max-buffers=1 drop=true",
      send_w, send_h, s->video_bitrate_kbps * 1000, VINDU_VP8_PT, VINDU_PREVIEW_WIDTH, preview_h);
  GstElement *bin = vindu_bin_from_description(description, error);
  if (bin && !add_twcc(bin, "vp8pay", error)) {
    gst_object_unref(gst_object_ref_sink(bin));
    return NULL;
  }
  if (bin)
    add_key_frame_limit(bin);
  return bin;
}

GstElement *
vindu_video_receive_new(GError **error)
{
  GstElement *bin = vindu_bin_from_description(
      "rtpvp8depay request-keyframe=true wait-for-keyframe=true ! vp8dec threads=1 ! videoconvert "
      "! "
      "video/x-raw,format=I420 ! appsink name=frames sync=false async=false max-buffers=1 "
      "drop=true",
      error);
  if (bin)
    g_object_set(bin, "async-handling", TRUE, NULL);
  return bin;
}
