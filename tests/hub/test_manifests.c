/* Plugin manifests: the four in the tree load; each way a manifest can be wrong is refused with
 * a reason; the repetition subset; a body checked without a household (types and bounds). */
#include "doc_bodies.h"
#include "manifests.h"

#include "check_main.h"

static const char *
source_dir(void)
{
  const char *top = g_getenv("VINDU_SOURCE_DIR");
  return top ? top : ".";
}

START_TEST(tree_manifests_load)
{
  g_autofree char *dir = g_build_filename(source_dir(), "plugins", NULL);
  HubManifests *m = hub_manifests_load_dir(dir);
  const char *kinds[] = {"activity", "memory", "reminder", "weather"};
  const char *rights[] = {"activities", "memory_book", "reminders", "reminders"};
  g_autoptr(GPtrArray) all = hub_manifests_kinds(m);
  ck_assert_uint_eq(all->len, 4);
  for (int i = 0; i < 4; i++) {
    const HubKind *k = all->pdata[i];
    ck_assert_str_eq(k->kind, kinds[i]);
    ck_assert_str_eq(k->right, rights[i]);
    ck_assert_ptr_nonnull(k->title_field);
  }
  ck_assert_ptr_null(hub_manifests_kind(m, "checkin"));
  hub_manifests_free(m);
}
END_TEST

#define LABEL "{\"nb\":\"a\",\"nn\":\"a\",\"sv\":\"a\",\"en\":\"a\"}"
#define MANIFEST(kind, right, field)                                                               \
  "{\"plugin\":\"p\",\"version\":\"1\",\"kinds\":[{\"kind\":\"" kind "\",\"right\":\"" right       \
  "\",\"label\":" LABEL ",\"fields\":[" field "]}]}"

START_TEST(bad_manifests_are_refused)
{
  const char *bad[] = {
      "[]",
      "{\"plugin\":\"p\",\"kinds\":[]}",
      MANIFEST("Bad Kind", "reminders", "{\"name\":\"a\",\"type\":\"text\",\"label\":" LABEL "}"),
      MANIFEST("checkin", "reminders", "{\"name\":\"a\",\"type\":\"text\",\"label\":" LABEL "}"),
      MANIFEST("k", "nap", "{\"name\":\"a\",\"type\":\"text\",\"label\":" LABEL "}"),
      MANIFEST("k", "reminders", "{\"name\":\"a\",\"type\":\"colour\",\"label\":" LABEL "}"),
      MANIFEST("k", "reminders", "{\"name\":\"a\",\"type\":\"text\",\"label\":{\"en\":\"a\"}}"),
      MANIFEST("k", "reminders",
               "{\"name\":\"a\",\"type\":\"text\",\"max\":100000,\"label\":" LABEL "}"),
      MANIFEST("k", "reminders", "{\"name\":\"a\",\"type\":\"choice\",\"label\":" LABEL "}"),
      MANIFEST("k", "reminders",
               "{\"name\":\"a\",\"type\":\"text\",\"label\":" LABEL
               "},{\"name\":\"a\",\"type\":\"text\",\"label\":" LABEL "}"),
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    HubManifests *m = hub_manifests_new();
    g_autoptr(GError) error = NULL;
    ck_assert_msg(!hub_manifests_add(m, bad[i], &error), "accepted: %s", bad[i]);
    ck_assert_ptr_nonnull(error);
    ck_assert_ptr_null(hub_manifests_kind(m, "k"));
    hub_manifests_free(m);
  }
  HubManifests *m = hub_manifests_new();
  const char *good =
      MANIFEST("k", "reminders",
               "{\"name\":\"a\",\"type\":\"minutes\",\"min\":5,\"max\":240,\"label\":" LABEL "}");
  ck_assert(hub_manifests_add(m, good, NULL));
  ck_assert(!hub_manifests_add(m, good, NULL)); /* a kind is declared once */
  hub_manifests_free(m);
}
END_TEST

START_TEST(repetitions)
{
  const char *good[] = {"FREQ=DAILY",
                        "FREQ=DAILY;BYHOUR=11",
                        "FREQ=WEEKLY;BYDAY=MO,WE,FR",
                        "FREQ=MONTHLY;BYDAY=-1FR",
                        "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=17",
                        "FREQ=WEEKLY;INTERVAL=2;UNTIL=20301231T000000Z",
                        "FREQ=DAILY;COUNT=10"};
  const char *bad[] = {"",
                       "DAILY",
                       "FREQ=SECONDLY",
                       "FREQ=HOURLY",
                       "FREQ=DAILY;FREQ=DAILY",
                       "BYHOUR=11",
                       "FREQ=DAILY;BYHOUR=24",
                       "FREQ=WEEKLY;BYDAY=XX",
                       "FREQ=DAILY;COUNT=2;UNTIL=20301231",
                       "FREQ=DAILY;X-NAME=1",
                       "FREQ=DAILY;INTERVAL=0",
                       "FREQ=MONTHLY;BYMONTHDAY=0"};
  for (gsize i = 0; i < G_N_ELEMENTS(good); i++)
    ck_assert_msg(hub_rrule_valid(good[i]), "refused %s", good[i]);
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++)
    ck_assert_msg(!hub_rrule_valid(bad[i]), "accepted %s", bad[i]);
}
END_TEST

int
main(void)
{
  Suite *suite = suite_create("hub-manifests");
  TCase *tc = tcase_create("manifests");
  tcase_add_test(tc, tree_manifests_load);
  tcase_add_test(tc, bad_manifests_are_refused);
  tcase_add_test(tc, repetitions);
  suite_add_tcase(suite, tc);
  return vindu_check_run(suite);
}
