/*
 * Reading a Terraform plan's JSON: node helpers, diagnostics, the array
 * of resource instances, and struct tf_val, which answers for one key of
 * a resource (or of a nested block)
 * whether its value is known, unknown until apply, or absent; and the
 * typed readers and arena arrays every kind parser uses.  The bottom
 * layer of load/tf: it calls no other file of the loader.
 *
 * libyaml parses the plan (JSON is YAML); JSON strings come back as
 * double-quoted scalars and null, true, false and numbers as plain ones,
 * which is how a JSON null is told from the string "null".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "load/tf/tf_plan.h"
#include "model/model_impl.h"
#include "model/values.h"

struct ydoc_node *tf_node(struct tf_loader *L, int id)
{
	return ydoc_node(L->doc, id);
}

struct tf_res *tf_res_add(struct tf_loader *L)
{
	uint64_t max = model_max_resources(L->doc->end_mark.index);
	if (L->n_res == max) {
		tf_diag(L, DIAG_ERROR, ydoc_root(L->doc),
			"more than the limit of %llu resources in one model",
			(unsigned long long)max);
		return NULL;
	}
	if (L->n_res == L->cap_res) {
		L->cap_res = L->cap_res ? 2 * L->cap_res : 64;
		L->res = xreallocarray(L->res, L->cap_res, sizeof(*L->res));
	}
	struct tf_res *r = &L->res[L->n_res++];
	memset(r, 0, sizeof(*r));
	r->kind = MK_KIND_COUNT;
	r->index = r->vpc = r->lb = r->listener = MODEL_NONE;
	return r;
}

struct ydoc_node *tf_map_get(struct tf_loader *L, struct ydoc_node *map,
			     const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		struct ydoc_node *k = tf_node(L, p->key);
		if (k && k->type == YAML_SCALAR_NODE &&
		    !strcmp((const char *)k->data.scalar.value, key))
			return tf_node(L, p->value);
	}
	return NULL;
}

size_t tf_seq_len(struct ydoc_node *n)
{
	if (!n || n->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(n->data.sequence.items.top -
			n->data.sequence.items.start);
}

struct ydoc_node *tf_seq_at(struct tf_loader *L, struct ydoc_node *n, size_t i)
{
	if (i >= tf_seq_len(n))
		return NULL;
	return tf_node(L, n->data.sequence.items.start[i]);
}

bool tf_is_null(struct ydoc_node *n)
{
	if (!n)
		return true;
	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	const char *s = (const char *)n->data.scalar.value;
	return !*s || !strcmp(s, "null") || !strcmp(s, "~");
}

bool tf_is_true(struct ydoc_node *n)
{
	return n && n->type == YAML_SCALAR_NODE &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       !strcmp((const char *)n->data.scalar.value, "true");
}

const char *tf_text(struct ydoc_node *n)
{
	if (!n || n->type != YAML_SCALAR_NODE || tf_is_null(n))
		return NULL;
	const char *s = (const char *)n->data.scalar.value;
	/* A NUL inside a JSON string (\u0000) would cut it short. */
	if (strlen(s) != n->data.scalar.length)
		return NULL;
	return s;
}

const char *tf_json_type(struct ydoc_node *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (tf_is_null(n))
			return "null";
		/* tf_text refuses these: say why */
		if (strlen((const char *)n->data.scalar.value) !=
		    n->data.scalar.length)
			return "a string with a NUL byte";
		if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			return "a string";
		if (!strcmp((const char *)n->data.scalar.value, "true") ||
		    !strcmp((const char *)n->data.scalar.value, "false"))
			return "a boolean";
		return "a number";
	case YAML_SEQUENCE_NODE:
		return "an array";
	case YAML_MAPPING_NODE:
		return "an object";
	default:
		return "nothing";
	}
}

struct src_loc tf_loc(struct tf_loader *L, struct ydoc_node *n)
{
	struct src_loc l = {L->m->file, 0, 0};
	if (n) {
		l.line = (uint32_t)n->start_mark.line + 1;
		l.col = (uint32_t)n->start_mark.column + 1;
	}
	return l;
}

void tf_diag(struct tf_loader *L, enum diag_severity sev, struct ydoc_node *at,
	     const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	struct src_loc l = tf_loc(L, at);
	diag_add(L->diags, sev, L->file, l.line, l.col, "%s", buf);
}

void tf_err(struct tf_loader *L, const struct tf_val *v, struct ydoc_node *n,
	    const char *fmt, ...)
{
	char buf[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* Without a node, the block the value is in. */
	tf_diag(L, DIAG_ERROR,
		n	 ? n
		: v->val ? v->val
			 : v->r->node,
		"%s: %s%s%s", v->r->addr, v->what, *v->what ? " " : "", buf);
}

void tf_unknown(struct tf_loader *L, struct model_obj *o,
		const struct tf_val *v, const char *fmt, ...)
{
	char buf[448];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (v && (v->r->kind != o->kind || v->r->index != o->index))
		model_add_unknown(L->m, o, "%s %s%s%s", v->r->addr, v->what,
				  *v->what ? " " : "", buf);
	else
		model_add_unknown(L->m, o, "%s%s%s", v ? v->what : "",
				  v && *v->what ? " " : "", buf);
}

struct ydoc_node *tf_unk_key(struct tf_loader *L, struct ydoc_node *unk,
			     const char *key)
{
	return tf_is_true(unk) ? unk : tf_map_get(L, unk, key);
}

struct ydoc_node *tf_unk_item(struct tf_loader *L, struct ydoc_node *unk,
			      size_t i)
{
	return tf_is_true(unk) ? unk : tf_seq_at(L, unk, i);
}

void tf_val_top(struct tf_val *v, struct tf_res *r)
{
	memset(v, 0, sizeof(*v));
	v->r = r;
	v->val = r->values;
	v->unk = r->unknown;
	v->prior = r->prior;
	v->cfg = r->config;
}

/* ---- nested blocks ------------------------------------------------- */

/* Two protocols alike: the same named protocol however spelt ("6",
 * "TCP", "tcp"; "all", "-1"), else the same text in any case. */
static bool same_proto(const char *x, const char *y)
{
	enum proto a, b;
	bool na = values_proto_lookup(&a, x, &values_ec2_protos) == 0;
	bool nb = values_proto_lookup(&b, y, &values_ec2_protos) == 0;
	if (na || nb)
		return na && nb && a == b;
	return !strcasecmp(x, y);
}

bool tf_same_value(struct tf_loader *L, struct ydoc_node *a,
		   struct ydoc_node *b, bool protocol)
{
	if (tf_is_null(a) || tf_is_null(b))
		return tf_is_null(a) == tf_is_null(b);
	if (a->type != b->type)
		return false;
	if (a->type == YAML_SCALAR_NODE) {
		const char *x = (const char *)a->data.scalar.value;
		const char *y = (const char *)b->data.scalar.value;
		if (protocol)
			return same_proto(x, y);
		return !strcmp(x, y);
	}
	if (a->type == YAML_SEQUENCE_NODE) {
		size_t n = tf_seq_len(a);
		if (n != tf_seq_len(b))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!tf_same_value(L, tf_seq_at(L, a, i),
					   tf_seq_at(L, b, i), protocol))
				return false;
		return true;
	}
	return true; /* objects: not compared */
}

static bool is_empty_value(struct ydoc_node *n)
{
	if (tf_is_null(n))
		return true;
	if (n->type == YAML_SEQUENCE_NODE)
		return tf_seq_len(n) == 0;
	if (n->type == YAML_SCALAR_NODE)
		return n->data.scalar.length == 0;
	return false;
}

/* Whether a configuration block's constant values agree with what is
 * known of a planned element. */
static bool block_agrees(struct tf_loader *L, struct ydoc_node *elem,
			 struct ydoc_node *unk, struct ydoc_node *block)
{
	if (!block || block->type != YAML_MAPPING_NODE)
		return false;
	if (tf_is_true(unk))
		return true; /* nothing of the element is known */
	for (yaml_node_pair_t *p = block->data.mapping.pairs.start;
	     p < block->data.mapping.pairs.top; p++) {
		struct ydoc_node *k = tf_node(L, p->key);
		const char *key = tf_text(k);
		struct ydoc_node *cv =
		    tf_map_get(L, tf_node(L, p->value), "constant_value");
		if (!key || !cv)
			continue;
		if (tf_is_true(tf_map_get(L, unk, key)))
			continue;
		struct ydoc_node *ev = tf_map_get(L, elem, key);
		if (!ev || is_empty_value(ev)) {
			if (!is_empty_value(cv))
				return false;
			continue;
		}
		if (!tf_same_value(L, ev, cv, !strcmp(key, "protocol")))
			return false;
	}
	return true;
}

#define MAX_MATCH 256

/*
 * The configuration block for element i of a set of blocks.  Elements
 * that agree with the same blocks differ only in values unknown until
 * apply; pairing them with those blocks in order gives the same set of
 * rules whichever pairing is right, so a group of k such elements and k
 * blocks is decided.  Returns the block's index or -1.
 */
static long match_block(struct tf_loader *L, struct ydoc_node *elems,
			struct ydoc_node *unks, struct ydoc_node *blocks,
			size_t i)
{
	/* Every element's answer is worked out at once, from one table of
	 * which element agrees with which block, and kept for the calls for
	 * the other elements: asked one by one, a list of n elements and
	 * blocks would cost n^3 comparisons of blocks. */
	if (L->mb_list != elems || L->mb_unks != unks || L->mb_cfg != blocks) {
		size_t ne = tf_seq_len(elems), nb = tf_seq_len(blocks);
		L->mb_list = elems;
		L->mb_unks = unks;
		L->mb_cfg = blocks;
		L->mb_n = ne;
		free(L->mb_result);
		L->mb_result = xcalloc(ne + 1, sizeof(long));
		for (size_t e = 0; e < ne; e++)
			L->mb_result[e] = -1;
		if (ne > MAX_MATCH || nb > MAX_MATCH || !nb)
			goto answer;
		bool *agree = xcalloc(ne * nb, sizeof(bool));
		for (size_t e = 0; e < ne; e++) {
			struct ydoc_node *ue = tf_unk_item(L, unks, e);
			for (size_t b = 0; b < nb; b++)
				agree[e * nb + b] =
				    block_agrees(L, tf_seq_at(L, elems, e), ue,
						 tf_seq_at(L, blocks, b));
		}
		for (size_t e = 0; e < ne; e++) {
			const bool *mine = agree + e * nb;
			size_t n_mine = 0, rank = 0, group = 0;
			for (size_t b = 0; b < nb; b++)
				n_mine += mine[b];
			if (!n_mine)
				continue;
			for (size_t f = 0; f < ne; f++) {
				if (memcmp(agree + f * nb, mine, nb))
					continue;
				if (f < e)
					rank++;
				group++;
			}
			if (group != n_mine)
				continue;
			for (size_t b = 0; b < nb; b++)
				if (mine[b] && rank-- == 0) {
					L->mb_result[e] = (long)b;
					break;
				}
		}
		free(agree);
	}
answer:
	return i < L->mb_n ? L->mb_result[i] : -1;
}

size_t tf_val_count(struct tf_loader *L, const struct tf_val *v,
		    const char *key)
{
	struct ydoc_node *n = tf_map_get(L, v->val, key);
	if (!n && !v->val)
		n = tf_map_get(L, v->prior, key);
	return tf_seq_len(n);
}

bool tf_val_block(struct tf_loader *L, const struct tf_val *v, const char *key,
		  size_t i, bool set_like, struct tf_val *out)
{
	struct ydoc_node *list = tf_map_get(L, v->val, key);
	bool from_prior = false;
	if (!list && !v->val) {
		list = tf_map_get(L, v->prior, key);
		from_prior = true;
	}
	struct ydoc_node *elem = tf_seq_at(L, list, i);
	struct ydoc_node *unks = tf_unk_key(L, v->unk, key);
	/* An element known only after apply as a whole is null in the
	 * values: its every key is unknown. */
	bool whole = tf_is_null(elem) && tf_is_true(tf_unk_item(L, unks, i));
	if (!whole && (!elem || elem->type != YAML_MAPPING_NODE))
		return false;
	memset(out, 0, sizeof(*out));
	out->r = v->r;
	/* Values read from the prior state stand in for planned ones. */
	out->val = from_prior || whole ? NULL : elem;
	out->prior = from_prior && !whole ? elem : NULL;
	out->unk = tf_unk_item(L, unks, i);
	snprintf(out->what, sizeof(out->what), "%.48s%s%.48s[%zu]", v->what,
		 *v->what ? " " : "", key, i);
	/* The configuration of this element. */
	out->cfg1 = v->cfg1;
	struct ydoc_node *c = tf_map_get(L, v->cfg, key);
	if (!c || out->cfg1)
		return true;
	if (c->type == YAML_MAPPING_NODE) {
		out->cfg1 = c; /* one expression for every block */
		return true;
	}
	if (c->type != YAML_SEQUENCE_NODE)
		return true;
	size_t nb = tf_seq_len(c);
	if (!set_like && nb == tf_seq_len(list)) {
		out->cfg = tf_seq_at(L, c, i);
		return true;
	}
	long b = match_block(L, list, unks, c, i);
	if (b >= 0)
		out->cfg = tf_seq_at(L, c, (size_t)b);
	return true;
}

/* ---- values -------------------------------------------------------- */

enum tf_state tf_get(struct tf_loader *L, const struct tf_val *v,
		     const char *key, struct ydoc_node **out)
{
	*out = NULL;
	struct ydoc_node *n = tf_map_get(L, v->val, key);
	if (n && !tf_is_null(n)) {
		*out = n;
		return TS_KNOWN;
	}
	if (tf_is_true(tf_unk_key(L, v->unk, key)))
		return TS_UNKNOWN;
	if (!v->val) {
		n = tf_map_get(L, v->prior, key);
		if (n && !tf_is_null(n)) {
			*out = n;
			return TS_KNOWN;
		}
	}
	return TS_ABSENT;
}

bool tf_configured(struct tf_loader *L, const struct tf_val *v, const char *key)
{
	return v->cfg1 || tf_map_get(L, v->cfg, key);
}

bool tf_set_by_config(struct tf_loader *L, const struct tf_val *v,
		      const char *key)
{
	return !v->cfg || v->cfg1 || tf_map_get(L, v->cfg, key);
}

enum tf_state tf_str(struct tf_loader *L, const struct tf_val *v,
		     const char *key, const char **out)
{
	struct ydoc_node *n;
	enum tf_state st = tf_get(L, v, key, &n);
	*out = NULL;
	if (st != TS_KNOWN)
		return st;
	const char *s = tf_text(n);
	if (!s) {
		tf_err(L, v, n, "%s must be a string, not %s", key,
		       tf_json_type(n));
		return TS_ABSENT;
	}
	*out = s;
	return TS_KNOWN;
}

const char *tf_str_set(struct tf_loader *L, const struct tf_val *v,
		       const char *key, enum tf_state *st)
{
	const char *s = NULL;
	*st = tf_str(L, v, key, &s);
	if (*st == TS_KNOWN && !*s)
		*st = TS_ABSENT;
	return *st == TS_KNOWN ? s : NULL;
}

enum tf_state tf_bool(struct tf_loader *L, const struct tf_val *v,
		      const char *key, bool *out)
{
	struct ydoc_node *n;
	enum tf_state st = tf_get(L, v, key, &n);
	if (st != TS_KNOWN)
		return st;
	const char *s = tf_text(n);
	/* The AWS provider keeps a few flags as strings ("true"). */
	if (s && !strcmp(s, "true")) {
		*out = true;
		return TS_KNOWN;
	}
	if (s && !strcmp(s, "false")) {
		*out = false;
		return TS_KNOWN;
	}
	tf_err(L, v, n, "%s must be true or false, not %s", key,
	       s ? s : tf_json_type(n));
	return TS_ABSENT;
}

enum tf_state tf_long(struct tf_loader *L, const struct tf_val *v,
		      const char *key, long lo, long hi, long *out)
{
	struct ydoc_node *n;
	enum tf_state st = tf_get(L, v, key, &n);
	if (st != TS_KNOWN)
		return st;
	const char *s = tf_text(n);
	if (!s || !*s)
		goto bad;
	const char *p = s;
	bool neg = *p == '-';
	if (neg)
		p++;
	long x = 0;
	if (!*p)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		if (x > 1000000000L)
			goto range;
		x = x * 10 + (*p - '0');
	}
	if (neg)
		x = -x;
	if (x < lo || x > hi)
		goto range;
	*out = x;
	return TS_KNOWN;
	char ab[UTIL_ABBREV_SIZE];
range:
	tf_err(L, v, n, "%s %s out of range %ld-%ld", key, util_abbrev(ab, s),
	       lo, hi);
	return TS_ABSENT;
bad:
	tf_err(L, v, n, "%s must be a whole number, not %s", key,
	       s && *s ? util_abbrev(ab, s) : tf_json_type(n));
	return TS_ABSENT;
}

enum tf_state tf_flag(struct tf_loader *L, struct model_obj *o,
		      const struct tf_val *v, const char *key, bool *out)
{
	enum tf_state st = tf_bool(L, v, key, out);
	if (st == TS_UNKNOWN && tf_set_by_config(L, v, key))
		tf_unknown(L, o, v,
			   "%s: known only after apply; taken as %s, "
			   "the default",
			   key, *out ? "true" : "false");
	return st;
}

/* ---- values the kind parsers share: CIDRs, growing arrays ----------- */

bool tf_cidr(struct tf_loader *L, const struct tf_val *v, struct ydoc_node *n,
	     const char *s, struct cidr *out)
{
	int rc = cidr_parse(out, s);
	if (rc == 0)
		return true;
	if (rc == CIDR_EHOSTBITS) {
		char buf[CIDR_STRLEN];
		cidr_format(buf, *out);
		tf_err(L, v, n,
		       "CIDR '%s' has host bits set (did you mean "
		       "'%s'?)",
		       s, buf);
	} else {
		tf_err(L, v, n, "invalid CIDR '%s'", s);
	}
	return false;
}

bool tf_cidr6(struct tf_loader *L, const struct tf_val *v, struct ydoc_node *n,
	      const char *s, struct cidr6 *out)
{
	int rc = cidr6_parse(out, s);
	if (rc == 0)
		return true;
	if (rc == CIDR_EHOSTBITS) {
		char buf[CIDR6_STRLEN];
		cidr6_format(buf, *out);
		tf_err(L, v, n,
		       "CIDR '%s' has host bits set (did you mean "
		       "'%s'?)",
		       s, buf);
	} else {
		tf_err(L, v, n, "invalid IPv6 CIDR '%s'", s);
	}
	return false;
}

void *tf_push(struct arena *a, void *arrp, uint32_t *n, size_t size)
{
	char **arr = arrp;
	uint32_t k = *n;
	/* Capacity is 4, then the next power of two: full at 0, 4, 8, ... */
	if (k == 0 || (k >= 4 && (k & (k - 1)) == 0)) {
		char *fresh = arena_array(a, k ? 2 * (size_t)k : 4, size);
		if (k)
			memcpy(fresh, *arr, (size_t)k * size);
		*arr = fresh;
	}
	(*n)++;
	return *arr + (size_t)k * size;
}

void tf_push_u32(struct tf_loader *L, uint32_t **arr, uint32_t *n, uint32_t x)
{
	for (uint32_t i = 0; i < *n; i++)
		if ((*arr)[i] == x)
			return;
	*(uint32_t *)tf_push(&L->m->arena, arr, n, sizeof(uint32_t)) = x;
}
