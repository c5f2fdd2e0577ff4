/*
 * Shared body of the loader fuzz targets: the input, whatever it holds,
 * goes through model_load_buffer as one file, the way vpcsim reads a
 * MODEL argument.  A loaded model must come with no error and a refused
 * one with at least one, and everything is freed so LeakSanitizer sees
 * every leak.  Targets differ in their seed corpora and dictionaries
 * (Makefile, `make fuzz`), and CloudFormation's also loads the input as
 * several stacks.
 */
#ifndef VPCSIM_FUZZ_LOAD_H
#define VPCSIM_FUZZ_LOAD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_load_one(const char *name, const char *buf, size_t len)
{
	struct diag_list diags = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, name, buf, len, &diags);
	if ((rc == 0) != (m != NULL) || (rc == 0) != (diags.n_errors == 0))
		abort();
	if (m) {
		/* Everything a command reads first. */
		char text[256];
		for (int k = 0; k < MK_KIND_COUNT; k++)
			for (uint32_t i = 0; i < m->n[k]; i++) {
				const struct model_obj *o =
				    model_object(m, (enum model_kind)k, i);
				if (!o || !o->id)
					abort();
			}
		for (uint32_t i = 0; i < m->n[MK_SECURITY_GROUP]; i++) {
			const struct model_security_group *g = &m->groups[i];
			for (uint32_t j = 0; j < g->n_ingress; j++)
				model_match_format(text, sizeof(text),
						   &g->ingress[j].match);
		}
	}
	diag_sort(&diags);
	model_free(m);
	diag_list_free(&diags);
}

#endif
