/*
 * Patterns of the real public CloudFormation templates that vpcsim once
 * judged wrongly (docs/realworld.md), each reproduced by a small template
 * of our own in tests/cfn/rw: container instances that join their
 * cluster through cfn-init metadata; image pulls of ECS tasks on EC2,
 * which the container instance makes; a load balancer without listeners
 * sharing a group with the members a rule is meant for; a service whose
 * task definition is known only after deployment; an instance whose
 * primary interface is a separate resource; an export that a loaded
 * template imports and other stacks may import too.  Each test fails on
 * the code before its fix.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"
#include "report/report.h"
#include "rules/rules.h"
#include "sim/reach.h"
#include "sim/sim.h"
#include "tests/check_support.h"

/* The answer of from -> to on one tcp port and its forward's (ALL when
 * the destination forwards nothing). */
/* The message of the first finding of rule on resource, copied (the
 * caller frees it), or NULL. */
static char *message(const struct model *m, const char *rule,
		     const char *resource)
{
	struct finding_list l = {0};
	const char *only[1] = {rule};
	struct rule_options opt = {only, 1, NULL, 0};
	rules_run(&l, m, &opt);
	char *msg = NULL;
	for (uint32_t i = 0; i < l.n && !msg; i++)
		if (l.v[i].resource && !strcmp(l.v[i].resource, resource))
			msg = strdup(l.v[i].message);
	findings_free(&l);
	return msg;
}

/* ---- cfn-init joins the cluster ------------------------------------- */

START_TEST(ecs_join_by_cfn_init)
{
	struct model *m = tk_load("tests/cfn/rw/ecs-cfn-init.yaml");
	const struct model_fleet *hosts =
	    &m->fleets[tk_obj(m, "Hosts", MK_FLEET)->index];
	const struct model_fleet *cmd =
	    &m->fleets[tk_obj(m, "Cmd", MK_FLEET)->index];
	const struct model_fleet *idle =
	    &m->fleets[tk_obj(m, "Idle", MK_FLEET)->index];
	/* a file's content (Fn::Join) and a command (Fn::Sub of the
	 * cluster's name) in the metadata cfn-init runs */
	ck_assert_ptr_nonnull(hosts->ecs_cluster);
	ck_assert_str_eq(hosts->ecs_cluster, "Cluster");
	ck_assert_ptr_nonnull(cmd->ecs_cluster);
	ck_assert_str_eq(cmd->ecs_cluster, "Cluster");
	/* the same metadata, but nothing runs cfn-init on it */
	ck_assert_ptr_null(idle->ecs_cluster);
	/* The bridge service's tasks are on the joined instances' dynamic
	 * ports: 2 of Hosts, 1 of Cmd, none of Idle. */
	uint32_t tg = tk_obj(m, "Tg", MK_TARGET_GROUP)->index;
	struct sim_target t[8];
	uint32_t n = sim_tg_targets(m, tg, 0, t, 8);
	ck_assert_uint_eq(n, 3);
	for (uint32_t i = 0; i < n; i++) {
		const struct model_placement *p =
		    &m->placements[t[i].placement];
		ck_assert_uint_eq(p->kind, MK_FLEET);
		ck_assert_uint_ne(p->index, idle->obj.index);
		ck_assert_uint_eq(t[i].port, MODEL_ECS_DYNAMIC_LO);
	}
	ck_assert_uint_eq(tk_count(m, "VS005", NULL, NULL), 0);
	model_free(m);
}
END_TEST

/* ---- image pulls on EC2 --------------------------------------------- */

START_TEST(image_pull_on_ec2)
{
	struct model *m = tk_load("tests/cfn/rw/ecs-ec2-pull.yaml");
	/* awsvpc tasks on EC2 have no public address, but the instances
	 * that pull for them do */
	ck_assert_uint_eq(tk_count(m, "VS007", "Web", NULL), 0);
	/* the instances of Stranded's cluster have no way out: the finding
	 * names them */
	ck_assert_uint_eq(tk_count(m, "VS007", "Stranded", NULL), 1);
	char *msg = message(m, "VS007", "Stranded");
	ck_assert_ptr_nonnull(strstr(msg, "IsoHosts"));
	free(msg);
	/* no instance of its cluster in the input: nothing to judge */
	ck_assert_uint_eq(tk_count(m, "VS007", "Ghost", NULL), 0);
	/* Fargate: the task's own interface pulls, and it has no public
	 * address */
	enum severity sev;
	ck_assert_uint_eq(tk_count(m, "VS007", "Edge", &sev), 1);
	ck_assert_int_eq(sev, SEV_ERROR);
	model_free(m);
}
END_TEST

/* ---- a load balancer without listeners ----------------------------- */

START_TEST(lb_without_listener_not_intended)
{
	struct model *m = tk_load("tests/cfn/rw/lb-no-listener.yaml");
	/* the internal load balancer, AppSg's only member here, listens on
	 * nothing: AppSg's rules are for the tasks of other stacks */
	ck_assert_uint_eq(tk_count(m, "VS006", "AppSg", NULL), 0);
	/* an instance behind a NACL that drops the port: still blocked */
	enum severity sev;
	ck_assert_uint_eq(tk_count(m, "VS006", "GuardSg", &sev), 1);
	ck_assert_int_eq(sev, SEV_ERROR);
	model_free(m);
}
END_TEST

/* ---- a task definition known only after deployment ----------------- */

START_TEST(service_ports_unknown)
{
	struct model *m = tk_load("tests/cfn/rw/custom-task-def.yaml");
	ck_assert_uint_eq(m->services[tk_obj(m, "Service", MK_SERVICE)->index]
			      .task_definition,
			  MODEL_NONE);
	/* 8000, which the tasks' group admits from the load balancer: the
	 * forward works (the ports are unknown, not "nothing") */
	enum sim_verdict v, fwd;
	tk_answer(m, "internet", "Lb", 80, &v, &fwd);
	ck_assert_int_eq(v, VERDICT_ALL);
	ck_assert_int_eq(fwd, VERDICT_ALL);
	ck_assert_uint_eq(tk_count(m, "VS006", NULL, NULL), 0);
	/* the exposure map says the forward depends on the unknown */
	struct sim *s = NULL;
	sim_new(&s, m);
	struct reach_index *ix = NULL;
	ck_assert_int_eq(reach_index_new(&ix, s), 0);
	struct reach_table t = {0};
	struct sim_sel inet;
	char err[256];
	ck_assert_int_eq(sim_sel_parse(&inet, s, "internet", err, sizeof(err)),
			 0);
	reach_from(&t, ix, &inet, PROTO_TCP, false);
	const char *fu = NULL;
	for (uint32_t i = 0; i < t.n; i++)
		if (t.rows[i].dst.rkind == MK_LOAD_BALANCER)
			fu = t.rows[i].fwd_unknown;
	ck_assert_ptr_nonnull(fu);
	ck_assert_ptr_nonnull(strstr(fu, "TaskDefinition"));
	reach_table_free(&t);
	reach_index_free(ix);
	sim_free(s);
	/* 9000, which the group does not admit: still refused there */
	tk_answer(m, "internet", "Lb", 81, &v, &fwd);
	ck_assert_int_eq(fwd, VERDICT_NONE);
	ck_assert_uint_eq(tk_count(m, "VS005", "Lb", NULL), 1);
	char *msg = message(m, "VS005", "Lb");
	ck_assert_ptr_nonnull(strstr(msg, "Admin"));
	free(msg);
	model_free(m);
}
END_TEST

/* ---- an instance on a separate primary interface ------------------- */

START_TEST(primary_interface_of_template)
{
	struct model *m = tk_load("tests/cfn/rw/nat-instance-eni.yaml");
	/* the interface is in the template: nothing unknown, and it
	 * carries the instance's SourceDestCheck */
	ck_assert_uint_eq(tk_obj(m, "Nat", MK_INSTANCE)->n_unknowns, 0);
	ck_assert_uint_eq(tk_count(m, "VS018", "Nat", NULL), 0);
	ck_assert(!m->instances[tk_obj(m, "NatEni", MK_INSTANCE)->index]
		       .source_dest_check);
	/* an existing interface named by id is not in the input */
	ck_assert_uint_eq(tk_obj(m, "Relay", MK_INSTANCE)->n_unknowns, 1);
	ck_assert_uint_eq(tk_count(m, "VS018", "Relay", NULL), 1);
	model_free(m);
}
END_TEST

/* ---- an export a loaded template imports ---------------------------- */

START_TEST(export_imported_still_outside)
{
	const char *paths[] = {"tests/cfn/rw/export-net.yaml",
			       "tests/cfn/rw/export-db.yaml"};
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	model_load_files(&m, paths, 2, NULL, 0, &d);
	if (!m)
		diag_print(stderr, &d);
	diag_list_free(&d);
	ck_assert_ptr_nonnull(m);
	/* the import wired the rule to the exported group ... */
	const struct model_security_group *db =
	    &m->groups[tk_obj(m, "DbSg", MK_SECURITY_GROUP)->index];
	ck_assert_uint_eq(db->n_ingress, 1);
	ck_assert_int_eq(db->ingress[0].peer_kind, PEER_GROUP);
	ck_assert_uint_eq(db->ingress[0].peer,
			  tk_obj(m, "HostSg", MK_SECURITY_GROUP)->index);
	/* ... which the hosts of stacks outside the load carry */
	ck_assert_uint_eq(tk_count(m, "VS015", NULL, NULL), 0);
	ck_assert_uint_eq(tk_count(m, "VS016", "HostSg", NULL), 0);
	model_free(m);
	/* A group that nothing carries and nothing exports: the rule that
	 * names it never matches, with a caution for the instance whose
	 * subnet is unknown. */
	m = tk_load("tests/cfn/rw/uncarried.yaml");
	ck_assert_uint_eq(tk_count(m, "VS015", "Web", NULL), 1);
	struct finding_list l = {0};
	const char *only[1] = {"VS015"};
	struct rule_options opt = {only, 1, NULL, 0};
	rules_run(&l, m, &opt);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_ptr_nonnull(strstr(l.v[0].message, "no resource carries"));
	bool caution = false;
	for (uint32_t i = 0; i < l.v[0].n_details; i++)
		caution |=
		    strstr(l.v[0].details[i],
			   "this may be wrong: instance 'Other'") != NULL;
	ck_assert(caution);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- rule numbers after a left-out rule ----------------------------- */

START_TEST(rule_numbers_follow_template)
{
	struct model *m = tk_load("tests/cfn/rw/rule-numbers.yaml");
	const struct model_security_group *g =
	    &m->groups[tk_obj(m, "HostSg", MK_SECURITY_GROUP)->index];
	/* rules 1 and 2 are left out (their CIDR is unknown) */
	ck_assert_uint_eq(g->n_ingress, 2);
	ck_assert_uint_eq(g->ingress[0].number, 3);
	ck_assert_uint_eq(g->ingress[0].match.port_lo, 22);
	ck_assert_uint_eq(g->ingress[1].number, 4); /* the standalone one */
	ck_assert_uint_eq(g->ingress[1].match.port_lo, 3389);
	model_free(m);
}
END_TEST

/* ---- what the exposure map cannot judge ----------------------------- */

/* The internet's map of m as text (json false) or JSON, with or without
 * the mark of an internet map; the caller frees it. */
static char *internet_map(const struct model *m, bool json, bool mark)
{
	struct sim *s = NULL;
	sim_new(&s, m);
	struct reach_index *ix = NULL;
	ck_assert_int_eq(reach_index_new(&ix, s), 0);
	struct sim_sel inet;
	char err[256];
	ck_assert_int_eq(sim_sel_parse(&inet, s, "internet", err, sizeof(err)),
			 0);
	struct reach_table t = {0};
	reach_from(&t, ix, &inet, PROTO_TCP, false);
	t.from_internet = mark;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (json)
		report_map_json(f, s, &t);
	else
		report_map_text(f, s, &t, "what internet reaches:");
	fclose(f);
	reach_table_free(&t);
	reach_index_free(ix);
	sim_free(s);
	return buf;
}

START_TEST(map_lists_unplaced)
{
	struct model *m = tk_load("tests/cfn/rw/unplaced.yaml");
	char *text = internet_map(m, false, true);
	ck_assert_ptr_nonnull(strstr(text, "  nothing\n"));
	ck_assert_ptr_nonnull(strstr(text, "not judged"));
	ck_assert_ptr_nonnull(strstr(
	    text, "classic load balancer Web: Subnets: parameter 'DmzA'"));
	ck_assert_ptr_nonnull(strstr(text, "ECS service Tasks: "));
	/* no public address, or internal: the map loses nothing there */
	ck_assert_ptr_null(strstr(text, "Workers"));
	ck_assert_ptr_null(strstr(text, "Inner"));
	free(text);
	char *json = internet_map(m, true, true);
	ck_assert_ptr_nonnull(strstr(json, "\"not_placed\": ["));
	ck_assert_ptr_nonnull(strstr(json, "\"id\": \"Web\""));
	free(json);
	/* a map of another source says nothing of the internet's */
	text = internet_map(m, false, false);
	ck_assert_ptr_null(strstr(text, "not judged"));
	free(text);
	model_free(m);
}
END_TEST

Suite *rwpatterns_suite(void)
{
	Suite *s = suite_create("rwpatterns");
	TCase *t = tcase_create("cfn");
	tcase_add_test(t, ecs_join_by_cfn_init);
	tcase_add_test(t, image_pull_on_ec2);
	tcase_add_test(t, lb_without_listener_not_intended);
	tcase_add_test(t, service_ports_unknown);
	tcase_add_test(t, primary_interface_of_template);
	tcase_add_test(t, export_imported_still_outside);
	tcase_add_test(t, rule_numbers_follow_template);
	tcase_add_test(t, map_lists_unplaced);
	suite_add_tcase(s, t);
	return s;
}
