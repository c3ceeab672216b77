#include "words.h"

#include <string.h>

enum { NB, NN, SV, EN, LANGS };

// clang-format off
static const char *const words[W__COUNT][LANGS] = {
  [W_YES] = {"Ja, jeg kommer", "Ja, eg kjem", "Ja, jag kommer", "Yes, I'll come"},
  [W_NO] = {"Nei takk", "Nei takk", "Nej tack", "No, thank you"},
  [W_CALL] = {"Ring meg", "Ring meg", "Ring mig", "Call me"},
  [W_RIDE_TITLE] = {"Trenger du skyss?", "Treng du skyss?", "Behöver du skjuts?", "Do you need a ride?"},
  [W_RIDE_YES] = {"Ja, jeg trenger skyss", "Ja, eg treng skyss", "Ja, jag behöver skjuts", "Yes, I need a ride"},
  [W_RIDE_NO] = {"Nei, jeg kommer selv", "Nei, eg kjem sjølv", "Nej, jag tar mig dit", "No, I'll get there"},
  [W_INVITES] = {"%s inviterer deg.", "%s inviterer deg.", "%s bjuder in dig.", "%s invites you."},
  [W_ANSWER_BY] = {"Svar innen %s.", "Svar innan %s.", "Svara senast %s.", "Please answer by %s."},
  [W_SAID_YES] = {"Du har svart ja. Vi sees %s.", "Du har svara ja. Vi sjåast %s.",
                  "Du har svarat ja. Vi ses %s.", "You said yes. See you %s."},
  [W_SAID_NO] = {"Du har svart nei takk.", "Du har svara nei takk.", "Du har svarat nej tack.",
                 "You said no, thank you."},
  [W_PICKUP_BY] = {"%s henter deg %s.", "%s hentar deg %s.", "%s hämtar dig %s.",
                   "%s will pick you up %s."},
  [W_PICKUP_ANYONE] = {"Du blir hentet %s.", "Du blir henta %s.", "Du blir hämtad %s.",
                       "You will be picked up %s."},
  [W_DRIVES] = {"%s kjører deg dit.", "%s køyrer deg dit.", "%s kör dig dit.", "%s will drive you there."},
  [W_CANCELLED] = {"Avlyst", "Avlyst", "Inställt", "Cancelled"},
  [W_IS_CANCELLED] = {"%s %s er avlyst.", "%s %s er avlyst.", "%s %s är inställt.", "%s %s is cancelled."},
  [W_NEW_TIME] = {"Ny tid", "Ny tid", "Ny tid", "New time"},
  [W_NOW_AT] = {"Det er nå %s.", "Det er no %s.", "Det är nu %s.", "It is now %s."},
  [W_REMEMBER] = {"Husk: %s %s.", "Hugs: %s %s.", "Kom ihåg: %s %s.", "Remember: %s %s."},
  [W_COMING_NOW] = {"%s kommer og henter deg nå.", "%s kjem og hentar deg no.",
                    "%s kommer och hämtar dig nu.", "%s is coming to pick you up now."},
  [W_PICKED_NOW] = {"Du blir hentet nå.", "Du blir henta no.", "Du blir hämtad nu.",
                    "You will be picked up now."},
  [W_STRIP_ANSWER] = {"Svar på invitasjonen", "Svar på invitasjonen", "Svara på inbjudan",
                      "Answer the invitation"},
  [W_STRIP_CHANGE] = {"Endre svaret ditt", "Endre svaret ditt", "Ändra ditt svar", "Change your answer"},
  [W_CHANGE] = {"Endre svaret", "Endre svaret", "Ändra svaret", "Change my answer"},
  [W_UNTIL] = {", til %s", ", til %s", ", till %s", ", until %s"},
};

static const char *const today_words[LANGS] = {"i dag", "i dag", "i dag", "today"};
static const char *const tomorrow_words[LANGS] = {"i morgen", "i morgon", "i morgon", "tomorrow"};
static const char *const at_words[LANGS] = {"klokka", "klokka", "klockan", "at"};
static const char *const weekdays[LANGS][7] = { /* Monday first, as GLib counts */
  {"mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"},
  {"måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "søndag"},
  {"måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"},
  {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
};
static const char *const months[LANGS][12] = {
  {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"},
  {"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"},
  {"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"},
  {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
};
// clang-format on

static int
lang_index(const char *lang)
{
  static const char *const codes[LANGS] = {"nb", "nn", "sv", "en"};
  for (int i = 0; i < LANGS; i++)
    if (g_strcmp0(lang, codes[i]) == 0)
      return i;
  return NB;
}

const char *
activity_word(const char *lang, ActivityWord w)
{
  return (unsigned)w < W__COUNT ? words[w][lang_index(lang)] : "";
}

char *
activity_when(const char *lang, gint64 at, gint64 now)
{
  int l = lang_index(lang);
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local(at);
  g_autoptr(GDateTime) n = g_date_time_new_from_unix_local(now);
  if (!t || !n)
    return g_strdup("");
  g_autofree char *day = NULL;
  int days = g_date_time_get_day_of_year(t) - g_date_time_get_day_of_year(n);
  gboolean same_year = g_date_time_get_year(t) == g_date_time_get_year(n);
  if (same_year && days == 0)
    day = g_strdup(today_words[l]);
  else if (same_year && days == 1)
    day = g_strdup(tomorrow_words[l]);
  else
    day = g_strdup_printf(l == NB || l == NN ? "%s %d. %s" : "%s %d %s",
                          weekdays[l][g_date_time_get_day_of_week(t) - 1],
                          g_date_time_get_day_of_month(t), months[l][g_date_time_get_month(t) - 1]);
  return g_strdup_printf("%s %s %02d:%02d", day, at_words[l], g_date_time_get_hour(t),
                         g_date_time_get_minute(t));
}

char *
activity_capitalised(const char *s)
{
  if (!s || !*s)
    return g_strdup("");
  char up[8] = {0};
  g_unichar_to_utf8(g_unichar_toupper(g_utf8_get_char(s)), up);
  return g_strconcat(up, g_utf8_next_char(s), NULL);
}
