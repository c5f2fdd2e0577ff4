/*
 * `vpcsim show`: the model after normalization, so a person can check what
 * vpcsim understood (implicit tables, defaults, addresses) before trusting
 * a verdict.  Text groups everything under its VPC; JSON is one flat list
 * of resources (schema in docs/show-json.md).
 */
#include <inttypes.h>
#include <string.h>

#include "model/values.h"
#include "report/json.h"
#include "report/report.h"

static void route_dst(char *buf, size_t size, const struct model *m,
		      const struct model_route *r)
{
	char c[CIDR6_STRLEN];
	if (r->ipv6)
		cidr6_format(c, r->dst6);
	else
		cidr_format(c, r->dst);
	if (r->prefix_list != MODEL_NONE)
		snprintf(buf, size, "%s (prefix list %s)", c,
			 m->prefix_lists[r->prefix_list].obj.id);
	else
		snprintf(buf, size, "%s", c);
}

static void nacl_cidr(char *buf, size_t size, const struct model_nacl_rule *r)
{
	if (r->ipv6) {
		char c[CIDR6_STRLEN];
		cidr6_format(c, r->cidr6);
		snprintf(buf, size, "%s", c);
	} else {
		char c[CIDR_STRLEN];
		cidr_format(c, r->cidr);
		snprintf(buf, size, "%s", c);
	}
}

static const char *lb_action_text(char *buf, size_t size, const struct model *m,
				  const struct model_lb_action *a)
{
	switch (a->kind) {
	case LBA_FORWARD:
		snprintf(buf, size, "forward to %s",
			 a->target_group == MODEL_NONE
			     ? "?"
			     : m->target_groups[a->target_group].obj.id);
		break;
	case LBA_REDIRECT:
		if (a->redirect_port)
			snprintf(
			    buf, size, "redirect (%u) to %s:%u", a->status_code,
			    a->redirect_protocol >= 0
				? lb_protocol_name(
				      (enum lb_protocol)a->redirect_protocol)
				: "same protocol",
			    a->redirect_port);
		else
			snprintf(buf, size, "redirect (%u)", a->status_code);
		break;
	case LBA_FIXED_RESPONSE:
		snprintf(buf, size, "fixed response %u", a->status_code);
		break;
	}
	return buf;
}

static void where(FILE *f, const struct model_obj *o)
{
	if (o->implicit)
		fputs("  (implicit)", f);
	else
		fprintf(f, "  [%s:%u]", o->loc.file, o->loc.line);
}

static void show_placements(FILE *f, const struct model *m,
			    const struct model_obj *o, const char *label)
{
	uint32_t n;
	const struct model_placement *p =
	    model_placements(m, o->kind, o->index, &n);
	for (uint32_t i = 0; i < n; i++) {
		const struct model_subnet *s = &m->subnets[p[i].subnet];
		char a[ADDR_STRLEN] = "none";
		if (p[i].addr)
			addr_format(a, p[i].addr);
		fprintf(f, "    %s in %s (%s, %s): %s%s", label, s->obj.id,
			s->az ? s->az : "?",
			s->is_public ? "public" : "private",
			p[i].addr_exhausted ? "no free address" : a,
			p[i].addr_explicit ? " (given)" : "");
		if (p[i].has_public) {
			if (p[i].public_addr) {
				addr_format(a, p[i].public_addr);
				fprintf(f, ", public %s", a);
			} else {
				fputs(", public address", f);
			}
			fprintf(f, " (%s)\n", p[i].public_why);
		} else {
			fprintf(f, ", no public address (%s)\n",
				p[i].public_why);
		}
		if (p[i].has_ipv6) {
			char a6[CIDR6_STRLEN];
			model_addr6_format(a6, p[i].addr6);
			fprintf(f, "      IPv6 %s (%s)\n", a6, p[i].ipv6_why);
		}
	}
}

static void show_groups_line(FILE *f, const struct model *m, const uint32_t *g,
			     uint32_t n)
{
	fputs("    security groups:", f);
	if (!n)
		fputs(" none", f);
	for (uint32_t i = 0; i < n; i++)
		fprintf(f, "%s %s", i ? "," : "", m->groups[g[i]].obj.id);
	fputc('\n', f);
}

static void show_route_table(FILE *f, const struct model *m,
			     const struct model_route_table *t)
{
	fprintf(f, "  route table %s%s", t->obj.id,
		t->is_main ? " (main)" : "");
	where(f, &t->obj);
	fputs("\n", f);
	for (uint32_t r = 0; r < t->n_routes; r++) {
		const struct model_route *rt = &t->routes[r];
		char d[96];
		route_dst(d, sizeof(d), m, rt);
		fprintf(f, "    %-34s -> %s", d, route_target_name(rt->target));
		if (rt->target != RT_LOCAL && rt->target != RT_BLACKHOLE)
			fprintf(f, " %s", rt->target_id);
		if (rt->via_endpoint != MODEL_NONE)
			fputs("  (added by the endpoint)", f);
		else if (rt->number)
			fprintf(f, "  (route %u)", rt->number);
		fputc('\n', f);
	}
}

static void show_sg(FILE *f, const struct model *m,
		    const struct model_security_group *g)
{
	fprintf(f, "  security group %s%s", g->obj.id,
		g->vpc != MODEL_NONE &&
			m->vpcs[g->vpc].default_group == g->obj.index
		    ? " (default)"
		    : "");
	if (g->description)
		fprintf(f, " \"%s\"", g->description);
	where(f, &g->obj);
	fputc('\n', f);
	for (int dir = 0; dir < 2; dir++) {
		const struct model_sg_rule *rules =
		    dir ? g->egress : g->ingress;
		uint32_t n = dir ? g->n_egress : g->n_ingress;
		if (!n)
			fprintf(f, "    %s: none (nothing allowed)\n",
				dir ? "egress" : "ingress");
		for (uint32_t i = 0; i < n; i++) {
			char mt[64], peer[96];
			model_match_format(mt, sizeof(mt), &rules[i].match);
			if (rules[i].peer_kind == PEER_CIDR &&
			    rules[i].cidr.len == 0 && rules[i].implicit)
				snprintf(peer, sizeof(peer), "0.0.0.0/0");
			else
				model_sg_peer_format(peer, sizeof(peer), m,
						     &rules[i]);
			fprintf(f, "    %s rule %u: %s %s %s",
				dir ? "egress" : "ingress", rules[i].number, mt,
				dir ? "to" : "from", peer);
			if (rules[i].description)
				fprintf(f, "  \"%s\"", rules[i].description);
			fputc('\n', f);
		}
	}
}

static void show_nacl_rules(FILE *f, const char *dir,
			    const struct model_nacl_rule *r, uint32_t n,
			    bool inbound)
{
	for (uint32_t i = 0; i < n; i++) {
		char mt[64], c[CIDR6_STRLEN];
		model_match_format(mt, sizeof(mt), &r[i].match);
		nacl_cidr(c, sizeof(c), &r[i]);
		fprintf(f, "    %-8s %5u %-5s %s %s %s\n", i ? "" : dir,
			r[i].number, r[i].allow ? "allow" : "deny", mt,
			inbound ? "from" : "to", c);
	}
	fprintf(f, "    %-8s %5s %-5s all traffic (implicit)\n", n ? "" : dir,
		"*", "deny");
}

static void show_nacl(FILE *f, const struct model_network_acl *a)
{
	fprintf(f, "  network ACL %s%s", a->obj.id,
		a->is_default ? " (default)" : "");
	where(f, &a->obj);
	fputc('\n', f);
	show_nacl_rules(f, "inbound", a->inbound, a->n_inbound, true);
	show_nacl_rules(f, "outbound", a->outbound, a->n_outbound, false);
}

static bool in_vpc_subnets(const struct model *m, const uint32_t *s, uint32_t n,
			   uint32_t vpc)
{
	return n && m->subnets[s[0]].vpc == vpc;
}

/* The names of enum tg_target_type, for text and JSON. */
static const char *const tg_target_types[] = {"instance", "ip", "lambda"};

static void show_vpc_head(FILE *f, const struct model *m,
			  const struct model_vpc *vpc)
{
	char c[CIDR_STRLEN];
	fprintf(f, "VPC %s", vpc->obj.id);
	for (uint32_t i = 0; i < vpc->n_cidrs; i++) {
		cidr_format(c, vpc->cidrs[i]);
		fprintf(f, " %s", c);
	}
	for (uint32_t i = 0; i < vpc->n_cidrs6; i++) {
		char c6[CIDR6_STRLEN];
		cidr6_format(c6, vpc->cidrs6[i]);
		fprintf(f, " %s%s", c6,
			vpc->ipv6_unknown && i + 1 == vpc->n_cidrs6
			    ? " (Amazon-provided, prefix unknown: a stand-in)"
			    : "");
	}
	where(f, &vpc->obj);
	fputc('\n', f);
	fprintf(f, "  internet gateway: %s\n",
		vpc->internet_gateway == MODEL_NONE
		    ? "none"
		    : m->igws[vpc->internet_gateway].obj.id);
}

static void show_subnet(FILE *f, const struct model *m,
			const struct model_subnet *s)
{
	char c[CIDR_STRLEN];
	cidr_format(c, s->cidr);
	uint64_t usable = (uint64_t)values_usable_addrs(s->cidr);
	fprintf(f, "  subnet %s %s %s %s", s->obj.id, c, s->az ? s->az : "?",
		s->is_public ? "public" : "private");
	where(f, &s->obj);
	fprintf(f, "\n    why: %s\n", s->why);
	fprintf(f, "    route table %s%s, network ACL %s%s\n",
		m->route_tables[s->route_table].obj.id,
		s->route_table_explicit ? "" : " (main)",
		m->nacls[s->nacl].obj.id, s->nacl_explicit ? "" : " (default)");
	fprintf(f, "    addresses: %" PRIu64 " usable, %u placed", usable,
		s->n_allocated);
	if (s->tasks)
		fprintf(f, ", %u ECS tasks", s->tasks);
	fprintf(f, "%s\n", s->map_public_ip ? ", maps public IPs" : "");
	if (s->has_cidr6) {
		char c6[CIDR6_STRLEN];
		cidr6_format(c6, s->cidr6);
		fprintf(f, "    IPv6 %s%s%s\n", c6,
			s->cidr6_unknown ? " (prefix unknown: a stand-in)" : "",
			s->assign_ipv6 ? ", assigns IPv6 addresses" : "");
	}
}

static void show_nat(FILE *f, const struct model *m,
		     const struct model_nat_gateway *g)
{
	fprintf(f, "  NAT gateway %s (%s)", g->obj.id,
		g->is_public ? "public" : "private");
	where(f, &g->obj);
	fputc('\n', f);
	show_placements(f, m, &g->obj, "interface");
}

static void show_endpoint(FILE *f, const struct model *m,
			  const struct model_vpc_endpoint *e)
{
	fprintf(f, "  VPC endpoint %s (%s, %s)", e->obj.id,
		e->type == VPCE_GATEWAY ? "gateway" : "interface", e->service);
	where(f, &e->obj);
	fputc('\n', f);
	if (e->type != VPCE_GATEWAY) {
		show_groups_line(f, m, e->groups, e->n_groups);
		show_placements(f, m, &e->obj, "interface");
		return;
	}
	fputs("    route tables:", f);
	for (uint32_t k = 0; k < e->n_route_tables; k++)
		fprintf(f, "%s %s", k ? "," : "",
			m->route_tables[e->route_tables[k]].obj.id);
	fputc('\n', f);
}

static void show_listener(FILE *f, const struct model *m,
			  const struct model_listener *li)
{
	char act[128];
	if (li->instance_port) {
		fprintf(f, "    listener %u/%s: to instance port %u/%s\n",
			li->port, lb_protocol_name(li->protocol),
			li->instance_port,
			lb_protocol_name(li->instance_protocol));
		return;
	}
	fprintf(f, "    listener %u/%s: %s\n", li->port,
		lb_protocol_name(li->protocol),
		lb_action_text(act, sizeof(act), m, &li->default_action));
	for (uint32_t r = 0; r < li->n_rules; r++) {
		const struct model_listener_rule *lr = &li->rules[r];
		fprintf(f, "      rule priority %u:", lr->priority);
		for (uint32_t k = 0; k < lr->n_hosts; k++)
			fprintf(f, " host %s", lr->hosts[k]);
		for (uint32_t k = 0; k < lr->n_paths; k++)
			fprintf(f, " path %s", lr->paths[k]);
		fprintf(f, " -> %s\n",
			lb_action_text(act, sizeof(act), m, &lr->action));
	}
}

static void show_lb(FILE *f, const struct model *m,
		    const struct model_load_balancer *lb)
{
	fprintf(f, "  load balancer %s (%s, %s%s)", lb->obj.id,
		model_lb_type_name(lb->type),
		lb->internet_facing ? "internet-facing" : "internal",
		lb->dualstack ? ", dualstack" : "");
	where(f, &lb->obj);
	fputc('\n', f);
	show_groups_line(f, m, lb->groups, lb->n_groups);
	if (lb->type == LB_CLASSIC) {
		fprintf(f, "    instances:");
		for (uint32_t i = 0; i < lb->n_instances; i++)
			fprintf(f, "%s %s", i ? "," : "",
				m->instances[lb->instances[i]].obj.id);
		fprintf(f, "%s; cross-zone %s\n",
			lb->n_instances ? "" : " none",
			lb->cross_zone ? "on" : "off");
	}
	for (uint32_t l = 0; l < lb->n_listeners; l++)
		show_listener(f, m, &lb->listeners[l]);
	show_placements(f, m, &lb->obj, "node");
}

static void show_tg(FILE *f, const struct model *m,
		    const struct model_target_group *tg)
{
	fprintf(f, "  target group %s (%s %u, targets: %s)", tg->obj.id,
		lb_protocol_name(tg->protocol), tg->port,
		tg_target_types[tg->target_type]);
	where(f, &tg->obj);
	fputc('\n', f);
	if (tg->health_check_port)
		fprintf(f, "    health check: port %u\n",
			tg->health_check_port);
	else
		fputs("    health check: traffic port\n", f);
	for (uint32_t k = 0; k < tg->n_targets; k++) {
		const struct model_tg_target *t = &tg->targets[k];
		char a[ADDR_STRLEN];
		if (t->instance != MODEL_NONE) {
			fprintf(f, "    target instance %s",
				m->instances[t->instance].obj.id);
		} else {
			addr_format(a, t->addr);
			fprintf(f, "    target ip %s", a);
		}
		fprintf(f, " port %u\n", t->port ? t->port : tg->port);
	}
}

static void show_instance(FILE *f, const struct model *m,
			  const struct model_instance *h)
{
	fprintf(f, "  %s %s",
		h->is_interface ? "network interface" : "instance", h->obj.id);
	where(f, &h->obj);
	fputc('\n', f);
	show_groups_line(f, m, h->groups, h->n_groups);
	if (!h->source_dest_check)
		fputs("    source/destination check: off (it may forward "
		      "traffic routed to it)\n",
		      f);
	show_placements(f, m, &h->obj, "interface");
}

/* " name:port/proto" for every container port of a task definition. */
static void show_container_ports(FILE *f,
				 const struct model_task_definition *td)
{
	for (uint32_t c = 0; c < td->n_containers; c++) {
		const struct model_container *ct = &td->containers[c];
		for (uint32_t p = 0; p < ct->n_ports; p++) {
			fprintf(f, " %s:%u/%s", ct->name, ct->ports[p].port,
				proto_name(ct->ports[p].proto));
			if (!td->network_mode ||
			    !strcmp(td->network_mode, "awsvpc"))
				continue;
			if (ct->ports[p].host_port)
				fprintf(f, " (host %u)",
					ct->ports[p].host_port);
			else
				fprintf(f, " (host %u-%u, dynamic)",
					MODEL_ECS_DYNAMIC_LO,
					MODEL_ECS_DYNAMIC_HI);
		}
	}
}

static void show_service(FILE *f, const struct model *m,
			 const struct model_service *s)
{
	fprintf(f, "  ECS service %s (%u tasks", s->obj.id, s->desired_count);
	if (s->task_definition != MODEL_NONE) {
		const struct model_task_definition *td =
		    &m->task_definitions[s->task_definition];
		fprintf(f, ", task definition %s, ports", td->obj.id);
		show_container_ports(f, td);
	}
	fputc(')', f);
	where(f, &s->obj);
	fputc('\n', f);
	const char *mode =
	    s->task_definition == MODEL_NONE
		? NULL
		: m->task_definitions[s->task_definition].network_mode;
	if (mode && strcmp(mode, "awsvpc"))
		fprintf(f,
			"    %s mode on the container instances of cluster "
			"%s\n",
			mode, s->cluster ? s->cluster : "default");
	else
		show_groups_line(f, m, s->groups, s->n_groups);
	if (s->on_ec2 && (!mode || !strcmp(mode, "awsvpc")))
		fputs("    on EC2 container instances\n", f);
	for (uint32_t b = 0; b < s->n_bindings; b++)
		fprintf(f, "    registers port %u in target group %s\n",
			s->bindings[b].port,
			m->target_groups[s->bindings[b].target_group].obj.id);
	show_placements(f, m, &s->obj, "task");
}

static void show_database(FILE *f, const struct model *m,
			  const struct model_database *d)
{
	fprintf(f, "  %s %s (%s, port %u%s%s%s%s%s)",
		model_noun(m, MK_DATABASE, d->obj.index), d->obj.id,
		d->engine ? d->engine : "?", d->port,
		d->port_defaulted ? " by engine default" : "",
		d->multi_az ? ", multi-AZ" : "",
		d->dualstack ? ", dual-stack" : "",
		d->replica_of != MODEL_NONE ? ", replica of " : "",
		d->replica_of != MODEL_NONE ? m->databases[d->replica_of].obj.id
					    : "");
	where(f, &d->obj);
	fputc('\n', f);
	show_groups_line(f, m, d->groups, d->n_groups);
	if (d->default_vpc)
		fprintf(f,
			"    in the region's default VPC (no DB subnet group), "
			"not in the model; %s\n",
			d->publicly_accessible ? "publicly accessible"
					       : "not publicly accessible");
	show_placements(f, m, &d->obj, "placement");
}

static void show_fleet(FILE *f, const struct model *m,
		       const struct model_fleet *fl)
{
	fprintf(f, "  %s %s", model_noun(m, MK_FLEET, fl->obj.index),
		fl->obj.id);
	where(f, &fl->obj);
	fputc('\n', f);
	show_groups_line(f, m, fl->groups, fl->n_groups);
	if (fl->role == FLEET_FUNCTION)
		fputs("    starts connections only: nothing listens\n", f);
	else
		fputs("    listening ports unknown: assumed open where the "
		      "groups allow\n",
		      f);
	for (uint32_t t = 0; t < fl->n_target_groups; t++)
		fprintf(f, "    registers in target group %s\n",
			m->target_groups[fl->target_groups[t]].obj.id);
	for (uint32_t l = 0; l < fl->n_load_balancers; l++)
		fprintf(f, "    registers with classic load balancer %s\n",
			m->lbs[fl->load_balancers[l]].obj.id);
	if (fl->ecs_cluster)
		fprintf(f, "    container instances of ECS cluster %s\n",
			fl->ecs_cluster);
	show_placements(f, m, &fl->obj,
			fl->role == FLEET_FUNCTION ? "interface" : "instance");
}

/* What the input places outside every VPC it describes: in the region's
 * default VPC, or with no subnet vpcsim knows. */
static void show_outside(FILE *f, const struct model *m)
{
	bool head = false;
	/* A template's NAT gateway whose SubnetId names a resource vpcsim
	 * does not model (found by fuzz_engine_cfn). */
	for (uint32_t i = 0; i < m->n[MK_NAT_GATEWAY]; i++) {
		if (m->nat_gateways[i].subnet != MODEL_NONE)
			continue;
		if (!head)
			fputs("\noutside the model's VPCs:\n", f);
		head = true;
		show_nat(f, m, &m->nat_gateways[i]);
	}
	for (uint32_t i = 0; i < m->n[MK_DATABASE]; i++) {
		const struct model_database *d = &m->databases[i];
		if (!d->default_vpc)
			continue;
		if (!head)
			fputs("\noutside the model's VPCs:\n", f);
		head = true;
		show_database(f, m, d);
	}
	for (uint32_t i = 0; i < m->n[MK_FLEET]; i++) {
		const struct model_fleet *fl = &m->fleets[i];
		if (fl->n_subnets)
			continue;
		if (!head)
			fputs("\noutside the model's VPCs:\n", f);
		head = true;
		show_fleet(f, m, fl);
	}
}

/* Everything in VPC v, grouped by kind in a fixed order: the network
 * (subnets, tables, ACLs, groups), then what is placed in it. */
static void show_vpc(FILE *f, const struct model *m, uint32_t v)
{
	show_vpc_head(f, m, &m->vpcs[v]);
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++)
		if (m->subnets[i].vpc == v)
			show_subnet(f, m, &m->subnets[i]);
	for (uint32_t i = 0; i < m->n[MK_ROUTE_TABLE]; i++)
		if (m->route_tables[i].vpc == v)
			show_route_table(f, m, &m->route_tables[i]);
	for (uint32_t i = 0; i < m->n[MK_NETWORK_ACL]; i++)
		if (m->nacls[i].vpc == v)
			show_nacl(f, &m->nacls[i]);
	for (uint32_t i = 0; i < m->n[MK_SECURITY_GROUP]; i++)
		if (m->groups[i].vpc == v)
			show_sg(f, m, &m->groups[i]);

	for (uint32_t i = 0; i < m->n[MK_NAT_GATEWAY]; i++)
		if (m->nat_gateways[i].subnet != MODEL_NONE &&
		    m->subnets[m->nat_gateways[i].subnet].vpc == v)
			show_nat(f, m, &m->nat_gateways[i]);
	for (uint32_t i = 0; i < m->n[MK_VPC_ENDPOINT]; i++)
		if (m->endpoints[i].vpc == v)
			show_endpoint(f, m, &m->endpoints[i]);
	for (uint32_t i = 0; i < m->n[MK_LOAD_BALANCER]; i++) {
		const struct model_load_balancer *lb = &m->lbs[i];
		if (in_vpc_subnets(m, lb->subnets, lb->n_subnets, v))
			show_lb(f, m, lb);
	}
	for (uint32_t i = 0; i < m->n[MK_TARGET_GROUP]; i++)
		if (m->target_groups[i].vpc == v)
			show_tg(f, m, &m->target_groups[i]);
	for (uint32_t i = 0; i < m->n[MK_INSTANCE]; i++) {
		const struct model_instance *h = &m->instances[i];
		if (h->subnet != MODEL_NONE && m->subnets[h->subnet].vpc == v)
			show_instance(f, m, h);
	}
	for (uint32_t i = 0; i < m->n[MK_SERVICE]; i++) {
		const struct model_service *s = &m->services[i];
		if (in_vpc_subnets(m, s->subnets, s->n_subnets, v))
			show_service(f, m, s);
	}
	for (uint32_t i = 0; i < m->n[MK_DATABASE]; i++) {
		const struct model_database *d = &m->databases[i];
		if (in_vpc_subnets(m, d->subnets, d->n_subnets, v))
			show_database(f, m, d);
	}
	for (uint32_t i = 0; i < m->n[MK_FLEET]; i++) {
		const struct model_fleet *fl = &m->fleets[i];
		if (in_vpc_subnets(m, fl->subnets, fl->n_subnets, v))
			show_fleet(f, m, fl);
	}
}

/* Values the input does not determine (CloudFormation, Terraform):
 * verdicts that read these objects say so. */
static void show_unknowns(FILE *f, const struct model *m)
{
	bool head = false;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++) {
			const struct model_obj *o = model_object(m, k, i);
			if (o->n_unknowns && !head)
				fputs("\nunknown values:\n", f);
			head |= o->n_unknowns > 0;
			for (uint32_t u = 0; u < o->n_unknowns; u++)
				fprintf(f, "  %s %s [%s:%u]: %s\n",
					model_kind_name(o->kind), o->id,
					o->loc.file, o->loc.line,
					o->unknowns[u]);
		}
}

void report_show_text(FILE *f, const struct model *m)
{
	fprintf(f, "model %s (%s format", m->file, m->format);
	if (m->region)
		fprintf(f, ", region %s", m->region);
	fputs(")\n", f);
	for (uint32_t v = 0; v < m->n[MK_VPC]; v++) {
		fputc('\n', f);
		show_vpc(f, m, v);
	}
	for (uint32_t i = 0; i < m->n[MK_PEERING]; i++) {
		const struct model_peering *p = &m->peerings[i];
		fprintf(f, "\npeering %s: %s <-> %s", p->obj.id,
			m->vpcs[p->requester].obj.id,
			m->vpcs[p->accepter].obj.id);
		where(f, &p->obj);
		fputc('\n', f);
	}
	show_outside(f, m);
	show_unknowns(f, m);
}

/* ---- JSON ------------------------------------------------------------ */

static void j_cidr(struct json *j, const char *key, struct cidr c)
{
	char b[CIDR_STRLEN];
	cidr_format(b, c);
	json_kv_string(j, key, b);
}

static void j_addr(struct json *j, const char *key, uint32_t a)
{
	char b[ADDR_STRLEN];
	if (!a) {
		json_key(j, key);
		json_null(j);
		return;
	}
	addr_format(b, a);
	json_kv_string(j, key, b);
}

static void j_ref(struct json *j, const char *key, const struct model *m,
		  enum model_kind k, uint32_t idx)
{
	json_key(j, key);
	if (idx == MODEL_NONE)
		json_null(j);
	else
		json_string(j, model_object(m, k, idx)->id);
}

static void j_refs(struct json *j, const char *key, const struct model *m,
		   enum model_kind k, const uint32_t *v, uint32_t n)
{
	json_key(j, key);
	json_begin_array(j);
	for (uint32_t i = 0; i < n; i++)
		json_string(j, model_object(m, k, v[i])->id);
	json_end_array(j);
}

static void j_match(struct json *j, const struct model_match *mt)
{
	json_kv_string(j, "protocol", proto_name(mt->proto));
	if (mt->proto == PROTO_TCP || mt->proto == PROTO_UDP) {
		json_kv_int(j, "from_port", mt->port_lo);
		json_kv_int(j, "to_port", mt->port_hi);
	}
	if (mt->proto == PROTO_ICMP || mt->proto == PROTO_ICMPV6) {
		json_kv_int(j, "icmp_type", mt->icmp_type);
		json_kv_int(j, "icmp_code", mt->icmp_code);
	}
	if (mt->proto == PROTO_OTHER)
		json_kv_int(j, "protocol_number", mt->proto_number);
}

static void j_sg_rules(struct json *j, const char *key, const struct model *m,
		       const struct model_sg_rule *r, uint32_t n, bool in)
{
	json_key(j, key);
	json_begin_array(j);
	for (uint32_t i = 0; i < n; i++) {
		json_begin_object(j);
		json_kv_int(j, "number", r[i].number);
		j_match(j, &r[i].match);
		char peer[96];
		const char *pk = "cidr";
		if (r[i].peer_kind == PEER_GROUP) {
			pk = "group";
			snprintf(peer, sizeof(peer), "%s",
				 m->groups[r[i].peer].obj.id);
		} else if (r[i].peer_kind == PEER_PREFIX_LIST) {
			pk = "prefix_list";
			snprintf(peer, sizeof(peer), "%s",
				 m->prefix_lists[r[i].peer].obj.id);
		} else {
			model_sg_peer_format(peer, sizeof(peer), m, &r[i]);
		}
		json_kv_string(j, in ? "from_kind" : "to_kind", pk);
		json_kv_string(j, in ? "from" : "to", peer);
		json_kv_string(j, "description", r[i].description);
		json_kv_bool(j, "implicit", r[i].implicit);
		json_kv_int(j, "line", r[i].loc.line);
		json_end_object(j);
	}
	json_end_array(j);
}

static void j_nacl_rules(struct json *j, const char *key,
			 const struct model_nacl_rule *r, uint32_t n)
{
	json_key(j, key);
	json_begin_array(j);
	for (uint32_t i = 0; i < n; i++) {
		char c[CIDR6_STRLEN];
		json_begin_object(j);
		json_kv_int(j, "rule", r[i].number);
		json_kv_string(j, "action", r[i].allow ? "allow" : "deny");
		j_match(j, &r[i].match);
		nacl_cidr(c, sizeof(c), &r[i]);
		json_kv_string(j, "cidr", c);
		json_end_object(j);
	}
	json_end_array(j);
}

static void j_placements(struct json *j, const struct model *m,
			 const struct model_obj *o)
{
	uint32_t n;
	const struct model_placement *p =
	    model_placements(m, o->kind, o->index, &n);
	json_key(j, "placements");
	json_begin_array(j);
	for (uint32_t i = 0; i < n; i++) {
		json_begin_object(j);
		json_kv_string(j, "subnet", m->subnets[p[i].subnet].obj.id);
		json_kv_string(j, "az", m->subnets[p[i].subnet].az);
		j_addr(j, "address", p[i].addr);
		json_kv_bool(j, "address_given", p[i].addr_explicit);
		json_kv_bool(j, "alternative", p[i].alternative);
		json_kv_bool(j, "public", p[i].has_public);
		j_addr(j, "public_address", p[i].public_addr);
		json_kv_string(j, "public_why", p[i].public_why);
		if (p[i].has_ipv6) {
			char a6[CIDR6_STRLEN];
			model_addr6_format(a6, p[i].addr6);
			json_kv_string(j, "ipv6_address", a6);
		} else {
			json_key(j, "ipv6_address");
			json_null(j);
		}
		json_kv_bool(j, "ipv6_internet", p[i].ipv6_public);
		json_kv_string(j, "ipv6_why", p[i].ipv6_why);
		json_end_object(j);
	}
	json_end_array(j);
}

static void j_action(struct json *j, const char *key, const struct model *m,
		     const struct model_lb_action *a)
{
	static const char *const kinds[] = {"forward", "redirect",
					    "fixed_response"};
	json_key(j, key);
	json_begin_object(j);
	json_kv_string(j, "type", kinds[a->kind]);
	if (a->kind == LBA_FORWARD)
		j_ref(j, "target_group", m, MK_TARGET_GROUP, a->target_group);
	if (a->kind == LBA_REDIRECT) {
		if (a->redirect_port)
			json_kv_int(j, "port", a->redirect_port);
		if (a->redirect_protocol >= 0)
			json_kv_string(
			    j, "protocol",
			    lb_protocol_name(
				(enum lb_protocol)a->redirect_protocol));
	}
	if (a->kind != LBA_FORWARD)
		json_kv_int(j, "status_code", a->status_code);
	json_end_object(j);
}

static void j_cidrs(struct json *j, const char *key, const struct cidr *v,
		    uint32_t n)
{
	json_key(j, key);
	json_begin_array(j);
	for (uint32_t c = 0; c < n; c++) {
		char b[CIDR_STRLEN];
		cidr_format(b, v[c]);
		json_string(j, b);
	}
	json_end_array(j);
}

static void j_strings(struct json *j, const char *key, const char *const *v,
		      uint32_t n)
{
	json_key(j, key);
	json_begin_array(j);
	for (uint32_t k = 0; k < n; k++)
		json_string(j, v[k]);
	json_end_array(j);
}

static void j_vpc(struct json *j, const struct model *m,
		  const struct model_vpc *v)
{
	j_cidrs(j, "cidrs", v->cidrs, v->n_cidrs);
	json_key(j, "ipv6_cidrs");
	json_begin_array(j);
	for (uint32_t c = 0; c < v->n_cidrs6; c++) {
		char b[CIDR6_STRLEN];
		cidr6_format(b, v->cidrs6[c]);
		json_string(j, b);
	}
	json_end_array(j);
	json_kv_bool(j, "ipv6_unknown", v->ipv6_unknown);
	j_ref(j, "default_security_group", m, MK_SECURITY_GROUP,
	      v->default_group);
	j_ref(j, "internet_gateway", m, MK_INTERNET_GATEWAY,
	      v->internet_gateway);
	j_ref(j, "main_route_table", m, MK_ROUTE_TABLE, v->main_route_table);
	j_ref(j, "default_network_acl", m, MK_NETWORK_ACL, v->default_nacl);
}

static void j_subnet(struct json *j, const struct model *m,
		     const struct model_subnet *s)
{
	j_ref(j, "vpc", m, MK_VPC, s->vpc);
	j_cidr(j, "cidr", s->cidr);
	if (s->has_cidr6) {
		char b[CIDR6_STRLEN];
		cidr6_format(b, s->cidr6);
		json_kv_string(j, "ipv6_cidr", b);
	} else {
		json_key(j, "ipv6_cidr");
		json_null(j);
	}
	json_kv_bool(j, "ipv6_cidr_unknown", s->cidr6_unknown);
	json_kv_bool(j, "assign_ipv6", s->assign_ipv6);
	json_kv_string(j, "az", s->az);
	json_kv_bool(j, "public", s->is_public);
	json_kv_string(j, "public_why", s->why);
	json_kv_bool(j, "map_public_ip", s->map_public_ip);
	j_ref(j, "route_table", m, MK_ROUTE_TABLE, s->route_table);
	json_kv_bool(j, "route_table_explicit", s->route_table_explicit);
	j_ref(j, "network_acl", m, MK_NETWORK_ACL, s->nacl);
	json_kv_bool(j, "network_acl_explicit", s->nacl_explicit);
	json_kv_int(j, "usable_addresses", values_usable_addrs(s->cidr));
	json_kv_int(j, "placed", s->n_allocated);
	json_kv_int(j, "ecs_tasks", s->tasks);
}

static void j_route(struct json *j, const struct model *m,
		    const struct model_route *rt)
{
	char d[CIDR6_STRLEN];
	if (rt->ipv6)
		cidr6_format(d, rt->dst6);
	else
		cidr_format(d, rt->dst);
	json_begin_object(j);
	json_kv_string(j, "destination", d);
	j_ref(j, "prefix_list", m, MK_PREFIX_LIST, rt->prefix_list);
	json_kv_string(j, "target_kind", route_target_name(rt->target));
	json_kv_string(j, "target", rt->target_id);
	json_kv_int(j, "number", rt->number);
	j_ref(j, "added_by", m, MK_VPC_ENDPOINT, rt->via_endpoint);
	json_end_object(j);
}

static void j_route_table(struct json *j, const struct model *m,
			  const struct model_route_table *t)
{
	j_ref(j, "vpc", m, MK_VPC, t->vpc);
	json_kv_bool(j, "main", t->is_main);
	json_key(j, "routes");
	json_begin_array(j);
	for (uint32_t r = 0; r < t->n_routes; r++)
		j_route(j, m, &t->routes[r]);
	json_end_array(j);
}

static void j_nat(struct json *j, const struct model *m,
		  const struct model_nat_gateway *g)
{
	j_ref(j, "subnet", m, MK_SUBNET, g->subnet);
	json_kv_string(j, "connectivity", g->is_public ? "public" : "private");
	json_kv_bool(j, "elastic_ip", g->has_eip);
}

static void j_sg(struct json *j, const struct model *m,
		 const struct model_security_group *g)
{
	j_ref(j, "vpc", m, MK_VPC, g->vpc);
	json_kv_bool(j, "default",
		     g->vpc != MODEL_NONE &&
			 m->vpcs[g->vpc].default_group == g->obj.index);
	json_kv_string(j, "description", g->description);
	j_sg_rules(j, "ingress", m, g->ingress, g->n_ingress, true);
	j_sg_rules(j, "egress", m, g->egress, g->n_egress, false);
	json_kv_bool(j, "default_egress", g->default_egress);
}

static void j_nacl(struct json *j, const struct model *m,
		   const struct model_network_acl *a)
{
	j_ref(j, "vpc", m, MK_VPC, a->vpc);
	json_kv_bool(j, "default", a->is_default);
	j_nacl_rules(j, "inbound", a->inbound, a->n_inbound);
	j_nacl_rules(j, "outbound", a->outbound, a->n_outbound);
}

static void j_prefix_list(struct json *j, const struct model_prefix_list *p)
{
	json_kv_string(j, "name", p->name);
	json_kv_string(j, "service", p->service);
	j_cidrs(j, "cidrs", p->cidrs, p->n_cidrs);
}

static void j_instance(struct json *j, const struct model *m,
		       const struct model_instance *h)
{
	json_kv_bool(j, "network_interface", h->is_interface);
	j_ref(j, "subnet", m, MK_SUBNET, h->subnet);
	j_refs(j, "security_groups", m, MK_SECURITY_GROUP, h->groups,
	       h->n_groups);
	json_kv_bool(j, "source_dest_check", h->source_dest_check);
}

static void j_listener(struct json *j, const struct model *m,
		       const struct model_listener *li)
{
	json_begin_object(j);
	json_kv_int(j, "port", li->port);
	json_kv_string(j, "protocol", lb_protocol_name(li->protocol));
	if (li->instance_port) {
		json_kv_int(j, "instance_port", li->instance_port);
		json_kv_string(j, "instance_protocol",
			       lb_protocol_name(li->instance_protocol));
	}
	j_action(j, "default_action", m, &li->default_action);
	json_key(j, "rules");
	json_begin_array(j);
	for (uint32_t r = 0; r < li->n_rules; r++) {
		const struct model_listener_rule *lr = &li->rules[r];
		json_begin_object(j);
		json_kv_int(j, "priority", lr->priority);
		j_strings(j, "paths", lr->paths, lr->n_paths);
		j_strings(j, "hosts", lr->hosts, lr->n_hosts);
		j_action(j, "action", m, &lr->action);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

static void j_lb(struct json *j, const struct model *m,
		 const struct model_load_balancer *lb)
{
	json_kv_string(j, "type", model_lb_type_name(lb->type));
	json_kv_string(j, "scheme",
		       lb->internet_facing ? "internet-facing" : "internal");
	j_refs(j, "subnets", m, MK_SUBNET, lb->subnets, lb->n_subnets);
	j_refs(j, "security_groups", m, MK_SECURITY_GROUP, lb->groups,
	       lb->n_groups);
	json_kv_bool(j, "cross_zone", lb->cross_zone);
	json_kv_string(j, "ip_address_type",
		       lb->dualstack ? "dualstack" : "ipv4");
	if (lb->type == LB_CLASSIC) {
		j_refs(j, "instances", m, MK_INSTANCE, lb->instances,
		       lb->n_instances);
		json_kv_int(j, "health_check_port", lb->health_check_port);
	}
	json_key(j, "listeners");
	json_begin_array(j);
	for (uint32_t l = 0; l < lb->n_listeners; l++)
		j_listener(j, m, &lb->listeners[l]);
	json_end_array(j);
}

static void j_tg(struct json *j, const struct model *m,
		 const struct model_target_group *tg)
{
	j_ref(j, "vpc", m, MK_VPC, tg->vpc);
	json_kv_string(j, "protocol", lb_protocol_name(tg->protocol));
	json_kv_int(j, "port", tg->port);
	json_kv_string(j, "target_type", tg_target_types[tg->target_type]);
	json_kv_int(j, "health_check_port",
		    tg->health_check_port ? tg->health_check_port : tg->port);
	json_kv_bool(j, "preserve_client_ip", tg->preserve_client_ip);
	if (tg->classic)
		j_ref(j, "classic_load_balancer", m, MK_LOAD_BALANCER,
		      tg->classic_lb);
}

static void j_task_definition(struct json *j,
			      const struct model_task_definition *td)
{
	bool host = td->network_mode && strcmp(td->network_mode, "awsvpc");
	if (host)
		json_kv_string(j, "network_mode", td->network_mode);
	json_key(j, "containers");
	json_begin_array(j);
	for (uint32_t c = 0; c < td->n_containers; c++) {
		const struct model_container *ct = &td->containers[c];
		json_begin_object(j);
		json_kv_string(j, "name", ct->name);
		json_key(j, "ports");
		json_begin_array(j);
		for (uint32_t p = 0; p < ct->n_ports; p++) {
			json_begin_object(j);
			json_kv_int(j, "port", ct->ports[p].port);
			json_kv_string(j, "protocol",
				       proto_name(ct->ports[p].proto));
			/* bridge and host modes: 0 is a dynamic port */
			if (host)
				json_kv_int(j, "host_port",
					    ct->ports[p].host_port);
			json_end_object(j);
		}
		json_end_array(j);
		json_end_object(j);
	}
	json_end_array(j);
}

static void j_service(struct json *j, const struct model *m,
		      const struct model_service *s)
{
	json_kv_string(j, "cluster", s->cluster);
	j_ref(j, "task_definition", m, MK_TASK_DEFINITION, s->task_definition);
	json_kv_int(j, "desired_count", s->desired_count);
	j_refs(j, "subnets", m, MK_SUBNET, s->subnets, s->n_subnets);
	j_refs(j, "security_groups", m, MK_SECURITY_GROUP, s->groups,
	       s->n_groups);
	json_kv_bool(j, "assign_public_ip", s->assign_public_ip);
	if (s->on_ec2)
		json_kv_string(j, "launch_type", "ec2");
	json_key(j, "load_balancers");
	json_begin_array(j);
	for (uint32_t b = 0; b < s->n_bindings; b++) {
		json_begin_object(j);
		j_ref(j, "target_group", m, MK_TARGET_GROUP,
		      s->bindings[b].target_group);
		json_kv_string(j, "container", s->bindings[b].container);
		json_kv_int(j, "port", s->bindings[b].port);
		json_end_object(j);
	}
	json_end_array(j);
}

static void j_database(struct json *j, const struct model *m,
		       const struct model_database *d)
{
	json_kv_string(j, "engine", d->engine);
	json_kv_int(j, "port", d->port);
	j_refs(j, "subnets", m, MK_SUBNET, d->subnets, d->n_subnets);
	json_kv_string(j, "availability_zone", d->az);
	j_refs(j, "security_groups", m, MK_SECURITY_GROUP, d->groups,
	       d->n_groups);
	json_kv_bool(j, "publicly_accessible", d->publicly_accessible);
	json_kv_bool(j, "multi_az", d->multi_az);
	json_kv_string(j, "network_type", d->dualstack ? "DUAL" : "IPV4");
	j_ref(j, "replica_of", m, MK_DATABASE, d->replica_of);
	static const char *const fam[] = {"rds", "aurora", "cache",
					  "file_system"};
	if (d->family != DBF_RDS)
		json_kv_string(j, "family", fam[d->family]);
	if (d->default_vpc)
		json_kv_bool(j, "default_vpc", true);
}

static void j_fleet(struct json *j, const struct model *m,
		    const struct model_fleet *f)
{
	json_kv_string(j, "role",
		       f->role == FLEET_FUNCTION ? "function" : "autoscaling");
	j_refs(j, "subnets", m, MK_SUBNET, f->subnets, f->n_subnets);
	j_refs(j, "security_groups", m, MK_SECURITY_GROUP, f->groups,
	       f->n_groups);
	json_key(j, "public_ip");
	if (f->public_ip < 0)
		json_null(j);
	else
		json_bool(j, f->public_ip == 1);
	j_refs(j, "target_groups", m, MK_TARGET_GROUP, f->target_groups,
	       f->n_target_groups);
	j_refs(j, "load_balancers", m, MK_LOAD_BALANCER, f->load_balancers,
	       f->n_load_balancers);
	json_kv_string(j, "ecs_cluster", f->ecs_cluster);
	json_kv_bool(j, "default_vpc", f->default_vpc);
}

static void j_endpoint(struct json *j, const struct model *m,
		       const struct model_vpc_endpoint *e)
{
	j_ref(j, "vpc", m, MK_VPC, e->vpc);
	json_kv_string(j, "type",
		       e->type == VPCE_GATEWAY ? "gateway" : "interface");
	json_kv_string(j, "service", e->service);
	j_refs(j, "route_tables", m, MK_ROUTE_TABLE, e->route_tables,
	       e->n_route_tables);
	j_refs(j, "subnets", m, MK_SUBNET, e->subnets, e->n_subnets);
	j_refs(j, "security_groups", m, MK_SECURITY_GROUP, e->groups,
	       e->n_groups);
	json_kv_bool(j, "private_dns", e->private_dns);
}

/* The fields of o's own kind (docs/show-json.md). */
static void j_kind_fields(struct json *j, const struct model *m,
			  const struct model_obj *o)
{
	uint32_t i = o->index;
	switch (o->kind) {
	case MK_VPC:
		j_vpc(j, m, &m->vpcs[i]);
		break;
	case MK_INTERNET_GATEWAY:
		j_ref(j, "vpc", m, MK_VPC, m->igws[i].vpc);
		json_kv_bool(j, "egress_only", m->igws[i].egress_only);
		break;
	case MK_SUBNET:
		j_subnet(j, m, &m->subnets[i]);
		break;
	case MK_ROUTE_TABLE:
		j_route_table(j, m, &m->route_tables[i]);
		break;
	case MK_NAT_GATEWAY:
		j_nat(j, m, &m->nat_gateways[i]);
		break;
	case MK_SECURITY_GROUP:
		j_sg(j, m, &m->groups[i]);
		break;
	case MK_NETWORK_ACL:
		j_nacl(j, m, &m->nacls[i]);
		break;
	case MK_PREFIX_LIST:
		j_prefix_list(j, &m->prefix_lists[i]);
		break;
	case MK_INSTANCE:
		j_instance(j, m, &m->instances[i]);
		break;
	case MK_LOAD_BALANCER:
		j_lb(j, m, &m->lbs[i]);
		break;
	case MK_TARGET_GROUP:
		j_tg(j, m, &m->target_groups[i]);
		break;
	case MK_TASK_DEFINITION:
		j_task_definition(j, &m->task_definitions[i]);
		break;
	case MK_SERVICE:
		j_service(j, m, &m->services[i]);
		break;
	case MK_DATABASE:
		j_database(j, m, &m->databases[i]);
		break;
	case MK_VPC_ENDPOINT:
		j_endpoint(j, m, &m->endpoints[i]);
		break;
	case MK_PEERING:
		j_ref(j, "requester", m, MK_VPC, m->peerings[i].requester);
		j_ref(j, "accepter", m, MK_VPC, m->peerings[i].accepter);
		break;
	case MK_FLEET:
		j_fleet(j, m, &m->fleets[i]);
		break;
	case MK_KIND_COUNT:
		break;
	}
}

/* Whether objects like o have addresses in subnets (placements). */
static bool j_placed(const struct model *m, const struct model_obj *o)
{
	switch (o->kind) {
	case MK_NAT_GATEWAY:
	case MK_INSTANCE:
	case MK_LOAD_BALANCER:
	case MK_SERVICE:
	case MK_DATABASE:
	case MK_FLEET:
		return true;
	case MK_VPC_ENDPOINT:
		return m->endpoints[o->index].type == VPCE_INTERFACE;
	default:
		return false;
	}
}

/* One resource: the fields every kind has, then its kind's own. */
static void j_object(struct json *j, const struct model *m,
		     const struct model_obj *o)
{
	json_begin_object(j);
	json_kv_string(j, "id", o->id);
	json_kv_string(j, "kind", model_kind_name(o->kind));
	json_kv_string(j, "file", o->loc.file);
	json_kv_int(j, "line", o->loc.line);
	json_kv_int(j, "col", o->loc.col);
	json_kv_bool(j, "implicit", o->implicit);
	j_strings(j, "unknowns", o->unknowns, o->n_unknowns);
	json_key(j, "tags");
	json_begin_object(j);
	for (uint32_t t = 0; t < o->n_tags; t++)
		json_kv_string(j, o->tags[t].key, o->tags[t].value);
	json_end_object(j);
	j_kind_fields(j, m, o);
	if (j_placed(m, o))
		j_placements(j, m, o);
	json_end_object(j);
}

void report_show_json(FILE *f, const struct model *m)
{
	struct json j;
	json_init(&j, f, true);
	json_begin_object(&j);
	json_kv_string(&j, "model", m->file);
	json_kv_string(&j, "format", m->format);
	json_kv_string(&j, "region", m->region);
	json_key(&j, "resources");
	json_begin_array(&j);
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++)
			j_object(&j, m, model_object(m, k, i));
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}
