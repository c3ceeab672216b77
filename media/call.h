/* vindu-media: one video call session over WebRTC (GStreamer webrtcbin).
 *
 * The session knows nothing of the UI or the hub. Signalling leaves through callbacks (local SDP,
 * local ICE candidates) and comes in through functions (remote SDP, remote candidates), so the
 * kiosk, the tests and the benchmark drive it the same way.
 *
 * Threading contract:
 *  - Every function here is called from the thread that runs the GMainContext given to
 *    vindu_call_new(), except vindu_call_take_frame(), vindu_call_get_frames_decoded(),
 *    vindu_call_take_local_frame() and vindu_call_get_local_frames(), which are safe from
 *    any thread.
 *  - Every callback is delivered on that GMainContext, never on a GStreamer streaming thread,
 *    and never from inside a vindu_call_* function (always from a later main-loop iteration).
 *  - After vindu_call_free() no callback of that session runs again.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VINDU_MEDIA_ERROR (vindu_media_error_quark())
GQuark vindu_media_error_quark(void);

typedef enum {
  VINDU_MEDIA_ERROR_INIT,          /* GStreamer or a needed plugin is missing */
  VINDU_MEDIA_ERROR_NO_MICROPHONE, /* no microphone: the call must not ring anyone */
  VINDU_MEDIA_ERROR_PIPELINE,      /* an element failed to build, link or start */
  VINDU_MEDIA_ERROR_NEGOTIATION,   /* bad or unexpected remote SDP */
  VINDU_MEDIA_ERROR_ICE,           /* no network path to the peer */
  VINDU_MEDIA_ERROR_DTLS,          /* the encrypted connection could not be set up */
  VINDU_MEDIA_ERROR_TIMEOUT,       /* the peer never connected within the connect timeout */
} VinduMediaError;

/* Loads GStreamer, checks every plugin a call needs, creates one DTLS element so the
 * process's certificate (an RSA key, hundreds of ms) exists before the first call, and starts
 * device discovery (one device monitor on its own thread, kept for the process).
 * Idempotent; call once at start-up from any thread. */
gboolean vindu_media_init(GError **error);

/* Drops what vindu_media_init() holds and stops device discovery (joining its thread). For
 * leak checks at process end; a later vindu_media_init() starts discovery afresh. */
void vindu_media_deinit(void);

typedef enum {
  VINDU_MICROPHONE_UNKNOWN, /* the device monitor has not finished its first pass yet */
  VINDU_MICROPHONE_ABSENT,
  VINDU_MICROPHONE_PRESENT,
} VinduMicrophone;

/* Whether a microphone is connected (an audio capture device that is not an output's monitor):
 * what the AUTO audio source (the default) needs, so a caller can say so before ringing anyone.
 * Reads what the device monitor started by vindu_media_init() keeps up to date (no device pass,
 * cheap on a UI thread). The first question of the process waits up to 2 s for the monitor's
 * first pass; if that pass has not come by then (a sound server not answering blocks it, perhaps
 * for good), the answer is UNKNOWN, and no later question waits: each says UNKNOWN at once until
 * the pass is done. Ask once from a thread that may wait (the kiosk's start-up thread) so the UI
 * thread never does. Lists the devices itself only if the monitor could not start. After
 * vindu_media_init(). */
VinduMicrophone vindu_media_microphone(void);

/* vindu_media_microphone() != VINDU_MICROPHONE_ABSENT: FALSE only when known to be missing. */
gboolean vindu_media_has_microphone(void);

typedef enum {
  VINDU_VIDEO_SOURCE_AUTO,   /* first camera if there is one, else audio only */
  VINDU_VIDEO_SOURCE_CAMERA, /* the camera in camera_device (or the first); none: audio only */
  VINDU_VIDEO_SOURCE_TEST,   /* videotestsrc */
  VINDU_VIDEO_SOURCE_NONE,   /* audio only */
} VinduVideoSource;

typedef enum {
  VINDU_AUDIO_SOURCE_AUTO,  /* autoaudiosrc */
  VINDU_AUDIO_SOURCE_PULSE, /* pulsesrc; fails with NO_MICROPHONE when there is none */
  VINDU_AUDIO_SOURCE_TEST,  /* audiotestsrc (a tone) */
} VinduAudioSource;

typedef enum {
  VINDU_AUDIO_SINK_AUTO,  /* autoaudiosink */
  VINDU_AUDIO_SINK_PULSE, /* pulsesink */
  VINDU_AUDIO_SINK_TEST,  /* fakesink, clocked like a sound card (tests, no sound card) */
} VinduAudioSink;

/* Plain settings; strings are borrowed and copied by vindu_call_new(). */
typedef struct {
  VinduVideoSource video_source;
  const char *camera_device; /* "/dev/video0"; NULL: the first camera found */
  /* videotestsrc pattern nick, optionally followed by more of its properties (tests:
   * "zone-plate kx2=20 ky2=20 kt=1" moves and compresses like a real picture); NULL: "ball" */
  const char *test_pattern;
  VinduAudioSource audio_source;
  int test_tone_hz; /* the TEST audio source's tone, default 440; two peers in one room (or
                       one process) need different tones or echo cancellation removes them */
  VinduAudioSink audio_sink;
  int width, height, fps; /* sent video; default 640x480 at 30 */
  int video_bitrate_kbps; /* start bitrate; congestion control moves it (default 1000) */
  int video_bitrate_min_kbps, video_bitrate_max_kbps; /* default 150 and 2000 */
  int audio_bitrate_kbps;                             /* Opus, default 32 */
  int jitter_latency_ms;                              /* jitter-buffer latency, default 50 */
  const char *stun_server;                            /* "stun://host:port" or NULL */
  const char *turn_server; /* "turn(s)://user:password@host:port" or NULL */
  gboolean relay_only;     /* ICE through the TURN relay only (ice-transport-policy=relay) */
  int peer_lost_ms;        /* no media or RTCP from the peer this long: PEER_LOST (default 10000) */
  int connect_timeout_ms;  /* not connected this long after start: FAILED (default 30000) */
  gboolean echo_cancel;    /* webrtcdsp echo cancellation, noise suppression, AGC (default on) */
  double volume;           /* playback volume 0..1.5, default 1.0 */
  /* Paint a machine-readable timestamp (media/timestamp.h) into each sent frame. Bench only. */
  gboolean paint_timestamps;
} VinduCallSettings;

/* Fills in the defaults above (test sources off: AUTO sources and sinks). */
void vindu_call_settings_init(VinduCallSettings *settings);

typedef enum {
  VINDU_CALL_ROLE_OFFERER,  /* the kiosk towards browsers, or the caller kiosk */
  VINDU_CALL_ROLE_ANSWERER, /* the called kiosk in a kiosk-to-kiosk call */
} VinduCallRole;

typedef enum {
  VINDU_CALL_STATE_NEW,
  VINDU_CALL_STATE_CONNECTING, /* started; negotiating, ICE, DTLS */
  VINDU_CALL_STATE_CONNECTED,  /* the first media from the peer has arrived */
  VINDU_CALL_STATE_PEER_LOST,  /* terminal: no media from the peer for peer_lost_ms */
  VINDU_CALL_STATE_FAILED,     /* terminal: ICE, DTLS, pipeline failure or timeout; see reason */
} VinduCallState;

const char *vindu_call_state_name(VinduCallState state);

typedef struct _VinduCall VinduCall;

/* All optional. "sdp_type" is "offer" or "answer". "mline_index" and "candidate" are those of
 * an RTCIceCandidate (sdpMLineIndex, candidate). Strings are valid during the call only. */
typedef struct {
  void (*local_description)(VinduCall *call, const char *sdp_type, const char *sdp,
                            gpointer user_data);
  void (*local_candidate)(VinduCall *call, guint mline_index, const char *candidate,
                          gpointer user_data);
  /* reason is set for FAILED (domain VINDU_MEDIA_ERROR) and PEER_LOST; NULL otherwise. */
  void (*state_changed)(VinduCall *call, VinduCallState state, const GError *reason,
                        gpointer user_data);
  /* A new decoded frame, or a new own-camera preview frame, is waiting (coalesced: one call
   * per main-loop turn); take both with vindu_call_take_frame/take_local_frame. */
  void (*frame_ready)(VinduCall *call, gpointer user_data);
} VinduCallCallbacks;

/* Builds the pipeline (sources, encoders, webrtcbin, fixed sendrecv audio + video
 * transceivers) without starting it. Fails with NO_MICROPHONE when the microphone is missing;
 * a missing camera is not an error: see vindu_call_has_video(). context NULL: the default
 * context. Returns: (transfer full) */
VinduCall *vindu_call_new(const VinduCallSettings *settings, VinduCallRole role,
                          const VinduCallCallbacks *callbacks, gpointer user_data,
                          GMainContext *context, GError **error);

/* Starts media. An offerer then produces its offer through local_description. */
gboolean vindu_call_start(VinduCall *call, GError **error);

/* sdp_type "offer" (answerer) or "answer" (offerer). An answerer replies through
 * local_description. */
gboolean vindu_call_set_remote_description(VinduCall *call, const char *sdp_type, const char *sdp,
                                           GError **error);

/* A remote candidate; an empty or NULL candidate (end of candidates) is ignored. */
void vindu_call_add_remote_candidate(VinduCall *call, guint mline_index, const char *candidate);

/* Mute and camera-off close valves in front of the encoders; nothing is renegotiated. */
void vindu_call_set_muted(VinduCall *call, gboolean muted);
void vindu_call_set_camera_enabled(VinduCall *call, gboolean enabled);
void vindu_call_set_volume(VinduCall *call, double volume);

/* FALSE when the call went on without a camera (audio only). */
gboolean vindu_call_has_video(VinduCall *call);
VinduCallState vindu_call_get_state(VinduCall *call);

/* A decoded remote frame, I420. Planes stay valid until vindu_frame_free(). */
typedef struct {
  int width, height;
  int stride[3];
  const guint8 *plane[3]; /* Y, U, V */
  gint64 pts_us;          /* stream time of the frame */
  guint64 number;         /* 1 for the first decoded frame of the call, then counting */
} VinduFrame;

/* The newest decoded frame, or NULL if none arrived since the last take. Older frames not
 * taken were dropped. Any thread. Returns: (transfer full) (nullable) */
VinduFrame *vindu_call_take_frame(VinduCall *call);
void vindu_frame_free(VinduFrame *frame);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VinduFrame, vindu_frame_free)

/* Frames decoded so far in this call. Any thread. */
guint64 vindu_call_get_frames_decoded(VinduCall *call);

/* The width of the self-view frames (small: a corner of the screen, cheap to scale). */
#define VINDU_PREVIEW_WIDTH 240

/* The self-view: the newest frame of our own camera, scaled small (VINDU_PREVIEW_WIDTH wide,
 * the camera's shape), or NULL if none came since the last take. None come while the camera
 * is off or when there is no camera. "frame_ready" also announces these. Any thread.
 * Returns: (transfer full) (nullable) */
VinduFrame *vindu_call_take_local_frame(VinduCall *call);
/* Own-camera preview frames so far in this call. Any thread. */
guint64 vindu_call_get_local_frames(VinduCall *call);

/* Figures for the "connection is weak" banner, refreshed every 250 ms from webrtcbin's
 * get-stats; rates are over at least the last second (known after the first second of the
 * connected call). A figure not known yet is negative. */
typedef struct {
  double rtt_ms;            /* round trip, from RTCP */
  double jitter_ms;         /* inbound jitter (worst of audio and video) */
  double loss_fraction;     /* inbound packets lost / expected over the last second, 0..1 */
  double bitrate_in_kbps;   /* everything received, over the last second or more */
  double bitrate_out_kbps;  /* everything sent (audio and video), over the last second or more */
  double video_target_kbps; /* what congestion control asks of the encoder */
  double frame_rate;        /* decoded frames per second over the last second */
  guint64 frames_decoded;   /* as vindu_call_get_frames_decoded() */
  guint64 audio_buffers_played;
  double remote_audio_level_db; /* RMS of the peer's audio, measured every 100 ms; a reading
                                 * counts for 0.5 s, then -100 (silent or nothing arriving) */
  gboolean weak;                /* loss > 5 %, RTT > 400 ms or no inbound packet for 1.5 s
                                   (media/link_quality.h; not frame rate: the peer's camera may
                                   simply be off) */
  guint64 bytes_sent;           /* everything sent so far (get-stats' bytes-sent), 0 before */
  gint64 bytes_sent_at_us;      /* g_get_monotonic_time() of the reply bytes_sent is from */
} VinduCallStats;

void vindu_call_get_stats(VinduCall *call, VinduCallStats *stats);

/* Tears the whole pipeline down (to NULL, then freed) before returning. NULL-safe. */
void vindu_call_free(VinduCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(VinduCall, vindu_call_free)

G_END_DECLS
