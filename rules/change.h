/*
 * What a failure or a change does to an estate: `vpcsim sim` and
 * `vpcsim diff`.
 *
 * Both compare two models by reachability, not by text.  The yardstick is
 * the set of intended flows, the connections the design says must work:
 *   - the internet to every listener of an internet-facing load balancer;
 *   - every load balancer to each target it forwards to (traffic port),
 *     judged as the engine judges its forwards (sim_forward_check);
 *   - every pair of resources joined by a security-group rule that names
 *     another group (the tasks to the database, ...), on the rule's port;
 *   - every ECS service to aws:ecr, aws:s3 and aws:logs (image pulls);
 * and the new exposures: what the internet reaches after and did not
 * before.  Flows are named by resource ids, so the same flow is found in
 * both models; a flow whose end no longer exists (failed, or deleted)
 * counts as broken.
 */
#ifndef VPCSIM_CHANGE_H
#define VPCSIM_CHANGE_H

#include "base/hash.h"
#include "rules/rules.h"
#include "sim/graph.h"

enum flow_state { FLOW_GONE = -1, FLOW_NONE, FLOW_SOME, FLOW_ALL };

/* Every text of a flow is the list's (struct flow_list texts): one copy
 * of each id, why and blocking step however many flows share it. */
struct intended_flow {
	const char *src_id; /* resource id, or NULL for the internet */
	const char *dst_id; /* resource id, or "aws:ecr" style service name */
	/* Where the intent comes from (flows of one rule share it). */
	const char *why;
	struct sim_flow flow;
	/* Evaluated in the old (or healthy) and the new (or failed) model. */
	enum flow_state before, after;
	uint32_t ok_before, n_before, ok_after, n_after;
	enum sim_block block_after; /* why a pair fails after */
	bool forward; /* a load balancer's forward to a target (§8) */
	/* A read replica that is gone while the same flow to its source
	 * still works as before: capacity is lost, not the flow. */
	bool absorbed;
	const char *detail_after; /* the blocking step's sentence */
	/* The component that blocks it after ("security group db-sg"), and
	 * where it is written; NULL (line 0) when no step names one.  The
	 * file is the list's text: the model the step was read from (a
	 * failed copy in `sim`) may be gone when the report is written. */
	const char *blocker;
	struct src_loc block_loc;
	const char *cause; /* diff: the component that changed */
};

struct flow_list {
	struct intended_flow *v;
	uint32_t n, cap;
	/* The flows' texts, each once, owned here (keys of a string set;
	 * a zeroed list is empty and valid). */
	struct hmap texts;
};

/* Exposure of one resource that the internet reaches after and not (or
 * on fewer ports) before. */
struct exposure_change {
	char *dst_id;
	enum proto proto;
	struct ports added, removed;
	char *cause;
};

/* Reachability between two resources that changed (diff only). */
struct edge_change {
	char *src_id, *dst_id;
	enum proto proto;
	struct ports added, removed;
};

struct change_report {
	struct flow_list flows;
	struct exposure_change *exposures;
	uint32_t n_exposures;
	struct edge_change *edges;
	uint32_t n_edges;
	/* Policies (require and forbid) violated after and not before. */
	char **policy_broken;
	uint32_t n_policy_broken;
};

/* An intended flow's end (an id; NULL: the internet) as a selector of
 * s's engine, into *sel; false when the id names nothing there. */
bool change_flow_sel(struct sim_sel *sel, const struct sim *s, const char *id);
/* Adds m's intended flows to l, skipping ones l already holds. */
void change_collect(struct flow_list *l, const struct model *m);
/*
 * Evaluates intended flow f in one model's engine, as change_compare
 * does: a forward as the load balancer's forwards to that target, any
 * other flow as a question over every placement pair, with traces.
 * *have says whether both ends resolved; then *an is the caller's
 * (sim_answer_free).  Pictures and reports draw and explain with it.
 */
enum flow_state change_evaluate(const struct sim *s,
				const struct intended_flow *f,
				struct sim_answer *an, bool *have);
/*
 * The old (or healthy) side of one or many comparisons, read once: its
 * engine, what the internet reaches in it, its policy violations (ps may
 * be NULL), and the before state of every flow of l, set here.  Losing
 * each zone in turn compares it with one copy per zone.
 */
struct change_base;
/* *out is the caller's (change_base_free); old, l and ps are borrowed and
 * must outlive it. */
void change_base_new(struct change_base **out, const struct model *old,
		     struct flow_list *l, const struct policy_set *ps);
/*
 * Compares the base with new into r, whose flows must be the base's list
 * l: the after state of every flow, the exposure difference, and with the
 * base's policies the violations new in new.  What an earlier compare
 * left in r is replaced.  With explain, names for each change the
 * component whose step differs between the two models (diff).
 */
void change_base_compare(struct change_report *r, struct change_base *b,
			 const struct model *new, bool explain);
void change_base_free(struct change_base *b);
/* One comparison without policies: change_base_compare on a base of old
 * and r's flows. */
void change_compare(struct change_report *r, const struct model *old,
		    const struct model *new, bool explain);
void change_report_free(struct change_report *r);
/* The gate-worthy changes as findings at the new model's resources:
 * VD001 new-exposure, VD002 intended-flow-broken (at the component that
 * now blocks the flow, when one does). */
void change_findings(struct finding_list *out, const struct model *new,
		     const struct change_report *r);
/* Runs the policies on both models and records the violations that are
 * new in the second (messages owned by r). */
void change_policies(struct change_report *r, const struct policy_set *ps,
		     const struct model *old, const struct model *new);
/* Whether the state got worse, so a gate fails. */
bool flow_broken(const struct intended_flow *f);
const char *flow_state_name(enum flow_state s);

#endif
