/* The main() every Check test binary shares: run the suite, exit non-zero on any failure. */
#pragma once

#include <check.h>

static inline int
vindu_check_run(Suite *suite)
{
  SRunner *runner = srunner_create(suite);
  srunner_run_all(runner, CK_NORMAL);
  int failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  return failed ? 1 : 0;
}
