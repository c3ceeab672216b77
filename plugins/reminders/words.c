#include "words.h"

typedef struct {
  const char *language;
  const char *done, *later;
  const char *it_is;    /* printf with hour and minute */
  const char *parts[5]; /* night, morning, before noon, afternoon, evening */
} Words;

// clang-format off
static const Words words[] = {
  {"nb", "Ferdig", "Senere", "Klokka er %02d:%02d %s.",
   {"om natta", "om morgenen", "på formiddagen", "på ettermiddagen", "om kvelden"}},
  {"nn", "Ferdig", "Seinare", "Klokka er %02d:%02d %s.",
   {"om natta", "om morgonen", "på føremiddagen", "på ettermiddagen", "om kvelden"}},
  {"sv", "Klar", "Senare", "Klockan är %02d:%02d %s.",
   {"på natten", "på morgonen", "på förmiddagen", "på eftermiddagen", "på kvällen"}},
  {"en", "Done", "Later", "It is %02d:%02d %s.",
   {"at night", "in the morning", "in the morning", "in the afternoon", "in the evening"}},
};
// clang-format on

static const Words *
words_for(const char *language)
{
  for (gsize i = 0; i < G_N_ELEMENTS(words); i++)
    if (g_strcmp0(words[i].language, language) == 0)
      return &words[i];
  return &words[G_N_ELEMENTS(words) - 1];
}

const char *
reminder_word_done(const char *language)
{
  return words_for(language)->done;
}

const char *
reminder_word_later(const char *language)
{
  return words_for(language)->later;
}

static int
part_of_day(int hour)
{
  if (hour < 5 || hour >= 23)
    return 0;
  if (hour < 10)
    return 1;
  if (hour < 12)
    return 2;
  return hour < 18 ? 3 : 4;
}

char *
reminder_time_in_words(const char *language, int hour, int minute)
{
  const Words *w = words_for(language);
  return g_strdup_printf(w->it_is, hour, minute, w->parts[part_of_day(hour)]);
}
