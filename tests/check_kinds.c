/*
 * The kinds of issue 12: fleets (Auto Scaling groups, Lambda functions),
 * ECS on EC2 (bridge and host tasks on container instances, awsvpc tasks
 * on EC2), classic load balancers, data stores (ElastiCache, EFS,
 * Aurora) and databases in the default VPC, through the CloudFormation
 * templates of tests/cfn and small inline ones.  Each test is written to
 * fail when the kind is done the obvious wrong way: a launch template's
 * groups ignored for the group's absent ones, a dynamic host port taken
 * for port 0 or for the container port, a classic listener forwarding to
 * the listener port, a cache given a public address, a database without
 * a subnet group dropped.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"
#include "rules/rules.h"
#include "sim/sim.h"
#include "tests/check_support.h"

static struct model *load_text(const char *yaml)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	model_load_buffer(&m, "t.yaml", yaml, strlen(yaml), &d);
	if (!m)
		diag_print(stderr, &d);
	diag_list_free(&d);
	ck_assert_msg(m != NULL, "the template does not load");
	return m;
}

static bool has_group(const struct model *m, const uint32_t *g, uint32_t n,
		      const char *id)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(m->groups[g[i]].obj.id, id))
			return true;
	return false;
}

/* The answer of from -> to on one tcp port (sim_answer's verdicts). */
static enum sim_verdict tcp(const struct model *m, const char *from,
			    const char *to, uint16_t port)
{
	enum sim_verdict v;
	tk_answer(m, from, to, port, &v, NULL);
	return v;
}

/* ---- fleets ---------------------------------------------------------- */

START_TEST(fleet_launch_template_groups)
{
	struct model *m = tk_load("tests/cfn/fleet-ssh.yaml");
	const struct model_fleet *f =
	    &m->fleets[tk_obj(m, "Web", MK_FLEET)->index];
	/* The group's own SecurityGroups are absent: the launch
	 * template's SecurityGroupIds are what the instances carry. */
	ck_assert_uint_eq(f->n_groups, 1);
	ck_assert(has_group(m, f->groups, f->n_groups, "WebSg"));
	ck_assert_uint_eq(f->n_subnets, 2);
	/* public_ip -1: each subnet's MapPublicIpOnLaunch decides */
	uint32_t np;
	const struct model_placement *p =
	    model_placements(m, MK_FLEET, f->obj.index, &np);
	ck_assert_uint_eq(np, 2);
	ck_assert(p[0].has_public);  /* PublicA maps public IPs */
	ck_assert(!p[1].has_public); /* PublicB does not */
	/* Listening ports unknown: open where the groups allow. */
	ck_assert_int_eq(tcp(m, "internet", "Web", 22), VERDICT_SOME);
	ck_assert_int_eq(tcp(m, "internet", "Web", 8443), VERDICT_NONE);
	enum severity sev;
	ck_assert_uint_eq(tk_count(m, "VS004", "Web", &sev), 1);
	ck_assert_int_eq(sev, SEV_ERROR);
	/* The group is attached: not "unused". */
	ck_assert_uint_eq(tk_count(m, "VS016", "WebSg", NULL), 0);
	model_free(m);
}
END_TEST

START_TEST(fleet_interface_public_ip)
{
	struct model *m = tk_load("tests/cfn/bastion-asg.yaml");
	const struct model_fleet *f =
	    &m->fleets[tk_obj(m, "Bastion", MK_FLEET)->index];
	/* NetworkInterfaces[0].Groups and AssociatePublicIpAddress, the
	 * template named by its LaunchTemplateName; the subnet list a
	 * comma-joined string. */
	ck_assert(has_group(m, f->groups, f->n_groups, "BastionSg"));
	ck_assert_int_eq(f->public_ip, 1);
	ck_assert_uint_eq(f->n_subnets, 1);
	ck_assert_int_eq(tcp(m, "203.0.113.9", "Bastion", 22), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "internet", "Bastion", 22), VERDICT_NONE);
	ck_assert_uint_eq(tk_count(m, "VS004", "Bastion", NULL), 0);
	model_free(m);
}
END_TEST

/* A launch configuration that associates no public address overrides
 * the subnet's MapPublicIpOnLaunch. */
START_TEST(fleet_launch_configuration)
{
	struct model *m = load_text(
	    "Resources:\n"
	    "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
	    "10.0.0.0/16}}\n"
	    "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, "
	    "CidrBlock: 10.0.1.0/24, MapPublicIpOnLaunch: true}}\n"
	    "  G: {Type: AWS::EC2::SecurityGroup, Properties: "
	    "{GroupDescription: g, VpcId: !Ref V}}\n"
	    "  C: {Type: AWS::AutoScaling::LaunchConfiguration, Properties: "
	    "{ImageId: ami-1, InstanceType: t3.micro, SecurityGroups: [!Ref "
	    "G], AssociatePublicIpAddress: false}}\n"
	    "  A: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: "
	    "{MinSize: '1', MaxSize: '1', VPCZoneIdentifier: [!Ref S], "
	    "LaunchConfigurationName: !Ref C}}\n"
	    "  Z: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: "
	    "{MinSize: '1', MaxSize: '1', AvailabilityZones: [us-east-1a], "
	    "LaunchConfigurationName: !Ref C}}\n");
	const struct model_fleet *a =
	    &m->fleets[tk_obj(m, "A", MK_FLEET)->index];
	ck_assert_int_eq(a->public_ip, 0);
	uint32_t np;
	const struct model_placement *p =
	    model_placements(m, MK_FLEET, a->obj.index, &np);
	ck_assert_uint_eq(np, 1);
	ck_assert(!p[0].has_public);
	ck_assert(has_group(m, a->groups, a->n_groups, "G"));
	/* AvailabilityZones only: the default VPC, no placement, and said
	 * (VS018), not silent. */
	const struct model_fleet *z =
	    &m->fleets[tk_obj(m, "Z", MK_FLEET)->index];
	ck_assert(z->default_vpc);
	model_placements(m, MK_FLEET, z->obj.index, &np);
	ck_assert_uint_eq(np, 0);
	ck_assert_uint_eq(z->obj.n_unknowns, 1);
	ck_assert_str_eq(z->obj.unknowns[0],
			 "VPCZoneIdentifier: without it the instances are in "
			 "the region's default VPC, which the templates do not "
			 "describe");
	model_free(m);
}
END_TEST

/* ---- ECS on EC2 ------------------------------------------------------ */

START_TEST(ecs_bridge_dynamic_ports)
{
	struct model *m = tk_load("tests/cfn/ecs-bridge.yaml");
	const struct model_fleet *h =
	    &m->fleets[tk_obj(m, "Hosts", MK_FLEET)->index];
	ck_assert_str_eq(h->ecs_cluster, "Cluster");
	const struct model_task_definition *td =
	    &m->task_definitions[tk_obj(m, "Task", MK_TASK_DEFINITION)->index];
	ck_assert_str_eq(td->network_mode, "bridge");
	ck_assert_uint_eq(td->containers[0].ports[0].host_port, 0);
	/* The target group registers the container instances on the
	 * dynamic range, not on port 0 and not on the container port. */
	uint32_t tg = tk_obj(m, "Tg", MK_TARGET_GROUP)->index;
	struct sim_target t[8];
	uint32_t n = sim_tg_targets(m, tg, 0, t, 8);
	ck_assert_uint_eq(n, 2);
	for (uint32_t i = 0; i < n; i++) {
		ck_assert_uint_eq(m->placements[t[i].placement].kind, MK_FLEET);
		ck_assert_uint_eq(t[i].port, MODEL_ECS_DYNAMIC_LO);
		ck_assert_uint_eq(t[i].port_hi, MODEL_ECS_DYNAMIC_HI);
	}
	enum sim_verdict v, fwd;
	tk_answer(m, "internet", "Alb", 80, &v, &fwd);
	ck_assert_int_eq(v, VERDICT_ALL);
	ck_assert_int_eq(fwd, VERDICT_ALL);
	ck_assert_uint_eq(tk_count(m, "VS005", NULL, NULL), 0);
	model_free(m);
}
END_TEST

/* The classic mistake: the hosts admit the ALB on the container port
 * only, or on part of the range. */
START_TEST(ecs_bridge_container_port_only)
{
	static const char *const narrow[] = {"HostFrom=80", "HostTo=80"};
	static const char *const part[] = {"HostFrom=49153"};
	struct model *m = tk_load_p("tests/cfn/ecs-bridge.yaml", narrow, 2);
	enum sim_verdict v, fwd;
	tk_answer(m, "internet", "Alb", 80, &v, &fwd);
	ck_assert_int_eq(v, VERDICT_ALL); /* the ALB itself answers */
	ck_assert_int_eq(fwd, VERDICT_NONE);
	ck_assert_uint_eq(tk_count(m, "VS005", "Alb", NULL), 1);
	model_free(m);
	m = tk_load_p("tests/cfn/ecs-bridge.yaml", part, 1);
	tk_answer(m, "internet", "Alb", 80, &v, &fwd);
	ck_assert_int_eq(fwd, VERDICT_NONE);
	model_free(m);
}
END_TEST

/* Host mode: the host port is the container port; awsvpc tasks on EC2
 * get no public address even when the service asks for one. */
START_TEST(ecs_host_and_awsvpc_on_ec2)
{
	struct model *m = load_text(
	    "Resources:\n"
	    "  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: "
	    "10.0.0.0/16}}\n"
	    "  I: {Type: AWS::EC2::InternetGateway}\n"
	    "  GA: {Type: AWS::EC2::VPCGatewayAttachment, Properties: "
	    "{VpcId: !Ref V, InternetGatewayId: !Ref I}}\n"
	    "  S: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref V, "
	    "CidrBlock: 10.0.1.0/24, MapPublicIpOnLaunch: true}}\n"
	    "  R: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref V}}\n"
	    "  D: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref R, "
	    "DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref I}}\n"
	    "  RA: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: "
	    "{SubnetId: !Ref S, RouteTableId: !Ref R}}\n"
	    "  G: {Type: AWS::EC2::SecurityGroup, Properties: "
	    "{GroupDescription: g, VpcId: !Ref V, SecurityGroupIngress: "
	    "[{IpProtocol: tcp, FromPort: 0, ToPort: 65535, CidrIp: "
	    "0.0.0.0/0}]}}\n"
	    "  K: {Type: AWS::ECS::Cluster, Properties: {ClusterName: "
	    "apps}}\n"
	    "  C: {Type: AWS::AutoScaling::LaunchConfiguration, Properties: "
	    "{ImageId: ami-1, InstanceType: t3.micro, SecurityGroups: [!Ref "
	    "G], UserData: {'Fn::Base64': {'Fn::Join': ['', ['echo "
	    "ECS_CLUSTER=', 'apps', ' >> /etc/ecs/ecs.config']]}}}}\n"
	    "  A: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: "
	    "{MinSize: '1', MaxSize: '1', VPCZoneIdentifier: [!Ref S], "
	    "LaunchConfigurationName: !Ref C}}\n"
	    "  TH: {Type: AWS::ECS::TaskDefinition, Properties: {NetworkMode: "
	    "host, ContainerDefinitions: [{Name: w, PortMappings: "
	    "[{ContainerPort: 8080}]}]}}\n"
	    "  TA: {Type: AWS::ECS::TaskDefinition, Properties: {NetworkMode: "
	    "awsvpc, ContainerDefinitions: [{Name: w, PortMappings: "
	    "[{ContainerPort: 80}]}]}}\n"
	    "  SA: {Type: AWS::ECS::Service, Properties: {Cluster: !Ref K, "
	    "LaunchType: EC2, TaskDefinition: !Ref TA, NetworkConfiguration: "
	    "{AwsvpcConfiguration: {Subnets: [!Ref S], SecurityGroups: [!Ref "
	    "G], AssignPublicIp: ENABLED}}}}\n");
	/* ECS_CLUSTER=apps names cluster K by its ClusterName */
	const struct model_fleet *a =
	    &m->fleets[tk_obj(m, "A", MK_FLEET)->index];
	ck_assert_str_eq(a->ecs_cluster, "K");
	const struct model_task_definition *th =
	    &m->task_definitions[tk_obj(m, "TH", MK_TASK_DEFINITION)->index];
	ck_assert_uint_eq(th->containers[0].ports[0].host_port, 8080);
	const struct model_service *sa =
	    &m->services[tk_obj(m, "SA", MK_SERVICE)->index];
	ck_assert(sa->on_ec2);
	uint32_t np;
	const struct model_placement *p =
	    model_placements(m, MK_SERVICE, sa->obj.index, &np);
	ck_assert_uint_eq(np, 1);
	ck_assert(!p[0].has_public);
	ck_assert_int_eq(tcp(m, "internet", "SA", 80), VERDICT_NONE);
	ck_assert_int_eq(tcp(m, "internet", "A", 8080), VERDICT_ALL);
	model_free(m);
}
END_TEST

/* ---- classic load balancers ------------------------------------------ */

START_TEST(classic_elb_forwards)
{
	struct model *m = tk_load("tests/cfn/classic-elb.yaml");
	uint32_t lb = tk_obj(m, "Elb", MK_LOAD_BALANCER)->index;
	const struct model_load_balancer *b = &m->lbs[lb];
	ck_assert_int_eq(b->type, LB_CLASSIC);
	ck_assert(!b->cross_zone); /* CloudFormation's default */
	ck_assert_uint_eq(b->listeners[0].port, 80);
	ck_assert_uint_eq(b->listeners[0].instance_port, 8080);
	ck_assert_uint_eq(b->health_check_port, 8080);
	/* The listener forwards to the instances on the instance port. */
	const struct model_lb_action *a = &b->listeners[0].default_action;
	ck_assert_int_eq(a->kind, LBA_FORWARD);
	const struct model_target_group *tg =
	    &m->target_groups[a->target_group];
	ck_assert(tg->classic && tg->obj.implicit);
	ck_assert_uint_eq(tg->port, 8080);
	/* Cross-zone off: each node sends to its own zone's instance. */
	uint32_t np, total = 0;
	const struct model_placement *p =
	    model_placements(m, MK_LOAD_BALANCER, lb, &np);
	for (uint32_t i = 0; i < np; i++) {
		struct sim_fwds fw = {0};
		sim_lb_forwards(m, lb, 0, (uint32_t)(p - m->placements) + i,
				&fw);
		ck_assert_uint_eq(fw.n, 1);
		ck_assert_uint_eq(fw.v[0].traffic.port, 8080);
		total += fw.n;
		sim_fwds_free(&fw);
	}
	ck_assert_uint_eq(total, 2);
	enum sim_verdict v, fwd;
	tk_answer(m, "internet", "Elb", 80, &v, &fwd);
	ck_assert_int_eq(v, VERDICT_ALL);
	ck_assert_int_eq(fwd, VERDICT_SOME); /* AppB's group forgets it */
	ck_assert_uint_eq(tk_count(m, "VS005", "Elb", NULL), 1);
	/* The implicit group is no "unused" target group. */
	ck_assert_uint_eq(tk_count(m, "VS016", NULL, NULL), 0);
	model_free(m);
}
END_TEST

/* ---- data stores ------------------------------------------------------ */

START_TEST(data_stores)
{
	struct model *m = tk_load("tests/cfn/data-stores.yaml");
	const struct model_database *r =
	    &m->databases[tk_obj(m, "Redis", MK_DATABASE)->index];
	ck_assert_int_eq(r->family, DBF_CACHE);
	ck_assert_uint_eq(r->port, 6379);
	ck_assert_uint_eq(r->n_subnets, 2);
	const struct model_database *s =
	    &m->databases[tk_obj(m, "Sessions", MK_DATABASE)->index];
	ck_assert_uint_eq(s->port, 11211);
	const struct model_database *e =
	    &m->databases[tk_obj(m, "FilesA", MK_DATABASE)->index];
	ck_assert_int_eq(e->family, DBF_FILE_SYSTEM);
	ck_assert_uint_eq(e->port, 2049);
	ck_assert_str_eq(model_noun(m, MK_DATABASE, e->obj.index),
			 "EFS mount target");
	ck_assert_int_eq(tcp(m, "Worker", "FilesA", 2049), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "Worker", "Redis", 6379), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "Worker", "Sessions", 6379), VERDICT_NONE);
	/* A function starts connections only. */
	const struct model_fleet *w =
	    &m->fleets[tk_obj(m, "Worker", MK_FLEET)->index];
	ck_assert_int_eq(w->role, FLEET_FUNCTION);
	ck_assert_int_eq(tcp(m, "Redis", "Worker", 443), VERDICT_NONE);
	/* and no intended flow ends at it, though its group admits its
	 * own members */
	ck_assert_uint_eq(tk_count(m, "VS006", NULL, NULL), 0);
	/* Aurora: the member that says PubliclyAccessible is exposed,
	 * the other is not (per instance, not per cluster). */
	ck_assert_int_eq(tcp(m, "internet", "Reader", 3306), VERDICT_ALL);
	ck_assert_int_eq(tcp(m, "internet", "Writer", 3306), VERDICT_NONE);
	ck_assert_uint_eq(tk_count(m, "VS001", "Reader", NULL), 1);
	ck_assert_uint_eq(tk_count(m, "VS001", "Writer", NULL), 0);
	/* No DB subnet group: kept, in the default VPC, public. */
	const struct model_database *l =
	    &m->databases[tk_obj(m, "Legacy", MK_DATABASE)->index];
	ck_assert(l->default_vpc);
	ck_assert(l->publicly_accessible);
	enum severity sev;
	ck_assert_uint_eq(tk_count(m, "VS024", "Legacy", &sev), 1);
	ck_assert_int_eq(sev, SEV_WARNING);
	/* Caches and mount targets never have public addresses, so no
	 * latent exposure either. */
	ck_assert_uint_eq(tk_count(m, "VS002", "FilesA", NULL), 0);
	model_free(m);
}
END_TEST

START_TEST(db_default_vpc_private)
{
	struct model *m = load_text(
	    "Resources:\n"
	    "  D: {Type: AWS::RDS::DBInstance, Properties: {Engine: mysql, "
	    "PubliclyAccessible: false}}\n");
	const struct model_database *d =
	    &m->databases[tk_obj(m, "D", MK_DATABASE)->index];
	ck_assert(d->default_vpc && !d->publicly_accessible);
	enum severity sev;
	ck_assert_uint_eq(tk_count(m, "VS024", "D", &sev), 1);
	ck_assert_int_eq(sev, SEV_INFO);
	model_free(m);
}
END_TEST

/* ---- the native format ------------------------------------------------- */

START_TEST(native_kinds)
{
	struct model *m = tk_load("scenarios/fleet-ssh-open.yaml");
	ck_assert_uint_eq(tk_count(m, "VS004", "web", NULL), 1);
	model_free(m);
	m = tk_load("scenarios/ecs-bridge-dynamic.yaml");
	enum sim_verdict v, fwd;
	tk_answer(m, "internet", "alb", 80, &v, &fwd);
	ck_assert_int_eq(fwd, VERDICT_NONE);
	ck_assert_uint_eq(tk_count(m, "VS005", "alb", NULL), 1);
	model_free(m);
	m = tk_load("scenarios/classic-elb.yaml");
	tk_answer(m, "internet", "elb", 80, &v, &fwd);
	ck_assert_int_eq(fwd, VERDICT_ALL);
	model_free(m);
}
END_TEST

/* A bridge service registered with a classic load balancer by name: the
 * binding joins the listener whose instance port is the task's host
 * port, and the load balancer reaches the container instances there. */
START_TEST(native_classic_service)
{
	struct model *m = load_text(
	    "vpcs: {main: {cidr: 10.0.0.0/16}}\n"
	    "internet_gateways: {igw: {vpc: main}}\n"
	    "subnets:\n"
	    "  pub: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a, "
	    "route_table: rt}\n"
	    "  app: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1a}\n"
	    "route_tables: {rt: {vpc: main, routes: [{destination: "
	    "0.0.0.0/0, target: igw}]}}\n"
	    "security_groups:\n"
	    "  lb-sg: {vpc: main, ingress: [{protocol: tcp, ports: 80-81, "
	    "from: "
	    "0.0.0.0/0}]}\n"
	    "  host-sg: {vpc: main, ingress: [{protocol: tcp, ports: 8080, "
	    "from: lb-sg}]}\n"
	    "load_balancers:\n"
	    "  elb: {type: classic, scheme: internet-facing, subnets: [pub], "
	    "security_groups: [lb-sg], listeners: [{port: 80, protocol: "
	    "HTTP, instance_port: 9000}, {port: 81, protocol: HTTP, "
	    "instance_port: 8080}]}\n"
	    "task_definitions: {t: {network_mode: bridge, containers: {web: "
	    "{ports: ['8080:80']}}}}\n"
	    "services: {s: {cluster: c, launch_type: ec2, task_definition: t, "
	    "load_balancers: [{load_balancer: elb, container: web, port: "
	    "80}]}}\n"
	    "fleets: {hosts: {subnets: [app], security_groups: [host-sg], "
	    "ecs_cluster: c}}\n");
	const struct model_service *sv =
	    &m->services[tk_obj(m, "s", MK_SERVICE)->index];
	ck_assert_uint_eq(sv->n_bindings, 1);
	const struct model_target_group *tg =
	    &m->target_groups[sv->bindings[0].target_group];
	ck_assert(tg->classic);
	ck_assert_uint_eq(tg->port, 8080); /* the host port's listener */
	enum sim_verdict v, fwd;
	tk_answer(m, "internet", "elb", 81, &v, &fwd);
	ck_assert_int_eq(v, VERDICT_ALL);
	ck_assert_int_eq(fwd, VERDICT_ALL);
	model_free(m);
}
END_TEST

Suite *kinds_suite(void)
{
	Suite *s = suite_create("kinds");
	TCase *t = tcase_create("fleets");
	tcase_add_test(t, fleet_launch_template_groups);
	tcase_add_test(t, fleet_interface_public_ip);
	tcase_add_test(t, fleet_launch_configuration);
	suite_add_tcase(s, t);
	t = tcase_create("ecs");
	tcase_add_test(t, ecs_bridge_dynamic_ports);
	tcase_add_test(t, ecs_bridge_container_port_only);
	tcase_add_test(t, ecs_host_and_awsvpc_on_ec2);
	suite_add_tcase(s, t);
	t = tcase_create("stores");
	tcase_add_test(t, classic_elb_forwards);
	tcase_add_test(t, data_stores);
	tcase_add_test(t, db_default_vpc_private);
	tcase_add_test(t, native_kinds);
	tcase_add_test(t, native_classic_service);
	suite_add_tcase(s, t);
	return s;
}
