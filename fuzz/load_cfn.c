/*
 * libFuzzer target: the CloudFormation loader through model_load_buffer
 * (seeded with templates), and, when the input holds a line "#--stack--",
 * the parts as stacks loaded together with a --param, the way
 * `vpcsim check a.yaml b.yaml --param Env=prod` does.
 */
#include "fuzz/fuzz_load.h"

#define SEP "\n#--stack--\n"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	fuzz_load_one("fuzz.template.yaml", buf, size);
	free(buf);

	/* Split into at most three stacks, each its own exact-size copy. */
	struct model_input in[3];
	char *part[3] = {NULL, NULL, NULL};
	size_t n = 0, start = 0, sl = strlen(SEP);
	for (size_t i = 0; i + sl <= size && n < 2; i++)
		if (!memcmp(data + i, SEP, sl)) {
			part[n] = malloc(i - start ? i - start : 1);
			memcpy(part[n], data + start, i - start);
			in[n] = (struct model_input){"stack.yaml", part[n],
						     i - start};
			n++;
			start = i + sl;
			i = start - 1;
		}
	if (n) {
		part[n] = malloc(size - start ? size - start : 1);
		memcpy(part[n], data + start, size - start);
		in[n] =
		    (struct model_input){"stack.yaml", part[n], size - start};
		n++;
		static const char *const params[] = {"Env=prod",
						     "AWS::Region=eu-west-1"};
		struct diag_list diags = DIAG_LIST_INIT;
		struct model *m = NULL;
		int rc = model_load_inputs(&m, in, n, params, 2, &diags);
		if ((rc == 0) != (m != NULL))
			abort();
		model_free(m);
		diag_list_free(&diags);
	}
	for (size_t i = 0; i < n; i++)
		free(part[i]);
	return 0;
}
