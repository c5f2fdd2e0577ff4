/*
 * What runs in a Terraform plan's network: instances and network
 * interfaces with their Elastic IPs, load balancers with their listeners,
 * rules, target groups and attachments, ECS task definitions and services,
 * RDS instances and Aurora cluster instances.
 *
 * Each reads the provider's documented defaults where a value is not set
 * (docs/terraform.md lists them); ids known only at apply go through the
 * configuration (tf_refs.c) and are recorded as unknowns where it does
 * not tell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "base/ydoc.h"
#include "load/tf/tf_plan.h"
#include "model/model_impl.h"
#include "model/values.h"

static const char *const instance_types[] = {"aws_instance", NULL};
static const char *const eni_types[] = {"aws_network_interface", NULL};
static const char *const lb_types[] = {"aws_lb", "aws_alb", NULL};
static const char *const listener_types[] = {"aws_lb_listener",
					     "aws_alb_listener", NULL};
static const char *const tg_types[] = {"aws_lb_target_group",
				       "aws_alb_target_group", NULL};
static const char *const td_types[] = {"aws_ecs_task_definition", NULL};
static const char *const db_types[] = {"aws_db_instance", NULL};
static const char *const dbsg_types[] = {"aws_db_subnet_group", NULL};
static const char *const rds_types[] = {"aws_rds_cluster", NULL};
static const char *const eip_types[] = {"aws_eip", NULL};
static const char *const elb_types[] = {"aws_elb", NULL};

/* Unknown-until-apply keys the configuration does not set are the
 * provider's or AWS's to choose: read as not set. */
static enum tf_state chosen(struct tf_loader *L, const struct tf_val *v,
			    const char *key, enum tf_state st)
{
	return st == TS_UNKNOWN && !tf_configured(L, v, key) ? TS_ABSENT : st;
}

/* Merges two lists of indexes, without repeats. */
static uint32_t *merge(struct tf_loader *L, uint32_t *a, uint32_t na,
		       const uint32_t *b, uint32_t nb, uint32_t *n)
{
	uint32_t *out = NULL;
	*n = 0;
	for (uint32_t i = 0; i < na; i++)
		tf_push_u32(L, &out, n, a[i]);
	for (uint32_t i = 0; i < nb; i++)
		tf_push_u32(L, &out, n, b[i]);
	return out;
}

/* One default group when an object names none (AWS's default). */
static void default_groups(struct tf_loader *L, struct model_obj *o,
			   uint32_t vpc, const char *what, uint32_t **groups,
			   uint32_t *n)
{
	uint32_t before = o->n_unknowns;
	if (*n || vpc == MODEL_NONE)
		return;
	uint32_t g = tf_default_sg(L, o, vpc, what);
	if (g == MODEL_NONE || o->n_unknowns != before)
		return;
	*groups = arena_alloc(&L->m->arena, sizeof(uint32_t));
	(*groups)[0] = g;
	*n = 1;
}

static uint32_t subnet_vpc(struct tf_loader *L, const uint32_t *subs,
			   uint32_t n)
{
	return n ? L->m->subnets[subs[0]].vpc : MODEL_NONE;
}

/* ---- instances, interfaces, Elastic IPs --------------------------------- */

static void read_private_ip(struct tf_loader *L, const struct tf_val *v,
			    const char *key, uint32_t *addr)
{
	enum tf_state st;
	const char *ip = tf_str_set(L, v, key, &st);
	if (ip && addr_parse(addr, ip)) {
		tf_err(L, v, tf_map_get(L, v->val, key),
		       "%s must be an IPv4 address, not '%s'", key, ip);
		*addr = 0;
	}
}

static void need_subnet(struct tf_loader *L, struct model_obj *o,
			const struct tf_val *v, uint32_t subnet,
			uint32_t before)
{
	if (subnet == MODEL_NONE && o->n_unknowns == before)
		tf_unknown(L, o, v,
			   "subnet_id: not set, so AWS uses the default VPC, "
			   "which the plan does not describe");
}

/* ipv6_address_count and ipv6_addresses of an instance or interface
 * (§2): the first address given, else whether the count asks for any;
 * unset, the subnet's assign_ipv6_address_on_creation decides. */
static void host_ipv6(struct tf_loader *L, const struct tf_val *v,
		      struct model_instance *h)
{
	long n;
	if (tf_long(L, v, "ipv6_address_count", 0, 1000, &n) == TS_KNOWN &&
	    tf_configured(L, v, "ipv6_address_count"))
		h->ipv6 = n ? IPV6_ON : IPV6_NONE;
	struct ydoc_node *list;
	if (tf_get(L, v, "ipv6_addresses", &list) != TS_KNOWN ||
	    !tf_seq_len(list) || !tf_configured(L, v, "ipv6_addresses"))
		return;
	const char *a = tf_text(tf_seq_at(L, list, 0));
	char buf[CIDR6_STRLEN + 8];
	struct cidr6 c;
	if (!a)
		return;
	snprintf(buf, sizeof(buf), "%.*s/128", CIDR6_STRLEN - 1, a);
	if (cidr6_parse(&c, buf)) {
		tf_err(L, v, tf_seq_at(L, list, 0),
		       "ipv6_addresses must hold IPv6 addresses, not '%s'", a);
		return;
	}
	h->ipv6 = IPV6_ON;
	h->has_addr6 = true;
	memcpy(h->addr6, c.addr, 16);
}

void tf_parse_instance(struct tf_loader *L, struct tf_res *r)
{
	struct model_instance *h = &L->m->instances[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	uint32_t before = h->obj.n_unknowns;
	h->subnet =
	    tf_ref_obj(L, &h->obj, &v, "subnet_id", tf_subnet_types, MK_SUBNET);
	need_subnet(L, &h->obj, &v, h->subnet, before);
	uint32_t na, nb;
	before = h->obj.n_unknowns;
	uint32_t *a = tf_ref_objs(L, &h->obj, &v, "vpc_security_group_ids",
				  tf_sg_types, MK_SECURITY_GROUP, &na);
	uint32_t *b = tf_ref_objs(L, &h->obj, &v, "security_groups",
				  tf_sg_types, MK_SECURITY_GROUP, &nb);
	h->groups = merge(L, a, na, b, nb, &h->n_groups);
	if (h->obj.n_unknowns == before && h->subnet != MODEL_NONE)
		default_groups(L, &h->obj, L->m->subnets[h->subnet].vpc,
			       "vpc_security_group_ids", &h->groups,
			       &h->n_groups);
	read_private_ip(L, &v, "private_ip", &h->private_addr);
	/* Unset, the subnet's map_public_ip_on_launch decides. */
	bool pub;
	h->public_ip = -1;
	enum tf_state st = tf_bool(L, &v, "associate_public_ip_address", &pub);
	if (st == TS_KNOWN)
		h->public_ip = pub;
	else if (chosen(L, &v, "associate_public_ip_address", st) == TS_UNKNOWN)
		tf_unknown(L, &h->obj, &v,
			   "associate_public_ip_address: known only after "
			   "apply");
	h->source_dest_check = true;
	tf_flag(L, &h->obj, &v, "source_dest_check", &h->source_dest_check);
	host_ipv6(L, &v, h);
}

void tf_parse_eni(struct tf_loader *L, struct tf_res *r)
{
	struct model_instance *h = &L->m->instances[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	h->is_interface = true;
	uint32_t before = h->obj.n_unknowns;
	h->subnet =
	    tf_ref_obj(L, &h->obj, &v, "subnet_id", tf_subnet_types, MK_SUBNET);
	need_subnet(L, &h->obj, &v, h->subnet, before);
	before = h->obj.n_unknowns;
	h->groups = tf_ref_objs(L, &h->obj, &v, "security_groups", tf_sg_types,
				MK_SECURITY_GROUP, &h->n_groups);
	if (h->obj.n_unknowns == before && h->subnet != MODEL_NONE)
		default_groups(L, &h->obj, L->m->subnets[h->subnet].vpc,
			       "security_groups", &h->groups, &h->n_groups);
	read_private_ip(L, &v, "private_ip", &h->private_addr);
	if (!h->private_addr) {
		struct ydoc_node *ips;
		if (tf_get(L, &v, "private_ips", &ips) == TS_KNOWN &&
		    tf_seq_len(ips) && tf_configured(L, &v, "private_ips")) {
			const char *ip = tf_text(tf_seq_at(L, ips, 0));
			if (ip && addr_parse(&h->private_addr, ip))
				h->private_addr = 0;
		}
	}
	/* AWS assigns public addresses at launch to an instance's first
	 * interface only: a standalone interface has none. */
	h->public_ip = 0;
	h->source_dest_check = true;
	tf_bool(L, &v, "source_dest_check", &h->source_dest_check);
	host_ipv6(L, &v, h);
}

/* aws_eip (instance, network_interface) and aws_eip_association
 * (instance_id, network_interface_id, allocation_id). */
void tf_parse_eip(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	bool assoc = !strcmp(r->type, "aws_eip_association");
	const char *keys[2] = {assoc ? "instance_id" : "instance",
			       assoc ? "network_interface_id"
				     : "network_interface"};
	const char *const *types[2] = {instance_types, eni_types};
	struct tf_res *eip = r;
	if (assoc) {
		char why[384];
		eip =
		    tf_ref(L, &v, "allocation_id", eip_types, why, sizeof(why));
	}
	for (int k = 0; k < 2; k++) {
		struct ydoc_node *n;
		enum tf_state st = tf_get(L, &v, keys[k], &n);
		if (chosen(L, &v, keys[k], st) == TS_ABSENT ||
		    (st == TS_KNOWN && !*(tf_text(n) ? tf_text(n) : "")))
			continue;
		char why[384];
		struct tf_res *t =
		    tf_ref(L, &v, keys[k], types[k], why, sizeof(why));
		uint32_t hi = tf_obj(t, MK_INSTANCE);
		if (hi == MODEL_NONE) {
			if (why[0])
				tf_diag(
				    L, DIAG_WARNING, r->node,
				    "%s is left out of the model: its %s %s",
				    r->addr, keys[k], why);
			continue;
		}
		struct model_instance *h = &L->m->instances[hi];
		h->has_eip = true;
		const char *ip =
		    eip ? tf_text(tf_map_get(L, eip->values, "public_ip"))
			: NULL;
		if (ip && addr_parse(&h->eip, ip))
			h->eip = 0;
	}
}

/* ---- load balancers ----------------------------------------------------- */

void tf_parse_lb(struct tf_loader *L, struct tf_res *r)
{
	struct model_load_balancer *lb = &L->m->lbs[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	enum tf_state st;
	const char *type = tf_str_set(L, &v, "load_balancer_type", &st);
	lb->type =
	    type && !strcmp(type, "network") ? LB_NETWORK : LB_APPLICATION;
	if (type && strcmp(type, "network") && strcmp(type, "application"))
		tf_err(L, &v, tf_map_get(L, r->values, "load_balancer_type"),
		       "load_balancer_type must be application, network or "
		       "gateway, not '%s'",
		       type);
	bool internal = false;
	if (tf_bool(L, &v, "internal", &internal) == TS_UNKNOWN &&
	    tf_configured(L, &v, "internal"))
		tf_unknown(L, &lb->obj, &v, "internal: known only after apply");
	lb->internet_facing = !internal;
	const char *ipt = tf_str_set(L, &v, "ip_address_type", &st);
	lb->dualstack = ipt && !strncmp(ipt, "dualstack", 9);
	uint32_t before = lb->obj.n_unknowns;
	uint32_t na, nb = 0;
	struct ydoc_node *dummy;
	/* subnets is computed from subnet_mapping when that is used. */
	enum tf_state sst = tf_get(L, &v, "subnets", &dummy);
	uint32_t *a = NULL;
	if (chosen(L, &v, "subnets", sst) != TS_ABSENT ||
	    !tf_val_count(L, &v, "subnet_mapping"))
		a = tf_ref_objs(L, &lb->obj, &v, "subnets", tf_subnet_types,
				MK_SUBNET, &na);
	else
		na = 0;
	uint32_t *b = NULL;
	size_t nm = tf_val_count(L, &v, "subnet_mapping");
	for (size_t i = 0; i < nm; i++) {
		struct tf_val e;
		if (!tf_val_block(L, &v, "subnet_mapping", i, true, &e))
			continue;
		uint32_t s = tf_ref_obj(L, &lb->obj, &e, "subnet_id",
					tf_subnet_types, MK_SUBNET);
		if (s != MODEL_NONE)
			tf_push_u32(L, &b, &nb, s);
	}
	lb->subnets = merge(L, a, na, b, nb, &lb->n_subnets);
	bool subnets_unknown = lb->obj.n_unknowns != before;
	before = lb->obj.n_unknowns;
	lb->groups = tf_ref_objs(L, &lb->obj, &v, "security_groups",
				 tf_sg_types, MK_SECURITY_GROUP, &lb->n_groups);
	/* An application load balancer without groups gets the VPC's
	 * default group; a network one may have none. */
	if (lb->type == LB_APPLICATION && !subnets_unknown &&
	    lb->obj.n_unknowns == before)
		default_groups(L, &lb->obj,
			       subnet_vpc(L, lb->subnets, lb->n_subnets),
			       "security_groups", &lb->groups, &lb->n_groups);
	/* Cross-zone: always on for ALB; off by default for NLB. */
	bool cz = false;
	tf_bool(L, &v, "enable_cross_zone_load_balancing", &cz);
	lb->cross_zone = lb->type == LB_APPLICATION || cz;
}

static bool lb_protocol(struct tf_loader *L, const struct tf_val *v,
			const char *key, enum lb_protocol *out)
{
	enum tf_state st;
	const char *s = tf_str_set(L, v, key, &st);
	if (!s)
		return false;
	/* Any case: the AWS provider validates the word ignoring case. */
	if (values_lb_protocol_parse(out, s, true) == 0)
		return true;
	if (strcasecmp(s, "GENEVE"))
		tf_err(L, v, tf_map_get(L, v->val, key),
		       "%s must be " VALUES_LB_PROTOCOL_LIST ", not '%s'", key,
		       s);
	return false;
}

/* The terminal action of a list of action blocks (authenticate-* ones
 * come first and end in one of these). */
static void read_action(struct tf_loader *L, struct model_obj *o,
			const struct tf_val *v, const char *key,
			struct model_lb_action *a, struct ydoc_node *at)
{
	a->kind = LBA_FIXED_RESPONSE;
	a->status_code = 503;
	a->target_group = MODEL_NONE;
	a->redirect_protocol = -1;
	a->loc = tf_loc(L, at);
	size_t n = tf_val_count(L, v, key);
	for (size_t i = 0; i < n; i++) {
		struct tf_val e;
		if (!tf_val_block(L, v, key, i, false, &e))
			continue;
		enum tf_state st;
		const char *type = tf_str_set(L, &e, "type", &st);
		if (!type || !strncmp(type, "authenticate", 12))
			continue;
		a->loc = tf_loc(L, e.val ? e.val : at);
		if (!strcmp(type, "forward")) {
			a->kind = LBA_FORWARD;
			struct ydoc_node *d;
			if (tf_get(L, &e, "target_group_arn", &d) !=
			    TS_ABSENT) {
				a->target_group =
				    tf_ref_obj(L, o, &e, "target_group_arn",
					       tg_types, MK_TARGET_GROUP);
				return;
			}
			struct tf_val f, t;
			if (tf_val_block(L, &e, "forward", 0, false, &f) &&
			    tf_val_block(L, &f, "target_group", 0, true, &t)) {
				if (tf_val_count(L, &f, "target_group") > 1)
					tf_unknown(
					    L, o, &f,
					    "forwards to several target "
					    "groups; vpcsim follows one");
				a->target_group = tf_ref_obj(
				    L, o, &t, "arn", tg_types, MK_TARGET_GROUP);
			}
			return;
		}
		if (!strcmp(type, "redirect")) {
			a->kind = LBA_REDIRECT;
			a->status_code = 301;
			struct tf_val rd;
			if (!tf_val_block(L, &e, "redirect", 0, false, &rd))
				return;
			const char *port = tf_str_set(L, &rd, "port", &st);
			if (port && strcmp(port, "#{port}"))
				a->redirect_port = (uint16_t)atoi(port);
			enum lb_protocol p;
			const char *proto = tf_str_set(L, &rd, "protocol", &st);
			if (proto && strcmp(proto, "#{protocol}") &&
			    lb_protocol(L, &rd, "protocol", &p))
				a->redirect_protocol = (int)p;
			const char *sc = tf_str_set(L, &rd, "status_code", &st);
			if (sc && !strcmp(sc, "HTTP_302"))
				a->status_code = 302;
			return;
		}
		if (!strcmp(type, "fixed-response")) {
			a->kind = LBA_FIXED_RESPONSE;
			a->status_code = 200;
			struct tf_val fr;
			long sc;
			if (tf_val_block(L, &e, "fixed_response", 0, false,
					 &fr) &&
			    tf_long(L, &fr, "status_code", 200, 599, &sc) ==
				TS_KNOWN)
				a->status_code = (uint16_t)sc;
			return;
		}
	}
}

/* The first action of a list of action blocks that is not a forward
 * (its type), or NULL when every known one forwards. */
static const char *non_forward(struct tf_loader *L, const struct tf_val *v,
			       const char *key)
{
	size_t n = tf_val_count(L, v, key);
	for (size_t i = 0; i < n; i++) {
		struct tf_val e;
		enum tf_state st;
		const char *type = tf_val_block(L, v, key, i, false, &e)
				       ? tf_str_set(L, &e, "type", &st)
				       : NULL;
		if (type && strcmp(type, "forward"))
			return type;
	}
	return NULL;
}

void tf_parse_listener(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	struct tf_res *lr =
	    tf_ref(L, &v, "load_balancer_arn", lb_types, why, sizeof(why));
	uint32_t li = tf_obj(lr, MK_LOAD_BALANCER);
	if (li == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its load_balancer_arn %s",
			r->addr,
			why[0] ? why
			       : "names no load balancer of "
				 "the model");
		return;
	}
	struct model_load_balancer *lb = &L->m->lbs[li];
	/* Only an application load balancer answers, redirects or
	 * authenticates: AWS refuses a network one's listener that does,
	 * and Terraform, unlike CloudFormation, keeps what it created
	 * before.  The load balancer is then without that listener. */
	const char *nf = lb->type == LB_APPLICATION
			     ? NULL
			     : non_forward(L, &v, "default_action");
	if (nf) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: a network load "
			"balancer's listener can only forward, and AWS refuses "
			"its %s action (the apply fails there)",
			r->addr, nf);
		return;
	}
	long port;
	enum tf_state st = tf_long(L, &v, "port", 1, 65535, &port);
	if (st != TS_KNOWN) {
		if (st == TS_UNKNOWN)
			tf_unknown(L, &lb->obj, &v,
				   "port: known only after apply; the listener "
				   "is left out");
		else
			tf_err(L, &v, NULL, "port is not set");
		return;
	}
	for (uint32_t i = 0; i < lb->n_listeners; i++)
		if (lb->listeners[i].port == port) {
			tf_err(L, &v, NULL,
			       "load balancer %s has two listeners on port %ld "
			       "(the first at %u:%u)",
			       lb->obj.id, port, lb->listeners[i].loc.line,
			       lb->listeners[i].loc.col);
			return;
		}
	struct model_listener *x =
	    tf_push(&L->m->arena, &lb->listeners, &lb->n_listeners, sizeof(*x));
	x->loc = tf_loc(L, r->node);
	x->port = (uint16_t)port;
	/* The provider's default protocol: HTTP for ALB, TCP for NLB. */
	x->protocol = lb->type == LB_APPLICATION ? LBP_HTTP : LBP_TCP;
	lb_protocol(L, &v, "protocol", &x->protocol);
	bool l7 = x->protocol == LBP_HTTP || x->protocol == LBP_HTTPS;
	if (l7 != (lb->type == LB_APPLICATION))
		tf_err(L, &v, tf_map_get(L, r->values, "protocol"),
		       "%s listeners take %s, not %s",
		       lb->type == LB_APPLICATION ? "application" : "network",
		       lb->type == LB_APPLICATION ? "HTTP or HTTPS"
						  : "TCP, TLS, UDP or TCP_UDP",
		       lb_protocol_name(x->protocol));
	read_action(L, &lb->obj, &v, "default_action", &x->default_action,
		    r->node);
	r->lb = li;
	r->listener = lb->n_listeners - 1;
}

static int rule_cmp(const void *a, const void *b)
{
	const struct model_listener_rule *x = a, *y = b;
	return (x->priority > y->priority) - (x->priority < y->priority);
}

/* The values of a condition: path_pattern { values } (provider 3+) or
 * field = "path-pattern", values (older). */
static void read_condition(struct tf_loader *L, const struct tf_val *c,
			   struct model_listener_rule *lr)
{
	static const struct {
		const char *block, *field;
		bool path;
	} kinds[] = {{"path_pattern", "path-pattern", true},
		     {"host_header", "host-header", false}};
	enum tf_state st;
	const char *field = tf_str_set(L, c, "field", &st);
	for (size_t k = 0; k < ARRAY_LEN(kinds); k++) {
		struct tf_val b;
		const struct tf_val *src = NULL;
		if (tf_val_block(L, c, kinds[k].block, 0, false, &b))
			src = &b;
		else if (field && !strcmp(field, kinds[k].field))
			src = c;
		struct ydoc_node *vals;
		if (!src || tf_get(L, src, "values", &vals) != TS_KNOWN)
			continue;
		for (size_t i = 0; i < tf_seq_len(vals); i++) {
			const char *s = tf_text(tf_seq_at(L, vals, i));
			if (!s)
				continue;
			const char **slot =
			    kinds[k].path
				? tf_push(&L->m->arena, &lr->paths,
					  &lr->n_paths, sizeof(char *))
				: tf_push(&L->m->arena, &lr->hosts,
					  &lr->n_hosts, sizeof(char *));
			*slot = arena_strdup(&L->m->arena, s);
		}
	}
}

void tf_parse_listener_rule(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	struct tf_res *lr =
	    tf_ref(L, &v, "listener_arn", listener_types, why, sizeof(why));
	if (!lr || lr->lb == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its listener_arn %s",
			r->addr,
			why[0] ? why : "names no listener of the model");
		return;
	}
	struct model_load_balancer *lb = &L->m->lbs[lr->lb];
	struct model_listener *li = &lb->listeners[lr->listener];
	long prio;
	enum tf_state st = tf_long(L, &v, "priority", 1, 50000, &prio);
	if (st != TS_KNOWN) {
		/* Unset, AWS gives the next free priority at apply. */
		tf_unknown(L, &lb->obj, &v,
			   "priority: known only after apply; the rule is left "
			   "out");
		return;
	}
	for (uint32_t i = 0; i < li->n_rules; i++)
		if (li->rules[i].priority == (uint32_t)prio) {
			tf_err(
			    L, &v, NULL,
			    "listener %u of %s has two rules of priority %ld",
			    li->port, lb->obj.id, prio);
			return;
		}
	struct model_listener_rule *x =
	    tf_push(&L->m->arena, &li->rules, &li->n_rules, sizeof(*x));
	x->loc = tf_loc(L, r->node);
	x->priority = (uint32_t)prio;
	size_t nc = tf_val_count(L, &v, "condition");
	for (size_t i = 0; i < nc; i++) {
		struct tf_val c;
		if (tf_val_block(L, &v, "condition", i, true, &c))
			read_condition(L, &c, x);
	}
	read_action(L, &lb->obj, &v, "action", &x->action, r->node);
	qsort(li->rules, li->n_rules, sizeof(*li->rules), rule_cmp);
}

void tf_parse_tg(struct tf_loader *L, struct tf_res *r)
{
	struct model_target_group *tg = &L->m->target_groups[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	struct tf_res *vr =
	    tf_ref(L, &v, "vpc_id", tf_vpc_types, why, sizeof(why));
	/* Unknown, the load balancer that forwards to it tells. */
	tg->vpc = tf_obj(vr, MK_VPC);
	enum tf_state st;
	const char *tt = tf_str_set(L, &v, "target_type", &st);
	tg->target_type = !tt || !strcmp(tt, "instance") ? TT_INSTANCE
			  : !strcmp(tt, "ip")		 ? TT_IP
							 : TT_LAMBDA;
	tg->protocol = LBP_HTTP;
	lb_protocol(L, &v, "protocol", &tg->protocol);
	long port;
	if (tf_long(L, &v, "port", 1, 65535, &port) == TS_KNOWN)
		tg->port = (uint16_t)port;
	else if (tg->target_type != TT_LAMBDA)
		tf_unknown(L, &tg->obj, &v, "port: not known");
	tg->health_check_protocol = tg->protocol;
	struct tf_val h;
	if (tf_val_block(L, &v, "health_check", 0, false, &h)) {
		const char *hp = tf_str_set(L, &h, "port", &st);
		if (hp && strcmp(hp, "traffic-port")) {
			long x = atol(hp);
			if (x >= 1 && x <= 65535)
				tg->health_check_port = (uint16_t)x;
		}
		lb_protocol(L, &h, "protocol", &tg->health_check_protocol);
		const char *path = tf_str_set(L, &h, "path", &st);
		if (path)
			tg->health_check_path =
			    arena_strdup(&L->m->arena, path);
	}
	/* Client IP preservation defaults (ELB guide): on for instance
	 * targets and for UDP and TCP_UDP ip targets, off otherwise. */
	tg->preserve_client_ip = tg->target_type == TT_INSTANCE ||
				 tg->protocol == LBP_UDP ||
				 tg->protocol == LBP_TCP_UDP;
	tf_bool(L, &v, "preserve_client_ip", &tg->preserve_client_ip);
}

void tf_parse_tg_attachment(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	struct tf_res *gr =
	    tf_ref(L, &v, "target_group_arn", tg_types, why, sizeof(why));
	uint32_t gi = tf_obj(gr, MK_TARGET_GROUP);
	if (gi == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its target_group_arn %s",
			r->addr,
			why[0] ? why : "names no target group of the model");
		return;
	}
	struct model_target_group *tg = &L->m->target_groups[gi];
	if (tg->target_type == TT_LAMBDA)
		return;
	struct model_tg_target t = {0};
	t.loc = tf_loc(L, r->node);
	t.instance = MODEL_NONE;
	long port;
	if (tf_long(L, &v, "port", 1, 65535, &port) == TS_KNOWN)
		t.port = (uint16_t)port;
	enum tf_state st;
	const char *id = tf_str_set(L, &v, "target_id", &st);
	struct tf_res *h = NULL;
	if (id && !addr_parse(&t.addr, id)) {
		/* an ip target */
	} else {
		h = id ? tf_ref_text(L, id, "target_id", instance_types, why,
				     sizeof(why))
		       : tf_ref(L, &v, "target_id", instance_types, why,
				sizeof(why));
		t.instance = tf_obj(h, MK_INSTANCE);
		if (t.instance == MODEL_NONE) {
			tf_unknown(L, &tg->obj, &v, "target_id: %s",
				   h ? "names an instance that is left out"
				     : why);
			return;
		}
	}
	if (tg->target_type == TT_IP && t.instance != MODEL_NONE) {
		/* target_id = aws_instance.x.private_ip: the instance's
		 * address, when it is known. */
		const char *ip =
		    tf_text(tf_map_get(L, h->values, "private_ip"));
		if (!ip || addr_parse(&t.addr, ip)) {
			tf_unknown(L, &tg->obj, &v,
				   "target_id: the address of %s is known only "
				   "after apply",
				   h->addr);
			return;
		}
		t.instance = MODEL_NONE;
	} else if (tg->target_type == TT_INSTANCE && t.instance == MODEL_NONE) {
		tf_err(L, &v, NULL,
		       "target group %s has target_type instance; register an "
		       "instance, not an ip",
		       tg->obj.id);
		return;
	}
	*(struct model_tg_target *)tf_push(&L->m->arena, &tg->targets,
					   &tg->n_targets, sizeof(t)) = t;
}

/* ---- ECS ---------------------------------------------------------------- */

/* A port written in digits only (atol would read "80abc" as 80): its
 * value, 65536 when it is no port, 0 when absent. */
static long digits(const char *s)
{
	long x = 0;
	for (const char *c = s; c && *c && x <= 65535; c++)
		x = *c >= '0' && *c <= '9' ? x * 10 + (*c - '0') : 65536;
	return x;
}

/* Container definitions: a JSON document in a string, which libyaml
 * reads as YAML. */
static void read_containers(struct tf_loader *L,
			    struct model_task_definition *td,
			    const struct tf_val *v, struct ydoc_node *at,
			    const char *json)
{
	yaml_parser_t p;
	struct ydoc d;
	if (!yaml_parser_initialize(&p))
		die_oom();
	yaml_parser_set_input_string(&p, (const unsigned char *)json,
				     strlen(json));
	if (!ydoc_compose(&p, &d, NULL)) {
		if (p.error == YAML_MEMORY_ERROR)
			die_oom();
		tf_err(L, v, at,
		       "container_definitions is not valid JSON: %s at "
		       "character %zu of the string",
		       p.problem ? p.problem : "error",
		       (size_t)p.problem_mark.index + 1);
		yaml_parser_delete(&p);
		return;
	}
	struct tf_loader sub = *L;
	sub.doc = &d;
	struct ydoc_node *root = ydoc_root(&d);
	if (!root || root->type != YAML_SEQUENCE_NODE) {
		tf_err(L, v, at,
		       "container_definitions must be a JSON array of "
		       "containers");
		goto out;
	}
	for (size_t i = 0; i < tf_seq_len(root); i++) {
		struct ydoc_node *c = tf_seq_at(&sub, root, i);
		const char *name = tf_text(tf_map_get(&sub, c, "name"));
		if (!name) {
			tf_err(L, v, at,
			       "container %zu of container_definitions has no "
			       "name",
			       i + 1);
			continue;
		}
		struct model_container *mc =
		    tf_push(&L->m->arena, &td->containers, &td->n_containers,
			    sizeof(*mc));
		mc->name = arena_strdup(&L->m->arena, name);
		struct ydoc_node *pms = tf_map_get(&sub, c, "portMappings");
		for (size_t k = 0; k < tf_seq_len(pms); k++) {
			struct ydoc_node *pm = tf_seq_at(&sub, pms, k);
			const char *port =
			    tf_text(tf_map_get(&sub, pm, "containerPort"));
			const char *proto =
			    tf_text(tf_map_get(&sub, pm, "protocol"));
			long x = digits(port);
			if (x < 1 || x > 65535) {
				tf_err(
				    L, v, at,
				    "container %s: containerPort %s is not a "
				    "port",
				    name, port ? port : "(none)");
				continue;
			}
			struct model_port_mapping *m = tf_push(
			    &L->m->arena, &mc->ports, &mc->n_ports, sizeof(*m));
			m->port = (uint16_t)x;
			m->proto = values_ecs_mapping_proto(proto);
			/* bridge: hostPort, absent or 0 a dynamic one; host:
			 * the container port (awsvpc: the task's own). */
			if (!strcmp(td->network_mode, "host"))
				m->host_port = m->port;
			else if (!strcmp(td->network_mode, "bridge")) {
				long hp = digits(
				    tf_text(tf_map_get(&sub, pm, "hostPort")));
				if (hp > 65535)
					tf_err(L, v, at,
					       "container %s: hostPort is not "
					       "a port",
					       name);
				else
					m->host_port = (uint16_t)hp;
			}
		}
	}
out:
	ydoc_free(&d);
	yaml_parser_delete(&p);
}

void tf_parse_task_definition(struct tf_loader *L, struct tf_res *r)
{
	struct model_task_definition *td = &L->m->task_definitions[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	enum tf_state st;
	/* ECS's default network mode on Linux instances is bridge. */
	const char *mode = tf_str_set(L, &v, "network_mode", &st);
	td->network_mode = arena_strdup(&L->m->arena, mode ? mode : "bridge");
	const char *cd = tf_str_set(L, &v, "container_definitions", &st);
	if (cd) {
		read_containers(
		    L, td, &v,
		    tf_map_get(L, r->values, "container_definitions"), cd);
	} else if (st == TS_UNKNOWN) {
		r->containers_unknown = true;
		tf_unknown(L, &td->obj, &v,
			   "container_definitions: known only after apply; "
			   "the container ports are taken from the services' "
			   "load_balancer blocks");
	}
}

/* network_configuration: the tasks' subnets, groups and public IP. */
static void service_network(struct tf_loader *L, struct model_service *s,
			    const struct tf_val *v)
{
	struct tf_val nc;
	if (!tf_val_block(L, v, "network_configuration", 0, false, &nc)) {
		tf_unknown(L, &s->obj, v,
			   "network_configuration: not set, but awsvpc tasks "
			   "need their subnets: ECS refuses the service");
		return;
	}
	uint32_t before = s->obj.n_unknowns;
	s->subnets = tf_ref_objs(L, &s->obj, &nc, "subnets", tf_subnet_types,
				 MK_SUBNET, &s->n_subnets);
	bool subs_unknown = s->obj.n_unknowns != before;
	before = s->obj.n_unknowns;
	s->groups = tf_ref_objs(L, &s->obj, &nc, "security_groups", tf_sg_types,
				MK_SECURITY_GROUP, &s->n_groups);
	if (!subs_unknown && s->obj.n_unknowns == before)
		default_groups(L, &s->obj,
			       subnet_vpc(L, s->subnets, s->n_subnets),
			       "security_groups", &s->groups, &s->n_groups);
	tf_flag(L, &s->obj, &nc, "assign_public_ip", &s->assign_public_ip);
}

/* A task definition whose containers are known only after apply: ECS
 * accepts a binding only to a port its container maps, so the binding
 * tells the mapping. */
static void binding_maps_port(struct tf_loader *L,
			      struct model_task_definition *td,
			      const struct model_lb_binding *b)
{
	struct model_container *c = NULL;
	for (uint32_t k = 0; k < td->n_containers; k++)
		if (!strcmp(td->containers[k].name, b->container))
			c = &td->containers[k];
	if (!c) {
		c = tf_push(&L->m->arena, &td->containers, &td->n_containers,
			    sizeof(*c));
		c->name = b->container;
	}
	for (uint32_t k = 0; k < c->n_ports; k++)
		if (c->ports[k].port == b->port)
			return;
	*(struct model_port_mapping *)tf_push(
	    &L->m->arena, &c->ports, &c->n_ports,
	    sizeof(struct model_port_mapping)) =
	    (struct model_port_mapping){.port = b->port, .proto = PROTO_TCP};
}

/* A known task definition must map the binding's port (in its container,
 * when the binding names one). */
static void binding_check_port(struct tf_loader *L,
			       const struct model_task_definition *td,
			       const struct tf_val *e,
			       const struct model_lb_binding *b)
{
	for (uint32_t k = 0; k < td->n_containers; k++) {
		const struct model_container *c = &td->containers[k];
		if (b->container && strcmp(c->name, b->container))
			continue;
		for (uint32_t p = 0; p < c->n_ports; p++)
			if (c->ports[p].port == b->port)
				return;
	}
	tf_err(L, e, NULL, "task definition %s maps no container port %u%s%s",
	       td->obj.id, b->port, b->container ? " in container " : "",
	       b->container ? b->container : "");
}

/* One load_balancer block e of service s (r), whose task definition is
 * td (tr), or NULL. */
static void read_binding(struct tf_loader *L, struct model_service *s,
			 struct tf_res *r, const struct tf_val *e,
			 struct model_task_definition *td,
			 const struct tf_res *tr)
{
	enum tf_state st;
	struct model_lb_binding b = {0};
	b.loc = tf_loc(L, e->val ? e->val : r->node);
	b.target_group = b.classic_lb = MODEL_NONE;
	/* elb_name: a classic load balancer, whose listener on the tasks'
	 * host port model_finish binds them to. */
	const char *elb = tf_str_set(L, e, "elb_name", &st);
	b.classic =
	    elb || (st == TS_UNKNOWN && tf_configured(L, e, "elb_name"));
	if (b.classic)
		b.classic_lb = tf_ref_obj(L, &s->obj, e, "elb_name", elb_types,
					  MK_LOAD_BALANCER);
	else
		b.target_group = tf_ref_obj(L, &s->obj, e, "target_group_arn",
					    tg_types, MK_TARGET_GROUP);
	const char *cn = tf_str_set(L, e, "container_name", &st);
	b.container = cn ? arena_strdup(&L->m->arena, cn) : NULL;
	long port;
	if (tf_long(L, e, "container_port", 1, 65535, &port) != TS_KNOWN ||
	    (b.classic ? b.classic_lb : b.target_group) == MODEL_NONE)
		return;
	b.port = (uint16_t)port;
	if (td && tr->containers_unknown && b.container)
		binding_maps_port(L, td, &b);
	else if (td)
		binding_check_port(L, td, e, &b);
	*(struct model_lb_binding *)tf_push(&L->m->arena, &s->bindings,
					    &s->n_bindings, sizeof(b)) = b;
}

void tf_parse_service(struct tf_loader *L, struct tf_res *r)
{
	struct model_service *s = &L->m->services[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	s->cluster = tf_ecs_cluster_name(L, &v, "cluster");
	char why[384];
	struct tf_res *tr =
	    tf_ref(L, &v, "task_definition", td_types, why, sizeof(why));
	s->task_definition = tf_obj(tr, MK_TASK_DEFINITION);
	if (s->task_definition == MODEL_NONE)
		tf_unknown(L, &s->obj, &v, "task_definition: %s",
			   why[0] ? why : "not in the model");
	long dc = 0;
	/* The provider's default desired_count is 0. */
	if (tf_long(L, &v, "desired_count", 0, 100000, &dc) == TS_UNKNOWN &&
	    tf_configured(L, &v, "desired_count"))
		tf_unknown(L, &s->obj, &v,
			   "desired_count: known only after "
			   "apply");
	s->desired_count = (uint32_t)dc;
	struct model_task_definition *td =
	    s->task_definition == MODEL_NONE
		? NULL
		: &L->m->task_definitions[s->task_definition];
	/* On EC2: launch type EC2, a capacity provider other than
	 * Fargate's, or tasks that are not awsvpc (Fargate runs awsvpc
	 * only), as CloudFormation's loader reads it.  bridge and host
	 * tasks have no network configuration of their own. */
	enum tf_state st;
	const char *lt = tf_str_set(L, &v, "launch_type", &st);
	const char *cp0 = NULL;
	struct tf_val cp;
	bool cps =
	    tf_val_block(L, &v, "capacity_provider_strategy", 0, true, &cp);
	if (cps)
		cp0 = tf_str_set(L, &cp, "capacity_provider", &st);
	bool awsvpc = !td || !strcmp(td->network_mode, "awsvpc");
	s->on_ec2 = (lt && !strcmp(lt, "EC2")) || !awsvpc ||
		    (cps && (!cp0 || strncmp(cp0, "FARGATE", 7)));
	if (awsvpc)
		service_network(L, s, &v);
	size_t nlb = tf_val_count(L, &v, "load_balancer");
	for (size_t i = 0; i < nlb; i++) {
		struct tf_val e;
		if (tf_val_block(L, &v, "load_balancer", i, true, &e))
			read_binding(L, s, r, &e, td, tr);
	}
}

/* ---- RDS ------------------------------------------------------------ */

/* The family of an engine: Aurora's start with "aurora". */
static enum db_family engine_family(const char *engine)
{
	return engine && !strncmp(engine, "aurora", 6) ? DBF_AURORA : DBF_RDS;
}

/*
 * The subnets of the DB subnet group named by key of v.  False when v
 * names none: without one, RDS puts the database in the region's
 * default VPC (or, for a replica or cluster member, with its source).
 * What is unknown is recorded on d (and counts as named).
 */
static bool db_subnets(struct tf_loader *L, struct model_database *d,
		       const struct tf_val *v, const char *key)
{
	char why[384];
	enum tf_state st;
	const char *name = tf_str_set(L, v, key, &st);
	struct tf_res *g =
	    name ? tf_ref_text(L, name, key, dbsg_types, why, sizeof(why))
		 : tf_ref(L, v, key, dbsg_types, why, sizeof(why));
	if (!g) {
		if (why[0])
			tf_unknown(L, &d->obj, v, "%s: %s", key, why);
		return why[0] != '\0';
	}
	struct tf_val gv;
	tf_val_top(&gv, g);
	d->subnets = tf_ref_objs(L, &d->obj, &gv, "subnet_ids", tf_subnet_types,
				 MK_SUBNET, &d->n_subnets);
	return true;
}

static void db_common(struct tf_loader *L, struct model_database *d,
		      const struct tf_val *v)
{
	enum tf_state st;
	const char *az = tf_str_set(L, v, "availability_zone", &st);
	/* Unset, AWS picks the zone: any subnet of the group. */
	if (az && tf_configured(L, v, "availability_zone"))
		d->az = arena_strdup(&L->m->arena, az);
	/* The provider's default is false, and it always says so to RDS:
	 * unlike CloudFormation's, a database without a subnet group is
	 * not made public. */
	tf_flag(L, &d->obj, v, "publicly_accessible", &d->publicly_accessible);
	const char *nt = tf_str_set(L, v, "network_type", &st);
	d->dualstack = nt && !strcmp(nt, "DUAL");
}

static void db_port(struct tf_loader *L, struct model_database *d,
		    const struct tf_val *v)
{
	long port;
	enum tf_state st = tf_long(L, v, "port", 1, 65535, &port);
	if (st == TS_KNOWN)
		d->port = (uint16_t)port;
	else if (chosen(L, v, "port", st) == TS_UNKNOWN)
		tf_unknown(L, &d->obj, v, "port: known only after apply");
	/* else 0: model_finish takes the engine's default port */
	if (d->engine && !d->port && !model_engine_port(d->engine))
		tf_unknown(L, &d->obj, v,
			   "port: engine %s has no default port vpcsim knows",
			   d->engine);
}

/* The groups of a database or cluster that names them, else its VPC's
 * default group (AWS's). */
static void db_groups(struct tf_loader *L, struct model_database *d,
		      const struct tf_val *v)
{
	uint32_t before = d->obj.n_unknowns;
	d->groups = tf_ref_objs(L, &d->obj, v, "vpc_security_group_ids",
				tf_sg_types, MK_SECURITY_GROUP, &d->n_groups);
	if (d->obj.n_unknowns == before && !d->n_groups && d->n_subnets)
		default_groups(
		    L, &d->obj, subnet_vpc(L, d->subnets, d->n_subnets),
		    "vpc_security_group_ids", &d->groups, &d->n_groups);
}

void tf_parse_db(struct tf_loader *L, struct tf_res *r)
{
	struct model_database *d = &L->m->databases[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	d->replica_of = MODEL_NONE;
	enum tf_state st;
	const char *src = tf_str_set(L, &v, "replicate_source_db", &st);
	bool replica = src || st == TS_UNKNOWN;
	if (replica) {
		struct tf_res *sr =
		    src ? tf_ref_text(L, src, "replicate_source_db", db_types,
				      why, sizeof(why))
			: tf_ref(L, &v, "replicate_source_db", db_types, why,
				 sizeof(why));
		d->replica_of = tf_obj(sr, MK_DATABASE);
		if (d->replica_of == MODEL_NONE)
			tf_unknown(L, &d->obj, &v, "replicate_source_db: %s",
				   why[0] ? why : "not in the model");
	}
	const char *engine = tf_str_set(L, &v, "engine", &st);
	if (engine)
		d->engine = arena_strdup(&L->m->arena, engine);
	d->family = engine_family(d->engine);
	db_port(L, d, &v);
	/* Without a subnet group: the region's default VPC, kept and
	 * reported (VS024); a replica in the same region follows its
	 * source instead. */
	if (!db_subnets(L, d, &v, "db_subnet_group_name") && !replica)
		d->default_vpc = true;
	uint32_t before = d->obj.n_unknowns;
	db_groups(L, d, &v);
	if (d->obj.n_unknowns == before && !d->n_groups && !d->n_subnets &&
	    replica)
		tf_unknown(L, &d->obj, &v,
			   "vpc_security_group_ids: not set, so AWS gives the "
			   "replica its VPC's default group; vpcsim takes the "
			   "source's groups");
	db_common(L, d, &v);
	tf_bool(L, &v, "multi_az", &d->multi_az);
}

/*
 * An RDS cluster, Aurora or Multi-AZ: a database of its own (its
 * endpoint), whose instances (aws_rds_cluster_instance) are its members
 * and take its port, subnets and groups (model_finish), as
 * CloudFormation's DBCluster.
 */
void tf_parse_rds_cluster(struct tf_loader *L, struct tf_res *r)
{
	struct model_database *d = &L->m->databases[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	d->replica_of = MODEL_NONE;
	enum tf_state st;
	const char *engine = tf_str_set(L, &v, "engine", &st);
	/* Older providers defaulted the engine to aurora (MySQL 5.6). */
	d->engine = arena_strdup(&L->m->arena, engine ? engine : "aurora");
	d->family = engine_family(d->engine);
	db_port(L, d, &v);
	if (!db_subnets(L, d, &v, "db_subnet_group_name"))
		d->default_vpc = true;
	db_groups(L, d, &v);
	tf_flag(L, &d->obj, &v, "publicly_accessible", &d->publicly_accessible);
}

void tf_parse_cluster_instance(struct tf_loader *L, struct tf_res *r)
{
	struct model_database *d = &L->m->databases[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	d->replica_of = MODEL_NONE;
	enum tf_state st;
	const char *id = tf_str_set(L, &v, "cluster_identifier", &st);
	struct tf_res *cr = id ? tf_ref_text(L, id, "cluster_identifier",
					     rds_types, why, sizeof(why))
			       : tf_ref(L, &v, "cluster_identifier", rds_types,
					why, sizeof(why));
	const char *engine = tf_str_set(L, &v, "engine", &st);
	if (engine)
		d->engine = arena_strdup(&L->m->arena, engine);
	db_common(L, d, &v);
	d->replica_of = tf_obj(cr, MK_DATABASE);
	if (d->replica_of == MODEL_NONE) {
		tf_unknown(L, &d->obj, &v, "cluster_identifier: %s",
			   cr	    ? "names a cluster that is left out"
			   : why[0] ? why
				    : "not set");
		d->family = engine_family(d->engine);
		return;
	}
	/* A member: engine, port, subnets and groups are the cluster's
	 * unless it says (model_finish).  Its own subnet group, when the
	 * plan knows it, is the cluster's. */
	struct model_database *c = &L->m->databases[d->replica_of];
	d->family = engine_family(d->engine ? d->engine : c->engine);
	struct ydoc_node *dummy;
	if (tf_get(L, &v, "db_subnet_group_name", &dummy) == TS_KNOWN)
		db_subnets(L, d, &v, "db_subnet_group_name");
	/* The cluster answers publicly when a member does, unless it
	 * says otherwise itself. */
	struct tf_val cv;
	tf_val_top(&cv, cr);
	if (d->publicly_accessible &&
	    !tf_configured(L, &cv, "publicly_accessible"))
		c->publicly_accessible = true;
}
