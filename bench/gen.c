/*
 * Writes a synthetic estate in the native YAML format, for benchmarks:
 *   gen [-c] ENDPOINTS [SEED] > estate.yaml
 *
 * -c writes the same estate with one rule changed, for `vpcsim diff`:
 * the first ingress rule of group v0-g3 admits tcp 22 (SSH) from
 * anywhere instead of what it admits without -c (every other byte is
 * the same, the random draws too).
 *
 * Shape per VPC (one VPC per 1,000 endpoints): a /16 with 20 subnets /22
 * over three AZs (4 public, 16 private), an internet gateway, a NAT gateway
 * per AZ, a custom NACL on the private subnets with ordered allow and deny
 * rules, 100 security groups that reference each other and CIDRs, an
 * internet-facing ALB with an ECS service behind it, a database, and
 * instances for the rest.  Instances take one of five roles per subnet,
 * each role a fixed set of groups, as in real estates: that is what keeps
 * equivalence classes far fewer than endpoints.  The same arguments give
 * the same file.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUBNETS		20
#define PUBLIC		4
#define GROUPS		100
#define ROLES		5
#define FIXED_ENDPOINTS 9 /* 3 NAT + 2 ALB nodes + 2 tasks + 2 database */

static uint64_t rng = 88172645463325252ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

/* Groups of a role in a subnet: a deterministic pick among g3..g99. */
static void role_groups(long v, int s, int role, int *a, int *b)
{
	uint64_t h =
	    (uint64_t)v * 1000003u + (uint64_t)s * 101u + (uint64_t)role;
	h ^= h >> 17;
	h *= 0xED5AD4BBu;
	h ^= h >> 11;
	*a = 3 + (int)(h % (GROUPS - 3));
	*b = (h >> 20) % 3 == 0 ? 3 + (int)((h >> 8) % (GROUPS - 3)) : -1;
	if (*b == *a)
		*b = -1;
}

static const char *const azs[3] = {"us-east-1a", "us-east-1b", "us-east-1c"};
static const char az_letter[3] = {'a', 'b', 'c'};

/* VPCs, their internet gateways and subnets. */
static void write_vpcs(long vpcs)
{
	printf("vpcs:\n");
	for (long v = 0; v < vpcs; v++)
		printf("  v%ld: {cidr: 10.%ld.0.0/16}\n", v, v % 256);
	printf("internet_gateways:\n");
	for (long v = 0; v < vpcs; v++)
		printf("  v%ld-igw: {vpc: v%ld}\n", v, v);

	printf("subnets:\n");
	for (long v = 0; v < vpcs; v++)
		for (int s = 0; s < SUBNETS; s++) {
			printf("  v%ld-s%d: {vpc: v%ld, cidr: 10.%ld.%d.0/22, "
			       "az: %s, ",
			       v, s, v, v % 256, s * 4, azs[s % 3]);
			if (s < PUBLIC)
				printf("route_table: v%ld-pub}\n", v);
			else
				printf(
				    "route_table: v%ld-priv-%c, network_acl: "
				    "v%ld-nacl}\n",
				    v, az_letter[s % 3], v);
		}
}

/* A public table, a private table per AZ through its NAT gateway, and
 * the NAT gateways. */
static void write_routing(long vpcs)
{
	printf("route_tables:\n");
	for (long v = 0; v < vpcs; v++) {
		printf("  v%ld-pub: {vpc: v%ld, routes: [{destination: "
		       "0.0.0.0/0, target: v%ld-igw}]}\n",
		       v, v, v);
		for (int a = 0; a < 3; a++)
			printf("  v%ld-priv-%c: {vpc: v%ld, routes: "
			       "[{destination: 0.0.0.0/0, target: "
			       "v%ld-nat-%c}]}\n",
			       v, az_letter[a], v, v, az_letter[a]);
	}

	printf("nat_gateways:\n");
	for (long v = 0; v < vpcs; v++)
		for (int a = 0; a < 3; a++)
			printf("  v%ld-nat-%c: {subnet: v%ld-s%d, elastic_ip: "
			       "true}\n",
			       v, az_letter[a], v, a);
}

static void write_nacls(long vpcs)
{
	printf("network_acls:\n");
	for (long v = 0; v < vpcs; v++)
		printf(
		    "  v%ld-nacl:\n"
		    "    vpc: v%ld\n"
		    "    inbound:\n"
		    "      - {rule: 50, action: deny, protocol: tcp, ports: "
		    "23, cidr: 0.0.0.0/0}\n"
		    "      - {rule: 100, action: allow, protocol: all, cidr: "
		    "10.0.0.0/8}\n"
		    "      - {rule: 110, action: allow, protocol: tcp, ports: "
		    "1024-65535, cidr: 0.0.0.0/0}\n"
		    "      - {rule: 120, action: allow, protocol: tcp, ports: "
		    "443, cidr: 0.0.0.0/0}\n"
		    "    outbound:\n"
		    "      - {rule: 100, action: allow, protocol: all, cidr: "
		    "0.0.0.0/0}\n",
		    v, v);
}

/* One random ingress rule of a group of VPC v: mostly from another group,
 * else from a VPC range, a documentation range or anywhere.  With
 * changed, the draws are made but SSH from anywhere is written. */
static void write_random_rule(long v, bool changed)
{
	static const int ports[] = {22, 80, 443, 3306, 5432, 6379, 8080, 9000};
	int port = ports[rnd(8)];
	uint32_t kind = rnd(10);
	uint32_t peer = kind < 6 ? rnd(GROUPS - 3) : kind < 8 ? rnd(80) : 0;
	if (changed)
		printf("      - {protocol: tcp, ports: 22, from: 0.0.0.0/0}\n");
	else if (kind < 6)
		printf("      - {protocol: tcp, ports: %d, from: v%ld-g%u}\n",
		       port, v, 3 + peer);
	else if (kind < 8)
		printf("      - {protocol: tcp, ports: %d, from: "
		       "10.%ld.%u.0/24}\n",
		       port, v % 256, peer);
	else if (kind < 9)
		printf("      - {protocol: tcp, ports: %d-%d, from: "
		       "203.0.113.0/24}\n",
		       port, port + 10);
	else
		printf("      - {protocol: tcp, ports: %d, from: 0.0.0.0/0}\n",
		       port);
}

/* g0-g2: the ALB, web and database tiers; g3 and up: random rules. */
static void write_groups(long vpcs, bool changed)
{
	printf("security_groups:\n");
	for (long v = 0; v < vpcs; v++) {
		printf("  v%ld-g0:\n    vpc: v%ld\n    ingress:\n"
		       "      - {protocol: tcp, ports: 443, from: 0.0.0.0/0}\n"
		       "      - {protocol: tcp, ports: 80, from: 0.0.0.0/0}\n"
		       "    egress:\n"
		       "      - {protocol: tcp, ports: 3000, to: v%ld-g1}\n",
		       v, v, v);
		printf("  v%ld-g1:\n    vpc: v%ld\n    ingress:\n"
		       "      - {protocol: tcp, ports: 3000, from: v%ld-g0}\n",
		       v, v, v);
		printf("  v%ld-g2:\n    vpc: v%ld\n    ingress:\n"
		       "      - {protocol: tcp, ports: 3306, from: v%ld-g1}\n",
		       v, v, v);
		for (int g = 3; g < GROUPS; g++) {
			printf("  v%ld-g%d:\n    vpc: v%ld\n    ingress:\n", v,
			       g, v);
			int rules = 2 + (int)rnd(3);
			for (int r = 0; r < rules; r++)
				write_random_rule(v, changed && v == 0 &&
							 g == 3 && r == 0);
			if (rnd(4) == 0)
				printf("    egress:\n      - {protocol: tcp, "
				       "ports: 443, to: 0.0.0.0/0}\n      - "
				       "{protocol: all, to: 10.%ld.0.0/16}\n",
				       v % 256);
		}
	}
}

/* The ALB, its target group, the ECS service behind it and a database. */
static void write_tiers(long vpcs)
{
	printf("load_balancers:\n");
	for (long v = 0; v < vpcs; v++)
		printf(
		    "  v%ld-alb:\n    type: application\n    scheme: "
		    "internet-facing\n    subnets: [v%ld-s0, v%ld-s1]\n"
		    "    security_groups: [v%ld-g0]\n    listeners:\n"
		    "      - {port: 80, protocol: HTTP, redirect: {port: 443, "
		    "protocol: HTTPS}}\n"
		    "      - {port: 443, protocol: HTTPS, forward: v%ld-tg}\n",
		    v, v, v, v, v);
	printf("target_groups:\n");
	for (long v = 0; v < vpcs; v++)
		printf("  v%ld-tg: {protocol: HTTP, port: 3000, target_type: "
		       "ip}\n",
		       v);
	printf("task_definitions:\n");
	for (long v = 0; v < vpcs; v++)
		printf("  v%ld-td: {containers: {web: {ports: [3000]}}}\n", v);
	printf("services:\n");
	for (long v = 0; v < vpcs; v++)
		printf("  v%ld-web: {task_definition: v%ld-td, desired_count: "
		       "4, subnets: [v%ld-s4, v%ld-s5], security_groups: "
		       "[v%ld-g1], load_balancers: [{target_group: v%ld-tg, "
		       "container: web, port: 3000}]}\n",
		       v, v, v, v, v, v);
	printf("databases:\n");
	for (long v = 0; v < vpcs; v++)
		printf("  v%ld-db: {engine: postgres, subnets: [v%ld-s6, "
		       "v%ld-s7], security_groups: [v%ld-g2]}\n",
		       v, v, v, v);
}

/* The rest of each VPC's endpoints: instances, a role's groups each. */
static void write_instances(long vpcs, long per_vpc)
{
	printf("instances:\n");
	for (long v = 0; v < vpcs; v++) {
		long n = per_vpc - FIXED_ENDPOINTS;
		for (long i = 0; i < n; i++) {
			int s = (int)(i % SUBNETS);
			int role = (int)((i / SUBNETS) % ROLES);
			int a, b;
			role_groups(v, s, role, &a, &b);
			printf(
			    "  v%ld-i%ld: {subnet: v%ld-s%d, security_groups: "
			    "[v%ld-g%d",
			    v, i, v, s, v, a);
			if (b >= 0)
				printf(", v%ld-g%d", v, b);
			printf("]%s}\n", s < PUBLIC && role == 0
					     ? ", public_ip: true"
					     : "");
		}
	}
}

int main(int argc, char **argv)
{
	bool changed = argc > 1 && !strcmp(argv[1], "-c");
	argc -= changed;
	argv += changed;
	long endpoints = argc > 1 ? atol(argv[1]) : 1000;
	if (argc > 2)
		rng += (uint64_t)atol(argv[2]) * 0x9E3779B97F4A7C15ull;
	if (endpoints < 100)
		endpoints = 100;
	long vpcs = (endpoints + 999) / 1000;
	long per_vpc = endpoints / vpcs;

	printf("# synthetic estate: %ld endpoints in %ld VPCs (bench/gen.c)\n",
	       endpoints, vpcs);
	printf("region: us-east-1\n");
	write_vpcs(vpcs);
	write_routing(vpcs);
	write_nacls(vpcs);
	write_groups(vpcs, changed); /* the only section that draws from rnd */
	write_tiers(vpcs);
	write_instances(vpcs, per_vpc);
	return 0;
}
