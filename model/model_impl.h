/*
 * What loaders and the model's own files (model.c, finish.c, clone.c,
 * failure.c) share and nothing else does: allocation of the kind arrays,
 * the id index, the address allocator and the limits on a model.  Not a
 * public header.
 */
#ifndef VPCSIM_MODEL_IMPL_H
#define VPCSIM_MODEL_IMPL_H

#include "model/model.h"

/* Allocates zeroed kind arrays of count[k] objects each. */
void model_alloc_kinds(struct model *m, const uint32_t count[MK_KIND_COUNT]);
/* The size of one object of kind k. */
size_t model_kind_size(enum model_kind k);
/* Appends n zeroed objects of kind k, moving the array; returns the
 * index of the first.  Indexes stay valid, pointers into the array don't. */
uint32_t model_grow_kind(struct model *m, enum model_kind k, uint32_t n);
/* Sorts the objects added since the last call into m->by_id and the
 * id map; reports duplicate ids. */
void model_index_ids(struct model *m, struct diag_list *diags);
/* Makes model_find see object (kind, index) at once, for a finisher
 * that adds objects one by one; by_id takes it in at the next
 * model_index_ids (one merge, not one per object). */
void model_index_one(struct model *m, enum model_kind kind, uint32_t index);
/*
 * The address one more placement in subnet gets, by the allocator of
 * model_finish (§1): the first host address from the fifth of the block
 * on that no placement of m holds, never the last; 0 when the subnet has
 * none left (or its block is invalid).
 */
uint32_t model_next_addr(const struct model *m, uint32_t subnet);
/*
 * Limits on input (docs/robustness.md), each refused with a diagnostic.
 * The numeric ones are plain literals: messages spell them.
 */
#define MODEL_MAX_RESOURCES 1000000 /* objects or resources in one model */
#define MODEL_MAX_CIDRS	    1000    /* CIDR blocks in one rule or list */
#define MODEL_MAX_VPC_CIDRS 64	    /* IPv4 blocks of one VPC (AWS: 50) */
#define MODEL_MAX_ROUTES    4000000 /* routes, prefix lists expanded */
/* Bytes of input per object above MODEL_MAX_RESOURCES: a real model
 * spends 80 or more on one (an instance and its subnet and groups). */
#define MODEL_BYTES_PER_RESOURCE 16

/* The objects or resources a model read from bytes of input may hold:
 * MODEL_MAX_RESOURCES, or one per MODEL_BYTES_PER_RESOURCE bytes when
 * that is more, so that no real estate is refused for its size. */
static inline uint64_t model_max_resources(uint64_t bytes)
{
	uint64_t n = bytes / MODEL_BYTES_PER_RESOURCE;
	return n > MODEL_MAX_RESOURCES ? n : MODEL_MAX_RESOURCES;
}

#endif
