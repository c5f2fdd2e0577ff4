/* libFuzzer target: a CloudFormation template through every command's
 * pipeline (fuzz/fuzz_engine.h), seeded with tests/cfn. */
#include "fuzz/fuzz_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_engine_one("fuzz.template.yaml", data, size);
	return 0;
}
