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
  tcase_add_test(tc, small_growth_is_not_worth_a_trim);
  tcase_add_test(tc, growth_after_a_fall_counts_from_the_low);
  tcase_add_test(tc, a_drop_trims_on_three_seconds_in_a_row);
  tcase_add_test(tc, a_small_or_partial_drop_does_not_trim);
  suite_add_tcase(s, tc);
  return vindu_check_run(s);
}
