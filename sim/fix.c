/*
 * Fixes: edits of the native model (docs/model.md) that make a blocked or
 * degraded step pass (sim.h: struct sim_fix).
 *
 * A fix is a list of changes, each naming a section, an object and a key,
 * with its value as fields (a mapping) or a scalar.  Values are kept as
 * the text YAML writes, so the report renders them as they are and a
 * reader pastes them as they read.  Invariants: a fix with changes has no
 * reason (none), a refused one has no changes; a NACL rule a fix adds has
 * a number that its list does not hold, strictly between num_after and
 * num_before, so it decides before the rules that blocked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "sim/fix.h"

/* The highest rule number AWS allows; 32767 is the final '*' rule. */
#define NACL_MAX_RULE 32766

void sim_fix_free(struct sim_fix *f)
{
	if (!f)
		return;
	free(f->ch);
	free(f->text);
	free(f->none);
	memset(f, 0, sizeof(*f));
}

void sim_fix_copy(struct sim_fix *out, const struct sim_fix *f)
{
	memset(out, 0, sizeof(*out));
	out->n = f->n;
	if (f->n) {
		out->ch = xcalloc(f->n, sizeof(*out->ch));
		memcpy(out->ch, f->ch, f->n * sizeof(*out->ch));
	}
	out->text = f->text ? xstrdup(f->text) : NULL;
	out->none = f->none ? xstrdup(f->none) : NULL;
}

struct sim_fix *fix_new(void)
{
	return xcalloc(1, sizeof(struct sim_fix));
}

static void refuse_v(struct sim_fix *f, const char *fmt, va_list ap)
{
	if (f->none)
		return;
	free(f->ch);
	f->ch = NULL;
	f->n = 0;
	free(f->text);
	f->text = NULL;
	f->none = xvasprintf(fmt, ap);
}

struct sim_fix *fix_refuse(const char *fmt, ...)
{
	struct sim_fix *f = fix_new();
	va_list ap;
	va_start(ap, fmt);
	refuse_v(f, fmt, ap);
	va_end(ap);
	return f;
}

void fix_refuse_in(struct sim_fix *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	refuse_v(f, fmt, ap);
	va_end(ap);
}

void fix_text(struct sim_fix *f, const char *fmt, ...)
{
	if (f->text || f->none)
		return;
	va_list ap;
	va_start(ap, fmt);
	f->text = xvasprintf(fmt, ap);
	va_end(ap);
}

const char *fix_section(const struct model *m, enum model_kind k, uint32_t i)
{
	switch (k) {
	case MK_VPC:
		return "vpcs";
	case MK_INTERNET_GATEWAY:
		return "internet_gateways";
	case MK_SUBNET:
		return "subnets";
	case MK_ROUTE_TABLE:
		return "route_tables";
	case MK_NAT_GATEWAY:
		return "nat_gateways";
	case MK_SECURITY_GROUP:
		return "security_groups";
	case MK_NETWORK_ACL:
		return "network_acls";
	case MK_PREFIX_LIST:
		return "prefix_lists";
	case MK_INSTANCE:
		return i < m->n[MK_INSTANCE] && m->instances[i].is_interface
			   ? "network_interfaces"
			   : "instances";
	case MK_LOAD_BALANCER:
		return "load_balancers";
	case MK_TARGET_GROUP:
		return "target_groups";
	case MK_TASK_DEFINITION:
		return "task_definitions";
	case MK_SERVICE:
		return "services";
	case MK_DATABASE:
		return "databases";
	case MK_VPC_ENDPOINT:
		return "vpc_endpoints";
	case MK_PEERING:
		return "peerings";
	case MK_FLEET:
		return "fleets";
	default:
		return NULL;
	}
}

/* "security group": the label without its article. */
static const char *kind_words(enum model_kind k)
{
	const char *l = model_kind_label(k);
	const char *sp = strchr(l, ' ');
	return sp ? sp + 1 : l;
}

static struct sim_fix_change *append(struct sim_fix *f)
{
	f->ch = xreallocarray(f->ch, f->n + 1, sizeof(*f->ch));
	struct sim_fix_change *c = &f->ch[f->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

char *fix_absorb(struct sim_fix *f, struct sim_fix *g)
{
	if (g->none)
		fix_refuse_in(f, "%s", g->none);
	for (uint32_t i = 0; i < g->n && !f->none; i++)
		*append(f) = g->ch[i];
	char *text = g->text;
	g->text = NULL;
	sim_fix_free(g);
	free(g);
	return text;
}

struct sim_fix_change *fix_change(struct sim_fix *f, const struct model *m,
				  enum model_kind k, uint32_t i,
				  enum sim_fix_op op, const char *key)
{
	if (f->none)
		return NULL;
	const char *section = fix_section(m, k, i);
	const struct model_obj *o =
	    k < MK_KIND_COUNT && i < m->n[k] ? model_object(m, k, i) : NULL;
	if (!o || !section) {
		fix_refuse_in(f, "the change is to an object the native "
				 "format does not write");
		return NULL;
	}
	if (o->implicit) {
		/* Pasting keys for an object the file does not hold would
		 * declare a new, incomplete one. */
		fix_refuse_in(f,
			      "%s %s is not written in the input: vpcsim "
			      "added it as AWS does; write it out first "
			      "(docs/model.md), then change it",
			      kind_words(k), o->id);
		return NULL;
	}
	struct sim_fix_change *c = append(f);
	c->op = op;
	c->section = section;
	snprintf(c->object, sizeof(c->object), "%s", o->id);
	c->key = key;
	return c;
}

struct sim_fix_change *fix_new_object(struct sim_fix *f, const char *section,
				      const char *id)
{
	if (f->none)
		return NULL;
	struct sim_fix_change *c = append(f);
	c->op = FIX_NEW;
	c->section = section;
	snprintf(c->object, sizeof(c->object), "%s", id);
	return c;
}

void fix_field(struct sim_fix_change *c, const char *key, const char *fmt, ...)
{
	if (!c || c->n == SIM_FIX_FIELDS)
		return;
	struct sim_fix_field *x = &c->f[c->n++];
	x->key = key;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->val, sizeof(x->val), fmt, ap);
	va_end(ap);
}

void fix_scalar(struct sim_fix_change *c, const char *fmt, ...)
{
	if (!c)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->scalar, sizeof(c->scalar), fmt, ap);
	va_end(ap);
}

/* The fields a rule needs to match mt (docs/model.md, Protocols). */
static void match_fields(struct sim_fix_change *c, const struct fix_match *mt)
{
	switch (mt->proto) {
	case PROTO_TCP:
	case PROTO_UDP:
		fix_field(c, "protocol", "%s", proto_name(mt->proto));
		if (mt->lo == mt->hi)
			fix_field(c, "ports", "%u", mt->lo);
		else
			fix_field(c, "ports", "%u-%u", mt->lo, mt->hi);
		return;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		fix_field(c, "protocol", "%s", proto_name(mt->proto));
		if (!mt->icmp_any)
			fix_field(c, "icmp_type", "%u", mt->lo);
		return;
	default:
		fix_field(c, "protocol", "all");
		return;
	}
}

void fix_match_words(char *buf, size_t size, const struct fix_match *mt)
{
	switch (mt->proto) {
	case PROTO_TCP:
	case PROTO_UDP:
		if (mt->lo == mt->hi)
			snprintf(buf, size, "%s %u", proto_name(mt->proto),
				 mt->lo);
		else
			snprintf(buf, size, "%s %u-%u", proto_name(mt->proto),
				 mt->lo, mt->hi);
		return;
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		if (mt->icmp_any)
			snprintf(buf, size, "%s", proto_name(mt->proto));
		else
			snprintf(buf, size, "%s type %u", proto_name(mt->proto),
				 mt->lo);
		return;
	default:
		snprintf(buf, size, "all traffic");
		return;
	}
}

/* Whether number n is taken in the list (inbound or not) of NACL a. */
static bool nacl_taken(const struct model_network_acl *a, bool inbound,
		       uint32_t n)
{
	const struct model_nacl_rule *r = inbound ? a->inbound : a->outbound;
	uint32_t k = inbound ? a->n_inbound : a->n_outbound;
	for (uint32_t i = 0; i < k; i++)
		if (r[i].number == n)
			return true;
	return false;
}

/*
 * A free number strictly between after and before: after the last rule
 * (before is 32767) the next round ten, else just below before, a round
 * ten when one is free, since people number NACL rules by tens.  taken
 * says which numbers are used.  0 when none is free.
 */
static uint32_t pick_number(uint32_t after, uint32_t before,
			    bool (*taken)(const void *, uint32_t),
			    const void *ctx)
{
	if (before > NACL_MAX_RULE) {
		for (uint32_t n = (after / 10 + 1) * 10; n <= NACL_MAX_RULE;
		     n += 10)
			if (!taken(ctx, n))
				return n;
		for (uint32_t n = after + 1; n <= NACL_MAX_RULE; n++)
			if (!taken(ctx, n))
				return n;
		return 0;
	}
	for (uint32_t n = (before - 1) / 10 * 10; n > after && n >= 10; n -= 10)
		if (!taken(ctx, n))
			return n;
	for (uint32_t n = before - 1; n > after; n--)
		if (!taken(ctx, n))
			return n;
	return 0;
}

struct taken_ctx {
	const struct model_network_acl *a;
	bool inbound;
	/* Numbers other fixes of a list hold in the same NACL list, and
	 * the changes before this one in its own fix. */
	const struct sim_fix_list *l;
	const struct sim_fix_change *own;
	uint32_t n_own;
	const char *object, *key;
};

/* Whether change c adds rule number n to the NACL list of t. */
static bool holds(const struct taken_ctx *t, const struct sim_fix_change *c,
		  uint32_t n)
{
	if (c->op != FIX_ADD || strcmp(c->object, t->object) ||
	    strcmp(c->key, t->key) || strcmp(c->section, "network_acls"))
		return false;
	for (uint32_t j = 0; j < c->n; j++)
		if (!strcmp(c->f[j].key, "rule") &&
		    (uint32_t)atoi(c->f[j].val) == n)
			return true;
	return false;
}

static bool ctx_taken(const void *p, uint32_t n)
{
	const struct taken_ctx *t = p;
	if (t->a && nacl_taken(t->a, t->inbound, n))
		return true;
	for (uint32_t i = 0; t->l && i < t->l->n; i++)
		for (uint32_t k = 0; k < t->l->v[i].n; k++)
			if (holds(t, &t->l->v[i].ch[k], n))
				return true;
	for (uint32_t k = 0; k < t->n_own; k++)
		if (holds(t, &t->own[k], n))
			return true;
	return false;
}

void fix_nacl_rule(struct sim_fix *f, const struct model *m, uint32_t nacl,
		   bool inbound, const struct fix_match *mt, const char *cidr,
		   uint32_t before)
{
	const struct model_network_acl *a = &m->nacls[nacl];
	const struct model_nacl_rule *r = inbound ? a->inbound : a->outbound;
	uint32_t k = inbound ? a->n_inbound : a->n_outbound, after = 0;
	for (uint32_t i = 0; i < k; i++)
		if (r[i].number < before && r[i].number > after)
			after = r[i].number;
	/* Numbers the fix's own earlier rules took count as used. */
	struct taken_ctx t = {a,
			      inbound,
			      NULL,
			      f->ch,
			      f->n,
			      a->obj.id,
			      inbound ? "inbound" : "outbound"};
	uint32_t n = pick_number(after, before, ctx_taken, &t);
	if (!n) {
		fix_refuse_in(
		    f,
		    "no rule number is free before rule %u of network "
		    "ACL %s: renumber its rules first",
		    before, a->obj.id);
		return;
	}
	struct sim_fix_change *c =
	    fix_change(f, m, MK_NETWORK_ACL, nacl, FIX_ADD,
		       inbound ? "inbound" : "outbound");
	if (!c)
		return;
	fix_field(c, "rule", "%u", n);
	fix_field(c, "action", "allow");
	match_fields(c, mt);
	fix_field(c, "cidr", "%s", cidr);
	c->num_after = after;
	c->num_before = before;
}

void fix_sg_rule(struct sim_fix *f, const struct model *m, uint32_t g,
		 bool egress, const struct fix_match *mt, const char *peer)
{
	struct sim_fix_change *c = fix_change(
	    f, m, MK_SECURITY_GROUP, g, FIX_ADD, egress ? "egress" : "ingress");
	match_fields(c, mt);
	fix_field(c, egress ? "to" : "from", "%s", peer);
}

void fix_own_group(struct sim_fix *f, const struct model *m, enum model_kind k,
		   uint32_t i, uint32_t vpc, const struct fix_match *mt,
		   const char *peer)
{
	const char *self = model_object(m, k, i)->id;
	char id[96];
	snprintf(id, sizeof(id), "%s-sg", self);
	for (int n = 2; model_find(m, id); n++)
		snprintf(id, sizeof(id), "%s-sg-%d", self, n);
	struct sim_fix_change *g = fix_new_object(f, "security_groups", id);
	if (!g)
		return;
	fix_field(g, "vpc", "%s", m->vpcs[vpc].obj.id);
	struct sim_fix_change *r = append(f);
	r->op = FIX_ADD;
	r->section = "security_groups";
	snprintf(r->object, sizeof(r->object), "%s", id);
	r->key = "ingress";
	match_fields(r, mt);
	fix_field(r, "from", "%s", peer);
	struct sim_fix_change *c =
	    fix_change(f, m, k, i, FIX_SET, "security_groups");
	if (!c)
		return;
	c->list = true;
	fix_field(c, "", "%s", id);
}

/* ---- lists of fixes ---------------------------------------------------- */

static bool field_eq(const struct sim_fix_change *a,
		     const struct sim_fix_change *b, bool rule_too)
{
	if (a->n != b->n)
		return false;
	for (uint32_t i = 0; i < a->n; i++) {
		if (strcmp(a->f[i].key, b->f[i].key))
			return false;
		if (!rule_too && !strcmp(a->f[i].key, "rule"))
			continue;
		if (strcmp(a->f[i].val, b->f[i].val))
			return false;
	}
	return true;
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The same edit, whatever number a NACL rule got. */
static bool change_eq(const struct sim_fix_change *a,
		      const struct sim_fix_change *b)
{
	return a->op == b->op && str_eq(a->section, b->section) &&
	       !strcmp(a->object, b->object) && str_eq(a->key, b->key) &&
	       field_eq(a, b, false) && !strcmp(a->scalar, b->scalar) &&
	       str_eq(a->match_key, b->match_key) &&
	       !strcmp(a->match, b->match);
}

static bool fix_eq(const struct sim_fix *a, const struct sim_fix *b)
{
	if (a->n != b->n || !str_eq(a->none, b->none))
		return false;
	for (uint32_t i = 0; i < a->n; i++)
		if (!change_eq(&a->ch[i], &b->ch[i]))
			return false;
	return true;
}

/* Gives change c a number no one else in the list (nor the model, nor
 * the n_own changes before it in its fix) uses, when its own is taken. */
static void renumber(struct sim_fix_change *c, const struct model *m,
		     const struct sim_fix_list *l,
		     const struct sim_fix_change *own, uint32_t n_own)
{
	if (c->op != FIX_ADD || strcmp(c->section, "network_acls"))
		return;
	struct model_obj *o = model_find(m, c->object);
	if (!o || o->kind != MK_NETWORK_ACL)
		return;
	struct taken_ctx t = {&m->nacls[o->index],
			      !strcmp(c->key, "inbound"),
			      l,
			      own,
			      n_own,
			      c->object,
			      c->key};
	struct sim_fix_field *num = NULL;
	for (uint32_t j = 0; j < c->n; j++)
		if (!strcmp(c->f[j].key, "rule"))
			num = &c->f[j];
	if (!num || !ctx_taken(&t, (uint32_t)atoi(num->val)))
		return;
	uint32_t n = pick_number(c->num_after, c->num_before, ctx_taken, &t);
	if (n)
		snprintf(num->val, sizeof(num->val), "%u", n);
}

void sim_fix_list_add(struct sim_fix_list *l, const struct model *m,
		      const struct sim_fix *f)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (fix_eq(&l->v[i], f))
			return;
	struct sim_fix copy;
	sim_fix_copy(&copy, f);
	for (uint32_t k = 0; k < copy.n; k++)
		renumber(&copy.ch[k], m, l, copy.ch, k);
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 4;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = copy;
}

void sim_fix_list_free(struct sim_fix_list *l)
{
	if (!l)
		return;
	for (uint32_t i = 0; i < l->n; i++)
		sim_fix_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The step that holds the fix of a failing pair, or NULL. */
static const struct sim_step *fix_step(const struct sim_pair *p)
{
	const struct sim_trace *t = &p->trace;
	if (!p->res.reachable) {
		int k = p->res.block_step;
		return k >= 0 && (uint32_t)k < t->n ? &t->steps[k] : NULL;
	}
	if (!p->res.fwd.asked || p->res.fwd.paths_ok || p->out_of_dns)
		return NULL;
	/* The forward's own step only points at its paths: the first
	 * path step that blocks says what to change. */
	for (uint32_t i = 0; i < t->n; i++)
		if (t->steps[i].depth > 0 && t->steps[i].block != BLK_NONE)
			return &t->steps[i];
	int k = p->res.fwd.block_step;
	return k >= 0 && (uint32_t)k < t->n ? &t->steps[k] : NULL;
}

uint32_t sim_answer_fixes(struct sim_fix_list *l, const struct model *m,
			  const struct sim_answer *a)
{
	uint32_t none = 0;
	for (uint32_t i = 0; i < a->n; i++) {
		const struct sim_pair *p = &a->pairs[i];
		bool fails = !p->res.reachable ||
			     (p->res.fwd.asked && !p->res.fwd.paths_ok &&
			      !p->out_of_dns);
		if (!fails)
			continue;
		const struct sim_step *st = fix_step(p);
		if (st && st->fix && st->fix->n)
			sim_fix_list_add(l, m, st->fix);
		else
			none++;
	}
	return none;
}
