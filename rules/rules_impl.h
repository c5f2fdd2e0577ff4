/*
 * What the files of rules/ share and nothing else does.  Not a public
 * header.
 */
#ifndef VPCSIM_RULES_IMPL_H
#define VPCSIM_RULES_IMPL_H

#include "base/hash.h"
#include "rules/rules.h"

/* The two families of built-in rules, each table sorted by id. */
const struct rule_def *rules_reach_defs(uint32_t *n);
const struct rule_def *rules_config_defs(uint32_t *n);

/* A finding with no message yet, for rules and policies alike; the
 * fingerprint is "rule_id|resource|key". */
struct finding *finding_new(struct finding_list *l, const struct model *m,
			    const char *rule_id, const char *rule_name,
			    enum severity sev, enum model_kind kind,
			    uint32_t index, const char *key);

/*
 * The lookups rules make inside their loops, answered from indexes built
 * once per context (engine.c) instead of by scanning:
 * - the exposure row of a resource, per table: the first row of the
 *   table whose destination it is and which reaches some port (tables
 *   RX_TCP, RX_UDP: the internet; RX_TCP6, RX_UDP6: the IPv6 internet);
 * - the placements carrying each security group, each once, in
 *   placement order;
 * - the objects of each kind that have unknown values, in index order;
 * - every load balancer's forwards, and the ones that reach each
 *   resource.
 */
enum rule_table { RX_TCP, RX_UDP, RX_TCP6, RX_UDP6, RX_COUNT };

/* What one atom of public space reaches of a class (reach_rules.c): its
 * range, the address asked for it, and sim_ports' answer. */
struct atom_eval {
	uint64_t lo, hi;
	uint32_t rep;
	struct ports got;
	bool degraded;
	uint32_t ports_ok, ports_total;
};

struct atom_list {
	struct atom_eval *v;
	uint32_t n;
};

/* A range of IPv4 addresses, both ends included. */
struct addr_span {
	uint64_t lo, hi;
};

/* An object of the model: kind and index. */
struct obj_ref {
	uint32_t kind, index;
};

/* A forward of a load balancer: fwd indexes rule_index.lb_fwds[lb]. */
struct fwd_ref {
	uint32_t lb, fwd;
};

struct rule_index {
	uint32_t *row[RX_COUNT][MK_KIND_COUNT]; /* NULL: no row of that kind */
	uint32_t **carriers, *n_carriers;	/* per security group */
	uint32_t *unknown[MK_KIND_COUNT], n_unknown[MK_KIND_COUNT];
	/* The objects of the kinds that carry security groups (instances,
	 * load balancers, services, databases, VPC endpoints, fleets) that
	 * have no placement, in that kind order then index order: the
	 * carriers the input does not place, which VS004's unknowns name
	 * without scanning every object per group. */
	struct obj_ref *placeless;
	uint32_t n_placeless;
	/* The space no internet client has (RFC 6890's private and special
	 * blocks, and every VPC's), merged and sorted; made by the reach
	 * rules when first asked (have_private). */
	struct addr_span *private_space;
	uint32_t n_private;
	bool have_private;
	/* Per load balancer, its forwards: each listener's, each node's
	 * (sim_lb_forwards); per resource, the forwards whose target is
	 * one of its placements, by load balancer then forward
	 * (to_first[k][i] .. to_first[k][i + 1] in to). */
	struct sim_fwds *lb_fwds;
	uint32_t *to_first[MK_KIND_COUNT];
	struct fwd_ref *to;
	/* What the internet reaches of each class, atom by atom, as rules
	 * ask it (uint32_t[2] {class, proto} -> struct atom_list): the
	 * placements of a class share their atoms and answers. */
	struct hmap atoms;
};

/* The row of table t whose destination is resource (k, i) and reaches
 * some port, or NULL. */
const struct reach_row *rule_exposure_row(const struct rule_ctx *ctx,
					  enum rule_table t, enum model_kind k,
					  uint32_t i);
/* The forwards whose target is a placement of resource (k, i), by load
 * balancer then forward; *n their count. */
const struct fwd_ref *rule_forwards_to(const struct rule_ctx *ctx,
				       enum model_kind k, uint32_t i,
				       uint32_t *n);
/* The objects carrying groups that have no placement (rule_index);
 * *n their count. */
const struct obj_ref *rule_placeless(const struct rule_ctx *ctx, uint32_t *n);
/* The placements carrying group g; *n their count. */
const uint32_t *rule_carriers(const struct rule_ctx *ctx, uint32_t g,
			      uint32_t *n);

#endif
