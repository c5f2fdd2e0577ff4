/*
 * The policy language (docs/policy.md): users' own statements about what
 * must and must not reach what, checked against real reachability.
 *
 * Data.  A policy_set owns its policies and a copy of the name of every
 * file they came from.  Findings borrow from the set: rule_id and
 * rule_name are the policy's id, loc.file is the set's copy of the file
 * name, so a finding list must be freed before the set.  Selectors are
 * resolved against the model when a file is loaded, into lists of
 * reachability nodes (the internet, an AWS service, resources that hold
 * addresses); after loading, nothing refers to the YAML document.
 *
 * Invariants of a loaded set: policy ids are unique and are not the id or
 * name of a built-in rule; node lists hold no duplicates; `from` holds no
 * AWS service; a policy's ports are never empty (all ports, or all ICMP
 * types, when the file names none); hops is 0 (direct) or 1..8, and at
 * least 2 for forbid.  A file with any error adds nothing to the set.
 *
 * Evaluation.  forbid without hops reads the engine's exact port sets
 * (reach_from tables; the shared exposure tables for the internet) and,
 * because a load balancer forwards by itself (semantics §13), also one
 * hop through a load balancer.  forbid and require with hops search the
 * igraph reachability graph (graph_chains).  require without hops
 * evaluates every placement pair with sim_ports, which gives exactly the
 * ports a per-port sim_connect reaches.  Each violation is one finding
 * per (source, destination), at the policy's id in its file, with the
 * path or the blocking step as details.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/file.h"
#include "base/util.h"
#include "base/ydoc.h"
#include "rules/rules_impl.h"
#include "sim/graph.h"

#define MAX_HOPS 8

struct node_list {
	struct reach_node *v;
	uint32_t n;
};

struct policy {
	char *id, *message;
	enum severity severity;
	struct src_loc loc; /* the id's value node; file is the set's copy */
	bool require;	    /* require, else forbid */
	struct node_list from, to, via;
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

static void node_list_free(struct node_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void policy_free(struct policy *p)
{
	free(p->id);
	free(p->message);
	node_list_free(&p->from);
	node_list_free(&p->to);
	node_list_free(&p->via);
	ports_free(&p->ports);
}

void policy_set_free(struct policy_set *p)
{
	if (!p)
		return;
	for (uint32_t i = 0; i < p->n; i++)
		policy_free(&p->v[i]);
	free(p->v);
	for (uint32_t i = 0; i < p->n_files; i++)
		free(p->files[i]);
	free(p->files);
	free(p);
}

/* ---- nodes ----------------------------------------------------------- */

/* Kinds that hold addresses, as selectors name them.  Network interfaces
 * share the instance array (is_interface) but are a kind of their own
 * here, as in the model file. */
static const struct {
	const char *name;
	enum model_kind kind;
	int iface; /* instances: 0 instance, 1 network interface; -1 other */
} sel_kinds[] = {
    {"instance", MK_INSTANCE, 0},
    {"network_interface", MK_INSTANCE, 1},
    {"load_balancer", MK_LOAD_BALANCER, -1},
    {"service", MK_SERVICE, -1},
    {"database", MK_DATABASE, -1},
    {"nat_gateway", MK_NAT_GATEWAY, -1},
    {"vpc_endpoint", MK_VPC_ENDPOINT, -1},
};

/*
 * Every node gets a dense number, so per-policy sets are flat arrays:
 * 0 the internet, 1-3 the AWS services (enum sim_service), then each
 * kind's objects in enum order.
 */
static uint32_t dense_count(const struct model *m)
{
	uint32_t n = 4;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		n += m->n[k];
	return n;
}

static uint32_t dense_id(const struct model *m, const struct reach_node *x)
{
	if (x->kind == RN_INTERNET)
		return 0;
	if (x->kind == RN_SERVICE)
		return (uint32_t)x->service;
	uint32_t base = 4;
	for (int k = 0; k < (int)x->rkind; k++)
		base += m->n[k];
	return base + x->rindex;
}

static bool holds_address(const struct model *m, enum model_kind k, uint32_t i)
{
	uint32_t n;
	model_placements(m, k, i, &n);
	return n > 0;
}

/* Adds x unless the dense set `have` has it already. */
static void node_add(struct node_list *l, uint8_t *have, const struct model *m,
		     struct reach_node x)
{
	uint32_t d = dense_id(m, &x);
	if (have[d])
		return;
	have[d] = 1;
	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = x;
}

static struct sim_sel node_sel(const struct reach_node *x)
{
	struct sim_sel sel;
	memset(&sel, 0, sizeof(sel));
	switch (x->kind) {
	case RN_INTERNET:
		sel.kind = SEL_INTERNET;
		sel.addr = SIM_INTERNET_ADDR;
		snprintf(sel.name, sizeof(sel.name), "internet");
		break;
	case RN_SERVICE:
		sel.kind = SEL_SERVICE;
		sel.service = x->service;
		break;
	case RN_RESOURCE:
		sel.kind = SEL_RESOURCE;
		sel.rkind = x->rkind;
		sel.rindex = x->rindex;
		break;
	}
	return sel;
}

/* ---- loading: YAML nodes and diagnostics ------------------------------ */

/* A policy id of the file being loaded, borrowed from its document. */
struct seen_id {
	const char *id;
	uint32_t line, col;
};

struct pl {
	yaml_document_t doc;
	const char *file;
	const struct model *m;
	struct diag_list *diags;
	size_t first_diag;	      /* this file's diagnostics start here */
	const struct policy_set *set; /* earlier files' policies */
	uint8_t *have;		      /* scratch dense set for one node list */
	/* Ids of objects that hold addresses, for did-you-mean. */
	const char **cands;
	uint32_t n_cands;
	/* This file's policy ids so far, for duplicates. */
	struct seen_id *ids;
	uint32_t n_ids;
};

static yaml_node_t *node_at(struct pl *P, int id)
{
	return yaml_document_get_node(&P->doc, id);
}

static void node_pos(const yaml_node_t *n, uint32_t *line, uint32_t *col)
{
	*line = (uint32_t)n->start_mark.line + 1;
	*col = (uint32_t)n->start_mark.column + 1;
}

__attribute__((format(printf, 4, 0))) static void
vreport(struct pl *P, enum diag_severity sev, const yaml_node_t *n,
	const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof(buf), fmt, ap);
	uint32_t line = 0, col = 0;
	if (n)
		node_pos(n, &line, &col);
	/* An alias reaches its node twice: say each problem once. */
	for (size_t i = P->first_diag; i < P->diags->n; i++) {
		const struct diag *d = &P->diags->v[i];
		if (d->line == line && d->col == col &&
		    !strcmp(d->message, buf))
			return;
	}
	diag_add(P->diags, sev, P->file, line, col, "%s", buf);
}

__attribute__((format(printf, 3, 4))) static void
err(struct pl *P, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(P, DIAG_ERROR, n, fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4))) static void
warn(struct pl *P, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(P, DIAG_WARNING, n, fmt, ap);
	va_end(ap);
}

static bool is_null(const yaml_node_t *n)
{
	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null");
}

static const char *type_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return is_null(n) ? "an empty value" : "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

/* A scalar's text, or NULL after an error. */
static const char *scalar(struct pl *P, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE) {
		err(P, n, "%s must be a scalar, not %s", what, type_name(n));
		return NULL;
	}
	const char *s = (const char *)n->data.scalar.value;
	if (strlen(s) != n->data.scalar.length) {
		err(P, n, "%s contains a NUL byte", what);
		return NULL;
	}
	return s;
}

/* A key that belongs to the other statement: said so instead of a
 * did-you-mean. */
struct misplaced {
	const char *key, *note;
};

/*
 * Fills vals[i] with the value of keys[i] in map, keynodes[i] with its key
 * node.  Reports unknown keys (with the closest known one, whose bit is
 * set in *suggested so that need() does not report it missing as well)
 * and repeated keys.  Returns false when map is no mapping.
 */
static bool take_keys(struct pl *P, const yaml_node_t *map, const char *what,
		      const char *const *keys, size_t nkeys,
		      const struct misplaced *mis, size_t n_mis,
		      yaml_node_t **vals, yaml_node_t **keynodes,
		      uint32_t *suggested)
{
	*suggested = 0;
	for (size_t i = 0; i < nkeys; i++)
		vals[i] = keynodes[i] = NULL;
	if (map->type != YAML_MAPPING_NODE) {
		err(P, map, "%s must be a mapping, not %s", what,
		    type_name(map));
		return false;
	}
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(P, p->key);
		const char *ks = scalar(P, k, "a key");
		if (!ks)
			continue;
		size_t i;
		for (i = 0; i < nkeys; i++)
			if (!strcmp(ks, keys[i]))
				break;
		if (i == nkeys) {
			size_t j;
			for (j = 0; j < n_mis; j++)
				if (!strcmp(ks, mis[j].key))
					break;
			const char *near = util_closest(ks, keys, nkeys);
			if (j < n_mis) {
				err(P, k, "'%s' %s", ks, mis[j].note);
			} else if (near) {
				err(P, k,
				    "unknown key '%s' in %s (did you mean "
				    "'%s'?)",
				    ks, what, near);
				for (size_t q = 0; q < nkeys; q++)
					if (keys[q] == near)
						*suggested |= 1u << q;
			} else {
				err(P, k, "unknown key '%s' in %s", ks, what);
			}
			continue;
		}
		if (vals[i]) {
			uint32_t line, col;
			node_pos(keynodes[i], &line, &col);
			err(P, k, "key '%s' repeated in %s (first at %u:%u)",
			    ks, what, line, col);
			continue;
		}
		vals[i] = node_at(P, p->value);
		keynodes[i] = k;
	}
	return true;
}

/* Reports a missing required key, unless a misspelling of it was
 * reported already. */
static void need(struct pl *P, const yaml_node_t *map, yaml_node_t *const *vals,
		 const char *const *keys, uint32_t suggested, size_t i,
		 const char *what)
{
	if (!vals[i] && !(suggested & (1u << i)))
		err(P, map, "missing required key '%s' in %s", keys[i], what);
}

/* One of names, with a did-you-mean when the text is close to one. */
static int choice(struct pl *P, const yaml_node_t *n, const char *what,
		  const char *const *names, size_t count, const char *list)
{
	const char *s = scalar(P, n, what);
	if (!s)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	const char *near = util_closest(s, names, count);
	if (near)
		err(P, n, "%s must be %s, not '%s' (did you mean '%s'?)", what,
		    list, s, near);
	else
		err(P, n, "%s must be %s, not '%s'", what, list, s);
	return -1;
}

/* ---- loading: selectors ------------------------------------------------ */

static const char *const sel_keys[] = {"kind", "tag", "subnet"};

/* Whether object o (which holds addresses) matches a mapping selector. */
static bool sel_match(const struct model *m, const struct model_obj *o,
		      int kind_i, const yaml_node_t *const *tag_k,
		      const yaml_node_t *const *tag_v, uint32_t n_tags,
		      uint32_t subnet)
{
	if (kind_i >= 0) {
		if (o->kind != sel_kinds[kind_i].kind)
			return false;
		if (sel_kinds[kind_i].iface >= 0 &&
		    m->instances[o->index].is_interface !=
			(sel_kinds[kind_i].iface == 1))
			return false;
	}
	for (uint32_t t = 0; t < n_tags; t++) {
		const char *k = (const char *)tag_k[t]->data.scalar.value;
		const char *v = (const char *)tag_v[t]->data.scalar.value;
		bool found = false;
		for (uint32_t i = 0; i < o->n_tags && !found; i++)
			found = !strcmp(o->tags[i].key, k) &&
				!strcmp(o->tags[i].value, v);
		if (!found)
			return false;
	}
	if (subnet != MODEL_NONE) {
		uint32_t n;
		const struct model_placement *pl =
		    model_placements(m, o->kind, o->index, &n);
		bool in = false;
		for (uint32_t i = 0; i < n && !in; i++)
			in = pl[i].subnet == subnet;
		if (!in)
			return false;
	}
	return true;
}

/* Why a tag matched nothing: a key no resource has, or a value the key
 * never takes, with the closest known one. */
static void tag_hint(struct pl *P, const yaml_node_t *kn, const yaml_node_t *vn)
{
	const struct model *m = P->m;
	const char *k = (const char *)kn->data.scalar.value;
	const char *v = (const char *)vn->data.scalar.value;
	const char **keys = xcalloc(m->n_objects + 1, sizeof(*keys));
	const char **vals = xcalloc(m->n_objects + 1, sizeof(*vals));
	uint32_t nk = 0, nv = 0;
	bool key_known = false, pair_known = false;
	for (uint32_t i = 0; i < m->n_objects; i++) {
		const struct model_obj *o = m->by_id[i];
		for (uint32_t t = 0; t < o->n_tags; t++) {
			if (nk < m->n_objects)
				keys[nk++] = o->tags[t].key;
			if (strcmp(o->tags[t].key, k))
				continue;
			key_known = true;
			if (!strcmp(o->tags[t].value, v))
				pair_known = true;
			else if (nv < m->n_objects)
				vals[nv++] = o->tags[t].value;
		}
	}
	if (!key_known) {
		const char *near = util_closest(k, keys, nk);
		if (near)
			warn(P, kn,
			     "no resource has a tag '%s' (did you mean '%s'?)",
			     k, near);
		else
			warn(P, kn, "no resource has a tag '%s'", k);
	} else if (!pair_known) {
		const char *near = util_closest(v, vals, nv);
		if (near)
			warn(P, vn,
			     "no resource has tag %s: %s (did you mean "
			     "'%s'?)",
			     k, v, near);
		else
			warn(P, vn, "no resource has tag %s: %s", k, v);
	}
	free(keys);
	free(vals);
}

/* The index in sel_kinds of a kind's name, or -1 after an error. */
static int parse_kind(struct pl *P, const yaml_node_t *n)
{
	const char *names[ARRAY_LEN(sel_kinds)];
	const char *s = scalar(P, n, "kind");
	if (!s)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(sel_kinds); i++) {
		if (!strcmp(s, sel_kinds[i].name))
			return (int)i;
		names[i] = sel_kinds[i].name;
	}
	/* A kind of the model that holds no address (subnet, security
	 * group, ...) is no typo: say what a selector can pick instead. */
	for (int k = 0; k < MK_KIND_COUNT; k++)
		if (!strcmp(s, model_kind_name(k))) {
			err(P, n,
			    "kind '%s' holds no address: a selector picks "
			    "instance, network_interface, load_balancer, "
			    "service, database, nat_gateway or vpc_endpoint",
			    s);
			return -1;
		}
	const char *near = util_closest(s, names, ARRAY_LEN(names));
	if (near)
		err(P, n, "unknown kind '%s' (did you mean '%s'?)", s, near);
	else
		err(P, n,
		    "unknown kind '%s'; kinds with addresses: instance, "
		    "network_interface, load_balancer, service, database, "
		    "nat_gateway, vpc_endpoint",
		    s);
	return -1;
}

/* {kind: K, tag: {k: v}, subnet: S}: every given key must match. */
static bool parse_sel_map(struct pl *P, yaml_node_t *n, struct node_list *out)
{
	const struct model *m = P->m;
	yaml_node_t *v[3], *kn[3];
	uint32_t sugg;
	if (!take_keys(P, n, "a selector", sel_keys, 3, NULL, 0, v, kn, &sugg))
		return false;
	size_t before = P->diags->n_errors;
	int kind_i = v[0] ? parse_kind(P, v[0]) : -1;
	const yaml_node_t *tag_k[32], *tag_v[32];
	uint32_t n_tags = 0;
	if (v[1]) {
		if (v[1]->type != YAML_MAPPING_NODE ||
		    v[1]->data.mapping.pairs.start ==
			v[1]->data.mapping.pairs.top) {
			err(P, v[1],
			    "tag must be a mapping like {tier: data}, not %s",
			    v[1]->type == YAML_MAPPING_NODE ? "an empty one"
							    : type_name(v[1]));
		} else {
			for (yaml_node_pair_t *p =
				 v[1]->data.mapping.pairs.start;
			     p < v[1]->data.mapping.pairs.top; p++) {
				yaml_node_t *k = node_at(P, p->key);
				yaml_node_t *val = node_at(P, p->value);
				if (!scalar(P, k, "a tag key") ||
				    !scalar(P, val, "a tag value"))
					continue;
				if (n_tags == ARRAY_LEN(tag_k)) {
					err(P, k,
					    "a selector takes at most %zu "
					    "tags",
					    ARRAY_LEN(tag_k));
					break;
				}
				tag_k[n_tags] = k;
				tag_v[n_tags++] = val;
			}
		}
	}
	uint32_t subnet = MODEL_NONE;
	if (v[2]) {
		const char *s = scalar(P, v[2], "subnet");
		const struct model_obj *o = s ? model_find(m, s) : NULL;
		if (o && o->kind == MK_SUBNET) {
			subnet = o->index;
		} else if (o) {
			err(P, v[2], "'%s' is a %s, not a subnet", s,
			    model_kind_name(o->kind));
		} else if (s) {
			const char **ids =
			    xcalloc(m->n[MK_SUBNET] + 1, sizeof(*ids));
			for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++)
				ids[i] = m->subnets[i].obj.id;
			const char *near =
			    util_closest(s, ids, m->n[MK_SUBNET]);
			if (near)
				err(P, v[2],
				    "unknown subnet '%s' (did you mean "
				    "'%s'?)",
				    s, near);
			else
				err(P, v[2], "unknown subnet '%s'", s);
			free(ids);
		}
	}
	if (!v[0] && !v[1] && !v[2] && !sugg) {
		err(P, n, "a selector mapping needs kind, tag or subnet");
		return false;
	}
	if (P->diags->n_errors != before || (!v[0] && !v[1] && !v[2]))
		return false;
	uint32_t added = 0;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++) {
			const struct model_obj *o = model_object(m, k, i);
			if (!holds_address(m, k, i) ||
			    !sel_match(m, o, kind_i, tag_k, tag_v, n_tags,
				       subnet))
				continue;
			node_add(out, P->have, m,
				 (struct reach_node){.kind = RN_RESOURCE,
						     .rkind = k,
						     .rindex = i});
			added++;
		}
	if (!added) {
		/* A typo in a tag would make a policy check nothing and pass:
		 * say so, though it is not an error (an estate may have no
		 * such resource yet). */
		size_t w = P->diags->n;
		for (uint32_t t = 0; t < n_tags; t++)
			tag_hint(P, tag_k[t], tag_v[t]);
		if (P->diags->n == w)
			warn(P, n,
			     "this selector matches no resource that "
			     "holds an address");
	}
	return true;
}

/* One selector: a string or a mapping. */
static bool parse_sel_one(struct pl *P, yaml_node_t *n, bool is_from,
			  struct node_list *out)
{
	const struct model *m = P->m;
	if (n->type == YAML_MAPPING_NODE)
		return parse_sel_map(P, n, out);
	if (n->type != YAML_SCALAR_NODE || is_null(n)) {
		err(P, n,
		    "a selector is a resource id, internet, aws:SERVICE or a "
		    "mapping of kind, tag and subnet, not %s",
		    type_name(n));
		return false;
	}
	const char *s = scalar(P, n, "a selector");
	if (!s)
		return false;
	if (!strcmp(s, "internet")) {
		node_add(out, P->have, m,
			 (struct reach_node){.kind = RN_INTERNET});
		return true;
	}
	if (!strncmp(s, "aws:", 4)) {
		static const char *const names[] = {"aws:ecr", "aws:s3",
						    "aws:logs"};
		static const enum sim_service svcs[] = {SVC_ECR, SVC_S3,
							SVC_LOGS};
		for (size_t i = 0; i < ARRAY_LEN(names); i++)
			if (!strcmp(s, names[i])) {
				if (is_from) {
					err(P, n,
					    "%s cannot be a source: AWS "
					    "services open no connections "
					    "into a VPC",
					    s);
					return false;
				}
				node_add(
				    out, P->have, m,
				    (struct reach_node){.kind = RN_SERVICE,
							.service = svcs[i]});
				return true;
			}
		const char *near = util_closest(s, names, ARRAY_LEN(names));
		if (near)
			err(P, n,
			    "unknown AWS service '%s' (did you mean '%s'?)", s,
			    near);
		else
			err(P, n,
			    "unknown AWS service '%s' (vpcsim knows aws:ecr, "
			    "aws:s3 and aws:logs)",
			    s);
		return false;
	}
	const struct model_obj *o = model_find(m, s);
	if (o && holds_address(m, o->kind, o->index)) {
		node_add(out, P->have, m,
			 (struct reach_node){.kind = RN_RESOURCE,
					     .rkind = o->kind,
					     .rindex = o->index});
		return true;
	}
	if (o) {
		err(P, n,
		    "'%s' is a %s, which holds no address; name a resource "
		    "placed in a subnet, or select by {subnet: ID}",
		    s, model_kind_name(o->kind));
		return false;
	}
	const char *near = util_closest(s, P->cands, P->n_cands);
	if (near)
		err(P, n, "unknown resource '%s' (did you mean '%s'?)", s,
		    near);
	else
		err(P, n, "unknown resource '%s'", s);
	return false;
}

/* A selector or a list of them; the list stands for their union. */
static bool parse_sel(struct pl *P, yaml_node_t *n, const char *what,
		      bool is_from, struct node_list *out)
{
	memset(P->have, 0, dense_count(P->m));
	if (n->type != YAML_SEQUENCE_NODE)
		return parse_sel_one(P, n, is_from, out);
	if (n->data.sequence.items.start == n->data.sequence.items.top) {
		err(P, n,
		    "%s must name at least one selector, not an empty "
		    "list",
		    what);
		return false;
	}
	bool ok = true;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++) {
		yaml_node_t *e = node_at(P, *it);
		if (e->type == YAML_SEQUENCE_NODE) {
			err(P, e,
			    "a selector must not be a list inside a "
			    "list");
			ok = false;
			continue;
		}
		ok &= parse_sel_one(P, e, is_from, out);
	}
	return ok;
}

/* ---- loading: ports, statements, policies ---------------------------- */

/* "443" or "1024-65535" into out; max is 65535, or 255 for ICMP types. */
static bool parse_port_item(struct pl *P, const yaml_node_t *n, uint32_t max,
			    struct ports *out)
{
	const char *what = max == 255 ? "icmp type" : "port";
	const char *s = scalar(P, n, "a port");
	if (!s)
		return false;
	char buf[32];
	uint32_t a, b;
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	char *dash = strchr(buf, '-');
	if (dash) {
		*dash = '\0';
		if (!util_port_text(buf, &a) || !util_port_text(dash + 1, &b))
			goto bad;
	} else {
		if (!util_port_text(buf, &a))
			goto bad;
		b = a;
	}
	if (a > max || b > max) {
		err(P, n, "%s %u out of range 0-%u", what, a > max ? a : b,
		    max);
		return false;
	}
	if (a > b) {
		err(P, n,
		    "%s range %u-%u: from is greater than to (did you mean "
		    "'%u-%u'?)",
		    what, a, b, b, a);
		return false;
	}
	ports_add(out, (uint16_t)a, (uint16_t)b);
	return true;
bad:
	err(P, n,
	    "ports must be a %s, a range like %s, or a list of them, not "
	    "'%s'",
	    what, max == 255 ? "0-8" : "1024-65535", s);
	return false;
}

static bool parse_ports(struct pl *P, yaml_node_t *n, uint32_t max,
			struct ports *out)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return parse_port_item(P, n, max, out);
	if (n->data.sequence.items.start == n->data.sequence.items.top) {
		err(P, n, "ports must list at least one port");
		return false;
	}
	bool ok = true;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top; it++)
		ok &= parse_port_item(P, node_at(P, *it), max, out);
	return ok;
}

enum st_key { SK_FROM, SK_TO, SK_PROTOCOL, SK_PORTS, SK_HOPS, SK_EXTRA };

/* The keys of forbid and require; the last is the statement's own. */
static const char *const forbid_keys[] = {"from",  "to",   "protocol",
					  "ports", "hops", "except_via"};
static const char *const require_keys[] = {"from",  "to",   "protocol",
					   "ports", "hops", "placements"};

static void parse_statement(struct pl *P, yaml_node_t *n, struct policy *p,
			    const char *pdesc)
{
	static const struct misplaced in_forbid[] = {
	    {"placements", "applies to require, not forbid"}};
	static const struct misplaced in_require[] = {
	    {"except_via", "applies to forbid, not require"}};
	static const char *const protos[] = {"tcp", "udp", "icmp", "all"};
	static const enum proto proto_v[] = {PROTO_TCP, PROTO_UDP, PROTO_ICMP,
					     PROTO_ALL};
	const char *const *keys = p->require ? require_keys : forbid_keys;
	char what[192];
	snprintf(what, sizeof(what), "%s of %s",
		 p->require ? "require" : "forbid", pdesc);
	yaml_node_t *v[6], *kn[6];
	uint32_t sugg;
	if (!take_keys(P, n, what, keys, 6, p->require ? in_require : in_forbid,
		       1, v, kn, &sugg))
		return;
	need(P, n, v, keys, sugg, SK_FROM, what);
	need(P, n, v, keys, sugg, SK_TO, what);

	p->proto = PROTO_TCP;
	bool proto_ok = true;
	if (v[SK_PROTOCOL]) {
		int i = choice(P, v[SK_PROTOCOL], "protocol", protos, 4,
			       "tcp, udp, icmp or all");
		if (i >= 0)
			p->proto = proto_v[i];
		proto_ok = i >= 0;
	}
	uint32_t max = p->proto == PROTO_ICMP ? 255 : 65535;
	if (v[SK_PORTS] && p->proto == PROTO_ALL)
		err(P, kn[SK_PORTS],
		    "ports do not apply to protocol all, which stands for "
		    "every protocol and port");
	else if (v[SK_PORTS] && proto_ok)
		parse_ports(P, v[SK_PORTS], max, &p->ports);
	else if (p->require && p->proto != PROTO_ALL && proto_ok &&
		 !(sugg & (1u << SK_PORTS)))
		err(P, n,
		    "missing required key 'ports' in %s: a requirement names "
		    "the ports that must get through",
		    what);
	if (!v[SK_PORTS] && p->proto != PROTO_ALL)
		ports_add(&p->ports, 0, (uint16_t)max);

	if (v[SK_HOPS]) {
		const char *s = scalar(P, v[SK_HOPS], "hops");
		uint32_t h = 0;
		bool digits = s && *s && strspn(s, "0123456789") == strlen(s);
		/* Too many digits is out of range, not "not a number". */
		for (const char *c = s; digits && *c && h <= MAX_HOPS; c++)
			h = h * 10 + (uint32_t)(*c - '0');
		if (s && !digits)
			err(P, v[SK_HOPS],
			    "hops must be a whole number, not '%s'", s);
		else if (s && (h < 1 || h > MAX_HOPS))
			err(P, v[SK_HOPS], "hops %s out of range 1-%d", s,
			    MAX_HOPS);
		else if (s && h == 1 && !p->require)
			err(P, v[SK_HOPS],
			    "hops: 1 forbids nothing: every chain has at least "
			    "one hop (hops: 2 forbids direct reach)");
		else if (s && p->proto == PROTO_ICMP)
			err(P, v[SK_HOPS],
			    "hops need protocol tcp, udp or all: the "
			    "reachability graph has no icmp edges");
		else if (s && p->proto == PROTO_ALL && p->require)
			err(P, v[SK_HOPS],
			    "require with hops needs protocol tcp or udp");
		else if (s)
			p->hops = h;
	}
	if (v[SK_FROM])
		parse_sel(P, v[SK_FROM], "from", true, &p->from);
	if (v[SK_TO])
		parse_sel(P, v[SK_TO], "to", false, &p->to);
	if (p->from.n == 1 && p->to.n == 1 &&
	    p->from.v[0].kind == RN_INTERNET && p->to.v[0].kind == RN_INTERNET)
		err(P, v[SK_TO], "from and to are both the internet");
	if (v[SK_EXTRA] && !p->require)
		parse_sel(P, v[SK_EXTRA], "except_via", false, &p->via);
	if (v[SK_EXTRA] && p->require) {
		static const char *const pl[] = {"all", "some"};
		int i =
		    choice(P, v[SK_EXTRA], "placements", pl, 2, "all or some");
		p->some = i == 1;
	}
}

static bool id_chars_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		      *s == '.'))
			return false;
	return true;
}

/* Checks the id: form, built-in rules, earlier policies. */
static const char *parse_id(struct pl *P, yaml_node_t *n)
{
	const char *id = scalar(P, n, "a policy id");
	if (!id)
		return NULL;
	if (!*id) {
		err(P, n, "a policy id must not be empty");
		return NULL;
	}
	if (!id_chars_ok(id)) {
		err(P, n,
		    "policy id '%s' may hold only letters, digits, '-', '_' "
		    "and '.'",
		    id);
		return NULL;
	}
	const struct rule_def *d = rules_find(id);
	if (d) {
		err(P, n, "policy id '%s' is taken by built-in rule %s (%s)",
		    id, d->id, d->name);
		return NULL;
	}
	for (uint32_t i = 0; i < P->n_ids; i++)
		if (!strcmp(P->ids[i].id, id)) {
			err(P, n, "policy id '%s' repeated (first at %u:%u)",
			    id, P->ids[i].line, P->ids[i].col);
			return NULL;
		}
	for (uint32_t i = 0; P->set && i < P->set->n; i++) {
		const struct policy *q = &P->set->v[i];
		if (!strcmp(q->id, id)) {
			err(P, n, "policy id '%s' repeated (first at %s:%u:%u)",
			    id, q->loc.file, q->loc.line, q->loc.col);
			return NULL;
		}
	}
	P->ids = xreallocarray(P->ids, P->n_ids + 1, sizeof(*P->ids));
	P->ids[P->n_ids].id = id;
	node_pos(n, &P->ids[P->n_ids].line, &P->ids[P->n_ids].col);
	P->n_ids++;
	return id;
}

enum pol_key { PK_ID, PK_MESSAGE, PK_SEVERITY, PK_FORBID, PK_REQUIRE };

static void parse_policy(struct pl *P, yaml_node_t *n, uint32_t ordinal,
			 struct policy *p)
{
	static const char *const keys[] = {"id", "message", "severity",
					   "forbid", "require"};
	static const char *const sevs[] = {"info", "warning", "error"};
	char desc[160];
	snprintf(desc, sizeof(desc), "policy %u", ordinal);
	yaml_node_t *v[5], *kn[5];
	uint32_t sugg;
	memset(p, 0, sizeof(*p));
	p->severity = SEV_ERROR;
	if (n->type != YAML_MAPPING_NODE) {
		err(P, n,
		    "a policy must be a mapping with id, message and forbid "
		    "or require, not %s",
		    type_name(n));
		return;
	}
	/* The id first, so that every other message can name it. */
	for (yaml_node_pair_t *q = n->data.mapping.pairs.start;
	     q < n->data.mapping.pairs.top; q++) {
		yaml_node_t *k = node_at(P, q->key);
		yaml_node_t *val = node_at(P, q->value);
		if (k->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)k->data.scalar.value, "id") &&
		    val->type == YAML_SCALAR_NODE && !is_null(val)) {
			snprintf(desc, sizeof(desc), "policy '%s'",
				 (const char *)val->data.scalar.value);
			break;
		}
	}
	take_keys(P, n, desc, keys, 5, NULL, 0, v, kn, &sugg);
	need(P, n, v, keys, sugg, PK_ID, desc);
	need(P, n, v, keys, sugg, PK_MESSAGE, desc);
	if (v[PK_ID]) {
		const char *id = parse_id(P, v[PK_ID]);
		p->id = id ? xstrdup(id) : NULL;
		node_pos(v[PK_ID], &p->loc.line, &p->loc.col);
	}
	if (v[PK_MESSAGE]) {
		const char *s = scalar(P, v[PK_MESSAGE], "message");
		if (s && !s[strspn(s, " \t\n")])
			err(P, v[PK_MESSAGE],
			    "a policy message must not be "
			    "empty");
		else if (s)
			p->message = xstrdup(s);
	}
	if (v[PK_SEVERITY]) {
		int i = choice(P, v[PK_SEVERITY], "severity", sevs, 3,
			       "error, warning or info");
		if (i >= 0)
			p->severity = (enum severity)i;
	}
	if (v[PK_FORBID] && v[PK_REQUIRE]) {
		err(P, kn[PK_REQUIRE],
		    "%s has both forbid and require: a policy states one of "
		    "them",
		    desc);
		return;
	}
	if (!v[PK_FORBID] && !v[PK_REQUIRE]) {
		if (!(sugg & (1u << PK_FORBID | 1u << PK_REQUIRE)))
			err(P, n,
			    "missing required key 'forbid' or 'require' in "
			    "%s",
			    desc);
		return;
	}
	p->require = v[PK_REQUIRE] != NULL;
	parse_statement(P, p->require ? v[PK_REQUIRE] : v[PK_FORBID], p, desc);
}

/* The list under `policies:` into the set; errors in diags. */
static void parse_list(struct pl *P, yaml_node_t *list, struct policy_set *set,
		       const char *file)
{
	struct policy *v = NULL;
	uint32_t n = 0;
	size_t before = P->diags->n_errors;
	if (is_null(list))
		return;
	if (list->type != YAML_SEQUENCE_NODE) {
		err(P, list, "'policies' must be a list of policies, not %s",
		    type_name(list));
		return;
	}
	uint32_t ordinal = 0;
	for (yaml_node_item_t *it = list->data.sequence.items.start;
	     it < list->data.sequence.items.top; it++) {
		v = xreallocarray(v, n + 1, sizeof(*v));
		parse_policy(P, node_at(P, *it), ++ordinal, &v[n++]);
	}
	if (P->diags->n_errors != before) {
		for (uint32_t i = 0; i < n; i++)
			policy_free(&v[i]);
		free(v);
		return;
	}
	set->files =
	    xreallocarray(set->files, set->n_files + 1, sizeof(*set->files));
	char *name = xstrdup(file);
	set->files[set->n_files++] = name;
	for (uint32_t i = 0; i < n; i++) {
		if (set->n == set->cap) {
			set->cap = set->cap ? 2 * set->cap : 8;
			set->v =
			    xreallocarray(set->v, set->cap, sizeof(*set->v));
		}
		v[i].loc.file = name;
		set->v[set->n++] = v[i];
	}
	free(v);
}

/* Parses text into P->doc, within the loaders' limits; false after a
 * diagnostic. */
static bool parse_yaml(struct pl *P, const char *buf, size_t len)
{
	return ydoc_parse(&P->doc, P->file, buf, len, P->diags) == 0;
}

int policy_load_file(struct policy_set **out, const char *path,
		     const struct model *m, bool in_model,
		     struct diag_list *diags)
{
	struct pl P = {.file = path, .m = m, .diags = diags};
	size_t before = diags->n_errors;
	char *buf = NULL;
	size_t len;
	bool have_doc = false;
	P.first_diag = diags->n;
	if (!*out)
		*out = xcalloc(1, sizeof(**out));
	P.set = *out;
	if (file_read_text(&buf, &len, path, diags))
		goto out;
	if (!(have_doc = parse_yaml(&P, buf, len)))
		goto out;
	P.have = xcalloc(dense_count(m), 1);
	P.cands = xcalloc(m->n_objects + 1, sizeof(*P.cands));
	for (uint32_t i = 0; i < m->n_objects; i++)
		if (holds_address(m, m->by_id[i]->kind, m->by_id[i]->index))
			P.cands[P.n_cands++] = m->by_id[i]->id;

	yaml_node_t *root = yaml_document_get_root_node(&P.doc);
	yaml_node_t *list = NULL;
	if (in_model && root && root->type == YAML_MAPPING_NODE) {
		/* The model loader read everything else of this file. */
		for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
		     p < root->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node_at(&P, p->key);
			if (k->type == YAML_SCALAR_NODE &&
			    !strcmp((const char *)k->data.scalar.value,
				    "policies"))
				list = node_at(&P, p->value);
		}
	} else if (in_model) {
		/* Not a mapping: the model loader has said so already. */
	} else if (!root || is_null(root)) {
		diag_add(diags, DIAG_ERROR, path, 1, 1,
			 "the policy file is empty: expected 'policies:' "
			 "followed by a list");
	} else {
		static const char *const top[] = {"policies"};
		yaml_node_t *kn;
		uint32_t sugg;
		if (take_keys(&P, root, "the policy file", top, 1, NULL, 0,
			      &list, &kn, &sugg) &&
		    !list && !sugg)
			err(&P, root,
			    "missing required key 'policies' in the "
			    "policy file");
	}
	if (list)
		parse_list(&P, list, *out, path);
out:
	if (have_doc)
		yaml_document_delete(&P.doc);
	free(buf);
	free(P.have);
	free(P.cands);
	free(P.ids);
	return diags->n_errors == before ? 0 : -1;
}

/* ---- evaluation --------------------------------------------------------- */

struct run {
	const struct rule_ctx *ctx;
	struct finding_list *out;
	const struct model *m;
	const struct sim *s;
	struct graph *g;
	bool graph_failed;
	/* The graph's out-edges by vertex (adj[adj_first[v]..adj_first[v+1]])
	 * and a breadth-first search's scratch, for hop distances. */
	uint32_t *adj_first, *adj, *dist, *queue;
	/* reach_from tables of load balancers, [lb * 3 + slot], made on
	 * first use: one-hop forwards are looked up from every source. */
	struct reach_table *lb_tab;
	bool *lb_made;
	/* Per policy: dense sets of its to and except_via nodes, and a
	 * stamp per destination already reported for the current source. */
	uint32_t n_dense;
	uint8_t *in_to, *in_via;
	uint32_t *stamp, gen;
};

/* Protocols as table slots. */
static const enum proto slot_proto[3] = {PROTO_TCP, PROTO_UDP, PROTO_ICMP};

static const char *name_of(const struct run *R, const struct reach_node *x)
{
	return reach_node_name(R->s, x);
}

/*
 * A finding of policy p about src -> dst: about dst when it is a
 * resource (else src), at the policy's id.  The message is the policy's,
 * then what breaks it.
 */
__attribute__((format(printf, 5, 6))) static struct finding *
violation(struct run *R, const struct policy *p, const struct reach_node *src,
	  const struct reach_node *dst, const char *fmt, ...)
{
	const struct reach_node *about = dst->kind == RN_RESOURCE   ? dst
					 : src->kind == RN_RESOURCE ? src
								    : NULL;
	char key[256];
	snprintf(key, sizeof(key), "%s->%s", name_of(R, src), name_of(R, dst));
	struct finding *f = finding_new(R->out, R->m, p->id, p->id, p->severity,
					about ? about->rkind : MK_KIND_COUNT,
					about ? about->rindex : 0, key);
	f->loc = p->loc;
	va_list ap;
	va_start(ap, fmt);
	char *what = xvasprintf(fmt, ap);
	va_end(ap);
	size_t n = strlen(p->message) + strlen(what) + 3;
	f->message = xmalloc(n);
	snprintf(f->message, n, "%s: %s", p->message, what);
	free(what);
	return f;
}

/* "tcp 22,80", "every udp port", "icmp type 8", "all traffic". */
static void flow_words(char *buf, size_t size, enum proto pr,
		       const struct ports *v)
{
	char pp[128];
	if (pr == PROTO_ALL) {
		snprintf(buf, size, "all traffic");
		return;
	}
	bool icmp = pr == PROTO_ICMP;
	bool full =
	    v->n == 1 && v->r[0].lo == 0 && v->r[0].hi == (icmp ? 255 : 65535);
	if (full) {
		snprintf(buf, size,
			 icmp ? "icmp (every type)" : "every %s port",
			 proto_name(pr));
		return;
	}
	ports_format(pp, sizeof(pp), v);
	bool one = v->n == 1 && v->r[0].lo == v->r[0].hi;
	if (icmp)
		snprintf(buf, size, "icmp type%s %s", one ? "" : "s", pp);
	else
		snprintf(buf, size, "%s %s", proto_name(pr), pp);
}

/* "internet" for the representative client, else the engine's words;
 * the same as the built-in rules write. */
static void ep_text(char *buf, size_t size, const struct sim *s,
		    const struct sim_ep *ep)
{
	if (ep->kind == EP_INTERNET && ep->addr == SIM_INTERNET_ADDR)
		snprintf(buf, size, "internet");
	else
		sim_ep_format(buf, size, s, ep);
}

/* A step's sentence and where its rule is written. */
static void detail_step(struct finding *f, const char *lead,
			const struct sim_step *st)
{
	if (st->loc.line)
		finding_detail(f, "%s%s  [%s:%u]", lead, st->text,
			       st->loc.file ? st->loc.file : "-", st->loc.line);
	else
		finding_detail(f, "%s%s", lead, st->text);
}

/*
 * One traced pair as details, as the built-in rules quote one: "SRC ->
 * DST: FLOW reachable" and the steps that let it through (the rules a fix
 * would change), or "SRC -> DST: FLOW blocked at WORD: sentence [where]"
 * with the engine's hint; then the unknown value the verdict read.
 */
static void detail_pair(struct finding *f, const struct run *R,
			const struct sim_ep *a, const struct sim_ep *b,
			struct sim_flow flow)
{
	struct sim_result res;
	struct sim_trace t;
	char sn[160], dn[160], ft[48], head[400];
	sim_trace_init(&t);
	sim_connect(R->s, a, b, flow, &res, &t);
	ep_text(sn, sizeof(sn), R->s, a);
	ep_text(dn, sizeof(dn), R->s, b);
	sim_flow_format(ft, sizeof(ft), flow);
	if (res.reachable) {
		finding_detail(f, "%s -> %s: %s reachable", sn, dn, ft);
		for (uint32_t k = 0; k < t.n; k++) {
			const struct sim_step *st = &t.steps[k];
			if (st->block == BLK_NONE && st->kind != SK_NOTE &&
			    st->depth == 0)
				detail_step(f, "  ", st);
		}
	} else {
		const struct sim_step *st = NULL, *fw = NULL;
		if (res.block_step >= 0 && (uint32_t)res.block_step < t.n)
			st = &t.steps[res.block_step];
		for (uint32_t k = t.n; !st && k-- > 0;)
			if (t.steps[k].block != BLK_NONE)
				st = &t.steps[k];
		/* A load balancer with no target answering: the target's
		 * step says why. */
		for (uint32_t k = 0;
		     res.block == BLK_NO_HEALTHY_TARGET_PATH && !fw && k < t.n;
		     k++)
			if (t.steps[k].depth > 0 &&
			    t.steps[k].block != BLK_NONE)
				fw = &t.steps[k];
		snprintf(head, sizeof(head), "%s -> %s: %s blocked at %s%s", sn,
			 dn, ft, sim_block_name(res.block), st ? ": " : "");
		if (st)
			detail_step(f, head, st);
		else
			finding_detail(f, "%s", head);
		if (fw) {
			snprintf(head, sizeof(head), "  at the target: %s: ",
				 sim_block_name(fw->block));
			detail_step(f, head, fw);
			if (fw->hint)
				finding_detail(f, "  %s", fw->hint);
		}
		if (st && st->hint)
			finding_detail(f, "  %s", st->hint);
	}
	if (res.unknown)
		finding_detail(f, "  unknown: %s; the verdict depends on it",
			       res.unknown);
	sim_result_free(&res);
	sim_trace_free(&t);
}

/* Space no internet client has (RFC 6890), for picking a traced
 * internet source inside a reaching range. */
static const struct cidr not_internet[] = {
    {0x00000000u, 8},  {0x0A000000u, 8},  {0x64400000u, 10}, {0x7F000000u, 8},
    {0xA9FE0000u, 16}, {0xAC100000u, 12}, {0xC0A80000u, 16}, {0xE0000000u, 3},
};

static bool pick_public(uint32_t lo, uint32_t hi, uint32_t *out)
{
	uint64_t a = lo;
	while (a <= hi) {
		uint64_t next = 0;
		for (size_t i = 0; i < ARRAY_LEN(not_internet); i++)
			if (cidr_contains_addr(not_internet[i], (uint32_t)a))
				next = (uint64_t)cidr_last(not_internet[i]) + 1;
		if (!next) {
			*out = (uint32_t)a;
			return true;
		}
		a = next;
	}
	return false;
}

/* The endpoints of a node; for the internet, the representative client
 * then one address of each range of row (the internet sources that
 * reach), since a group may let in only part of the internet. */
static struct sim_ep *endpoints(const struct run *R, const struct reach_node *x,
				const struct reach_row *row, uint32_t *n)
{
	struct sim_sel sel = node_sel(x);
	if (x->kind != RN_INTERNET || !row || row->any_source ||
	    !row->n_sources)
		return sim_sel_endpoints(R->s, &sel, n);
	struct sim_ep *v = xcalloc(row->n_sources + 1, sizeof(*v));
	uint32_t k = 0;
	v[k++] =
	    (struct sim_ep){.kind = EP_INTERNET, .addr = SIM_INTERNET_ADDR};
	for (uint32_t i = 0; i < row->n_sources; i++) {
		uint32_t a;
		if (pick_public(row->sources[i].lo, row->sources[i].hi, &a))
			v[k++] =
			    (struct sim_ep){.kind = EP_INTERNET, .addr = a};
	}
	*n = k;
	return v;
}

/* The port to trace out of a set that reaches: a familiar one when the
 * set is wide (port 0 would read as a mistake), else its first. */
static struct sim_flow trace_flow(enum proto pr, const struct ports *v)
{
	static const uint16_t usual[] = {443, 80, 22};
	if (pr == PROTO_ICMP)
		return (struct sim_flow){pr,
					 ports_contains(v, 8) ? 8 : v->r[0].lo};
	for (size_t i = 0; i < ARRAY_LEN(usual); i++)
		if (ports_contains(v, usual[i]))
			return (struct sim_flow){pr, usual[i]};
	uint16_t lo = v->r[0].lo;
	return (struct sim_flow){pr, lo == 0 && v->r[0].hi > 0 ? 1 : lo};
}

/* Traces the first placement pair of src -> dst that reaches on flow. */
static void detail_reaching(struct finding *f, const struct run *R,
			    const struct reach_node *src,
			    const struct reach_node *dst,
			    const struct reach_row *row, struct sim_flow flow)
{
	uint32_t ns, nd;
	struct sim_ep *a = endpoints(R, src, row, &ns);
	struct sim_ep *b = endpoints(R, dst, NULL, &nd);
	bool done = false;
	for (uint32_t i = 0; i < ns && !done; i++)
		for (uint32_t j = 0; j < nd && !done; j++) {
			struct sim_result res;
			sim_connect(R->s, &a[i], &b[j], flow, &res, NULL);
			done = res.reachable;
			sim_result_free(&res);
			if (done)
				detail_pair(f, R, &a[i], &b[j], flow);
		}
	free(a);
	free(b);
}

/* The policy's ports of a slot: its own, or everything of the protocol
 * when it is `all`. */
static const struct ports *want_ports(const struct policy *p, int slot,
				      struct ports *full)
{
	if (p->proto != PROTO_ALL)
		return &p->ports;
	ports_clear(full);
	ports_add(full, 0, slot_proto[slot] == PROTO_ICMP ? 255 : 65535);
	return full;
}

static bool checks_slot(const struct policy *p, int slot)
{
	return p->proto == PROTO_ALL || p->proto == slot_proto[slot];
}

/* reach_from of a source; the shared exposure tables for the internet. */
static const struct reach_table *source_table(const struct run *R,
					      const struct reach_node *x,
					      int slot, struct reach_table *own)
{
	if (x->kind == RN_INTERNET && slot_proto[slot] == PROTO_TCP)
		return &R->ctx->exposure_tcp;
	if (x->kind == RN_INTERNET && slot_proto[slot] == PROTO_UDP)
		return &R->ctx->exposure_udp;
	struct sim_sel sel = node_sel(x);
	reach_from(own, R->ctx->ix, &sel, slot_proto[slot], false);
	return own;
}

static const struct reach_table *lb_table(struct run *R, uint32_t lb, int slot)
{
	uint32_t k = lb * 3 + (uint32_t)slot;
	if (!R->lb_made[k]) {
		struct reach_node x = {.kind = RN_RESOURCE,
				       .rkind = MK_LOAD_BALANCER,
				       .rindex = lb};
		struct sim_sel sel = node_sel(&x);
		reach_from(&R->lb_tab[k], R->ctx->ix, &sel, slot_proto[slot],
			   false);
		R->lb_made[k] = true;
	}
	return &R->lb_tab[k];
}

static bool same_node(const struct reach_node *a, const struct reach_node *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->kind == RN_SERVICE)
		return a->service == b->service;
	if (a->kind == RN_RESOURCE)
		return a->rkind == b->rkind && a->rindex == b->rindex;
	return true;
}

/* Direct reach on the policy's flow: the engine's port sets, per row. */
static void forbid_rows(struct run *R, const struct policy *p,
			const struct reach_node *src,
			const struct reach_table *const t[3])
{
	struct ports v = PORTS_INIT, full = PORTS_INIT;
	for (int slot = 0; slot < 3; slot++) {
		if (!checks_slot(p, slot))
			continue;
		const struct ports *want = want_ports(p, slot, &full);
		for (uint32_t i = 0; i < t[slot]->n; i++) {
			const struct reach_row *r = &t[slot]->rows[i];
			uint32_t d = dense_id(R->m, &r->dst);
			if (!R->in_to[d] || R->stamp[d] == R->gen ||
			    same_node(&r->dst, src))
				continue;
			ports_intersect(&v, &r->some, want);
			if (ports_empty(&v))
				continue;
			R->stamp[d] = R->gen;
			char words[160];
			flow_words(words, sizeof(words), slot_proto[slot], &v);
			struct finding *f = violation(
			    R, p, src, &r->dst, "%s reaches %s on %s",
			    name_of(R, src), name_of(R, &r->dst), words);
			detail_reaching(f, R, src, &r->dst, r,
					trace_flow(slot_proto[slot], &v));
		}
	}
	ports_free(&v);
	ports_free(&full);
}

/* Whether target group tg has resource x among its targets: registered
 * instances, addresses that x's placements hold, or a service bound to
 * it. */
static bool tg_has(const struct model *m, uint32_t tg,
		   const struct reach_node *x)
{
	const struct model_target_group *g = &m->target_groups[tg];
	for (uint32_t i = 0; i < g->n_targets; i++) {
		const struct model_tg_target *t = &g->targets[i];
		if (t->instance != MODEL_NONE) {
			if (x->rkind == MK_INSTANCE && x->rindex == t->instance)
				return true;
			continue;
		}
		uint32_t n;
		const struct model_placement *pl =
		    model_placements(m, x->rkind, x->rindex, &n);
		for (uint32_t k = 0; k < n; k++)
			if (pl[k].addr == t->addr)
				return true;
	}
	if (x->rkind == MK_SERVICE)
		for (uint32_t i = 0; i < m->services[x->rindex].n_bindings; i++)
			if (m->services[x->rindex].bindings[i].target_group ==
			    tg)
				return true;
	return false;
}

static bool action_to(const struct model *m, const struct model_lb_action *a,
		      const struct reach_node *x)
{
	return a->kind == LBA_FORWARD && a->target_group != MODEL_NONE &&
	       tg_has(m, a->target_group, x);
}

/* Whether load balancer lb forwards to resource x: a listener's default
 * action or one of its rules names a target group x is in.  Its other
 * connections are its own, not forwards (§8). */
static bool lb_forwards_to(const struct model *m, uint32_t lb,
			   const struct reach_node *x)
{
	const struct model_load_balancer *b = &m->lbs[lb];
	if (x->kind != RN_RESOURCE)
		return false;
	for (uint32_t l = 0; l < b->n_listeners; l++) {
		const struct model_listener *li = &b->listeners[l];
		if (action_to(m, &li->default_action, x))
			return true;
		for (uint32_t r = 0; r < li->n_rules; r++)
			if (action_to(m, &li->rules[r].action, x))
				return true;
	}
	return false;
}

/* One hop through a load balancer, which forwards by itself (§13): src
 * reaches lb on some tcp or udp port, and lb reaches one of its targets,
 * a destination, on the policy's flow. */
static void forbid_forwards(struct run *R, const struct policy *p,
			    const struct reach_node *src,
			    const struct reach_table *const t[3], bool *lb_seen)
{
	struct ports v = PORTS_INIT, full = PORTS_INIT;
	for (int s1 = 0; s1 < 2; s1++)
		for (uint32_t i = 0; i < t[s1]->n; i++) {
			const struct reach_row *r1 = &t[s1]->rows[i];
			const struct reach_node *lb = &r1->dst;
			if (lb->kind != RN_RESOURCE ||
			    lb->rkind != MK_LOAD_BALANCER ||
			    lb_seen[lb->rindex] || ports_empty(&r1->some) ||
			    same_node(lb, src) || R->in_via[dense_id(R->m, lb)])
				continue;
			lb_seen[lb->rindex] = true;
			for (int slot = 0; slot < 3; slot++) {
				if (!checks_slot(p, slot))
					continue;
				const struct ports *want =
				    want_ports(p, slot, &full);
				const struct reach_table *tl =
				    lb_table(R, lb->rindex, slot);
				for (uint32_t k = 0; k < tl->n; k++) {
					const struct reach_row *r2 =
					    &tl->rows[k];
					uint32_t d = dense_id(R->m, &r2->dst);
					if (!R->in_to[d] ||
					    R->stamp[d] == R->gen ||
					    same_node(&r2->dst, src) ||
					    same_node(&r2->dst, lb))
						continue;
					ports_intersect(&v, &r2->some, want);
					if (ports_empty(&v) ||
					    !lb_forwards_to(R->m, lb->rindex,
							    &r2->dst))
						continue;
					R->stamp[d] = R->gen;
					char words[160], first[160], p1[128];
					flow_words(words, sizeof(words),
						   slot_proto[slot], &v);
					ports_format(p1, sizeof(p1), &r1->some);
					snprintf(first, sizeof(first), "%s %s",
						 proto_name(slot_proto[s1]),
						 p1);
					struct finding *f = violation(
					    R, p, src, &r2->dst,
					    "%s reaches %s on %s through load "
					    "balancer %s",
					    name_of(R, src),
					    name_of(R, &r2->dst), words,
					    name_of(R, lb));
					finding_detail(
					    f,
					    "%s -> %s (%s) -> %s (%s): "
					    "the load balancer forwards "
					    "by itself",
					    name_of(R, src), name_of(R, lb),
					    first, name_of(R, &r2->dst), words);
					detail_reaching(
					    f, R, lb, &r2->dst, NULL,
					    trace_flow(slot_proto[slot], &v));
				}
			}
		}
	ports_free(&v);
	ports_free(&full);
}

static void forbid_direct(struct run *R, const struct policy *p)
{
	bool *lb_seen = xcalloc(R->m->n[MK_LOAD_BALANCER] + 1, sizeof(bool));
	for (uint32_t i = 0; i < p->from.n; i++) {
		const struct reach_node *src = &p->from.v[i];
		struct reach_table own[3];
		const struct reach_table *t[3];
		memset(own, 0, sizeof(own));
		memset(lb_seen, 0,
		       (R->m->n[MK_LOAD_BALANCER] + 1) * sizeof(bool));
		R->gen++;
		/* tcp and udp always: the first hop to a load balancer may be
		 * either, whatever the policy's protocol. */
		for (int slot = 0; slot < 3; slot++)
			t[slot] = slot < 2 || checks_slot(p, slot)
				      ? source_table(R, src, slot, &own[slot])
				      : &own[slot];
		forbid_rows(R, p, src, t);
		forbid_forwards(R, p, src, t, lb_seen);
		for (int slot = 0; slot < 3; slot++)
			reach_table_free(&own[slot]);
	}
	free(lb_seen);
}

/* The policy's ports the last edge of a chain carries (some pair). */
static bool edge_carries(const struct policy *p, const struct graph_edge *e,
			 bool all_pairs, bool whole, struct ports *v,
			 enum proto *pr)
{
	for (int slot = 0; slot < 2; slot++) {
		if (!checks_slot(p, slot))
			continue;
		const struct ports *have =
		    slot == 0 ? (all_pairs ? &e->tcp_all : &e->tcp_some)
			      : (all_pairs ? &e->udp_all : &e->udp_some);
		*pr = slot_proto[slot];
		if (p->proto == PROTO_ALL) {
			ports_copy(v, have);
		} else if (whole) {
			/* require: every port of the policy. */
			ports_diff(v, &p->ports, have);
			if (ports_empty(v)) {
				ports_copy(v, &p->ports);
				return true;
			}
			continue;
		} else {
			ports_intersect(v, have, &p->ports);
		}
		if (!ports_empty(v))
			return true;
	}
	return false;
}

/* "internet -> alb (tcp 80,443) -> web (tcp 3000)". */
static void chain_text(char *buf, size_t size, const struct run *R,
		       const struct graph_chain *c)
{
	size_t off = (size_t)snprintf(buf, size, "%s",
				      name_of(R, &R->g->nodes[c->v[0]]));
	for (uint32_t k = 0; k < c->hops && off < size; k++) {
		char label[256];
		graph_edge_label(label, sizeof(label), &R->g->edges[c->e[k]]);
		off += (size_t)snprintf(buf + off, size - off, " -> %s (%s)",
					name_of(R, &R->g->nodes[c->v[k + 1]]),
					label);
	}
}

/* The endpoints a chain needs taken over (or calling on their own): its
 * intermediates, but load balancers, which forward by themselves. */
static void chain_needs(struct finding *f, const struct run *R,
			const struct graph_chain *c)
{
	char buf[512];
	size_t off = 0;
	buf[0] = '\0';
	for (uint32_t k = 1; k < c->hops && off < sizeof(buf); k++) {
		const struct reach_node *x = &R->g->nodes[c->v[k]];
		if (x->kind == RN_RESOURCE && x->rkind == MK_LOAD_BALANCER)
			continue;
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
					off ? ", " : "", name_of(R, x));
	}
	if (*buf)
		finding_detail(
		    f, "needs a compromised or calling endpoint at: %s", buf);
}

static void build_adjacency(struct run *R)
{
	const struct graph *g = R->g;
	R->adj_first = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	R->adj = xcalloc(g->n_edges + 1, sizeof(uint32_t));
	R->dist = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	R->queue = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t e = 0; e < g->n_edges; e++)
		R->adj_first[g->edges[e].from + 1]++;
	for (uint32_t v = 0; v < g->n_nodes; v++)
		R->adj_first[v + 1] += R->adj_first[v];
	/* dist is free until the first search: use it as fill pointers. */
	for (uint32_t v = 0; v < g->n_nodes; v++)
		R->dist[v] = R->adj_first[v];
	for (uint32_t e = 0; e < g->n_edges; e++)
		R->adj[R->dist[g->edges[e].from]++] = g->edges[e].to;
}

/*
 * Hops from vertex a to every vertex (UINT32_MAX: none) into R->dist,
 * along chains as graph_chains takes them: the internet and AWS services
 * only at the ends, and, when skip_via, never through an except_via
 * node.  A destination farther than a policy's bound has no chain
 * within it, so the costly enumeration of chains is skipped; one within
 * it has at least one.
 */
static void hop_distances(struct run *R, uint32_t a, bool skip_via)
{
	const struct graph *g = R->g;
	uint32_t head = 0, tail = 0;
	for (uint32_t v = 0; v < g->n_nodes; v++)
		R->dist[v] = UINT32_MAX;
	R->dist[a] = 0;
	R->queue[tail++] = a;
	while (head < tail) {
		uint32_t u = R->queue[head++];
		const struct reach_node *x = &g->nodes[u];
		if (u != a && (x->kind != RN_RESOURCE ||
			       (skip_via && R->in_via[dense_id(R->m, x)])))
			continue;
		for (uint32_t k = R->adj_first[u]; k < R->adj_first[u + 1];
		     k++) {
			uint32_t w = R->adj[k];
			if (R->dist[w] != UINT32_MAX)
				continue;
			R->dist[w] = R->dist[u] + 1;
			R->queue[tail++] = w;
		}
	}
}

static bool graph_ready(struct run *R, const struct policy *p)
{
	if (!R->g && !R->graph_failed) {
		if (graph_build(&R->g, R->ctx->ix) == 0) {
			build_adjacency(R);
		} else {
			R->g = NULL;
			R->graph_failed = true;
		}
	}
	if (R->g)
		return true;
	struct reach_node inet = {.kind = RN_INTERNET};
	violation(R, p, &inet, &inet,
		  "could not be evaluated: the reachability graph could not "
		  "be built");
	return false;
}

static void forbid_hops(struct run *R, const struct policy *p)
{
	if (!graph_ready(R, p))
		return;
	struct ports v = PORTS_INIT;
	for (uint32_t i = 0; i < p->from.n; i++) {
		const struct reach_node *src = &p->from.v[i];
		uint32_t a = graph_vertex(R->g, src);
		if (a == UINT32_MAX)
			continue;
		hop_distances(R, a, true);
		for (uint32_t j = 0; j < p->to.n; j++) {
			const struct reach_node *dst = &p->to.v[j];
			uint32_t b = graph_vertex(R->g, dst);
			if (b == UINT32_MAX || a == b ||
			    R->dist[b] > p->hops - 1)
				continue;
			struct graph_chain *c;
			uint32_t n;
			if (graph_chains(&c, &n, R->g, a, b, p->hops - 1) != 0)
				continue;
			int first = -1;
			uint32_t count = 0;
			enum proto pr = PROTO_TCP, first_pr = PROTO_TCP;
			struct ports first_v = PORTS_INIT;
			for (uint32_t k = 0; k < n; k++) {
				bool via = false;
				for (uint32_t h = 1; h < c[k].hops && !via; h++)
					via = R->in_via[dense_id(
					    R->m, &R->g->nodes[c[k].v[h]])];
				if (via ||
				    !edge_carries(
					p, &R->g->edges[c[k].e[c[k].hops - 1]],
					false, false, &v, &pr))
					continue;
				if (first < 0) {
					first = (int)k;
					first_pr = pr;
					ports_copy(&first_v, &v);
				}
				count++;
			}
			if (first >= 0) {
				const struct graph_chain *fc = &c[first];
				char words[160], text[1024];
				flow_words(words, sizeof(words), first_pr,
					   &first_v);
				struct finding *f = violation(
				    R, p, src, dst,
				    "%s reaches %s on %s in %u hop%s, fewer "
				    "than %u",
				    name_of(R, src), name_of(R, dst), words,
				    fc->hops, fc->hops == 1 ? "" : "s",
				    p->hops);
				chain_text(text, sizeof(text), R, fc);
				finding_detail(f, "%u hop%s: %s", fc->hops,
					       fc->hops == 1 ? "" : "s", text);
				chain_needs(f, R, fc);
				/* The last hop, traced: the connection that
				 * lands on the destination. */
				detail_reaching(
				    f, R, &R->g->nodes[fc->v[fc->hops - 1]],
				    dst, NULL, trace_flow(first_pr, &first_v));
				if (count > 1)
					finding_detail(
					    f,
					    "%u more chain%s of at most %u "
					    "hops",
					    count - 1, count == 2 ? "" : "s",
					    p->hops - 1);
			}
			ports_free(&first_v);
			graph_chains_free(c, n);
		}
	}
	ports_free(&v);
}

/* Every (or some) placement pair of src -> dst on every port. */
static void require_pair(struct run *R, const struct policy *p,
			 const struct reach_node *src,
			 const struct reach_node *dst)
{
	uint32_t ns, nd;
	struct sim_ep *a = endpoints(R, src, NULL, &ns);
	struct sim_ep *b = endpoints(R, dst, NULL, &nd);
	struct ports got = PORTS_INIT, miss = PORTS_INIT, missing = PORTS_INIT,
		     covered = PORTS_INIT, tmp = PORTS_INIT;
	/* An end with no placement left (a failed zone, vpcsim sim) reaches
	 * nothing: the requirement is not met, never vacuously true. */
	if (!ns || !nd) {
		violation(R, p, src, dst, "%s has no placement left",
			  name_of(R, ns ? dst : src));
		free(a);
		free(b);
		return;
	}
	uint32_t n_pairs = ns * nd, n_fail = 0;
	int first = -1;
	uint16_t first_port = 0;
	bool *failed = xcalloc(n_pairs + 1, sizeof(bool));
	for (uint32_t i = 0; i < ns; i++)
		for (uint32_t j = 0; j < nd; j++) {
			uint32_t k = i * nd + j;
			struct sim_result res;
			if (p->proto == PROTO_ALL) {
				sim_connect(R->s, &a[i], &b[j],
					    (struct sim_flow){PROTO_ALL, 0},
					    &res, NULL);
				failed[k] = !res.reachable;
			} else {
				sim_ports(R->s, &a[i], &b[j], p->proto, &got,
					  &res);
				ports_diff(&miss, &p->ports, &got);
				failed[k] = !ports_empty(&miss);
				ports_union(&missing, &missing, &miss);
				ports_intersect(&tmp, &got, &p->ports);
				ports_union(&covered, &covered, &tmp);
				if (failed[k] && first < 0)
					first_port = miss.r[0].lo;
			}
			sim_result_free(&res);
			if (failed[k]) {
				n_fail++;
				if (first < 0)
					first = (int)k;
			}
		}
	bool violated;
	if (p->some && p->proto != PROTO_ALL) {
		/* Some pair per port: a port fails when no pair reaches it. */
		ports_diff(&missing, &p->ports, &covered);
		violated = !ports_empty(&missing);
		if (violated) {
			first = 0;
			first_port = missing.r[0].lo;
		}
	} else {
		violated = p->some ? n_fail == n_pairs : n_fail > 0;
	}
	if (violated) {
		char words[160], where[96] = "";
		flow_words(words, sizeof(words), p->proto, &missing);
		if (n_fail < n_pairs && !p->some)
			snprintf(where, sizeof(where),
				 " from %u of %u placement pairs", n_fail,
				 n_pairs);
		else if (n_pairs > 1)
			snprintf(where, sizeof(where), " from any placement");
		struct finding *f =
		    violation(R, p, src, dst, "%s does not reach %s on %s%s",
			      name_of(R, src), name_of(R, dst), words, where);
		struct sim_flow flow = {p->proto, first_port};
		/* Which pairs fail, when only some do: the "works in one AZ"
		 * case. */
		if (n_fail < n_pairs && !p->some)
			for (uint32_t k = 0, shown = 0;
			     k < n_pairs && shown < 8; k++) {
				if (!failed[k])
					continue;
				char sn[160], dn[160];
				sim_ep_format(sn, sizeof(sn), R->s, &a[k / nd]);
				sim_ep_format(dn, sizeof(dn), R->s, &b[k % nd]);
				finding_detail(f, "fails: %s -> %s", sn, dn);
				shown++;
			}
		detail_pair(f, R, &a[(uint32_t)first / nd],
			    &b[(uint32_t)first % nd], flow);
	}
	free(failed);
	free(a);
	free(b);
	ports_free(&got);
	ports_free(&miss);
	ports_free(&missing);
	ports_free(&covered);
	ports_free(&tmp);
}

/* require with hops: some chain of at most hops hops whose every edge
 * reaches (from every placement pair, or some) and whose last edge
 * carries every port of the policy. */
static void require_hops(struct run *R, const struct policy *p,
			 const struct reach_node *src,
			 const struct reach_node *dst)
{
	uint32_t a = graph_vertex(R->g, src), b = graph_vertex(R->g, dst);
	if (a == UINT32_MAX || b == UINT32_MAX || a == b)
		return;
	struct graph_chain *c = NULL;
	uint32_t n = 0;
	hop_distances(R, a, false);
	if (R->dist[b] <= p->hops &&
	    graph_chains(&c, &n, R->g, a, b, p->hops) != 0)
		return;
	struct ports v = PORTS_INIT;
	enum proto pr;
	bool found = false;
	for (uint32_t k = 0; k < n && !found; k++) {
		bool ok = true;
		for (uint32_t h = 0; h + 1 < c[k].hops && ok; h++) {
			const struct graph_edge *e = &R->g->edges[c[k].e[h]];
			ok = !p->some ? !ports_empty(&e->tcp_all) ||
					    !ports_empty(&e->udp_all)
				      : !ports_empty(&e->tcp_some) ||
					    !ports_empty(&e->udp_some);
		}
		found =
		    ok && edge_carries(p, &R->g->edges[c[k].e[c[k].hops - 1]],
				       !p->some, true, &v, &pr);
	}
	if (!found) {
		char words[160], text[1024];
		flow_words(words, sizeof(words), p->proto, &p->ports);
		struct finding *f =
		    violation(R, p, src, dst,
			      "%s does not reach %s on %s within %u hop%s",
			      name_of(R, src), name_of(R, dst), words, p->hops,
			      p->hops == 1 ? "" : "s");
		if (n) {
			chain_text(text, sizeof(text), R, &c[0]);
			finding_detail(f, "shortest chain: %s", text);
			finding_detail(
			    f,
			    "no chain carries %s on its last hop with "
			    "every hop reaching from %s",
			    words,
			    p->some ? "some placement pair"
				    : "every placement pair");
		} else {
			finding_detail(f, "no chain of at most %u hop%s at all",
				       p->hops, p->hops == 1 ? "" : "s");
		}
	}
	ports_free(&v);
	graph_chains_free(c, n);
}

static void require_all(struct run *R, const struct policy *p)
{
	if (p->hops && !graph_ready(R, p))
		return;
	for (uint32_t i = 0; i < p->from.n; i++)
		for (uint32_t j = 0; j < p->to.n; j++) {
			const struct reach_node *src = &p->from.v[i];
			const struct reach_node *dst = &p->to.v[j];
			if (same_node(src, dst))
				continue;
			if (p->hops)
				require_hops(R, p, src, dst);
			else
				require_pair(R, p, src, dst);
		}
}

void policy_run(struct finding_list *out, const struct policy_set *set,
		struct rule_ctx *ctx)
{
	if (!set || !set->n)
		return;
	struct run R = {.ctx = ctx, .out = out, .m = ctx->m, .s = ctx->s};
	uint32_t n_lb = R.m->n[MK_LOAD_BALANCER];
	R.n_dense = dense_count(R.m);
	R.lb_tab = xcalloc(3 * n_lb + 1, sizeof(*R.lb_tab));
	R.lb_made = xcalloc(3 * n_lb + 1, sizeof(*R.lb_made));
	R.in_to = xcalloc(R.n_dense, 1);
	R.in_via = xcalloc(R.n_dense, 1);
	R.stamp = xcalloc(R.n_dense, sizeof(*R.stamp));
	for (uint32_t i = 0; i < set->n; i++) {
		const struct policy *p = &set->v[i];
		memset(R.in_to, 0, R.n_dense);
		memset(R.in_via, 0, R.n_dense);
		for (uint32_t k = 0; k < p->to.n; k++)
			R.in_to[dense_id(R.m, &p->to.v[k])] = 1;
		for (uint32_t k = 0; k < p->via.n; k++)
			R.in_via[dense_id(R.m, &p->via.v[k])] = 1;
		if (p->require)
			require_all(&R, p);
		else if (p->hops)
			forbid_hops(&R, p);
		else
			forbid_direct(&R, p);
	}
	for (uint32_t k = 0; k < 3 * n_lb; k++)
		reach_table_free(&R.lb_tab[k]);
	free(R.lb_tab);
	free(R.lb_made);
	free(R.in_to);
	free(R.in_via);
	free(R.stamp);
	free(R.adj_first);
	free(R.adj);
	free(R.dist);
	free(R.queue);
	graph_free(R.g);
}
