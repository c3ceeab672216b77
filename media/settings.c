#include "media/call.h"

void
vindu_call_settings_init(VinduCallSettings *s)
{
  *s = (VinduCallSettings){
      .video_source = VINDU_VIDEO_SOURCE_AUTO,
      .audio_source = VINDU_AUDIO_SOURCE_AUTO,
      .audio_sink = VINDU_AUDIO_SINK_AUTO,
      .test_tone_hz = 440,
      .width = 640,
      .height = 480,
      .fps = 30,
      .video_bitrate_kbps = 1000,
      .video_bitrate_min_kbps = 150,
      .video_bitrate_max_kbps = 2000,
      .audio_bitrate_kbps = 32,
      .jitter_latency_ms = 50,
      .peer_lost_ms = 10000,
      .connect_timeout_ms = 30000,
      .echo_cancel = TRUE,
      .volume = 1.0,
  };
}

const char *
vindu_call_state_name(VinduCallState state)
{
  switch (state) {
  case VINDU_CALL_STATE_NEW:
    return "new";
  case VINDU_CALL_STATE_CONNECTING:
    return "connecting";
  case VINDU_CALL_STATE_CONNECTED:
    return "connected";
  case VINDU_CALL_STATE_PEER_LOST:
    return "peer-lost";
  case VINDU_CALL_STATE_FAILED:
    return "failed";
  }
  return "unknown";
}
