/* libFuzzer target: a native YAML model through every command's pipeline
 * (fuzz/fuzz_engine.h), seeded with the scenarios. */
#include "fuzz/fuzz_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_engine_one("fuzz.yaml", data, size);
	return 0;
}
