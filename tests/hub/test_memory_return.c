/* When the hub gives freed heap back (hub/memory_return.h): a trim is due on the seconds these
 * tests name, and on no other. Each test feeds the one-second sweep's connection counts. */
#include "memory_return.h"

#include "check_main.h"

/* feeds counts[0..n) one per second; returns how many trims were due and on which second the
 * last one was (or -1) */
static int
feed(HubMemoryReturn *m, const unsigned int *counts, int n, int *last_trim)
{
  int trims = 0;
  *last_trim = -1;
  for (int s = 0; s < n; s++)
    if (hub_memory_return_due(m, counts[s])) {
      trims++;
      *last_trim = s;
    }
  return trims;
}

START_TEST(growth_trims_once_when_the_count_holds_still)
{
  HubMemoryReturn m = {0};
  /* 5,000 sign in over ten seconds, then nothing changes for five */
  unsigned int counts[15];
  for (int s = 0; s < 10; s++)
    counts[s] = 500 * (s + 1);
  for (int s = 10; s < 15; s++)
    counts[s] = 5000;
  int last;
  ck_assert_int_eq(feed(&m, counts, 15, &last), 1);
  ck_assert_int_eq(last, 9 + HUB_MEMORY_STEADY_SECONDS); /* not while connections still arrive */
}
END_TEST

START_TEST(a_count_that_only_jitters_has_settled)
{
  HubMemoryReturn m = {0};
  /* a busy hub's count is never exactly still: a few arrive and leave every second */
  unsigned int counts[] = {1000, 2000, 3000, 3001, 2999, 3004, 3002, 3003, 3001};
  int last;
  ck_assert_int_eq(feed(&m, counts, G_N_ELEMENTS(counts), &last), 1);
  ck_assert_int_eq(last, 2 + HUB_MEMORY_STEADY_SECONDS);
  /* rising by more than the margin each second is not settled */
  HubMemoryReturn rising = {0};
  unsigned int climb[] = {1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1900, 2000};
  ck_assert_int_eq(feed(&rising, climb, G_N_ELEMENTS(climb), &last), 0);
}
END_TEST

START_TEST(small_growth_is_not_worth_a_trim)
{
  HubMemoryReturn m = {0};
  unsigned int counts[] = {200, 400, 900, 900, 900, 900, 900, 900};
  int last;
  ck_assert_int_eq(feed(&m, counts, G_N_ELEMENTS(counts), &last), 0);
}
END_TEST

START_TEST(growth_after_a_fall_counts_from_the_low)
{
  HubMemoryReturn m = {0};
  /* 1,200 settle (one trim), 400 leave, 1,000 more come back: 1,800 is 1,000 above the low */
  unsigned int counts[] = {1200, 1200, 1200, 1200, 800, 800, 1800, 1800, 1800, 1800};
  int last;
  ck_assert_int_eq(feed(&m, counts, G_N_ELEMENTS(counts), &last), 2);
  ck_assert_int_eq(last, 9);
}
END_TEST

START_TEST(a_drop_trims_on_three_seconds_in_a_row)
{
  HubMemoryReturn m = {.peak = 8000, .settled = 8000, .last = 8000};
  unsigned int counts[] = {8000, 3000, 3000, 3000, 3000, 3000, 3000};
  int last;
  ck_assert_int_eq(feed(&m, counts, G_N_ELEMENTS(counts), &last), HUB_MEMORY_TRIMS_PER_DROP);
  ck_assert_int_eq(last, HUB_MEMORY_TRIMS_PER_DROP); /* seconds 1, 2 and 3 */
}
END_TEST

START_TEST(the_peak_is_learnt_from_the_counts)
{
  HubMemoryReturn m = {0};
  /* from a fresh start: 8,000 arrive and settle (one trim), then 5,000 leave (three trims) */
  unsigned int counts[] = {4000, 8000, 8000, 8000, 8000, 3000, 3000, 3000, 3000};
  gboolean due[G_N_ELEMENTS(counts)];
  for (guint s = 0; s < G_N_ELEMENTS(counts); s++)
    due[s] = hub_memory_return_due(&m, counts[s]);
  const gboolean expected[] = {FALSE, FALSE, FALSE, FALSE, TRUE, TRUE, TRUE, TRUE, FALSE};
  for (guint s = 0; s < G_N_ELEMENTS(counts); s++)
    ck_assert_msg(due[s] == expected[s], "second %u: trim due %d, expected %d", s, due[s],
                  expected[s]);
}
END_TEST

START_TEST(a_drop_of_exactly_half_and_exactly_1000_trims)
{
  int last;
  HubMemoryReturn half = {.peak = 8000, .settled = 8000, .last = 8000};
  unsigned int to_half[] = {4000, 4000, 4000, 4000};
  ck_assert_int_eq(feed(&half, to_half, G_N_ELEMENTS(to_half), &last), HUB_MEMORY_TRIMS_PER_DROP);
  HubMemoryReturn thousand = {.peak = 2000, .settled = 2000, .last = 2000};
  unsigned int to_1000[] = {1000, 1000, 1000, 1000};
  ck_assert_int_eq(feed(&thousand, to_1000, G_N_ELEMENTS(to_1000), &last),
                   HUB_MEMORY_TRIMS_PER_DROP);
  /* one fewer gone: neither */
  HubMemoryReturn not_half = {.peak = 8000, .settled = 8000, .last = 8000};
  unsigned int to_4001[] = {4001, 4001, 4001, 4001};
  ck_assert_int_eq(feed(&not_half, to_4001, G_N_ELEMENTS(to_4001), &last), 0);
  HubMemoryReturn not_thousand = {.peak = 2000, .settled = 2000, .last = 2000};
  unsigned int to_1001[] = {1001, 1001, 1001, 1001};
  ck_assert_int_eq(feed(&not_thousand, to_1001, G_N_ELEMENTS(to_1001), &last), 0);
}
END_TEST

START_TEST(a_second_drop_starts_the_trims_again)
{
  HubMemoryReturn m = {.peak = 8000, .settled = 8000, .last = 8000};
  /* 8,000 → 3,000 (three trims due), and a second later → 1,400: three again from there */
  unsigned int counts[] = {3000, 1400, 1400, 1400, 1400, 1400};
  int last;
  ck_assert_int_eq(feed(&m, counts, G_N_ELEMENTS(counts), &last), 1 + HUB_MEMORY_TRIMS_PER_DROP);
  ck_assert_int_eq(last, HUB_MEMORY_TRIMS_PER_DROP);
}
END_TEST

START_TEST(a_slow_fall_is_not_growth)
{
  HubMemoryReturn m = {.peak = 5000, .settled = 5000, .last = 5000};
  /* 40 leave every second for 25 s: about the same each second, but never above the low */
  unsigned int counts[25];
  for (int s = 0; s < 25; s++)
    counts[s] = 5000 - 40 * (unsigned int)(s + 1);
  int last;
  ck_assert_int_eq(feed(&m, counts, G_N_ELEMENTS(counts), &last), 0);
}
END_TEST

START_TEST(a_small_or_partial_drop_does_not_trim)
{
  HubMemoryReturn m = {.peak = 8000, .settled = 8000, .last = 8000};
  /* 3,000 gone is not half of the peak; 500 gone of 800 is not 1,000 */
  unsigned int counts[] = {5000, 5000, 5000, 5000};
  int last;
  ck_assert_int_eq(feed(&m, counts, G_N_ELEMENTS(counts), &last), 0);
  HubMemoryReturn few = {.peak = 800, .settled = 800, .last = 800};
  unsigned int fewer[] = {300, 300, 300, 300};
  ck_assert_int_eq(feed(&few, fewer, G_N_ELEMENTS(fewer), &last), 0);
}
END_TEST

int
main(void)
{
  Suite *s = suite_create("hub-memory-return");
  TCase *tc = tcase_create("trims");
  tcase_add_test(tc, growth_trims_once_when_the_count_holds_still);
  tcase_add_test(tc, a_count_that_only_jitters_has_settled);
  tcase_add_test(tc, small_growth_is_not_worth_a_trim);
  tcase_add_test(tc, growth_after_a_fall_counts_from_the_low);
  tcase_add_test(tc, a_drop_trims_on_three_seconds_in_a_row);
  tcase_add_test(tc, the_peak_is_learnt_from_the_counts);
  tcase_add_test(tc, a_drop_of_exactly_half_and_exactly_1000_trims);
  tcase_add_test(tc, a_second_drop_starts_the_trims_again);
  tcase_add_test(tc, a_slow_fall_is_not_growth);
  tcase_add_test(tc, a_small_or_partial_drop_does_not_trim);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
