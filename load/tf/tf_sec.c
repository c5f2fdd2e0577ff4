/*
 * Security groups and network ACLs of a Terraform plan, with their inline
 * rules and the standalone rule and association resources.
 *
 * Terraform's defaults are not AWS's: the provider deletes the allow-all
 * egress rule AWS gives a new group, so a group's rules are exactly its
 * inline blocks plus the rule resources that name it; the default group
 * and default ACL resources take over their object and keep only what the
 * configuration lists.  One inline block becomes one model rule per peer
 * (each CIDR, group and prefix list it names), numbered in that order
 * within its direction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "load/tf/tf_plan.h"
#include "model/model_impl.h"
#include "model/values.h"

static const char *const nacl_types[] = {"aws_network_acl",
					 "aws_default_network_acl", NULL};

/* ---- rule matches ---------------------------------------------------- */

/* A protocol as the EC2 API takes it: a name or a number; "-1" and "all"
 * are every protocol.  Unknown until apply, the rule is left out and o
 * says so. */
static bool read_proto(struct tf_loader *L, struct model_obj *o,
		       const struct tf_val *v, const char *key,
		       struct model_match *m)
{
	m->port_lo = 0;
	m->port_hi = 65535;
	m->icmp_type = m->icmp_code = -1;
	struct ydoc_node *n;
	enum tf_state st = tf_get(L, v, key, &n);
	if (st != TS_KNOWN) {
		if (st == TS_ABSENT)
			tf_err(L, v, NULL, "%s is not set", key);
		else
			tf_unknown(L, o, v,
				   "%s: known only after apply; the rule is "
				   "left out",
				   key);
		return false;
	}
	const char *s = tf_text(n);
	if (!s) {
		tf_err(L, v, n, "%s must be a string, not %s", key,
		       tf_json_type(n));
		return false;
	}
	if (values_rule_proto(m, s, &values_ec2_protos) < 0) {
		tf_err(L, v, n,
		       "unknown %s '%s' (expected tcp, udp, icmp, "
		       "icmpv6, -1 or a number 0-255)",
		       key, s);
		return false;
	}
	return true;
}

/*
 * Ports of a rule whose protocol is set: from..to for tcp and udp, ICMP
 * type and code (-1: any) for icmp.  Other protocols have no ports.
 */
static bool read_ports(struct tf_loader *L, const struct tf_val *v,
		       const char *from, const char *to, struct model_match *m)
{
	long lo = -1, hi = -1;
	bool ported = m->proto == PROTO_TCP || m->proto == PROTO_UDP;
	bool icmp = m->proto == PROTO_ICMP || m->proto == PROTO_ICMPV6;
	if (!ported && !icmp)
		return true;
	size_t errors = L->diags->n_errors;
	enum tf_state a = tf_long(L, v, from, -1, 65535, &lo);
	enum tf_state b = tf_long(L, v, to, -1, 65535, &hi);
	if (a == TS_UNKNOWN || b == TS_UNKNOWN)
		return false;
	if (L->diags->n_errors != errors)
		return false; /* a value of the wrong type, reported */
	if (icmp) {
		m->icmp_type = (int16_t)(a == TS_KNOWN && lo <= 255 ? lo : -1);
		m->icmp_code = (int16_t)(b == TS_KNOWN && hi <= 255 ? hi : -1);
		return true;
	}
	if (a != TS_KNOWN || b != TS_KNOWN) {
		tf_err(L, v, NULL, "%s and %s are needed for %s", from, to,
		       proto_name(m->proto));
		return false;
	}
	if (lo == -1 && hi == -1) {
		lo = 0; /* -1 to -1: every port */
		hi = 65535;
	}
	if (lo < 0 || hi < 0 || lo > hi) {
		tf_err(L, v, NULL, "port range %ld-%ld is not valid", lo, hi);
		return false;
	}
	m->port_lo = (uint16_t)lo;
	m->port_hi = (uint16_t)hi;
	return true;
}

/* ---- security groups -------------------------------------------------- */

static bool same_sg_rule(const struct model_sg_rule *a,
			 const struct model_sg_rule *b)
{
	if (memcmp(&a->match, &b->match, sizeof(a->match)) ||
	    a->peer_kind != b->peer_kind)
		return false;
	switch (a->peer_kind) {
	case PEER_CIDR:
		return a->cidr.addr == b->cidr.addr &&
		       a->cidr.len == b->cidr.len;
	case PEER_CIDR6:
		return a->cidr6.len == b->cidr6.len &&
		       !memcmp(a->cidr6.addr, b->cidr6.addr, 16);
	default:
		return a->peer == b->peer;
	}
}

/* A hash of what same_sg_rule compares. */
static size_t sg_rule_hash(uint32_t group, bool ingress,
			   const struct model_sg_rule *r)
{
	uint64_t h = 1469598103934665603u;
#define MIX(x) (h = (h ^ (uint64_t)(x)) * 1099511628211u)
	MIX(group);
	MIX(ingress);
	MIX(r->match.proto);
	MIX(r->match.proto_number);
	MIX(r->match.port_lo);
	MIX(r->match.port_hi);
	MIX((uint16_t)r->match.icmp_type);
	MIX((uint16_t)r->match.icmp_code);
	MIX(r->peer_kind);
	switch (r->peer_kind) {
	case PEER_CIDR:
		MIX(r->cidr.addr);
		MIX(r->cidr.len);
		break;
	case PEER_CIDR6:
		for (int i = 0; i < 16; i++)
			MIX(r->cidr6.addr[i]);
		MIX(r->cidr6.len);
		break;
	default:
		MIX(r->peer);
		break;
	}
#undef MIX
	return (size_t)(h ^ h >> 32);
}

/* Appends a rule; an existing group lists its standalone rules inline
 * too, so a rule already there is not added twice.  The rules added are
 * in a hash set (struct tf_loader), so a group of thousands of rules
 * costs no square. */
static void add_sg_rule(struct tf_loader *L, struct model_security_group *g,
			bool ingress, const struct model_sg_rule *r)
{
	struct model_sg_rule **arr = ingress ? &g->ingress : &g->egress;
	uint32_t *n = ingress ? &g->n_ingress : &g->n_egress;
	if (2 * (L->rule_n + 1) > L->rule_cap) {
		size_t cap = L->rule_cap ? 2 * L->rule_cap : 256;
		struct tf_rule_slot *fresh = xcalloc(cap, sizeof(*fresh));
		for (size_t i = 0; i < L->rule_cap; i++) {
			struct tf_rule_slot *o = &L->rule_set[i];
			if (!o->group)
				continue;
			struct model_security_group *og =
			    &L->m->groups[o->group - 1];
			const struct model_sg_rule * or
			    = &(o->ingress ? og->ingress : og->egress)[o->rule];
			size_t j = sg_rule_hash(o->group - 1, o->ingress, or) &
				   (cap - 1);
			while (fresh[j].group)
				j = (j + 1) & (cap - 1);
			fresh[j] = *o;
		}
		free(L->rule_set);
		L->rule_set = fresh;
		L->rule_cap = cap;
	}
	uint32_t gi = g->obj.index;
	size_t j = sg_rule_hash(gi, ingress, r) & (L->rule_cap - 1);
	for (; L->rule_set[j].group; j = (j + 1) & (L->rule_cap - 1)) {
		struct tf_rule_slot *o = &L->rule_set[j];
		if (o->group == gi + 1 && o->ingress == ingress &&
		    same_sg_rule(&(*arr)[o->rule], r))
			return;
	}
	L->rule_set[j] = (struct tf_rule_slot){gi + 1, *n, ingress};
	L->rule_n++;
	struct model_sg_rule *slot =
	    tf_push(&L->m->arena, arr, n, sizeof(*slot));
	*slot = *r;
	slot->number = *n;
}

/* The peers of one rule: every CIDR, group and prefix list its keys
 * name, each a rule of its own. */
struct peer_keys {
	const char *cidrs, *cidrs6, *lists, *groups, *self;
};

static void add_peer_rules(struct tf_loader *L, struct model_security_group *g,
			   bool ingress, const struct tf_val *v,
			   const struct model_sg_rule *proto,
			   const struct peer_keys *k)
{
	uint32_t added = 0;
	bool unknown = false;
	struct model_sg_rule r = *proto;
	const char *keys[2] = {k->cidrs, k->cidrs6};
	for (int six = 0; six < 2; six++) {
		if (!keys[six])
			continue;
		struct ydoc_node *n;
		enum tf_state st = tf_get(L, v, keys[six], &n);
		if (st == TS_UNKNOWN) {
			tf_unknown(L, &g->obj, v, "%s: known only after apply",
				   keys[six]);
			unknown = true;
			continue;
		}
		if (st != TS_KNOWN)
			continue;
		size_t len = n->type == YAML_SEQUENCE_NODE ? tf_seq_len(n) : 1;
		if (len > MODEL_MAX_CIDRS) {
			tf_err(L, v, n,
			       "%s has %zu CIDR blocks: more than the limit "
			       "of %u",
			       keys[six], len, (unsigned)MODEL_MAX_CIDRS);
			unknown = true; /* reported: no "names no source" */
			continue;
		}
		for (size_t i = 0; i < len; i++) {
			struct ydoc_node *e = n->type == YAML_SEQUENCE_NODE
						  ? tf_seq_at(L, n, i)
						  : n;
			const char *s = tf_text(e);
			if (!s) {
				if (tf_is_null(e)) {
					tf_unknown(L, &g->obj, v,
						   "%s: known only after apply",
						   keys[six]);
					unknown = true;
				} else {
					tf_err(L, v, e, "%s must hold strings",
					       keys[six]);
				}
				continue;
			}
			if (!*s)
				continue;
			r.peer = MODEL_NONE;
			if (six ? !tf_cidr6(L, v, e, s, &r.cidr6)
				: !tf_cidr(L, v, e, s, &r.cidr))
				continue;
			r.peer_kind = six ? PEER_CIDR6 : PEER_CIDR;
			add_sg_rule(L, g, ingress, &r);
			added++;
		}
	}
	memset(&r.cidr, 0, sizeof(r.cidr));
	memset(&r.cidr6, 0, sizeof(r.cidr6));
	uint32_t n, before = g->obj.n_unknowns;
	if (k->groups) {
		uint32_t *gs = tf_ref_objs(L, &g->obj, v, k->groups,
					   tf_sg_types, MK_SECURITY_GROUP, &n);
		for (uint32_t i = 0; i < n; i++) {
			r.peer_kind = PEER_GROUP;
			r.peer = gs[i];
			add_sg_rule(L, g, ingress, &r);
			added++;
		}
	}
	if (k->lists) {
		uint32_t *ps = tf_ref_objs(L, &g->obj, v, k->lists, tf_pl_types,
					   MK_PREFIX_LIST, &n);
		for (uint32_t i = 0; i < n; i++) {
			r.peer_kind = PEER_PREFIX_LIST;
			r.peer = ps[i];
			add_sg_rule(L, g, ingress, &r);
			added++;
		}
	}
	unknown |= g->obj.n_unknowns != before;
	bool self = false;
	if (k->self && tf_bool(L, v, k->self, &self) == TS_KNOWN && self) {
		r.peer_kind = PEER_GROUP;
		r.peer = g->obj.index;
		add_sg_rule(L, g, ingress, &r);
		added++;
	}
	if (!added && !unknown)
		tf_err(L, v, NULL, "the rule names no %s",
		       ingress ? "source" : "destination");
}

static const struct peer_keys inline_keys = {"cidr_blocks", "ipv6_cidr_blocks",
					     "prefix_list_ids",
					     "security_groups", "self"};

/* The inline rules of one direction. */
static void read_sg_blocks(struct tf_loader *L, struct model_security_group *g,
			   const struct tf_val *v, bool ingress)
{
	const char *key = ingress ? "ingress" : "egress";
	struct ydoc_node *n;
	if (tf_get(L, v, key, &n) == TS_UNKNOWN) {
		/* Unset, the provider computes the list from AWS: then the
		 * group has what rule resources give it. */
		if (tf_configured(L, v, key) && !v->cfg1)
			tf_unknown(L, &g->obj, v,
				   "%s: known only after apply; its rules are "
				   "left out",
				   key);
		return;
	}
	size_t count = tf_val_count(L, v, key);
	for (size_t i = 0; i < count; i++) {
		struct tf_val e;
		if (!tf_val_block(L, v, key, i, true, &e))
			continue;
		snprintf(e.what, sizeof(e.what), "%s rule %zu", key, i + 1);
		struct model_sg_rule r = {0};
		r.loc = tf_loc(L, e.val ? e.val : e.prior);
		r.peer = MODEL_NONE;
		if (!read_proto(L, &g->obj, &e, "protocol", &r.match))
			continue;
		if (!read_ports(L, &e, "from_port", "to_port", &r.match)) {
			tf_unknown(L, &g->obj, &e,
				   "ports: known only after apply; the rule is "
				   "left out");
			continue;
		}
		const char *d;
		if (tf_str(L, &e, "description", &d) == TS_KNOWN && *d)
			r.description = arena_strdup(&L->m->arena, d);
		add_peer_rules(L, g, ingress, &e, &r, &inline_keys);
	}
}

void tf_parse_sg(struct tf_loader *L, struct tf_res *r)
{
	struct model_security_group *g = &L->m->groups[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	g->vpc = L->res[r->vpc].index;
	const char *d;
	if (tf_str(L, &v, "description", &d) == TS_KNOWN)
		g->description = arena_strdup(&L->m->arena, d);
	/* Terraform removes AWS's allow-all egress from a group it creates,
	 * and the default group keeps only its configured rules. */
	g->default_egress = false;
	g->vpc_default = !strcmp(r->type, "aws_default_security_group");
	read_sg_blocks(L, g, &v, true);
	read_sg_blocks(L, g, &v, false);
}

/* The group outside the plan made for name (tf_ext_groups), or NULL:
 * the only data resources that are groups. */
static struct tf_res *outside_group(struct tf_loader *L, const char *name)
{
	for (uint32_t i = 0; i < L->n_res; i++)
		if (L->res[i].data && L->res[i].kind == MK_SECURITY_GROUP &&
		    !strcmp(L->res[i].addr, name))
			return &L->res[i];
	return NULL;
}

/* The group a rule resource names, or NULL after a warning. */
static struct model_security_group *
group_of(struct tf_loader *L, struct tf_res *r, const struct tf_val *v)
{
	char why[384], from[256];
	struct tf_res *gr = tf_ref_from(L, v, "security_group_id", tf_sg_types,
					why, sizeof(why), from, sizeof(from));
	/* A group the plan does not have: the one made for it outside
	 * the plan (tf_ext.c). */
	if (!gr && from[0])
		gr = outside_group(L, from);
	uint32_t gi = tf_obj(gr, MK_SECURITY_GROUP);
	if (gi == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its security_group_id %s",
			r->addr,
			gr	 ? "names a group that is left out"
			: why[0] ? why
				 : "is not set");
		return NULL;
	}
	return &L->m->groups[gi];
}

void tf_parse_sg_rule(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	struct model_security_group *g = group_of(L, r, &v);
	if (!g)
		return;
	const char *type;
	enum tf_state st = tf_str(L, &v, "type", &type);
	if (st == TS_UNKNOWN) {
		tf_unknown(L, &g->obj, &v,
			   "type: known only after apply; the rule is left "
			   "out");
		return;
	}
	if (st != TS_KNOWN ||
	    (strcmp(type, "ingress") && strcmp(type, "egress"))) {
		tf_err(L, &v, tf_map_get(L, r->values, "type"),
		       "type must be ingress or egress");
		return;
	}
	bool ingress = !strcmp(type, "ingress");
	struct model_sg_rule rule = {0};
	rule.loc = tf_loc(L, r->node);
	rule.peer = MODEL_NONE;
	if (!read_proto(L, &g->obj, &v, "protocol", &rule.match))
		return;
	if (!read_ports(L, &v, "from_port", "to_port", &rule.match)) {
		tf_unknown(L, &g->obj, &v,
			   "ports: known only after apply; the "
			   "rule is left out");
		return;
	}
	const char *d;
	if (tf_str(L, &v, "description", &d) == TS_KNOWN && *d)
		rule.description = arena_strdup(&L->m->arena, d);
	static const struct peer_keys keys = {
	    "cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids",
	    "source_security_group_id", "self"};
	add_peer_rules(L, g, ingress, &v, &rule, &keys);
}

void tf_parse_sg_rule_v2(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	struct model_security_group *g = group_of(L, r, &v);
	if (!g)
		return;
	bool ingress = !strcmp(r->type, "aws_vpc_security_group_ingress_rule");
	struct model_sg_rule rule = {0};
	rule.loc = tf_loc(L, r->node);
	rule.peer = MODEL_NONE;
	if (!read_proto(L, &g->obj, &v, "ip_protocol", &rule.match))
		return;
	if (!read_ports(L, &v, "from_port", "to_port", &rule.match)) {
		tf_unknown(L, &g->obj, &v,
			   "ports: known only after apply; the "
			   "rule is left out");
		return;
	}
	const char *d;
	if (tf_str(L, &v, "description", &d) == TS_KNOWN && *d)
		rule.description = arena_strdup(&L->m->arena, d);
	static const struct peer_keys keys = {
	    "cidr_ipv4", "cidr_ipv6", "prefix_list_id",
	    "referenced_security_group_id", NULL};
	add_peer_rules(L, g, ingress, &v, &rule, &keys);
}

uint32_t tf_default_sg(struct tf_loader *L, struct model_obj *o, uint32_t vpc,
		       const char *what)
{
	struct model *m = L->m;
	if (vpc == MODEL_NONE)
		return MODEL_NONE;
	for (uint32_t i = 0; i < L->n_res; i++)
		if (L->res[i].kind == MK_SECURITY_GROUP &&
		    !strcmp(L->res[i].type, "aws_default_security_group") &&
		    m->groups[L->res[i].index].vpc == vpc)
			return L->res[i].index;
	if (L->default_sg[vpc] != MODEL_NONE)
		return L->default_sg[vpc];
	struct tf_res *vr = NULL;
	for (uint32_t i = 0; i < L->n_res && !vr; i++)
		if (L->res[i].kind == MK_VPC && L->res[i].index == vpc)
			vr = &L->res[i];
	if (!vr || vr->exists || m->n[MK_SECURITY_GROUP] >= L->groups_cap) {
		tf_unknown(
		    L, o, NULL,
		    "%s: not set, so AWS uses the default security group "
		    "of VPC %s, whose rules the plan does not describe",
		    what, m->vpcs[vpc].obj.id);
		return MODEL_NONE;
	}
	/* A VPC the plan creates gets AWS's default group: all traffic in
	 * from its own members, all traffic out. */
	uint32_t gi = m->n[MK_SECURITY_GROUP]++;
	struct model_security_group *g = &m->groups[gi];
	memset(g, 0, sizeof(*g));
	g->obj.id =
	    arena_printf(&m->arena, "%s.default_security_group", vr->addr);
	g->obj.kind = MK_SECURITY_GROUP;
	g->obj.index = gi;
	g->obj.loc = m->vpcs[vpc].obj.loc;
	g->obj.implicit = true;
	g->vpc = vpc;
	g->vpc_default = true;
	g->description = "default VPC security group";
	g->default_egress = true;
	struct model_sg_rule in = {.loc = g->obj.loc,
				   .match = values_match_all,
				   .peer_kind = PEER_GROUP,
				   .peer = gi,
				   .description = "default: all from members",
				   .implicit = true};
	add_sg_rule(L, g, true, &in);
	struct model_sg_rule out = values_sg_egress_all(g->obj.loc);
	add_sg_rule(L, g, false, &out);
	L->default_sg[vpc] = gi;
	return gi;
}

/* ---- network ACLs ------------------------------------------------------- */

static void add_nacl_rule(struct tf_loader *L, struct model_network_acl *a,
			  bool inbound, const struct model_nacl_rule *r,
			  const struct tf_val *v, struct ydoc_node *at)
{
	struct model_nacl_rule **arr = inbound ? &a->inbound : &a->outbound;
	uint32_t *n = inbound ? &a->n_inbound : &a->n_outbound;
	for (uint32_t i = 0; i < *n; i++)
		if ((*arr)[i].number == r->number) {
			if (!memcmp(&(*arr)[i].match, &r->match,
				    sizeof(r->match)) &&
			    (*arr)[i].allow == r->allow &&
			    (*arr)[i].ipv6 == r->ipv6 &&
			    !memcmp(&(*arr)[i].cidr, &r->cidr, sizeof(r->cidr)))
				return; /* listed inline and as a resource */
			tf_err(L, v, at,
			       "duplicate %s rule number %u in network ACL %s "
			       "(first at %u:%u)",
			       inbound ? "inbound" : "outbound", r->number,
			       a->obj.id, (*arr)[i].loc.line,
			       (*arr)[i].loc.col);
			return;
		}
	*(struct model_nacl_rule *)tf_push(&L->m->arena, arr, n, sizeof(*r)) =
	    *r;
}

/* One NACL rule from v: inline blocks and aws_network_acl_rule differ only
 * in key names. */
struct nacl_keys {
	const char *number, *action, *cidr, *cidr6;
};

static void read_nacl_rule(struct tf_loader *L, struct model_network_acl *a,
			   bool inbound, const struct tf_val *v,
			   struct ydoc_node *at, const struct nacl_keys *k)
{
	struct model_nacl_rule r = {0};
	r.loc = tf_loc(L, at);
	long num;
	enum tf_state st = tf_long(L, v, k->number, 1, 32766, &num);
	if (st != TS_KNOWN) {
		if (st == TS_UNKNOWN)
			tf_unknown(L, &a->obj, v,
				   "%s: known only after apply; "
				   "the rule is left out",
				   k->number);
		else if (!tf_map_get(L, v->val, k->number))
			tf_err(L, v, at, "%s is not set", k->number);
		return;
	}
	r.number = (uint32_t)num;
	const char *act;
	st = tf_str(L, v, k->action, &act);
	if (st == TS_UNKNOWN) {
		tf_unknown(L, &a->obj, v,
			   "%s: known only after apply; the rule "
			   "is left out",
			   k->action);
		return;
	}
	if (st != TS_KNOWN ||
	    (strcasecmp(act, "allow") && strcasecmp(act, "deny"))) {
		tf_err(L, v, at, "%s must be allow or deny", k->action);
		return;
	}
	r.allow = !strcasecmp(act, "allow");
	if (!read_proto(L, &a->obj, v, "protocol", &r.match))
		return;
	bool icmp =
	    r.match.proto == PROTO_ICMP || r.match.proto == PROTO_ICMPV6;
	if (!read_ports(L, v, icmp ? "icmp_type" : "from_port",
			icmp ? "icmp_code" : "to_port", &r.match)) {
		tf_unknown(L, &a->obj, v,
			   "ports: known only after apply; the "
			   "rule is left out");
		return;
	}
	const char *c;
	st = tf_str(L, v, k->cidr, &c);
	if (st == TS_KNOWN && *c) {
		if (!tf_cidr(L, v, tf_map_get(L, v->val, k->cidr), c, &r.cidr))
			return;
	} else {
		enum tf_state st6 = tf_str(L, v, k->cidr6, &c);
		if (st6 == TS_KNOWN && *c) {
			if (!tf_cidr6(L, v, tf_map_get(L, v->val, k->cidr6), c,
				      &r.cidr6))
				return;
			r.ipv6 = true;
		} else if (st == TS_UNKNOWN || st6 == TS_UNKNOWN) {
			tf_unknown(L, &a->obj, v,
				   "%s: known only after apply; "
				   "the rule is left out",
				   k->cidr);
			return;
		} else {
			tf_err(L, v, at, "the rule needs %s or %s", k->cidr,
			       k->cidr6);
			return;
		}
	}
	add_nacl_rule(L, a, inbound, &r, v, at);
}

/* Associates a subnet with a NACL; AWS allows one per subnet. */
static void associate(struct tf_loader *L, struct model_network_acl *a,
		      uint32_t si, const struct tf_val *v)
{
	struct model_subnet *s = &L->m->subnets[si];
	if (s->nacl_explicit && s->nacl != a->obj.index) {
		tf_err(L, v, NULL,
		       "subnet %s is associated with network ACLs %s and %s "
		       "(AWS allows one)",
		       s->obj.id, L->m->nacls[s->nacl].obj.id, a->obj.id);
		return;
	}
	s->nacl = a->obj.index;
	s->nacl_explicit = true;
}

void tf_parse_nacl(struct tf_loader *L, struct tf_res *r)
{
	struct model_network_acl *a = &L->m->nacls[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	a->vpc = L->res[r->vpc].index;
	if (!strcmp(r->type, "aws_default_network_acl"))
		L->m->vpcs[a->vpc].default_nacl = r->index;
	uint32_t n;
	uint32_t *subs = tf_ref_objs(L, &a->obj, &v, "subnet_ids",
				     tf_subnet_types, MK_SUBNET, &n);
	for (uint32_t i = 0; i < n; i++)
		associate(L, a, subs[i], &v);
	static const struct nacl_keys keys = {"rule_no", "action", "cidr_block",
					      "ipv6_cidr_block"};
	for (int dir = 0; dir < 2; dir++) {
		const char *key = dir ? "egress" : "ingress";
		struct ydoc_node *list;
		if (tf_get(L, &v, key, &list) == TS_UNKNOWN) {
			if (tf_configured(L, &v, key) && !v.cfg1)
				tf_unknown(L, &a->obj, &v,
					   "%s: known only after apply; its "
					   "rules are left out",
					   key);
			continue;
		}
		size_t count = tf_val_count(L, &v, key);
		for (size_t i = 0; i < count; i++) {
			struct tf_val e;
			if (!tf_val_block(L, &v, key, i, true, &e))
				continue;
			snprintf(e.what, sizeof(e.what), "%s rule %zu", key,
				 i + 1);
			read_nacl_rule(L, a, dir == 0, &e,
				       e.val ? e.val : e.prior, &keys);
		}
	}
}

/*
 * The default network ACL of VPC vr, for what names it by the VPC's
 * default_network_acl_id: the aws_default_network_acl of the VPC, else
 * AWS's own, made here as model_finish makes it (rule 100 allows all,
 * both ways), to which the rules that name it add.  MODEL_NONE for a VPC
 * outside the plan, whose ACLs are not known.
 */
static uint32_t vpc_nacl(struct tf_loader *L, struct tf_res *vr)
{
	struct model *m = L->m;
	uint32_t vi = vr->index, vres = (uint32_t)(vr - L->res);
	for (uint32_t i = 0; i < L->n_res; i++)
		if (L->res[i].kind == MK_NETWORK_ACL && L->res[i].vpc == vres &&
		    !strcmp(L->res[i].type, "aws_default_network_acl"))
			return L->res[i].index;
	if (m->vpcs[vi].external)
		return MODEL_NONE;
	if (L->vpc_nacl[vi] != MODEL_NONE)
		return L->vpc_nacl[vi];
	if (m->n[MK_NETWORK_ACL] >= L->nacls_cap)
		return MODEL_NONE;
	uint32_t ai = m->n[MK_NETWORK_ACL]++;
	struct model_network_acl *a = &m->nacls[ai];
	memset(a, 0, sizeof(*a));
	a->obj.id =
	    arena_printf(&m->arena, "%s-default-nacl", m->vpcs[vi].obj.id);
	a->obj.kind = MK_NETWORK_ACL;
	a->obj.index = ai;
	a->obj.loc = m->vpcs[vi].obj.loc;
	a->obj.implicit = true;
	a->vpc = vi;
	struct model_nacl_rule all = values_nacl_allow_all(a->obj.loc);
	*(struct model_nacl_rule *)tf_push(&m->arena, &a->inbound,
					   &a->n_inbound, sizeof(all)) = all;
	*(struct model_nacl_rule *)tf_push(&m->arena, &a->outbound,
					   &a->n_outbound, sizeof(all)) = all;
	m->vpcs[vi].default_nacl = ai;
	L->vpc_nacl[vi] = ai;
	return ai;
}

static struct model_network_acl *nacl_of(struct tf_loader *L, struct tf_res *r,
					 const struct tf_val *v)
{
	char why[384];
	struct tf_res *ar =
	    tf_ref(L, v, "network_acl_id", nacl_types, why, sizeof(why));
	uint32_t ai = tf_obj(ar, MK_NETWORK_ACL);
	/* aws_vpc.x.default_network_acl_id: the VPC's default ACL. */
	char w[384];
	struct tf_res *vr =
	    ar ? NULL
	       : tf_ref(L, v, "network_acl_id", tf_vpc_types, w, sizeof(w));
	if (vr && vr->kind == MK_VPC) {
		ai = vpc_nacl(L, vr);
		if (ai == MODEL_NONE)
			snprintf(why, sizeof(why),
				 "names the default network ACL of %s, which "
				 "the plan does not describe",
				 vr->addr);
	}
	if (ai == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its network_acl_id %s",
			r->addr,
			ar	 ? "names an ACL that is left out"
			: why[0] ? why
				 : "is not set");
		return NULL;
	}
	return &L->m->nacls[ai];
}

void tf_parse_nacl_rule(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	struct model_network_acl *a = nacl_of(L, r, &v);
	if (!a)
		return;
	bool egress = false;
	tf_bool(L, &v, "egress", &egress);
	static const struct nacl_keys keys = {"rule_number", "rule_action",
					      "cidr_block", "ipv6_cidr_block"};
	read_nacl_rule(L, a, !egress, &v, r->node, &keys);
}

void tf_parse_nacl_assoc(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	struct model_network_acl *a = nacl_of(L, r, &v);
	if (!a)
		return;
	uint32_t si =
	    tf_ref_obj(L, &a->obj, &v, "subnet_id", tf_subnet_types, MK_SUBNET);
	if (si != MODEL_NONE)
		associate(L, a, si, &v);
}
