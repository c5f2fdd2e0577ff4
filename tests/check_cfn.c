/*
 * CloudFormation import: the CDK-generated examples load and their
 * verdicts follow the semantics spec; hand-written templates in tests/cfn
 * cover every intrinsic function and resource type; template errors are
 * reported with their exact message and position.  Paths are relative to
 * the repository root, where the test binary runs.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/load.h"
#include "model/model.h"
#include "rules/rules.h"
#include "sim/sim.h"

#define EX "tests/cfn/examples/"

/* ---- helpers ----------------------------------------------------------- */

static void dump(const struct diag_list *d)
{
	diag_print(stderr, d);
}

static struct model *load_with(const char *const *paths, size_t n,
			       const char *const *params, size_t np,
			       struct diag_list *diags)
{
	struct model *m = NULL;
	model_load_files(&m, paths, n, params, np, diags);
	if (!m)
		dump(diags);
	ck_assert_ptr_nonnull(m);
	return m;
}

static struct model *load(const char *path)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_with(&path, 1, NULL, 0, &d);
	diag_list_free(&d);
	return m;
}

static struct model *load_p(const char *path, const char *param)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_with(&path, 1, &param, 1, &d);
	diag_list_free(&d);
	return m;
}

/* Every diagnostic of severity sev as "line:col: message" lines. */
static char *messages(const struct diag_list *d, enum diag_severity sev)
{
	size_t cap = 4096, n = 0;
	char *s = malloc(cap);
	s[0] = '\0';
	for (size_t i = 0; i < d->n; i++) {
		if (d->v[i].severity != sev)
			continue;
		char line[1200];
		int k = snprintf(line, sizeof(line), "%u:%u: %s\n",
				 d->v[i].line, d->v[i].col, d->v[i].message);
		if (n + (size_t)k + 1 > cap) {
			cap = 2 * (n + (size_t)k + 1);
			s = realloc(s, cap);
		}
		memcpy(s + n, line, (size_t)k + 1);
		n += (size_t)k;
	}
	return s;
}

/* Loads a template from text; returns its errors (the model must fail to
 * load when there are any). */
static char *errors_of(const char *yaml)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	model_load_buffer(&m, "t.yaml", yaml, strlen(yaml), &d);
	diag_sort(&d);
	char *s = messages(&d, DIAG_ERROR);
	if (d.n_errors)
		ck_assert_ptr_null(m);
	model_free(m);
	diag_list_free(&d);
	return s;
}

static char *warnings_of(const char *yaml)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	model_load_buffer(&m, "t.yaml", yaml, strlen(yaml), &d);
	if (!m)
		dump(&d);
	ck_assert_ptr_nonnull(m);
	diag_sort(&d);
	char *s = messages(&d, DIAG_WARNING);
	model_free(m);
	diag_list_free(&d);
	return s;
}

#define ASSERT_ERRORS(yaml, want)                                              \
	do {                                                                   \
		char *got_ = errors_of(yaml);                                  \
		ck_assert_str_eq(got_, want);                                  \
		free(got_);                                                    \
	} while (0)

/* The verdict of from -> to for one flow; *unknown whether any pair read
 * an unknown value. */
static enum sim_verdict verdict(const struct model *m, const char *from,
				const char *to, enum proto proto, uint16_t port,
				bool *unknown)
{
	struct sim *s = NULL;
	struct sim_sel a, b;
	char err[512];
	sim_new(&s, m);
	if (sim_sel_parse(&a, s, from, err, sizeof(err)) ||
	    sim_sel_parse(&b, s, to, err, sizeof(err)))
		ck_abort_msg("selector: %s", err);
	struct sim_answer ans;
	/* With traces: the engine records unknown values on the steps it
	 * takes, and without a trace it skips some. */
	sim_answer(&ans, s, &a, &b, (struct sim_flow){proto, port}, true);
	enum sim_verdict v = ans.verdict;
	if (unknown) {
		*unknown = false;
		for (uint32_t i = 0; i < ans.n; i++)
			*unknown |= ans.pairs[i].res.unknown != NULL;
	}
	sim_answer_free(&ans);
	sim_free(s);
	return v;
}

static enum sim_verdict tcp(const struct model *m, const char *from,
			    const char *to, uint16_t port)
{
	return verdict(m, from, to, PROTO_TCP, port, NULL);
}

/* The first blocking reason of a verdict's first pair. */
static enum sim_block block_of(const struct model *m, const char *from,
			       const char *to, uint16_t port)
{
	struct sim *s = NULL;
	struct sim_sel a, b;
	char err[512];
	sim_new(&s, m);
	ck_assert_int_eq(sim_sel_parse(&a, s, from, err, sizeof(err)), 0);
	ck_assert_int_eq(sim_sel_parse(&b, s, to, err, sizeof(err)), 0);
	struct sim_answer ans;
	sim_answer(&ans, s, &a, &b, (struct sim_flow){PROTO_TCP, port}, false);
	enum sim_block r = ans.n ? ans.pairs[0].res.block : BLK_NONE;
	sim_answer_free(&ans);
	sim_free(s);
	return r;
}

static struct model_obj *find(const struct model *m, const char *id,
			      enum model_kind kind)
{
	struct model_obj *o = model_find(m, id);
	ck_assert_msg(o != NULL, "no object '%s'", id);
	ck_assert_int_eq(o->kind, kind);
	return o;
}

#define OBJ(m, id, type, kind) (&(m)->type[find((m), (id), (kind))->index])

static bool has_unknown(const struct model_obj *o, const char *text)
{
	for (uint32_t i = 0; i < o->n_unknowns; i++)
		if (strstr(o->unknowns[i], text))
			return true;
	return false;
}

static const char *cidr_s(struct cidr c)
{
	static char buf[4][CIDR_STRLEN];
	static int k;
	k = (k + 1) % 4;
	cidr_format(buf[k], c);
	return buf[k];
}

/* ---- the CDK examples --------------------------------------------------- */

#define LB    "WebLB720665E7"
#define TASKS "WebServiceD04B5F3E"
#define DB    "Db5D02A0A9"

START_TEST(cdk_all_load)
{
	static const char *const names[] = {"Base",
					    "DbPublicOpen",
					    "DbPrivateOpen",
					    "TasksPublicOpen",
					    "IsolatedNoEndpoints",
					    "IsolatedWithEndpoints"};
	for (size_t i = 0; i < 6; i++) {
		char path[128];
		snprintf(path, sizeof(path), EX "%s.template.json", names[i]);
		struct diag_list d = DIAG_LIST_INIT;
		const char *p = path;
		struct model *m = load_with(&p, 1, NULL, 0, &d);
		ck_assert_uint_eq(d.n_errors, 0);
		/* No warnings on CDK output: every property is known. */
		char *w = messages(&d, DIAG_WARNING);
		ck_assert_str_eq(w, "");
		free(w);
		ck_assert_str_eq(m->format, "cloudformation");
		ck_assert_str_eq(m->region, "us-east-1");
		ck_assert_uint_eq(m->n[MK_VPC], 1);
		ck_assert_uint_eq(m->n[MK_SUBNET], 4);
		ck_assert_uint_eq(m->n[MK_LOAD_BALANCER], 1);
		ck_assert_uint_eq(m->n[MK_SERVICE], 1);
		ck_assert_uint_eq(m->n[MK_DATABASE], 1);
		model_free(m);
		diag_list_free(&d);
	}
}
END_TEST

START_TEST(cdk_base_model)
{
	const char *p = EX "Base.template.json";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_with(&p, 1, NULL, 0, &d);
	char *notes = messages(&d, DIAG_NOTE);
	ck_assert_str_eq(notes,
			 "0:0: skipped 6 resources of types vpcsim does not "
			 "model: AWS::IAM::Role (2), AWS::Logs::LogGroup, "
			 "AWS::IAM::Policy, AWS::SecretsManager::Secret, "
			 "AWS::SecretsManager::SecretTargetAttachment\n");
	free(notes);
	/* Logical ids are the ids; locations are those of the ids. */
	struct model_obj *vpc = find(m, "Vpc8378EB38", MK_VPC);
	ck_assert_uint_eq(vpc->loc.line, 3);
	ck_assert_uint_eq(vpc->loc.col, 3);
	ck_assert_str_eq(vpc->loc.file, p);
	struct model_subnet *s =
	    OBJ(m, "VpcPublicSubnet2Subnet691E08A3", subnets, MK_SUBNET);
	ck_assert_str_eq(s->az, "us-east-1b");
	ck_assert(s->map_public_ip);
	ck_assert(s->is_public);
	struct model_database *db = OBJ(m, DB, databases, MK_DATABASE);
	ck_assert_str_eq(db->engine, "postgres");
	ck_assert_uint_eq(db->port, 5432);
	ck_assert(db->port_defaulted);
	ck_assert(!db->publicly_accessible);
	ck_assert(db->multi_az);
	ck_assert_uint_eq(db->n_subnets, 2);
	/* The ingress rule's port is Fn::GetAtt Db.Endpoint.Port. */
	struct model_security_group *dbsg =
	    OBJ(m, "DbSecurityGroupC34ABFAB", groups, MK_SECURITY_GROUP);
	ck_assert_uint_eq(dbsg->n_ingress, 1);
	ck_assert_uint_eq(dbsg->ingress[0].match.port_lo, 5432);
	ck_assert_int_eq(dbsg->ingress[0].peer_kind, PEER_GROUP);
	/* No SecurityGroupEgress property: AWS's allow-all stays, and the
	 * standalone egress resource is added (§4). */
	struct model_security_group *lbsg =
	    OBJ(m, "WebLBSecurityGroupAD942A36", groups, MK_SECURITY_GROUP);
	ck_assert(lbsg->default_egress);
	ck_assert_uint_eq(lbsg->n_egress, 2);
	ck_assert(lbsg->egress[0].implicit);
	ck_assert_uint_eq(lbsg->egress[1].match.port_lo, 8080);
	struct model_service *sv = OBJ(m, TASKS, services, MK_SERVICE);
	ck_assert_uint_eq(sv->desired_count, 4);
	ck_assert(!sv->assign_public_ip);
	ck_assert_str_eq(sv->cluster, "ClusterEB0386A7");
	ck_assert_uint_eq(sv->n_bindings, 1);
	ck_assert_uint_eq(sv->bindings[0].port, 8080);
	ck_assert_str_eq(sv->bindings[0].container, "web");
	struct model_load_balancer *lb = OBJ(m, LB, lbs, MK_LOAD_BALANCER);
	ck_assert(lb->internet_facing);
	ck_assert(lb->cross_zone);
	ck_assert_uint_eq(lb->n_listeners, 1);
	ck_assert_uint_eq(lb->listeners[0].port, 80);
	struct model_nat_gateway *nat =
	    OBJ(m, "VpcPublicSubnet1NATGateway4D7517AA", nat_gateways,
		MK_NAT_GATEWAY);
	ck_assert(nat->has_eip && nat->is_public);
	struct model_target_group *tg =
	    OBJ(m, "WebLBPublicListenerECSGroupB52EA5B2", target_groups,
		MK_TARGET_GROUP);
	ck_assert_int_eq(tg->target_type, TT_IP);
	ck_assert_uint_eq(tg->health_check_port, 0);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

START_TEST(cdk_base_verdicts)
{
	struct model *m = load(EX "Base.template.json");
	ck_assert_int_eq(tcp(m, "internet", LB, 80), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "internet", DB, 5432), VERDICT_NONE);
	ck_assert_int_eq(tcp(m, "internet", TASKS, 8080), VERDICT_NONE);
	ck_assert_int_eq(tcp(m, LB, TASKS, 8080), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, TASKS, DB, 5432), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, TASKS, "aws:ecr", 443), VERDICT_ALL);
	/* ... through the NAT gateways: the private route tables say so. */
	struct model_subnet *s =
	    OBJ(m, "VpcPrivateSubnet1Subnet536B997A", subnets, MK_SUBNET);
	struct model_route_table *t = &m->route_tables[s->route_table];
	ck_assert_int_eq(t->routes[t->n_routes - 1].target, RT_NAT);
	model_free(m);
}
END_TEST

START_TEST(cdk_db_public_open)
{
	struct model *m = load(EX "DbPublicOpen.template.json");
	ck_assert(OBJ(m, DB, databases, MK_DATABASE)->publicly_accessible);
	ck_assert_int_eq(tcp(m, "internet", DB, 5432), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "internet", TASKS, 8080), VERDICT_NONE);
	model_free(m);
}
END_TEST

START_TEST(cdk_db_private_open)
{
	struct model *m = load(EX "DbPrivateOpen.template.json");
	struct model_security_group *g =
	    OBJ(m, "DbSecurityGroupC34ABFAB", groups, MK_SECURITY_GROUP);
	bool open = false;
	for (uint32_t i = 0; i < g->n_ingress; i++)
		open |= g->ingress[i].peer_kind == PEER_CIDR &&
			g->ingress[i].cidr.len == 0 &&
			g->ingress[i].match.port_lo == 5432;
	ck_assert(open);
	ck_assert_int_eq(tcp(m, "internet", DB, 5432), VERDICT_NONE);
	ck_assert_int_eq(block_of(m, "internet", DB, 5432), BLK_NO_PUBLIC_IP);
	ck_assert_int_eq(tcp(m, TASKS, DB, 5432), VERDICT_ALL);
	model_free(m);
}
END_TEST

START_TEST(cdk_tasks_public_open)
{
	struct model *m = load(EX "TasksPublicOpen.template.json");
	ck_assert(OBJ(m, TASKS, services, MK_SERVICE)->assign_public_ip);
	ck_assert_int_eq(tcp(m, "internet", TASKS, 8080), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "internet", LB, 80), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "internet", DB, 5432), VERDICT_NONE);
	model_free(m);
}
END_TEST

START_TEST(cdk_isolated)
{
	struct model *m = load(EX "IsolatedNoEndpoints.template.json");
	ck_assert_uint_eq(m->n[MK_NAT_GATEWAY], 0);
	ck_assert_int_eq(tcp(m, TASKS, "aws:ecr", 443), VERDICT_NONE);
	ck_assert_int_eq(tcp(m, TASKS, DB, 5432), VERDICT_ALL);
	model_free(m);
	m = load(EX "IsolatedWithEndpoints.template.json");
	ck_assert_uint_eq(m->n[MK_VPC_ENDPOINT], 4);
	struct model_vpc_endpoint *e =
	    OBJ(m, "VpcEcrApi2DC95EDF", endpoints, MK_VPC_ENDPOINT);
	ck_assert_int_eq(e->type, VPCE_INTERFACE);
	ck_assert_str_eq(e->service, "ecr.api");
	ck_assert(e->private_dns);
	ck_assert_uint_eq(e->n_subnets, 2);
	e = OBJ(m, "VpcS3A5408339", endpoints, MK_VPC_ENDPOINT);
	ck_assert_int_eq(e->type, VPCE_GATEWAY);
	ck_assert_uint_eq(e->n_route_tables, 4);
	ck_assert_int_eq(tcp(m, TASKS, "aws:ecr", 443), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, TASKS, "aws:logs", 443), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, TASKS, "aws:s3", 443), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "internet", TASKS, 8080), VERDICT_NONE);
	model_free(m);
}
END_TEST

/* ---- web.yaml: intrinsics, conditions, ALB, ECS, Aurora, NACL ----------- */

START_TEST(web_intrinsics)
{
	struct model *m = load("tests/cfn/web.yaml");
	/* Fn::Cidr, Fn::Select, Fn::GetAZs, Fn::Join, Fn::Sub, Fn::Split */
	static const struct {
		const char *id, *cidr, *az;
	} subnets[] = {
	    {"PublicA", "10.20.0.0/24", "us-east-1a"},
	    {"PublicB", "10.20.1.0/24", "us-east-1b"},
	    {"AppA", "10.20.2.0/24", "us-east-1a"},
	    {"AppB", "10.20.3.0/24", "us-east-1b"},
	    {"DataA", "10.20.4.0/24", "us-east-1a"},
	    {"DataB", "10.20.5.0/24", "us-east-1b"},
	};
	for (size_t i = 0; i < 6; i++) {
		struct model_subnet *s =
		    OBJ(m, subnets[i].id, subnets, MK_SUBNET);
		ck_assert_str_eq(cidr_s(s->cidr), subnets[i].cidr);
		ck_assert_str_eq(s->az, subnets[i].az);
	}
	struct model_vpc *v = OBJ(m, "Vpc", vpcs, MK_VPC);
	ck_assert_uint_eq(v->obj.n_tags, 1);
	ck_assert_str_eq(v->obj.tags[0].value, "web-vpc"); /* AWS::StackName */
	ck_assert_uint_eq(v->obj.loc.line, 38);
	ck_assert_uint_eq(v->obj.loc.col, 3);
	struct model_security_group *alb =
	    OBJ(m, "AlbSg", groups, MK_SECURITY_GROUP);
	ck_assert_str_eq(alb->description, "ALB of prod in us-east-1");
	/* Fn::GetAtt AppSg.VpcId */
	ck_assert_uint_eq(alb->vpc, v->obj.index);
	/* Fn::If on a condition that reads a parameter without a value:
	 * the rule is left out, and the group says why. */
	ck_assert_uint_eq(alb->n_ingress, 2);
	ck_assert(has_unknown(&alb->obj,
			      "SecurityGroupIngress rule 3: condition "
			      "'HasAdmin' is unknown: parameter 'AdminCidr' "
			      "has no Default and no --param "
			      "AdminCidr=VALUE"));
	/* Resources whose Condition is unknown are left out: a rule says so
	 * on its group. */
	ck_assert_ptr_null(model_find(m, "AdminSg"));
	struct model_security_group *app =
	    OBJ(m, "AppSg", groups, MK_SECURITY_GROUP);
	ck_assert_uint_eq(app->n_ingress, 1);
	ck_assert(has_unknown(&app->obj,
			      "'AppFromAdmin' exists only if its Condition "
			      "holds, which is unknown (parameter 'AdminCidr' "
			      "has no Default and no --param "
			      "AdminCidr=VALUE)"));
	/* The SecurityGroupEgress property replaces the default rule; the
	 * port comes from a CommaDelimitedList parameter. */
	ck_assert(!alb->default_egress);
	ck_assert_uint_eq(alb->n_egress, 1);
	ck_assert_uint_eq(alb->egress[0].match.port_lo, 8080);
	/* Fn::FindInMap */
	ck_assert_uint_eq(
	    OBJ(m, "Service", services, MK_SERVICE)->desired_count, 4);
	struct model_database *db = OBJ(m, "Db", databases, MK_DATABASE);
	ck_assert_str_eq(db->engine, "aurora-postgresql");
	ck_assert_uint_eq(db->port, 5432);
	/* Fn::GetAtt Db.Endpoint.Port on a cluster without Port */
	struct model_security_group *dbsg =
	    OBJ(m, "DbSg", groups, MK_SECURITY_GROUP);
	ck_assert_uint_eq(dbsg->ingress[0].match.port_lo, 5432);
	ck_assert_int_eq(dbsg->ingress[1].match.proto, PROTO_ICMP);
	ck_assert_int_eq(dbsg->ingress[1].match.icmp_type, 8);
	ck_assert_int_eq(dbsg->ingress[1].match.icmp_code, -1);
	/* An Aurora instance is a member of its cluster. */
	struct model_database *w = OBJ(m, "DbWriter", databases, MK_DATABASE);
	ck_assert_uint_eq(w->replica_of, db->obj.index);
	ck_assert_uint_eq(w->n_subnets, 2);
	/* Condition IsDev is false: no Debug instance. */
	ck_assert_ptr_null(model_find(m, "Debug"));
	ck_assert_uint_eq(m->n[MK_NAT_GATEWAY], 1);
	model_free(m);
}
END_TEST

START_TEST(web_resources)
{
	struct model *m = load("tests/cfn/web.yaml");
	struct model_network_acl *a = OBJ(m, "DataAcl", nacls, MK_NETWORK_ACL);
	ck_assert_uint_eq(a->n_inbound, 3);
	ck_assert_uint_eq(a->inbound[0].number, 90);
	ck_assert(!a->inbound[0].allow);
	ck_assert_int_eq(a->inbound[0].match.proto, PROTO_ALL);
	ck_assert_str_eq(cidr_s(a->inbound[1].cidr), "10.20.2.0/23");
	ck_assert_int_eq(a->inbound[1].match.proto, PROTO_TCP);
	ck_assert_uint_eq(a->inbound[1].match.port_lo, 5432);
	ck_assert_int_eq(a->inbound[2].match.proto, PROTO_ICMP);
	ck_assert_int_eq(a->inbound[2].match.icmp_type, 8);
	ck_assert_uint_eq(a->n_outbound, 1);
	ck_assert(a->outbound[0].allow);
	ck_assert_uint_eq(a->outbound[0].match.port_lo, 1024);
	struct model_subnet *s = OBJ(m, "DataA", subnets, MK_SUBNET);
	ck_assert_uint_eq(s->nacl, a->obj.index);
	ck_assert(!s->route_table_explicit);
	ck_assert(m->route_tables[s->route_table].is_main);
	struct model_load_balancer *lb = OBJ(m, "Alb", lbs, MK_LOAD_BALANCER);
	ck_assert(lb->internet_facing); /* Scheme defaults to internet-facing */
	ck_assert_int_eq(lb->type, LB_APPLICATION);
	ck_assert_uint_eq(lb->n_listeners, 2);
	struct model_listener *https = &lb->listeners[0];
	ck_assert_uint_eq(https->port, 443);
	ck_assert_int_eq(https->protocol, LBP_HTTPS);
	ck_assert_int_eq(https->default_action.kind, LBA_FIXED_RESPONSE);
	ck_assert_uint_eq(https->default_action.status_code, 404);
	ck_assert_uint_eq(https->n_rules, 1);
	ck_assert_uint_eq(https->rules[0].priority, 10);
	ck_assert_str_eq(https->rules[0].paths[0], "/api/*");
	ck_assert_str_eq(https->rules[0].hosts[0], "api.amazonaws.com");
	ck_assert_int_eq(https->rules[0].action.kind, LBA_FORWARD);
	ck_assert_uint_eq(https->rules[0].action.target_group,
			  find(m, "AppTg", MK_TARGET_GROUP)->index);
	struct model_listener *http = &lb->listeners[1];
	ck_assert_int_eq(http->default_action.kind, LBA_REDIRECT);
	ck_assert_uint_eq(http->default_action.redirect_port, 443);
	ck_assert_int_eq(http->default_action.redirect_protocol, LBP_HTTPS);
	struct model_task_definition *td =
	    OBJ(m, "TaskDef", task_definitions, MK_TASK_DEFINITION);
	ck_assert_uint_eq(td->n_containers, 1);
	ck_assert_uint_eq(td->containers[0].n_ports, 2);
	ck_assert_int_eq(td->containers[0].ports[1].proto, PROTO_UDP);
	model_free(m);
}
END_TEST

START_TEST(web_verdicts)
{
	struct model *m = load("tests/cfn/web.yaml");
	bool unknown;
	ck_assert_int_eq(
	    verdict(m, "internet", "Alb", PROTO_TCP, 443, &unknown),
	    VERDICT_ALL);
	ck_assert(unknown); /* the AdminCidr rule of AlbSg is unknown */
	ck_assert_int_eq(tcp(m, "internet", "Alb", 80), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "internet", "Alb", 8443), VERDICT_NONE);
	ck_assert_int_eq(tcp(m, "internet", "Service", 8080), VERDICT_NONE);
	ck_assert_int_eq(tcp(m, "Alb", "Service", 8080), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "Service", "Db", 5432), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "Service", "aws:ecr", 443), VERDICT_ALL);
	/* The data ACL admits the app subnets on 5432 only. */
	ck_assert_int_eq(block_of(m, "Alb@PublicA", "Db", 5432), BLK_SG_EGRESS);
	model_free(m);
}
END_TEST

START_TEST(web_params)
{
	/* --param fills the parameter that had no value. */
	struct model *m =
	    load_p("tests/cfn/web.yaml", "AdminCidr=203.0.113.0/24");
	struct model_security_group *alb =
	    OBJ(m, "AlbSg", groups, MK_SECURITY_GROUP);
	ck_assert_uint_eq(alb->n_ingress, 3);
	ck_assert_str_eq(cidr_s(alb->ingress[2].cidr), "203.0.113.0/24");
	ck_assert_uint_eq(alb->ingress[2].match.port_lo, 8443);
	ck_assert_uint_eq(alb->obj.n_unknowns, 0);
	ck_assert_ptr_nonnull(model_find(m, "AdminSg"));
	ck_assert_uint_eq(OBJ(m, "AppSg", groups, MK_SECURITY_GROUP)->n_ingress,
			  2);
	bool unknown;
	ck_assert_int_eq(
	    verdict(m, "203.0.113.9", "Alb", PROTO_TCP, 443, &unknown),
	    VERDICT_ALL);
	ck_assert(!unknown);
	/* Open in the group, but the ALB does not listen there. */
	ck_assert_int_eq(block_of(m, "203.0.113.9", "Alb", 8443),
			 BLK_NOT_LISTENING);
	model_free(m);
	/* Env=dev flips the conditions: no NAT, a Debug instance, the dev
	 * mapping. */
	m = load_p("tests/cfn/web.yaml", "Env=dev");
	ck_assert_uint_eq(m->n[MK_NAT_GATEWAY], 0);
	ck_assert_uint_eq(
	    OBJ(m, "Service", services, MK_SERVICE)->desired_count, 1);
	struct model_database *db = OBJ(m, "Db", databases, MK_DATABASE);
	ck_assert_str_eq(db->engine, "aurora-mysql");
	ck_assert_uint_eq(db->port, 3306);
	ck_assert_uint_eq(
	    OBJ(m, "DbSg", groups, MK_SECURITY_GROUP)->ingress[0].match.port_lo,
	    3306);
	ck_assert_int_eq(tcp(m, "Service", "aws:ecr", 443), VERDICT_NONE);
	ck_assert_int_eq(block_of(m, "Service", "aws:ecr", 443), BLK_NO_ROUTE);
	/* Debug has no groups: it gets the VPC's default group, which admits
	 * its own members only. */
	struct model_instance *h = OBJ(m, "Debug", instances, MK_INSTANCE);
	ck_assert_uint_eq(h->n_groups, 1);
	ck_assert_str_eq(m->groups[h->groups[0]].obj.id, "Vpc-default-sg");
	ck_assert(m->groups[h->groups[0]].obj.implicit);
	ck_assert_int_eq(block_of(m, "internet", "Debug", 22), BLK_SG_INGRESS);
	model_free(m);
	m = load_p("tests/cfn/web.yaml", "AWS::Region=eu-west-1");
	ck_assert_str_eq(m->region, "eu-west-1");
	ck_assert_str_eq(OBJ(m, "PublicB", subnets, MK_SUBNET)->az,
			 "eu-west-1b");
	ck_assert_str_eq(OBJ(m, "DataA", subnets, MK_SUBNET)->az, "us-east-1a");
	model_free(m);
}
END_TEST

/* ---- hosts.yaml: instances, interfaces, peering, prefix lists, ... ------ */

START_TEST(hosts_model)
{
	const char *p = "tests/cfn/hosts.yaml";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_with(&p, 1, NULL, 0, &d);
	char *w = messages(&d, DIAG_WARNING);
	ck_assert(strstr(w, "route 'BackDefault' sends 0.0.0.0/0 to VPC "
			    "endpoint 'FirewallEndpoint' (a Gateway Load "
			    "Balancer endpoint, typically a firewall): vpcsim "
			    "does not follow it, and verdicts through this "
			    "route are unknown"));
	ck_assert(strstr(w, "'Firewall' (AWS::NetworkFirewall::Firewall) is "
			    "not modelled, and it can change verdicts: a "
			    "network firewall filters traffic routed through "
			    "it"));
	ck_assert(strstr(w, "'Tgw' (AWS::EC2::TransitGateway) is not "
			    "modelled, and it can change verdicts"));
	free(w);
	struct model_vpc *v = OBJ(m, "Main", vpcs, MK_VPC);
	ck_assert_uint_eq(v->n_cidrs, 2); /* AWS::EC2::VPCCidrBlock */
	ck_assert_str_eq(cidr_s(v->cidrs[1]), "100.64.0.0/20");
	struct model_internet_gateway *e =
	    OBJ(m, "Eigw", igws, MK_INTERNET_GATEWAY);
	ck_assert(e->egress_only);
	/* routes: every kind of target */
	struct model_route_table *t =
	    OBJ(m, "WebRt", route_tables, MK_ROUTE_TABLE);
	int seen[RT_BLACKHOLE + 1] = {0};
	for (uint32_t i = 0; i < t->n_routes; i++)
		seen[t->routes[i].target]++;
	ck_assert_int_eq(seen[RT_LOCAL], 2);
	ck_assert_int_eq(seen[RT_IGW], 1);
	ck_assert_int_eq(seen[RT_EIGW], 1);
	ck_assert_int_eq(seen[RT_PEERING], 1);
	ck_assert_int_eq(seen[RT_TRANSIT], 1);
	ck_assert_int_eq(seen[RT_INSTANCE], 2); /* Proxy (Lab), ApplianceEni */
	/* A literal transit gateway id is opaque, not an unknown. */
	ck_assert_uint_eq(t->obj.n_unknowns, 0);
	struct model_route_table *b =
	    OBJ(m, "BackRt", route_tables, MK_ROUTE_TABLE);
	ck_assert_int_eq(b->routes[b->n_routes - 1].target, RT_TRANSIT);
	ck_assert_str_eq(b->routes[b->n_routes - 1].target_id,
			 "FirewallEndpoint (VPC endpoint)");
	/* GetAtt Main.DefaultNetworkAcl: the default ACL with the entry */
	struct model_network_acl *acl =
	    &m->nacls[OBJ(m, "Web", subnets, MK_SUBNET)->nacl];
	ck_assert(acl->is_default);
	ck_assert_str_eq(acl->obj.id, "Main-default-nacl");
	ck_assert_uint_eq(acl->n_inbound, 2);
	ck_assert_uint_eq(acl->inbound[0].number, 50);
	ck_assert_uint_eq(acl->inbound[1].number, 100);
	/* Instances, interfaces, Elastic IPs */
	struct model_instance *h = OBJ(m, "Bastion", instances, MK_INSTANCE);
	ck_assert_int_eq(h->public_ip, 1);
	ck_assert_uint_eq(h->private_addr, 0x0A01000Au);
	ck_assert_uint_eq(h->n_groups, 1);
	h = OBJ(m, "Proxy", instances, MK_INSTANCE);
	ck_assert(h->has_eip);
	ck_assert(!h->source_dest_check);
	h = OBJ(m, "ApplianceEni", instances, MK_INSTANCE);
	ck_assert(h->is_interface);
	ck_assert(h->has_eip);
	struct model_prefix_list *pl =
	    OBJ(m, "Office", prefix_lists, MK_PREFIX_LIST);
	ck_assert_uint_eq(pl->n_cidrs, 2);
	ck_assert_str_eq(pl->name, "office");
	struct model_security_group *g =
	    OBJ(m, "SshSg", groups, MK_SECURITY_GROUP);
	ck_assert_int_eq(g->ingress[0].peer_kind, PEER_PREFIX_LIST);
	ck_assert_int_eq(g->ingress[2].match.proto, PROTO_TCP); /* "6" */
	ck_assert_int_eq(g->ingress[3].match.proto, PROTO_ALL);
	ck_assert_int_eq(g->ingress[4].peer_kind, PEER_CIDR6);
	ck_assert_uint_eq(g->ingress[4].match.port_hi, 65535);
	ck_assert(has_unknown(&g->obj,
			      "SecurityGroupIngress rule 4 CidrIp: "
			      "Fn::ImportValue 'shared-office-cidr': no loaded "
			      "template exports it"));
	struct model_peering *pr = OBJ(m, "Peering", peerings, MK_PEERING);
	ck_assert_str_eq(m->vpcs[pr->accepter].obj.id, "Peer");
	struct model_vpc_endpoint *s3 =
	    OBJ(m, "S3", endpoints, MK_VPC_ENDPOINT);
	ck_assert_str_eq(s3->service, "s3");
	struct model_vpc_endpoint *logs =
	    OBJ(m, "Logs", endpoints, MK_VPC_ENDPOINT);
	ck_assert_str_eq(logs->service, "logs");
	ck_assert(!logs->private_dns); /* CloudFormation's default */
	ck_assert_str_eq(m->groups[logs->groups[0]].obj.id, "Main-default-sg");
	ck_assert_ptr_null(model_find(m, "FirewallEndpoint"));
	struct model_load_balancer *nlb = OBJ(m, "Nlb", lbs, MK_LOAD_BALANCER);
	ck_assert_int_eq(nlb->type, LB_NETWORK);
	ck_assert(!nlb->internet_facing);
	ck_assert(nlb->cross_zone);
	ck_assert_uint_eq(nlb->n_groups, 0);
	ck_assert_int_eq(nlb->listeners[0].protocol, LBP_TCP);
	struct model_target_group *tg =
	    OBJ(m, "ProxyTg", target_groups, MK_TARGET_GROUP);
	ck_assert_int_eq(tg->target_type, TT_INSTANCE); /* the default */
	ck_assert(tg->preserve_client_ip);
	ck_assert_uint_eq(tg->n_targets, 1);
	ck_assert_str_eq(m->instances[tg->targets[0].instance].obj.id, "Proxy");
	struct model_database *db = OBJ(m, "Legacy", databases, MK_DATABASE);
	ck_assert_uint_eq(db->port, 3307);
	ck_assert(!db->port_defaulted);
	ck_assert(db->publicly_accessible);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

START_TEST(hosts_verdicts)
{
	struct model *m = load("tests/cfn/hosts.yaml");
	/* The prefix list admits the office. */
	ck_assert_int_eq(tcp(m, "203.0.113.5", "Bastion", 22), VERDICT_ALL);
	ck_assert_int_eq(block_of(m, "internet", "Bastion", 22),
			 BLK_SG_INGRESS);
	/* The default ACL's deny entry comes first. */
	ck_assert_int_eq(block_of(m, "internet", "Bastion", 23), BLK_NACL_IN);
	ck_assert_int_eq(tcp(m, "internet", "Proxy", 80), VERDICT_ALL);
	/* Peering both ways, not beyond the peered blocks. */
	ck_assert_int_eq(tcp(m, "PeerHost", "Bastion", 22), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "Bastion", "PeerHost", 5000), VERDICT_ALL);
	/* The gateway endpoint serves S3 to the back subnet; logs goes to
	 * the firewall endpoint (private DNS is off), which is unknown. */
	ck_assert_int_eq(tcp(m, "ApplianceEni", "aws:s3", 443), VERDICT_ALL);
	ck_assert_int_eq(block_of(m, "ApplianceEni", "aws:logs", 443),
			 BLK_UNKNOWN);
	/* Publicly accessible, but its group does not admit 3307. */
	ck_assert_int_eq(block_of(m, "internet", "Legacy", 3307),
			 BLK_SG_INGRESS);
	model_free(m);
}
END_TEST

/* ---- IPv6, the default group, a NAT instance (§2-§7) ------------------- */

START_TEST(dualstack_model)
{
	struct model *m = load("tests/cfn/dualstack.yaml");
	/* AmazonProvidedIpv6CidrBlock: a stand-in block; subnets computed
	 * from it with Fn::Cidr: stand-in /64s of it, in order. */
	struct model_vpc *v = OBJ(m, "Vpc", vpcs, MK_VPC);
	ck_assert(v->ipv6_unknown);
	ck_assert_uint_eq(v->n_cidrs6, 1);
	ck_assert_uint_eq(v->cidrs6[0].len, 56);
	struct model_subnet *pub = OBJ(m, "Public", subnets, MK_SUBNET);
	struct model_subnet *prv = OBJ(m, "Private", subnets, MK_SUBNET);
	ck_assert(pub->has_cidr6 && pub->cidr6_unknown && pub->assign_ipv6);
	ck_assert(prv->has_cidr6 && !prv->assign_ipv6);
	ck_assert(cidr6_contains(v->cidrs6[0], prv->cidr6));
	ck_assert(!cidr6_overlaps(pub->cidr6, prv->cidr6));
	ck_assert_uint_eq(pub->obj.n_unknowns, 0);
	/* ::/0 to the internet gateway and to the egress-only one. */
	struct model_route_table *rt =
	    OBJ(m, "PrivateRt", route_tables, MK_ROUTE_TABLE);
	bool eigw = false;
	for (uint32_t i = 0; i < rt->n_routes; i++)
		eigw |= rt->routes[i].ipv6 && rt->routes[i].dst6.len == 0 &&
			rt->routes[i].target == RT_EIGW;
	ck_assert(eigw);
	/* GetAtt Vpc.DefaultSecurityGroup is the VPC's default group, and a
	 * standalone ingress adds to AWS's default rules; Plain names no
	 * group and gets it. */
	struct model_security_group *dg = &m->groups[v->default_group];
	ck_assert(dg->vpc_default && dg->obj.implicit);
	ck_assert_uint_eq(dg->n_ingress, 2);
	ck_assert_int_eq(dg->ingress[0].peer_kind, PEER_GROUP);
	ck_assert_int_eq(dg->ingress[1].peer_kind, PEER_CIDR6);
	ck_assert_uint_eq(dg->n_egress, 2); /* and ::/0 out: the VPC has IPv6 */
	ck_assert_int_eq(dg->egress[1].peer_kind, PEER_CIDR6);
	struct model_instance *plain = OBJ(m, "Plain", instances, MK_INSTANCE);
	ck_assert_uint_eq(plain->n_groups, 1);
	ck_assert_uint_eq(plain->groups[0], v->default_group);
	/* Ipv6AddressCount, Ipv6Addresses, IpAddressType, NetworkType. */
	struct model_instance *web = OBJ(m, "Web", instances, MK_INSTANCE);
	ck_assert_int_eq(web->ipv6, IPV6_ON);
	struct model_instance *fx = OBJ(m, "Fixed", instances, MK_INSTANCE);
	ck_assert(fx->has_addr6);
	char a6[CIDR6_STRLEN];
	model_addr6_format(a6, fx->addr6);
	ck_assert_str_eq(a6, "2001:db8:1:2::99");
	ck_assert(OBJ(m, "Alb", lbs, MK_LOAD_BALANCER)->dualstack);
	ck_assert(OBJ(m, "Db", databases, MK_DATABASE)->dualstack);
	/* The NAT instance: its SourceDestCheck is its primary interface's,
	 * and the route to it goes there (§3). */
	struct model_instance *eni = OBJ(m, "NatEni", instances, MK_INSTANCE);
	ck_assert(!eni->source_dest_check);
	ck_assert(eni->has_eip);
	for (uint32_t i = 0; i < rt->n_routes; i++)
		if (!rt->routes[i].ipv6 && rt->routes[i].dst.len == 0) {
			ck_assert_int_eq(rt->routes[i].target, RT_INSTANCE);
			ck_assert_uint_eq(rt->routes[i].target_index,
					  eni->obj.index);
		}
	model_free(m);
}
END_TEST

START_TEST(dualstack_verdicts)
{
	struct model *m = load("tests/cfn/dualstack.yaml");
	/* Web has an IPv6 address and no public IPv4 one. */
	ck_assert_int_eq(tcp(m, "internet6", "Web", 443), VERDICT_ALL);
	ck_assert_int_eq(block_of(m, "internet", "Web", 443), BLK_NO_PUBLIC_IP);
	/* Out through the NAT instance, within its group (§3). */
	ck_assert_int_eq(tcp(m, "App", "internet", 443), VERDICT_ALL);
	ck_assert_int_eq(block_of(m, "App", "internet", 22), BLK_SG_INGRESS);
	/* The default group's added rule admits its IPv6 block only. */
	ck_assert_int_eq(tcp(m, "2001:db8:77::5", "Plain", 22), VERDICT_ALL);
	ck_assert_int_eq(block_of(m, "internet6", "Plain", 22), BLK_SG_INGRESS);
	/* The dualstack ALB takes the IPv6 internet as far as its
	 * listeners, of which it has none. */
	ck_assert_int_eq(block_of(m, "internet6", "Alb", 443),
			 BLK_NOT_LISTENING);
	model_free(m);
}
END_TEST

/* ---- several templates: exports and imports ---------------------------- */

START_TEST(stacks_import)
{
	static const char *const paths[] = {"tests/cfn/stacks/network.yaml",
					    "tests/cfn/stacks/app.yaml"};
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = load_with(paths, 2, NULL, 0, &d);
	/* Both stacks define Sg: the ids take the stack name. */
	ck_assert_ptr_null(model_find(m, "Sg"));
	struct model_security_group *web =
	    OBJ(m, "app.Sg", groups, MK_SECURITY_GROUP);
	struct model_security_group *shared =
	    OBJ(m, "network.Sg", groups, MK_SECURITY_GROUP);
	ck_assert_str_eq(web->obj.loc.file, paths[1]);
	ck_assert_str_eq(m->vpcs[web->vpc].obj.id, "Vpc");
	ck_assert_uint_eq(web->n_ingress, 2);
	ck_assert_uint_eq(web->ingress[1].peer, shared->obj.index);
	struct model_instance *h = OBJ(m, "Web", instances, MK_INSTANCE);
	ck_assert_str_eq(m->subnets[h->subnet].obj.id, "PublicB");
	ck_assert(h->has_eip);
	struct model_instance *o = OBJ(m, "Other", instances, MK_INSTANCE);
	ck_assert_uint_eq(o->subnet, MODEL_NONE);
	ck_assert(has_unknown(&o->obj, "SubnetId: Fn::ImportValue "
				       "'missing-subnet': no loaded template "
				       "exports it"));
	ck_assert_int_eq(tcp(m, "internet", "Web", 80), VERDICT_ALL);
	ck_assert_int_eq(block_of(m, "internet", "Web", 22), BLK_SG_INGRESS);
	model_free(m);
	diag_list_free(&d);
	/* Alone, the app stack's imports are unknown, not errors. */
	m = load("tests/cfn/stacks/app.yaml");
	web = OBJ(m, "Sg", groups, MK_SECURITY_GROUP);
	ck_assert_uint_eq(web->vpc, MODEL_NONE);
	ck_assert(has_unknown(&web->obj, "VpcId: Fn::ImportValue "
					 "'network-vpc': no loaded template "
					 "exports it"));
	model_free(m);
}
END_TEST

/* ---- defaults ----------------------------------------------------------- */

static const char sg_head[] =
    "Resources:\n"
    "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n";

START_TEST(sg_egress_defaults)
{
	char buf[2048];
	snprintf(buf, sizeof(buf),
		 "%s"
		 "  A: {Type: AWS::EC2::SecurityGroup, Properties: "
		 "{GroupDescription: a, VpcId: !Ref V}}\n"
		 "  B: {Type: AWS::EC2::SecurityGroup, Properties: "
		 "{GroupDescription: b, VpcId: !Ref V, SecurityGroupEgress: "
		 "[{IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: "
		 "0.0.0.0/0}]}}\n"
		 "  C: {Type: AWS::EC2::SecurityGroup, Properties: "
		 "{GroupDescription: c, VpcId: !Ref V, SecurityGroupEgress: "
		 "[]}}\n"
		 "  AOut: {Type: AWS::EC2::SecurityGroupEgress, Properties: "
		 "{GroupId: !Ref A, IpProtocol: udp, FromPort: 53, ToPort: 53, "
		 "CidrIp: 10.0.0.2/32}}\n"
		 "  BOut: {Type: AWS::EC2::SecurityGroupEgress, Properties: "
		 "{GroupId: !GetAtt B.GroupId, IpProtocol: udp, FromPort: 53, "
		 "ToPort: 53, DestinationSecurityGroupId: !Ref A}}\n",
		 sg_head);
	struct model *m = NULL;
	struct diag_list d = DIAG_LIST_INIT;
	model_load_buffer(&m, "t.yaml", buf, strlen(buf), &d);
	if (!m)
		dump(&d);
	ck_assert_ptr_nonnull(m);
	struct model_security_group *a = OBJ(m, "A", groups, MK_SECURITY_GROUP);
	ck_assert(a->default_egress);
	ck_assert_uint_eq(a->n_egress, 2);
	ck_assert(a->egress[0].implicit);
	ck_assert_uint_eq(a->egress[1].match.port_lo, 53);
	ck_assert_uint_eq(a->egress[1].loc.line, 6);
	struct model_security_group *b = OBJ(m, "B", groups, MK_SECURITY_GROUP);
	ck_assert(!b->default_egress);
	ck_assert_uint_eq(b->n_egress, 2);
	ck_assert_uint_eq(b->egress[0].match.port_lo, 443);
	ck_assert_int_eq(b->egress[1].peer_kind, PEER_GROUP);
	struct model_security_group *c = OBJ(m, "C", groups, MK_SECURITY_GROUP);
	ck_assert(c->default_egress);
	model_free(m);
	diag_list_free(&d);
}
END_TEST

START_TEST(resource_defaults)
{
	char buf[2048];
	snprintf(buf, sizeof(buf),
		 "%s"
		 "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, "
		 "CidrBlock: 10.0.1.0/24}}\n"
		 "  T: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, "
		 "CidrBlock: 10.0.2.0/24}}\n"
		 "  G: {Type: AWS::EC2::SecurityGroup, Properties: "
		 "{GroupDescription: g, VpcId: !Ref V}}\n"
		 "  D: {Type: AWS::RDS::DBInstance, Properties: {Engine: "
		 "sqlserver-ex, DBSubnetGroupName: !Ref N, VPCSecurityGroups: "
		 "[!Ref G]}}\n"
		 "  N: {Type: AWS::RDS::DBSubnetGroup, Properties: "
		 "{DBSubnetGroupDescription: n, SubnetIds: [!Ref S, !Ref T]}}\n"
		 "  E: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: !Ref "
		 "V, ServiceName: com.amazonaws.us-east-1.ecr.dkr, "
		 "VpcEndpointType: Interface, SubnetIds: [!Ref S], "
		 "SecurityGroupIds: [!Ref G]}}\n"
		 "  L: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, "
		 "Properties: {Subnets: [!Ref S, !Ref T]}}\n",
		 sg_head);
	struct model *m = NULL;
	struct diag_list d = DIAG_LIST_INIT;
	model_load_buffer(&m, "t.yaml", buf, strlen(buf), &d);
	if (!m)
		dump(&d);
	ck_assert_ptr_nonnull(m);
	struct model_subnet *s = OBJ(m, "S", subnets, MK_SUBNET);
	ck_assert(!s->map_public_ip);
	ck_assert(m->route_tables[s->route_table].is_main);
	ck_assert(m->nacls[s->nacl].is_default);
	ck_assert_ptr_null(s->az);
	struct model_database *db = OBJ(m, "D", databases, MK_DATABASE);
	ck_assert_uint_eq(db->port, 1433);
	ck_assert(!db->publicly_accessible);
	ck_assert(!OBJ(m, "E", endpoints, MK_VPC_ENDPOINT)->private_dns);
	struct model_load_balancer *lb = OBJ(m, "L", lbs, MK_LOAD_BALANCER);
	ck_assert(lb->internet_facing);
	ck_assert_int_eq(lb->type, LB_APPLICATION);
	ck_assert_uint_eq(lb->n_groups, 1); /* the VPC's default group */
	ck_assert_str_eq(m->groups[lb->groups[0]].obj.id, "V-default-sg");
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* ---- errors and warnings ------------------------------------------------ */

START_TEST(template_errors)
{
	ASSERT_ERRORS("Resources:\n  V: {Type: AWS::EC2::VPC, Properties: "
		      "{CidrBlock: [}\n",
		      "2:53: did not find expected node content while parsing "
		      "a flow node\n");
	ASSERT_ERRORS("Resources:\n"
		      "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
		      "10.0.0.0/16}}\n"
		      "  S:\n"
		      "    Type: AWS::EC2::Subnet\n"
		      "    Properties: {VpcId: !Ref Vpcc, CidrBlock: "
		      "10.0.0.0/24}\n",
		      "5:25: Ref to 'Vpcc', which is no parameter or resource "
		      "of the template (did you mean 'Vpc'?)\n");
	ASSERT_ERRORS(
	    "Resources:\n"
	    "  V:\n"
	    "    Type: AWS::EC2::VPC\n"
	    "    Properties:\n"
	    "      CidrBlock: !Select [0, !Cidr [10.0.0.0/24, 5, 6]]\n",
	    "5:30: Fn::Cidr: 10.0.0.0/24 holds 4 blocks of /26, not 5\n");
	ASSERT_ERRORS(
	    "Resources:\n"
	    "  V:\n"
	    "    Type: AWS::EC2::VPC\n"
	    "    Properties:\n"
	    "      CidrBlock: !Select [0, !Cidr [10.0.0.0/24, 2, 9]]\n",
	    "5:53: Fn::Cidr: cidrBits must be a number 1-8 for "
	    "10.0.0.0/24, not '9'\n");
	ASSERT_ERRORS(
	    "Resources:\n"
	    "  V:\n"
	    "    Type: AWS::EC2::VPC\n"
	    "    Properties:\n"
	    "      CidrBlock: !Select [0, !Cidr [10.0.0.1/24, 2, 4]]\n",
	    "5:37: Fn::Cidr: ipBlock '10.0.0.1/24' has host bits set "
	    "(did you mean '10.0.0.0/24'?)\n");
	ASSERT_ERRORS("Resources:\n"
		      "  A:\n"
		      "    Type: AWS::EC2::SecurityGroup\n"
		      "    Properties: {GroupDescription: !GetAtt B.GroupId}\n"
		      "  B:\n"
		      "    Type: AWS::EC2::SecurityGroup\n"
		      "    Properties: {GroupDescription: x}\n"
		      "    DependsOn: C\n"
		      "  C:\n"
		      "    Type: AWS::EC2::SecurityGroup\n"
		      "    Properties: {GroupDescription: !Ref A}\n",
		      "2:3: circular dependency between resources: A -> B -> C "
		      "-> A\n");
	ASSERT_ERRORS("Resources:\n"
		      "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
		      "!Joinn ['', [10.0.0.0/16]]}}\n",
		      "2:52: unknown tag '!Joinn' (did you mean '!Join'?)\n");
	ASSERT_ERRORS("Resources:\n"
		      "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
		      "{Fn::Joinn: ['', [10.0.0.0/16]]}}}\n",
		      "2:53: unknown intrinsic function 'Fn::Joinn' (did you "
		      "mean 'Fn::Join'?)\n");
	ASSERT_ERRORS("Resources:\n"
		      "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
		      "!Select [2, [a, b]]}}\n",
		      "2:52: Fn::Select: index 2 is out of range: the list has "
		      "2 items\n");
	ASSERT_ERRORS("Mappings:\n"
		      "  M: {prod: {Cidr: 10.0.0.0/16}}\n"
		      "Resources:\n"
		      "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
		      "!FindInMap [M, prod, Cidrr]}}\n",
		      "4:73: Fn::FindInMap: no key 'Cidrr' under 'prod' (did "
		      "you mean 'Cidr'?)\n");
	ASSERT_ERRORS("Resources:\n"
		      "  V: {Type: AWS::EC2::VPC, DependsOn: [W], Properties: "
		      "{CidrBlock: 10.0.0.0/16}}\n",
		      "2:40: DependsOn names 'W', which is no resource of the "
		      "template\n");
	ASSERT_ERRORS("Conditions:\n"
		      "  A: !Condition B\n"
		      "  B: !Condition A\n"
		      "Resources:\n"
		      "  V: {Type: AWS::EC2::VPC, Condition: A, Properties: "
		      "{CidrBlock: 10.0.0.0/16}}\n",
		      "2:3: condition 'A' depends on itself\n");
	ASSERT_ERRORS(
	    "Conditions:\n"
	    "  No: !Equals [a, b]\n"
	    "Resources:\n"
	    "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
	    "10.0.0.0/16}}\n"
	    "  I: {Type: AWS::EC2::InternetGateway, Condition: Noo}\n"
	    "  S: {Type: AWS::EC2::Subnet, Condition: No, Properties: "
	    "{VpcId: !Ref V, CidrBlock: 10.0.0.0/24}}\n"
	    "  R: {Type: AWS::EC2::RouteTable, Properties: {VpcId: "
	    "!GetAtt S.VpcId}}\n",
	    "5:51: unknown condition 'Noo' (did you mean 'No'?)\n"
	    "7:55: 'Fn::GetAtt' refers to resource 'S', which its "
	    "Condition leaves out of the stack\n");
	ASSERT_ERRORS("Resources:\n"
		      "  S: {Type: AWS::EC2::Subnet, Properties: {CidrBlock: "
		      "10.0.0.0/24}}\n",
		      "2:3: AWS::EC2::Subnet 'S' needs VpcId\n");
	ASSERT_ERRORS(
	    "Parameters:\n"
	    "  Env: {Type: String, Default: qa, AllowedValues: [prod, "
	    "dev]}\n"
	    "Resources:\n"
	    "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
	    "10.0.0.0/16, InstanceTenancy: !Ref Env}}\n",
	    "2:3: parameter 'Env': 'qa' is not one of its "
	    "AllowedValues (prod, dev)\n");
	ASSERT_ERRORS("Resource:\n"
		      "  V: {Type: AWS::EC2::VPC}\n"
		      "AWSTemplateFormatVersion: 2010-09-09\n",
		      "1:1: unknown template section 'Resource' (did you mean "
		      "'Resources'?)\n"
		      "1:1: a template needs a Resources section\n");
}
END_TEST

START_TEST(resource_errors)
{
	char buf[4096];
	snprintf(
	    buf, sizeof(buf),
	    "%s"
	    "  I: {Type: AWS::EC2::InternetGateway}\n"
	    "  R: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref "
	    "V}}\n"
	    "  X: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref "
	    "R, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref I, "
	    "InstanceId: i-1}}\n"
	    "  A: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: !Ref "
	    "V}}\n"
	    "  E1: {Type: AWS::EC2::NetworkAclEntry, Properties: "
	    "{NetworkAclId: !Ref A, RuleNumber: 100, Protocol: -1, "
	    "RuleAction: allow, CidrBlock: 0.0.0.0/0}}\n"
	    "  E2: {Type: AWS::EC2::NetworkAclEntry, Properties: "
	    "{NetworkAclId: !Ref A, RuleNumber: 100, Protocol: 6, "
	    "RuleAction: deny, CidrBlock: 0.0.0.0/0, PortRange: {From: 22, "
	    "To: 22}}}\n"
	    "  E3: {Type: AWS::EC2::NetworkAclEntry, Properties: "
	    "{NetworkAclId: !Ref A, RuleNumber: 200, Protocol: 17, "
	    "RuleAction: allow, CidrBlock: 0.0.0.0/0}}\n"
	    "  G: {Type: AWS::EC2::SecurityGroup, Properties: "
	    "{GroupDescription: g, VpcId: !Ref V, SecurityGroupIngress: "
	    "[{IpProtocol: tcp, CidrIp: 0.0.0.0/0}, {IpProtocol: tcp, "
	    "FromPort: 1, ToPort: 2, CidrIp: 0.0.0.0/0, "
	    "SourceSecurityGroupId: !Ref G}]}}\n"
	    "  P: {Type: AWS::EC2::VPCEndpoint, Properties: {VpcId: !Ref "
	    "V, ServiceName: com.amazonaws.us-east-1.sqs, RouteTableIds: "
	    "[!Ref R]}}\n",
	    sg_head);
	/* A group that names itself in its own rules cannot be created in
	 * one step: CloudFormation calls that a circular dependency. */
	ASSERT_ERRORS(
	    buf, "5:3: route 'X' needs exactly one target (GatewayId, "
		 "NatGatewayId, ...), not 2\n"
		 "8:3: network ACL 'A' already has an ingress rule 100 (at "
		 "7:3)\n"
		 "9:3: entry 'E3': protocol 17 needs PortRange\n"
		 "10:3: circular dependency between resources: G -> G\n"
		 "10:110: SecurityGroupIngress rule 1: tcp rules need "
		 "FromPort and ToPort\n"
		 "10:148: SecurityGroupIngress rule 2 needs exactly one of "
		 "CidrIp, CidrIpv6, SourceSecurityGroupId, "
		 "SourcePrefixListId, SourceSecurityGroupName\n"
		 "11:77: gateway endpoints exist for s3 and dynamodb only, "
		 "not 'sqs'\n");
}
END_TEST

START_TEST(load_errors)
{
	/* --param naming no parameter */
	const char *p = "tests/cfn/web.yaml";
	const char *bad = "Envv=dev";
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	model_load_files(&m, &p, 1, &bad, 1, &d);
	ck_assert_ptr_null(m);
	char *e = messages(&d, DIAG_ERROR);
	ck_assert_str_eq(e, "0:0: --param Envv: no loaded template declares a "
			    "parameter 'Envv' (did you mean 'Env'?)\n");
	free(e);
	diag_list_free(&d);
	/* templates only load together with templates */
	static const char *const two[] = {"tests/cfn/stacks/network.yaml",
					  "scenarios/three-tier.yaml"};
	model_load_files(&m, two, 2, NULL, 0, &d);
	ck_assert_ptr_null(m);
	e = messages(&d, DIAG_ERROR);
	ck_assert_str_eq(e, "0:0: a vpcsim model: only CloudFormation "
			    "templates can be loaded together\n");
	free(e);
	diag_list_free(&d);
	/* the same export twice; the same stack name twice */
	static const char a[] =
	    "Resources:\n"
	    "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
	    "10.0.0.0/16}}\n"
	    "Outputs:\n"
	    "  Id: {Value: !Ref V, Export: {Name: !Sub "
	    "'${AWS::StackName}-vpc'}}\n"
	    "  Same: {Value: x, Export: {Name: shared}}\n";
	const struct model_input in[] = {{"x/net.yaml", a, strlen(a)},
					 {"y/net.yaml", a, strlen(a)}};
	model_load_inputs(&m, in, 2, NULL, 0, &d);
	ck_assert_ptr_null(m);
	e = messages(&d, DIAG_ERROR);
	ck_assert_str_eq(e, "5:3: export 'shared' is also exported by "
			    "x/net.yaml:5:3\n");
	free(e);
	diag_list_free(&d);
}
END_TEST

START_TEST(warnings)
{
	char buf[2048];
	snprintf(buf, sizeof(buf),
		 "Transform: AWS::Serverless-2016-10-31\n"
		 "%s"
		 "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, "
		 "CidrBlok: 10.0.1.0/24, CidrBlock: 10.0.1.0/24}}\n"
		 "  T: {Type: AWS::ECS::TaskDefinition, Properties: "
		 "{NetworkMode: none, ContainerDefinitions: []}}\n"
		 "  F: {Type: AWS::Lambda::Function, Properties: {VpcConfig: "
		 "{SubnetIds: [!Ref S]}}}\n"
		 "  K: {Type: AWS::EC2::SecurityGroup, Properties: "
		 "{GroupDescription: !GetAtt V.CidrBlok}}\n",
		 sg_head);
	char *w = warnings_of(buf);
	ck_assert_str_eq(
	    w, "1:12: Transform 'AWS::Serverless-2016-10-31' is not applied: "
	       "vpcsim reads the template as written\n"
	       "4:59: AWS::EC2::Subnet has no property 'CidrBlok' that vpcsim "
	       "knows of (did you mean 'CidrBlock'?)\n"
	       "5:3: task definition 'T' uses network mode 'none', which has "
	       "no network to analyse: it and its services are left out\n"
	       "7:69: AWS::EC2::VPC has no attribute 'CidrBlok' that vpcsim "
	       "knows of (did you mean 'CidrBlock'?)\n");
	free(w);
}
END_TEST

/* ---- nested stacks, unknowns, what the model does not hold --------------
 *
 * Templates of tests/cfn/nested (a root stack with three nested stacks)
 * and tests/cfn/patterns (one pattern of real templates each).
 */

#define NESTED "tests/cfn/nested/"
#define PAT    "tests/cfn/patterns/"

/* Loads files with --templates dirs and --param values; the model must
 * load. */
static struct model *load_opts(const char *const *paths, size_t n,
			       const char *dir, const char *param)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct load_opts o = {.params = &param,
			      .n_params = param ? 1 : 0,
			      .template_dirs = &dir,
			      .n_template_dirs = dir ? 1 : 0};
	struct model *m = NULL;
	model_load_files_opts(&m, NULL, paths, n, &o, &d);
	if (!m)
		dump(&d);
	ck_assert_ptr_nonnull(m);
	diag_list_free(&d);
	return m;
}

/* The gap of a resource, or NULL. */
static const struct model_gap *gap_of(const struct model *m, const char *id)
{
	for (uint32_t i = 0; i < m->n_gaps; i++)
		if (!strcmp(m->gaps[i].id, id))
			return &m->gaps[i];
	return NULL;
}

static struct finding_list run_rule(const struct model *m, const char *rule)
{
	struct finding_list l = {0};
	const char *only[] = {rule};
	struct rule_options opt = {only, 1, NULL, 0};
	rules_run(&l, m, &opt);
	return l;
}

/* The NAT-instance pattern (tests/cfn/patterns/nat-instance.yaml): the
 * private subnet's default route names an interface whose
 * SourceDestCheck is false and which has the Elastic IP (§3, §7).  The
 * private subnet leaves through it, within its group, and nothing enters
 * through it.  The checks are the same for the real Quick Start template
 * it reproduces, read from the shared examples when they are beside the
 * project (they are not part of it). */
static void check_nat_instance(struct model *m, const char *eni_id,
			       const char *private_rt, enum sim_block smtp)
{
	struct model_instance *eni = OBJ(m, eni_id, instances, MK_INSTANCE);
	ck_assert(!eni->source_dest_check);
	ck_assert(eni->has_eip);
	struct model_route_table *rt =
	    OBJ(m, private_rt, route_tables, MK_ROUTE_TABLE);
	bool via_eni = false;
	for (uint32_t i = 0; i < rt->n_routes; i++)
		via_eni |= rt->routes[i].target == RT_INSTANCE &&
			   rt->routes[i].target_index == eni->obj.index;
	ck_assert(via_eni);
	/* A host of the private subnet: out through the NAT instance on the
	 * ports its group admits from the VPC (80, 443), not on others
	 * (8080: its group; 25: a NACL, smtp says which side); nothing from
	 * the internet reaches the subnet. */
	ck_assert_int_eq(tcp(m, "10.100.96.10", "internet", 443), VERDICT_ALL);
	ck_assert_int_eq(block_of(m, "10.100.96.10", "internet", 8080),
			 BLK_SG_INGRESS);
	ck_assert_int_eq(block_of(m, "10.100.96.10", "internet", 25), smtp);
	ck_assert_int_eq(block_of(m, "internet", "10.100.96.10", 443),
			 BLK_NO_PUBLIC_IP);
}

START_TEST(nat_instance_pattern)
{
	struct model *m = load("tests/cfn/patterns/nat-instance.yaml");
	/* 25: the private subnet's NACL denies it on the way out. */
	check_nat_instance(m, "NatEni", "PrivateRoutes", BLK_NACL_OUT);
	model_free(m);
}
END_TEST

#define NIST_DIR "../shared/examples/realworld/cfn"
#define NIST_VPC                                                               \
	NIST_DIR "/aws-cloudformation__cfn-lint__test__fixtures__templates__"  \
		 "quickstart__nist_vpc_production.yaml"

START_TEST(nist_nat_instance)
{
	static const char *const params[] = {
	    "pSupportsNatGateway=false",
	    "pAppPrivateSubnetBCIDR=10.100.112.0/21",
	    "pDBPrivateSubnetACIDR=10.100.192.0/21",
	    "pDBPrivateSubnetBCIDR=10.100.208.0/21",
	    "pRegionAZ1Name=us-east-1a",
	    "pRegionAZ2Name=us-east-1b",
	    "pManagementCIDR=192.0.2.0/24"};
	const char *path = NIST_VPC;
	if (access(path, R_OK) != 0) {
		fprintf(stderr,
			"note: %s absent; the real NAT-instance "
			"template is not checked\n",
			path);
		return;
	}
	/* The child's file in the corpus is not named as the parent's
	 * TemplateURL names it: link it under that name in a directory of
	 * our own, for --templates. */
	char dir[] = "/tmp/vpcsim-nist.XXXXXX", link[64], target[PATH_MAX];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(link, sizeof(link), "%s/template-nat-instance.json", dir);
	char cwd[PATH_MAX - 128];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	snprintf(target, sizeof(target),
		 "%s/" NIST_DIR "/aws-cloudformation__cfn-lint__test__"
		 "fixtures__templates__quickstart__nat-instance.json",
		 cwd);
	ck_assert_int_eq(symlink(target, link), 0);
	const char *dirp = dir;
	struct diag_list d = DIAG_LIST_INIT;
	struct load_opts o = {.params = params,
			      .n_params = 7,
			      .template_dirs = &dirp,
			      .n_template_dirs = 1};
	struct model *m = NULL;
	model_load_files_opts(&m, NULL, &path, 1, &o, &d);
	unlink(link);
	rmdir(dir);
	if (!m)
		dump(&d);
	ck_assert_ptr_nonnull(m);
	diag_list_free(&d);
	/* 25: the NAT instance's subnet NACL, which the way in meets. */
	check_nat_instance(m, "rNatInstanceTemplate.rNatInstanceEni",
			   "rRouteTableProdPrivate", BLK_NACL_IN);
	model_free(m);
}
END_TEST

/* Network by a local path, App by its file name in a --templates
 * directory: the children's resources are in the model under their
 * stack's name, with what the parent passes (not their Defaults), and
 * the parent reads the children's outputs. */
START_TEST(nested_stacks)
{
	const char *root = NESTED "root.yaml";
	struct model *m = load_opts(&root, 1, NESTED "templates", NULL);
	struct model_vpc *v = OBJ(m, "Network.Vpc", vpcs, MK_VPC);
	ck_assert_str_eq(cidr_s(v->cidrs[0]), "10.1.0.0/16");
	struct model_instance *web = OBJ(m, "App.Web", instances, MK_INSTANCE);
	ck_assert_str_eq(m->subnets[web->subnet].obj.id, "Network.SubnetA");
	ck_assert_ptr_null(model_find(m, "Web"));
	ck_assert_ptr_null(model_find(m, "Vpc"));
	struct model_security_group *admin =
	    OBJ(m, "Admin", groups, MK_SECURITY_GROUP);
	ck_assert_uint_eq(admin->n_egress, 1);
	ck_assert_str_eq(m->groups[admin->egress[0].peer].obj.id, "App.WebSg");
	ck_assert_int_eq(admin->vpc, v->obj.index);
	/* the child's locations are its own file's */
	ck_assert_str_eq(web->obj.loc.file, NESTED "templates/app.yaml");
	/* the one stack whose template is nowhere is not analysed */
	ck_assert_uint_eq(m->n_gaps, 1);
	const struct model_gap *g = gap_of(m, "Missing");
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->loc.line, 21);
	ck_assert_ptr_nonnull(strstr(g->why, "'absent.yaml' was not given"));
	ck_assert_int_eq(tcp(m, "internet", "App.Web", 22), VERDICT_ALL);
	model_free(m);
}
END_TEST

/* A child given on the command line beside its parent is loaded once, as
 * the child: not also as a stack of its own, with its parameters
 * unknown. */
START_TEST(nested_inputs)
{
	static const char *const paths[] = {NESTED "root.yaml",
					    NESTED "templates/app.yaml"};
	struct model *m = load_opts(paths, 2, NULL, NULL);
	find(m, "App.Web", MK_INSTANCE);
	ck_assert_ptr_null(model_find(m, "Web"));
	ck_assert_ptr_null(model_find(m, "WebSg"));
	ck_assert_uint_eq(m->n[MK_INSTANCE], 1);
	ck_assert_uint_eq(m->n_gaps, 1);
	model_free(m);
	/* The same child given first: still the child. */
	static const char *const swapped[] = {NESTED "templates/app.yaml",
					      NESTED "root.yaml"};
	m = load_opts(swapped, 2, NULL, NULL);
	find(m, "App.Web", MK_INSTANCE);
	ck_assert_uint_eq(m->n[MK_INSTANCE], 1);
	model_free(m);
}
END_TEST

/* Without App's template: the stack is not analysed (a warning-level
 * finding at its line, so --fail-on warning fails), and the output the
 * root reads from it is unknown, not an error. */
START_TEST(nested_missing)
{
	const char *root = NESTED "root.yaml";
	struct model *m = load_opts(&root, 1, NULL, NULL);
	ck_assert_uint_eq(m->n_gaps, 2);
	ck_assert_ptr_nonnull(gap_of(m, "App"));
	struct model_security_group *admin =
	    OBJ(m, "Admin", groups, MK_SECURITY_GROUP);
	ck_assert_uint_eq(admin->n_egress, 0);
	ck_assert(has_unknown(&admin->obj, "output 'WebSg' of nested stack "
					   "'App', whose template was not "
					   "given"));
	struct finding_list l = run_rule(m, "VS020");
	ck_assert_uint_eq(l.n, 2);
	for (uint32_t i = 0; i < l.n; i++) {
		ck_assert_int_eq(l.v[i].severity, SEV_WARNING);
		ck_assert_str_eq(l.v[i].loc.file, root);
	}
	ck_assert_str_eq(l.v[0].resource, "App");
	ck_assert_uint_eq(l.v[0].loc.line, 14);
	ck_assert_str_eq(l.v[0].message,
			 "'App' is not analysed: its template 'app.yaml' was "
			 "not given (name it on the command line or put it in "
			 "a --templates directory)");
	findings_free(&l);
	model_free(m);
}
END_TEST

static struct model *load_bufs(const struct model_input *in, size_t n,
			       struct diag_list *d)
{
	struct model *m = NULL;
	model_load_inputs_opts(&m, NULL, in, n, NULL, d);
	return m;
}

/* A template is found by its URL's file name, or by a name that ends
 * with it after '_', '-' or '.' (a copy that keeps its path in its name);
 * two such copies are ambiguous, and the exact name wins over both. */
START_TEST(nested_names)
{
	static const char parent[] =
	    "Resources:\n"
	    "  Net:\n"
	    "    Type: AWS::CloudFormation::Stack\n"
	    "    Properties: {TemplateURL: 'https://b.s3.amazonaws.com/x/"
	    "vpc.yaml?versionId=3'}\n";
	static const char child[] =
	    "Resources:\n"
	    "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
	    "10.0.0.0/16}}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct model_input in[] = {
	    {"p/root.yaml", parent, strlen(parent)},
	    {"copies/stacks__vpc.yaml", child, strlen(child)},
	    {"copies/old-vpc.yaml", child, strlen(child)}};
	struct model *m = load_bufs(in, 2, &d);
	ck_assert_ptr_nonnull(m);
	find(m, "Net.Vpc", MK_VPC);
	ck_assert_uint_eq(m->n_gaps, 0);
	model_free(m);
	m = load_bufs(in, 3, &d);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->n_gaps, 1);
	ck_assert_str_eq(m->gaps[0].why,
			 "2 templates could be its template 'vpc.yaml' "
			 "('copies/stacks__vpc.yaml', 'copies/old-vpc.yaml'): "
			 "give one only");
	model_free(m);
	struct model_input exact[] = {
	    in[0], in[1], in[2], {"other/vpc.yaml", child, strlen(child)}};
	m = load_bufs(exact, 4, &d);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->n_gaps, 0);
	ck_assert_str_eq(find(m, "Net.Vpc", MK_VPC)->loc.file,
			 "other/vpc.yaml");
	model_free(m);
	diag_list_free(&d);
}
END_TEST

/* Errors CloudFormation makes too: an output the child does not have, a
 * list where a stack parameter must be a string. */
START_TEST(nested_errors)
{
	static const char parent[] =
	    "Resources:\n"
	    "  Net:\n"
	    "    Type: AWS::CloudFormation::Stack\n"
	    "    Properties:\n"
	    "      TemplateURL: child.yaml\n"
	    "      Parameters: {Name: [a, b]}\n"
	    "  G:\n"
	    "    Type: AWS::EC2::SecurityGroup\n"
	    "    Properties: {GroupDescription: !GetAtt Net.Outputs.Vpcid}\n";
	static const char child[] =
	    "Parameters:\n"
	    "  Name: {Type: String, Default: x}\n"
	    "Resources:\n"
	    "  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
	    "10.0.0.0/16, Tags: [{Key: Name, Value: !Ref Name}]}}\n"
	    "Outputs:\n"
	    "  VpcId: {Value: !Ref Vpc}\n";
	struct diag_list d = DIAG_LIST_INIT;
	struct model_input in[] = {{"root.yaml", parent, strlen(parent)},
				   {"child.yaml", child, strlen(child)}};
	ck_assert_ptr_null(load_bufs(in, 2, &d));
	diag_sort(&d);
	char *e = messages(&d, DIAG_ERROR);
	ck_assert_str_eq(e, "6:26: nested stack 'Net' passes parameter 'Name' "
			    "a list: a stack's Parameters are strings (join a "
			    "list with Fn::Join)\n"
			    "9:36: nested stack 'Net' (child.yaml) has no "
			    "output 'Vpcid' (did you mean 'VpcId'?)\n");
	free(e);
	diag_list_free(&d);
}
END_TEST

/* Values CloudFormation accepts load: an unquoted True equals "true"
 * (and AllowedValues [true, false]), a quoted one does not; !GetAZs
 * {Ref: AWS::Region} follows --param AWS::Region; FindInMap's
 * DefaultValue; Fn::Select over Ipv6CidrBlocks is an unknown element (a
 * subnet's block computed from it a stand-in of unknown prefix); a
 * subnet in a VPC the input leaves unknown, one under an unknown
 * condition and an instance in the default VPC are not analysed. */
START_TEST(unknowns_load)
{
	const char *t = PAT "unknowns.yaml";
	struct model *m = load_opts(&t, 1, NULL, "AWS::Region=eu-west-1");
	struct model_subnet *s = OBJ(m, "Flagged", subnets, MK_SUBNET);
	ck_assert_str_eq(s->az, "eu-west-1a");
	ck_assert_str_eq(cidr_s(s->cidr), "10.0.0.0/24");
	/* Its IPv6 block, computed from the VPC's Amazon-provided one, has
	 * a stand-in prefix (§2): IPv6 is analysed, and nothing about the
	 * subnet is unknown for it. */
	ck_assert(s->has_cidr6 && s->cidr6_unknown);
	ck_assert(!has_unknown(&s->obj, "Ipv6CidrBlock"));
	ck_assert_ptr_null(model_find(m, "QuotedSubnet"));
	ck_assert_ptr_null(model_find(m, "ModeSubnet"));
	ck_assert_ptr_null(model_find(m, "Elsewhere"));
	ck_assert_ptr_null(model_find(m, "Classic"));
	ck_assert_uint_eq(m->n_gaps, 3);
	ck_assert_str_eq(gap_of(m, "ModeSubnet")->why,
			 "it exists only if its Condition holds, which is "
			 "unknown (parameter 'Mode' has no Default and no "
			 "--param Mode=VALUE)");
	ck_assert_str_eq(gap_of(m, "Elsewhere")->why,
			 "its VpcId is unknown (parameter 'ExistingVpc' has no "
			 "Default and no --param ExistingVpc=VALUE)");
	ck_assert_ptr_nonnull(
	    strstr(gap_of(m, "Classic")->why, "region's default VPC"));
	struct model_security_group *g =
	    OBJ(m, "Admin", groups, MK_SECURITY_GROUP);
	ck_assert_uint_eq(g->n_ingress, 0);
	ck_assert(has_unknown(&g->obj, "parameter 'AdminCidr' has no Default"));
	ck_assert(has_unknown(&g->obj, "Fn::ImportValue 'net-office'"));
	ck_assert(m->vpcs[0].ipv6_unknown);
	model_free(m);
	/* The import's name comes from Fn::Sub inside a short !ImportValue. */
	static const char *const two[] = {PAT "unknowns.yaml",
					  PAT "exporter.yaml"};
	m = load_opts(two, 2, NULL, NULL);
	g = OBJ(m, "Admin", groups, MK_SECURITY_GROUP);
	ck_assert_uint_eq(g->n_ingress, 1);
	ck_assert_str_eq(cidr_s(g->ingress[0].cidr), "192.0.2.0/24");
	ck_assert_uint_eq(g->ingress[0].match.port_lo, 443);
	model_free(m);
}
END_TEST

/* What resources vpcsim skips name is in use: no unused-resource finding
 * for the launch configuration's group, the target group of a service
 * left out (which says its targets are missing), the exported route table
 * or the target group of a rule on an imported listener (which says
 * so); Orphan, named by nothing, is still unused. */
START_TEST(skipped_uses)
{
	struct model *m = load(PAT "skipped.yaml");
	struct finding_list l = run_rule(m, "VS016");
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].resource, "Orphan");
	findings_free(&l);
	/* Peer's rule names a group the fleet carries: it can match. */
	l = run_rule(m, "VS015");
	ck_assert_uint_eq(l.n, 0);
	findings_free(&l);
	struct model_obj *tg = find(m, "FleetTargets", MK_TARGET_GROUP);
	ck_assert(has_unknown(tg, "'Batch' (AWS::ECS::Service), which vpcsim "
				  "does not model, registers targets in it"));
	tg = find(m, "RuleTargets", MK_TARGET_GROUP);
	ck_assert(has_unknown(tg, "listener rule 'Rule' forwards here"));
	ck_assert_uint_eq(tg->n_unknowns, 1);
	struct model_obj *rt = find(m, "Spare", MK_ROUTE_TABLE);
	ck_assert_str_eq(model_used_by(m, MK_ROUTE_TABLE, rt->index),
			 "output 'SpareTable' of stack 'skipped'");
	struct model_obj *sg = find(m, "FleetSg", MK_SECURITY_GROUP);
	ck_assert_str_eq(model_used_by(m, MK_SECURITY_GROUP, sg->index),
			 "'Config' (AWS::AutoScaling::LaunchConfiguration)");
	ck_assert_ptr_null(model_used_by(
	    m, MK_SECURITY_GROUP, find(m, "Orphan", MK_SECURITY_GROUP)->index));
	model_free(m);
}
END_TEST

/* An Amazon-provided IPv6 block: the VPC has IPv6, so its ::/0 rule is
 * not one that never matches; the VPC without IPv6 still has one. */
START_TEST(ipv6_amazon)
{
	struct model *m = load(PAT "ipv6.yaml");
	ck_assert(OBJ(m, "Dual", vpcs, MK_VPC)->ipv6_unknown);
	ck_assert(!OBJ(m, "Plain", vpcs, MK_VPC)->ipv6_unknown);
	struct finding_list l = run_rule(m, "VS015");
	ck_assert_uint_eq(l.n, 1);
	ck_assert_str_eq(l.v[0].resource, "PlainSg");
	findings_free(&l);
	model_free(m);
}
END_TEST

/* Templates CloudFormation cannot deploy: the error says why, where. */
START_TEST(invalid_templates)
{
	ASSERT_ERRORS(
	    "Resources:\n"
	    "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: vpc-123456, "
	    "CidrBlock: 10.0.0.0/24}}\n"
	    "  T: {Type: AWS::EC2::Subnet, Properties: {VpcId: "
	    "vpc-0123456789abcdef0, CidrBlock: 10.0.0.0/24}}\n",
	    "2:51: 'S' VpcId: 'vpc-123456' is no VPC id EC2 accepts ('vpc-' "
	    "and 8 or 17 hexadecimal digits), so deploying the template "
	    "fails\n");
	ASSERT_ERRORS(
	    "Resources:\n"
	    "  Cache: {Type: AWS::ElastiCache::SecurityGroup, Properties: "
	    "{Description: c}}\n",
	    "2:3: 'Cache' is an ElastiCache cache security group, which served "
	    "clusters outside a VPC (EC2-Classic); AWS retired EC2-Classic in "
	    "August 2023, so CloudFormation can no longer create one: give the "
	    "cluster VpcSecurityGroupIds and a CacheSubnetGroupName instead\n");
	ASSERT_ERRORS(
	    "Parameters:\n"
	    "  Block: {Type: String, Default: 10.0.1.0/16}\n"
	    "Resources:\n"
	    "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
	    "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, "
	    "CidrBlock: !Ref Block}}\n",
	    "2:3: CidrBlock '10.0.1.0/16' has host bits set (parameter "
	    "'Block', read by 'S'): EC2 creates a subnet only from a block's "
	    "first address, so deploying the template fails (did you mean "
	    "'10.0.0.0/16'?)\n");
	/* Globals is SAM's, read by its Transform: without one it is no
	 * section of a template. */
	ASSERT_ERRORS("Globals: {Function: {Timeout: 3}}\n"
		      "Resources:\n"
		      "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
		      "10.0.0.0/16}}\n",
		      "1:1: unknown template section 'Globals'\n");
}
END_TEST

Suite *cfn_suite(void)
{
	Suite *s = suite_create("cfn");
	TCase *t = tcase_create("cdk");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, cdk_all_load);
	tcase_add_test(t, cdk_base_model);
	tcase_add_test(t, cdk_base_verdicts);
	tcase_add_test(t, cdk_db_public_open);
	tcase_add_test(t, cdk_db_private_open);
	tcase_add_test(t, cdk_tasks_public_open);
	tcase_add_test(t, cdk_isolated);
	suite_add_tcase(s, t);
	t = tcase_create("templates");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, web_intrinsics);
	tcase_add_test(t, web_resources);
	tcase_add_test(t, web_verdicts);
	tcase_add_test(t, web_params);
	tcase_add_test(t, hosts_model);
	tcase_add_test(t, hosts_verdicts);
	tcase_add_test(t, dualstack_model);
	tcase_add_test(t, dualstack_verdicts);
	tcase_add_test(t, nat_instance_pattern);
	tcase_add_test(t, nist_nat_instance);
	tcase_add_test(t, stacks_import);
	tcase_add_test(t, sg_egress_defaults);
	tcase_add_test(t, resource_defaults);
	suite_add_tcase(s, t);
	t = tcase_create("errors");
	tcase_add_test(t, template_errors);
	tcase_add_test(t, resource_errors);
	tcase_add_test(t, load_errors);
	tcase_add_test(t, warnings);
	tcase_add_test(t, invalid_templates);
	suite_add_tcase(s, t);
	t = tcase_create("nested");
	suite_add_tcase(s, t);
	tcase_add_test(t, nested_stacks);
	tcase_add_test(t, nested_inputs);
	tcase_add_test(t, nested_missing);
	tcase_add_test(t, nested_names);
	tcase_add_test(t, nested_errors);
	t = tcase_create("unknowns");
	suite_add_tcase(s, t);
	tcase_add_test(t, unknowns_load);
	tcase_add_test(t, skipped_uses);
	tcase_add_test(t, ipv6_amazon);
	return s;
}
