#include "media/call_pipeline.h"

#include <gst/app/app.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include "media/call_gate.h"
#include "media/call_receive.h"
#include "media/chains.h"
#include "media/send_size.h"
#include "media/sources.h"
#include "media/timestamp.h"

static GstPadProbeReturn
paint_timestamp(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  VinduCall *call = user_data;
  GstBuffer *buffer = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
  GST_PAD_PROBE_INFO_DATA(info) = buffer;
  GstVideoFrame frame;
  if (gst_video_frame_map(&frame, &call->send_info, buffer, GST_MAP_WRITE)) {
    vindu_timestamp_paint(GST_VIDEO_FRAME_PLANE_DATA(&frame, 0),
                          GST_VIDEO_FRAME_PLANE_STRIDE(&frame, 0), GST_VIDEO_FRAME_WIDTH(&frame),
                          GST_VIDEO_FRAME_HEIGHT(&frame), vindu_timestamp_now_ms());
    gst_video_frame_unmap(&frame);
  }
  return GST_PAD_PROBE_OK;
}

/* Links an encode branch to a new webrtcbin sink pad and fixes its transceiver. */
static gboolean
link_sender(VinduCall *call, GstElement *branch, GstCaps *codec, gboolean video, GError **error)
{
  GstPad *sink = gst_element_request_pad_simple(call->webrtc, "sink_%u");
  g_autoptr(GstPad) src = gst_element_get_static_pad(branch, "src");
  if (!sink || gst_pad_link(src, sink) != GST_PAD_LINK_OK) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_PIPELINE,
                "could not link the %s encoder to webrtcbin", video ? "video" : "audio");
    g_clear_object(&sink);
    return FALSE;
  }
  GstWebRTCRTPTransceiver *transceiver = NULL;
  g_object_get(sink, "transceiver", &transceiver, NULL);
  g_object_set(transceiver, "direction", GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV,
               "codec-preferences", codec, NULL);
  if (video && g_object_class_find_property(G_OBJECT_GET_CLASS(transceiver), "do-nack"))
    g_object_set(transceiver, "do-nack", TRUE, NULL);
  gst_object_unref(transceiver);
  gst_object_unref(sink); /* the pad stays with webrtcbin */
  return TRUE;
}

static gboolean
add_branch(VinduCall *call, GstElement *branch)
{
  return gst_bin_add(GST_BIN(call->pipeline), branch);
}

static GstElement *
by_name(GstElement *bin, const char *name)
{
  GstElement *e = gst_bin_get_by_name(GST_BIN(bin), name);
  if (e)
    gst_object_unref(e); /* the bin keeps it alive as long as the call */
  return e;
}

/* webrtcbin with the call's bundle, jitter buffer and ICE servers. */
static gboolean
add_webrtcbin(VinduCall *call, GError **error)
{
  const VinduCallSettings *s = &call->settings;
  call->webrtc = gst_element_factory_make("webrtcbin", "webrtc");
  if (!call->webrtc) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_INIT, "no webrtcbin");
    return FALSE;
  }
  g_object_set(call->webrtc, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, "latency",
               (guint)s->jitter_latency_ms, NULL);
  if (s->stun_server)
    g_object_set(call->webrtc, "stun-server", s->stun_server, NULL);
  if (s->turn_server)
    g_object_set(call->webrtc, "turn-server", s->turn_server, NULL);
  if (s->relay_only)
    g_object_set(call->webrtc, "ice-transport-policy", GST_WEBRTC_ICE_TRANSPORT_POLICY_RELAY, NULL);
  /* Host TCP candidates double the pairs to check and are not what gets through NATs (TURN
   * over TLS does); leaving them out shortens the connection. */
  GObject *ice = NULL;
  g_object_get(call->webrtc, "ice-agent", &ice, NULL);
  if (ice && g_object_class_find_property(G_OBJECT_GET_CLASS(ice), "ice-tcp"))
    g_object_set(ice, "ice-tcp", FALSE, NULL);
  g_clear_object(&ice);
  add_branch(call, call->webrtc);
  return TRUE;
}

/* The player for the peer's sound and the frame sink for its picture. */
static gboolean
add_receivers(VinduCall *call, const char *probe, GError **error)
{
  GstElement *audio_play = vindu_audio_play_new(&call->settings, probe, error);
  if (!audio_play)
    return FALSE;
  add_branch(call, audio_play);
  call->audio_play = audio_play;
  call->volume = by_name(audio_play, "volume");
  g_autoptr(GstPad) play_sink = gst_element_get_static_pad(audio_play, "sink");
  gst_pad_add_probe(play_sink, GST_PAD_PROBE_TYPE_BUFFER, vindu_call_on_audio_played, call, NULL);

  GstElement *video_receive = vindu_video_receive_new(error);
  if (!video_receive)
    return FALSE;
  add_branch(call, video_receive);
  call->video_receive = video_receive;
  GstAppSinkCallbacks appsink_callbacks = {.new_sample = vindu_call_on_new_sample};
  gst_app_sink_set_callbacks(GST_APP_SINK(by_name(video_receive, "frames")), &appsink_callbacks,
                             call, NULL);
  return TRUE;
}

/* The camera, its encoder and the self-view, linked to their transceiver. */
static gboolean
add_video_sender(VinduCall *call, GstElement *camera, GstCaps *video_caps, GError **error)
{
  const VinduCallSettings *s = &call->settings;
  GstElement *video_send = vindu_video_send_new(s, error);
  if (!video_send) {
    gst_object_unref(gst_object_ref_sink(camera));
    return FALSE;
  }
  add_branch(call, camera);
  add_branch(call, video_send);
  if (!gst_element_link(camera, video_send)) {
    g_set_error(error, VINDU_MEDIA_ERROR, VINDU_MEDIA_ERROR_PIPELINE,
                "could not link the camera to the video encoder");
    return FALSE;
  }
  call->camera_valve = by_name(video_send, "camera_valve");
  call->vp8enc = by_name(video_send, "vp8enc");
  call->send_size = by_name(video_send, "send_size");
  call->send_step = vindu_send_size_step(s->width, s->height, s->fps, s->video_bitrate_kbps, 0);
  GstAppSinkCallbacks preview_callbacks = {.new_sample = vindu_call_on_preview_sample};
  gst_app_sink_set_callbacks(GST_APP_SINK(by_name(video_send, "preview")), &preview_callbacks, call,
                             NULL);
  if (!link_sender(call, video_send, video_caps, TRUE, error))
    return FALSE;
  if (s->paint_timestamps) {
    gst_video_info_set_format(&call->send_info, GST_VIDEO_FORMAT_I420, s->width, s->height);
    g_autoptr(GstPad) camera_src = gst_element_get_static_pad(camera, "src");
    gst_pad_add_probe(camera_src, GST_PAD_PROBE_TYPE_BUFFER, paint_timestamp, call, NULL);
  }
  return TRUE;
}

gboolean
vindu_call_build_pipeline(VinduCall *call, GError **error)
{
  const VinduCallSettings *s = &call->settings;
  g_autofree char *name = g_strdup_printf("vindu-call-%u", call->id);
  g_autofree char *probe = g_strdup_printf("vindu-echo-probe-%u", call->id);
  call->pipeline = gst_pipeline_new(name);
  gst_object_ref_sink(call->pipeline);
  g_signal_connect(call->pipeline, "deep-element-added",
                   G_CALLBACK(vindu_call_gate_on_element_added), call);

  /* The microphone first: without one nobody may be rung. */
  GstElement *audio_send = vindu_audio_send_new(s, probe, error);
  if (!audio_send)
    return FALSE;
  add_branch(call, audio_send);
  call->mic_valve = by_name(audio_send, "mic_valve");
  if (!add_webrtcbin(call, error) || !add_receivers(call, probe, error))
    return FALSE;
  g_autoptr(GstCaps) audio_caps = vindu_audio_rtp_caps();
  if (!link_sender(call, audio_send, audio_caps, FALSE, error))
    return FALSE;

  g_autoptr(GstCaps) video_caps = vindu_video_rtp_caps();
  GstElement *camera = vindu_video_source_new(s, error);
  if (!camera && error && *error)
    return FALSE;
  call->has_video = camera != NULL;
  if (camera && !add_video_sender(call, camera, video_caps, error))
    return FALSE;
  if (!camera) { /* still receive the peer's video on the same fixed m-line */
    GstWebRTCRTPTransceiver *transceiver = NULL;
    g_signal_emit_by_name(call->webrtc, "add-transceiver",
                          GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_RECVONLY, video_caps, &transceiver);
    g_clear_object(&transceiver);
  }

  g_signal_connect(call->webrtc, "pad-added", G_CALLBACK(vindu_call_on_pad_added), call);
  call->rtpbin = gst_bin_get_by_name(GST_BIN(call->webrtc), "rtpbin");
  if (call->rtpbin)
    g_signal_connect(call->rtpbin, "on-ssrc-active", G_CALLBACK(vindu_call_on_ssrc_active), call);
  return TRUE;
}
