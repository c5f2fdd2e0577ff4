/*
 * Compute whose members come and go, and the classic load balancers they
 * register with: Auto Scaling groups with the launch templates and launch
 * configurations they name (read where the group names them, like the
 * subnet groups of databases), Lambda functions in a VPC, the ECS
 * capacity providers that make a group's instances a cluster's container
 * instances, and classic ELBs with their attachments.
 *
 * The model is CloudFormation's for the same architecture (load/cfn):
 * a fleet carries its launch settings' groups and public address, joins
 * the ECS cluster of ECS_CLUSTER= in its user data or of a capacity
 * provider, and registers with target groups and classic load balancers
 * by name.  Terraform's defaults where they differ are docs/terraform.md's
 * (a classic ELB's cross-zone load balancing is on).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "load/tf/tf_plan.h"
#include "model/model_impl.h"

static const char *const lt_types[] = {"aws_launch_template", NULL};
static const char *const lc_types[] = {"aws_launch_configuration", NULL};
static const char *const tg_types[] = {"aws_lb_target_group",
				       "aws_alb_target_group", NULL};
static const char *const elb_types[] = {"aws_elb", NULL};
static const char *const asg_types[] = {"aws_autoscaling_group", NULL};
static const char *const instance_types[] = {"aws_instance", NULL};
static const char *const cluster_types[] = {"aws_ecs_cluster", NULL};
static const char *const cp_types[] = {"aws_ecs_capacity_provider", NULL};

/* Copies a list into an array that tf_push may grow (tf_ref_objs gives
 * arrays of their exact size). */
static uint32_t *growable(struct tf_loader *L, const uint32_t *v, uint32_t n,
			  uint32_t *out_n)
{
	uint32_t *out = NULL;
	*out_n = 0;
	for (uint32_t i = 0; i < n; i++)
		tf_push_u32(L, &out, out_n, v[i]);
	return out;
}

/* ---- user data --------------------------------------------------------- */

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* The text s decodes to when it is base64 (launch templates take user data
 * so), into buf; false when it is not. */
static bool b64_decode(const char *s, char *buf, size_t size)
{
	size_t n = 0, len = strlen(s);
	uint32_t acc = 0;
	int bits = 0;
	if (!len || len % 4)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '=') {
			if (i + 2 < len)
				return false;
			break;
		}
		int v = b64_value(s[i]);
		if (v < 0)
			return false;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 >= size)
				break; /* the start is what is read */
			buf[n++] = (char)(acc >> bits & 0xff);
		}
	}
	buf[n] = '\0';
	return true;
}

/* The cluster named after ECS_CLUSTER= in a user-data script, or NULL. */
static const char *ecs_cluster_in(struct tf_loader *L, const char *text)
{
	const char *p = strstr(text, "ECS_CLUSTER=");
	if (!p)
		return NULL;
	p += strlen("ECS_CLUSTER=");
	if (*p == '"' || *p == '\'')
		p++;
	size_t n = 0;
	while (p[n] && !strchr(" \t\r\n\"'>;|&", p[n]))
		n++;
	return n ? arena_strndup(&L->m->arena, p, n) : NULL;
}

/* A user-data value as the plan shows it: a launch template's is base64,
 * a launch configuration's user_data a SHA-1 of the script (the provider
 * keeps no more), its user_data_base64 base64. */
static bool is_sha1(const char *s)
{
	size_t i;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return i == 40;
}

/*
 * The ECS cluster the instances of launch settings v (a template or a
 * configuration, lt) join: ECS_CLUSTER= in the user data the plan shows,
 * or, where the plan shows only a hash or an unknown value, the one
 * aws_ecs_cluster the user data's expression names (recorded on f as
 * unknown: the script itself is not in the plan).  NULL when none.
 */
static const char *user_data_cluster(struct tf_loader *L, struct model_fleet *f,
				     const struct tf_val *v, bool lt)
{
	static const char *const keys[] = {"user_data", "user_data_base64"};
	char buf[16384];
	for (size_t k = 0; k < ARRAY_LEN(keys); k++) {
		if (lt && k)
			break;
		enum tf_state st;
		const char *s = tf_str_set(L, v, keys[k], &st);
		bool b64 = lt || k == 1;
		if (s && !(k == 0 && !lt && is_sha1(s))) {
			if (b64 && b64_decode(s, buf, sizeof(buf)))
				s = buf;
			return ecs_cluster_in(L, s);
		}
		if (!s && st != TS_UNKNOWN)
			continue;
		/* Only the expression tells: a constant script, or the
		 * cluster whose name it interpolates. */
		struct ydoc_node *e = tf_map_get(L, v->cfg, keys[k]);
		const char *c = tf_text(tf_map_get(L, e, "constant_value"));
		if (c) {
			if (b64 && b64_decode(c, buf, sizeof(buf)))
				c = buf;
			return ecs_cluster_in(L, c);
		}
		struct tf_res *cr =
		    e ? tf_ref_config(L, v, keys[k], cluster_types) : NULL;
		if (!cr)
			continue;
		const char *name = tf_ecs_cluster_of(L, cr);
		tf_unknown(L, &f->obj, v,
			   "%s: the plan shows no script (%s), but its "
			   "expression names %s: taken as the cluster the "
			   "instances join (ECS_CLUSTER=%s)",
			   keys[k],
			   s ? "the provider keeps a hash of it"
			     : "known only after apply",
			   cr->addr, name);
		return name;
	}
	return NULL;
}

/* ---- Auto Scaling groups ---------------------------------------------- */

/*
 * The launch configuration or template an Auto Scaling group names
 * (launch_configuration; launch_template or the mixed instances policy's
 * launch_template_specification, by id or name), or NULL with why (empty
 * when it names none).
 */
static struct tf_res *launch_of(struct tf_loader *L, const struct tf_val *v,
				bool *lt, char *why, size_t size)
{
	*lt = false;
	struct tf_res *r =
	    tf_ref(L, v, "launch_configuration", lc_types, why, size);
	if (r || why[0])
		return r;
	*lt = true;
	struct tf_val b, mp, mlt;
	const struct tf_val *spec = NULL;
	const char *id_key = "id", *name_key = "name";
	if (tf_val_block(L, v, "launch_template", 0, false, &b)) {
		spec = &b;
	} else if (tf_val_block(L, v, "mixed_instances_policy", 0, false,
				&mp) &&
		   tf_val_block(L, &mp, "launch_template", 0, false, &mlt) &&
		   tf_val_block(L, &mlt, "launch_template_specification", 0,
				false, &b)) {
		spec = &b;
		id_key = "launch_template_id";
		name_key = "launch_template_name";
	}
	if (!spec)
		return NULL;
	r = tf_ref(L, spec, id_key, lt_types, why, size);
	if (!r && !why[0])
		r = tf_ref(L, spec, name_key, lt_types, why, size);
	return r;
}

/* The primary interface block of a launch template (device_index 0, or
 * the first). */
static bool primary_interface(struct tf_loader *L, const struct tf_val *lv,
			      struct tf_val *out)
{
	size_t n = tf_val_count(L, lv, "network_interfaces");
	for (size_t i = 0; i < n; i++) {
		long idx;
		if (tf_val_block(L, lv, "network_interfaces", i, false, out) &&
		    tf_long(L, out, "device_index", 0, 1000, &idx) ==
			TS_KNOWN &&
		    idx == 0)
			return true;
	}
	return n && tf_val_block(L, lv, "network_interfaces", 0, false, out);
}

/* The groups of launch settings lv: a template's vpc_security_group_ids,
 * security_group_names or primary interface's security_groups, a
 * configuration's security_groups; *named says whether any names some. */
static uint32_t *launch_groups(struct tf_loader *L, struct model_fleet *f,
			       const struct tf_val *lv, bool lt, uint32_t *n,
			       bool *named)
{
	static const char *const lt_keys[] = {"vpc_security_group_ids",
					      "security_group_names"};
	uint32_t before = f->obj.n_unknowns;
	uint32_t *g = NULL;
	*n = 0;
	for (size_t k = 0; lt && k < ARRAY_LEN(lt_keys) && !*n; k++)
		g = tf_ref_objs(L, &f->obj, lv, lt_keys[k], tf_sg_types,
				MK_SECURITY_GROUP, n);
	struct tf_val ni;
	if (lt && !*n && f->obj.n_unknowns == before &&
	    primary_interface(L, lv, &ni))
		g = tf_ref_objs(L, &f->obj, &ni, "security_groups", tf_sg_types,
				MK_SECURITY_GROUP, n);
	if (!lt)
		g = tf_ref_objs(L, &f->obj, lv, "security_groups", tf_sg_types,
				MK_SECURITY_GROUP, n);
	*named = *n || f->obj.n_unknowns != before;
	return g;
}

/* Whether the instances get a public address: a template's primary
 * interface's associate_public_ip_address (a string "true", "false" or
 * "" in the provider), a configuration's; -1 (the subnet decides) when
 * the configuration sets none. */
static int launch_public_ip(struct tf_loader *L, struct model_fleet *f,
			    const struct tf_val *lv, bool lt)
{
	struct tf_val ni;
	const struct tf_val *v = lv;
	if (lt) {
		if (!primary_interface(L, lv, &ni))
			return -1;
		v = &ni;
	}
	const char *key = "associate_public_ip_address";
	struct ydoc_node *n;
	enum tf_state st = tf_get(L, v, key, &n);
	if (st == TS_UNKNOWN) {
		if (tf_configured(L, v, key))
			tf_unknown(L, &f->obj, v,
				   "%s: known only after apply; the subnets' "
				   "map_public_ip_on_launch is taken",
				   key);
		return -1;
	}
	const char *s = tf_text(n);
	/* Unset in the configuration, AWS takes the subnet's setting
	 * (older providers wrote a default false that AWS never got). */
	if (st != TS_KNOWN || !s || !*s || !tf_set_by_config(L, v, key))
		return -1;
	if (!strcmp(s, "true") || !strcmp(s, "false"))
		return !strcmp(s, "true");
	tf_err(L, v, n, "%s must be true or false, not '%s'", key, s);
	return -1;
}

void tf_parse_asg(struct tf_loader *L, struct tf_res *r)
{
	struct model_fleet *f = &L->m->fleets[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	f->role = FLEET_AUTOSCALING;
	f->public_ip = -1;
	uint32_t before = f->obj.n_unknowns;
	f->subnets = tf_ref_objs(L, &f->obj, &v, "vpc_zone_identifier",
				 tf_subnet_types, MK_SUBNET, &f->n_subnets);
	/* availability_zones only: the region's default VPC, which nothing
	 * analyses: said, as a classic ELB's is, not left silent. */
	f->default_vpc = !f->n_subnets && f->obj.n_unknowns == before;
	if (f->default_vpc)
		tf_unknown(L, &f->obj, &v,
			   "vpc_zone_identifier: not set, so the instances are "
			   "in the region's default VPC (availability_zones), "
			   "which the plan does not describe");
	uint32_t n;
	uint32_t *tgs = tf_ref_objs(L, &f->obj, &v, "target_group_arns",
				    tg_types, MK_TARGET_GROUP, &n);
	f->target_groups = growable(L, tgs, n, &f->n_target_groups);
	uint32_t *lbs = tf_ref_objs(L, &f->obj, &v, "load_balancers", elb_types,
				    MK_LOAD_BALANCER, &n);
	f->load_balancers = growable(L, lbs, n, &f->n_load_balancers);
	bool lt;
	char why[384];
	struct tf_res *lr = launch_of(L, &v, &lt, why, sizeof(why));
	if (!lr) {
		tf_unknown(L, &f->obj, &v,
			   "%s: %s, so the instances' security groups and "
			   "public address are not known",
			   lt ? "launch_template" : "launch_configuration",
			   why[0] ? why : "names no launch template");
		return;
	}
	struct tf_val lv;
	tf_val_top(&lv, lr);
	bool named;
	f->groups = launch_groups(L, f, &lv, lt, &f->n_groups, &named);
	if (!named && f->n_subnets) {
		uint32_t g = tf_default_sg(
		    L, &f->obj, L->m->subnets[f->subnets[0]].vpc,
		    lt ? "vpc_security_group_ids" : "security_groups");
		if (g != MODEL_NONE) {
			f->groups = arena_alloc(&L->m->arena, sizeof(uint32_t));
			f->groups[0] = g;
			f->n_groups = 1;
		}
	}
	f->public_ip = launch_public_ip(L, f, &lv, lt);
	f->ecs_cluster = user_data_cluster(L, f, &lv, lt);
}

/* aws_autoscaling_attachment: a group registered with a target group or
 * a classic load balancer by a resource of its own. */
void tf_parse_asg_attachment(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	struct tf_res *ar = tf_ref(L, &v, "autoscaling_group_name", asg_types,
				   why, sizeof(why));
	uint32_t fi = tf_obj(ar, MK_FLEET);
	if (fi == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its "
			"autoscaling_group_name %s",
			r->addr,
			why[0] ? why
			       : "names no Auto Scaling group of the model");
		return;
	}
	struct model_fleet *f = &L->m->fleets[fi];
	static const char *const tg_keys[] = {"lb_target_group_arn",
					      "alb_target_group_arn"};
	for (size_t k = 0; k < ARRAY_LEN(tg_keys); k++) {
		uint32_t tg = tf_ref_obj(L, &f->obj, &v, tg_keys[k], tg_types,
					 MK_TARGET_GROUP);
		if (tg != MODEL_NONE)
			tf_push_u32(L, &f->target_groups, &f->n_target_groups,
				    tg);
	}
	uint32_t lb =
	    tf_ref_obj(L, &f->obj, &v, "elb", elb_types, MK_LOAD_BALANCER);
	if (lb != MODEL_NONE)
		tf_push_u32(L, &f->load_balancers, &f->n_load_balancers, lb);
}

/* ---- Lambda functions ------------------------------------------------ */

bool tf_function_in_vpc(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v, vc;
	tf_val_top(&v, r);
	if (!tf_val_block(L, &v, "vpc_config", 0, false, &vc))
		return false;
	struct ydoc_node *subs;
	enum tf_state st = tf_get(L, &vc, "subnet_ids", &subs);
	return st == TS_KNOWN
		   ? tf_seq_len(subs) > 0
		   : st == TS_UNKNOWN && tf_configured(L, &vc, "subnet_ids");
}

/* A function's interfaces in its vpc_config's subnets (tf_function_in_vpc
 * decided that it has some): clients only, never a public address. */
void tf_parse_function(struct tf_loader *L, struct tf_res *r)
{
	struct model_fleet *f = &L->m->fleets[r->index];
	struct tf_val v, vc;
	tf_val_top(&v, r);
	f->role = FLEET_FUNCTION;
	f->public_ip = 0;
	if (!tf_val_block(L, &v, "vpc_config", 0, false, &vc))
		return;
	f->subnets = tf_ref_objs(L, &f->obj, &vc, "subnet_ids", tf_subnet_types,
				 MK_SUBNET, &f->n_subnets);
	f->groups = tf_ref_objs(L, &f->obj, &vc, "security_group_ids",
				tf_sg_types, MK_SECURITY_GROUP, &f->n_groups);
}

/* ---- ECS capacity providers --------------------------------------------- */

/* The fleet of capacity provider cp (by name, ARN or reference from v's
 * key), or MODEL_NONE. */
static uint32_t provider_fleet(struct tf_loader *L, const struct tf_val *v,
			       const char *key, const char *name)
{
	char why[384];
	struct tf_res *cp =
	    name ? tf_ref_text(L, name, key, cp_types, why, sizeof(why))
		 : tf_ref(L, v, key, cp_types, why, sizeof(why));
	if (!cp)
		return MODEL_NONE;
	struct tf_val cv, ap;
	tf_val_top(&cv, cp);
	if (!tf_val_block(L, &cv, "auto_scaling_group_provider", 0, false, &ap))
		return MODEL_NONE;
	return tf_obj(tf_ref(L, &ap, "auto_scaling_group_arn", asg_types, why,
			     sizeof(why)),
		      MK_FLEET);
}

/* Every capacity provider a list key of v names, joined to cluster. */
static void join_providers(struct tf_loader *L, const struct tf_val *v,
			   const char *key, const char *cluster)
{
	struct ydoc_node *list;
	enum tf_state st = tf_get(L, v, key, &list);
	size_t n = st == TS_KNOWN ? tf_seq_len(list) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *s = tf_text(tf_seq_at(L, list, i));
		uint32_t fi = s ? provider_fleet(L, v, key, s) : MODEL_NONE;
		if (fi != MODEL_NONE)
			L->m->fleets[fi].ecs_cluster = cluster;
	}
	if (st == TS_UNKNOWN) { /* the references of the whole list */
		char why[384];
		uint32_t nr;
		struct tf_res **cps =
		    tf_ref_list(L, v, key, cp_types, &nr, why, sizeof(why));
		for (uint32_t i = 0; i < nr; i++) {
			uint32_t fi = provider_fleet(
			    L, v, key,
			    tf_text(tf_map_get(L, cps[i]->values, "name")));
			if (fi != MODEL_NONE)
				L->m->fleets[fi].ecs_cluster = cluster;
		}
		free(cps);
	}
}

void tf_capacity_clusters(struct tf_loader *L)
{
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		if (r->data || !r->node)
			continue;
		struct tf_val v;
		tf_val_top(&v, r);
		if (!strcmp(r->type, "aws_ecs_cluster_capacity_providers")) {
			const char *c =
			    tf_ecs_cluster_name(L, &v, "cluster_name");
			if (c)
				join_providers(L, &v, "capacity_providers", c);
		} else if (!strcmp(r->type, "aws_ecs_cluster")) {
			join_providers(L, &v, "capacity_providers",
				       tf_ecs_cluster_of(L, r));
		} else if (!strcmp(r->type, "aws_ecs_service")) {
			/* A service's strategy names providers of its
			 * cluster (ECS refuses others). */
			const char *c = tf_ecs_cluster_name(L, &v, "cluster");
			size_t n =
			    tf_val_count(L, &v, "capacity_provider_strategy");
			for (size_t k = 0; k < n; k++) {
				struct tf_val s;
				enum tf_state st;
				if (!tf_val_block(L, &v,
						  "capacity_provider_strategy",
						  k, true, &s))
					continue;
				const char *name =
				    tf_str_set(L, &s, "capacity_provider", &st);
				uint32_t fi = provider_fleet(
				    L, &s, "capacity_provider", name);
				if (fi != MODEL_NONE &&
				    !L->m->fleets[fi].ecs_cluster)
					L->m->fleets[fi].ecs_cluster =
					    c ? c : "default";
			}
		}
	}
}

/* ---- classic load balancers ---------------------------------------------- */

/* "HTTP", "https", "SSL" (TLS), "TCP": a classic listener's protocols. */
static bool clb_protocol(struct tf_loader *L, const struct tf_val *v,
			 const char *key, enum lb_protocol *out)
{
	static const struct {
		const char *name;
		enum lb_protocol p;
	} names[] = {{"HTTP", LBP_HTTP},
		     {"HTTPS", LBP_HTTPS},
		     {"TCP", LBP_TCP},
		     {"SSL", LBP_TLS}};
	enum tf_state st;
	const char *s = tf_str_set(L, v, key, &st);
	if (!s)
		return false;
	for (size_t i = 0; i < ARRAY_LEN(names); i++)
		if (!strcasecmp(s, names[i].name)) {
			*out = names[i].p;
			return true;
		}
	tf_err(L, v, tf_map_get(L, v->val, key),
	       "%s must be HTTP, HTTPS, TCP or SSL, not '%s'", key, s);
	return false;
}

/* health_check's target "HTTP:8080/health", "TCP:22". */
static void clb_health_check(struct tf_loader *L,
			     struct model_load_balancer *lb,
			     const struct tf_val *v)
{
	struct tf_val h;
	enum tf_state st;
	if (!tf_val_block(L, v, "health_check", 0, false, &h))
		return;
	const char *t = tf_str_set(L, &h, "target", &st);
	const char *colon = t ? strchr(t, ':') : NULL;
	if (!colon)
		return;
	long port = strtol(colon + 1, NULL, 10);
	if (port < 1 || port > 65535)
		return;
	lb->health_check_port = (uint16_t)port;
	size_t n = (size_t)(colon - t);
	lb->health_check_protocol =
	    !strncasecmp(t, "HTTPS", n) && n == 5  ? LBP_HTTPS
	    : !strncasecmp(t, "HTTP", n) && n == 4 ? LBP_HTTP
	    : !strncasecmp(t, "SSL", n) && n == 3  ? LBP_TLS
						   : LBP_TCP;
}

static void clb_listener(struct tf_loader *L, struct tf_res *r,
			 struct model_load_balancer *lb, const struct tf_val *e)
{
	long port, iport;
	enum tf_state a = tf_long(L, e, "lb_port", 1, 65535, &port);
	enum tf_state b = tf_long(L, e, "instance_port", 1, 65535, &iport);
	if (a != TS_KNOWN || b != TS_KNOWN) {
		if (a == TS_UNKNOWN || b == TS_UNKNOWN)
			tf_unknown(L, &lb->obj, e,
				   "ports: known only after apply; the "
				   "listener is left out");
		else
			tf_err(L, e, NULL,
			       "a listener needs lb_port and instance_port");
		return;
	}
	for (uint32_t i = 0; i < lb->n_listeners; i++)
		if (lb->listeners[i].port == port) {
			tf_err(L, e, NULL,
			       "load balancer %s has two listeners on port %ld",
			       lb->obj.id, port);
			return;
		}
	struct model_listener *x =
	    tf_push(&L->m->arena, &lb->listeners, &lb->n_listeners, sizeof(*x));
	x->loc = tf_loc(L, e->val ? e->val : r->node);
	x->port = (uint16_t)port;
	x->instance_port = (uint16_t)iport;
	x->default_action.target_group = MODEL_NONE;
	x->default_action.redirect_protocol = -1;
	x->default_action.loc = x->loc;
	x->protocol = LBP_HTTP;
	clb_protocol(L, e, "lb_protocol", &x->protocol);
	x->instance_protocol = x->protocol;
	clb_protocol(L, e, "instance_protocol", &x->instance_protocol);
}

/* A classic ELB: listeners to instance ports, its instances, its groups
 * (the VPC's default without), scheme, subnets and cross-zone load
 * balancing, which the provider turns on by default. */
void tf_parse_elb(struct tf_loader *L, struct tf_res *r)
{
	struct model_load_balancer *lb = &L->m->lbs[r->index];
	struct tf_val v;
	tf_val_top(&v, r);
	lb->type = LB_CLASSIC;
	bool internal = false;
	if (tf_bool(L, &v, "internal", &internal) == TS_UNKNOWN &&
	    tf_configured(L, &v, "internal"))
		tf_unknown(L, &lb->obj, &v, "internal: known only after apply");
	lb->internet_facing = !internal;
	uint32_t before = lb->obj.n_unknowns;
	lb->subnets = tf_ref_objs(L, &lb->obj, &v, "subnets", tf_subnet_types,
				  MK_SUBNET, &lb->n_subnets);
	bool subnets_known = lb->obj.n_unknowns == before;
	if (!lb->n_subnets && subnets_known)
		tf_unknown(L, &lb->obj, &v,
			   "subnets: not set, so the load balancer is in the "
			   "region's default VPC (availability_zones), which "
			   "the plan does not describe");
	before = lb->obj.n_unknowns;
	lb->groups = tf_ref_objs(L, &lb->obj, &v, "security_groups",
				 tf_sg_types, MK_SECURITY_GROUP, &lb->n_groups);
	if (!lb->n_groups && lb->n_subnets && subnets_known &&
	    lb->obj.n_unknowns == before) {
		uint32_t g = tf_default_sg(L, &lb->obj,
					   L->m->subnets[lb->subnets[0]].vpc,
					   "security_groups");
		if (g != MODEL_NONE) {
			lb->groups =
			    arena_alloc(&L->m->arena, sizeof(uint32_t));
			lb->groups[0] = g;
			lb->n_groups = 1;
		}
	}
	/* The provider's default, unlike CloudFormation's and the API's. */
	lb->cross_zone = true;
	tf_flag(L, &lb->obj, &v, "cross_zone_load_balancing", &lb->cross_zone);
	uint32_t n;
	uint32_t *in = tf_ref_objs(L, &lb->obj, &v, "instances", instance_types,
				   MK_INSTANCE, &n);
	lb->instances = growable(L, in, n, &lb->n_instances);
	clb_health_check(L, lb, &v);
	size_t nl = tf_val_count(L, &v, "listener");
	for (size_t i = 0; i < nl; i++) {
		struct tf_val e;
		if (tf_val_block(L, &v, "listener", i, true, &e))
			clb_listener(L, r, lb, &e);
	}
	struct ydoc_node *ls;
	if (!nl && tf_get(L, &v, "listener", &ls) == TS_UNKNOWN)
		tf_unknown(L, &lb->obj, &v,
			   "listener: known only after apply; the listeners "
			   "are left out");
}

/* aws_elb_attachment: one instance registered with a classic ELB. */
void tf_parse_elb_attachment(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	char why[384];
	struct tf_res *er = tf_ref(L, &v, "elb", elb_types, why, sizeof(why));
	uint32_t li = tf_obj(er, MK_LOAD_BALANCER);
	if (li == MODEL_NONE) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its elb %s", r->addr,
			why[0] ? why
			       : "names no classic load balancer of the "
				 "model");
		return;
	}
	struct model_load_balancer *lb = &L->m->lbs[li];
	uint32_t hi = tf_ref_obj(L, &lb->obj, &v, "instance", instance_types,
				 MK_INSTANCE);
	if (hi != MODEL_NONE)
		tf_push_u32(L, &lb->instances, &lb->n_instances, hi);
}
