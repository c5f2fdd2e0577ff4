/*
 * Which connections a load balancer's forward makes (semantics §8): the
 * one place that reads listeners, their actions, target groups, targets
 * and zones.  The trace, estate-wide reachability, the graph, the rules,
 * policies and diff all take their forwards from here; flow.c evaluates
 * them (sim_forward_check).
 *
 * A listener's actions are walked in AWS order: its rules by priority
 * (the model keeps them sorted), then the default action, with no cap.
 * A forward is one (node, target) pair of a target group that an action
 * forwards to; a target group named by several actions is forwarded to
 * once, under the first.  A node sends nothing to a target in a zone the
 * load balancer does not enable, nor, with cross-zone load balancing off,
 * to one in another zone than its own.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "sim/sim.h"

/* ---- targets -------------------------------------------------------- */

static bool subnet_of_addr(const struct model *m, uint32_t vpc, uint32_t addr,
			   uint32_t *subnet)
{
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++)
		if (m->subnets[i].vpc == vpc && m->subnets[i].cidr.len <= 32 &&
		    cidr_contains_addr(m->subnets[i].cidr, addr)) {
			*subnet = i;
			return true;
		}
	return false;
}

static void put_target(struct sim_target *out, uint32_t max, uint32_t *n,
		       struct sim_target t)
{
	if (*n < max)
		out[*n] = t;
	(*n)++;
}

/* Every placement of fleet f as a target on port lo (..hi). */
static void fleet_targets(const struct model *m, uint32_t f, uint16_t lo,
			  uint16_t hi, struct sim_target *out, uint32_t max,
			  uint32_t *n)
{
	uint32_t np;
	const struct model_placement *p = model_placements(m, MK_FLEET, f, &np);
	for (uint32_t i = 0; i < np; i++)
		put_target(
		    out, max, n,
		    (struct sim_target){(uint32_t)(p - m->placements) + i,
					p[i].addr, p[i].subnet, lo, hi});
}

/* The host port of a bridge or host task's mapping of binding b: the
 * mapping's own, the container port in host mode, else (bridge, none
 * given) the dynamic range, *hi set. */
static uint16_t host_port(const struct model_task_definition *td,
			  const struct model_lb_binding *b, uint16_t *hi)
{
	bool host = !strcmp(td->network_mode, "host");
	*hi = 0;
	for (uint32_t c = 0; c < td->n_containers; c++) {
		const struct model_container *x = &td->containers[c];
		if (b->container && strcmp(x->name, b->container))
			continue;
		for (uint32_t k = 0; k < x->n_ports; k++) {
			if (x->ports[k].port != b->port)
				continue;
			if (host || x->ports[k].host_port)
				return host ? b->port : x->ports[k].host_port;
			*hi = MODEL_ECS_DYNAMIC_HI;
			return MODEL_ECS_DYNAMIC_LO;
		}
	}
	return b->port; /* no such mapping: reported at load */
}

/* A bridge or host service's tasks are reached at its cluster's
 * container instances (the fleets whose instances join the cluster). */
static void host_service_targets(const struct model *m,
				 const struct model_service *sv,
				 const struct model_lb_binding *b,
				 struct sim_target *out, uint32_t max,
				 uint32_t *n)
{
	const struct model_task_definition *td =
	    &m->task_definitions[sv->task_definition];
	uint16_t hi, lo = host_port(td, b, &hi);
	/* a classic load balancer sends to its instance port, always */
	if (m->target_groups[b->target_group].classic) {
		lo = m->target_groups[b->target_group].port;
		hi = 0;
	}
	const char *cluster = sv->cluster ? sv->cluster : "default";
	for (uint32_t f = 0; f < m->n[MK_FLEET]; f++)
		if (m->fleets[f].ecs_cluster &&
		    !strcmp(m->fleets[f].ecs_cluster, cluster))
			fleet_targets(m, f, lo, hi, out, max, n);
}

static bool bridge_or_host(const struct model *m,
			   const struct model_service *sv)
{
	if (sv->task_definition == MODEL_NONE)
		return false;
	const char *mode =
	    m->task_definitions[sv->task_definition].network_mode;
	return mode && strcmp(mode, "awsvpc");
}

/* The fleets that register with tg (or its classic load balancer). */
static void registered_fleets(const struct model *m, uint32_t tg,
			      struct sim_target *out, uint32_t max, uint32_t *n)
{
	const struct model_target_group *g = &m->target_groups[tg];
	for (uint32_t f = 0; f < m->n[MK_FLEET]; f++) {
		const struct model_fleet *fl = &m->fleets[f];
		bool in = false;
		for (uint32_t k = 0; k < fl->n_target_groups && !in; k++)
			in = fl->target_groups[k] == tg;
		for (uint32_t k = 0;
		     g->classic && k < fl->n_load_balancers && !in; k++)
			in = fl->load_balancers[k] == g->classic_lb;
		if (in)
			fleet_targets(m, f, g->port, 0, out, max, n);
	}
}

/* The placements of the ECS services bound to tg. */
static void service_targets(const struct model *m, uint32_t tg,
			    struct sim_target *out, uint32_t max, uint32_t *n)
{
	for (uint32_t s = 0; s < m->n[MK_SERVICE]; s++) {
		const struct model_service *sv = &m->services[s];
		for (uint32_t b = 0; b < sv->n_bindings; b++) {
			if (sv->bindings[b].target_group != tg)
				continue;
			if (bridge_or_host(m, sv)) {
				host_service_targets(m, sv, &sv->bindings[b],
						     out, max, n);
				continue;
			}
			uint32_t np;
			const struct model_placement *p =
			    model_placements(m, MK_SERVICE, s, &np);
			for (uint32_t i = 0; i < np; i++)
				put_target(
				    out, max, n,
				    (struct sim_target){
					(uint32_t)(p - m->placements) + i,
					p[i].addr, p[i].subnet,
					sv->bindings[b].port, 0});
		}
	}
}

uint32_t sim_tg_targets(const struct model *m, uint32_t tg, uint32_t vpc,
			struct sim_target *out, uint32_t max)
{
	const struct model_target_group *g = &m->target_groups[tg];
	uint32_t n = 0;
	service_targets(m, tg, out, max, &n);
	for (uint32_t k = 0; k < g->n_targets; k++) {
		const struct model_tg_target *t = &g->targets[k];
		uint16_t port = t->port ? t->port : g->port;
		if (t->instance != MODEL_NONE) {
			uint32_t np;
			const struct model_placement *p =
			    model_placements(m, MK_INSTANCE, t->instance, &np);
			if (np)
				put_target(out, max, &n,
					   (struct sim_target){
					       (uint32_t)(p - m->placements),
					       p->addr, p->subnet, port, 0});
			continue;
		}
		uint32_t found = MODEL_NONE, subnet = MODEL_NONE;
		for (uint32_t i = 0; i < m->n_placements_total; i++)
			if (m->placements[i].addr == t->addr) {
				found = i;
				subnet = m->placements[i].subnet;
				break;
			}
		if (found == MODEL_NONE &&
		    !subnet_of_addr(m, vpc, t->addr, &subnet))
			continue;
		put_target(
		    out, max, &n,
		    (struct sim_target){found, t->addr, subnet, port, 0});
	}
	registered_fleets(m, tg, out, max, &n);
	return n;
}

/* ---- listeners ------------------------------------------------------- */

const struct model_lb_action *
sim_listener_action(const struct model_listener *li, uint32_t k,
		    const struct model_listener_rule **rule)
{
	if (k < li->n_rules) {
		*rule = &li->rules[k];
		return &li->rules[k].action;
	}
	*rule = NULL;
	return &li->default_action;
}

/* Whether an action forwards to a target group the network carries. */
static bool network_forward(const struct model *m,
			    const struct model_lb_action *a)
{
	return a->kind == LBA_FORWARD && a->target_group != MODEL_NONE &&
	       m->target_groups[a->target_group].target_type != TT_LAMBDA;
}

bool sim_listener_forwards(const struct model *m,
			   const struct model_listener *li)
{
	const struct model_listener_rule *rule;
	for (uint32_t k = 0; k <= li->n_rules; k++)
		if (network_forward(m, sim_listener_action(li, k, &rule)))
			return true;
	return false;
}

const struct model_listener *
sim_lb_listener(const struct model_load_balancer *lb, struct sim_flow f)
{
	for (uint32_t l = 0; l < lb->n_listeners; l++) {
		const struct model_listener *li = &lb->listeners[l];
		bool udp =
		    li->protocol == LBP_UDP || li->protocol == LBP_TCP_UDP;
		bool tcp = li->protocol != LBP_UDP;
		if (li->port == f.port && ((f.proto == PROTO_TCP && tcp) ||
					   (f.proto == PROTO_UDP && udp)))
			return li;
	}
	return NULL;
}

/* ---- zones ----------------------------------------------------------- */

bool sim_lb_zone_enabled(const struct model *m, uint32_t lb, uint32_t subnet)
{
	const char *az = m->subnets[subnet].az;
	if (!az)
		return true;
	uint32_t n;
	const struct model_placement *p =
	    model_placements(m, MK_LOAD_BALANCER, lb, &n);
	for (uint32_t i = 0; i < n; i++) {
		const char *own = m->subnets[p[i].subnet].az;
		if (!own || !strcmp(own, az))
			return true;
	}
	return false;
}

enum sim_fwd_skip sim_fwd_skip(const struct model *m, uint32_t lb,
			       uint32_t node, const struct sim_target *t)
{
	if (!sim_lb_zone_enabled(m, lb, t->subnet))
		return FWD_ZONE_DISABLED;
	if (m->lbs[lb].cross_zone)
		return FWD_SEND;
	/* Cross-zone off: only the node's own zone, which must be known. */
	const char *a = m->subnets[m->placements[node].subnet].az;
	const char *b = m->subnets[t->subnet].az;
	return a && b && !strcmp(a, b) ? FWD_SEND : FWD_OTHER_ZONE;
}

/* ---- forwards -------------------------------------------------------- */

static void push_fwd(struct sim_fwds *out, const struct sim_fwd *f)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 16;
		out->v = xreallocarray(out->v, out->cap, sizeof(*out->v));
	}
	out->v[out->n++] = *f;
}

/* The forwards of one target group from node into out. */
static void group_forwards(const struct model *m, uint32_t lb, uint32_t node,
			   struct sim_fwd proto, struct sim_fwds *out)
{
	const struct model_target_group *tg =
	    &m->target_groups[proto.target_group];
	uint32_t vpc = m->subnets[m->placements[node].subnet].vpc;
	uint32_t n = sim_tg_targets(m, proto.target_group, vpc, NULL, 0);
	struct sim_target *ts = xcalloc(n ? n : 1, sizeof(*ts));
	sim_tg_targets(m, proto.target_group, vpc, ts, n);
	enum proto p = tg->protocol == LBP_UDP ? PROTO_UDP : PROTO_TCP;
	for (uint32_t i = 0; i < n; i++) {
		if (sim_fwd_skip(m, lb, node, &ts[i]) != FWD_SEND)
			continue;
		struct sim_fwd f = proto;
		uint16_t hc = tg->health_check_port;
		f.target = ts[i];
		f.target_index = i;
		f.traffic = (struct sim_flow){p, ts[i].port};
		f.health = (struct sim_flow){p, hc ? hc : ts[i].port};
		push_fwd(out, &f);
	}
	free(ts);
}

void sim_lb_forwards(const struct model *m, uint32_t lb, uint32_t listener,
		     uint32_t node, struct sim_fwds *out)
{
	const struct model_load_balancer *b = &m->lbs[lb];
	const struct model_listener *li = &b->listeners[listener];
	const struct model_listener_rule *rule;
	for (uint32_t k = 0; k <= li->n_rules; k++) {
		const struct model_lb_action *a =
		    sim_listener_action(li, k, &rule);
		if (!network_forward(m, a))
			continue;
		/* A group an earlier action forwards to is done. */
		bool seen = false;
		for (uint32_t j = 0; j < k && !seen; j++) {
			const struct model_lb_action *e =
			    sim_listener_action(li, j, &rule);
			seen = e->kind == LBA_FORWARD &&
			       e->target_group == a->target_group;
		}
		if (seen)
			continue;
		const struct model_target_group *tg =
		    &m->target_groups[a->target_group];
		struct sim_fwd proto = {
		    .lb = lb,
		    .listener = listener,
		    .action = k,
		    .target_group = a->target_group,
		    .node = node,
		    .preserve = b->type == LB_NETWORK && tg->preserve_client_ip,
		};
		group_forwards(m, lb, node, proto, out);
	}
}

void sim_fwds_free(struct sim_fwds *f)
{
	if (!f)
		return;
	free(f->v);
	memset(f, 0, sizeof(*f));
}

const uint32_t *sim_lb_default_client(const struct model *m, uint32_t lb)
{
	static const uint32_t internet = SIM_INTERNET_ADDR;
	return m->lbs[lb].internet_facing ? &internet : NULL;
}
