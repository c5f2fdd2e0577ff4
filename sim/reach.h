/*
 * Reachability over a whole estate: from one source to every resource, or
 * from every source to one resource, with the ports of each as port sets.
 *
 * Exact, not sampled.  Endpoints that no rule of the model can tell apart
 * (same subnet, same address atom of the CIDRs the rules and routes
 * mention, same security groups, same public-address status, same
 * listening behaviour) form an equivalence class; each class is evaluated
 * once, through its representative, with sim_ports, whose port sets are
 * exactly the ports a per-port sim_connect would find reachable.  The
 * internet as a source is split into the atoms of public address space
 * that the destination's own rules and routes distinguish.
 */
#ifndef VPCSIM_REACH_H
#define VPCSIM_REACH_H

#include <stdbool.h>
#include <stdint.h>

#include "base/ports.h"
#include "sim/sim.h"

enum reach_node_kind { RN_INTERNET, RN_SERVICE, RN_RESOURCE };

/* A vertex of the reachability graph. */
struct reach_node {
	enum reach_node_kind kind;
	enum model_kind rkind; /* RN_RESOURCE */
	uint32_t rindex;
	enum sim_service service; /* RN_SERVICE */
};

/* An address interval, for the internet sources that reach. */
struct reach_range {
	uint32_t lo, hi;
};

/* The same in IPv6 space (network byte order). */
struct reach_range6 {
	uint8_t lo[16], hi[16];
};

/* One (source, destination, protocol) with what reaches. */
struct reach_row {
	struct reach_node src, dst;
	enum proto proto;
	struct ports all;     /* ports every placement pair reaches */
	struct ports some;    /* ports some pair reaches; all is a subset */
	uint32_t pairs;	      /* placement pairs weighed */
	bool degraded;	      /* a reaching pair loses part of its replies */
	enum sim_block block; /* why a pair fails, when one does */
	/* Internet sources: the public ranges that reach some port, or
	 * none listed when every public address does (any_source). */
	bool any_source;
	struct reach_range *sources;
	uint32_t n_sources;
	/* The row is over IPv6 (§2): from or to the IPv6 internet
	 * ("internet6"), whose sources are IPv6 ranges. */
	bool ipv6;
	struct reach_range6 *sources6;
	uint32_t n_sources6;
	const char *unknown; /* a value the verdict depends on, or NULL */
	/* A load balancer's listener ports by their forward, the second
	 * verdict (§8): ports a reaching pair's forward serves, and ports
	 * where a pair's does not (an NLB node whose zone has no healthy
	 * target counts only when no pair is served: DNS leaves it out). */
	struct ports fwd_served, fwd_failed;
	bool fwd_degraded;
	const char *fwd_unknown; /* a value the forward depends on, or NULL */
	struct ports fwd_unhealthy; /* while folding */
};

struct reach_table {
	struct reach_row *rows;
	uint32_t n, cap;
	/* The table is the internet's exposure map: its writers also list
	 * what the input gives no placement that the internet might reach
	 * (report/map.c), since no row can say anything about those. */
	bool from_internet;
};

struct reach_index; /* opaque: the equivalence classes of a sim */

/* Builds the classes of s's model; *out is the caller's (reach_index_free).
 * The sim must outlive the index. */
int reach_index_new(struct reach_index **out, const struct sim *s);
void reach_index_free(struct reach_index *ix);
uint32_t reach_index_classes(const struct reach_index *ix);
const struct sim *reach_index_sim(const struct reach_index *ix);
/* The classes themselves, for the graph (sim/graph.c): the class of a
 * placement, and a class's member placements, its representative first.
 * Classes and members are in the order reach_from makes its rows. */
uint32_t reach_index_class_of(const struct reach_index *ix, uint32_t placement);
const uint32_t *reach_index_class_members(const struct reach_index *ix,
					  uint32_t c, uint32_t *n);

/*
 * A memo of connections between placements, one per (class of the source,
 * class of the destination, flow): the classes are built so that the
 * engine treats every member alike, so one sim_connect answers for every
 * pair of members.  Asking the same question of n pairs costs one
 * evaluation and n - 1 hash lookups; VS006 and sim/diff ask millions of
 * pairs and only thousands of distinct questions.
 *
 * Exact: a pair is evaluated directly, and not remembered, when its
 * verdict may depend on more than the classes: when an end's own object
 * has unknown values (the verdict names the first unknown value it read,
 * and those differ between members).  A placement asked about itself is
 * a question of its own (key: same placement).
 */
struct reach_memo; /* opaque */

/* A memo over ix's classes; *out is the caller's (reach_memo_free).  The
 * index must outlive the memo. */
int reach_memo_new(struct reach_memo **out, const struct reach_index *ix);
void reach_memo_free(struct reach_memo *mm);
/*
 * sim_connect from placement src to placement dst (IPv4, each by its
 * private address) for flow, without a trace.  The result is the memo's:
 * read it before the next call; it is valid until then (never free it).
 */
const struct sim_result *reach_memo_connect(struct reach_memo *mm, uint32_t src,
					    uint32_t dst, struct sim_flow flow);
/* Questions asked and questions evaluated, for tests and benchmarks. */
void reach_memo_stats(const struct reach_memo *mm, uint64_t *asked,
		      uint64_t *evaluated);

/*
 * Every destination the source selection reaches with proto: each resource
 * with placements, and the internet and AWS services for sources in a
 * VPC.  A selection of IPv6 (the IPv6 internet, "internet6") asks over
 * IPv6 (§2): its rows are marked ipv6.  Rows with nothing reachable are
 * kept only when keep_empty.  *out must be zeroed or freed before;
 * release with reach_table_free.
 */
void reach_from(struct reach_table *out, const struct reach_index *ix,
		const struct sim_sel *src, enum proto proto, bool keep_empty);
/* Every source that reaches the destination selection; the internet over
 * IPv6 as a row of its own (ipv6) when the destination has an IPv6
 * address the internet may reach. */
void reach_to(struct reach_table *out, const struct reach_index *ix,
	      const struct sim_sel *dst, enum proto proto, bool keep_empty);
void reach_table_free(struct reach_table *t);

/*
 * What load balancer lb forwards to by itself (§8, §13): one row per
 * target resource, lb -> target, with the target ports of proto on which
 * the engine's forwards (sim_lb_forwards, every listener and node) serve
 * the load balancer's default client (sim_lb_default_client): all when
 * every forward to the resource on that port does, some when one does.
 * *out must be zeroed or freed before; release with reach_table_free.
 */
void reach_forwards(struct reach_table *out, const struct reach_index *ix,
		    uint32_t lb, enum proto proto);

/*
 * The atoms of public address space that placement's own rules tell
 * apart (its subnet's NACL and route table, its groups' ingress rules, and
 * for a load balancer every NACL and group of its VPC, from ix's lists by
 * VPC; placement is one of ix's model): one internet
 * address per atom in *reps and its range in *ranges; returns the count.
 * Both arrays are the caller's (free).
 */
uint32_t reach_internet_atoms(const struct reach_index *ix, uint32_t placement,
			      uint32_t **reps, struct reach_range **ranges);
/* The same in IPv6 space (§2): the atoms of the IPv6 internet (2000::/3
 * outside the placement's VPC) that its IPv6 rules and routes tell
 * apart, each with one address in *reps (16 bytes an address). */
uint32_t reach_internet_atoms6(const struct reach_index *ix, uint32_t placement,
			       uint8_t (**reps)[16],
			       struct reach_range6 **ranges);

/* "internet", "aws:ecr", or the resource id ("internet6" is the
 * internet of a row over IPv6: reach_row_src_name). */
const char *reach_node_name(const struct sim *s, const struct reach_node *n);
/* The verdict of a row: all when some == all != empty, some when some is
 * not empty, none otherwise. */
enum sim_verdict reach_row_verdict(const struct reach_row *r);
/* A row's source and destination names: reach_node_name's, with the
 * internet of an IPv6 row named "internet6". */
const char *reach_row_src_name(const struct sim *s, const struct reach_row *r);
const char *reach_row_dst_name(const struct sim *s, const struct reach_row *r);

#endif
