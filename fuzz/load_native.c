/* libFuzzer target: the native YAML loader through model_load_buffer. */
#include "fuzz/fuzz_load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy, so reading past the end is an ASan report. */
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	fuzz_load_one("fuzz.yaml", buf, size);
	free(buf);
	return 0;
}
