/*
 * What loaders share with model.c and nothing else does: allocation of the
 * kind arrays and the id index.  Not a public header.
 */
#ifndef VPCSIM_MODEL_IMPL_H
#define VPCSIM_MODEL_IMPL_H

#include "model.h"

/* Allocates zeroed kind arrays of count[k] objects each. */
void model_alloc_kinds(struct model *m, const uint32_t count[MK_KIND_COUNT]);
/* Sorts every object into m->by_id; reports duplicate ids. */
void model_index_ids(struct model *m, struct diag_list *diags);
/* Reads a whole file into a NUL-terminated heap buffer the caller frees;
 * refuses directories and files over MODEL_MAX_FILE bytes. */
int model_read_file(char **out, size_t *len, const char *path,
                    struct diag_list *diags);

#define MODEL_MAX_FILE (256u << 20)

#endif
