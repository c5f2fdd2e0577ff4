/* Runs every suite; the exit status is the number of failed checks,
 * capped, so make stops on any failure. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(cidr_suite());
	srunner_add_suite(sr, ports_suite());
	srunner_add_suite(sr, lpm_suite());
	srunner_add_suite(sr, arena_suite());
	srunner_add_suite(sr, model_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
