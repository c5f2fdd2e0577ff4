/*
 * One table of AWS values (model/values.c), the vocabulary every loader,
 * the engine and the rules share:
 *   - IP protocols: names and numbers (proto_name in model.h reads it);
 *   - load balancer protocols (lb_protocol_name in model.h reads it);
 *   - AWS services: endpoint service names, the gateway services and
 *     their managed prefix lists, the services a selector names (aws:ecr)
 *     and the interface endpoints that carry them;
 *   - a subnet's reserved addresses;
 *   - the match-all rule.
 * Where formats really read a value differently (AWS's own interfaces
 * differ), the difference is a parameter the caller states, with the
 * reason at the call, not a copy of the table.
 */
#ifndef VPCSIM_VALUES_H
#define VPCSIM_VALUES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/cidr.h"
#include "model/model.h"

/* ---- IP protocols ------------------------------------------------------ */

/* The protocols with a name, indexed by enum proto (PROTO_ALL ..
 * PROTO_ICMPV6): the name and the number AWS also takes ("-1" for all). */
struct values_proto {
	const char *name;
	const char *number;
};
#define VALUES_N_PROTOS 5
extern const struct values_proto values_protos[VALUES_N_PROTOS];

/* Which numbers a format takes for a protocol besides its names. */
enum values_numbers {
	/* Names only ("tcp", never "6"): ECS port mappings. */
	VALUES_NAMES_ONLY,
	/* The number of a named protocol ("6"; "-1" for all) and, for a
	 * rule, any other protocol as decimal digits 0-255 without a leading
	 * zero (PROTO_OTHER). */
	VALUES_NUMBERS,
	/* As VALUES_NUMBERS, but other protocols are read with strtol, as
	 * the CloudFormation and Terraform loaders always did: blanks before,
	 * a sign and leading zeros pass, and the number is then PROTO_OTHER
	 * even when it names a protocol ("06", "+6", " 6" are protocol 6 but
	 * not tcp). */
	VALUES_NUMBERS_STRTOL,
};

/* How a format spells a protocol. */
struct values_proto_syntax {
	bool any_case; /* "TCP" as well as "tcp" */
	enum values_numbers numbers;
};

/* The EC2 API's spelling, which CloudFormation and Terraform pass on, as
 * these loaders always read it: names in any case ("TCP"), numbers with
 * strtol (VALUES_NUMBERS_STRTOL). */
extern const struct values_proto_syntax values_ec2_protos;

/* The named protocol s stands for: a name, or its number unless
 * syn->numbers is VALUES_NAMES_ONLY.  Returns 0, or -1 (*out untouched)
 * when s is neither; the message is the caller's. */
int values_proto_lookup(enum proto *out, const char *s,
			const struct values_proto_syntax *syn);

/* A rule's protocol into m->proto (and m->proto_number for PROTO_OTHER):
 * what values_proto_lookup finds, else another number 0-255 when the
 * syntax takes numbers.  Returns 0, or -1 (*m untouched) for anything
 * else; the message is the caller's. */
int values_rule_proto(struct model_match *m, const char *s,
		      const struct values_proto_syntax *syn);

/* The protocol numbered n (-1: all), PROTO_OTHER for a number without a
 * name: a network ACL entry's Protocol in CloudFormation is a number. */
enum proto values_proto_of_number(long n);

/* An ECS port mapping's protocol as CloudFormation and Terraform give it
 * (s may be NULL): udp in any case is udp; anything else is tcp, ECS's
 * default (other words are not refused, as these loaders always did). */
enum proto values_ecs_mapping_proto(const char *s);

/* ---- load balancer protocols ------------------------------------------- */

/* The names, in a message: "must be " VALUES_LB_PROTOCOL_LIST ", not". */
#define VALUES_LB_PROTOCOL_LIST "HTTP, HTTPS, TCP, TLS, UDP or TCP_UDP"

/* The listener or target group protocol s names (upper case, or any case
 * when any_case).  Returns 0, or -1 (*out untouched). */
int values_lb_protocol_parse(enum lb_protocol *out, const char *s,
			     bool any_case);

/* ---- AWS services ------------------------------------------------------ */

/* How AWS's own service names begin: "com.amazonaws.REGION.NAME". */
#define VALUES_AWS_PREFIX "com.amazonaws."

/* The AWS service an endpoint's service name stands for:
 * "com.amazonaws.REGION.NAME" is NAME (a pointer into s, "ecr.api"), any
 * other text itself.  A PrivateLink service
 * ("com.amazonaws.vpce.REGION.vpce-svc-...") is no AWS service: it stays
 * whole when keep_private_link, else it is cut like the others. */
const char *values_endpoint_service(const char *s, bool keep_private_link);

/* Whether AWS offers gateway endpoints and a managed prefix list for the
 * service: s3 and dynamodb. */
bool values_gateway_service(const char *service);

/* A representative public block of a gateway service's managed prefix
 * list, for a model that does not list the service's ranges itself; NULL
 * for other services.  The table's own storage. */
const struct cidr *values_service_block(const char *service);

/* An interface endpoint service that carries an AWS service, and a
 * representative public address of its regional endpoint. */
struct values_endpoint {
	const char *service; /* "ecr.api" */
	uint32_t addr;
};

/* An AWS service a selector names (aws:NAME) and the endpoints it takes:
 * ECR is ecr.api and ecr.dkr (§9, §11). */
struct values_aws_service {
	const char *name; /* "ecr" */
	uint32_t n_endpoints;
	struct values_endpoint endpoints[2];
};

/* The AWS service named name ("ecr", without "aws:"), or NULL.  The
 * table's own storage. */
const struct values_aws_service *values_aws_service(const char *name);

/* ---- a subnet's reserved addresses (§1, §2) ---------------------------- */

/* AWS keeps five addresses of every subnet to itself: the first four
 * (network, router, DNS, future use) and the last (broadcast). */
#define VALUES_RESERVED_HEAD  4u
#define VALUES_RESERVED_ADDRS 5u

/* The first address AWS hands out in block, its fifth; in 64 bits, since
 * a /30 at the top of the space has none below 2^32. */
uint64_t values_first_host(struct cidr block);
/* The last address AWS hands out in block, before the broadcast; for
 * blocks of /30 or larger. */
uint32_t values_last_host(struct cidr block);
/* Whether addr, an address inside block, is one of the five reserved. */
bool values_addr_reserved(struct cidr block, uint32_t addr);
/* The addresses of block AWS hands out: its size less the five reserved;
 * negative below /29 (blocks AWS refuses; callers show it as is). */
int64_t values_usable_addrs(struct cidr block);

/* ---- the match-all rule ------------------------------------------------ */

/* Every protocol, port and ICMP type and code: AWS's protocol -1. */
extern const struct model_match values_match_all;

/* AWS's allow-all egress of a security group, which a new group has
 * until rules replace it (§4): rule 1, everything to 0.0.0.0/0, marked
 * implicit, at loc. */
struct model_sg_rule values_sg_egress_all(struct src_loc loc);

/* A default network ACL's rule 100, one direction (§5): allow everything
 * from or to 0.0.0.0/0, at loc. */
struct model_nacl_rule values_nacl_allow_all(struct src_loc loc);

#endif
