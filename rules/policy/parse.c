/*
 * Reading policies (docs/policy.md) from a policy file, or from a model
 * file's `policies:` section handed over by the model loader: the YAML
 * through the reading kit (base/ykit.h), so a policy and a model are read
 * under one set of rules (merge keys, tags, duplicate keys, positions);
 * selectors in the words sim/select.c knows, plus mappings of kind, tag
 * and subnet.  What a selector names in the model is resolve.c's.
 *
 * A file is read whole: every error is reported, and a file with any
 * error adds nothing to the set (policy_impl.h has the set's invariants).
 * The reader's policy ids are borrowed from the document while it reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/util.h"
#include "base/ydoc.h"
#include "rules/policy/policy_impl.h"

/* ---- the set ------------------------------------------------------------- */

void pol_members_free(struct pol_members *l)
{
	for (uint32_t i = 0; i < l->n; i++)
		free(l->v[i].id);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void pol_end_free(struct pol_end *e)
{
	for (uint32_t i = 0; i < e->n; i++)
		free(e->v[i].tags);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static void policy_free(struct policy *p)
{
	free(p->id);
	free(p->message);
	pol_members_free(&p->from);
	pol_members_free(&p->to);
	pol_members_free(&p->via);
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

/* ---- the reader ---------------------------------------------------------- */

/* A policy id of the file being read, borrowed from its document. */
struct seen_id {
	const char *id;
	uint32_t line, col;
};

/* Reads one file's policies (or one model's section). */
struct policy_reader {
	struct ykit R;
	const struct model *m;	      /* what the selectors are checked on */
	const struct policy_set *set; /* earlier files' policies */
	/* This file's policy ids so far, for duplicates. */
	struct seen_id *ids;
	uint32_t n_ids;
};

/* One of names, with a did-you-mean when the text is close to one. */
static int choice(struct policy_reader *P, const struct ydoc_node *n,
		  const char *what, const char *const *names, size_t count,
		  const char *list)
{
	const char *s = ykit_scalar(&P->R, n, what);
	if (!s)
		return -1;
	for (size_t i = 0; i < count; i++)
		if (!strcmp(s, names[i]))
			return (int)i;
	const char *near = util_closest(s, names, count);
	if (near)
		ykit_err(&P->R, n,
			 "%s must be %s, not '%s' (did you mean '%s'?)", what,
			 list, s, near);
	else
		ykit_err(&P->R, n, "%s must be %s, not '%s'", what, list, s);
	return -1;
}

/* ---- selectors ----------------------------------------------------------- */

static const char *const sel_keys[] = {"kind", "tag", "subnet"};

/* The index in pol_kinds of a kind's name, or -1 after an error. */
static int parse_kind(struct policy_reader *P, const struct ydoc_node *n)
{
	const char *names[POL_KIND_COUNT];
	const char *s = ykit_scalar(&P->R, n, "kind");
	if (!s)
		return -1;
	for (size_t i = 0; i < POL_KIND_COUNT; i++) {
		if (!strcmp(s, pol_kinds[i].name))
			return (int)i;
		names[i] = pol_kinds[i].name;
	}
	/* A kind of the model that holds no address (subnet, security
	 * group, ...) is no typo: say what a selector can pick instead. */
	for (int k = 0; k < MK_KIND_COUNT; k++)
		if (!strcmp(s, model_kind_name(k))) {
			ykit_err(&P->R, n,
				 "kind '%s' holds no address: a selector picks "
				 "instance, network_interface, load_balancer, "
				 "service, database, nat_gateway or "
				 "vpc_endpoint",
				 s);
			return -1;
		}
	const char *near = util_closest(s, names, ARRAY_LEN(names));
	if (near)
		ykit_err(&P->R, n, "unknown kind '%s' (did you mean '%s'?)", s,
			 near);
	else
		ykit_err(&P->R, n,
			 "unknown kind '%s'; kinds with addresses: instance, "
			 "network_interface, load_balancer, service, database, "
			 "nat_gateway, vpc_endpoint",
			 s);
	return -1;
}

/* tag: {k: v, ...}, a non-empty mapping of scalars, at most 32 pairs. */
static void parse_tags(struct policy_reader *P, const struct ydoc_node *n,
		       struct pol_sel *sel)
{
	enum { MAX_TAGS = 32 };
	if (n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.start == n->data.mapping.pairs.top) {
		ykit_err(&P->R, n,
			 "tag must be a mapping like {tier: data}, not %s",
			 n->type == YAML_MAPPING_NODE ? "an empty one"
						      : ykit_type_name(n));
		return;
	}
	sel->tags = xcalloc(MAX_TAGS, sizeof(*sel->tags));
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		struct ydoc_node *k = ykit_node(P->R.doc, p->key);
		struct ydoc_node *val = ykit_node(P->R.doc, p->value);
		if (!ykit_scalar(&P->R, k, "a tag key") ||
		    !ykit_scalar(&P->R, val, "a tag value"))
			continue;
		if (sel->n_tags == MAX_TAGS) {
			ykit_err(&P->R, k, "a selector takes at most %d tags",
				 MAX_TAGS);
			break;
		}
		sel->tags[sel->n_tags++] = (struct pol_tag){k, val};
	}
}

/* {kind: K, tag: {k: v}, subnet: S}: every given key must match.  The
 * selector is bad after an error about its values (not about its keys);
 * what the subnet names is resolve.c's to check. */
static void parse_sel_map(struct policy_reader *P, const struct ydoc_node *n,
			  struct pol_sel *sel)
{
	struct ydoc_node *v[3];
	sel->form = PSEL_MATCH;
	sel->kind = -1;
	ykit_take_keys(&P->R, n, "a selector", sel_keys, 3, v, NULL);
	size_t before = P->R.diags->n_errors;
	if (v[0])
		sel->kind = parse_kind(P, v[0]);
	if (v[1])
		parse_tags(P, v[1], sel);
	if (v[2]) {
		sel->subnet = v[2];
		sel->subnet_id = ykit_scalar(&P->R, v[2], "subnet");
	}
	bool any = v[0] || v[1] || v[2];
	if (!any && !ykit_suggested(&P->R, n, "kind") &&
	    !ykit_suggested(&P->R, n, "tag") &&
	    !ykit_suggested(&P->R, n, "subnet"))
		ykit_err(&P->R, n,
			 "a selector mapping needs kind, tag or subnet");
	sel->bad = P->R.diags->n_errors != before || !any;
}

/* The words of a selector: internet, aws:SERVICE, or a resource id (an
 * address or ID@SUBNET names no policy member: read as an id, which no
 * resource has). */
static void parse_sel_words(struct policy_reader *P, const struct ydoc_node *n,
			    const char *s, bool is_from, struct pol_sel *sel)
{
	struct sim_sel_words w;
	sim_sel_read(&w, s);
	switch (w.form) {
	case SF_INTERNET:
		sel->form = PSEL_INTERNET;
		if (w.v6) {
			ykit_err(&P->R, n,
				 "policies ask over IPv4: internet6 is for "
				 "trace and reach");
			sel->bad = true;
		}
		return;
	case SF_SERVICE:
		sel->form = PSEL_SERVICE;
		sel->service = w.service;
		if (w.service == SVC_NONE) {
			char msg[1024];
			sim_service_unknown(msg, sizeof(msg), s, true);
			ykit_err(&P->R, n, "%s", msg);
			sel->bad = true;
		} else if (is_from) {
			ykit_err(&P->R, n,
				 "%s cannot be a source: AWS services open no "
				 "connections into a VPC",
				 s);
			sel->bad = true;
		}
		return;
	case SF_ADDRESS:
	case SF_ID:
		break;
	}
	sel->form = PSEL_ID;
	sel->id = s;
}

/* One selector, a string or a mapping, added to end unless it is no
 * selector at all. */
static void parse_sel_one(struct policy_reader *P, const struct ydoc_node *n,
			  bool is_from, struct pol_end *end)
{
	if (n->type != YAML_MAPPING_NODE &&
	    (n->type != YAML_SCALAR_NODE || ykit_is_null(n))) {
		ykit_err(&P->R, n,
			 "a selector is a resource id, internet, aws:SERVICE "
			 "or a mapping of kind, tag and subnet, not %s",
			 ykit_type_name(n));
		return;
	}
	const char *s = NULL;
	if (n->type == YAML_SCALAR_NODE &&
	    !(s = ykit_scalar(&P->R, n, "a selector")))
		return;
	end->v = xreallocarray(end->v, end->n + 1, sizeof(*end->v));
	struct pol_sel *sel = &end->v[end->n++];
	memset(sel, 0, sizeof(*sel));
	sel->node = n;
	if (s)
		parse_sel_words(P, n, s, is_from, sel);
	else
		parse_sel_map(P, n, sel);
}

/* A selector or a list of them; the list stands for their union. */
static void parse_end(struct policy_reader *P, const struct ydoc_node *n,
		      const char *what, bool is_from, struct pol_end *end)
{
	end->node = n;
	if (n->type != YAML_SEQUENCE_NODE) {
		parse_sel_one(P, n, is_from, end);
		return;
	}
	if (!ykit_seq_len(n)) {
		ykit_err(&P->R, n,
			 "%s must name at least one selector, not an empty "
			 "list",
			 what);
		return;
	}
	struct ydoc_node *e;
	YKIT_SEQ_EACH(P->R.doc, n, e)
	{
		if (e->type == YAML_SEQUENCE_NODE)
			ykit_err(&P->R, e,
				 "a selector must not be a list inside a list");
		else
			parse_sel_one(P, e, is_from, end);
	}
}

/* ---- ports and hops ------------------------------------------------------ */

/* "443" or "1024-65535" into out; max is 65535, or 255 for ICMP types. */
static bool parse_port_item(struct policy_reader *P, const struct ydoc_node *n,
			    uint32_t max, struct ports *out)
{
	const char *what = max == 255 ? "icmp type" : "port";
	const char *s = ykit_scalar(&P->R, n, "a port");
	if (!s)
		return false;
	uint32_t a, b;
	if (!util_port_range_text(s, &a, &b))
		goto bad;
	if (a > max || b > max) {
		ykit_err(&P->R, n, "%s %u out of range 0-%u", what,
			 a > max ? a : b, max);
		return false;
	}
	if (a > b) {
		ykit_err(&P->R, n,
			 "%s range %u-%u: from is greater than to (did you "
			 "mean '%u-%u'?)",
			 what, a, b, b, a);
		return false;
	}
	ports_add(out, (uint16_t)a, (uint16_t)b);
	return true;
bad:
	ykit_err(&P->R, n,
		 "ports must be a %s, a range like %s, or a list of them, not "
		 "'%s'",
		 what, max == 255 ? "0-8" : "1024-65535", s);
	return false;
}

static void parse_ports(struct policy_reader *P, const struct ydoc_node *n,
			uint32_t max, struct ports *out)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		parse_port_item(P, n, max, out);
		return;
	}
	if (!ykit_seq_len(n)) {
		ykit_err(&P->R, n, "ports must list at least one port");
		return;
	}
	struct ydoc_node *e;
	YKIT_SEQ_EACH(P->R.doc, n, e)
	{
		parse_port_item(P, e, max, out);
	}
}

/* hops: 1..8, for the statement's protocol. */
static void parse_hops(struct policy_reader *P, const struct ydoc_node *n,
		       struct policy *p)
{
	const char *s = ykit_scalar(&P->R, n, "hops");
	if (!s)
		return;
	uint32_t h = 0;
	bool digits = *s && strspn(s, "0123456789") == strlen(s);
	/* Too many digits is out of range, not "not a number". */
	for (const char *c = s; digits && *c && h <= POLICY_MAX_HOPS; c++)
		h = h * 10 + (uint32_t)(*c - '0');
	if (!digits)
		ykit_err(&P->R, n, "hops must be a whole number, not '%s'", s);
	else if (h < 1 || h > POLICY_MAX_HOPS)
		ykit_err(&P->R, n, "hops %s out of range 1-%d", s,
			 POLICY_MAX_HOPS);
	else if (h == 1 && !p->require)
		ykit_err(&P->R, n,
			 "hops: 1 forbids nothing: every chain has at least "
			 "one hop (hops: 2 forbids direct reach)");
	else if (p->proto == PROTO_ICMP)
		ykit_err(&P->R, n,
			 "hops need protocol tcp, udp or all: the "
			 "reachability graph has no icmp edges");
	else if (p->proto == PROTO_ALL && p->require)
		ykit_err(&P->R, n,
			 "require with hops needs protocol tcp or udp");
	else
		p->hops = h;
}

/* ---- statements and policies --------------------------------------------- */

enum st_key { SK_FROM, SK_TO, SK_PROTOCOL, SK_PORTS, SK_HOPS, SK_EXTRA };

/* The keys of forbid and require; the last is the statement's own. */
static const char *const forbid_keys[] = {"from",  "to",   "protocol",
					  "ports", "hops", "except_via"};
static const char *const require_keys[] = {"from",  "to",   "protocol",
					   "ports", "hops", "placements"};

/* protocol and ports: tcp unless said; every port (or ICMP type) unless
 * said, but a requirement must say which. */
static void parse_flow(struct policy_reader *P, const struct ydoc_node *n,
		       struct ydoc_node *const *v, struct ydoc_node *const *kn,
		       struct policy *p, const char *what)
{
	/* By name, in lower case (the model's own words); the engine's
	 * flows have no icmpv6 or other protocols. */
	static const enum proto proto_v[] = {PROTO_TCP, PROTO_UDP, PROTO_ICMP,
					     PROTO_ALL};
	const char *protos[ARRAY_LEN(proto_v)];
	for (size_t i = 0; i < ARRAY_LEN(proto_v); i++)
		protos[i] = proto_name(proto_v[i]);
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
		ykit_err(&P->R, kn[SK_PORTS],
			 "ports do not apply to protocol all, which stands "
			 "for every protocol and port");
	else if (v[SK_PORTS] && proto_ok)
		parse_ports(P, v[SK_PORTS], max, &p->ports);
	else if (p->require && p->proto != PROTO_ALL && proto_ok &&
		 !ykit_suggested(&P->R, n, "ports"))
		ykit_err(&P->R, n,
			 "missing required key 'ports' in %s: a requirement "
			 "names the ports that must get through",
			 what);
	if (!v[SK_PORTS] && p->proto != PROTO_ALL)
		ports_add(&p->ports, 0, (uint16_t)max);
}

static void parse_statement(struct policy_reader *P, const struct ydoc_node *n,
			    struct pol_draft *d, const char *pdesc)
{
	static const struct ykit_misplaced in_forbid[] = {
	    {"placements", "applies to require, not forbid"}};
	static const struct ykit_misplaced in_require[] = {
	    {"except_via", "applies to forbid, not require"}};
	struct policy *p = &d->p;
	const char *const *keys = p->require ? require_keys : forbid_keys;
	char what[192];
	snprintf(what, sizeof(what), "%s of %s",
		 p->require ? "require" : "forbid", pdesc);
	struct ydoc_node *v[6], *kn[6];
	if (!ykit_take_keys_mis(&P->R, n, what, keys, 6,
				p->require ? in_require : in_forbid, 1, v, kn))
		return;
	ykit_need(&P->R, n, v[SK_FROM], keys[SK_FROM], what);
	ykit_need(&P->R, n, v[SK_TO], keys[SK_TO], what);
	parse_flow(P, n, v, kn, p, what);
	if (v[SK_HOPS])
		parse_hops(P, v[SK_HOPS], p);
	if (v[SK_FROM])
		parse_end(P, v[SK_FROM], "from", true, &d->from);
	if (v[SK_TO])
		parse_end(P, v[SK_TO], "to", false, &d->to);
	if (v[SK_EXTRA] && !p->require)
		parse_end(P, v[SK_EXTRA], "except_via", false, &d->via);
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
static const char *parse_id(struct policy_reader *P, const struct ydoc_node *n)
{
	const char *id = ykit_scalar(&P->R, n, "a policy id");
	if (!id)
		return NULL;
	if (!*id) {
		ykit_err(&P->R, n, "a policy id must not be empty");
		return NULL;
	}
	if (!id_chars_ok(id)) {
		ykit_err(&P->R, n,
			 "policy id '%s' may hold only letters, digits, '-', "
			 "'_' and '.'",
			 id);
		return NULL;
	}
	const struct rule_def *d = rules_find(id);
	if (d) {
		ykit_err(&P->R, n,
			 "policy id '%s' is taken by built-in rule %s (%s)", id,
			 d->id, d->name);
		return NULL;
	}
	for (uint32_t i = 0; i < P->n_ids; i++)
		if (!strcmp(P->ids[i].id, id)) {
			ykit_err(&P->R, n,
				 "policy id '%s' repeated (first at %u:%u)", id,
				 P->ids[i].line, P->ids[i].col);
			return NULL;
		}
	for (uint32_t i = 0; P->set && i < P->set->n; i++) {
		const struct policy *q = &P->set->v[i];
		if (!strcmp(q->id, id)) {
			ykit_err(&P->R, n,
				 "policy id '%s' repeated (first at %s:%u:%u)",
				 id, q->loc.file, q->loc.line, q->loc.col);
			return NULL;
		}
	}
	P->ids = xreallocarray(P->ids, P->n_ids + 1, sizeof(*P->ids));
	P->ids[P->n_ids].id = id;
	ykit_pos(n, &P->ids[P->n_ids].line, &P->ids[P->n_ids].col);
	P->n_ids++;
	return id;
}

/* How messages name a policy: by its id when it has a readable one (its
 * own key first, as ykit_take_keys takes them), else by its ordinal. */
static void policy_desc(const struct policy_reader *P,
			const struct ydoc_node *n, uint32_t ordinal, char *desc,
			size_t size)
{
	const struct ydoc_node *id = NULL;
	bool own = false;
	for (yaml_node_pair_t *q = n->data.mapping.pairs.start;
	     q < n->data.mapping.pairs.top && !id; q++) {
		const char *k = ykit_text(ykit_node(P->R.doc, q->key));
		const struct ydoc_node *val = ykit_node(P->R.doc, q->value);
		own |= k && !strcmp(k, "id");
		if (k && !strcmp(k, "id") && val->type == YAML_SCALAR_NODE &&
		    !ykit_is_null(val))
			id = val;
	}
	if (!own)
		id = ykit_peek(P->R.doc, n, "id");
	if (id && id->type == YAML_SCALAR_NODE && !ykit_is_null(id))
		snprintf(desc, size, "policy '%s'",
			 (const char *)id->data.scalar.value);
	else
		snprintf(desc, size, "policy %u", ordinal);
}

enum pol_key { PK_ID, PK_MESSAGE, PK_SEVERITY, PK_FORBID, PK_REQUIRE };

static void parse_policy(struct policy_reader *P, const struct ydoc_node *n,
			 uint32_t ordinal, struct pol_draft *d)
{
	static const char *const keys[] = {"id", "message", "severity",
					   "forbid", "require"};
	static const char *const sevs[] = {"info", "warning", "error"};
	struct policy *p = &d->p;
	char desc[160];
	struct ydoc_node *v[5], *kn[5];
	memset(d, 0, sizeof(*d));
	p->severity = SEV_ERROR;
	if (n->type != YAML_MAPPING_NODE) {
		ykit_err(&P->R, n,
			 "a policy must be a mapping with id, message and "
			 "forbid or require, not %s",
			 ykit_type_name(n));
		return;
	}
	/* The id first, so that every other message can name it. */
	policy_desc(P, n, ordinal, desc, sizeof(desc));
	ykit_take_keys(&P->R, n, desc, keys, 5, v, kn);
	ykit_need(&P->R, n, v[PK_ID], "id", desc);
	ykit_need(&P->R, n, v[PK_MESSAGE], "message", desc);
	if (v[PK_ID]) {
		const char *id = parse_id(P, v[PK_ID]);
		p->id = id ? xstrdup(id) : NULL;
		ykit_pos(v[PK_ID], &p->loc.line, &p->loc.col);
	}
	if (v[PK_MESSAGE]) {
		const char *s = ykit_scalar(&P->R, v[PK_MESSAGE], "message");
		if (s && !s[strspn(s, " \t\n")])
			ykit_err(&P->R, v[PK_MESSAGE],
				 "a policy message must not be empty");
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
		ykit_err(&P->R, kn[PK_REQUIRE],
			 "%s has both forbid and require: a policy states one "
			 "of them",
			 desc);
		return;
	}
	if (!v[PK_FORBID] && !v[PK_REQUIRE]) {
		if (!ykit_suggested(&P->R, n, "forbid") &&
		    !ykit_suggested(&P->R, n, "require"))
			ykit_err(&P->R, n,
				 "missing required key 'forbid' or 'require' "
				 "in %s",
				 desc);
		return;
	}
	p->require = v[PK_REQUIRE] != NULL;
	parse_statement(P, p->require ? v[PK_REQUIRE] : v[PK_FORBID], d, desc);
}

/* Moves a file's policies into the set, each located in the set's copy of
 * the file name. */
static void add_to_set(struct policy_set *set, struct pol_draft *d, uint32_t n,
		       const char *file)
{
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
		d[i].p.loc.file = name;
		set->v[set->n++] = d[i].p;
	}
}

/* The list under `policies:` into the set, unless it has an error. */
static void read_list(struct policy_reader *P, const struct ydoc_node *list,
		      struct policy_set *set)
{
	size_t before = P->R.diags->n_errors;
	if (ykit_is_null(list))
		return;
	if (list->type != YAML_SEQUENCE_NODE) {
		ykit_err(&P->R, list,
			 "'policies' must be a list of policies, not %s",
			 ykit_type_name(list));
		return;
	}
	uint32_t n = 0;
	struct pol_draft *d = xcalloc(ykit_seq_len(list) + 1, sizeof(*d));
	struct ydoc_node *e;
	YKIT_SEQ_EACH(P->R.doc, list, e)
	{
		parse_policy(P, e, n + 1, &d[n]);
		n++;
	}
	pol_resolve(&P->R, P->m, d, n);
	for (uint32_t i = 0; i < n; i++) {
		pol_end_free(&d[i].from);
		pol_end_free(&d[i].to);
		pol_end_free(&d[i].via);
	}
	if (P->R.diags->n_errors == before)
		add_to_set(set, d, n, P->R.file);
	else
		for (uint32_t i = 0; i < n; i++)
			policy_free(&d[i].p);
	free(d);
}

/* ---- entries ------------------------------------------------------------- */

static void reader_init(struct policy_reader *P, struct policy_set **out,
			const struct ydoc *doc, const char *file,
			const struct model *m, struct diag_list *diags)
{
	memset(P, 0, sizeof(*P));
	if (!*out)
		*out = xcalloc(1, sizeof(**out));
	ykit_init(&P->R, doc, file, diags);
	P->m = m;
	P->set = *out;
}

static void reader_fini(struct policy_reader *P)
{
	ykit_fini(&P->R);
	free(P->ids);
}

int policy_load_file(struct policy_set **out, const char *path,
		     const struct model *m, struct diag_list *diags)
{
	static const char *const top[] = {"policies"};
	struct policy_reader P;
	struct ydoc doc;
	size_t before = diags->n_errors;
	char *buf = NULL;
	size_t len;
	memset(&doc, 0, sizeof(doc));
	reader_init(&P, out, &doc, path, m, diags);
	if (file_read_text(&buf, &len, path, diags))
		goto out;
	if (ydoc_parse(&doc, path, buf, len, diags))
		goto out;
	struct ydoc_node *root = ykit_node(&doc, 1), *list;
	if (!root || ykit_is_null(root)) {
		diag_add(diags, DIAG_ERROR, path, 1, 1,
			 "the policy file is empty: expected 'policies:' "
			 "followed by a list");
	} else if (ykit_take_keys(&P.R, root, "the policy file", top, 1, &list,
				  NULL)) {
		if (list)
			read_list(&P, list, *out);
		else if (!ykit_suggested(&P.R, root, "policies"))
			ykit_err(&P.R, root,
				 "missing required key 'policies' in the "
				 "policy file");
	}
	ydoc_free(&doc);
out:
	reader_fini(&P);
	free(buf);
	return diags->n_errors == before ? 0 : -1;
}

int policy_load_section(struct policy_set **out, const struct ykit_section *sec,
			const struct model *m, struct diag_list *diags)
{
	struct policy_reader P;
	size_t before = diags->n_errors;
	reader_init(&P, out, &sec->doc, sec->file, m, diags);
	if (sec->node)
		read_list(&P, sec->node, *out);
	reader_fini(&P);
	return diags->n_errors == before ? 0 : -1;
}
