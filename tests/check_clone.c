/*
 * model_clone: a clone equals its original object by object, field by
 * field, with every pointer leading into its own arena; it outlives the
 * original (run under ASan, a pointer left behind is a use after free);
 * and failing the clone leaves the original as it was.
 *
 * The field-by-field comparison checks each pointer field of model.h
 * (equal content, different address), then blanks the pointers in copies
 * of both structs and compares the remaining bytes, so every value field,
 * present or future, is compared without being named.
 */
#include <check.h>
#include <glob.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"
#include "model/model_impl.h"
#include "report/report.h"
#include "rules/rules.h"

/* ---- comparing two models ------------------------------------------- */

/* Both NULL, or both set and the clone's elsewhere. */
static void ptr_pair(const void *a, const void *b, const char *what)
{
	ck_assert_msg(!a == !b, "%s: set in one model only", what);
	ck_assert_msg(!a || a != b, "%s: the clone points into the original",
		      what);
}

static void str_pair(const char *a, const char *b, const char *what)
{
	ptr_pair(a, b, what);
	if (a)
		ck_assert_msg(!strcmp(a, b), "%s: '%s' vs '%s'", what, a, b);
}

/* An array of n elements without pointers inside. */
static void pod_pair(const void *a, const void *b, size_t n, size_t size,
		     const char *what)
{
	if (!n)
		return;
	ptr_pair(a, b, what);
	ck_assert_msg(!memcmp(a, b, n * size), "%s differ", what);
}

#define POD_PAIR(a, b, n, what) pod_pair(a, b, n, sizeof(*(a)), what)

static void strs_pair(const char *const *a, const char *const *b, uint32_t n,
		      const char *what)
{
	if (!n)
		return;
	ptr_pair(a, b, what);
	for (uint32_t i = 0; i < n; i++)
		str_pair(a[i], b[i], what);
}

/* Copies of two structs of size bytes, whose pointer fields the caller
 * compares and blanks before same_bytes. */
struct pair {
	alignas(max_align_t) unsigned char a[256];
	alignas(max_align_t) unsigned char b[256];
	size_t size;
};

static void pair_init(struct pair *p, const void *a, const void *b, size_t size)
{
	ck_assert_uint_le(size, sizeof(p->a));
	memcpy(p->a, a, size);
	memcpy(p->b, b, size);
	p->size = size;
}

static void same_bytes(const struct pair *p, const char *what)
{
	ck_assert_msg(!memcmp(p->a, p->b, p->size), "%s: a value differs",
		      what);
}

/* Compares and blanks a pointer field of both copies. */
#define BLANK_STR(p, type, field, what)                                        \
	do {                                                                   \
		type *x_ = (type *)(p)->a, *y_ = (type *)(p)->b;               \
		str_pair(x_->field, y_->field, what);                          \
		x_->field = y_->field = NULL;                                  \
	} while (0)
#define BLANK_PTR(p, type, field)                                              \
	do {                                                                   \
		type *x_ = (type *)(p)->a, *y_ = (type *)(p)->b;               \
		x_->field = y_->field = NULL;                                  \
	} while (0)

static void loc_pair(const struct src_loc *a, const struct src_loc *b)
{
	str_pair(a->file, b->file, "loc.file");
}

#define LOC_BLANK(p, type, field)                                              \
	do {                                                                   \
		type *x_ = (type *)(p)->a, *y_ = (type *)(p)->b;               \
		loc_pair(&x_->field, &y_->field);                              \
		x_->field.file = y_->field.file = NULL;                        \
	} while (0)

static void obj_pair(struct pair *p)
{
	struct model_obj *x = (struct model_obj *)p->a;
	struct model_obj *y = (struct model_obj *)p->b;
	BLANK_STR(p, struct model_obj, id, "id");
	LOC_BLANK(p, struct model_obj, loc);
	if (x->n_tags)
		ptr_pair(x->tags, y->tags, "tags");
	for (uint32_t i = 0; i < x->n_tags; i++) {
		str_pair(x->tags[i].key, y->tags[i].key, "tag key");
		str_pair(x->tags[i].value, y->tags[i].value, "tag value");
	}
	strs_pair(x->unknowns, y->unknowns, x->n_unknowns, "unknowns");
	x->tags = y->tags = NULL;
	x->unknowns = y->unknowns = NULL;
}

/* The suppressions: each entry's strings copied, the rest equal. */
static void suppress_pair(const struct model *a, const struct model *b)
{
	ck_assert_uint_eq(a->n_suppress, b->n_suppress);
	if (a->n_suppress)
		ptr_pair(a->suppress, b->suppress, "suppress");
	for (uint32_t i = 0; i < a->n_suppress; i++) {
		struct pair p;
		pair_init(&p, &a->suppress[i], &b->suppress[i],
			  sizeof(*a->suppress));
		BLANK_STR(&p, struct model_suppress, rule, "suppress rule");
		BLANK_STR(&p, struct model_suppress, reason, "suppress reason");
		BLANK_STR(&p, struct model_suppress, until, "suppress until");
		LOC_BLANK(&p, struct model_suppress, loc);
		same_bytes(&p, "suppress");
	}
}

static void routes_pair(const struct model_route *a,
			const struct model_route *b, uint32_t n)
{
	if (n)
		ptr_pair(a, b, "routes");
	for (uint32_t i = 0; i < n; i++) {
		struct pair p;
		pair_init(&p, &a[i], &b[i], sizeof(*a));
		LOC_BLANK(&p, struct model_route, loc);
		BLANK_STR(&p, struct model_route, target_id, "target_id");
		same_bytes(&p, "route");
	}
}

static void sg_rules_pair(const struct model_sg_rule *a,
			  const struct model_sg_rule *b, uint32_t n)
{
	if (n)
		ptr_pair(a, b, "security-group rules");
	for (uint32_t i = 0; i < n; i++) {
		struct pair p;
		pair_init(&p, &a[i], &b[i], sizeof(*a));
		LOC_BLANK(&p, struct model_sg_rule, loc);
		BLANK_STR(&p, struct model_sg_rule, description, "rule text");
		same_bytes(&p, "security-group rule");
	}
}

static void nacl_rules_pair(const struct model_nacl_rule *a,
			    const struct model_nacl_rule *b, uint32_t n)
{
	if (n)
		ptr_pair(a, b, "NACL rules");
	for (uint32_t i = 0; i < n; i++) {
		struct pair p;
		pair_init(&p, &a[i], &b[i], sizeof(*a));
		LOC_BLANK(&p, struct model_nacl_rule, loc);
		same_bytes(&p, "NACL rule");
	}
}

static void action_blank(struct pair *p, size_t offset)
{
	struct model_lb_action *x = (void *)(p->a + offset);
	struct model_lb_action *y = (void *)(p->b + offset);
	loc_pair(&x->loc, &y->loc);
	x->loc.file = y->loc.file = NULL;
}

static void listeners_pair(const struct model_listener *a,
			   const struct model_listener *b, uint32_t n)
{
	if (n)
		ptr_pair(a, b, "listeners");
	for (uint32_t i = 0; i < n; i++) {
		struct pair p;
		pair_init(&p, &a[i], &b[i], sizeof(*a));
		LOC_BLANK(&p, struct model_listener, loc);
		action_blank(&p,
			     offsetof(struct model_listener, default_action));
		if (a[i].n_rules)
			ptr_pair(a[i].rules, b[i].rules, "listener rules");
		for (uint32_t r = 0; r < a[i].n_rules; r++) {
			const struct model_listener_rule *x = &a[i].rules[r],
							 *y = &b[i].rules[r];
			struct pair q;
			pair_init(&q, x, y, sizeof(*x));
			LOC_BLANK(&q, struct model_listener_rule, loc);
			action_blank(
			    &q, offsetof(struct model_listener_rule, action));
			strs_pair(x->paths, y->paths, x->n_paths, "paths");
			strs_pair(x->hosts, y->hosts, x->n_hosts, "hosts");
			BLANK_PTR(&q, struct model_listener_rule, paths);
			BLANK_PTR(&q, struct model_listener_rule, hosts);
			same_bytes(&q, "listener rule");
		}
		BLANK_PTR(&p, struct model_listener, rules);
		same_bytes(&p, "listener");
	}
}

static void containers_pair(const struct model_container *a,
			    const struct model_container *b, uint32_t n)
{
	if (n)
		ptr_pair(a, b, "containers");
	for (uint32_t i = 0; i < n; i++) {
		str_pair(a[i].name, b[i].name, "container name");
		POD_PAIR(a[i].ports, b[i].ports, a[i].n_ports, "ports");
		ck_assert_uint_eq(a[i].n_ports, b[i].n_ports);
	}
}

/* The pointers of one object of kind k, compared and blanked. */
static void kind_pair(struct pair *p, enum model_kind k)
{
#define X(type) ((type *)p->a)
#define Y(type) ((type *)p->b)
#define POD(type, field, n)                                                    \
	do {                                                                   \
		POD_PAIR(X(type)->field, Y(type)->field, X(type)->n, #field);  \
		X(type)->field = Y(type)->field = NULL;                        \
	} while (0)
	switch (k) {
	case MK_VPC:
		POD(struct model_vpc, cidrs, n_cidrs);
		POD(struct model_vpc, cidrs6, n_cidrs6);
		break;
	case MK_SUBNET:
		LOC_BLANK(p, struct model_subnet, cidr_loc);
		BLANK_STR(p, struct model_subnet, az, "az");
		BLANK_STR(p, struct model_subnet, why, "why");
		break;
	case MK_ROUTE_TABLE:
		routes_pair(X(struct model_route_table)->routes,
			    Y(struct model_route_table)->routes,
			    X(struct model_route_table)->n_routes);
		BLANK_PTR(p, struct model_route_table, routes);
		break;
	case MK_SECURITY_GROUP: {
		struct model_security_group *x = X(struct model_security_group);
		struct model_security_group *y = Y(struct model_security_group);
		BLANK_STR(p, struct model_security_group, description,
			  "description");
		sg_rules_pair(x->ingress, y->ingress, x->n_ingress);
		sg_rules_pair(x->egress, y->egress, x->n_egress);
		x->ingress = y->ingress = x->egress = y->egress = NULL;
		break;
	}
	case MK_NETWORK_ACL: {
		struct model_network_acl *x = X(struct model_network_acl);
		struct model_network_acl *y = Y(struct model_network_acl);
		nacl_rules_pair(x->inbound, y->inbound, x->n_inbound);
		nacl_rules_pair(x->outbound, y->outbound, x->n_outbound);
		x->inbound = y->inbound = x->outbound = y->outbound = NULL;
		break;
	}
	case MK_PREFIX_LIST:
		BLANK_STR(p, struct model_prefix_list, name, "name");
		BLANK_STR(p, struct model_prefix_list, service, "service");
		POD(struct model_prefix_list, cidrs, n_cidrs);
		break;
	case MK_INSTANCE:
		POD(struct model_instance, groups, n_groups);
		break;
	case MK_LOAD_BALANCER:
		POD(struct model_load_balancer, subnets, n_subnets);
		POD(struct model_load_balancer, groups, n_groups);
		POD(struct model_load_balancer, instances, n_instances);
		listeners_pair(X(struct model_load_balancer)->listeners,
			       Y(struct model_load_balancer)->listeners,
			       X(struct model_load_balancer)->n_listeners);
		BLANK_PTR(p, struct model_load_balancer, listeners);
		break;
	case MK_TARGET_GROUP: {
		struct model_target_group *x = X(struct model_target_group);
		struct model_target_group *y = Y(struct model_target_group);
		BLANK_STR(p, struct model_target_group, health_check_path,
			  "health_check_path");
		if (x->n_targets)
			ptr_pair(x->targets, y->targets, "targets");
		for (uint32_t i = 0; i < x->n_targets; i++) {
			struct pair q;
			pair_init(&q, &x->targets[i], &y->targets[i],
				  sizeof(*x->targets));
			LOC_BLANK(&q, struct model_tg_target, loc);
			same_bytes(&q, "target");
		}
		x->targets = y->targets = NULL;
		break;
	}
	case MK_TASK_DEFINITION:
		BLANK_STR(p, struct model_task_definition, network_mode,
			  "network_mode");
		containers_pair(X(struct model_task_definition)->containers,
				Y(struct model_task_definition)->containers,
				X(struct model_task_definition)->n_containers);
		BLANK_PTR(p, struct model_task_definition, containers);
		break;
	case MK_SERVICE: {
		struct model_service *x = X(struct model_service);
		struct model_service *y = Y(struct model_service);
		BLANK_STR(p, struct model_service, cluster, "cluster");
		POD(struct model_service, subnets, n_subnets);
		POD(struct model_service, groups, n_groups);
		if (x->n_bindings)
			ptr_pair(x->bindings, y->bindings, "bindings");
		for (uint32_t i = 0; i < x->n_bindings; i++) {
			struct pair q;
			pair_init(&q, &x->bindings[i], &y->bindings[i],
				  sizeof(*x->bindings));
			LOC_BLANK(&q, struct model_lb_binding, loc);
			BLANK_STR(&q, struct model_lb_binding, container,
				  "container");
			same_bytes(&q, "binding");
		}
		x->bindings = y->bindings = NULL;
		break;
	}
	case MK_DATABASE:
		BLANK_STR(p, struct model_database, engine, "engine");
		BLANK_STR(p, struct model_database, az, "az");
		POD(struct model_database, subnets, n_subnets);
		POD(struct model_database, groups, n_groups);
		break;
	case MK_VPC_ENDPOINT:
		BLANK_STR(p, struct model_vpc_endpoint, service, "service");
		POD(struct model_vpc_endpoint, route_tables, n_route_tables);
		POD(struct model_vpc_endpoint, subnets, n_subnets);
		POD(struct model_vpc_endpoint, groups, n_groups);
		break;
	case MK_FLEET:
		POD(struct model_fleet, subnets, n_subnets);
		POD(struct model_fleet, groups, n_groups);
		POD(struct model_fleet, target_groups, n_target_groups);
		POD(struct model_fleet, load_balancers, n_load_balancers);
		BLANK_STR(p, struct model_fleet, ecs_cluster, "ecs_cluster");
		break;
	case MK_INTERNET_GATEWAY:
	case MK_NAT_GATEWAY:
	case MK_PEERING:
	case MK_KIND_COUNT:
		break;
	}
#undef POD
#undef X
#undef Y
}

static void placements_pair(const struct model *a, const struct model *b)
{
	ck_assert_uint_eq(a->n_placements_total, b->n_placements_total);
	if (a->n_placements_total)
		ptr_pair(a->placements, b->placements, "placements");
	for (uint32_t i = 0; i < a->n_placements_total; i++) {
		const struct model_placement *x = &a->placements[i];
		const struct model_placement *y = &b->placements[i];
		struct pair p;
		pair_init(&p, x, y, sizeof(*x));
		BLANK_STR(&p, struct model_placement, public_why, "public_why");
		BLANK_STR(&p, struct model_placement, ipv6_why, "ipv6_why");
		POD_PAIR(x->groups, y->groups, x->n_groups, "placement groups");
		BLANK_PTR(&p, struct model_placement, groups);
		same_bytes(&p, "placement");
		/* A placement's groups are its owner's array, in both. */
		if (x->kind == MK_INSTANCE && x->n_groups) {
			bool shared =
			    x->groups == a->instances[x->index].groups;
			ck_assert(shared ==
				  (y->groups == b->instances[y->index].groups));
		}
	}
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		POD_PAIR(a->first_placement[k], b->first_placement[k], a->n[k],
			 "first_placement");
		POD_PAIR(a->n_placements[k], b->n_placements[k], a->n[k],
			 "n_placements");
	}
}

/* b is a clone of a: equal object by object, nothing shared. */
static void models_equal(const struct model *a, const struct model *b)
{
	ck_assert_ptr_ne(a, b);
	str_pair(a->file, b->file, "file");
	str_pair(a->region, b->region, "region");
	str_pair(a->format, b->format, "format");
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		ck_assert_uint_eq(a->n[k], b->n[k]);
		for (uint32_t i = 0; i < a->n[k]; i++) {
			const struct model_obj *x = model_object(a, k, i);
			const struct model_obj *y = model_object(b, k, i);
			ck_assert_ptr_ne(x, y);
			struct pair p;
			pair_init(&p, x, y, model_kind_size(k));
			obj_pair(&p);
			kind_pair(&p, k);
			char what[200];
			snprintf(what, sizeof(what), "%s '%s'",
				 model_kind_name(k), x->id ? x->id : "");
			same_bytes(&p, what);
		}
	}
	placements_pair(a, b);
	suppress_pair(a, b);
	ck_assert_uint_eq(a->n_objects, b->n_objects);
	for (uint32_t i = 0; i < a->n_objects; i++) {
		const struct model_obj *x = a->by_id[i], *y = b->by_id[i];
		ck_assert_ptr_eq(y, model_object(b, x->kind, x->index));
	}
	/* A lookup in the clone answers with the clone's object. */
	for (uint32_t i = 0; i < a->n_objects; i++) {
		const struct model_obj *x = model_find(a, a->by_id[i]->id);
		ck_assert_ptr_eq(model_find(b, a->by_id[i]->id),
				 model_object(b, x->kind, x->index));
	}
}

/* ---- inputs ---------------------------------------------------------- */

/* A native model with what the scenarios lack: tags, suppressions,
 * listener rules with paths and hosts, IPv6, target registrations,
 * prefix lists, an interface and a gateway endpoint. */
static const char features_yaml[] =
    "region: eu-west-1\n"
    "vpcs:\n"
    "  main: {cidr: 10.0.0.0/16, ipv6_cidrs: ['2001:db8::/56'],\n"
    "         tags: {team: net, cost: '4411'}}\n"
    "internet_gateways:\n"
    "  igw: {vpc: main}\n"
    "subnets:\n"
    "  pub-a: {vpc: main, cidr: 10.0.1.0/24, az: eu-west-1a, "
    "route_table: pub}\n"
    "  pub-b: {vpc: main, cidr: 10.0.2.0/24, az: eu-west-1b, "
    "route_table: pub}\n"
    "  app-a: {vpc: main, cidr: 10.0.3.0/24, az: eu-west-1a}\n"
    "route_tables:\n"
    "  pub:\n"
    "    vpc: main\n"
    "    routes:\n"
    "      - {destination: 0.0.0.0/0, target: igw}\n"
    "      - {destination: office, target: igw}\n"
    "prefix_lists:\n"
    "  office: {cidrs: [198.51.100.0/24, 203.0.113.0/24]}\n"
    "security_groups:\n"
    "  lb-sg:\n"
    "    vpc: main\n"
    "    description: web\n"
    "    ingress:\n"
    "      - {protocol: tcp, ports: 443, from: 0.0.0.0/0, "
    "description: HTTPS}\n"
    "      - {protocol: tcp, ports: 22, from: office}\n"
    "    suppress: {rules: [VS004], reason: the office needs it, "
    "until: 2999-01-01}\n"
    "  app-sg:\n"
    "    vpc: main\n"
    "    ingress:\n"
    "      - {protocol: tcp, ports: 8080, from: lb-sg}\n"
    "load_balancers:\n"
    "  lb:\n"
    "    type: application\n"
    "    scheme: internet-facing\n"
    "    subnets: [pub-a, pub-b]\n"
    "    security_groups: [lb-sg]\n"
    "    listeners:\n"
    "      - port: 443\n"
    "        protocol: HTTPS\n"
    "        forward: app-tg\n"
    "        rules:\n"
    "          - {priority: 10, paths: ['/api/*', '/v2/*'], "
    "forward: app-tg}\n"
    "          - {priority: 20, hosts: admin.example.com, "
    "forward: app-tg}\n"
    "target_groups:\n"
    "  app-tg:\n"
    "    protocol: HTTP\n"
    "    port: 8080\n"
    "    target_type: instance\n"
    "    targets: [{instance: app}]\n"
    "    health_check: {path: /health}\n"
    "instances:\n"
    "  app: {subnet: app-a, security_groups: [app-sg], "
    "tags: {role: app}}\n"
    "vpc_endpoints:\n"
    "  s3: {vpc: main, type: gateway, service: s3, route_tables: [pub]}\n"
    "  logs: {vpc: main, type: interface, service: logs, "
    "subnets: [app-a], security_groups: [app-sg]}\n";

static struct model *load_path(const char *path)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	model_load_file(&m, path, &d);
	size_t errors = d.n_errors;
	diag_list_free(&d);
	if (errors) {
		model_free(m);
		return NULL;
	}
	return m;
}

static struct model *load_features(void)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "features.yaml", features_yaml,
				   strlen(features_yaml), &d);
	if (rc || d.n_errors)
		for (size_t i = 0; i < d.n; i++)
			fprintf(stderr, "features.yaml:%u:%u: %s\n",
				d.v[i].line, d.v[i].col, d.v[i].message);
	ck_assert_int_eq(rc, 0);
	ck_assert_uint_eq(d.n_errors, 0);
	diag_list_free(&d);
	return m;
}

/* What the model says of itself and what the rules find, as text. */
static char *describe(const struct model *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	report_show_json(f, m);
	report_show_text(f, m);
	struct finding_list fl = {0};
	rules_run(&fl, m, NULL);
	findings_sort(&fl);
	report_findings_json(f, &fl);
	findings_free(&fl);
	fclose(f);
	return buf;
}

static const char *const patterns[] = {
    "scenarios/*.yaml",
    "tests/cfn/*.yaml",
    "tests/cfn/examples/*",
    "tests/tfplan/*.json",
};

/* Calls fn on every input of the patterns that loads; returns how many. */
static uint32_t each_input(void (*fn)(struct model *m, const char *path))
{
	uint32_t n = 0;
	for (size_t p = 0; p < sizeof(patterns) / sizeof(*patterns); p++) {
		glob_t g;
		if (glob(patterns[p], 0, NULL, &g) != 0)
			continue;
		for (size_t i = 0; i < g.gl_pathc; i++) {
			struct model *m = load_path(g.gl_pathv[i]);
			if (!m)
				continue;
			fn(m, g.gl_pathv[i]);
			n++;
		}
		globfree(&g);
	}
	fn(load_features(), "features.yaml");
	return n + 1;
}

/* ---- tests ----------------------------------------------------------- */

static void check_equal(struct model *m, const char *path)
{
	(void)path;
	struct model *c = model_clone(m);
	models_equal(m, c);
	model_free(c);
	model_free(m);
}

START_TEST(clone_equals_original)
{
	/* every scenario, template and plan, and the features model */
	ck_assert_uint_ge(each_input(check_equal), 40);
}
END_TEST

START_TEST(clone_shares_within_itself)
{
	/* One string per file and one array per owner, as in the original:
	 * the copy is made once per original pointer. */
	struct model *m = load_features();
	struct model *c = model_clone(m);
	ck_assert_ptr_eq(c->vpcs[0].obj.loc.file, c->subnets[0].obj.loc.file);
	uint32_t n;
	const struct model_placement *p =
	    model_placements(c, MK_INSTANCE, 0, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_eq(p->groups, c->instances[0].groups);
	model_free(c);
	model_free(m);
}
END_TEST

static void check_outlives(struct model *m, const char *path)
{
	char *before = describe(m);
	struct model *c = model_clone(m);
	/* Under ASan, anything of c still in m's arena fails here. */
	model_free(m);
	char *after = describe(c);
	ck_assert_msg(!strcmp(before, after), "%s: the clone reads otherwise",
		      path);
	free(before);
	free(after);
	model_free(c);
}

START_TEST(clone_outlives_original)
{
	ck_assert_uint_ge(each_input(check_outlives), 40);
}
END_TEST

START_TEST(clone_of_a_clone)
{
	struct model *m = load_features();
	struct model *c = model_clone(m);
	struct model *cc = model_clone(c);
	model_free(c);
	models_equal(m, cc);
	model_free(cc);
	model_free(m);
	model_free(NULL); /* accepted */
}
END_TEST

static const struct model_route *default_route(const struct model *m,
					       const char *table)
{
	const struct model_obj *o = model_find(m, table);
	ck_assert_ptr_nonnull(o);
	const struct model_route_table *t = &m->route_tables[o->index];
	for (uint32_t r = 0; r < t->n_routes; r++)
		if (!t->routes[r].ipv6 && t->routes[r].dst.len == 0)
			return &t->routes[r];
	return NULL;
}

START_TEST(failing_the_clone_leaves_the_original)
{
	struct model *m = load_path("scenarios/three-tier.yaml");
	ck_assert_ptr_nonnull(m);
	char *before = describe(m);
	struct model *c = model_clone(m);
	/* Keep a second, untouched clone to compare m with afterwards. */
	struct model *witness = model_clone(m);
	struct diag_list d = DIAG_LIST_INIT;
	static const char *const specs[] = {
	    "az:us-east-1a", /* placements go, nat-a blackholed */
	    "route:private-b-rt:0.0.0.0/0", /* a route goes */
	    "sg:alb-sg:ingress:1",	    /* a rule goes */
	};
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(model_fail(c, specs[i], &d), 0);
	ck_assert_uint_eq(d.n_errors, 0);
	diag_list_free(&d);

	/* The clone changed... */
	ck_assert_uint_lt(c->n_placements_total, m->n_placements_total);
	ck_assert_int_eq(default_route(c, "private-a-rt")->target,
			 RT_BLACKHOLE);
	ck_assert_ptr_null(default_route(c, "private-b-rt"));
	ck_assert_uint_eq(c->groups[model_find(c, "alb-sg")->index].n_ingress,
			  1);

	/* ...and the original did not: routes, placements, rules. */
	ck_assert_int_eq(default_route(m, "private-a-rt")->target, RT_NAT);
	ck_assert_str_eq(default_route(m, "private-a-rt")->target_id, "nat-a");
	ck_assert_int_eq(default_route(m, "private-b-rt")->target, RT_NAT);
	const struct model_security_group *g =
	    &m->groups[model_find(m, "alb-sg")->index];
	ck_assert_uint_eq(g->n_ingress, 2);
	ck_assert_uint_eq(g->ingress[0].match.port_lo, 80);
	uint32_t n;
	const struct model_placement *p =
	    model_placements(m, MK_DATABASE, model_find(m, "db")->index, &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(m->subnets[p->subnet].obj.id, "private-a");
	models_equal(witness, m);
	char *after = describe(m);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	model_free(witness);
	model_free(c);
	model_free(m);
}
END_TEST

/* A failed appliance's routes become blackholes, as AWS marks a route to
 * a terminated instance (§3): the NAT instance failing cuts the private
 * subnet off, failing its zone does too. */
START_TEST(failing_an_appliance)
{
	static const char *const specs[] = {"nat-i", "az:us-east-1a"};
	for (size_t i = 0; i < 2; i++) {
		struct model *m = load_path("scenarios/nat-instance.yaml");
		ck_assert_ptr_nonnull(m);
		struct diag_list d = DIAG_LIST_INIT;
		ck_assert_int_eq(model_fail(m, specs[i], &d), 0);
		diag_list_free(&d);
		const struct model_route *r = default_route(m, "app-rt");
		ck_assert_int_eq(r->target, RT_BLACKHOLE);
		ck_assert_str_eq(r->target_id,
				 "blackhole (instance nat-i failed)");
		/* The other appliances' routes stay. */
		ck_assert_int_eq(default_route(m, "bare-rt")->target,
				 i ? RT_BLACKHOLE : RT_INSTANCE);
		model_free(m);
	}
}
END_TEST

Suite *clone_suite(void)
{
	Suite *s = suite_create("clone");
	TCase *tc = tcase_create("clone");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, clone_equals_original);
	tcase_add_test(tc, clone_shares_within_itself);
	tcase_add_test(tc, clone_outlives_original);
	tcase_add_test(tc, clone_of_a_clone);
	tcase_add_test(tc, failing_the_clone_leaves_the_original);
	tcase_add_test(tc, failing_an_appliance);
	suite_add_tcase(s, tc);
	return s;
}
