/*
 * The network model: what every loader builds and every analysis reads.
 *
 * Objects live in one array per kind, in source order, and refer to each
 * other by index into those arrays (MODEL_NONE for "no reference"), so the
 * engine and the graph can keep side tables indexed the same way.  All
 * memory belongs to the model's arena; model_free releases it at once.
 *
 * A loaded model is complete and consistent or it does not exist:
 * - every reference is resolved and of the right kind;
 * - every VPC has a main route table and a default NACL (synthesized, with
 *   implicit set, when the input names none), and every subnet an effective
 *   route table and NACL;
 * - every route table starts with its implicit local routes and keeps its
 *   routes in match order (longest prefix first);
 * - NACL rules are sorted by rule number, once;
 * - gateway VPC endpoints have added their prefix-list routes (§11);
 * - every subnet is classified public or private with the reason (§6.3);
 * - every resource that holds private addresses has its placements (§1),
 *   each with a subnet, a deterministic address and its public-address
 *   status.
 */
#ifndef VPCSIM_MODEL_H
#define VPCSIM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/cidr.h"
#include "base/diag.h"
#include "base/hash.h"

#define MODEL_NONE UINT32_MAX

struct src_loc {
	const char *file;   /* arena copy */
	uint32_t line, col; /* 1-based; 0 for objects with no source */
};

enum model_kind {
	MK_VPC,
	MK_INTERNET_GATEWAY,
	MK_SUBNET,
	MK_ROUTE_TABLE,
	MK_NAT_GATEWAY,
	MK_SECURITY_GROUP,
	MK_NETWORK_ACL,
	MK_PREFIX_LIST,
	MK_INSTANCE,
	MK_LOAD_BALANCER,
	MK_TARGET_GROUP,
	MK_TASK_DEFINITION,
	MK_SERVICE,
	MK_DATABASE,
	MK_VPC_ENDPOINT,
	MK_PEERING,
	MK_FLEET, /* last: the kinds before keep their numbers */
	MK_KIND_COUNT
};

struct model_tag {
	const char *key, *value;
};

/* An object by kind and index: valid after its kind's array grows. */
struct model_ref {
	uint32_t kind, index;
};

/* What every object starts with. */
struct model_obj {
	const char *id;
	enum model_kind kind;
	uint32_t index; /* in its kind's array */
	struct src_loc loc;
	struct model_tag *tags;
	uint32_t n_tags;
	bool implicit; /* synthesized by the loader, not in the input */
	/* Values the input does not determine (an ImportValue without an
	 * exporter, a Terraform value known only after apply).  Loaders
	 * leave such a value out (no rule, no route) and say so here; every
	 * verdict that reads this object reports it (model_add_unknown). */
	const char **unknowns;
	uint32_t n_unknowns;
};

/* IP protocol of a rule; PROTO_ALL is AWS's -1. */
enum proto {
	PROTO_ALL,
	PROTO_TCP,
	PROTO_UDP,
	PROTO_ICMP,
	PROTO_ICMPV6,
	PROTO_OTHER
};

/* What a rule matches besides addresses.  For tcp/udp, ports; for icmp,
 * type and code (-1: any); PROTO_ALL matches everything. */
struct model_match {
	enum proto proto;
	uint8_t proto_number; /* for PROTO_OTHER */
	uint16_t port_lo, port_hi;
	int16_t icmp_type, icmp_code;
};

struct model_vpc {
	struct model_obj obj;
	struct cidr *cidrs; /* [0] is the primary block */
	uint32_t n_cidrs;
	/* A VPC whose blocks the input does not give: outside a Terraform
	 * plan (read by a data source, named by an id), or with blocks
	 * known only at apply.  It has no CIDR block (n_cidrs 0), so
	 * nothing is inside it; its first unknown says why, and every
	 * verdict through it is unknown for that reason.  The VPCs of
	 * anything in it may be any: no check calls two VPCs different
	 * when one is external.  (Here, in padding: the struct keeps its
	 * size.) */
	bool external;
	struct cidr6 *cidrs6;
	uint32_t n_cidrs6;
	uint32_t internet_gateway; /* attached IGW or MODEL_NONE */
	uint32_t main_route_table;
	uint32_t default_nacl;
	/* Its default security group (§4): the group a loader marked
	 * vpc_default, else one model_finish synthesizes; MODEL_NONE for an
	 * external VPC, whose group nothing describes.  Set by
	 * model_finish; loaders leave it alone. */
	uint32_t default_group;
	/* An IPv6 block AWS assigns at deployment (CloudFormation's
	 * AmazonProvidedIpv6CidrBlock, Terraform's
	 * assign_generated_ipv6_cidr_block, the native `amazon`): the VPC
	 * has one, of a prefix the input does not give.  model_finish
	 * appends a stand-in of the documentation prefix, 2001:db8:N::/56,
	 * as the last of cidrs6 (§2). */
	bool ipv6_unknown;
};

struct model_internet_gateway {
	struct model_obj obj;
	uint32_t vpc;	  /* attachment, or MODEL_NONE when detached */
	bool egress_only; /* IPv6 egress-only gateway */
};

struct model_subnet {
	struct model_obj obj;
	uint32_t vpc;
	struct cidr cidr; /* len 33 when the input's was invalid */
	struct src_loc cidr_loc;
	bool has_cidr6;
	/* An IPv6 block whose prefix the input does not give (a !Cidr of
	 * an Amazon-provided block): model_finish gives it a stand-in /64
	 * inside its VPC's first IPv6 block and sets has_cidr6. */
	bool cidr6_unknown;
	/* AssignIpv6AddressOnCreation: interfaces created here get an IPv6
	 * address unless they say otherwise. */
	bool assign_ipv6;
	struct cidr6 cidr6;
	const char *az;
	bool map_public_ip;
	uint32_t route_table; /* effective: explicit or the VPC's main */
	bool route_table_explicit;
	uint32_t nacl; /* effective: explicit or the VPC's default */
	bool nacl_explicit;
	bool is_public;	      /* §6.3 */
	const char *why;      /* the reason for is_public, a sentence */
	uint32_t n_allocated; /* addresses handed to placements */
	uint32_t tasks;	      /* ECS tasks expected here, for capacity */
};

enum route_target {
	RT_LOCAL,
	RT_IGW,
	RT_EIGW,
	RT_NAT,
	RT_PEERING,
	RT_TRANSIT,
	RT_ENDPOINT,
	RT_INSTANCE,
	RT_BLACKHOLE,
};

struct model_route {
	struct src_loc loc;
	uint32_t number; /* 1-based position in the input; 0 for implicit */
	bool ipv6;
	struct cidr dst;   /* IPv4 destination (one block of a prefix list) */
	struct cidr6 dst6; /* when ipv6 */
	uint32_t prefix_list; /* destination given as a prefix list, or NONE */
	enum route_target target;
	uint32_t target_index; /* index in the target kind's array; NONE for
				  local, blackhole, transit */
	const char *target_id; /* as written; transit gateways are opaque */
	uint32_t via_endpoint; /* route added by a gateway endpoint, or NONE */
};

struct model_route_table {
	struct model_obj obj;
	uint32_t vpc;
	struct model_route *routes; /* match order */
	uint32_t n_routes;
	bool is_main;
};

struct model_nat_gateway {
	struct model_obj obj;
	uint32_t subnet;
	bool is_public; /* connectivity type public (default) or private */
	bool has_eip;
	uint32_t eip;	       /* address, when known */
	uint32_t private_addr; /* 0: allocated */
};

enum peer_kind { PEER_CIDR, PEER_CIDR6, PEER_GROUP, PEER_PREFIX_LIST };

struct model_sg_rule {
	struct src_loc loc;
	uint32_t number; /* 1-based within its direction */
	struct model_match match;
	enum peer_kind peer_kind;
	struct cidr cidr;
	struct cidr6 cidr6;
	uint32_t peer; /* group or prefix list index */
	const char *description;
	bool implicit; /* the default allow-all egress */
};

struct model_security_group {
	struct model_obj obj;
	uint32_t vpc;
	const char *description;
	struct model_sg_rule *ingress, *egress;
	uint32_t n_ingress, n_egress;
	bool default_egress; /* egress is AWS's default allow-all */
	/* The loader's mark for its VPC's default group (§4): CloudFormation
	 * made explicit, Terraform's aws_default_security_group, the native
	 * default_security_group.  model_finish sets the VPC's
	 * default_group from it, or synthesizes one. */
	bool vpc_default;
};

struct model_nacl_rule {
	struct src_loc loc;
	uint32_t number; /* 1..32766; 32767 for the implicit '*' */
	bool allow;
	struct model_match match;
	bool ipv6;
	struct cidr cidr;
	struct cidr6 cidr6;
};

struct model_network_acl {
	struct model_obj obj;
	uint32_t vpc;
	bool is_default;
	/* Sorted by number, without the implicit final deny. */
	struct model_nacl_rule *inbound, *outbound;
	uint32_t n_inbound, n_outbound;
};

struct model_prefix_list {
	struct model_obj obj;
	const char *name;
	const char *service; /* "s3", "dynamodb", or NULL for customer lists */
	struct cidr *cidrs;
	uint32_t n_cidrs;
};

/* Whether an instance or interface has an IPv6 address (§2): zero, the
 * default, follows its subnet's assign_ipv6, as AWS does. */
enum model_ipv6 { IPV6_SUBNET, IPV6_NONE, IPV6_ON };

struct model_instance {
	struct model_obj obj;
	uint32_t subnet;
	uint32_t *groups;
	uint32_t n_groups;
	uint32_t private_addr; /* 0: allocated */
	int public_ip;	       /* -1: subnet's map-public-ip, 0 no, 1 yes */
	bool has_eip;
	uint32_t eip;
	bool source_dest_check;
	bool is_interface;    /* a bare network interface, not an instance */
	enum model_ipv6 ipv6; /* whether it has an IPv6 address */
	bool has_addr6;	      /* addr6 given explicitly */
	uint8_t addr6[16];
};

/* LB_CLASSIC: a Classic Load Balancer, whose listeners forward to its
 * registered instances on an instance port; model_finish turns each
 * listener into a forward to an implicit target group (below), so the
 * engine's one forwarding path serves all three types. */
enum lb_type { LB_APPLICATION, LB_NETWORK, LB_CLASSIC };

enum lb_protocol {
	LBP_HTTP,
	LBP_HTTPS,
	LBP_TCP,
	LBP_TLS,
	LBP_UDP,
	LBP_TCP_UDP,
};

enum lb_action_kind { LBA_FORWARD, LBA_REDIRECT, LBA_FIXED_RESPONSE };

struct model_lb_action {
	struct src_loc loc;
	enum lb_action_kind kind;
	uint32_t target_group;	/* LBA_FORWARD */
	uint16_t redirect_port; /* LBA_REDIRECT; 0: same port */
	int redirect_protocol;	/* LBA_REDIRECT: enum lb_protocol or -1 */
	uint16_t status_code;	/* LBA_REDIRECT, LBA_FIXED_RESPONSE */
};

struct model_listener_rule {
	struct src_loc loc;
	uint32_t priority;
	const char **paths, **hosts;
	uint32_t n_paths, n_hosts;
	struct model_lb_action action;
};

struct model_listener {
	struct src_loc loc;
	uint16_t port;
	/* LB_CLASSIC: the instances' port (InstancePort) and protocol. */
	uint16_t instance_port;
	enum lb_protocol protocol;
	enum lb_protocol instance_protocol;
	struct model_lb_action default_action;
	struct model_listener_rule *rules; /* sorted by priority */
	uint32_t n_rules;
};

struct model_load_balancer {
	struct model_obj obj;
	enum lb_type type;
	bool internet_facing;
	uint32_t *subnets;
	uint32_t n_subnets;
	uint32_t *groups;
	uint32_t n_groups;
	struct model_listener *listeners;
	uint32_t n_listeners;
	bool cross_zone;
	bool dualstack; /* IpAddressType dualstack: nodes have IPv6 too */
	/* LB_CLASSIC: registered instances (Instances), and the health
	 * check's port and protocol (HealthCheck Target; port 0: none
	 * given, the first listener's instance port). */
	uint16_t health_check_port;
	enum lb_protocol health_check_protocol;
	uint32_t *instances;
	uint32_t n_instances;
};

enum tg_target_type { TT_INSTANCE, TT_IP, TT_LAMBDA };

struct model_tg_target {
	struct src_loc loc;
	uint32_t instance; /* instance index, or NONE for an ip target */
	uint32_t addr;	   /* ip target */
	uint16_t port;	   /* 0: the group's port */
};

struct model_target_group {
	struct model_obj obj;
	uint32_t vpc; /* MODEL_NONE until a binding tells */
	enum lb_protocol protocol;
	uint16_t port;
	enum tg_target_type target_type;
	uint16_t health_check_port; /* 0: traffic-port */
	enum lb_protocol health_check_protocol;
	const char *health_check_path;
	bool preserve_client_ip;
	/* Made by model_finish for a listener of classic load balancer
	 * classic_lb (implicit): its instances, and the fleets that name
	 * the load balancer, are the targets. */
	bool classic;
	uint32_t classic_lb;
	struct model_tg_target *targets; /* registered explicitly */
	uint32_t n_targets;
};

/* host_port: where the container instance takes the port in bridge
 * and host network modes (host: always port); 0 in bridge mode is a
 * dynamic port of MODEL_ECS_DYNAMIC_LO-HI, chosen per task. */
struct model_port_mapping {
	uint16_t port;
	uint16_t host_port;
	enum proto proto; /* tcp or udp */
};

/*
 * The host ports ECS gives bridge-mode mappings without a host port: the
 * instance's ephemeral range (/proc/sys/net/ipv4/ip_local_port_range,
 * 32768-60999 on Amazon Linux) or, where the agent cannot read it, the
 * documented 49153-65535; a target group registers each task at its own
 * port in there, so a path must admit all of 32768-65535 (docs/model.md).
 */
#define MODEL_ECS_DYNAMIC_LO 32768
#define MODEL_ECS_DYNAMIC_HI 65535

struct model_container {
	const char *name;
	struct model_port_mapping *ports;
	uint32_t n_ports;
};

struct model_task_definition {
	struct model_obj obj;
	const char *network_mode; /* "awsvpc", "bridge" or "host" */
	struct model_container *containers;
	uint32_t n_containers;
};

/* A service's registration in a target group, or (classic) with a
 * classic load balancer: model_finish then sets target_group to the
 * load balancer's implicit group of the listener whose instance port is
 * the task's host port (else its first listener's). */
struct model_lb_binding {
	struct src_loc loc;
	uint32_t target_group;
	uint32_t classic_lb; /* when classic */
	const char *container;
	uint16_t port;
	bool classic;
};

struct model_service {
	struct model_obj obj;
	const char *cluster;
	uint32_t task_definition;
	uint32_t desired_count;
	uint32_t *subnets;
	uint32_t n_subnets;
	uint32_t *groups;
	uint32_t n_groups;
	bool assign_public_ip;
	/* Tasks run on EC2 container instances (launch type EC2 or a
	 * capacity provider), not Fargate: awsvpc tasks then get their own
	 * interface but never a public address; bridge and host tasks have
	 * no placement of their own and are reached at the fleets that
	 * join the cluster (model_fleet.ecs_cluster). */
	bool on_ec2;
	struct model_lb_binding *bindings;
	uint32_t n_bindings;
};

/* What a data store is, for messages: every family listens on one port
 * in the subnets of its group and is exposed the same way. */
enum db_family {
	DBF_RDS,	 /* an RDS DB instance or Multi-AZ cluster */
	DBF_AURORA,	 /* an Aurora cluster or one of its instances */
	DBF_CACHE,	 /* an ElastiCache cluster or replication group */
	DBF_FILE_SYSTEM, /* an EFS mount target (NFS, 2049) */
};

struct model_database {
	struct model_obj obj;
	enum db_family family;
	/* No DB subnet group: RDS puts it in the region's default VPC,
	 * which the input does not describe (no placement), publicly
	 * accessible unless it says otherwise (a finding, VS024). */
	bool default_vpc;
	const char *engine;
	uint16_t port; /* the model's, else the engine's default (§10) */
	bool port_defaulted;
	uint32_t *subnets; /* the DB subnet group */
	uint32_t n_subnets;
	const char *az; /* pinned AZ, or NULL */
	uint32_t *groups;
	uint32_t n_groups;
	bool publicly_accessible;
	bool multi_az;
	bool dualstack;	     /* NetworkType DUAL: an IPv6 address too */
	uint32_t replica_of; /* database index, or NONE */
};

enum endpoint_type { VPCE_GATEWAY, VPCE_INTERFACE };

struct model_vpc_endpoint {
	struct model_obj obj;
	uint32_t vpc;
	enum endpoint_type type;
	const char *service;	/* "s3", "ecr.api", "ecr.dkr", "logs", ... */
	uint32_t *route_tables; /* gateway */
	uint32_t n_route_tables;
	uint32_t prefix_list; /* gateway: the service's list */
	uint32_t *subnets;    /* interface */
	uint32_t n_subnets;
	uint32_t *groups; /* interface */
	uint32_t n_groups;
	bool private_dns;
};

struct model_peering {
	struct model_obj obj;
	uint32_t requester, accepter; /* VPC indexes */
};

enum fleet_role {
	FLEET_AUTOSCALING, /* an Auto Scaling group's instances */
	FLEET_FUNCTION,	   /* a Lambda function's interfaces: clients only */
};

/*
 * A fleet: compute whose members come and go, one alternative placement
 * per subnet (§1).  An Auto Scaling group's instances carry the groups of
 * its launch template or configuration and a public address per
 * public_ip (-1: the subnet's map-public-ip); nobody writes down which
 * ports they serve, so they are taken to listen wherever their groups
 * allow.  A Lambda function's interfaces serve nothing and never have a
 * public address.
 */
struct model_fleet {
	struct model_obj obj;
	enum fleet_role role;
	int public_ip;
	/* Launched with AvailabilityZones only: in the default VPC, which
	 * the input does not describe (no placement). */
	bool default_vpc;
	uint32_t *subnets;
	uint32_t n_subnets;
	uint32_t *groups;
	uint32_t n_groups;
	uint32_t *target_groups; /* registered with (TargetGroupARNs) */
	uint32_t n_target_groups;
	uint32_t *load_balancers; /* classic ones (LoadBalancerNames) */
	uint32_t n_load_balancers;
	/* The ECS cluster its instances join (ECS_CLUSTER in user data, or
	 * a capacity provider), or NULL. */
	const char *ecs_cluster;
};

/*
 * A placement: one private address a resource may hold (§1).  Load-balancer
 * nodes and interface-endpoint interfaces are all real at once; ECS and RDS
 * placements are alternatives (the resource lands in one of them).
 */
struct model_placement {
	enum model_kind kind;
	uint32_t index; /* in the kind's array */
	uint32_t subnet;
	uint32_t addr;
	bool addr_explicit;
	bool addr_exhausted; /* the subnet had no free address left */
	bool alternative;
	bool has_public;
	uint32_t public_addr;	/* 0 when AWS assigns it at launch */
	const char *public_why; /* why it has (or lacks) a public address */
	const uint32_t *groups; /* security groups, shared with the owner */
	uint32_t n_groups;
	/* IPv6 (§2, §6): an address in its subnet's IPv6 block, and whether
	 * the internet may start connections to it (every IPv6 address is
	 * globally routed, but an internal load balancer's and a private
	 * database's are closed to the internet gateway). */
	bool has_ipv6, ipv6_public;
	bool addr_explicit6; /* addr6 given in the input */
	uint8_t addr6[16];
	const char *ipv6_why; /* why it has (or lacks) either */
};

/*
 * A part of the input the loader read but could not analyse: a nested
 * stack whose template was not given, a resource that exists only if an
 * unknown condition holds, one whose VPC or block the input does not
 * determine.  It is in no kind array; the not-analysed rule reports each,
 * so a gate does not pass on what vpcsim did not read.
 */
struct model_gap {
	const char *id;	    /* the resource, as the loader names it */
	struct src_loc loc; /* where it is written */
	const char *why;    /* what is missing and how to give it */
};

/*
 * A suppression written in the input (docs/check.md#suppressions): a
 * native object's `suppress`, a CloudFormation resource's or template's
 * Metadata vpcsim.suppress, a Terraform `# vpcsim:ignore` comment.  One
 * entry a rule.  It covers the findings about one object and the findings
 * located in the part of the input it is written in (a resource's lines:
 * a CloudFormation SecurityGroupIngress resource makes no object of its
 * own, but the findings on its rule lie in it).  What an entry means
 * (matching, expiry, an unknown rule) is rules/finding.c's alone: loaders
 * only record what is written.
 */
struct model_suppress {
	const char *rule;   /* a rule id or name, or a policy id, as written */
	const char *reason; /* never blank */
	const char *until;  /* "YYYY-MM-DD" (a valid date), or NULL */
	struct src_loc loc; /* where the rule is written */
	/* The object it is written on, kind MK_KIND_COUNT when none; and
	 * the lines first..last of loc.file it covers (0 when none). */
	enum model_kind kind;
	uint32_t index;
	uint32_t first, last;
};

/*
 * A use of an object by a resource the model does not hold (a type
 * vpcsim does not model, a resource left out, a template output): the
 * object is in use by something no rule sees, so none calls it unused.
 */
struct model_use {
	enum model_kind kind;
	uint32_t index;
	const char *by; /* "'Fleet' (AWS::AutoScaling::AutoScalingGroup)" */
};

struct model {
	struct arena arena;
	const char *file; /* the main input */
	const char *region;
	const char *format; /* "vpcsim", "cloudformation", "terraform-plan" */

	struct model_vpc *vpcs;
	struct model_internet_gateway *igws;
	struct model_subnet *subnets;
	struct model_route_table *route_tables;
	struct model_nat_gateway *nat_gateways;
	struct model_security_group *groups;
	struct model_network_acl *nacls;
	struct model_prefix_list *prefix_lists;
	struct model_instance *instances;
	struct model_load_balancer *lbs;
	struct model_target_group *target_groups;
	struct model_task_definition *task_definitions;
	struct model_service *services;
	struct model_database *databases;
	struct model_vpc_endpoint *endpoints;
	struct model_peering *peerings;
	struct model_fleet *fleets;
	uint32_t n[MK_KIND_COUNT];

	/* Placements grouped by owner; first_placement[kind][index] and
	 * n_placements[kind][index] give each owner's range. */
	struct model_placement *placements;
	uint32_t n_placements_total;
	uint32_t *first_placement[MK_KIND_COUNT];
	uint32_t *n_placements[MK_KIND_COUNT];

	/* Every object with an id, sorted by id (ties in source order). */
	struct model_obj **by_id;
	uint32_t n_objects;
	/* by_id as (kind, index) pairs, and how many objects of each kind
	 * it holds: the next index merges only the objects added since
	 * (pointers into a kind's array do not survive its growth; indexes
	 * do).  ids finds an id's first object of by_id (model_find). */
	struct model_ref *id_refs;
	uint32_t n_indexed[MK_KIND_COUNT];
	struct hmap ids; /* id -> struct model_ref */

	/* What the loader could not analyse, and uses by what it skipped,
	 * in the order recorded. */
	struct model_gap *gaps;
	uint32_t n_gaps;
	struct model_use *uses;
	uint32_t n_uses;
	/* The input's suppressions, in the order written. */
	struct model_suppress *suppress;
	uint32_t n_suppress;
};

/* Frees the model and everything in it.  Accepts NULL. */
void model_free(struct model *m);

/* The object with this id, or NULL.  The pointer is the model's. */
struct model_obj *model_find(const struct model *m, const char *id);
/* The object of a kind and index. */
struct model_obj *model_object(const struct model *m, enum model_kind kind,
			       uint32_t index);
/* Every availability zone of m's subnets, each once, sorted; *n receives
 * the count.  The strings are m's; the array is the caller's to free. */
const char **model_zones(const struct model *m, uint32_t *n);
/* "vpc", "subnet", ... as in the JSON output. */
const char *model_kind_name(enum model_kind kind);
/* "a subnet", "an instance", ... for messages. */
const char *model_kind_label(enum model_kind kind);
const char *proto_name(enum proto p);
const char *lb_protocol_name(enum lb_protocol p);
/* "application", "network", "classic". */
const char *model_lb_type_name(enum lb_type t);
const char *route_target_name(enum route_target t);
/* "tcp 443", "udp 1024-65535", "all traffic", "icmp type 8 code 0". */
void model_match_format(char *buf, size_t size, const struct model_match *mt);
/* A security-group rule's peer: a CIDR, "group x" or "prefix list x". */
void model_sg_peer_format(char *buf, size_t size, const struct model *m,
			  const struct model_sg_rule *r);
/* An IPv6 address in RFC 5952 text (no length); buf of CIDR6_STRLEN. */
void model_addr6_format(char *buf, const uint8_t addr[16]);
/* Whether IPv6 block c holds address a. */
bool model_cidr6_has(struct cidr6 c, const uint8_t a[16]);
/* The default port of a database engine (§10), 0 when unknown. */
uint16_t model_engine_port(const char *engine);
/* What an object is in a sentence: "instance", "Auto Scaling group",
 * "Lambda function", "cache cluster", "EFS mount target", "database". */
const char *model_noun(const struct model *m, enum model_kind kind,
		       uint32_t index);

/* Placements of one resource (kind, index); *n receives the count. */
const struct model_placement *model_placements(const struct model *m,
					       enum model_kind kind,
					       uint32_t index, uint32_t *n);

/*
 * For loaders of other formats: after filling the kind arrays, call this
 * to build everything the invariants above promise.  Problems go to diags;
 * returns 0 or negative when an error was added.
 */
int model_finish(struct model *m, struct diag_list *diags);
/* Records that a value of o is unknown; the text says which and why, e.g.
 * "ingress rule 2 source: Fn::ImportValue 'net-cidr' has no exporter". */
void model_add_unknown(struct model *m, struct model_obj *o, const char *fmt,
		       ...) __attribute__((format(printf, 3, 4)));
/* Records a part of the input the model does not hold (struct
 * model_gap); id and the text are copied into the model's arena. */
void model_add_gap(struct model *m, const char *id, struct src_loc loc,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Records that something the model does not hold (by, copied) uses
 * object (kind, index); loaders record an object once. */
void model_add_use(struct model *m, enum model_kind kind, uint32_t index,
		   const char *by);
/* Records a suppression (struct model_suppress) as written; the strings
 * are copied into the model's arena.  Loaders check the shape (a reason,
 * a valid date); rules/finding.c checks the rule. */
void model_add_suppress(struct model *m, const struct model_suppress *s);
/* What uses object (kind, index) outside the model (the first recorded),
 * or NULL. */
const char *model_used_by(const struct model *m, enum model_kind kind,
			  uint32_t index);
/*
 * A deep copy of a finished model with an arena of its own (model/clone.c):
 * nothing in the copy points into m, so either may be changed (model_fail)
 * or freed without the other.  Object indices in a clone are identical to
 * the original's by construction: every kind array is copied in order and
 * every reference is an index, so an index, a side table indexed by
 * (kind, index), or a selector or policy resolved against one model holds
 * for the other.  Placements keep their order too.  The caller owns the
 * copy.
 */
struct model *model_clone(const struct model *m);
/*
 * Applies a failure to m in place (model/failure.c): "az:ZONE" (every
 * placement in the zone goes; Multi-AZ databases fail over), a resource
 * id (its placements go; a NAT gateway's routes become blackholes, a
 * gateway endpoint's routes go), "route:TABLE:CIDR" (that route goes),
 * "sg:GROUP:ingress|egress:N" (that rule goes).  Errors go to diags.
 * Fail a clone (model_clone) to keep the healthy model for comparison.
 */
int model_fail(struct model *m, const char *spec, struct diag_list *diags);
/*
 * A copy of m (model_clone) that has lost zone (when not NULL: the spec
 * "az:ZONE") and then each failure of specs, in order: what `sim` and the
 * HTML report compare with the healthy model.  0 with the copy in *out
 * (the caller's), or -1 with the errors in diags and *out NULL.
 */
int model_fail_copy(struct model **out, const struct model *m, const char *zone,
		    const char *const *specs, uint32_t n,
		    struct diag_list *diags);
/* An empty model with its arena ready; owned by the caller. */
struct model *model_new(const char *file);

#endif
