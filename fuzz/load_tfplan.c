/* libFuzzer target: the Terraform plan loader through model_load_buffer
 * (seeded with plans, so format detection picks the plan loader). */
#include "fuzz/fuzz_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	fuzz_load_one("fuzz.plan.json", buf, size);
	free(buf);
	return 0;
}
