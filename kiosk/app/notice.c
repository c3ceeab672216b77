/* The messages screen's notice: what became of the last reply or voice note, for a while. */
#define G_LOG_DOMAIN "vindu-kiosk"
#include "kiosk/app/internal.h"
#include "kiosk/i18n.h"
#include "kiosk/screens/common.h"
#include "kiosk/speech.h"
#include "kiosk/voice_reply.h"

/* How long the messages screen says what became of a reply or a voice note. */
#define NOTICE_S 10

static gboolean
clear_notice(gpointer data)
{
  VkApp *app = data;
  vk_messages_state_notice_ended(&app->messages);
  vk_app_invalidate(app);
  return G_SOURCE_REMOVE;
}

void
vk_voice_reply_quick_sent(VkApp *app, const char *to_id)
{
  const char *name = vk_person_name(app, to_id);
  g_autofree char *notice =
      app->hooks.hub_connected && app->hooks.hub_connected(app->hooks.data)
          ? g_strdup_printf(_("Your message is on its way to %s."), name)
          : g_strdup_printf(_("Your message to %s will be sent when the connection is back."),
                            name);
  vk_app_set_notice(app, notice);
  vk_speech_say(notice);
}

void
vk_app_do_set_notice(VkApp *app, const char *text)
{
  vk_messages_state_set_notice(&app->messages, text,
                               text ? g_timeout_add_seconds(NOTICE_S, clear_notice, app) : 0);
  vk_app_invalidate(app);
}
