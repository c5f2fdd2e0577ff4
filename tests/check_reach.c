/*
 * Port sets and equivalence classes against brute force.
 *
 * sim_ports must give exactly the ports for which sim_connect says
 * reachable.  Reachability is constant between the boundaries of the
 * rules' port ranges and the listening ports, so checking both ends of
 * every elementary interval compares the two over all 65536 ports.
 *
 * reach_from / reach_to evaluate one representative per class and one
 * internet address per atom of the destination's rules; the brute force
 * here evaluates every placement pair, and for the internet every address
 * at a boundary of any CIDR of the model, then folds them the same way.
 */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "load/load.h"
#include "model/model.h"
#include "sim/graph.h"
#include "sim/reach.h"

/* ---- boundaries --------------------------------------------------------- */

struct u32v {
	uint32_t *v;
	size_t n, cap;
};

static void push(struct u32v *x, uint32_t a)
{
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->v = realloc(x->v, x->cap * sizeof(*x->v));
	}
	x->v[x->n++] = a;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void uniq(struct u32v *x)
{
	qsort(x->v, x->n, sizeof(*x->v), cmp_u32);
	size_t k = 0;
	for (size_t i = 0; i < x->n; i++)
		if (!k || x->v[i] != x->v[k - 1])
			x->v[k++] = x->v[i];
	x->n = k;
}

static void match_bounds(struct u32v *b, const struct model_match *mt)
{
	if (mt->proto == PROTO_TCP || mt->proto == PROTO_UDP) {
		push(b, mt->port_lo);
		push(b, (uint32_t)mt->port_hi + 1);
	}
}

/* Port boundaries of every rule and listening port of the model. */
static void port_bounds(const struct model *m, struct u32v *b)
{
	push(b, 0);
	push(b, 65536);
	for (uint32_t g = 0; g < m->n[MK_SECURITY_GROUP]; g++) {
		for (uint32_t i = 0; i < m->groups[g].n_ingress; i++)
			match_bounds(b, &m->groups[g].ingress[i].match);
		for (uint32_t i = 0; i < m->groups[g].n_egress; i++)
			match_bounds(b, &m->groups[g].egress[i].match);
	}
	for (uint32_t a = 0; a < m->n[MK_NETWORK_ACL]; a++) {
		for (uint32_t i = 0; i < m->nacls[a].n_inbound; i++)
			match_bounds(b, &m->nacls[a].inbound[i].match);
		for (uint32_t i = 0; i < m->nacls[a].n_outbound; i++)
			match_bounds(b, &m->nacls[a].outbound[i].match);
	}
	for (uint32_t l = 0; l < m->n[MK_LOAD_BALANCER]; l++)
		for (uint32_t i = 0; i < m->lbs[l].n_listeners; i++) {
			push(b, m->lbs[l].listeners[i].port);
			push(b, m->lbs[l].listeners[i].port + 1u);
		}
	for (uint32_t d = 0; d < m->n[MK_DATABASE]; d++) {
		push(b, m->databases[d].port);
		push(b, m->databases[d].port + 1u);
	}
	for (uint32_t t = 0; t < m->n[MK_TASK_DEFINITION]; t++)
		for (uint32_t c = 0; c < m->task_definitions[t].n_containers;
		     c++)
			for (uint32_t p = 0;
			     p < m->task_definitions[t].containers[c].n_ports;
			     p++) {
				uint32_t port = m->task_definitions[t]
						    .containers[c]
						    .ports[p]
						    .port;
				push(b, port);
				push(b, port + 1);
			}
	push(b, 443);
	push(b, 444);
	uniq(b);
}

/* Whether sim_ports sorted a reached port by its forward as sim_connect
 * judges it (§8): served, not served, and no healthy target. */
static bool same_forward(const struct sim_result *set,
			 const struct sim_result *r, uint16_t port)
{
	const struct sim_fwd_verdict *v = &r->fwd;
	bool works = v->asked && v->paths_ok;
	bool fails = v->asked && !v->paths_ok;
	bool unhealthy = fails && !v->healthy;
	return ports_contains(&set->fwd_works, port) == works &&
	       ports_contains(&set->fwd_fails, port) == fails &&
	       ports_contains(&set->fwd_unhealthy, port) == unhealthy;
}

/* Asserts sim_ports == {p : sim_connect(p) reachable}, over all ports,
 * and that both judge each port's forward alike. */
static int check_pair(const struct sim *s, const struct sim_ep *a,
		      const struct sim_ep *b, enum proto proto,
		      const struct u32v *bounds, const char *what)
{
	struct ports set = PORTS_INIT;
	struct sim_result res;
	sim_ports(s, a, b, proto, &set, &res);
	int bad = 0;
	for (size_t i = 0; i + 1 < bounds->n && !bad; i++) {
		uint32_t ends[2] = {bounds->v[i], bounds->v[i + 1] - 1};
		for (int k = 0; k < 2; k++) {
			struct sim_result r;
			struct sim_flow f = {proto, (uint16_t)ends[k]};
			sim_connect(s, a, b, f, &r, NULL);
			bool in = ports_contains(&set, (uint16_t)ends[k]);
			if (r.reachable != in) {
				char an[160], bn[160];
				sim_ep_format(an, sizeof(an), s, a);
				sim_ep_format(bn, sizeof(bn), s, b);
				fprintf(stderr,
					"%s: %s -> %s %s port %u: connect says "
					"%s, ports says %s\n",
					what, an, bn, proto_name(proto),
					ends[k],
					r.reachable ? "reachable" : "blocked",
					in ? "in" : "out");
				bad = 1;
			} else if (in && !same_forward(&res, &r, f.port)) {
				fprintf(
				    stderr,
				    "%s: port %u: sim_ports and sim_connect "
				    "judge the forward differently\n",
				    what, ends[k]);
				bad = 1;
			}
			sim_result_free(&r);
		}
	}
	sim_result_free(&res);
	ports_free(&set);
	return bad;
}

/* The same over IPv6 (§2), when the model has IPv6 addresses: the IPv6
 * internet both ways and every pair of placements with one. */
static int check_model_ports6(const struct sim *s, const struct model *m,
			      const struct u32v *b, const char *what)
{
	static const enum proto protos[] = {PROTO_TCP, PROTO_UDP};
	uint32_t np = m->n_placements_total;
	int bad = 0;
	for (size_t pi = 0; pi < 2; pi++) {
		struct sim_ep inet = {.kind = EP_INTERNET, .v6 = true};
		memcpy(inet.addr6, sim_internet6, 16);
		for (uint32_t i = 0; i < np; i++) {
			if (!m->placements[i].has_ipv6)
				continue;
			struct sim_ep a = {
			    .kind = EP_PLACEMENT, .placement = i, .v6 = true};
			bad += check_pair(s, &inet, &a, protos[pi], b, what);
			bad += check_pair(s, &a, &inet, protos[pi], b, what);
			for (uint32_t j = 0; j < np; j++) {
				if (!m->placements[j].has_ipv6)
					continue;
				struct sim_ep d = {.kind = EP_PLACEMENT,
						   .placement = j,
						   .v6 = true};
				bad +=
				    check_pair(s, &a, &d, protos[pi], b, what);
			}
		}
	}
	return bad;
}

/* Every endpoint pair of a model, both protocols. */
static int check_model_ports(const struct model *m, const char *what)
{
	struct sim *s;
	struct u32v b = {0};
	int bad = 0;
	sim_new(&s, m);
	port_bounds(m, &b);
	static const enum proto protos[] = {PROTO_TCP, PROTO_UDP};
	uint32_t np = m->n_placements_total;
	for (size_t pi = 0; pi < 2; pi++) {
		struct sim_ep inet = {.kind = EP_INTERNET,
				      .addr = SIM_INTERNET_ADDR};
		for (uint32_t i = 0; i < np; i++) {
			struct sim_ep a = {.kind = EP_PLACEMENT,
					   .placement = i};
			bad += check_pair(s, &inet, &a, protos[pi], &b, what);
			bad += check_pair(s, &a, &inet, protos[pi], &b, what);
			for (int svc = SVC_ECR; svc <= SVC_LOGS; svc++) {
				struct sim_ep x = {.kind = EP_SERVICE,
						   .service = svc};
				bad +=
				    check_pair(s, &a, &x, protos[pi], &b, what);
			}
			for (uint32_t j = 0; j < np; j++) {
				struct sim_ep d = {.kind = EP_PLACEMENT,
						   .placement = j};
				bad +=
				    check_pair(s, &a, &d, protos[pi], &b, what);
			}
		}
	}
	bad += check_model_ports6(s, m, &b, what);
	free(b.v);
	sim_free(s);
	return bad;
}

START_TEST(test_ports_scenarios)
{
	glob_t g;
	ck_assert_int_eq(glob("scenarios/*.yaml", 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 10);
	int bad = 0;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m;
		ck_assert_msg(model_load_file(&m, g.gl_pathv[i], &d) == 0,
			      "%s does not load", g.gl_pathv[i]);
		diag_list_free(&d);
		bad += check_model_ports(m, g.gl_pathv[i]);
		model_free(m);
	}
	globfree(&g);
	ck_assert_int_eq(bad, 0);
}
END_TEST

/* ---- random models ----------------------------------------------------- */

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static const char *const cidr_pool[] = {
    "0.0.0.0/0",       "10.0.0.0/16",	  "10.0.1.0/24",
    "10.0.1.128/25",   "10.0.2.0/24",	  "203.0.113.0/24",
    "198.51.100.0/25", "203.0.113.64/26", "10.0.3.0/28",
};

static void rand_ports(char *buf, size_t size)
{
	static const int ports[] = {22, 80, 443, 1024, 3000, 3306, 8080, 32768};
	int lo = ports[rnd(8)];
	if (rnd(3) == 0)
		snprintf(buf, size, "%d-%d", lo,
			 lo + (int)rnd((uint32_t)(65536 - lo)));
	else
		snprintf(buf, size, "%d", lo);
}

/*
 * A load balancer and its target groups (§8): an ALB or an NLB, in both
 * zones or (an NLB) only zone a, with or without a group; an NLB with
 * client-IP preservation and cross-zone on or off; listener rules in
 * priority order with a forward and a fixed response; a second group of
 * ip targets (instance i2's address) that may be empty, forwarded to by
 * a rule or a second listener; health checks on the traffic port or not.
 */
static void random_lbs(FILE *f, const char *i2_addr)
{
	bool nlb = rnd(3) == 0;
	bool one_zone = nlb && rnd(3) == 0, bare = nlb && rnd(3) == 0;
	fprintf(f,
		"load_balancers:\n  lb:\n    type: %s\n    scheme: %s\n"
		"    subnets: [s0%s]\n",
		nlb ? "network" : "application",
		rnd(4) ? "internet-facing" : "internal",
		one_zone ? "" : ", s1");
	if (!bare)
		fprintf(f, "    security_groups: [g0]\n");
	if (nlb)
		fprintf(f, "    cross_zone: %s\n", rnd(2) ? "true" : "false");
	fprintf(f,
		"    listeners:\n      - port: 443\n        protocol: %s\n"
		"        forward: tg\n",
		nlb ? "TCP" : "HTTPS");
	if (!nlb && rnd(2))
		fprintf(f, "        rules:\n"
			   "          - {priority: 20, hosts: a.example.com, "
			   "fixed_response: {status_code: 404}}\n"
			   "          - {priority: 10, paths: /api/*, forward: "
			   "tg2}\n");
	if (rnd(2))
		fprintf(f, "      - {port: 80, protocol: %s, %s}\n",
			nlb ? "TCP" : "HTTP",
			nlb || rnd(2)
			    ? "forward: tg2"
			    : "redirect: {port: 443, protocol: HTTPS}");
	int hc = (int)rnd(3);
	fprintf(f,
		"target_groups:\n  tg:\n    protocol: %s\n    port: %d\n"
		"    target_type: instance\n    targets: [{instance: "
		"i0}, {instance: i1}]\n",
		nlb ? "TCP" : "HTTP", rnd(2) ? 3000 : 8080);
	if (hc)
		fprintf(f, "    health_check: {port: %s}\n",
			hc == 1 ? "8080" : "traffic-port");
	if (nlb && rnd(2))
		fprintf(f, "    preserve_client_ip: false\n");
	fprintf(f,
		"  tg2:\n    protocol: %s\n    port: 3000\n"
		"    target_type: ip\n",
		nlb ? "TCP" : "HTTP");
	if (nlb && rnd(2))
		fprintf(f, "    preserve_client_ip: true\n");
	if (rnd(3))
		fprintf(f, "    targets: [{ip: %s}]\n", i2_addr);
}

/* A small random estate: one VPC, four subnets (two public), NACLs with
 * random ordered rules, groups with random CIDR and group peers,
 * instances at chosen addresses (some inside narrower CIDRs), and a load
 * balancer forwarding to some of them. */
static char *random_model(uint64_t seed)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	rng = seed * 0x9E3779B97F4A7C15ull + 1;
	fprintf(f,
		"vpcs: {v: {cidr: 10.0.0.0/16}}\n"
		"internet_gateways: {igw: {vpc: v}}\n"
		"subnets:\n"
		"  s0: {vpc: v, cidr: 10.0.0.0/24, az: a, route_table: "
		"pub, network_acl: n0}\n"
		"  s1: {vpc: v, cidr: 10.0.1.0/24, az: b, route_table: "
		"%s, network_acl: n1}\n"
		"  s2: {vpc: v, cidr: 10.0.2.0/24, az: a, route_table: "
		"priv}\n"
		"  s3: {vpc: v, cidr: 10.0.3.0/24, az: b, route_table: "
		"priv, network_acl: n1}\n",
		rnd(2) ? "pub" : "priv");
	fprintf(f,
		"route_tables:\n"
		"  pub: {vpc: v, routes: [{destination: 0.0.0.0/0, "
		"target: igw}]}\n"
		"  priv: {vpc: v, routes: [%s]}\n",
		rnd(3) ? "{destination: 0.0.0.0/0, target: nat}" : "");
	fprintf(f, "nat_gateways: {nat: {subnet: s0, elastic_ip: true}}\n");
	fprintf(f, "network_acls:\n");
	for (int a = 0; a < 2; a++) {
		fprintf(f, "  n%d:\n    vpc: v\n", a);
		for (int dir = 0; dir < 2; dir++) {
			fprintf(f, "    %s:\n", dir ? "outbound" : "inbound");
			int n = 1 + (int)rnd(4);
			for (int r = 0; r < n; r++) {
				char ports[32];
				rand_ports(ports, sizeof(ports));
				bool all = rnd(3) == 0;
				fprintf(
				    f,
				    "      - {rule: %d, action: %s, protocol: "
				    "%s%s%s, cidr: %s}\n",
				    (r + 1) * 10 + (int)rnd(5),
				    rnd(4) ? "allow" : "deny",
				    all ? "all" : "tcp",
				    all ? "" : ", ports: ", all ? "" : ports,
				    cidr_pool[rnd(ARRAY_LEN(cidr_pool))]);
			}
			/* Usually let the rest through, so deeper steps are
			 * reached. */
			if (rnd(4))
				fprintf(f, "      - {rule: 900, action: allow, "
					   "protocol: all, cidr: 0.0.0.0/0}\n");
		}
	}
	int ng = 3 + (int)rnd(2);
	fprintf(f, "security_groups:\n");
	for (int g = 0; g < ng; g++) {
		fprintf(f, "  g%d:\n    vpc: v\n    ingress:\n", g);
		int n = 1 + (int)rnd(4);
		for (int r = 0; r < n; r++) {
			char ports[32];
			rand_ports(ports, sizeof(ports));
			if (rnd(3) == 0)
				fprintf(f,
					"      - {protocol: tcp, ports: %s, "
					"from: g%u}\n",
					ports, rnd((uint32_t)ng));
			else if (rnd(6) == 0)
				fprintf(f,
					"      - {protocol: all, from: %s}\n",
					cidr_pool[rnd(ARRAY_LEN(cidr_pool))]);
			else
				fprintf(f,
					"      - {protocol: %s, ports: %s, "
					"from: %s}\n",
					rnd(5) ? "tcp" : "udp", ports,
					cidr_pool[rnd(ARRAY_LEN(cidr_pool))]);
		}
		if (rnd(2)) {
			char ports[32];
			rand_ports(ports, sizeof(ports));
			fprintf(f,
				"    egress:\n      - {protocol: tcp, ports: "
				"%s, to: %s}\n",
				ports, cidr_pool[rnd(ARRAY_LEN(cidr_pool))]);
			if (rnd(2))
				fprintf(f, "      - {protocol: all, to: g%u}\n",
					rnd((uint32_t)ng));
		}
	}
	/* Instances come in twins that share subnet and groups but not the
	 * address atom, so classes must tell them apart by address. */
	int ni = 3 + (int)rnd(5);
	char i2_addr[32] = "";
	fprintf(f, "instances:\n");
	for (int i = 0; i < ni; i++) {
		int s = (int)rnd(4);
		uint32_t g1 = rnd((uint32_t)ng), g2 = rnd((uint32_t)ng);
		bool pub = rnd(3) == 0, two = g2 != g1 && rnd(3) == 0;
		for (int twin = 0; twin < 2; twin++) {
			if (twin && rnd(2))
				break;
			char addr[32];
			snprintf(addr, sizeof(addr), "10.0.%d.%u", s,
				 (twin ? 130u : 10u) + 10u * (uint32_t)i +
				     rnd(10));
			if (i == 2 && !twin)
				snprintf(i2_addr, sizeof(i2_addr), "%s", addr);
			fprintf(f,
				"  i%d%s: {subnet: s%d, security_groups: [g%u",
				i, twin ? "t" : "", s, g1);
			if (two)
				fprintf(f, ", g%u", g2);
			fprintf(f, "], private_ip: %s", addr);
			if (pub)
				fprintf(f, ", public_ip: true");
			fprintf(f, "}\n");
		}
	}
	random_lbs(f, i2_addr);
	fclose(f);
	(void)len;
	return buf;
}

/* A row of the brute force: all and some over placement pairs. */
struct brute {
	struct ports all, some;
	uint32_t pairs;
};

static void brute_fold(struct brute *b, const struct ports *p)
{
	if (b->pairs++ == 0) {
		ports_copy(&b->all, p);
		ports_copy(&b->some, p);
	} else {
		ports_intersect(&b->all, &b->all, p);
		ports_union(&b->some, &b->some, p);
	}
}

static const struct reach_row *find_row(const struct reach_table *t,
					enum model_kind k, uint32_t i,
					bool as_dst)
{
	for (uint32_t r = 0; r < t->n; r++) {
		const struct reach_node *n =
		    as_dst ? &t->rows[r].dst : &t->rows[r].src;
		if (n->kind == RN_RESOURCE && n->rkind == k && n->rindex == i)
			return &t->rows[r];
	}
	return NULL;
}

static bool same(const struct ports *a, const struct ports *b)
{
	return ports_equal(a, b);
}

/* Internet addresses at every CIDR boundary of the model, public only. */
static void internet_addrs(const struct model *m, struct u32v *v)
{
	static const struct cidr skip[] = {{0x00000000u, 8},  {0x0A000000u, 8},
					   {0x64400000u, 10}, {0x7F000000u, 8},
					   {0xA9FE0000u, 16}, {0xAC100000u, 12},
					   {0xC0A80000u, 16}, {0xE0000000u, 3}};
	struct u32v raw = {0};
	push(&raw, 0x01000000u);
	push(&raw, 0xDFFFFFFFu);
	for (size_t i = 0; i < ARRAY_LEN(cidr_pool); i++) {
		struct cidr c;
		cidr_parse(&c, cidr_pool[i]);
		push(&raw, c.addr);
		push(&raw, cidr_last(c));
		push(&raw, c.addr - 1);
		push(&raw, cidr_last(c) + 1);
	}
	(void)m;
	for (size_t i = 0; i < raw.n; i++) {
		bool ok = true;
		for (size_t k = 0; k < ARRAY_LEN(skip); k++)
			ok &= !cidr_contains_addr(skip[k], raw.v[i]);
		if (ok)
			push(v, raw.v[i]);
	}
	free(raw.v);
	uniq(v);
}

/*
 * The exposure map without empty rows (reach_from's keep_empty false,
 * which makes no row for a class that reaches nothing when its members'
 * resources are in no other class) must be the map with them, minus the
 * rows that reach nothing, in the same order, field for field.  Making no
 * row for a resource that another class reaches loses its unreachable
 * placements (pairs, all, block), and fails here.
 */
static bool same_rows(const struct reach_row *x, const struct reach_row *y)
{
	return !memcmp(&x->src, &y->src, sizeof(x->src)) &&
	       !memcmp(&x->dst, &y->dst, sizeof(x->dst)) &&
	       x->proto == y->proto && same(&x->all, &y->all) &&
	       same(&x->some, &y->some) && x->pairs == y->pairs &&
	       x->degraded == y->degraded && x->block == y->block &&
	       x->any_source == y->any_source && x->n_sources == y->n_sources &&
	       (!x->n_sources || !memcmp(x->sources, y->sources,
					 x->n_sources * sizeof(*x->sources))) &&
	       x->ipv6 == y->ipv6 && x->n_sources6 == y->n_sources6 &&
	       x->unknown == y->unknown &&
	       same(&x->fwd_served, &y->fwd_served) &&
	       same(&x->fwd_failed, &y->fwd_failed) &&
	       x->fwd_degraded == y->fwd_degraded &&
	       x->fwd_unknown == y->fwd_unknown;
}

static int check_pruned(const struct reach_index *ix, enum proto proto,
			const struct reach_table *full, uint64_t seed)
{
	struct sim_sel sel = {0};
	struct reach_table t;
	sel.kind = SEL_INTERNET;
	sel.addr = SIM_INTERNET_ADDR;
	reach_from(&t, ix, &sel, proto, false);
	uint32_t k = 0;
	int bad = 0;
	for (uint32_t i = 0; i < full->n && !bad; i++) {
		if (ports_empty(&full->rows[i].some))
			continue;
		if (k >= t.n || !same_rows(&full->rows[i], &t.rows[k++])) {
			fprintf(stderr,
				"seed %llu %s: row %u of the map differs "
				"without empty rows\n",
				(unsigned long long)seed, proto_name(proto), i);
			bad = 1;
		}
	}
	if (!bad && k != t.n) {
		fprintf(stderr, "seed %llu: %u rows more without empty rows\n",
			(unsigned long long)seed, t.n - k);
		bad = 1;
	}
	reach_table_free(&t);
	return bad;
}

/* Classes vs brute force on one random model, every source resource. */
static int check_random(uint64_t seed)
{
	char *text = random_model(seed);
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m;
	int bad = 0;
	if (model_load_buffer(&m, "random.yaml", text, strlen(text), &d)) {
		diag_print(stderr, &d);
		fprintf(stderr, "seed %llu:\n%s\n", (unsigned long long)seed,
			text);
		diag_list_free(&d);
		free(text);
		return 1;
	}
	diag_list_free(&d);
	struct sim *s;
	struct reach_index *ix;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	uint32_t np = m->n_placements_total;
	struct u32v inet = {0};
	internet_addrs(m, &inet);
	static const enum proto protos[] = {PROTO_TCP, PROTO_UDP};
	for (size_t pi = 0; pi < 2 && !bad; pi++) {
		enum proto proto = protos[pi];
		/* Sources: every resource with placements, and the internet. */
		for (uint32_t si = 0; si <= np && !bad; si++) {
			bool from_inet = si == np;
			const struct model_placement *sp =
			    from_inet ? NULL : &m->placements[si];
			if (sp && si > 0 &&
			    m->placements[si - 1].kind == sp->kind &&
			    m->placements[si - 1].index == sp->index)
				continue; /* one pass per resource */
			struct sim_sel sel = {0};
			if (from_inet) {
				sel.kind = SEL_INTERNET;
				sel.addr = SIM_INTERNET_ADDR;
			} else {
				sel.kind = SEL_RESOURCE;
				sel.rkind = sp->kind;
				sel.rindex = sp->index;
			}
			struct reach_table t;
			reach_from(&t, ix, &sel, proto, true);
			if (from_inet)
				bad |= check_pruned(ix, proto, &t, seed);
			/* Brute force per destination resource. */
			for (uint32_t di = 0; di < np && !bad; di++) {
				const struct model_placement *dp =
				    &m->placements[di];
				if (di > 0 &&
				    m->placements[di - 1].kind == dp->kind &&
				    m->placements[di - 1].index == dp->index)
					continue;
				uint32_t nd;
				model_placements(m, dp->kind, dp->index, &nd);
				struct brute b = {PORTS_INIT, PORTS_INIT, 0};
				for (uint32_t q = 0; q < nd; q++) {
					struct sim_ep dst = {
					    .kind = EP_PLACEMENT,
					    .placement = di + q};
					struct ports acc = PORTS_INIT,
						     p = PORTS_INIT;
					struct sim_result r;
					if (from_inet) {
						for (size_t k = 0; k < inet.n;
						     k++) {
							struct sim_ep src = {
							    .kind = EP_INTERNET,
							    .addr = inet.v[k]};
							sim_ports(s, &src, &dst,
								  proto, &p,
								  &r);
							ports_union(&acc, &acc,
								    &p);
							sim_result_free(&r);
						}
						brute_fold(&b, &acc);
					} else {
						uint32_t ns;
						model_placements(m, sp->kind,
								 sp->index,
								 &ns);
						for (uint32_t k = 0; k < ns;
						     k++) {
							struct sim_ep src = {
							    .kind =
								EP_PLACEMENT,
							    .placement =
								si + k};
							sim_ports(s, &src, &dst,
								  proto, &p,
								  &r);
							brute_fold(&b, &p);
							sim_result_free(&r);
						}
					}
					ports_free(&acc);
					ports_free(&p);
				}
				const struct reach_row *row =
				    find_row(&t, dp->kind, dp->index, true);
				if (!row || !same(&row->all, &b.all) ||
				    !same(&row->some, &b.some) ||
				    row->pairs != b.pairs) {
					char x[128] = "-", y[128] = "-", u[128],
					     w[128];
					if (row) {
						ports_format(x, sizeof(x),
							     &row->all);
						ports_format(y, sizeof(y),
							     &row->some);
					}
					ports_format(u, sizeof(u), &b.all);
					ports_format(w, sizeof(w), &b.some);
					fprintf(
					    stderr,
					    "seed %llu %s: %s -> %s: classes "
					    "all=%s some=%s, brute all=%s "
					    "some=%s\n%s\n",
					    (unsigned long long)seed,
					    proto_name(proto),
					    from_inet
						? "internet"
						: model_object(m, sp->kind,
							       sp->index)
						      ->id,
					    model_object(m, dp->kind, dp->index)
						->id,
					    x, y, u, w, text);
					bad = 1;
				}
				ports_free(&b.all);
				ports_free(&b.some);
			}
			reach_table_free(&t);
		}
	}
	free(inet.v);
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
	free(text);
	return bad;
}

/*
 * IPv6 (§2): the internet6 rows of reach_from, which evaluate one
 * representative per class, against every placement evaluated from its
 * own IPv6 atoms: classes must not merge placements IPv6 tells apart.
 */
static int check_classes6(const char *path)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m;
	ck_assert_msg(model_load_file(&m, path, &d) == 0, "%s", path);
	diag_list_free(&d);
	struct sim *s;
	struct reach_index *ix;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	struct sim_sel inet = {.kind = SEL_INTERNET, .v6 = true};
	memcpy(inet.addr6, sim_internet6, 16);
	int bad = 0;
	for (int pi = 0; pi < 2; pi++) {
		enum proto proto = pi ? PROTO_UDP : PROTO_TCP;
		struct reach_table t;
		reach_from(&t, ix, &inet, proto, true);
		for (int k = 0; k < MK_KIND_COUNT; k++)
			for (uint32_t i = 0; i < m->n[k]; i++) {
				uint32_t np;
				const struct model_placement *pl =
				    model_placements(m, k, i, &np);
				if (!np)
					continue;
				struct brute b = {PORTS_INIT, PORTS_INIT, 0};
				for (uint32_t q = 0; q < np; q++) {
					struct ports acc = PORTS_INIT,
						     p = PORTS_INIT;
					uint32_t pidx =
					    (uint32_t)(&pl[q] - m->placements);
					struct sim_ep dst = {.kind =
								 EP_PLACEMENT,
							     .placement = pidx,
							     .v6 = true};
					uint8_t(*reps)[16] = NULL;
					struct reach_range6 *rg = NULL;
					uint32_t na =
					    pl[q].has_ipv6 && pl[q].ipv6_public
						? reach_internet_atoms6(
						      ix, pidx, &reps, &rg)
						: 0;
					for (uint32_t a = 0; a < na; a++) {
						struct sim_ep src = {
						    .kind = EP_INTERNET,
						    .v6 = true};
						memcpy(src.addr6, reps[a], 16);
						struct sim_result r;
						sim_ports(s, &src, &dst, proto,
							  &p, &r);
						ports_union(&acc, &acc, &p);
						sim_result_free(&r);
					}
					brute_fold(&b, &acc);
					free(reps);
					free(rg);
					ports_free(&acc);
					ports_free(&p);
				}
				const struct reach_row *row =
				    find_row(&t, k, i, true);
				if (!row || !row->ipv6 ||
				    !same(&row->all, &b.all) ||
				    !same(&row->some, &b.some)) {
					fprintf(stderr,
						"%s %s: internet6 -> %s: "
						"classes and placements "
						"disagree\n",
						path, proto_name(proto),
						model_object(m, k, i)->id);
					bad = 1;
				}
				ports_free(&b.all);
				ports_free(&b.some);
			}
		reach_table_free(&t);
	}
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
	return bad;
}

/* ---- the memo of placement pairs ---------------------------------------- */

static bool same_result(const struct sim_result *a, const struct sim_result *b)
{
	const struct sim_fwd_verdict *x = &a->fwd, *y = &b->fwd;
	return a->reachable == b->reachable && a->block == b->block &&
	       a->degraded == b->degraded && a->ports_ok == b->ports_ok &&
	       a->ports_total == b->ports_total &&
	       ports_equal(&a->denied, &b->denied) &&
	       ports_equal(&a->fwd_works, &b->fwd_works) &&
	       ports_equal(&a->fwd_fails, &b->fwd_fails) &&
	       ports_equal(&a->fwd_unhealthy, &b->fwd_unhealthy) &&
	       x->asked == y->asked && x->block == y->block &&
	       x->paths == y->paths && x->paths_ok == y->paths_ok &&
	       x->healthy == y->healthy && x->degraded == y->degraded &&
	       x->ports_ok == y->ports_ok && x->ports_total == y->ports_total &&
	       (a->unknown == b->unknown ||
		(a->unknown && b->unknown && !strcmp(a->unknown, b->unknown)));
}

/*
 * reach_memo_connect against sim_connect on every placement pair (itself
 * included) and a spread of flows, each pair asked twice so the second
 * answer comes from the memo: the classes must hold everything a verdict
 * reads.  Returns the number of disagreements; *saved receives how many
 * answers the memo gave without evaluating.
 */
static int check_memo(const struct model *m, const char *what, uint64_t *saved)
{
	static const struct sim_flow flows[] = {
	    {PROTO_TCP, 22},   {PROTO_TCP, 80},	  {PROTO_TCP, 443},
	    {PROTO_TCP, 3000}, {PROTO_TCP, 3306}, {PROTO_TCP, 5432},
	    {PROTO_TCP, 8080}, {PROTO_UDP, 53},	  {PROTO_ICMP, 8},
	    {PROTO_ALL, 0},
	};
	struct sim *s;
	struct reach_index *ix;
	struct reach_memo *mm;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	reach_memo_new(&mm, ix);
	int bad = 0;
	uint32_t np = m->n_placements_total;
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t a = 0; a < np; a++)
			for (uint32_t b = 0; b < np; b++)
				for (size_t f = 0; f < ARRAY_LEN(flows); f++) {
					struct sim_ep x = {.kind = EP_PLACEMENT,
							   .placement = a};
					struct sim_ep y = {.kind = EP_PLACEMENT,
							   .placement = b};
					struct sim_result r;
					sim_connect(s, &x, &y, flows[f], &r,
						    NULL);
					const struct sim_result *q =
					    reach_memo_connect(mm, a, b,
							       flows[f]);
					if (!same_result(&r, q) && bad++ < 5)
						fprintf(stderr,
							"%s: memo and engine "
							"disagree on "
							"placements %u -> %u, "
							"flow %zu\n",
							what, a, b, f);
					sim_result_free(&r);
				}
	uint64_t asked, evaluated;
	reach_memo_stats(mm, &asked, &evaluated);
	*saved += asked - evaluated;
	reach_memo_free(mm);
	reach_index_free(ix);
	sim_free(s);
	return bad;
}

START_TEST(test_memo_scenarios)
{
	const char *pats[] = {"scenarios/*.yaml", "tests/cfn/*.yaml",
			      "tests/tfplan/*.json"};
	int bad = 0;
	uint64_t saved = 0;
	size_t n_models = 0;
	for (size_t k = 0; k < ARRAY_LEN(pats); k++) {
		glob_t g;
		if (glob(pats[k], 0, NULL, &g))
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			struct diag_list d = DIAG_LIST_INIT;
			struct model *m;
			if (model_load_file(&m, g.gl_pathv[i], &d) == 0) {
				bad += check_memo(m, g.gl_pathv[i], &saved);
				n_models++;
			}
			model_free(m);
			diag_list_free(&d);
		}
		globfree(&g);
	}
	ck_assert_uint_ge(n_models, 40);
	ck_assert_int_eq(bad, 0);
	/* The second pass alone is answered from the memo. */
	ck_assert_uint_gt(saved, 0);
}
END_TEST

/* Two members of one class, one with an unknown value of its own: its
 * verdicts name it, the other's do not, so the memo must not hand one's
 * answer to the other. */
START_TEST(test_memo_own_unknowns)
{
	static const char text[] =
	    "vpcs: {v: {cidr: 10.0.0.0/16}}\n"
	    "subnets: {s: {vpc: v, cidr: 10.0.0.0/24, az: a}}\n"
	    "security_groups:\n"
	    "  g: {vpc: v, ingress: [{protocol: tcp, ports: 22, from: g}]}\n"
	    "instances:\n"
	    "  a: {subnet: s, security_groups: [g]}\n"
	    "  b: {subnet: s, security_groups: [g]}\n"
	    "  c: {subnet: s, security_groups: [g]}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m;
	ck_assert_int_eq(
	    model_load_buffer(&m, "own.yaml", text, strlen(text), &d), 0);
	diag_list_free(&d);
	const struct model_obj *o = model_find(m, "b");
	ck_assert_ptr_nonnull(o);
	model_add_unknown(m, model_object(m, o->kind, o->index),
			  "PrivateIpAddress: known only after deployment");
	struct sim *s;
	struct reach_index *ix;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	/* One class: the unknown is no part of the class key. */
	ck_assert_uint_eq(reach_index_classes(ix), 1);
	reach_index_free(ix);
	sim_free(s);
	uint64_t saved = 0;
	ck_assert_int_eq(check_memo(m, "own.yaml", &saved), 0);
	model_free(m);
}
END_TEST

START_TEST(test_memo_random)
{
	int bad = 0;
	uint64_t saved = 0;
	for (uint64_t seed = 1; seed <= 200 && !bad; seed++) {
		char *text = random_model(seed);
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m;
		ck_assert_int_eq(model_load_buffer(&m, "random.yaml", text,
						   strlen(text), &d),
				 0);
		bad += check_memo(m, "random", &saved);
		if (bad)
			fprintf(stderr, "seed %llu:\n%s\n",
				(unsigned long long)seed, text);
		model_free(m);
		diag_list_free(&d);
		free(text);
	}
	ck_assert_int_eq(bad, 0);
	ck_assert_uint_gt(saved, 0);
}
END_TEST

START_TEST(test_classes6_scenarios)
{
	glob_t g;
	ck_assert_int_eq(glob("scenarios/ipv6-*.yaml", 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 2);
	int bad = 0;
	for (size_t i = 0; i < g.gl_pathc; i++)
		bad += check_classes6(g.gl_pathv[i]);
	globfree(&g);
	ck_assert_int_eq(bad, 0);
}
END_TEST

START_TEST(test_classes_random)
{
	int bad = 0;
	for (uint64_t seed = 1; seed <= 300 && !bad; seed++)
		bad += check_random(seed);
	ck_assert_int_eq(bad, 0);
}
END_TEST

START_TEST(test_ports_random)
{
	int bad = 0;
	for (uint64_t seed = 1000; seed < 1060 && !bad; seed++) {
		char *text = random_model(seed);
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m;
		ck_assert_int_eq(
		    model_load_buffer(&m, "r.yaml", text, strlen(text), &d), 0);
		diag_list_free(&d);
		bad += check_model_ports(m, "random");
		if (bad)
			fprintf(stderr, "seed %llu\n%s\n",
				(unsigned long long)seed, text);
		model_free(m);
		free(text);
	}
	ck_assert_int_eq(bad, 0);
}
END_TEST

/* ---- load-balancer forwards: the graph against the engine ------------ */

/* The ports per vertex of a load balancer's expected edges: tcp, udp. */
struct fwd_ports {
	struct ports p[2];
	bool edge; /* the graph has an edge there */
};

/* Every forward of load balancer l that serves its default client, as
 * expected edge ports by target vertex (sim_lb_forwards and
 * sim_forward_check, every listener and node). */
static void engine_forwards(const struct sim *s, const struct graph *g,
			    uint32_t l, struct fwd_ports *ex)
{
	const struct model *m = sim_model(s);
	struct sim_fwds fw = {0};
	uint32_t nn;
	const struct model_placement *nodes =
	    model_placements(m, MK_LOAD_BALANCER, l, &nn);
	for (uint32_t li = 0; li < m->lbs[l].n_listeners; li++)
		for (uint32_t n = 0; n < nn; n++)
			sim_lb_forwards(m, l, li,
					(uint32_t)(&nodes[n] - m->placements),
					&fw);
	for (uint32_t i = 0; i < fw.n; i++) {
		const struct sim_fwd *f = &fw.v[i];
		if (f->target.placement == MODEL_NONE)
			continue;
		struct sim_fwd_check ck;
		sim_forward_check(s, f, sim_lb_default_client(m, l), &ck, NULL);
		const struct model_placement *q =
		    &m->placements[f->target.placement];
		struct reach_node x = {
		    .kind = RN_RESOURCE, .rkind = q->kind, .rindex = q->index};
		uint32_t v = graph_vertex(g, &x);
		if (ck.works && v != UINT32_MAX)
			ports_add(&ex[v].p[f->traffic.proto == PROTO_UDP],
				  f->traffic.port, f->traffic.port);
		sim_result_free(&ck.res);
	}
	sim_fwds_free(&fw);
}

/* The internet's connection to each node counts the node's forwards as
 * sim_lb_forwards lists them, and serves on those that work for it. */
static int check_forward_counts(const struct sim *s, uint32_t l,
				const char *what)
{
	const struct model *m = sim_model(s);
	const struct model_load_balancer *lb = &m->lbs[l];
	const uint32_t client = SIM_INTERNET_ADDR;
	uint32_t nn;
	int bad = 0;
	const struct model_placement *nodes =
	    model_placements(m, MK_LOAD_BALANCER, l, &nn);
	for (uint32_t li = 0; li < lb->n_listeners; li++)
		for (uint32_t n = 0; n < nn; n++) {
			uint32_t node = (uint32_t)(&nodes[n] - m->placements);
			struct sim_fwds fw = {0};
			uint32_t ok = 0;
			sim_lb_forwards(m, l, li, node, &fw);
			for (uint32_t i = 0; i < fw.n; i++) {
				struct sim_fwd_check ck;
				sim_forward_check(s, &fw.v[i], &client, &ck,
						  NULL);
				ok += ck.works;
				sim_result_free(&ck.res);
			}
			struct sim_ep src = {.kind = EP_INTERNET,
					     .addr = client};
			struct sim_ep dst = {.kind = EP_PLACEMENT,
					     .placement = node};
			struct sim_flow fl = {
			    lb->listeners[li].protocol == LBP_UDP ? PROTO_UDP
								  : PROTO_TCP,
			    lb->listeners[li].port};
			struct sim_result r;
			sim_connect(s, &src, &dst, fl, &r, NULL);
			if (r.reachable &&
			    (r.fwd.paths != fw.n || r.fwd.paths_ok != ok)) {
				fprintf(stderr,
					"%s: %s listener %u node %u: the "
					"connection counts %u paths (%u work), "
					"the engine lists %u (%u work)\n",
					what, lb->obj.id, fl.port, n,
					r.fwd.paths, r.fwd.paths_ok, fw.n, ok);
				bad = 1;
			}
			sim_result_free(&r);
			sim_fwds_free(&fw);
		}
	return bad;
}

/*
 * The consistency of forwarding (§8): every edge of the graph from a load
 * balancer is a forward the engine makes and serves, on exactly the
 * edge's ports, and every such forward is an edge; every edge from a load
 * balancer is marked a forward.  Plus check_forward_counts.
 */
static int check_forward_edges(const struct model *m, const char *what)
{
	struct sim *s;
	struct reach_index *ix;
	struct graph *g;
	int bad = 0;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	ck_assert_int_eq(graph_build(&g, ix, NULL), 0);
	struct fwd_ports *ex = calloc(g->n_nodes + 1, sizeof(*ex));
	for (uint32_t l = 0; l < m->n[MK_LOAD_BALANCER] && !bad; l++) {
		struct reach_node ln = {.kind = RN_RESOURCE,
					.rkind = MK_LOAD_BALANCER,
					.rindex = l};
		uint32_t a = graph_vertex(g, &ln);
		if (a == UINT32_MAX)
			continue;
		engine_forwards(s, g, l, ex);
		for (uint32_t e = 0; e < g->n_edges; e++) {
			const struct graph_edge *x = &g->edges[e];
			if (x->from != a)
				continue;
			ex[x->to].edge = true;
			if (!x->forward ||
			    !ports_equal(&x->tcp_some, &ex[x->to].p[0]) ||
			    !ports_equal(&x->udp_some, &ex[x->to].p[1])) {
				char got[64], want[64];
				ports_format(got, sizeof(got), &x->tcp_some);
				ports_format(want, sizeof(want),
					     &ex[x->to].p[0]);
				fprintf(stderr,
					"%s: edge %s -> %s: tcp %s, the "
					"engine forwards on tcp %s\n",
					what, m->lbs[l].obj.id,
					reach_node_name(s, &g->nodes[x->to]),
					got, want);
				bad = 1;
			}
		}
		for (uint32_t v = 0; v < g->n_nodes; v++) {
			if (!ex[v].edge && (!ports_empty(&ex[v].p[0]) ||
					    !ports_empty(&ex[v].p[1]))) {
				fprintf(stderr,
					"%s: %s forwards to %s, and the graph "
					"has no edge\n",
					what, m->lbs[l].obj.id,
					reach_node_name(s, &g->nodes[v]));
				bad = 1;
			}
			ports_free(&ex[v].p[0]);
			ports_free(&ex[v].p[1]);
			ex[v].edge = false;
		}
		bad |= check_forward_counts(s, l, what);
	}
	free(ex);
	graph_free(g);
	reach_index_free(ix);
	sim_free(s);
	return bad;
}

START_TEST(test_forward_edges_scenarios)
{
	glob_t gl;
	ck_assert_int_eq(glob("scenarios/*.yaml", 0, NULL, &gl), 0);
	int bad = 0, lbs = 0;
	for (size_t i = 0; i < gl.gl_pathc; i++) {
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m;
		ck_assert_msg(model_load_file(&m, gl.gl_pathv[i], &d) == 0,
			      "%s does not load", gl.gl_pathv[i]);
		diag_list_free(&d);
		lbs += m->n[MK_LOAD_BALANCER] > 0;
		bad += check_forward_edges(m, gl.gl_pathv[i]);
		model_free(m);
	}
	globfree(&gl);
	ck_assert_int_eq(bad, 0);
	ck_assert_int_ge(lbs, 20);
}
END_TEST

START_TEST(test_forward_edges_random)
{
	int bad = 0, edges = 0;
	for (uint64_t seed = 5000; seed < 6000 && !bad; seed++) {
		char *text = random_model(seed);
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m;
		ck_assert_int_eq(
		    model_load_buffer(&m, "r.yaml", text, strlen(text), &d), 0);
		diag_list_free(&d);
		bad += check_forward_edges(m, "random");
		if (bad)
			fprintf(stderr, "seed %llu\n%s\n",
				(unsigned long long)seed, text);
		edges += m->n[MK_LOAD_BALANCER];
		model_free(m);
		free(text);
	}
	ck_assert_int_eq(bad, 0);
	ck_assert_int_eq(edges, 1000);
}
END_TEST

/* The canonical scenario's exposure map, checked by hand: the internet
 * reaches the ALB on 80 and 443 from anywhere and nothing else. */
START_TEST(test_exposure_three_tier)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m;
	ck_assert_int_eq(model_load_file(&m, "scenarios/three-tier.yaml", &d),
			 0);
	diag_list_free(&d);
	struct sim *s;
	struct reach_index *ix;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	/* nat-a, nat-b, two ALB nodes, two tasks, db, replica. */
	ck_assert_uint_eq(reach_index_classes(ix), 8);
	struct sim_sel inet = {.kind = SEL_INTERNET, .addr = SIM_INTERNET_ADDR};
	struct reach_table t;
	reach_from(&t, ix, &inet, PROTO_TCP, false);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_str_eq(reach_node_name(s, &t.rows[0].dst), "alb");
	char buf[64];
	ports_format(buf, sizeof(buf), &t.rows[0].all);
	ck_assert_str_eq(buf, "80,443");
	ck_assert(t.rows[0].any_source);
	reach_table_free(&t);

	struct sim_sel db;
	char err[256];
	ck_assert_int_eq(sim_sel_parse(&db, s, "db", err, sizeof(err)), 0);
	reach_to(&t, ix, &db, PROTO_TCP, false);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_str_eq(reach_node_name(s, &t.rows[0].src), "web");
	ports_format(buf, sizeof(buf), &t.rows[0].all);
	ck_assert_str_eq(buf, "3306");
	reach_table_free(&t);
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
}
END_TEST

/* Chains (semantics §13), checked by hand: on the canonical scenario the
 * database is three hops from the internet, through the load balancer
 * (which forwards by itself) and the tasks (a foothold); with the
 * database exposed it is one hop. */
static void chain_names(const struct graph *g, const struct graph_chain *c,
			char *buf, size_t size)
{
	size_t off = 0;
	for (uint32_t k = 0; k <= c->hops && off < size; k++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s",
					k ? " -> " : "",
					reach_node_name(g->s, &c->v[k]));
}

static uint32_t chains_of(const char *file, const char *to, uint32_t hops,
			  char *first, size_t size, bool *forward_hop)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m;
	ck_assert_int_eq(model_load_file(&m, file, &d), 0);
	diag_list_free(&d);
	struct sim *s;
	struct reach_index *ix;
	struct graph *g;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	ck_assert_int_eq(graph_build(&g, ix, NULL), 0);
	struct reach_node inet = {.kind = RN_INTERNET};
	const struct model_obj *o = model_find(m, to);
	struct reach_node dst = {
	    .kind = RN_RESOURCE, .rkind = o->kind, .rindex = o->index};
	struct graph_chains c;
	uint64_t steps = GRAPH_CHAIN_STEPS;
	ck_assert_int_eq(graph_chains(&c, g, &inet, &dst, hops,
				      GRAPH_CHAINS_MAX_LIMIT, NULL, &steps),
			 0);
	ck_assert_uint_eq(c.more, 0);
	uint32_t n = c.n;
	first[0] = '\0';
	if (n) {
		chain_names(g, &c.v[0], first, size);
		*forward_hop = c.v[0].hops > 1 && g->edges[c.v[0].e[1]].forward;
	}
	graph_chains_free(&c);
	graph_free(g);
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
	return n;
}

START_TEST(test_chains)
{
	char first[256];
	bool fwd = false;
	ck_assert_uint_eq(chains_of("scenarios/three-tier.yaml", "db", 2, first,
				    sizeof(first), &fwd),
			  0);
	ck_assert_uint_eq(chains_of("scenarios/three-tier.yaml", "db", 3, first,
				    sizeof(first), &fwd),
			  1);
	ck_assert_str_eq(first, "internet -> alb -> web -> db");
	ck_assert(fwd); /* alb -> web is the load balancer's own forward */
	ck_assert_uint_ge(chains_of("scenarios/db-public-open.yaml", "db", 3,
				    first, sizeof(first), &fwd),
			  1);
	ck_assert_str_eq(first, "internet -> db");
	/* The tasks behind the ALB are two hops away, not one. */
	ck_assert_uint_eq(chains_of("scenarios/three-tier.yaml", "web", 1,
				    first, sizeof(first), &fwd),
			  0);
	ck_assert_uint_eq(chains_of("scenarios/three-tier.yaml", "web", 2,
				    first, sizeof(first), &fwd),
			  1);
	ck_assert_str_eq(first, "internet -> alb -> web");
	ck_assert_uint_eq(chains_of("scenarios/tasks-public.yaml", "web", 1,
				    first, sizeof(first), &fwd),
			  1);
}
END_TEST

/* ---- the graph of groups against the resource graph -------------------- */

/*
 * The oracle: the resource graph as vpcsim built it before groups, one
 * vertex per resource and an estate-wide reach_from per source resource
 * (reach_forwards for a load balancer), edges in the order of those
 * tables, tcp rows before udp-only ones.
 */
struct ograph {
	const struct sim *s;
	struct reach_node *nodes;
	uint32_t n_nodes;
	struct graph_edge *edges; /* grouped by source */
	uint32_t n_edges, cap;
	uint32_t *out_first; /* n_nodes + 1 bounds into edges */
};

static uint32_t o_vertex(const struct ograph *o, const struct reach_node *n)
{
	for (uint32_t v = 0; v < o->n_nodes; v++) {
		const struct reach_node *x = &o->nodes[v];
		if (x->kind != n->kind)
			continue;
		if (x->kind == RN_INTERNET ||
		    (x->kind == RN_SERVICE && x->service == n->service) ||
		    (x->kind == RN_RESOURCE && x->rkind == n->rkind &&
		     x->rindex == n->rindex))
			return v;
	}
	return UINT32_MAX;
}

static void o_rows(struct ograph *o, uint32_t from, const struct reach_table *t,
		   enum proto proto, bool forward)
{
	for (uint32_t i = 0; i < t->n; i++) {
		const struct reach_row *r = &t->rows[i];
		uint32_t to = o_vertex(o, &r->dst);
		if (to == UINT32_MAX || to == from)
			continue;
		struct graph_edge *e = NULL;
		for (uint32_t k = o->n_edges;
		     k-- > 0 && o->edges[k].from == from;)
			if (o->edges[k].to == to)
				e = &o->edges[k];
		if (!e) {
			if (o->n_edges == o->cap) {
				o->cap = o->cap ? 2 * o->cap : 64;
				o->edges = realloc(o->edges,
						   o->cap * sizeof(*o->edges));
			}
			e = &o->edges[o->n_edges++];
			memset(e, 0, sizeof(*e));
			e->from = from;
			e->to = to;
		}
		struct ports *all =
		    proto == PROTO_TCP ? &e->tcp_all : &e->udp_all;
		struct ports *some =
		    proto == PROTO_TCP ? &e->tcp_some : &e->udp_some;
		ports_union(all, all, &r->all);
		ports_union(some, some, &r->some);
		e->degraded |= r->degraded;
		e->forward = forward;
	}
}

static void o_build(struct ograph *o, const struct reach_index *ix)
{
	static const enum sim_service svcs[] = {SVC_ECR, SVC_S3, SVC_LOGS};
	const struct sim *s = reach_index_sim(ix);
	const struct model *m = sim_model(s);
	memset(o, 0, sizeof(*o));
	o->s = s;
	uint32_t cap = 4;
	for (int k = 0; k < MK_KIND_COUNT; k++)
		cap += m->n[k];
	o->nodes = calloc(cap, sizeof(*o->nodes));
	o->nodes[o->n_nodes++] = (struct reach_node){.kind = RN_INTERNET};
	for (size_t i = 0; i < 3; i++)
		o->nodes[o->n_nodes++] =
		    (struct reach_node){.kind = RN_SERVICE, .service = svcs[i]};
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++) {
			uint32_t np;
			model_placements(m, k, i, &np);
			if (np)
				o->nodes[o->n_nodes++] =
				    (struct reach_node){.kind = RN_RESOURCE,
							.rkind = k,
							.rindex = i};
		}
	static const enum proto protos[] = {PROTO_TCP, PROTO_UDP};
	for (uint32_t v = 0; v < o->n_nodes; v++) {
		const struct reach_node *n = &o->nodes[v];
		if (n->kind == RN_SERVICE ||
		    (n->kind == RN_RESOURCE && (n->rkind == MK_NAT_GATEWAY ||
						n->rkind == MK_VPC_ENDPOINT)))
			continue;
		struct sim_sel sel = {0};
		if (n->kind == RN_INTERNET) {
			sel.kind = SEL_INTERNET;
			sel.addr = SIM_INTERNET_ADDR;
		} else {
			sel.kind = SEL_RESOURCE;
			sel.rkind = n->rkind;
			sel.rindex = n->rindex;
		}
		bool lb =
		    n->kind == RN_RESOURCE && n->rkind == MK_LOAD_BALANCER;
		for (size_t p = 0; p < 2; p++) {
			struct reach_table t;
			if (lb)
				reach_forwards(&t, ix, n->rindex, protos[p]);
			else
				reach_from(&t, ix, &sel, protos[p], false);
			o_rows(o, v, &t, protos[p], lb);
			reach_table_free(&t);
		}
		/* The internet over IPv6 (§2) joins the internet's edges,
		 * where anything has an IPv6 address it may reach. */
		bool any6 = false;
		for (uint32_t i = 0; i < m->n_placements_total && !any6; i++)
			any6 = m->placements[i].has_ipv6 &&
			       m->placements[i].ipv6_public;
		if (n->kind == RN_INTERNET && any6) {
			uint32_t first = 0;
			while (first < o->n_edges && o->edges[first].from != v)
				first++;
			sel.v6 = true;
			memcpy(sel.addr6, sim_internet6, 16);
			for (size_t p = 0; p < 2; p++) {
				struct reach_table t;
				reach_from(&t, ix, &sel, protos[p], false);
				o_rows(o, v, &t, protos[p], false);
				reach_table_free(&t);
			}
			/* Destinations only IPv6 reaches came last: the
			 * view's order is reach_from's rows (all of them,
			 * with keep_empty). */
			uint32_t *rank =
			    calloc(o->n_nodes + 1, sizeof(uint32_t));
			struct reach_table t;
			sel.v6 = false;
			reach_from(&t, ix, &sel, PROTO_TCP, true);
			for (uint32_t i = 0; i < t.n; i++) {
				uint32_t to = o_vertex(o, &t.rows[i].dst);
				if (to != UINT32_MAX && !rank[to])
					rank[to] = i + 1;
			}
			reach_table_free(&t);
			for (uint32_t i = first + 1; i < o->n_edges; i++)
				for (uint32_t k = i;
				     k > first && rank[o->edges[k - 1].to] >
						      rank[o->edges[k].to];
				     k--) {
					struct graph_edge x = o->edges[k];
					o->edges[k] = o->edges[k - 1];
					o->edges[k - 1] = x;
				}
			free(rank);
		}
	}
	o->out_first = calloc(o->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t e = 0; e < o->n_edges; e++)
		o->out_first[o->edges[e].from + 1]++;
	for (uint32_t v = 0; v < o->n_nodes; v++)
		o->out_first[v + 1] += o->out_first[v];
}

static void o_free(struct ograph *o)
{
	for (uint32_t e = 0; e < o->n_edges; e++) {
		ports_free(&o->edges[e].tcp_all);
		ports_free(&o->edges[e].tcp_some);
		ports_free(&o->edges[e].udp_all);
		ports_free(&o->edges[e].udp_some);
	}
	free(o->edges);
	free(o->nodes);
	free(o->out_first);
}

static bool same_edge(const struct graph_edge *a, const struct graph_edge *b)
{
	return a->from == b->from && a->to == b->to &&
	       ports_equal(&a->tcp_all, &b->tcp_all) &&
	       ports_equal(&a->tcp_some, &b->tcp_some) &&
	       ports_equal(&a->udp_all, &b->udp_all) &&
	       ports_equal(&a->udp_some, &b->udp_some) &&
	       a->degraded == b->degraded && a->forward == b->forward;
}

/* The endpoint view is the oracle's graph: nodes and edges, in order. */
static int check_endpoint_view(const struct ograph *o, const struct graph *g,
			       const char *what)
{
	struct graph_view *v;
	char err[128];
	ck_assert_int_eq(graph_view_new(&v, g, GRAPH_ENDPOINTS, NULL,
					UINT64_MAX, err, sizeof(err)),
			 0);
	int bad = 0;
	if (v->n_nodes != o->n_nodes || v->n_edges != o->n_edges) {
		fprintf(stderr, "%s: %u nodes, %u edges; the oracle %u, %u\n",
			what, v->n_nodes, v->n_edges, o->n_nodes, o->n_edges);
		bad = 1;
	}
	for (uint32_t i = 0; !bad && i < v->n_nodes; i++)
		if (o_vertex(o, &v->nodes[i].n) != i) {
			fprintf(stderr, "%s: node %u is %s\n", what, i,
				graph_view_node_name(v, i));
			bad = 1;
		}
	for (uint32_t e = 0; !bad && e < v->n_edges; e++)
		if (!same_edge(&v->edges[e], &o->edges[e]) ||
		    graph_view_edge(v, v->edges[e].from, v->edges[e].to,
				    v->edges[e].forward) != &v->edges[e]) {
			char a[128], b[128];
			graph_edge_label(a, sizeof(a), &v->edges[e]);
			graph_edge_label(b, sizeof(b), &o->edges[e]);
			fprintf(stderr,
				"%s: edge %u: %s -> %s (%s), the oracle "
				"%s -> %s (%s)\n",
				what, e,
				graph_view_node_name(v, v->edges[e].from),
				graph_view_node_name(v, v->edges[e].to), a,
				graph_view_node_name(v, o->edges[e].from),
				graph_view_node_name(v, o->edges[e].to), b);
			bad = 1;
		}
	graph_view_free(v);
	return bad;
}

/* ---- views: aggregates are unions of their members' edges --------------- */

/* The nodes of view v that hold endpoint node x of view e: its group, its
 * subnets' or VPCs' nodes, or itself for the internet and services. */
static uint32_t holders(const struct graph_view *v, const struct graph_view *e,
			uint32_t x, uint32_t *out)
{
	const struct reach_node *n = &e->nodes[x].n;
	if (n->kind != RN_RESOURCE) {
		out[0] = x; /* the four fixed nodes are the same */
		return 1;
	}
	uint32_t k = 0;
	for (uint32_t i = 4; i < v->n_nodes; i++) {
		const struct graph_view_node *a = &v->nodes[i];
		for (uint32_t j = 0; j < a->count; j++) {
			const struct reach_node *m = &v->members[a->first + j];
			if (m->rkind == n->rkind && m->rindex == n->rindex) {
				out[k++] = i;
				break;
			}
		}
	}
	return k;
}

/*
 * Every level's view against the endpoint view: an edge A -> B (forward
 * or not) exists exactly when some endpoint edge x -> y does with x held
 * by A and y by B, and its some is the union of theirs, its all the
 * intersection, degraded any of theirs; the same for the edges of one
 * source (from).  Sizes are what graph_view_size says.
 */
static int check_views(const struct graph *g, const struct reach_node *from,
		       const char *what)
{
	struct graph_view *e;
	char err[128];
	ck_assert_int_eq(graph_view_new(&e, g, GRAPH_ENDPOINTS, from,
					UINT64_MAX, err, sizeof(err)),
			 0);
	int bad = 0;
	for (int d = GRAPH_GROUPS; d < GRAPH_DETAILS && !bad; d++) {
		struct graph_view *v;
		ck_assert_int_eq(graph_view_new(&v, g, d, from, UINT64_MAX, err,
						sizeof(err)),
				 0);
		if (!from && (d == GRAPH_SUBNETS || d == GRAPH_VPCS))
			bad |= graph_view_size(g, d) !=
			       (uint64_t)v->n_nodes + v->n_edges;
		/* The expected edges, as a dense table by (A, B, forward). */
		uint32_t n = v->n_nodes;
		struct graph_edge *want = calloc(2 * n * n + 1, sizeof(*want));
		bool *has = calloc(2 * n * n + 1, sizeof(bool));
		uint32_t *ha = calloc(e->n_nodes + 1, sizeof(uint32_t));
		uint32_t *hb = calloc(e->n_nodes + 1, sizeof(uint32_t));
		for (uint32_t k = 0; k < e->n_edges; k++) {
			const struct graph_edge *x = &e->edges[k];
			uint32_t na = holders(v, e, x->from, ha);
			uint32_t nb = holders(v, e, x->to, hb);
			for (uint32_t i = 0; i < na; i++)
				for (uint32_t j = 0; j < nb; j++) {
					size_t at =
					    ((size_t)ha[i] * n + hb[j]) * 2 +
					    x->forward;
					struct graph_edge *w = &want[at];
					if (!has[at]) {
						has[at] = true;
						ports_copy(&w->tcp_all,
							   &x->tcp_all);
						ports_copy(&w->udp_all,
							   &x->udp_all);
					}
					ports_intersect(&w->tcp_all,
							&w->tcp_all,
							&x->tcp_all);
					ports_intersect(&w->udp_all,
							&w->udp_all,
							&x->udp_all);
					ports_union(&w->tcp_some, &w->tcp_some,
						    &x->tcp_some);
					ports_union(&w->udp_some, &w->udp_some,
						    &x->udp_some);
					w->degraded |= x->degraded;
				}
		}
		uint32_t expected = 0;
		for (size_t at = 0; at < 2 * (size_t)n * n; at++)
			expected += has[at];
		if (expected != v->n_edges) {
			fprintf(stderr, "%s: %s: %u edges, %u expected\n", what,
				graph_details[d].name, v->n_edges, expected);
			bad = 1;
		}
		for (uint32_t k = 0; k < v->n_edges && !bad; k++) {
			const struct graph_edge *x = &v->edges[k];
			size_t at =
			    ((size_t)x->from * n + x->to) * 2 + x->forward;
			const struct graph_edge *w = &want[at];
			if (!has[at] ||
			    graph_view_edge(v, x->from, x->to, x->forward) !=
				x ||
			    !ports_equal(&x->tcp_all, &w->tcp_all) ||
			    !ports_equal(&x->tcp_some, &w->tcp_some) ||
			    !ports_equal(&x->udp_all, &w->udp_all) ||
			    !ports_equal(&x->udp_some, &w->udp_some) ||
			    x->degraded != w->degraded) {
				fprintf(stderr, "%s: %s: edge %s -> %s\n", what,
					graph_details[d].name,
					graph_view_node_name(v, x->from),
					graph_view_node_name(v, x->to));
				bad = 1;
			}
		}
		for (size_t at = 0; at < 2 * (size_t)n * n; at++) {
			ports_free(&want[at].tcp_all);
			ports_free(&want[at].tcp_some);
			ports_free(&want[at].udp_all);
			ports_free(&want[at].udp_some);
		}
		free(want);
		free(has);
		free(ha);
		free(hb);
		graph_view_free(v);
	}
	graph_view_free(e);
	return bad;
}

/* Views of a model: every edge, the internet's, and each resource's. */
static int check_model_views(const struct graph *g, const char *what)
{
	struct reach_node inet = {.kind = RN_INTERNET};
	int bad = check_views(g, NULL, what) || check_views(g, &inet, what);
	for (uint32_t k = 0; k < g->n_members && !bad; k++)
		bad = check_views(g, &g->members[k], what);
	return bad;
}

/* ---- chains against every simple path ----------------------------------- */

/* What the oracle's chains may use (as struct graph_filter). */
struct ofilter {
	const bool *avoid_res; /* by oracle vertex, or NULL */
	bool (*hop_ok)(const struct graph_edge *e, void *ctx);
	bool (*last_ok)(const struct graph_edge *e, void *ctx);
};

/* Every chain a -> b of at most max hops: simple paths whose
 * intermediates are resources, as igraph listed them, sorted by hops and
 * names.  Each path is its vertices then its edges, in paths. */
struct opaths {
	uint32_t (*v)[2 * GRAPH_MAX_HOPS + 2]; /* hops, vertices, edges */
	uint32_t n, cap;
};

static const struct ograph *osort; /* qsort context */

static int opath_cmp(const void *x, const void *y)
{
	const uint32_t *a = x, *b = y;
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	for (uint32_t k = 0; k <= a[0]; k++) {
		int c =
		    strcmp(reach_node_name(osort->s, &osort->nodes[a[1 + k]]),
			   reach_node_name(osort->s, &osort->nodes[b[1 + k]]));
		if (c)
			return c;
	}
	return 0;
}

static void o_dfs(const struct ograph *o, const struct ofilter *f,
		  uint32_t *path, uint32_t *edges, uint32_t depth, uint32_t b,
		  uint32_t max, struct opaths *out)
{
	uint32_t u = path[depth];
	for (uint32_t e = o->out_first[u]; e < o->out_first[u + 1]; e++) {
		const struct graph_edge *x = &o->edges[e];
		uint32_t w = x->to;
		bool on = false;
		for (uint32_t k = 0; k <= depth && !on; k++)
			on = path[k] == w;
		if (on)
			continue;
		if (w == b) {
			if (f && f->last_ok && !f->last_ok(x, NULL))
				continue;
			ck_assert_uint_lt(out->n, 500000);
			if (out->n == out->cap) {
				out->cap = out->cap ? 2 * out->cap : 64;
				out->v =
				    realloc(out->v, out->cap * sizeof(*out->v));
			}
			uint32_t *p = out->v[out->n++];
			p[0] = depth + 1;
			for (uint32_t k = 0; k <= depth; k++)
				p[1 + k] = path[k];
			p[2 + depth] = b;
			for (uint32_t k = 0; k < depth; k++)
				p[3 + depth + k] = edges[k];
			p[3 + 2 * depth] = e;
			continue;
		}
		if (depth + 2 > max || o->nodes[w].kind != RN_RESOURCE ||
		    (f && f->avoid_res && f->avoid_res[w]) ||
		    (f && f->hop_ok && !f->hop_ok(x, NULL)))
			continue;
		path[depth + 1] = w;
		edges[depth] = e;
		o_dfs(o, f, path, edges, depth + 1, b, max, out);
	}
}

static void o_chains(const struct ograph *o, const struct ofilter *f,
		     uint32_t a, uint32_t b, uint32_t max, struct opaths *out)
{
	uint32_t path[GRAPH_MAX_HOPS + 2], edges[GRAPH_MAX_HOPS + 1];
	memset(out, 0, sizeof(*out));
	if (a == b)
		return;
	path[0] = a;
	o_dfs(o, f, path, edges, 0, b, max, out);
	osort = o;
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), opath_cmp);
}

/* One question: the graph's chains of at most hops hops are the
 * oracle's (want, every chain of the largest hops asked, sorted) first
 * `limit`, the rest counted. */
static int check_question(const struct ograph *o, const struct graph *g,
			  const struct graph_filter *gf,
			  const struct opaths *all, uint32_t a, uint32_t b,
			  uint32_t hops, uint32_t limit, const char *what)
{
	/* Sorted by hops: those of at most hops hops come first. */
	struct opaths want = *all;
	while (want.n && want.v[want.n - 1][0] > hops)
		want.n--;
	struct graph_chains got;
	uint64_t steps = GRAPH_CHAIN_STEPS;
	ck_assert_int_eq(graph_chains(&got, g, &o->nodes[a], &o->nodes[b], hops,
				      limit, gf, &steps),
			 0);
	uint32_t listed = want.n < limit ? want.n : limit;
	int bad = got.n != listed || got.more != want.n - listed ||
		  !got.more_exact ||
		  got.shortest != (want.n ? want.v[0][0] : 0);
	for (uint32_t i = 0; !bad && i < got.n; i++) {
		const uint32_t *p = want.v[i];
		const struct graph_chain *c = &got.v[i];
		bad = c->hops != p[0];
		for (uint32_t k = 0; !bad && k <= c->hops; k++)
			bad = o_vertex(o, &c->v[k]) != p[1 + k];
		for (uint32_t k = 0; !bad && k < c->hops; k++) {
			/* The group edge carries the resource edge's ports. */
			const struct graph_edge *x = &g->edges[c->e[k]];
			const struct graph_edge *y = &o->edges[p[2 + p[0] + k]];
			bad = !ports_equal(&x->tcp_some, &y->tcp_some) ||
			      !ports_equal(&x->tcp_all, &y->tcp_all) ||
			      !ports_equal(&x->udp_some, &y->udp_some) ||
			      x->forward != y->forward;
		}
	}
	uint32_t sh =
	    graph_chain_shortest(g, &o->nodes[a], &o->nodes[b], hops, gf);
	bad |= sh != (want.n ? want.v[0][0] : 0);
	if (bad)
		fprintf(stderr,
			"%s: %s -> %s, %u hops, limit %u: %u chains and %llu "
			"more (%s), shortest %u; the oracle %u chains\n",
			what, reach_node_name(o->s, &o->nodes[a]),
			reach_node_name(o->s, &o->nodes[b]), hops, limit, got.n,
			(unsigned long long)got.more,
			got.more_exact ? "exact" : "at least", sh, want.n);
	graph_chains_free(&got);
	return bad;
}

/* Filters of the second pass: via nodes avoided, the last hop on ssh or
 * https, the others from every placement pair. */
static bool ssh_or_https(const struct graph_edge *e, void *ctx)
{
	(void)ctx;
	return ports_meets(&e->tcp_some, 22, 22) ||
	       ports_meets(&e->tcp_some, 443, 443);
}

static bool every_pair(const struct graph_edge *e, void *ctx)
{
	(void)ctx;
	return !ports_empty(&e->tcp_all) || !ports_empty(&e->udp_all);
}

/*
 * A model's graph against the oracle: the endpoint view is the resource
 * graph, and chains from the internet and a few resources to every node,
 * at 1 to max_hops hops and three limits, with and without filters, are
 * the oracle's simple paths, in order, and counted.  A scoped graph
 * (graph_chain_scope) gives the same chains as the whole one.
 */
static int check_graph_model(const struct model *m, uint32_t max_hops,
			     uint32_t max_sources, uint64_t seed,
			     const char *what)
{
	struct sim *s;
	struct reach_index *ix;
	struct graph *g;
	struct ograph o;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	ck_assert_int_eq(graph_build(&g, ix, NULL), 0);
	o_build(&o, ix);
	int bad =
	    check_endpoint_view(&o, g, what) || check_model_views(g, what);
	/* The filter: every third resource avoided. */
	struct graph_filter gf;
	graph_filter_init(&gf, g);
	bool *avoid = calloc(o.n_nodes + 1, sizeof(bool));
	rng = seed * 7919 + 17;
	for (uint32_t v = 4; v < o.n_nodes; v++) {
		avoid[v] = rnd(3) == 0;
		gf.avoid[graph_member_index(g, &o.nodes[v])] = avoid[v];
	}
	graph_filter_ready(&gf, g);
	gf.hop_ok = every_pair;
	gf.last_ok = ssh_or_https;
	struct ofilter of = {avoid, every_pair, ssh_or_https};
	bool *scope = calloc(m->n[MK_VPC] + 1, sizeof(bool));
	uint32_t sources = 0;
	static const uint32_t limits[] = {1, 3, 1000};
	for (uint32_t a = 0; a < o.n_nodes && !bad && sources < max_sources;
	     a++) {
		if (o.nodes[a].kind == RN_SERVICE)
			continue;
		sources++;
		for (uint32_t b = 0; b < o.n_nodes && !bad; b++) {
			struct opaths all, some;
			o_chains(&o, NULL, a, b, max_hops, &all);
			o_chains(&o, &of, a, b, max_hops, &some);
			for (uint32_t h = 1; h <= max_hops && !bad; h++) {
				for (size_t l = 0; l < 3 && !bad; l++)
					bad = check_question(&o, g, NULL, &all,
							     a, b, h, limits[l],
							     what);
				if (!bad)
					bad = check_question(&o, g, &gf, &some,
							     a, b, h, 2, what);
			}
			/* The same question on the graph of the VPCs it
			 * may pass through. */
			if (!bad && m->n[MK_VPC] > 1 &&
			    graph_chain_scope(scope, ix, &o.nodes[a],
					      &o.nodes[b], max_hops)) {
				struct graph *sg;
				ck_assert_int_eq(graph_build(&sg, ix, scope),
						 0);
				bad = check_question(&o, sg, NULL, &all, a, b,
						     max_hops, 1000, what);
				graph_free(sg);
			}
			free(all.v);
			free(some.v);
		}
	}
	free(scope);
	free(avoid);
	graph_filter_free(&gf);
	o_free(&o);
	graph_free(g);
	reach_index_free(ix);
	sim_free(s);
	return bad;
}

START_TEST(test_graph_scenarios)
{
	glob_t gl;
	ck_assert_int_eq(glob("scenarios/*.yaml", 0, NULL, &gl), 0);
	int bad = 0;
	for (size_t i = 0; i < gl.gl_pathc && !bad; i++) {
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m;
		ck_assert_int_eq(model_load_file(&m, gl.gl_pathv[i], &d), 0);
		diag_list_free(&d);
		bad = check_graph_model(m, 4, 8, i, gl.gl_pathv[i]);
		model_free(m);
	}
	globfree(&gl);
	ck_assert_int_eq(bad, 0);
}
END_TEST

START_TEST(test_graph_random)
{
	int bad = 0;
	for (uint64_t seed = 7000; seed < 7100 && !bad; seed++) {
		char *text = random_model(seed);
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m;
		ck_assert_int_eq(
		    model_load_buffer(&m, "r.yaml", text, strlen(text), &d), 0);
		diag_list_free(&d);
		bad = check_graph_model(m, 5, 6, seed, "random");
		if (bad)
			fprintf(stderr, "seed %llu\n%s\n",
				(unsigned long long)seed, text);
		model_free(m);
		free(text);
	}
	ck_assert_int_eq(bad, 0);
}
END_TEST

/*
 * Several VPCs, for the twins across them and the VPC scope: three VPCs,
 * v0-v1 peered (routed both ways, one way, or not at all), v2 alone or
 * with a transit gateway route; twin instances in each; rules naming the
 * other VPCs' ranges; an ALB in v0 whose ip target is in v1.
 */
static char *random_vpcs(uint64_t seed)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	rng = seed * 0x9E3779B97F4A7C15ull + 3;
	int routed = (int)rnd(3); /* 0 both ways, 1 one way, 2 none */
	bool wild = rnd(4) == 0;
	fprintf(f, "vpcs:\n");
	for (int v = 0; v < 3; v++)
		fprintf(f, "  v%d: {cidr: 10.%d.0.0/16}\n", v, v);
	fprintf(f, "internet_gateways:\n");
	for (int v = 0; v < 3; v++)
		fprintf(f, "  igw%d: {vpc: v%d}\n", v, v);
	fprintf(f, "peerings: {pcx: {requester: v0, accepter: v1}}\n");
	fprintf(f, "route_tables:\n");
	for (int v = 0; v < 3; v++) {
		fprintf(f,
			"  rt%d: {vpc: v%d, routes: [{destination: "
			"0.0.0.0/0, target: igw%d}",
			v, v, v);
		if (v == 0 && routed < 2)
			fprintf(f, ", {destination: 10.1.0.0/16, target: pcx}");
		if (v == 1 && routed == 0)
			fprintf(f, ", {destination: 10.0.0.0/16, target: pcx}");
		if (v == 2 && wild)
			fprintf(f, ", {destination: 10.0.0.0/8, target: "
				   "tgw-0x}");
		fprintf(f, "]}\n");
	}
	fprintf(f, "subnets:\n");
	for (int v = 0; v < 3; v++)
		for (int k = 0; k < 2; k++)
			fprintf(f,
				"  s%d%d: {vpc: v%d, cidr: 10.%d.%d.0/24, az: "
				"%s, route_table: rt%d}\n",
				v, k, v, v, k, k ? "b" : "a", v);
	fprintf(f, "security_groups:\n");
	for (int v = 0; v < 3; v++)
		for (int gi = 0; gi < 2; gi++) {
			fprintf(f, "  g%d%d:\n    vpc: v%d\n    ingress:\n", v,
				gi, v);
			int n = 1 + (int)rnd(3);
			for (int r = 0; r < n; r++) {
				static const int ports[] = {22, 443, 3306,
							    8080};
				int port = ports[rnd(4)];
				if (rnd(3) == 0)
					fprintf(
					    f,
					    "      - {protocol: tcp, ports: "
					    "%d, from: g%d%u}\n",
					    port, v, rnd(2));
				else
					fprintf(
					    f,
					    "      - {protocol: tcp, ports: "
					    "%d, from: 10.%u.0.0/16}\n",
					    port, rnd(3));
			}
			if (rnd(3) == 0)
				fprintf(f, "      - {protocol: tcp, ports: 22, "
					   "from: 0.0.0.0/0}\n");
		}
	fprintf(f, "instances:\n");
	char tip[32] = "10.1.0.9";
	for (int v = 0; v < 3; v++)
		for (int i = 0; i < 3; i++) {
			int sn = v == 1 && i == 0 ? 0 : (int)rnd(2);
			uint32_t gi = rnd(2);
			bool pub = rnd(3) == 0;
			/* Twins: same subnet, groups and public status. */
			int twins = 1 + (int)rnd(3);
			for (int t = 0; t < twins; t++) {
				fprintf(f,
					"  i%d%d%c: {subnet: s%d%d, "
					"security_groups: [g%d%u]%s",
					v, i, 'a' + t, v, sn, v, gi,
					pub ? ", public_ip: true" : "");
				if (v == 1 && i == 0 && t == 0)
					fprintf(f, ", private_ip: %s", tip);
				fprintf(f, "}\n");
			}
		}
	fprintf(f,
		"load_balancers:\n  alb:\n    type: application\n"
		"    scheme: internet-facing\n    subnets: [s00, s01]\n"
		"    security_groups: [g00]\n    listeners:\n"
		"      - {port: 443, protocol: HTTPS, forward: tg}\n"
		"target_groups:\n  tg: {protocol: HTTP, port: 8080, "
		"target_type: ip, targets: [{ip: %s}]}\n",
		tip);
	fclose(f);
	(void)len;
	return buf;
}

START_TEST(test_graph_vpcs_random)
{
	int bad = 0, loaded = 0;
	for (uint64_t seed = 1; seed <= 40 && !bad; seed++) {
		char *text = random_vpcs(seed);
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m;
		if (model_load_buffer(&m, "v.yaml", text, strlen(text), &d)) {
			for (uint32_t i = 0; i < d.n; i++)
				fprintf(stderr, "%s\n", d.v[i].message);
			diag_list_free(&d);
			free(text);
			continue;
		}
		diag_list_free(&d);
		loaded++;
		bad = check_graph_model(m, 4, 12, seed, "vpcs");
		if (bad)
			fprintf(stderr, "seed %llu\n%s\n",
				(unsigned long long)seed, text);
		model_free(m);
		free(text);
	}
	ck_assert_int_eq(bad, 0);
	ck_assert_int_eq(loaded, 40);
}
END_TEST

/* A mesh of twins: counts far past any listing are exact, and come from
 * the groups: 20 hosts in one group give sum_k P(18, k) chains. */
START_TEST(test_chains_count_mesh)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	fprintf(f, "vpcs: {v: {cidr: 10.0.0.0/16}}\n"
		   "subnets: {s: {vpc: v, cidr: 10.0.0.0/24, az: a}}\n"
		   "security_groups: {g: {vpc: v, ingress: [{protocol: all, "
		   "from: g}]}}\ninstances:\n");
	for (int i = 0; i < 20; i++)
		fprintf(f, "  h%02d: {subnet: s, security_groups: [g]}\n", i);
	fclose(f);
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m;
	ck_assert_int_eq(model_load_buffer(&m, "mesh.yaml", buf, len, &d), 0);
	diag_list_free(&d);
	struct sim *s;
	struct reach_index *ix;
	struct graph *g;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	ck_assert_int_eq(graph_build(&g, ix, NULL), 0);
	ck_assert_uint_eq(g->n_nodes, 5); /* 4 fixed, one group of 20 */
	struct reach_node a = {.kind = RN_RESOURCE,
			       .rkind = MK_INSTANCE,
			       .rindex = model_find(m, "h00")->index};
	struct reach_node b = a;
	b.rindex = model_find(m, "h01")->index;
	uint64_t total = 0, perm = 1;
	for (uint32_t k = 0; k < GRAPH_MAX_HOPS; k++) {
		total += perm; /* chains of k + 1 hops: P(18, k) */
		perm *= 18 - k;
	}
	struct graph_chains c;
	uint64_t steps = GRAPH_CHAIN_STEPS;
	ck_assert_int_eq(
	    graph_chains(&c, g, &a, &b, GRAPH_MAX_HOPS, 5, NULL, &steps), 0);
	ck_assert_uint_eq(c.n, 5);
	ck_assert(c.more_exact);
	ck_assert_uint_eq(c.more, total - 5);
	/* Shortest first, then by names: h00 -> h01, then through h02.. */
	ck_assert_uint_eq(c.v[0].hops, 1);
	ck_assert_uint_eq(c.v[1].hops, 2);
	ck_assert_str_eq(reach_node_name(s, &c.v[1].v[1]), "h02");
	ck_assert_str_eq(reach_node_name(s, &c.v[4].v[1]), "h05");
	ck_assert(steps > GRAPH_CHAIN_STEPS / 2); /* groups, not paths */
	graph_chains_free(&c);
	/* A budget too small to count: the first chain still comes, and the
	 * count says it is a lower bound. */
	steps = 3;
	ck_assert_int_eq(
	    graph_chains(&c, g, &a, &b, GRAPH_MAX_HOPS, 2, NULL, &steps), 0);
	ck_assert_uint_ge(c.n, 1);
	ck_assert(!c.more_exact);
	ck_assert_uint_eq(steps, 0);
	graph_chains_free(&c);
	graph_free(g);
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
	free(buf);
}
END_TEST

Suite *reach_suite(void)
{
	Suite *s = suite_create("reach");
	TCase *tc = tcase_create("ports");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_ports_scenarios);
	tcase_add_test(tc, test_ports_random);
	suite_add_tcase(s, tc);
	tc = tcase_create("classes");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_classes_random);
	tcase_add_test(tc, test_classes6_scenarios);
	tcase_add_test(tc, test_exposure_three_tier);
	tcase_add_test(tc, test_memo_scenarios);
	tcase_add_test(tc, test_memo_random);
	tcase_add_test(tc, test_memo_own_unknowns);
	tcase_add_test(tc, test_chains);
	suite_add_tcase(s, tc);
	tc = tcase_create("forwards");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_forward_edges_scenarios);
	tcase_add_test(tc, test_forward_edges_random);
	suite_add_tcase(s, tc);
	tc = tcase_create("graph");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_graph_scenarios);
	tcase_add_test(tc, test_graph_random);
	tcase_add_test(tc, test_graph_vpcs_random);
	tcase_add_test(tc, test_chains_count_mesh);
	suite_add_tcase(s, tc);
	return s;
}
