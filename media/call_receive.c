#include "media/call_receive.h"

static GstPadProbeReturn
on_remote_rtp(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  VinduCall *call = user_data;
  /* Nothing from a peer whose certificate was refused reaches the screen or the speaker. */
  if (g_atomic_int_get(&call->dtls_refused))
    return GST_PAD_PROBE_DROP;
  vindu_call_note_media(call);
  return GST_PAD_PROBE_OK;
}

void
vindu_call_on_ssrc_active(GstElement *rtpbin, guint session, guint ssrc, VinduCall *call)
{
  vindu_call_note_media(call);
}

static void
frame_ready_main(VinduCall *call, gpointer data)
{
  g_atomic_int_set(&call->frame_notify_queued, 0);
  if (call->callbacks.frame_ready)
    call->callbacks.frame_ready(call, call->user_data);
}

GstFlowReturn
vindu_call_on_new_sample(GstAppSink *sink, gpointer user_data)
{
  VinduCall *call = user_data;
  GstSample *sample = gst_app_sink_pull_sample(sink);
  if (!sample)
    return GST_FLOW_EOS;
  vindu_frame_slot_put(call->slot, sample);
  gst_sample_unref(sample);
  /* One notification in flight at a time, however fast frames come. */
  if (g_atomic_int_compare_and_exchange(&call->frame_notify_queued, 0, 1))
    vindu_call_hop(call, frame_ready_main, NULL, NULL);
  return GST_FLOW_OK;
}

/* Own-camera frames share the remote frames' notification: the UI takes both slots on
 * "frame ready", so the self-view keeps moving even while the peer's camera is off. */
GstFlowReturn
vindu_call_on_preview_sample(GstAppSink *sink, gpointer user_data)
{
  VinduCall *call = user_data;
  GstSample *sample = gst_app_sink_pull_sample(sink);
  if (!sample)
    return GST_FLOW_EOS;
  vindu_frame_slot_put(call->preview_slot, sample);
  gst_sample_unref(sample);
  if (g_atomic_int_compare_and_exchange(&call->frame_notify_queued, 0, 1))
    vindu_call_hop(call, frame_ready_main, NULL, NULL);
  return GST_FLOW_OK;
}

GstPadProbeReturn
vindu_call_on_audio_played(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  VinduCall *call = user_data;
  g_atomic_int_inc(&call->audio_buffers);
  return GST_PAD_PROBE_OK;
}

/* webrtcbin thread: a stream from the peer; link it to its waiting decode branch. */
void
vindu_call_on_pad_added(GstElement *webrtc, GstPad *pad, VinduCall *call)
{
  if (GST_PAD_DIRECTION(pad) != GST_PAD_SRC)
    return;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps(pad);
  if (!caps)
    caps = gst_pad_query_caps(pad, NULL);
  const GstStructure *s = gst_caps_get_structure(caps, 0);
  const char *media = gst_structure_get_string(s, "media");
  GstElement *branch = NULL;
  if (g_strcmp0(media, "audio") == 0)
    branch = call->audio_play;
  else if (g_strcmp0(media, "video") == 0)
    branch = call->video_receive;
  if (!branch) {
    g_warning("call %u: unexpected stream from the peer: %" GST_PTR_FORMAT, call->id, caps);
    return;
  }
  g_autoptr(GstPad) sink = gst_element_get_static_pad(branch, "sink");
  if (gst_pad_is_linked(sink)) {
    g_warning("call %u: a second %s stream from the peer is ignored", call->id, media);
    return;
  }
  gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, on_remote_rtp,
                    call, NULL);
  if (gst_pad_link(pad, sink) != GST_PAD_LINK_OK)
    vindu_call_fail_later(call, VINDU_MEDIA_ERROR_PIPELINE, "could not play the peer's %s", media);
  else
    g_debug("call %u: receiving %s", call->id, media);
}
