/*
 * What a plan's ids name: known ids through an index of every instance's
 * id, ARN and name; ids unknown until apply through the configuration's
 * references.
 *
 * A configuration expression lists the references it makes, as strings:
 * "aws_vpc.main.id" and "aws_vpc.main" (Terraform 1.x gives each step of a
 * traversal; 0.12 only the resource), "aws_subnet.private[0]",
 * "module.vpc.vpc_id", "var.vpc_id", "local.x", "data.aws_vpc.x",
 * "count.index".  resolve_refs turns such a list into the resource
 * instances it can name, in the module instance where the expression is:
 *   - a resource without an index names the instance of the referrer's
 *     own count.index or each.key when the list holds those, else every
 *     instance (a splat, aws_subnet.private[*].id);
 *   - var.X continues with the argument X of the module call, in the
 *     calling module, and at the root with the plan's variable values;
 *   - module.C.O continues with the output O of the called module;
 *   - locals are not in plans at all, and data sources are not modelled:
 *     those end the search and are what an unknown says it came from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "load/tf/tf_plan.h"

/* The types that several kind parsers name (tf_plan.h). */
const char *const tf_vpc_types[] = {"aws_vpc", NULL};
const char *const tf_subnet_types[] = {"aws_subnet", NULL};
const char *const tf_sg_types[] = {"aws_security_group",
				   "aws_default_security_group", NULL};
const char *const tf_pl_types[] = {"aws_ec2_managed_prefix_list", NULL};

/* ---- the index of known ids ---------------------------------------- */

void tf_index_add(struct tf_loader *L, const char *value, uint32_t res)
{
	if (!value || !*value)
		return;
	if (L->n_idx == L->cap_idx) {
		L->cap_idx = L->cap_idx ? 2 * L->cap_idx : 64;
		L->idx = xreallocarray(L->idx, L->cap_idx, sizeof(*L->idx));
	}
	L->idx[L->n_idx].value = value;
	L->idx[L->n_idx++].res = res;
}

static int idx_cmp(const void *a, const void *b)
{
	const struct tf_idx *x = a, *y = b;
	int c = strcmp(x->value, y->value);
	if (c)
		return c;
	return (x->res > y->res) - (x->res < y->res);
}

void tf_index_sort(struct tf_loader *L)
{
	if (L->n_idx)
		qsort(L->idx, L->n_idx, sizeof(*L->idx), idx_cmp);
}

struct tf_res *tf_index_find(struct tf_loader *L, const char *value)
{
	uint32_t lo = 0, hi = L->n_idx;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(L->idx[mid].value, value);
		if (c == 0) {
			while (mid > 0 && !strcmp(L->idx[mid - 1].value, value))
				mid--;
			return &L->res[L->idx[mid].res];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct tf_res *tf_index_next(struct tf_loader *L, struct tf_res *r,
			     const char *value)
{
	uint32_t ri = (uint32_t)(r - L->res);
	uint32_t lo = 0, hi = L->n_idx;
	while (lo < hi) { /* the first entry (value, res > ri) */
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(L->idx[mid].value, value);
		if (c < 0 || (c == 0 && L->idx[mid].res <= ri))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < L->n_idx && !strcmp(L->idx[lo].value, value))
		return &L->res[L->idx[lo].res];
	return NULL;
}

/* ---- traversals ------------------------------------------------------ */

#define TRAV_MAX 8
#define TOK_MAX	 128

struct tok {
	enum { TOK_NAME, TOK_NUM, TOK_STR } kind;
	char text[TOK_MAX];
	long num;
};

struct trav {
	struct tok t[TRAV_MAX];
	int n;
};

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '*';
}

/* An index token after its '[' at *p: "k"] or 12]; false when
 * malformed.  *p moves past the ']'. */
static bool tok_index(struct tok *t, const char **p)
{
	const char *q = *p;
	size_t len = 0;
	if (*q == '"') {
		t->kind = TOK_STR;
		for (q++; *q && *q != '"'; q++) {
			if (*q == '\\' && q[1])
				q++;
			if (len + 1 >= TOK_MAX)
				return false;
			t->text[len++] = *q;
		}
		if (*q != '"')
			return false;
		q++;
	} else {
		t->kind = TOK_NUM;
		t->num = 0;
		if (*q < '0' || *q > '9')
			return false;
		for (; *q >= '0' && *q <= '9'; q++) {
			if (t->num > 100000000L)
				return false;
			t->num = t->num * 10 + (*q - '0');
			if (len + 1 < TOK_MAX)
				t->text[len++] = *q;
		}
	}
	if (*q != ']')
		return false;
	t->text[len] = '\0';
	*p = q + 1;
	return true;
}

/* A name token at *p; false when empty or too long.  *p moves past it. */
static bool tok_name(struct tok *t, const char **p)
{
	const char *q = *p;
	size_t len = 0;
	t->kind = TOK_NAME;
	for (; name_char(*q); q++) {
		if (len + 1 >= TOK_MAX)
			return false;
		t->text[len++] = *q;
	}
	if (!len)
		return false;
	t->text[len] = '\0';
	*p = q;
	return true;
}

/* "aws_subnet.x[0].id", `module.m["k"].out`; false when malformed. */
static bool trav_parse(struct trav *tr, const char *s)
{
	tr->n = 0;
	const char *p = s;
	while (*p) {
		if (tr->n == TRAV_MAX)
			return true; /* the rest is attributes: not needed */
		struct tok *t = &tr->t[tr->n];
		if (*p == '[') {
			p++;
			if (!tok_index(t, &p))
				return false;
		} else {
			if (tr->n > 0 && *p++ != '.')
				return false;
			if (!tok_name(t, &p))
				return false;
		}
		tr->n++;
	}
	return tr->n > 0;
}

static bool key_matches(const struct tf_key *k, const struct tok *t)
{
	if (t->kind == TOK_NUM)
		return k->kind == TK_INT && k->num == t->num;
	if (t->kind == TOK_STR)
		return k->kind == TK_STR && !strcmp(k->str, t->text);
	return false;
}

/* ---- resolution -------------------------------------------------------- */

/* What a search found: resources, and where it ended outside the plan
 * (each with the module instance it was in, for its full name). */
struct found {
	uint32_t *v; /* tf_res indexes */
	uint32_t n, cap;
	char local[TOK_MAX + 8];
	uint32_t local_mod;
	char data[2 * TOK_MAX + 8];
	uint32_t data_mod;
	bool data_read; /* the plan has its values (prior_state) */
	char opaque[TOK_MAX + 8];
	uint32_t opaque_mod;
	char empty[2 * TOK_MAX + 8]; /* a resource with no instance */
	uint32_t empty_mod;
};

/* A managed instance, or a data source modelled as an object outside the
 * plan (tf_ext.c): what a reference may resolve to. */
static bool usable(const struct tf_res *r)
{
	return !r->data || r->kind != MK_KIND_COUNT;
}

#define DEPTH_MAX 24

static void found_add(struct found *f, uint32_t r)
{
	for (uint32_t i = 0; i < f->n; i++)
		if (f->v[i] == r)
			return;
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 8;
		f->v = xreallocarray(f->v, f->cap, sizeof(*f->v));
	}
	f->v[f->n++] = r;
}

static void resolve_expr(struct tf_loader *L, uint32_t mod,
			 const struct tf_key *key, struct ydoc_node *expr,
			 struct found *f, int depth);

/* A constant: ids as strings, or lists of them. */
static void resolve_const(struct tf_loader *L, struct ydoc_node *c,
			  struct found *f)
{
	if (!c)
		return;
	if (c->type == YAML_SEQUENCE_NODE) {
		for (size_t i = 0; i < tf_seq_len(c); i++)
			resolve_const(L, tf_seq_at(L, c, i), f);
		return;
	}
	const char *s = tf_text(c);
	struct tf_res *r = s ? tf_index_find(L, s) : NULL;
	/* A managed instance first: a data source may read one. */
	struct tf_res *pick = NULL;
	for (struct tf_res *x = r; x && !pick; x = tf_index_next(L, x, s))
		if (!x->data)
			pick = x;
	for (struct tf_res *x = r; x && !pick; x = tf_index_next(L, x, s))
		if (usable(x))
			pick = x;
	if (pick) {
		found_add(f, (uint32_t)(pick - L->res));
	} else if (r && !f->data[0]) {
		snprintf(f->data, sizeof(f->data), "%s", r->addr);
		f->data_mod = 0; /* the address is a full one */
		f->data_read = true;
	}
}

/* The instances of resource TYPE.NAME (or, with data, of data source
 * data.TYPE.NAME, when it is modelled: tf_ext.c) that a traversal names. */
static void resolve_resource(struct tf_loader *L, uint32_t mod,
			     const struct tf_key *key, const struct trav *tr,
			     bool data, bool count_index, bool each_key,
			     struct found *f)
{
	int at = data ? 1 : 0;
	const char *type = tr->t[at].text, *name = tr->t[at + 1].text;
	const struct tok *idx = tr->n > at + 2 && tr->t[at + 2].kind != TOK_NAME
				    ? &tr->t[at + 2]
				    : NULL;
	uint32_t first = f->n, n_inst = 0, single = MODEL_NONE;
	bool keyed = false;
	bool read = false;
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		if (r->data != data || r->mod != mod || strcmp(r->type, type) ||
		    strcmp(r->name, name))
			continue;
		read |= data;
		if (data ? r->kind == MK_KIND_COUNT : !r->node)
			continue;
		n_inst++;
		single = i;
		keyed |= r->key.kind != TK_NONE;
		if (idx) {
			if (key_matches(&r->key, idx))
				found_add(f, i);
		} else if (count_index && key->kind == TK_INT) {
			if (r->key.kind == TK_INT && r->key.num == key->num)
				found_add(f, i);
		} else if (each_key && key->kind == TK_STR) {
			if (r->key.kind == TK_STR &&
			    !strcmp(r->key.str, key->str))
				found_add(f, i);
		} else {
			found_add(f, i);
		}
	}
	/* count.index on an uncounted resource does not index it. */
	if (!idx && n_inst == 1 && !keyed && f->n == first)
		found_add(f, single);
	if (f->n != first)
		return;
	if (data && !f->data[0]) {
		snprintf(f->data, sizeof(f->data), "data.%.80s.%.80s", type,
			 name);
		f->data_mod = mod;
		f->data_read = read;
	} else if (!data && !f->empty[0]) {
		snprintf(f->empty, sizeof(f->empty), "%.80s.%.80s%s%.80s%s",
			 type, name, idx ? "[" : "", idx ? idx->text : "",
			 idx ? "]" : "");
		f->empty_mod = mod;
	}
}

static void resolve_var(struct tf_loader *L, uint32_t mod, const char *name,
			struct found *f, int depth)
{
	const struct tf_module *M = &L->mods[mod];
	uint32_t before = f->n;
	if (M->parent == MODEL_NONE) {
		struct ydoc_node *var = tf_map_get(L, L->variables, name);
		resolve_const(L, tf_map_get(L, var, "value"), f);
	} else {
		struct ydoc_node *expr = tf_map_get(L, M->call_expr, name);
		if (expr)
			resolve_expr(L, M->parent, &M->key, expr, f, depth + 1);
	}
	if (f->n == before && !f->opaque[0]) {
		snprintf(f->opaque, sizeof(f->opaque), "var.%s", name);
		f->opaque_mod = mod;
	}
}

static void resolve_module(struct tf_loader *L, uint32_t mod,
			   const struct trav *tr, struct found *f, int depth)
{
	const char *call = tr->t[1].text;
	const struct tok *idx =
	    tr->n > 2 && tr->t[2].kind != TOK_NAME ? &tr->t[2] : NULL;
	int out_at = idx ? 3 : 2;
	if (tr->n <= out_at || tr->t[out_at].kind != TOK_NAME)
		return;
	const char *output = tr->t[out_at].text;
	/* module.vpc.subnet_ids["a"]: an output that maps keys to the
	 * instances of a for_each (or count) resource, indexed. */
	const struct tok *sel =
	    tr->n > out_at + 1 && tr->t[out_at + 1].kind != TOK_NAME
		? &tr->t[out_at + 1]
		: NULL;
	static const struct tf_key none = {TK_NONE, 0, NULL};
	for (uint32_t c = 0; c < L->n_mods; c++) {
		const struct tf_module *C = &L->mods[c];
		if (C->parent != mod || !C->call || strcmp(C->call, call) ||
		    (idx && !key_matches(&C->key, idx)))
			continue;
		struct ydoc_node *o =
		    tf_map_get(L, tf_map_get(L, C->config, "outputs"), output);
		uint32_t before = f->n;
		resolve_expr(L, c, &none, tf_map_get(L, o, "expression"), f,
			     depth + 1);
		bool any = false;
		for (uint32_t i = before; sel && i < f->n; i++)
			any |= key_matches(&L->res[f->v[i]].key, sel);
		if (!any)
			continue;
		uint32_t k = before;
		for (uint32_t i = before; i < f->n; i++)
			if (key_matches(&L->res[f->v[i]].key, sel))
				f->v[k++] = f->v[i];
		f->n = k;
	}
}

/* Whether s is a shorter form of another reference of the list (Terraform
 * 1.x lists "aws_vpc.main" next to "aws_vpc.main.id"). */
static bool is_prefix_ref(struct tf_loader *L, struct ydoc_node *refs,
			  const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < tf_seq_len(refs); i++) {
		const char *o = tf_text(tf_seq_at(L, refs, i));
		if (o && !strncmp(o, s, len) &&
		    (o[len] == '.' || o[len] == '['))
			return true;
	}
	return false;
}

static void resolve_refs(struct tf_loader *L, uint32_t mod,
			 const struct tf_key *key, struct ydoc_node *refs,
			 struct found *f, int depth)
{
	bool count_index = false, each_key = false;
	size_t n = tf_seq_len(refs);
	for (size_t i = 0; i < n; i++) {
		const char *s = tf_text(tf_seq_at(L, refs, i));
		if (!s)
			continue;
		count_index |= !strcmp(s, "count.index");
		each_key |= !strcmp(s, "each.key") || !strcmp(s, "each.value");
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = tf_text(tf_seq_at(L, refs, i));
		struct trav tr;
		if (!s || is_prefix_ref(L, refs, s) || !trav_parse(&tr, s))
			continue;
		const char *root = tr.t[0].text;
		if (tr.t[0].kind != TOK_NAME || !strcmp(root, "count") ||
		    !strcmp(root, "each") || !strcmp(root, "path") ||
		    !strcmp(root, "terraform") || !strcmp(root, "self"))
			continue;
		bool second = tr.n > 1 && tr.t[1].kind == TOK_NAME;
		if (!strcmp(root, "local")) {
			if (second && !f->local[0]) {
				snprintf(f->local, sizeof(f->local), "local.%s",
					 tr.t[1].text);
				f->local_mod = mod;
			}
		} else if (!strcmp(root, "data")) {
			if (tr.n > 2 && second && tr.t[2].kind == TOK_NAME)
				resolve_resource(L, mod, key, &tr, true,
						 count_index, each_key, f);
		} else if (!strcmp(root, "var")) {
			if (second)
				resolve_var(L, mod, tr.t[1].text, f, depth);
		} else if (!strcmp(root, "module")) {
			if (second)
				resolve_module(L, mod, &tr, f, depth);
		} else if (second) {
			resolve_resource(L, mod, key, &tr, false, count_index,
					 each_key, f);
		}
	}
}

static void resolve_expr(struct tf_loader *L, uint32_t mod,
			 const struct tf_key *key, struct ydoc_node *expr,
			 struct found *f, int depth)
{
	if (!expr || expr->type != YAML_MAPPING_NODE || depth > DEPTH_MAX)
		return;
	struct ydoc_node *refs = tf_map_get(L, expr, "references");
	if (refs)
		resolve_refs(L, mod, key, refs, f, depth);
	else
		resolve_const(L, tf_map_get(L, expr, "constant_value"), f);
}

static bool wanted(const struct tf_res *r, const char *const *types)
{
	for (size_t i = 0; types[i]; i++)
		if (!strcmp(r->type, types[i]))
			return true;
	return false;
}

/* Why the search found nothing of the wanted types. */
static void explain(struct tf_loader *L, const struct found *f,
		    const char *const *types, char *why, size_t size)
{
	for (uint32_t i = 0; i < f->n; i++)
		if (!wanted(&L->res[f->v[i]], types)) {
			snprintf(why, size,
				 "names %s, which vpcsim does not read as %s",
				 L->res[f->v[i]].addr, types[0]);
			return;
		}
	if (f->data[0])
		snprintf(why, size, "comes from data source %s, which %s",
			 f->data,
			 f->data_read ? "vpcsim does not model"
				      : "the plan reads only at apply");
	else if (f->local[0])
		snprintf(
		    why, size,
		    "comes from local value %s, which plans do not contain",
		    f->local);
	else if (f->empty[0])
		snprintf(why, size, "names %s, which the plan does not create",
			 f->empty);
	else if (f->opaque[0])
		snprintf(why, size,
			 "comes from %s, which names no resource of the plan",
			 f->opaque);
	else
		snprintf(why, size,
			 "is known only after apply, and the plan's "
			 "configuration does not say where it comes from");
}

/* A name of module instance mod: "" at the root, "module.a." below. */
static void qualified(struct tf_loader *L, uint32_t mod, const char *name,
		      char *out, size_t size)
{
	const char *m = mod < L->n_mods ? L->mods[mod].addr : "";
	snprintf(out, size, "%s%s%s", m, *m ? "." : "", name);
}

/* A resource as where a value comes from: its address, unless it is (or
 * may become) an object of the model, whose id that is. */
static void source_res(const struct tf_res *r, char *from, size_t size)
{
	if (!r->t && r->kind == MK_KIND_COUNT)
		snprintf(from, size, "%s", r->addr);
}

/* Where the search ended outside the plan, as explain tells it, as a
 * name: what tf_ref_from gives in *from. */
static void source_of(struct tf_loader *L, const struct found *f,
		      const char *const *types, char *from, size_t size)
{
	from[0] = '\0';
	for (uint32_t i = 0; i < f->n; i++)
		if (!wanted(&L->res[f->v[i]], types)) {
			source_res(&L->res[f->v[i]], from, size);
			return;
		}
	if (f->data[0])
		qualified(L, f->data_mod, f->data, from, size);
	else if (f->local[0])
		qualified(L, f->local_mod, f->local, from, size);
	else if (f->empty[0])
		qualified(L, f->empty_mod, f->empty, from, size);
	else if (f->opaque[0])
		qualified(L, f->opaque_mod, f->opaque, from, size);
}

/* The configuration's expression for key, resolved. */
static bool config_found(struct tf_loader *L, const struct tf_val *v,
			 const char *key, struct found *f)
{
	struct ydoc_node *expr = v->cfg1 ? v->cfg1 : tf_map_get(L, v->cfg, key);
	if (!expr)
		return false;
	resolve_expr(L, v->r->mod, &v->r->key, expr, f, 0);
	return true;
}

/* The only instance of the wanted types in module mod, or NULL. */
static struct tf_res *sole_candidate(struct tf_loader *L, uint32_t mod,
				     const char *const *types)
{
	struct tf_res *one = NULL;
	for (uint32_t i = 0; i < L->n_res; i++) {
		struct tf_res *r = &L->res[i];
		if (r->data || r->mod != mod || !r->node || !wanted(r, types))
			continue;
		if (one)
			return NULL;
		one = r;
	}
	return one;
}

/* tf_ref_text, with where the text comes from when it names nothing of
 * the model in *from (when from is not NULL). */
static struct tf_res *ref_text(struct tf_loader *L, const char *text,
			       const char *const *types, char *why,
			       size_t whysize, char *from, size_t fromsize)
{
	struct tf_res *r = tf_index_find(L, text);
	/* Names are not unique across types (a database and its subnet
	 * group are both "db"): the first of the wanted types, a managed
	 * one before a data source that reads it. */
	for (struct tf_res *c = r; c; c = tf_index_next(L, c, text))
		if (!c->data && wanted(c, types))
			return c;
	for (struct tf_res *c = r; c; c = tf_index_next(L, c, text))
		if (usable(c) && wanted(c, types))
			return c;
	if (from && r)
		source_res(r, from, fromsize);
	else if (from)
		snprintf(from, fromsize, "%s", text);
	if (r && r->data)
		snprintf(why, whysize,
			 "'%s' is data source %s, which vpcsim does not model",
			 text, r->addr);
	else if (r)
		snprintf(why, whysize,
			 "'%s' is %s, which vpcsim does not read as %s", text,
			 r->addr, types[0]);
	else
		snprintf(why, whysize, "'%s' is no resource of the plan", text);
	return NULL;
}

struct tf_res *tf_ref_text(struct tf_loader *L, const char *text,
			   const char *key, const char *const *types, char *why,
			   size_t whysize)
{
	(void)key;
	return ref_text(L, text, types, why, whysize, NULL, 0);
}

struct tf_res *tf_ref(struct tf_loader *L, const struct tf_val *v,
		      const char *key, const char *const *types, char *why,
		      size_t whysize)
{
	return tf_ref_from(L, v, key, types, why, whysize, NULL, 0);
}

struct tf_res *tf_ref_from(struct tf_loader *L, const struct tf_val *v,
			   const char *key, const char *const *types, char *why,
			   size_t whysize, char *from, size_t fromsize)
{
	struct ydoc_node *n;
	why[0] = '\0';
	if (from)
		from[0] = '\0';
	enum tf_state st = tf_get(L, v, key, &n);
	if (st == TS_ABSENT)
		return NULL;
	if (st == TS_KNOWN) {
		const char *s = tf_text(n);
		if (!s) {
			tf_err(L, v, n, "%s must be a string, not %s", key,
			       tf_json_type(n));
			return NULL;
		}
		if (!*s)
			return NULL; /* the provider's "" for "not set" */
		return ref_text(L, s, types, why, whysize, from, fromsize);
	}
	if (!tf_set_by_config(L, v, key))
		return NULL;
	struct found f = {0};
	struct tf_res *out = NULL;
	if (!config_found(L, v, key, &f)) {
		explain(L, &f, types, why, whysize);
		goto out;
	}
	uint32_t n_want = 0;
	for (uint32_t i = 0; i < f.n; i++)
		if (wanted(&L->res[f.v[i]], types)) {
			n_want++;
			if (!out)
				out = &L->res[f.v[i]];
		}
	if (n_want > 1) {
		size_t off = (size_t)snprintf(why, whysize, "may be any of ");
		uint32_t shown = 0;
		for (uint32_t i = 0; i < f.n && off < whysize; i++) {
			if (!wanted(&L->res[f.v[i]], types))
				continue;
			if (shown == 3) {
				off += (size_t)snprintf(why + off,
							whysize - off, ", ...");
				break;
			}
			off += (size_t)snprintf(why + off, whysize - off,
						"%s%s", shown ? ", " : "",
						L->res[f.v[i]].addr);
			shown++;
		}
		if (off < whysize)
			snprintf(why + off, whysize - off,
				 " (the configuration does not say which)");
		out = NULL;
		goto out;
	}
	if (out)
		goto out;
	/* A local value is the one reference a plan cannot follow.  Modules
	 * name their own resources through locals (local.vpc_id in the
	 * terraform-aws-modules VPC); when the module where the local
	 * lives holds exactly one instance of the wanted types, it is
	 * that one (docs/terraform.md).  Nothing else in the list may
	 * name a resource of another type. */
	if (f.local[0] && !f.data[0] && !f.n) {
		out = sole_candidate(L, f.local_mod, types);
		if (out) {
			if (!L->n_inferred++) {
				snprintf(L->inferred_example,
					 sizeof(L->inferred_example),
					 "%.80s %.40s%s%.40s -> %.80s (%.40s)",
					 v->r->addr, v->what,
					 *v->what ? " " : "", key, out->addr,
					 f.local);
				L->inferred_loc = tf_loc(L, v->r->node);
			}
			goto out;
		}
	}
	explain(L, &f, types, why, whysize);
	if (from)
		source_of(L, &f, types, from, fromsize);
out:
	free(f.v);
	return out;
}

struct tf_res **tf_ref_list(struct tf_loader *L, const struct tf_val *v,
			    const char *key, const char *const *types,
			    uint32_t *n, char *why, size_t whysize)
{
	struct ydoc_node *list;
	struct found f = {0};
	bool need_config = false;
	why[0] = '\0';
	*n = 0;
	enum tf_state st = tf_get(L, v, key, &list);
	if (st == TS_ABSENT ||
	    (st == TS_UNKNOWN && !tf_set_by_config(L, v, key)))
		return NULL;
	if (st == TS_UNKNOWN) {
		need_config = true;
	} else if (list->type == YAML_SCALAR_NODE) {
		const char *s = tf_text(list);
		struct tf_res *r =
		    s && *s ? tf_ref_text(L, s, key, types, why, whysize)
			    : NULL;
		if (r)
			found_add(&f, (uint32_t)(r - L->res));
	} else if (list->type == YAML_SEQUENCE_NODE) {
		struct ydoc_node *unk = tf_unk_key(L, v->unk, key);
		for (size_t i = 0; i < tf_seq_len(list); i++) {
			struct ydoc_node *e = tf_seq_at(L, list, i);
			if (tf_is_null(e)) {
				need_config |=
				    tf_is_true(tf_unk_item(L, unk, i));
				continue;
			}
			const char *s = tf_text(e);
			if (!s) {
				tf_err(L, v, e, "%s must hold strings, not %s",
				       key, tf_json_type(e));
				continue;
			}
			char w[256] = "";
			struct tf_res *r =
			    tf_ref_text(L, s, key, types, w, sizeof(w));
			if (r)
				found_add(&f, (uint32_t)(r - L->res));
			else if (!why[0])
				snprintf(why, whysize, "%s", w);
		}
	} else {
		tf_err(L, v, list, "%s must be an array, not %s", key,
		       tf_json_type(list));
		return NULL;
	}
	if (need_config) {
		uint32_t before = f.n;
		bool have = config_found(L, v, key, &f);
		uint32_t some = 0;
		for (uint32_t i = before; i < f.n; i++)
			some += wanted(&L->res[f.v[i]], types);
		/* One expression for several blocks lists the references of
		 * them all: it tells this block's only when it names one. */
		if (v->cfg1 && some > 1) {
			f.n = before;
			some = 0;
			snprintf(why, whysize,
				 "is known only after apply, and the "
				 "configuration gives the references of all "
				 "its blocks together");
		}
		/* Part of the list may still be unaccounted for: say so
		 * when some reference ended outside the plan. */
		if (!why[0] && (!have || !some || f.data[0] || f.local[0] ||
				(f.opaque[0] && !some)))
			explain(L, &f, types, why, whysize);
	}
	struct tf_res **out = NULL;
	for (uint32_t i = 0; i < f.n; i++) {
		struct tf_res *r = &L->res[f.v[i]];
		if (!wanted(r, types))
			continue;
		out = xreallocarray(out, *n + 1, sizeof(*out));
		out[(*n)++] = r;
	}
	free(f.v);
	return out;
}

uint32_t tf_obj(struct tf_res *r, enum model_kind kind)
{
	return r && r->kind == kind ? r->index : MODEL_NONE;
}

uint32_t tf_ref_obj(struct tf_loader *L, struct model_obj *o,
		    const struct tf_val *v, const char *key,
		    const char *const *types, enum model_kind kind)
{
	char why[384];
	struct tf_res *r = tf_ref(L, v, key, types, why, sizeof(why));
	if (r && r->kind != kind) {
		tf_unknown(L, o, v, "%s: names %s, which is not in the model",
			   key, r->addr);
		return MODEL_NONE;
	}
	if (!r && why[0])
		tf_unknown(L, o, v, "%s: %s", key, why);
	return r ? r->index : MODEL_NONE;
}

uint32_t *tf_ref_objs(struct tf_loader *L, struct model_obj *o,
		      const struct tf_val *v, const char *key,
		      const char *const *types, enum model_kind kind,
		      uint32_t *n)
{
	char why[384];
	uint32_t nr;
	struct tf_res **rs =
	    tf_ref_list(L, v, key, types, &nr, why, sizeof(why));
	uint32_t *out = arena_array(&L->m->arena, nr, sizeof(*out));
	*n = 0;
	for (uint32_t i = 0; i < nr; i++) {
		if (rs[i]->kind != kind) {
			tf_unknown(L, o, v,
				   "%s: names %s, which is not in the model",
				   key, rs[i]->addr);
			continue;
		}
		out[(*n)++] = rs[i]->index;
	}
	if (why[0])
		tf_unknown(L, o, v, "%s: %s", key, why);
	free(rs);
	return out;
}

/* ---- ECS clusters ------------------------------------------------------ */

const char *tf_ecs_cluster_of(struct tf_loader *L, struct tf_res *cr)
{
	const char *name = tf_text(tf_map_get(L, cr->values, "name"));
	if (!name)
		name = tf_text(tf_map_get(L, cr->prior, "name"));
	return name && *name ? arena_strdup(&L->m->arena, name) : cr->addr;
}

const char *tf_ecs_cluster_name(struct tf_loader *L, const struct tf_val *v,
				const char *key)
{
	static const char *const cluster_types[] = {"aws_ecs_cluster", NULL};
	char why[384];
	enum tf_state st;
	const char *s = tf_str_set(L, v, key, &st);
	struct tf_res *cr =
	    s ? tf_ref_text(L, s, key, cluster_types, why, sizeof(why))
	      : tf_ref(L, v, key, cluster_types, why, sizeof(why));
	if (cr)
		return tf_ecs_cluster_of(L, cr);
	if (!s)
		return NULL;
	/* An ARN (arn:aws:ecs:REGION:ACCOUNT:cluster/NAME) or a name. */
	const char *slash = strrchr(s, '/');
	return arena_strdup(&L->m->arena, slash ? slash + 1 : s);
}

/* Every expression below node n of r's configuration, resolved into f. */
static void refs_below(struct tf_loader *L, struct tf_res *r,
		       struct ydoc_node *n, struct found *f, int depth)
{
	if (!n || depth > DEPTH_MAX)
		return;
	if (n->type == YAML_SEQUENCE_NODE) {
		for (size_t i = 0; i < tf_seq_len(n); i++)
			refs_below(L, r, tf_seq_at(L, n, i), f, depth + 1);
		return;
	}
	if (n->type != YAML_MAPPING_NODE)
		return;
	if (tf_map_get(L, n, "references")) {
		resolve_expr(L, r->mod, &r->key, n, f, 0);
		return;
	}
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++)
		refs_below(L, r, tf_node(L, p->value), f, depth + 1);
}

struct tf_res **tf_config_refs(struct tf_loader *L, struct tf_res *r,
			       uint32_t *n)
{
	struct found f = {0};
	refs_below(L, r, r->config, &f, 0);
	struct tf_res **out = xreallocarray(NULL, f.n + 1, sizeof(*out));
	for (uint32_t i = 0; i < f.n; i++)
		out[i] = &L->res[f.v[i]];
	*n = f.n;
	free(f.v);
	return out;
}

struct tf_res *tf_ref_config(struct tf_loader *L, const struct tf_val *v,
			     const char *key, const char *const *types)
{
	struct found f = {0};
	struct tf_res *out = NULL;
	uint32_t n = 0;
	if (config_found(L, v, key, &f))
		for (uint32_t i = 0; i < f.n; i++)
			if (wanted(&L->res[f.v[i]], types) && !n++)
				out = &L->res[f.v[i]];
	free(f.v);
	return n == 1 ? out : NULL;
}
