/* The kiosk application: one window, the current screen's widget tree, the local model and
 * the call state machine, tied together on the GLib main loop. */
#pragma once

#include <SDL.h>
#include <glib.h>

#include "kiosk/call_state.h"
#include "kiosk/model.h"
#include "kiosk/remote_picture.h"
#include "kiosk/screen_state/home.h"
#include "kiosk/screen_state/memory_view.h"
#include "kiosk/screen_state/messages.h"
#include "kiosk/screen_state/photo_frame.h"
#include "kiosk/screen_state/settings.h"
#include "kiosk/ui/widget.h"

G_BEGIN_DECLS

typedef enum {
  VK_SCREEN_PAIRING,
  VK_SCREEN_HOME,
  VK_SCREEN_PHOTO_FRAME,
  VK_SCREEN_CALLING,
  VK_SCREEN_INCOMING,
  VK_SCREEN_IN_CALL,
  VK_SCREEN_CALL_ENDED,
  VK_SCREEN_MESSAGES,
  VK_SCREEN_RECORDING,    /* the resident records a voice reply */
  VK_SCREEN_CARD,         /* a plugin's card (plugin_cards.h) */
  VK_SCREEN_PHOTO_VIEW,   /* a photo from a message, whole, full screen, with who and words */
  VK_SCREEN_NIGHT,        /* quiet hours: a dim clock in words; a touch or a call wakes it */
  VK_SCREEN_MEMORY_VIEW,  /* a photo of the frame, still, with its caption (memory_view.c) */
  VK_SCREEN_SETTINGS_PIN, /* helpers only: behind five taps on the clock and a PIN */
  VK_SCREEN_SETTINGS,
  VK_SCREEN_SETTINGS_VOLUME,      /* the ring and call volume */
  VK_SCREEN_SETTINGS_QUIET_HOURS, /* sent to the hub */
  VK_SCREEN_SETTINGS_AUTO_ANSWER, /* consent to auto-answer, per person */
} VkScreenId;

/* The photo frame's settings: the idle time before it plays (0: never, at most a day) and its
 * pace (a photo shorter than 3 s cannot be looked at, longer than an hour is no frame). */
#define VK_IDLE_SECONDS_MAX (24 * 3600)
#define VK_FRAME_SECONDS_MIN 3
#define VK_FRAME_SECONDS_MAX 3600

typedef struct {
  char *hub_url;
  char *data_dir;
  char *pair_code;
  gboolean insecure;
  gboolean headless;
  char *screenshot_dir;
  gboolean describe;
  char *theme;
  char *lang;
  double dpi;
  int width, height;
  char *fixture;
  char *themes_dir;
  int idle_seconds;  /* home becomes a photo frame after this long idle (0: never) */
  int frame_seconds; /* the photo frame's pace: how long each photo (or pair) stays */
  gboolean one_button;
  gboolean speech;
  char *speech_wav_dir;   /* tests: write speech to WAV files instead of the sound card */
  int exit_after_ms;      /* tests and bench: quit after this long (0: never) */
  gboolean media_test;    /* test picture and tone instead of camera and microphone */
  gboolean no_microphone; /* tests (with media_test): as if no microphone were connected */
  gboolean control;       /* tests: commands on stdin, states on stdout */
  char *settings_pin;     /* store this helper PIN (digits) in the cache */
  char *plugins_dir;      /* where the plugins are (default: the build's or the system's) */
} VkOptions;

void vk_options_clear(VkOptions *o);

typedef struct VkApp VkApp;
typedef struct VkAppPort VkAppPort;

/* Outward actions (hub, media, speech); any may be NULL. */
typedef enum {
  VK_VOICE_HELD_RECORDING, /* recording has started */
  VK_VOICE_HELD_STOPPED,   /* "Stop and send" touched: the file is being finished */
  VK_VOICE_HELD_DROP,
} VkVoiceHeld;

typedef struct {
  void (*call_signal)(gpointer data, const char *what, const char *peer_id);
  void (*media_start)(gpointer data, const char *peer_id);
  void (*media_stop)(gpointer data);
  void (*quick_reply)(gpointer data, const char *to_id, const char *reply);
  void (*message_seen)(gpointer data, const char *message_id);
  gboolean (*hub_connected)(gpointer data);
  void (*fetch_file)(gpointer data, const char *file_hash);
  /* helpers' settings: start/end NULL = no quiet hours; agreed_by is the resident's name */
  void (*set_quiet_hours)(gpointer data, const char *start, const char *end);
  void (*set_consent)(gpointer data, const char *person_id, gboolean on, const char *agreed_by);
  /* a finished voice reply (the file now belongs to the hook); FALSE if it cannot be kept */
  gboolean (*send_voice)(gpointer data, const char *to_id, const char *path, guint duration_ms);
  /* a voice reply's row in the outbox, from the moment it starts recording: so a crash or power
   * cut never loses it without a word (kiosk/voice_salvage.h). VK_VOICE_HELD_DROP removes the row
   * and the file (cancelled, or the recording failed). */
  void (*hold_voice)(gpointer data, const char *to_id, const char *path, VkVoiceHeld state,
                     guint elapsed_ms);
  /* where to record the next voice reply. transfer full */
  char *(*new_recording_path)(gpointer data);
  /* replies not yet accepted by the hub, and those it refused for good */
  void (*outbox_counts)(gpointer data, guint *waiting, guint *refused);
  /* is there a microphone to call with? Asked before a call rings anyone; NULL: yes */
  gboolean (*has_microphone)(gpointer data);
  gpointer data;
} VkAppHooks;

struct VkApp {
  VkOptions *opts; /* transfer none */
  VkModel *model;
  CallState call;
  SDL_Window *window;
  SDL_Renderer *renderer;
  VkTheme *theme;
  VkUi *ui;
  VkScreenId screen;
  VkWidget *root;
  gboolean dirty;
  gboolean presented_once;
  /* the screens' own state, each declared with what changes it in kiosk/screen_state/ */
  VkHomeState home;
  VkMessagesState messages;
  VkFrameState frame;
  VkSettingsState settings;
  VkMemoryState memory;
  gboolean weak_connection;
  VkPictureWatch picture; /* is the other person's picture still coming? (in a connected call) */
  guint picture_timer;    /* its one deadline check */
  int volume;             /* 0..10 */
  guint volume_timer;     /* volume_keys.c: the volume is shown until this fires */
  GHashTable *plans_said; /* plan_announce.c: visits and check-ins already said */
  gboolean camera_on;
  gint64 last_input_us;
  guint call_timer;
  guint ring_speech_timer; /* "Anna is calling" again while it rings */
  gboolean read_messages;  /* a message's words read aloud when it is opened (a setting) */
  guint idle_timer;
  guint clock_timer;
  guint redraw_idle;
  guint model_listener; /* the app's listener on the model (vk_model_listen) */
  VkWidget *focus;      /* keyboard / one-button focus */
  gint64 key_down_us;   /* one-button: press start */
  gint64 last_activate_us;
  GHashTable *screens_seen; /* screenshot names already written */
  int screenshot_seq;
  gint64 input_event_us; /* bench: time of the last input event, for latency */
  gint64 last_latency_us;
  VkAppHooks hooks;
  const VkAppPort *port;     /* app_port.h: what vk_app_show & co. forward to (set by vk_app_new) */
  struct VkCallMedia *media; /* NULL without a media engine */
  GMainLoop *loop;
  char *last_state;                 /* --control: the last state printed */
  struct VkCache *cache;            /* NULL with a fixture */
  struct _VinduPluginHost *plugins; /* NULL without plugins */
  struct VkVoiceReply *voice;       /* the voice reply being recorded, or NULL */
  struct VkVoicePlayer *player;     /* received voice notes, made on first use */
  struct VkPluginCards *cards;      /* plugins' cards, shown and waiting (NULL: none yet) */
  struct VkPluginReports *reports;  /* plugins' answers and inventory for the hub, made on use */
};

VkApp *vk_app_new(VkOptions *opts, GError **error);
void vk_app_free(VkApp *app);

/* Asked of the app, by kiosk/app/ itself and by the modules below it (screens/, call_media,
 * plugin_cards, plugins_glue, voice_reply, volume_keys). Defined in kiosk/app_port.c, which
 * forwards them to kiosk/app/ through app->port, so none of those modules calls into app/. */
/* The screen the call state and model imply. */
void vk_app_show(VkApp *app, VkScreenId screen);
/* Rebuilds the widget tree if dirty and draws; presents. */
void vk_app_redraw(VkApp *app);
void vk_app_invalidate(VkApp *app);
/* A line for the messages screen ("Your voice message is on its way to Anna."), shown a while;
 * NULL clears it. */
void vk_app_set_notice(VkApp *app, const char *text);
/* A target was touched. */
void vk_app_activate(VkApp *app, const char *action, const char *arg);
/* Feeds the call state machine and carries out its actions. */
void vk_app_call_event(VkApp *app, CallEventId ev, const char *peer_id, gboolean auto_answer);
/* A new frame of the other person is on screen (call_media.c): a stopped picture comes back at
 * once, and the watch's deadline moves on without touching the timer. */
void vk_app_remote_frame(VkApp *app);
/* The connection under the call became weak or good again (the media engine's statistics): the
 * banner, and the picture watch, which never calls a picture stalled on a weak link "camera off".
 */
void vk_app_set_weak_connection(VkApp *app, gboolean weak);
/* The kiosk's monotonic clock in ms. */
gint64 vk_app_now_ms(void);
/* The resident touched an action of a plugin's item or card: to its plugin (plugins_glue.h). */
void vk_app_plugin_action(VkApp *app, const char *plugin, const char *item, const char *action);

/* An end a helper can fix (no microphone, not connected): read aloud, shown longer. */
gboolean vk_call_end_is_problem(CallEndReason r);
/* How often "Anna is calling" is said again while it rings. */
#define VK_RING_SPEECH_S 15
/* Says who is calling again if it still rings (the ring's timer calls it). */
void vk_app_ring_announce(VkApp *app);
/* A message as it is read aloud: who, and their words. transfer full */
char *vk_message_spoken(VkApp *app, VkMessage *m);
/* The call-ended screen's sentence ("Anna is busy right now. ..."). transfer full */
char *vk_call_ended_sentence(VkApp *app);
void vk_app_handle_event(VkApp *app, const SDL_Event *ev);
/* Builds the tree for a screen from the current state (screens/). transfer full */
VkWidget *vk_screen_build(VkApp *app, VkScreenId screen);
const char *vk_screen_name(VkScreenId s);
/* "incoming-auto-answer", "messages-photo", ...: the screen plus its variant. transfer full */
char *vk_app_state_name(VkApp *app);
/* What the clock does each minute (and after --control clock-advance): plugin timers due run,
 * the "today" strip follows the time (plugin items, and check-ins when the date changed or one
 * expired), the clock redraws. */
void vk_app_clock_tick(VkApp *app);

/* screens/ */
VkWidget *vk_screen_pairing(VkApp *app);
VkWidget *vk_screen_home(VkApp *app);
VkWidget *vk_screen_photo_frame(VkApp *app);
VkWidget *vk_screen_calling(VkApp *app);
VkWidget *vk_screen_incoming(VkApp *app);
VkWidget *vk_screen_in_call(VkApp *app);
VkWidget *vk_screen_call_ended(VkApp *app);
VkWidget *vk_screen_messages(VkApp *app);
VkWidget *vk_screen_recording(VkApp *app);
VkWidget *vk_screen_card(VkApp *app);
VkWidget *vk_screen_photo_view(VkApp *app);
VkWidget *vk_screen_night(VkApp *app);
VkWidget *vk_screen_memory_view(VkApp *app);
/* memory_view.c: its actions ("memory-open", "memory-call", ...); TRUE if it was one. */
gboolean vk_memory_view_activate(VkApp *app, const char *action, const char *arg);
/* Within the household's quiet hours by the kiosk's clock (model_words.c). */
gboolean vk_night_now(VkApp *app);
/* The person's display name, or a neutral word when unknown (model_words.c). */
const char *vk_person_name(VkApp *app, const char *id);
/* The message shown on the messages screen (and in full screen), or NULL. transfer none */
VkMessage *vk_app_current_message(VkApp *app);
VkWidget *vk_screen_settings_pin(VkApp *app);
VkWidget *vk_screen_settings(VkApp *app);
VkWidget *vk_screen_settings_volume(VkApp *app);
VkWidget *vk_screen_settings_quiet_hours(VkApp *app);
VkWidget *vk_screen_settings_auto_answer(VkApp *app);
/* settings_more.c: TRUE if the action was one of its own */
gboolean vk_settings_more_activate(VkApp *app, const char *action, const char *arg);
/* The ring and call volume changed: apply it to the ring and keep it (0..10). */
void vk_settings_volume_changed(VkApp *app);
/* Settings actions (settings.c): TRUE if the action was a settings one. */
gboolean vk_settings_activate(VkApp *app, const char *action, const char *arg);
/* A tap that hit no target: counts toward the helpers' gesture. */
void vk_settings_gesture_tap(VkApp *app, int x, int y);

G_END_DECLS
