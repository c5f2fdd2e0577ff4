/*
 * Tests for the Terraform plan loader (load/tf/).
 *
 * - Two Terraform 0.12 patterns (format 0.1), written as plans of our own
 *   (a VPC module with three AZs reached through local.vpc_id; four
 *   subnets without AZs, a route block's unknown gateway and an NLB's
 *   refused listeners), load, and their subnets, routes and gateways are
 *   what the plan describes; the same checks run on the real plans they
 *   reproduce (../shared/examples/tfplan) when those are present.
 * - The canonical architecture and its broken variants, written as
 *   format 1.2 plans (tests/tfplan/make-plans.py), give through the
 *   engine the verdicts of the native scenarios, asked the same
 *   questions.
 * - modules.plan.json and features.plan.json exercise reference
 *   resolution (modules, count, for_each, outputs, inputs, locals, data
 *   sources) and every resource type with the provider's defaults.
 * - Malformed plans fail with exact file:line:col messages.
 * - The kinds of issue 12 (Auto Scaling groups, ECS on EC2, classic ELBs,
 *   data stores, Lambda) give, written as plans of the architectures of
 *   tests/cfn, the findings and exposure maps of those templates
 *   (parity_cfn); their Terraform forms and defaults are checked one by
 *   one, and so are the VPC's default route table, main table and
 *   default ACL (defaults.plan.json).
 * - A group open to the world on an administrative port whose VPC is
 *   outside the input is a warning that says so, in plans and templates
 *   alike: never silence, never an error that claims an exposure.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "load/load.h"
#include "model/model.h"
#include "rules/rules.h"
#include "sim/reach.h"
#include "sim/sim.h"
#include "tests/check_support.h"

/* ---- helpers ------------------------------------------------------------ */

static void diag_dump(const struct diag_list *d)
{
	diag_print(stderr, d);
}

/* Loads a file that must load; its diagnostics stay in *d. */
static struct model *load_ok(const char *path, struct diag_list *d)
{
	struct model *m = NULL;
	int rc = model_load_file(&m, path, d);
	if (rc != 0)
		diag_dump(d);
	ck_assert_msg(rc == 0 && m, "%s did not load", path);
	ck_assert_str_eq(m->format, "terraform-plan");
	return m;
}

/* Loads a buffer that must fail; the diagnostics stay in *d. */
static void load_bad(const char *name, const char *text, struct diag_list *d)
{
	struct model *m = NULL;
	int rc = model_load_buffer(&m, name, text, strlen(text), d);
	ck_assert_msg(rc < 0 && !m, "%s loaded", name);
	model_free(m);
}

/* Whether the diagnostics hold exactly this line (as diag_print prints
 * it, without the newline). */
static bool has_diag(const struct diag_list *d, const char *line)
{
	for (size_t i = 0; i < d->n; i++) {
		char buf[1024];
		const struct diag *x = &d->v[i];
		if (x->file && x->line)
			snprintf(buf, sizeof(buf), "%s:%u:%u: %s: %s", x->file,
				 x->line, x->col,
				 diag_severity_name(x->severity), x->message);
		else
			snprintf(buf, sizeof(buf), "%s: %s: %s",
				 x->file ? x->file : "vpcsim",
				 diag_severity_name(x->severity), x->message);
		if (!strcmp(buf, line))
			return true;
	}
	return false;
}

#define ASSERT_DIAG(d, line)                                                   \
	do {                                                                   \
		if (!has_diag((d), (line))) {                                  \
			diag_dump(d);                                          \
			ck_abort_msg("missing diagnostic: %s", (line));        \
		}                                                              \
	} while (0)

static size_t count_sev(const struct diag_list *d, enum diag_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < d->n; i++)
		n += d->v[i].severity == sev;
	return n;
}

static struct model_obj *obj(const struct model *m, const char *id,
			     enum model_kind kind)
{
	struct model_obj *o = model_find(m, id);
	ck_assert_msg(o, "no object '%s'", id);
	ck_assert_msg(o->kind == kind, "'%s' is a %s, not a %s", id,
		      model_kind_name(o->kind), model_kind_name(kind));
	return o;
}

static const char *id_of(const struct model *m, enum model_kind k, uint32_t i)
{
	return i == MODEL_NONE ? "(none)" : model_object(m, k, i)->id;
}

/* Whether some unknown of the object contains text. */
static bool has_unknown(const struct model *m, const char *id, const char *text)
{
	struct model_obj *o = model_find(m, id);
	ck_assert_msg(o, "no object '%s'", id);
	for (uint32_t i = 0; i < o->n_unknowns; i++)
		if (strstr(o->unknowns[i], text))
			return true;
	for (uint32_t i = 0; i < o->n_unknowns; i++)
		fprintf(stderr, "%s unknown: %s\n", id, o->unknowns[i]);
	return false;
}

#define ASSERT_UNKNOWN(m, id, text)                                            \
	ck_assert_msg(has_unknown((m), (id), (text)),                          \
		      "%s: no unknown with '%s'", (id), (text))

static const struct model_subnet *subnet(const struct model *m, const char *id)
{
	return &m->subnets[obj(m, id, MK_SUBNET)->index];
}

static const struct model_route_table *table(const struct model *m,
					     const char *id)
{
	return &m->route_tables[obj(m, id, MK_ROUTE_TABLE)->index];
}

/* The target of a table's IPv4 route to dst ("0.0.0.0/0"), or "none". */
static const char *route_to(const struct model *m, const char *rt,
			    const char *dst)
{
	const struct model_route_table *t = table(m, rt);
	struct cidr c;
	ck_assert_int_eq(cidr_parse(&c, dst), 0);
	for (uint32_t i = 0; i < t->n_routes; i++)
		if (!t->routes[i].ipv6 && t->routes[i].dst.addr == c.addr &&
		    t->routes[i].dst.len == c.len)
			return t->routes[i].target_id;
	return "none";
}

/* The verdict of one question through the engine; *unknown receives
 * the first unknown value a pair read, or NULL. */
static enum sim_verdict ask(const struct sim *s, const char *from,
			    const char *to, uint16_t port, const char **unknown)
{
	struct sim_sel a, b;
	char err[256];
	ck_assert_msg(sim_sel_parse(&a, s, from, err, sizeof(err)) == 0,
		      "%s: %s", from, err);
	ck_assert_msg(sim_sel_parse(&b, s, to, err, sizeof(err)) == 0, "%s: %s",
		      to, err);
	struct sim_answer ans;
	sim_answer(&ans, s, &a, &b, (struct sim_flow){PROTO_TCP, port}, false);
	enum sim_verdict v = ans.verdict;
	if (unknown) {
		*unknown = NULL;
		for (uint32_t i = 0; i < ans.n && !*unknown; i++)
			*unknown = ans.pairs[i].res.unknown;
	}
	sim_answer_free(&ans);
	return v;
}

/* ---- the Terraform 0.12 patterns -----------------------------------------
 *
 * Each pattern is checked on a plan of our own (make-plans.py) and, with
 * the same checks, on the real plan it reproduces, read from the shared
 * examples when they are beside the project (they are not part of it).
 */

#define SHARED_TFPLAN "../shared/examples/tfplan/"

/* Whether a real plan is there; says so on stderr when it is not. */
static bool real_plan(const char *path, const char *what)
{
	if (access(path, R_OK) == 0)
		return true;
	fprintf(stderr, "note: %s absent; %s is not checked\n", path, what);
	return false;
}

/*
 * A module (terraform-aws-modules/vpc or one written like it) with three
 * AZs: a private and a public subnet in each, a NAT gateway per AZ in its
 * public subnet, one public table to the internet gateway and a private
 * table per AZ to its NAT gateway, all through aws_route and associations
 * indexed by count.index, and a VPN gateway (skipped).  Inside the module
 * every vpc_id is local.vpc_id, which plans do not contain; the module
 * holds one VPC.
 */
struct module_vpc_case {
	const char *path, *region;
	const char *local_note; /* the note on local values, after the path */
	const char *vpc, *vpc_cidr, *igw, *public_rt;
	struct {
		const char *id, *cidr, *az, *rt;
		bool pub;
	} subs[6];
	const char *private_rt[3], *nat[3], *nat_subnet[3];
};

static void check_module_vpc(const struct module_vpc_case *c)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok(c->path, &d);
	ck_assert_str_eq(m->region, c->region);
	ck_assert_uint_eq(count_sev(&d, DIAG_ERROR), 0);
	ck_assert_uint_eq(count_sev(&d, DIAG_WARNING), 0);
	char line[1024];
	snprintf(line, sizeof(line),
		 "%s: note: skipped 1 resource of types vpcsim "
		 "does not model: aws_vpn_gateway (1)",
		 c->path);
	ASSERT_DIAG(&d, line);
	snprintf(line, sizeof(line), "%s%s", c->path, c->local_note);
	ASSERT_DIAG(&d, line);

	ck_assert_uint_eq(m->n[MK_VPC], 1);
	const struct model_vpc *v = &m->vpcs[0];
	ck_assert_str_eq(v->obj.id, c->vpc);
	ck_assert_uint_eq(v->n_cidrs, 1);
	char cb[CIDR_STRLEN];
	cidr_format(cb, v->cidrs[0]);
	ck_assert_str_eq(cb, c->vpc_cidr);
	ck_assert_str_eq(id_of(m, MK_INTERNET_GATEWAY, v->internet_gateway),
			 c->igw);
	ck_assert_uint_eq(m->n[MK_INTERNET_GATEWAY], 1);

	ck_assert_uint_eq(m->n[MK_SUBNET], 6);
	for (size_t i = 0; i < 6; i++) {
		const struct model_subnet *s = subnet(m, c->subs[i].id);
		cidr_format(cb, s->cidr);
		ck_assert_str_eq(cb, c->subs[i].cidr);
		ck_assert_str_eq(s->az, c->subs[i].az);
		ck_assert_str_eq(id_of(m, MK_VPC, s->vpc), v->obj.id);
		ck_assert_msg(s->route_table_explicit, "%s", c->subs[i].id);
		ck_assert_str_eq(id_of(m, MK_ROUTE_TABLE, s->route_table),
				 c->subs[i].rt);
		ck_assert_msg(s->is_public == c->subs[i].pub, "%s: %s",
			      c->subs[i].id, s->why);
		ck_assert(s->map_public_ip == c->subs[i].pub);
	}
	/* 4 tables of the plan and the VPC's implicit main table. */
	ck_assert_uint_eq(m->n[MK_ROUTE_TABLE], 5);
	ck_assert_str_eq(route_to(m, c->public_rt, "0.0.0.0/0"), c->igw);
	for (int i = 0; i < 3; i++) {
		ck_assert_str_eq(route_to(m, c->private_rt[i], "0.0.0.0/0"),
				 c->nat[i]);
		const struct model_nat_gateway *g =
		    &m->nat_gateways[obj(m, c->nat[i], MK_NAT_GATEWAY)->index];
		ck_assert_str_eq(id_of(m, MK_SUBNET, g->subnet),
				 c->nat_subnet[i]);
		ck_assert(g->is_public && g->has_eip);
		/* + local */
		ck_assert_uint_eq(table(m, c->private_rt[i])->n_routes, 2);
	}
	ck_assert_uint_eq(m->n[MK_NAT_GATEWAY], 3);
	snprintf(line, sizeof(line), "%s-main-rt", c->vpc);
	ck_assert(table(m, line)->obj.implicit);
	model_free(m);
	diag_list_free(&d);
}

#define NET "module.network."

START_TEST(module_vpc_3az)
{
	static const struct module_vpc_case c = {
	    "tests/tfplan/module-vpc-3az.plan.json",
	    "us-west-2",
	    ":40:13: note: 11 references through local values (which plans "
	    "do not contain) were taken to be the only resource of the "
	    "wanted type in their module, e.g. " NET "aws_subnet.app[0] "
	    "vpc_id -> " NET "aws_vpc.main[0] (local.vpc_id)",
	    NET "aws_vpc.main[0]",
	    "172.20.0.0/16",
	    NET "aws_internet_gateway.main[0]",
	    NET "aws_route_table.edge[0]",
	    {{NET "aws_subnet.app[0]", "172.20.8.0/22", "us-west-2a",
	      NET "aws_route_table.app[0]", false},
	     {NET "aws_subnet.app[1]", "172.20.12.0/22", "us-west-2b",
	      NET "aws_route_table.app[1]", false},
	     {NET "aws_subnet.app[2]", "172.20.16.0/22", "us-west-2c",
	      NET "aws_route_table.app[2]", false},
	     {NET "aws_subnet.edge[0]", "172.20.0.0/24", "us-west-2a",
	      NET "aws_route_table.edge[0]", true},
	     {NET "aws_subnet.edge[1]", "172.20.1.0/24", "us-west-2b",
	      NET "aws_route_table.edge[0]", true},
	     {NET "aws_subnet.edge[2]", "172.20.2.0/24", "us-west-2c",
	      NET "aws_route_table.edge[0]", true}},
	    {NET "aws_route_table.app[0]", NET "aws_route_table.app[1]",
	     NET "aws_route_table.app[2]"},
	    {NET "aws_nat_gateway.egress[0]", NET "aws_nat_gateway.egress[1]",
	     NET "aws_nat_gateway.egress[2]"},
	    {NET "aws_subnet.edge[0]", NET "aws_subnet.edge[1]",
	     NET "aws_subnet.edge[2]"}};
	check_module_vpc(&c);
}
END_TEST

#undef NET
#define VPC "module.vpc."

/* tc-issue-158 (Terraform 0.12.8, terraform-aws-modules/vpc). */
START_TEST(real_158)
{
	static const struct module_vpc_case c = {
	    SHARED_TFPLAN "tc-issue-158.plan.json",
	    "eu-west-1",
	    ":1:3373: note: 11 references through local values (which "
	    "plans do not contain) were taken to be the only resource of "
	    "the wanted type in their module, e.g. " VPC
	    "aws_route_table.private[0] vpc_id -> " VPC
	    "aws_vpc.this[0] (local.vpc_id)",
	    VPC "aws_vpc.this[0]",
	    "10.0.0.0/16",
	    VPC "aws_internet_gateway.this[0]",
	    VPC "aws_route_table.public[0]",
	    {{VPC "aws_subnet.private[0]", "10.0.1.0/24", "eu-west-1a",
	      VPC "aws_route_table.private[0]", false},
	     {VPC "aws_subnet.private[1]", "10.0.2.0/24", "eu-west-1b",
	      VPC "aws_route_table.private[1]", false},
	     {VPC "aws_subnet.private[2]", "10.0.3.0/24", "eu-west-1c",
	      VPC "aws_route_table.private[2]", false},
	     {VPC "aws_subnet.public[0]", "10.0.101.0/24", "eu-west-1a",
	      VPC "aws_route_table.public[0]", true},
	     {VPC "aws_subnet.public[1]", "10.0.102.0/24", "eu-west-1b",
	      VPC "aws_route_table.public[0]", true},
	     {VPC "aws_subnet.public[2]", "10.0.103.0/24", "eu-west-1c",
	      VPC "aws_route_table.public[0]", true}},
	    {VPC "aws_route_table.private[0]", VPC "aws_route_table.private[1]",
	     VPC "aws_route_table.private[2]"},
	    {VPC "aws_nat_gateway.this[0]", VPC "aws_nat_gateway.this[1]",
	     VPC "aws_nat_gateway.this[2]"},
	    {VPC "aws_subnet.public[0]", VPC "aws_subnet.public[1]",
	     VPC "aws_subnet.public[2]"}};
	if (real_plan(c.path, "the real module-VPC plan"))
		check_module_vpc(&c);
}
END_TEST

#undef VPC

/*
 * A VPC with four subnets (no AZs given), an internet gateway, a public
 * route table associated with the first two, and an internet-facing NLB
 * in them with a group and three fixed-response listeners, which AWS
 * refuses on a network load balancer: each is left out with a warning.
 * The route table's one route (0.0.0.0/0) has its gateway_id unknown, and
 * Terraform 0.12 leaves route blocks out of the configuration: the
 * target is the plan's only gateway for the VPC, and said so.
 */
struct no_az_case {
	const char *path, *region;
	const char *listener_warning; /* the first, after the path */
	const char *vpc, *igw, *public_rt, *main_rt, *lb, *sg;
	const char *subs[4], *cidrs[4]; /* two public, then two private */
	uint16_t ports[2];		/* the group's ingress, in order */
};

static void check_no_az(const struct no_az_case *c)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok(c->path, &d);
	ck_assert_uint_eq(d.n, 3);
	ck_assert_uint_eq(count_sev(&d, DIAG_WARNING), 3);
	char line[1024];
	snprintf(line, sizeof(line), "%s%s", c->path, c->listener_warning);
	ASSERT_DIAG(&d, line);
	ck_assert_str_eq(m->region, c->region);
	ck_assert_uint_eq(m->n[MK_SUBNET], 4);
	for (size_t i = 0; i < 4; i++) {
		const struct model_subnet *s = subnet(m, c->subs[i]);
		char cb[CIDR_STRLEN];
		cidr_format(cb, s->cidr);
		ck_assert_str_eq(cb, c->cidrs[i]);
		ck_assert_str_eq(id_of(m, MK_ROUTE_TABLE, s->route_table),
				 i < 2 ? c->public_rt : c->main_rt);
		ck_assert(s->is_public == (i < 2));
		ck_assert_ptr_null(s->az);
		ASSERT_UNKNOWN(m, c->subs[i],
			       "availability_zone: AWS chooses it at apply");
	}
	ck_assert_str_eq(route_to(m, c->public_rt, "0.0.0.0/0"), c->igw);
	snprintf(line, sizeof(line),
		 "route 1 to 0.0.0.0/0: gateway_id is known only after "
		 "apply, and the plan has no configuration of the route "
		 "(Terraform before 1.1 leaves route blocks out of it): "
		 "taken to be %s",
		 c->igw);
	ASSERT_UNKNOWN(m, c->public_rt, line);
	const struct model_internet_gateway *g =
	    &m->igws[obj(m, c->igw, MK_INTERNET_GATEWAY)->index];
	ck_assert_str_eq(id_of(m, MK_VPC, g->vpc), c->vpc);

	const struct model_load_balancer *lb =
	    &m->lbs[obj(m, c->lb, MK_LOAD_BALANCER)->index];
	ck_assert(lb->type == LB_NETWORK && lb->internet_facing &&
		  !lb->cross_zone);
	ck_assert_uint_eq(lb->n_subnets, 2);
	ck_assert_str_eq(id_of(m, MK_SUBNET, lb->subnets[0]), c->subs[0]);
	ck_assert_str_eq(id_of(m, MK_SUBNET, lb->subnets[1]), c->subs[1]);
	ck_assert_uint_eq(lb->n_groups, 1);
	ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, lb->groups[0]), c->sg);
	ck_assert_uint_eq(lb->n_listeners, 0);
	const struct model_security_group *sg =
	    &m->groups[obj(m, c->sg, MK_SECURITY_GROUP)->index];
	ck_assert_uint_eq(sg->n_ingress, 2);
	ck_assert_uint_eq(sg->ingress[0].match.port_lo, c->ports[0]);
	ck_assert_uint_eq(sg->ingress[1].match.port_lo, c->ports[1]);
	ck_assert_uint_eq(sg->n_egress, 1);
	ck_assert(sg->egress[0].match.proto == PROTO_ALL);
	ck_assert(!sg->default_egress);

	/* Its subnets are public and its group admits the port, but
	 * without a listener the load balancer answers nothing. */
	struct sim *s;
	sim_new(&s, m);
	ck_assert(ask(s, "internet", c->lb, c->ports[1], NULL) == VERDICT_NONE);
	sim_free(s);
	model_free(m);
	diag_list_free(&d);
}

START_TEST(four_subnets_no_az)
{
	static const struct no_az_case c = {
	    "tests/tfplan/four-subnets-no-az.plan.json",
	    "ca-central-1",
	    ":180:9: warning: aws_lb_listener.plain is left out of the "
	    "model: a network load balancer's listener can only forward, "
	    "and AWS refuses its fixed-response action (the apply fails "
	    "there)",
	    "aws_vpc.lab",
	    "aws_internet_gateway.gw",
	    "aws_route_table.front",
	    "aws_vpc.lab-main-rt",
	    "aws_lb.edge",
	    "aws_security_group.edge-nlb",
	    {"aws_subnet.front-1", "aws_subnet.front-2", "aws_subnet.back-1",
	     "aws_subnet.back-2"},
	    {"192.168.4.0/25", "192.168.4.128/25", "192.168.20.0/24",
	     "192.168.21.0/24"},
	    {8443, 8080}};
	check_no_az(&c);
}
END_TEST

/* tc-issue-172 (Terraform 0.12.10). */
START_TEST(real_172)
{
	static const struct no_az_case c = {
	    SHARED_TFPLAN "tc-issue-172.plan.json",
	    "eu-west-1",
	    ":1:696: warning: aws_lb_listener.tcp-listener-noncompliant is "
	    "left out of the model: a network load balancer's listener can "
	    "only forward, and AWS refuses its fixed-response action (the "
	    "apply fails there)",
	    "aws_vpc.test-vpc",
	    "aws_internet_gateway.test-igw",
	    "aws_route_table.test-pub-rtb",
	    "aws_vpc.test-vpc-main-rt",
	    "aws_lb.nlb-noncompliant",
	    "aws_security_group.sg-loadBalancer-noncompliant",
	    {"aws_subnet.test-subnet-pubA", "aws_subnet.test-subnet-pubB",
	     "aws_subnet.test-subnet-privA", "aws_subnet.test-subnet-privB"},
	    {"10.0.0.0/24", "10.0.1.0/24", "10.0.10.0/24", "10.0.11.0/24"},
	    {443, 80}};
	if (real_plan(c.path, "the real four-subnet plan"))
		check_no_az(&c);
}
END_TEST

/* ---- the canonical architecture ----------------------------------------- */

struct question {
	const char *from, *to;	 /* Terraform addresses */
	const char *nfrom, *nto; /* the native scenario's ids */
	uint16_t port;
	/* expected verdicts: base, db-public-open, tasks-public, no-nat */
	enum sim_verdict want[4];
};

#define ALL  VERDICT_ALL
#define NONE VERDICT_NONE

static const struct question questions[] = {
    {"internet", "aws_lb.alb", "internet", "alb", 443, {ALL, ALL, ALL, ALL}},
    {"internet", "aws_lb.alb", "internet", "alb", 80, {ALL, ALL, ALL, ALL}},
    {"internet",
     "aws_db_instance.db",
     "internet",
     "db",
     3306,
     {NONE, ALL, NONE, NONE}},
    {"internet",
     "aws_db_instance.replica",
     "internet",
     "db-replica",
     3306,
     {NONE, NONE, NONE, NONE}},
    {"internet",
     "aws_ecs_service.web",
     "internet",
     "web",
     3000,
     {NONE, NONE, ALL, NONE}},
    {"aws_ecs_service.web",
     "aws_db_instance.db",
     "web",
     "db",
     3306,
     {ALL, ALL, ALL, ALL}},
    {"aws_ecs_service.web",
     "aws_db_instance.replica",
     "web",
     "db-replica",
     3306,
     {ALL, ALL, ALL, ALL}},
    {"aws_ecs_service.web",
     "aws:ecr",
     "web",
     "aws:ecr",
     443,
     {ALL, ALL, ALL, NONE}},
    {"aws_ecs_service.web",
     "aws:s3",
     "web",
     "aws:s3",
     443,
     {ALL, ALL, ALL, NONE}},
    {"aws_ecs_service.web",
     "aws:logs",
     "web",
     "aws:logs",
     443,
     {ALL, ALL, ALL, NONE}},
    {"aws_lb.alb",
     "aws_ecs_service.web",
     "alb",
     "web",
     3000,
     {ALL, ALL, ALL, ALL}},
    {"aws_lb.alb",
     "aws_db_instance.db",
     "alb",
     "db",
     3306,
     {NONE, NONE, NONE, NONE}},
};

static const char *const variants[4][2] = {
    {"tests/tfplan/three-tier.plan.json", "scenarios/three-tier.yaml"},
    {"tests/tfplan/db-public-open.plan.json", "scenarios/db-public-open.yaml"},
    {"tests/tfplan/tasks-public.plan.json", "scenarios/tasks-public.yaml"},
    {"tests/tfplan/no-nat.plan.json", "scenarios/no-egress.yaml"},
};

START_TEST(three_tier_verdicts)
{
	int i = _i;
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok(variants[i][0], &d);
	/* Everything in these plans is resolved: no unknown, no note. */
	ck_assert_uint_eq(d.n, 0);
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t j = 0; j < m->n[k]; j++) {
			struct model_obj *o = model_object(m, k, j);
			ck_assert_msg(!o->n_unknowns, "%s: %s", o->id,
				      o->n_unknowns ? o->unknowns[0] : "");
		}
	/* The native scenario answers alike: checked when it is in the
	 * tree and loads (the scenarios belong to the native format's
	 * tests; the verdicts above hold either way). */
	struct diag_list nd = DIAG_LIST_INIT;
	struct model *native = NULL;
	FILE *f = fopen(variants[i][1], "r");
	if (f) {
		fclose(f);
		model_load_file(&native, variants[i][1], &nd);
	}
	struct sim *s, *ns = NULL;
	sim_new(&s, m);
	if (native)
		sim_new(&ns, native);
	for (size_t q = 0; q < sizeof(questions) / sizeof(questions[0]); q++) {
		const struct question *x = &questions[q];
		const char *unk;
		enum sim_verdict got = ask(s, x->from, x->to, x->port, &unk);
		ck_assert_msg(got == x->want[i],
			      "%s: %s -> %s:%u is %s, not %s", variants[i][0],
			      x->from, x->to, x->port, sim_verdict_name(got),
			      sim_verdict_name(x->want[i]));
		ck_assert_ptr_null(unk);
		if (ns) {
			enum sim_verdict nat =
			    ask(ns, x->nfrom, x->nto, x->port, NULL);
			ck_assert_msg(
			    got == nat, "%s -> %s:%u: plan says %s, %s says %s",
			    x->from, x->to, x->port, sim_verdict_name(got),
			    variants[i][1], sim_verdict_name(nat));
		}
	}
	sim_free(ns);
	sim_free(s);
	model_free(native);
	model_free(m);
	diag_list_free(&nd);
	diag_list_free(&d);
}
END_TEST

/* What the canonical plan resolves, beyond the verdicts. */
START_TEST(three_tier_model)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok("tests/tfplan/three-tier.plan.json", &d);
	/* The VPC exists (prior_state): subnets name it by its known id. */
	ck_assert_str_eq(
	    id_of(m, MK_VPC, subnet(m, "aws_subnet.public[1]")->vpc),
	    "aws_vpc.main");
	/* count.index: association private[1] -> subnet private[1] and
	 * table private[1]; NAT gateway [1] in public[1]. */
	ck_assert_str_eq(id_of(m, MK_ROUTE_TABLE,
			       subnet(m, "aws_subnet.private[1]")->route_table),
			 "aws_route_table.private[1]");
	ck_assert_str_eq(route_to(m, "aws_route_table.private[1]", "0.0.0.0/0"),
			 "aws_nat_gateway.nat[1]");
	ck_assert_str_eq(
	    id_of(
		m, MK_SUBNET,
		m->nat_gateways[obj(m, "aws_nat_gateway.nat[1]", MK_NAT_GATEWAY)
				    ->index]
		    .subnet),
	    "aws_subnet.public[1]");
	/* One expression for the route blocks: aws_internet_gateway.igw. */
	ck_assert_str_eq(route_to(m, "aws_route_table.public", "0.0.0.0/0"),
			 "aws_internet_gateway.igw");
	/* The ALB's group: rules from rule resources only, no default
	 * egress (Terraform removes it). */
	const struct model_security_group *alb =
	    &m->groups[obj(m, "aws_security_group.alb", MK_SECURITY_GROUP)
			   ->index];
	ck_assert(!alb->default_egress);
	ck_assert_uint_eq(alb->n_ingress, 2);
	ck_assert_uint_eq(alb->n_egress, 1);
	ck_assert(alb->egress[0].peer_kind == PEER_GROUP);
	ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, alb->egress[0].peer),
			 "aws_security_group.web");
	const struct model_security_group *web =
	    &m->groups[obj(m, "aws_security_group.web", MK_SECURITY_GROUP)
			   ->index];
	ck_assert_uint_eq(web->n_ingress, 1);
	ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, web->ingress[0].peer),
			 "aws_security_group.alb");
	/* ECS: subnets by splat, container ports from the JSON string. */
	const struct model_service *sv =
	    &m->services[obj(m, "aws_ecs_service.web", MK_SERVICE)->index];
	ck_assert_uint_eq(sv->desired_count, 4);
	ck_assert_uint_eq(sv->n_subnets, 2);
	ck_assert_str_eq(sv->cluster, "main");
	ck_assert_uint_eq(sv->n_bindings, 1);
	const struct model_task_definition *td =
	    &m->task_definitions[sv->task_definition];
	ck_assert_str_eq(td->network_mode, "awsvpc");
	ck_assert_uint_eq(td->n_containers, 1);
	ck_assert_str_eq(td->containers[0].name, "web");
	ck_assert_uint_eq(td->containers[0].ports[0].port, 3000);
	/* RDS: the port is the engine's; the replica's source by its
	 * identifier ("db", also the subnet group's name). */
	const struct model_database *db =
	    &m->databases[obj(m, "aws_db_instance.db", MK_DATABASE)->index];
	ck_assert_uint_eq(db->port, 3306);
	ck_assert(db->port_defaulted && db->multi_az);
	ck_assert_uint_eq(db->n_subnets, 2);
	const struct model_database *rep =
	    &m->databases[obj(m, "aws_db_instance.replica", MK_DATABASE)
			      ->index];
	ck_assert_str_eq(id_of(m, MK_DATABASE, rep->replica_of),
			 "aws_db_instance.db");
	ck_assert_str_eq(rep->az, "us-east-1b");
	/* Listeners: redirect 80 -> 443, forward 443 -> web. */
	const struct model_load_balancer *lb =
	    &m->lbs[obj(m, "aws_lb.alb", MK_LOAD_BALANCER)->index];
	ck_assert_uint_eq(lb->n_listeners, 2);
	ck_assert(lb->listeners[0].default_action.kind == LBA_REDIRECT);
	ck_assert_uint_eq(lb->listeners[0].default_action.redirect_port, 443);
	ck_assert_int_eq(lb->listeners[0].default_action.redirect_protocol,
			 LBP_HTTPS);
	ck_assert(lb->listeners[1].protocol == LBP_HTTPS);
	ck_assert_str_eq(id_of(m, MK_TARGET_GROUP,
			       lb->listeners[1].default_action.target_group),
			 "aws_lb_target_group.web");
	/* The location of an object is its object in planned_values. */
	ck_assert_uint_eq(obj(m, "aws_vpc.main", MK_VPC)->loc.line, 7);
	ck_assert_uint_eq(obj(m, "aws_vpc.main", MK_VPC)->loc.col, 9);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* ---- references --------------------------------------------------------- */

START_TEST(modules_and_instances)
{
	const char *file = "tests/tfplan/modules.plan.json";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok(file, &d);
	ck_assert_str_eq(m->region, "eu-west-1"); /* var.region */
	ASSERT_DIAG(&d, "tests/tfplan/modules.plan.json: note: skipped 3 "
			"resources of types vpcsim does not model: "
			"aws_iam_role (1), aws_s3_bucket (2)");
	ASSERT_DIAG(&d, "tests/tfplan/modules.plan.json:107:13: note: 2 "
			"references through local values (which plans do not "
			"contain) were taken to be the only resource of the "
			"wanted type in their module, e.g. "
			"module.vpc.aws_route_table.this vpc_id -> "
			"module.vpc.aws_vpc.this (local.vpc_id)");
	/* A group whose VPC a data source reads at apply is kept, in a VPC
	 * outside the plan named after the data source: no block, nothing
	 * inside, its reason the first unknown. */
	ck_assert_uint_eq(count_sev(&d, DIAG_WARNING), 0);
	const struct model_security_group *ext =
	    &m->groups[obj(m, "aws_security_group.ext", MK_SECURITY_GROUP)
			   ->index];
	const struct model_vpc *shared = &m->vpcs[ext->vpc];
	ck_assert_str_eq(shared->obj.id, "data.aws_vpc.shared");
	ck_assert(shared->external && shared->obj.implicit);
	ck_assert_uint_eq(shared->n_cidrs, 0);
	ASSERT_UNKNOWN(m, "data.aws_vpc.shared",
		       "the VPC is not in the plan: aws_security_group.ext "
		       "vpc_id: comes from data source data.aws_vpc.shared, "
		       "which the plan reads only at apply");

	/* for_each: keys in the address; each.key picks the subnet. */
	const struct model_subnet *a =
	    subnet(m, "module.vpc.aws_subnet.this[\"a\"]");
	ck_assert_str_eq(id_of(m, MK_VPC, a->vpc), "module.vpc.aws_vpc.this");
	ck_assert(a->is_public);
	ck_assert(a->map_public_ip);
	ck_assert_str_eq(id_of(m, MK_ROUTE_TABLE, a->route_table),
			 "module.vpc.aws_route_table.this");
	ck_assert_str_eq(
	    route_to(m, "module.vpc.aws_route_table.this", "0.0.0.0/0"),
	    "module.vpc.aws_internet_gateway.this");
	/* var.subnet_id of module.app[N] -> module.vpc.subnet_ids["b"]
	 * -> the output's aws_subnet.this, the "b" instance; the group
	 * of each module instance is its own. */
	for (int n = 0; n < 2; n++) {
		char id[64], sg[64];
		snprintf(id, sizeof(id), "module.app[%d].aws_instance.this", n);
		snprintf(sg, sizeof(sg),
			 "module.app[%d].aws_security_group.this", n);
		const struct model_instance *h =
		    &m->instances[obj(m, id, MK_INSTANCE)->index];
		ck_assert_str_eq(id_of(m, MK_SUBNET, h->subnet),
				 "module.vpc.aws_subnet.this[\"b\"]");
		ck_assert_uint_eq(h->n_groups, 1);
		ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, h->groups[0]), sg);
		ck_assert_int_eq(h->public_ip, -1); /* the subnet decides */
		const struct model_security_group *g =
		    &m->groups[obj(m, sg, MK_SECURITY_GROUP)->index];
		ck_assert_str_eq(id_of(m, MK_VPC, g->vpc),
				 "module.vpc.aws_vpc.this");
		ck_assert_uint_eq(g->n_egress, 0);
	}
	/* What the plan does not tell stays unknown. */
	const struct model_instance *o =
	    &m->instances[obj(m, "aws_instance.orphan", MK_INSTANCE)->index];
	ck_assert_uint_eq(o->subnet, MODEL_NONE);
	ASSERT_UNKNOWN(m, "aws_instance.orphan",
		       "subnet_id: comes from data source data.aws_subnet.x, "
		       "which the plan reads only at apply");
	ASSERT_UNKNOWN(m, "aws_instance.picked",
		       "subnet_id: may be any of "
		       "module.vpc.aws_subnet.this[\"a\"], "
		       "module.vpc.aws_subnet.this[\"b\"] (the configuration "
		       "does not say which)");
	/* Ids with brackets and quotes work as selectors. */
	struct sim *s;
	sim_new(&s, m);
	ck_assert(ask(s,
		      "module.app[0].aws_instance.this@module.vpc.aws_subnet."
		      "this[\"b\"]",
		      "module.app[1].aws_instance.this", 22,
		      NULL) == VERDICT_NONE);
	sim_free(s);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

START_TEST(features)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok("tests/tfplan/features.plan.json", &d);
	ck_assert_uint_eq(count_sev(&d, DIAG_WARNING), 0);
	/* The main table by association, its routes by one expression for
	 * all blocks: peering, egress-only gateway, transit gateway. */
	const struct model_vpc *v =
	    &m->vpcs[obj(m, "aws_vpc.main", MK_VPC)->index];
	ck_assert_str_eq(id_of(m, MK_ROUTE_TABLE, v->main_route_table),
			 "aws_route_table.rt");
	ck_assert_str_eq(route_to(m, "aws_route_table.rt", "10.3.0.0/16"),
			 "aws_vpc_peering_connection.peer");
	ck_assert_str_eq(route_to(m, "aws_route_table.rt", "172.16.0.0/12"),
			 "tgw-0123456789abcdef0");
	const struct model_route_table *rt = table(m, "aws_route_table.rt");
	bool eigw = false;
	for (uint32_t i = 0; i < rt->n_routes; i++)
		eigw |= rt->routes[i].ipv6 && rt->routes[i].target == RT_EIGW;
	ck_assert(eigw);
	/* Gateway endpoint routes come from model_finish. */
	ck_assert_str_eq(route_to(m, "aws_route_table.rt", "52.216.0.0/15"),
			 "aws_vpc_endpoint.s3");
	/* Default NACL taken over with no rules: denies everything. */
	const struct model_network_acl *dn =
	    &m->nacls[obj(m, "aws_default_network_acl.default", MK_NETWORK_ACL)
			  ->index];
	ck_assert(dn->is_default);
	ck_assert_uint_eq(dn->n_inbound + dn->n_outbound, 0);
	ck_assert_str_eq(
	    id_of(m, MK_NETWORK_ACL, subnet(m, "aws_subnet.a")->nacl),
	    "aws_default_network_acl.default");
	const struct model_network_acl *pn =
	    &m->nacls[obj(m, "aws_network_acl.private", MK_NETWORK_ACL)->index];
	ck_assert_str_eq(
	    id_of(m, MK_NETWORK_ACL, subnet(m, "aws_subnet.b")->nacl),
	    "aws_network_acl.private");
	ck_assert_uint_eq(pn->n_inbound, 3); /* 100, 110 (resource), 200 */
	ck_assert_uint_eq(pn->inbound[1].number, 110);
	ck_assert_uint_eq(pn->inbound[1].match.port_lo, 1024);
	ck_assert(!pn->inbound[2].allow);
	/* Groups: no egress block means no egress; the default group keeps
	 * only its configured rules (none). */
	const struct model_security_group *ne =
	    &m->groups[obj(m, "aws_security_group.noegress", MK_SECURITY_GROUP)
			   ->index];
	ck_assert_uint_eq(ne->n_egress, 0);
	ck_assert(!ne->default_egress);
	const struct model_security_group *mx =
	    &m->groups[obj(m, "aws_security_group.mixed", MK_SECURITY_GROUP)
			   ->index];
	ck_assert_uint_eq(mx->n_ingress, 5);
	ck_assert(mx->ingress[0].peer_kind == PEER_GROUP &&
		  mx->ingress[0].peer == mx->obj.index); /* self */
	ck_assert(mx->ingress[1].peer_kind == PEER_CIDR6);
	ck_assert(mx->ingress[2].peer_kind == PEER_PREFIX_LIST);
	ck_assert(mx->ingress[3].match.proto == PROTO_ICMP &&
		  mx->ingress[3].match.icmp_type == 8 &&
		  mx->ingress[3].match.icmp_code == -1);
	ck_assert(mx->ingress[4].match.proto == PROTO_TCP); /* "6" */
	ck_assert(mx->egress[0].match.proto == PROTO_UDP);
	const struct model_prefix_list *pl =
	    &m->prefix_lists[obj(m, "aws_ec2_managed_prefix_list.corp",
				 MK_PREFIX_LIST)
				 ->index];
	ck_assert_uint_eq(pl->n_cidrs, 2); /* entry + entry resource */
	/* Objects naming no group get the VPC's default group. */
	const struct model_instance *b =
	    &m->instances[obj(m, "aws_instance.bastion", MK_INSTANCE)->index];
	ck_assert_uint_eq(b->n_groups, 1);
	ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, b->groups[0]),
			 "aws_default_security_group.default");
	ck_assert(b->has_eip);
	ck_assert_int_eq(b->public_ip, 1);
	const struct model_vpc_endpoint *ecr =
	    &m->endpoints[obj(m, "aws_vpc_endpoint.ecr", MK_VPC_ENDPOINT)
			      ->index];
	ck_assert(ecr->type == VPCE_INTERFACE && ecr->private_dns);
	ck_assert_str_eq(ecr->service, "ecr.dkr");
	ck_assert_uint_eq(ecr->n_groups, 1);
	const struct model_instance *eni =
	    &m->instances[obj(m, "aws_network_interface.appliance", MK_INSTANCE)
			      ->index];
	ck_assert(eni->is_interface && !eni->source_dest_check);
	ck_assert_int_eq(eni->public_ip, 0);
	char a[ADDR_STRLEN];
	addr_format(a, eni->private_addr);
	ck_assert_str_eq(a, "10.2.2.10");
	/* NLB by subnet_mapping, cross-zone on; its target by reference. */
	const struct model_load_balancer *nlb =
	    &m->lbs[obj(m, "aws_lb.nlb", MK_LOAD_BALANCER)->index];
	ck_assert(nlb->type == LB_NETWORK && !nlb->internet_facing &&
		  nlb->cross_zone);
	ck_assert_uint_eq(nlb->n_subnets, 2);
	ck_assert_uint_eq(nlb->n_groups, 0);
	const struct model_target_group *app =
	    &m->target_groups[obj(m, "aws_lb_target_group.app", MK_TARGET_GROUP)
				  ->index];
	ck_assert(app->target_type == TT_INSTANCE && app->preserve_client_ip);
	ck_assert_uint_eq(app->health_check_port, 8081);
	ck_assert_uint_eq(app->n_targets, 1);
	ck_assert_str_eq(id_of(m, MK_INSTANCE, app->targets[0].instance),
			 "aws_instance.bastion");
	/* Listener rule with a path condition. */
	const struct model_load_balancer *alb =
	    &m->lbs[obj(m, "aws_lb.alb", MK_LOAD_BALANCER)->index];
	ck_assert_uint_eq(alb->listeners[0].default_action.status_code, 404);
	ck_assert_uint_eq(alb->listeners[0].n_rules, 1);
	ck_assert_uint_eq(alb->listeners[0].rules[0].priority, 10);
	ck_assert_str_eq(alb->listeners[0].rules[0].paths[0], "/api/*");
	/* container_definitions unknown: the service's binding tells the
	 * port; desired_count from a variable is unknown. */
	const struct model_service *api =
	    &m->services[obj(m, "aws_ecs_service.api", MK_SERVICE)->index];
	ck_assert_str_eq(api->cluster, "tools");
	const struct model_task_definition *td =
	    &m->task_definitions[api->task_definition];
	ck_assert_uint_eq(td->n_containers, 1);
	ck_assert_uint_eq(td->containers[0].ports[0].port, 8080);
	ASSERT_UNKNOWN(m, "aws_ecs_task_definition.api",
		       "container_definitions: known only after apply");
	ASSERT_UNKNOWN(m, "aws_ecs_service.api",
		       "desired_count: known only after apply");
	/* Aurora: the cluster's groups and subnet group, the engine's port. */
	const struct model_database *au =
	    &m->databases[obj(m, "aws_rds_cluster_instance.aurora[1]",
			      MK_DATABASE)
			      ->index];
	ck_assert_uint_eq(au->port, 5432);
	ck_assert_uint_eq(au->n_subnets, 2);
	ck_assert_uint_eq(au->n_groups, 1);
	ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, au->groups[0]),
			 "aws_security_group.mixed");
	const struct model_peering *p =
	    &m->peerings[obj(m, "aws_vpc_peering_connection.peer", MK_PEERING)
			     ->index];
	ck_assert_str_eq(id_of(m, MK_VPC, p->accepter), "aws_vpc.peer");

	struct sim *s;
	sim_new(&s, m);
	/* The default group of a VPC the plan creates... is taken over by
	 * aws_default_security_group here, with no rules: nothing in. */
	ck_assert(ask(s, "aws_lb.alb", "aws_instance.bastion", 22, NULL) ==
		  VERDICT_NONE);
	sim_free(s);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* A VPC the plan creates has AWS's default group: all in from members,
 * all out; an instance that names no group gets it. */
START_TEST(default_group_synthesized)
{
	static const char plan[] =
	    "{\"format_version\": \"1.2\",\n"
	    " \"planned_values\": {\"root_module\": {\"resources\": [\n"
	    "  {\"address\": \"aws_vpc.v\", \"mode\": \"managed\", \"type\": "
	    "\"aws_vpc\", \"name\": \"v\",\n"
	    "   \"values\": {\"cidr_block\": \"10.9.0.0/16\"}},\n"
	    "  {\"address\": \"aws_subnet.s\", \"mode\": \"managed\", "
	    "\"type\": \"aws_subnet\", \"name\": \"s\",\n"
	    "   \"values\": {\"cidr_block\": \"10.9.1.0/24\", "
	    "\"availability_zone\": \"us-east-1a\"}},\n"
	    "  {\"address\": \"aws_instance.i[0]\", \"mode\": \"managed\", "
	    "\"type\": \"aws_instance\", \"name\": \"i\", \"index\": 0,\n"
	    "   \"values\": {}},\n"
	    "  {\"address\": \"aws_instance.i[1]\", \"mode\": \"managed\", "
	    "\"type\": \"aws_instance\", \"name\": \"i\", \"index\": 1,\n"
	    "   \"values\": {}}]}},\n"
	    " \"resource_changes\": [\n"
	    "  {\"address\": \"aws_subnet.s\", \"change\": {\"actions\": "
	    "[\"create\"], \"after_unknown\": {\"vpc_id\": true}}},\n"
	    "  {\"address\": \"aws_instance.i[0]\", \"change\": {\"actions\": "
	    "[\"create\"], \"after_unknown\": {\"subnet_id\": true, "
	    "\"vpc_security_group_ids\": true}}},\n"
	    "  {\"address\": \"aws_instance.i[1]\", \"change\": {\"actions\": "
	    "[\"create\"], \"after_unknown\": {\"subnet_id\": true, "
	    "\"vpc_security_group_ids\": true}}}],\n"
	    " \"configuration\": {\"root_module\": {\"resources\": [\n"
	    "  {\"address\": \"aws_vpc.v\", \"mode\": \"managed\", \"type\": "
	    "\"aws_vpc\", \"name\": \"v\", \"expressions\": {}},\n"
	    "  {\"address\": \"aws_subnet.s\", \"mode\": \"managed\", "
	    "\"type\": \"aws_subnet\", \"name\": \"s\", \"expressions\": "
	    "{\"vpc_id\": {\"references\": [\"aws_vpc.v\"]}}},\n"
	    "  {\"address\": \"aws_instance.i\", \"mode\": \"managed\", "
	    "\"type\": \"aws_instance\", \"name\": \"i\", \"expressions\": "
	    "{\"subnet_id\": {\"references\": [\"aws_subnet.s\"]}}}]}}}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	ck_assert_int_eq(
	    model_load_buffer(&m, "dflt.json", plan, strlen(plan), &d), 0);
	const char *gid = "aws_vpc.v.default_security_group";
	const struct model_security_group *g =
	    &m->groups[obj(m, gid, MK_SECURITY_GROUP)->index];
	ck_assert(g->obj.implicit && g->default_egress);
	ck_assert_uint_eq(g->n_ingress, 1);
	ck_assert(g->ingress[0].peer_kind == PEER_GROUP &&
		  g->ingress[0].peer == g->obj.index);
	for (int i = 0; i < 2; i++) {
		const struct model_instance *h = &m->instances[i];
		ck_assert_uint_eq(h->n_groups, 1);
		ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, h->groups[0]),
				 gid);
	}
	struct sim *s;
	sim_new(&s, m);
	ck_assert(ask(s, "aws_instance.i[0]", "aws_instance.i[1]", 22, NULL) ==
		  VERDICT_ALL);
	ck_assert(ask(s, "aws_instance.i[0]", "aws:s3", 443, NULL) ==
		  VERDICT_NONE); /* no route out */
	sim_free(s);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/*
 * IPv6 dual stack, the adopted default group and a NAT instance (§2-§7):
 * assign_generated_ipv6_cidr_block gives the VPC a stand-in block, its
 * subnets' cidrsubnet blocks stand-in /64s; aws_default_security_group
 * is the VPC's default group with exactly its own rules (Terraform drops
 * AWS's); an interface with its check off and an Elastic IP in a public
 * subnet is a NAT instance for the private subnet routed to it.
 */
START_TEST(dualstack)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok("tests/tfplan/dualstack.plan.json", &d);
	const struct model_vpc *v =
	    &m->vpcs[obj(m, "aws_vpc.main", MK_VPC)->index];
	ck_assert(v->ipv6_unknown);
	ck_assert_uint_eq(v->n_cidrs6, 1);
	const struct model_subnet *pub =
	    &m->subnets[obj(m, "aws_subnet.pub", MK_SUBNET)->index];
	const struct model_subnet *priv =
	    &m->subnets[obj(m, "aws_subnet.priv", MK_SUBNET)->index];
	ck_assert(pub->cidr6_unknown && pub->has_cidr6 && pub->assign_ipv6);
	ck_assert(priv->cidr6_unknown && !priv->assign_ipv6);
	ck_assert(!cidr6_overlaps(pub->cidr6, priv->cidr6));
	const struct model_security_group *dg = &m->groups[v->default_group];
	ck_assert_str_eq(dg->obj.id, "aws_default_security_group.default");
	ck_assert(dg->vpc_default && !dg->obj.implicit);
	ck_assert_uint_eq(dg->n_ingress, 1); /* no self rule: Terraform's */
	const struct model_instance *plain =
	    &m->instances[obj(m, "aws_instance.plain", MK_INSTANCE)->index];
	ck_assert_uint_eq(plain->n_groups, 1);
	ck_assert_uint_eq(plain->groups[0], v->default_group);
	const struct model_instance *eni =
	    &m->instances[obj(m, "aws_network_interface.nat", MK_INSTANCE)
			      ->index];
	ck_assert(!eni->source_dest_check && eni->has_addr6);
	ck_assert_int_eq(
	    m->instances[obj(m, "aws_instance.web", MK_INSTANCE)->index].ipv6,
	    IPV6_ON);
	ck_assert(
	    m->lbs[obj(m, "aws_lb.alb", MK_LOAD_BALANCER)->index].dualstack);
	ck_assert(m->databases[obj(m, "aws_db_instance.db", MK_DATABASE)->index]
		      .dualstack);
	struct sim *s;
	sim_new(&s, m);
	ck_assert(ask(s, "internet6", "aws_instance.web", 443, NULL) ==
		  VERDICT_ALL);
	ck_assert(ask(s, "2001:db8:77::5", "aws_instance.plain", 22, NULL) ==
		  VERDICT_ALL);
	ck_assert(ask(s, "internet6", "aws_instance.plain", 22, NULL) ==
		  VERDICT_NONE);
	/* A member of the adopted group has no self rule to admit it. */
	ck_assert(ask(s, "aws_instance.plain", "aws_instance.plain", 22,
		      NULL) == VERDICT_NONE);
	ck_assert(ask(s, "aws_instance.app", "internet", 443, NULL) ==
		  VERDICT_ALL);
	ck_assert(ask(s, "aws_instance.app", "internet", 22, NULL) ==
		  VERDICT_NONE);
	ck_assert(ask(s, "aws_instance.app", "internet6", 443, NULL) ==
		  VERDICT_NONE); /* app has no IPv6 address */
	ck_assert(ask(s, "aws_instance.web", "internet6", 443, NULL) ==
		  VERDICT_ALL);
	sim_free(s);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

START_TEST(error_format_version)
{
	struct diag_list d = DIAG_LIST_INIT;
	load_bad("v2.json",
		 "{\"format_version\": \"2.0\", \"planned_values\": {}}", &d);
	ASSERT_DIAG(&d, "v2.json:1:20: error: unsupported plan format_version "
			"'2.0' (vpcsim reads 0.1, 0.2 and 1.x)");
	ck_assert_uint_eq(d.n_errors, 1);
	diag_list_free(&d);
	load_bad("v.json",
		 "{\"format_version\": [1], \"resource_changes\": []}", &d);
	ASSERT_DIAG(&d, "v.json:1:20: error: format_version must be a string "
			"like \"1.2\", not an array");
	diag_list_free(&d);
	/* 0.1, 0.2 and any 1.x are read. */
	static const char *const ok[] = {"0.1", "0.2", "1.0", "1.2", "1.10"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char buf[128];
		snprintf(buf, sizeof(buf),
			 "{\"format_version\": \"%s\", \"planned_values\": "
			 "{\"root_module\": {}}}",
			 ok[i]);
		struct model *m = NULL;
		ck_assert_int_eq(
		    model_load_buffer(&m, "ok.json", buf, strlen(buf), &d), 0);
		model_free(m);
	}
	diag_list_free(&d);
}
END_TEST

START_TEST(error_malformed_json)
{
	struct diag_list d = DIAG_LIST_INIT;
	load_bad("cut.json",
		 "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {\n"
		 "    \"root_module\": {\"resources\": [\n",
		 &d);
	ASSERT_DIAG(&d, "cut.json:5:1: error: did not find expected node "
			"content while parsing a flow node");
	diag_list_free(&d);
	load_bad("br.json",
		 "{\"format_version\": \"1.2\", \"planned_values\": "
		 "{\"root_module\": {\"resources\": [}}}",
		 &d);
	ASSERT_DIAG(&d, "br.json:1:76: error: did not find expected node "
			"content while parsing a flow node");
	diag_list_free(&d);
	load_bad("np.json",
		 "{\"format_version\": \"1.2\", "
		 "\"resource_changes\": []}",
		 &d);
	ASSERT_DIAG(&d, "np.json:1:1: error: the plan has no planned_values: "
			"give the output of 'terraform show -json' for a saved "
			"plan");
	diag_list_free(&d);
	load_bad("pv.json",
		 "{\"format_version\": \"1.2\", "
		 "\"planned_values\": [1]}",
		 &d);
	ASSERT_DIAG(&d, "pv.json:1:45: error: planned_values must be an "
			"object, not an array");
	diag_list_free(&d);
}
END_TEST

/* A plan with one resource whose values are given; for value errors. */
static void load_one(const char *name, const char *type, const char *values,
		     struct diag_list *d)
{
	char buf[2048];
	snprintf(buf, sizeof(buf),
		 "{\"format_version\": \"1.2\", \"planned_values\": "
		 "{\"root_module\": {\"resources\": [\n"
		 "{\"address\": \"aws_vpc.v\", \"mode\": \"managed\", "
		 "\"type\": \"aws_vpc\", \"name\": \"v\", \"values\": "
		 "{\"cidr_block\": \"10.0.0.0/16\", \"id\": \"vpc-1\"}},\n"
		 "{\"address\": \"%s.x\", \"mode\": \"managed\", \"type\": "
		 "\"%s\", \"name\": \"x\", \"values\": %s}]}}}\n",
		 type, type, values);
	load_bad(name, buf, d);
}

START_TEST(error_values)
{
	struct diag_list d = DIAG_LIST_INIT;
	load_one("hb.json", "aws_subnet",
		 "{\"vpc_id\": \"vpc-1\", \"cidr_block\": \"10.0.1.5/24\", "
		 "\"availability_zone\": \"eu-west-1a\"}",
		 &d);
	ASSERT_DIAG(&d, "hb.json:3:127: error: aws_subnet.x: CIDR "
			"'10.0.1.5/24' has host bits set (did you mean "
			"'10.0.1.0/24'?)");
	diag_list_free(&d);
	load_one("nacl.json", "aws_network_acl",
		 "{\"vpc_id\": \"vpc-1\", \"ingress\": [\n"
		 "{\"rule_no\": 100, \"action\": \"allow\", \"protocol\": "
		 "\"tcp\", \"from_port\": 80, \"to_port\": 80, "
		 "\"cidr_block\": \"0.0.0.0/0\"},\n"
		 "{\"rule_no\": 100, \"action\": \"deny\", \"protocol\": "
		 "\"-1\", \"from_port\": 0, \"to_port\": 0, \"cidr_block\": "
		 "\"0.0.0.0/0\"}]}",
		 &d);
	ASSERT_DIAG(&d, "nacl.json:5:1: error: aws_network_acl.x: ingress rule "
			"2 duplicate inbound rule number 100 in network ACL "
			"aws_network_acl.x (first at 4:1)");
	diag_list_free(&d);
	load_one("proto.json", "aws_security_group",
		 "{\"vpc_id\": \"vpc-1\", \"ingress\": [{\"protocol\": "
		 "\"tcpp\", \"from_port\": 1, \"to_port\": 2, "
		 "\"cidr_blocks\": [\"0.0.0.0/0\"]}]}",
		 &d);
	ASSERT_DIAG(&d, "proto.json:3:154: error: aws_security_group.x: "
			"ingress rule 1 unknown protocol 'tcpp' (expected tcp, "
			"udp, icmp, icmpv6, -1 or a number 0-255)");
	diag_list_free(&d);
	load_one("ports.json", "aws_security_group",
		 "{\"vpc_id\": \"vpc-1\", \"egress\": [{\"protocol\": "
		 "\"tcp\", \"from_port\": 90, \"to_port\": 80, "
		 "\"cidr_blocks\": [\"0.0.0.0/0\"]}]}",
		 &d);
	ASSERT_DIAG(&d, "ports.json:3:140: error: aws_security_group.x: "
			"egress rule 1 port range 90-80 is not valid");
	diag_list_free(&d);
	load_one("cd.json", "aws_ecs_task_definition",
		 "{\"network_mode\": \"awsvpc\", \"container_definitions\": "
		 "\"[{\\\"name\\\": \\\"web\\\", \\\"portMappings\\\": [{\"}",
		 &d);
	ASSERT_DIAG(&d, "cd.json:3:171: error: aws_ecs_task_definition.x: "
			"container_definitions is not valid JSON: did not "
			"find expected node content at character 36 of the "
			"string");
	diag_list_free(&d);
}
END_TEST

/* ---- outside the plan, unknowns, unreadable plans ------------------------ */

#define OUTSIDE "tests/tfplan/outside/plan.json"

/* A data-source VPC keeps its groups: they are checked on their own
 * rules, and every verdict through the VPC is unknown, saying why. */
START_TEST(outside_data_vpc)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok(OUTSIDE, &d);
	ck_assert_uint_eq(count_sev(&d, DIAG_WARNING), 0);
	const struct model_security_group *ssh =
	    &m->groups[obj(m, "aws_security_group.ssh", MK_SECURITY_GROUP)
			   ->index];
	const struct model_vpc *v = &m->vpcs[ssh->vpc];
	ck_assert_str_eq(v->obj.id, "data.aws_vpc.shared");
	ck_assert(v->external && v->obj.implicit);
	ck_assert_uint_eq(v->n_cidrs, 0);
	static const char reason[] =
	    "the VPC is not in the plan: data source data.aws_vpc.shared "
	    "reads it (10.50.0.0/16), and its route tables, network ACLs "
	    "and gateways are not known";
	ck_assert_str_eq(v->obj.unknowns[0], reason);
	ck_assert_uint_eq(ssh->n_ingress, 1);
	ck_assert_uint_eq(ssh->ingress[0].match.port_lo, 22);
	ck_assert_uint_eq(ssh->ingress[0].cidr.len, 0);
	/* The data source's subnet, with what prior_state says of it. */
	const struct model_subnet *sn = subnet(m, "data.aws_subnet.app");
	ck_assert_uint_eq(sn->vpc, ssh->vpc);
	ck_assert(sn->obj.implicit);
	ck_assert_uint_eq(sn->cidr.len, 24);
	ck_assert_str_eq(sn->az, "eu-west-1a");
	const struct model_instance *h =
	    &m->instances[obj(m, "aws_instance.bastion", MK_INSTANCE)->index];
	ck_assert_str_eq(id_of(m, MK_SUBNET, h->subnet), "data.aws_subnet.app");
	ck_assert_uint_eq(h->n_groups, 1);
	/* A known id of no VPC of the plan: a VPC of that name. */
	const struct model_security_group *legacy =
	    &m->groups[obj(m, "aws_security_group.legacy", MK_SECURITY_GROUP)
			   ->index];
	ck_assert_str_eq(id_of(m, MK_VPC, legacy->vpc),
			 "vpc-0f0e0d0c0b0a09080");
	ck_assert(m->vpcs[legacy->vpc].external);
	ASSERT_UNKNOWN(m, "vpc-0f0e0d0c0b0a09080",
		       "the VPC is not in the plan: aws_security_group.legacy "
		       "vpc_id: 'vpc-0f0e0d0c0b0a09080' is no resource of the "
		       "plan");
	/* Through the VPC: unknown, for its reason. */
	struct sim *s;
	sim_new(&s, m);
	const char *unknown = NULL;
	ck_assert(ask(s, "internet", "aws_instance.bastion", 22, &unknown) ==
		  VERDICT_NONE);
	ck_assert_str_eq(unknown, reason);
	struct sim_ep src = {.kind = EP_INTERNET, .addr = SIM_INTERNET_ADDR};
	struct sim_ep dst = {.kind = EP_PLACEMENT,
			     .placement =
				 m->first_placement[MK_INSTANCE][h->obj.index]};
	struct sim_result res;
	sim_connect(s, &src, &dst, (struct sim_flow){PROTO_TCP, 22}, &res,
		    NULL);
	ck_assert(!res.reachable && res.block == BLK_UNKNOWN);
	sim_result_free(&res);
	sim_free(s);
	/* The world-open SSH rule is reported on its group: a warning that
	 * says the reach is unknown, and why (unknown_reach_plan). */
	struct finding_list out = {0};
	rules_run(&out, m, NULL);
	bool reported = false;
	for (uint32_t i = 0; i < out.n; i++)
		reported |=
		    out.v[i].resource &&
		    !strcmp(out.v[i].resource, "aws_security_group.ssh") &&
		    out.v[i].severity == SEV_WARNING &&
		    strstr(out.v[i].message, "0.0.0.0/0 on administrative port "
					     "tcp 22 (SSH)");
	ck_assert_msg(reported, "no finding on the open SSH rule");
	findings_free(&out);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* A group that names no VPC is in the region's default VPC: one VPC for
 * all such groups, outside the plan. */
START_TEST(outside_default_vpc)
{
	static const char plan[] =
	    "{\"format_version\": \"1.2\", \"planned_values\": "
	    "{\"root_module\": {\"resources\": [\n"
	    "{\"address\": \"aws_security_group.a\", \"mode\": \"managed\", "
	    "\"type\": \"aws_security_group\", \"name\": \"a\", \"values\": "
	    "{\"ingress\": [{\"protocol\": \"tcp\", \"from_port\": 22, "
	    "\"to_port\": 22, \"cidr_blocks\": [\"0.0.0.0/0\"]}]}},\n"
	    "{\"address\": \"aws_security_group.b\", \"mode\": \"managed\", "
	    "\"type\": \"aws_security_group\", \"name\": \"b\", \"values\": "
	    "{}}]}}}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	ck_assert_int_eq(
	    model_load_buffer(&m, "dv.json", plan, strlen(plan), &d), 0);
	ck_assert_uint_eq(d.n, 0);
	uint32_t a =
	    m->groups[obj(m, "aws_security_group.a", MK_SECURITY_GROUP)->index]
		.vpc;
	uint32_t b =
	    m->groups[obj(m, "aws_security_group.b", MK_SECURITY_GROUP)->index]
		.vpc;
	ck_assert_uint_eq(a, b);
	ck_assert_str_eq(m->vpcs[a].obj.id, "default-vpc");
	ck_assert(m->vpcs[a].external);
	ASSERT_UNKNOWN(m, "default-vpc",
		       "the VPC is not in the plan: it is the region's default "
		       "VPC, where AWS puts what sets no vpc_id (such as "
		       "aws_security_group.a)");
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* after_unknown true for a whole resource, a whole block and one element
 * of a list of blocks: unknown values, never "not set". */
START_TEST(unknown_whole)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok("tests/tfplan/unknown-whole.plan.json", &d);
	ck_assert_uint_eq(d.n, 0);
	/* The whole instance: its subnet and group through the
	 * configuration, not "not set, the default VPC". */
	const struct model_instance *h =
	    &m->instances[obj(m, "aws_instance.app", MK_INSTANCE)->index];
	ck_assert_str_eq(id_of(m, MK_SUBNET, h->subnet), "aws_subnet.a");
	ck_assert_uint_eq(h->n_groups, 1);
	ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, h->groups[0]),
			 "aws_security_group.web");
	ck_assert_uint_eq(h->obj.n_unknowns, 0);
	/* The known ingress rule stays; the unknown element, the unknown
	 * egress list and the wholly unknown rule resource are recorded. */
	const struct model_security_group *g =
	    &m->groups[obj(m, "aws_security_group.web", MK_SECURITY_GROUP)
			   ->index];
	ck_assert_uint_eq(g->n_ingress, 1);
	ck_assert_uint_eq(g->n_egress, 0);
	ck_assert_uint_eq(g->obj.n_unknowns, 3);
	ASSERT_UNKNOWN(m, "aws_security_group.web",
		       "ingress rule 2 protocol: known only after apply; the "
		       "rule is left out");
	ASSERT_UNKNOWN(m, "aws_security_group.web",
		       "egress: known only after apply; its rules are left "
		       "out");
	ASSERT_UNKNOWN(m, "aws_security_group.web",
		       "aws_security_group_rule.extra type: known only after "
		       "apply; the rule is left out");
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* What cannot be read fails at its position; an empty plan loads with a
 * note that nothing is checked. */
START_TEST(error_unreadable)
{
	static const struct {
		const char *plan, *diag;
	} cases[] = {
	    {"{\"format_version\": \"1.2\", \"planned_values\": {}}",
	     "u.json:1:45: error: planned_values has no root_module: the "
	     "plan's resources are missing"},
	    {"{\"format_version\": \"1.2\", \"planned_values\": null}",
	     "u.json:1:45: error: planned_values must be an object, not "
	     "null"},
	    {"{\"format_version\": \"1.2\", \"planned_values\": "
	     "{\"root_module\": null}}",
	     "u.json:1:61: error: planned_values.root_module must be an "
	     "object, not null"},
	    {"{\"format_version\": \"1.2\", \"planned_values\": "
	     "{\"root_module\": {\"resources\": null}}}",
	     "u.json:1:75: error: resources of the root module must be an "
	     "array, not null"},
	    {"{\"format_version\": \"1.2\", \"planned_values\": "
	     "{\"root_module\": {\"resources\": [{\"address\": \"aws_vpc.v\", "
	     "\"mode\": \"managed\", \"type\": \"aws_vpc\", \"name\": \"v\", "
	     "\"values\": null}]}}}",
	     "u.json:1:162: error: aws_vpc.v: values must be an object, not "
	     "null"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct diag_list d = DIAG_LIST_INIT;
		load_bad("u.json", cases[i].plan, &d);
		ASSERT_DIAG(&d, cases[i].diag);
		ck_assert_uint_eq(d.n_errors, 1);
		diag_list_free(&d);
	}
	static const char empty[] =
	    "{\"format_version\": \"1.2\", "
	    "\"planned_values\": {\"root_module\": {}}}";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	ck_assert_int_eq(
	    model_load_buffer(&m, "e.json", empty, strlen(empty), &d), 0);
	ASSERT_DIAG(&d, "e.json: note: the plan has no AWS network resource "
			"that vpcsim models: nothing is checked");
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* ---- the kinds of issue 12, and parity with CloudFormation -------------- */

/* An id as the other format names it: a Terraform address without its
 * type (aws_autoscaling_group.Web is the template's Web). */
static const char *plain_id(const char *id)
{
	if (id && !strncmp(id, "aws_", 4) && strchr(id, '.'))
		return strchr(id, '.') + 1;
	return id ? id : "-";
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A model's verdicts in lines that do not depend on the input's format,
 * sorted, one string (the caller's): each finding's rule, severity and
 * resource, and each resource the internet reaches with the ports every
 * placement pair and some pair reach, by protocol.
 */
static char *verdict_lines(const struct model *m)
{
	char **lines = NULL;
	uint32_t n = 0;
	struct finding_list l = {0};
	rules_run(&l, m, NULL);
	for (uint32_t i = 0; i < l.n; i++) {
		lines = xreallocarray(lines, n + 1, sizeof(*lines));
		lines[n++] = xasprintf("finding %s %s %s", l.v[i].rule_id,
				       severity_name(l.v[i].severity),
				       plain_id(l.v[i].resource));
	}
	findings_free(&l);
	struct sim *s;
	struct reach_index *ix;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	struct sim_sel inet = {.kind = SEL_INTERNET, .addr = SIM_INTERNET_ADDR};
	snprintf(inet.name, sizeof(inet.name), "internet");
	for (int pi = 0; pi < 2; pi++) {
		enum proto proto = pi ? PROTO_UDP : PROTO_TCP;
		struct reach_table t = {0};
		reach_from(&t, ix, &inet, proto, false);
		for (uint32_t i = 0; i < t.n; i++) {
			char all[256], some[256];
			ports_format(all, sizeof(all), &t.rows[i].all);
			ports_format(some, sizeof(some), &t.rows[i].some);
			lines = xreallocarray(lines, n + 1, sizeof(*lines));
			lines[n++] = xasprintf(
			    "internet -> %s %s all %s some %s",
			    plain_id(reach_node_name(s, &t.rows[i].dst)),
			    proto_name(proto), all, some);
		}
		reach_table_free(&t);
	}
	reach_index_free(ix);
	sim_free(s);
	qsort(lines, n, sizeof(*lines), line_cmp);
	size_t len = 1;
	for (uint32_t i = 0; i < n; i++)
		len += strlen(lines[i]) + 1;
	char *out = xmalloc(len), *p = out;
	*p = '\0';
	for (uint32_t i = 0; i < n; i++) {
		p += sprintf(p, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	return out;
}

/*
 * The architectures of tests/cfn written as plans give the same findings
 * and exposure maps as the templates: a fleet whose launch template's
 * groups were ignored, a bridge task's dynamic port read as 0, a classic
 * listener forwarding to its own port, an Aurora member public by its
 * cluster's flag, would each show here as a line of difference.
 */
START_TEST(parity_cfn)
{
	static const char *const narrow[] = {"HostFrom=80", "HostTo=80"};
	static const struct {
		const char *cfn, *plan;
		const char *const *params;
		size_t np;
		const char *expect; /* a line both must have */
	} pairs[] = {
	    {"tests/cfn/fleet-ssh.yaml", "tests/tfplan/fleet-ssh.plan.json",
	     NULL, 0, "finding VS004 error Web\n"},
	    {"tests/cfn/bastion-asg.yaml", "tests/tfplan/bastion-asg.plan.json",
	     NULL, 0, "internet -> Bastion tcp all 22 some 22\n"},
	    {"tests/cfn/ecs-bridge.yaml", "tests/tfplan/ecs-bridge.plan.json",
	     NULL, 0, "internet -> Alb tcp all 80 some 80\n"},
	    {"tests/cfn/ecs-bridge.yaml",
	     "tests/tfplan/ecs-bridge-narrow.plan.json", narrow, 2,
	     "finding VS005 error Alb\n"},
	    {"tests/cfn/classic-elb.yaml", "tests/tfplan/classic-elb.plan.json",
	     NULL, 0, "finding VS005 error Elb\n"},
	    {"tests/cfn/data-stores.yaml", "tests/tfplan/data-stores.plan.json",
	     NULL, 0, "finding VS001 error Reader\n"},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct model *c =
		    tk_load_p(pairs[i].cfn, pairs[i].params, pairs[i].np);
		struct model *t = tk_load_p(pairs[i].plan, NULL, 0);
		char *cl = verdict_lines(c), *tl = verdict_lines(t);
		ck_assert_msg(!strcmp(cl, tl), "%s and %s differ:\n%s---\n%s",
			      pairs[i].cfn, pairs[i].plan, cl, tl);
		ck_assert_msg(strstr(tl, pairs[i].expect), "%s: no line %s",
			      pairs[i].plan, pairs[i].expect);
		free(cl);
		free(tl);
		model_free(c);
		model_free(t);
	}
}
END_TEST

static const struct model_fleet *fleet(const struct model *m, const char *id)
{
	return &m->fleets[obj(m, id, MK_FLEET)->index];
}

static const struct model_database *database(const struct model *m,
					     const char *id)
{
	return &m->databases[obj(m, id, MK_DATABASE)->index];
}

/* Launch templates and configurations: their groups and public address
 * are the fleet's, whichever way the group names them. */
START_TEST(kinds_fleets)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok("tests/tfplan/fleet-ssh.plan.json", &d);
	const struct model_fleet *f = fleet(m, "aws_autoscaling_group.Web");
	ck_assert_int_eq(f->role, FLEET_AUTOSCALING);
	ck_assert_uint_eq(f->n_groups, 1);
	ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, f->groups[0]),
			 "aws_security_group.WebSg");
	ck_assert_int_eq(f->public_ip, -1); /* the subnets decide */
	ck_assert_uint_eq(f->n_subnets, 2);
	model_free(m);
	diag_list_free(&d);
	/* By the template's name, the primary interface's groups and its
	 * associate_public_ip_address, a string in the provider. */
	m = load_ok("tests/tfplan/bastion-asg.plan.json", &d);
	f = fleet(m, "aws_autoscaling_group.Bastion");
	ck_assert_int_eq(f->public_ip, 1);
	ck_assert_uint_eq(f->n_groups, 1);
	ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, f->groups[0]),
			 "aws_security_group.BastionSg");
	model_free(m);
	diag_list_free(&d);
	m = load_ok("tests/tfplan/kinds-extra.plan.json", &d);
	/* user data: base64 in a launch template, a hash of the script
	 * with only a reference in a launch configuration (an unknown
	 * says so), a capacity provider of the cluster. */
	ck_assert_str_eq(
	    fleet(m, "aws_autoscaling_group.AppsHosts")->ecs_cluster, "apps");
	ck_assert_str_eq(
	    fleet(m, "aws_autoscaling_group.RefHosts")->ecs_cluster, "ref");
	ASSERT_UNKNOWN(m, "aws_autoscaling_group.RefHosts",
		       "aws_launch_configuration.Ref user_data: the plan shows "
		       "no script (the provider keeps a hash of it), but its "
		       "expression names aws_ecs_cluster.ref");
	ck_assert_str_eq(
	    fleet(m, "aws_autoscaling_group.BatchHosts")->ecs_cluster, "batch");
	/* associate_public_ip_address false overrides the subnet. */
	ck_assert_int_eq(
	    fleet(m, "aws_autoscaling_group.BatchHosts")->public_ip, 0);
	/* availability_zones only: the default VPC, no placement. */
	const struct model_fleet *lg = fleet(m, "aws_autoscaling_group.Legacy");
	ck_assert(lg->default_vpc);
	ASSERT_UNKNOWN(m, "aws_autoscaling_group.Legacy",
		       "vpc_zone_identifier: not set, so the instances are in "
		       "the region's default VPC (availability_zones), which "
		       "the plan does not describe");
	uint32_t np;
	model_placements(m, MK_FLEET, lg->obj.index, &np);
	ck_assert_uint_eq(np, 0);
	/* A function outside every VPC is no fleet, and it is counted
	 * among the skipped types. */
	ck_assert_ptr_null(model_find(m, "aws_lambda_function.Outside"));
	ASSERT_DIAG(&d, "tests/tfplan/kinds-extra.plan.json: note: skipped 2 "
			"resources of types vpcsim does not model: "
			"aws_efs_file_system (1), aws_lambda_function (1)");
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* ECS on EC2: bridge and host ports, services on their container
 * instances, classic bindings by name, a task without a network. */
START_TEST(kinds_ecs)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok("tests/tfplan/ecs-bridge.plan.json", &d);
	const struct model_task_definition *td =
	    &m->task_definitions[obj(m, "aws_ecs_task_definition.Task",
				     MK_TASK_DEFINITION)
				     ->index];
	ck_assert_str_eq(td->network_mode, "bridge");
	ck_assert_uint_eq(td->containers[0].ports[0].host_port, 0);
	const struct model_service *sv =
	    &m->services[obj(m, "aws_ecs_service.Web", MK_SERVICE)->index];
	ck_assert(sv->on_ec2);
	ck_assert_uint_eq(sv->obj.n_unknowns, 0);
	/* The constant script behind the launch configuration's hash. */
	ck_assert_str_eq(fleet(m, "aws_autoscaling_group.Hosts")->ecs_cluster,
			 sv->cluster);
	uint32_t tg = obj(m, "aws_lb_target_group.Tg", MK_TARGET_GROUP)->index;
	struct sim_target t[8];
	uint32_t n = sim_tg_targets(m, tg, 0, t, 8);
	ck_assert_uint_eq(n, 2);
	for (uint32_t i = 0; i < n; i++) {
		ck_assert_uint_eq(m->placements[t[i].placement].kind, MK_FLEET);
		ck_assert_uint_eq(t[i].port, MODEL_ECS_DYNAMIC_LO);
		ck_assert_uint_eq(t[i].port_hi, MODEL_ECS_DYNAMIC_HI);
	}
	model_free(m);
	diag_list_free(&d);
	m = load_ok("tests/tfplan/kinds-extra.plan.json", &d);
	td = &m->task_definitions[obj(m, "aws_ecs_task_definition.Host",
				      MK_TASK_DEFINITION)
				      ->index];
	ck_assert_uint_eq(td->containers[0].ports[0].host_port, 8080);
	td = &m->task_definitions[obj(m, "aws_ecs_task_definition.Bridge",
				      MK_TASK_DEFINITION)
				      ->index];
	ck_assert_uint_eq(td->containers[0].ports[0].host_port, 8080);
	/* elb_name: the classic load balancer's listener on the host
	 * port. */
	sv = &m->services[obj(m, "aws_ecs_service.Bridge", MK_SERVICE)->index];
	ck_assert_uint_eq(sv->n_bindings, 1);
	const struct model_target_group *g =
	    &m->target_groups[sv->bindings[0].target_group];
	ck_assert(g->classic);
	ck_assert_uint_eq(g->port, 8080);
	/* Network mode none: left out, and not analysed (VS020). */
	ck_assert_ptr_null(model_find(m, "aws_ecs_task_definition.Quiet"));
	ck_assert_ptr_null(model_find(m, "aws_ecs_service.Quiet"));
	ck_assert_uint_eq(tk_count(m, "VS020", "aws_ecs_service.Quiet", NULL),
			  1);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* Classic ELBs: listeners to instance ports, and Terraform's default of
 * cross-zone load balancing on (CloudFormation's is off). */
START_TEST(kinds_classic_elb)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok("tests/tfplan/classic-elb.plan.json", &d);
	const struct model_load_balancer *lb =
	    &m->lbs[obj(m, "aws_elb.Elb", MK_LOAD_BALANCER)->index];
	ck_assert_int_eq(lb->type, LB_CLASSIC);
	ck_assert(!lb->cross_zone); /* configured false */
	ck_assert_uint_eq(lb->n_listeners, 1);
	ck_assert_uint_eq(lb->listeners[0].port, 80);
	ck_assert_uint_eq(lb->listeners[0].instance_port, 8080);
	ck_assert_uint_eq(lb->health_check_port, 8080);
	ck_assert_uint_eq(lb->n_instances, 2);
	model_free(m);
	diag_list_free(&d);
	m = load_ok("tests/tfplan/classic-elb-default.plan.json", &d);
	lb = &m->lbs[obj(m, "aws_elb.Elb", MK_LOAD_BALANCER)->index];
	ck_assert(lb->cross_zone);
	model_free(m);
	diag_list_free(&d);
	/* Attachments register instances and fleets. */
	m = load_ok("tests/tfplan/kinds-extra.plan.json", &d);
	lb = &m->lbs[obj(m, "aws_elb.Web", MK_LOAD_BALANCER)->index];
	ck_assert_uint_eq(lb->n_instances, 1);
	ck_assert_str_eq(id_of(m, MK_INSTANCE, lb->instances[0]),
			 "aws_instance.Extra");
	const struct model_fleet *f =
	    fleet(m, "aws_autoscaling_group.AppsHosts");
	ck_assert_uint_eq(f->n_load_balancers, 1);
	ck_assert_str_eq(id_of(m, MK_LOAD_BALANCER, f->load_balancers[0]),
			 "aws_elb.Web");
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* Data stores: families and ports, Aurora's public member and cluster,
 * the default VPC, and Terraform's publicly_accessible default. */
START_TEST(kinds_stores)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok("tests/tfplan/data-stores.plan.json", &d);
	ck_assert_int_eq(database(m, "aws_elasticache_cluster.Redis")->family,
			 DBF_CACHE);
	ck_assert_uint_eq(database(m, "aws_elasticache_cluster.Redis")->port,
			  6379);
	ck_assert_uint_eq(database(m, "aws_elasticache_cluster.Sessions")->port,
			  11211);
	ck_assert_int_eq(database(m, "aws_efs_mount_target.FilesA")->family,
			 DBF_FILE_SYSTEM);
	const struct model_database *w =
	    database(m, "aws_rds_cluster_instance.Writer");
	ck_assert_int_eq(w->family, DBF_AURORA);
	ck_assert_str_eq(id_of(m, MK_DATABASE, w->replica_of),
			 "aws_rds_cluster.Aurora");
	ck_assert(!w->publicly_accessible);
	ck_assert(database(m, "aws_rds_cluster_instance.Reader")
		      ->publicly_accessible);
	/* The cluster answers publicly because a member does. */
	ck_assert(database(m, "aws_rds_cluster.Aurora")->publicly_accessible);
	ck_assert_int_eq(fleet(m, "aws_lambda_function.Worker")->role,
			 FLEET_FUNCTION);
	model_free(m);
	diag_list_free(&d);
	/* Without publicly_accessible the provider says false: unlike
	 * CloudFormation's, the default-VPC database is not public. */
	m = load_ok("tests/tfplan/data-stores-default.plan.json", &d);
	const struct model_database *l = database(m, "aws_db_instance.Legacy");
	ck_assert(l->default_vpc && !l->publicly_accessible);
	enum severity sev;
	ck_assert_uint_eq(tk_count(m, "VS024", "aws_db_instance.Legacy", &sev),
			  1);
	ck_assert_int_eq(sev, SEV_INFO);
	model_free(m);
	diag_list_free(&d);
	m = load_ok("tests/tfplan/kinds-extra.plan.json", &d);
	/* A replication group without a subnet group is in the default
	 * VPC; a cluster that joins it is its member. */
	const struct model_database *rg =
	    database(m, "aws_elasticache_replication_group.Sessions");
	ck_assert(rg->default_vpc);
	ck_assert_uint_eq(rg->port, 6380);
	const struct model_database *mb =
	    database(m, "aws_elasticache_cluster.Member");
	ck_assert_str_eq(id_of(m, MK_DATABASE, mb->replica_of),
			 "aws_elasticache_replication_group.Sessions");
	ck_assert_uint_eq(mb->port, 6380);
	ck_assert_uint_eq(mb->obj.n_unknowns, 0);
	/* A mount target without groups gets its VPC's default group. */
	const struct model_database *bare =
	    database(m, "aws_efs_mount_target.Bare");
	ck_assert_uint_eq(bare->n_groups, 1);
	ck_assert_str_eq(id_of(m, MK_SECURITY_GROUP, bare->groups[0]),
			 "aws_vpc.Vpc.default_security_group");
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* ---- the VPC's default route table, main table and default ACL ---------- */

/*
 * Adoption replaces AWS's rules with the written ones; an association
 * moves the main table; a route or rule that names a VPC's table or ACL
 * by the VPC's attribute adds to that object, AWS's own when the plan
 * adopts none.
 */
START_TEST(defaults_adopted)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok("tests/tfplan/defaults.plan.json", &d);
	ck_assert_uint_eq(count_sev(&d, DIAG_WARNING), 0);
	struct sim *s;
	sim_new(&s, m);
	/* one: the adopted table is main and routes to the gateway; the
	 * adopted ACL has only its written inbound rule (443). */
	ck_assert_str_eq(id_of(m, MK_ROUTE_TABLE,
			       subnet(m, "aws_subnet.one_a")->route_table),
			 "aws_default_route_table.one");
	ck_assert(table(m, "aws_default_route_table.one")->is_main);
	ck_assert_str_eq(
	    route_to(m, "aws_default_route_table.one", "0.0.0.0/0"),
	    "aws_internet_gateway.one");
	const struct model_network_acl *a =
	    &m->nacls[obj(m, "aws_default_network_acl.one", MK_NETWORK_ACL)
			  ->index];
	ck_assert(a->is_default);
	ck_assert_uint_eq(a->n_inbound, 1);
	ck_assert_int_eq(ask(s, "internet", "aws_instance.one_host", 443, NULL),
			 VERDICT_ALL);
	ck_assert_int_eq(ask(s, "internet", "aws_instance.one_host", 22, NULL),
			 VERDICT_NONE);
	/* two: the association made alt main; the adopted default table
	 * is not, and takes the route named through
	 * default_route_table_id; main_route_table_id names alt. */
	ck_assert(table(m, "aws_route_table.alt")->is_main);
	ck_assert(!table(m, "aws_default_route_table.two")->is_main);
	ck_assert_str_eq(id_of(m, MK_ROUTE_TABLE,
			       subnet(m, "aws_subnet.two_a")->route_table),
			 "aws_route_table.alt");
	ck_assert_str_eq(id_of(m, MK_ROUTE_TABLE,
			       subnet(m, "aws_subnet.two_b")->route_table),
			 "aws_route_table.alt");
	ck_assert_str_eq(
	    route_to(m, "aws_default_route_table.two", "192.0.2.0/24"),
	    "aws_internet_gateway.two");
	ck_assert_str_eq(
	    route_to(m, "aws_default_route_table.two", "0.0.0.0/0"), "none");
	ck_assert_int_eq(ask(s, "internet", "aws_instance.two_host", 22, NULL),
			 VERDICT_ALL);
	/* three: AWS's own main table and default ACL, with what the plan
	 * adds to them. */
	ck_assert_str_eq(route_to(m, "aws_vpc.three-main-rt", "0.0.0.0/0"),
			 "aws_internet_gateway.three");
	ck_assert(table(m, "aws_vpc.three-main-rt")->is_main);
	a = &m->nacls[obj(m, "aws_vpc.three-default-nacl", MK_NETWORK_ACL)
			  ->index];
	ck_assert_uint_eq(a->n_inbound, 2);
	ck_assert_uint_eq(a->inbound[0].number, 50);
	ck_assert(!a->inbound[0].allow);
	ck_assert_int_eq(
	    ask(s, "internet", "aws_instance.three_host", 443, NULL),
	    VERDICT_ALL);
	ck_assert_int_eq(
	    ask(s, "internet", "aws_instance.three_host", 22, NULL),
	    VERDICT_NONE);
	sim_free(s);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* ---- open groups whose reach is unknown --------------------------------- */

/* The finding of a rule on a resource, or NULL; *n counts them. */
static const struct finding *finding_on(const struct finding_list *l,
					const char *rule, const char *resource,
					uint32_t *n)
{
	const struct finding *f = NULL;
	*n = 0;
	for (uint32_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].rule_id, rule) && l->v[i].resource &&
		    !strcmp(l->v[i].resource, resource)) {
			f = &l->v[i];
			(*n)++;
		}
	return f;
}

/*
 * A plan: the SSH group in a data-source VPC, carried by an instance
 * there, and the RDP group in a VPC known by its id, carried by nothing
 * of the plan.  Each is a warning that says the reach is unknown and
 * why; neither is an error, nor "cannot reach", nor "unused".
 */
START_TEST(unknown_reach_plan)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_ok(OUTSIDE, &d);
	struct finding_list l = {0};
	rules_run(&l, m, NULL);
	uint32_t n;
	const struct finding *f =
	    finding_on(&l, "VS004", "aws_security_group.ssh", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert_str_eq(
	    f->message,
	    "security group aws_security_group.ssh admits 0.0.0.0/0 on "
	    "administrative port tcp 22 (SSH) (ingress rule 1, line 21): "
	    "open to the world; whether anything reachable carries it is "
	    "unknown: the VPC is not in the plan");
	f = finding_on(&l, "VS004", "aws_security_group.legacy", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert(strstr(f->message, "tcp 3389 (RDP)"));
	ck_assert_ptr_null(
	    finding_on(&l, "VS016", "aws_security_group.legacy", &n));
	ck_assert_ptr_null(
	    finding_on(&l, "VS017", "aws_security_group.ssh", &n));
	for (uint32_t i = 0; i < l.n; i++)
		ck_assert_msg(l.v[i].severity != SEV_ERROR, "an error: %s",
			      l.v[i].message);
	findings_free(&l);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/*
 * The same in a template: a group whose VpcId is a parameter without a
 * value, carried by an instance whose subnet is one too; a group whose
 * VpcId is an import without an exporter; and beside them, in a VPC of
 * the template, a group carried by nothing (unused: VS016, no warning)
 * and one carried by a reachable instance (VS004's error, no warning).
 */
START_TEST(unknown_reach_template)
{
	static const char tpl[] =
	    "Parameters:\n"
	    "  VpcId: {Type: 'AWS::EC2::VPC::Id'}\n"
	    "  SubnetId: {Type: 'AWS::EC2::Subnet::Id'}\n"
	    "Resources:\n"
	    "  Ssh:\n"
	    "    Type: AWS::EC2::SecurityGroup\n"
	    "    Properties:\n"
	    "      GroupDescription: ssh\n"
	    "      VpcId: !Ref VpcId\n"
	    "      SecurityGroupIngress:\n"
	    "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: "
	    "0.0.0.0/0}\n"
	    "  Imported:\n"
	    "    Type: AWS::EC2::SecurityGroup\n"
	    "    Properties:\n"
	    "      GroupDescription: imported\n"
	    "      VpcId: !ImportValue net-vpc\n"
	    "      SecurityGroupIngress:\n"
	    "        - {IpProtocol: tcp, FromPort: 3306, ToPort: 3306, CidrIp: "
	    "0.0.0.0/0}\n"
	    "  Host:\n"
	    "    Type: AWS::EC2::Instance\n"
	    "    Properties: {ImageId: ami-1, SubnetId: !Ref SubnetId, "
	    "SecurityGroupIds: [!Ref Ssh]}\n"
	    "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
	    "10.9.0.0/16}}\n"
	    "  Igw: {Type: AWS::EC2::InternetGateway}\n"
	    "  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: "
	    "{VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}\n"
	    "  Pub: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, "
	    "CidrBlock: 10.9.1.0/24, MapPublicIpOnLaunch: true}}\n"
	    "  Rt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref "
	    "Vpc}}\n"
	    "  R: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, "
	    "DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}}\n"
	    "  A: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: "
	    "{SubnetId: !Ref Pub, RouteTableId: !Ref Rt}}\n"
	    "  Idle:\n"
	    "    Type: AWS::EC2::SecurityGroup\n"
	    "    Properties:\n"
	    "      GroupDescription: idle\n"
	    "      VpcId: !Ref Vpc\n"
	    "      SecurityGroupIngress:\n"
	    "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: "
	    "0.0.0.0/0}\n"
	    "  Used:\n"
	    "    Type: AWS::EC2::SecurityGroup\n"
	    "    Properties:\n"
	    "      GroupDescription: used\n"
	    "      VpcId: !Ref Vpc\n"
	    "      SecurityGroupIngress:\n"
	    "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: "
	    "0.0.0.0/0}\n"
	    "  Open: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, "
	    "SubnetId: !Ref Pub, SecurityGroupIds: [!Ref Used]}}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "t.yaml", tpl, strlen(tpl), &d);
	if (rc)
		diag_dump(&d);
	ck_assert_int_eq(rc, 0);
	struct finding_list l = {0};
	rules_run(&l, m, NULL);
	uint32_t n;
	const struct finding *f = finding_on(&l, "VS004", "Ssh", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert_str_eq(
	    f->message, "security group Ssh admits 0.0.0.0/0 on administrative "
			"port tcp 22 (SSH) (ingress rule 1, line 11): open to "
			"the world; whether anything reachable carries it is "
			"unknown: the VPC is not in the input");
	bool says_host = false;
	for (uint32_t i = 0; i < f->n_details; i++)
		says_host |=
		    strstr(f->details[i], "instance Host carries it") != NULL;
	ck_assert(says_host);
	f = finding_on(&l, "VS004", "Imported", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert(strstr(f->message, "tcp 3306 (MySQL)"));
	ck_assert_ptr_null(finding_on(&l, "VS016", "Imported", &n));
	/* In the template's own VPC: unused, and exposed. */
	ck_assert_ptr_nonnull(finding_on(&l, "VS016", "Idle", &n));
	ck_assert_ptr_null(finding_on(&l, "VS004", "Idle", &n));
	ck_assert_ptr_null(finding_on(&l, "VS004", "Used", &n));
	f = finding_on(&l, "VS004", "Open", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(f->severity, SEV_ERROR);
	findings_free(&l);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* ---- patterns of the real plans (docs/realworld.md) --------------------- */

/*
 * A Terraform 0.12 plan (format 0.1) of a public subnet whose route table
 * writes its route as a block: 0.12 to 1.0 leave such blocks out of the
 * configuration, so the route's gateway_id, unknown until apply, has no
 * expression to follow.  EXTRA_* add one more resource: none, an internet
 * gateway of another VPC, or a VPN gateway of the same VPC.
 */
#define GUESS_PLAN                                                             \
	"{\"format_version\": \"0.1\", \"terraform_version\": \"0.12.31\",\n"  \
	" \"planned_values\": {\"root_module\": {\"resources\": [%s\n"         \
	"  {\"address\": \"aws_vpc.v\", \"mode\": \"managed\", \"type\": "     \
	"\"aws_vpc\", \"name\": \"v\", \"values\": {\"cidr_block\": "          \
	"\"10.7.0.0/16\"}},\n"                                                 \
	"  {\"address\": \"aws_internet_gateway.gw\", \"mode\": \"managed\", " \
	"\"type\": \"aws_internet_gateway\", \"name\": \"gw\", \"values\": "   \
	"{}},\n"                                                               \
	"  {\"address\": \"aws_subnet.pub\", \"mode\": \"managed\", "          \
	"\"type\": "                                                           \
	"\"aws_subnet\", \"name\": \"pub\", \"values\": {\"cidr_block\": "     \
	"\"10.7.1.0/24\", \"availability_zone\": \"us-east-1a\", "             \
	"\"map_public_ip_on_launch\": true}},\n"                               \
	"  {\"address\": \"aws_route_table.pub\", \"mode\": \"managed\", "     \
	"\"type\": \"aws_route_table\", \"name\": \"pub\", \"values\": "       \
	"{\"route\": [{\"cidr_block\": \"0.0.0.0/0\", "                        \
	"\"egress_only_gateway_id\": \"\", \"instance_id\": \"\", "            \
	"\"ipv6_cidr_block\": \"\", \"nat_gateway_id\": \"\", "                \
	"\"network_interface_id\": \"\", \"transit_gateway_id\": \"\", "       \
	"\"vpc_peering_connection_id\": \"\"}]}},\n"                           \
	"  {\"address\": \"aws_route_table_association.pub\", \"mode\": "      \
	"\"managed\", \"type\": \"aws_route_table_association\", \"name\": "   \
	"\"pub\"},\n"                                                          \
	"  {\"address\": \"aws_security_group.ssh\", \"mode\": \"managed\", "  \
	"\"type\": \"aws_security_group\", \"name\": \"ssh\", \"values\": "    \
	"{\"ingress\": [{\"cidr_blocks\": [\"0.0.0.0/0\"], \"from_port\": "    \
	"22, \"to_port\": 22, \"protocol\": \"tcp\", \"self\": false}], "      \
	"\"egress\": [{\"cidr_blocks\": [\"0.0.0.0/0\"], \"from_port\": 0, "   \
	"\"to_port\": 0, \"protocol\": \"-1\", \"self\": false}]}},\n"         \
	"  {\"address\": \"aws_instance.bastion\", \"mode\": \"managed\", "    \
	"\"type\": \"aws_instance\", \"name\": \"bastion\", \"values\": "      \
	"{}}]}},\n"                                                            \
	" \"resource_changes\": [%s\n"                                         \
	"  {\"address\": \"aws_internet_gateway.gw\", \"change\": "            \
	"{\"actions\": [\"create\"], \"after_unknown\": {\"id\": true, "       \
	"\"vpc_id\": true}}},\n"                                               \
	"  {\"address\": \"aws_subnet.pub\", \"change\": {\"actions\": "       \
	"[\"create\"], \"after_unknown\": {\"vpc_id\": true}}},\n"             \
	"  {\"address\": \"aws_route_table.pub\", \"change\": {\"actions\": "  \
	"[\"create\"], \"after_unknown\": {\"id\": true, \"vpc_id\": true, "   \
	"\"route\": [{\"gateway_id\": true}]}}},\n"                            \
	"  {\"address\": \"aws_route_table_association.pub\", \"change\": "    \
	"{\"actions\": [\"create\"], \"after_unknown\": {\"subnet_id\": "      \
	"true, \"route_table_id\": true}}},\n"                                 \
	"  {\"address\": \"aws_security_group.ssh\", \"change\": "             \
	"{\"actions\": [\"create\"], \"after_unknown\": {\"vpc_id\": "         \
	"true}}},\n"                                                           \
	"  {\"address\": \"aws_instance.bastion\", \"change\": {\"actions\": " \
	"[\"create\"], \"after_unknown\": {\"subnet_id\": true, "              \
	"\"vpc_security_group_ids\": true}}}],\n"                              \
	" \"configuration\": {\"root_module\": {\"resources\": [%s\n"          \
	"  {\"address\": \"aws_vpc.v\", \"mode\": \"managed\", \"type\": "     \
	"\"aws_vpc\", \"name\": \"v\", \"expressions\": {}},\n"                \
	"  {\"address\": \"aws_internet_gateway.gw\", \"mode\": \"managed\", " \
	"\"type\": \"aws_internet_gateway\", \"name\": \"gw\", "               \
	"\"expressions\": {\"vpc_id\": {\"references\": [\"aws_vpc.v\"]}}},\n" \
	"  {\"address\": \"aws_subnet.pub\", \"mode\": \"managed\", "          \
	"\"type\": "                                                           \
	"\"aws_subnet\", \"name\": \"pub\", \"expressions\": {\"vpc_id\": "    \
	"{\"references\": [\"aws_vpc.v\"]}}},\n"                               \
	"  {\"address\": \"aws_route_table.pub\", \"mode\": \"managed\", "     \
	"\"type\": \"aws_route_table\", \"name\": \"pub\", \"expressions\": "  \
	"{\"vpc_id\": {\"references\": [\"aws_vpc.v\"]}}},\n"                  \
	"  {\"address\": \"aws_route_table_association.pub\", \"mode\": "      \
	"\"managed\", \"type\": \"aws_route_table_association\", \"name\": "   \
	"\"pub\", \"expressions\": {\"subnet_id\": {\"references\": "          \
	"[\"aws_subnet.pub\"]}, \"route_table_id\": {\"references\": "         \
	"[\"aws_route_table.pub\"]}}},\n"                                      \
	"  {\"address\": \"aws_security_group.ssh\", \"mode\": \"managed\", "  \
	"\"type\": \"aws_security_group\", \"name\": \"ssh\", "                \
	"\"expressions\": {\"vpc_id\": {\"references\": [\"aws_vpc.v\"]}}},\n" \
	"  {\"address\": \"aws_instance.bastion\", \"mode\": \"managed\", "    \
	"\"type\": \"aws_instance\", \"name\": \"bastion\", \"expressions\": " \
	"{\"subnet_id\": {\"references\": [\"aws_subnet.pub\"]}, "             \
	"\"vpc_security_group_ids\": {\"references\": "                        \
	"[\"aws_security_group.ssh\"]}}}]}}}\n"

static const char *const guess_extra[3][3] = {
    {"", "", ""},
    /* An internet gateway of another VPC: not a candidate. */
    {"\n  {\"address\": \"aws_vpc.w\", \"mode\": \"managed\", \"type\": "
     "\"aws_vpc\", \"name\": \"w\", \"values\": {\"cidr_block\": "
     "\"10.8.0.0/16\"}},\n"
     "  {\"address\": \"aws_internet_gateway.other\", \"mode\": "
     "\"managed\", \"type\": \"aws_internet_gateway\", \"name\": "
     "\"other\", \"values\": {}},",
     "\n  {\"address\": \"aws_internet_gateway.other\", \"change\": "
     "{\"actions\": [\"create\"], \"after_unknown\": {\"id\": true, "
     "\"vpc_id\": true}}},",
     "\n  {\"address\": \"aws_vpc.w\", \"mode\": \"managed\", \"type\": "
     "\"aws_vpc\", \"name\": \"w\", \"expressions\": {}},\n"
     "  {\"address\": \"aws_internet_gateway.other\", \"mode\": "
     "\"managed\", \"type\": \"aws_internet_gateway\", \"name\": "
     "\"other\", \"expressions\": {\"vpc_id\": {\"references\": "
     "[\"aws_vpc.w\"]}}},"},
    /* A VPN gateway of the same VPC: gateway_id may name either. */
    {"\n  {\"address\": \"aws_vpn_gateway.vpn\", \"mode\": \"managed\", "
     "\"type\": \"aws_vpn_gateway\", \"name\": \"vpn\", \"values\": {}},",
     "\n  {\"address\": \"aws_vpn_gateway.vpn\", \"change\": {\"actions\": "
     "[\"create\"], \"after_unknown\": {\"id\": true, \"vpc_id\": "
     "true}}},",
     "\n  {\"address\": \"aws_vpn_gateway.vpn\", \"mode\": \"managed\", "
     "\"type\": \"aws_vpn_gateway\", \"name\": \"vpn\", \"expressions\": "
     "{\"vpc_id\": {\"references\": [\"aws_vpc.v\"]}}},"},
};

/*
 * The route's gateway is the only gateway of the plan that may be in the
 * table's VPC: the route is there, to it, and says it was taken to be
 * it; the bastion's SSH open to the world is then an error (vpcsim said
 * nothing of it before).  With a VPN gateway in the VPC as well, the
 * gateway is not known, and the route stays out as before.
 */
START_TEST(route_block_sole_gateway)
{
	char plan[12000];
	int len = snprintf(plan, sizeof(plan), GUESS_PLAN, guess_extra[_i][0],
			   guess_extra[_i][1], guess_extra[_i][2]);
	ck_assert(len > 0 && (size_t)len < sizeof(plan));
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "rb.json", plan, (size_t)len, &d);
	if (rc)
		diag_dump(&d);
	ck_assert_int_eq(rc, 0);
	const char *rt = "aws_route_table.pub";
	struct finding_list l = {0};
	rules_run(&l, m, NULL);
	uint32_t n;
	const struct finding *f =
	    finding_on(&l, "VS004", "aws_instance.bastion", &n);
	struct sim *s;
	sim_new(&s, m);
	const char *unk;
	enum sim_verdict v =
	    ask(s, "internet", "aws_instance.bastion", 22, &unk);
	if (_i < 2) {
		ck_assert_str_eq(route_to(m, rt, "0.0.0.0/0"),
				 "aws_internet_gateway.gw");
		ASSERT_UNKNOWN(
		    m, rt,
		    "route 1 to 0.0.0.0/0: gateway_id is known only "
		    "after apply, and the plan has no configuration "
		    "of the route (Terraform before 1.1 leaves route "
		    "blocks out of it): taken to be "
		    "aws_internet_gateway.gw, the only gateway of its "
		    "kind the plan has for VPC aws_vpc.v");
		ck_assert(subnet(m, "aws_subnet.pub")->is_public);
		ck_assert_uint_eq(n, 1);
		ck_assert_int_eq(f->severity, SEV_ERROR);
		ck_assert_int_eq(v, VERDICT_ALL);
		ck_assert_ptr_nonnull(unk); /* the guess is said */
	} else {
		ck_assert_str_eq(route_to(m, rt, "0.0.0.0/0"), "none");
		ASSERT_UNKNOWN(m, rt,
			       "route 1 to 0.0.0.0/0: gateway_id is known only "
			       "after apply, and the plan's configuration does "
			       "not say where it comes from; the route is left "
			       "out");
		ck_assert(!f || f->severity != SEV_ERROR);
		ck_assert_int_eq(v, VERDICT_NONE);
	}
	sim_free(s);
	findings_free(&l);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/*
 * A network load balancer's listener only forwards: AWS refuses one that
 * answers itself (fixed-response), and Terraform keeps the load balancer
 * it created.  That listener is left out with a warning that says why;
 * the forwarding one stays, and so does an application load balancer's
 * fixed response.
 */
START_TEST(nlb_listener_refused)
{
	static const char plan[] =
	    "{\"format_version\": \"1.2\",\n"
	    " \"planned_values\": {\"root_module\": {\"resources\": [\n"
	    "  {\"address\": \"aws_vpc.v\", \"mode\": \"managed\", \"type\": "
	    "\"aws_vpc\", \"name\": \"v\", \"values\": {\"cidr_block\": "
	    "\"10.6.0.0/16\"}},\n"
	    "  {\"address\": \"aws_subnet.a\", \"mode\": \"managed\", "
	    "\"type\": "
	    "\"aws_subnet\", \"name\": \"a\", \"values\": {\"cidr_block\": "
	    "\"10.6.1.0/24\", \"availability_zone\": \"us-east-1a\"}},\n"
	    "  {\"address\": \"aws_lb.n\", \"mode\": \"managed\", \"type\": "
	    "\"aws_lb\", \"name\": \"n\", \"values\": {\"load_balancer_type\": "
	    "\"network\", \"internal\": false}},\n"
	    "  {\"address\": \"aws_lb.a\", \"mode\": \"managed\", \"type\": "
	    "\"aws_lb\", \"name\": \"a\", \"values\": {\"internal\": false}},\n"
	    "  {\"address\": \"aws_lb_target_group.t\", \"mode\": \"managed\", "
	    "\"type\": \"aws_lb_target_group\", \"name\": \"t\", \"values\": "
	    "{\"port\": 443, \"protocol\": \"TCP\"}},\n"
	    "  {\"address\": \"aws_lb_listener.fixed\", \"mode\": \"managed\", "
	    "\"type\": \"aws_lb_listener\", \"name\": \"fixed\", \"values\": "
	    "{\"port\": 80, \"protocol\": \"TCP\", \"default_action\": "
	    "[{\"type\": \"fixed-response\", \"fixed_response\": "
	    "[{\"content_type\": \"text/plain\", \"status_code\": "
	    "\"200\"}]}]}},\n"
	    "  {\"address\": \"aws_lb_listener.fwd\", \"mode\": \"managed\", "
	    "\"type\": \"aws_lb_listener\", \"name\": \"fwd\", \"values\": "
	    "{\"port\": 443, \"protocol\": \"TCP\", \"default_action\": "
	    "[{\"type\": \"forward\"}]}},\n"
	    "  {\"address\": \"aws_lb_listener.alb\", \"mode\": \"managed\", "
	    "\"type\": \"aws_lb_listener\", \"name\": \"alb\", \"values\": "
	    "{\"port\": 80, \"protocol\": \"HTTP\", \"default_action\": "
	    "[{\"type\": \"fixed-response\", \"fixed_response\": "
	    "[{\"content_type\": \"text/plain\", \"status_code\": "
	    "\"200\"}]}]}}]}},\n"
	    " \"resource_changes\": [\n"
	    "  {\"address\": \"aws_subnet.a\", \"change\": {\"actions\": "
	    "[\"create\"], \"after_unknown\": {\"vpc_id\": true}}},\n"
	    "  {\"address\": \"aws_lb.n\", \"change\": {\"actions\": "
	    "[\"create\"], \"after_unknown\": {\"subnets\": true, \"arn\": "
	    "true}}},\n"
	    "  {\"address\": \"aws_lb.a\", \"change\": {\"actions\": "
	    "[\"create\"], \"after_unknown\": {\"subnets\": true, \"arn\": "
	    "true, \"security_groups\": true}}},\n"
	    "  {\"address\": \"aws_lb_target_group.t\", \"change\": "
	    "{\"actions\": [\"create\"], \"after_unknown\": {\"vpc_id\": true, "
	    "\"arn\": true}}},\n"
	    "  {\"address\": \"aws_lb_listener.fixed\", \"change\": "
	    "{\"actions\": [\"create\"], \"after_unknown\": "
	    "{\"load_balancer_arn\": true}}},\n"
	    "  {\"address\": \"aws_lb_listener.fwd\", \"change\": "
	    "{\"actions\": "
	    "[\"create\"], \"after_unknown\": {\"load_balancer_arn\": true, "
	    "\"default_action\": [{\"target_group_arn\": true}]}}},\n"
	    "  {\"address\": \"aws_lb_listener.alb\", \"change\": "
	    "{\"actions\": "
	    "[\"create\"], \"after_unknown\": {\"load_balancer_arn\": "
	    "true}}}],\n"
	    " \"configuration\": {\"root_module\": {\"resources\": [\n"
	    "  {\"address\": \"aws_subnet.a\", \"mode\": \"managed\", "
	    "\"type\": "
	    "\"aws_subnet\", \"name\": \"a\", \"expressions\": {\"vpc_id\": "
	    "{\"references\": [\"aws_vpc.v.id\", \"aws_vpc.v\"]}}},\n"
	    "  {\"address\": \"aws_lb.n\", \"mode\": \"managed\", \"type\": "
	    "\"aws_lb\", \"name\": \"n\", \"expressions\": {\"subnets\": "
	    "{\"references\": [\"aws_subnet.a.id\", \"aws_subnet.a\"]}}},\n"
	    "  {\"address\": \"aws_lb.a\", \"mode\": \"managed\", \"type\": "
	    "\"aws_lb\", \"name\": \"a\", \"expressions\": {\"subnets\": "
	    "{\"references\": [\"aws_subnet.a.id\", \"aws_subnet.a\"]}}},\n"
	    "  {\"address\": \"aws_lb_target_group.t\", \"mode\": \"managed\", "
	    "\"type\": \"aws_lb_target_group\", \"name\": \"t\", "
	    "\"expressions\": {\"vpc_id\": {\"references\": [\"aws_vpc.v.id\", "
	    "\"aws_vpc.v\"]}}},\n"
	    "  {\"address\": \"aws_lb_listener.fixed\", \"mode\": \"managed\", "
	    "\"type\": \"aws_lb_listener\", \"name\": \"fixed\", "
	    "\"expressions\": {\"load_balancer_arn\": {\"references\": "
	    "[\"aws_lb.n.arn\", \"aws_lb.n\"]}}},\n"
	    "  {\"address\": \"aws_lb_listener.fwd\", \"mode\": \"managed\", "
	    "\"type\": \"aws_lb_listener\", \"name\": \"fwd\", "
	    "\"expressions\": "
	    "{\"load_balancer_arn\": {\"references\": [\"aws_lb.n.arn\", "
	    "\"aws_lb.n\"]}, \"default_action\": [{\"type\": "
	    "{\"constant_value\": \"forward\"}, \"target_group_arn\": "
	    "{\"references\": [\"aws_lb_target_group.t.arn\", "
	    "\"aws_lb_target_group.t\"]}}]}},\n"
	    "  {\"address\": \"aws_lb_listener.alb\", \"mode\": \"managed\", "
	    "\"type\": \"aws_lb_listener\", \"name\": \"alb\", "
	    "\"expressions\": "
	    "{\"load_balancer_arn\": {\"references\": [\"aws_lb.a.arn\", "
	    "\"aws_lb.a\"]}}}]}}}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "nlb.json", plan, strlen(plan), &d);
	if (rc)
		diag_dump(&d);
	ck_assert_int_eq(rc, 0);
	ASSERT_DIAG(&d, "nlb.json:8:3: warning: aws_lb_listener.fixed is left "
			"out of the model: a network load balancer's listener "
			"can only forward, and AWS refuses its fixed-response "
			"action (the apply fails there)");
	ck_assert_uint_eq(count_sev(&d, DIAG_WARNING), 1);
	const struct model_load_balancer *nlb =
	    &m->lbs[obj(m, "aws_lb.n", MK_LOAD_BALANCER)->index];
	ck_assert_uint_eq(nlb->n_listeners, 1);
	ck_assert_uint_eq(nlb->listeners[0].port, 443);
	ck_assert_int_eq(nlb->listeners[0].default_action.kind, LBA_FORWARD);
	ck_assert_str_eq(id_of(m, MK_TARGET_GROUP,
			       nlb->listeners[0].default_action.target_group),
			 "aws_lb_target_group.t");
	const struct model_load_balancer *alb =
	    &m->lbs[obj(m, "aws_lb.a", MK_LOAD_BALANCER)->index];
	ck_assert_uint_eq(alb->n_listeners, 1);
	ck_assert_int_eq(alb->listeners[0].default_action.kind,
			 LBA_FIXED_RESPONSE);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/*
 * Rule resources that add to a group the plan does not have (an id from
 * a variable, a data source): the group is one outside the plan, named
 * so, in a VPC outside the plan, holding the plan's rules.  SSH open to
 * the world on it is VS004's warning (unknown reach), never silence as
 * when the rules were left out, nor an error, nor "unused"; two rules
 * on one id share one group.  A rule whose group is unknown with nothing
 * to name it is still left out with a warning, and so is one whose only
 * peer is unknown too: a group of no rule would be noise.
 */
START_TEST(outside_group_rules)
{
	static const char plan[] =
	    "{\"format_version\": \"1.2\",\n"
	    " \"variables\": {\"sg_id\": {\"value\": "
	    "\"sg-0aa11bb22cc33dd44\"}},\n"
	    " \"planned_values\": {\"root_module\": {\"resources\": [\n"
	    "  {\"address\": \"aws_security_group_rule.ssh\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group_rule\", \"name\": "
	    "\"ssh\", \"values\": {\"type\": \"ingress\", \"protocol\": "
	    "\"tcp\", \"from_port\": 22, \"to_port\": 22, \"cidr_blocks\": "
	    "[\"0.0.0.0/0\"], \"security_group_id\": "
	    "\"sg-0aa11bb22cc33dd44\"}},\n"
	    "  {\"address\": \"aws_security_group_rule.rdp\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group_rule\", \"name\": "
	    "\"rdp\", \"values\": {\"type\": \"ingress\", \"protocol\": "
	    "\"tcp\", \"from_port\": 3389, \"to_port\": 3389, \"cidr_blocks\": "
	    "[\"10.0.0.0/8\"], \"security_group_id\": "
	    "\"sg-0aa11bb22cc33dd44\"}},\n"
	    "  {\"address\": \"aws_vpc_security_group_ingress_rule.pg\", "
	    "\"mode\": \"managed\", \"type\": "
	    "\"aws_vpc_security_group_ingress_rule\", \"name\": \"pg\", "
	    "\"values\": {\"ip_protocol\": \"tcp\", \"from_port\": 5432, "
	    "\"to_port\": 5432, \"cidr_ipv4\": \"0.0.0.0/0\"}},\n"
	    "  {\"address\": \"aws_security_group_rule.lost\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group_rule\", \"name\": "
	    "\"lost\", \"values\": {\"type\": \"ingress\", \"protocol\": "
	    "\"tcp\", \"from_port\": 22, \"to_port\": 22, \"cidr_blocks\": "
	    "[\"0.0.0.0/0\"]}},\n"
	    "  {\"address\": \"aws_security_group_rule.peerless\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group_rule\", \"name\": "
	    "\"peerless\", \"values\": {\"type\": \"ingress\", \"protocol\": "
	    "\"tcp\", \"from_port\": 5432, \"to_port\": 5432, "
	    "\"security_group_id\": \"sg-0ee\", "
	    "\"source_security_group_id\": \"sg-0ff\"}}]}},\n"
	    " \"resource_changes\": [\n"
	    "  {\"address\": \"aws_vpc_security_group_ingress_rule.pg\", "
	    "\"change\": {\"actions\": [\"create\"], \"after_unknown\": "
	    "{\"security_group_id\": true}}},\n"
	    "  {\"address\": \"aws_security_group_rule.lost\", \"change\": "
	    "{\"actions\": [\"create\"], \"after_unknown\": "
	    "{\"security_group_id\": true}}}],\n"
	    " \"prior_state\": {\"values\": {\"root_module\": {\"resources\": "
	    "[\n"
	    "  {\"address\": \"data.aws_security_group.db\", \"mode\": "
	    "\"data\", \"type\": \"aws_security_group\", \"name\": \"db\", "
	    "\"values\": {\"id\": \"sg-0dd\", \"name\": \"db\"}}]}}},\n"
	    " \"configuration\": {\"root_module\": {\"resources\": [\n"
	    "  {\"address\": \"aws_security_group_rule.ssh\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group_rule\", \"name\": "
	    "\"ssh\", \"expressions\": {\"security_group_id\": "
	    "{\"references\": [\"var.sg_id\"]}}},\n"
	    "  {\"address\": \"aws_security_group_rule.rdp\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group_rule\", \"name\": "
	    "\"rdp\", \"expressions\": {\"security_group_id\": "
	    "{\"references\": [\"var.sg_id\"]}}},\n"
	    "  {\"address\": \"aws_vpc_security_group_ingress_rule.pg\", "
	    "\"mode\": \"managed\", \"type\": "
	    "\"aws_vpc_security_group_ingress_rule\", \"name\": \"pg\", "
	    "\"expressions\": {\"security_group_id\": {\"references\": "
	    "[\"data.aws_security_group.db.id\", "
	    "\"data.aws_security_group.db\"]}}},\n"
	    "  {\"address\": \"aws_security_group_rule.lost\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group_rule\", \"name\": "
	    "\"lost\", \"expressions\": {}}]}}}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "og.json", plan, strlen(plan), &d);
	if (rc)
		diag_dump(&d);
	ck_assert_int_eq(rc, 0);
	/* Left out: the rule with nothing to name its group, and the one
	 * whose only peer is unknown (no group is made for it alone). */
	ck_assert_uint_eq(count_sev(&d, DIAG_WARNING), 2);
	ck_assert_ptr_nonnull(strstr(d.v[0].message,
				     "aws_security_group_rule.lost is left "
				     "out of the model"));
	ck_assert_ptr_nonnull(strstr(d.v[1].message,
				     "aws_security_group_rule.peerless is "
				     "left out of the model: its "
				     "security_group_id 'sg-0ee' is no "
				     "resource of the plan"));
	ck_assert_ptr_null(model_find(m, "sg-0ee"));
	ck_assert_uint_eq(m->n[MK_SECURITY_GROUP], 2);
	const struct model_security_group *g =
	    &m->groups[obj(m, "sg-0aa11bb22cc33dd44", MK_SECURITY_GROUP)
			   ->index];
	ck_assert(g->obj.implicit && !g->default_egress);
	ck_assert_uint_eq(g->n_ingress, 2);
	ck_assert_uint_eq(g->n_egress, 0);
	ck_assert(m->vpcs[g->vpc].external);
	ck_assert_str_eq(m->vpcs[g->vpc].obj.id, "sg-0aa11bb22cc33dd44.vpc_id");
	ASSERT_UNKNOWN(m, "sg-0aa11bb22cc33dd44.vpc_id",
		       "the VPC is not known: security group "
		       "sg-0aa11bb22cc33dd44 is not in the plan "
		       "(aws_security_group_rule.ssh security_group_id: "
		       "'sg-0aa11bb22cc33dd44' is no resource of the plan)");
	ASSERT_UNKNOWN(m, "sg-0aa11bb22cc33dd44",
		       "the group is not in the plan: only the rules the plan "
		       "adds to it are known");
	const struct model_security_group *db =
	    &m->groups[obj(m, "data.aws_security_group.db", MK_SECURITY_GROUP)
			   ->index];
	ck_assert_uint_eq(db->n_ingress, 1);
	ck_assert_uint_eq(db->ingress[0].match.port_lo, 5432);
	ck_assert_uint_ne(db->vpc, g->vpc);

	struct finding_list l = {0};
	rules_run(&l, m, NULL);
	uint32_t n;
	const struct finding *f =
	    finding_on(&l, "VS004", "sg-0aa11bb22cc33dd44", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert_str_eq(f->message,
			 "security group sg-0aa11bb22cc33dd44 admits 0.0.0.0/0 "
			 "on administrative port tcp 22 (SSH) (ingress rule 1, "
			 "line 4): open to the world; whether anything "
			 "reachable carries it is unknown: the VPC is not "
			 "known");
	f = finding_on(&l, "VS004", "data.aws_security_group.db", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert(strstr(f->message, "tcp 5432 (PostgreSQL)"));
	ck_assert_ptr_null(finding_on(&l, "VS016", "sg-0aa11bb22cc33dd44", &n));
	ck_assert_ptr_null(finding_on(&l, "VS017", "sg-0aa11bb22cc33dd44", &n));
	for (uint32_t i = 0; i < l.n; i++)
		ck_assert_msg(l.v[i].severity != SEV_ERROR, "an error: %s",
			      l.v[i].message);
	findings_free(&l);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/*
 * A classic ELB that sets neither subnets nor availability_zones is one
 * AWS refuses to create: left out with a warning, not placed in the
 * default VPC.  What it and an EKS cluster (a type vpcsim skips) name is
 * in use all the same: their groups are not "attached to nothing"
 * (VS016), while a group nothing names is.
 */
START_TEST(skipped_references_use)
{
	static const char plan[] =
	    "{\"format_version\": \"1.1\",\n"
	    " \"planned_values\": {\"root_module\": {\"resources\": [\n"
	    "  {\"address\": \"aws_vpc.v\", \"mode\": \"managed\", \"type\": "
	    "\"aws_vpc\", \"name\": \"v\", \"values\": {\"cidr_block\": "
	    "\"10.4.0.0/16\"}},\n"
	    "  {\"address\": \"aws_security_group.web\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group\", \"name\": \"web\", "
	    "\"values\": {\"ingress\": [{\"protocol\": \"tcp\", \"from_port\": "
	    "80, \"to_port\": 80, \"cidr_blocks\": [\"0.0.0.0/0\"]}]}},\n"
	    "  {\"address\": \"aws_security_group.eks\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group\", \"name\": \"eks\", "
	    "\"values\": {}},\n"
	    "  {\"address\": \"aws_security_group.idle\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group\", \"name\": "
	    "\"idle\", \"values\": {}},\n"
	    "  {\"address\": \"aws_elb.e\", \"mode\": \"managed\", \"type\": "
	    "\"aws_elb\", \"name\": \"e\", \"values\": {\"listener\": "
	    "[{\"instance_port\": 80, \"instance_protocol\": \"http\", "
	    "\"lb_port\": 80, \"lb_protocol\": \"http\"}]}},\n"
	    "  {\"address\": \"aws_eks_cluster.k\", \"mode\": \"managed\", "
	    "\"type\": \"aws_eks_cluster\", \"name\": \"k\", \"values\": "
	    "{\"vpc_config\": [{}]}}]}},\n"
	    " \"resource_changes\": [\n"
	    "  {\"address\": \"aws_security_group.web\", \"change\": "
	    "{\"actions\": [\"create\"], \"after_unknown\": {\"id\": true, "
	    "\"vpc_id\": true}}},\n"
	    "  {\"address\": \"aws_security_group.eks\", \"change\": "
	    "{\"actions\": [\"create\"], \"after_unknown\": {\"id\": true, "
	    "\"vpc_id\": true}}},\n"
	    "  {\"address\": \"aws_security_group.idle\", \"change\": "
	    "{\"actions\": [\"create\"], \"after_unknown\": {\"id\": true, "
	    "\"vpc_id\": true}}},\n"
	    "  {\"address\": \"aws_elb.e\", \"change\": {\"actions\": "
	    "[\"create\"], \"after_unknown\": {\"subnets\": true, "
	    "\"availability_zones\": true, \"security_groups\": true}}},\n"
	    "  {\"address\": \"aws_eks_cluster.k\", \"change\": {\"actions\": "
	    "[\"create\"], \"after_unknown\": {\"vpc_config\": "
	    "[{\"security_group_ids\": true}]}}}],\n"
	    " \"configuration\": {\"root_module\": {\"resources\": [\n"
	    "  {\"address\": \"aws_vpc.v\", \"mode\": \"managed\", \"type\": "
	    "\"aws_vpc\", \"name\": \"v\", \"expressions\": {}},\n"
	    "  {\"address\": \"aws_security_group.web\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group\", \"name\": \"web\", "
	    "\"expressions\": {\"vpc_id\": {\"references\": [\"aws_vpc.v.id\", "
	    "\"aws_vpc.v\"]}}},\n"
	    "  {\"address\": \"aws_security_group.eks\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group\", \"name\": \"eks\", "
	    "\"expressions\": {\"vpc_id\": {\"references\": [\"aws_vpc.v.id\", "
	    "\"aws_vpc.v\"]}}},\n"
	    "  {\"address\": \"aws_security_group.idle\", \"mode\": "
	    "\"managed\", \"type\": \"aws_security_group\", \"name\": "
	    "\"idle\", \"expressions\": {\"vpc_id\": {\"references\": "
	    "[\"aws_vpc.v.id\", \"aws_vpc.v\"]}}},\n"
	    "  {\"address\": \"aws_elb.e\", \"mode\": \"managed\", \"type\": "
	    "\"aws_elb\", \"name\": \"e\", \"expressions\": "
	    "{\"security_groups\": {\"references\": "
	    "[\"aws_security_group.web.id\", \"aws_security_group.web\"]}}},\n"
	    "  {\"address\": \"aws_eks_cluster.k\", \"mode\": \"managed\", "
	    "\"type\": \"aws_eks_cluster\", \"name\": \"k\", \"expressions\": "
	    "{\"vpc_config\": [{\"security_group_ids\": {\"references\": "
	    "[\"aws_security_group.eks.id\", "
	    "\"aws_security_group.eks\"]}}]}}]}}}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "use.json", plan, strlen(plan), &d);
	if (rc)
		diag_dump(&d);
	ck_assert_int_eq(rc, 0);
	ASSERT_DIAG(&d,
		    "use.json:7:3: warning: aws_elb.e is left out of the "
		    "model: it sets neither subnets nor availability_zones, "
		    "and AWS creates no classic load balancer without one "
		    "(the apply fails there)");
	ck_assert_ptr_null(model_find(m, "aws_elb.e"));
	ck_assert_uint_eq(m->n[MK_LOAD_BALANCER], 0);
	struct finding_list l = {0};
	rules_run(&l, m, NULL);
	uint32_t n;
	ck_assert_ptr_null(
	    finding_on(&l, "VS016", "aws_security_group.web", &n));
	ck_assert_ptr_null(
	    finding_on(&l, "VS016", "aws_security_group.eks", &n));
	ck_assert_ptr_nonnull(
	    finding_on(&l, "VS016", "aws_security_group.idle", &n));
	findings_free(&l);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

Suite *tfplan_suite(void)
{
	Suite *s = suite_create("tfplan");
	TCase *tc = tcase_create("real");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, module_vpc_3az);
	tcase_add_test(tc, real_158);
	tcase_add_test(tc, four_subnets_no_az);
	tcase_add_test(tc, real_172);
	suite_add_tcase(s, tc);
	tc = tcase_create("canonical");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, three_tier_verdicts, 0, 4);
	tcase_add_test(tc, three_tier_model);
	suite_add_tcase(s, tc);
	tc = tcase_create("references");
	tcase_add_test(tc, modules_and_instances);
	tcase_add_test(tc, features);
	tcase_add_test(tc, default_group_synthesized);
	tcase_add_test(tc, dualstack);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, error_format_version);
	tcase_add_test(tc, error_malformed_json);
	tcase_add_test(tc, error_values);
	tcase_add_test(tc, error_unreadable);
	suite_add_tcase(s, tc);
	tc = tcase_create("outside");
	tcase_add_test(tc, outside_data_vpc);
	tcase_add_test(tc, outside_default_vpc);
	tcase_add_test(tc, unknown_whole);
	tcase_add_test(tc, unknown_reach_plan);
	tcase_add_test(tc, unknown_reach_template);
	suite_add_tcase(s, tc);
	tc = tcase_create("kinds");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, parity_cfn);
	tcase_add_test(tc, kinds_fleets);
	tcase_add_test(tc, kinds_ecs);
	tcase_add_test(tc, kinds_classic_elb);
	tcase_add_test(tc, kinds_stores);
	tcase_add_test(tc, defaults_adopted);
	suite_add_tcase(s, tc);
	tc = tcase_create("realworld");
	tcase_add_loop_test(tc, route_block_sole_gateway, 0, 3);
	tcase_add_test(tc, nlb_listener_refused);
	tcase_add_test(tc, outside_group_rules);
	tcase_add_test(tc, skipped_references_use);
	suite_add_tcase(s, tc);
	return s;
}
