/*
 * Tests for model/values.c, the one table of AWS values: each protocol
 * spelling under each format's syntax (what the native format refuses and
 * the EC2 formats accept), load balancer protocols, endpoint service names
 * (PrivateLink kept or cut), gateway services, the AWS services and their
 * endpoints, a subnet's reserved addresses at the edges, and the match-all
 * rules.  Then the loaders: one security group rule spelt alike in the
 * native format, a CloudFormation template and a Terraform plan is read
 * as the table and each format's parameters say.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "base/cidr.h"
#include "load/load.h"
#include "model/values.h"

static const struct values_proto_syntax native = {false, VALUES_NUMBERS};
static const struct values_proto_syntax names_any = {true, VALUES_NAMES_ONLY};

/* The protocol values_rule_proto reads from s, or -1 when it refuses;
 * *number gets proto_number for PROTO_OTHER. */
static int rule(const char *s, const struct values_proto_syntax *syn,
		int *number)
{
	struct model_match m = {.proto = PROTO_TCP, .proto_number = 77};
	if (values_rule_proto(&m, s, syn) < 0) {
		/* refused: untouched */
		ck_assert_int_eq(m.proto, PROTO_TCP);
		ck_assert_int_eq(m.proto_number, 77);
		return -1;
	}
	*number = m.proto_number;
	return (int)m.proto;
}

START_TEST(protocol_names_and_numbers)
{
	static const struct {
		const char *s;
		int proto;
	} cases[] = {
	    {"all", PROTO_ALL},	  {"-1", PROTO_ALL},  {"tcp", PROTO_TCP},
	    {"6", PROTO_TCP},	  {"udp", PROTO_UDP}, {"17", PROTO_UDP},
	    {"icmp", PROTO_ICMP}, {"1", PROTO_ICMP},  {"icmpv6", PROTO_ICMPV6},
	    {"58", PROTO_ICMPV6},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n;
		ck_assert_msg(rule(cases[i].s, &native, &n) == cases[i].proto,
			      "native %s", cases[i].s);
		ck_assert_msg(rule(cases[i].s, &values_ec2_protos, &n) ==
				  cases[i].proto,
			      "ec2 %s", cases[i].s);
	}
	/* The name side of the table is proto_name's. */
	for (int p = PROTO_ALL; p <= PROTO_ICMPV6; p++) {
		enum proto got;
		ck_assert_int_eq(
		    values_proto_lookup(&got, proto_name(p), &native), 0);
		ck_assert_int_eq(got, p);
	}
	ck_assert_str_eq(proto_name(PROTO_OTHER), "other");
	ck_assert_str_eq(proto_name(PROTO_ICMPV6), "icmpv6");
}
END_TEST

START_TEST(protocol_case_by_format)
{
	int n;
	/* The EC2 API takes names in any case; the native format does not. */
	ck_assert_int_eq(rule("TCP", &values_ec2_protos, &n), PROTO_TCP);
	ck_assert_int_eq(rule("All", &values_ec2_protos, &n), PROTO_ALL);
	ck_assert_int_eq(rule("ICMPv6", &values_ec2_protos, &n), PROTO_ICMPV6);
	ck_assert_int_eq(rule("TCP", &native, &n), -1);
	ck_assert_int_eq(rule("All", &native, &n), -1);
	ck_assert_int_eq(rule("", &native, &n), -1);
	ck_assert_int_eq(rule("", &values_ec2_protos, &n), -1);
	ck_assert_int_eq(rule("tcpx", &values_ec2_protos, &n), -1);
}
END_TEST

START_TEST(protocol_other_numbers)
{
	int n = -1;
	ck_assert_int_eq(rule("47", &native, &n), PROTO_OTHER);
	ck_assert_int_eq(n, 47);
	ck_assert_int_eq(rule("0", &native, &n), PROTO_OTHER);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(rule("255", &native, &n), PROTO_OTHER);
	ck_assert_int_eq(n, 255);
	ck_assert_int_eq(rule("256", &native, &n), -1);
	ck_assert_int_eq(rule("-2", &native, &n), -1);
	/* Native: plain digits; "06" is neither tcp nor a number. */
	ck_assert_int_eq(rule("06", &native, &n), -1);
	ck_assert_int_eq(rule("+6", &native, &n), -1);
	/* EC2 formats read other numbers with strtol: "06" is protocol 6
	 * but not tcp (kept as the loaders always read it). */
	ck_assert_int_eq(rule("06", &values_ec2_protos, &n), PROTO_OTHER);
	ck_assert_int_eq(n, 6);
	ck_assert_int_eq(rule(" 47", &values_ec2_protos, &n), PROTO_OTHER);
	ck_assert_int_eq(n, 47);
	ck_assert_int_eq(rule("47 ", &values_ec2_protos, &n), -1);
	ck_assert_int_eq(rule("256", &values_ec2_protos, &n), -1);
	ck_assert_int_eq(rule("0x6", &values_ec2_protos, &n), -1);
	/* Names only: no numbers at all. */
	ck_assert_int_eq(rule("6", &names_any, &n), -1);
	ck_assert_int_eq(rule("47", &names_any, &n), -1);
	ck_assert_int_eq(rule("UDP", &names_any, &n), PROTO_UDP);
}
END_TEST

START_TEST(protocol_numbers_and_mappings)
{
	ck_assert_int_eq(values_proto_of_number(-1), PROTO_ALL);
	ck_assert_int_eq(values_proto_of_number(6), PROTO_TCP);
	ck_assert_int_eq(values_proto_of_number(17), PROTO_UDP);
	ck_assert_int_eq(values_proto_of_number(1), PROTO_ICMP);
	ck_assert_int_eq(values_proto_of_number(58), PROTO_ICMPV6);
	ck_assert_int_eq(values_proto_of_number(0), PROTO_OTHER);
	ck_assert_int_eq(values_proto_of_number(47), PROTO_OTHER);
	ck_assert_int_eq(values_ecs_mapping_proto("udp"), PROTO_UDP);
	ck_assert_int_eq(values_ecs_mapping_proto("UDP"), PROTO_UDP);
	ck_assert_int_eq(values_ecs_mapping_proto("tcp"), PROTO_TCP);
	ck_assert_int_eq(values_ecs_mapping_proto("17"), PROTO_TCP);
	ck_assert_int_eq(values_ecs_mapping_proto("icmp"), PROTO_TCP);
	ck_assert_int_eq(values_ecs_mapping_proto(NULL), PROTO_TCP);
}
END_TEST

START_TEST(lb_protocols)
{
	enum lb_protocol p = LBP_TCP;
	ck_assert_int_eq(values_lb_protocol_parse(&p, "HTTPS", false), 0);
	ck_assert_int_eq(p, LBP_HTTPS);
	ck_assert_int_eq(values_lb_protocol_parse(&p, "TCP_UDP", false), 0);
	ck_assert_int_eq(p, LBP_TCP_UDP);
	ck_assert_int_eq(values_lb_protocol_parse(&p, "http", false), -1);
	ck_assert_int_eq(p, LBP_TCP_UDP);
	ck_assert_int_eq(values_lb_protocol_parse(&p, "http", true), 0);
	ck_assert_int_eq(p, LBP_HTTP);
	ck_assert_int_eq(values_lb_protocol_parse(&p, "GENEVE", true), -1);
	for (int i = LBP_HTTP; i <= LBP_TCP_UDP; i++) {
		ck_assert_int_eq(
		    values_lb_protocol_parse(&p, lb_protocol_name(i), false),
		    0);
		ck_assert_int_eq(p, i);
	}
	ck_assert_str_eq(lb_protocol_name(LBP_TCP_UDP + 1), "?");
}
END_TEST

START_TEST(endpoint_services)
{
	ck_assert_str_eq(
	    values_endpoint_service("com.amazonaws.us-east-1.s3", true), "s3");
	ck_assert_str_eq(
	    values_endpoint_service("com.amazonaws.eu-west-1.ecr.api", false),
	    "ecr.api");
	ck_assert_str_eq(values_endpoint_service("logs", true), "logs");
	ck_assert_str_eq(values_endpoint_service("com.amazonaws.", true),
			 "com.amazonaws.");
	const char *pl = "com.amazonaws.vpce.us-east-1.vpce-svc-0123";
	ck_assert_ptr_eq(values_endpoint_service(pl, true), pl);
	ck_assert_str_eq(values_endpoint_service(pl, false),
			 "us-east-1.vpce-svc-0123");
	ck_assert(values_gateway_service("s3"));
	ck_assert(values_gateway_service("dynamodb"));
	ck_assert(!values_gateway_service("ecr.api"));
	ck_assert(!values_gateway_service("S3"));
	const struct cidr *b = values_service_block("s3");
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(b->addr, 0x34D80000u);
	ck_assert_uint_eq(b->len, 15);
	ck_assert_ptr_null(values_service_block("logs"));
}
END_TEST

START_TEST(aws_services)
{
	const struct values_aws_service *ecr = values_aws_service("ecr");
	ck_assert_ptr_nonnull(ecr);
	ck_assert_uint_eq(ecr->n_endpoints, 2);
	ck_assert_str_eq(ecr->endpoints[0].service, "ecr.api");
	ck_assert_str_eq(ecr->endpoints[1].service, "ecr.dkr");
	const struct values_aws_service *s3 = values_aws_service("s3");
	ck_assert_uint_eq(s3->n_endpoints, 1);
	/* S3's public address lies in its prefix list's block. */
	ck_assert(cidr_contains_addr(*values_service_block("s3"),
				     s3->endpoints[0].addr));
	ck_assert_str_eq(values_aws_service("logs")->endpoints[0].service,
			 "logs");
	ck_assert_ptr_null(values_aws_service("aws:ecr"));
	ck_assert_ptr_null(values_aws_service("?"));
}
END_TEST

START_TEST(reserved_addresses)
{
	struct cidr c;
	ck_assert_int_eq(cidr_parse(&c, "10.0.1.0/24"), 0);
	ck_assert_uint_eq(values_first_host(c), c.addr + 4);
	ck_assert_uint_eq(values_last_host(c), c.addr + 254);
	ck_assert_int_eq(values_usable_addrs(c), 251);
	for (uint32_t off = 0; off < 256; off++)
		ck_assert_msg(values_addr_reserved(c, c.addr + off) ==
				  (off < 4 || off == 255),
			      "offset %u", off);
	ck_assert_int_eq(cidr_parse(&c, "10.0.1.16/28"), 0);
	ck_assert_int_eq(values_usable_addrs(c), 11);
	ck_assert(values_addr_reserved(c, c.addr + 15));
	ck_assert(!values_addr_reserved(c, c.addr + 14));
	/* Below /29 the count goes negative, as callers always showed it. */
	ck_assert_int_eq(cidr_parse(&c, "10.0.1.0/30"), 0);
	ck_assert_int_eq(values_usable_addrs(c), -1);
	/* At the top of the space the fifth address is past 2^32. */
	ck_assert_int_eq(cidr_parse(&c, "255.255.255.252/30"), 0);
	ck_assert(values_first_host(c) > 0xFFFFFFFFu);
	ck_assert_int_eq(VALUES_RESERVED_ADDRS, 5);
}
END_TEST

START_TEST(match_all)
{
	const struct model_match *m = &values_match_all;
	ck_assert_int_eq(m->proto, PROTO_ALL);
	ck_assert_uint_eq(m->port_lo, 0);
	ck_assert_uint_eq(m->port_hi, 65535);
	ck_assert_int_eq(m->icmp_type, -1);
	ck_assert_int_eq(m->icmp_code, -1);
	struct src_loc loc = {.file = "x.yaml", .line = 7, .col = 3};
	struct model_sg_rule r = values_sg_egress_all(loc);
	ck_assert_int_eq(r.match.proto, PROTO_ALL);
	ck_assert_uint_eq(r.match.port_hi, 65535);
	ck_assert_int_eq(r.peer_kind, PEER_CIDR);
	ck_assert_uint_eq(r.cidr.addr, 0);
	ck_assert_uint_eq(r.cidr.len, 0);
	ck_assert_uint_eq(r.peer, MODEL_NONE);
	ck_assert_uint_eq(r.number, 1);
	ck_assert(r.implicit);
	ck_assert_str_eq(r.description, "default: all outbound");
	ck_assert_uint_eq(r.loc.line, 7);
	struct model_nacl_rule a = values_nacl_allow_all(loc);
	ck_assert_uint_eq(a.number, 100);
	ck_assert(a.allow);
	ck_assert(!a.ipv6);
	ck_assert_uint_eq(a.cidr.len, 0);
	ck_assert_int_eq(a.match.proto, PROTO_ALL);
	ck_assert_str_eq(a.loc.file, "x.yaml");
}
END_TEST

/* ---- the loaders use the table ----------------------------------------- */

/* One ingress rule with protocol proto (ports 443 when with_ports) in
 * format f (0 native, 1 CloudFormation, 2 Terraform), loaded; the rule's
 * match in *out.  Returns 0, or -1 when the load failed. */
static int load_rule(int f, const char *proto, bool with_ports,
		     struct model_match *out)
{
	char buf[2048];
	const char *ports = with_ports ? "443" : "-1";
	if (f == 0)
		snprintf(buf, sizeof(buf),
			 "vpcs:\n  v: {cidr: 10.9.0.0/16}\n"
			 "security_groups:\n  g:\n    vpc: v\n"
			 "    ingress:\n      - {protocol: '%s', %s"
			 "from: 0.0.0.0/0}\n",
			 proto, with_ports ? "ports: 443, " : "");
	else if (f == 1)
		snprintf(
		    buf, sizeof(buf),
		    "AWSTemplateFormatVersion: '2010-09-09'\n"
		    "Resources:\n  V:\n    Type: AWS::EC2::VPC\n"
		    "    Properties: {CidrBlock: 10.9.0.0/16}\n"
		    "  G:\n    Type: AWS::EC2::SecurityGroup\n"
		    "    Properties:\n      GroupDescription: g\n"
		    "      VpcId: !Ref V\n      SecurityGroupIngress:\n"
		    "        - {IpProtocol: '%s', FromPort: %s, ToPort: %s, "
		    "CidrIp: 0.0.0.0/0}\n",
		    proto, ports, ports);
	else
		snprintf(
		    buf, sizeof(buf),
		    "{\"format_version\": \"1.2\", \"planned_values\": "
		    "{\"root_module\": {\"resources\": [\n"
		    " {\"address\": \"aws_vpc.v\", \"mode\": \"managed\", "
		    "\"type\": \"aws_vpc\", \"name\": \"v\", \"values\": "
		    "{\"cidr_block\": \"10.9.0.0/16\"}},\n"
		    " {\"address\": \"aws_security_group.g\", \"mode\": "
		    "\"managed\", \"type\": \"aws_security_group\", "
		    "\"name\": \"g\", \"values\": {\"ingress\": "
		    "[{\"protocol\": \"%s\", \"from_port\": %s, "
		    "\"to_port\": %s, \"cidr_blocks\": "
		    "[\"0.0.0.0/0\"]}]}}]}},\n"
		    " \"resource_changes\": [{\"address\": "
		    "\"aws_security_group.g\", \"change\": {\"actions\": "
		    "[\"create\"], \"after_unknown\": {\"vpc_id\": true}}}],\n"
		    " \"configuration\": {\"root_module\": {\"resources\": "
		    "[{\"address\": \"aws_security_group.g\", \"mode\": "
		    "\"managed\", \"type\": \"aws_security_group\", "
		    "\"name\": \"g\", \"expressions\": {\"vpc_id\": "
		    "{\"references\": [\"aws_vpc.v\"]}}}]}}}\n",
		    proto, ports, ports);
	static const char *const names[] = {"n.yaml", "t.yaml", "p.json"};
	static const char *const ids[] = {"g", "G", "aws_security_group.g"};
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, names[f], buf, strlen(buf), &d);
	if (rc == 0) {
		struct model_obj *o = model_find(m, ids[f]);
		ck_assert_ptr_nonnull(o);
		const struct model_security_group *g = &m->groups[o->index];
		ck_assert_uint_eq(g->n_ingress, 1);
		*out = g->ingress[0].match;
	}
	model_free(m);
	diag_list_free(&d);
	return rc == 0 ? 0 : -1;
}

START_TEST(loaders_read_protocols_alike)
{
	/* -1: refused; the native format is lower case with plain digits,
	 * the EC2 formats any case with strtol numbers (so "06" is protocol
	 * 6, not tcp: kept as they always read it). */
	static const struct {
		const char *s;
		int native, ec2, number;
	} cases[] = {
	    {"tcp", PROTO_TCP, PROTO_TCP, 0},
	    {"6", PROTO_TCP, PROTO_TCP, 0},
	    {"TCP", -1, PROTO_TCP, 0},
	    {"Udp", -1, PROTO_UDP, 0},
	    {"-1", PROTO_ALL, PROTO_ALL, 0},
	    {"ALL", -1, PROTO_ALL, 0},
	    {"47", PROTO_OTHER, PROTO_OTHER, 47},
	    {"06", -1, PROTO_OTHER, 6},
	    {"tcpp", -1, -1, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (int f = 0; f < 3; f++) {
			int want = f ? cases[i].ec2 : cases[i].native;
			bool ported = want == PROTO_TCP || want == PROTO_UDP;
			struct model_match mt;
			int rc = load_rule(f, cases[i].s, ported, &mt);
			ck_assert_msg((rc == 0) == (want >= 0),
				      "format %d, '%s': rc %d", f, cases[i].s,
				      rc);
			if (rc < 0)
				continue;
			ck_assert_msg((int)mt.proto == want,
				      "format %d, '%s': %s", f, cases[i].s,
				      proto_name(mt.proto));
			if (want == PROTO_OTHER)
				ck_assert_uint_eq(mt.proto_number,
						  cases[i].number);
			if (ported)
				ck_assert(mt.port_lo == 443 &&
					  mt.port_hi == 443);
		}
}
END_TEST

Suite *values_suite(void)
{
	Suite *s = suite_create("values");
	TCase *tc = tcase_create("protocols");
	tcase_add_test(tc, protocol_names_and_numbers);
	tcase_add_test(tc, protocol_case_by_format);
	tcase_add_test(tc, protocol_other_numbers);
	tcase_add_test(tc, protocol_numbers_and_mappings);
	tcase_add_test(tc, lb_protocols);
	suite_add_tcase(s, tc);
	tc = tcase_create("services");
	tcase_add_test(tc, endpoint_services);
	tcase_add_test(tc, aws_services);
	suite_add_tcase(s, tc);
	tc = tcase_create("addresses");
	tcase_add_test(tc, reserved_addresses);
	tcase_add_test(tc, match_all);
	suite_add_tcase(s, tc);
	tc = tcase_create("loaders");
	tcase_add_test(tc, loaders_read_protocols_alike);
	suite_add_tcase(s, tc);
	return s;
}
