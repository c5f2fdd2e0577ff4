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
						      m, pidx, &reps, &rg)
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
	ck_assert_int_eq(graph_build(&g, ix), 0);
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
		off += (size_t)snprintf(
		    buf + off, size - off, "%s%s", k ? " -> " : "",
		    reach_node_name(g->s, &g->nodes[c->v[k]]));
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
	ck_assert_int_eq(graph_build(&g, ix), 0);
	struct reach_node inet = {.kind = RN_INTERNET};
	const struct model_obj *o = model_find(m, to);
	struct reach_node dst = {
	    .kind = RN_RESOURCE, .rkind = o->kind, .rindex = o->index};
	struct graph_chain *c;
	uint32_t n;
	ck_assert_int_eq(graph_chains(&c, &n, g, graph_vertex(g, &inet),
				      graph_vertex(g, &dst), hops),
			 0);
	first[0] = '\0';
	if (n) {
		chain_names(g, &c[0], first, size);
		*forward_hop = c[0].hops > 1 && g->edges[c[0].e[1]].forward;
	}
	graph_chains_free(c, n);
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
	tcase_add_test(tc, test_chains);
	suite_add_tcase(s, tc);
	tc = tcase_create("forwards");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_forward_edges_scenarios);
	tcase_add_test(tc, test_forward_edges_random);
	suite_add_tcase(s, tc);
	return s;
}
