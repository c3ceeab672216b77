#include "due_cards.h"

#include "words.h"
#include <stdio.h>
#include <string.h>

typedef struct {
  char *doc;
  gint64 rev, due;
  int laters;
  gint64 show_at;  /* > 0: the card is away until then (after "Later") */
  gint64 wait_end; /* while shown: unanswered until then is "not confirmed" */
  gint64 say_at;   /* > 0: said again then */
} Due;

struct DueCards {
  const VinduHost *host;
  GPtrArray *list; /* Due* */
};

static void
due_free(Due *d)
{
  g_free(d->doc);
  g_free(d);
}

static gint64
now(DueCards *d)
{
  return d->host->now(d->host);
}

/* --- kept across a restart of the runner ---------------------------------------------------- */

static void
save(DueCards *d)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < d->list->len; i++) {
    Due *x = d->list->pdata[i];
    g_string_append_printf(s,
                           "%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d %" G_GINT64_FORMAT
                           " %" G_GINT64_FORMAT "\n",
                           x->doc, x->rev, x->due, x->laters, x->show_at, x->wait_end);
  }
  d->host->storage_set(d->host, "due", s->len ? s->str : NULL);
  g_string_free(s, TRUE);
}

static void
load(DueCards *d)
{
  g_autofree char *text = d->host->storage_get(d->host, "due");
  g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", 0);
  for (int i = 0; lines[i]; i++) {
    char doc[65];
    Due x = {0};
    if (sscanf(lines[i],
               "%64s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d %" G_GINT64_FORMAT
               " %" G_GINT64_FORMAT,
               doc, &x.rev, &x.due, &x.laters, &x.show_at, &x.wait_end) != 6)
      continue;
    Due *kept = g_memdup2(&x, sizeof x);
    kept->doc = g_strdup(doc);
    /* a card that was on screen comes back at once: the runner that showed it is gone */
    if (!kept->show_at)
      kept->show_at = now(d);
    g_ptr_array_add(d->list, kept);
  }
}

DueCards *
due_cards_new(const VinduHost *host)
{
  DueCards *d = g_new0(DueCards, 1);
  d->host = host;
  d->list = g_ptr_array_new_with_free_func((GDestroyNotify)due_free);
  load(d);
  return d;
}

void
due_cards_free(DueCards *d)
{
  if (!d)
    return;
  g_ptr_array_unref(d->list);
  g_free(d);
}

guint
due_cards_count(const DueCards *d)
{
  return d->list->len;
}

/* --- answers and cards ---------------------------------------------------------------------- */

static void
answer(DueCards *d, const Due *x, const char *state, gint64 until)
{
  g_autofree char *body =
      until ? g_strdup_printf("{\"state\":\"%s\",\"at\":%" G_GINT64_FORMAT
                              ",\"due\":%" G_GINT64_FORMAT ",\"until\":%" G_GINT64_FORMAT "}",
                              state, now(d), x->due, until)
            : g_strdup_printf("{\"state\":\"%s\",\"at\":%" G_GINT64_FORMAT
                              ",\"due\":%" G_GINT64_FORMAT "}",
                              state, now(d), x->due);
  d->host->answer(d->host, "reminder", x->doc, x->rev, body);
}

static char *
card_id(const Due *x)
{
  return g_strdup_printf("%s@%" G_GINT64_FORMAT, x->doc, x->due);
}

static void
show(DueCards *d, Due *x, const Reminder *r)
{
  const VinduHost *host = d->host;
  const char *language = host->language(host);
  int hour, minute;
  vindu_recurrence_local_hm(r->when, x->due, &hour, &minute);
  g_autofree char *id = card_id(x);
  g_autofree char *when = reminder_time_in_words(language, hour, minute);
  VinduCard card = {.id = id, .title = r->title, .body = when, .photo = r->photo};
  card.buttons[0] = (VinduAction){"done", reminder_word_done(language)};
  if (x->laters < REMINDER_LATER_MAX)
    card.buttons[1] = (VinduAction){"later", reminder_word_later(language)};
  x->show_at = 0;
  x->wait_end = now(d) + r->wait_s;
  x->say_at = now(d) + REMINDER_SAY_AGAIN_S;
  if (host->card_show(host, &card) != 0) {
    /* a title the card cannot hold (over 80 characters): said, and on the strip */
    host->log(host, VINDU_LOG_WARNING, "a reminder's card was refused; it is said only");
  }
  host->chime(host);
  host->say(host, r->title);
}

static Due *
find(DueCards *d, const char *doc, gint64 due, guint *index)
{
  for (guint i = 0; i < d->list->len; i++) {
    Due *x = d->list->pdata[i];
    if (g_str_equal(x->doc, doc) && x->due == due) {
      if (index)
        *index = i;
      return x;
    }
  }
  return NULL;
}

static void
arm(DueCards *d)
{
  gint64 soonest = -1;
  for (guint i = 0; i < d->list->len; i++) {
    Due *x = d->list->pdata[i];
    gint64 next = x->show_at ? x->show_at : x->say_at ? MIN(x->say_at, x->wait_end) : x->wait_end;
    if (soonest < 0 || next < soonest)
      soonest = next;
  }
  d->host->timer_at(d->host, DUE_CARDS_TIMER, soonest);
}

void
due_cards_add(DueCards *d, const Reminder *r, gint64 due, GHashTable *reminders)
{
  if (find(d, r->doc, due, NULL))
    return;
  Due *x = g_new0(Due, 1);
  x->doc = g_strdup(r->doc);
  x->rev = r->rev;
  x->due = due;
  if (now(d) >= due + r->wait_s) { /* missed while the kiosk was off, and its time is over */
    answer(d, x, "not_confirmed", 0);
    due_free(x);
    return;
  }
  g_ptr_array_add(d->list, x);
  show(d, x, r);
  save(d);
  arm(d);
}

gboolean
due_cards_action(DueCards *d, const char *card, const char *action, GHashTable *reminders)
{
  const char *at = card ? strrchr(card, '@') : NULL;
  if (!at)
    return FALSE;
  g_autofree char *doc = g_strndup(card, at - card);
  guint index;
  Due *x = find(d, doc, g_ascii_strtoll(at + 1, NULL, 10), &index);
  if (!x || x->show_at)
    return FALSE;
  if (g_str_equal(action, "done")) {
    answer(d, x, "done", 0);
    g_ptr_array_remove_index(d->list, index);
  } else if ((g_str_equal(action, "later") || g_str_equal(action, "closed")) &&
             x->laters < REMINDER_LATER_MAX) {
    x->laters++;
    x->show_at = now(d) + REMINDER_LATER_S;
    x->say_at = 0;
    answer(d, x, "later", x->show_at);
  } else if (g_str_equal(action, "closed")) { /* closed after the last "later" */
    answer(d, x, "not_confirmed", 0);
    g_ptr_array_remove_index(d->list, index);
  } else {
    return FALSE;
  }
  save(d);
  arm(d);
  return TRUE;
}

void
due_cards_tick(DueCards *d, GHashTable *reminders)
{
  gint64 t = now(d);
  for (guint i = d->list->len; i > 0; i--) {
    Due *x = d->list->pdata[i - 1];
    Reminder *r = g_hash_table_lookup(reminders, x->doc);
    if (!r) {
      g_ptr_array_remove_index(d->list, i - 1);
      continue;
    }
    if (x->show_at && x->show_at <= t) {
      show(d, x, r);
    } else if (!x->show_at && x->wait_end <= t) {
      g_autofree char *id = card_id(x);
      d->host->card_close(d->host, id);
      answer(d, x, "not_confirmed", 0);
      g_ptr_array_remove_index(d->list, i - 1);
    } else if (!x->show_at && x->say_at && x->say_at <= t) {
      x->say_at = 0;
      d->host->say(d->host, r->title);
    }
  }
  save(d);
  arm(d);
}

void
due_cards_forget(DueCards *d, const char *doc)
{
  for (guint i = d->list->len; i > 0; i--) {
    Due *x = d->list->pdata[i - 1];
    if (!g_str_equal(x->doc, doc))
      continue;
    g_autofree char *id = card_id(x);
    d->host->card_close(d->host, id);
    g_ptr_array_remove_index(d->list, i - 1);
  }
  save(d);
  arm(d);
}
