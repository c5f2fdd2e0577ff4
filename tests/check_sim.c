/*
 * Tests for the packet-flow engine (sim/flow.c) and its answers over
 * placement pairs (sim/select.c), on the scenarios of scenarios/.
 *
 * Every expectation below comes from docs/network-semantics.md ("§N"),
 * not from what the engine printed: a row states the verdict AWS would
 * give, the §14 word of the step that blocks the first failing pair, and
 * whether the answer is degraded (§5).  Where it matters a row also names
 * the component of the blocking step (its id), the NACL rule number, and
 * the reply coverage (ports_ok of ports_total) of the first degraded pair.
 *
 * Rows marked "rule:" pin down one semantics rule: they fail if the engine
 * implements it the obvious wrong way (same-subnet traffic through the
 * NACL, NACL rules in file order, replies checked on the service port,
 * group references matching the internet, connections entering through a
 * NAT, open groups opening ports, the publicly-accessible flag alone
 * exposing a database, transitive peering, targets that refuse the load
 * balancer, partial reply coverage called fully reachable).
 *
 * A load balancer is reached when its listener accepts; rows with .fwd
 * also check the forward, the second verdict (§8): a rule naming an
 * NLB's group matches what it forwards even with client-IP preservation,
 * a zone without a healthy target leaves an NLB's DNS answer, and a
 * failed forward never unreaches the load balancer.
 *
 * The loop test runs once per scenario file: it loads the file once, runs
 * the rows of that file with traces on and off (both must agree), frees
 * everything, then reports all mismatches at once.  Tests run from the
 * repository root.
 */
#include <check.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"
#include "sim/graph.h"
#include "sim/sim.h"

#define ALL  VERDICT_ALL
#define SOME VERDICT_SOME
#define NONE VERDICT_NONE
#define TCP  PROTO_TCP
#define ICMP PROTO_ICMP
#define ANYP PROTO_ALL

struct flow_case {
	const char *file; /* in scenarios/ */
	const char *from, *to;
	enum proto proto;
	uint16_t port;
	enum sim_verdict verdict;
	const char *block; /* §14 word of the first failing pair, or "" */
	bool degraded;	   /* some pair is degraded */
	/* Optional checks on the first failing pair (NULL / 0: skipped). */
	const char *comp; /* id of the blocking step's component */
	uint32_t rule;	  /* rule number of the blocking step */
	/* Optional: coverage of the first degraded pair (0: skipped). */
	uint32_t ports_ok, ports_total;
	/* Optional, for a load balancer whose listener forwards: the
	 * forward's verdict over the pairs that count (§8), the block of
	 * the first counted pair it does not serve (or ""), and whether a
	 * served pair's forward is degraded.  NULL: not checked. */
	const char *fwd, *fwd_block;
	bool fwd_degraded;
	/* Optional: nodes out of the name's DNS answer (§8). */
	uint32_t out_of_dns;
	/* Optional: node-to-target paths of the first pair's forward (0:
	 * skipped). */
	uint32_t fwd_paths;
};

/* A row: file, from, to, proto, port, verdict, block, degraded, then the
 * optional checks as designated initializers (.comp, .rule, .ports_ok,
 * .ports_total). */
#define ROW(f, fr, t, pr, po, v, b, d, ...)                                    \
	{                                                                      \
		.file = f, .from = fr, .to = t, .proto = pr, .port = po,       \
		.verdict = v, .block = b, .degraded = d, __VA_ARGS__           \
	}
static const struct flow_case cases[] = {
    /* The canonical architecture works as designed. */
    ROW("three-tier.yaml", "internet", "alb", TCP, 443, ALL, "", false,
	.fwd = "all", .fwd_block = ""),
    /* The HTTP listener redirects: no forward, nothing to be healthy. */
    ROW("three-tier.yaml", "internet", "alb", TCP, 80, ALL, "", false,
	.fwd = "n/a"),
    /* ALB cross-zone is always on: every node reaches every task. */
    ROW("three-tier.yaml", "alb", "web", TCP, 3000, ALL, "", false),
    ROW("three-tier.yaml", "web", "db", TCP, 3306, ALL, "", false),
    ROW("three-tier.yaml", "web", "db-replica", TCP, 3306, ALL, "", false),
    ROW("three-tier.yaml", "web", "aws:ecr", TCP, 443, ALL, "", false),
    ROW("three-tier.yaml", "web", "aws:logs", TCP, 443, ALL, "", false),
    /* rule: nothing enters through a NAT (§7): the tasks have no public
     * address, and the NAT gateway itself accepts nothing. */
    ROW("three-tier.yaml", "internet", "web", TCP, 3000, NONE, "no-public-ip",
	false),
    ROW("three-tier.yaml", "internet", "nat-a", TCP, 443, NONE, "not-listening",
	false, .comp = "nat-a"),
    ROW("three-tier.yaml", "internet", "db", TCP, 3306, NONE, "no-public-ip",
	false),
    /* alb-sg may send only to web-sg on 3000. */
    ROW("three-tier.yaml", "alb", "db", TCP, 3306, NONE, "sg-egress", false,
	.comp = "alb-sg"),
    ROW("three-tier.yaml", "web", "db", TCP, 5432, NONE, "sg-ingress", false,
	.comp = "db-sg"),
    ROW("three-tier.yaml", "db", "web", TCP, 3000, NONE, "sg-ingress", false,
	.comp = "web-sg"),
    ROW("three-tier.yaml", "internet", "alb", TCP, 8080, NONE, "sg-ingress",
	false, .comp = "alb-sg"),

    /* A real exposure needs §6 in full: public subnet, flag, group. */
    ROW("db-public-open.yaml", "internet", "db", TCP, 3306, ALL, "", false),
    ROW("db-public-open.yaml", "internet", "db-replica", TCP, 3306, NONE,
	"no-public-ip", false),
    /* rule: a publicly accessible database in a private subnet, even
     * with a group open to the world, is not reachable (§6.3, §10). */
    ROW("db-public-flag-private.yaml", "internet", "db", TCP, 3306, NONE,
	"route", false, .comp = "private-a-rt"),
    ROW("db-public-flag-private.yaml", "web", "db", TCP, 3306, ALL, "", false),

    ROW("tasks-public.yaml", "internet", "web", TCP, 3000, ALL, "", false),
    ROW("tasks-public.yaml", "internet", "alb", TCP, 443, ALL, "", false),

    /* rule: replies need the ephemeral range (§5).  private-nacl lets
     * replies to the ALB out only on tcp 3306 (rule 110, meant for
     * MySQL): 1 port of the ALB's 1024-65535. */
    ROW("nacl-drops-alb-replies.yaml", "alb", "web", TCP, 3000, NONE,
	"nacl-reply-out", true, .comp = "private-nacl", .ports_ok = 1,
	.ports_total = 64512),
    /* rule: the load balancer is reached whatever its targets; the
     * forward is the second verdict (§8). */
    ROW("nacl-drops-alb-replies.yaml", "internet", "alb", TCP, 443, ALL, "",
	false, .fwd = "none", .fwd_block = "no-healthy-target-path"),
    ROW("nacl-drops-alb-replies.yaml", "web", "db", TCP, 3306, ALL, "", false),
    ROW("nacl-drops-alb-replies.yaml", "web", "aws:ecr", TCP, 443, ALL, "",
	false),

    /* rule: degraded when part of the range passes (§5): reachable when
     * most of it passes, blocked otherwise, and marked either way. */
    ROW("nacl-partial-ephemeral.yaml", "alb@public-a", "web@private-a", TCP,
	3000, ALL, "", true, .ports_ok = 32768, .ports_total = 64512),
    ROW("nacl-partial-ephemeral.yaml", "alb@public-a", "web@private-b", TCP,
	3000, NONE, "nacl-reply-out", true, .comp = "private-b-nacl",
	.ports_ok = 16384, .ports_total = 64512),
    ROW("nacl-partial-ephemeral.yaml", "alb", "web", TCP, 3000, SOME,
	"nacl-reply-out", true, .comp = "private-b-nacl", .ports_ok = 32768,
	.ports_total = 64512),
    /* The client's connection works through the private-a targets, but
     * not always: its forward is never silently fully working. */
    ROW("nacl-partial-ephemeral.yaml", "internet", "alb", TCP, 443, ALL, "",
	false, .fwd = "all", .fwd_block = "", .fwd_degraded = true),

    /* A deny of tcp 3306 in also drops replies to ephemeral port 3306. */
    ROW("nacl-deny-port-hits-replies.yaml", "web@private-b", "db", TCP, 3306,
	ALL, "", true, .ports_ok = 64511, .ports_total = 64512),
    ROW("nacl-deny-port-hits-replies.yaml", "web@private-a", "db-replica", TCP,
	3306, NONE, "nacl-in", false, .comp = "private-b-nacl", .rule = 50),
    ROW("nacl-deny-port-hits-replies.yaml", "web", "db-replica", TCP, 3306,
	SOME, "nacl-in", false, .comp = "private-b-nacl", .rule = 50),

    ROW("no-egress.yaml", "web", "aws:ecr", TCP, 443, NONE, "no-route", false,
	.comp = "private-a-rt"),
    ROW("no-egress.yaml", "web", "aws:s3", TCP, 443, NONE, "no-route", false),
    ROW("no-egress.yaml", "web", "aws:logs", TCP, 443, NONE, "no-route", false),
    ROW("no-egress.yaml", "web", "db", TCP, 3306, ALL, "", false),
    ROW("no-egress.yaml", "internet", "alb", TCP, 443, ALL, "", false),

    ROW("internal-alb.yaml", "internet", "alb", TCP, 443, NONE, "no-public-ip",
	false),
    ROW("internal-alb.yaml", "web", "alb", TCP, 443, ALL, "", false),

    /* rule: NACL rules apply by number, not file order (§5): rule 100
     * (deny) is written after rule 200 (allow). */
    ROW("nacl-deny-before-allow.yaml", "internet", "alb", TCP, 443, NONE,
	"nacl-in", false, .comp = "public-nacl", .rule = 100),
    ROW("nacl-deny-before-allow.yaml", "192.0.2.44", "alb", TCP, 443, ALL, "",
	false),
    ROW("nacl-deny-before-allow.yaml", "internet", "alb", TCP, 80, ALL, "",
	false),
    ROW("nacl-deny-before-allow.yaml", "web", "aws:ecr", TCP, 443, ALL, "",
	false),

    ROW("nat-in-private-subnet.yaml", "web", "aws:ecr", TCP, 443, NONE,
	"nat-not-public", false, .comp = "nat-a"),

    /* rule: an open group on a port the ALB does not listen on is
     * still refused (§8). */
    ROW("alb-sg-wide-open.yaml", "internet", "alb", TCP, 8080, NONE,
	"not-listening", false, .comp = "alb"),
    ROW("alb-sg-wide-open.yaml", "internet", "alb", TCP, 443, ALL, "", false),

    /* rule: an internet-facing LB whose targets' group does not allow
     * it has no healthy target (§8): still reached, its forward none. */
    ROW("targets-sg-wrong.yaml", "internet", "alb", TCP, 443, ALL, "", false,
	.fwd = "none", .fwd_block = "no-healthy-target-path"),
    ROW("targets-sg-wrong.yaml", "alb", "web", TCP, 3000, NONE, "sg-ingress",
	false, .comp = "web-sg"),

    /* rule: a NACL allowing only the service port both ways fails on
     * the reply (§5): 80 and 443 are not in 1024-65535. */
    ROW("nacl-service-port-only.yaml", "internet", "alb", TCP, 443, NONE,
	"nacl-reply-out", false, .comp = "public-nacl", .rule = 32767),
    /* §7: the NAT gateway's subnet NACL applies to the reply. */
    ROW("nacl-service-port-only.yaml", "web", "aws:ecr", TCP, 443, NONE,
	"nacl-reply-in", false, .comp = "public-nacl"),
    ROW("nacl-service-port-only.yaml", "internet", "alb", TCP, 80, NONE,
	"nacl-reply-out", false, .comp = "public-nacl"),

    ROW("nat-removed-blackhole.yaml", "web", "aws:ecr", TCP, 443, SOME,
	"blackhole", false, .comp = "private-a-rt"),
    ROW("nat-removed-blackhole.yaml", "web@private-b", "aws:ecr", TCP, 443, ALL,
	"", false),

    /* rule: with preservation a target rule naming the NLB's group
     * matches what the NLB forwards (§4, §8), ip or instance targets. */
    ROW("nlb-client-ip.yaml", "internet", "nlb", TCP, 443, ALL, "", false,
	.fwd = "all", .fwd_block = ""),
    ROW("nlb-client-ip.yaml", "internet", "nlb", TCP, 446, ALL, "", false,
	.fwd = "all", .fwd_block = ""),
    ROW("nlb-client-ip.yaml", "internet", "nlb", TCP, 444, ALL, "", false,
	.fwd = "all"),
    /* Without preservation the node's address and group are seen. */
    ROW("nlb-client-ip.yaml", "internet", "nlb", TCP, 8443, ALL, "", false,
	.fwd = "all"),
    /* Preservation or not, health checks come from the nodes. */
    ROW("nlb-client-ip.yaml", "internet", "nlb", TCP, 445, ALL, "", false,
	.fwd = "none", .fwd_block = "no-healthy-target-path"),
    /* Cross-zone off: the us-east-1b node has no target in its zone, so
     * the name's DNS answer leaves it out. */
    ROW("nlb-client-ip.yaml", "internet", "nlb", TCP, 9000, ALL, "", false,
	.fwd = "all", .fwd_block = "", .out_of_dns = 1),
    ROW("nlb-client-ip.yaml", "internet", "nlb@public-b", TCP, 9000, ALL, "",
	false, .fwd = "none", .fwd_block = "no-healthy-target-path"),
    /* A security group is optional for an NLB. */
    ROW("nlb-client-ip.yaml", "internet", "nlb-nosg", TCP, 444, ALL, "", false,
	.fwd = "all"),
    ROW("nlb-client-ip.yaml", "internet", "nlb", TCP, 8080, NONE,
	"not-listening", false, .comp = "nlb"),
    ROW("nlb-client-ip.yaml", "nlb", "api-1", TCP, 443, ALL, "", false),

    ROW("endpoints.yaml", "web", "aws:ecr", TCP, 443, ALL, "", false),
    ROW("endpoints.yaml", "web", "aws:logs", TCP, 443, ALL, "", false),
    ROW("endpoints.yaml", "web", "aws:s3", TCP, 443, ALL, "", false),
    ROW("endpoints.yaml", "batch", "aws:ecr", TCP, 443, NONE, "sg-ingress",
	false, .comp = "endpoint-sg"),
    ROW("endpoints.yaml", "batch", "aws:s3", TCP, 443, NONE, "no-route", false,
	.comp = "batch-rt"),
    ROW("endpoints.yaml", "internet", "web", TCP, 8080, NONE, "no-igw", false,
	.comp = "isolated"),

    /* rule: peering is not transitive, and needs routes both ways (the
     * reply from d has no route at all: no-route, §3). */
    ROW("peering.yaml", "a1", "b1", TCP, 22, ALL, "", false),
    ROW("peering.yaml", "b1", "c1", TCP, 22, ALL, "", false),
    ROW("peering.yaml", "b1", "a1", ICMP, 8, ALL, "", false),
    ROW("peering.yaml", "a1", "c1", TCP, 22, NONE, "route", false,
	.comp = "pcx-ab"),
    ROW("peering.yaml", "a1", "d1", TCP, 22, NONE, "no-route", false,
	.comp = "d-rt"),
    /* Group references across a peering work within a region (§12). */
    ROW("peering.yaml", "b1", "c2", TCP, 5432, ALL, "", false),
    ROW("peering.yaml", "c1", "c2", TCP, 5432, NONE, "sg-ingress", false,
	.comp = "c2-sg"),
    ROW("peering.yaml", "c1", "a1", TCP, 22, NONE, "no-route", false,
	.comp = "c-rt"),

    ROW("no-igw.yaml", "internet", "box", TCP, 22, NONE, "no-igw", false,
	.comp = "closed"),
    ROW("no-igw.yaml", "box", "internet", TCP, 443, NONE, "no-route", false,
	.comp = "closed-main-rt"),

    ROW("eip-instance.yaml", "internet", "bastion", TCP, 22, ALL, "", false),
    ROW("eip-instance.yaml", "203.0.113.50", "bastion", TCP, 22, ALL, "",
	false),
    ROW("eip-instance.yaml", "internet", "bastion", TCP, 80, NONE, "sg-ingress",
	false, .comp = "bastion-sg"),
    /* rule: a rule naming a group never matches an internet client. */
    ROW("eip-instance.yaml", "internet", "app", TCP, 8080, NONE, "sg-ingress",
	false, .comp = "app-sg"),
    ROW("eip-instance.yaml", "bastion", "app", TCP, 8080, ALL, "", false),
    /* Several groups: the union of what they allow (§4). */
    ROW("eip-instance.yaml", "internet", "both", TCP, 22, ALL, "", false),
    ROW("eip-instance.yaml", "bastion", "both", TCP, 8080, ALL, "", false),
    ROW("eip-instance.yaml", "internet", "both", TCP, 8080, NONE, "sg-ingress",
	false),
    ROW("eip-instance.yaml", "bastion", "internet", TCP, 443, ALL, "", false),
    ROW("eip-instance.yaml", "nopub", "internet", TCP, 443, NONE,
	"no-public-ip", false),
    ROW("eip-instance.yaml", "internet", "nopub", TCP, 22, NONE, "no-public-ip",
	false),
    ROW("eip-instance.yaml", "internet", "inner", TCP, 22, NONE, "no-route",
	false, .comp = "main-main-rt"),
    ROW("eip-instance.yaml", "192.0.2.44", "bastion", TCP, 22, NONE,
	"blackhole", false, .comp = "public-rt"),
    ROW("eip-instance.yaml", "bastion", "192.0.2.44", TCP, 443, NONE,
	"blackhole", false, .comp = "public-rt"),

    /* rule: same-subnet traffic skips the NACL (§5). */
    ROW("same-subnet-nacl.yaml", "a1", "a2", TCP, 22, ALL, "", false),
    ROW("same-subnet-nacl.yaml", "a1", "a2", ANYP, 0, ALL, "", false),
    ROW("same-subnet-nacl.yaml", "a1", "b1", TCP, 22, NONE, "nacl-out", false,
	.comp = "locked-nacl", .rule = 32767),
    ROW("same-subnet-nacl.yaml", "b1", "a1", TCP, 22, NONE, "nacl-in", false,
	.comp = "locked-nacl", .rule = 32767),
    ROW("same-subnet-nacl.yaml", "c1", "b1", TCP, 22, NONE, "nacl-reply-in",
	false, .comp = "ssh-only-nacl"),
    ROW("same-subnet-nacl.yaml", "b1", "c1", TCP, 22, ALL, "", false),

    ROW("nat-kinds.yaml", "w1", "internet", TCP, 443, NONE, "nat-not-public",
	false, .comp = "nat-private"),
    ROW("nat-kinds.yaml", "w2", "internet", TCP, 443, NONE, "nat-not-public",
	false, .comp = "nat-noeip"),
    ROW("nat-kinds.yaml", "w3", "internet", TCP, 443, ALL, "", false),
    ROW("nat-kinds.yaml", "internet", "w3", TCP, 443, NONE, "no-public-ip",
	false),
    ROW("nat-kinds.yaml", "internet", "nat-ok", TCP, 443, NONE, "not-listening",
	false, .comp = "nat-ok"),

    /* rule: a target rule naming an NLB's group matches what it
     * forwards, the client's address preserved or not (§4, §8); a
     * preserved client is seen by its own address, so a rule for the
     * VPC's block admits an inside client and not an internet one; an
     * NLB without a group gives nothing to name. */
    ROW("nlb-group-reference.yaml", "internet", "nlb", TCP, 443, ALL, "", false,
	.fwd = "all", .fwd_block = ""),
    ROW("nlb-group-reference.yaml", "internet", "nlb", TCP, 444, ALL, "", false,
	.fwd = "all", .fwd_block = ""),
    ROW("nlb-group-reference.yaml", "internet", "nlb", TCP, 445, ALL, "", false,
	.fwd = "none", .fwd_block = "no-healthy-target-path"),
    ROW("nlb-group-reference.yaml", "client", "nlb", TCP, 445, ALL, "", false,
	.fwd = "all", .fwd_block = ""),
    ROW("nlb-group-reference.yaml", "internet", "nlb-bare", TCP, 443, ALL, "",
	false, .fwd = "none", .fwd_block = "no-healthy-target-path"),
    ROW("nlb-group-reference.yaml", "internet", "nlb-bare", TCP, 444, ALL, "",
	false, .fwd = "all", .fwd_block = ""),
    /* The nodes' own connections: the group names them too. */
    ROW("nlb-group-reference.yaml", "nlb", "ref-1", TCP, 8443, ALL, "", false),

    /* rule: targets in a zone the load balancer does not enable get no
     * traffic (§8): web-3 (us-east-1c) is no path of alb's nodes, and
     * nlb's only target is outside its one zone. */
    ROW("lb-target-zone-disabled.yaml", "internet", "alb", TCP, 443, ALL, "",
	false, .fwd = "all", .fwd_block = "", .fwd_paths = 2),
    ROW("lb-target-zone-disabled.yaml", "internet", "nlb", TCP, 443, ALL, "",
	false, .fwd = "none", .fwd_block = "no-healthy-target-path"),

    /* rule: inside a subnet neither the route table nor the NACL
     * applies (§3, §5), even a route of the subnet's own block to an
     * appliance or a blackhole; across subnets both do. */
    ROW("same-subnet-route.yaml", "app-1", "app-2", TCP, 22, ALL, "", false),
    ROW("same-subnet-route.yaml", "db-1", "db-2", TCP, 5432, ALL, "", false),
    ROW("same-subnet-route.yaml", "app-1", "db-1", TCP, 5432, NONE, "nacl-out",
	false, .comp = "locked-nacl", .rule = 32767),
    ROW("same-subnet-route.yaml", "db-1", "app-1", TCP, 22, NONE, "blackhole",
	false, .comp = "data-rt"),

    /* rule: another endpoint's Elastic IP is reached through the
     * internet gateway from the sender's public address or its NAT's
     * (§4): group references do not match, NACLs see public
     * addresses; the private address is private traffic. */
    ROW("eip-hairpin.yaml", "app", "web", TCP, 443, ALL, "", false),
    ROW("eip-hairpin.yaml", "app", "203.0.113.20", TCP, 443, NONE, "sg-ingress",
	false, .comp = "web-sg"),
    ROW("eip-hairpin.yaml", "app", "203.0.113.20", TCP, 8443, ALL, "", false),
    ROW("eip-hairpin.yaml", "bastion", "web", TCP, 443, ALL, "", false),
    ROW("eip-hairpin.yaml", "bastion", "203.0.113.20", TCP, 443, NONE,
	"nacl-in", false, .comp = "pub-nacl", .rule = 100),
    ROW("eip-hairpin.yaml", "nopub", "203.0.113.20", TCP, 443, NONE,
	"no-public-ip", false),

    /* rule: with cross-zone off, a zone without a healthy target leaves
     * the NLB's DNS answer (§8): the name is served; the node asked by
     * itself is not; with no healthy zone nothing leaves. */
    ROW("nlb-dns-zone.yaml", "internet", "nlb", TCP, 443, ALL, "", false,
	.fwd = "all", .fwd_block = "", .out_of_dns = 1),
    ROW("nlb-dns-zone.yaml", "internet", "nlb@public-b", TCP, 443, ALL, "",
	false, .fwd = "none", .fwd_block = "no-healthy-target-path"),
    ROW("nlb-dns-zone.yaml", "internet", "nlb", TCP, 444, ALL, "", false,
	.fwd = "none", .fwd_block = "no-healthy-target-path"),

    /* rule: an empty target group answers 503: the load balancer is
     * reached all the same (§8). */
    ROW("lb-empty-target-group.yaml", "internet", "alb", TCP, 443, ALL, "",
	false, .fwd = "none", .fwd_block = "no-healthy-target-path"),
    ROW("lb-empty-target-group.yaml", "internet", "alb", TCP, 80, ALL, "",
	false, .fwd = "n/a"),

    /* rule: what names no group gets its VPC's default group (§4): all
     * in from its members, all out; neither deny-all (app-1 -> app-2)
     * nor allow-all (bastion -> app-1).  A VPC that names its own
     * default group has that group's rules. */
    ROW("default-security-group.yaml", "app-1", "app-2", TCP, 5432, ALL, "",
	false),
    ROW("default-security-group.yaml", "bastion", "app-1", TCP, 22, NONE,
	"sg-ingress", false, .comp = "main-default-sg"),
    ROW("default-security-group.yaml", "internet", "app-1", TCP, 22, NONE,
	"sg-ingress", false, .comp = "main-default-sg"),
    ROW("default-security-group.yaml", "app-1", "internet", TCP, 443, ALL, "",
	false),
    ROW("default-security-group.yaml", "internet", "alb", TCP, 80, NONE,
	"sg-ingress", false, .comp = "main-default-sg"),
    ROW("default-security-group.yaml", "app-1", "alb", TCP, 80, ALL, "", false),
    ROW("default-security-group.yaml", "internet", "web", TCP, 443, ALL, "",
	false),
    ROW("default-security-group.yaml", "internet", "web", TCP, 22, NONE,
	"sg-ingress", false, .comp = "edge-default"),

    /* rule: a route to an appliance forwards through it when its
     * source/destination check is off, its group and its subnet's NACL
     * applying on the way (§3); with the check on the packet is dropped.
     * Neither "unknown" nor a direct path (tcp 22 would pass db-sg):
     * fw-sg and inspect-nacl decide.  The reply to ephemeral port 6379
     * comes back through fw's subnet too, whose NACL denies it. */
    ROW("appliance-firewall.yaml", "app-1", "db-1", TCP, 5432, ALL, "", true,
	.ports_ok = 64511, .ports_total = 64512),
    ROW("appliance-firewall.yaml", "app-1", "db-1", TCP, 22, NONE, "sg-ingress",
	false, .comp = "fw-sg"),
    ROW("appliance-firewall.yaml", "app-1", "db-1", TCP, 6379, NONE, "nacl-in",
	false, .comp = "inspect-nacl", .rule = 100),
    ROW("appliance-firewall.yaml", "legacy-1", "db-1", TCP, 5432, NONE, "route",
	false, .comp = "legacy-rt", .rule = 1),

    /* rule: an appliance with its check off, a public address in a
     * public subnet and a 0.0.0.0/0 route to it is a NAT instance (§3,
     * §7): out through it, never in; its group applies; with the check
     * on, or without a public address, nothing gets out. */
    ROW("nat-instance.yaml", "app-1", "internet", TCP, 443, ALL, "", false),
    ROW("nat-instance.yaml", "app-1", "internet", TCP, 22, NONE, "sg-ingress",
	false, .comp = "nat-sg"),
    ROW("nat-instance.yaml", "internet", "app-1", TCP, 443, NONE,
	"no-public-ip", false),
    ROW("nat-instance.yaml", "old-1", "internet", TCP, 443, NONE, "route",
	false, .comp = "old-rt", .rule = 1),
    ROW("nat-instance.yaml", "bare-1", "internet", TCP, 443, NONE,
	"no-public-ip", false, .comp = "igw"),
    ROW("nat-instance.yaml", "app-1", "aws:s3", TCP, 443, ALL, "", false),

    /* rule: IPv6 is a family of its own (§2, §4, §5): a rule for
     * 0.0.0.0/0 does not admit the IPv6 internet, a NACL without IPv6
     * rules denies it; an egress-only gateway lets out and never in
     * (§3, §6, §7); the groups' default egress is IPv4 only (§4); an
     * internal load balancer's IPv6 addresses are closed to the
     * internet (§8). */
    ROW("ipv6-dual-stack.yaml", "internet6", "web", TCP, 443, ALL, "", false),
    ROW("ipv6-dual-stack.yaml", "internet6", "web", TCP, 22, NONE, "sg-ingress",
	false, .comp = "web-sg"),
    ROW("ipv6-dual-stack.yaml", "internet", "web", TCP, 22, ALL, "", false),
    ROW("ipv6-dual-stack.yaml", "internet6", "app", TCP, 8080, NONE, "route",
	false, .comp = "private-rt", .rule = 1),
    ROW("ipv6-dual-stack.yaml", "app", "internet6", TCP, 443, ALL, "", false),
    ROW("ipv6-dual-stack.yaml", "app4", "internet6", TCP, 443, NONE,
	"sg-egress", false, .comp = "app4-sg"),
    ROW("ipv6-dual-stack.yaml", "internet6", "alb", TCP, 443, ALL, "", false,
	.fwd = "all", .fwd_block = ""),
    ROW("ipv6-dual-stack.yaml", "internet6", "internal-alb", TCP, 443, NONE,
	"no-public-ip", false),
    ROW("ipv6-dual-stack.yaml", "internet6", "locked-web", TCP, 443, NONE,
	"nacl-in", false, .comp = "locked-nacl", .rule = 32767),
    ROW("ipv6-dual-stack.yaml", "internet", "locked-web", TCP, 443, ALL, "",
	false),
    ROW("ipv6-dual-stack.yaml", "web", "2001:db8:5000:10::5", TCP, 8080, ALL,
	"", false),
    ROW("ipv6-dual-stack.yaml", "internet6", "jump", TCP, 22, ALL, "", false),
    ROW("ipv6-dual-stack.yaml", "internet6", "web4", TCP, 443, NONE,
	"no-public-ip", false),
    ROW("ipv6-dual-stack.yaml", "internet", "web4", TCP, 443, ALL, "", false),
    ROW("ipv6-dual-stack.yaml", "internet", "jump", TCP, 22, NONE,
	"no-public-ip", false),

    /* rule: a database IPv4 protects and IPv6 exposes (§2, §6, §10): the
     * data subnets are private for IPv4 (0.0.0.0/0 to a NAT gateway)
     * and public for IPv6 (::/0 to the internet gateway). */
    ROW("ipv6-db-exposed.yaml", "internet", "db", TCP, 5432, NONE, "route",
	false, .comp = "data-rt"),
    ROW("ipv6-db-exposed.yaml", "internet6", "db", TCP, 5432, ALL, "", false),
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

/* Distinct files of the table, in table order. */
static const char *files[N_CASES];
static int n_files;

static void collect_files(void)
{
	if (n_files)
		return;
	for (size_t i = 0; i < N_CASES; i++) {
		int k = 0;
		while (k < n_files && strcmp(files[k], cases[i].file))
			k++;
		if (k == n_files)
			files[n_files++] = cases[i].file;
	}
}

/* Mismatches, reported together once everything is freed. */
struct errs {
	char buf[8192];
	size_t off;
	int n;	 /* mismatches */
	int bad; /* rows with a mismatch */
};

__attribute__((format(printf, 3, 4))) static void
err(struct errs *e, const struct flow_case *c, const char *fmt, ...)
{
	va_list ap;
	e->n++;
	if (e->off >= sizeof(e->buf) - 1)
		return;
	e->off += (size_t)snprintf(e->buf + e->off, sizeof(e->buf) - e->off,
				   "\n  %s: %s -> %s %s %u: ", c->file, c->from,
				   c->to, proto_name(c->proto), c->port);
	if (e->off >= sizeof(e->buf) - 1)
		return;
	va_start(ap, fmt);
	e->off += (size_t)vsnprintf(e->buf + e->off, sizeof(e->buf) - e->off,
				    fmt, ap);
	va_end(ap);
}

static const char *comp_id(const struct model *m, const struct sim_step *st)
{
	if (st->comp_kind >= MK_KIND_COUNT ||
	    st->comp_index >= m->n[st->comp_kind])
		return "(none)";
	return model_object(m, st->comp_kind, st->comp_index)->id;
}

/* The forward, the second verdict (§8): the answer's verdict over the
 * pairs that count, the first counted pair not served, degradation and
 * the nodes out of DNS. */
static void check_forward(const struct sim_answer *a, const struct flow_case *c,
			  struct errs *e)
{
	if (!c->fwd)
		return;
	const char *got = a->fwd ? sim_verdict_name(a->fwd_verdict) : "n/a";
	if (strcmp(got, c->fwd))
		err(e, c, "forward %s, expected %s (%u of %u pairs served)",
		    got, c->fwd, a->fwd_ok, a->fwd_n);
	const char *blk = "";
	bool deg = false;
	uint32_t out = 0;
	for (uint32_t i = 0; i < a->n; i++) {
		const struct sim_pair *p = &a->pairs[i];
		out += p->out_of_dns;
		if (!p->res.reachable || !p->res.fwd.asked || p->out_of_dns)
			continue;
		if (!p->res.fwd.paths_ok && !*blk)
			blk = sim_block_name(p->res.fwd.block);
		deg |= p->res.fwd.paths_ok && p->res.fwd.degraded;
	}
	if (c->fwd_block && strcmp(blk, c->fwd_block))
		err(e, c, "forward blocked at '%s', expected '%s'", blk,
		    c->fwd_block);
	if (deg != c->fwd_degraded)
		err(e, c, "forward degraded %d, expected %d", deg,
		    c->fwd_degraded);
	if (out != c->out_of_dns)
		err(e, c, "%u nodes out of DNS, expected %u", out,
		    c->out_of_dns);
	if (c->fwd_paths && a->n && a->pairs[0].res.fwd.paths != c->fwd_paths)
		err(e, c, "first pair's forward has %u paths, expected %u",
		    a->pairs[0].res.fwd.paths, c->fwd_paths);
}

static void check_case(const struct sim *s, const struct flow_case *c,
		       struct errs *e)
{
	const struct model *m = sim_model(s);
	struct sim_sel from, to;
	char msg[256];
	int before = e->n;
	if (sim_sel_parse(&from, s, c->from, msg, sizeof(msg)) ||
	    sim_sel_parse(&to, s, c->to, msg, sizeof(msg))) {
		err(e, c, "selector: %s", msg);
		e->bad++;
		return;
	}
	struct sim_flow flow = {c->proto, c->port};
	struct sim_answer a, plain;
	sim_answer(&a, s, &from, &to, flow, true);
	sim_answer(&plain, s, &from, &to, flow, false);

	if (a.verdict != c->verdict)
		err(e, c, "verdict %s, expected %s (%u of %u pairs reach)",
		    sim_verdict_name(a.verdict), sim_verdict_name(c->verdict),
		    a.n_ok, a.n);

	const struct sim_pair *fail = NULL, *deg = NULL;
	for (uint32_t i = 0; i < a.n; i++) {
		const struct sim_pair *p = &a.pairs[i];
		if (!p->res.reachable && !fail)
			fail = p;
		if (p->res.degraded && !deg)
			deg = p;
		if (p->res.reachable != (p->res.block == BLK_NONE))
			err(e, c, "pair %u: reachable %d but block '%s'", i,
			    p->res.reachable, sim_block_name(p->res.block));
		/* The engine's cheap path (no trace) must agree. */
		const struct sim_result *q = &plain.pairs[i].res;
		if (q->reachable != p->res.reachable ||
		    q->block != p->res.block ||
		    q->degraded != p->res.degraded ||
		    q->ports_ok != p->res.ports_ok ||
		    q->fwd.paths_ok != p->res.fwd.paths_ok ||
		    q->fwd.block != p->res.fwd.block)
			err(e, c,
			    "pair %u: without a trace reachable %d block '%s' "
			    "degraded %d ports %u; with one %d '%s' %d %u",
			    i, q->reachable, sim_block_name(q->block),
			    q->degraded, q->ports_ok, p->res.reachable,
			    sim_block_name(p->res.block), p->res.degraded,
			    p->res.ports_ok);
	}

	const char *got = fail ? sim_block_name(fail->res.block) : "";
	if (strcmp(got, c->block))
		err(e, c, "first failing pair blocked at '%s', expected '%s'",
		    got, c->block);
	if (fail) {
		int bs = fail->res.block_step;
		if (bs < 0 || (uint32_t)bs >= fail->trace.n) {
			err(e, c,
			    "blocking step %d not in the trace (%u steps)", bs,
			    fail->trace.n);
		} else {
			const struct sim_step *st = &fail->trace.steps[bs];
			if (st->block != fail->res.block)
				err(e, c,
				    "blocking step says '%s', result '%s'",
				    sim_block_name(st->block),
				    sim_block_name(fail->res.block));
			if (c->comp && strcmp(comp_id(m, st), c->comp))
				err(e, c,
				    "blocked by component '%s', expected "
				    "'%s'",
				    comp_id(m, st), c->comp);
			if (c->rule && st->rule != c->rule)
				err(e, c, "blocked by rule %u, expected %u",
				    st->rule, c->rule);
		}
	}

	check_forward(&a, c, e);
	if ((deg != NULL) != c->degraded)
		err(e, c, "degraded %d, expected %d", deg != NULL, c->degraded);
	if (deg && c->ports_total &&
	    (deg->res.ports_ok != c->ports_ok ||
	     deg->res.ports_total != c->ports_total))
		err(e, c, "degraded coverage %u of %u, expected %u of %u",
		    deg->res.ports_ok, deg->res.ports_total, c->ports_ok,
		    c->ports_total);

	sim_answer_free(&a);
	sim_answer_free(&plain);
	e->bad += e->n != before;
}

START_TEST(test_flows)
{
	collect_files();
	ck_assert_int_lt(_i, n_files);
	const char *file = files[_i];
	char path[256];
	snprintf(path, sizeof(path), "scenarios/%s", file);

	struct diag_list diags = {0};
	struct model *m = NULL;
	int rc = model_load_file(&m, path, &diags);
	diag_list_free(&diags);
	ck_assert_msg(rc == 0 && m, "%s does not load", path);
	struct sim *s = NULL;
	ck_assert_int_eq(sim_new(&s, m), 0);

	struct errs *e = calloc(1, sizeof(*e));
	ck_assert_ptr_nonnull(e);
	int rows = 0;
	for (size_t i = 0; i < N_CASES; i++)
		if (!strcmp(cases[i].file, file)) {
			check_case(s, &cases[i], e);
			rows++;
		}
	sim_free(s);
	model_free(m);
	int n = e->bad;
	char *text = strdup(e->buf);
	free(e);
	if (n) {
		/* Copy to the stack so nothing leaks when the assertion
		 * leaves the test (CK_FORK=no). */
		char msg[8192];
		snprintf(msg, sizeof(msg), "%s", text);
		free(text);
		ck_abort_msg(
		    "%s: %d of its %d flows differ from the semantics:%s", file,
		    n, rows, msg);
	}
	free(text);
}
END_TEST

/* The table covers every §14 word (and enough flows). */
START_TEST(test_vocabulary_covered)
{
	ck_assert_uint_ge(N_CASES, 60);
	for (int b = BLK_SG_EGRESS; b <= BLK_NO_HEALTHY_TARGET_PATH; b++) {
		const char *w = sim_block_name((enum sim_block)b);
		bool seen = false;
		for (size_t i = 0; i < N_CASES && !seen; i++)
			seen = !strcmp(cases[i].block, w) ||
			       (cases[i].fwd_block &&
				!strcmp(cases[i].fwd_block, w));
		ck_assert_msg(seen, "no flow is expected to block at '%s'", w);
	}
}
END_TEST

/*
 * §8: a listener's actions are walked in AWS order with no cap (AWS allows
 * 100 rules a listener).  Seventy rules answer themselves; the one of
 * priority 70 forwards.  The trace names it and counts its target, and
 * the graph's chain internet -> alb -> app goes through it: the trace
 * and the chains ask the same engine.
 */
static char *many_rules_model(uint32_t n_rules)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	fprintf(f, "vpcs: {v: {cidr: 10.0.0.0/16}}\n"
		   "internet_gateways: {igw: {vpc: v}}\n"
		   "subnets:\n"
		   "  a: {vpc: v, cidr: 10.0.1.0/24, az: us-east-1a, "
		   "route_table: pub}\n"
		   "  b: {vpc: v, cidr: 10.0.2.0/24, az: us-east-1b, "
		   "route_table: pub}\n"
		   "route_tables:\n"
		   "  pub: {vpc: v, routes: [{destination: 0.0.0.0/0, "
		   "target: igw}]}\n"
		   "security_groups:\n"
		   "  lb-sg: {vpc: v, ingress: [{protocol: tcp, ports: 443, "
		   "from: 0.0.0.0/0}]}\n"
		   "  app-sg: {vpc: v, ingress: [{protocol: tcp, ports: 8080, "
		   "from: lb-sg}]}\n"
		   "instances:\n"
		   "  app: {subnet: a, security_groups: [app-sg]}\n"
		   "target_groups:\n"
		   "  tg: {protocol: HTTP, port: 8080, target_type: instance, "
		   "targets: [{instance: app}]}\n"
		   "load_balancers:\n"
		   "  alb:\n"
		   "    type: application\n"
		   "    scheme: internet-facing\n"
		   "    subnets: [a, b]\n"
		   "    security_groups: [lb-sg]\n"
		   "    listeners:\n"
		   "      - port: 443\n"
		   "        protocol: HTTPS\n"
		   "        fixed_response: {status_code: 404}\n"
		   "        rules:\n");
	for (uint32_t r = 1; r <= n_rules; r++)
		fprintf(f, "          - {priority: %u, paths: /p%u, %s}\n", r,
			r,
			r == n_rules ? "forward: tg"
				     : "fixed_response: {status_code: 404}");
	fclose(f);
	(void)len;
	return buf;
}

START_TEST(test_many_rules)
{
	char *text = many_rules_model(70);
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "rules.yaml", text, strlen(text), &d);
	diag_list_free(&d);
	free(text);
	ck_assert_int_eq(rc, 0);
	struct sim *s;
	struct reach_index *ix;
	struct graph *g;
	sim_new(&s, m);
	struct sim_sel from, to;
	char err[128];
	ck_assert_int_eq(sim_sel_parse(&from, s, "internet", err, sizeof(err)),
			 0);
	ck_assert_int_eq(sim_sel_parse(&to, s, "alb", err, sizeof(err)), 0);
	struct sim_answer a;
	sim_answer(&a, s, &from, &to, (struct sim_flow){PROTO_TCP, 443}, true);
	ck_assert_uint_eq(a.n, 2);
	ck_assert(a.fwd);
	ck_assert_int_eq(a.fwd_verdict, VERDICT_ALL);
	bool named = false;
	const struct sim_pair *p = &a.pairs[0];
	ck_assert_uint_eq(p->res.fwd.paths, 1);
	for (uint32_t k = 0; k < p->trace.n; k++)
		named |= strstr(p->trace.steps[k].text,
				"rule priority 70 path /p70: forwards to "
				"target group tg") != NULL;
	ck_assert_msg(named, "the trace does not name rule 70's forward");
	sim_answer_free(&a);
	reach_index_new(&ix, s);
	ck_assert_int_eq(graph_build(&g, ix, NULL), 0);
	struct reach_node inet = {.kind = RN_INTERNET};
	struct reach_node app = {.kind = RN_RESOURCE,
				 .rkind = MK_INSTANCE,
				 .rindex = model_find(m, "app")->index};
	struct graph_chains c;
	uint64_t steps = GRAPH_CHAIN_STEPS;
	ck_assert_int_eq(graph_chains(&c, g, &inet, &app, 2, GRAPH_CHAINS_LIMIT,
				      NULL, &steps),
			 0);
	ck_assert_uint_eq(c.n, 1);
	ck_assert_uint_eq(c.more, 0);
	ck_assert(g->edges[c.v[0].e[1]].forward);
	graph_chains_free(&c);
	graph_free(g);
	reach_index_free(ix);
	sim_free(s);
	model_free(m);
}
END_TEST

/* Every scenario loads (what `vpcsim show` needs to exit 0). */
START_TEST(test_scenarios_load)
{
	DIR *d = opendir("scenarios");
	ck_assert_ptr_nonnull(d);
	char bad[2048] = "";
	size_t off = 0;
	int n = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		char path[512];
		snprintf(path, sizeof(path), "scenarios/%s", de->d_name);
		struct diag_list diags = {0};
		struct model *m = NULL;
		int rc = model_load_file(&m, path, &diags);
		if (rc || !m) {
			if (off < sizeof(bad))
				off += (size_t)snprintf(bad + off,
							sizeof(bad) - off,
							" %s", de->d_name);
		}
		diag_list_free(&diags);
		model_free(m);
		n++;
	}
	closedir(d);
	ck_assert_msg(!off, "scenarios that do not load:%s", bad);
	ck_assert_int_ge(n, 20);
}
END_TEST

Suite *sim_suite(void)
{
	Suite *s = suite_create("sim");
	TCase *tc = tcase_create("flows");
	collect_files();
	tcase_add_loop_test(tc, test_flows, 0, n_files);
	tcase_add_test(tc, test_vocabulary_covered);
	tcase_add_test(tc, test_scenarios_load);
	tcase_add_test(tc, test_many_rules);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
