#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/call_media.h"

#ifdef VINDU_KIOSK_HAVE_MEDIA
#include <malloc.h>
#include <unistd.h>

#include "media/call.h"

struct VkCallMedia {
  VkApp *app;
  VkMediaSignalling signalling;
  VkMediaSources sources;
  VinduCall *call;
  char *turn;
  gboolean relay_only;
  guint stats_id;
  guint64 frames_shown;
  guint64 self_frames_shown; /* own-camera preview frames put into the self-view texture */
  GThread *init_thread;      /* vindu_media_init: the DTLS key takes ~1 s, off the UI's way */
  gboolean ready;
  gboolean start_pending; /* a session was asked for before the engine was ready */
  gboolean start_offerer;
  gboolean mic_unknown;    /* a call began before the microphone could be known */
  guint mic_poll_id;       /* asks again while the device monitor cannot say yet */
  gboolean answered_offer; /* this session answers, and has taken its offer */
  /* The peer's offer or answer and candidates that came while the session waited for the
   * engine (start_pending): applied in order once it starts. */
  GPtrArray *early_signals; /* of EarlySignal */
  guint trim_id;            /* gives the call's freed memory back, a little after it ended */
};

/* A kiosk called right after its start answers before its engine is ready (the DTLS key and
 * the device monitor's first pass take ~1 s): the caller's offer and candidates then arrive
 * before there is a session to take them. Dropping them left that session waiting for an
 * offer that never came again, "connecting" until the 20 s redial. They wait here instead. */
typedef struct {
  char *sdp_type; /* NULL: a candidate */
  char *text;     /* the SDP or the candidate */
  guint mline;
} EarlySignal;

/* A peer's whole offer and its trickled candidates are a few dozen; more is not a call. */
#define EARLY_SIGNALS_MAX 64

static void
early_signal_free(gpointer data)
{
  EarlySignal *e = data;
  g_free(e->sdp_type);
  g_free(e->text);
  g_free(e);
}

static void
keep_early_signal(VkCallMedia *m, const char *sdp_type, const char *text, guint mline)
{
  if (!text)
    return;
  if (m->early_signals->len >= EARLY_SIGNALS_MAX) {
    g_warning("call media: more than %d signals before the session started; one dropped",
              EARLY_SIGNALS_MAX);
    return;
  }
  EarlySignal *e = g_new(EarlySignal, 1);
  *e = (EarlySignal){g_strdup(sdp_type), g_strdup(text), mline};
  g_ptr_array_add(m->early_signals, e);
}

/* The session has just started: it takes what came for it while it waited, in order. */
static void
apply_early_signals(VkCallMedia *m, GPtrArray *early)
{
  for (guint i = 0; i < early->len; i++) {
    EarlySignal *e = early->pdata[i];
    if (e->sdp_type)
      vk_call_media_remote_sdp(m, e->sdp_type, e->text);
    else
      vk_call_media_remote_ice(m, e->mline, e->text);
  }
}

static gboolean init_done(gpointer data);

/* Started with the kiosk, so the engine is usually ready long before the first call. The UI
 * thread never joins it while it still works: it is told through the main loop when done. */
static gpointer
init_thread(gpointer data)
{
  VkCallMedia *m = data;
  GError *err = NULL;
  gboolean ok = vindu_media_init(&err);
  if (!ok) {
    g_warning("no calls possible: %s", err->message);
    g_error_free(err);
  } else {
    /* The engine's device monitor waits for its first pass (up to 2 s) on the first question
     * only; asked here, the UI thread's questions never wait. */
    (void)vindu_media_microphone();
  }
  g_idle_add(init_done, m); /* removed by data in vk_call_media_free if never run */
  return GINT_TO_POINTER(ok);
}

static gboolean poll_microphone(gpointer data);

/* The call rang, went out or was even taken while the microphone was not known: once it is,
 * end the call plainly if there is none (a waiting session is dropped; call_state hangs up a
 * connecting call). Still not known (a sound server not answering): ask again in a while. */
static void
recheck_microphone(VkCallMedia *m)
{
  VinduMicrophone mic = m->ready ? vindu_media_microphone() : VINDU_MICROPHONE_PRESENT;
  if (mic == VINDU_MICROPHONE_UNKNOWN) {
    if (!m->mic_poll_id)
      m->mic_poll_id = g_timeout_add(500, poll_microphone, m);
    return;
  }
  m->mic_unknown = FALSE;
  g_clear_handle_id(&m->mic_poll_id, g_source_remove);
  if (mic == VINDU_MICROPHONE_ABSENT) {
    m->start_pending = FALSE;
    vk_app_call_event(m->app, CALL_EVENT_MICROPHONE_MISSING, NULL, FALSE);
  }
}

/* Every 500 ms while a call that began without knowing goes on; a read, never a wait. */
static gboolean
poll_microphone(gpointer data)
{
  VkCallMedia *m = data;
  CallStateId s = m->app->call.state;
  if (s == CALL_STATE_IDLE || s == CALL_STATE_ENDED) {
    m->mic_unknown = FALSE; /* that call is over: the next one asks afresh */
    m->mic_poll_id = 0;
    return G_SOURCE_REMOVE;
  }
  m->mic_poll_id = 0;
  recheck_microphone(m); /* sets a new timer if still not known */
  return G_SOURCE_REMOVE;
}

/* Joins the finished thread (at once: it has returned) and catches up on what waited for it. */
static gboolean
init_done(gpointer data)
{
  VkCallMedia *m = data;
  m->ready = GPOINTER_TO_INT(g_thread_join(g_steal_pointer(&m->init_thread)));
  if (m->mic_unknown)
    recheck_microphone(m);
  if (m->start_pending) {
    m->start_pending = FALSE;
    /* vk_call_media_start() clears the list: take it first. */
    g_autoptr(GPtrArray) early = g_steal_pointer(&m->early_signals);
    m->early_signals = g_ptr_array_new_with_free_func(early_signal_free);
    if (vk_call_media_start(m, m->start_offerer))
      apply_early_signals(m, early);
  }
  return G_SOURCE_REMOVE;
}

/* TRUE once the engine has started; FALSE while it is starting or when it could not. */
static gboolean
engine_ready(VkCallMedia *m)
{
  return !m->init_thread && m->ready;
}

static gboolean
engine_starting(VkCallMedia *m)
{
  return m->init_thread != NULL;
}

gboolean
vk_call_media_available(void)
{
  return TRUE;
}

const char *
vk_call_media_engine_state(VkCallMedia *m)
{
  return engine_starting(m) ? "starting" : engine_ready(m) ? "ready" : "none";
}

VkCallMedia *
vk_call_media_new(VkApp *app, VkMediaSources sources)
{
  VkCallMedia *m = g_new0(VkCallMedia, 1);
  m->app = app;
  m->sources = sources;
  m->early_signals = g_ptr_array_new_with_free_func(early_signal_free);
  m->init_thread = g_thread_new("media-init", init_thread, m);
  return m;
}

void
vk_call_media_set_signalling(VkCallMedia *m, const VkMediaSignalling *signalling)
{
  m->signalling = *signalling;
}

static void
on_local_description(VinduCall *call, const char *type, const char *sdp, gpointer data)
{
  VkCallMedia *m = data;
  if (m->signalling.send_sdp)
    m->signalling.send_sdp(m->signalling.data, type, sdp);
}

static void
on_local_candidate(VinduCall *call, guint mline, const char *cand, gpointer data)
{
  VkCallMedia *m = data;
  if (m->signalling.send_ice)
    m->signalling.send_ice(m->signalling.data, mline, cand);
}

static void
on_state(VinduCall *call, VinduCallState state, const GError *reason, gpointer data)
{
  VkCallMedia *m = data;
  g_message("call media: %s%s%s", vindu_call_state_name(state), reason ? ": " : "",
            reason ? reason->message : "");
  if (state == VINDU_CALL_STATE_CONNECTED)
    vk_app_call_event(m->app, CALL_EVENT_MEDIA_CONNECTED, NULL, FALSE);
  else if (state == VINDU_CALL_STATE_FAILED || state == VINDU_CALL_STATE_PEER_LOST)
    vk_app_call_event(m->app, CALL_EVENT_MEDIA_FAILED, NULL, FALSE);
}

/* Puts a frame into a video slot's IYUV texture (0: the peer, 1: the self-view), recreating
 * the texture when the size changed. FALSE if there is no texture. */
static gboolean
upload(VkUi *ui, int slot, const VinduFrame *f)
{
  if (ui->video_tex[slot] && (ui->video_w[slot] != f->width || ui->video_h[slot] != f->height))
    g_clear_pointer(&ui->video_tex[slot], SDL_DestroyTexture);
  if (!ui->video_tex[slot]) {
    ui->video_tex[slot] = SDL_CreateTexture(ui->renderer, SDL_PIXELFORMAT_IYUV,
                                            SDL_TEXTUREACCESS_STREAMING, f->width, f->height);
    ui->video_w[slot] = f->width;
    ui->video_h[slot] = f->height;
    if (!ui->video_tex[slot])
      return FALSE;
  }
  SDL_UpdateYUVTexture(ui->video_tex[slot], NULL, f->plane[0], f->stride[0], f->plane[1],
                       f->stride[1], f->plane[2], f->stride[2]);
  return TRUE;
}

/* One notification covers both slots: the peer's newest frame and our own preview. */
static void
on_frame(VinduCall *call, gpointer data)
{
  VkCallMedia *m = data;
  VkUi *ui = m->app->ui;
  gboolean first = FALSE, shown = FALSE;
  g_autoptr(VinduFrame) self = vindu_call_take_local_frame(call);
  /* A preview frame racing the camera-off valve must not bring the picture back. */
  if (self && m->app->camera_on) {
    first |= ui->video_tex[1] == NULL;
    if (upload(ui, 1, self)) {
      m->self_frames_shown++;
      shown = TRUE;
    }
  }
  g_autoptr(VinduFrame) f = vindu_call_take_frame(call);
  if (f) {
    first |= ui->video_tex[0] == NULL;
    if (upload(ui, 0, f)) {
      m->frames_shown++;
      shown = TRUE;
      vk_app_remote_frame(m->app); /* a stopped picture is live again */
    }
  }
  if (!shown || m->app->screen != VK_SCREEN_IN_CALL)
    return;
  if (first)
    vk_app_invalidate(m->app); /* the photo gives way to the video, the self-view appears */
  else
    vk_app_redraw(m->app);
}

static gboolean
poll_stats(gpointer data)
{
  VkCallMedia *m = data;
  if (!m->call)
    return G_SOURCE_CONTINUE;
  VinduCallStats st;
  vindu_call_get_stats(m->call, &st);
  gboolean weak = st.weak && vindu_call_get_state(m->call) == VINDU_CALL_STATE_CONNECTED;
  vk_app_set_weak_connection(m->app, weak);
  return G_SOURCE_CONTINUE;
}

gboolean
vk_call_media_start(VkCallMedia *m, gboolean offerer)
{
  vk_call_media_stop(m);
  if (engine_starting(m)) {
    /* answered or accepted within the engine's first second: the session starts when it is
     * ready (init_done), not by waiting for it here */
    m->start_pending = TRUE;
    m->start_offerer = offerer;
    return TRUE;
  }
  if (!engine_ready(m)) {
    vk_app_call_event(m->app, CALL_EVENT_MEDIA_FAILED, NULL, FALSE);
    return FALSE;
  }
  VinduCallSettings s;
  vindu_call_settings_init(&s);
  if (m->sources != VK_MEDIA_REAL) {
    s.video_source = VINDU_VIDEO_SOURCE_TEST;
    s.audio_source = VINDU_AUDIO_SOURCE_TEST;
    s.audio_sink = VINDU_AUDIO_SINK_TEST;
    s.test_tone_hz = 330 + (int)(getpid() % 7) * 110;
    s.width = 320;
    s.height = 240;
  }
  s.turn_server = m->turn;
  s.relay_only = m->relay_only;
  s.volume = m->app->volume / 7.0;
  VinduCallCallbacks cb = {on_local_description, on_local_candidate, on_state, on_frame};
  g_autoptr(GError) err = NULL;
  m->call = vindu_call_new(&s, offerer ? VINDU_CALL_ROLE_OFFERER : VINDU_CALL_ROLE_ANSWERER, &cb, m,
                           NULL, &err);
  if (!m->call || !vindu_call_start(m->call, &err)) {
    g_warning("cannot start the call: %s", err ? err->message : "?");
    g_clear_pointer(&m->call, vindu_call_free);
    vk_app_call_event(m->app, CALL_EVENT_MEDIA_FAILED, NULL, FALSE);
    return FALSE;
  }
  vindu_call_set_camera_enabled(m->call, m->app->camera_on);
  m->stats_id = g_timeout_add_seconds(1, poll_stats, m);
  m->answered_offer = FALSE;
  return TRUE;
}

gboolean
vk_call_media_has_microphone(VkCallMedia *m)
{
  if (m->sources != VK_MEDIA_REAL)
    return m->sources != VK_MEDIA_TEST_NO_MICROPHONE;
  if (engine_starting(m)) {
    /* Not known yet (the first second after start-up): taken as there, so a call rings and
     * nothing waits on the UI thread; init_done asks again and ends the call plainly if not. */
    m->mic_unknown = TRUE;
    return TRUE;
  }
  if (!engine_ready(m))
    return TRUE; /* no engine: the call fails as any media failure would */
  VinduMicrophone mic = vindu_media_microphone();
  if (mic != VINDU_MICROPHONE_UNKNOWN)
    return mic == VINDU_MICROPHONE_PRESENT;
  /* The device monitor's start is stuck (a sound server not answering): not "absent", which
   * would tell the resident the microphone is broken. As in the first second: ring, and end
   * the call plainly if it turns out missing. */
  m->mic_unknown = TRUE;
  recheck_microphone(m);
  return TRUE;
}

/* A call's buffers are freed in GStreamer's streaming threads, each with its own malloc arena;
 * glibc keeps what they freed, and over 150 calls the idle kiosk grew from 59 MB to 73-92 MB (not
 * a leak: the arenas' free lists). Once the pipeline's threads have ended, give it back. */
#define TRIM_AFTER_CALL_S 3

static gboolean
trim_after_call(gpointer data)
{
  VkCallMedia *m = data;
  m->trim_id = 0;
  if (!m->call)
    malloc_trim(0);
  return G_SOURCE_REMOVE;
}

void
vk_call_media_stop(VkCallMedia *m)
{
  g_clear_handle_id(&m->stats_id, g_source_remove);
  if (m->call && !m->trim_id)
    m->trim_id = g_timeout_add_seconds(TRIM_AFTER_CALL_S, trim_after_call, m);
  g_clear_pointer(&m->call, vindu_call_free);
  m->start_pending = FALSE;
  g_ptr_array_set_size(m->early_signals, 0);
  vk_app_set_weak_connection(m->app, FALSE);
}

void
vk_call_media_remote_sdp(VkCallMedia *m, const char *type, const char *sdp)
{
  gboolean offer = g_strcmp0(type, "offer") == 0;
  if (m->start_pending && offer)
    g_ptr_array_set_size(m->early_signals, 0); /* a redial's offer replaces the first */
  /* A redial offer from the other kiosk: its network dropped, ours may not have noticed yet.
   * A new session takes it; the old one could not (new ICE, new DTLS). */
  else if (offer && (!m->call || m->answered_offer))
    vk_call_media_start(m, FALSE);
  if (m->start_pending) {
    keep_early_signal(m, type, sdp, 0);
    return;
  }
  if (!m->call)
    return;
  g_autoptr(GError) err = NULL;
  if (!vindu_call_set_remote_description(m->call, type, sdp, &err))
    g_warning("remote description refused: %s", err->message);
  else if (offer)
    m->answered_offer = TRUE;
}

void
vk_call_media_remote_ice(VkCallMedia *m, guint mline, const char *cand)
{
  if (m->start_pending)
    keep_early_signal(m, NULL, cand, mline);
  else if (m->call)
    vindu_call_add_remote_candidate(m->call, mline, cand);
}

void
vk_call_media_set_turn(VkCallMedia *m, const char *turn, gboolean relay_only)
{
  g_free(m->turn);
  m->turn = g_strdup(turn);
  m->relay_only = relay_only;
}

void
vk_call_media_set_camera(VkCallMedia *m, gboolean on)
{
  if (m->call)
    vindu_call_set_camera_enabled(m->call, on);
  /* Camera back on: show nothing until a fresh frame, never the one from before. */
  if (!on)
    g_clear_pointer(&m->app->ui->video_tex[1], SDL_DestroyTexture);
}

void
vk_call_media_set_volume(VkCallMedia *m, int v)
{
  if (m->call)
    vindu_call_set_volume(m->call, CLAMP(v / 7.0, 0.0, 1.5));
}

gboolean
vk_call_media_active(VkCallMedia *m)
{
  return m->call != NULL;
}

guint64
vk_call_media_frames_shown(VkCallMedia *m)
{
  return m->frames_shown;
}

guint64
vk_call_media_frames_decoded(VkCallMedia *m)
{
  return m->call ? vindu_call_get_frames_decoded(m->call) : 0;
}

guint64
vk_call_media_self_frames_shown(VkCallMedia *m)
{
  return m->self_frames_shown;
}

gboolean
vk_call_media_received_level_db(VkCallMedia *m, double *db)
{
  if (!m->call)
    return FALSE;
  VinduCallStats st;
  vindu_call_get_stats(m->call, &st);
  *db = st.remote_audio_level_db;
  return TRUE;
}

void
vk_call_media_free(VkCallMedia *m)
{
  if (!m)
    return;
  vk_call_media_stop(m);
  if (m->init_thread) /* quitting: the thread must end before m goes; its note is dropped */
    g_thread_join(g_steal_pointer(&m->init_thread));
  g_idle_remove_by_data(m);
  g_clear_handle_id(&m->mic_poll_id, g_source_remove);
  g_clear_handle_id(&m->trim_id, g_source_remove);
  g_ptr_array_unref(m->early_signals);
  g_free(m->turn);
  g_free(m);
}

#else /* no media engine in this build */

gboolean
vk_call_media_available(void)
{
  return FALSE;
}

const char *
vk_call_media_engine_state(VkCallMedia *m)
{
  return "none";
}

VkCallMedia *
vk_call_media_new(VkApp *app, VkMediaSources sources)
{
  g_warning("this kiosk was built without the media engine: calls cannot connect");
  return NULL;
}

void
vk_call_media_free(VkCallMedia *m)
{
}
void
vk_call_media_set_signalling(VkCallMedia *m, const VkMediaSignalling *signalling)
{
}
gboolean
vk_call_media_start(VkCallMedia *m, gboolean offerer)
{
  return FALSE;
}
void
vk_call_media_stop(VkCallMedia *m)
{
}
void
vk_call_media_remote_sdp(VkCallMedia *m, const char *t, const char *s)
{
}
void
vk_call_media_remote_ice(VkCallMedia *m, guint i, const char *c)
{
}
void
vk_call_media_set_turn(VkCallMedia *m, const char *t, gboolean relay_only)
{
}
void
vk_call_media_set_camera(VkCallMedia *m, gboolean on)
{
}
void
vk_call_media_set_volume(VkCallMedia *m, int v)
{
}
gboolean
vk_call_media_active(VkCallMedia *m)
{
  return FALSE;
}
guint64
vk_call_media_frames_shown(VkCallMedia *m)
{
  return 0;
}
guint64
vk_call_media_frames_decoded(VkCallMedia *m)
{
  return 0;
}
guint64
vk_call_media_self_frames_shown(VkCallMedia *m)
{
  return 0;
}
gboolean
vk_call_media_has_microphone(VkCallMedia *m)
{
  return TRUE;
}
gboolean
vk_call_media_received_level_db(VkCallMedia *m, double *db)
{
  return FALSE;
}
#endif
