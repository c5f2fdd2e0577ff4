/*
 * The native YAML loader.
 *
 * base/ydoc.h gives a node tree with a start mark per node, so
 * every diagnostic points at the node it is about; scalars, keys, merge
 * keys and diagnostics are read by the YAML reading kit (base/ykit.h),
 * under the same rules as the policy loader's.  Loading runs in two
 * passes over the top-level sections, each a map from id to object:
 *   1. allocate every kind's array and record each object's id and
 *      location, so that
 *   2. parsing the objects can resolve references by id at once, in any
 *      order of the file.
 * Errors never stop a pass: a bad field is reported and skipped, and the
 * model is thrown away at the end if any error was reported.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/util.h"
#include "base/ykit.h"
#include "load/load_impl.h"
#include "model/model.h"
#include "model/model_impl.h"
#include "model/values.h"

struct ld {
	struct model *m;
	struct ykit R; /* the document, its file name and the diagnostics */
	/* Each VPC's default_security_group key (NULL: none), checked once
	 * the groups are read (check_default_groups). */
	struct ydoc_node **default_sg;
};

/*
 * The context of an object's diagnostics ("security group 'web-sg'"), in
 * buf of size (what[160] at every use), cut as snprintf cuts: the pieces
 * of the NULL-terminated list one after another.  Every object and rule
 * gets one whether or not anything is said about it, so without printf:
 * that was a few percent of a million-object load.
 */
static const char *what_of(char *buf, size_t size, ...)
{
	va_list ap;
	size_t n = 0;
	va_start(ap, size);
	for (const char *p = va_arg(ap, const char *); p;
	     p = va_arg(ap, const char *))
		for (; *p && n + 1 < size; p++)
			buf[n++] = *p;
	va_end(ap);
	buf[n] = '\0';
	return buf;
}

static const char *const section_names[MK_KIND_COUNT] = {
    [MK_VPC] = "vpcs",
    [MK_INTERNET_GATEWAY] = "internet_gateways",
    [MK_SUBNET] = "subnets",
    [MK_ROUTE_TABLE] = "route_tables",
    [MK_NAT_GATEWAY] = "nat_gateways",
    [MK_SECURITY_GROUP] = "security_groups",
    [MK_NETWORK_ACL] = "network_acls",
    [MK_PREFIX_LIST] = "prefix_lists",
    [MK_INSTANCE] = "instances",
    [MK_LOAD_BALANCER] = "load_balancers",
    [MK_TARGET_GROUP] = "target_groups",
    [MK_TASK_DEFINITION] = "task_definitions",
    [MK_SERVICE] = "services",
    [MK_DATABASE] = "databases",
    [MK_VPC_ENDPOINT] = "vpc_endpoints",
    [MK_PEERING] = "peerings",
    [MK_FLEET] = "fleets",
};

/* Network interfaces share the instance array (is_interface). */
#define SECTION_INTERFACES MK_KIND_COUNT

static const char *const top_keys[] = {
    "region",
    "vpcs",
    "internet_gateways",
    "subnets",
    "route_tables",
    "nat_gateways",
    "security_groups",
    "network_acls",
    "prefix_lists",
    "instances",
    "network_interfaces",
    "load_balancers",
    "target_groups",
    "task_definitions",
    "services",
    "databases",
    "vpc_endpoints",
    "peerings",
    "fleets",
    "policies",
};

/* ---- locations ----------------------------------------------------- */

static struct src_loc loc_of(struct ld *L, const struct ydoc_node *n)
{
	struct src_loc l = {L->m->file, 0, 0};
	if (n)
		ykit_pos(n, &l.line, &l.col);
	return l;
}

/* ---- typed values -------------------------------------------------- */

static const char *get_str(struct ld *L, struct ydoc_node *n, const char *what)
{
	const char *s = ykit_scalar(&L->R, n, what);
	return s ? arena_strdup(&L->m->arena, s) : NULL;
}

static const char *get_az(struct ld *L, struct ydoc_node *n, const char *what)
{
	if (ykit_is_empty(n)) {
		ykit_err(&L->R, n,
			 "%s must name an availability zone like us-east-1a, "
			 "not be empty",
			 what);
		return NULL;
	}
	return get_str(L, n, what);
}

static bool get_bool(struct ld *L, struct ydoc_node *n, const char *what,
		     bool *out)
{
	const char *s = ykit_scalar(&L->R, n, what);
	if (!s)
		return false;
	if (!strcmp(s, "true")) {
		*out = true;
		return true;
	}
	if (!strcmp(s, "false")) {
		*out = false;
		return true;
	}
	ykit_err(&L->R, n, "%s must be true or false, not '%s'", what, s);
	return false;
}

/* A decimal integer in [lo, hi]. */
static bool get_uint(struct ld *L, struct ydoc_node *n, const char *what,
		     uint32_t lo, uint32_t hi, uint32_t *out)
{
	char ab[UTIL_ABBREV_SIZE];
	const char *s = ykit_scalar(&L->R, n, what);
	if (!s)
		return false;
	const char *p = s;
	uint64_t v = 0;
	if (!*p)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > UINT32_MAX) {
			ykit_err(&L->R, n, "%s %.20s%s out of range %u-%u",
				 what, s, strlen(s) > 20 ? "..." : "", lo, hi);
			return false;
		}
	}
	if (v < lo || v > hi) {
		ykit_err(&L->R, n, "%s %s out of range %u-%u", what, s, lo, hi);
		return false;
	}
	*out = (uint32_t)v;
	return true;
bad:
	ykit_err(&L->R, n, "%s must be a whole number, not '%s'", what,
		 util_abbrev(ab, s));
	return false;
}

/* "443", "1024-65535" or "all". */
static bool get_port_range(struct ld *L, struct ydoc_node *n, uint16_t *lo,
			   uint16_t *hi)
{
	char ab[UTIL_ABBREV_SIZE];
	const char *s = ykit_scalar(&L->R, n, "ports");
	if (!s)
		return false;
	if (!strcmp(s, "all")) {
		*lo = 0;
		*hi = 65535;
		return true;
	}
	uint32_t a, b;
	if (!util_port_range_text(s, &a, &b))
		goto bad;
	if (a > 65535 || b > 65535) {
		ykit_err(&L->R, n, "port %u out of range 0-65535",
			 a > 65535 ? a : b);
		return false;
	}
	if (a > b) {
		ykit_err(
		    &L->R, n,
		    "port range %u-%u: from is greater than to (did you mean "
		    "'%u-%u'?)",
		    a, b, b, a);
		return false;
	}
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return true;
bad:
	ykit_err(&L->R, n,
		 "ports must be a port, a range like 1024-65535, or 'all', "
		 "not '%s'",
		 util_abbrev(ab, s));
	return false;
}

static bool get_port(struct ld *L, struct ydoc_node *n, const char *what,
		     uint16_t *out)
{
	uint32_t v;
	const char *s = ykit_scalar(&L->R, n, what);
	if (!s)
		return false;
	if (!util_port_text(s, &v)) {
		char ab[UTIL_ABBREV_SIZE];
		ykit_err(&L->R, n, "%s must be a port number, not '%s'", what,
			 util_abbrev(ab, s));
		return false;
	}
	if (v < 1 || v > 65535) {
		ykit_err(&L->R, n, "%s %u out of range 1-65535", what, v);
		return false;
	}
	*out = (uint16_t)v;
	return true;
}

static bool get_addr(struct ld *L, struct ydoc_node *n, const char *what,
		     uint32_t *out)
{
	const char *s = ykit_scalar(&L->R, n, what);
	if (!s)
		return false;
	if (addr_parse(out, s) != 0) {
		ykit_err(&L->R, n, "%s must be an IPv4 address, not '%s'", what,
			 s);
		return false;
	}
	return true;
}

/* Why cidr_parse refused an IPv4 block, for the message; "" when no
 * particular reason is found. */
static void cidr_why(char *buf, size_t size, const char *s)
{
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	const char *p = s;
	unsigned octets = 0;
	buf[0] = '\0';
	while (p < s + alen) {
		const char *q = p;
		unsigned v = 0;
		while (q < s + alen && *q >= '0' && *q <= '9' && v < 1000)
			v = v * 10 + (unsigned)(*q++ - '0');
		if (q == p || (q < s + alen && *q != '.')) {
			snprintf(buf, size,
				 ": expected a dotted address like "
				 "10.0.0.0/16");
			return;
		}
		if (v > 255) {
			snprintf(buf, size, ": octet %.*s is over 255",
				 (int)(q - p), p);
			return;
		}
		if (q - p > 1 && *p == '0') {
			snprintf(buf, size, ": octet %.*s has a leading zero",
				 (int)(q - p), p);
			return;
		}
		octets++;
		p = q < s + alen ? q + 1 : q;
		if (q < s + alen && p == s + alen)
			octets = 99; /* a trailing dot */
	}
	if (octets != 4) {
		snprintf(buf, size,
			 ": an address has four octets, like 10.0.0.0/16");
		return;
	}
	if (!slash) {
		snprintf(buf, size,
			 ": the prefix length is missing (as the /16 "
			 "in 10.0.0.0/16)");
		return;
	}
	const char *l = slash + 1;
	unsigned len = 0;
	size_t digits = strspn(l, "0123456789");
	if (!*l || l[digits] || digits > 3) {
		snprintf(buf, size,
			 ": the prefix length must be a number 0-32");
		return;
	}
	for (size_t i = 0; i < digits; i++)
		len = len * 10 + (unsigned)(l[i] - '0');
	if (digits > 1 && l[0] == '0')
		snprintf(buf, size, ": prefix length %s has a leading zero", l);
	else if (len > 32)
		snprintf(buf, size, ": prefix length %u is over 32", len);
}

static bool cidr_error(struct ld *L, struct ydoc_node *n, const char *s, int rc,
		       struct cidr c)
{
	if (rc == CIDR_EHOSTBITS) {
		char buf[CIDR_STRLEN];
		cidr_format(buf, c);
		ykit_err(&L->R, n,
			 "CIDR '%s' has host bits set (did you mean '%s'?)", s,
			 buf);
	} else if (!*s || ykit_is_null(n)) {
		ykit_err(&L->R, n,
			 "expected a CIDR like 10.0.0.0/16, not an empty "
			 "value");
	} else {
		char why[96];
		cidr_why(why, sizeof(why), s);
		ykit_err(&L->R, n, "invalid CIDR '%s'%s", s, why);
	}
	return false;
}

static bool get_cidr(struct ld *L, struct ydoc_node *n, struct cidr *out)
{
	const char *s = ykit_scalar(&L->R, n, "a CIDR");
	if (!s)
		return false;
	int rc = cidr_parse(out, s);
	return rc == 0 ? true : cidr_error(L, n, s, rc, *out);
}

/* IPv4 or IPv6; *is6 tells which. */
static bool get_cidr46(struct ld *L, struct ydoc_node *n, struct cidr *c4,
		       struct cidr6 *c6, bool *is6)
{
	const char *s = ykit_scalar(&L->R, n, "a CIDR");
	if (!s)
		return false;
	*is6 = strchr(s, ':') != NULL;
	if (*is6) {
		int rc = cidr6_parse(c6, s);
		if (rc == CIDR_EHOSTBITS) {
			char buf[CIDR6_STRLEN];
			cidr6_format(buf, *c6);
			ykit_err(&L->R, n,
				 "CIDR '%s' has host bits set (did you mean "
				 "'%s'?)",
				 s, buf);
			return false;
		}
		if (rc) {
			ykit_err(&L->R, n, "invalid CIDR '%s'", s);
			return false;
		}
		return true;
	}
	int rc = cidr_parse(c4, s);
	return rc == 0 ? true : cidr_error(L, n, s, rc, *c4);
}

/* Resolves an id to an object of one of the kinds in mask (bit per
 * kind); reports unknown ids with the closest one of those kinds. */
static struct model_obj *get_ref_mask(struct ld *L, struct ydoc_node *n,
				      unsigned mask, const char *what)
{
	const char *article = strchr("aeiou", what[0]) ? "an" : "a";
	char idwhat[96];
	/* Its name ("a subnet id") only when there is something to say:
	 * formatting it for every reference was a tenth of a load. */
	const char *s = ykit_clean_text(n);
	if (!s || ykit_is_null(n) || !*s) {
		snprintf(idwhat, sizeof(idwhat), "%s %s id", article, what);
		s = ykit_scalar(&L->R, n, idwhat);
		if (!s)
			return NULL;
		ykit_err(&L->R, n, "expected %s, not an empty value", idwhat);
		return NULL;
	}
	struct model_obj *o = model_find(L->m, s);
	if (o && (mask & (1u << o->kind)))
		return o;
	/* With a duplicate id (reported on its own), any object of the
	 * wanted kind among those that share it will do. */
	for (uint32_t i = 0; o && i < L->m->n_objects; i++) {
		struct model_obj *c = L->m->by_id[i];
		if (!strcmp(c->id, s) && (mask & (1u << c->kind)))
			return c;
	}
	if (o) {
		ykit_err(&L->R, n, "'%s' is %s, not %s %s", s,
			 model_kind_label(o->kind), article, what);
		return NULL;
	}
	/* The closest id among objects of the wanted kinds, within the
	 * distance util_closest allows. */
	const char *best = NULL;
	unsigned cap = strlen(s) <= 3 ? 1 : 2, best_d = cap + 1;
	for (uint32_t i = 0; i < L->m->n_objects; i++) {
		struct model_obj *c = L->m->by_id[i];
		if (!(mask & (1u << c->kind)))
			continue;
		unsigned d = util_edit_distance(s, c->id, cap);
		if (d < best_d) {
			best_d = d;
			best = c->id;
		}
	}
	if (best)
		ykit_err(&L->R, n, "unknown %s '%s' (did you mean '%s'?)", what,
			 s, best);
	else
		ykit_err(&L->R, n, "unknown %s '%s'", what, s);
	return NULL;
}

static uint32_t get_ref(struct ld *L, struct ydoc_node *n, enum model_kind kind,
			const char *what)
{
	struct model_obj *o = get_ref_mask(L, n, 1u << kind, what);
	return o ? o->index : MODEL_NONE;
}

/* A list of references (a single scalar counts as a list of one).
 * Unresolved entries are dropped after their error. */
static uint32_t *get_ref_list(struct ld *L, struct ydoc_node *n,
			      enum model_kind kind, const char *what,
			      uint32_t *count)
{
	*count = 0;
	if (n->type == YAML_SCALAR_NODE) {
		uint32_t *v = arena_array(&L->m->arena, 1, sizeof(*v));
		v[0] = get_ref(L, n, kind, what);
		*count = v[0] != MODEL_NONE;
		return v;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		ykit_err(&L->R, n, "expected a list of %s ids, not %s", what,
			 ykit_type_name(n));
		return NULL;
	}
	size_t len =
	    (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	uint32_t *v = arena_array(&L->m->arena, len, sizeof(*v));
	for (size_t i = 0; i < len; i++) {
		struct ydoc_node *e =
		    ykit_node(L->R.doc, n->data.sequence.items.start[i]);
		uint32_t r = get_ref(L, e, kind, what);
		if (r == MODEL_NONE)
			continue;
		bool dup = false;
		for (uint32_t j = 0; j < *count; j++)
			dup |= v[j] == r;
		if (dup) {
			ykit_err(&L->R, e, "%s '%s' listed twice", what,
				 (const char *)e->data.scalar.value);
			continue;
		}
		v[(*count)++] = r;
	}
	return v;
}

static bool want_seq(struct ld *L, struct ydoc_node *n, const char *what)
{
	if (n->type == YAML_SEQUENCE_NODE)
		return true;
	ykit_err(&L->R, n, "%s must be a list, not %s", what,
		 ykit_type_name(n));
	return false;
}

/* ---- common object keys -------------------------------------------- */

static void parse_tags(struct ld *L, struct model_obj *o, struct ydoc_node *n)
{
	if (n->type != YAML_MAPPING_NODE) {
		ykit_err(&L->R, n,
			 "tags must be a mapping of key: value, not %s",
			 ykit_type_name(n));
		return;
	}
	size_t len =
	    (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	o->tags = arena_array(&L->m->arena, len, sizeof(*o->tags));
	for (size_t i = 0; i < len; i++) {
		yaml_node_pair_t *p = &n->data.mapping.pairs.start[i];
		const char *k =
		    get_str(L, ykit_node(L->R.doc, p->key), "a tag key");
		const char *v =
		    get_str(L, ykit_node(L->R.doc, p->value), "a tag value");
		if (k && v) {
			o->tags[o->n_tags].key = k;
			o->tags[o->n_tags++].value = v;
		}
	}
}

/* `suppress:` of an object: a mapping {rules, reason, until}, or a list
 * of them, read as every format's suppressions are (load/suppress.c);
 * they cover the object and the lines of its mapping. */
static void parse_suppress(struct ld *L, struct model_obj *o,
			   struct ydoc_node *n, const struct ydoc_node *map,
			   const char *owner)
{
	char what[192];
	snprintf(what, sizeof(what), "suppress of %s", owner);
	struct model_suppress scope = {.kind = o->kind,
				       .index = o->index,
				       .first = o->loc.line,
				       .last = load_last_line(L->R.doc, map)};
	load_suppress_yaml(&L->R, L->m, n, &scope, what);
}

/*
 * Every object's mapping: takes keys[0..n) plus tags and suppress.  The
 * arrays passed must have room for n + 2 entries; the last two are the
 * common keys.  Returns false when the object is no mapping.
 */
static bool take_obj(struct ld *L, struct model_obj *o, struct ydoc_node *map,
		     const char *what, const char **keys, size_t n,
		     struct ydoc_node **vals)
{
	keys[n] = "tags";
	keys[n + 1] = "suppress";
	char desc[160];
	snprintf(desc, sizeof(desc), "%s '%s'", what, o->id);
	if (!ykit_take_keys(&L->R, map, desc, keys, n + 2, vals, NULL))
		return false;
	if (vals[n])
		parse_tags(L, o, vals[n]);
	if (vals[n + 1])
		parse_suppress(L, o, vals[n + 1], map, desc);
	return true;
}

/* ---- rule matches -------------------------------------------------- */

/* The native format spells protocols in lower case only, as it writes
 * them back; numbers are plain digits. */
static const struct values_proto_syntax native_protos = {false, VALUES_NUMBERS};

static bool get_proto(struct ld *L, struct ydoc_node *n, struct model_match *m)
{
	const char *s = ykit_scalar(&L->R, n, "protocol");
	if (!s)
		return false;
	if (values_rule_proto(m, s, &native_protos) == 0)
		return true;
	/* Hints among the names and -1, AWS's number for all. */
	const char *names[VALUES_N_PROTOS + 1];
	for (int p = 0; p < VALUES_N_PROTOS; p++)
		names[p] = values_protos[p].name;
	names[VALUES_N_PROTOS] = values_protos[PROTO_ALL].number;
	const char *near = util_closest(s, names, ARRAY_LEN(names));
	if (near)
		ykit_err(&L->R, n, "unknown protocol '%s' (did you mean '%s'?)",
			 s, near);
	else
		ykit_err(&L->R, n,
			 "unknown protocol '%s' (expected tcp, udp, icmp, "
			 "icmpv6, all or a number 0-255)",
			 s);
	return false;
}

/*
 * protocol, ports, icmp_type, icmp_code from vals[0..4).  tcp and udp need
 * ports; icmp takes type and code (default any); all takes neither.
 */
static void parse_match(struct ld *L, struct ydoc_node *at,
			struct ydoc_node **v, const char *what,
			struct model_match *m)
{
	m->port_lo = 0;
	m->port_hi = 65535;
	m->icmp_type = m->icmp_code = -1;
	ykit_need(&L->R, at, v[0], "protocol", what);
	if (!v[0] || !get_proto(L, v[0], m))
		return;
	bool ported = m->proto == PROTO_TCP || m->proto == PROTO_UDP;
	bool icmp = m->proto == PROTO_ICMP || m->proto == PROTO_ICMPV6;
	if (ported) {
		ykit_need(&L->R, at, v[1], "ports", what);
		if (v[1])
			get_port_range(L, v[1], &m->port_lo, &m->port_hi);
	} else if (v[1]) {
		if (m->proto == PROTO_ALL)
			ykit_err(&L->R, v[1],
				 "ports apply to tcp and udp only; protocol "
				 "all matches every port");
		else if (icmp)
			ykit_err(&L->R, v[1],
				 "ports apply to tcp and udp only, not %s "
				 "(use icmp_type and icmp_code)",
				 proto_name(m->proto));
		else
			ykit_err(&L->R, v[1],
				 "ports apply to tcp and udp only, not "
				 "protocol %u",
				 m->proto_number);
	}
	for (int i = 2; i < 4; i++) {
		if (!v[i])
			continue;
		if (!icmp) {
			const char *field = i == 2 ? "icmp_type" : "icmp_code";
			if (m->proto == PROTO_OTHER)
				ykit_err(
				    &L->R, v[i],
				    "%s applies to icmp and icmpv6 only, not "
				    "protocol %u",
				    field, m->proto_number);
			else
				ykit_err(
				    &L->R, v[i],
				    "%s applies to icmp and icmpv6 only, not "
				    "%s",
				    field, proto_name(m->proto));
			continue;
		}
		uint32_t x;
		if (get_uint(L, v[i], i == 2 ? "icmp_type" : "icmp_code", 0,
			     255, &x)) {
			if (i == 2)
				m->icmp_type = (int16_t)x;
			else
				m->icmp_code = (int16_t)x;
		}
	}
}

/* ---- kinds --------------------------------------------------------- */

/* A VPC block is /16 to /28 and overlaps no other block of its VPC
 * (semantics §2).  Checked here to point at the block, which is then
 * marked invalid so that model_finish does not report it again. */
static void check_vpc_block(struct ld *L, struct model_vpc *v, uint32_t c,
			    struct ydoc_node *n)
{
	char a[CIDR_STRLEN], b[CIDR_STRLEN];
	struct cidr x = v->cidrs[c];
	cidr_format(a, x);
	if (x.len < 16 || x.len > 28) {
		ykit_err(&L->R, n,
			 "VPC '%s' CIDR %s: a VPC block must be /16 to /28",
			 v->obj.id, a);
		v->cidrs[c].len = 33;
		return;
	}
	for (uint32_t d = 0; d < c; d++) {
		if (v->cidrs[d].len == 33 || !cidr_overlaps(x, v->cidrs[d]))
			continue;
		cidr_format(b, v->cidrs[d]);
		ykit_err(&L->R, n, "VPC '%s' CIDR %s overlaps its CIDR %s",
			 v->obj.id, a, b);
		v->cidrs[c].len = 33;
		return;
	}
}

/* A list of CIDR blocks within MODEL_MAX_CIDRS (docs/robustness.md). */
static bool cidr_count_ok(struct ld *L, struct ydoc_node *seq, const char *what)
{
	if (ykit_seq_len(seq) <= MODEL_MAX_CIDRS)
		return true;
	ykit_err(&L->R, seq,
		 "%s has %zu CIDR blocks: more than the limit of %u", what,
		 (size_t)ykit_seq_len(seq), (unsigned)MODEL_MAX_CIDRS);
	return false;
}

static void parse_vpc(struct ld *L, struct model_vpc *v, struct ydoc_node *n)
{
	const char *keys[8] = {"cidr",
			       "secondary_cidrs",
			       "ipv6_cidrs",
			       "main_route_table",
			       "default_network_acl",
			       "default_security_group"};
	struct ydoc_node *val[8];
	v->internet_gateway = v->main_route_table = v->default_nacl =
	    MODEL_NONE;
	if (!take_obj(L, &v->obj, n, "VPC", keys, 6, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "VPC '", v->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[0], "cidr", what);
	bool seq2 = val[1] && want_seq(L, val[1], "secondary_cidrs") &&
		    cidr_count_ok(L, val[1], "secondary_cidrs");
	size_t n2 = seq2 ? ykit_seq_len(val[1]) : 0;
	/* Blocks that fail stay as invalid entries (len 33), so that
	 * model_finish knows the VPC's extent is unknown and does not call
	 * its subnets outside. */
	v->cidrs = arena_array(&L->m->arena, 2 + n2, sizeof(struct cidr));
	if (val[0] && get_cidr(L, val[0], &v->cidrs[0]))
		check_vpc_block(L, v, 0, val[0]);
	else
		v->cidrs[0].len = 33; /* marks "unknown" for finish */
	v->n_cidrs = 1;
	if (val[1] && !seq2)
		v->cidrs[v->n_cidrs++].len = 33;
	if (n2) {
		struct ydoc_node *e;
		YKIT_SEQ_EACH(L->R.doc, val[1], e)
		{
			if (get_cidr(L, e, &v->cidrs[v->n_cidrs]))
				check_vpc_block(L, v, v->n_cidrs, e);
			else
				v->cidrs[v->n_cidrs].len = 33;
			v->n_cidrs++;
		}
	}
	if (val[2] && want_seq(L, val[2], "ipv6_cidrs") &&
	    cidr_count_ok(L, val[2], "ipv6_cidrs")) {
		v->cidrs6 = arena_array(&L->m->arena, ykit_seq_len(val[2]),
					sizeof(struct cidr6));
		struct ydoc_node *e;
		YKIT_SEQ_EACH(L->R.doc, val[2], e)
		{
			struct cidr c4;
			bool is6;
			/* `amazon`: an Amazon-provided block, its prefix
			 * unknown (model_finish gives it a stand-in). */
			if (e->type == YAML_SCALAR_NODE &&
			    !strcmp((const char *)e->data.scalar.value,
				    "amazon")) {
				if (v->ipv6_unknown)
					ykit_err(&L->R, e,
						 "ipv6_cidrs names amazon "
						 "twice");
				v->ipv6_unknown = true;
				continue;
			}
			if (get_cidr46(L, e, &c4, &v->cidrs6[v->n_cidrs6],
				       &is6)) {
				if (is6)
					v->n_cidrs6++;
				else
					ykit_err(
					    &L->R, e,
					    "'%s' is not an IPv6 CIDR",
					    (const char *)e->data.scalar.value);
			}
		}
	}
	if (val[3])
		v->main_route_table =
		    get_ref(L, val[3], MK_ROUTE_TABLE, "route table");
	if (val[4])
		v->default_nacl =
		    get_ref(L, val[4], MK_NETWORK_ACL, "network ACL");
	if (val[5]) {
		uint32_t g =
		    get_ref(L, val[5], MK_SECURITY_GROUP, "security group");
		if (g != MODEL_NONE) {
			L->m->groups[g].vpc_default = true;
			L->default_sg[v->obj.index] = val[5];
		}
	}
}

/* A VPC's default_security_group must be a group of that VPC, and the
 * default of no other (§4). */
static void check_default_groups(struct ld *L)
{
	const struct model *m = L->m;
	for (uint32_t i = 0; i < m->n[MK_VPC]; i++) {
		struct ydoc_node *n = L->default_sg[i];
		if (!n)
			continue;
		const struct model_obj *o =
		    model_find(m, (const char *)n->data.scalar.value);
		const struct model_security_group *g = &m->groups[o->index];
		if (g->vpc != MODEL_NONE && g->vpc != i)
			ykit_err(&L->R, n,
				 "default security group '%s' belongs to VPC "
				 "'%s', not '%s'",
				 g->obj.id, m->vpcs[g->vpc].obj.id,
				 m->vpcs[i].obj.id);
	}
}

static void parse_igw(struct ld *L, struct model_internet_gateway *g,
		      struct ydoc_node *n)
{
	const char *keys[4] = {"vpc", "egress_only"};
	struct ydoc_node *val[4];
	g->vpc = MODEL_NONE;
	if (!take_obj(L, &g->obj, n, "internet gateway", keys, 2, val))
		return;
	if (val[0])
		g->vpc = get_ref(L, val[0], MK_VPC, "VPC");
	if (val[1])
		get_bool(L, val[1], "egress_only", &g->egress_only);
}

static void parse_subnet(struct ld *L, struct model_subnet *s,
			 struct ydoc_node *n)
{
	const char *keys[10] = {"vpc",		 "cidr",	"az",
				"map_public_ip", "route_table", "network_acl",
				"ipv6_cidr",	 "assign_ipv6"};
	struct ydoc_node *val[10];
	s->vpc = s->route_table = s->nacl = MODEL_NONE;
	s->cidr.len = 33;
	if (!take_obj(L, &s->obj, n, "subnet", keys, 8, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "subnet '", s->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[0], "vpc", what);
	ykit_need(&L->R, n, val[1], "cidr", what);
	ykit_need(&L->R, n, val[2], "az", what);
	if (val[0])
		s->vpc = get_ref(L, val[0], MK_VPC, "VPC");
	if (val[1]) {
		if (!get_cidr(L, val[1], &s->cidr))
			s->cidr.len = 33;
		s->cidr_loc = loc_of(L, val[1]);
	}
	if (val[2])
		s->az = get_az(L, val[2], "az");
	if (val[3])
		get_bool(L, val[3], "map_public_ip", &s->map_public_ip);
	if (val[4]) {
		s->route_table =
		    get_ref(L, val[4], MK_ROUTE_TABLE, "route table");
		s->route_table_explicit = true;
	}
	if (val[5]) {
		s->nacl = get_ref(L, val[5], MK_NETWORK_ACL, "network ACL");
		s->nacl_explicit = true;
	}
	if (val[7])
		get_bool(L, val[7], "assign_ipv6", &s->assign_ipv6);
	if (val[6] && val[6]->type == YAML_SCALAR_NODE &&
	    !strcmp((const char *)val[6]->data.scalar.value, "amazon")) {
		s->cidr6_unknown = true; /* a /64 of the VPC's block */
	} else if (val[6]) {
		struct cidr c4;
		bool is6;
		if (get_cidr46(L, val[6], &c4, &s->cidr6, &is6)) {
			if (is6)
				s->has_cidr6 = true;
			else
				ykit_err(&L->R, val[6],
					 "ipv6_cidr must be an IPv6 CIDR");
		}
	}
}

static void parse_route(struct ld *L, struct model_route_table *t,
			struct model_route *r, struct ydoc_node *n)
{
	static const char *const keys[] = {"destination", "target"};
	struct ydoc_node *v[2];
	r->loc = loc_of(L, n);
	r->prefix_list = r->target_index = r->via_endpoint = MODEL_NONE;
	r->target = RT_BLACKHOLE;
	r->dst.len = 33; /* no destination (yet): model_finish skips it */
	char what[160];
	what_of(what, sizeof(what), "a route of route table '", t->obj.id, "'",
		NULL);
	if (!ykit_take_keys(&L->R, n, what, keys, 2, v, NULL))
		return;
	ykit_need(&L->R, n, v[0], "destination", what);
	ykit_need(&L->R, n, v[1], "target", what);
	if (v[0]) {
		const char *s = ykit_scalar(&L->R, v[0], "destination");
		if (s && (strchr(s, '/') || strchr(s, ':') ||
			  (*s >= '0' && *s <= '9'))) {
			if (!get_cidr46(L, v[0], &r->dst, &r->dst6, &r->ipv6)) {
				r->ipv6 = false;
				r->dst.len = 33;
			}
		} else if (s)
			r->prefix_list =
			    get_ref(L, v[0], MK_PREFIX_LIST, "prefix list");
	}
	if (!v[1])
		return;
	const char *s = ykit_scalar(&L->R, v[1], "target");
	if (!s)
		return;
	if (!strcmp(s, "local")) {
		/* Left without a target, so model_finish drops it. */
		ykit_err(&L->R, v[1],
			 "local routes are implicit; remove this route");
		return;
	}
	r->target_id = arena_strdup(&L->m->arena, s);
	if (!strcmp(s, "blackhole")) {
		r->target = RT_BLACKHOLE;
		return;
	}
	if (!strncmp(s, "tgw-", 4)) {
		r->target = RT_TRANSIT;
		return;
	}
	unsigned mask = 1u << MK_INTERNET_GATEWAY | 1u << MK_NAT_GATEWAY |
			1u << MK_PEERING | 1u << MK_VPC_ENDPOINT |
			1u << MK_INSTANCE;
	struct model_obj *o = get_ref_mask(L, v[1], mask, "route target");
	if (!o)
		return;
	r->target_index = o->index;
	switch (o->kind) {
	case MK_INTERNET_GATEWAY:
		r->target = L->m->igws[o->index].egress_only ? RT_EIGW : RT_IGW;
		break;
	case MK_NAT_GATEWAY:
		r->target = RT_NAT;
		break;
	case MK_PEERING:
		r->target = RT_PEERING;
		break;
	case MK_VPC_ENDPOINT:
		r->target = RT_ENDPOINT;
		break;
	default:
		r->target = RT_INSTANCE;
		break;
	}
}

static void parse_route_table(struct ld *L, struct model_route_table *t,
			      struct ydoc_node *n)
{
	const char *keys[4] = {"vpc", "routes"};
	struct ydoc_node *val[4];
	t->vpc = MODEL_NONE;
	if (!take_obj(L, &t->obj, n, "route table", keys, 2, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "route table '", t->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[0], "vpc", what);
	if (val[0])
		t->vpc = get_ref(L, val[0], MK_VPC, "VPC");
	if (!val[1] || !want_seq(L, val[1], "routes"))
		return;
	t->routes =
	    arena_array(&L->m->arena, ykit_seq_len(val[1]), sizeof(*t->routes));
	struct ydoc_node *e;
	YKIT_SEQ_EACH(L->R.doc, val[1], e)
	{
		struct model_route *r = &t->routes[t->n_routes++];
		r->number = t->n_routes;
		parse_route(L, t, r, e);
	}
}

/*
 * An explicit address must be a usable host of its subnet (semantics §1).
 * Checked here, where subnets are parsed already, to point at the value;
 * a bad one is dropped so that model_finish does not report it again.
 */
static void check_private_ip(struct ld *L, struct ydoc_node *n, uint32_t subnet,
			     uint32_t *addr)
{
	if (!*addr || subnet == MODEL_NONE)
		return;
	struct model_subnet *s = &L->m->subnets[subnet];
	if (s->cidr.len > 28)
		return; /* invalid or too small: reported with the subnet */
	char a[ADDR_STRLEN], c[CIDR_STRLEN], lo[ADDR_STRLEN], hi[ADDR_STRLEN];
	addr_format(a, *addr);
	cidr_format(c, s->cidr);
	if (!cidr_contains_addr(s->cidr, *addr)) {
		ykit_err(&L->R, n, "private_ip %s is not in subnet '%s' (%s)",
			 a, s->obj.id, c);
		*addr = 0;
		return;
	}
	if (values_addr_reserved(s->cidr, *addr)) {
		addr_format(lo, (uint32_t)values_first_host(s->cidr));
		addr_format(hi, values_last_host(s->cidr));
		ykit_err(
		    &L->R, n,
		    "private_ip %s is reserved by AWS in subnet '%s' (%s "
		    "reserves its first four addresses and its last); use %s "
		    "to %s",
		    a, s->obj.id, c, lo, hi);
		*addr = 0;
	}
}

static void parse_nat(struct ld *L, struct model_nat_gateway *g,
		      struct ydoc_node *n)
{
	const char *keys[6] = {"subnet", "connectivity", "elastic_ip",
			       "private_ip"};
	struct ydoc_node *val[6];
	g->subnet = MODEL_NONE;
	g->is_public = true;
	if (!take_obj(L, &g->obj, n, "NAT gateway", keys, 4, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "NAT gateway '", g->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[0], "subnet", what);
	if (val[0])
		g->subnet = get_ref(L, val[0], MK_SUBNET, "subnet");
	if (val[1]) {
		const char *s = ykit_scalar(&L->R, val[1], "connectivity");
		if (s && !strcmp(s, "private"))
			g->is_public = false;
		else if (s && strcmp(s, "public"))
			ykit_err(
			    &L->R, val[1],
			    "connectivity must be public or private, not '%s'",
			    s);
	}
	if (val[2]) {
		const char *s = ykit_scalar(&L->R, val[2], "elastic_ip");
		if (s && !strcmp(s, "true"))
			g->has_eip = true;
		else if (s && strcmp(s, "false"))
			g->has_eip = get_addr(L, val[2], "elastic_ip", &g->eip);
	}
	if (val[3] && get_addr(L, val[3], "private_ip", &g->private_addr))
		check_private_ip(L, val[3], g->subnet, &g->private_addr);
}

static void parse_sg_rule(struct ld *L, struct model_security_group *g,
			  struct model_sg_rule *r, struct ydoc_node *n,
			  bool ingress)
{
	static const char *const keys[] = {"protocol",	 "ports", "icmp_type",
					   "icmp_code",	 "from",  "to",
					   "description"};
	struct ydoc_node *v[7];
	char what[160];
	char num[UTIL_U32_TEXT_SIZE];
	what_of(what, sizeof(what), ingress ? "ingress" : "egress", " rule ",
		util_u32_text(num, r->number), " of security group '",
		g->obj.id, "'", NULL);
	r->loc = loc_of(L, n);
	r->peer = MODEL_NONE;
	if (!ykit_take_keys(&L->R, n, what, keys, 7, v, NULL))
		return;
	parse_match(L, n, v, what, &r->match);
	struct ydoc_node *peer = ingress ? v[4] : v[5];
	struct ydoc_node *wrong = ingress ? v[5] : v[4];
	if (wrong)
		ykit_err(&L->R, wrong, "%s rules take '%s', not '%s'",
			 ingress ? "ingress" : "egress",
			 ingress ? "from" : "to", ingress ? "to" : "from");
	else
		ykit_need(&L->R, n, peer, ingress ? "from" : "to", what);
	if (v[6])
		r->description = get_str(L, v[6], "description");
	if (!peer)
		return;
	const char *s = ykit_scalar(&L->R, peer, ingress ? "from" : "to");
	if (!s)
		return;
	if (strchr(s, '/') || strchr(s, ':') || (*s >= '0' && *s <= '9')) {
		bool is6 = false;
		if (get_cidr46(L, peer, &r->cidr, &r->cidr6, &is6))
			r->peer_kind = is6 ? PEER_CIDR6 : PEER_CIDR;
		return;
	}
	struct model_obj *o = get_ref_mask(
	    L, peer, 1u << MK_SECURITY_GROUP | 1u << MK_PREFIX_LIST,
	    "security group or prefix list");
	if (!o)
		return;
	r->peer = o->index;
	r->peer_kind =
	    o->kind == MK_SECURITY_GROUP ? PEER_GROUP : PEER_PREFIX_LIST;
}

static void parse_sg_rules(struct ld *L, struct model_security_group *g,
			   struct ydoc_node *n, bool ingress)
{
	if (!want_seq(L, n, ingress ? "ingress" : "egress"))
		return;
	struct model_sg_rule *rules =
	    arena_array(&L->m->arena, ykit_seq_len(n), sizeof(*rules));
	uint32_t count = 0;
	struct ydoc_node *e;
	YKIT_SEQ_EACH(L->R.doc, n, e)
	{
		rules[count].number = count + 1;
		parse_sg_rule(L, g, &rules[count], e, ingress);
		count++;
	}
	if (ingress) {
		g->ingress = rules;
		g->n_ingress = count;
	} else {
		g->egress = rules;
		g->n_egress = count;
	}
}

static void parse_sg(struct ld *L, struct model_security_group *g,
		     struct ydoc_node *n)
{
	const char *keys[6] = {"vpc", "description", "ingress", "egress"};
	struct ydoc_node *val[6];
	g->vpc = MODEL_NONE;
	if (!take_obj(L, &g->obj, n, "security group", keys, 4, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "security group '", g->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[0], "vpc", what);
	if (val[0])
		g->vpc = get_ref(L, val[0], MK_VPC, "VPC");
	if (val[1])
		g->description = get_str(L, val[1], "description");
	if (val[2] && !ykit_is_null(val[2]))
		parse_sg_rules(L, g, val[2], true);
	if (!val[3]) {
		/* AWS gives a new group allow-all egress (§4). */
		g->default_egress = true;
		g->egress = arena_alloc(&L->m->arena, sizeof(*g->egress));
		g->n_egress = 1;
		g->egress[0] = values_sg_egress_all(g->obj.loc);
	} else if (!ykit_is_null(val[3])) {
		parse_sg_rules(L, g, val[3], false);
	}
}

static void parse_nacl_rules(struct ld *L, struct model_network_acl *a,
			     struct ydoc_node *n, bool inbound)
{
	const char *dir = inbound ? "inbound" : "outbound";
	if (!want_seq(L, n, dir))
		return;
	struct model_nacl_rule *rules =
	    arena_array(&L->m->arena, ykit_seq_len(n), sizeof(*rules));
	uint32_t count = 0;
	struct ydoc_node *e;
	YKIT_SEQ_EACH(L->R.doc, n, e)
	{
		static const char *const keys[] = {
		    "rule",	 "action",    "protocol", "ports",
		    "icmp_type", "icmp_code", "cidr"};
		struct ydoc_node *v[7];
		char what[160];
		snprintf(what, sizeof(what), "an %s rule of network ACL '%s'",
			 dir, a->obj.id);
		if (!ykit_take_keys(&L->R, e, what, keys, 7, v, NULL))
			continue;
		struct model_nacl_rule *r = &rules[count];
		memset(r, 0, sizeof(*r));
		r->loc = loc_of(L, e);
		ykit_need(&L->R, e, v[0], "rule", what);
		ykit_need(&L->R, e, v[1], "action", what);
		ykit_need(&L->R, e, v[6], "cidr", what);
		bool ok = v[0] && v[1] && v[6];
		struct ydoc_node *mv[4] = {v[2], v[3], v[4], v[5]};
		parse_match(L, e, mv, what, &r->match);
		if (v[0] && get_uint(L, v[0], "NACL rule number", 1, 32766,
				     &r->number)) {
			for (uint32_t j = 0; j < count; j++)
				if (rules[j].number == r->number) {
					ykit_err(&L->R, v[0],
						 "duplicate %s rule number %u "
						 "(first "
						 "at %u:%u)",
						 dir, r->number,
						 rules[j].loc.line,
						 rules[j].loc.col);
					ok = false;
				}
		} else {
			ok = false;
		}
		if (v[1]) {
			const char *s = ykit_scalar(&L->R, v[1], "action");
			if (s && !strcmp(s, "allow"))
				r->allow = true;
			else if (s && strcmp(s, "deny")) {
				ykit_err(
				    &L->R, v[1],
				    "action must be allow or deny, not '%s'",
				    s);
				ok = false;
			}
		}
		if (v[6] && !get_cidr46(L, v[6], &r->cidr, &r->cidr6, &r->ipv6))
			ok = false;
		if (ok)
			count++;
	}
	if (inbound) {
		a->inbound = rules;
		a->n_inbound = count;
	} else {
		a->outbound = rules;
		a->n_outbound = count;
	}
}

static void parse_nacl(struct ld *L, struct model_network_acl *a,
		       struct ydoc_node *n)
{
	const char *keys[5] = {"vpc", "inbound", "outbound"};
	struct ydoc_node *val[5];
	a->vpc = MODEL_NONE;
	if (!take_obj(L, &a->obj, n, "network ACL", keys, 3, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "network ACL '", a->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[0], "vpc", what);
	if (val[0])
		a->vpc = get_ref(L, val[0], MK_VPC, "VPC");
	if (val[1] && !ykit_is_null(val[1]))
		parse_nacl_rules(L, a, val[1], true);
	if (val[2] && !ykit_is_null(val[2]))
		parse_nacl_rules(L, a, val[2], false);
}

static void parse_prefix_list(struct ld *L, struct model_prefix_list *p,
			      struct ydoc_node *n)
{
	const char *keys[5] = {"name", "service", "cidrs"};
	struct ydoc_node *val[5];
	if (!take_obj(L, &p->obj, n, "prefix list", keys, 3, val))
		return;
	if (val[0])
		p->name = get_str(L, val[0], "name");
	if (val[1]) {
		p->service = get_str(L, val[1], "service");
		if (p->service && !values_gateway_service(p->service))
			ykit_err(&L->R, val[1],
				 "service must be s3 or dynamodb, not '%s'",
				 p->service);
	}
	if (val[2] && want_seq(L, val[2], "cidrs") &&
	    cidr_count_ok(L, val[2], "cidrs")) {
		p->cidrs = arena_array(&L->m->arena, ykit_seq_len(val[2]),
				       sizeof(*p->cidrs));
		struct ydoc_node *e;
		YKIT_SEQ_EACH(L->R.doc, val[2], e)
		{
			if (get_cidr(L, e, &p->cidrs[p->n_cidrs]))
				p->n_cidrs++;
		}
	}
	if (!val[1] && !val[2]) {
		char what[160];
		what_of(what, sizeof(what), "prefix list '", p->obj.id, "'",
			NULL);
		ykit_need(&L->R, n, NULL, "cidrs", what);
	}
}

static void parse_instance(struct ld *L, struct model_instance *h,
			   struct ydoc_node *n, bool interface)
{
	const char *keys[9] = {
	    "subnet",	  "security_groups",   "private_ip", "public_ip",
	    "elastic_ip", "source_dest_check", "ipv6"};
	struct ydoc_node *val[9];
	const char *kind = interface ? "network interface" : "instance";
	h->subnet = MODEL_NONE;
	h->public_ip = -1;
	h->source_dest_check = true;
	h->is_interface = interface;
	if (!take_obj(L, &h->obj, n, kind, keys, 7, val))
		return;
	char what[160];
	what_of(what, sizeof(what), kind, " '", h->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[0], "subnet", what);
	if (val[0])
		h->subnet = get_ref(L, val[0], MK_SUBNET, "subnet");
	if (val[1])
		h->groups = get_ref_list(L, val[1], MK_SECURITY_GROUP,
					 "security group", &h->n_groups);
	if (val[2] && get_addr(L, val[2], "private_ip", &h->private_addr))
		check_private_ip(L, val[2], h->subnet, &h->private_addr);
	if (val[3]) {
		bool b;
		if (get_bool(L, val[3], "public_ip", &b))
			h->public_ip = b;
	}
	if (val[4]) {
		const char *s = ykit_scalar(&L->R, val[4], "elastic_ip");
		if (s && !strcmp(s, "true"))
			h->has_eip = true;
		else if (s && strcmp(s, "false"))
			h->has_eip = get_addr(L, val[4], "elastic_ip", &h->eip);
	}
	if (val[5])
		get_bool(L, val[5], "source_dest_check", &h->source_dest_check);
	if (val[6]) {
		/* true, false, or the IPv6 address itself (as elastic_ip). */
		const char *s = ykit_scalar(&L->R, val[6], "ipv6");
		struct cidr6 c;
		char buf[CIDR6_STRLEN + 8];
		if (s && !strcmp(s, "true"))
			h->ipv6 = IPV6_ON;
		else if (s && !strcmp(s, "false"))
			h->ipv6 = IPV6_NONE;
		else if (s && strchr(s, ':') && strlen(s) < CIDR6_STRLEN &&
			 (snprintf(buf, sizeof(buf), "%s/128", s),
			  cidr6_parse(&c, buf) == 0)) {
			h->ipv6 = IPV6_ON;
			h->has_addr6 = true;
			memcpy(h->addr6, c.addr, 16);
		} else if (s) {
			ykit_err(&L->R, val[6],
				 "ipv6 must be true, false or an IPv6 "
				 "address, not '%s'",
				 s);
		}
	}
}

static bool get_lb_protocol(struct ld *L, struct ydoc_node *n,
			    enum lb_protocol *out)
{
	const char *s = ykit_scalar(&L->R, n, "protocol");
	if (!s)
		return false;
	if (values_lb_protocol_parse(out, s, false) == 0)
		return true;
	ykit_err(&L->R, n,
		 "protocol must be " VALUES_LB_PROTOCOL_LIST ", not '%s'", s);
	return false;
}

/* One of forward / redirect / fixed_response from v[0..3). */
static void parse_action(struct ld *L, struct ydoc_node *at,
			 struct ydoc_node **v, const char *what,
			 struct model_lb_action *a)
{
	int given = !!v[0] + !!v[1] + !!v[2];
	a->target_group = MODEL_NONE;
	a->redirect_protocol = -1;
	a->loc = loc_of(L, at);
	if (given != 1) {
		ykit_err(&L->R, at,
			 "%s needs exactly one of forward, redirect or "
			 "fixed_response",
			 what);
		return;
	}
	if (v[0]) {
		a->kind = LBA_FORWARD;
		a->loc = loc_of(L, v[0]);
		a->target_group =
		    get_ref(L, v[0], MK_TARGET_GROUP, "target group");
	} else if (v[1]) {
		static const char *const keys[] = {"port", "protocol",
						   "status_code"};
		struct ydoc_node *r[3];
		a->kind = LBA_REDIRECT;
		a->status_code = 301;
		a->loc = loc_of(L, v[1]);
		if (!ykit_take_keys(&L->R, v[1], "redirect", keys, 3, r, NULL))
			return;
		if (r[0])
			get_port(L, r[0], "port", &a->redirect_port);
		enum lb_protocol p;
		if (r[1] && get_lb_protocol(L, r[1], &p))
			a->redirect_protocol = (int)p;
		uint32_t sc;
		if (r[2] && get_uint(L, r[2], "status_code", 301, 302, &sc))
			a->status_code = (uint16_t)sc;
	} else {
		static const char *const keys[] = {"status_code"};
		struct ydoc_node *r[1];
		a->kind = LBA_FIXED_RESPONSE;
		a->status_code = 200;
		a->loc = loc_of(L, v[2]);
		if (!ykit_take_keys(&L->R, v[2], "fixed_response", keys, 1, r,
				    NULL))
			return;
		uint32_t sc;
		if (r[0] && get_uint(L, r[0], "status_code", 200, 599, &sc))
			a->status_code = (uint16_t)sc;
	}
}

static const char **get_str_list(struct ld *L, struct ydoc_node *n,
				 const char *what, uint32_t *count)
{
	*count = 0;
	if (n->type == YAML_SCALAR_NODE) {
		const char **v = arena_alloc(&L->m->arena, sizeof(char *));
		v[0] = get_str(L, n, what);
		*count = v[0] != NULL;
		return v;
	}
	if (!want_seq(L, n, what))
		return NULL;
	const char **v =
	    arena_array(&L->m->arena, ykit_seq_len(n), sizeof(char *));
	struct ydoc_node *e;
	YKIT_SEQ_EACH(L->R.doc, n, e)
	{
		const char *s = get_str(L, e, what);
		if (s)
			v[(*count)++] = s;
	}
	return v;
}

static int rule_priority_cmp(const void *a, const void *b)
{
	const struct model_listener_rule *x = a, *y = b;
	return (x->priority > y->priority) - (x->priority < y->priority);
}

/* type_ok: the load balancer's type is known, so protocols can be
 * checked against it. */
/* A classic listener forwards to the instances on instance_port, with
 * the instance protocol (the listener's by default); it has no actions
 * of its own (model_finish makes its forward). */
static void parse_classic_listener(struct ld *L, struct model_load_balancer *lb,
				   struct model_listener *li,
				   struct ydoc_node *n, struct ydoc_node **v,
				   const char *what)
{
	(void)lb;
	if (v[1] && get_lb_protocol(L, v[1], &li->protocol) &&
	    (li->protocol == LBP_UDP || li->protocol == LBP_TCP_UDP))
		ykit_err(&L->R, v[1],
			 "listeners of classic load balancers take HTTP, "
			 "HTTPS, TCP or TLS, not %s",
			 lb_protocol_name(li->protocol));
	li->instance_protocol = li->protocol;
	for (int k = 2; k < 6; k++)
		if (v[k])
			ykit_err(&L->R, v[k],
				 "a classic load balancer's listener forwards "
				 "to its instances: give instance_port, not "
				 "actions or rules");
	ykit_need(&L->R, n, v[6], "instance_port", what);
	if (v[6])
		get_port(L, v[6], "instance_port", &li->instance_port);
	if (v[7])
		get_lb_protocol(L, v[7], &li->instance_protocol);
}

static void parse_listener(struct ld *L, struct model_load_balancer *lb,
			   struct model_listener *li, struct ydoc_node *n,
			   bool type_ok)
{
	static const char *const keys[] = {
	    "port",	      "protocol", "forward",	   "redirect",
	    "fixed_response", "rules",	  "instance_port", "instance_protocol"};
	struct ydoc_node *v[8];
	char what[160];
	snprintf(what, sizeof(what), "a listener of load balancer '%s'",
		 lb->obj.id);
	li->loc = loc_of(L, n);
	li->default_action.kind = LBA_FIXED_RESPONSE;
	li->default_action.target_group = MODEL_NONE;
	li->default_action.redirect_protocol = -1;
	if (!ykit_take_keys(&L->R, n, what, keys, 8, v, NULL))
		return;
	ykit_need(&L->R, n, v[0], "port", what);
	if (v[0])
		get_port(L, v[0], "listener port", &li->port);
	li->protocol = lb->type == LB_APPLICATION ? LBP_HTTP : LBP_TCP;
	if (lb->type == LB_CLASSIC) {
		parse_classic_listener(L, lb, li, n, v, what);
		return;
	}
	if (v[6] || v[7])
		ykit_err(&L->R, v[6] ? v[6] : v[7],
			 "instance_port and instance_protocol belong to "
			 "listeners of classic load balancers");
	if (v[1] && get_lb_protocol(L, v[1], &li->protocol)) {
		bool l7 = li->protocol == LBP_HTTP || li->protocol == LBP_HTTPS;
		if (type_ok && l7 != (lb->type == LB_APPLICATION))
			ykit_err(
			    &L->R, v[1],
			    "listeners of %s load balancer '%s' take %s, not "
			    "%s",
			    lb->type == LB_APPLICATION ? "application"
						       : "network",
			    lb->obj.id,
			    lb->type == LB_APPLICATION
				? "HTTP or HTTPS"
				: "TCP, TLS, UDP or TCP_UDP",
			    lb_protocol_name(li->protocol));
	}
	parse_action(L, n, &v[2], what, &li->default_action);
	if (!v[5] || !want_seq(L, v[5], "rules"))
		return;
	if (type_ok && lb->type != LB_APPLICATION)
		ykit_err(&L->R, v[5],
			 "listener rules apply to application load "
			 "balancers only");
	li->rules =
	    arena_array(&L->m->arena, ykit_seq_len(v[5]), sizeof(*li->rules));
	struct ydoc_node *e;
	YKIT_SEQ_EACH(L->R.doc, v[5], e)
	{
		static const char *const rkeys[] = {
		    "priority", "paths",    "hosts",
		    "forward",	"redirect", "fixed_response"};
		struct ydoc_node *r[6];
		char rwhat[192];
		snprintf(rwhat, sizeof(rwhat),
			 "a rule of listener %u of load balancer '%s'",
			 li->port, lb->obj.id);
		if (!ykit_take_keys(&L->R, e, rwhat, rkeys, 6, r, NULL))
			continue;
		struct model_listener_rule *lr = &li->rules[li->n_rules];
		lr->loc = loc_of(L, e);
		ykit_need(&L->R, e, r[0], "priority", rwhat);
		if (!r[0] ||
		    !get_uint(L, r[0], "priority", 1, 50000, &lr->priority))
			continue;
		bool dup = false;
		for (uint32_t j = 0; j < li->n_rules; j++)
			if (li->rules[j].priority == lr->priority) {
				ykit_err(&L->R, r[0],
					 "duplicate rule priority %u (first at "
					 "%u:%u)",
					 lr->priority, li->rules[j].loc.line,
					 li->rules[j].loc.col);
				dup = true;
			}
		if (dup)
			continue;
		if (r[1])
			lr->paths =
			    get_str_list(L, r[1], "a path", &lr->n_paths);
		if (r[2])
			lr->hosts =
			    get_str_list(L, r[2], "a host", &lr->n_hosts);
		if (!r[1] && !r[2])
			ykit_err(&L->R, e,
				 "%s needs a condition: paths or hosts", rwhat);
		parse_action(L, e, &r[3], rwhat, &lr->action);
		li->n_rules++;
	}
	qsort(li->rules, li->n_rules, sizeof(*li->rules), rule_priority_cmp);
}

static void parse_lb(struct ld *L, struct model_load_balancer *lb,
		     struct ydoc_node *n)
{
	const char *keys[11] = {
	    "type",	      "scheme",	    "subnets",	 "security_groups",
	    "listeners",      "cross_zone", "instances", "health_check_port",
	    "ip_address_type"};
	struct ydoc_node *val[11];
	lb->type = LB_APPLICATION;
	lb->internet_facing = false;
	if (!take_obj(L, &lb->obj, n, "load balancer", keys, 9, val))
		return;
	if (val[8]) {
		const char *s = ykit_scalar(&L->R, val[8], "ip_address_type");
		if (s && !strcmp(s, "dualstack"))
			lb->dualstack = true;
		else if (s && strcmp(s, "ipv4"))
			ykit_err(&L->R, val[8],
				 "ip_address_type must be ipv4 or dualstack, "
				 "not '%s'",
				 s);
	}
	char what[160];
	what_of(what, sizeof(what), "load balancer '", lb->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[0], "type", what);
	ykit_need(&L->R, n, val[1], "scheme", what);
	ykit_need(&L->R, n, val[2], "subnets", what);
	bool type_ok = val[0] != NULL;
	if (val[0]) {
		const char *s = ykit_scalar(&L->R, val[0], "type");
		if (s && (!strcmp(s, "application") || !strcmp(s, "alb")))
			lb->type = LB_APPLICATION;
		else if (s && (!strcmp(s, "network") || !strcmp(s, "nlb")))
			lb->type = LB_NETWORK;
		else if (s && (!strcmp(s, "classic") || !strcmp(s, "elb")))
			lb->type = LB_CLASSIC;
		else if (s)
			ykit_err(&L->R, val[0],
				 "type must be application, network or "
				 "classic, not '%s'",
				 s);
		type_ok = s && (lb->type != LB_APPLICATION ||
				!strcmp(s, "application") || !strcmp(s, "alb"));
	}
	if ((val[6] || val[7]) && lb->type != LB_CLASSIC)
		ykit_err(&L->R, val[6] ? val[6] : val[7],
			 "instances and health_check_port belong to classic "
			 "load balancers; others register targets in target "
			 "groups");
	if (val[6] && lb->type == LB_CLASSIC)
		lb->instances = get_ref_list(L, val[6], MK_INSTANCE, "instance",
					     &lb->n_instances);
	if (val[7] && lb->type == LB_CLASSIC &&
	    get_port(L, val[7], "health_check_port", &lb->health_check_port))
		lb->health_check_protocol = LBP_TCP;
	if (val[1]) {
		const char *s = ykit_scalar(&L->R, val[1], "scheme");
		if (s && !strcmp(s, "internet-facing"))
			lb->internet_facing = true;
		else if (s && strcmp(s, "internal"))
			ykit_err(
			    &L->R, val[1],
			    "scheme must be internet-facing or internal, not "
			    "'%s'",
			    s);
	}
	if (val[2])
		lb->subnets = get_ref_list(L, val[2], MK_SUBNET, "subnet",
					   &lb->n_subnets);
	if (val[3])
		lb->groups = get_ref_list(L, val[3], MK_SECURITY_GROUP,
					  "security group", &lb->n_groups);
	/* ALB cross-zone is always on; NLB's is off unless enabled (§8). */
	lb->cross_zone = lb->type == LB_APPLICATION;
	if (val[5]) {
		bool b;
		if (get_bool(L, val[5], "cross_zone", &b)) {
			if (type_ok && lb->type == LB_APPLICATION && !b)
				ykit_err(&L->R, val[5],
					 "cross-zone load balancing is "
					 "always on for application load "
					 "balancers");
			lb->cross_zone = b || lb->type == LB_APPLICATION;
		}
	}
	if (val[4] && want_seq(L, val[4], "listeners")) {
		lb->listeners = arena_array(&L->m->arena, ykit_seq_len(val[4]),
					    sizeof(*lb->listeners));
		struct ydoc_node *e;
		YKIT_SEQ_EACH(L->R.doc, val[4], e)
		{
			struct model_listener *li =
			    &lb->listeners[lb->n_listeners];
			parse_listener(L, lb, li, e, type_ok);
			for (uint32_t j = 0; j < lb->n_listeners; j++)
				if (li->port &&
				    lb->listeners[j].port == li->port)
					ykit_err(
					    &L->R, e,
					    "duplicate listener port %u (first "
					    "at %u:%u)",
					    li->port, lb->listeners[j].loc.line,
					    lb->listeners[j].loc.col);
			lb->n_listeners++;
		}
	}
}

/* target_type: instance, ip or lambda; false when it is not one of them
 * (checks that depend on the type are then skipped). */
static bool get_target_type(struct ld *L, struct ydoc_node *n,
			    enum tg_target_type *out)
{
	const char *s = ykit_scalar(&L->R, n, "target_type");
	if (s && !strcmp(s, "instance"))
		*out = TT_INSTANCE;
	else if (s && !strcmp(s, "ip"))
		*out = TT_IP;
	else if (s && !strcmp(s, "lambda"))
		*out = TT_LAMBDA;
	else if (s)
		ykit_err(&L->R, n,
			 "target_type must be instance, ip or lambda, not '%s'",
			 s);
	return s && (!strcmp(s, "instance") || !strcmp(s, "ip") ||
		     !strcmp(s, "lambda"));
}

static void parse_health_check(struct ld *L, struct model_target_group *tg,
			       struct ydoc_node *n)
{
	static const char *const hk[] = {"port", "protocol", "path"};
	struct ydoc_node *h[3];
	if (!ykit_take_keys(&L->R, n, "health_check", hk, 3, h, NULL))
		return;
	if (h[0]) {
		const char *s = ykit_scalar(&L->R, h[0], "port");
		if (s && strcmp(s, "traffic-port"))
			get_port(L, h[0], "health check port",
				 &tg->health_check_port);
	}
	if (h[1])
		get_lb_protocol(L, h[1], &tg->health_check_protocol);
	if (h[2])
		tg->health_check_path = get_str(L, h[2], "path");
}

/* One registered target, exactly one of instance or ip, of the group's
 * type when type_ok says the type is known; dropped after an error. */
static void parse_target(struct ld *L, struct model_target_group *tg,
			 struct ydoc_node *e, bool type_ok)
{
	static const char *const tk[] = {"instance", "ip", "port"};
	struct ydoc_node *t[3];
	if (!ykit_take_keys(&L->R, e, "a target", tk, 3, t, NULL))
		return;
	struct model_tg_target *x = &tg->targets[tg->n_targets];
	x->loc = loc_of(L, e);
	x->instance = MODEL_NONE;
	if (!!t[0] == !!t[1]) {
		ykit_err(&L->R, e,
			 "a target needs exactly one of instance or ip");
		return;
	}
	if (t[0]) {
		x->instance = get_ref(L, t[0], MK_INSTANCE, "instance");
		if (x->instance == MODEL_NONE)
			return;
		if (type_ok && tg->target_type != TT_INSTANCE)
			ykit_err(&L->R, t[0],
				 "target group '%s' has target_type ip; "
				 "register an ip, not an instance",
				 tg->obj.id);
	} else {
		if (!get_addr(L, t[1], "ip", &x->addr))
			return;
		if (type_ok && tg->target_type != TT_IP)
			ykit_err(&L->R, t[1],
				 "target group '%s' has target_type instance; "
				 "register an instance, not an ip",
				 tg->obj.id);
	}
	if (t[2])
		get_port(L, t[2], "port", &x->port);
	tg->n_targets++;
}

static void parse_tg(struct ld *L, struct model_target_group *tg,
		     struct ydoc_node *n)
{
	const char *keys[10] = {"vpc",
				"protocol",
				"port",
				"target_type",
				"health_check",
				"targets",
				"preserve_client_ip"};
	struct ydoc_node *val[10];
	tg->vpc = MODEL_NONE;
	tg->target_type = TT_IP;
	if (!take_obj(L, &tg->obj, n, "target group", keys, 7, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "target group '", tg->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[1], "protocol", what);
	ykit_need(&L->R, n, val[2], "port", what);
	if (val[0])
		tg->vpc = get_ref(L, val[0], MK_VPC, "VPC");
	if (val[1])
		get_lb_protocol(L, val[1], &tg->protocol);
	if (val[2])
		get_port(L, val[2], "port", &tg->port);
	bool type_ok = !val[3] || get_target_type(L, val[3], &tg->target_type);
	tg->health_check_protocol = tg->protocol;
	if (val[4])
		parse_health_check(L, tg, val[4]);
	/* Client IP preservation defaults (ELB guide): on for instance
	 * targets and for UDP / TCP_UDP ip targets, off for TCP and TLS ip
	 * targets. */
	tg->preserve_client_ip = tg->target_type == TT_INSTANCE ||
				 tg->protocol == LBP_UDP ||
				 tg->protocol == LBP_TCP_UDP;
	if (val[6])
		get_bool(L, val[6], "preserve_client_ip",
			 &tg->preserve_client_ip);
	if (!val[5] || !want_seq(L, val[5], "targets"))
		return;
	tg->targets = arena_array(&L->m->arena, ykit_seq_len(val[5]),
				  sizeof(*tg->targets));
	struct ydoc_node *e;
	YKIT_SEQ_EACH(L->R.doc, val[5], e)
	{
		parse_target(L, tg, e, type_ok);
	}
}

/* "80/udp": a port mapping's protocol is tcp or udp, by name, in lower
 * case (as ECS task definitions write it). */
static const struct values_proto_syntax mapping_protos = {false,
							  VALUES_NAMES_ONLY};

/* "80", "80/udp", or in bridge mode "8080:80" (host port first, as
 * docker writes it; without one the host port is dynamic).  Host mode
 * takes the container port on the host. */
static bool get_port_mapping(struct ld *L, struct ydoc_node *n,
			     struct model_port_mapping *pm, const char *mode)
{
	const char *s = ykit_scalar(&L->R, n, "a port mapping");
	if (!s)
		return false;
	char buf[32];
	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	pm->proto = PROTO_TCP;
	char *colon = strchr(buf, ':');
	uint32_t hp = 0;
	if (colon) {
		*colon = '\0';
		if (!util_port_text(buf, &hp) || hp > 65535)
			goto bad;
		if (!mode || strcmp(mode, "bridge")) {
			ykit_err(&L->R, n,
				 "a host port (HOST:CONTAINER) is for bridge "
				 "mode; in %s mode the host port is the "
				 "container port",
				 mode ? mode : "awsvpc");
			return false;
		}
		memmove(buf, colon + 1, strlen(colon + 1) + 1);
	}
	char *slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		enum proto p;
		if (values_proto_lookup(&p, slash + 1, &mapping_protos) < 0 ||
		    (p != PROTO_TCP && p != PROTO_UDP))
			goto bad;
		pm->proto = p;
	}
	uint32_t v;
	if (!util_port_text(buf, &v))
		goto bad;
	if (v < 1 || v > 65535) {
		ykit_err(&L->R, n, "container port %u out of range 1-65535", v);
		return false;
	}
	pm->port = (uint16_t)v;
	pm->host_port = mode && !strcmp(mode, "host") ? pm->port : (uint16_t)hp;
	return true;
bad:
	ykit_err(&L->R, n,
		 "a port mapping is a port with an optional /tcp or /udp "
		 "(in bridge mode HOST:PORT), not '%s'",
		 s);
	return false;
}

static void parse_task_definition(struct ld *L,
				  struct model_task_definition *td,
				  struct ydoc_node *n)
{
	const char *keys[4] = {"network_mode", "containers"};
	struct ydoc_node *val[4];
	td->network_mode = "awsvpc";
	if (!take_obj(L, &td->obj, n, "task definition", keys, 2, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "task definition '", td->obj.id, "'", NULL);
	if (val[0]) {
		td->network_mode = get_str(L, val[0], "network_mode");
		if (td->network_mode && strcmp(td->network_mode, "awsvpc") &&
		    strcmp(td->network_mode, "bridge") &&
		    strcmp(td->network_mode, "host"))
			ykit_err(&L->R, val[0],
				 "network_mode must be awsvpc, bridge or host, "
				 "not '%s'",
				 td->network_mode);
	}
	ykit_need(&L->R, n, val[1], "containers", what);
	if (!val[1])
		return;
	if (val[1]->type != YAML_MAPPING_NODE) {
		ykit_err(&L->R, val[1],
			 "containers must be a mapping of name: "
			 "{ports: [...]}, not %s",
			 ykit_type_name(val[1]));
		return;
	}
	size_t len = (size_t)(val[1]->data.mapping.pairs.top -
			      val[1]->data.mapping.pairs.start);
	td->containers =
	    arena_array(&L->m->arena, len, sizeof(*td->containers));
	for (size_t i = 0; i < len; i++) {
		yaml_node_pair_t *p = &val[1]->data.mapping.pairs.start[i];
		struct model_container *c = &td->containers[td->n_containers];
		c->name =
		    get_str(L, ykit_node(L->R.doc, p->key), "a container name");
		if (!c->name)
			continue;
		static const char *const ck[] = {"ports"};
		struct ydoc_node *cv[1];
		char cwhat[192];
		snprintf(cwhat, sizeof(cwhat), "container '%s'", c->name);
		td->n_containers++;
		/* ports stays NULL for a container with errors, which
		 * check_binding then leaves alone. */
		if (!ykit_take_keys(&L->R, ykit_node(L->R.doc, p->value), cwhat,
				    ck, 1, cv, NULL))
			continue;
		if (!cv[0]) {
			c->ports = arena_array(&L->m->arena, 0, 1);
			continue;
		}
		if (!want_seq(L, cv[0], "ports"))
			continue;
		c->ports = arena_array(&L->m->arena, ykit_seq_len(cv[0]),
				       sizeof(*c->ports));
		bool ok = true;
		struct ydoc_node *e;
		YKIT_SEQ_EACH(L->R.doc, cv[0], e)
		{
			if (get_port_mapping(L, e, &c->ports[c->n_ports],
					     td->network_mode))
				c->n_ports++;
			else
				ok = false;
		}
		if (!ok) {
			c->ports = NULL;
			c->n_ports = 0;
		}
	}
}

/* The container and port of a load-balancer binding must exist in the
 * service's task definition. */
static void check_binding(struct ld *L, struct model_service *s,
			  struct model_lb_binding *x, struct ydoc_node *cnode,
			  struct ydoc_node *pnode)
{
	struct model_task_definition *td =
	    &L->m->task_definitions[s->task_definition];
	const char *names[64];
	size_t nn = 0;
	bool named = false, found = false;
	char mapped[160] = "";
	size_t ml = 0;
	if (!td->containers)
		return; /* the task definition's own error says why */
	for (uint32_t c = 0; c < td->n_containers; c++) {
		struct model_container *k = &td->containers[c];
		if (nn < ARRAY_LEN(names))
			names[nn++] = k->name;
		if (x->container && strcmp(k->name, x->container))
			continue;
		if (!k->ports)
			return; /* the container's own error says why */
		named = true;
		for (uint32_t p = 0; p < k->n_ports; p++) {
			found |= k->ports[p].port == x->port;
			if (ml < sizeof(mapped) - 16)
				ml += (size_t)snprintf(
				    mapped + ml, sizeof(mapped) - ml, "%s%u",
				    ml ? ", " : "", k->ports[p].port);
		}
	}
	if (found)
		return;
	if (x->container && !named) {
		const char *near = util_closest(x->container, names, nn);
		if (near)
			ykit_err(
			    &L->R, cnode,
			    "task definition '%s' has no container '%s' (did "
			    "you mean '%s'?)",
			    td->obj.id, x->container, near);
		else if (nn) {
			char list[160] = "";
			size_t ll = 0;
			for (size_t i = 0; i < nn; i++) {
				if (ll + strlen(names[i]) + 10 > sizeof(list)) {
					strcpy(list + ll, ", ...");
					break;
				}
				ll += (size_t)snprintf(
				    list + ll, sizeof(list) - ll, "%s'%s'",
				    i ? ", " : "", names[i]);
			}
			ykit_err(
			    &L->R, cnode,
			    "task definition '%s' has no container '%s' (it "
			    "has %s)",
			    td->obj.id, x->container, list);
		} else
			ykit_err(&L->R, cnode,
				 "task definition '%s' has no container '%s'",
				 td->obj.id, x->container);
		return;
	}
	if (x->container)
		ykit_err(
		    &L->R, pnode,
		    "container '%s' of task definition '%s' maps no port %u "
		    "(%s%s)",
		    x->container, td->obj.id, x->port,
		    ml ? "it maps " : "it maps no ports", mapped);
	else
		ykit_err(
		    &L->R, pnode,
		    "task definition '%s' maps no container port %u (%s%s)",
		    td->obj.id, x->port,
		    ml ? "its containers map " : "it maps no ports", mapped);
}

static void parse_service(struct ld *L, struct model_service *s,
			  struct ydoc_node *n)
{
	const char *keys[11] = {"cluster",	   "task_definition",
				"desired_count",   "subnets",
				"security_groups", "assign_public_ip",
				"load_balancers",  "launch_type"};
	struct ydoc_node *val[11];
	s->task_definition = MODEL_NONE;
	s->desired_count = 1;
	if (!take_obj(L, &s->obj, n, "service", keys, 8, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "service '", s->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[1], "task_definition", what);
	if (val[0])
		s->cluster = get_str(L, val[0], "cluster");
	if (val[1])
		s->task_definition =
		    get_ref(L, val[1], MK_TASK_DEFINITION, "task definition");
	const char *mode =
	    s->task_definition == MODEL_NONE
		? NULL
		: L->m->task_definitions[s->task_definition].network_mode;
	bool awsvpc = !mode || !strcmp(mode, "awsvpc");
	if (val[7]) {
		const char *lt = ykit_scalar(&L->R, val[7], "launch_type");
		if (lt && !strcmp(lt, "ec2"))
			s->on_ec2 = true;
		else if (lt && strcmp(lt, "fargate"))
			ykit_err(&L->R, val[7],
				 "launch_type must be fargate or ec2, not "
				 "'%s'",
				 lt);
	}
	if (!awsvpc && !s->on_ec2 && s->task_definition != MODEL_NONE)
		ykit_err(&L->R, val[1],
			 "task definition '%s' uses %s mode, which runs on "
			 "EC2 only: give launch_type ec2",
			 L->m->task_definitions[s->task_definition].obj.id,
			 mode);
	if (awsvpc)
		ykit_need(&L->R, n, val[3], "subnets", what);
	else if (val[3] || val[4] || val[5])
		ykit_err(&L->R,
			 val[3]	  ? val[3]
			 : val[4] ? val[4]
				  : val[5],
			 "%s-mode tasks use their container instances' "
			 "subnets and groups (the fleets of cluster '%s'), "
			 "not their own",
			 mode, s->cluster ? s->cluster : "default");
	if (val[2])
		get_uint(L, val[2], "desired_count", 0, 100000,
			 &s->desired_count);
	if (val[3])
		s->subnets =
		    get_ref_list(L, val[3], MK_SUBNET, "subnet", &s->n_subnets);
	if (val[4])
		s->groups = get_ref_list(L, val[4], MK_SECURITY_GROUP,
					 "security group", &s->n_groups);
	if (val[5])
		get_bool(L, val[5], "assign_public_ip", &s->assign_public_ip);
	if (!val[6] || !want_seq(L, val[6], "load_balancers"))
		return;
	s->bindings = arena_array(&L->m->arena, ykit_seq_len(val[6]),
				  sizeof(*s->bindings));
	struct ydoc_node *e;
	YKIT_SEQ_EACH(L->R.doc, val[6], e)
	{
		static const char *const bk[] = {"target_group", "container",
						 "port", "load_balancer"};
		struct ydoc_node *b[4];
		char bwhat[192];
		snprintf(bwhat, sizeof(bwhat),
			 "a load-balancer binding of service '%s'", s->obj.id);
		if (!ykit_take_keys(&L->R, e, bwhat, bk, 4, b, NULL))
			continue;
		struct model_lb_binding *x = &s->bindings[s->n_bindings];
		x->loc = loc_of(L, e);
		if (!b[0] && !b[3])
			ykit_need(&L->R, e, b[0], "target_group", bwhat);
		ykit_need(&L->R, e, b[2], "port", bwhat);
		if (b[0] && b[3]) {
			ykit_err(&L->R, b[3],
				 "a binding takes target_group or (a classic "
				 "load balancer) load_balancer, not both");
			continue;
		}
		if ((!b[0] && !b[3]) || !b[2])
			continue;
		if (b[3]) {
			/* model_finish picks the classic listener's group */
			x->classic_lb =
			    get_ref(L, b[3], MK_LOAD_BALANCER, "load balancer");
			x->classic = x->classic_lb != MODEL_NONE;
			x->target_group = MODEL_NONE;
			if (x->classic &&
			    L->m->lbs[x->classic_lb].type != LB_CLASSIC) {
				ykit_err(&L->R, b[3],
					 "load balancer '%s' is not a classic "
					 "one: bind its target group instead",
					 L->m->lbs[x->classic_lb].obj.id);
				continue;
			}
		} else {
			x->target_group =
			    get_ref(L, b[0], MK_TARGET_GROUP, "target group");
		}
		if (b[1] && ykit_is_empty(b[1])) {
			ykit_err(&L->R, b[1],
				 "expected a container name, not an empty "
				 "value");
			continue;
		}
		if (b[1])
			x->container = get_str(L, b[1], "container");
		if ((x->target_group == MODEL_NONE && !x->classic) ||
		    !get_port(L, b[2], "port", &x->port))
			continue;
		if (s->task_definition != MODEL_NONE)
			check_binding(L, s, x, b[1], b[2]);
		s->n_bindings++;
	}
}

static void parse_database(struct ld *L, struct model_database *d,
			   struct ydoc_node *n)
{
	const char *keys[13] = {"engine",	   "port",
				"subnets",	   "availability_zone",
				"security_groups", "publicly_accessible",
				"multi_az",	   "replica_of",
				"family",	   "default_vpc",
				"network_type"};
	struct ydoc_node *val[13];
	d->replica_of = MODEL_NONE;
	if (!take_obj(L, &d->obj, n, "database", keys, 11, val))
		return;
	if (val[10]) {
		const char *s = ykit_scalar(&L->R, val[10], "network_type");
		if (s && !strcmp(s, "dual"))
			d->dualstack = true;
		else if (s && strcmp(s, "ipv4"))
			ykit_err(&L->R, val[10],
				 "network_type must be ipv4 or dual, not '%s'",
				 s);
	}
	char what[160];
	what_of(what, sizeof(what), "database '", d->obj.id, "'", NULL);
	if (val[7])
		d->replica_of = get_ref(L, val[7], MK_DATABASE, "database");
	if (val[8]) {
		static const char *const fam[] = {"rds", "aurora", "cache",
						  "file_system"};
		const char *f = ykit_scalar(&L->R, val[8], "family");
		size_t k = 0;
		while (f && k < ARRAY_LEN(fam) && strcmp(f, fam[k]))
			k++;
		if (f && k < ARRAY_LEN(fam))
			d->family = (enum db_family)k;
		else if (f)
			ykit_err(&L->R, val[8],
				 "family must be rds, aurora, cache or "
				 "file_system, not '%s'",
				 f);
	}
	if (val[9])
		get_bool(L, val[9], "default_vpc", &d->default_vpc);
	if (d->default_vpc && (val[2] || val[3]))
		ykit_err(&L->R, val[2] ? val[2] : val[3],
			 "a database in the default VPC has no subnets here: "
			 "the default VPC is not in the model");
	if (d->replica_of == MODEL_NONE) {
		ykit_need(&L->R, n, val[0], "engine", what);
		if (!d->default_vpc)
			ykit_need(&L->R, n, val[2], "subnets", what);
	}
	if (val[0]) {
		static const char *const engines[] = {
		    "mysql",	    "mariadb",	    "aurora-mysql",
		    "aurora",	    "postgres",	    "aurora-postgresql",
		    "oracle-ee",    "oracle-se2",   "sqlserver-ee",
		    "sqlserver-se", "sqlserver-ex", "sqlserver-web",
		    "postgresql",   "redis",	    "valkey",
		    "memcached",    "efs",
		};
		if (ykit_is_empty(val[0]))
			ykit_err(&L->R, val[0],
				 "expected an engine like mysql or "
				 "postgres, not an empty value");
		else
			d->engine = get_str(L, val[0], "engine");
		const char *near = d->engine ? util_closest(d->engine, engines,
							    ARRAY_LEN(engines))
					     : NULL;
		if (near && !strcmp(near, "postgresql"))
			near = "postgres";
		if (d->engine && !model_engine_port(d->engine) && !val[1]) {
			if (near)
				ykit_err(
				    &L->R, val[0],
				    "unknown engine '%s' (did you mean '%s'?); "
				    "for another engine give its port with "
				    "'port'",
				    d->engine, near);
			else
				ykit_err(
				    &L->R, val[0],
				    "unknown engine '%s'; give its port with "
				    "'port'",
				    d->engine);
		}
	}
	if (val[1])
		get_port(L, val[1], "port", &d->port);
	if (val[2])
		d->subnets =
		    get_ref_list(L, val[2], MK_SUBNET, "subnet", &d->n_subnets);
	if (val[3])
		d->az = get_az(L, val[3], "availability_zone");
	if (val[4])
		d->groups = get_ref_list(L, val[4], MK_SECURITY_GROUP,
					 "security group", &d->n_groups);
	if (val[5])
		get_bool(L, val[5], "publicly_accessible",
			 &d->publicly_accessible);
	if (val[6])
		get_bool(L, val[6], "multi_az", &d->multi_az);
}

static void parse_fleet(struct ld *L, struct model_fleet *f,
			struct ydoc_node *n)
{
	const char *keys[9] = {"role",	     "subnets",	      "security_groups",
			       "public_ip",  "target_groups", "load_balancers",
			       "ecs_cluster"};
	struct ydoc_node *val[9];
	f->public_ip = -1;
	if (!take_obj(L, &f->obj, n, "fleet", keys, 7, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "fleet '", f->obj.id, "'", NULL);
	if (val[0]) {
		const char *r = ykit_scalar(&L->R, val[0], "role");
		if (r && !strcmp(r, "function"))
			f->role = FLEET_FUNCTION;
		else if (r && strcmp(r, "autoscaling"))
			ykit_err(&L->R, val[0],
				 "role must be autoscaling or function, not "
				 "'%s'",
				 r);
	}
	ykit_need(&L->R, n, val[1], "subnets", what);
	if (val[1])
		f->subnets =
		    get_ref_list(L, val[1], MK_SUBNET, "subnet", &f->n_subnets);
	if (val[2])
		f->groups = get_ref_list(L, val[2], MK_SECURITY_GROUP,
					 "security group", &f->n_groups);
	if (f->role == FLEET_FUNCTION)
		for (int k = 3; k < 7; k++)
			if (val[k])
				ykit_err(&L->R, val[k],
					 "a function fleet only starts "
					 "connections: it takes subnets and "
					 "security_groups");
	if (f->role == FLEET_FUNCTION)
		return;
	bool b;
	if (val[3] && get_bool(L, val[3], "public_ip", &b))
		f->public_ip = b;
	if (val[4])
		f->target_groups =
		    get_ref_list(L, val[4], MK_TARGET_GROUP, "target group",
				 &f->n_target_groups);
	if (val[5])
		f->load_balancers =
		    get_ref_list(L, val[5], MK_LOAD_BALANCER, "load balancer",
				 &f->n_load_balancers);
	if (val[6])
		f->ecs_cluster = get_str(L, val[6], "ecs_cluster");
}

static void parse_endpoint(struct ld *L, struct model_vpc_endpoint *e,
			   struct ydoc_node *n)
{
	const char *keys[10] = {"vpc",		"type",	   "service",
				"route_tables", "subnets", "security_groups",
				"private_dns"};
	struct ydoc_node *val[10];
	e->vpc = e->prefix_list = MODEL_NONE;
	e->type = VPCE_GATEWAY;
	e->private_dns = true;
	if (!take_obj(L, &e->obj, n, "VPC endpoint", keys, 7, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "VPC endpoint '", e->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[0], "vpc", what);
	ykit_need(&L->R, n, val[1], "type", what);
	ykit_need(&L->R, n, val[2], "service", what);
	if (val[0])
		e->vpc = get_ref(L, val[0], MK_VPC, "VPC");
	/* Checks that depend on the type wait for a known one. */
	bool type_ok = false;
	if (val[1]) {
		const char *s = ykit_scalar(&L->R, val[1], "type");
		if (s && !strcmp(s, "interface"))
			e->type = VPCE_INTERFACE;
		else if (s && strcmp(s, "gateway"))
			ykit_err(&L->R, val[1],
				 "type must be gateway or interface, not '%s'",
				 s);
		type_ok =
		    s && (!strcmp(s, "interface") || !strcmp(s, "gateway"));
	}
	if (val[2]) {
		const char *s = get_str(L, val[2], "service");
		/* com.amazonaws.REGION.NAME -> NAME; a PrivateLink name
		 * (com.amazonaws.vpce.REGION....) is cut too, as this loader
		 * always did (CloudFormation keeps it whole). */
		if (s)
			s = values_endpoint_service(s, false);
		e->service = s;
		if (s && type_ok && e->type == VPCE_GATEWAY &&
		    !values_gateway_service(s))
			ykit_err(&L->R, val[2],
				 "gateway endpoints exist for s3 and dynamodb "
				 "only, not '%s'",
				 s);
	}
	if (val[3]) {
		if (type_ok && e->type != VPCE_GATEWAY)
			ykit_err(&L->R, val[3],
				 "route_tables apply to gateway "
				 "endpoints; interface endpoints take "
				 "subnets");
		e->route_tables =
		    get_ref_list(L, val[3], MK_ROUTE_TABLE, "route table",
				 &e->n_route_tables);
	}
	if (val[4]) {
		if (type_ok && e->type != VPCE_INTERFACE)
			ykit_err(&L->R, val[4],
				 "subnets apply to interface endpoints; "
				 "gateway endpoints take route_tables");
		e->subnets =
		    get_ref_list(L, val[4], MK_SUBNET, "subnet", &e->n_subnets);
	}
	if (val[5])
		e->groups = get_ref_list(L, val[5], MK_SECURITY_GROUP,
					 "security group", &e->n_groups);
	if (val[6])
		get_bool(L, val[6], "private_dns", &e->private_dns);
	if (e->type == VPCE_INTERFACE && !val[4])
		ykit_need(&L->R, n, NULL, "subnets", what);
}

static void parse_peering(struct ld *L, struct model_peering *p,
			  struct ydoc_node *n)
{
	const char *keys[4] = {"requester", "accepter"};
	struct ydoc_node *val[4];
	p->requester = p->accepter = MODEL_NONE;
	if (!take_obj(L, &p->obj, n, "peering", keys, 2, val))
		return;
	char what[160];
	what_of(what, sizeof(what), "peering '", p->obj.id, "'", NULL);
	ykit_need(&L->R, n, val[0], "requester", what);
	ykit_need(&L->R, n, val[1], "accepter", what);
	if (val[0])
		p->requester = get_ref(L, val[0], MK_VPC, "VPC");
	if (val[1])
		p->accepter = get_ref(L, val[1], MK_VPC, "VPC");
}

/* ---- the passes ---------------------------------------------------- */

static enum model_kind section_kind(int section)
{
	return section == SECTION_INTERFACES ? MK_INSTANCE
					     : (enum model_kind)section;
}

/* Top-level section nodes by section number (SECTION_INTERFACES last). */
struct sections {
	struct ydoc_node *node[MK_KIND_COUNT + 1];
};

static void pass1(struct ld *L, struct sections *S)
{
	struct model *m = L->m;
	uint32_t count[MK_KIND_COUNT] = {0};
	for (int s = 0; s <= MK_KIND_COUNT; s++) {
		struct ydoc_node *n = S->node[s];
		if (!n)
			continue;
		if (n->type != YAML_MAPPING_NODE) {
			if (!ykit_is_null(n))
				ykit_err(&L->R, n,
					 "'%s' must be a mapping of id: {...}, "
					 "not %s",
					 s == SECTION_INTERFACES
					     ? "network_interfaces"
					     : section_names[s],
					 ykit_type_name(n));
			S->node[s] = NULL;
			continue;
		}
		count[section_kind(s)] +=
		    (uint32_t)(n->data.mapping.pairs.top -
			       n->data.mapping.pairs.start);
	}
	uint64_t total = 0;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		total += count[k];
	uint64_t max = model_max_resources(L->R.doc->end_mark.index);
	if (total > max) {
		ykit_err(&L->R, ykit_node(L->R.doc, 1),
			 "%llu objects: more than the limit of %llu in one "
			 "model",
			 (unsigned long long)total, (unsigned long long)max);
		memset(S, 0, sizeof(*S));
		memset(count, 0, sizeof(count));
	}
	model_alloc_kinds(m, count);
	uint32_t fill[MK_KIND_COUNT] = {0};
	for (int s = 0; s <= MK_KIND_COUNT; s++) {
		struct ydoc_node *n = S->node[s];
		if (!n)
			continue;
		enum model_kind k = section_kind(s);
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			struct ydoc_node *key = ykit_node(L->R.doc, p->key);
			struct model_obj *o = model_object(m, k, fill[k]);
			o->kind = k;
			o->index = fill[k]++;
			o->loc = loc_of(L, key);
			const char *id = ykit_scalar(&L->R, key, "an id");
			o->id = arena_strdup(&m->arena, id ? id : "");
			if (id && !*id)
				ykit_err(&L->R, key, "an id must not be empty");
		}
	}
	model_index_ids(m, L->R.diags);
}

static void pass2(struct ld *L, struct sections *S)
{
	struct model *m = L->m;
	uint32_t fill[MK_KIND_COUNT] = {0};
	for (int s = 0; s <= MK_KIND_COUNT; s++) {
		struct ydoc_node *n = S->node[s];
		if (!n)
			continue;
		enum model_kind k = section_kind(s);
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			struct ydoc_node *v = ykit_node(L->R.doc, p->value);
			uint32_t i = fill[k]++;
			switch (k) {
			case MK_VPC:
				parse_vpc(L, &m->vpcs[i], v);
				break;
			case MK_INTERNET_GATEWAY:
				parse_igw(L, &m->igws[i], v);
				break;
			case MK_SUBNET:
				parse_subnet(L, &m->subnets[i], v);
				break;
			case MK_ROUTE_TABLE:
				parse_route_table(L, &m->route_tables[i], v);
				break;
			case MK_NAT_GATEWAY:
				parse_nat(L, &m->nat_gateways[i], v);
				break;
			case MK_SECURITY_GROUP:
				parse_sg(L, &m->groups[i], v);
				break;
			case MK_NETWORK_ACL:
				parse_nacl(L, &m->nacls[i], v);
				break;
			case MK_PREFIX_LIST:
				parse_prefix_list(L, &m->prefix_lists[i], v);
				break;
			case MK_INSTANCE:
				parse_instance(L, &m->instances[i], v,
					       s == SECTION_INTERFACES);
				break;
			case MK_LOAD_BALANCER:
				parse_lb(L, &m->lbs[i], v);
				break;
			case MK_TARGET_GROUP:
				parse_tg(L, &m->target_groups[i], v);
				break;
			case MK_TASK_DEFINITION:
				parse_task_definition(
				    L, &m->task_definitions[i], v);
				break;
			case MK_SERVICE:
				parse_service(L, &m->services[i], v);
				break;
			case MK_DATABASE:
				parse_database(L, &m->databases[i], v);
				break;
			case MK_VPC_ENDPOINT:
				parse_endpoint(L, &m->endpoints[i], v);
				break;
			case MK_PEERING:
				parse_peering(L, &m->peerings[i], v);
				break;
			case MK_FLEET:
				parse_fleet(L, &m->fleets[i], v);
				break;
			case MK_KIND_COUNT:
				break;
			}
		}
	}
}

/* Parsers need task definitions resolved before services refer into
 * them, and internet gateways before routes read egress_only: sections are
 * parsed in enum order, which puts both first. */

/* Reads the root mapping; *policies receives the `policies:` section,
 * which the policy loader reads (rules.h policy_load_section). */
static void load_root(struct ld *L, struct ydoc_node *root,
		      struct ydoc_node **policies)
{
	struct ydoc_node *v[ARRAY_LEN(top_keys)];
	if (!ykit_take_keys(&L->R, root, "the model", top_keys,
			    ARRAY_LEN(top_keys), v, NULL))
		return;
	struct sections S = {{0}};
	for (size_t i = 1; i < ARRAY_LEN(top_keys) - 1; i++) {
		int s = -1;
		if (!strcmp(top_keys[i], "network_interfaces"))
			s = SECTION_INTERFACES;
		for (int k = 0; k < MK_KIND_COUNT && s < 0; k++)
			if (!strcmp(top_keys[i], section_names[k]))
				s = k;
		S.node[s] = v[i];
	}
	if (v[0])
		L->m->region = get_str(L, v[0], "region");
	*policies = v[ARRAY_LEN(top_keys) - 1];
	pass1(L, &S);
	L->default_sg = xcalloc(L->m->n[MK_VPC] + 1, sizeof(*L->default_sg));
	pass2(L, &S);
	check_default_groups(L);
	free(L->default_sg);
}

int model_load_native(struct model *m, const struct ydoc *doc,
		      struct ydoc_node **policies, struct diag_list *diags)
{
	struct ld L = {.m = m};
	struct ydoc_node *own = NULL;
	size_t before = diags->n_errors;
	if (policies)
		*policies = NULL;
	ykit_init(&L.R, doc, m->file, diags);
	m->format = "vpcsim";
	load_root(&L, ykit_node(doc, 1), policies ? policies : &own);
	ykit_fini(&L.R);
	return diags->n_errors == before ? 0 : -1;
}
