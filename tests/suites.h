/* Every Check suite of the project; check_main.c runs them all. */
#ifndef VPCSIM_TEST_SUITES_H
#define VPCSIM_TEST_SUITES_H

#include <check.h>

Suite *cidr_suite(void);
Suite *ports_suite(void);
Suite *lpm_suite(void);
Suite *arena_suite(void);
Suite *model_suite(void);

#endif
