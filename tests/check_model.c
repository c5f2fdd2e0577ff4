/*
 * Tests for the native loader and model_finish: each feature of model.h's
 * invariants loads a small YAML buffer and checks what a wrong loader
 * would get wrong.  No test keeps global state, and every model and
 * diagnostic list is freed (the suite runs under ASan's leak checker with
 * CK_FORK=no).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"
#include "model/model_impl.h"

/* ---- helpers --------------------------------------------------------- */

/* Loads a buffer that must load; fails the test with every diagnostic. */
static struct model *load_ok(const char *yaml)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "test.yaml", yaml, strlen(yaml), &d);
	char msg[2048] = "";
	size_t n = 0;
	for (size_t i = 0; i < d.n && n < sizeof(msg) - 200; i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "\n  %u:%u: %s",
				      d.v[i].line, d.v[i].col, d.v[i].message);
	size_t errors = d.n_errors;
	diag_list_free(&d);
	if (rc != 0 || !m || errors) {
		model_free(m);
		ck_abort_msg("load failed (rc %d):%s", rc, msg);
	}
	return m;
}

/* Loads a buffer that must fail; returns the diagnostics (the caller
 * frees them) after checking that no model came out. */
static struct diag_list load_bad(const char *yaml)
{
	struct diag_list d = DIAG_LIST_INIT;
	static struct model sentinel;
	struct model *m = &sentinel;
	int rc = model_load_buffer(&m, "bad.yaml", yaml, strlen(yaml), &d);
	if (m != NULL) {
		if (m != &sentinel)
			model_free(m);
		diag_list_free(&d);
		ck_abort_msg("a model came out of a bad input");
	}
	if (rc >= 0 || d.n_errors == 0) {
		diag_list_free(&d);
		ck_abort_msg("rc %d with no error for a bad input", rc);
	}
	return d;
}

/* The diagnostic whose message contains text, or NULL. */
static const struct diag *diag_with(const struct diag_list *d, const char *text)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].message, text))
			return &d->v[i];
	return NULL;
}

static struct model_obj *obj(const struct model *m, const char *id,
			     enum model_kind kind)
{
	struct model_obj *o = model_find(m, id);
	ck_assert_msg(o != NULL, "no object '%s'", id);
	ck_assert_msg(o->kind == kind, "'%s' is a %s, not a %s", id,
		      model_kind_name(o->kind), model_kind_name(kind));
	return o;
}

#define VPC(m, id)    ((struct model_vpc *)obj(m, id, MK_VPC))
#define SUBNET(m, id) ((struct model_subnet *)obj(m, id, MK_SUBNET))
#define RT(m, id)     ((struct model_route_table *)obj(m, id, MK_ROUTE_TABLE))
#define NACL(m, id)   ((struct model_network_acl *)obj(m, id, MK_NETWORK_ACL))
#define SG(m, id)     ((struct model_security_group *)obj(m, id, MK_SECURITY_GROUP))
#define DB(m, id)     ((struct model_database *)obj(m, id, MK_DATABASE))

static const char *cidr_text(char buf[CIDR_STRLEN], struct cidr c)
{
	cidr_format(buf, c);
	return buf;
}

static const char *addr_text(char buf[ADDR_STRLEN], uint32_t a)
{
	addr_format(buf, a);
	return buf;
}

/* The only placement of a resource. */
static const struct model_placement *
one_placement(const struct model *m, const char *id, enum model_kind kind)
{
	uint32_t n;
	const struct model_placement *p =
	    model_placements(m, kind, obj(m, id, kind)->index, &n);
	ck_assert_msg(n == 1, "'%s' has %u placements, not 1", id, n);
	return p;
}

#define ADDR_EQ(m, id, kind, text)                                             \
	do {                                                                   \
		char b_[ADDR_STRLEN];                                          \
		ck_assert_str_eq(                                              \
		    addr_text(b_, one_placement(m, id, kind)->addr), text);    \
	} while (0)

/* One VPC 10.0.0.0/16 with an attached internet gateway. */
#define BASE                                                                   \
	"region: us-east-1\n"                                                  \
	"vpcs:\n"                                                              \
	"  main: {cidr: 10.0.0.0/16}\n"                                        \
	"internet_gateways:\n"                                                 \
	"  igw: {vpc: main}\n"

/* ---- implicit main route table and default NACL ---------------------- */

START_TEST(implicit_defaults)
{
	struct model *m = load_ok(BASE);
	struct model_vpc *v = VPC(m, "main");
	ck_assert_uint_eq(m->n[MK_ROUTE_TABLE], 1);
	ck_assert_uint_eq(m->n[MK_NETWORK_ACL], 1);

	struct model_route_table *t = RT(m, "main-main-rt");
	ck_assert(t->obj.implicit);
	ck_assert(t->is_main);
	ck_assert_uint_eq(t->vpc, v->obj.index);
	ck_assert_uint_eq(v->main_route_table, t->obj.index);
	ck_assert_uint_eq(t->n_routes, 1); /* the local route only */
	ck_assert_int_eq(t->routes[0].target, RT_LOCAL);
	char c[CIDR_STRLEN];
	ck_assert_str_eq(cidr_text(c, t->routes[0].dst), "10.0.0.0/16");

	struct model_network_acl *a = NACL(m, "main-default-nacl");
	ck_assert(a->obj.implicit);
	ck_assert(a->is_default);
	ck_assert_uint_eq(a->vpc, v->obj.index);
	ck_assert_uint_eq(v->default_nacl, a->obj.index);
	/* Allow-all both ways with rule 100, as AWS creates it. */
	ck_assert_uint_eq(a->n_inbound, 1);
	ck_assert_uint_eq(a->n_outbound, 1);
	const struct model_nacl_rule *dirs[] = {a->inbound, a->outbound};
	for (int i = 0; i < 2; i++) {
		ck_assert_uint_eq(dirs[i][0].number, 100);
		ck_assert(dirs[i][0].allow);
		ck_assert_int_eq(dirs[i][0].match.proto, PROTO_ALL);
		ck_assert(!dirs[i][0].ipv6);
		ck_assert_str_eq(cidr_text(c, dirs[i][0].cidr), "0.0.0.0/0");
	}
	model_free(m);
}
END_TEST

START_TEST(implicit_ids_stay_unique)
{
	/* An object of the input already holds the synthesized id. */
	struct model *m = load_ok(BASE "security_groups:\n"
				       "  main-main-rt: {vpc: main}\n"
				       "  main-default-nacl: {vpc: main}\n");
	ck_assert(RT(m, "main-main-rt-2")->obj.implicit);
	ck_assert(NACL(m, "main-default-nacl-2")->obj.implicit);
	ck_assert_int_eq(model_find(m, "main-main-rt")->kind,
			 MK_SECURITY_GROUP);
	model_free(m);
}
END_TEST

START_TEST(explicit_main_table)
{
	struct model *m = load_ok("vpcs:\n"
				  "  main: {cidr: 10.0.0.0/16, "
				  "main_route_table: rt, "
				  "default_network_acl: acl}\n"
				  "route_tables:\n"
				  "  rt: {vpc: main}\n"
				  "network_acls:\n"
				  "  acl: {vpc: main}\n");
	ck_assert_uint_eq(m->n[MK_ROUTE_TABLE], 1);
	ck_assert_uint_eq(m->n[MK_NETWORK_ACL], 1);
	ck_assert(RT(m, "rt")->is_main);
	ck_assert(!RT(m, "rt")->obj.implicit);
	ck_assert(NACL(m, "acl")->is_default);
	/* A default NACL given without rules denies everything. */
	ck_assert_uint_eq(NACL(m, "acl")->n_inbound, 0);
	ck_assert_ptr_null(model_find(m, "main-main-rt"));
	model_free(m);
}
END_TEST

/* ---- subnets: effective table, public or private ---------------------- */

START_TEST(subnet_uses_main_table)
{
	struct model *m = load_ok(BASE "subnets:\n"
				       "  a: {vpc: main, cidr: 10.0.1.0/24, "
				       "az: us-east-1a}\n");
	struct model_subnet *s = SUBNET(m, "a");
	ck_assert_uint_eq(s->route_table, VPC(m, "main")->main_route_table);
	ck_assert(!s->route_table_explicit);
	ck_assert_uint_eq(s->nacl, VPC(m, "main")->default_nacl);
	ck_assert(!s->nacl_explicit);
	ck_assert(!s->is_public);
	ck_assert_str_eq(s->why, "route table 'main-main-rt' has no route for "
				 "0.0.0.0/0");
	model_free(m);
}
END_TEST

START_TEST(public_classification)
{
	struct model *m = load_ok(
	    BASE "subnets:\n"
		 "  pub: {vpc: main, cidr: 10.0.1.0/24, az: a, "
		 "route_table: pub-rt}\n"
		 "  priv: {vpc: main, cidr: 10.0.2.0/24, az: a, "
		 "route_table: nat-rt}\n"
		 "  iso: {vpc: main, cidr: 10.0.3.0/24, az: a, "
		 "route_table: iso-rt}\n"
		 "  hole: {vpc: main, cidr: 10.0.4.0/24, az: a, "
		 "route_table: hole-rt}\n"
		 "route_tables:\n"
		 "  pub-rt:\n"
		 "    vpc: main\n"
		 "    routes: [{destination: 0.0.0.0/0, target: igw}]\n"
		 "  nat-rt:\n"
		 "    vpc: main\n"
		 "    routes: [{destination: 0.0.0.0/0, target: nat}]\n"
		 "  iso-rt:\n"
		 "    vpc: main\n"
		 "    routes: [{destination: 192.168.0.0/16, target: igw}]\n"
		 "  hole-rt:\n"
		 "    vpc: main\n"
		 "    routes: [{destination: 0.0.0.0/0, target: "
		 "blackhole}]\n"
		 "nat_gateways:\n"
		 "  nat: {subnet: pub, elastic_ip: 203.0.113.1}\n");
	struct model_subnet *pub = SUBNET(m, "pub"), *priv = SUBNET(m, "priv"),
			    *iso = SUBNET(m, "iso"), *hole = SUBNET(m, "hole");
	ck_assert(pub->is_public);
	ck_assert(pub->route_table_explicit);
	ck_assert_str_eq(pub->why, "route table 'pub-rt' sends 0.0.0.0/0 to "
				   "internet gateway 'igw'");
	ck_assert(!priv->is_public);
	ck_assert_str_eq(priv->why,
			 "route table 'nat-rt' sends 0.0.0.0/0 to nat-gateway "
			 "'nat', not to an internet gateway");
	/* An internet gateway route that is not the default one does not
	 * make a subnet public. */
	ck_assert(!iso->is_public);
	ck_assert_str_eq(iso->why,
			 "route table 'iso-rt' has no route for 0.0.0.0/0");
	ck_assert(!hole->is_public);
	ck_assert_str_eq(hole->why,
			 "route table 'hole-rt' drops 0.0.0.0/0 (blackhole)");
	model_free(m);
}
END_TEST

/* ---- routes ------------------------------------------------------------ */

START_TEST(routes_in_match_order)
{
	struct model *m = load_ok(
	    "vpcs:\n"
	    "  main: {cidr: 10.0.0.0/16, ipv6_cidrs: [\"2600:1f18::/56\"]}\n"
	    "internet_gateways:\n"
	    "  igw: {vpc: main}\n"
	    "  eigw: {vpc: main, egress_only: true}\n"
	    "route_tables:\n"
	    "  rt:\n"
	    "    vpc: main\n"
	    "    routes:\n"
	    "      - {destination: \"::/0\", target: eigw}\n"
	    "      - {destination: 0.0.0.0/0, target: igw}\n"
	    "      - {destination: 172.16.0.0/12, target: blackhole}\n"
	    "      - {destination: 192.168.1.0/24, target: blackhole}\n"
	    "      - {destination: 10.1.0.0/16, target: blackhole}\n");
	struct model_route_table *t = RT(m, "rt");
	/* Longest prefix first; equal prefixes by address; IPv6 last. */
	static const char *const want[] = {"192.168.1.0/24", "10.0.0.0/16",
					   "10.1.0.0/16", "172.16.0.0/12",
					   "0.0.0.0/0"};
	static const uint32_t numbers[] = {4, 0, 5, 3, 2};
	ck_assert_uint_eq(t->n_routes, 7);
	for (uint32_t i = 0; i < 5; i++) {
		char c[CIDR_STRLEN];
		ck_assert(!t->routes[i].ipv6);
		ck_assert_str_eq(cidr_text(c, t->routes[i].dst), want[i]);
		ck_assert_uint_eq(t->routes[i].number, numbers[i]);
	}
	ck_assert_int_eq(t->routes[1].target, RT_LOCAL);
	ck_assert_str_eq(t->routes[1].target_id, "local");
	ck_assert_int_eq(t->routes[4].target, RT_IGW);
	ck_assert_uint_eq(t->routes[4].target_index,
			  obj(m, "igw", MK_INTERNET_GATEWAY)->index);
	/* IPv6: the /56 local route, then ::/0 to the egress-only gateway. */
	ck_assert(t->routes[5].ipv6 && t->routes[6].ipv6);
	ck_assert_int_eq(t->routes[5].target, RT_LOCAL);
	ck_assert_uint_eq(t->routes[5].dst6.len, 56);
	ck_assert_int_eq(t->routes[6].target, RT_EIGW);
	ck_assert_uint_eq(t->routes[6].dst6.len, 0);
	model_free(m);
}
END_TEST

START_TEST(prefix_list_destination_expands)
{
	struct model *m = load_ok(
	    BASE "prefix_lists:\n"
		 "  corp: {cidrs: [192.0.2.0/24, 198.51.100.0/25]}\n"
		 "route_tables:\n"
		 "  rt:\n"
		 "    vpc: main\n"
		 "    routes: [{destination: corp, target: tgw-0abc}]\n");
	struct model_route_table *t = RT(m, "rt");
	ck_assert_uint_eq(t->n_routes, 3);
	char c[CIDR_STRLEN];
	/* /25 before /24 before the /16 local route. */
	ck_assert_str_eq(cidr_text(c, t->routes[0].dst), "198.51.100.0/25");
	ck_assert_str_eq(cidr_text(c, t->routes[1].dst), "192.0.2.0/24");
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(t->routes[i].target, RT_TRANSIT);
		ck_assert_str_eq(t->routes[i].target_id, "tgw-0abc");
		ck_assert_uint_eq(t->routes[i].prefix_list,
				  obj(m, "corp", MK_PREFIX_LIST)->index);
		ck_assert_uint_eq(t->routes[i].number, 1);
	}
	model_free(m);
}
END_TEST

START_TEST(gateway_endpoint_routes)
{
	struct model *m =
	    load_ok(BASE "route_tables:\n"
			 "  with: {vpc: main}\n"
			 "  without: {vpc: main}\n"
			 "vpc_endpoints:\n"
			 "  s3-ep:\n"
			 "    vpc: main\n"
			 "    type: gateway\n"
			 "    service: com.amazonaws.us-east-1.s3\n"
			 "    route_tables: [with]\n");
	struct model_prefix_list *pl =
	    (struct model_prefix_list *)obj(m, "pl-s3", MK_PREFIX_LIST);
	ck_assert(pl->obj.implicit);
	ck_assert_str_eq(pl->service, "s3");
	ck_assert_str_eq(pl->name, "com.amazonaws.us-east-1.s3");
	ck_assert_uint_ge(pl->n_cidrs, 1);
	struct model_vpc_endpoint *ep =
	    (struct model_vpc_endpoint *)obj(m, "s3-ep", MK_VPC_ENDPOINT);
	ck_assert_str_eq(ep->service, "s3");
	ck_assert_uint_eq(ep->prefix_list, pl->obj.index);

	struct model_route_table *t = RT(m, "with");
	ck_assert_uint_eq(t->n_routes, 1 + pl->n_cidrs);
	uint32_t added = 0;
	for (uint32_t i = 0; i < t->n_routes; i++) {
		const struct model_route *r = &t->routes[i];
		if (r->target != RT_ENDPOINT)
			continue;
		added++;
		ck_assert_uint_eq(r->via_endpoint, ep->obj.index);
		ck_assert_uint_eq(r->target_index, ep->obj.index);
		ck_assert_uint_eq(r->prefix_list, pl->obj.index);
		ck_assert_uint_eq(r->number, 0);
		ck_assert(r->dst.addr == pl->cidrs[added - 1].addr &&
			  r->dst.len == pl->cidrs[added - 1].len);
	}
	ck_assert_uint_eq(added, pl->n_cidrs);
	ck_assert_uint_eq(RT(m, "without")->n_routes, 1);
	model_free(m);
}
END_TEST

START_TEST(gateway_endpoint_uses_given_list)
{
	/* A prefix list for the service in the model replaces the built-in
	 * representative block. */
	struct model *m = load_ok(
	    BASE "prefix_lists:\n"
		 "  my-s3: {service: s3, cidrs: [3.5.0.0/19, 54.231.0.0/16]}\n"
		 "route_tables:\n"
		 "  rt: {vpc: main}\n"
		 "vpc_endpoints:\n"
		 "  ep: {vpc: main, type: gateway, service: s3, "
		 "route_tables: [rt]}\n");
	ck_assert_ptr_null(model_find(m, "pl-s3"));
	ck_assert_uint_eq(m->n[MK_PREFIX_LIST], 1);
	struct model_route_table *t = RT(m, "rt");
	ck_assert_uint_eq(t->n_routes, 3);
	char c[CIDR_STRLEN];
	ck_assert_str_eq(cidr_text(c, t->routes[0].dst), "3.5.0.0/19");
	ck_assert_int_eq(t->routes[0].target, RT_ENDPOINT);
	ck_assert_str_eq(cidr_text(c, t->routes[1].dst), "10.0.0.0/16");
	ck_assert_str_eq(cidr_text(c, t->routes[2].dst), "54.231.0.0/16");
	ck_assert_int_eq(t->routes[2].target, RT_ENDPOINT);
	model_free(m);
}
END_TEST

/* ---- NACL rules -------------------------------------------------------- */

START_TEST(nacl_rules_sorted)
{
	struct model *m = load_ok(
	    BASE "network_acls:\n"
		 "  acl:\n"
		 "    vpc: main\n"
		 "    inbound:\n"
		 "      - {rule: 300, action: allow, protocol: all, cidr: "
		 "0.0.0.0/0}\n"
		 "      - {rule: 100, action: deny, protocol: tcp, ports: 22, "
		 "cidr: 0.0.0.0/0}\n"
		 "      - {rule: 32766, action: deny, protocol: udp, ports: "
		 "53, cidr: 10.0.0.0/8}\n"
		 "      - {rule: 200, action: allow, protocol: icmp, "
		 "icmp_type: 8, cidr: 10.0.0.0/8}\n"
		 "    outbound:\n"
		 "      - {rule: 20, action: allow, protocol: all, cidr: "
		 "0.0.0.0/0}\n"
		 "      - {rule: 10, action: deny, protocol: all, cidr: "
		 "\"::/0\"}\n");
	struct model_network_acl *a = NACL(m, "acl");
	ck_assert(!a->is_default);
	ck_assert_uint_eq(a->n_inbound, 4);
	static const uint32_t want[] = {100, 200, 300, 32766};
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(a->inbound[i].number, want[i]);
	/* The rules moved with their numbers. */
	ck_assert(!a->inbound[0].allow);
	ck_assert_int_eq(a->inbound[0].match.proto, PROTO_TCP);
	ck_assert_uint_eq(a->inbound[0].match.port_lo, 22);
	ck_assert_uint_eq(a->inbound[0].match.port_hi, 22);
	ck_assert_int_eq(a->inbound[1].match.proto, PROTO_ICMP);
	ck_assert_int_eq(a->inbound[1].match.icmp_type, 8);
	ck_assert_int_eq(a->inbound[1].match.icmp_code, -1);
	ck_assert(a->inbound[2].allow);
	ck_assert_int_eq(a->inbound[3].match.proto, PROTO_UDP);
	ck_assert_uint_eq(a->n_outbound, 2);
	ck_assert_uint_eq(a->outbound[0].number, 10);
	ck_assert(a->outbound[0].ipv6);
	ck_assert_uint_eq(a->outbound[1].number, 20);
	model_free(m);
}
END_TEST

/* ---- security groups ---------------------------------------------------- */

START_TEST(sg_default_egress)
{
	struct model *m = load_ok(
	    BASE "security_groups:\n"
		 "  dflt:\n"
		 "    vpc: main\n"
		 "    ingress: [{protocol: tcp, ports: 443, from: "
		 "0.0.0.0/0}]\n"
		 "  none:\n"
		 "    vpc: main\n"
		 "    egress: []\n"
		 "  given:\n"
		 "    vpc: main\n"
		 "    egress:\n"
		 "      - {protocol: tcp, ports: 1024-65535, to: dflt}\n"
		 "      - {protocol: udp, ports: 53, to: 10.0.0.2/32}\n");
	struct model_security_group *d = SG(m, "dflt");
	ck_assert(d->default_egress);
	ck_assert_uint_eq(d->n_egress, 1);
	ck_assert(d->egress[0].implicit);
	ck_assert_int_eq(d->egress[0].match.proto, PROTO_ALL);
	ck_assert_int_eq(d->egress[0].peer_kind, PEER_CIDR);
	char c[CIDR_STRLEN];
	ck_assert_str_eq(cidr_text(c, d->egress[0].cidr), "0.0.0.0/0");
	ck_assert_uint_eq(d->n_ingress, 1);

	struct model_security_group *n = SG(m, "none");
	ck_assert(!n->default_egress);
	ck_assert_uint_eq(n->n_egress, 0);
	ck_assert_uint_eq(n->n_ingress, 0);

	struct model_security_group *g = SG(m, "given");
	ck_assert(!g->default_egress);
	ck_assert_uint_eq(g->n_egress, 2);
	ck_assert(!g->egress[0].implicit);
	ck_assert_int_eq(g->egress[0].peer_kind, PEER_GROUP);
	ck_assert_uint_eq(g->egress[0].peer, d->obj.index);
	ck_assert_uint_eq(g->egress[0].match.port_lo, 1024);
	ck_assert_uint_eq(g->egress[0].match.port_hi, 65535);
	ck_assert_uint_eq(g->egress[1].number, 2);
	model_free(m);
}
END_TEST

/* ---- placements: addresses and public status ----------------------------- */

static const char placement_yaml[] =
    BASE "subnets:\n"
	 "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"
	 "instances:\n"
	 "  first: {subnet: a}\n"
	 "  fixed: {subnet: a, private_ip: 10.0.1.5}\n"
	 "  second: {subnet: a}\n"
	 "  high: {subnet: a, private_ip: 10.0.1.200}\n"
	 "nat_gateways:\n"
	 "  nat: {subnet: a}\n";

START_TEST(addresses_in_file_order)
{
	struct model *m = load_ok(placement_yaml);
	/* .4 first; .5 is taken explicitly; NAT comes later in the file. */
	ADDR_EQ(m, "first", MK_INSTANCE, "10.0.1.4");
	ADDR_EQ(m, "fixed", MK_INSTANCE, "10.0.1.5");
	ADDR_EQ(m, "second", MK_INSTANCE, "10.0.1.6");
	ADDR_EQ(m, "high", MK_INSTANCE, "10.0.1.200");
	ADDR_EQ(m, "nat", MK_NAT_GATEWAY, "10.0.1.7");
	ck_assert(one_placement(m, "fixed", MK_INSTANCE)->addr_explicit);
	ck_assert(!one_placement(m, "first", MK_INSTANCE)->addr_explicit);
	ck_assert(!one_placement(m, "first", MK_INSTANCE)->alternative);
	ck_assert_uint_eq(SUBNET(m, "a")->n_allocated, 5);
	ck_assert_uint_eq(m->n_placements_total, 5);

	/* The same input gives the same addresses. */
	struct model *again = load_ok(placement_yaml);
	for (uint32_t i = 0; i < m->n_placements_total; i++) {
		ck_assert_uint_eq(m->placements[i].addr,
				  again->placements[i].addr);
		ck_assert_int_eq(m->placements[i].kind,
				 again->placements[i].kind);
	}
	model_free(again);
	model_free(m);
}
END_TEST

START_TEST(addresses_follow_the_file_not_the_kind)
{
	/* Sections in another order: the NAT gateway appears first. */
	struct model *m = load_ok(BASE "nat_gateways:\n"
				       "  nat: {subnet: a}\n"
				       "subnets:\n"
				       "  a: {vpc: main, cidr: 10.0.1.0/28, "
				       "az: us-east-1a}\n"
				       "instances:\n"
				       "  one: {subnet: a}\n");
	ADDR_EQ(m, "nat", MK_NAT_GATEWAY, "10.0.1.4");
	ADDR_EQ(m, "one", MK_INSTANCE, "10.0.1.5");
	model_free(m);
}
END_TEST

START_TEST(subnet_exhausted)
{
	/* A /28 has 11 usable addresses: .4 to .14. */
	char yaml[2048];
	size_t n = (size_t)snprintf(yaml, sizeof(yaml), "%s",
				    BASE "subnets:\n"
					 "  s: {vpc: main, cidr: 10.0.1.0/28, "
					 "az: x}\ninstances:\n");
	for (int i = 0; i < 12; i++)
		n += (size_t)snprintf(yaml + n, sizeof(yaml) - n,
				      "  i%02d: {subnet: s}\n", i);
	struct model *m = load_ok(yaml);
	ADDR_EQ(m, "i00", MK_INSTANCE, "10.0.1.4");
	ADDR_EQ(m, "i10", MK_INSTANCE, "10.0.1.14");
	ck_assert(!one_placement(m, "i10", MK_INSTANCE)->addr_exhausted);
	ck_assert(one_placement(m, "i11", MK_INSTANCE)->addr_exhausted);
	ck_assert_uint_eq(SUBNET(m, "s")->n_allocated, 11);
	model_free(m);
}
END_TEST

START_TEST(public_status)
{
	struct model *m = load_ok(
	    BASE "subnets:\n"
		 "  pub: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, "
		 "map_public_ip: true}\n"
		 "  pub-b: {vpc: main, cidr: 10.0.3.0/24, az: us-east-1b}\n"
		 "  priv: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1a}\n"
		 "instances:\n"
		 "  mapped: {subnet: pub}\n"
		 "  refused: {subnet: pub, public_ip: false}\n"
		 "  asked: {subnet: priv, public_ip: true}\n"
		 "  eip: {subnet: priv, elastic_ip: 198.51.100.9}\n"
		 "  plain: {subnet: priv}\n"
		 "nat_gateways:\n"
		 "  nat: {subnet: pub, elastic_ip: 203.0.113.1}\n"
		 "  nat-priv: {subnet: priv, connectivity: private}\n"
		 "load_balancers:\n"
		 "  ext: {type: application, scheme: internet-facing, "
		 "subnets: [pub, pub-b]}\n"
		 "  int: {type: network, scheme: internal, subnets: [priv]}\n"
		 "task_definitions:\n"
		 "  td: {containers: {app: {ports: [80]}}}\n"
		 "services:\n"
		 "  svc-pub: {task_definition: td, subnets: [pub], "
		 "assign_public_ip: true}\n"
		 "  svc: {task_definition: td, subnets: [priv]}\n"
		 "databases:\n"
		 "  open: {engine: mysql, subnets: [pub], "
		 "publicly_accessible: true}\n"
		 "  closed: {engine: mysql, subnets: [priv]}\n");
	const struct model_placement *p;
	p = one_placement(m, "mapped", MK_INSTANCE);
	ck_assert(p->has_public);
	ck_assert_str_eq(p->public_why,
			 "subnet 'pub' maps a public IP at launch");
	ck_assert_uint_eq(p->public_addr, 0); /* AWS picks it at launch */
	p = one_placement(m, "refused", MK_INSTANCE);
	ck_assert(!p->has_public);
	ck_assert_str_eq(p->public_why, "public_ip is false");
	ck_assert(one_placement(m, "asked", MK_INSTANCE)->has_public);
	p = one_placement(m, "eip", MK_INSTANCE);
	ck_assert(p->has_public);
	char a[ADDR_STRLEN];
	ck_assert_str_eq(addr_text(a, p->public_addr), "198.51.100.9");
	ck_assert_str_eq(p->public_why, "its Elastic IP");
	p = one_placement(m, "plain", MK_INSTANCE);
	ck_assert(!p->has_public);
	ck_assert_str_eq(p->public_why, "subnet 'priv' maps no public IP");

	ck_assert(one_placement(m, "nat", MK_NAT_GATEWAY)->has_public);
	ck_assert(!one_placement(m, "nat-priv", MK_NAT_GATEWAY)->has_public);

	uint32_t n;
	p = model_placements(m, MK_LOAD_BALANCER,
			     obj(m, "ext", MK_LOAD_BALANCER)->index, &n);
	ck_assert_uint_eq(n, 2);
	for (uint32_t i = 0; i < n; i++) {
		ck_assert(p[i].has_public);
		ck_assert(!p[i].alternative); /* every node is real */
	}
	ck_assert_uint_eq(p[0].subnet, SUBNET(m, "pub")->obj.index);
	ck_assert_uint_eq(p[1].subnet, SUBNET(m, "pub-b")->obj.index);
	ck_assert(!one_placement(m, "int", MK_LOAD_BALANCER)->has_public);

	ck_assert(one_placement(m, "svc-pub", MK_SERVICE)->has_public);
	ck_assert(!one_placement(m, "svc", MK_SERVICE)->has_public);
	ck_assert(one_placement(m, "open", MK_DATABASE)->has_public);
	ck_assert(!one_placement(m, "closed", MK_DATABASE)->has_public);
	model_free(m);
}
END_TEST

/* ---- databases ---------------------------------------------------------- */

START_TEST(database_default_ports)
{
	struct model *m = load_ok(
	    BASE "subnets:\n"
		 "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"
		 "databases:\n"
		 "  my: {engine: mysql, subnets: [a]}\n"
		 "  pg: {engine: postgres, subnets: [a]}\n"
		 "  ora: {engine: oracle-ee, subnets: [a]}\n"
		 "  ms: {engine: sqlserver-se, subnets: [a]}\n"
		 "  own: {engine: postgres, port: 6432, subnets: [a]}\n"
		 "  odd: {engine: cockroachdb, port: 26257, subnets: [a]}\n");
	static const struct {
		const char *id;
		uint16_t port;
		bool defaulted;
	} want[] = {{"my", 3306, true},	  {"pg", 5432, true},
		    {"ora", 1521, true},  {"ms", 1433, true},
		    {"own", 6432, false}, {"odd", 26257, false}};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct model_database *d = DB(m, want[i].id);
		ck_assert_msg(d->port == want[i].port, "%s: port %u",
			      want[i].id, d->port);
		ck_assert_msg(d->port_defaulted == want[i].defaulted,
			      "%s: defaulted %d", want[i].id,
			      d->port_defaulted);
	}
	ck_assert_uint_eq(model_engine_port("mariadb"), 3306);
	ck_assert_uint_eq(model_engine_port("aurora-mysql"), 3306);
	ck_assert_uint_eq(model_engine_port("aurora-postgresql"), 5432);
	ck_assert_uint_eq(model_engine_port("oracle-se2"), 1521);
	ck_assert_uint_eq(model_engine_port("sqlserver-ex"), 1433);
	ck_assert_uint_eq(model_engine_port("cockroachdb"), 0);
	ck_assert_uint_eq(model_engine_port(NULL), 0);
	model_free(m);
}
END_TEST

static void check_replica(const char *yaml)
{
	struct model *m = load_ok(yaml);
	struct model_database *p = DB(m, "primary"), *r = DB(m, "replica");
	ck_assert_uint_eq(r->replica_of, p->obj.index);
	ck_assert_str_eq(r->engine, "postgres");
	ck_assert_uint_eq(r->port, 5432);
	ck_assert(r->port_defaulted);
	ck_assert_uint_eq(r->n_subnets, 2);
	ck_assert_uint_eq(r->n_groups, 1);
	ck_assert_uint_eq(r->groups[0], SG(m, "db-sg")->obj.index);
	ck_assert_str_eq(r->az, "us-east-1b");
	/* The primary may land in either subnet, the replica only in its
	 * zone's. */
	uint32_t n;
	const struct model_placement *pl =
	    model_placements(m, MK_DATABASE, p->obj.index, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert(pl[0].alternative && pl[1].alternative);
	pl = model_placements(m, MK_DATABASE, r->obj.index, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(pl[0].subnet, SUBNET(m, "b")->obj.index);
	ck_assert_uint_eq(pl[0].n_groups, 1);
	model_free(m);
}

#define DB_BASE                                                                \
	BASE "subnets:\n"                                                      \
	     "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"           \
	     "  b: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1b}\n"           \
	     "security_groups:\n"                                              \
	     "  db-sg: {vpc: main}\n"

START_TEST(database_replica)
{
	check_replica(DB_BASE "databases:\n"
			      "  primary: {engine: postgres, subnets: [a, b], "
			      "security_groups: [db-sg]}\n"
			      "  replica: {replica_of: primary, "
			      "availability_zone: us-east-1b}\n");
	/* The same with the replica first in the file. */
	check_replica(DB_BASE "databases:\n"
			      "  replica: {replica_of: primary, "
			      "availability_zone: us-east-1b}\n"
			      "  primary: {engine: postgres, subnets: [a, b], "
			      "security_groups: [db-sg]}\n");
}
END_TEST

START_TEST(database_replica_keeps_own)
{
	struct model *m =
	    load_ok(DB_BASE "databases:\n"
			    "  primary: {engine: mysql, port: 3307, "
			    "subnets: [a, b]}\n"
			    "  replica: {replica_of: primary, port: 3308, "
			    "subnets: [a]}\n");
	struct model_database *r = DB(m, "replica");
	ck_assert_uint_eq(r->port, 3308);
	ck_assert(!r->port_defaulted);
	ck_assert_uint_eq(r->n_subnets, 1);
	ck_assert_uint_eq(DB(m, "primary")->port, 3307);
	model_free(m);
}
END_TEST

/* ---- ECS ---------------------------------------------------------------- */

START_TEST(ecs_tasks_spread)
{
	struct model *m =
	    load_ok(BASE "subnets:\n"
			 "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"
			 "  b: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1b}\n"
			 "  c: {vpc: main, cidr: 10.0.3.0/24, az: us-east-1c}\n"
			 "task_definitions:\n"
			 "  td: {containers: {app: {ports: [8080, 53/udp]}}}\n"
			 "services:\n"
			 "  five: {task_definition: td, desired_count: 5, "
			 "subnets: [a, b]}\n"
			 "  four: {task_definition: td, desired_count: 4, "
			 "subnets: [a, b, c]}\n"
			 "  idle: {task_definition: td, desired_count: 0, "
			 "subnets: [c]}\n");
	/* 5 over (a, b): 3 + 2; 4 over (a, b, c): 2 + 1 + 1. */
	ck_assert_uint_eq(SUBNET(m, "a")->tasks, 5);
	ck_assert_uint_eq(SUBNET(m, "b")->tasks, 3);
	ck_assert_uint_eq(SUBNET(m, "c")->tasks, 1);
	uint32_t n;
	const struct model_placement *p = model_placements(
	    m, MK_SERVICE, obj(m, "four", MK_SERVICE)->index, &n);
	ck_assert_uint_eq(n, 3);
	for (uint32_t i = 0; i < n; i++)
		ck_assert(p[i].alternative);
	struct model_task_definition *td =
	    (struct model_task_definition *)obj(m, "td", MK_TASK_DEFINITION);
	ck_assert_str_eq(td->network_mode, "awsvpc");
	ck_assert_uint_eq(td->n_containers, 1);
	ck_assert_uint_eq(td->containers[0].n_ports, 2);
	ck_assert_int_eq(td->containers[0].ports[1].proto, PROTO_UDP);
	ck_assert_uint_eq(
	    ((struct model_service *)obj(m, "idle", MK_SERVICE))->desired_count,
	    0);
	model_free(m);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

START_TEST(every_error_in_one_run)
{
	/* Three independent mistakes in three places. */
	struct diag_list d = load_bad(
	    BASE "subnets:\n"
		 "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, "
		 "map_public_ip: yes}\n"
		 "  b: {vpc: mian, cidr: 10.0.2.0/24, az: us-east-1b}\n"
		 "security_groups:\n"
		 "  web:\n"
		 "    vpc: main\n"
		 "    ingress: [{protocol: tcp, ports: 70000, from: "
		 "0.0.0.0/0}]\n");
	ck_assert_uint_eq(d.n_errors, 3);
	const struct diag *e;
	e = diag_with(&d, "map_public_ip must be true or false, not 'yes'");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->line, 7);
	ck_assert_uint_eq(e->col, 68);
	e = diag_with(&d, "unknown VPC 'mian' (did you mean 'main'?)");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->line, 8);
	ck_assert_uint_eq(e->col, 12);
	e = diag_with(&d, "port 70000 out of range");
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->line, 12);
	ck_assert_str_eq(e->file, "bad.yaml");
	diag_list_free(&d);
}
END_TEST

START_TEST(cross_object_errors_too)
{
	/* A field error and a model_finish error in the same run. */
	struct diag_list d = load_bad(
	    BASE "subnets:\n"
		 "  a: {vpc: main, cidr: 10.0.0.0/23, az: x}\n"
		 "  b: {vpc: main, cidr: 10.0.1.0/24, az: x}\n"
		 "  c: {vpc: main, cidr: 10.0.9.0/24, az: x, bogus: 1}\n");
	ck_assert_uint_eq(d.n_errors, 2);
	ck_assert_ptr_nonnull(diag_with(&d, "overlaps subnet 'a'"));
	ck_assert_ptr_nonnull(diag_with(&d, "unknown key 'bogus'"));
	diag_list_free(&d);
}
END_TEST

START_TEST(nothing_half_loaded)
{
	static const char *const bad[] = {
	    "",
	    "- a list\n",
	    "vpcs: {main: {cidr: 10.0.0.0/16}}\nvpcs_: 1\n",
	    "vpcs:\n  main: {cidr: 10.0.0.0/16\n", /* unclosed */
	    /* only a model_finish error */
	    BASE "subnets:\n  a: {vpc: main, cidr: 10.9.0.0/24, az: x}\n",
	    /* only a duplicate id */
	    BASE "security_groups:\n  igw: {vpc: main}\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct diag_list d = load_bad(bad[i]);
		ck_assert_uint_ge(d.n_errors, 1);
		diag_list_free(&d);
	}
}
END_TEST

START_TEST(misspelling_reported_once)
{
	/* 'cdir' is reported as unknown with its correction; the missing
	 * 'cidr' is not reported again. */
	struct diag_list d =
	    load_bad(BASE "subnets:\n"
			  "  a: {vpc: main, cdir: 10.0.1.0/24, "
			  "az: x}\n");
	ck_assert_uint_eq(d.n_errors, 1);
	ck_assert_str_eq(d.v[0].message, "unknown key 'cdir' in subnet 'a' "
					 "(did you mean 'cidr'?)");
	diag_list_free(&d);
}
END_TEST

START_TEST(alias_reported_once)
{
	/* One bad node reached through an alias from two places. */
	struct diag_list d = load_bad(BASE "subnets:\n"
					   "  a: {vpc: &v mian, cidr: "
					   "10.0.1.0/24, az: x}\n"
					   "  b: {vpc: *v, cidr: 10.0.2.0/24, "
					   "az: y}\n");
	ck_assert_uint_eq(d.n_errors, 1);
	ck_assert_uint_eq(d.v[0].line, 7);
	diag_list_free(&d);
}
END_TEST

START_TEST(broken_object_does_not_cascade)
{
	/* A VPC that is no mapping must not borrow another VPC's main route
	 * table, nor a listener that is no mapping a target group. */
	struct diag_list d =
	    load_bad("vpcs:\n"
		     "  main: {cidr: 10.0.0.0/16}\n"
		     "  other: 10.1.0.0/16\n"
		     "subnets:\n"
		     "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"
		     "  b: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1b}\n"
		     "  c: {vpc: other, cidr: 10.1.1.0/24, az: us-east-1b}\n"
		     "load_balancers:\n"
		     "  alb: {type: application, scheme: internal, "
		     "subnets: [a, b], listeners: [80]}\n");
	ck_assert_msg(d.n_errors == 2, "%zu errors, first: %s", d.n_errors,
		      d.v[0].message);
	ck_assert_ptr_nonnull(diag_with(&d, "must be a mapping, not a scalar"));
	ck_assert_ptr_nonnull(diag_with(
	    &d, "a listener of load balancer 'alb' must be a mapping"));
	diag_list_free(&d);
}
END_TEST

START_TEST(missing_file)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	ck_assert_int_lt(model_load_file(&m, "tests/no-such-file.yaml", &d), 0);
	ck_assert_ptr_null(m);
	ck_assert_uint_eq(d.n_errors, 1);
	ck_assert_str_eq(d.v[0].file, "tests/no-such-file.yaml");
	diag_list_free(&d);
}
END_TEST

/* ---- the canonical scenario ------------------------------------------ */

START_TEST(canonical_scenario)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_file(&m, "scenarios/three-tier.yaml", &d);
	ck_assert_msg(rc == 0 && m, "three-tier.yaml: %s",
		      d.n ? d.v[0].message : "no model");
	ck_assert_uint_eq(d.n, 0);
	diag_list_free(&d);

	ck_assert_str_eq(m->region, "us-east-1");
	ck_assert_str_eq(m->format, "vpcsim");
	static const uint32_t want[MK_KIND_COUNT] = {
	    [MK_VPC] = 1,
	    [MK_INTERNET_GATEWAY] = 1,
	    [MK_SUBNET] = 4,
	    [MK_ROUTE_TABLE] = 4, /* three and the implicit main */
	    [MK_NAT_GATEWAY] = 2,
	    [MK_SECURITY_GROUP] = 4, /* three and the implicit default */
	    [MK_NETWORK_ACL] = 1,    /* the implicit default */
	    [MK_LOAD_BALANCER] = 1,
	    [MK_TARGET_GROUP] = 1,
	    [MK_TASK_DEFINITION] = 1,
	    [MK_SERVICE] = 1,
	    [MK_DATABASE] = 2,
	};
	for (int k = 0; k < MK_KIND_COUNT; k++)
		ck_assert_msg(m->n[k] == want[k], "%u %s, not %u", m->n[k],
			      model_kind_name(k), want[k]);

	ck_assert(SUBNET(m, "public-a")->is_public);
	ck_assert(SUBNET(m, "public-b")->is_public);
	ck_assert(!SUBNET(m, "private-a")->is_public);
	ck_assert(!SUBNET(m, "private-b")->is_public);
	ck_assert_uint_eq(SUBNET(m, "private-a")->tasks, 2);
	ck_assert_uint_eq(SUBNET(m, "private-b")->tasks, 2);

	/* NAT gateways come first in each public subnet, then ALB nodes. */
	ADDR_EQ(m, "nat-a", MK_NAT_GATEWAY, "10.0.1.4");
	ADDR_EQ(m, "nat-b", MK_NAT_GATEWAY, "10.0.3.4");
	uint32_t n;
	const struct model_placement *p = model_placements(
	    m, MK_LOAD_BALANCER, obj(m, "alb", MK_LOAD_BALANCER)->index, &n);
	ck_assert_uint_eq(n, 2);
	char a[ADDR_STRLEN];
	ck_assert_str_eq(addr_text(a, p[0].addr), "10.0.1.5");
	ck_assert_str_eq(addr_text(a, p[1].addr), "10.0.3.5");
	p = model_placements(m, MK_SERVICE, obj(m, "web", MK_SERVICE)->index,
			     &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(addr_text(a, p[0].addr), "10.0.2.4");

	struct model_database *db = DB(m, "db"), *rep = DB(m, "db-replica");
	ck_assert_uint_eq(db->port, 3306);
	ck_assert(db->port_defaulted);
	ck_assert(db->multi_az);
	ck_assert_uint_eq(rep->port, 3306);
	ck_assert_uint_eq(rep->replica_of, db->obj.index);
	ck_assert_uint_eq(one_placement(m, "db", MK_DATABASE)->subnet,
			  SUBNET(m, "private-a")->obj.index);
	ck_assert_uint_eq(one_placement(m, "db-replica", MK_DATABASE)->subnet,
			  SUBNET(m, "private-b")->obj.index);

	/* Every object is in the id index, the implicit ones included. */
	ck_assert_uint_eq(m->n_objects, 23);
	for (uint32_t i = 1; i < m->n_objects; i++)
		ck_assert(strcmp(m->by_id[i - 1]->id, m->by_id[i]->id) < 0);
	model_free(m);
}
END_TEST

/*
 * The id index after objects are added (model_finish synthesizes some):
 * model_index_one makes one findable at once; model_index_ids merges the
 * new ones into by_id, whose entries must point into the kind arrays as
 * they are now (a kind's array moves when it grows), with a later
 * duplicate reported and the first definition still the one found.
 */
START_TEST(id_index_grows)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	ck_assert_int_eq(model_load_file(&m, "scenarios/three-tier.yaml", &d),
			 0);
	diag_list_free(&d);
	uint32_t n0 = m->n_objects;
	static const char *const ids[] = {"aaa-new", "zzz-new", "db"};
	uint32_t first = model_grow_kind(m, MK_PREFIX_LIST, 3);
	for (uint32_t k = 0; k < 3; k++) {
		struct model_prefix_list *p = &m->prefix_lists[first + k];
		p->obj = (struct model_obj){
		    .id = ids[k], .kind = MK_PREFIX_LIST, .index = first + k};
		p->obj.loc.file = m->file;
		p->obj.loc.line = 9999;
	}
	/* Subnets move too: their entries in by_id must follow. */
	uint32_t sn = model_grow_kind(m, MK_SUBNET, 1);
	m->subnets[sn].obj =
	    (struct model_obj){.id = "mmm-new", .kind = MK_SUBNET, .index = sn};
	m->subnets[sn].obj.loc.line = 9999;
	ck_assert_ptr_null(model_find(m, "aaa-new"));
	model_index_one(m, MK_PREFIX_LIST, first);
	ck_assert_ptr_eq(model_find(m, "aaa-new"), &m->prefix_lists[first].obj);
	model_index_ids(m, &d);
	ck_assert_uint_eq(d.n_errors, 1);
	ck_assert_ptr_nonnull(strstr(d.v[0].message, "duplicate id 'db'"));
	diag_list_free(&d);
	ck_assert_uint_eq(m->n_objects, n0 + 4);
	for (uint32_t i = 0; i < m->n_objects; i++) {
		const struct model_obj *o = m->by_id[i];
		ck_assert_ptr_eq(o, model_object(m, o->kind, o->index));
		if (i)
			ck_assert(strcmp(m->by_id[i - 1]->id, o->id) <= 0);
	}
	ck_assert_int_eq(model_find(m, "db")->kind, MK_DATABASE);
	ck_assert_ptr_eq(model_find(m, "zzz-new"),
			 &m->prefix_lists[first + 1].obj);
	ck_assert_ptr_eq(model_find(m, "mmm-new"), &m->subnets[sn].obj);
	ck_assert_ptr_eq(model_find(m, "public-a"),
			 &m->subnets[model_find(m, "public-a")->index].obj);
	/* Nothing new: the index stands, and says nothing again. */
	model_index_ids(m, &d);
	ck_assert_uint_eq(d.n_errors, 0);
	ck_assert_uint_eq(m->n_objects, n0 + 4);
	model_free(m);
}
END_TEST

Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	struct {
		const char *name;
		const TTest *tests[8];
	} cases[] = {
	    {"implicit",
	     {implicit_defaults, implicit_ids_stay_unique,
	      explicit_main_table}},
	    {"subnets", {subnet_uses_main_table, public_classification}},
	    {"routes",
	     {routes_in_match_order, prefix_list_destination_expands,
	      gateway_endpoint_routes, gateway_endpoint_uses_given_list}},
	    {"nacl", {nacl_rules_sorted}},
	    {"security_groups", {sg_default_egress}},
	    {"placements",
	     {addresses_in_file_order, addresses_follow_the_file_not_the_kind,
	      subnet_exhausted, public_status}},
	    {"databases",
	     {database_default_ports, database_replica,
	      database_replica_keeps_own}},
	    {"ecs", {ecs_tasks_spread}},
	    {"errors",
	     {every_error_in_one_run, cross_object_errors_too,
	      nothing_half_loaded, misspelling_reported_once,
	      alias_reported_once, broken_object_does_not_cascade,
	      missing_file}},
	    {"canonical", {canonical_scenario}},
	    {"ids", {id_index_grows}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		TCase *tc = tcase_create(cases[i].name);
		for (size_t t = 0; t < 8 && cases[i].tests[t]; t++)
			tcase_add_test(tc, cases[i].tests[t]);
		suite_add_tcase(s, tc);
	}
	return s;
}
