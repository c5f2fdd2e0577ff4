/*
 * What the rooms of the policy language share (rules/policy/): parse.c
 * reads policies from YAML, resolve.c checks their selectors against a
 * model and binds them to the model a run evaluates, eval.c evaluates
 * them.  Not a public header; the API is in rules/rules.h.
 *
 * Data.  A policy_set owns its policies and a copy of the name of every
 * file they came from.  Findings borrow from the set: rule_id and
 * rule_name are the policy's id, loc.file is the set's copy of the file
 * name, so a finding list must be freed before the set.
 *
 * A selector is read into a pol_sel (its words, borrowed from the YAML
 * document), checked against the model the set is loaded for, and kept
 * as the members it named there: the internet, an AWS service, or a
 * resource by id.  Evaluation binds members to the model it runs on by
 * id (pol_bind), so that model may be another copy (a failed clone for
 * `vpcsim sim`) whose indexes differ; a resource that a failure left
 * with no placement stays a member, so a requirement on it breaks
 * instead of holding vacuously.  After loading, nothing refers to the
 * YAML document.
 *
 * Invariants of a loaded set: policy ids are unique and are not the id or
 * name of a built-in rule; member lists hold no duplicates; `from` holds
 * no AWS service; a policy's ports are never empty (all ports, or all
 * ICMP types, when the file names none); hops is 0 (direct) or 1..8, and
 * at least 2 for forbid.  A file with any error adds nothing to the set.
 */
#ifndef VPCSIM_POLICY_IMPL_H
#define VPCSIM_POLICY_IMPL_H

#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "base/ykit.h"
#include "rules/rules_impl.h"

#define POLICY_MAX_HOPS 8

/* A member of a policy's from, to or except_via, as loading resolved it.
 * For a resource, node.rkind and node.rindex are where it was in the
 * model it was resolved against: bindings check them by id. */
struct pol_member {
	struct reach_node node;
	char *id; /* RN_RESOURCE: owned copy of the resource's id, or NULL */
};

struct pol_members {
	struct pol_member *v;
	uint32_t n;
};

struct policy {
	char *id, *message;
	enum severity severity;
	struct src_loc loc; /* the id's value node; file is the set's copy */
	bool require;	    /* require, else forbid */
	struct pol_members from, to, via;
	enum proto proto;   /* PROTO_TCP, PROTO_UDP, PROTO_ICMP or PROTO_ALL */
	struct ports ports; /* ports, or ICMP types; unused for PROTO_ALL */
	uint32_t hops;	    /* 0: direct */
	bool some;	    /* require: placements: some */
};

struct policy_set {
	struct policy *v;
	uint32_t n, cap;
	char **files;
	uint32_t n_files;
};

/* ---- selectors as written (parse.c -> resolve.c) ------------------------- */

enum pol_sel_form {
	PSEL_INTERNET, /* internet */
	PSEL_SERVICE,  /* aws:NAME */
	PSEL_ID,       /* a resource id */
	PSEL_MATCH,    /* {kind: K, tag: {k: v}, subnet: S} */
};

/* A tag a mapping selector asks for: key and value scalars. */
struct pol_tag {
	const struct ydoc_node *key, *value;
};

struct pol_sel {
	enum pol_sel_form form;
	const struct ydoc_node *node; /* where it is written */
	bool bad;		      /* an error was reported reading it */
	enum sim_service service;     /* PSEL_SERVICE */
	const char *id;		      /* PSEL_ID: the document's text */
	int kind; /* PSEL_MATCH: index in the kinds a selector names, or -1 */
	struct pol_tag *tags; /* PSEL_MATCH: owned */
	uint32_t n_tags;
	const struct ydoc_node
	    *subnet;	       /* PSEL_MATCH: the subnet's value node */
	const char *subnet_id; /* its text, NULL after an error */
};

/* One of from, to, except_via: a selector or a list of them (their
 * union). */
struct pol_end {
	const struct ydoc_node *node; /* NULL: not given */
	struct pol_sel *v;
	uint32_t n;
};

/* A policy being loaded: what the file says, and its ends as written. */
struct pol_draft {
	struct policy p;
	struct pol_end from, to, via;
};

void pol_end_free(struct pol_end *e);
void pol_members_free(struct pol_members *l);

/* The kind a mapping selector names (kind: instance), by index. */
struct pol_kind {
	const char *name;
	enum model_kind kind;
	int iface; /* instances: 0 instance, 1 network interface; -1 other */
};
/* Defined with exactly this many entries (resolve.c): a mismatch is a
 * conflicting declaration, not a silent NULL name. */
#define POL_KIND_COUNT 7
extern const struct pol_kind pol_kinds[POL_KIND_COUNT];

/* ---- resolve.c ----------------------------------------------------------- */

/*
 * Checks the ends of drafts[0..n) against m, reporting through R what
 * names nothing there (errors) or matches nothing (warnings), and fills
 * each draft's policy members; also reports a policy whose from and to
 * are both only the internet.
 */
void pol_resolve(struct ykit *R, const struct model *m, struct pol_draft *d,
		 uint32_t n);

struct node_list {
	struct reach_node *v;
	uint32_t n;
};

/* The nodes of m that members stand for: resources by id (those m does
 * not have are left out), the internet and AWS services as they are.
 * out->v is the caller's (free). */
void pol_bind(struct node_list *out, const struct pol_members *in,
	      const struct model *m);

/* Every node of m by a dense number, so per-policy sets are flat arrays:
 * 0 the internet, 1-3 the AWS services (enum sim_service), then each
 * kind's objects in enum order.  pol_dense_count is the number of them. */
uint32_t pol_dense_count(const struct model *m);
uint32_t pol_dense_id(const struct model *m, const struct reach_node *x);

#endif
