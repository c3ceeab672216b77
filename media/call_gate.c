#include "media/call_gate.h"

#include "media/fingerprint.h"

/* webrtcbin 1.22 takes any certificate in the DTLS handshake and never compares it with the
 * a=fingerprint of the remote SDP, so whoever sits on the media path could stand in for the
 * peer. We check it ourselves when dtlsdec shows the certificate (inside the handshake, on the
 * DTLS thread). We cannot fail the handshake from there: dtlsdec's own handler of the
 * connection's on-peer-certificate signal always returns TRUE and its return value is the one
 * OpenSSL gets (the signal has no accumulator, the connection object is private to dtlsdec).
 * So a refusal closes the gate on the network side at once, on that same thread (see
 * on_outgoing_packet): nothing more of ours leaves, not even the rest of the handshake. */

void
vindu_call_gate_keep_fingerprints(VinduCall *call, const GstSDPMessage *sdp)
{
  GPtrArray *found = vindu_fingerprints_from_sdp(sdp);
  g_mutex_lock(&call->fingerprint_lock);
  g_clear_pointer(&call->remote_fingerprints, g_ptr_array_unref);
  call->remote_fingerprints = found;
  g_mutex_unlock(&call->fingerprint_lock);
}

static gboolean
certificate_matches(VinduCall *call, const char *pem)
{
  g_mutex_lock(&call->fingerprint_lock);
  gboolean match = vindu_fingerprint_accepts(call->remote_fingerprints, pem);
  g_mutex_unlock(&call->fingerprint_lock);
  return match;
}

/* DTLS thread, inside the handshake, before our next handshake flight is written. */
static void
on_peer_certificate(GObject *dtls, GParamSpec *pspec, VinduCall *call)
{
  g_autofree char *pem = NULL;
  g_object_get(dtls, "peer-pem", &pem, NULL);
  if (!pem)
    return;
  if (certificate_matches(call, pem)) {
    g_debug("call %u: the peer's certificate matches its SDP", call->id);
    return;
  }
  /* Synchronously: from here on_outgoing_packet drops all we send, on_remote_rtp all we get. */
  if (!g_atomic_int_compare_and_exchange(&call->dtls_refused, 0, 1))
    return;
  /* And nothing is captured for them either (the valves' drop is thread-safe). */
  g_object_set(call->mic_valve, "drop", TRUE, NULL);
  if (call->camera_valve)
    g_object_set(call->camera_valve, "drop", TRUE, NULL);
  vindu_call_fail_later(
      call, VINDU_MEDIA_ERROR_DTLS,
      "the other side's certificate does not match the fingerprint it announced (DTLS)");
}

/* Streaming thread, every packet on its way to the ICE transport (DTLS handshake, SRTP,
 * SRTCP). After a refusal the peer gets nothing: it cannot finish its side of the handshake,
 * so it never has keys, and none of our sound or picture reaches it. */
static GstPadProbeReturn
on_outgoing_packet(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  VinduCall *call = user_data;
  return g_atomic_int_get(&call->dtls_refused) ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
}

/* RFC 7983: a first byte of 128..191 is RTP or RTCP (here SRTP/SRTCP), not DTLS or STUN. */
static guint
media_packets(GstBuffer *buffer)
{
  guint8 first = 0;
  return gst_buffer_extract(buffer, 0, &first, 1) == 1 && first >= 128 && first <= 191;
}

static gboolean
count_in_list(GstBuffer **buffer, guint index, gpointer user_data)
{
  *(guint *)user_data += media_packets(*buffer);
  return TRUE;
}

/* Streaming thread, every packet the ICE transport hands over: media packets are counted
 * (vindu_call_media_packets_arrived), whatever their fate later. */
static GstPadProbeReturn
on_incoming_packet(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
  VinduCall *call = user_data;
  guint n = 0;
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    n = media_packets(GST_PAD_PROBE_INFO_BUFFER(info));
  else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    gst_buffer_list_foreach(GST_PAD_PROBE_INFO_BUFFER_LIST(info), count_in_list, &n);
  if (n)
    g_atomic_int_add(&call->media_packets_in, (gint)n);
  return GST_PAD_PROBE_OK;
}

static void
probe_static_pad(GstElement *element, const char *name, GstPadProbeCallback callback,
                 VinduCall *call)
{
  g_autoptr(GstPad) pad = gst_element_get_static_pad(element, name);
  if (pad)
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST, callback,
                      call, NULL);
  else
    g_warning("call %u: %s has no %s pad", call->id, GST_OBJECT_NAME(element), name);
}

/* webrtcbin builds its transport (nicesrc → DTLS-SRTP decoder, encoder → nicesink) when a
 * description is set; hook each part as it is added. */
void
vindu_call_gate_on_element_added(GstBin *pipeline, GstBin *bin, GstElement *element,
                                 VinduCall *call)
{
  GstElementFactory *factory = gst_element_get_factory(element);
  const char *kind = factory ? GST_OBJECT_NAME(factory) : "";
  if (g_strcmp0(kind, "dtlssrtpdec") == 0)
    g_signal_connect(element, "notify::peer-pem", G_CALLBACK(on_peer_certificate), call);
  else if (g_strcmp0(kind, "nicesink") == 0)
    probe_static_pad(element, "sink", on_outgoing_packet, call);
  else if (g_strcmp0(kind, "nicesrc") == 0)
    probe_static_pad(element, "src", on_incoming_packet, call);
}
