/*
 * Terraform plans: the JSON of `terraform show -json PLANFILE`, format
 * versions 0.1 and 0.2 (Terraform 0.12 to 0.15) and 1.x.  docs/terraform.md
 * describes what is read and every default relied on.
 *
 * Loading runs in four steps over the parsed document:
 *   1. gather: every resource instance of planned_values (and, for its
 *      ids, of prior_state), joined with its entry in resource_changes
 *      (after_unknown, whether it exists already) and its configuration,
 *      and every module instance, joined with its module call;
 *   2. classify: each instance of a type vpcsim models becomes a model
 *      object of a kind, unless the object needs a VPC the plan does not
 *      tell (then a warning says it is left out); the kind arrays are
 *      allocated and the ids (the instances' addresses) indexed;
 *   3. parse, in phases: objects first, then what attaches to them (routes,
 *      rules, associations, listeners), so every reference resolves to an
 *      object that is already there;
 *   4. notes: how many resources of other types were skipped, and how many
 *      references were taken through local values.
 * Values Terraform learns only at apply are resolved through the
 * configuration's references where it tells (tf_refs.c) and otherwise
 * recorded as unknowns on their object, never guessed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "load/load_impl.h"
#include "load/tf/tf_plan.h"
#include "model/model_impl.h"

/* ---- module instances ------------------------------------------------ */

/* Parses one instance key at *p ("[0]", "[\"a\"]"); false if malformed. */
static bool parse_key(struct tf_loader *L, const char **p, struct tf_key *k)
{
	const char *s = *p;
	if (*s != '[')
		return false;
	s++;
	if (*s == '"') {
		char buf[256];
		size_t n = 0;
		for (s++; *s && *s != '"'; s++) {
			if (*s == '\\' && s[1])
				s++;
			if (n + 1 < sizeof(buf))
				buf[n++] = *s;
		}
		if (*s != '"' || s[1] != ']')
			return false;
		buf[n] = '\0';
		k->kind = TK_STR;
		k->str = arena_strdup(&L->m->arena, buf);
		*p = s + 2;
		return true;
	}
	long v = 0;
	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v < 100000000L ? v * 10 + (*s - '0') : v;
	if (*s != ']')
		return false;
	k->kind = TK_INT;
	k->num = v;
	*p = s + 1;
	return true;
}

static size_t addr_hash(const char *addr, size_t len)
{
	size_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)addr[i]) * 16777619u;
	return h;
}

/* The slot of a module address in L->mod_hash: its module, or the free
 * slot where it goes.  A hash, so that thousands of module instances
 * cost no square. */
static size_t module_slot(struct tf_loader *L, const char *addr, size_t len)
{
	size_t j = addr_hash(addr, len) & (L->mod_hash_cap - 1);
	for (; L->mod_hash[j]; j = (j + 1) & (L->mod_hash_cap - 1)) {
		const char *a = L->mods[L->mod_hash[j] - 1].addr;
		if (strlen(a) == len && !strncmp(a, addr, len))
			break;
	}
	return j;
}

static void module_index(struct tf_loader *L, uint32_t i)
{
	if (2 * (size_t)(L->n_mods + 1) > L->mod_hash_cap) {
		uint32_t *old = L->mod_hash;
		size_t old_cap = L->mod_hash_cap;
		L->mod_hash_cap = old_cap ? 2 * old_cap : 64;
		L->mod_hash = xcalloc(L->mod_hash_cap, sizeof(*L->mod_hash));
		for (size_t k = 0; k < old_cap; k++)
			if (old[k]) {
				const char *a = L->mods[old[k] - 1].addr;
				L->mod_hash[module_slot(L, a, strlen(a))] =
				    old[k];
			}
		free(old);
	}
	const char *a = L->mods[i].addr;
	L->mod_hash[module_slot(L, a, strlen(a))] = i + 1;
}

static uint32_t module_find(struct tf_loader *L, const char *addr, size_t len)
{
	if (!L->mod_hash_cap)
		return MODEL_NONE;
	size_t j = module_slot(L, addr, len);
	return L->mod_hash[j] ? L->mod_hash[j] - 1 : MODEL_NONE;
}

/*
 * The module instance of an address ("module.a[0].module.b"), created
 * with its ancestors and joined with their configuration; MODEL_NONE when
 * the address is malformed.
 */
static uint32_t module_get(struct tf_loader *L, const char *addr)
{
	uint32_t cur = 0; /* the root, created first */
	const char *p = addr;
	while (*p) {
		if (p != addr) {
			if (*p != '.')
				return MODEL_NONE;
			p++;
		}
		if (strncmp(p, "module.", 7))
			return MODEL_NONE;
		const char *name = p + 7, *q = name;
		while (*q && *q != '.' && *q != '[')
			q++;
		if (q == name)
			return MODEL_NONE;
		struct tf_key key = {TK_NONE, 0, NULL};
		const char *end = q;
		if (*end == '[' && !parse_key(L, &end, &key))
			return MODEL_NONE;
		uint32_t found = module_find(L, addr, (size_t)(end - addr));
		if (found == MODEL_NONE) {
			if (L->n_mods == L->cap_mods) {
				L->cap_mods *= 2;
				L->mods = xreallocarray(L->mods, L->cap_mods,
							sizeof(*L->mods));
			}
			struct tf_module *M = &L->mods[L->n_mods];
			memset(M, 0, sizeof(*M));
			M->addr = arena_strndup(&L->m->arena, addr,
						(size_t)(end - addr));
			M->call = arena_strndup(&L->m->arena, name,
						(size_t)(q - name));
			M->key = key;
			M->parent = cur;
			struct ydoc_node *call = tf_map_get(
			    L,
			    tf_map_get(L, L->mods[cur].config, "module_calls"),
			    M->call);
			M->config = tf_map_get(L, call, "module");
			M->call_expr = tf_map_get(L, call, "expressions");
			found = L->n_mods;
			module_index(L, found);
			L->n_mods++;
		}
		cur = found;
		p = end;
	}
	return cur;
}

/* ---- resource instances ----------------------------------------------- */

static int addr_cmp_L(struct tf_loader *L, uint32_t a, uint32_t b)
{
	return strcmp(L->res[a].addr, L->res[b].addr);
}

static struct tf_loader *sort_L; /* qsort has no context argument */

static int addr_cmp(const void *a, const void *b)
{
	return addr_cmp_L(sort_L, *(const uint32_t *)a, *(const uint32_t *)b);
}

struct by_addr {
	uint32_t *v;
	uint32_t n;
};

static void by_addr_build(struct tf_loader *L, struct by_addr *B)
{
	B->v = xcalloc(L->n_res ? L->n_res : 1, sizeof(*B->v));
	B->n = L->n_res;
	for (uint32_t i = 0; i < B->n; i++)
		B->v[i] = i;
	sort_L = L;
	qsort(B->v, B->n, sizeof(*B->v), addr_cmp);
}

static struct tf_res *by_addr_find(struct tf_loader *L, struct by_addr *B,
				   const char *addr)
{
	uint32_t lo = 0, hi = B->n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(L->res[B->v[mid]].addr, addr);
		if (!c)
			return &L->res[B->v[mid]];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* What a resource object of planned_values or prior_state says of itself;
 * false (after an error) when it is not a resource. */
static bool read_res_head(struct tf_loader *L, struct ydoc_node *o,
			  const char **addr, const char **type,
			  const char **name, bool *data, struct tf_key *key)
{
	if (!o || o->type != YAML_MAPPING_NODE) {
		tf_diag(L, DIAG_ERROR, o,
			"a resource must be an object, not %s",
			tf_json_type(o));
		return false;
	}
	*addr = tf_text(tf_map_get(L, o, "address"));
	*type = tf_text(tf_map_get(L, o, "type"));
	*name = tf_text(tf_map_get(L, o, "name"));
	const char *mode = tf_text(tf_map_get(L, o, "mode"));
	if (!*addr || !*type || !*name) {
		tf_diag(L, DIAG_ERROR, o,
			"a resource needs address, type and name strings");
		return false;
	}
	*data = mode && !strcmp(mode, "data");
	key->kind = TK_NONE;
	struct ydoc_node *ix = tf_map_get(L, o, "index");
	if (ix && !tf_is_null(ix)) {
		const char *s = tf_text(ix);
		if (ix->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && s &&
		    *s >= '0' && *s <= '9') {
			key->kind = TK_INT;
			key->num = strtol(s, NULL, 10);
		} else if (s) {
			key->kind = TK_STR;
			key->str = s;
		}
	}
	return true;
}

/* A key Terraform leaves out when it is empty (resources, child_modules,
 * a resource's values when none is known): absent is empty, but null or
 * another type is an unreadable plan, never "nothing to check". */
static bool want_seq(struct tf_loader *L, struct ydoc_node *n, const char *what)
{
	if (!n)
		return false;
	if (n->type == YAML_SEQUENCE_NODE)
		return true;
	tf_diag(L, DIAG_ERROR, n, "%s must be an array, not %s", what,
		tf_json_type(n));
	return false;
}

static bool want_map(struct tf_loader *L, struct ydoc_node *n, const char *what)
{
	if (!n)
		return false;
	if (n->type == YAML_MAPPING_NODE)
		return true;
	tf_diag(L, DIAG_ERROR, n, "%s must be an object, not %s", what,
		tf_json_type(n));
	return false;
}

/* The resources of a module of planned_values, and its children. */
static void gather_module(struct tf_loader *L, struct ydoc_node *mod, int depth)
{
	if (!want_map(L, mod, "a module"))
		return;
	if (depth > 64) { /* not silently: its resources would be missing */
		tf_diag(L, DIAG_ERROR, mod,
			"modules nest more than 64 deep here");
		return;
	}
	const char *maddr = tf_text(tf_map_get(L, mod, "address"));
	uint32_t mi = module_get(L, maddr ? maddr : "");
	if (mi == MODEL_NONE) {
		tf_diag(L, DIAG_ERROR, mod, "malformed module address '%s'",
			maddr);
		return;
	}
	char what[160];
	snprintf(what, sizeof(what), "resources of %.80s",
		 maddr ? maddr : "the root module");
	struct ydoc_node *rs = tf_map_get(L, mod, "resources");
	if (want_seq(L, rs, what))
		for (size_t i = 0; i < tf_seq_len(rs); i++) {
			struct ydoc_node *o = tf_seq_at(L, rs, i);
			const char *addr, *type, *name;
			bool data;
			struct tf_key key;
			if (!read_res_head(L, o, &addr, &type, &name, &data,
					   &key))
				continue;
			/* Left out when empty (Terraform 0.12 omits values
			 * that are all unknown), never null. */
			struct ydoc_node *vals = tf_map_get(L, o, "values");
			snprintf(what, sizeof(what), "%.120s: values", addr);
			if (vals && !want_map(L, vals, what))
				continue;
			struct tf_res *r = tf_res_add(L);
			if (!r)
				return;
			r->addr = arena_strdup(&L->m->arena, addr);
			r->type = type;
			r->name = name;
			r->key = key;
			r->mod = mi;
			r->data = data;
			r->node = o;
			r->values = vals;
		}
	snprintf(what, sizeof(what), "child_modules of %.80s",
		 maddr ? maddr : "the root module");
	struct ydoc_node *cm = tf_map_get(L, mod, "child_modules");
	if (want_seq(L, cm, what))
		for (size_t i = 0; i < tf_seq_len(cm); i++)
			gather_module(L, tf_seq_at(L, cm, i), depth + 1);
}

/* prior_state: values of what exists, and data sources read at plan. */
static void gather_prior(struct tf_loader *L, struct by_addr *B,
			 struct ydoc_node *mod, int depth)
{
	if (!mod || mod->type != YAML_MAPPING_NODE)
		return;
	if (depth > 64) {
		tf_diag(L, DIAG_ERROR, mod,
			"modules nest more than 64 deep here");
		return;
	}
	struct ydoc_node *rs = tf_map_get(L, mod, "resources");
	for (size_t i = 0; i < tf_seq_len(rs); i++) {
		struct ydoc_node *o = tf_seq_at(L, rs, i);
		const char *addr, *type, *name;
		bool data;
		struct tf_key key;
		if (!read_res_head(L, o, &addr, &type, &name, &data, &key))
			continue;
		struct ydoc_node *vals = tf_map_get(L, o, "values");
		if (vals && vals->type != YAML_MAPPING_NODE)
			vals = NULL;
		struct tf_res *r = by_addr_find(L, B, addr);
		if (r) {
			r->prior = vals;
			continue;
		}
		if (!data)
			continue; /* destroyed by the plan */
		const char *maddr = tf_text(tf_map_get(L, mod, "address"));
		uint32_t mi = module_get(L, maddr ? maddr : "");
		r = tf_res_add(L);
		if (!r)
			return;
		r->addr = arena_strdup(&L->m->arena, addr);
		r->type = type;
		r->name = name;
		r->key = key;
		r->mod = mi == MODEL_NONE ? 0 : mi;
		r->data = true;
		r->prior = vals;
		r->at = o;
	}
	struct ydoc_node *cm = tf_map_get(L, mod, "child_modules");
	for (size_t i = 0; i < tf_seq_len(cm); i++)
		gather_prior(L, B, tf_seq_at(L, cm, i), depth + 1);
}

static void join_changes(struct tf_loader *L, struct by_addr *B,
			 struct ydoc_node *rcs)
{
	if (!want_seq(L, rcs, "resource_changes"))
		return;
	for (size_t i = 0; i < tf_seq_len(rcs); i++) {
		struct ydoc_node *rc = tf_seq_at(L, rcs, i);
		const char *addr = tf_text(tf_map_get(L, rc, "address"));
		struct ydoc_node *ch = tf_map_get(L, rc, "change");
		/* Deposed objects are old copies on their way out. */
		if (!addr || tf_map_get(L, rc, "deposed"))
			continue;
		struct tf_res *r = by_addr_find(L, B, addr);
		if (!r)
			continue; /* deleted: not in planned_values */
		struct ydoc_node *acts = tf_map_get(L, ch, "actions");
		bool noop = false, update = false;
		for (size_t a = 0; a < tf_seq_len(acts); a++) {
			const char *s = tf_text(tf_seq_at(L, acts, a));
			noop |=
			    s && (!strcmp(s, "no-op") || !strcmp(s, "read"));
			update |= s && !strcmp(s, "update");
		}
		r->exists = (noop || update) && tf_seq_len(acts) == 1;
		/* true: the whole object is known only after apply. */
		struct ydoc_node *unk = tf_map_get(L, ch, "after_unknown");
		if (unk && (unk->type == YAML_MAPPING_NODE || tf_is_true(unk)))
			r->unknown = unk;
		struct ydoc_node *after = tf_map_get(L, ch, "after");
		if (!r->values && after && after->type == YAML_MAPPING_NODE)
			r->values = after;
	}
}

/* Each instance's expressions in its module's configuration. */
static void join_config(struct tf_loader *L)
{
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		struct ydoc_node *rs =
		    tf_map_get(L, L->mods[r->mod].config, "resources");
		for (size_t k = 0; k < tf_seq_len(rs); k++) {
			struct ydoc_node *c = tf_seq_at(L, rs, k);
			const char *type = tf_text(tf_map_get(L, c, "type"));
			const char *name = tf_text(tf_map_get(L, c, "name"));
			const char *mode = tf_text(tf_map_get(L, c, "mode"));
			bool data = mode && !strcmp(mode, "data");
			if (type && name && data == r->data &&
			    !strcmp(type, r->type) && !strcmp(name, r->name)) {
				r->config = tf_map_get(L, c, "expressions");
				break;
			}
		}
	}
}

/* Known ids, ARNs and the names other resources refer by. */
static void build_index(struct tf_loader *L)
{
	static const char *const common[] = {
	    "id", "arn", "default_route_table_id", "default_network_acl_id",
	    "main_route_table_id"};
	static const struct {
		const char *type, *key;
	} named[] = {
	    {"aws_db_subnet_group", "name"},
	    {"aws_db_instance", "identifier"},
	    {"aws_rds_cluster", "cluster_identifier"},
	    {"aws_ecs_cluster", "name"},
	    {"aws_ecs_task_definition", "family"},
	    {"aws_ecs_capacity_provider", "name"},
	    {"aws_launch_template", "name"},
	    {"aws_launch_configuration", "name"},
	    {"aws_autoscaling_group", "name"},
	    {"aws_elb", "name"},
	    {"aws_elasticache_subnet_group", "name"},
	    {"aws_elasticache_replication_group", "replication_group_id"},
	    {"aws_security_group", "name"},
	};
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		struct ydoc_node *views[2] = {r->values, r->prior};
		for (int v = 0; v < 2; v++) {
			for (size_t k = 0; k < ARRAY_LEN(common); k++) {
				/* Only a VPC is named by its tables' ids. */
				if (k >= 2 && strcmp(r->type, "aws_vpc"))
					break;
				tf_index_add(
				    L,
				    tf_text(tf_map_get(L, views[v], common[k])),
				    i);
			}
			for (size_t k = 0; k < ARRAY_LEN(named); k++)
				if (!strcmp(r->type, named[k].type))
					tf_index_add(
					    L,
					    tf_text(tf_map_get(L, views[v],
							       named[k].key)),
					    i);
		}
	}
	tf_index_sort(L);
}

/* ---- resource types ------------------------------------------------- */

/* The types' handlers (struct tf_type, tf_plan.h).  The dispatcher owns
 * the table so that the kind parsers (tf_net.c, tf_sec.c, tf_app.c) need
 * not know of one another's types. */
static void parse_nothing(struct tf_loader *L, struct tf_res *r)
{
	(void)L;
	(void)r;
}

static const struct tf_type types[] = {
    {"aws_vpc", MK_VPC, false, 0, tf_parse_vpc},
    /* Read where they are named, by the objects that use them. */
    {"aws_db_subnet_group", MK_KIND_COUNT, false, 0, parse_nothing},
    {"aws_ecs_cluster", MK_KIND_COUNT, false, 0, parse_nothing},
    {"aws_launch_template", MK_KIND_COUNT, false, 0, parse_nothing},
    {"aws_launch_configuration", MK_KIND_COUNT, false, 0, parse_nothing},
    {"aws_elasticache_subnet_group", MK_KIND_COUNT, false, 0, parse_nothing},
    /* Read after every parser: tf_capacity_clusters. */
    {"aws_ecs_capacity_provider", MK_KIND_COUNT, false, 0, parse_nothing},
    {"aws_ecs_cluster_capacity_providers", MK_KIND_COUNT, false, 0,
     parse_nothing},

    {"aws_internet_gateway", MK_INTERNET_GATEWAY, false, 1, tf_parse_igw},
    {"aws_egress_only_internet_gateway", MK_INTERNET_GATEWAY, false, 1,
     tf_parse_igw},
    {"aws_subnet", MK_SUBNET, true, 1, tf_parse_subnet},
    {"aws_vpc_ipv4_cidr_block_association", MK_KIND_COUNT, false, 1,
     tf_parse_vpc_cidr},

    {"aws_route_table", MK_ROUTE_TABLE, true, 2, tf_parse_route_table},
    {"aws_default_route_table", MK_ROUTE_TABLE, true, 2, tf_parse_route_table},
    {"aws_nat_gateway", MK_NAT_GATEWAY, false, 2, tf_parse_nat},
    {"aws_security_group", MK_SECURITY_GROUP, true, 2, tf_parse_sg},
    {"aws_default_security_group", MK_SECURITY_GROUP, true, 2, tf_parse_sg},
    {"aws_network_acl", MK_NETWORK_ACL, true, 2, tf_parse_nacl},
    {"aws_default_network_acl", MK_NETWORK_ACL, true, 2, tf_parse_nacl},
    {"aws_ec2_managed_prefix_list", MK_PREFIX_LIST, false, 2,
     tf_parse_prefix_list},
    {"aws_instance", MK_INSTANCE, false, 2, tf_parse_instance},
    {"aws_network_interface", MK_INSTANCE, false, 2, tf_parse_eni},
    {"aws_lb", MK_LOAD_BALANCER, false, 2, tf_parse_lb},
    {"aws_alb", MK_LOAD_BALANCER, false, 2, tf_parse_lb},
    {"aws_lb_target_group", MK_TARGET_GROUP, false, 2, tf_parse_tg},
    {"aws_alb_target_group", MK_TARGET_GROUP, false, 2, tf_parse_tg},
    {"aws_ecs_task_definition", MK_TASK_DEFINITION, false, 2,
     tf_parse_task_definition},
    {"aws_db_instance", MK_DATABASE, false, 2, tf_parse_db},
    {"aws_rds_cluster", MK_DATABASE, false, 2, tf_parse_rds_cluster},
    {"aws_elasticache_cluster", MK_DATABASE, false, 2, tf_parse_cache},
    {"aws_elasticache_replication_group", MK_DATABASE, false, 2,
     tf_parse_cache},
    {"aws_efs_mount_target", MK_DATABASE, false, 2, tf_parse_efs_mount},
    {"aws_autoscaling_group", MK_FLEET, false, 2, tf_parse_asg},
    {"aws_lambda_function", MK_FLEET, false, 2, tf_parse_function},
    {"aws_elb", MK_LOAD_BALANCER, false, 2, tf_parse_elb},
    {"aws_vpc_endpoint", MK_VPC_ENDPOINT, true, 2, tf_parse_endpoint},
    {"aws_vpc_peering_connection", MK_PEERING, false, 2, tf_parse_peering},

    {"aws_ecs_service", MK_SERVICE, false, 3, tf_parse_service},
    /* After its cluster, whose public answer it may make. */
    {"aws_rds_cluster_instance", MK_DATABASE, false, 3,
     tf_parse_cluster_instance},
    {"aws_autoscaling_attachment", MK_KIND_COUNT, false, 3,
     tf_parse_asg_attachment},
    {"aws_elb_attachment", MK_KIND_COUNT, false, 3, tf_parse_elb_attachment},
    {"aws_internet_gateway_attachment", MK_KIND_COUNT, false, 3,
     tf_parse_igw_attachment},
    {"aws_main_route_table_association", MK_KIND_COUNT, false, 3,
     tf_parse_main_rt_assoc},
    {"aws_route", MK_KIND_COUNT, false, 3, tf_parse_route},
    {"aws_route_table_association", MK_KIND_COUNT, false, 3, tf_parse_rt_assoc},
    {"aws_security_group_rule", MK_KIND_COUNT, false, 3, tf_parse_sg_rule},
    {"aws_vpc_security_group_ingress_rule", MK_KIND_COUNT, false, 3,
     tf_parse_sg_rule_v2},
    {"aws_vpc_security_group_egress_rule", MK_KIND_COUNT, false, 3,
     tf_parse_sg_rule_v2},
    {"aws_network_acl_rule", MK_KIND_COUNT, false, 3, tf_parse_nacl_rule},
    {"aws_network_acl_association", MK_KIND_COUNT, false, 3,
     tf_parse_nacl_assoc},
    {"aws_eip", MK_KIND_COUNT, false, 3, tf_parse_eip},
    {"aws_eip_association", MK_KIND_COUNT, false, 3, tf_parse_eip},
    {"aws_lb_listener", MK_KIND_COUNT, false, 3, tf_parse_listener},
    {"aws_alb_listener", MK_KIND_COUNT, false, 3, tf_parse_listener},
    {"aws_lb_target_group_attachment", MK_KIND_COUNT, false, 3,
     tf_parse_tg_attachment},
    {"aws_alb_target_group_attachment", MK_KIND_COUNT, false, 3,
     tf_parse_tg_attachment},
    {"aws_vpc_endpoint_route_table_association", MK_KIND_COUNT, false, 3,
     tf_parse_endpoint_rt},
    {"aws_vpc_endpoint_subnet_association", MK_KIND_COUNT, false, 3,
     tf_parse_endpoint_subnet},
    {"aws_ec2_managed_prefix_list_entry", MK_KIND_COUNT, false, 3,
     tf_parse_prefix_list_entry},

    {"aws_lb_listener_rule", MK_KIND_COUNT, false, 4, tf_parse_listener_rule},
    {"aws_alb_listener_rule", MK_KIND_COUNT, false, 4, tf_parse_listener_rule},
};

static const struct tf_type *type_find(const char *type)
{
	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		if (!strcmp(types[i].type, type))
			return &types[i];
	return NULL;
}

/* The highest phase of the table. */
static int max_phase(void)
{
	int max = 0;
	for (size_t i = 0; i < ARRAY_LEN(types); i++)
		if (types[i].phase > max)
			max = types[i].phase;
	return max;
}

/* Gateway load balancers and their endpoints: no model kind for them. */
static bool is_gateway_lb(struct tf_loader *L, struct tf_res *r,
			  const struct tf_val *v)
{
	const char *s;
	if (!strcmp(r->type, "aws_vpc_endpoint"))
		return tf_str(L, v, "vpc_endpoint_type", &s) == TS_KNOWN &&
		       !strcmp(s, "GatewayLoadBalancer");
	if (!strcmp(r->type, "aws_lb") || !strcmp(r->type, "aws_alb"))
		return tf_str(L, v, "load_balancer_type", &s) == TS_KNOWN &&
		       !strcmp(s, "gateway");
	return false;
}

/* A VPC whose block comes from IPAM at apply is one of unknown blocks,
 * as those outside the plan are (tf_ext.c): nothing is known to be
 * inside it. */
static void classify_vpc(struct tf_loader *L, struct tf_res *r,
			 const struct tf_val *v)
{
	const char *s;
	enum tf_state st = tf_str(L, v, "cidr_block", &s);
	if (st == TS_UNKNOWN)
		r->outside = "cidr_block: known only after apply (from an IPAM "
			     "pool, for instance), so nothing is known to be "
			     "inside the VPC and verdicts through it are "
			     "unknown";
	else if (st != TS_KNOWN) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its cidr_block is not "
			"set",
			r->addr);
		return;
	}
	r->kind = MK_VPC;
}

/* What the engine needs of NAT gateways and peerings: a NAT gateway's
 * subnet, a peering's two VPCs. */
static void classify_nat_peering(struct tf_loader *L, struct tf_res *r,
				 const struct tf_val *v)
{
	static const char *const nat_keys[] = {"subnet_id", NULL};
	static const char *const peering_keys[] = {"vpc_id", "peer_vpc_id",
						   NULL};
	bool nat = r->t->kind == MK_NAT_GATEWAY;
	const char *const *keys = nat ? nat_keys : peering_keys;
	for (size_t k = 0; keys[k]; k++) {
		char why[384];
		struct tf_res *o =
		    tf_ref(L, v, keys[k], nat ? tf_subnet_types : tf_vpc_types,
			   why, sizeof(why));
		if (o && o->kind == (nat ? MK_SUBNET : MK_VPC))
			continue;
		if (o)
			snprintf(why, sizeof(why),
				 "names %s, which is left out", o->addr);
		else if (!why[0])
			snprintf(why, sizeof(why), "is not set");
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: its %s %s", r->addr,
			keys[k], why);
		return;
	}
	r->kind = r->t->kind;
}

/*
 * An object that lives in a VPC: one of the model's, or one outside the
 * plan (tf_ext.c) named after where its id comes from (a data source, a
 * known id, a variable), "default-vpc" when it names none (AWS's
 * default), or after the object's own key when nothing says.
 */
static void classify_in_vpc(struct tf_loader *L, struct tf_res *r,
			    const struct tf_val *v)
{
	const char *key = "vpc_id";
	if (!strcmp(r->type, "aws_default_route_table"))
		key = "default_route_table_id";
	else if (!strcmp(r->type, "aws_default_network_acl"))
		key = "default_network_acl_id";
	char why[384], from[256], name[384], reason[1024];
	struct tf_res *vpc = tf_ref_from(L, v, key, tf_vpc_types, why,
					 sizeof(why), from, sizeof(from));
	if (vpc && vpc->kind == MK_VPC) {
		r->vpc = (uint32_t)(vpc - L->res);
		r->kind = r->t->kind;
		return;
	}
	if (vpc) {
		snprintf(why, sizeof(why), "names %s, which is left out",
			 vpc->addr);
		from[0] = '\0';
	}
	if (!why[0]) {
		snprintf(name, sizeof(name), "default-vpc");
		snprintf(reason, sizeof(reason),
			 "the VPC is not in the plan: it is the region's "
			 "default VPC, where AWS puts what sets no %s (such as "
			 "%s)",
			 key, r->addr);
	} else {
		snprintf(name, sizeof(name), "%s%s%s", from[0] ? from : r->addr,
			 from[0] ? "" : ".", from[0] ? "" : key);
		snprintf(reason, sizeof(reason), "the VPC is not %s: %s %s: %s",
			 from[0] ? "in the plan" : "known", r->addr, key, why);
	}
	uint32_t ri = (uint32_t)(r - L->res);
	uint32_t vi = tf_ext_vpc(L, name, reason, r->node);
	r = &L->res[ri]; /* tf_ext_vpc may move L->res */
	if (vi == MODEL_NONE)
		return; /* at the limit of resources, reported */
	r->vpc = vi;
	r->kind = r->t->kind;
}

/* The network mode of an ECS task definition: ECS's default on Linux
 * instances is bridge. */
static const char *td_mode(struct tf_loader *L, struct tf_res *td)
{
	struct tf_val v;
	enum tf_state st;
	tf_val_top(&v, td);
	const char *mode = tf_str_set(L, &v, "network_mode", &st);
	return mode ? mode : st == TS_UNKNOWN ? NULL : "bridge";
}

/*
 * Whether an ECS task definition, or a service by its task definition,
 * has a network to analyse: awsvpc, bridge and host tasks do; those of
 * mode none (or Windows' nat) are left out with a warning, and recorded
 * as not analysed (VS020), as in CloudFormation.
 */
static bool ecs_has_network(struct tf_loader *L, struct tf_res *r,
			    const struct tf_val *v)
{
	static const char *const td_types[] = {"aws_ecs_task_definition", NULL};
	struct tf_res *td = NULL;
	char why[384];
	if (!strcmp(r->type, "aws_ecs_task_definition"))
		td = r;
	else if (!strcmp(r->type, "aws_ecs_service"))
		td =
		    tf_ref(L, v, "task_definition", td_types, why, sizeof(why));
	const char *mode = td ? td_mode(L, td) : NULL;
	if (!mode || !strcmp(mode, "awsvpc") || !strcmp(mode, "bridge") ||
	    !strcmp(mode, "host"))
		return true;
	char what[256];
	snprintf(what, sizeof(what), "%s%s%s network mode '%.40s'",
		 td == r ? "it" : "its task definition ",
		 td == r ? "" : td->addr, " uses", mode);
	tf_diag(L, DIAG_WARNING, r->node,
		"%s is left out of the model: %s, which has no network to "
		"analyse",
		r->addr, what);
	model_add_gap(L->m, r->addr, tf_loc(L, r->node),
		      "%s, which has no network to analyse", what);
	return false;
}

/* Whether key of v may hold something: a known non-empty list, or an
 * unknown value the configuration may set. */
static bool may_have(struct tf_loader *L, const struct tf_val *v,
		     const char *key)
{
	struct ydoc_node *n;
	enum tf_state st = tf_get(L, v, key, &n);
	if (st == TS_KNOWN)
		return n->type != YAML_SEQUENCE_NODE || tf_seq_len(n) > 0;
	return st == TS_UNKNOWN && tf_set_by_config(L, v, key);
}

/* Decides whether r becomes a model object (its kind) before counting:
 * drops objects whose VPC is unknown, with a warning. */
static void classify(struct tf_loader *L, struct tf_res *r)
{
	struct tf_val v;
	tf_val_top(&v, r);
	/* A classic ELB goes into subnets or zones: with neither, AWS
	 * refuses to create it, and the rest of the apply stands. */
	if (!strcmp(r->type, "aws_elb") && !may_have(L, &v, "subnets") &&
	    !may_have(L, &v, "availability_zones")) {
		tf_diag(L, DIAG_WARNING, r->node,
			"%s is left out of the model: it sets neither subnets "
			"nor availability_zones, and AWS creates no classic "
			"load balancer without one (the apply fails there)",
			r->addr);
		return;
	}
	/* Skipped as types without a model kind: gateway load balancers
	 * and their endpoints, functions outside every VPC. */
	if (is_gateway_lb(L, r, &v) ||
	    (!strcmp(r->type, "aws_lambda_function") &&
	     !tf_function_in_vpc(L, r))) {
		r->t = NULL;
		return;
	}
	if (!ecs_has_network(L, r, &v))
		return;
	enum model_kind kind = r->t->kind;
	if (kind == MK_KIND_COUNT)
		return;
	if (kind == MK_VPC)
		classify_vpc(L, r, &v);
	else if (kind == MK_NAT_GATEWAY || kind == MK_PEERING)
		classify_nat_peering(L, r, &v);
	else if (r->t->needs_vpc)
		classify_in_vpc(L, r, &v);
	else
		r->kind = kind;
}

/* ---- the top level ----------------------------------------------------- */

static bool check_version(struct tf_loader *L, struct ydoc_node *root)
{
	struct ydoc_node *fv = tf_map_get(L, root, "format_version");
	const char *s = tf_text(fv);
	if (!s) {
		tf_diag(L, DIAG_ERROR, fv,
			"format_version must be a string like \"1.2\", not %s",
			tf_json_type(fv));
		return false;
	}
	if (!strcmp(s, "0.1") || !strcmp(s, "0.2"))
		return true;
	/* 1.x: minor versions only add to the format. */
	if (s[0] == '1' && s[1] == '.' && s[2] >= '0' && s[2] <= '9') {
		const char *p = s + 2;
		while (*p >= '0' && *p <= '9')
			p++;
		if (!*p)
			return true;
	}
	tf_diag(L, DIAG_ERROR, fv,
		"unsupported plan format_version '%s' (vpcsim reads 0.1, 0.2 "
		"and 1.x)",
		s);
	return false;
}

static void read_region(struct tf_loader *L, struct ydoc_node *config)
{
	struct ydoc_node *pcs = tf_map_get(L, config, "provider_config");
	struct ydoc_node *aws = tf_map_get(L, pcs, "aws");
	struct ydoc_node *region =
	    tf_map_get(L, tf_map_get(L, aws, "expressions"), "region");
	const char *s = tf_text(tf_map_get(L, region, "constant_value"));
	struct ydoc_node *refs = tf_map_get(L, region, "references");
	for (size_t i = 0; !s && i < tf_seq_len(refs); i++) {
		const char *ref = tf_text(tf_seq_at(L, refs, i));
		if (ref && !strncmp(ref, "var.", 4))
			s = tf_text(tf_map_get(
			    L, tf_map_get(L, L->variables, ref + 4), "value"));
	}
	if (s)
		L->m->region = arena_strdup(&L->m->arena, s);
}

static void init_obj(struct tf_loader *L, struct tf_res *r)
{
	struct model_obj *o = model_object(L->m, r->kind, r->index);
	o->id = r->addr;
	o->kind = r->kind;
	o->index = r->index;
	o->loc = tf_loc(L, r->node ? r->node : r->at);
	struct ydoc_node *tags = tf_map_get(L, r->values, "tags");
	size_t n = tags && tags->type == YAML_MAPPING_NODE
		       ? (size_t)(tags->data.mapping.pairs.top -
				  tags->data.mapping.pairs.start)
		       : 0;
	o->tags = arena_array(&L->m->arena, n, sizeof(*o->tags));
	for (size_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &tags->data.mapping.pairs.start[i];
		const char *k = tf_text(tf_node(L, p->key));
		const char *v = tf_text(tf_node(L, p->value));
		if (k && v) {
			o->tags[o->n_tags].key = arena_strdup(&L->m->arena, k);
			o->tags[o->n_tags++].value =
			    arena_strdup(&L->m->arena, v);
		}
	}
}

struct skipped {
	const char *type;
	uint32_t n;
};

static int skipped_cmp(const void *a, const void *b)
{
	return strcmp(((const struct skipped *)a)->type,
		      ((const struct skipped *)b)->type);
}

/* One note for every resource of a type vpcsim does not model. */
static void note_skipped(struct tf_loader *L)
{
	struct skipped *s = NULL;
	uint32_t ns = 0, total = 0;
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		if (r->data || r->t || !r->node)
			continue;
		total++;
		uint32_t k;
		for (k = 0; k < ns && strcmp(s[k].type, r->type); k++)
			;
		if (k == ns) {
			s = xreallocarray(s, ns + 1, sizeof(*s));
			s[ns++] = (struct skipped){r->type, 0};
		}
		s[k].n++;
	}
	if (total) {
		qsort(s, ns, sizeof(*s), skipped_cmp);
		char buf[512];
		size_t off = 0;
		for (uint32_t k = 0; k < ns && off < sizeof(buf); k++) {
			if (k == 8) {
				off += (size_t)snprintf(
				    buf + off, sizeof(buf) - off,
				    ", and %u more types", ns - k);
				break;
			}
			off += (size_t)snprintf(buf + off, sizeof(buf) - off,
						"%s%s (%u)", k ? ", " : "",
						s[k].type, s[k].n);
		}
		diag_add(
		    L->diags, DIAG_NOTE, L->file, 0, 0,
		    "skipped %u resource%s of types vpcsim does not model: "
		    "%s",
		    total, total == 1 ? "" : "s", buf);
	}
	free(s);
}

/* 1. gather: the module instances, every resource instance joined with
 * its change, prior values and configuration, and the index of ids. */
static void gather(struct tf_loader *L, struct ydoc_node *root,
		   struct ydoc_node *pv, struct ydoc_node *config)
{
	L->cap_mods = 8;
	L->mods = xcalloc(L->cap_mods, sizeof(*L->mods));
	L->n_mods = 0;
	L->mods[0].addr = "";
	L->mods[0].parent = MODEL_NONE;
	L->mods[0].config = tf_map_get(L, config, "root_module");
	module_index(L, 0);
	L->n_mods = 1;
	gather_module(L, tf_map_get(L, pv, "root_module"), 0);
	struct by_addr B;
	by_addr_build(L, &B);
	join_changes(L, &B, tf_map_get(L, root, "resource_changes"));
	struct ydoc_node *ps = tf_map_get(L, root, "prior_state");
	gather_prior(L, &B,
		     tf_map_get(L, tf_map_get(L, ps, "values"), "root_module"),
		     0);
	free(B.v);
	join_config(L);
	build_index(L);
}

/* Which classification pass r belongs to: VPCs first, then what needs a
 * VPC, then what needs those (a NAT gateway its subnet). */
static int classify_pass(const struct tf_res *r)
{
	if (r->t->kind == MK_VPC)
		return 0;
	return r->t->needs_vpc ? 1 : 2;
}

/*
 * 2. classify every instance, then allocate the kind arrays with room for
 * one synthesized default group per VPC (tf_default_sg), a table per
 * association whose table is unknown, and a default route table and
 * network ACL per VPC for what names them by the VPC's attributes, and
 * index the objects' ids.
 */
static void classify_all(struct tf_loader *L)
{
	uint32_t n_assoc = 0;
	tf_ext_data(L);
	for (int pass = 0; pass < 3; pass++)
		for (uint32_t i = 0; i < L->n_res; i++) {
			struct tf_res *r = &L->res[i];
			/* Data sources: those tf_ext_data gave a handler. */
			if (r->data ? !r->t : !r->node)
				continue;
			if (pass == 0 && !r->data)
				r->t = type_find(r->type);
			/* (kind set: a VPC outside the plan, tf_ext.c) */
			if (!r->t || r->kind != MK_KIND_COUNT)
				continue;
			n_assoc +=
			    pass == 0 &&
			    !strcmp(r->type, "aws_route_table_association");
			if (classify_pass(r) == pass)
				classify(L, r); /* may move L->res */
		}
	tf_ext_groups(L);
	uint32_t count[MK_KIND_COUNT] = {0};
	for (uint32_t i = 0; i < L->n_res; i++)
		if (L->res[i].kind != MK_KIND_COUNT)
			L->res[i].index = count[L->res[i].kind]++;
	uint32_t n_groups = count[MK_SECURITY_GROUP];
	uint32_t n_tables = count[MK_ROUTE_TABLE];
	uint32_t n_nacls = count[MK_NETWORK_ACL];
	count[MK_SECURITY_GROUP] += count[MK_VPC];
	count[MK_ROUTE_TABLE] += n_assoc + count[MK_VPC];
	count[MK_NETWORK_ACL] += count[MK_VPC];
	model_alloc_kinds(L->m, count);
	L->m->n[MK_SECURITY_GROUP] = n_groups;
	L->m->n[MK_ROUTE_TABLE] = n_tables;
	L->m->n[MK_NETWORK_ACL] = n_nacls;
	L->groups_cap = count[MK_SECURITY_GROUP];
	L->tables_cap = count[MK_ROUTE_TABLE];
	L->nacls_cap = count[MK_NETWORK_ACL];
	L->default_sg =
	    arena_array(&L->m->arena, count[MK_VPC], sizeof(*L->default_sg));
	L->vpc_rt = arena_array(&L->m->arena, count[MK_VPC], sizeof(uint32_t));
	L->vpc_nacl =
	    arena_array(&L->m->arena, count[MK_VPC], sizeof(uint32_t));
	for (uint32_t v = 0; v < count[MK_VPC]; v++)
		L->default_sg[v] = L->vpc_rt[v] = L->vpc_nacl[v] = MODEL_NONE;
	for (uint32_t i = 0; i < L->n_res; i++)
		if (L->res[i].kind != MK_KIND_COUNT)
			init_obj(L, &L->res[i]);
	model_index_ids(L->m, L->diags);
}

/* 3. parse, phase by phase, every instance not left out. */
static void parse_all(struct tf_loader *L)
{
	for (int phase = 0; phase <= max_phase(); phase++)
		for (uint32_t i = 0; i < L->n_res; i++) {
			struct tf_res *r = &L->res[i];
			if (!r->t || r->t->phase != phase)
				continue;
			if (r->t->kind != MK_KIND_COUNT &&
			    r->kind == MK_KIND_COUNT)
				continue; /* left out */
			r->t->parse(L, r);
		}
}

/* AWS refuses a route to an internet gateway of another VPC: a gateway
 * whose VPC the plan does not tell is attached to the VPC of the tables
 * that route to it, and says so. */
static void attach_routed_igws(struct model *m)
{
	for (uint32_t t = 0; t < m->n[MK_ROUTE_TABLE]; t++) {
		struct model_route_table *rt = &m->route_tables[t];
		for (uint32_t k = 0; k < rt->n_routes; k++) {
			struct model_route *r = &rt->routes[k];
			if ((r->target != RT_IGW && r->target != RT_EIGW) ||
			    rt->vpc == MODEL_NONE ||
			    m->igws[r->target_index].vpc != MODEL_NONE)
				continue;
			struct model_internet_gateway *g =
			    &m->igws[r->target_index];
			g->vpc = rt->vpc;
			model_add_unknown(
			    m, &g->obj,
			    "attached to VPC %s, which route table "
			    "%s routes to it from (AWS refuses "
			    "routes to a gateway of another VPC)",
			    m->vpcs[rt->vpc].obj.id, rt->obj.id);
		}
	}
}

/*
 * What the plan's resources outside the model reference is in use, by
 * something no rule sees (model.h struct model_use): a group named by an
 * EKS cluster or a search domain, a launch template no fleet of the plan
 * launches from, an object left out.  Rule and association resources
 * attach to what they name, which the model holds: no use.
 */
static void outside_uses(struct tf_loader *L)
{
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		bool skipped =
		    !r->t || r->t->parse == parse_nothing ||
		    (r->t->kind != MK_KIND_COUNT && r->kind == MK_KIND_COUNT);
		if (r->data || !r->node || !r->config || !skipped)
			continue;
		uint32_t n;
		struct tf_res **refs = tf_config_refs(L, r, &n);
		for (uint32_t k = 0; k < n; k++)
			if (refs[k] != r && refs[k]->kind != MK_KIND_COUNT)
				model_add_use(L->m, refs[k]->kind,
					      refs[k]->index, r->addr);
		free(refs);
	}
}

/* Whether the model holds an object of the plan's own: what vpcsim adds
 * (implicit objects, and what is outside the plan) is nothing to check. */
static bool has_own_object(const struct model *m)
{
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++)
			if (!model_object(m, (enum model_kind)k, i)->implicit)
				return true;
	/* The plan's rules on a group outside the plan are checked. */
	for (uint32_t i = 0; i < m->n[MK_SECURITY_GROUP]; i++) {
		const struct model_security_group *g = &m->groups[i];
		for (uint32_t r = 0; r < g->n_ingress; r++)
			if (!g->ingress[r].implicit)
				return true;
		for (uint32_t r = 0; r < g->n_egress; r++)
			if (!g->egress[r].implicit)
				return true;
	}
	return false;
}

/* 4. notes: skipped types, references taken through locals, and a plan
 * with nothing to check, which must not pass a gate unnoticed (check
 * --fail-on-empty). */
static void notes(struct tf_loader *L)
{
	if (!has_own_object(L->m) && L->diags->n_errors == L->errors0)
		diag_add(L->diags, DIAG_NOTE, L->file, 0, 0,
			 "the plan has no AWS network resource that vpcsim "
			 "models: nothing is checked");
	note_skipped(L);
	if (L->n_inferred)
		diag_add(L->diags, DIAG_NOTE, L->file, L->inferred_loc.line,
			 L->inferred_loc.col,
			 "%u reference%s through local values (which plans do "
			 "not contain) %s taken to be the only resource of "
			 "the wanted type in their module, e.g. %s",
			 L->n_inferred, L->n_inferred == 1 ? "" : "s",
			 L->n_inferred == 1 ? "was" : "were",
			 L->inferred_example);
}

/* Whether the plan's resources were read (its map of sources is
 * wanted). */
static bool load_plan(struct tf_loader *L, struct ydoc_node *root)
{
	if (!check_version(L, root))
		return false;
	struct ydoc_node *pv = tf_map_get(L, root, "planned_values");
	if (!pv) {
		tf_diag(L, DIAG_ERROR, root,
			"the plan has no planned_values: give the output of "
			"'terraform show -json' for a saved plan");
		return false;
	}
	if (!want_map(L, pv, "planned_values"))
		return false;
	/* Terraform always writes the root module, empty or not. */
	struct ydoc_node *rm = tf_map_get(L, pv, "root_module");
	if (!rm) {
		tf_diag(L, DIAG_ERROR, pv,
			"planned_values has no root_module: the plan's "
			"resources are missing");
		return false;
	}
	if (!want_map(L, rm, "planned_values.root_module"))
		return false;
	struct ydoc_node *config = tf_map_get(L, root, "configuration");
	struct ydoc_node *vars = tf_map_get(L, root, "variables");
	L->variables = vars && vars->type == YAML_MAPPING_NODE ? vars : NULL;
	read_region(L, config);
	gather(L, root, pv, config);
	classify_all(L);
	parse_all(L);
	tf_capacity_clusters(L);
	outside_uses(L);
	attach_routed_igws(L->m);
	notes(L);
	return true;
}

int model_load_tfplan(struct model *m, struct ydoc *doc, const char *tf_source,
		      struct tf_srcmap **map, struct diag_list *diags)
{
	struct tf_loader L = {.m = m,
			      .doc = doc,
			      .diags = diags,
			      .file = m->file,
			      .errors0 = diags->n_errors};
	size_t before = diags->n_errors;
	m->format = "terraform-plan";
	if (map)
		*map = NULL;
	if (load_plan(&L, ydoc_root(doc)) && map)
		*map = tf_source_map(&L, tf_source);
	free(L.res);
	free(L.mods);
	free(L.idx);
	free(L.rule_set);
	free(L.mb_result);
	free(L.mod_hash);
	free(L.outside_hash);
	return diags->n_errors == before ? 0 : -1;
}
