/*
 * Tests for the structural rules of rules/config_rules.c (VS008-VS016,
 * VS018).  Each rule is run alone (rule_options.only) over a small YAML
 * model, or a scenario or example of the repository, and checked both
 * ways: it fires on the broken case, with the right resource, fingerprint
 * and the key words of its message, and it is silent on the fixed one.
 * Every model and finding list is freed: the suite also runs under ASan's
 * leak checker with CK_FORK=no.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "load/load.h"
#include "rules/rules.h"

/* ---- helpers --------------------------------------------------------- */

static struct model *load_text(const char *yaml)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "test.yaml", yaml, strlen(yaml), &d);
	char msg[2048] = "";
	size_t n = 0;
	for (size_t i = 0; i < d.n && n < sizeof(msg) - 200; i++)
		n += (size_t)snprintf(msg + n, sizeof(msg) - n, "\n  %u:%u: %s",
				      d.v[i].line, d.v[i].col, d.v[i].message);
	size_t errors = d.n_errors;
	diag_list_free(&d);
	if (rc != 0 || !m || errors) {
		model_free(m);
		ck_abort_msg("load failed (rc %d):%s", rc, msg);
	}
	return m;
}

static struct model *load_path(const char *path)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_files(&m, &path, 1, NULL, 0, &d);
	size_t errors = d.n_errors;
	diag_list_free(&d);
	if (rc != 0 || !m || errors) {
		model_free(m);
		ck_abort_msg("%s did not load", path);
	}
	return m;
}

/* Runs one rule over m. */
static struct finding_list run(const struct model *m, const char *rule)
{
	struct finding_list l = {0};
	const char *only[] = {rule};
	struct rule_options opt = {only, 1, NULL, 0};
	rules_run(&l, m, &opt);
	return l;
}

/* The finding with this fingerprint, or NULL. */
static const struct finding *by_fp(const struct finding_list *l, const char *fp)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].fingerprint, fp))
			return &l->v[i];
	return NULL;
}

/* Every listed fragment must be in the message. */
static void has_text(const struct finding *f, const char *const *frag)
{
	for (; *frag; frag++)
		ck_assert_msg(strstr(f->message, *frag), "'%s' not in: %s",
			      *frag, f->message);
}

static bool detail_has(const struct finding *f, const char *text)
{
	for (uint32_t i = 0; i < f->n_details; i++)
		if (strstr(f->details[i], text))
			return true;
	return false;
}

/* Checks that the fingerprint is there, with the rule, resource,
 * severity and the location of the resource; returns it. */
static const struct finding *expect(const struct finding_list *l,
				    const char *fp, enum severity sev)
{
	const struct finding *f = by_fp(l, fp);
	if (!f) {
		char got[2048] = "";
		size_t n = 0;
		for (uint32_t i = 0; i < l->n && n < sizeof(got) - 300; i++)
			n += (size_t)snprintf(got + n, sizeof(got) - n,
					      "\n  %s: %s", l->v[i].fingerprint,
					      l->v[i].message);
		ck_abort_msg("no finding %s; got:%s", fp, got);
	}
	ck_assert_int_eq(f->severity, sev);
	ck_assert_ptr_nonnull(f->resource);
	ck_assert_ptr_nonnull(f->rule);
	ck_assert_uint_gt(f->loc.line, 0);
	return f;
}

static void expect_none(const struct finding_list *l)
{
	ck_assert_msg(l->n == 0, "%u finding(s), first: %s: %s", l->n,
		      l->n ? l->v[0].fingerprint : "",
		      l->n ? l->v[0].message : "");
}

/* A VPC with a public and a private subnet in each of two zones; the
 * private ones leave through the NAT gateway of their own zone.  Tests
 * append their own sections. */
#define BASE                                                                   \
	"region: us-east-1\n"                                                  \
	"vpcs:\n"                                                              \
	"  main: {cidr: 10.0.0.0/16}\n"                                        \
	"internet_gateways:\n"                                                 \
	"  igw: {vpc: main}\n"                                                 \
	"subnets:\n"                                                           \
	"  pub-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, "             \
	"route_table: pub-rt}\n"                                               \
	"  pub-b: {vpc: main, cidr: 10.0.3.0/24, az: us-east-1b, "             \
	"route_table: pub-rt}\n"                                               \
	"  priv-a: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1a, "            \
	"route_table: priv-a-rt}\n"                                            \
	"  priv-b: {vpc: main, cidr: 10.0.4.0/24, az: us-east-1b, "            \
	"route_table: priv-b-rt}\n"                                            \
	"route_tables:\n"                                                      \
	"  pub-rt: {vpc: main, routes: [{destination: 0.0.0.0/0, target: "     \
	"igw}]}\n"                                                             \
	"  priv-a-rt: {vpc: main, routes: [{destination: 0.0.0.0/0, target: "  \
	"nat-a}]}\n"                                                           \
	"  priv-b-rt: {vpc: main, routes: [{destination: 0.0.0.0/0, target: "  \
	"nat-b}]}\n"                                                           \
	"nat_gateways:\n"                                                      \
	"  nat-a: {subnet: pub-a, elastic_ip: true}\n"                         \
	"  nat-b: {subnet: pub-b, elastic_ip: true}\n"

#define TF_NO_AZ "tests/tfplan/four-subnets-no-az.plan.json"

/* ---- the table ------------------------------------------------------- */

START_TEST(test_defs)
{
	static const char *const ids[] = {"VS008", "VS009", "VS010", "VS011",
					  "VS012", "VS013", "VS014", "VS015",
					  "VS016", "VS018"};
	static const char *const names[] = {"public-lb-private-subnet",
					    "nat-in-private-subnet",
					    "single-az",
					    "nat-cross-az",
					    "subnet-too-small",
					    "http-no-redirect",
					    "nacl-rule-shadowed",
					    "sg-rule-never-matches",
					    "unused-resource",
					    "unknown-value"};
	static const enum severity sev[] = {
	    SEV_ERROR,	 SEV_ERROR, SEV_WARNING, SEV_WARNING, SEV_ERROR,
	    SEV_WARNING, SEV_INFO,  SEV_INFO,	 SEV_INFO,    SEV_WARNING};
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++) {
		const struct rule_def *d = rules_find(ids[i]);
		ck_assert_ptr_nonnull(d);
		ck_assert_str_eq(d->name, names[i]);
		ck_assert_ptr_eq(rules_find(names[i]), d);
		ck_assert_int_eq(d->severity, sev[i]);
		ck_assert_uint_gt(strlen(d->title), 10);
		ck_assert_uint_gt(strlen(d->rationale), 200);
		ck_assert_uint_gt(strlen(d->fix), 40);
		ck_assert_ptr_nonnull(d->run);
	}
	/* The merged registry stays sorted by id. */
	uint32_t n;
	const struct rule_def *all = rules_builtin(&n);
	for (uint32_t i = 1; i < n; i++)
		ck_assert_int_lt(strcmp(all[i - 1].id, all[i].id), 0);
}
END_TEST

/* ---- VS008 public-lb-private-subnet ------------------------------------ */

#define LB(scheme, subnets)                                                    \
	"load_balancers:\n"                                                    \
	"  alb:\n"                                                             \
	"    type: application\n"                                              \
	"    scheme: " scheme "\n"                                             \
	"    subnets: " subnets "\n"                                           \
	"    listeners: [{port: 80, protocol: HTTP, fixed_response: {}}]\n"

START_TEST(test_vs008_fires)
{
	struct model *m =
	    load_text(BASE LB("internet-facing", "[pub-a, priv-b]"));
	struct finding_list l = run(m, "VS008");
	ck_assert_uint_eq(l.n, 1);
	const struct finding *f = expect(&l, "VS008|alb|priv-b", SEV_ERROR);
	ck_assert_str_eq(f->resource, "alb");
	ck_assert_int_eq(f->kind, MK_LOAD_BALANCER);
	has_text(f,
		 (const char *const[]){
		     "internet-facing load balancer 'alb'",
		     "private subnet 'priv-b'",
		     "route table 'priv-b-rt' sends 0.0.0.0/0 to nat-gateway "
		     "'nat-b'",
		     NULL});
	ck_assert(detail_has(f, "1 in 2"));
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs008_silent)
{
	/* Public subnets: the fix. */
	struct model *m =
	    load_text(BASE LB("internet-facing", "[pub-a, pub-b]"));
	struct finding_list l = run(m, "VS008");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	/* An internal load balancer belongs in private subnets. */
	m = load_text(BASE LB("internal", "[priv-a, priv-b]"));
	l = run(m, "VS008");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	m = load_path("scenarios/three-tier.yaml");
	l = run(m, "VS008");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* The plan leaves the public route table's gateway unknown (a Terraform
 * 0.12 route block whose VPC has an internet and a VPN gateway): the
 * subnets look private, and the rule says it cannot tell rather than
 * erring. */
START_TEST(test_vs008_unknown_route)
{
	struct model *m = load_path("tests/tfplan/route-unknown.plan.json");
	struct finding_list l = run(m, "VS008");
	ck_assert_uint_eq(l.n, 2);
	const struct finding *f =
	    expect(&l, "VS008|aws_lb.n|aws_subnet.a", SEV_WARNING);
	has_text(f, (const char *const[]){"may have a node",
					  "depends on values the input does "
					  "not give",
					  NULL});
	ck_assert(detail_has(f, "gateway_id is known only after apply"));
	/* The subnet's unknown zone does not bear on its routes. */
	ck_assert(!detail_has(f, "availability_zone"));
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- VS009 nat-in-private-subnet --------------------------------------- */

START_TEST(test_vs009_scenario)
{
	struct model *m = load_path("scenarios/nat-in-private-subnet.yaml");
	struct finding_list l = run(m, "VS009");
	ck_assert_uint_eq(l.n, 2);
	const struct finding *f =
	    expect(&l, "VS009|nat-a|private-subnet", SEV_ERROR);
	has_text(f, (const char *const[]){"NAT gateway 'nat-a'",
					  "private subnet 'private-a'",
					  "cannot reach the internet", NULL});
	ck_assert(detail_has(f, "goes to it: private-a"));
	expect(&l, "VS009|nat-b|private-subnet", SEV_ERROR);
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs009_kinds)
{
	/* nat-kinds: one without an Elastic IP is reported; the private NAT
	 * gateway and the working one are not. */
	struct model *m = load_path("scenarios/nat-kinds.yaml");
	struct finding_list l = run(m, "VS009");
	ck_assert_uint_eq(l.n, 1);
	const struct finding *f =
	    expect(&l, "VS009|nat-noeip|no-elastic-ip", SEV_ERROR);
	has_text(f, (const char *const[]){"public NAT gateway 'nat-noeip'",
					  "no Elastic IP", NULL});
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs009_silent)
{
	struct model *m = load_path("scenarios/three-tier.yaml");
	struct finding_list l = run(m, "VS009");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	/* A private NAT gateway is meant for a private subnet. */
	m = load_text(BASE
		      "  nat-p: {subnet: priv-a, connectivity: private}\n");
	l = run(m, "VS009");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- VS010 single-az --------------------------------------------------- */

START_TEST(test_vs010_fires)
{
	struct model *m = load_text(BASE LB(
	    "internal",
	    "[priv-a]") "task_definitions:\n"
			"  app: {containers: {app: {ports: [80]}}}\n"
			"services:\n"
			"  one-az: {task_definition: app, desired_count: 2, "
			"subnets: [priv-a]}\n"
			"databases:\n"
			"  pinned: {engine: postgres, subnets: [priv-a, "
			"priv-b], "
			"availability_zone: us-east-1b}\n"
			"  single: {engine: mysql, subnets: [priv-a, priv-b]}\n"
			"  standby-nowhere: {engine: mysql, subnets: [priv-a], "
			"multi_az: true}\n");
	struct finding_list l = run(m, "VS010");
	ck_assert_uint_eq(l.n, 5);
	const struct finding *f = expect(&l, "VS010|alb|", SEV_WARNING);
	has_text(f, (const char *const[]){"load balancer 'alb'",
					  "one availability zone only "
					  "(us-east-1a)",
					  NULL});
	ck_assert(detail_has(f, "at least two zones"));
	f = expect(&l, "VS010|one-az|", SEV_WARNING);
	has_text(f, (const char *const[]){"ECS service 'one-az'",
					  "(us-east-1a)", NULL});
	f = expect(&l, "VS010|pinned|", SEV_WARNING);
	has_text(f, (const char *const[]){"database 'pinned'",
					  "one availability zone only "
					  "(us-east-1b)",
					  "no Multi-AZ standby", NULL});
	f = expect(&l, "VS010|single|", SEV_WARNING);
	has_text(f,
		 (const char *const[]){"database 'single' has no Multi-AZ "
				       "standby",
				       "one of us-east-1a, us-east-1b", NULL});
	f = expect(&l, "VS010|standby-nowhere|standby", SEV_WARNING);
	has_text(f,
		 (const char *const[]){"Multi-AZ database "
				       "'standby-nowhere'",
				       "its standby has no other zone", NULL});
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs010_silent)
{
	/* The canonical scenario: the ALB and the service span two zones,
	 * the database is Multi-AZ and its replica is not counted. */
	struct model *m = load_path("scenarios/three-tier.yaml");
	struct finding_list l = run(m, "VS010");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	m = load_text(BASE LB(
	    "internal",
	    "[priv-a, priv-b]") "task_definitions:\n"
				"  app: {containers: {app: {ports: [80]}}}\n"
				"services:\n"
				"  two-az: {task_definition: app, "
				"desired_count: 2, "
				"subnets: [priv-a, priv-b]}\n"
				"  stopped: {task_definition: app, "
				"desired_count: 0, "
				"subnets: [priv-a]}\n"
				"databases:\n"
				"  ha: {engine: mysql, subnets: [priv-a, "
				"priv-b], "
				"multi_az: true}\n"
				"  ro: {replica_of: ha, availability_zone: "
				"us-east-1a}\n"
				"  cluster-member: {engine: aurora-mysql, "
				"subnets: "
				"[priv-a, priv-b]}\n");
	l = run(m, "VS010");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- VS011 nat-cross-az ------------------------------------------------ */

START_TEST(test_vs011_fires)
{
	/* priv-b-rt sends zone b to the NAT gateway of zone a. */
	static const char y[] =
	    "vpcs:\n"
	    "  main: {cidr: 10.0.0.0/16}\n"
	    "internet_gateways:\n"
	    "  igw: {vpc: main}\n"
	    "subnets:\n"
	    "  pub-a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, "
	    "route_table: pub-rt}\n"
	    "  priv-a: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1a, "
	    "route_table: priv-rt}\n"
	    "  priv-b: {vpc: main, cidr: 10.0.4.0/24, az: us-east-1b, "
	    "route_table: priv-rt}\n"
	    "route_tables:\n"
	    "  pub-rt: {vpc: main, routes: [{destination: 0.0.0.0/0, "
	    "target: igw}]}\n"
	    "  priv-rt:\n"
	    "    vpc: main\n"
	    "    routes:\n"
	    "      - {destination: 0.0.0.0/0, target: nat-a}\n"
	    "nat_gateways:\n"
	    "  nat-a: {subnet: pub-a, elastic_ip: true}\n";
	struct model *m = load_text(y);
	struct finding_list l = run(m, "VS011");
	ck_assert_uint_eq(l.n, 1);
	const struct finding *f = expect(&l, "VS011|priv-b|nat-a", SEV_WARNING);
	ck_assert_int_eq(f->kind, MK_SUBNET);
	has_text(f, (const char *const[]){"subnet 'priv-b' (us-east-1b)",
					  "NAT gateway 'nat-a'",
					  "another availability zone "
					  "(us-east-1a)",
					  NULL});
	ck_assert(detail_has(f, "route table 'priv-rt', route 1 (line 14)"));
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs011_silent)
{
	struct model *m = load_text(BASE);
	struct finding_list l = run(m, "VS011");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- VS012 subnet-too-small -------------------------------------------- */

#define SMALL(count)                                                           \
	"vpcs:\n"                                                              \
	"  main: {cidr: 10.0.0.0/16}\n"                                        \
	"subnets:\n"                                                           \
	"  tiny: {vpc: main, cidr: 10.0.9.0/28, az: us-east-1a}\n"             \
	"  tiny-b: {vpc: main, cidr: 10.0.9.16/28, az: us-east-1b}\n"          \
	"task_definitions:\n"                                                  \
	"  app: {containers: {app: {ports: [80]}}}\n"                          \
	"services:\n"                                                          \
	"  web: {task_definition: app, desired_count: " count                  \
	", subnets: [tiny, tiny-b]}\n"                                         \
	"load_balancers:\n"                                                    \
	"  lb: {type: application, scheme: internal, subnets: [tiny, "         \
	"tiny-b]}\n"

START_TEST(test_vs012_tasks)
{
	/* 21 tasks: 11 in tiny, 10 in tiny-b, plus a node in each: 12 and
	 * 11 addresses for 11 usable. */
	struct model *m = load_text(SMALL("21"));
	struct finding_list l = run(m, "VS012");
	ck_assert_uint_eq(l.n, 1);
	const struct finding *f = expect(&l, "VS012|tiny|", SEV_ERROR);
	ck_assert_int_eq(f->kind, MK_SUBNET);
	has_text(f, (const char *const[]){"subnet 'tiny' (10.0.9.0/28) is "
					  "too small",
					  "11 usable addresses (16 - 5), 12 "
					  "needed",
					  NULL});
	ck_assert(detail_has(f, "ECS service 'web': 11 tasks"));
	ck_assert(detail_has(f, "load balancer 'lb': 1 address"));
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs012_exhausted)
{
	/* Twelve instances in a /28: the last gets no address. */
	char y[4096];
	size_t n = (size_t)snprintf(y, sizeof(y),
				    "vpcs:\n  main: {cidr: 10.0.0.0/16}\n"
				    "subnets:\n  tiny: {vpc: main, cidr: "
				    "10.0.9.0/28, az: us-east-1a}\n"
				    "instances:\n");
	for (int i = 0; i < 12; i++)
		n += (size_t)snprintf(y + n, sizeof(y) - n,
				      "  h%02d: {subnet: tiny}\n", i);
	struct model *m = load_text(y);
	struct finding_list l = run(m, "VS012");
	ck_assert_uint_eq(l.n, 1);
	const struct finding *f = expect(&l, "VS012|tiny|", SEV_ERROR);
	has_text(f, (const char *const[]){"11 usable addresses (16 - 5), 12 "
					  "needed",
					  NULL});
	ck_assert(detail_has(f, "instance 'h11': 1 address (none was left "
				"for it)"));
	ck_assert(!detail_has(f, "instance 'h10': 1 address (none"));
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs012_silent)
{
	/* 20 tasks: 10 + a node in each subnet, 11 of 11. */
	struct model *m = load_text(SMALL("20"));
	struct finding_list l = run(m, "VS012");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	m = load_path("scenarios/three-tier.yaml");
	l = run(m, "VS012");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- VS013 http-no-redirect -------------------------------------------- */

#define WEB_LB(scheme, listeners)                                              \
	BASE "target_groups:\n"                                                \
	     "  web-tg: {protocol: HTTP, port: 80}\n"                          \
	     "load_balancers:\n"                                               \
	     "  alb:\n"                                                        \
	     "    type: application\n"                                         \
	     "    scheme: " scheme "\n"                                        \
	     "    subnets: [pub-a, pub-b]\n"                                   \
	     "    listeners:\n" listeners

#define HTTPS_443 "      - {port: 443, protocol: HTTPS, forward: web-tg}\n"

START_TEST(test_vs013_forward)
{
	struct model *m = load_text(WEB_LB(
	    "internet-facing",
	    "      - {port: 80, protocol: HTTP, forward: web-tg}\n" HTTPS_443));
	struct finding_list l = run(m, "VS013");
	ck_assert_uint_eq(l.n, 1);
	const struct finding *f =
	    expect(&l, "VS013|alb|listener-80", SEV_WARNING);
	has_text(f, (const char *const[]){"HTTP listener 80 (line 26)",
					  "forwards to 'web-tg' over plain "
					  "HTTP",
					  "HTTPS listener 443", NULL});
	ck_assert(detail_has(f, "redirect: {port: 443, protocol: HTTPS}"));
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs013_other_actions)
{
	/* A redirect that keeps the request's protocol, and a fixed
	 * response, are not redirects to HTTPS either. */
	struct model *m = load_text(WEB_LB(
	    "internet-facing",
	    "      - {port: 80, protocol: HTTP, redirect: {port: 8080}}\n"
	    "      - {port: 81, protocol: HTTP, fixed_response: "
	    "{status_code: 404}}\n" HTTPS_443));
	struct finding_list l = run(m, "VS013");
	ck_assert_uint_eq(l.n, 2);
	const struct finding *f =
	    expect(&l, "VS013|alb|listener-80", SEV_WARNING);
	has_text(f, (const char *const[]){"redirects, but not to HTTPS", NULL});
	f = expect(&l, "VS013|alb|listener-81", SEV_WARNING);
	has_text(f, (const char *const[]){"fixed 404 response", NULL});
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs013_silent)
{
	/* The fix: redirect to HTTPS. */
	struct model *m = load_text(
	    WEB_LB("internet-facing",
		   "      - {port: 80, protocol: HTTP, redirect: {port: 443, "
		   "protocol: HTTPS}}\n" HTTPS_443));
	struct finding_list l = run(m, "VS013");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	/* HTTP only: plain HTTP by design. */
	m = load_text(
	    WEB_LB("internet-facing",
		   "      - {port: 80, protocol: HTTP, forward: web-tg}\n"
		   "      - {port: 8080, protocol: HTTP, forward: web-tg}\n"));
	l = run(m, "VS013");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	/* Internal: no internet client to protect. */
	m = load_text(WEB_LB(
	    "internal",
	    "      - {port: 80, protocol: HTTP, forward: web-tg}\n" HTTPS_443));
	l = run(m, "VS013");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	m = load_path("scenarios/three-tier.yaml");
	l = run(m, "VS013");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- VS014 nacl-rule-shadowed ------------------------------------------ */

#define NACL(inbound, outbound)                                                \
	"vpcs:\n"                                                              \
	"  main: {cidr: 10.0.0.0/16, ipv6_cidrs: [\"2600:1f18::/56\"]}\n"      \
	"subnets:\n"                                                           \
	"  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, network_acl: "    \
	"acl}\n"                                                               \
	"network_acls:\n"                                                      \
	"  acl:\n"                                                             \
	"    vpc: main\n"                                                      \
	"    inbound:\n" inbound "    outbound:\n" outbound

#define OUT_ALL                                                                \
	"      - {rule: 100, action: allow, protocol: all, cidr: 0.0.0.0/0}\n"

START_TEST(test_vs014_single)
{
	struct model *m = load_text(NACL(
	    "      - {rule: 100, action: allow, protocol: tcp, ports: all, "
	    "cidr: 0.0.0.0/0}\n"
	    "      - {rule: 200, action: deny, protocol: tcp, ports: 22, "
	    "cidr: 10.0.0.0/8}\n"
	    /* 200 takes a share of 300's traffic, but that share is
	     * 100's already: only 100 decides */
	    "      - {rule: 300, action: allow, protocol: tcp, ports: 22, "
	    "cidr: 10.1.0.0/16}\n",
	    OUT_ALL));
	struct finding_list l = run(m, "VS014");
	ck_assert_uint_eq(l.n, 2);
	const struct finding *f = expect(&l, "VS014|acl|inbound-200", SEV_INFO);
	ck_assert_int_eq(f->kind, MK_NETWORK_ACL);
	has_text(
	    f, (const char *const[]){
		   "network ACL 'acl': inbound rule 200 (line 10: deny tcp 22 "
		   "from 10.0.0.0/8) never decides anything",
		   "rule 100 matches all its traffic first", NULL});
	ck_assert(detail_has(f, "it decides the opposite (allow): rule 200's "
				"deny never applies"));
	f = expect(&l, "VS014|acl|inbound-300", SEV_INFO);
	has_text(
	    f, (const char *const[]){"rule 100 matches all its traffic", NULL});
	ck_assert(detail_has(f, "it decides the same way (allow): removing "
				"rule 300 changes nothing"));
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs014_unions)
{
	struct model *m = load_text(NACL(
	    /* ports: 1-1000 and 1001-65535 together cover 900-1100 */
	    "      - {rule: 100, action: allow, protocol: tcp, ports: "
	    "1-1000, cidr: 10.0.0.0/16}\n"
	    "      - {rule: 110, action: allow, protocol: tcp, ports: "
	    "1001-65535, cidr: 10.0.0.0/16}\n"
	    "      - {rule: 120, action: allow, protocol: tcp, ports: "
	    "900-1100, cidr: 10.0.1.0/24}\n"
	    /* addresses: two halves of the internet cover it all */
	    "      - {rule: 200, action: deny, protocol: udp, ports: all, "
	    "cidr: 0.0.0.0/1}\n"
	    "      - {rule: 210, action: deny, protocol: all, cidr: "
	    "128.0.0.0/1}\n"
	    "      - {rule: 220, action: allow, protocol: udp, ports: 53, "
	    "cidr: 0.0.0.0/0}\n"
	    /* icmp: any type covers echo */
	    "      - {rule: 300, action: allow, protocol: icmp, cidr: "
	    "0.0.0.0/0}\n"
	    "      - {rule: 310, action: deny, protocol: icmp, icmp_type: 8, "
	    "cidr: 10.2.0.0/24}\n"
	    /* IPv6: containment */
	    "      - {rule: 400, action: allow, protocol: all, cidr: "
	    "\"::/0\"}\n"
	    "      - {rule: 410, action: deny, protocol: tcp, ports: 22, "
	    "cidr: \"2001:db8::/32\"}\n",
	    OUT_ALL));
	struct finding_list l = run(m, "VS014");
	ck_assert_uint_eq(l.n, 4);
	const struct finding *f = expect(&l, "VS014|acl|inbound-120", SEV_INFO);
	has_text(f,
		 (const char *const[]){
		     "rules 100 and 110 together match all its traffic first",
		     NULL});
	ck_assert(detail_has(f, "they decide the same way (allow)"));
	f = expect(&l, "VS014|acl|inbound-220", SEV_INFO);
	has_text(
	    f, (const char *const[]){"rules 200 and 210 together match", NULL});
	ck_assert(detail_has(f, "they decide the opposite (deny)"));
	f = expect(&l, "VS014|acl|inbound-310", SEV_INFO);
	has_text(f, (const char *const[]){"rule 300 matches", NULL});
	f = expect(&l, "VS014|acl|inbound-410", SEV_INFO);
	has_text(f,
		 (const char *const[]){"from 2001:db8::/32", "rule 400", NULL});
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs014_silent)
{
	/* Partial overlaps, other protocols, other directions and IPv4
	 * against IPv6 leave each rule something to decide. */
	struct model *m = load_text(NACL(
	    "      - {rule: 100, action: allow, protocol: tcp, ports: 443, "
	    "cidr: 10.0.0.0/16}\n"
	    "      - {rule: 110, action: deny, protocol: tcp, ports: 1-1000, "
	    "cidr: 10.0.0.0/16}\n"
	    "      - {rule: 120, action: allow, protocol: udp, ports: 443, "
	    "cidr: 10.0.0.0/16}\n"
	    "      - {rule: 130, action: allow, protocol: tcp, ports: 443, "
	    "cidr: 10.0.0.0/8}\n"
	    "      - {rule: 140, action: allow, protocol: all, cidr: "
	    "\"::/0\"}\n"
	    "      - {rule: 150, action: deny, protocol: all, cidr: "
	    "0.0.0.0/0}\n"
	    "      - {rule: 160, action: allow, protocol: icmpv6, "
	    "icmp_type: 128, cidr: \"::/0\"}\n",
	    "      - {rule: 100, action: allow, protocol: tcp, ports: 443, "
	    "cidr: 10.0.0.0/16}\n"));
	struct finding_list l = run(m, "VS014");
	/* Only 160 is shadowed (by 140: all IPv6 traffic). */
	ck_assert_uint_eq(l.n, 1);
	expect(&l, "VS014|acl|inbound-160", SEV_INFO);
	findings_free(&l);
	model_free(m);
	m = load_path("scenarios/nacl-deny-before-allow.yaml");
	l = run(m, "VS014");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	m = load_path("scenarios/three-tier.yaml");
	l = run(m, "VS014");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- VS015 sg-rule-never-matches --------------------------------------- */

#define SG_BASE                                                                \
	"vpcs:\n"                                                              \
	"  main: {cidr: 10.0.0.0/16}\n"                                        \
	"  other: {cidr: 10.9.0.0/16}\n"                                       \
	"subnets:\n"                                                           \
	"  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"                \
	"  o: {vpc: other, cidr: 10.9.1.0/24, az: us-east-1a}\n"               \
	"instances:\n"                                                         \
	"  h: {subnet: a, security_groups: [sg]}\n"                            \
	"  peer: {subnet: a, security_groups: [used]}\n"                       \
	"  far: {subnet: o, security_groups: [far-sg]}\n"                      \
	"prefix_lists:\n"                                                      \
	"  office: {cidrs: [192.0.2.0/24, 198.51.100.0/24]}\n"                 \
	"  empty: {cidrs: []}\n"                                               \
	"security_groups:\n"                                                   \
	"  used: {vpc: main}\n"                                                \
	"  nobody: {vpc: main}\n"                                              \
	"  far-sg: {vpc: other}\n"                                             \
	"  sg:\n"                                                              \
	"    vpc: main\n"                                                      \
	"    ingress:\n"

START_TEST(test_vs015_never)
{
	struct model *m = load_text(
	    SG_BASE "      - {protocol: tcp, ports: 80, from: nobody}\n"
		    "      - {protocol: tcp, ports: 80, from: far-sg}\n"
		    "      - {protocol: tcp, ports: 22, from: \"::/0\"}\n"
		    "      - {protocol: icmpv6, from: 10.0.0.0/16}\n"
		    "      - {protocol: icmp, from: \"2001:db8::/32\"}\n"
		    "      - {protocol: tcp, ports: 443, from: used}\n"
		    "      - {protocol: udp, ports: 53, from: empty}\n");
	struct finding_list l = run(m, "VS015");
	ck_assert_uint_eq(l.n, 6);
	const struct finding *f =
	    expect(&l, "VS015|sg|ingress:tcp:80:sg=nobody", SEV_INFO);
	ck_assert_int_eq(f->kind, MK_SECURITY_GROUP);
	has_text(
	    f, (const char *const[]){
		   "security group 'sg': ingress rule 1 (line 21: tcp 80 from "
		   "group nobody) never matches",
		   "no resource carries group 'nobody'", NULL});
	f = expect(&l, "VS015|sg|ingress:tcp:80:sg=far-sg", SEV_INFO);
	has_text(f, (const char *const[]){"group 'far-sg' is in VPC 'other', "
					  "which is not peered with VPC "
					  "'main'",
					  NULL});
	f = expect(&l, "VS015|sg|ingress:tcp:22:::/0", SEV_INFO);
	has_text(f,
		 (const char *const[]){"VPC 'main' has no IPv6 block", NULL});
	f = expect(&l, "VS015|sg|ingress:icmpv6:-1/-1:10.0.0.0/16", SEV_INFO);
	has_text(f,
		 (const char *const[]){"ICMPv6 travels over IPv6 only", NULL});
	f = expect(&l, "VS015|sg|ingress:icmp:-1/-1:2001:db8::/32", SEV_INFO);
	has_text(f, (const char *const[]){"ICMP (for IPv4) never", NULL});
	f = expect(&l, "VS015|sg|ingress:udp:53:pl=empty", SEV_INFO);
	has_text(f, (const char *const[]){"from prefix list empty",
					  "prefix list 'empty' holds no CIDR",
					  NULL});
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs015_redundant)
{
	struct model *m = load_text(
	    SG_BASE
	    /* 1 and 2 are equal: the later is reported */
	    "      - {protocol: tcp, ports: 443, from: 10.0.0.0/16}\n"
	    "      - {protocol: tcp, ports: 443, from: 10.0.0.0/16}\n"
	    /* 5 covers 3 and 4 together covers 5: 5 is reported, then
	     * neither 3 nor 4 is covered any more */
	    "      - {protocol: tcp, ports: 8000-8090, from: 10.0.0.0/8}\n"
	    "      - {protocol: tcp, ports: 8085-8095, from: 10.0.0.0/8}\n"
	    "      - {protocol: tcp, ports: 8000-8095, from: 10.0.0.0/8}\n"
	    /* a group's members live in its VPC's block */
	    "      - {protocol: tcp, ports: 8080, from: used}\n"
	    /* the prefix list's blocks are inside 192.0.0.0/2 */
	    "      - {protocol: udp, ports: 53, from: office}\n"
	    "      - {protocol: udp, ports: all, from: 192.0.0.0/2}\n");
	struct finding_list l = run(m, "VS015");
	ck_assert_uint_eq(l.n, 4);
	const struct finding *f =
	    expect(&l, "VS015|sg|ingress:tcp:443:10.0.0.0/16", SEV_INFO);
	has_text(f, (const char *const[]){
			"ingress rule 2 (line 22: tcp 443 from 10.0.0.0/16) is "
			"redundant: rule 1 already allows all it allows",
			NULL});
	f = expect(&l, "VS015|sg|ingress:tcp:8000-8095:10.0.0.0/8", SEV_INFO);
	has_text(f, (const char *const[]){"rules 3 and 4 already allow", NULL});
	f = expect(&l, "VS015|sg|ingress:tcp:8080:sg=used", SEV_INFO);
	has_text(f, (const char *const[]){"from group used",
					  "rules 3 and 5 already allow", NULL});
	f = expect(&l, "VS015|sg|ingress:udp:53:pl=office", SEV_INFO);
	has_text(f, (const char *const[]){"from prefix list office",
					  "rule 8 already allows", NULL});
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs015_default_egress)
{
	/* A CDK template: the load balancer's group keeps AWS's allow-all
	 * egress and a standalone egress rule adds one port to it. */
	struct model *m = load_path("tests/cfn/examples/Base.template.json");
	struct finding_list l = run(m, "VS015");
	ck_assert_uint_eq(l.n, 1);
	const struct finding *f =
	    expect(&l,
		   "VS015|WebLBSecurityGroupAD942A36|"
		   "egress:tcp:8080:sg=WebServiceSecurityGroupBAF50CC8",
		   SEV_INFO);
	has_text(f, (const char *const[]){"egress rule 2 (line 450: tcp 8080 "
					  "to group "
					  "WebServiceSecurityGroupBAF50CC8)",
					  "AWS's default allow-all egress "
					  "rule already allows",
					  NULL});
	findings_free(&l);
	model_free(m);
}
END_TEST

/* Two stacks loaded together: the app's group names the network
 * stack's shared group, which nothing in the load carries.  The group is
 * an export ("shared-sg"): any stack of the account may import it and
 * carry it, so the rule that names it is no rule "no resource carries"
 * (docs/realworld.md, the mu stacks), though the app stack imports it. */
START_TEST(test_vs015_stacks)
{
	static const char *const paths[] = {"tests/cfn/stacks/app.yaml",
					    "tests/cfn/stacks/network.yaml"};
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_files(&m, paths, 2, NULL, 0, &d);
	diag_list_free(&d);
	ck_assert_int_eq(rc, 0);
	struct finding_list l = run(m, "VS015");
	ck_assert_uint_eq(l.n, 0);
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs015_silent)
{
	/* Different ports, peers, protocols: nothing covers anything;
	 * peering makes the other VPC's group a valid reference. */
	struct model *m = load_text(
	    SG_BASE "      - {protocol: tcp, ports: 443, from: 10.0.1.0/24}\n"
		    "      - {protocol: tcp, ports: 443, from: used}\n"
		    "      - {protocol: tcp, ports: 444, from: 10.0.0.0/8}\n"
		    "      - {protocol: udp, ports: 443, from: 10.0.0.0/16}\n"
		    "      - {protocol: tcp, ports: 80, from: far-sg}\n"
		    "      - {protocol: icmp, icmp_type: 8, from: 0.0.0.0/0}\n"
		    "      - {protocol: icmp, icmp_type: 0, from: 0.0.0.0/0}\n"
		    "peerings:\n"
		    "  p: {requester: main, accepter: other}\n");
	struct finding_list l = run(m, "VS015");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	/* With IPv6 in the VPC, a group reference also matches the members'
	 * IPv6 addresses, which 0.0.0.0/0 does not cover. */
	m = load_text("vpcs:\n"
		      "  main: {cidr: 10.0.0.0/16, ipv6_cidrs: "
		      "[\"2600:1f18::/56\"]}\n"
		      "subnets:\n"
		      "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"
		      "instances:\n"
		      "  h: {subnet: a, security_groups: [sg]}\n"
		      "  peer: {subnet: a, security_groups: [used]}\n"
		      "security_groups:\n"
		      "  used: {vpc: main}\n"
		      "  sg:\n"
		      "    vpc: main\n"
		      "    ingress:\n"
		      "      - {protocol: tcp, ports: 443, from: 0.0.0.0/0}\n"
		      "      - {protocol: tcp, ports: 443, from: used}\n");
	l = run(m, "VS015");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	m = load_path("scenarios/three-tier.yaml");
	l = run(m, "VS015");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- VS016 unused-resource --------------------------------------------- */

START_TEST(test_vs016_fires)
{
	struct model *m = load_text(
	    BASE "  nat-spare: {subnet: pub-b, elastic_ip: true}\n"
		 "security_groups:\n"
		 "  orphan-sg: {vpc: main}\n"
		 "network_acls:\n"
		 "  orphan-acl: {vpc: main}\n"
		 "target_groups:\n"
		 "  orphan-tg: {protocol: HTTP, port: 80}\n"
		 "task_definitions:\n"
		 "  app: {containers: {app: {ports: [80]}}}\n"
		 "services:\n"
		 "  web: {task_definition: app, subnets: [priv-a, priv-b], "
		 "load_balancers: [{target_group: orphan-tg, port: 80}]}\n");
	struct finding_list l = run(m, "VS016");
	ck_assert_uint_eq(l.n, 4);
	const struct finding *f = expect(&l, "VS016|orphan-sg|", SEV_INFO);
	has_text(f, (const char *const[]){"security group 'orphan-sg' is "
					  "attached to nothing",
					  NULL});
	f = expect(&l, "VS016|orphan-acl|", SEV_INFO);
	has_text(f, (const char *const[]){"network ACL 'orphan-acl' is "
					  "associated with no subnet",
					  NULL});
	f = expect(&l, "VS016|orphan-tg|", SEV_INFO);
	has_text(f, (const char *const[]){"target group 'orphan-tg' receives "
					  "no traffic",
					  NULL});
	ck_assert(detail_has(f, "ECS service 'web' registers its tasks"));
	f = expect(&l, "VS016|nat-spare|", SEV_INFO);
	has_text(f, (const char *const[]){"NAT gateway 'nat-spare' is the "
					  "target of no route",
					  NULL});
	findings_free(&l);
	model_free(m);

	/* A route table that no subnet names. */
	m = load_text("vpcs:\n  main: {cidr: 10.0.0.0/16}\n"
		      "route_tables:\n  spare-rt: {vpc: main}\n");
	l = run(m, "VS016");
	ck_assert_uint_eq(l.n, 1);
	f = expect(&l, "VS016|spare-rt|", SEV_INFO);
	has_text(f, (const char *const[]){"route table 'spare-rt' is "
					  "associated with no subnet",
					  NULL});
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs016_silent)
{
	/* Synthesized main table and default NACL (used by no subnet in
	 * three-tier) are AWS's, not the user's. */
	struct model *m = load_path("scenarios/three-tier.yaml");
	struct finding_list l = run(m, "VS016");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
	/* Declared main table and default NACL, used by no subnet, and a
	 * group only referred to by another group. */
	m = load_text("vpcs:\n"
		      "  main: {cidr: 10.0.0.0/16, main_route_table: rt, "
		      "default_network_acl: acl}\n"
		      "route_tables:\n  rt: {vpc: main}\n"
		      "network_acls:\n  acl: {vpc: main}\n"
		      "subnets:\n"
		      "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"
		      "instances:\n  h: {subnet: a, security_groups: [sg]}\n"
		      "security_groups:\n"
		      "  sg: {vpc: main, ingress: [{protocol: tcp, ports: 22, "
		      "from: admin}]}\n"
		      "  admin: {vpc: main}\n");
	l = run(m, "VS016");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- VS018 unknown-value ----------------------------------------------- */

START_TEST(test_vs018_fires)
{
	struct model *m = load_path(TF_NO_AZ);
	struct finding_list l = run(m, "VS018");
	/* The public route table's gateway and four subnets' zones. */
	ck_assert_uint_eq(l.n, 5);
	const struct finding *f =
	    expect(&l, "VS018|aws_route_table.front|", SEV_WARNING);
	ck_assert_int_eq(f->kind, MK_ROUTE_TABLE);
	has_text(f, (const char *const[]){
			"route table 'aws_route_table.front' has 1 value the "
			"input does not determine",
			NULL});
	ck_assert_uint_eq(f->n_details, 1);
	ck_assert(detail_has(f, "gateway_id is known only after apply"));
	f = expect(&l, "VS018|aws_subnet.back-1|", SEV_WARNING);
	ck_assert(detail_has(f, "availability_zone"));
	findings_free(&l);
	model_free(m);
}
END_TEST

START_TEST(test_vs018_silent)
{
	struct model *m = load_path("scenarios/three-tier.yaml");
	struct finding_list l = run(m, "VS018");
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- the canonical scenario -------------------------------------------- */

/* Every structural rule at once: no finding at all on three-tier. */
START_TEST(test_three_tier_clean)
{
	struct model *m = load_path("scenarios/three-tier.yaml");
	struct finding_list l = {0};
	static const char *const only[] = {"VS008", "VS009", "VS010", "VS011",
					   "VS012", "VS013", "VS014", "VS015",
					   "VS016", "VS018"};
	struct rule_options opt = {only, 10, NULL, 0};
	rules_run(&l, m, &opt);
	expect_none(&l);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* Suppression in the model applies to these rules like any other. */
START_TEST(test_suppressed)
{
	struct model *m =
	    load_text("vpcs:\n  main: {cidr: 10.0.0.0/16}\n"
		      "security_groups:\n"
		      "  keep: {vpc: main, suppress: {rules: unused-resource, "
		      "reason: attached by the deploy pipeline}}\n");
	struct finding_list l = run(m, "VS016");
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].suppressed, "attached by the deploy pipeline");
	ck_assert(!finding_active(&l.v[0]));
	findings_free(&l);
	model_free(m);
}
END_TEST

Suite *rules_config_suite(void)
{
	Suite *s = suite_create("rules_config");
	TCase *t = tcase_create("config");
	tcase_set_timeout(t, 30);
	tcase_add_test(t, test_defs);
	tcase_add_test(t, test_vs008_fires);
	tcase_add_test(t, test_vs008_silent);
	tcase_add_test(t, test_vs008_unknown_route);
	tcase_add_test(t, test_vs009_scenario);
	tcase_add_test(t, test_vs009_kinds);
	tcase_add_test(t, test_vs009_silent);
	tcase_add_test(t, test_vs010_fires);
	tcase_add_test(t, test_vs010_silent);
	tcase_add_test(t, test_vs011_fires);
	tcase_add_test(t, test_vs011_silent);
	tcase_add_test(t, test_vs012_tasks);
	tcase_add_test(t, test_vs012_exhausted);
	tcase_add_test(t, test_vs012_silent);
	tcase_add_test(t, test_vs013_forward);
	tcase_add_test(t, test_vs013_other_actions);
	tcase_add_test(t, test_vs013_silent);
	tcase_add_test(t, test_vs014_single);
	tcase_add_test(t, test_vs014_unions);
	tcase_add_test(t, test_vs014_silent);
	tcase_add_test(t, test_vs015_never);
	tcase_add_test(t, test_vs015_redundant);
	tcase_add_test(t, test_vs015_default_egress);
	tcase_add_test(t, test_vs015_stacks);
	tcase_add_test(t, test_vs015_silent);
	tcase_add_test(t, test_vs016_fires);
	tcase_add_test(t, test_vs016_silent);
	tcase_add_test(t, test_vs018_fires);
	tcase_add_test(t, test_vs018_silent);
	tcase_add_test(t, test_three_tier_clean);
	tcase_add_test(t, test_suppressed);
	suite_add_tcase(s, t);
	return s;
}
