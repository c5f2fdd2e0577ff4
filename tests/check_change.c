/*
 * Failures (model_fail) and change reports (sim, diff).  The resilience
 * tables of the canonical scenario and its single-NAT and single-AZ
 * database variants were worked out by hand from semantics §1, §7, §10:
 *
 *   three-tier     lose us-east-1a: nothing breaks (db fails over to its
 *                  standby in private-b, tasks and ALB remain in b, nat-b
 *                  serves private-b); lose us-east-1b: nothing breaks (the
 *                  read replica goes, its source still serves).
 *   single-nat     lose us-east-1a: nat-a goes, private-b's default route
 *                  becomes a blackhole, the tasks left cannot reach ECR,
 *                  S3 or Logs; lose us-east-1b: nothing breaks.
 *   single-az-db   lose us-east-1a: the only database goes (web -> db
 *                  gone); lose us-east-1b: nothing breaks.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "base/util.h"
#include "load/load.h"
#include "model/model.h"
#include "model/model_impl.h"
#include "rules/change.h"

static struct model *load(const char *path)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	ck_assert_msg(model_load_file(&m, path, &d) == 0, "%s", path);
	diag_list_free(&d);
	return m;
}

static struct model *load_failed(const char *path, const char *spec)
{
	struct model *m = load(path);
	struct diag_list d = DIAG_LIST_INIT;
	ck_assert_msg(model_fail(m, spec, &d) == 0, "%s", spec);
	diag_list_free(&d);
	return m;
}

static const struct intended_flow *find_flow(const struct change_report *r,
					     const char *src, const char *dst,
					     uint16_t port)
{
	for (uint32_t i = 0; i < r->flows.n; i++) {
		const struct intended_flow *f = &r->flows.v[i];
		if (((!src && !f->src_id) ||
		     (src && f->src_id && !strcmp(src, f->src_id))) &&
		    !strcmp(dst, f->dst_id) && f->flow.port == port)
			return f;
	}
	return NULL;
}

static uint32_t n_broken(const struct change_report *r)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < r->flows.n; i++)
		n += flow_broken(&r->flows.v[i]);
	return n;
}

/* Fails a clone of the model, as `vpcsim sim` does. */
static struct model *clone_failed(const struct model *m, const char *spec)
{
	struct model *c = model_clone(m);
	struct diag_list d = DIAG_LIST_INIT;
	ck_assert_msg(model_fail(c, spec, &d) == 0, "%s", spec);
	diag_list_free(&d);
	return c;
}

static void compare_failed(struct change_report *r, const char *path,
			   const char *spec)
{
	struct model *a = load(path), *b = clone_failed(a, spec);
	memset(r, 0, sizeof(*r));
	change_collect(&r->flows, a);
	change_compare(r, a, b, false);
	model_free(a);
	model_free(b);
}

START_TEST(test_fail_az_placements)
{
	struct model *m =
	    load_failed("scenarios/three-tier.yaml", "az:us-east-1a");
	uint32_t n;
	/* ALB keeps its node in public-b, web its placement in private-b. */
	const struct model_obj *alb = model_find(m, "alb");
	const struct model_placement *p =
	    model_placements(m, MK_LOAD_BALANCER, alb->index, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(m->subnets[p->subnet].obj.id, "public-b");
	/* The Multi-AZ primary moved to private-b. */
	const struct model_obj *db = model_find(m, "db");
	p = model_placements(m, MK_DATABASE, db->index, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(m->subnets[p->subnet].obj.id, "private-b");
	/* nat-a is gone and private-a-rt's default route dropped. */
	const struct model_obj *nat = model_find(m, "nat-a");
	model_placements(m, MK_NAT_GATEWAY, nat->index, &n);
	ck_assert_uint_eq(n, 0);
	const struct model_obj *rt = model_find(m, "private-a-rt");
	const struct model_route_table *t = &m->route_tables[rt->index];
	ck_assert_int_eq(t->routes[t->n_routes - 1].target, RT_BLACKHOLE);
	model_free(m);
}
END_TEST

START_TEST(test_fail_single_az_db_gone)
{
	struct model *m =
	    load_failed("scenarios/single-az-db.yaml", "az:us-east-1a");
	uint32_t n;
	model_placements(m, MK_DATABASE, model_find(m, "db")->index, &n);
	ck_assert_uint_eq(n, 0); /* no standby: nowhere to fail over */
	model_free(m);
}
END_TEST

START_TEST(test_fail_route_and_rule)
{
	struct change_report r;
	compare_failed(&r, "scenarios/three-tier.yaml",
		       "route:private-b-rt:0.0.0.0/0");
	const struct intended_flow *f = find_flow(&r, "web", "aws:ecr", 443);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->before, FLOW_ALL);
	ck_assert_int_eq(f->after, FLOW_SOME);
	ck_assert_int_eq(f->block_after, BLK_NO_ROUTE);
	change_report_free(&r);

	compare_failed(&r, "scenarios/three-tier.yaml", "sg:db-sg:ingress:1");
	f = find_flow(&r, "web", "db", 3306);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->after, FLOW_NONE);
	ck_assert_int_eq(f->block_after, BLK_SG_INGRESS);
	ck_assert(flow_broken(f));
	change_report_free(&r);
}
END_TEST

START_TEST(test_fail_resources)
{
	struct change_report r;
	/* An instance-free estate: the ALB itself failing. */
	compare_failed(&r, "scenarios/three-tier.yaml", "alb");
	const struct intended_flow *f = find_flow(&r, NULL, "alb", 443);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->after, FLOW_GONE);
	ck_assert(flow_broken(f));
	change_report_free(&r);

	compare_failed(&r, "scenarios/three-tier.yaml", "nat-b");
	f = find_flow(&r, "web", "aws:logs", 443);
	ck_assert_int_eq(f->after, FLOW_SOME);
	ck_assert_int_eq(f->block_after, BLK_BLACKHOLE);
	change_report_free(&r);

	/* A gateway endpoint's routes go with it: S3 falls back to the
	 * route it had beside the endpoint's. */
	struct model *m = load_failed("scenarios/endpoints.yaml", "s3");
	for (uint32_t t = 0; t < m->n[MK_ROUTE_TABLE]; t++)
		for (uint32_t k = 0; k < m->route_tables[t].n_routes; k++)
			ck_assert_int_ne(m->route_tables[t].routes[k].target,
					 RT_ENDPOINT);
	model_free(m);
}
END_TEST

START_TEST(test_fail_bad_specs)
{
	struct model *m = load("scenarios/three-tier.yaml");
	static const char *const bad[] = {"az:mars-1a",
					  "route:public-rt:10.9.0.0/16",
					  "route:web:0.0.0.0/0",
					  "sg:alb-sg:ingress:9",
					  "sg:alb-sg:sideways:1",
					  "nosuch",
					  "public-a"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct diag_list d = DIAG_LIST_INIT;
		ck_assert_msg(model_fail(m, bad[i], &d) < 0, "%s", bad[i]);
		ck_assert_uint_eq(d.n_errors, 1);
		diag_list_free(&d);
	}
	model_free(m);
}
END_TEST

/* The resilience tables of the header comment. */
START_TEST(test_resilience_tables)
{
	static const struct {
		const char *file, *zone;
		uint32_t broken;
		const char *src, *dst;
		uint16_t port;
		enum flow_state after;
	} rows[] = {
	    {"scenarios/three-tier.yaml", "az:us-east-1a", 0, "web", "db", 3306,
	     FLOW_ALL},
	    {"scenarios/three-tier.yaml", "az:us-east-1b", 0, "web",
	     "db-replica", 3306, FLOW_GONE},
	    {"scenarios/single-nat.yaml", "az:us-east-1a", 3, "web", "aws:ecr",
	     443, FLOW_NONE},
	    {"scenarios/single-nat.yaml", "az:us-east-1b", 0, "web", "aws:ecr",
	     443, FLOW_ALL},
	    {"scenarios/single-az-db.yaml", "az:us-east-1a", 1, "web", "db",
	     3306, FLOW_GONE},
	    {"scenarios/single-az-db.yaml", "az:us-east-1b", 0, "web", "db",
	     3306, FLOW_ALL},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct change_report r;
		compare_failed(&r, rows[i].file, rows[i].zone);
		ck_assert_msg(n_broken(&r) == rows[i].broken,
			      "%s %s: %u broken", rows[i].file, rows[i].zone,
			      n_broken(&r));
		const struct intended_flow *f =
		    find_flow(&r, rows[i].src, rows[i].dst, rows[i].port);
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(f->after, rows[i].after);
		change_report_free(&r);
	}
}
END_TEST

/* What blocks a broken flow is said with its file after the failed copy
 * the step was read from is gone (`sim` writes its report after freeing
 * each zone's copy): the report owns the file name. */
START_TEST(test_blocker_file_outlives_the_copy)
{
	struct change_report r;
	compare_failed(&r, "scenarios/single-nat.yaml", "az:us-east-1a");
	const struct intended_flow *f = find_flow(&r, "web", "aws:ecr", 443);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->after, FLOW_NONE);
	ck_assert_ptr_nonnull(f->blocker);
	ck_assert_uint_gt(f->block_loc.line, 0);
	/* The list's own copy, not the freed model's. */
	uint32_t t = hmap_find(&r.flows.texts, f->block_loc.file);
	ck_assert_uint_ne(t, HMAP_NONE);
	ck_assert_ptr_eq(hmap_key(&r.flows.texts, t), f->block_loc.file);
	ck_assert_str_eq(f->block_loc.file, "scenarios/single-nat.yaml");
	change_report_free(&r);
}
END_TEST

static void diff(struct change_report *r, const char *a, const char *b)
{
	struct model *x = load(a), *y = load(b);
	memset(r, 0, sizeof(*r));
	change_collect(&r->flows, x);
	change_collect(&r->flows, y);
	change_compare(r, x, y, true);
	model_free(x);
	model_free(y);
}

START_TEST(test_diff_kinds)
{
	struct change_report r;
	/* Identical models: nothing. */
	diff(&r, "scenarios/three-tier.yaml", "scenarios/three-tier.yaml");
	ck_assert_uint_eq(n_broken(&r), 0);
	ck_assert_uint_eq(r.n_exposures, 0);
	ck_assert_uint_eq(r.n_edges, 0);
	change_report_free(&r);

	/* A new exposure, with what changed. */
	diff(&r, "scenarios/three-tier.yaml", "scenarios/db-public-open.yaml");
	ck_assert_uint_eq(r.n_exposures, 1);
	ck_assert_str_eq(r.exposures[0].dst_id, "db");
	char buf[64];
	ports_format(buf, sizeof(buf), &r.exposures[0].added);
	ck_assert_str_eq(buf, "3306");
	ck_assert_ptr_nonnull(strstr(r.exposures[0].cause, "no-public-ip"));
	change_report_free(&r);

	/* A broken intended flow, and closed reachability, the other way
	 * an exposure closed. */
	diff(&r, "scenarios/three-tier.yaml",
	     "scenarios/targets-sg-wrong.yaml");
	const struct intended_flow *f = find_flow(&r, "alb", "web", 3000);
	ck_assert(flow_broken(f));
	ck_assert_ptr_nonnull(strstr(f->cause, "sg-ingress"));
	bool closed = false;
	for (uint32_t i = 0; i < r.n_edges; i++)
		closed |= !strcmp(r.edges[i].src_id, "alb") &&
			  !strcmp(r.edges[i].dst_id, "web") &&
			  ports_contains(&r.edges[i].removed, 3000);
	ck_assert(closed);
	change_report_free(&r);

	diff(&r, "scenarios/db-public-open.yaml", "scenarios/three-tier.yaml");
	ck_assert_uint_eq(r.n_exposures, 1);
	ck_assert(ports_empty(&r.exposures[0].added));
	ck_assert(ports_contains(&r.exposures[0].removed, 3306));
	change_report_free(&r);
}
END_TEST

/* A renamed resource is removed and added: the old name's flows are gone
 * (broken), the new name's work (fixed). */
START_TEST(test_diff_rename)
{
	struct model *x = load("scenarios/three-tier.yaml");
	struct diag_list d = DIAG_LIST_INIT;
	char *buf;
	size_t len;
	ck_assert_int_eq(
	    file_read_text(&buf, &len, "scenarios/three-tier.yaml", &d), 0);
	char *at = strstr(buf, "\n  db:\n");
	ck_assert_ptr_nonnull(at);
	memcpy(at + 3, "dx", 2);
	at = strstr(buf, "replica_of: db\n");
	memcpy(at + 12, "dx", 2);
	struct model *y;
	ck_assert_int_eq(model_load_buffer(&y, "renamed.yaml", buf, len, &d),
			 0);
	struct change_report r = {0};
	change_collect(&r.flows, x);
	change_collect(&r.flows, y);
	change_compare(&r, x, y, true);
	const struct intended_flow *old = find_flow(&r, "web", "db", 3306);
	const struct intended_flow *new = find_flow(&r, "web", "dx", 3306);
	ck_assert_int_eq(old->after, FLOW_GONE);
	ck_assert(flow_broken(old));
	ck_assert_int_eq(new->before, FLOW_GONE);
	ck_assert_int_eq(new->after, FLOW_ALL);
	change_report_free(&r);
	free(buf);
	diag_list_free(&d);
	model_free(x);
	model_free(y);
}
END_TEST

/* A require policy that the failure violates is reported by sim. */
START_TEST(test_sim_policy)
{
	struct model *a = load("scenarios/single-az-db.yaml");
	struct model *b = clone_failed(a, "az:us-east-1a");
	struct diag_list d = DIAG_LIST_INIT;
	struct policy_set *ps = NULL;
	ck_assert_int_eq(
	    policy_load_file(&ps, "tests/policy/require-db.yaml", a, &d), 0);
	struct change_report r = {0};
	change_policies(&r, ps, a, a);
	ck_assert_uint_eq(r.n_policy_broken, 0);
	change_policies(&r, ps, a, b);
	ck_assert_uint_eq(r.n_policy_broken, 1);
	ck_assert_ptr_nonnull(strstr(r.policy_broken[0], "web-reaches-db"));
	ck_assert_ptr_nonnull(strstr(r.policy_broken[0], "no placement"));
	change_report_free(&r);
	policy_set_free(ps);
	diag_list_free(&d);
	model_free(a);
	model_free(b);
}
END_TEST

/* ---- failover addresses ----------------------------------------------- */

/*
 * A Multi-AZ database pinned to us-east-1a fails over to subnet b, whose
 * addresses the test fills: the failover address comes from the
 * load-time allocator (first free host address from the fifth on, never
 * the last), not from counting what b holds.
 */
static struct model *load_yaml(const char *yaml)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "failover.yaml", yaml, strlen(yaml), &d);
	for (size_t i = 0; i < d.n; i++)
		fprintf(stderr, "failover.yaml:%u:%u: %s\n", d.v[i].line,
			d.v[i].col, d.v[i].message);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(d.n_errors, 0);
	diag_list_free(&d);
	return m;
}

/* A model with subnet b of the given block holding the given instances
 * ("name: {subnet: b...}" lines) and n_db pinned Multi-AZ databases. */
static struct model *failover_model(const char *b_cidr, const char *instances,
				    int n_db)
{
	char yaml[4096];
	size_t n = (size_t)snprintf(
	    yaml, sizeof(yaml),
	    "region: us-east-1\n"
	    "vpcs:\n  main: {cidr: 10.0.0.0/16}\n"
	    "subnets:\n"
	    "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"
	    "  b: {vpc: main, cidr: %s, az: us-east-1b}\n"
	    "instances:\n%s"
	    "databases:\n",
	    b_cidr, instances);
	for (int i = 0; i < n_db; i++)
		n +=
		    (size_t)snprintf(yaml + n, sizeof(yaml) - n,
				     "  db%d: {engine: mysql, subnets: [a, b], "
				     "availability_zone: us-east-1a, "
				     "multi_az: true}\n",
				     i);
	ck_assert_uint_lt(n, sizeof(yaml));
	return load_yaml(yaml);
}

/* "  iNN: {subnet: b}" for NN in [0, count). */
static void auto_instances(char *buf, size_t size, int count)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < count; i++)
		n += (size_t)snprintf(buf + n, size - n,
				      "  i%02d: {subnet: b}\n", i);
}

static const struct model_placement *db_placement(const struct model *m,
						  const char *id)
{
	uint32_t n;
	const struct model_placement *p =
	    model_placements(m, MK_DATABASE, model_find(m, id)->index, &n);
	ck_assert_uint_eq(n, 1);
	return p;
}

static const char *addr_text(char buf[ADDR_STRLEN], uint32_t a)
{
	addr_format(buf, a);
	return buf;
}

/* No two placements of m share an address in one subnet. */
static void addresses_distinct(const struct model *m)
{
	for (uint32_t i = 0; i < m->n_placements_total; i++)
		for (uint32_t j = 0; j < i; j++) {
			const struct model_placement *x = &m->placements[i];
			const struct model_placement *y = &m->placements[j];
			ck_assert(!x->addr || x->subnet != y->subnet ||
				  x->addr != y->addr);
		}
}

/* Every route to a host or NAT gateway lost with a zone drops its
 * traffic, naming its own target: failing a zone marks all of them, in
 * one pass over the routes (nat-instance.yaml routes three tables to three
 * instances of one zone; three-tier with both NAT gateways in us-east-1a
 * two tables to two gateways).  Marking only the first target, or naming
 * another, fails here. */
static void assert_blackholed(const struct model *before,
			      const struct model *after, enum route_target t,
			      const char *what)
{
	uint32_t seen = 0;
	for (uint32_t i = 0; i < before->n[MK_ROUTE_TABLE]; i++) {
		const struct model_route_table *a = &before->route_tables[i];
		const struct model_route_table *b = &after->route_tables[i];
		ck_assert_uint_eq(a->n_routes, b->n_routes);
		for (uint32_t k = 0; k < a->n_routes; k++) {
			if (a->routes[k].target != t) {
				ck_assert_int_eq(b->routes[k].target,
						 a->routes[k].target);
				continue;
			}
			const char *id =
			    t == RT_NAT
				? before
				      ->nat_gateways[a->routes[k].target_index]
				      .obj.id
				: before->instances[a->routes[k].target_index]
				      .obj.id;
			char want[256];
			snprintf(want, sizeof(want), "blackhole (%s %s failed)",
				 what, id);
			ck_assert_int_eq(b->routes[k].target, RT_BLACKHOLE);
			ck_assert_str_eq(b->routes[k].target_id, want);
			seen++;
		}
	}
	ck_assert_uint_ge(seen, 2);
}

START_TEST(test_fail_az_blackholes_every_target)
{
	struct model *a = load("scenarios/nat-instance.yaml");
	struct model *b = clone_failed(a, "az:us-east-1a");
	assert_blackholed(a, b, RT_INSTANCE, "instance");
	model_free(a);
	model_free(b);

	char *text;
	size_t len;
	struct diag_list d = DIAG_LIST_INIT;
	ck_assert_int_eq(
	    file_read_text(&text, &len, "scenarios/three-tier.yaml", &d), 0);
	char *nat_b = strstr(text, "subnet: public-b\n    elastic_ip");
	ck_assert_ptr_nonnull(nat_b);
	memcpy(nat_b, "subnet: public-a", 16);
	ck_assert_int_eq(
	    model_load_buffer(&a, "two-nats-in-a.yaml", text, len, &d), 0);
	b = clone_failed(a, "az:us-east-1a");
	assert_blackholed(a, b, RT_NAT, "NAT gateway");
	model_free(a);
	model_free(b);
	free(text);
	diag_list_free(&d);
}
END_TEST

/* The flows' outcomes of two reports, field by field. */
static void assert_same_outcome(const struct change_report *x,
				const struct change_report *y)
{
	ck_assert_uint_eq(x->flows.n, y->flows.n);
	for (uint32_t i = 0; i < x->flows.n; i++) {
		const struct intended_flow *f = &x->flows.v[i],
					   *g = &y->flows.v[i];
		ck_assert_str_eq(f->dst_id, g->dst_id);
		ck_assert_int_eq(f->before, g->before);
		ck_assert_int_eq(f->after, g->after);
		ck_assert_uint_eq(f->ok_after, g->ok_after);
		ck_assert_uint_eq(f->n_after, g->n_after);
		ck_assert_int_eq(f->block_after, g->block_after);
		ck_assert_int_eq(f->absorbed, g->absorbed);
		ck_assert_int_eq(!f->blocker, !g->blocker);
		if (f->blocker)
			ck_assert_str_eq(f->blocker, g->blocker);
		ck_assert_int_eq(!f->detail_after, !g->detail_after);
		ck_assert_uint_eq(f->block_loc.line, g->block_loc.line);
	}
	ck_assert_uint_eq(x->n_exposures, y->n_exposures);
	ck_assert_uint_eq(x->n_policy_broken, y->n_policy_broken);
}

/*
 * One base, many comparisons (`sim --all-azs`): each compare replaces
 * what the one before left, so losing us-east-1b after us-east-1a reads
 * as losing it alone, and the other way round.  A compare that only adds
 * (a policy violation, a blocker, an absorbed replica kept from the zone
 * before) fails here.
 */
START_TEST(test_base_reused_per_zone)
{
	static const char *const files[] = {"scenarios/single-az-db.yaml",
					    "scenarios/single-nat.yaml",
					    "scenarios/three-tier.yaml"};
	static const char *const order[2][2] = {
	    {"az:us-east-1a", "az:us-east-1b"},
	    {"az:us-east-1b", "az:us-east-1a"}};
	for (size_t fi = 0; fi < 3; fi++)
		for (int o = 0; o < 2; o++) {
			struct model *h = load(files[fi]);
			struct diag_list d = DIAG_LIST_INIT;
			struct policy_set *ps = NULL;
			ck_assert_int_eq(
			    policy_load_file(
				&ps, "tests/policy/require-db.yaml", h, &d),
			    0);
			struct change_report r = {0};
			struct change_base *b;
			change_collect(&r.flows, h);
			change_base_new(&b, h, &r.flows, ps);
			for (int z = 0; z < 2; z++) {
				struct model *lost =
				    clone_failed(h, order[o][z]);
				change_base_compare(&r, b, lost, false);
				/* The same zone alone, on a fresh report. */
				struct change_report one = {0};
				change_collect(&one.flows, h);
				change_compare(&one, h, lost, false);
				change_policies(&one, ps, h, lost);
				assert_same_outcome(&r, &one);
				for (uint32_t k = 0; k < r.n_policy_broken; k++)
					ck_assert_str_eq(r.policy_broken[k],
							 one.policy_broken[k]);
				change_report_free(&one);
				model_free(lost);
			}
			change_base_free(b);
			change_report_free(&r);
			policy_set_free(ps);
			diag_list_free(&d);
			model_free(h);
		}
}
END_TEST

START_TEST(test_failover_skips_a_taken_address)
{
	/* b holds .4 (allocated) and .6 (explicit): counting gave .6. */
	struct model *m = failover_model("10.0.2.0/24",
					 "  first: {subnet: b}\n"
					 "  fixed: {subnet: b, "
					 "private_ip: 10.0.2.6}\n",
					 1);
	uint32_t b = model_find(m, "b")->index;
	ck_assert_uint_eq(m->subnets[b].n_allocated, 2);
	struct model *c = clone_failed(m, "az:us-east-1a");
	const struct model_placement *p = db_placement(c, "db0");
	char a[ADDR_STRLEN];
	ck_assert_uint_eq(p->subnet, b);
	ck_assert_str_eq(addr_text(a, p->addr), "10.0.2.5");
	ck_assert(!p->addr_explicit && !p->addr_exhausted);
	ck_assert_uint_eq(c->subnets[b].n_allocated, 3);
	addresses_distinct(c);
	model_free(c);
	model_free(m);
}
END_TEST

START_TEST(test_failover_full_subnet)
{
	/* A /28 holds 11: .4 to .14, all taken; counting gave .15, the
	 * broadcast address. */
	char inst[1024];
	auto_instances(inst, sizeof(inst), 11);
	struct model *m = failover_model("10.0.2.0/28", inst, 1);
	uint32_t b = model_find(m, "b")->index;
	struct model *c = clone_failed(m, "az:us-east-1a");
	const struct model_placement *p = db_placement(c, "db0");
	ck_assert_uint_eq(p->subnet, b);
	ck_assert_uint_eq(p->addr, 0);
	ck_assert(p->addr_exhausted);
	ck_assert_uint_eq(c->subnets[b].n_allocated, 11);
	model_free(c);
	model_free(m);
}
END_TEST

START_TEST(test_failover_never_the_last_address)
{
	/* .4 to .13 taken: the first database gets .14, the last host
	 * address; the second none (counting gave .15). */
	char inst[1024];
	auto_instances(inst, sizeof(inst), 10);
	struct model *m = failover_model("10.0.2.0/28", inst, 2);
	struct model *c = clone_failed(m, "az:us-east-1a");
	char a[ADDR_STRLEN];
	const struct model_placement *p0 = db_placement(c, "db0");
	const struct model_placement *p1 = db_placement(c, "db1");
	ck_assert_str_eq(addr_text(a, p0->addr), "10.0.2.14");
	ck_assert(!p0->addr_exhausted);
	ck_assert_uint_eq(p1->addr, 0);
	ck_assert(p1->addr_exhausted);
	addresses_distinct(c);
	model_free(c);
	model_free(m);
}
END_TEST

START_TEST(test_next_addr_is_the_load_time_allocator)
{
	/* Explicit addresses among allocated ones: one more instance at
	 * load time gets what model_next_addr answers for the model
	 * without it. */
	static const char inst[] = "  x1: {subnet: b}\n"
				   "  x2: {subnet: b, private_ip: 10.0.2.5}\n"
				   "  x3: {subnet: b, private_ip: 10.0.2.7}\n"
				   "  x4: {subnet: b}\n";
	char more[256];
	snprintf(more, sizeof(more), "%s  extra: {subnet: b}\n", inst);
	struct model *m = failover_model("10.0.2.0/24", inst, 0);
	struct model *m2 = failover_model("10.0.2.0/24", more, 0);
	uint32_t n;
	const struct model_placement *extra = model_placements(
	    m2, MK_INSTANCE, model_find(m2, "extra")->index, &n);
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	ck_assert_str_eq(addr_text(a, extra->addr), "10.0.2.8");
	ck_assert_str_eq(
	    addr_text(b, model_next_addr(m, model_find(m, "b")->index)),
	    addr_text(a, extra->addr));
	/* A subnet with no placement starts at the fifth address. */
	ck_assert_str_eq(
	    addr_text(a, model_next_addr(m, model_find(m, "a")->index)),
	    "10.0.1.4");
	model_free(m2);
	model_free(m);
}
END_TEST

Suite *change_suite(void)
{
	Suite *s = suite_create("change");
	TCase *tc = tcase_create("failures");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_fail_az_placements);
	tcase_add_test(tc, test_fail_single_az_db_gone);
	tcase_add_test(tc, test_fail_route_and_rule);
	tcase_add_test(tc, test_fail_resources);
	tcase_add_test(tc, test_fail_bad_specs);
	tcase_add_test(tc, test_resilience_tables);
	tcase_add_test(tc, test_blocker_file_outlives_the_copy);
	tcase_add_test(tc, test_sim_policy);
	tcase_add_test(tc, test_fail_az_blackholes_every_target);
	tcase_add_test(tc, test_base_reused_per_zone);
	suite_add_tcase(s, tc);
	tc = tcase_create("failover");
	tcase_add_test(tc, test_failover_skips_a_taken_address);
	tcase_add_test(tc, test_failover_full_subnet);
	tcase_add_test(tc, test_failover_never_the_last_address);
	tcase_add_test(tc, test_next_addr_is_the_load_time_allocator);
	suite_add_tcase(s, tc);
	tc = tcase_create("diff");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_diff_kinds);
	tcase_add_test(tc, test_diff_rename);
	suite_add_tcase(s, tc);
	return s;
}
