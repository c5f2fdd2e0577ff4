/*
 * libFuzzer target: the policy loader (rules/policy/) through
 * policy_load_file, as `vpcsim check MODEL --policy FILE` reads a policy
 * file, against the canonical scenario (loaded once; set
 * VPCSIM_FUZZ_MODEL to use another); and, when the input loads as a
 * native model, through policy_load_section on the `policies:` section
 * the model loader hands over, as `vpcsim check MODEL` reads a model's
 * own policies.  The loaders take a path, so each input is written to
 * one temporary file first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/load.h"
#include "model/model.h"
#include "rules/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct model *model;
static char path[64];

static void setup(void)
{
	const char *file = getenv("VPCSIM_FUZZ_MODEL");
	struct diag_list diags = DIAG_LIST_INIT;
	if (model_load_file(&model, file ? file : "scenarios/three-tier.yaml",
			    &diags)) {
		diag_print(stderr, &diags);
		abort();
	}
	diag_list_free(&diags);
	const char *dir = getenv("TMPDIR");
	snprintf(path, sizeof(path), "%s/vpcsim-fuzz-policy.XXXXXX",
		 dir && strlen(dir) < 32 ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!model)
		setup();
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f))
		abort();
	struct diag_list diags = DIAG_LIST_INIT;
	struct policy_set *set = NULL;
	int rc = policy_load_file(&set, path, model, &diags);
	if (rc == 0 && diags.n_errors)
		abort();
	diag_sort(&diags);
	policy_set_free(set);
	diag_list_free(&diags);

	struct model *own_model = NULL;
	struct ykit_section *own = NULL;
	const char *p = path;
	diags = (struct diag_list)DIAG_LIST_INIT;
	set = NULL;
	if (model_load_files_section(&own_model, &own, &p, 1, NULL, 0,
				     &diags) == 0 &&
	    own) {
		rc = policy_load_section(&set, own, own_model, &diags);
		if (rc == 0 && diags.n_errors)
			abort();
	}
	policy_set_free(set);
	ykit_section_free(own);
	model_free(own_model);
	diag_list_free(&diags);
	return 0;
}
