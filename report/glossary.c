/*
 * The glossary: every term of art the text output uses, with one
 * sentence each.  docs/glossary.md lists the same entries (a test checks
 * that the two agree), and `--explain` prints a term's sentence where the
 * term first appears in the output.
 *
 * An entry's forms are the spellings that count as an appearance, matched
 * as whole words without regard to case; a term is found by its first
 * form that appears.  Entries are in the order the glossary reads.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "report/report.h"

#define F(...) ((const char *const[]){__VA_ARGS__, NULL})

const struct report_term report_glossary[] = {
    {"VPC", F("VPC", "VPCs"),
     "A VPC (virtual private cloud) is your own isolated network in one AWS "
     "region, with the address blocks you choose."},
    {"subnet", F("subnet", "subnets"),
     "A subnet is a block of a VPC's addresses in one availability zone; "
     "every resource with an address sits in one."},
    {"availability zone", F("availability zone", "availability zones"),
     "An availability zone is one group of data centers of a region; "
     "spreading a design over two zones keeps it up when one fails."},
    {"CIDR block", F("CIDR", "CIDR block", "0.0.0.0/0"),
     "A CIDR block such as 10.0.1.0/24 is a range of addresses whose first "
     "24 bits are fixed (256 addresses); 0.0.0.0/0 is every IPv4 address, "
     "the whole internet."},
    {"private address", F("private address", "private addresses"),
     "A private address (10.x.x.x in these examples) is reachable only "
     "inside the VPC and the networks joined to it."},
    {"public address", F("public address", "public addresses"),
     "A public address is one the internet can reach; a resource without "
     "one is reached only from inside the network."},
    {"Elastic IP", F("Elastic IP"),
     "An Elastic IP is a fixed public IPv4 address of your account that "
     "you attach to a resource, such as a NAT gateway."},
    {"TEST-NET-2", F("TEST-NET-2", "198.51.100.7"),
     "198.51.100.0/24, called TEST-NET-2, is a range reserved for examples; "
     "vpcsim's sample internet address 198.51.100.7 stands for any client "
     "on the internet."},
    {"placement", F("placement", "placements"),
     "A placement is one subnet a resource sits in or may be put in: "
     "alb@public-a is the load balancer's node in subnet public-a, and each "
     "question is answered for every placement of each end."},
    {"route table", F("route table", "route tables"),
     "A route table holds a subnet's routes: for each block of destination "
     "addresses, where to send the packet."},
    {"local route", F("local route", "-> local"),
     "The local route, in every route table, delivers traffic for the VPC's "
     "own addresses inside the VPC."},
    {"most specific route", F("most specific", "longest prefix"),
     "When several routes match a destination, the most specific one (the "
     "longest prefix: a /24 before a /16) decides."},
    {"blackhole", F("blackhole"),
     "A blackhole route drops its packets; AWS leaves one behind when the "
     "NAT gateway or instance a route named is deleted."},
    {"internet gateway", F("internet gateway", "internet gateways"),
     "An internet gateway, attached to a VPC, is its door to the internet, "
     "for resources with public addresses in public subnets."},
    {"egress-only internet gateway", F("egress-only"),
     "An egress-only internet gateway lets IPv6 connections out of a VPC "
     "and only their replies back in."},
    {"public subnet", F("public subnet", "public subnets"),
     "A public subnet is one whose route table sends internet traffic "
     "(0.0.0.0/0) to an internet gateway."},
    {"private subnet", F("private subnet", "private subnets"),
     "A private subnet is one whose route table does not send internet "
     "traffic to an internet gateway, so nothing on the internet can reach "
     "into it."},
    {"NAT gateway", F("NAT gateway", "NAT gateways"),
     "A NAT gateway sits in a public subnet and lets resources of private "
     "subnets open connections to the internet from its Elastic IP; it "
     "never lets a connection in."},
    {"security group", F("security group", "security groups"),
     "A security group is a firewall on a resource's network interface: it "
     "allows only what its rules name, and it is stateful."},
    {"ingress and egress", F("ingress", "egress"),
     "Ingress is traffic coming in to a resource; egress is traffic going "
     "out of it."},
    {"network ACL", F("network ACL", "network ACLs", "NACL", "NACLs"),
     "A network ACL (NACL) is a firewall on the edge of a subnet: numbered "
     "allow and deny rules for every packet that enters or leaves it, and "
     "it is stateless."},
    {"rule number", F("rule number", "number order"),
     "A network ACL checks its rules from the lowest number up, whatever "
     "their order in the file, and the first rule that matches decides."},
    {"final * rule", F("* rule"),
     "The final * rule ends every network ACL's list of rules and denies "
     "whatever no numbered rule matched."},
    {"stateful", F("stateful"),
     "Stateful: the firewall remembers each connection it allowed, so the "
     "replies pass without a rule of their own (security groups)."},
    {"stateless", F("stateless"),
     "Stateless: the firewall remembers nothing, so every reply is checked "
     "against the rules again like any packet (network ACLs)."},
    {"ephemeral port", F("ephemeral port", "ephemeral ports"),
     "An ephemeral port is the short-lived port a client picks for one "
     "connection, from 1024-65535 for load balancers and NAT gateways; the "
     "server's replies are sent to it."},
    {"reply", F("reply", "replies"),
     "A reply is a packet the server sends back on an open connection, from "
     "the port it serves to the client's ephemeral port."},
    {"degraded", F("degraded"),
     "Degraded: the replies pass on some ephemeral ports and not on others, "
     "so some connections fail at random, depending on the port the client "
     "picks."},
    {"load balancer", F("load balancer", "load balancers"),
     "A load balancer takes the connections of clients on its listeners "
     "and passes each request to one of its healthy targets."},
    {"internet-facing", F("internet-facing", "internal"),
     "An internet-facing load balancer's nodes have public addresses the "
     "internet can reach; an internal one's have private addresses only."},
    {"DNS name", F("DNS"),
     "A load balancer is reached by its DNS name, which answers with the "
     "addresses of its nodes; a network load balancer leaves out a node "
     "whose zone has no healthy target."},
    {"node", F("node", "nodes"),
     "A load balancer's node is its presence in one of its subnets, with "
     "an address there; it opens the connections to the targets."},
    {"listener", F("listener", "listeners"),
     "A listener is a port and protocol a load balancer accepts connections "
     "on, with what to do with them (forward, redirect, answer)."},
    {"target group", F("target group", "target groups"),
     "A target group lists the targets a load balancer forwards to (ECS "
     "tasks, instances, addresses), their port and their health check."},
    {"health check", F("health check", "health checks"),
     "A health check is a load balancer's regular test connection to a "
     "target; a target that fails it gets no traffic."},
    {"node-to-target path", F("node-to-target"),
     "A node-to-target path is one load balancer node's connection to one "
     "target; a request is served when one path works."},
    {"client IP preservation", F("client IP preservation", "preserved"),
     "With client IP preservation a network load balancer hands the "
     "client's own address to the target, whose rules then see the "
     "client."},
    {"ECS service", F("ECS", "tasks"),
     "An ECS service keeps a number of tasks (running containers) up; each "
     "task has its own network interface in one of the service's subnets."},
    {"publicly accessible", F("publicly accessible"),
     "An RDS database marked publicly accessible gets a public address; "
     "the internet still reaches it only from a public subnet, through a "
     "security group that lets it in."},
    {"prefix list", F("prefix list", "prefix lists"),
     "A prefix list is a named set of address blocks, such as the ones AWS "
     "keeps for S3, that a rule or a route can name."},
    {"private DNS", F("private DNS"),
     "With private DNS on, an interface endpoint takes over the AWS "
     "service's name inside the VPC, so its clients reach it without "
     "changing anything."},
    {"source/destination check", F("source/destination check"),
     "The source/destination check makes an instance drop packets not "
     "addressed to it; a firewall or NAT instance needs it off."},
    {"peering", F("peering"),
     "A peering connection joins two VPCs so they reach each other's "
     "private addresses; it is not transitive."},
    {"VPC endpoint", F("endpoint", "endpoints"),
     "A VPC endpoint reaches an AWS service without the internet: an "
     "interface endpoint is an address in your subnets, a gateway endpoint "
     "a route in your route tables."},
    {"AWS service", F("aws:ecr", "aws:s3", "aws:logs"),
     "aws:ecr, aws:s3 and aws:logs are the AWS services ECS tasks need: "
     "the image registry, the storage that holds image layers, and "
     "CloudWatch Logs."},
    {"hop", F("hop", "hops"),
     "A hop is one connection; a chain of hops is a path an attacker or an "
     "application can take, each hop starting where the last one arrived."},
    {"sg-egress", F("sg-egress"),
     "sg-egress: blocked by the security groups of the source, on the way "
     "out."},
    {"sg-ingress", F("sg-ingress"),
     "sg-ingress: blocked by the security groups of the destination, on "
     "the way in."},
    {"nacl-out", F("nacl-out"),
     "nacl-out: blocked by the network ACL of a subnet the packet leaves."},
    {"nacl-in", F("nacl-in"),
     "nacl-in: blocked by the network ACL of a subnet the packet enters."},
    {"nacl-reply-out", F("nacl-reply-out"),
     "nacl-reply-out: the replies are blocked by the network ACL of the "
     "server's subnet, on their way out."},
    {"nacl-reply-in", F("nacl-reply-in"),
     "nacl-reply-in: the replies are blocked by the network ACL of a "
     "subnet they enter on their way back."},
    {"no-route", F("no-route"),
     "no-route: the route table has no route for the destination."},
    {"route", F("(route)"),
     "route: the route leads somewhere that does not carry the packet "
     "on."},
    {"no-igw", F("no-igw"), "no-igw: the VPC has no internet gateway."},
    {"no-public-ip", F("no-public-ip"),
     "no-public-ip: the internet gateway needs a public address that the "
     "resource does not have."},
    {"nat-not-public", F("nat-not-public"),
     "nat-not-public: the NAT gateway cannot reach the internet (no Elastic "
     "IP, or in a private subnet)."},
    {"not-listening", F("not-listening"),
     "not-listening: nothing accepts connections on that port."},
    {"no-healthy-target-path", F("no-healthy-target-path"),
     "no-healthy-target-path: the load balancer has no target it can reach "
     "that passes its health check."},
};

const size_t report_glossary_n =
    sizeof(report_glossary) / sizeof(report_glossary[0]);

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Where form appears in text as a whole word, ignoring case; -1: not. */
static long find_word(const char *text, const char *form)
{
	size_t n = strlen(form);
	for (const char *p = text; *p; p++) {
		if (strncasecmp(p, form, n))
			continue;
		bool left = p == text || !word_char(p[-1]) || !word_char(*form);
		bool right = !word_char(p[n]) || !word_char(form[n - 1]);
		if (left && right)
			return p - text;
	}
	return -1;
}

uint32_t report_terms_in(const char *text, uint32_t *out, uint32_t max)
{
	/* In the order they appear in text. */
	long at[64];
	uint32_t n = 0;
	for (size_t t = 0; t < report_glossary_n && n < max && n < 64; t++) {
		long first = -1;
		for (const char *const *f = report_glossary[t].forms; *f; f++) {
			long w = find_word(text, *f);
			if (w >= 0 && (first < 0 || w < first))
				first = w;
		}
		if (first < 0)
			continue;
		uint32_t k = n++;
		while (k > 0 && at[k - 1] > first) {
			at[k] = at[k - 1];
			out[k] = out[k - 1];
			k--;
		}
		at[k] = first;
		out[k] = (uint32_t)t;
	}
	return n;
}
