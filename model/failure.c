/*
 * Failures applied to a loaded model, for `vpcsim sim` (what if).
 *
 * A failure edits the model in place, the way AWS would behave after it:
 * placements of the failed zone or resource disappear (the placement
 * array is rebuilt and the per-owner ranges recomputed, so every index
 * stays valid), routes to a NAT gateway or an appliance (an instance or
 * interface, §3) that is gone become blackholes (its traffic is dropped,
 * as AWS marks such a route), a Multi-AZ database whose primary's zone
 * fails moves to its standby in another zone, and removed routes or
 * security-group rules simply go.  The engine built afterwards sees only
 * the surviving estate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "model/model.h"
#include "model/model_impl.h"

static bool same_az(const struct model *m, uint32_t subnet, const char *az)
{
	return m->subnets[subnet].az && !strcmp(m->subnets[subnet].az, az);
}

/* Drops placements for which gone[i]; recomputes owner ranges. */
static void drop_placements(struct model *m, const bool *gone)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < m->n_placements_total; i++)
		if (!gone[i])
			m->placements[k++] = m->placements[i];
	m->n_placements_total = k;
	for (int kind = 0; kind < MK_KIND_COUNT; kind++)
		for (uint32_t i = 0; i < m->n[kind]; i++) {
			m->first_placement[kind][i] = 0;
			m->n_placements[kind][i] = 0;
		}
	for (uint32_t i = k; i-- > 0;) {
		const struct model_placement *p = &m->placements[i];
		m->first_placement[p->kind][p->index] = i;
		m->n_placements[p->kind][p->index]++;
	}
}

/*
 * Routes to targets that no longer exist drop their traffic: the NAT
 * gateways marked in nat and the hosts (instances, interfaces, appliances)
 * marked in host, in one pass over the routes, however many failed.
 */
static void blackhole_targets(struct model *m, const bool *nat,
			      const bool *host)
{
	for (uint32_t t = 0; t < m->n[MK_ROUTE_TABLE]; t++) {
		struct model_route_table *rt = &m->route_tables[t];
		for (uint32_t r = 0; r < rt->n_routes; r++) {
			struct model_route *x = &rt->routes[r];
			uint32_t i = x->target_index;
			const char *what, *id;
			if (x->target == RT_NAT && i < m->n[MK_NAT_GATEWAY] &&
			    nat[i]) {
				what = "NAT gateway";
				id = m->nat_gateways[i].obj.id;
			} else if (x->target == RT_INSTANCE &&
				   i < m->n[MK_INSTANCE] && host[i]) {
				what = m->instances[i].is_interface
					   ? "network interface"
					   : "instance";
				id = m->instances[i].obj.id;
			} else {
				continue;
			}
			x->target = RT_BLACKHOLE;
			x->target_id = arena_printf(
			    &m->arena, "blackhole (%s %s failed)", what, id);
		}
	}
}

/* Marks for blackhole_targets, none set (the caller frees both). */
static void target_marks(const struct model *m, bool **nat, bool **host)
{
	*nat = xcalloc(m->n[MK_NAT_GATEWAY] + 1, sizeof(bool));
	*host = xcalloc(m->n[MK_INSTANCE] + 1, sizeof(bool));
}

/* A gateway endpoint that is gone takes its routes with it. */
static void drop_endpoint_routes(struct model *m, uint32_t ep)
{
	for (uint32_t t = 0; t < m->n[MK_ROUTE_TABLE]; t++) {
		struct model_route_table *rt = &m->route_tables[t];
		uint32_t k = 0;
		for (uint32_t r = 0; r < rt->n_routes; r++)
			if (rt->routes[r].via_endpoint != ep)
				rt->routes[k++] = rt->routes[r];
		rt->n_routes = k;
	}
}

/* A Multi-AZ primary in the failed zone comes back in a subnet of its
 * group in another zone (the standby's), with a fresh address there from
 * the load-time allocator: the first host address no placement holds,
 * never the last.  A full subnet leaves it without one (addr_exhausted),
 * as model_finish does. */
static void failover(struct model *m, struct model_placement *p, const char *az)
{
	const struct model_database *d = &m->databases[p->index];
	for (uint32_t s = 0; s < d->n_subnets; s++) {
		uint32_t sn = d->subnets[s];
		if (same_az(m, sn, az) || !m->subnets[sn].az)
			continue;
		p->subnet = sn;
		p->addr = 0; /* its old address is not one of sn's */
		p->addr = model_next_addr(m, sn);
		p->addr_explicit = false;
		p->addr_exhausted = !p->addr;
		m->subnets[sn].n_allocated += p->addr != 0;
		return;
	}
}

static int fail_az(struct model *m, const char *az, const char *spec,
		   struct diag_list *diags)
{
	bool known = false;
	for (uint32_t s = 0; s < m->n[MK_SUBNET]; s++)
		known |= same_az(m, s, az);
	if (!known) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0,
			 "--fail %s: no subnet of the model is in zone %s",
			 spec, az);
		return -1;
	}
	bool *gone = xcalloc(m->n_placements_total, sizeof(bool));
	bool *nat, *host;
	target_marks(m, &nat, &host);
	for (uint32_t i = 0; i < m->n_placements_total; i++) {
		struct model_placement *p = &m->placements[i];
		if (!same_az(m, p->subnet, az))
			continue;
		if (p->kind == MK_DATABASE && m->databases[p->index].multi_az) {
			uint32_t before = p->subnet;
			failover(m, p, az);
			if (p->subnet != before)
				continue;
		}
		gone[i] = true;
		if (p->kind == MK_NAT_GATEWAY)
			nat[p->index] = true;
		if (p->kind == MK_INSTANCE)
			host[p->index] = true;
	}
	blackhole_targets(m, nat, host);
	drop_placements(m, gone);
	free(gone);
	free(nat);
	free(host);
	return 0;
}

static int fail_resource(struct model *m, struct model_obj *o,
			 struct diag_list *diags, const char *spec)
{
	bool *nat, *host;
	switch (o->kind) {
	case MK_NAT_GATEWAY:
	case MK_INSTANCE:
		target_marks(m, &nat, &host);
		(o->kind == MK_NAT_GATEWAY ? nat : host)[o->index] = true;
		blackhole_targets(m, nat, host);
		free(nat);
		free(host);
		break;
	case MK_VPC_ENDPOINT:
		drop_endpoint_routes(m, o->index);
		break;
	case MK_LOAD_BALANCER:
	case MK_SERVICE:
	case MK_DATABASE:
	case MK_FLEET:
		break;
	default:
		diag_add(diags, DIAG_ERROR, NULL, 0, 0,
			 "--fail %s: '%s' is a %s; vpcsim fails zones, NAT "
			 "gateways, endpoints, instances, load balancers, "
			 "services, databases and fleets",
			 spec, o->id, model_kind_name(o->kind));
		return -1;
	}
	bool *gone = xcalloc(m->n_placements_total, sizeof(bool));
	for (uint32_t i = 0; i < m->n_placements_total; i++)
		gone[i] = m->placements[i].kind == o->kind &&
			  m->placements[i].index == o->index;
	drop_placements(m, gone);
	free(gone);
	return 0;
}

static int fail_route(struct model *m, const char *table, const char *cidr,
		      const char *spec, struct diag_list *diags)
{
	struct model_obj *o = model_find(m, table);
	struct cidr c;
	if (!o || o->kind != MK_ROUTE_TABLE) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0,
			 "--fail %s: '%s' is not a route table", spec, table);
		return -1;
	}
	if (cidr_parse(&c, cidr) != 0) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0,
			 "--fail %s: '%s' is not a CIDR", spec, cidr);
		return -1;
	}
	struct model_route_table *rt = &m->route_tables[o->index];
	uint32_t k = 0;
	bool found = false;
	for (uint32_t r = 0; r < rt->n_routes; r++) {
		const struct model_route *x = &rt->routes[r];
		bool hit = !x->ipv6 && x->dst.addr == c.addr &&
			   x->dst.len == c.len && x->target != RT_LOCAL;
		found |= hit;
		if (!hit)
			rt->routes[k++] = *x;
	}
	rt->n_routes = k;
	if (!found) {
		diag_add(
		    diags, DIAG_ERROR, NULL, 0, 0,
		    "--fail %s: route table '%s' has no removable route to "
		    "%s",
		    spec, table, cidr);
		return -1;
	}
	return 0;
}

static int fail_sg_rule(struct model *m, const char *group, const char *dir,
			const char *num, const char *spec,
			struct diag_list *diags)
{
	struct model_obj *o = model_find(m, group);
	if (!o || o->kind != MK_SECURITY_GROUP) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0,
			 "--fail %s: '%s' is not a security group", spec,
			 group);
		return -1;
	}
	bool in = !strcmp(dir, "ingress");
	if (!in && strcmp(dir, "egress")) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0,
			 "--fail %s: expected ingress or egress, not '%s'",
			 spec, dir);
		return -1;
	}
	char *end;
	long n = strtol(num, &end, 10);
	struct model_security_group *g = &m->groups[o->index];
	struct model_sg_rule *rules = in ? g->ingress : g->egress;
	uint32_t *count = in ? &g->n_ingress : &g->n_egress;
	uint32_t k = 0;
	bool found = false;
	for (uint32_t r = 0; r < *count; r++) {
		bool hit = *num && !*end && rules[r].number == (uint32_t)n;
		found |= hit;
		if (!hit)
			rules[k++] = rules[r];
	}
	*count = k;
	if (!found) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0,
			 "--fail %s: security group '%s' has no %s rule %s",
			 spec, group, dir, num);
		return -1;
	}
	return 0;
}

int model_fail(struct model *m, const char *spec, struct diag_list *diags)
{
	char buf[512];
	if (strlen(spec) >= sizeof(buf)) {
		diag_add(diags, DIAG_ERROR, NULL, 0, 0,
			 "--fail: spec too long");
		return -1;
	}
	strcpy(buf, spec);
	char *parts[4] = {buf, NULL, NULL, NULL};
	int np = 1;
	for (char *p = buf; *p && np < 4; p++)
		if (*p == ':') {
			*p = '\0';
			parts[np++] = p + 1;
		}
	if (!strcmp(parts[0], "az") && np == 2)
		return fail_az(m, parts[1], spec, diags);
	if (!strcmp(parts[0], "route") && np == 3)
		return fail_route(m, parts[1], parts[2], spec, diags);
	if (!strcmp(parts[0], "sg") && np == 4)
		return fail_sg_rule(m, parts[1], parts[2], parts[3], spec,
				    diags);
	/* Otherwise a resource id, which may itself hold ':'. */
	struct model_obj *o = model_find(m, spec);
	if (o)
		return fail_resource(m, o, diags, spec);
	diag_add(diags, DIAG_ERROR, NULL, 0, 0,
		 "--fail %s: expected az:ZONE, route:TABLE:CIDR, "
		 "sg:GROUP:ingress|egress:N or a resource id",
		 spec);
	return -1;
}

int model_fail_copy(struct model **out, const struct model *m,
		    const char *zone, const char *const *specs, uint32_t n,
		    struct diag_list *diags)
{
	struct model *c = model_clone(m);
	size_t errors = diags->n_errors;
	if (zone) {
		char *spec = xasprintf("az:%s", zone);
		model_fail(c, spec, diags);
		free(spec);
	}
	for (uint32_t i = 0; i < n; i++)
		model_fail(c, specs[i], diags);
	if (diags->n_errors > errors) {
		model_free(c);
		c = NULL;
	}
	*out = c;
	return c ? 0 : -1;
}
