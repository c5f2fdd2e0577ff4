/*
 * Rules that read the model's structure rather than its reachability
 * (VS008-VS016, VS018, VS020): where things are placed, how big subnets
 * are, which listeners redirect, which filter rules can never decide
 * anything, which objects nothing uses, which values the input left
 * unknown, and which parts of it the loader did not analyse.
 *
 * Data: the model only (ctx->m); none of these rules asks the engine.
 * Every finding is about one object of the model, so it lands on that
 * object's line; a finding about a rule inside a group or a NACL names the
 * rule's number and line in its message and uses "direction-number" as
 * its fingerprint key, which stays stable when lines move.
 *
 * Invariants the rules rely on (model.h): every subnet has an effective
 * route table and NACL; NACL rules are sorted by number; route tables are
 * in match order; placements are grouped by owner.  Objects the loader
 * synthesized (implicit) are never reported as unused: the user did not
 * write them and cannot remove them.
 *
 * Unknown values (obj.unknowns; issue 7: report, don't guess): VS018 lists
 * them, one finding per object.  A rule whose verdict could be turned by
 * one does not state it as a fact: VS008 and VS009 fall to a warning that
 * names the value, claims that nothing uses an object carry a caution
 * naming the objects with unknowns that could use it, and zones that are
 * unknown make VS010 and VS011 say nothing.  Verdicts that a left-out
 * value can only strengthen (a shadowed NACL rule stays shadowed when an
 * earlier rule is missing) need no caution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/ports.h"
#include "base/util.h"
#include "model/values.h"
#include "rules/rules_impl.h"

/* ---- shared helpers ------------------------------------------------------ */

/* "security group", "load balancer", ...: the words a message uses. */
static const char *noun(enum model_kind k)
{
	static const char *const nouns[MK_KIND_COUNT] = {
	    [MK_VPC] = "VPC",
	    [MK_INTERNET_GATEWAY] = "internet gateway",
	    [MK_SUBNET] = "subnet",
	    [MK_ROUTE_TABLE] = "route table",
	    [MK_NAT_GATEWAY] = "NAT gateway",
	    [MK_SECURITY_GROUP] = "security group",
	    [MK_NETWORK_ACL] = "network ACL",
	    [MK_PREFIX_LIST] = "prefix list",
	    [MK_INSTANCE] = "instance",
	    [MK_LOAD_BALANCER] = "load balancer",
	    [MK_TARGET_GROUP] = "target group",
	    [MK_TASK_DEFINITION] = "task definition",
	    [MK_SERVICE] = "ECS service",
	    [MK_DATABASE] = "database",
	    [MK_VPC_ENDPOINT] = "VPC endpoint",
	    [MK_PEERING] = "peering connection",
	    [MK_FLEET] = "fleet",
	};
	return k < MK_KIND_COUNT ? nouns[k] : "object";
}

/* Adds one detail line per unknown value of o, naming o when it is not
 * the finding's own object. */
static void detail_unknowns(struct finding *f, const struct model_obj *o)
{
	for (uint32_t i = 0; i < o->n_unknowns; i++)
		finding_detail(f, "unknown: %s '%s': %s", noun(o->kind), o->id,
			       o->unknowns[i]);
}

/* The subnet's route table, or NULL when the model has none for it (a
 * load error elsewhere; the invariant says it cannot happen). */
static const struct model_route_table *subnet_rt(const struct model *m,
						 const struct model_subnet *s)
{
	return s->route_table < m->n[MK_ROUTE_TABLE]
		   ? &m->route_tables[s->route_table]
		   : NULL;
}

/* Whether the subnet's public/private verdict (§6.3) reads a value the
 * input left unknown.  The verdict reads the route table only; loaders
 * record an unknown association on the (synthesized) table the subnet is
 * then given, and a subnet's own unknowns (its zone, its block) do not
 * change it. */
static bool subnet_verdict_unknown(const struct model *m,
				   const struct model_subnet *s)
{
	const struct model_route_table *rt = subnet_rt(m, s);
	return rt && rt->obj.n_unknowns;
}

static void detail_subnet_unknowns(struct finding *f, const struct model *m,
				   const struct model_subnet *s)
{
	const struct model_route_table *rt = subnet_rt(m, s);
	if (rt)
		detail_unknowns(f, &rt->obj);
}

/* The IPv4 route for 0.0.0.0/0 of a table, or NULL. */
static const struct model_route *
default_route(const struct model_route_table *rt)
{
	for (uint32_t i = 0; rt && i < rt->n_routes; i++)
		if (!rt->routes[i].ipv6 && rt->routes[i].dst.len == 0)
			return &rt->routes[i];
	return NULL;
}

/*
 * The single availability zone of a list of subnets: returns true and sets
 * *az when all share one, false when they span several.  *unknown is set
 * when some subnet's zone is not known (a Terraform subnet whose zone AWS
 * picks at apply): then nothing can be said.
 */
static bool one_az(const struct model *m, const uint32_t *subnets, uint32_t n,
		   const char **az, bool *unknown)
{
	*az = NULL;
	*unknown = false;
	for (uint32_t i = 0; i < n; i++) {
		const char *z = m->subnets[subnets[i]].az;
		if (!z) {
			*unknown = true;
			return false;
		}
		if (!*az)
			*az = z;
		else if (strcmp(*az, z))
			return false;
	}
	return *az != NULL;
}

/* "us-east-1a, us-east-1b": the distinct zones of subnets, in order. */
static void list_azs(char *buf, size_t size, const struct model *m,
		     const uint32_t *subnets, uint32_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < n && len < size; i++) {
		const char *z = m->subnets[subnets[i]].az;
		bool seen = false;
		for (uint32_t k = 0; k < i && !seen; k++)
			seen = m->subnets[subnets[k]].az && z &&
			       !strcmp(m->subnets[subnets[k]].az, z);
		if (seen)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					len ? ", " : "", z ? z : "?");
	}
}

/* Which objects of kind k something outside the model uses (a resource
 * the loader skipped, a template output: model.h struct model_use). */
static bool *outside_used(const struct model *m, enum model_kind k)
{
	bool *used = xcalloc(m->n[k] + 1, sizeof(*used));
	for (uint32_t i = 0; i < m->n_uses; i++)
		if (m->uses[i].kind == k && m->uses[i].index < m->n[k])
			used[m->uses[i].index] = true;
	return used;
}

/*
 * Whether a security group is attached to some resource.  Attachment is
 * read from the resources' group lists, not from placements: a resource
 * whose subnet is unknown has no placement, yet its groups are in use.
 * A group that a resource outside the model names (an Auto Scaling
 * group's launch configuration, an output another stack imports) is
 * carried too, by members no rule sees.
 */
static bool *attached_groups(const struct model *m)
{
	bool *used = outside_used(m, MK_SECURITY_GROUP);
#define MARK(arr, kind)                                                        \
	for (uint32_t i = 0; i < m->n[kind]; i++)                              \
		for (uint32_t k = 0; k < m->arr[i].n_groups; k++)              \
			if (m->arr[i].groups[k] < m->n[MK_SECURITY_GROUP])     \
				used[m->arr[i].groups[k]] = true;
	MARK(instances, MK_INSTANCE)
	MARK(lbs, MK_LOAD_BALANCER)
	MARK(services, MK_SERVICE)
	MARK(databases, MK_DATABASE)
	MARK(fleets, MK_FLEET)
#undef MARK
	/* Gateway endpoints take no security group in AWS (model.md): a
	 * group named only there is attached to nothing. */
	for (uint32_t i = 0; i < m->n[MK_VPC_ENDPOINT]; i++)
		if (m->endpoints[i].type == VPCE_INTERFACE)
			for (uint32_t k = 0; k < m->endpoints[i].n_groups; k++)
				used[m->endpoints[i].groups[k]] = true;
	return used;
}

/*
 * A claim that nothing uses an object reads every object that could use
 * it; when one of those has unknown values (a group list, an association
 * or a route target the input leaves open), the claim may be wrong.  This
 * says so under the finding, naming up to three such objects, other than
 * the finding's own.
 */
static void detail_user_unknowns(struct finding *f, const struct rule_ctx *ctx,
				 const enum model_kind *kinds, uint32_t nk,
				 const struct model_obj *self)
{
	const struct model *m = ctx->m;
	char list[256];
	size_t len = 0;
	uint32_t total = 0;
	list[0] = '\0';
	/* The objects with unknowns, from the context's index: a scan of
	 * every object per finding made thousands of findings quadratic. */
	for (uint32_t k = 0; k < nk; k++)
		for (uint32_t x = 0; x < ctx->idx->n_unknown[kinds[k]]; x++) {
			const struct model_obj *o = model_object(
			    m, kinds[k], ctx->idx->unknown[kinds[k]][x]);
			if (o == self)
				continue;
			if (total++ < 3 && len < sizeof(list))
				len += (size_t)snprintf(
				    list + len, sizeof(list) - len, "%s%s '%s'",
				    len ? ", " : "", noun(o->kind), o->id);
		}
	if (!total)
		return;
	if (total > 3)
		finding_detail(f,
			       "this may be wrong: %s and %u more have values "
			       "the input does not determine (unknown-value)",
			       list, total - 3);
	else
		finding_detail(f,
			       "this may be wrong: %s %s values the input does "
			       "not determine (unknown-value)",
			       list, total == 1 ? "has" : "have");
}

/* What can use an object of each kind: what carries or names a security
 * group (the carriers first; the last entry only names), what associates
 * a NACL or route table (an unknown association is recorded on the table
 * the loader gives the subnet instead), what forwards to a target group,
 * what routes to a NAT gateway. */
static const enum model_kind group_users[] = {
    MK_INSTANCE,     MK_LOAD_BALANCER, MK_SERVICE,	 MK_DATABASE,
    MK_VPC_ENDPOINT, MK_FLEET,	       MK_SECURITY_GROUP};
static const enum model_kind nacl_users[] = {MK_SUBNET, MK_NETWORK_ACL};
static const enum model_kind rt_users[] = {MK_SUBNET, MK_ROUTE_TABLE};
static const enum model_kind tg_users[] = {MK_LOAD_BALANCER};
static const enum model_kind nat_users[] = {MK_ROUTE_TABLE};

static bool vpcs_peered(const struct model *m, uint32_t a, uint32_t b)
{
	for (uint32_t i = 0; i < m->n[MK_PEERING]; i++) {
		const struct model_peering *p = &m->peerings[i];
		if ((p->requester == a && p->accepter == b) ||
		    (p->requester == b && p->accepter == a))
			return true;
	}
	return false;
}

/* ---- VS008 public-lb-private-subnet -------------------------------------- */

static void run_public_lb_private_subnet(struct rule_ctx *ctx,
					 const struct rule_def *def)
{
	const struct model *m = ctx->m;
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++) {
		const struct model_load_balancer *lb = &m->lbs[i];
		if (!lb->internet_facing)
			continue;
		for (uint32_t k = 0; k < lb->n_subnets; k++) {
			const struct model_subnet *s =
			    &m->subnets[lb->subnets[k]];
			if (s->is_public)
				continue;
			struct finding *f;
			if (subnet_verdict_unknown(m, s)) {
				f = finding_add(
				    ctx, def, SEV_WARNING, MK_LOAD_BALANCER, i,
				    s->obj.id,
				    "internet-facing load balancer '%s' "
				    "may have a node in a subnet without "
				    "an internet route: subnet '%s' shows "
				    "none (%s), but that depends on "
				    "values the input does not give",
				    lb->obj.id, s->obj.id, s->why);
				detail_subnet_unknowns(f, m, s);
				continue;
			}
			f = finding_add(
			    ctx, def, def->severity, MK_LOAD_BALANCER, i,
			    s->obj.id,
			    "internet-facing load balancer '%s' has "
			    "a node in private subnet '%s': %s",
			    lb->obj.id, s->obj.id, s->why);
			finding_detail(
			    f,
			    "internet clients that DNS sends to that "
			    "node (about 1 in %u) cannot connect: "
			    "its replies do not go to an internet "
			    "gateway (semantics §6.3)",
			    lb->n_subnets);
		}
	}
}

/* ---- VS009 nat-in-private-subnet ----------------------------------------- */

/* "private-a, private-b": the subnets whose route for 0.0.0.0/0 goes to
 * NAT gateway g, for the reader to see what loses its egress. */
static void subnets_via_nat(char *buf, size_t size, const struct model *m,
			    uint32_t g)
{
	size_t len = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < m->n[MK_SUBNET] && len < size; i++) {
		const struct model_route *r =
		    default_route(subnet_rt(m, &m->subnets[i]));
		if (r && r->target == RT_NAT && r->target_index == g)
			len += (size_t)snprintf(buf + len, size - len, "%s%s",
						len ? ", " : "",
						m->subnets[i].obj.id);
	}
}

static void run_nat_in_private_subnet(struct rule_ctx *ctx,
				      const struct rule_def *def)
{
	const struct model *m = ctx->m;
	for (uint32_t i = 0; i < m->n[MK_NAT_GATEWAY]; i++) {
		const struct model_nat_gateway *g = &m->nat_gateways[i];
		/* A private NAT gateway is meant for private subnets: it
		 * translates to other networks, never to the internet. */
		if (!g->is_public || g->subnet == MODEL_NONE)
			continue;
		const struct model_subnet *s = &m->subnets[g->subnet];
		if (s->is_public && g->has_eip)
			continue;
		char users[512];
		subnets_via_nat(users, sizeof(users), m, i);
		struct finding *f;
		if (!s->is_public) {
			bool unk = subnet_verdict_unknown(m, s);
			f = finding_add(ctx, def,
					unk ? SEV_WARNING : def->severity,
					MK_NAT_GATEWAY, i, "private-subnet",
					"NAT gateway '%s' %s in private subnet "
					"'%s' (%s): traffic it translates "
					"cannot reach the internet",
					g->obj.id, unk ? "may be" : "is",
					s->obj.id, s->why);
			if (unk)
				detail_subnet_unknowns(f, m, s);
			if (*users)
				finding_detail(f,
					       "subnets whose internet route "
					       "goes to it: %s",
					       users);
		}
		if (!g->has_eip) {
			bool unk = g->obj.n_unknowns > 0;
			f = finding_add(
			    ctx, def, unk ? SEV_WARNING : def->severity,
			    MK_NAT_GATEWAY, i, "no-elastic-ip",
			    "public NAT gateway '%s' has no Elastic "
			    "IP%s: traffic through it cannot reach "
			    "the internet (semantics §7)",
			    g->obj.id, unk ? " that vpcsim can see" : "");
			if (unk)
				detail_unknowns(f, &g->obj);
			if (*users)
				finding_detail(f,
					       "subnets whose internet route "
					       "goes to it: %s",
					       users);
		}
	}
}

/* ---- VS010 single-az ----------------------------------------------------- */

static void run_single_az(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	const char *az;
	bool unk;
	char azs[256];
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++) {
		const struct model_load_balancer *lb = &m->lbs[i];
		if (!one_az(m, lb->subnets, lb->n_subnets, &az, &unk))
			continue;
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_LOAD_BALANCER, i, NULL,
		    "load balancer '%s' has nodes in one availability zone "
		    "only (%s): it stops when that zone does",
		    lb->obj.id, az);
		if (lb->type == LB_APPLICATION)
			finding_detail(f,
				       "AWS requires an application load "
				       "balancer to have subnets in at least "
				       "two zones");
	}
	for (uint32_t i = 0; i < m->n[MK_SERVICE]; i++) {
		const struct model_service *sv = &m->services[i];
		/* Scaled to zero, it runs nowhere: nothing to lose. */
		if (!sv->desired_count)
			continue;
		if (!one_az(m, sv->subnets, sv->n_subnets, &az, &unk))
			continue;
		finding_add(ctx, def, def->severity, MK_SERVICE, i, NULL,
			    "ECS service '%s' has subnets in one availability "
			    "zone only (%s): when that zone fails, ECS has no "
			    "other zone to run its tasks in",
			    sv->obj.id, az);
	}
	for (uint32_t i = 0; i < m->n[MK_DATABASE]; i++) {
		const struct model_database *d = &m->databases[i];
		/* A read replica is an extra copy, not the one serving
		 * writes: whether the primary survives is the question. */
		if (d->replica_of != MODEL_NONE)
			continue;
		/* An EFS file system spans the zones of its mount targets
		 * (one object each), and ElastiCache replicates on its
		 * own terms: RDS's standby question is not theirs. */
		if (d->family == DBF_CACHE || d->family == DBF_FILE_SYSTEM)
			continue;
		if (d->multi_az) {
			/* The standby goes to another zone of the subnet
			 * group; with one zone there is none to go to. */
			if (!one_az(m, d->subnets, d->n_subnets, &az, &unk))
				continue;
			finding_add(ctx, def, def->severity, MK_DATABASE, i,
				    "standby",
				    "Multi-AZ database '%s' has subnets in one "
				    "availability zone only (%s): its standby "
				    "has no other zone to run in",
				    d->obj.id, az);
			continue;
		}
		/* Without a standby, an RDS instance runs in one zone, whatever
		 * its subnet group spans: RDS does not move it when the zone
		 * fails.  Aurora is different: its storage spans three zones
		 * and a cluster fails over to another instance, or recreates
		 * the writer elsewhere; the model does not hold the cluster,
		 * so only an Aurora instance that can be placed in one zone
		 * only is reported. */
		bool aurora = d->engine && !strncmp(d->engine, "aurora", 6);
		uint32_t np;
		const struct model_placement *pl =
		    model_placements(m, MK_DATABASE, i, &np);
		uint32_t sub[64];
		uint32_t ns = 0;
		for (uint32_t k = 0; k < np && ns < ARRAY_LEN(sub); k++)
			sub[ns++] = pl[k].subnet;
		if (!ns)
			continue;
		if (one_az(m, sub, ns, &az, &unk)) {
			finding_add(
			    ctx, def, def->severity, MK_DATABASE, i, NULL,
			    "database '%s' is placed in one availability "
			    "zone only (%s) and has no Multi-AZ standby",
			    d->obj.id, az);
		} else if (!unk && !aurora) {
			list_azs(azs, sizeof(azs), m, sub, ns);
			finding_add(ctx, def, def->severity, MK_DATABASE, i,
				    NULL,
				    "database '%s' has no Multi-AZ standby: it "
				    "runs in one availability zone at a time "
				    "(one of %s) and stops when that zone does",
				    d->obj.id, azs);
		}
	}
}

/* ---- VS011 nat-cross-az -------------------------------------------------- */

static void run_nat_cross_az(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++) {
		const struct model_subnet *s = &m->subnets[i];
		const struct model_route_table *rt = subnet_rt(m, s);
		const struct model_route *r = default_route(rt);
		if (!r || r->target != RT_NAT || !s->az ||
		    r->target_index >= m->n[MK_NAT_GATEWAY])
			continue;
		const struct model_nat_gateway *g =
		    &m->nat_gateways[r->target_index];
		if (g->subnet == MODEL_NONE)
			continue;
		const char *gaz = m->subnets[g->subnet].az;
		if (!gaz || !strcmp(gaz, s->az))
			continue;
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_SUBNET, i, g->obj.id,
		    "subnet '%s' (%s) sends its internet traffic through "
		    "NAT gateway '%s' in another availability zone (%s): "
		    "it loses its egress when %s fails, and pays for "
		    "cross-zone traffic",
		    s->obj.id, s->az, g->obj.id, gaz, gaz);
		if (r->loc.line)
			finding_detail(f,
				       "route table '%s', route %u (line %u): "
				       "0.0.0.0/0 -> %s",
				       rt->obj.id, r->number, r->loc.line,
				       g->obj.id);
		else
			finding_detail(f, "route table '%s': 0.0.0.0/0 -> %s",
				       rt->obj.id, g->obj.id);
	}
}

/* ---- VS012 subnet-too-small ---------------------------------------------- */

/* Tasks of service sv that ECS puts in subnet s: the count is spread
 * evenly over the service's subnets, the first ones taking one more when
 * it does not divide (model.c does the same for subnet->tasks). */
static uint32_t service_tasks_in(const struct model_service *sv, uint32_t s)
{
	for (uint32_t k = 0; k < sv->n_subnets; k++)
		if (sv->subnets[k] == s)
			return sv->desired_count / sv->n_subnets +
			       (k < sv->desired_count % sv->n_subnets);
	return 0;
}

static void run_subnet_too_small(struct rule_ctx *ctx,
				 const struct rule_def *def)
{
	const struct model *m = ctx->m;
	uint64_t *need = xcalloc(m->n[MK_SUBNET] + 1, sizeof(*need));
	for (uint32_t p = 0; p < m->n_placements_total; p++) {
		const struct model_placement *pl = &m->placements[p];
		/* One placement stands for every task of a service in its
		 * subnet; each task holds an address of its own. */
		need[pl->subnet] +=
		    pl->kind == MK_SERVICE
			? service_tasks_in(&m->services[pl->index], pl->subnet)
			: 1;
	}
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++) {
		const struct model_subnet *s = &m->subnets[i];
		if (s->cidr.len > 28)
			continue; /* invalid: the loader said so */
		uint64_t usable =
		    (uint64_t)values_usable_addrs(s->cidr); /* §2 */
		if (need[i] <= usable)
			continue;
		char c[CIDR_STRLEN];
		cidr_format(c, s->cidr);
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_SUBNET, i, NULL,
		    "subnet '%s' (%s) is too small: %llu usable addresses "
		    "(%llu - %u), %llu needed by what is placed in it",
		    s->obj.id, c, (unsigned long long)usable,
		    (unsigned long long)cidr_size(s->cidr),
		    VALUES_RESERVED_ADDRS, (unsigned long long)need[i]);
		/* What takes the addresses, owner by owner (placements are
		 * grouped by owner, so one pass counts each owner once). */
		for (uint32_t p = 0; p < m->n_placements_total; p++) {
			const struct model_placement *pl = &m->placements[p];
			if (pl->subnet != i)
				continue;
			const struct model_obj *o =
			    model_object(m, pl->kind, pl->index);
			if (pl->kind == MK_SERVICE) {
				uint32_t t = service_tasks_in(
				    &m->services[pl->index], i);
				finding_detail(f, "%s '%s': %u task%s",
					       noun(pl->kind), o->id, t,
					       t == 1 ? "" : "s");
			} else {
				finding_detail(f, "%s '%s': 1 address%s",
					       noun(pl->kind), o->id,
					       pl->addr_exhausted
						   ? " (none was left for it)"
						   : "");
			}
		}
	}
	free(need);
}

/* ---- VS013 http-no-redirect ---------------------------------------------- */

static void run_http_no_redirect(struct rule_ctx *ctx,
				 const struct rule_def *def)
{
	const struct model *m = ctx->m;
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++) {
		const struct model_load_balancer *lb = &m->lbs[i];
		if (!lb->internet_facing)
			continue;
		const struct model_listener *https = NULL;
		for (uint32_t k = 0; k < lb->n_listeners && !https; k++)
			if (lb->listeners[k].protocol == LBP_HTTPS)
				https = &lb->listeners[k];
		/* HTTP without any HTTPS listener is a plain-HTTP site by
		 * design: nothing to redirect to on this load balancer. */
		if (!https)
			continue;
		for (uint32_t k = 0; k < lb->n_listeners; k++) {
			const struct model_listener *l = &lb->listeners[k];
			if (l->protocol != LBP_HTTP)
				continue;
			const struct model_lb_action *a = &l->default_action;
			if (a->kind == LBA_REDIRECT &&
			    a->redirect_protocol == LBP_HTTPS)
				continue;
			char what[160];
			if (a->kind == LBA_FORWARD)
				snprintf(what, sizeof(what),
					 "forwards to '%s' over plain HTTP",
					 a->target_group < m->n[MK_TARGET_GROUP]
					     ? m->target_groups[a->target_group]
						   .obj.id
					     : "?");
			else if (a->kind == LBA_FIXED_RESPONSE)
				snprintf(what, sizeof(what),
					 "answers with a fixed %u response",
					 a->status_code);
			else
				snprintf(what, sizeof(what),
					 "redirects, but not to HTTPS");
			char key[32];
			snprintf(key, sizeof(key), "listener-%u", l->port);
			struct finding *f = finding_add(
			    ctx, def, def->severity, MK_LOAD_BALANCER, i, key,
			    "internet-facing load balancer '%s': HTTP "
			    "listener %u (line %u) %s instead of "
			    "redirecting to its HTTPS listener %u",
			    lb->obj.id, l->port, l->loc.line, what,
			    https->port);
			finding_at(f, l->loc);
			/* The fix in the words of the input's format. */
			if (!strcmp(m->format, "vpcsim"))
				finding_detail(f,
					       "fix: redirect: {port: %u, "
					       "protocol: HTTPS}",
					       https->port);
			else
				finding_detail(f,
					       "fix: a default action that "
					       "redirects to HTTPS, port %u",
					       https->port);
		}
	}
}

/* ---- match spaces: what a filter rule matches, as boxes ---------------- */

/*
 * A rule's traffic is a box: an interval of IPv4 addresses times an
 * interval of one protocol's "space".  The space is the port range for tcp
 * and udp, type * 256 + code for icmp (so "type 3, any code" is the
 * interval 768-1023), and the whole 0-65535 for protocols without ports
 * and for "all traffic".  Boxes of different protocols never meet, except
 * that "all traffic" (proto key -1) covers every protocol.
 */
struct box {
	uint32_t alo, ahi; /* addresses, inclusive */
	int proto;	   /* IP protocol number; -1 for all */
	uint16_t slo, shi; /* space, inclusive */
};

static int proto_key(const struct model_match *mt)
{
	switch (mt->proto) {
	case PROTO_ALL:
		return -1;
	case PROTO_TCP:
		return 6;
	case PROTO_UDP:
		return 17;
	case PROTO_ICMP:
		return 1;
	case PROTO_ICMPV6:
		return 58;
	case PROTO_OTHER:
		return mt->proto_number;
	}
	return -1;
}

static void match_space(const struct model_match *mt, uint16_t *lo,
			uint16_t *hi)
{
	*lo = 0;
	*hi = 65535;
	if (mt->proto == PROTO_TCP || mt->proto == PROTO_UDP) {
		*lo = mt->port_lo;
		*hi = mt->port_hi;
	} else if ((mt->proto == PROTO_ICMP || mt->proto == PROTO_ICMPV6) &&
		   mt->icmp_type >= 0) {
		/* Without a type the code is not read: AWS writes -1 for
		 * both, and "any type" takes every code. */
		*lo = (uint16_t)(mt->icmp_type * 256);
		*hi = (uint16_t)(mt->icmp_type * 256 + 255);
		if (mt->icmp_code >= 0)
			*lo = *hi =
			    (uint16_t)(mt->icmp_type * 256 + mt->icmp_code);
	}
}

static struct box make_box(struct cidr c, const struct model_match *mt)
{
	struct box b = {
	    .alo = c.addr, .ahi = cidr_last(c), .proto = proto_key(mt)};
	match_space(mt, &b.slo, &b.shi);
	return b;
}

/* Whether coverer v applies to target t's protocol. */
static bool proto_covers(int v, int t)
{
	return v == -1 || v == t;
}

static bool box_meets(const struct box *v, const struct box *t)
{
	return proto_covers(v->proto, t->proto) && v->alo <= t->ahi &&
	       t->alo <= v->ahi && v->slo <= t->shi && t->slo <= v->shi;
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/*
 * Whether the union of boxes v[0..n) covers box t exactly.  The address
 * axis is cut into the elementary intervals the boxes' ends make inside
 * t; in each, the spaces of the boxes that span it must cover t's space.
 * O(n^2 log n), for the few dozen rules a group or NACL holds.
 */
static bool boxes_cover(const struct box *t, const struct box *v, uint32_t n)
{
	uint64_t *cut = xmalloc((2 * (size_t)n + 2) * sizeof(*cut));
	uint32_t nc = 0;
	cut[nc++] = t->alo;
	cut[nc++] = (uint64_t)t->ahi + 1;
	for (uint32_t i = 0; i < n; i++) {
		if (!box_meets(&v[i], t))
			continue;
		if (v[i].alo > t->alo)
			cut[nc++] = v[i].alo;
		if (v[i].ahi < t->ahi)
			cut[nc++] = (uint64_t)v[i].ahi + 1;
	}
	qsort(cut, nc, sizeof(*cut), u64_cmp);
	bool covered = true;
	struct ports want = PORTS_INIT, got = PORTS_INIT, left = PORTS_INIT;
	ports_add(&want, t->slo, t->shi);
	for (uint32_t c = 0; c + 1 < nc && covered; c++) {
		if (cut[c] == cut[c + 1])
			continue;
		uint64_t lo = cut[c], hi = cut[c + 1] - 1;
		ports_clear(&got);
		for (uint32_t i = 0; i < n; i++)
			if (box_meets(&v[i], t) && v[i].alo <= lo &&
			    v[i].ahi >= hi)
				ports_add(&got, v[i].slo, v[i].shi);
		ports_diff(&left, &want, &got);
		covered = ports_empty(&left);
	}
	ports_free(&want);
	ports_free(&got);
	ports_free(&left);
	free(cut);
	return covered;
}

/* IPv6 rules are compared by containment only: a coverer counts when its
 * block holds the target's whole block.  Exact for one coverer and for
 * port unions over one block; a union of smaller blocks is not seen. */
static bool spaces_cover6(const struct box *t, const struct box *v,
			  const bool *applies, uint32_t n)
{
	struct ports want = PORTS_INIT, got = PORTS_INIT, left = PORTS_INIT;
	ports_add(&want, t->slo, t->shi);
	for (uint32_t i = 0; i < n; i++)
		if (applies[i] && proto_covers(v[i].proto, t->proto))
			ports_add(&got, v[i].slo, v[i].shi);
	ports_diff(&left, &want, &got);
	bool covered = ports_empty(&left);
	ports_free(&want);
	ports_free(&got);
	ports_free(&left);
	return covered;
}

/* "rule 100", "rules 100 and 110", "rules 100, 110 and 120". */
static void list_numbers(char *buf, size_t size, const uint32_t *nums,
			 uint32_t n, const char *what)
{
	size_t len =
	    (size_t)snprintf(buf, size, "%s%s", what, n == 1 ? "" : "s");
	for (uint32_t i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%u",
					i == 0	     ? " "
					: i + 1 == n ? " and "
						     : ", ",
					nums[i]);
}

/* ---- VS014 nacl-rule-shadowed -------------------------------------------- */

static void nacl_rule_desc(char *buf, size_t size,
			   const struct model_nacl_rule *r, bool outbound)
{
	char mt[64], c[CIDR6_STRLEN];
	model_match_format(mt, sizeof(mt), &r->match);
	if (r->ipv6)
		cidr6_format(c, r->cidr6);
	else
		cidr_format(c, r->cidr);
	snprintf(buf, size, "%s %s %s %s", r->allow ? "allow" : "deny", mt,
		 outbound ? "to" : "from", c);
}

/* The part of target t that box v matches (they meet). */
static struct box box_meet(const struct box *v, const struct box *t)
{
	struct box b = *t;
	b.alo = v->alo > t->alo ? v->alo : t->alo;
	b.ahi = v->ahi < t->ahi ? v->ahi : t->ahi;
	b.slo = v->slo > t->slo ? v->slo : t->slo;
	b.shi = v->shi < t->shi ? v->shi : t->shi;
	return b;
}

/*
 * One direction of a NACL.  Rule j is shadowed when the rules before it
 * (of its address family) together match all its traffic.  The rules
 * named in the finding are those that really decide part of it: a rule
 * whose share of j's traffic is itself all matched by rules before it
 * decides nothing and is left out, so that "the same way" and "the
 * opposite" are said of the rules that do decide.
 */
static void nacl_direction(struct rule_ctx *ctx, const struct rule_def *def,
			   uint32_t nacl, bool outbound)
{
	const struct model *m = ctx->m;
	const struct model_network_acl *a = &m->nacls[nacl];
	const struct model_nacl_rule *rules =
	    outbound ? a->outbound : a->inbound;
	uint32_t n = outbound ? a->n_outbound : a->n_inbound;
	if (n < 2)
		return;
	struct box *v = xcalloc(n, sizeof(*v));
	/* The IPv4 rules' boxes in order, and how many come before each
	 * rule: the rules before rule i are w[0..before[i]). */
	struct box *w = xcalloc(n, sizeof(*w));
	uint32_t *before = xcalloc(n, sizeof(*before));
	bool *applies = xcalloc(n, sizeof(*applies));
	uint32_t *nums = xcalloc(n, sizeof(*nums));
	uint32_t nw = 0;
	for (uint32_t i = 0; i < n; i++) {
		/* IPv6 rules keep their block in cidr6; the box's address
		 * interval is then unused and containment decides. */
		struct cidr c =
		    rules[i].ipv6 ? (struct cidr){0, 0} : rules[i].cidr;
		v[i] = make_box(c, &rules[i].match);
		before[i] = nw;
		if (!rules[i].ipv6)
			w[nw++] = v[i];
	}
	const char *dir = outbound ? "outbound" : "inbound";
	for (uint32_t j = 1; j < n; j++) {
		const struct model_nacl_rule *r = &rules[j];
		/* Only rules of its family match its traffic: an IPv6 rule
		 * by containment of blocks, an IPv4 one exactly. */
		for (uint32_t i = 0; i < j; i++)
			applies[i] =
			    r->ipv6
				? rules[i].ipv6 &&
				      cidr6_contains(rules[i].cidr6, r->cidr6)
				: !rules[i].ipv6;
		bool covered = r->ipv6 ? spaces_cover6(&v[j], v, applies, j)
				       : boxes_cover(&v[j], w, before[j]);
		if (!covered)
			continue;
		uint32_t nn = 0, same = 0;
		for (uint32_t i = 0; i < j; i++) {
			if (!applies[i])
				continue;
			struct box vi = v[i];
			if (r->ipv6) /* the blocks nest: compare spaces */
				vi.alo = v[j].alo, vi.ahi = v[j].ahi;
			if (!box_meets(&vi, &v[j]))
				continue;
			struct box part = box_meet(&vi, &v[j]);
			bool decides =
			    r->ipv6 ? !spaces_cover6(&part, v, applies, i)
				    : !boxes_cover(&part, w, before[i]);
			if (!decides)
				continue;
			nums[nn++] = rules[i].number;
			same += rules[i].allow == r->allow;
		}
		char desc[160], by[160], key[48];
		nacl_rule_desc(desc, sizeof(desc), r, outbound);
		list_numbers(by, sizeof(by), nums, nn, "rule");
		snprintf(key, sizeof(key), "%s-%u", dir, r->number);
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_NETWORK_ACL, nacl, key,
		    "network ACL '%s': %s rule %u (line %u: %s) never "
		    "decides anything: %s %s all its traffic first",
		    a->obj.id, dir, r->number, r->loc.line, desc, by,
		    nn == 1 ? "matches" : "together match");
		finding_at(f, r->loc);
		if (same == nn)
			finding_detail(f,
				       "%s the same way (%s): removing rule "
				       "%u changes nothing",
				       nn == 1 ? "it decides" : "they decide",
				       r->allow ? "allow" : "deny", r->number);
		else if (same == 0)
			finding_detail(f,
				       "%s the opposite (%s): rule %u's %s "
				       "never applies; if it should, give it a "
				       "lower number",
				       nn == 1 ? "it decides" : "they decide",
				       r->allow ? "deny" : "allow", r->number,
				       r->allow ? "allow" : "deny");
		else
			finding_detail(
			    f,
			    "they decide part of it one way and part "
			    "the other: rule %u's %s applies to none "
			    "of it",
			    r->number, r->allow ? "allow" : "deny");
	}
	free(nums);
	free(applies);
	free(before);
	free(w);
	free(v);
}

static void run_nacl_rule_shadowed(struct rule_ctx *ctx,
				   const struct rule_def *def)
{
	for (uint32_t i = 0; i < ctx->m->n[MK_NETWORK_ACL]; i++) {
		nacl_direction(ctx, def, i, false);
		nacl_direction(ctx, def, i, true);
	}
}

/* ---- VS015 sg-rule-never-matches ----------------------------------------- */

static void sg_rule_desc(char *buf, size_t size, const struct model *m,
			 const struct model_sg_rule *r, bool egress)
{
	char mt[64], peer[160];
	model_match_format(mt, sizeof(mt), &r->match);
	model_sg_peer_format(peer, sizeof(peer), m, r);
	snprintf(buf, size, "%s %s %s", mt, egress ? "to" : "from", peer);
}

/*
 * Whether a rule can match no packet at all; why receives the reason for
 * the message.  Group references are checked against attachment: a group
 * no resource carries has no address to match (*uncarried is then set, as
 * unknown values elsewhere could change that).
 */
static bool rule_impossible(const struct model *m,
			    const struct model_security_group *g,
			    const struct model_sg_rule *r, const bool *attached,
			    bool *uncarried, char *why, size_t size)
{
	*uncarried = false;
	const struct model_vpc *vpc =
	    g->vpc < m->n[MK_VPC] ? &m->vpcs[g->vpc] : NULL;
	bool v6_peer = r->peer_kind == PEER_CIDR6;
	bool v4_peer =
	    r->peer_kind == PEER_CIDR || r->peer_kind == PEER_PREFIX_LIST;
	if (r->match.proto == PROTO_ICMPV6 && v4_peer) {
		snprintf(why, size,
			 "ICMPv6 travels over IPv6 only, and the "
			 "peer is an IPv4 range");
		return true;
	}
	if (r->match.proto == PROTO_ICMP && v6_peer) {
		snprintf(why, size,
			 "ICMP (for IPv4) never comes from or goes "
			 "to an IPv6 range; ICMPv6 is protocol "
			 "icmpv6");
		return true;
	}
	if ((v6_peer || r->match.proto == PROTO_ICMPV6) && vpc &&
	    !vpc->n_cidrs6 && !vpc->ipv6_unknown && !vpc->obj.n_unknowns) {
		snprintf(why, size,
			 "VPC '%s' has no IPv6 block, so nothing in it sends "
			 "or receives IPv6",
			 vpc->obj.id);
		return true;
	}
	if (r->peer_kind == PEER_PREFIX_LIST) {
		const struct model_prefix_list *p = &m->prefix_lists[r->peer];
		if (!p->n_cidrs && !p->obj.n_unknowns) {
			snprintf(why, size, "prefix list '%s' holds no CIDR",
				 p->obj.id);
			return true;
		}
	}
	if (r->peer_kind == PEER_GROUP) {
		const struct model_security_group *p = &m->groups[r->peer];
		if (!attached[r->peer]) {
			*uncarried = true;
			snprintf(why, size,
				 "no resource carries group '%s', so it "
				 "matches no address",
				 p->obj.id);
			return true;
		}
		/* A reference works within a VPC and across a peering
		 * (§12); the loader lets other VPCs' groups through when a
		 * format allows it. */
		if (p->vpc != g->vpc && p->vpc < m->n[MK_VPC] &&
		    g->vpc < m->n[MK_VPC] && !vpcs_peered(m, p->vpc, g->vpc)) {
			snprintf(why, size,
				 "group '%s' is in VPC '%s', which is not "
				 "peered with VPC '%s'",
				 p->obj.id, m->vpcs[p->vpc].obj.id,
				 m->vpcs[g->vpc].obj.id);
			return true;
		}
	}
	return false;
}

/*
 * The IPv4 boxes a rule's peer stands for when it is compared with target
 * rule t: a CIDR is one box, a prefix list one per block, and a group
 * reference the blocks of the group's VPC, which hold every address a
 * member can have; as a coverer, a group reference counts only for a
 * target naming the same group, since its members need not fill those
 * blocks.  Returns the number of boxes written to out (at most cap).
 */
static uint32_t peer_boxes(const struct model *m, const struct model_sg_rule *r,
			   const struct model_sg_rule *t, struct box *out,
			   uint32_t cap)
{
	uint32_t n = 0;
	switch (r->peer_kind) {
	case PEER_CIDR:
		if (cap)
			out[n++] = make_box(r->cidr, &r->match);
		break;
	case PEER_PREFIX_LIST: {
		const struct model_prefix_list *p = &m->prefix_lists[r->peer];
		for (uint32_t i = 0; i < p->n_cidrs && n < cap; i++)
			out[n++] = make_box(p->cidrs[i], &r->match);
		break;
	}
	case PEER_GROUP: {
		if (t && (t->peer_kind != PEER_GROUP || t->peer != r->peer))
			break;
		const struct model_security_group *p = &m->groups[r->peer];
		if (p->vpc >= m->n[MK_VPC])
			break;
		const struct model_vpc *v = &m->vpcs[p->vpc];
		for (uint32_t i = 0; i < v->n_cidrs && n < cap; i++)
			if (v->cidrs[i].len <= 32) /* 33: invalid, reported */
				out[n++] = make_box(v->cidrs[i], &r->match);
		break;
	}
	case PEER_CIDR6:
		break;
	}
	return n;
}

/* How many boxes peer_boxes can write for rule r: the size to give it. */
static uint32_t peer_box_count(const struct model *m,
			       const struct model_sg_rule *r)
{
	if (r->peer_kind == PEER_PREFIX_LIST)
		return m->prefix_lists[r->peer].n_cidrs;
	if (r->peer_kind == PEER_GROUP)
		return m->groups[r->peer].vpc < m->n[MK_VPC]
			   ? m->vpcs[m->groups[r->peer].vpc].n_cidrs
			   : 0;
	return 1;
}

/* Whether rule t is allowed anyway by the rules of its direction that
 * are still in play (live), t excepted.  *by receives the rule numbers
 * that take some of its traffic (0 stands for AWS's default egress). */
static bool sg_rule_covered(const struct model *m,
			    const struct model_sg_rule *rules, uint32_t n,
			    uint32_t t, const bool *live, uint32_t *by,
			    uint32_t *n_by)
{
	const struct model_sg_rule *tr = &rules[t];
	*n_by = 0;
	if (tr->peer_kind == PEER_CIDR6) {
		struct box tb = make_box((struct cidr){0, 0}, &tr->match);
		struct box *v = xcalloc(n, sizeof(*v));
		bool *applies = xcalloc(n, sizeof(*applies));
		for (uint32_t i = 0; i < n; i++) {
			v[i] = make_box((struct cidr){0, 0}, &rules[i].match);
			applies[i] = i != t && live[i] &&
				     rules[i].peer_kind == PEER_CIDR6 &&
				     cidr6_contains(rules[i].cidr6, tr->cidr6);
		}
		bool ok = spaces_cover6(&tb, v, applies, n);
		for (uint32_t i = 0; ok && i < n; i++)
			if (applies[i] && proto_covers(v[i].proto, tb.proto) &&
			    v[i].slo <= tb.shi && tb.slo <= v[i].shi)
				by[(*n_by)++] =
				    rules[i].implicit ? 0 : rules[i].number;
		free(applies);
		free(v);
		return ok;
	}
	/* Targets: the boxes of t itself (as a target, a group reference
	 * stands for its VPC's blocks); every one must be covered. */
	uint32_t tcap = peer_box_count(m, tr);
	struct box *tb = xcalloc(tcap + 1, sizeof(*tb));
	uint32_t nt = peer_boxes(m, tr, NULL, tb, tcap);
	if (!nt) {
		free(tb);
		return false;
	}
	uint32_t cap = 0;
	for (uint32_t i = 0; i < n; i++)
		cap += peer_box_count(m, &rules[i]);
	struct box *v = xcalloc(cap + 1, sizeof(*v));
	uint32_t *owner = xcalloc(cap + 1, sizeof(*owner));
	/* A group reference also matches the members' IPv6 addresses: in a
	 * VPC with IPv6, IPv4 ranges cannot stand in for it. */
	bool v6_members = tr->peer_kind == PEER_GROUP &&
			  m->groups[tr->peer].vpc < m->n[MK_VPC] &&
			  m->vpcs[m->groups[tr->peer].vpc].n_cidrs6;
	uint32_t nv = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (i == t || !live[i] ||
		    (v6_members && rules[i].peer_kind != PEER_GROUP))
			continue;
		uint32_t k = peer_boxes(m, &rules[i], tr, v + nv, cap - nv);
		for (uint32_t x = 0; x < k; x++)
			owner[nv + x] = i;
		nv += k;
	}
	bool ok = true;
	for (uint32_t x = 0; x < nt && ok; x++)
		ok = boxes_cover(&tb[x], v, nv);
	if (ok) {
		for (uint32_t i = 0; i < n; i++) {
			bool meets = false;
			for (uint32_t b = 0; b < nv && !meets; b++)
				for (uint32_t x = 0; x < nt && !meets; x++)
					meets = owner[b] == i &&
						box_meets(&v[b], &tb[x]);
			if (meets)
				by[(*n_by)++] =
				    rules[i].implicit ? 0 : rules[i].number;
		}
	}
	free(owner);
	free(v);
	free(tb);
	return ok;
}

static void sg_direction(struct rule_ctx *ctx, const struct rule_def *def,
			 uint32_t gi, bool egress, const bool *attached)
{
	const struct model *m = ctx->m;
	const struct model_security_group *g = &m->groups[gi];
	const struct model_sg_rule *rules = egress ? g->egress : g->ingress;
	uint32_t n = egress ? g->n_egress : g->n_ingress;
	if (!n)
		return;
	const char *dir = egress ? "egress" : "ingress";
	bool *live = xcalloc(n, sizeof(*live));
	uint32_t *by = xcalloc(n, sizeof(*by));
	char why[256], desc[256], key[256];
	/* Rules that can match nothing first: they cover nothing either. */
	for (uint32_t i = 0; i < n; i++) {
		const struct model_sg_rule *r = &rules[i];
		live[i] = true;
		bool uncarried;
		if (!rule_impossible(m, g, r, attached, &uncarried, why,
				     sizeof(why)))
			continue;
		live[i] = false;
		if (r->implicit)
			continue;
		sg_rule_desc(desc, sizeof(desc), m, r, egress);
		finding_sg_rule_key(key, sizeof(key), m, r, egress);
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_SECURITY_GROUP, gi, key,
		    "security group '%s': %s rule %u (line %u: %s) never "
		    "matches: %s",
		    g->obj.id, dir, r->number, r->loc.line, desc, why);
		finding_at(f, r->loc);
		if (uncarried)
			detail_user_unknowns(f, ctx, group_users,
					     ARRAY_LEN(group_users) - 1, NULL);
	}
	/* Redundant rules, last first: a rule is reported when the rules
	 * still in play allow all it allows, and then leaves play, so that
	 * every reported rule can be removed together without changing what
	 * the group allows (of two equal rules, the later is reported). */
	for (uint32_t i = n; i-- > 0;) {
		const struct model_sg_rule *r = &rules[i];
		if (!live[i] || r->implicit)
			continue;
		uint32_t nb;
		if (!sg_rule_covered(m, rules, n, i, live, by, &nb))
			continue;
		live[i] = false;
		sg_rule_desc(desc, sizeof(desc), m, r, egress);
		finding_sg_rule_key(key, sizeof(key), m, r, egress);
		/* by holds 0 for AWS's default egress rule, which has no
		 * number the reader could look up: it is named instead. */
		uint32_t k = 0;
		for (uint32_t x = 0; x < nb; x++)
			if (by[x])
				by[k++] = by[x];
		char list[192] = "";
		if (k)
			list_numbers(list, sizeof(list), by, k, "rule");
		size_t len = strlen(list);
		if (k < nb)
			snprintf(list + len, sizeof(list) - len, "%s",
				 k ? " and AWS's default allow-all egress rule"
				   : "AWS's default allow-all egress rule");
		finding_at(
		    finding_add(ctx, def, def->severity, MK_SECURITY_GROUP, gi,
				key,
				"security group '%s': %s rule %u (line %u: "
				"%s) is redundant: %s already %s all it "
				"allows",
				g->obj.id, dir, r->number, r->loc.line, desc,
				list, nb == 1 ? "allows" : "allow"),
		    r->loc);
	}
	free(by);
	free(live);
}

static void run_sg_rule_never_matches(struct rule_ctx *ctx,
				      const struct rule_def *def)
{
	const struct model *m = ctx->m;
	bool *attached = attached_groups(m);
	for (uint32_t i = 0; i < m->n[MK_SECURITY_GROUP]; i++) {
		/* The rules of a group nothing carries filter nothing; the
		 * group itself is the finding (VS016, or this rule on the
		 * references to it). */
		if (!attached[i])
			continue;
		sg_direction(ctx, def, i, false, attached);
		sg_direction(ctx, def, i, true, attached);
	}
	free(attached);
}

/* ---- VS016 unused-resource ----------------------------------------------- */

/* Marks the groups that some rule of another group names. */
static void mark_referenced(const struct model *m, bool *referenced)
{
	for (uint32_t o = 0; o < m->n[MK_SECURITY_GROUP]; o++) {
		const struct model_security_group *h = &m->groups[o];
		for (int dir = 0; dir < 2; dir++) {
			const struct model_sg_rule *r =
			    dir ? h->egress : h->ingress;
			uint32_t n = dir ? h->n_egress : h->n_ingress;
			for (uint32_t k = 0; k < n; k++)
				if (r[k].peer_kind == PEER_GROUP &&
				    r[k].peer != o &&
				    r[k].peer < m->n[MK_SECURITY_GROUP])
					referenced[r[k].peer] = true;
		}
	}
}

/* The target groups some listener action forwards to, walked as the
 * engine walks them (sim_listener_action). */
static void mark_forwarded(const struct model *m, bool *forwarded)
{
	uint32_t ntg = m->n[MK_TARGET_GROUP];
	const struct model_listener_rule *rule;
	for (uint32_t l = 0; l < m->n[MK_LOAD_BALANCER]; l++) {
		const struct model_load_balancer *lb = &m->lbs[l];
		for (uint32_t k = 0; k < lb->n_listeners; k++) {
			const struct model_listener *li = &lb->listeners[k];
			for (uint32_t r = 0; r <= li->n_rules; r++) {
				const struct model_lb_action *a =
				    sim_listener_action(li, r, &rule);
				if (a->kind == LBA_FORWARD &&
				    a->target_group < ntg)
					forwarded[a->target_group] = true;
			}
		}
	}
}

/*
 * The unused_* steps report the objects of one kind that nothing uses.
 * Usage is computed once per kind from the side that uses (subnets,
 * listeners, routes, rules), so the rule stays linear in the size of the
 * model however many objects it holds.  An object that something outside
 * the model uses (model.h struct model_use) is in use.
 */

static void unused_groups(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	bool *attached = attached_groups(m);
	bool *referenced = xcalloc(m->n[MK_SECURITY_GROUP] + 1, sizeof(bool));
	mark_referenced(m, referenced);
	for (uint32_t i = 0; i < m->n[MK_SECURITY_GROUP]; i++) {
		const struct model_security_group *g = &m->groups[i];
		/* A VPC's default group (§4: Terraform's
		 * aws_default_security_group, the native
		 * default_security_group) is not one AWS lets anyone
		 * delete.  A group whose VPC is outside the input may be
		 * used by what is there: nothing says it is unused. */
		if (attached[i] || referenced[i] || g->obj.implicit ||
		    g->vpc_default || g->vpc == MODEL_NONE ||
		    m->vpcs[g->vpc].external)
			continue;
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_SECURITY_GROUP, i, NULL,
		    "security group '%s' is attached to nothing and no "
		    "other group refers to it",
		    g->obj.id);
		detail_user_unknowns(f, ctx, group_users,
				     ARRAY_LEN(group_users), &g->obj);
	}
	free(referenced);
	free(attached);
}

/* Network ACLs and route tables: used when a subnet is associated. */
static void unused_associations(struct rule_ctx *ctx,
				const struct rule_def *def)
{
	const struct model *m = ctx->m;
	bool *nacl_used = outside_used(m, MK_NETWORK_ACL);
	bool *rt_used = outside_used(m, MK_ROUTE_TABLE);
	for (uint32_t s = 0; s < m->n[MK_SUBNET]; s++) {
		if (m->subnets[s].nacl < m->n[MK_NETWORK_ACL])
			nacl_used[m->subnets[s].nacl] = true;
		if (m->subnets[s].route_table < m->n[MK_ROUTE_TABLE])
			rt_used[m->subnets[s].route_table] = true;
	}
	for (uint32_t i = 0; i < m->n[MK_NETWORK_ACL]; i++) {
		const struct model_network_acl *a = &m->nacls[i];
		if (nacl_used[i] || a->is_default || a->obj.implicit)
			continue;
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_NETWORK_ACL, i, NULL,
		    "network ACL '%s' is associated with no subnet: its "
		    "rules filter nothing",
		    a->obj.id);
		detail_user_unknowns(f, ctx, nacl_users, ARRAY_LEN(nacl_users),
				     &a->obj);
	}
	for (uint32_t i = 0; i < m->n[MK_ROUTE_TABLE]; i++) {
		const struct model_route_table *rt = &m->route_tables[i];
		if (rt_used[i] || rt->is_main || rt->obj.implicit)
			continue;
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_ROUTE_TABLE, i, NULL,
		    "route table '%s' is associated with no subnet and is "
		    "not the main table: its routes take no traffic",
		    rt->obj.id);
		detail_user_unknowns(f, ctx, rt_users, ARRAY_LEN(rt_users),
				     &rt->obj);
	}
	free(rt_used);
	free(nacl_used);
}

static void unused_target_groups(struct rule_ctx *ctx,
				 const struct rule_def *def)
{
	const struct model *m = ctx->m;
	bool *forwarded = outside_used(m, MK_TARGET_GROUP);
	mark_forwarded(m, forwarded);
	for (uint32_t i = 0; i < m->n[MK_TARGET_GROUP]; i++) {
		const struct model_target_group *tg = &m->target_groups[i];
		if (forwarded[i] || tg->obj.implicit)
			continue;
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_TARGET_GROUP, i, NULL,
		    "target group '%s' receives no traffic: no listener or "
		    "listener rule forwards to it",
		    tg->obj.id);
		detail_user_unknowns(f, ctx, tg_users, ARRAY_LEN(tg_users),
				     NULL);
		/* Who still registers in it: what the reader may have meant
		 * to put behind a listener. */
		for (uint32_t s = 0; s < m->n[MK_SERVICE]; s++)
			for (uint32_t b = 0; b < m->services[s].n_bindings; b++)
				if (m->services[s].bindings[b].target_group ==
				    i)
					finding_detail(
					    f,
					    "ECS service '%s' registers "
					    "its tasks in it",
					    m->services[s].obj.id);
		for (uint32_t k = 0; k < m->n[MK_FLEET]; k++)
			for (uint32_t t = 0; t < m->fleets[k].n_target_groups;
			     t++)
				if (m->fleets[k].target_groups[t] == i)
					finding_detail(
					    f,
					    "Auto Scaling group '%s' "
					    "registers its instances "
					    "in it",
					    m->fleets[k].obj.id);
	}
	free(forwarded);
}

/* A NAT gateway bills by the hour whether or not anything uses it. */
static void unused_nat_gateways(struct rule_ctx *ctx,
				const struct rule_def *def)
{
	const struct model *m = ctx->m;
	bool *nat_used = outside_used(m, MK_NAT_GATEWAY);
	for (uint32_t t = 0; t < m->n[MK_ROUTE_TABLE]; t++)
		for (uint32_t k = 0; k < m->route_tables[t].n_routes; k++) {
			const struct model_route *r =
			    &m->route_tables[t].routes[k];
			if (r->target == RT_NAT &&
			    r->target_index < m->n[MK_NAT_GATEWAY])
				nat_used[r->target_index] = true;
		}
	for (uint32_t i = 0; i < m->n[MK_NAT_GATEWAY]; i++) {
		const struct model_nat_gateway *g = &m->nat_gateways[i];
		if (nat_used[i] || g->obj.implicit)
			continue;
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_NAT_GATEWAY, i, NULL,
		    "NAT gateway '%s' is the target of no route: no traffic "
		    "goes through it",
		    g->obj.id);
		detail_user_unknowns(f, ctx, nat_users, ARRAY_LEN(nat_users),
				     NULL);
	}
	free(nat_used);
}

static void run_unused_resource(struct rule_ctx *ctx,
				const struct rule_def *def)
{
	unused_groups(ctx, def);
	unused_associations(ctx, def);
	unused_target_groups(ctx, def);
	unused_nat_gateways(ctx, def);
}

/* ---- VS024 db-default-vpc ----------------------------------------------- */

/* A database without a DB subnet group is in the region's default VPC
 * (model.h default_vpc): nothing in the input says what reaches it, and
 * RDS makes it publicly accessible unless told otherwise, so it is
 * reported, never dropped.  A warning when publicly accessible (a
 * latent exposure: the default VPC's subnets are public and its default
 * group admits whatever its rules say), info when not. */
static void run_db_default_vpc(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	for (uint32_t i = 0; i < m->n[MK_DATABASE]; i++) {
		const struct model_database *d = &m->databases[i];
		if (!d->default_vpc)
			continue;
		/* Why it is (not) public, in the input's words: RDS makes
		 * it public by default, the Terraform provider private. */
		bool tf = m->format && !strcmp(m->format, "terraform-plan");
		const char *why =
		    d->publicly_accessible
			? (tf ? "publicly accessible (publicly_accessible is "
				"true; the provider's default is false)"
			      : "publicly accessible (RDS's default without a "
				"subnet group; set PubliclyAccessible false to "
				"change it)")
		    : d->family == DBF_CACHE || d->family == DBF_FILE_SYSTEM
			? "not publicly accessible (it has private addresses "
			  "only)"
			: (tf ? "not publicly accessible (publicly_accessible "
				"false)"
			      : "not publicly accessible (PubliclyAccessible "
				"false)");
		struct finding *f = finding_add(
		    ctx, def, d->publicly_accessible ? def->severity : SEV_INFO,
		    MK_DATABASE, i, NULL,
		    "%s '%s' has no DB subnet group: it is in the region's "
		    "default VPC, not in this input, and %s",
		    model_noun(m, MK_DATABASE, i), d->obj.id, why);
		finding_detail(f,
			       "vpcsim does not analyse the default VPC: "
			       "what reaches port %u there is not checked",
			       d->port);
	}
}

/* ---- VS018 unknown-value ------------------------------------------------- */

static void run_unknown_value(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	/* By kind and index, so findings come out in a stable order. */
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++) {
			const struct model_obj *o =
			    model_object(m, (enum model_kind)k, i);
			if (!o->n_unknowns)
				continue;
			struct finding *f = finding_add(
			    ctx, def, def->severity, (enum model_kind)k, i,
			    NULL,
			    "%s '%s' has %u value%s the input does not "
			    "determine: verdicts that read %s may be wrong",
			    noun(o->kind), o->id, o->n_unknowns,
			    o->n_unknowns == 1 ? "" : "s",
			    o->n_unknowns == 1 ? "it" : "them");
			for (uint32_t u = 0; u < o->n_unknowns; u++)
				finding_detail(f, "%s", o->unknowns[u]);
		}
}

/* ---- VS020 not-analysed -------------------------------------------------- */

/* What the loader read but could not analyse (model.h struct model_gap):
 * a finding each, at the resource's line, so no gate passes on it. */
static void run_not_analysed(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	for (uint32_t i = 0; i < m->n_gaps; i++) {
		const struct model_gap *g = &m->gaps[i];
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_KIND_COUNT, 0, g->id,
		    "'%s' is not analysed: %s", g->id, g->why);
		f->resource = g->id;
		f->loc = g->loc;
	}
}

/* ---- the table ----------------------------------------------------------- */

static const struct rule_def defs[] = {
    {"VS008", "public-lb-private-subnet",
     "Internet-facing load balancer with a node in a subnet without an "
     "internet route",
     SEV_ERROR,
     "An internet-facing load balancer gets a public address for its node "
     "in every subnet it names, and DNS hands those addresses to clients. "
     "A node in a private subnet (one whose route for 0.0.0.0/0 does not "
     "go to an internet gateway, semantics §6.3) never gets the client's "
     "packets back out: every client that DNS sends to it fails, so part "
     "of the traffic fails with no error on the load balancer's side. "
     "When the subnet's routes depend on a value the input leaves "
     "unknown, the finding is a warning that names that value.",
     "Name the public subnets (those whose route table sends 0.0.0.0/0 to "
     "the internet gateway) in the load balancer's subnets, one per "
     "availability zone, or give the subnet such a route. If the load "
     "balancer should serve only the VPC, make it internal.",
     run_public_lb_private_subnet},
    {"VS009", "nat-in-private-subnet",
     "NAT gateway that cannot reach the internet", SEV_ERROR,
     "A public NAT gateway sends what it translates out through its own "
     "subnet's route table, from its Elastic IP (semantics §7). In a "
     "private subnet that route does not lead to the internet gateway, "
     "and without an Elastic IP it has no public address to send from: "
     "either way every subnet that routes to it loses its internet "
     "access, so tasks cannot pull images or ship logs. Private NAT "
     "gateways are meant for private subnets and are not reported.",
     "Put the NAT gateway in a public subnet of the same availability "
     "zone as the subnets it serves, and give it an Elastic IP "
     "(elastic_ip in the model, AllocationId in CloudFormation, "
     "allocation_id in Terraform).",
     run_nat_in_private_subnet},
    {"VS010", "single-az",
     "Load balancer, ECS service or database in one availability zone",
     SEV_WARNING,
     "An availability zone can fail as a whole. A load balancer whose "
     "nodes, or an ECS service whose subnets, are all in one zone stops "
     "with it. A database without a Multi-AZ standby runs in one zone at "
     "a time whatever its subnet group spans, and RDS does not move it "
     "when that zone fails; with a standby, the subnet group needs a "
     "second zone for the standby to run in. Read replicas are not "
     "reported: they are extra copies, and the question is whether the "
     "primary survives. A service scaled to zero runs nowhere and is not "
     "reported either.",
     "Give the load balancer and the service subnets in at least two "
     "zones, and make the database Multi-AZ (multi_az: true) with a "
     "subnet group that spans two zones.",
     run_single_az},
    {"VS011", "nat-cross-az",
     "Private subnet whose internet route goes to a NAT gateway in "
     "another availability zone",
     SEV_WARNING,
     "A NAT gateway lives in one availability zone. A subnet of another "
     "zone that sends its internet traffic through it loses its egress "
     "when the NAT gateway's zone fails, even though its own zone is "
     "fine, and AWS charges for the traffic that crosses zones. The "
     "usual cause is one private route table shared by the subnets of "
     "all zones.",
     "Create one NAT gateway per availability zone, in a public subnet of "
     "that zone, and give the private subnets of each zone a route table "
     "whose 0.0.0.0/0 route goes to the NAT gateway of their own zone.",
     run_nat_cross_az},
    {"VS012", "subnet-too-small", "Subnet too small for what is placed in it",
     SEV_ERROR,
     "AWS keeps five addresses of every subnet (the first four and the "
     "last), so a subnet holds 2^(32-length) - 5 interfaces (semantics "
     "§2): 11 for a /28. Each ECS task, load-balancer node, NAT gateway, "
     "instance, database and endpoint interface takes one. When the "
     "subnet is full, tasks fail to start and load balancers cannot "
     "scale, usually under load, when it hurts most. The count is a "
     "minimum: rolling deployments start new tasks before they stop old "
     "ones, and AWS asks for 8 free addresses in each subnet of an "
     "application load balancer so that it can scale.",
     "Use a larger subnet (a /24 holds 251), spread the resources over "
     "more subnets, or lower the service's desired count.",
     run_subnet_too_small},
    {"VS013", "http-no-redirect",
     "Internet-facing HTTP listener that does not redirect to HTTPS",
     SEV_WARNING,
     "Plain HTTP can be read and changed by anyone on the way: requests, "
     "cookies, tokens. An internet-facing HTTP listener should therefore "
     "either redirect to HTTPS or be plain HTTP by design. vpcsim reads "
     "\"by design\" from the load balancer itself: with no HTTPS listener "
     "at all, it serves HTTP on purpose (behind a CDN that terminates "
     "TLS, say) and is not reported; with an HTTPS listener, the site is "
     "meant to be served over TLS, and an HTTP listener whose default "
     "action forwards, answers with a fixed response or redirects "
     "elsewhere than HTTPS serves the same clients in clear text. Only "
     "the default action is read: listener rules that forward some "
     "paths over HTTP (an ACME challenge, say) are not reported.",
     "Make the HTTP listener's default action a redirect to the HTTPS "
     "listener (in the model: redirect: {port: 443, protocol: HTTPS}; "
     "status 301).",
     run_http_no_redirect},
    {"VS014", "nacl-rule-shadowed",
     "Network ACL rule shadowed by earlier rules", SEV_INFO,
     "A network ACL applies the first rule, by number, that matches a "
     "packet (semantics §5). A rule whose whole traffic (protocol, "
     "ports or ICMP type and code, and address range) is already matched "
     "by lower-numbered rules of the same direction never decides "
     "anything. When the earlier rules decide the same way it is dead "
     "weight; when they decide the opposite way, the rule says one thing "
     "and the network does another, usually a mistake in numbering. "
     "IPv4 rules are compared exactly, unions of earlier rules included; "
     "an IPv6 rule is compared with the earlier rules whose block holds "
     "its whole block.",
     "Remove the rule, or, if it should win, give it a number lower than "
     "the rules that shadow it.",
     run_nacl_rule_shadowed},
    {"VS015", "sg-rule-never-matches",
     "Security-group rule that can never match or changes nothing", SEV_INFO,
     "A security-group rule that can match no packet gives a false sense "
     "of what is allowed, and one that only repeats what other rules of "
     "its group allow makes the group harder to review: when the broader "
     "rule is removed, the narrower one silently keeps part of the "
     "access. Reported: a reference to a group that no resource carries "
     "(or one in a VPC that is neither this one nor peered with it), a "
     "prefix list without blocks, ICMPv6 to an IPv4 range or ICMP to an "
     "IPv6 range, IPv6 rules in a VPC without IPv6, and rules that other "
     "rules of the same group and direction together already allow (of "
     "two equal rules, the later). Groups that no resource carries are "
     "left to unused-resource.",
     "Remove the rule, or fix what it names (the group, the prefix list, "
     "the protocol).",
     run_sg_rule_never_matches},
    {"VS016", "unused-resource",
     "Security group, network ACL, route table, target group or NAT "
     "gateway that nothing uses",
     SEV_INFO,
     "Unused objects make a network harder to read and review, and a "
     "later change can attach them without anyone checking what they "
     "allow. Reported: security groups attached to no resource and named "
     "by no other group; network ACLs associated with no subnet (the "
     "VPC's default NACL is not reported); route tables associated with "
     "no subnet that are not the main table; target groups that no "
     "listener or listener rule forwards to; NAT gateways that no route "
     "sends traffic to, which still cost their hourly charge. Objects "
     "AWS creates by itself (the default NACL, the main route table, the "
     "default security group) are never reported, nor objects that a "
     "resource vpcsim does not model names (an Auto Scaling group's "
     "launch configuration naming a group) or that a template output "
     "exports, nor security groups whose VPC is not in the input (a "
     "Terraform data source's, a CloudFormation VpcId without a value): "
     "something no rule sees may use them.",
     "Delete the object, or attach it where it was meant to be used.",
     run_unused_resource},
    {"VS018", "unknown-value", "Value the input does not determine",
     SEV_WARNING,
     "Some values are not in the input: a CloudFormation Fn::ImportValue "
     "without an exporter, a Terraform value known only after apply. "
     "vpcsim leaves such a value out (no rule, no route) rather than "
     "guess, so every verdict that reads the object may be wrong in "
     "either direction: an exposure may be missed, or a path reported "
     "blocked that will work. One finding per object lists the values.",
     "Give the value in the input: load the template that exports it "
     "together with this one, pass the parameter, or set the attribute "
     "in the Terraform configuration so the plan knows it. If it cannot "
     "be known before apply, suppress the finding with the reason.",
     run_unknown_value},
    {"VS020", "not-analysed", "Part of the input vpcsim did not analyse",
     SEV_WARNING,
     "Some resources are read but not analysed: a nested stack whose "
     "template was not given, a resource that exists only if a condition "
     "the input leaves unknown holds, one whose VPC or address block the "
     "input does not determine or that lives in the region's default VPC, "
     "and resources of types vpcsim does not model that can change "
     "verdicts (transit gateways, VPN gateways, network firewalls, "
     "...). Whatever such a resource opens or closes is missing "
     "from every verdict, and a check that reports nothing about it is no "
     "evidence that it is safe. One finding per resource says what is "
     "missing; what the resource names still counts as used.",
     "Give vpcsim what it needs: the nested stack's template on the "
     "command line or in a --templates directory, the parameter with "
     "--param, the template that defines the VPC. If the resource cannot "
     "be analysed, review it by hand and suppress the finding (baseline) "
     "with the reason.",
     run_not_analysed},
    {"VS024", "db-default-vpc", "Database in the default VPC", SEV_WARNING,
     "An RDS DB instance created without a DB subnet group goes to the "
     "region's default VPC, whose subnets are public, and RDS makes it "
     "publicly accessible unless PubliclyAccessible says false. The "
     "default VPC is not in the input, so no verdict covers what "
     "reaches the database there: it is a latent exposure, reported "
     "rather than dropped. A warning when the database is publicly "
     "accessible, info when not.",
     "Give the database a DB subnet group of private subnets in a VPC "
     "of the input (DBSubnetGroupName), or at least set "
     "PubliclyAccessible to false.",
     run_db_default_vpc},
};

const struct rule_def *rules_config_defs(uint32_t *n)
{
	*n = ARRAY_LEN(defs);
	return defs;
}
