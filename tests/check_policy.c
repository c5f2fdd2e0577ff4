/*
 * The policy language (rules/policy.c, docs/policy.md): each form of
 * policy both ways, violated and satisfied, on the scenarios and on the
 * models of tests/policy/; the errors of policy files with their exact
 * positions and messages; and `vpcsim check --policy` exit statuses.
 *
 * Evaluation runs only the policies (policy_run on a fresh rule_ctx), so
 * these tests do not depend on the built-in rules.  Error cases write
 * their policy text to a temporary file, so the text and the expected
 * line:col sit side by side here.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "load/load.h"
#include "model/model.h"
#include "rules/rules.h"

/* ---- running policies --------------------------------------------------- */

struct outcome {
	struct model *m;
	struct ykit_section *own; /* the model's own policies */
	struct policy_set *ps;
	struct diag_list d;
	struct finding_list f;
	int rc; /* of the last policy_load_file */
};

static void outcome_free(struct outcome *o)
{
	/* Findings borrow the policy set's strings: free them first. */
	findings_free(&o->f);
	policy_set_free(o->ps);
	ykit_section_free(o->own);
	diag_list_free(&o->d);
	model_free(o->m);
	memset(o, 0, sizeof(*o));
}

static void load_model(struct outcome *o, const char *model)
{
	memset(o, 0, sizeof(*o));
	o->d = (struct diag_list)DIAG_LIST_INIT;
	ck_assert_msg(model_load_files_section(&o->m, &o->own, &model, 1, NULL,
					       0, &o->d) == 0,
		      "%s does not load", model);
}

static void evaluate(struct outcome *o)
{
	struct rule_ctx ctx;
	rule_ctx_init(&ctx, o->m, &o->f);
	policy_run(&o->f, o->ps, &ctx);
	rule_ctx_free(&ctx);
	findings_sort(&o->f);
}

/* The policies of the model's own `policies:` section, as check reads
 * them: from the document the model loader parsed. */
static int own_policies(struct outcome *o)
{
	return o->own ? policy_load_section(&o->ps, o->own, o->m, &o->d) : 0;
}

/* Loads model and its own policies, then each policy file (NULL ends),
 * and evaluates them; the policies must load without error. */
static void run_policies(struct outcome *o, const char *model, ...)
{
	load_model(o, model);
	o->rc = own_policies(o);
	ck_assert_int_eq(o->rc, 0);
	va_list ap;
	va_start(ap, model);
	for (const char *p; (p = va_arg(ap, const char *));) {
		o->rc = policy_load_file(&o->ps, p, o->m, &o->d);
		ck_assert_msg(o->rc == 0, "%s: %s", p,
			      o->d.n ? o->d.v[0].message : "?");
	}
	va_end(ap);
	ck_assert_uint_eq(o->d.n_errors, 0);
	evaluate(o);
}

static uint32_t count_of(const struct outcome *o, const char *id)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < o->f.n; i++)
		n += !strcmp(o->f.v[i].rule_id, id);
	return n;
}

/* The finding of policy id about resource (or NULL: the only one). */
static const struct finding *find(const struct outcome *o, const char *id,
				  const char *resource)
{
	for (uint32_t i = 0; i < o->f.n; i++) {
		const struct finding *f = &o->f.v[i];
		if (strcmp(f->rule_id, id))
			continue;
		if (!resource ||
		    (f->resource && !strcmp(f->resource, resource)))
			return f;
	}
	ck_abort_msg("no finding of %s about %s", id,
		     resource ? resource : "anything");
	return NULL;
}

static bool has_detail(const struct finding *f, const char *text)
{
	for (uint32_t i = 0; i < f->n_details; i++)
		if (strstr(f->details[i], text))
			return true;
	return false;
}

/* Writes text to a new temporary file; path receives its name. */
static void temp_file(char path[64], const char *text)
{
	snprintf(path, 64, "/tmp/vpcsim-policy-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	size_t len = strlen(text);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
}

/* Evaluates policy text on a model: its findings in o. */
static void run_text(struct outcome *o, const char *model, const char *text)
{
	char path[64];
	temp_file(path, text);
	load_model(o, model);
	o->rc = policy_load_file(&o->ps, path, o->m, &o->d);
	unlink(path);
	ck_assert_msg(o->rc == 0, "policy does not load: %s",
		      o->d.n ? o->d.v[0].message : "?");
	evaluate(o);
}

#define DATA_TIER_MSG                                                          \
	"nothing in the data tier is reachable from the internet in fewer "    \
	"than 3 hops, except via the web service"

/* ---- forbid with hops and except_via ------------------------------------- */

START_TEST(test_data_tier_holds)
{
	struct outcome o;
	run_policies(&o, "scenarios/three-tier.yaml",
		     "tests/policy/data-tier.yaml", NULL);
	ck_assert_uint_eq(count_of(&o, "data-tier-isolated"), 0);
	ck_assert_uint_eq(count_of(&o, "alb-reaches-web"), 0);
	ck_assert_uint_eq(o.f.n, 0);
	outcome_free(&o);
}
END_TEST

START_TEST(test_data_tier_violated)
{
	struct outcome o;
	run_policies(&o, "scenarios/db-public-open.yaml",
		     "tests/policy/data-tier.yaml", NULL);
	ck_assert_uint_eq(count_of(&o, "data-tier-isolated"), 2);
	const struct finding *f = find(&o, "data-tier-isolated", "db");
	ck_assert_str_eq(f->message,
			 DATA_TIER_MSG ": internet reaches db on "
				       "tcp 3306 in 1 hop, fewer than 3");
	ck_assert_str_eq(f->rule_name, "data-tier-isolated");
	ck_assert_ptr_null(f->rule);
	ck_assert_int_eq(f->severity, SEV_ERROR);
	ck_assert_str_eq(f->loc.file, "tests/policy/data-tier.yaml");
	ck_assert_uint_eq(f->loc.line, 4);
	ck_assert_uint_eq(f->loc.col, 9);
	ck_assert_str_eq(f->details[0], "1 hop: internet -> db (tcp 3306)");
	ck_assert_str_eq(f->details[1],
			 "internet -> db@public-a (10.0.1.6): tcp 3306 "
			 "reachable");
	ck_assert(has_detail(f, "security group db-sg, ingress rule 2"));
	ck_assert_str_eq(f->fingerprint, "data-tier-isolated|db|internet->db");
	/* The replica: two hops, through db, which the chain needs. */
	f = find(&o, "data-tier-isolated", "db-replica");
	ck_assert_str_eq(f->message,
			 DATA_TIER_MSG ": internet reaches db-replica on tcp "
				       "3306 in 2 hops, fewer than 3");
	ck_assert_str_eq(f->details[0], "2 hops: internet -> db (tcp 3306) -> "
					"db-replica (tcp 3306)");
	ck_assert_str_eq(f->details[1],
			 "each of these must open the next hop itself (the "
			 "application calling on, or an attacker who took it "
			 "over): db");
	outcome_free(&o);
}
END_TEST

/* Three hops reach db on three-tier: hops 4 forbids them unless the
 * chain through web is allowed. */
START_TEST(test_except_via_hops)
{
	struct outcome o;
	run_text(&o, "scenarios/three-tier.yaml",
		 "policies:\n"
		 "  - id: four\n"
		 "    message: db is 4 hops away\n"
		 "    forbid: {from: internet, to: db, hops: 4}\n"
		 "  - id: four-via-web\n"
		 "    message: db is 4 hops away but through web\n"
		 "    forbid: {from: internet, to: db, hops: 4, "
		 "except_via: web}\n");
	ck_assert_uint_eq(count_of(&o, "four"), 1);
	ck_assert_uint_eq(count_of(&o, "four-via-web"), 0);
	const struct finding *f = find(&o, "four", "db");
	ck_assert_str_eq(f->message, "db is 4 hops away: internet reaches db "
				     "on tcp 3306 in 3 hops, fewer than 4");
	ck_assert_str_eq(f->details[0], "3 hops: internet -> alb (tcp 80,443) "
					"-> web (tcp 3000) -> db (tcp 3306)");
	ck_assert_str_eq(f->details[1],
			 "each of these must open the next hop itself (the "
			 "application calling on, or an attacker who took it "
			 "over): web");
	outcome_free(&o);
}
END_TEST

/* ---- forbid, direct ----------------------------------------------------- */

/* A load balancer forwards by itself: web is exposed through alb, which
 * except_via allows. */
START_TEST(test_forbid_through_lb)
{
	struct outcome o;
	run_text(&o, "scenarios/three-tier.yaml",
		 "policies:\n"
		 "  - id: web-closed\n"
		 "    message: web is not exposed\n"
		 "    forbid: {from: internet, to: web, ports: 3000}\n"
		 "  - id: web-only-via-alb\n"
		 "    message: web only through the ALB\n"
		 "    forbid: {from: internet, to: web, except_via: [alb]}\n"
		 "  - id: web-other-port\n"
		 "    message: web is closed on 22\n"
		 "    forbid: {from: internet, to: web, ports: [22, "
		 "8000-8080]}\n");
	ck_assert_uint_eq(count_of(&o, "web-closed"), 1);
	ck_assert_uint_eq(count_of(&o, "web-only-via-alb"), 0);
	ck_assert_uint_eq(count_of(&o, "web-other-port"), 0);
	const struct finding *f = find(&o, "web-closed", "web");
	ck_assert_str_eq(f->message, "web is not exposed: internet reaches web "
				     "on tcp 3000 through load balancer alb");
	ck_assert_str_eq(f->details[0],
			 "internet -> alb (tcp 80,443) -> web (tcp 3000): the "
			 "load balancer forwards by itself");
	ck_assert_str_eq(f->details[1], "alb@public-a (10.0.1.5) -> "
					"web@private-a (10.0.2.4): tcp 3000 "
					"reachable");
	outcome_free(&o);
}
END_TEST

/* "No instance reachable from the internet on 22", inline in the model:
 * findings point at the model file. */
START_TEST(test_ssh_inline)
{
	struct outcome o;
	run_policies(&o, "tests/policy/inline-ssh.yaml", NULL);
	ck_assert_uint_eq(count_of(&o, "no-ssh-from-internet"), 2);
	ck_assert_uint_eq(count_of(&o, "app-closed"), 0);
	const struct finding *f = find(&o, "no-ssh-from-internet", "bastion");
	ck_assert_str_eq(f->message,
			 "no instance reachable from the internet on 22: "
			 "internet reaches bastion on tcp 22");
	ck_assert_str_eq(f->loc.file, "tests/policy/inline-ssh.yaml");
	ck_assert_uint_eq(f->loc.line, 65);
	ck_assert_uint_eq(f->loc.col, 9);
	ck_assert_str_eq(f->details[0],
			 "internet -> bastion@pub-a (10.50.1.4): tcp 22 "
			 "reachable");
	f = find(&o, "no-ssh-from-internet", "both");
	ck_assert_str_eq(f->message,
			 "no instance reachable from the internet on 22: "
			 "internet reaches both on tcp 22");
	outcome_free(&o);
}
END_TEST

/* Tags, subnets, kinds, lists of selectors: tiered.yaml's own policies
 * hold; the same selectors without except_via do not. */
START_TEST(test_selectors)
{
	struct outcome o;
	run_policies(&o, "tests/policy/tiered.yaml", NULL);
	ck_assert_uint_eq(o.f.n, 0);
	outcome_free(&o);

	run_text(&o, "tests/policy/tiered.yaml",
		 "policies:\n"
		 "  - id: private-closed\n"
		 "    message: private subnets are closed\n"
		 "    forbid:\n"
		 "      from: internet\n"
		 "      to: [{subnet: private-a}, {subnet: private-b}]\n"
		 "  - id: data-from-app\n"
		 "    message: the data tier takes nothing from the web tier\n"
		 "    forbid: {from: {tag: {tier: web}}, to: {tag: {tier: "
		 "data}}}\n"
		 "  - id: app-to-data\n"
		 "    message: the app tier reaches the data tier\n"
		 "    require: {from: {kind: service, tag: {tier: app}}, to: "
		 "{kind: database, tag: {tier: data}}, ports: 3306}\n");
	ck_assert_uint_eq(count_of(&o, "private-closed"), 1);
	ck_assert_str_eq(find(&o, "private-closed", "web")->message,
			 "private subnets are closed: internet reaches web on "
			 "tcp 3000 through load balancer alb");
	ck_assert_uint_eq(count_of(&o, "data-from-app"), 0);
	ck_assert_uint_eq(count_of(&o, "app-to-data"), 0);
	outcome_free(&o);
}
END_TEST

/* Egress: to the internet and to AWS services, with protocol all. */
START_TEST(test_forbid_egress)
{
	struct outcome o;
	run_text(&o, "scenarios/three-tier.yaml",
		 "policies:\n"
		 "  - id: db-no-egress\n"
		 "    message: databases do not reach out\n"
		 "    severity: warning\n"
		 "    forbid: {from: {kind: database}, to: internet, "
		 "protocol: all}\n"
		 "  - id: alb-no-s3\n"
		 "    message: the ALB does not reach S3\n"
		 "    forbid: {from: alb, to: aws:s3}\n");
	ck_assert_uint_eq(count_of(&o, "db-no-egress"), 2);
	const struct finding *f = find(&o, "db-no-egress", "db");
	ck_assert_str_eq(f->message, "databases do not reach out: db reaches "
				     "internet on every tcp port");
	ck_assert_int_eq(f->severity, SEV_WARNING);
	ck_assert_str_eq(f->details[0], "db@private-a (10.0.2.5) -> internet: "
					"tcp 443 reachable");
	ck_assert_uint_eq(count_of(&o, "alb-no-s3"), 0);
	outcome_free(&o);
}
END_TEST

/* Other protocols: udp and icmp are closed on the ALB. */
START_TEST(test_forbid_udp_icmp)
{
	struct outcome o;
	run_text(&o, "scenarios/three-tier.yaml",
		 "policies:\n"
		 "  - id: no-udp\n"
		 "    message: m\n"
		 "    forbid: {from: internet, to: alb, protocol: udp}\n"
		 "  - id: no-ping\n"
		 "    message: m\n"
		 "    forbid: {from: internet, to: alb, protocol: icmp}\n"
		 "  - id: no-web\n"
		 "    message: m\n"
		 "    forbid: {from: internet, to: alb, protocol: tcp, ports: "
		 "443}\n");
	ck_assert_uint_eq(count_of(&o, "no-udp"), 0);
	ck_assert_uint_eq(count_of(&o, "no-ping"), 0);
	ck_assert_uint_eq(count_of(&o, "no-web"), 1);
	ck_assert_str_eq(find(&o, "no-web", "alb")->message,
			 "m: internet reaches alb on tcp 443");
	outcome_free(&o);
}
END_TEST

/* ---- require ------------------------------------------------------------ */

START_TEST(test_require_fails_targets_sg_wrong)
{
	struct outcome o;
	run_policies(&o, "scenarios/targets-sg-wrong.yaml",
		     "tests/policy/data-tier.yaml", NULL);
	ck_assert_uint_eq(count_of(&o, "alb-reaches-web"), 1);
	ck_assert_uint_eq(count_of(&o, "data-tier-isolated"), 0);
	const struct finding *f = find(&o, "alb-reaches-web", "web");
	ck_assert_str_eq(f->message,
			 "the ALB must reach web on 3000 from every placement: "
			 "alb does not reach web on tcp 3000 from any "
			 "placement");
	ck_assert_uint_eq(f->loc.line, 11);
	ck_assert_str_eq(f->details[0],
			 "alb@public-a (10.0.1.5) -> web@private-a (10.0.2.4): "
			 "tcp 3000 blocked at sg-ingress: security groups of "
			 "web@private-a (10.0.2.4) (web-sg): no ingress rule "
			 "allows tcp 3000 from alb@public-a (10.0.1.5)  "
			 "[scenarios/targets-sg-wrong.yaml:71]");
	/* Then the engine's hint: the rule that almost matched. */
	ck_assert_uint_eq(f->n_details, 2);
	ck_assert(has_detail(f, "closest: ingress rule 1"));
	outcome_free(&o);
}
END_TEST

/* Works in one AZ: every placement fails the requirement, some holds. */
START_TEST(test_require_placements)
{
	struct outcome o;
	run_text(&o, "tests/policy/one-az.yaml",
		 "policies:\n"
		 "  - id: every\n"
		 "    message: from every placement\n"
		 "    require: {from: alb, to: web, ports: 3000}\n"
		 "  - id: some\n"
		 "    message: from some placement\n"
		 "    require: {from: alb, to: web, ports: 3000, placements: "
		 "some}\n");
	ck_assert_uint_eq(count_of(&o, "every"), 1);
	ck_assert_uint_eq(count_of(&o, "some"), 0);
	const struct finding *f = find(&o, "every", "web");
	ck_assert_str_eq(f->message, "from every placement: alb does not reach "
				     "web on tcp 3000 from 2 of 4 placement "
				     "pairs");
	ck_assert_str_eq(f->details[0], "fails: alb@public-a (10.0.1.5) -> "
					"web@private-b (10.0.4.4)");
	ck_assert_str_eq(f->details[1], "fails: alb@public-b (10.0.3.5) -> "
					"web@private-b (10.0.4.4)");
	ck_assert_str_eq(f->details[2],
			 "alb@public-a (10.0.1.5) -> web@private-b (10.0.4.4): "
			 "tcp 3000 blocked at nacl-in: network ACL "
			 "private-b-nacl of subnet private-b, inbound rule 90 "
			 "(deny tcp 3000 from 10.0.0.0/16): denied  "
			 "[tests/policy/one-az.yaml:41]");
	outcome_free(&o);
}
END_TEST

/* Egress to an AWS service: holds through the NAT gateways, fails with
 * no way out. */
START_TEST(test_require_service)
{
	static const char text[] = "policies:\n"
				   "  - id: pulls\n"
				   "    message: web pulls its image\n"
				   "    require: {from: web, to: aws:ecr, "
				   "ports: 443}\n";
	struct outcome o;
	run_text(&o, "scenarios/three-tier.yaml", text);
	ck_assert_uint_eq(count_of(&o, "pulls"), 0);
	outcome_free(&o);
	run_text(&o, "scenarios/no-egress.yaml", text);
	ck_assert_uint_eq(count_of(&o, "pulls"), 1);
	const struct finding *f = find(&o, "pulls", "web");
	ck_assert_str_eq(f->message, "web pulls its image: web does not reach "
				     "aws:ecr on tcp 443 from any placement");
	ck_assert_str_eq(f->fingerprint, "pulls|web|web->aws:ecr");
	ck_assert(has_detail(f, "web@private-a (10.0.2.4) -> aws:ecr: tcp 443 "
				"blocked at no-route: route table "
				"private-a-rt"));
	outcome_free(&o);
}
END_TEST

START_TEST(test_require_icmp_all)
{
	struct outcome o;
	run_text(&o, "scenarios/three-tier.yaml",
		 "policies:\n"
		 "  - id: ping\n"
		 "    message: the ALB answers ping\n"
		 "    require: {from: internet, to: alb, protocol: icmp, "
		 "ports: 8}\n"
		 "  - id: everything\n"
		 "    message: web reaches the internet with anything\n"
		 "    require: {from: web, to: internet, protocol: all}\n"
		 "  - id: https\n"
		 "    message: https\n"
		 "    require: {from: internet, to: alb, ports: [443]}\n");
	ck_assert_uint_eq(count_of(&o, "ping"), 1);
	ck_assert_str_eq(find(&o, "ping", "alb")->message,
			 "the ALB answers ping: internet does not reach alb on "
			 "icmp type 8 from any placement");
	ck_assert_uint_eq(count_of(&o, "everything"), 0);
	ck_assert_uint_eq(count_of(&o, "https"), 0);
	outcome_free(&o);
}
END_TEST

START_TEST(test_require_hops)
{
	struct outcome o;
	run_text(&o, "scenarios/three-tier.yaml",
		 "policies:\n"
		 "  - id: three\n"
		 "    message: db within 3 hops\n"
		 "    require: {from: internet, to: db, ports: 3306, hops: 3}\n"
		 "  - id: two\n"
		 "    message: db within 2 hops\n"
		 "    require: {from: internet, to: db, ports: 3306, hops: 2, "
		 "placements: some}\n"
		 "  - id: web-two\n"
		 "    message: web within 2 hops\n"
		 "    require: {from: internet, to: web, ports: 8080, hops: "
		 "2}\n");
	ck_assert_uint_eq(count_of(&o, "three"), 0);
	ck_assert_uint_eq(count_of(&o, "two"), 1);
	const struct finding *f = find(&o, "two", "db");
	ck_assert_str_eq(f->message, "db within 2 hops: internet does not "
				     "reach db on tcp 3306 within 2 hops");
	ck_assert_str_eq(f->details[0], "no chain of at most 2 hops at all");
	f = find(&o, "web-two", "web");
	ck_assert_str_eq(f->details[0], "shortest chain: internet -> alb (tcp "
					"80,443) -> web (tcp 3000)");
	ck_assert_str_eq(f->details[1],
			 "no chain carries tcp 8080 on its last hop with every "
			 "hop reaching from every placement pair");
	outcome_free(&o);
}
END_TEST

/* Suppression on the resource, by policy id. */
START_TEST(test_suppressed)
{
	struct outcome o;
	char path[64];
	FILE *in = fopen("scenarios/db-public-open.yaml", "r");
	ck_assert_ptr_nonnull(in);
	char buf[8192];
	size_t len = fread(buf, 1, sizeof(buf) - 1, in);
	fclose(in);
	buf[len] = '\0';
	/* db gets a suppression of the policy. */
	char *at = strstr(buf, "  db:\n");
	ck_assert_ptr_nonnull(at);
	char text[9000];
	snprintf(text, sizeof(text),
		 "%.*s  db:\n    suppress: {rules: [data-tier-isolated], "
		 "reason: a test}\n%s",
		 (int)(at - buf), buf, at + 6);
	temp_file(path, text);
	load_model(&o, path);
	ck_assert_int_eq(
	    policy_load_file(&o.ps, "tests/policy/data-tier.yaml", o.m, &o.d),
	    0);
	evaluate(&o);
	findings_suppress(&o.f, o.m);
	unlink(path);
	ck_assert_str_eq(find(&o, "data-tier-isolated", "db")->suppressed,
			 "a test");
	ck_assert_ptr_null(
	    find(&o, "data-tier-isolated", "db-replica")->suppressed);
	outcome_free(&o);
}
END_TEST

/* ---- the model a run evaluates ------------------------------------------ */

/* The same estate with its instances in another order and one more:
 * every index differs from the copy the policies were loaded on. */
#define ESTATE_HEAD                                                            \
	"vpcs: {main: {cidr: 10.0.0.0/16}}\n"                                  \
	"internet_gateways: {igw: {vpc: main}}\n"                              \
	"subnets:\n"                                                           \
	"  pub: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, "               \
	"route_table: rt}\n"                                                   \
	"route_tables:\n"                                                      \
	"  rt: {vpc: main, routes: [{destination: 0.0.0.0/0, target: igw}]}\n" \
	"security_groups:\n"                                                   \
	"  open: {vpc: main, ingress: [{protocol: tcp, ports: 22, from: "      \
	"0.0.0.0/0}]}\n"                                                       \
	"instances:\n"

static struct model *model_of(const char *text)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	ck_assert_int_eq(
	    model_load_buffer(&m, "estate.yaml", text, strlen(text), &d), 0);
	diag_list_free(&d);
	return m;
}

/* Policies loaded on one model and run on another copy find the same
 * resources by id, not by where they sit in the arrays. */
START_TEST(test_run_on_other_copy)
{
	struct outcome o;
	char path[64];
	temp_file(path, "policies:\n"
			"  - id: no-ssh\n"
			"    message: no ssh from the internet\n"
			"    forbid: {from: internet, to: {kind: instance}, "
			"ports: 22}\n"
			"  - id: b-reaches-a\n"
			"    message: b must reach a\n"
			"    require: {from: b, to: a, ports: 80}\n");
	memset(&o, 0, sizeof(o));
	o.d = (struct diag_list)DIAG_LIST_INIT;
	o.m = model_of(ESTATE_HEAD
		       "  a: {subnet: pub, security_groups: [open], public_ip: "
		       "true}\n"
		       "  b: {subnet: pub, public_ip: true}\n");
	ck_assert_int_eq(policy_load_file(&o.ps, path, o.m, &o.d), 0);
	unlink(path);
	struct model *other =
	    model_of(ESTATE_HEAD
		     "  z: {subnet: pub, public_ip: true}\n"
		     "  b: {subnet: pub, public_ip: true}\n"
		     "  a: {subnet: pub, security_groups: [open], public_ip: "
		     "true}\n");
	ck_assert_uint_ne(model_find(other, "a")->index,
			  model_find(o.m, "a")->index);
	struct rule_ctx ctx;
	rule_ctx_init(&ctx, other, &o.f);
	policy_run(&o.f, o.ps, &ctx);
	rule_ctx_free(&ctx);
	ck_assert_uint_eq(o.f.n, 2);
	ck_assert_str_eq(find(&o, "no-ssh", NULL)->resource, "a");
	ck_assert_str_eq(find(&o, "b-reaches-a", NULL)->resource, "a");
	ck_assert(has_detail(find(&o, "b-reaches-a", NULL), "b@pub"));
	findings_free(&o.f);
	model_free(other);
	outcome_free(&o);
}
END_TEST

/* A failure that takes every placement of what a selector matched leaves
 * the requirement broken, never vacuously met: members stay members. */
START_TEST(test_failed_copy_keeps_members)
{
	struct outcome o;
	char path[64];
	temp_file(path, "policies:\n"
			"  - id: tasks-reach-db\n"
			"    message: the tasks must reach the database\n"
			"    require: {from: {kind: service}, to: db, ports: "
			"3306}\n");
	load_model(&o, "scenarios/single-az-db.yaml");
	ck_assert_int_eq(policy_load_file(&o.ps, path, o.m, &o.d), 0);
	unlink(path);
	evaluate(&o);
	ck_assert_uint_eq(count_of(&o, "tasks-reach-db"), 0);
	struct diag_list d = DIAG_LIST_INIT;
	ck_assert_int_eq(model_fail(o.m, "az:us-east-1a", &d), 0);
	diag_list_free(&d);
	evaluate(&o);
	ck_assert_uint_ge(count_of(&o, "tasks-reach-db"), 1);
	ck_assert_ptr_nonnull(
	    strstr(find(&o, "tasks-reach-db", NULL)->message, "no placement"));
	outcome_free(&o);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

struct bad_case {
	const char *text;
	uint32_t line, col;
	const char *message;
};

static const struct bad_case bad_cases[] = {
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, porst: 22}\n",
     4, 38,
     "unknown key 'porst' in forbid of policy 'a' (did you mean "
     "'ports'?)"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: dbb}\n",
     4, 34, "unknown resource 'dbb' (did you mean 'db'?)"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: {kind: databse}}\n",
     4, 41, "unknown kind 'databse' (did you mean 'database'?)"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: {kind: subnet}}\n",
     4, 41,
     "kind 'subnet' holds no address: a selector picks instance, "
     "network_interface, load_balancer, service, database, "
     "nat_gateway or vpc_endpoint"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, ports: 70000}\n",
     4, 45, "port 70000 out of range 0-65535"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, ports: [22, 443-80]}\n",
     4, 50,
     "port range 443-80: from is greater than to (did you mean "
     "'80-443'?)"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, ports: ssh}\n",
     4, 45,
     "ports must be a port, a range like 1024-65535, or a list of "
     "them, not 'ssh'"},
    {"policies:\n"
     "  - message: m\n"
     "    forbid: {from: internet, to: db}\n",
     2, 5, "missing required key 'id' in policy 1"},
    {"policies:\n"
     "  - id: a\n"
     "    forbid: {from: internet, to: db}\n",
     2, 5, "missing required key 'message' in policy 'a'"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db}\n"
     "  - id: a\n"
     "    message: n\n"
     "    forbid: {from: internet, to: web}\n",
     5, 9, "policy id 'a' repeated (first at 2:9)"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db}\n"
     "    require: {from: alb, to: web, ports: 3000}\n",
     5, 5,
     "policy 'a' has both forbid and require: a policy states one "
     "of them"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, protocol: tcpp}\n",
     4, 48,
     "protocol must be tcp, udp, icmp or all, not 'tcpp' (did you "
     "mean 'tcp'?)"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, hops: 9}\n",
     4, 44, "hops 9 out of range 1-8"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, hops: 0}\n",
     4, 44, "hops 0 out of range 1-8"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, hops: 1}\n",
     4, 44,
     "hops: 1 forbids nothing: every chain has at least one hop "
     "(hops: 2 forbids direct reach)"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, except_via: [{subnet: "
     "privat-a}]}\n",
     4, 60, "unknown subnet 'privat-a' (did you mean 'private-a'?)"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    severity: critical\n"
     "    forbid: {from: internet, to: db}\n",
     4, 15, "severity must be error, warning or info, not 'critical'"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    require: {from: alb, to: web}\n",
     4, 14,
     "missing required key 'ports' in require of policy 'a': a "
     "requirement names the ports that must get through"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    require: {from: alb, to: web, ports: 1, except_via: web}\n",
     4, 45, "'except_via' applies to forbid, not require"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: aws:s3, to: db}\n",
     4, 20,
     "aws:s3 cannot be a source: AWS services open no connections "
     "into a VPC"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: aws:sqs}\n",
     4, 34, "unknown AWS service 'aws:sqs' (did you mean 'aws:s3'?)"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: web-sg}\n",
     4, 34,
     "'web-sg' is a security_group, which holds no address; name a "
     "resource placed in a subnet, or select by {subnet: ID}"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, protocol: all, ports: 22}\n",
     4, 53,
     "ports do not apply to protocol all, which stands for every "
     "protocol and port"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: {kinds: database}}\n",
     4, 35, "unknown key 'kinds' in a selector (did you mean 'kind'?)"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: internet}\n",
     4, 34, "from and to are both the internet"},
    {"policies:\n"
     "  - id: a b\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db}\n",
     2, 9,
     "policy id 'a b' may hold only letters, digits, '-', '_' and "
     "'.'"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n",
     2, 5, "missing required key 'forbid' or 'require' in policy 'a'"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet}\n",
     4, 13, "missing required key 'to' in forbid of policy 'a'"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: []}\n",
     4, 34, "to must name at least one selector, not an empty list"},
    {"policies: {id: a}\n", 1, 11,
     "'policies' must be a list of policies, not a mapping"},
    {"policie:\n  - id: a\n", 1, 1,
     "unknown key 'policie' in the policy file (did you mean "
     "'policies'?)"},
    {"policies:\n"
     "  - id: a\n"
     "   message: m\n",
     3, 4,
     "did not find expected '-' indicator while parsing a block "
     "collection"},
    {"", 1, 1,
     "the policy file is empty: expected 'policies:' followed "
     "by a list"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    forbid: {from: internet, to: db, protocol: icmp, hops: 3}\n",
     4, 60,
     "hops need protocol tcp, udp or all: the reachability graph "
     "has no icmp edges"},
    {"policies:\n"
     "  - id: a\n"
     "    message: m\n"
     "    require: {from: alb, to: web, ports: 3000, placements: any}\n",
     4, 60, "placements must be all or some, not 'any'"},
    {"policies:\n"
     "  - id: a\n"
     "    message: \"  \"\n"
     "    forbid: {from: internet, to: db}\n",
     3, 14, "a policy message must not be empty"},
};

/* Each case: exactly one error, at its position, with its message. */
START_TEST(test_errors)
{
	const struct bad_case *c = &bad_cases[_i];
	struct outcome o;
	char path[64];
	temp_file(path, c->text);
	load_model(&o, "scenarios/three-tier.yaml");
	int rc = policy_load_file(&o.ps, path, o.m, &o.d);
	unlink(path);
	ck_assert_int_lt(rc, 0);
	diag_sort(&o.d);
	ck_assert_msg(o.d.n == 1, "case %d: %zu diagnostics, first: %u:%u %s",
		      _i, o.d.n, o.d.v[0].line, o.d.v[0].col, o.d.v[0].message);
	ck_assert_str_eq(o.d.v[0].file, path);
	ck_assert_str_eq(o.d.v[0].message, c->message);
	ck_assert_msg(o.d.v[0].line == c->line && o.d.v[0].col == c->col,
		      "case %d at %u:%u, expected %u:%u", _i, o.d.v[0].line,
		      o.d.v[0].col, c->line, c->col);
	ck_assert_int_eq(o.d.v[0].severity, DIAG_ERROR);
	/* A file with an error adds nothing. */
	evaluate(&o);
	ck_assert_uint_eq(o.f.n, 0);
	outcome_free(&o);
}
END_TEST

/* Every error of a file in one run, top to bottom. */
START_TEST(test_errors_all_at_once)
{
	struct outcome o;
	char path[64];
	temp_file(path, "policies:\n"
			"  - id: a\n"
			"    mesage: x\n"
			"    forbid: {from: internet, to: dbb}\n"
			"  - id: b\n"
			"    message: y\n"
			"    forbid: {from: internet, to: db, ports: 99999}\n");
	load_model(&o, "scenarios/three-tier.yaml");
	ck_assert_int_lt(policy_load_file(&o.ps, path, o.m, &o.d), 0);
	unlink(path);
	diag_sort(&o.d);
	ck_assert_uint_eq(o.d.n, 3);
	ck_assert_str_eq(o.d.v[0].message, "unknown key 'mesage' in policy 'a' "
					   "(did you mean 'message'?)");
	ck_assert_uint_eq(o.d.v[0].line, 3);
	ck_assert_str_eq(o.d.v[1].message,
			 "unknown resource 'dbb' (did you mean 'db'?)");
	ck_assert_str_eq(o.d.v[2].message, "port 99999 out of range 0-65535");
	ck_assert_uint_eq(o.d.v[2].line, 7);
	outcome_free(&o);
}
END_TEST

/* A policy id used in the model and again in a --policy file. */
START_TEST(test_duplicate_across_files)
{
	struct outcome o;
	char path[64];
	temp_file(path, "policies:\n"
			"  - id: app-closed\n"
			"    message: again\n"
			"    forbid: {from: internet, to: app}\n");
	load_model(&o, "tests/policy/inline-ssh.yaml");
	ck_assert_int_eq(own_policies(&o), 0);
	ck_assert_int_lt(policy_load_file(&o.ps, path, o.m, &o.d), 0);
	unlink(path);
	ck_assert_uint_eq(o.d.n, 1);
	ck_assert_str_eq(o.d.v[0].message,
			 "policy id 'app-closed' repeated (first at "
			 "tests/policy/inline-ssh.yaml:71:9)");
	/* The model's own policies stay loaded and run. */
	evaluate(&o);
	ck_assert_uint_eq(count_of(&o, "no-ssh-from-internet"), 2);
	outcome_free(&o);
}
END_TEST

/* Errors in a model's own `policies:` point at the model file. */
START_TEST(test_inline_errors)
{
	struct outcome o;
	char path[64];
	temp_file(path, "vpcs:\n"
			"  main: {cidr: 10.0.0.0/16}\n"
			"subnets:\n"
			"  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"
			"instances:\n"
			"  box: {subnet: a}\n"
			"policies:\n"
			"  - id: x\n"
			"    message: m\n"
			"    forbid: {from: internet, to: bx}\n");
	load_model(&o, path);
	ck_assert_int_lt(own_policies(&o), 0);
	ck_assert_uint_eq(o.d.n, 1);
	ck_assert_str_eq(o.d.v[0].file, path);
	ck_assert_uint_eq(o.d.v[0].line, 10);
	ck_assert_uint_eq(o.d.v[0].col, 34);
	ck_assert_str_eq(o.d.v[0].message,
			 "unknown resource 'bx' (did you mean 'box'?)");
	unlink(path);
	outcome_free(&o);

	/* A model without policies has none, and no error. */
	load_model(&o, "scenarios/three-tier.yaml");
	ck_assert_int_eq(own_policies(&o), 0);
	ck_assert_uint_eq(o.d.n, 0);
	evaluate(&o);
	ck_assert_uint_eq(o.f.n, 0);
	outcome_free(&o);
}
END_TEST

/* A selector that matches nothing is a warning, with a hint for tags. */
START_TEST(test_warnings)
{
	struct outcome o;
	char path[64];
	temp_file(path,
		  "policies:\n"
		  "  - id: a\n"
		  "    message: m\n"
		  "    forbid: {from: internet, to: {tag: {tier: dat}}}\n"
		  "  - id: b\n"
		  "    message: m\n"
		  "    forbid: {from: internet, to: {tag: {teir: data}}}\n"
		  "  - id: c\n"
		  "    message: m\n"
		  "    forbid: {from: internet, to: {kind: instance}}\n");
	load_model(&o, "tests/policy/tiered.yaml");
	ck_assert_int_eq(policy_load_file(&o.ps, path, o.m, &o.d), 0);
	unlink(path);
	diag_sort(&o.d);
	ck_assert_uint_eq(o.d.n, 3);
	ck_assert_uint_eq(o.d.n_errors, 0);
	ck_assert_int_eq(o.d.v[0].severity, DIAG_WARNING);
	ck_assert_str_eq(
	    o.d.v[0].message,
	    "no resource has tag tier: dat (did you mean 'data'?)");
	ck_assert_uint_eq(o.d.v[0].line, 4);
	ck_assert_uint_eq(o.d.v[0].col, 47);
	ck_assert_str_eq(o.d.v[1].message,
			 "no resource has a tag 'teir' (did you mean 'tier'?)");
	ck_assert_str_eq(o.d.v[2].message,
			 "this selector matches no resource that holds an "
			 "address");
	outcome_free(&o);
}
END_TEST

/* ---- through the command line ------------------------------------------- */

static int vpcsim(const char *args)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "./vpcsim check %s >/dev/null 2>&1", args);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(test_cli)
{
	if (access("./vpcsim", X_OK) != 0) {
		fprintf(stderr,
			"check_policy: no ./vpcsim, CLI test skipped\n");
		return;
	}
	ck_assert_int_eq(vpcsim("scenarios/three-tier.yaml --policy "
				"tests/policy/data-tier.yaml"),
			 0);
	ck_assert_int_eq(vpcsim("scenarios/db-public-open.yaml --policy "
				"tests/policy/data-tier.yaml"),
			 1);
	ck_assert_int_eq(vpcsim("tests/policy/inline-ssh.yaml"), 1);
	ck_assert_int_eq(vpcsim("scenarios/eip-instance.yaml --policy "
				"tests/policy/data-tier.yaml"),
			 2);
	ck_assert_int_eq(vpcsim("scenarios/three-tier.yaml --policy "
				"tests/policy/no-such-file.yaml"),
			 2);
	/* The error is printed as file:line:col. */
	FILE *p = popen("./vpcsim check scenarios/eip-instance.yaml --policy "
			"tests/policy/data-tier.yaml 2>&1",
			"r");
	ck_assert_ptr_nonnull(p);
	char line[512];
	bool found = false;
	while (fgets(line, sizeof(line), p))
		found |= !strcmp(line, "tests/policy/data-tier.yaml:14:13: "
				       "error: unknown resource 'alb'\n");
	pclose(p);
	ck_assert(found);
}
END_TEST

Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_data_tier_holds);
	tcase_add_test(tc, test_data_tier_violated);
	tcase_add_test(tc, test_except_via_hops);
	tcase_add_test(tc, test_forbid_through_lb);
	tcase_add_test(tc, test_ssh_inline);
	tcase_add_test(tc, test_selectors);
	tcase_add_test(tc, test_forbid_egress);
	tcase_add_test(tc, test_forbid_udp_icmp);
	tcase_add_test(tc, test_require_fails_targets_sg_wrong);
	tcase_add_test(tc, test_require_placements);
	tcase_add_test(tc, test_require_service);
	tcase_add_test(tc, test_require_icmp_all);
	tcase_add_test(tc, test_require_hops);
	tcase_add_test(tc, test_suppressed);
	tcase_add_test(tc, test_run_on_other_copy);
	tcase_add_test(tc, test_failed_copy_keeps_members);
	tcase_add_loop_test(tc, test_errors, 0,
			    (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_errors_all_at_once);
	tcase_add_test(tc, test_duplicate_across_files);
	tcase_add_test(tc, test_inline_errors);
	tcase_add_test(tc, test_warnings);
	tcase_add_test(tc, test_cli);
	suite_add_tcase(s, tc);
	return s;
}
