#include "cards.h"

#include "words.h"

#include <string.h>

#define BODY_MAX 300 /* the host's bound on a card's body, in characters */

static const char *const card_kinds[] = {"invite",    "ride",   "confirm", "changed",
                                         "cancelled", "remind", NULL};

static const char *
lang(const VinduHost *host)
{
  return host->language(host);
}

static char *
when(const VinduHost *host, gint64 at)
{
  return activity_when(lang(host), at, host->now(host));
}

/* Shows the card and reads its title and body aloud (the host keeps both silent in quiet hours
 * and during a call, and the card waits for a call to end). */
static void
show(const VinduHost *host, const char *what, const Activity *a, const char *title,
     const char *body, const VinduAction *buttons, int n)
{
  g_autofree char *id = g_strdup_printf("%s:%s", what, a->doc);
  VinduCard card = {.id = id, .title = title, .body = body, .photo = a->photo};
  for (int i = 0; i < n && i < VINDU_CARD_MAX_BUTTONS; i++)
    card.buttons[i] = buttons[i];
  if (host->card_show(host, &card) != 0) {
    host->log(host, VINDU_LOG_WARNING, "an activity card was refused by the kiosk");
    return;
  }
  g_autofree char *spoken = body ? g_strdup_printf("%s. %s", title, body) : g_strdup(title);
  host->say(host, spoken);
}

/* Appends a sentence when the body stays within the host's bound. */
static void
add_sentence(GString *body, const char *sentence)
{
  if (!sentence || !*sentence)
    return;
  if (g_utf8_strlen(body->str, -1) + 1 + g_utf8_strlen(sentence, -1) > BODY_MAX)
    return;
  if (body->len)
    g_string_append_c(body, ' ');
  g_string_append(body, sentence);
}

/* "I dag klokka 13:00, til 15:00. Dagsenteret, Storgata 1." */
static char *
when_and_where(const VinduHost *host, const Activity *a)
{
  const char *l = lang(host);
  g_autofree char *start = when(host, a->starts_at);
  g_autoptr(GString) s = g_string_new(NULL);
  g_autofree char *cap = activity_capitalised(start);
  g_string_append(s, cap);
  if (a->ends_at > a->starts_at) {
    g_autoptr(GDateTime) end = g_date_time_new_from_unix_local(a->ends_at);
    g_autofree char *clock = g_date_time_format(end, "%H:%M");
    g_string_append_printf(s, activity_word(l, W_UNTIL), clock);
  }
  g_string_append_c(s, '.');
  if (a->place || a->address)
    g_string_append_printf(s, " %s%s%s.", a->place ? a->place : "",
                           a->place && a->address ? ", " : "", a->address ? a->address : "");
  return g_string_free(g_steal_pointer(&s), FALSE);
}

void
cards_invite(const VinduHost *host, const Activity *a, gboolean new_time)
{
  const char *l = lang(host);
  g_autoptr(GString) body = g_string_new(NULL);
  if (new_time)
    add_sentence(body, activity_word(l, W_NEW_TIME));
  g_autofree char *where = when_and_where(host, a);
  add_sentence(body, where);
  g_autofree char *who =
      a->invited_by_name ? g_strdup_printf(activity_word(l, W_INVITES), a->invited_by_name) : NULL;
  add_sentence(body, who);
  g_autofree char *by = a->answer_by ? when(host, a->answer_by) : NULL;
  g_autofree char *answer_by = by ? g_strdup_printf(activity_word(l, W_ANSWER_BY), by) : NULL;
  add_sentence(body, answer_by);
  VinduAction buttons[3] = {{"yes", activity_word(l, W_YES)},
                            {"no", activity_word(l, W_NO)},
                            {"call", activity_word(l, W_CALL)}};
  /* "Call me" only when someone is named to take the call */
  show(host, "invite", a, a->title, body->str, buttons, a->invited_by ? 3 : 2);
}

void
cards_ride(const VinduHost *host, const Activity *a)
{
  const char *l = lang(host);
  g_autofree char *body =
      a->ride_by ? g_strdup_printf(activity_word(l, W_DRIVES), a->ride_by) : NULL;
  VinduAction buttons[2] = {{"ride-yes", activity_word(l, W_RIDE_YES)},
                            {"ride-no", activity_word(l, W_RIDE_NO)}};
  show(host, "ride", a, activity_word(l, W_RIDE_TITLE), body, buttons, 2);
}

/* What she answered, in words: "You said yes. See you today at 13:00. Wenche will pick you up
 * today at 12:40." */
static char *
answer_words(const VinduHost *host, const Activity *a)
{
  const char *l = lang(host);
  if (a->reply == REPLY_NO)
    return g_strdup(activity_word(l, W_SAID_NO));
  if (a->reply != REPLY_YES)
    return NULL;
  g_autofree char *start = when(host, a->starts_at);
  g_autoptr(GString) s = g_string_new(NULL);
  g_string_printf(s, activity_word(l, W_SAID_YES), start);
  if (a->ride == 1) {
    g_autofree char *pick = a->pickup_at ? when(host, a->pickup_at) : NULL;
    g_autofree char *ride = pick && a->ride_by
                                ? g_strdup_printf(activity_word(l, W_PICKUP_BY), a->ride_by, pick)
                            : pick       ? g_strdup_printf(activity_word(l, W_PICKUP_ANYONE), pick)
                            : a->ride_by ? g_strdup_printf(activity_word(l, W_DRIVES), a->ride_by)
                                         : NULL;
    if (ride)
      g_string_append_printf(s, " %s", ride);
  }
  return g_string_free(g_steal_pointer(&s), FALSE);
}

void
cards_confirm(const VinduHost *host, const Activity *a)
{
  g_autofree char *body = answer_words(host, a);
  show(host, "confirm", a, a->title, body, NULL, 0);
}

void
cards_changed(const VinduHost *host, const Activity *a)
{
  const char *l = lang(host);
  g_autofree char *title = g_strdup_printf("%s: %s", activity_word(l, W_NEW_TIME), a->title);
  g_autofree char *start = when(host, a->starts_at);
  g_autofree char *now = g_strdup_printf(activity_word(l, W_NOW_AT), start);
  g_autofree char *answer = answer_words(host, a);
  g_autoptr(GString) body = g_string_new(NULL);
  add_sentence(body, now);
  add_sentence(body, answer);
  VinduAction change = {"change", activity_word(l, W_CHANGE)};
  show(host, "changed", a, title, body->str, &change, 1);
}

void
cards_cancelled(const VinduHost *host, const Activity *a)
{
  const char *l = lang(host);
  g_autofree char *title = g_strdup_printf("%s: %s", activity_word(l, W_CANCELLED), a->title);
  g_autofree char *start = when(host, a->starts_at);
  g_autofree char *body = g_strdup_printf(activity_word(l, W_IS_CANCELLED), a->title, start);
  show(host, "cancelled", a, title, body, NULL, 0);
}

void
cards_reminder(const VinduHost *host, const Activity *a, ActivityReminder which)
{
  const char *l = lang(host);
  g_autofree char *body = NULL;
  if (which == REMIND_PICKUP) {
    body = a->ride_by ? g_strdup_printf(activity_word(l, W_COMING_NOW), a->ride_by)
                      : g_strdup(activity_word(l, W_PICKED_NOW));
  } else {
    g_autofree char *start = when(host, a->starts_at);
    body = g_strdup_printf(activity_word(l, W_REMEMBER), a->title, start);
  }
  show(host, "remind", a, a->title, body, NULL, 0);
}

void
cards_close_all(const VinduHost *host, const char *doc)
{
  for (int i = 0; card_kinds[i]; i++) {
    g_autofree char *id = g_strdup_printf("%s:%s", card_kinds[i], doc);
    host->card_close(host, id);
  }
}

gboolean
cards_doc_of(const char *card_id, char **what, char **doc)
{
  const char *colon = card_id ? strchr(card_id, ':') : NULL;
  if (!colon || !colon[1])
    return FALSE;
  g_autofree char *kind = g_strndup(card_id, colon - card_id);
  if (!g_strv_contains(card_kinds, kind))
    return FALSE;
  *what = g_steal_pointer(&kind);
  *doc = g_strdup(colon + 1);
  return TRUE;
}
