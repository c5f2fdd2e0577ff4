/*
 * The table of AWS values.  Every array is indexed by the model's enum it
 * names (enum proto, enum lb_protocol) or searched by name; nothing here
 * allocates, and every string returned is the table's own or a pointer
 * into the caller's.  proto_name and lb_protocol_name (model.h) live here
 * so that a protocol's name is written once.
 */
#include "model/values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"

/* ---- IP protocols ------------------------------------------------------ */

const struct values_proto values_protos[VALUES_N_PROTOS] = {
    [PROTO_ALL] = {"all", "-1"},       [PROTO_TCP] = {"tcp", "6"},
    [PROTO_UDP] = {"udp", "17"},       [PROTO_ICMP] = {"icmp", "1"},
    [PROTO_ICMPV6] = {"icmpv6", "58"},
};
_Static_assert(VALUES_N_PROTOS == PROTO_OTHER,
	       "every protocol before PROTO_OTHER has a name and a number");

const struct values_proto_syntax values_ec2_protos = {true,
						      VALUES_NUMBERS_STRTOL};

const char *proto_name(enum proto p)
{
	return p < VALUES_N_PROTOS ? values_protos[p].name : "other";
}

int values_proto_lookup(enum proto *out, const char *s,
			const struct values_proto_syntax *syn)
{
	for (int p = 0; p < VALUES_N_PROTOS; p++) {
		const struct values_proto *v = &values_protos[p];
		if ((syn->any_case ? !strcasecmp(s, v->name)
				   : !strcmp(s, v->name)) ||
		    (syn->numbers != VALUES_NAMES_ONLY &&
		     !strcmp(s, v->number))) {
			*out = (enum proto)p;
			return 0;
		}
	}
	return -1;
}

/* Another protocol's number, 0-255, as the syntax reads numbers. */
static int other_number(uint8_t *out, const char *s, enum values_numbers how)
{
	if (how == VALUES_NUMBERS_STRTOL) {
		char *end;
		long n = strtol(s, &end, 10);
		if (!*s || *end || n < 0 || n > 255)
			return -1;
		*out = (uint8_t)n;
		return 0;
	}
	uint32_t v;
	if (how != VALUES_NUMBERS || !util_port_text(s, &v) || v > 255)
		return -1;
	*out = (uint8_t)v;
	return 0;
}

int values_rule_proto(struct model_match *m, const char *s,
		      const struct values_proto_syntax *syn)
{
	enum proto p;
	uint8_t n;
	if (values_proto_lookup(&p, s, syn) == 0) {
		m->proto = p;
		return 0;
	}
	if (other_number(&n, s, syn->numbers) < 0)
		return -1;
	m->proto = PROTO_OTHER;
	m->proto_number = n;
	return 0;
}

enum proto values_proto_of_number(long n)
{
	char text[24];
	snprintf(text, sizeof(text), "%ld", n);
	for (int p = 0; p < VALUES_N_PROTOS; p++)
		if (!strcmp(text, values_protos[p].number))
			return (enum proto)p;
	return PROTO_OTHER;
}

enum proto values_ecs_mapping_proto(const char *s)
{
	static const struct values_proto_syntax names = {true,
							 VALUES_NAMES_ONLY};
	enum proto p;
	return s && values_proto_lookup(&p, s, &names) == 0 && p == PROTO_UDP
		   ? PROTO_UDP
		   : PROTO_TCP;
}

/* ---- load balancer protocols ------------------------------------------- */

static const char *const lb_protocols[] = {
    [LBP_HTTP] = "HTTP", [LBP_HTTPS] = "HTTPS", [LBP_TCP] = "TCP",
    [LBP_TLS] = "TLS",	 [LBP_UDP] = "UDP",	[LBP_TCP_UDP] = "TCP_UDP",
};
_Static_assert(ARRAY_LEN(lb_protocols) == LBP_TCP_UDP + 1,
	       "every listener protocol has a name");

const char *lb_protocol_name(enum lb_protocol p)
{
	return p < ARRAY_LEN(lb_protocols) ? lb_protocols[p] : "?";
}

int values_lb_protocol_parse(enum lb_protocol *out, const char *s,
			     bool any_case)
{
	for (size_t i = 0; i < ARRAY_LEN(lb_protocols); i++)
		if (any_case ? !strcasecmp(s, lb_protocols[i])
			     : !strcmp(s, lb_protocols[i])) {
			*out = (enum lb_protocol)i;
			return 0;
		}
	return -1;
}

/* ---- AWS services ------------------------------------------------------ */

const char *values_endpoint_service(const char *s, bool keep_private_link)
{
	size_t n = strlen(VALUES_AWS_PREFIX);
	if (strncmp(s, VALUES_AWS_PREFIX, n))
		return s;
	if (keep_private_link && !strncmp(s + n, "vpce.", 5))
		return s;
	const char *dot = strchr(s + n, '.'); /* after REGION */
	return dot ? dot + 1 : s;
}

/* The gateway services and representative blocks of their prefix
 * lists. */
static const struct {
	const char *service;
	struct cidr block;
} gateway_services[] = {
    {"s3", {0x34D80000u, 15}},	     /* 52.216.0.0/15 */
    {"dynamodb", {0x345E0000u, 22}}, /* 52.94.0.0/22 */
};

const struct cidr *values_service_block(const char *service)
{
	for (size_t i = 0; i < ARRAY_LEN(gateway_services); i++)
		if (!strcmp(gateway_services[i].service, service))
			return &gateway_services[i].block;
	return NULL;
}

bool values_gateway_service(const char *service)
{
	return values_service_block(service) != NULL;
}

/* Representative public addresses of the services' regional endpoints;
 * S3's is the tenth address of its prefix list's block. */
static const struct values_aws_service aws_services[] = {
    {"ecr",
     2,
     {{"ecr.api", 0x3477A00Au},		  /* 52.119.160.10 */
      {"ecr.dkr", 0x3477A10Au}}},	  /* 52.119.161.10 */
    {"s3", 1, {{"s3", 0x34D8000Au}}},	  /* 52.216.0.10 */
    {"logs", 1, {{"logs", 0x345EE00Au}}}, /* 52.94.224.10 */
};

const struct values_aws_service *values_aws_service(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(aws_services); i++)
		if (!strcmp(aws_services[i].name, name))
			return &aws_services[i];
	return NULL;
}

/* ---- a subnet's reserved addresses ------------------------------------- */

uint64_t values_first_host(struct cidr block)
{
	return (uint64_t)block.addr + VALUES_RESERVED_HEAD;
}

uint32_t values_last_host(struct cidr block)
{
	return cidr_last(block) - 1;
}

bool values_addr_reserved(struct cidr block, uint32_t addr)
{
	return addr - block.addr < VALUES_RESERVED_HEAD ||
	       addr == cidr_last(block);
}

int64_t values_usable_addrs(struct cidr block)
{
	return (int64_t)cidr_size(block) - VALUES_RESERVED_ADDRS;
}

/* ---- the match-all rule ------------------------------------------------ */

const struct model_match values_match_all = {PROTO_ALL, 0, 0, 65535, -1, -1};

struct model_sg_rule values_sg_egress_all(struct src_loc loc)
{
	return (struct model_sg_rule){
	    .loc = loc,
	    .number = 1,
	    .match = values_match_all,
	    .peer_kind = PEER_CIDR,
	    .peer = MODEL_NONE,
	    .description = "default: all outbound",
	    .implicit = true,
	};
}

struct model_nacl_rule values_nacl_allow_all(struct src_loc loc)
{
	return (struct model_nacl_rule){
	    .loc = loc,
	    .number = 100,
	    .allow = true,
	    .match = values_match_all,
	};
}
