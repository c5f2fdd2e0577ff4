/*
 * The packet-flow engine: decides whether one connection succeeds, step by
 * step, as AWS would (semantics §3-§12), and explains each step.
 *
 * A struct sim is built once per model: a longest-prefix-match trie per
 * route table and the set of placements that carry each security group.
 * After that every query only reads it, so queries are cheap and the same
 * sim can answer any number of them.
 *
 * A connection goes from an endpoint to an endpoint.  Endpoints are
 * placements of the model (§1), an internet address, a bare private
 * address, or an AWS service (aws:ecr, aws:s3, aws:logs).  The verdict of
 * one connection is reachable, blocked at a named step (§14), or degraded:
 * reachable only for part of the client's ephemeral ports (§5).
 */
#ifndef VPCSIM_SIM_H
#define VPCSIM_SIM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/ports.h"
#include "model/model.h"

struct sim; /* opaque */

enum sim_service { SVC_NONE, SVC_ECR, SVC_S3, SVC_LOGS };

enum sim_ep_kind {
	EP_INTERNET,  /* an address on the internet */
	EP_PLACEMENT, /* a placement of a model resource */
	EP_ADDRESS,   /* a private address that no resource holds */
	EP_SERVICE,   /* an AWS service by name */
};

struct sim_ep {
	enum sim_ep_kind kind;
	uint32_t placement; /* EP_PLACEMENT: index in model->placements */
	uint32_t addr;	    /* EP_INTERNET, EP_ADDRESS */
	uint32_t subnet;    /* EP_ADDRESS: the subnet holding addr */
	enum sim_service service;
	/* EP_PLACEMENT as a destination: addressed by its public address
	 * (its Elastic IP), so a connection from inside a VPC leaves
	 * through the internet gateway and comes back in (§4). */
	bool via_public;
	/* IPv6 (§2): the end speaks IPv6, by addr6 (EP_INTERNET,
	 * EP_ADDRESS) or by its placement's IPv6 address.  A connection
	 * with one IPv6 end is an IPv6 connection: the other end, a
	 * placement, takes its IPv6 address too. */
	bool v6;
	uint8_t addr6[16];
};

/* The representative internet client when none is named (TEST-NET-2). */
#define SIM_INTERNET_ADDR 0xC6336407u /* 198.51.100.7 */
/* The representative IPv6 internet client: 2001:db8:ffff:ffff::7, in the
 * documentation prefix, outside the stand-in blocks of Amazon-provided
 * VPC blocks (2001:db8:N::/56, model.h). */
extern const uint8_t sim_internet6[16];

/* What a step did; the blocked words are the JSON vocabulary of §14. */
enum sim_block {
	BLK_NONE,
	BLK_SG_EGRESS,
	BLK_NACL_OUT,
	BLK_ROUTE,
	BLK_NO_ROUTE,
	BLK_BLACKHOLE,
	BLK_NO_IGW,
	BLK_NO_PUBLIC_IP,
	BLK_NAT_NOT_PUBLIC,
	BLK_NACL_IN,
	BLK_SG_INGRESS,
	BLK_NACL_REPLY_OUT,
	BLK_NACL_REPLY_IN,
	BLK_NOT_LISTENING,
	BLK_NO_HEALTHY_TARGET_PATH,
	BLK_UNKNOWN, /* the model does not say enough to decide */
};

enum sim_step_kind {
	SK_SG_EGRESS,
	SK_NACL_OUT,
	SK_ROUTE,
	SK_GATEWAY, /* internet gateway, NAT gateway, peering, endpoint */
	SK_NACL_IN,
	SK_SG_INGRESS,
	SK_LISTENER,
	SK_FORWARD, /* a load balancer's listener rule and target group */
	SK_NACL_REPLY_OUT,
	SK_NACL_REPLY_IN,
	SK_NOTE, /* neither allows nor blocks: context for the reader */
};

/* ---- why and fix (docs/reach-json.md) --------------------------------- */

/*
 * A fix is the smallest change to the model that makes a blocked step
 * pass, as edits of the native model (docs/model.md): each names a
 * top-level section, an object in it and one of its keys.  The report
 * renders them as a YAML snippet one can paste into the model, and the
 * tests apply exactly that snippet and trace again.
 */
enum sim_fix_op {
	FIX_ADD,     /* append the value to the list at key */
	FIX_SET,     /* set key to the value (a scalar) */
	FIX_REPLACE, /* in the list at key, the item `match` becomes value */
	FIX_NEW,     /* a new object: the value's fields are its keys */
};

#define SIM_FIX_FIELDS 8

struct sim_fix_field {
	const char *key; /* a native key, static */
	char val[96];	 /* its value as YAML writes it: "tcp", "140" */
};

struct sim_fix_change {
	enum sim_fix_op op;
	const char *section; /* "network_acls", static */
	char object[96];     /* the object's id (FIX_NEW: the new one's) */
	const char *key;     /* "outbound", static; NULL for FIX_NEW */
	/* The value: a mapping of n fields, or the scalar when n is 0. */
	struct sim_fix_field f[SIM_FIX_FIELDS];
	uint32_t n;
	char scalar[96];
	/* FIX_SET of a whole list: the items are the fields' values
	 * (their keys unused), n of them. */
	bool list;
	/* FIX_REPLACE: the item replaced, a mapping whose field match_key
	 * is match, or (match_key NULL) the scalar match. */
	const char *match_key;
	char match[96];
	/* A NACL rule's number (the field "rule") may be any number free
	 * in its list between these, exclusive: the rules it must come
	 * after and before (sim_fix_list_add renumbers within). */
	uint32_t num_after, num_before;
};

struct sim_fix {
	struct sim_fix_change *ch; /* n changes, all needed together */
	uint32_t n;		   /* 0: no fix; none says why */
	char *text;		   /* the change in one sentence, or NULL */
	char *none;		   /* why vpcsim writes no fix, or NULL */
};

/* Frees f's contents (not f); accepts NULL. */
void sim_fix_free(struct sim_fix *f);
/* A deep copy of f into out, owned by the caller (sim_fix_free). */
void sim_fix_copy(struct sim_fix *out, const struct sim_fix *f);

/*
 * Fixes to apply together, each once: the fixes of several pairs of one
 * question.  sim_fix_list_add copies f in unless an equal fix is there,
 * and gives each NACL rule it adds a number that neither the model nor
 * an earlier fix of the list uses in that NACL's list.  Zero-initialised
 * is empty; sim_fix_list_free frees it.
 */
struct sim_fix_list {
	struct sim_fix *v;
	uint32_t n, cap;
};
void sim_fix_list_add(struct sim_fix_list *l, const struct model *m,
		      const struct sim_fix *f);
void sim_fix_list_free(struct sim_fix_list *l);

struct sim_step {
	enum sim_step_kind kind;
	enum sim_block block; /* BLK_NONE when the step allowed */
	int depth;	      /* 0: the asked connection; 1: forwarded */
	/* The component that decided: a group, NACL, route table, gateway or
	 * load balancer; kind MK_KIND_COUNT when none. */
	enum model_kind comp_kind;
	uint32_t comp_index;
	uint32_t rule; /* SG rule number, NACL rule number, route number; 0 */
	struct src_loc loc; /* where the deciding rule or component is */
	char *text;	    /* one sentence, owned by the trace */
	char *hint;	    /* the closest rule that almost matched, or NULL */
	/* A reply step that lets only part of the client's ephemeral range
	 * through (§5): how many ports pass of how many; 0 of 0 otherwise.
	 * Such a step is degraded, or the blocking step when too few pass. */
	uint32_t ports_ok, ports_total;
	/* Every blocking and every degraded step says why in plain words,
	 * and what would make it pass (fix->n 0: fix->none says why there
	 * is no such change); NULL on other steps.  Owned by the trace. */
	char *why;
	struct sim_fix *fix;
};

struct sim_trace {
	struct sim_step *steps;
	uint32_t n, cap;
};

/*
 * The second verdict of a connection to a load balancer whose listener
 * forwards (§8): whether the forward serves this client.  The first
 * verdict (reachable) says only that a listener accepted the connection;
 * the load balancer answers whatever its targets (503 when none works).
 */
struct sim_fwd_verdict {
	bool asked; /* the listener forwards to target groups */
	enum sim_block
	    block;	/* BLK_NO_HEALTHY_TARGET_PATH when no path works */
	int block_step; /* its step in the trace, -1 without a trace */
	/* Node-to-target paths of the node the client reached: how many,
	 * how many serve this client, how many pass their health check. */
	uint32_t paths, paths_ok, healthy;
	/* The worst working path that loses part of its replies (§5). */
	bool degraded;
	uint32_t ports_ok, ports_total;
	/* A value a node-to-target path read that the input does not
	 * determine (a target's, model.h), owned by the model; NULL when
	 * none.  It bears on the forward, not on the first verdict. */
	const char *unknown;
};

/* The outcome of one connection. */
struct sim_result {
	bool reachable;
	enum sim_block block; /* why not, or BLK_NONE */
	int block_step;	      /* index in the trace, -1 without a trace */
	/* Reply coverage of the client's ephemeral range (§5). */
	bool degraded;
	uint32_t ports_ok, ports_total;
	struct ports denied; /* ephemeral ports whose replies are dropped */
	struct sim_fwd_verdict fwd;
	/* sim_ports on a load balancer: of the ports reached, the listener
	 * ports whose forward serves the client, those where it does not,
	 * and among those the ones whose node has no healthy target (an
	 * NLB takes that node out of its DNS name, §8). */
	struct ports fwd_works, fwd_fails, fwd_unhealthy;
	/* The verdict read a component with unknown values (model.h):
	 * the first such value, owned by the model; NULL when none. */
	const char *unknown;
};

struct sim_flow {
	enum proto proto; /* PROTO_TCP, PROTO_UDP, PROTO_ICMP or PROTO_ALL */
	uint16_t port;	  /* destination port; icmp type for icmp */
};

/* Builds the engine's indexes for m, which must outlive the sim.  *out is
 * owned by the caller (sim_free). */
int sim_new(struct sim **out, const struct model *m);
/* Accepts NULL. */
void sim_free(struct sim *s);
const struct model *sim_model(const struct sim *s);

/*
 * Evaluates one connection.  trace may be NULL: then no text is made and
 * the call is as cheap as the engine gets.  res is always filled; release
 * it with sim_result_free.  A load balancer as destination is reached
 * when a listener accepts; the forward to its targets (§8) is evaluated
 * beside it into res->fwd and, with a trace, into steps of depth 1.
 */
void sim_connect(const struct sim *s, const struct sim_ep *src,
		 const struct sim_ep *dst, struct sim_flow flow,
		 struct sim_result *res, struct sim_trace *trace);

/*
 * The ports of proto on which src reaches dst: exactly the ports p for
 * which sim_connect(src, dst, {proto, p}) says reachable.  Steps that
 * depend on the port (groups, NACLs on the way in, listeners) narrow a
 * port set; the others decide for all ports at once.  res tells why the
 * set is empty, or whether the ports found are degraded; for a load
 * balancer it sorts the listener ports found by their forward
 * (res->fwd_works, fwd_fails, fwd_unhealthy), each as sim_connect judges
 * that port.  Release res with sim_result_free.  out must be initialized
 * (PORTS_INIT) and is overwritten.
 */
void sim_ports(const struct sim *s, const struct sim_ep *src,
	       const struct sim_ep *dst, enum proto proto, struct ports *out,
	       struct sim_result *res);

/*
 * The ports of [lo, hi] (ICMP types for icmp) that NACL a lets through in
 * one direction for peer address addr: rules by number, the first that
 * matches a port decides it (§5).  allowed is overwritten.
 */
void sim_nacl_ports(const struct model_network_acl *a, bool inbound,
		    enum proto proto, uint32_t addr, uint16_t lo, uint16_t hi,
		    struct ports *allowed);

/* What share of connections fail when replies pass on ok of total
 * ephemeral ports: "about 25% of connections fail", "over 99% of ...". */
void sim_fail_words(char *buf, size_t size, uint32_t ok, uint32_t total);

void sim_result_free(struct sim_result *r);
void sim_trace_init(struct sim_trace *t);
/* Frees every step's text; accepts NULL. */
void sim_trace_free(struct sim_trace *t);

/* The §14 word for a block ("sg-ingress", ...); "" for BLK_NONE. */
const char *sim_block_name(enum sim_block b);
/* "sg-egress", "nacl-out", "route", ... */
const char *sim_step_name(enum sim_step_kind k);
const char *sim_service_name(enum sim_service s);

/* ---- load-balancer forwarding (§8, sim/lb.c) ------------------------- */

/* A target of a target group as the engine forwards to it. */
struct sim_target {
	uint32_t placement; /* MODEL_NONE for a bare address */
	uint32_t addr, subnet;
	uint16_t port;
	/* A bridge-mode ECS task's dynamic host port: any of port..port_hi
	 * (MODEL_ECS_DYNAMIC_LO-HI), each task its own; 0 for one port.
	 * A forward to it works only when every port of the range does. */
	uint16_t port_hi;
};

/*
 * Targets of target group tg: the placements of ECS services bound to it
 * (awsvpc tasks), the container instances of bridge and host services
 * bound to it (the fleets that join the service's cluster, at the host
 * port), registered instances or addresses (an ip target is the placement
 * holding its address, else a bare address in a subnet of vpc), and the
 * placements of the fleets that register with it (an Auto Scaling
 * group's TargetGroupARNs, or, for a classic load balancer's implicit
 * group, its LoadBalancerNames).  Writes at most max into out and returns
 * how many there are.
 */
uint32_t sim_tg_targets(const struct model *m, uint32_t tg, uint32_t vpc,
			struct sim_target *out, uint32_t max);

/*
 * Action k of listener li in AWS order: its rules by priority (k <
 * n_rules; *rule receives the rule), then the default action (k ==
 * n_rules; *rule receives NULL).  Every reader of listeners walks them
 * through this, with no cap (AWS allows 100 rules a listener).
 */
const struct model_lb_action *
sim_listener_action(const struct model_listener *li, uint32_t k,
		    const struct model_listener_rule **rule);
/* Whether an action of li forwards to a target group over the network:
 * Lambda target groups are invoked by the load balancer, not connected
 * to, and are no forward vpcsim judges. */
bool sim_listener_forwards(const struct model *m,
			   const struct model_listener *li);
/* The listener of lb that accepts flow (its port and protocol), or NULL. */
const struct model_listener *
sim_lb_listener(const struct model_load_balancer *lb, struct sim_flow f);
/* Whether load balancer lb enables the availability zone of subnet: one
 * of its own subnets is there.  An unknown zone counts as enabled. */
bool sim_lb_zone_enabled(const struct model *m, uint32_t lb, uint32_t subnet);

/* Whether a node sends a registered target anything (§8). */
enum sim_fwd_skip {
	FWD_SEND,
	FWD_ZONE_DISABLED, /* the load balancer does not enable its zone */
	FWD_OTHER_ZONE,	   /* cross-zone off, and it is in another zone */
};
enum sim_fwd_skip sim_fwd_skip(const struct model *m, uint32_t lb,
			       uint32_t node, const struct sim_target *t);

/* One connection of a load balancer's forward: from a node to a target of
 * a target group that its listener's actions forward to. */
struct sim_fwd {
	uint32_t lb, listener; /* listener: its index in the lb */
	uint32_t action; /* the first action forwarding there (AWS order) */
	uint32_t target_group;
	uint32_t node; /* placement of the node that forwards */
	struct sim_target target;
	uint32_t target_index;	 /* its position in sim_tg_targets */
	struct sim_flow traffic; /* the target's port */
	struct sim_flow health;	 /* the health check's port */
	bool preserve;		 /* the target sees the client's address */
};

struct sim_fwds {
	struct sim_fwd *v;
	uint32_t n, cap;
};

/*
 * Appends the forwards of listener `listener` of load balancer lb from
 * node (one of its placements): for each target group its actions forward
 * to, in AWS order and once, each target the node sends to (FWD_SEND).
 * Lambda target groups have none.
 * out is the caller's (sim_fwds_free); it must be zeroed before the
 * first call.
 */
void sim_lb_forwards(const struct model *m, uint32_t lb, uint32_t listener,
		     uint32_t node, struct sim_fwds *out);
void sim_fwds_free(struct sim_fwds *f);

/* The client a forward is judged for when no connection names one (the
 * graph, policies): the internet's representative client for an
 * internet-facing load balancer, else NULL (the node's own connection
 * stands for an internal caller). */
const uint32_t *sim_lb_default_client(const struct model *m, uint32_t lb);

/* One forward's outcome for one client. */
struct sim_fwd_check {
	bool healthy; /* the health check from the node passes */
	bool works;   /* healthy, and the client's connection gets through */
	/* When it does not work: the failing leg's flow, and whether it is
	 * the health check; res is that leg's result (else the traffic
	 * leg's).  Release res with sim_result_free. */
	bool health_failed;
	struct sim_flow failed_flow;
	struct sim_result res;
	/* The worst leg that works but loses part of its replies (§5). */
	bool degraded;
	uint32_t ports_ok, ports_total;
	/* With a trace: where the health check's own steps start (the
	 * trace's length when it has none: one connection served both). */
	uint32_t health_step;
};

/*
 * Evaluates forward f for a client whose address the load balancer sees
 * as *client, or, with client NULL, with the node's own connection
 * standing for the client's.  The health check comes from the node; the
 * traffic from the node too, or with client-IP preservation from the
 * client's address, matched by target rules that name the load
 * balancer's groups (§4, §8).  trace (or NULL) receives the legs' steps at
 * depth 1.
 */
void sim_forward_check(const struct sim *s, const struct sim_fwd *f,
		       const uint32_t *client, struct sim_fwd_check *out,
		       struct sim_trace *trace);

/* "tcp 443", "icmp type 8", "all traffic". */
void sim_flow_format(char *buf, size_t size, struct sim_flow f);

/* "web@private-a (10.0.2.4)", "internet (198.51.100.7)", "aws:ecr". */
void sim_ep_format(char *buf, size_t size, const struct sim *s,
		   const struct sim_ep *ep);

/* The ephemeral range of a client (§5): known for load balancers and NAT
 * gateways, 1024-65535 otherwise. */
void sim_ephemeral(const struct sim *s, const struct sim_ep *client,
		   uint16_t *lo, uint16_t *hi);

/*
 * Ports a destination serves (listener ports, container ports, the
 * database port); *n receives the count, at most max.  Instances and bare
 * addresses serve nothing the model knows of: *n is 0.
 */
void sim_service_ports(const struct sim *s, const struct sim_ep *dst,
		       struct sim_flow *out, uint32_t max, uint32_t *n);

/* ---- selectors and queries ------------------------------------------- */

/*
 * What a user names with --from / --to: `internet` or an internet address,
 * a resource id, a placement `ID@SUBNET`, a private address, or an AWS
 * service `aws:ecr`, `aws:s3`, `aws:logs`; over IPv6, `internet6` or an
 * IPv6 address (§2).
 */
enum sim_sel_kind {
	SEL_INTERNET,
	SEL_RESOURCE,
	SEL_PLACEMENT,
	SEL_ADDRESS,
	SEL_SERVICE
};

struct sim_sel {
	enum sim_sel_kind kind;
	enum model_kind rkind; /* SEL_RESOURCE, SEL_PLACEMENT */
	uint32_t rindex;
	uint32_t placement; /* SEL_PLACEMENT */
	uint32_t addr;	    /* SEL_INTERNET, SEL_ADDRESS */
	uint32_t subnet;    /* SEL_ADDRESS */
	enum sim_service service;
	bool via_public; /* SEL_PLACEMENT named by its public address */
	/* IPv6 (§2): "internet6" (sim_internet6) or an IPv6 address in
	 * addr6; a question with one IPv6 end is asked over IPv6. */
	bool v6;
	uint8_t addr6[16];
	char name[96]; /* how to print it: the id, "internet", ... */
};

/*
 * The words of a selector, read without a model: the one place that
 * knows them.  sim_sel_parse resolves them against a model (--from,
 * --to); the policy language reads the same words and adds mappings of
 * kind, tag and subnet on top (docs/policy.md).
 */
enum sim_sel_form {
	SF_INTERNET, /* "internet", or "internet6" (v6) */
	SF_SERVICE,  /* "aws:NAME" */
	SF_ADDRESS,  /* an IPv4 address, or an IPv6 one (v6) */
	SF_ID,	     /* a resource id, or ID@SUBNET: one of its placements */
};

struct sim_sel_words {
	enum sim_sel_form form;
	enum sim_service service; /* SF_SERVICE; SVC_NONE: no such service */
	uint32_t addr;		  /* SF_ADDRESS */
	bool v6;		  /* SF_INTERNET, SF_ADDRESS: IPv6 (§2) */
	uint8_t addr6[16];	  /* SF_ADDRESS when v6 */
};

void sim_sel_read(struct sim_sel_words *w, const char *text);
/* The message for an aws: name vpcsim does not know, listing those it
 * does, or with hint naming the closest one when one is close. */
void sim_service_unknown(char *buf, size_t size, const char *text, bool hint);

/*
 * Parses a selector.  On error returns -1 and writes a message (with the
 * closest ids when the id is unknown) to err.
 */
int sim_sel_parse(struct sim_sel *out, const struct sim *s, const char *text,
		  char *err, size_t errsize);
/* The endpoints a selector stands for (§1 placements); *n their count.
 * The array is the caller's (free). */
struct sim_ep *sim_sel_endpoints(const struct sim *s, const struct sim_sel *sel,
				 uint32_t *n);

enum sim_verdict { VERDICT_ALL, VERDICT_SOME, VERDICT_NONE };

struct sim_pair {
	struct sim_ep src, dst;
	struct sim_result res;
	struct sim_trace trace; /* empty unless asked for */
	/* An NLB node whose zone has no healthy target while another zone
	 * has one: its address leaves the name's DNS answer (§8), so its
	 * forward does not count in the answer's forward verdict. */
	bool out_of_dns;
};

/*
 * Every placement pair of one question, summed up (§1).  For a load
 * balancer whose listener forwards, the forward is a second verdict over
 * the pairs that reach it (§8): fwd_n of them count, fwd_ok are served.
 */
struct sim_answer {
	struct sim_flow flow;
	struct sim_pair *pairs;
	uint32_t n;
	uint32_t n_ok;
	enum sim_verdict verdict;
	bool fwd;
	uint32_t fwd_n, fwd_ok;
	enum sim_verdict fwd_verdict;
};

/*
 * The fixes that make an answer's failing pairs work (it must have been
 * made with traces): each blocked pair's blocking step's, and for each
 * pair whose load balancer's forward serves nobody, the fix of the first
 * blocked step of that forward.  Added to l (sim_fix_list_add); returns
 * how many failing pairs have no fix (their step says why).
 */
uint32_t sim_answer_fixes(struct sim_fix_list *l, const struct model *m,
			  const struct sim_answer *a);

/* Answers src -> dst for one flow over every pair of endpoints; with
 * traces when with_trace.  *out is the caller's (sim_answer_free). */
void sim_answer(struct sim_answer *out, const struct sim *s,
		const struct sim_sel *src, const struct sim_sel *dst,
		struct sim_flow flow, bool with_trace);
void sim_answer_free(struct sim_answer *a);
const char *sim_verdict_name(enum sim_verdict v);

#endif
