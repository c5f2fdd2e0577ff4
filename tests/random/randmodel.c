/*
 * randmodel SEED [--mutate]: a small random native model on stdout, the
 * same for the same seed, for tests/random/run.sh, which feeds it to every
 * command under the sanitizers and limits (docs/robustness.md).
 *
 * The estate is drawn first into plain arrays (struct est), then printed:
 * zero to three VPCs (one seed in twenty-five has none: `vpcs: {}`), each
 * with zero to four subnets across three zones, route tables with routes
 * to the internet gateway, a NAT gateway, a peering or a blackhole,
 * security groups whose rules name CIDRs, ports and each other, network
 * ACLs with allow and deny rules, instances, fleets, load balancers
 * (application and network, internet-facing or internal) with target
 * groups, ECS services, databases (replicas, Multi-AZ, public), VPC
 * endpoints (gateway and interface), peerings, and policies.  Every
 * reference names an object of the right kind, so every model loads: a
 * model that does not is a finding of the run.  With --mutate, one
 * decision is changed after drawing (a rule's port or source, a route's
 * target, a group of a resource, a publicly accessible flag): the new
 * model of `vpcsim diff`.  The generator has no dependency but libc and
 * its random numbers are its own (xorshift), so a seed means the same
 * model on every machine.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_V 3
#define MAX_S 4
#define MAX_G 4
#define MAX_R 5
#define MAX_I 4

static uint64_t rng;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static bool chance(uint32_t pct)
{
	return rnd(100) < pct;
}

static const char *const zones[] = {"us-east-1a", "us-east-1b", "us-east-1c"};
static const char *const ports[] = {"22",	  "80",	  "443",  "3306",
				    "5432",	  "3000", "8080", "0-65535",
				    "1024-65535", "53",	  "6379", "80-443"};
static const char *const protos[] = {"tcp", "tcp", "tcp", "udp", "all", "icmp"};

struct rule {
	int proto, port;
	int peer_g;   /* a group of the same VPC, or -1 */
	int cidr;     /* when peer_g < 0: an index into the CIDRs below */
	int peer_vpc; /* the VPC of the CIDR 10.V.0.0/16 kind */
};

struct group {
	struct rule in[MAX_R], out[MAX_R];
	int n_in, n_out;
};

struct nacl_rule {
	int num, proto, port, cidr;
	bool deny;
};

struct vpc {
	int n_sub;
	int sub_az[MAX_S];
	int sub_rt[MAX_S];
	int sub_nacl[MAX_S]; /* -1: the default */
	bool sub_v6[MAX_S];
	bool igw;
	int nat_sub; /* the NAT gateway's subnet, -1: none */
	int n_rt;
	int rt_default[2]; /* 0 none, 1 igw, 2 nat, 3 blackhole (peering) */
	int n_g;
	struct group g[MAX_G];
	bool has_nacl;
	struct nacl_rule nin[4], nout[4];
	int n_nin, n_nout;
	int n_inst;
	int inst_sub[MAX_I], inst_g[MAX_I], inst_pub[MAX_I];
	bool lb;
	bool lb_nlb, lb_public;
	int lb_g, lb_port, tg_port;
	bool svc;
	int svc_g, svc_count;
	bool db;
	int db_g, db_engine;
	bool db_public, db_multi, db_replica;
	bool ep_s3, ep_if;
	bool fleet;
	int fleet_g;
};

struct est {
	int n_vpc;
	struct vpc v[MAX_V];
	bool peer[MAX_V][MAX_V];
	bool policies;
};

static const char *const cidrs[] = {"0.0.0.0/0", "10.0.0.0/8", "203.0.113.0/24",
				    "198.51.100.7/32", "192.168.0.0/16"};
#define N_CIDRS (int)(sizeof(cidrs) / sizeof(cidrs[0]))

static void draw_rule(struct rule *r, int n_g, int n_vpc)
{
	r->proto = (int)rnd(sizeof(protos) / sizeof(protos[0]));
	r->port = (int)rnd(sizeof(ports) / sizeof(ports[0]));
	r->peer_g = chance(35) ? (int)rnd((uint32_t)n_g) : -1;
	r->cidr = (int)rnd(N_CIDRS + 1); /* N_CIDRS: a VPC's block */
	r->peer_vpc = (int)rnd((uint32_t)n_vpc);
}

static void draw(struct est *e)
{
	memset(e, 0, sizeof(*e));
	e->n_vpc = chance(4) ? 0 : 1 + (int)rnd(MAX_V);
	for (int vi = 0; vi < e->n_vpc; vi++) {
		struct vpc *v = &e->v[vi];
		v->n_sub = (int)rnd(MAX_S + 1);
		v->igw = chance(70);
		v->n_rt = 1 + (int)rnd(2);
		for (int s = 0; s < v->n_sub; s++) {
			v->sub_az[s] = (int)rnd(3);
			v->sub_rt[s] = (int)rnd((uint32_t)v->n_rt);
			v->sub_nacl[s] = -1;
			v->sub_v6[s] = chance(10);
		}
		v->nat_sub =
		    v->n_sub && chance(40) ? (int)rnd((uint32_t)v->n_sub) : -1;
		for (int t = 0; t < v->n_rt; t++)
			v->rt_default[t] = (int)rnd(4);
		v->n_g = (int)rnd(MAX_G + 1);
		for (int g = 0; g < v->n_g; g++) {
			struct group *gr = &v->g[g];
			gr->n_in = (int)rnd(MAX_R + 1);
			gr->n_out = (int)rnd(3);
			for (int k = 0; k < gr->n_in; k++)
				draw_rule(&gr->in[k], v->n_g, e->n_vpc);
			for (int k = 0; k < gr->n_out; k++)
				draw_rule(&gr->out[k], v->n_g, e->n_vpc);
		}
		v->has_nacl = v->n_sub && chance(30);
		if (v->has_nacl) {
			v->n_nin = 1 + (int)rnd(4);
			v->n_nout = (int)rnd(4);
			for (int k = 0; k < v->n_nin + v->n_nout; k++) {
				struct nacl_rule *r =
				    k < v->n_nin ? &v->nin[k]
						 : &v->nout[k - v->n_nin];
				r->num = 100 + 10 * k + (int)rnd(5);
				r->proto = (int)rnd(5); /* no icmp */
				r->port =
				    (int)rnd(sizeof(ports) / sizeof(ports[0]));
				r->cidr = (int)rnd(N_CIDRS);
				r->deny = chance(30);
			}
			for (int s = 0; s < v->n_sub; s++)
				if (chance(60))
					v->sub_nacl[s] = 0;
		}
		if (!v->n_sub)
			continue;
		v->n_inst = (int)rnd(MAX_I + 1);
		for (int i = 0; i < v->n_inst; i++) {
			v->inst_sub[i] = (int)rnd((uint32_t)v->n_sub);
			v->inst_g[i] = v->n_g ? (int)rnd((uint32_t)v->n_g) : -1;
			v->inst_pub[i] = (int)rnd(3);
		}
		v->lb = chance(50);
		v->lb_nlb = chance(30);
		v->lb_public = chance(60);
		v->lb_g = v->n_g ? (int)rnd((uint32_t)v->n_g) : -1;
		v->lb_port = chance(50) ? 443 : 80;
		v->tg_port = chance(50) ? 3000 : 8080;
		v->svc = chance(50);
		v->svc_g = v->n_g ? (int)rnd((uint32_t)v->n_g) : -1;
		v->svc_count = (int)rnd(4);
		v->db = chance(50);
		v->db_g = v->n_g ? (int)rnd((uint32_t)v->n_g) : -1;
		v->db_engine = (int)rnd(2);
		v->db_public = chance(20);
		v->db_multi = chance(40);
		v->db_replica = chance(30);
		v->ep_s3 = chance(25);
		v->ep_if = chance(20);
		v->fleet = chance(20);
		v->fleet_g = v->n_g ? (int)rnd((uint32_t)v->n_g) : -1;
	}
	for (int a = 0; a < e->n_vpc; a++)
		for (int b = a + 1; b < e->n_vpc; b++)
			e->peer[a][b] = chance(40);
	e->policies = chance(40);
}

/* One decision changed: the model a diff compares with. */
static void mutate(struct est *e)
{
	for (int tries = 0; tries < 50; tries++) {
		if (!e->n_vpc)
			return;
		struct vpc *v = &e->v[rnd((uint32_t)e->n_vpc)];
		switch (rnd(6)) {
		case 0:
		case 1:
			if (v->n_g) {
				struct group *g = &v->g[rnd((uint32_t)v->n_g)];
				if (g->n_in) {
					struct rule *r =
					    &g->in[rnd((uint32_t)g->n_in)];
					r->port = (r->port + 1) %
						  (int)(sizeof(ports) /
							sizeof(ports[0]));
					r->cidr = (r->cidr + 1) % (N_CIDRS + 1);
					return;
				}
				if (g->n_in < MAX_R) {
					draw_rule(&g->in[g->n_in++], v->n_g,
						  e->n_vpc);
					return;
				}
			}
			break;
		case 2:
			v->rt_default[rnd((uint32_t)v->n_rt)] = (int)rnd(4);
			return;
		case 3:
			if (v->db) {
				v->db_public = !v->db_public;
				return;
			}
			break;
		case 4:
			if (v->n_inst && v->n_g) {
				v->inst_g[rnd((uint32_t)v->n_inst)] =
				    (int)rnd((uint32_t)v->n_g);
				return;
			}
			break;
		case 5:
			if (v->n_sub) {
				v->nat_sub = v->nat_sub < 0 ? 0 : -1;
				return;
			}
			break;
		}
	}
}

static void print_rule(const struct est *e, int vi, const struct rule *r,
		       const char *dir)
{
	printf("      - {protocol: %s", protos[r->proto]);
	if (strcmp(protos[r->proto], "all") && strcmp(protos[r->proto], "icmp"))
		printf(", ports: %s", ports[r->port]);
	if (r->peer_g >= 0)
		printf(", %s: sg-%d-%d}\n", dir, vi, r->peer_g);
	else if (r->cidr == N_CIDRS && e->n_vpc)
		printf(", %s: 10.%d.0.0/16}\n", dir, r->peer_vpc);
	else
		printf(", %s: %s}\n", dir, cidrs[r->cidr % N_CIDRS]);
}

/* The first subnet of vi, and the first after it in another zone when
 * there is one (a load balancer, a database group: one per zone). */
static int second_subnet(const struct vpc *v)
{
	for (int s = 1; s < v->n_sub; s++)
		if (v->sub_az[s] != v->sub_az[0])
			return s;
	return 0;
}

static void two_subnets(const struct vpc *v, int vi)
{
	int s = second_subnet(v);
	if (s)
		printf("[s-%d-0, s-%d-%d]", vi, vi, s);
	else
		printf("[s-%d-0]", vi);
}

static void print(const struct est *e)
{
	printf("# randmodel: a random estate (tests/random/randmodel.c)\n");
	printf("region: us-east-1\n\n");
	if (!e->n_vpc) {
		printf("vpcs: {}\n");
		return;
	}
	printf("vpcs:\n");
	for (int vi = 0; vi < e->n_vpc; vi++) {
		printf("  v%d: {cidr: 10.%d.0.0/16", vi, vi);
		if (e->v[vi].n_sub && e->v[vi].sub_v6[0])
			printf(", ipv6_cidrs: [2001:db8:0:%x00::/56]", vi + 1);
		printf("}\n");
	}
	bool any = false;
	for (int vi = 0; vi < e->n_vpc; vi++)
		if (e->v[vi].igw) {
			if (!any)
				printf("\ninternet_gateways:\n");
			any = true;
			printf("  igw-%d: {vpc: v%d}\n", vi, vi);
		}
	any = false;
	for (int a = 0; a < e->n_vpc; a++)
		for (int b = a + 1; b < e->n_vpc; b++)
			if (e->peer[a][b]) {
				if (!any)
					printf("\npeerings:\n");
				any = true;
				printf("  pcx-%d-%d: {requester: v%d, "
				       "accepter: v%d}\n",
				       a, b, a, b);
			}
	printf("\nsubnets:\n");
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		for (int s = 0; s < v->n_sub; s++) {
			any = true;
			printf("  s-%d-%d: {vpc: v%d, cidr: 10.%d.%d.0/24, az: "
			       "%s, route_table: rt-%d-%d",
			       vi, s, vi, vi, s, zones[v->sub_az[s]], vi,
			       v->sub_rt[s]);
			if (v->sub_nacl[s] >= 0)
				printf(", network_acl: nacl-%d", vi);
			if (v->sub_v6[s] && s == 0 && v->sub_v6[0])
				printf(", ipv6_cidr: 2001:db8:0:%x%02x::/64, "
				       "assign_ipv6: true",
				       vi + 1, s);
			if (chance(30))
				printf(", map_public_ip: true");
			printf("}\n");
		}
	}
	if (!any)
		printf("  {}\n");
	printf("\nroute_tables:\n");
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		for (int t = 0; t < v->n_rt; t++) {
			printf("  rt-%d-%d:\n    vpc: v%d\n    routes:", vi, t,
			       vi);
			int n = 0, d = v->rt_default[t];
			if (d == 1 && v->igw)
				n +=
				    printf("\n      - {destination: 0.0.0.0/0, "
					   "target: igw-%d}",
					   vi);
			else if (d == 2 && v->nat_sub >= 0)
				n +=
				    printf("\n      - {destination: 0.0.0.0/0, "
					   "target: nat-%d}",
					   vi);
			for (int o = 0; o < e->n_vpc; o++) {
				int a = vi < o ? vi : o, b = vi < o ? o : vi;
				if (o != vi && e->peer[a][b])
					n += printf("\n      - {destination: "
						    "10.%d.0.0/16, target: "
						    "pcx-%d-%d}",
						    o, a, b);
			}
			if (d == 3)
				n += printf("\n      - {destination: "
					    "172.16.0.0/12, target: "
					    "blackhole}");
			printf("%s\n", n ? "" : " []");
		}
	}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++)
		if (e->v[vi].nat_sub >= 0) {
			if (!any)
				printf("\nnat_gateways:\n");
			any = true;
			printf("  nat-%d: {subnet: s-%d-%d, elastic_ip: "
			       "203.0.113.%d}\n",
			       vi, vi, e->v[vi].nat_sub, 10 + vi);
		}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		for (int g = 0; g < v->n_g; g++) {
			if (!any)
				printf("\nsecurity_groups:\n");
			any = true;
			printf("  sg-%d-%d:\n    vpc: v%d\n", vi, g, vi);
			printf("    ingress:%s\n", v->g[g].n_in ? "" : " []");
			for (int k = 0; k < v->g[g].n_in; k++)
				print_rule(e, vi, &v->g[g].in[k], "from");
			if (v->g[g].n_out) {
				printf("    egress:\n");
				for (int k = 0; k < v->g[g].n_out; k++)
					print_rule(e, vi, &v->g[g].out[k],
						   "to");
			}
		}
	}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		if (!v->has_nacl)
			continue;
		if (!any)
			printf("\nnetwork_acls:\n");
		any = true;
		printf("  nacl-%d:\n    vpc: v%d\n", vi, vi);
		for (int dir = 0; dir < 2; dir++) {
			int n = dir ? v->n_nout : v->n_nin;
			const struct nacl_rule *rs = dir ? v->nout : v->nin;
			printf("    %s:%s\n", dir ? "outbound" : "inbound",
			       n ? "" : " []");
			for (int k = 0; k < n; k++) {
				printf("      - {rule: %d, action: %s, "
				       "protocol: %s",
				       rs[k].num, rs[k].deny ? "deny" : "allow",
				       protos[rs[k].proto]);
				if (strcmp(protos[rs[k].proto], "all"))
					printf(", ports: %s",
					       ports[rs[k].port]);
				printf(", cidr: %s}\n", cidrs[rs[k].cidr]);
			}
		}
	}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		for (int i = 0; i < v->n_inst; i++) {
			if (!any)
				printf("\ninstances:\n");
			any = true;
			printf("  i-%d-%d: {subnet: s-%d-%d", vi, i, vi,
			       v->inst_sub[i]);
			if (v->inst_g[i] >= 0)
				printf(", security_groups: [sg-%d-%d]", vi,
				       v->inst_g[i]);
			if (v->inst_pub[i] == 1)
				printf(", public_ip: true");
			else if (v->inst_pub[i] == 2)
				printf(", elastic_ip: 198.51.100.%d",
				       10 + vi * MAX_I + i);
			printf("}\n");
		}
	}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		if (!v->fleet || !v->n_sub)
			continue;
		if (!any)
			printf("\nfleets:\n");
		any = true;
		printf("  fleet-%d: {subnets: ", vi);
		two_subnets(v, vi);
		if (v->fleet_g >= 0)
			printf(", security_groups: [sg-%d-%d]", vi, v->fleet_g);
		printf("}\n");
	}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		if (!v->lb || !v->n_sub)
			continue;
		if (!any)
			printf("\nload_balancers:\n");
		any = true;
		printf("  lb-%d:\n    type: %s\n    scheme: %s\n    subnets: ",
		       vi, v->lb_nlb ? "network" : "application",
		       v->lb_public ? "internet-facing" : "internal");
		two_subnets(v, vi);
		printf("\n");
		if (v->lb_g >= 0)
			printf("    security_groups: [sg-%d-%d]\n", vi,
			       v->lb_g);
		printf("    listeners:\n      - {port: %d, protocol: %s, "
		       "forward: tg-%d}\n",
		       v->lb_port, v->lb_nlb ? "TCP" : "HTTP", vi);
	}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		if (!v->lb || !v->n_sub)
			continue;
		if (!any)
			printf("\ntarget_groups:\n");
		any = true;
		printf("  tg-%d:\n    vpc: v%d\n    protocol: %s\n    port: "
		       "%d\n",
		       vi, vi, v->lb_nlb ? "TCP" : "HTTP", v->tg_port);
		if (v->n_inst && !v->svc) {
			printf("    target_type: instance\n    targets:\n");
			for (int i = 0; i < v->n_inst; i++)
				printf("      - {instance: i-%d-%d}\n", vi, i);
		} else
			printf("    target_type: ip\n");
	}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		if (!v->svc || !v->n_sub)
			continue;
		if (!any)
			printf("\ntask_definitions:\n");
		any = true;
		printf(
		    "  task-%d:\n    containers:\n      app:\n        ports: "
		    "[%d]\n",
		    vi, v->tg_port);
	}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		if (!v->svc || !v->n_sub)
			continue;
		if (!any)
			printf("\nservices:\n");
		any = true;
		printf("  svc-%d:\n    cluster: c\n    task_definition: "
		       "task-%d\n    desired_count: %d\n    subnets: ",
		       vi, vi, v->svc_count);
		two_subnets(v, vi);
		printf("\n");
		if (v->svc_g >= 0)
			printf("    security_groups: [sg-%d-%d]\n", vi,
			       v->svc_g);
		if (v->lb)
			printf("    load_balancers:\n      - {target_group: "
			       "tg-%d, container: app, port: %d}\n",
			       vi, v->tg_port);
	}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		if (!v->db || !v->n_sub)
			continue;
		if (!any)
			printf("\ndatabases:\n");
		any = true;
		printf("  db-%d:\n    engine: %s\n    subnets: ", vi,
		       v->db_engine ? "postgres" : "mysql");
		two_subnets(v, vi);
		printf("\n    availability_zone: %s\n", zones[v->sub_az[0]]);
		if (v->db_g >= 0)
			printf("    security_groups: [sg-%d-%d]\n", vi,
			       v->db_g);
		printf("    publicly_accessible: %s\n    multi_az: %s\n",
		       v->db_public ? "true" : "false",
		       v->db_multi ? "true" : "false");
		if (v->db_replica)
			printf("  db-%d-replica:\n    replica_of: db-%d\n"
			       "    availability_zone: %s\n",
			       vi, vi, zones[v->sub_az[second_subnet(v)]]);
	}
	any = false;
	for (int vi = 0; vi < e->n_vpc; vi++) {
		const struct vpc *v = &e->v[vi];
		if (v->ep_s3) {
			if (!any)
				printf("\nvpc_endpoints:\n");
			any = true;
			printf(
			    "  s3-%d: {vpc: v%d, type: gateway, service: s3, "
			    "route_tables: [rt-%d-0]}\n",
			    vi, vi, vi);
		}
		if (v->ep_if && v->n_sub) {
			if (!any)
				printf("\nvpc_endpoints:\n");
			any = true;
			printf("  ecr-%d: {vpc: v%d, type: interface, service: "
			       "ecr.dkr, subnets: ",
			       vi, vi);
			two_subnets(v, vi);
			if (v->n_g)
				printf(", security_groups: [sg-%d-0]", vi);
			printf("}\n");
		}
	}
	if (e->policies) {
		printf("\npolicies:\n");
		printf("  - id: no-db-from-internet\n    message: no database "
		       "from the internet\n    forbid: {from: "
		       "internet, to: {kind: database}, hops: %d}\n",
		       2 + (int)rnd(7));
		for (int vi = 0; vi < e->n_vpc; vi++)
			if (e->v[vi].lb && e->v[vi].n_sub &&
			    e->v[vi].lb_public) {
				printf("  - id: lb-%d-served\n    message: the "
				       "load balancer serves\n    require: "
				       "{from: internet, to: lb-%d, ports: "
				       "%d}\n",
				       vi, vi, e->v[vi].lb_port);
				break;
			}
	}
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3 ||
	    (argc == 3 && strcmp(argv[2], "--mutate"))) {
		fprintf(stderr, "usage: randmodel SEED [--mutate]\n");
		return 2;
	}
	uint64_t seed = strtoull(argv[1], NULL, 10);
	rng = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
	if (!rng)
		rng = 1;
	struct est e;
	draw(&e);
	/* The printing draws too (small choices): the same stream for the
	 * model and its mutation, so that only the mutated decision differs. */
	uint64_t print_rng = rng;
	if (argc == 3)
		mutate(&e);
	rng = print_rng;
	print(&e);
	return ferror(stdout) || fflush(stdout) ? 1 : 0;
}
