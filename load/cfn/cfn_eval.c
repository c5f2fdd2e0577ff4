/*
 * The CloudFormation template language: sections, parameters, mappings,
 * conditions, intrinsic functions (long forms and YAML short tags),
 * outputs and exports across several templates, and the dependency check.
 *
 * Values are built in the loader's arena (cfn.h).  Evaluation is eager for
 * every included resource's properties, so a Ref to nothing anywhere in a
 * template is reported as CloudFormation would, but lazy across resources:
 * Fn::GetAtt of a property-backed attribute (a VPC's CidrBlock) evaluates
 * that resource first, guarded by its state so a loop ends in the cycle
 * report instead of a recursion.  Fn::If evaluates only the branch its
 * condition picks.
 *
 * A value that cannot be known (a parameter without a value, an import
 * nobody exports, an attribute AWS assigns) is a CV_UNKNOWN with a reason;
 * functions that need literal text pass the unknown on, so the reason
 * reaches the model object that reads it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/cidr.h"
#include "base/strbuf.h"
#include "base/util.h"
#include "base/ydoc.h"
#include "base/ykit.h"
#include "load/cfn/cfn.h"
#include "model/model_impl.h"

#define MAX_DEPTH YDOC_MAX_DEPTH

/* Evaluation work limits (docs/robustness.md).  Templates CloudFormation
 * accepts (1 MB) stay far below them; past them, a crafted template
 * would take minutes or gigabytes. */
#define CFN_MAX_RESOURCES 10000	      /* in all templates of a load */
#define CFN_MAX_EVALS	  4000000     /* nodes evaluated */
#define CFN_MAX_TEXT	  (64u << 20) /* bytes built by Fn::Join, Fn::Sub, ... */
/* Names compared for "did you mean" hints; past it errors get none. */
#define CFN_MAX_HINT_WORK 20000000

/* ---- diagnostics -------------------------------------------------------- */

struct src_loc cfn_loc(struct cfn *C, uint32_t tpl, const struct ydoc_node *n)
{
	struct src_loc l = {C->m->file, 0, 0};
	if (tpl < C->n_tpls)
		l.file = C->tpls[tpl].file;
	if (n)
		ykit_pos(n, &l.line, &l.col);
	return l;
}

void cfn_diag(struct cfn *C, enum diag_severity sev, uint32_t tpl,
	      const struct ydoc_node *n, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	struct src_loc l = cfn_loc(C, tpl, n);
	diag_add_text(C->diags, sev, tpl < C->n_tpls ? l.file : NULL, l.line,
		      l.col, buf);
}

/* ---- values ------------------------------------------------------------- */

static struct cv *cv_new(struct cfn *C, enum cv_kind k, uint32_t tpl,
			 struct ydoc_node *n)
{
	struct cv *v = arena_alloc(&C->a, sizeof(*v));
	v->kind = k;
	v->tpl = tpl;
	v->node = n;
	return v;
}

static struct cv *cv_str(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
			 const char *s)
{
	struct cv *v = cv_new(C, CV_STR, tpl, n);
	v->s = s;
	return v;
}

__attribute__((format(printf, 4, 5))) static struct cv *
cv_unknown(struct cfn *C, uint32_t tpl, struct ydoc_node *n, const char *fmt,
	   ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	struct cv *v = cv_new(C, CV_UNKNOWN, tpl, n);
	v->s = arena_strdup(&C->a, buf);
	return v;
}

static struct cv *cv_error(struct cfn *C, uint32_t tpl, struct ydoc_node *n)
{
	return cv_new(C, CV_ERROR, tpl, n);
}

/* Whether evaluation may go on; reports the first time it may not. */
static bool within_budget(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
			  size_t text)
{
	C->evals++;
	C->text += text;
	if (C->evals <= CFN_MAX_EVALS && C->text <= CFN_MAX_TEXT)
		return true;
	if (!C->over_budget)
		cfn_err(C, tpl, n,
			C->evals > CFN_MAX_EVALS
			    ? "evaluating the template visits more than %u "
			      "nodes (the limit; aliases and Fn::FindInMap "
			      "count each time)"
			    : "intrinsic functions build more than %u MiB of "
			      "text (the limit)",
			C->evals > CFN_MAX_EVALS ? CFN_MAX_EVALS
						 : CFN_MAX_TEXT >> 20);
	C->over_budget = true;
	return false;
}

/* An unknown or error value passed on unchanged, or NULL. */
static struct cv *bad(struct cv *v)
{
	return v->kind == CV_UNKNOWN || v->kind == CV_ERROR ? v : NULL;
}

struct cv *cv_get(const struct cv *map, const char *key)
{
	if (!map || map->kind != CV_MAP)
		return NULL;
	for (uint32_t i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return map->items[i];
	return NULL;
}

bool cfn_token(const char *s, uint32_t *res, const char **attr)
{
	if (!s || s[0] != CFN_TOK)
		return false;
	const char *end = strchr(s + 1, CFN_TOK);
	if (!end || end[1])
		return false;
	uint32_t r = 0;
	const char *p = s + 1;
	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		r = r * 10 + (uint32_t)(*p - '0');
	*res = r;
	*attr = NULL;
	if (*p == '.') {
		static char buf[128];
		size_t n = (size_t)(end - p - 1);
		if (n >= sizeof(buf))
			n = sizeof(buf) - 1;
		memcpy(buf, p + 1, n);
		buf[n] = '\0';
		*attr = buf;
	} else if (p != end) {
		return false;
	}
	return true;
}

static const char *token(struct cfn *C, uint32_t r, const char *attr)
{
	return attr
		   ? arena_printf(&C->a, "%c%u.%s%c", CFN_TOK, r, attr, CFN_TOK)
		   : arena_printf(&C->a, "%c%u%c", CFN_TOK, r, CFN_TOK);
}

const char *cfn_show(struct cfn *C, const char *s)
{
	if (!strchr(s, CFN_TOK))
		return s;
	size_t cap = strlen(s) * 2 + 64, n = 0;
	char *out = xmalloc(cap);
	for (const char *p = s; *p;) {
		const char *piece = p;
		size_t len = 1;
		char tmp[256];
		if (*p == CFN_TOK) {
			const char *end = strchr(p + 1, CFN_TOK);
			uint32_t r = 0;
			const char *q = p + 1;
			for (; *q >= '0' && *q <= '9'; q++)
				r = r * 10 + (uint32_t)(*q - '0');
			if (end && r < C->n_res) {
				int k = snprintf(tmp, sizeof(tmp), "%s",
						 C->res[r].id);
				if (*q == '.' && k >= 0 &&
				    (size_t)k < sizeof(tmp))
					snprintf(
					    tmp + k, sizeof(tmp) - (size_t)k,
					    ".%.*s", (int)(end - q - 1), q + 1);
				piece = tmp;
				len = strlen(tmp);
				p = end + 1;
			} else {
				p++;
			}
		} else {
			p++;
		}
		if (n + len + 1 > cap) {
			cap = 2 * (n + len + 1);
			out = xreallocarray(out, cap, 1);
		}
		memcpy(out + n, piece, len);
		n += len;
	}
	out[n] = '\0';
	const char *r = arena_strdup(&C->a, out);
	free(out);
	return r;
}

const char *cfn_show_cv(struct cfn *C, const struct cv *v)
{
	switch (v->kind) {
	case CV_STR:
		return cfn_show(C, v->s);
	case CV_LIST:
		return "a list";
	case CV_MAP:
		return "a mapping";
	case CV_UNKNOWN:
		return "an unknown value";
	case CV_NOVALUE:
		return "AWS::NoValue";
	case CV_ERROR:
		break;
	}
	return "an invalid value";
}

const char *cfn_text(struct cfn *C, const struct cv *v, const char **why)
{
	*why = NULL;
	switch (v->kind) {
	case CV_STR:
		if (!strchr(v->s, CFN_TOK))
			return v->s;
		*why =
		    arena_printf(&C->a, "'%s' is known only after deployment",
				 cfn_show(C, v->s));
		return NULL;
	case CV_UNKNOWN:
		*why = v->s;
		return NULL;
	case CV_ERROR:
		return NULL;
	case CV_LIST:
	case CV_MAP:
	case CV_NOVALUE:
		break;
	}
	*why =
	    arena_printf(&C->a, "expected a string, not %s", cfn_show_cv(C, v));
	return NULL;
}

/* ---- template nodes -------------------------------------------------------
 *
 * Nodes of template tpl, read with the YAML kit (base/ykit.h); a template
 * speaks JSON's words (ykit_value_name), and its tags are intrinsic
 * functions (fn_of), not values the kit refuses.
 */

static struct ydoc_node *tpl_node(struct cfn *C, uint32_t tpl, int id)
{
	return ykit_node(C->tpls[tpl].doc, id);
}

static struct ydoc_node *tpl_map_get(struct cfn *C, uint32_t tpl,
				     struct ydoc_node *map, const char *key,
				     struct ydoc_node **keynode)
{
	return ykit_map_get(C->tpls[tpl].doc, map, key, keynode);
}

static struct ydoc_node *tpl_seq_item(struct cfn *C, uint32_t tpl,
				      struct ydoc_node *n, uint32_t i)
{
	return ykit_seq_item(C->tpls[tpl].doc, n, i);
}

/*
 * A scalar's text as CloudFormation reads it: an unquoted YAML 1.1
 * boolean (True, yes, OFF, ...) is the JSON boolean, whose text is "true"
 * or "false", so `Default: True` equals `AllowedValues: [true]` and
 * `!Equals [!Ref P, "true"]`; a quoted one stays as written.  (The AWS
 * CLI quotes such words when it writes YAML for that reason.)  NULL for
 * a node that is no scalar.
 */
const char *cfn_scalar(const struct ydoc_node *n)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes",
					  "YES",  "on",	  "On",	  "ON"};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No",
					 "NO",	  "off",   "Off",   "OFF"};
	const char *s = ykit_text(n);
	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return s;
	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		if (!strcmp(s, yes[i]))
			return "true";
		if (!strcmp(s, no[i]))
			return "false";
	}
	return s;
}

/* ---- intrinsic function names -------------------------------------------- */

static const char *const fn_names[] = {
    "Ref",
    "Condition",
    "Fn::GetAtt",
    "Fn::Sub",
    "Fn::Join",
    "Fn::Select",
    "Fn::Split",
    "Fn::GetAZs",
    "Fn::Cidr",
    "Fn::If",
    "Fn::Equals",
    "Fn::And",
    "Fn::Or",
    "Fn::Not",
    "Fn::FindInMap",
    "Fn::ImportValue",
    "Fn::Base64",
    "Fn::Length",
    "Fn::ToJsonString",
    "Fn::Transform",
    "Fn::GetParam",
    "Fn::Contains",
    "Fn::EachMemberEquals",
    "Fn::EachMemberIn",
    "Fn::RefAll",
    "Fn::ValueOf",
    "Fn::ValueOfAll",
};

/*
 * The intrinsic function a node calls: a YAML short tag (!Ref, !GetAtt,
 * ...) with *self true and the node as its own argument, or a mapping of
 * one key "Ref", "Fn::..." (and "Condition" where conditions are read)
 * with the key's value as argument.  NULL for plain data; an unknown tag
 * or Fn:: name is reported and returns "".  skip_tag reads a short tag's
 * node as its argument: the tag is the call being made, and the node may
 * still be a long-form call (!ImportValue {Fn::Sub: ...}).
 */
static const char *fn_of(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
			 bool cond_ctx, bool skip_tag, struct ydoc_node **arg,
			 bool *self)
{
	*self = false;
	*arg = NULL;
	const char *tag = (const char *)n->tag;
	if (!skip_tag && tag && tag[0] == '!' && tag[1]) {
		const char *name = tag + 1;
		*self = true;
		*arg = n;
		for (size_t i = 0; i < ARRAY_LEN(fn_names); i++) {
			const char *f = fn_names[i];
			if (!strncmp(f, "Fn::", 4) ? !strcmp(f + 4, name)
						   : !strcmp(f, name))
				return f;
		}
		char want[64];
		snprintf(want, sizeof(want), "Fn::%s", name);
		const char *near =
		    util_closest(want, fn_names, ARRAY_LEN(fn_names));
		cfn_err(C, tpl, n, "unknown tag '%s'%s%s%s", tag,
			near ? " (did you mean '!" : "",
			near ? (strncmp(near, "Fn::", 4) ? near : near + 4)
			     : "",
			near ? "'?)" : "");
		return "";
	}
	if (n->type != YAML_MAPPING_NODE ||
	    n->data.mapping.pairs.top - n->data.mapping.pairs.start != 1)
		return NULL;
	yaml_node_pair_t *p = n->data.mapping.pairs.start;
	const char *k = ykit_text(tpl_node(C, tpl, p->key));
	if (!k)
		return NULL;
	bool fn = !strcmp(k, "Ref") || !strncmp(k, "Fn::", 4) ||
		  (cond_ctx && !strcmp(k, "Condition"));
	if (!fn)
		return NULL;
	*arg = tpl_node(C, tpl, p->value);
	for (size_t i = 0; i < ARRAY_LEN(fn_names); i++)
		if (!strcmp(k, fn_names[i]))
			return fn_names[i];
	const char *near = util_closest(k, fn_names, ARRAY_LEN(fn_names));
	cfn_err(C, tpl, tpl_node(C, tpl, p->key),
		"unknown intrinsic function '%s'%s%s%s", k,
		near ? " (did you mean '" : "", near ? near : "",
		near ? "'?)" : "");
	return "";
}

/* ---- lookups ------------------------------------------------------------ */

static int cfn_name_cmp(const void *a, const void *b)
{
	const struct cfn_name *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* The first index of name in a sorted index of n, or UINT32_MAX. */
static uint32_t name_find(const struct cfn_name *idx, uint32_t n,
			  const char *name)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (strcmp(idx[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(idx[lo].name, name) ? idx[lo].i : UINT32_MAX;
}

static int sorted_cmp_key(struct cfn *C, uint32_t r, uint32_t tpl,
			  const char *logical)
{
	if (C->res[r].tpl != tpl)
		return C->res[r].tpl < tpl ? -1 : 1;
	return strcmp(C->res[r].logical, logical);
}

uint32_t cfn_find(struct cfn *C, uint32_t tpl, const char *logical)
{
	uint32_t lo = 0, hi = C->n_res;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = sorted_cmp_key(C, C->sorted[mid], tpl, logical);
		if (!c)
			return C->sorted[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return CFN_NONE;
}

/* The closest parameter or resource name of a template, or NULL. */
static const char *near_name(struct cfn *C, uint32_t tpl, const char *name,
			     bool params, bool resources)
{
	const char *best = NULL;
	unsigned best_d = strlen(name) <= 2 ? 1 : strlen(name) <= 4 ? 2 : 3;
	struct cfn_tpl *T = &C->tpls[tpl];
	C->hint_work += (params ? T->n_params : 0) + (resources ? T->n_res : 0);
	if (C->hint_work > CFN_MAX_HINT_WORK)
		return NULL;
	for (uint32_t i = 0; params && i < T->n_params; i++) {
		unsigned d = util_edit_distance(name, T->params[i].name, 2);
		if (d < best_d) {
			best_d = d;
			best = T->params[i].name;
		}
	}
	for (uint32_t i = 0; resources && i < T->n_res; i++) {
		const char *l = C->res[T->first_res + i].logical;
		unsigned d = util_edit_distance(name, l, 2);
		if (d < best_d) {
			best_d = d;
			best = l;
		}
	}
	return best;
}

/* ---- forward declarations ----------------------------------------------- */

static struct cv *eval(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
		       bool raw);
static int cond_named(struct cfn *C, uint32_t tpl, const char *name,
		      struct ydoc_node *at, const char **why);
static int cond_node(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
		     const char **why);
static void eval_resource(struct cfn *C, uint32_t r);

/* ---- Ref ---------------------------------------------------------------- */

static const char *param_given(struct cfn *C, const char *name)
{
	size_t len = strlen(name);
	const char *found = NULL;
	for (size_t i = 0; i < C->n_params; i++)
		if (!strncmp(C->params[i], name, len) &&
		    C->params[i][len] == '=') {
			C->param_used[i] = true;
			found = C->params[i] + len + 1; /* the last one wins */
		}
	return found;
}

static struct cv *split_list(struct cfn *C, uint32_t tpl, struct ydoc_node *at,
			     const char *s, const char *delim)
{
	size_t dl = strlen(delim), n = 1;
	if (dl)
		for (const char *p = strstr(s, delim); p;
		     p = strstr(p + dl, delim))
			n++;
	/* each item costs about a value's size */
	if (!within_budget(C, tpl, at, strlen(s) + n * sizeof(struct cv)))
		return cv_error(C, tpl, at);
	struct cv *v = cv_new(C, CV_LIST, tpl, at);
	v->items = arena_array(&C->a, n, sizeof(*v->items));
	const char *p = s;
	for (;;) {
		const char *q = dl ? strstr(p, delim) : NULL;
		size_t len = q ? (size_t)(q - p) : strlen(p);
		v->items[v->n++] =
		    cv_str(C, tpl, at, arena_strndup(&C->a, p, len));
		if (!q)
			break;
		p = q + dl;
	}
	return v;
}

/*
 * The value a nested stack's resource passes its child for parameter p
 * (its Parameters), or NULL when it passes none.  CloudFormation passes
 * strings: a list type's string is split at commas, so a joined list of
 * subnets arrives as the subnets.
 */
static struct cv *passed_param(struct cfn *C, uint32_t tpl, struct cfn_param *p,
			       bool list)
{
	struct cfn_tpl *T = &C->tpls[tpl];
	struct cfn_res *S = &C->res[T->stack_res];
	eval_resource(C, T->stack_res);
	struct cv *v = cv_get(cv_get(S->props, "Parameters"), p->name);
	if (!v || bad(v))
		return v;
	if (v->kind == CV_STR)
		return list ? split_list(C, v->tpl, v->node, v->s, ",") : v;
	if (v->kind == CV_LIST && list)
		return v;
	cfn_err(C, v->tpl, v->node,
		"nested stack '%s' passes parameter '%s' %s: a stack's "
		"Parameters are strings (join a list with Fn::Join)",
		S->id, p->name, cfn_show_cv(C, v));
	return cv_error(C, v->tpl, v->node);
}

/* Whether text is one of parameter p's AllowedValues (or it has none);
 * an error when it is not. */
static bool allowed_value(struct cfn *C, uint32_t tpl, struct cfn_param *p,
			  const char *text)
{
	struct ydoc_node *allowed =
	    tpl_map_get(C, tpl, p->node, "AllowedValues", NULL);
	if (!allowed || allowed->type != YAML_SEQUENCE_NODE)
		return true;
	bool ok = false;
	char list_text[256] = "";
	size_t off = 0;
	for (uint32_t i = 0; i < ykit_seq_len(allowed); i++) {
		const char *a = cfn_scalar(tpl_seq_item(C, tpl, allowed, i));
		if (!a)
			continue;
		ok |= !strcmp(a, text);
		if (off < sizeof(list_text))
			off += (size_t)snprintf(list_text + off,
						sizeof(list_text) - off, "%s%s",
						i ? ", " : "", a);
	}
	if (!ok)
		cfn_err(C, tpl, p->key,
			"parameter '%s': '%s' is not one of its AllowedValues "
			"(%s)",
			p->name, text, list_text);
	return ok;
}

static struct cv *param_value(struct cfn *C, uint32_t tpl, struct cfn_param *p,
			      struct ydoc_node *at)
{
	if (p->value)
		return p->value;
	const char *type = p->type ? p->type : "String";
	bool list = !strncmp(type, "List<", 5) ||
		    !strcmp(type, "CommaDelimitedList") ||
		    strstr(type, "<List<") != NULL;
	/* A nested stack's parameters come from its stack resource, a
	 * root's from --param. */
	const char *given = NULL;
	if (C->tpls[tpl].parent != CFN_NONE) {
		struct cv *v = passed_param(C, tpl, p, list);
		bool literal = v && v->kind == CV_STR && !strchr(v->s, CFN_TOK);
		if (v && !literal)
			return p->value = v;
		given = literal ? v->s : NULL;
	} else {
		given = param_given(C, p->name);
	}
	struct ydoc_node *def = tpl_map_get(C, tpl, p->node, "Default", NULL);
	const char *text = given;
	if (!text && !strncmp(type, "AWS::SSM::Parameter::Value<", 27)) {
		const char *path = def ? ykit_text(def) : NULL;
		p->value = cv_unknown(
		    C, tpl, at,
		    "parameter '%s' is read from SSM parameter '%s' at "
		    "deployment; give --param %s=VALUE",
		    p->name, path ? path : "?", p->name);
		return p->value;
	}
	if (!text && def) {
		if (def->type == YAML_SCALAR_NODE) {
			text = cfn_scalar(def);
		} else {
			cfn_err(C, tpl, def,
				"the Default of parameter '%s' must be a "
				"string, not %s",
				p->name, ykit_value_name(def));
			p->value = cv_error(C, tpl, at);
			return p->value;
		}
	}
	if (!text && C->tpls[tpl].parent != CFN_NONE) {
		p->value = cv_unknown(
		    C, tpl, at,
		    "parameter '%s' has no Default, and nested stack '%s' "
		    "passes it no value",
		    p->name, C->res[C->tpls[tpl].stack_res].id);
		return p->value;
	}
	if (!text) {
		p->value = cv_unknown(C, tpl, at,
				      "parameter '%s' has no Default and no "
				      "--param %s=VALUE",
				      p->name, p->name);
		return p->value;
	}
	if (!list && !allowed_value(C, tpl, p, text)) {
		p->value = cv_error(C, tpl, at);
		return p->value;
	}
	p->value = list ? split_list(C, tpl, p->key, text, ",")
			: cv_str(C, tpl, p->key, arena_strdup(&C->a, text));
	return p->value;
}

static struct cv *pseudo(struct cfn *C, uint32_t tpl, const char *name,
			 struct ydoc_node *at)
{
	if (!strcmp(name, "AWS::Region"))
		return cv_str(C, tpl, at, C->region);
	if (!strcmp(name, "AWS::AccountId"))
		return cv_str(C, tpl, at, C->account);
	if (!strcmp(name, "AWS::Partition"))
		return cv_str(C, tpl, at, C->partition);
	if (!strcmp(name, "AWS::URLSuffix"))
		return cv_str(C, tpl, at, C->url_suffix);
	if (!strcmp(name, "AWS::StackName"))
		return cv_str(C, tpl, at, C->tpls[tpl].stack);
	if (!strcmp(name, "AWS::StackId"))
		return cv_str(C, tpl, at,
			      arena_printf(&C->a,
					   "arn:%s:cloudformation:%s:%s:stack/"
					   "%s/00000000-0000-0000-0000-"
					   "000000000000",
					   C->partition, C->region, C->account,
					   C->tpls[tpl].stack));
	if (!strcmp(name, "AWS::NoValue"))
		return cv_new(C, CV_NOVALUE, tpl, at);
	if (!strcmp(name, "AWS::NotificationARNs"))
		return cv_new(C, CV_LIST, tpl, at);
	return NULL;
}

static void add_dep(struct cfn *C, uint32_t to)
{
	if (C->cur_res == CFN_NONE)
		return;
	struct cfn_res *r = &C->res[C->cur_res];
	/* Short lists are searched; long ones keep a bitmap, so a resource
	 * that refers to thousands of others costs no square. */
	if (r->dep_bits) {
		if (r->dep_bits[to / 8] & (1u << (to % 8)))
			return;
		r->dep_bits[to / 8] |= (uint8_t)(1u << (to % 8));
	} else {
		for (uint32_t i = 0; i < r->n_deps; i++)
			if (r->deps[i] == to)
				return;
		if (r->n_deps >= 32) {
			r->dep_bits = arena_array(&C->a, C->n_res / 8 + 1, 1);
			memset(r->dep_bits, 0, C->n_res / 8 + 1);
			for (uint32_t i = 0; i < r->n_deps; i++)
				r->dep_bits[r->deps[i] / 8] |=
				    (uint8_t)(1u << (r->deps[i] % 8));
			r->dep_bits[to / 8] |= (uint8_t)(1u << (to % 8));
		}
	}
	if (r->n_deps == r->cap_deps) {
		r->cap_deps = r->cap_deps ? 2 * r->cap_deps : 8;
		uint32_t *d = arena_array(&C->a, r->cap_deps, sizeof(*d));
		if (r->n_deps)
			memcpy(d, r->deps, r->n_deps * sizeof(*d));
		r->deps = d;
	}
	r->deps[r->n_deps++] = to;
}

/* A reference to resource r from a template expression: its token, or why
 * it has none. */
static struct cv *resource_ref(struct cfn *C, uint32_t tpl, uint32_t r,
			       struct ydoc_node *at, const char *attr)
{
	struct cfn_res *R = &C->res[r];
	add_dep(C, r);
	if (R->included == 0) {
		cfn_err(C, tpl, at,
			"'%s' refers to resource '%s', which its Condition "
			"leaves out of the stack",
			attr ? "Fn::GetAtt" : "Ref", R->logical);
		return cv_error(C, tpl, at);
	}
	if (R->included < 0)
		return cv_unknown(C, tpl, at,
				  "resource '%s' exists only if its Condition "
				  "holds, which is unknown (%s)",
				  R->id, R->cond_why);
	return cv_str(C, tpl, at, token(C, r, attr));
}

static struct cv *ref_name(struct cfn *C, uint32_t tpl, const char *name,
			   struct ydoc_node *at)
{
	struct cv *v = pseudo(C, tpl, name, at);
	if (v)
		return v;
	struct cfn_tpl *T = &C->tpls[tpl];
	uint32_t pi = name_find(T->param_idx, T->n_params, name);
	if (pi != UINT32_MAX)
		return param_value(C, tpl, &T->params[pi], at);
	uint32_t r = cfn_find(C, tpl, name);
	if (r != CFN_NONE)
		return resource_ref(C, tpl, r, at, NULL);
	const char *near = near_name(C, tpl, name, true, true);
	if (!strncmp(name, "AWS::", 5))
		cfn_err(C, tpl, at, "unknown pseudo parameter '%s'", name);
	else
		cfn_err(C, tpl, at,
			"Ref to '%s', which is no parameter or resource of "
			"the template%s%s%s",
			name, near ? " (did you mean '" : "", near ? near : "",
			near ? "'?)" : "");
	return cv_error(C, tpl, at);
}

/* ---- Fn::GetAtt --------------------------------------------------------- */

/*
 * Attributes of the types vpcsim reads.  "=Prop" attributes are the
 * value of a property of the resource; "@" ones name the resource itself
 * (its physical id), so they work as references; the others are opaque
 * values that AWS assigns.  Unlisted attributes of these types get a
 * warning: CloudFormation would refuse them, unless this list is behind.
 */
static const struct {
	const char *type;
	const char *attrs; /* space-separated */
} known_attrs[] = {
    {"AWS::EC2::VPC",
     "@VpcId CidrBlock=CidrBlock CidrBlockAssociations DefaultNetworkAcl "
     "DefaultSecurityGroup Ipv6CidrBlocks"},
    {"AWS::EC2::VPCCidrBlock", "@Id IpSource Ipv6AddressAttribute"},
    {"AWS::EC2::Subnet",
     "@SubnetId VpcId=VpcId CidrBlock=CidrBlock "
     "AvailabilityZone=AvailabilityZone "
     "AvailabilityZoneId=AvailabilityZoneId Ipv6CidrBlocks "
     "NetworkAclAssociationId OutpostArn BlockPublicAccessStates"},
    {"AWS::EC2::RouteTable", "@RouteTableId"},
    {"AWS::EC2::Route", "CidrBlock"},
    {"AWS::EC2::SubnetRouteTableAssociation", "Id"},
    {"AWS::EC2::InternetGateway", "@InternetGatewayId"},
    {"AWS::EC2::EgressOnlyInternetGateway", "@Id"},
    {"AWS::EC2::VPCGatewayAttachment", "AttachmentType"},
    {"AWS::EC2::NatGateway",
     "@NatGatewayId EniId AutoProvisionZones AutoScalingIps RouteTableId"},
    {"AWS::EC2::EIP", "@AllocationId @PublicIp"},
    {"AWS::EC2::EIPAssociation", "Id"},
    {"AWS::EC2::SecurityGroup", "@GroupId VpcId=VpcId"},
    {"AWS::EC2::SecurityGroupIngress", "Id"},
    {"AWS::EC2::SecurityGroupEgress", "Id"},
    {"AWS::EC2::NetworkAcl", "@Id"},
    {"AWS::EC2::NetworkAclEntry", "Id"},
    {"AWS::EC2::SubnetNetworkAclAssociation", "AssociationId"},
    {"AWS::EC2::PrefixList", "@PrefixListId Arn OwnerId Version"},
    {"AWS::EC2::Instance",
     "@InstanceId AvailabilityZone PrivateDnsName PrivateIp=PrivateIpAddress "
     "PublicDnsName PublicIp VpcId State.Code State.Name"},
    {"AWS::EC2::NetworkInterface",
     "@Id PrimaryPrivateIpAddress=PrivateIpAddress SecondaryPrivateIpAddresses "
     "PrimaryIpv6Address Ipv6Addresses VpcId"},
    {"AWS::EC2::VPCEndpoint",
     "@Id CreationTimestamp DnsEntries NetworkInterfaceIds"},
    {"AWS::EC2::VPCPeeringConnection", "@Id"},
    {"AWS::ElasticLoadBalancingV2::LoadBalancer",
     "@LoadBalancerArn CanonicalHostedZoneID DNSName LoadBalancerFullName "
     "LoadBalancerName SecurityGroups=SecurityGroups"},
    {"AWS::ElasticLoadBalancingV2::Listener", "@ListenerArn"},
    {"AWS::ElasticLoadBalancingV2::ListenerRule", "@RuleArn IsDefault"},
    {"AWS::ElasticLoadBalancingV2::TargetGroup",
     "@TargetGroupArn LoadBalancerArns TargetGroupFullName "
     "TargetGroupName"},
    {"AWS::ECS::Cluster", "@Arn"},
    {"AWS::ECS::TaskDefinition", "@TaskDefinitionArn"},
    {"AWS::ECS::Service", "@ServiceArn Name"},
    {"AWS::RDS::DBSubnetGroup", "@DBSubnetGroupName"},
    {"AWS::RDS::DBInstance",
     "@DBInstanceArn DbiResourceId DBSystemId Endpoint.Address "
     "Endpoint.HostedZoneId Endpoint.Port MasterUserSecret.SecretArn "
     "CertificateDetails.CAIdentifier CertificateDetails.ValidTill"},
    {"AWS::RDS::DBCluster",
     "@DBClusterArn DBClusterResourceId Endpoint.Address Endpoint.Port "
     "ReadEndpoint.Address MasterUserSecret.SecretArn StorageThroughput"},
};

static struct cv *prop_attr(struct cfn *C, uint32_t tpl, uint32_t r,
			    const char *attr, const char *prop,
			    struct ydoc_node *at)
{
	struct cfn_res *R = &C->res[r];
	eval_resource(C, r);
	struct cv *v = cv_get(R->props, prop);
	if (v)
		return v;
	if (R->state != 2)
		return cv_error(C, tpl, at);
	/* Attributes whose property has an AWS default. */
	if (!strcmp(attr, "Endpoint.Port")) {
		const char *why;
		struct cv *e = cv_get(R->props, "Engine");
		const char *engine = e ? cfn_text(C, e, &why) : NULL;
		if (!e)
			return cv_unknown(C, tpl, at, "'%s' has no Engine",
					  R->id);
		if (!engine)
			return e->kind == CV_ERROR
				   ? e
				   : cv_unknown(C, tpl, at, "%s", why);
		uint16_t port = model_engine_port(engine);
		if (!port)
			return cv_unknown(C, tpl, at,
					  "engine '%s' of '%s' has no default "
					  "port vpcsim knows",
					  engine, R->id);
		return cv_str(C, tpl, at, arena_printf(&C->a, "%u", port));
	}
	if (!strcmp(attr, "VpcId") &&
	    !strcmp(R->type, "AWS::EC2::SecurityGroup"))
		return cv_unknown(C, tpl, at,
				  "security group '%s' has no VpcId: it is in "
				  "the region's default VPC",
				  R->id);
	return cv_str(C, tpl, at, token(C, r, attr));
}

static void eval_output(struct cfn *C, uint32_t tpl, struct cfn_output *o);

/* Fn::GetAtt Stack.Outputs.NAME: the output of the nested stack's child
 * (resource r), evaluated there; unknown when its template was not
 * given. */
static struct cv *stack_output(struct cfn *C, uint32_t tpl, uint32_t r,
			       const char *name, struct ydoc_node *at)
{
	struct cfn_res *R = &C->res[r];
	if (R->child == CFN_NONE)
		return cv_unknown(C, tpl, at,
				  "output '%s' of nested stack '%s', whose "
				  "template was not given",
				  name, R->id);
	struct cfn_tpl *T = &C->tpls[R->child];
	const char *names[256];
	size_t nn = 0;
	for (uint32_t i = 0; i < T->n_outputs; i++) {
		struct cfn_output *o = &T->outputs[i];
		if (nn < ARRAY_LEN(names))
			names[nn++] = o->name;
		if (strcmp(o->name, name))
			continue;
		eval_output(C, R->child, o);
		o->consumed = true;
		if (o->state != 2)
			return cv_error(C, tpl, at); /* a cycle, reported */
		if (o->value)
			return o->value;
		cfn_err(C, tpl, at,
			"output '%s' of nested stack '%s' does not exist: its "
			"Condition is false",
			name, R->id);
		return cv_error(C, tpl, at);
	}
	const char *near = util_closest(name, names, nn);
	cfn_err(C, tpl, at, "nested stack '%s' (%s) has no output '%s'%s%s%s",
		R->id, T->file, name, near ? " (did you mean '" : "",
		near ? near : "", near ? "'?)" : "");
	return cv_error(C, tpl, at);
}

static struct cv *get_att(struct cfn *C, uint32_t tpl, uint32_t r,
			  const char *attr, struct ydoc_node *at)
{
	struct cfn_res *R = &C->res[r];
	struct cv *ref = resource_ref(C, tpl, r, at, attr);
	if (bad(ref))
		return ref;
	if (!strcmp(R->type, "AWS::CloudFormation::Stack") &&
	    !strncmp(attr, "Outputs.", 8))
		return stack_output(C, tpl, r, attr + 8, at);
	for (size_t i = 0; i < ARRAY_LEN(known_attrs); i++) {
		if (strcmp(known_attrs[i].type, R->type))
			continue;
		const char *names[16];
		char buf[512], *save = NULL;
		size_t nn = 0;
		snprintf(buf, sizeof(buf), "%s", known_attrs[i].attrs);
		for (char *w = strtok_r(buf, " ", &save); w && nn < 16;
		     w = strtok_r(NULL, " ", &save)) {
			bool ident = *w == '@';
			char *name = ident ? w + 1 : w;
			char *eq = strchr(name, '=');
			if (eq)
				*eq = '\0';
			names[nn++] = name;
			if (strcmp(name, attr))
				continue;
			if (ident)
				return cv_str(C, tpl, at, token(C, r, NULL));
			if (eq)
				return prop_attr(C, tpl, r, attr, eq + 1, at);
			if (!strcmp(R->type, "AWS::EC2::VPC") &&
			    !strcmp(attr, "DefaultSecurityGroup"))
				R->need_default_sg = true;
			if (!strcmp(R->type, "AWS::EC2::VPC") &&
			    !strcmp(attr, "DefaultNetworkAcl"))
				R->need_default_nacl = true;
			if (!strcmp(attr, "Endpoint.Port"))
				return prop_attr(C, tpl, r, attr, "Port", at);
			return ref;
		}
		const char *near = util_closest(attr, names, nn);
		cfn_warn(C, tpl, at,
			 "%s has no attribute '%s' that vpcsim knows of%s%s%s",
			 R->type, attr, near ? " (did you mean '" : "",
			 near ? near : "", near ? "'?)" : "");
		return ref;
	}
	return ref;
}

/* ---- Fn::Sub ------------------------------------------------------------ */

static struct cv *too_long(struct cfn *C, uint32_t tpl, struct ydoc_node *fn,
			   const char *what)
{
	cfn_err(C, tpl, fn,
		"%s builds a string longer than the limit of %u bytes", what,
		(unsigned)YDOC_MAX_SCALAR);
	return cv_error(C, tpl, fn);
}

static struct cv *sub_var(struct cfn *C, uint32_t tpl, const char *name,
			  struct cv *vars, struct ydoc_node *at)
{
	struct cv *v = cv_get(vars, name);
	if (v)
		return v;
	const char *dot = strchr(name, '.');
	if (dot && strncmp(name, "AWS::", 5)) {
		char res[256];
		snprintf(res, sizeof(res), "%.*s", (int)(dot - name), name);
		uint32_t r = cfn_find(C, tpl, res);
		if (r == CFN_NONE) {
			const char *near = near_name(C, tpl, res, false, true);
			cfn_err(C, tpl, at,
				"Fn::Sub: '${%s}' names no resource '%s'%s%s%s",
				name, res, near ? " (did you mean '" : "",
				near ? near : "", near ? "'?)" : "");
			return cv_error(C, tpl, at);
		}
		return get_att(C, tpl, r, dot + 1, at);
	}
	return ref_name(C, tpl, name, at);
}

static struct cv *fn_sub(struct cfn *C, uint32_t tpl, struct ydoc_node *fn,
			 struct ydoc_node *arg, bool self)
{
	struct ydoc_node *str = arg;
	struct cv *vars = NULL;
	if (arg->type == YAML_SEQUENCE_NODE) {
		if (ykit_seq_len(arg) != 2) {
			cfn_err(C, tpl, fn,
				"Fn::Sub takes a string, or a list of a string "
				"and a mapping of variables");
			return cv_error(C, tpl, fn);
		}
		str = tpl_seq_item(C, tpl, arg, 0);
		vars = eval(C, tpl, tpl_seq_item(C, tpl, arg, 1), false);
		if (vars->kind == CV_ERROR)
			return vars;
		if (vars->kind != CV_MAP) {
			cfn_err(C, tpl, vars->node,
				"Fn::Sub variables must be a mapping, not %s",
				cfn_show_cv(C, vars));
			return cv_error(C, tpl, fn);
		}
	}
	(void)self;
	const char *s = ykit_text(str);
	if (!s) {
		cfn_err(C, tpl, str, "Fn::Sub needs a string, not %s",
			ykit_value_name(str));
		return cv_error(C, tpl, fn);
	}
	struct strbuf b = {0};
	struct cv *out = NULL;
	for (const char *p = s; *p;) {
		const char *open = strstr(p, "${");
		if (!open) {
			strbuf_add(&b, p, strlen(p));
			break;
		}
		strbuf_add(&b, p, (size_t)(open - p));
		const char *close = strchr(open + 2, '}');
		if (!close) {
			strbuf_add(&b, open, strlen(open));
			break;
		}
		p = close + 1;
		if (open[2] == '!') {
			/* ${!Literal} is the text ${Literal} */
			strbuf_add(&b, "${", 2);
			strbuf_add(&b, open + 3,
				   (size_t)(close - open - 3) + 1);
			continue;
		}
		char name[256];
		snprintf(name, sizeof(name), "%.*s", (int)(close - open - 2),
			 open + 2);
		/* Spaces around the name are allowed. */
		char *nm = name;
		while (*nm == ' ')
			nm++;
		for (char *e = nm + strlen(nm); e > nm && e[-1] == ' ';)
			*--e = '\0';
		struct cv *v = sub_var(C, tpl, nm, vars, fn);
		if (bad(v)) {
			if (!out || out->kind != CV_ERROR)
				out = v;
			continue;
		}
		if (v->kind != CV_STR) {
			cfn_err(C, tpl, fn,
				"Fn::Sub: '${%s}' is %s, not a string", nm,
				cfn_show_cv(C, v));
			out = cv_error(C, tpl, fn);
			continue;
		}
		strbuf_add(&b, v->s, strlen(v->s));
		if (b.n > YDOC_MAX_SCALAR) {
			out = too_long(C, tpl, fn, "Fn::Sub");
			break;
		}
	}
	if (!out && within_budget(C, tpl, fn, b.n))
		out = cv_str(C, tpl, fn, arena_strdup(&C->a, strbuf_str(&b)));
	else if (!out)
		out = cv_error(C, tpl, fn);
	strbuf_free(&b);
	return out;
}

/* ---- list functions ----------------------------------------------------- */

/* The items of an intrinsic's list argument, checked for count. */
static bool fn_args(struct cfn *C, uint32_t tpl, const char *fn,
		    struct ydoc_node *fnnode, struct ydoc_node *arg,
		    uint32_t lo, uint32_t hi, const char *shape)
{
	if (arg->type != YAML_SEQUENCE_NODE || ykit_seq_len(arg) < lo ||
	    ykit_seq_len(arg) > hi) {
		cfn_err(C, tpl, fnnode, "%s takes %s", fn, shape);
		return false;
	}
	return true;
}

/* A value that must be a list (a literal list, or a function giving one).
 * An attribute AWS assigns (a VPC's Ipv6CidrBlocks, an endpoint's
 * NetworkInterfaceIds) is a list of unknown elements. */
static struct cv *want_list(struct cfn *C, uint32_t tpl, const char *fn,
			    struct cv *v)
{
	uint32_t r;
	const char *attr;
	if (bad(v) || v->kind == CV_LIST)
		return v;
	if (v->kind == CV_STR && cfn_token(v->s, &r, &attr) && attr)
		return cv_unknown(C, tpl, v->node,
				  "%s: the list '%s' is known only after "
				  "deployment",
				  fn, cfn_show(C, v->s));
	cfn_err(C, tpl, v->node, "%s needs a list here, not %s", fn,
		cfn_show_cv(C, v));
	return cv_error(C, tpl, v->node);
}

static struct cv *fn_join(struct cfn *C, uint32_t tpl, struct ydoc_node *fn,
			  struct ydoc_node *arg)
{
	if (!fn_args(C, tpl, "Fn::Join", fn, arg, 2, 2,
		     "a delimiter and a list: [delimiter, [values]]"))
		return cv_error(C, tpl, fn);
	struct cv *d = eval(C, tpl, tpl_seq_item(C, tpl, arg, 0), false);
	struct cv *l =
	    want_list(C, tpl, "Fn::Join",
		      eval(C, tpl, tpl_seq_item(C, tpl, arg, 1), false));
	if (bad(d))
		return d;
	if (bad(l))
		return l;
	if (d->kind != CV_STR) {
		cfn_err(C, tpl, d->node,
			"Fn::Join: the delimiter must be a string, not %s",
			cfn_show_cv(C, d));
		return cv_error(C, tpl, fn);
	}
	struct strbuf b = {0};
	struct cv *out = NULL;
	for (uint32_t i = 0; i < l->n; i++) {
		struct cv *e = l->items[i];
		if (bad(e)) {
			if (!out || out->kind != CV_ERROR)
				out = e;
			continue;
		}
		if (e->kind != CV_STR) {
			cfn_err(C, tpl, e->node,
				"Fn::Join: item %u is %s, not a string", i + 1,
				cfn_show_cv(C, e));
			out = cv_error(C, tpl, fn);
			continue;
		}
		if (i)
			strbuf_add(&b, d->s, strlen(d->s));
		strbuf_add(&b, e->s, strlen(e->s));
		if (b.n > YDOC_MAX_SCALAR) {
			out = too_long(C, tpl, fn, "Fn::Join");
			break;
		}
	}
	if (!out && within_budget(C, tpl, fn, b.n))
		out = cv_str(C, tpl, fn, arena_strdup(&C->a, strbuf_str(&b)));
	else if (!out)
		out = cv_error(C, tpl, fn);
	strbuf_free(&b);
	return out;
}

static bool parse_count(const char *s, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static struct cv *fn_select(struct cfn *C, uint32_t tpl, struct ydoc_node *fn,
			    struct ydoc_node *arg)
{
	if (!fn_args(C, tpl, "Fn::Select", fn, arg, 2, 2,
		     "an index and a list: [index, [values]]"))
		return cv_error(C, tpl, fn);
	struct cv *iv = eval(C, tpl, tpl_seq_item(C, tpl, arg, 0), false);
	struct cv *l =
	    want_list(C, tpl, "Fn::Select",
		      eval(C, tpl, tpl_seq_item(C, tpl, arg, 1), false));
	if (bad(iv))
		return iv;
	const char *why;
	const char *is = cfn_text(C, iv, &why);
	uint32_t idx;
	if (!is) {
		if (iv->kind == CV_STR || !why)
			return cv_unknown(C, tpl, fn, "%s",
					  why ? why : "index unknown");
		cfn_err(C, tpl, iv->node,
			"Fn::Select: the index must be a "
			"number, not %s",
			cfn_show_cv(C, iv));
		return cv_error(C, tpl, fn);
	}
	if (!parse_count(is, 1u << 30, &idx)) {
		char ab[UTIL_ABBREV_SIZE];
		cfn_err(
		    C, tpl, iv->node,
		    "Fn::Select: the index must be a whole number, not '%s'",
		    util_abbrev(ab, is));
		return cv_error(C, tpl, fn);
	}
	if (bad(l))
		return l;
	if (idx >= l->n) {
		cfn_err(C, tpl, fn,
			"Fn::Select: index %u is out of range: the list has %u "
			"item%s",
			idx, l->n, l->n == 1 ? "" : "s");
		return cv_error(C, tpl, fn);
	}
	return l->items[idx];
}

static struct cv *fn_split(struct cfn *C, uint32_t tpl, struct ydoc_node *fn,
			   struct ydoc_node *arg)
{
	if (!fn_args(C, tpl, "Fn::Split", fn, arg, 2, 2,
		     "a delimiter and a string: [delimiter, string]"))
		return cv_error(C, tpl, fn);
	struct cv *d = eval(C, tpl, tpl_seq_item(C, tpl, arg, 0), false);
	struct cv *s = eval(C, tpl, tpl_seq_item(C, tpl, arg, 1), false);
	if (bad(d))
		return d;
	if (bad(s))
		return s;
	if (d->kind != CV_STR || !*d->s || s->kind != CV_STR) {
		cfn_err(C, tpl, fn,
			"Fn::Split takes a non-empty delimiter and a string");
		return cv_error(C, tpl, fn);
	}
	return split_list(C, tpl, fn, s->s, d->s);
}

/* Symbolic zones: REGIONa, REGIONb, ...; as many as the region has where
 * vpcsim knows it, three otherwise. */
static struct cv *fn_getazs(struct cfn *C, uint32_t tpl, struct ydoc_node *fn,
			    struct ydoc_node *arg, bool self)
{
	struct cv *r = eval(C, tpl, arg, self);
	if (bad(r))
		return r;
	const char *why;
	const char *region = cfn_text(C, r, &why);
	if (!region) {
		cfn_err(C, tpl, fn, "Fn::GetAZs takes a region name or ''");
		return cv_error(C, tpl, fn);
	}
	if (!*region)
		region = C->region;
	static const struct {
		const char *region;
		uint32_t n;
	} zones[] = {{"us-east-1", 6},
		     {"us-west-2", 4},
		     {"us-west-1", 2},
		     {"ap-northeast-1", 3},
		     {"ap-northeast-2", 4}};
	uint32_t n = 3;
	for (size_t i = 0; i < ARRAY_LEN(zones); i++)
		if (!strcmp(zones[i].region, region))
			n = zones[i].n;
	struct cv *v = cv_new(C, CV_LIST, tpl, fn);
	v->items = arena_array(&C->a, n, sizeof(*v->items));
	for (uint32_t i = 0; i < n; i++)
		v->items[v->n++] = cv_str(
		    C, tpl, fn, arena_printf(&C->a, "%s%c", region, 'a' + i));
	return v;
}

/*
 * Fn::Cidr [ipBlock, count, cidrBits]: the first count blocks of
 * 2^cidrBits addresses (prefix 32 - cidrBits), in address order from the
 * start of ipBlock, as AWS computes them.
 */
static struct cv *fn_cidr(struct cfn *C, uint32_t tpl, struct ydoc_node *fn,
			  struct ydoc_node *arg)
{
	if (!fn_args(C, tpl, "Fn::Cidr", fn, arg, 3, 3,
		     "[ipBlock, count, cidrBits]"))
		return cv_error(C, tpl, fn);
	struct cv *v[3];
	const char *t[3];
	for (uint32_t i = 0; i < 3; i++) {
		v[i] = eval(C, tpl, tpl_seq_item(C, tpl, arg, i), false);
		if (bad(v[i]))
			return v[i];
		const char *why;
		t[i] = cfn_text(C, v[i], &why);
		if (!t[i]) {
			if (v[i]->kind == CV_STR)
				return cv_unknown(C, tpl, fn, "Fn::Cidr: %s",
						  why);
			cfn_err(C, tpl, v[i]->node,
				"Fn::Cidr: %s must be a string, not %s",
				i == 0	 ? "ipBlock"
				: i == 1 ? "count"
					 : "cidrBits",
				cfn_show_cv(C, v[i]));
			return cv_error(C, tpl, fn);
		}
	}
	if (strchr(t[0], ':'))
		return cv_unknown(
		    C, tpl, fn,
		    "Fn::Cidr over IPv6 block %s is not evaluated: "
		    "vpcsim routes IPv4",
		    t[0]);
	struct cidr block;
	int rc = cidr_parse(&block, t[0]);
	if (rc) {
		if (rc == CIDR_EHOSTBITS) {
			char buf[CIDR_STRLEN];
			cidr_format(buf, block);
			cfn_err(C, tpl, v[0]->node,
				"Fn::Cidr: ipBlock '%s' has host bits set (did "
				"you mean '%s'?)",
				t[0], buf);
		} else {
			cfn_err(
			    C, tpl, v[0]->node,
			    "Fn::Cidr: ipBlock must be a CIDR block, not '%s'",
			    t[0]);
		}
		return cv_error(C, tpl, fn);
	}
	uint32_t count, bits;
	if (!parse_count(t[1], 256, &count) || count < 1) {
		char ab[UTIL_ABBREV_SIZE];
		cfn_err(C, tpl, v[1]->node,
			"Fn::Cidr: count must be a number 1-256, not '%s'",
			util_abbrev(ab, t[1]));
		return cv_error(C, tpl, fn);
	}
	char ab[UTIL_ABBREV_SIZE];
	if (!parse_count(t[2], 32, &bits) || bits < 1 ||
	    bits > 32u - block.len) {
		cfn_err(C, tpl, v[2]->node,
			"Fn::Cidr: cidrBits must be a number 1-%u for %s, not "
			"'%s'",
			32u - block.len, t[0], util_abbrev(ab, t[2]));
		return cv_error(C, tpl, fn);
	}
	uint64_t fits = (uint64_t)1 << (32u - block.len - bits);
	if (count > fits) {
		cfn_err(C, tpl, fn,
			"Fn::Cidr: %s holds %llu block%s of /%u, not %u", t[0],
			(unsigned long long)fits, fits == 1 ? "" : "s",
			32u - bits, count);
		return cv_error(C, tpl, fn);
	}
	struct cv *out = cv_new(C, CV_LIST, tpl, fn);
	out->items = arena_array(&C->a, count, sizeof(*out->items));
	for (uint32_t i = 0; i < count; i++) {
		struct cidr c = {(uint32_t)(block.addr + ((uint64_t)i << bits)),
				 (uint8_t)(32u - bits)};
		char buf[CIDR_STRLEN];
		cidr_format(buf, c);
		out->items[out->n++] =
		    cv_str(C, tpl, fn, arena_strdup(&C->a, buf));
	}
	return out;
}

static struct cv *fn_findinmap(struct cfn *C, uint32_t tpl,
			       struct ydoc_node *fn, struct ydoc_node *arg)
{
	if (!fn_args(C, tpl, "Fn::FindInMap", fn, arg, 3, 4,
		     "[MapName, TopLevelKey, SecondLevelKey] and optionally "
		     "{DefaultValue: value}"))
		return cv_error(C, tpl, fn);
	/* AWS::LanguageExtensions: a fourth item {DefaultValue: v} is the
	 * value when a key is missing. */
	struct ydoc_node *dflt = NULL;
	if (ykit_seq_len(arg) == 4) {
		struct ydoc_node *o = tpl_seq_item(C, tpl, arg, 3);
		dflt = tpl_map_get(C, tpl, o, "DefaultValue", NULL);
		if (!dflt) {
			cfn_err(C, tpl, o,
				"Fn::FindInMap: the fourth item must be "
				"{DefaultValue: value}");
			return cv_error(C, tpl, fn);
		}
	}
	const char *k[3];
	struct cv *kv[3];
	for (uint32_t i = 0; i < 3; i++) {
		kv[i] = eval(C, tpl, tpl_seq_item(C, tpl, arg, i), false);
		if (bad(kv[i]))
			return kv[i];
		const char *why;
		k[i] = cfn_text(C, kv[i], &why);
		if (!k[i])
			return cv_unknown(C, tpl, fn, "Fn::FindInMap: %s", why);
	}
	struct ydoc_node *n = C->tpls[tpl].mappings;
	static const char *const what[] = {"mapping", "key", "key"};
	for (uint32_t i = 0; i < 3; i++) {
		struct ydoc_node *next = tpl_map_get(C, tpl, n, k[i], NULL);
		if (!next && dflt)
			return eval(C, tpl, dflt, false);
		if (!next) {
			const char *names[64];
			size_t nn = 0;
			if (n && n->type == YAML_MAPPING_NODE)
				for (yaml_node_pair_t *p =
					 n->data.mapping.pairs.start;
				     p < n->data.mapping.pairs.top && nn < 64;
				     p++) {
					const char *s =
					    ykit_text(tpl_node(C, tpl, p->key));
					if (s)
						names[nn++] = s;
				}
			const char *near = util_closest(k[i], names, nn);
			cfn_err(
			    C, tpl, kv[i]->node,
			    "Fn::FindInMap: no %s '%s'%s%s%s%s", what[i], k[i],
			    i == 0 ? " in Mappings"
			    : i == 1
				? arena_printf(&C->a, " in mapping '%s'", k[0])
				: arena_printf(&C->a, " under '%s'", k[1]),
			    near ? " (did you mean '" : "", near ? near : "",
			    near ? "'?)" : "");
			return cv_error(C, tpl, fn);
		}
		n = next;
	}
	return eval(C, tpl, n, false);
}

/* ---- exports ------------------------------------------------------------ */

static void eval_output(struct cfn *C, uint32_t tpl, struct cfn_output *o)
{
	if (o->state)
		return;
	o->state = 1;
	uint32_t saved = C->cur_res;
	C->cur_res = CFN_NONE;
	int holds = 1;
	const char *why = NULL;
	if (o->cond_node) {
		const char *name = ykit_text(o->cond_node);
		if (!name)
			cfn_err(
			    C, tpl, o->cond_node,
			    "an output's Condition must be a condition name");
		else
			holds = cond_named(C, tpl, name, o->cond_node, &why);
	}
	if (o->value_node)
		o->value = holds == 0 ? NULL
			   : holds < 0
			       ? cv_unknown(C, tpl, o->key,
					    "output '%s' exists only if its "
					    "Condition holds, which is "
					    "unknown (%s)",
					    o->name, why)
			       : eval(C, tpl, o->value_node, false);
	else
		cfn_err(C, tpl, o->key, "output '%s' has no Value", o->name);
	if (o->export_node && holds != 0) {
		struct ydoc_node *nn =
		    tpl_map_get(C, tpl, o->export_node, "Name", NULL);
		if (!nn) {
			cfn_err(C, tpl, o->export_node,
				"an Export needs a Name");
		} else {
			struct cv *v = eval(C, tpl, nn, false);
			const char *w;
			o->export_name = bad(v) ? NULL : cfn_text(C, v, &w);
			if (!o->export_name && !bad(v))
				cfn_warn(
				    C, tpl, nn,
				    "the export name of output '%s' cannot "
				    "be computed (%s); no template can "
				    "import it",
				    o->name, w);
		}
	}
	C->cur_res = saved;
	o->state = 2;
}

static struct cv *fn_importvalue(struct cfn *C, uint32_t tpl,
				 struct ydoc_node *fn, struct ydoc_node *arg,
				 bool self)
{
	struct cv *nv = eval(C, tpl, arg, self);
	if (bad(nv))
		return nv;
	const char *why;
	const char *name = cfn_text(C, nv, &why);
	if (!name)
		return cv_unknown(C, tpl, fn, "Fn::ImportValue: %s", why);
	for (uint32_t t = 0; t < C->n_tpls; t++)
		for (uint32_t i = 0; i < C->tpls[t].n_outputs; i++) {
			struct cfn_output *o = &C->tpls[t].outputs[i];
			if (!o->export_node)
				continue;
			if (o->state == 1)
				continue; /* the cycle is reported by its start
					   */
			eval_output(C, t, o);
			if (o->export_name && !strcmp(o->export_name, name)) {
				o->consumed = true;
				C->imports =
				    xreallocarray(C->imports, C->n_imports + 1,
						  sizeof(*C->imports));
				C->imports[C->n_imports][0] = tpl;
				C->imports[C->n_imports++][1] = t;
				if (!o->value)
					return cv_error(C, tpl, fn);
				return o->value;
			}
		}
	return cv_unknown(C, tpl, fn,
			  "Fn::ImportValue '%s': no loaded template exports "
			  "it",
			  name);
}

/* ---- conditions --------------------------------------------------------- */

static int cond_named(struct cfn *C, uint32_t tpl, const char *name,
		      struct ydoc_node *at, const char **why)
{
	struct cfn_tpl *T = &C->tpls[tpl];
	uint32_t ci = name_find(T->cond_idx, T->n_conds, name);
	if (ci != UINT32_MAX) {
		struct cfn_cond *c = &T->conds[ci];
		if (c->state == 1) {
			cfn_err(C, tpl, c->key,
				"condition '%s' depends on itself", name);
			c->value = -1;
			c->why = "circular";
			*why = NULL;
			return -2;
		}
		if (c->state == 0) {
			c->state = 1;
			c->value = cond_node(C, tpl, c->node, &c->why);
			c->state = 2;
		}
		*why = c->why;
		return c->value;
	}
	const char *names[256];
	size_t nn = 0;
	for (uint32_t i = 0; i < T->n_conds && nn < 256; i++)
		names[nn++] = T->conds[i].name;
	const char *near = util_closest(name, names, nn);
	cfn_err(C, tpl, at, "unknown condition '%s'%s%s%s", name,
		near ? " (did you mean '" : "", near ? near : "",
		near ? "'?)" : "");
	*why = NULL;
	return -2;
}

/* The cond_* steps read one condition function: 1 true, 0 false, -1
 * unknown (with *why), -2 after an error. */

/* Two evaluated values of Fn::Equals compared: strings, or lists of
 * strings. */
static int cond_equal_values(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
			     struct cv *a, struct cv *b, const char **why)
{
	const char *wa, *wb;
	const char *sa = bad(a) ? NULL : cfn_text(C, a, &wa);
	const char *sb = bad(b) ? NULL : cfn_text(C, b, &wb);
	if (a->kind == CV_ERROR || b->kind == CV_ERROR)
		return -2;
	if ((a->kind == CV_STR && !sa) || (b->kind == CV_STR && !sb)) {
		cfn_err(C, tpl, n,
			"Fn::Equals in a condition cannot depend on a "
			"resource");
		return -2;
	}
	if (a->kind == CV_UNKNOWN || b->kind == CV_UNKNOWN) {
		*why = a->kind == CV_UNKNOWN ? a->s : b->s;
		return -1;
	}
	if (a->kind == CV_STR && b->kind == CV_STR)
		return !strcmp(sa, sb);
	if (a->kind != CV_LIST || b->kind != CV_LIST)
		return 0;
	int result = a->n == b->n;
	for (uint32_t i = 0; result == 1 && i < a->n; i++)
		result = a->items[i]->kind == CV_STR &&
			 b->items[i]->kind == CV_STR &&
			 !strcmp(a->items[i]->s, b->items[i]->s);
	return result;
}

static int cond_equals(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
		       struct ydoc_node *arg, const char **why)
{
	if (!fn_args(C, tpl, "Fn::Equals", n, arg, 2, 2, "two values: [a, b]"))
		return -2;
	struct cv *a = eval(C, tpl, tpl_seq_item(C, tpl, arg, 0), false);
	struct cv *b = eval(C, tpl, tpl_seq_item(C, tpl, arg, 1), false);
	return cond_equal_values(C, tpl, n, a, b, why);
}

static int cond_not(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
		    struct ydoc_node *arg, const char **why)
{
	if (!fn_args(C, tpl, "Fn::Not", n, arg, 1, 1,
		     "one condition: [condition]"))
		return -2;
	int result = cond_node(C, tpl, tpl_seq_item(C, tpl, arg, 0), why);
	return result >= 0 ? !result : result;
}

/* Fn::And and Fn::Or, three-valued: a false (and) or true (or) decides
 * even when another operand is unknown. */
static int cond_and_or(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
		       const char *fn, struct ydoc_node *arg, const char **why)
{
	bool and = !strcmp(fn, "Fn::And");
	if (!fn_args(C, tpl, fn, n, arg, 2, 10, "a list of 2 to 10 conditions"))
		return -2;
	bool unknown = false, err = false, decided = false;
	const char *uwhy = NULL;
	for (uint32_t i = 0; i < ykit_seq_len(arg); i++) {
		const char *w;
		int r = cond_node(C, tpl, tpl_seq_item(C, tpl, arg, i), &w);
		if (r == -2)
			err = true;
		else if (r == -1) {
			unknown = true;
			uwhy = uwhy ? uwhy : w;
		} else if (r == !and)
			decided = true;
	}
	if (err)
		return -2;
	if (decided)
		return !and;
	if (unknown) {
		*why = uwhy;
		return -1;
	}
	return and;
}

/* The condition function fn (from fn_of; NULL: not one, "": reported)
 * with its argument. */
static int cond_fn(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
		   const char *fn, struct ydoc_node *arg, const char **why)
{
	if (!fn) {
		cfn_err(C, tpl, n,
			"a condition must be Fn::Equals, Fn::And, Fn::Or, "
			"Fn::Not or Condition");
		return -2;
	}
	if (!*fn)
		return -2; /* reported */
	if (!strcmp(fn, "Condition")) {
		const char *name = ykit_text(arg);
		if (name)
			return cond_named(C, tpl, name, n, why);
		cfn_err(C, tpl, n, "Condition takes a condition name");
		return -2;
	}
	if (!strcmp(fn, "Fn::Equals"))
		return cond_equals(C, tpl, n, arg, why);
	if (!strcmp(fn, "Fn::Not"))
		return cond_not(C, tpl, n, arg, why);
	if (!strcmp(fn, "Fn::And") || !strcmp(fn, "Fn::Or"))
		return cond_and_or(C, tpl, n, fn, arg, why);
	cfn_err(C, tpl, n,
		"%s cannot be a condition: use Fn::Equals, Fn::And, "
		"Fn::Or, Fn::Not or Condition",
		fn);
	return -2;
}

/* 1 true, 0 false, -1 unknown (with *why), -2 after an error. */
static int cond_node(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
		     const char **why)
{
	struct ydoc_node *arg;
	bool self;
	*why = NULL;
	if (!within_budget(C, tpl, n, 0))
		return -2;
	if (++C->depth > MAX_DEPTH) {
		C->depth--;
		cfn_err(C, tpl, n, "conditions nest too deeply");
		return -2;
	}
	const char *fn = fn_of(C, tpl, n, true, false, &arg, &self);
	int result = cond_fn(C, tpl, n, fn, arg, why);
	C->depth--;
	return result;
}

/* ---- evaluation --------------------------------------------------------- */

static struct cv *fn_if(struct cfn *C, uint32_t tpl, struct ydoc_node *fn,
			struct ydoc_node *arg)
{
	if (!fn_args(C, tpl, "Fn::If", fn, arg, 3, 3,
		     "[condition, value if true, value if false]"))
		return cv_error(C, tpl, fn);
	struct ydoc_node *cn = tpl_seq_item(C, tpl, arg, 0);
	const char *name = ykit_text(cn);
	if (!name) {
		cfn_err(C, tpl, cn,
			"Fn::If: the first item must be a "
			"condition name");
		return cv_error(C, tpl, fn);
	}
	const char *why;
	int c = cond_named(C, tpl, name, cn, &why);
	if (c == -2)
		return cv_error(C, tpl, fn);
	if (c == -1)
		return cv_unknown(C, tpl, fn, "condition '%s' is unknown: %s",
				  name, why);
	return eval(C, tpl, tpl_seq_item(C, tpl, arg, c ? 1 : 2), false);
}

static struct cv *eval_fn(struct cfn *C, uint32_t tpl, const char *fn,
			  struct ydoc_node *n, struct ydoc_node *arg, bool self)
{
	if (!*fn)
		return cv_error(C, tpl, n);
	if (!strcmp(fn, "Ref")) {
		const char *name = ykit_text(arg);
		if (!name) {
			cfn_err(C, tpl, n, "Ref takes a name, not %s",
				ykit_value_name(arg));
			return cv_error(C, tpl, n);
		}
		return ref_name(C, tpl, name, n);
	}
	if (!strcmp(fn, "Fn::GetAtt")) {
		const char *res = NULL, *attr = NULL;
		if (arg->type == YAML_SCALAR_NODE) {
			const char *s = ykit_text(arg);
			const char *dot = strchr(s, '.');
			if (dot) {
				res =
				    arena_strndup(&C->a, s, (size_t)(dot - s));
				attr = dot + 1;
			}
		} else if (arg->type == YAML_SEQUENCE_NODE &&
			   ykit_seq_len(arg) == 2) {
			res = ykit_text(tpl_seq_item(C, tpl, arg, 0));
			struct cv *a =
			    eval(C, tpl, tpl_seq_item(C, tpl, arg, 1), false);
			if (bad(a))
				return a;
			const char *why;
			attr = cfn_text(C, a, &why);
		}
		if (!res || !attr || !*res || !*attr) {
			cfn_err(C, tpl, n,
				"Fn::GetAtt takes [LogicalName, Attribute] or "
				"LogicalName.Attribute");
			return cv_error(C, tpl, n);
		}
		uint32_t r = cfn_find(C, tpl, res);
		if (r == CFN_NONE) {
			const char *near = near_name(C, tpl, res, false, true);
			cfn_err(
			    C, tpl, n,
			    "Fn::GetAtt of '%s', which is no resource of the "
			    "template%s%s%s",
			    res, near ? " (did you mean '" : "",
			    near ? near : "", near ? "'?)" : "");
			return cv_error(C, tpl, n);
		}
		return get_att(C, tpl, r, attr, n);
	}
	if (!strcmp(fn, "Fn::Sub"))
		return fn_sub(C, tpl, n, arg, self);
	if (!strcmp(fn, "Fn::Join"))
		return fn_join(C, tpl, n, arg);
	if (!strcmp(fn, "Fn::Select"))
		return fn_select(C, tpl, n, arg);
	if (!strcmp(fn, "Fn::Split"))
		return fn_split(C, tpl, n, arg);
	if (!strcmp(fn, "Fn::GetAZs"))
		return fn_getazs(C, tpl, n, arg, self);
	if (!strcmp(fn, "Fn::Cidr"))
		return fn_cidr(C, tpl, n, arg);
	if (!strcmp(fn, "Fn::If"))
		return fn_if(C, tpl, n, arg);
	if (!strcmp(fn, "Fn::FindInMap"))
		return fn_findinmap(C, tpl, n, arg);
	if (!strcmp(fn, "Fn::ImportValue"))
		return fn_importvalue(C, tpl, n, arg, self);
	if (!strcmp(fn, "Fn::Base64"))
		return eval(C, tpl, arg, self);
	if (!strcmp(fn, "Fn::Length")) {
		struct cv *l =
		    want_list(C, tpl, "Fn::Length", eval(C, tpl, arg, self));
		if (bad(l))
			return l;
		return cv_str(C, tpl, n, arena_printf(&C->a, "%u", l->n));
	}
	if (!strcmp(fn, "Fn::Equals") || !strcmp(fn, "Fn::And") ||
	    !strcmp(fn, "Fn::Or") || !strcmp(fn, "Fn::Not") ||
	    !strcmp(fn, "Condition")) {
		const char *why;
		int c = cond_node(C, tpl, n, &why);
		if (c == -2)
			return cv_error(C, tpl, n);
		if (c == -1)
			return cv_unknown(C, tpl, n, "%s", why);
		return cv_str(C, tpl, n, c ? "true" : "false");
	}
	return cv_unknown(C, tpl, n, "%s is not evaluated by vpcsim", fn);
}

static struct cv *eval(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
		       bool raw)
{
	if (!within_budget(C, tpl, n, 0))
		return cv_error(C, tpl, n);
	if (++C->depth > MAX_DEPTH) {
		C->depth--;
		cfn_err(C, tpl, n,
			"the template nests too deeply here (more than %d "
			"levels, counting Fn::GetAtt through other "
			"resources)",
			MAX_DEPTH);
		return cv_error(C, tpl, n);
	}
	struct cv *v = NULL;
	struct ydoc_node *arg;
	bool self;
	const char *fn = fn_of(C, tpl, n, false, raw, &arg, &self);
	if (fn) {
		v = eval_fn(C, tpl, fn, n, arg, self);
	} else if (n->type == YAML_SCALAR_NODE) {
		v = ykit_is_null(n) && !raw ? cv_new(C, CV_NOVALUE, tpl, n)
					    : cv_str(C, tpl, n, cfn_scalar(n));
	} else if (n->type == YAML_SEQUENCE_NODE) {
		v = cv_new(C, CV_LIST, tpl, n);
		v->items =
		    arena_array(&C->a, ykit_seq_len(n), sizeof(*v->items));
		for (uint32_t i = 0; i < ykit_seq_len(n); i++) {
			struct cv *e =
			    eval(C, tpl, tpl_seq_item(C, tpl, n, i), false);
			if (e->kind != CV_NOVALUE)
				v->items[v->n++] = e;
		}
	} else if (n->type == YAML_MAPPING_NODE) {
		size_t len = (size_t)(n->data.mapping.pairs.top -
				      n->data.mapping.pairs.start);
		v = cv_new(C, CV_MAP, tpl, n);
		v->items = arena_array(&C->a, len, sizeof(*v->items));
		v->keys = arena_array(&C->a, len, sizeof(*v->keys));
		v->key_nodes = arena_array(&C->a, len, sizeof(*v->key_nodes));
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++) {
			struct ydoc_node *k = tpl_node(C, tpl, p->key);
			const char *ks = ykit_text(k);
			if (!ks) {
				cfn_err(C, tpl, k,
					"a key must be a string, not %s",
					ykit_value_name(k));
				continue;
			}
			struct cv *e =
			    eval(C, tpl, tpl_node(C, tpl, p->value), false);
			if (e->kind == CV_NOVALUE)
				continue;
			v->keys[v->n] = ks;
			v->key_nodes[v->n] = k;
			v->items[v->n++] = e;
		}
	} else {
		v = cv_new(C, CV_NOVALUE, tpl, n);
	}
	C->depth--;
	return v;
}

static void eval_resource(struct cfn *C, uint32_t r)
{
	struct cfn_res *R = &C->res[r];
	if (R->state)
		return; /* done, or in progress: the cycle check reports it */
	R->state = 1;
	uint32_t saved = C->cur_res;
	C->cur_res = r;
	if (R->props_node && R->props_node->type != YAML_MAPPING_NODE &&
	    !ykit_is_null(R->props_node)) {
		cfn_err(C, R->tpl, R->props_node,
			"Properties of '%s' must be a mapping, not %s",
			R->logical, ykit_value_name(R->props_node));
		R->props = cv_new(C, CV_MAP, R->tpl, R->key);
	} else if (R->props_node && R->props_node->type == YAML_MAPPING_NODE) {
		R->props = eval(C, R->tpl, R->props_node, false);
		if (R->props->kind != CV_MAP) {
			/* Properties: !If [...] and the like */
			if (R->props->kind == CV_UNKNOWN)
				cfn_err(
				    C, R->tpl, R->props_node,
				    "the Properties of '%s' are unknown: %s",
				    R->logical, R->props->s);
			R->props = cv_new(C, CV_MAP, R->tpl, R->key);
		}
	} else {
		R->props = cv_new(C, CV_MAP, R->tpl, R->key);
	}
	/* DependsOn: names only, but they count for the cycle check. */
	struct ydoc_node *dn =
	    tpl_map_get(C, R->tpl, R->node, "DependsOn", NULL);
	if (dn) {
		uint32_t nd =
		    dn->type == YAML_SEQUENCE_NODE ? ykit_seq_len(dn) : 1;
		for (uint32_t i = 0; i < nd; i++) {
			struct ydoc_node *e =
			    dn->type == YAML_SEQUENCE_NODE
				? tpl_seq_item(C, R->tpl, dn, i)
				: dn;
			const char *name = ykit_text(e);
			uint32_t d =
			    name ? cfn_find(C, R->tpl, name) : CFN_NONE;
			if (d != CFN_NONE) {
				add_dep(C, d);
				continue;
			}
			const char *near =
			    name ? near_name(C, R->tpl, name, false, true)
				 : NULL;
			cfn_err(C, R->tpl, e,
				"DependsOn names '%s', which is no resource of "
				"the template%s%s%s",
				name ? name : "?",
				near ? " (did you mean '" : "",
				near ? near : "", near ? "'?)" : "");
		}
	}
	C->cur_res = saved;
	R->state = 2;
}

/* ---- resource metadata ----------------------------------------------------
 *
 * cfn-init reads a resource's AWS::CloudFormation::Init metadata on the
 * instance; CloudFormation resolves the intrinsics in it.  vpcsim reads
 * only what it looks for there, so only the calls that hold it are
 * evaluated: the rest of the metadata raises no diagnostics.
 */

/* Whether a scalar value under n holds needle, read as written (keys
 * are names, not values).  Each node visited counts against the
 * evaluation budget, as aliases can make a small document a large walk. */
static bool raw_holds(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
		      const char *needle, int depth)
{
	if (!n || depth > MAX_DEPTH || !within_budget(C, tpl, n, 0))
		return false;
	if (n->type == YAML_SCALAR_NODE) {
		const char *s = ykit_text(n);
		return s && strstr(s, needle);
	}
	if (n->type == YAML_SEQUENCE_NODE) {
		for (uint32_t i = 0; i < ykit_seq_len(n); i++)
			if (raw_holds(C, tpl, tpl_seq_item(C, tpl, n, i),
				      needle, depth + 1))
				return true;
		return false;
	}
	if (n->type == YAML_MAPPING_NODE)
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     p < n->data.mapping.pairs.top; p++)
			if (raw_holds(C, tpl, tpl_node(C, tpl, p->value),
				      needle, depth + 1))
				return true;
	return false;
}

/* The smallest call or scalar under n that holds needle, evaluated, if
 * its value is text that still holds it. */
static const char *meta_find(struct cfn *C, uint32_t tpl, struct ydoc_node *n,
			     const char *needle, int depth)
{
	if (!raw_holds(C, tpl, n, needle, depth))
		return NULL;
	struct ydoc_node *arg;
	bool self;
	const char *fn = fn_of(C, tpl, n, false, false, &arg, &self);
	if (fn && !*fn)
		return NULL; /* an unknown tag, reported */
	if (fn || n->type == YAML_SCALAR_NODE) {
		struct cv *v = eval(C, tpl, n, false);
		return v->kind == CV_STR && strstr(v->s, needle) ? v->s : NULL;
	}
	const char *s = NULL;
	if (n->type == YAML_SEQUENCE_NODE)
		for (uint32_t i = 0; !s && i < ykit_seq_len(n); i++)
			s = meta_find(C, tpl, tpl_seq_item(C, tpl, n, i),
				      needle, depth + 1);
	else if (n->type == YAML_MAPPING_NODE)
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
		     !s && p < n->data.mapping.pairs.top; p++)
			s = meta_find(C, tpl, tpl_node(C, tpl, p->value),
				      needle, depth + 1);
	return s;
}

const char *cfn_metadata_text(struct cfn *C, uint32_t r, const char *key,
			      const char *needle)
{
	struct cfn_res *R = &C->res[r];
	struct ydoc_node *md =
	    tpl_map_get(C, R->tpl, R->node, "Metadata", NULL);
	struct ydoc_node *n = md && md->type == YAML_MAPPING_NODE
				  ? tpl_map_get(C, R->tpl, md, key, NULL)
				  : NULL;
	if (!n)
		return NULL;
	uint32_t saved = C->cur_res;
	C->cur_res = r;
	const char *s = meta_find(C, R->tpl, n, needle, 0);
	C->cur_res = saved;
	return s;
}

/* ---- dependency cycles -------------------------------------------------- */

/* The cycle that closes at d, on the stack from d to its top. */
static void report_cycle(struct cfn *C, uint32_t d, const uint32_t *stack,
			 uint32_t depth, bool *reported)
{
	uint32_t from = depth;
	while (from > 0 && stack[from - 1] != d)
		from--;
	from--;
	struct strbuf b = {0};
	for (uint32_t k = from; k < depth; k++) {
		const char *l = C->res[stack[k]].logical;
		if (b.n < 200) {
			strbuf_add(&b, l, strlen(l));
			strbuf_add(&b, " -> ", 4);
		}
		reported[stack[k]] = true;
	}
	if (b.n >= 200)
		strbuf_add(&b, "... -> ", 7);
	strbuf_add(&b, C->res[d].logical, strlen(C->res[d].logical));
	cfn_err(C, C->res[d].tpl, C->res[d].key,
		"circular dependency between resources: %s", strbuf_str(&b));
	strbuf_free(&b);
}

/* Depth-first search with its own stack: a chain of a hundred thousand
 * DependsOn must not overflow the process stack. */
static void check_cycles(struct cfn *C)
{
	uint8_t *color = xcalloc(C->n_res + 1, 1);
	bool *reported = xcalloc(C->n_res + 1, sizeof(bool));
	uint32_t *stack = xcalloc(C->n_res + 1, sizeof(uint32_t));
	uint32_t *next = xcalloc(C->n_res + 1, sizeof(uint32_t));
	for (uint32_t root = 0; root < C->n_res; root++) {
		if (color[root])
			continue;
		uint32_t depth = 0;
		color[root] = 1;
		stack[depth] = root;
		next[depth++] = 0;
		while (depth) {
			uint32_t r = stack[depth - 1];
			struct cfn_res *R = &C->res[r];
			if (next[depth - 1] == R->n_deps) {
				color[r] = 2;
				depth--;
				continue;
			}
			uint32_t d = R->deps[next[depth - 1]++];
			if (color[d] == 0) {
				color[d] = 1;
				stack[depth] = d;
				next[depth++] = 0;
			} else if (color[d] == 1 && !reported[d]) {
				report_cycle(C, d, stack, depth, reported);
			}
		}
	}
	free(color);
	free(reported);
	free(stack);
	free(next);
}

/* ---- sections ----------------------------------------------------------- */

/* A template's sections, indexing top_keys. */
enum tpl_section {
	SEC_VERSION,
	SEC_DESCRIPTION,
	SEC_METADATA,
	SEC_PARAMETERS,
	SEC_RULES,
	SEC_MAPPINGS,
	SEC_CONDITIONS,
	SEC_TRANSFORM,
	SEC_RESOURCES,
	SEC_OUTPUTS,
	SEC_COUNT
};

static const char *const top_keys[SEC_COUNT] = {
    [SEC_VERSION] = "AWSTemplateFormatVersion",
    [SEC_DESCRIPTION] = "Description",
    [SEC_METADATA] = "Metadata",
    [SEC_PARAMETERS] = "Parameters",
    [SEC_RULES] = "Rules",
    [SEC_MAPPINGS] = "Mappings",
    [SEC_CONDITIONS] = "Conditions",
    [SEC_TRANSFORM] = "Transform",
    [SEC_RESOURCES] = "Resources",
    [SEC_OUTPUTS] = "Outputs",
};

static const char *const res_keys[] = {
    "Type",	      "Properties",	"DependsOn",	"Condition",
    "Metadata",	      "DeletionPolicy", "UpdatePolicy", "UpdateReplacePolicy",
    "CreationPolicy", "Version",	"Description",
};

/* The stack name: the file's base name without its extensions. */
static const char *stack_name(struct cfn *C, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t len = strcspn(base, ".");
	if (!len)
		len = strlen(base);
	return arena_strndup(&C->a, base, len);
}

static uint32_t count_pairs(struct ydoc_node *n)
{
	return n && n->type == YAML_MAPPING_NODE
		   ? (uint32_t)(n->data.mapping.pairs.top -
				n->data.mapping.pairs.start)
		   : 0;
}

/* Section nodes of one template; counts its resources. */
static void read_sections(struct cfn *C, uint32_t t, struct ydoc_node **sec)
{
	struct cfn_tpl *T = &C->tpls[t];
	struct ydoc_node *root = T->root;
	/* A transform's own sections (SAM's Globals) are the transform's
	 * to read; the Transform warning below says it is not applied. */
	bool transform = tpl_map_get(C, t, root, "Transform", NULL) != NULL;
	for (size_t i = 0; i < ARRAY_LEN(top_keys); i++)
		sec[i] = NULL;
	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		struct ydoc_node *k = tpl_node(C, t, p->key);
		const char *ks = ykit_text(k);
		size_t i;
		for (i = 0; ks && i < ARRAY_LEN(top_keys); i++)
			if (!strcmp(ks, top_keys[i]))
				break;
		if (transform && ks && !strcmp(ks, "Globals"))
			continue;
		if (!ks || i == ARRAY_LEN(top_keys)) {
			const char *near =
			    ks ? util_closest(ks, top_keys, ARRAY_LEN(top_keys))
			       : NULL;
			cfn_err(C, t, k, "unknown template section '%s'%s%s%s",
				ks ? ks : "?", near ? " (did you mean '" : "",
				near ? near : "", near ? "'?)" : "");
			continue;
		}
		sec[i] = tpl_node(C, t, p->value);
		/* Sections from Metadata on are mappings, but Transform. */
		if (sec[i]->type != YAML_MAPPING_NODE && i >= SEC_METADATA &&
		    i != SEC_TRANSFORM && !ykit_is_null(sec[i])) {
			cfn_err(C, t, sec[i], "%s must be a mapping, not %s",
				top_keys[i], ykit_value_name(sec[i]));
			sec[i] = NULL;
		}
	}
	if (sec[SEC_TRANSFORM]) {
		const char *tr = ykit_text(sec[SEC_TRANSFORM]);
		cfn_warn(C, t, sec[SEC_TRANSFORM],
			 "Transform %s%s%s is not applied: vpcsim reads the "
			 "template as written",
			 tr ? "'" : "", tr ? tr : "(list)", tr ? "'" : "");
	}
	if (!sec[SEC_RESOURCES])
		cfn_err(C, t, root, "a template needs a Resources section");
	T->mappings = sec[SEC_MAPPINGS];
	T->n_res = count_pairs(sec[SEC_RESOURCES]);
}

static void read_params(struct cfn *C, uint32_t t, struct ydoc_node *sec)
{
	struct cfn_tpl *T = &C->tpls[t];
	uint32_t n = count_pairs(sec);
	T->params = arena_array(&C->a, n, sizeof(*T->params));
	for (uint32_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &sec->data.mapping.pairs.start[i];
		struct cfn_param *P = &T->params[T->n_params];
		P->key = tpl_node(C, t, p->key);
		P->node = tpl_node(C, t, p->value);
		P->name = ykit_text(P->key);
		if (!P->name)
			continue;
		if (P->node->type != YAML_MAPPING_NODE) {
			cfn_err(C, t, P->node,
				"parameter '%s' must be a mapping with a Type",
				P->name);
			continue;
		}
		struct ydoc_node *type =
		    tpl_map_get(C, t, P->node, "Type", NULL);
		P->type = ykit_text(type);
		if (!P->type)
			cfn_err(C, t, P->key, "parameter '%s' needs a Type",
				P->name);
		T->n_params++;
	}
	T->param_idx = arena_array(&C->a, T->n_params, sizeof(*T->param_idx));
	for (uint32_t i = 0; i < T->n_params; i++)
		T->param_idx[i] = (struct cfn_name){T->params[i].name, i};
	if (T->n_params)
		qsort(T->param_idx, T->n_params, sizeof(*T->param_idx),
		      cfn_name_cmp);
}

static void read_conds(struct cfn *C, uint32_t t, struct ydoc_node *sec)
{
	struct cfn_tpl *T = &C->tpls[t];
	uint32_t n = count_pairs(sec);
	T->conds = arena_array(&C->a, n, sizeof(*T->conds));
	for (uint32_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &sec->data.mapping.pairs.start[i];
		struct cfn_cond *c = &T->conds[T->n_conds];
		c->key = tpl_node(C, t, p->key);
		c->node = tpl_node(C, t, p->value);
		c->name = ykit_text(c->key);
		if (c->name)
			T->n_conds++;
	}
	T->cond_idx = arena_array(&C->a, T->n_conds, sizeof(*T->cond_idx));
	for (uint32_t i = 0; i < T->n_conds; i++)
		T->cond_idx[i] = (struct cfn_name){T->conds[i].name, i};
	if (T->n_conds)
		qsort(T->cond_idx, T->n_conds, sizeof(*T->cond_idx),
		      cfn_name_cmp);
}

static void read_outputs(struct cfn *C, uint32_t t, struct ydoc_node *sec)
{
	struct cfn_tpl *T = &C->tpls[t];
	uint32_t n = count_pairs(sec);
	T->outputs = arena_array(&C->a, n, sizeof(*T->outputs));
	for (uint32_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &sec->data.mapping.pairs.start[i];
		struct cfn_output *o = &T->outputs[T->n_outputs];
		o->key = tpl_node(C, t, p->key);
		o->name = ykit_text(o->key);
		struct ydoc_node *v = tpl_node(C, t, p->value);
		if (!o->name)
			continue;
		if (v->type != YAML_MAPPING_NODE) {
			cfn_err(C, t, v, "output '%s' must be a mapping",
				o->name);
			continue;
		}
		o->value_node = tpl_map_get(C, t, v, "Value", NULL);
		o->export_node = tpl_map_get(C, t, v, "Export", NULL);
		o->cond_node = tpl_map_get(C, t, v, "Condition", NULL);
		T->n_outputs++;
	}
}

static void read_resources(struct cfn *C, uint32_t t, struct ydoc_node *sec)
{
	struct cfn_tpl *T = &C->tpls[t];
	uint32_t n = count_pairs(sec);
	for (uint32_t i = 0; i < n; i++) {
		yaml_node_pair_t *p = &sec->data.mapping.pairs.start[i];
		struct cfn_res *R = &C->res[C->n_res];
		R->tpl = t;
		R->key = tpl_node(C, t, p->key);
		R->node = tpl_node(C, t, p->value);
		R->logical = ykit_text(R->key);
		R->kind = MK_KIND_COUNT;
		R->index = R->aux = R->default_sg = R->default_nacl = CFN_NONE;
		R->child = CFN_NONE;
		R->included = 1;
		if (!R->logical || !*R->logical) {
			cfn_err(C, t, R->key, "a resource needs a logical id");
			continue;
		}
		if (!strncmp(R->logical, "Fn::ForEach", 11)) {
			cfn_err(
			    C, t, R->key,
			    "Fn::ForEach (AWS::LanguageExtensions) is not "
			    "supported: give vpcsim the processed template");
			continue;
		}
		if (R->node->type != YAML_MAPPING_NODE) {
			cfn_err(C, t, R->node,
				"resource '%s' must be a mapping with a Type",
				R->logical);
			continue;
		}
		for (yaml_node_pair_t *q = R->node->data.mapping.pairs.start;
		     q < R->node->data.mapping.pairs.top; q++) {
			struct ydoc_node *k = tpl_node(C, t, q->key);
			const char *ks = ykit_text(k);
			size_t j;
			for (j = 0; ks && j < ARRAY_LEN(res_keys); j++)
				if (!strcmp(ks, res_keys[j]))
					break;
			if (ks && j < ARRAY_LEN(res_keys))
				continue;
			const char *near =
			    ks ? util_closest(ks, res_keys, ARRAY_LEN(res_keys))
			       : NULL;
			cfn_err(C, t, k,
				"unknown attribute '%s' of resource '%s'%s%s%s",
				ks ? ks : "?", R->logical,
				near ? " (did you mean '" : "",
				near ? near : "", near ? "'?)" : "");
		}
		struct ydoc_node *type =
		    tpl_map_get(C, t, R->node, "Type", NULL);
		R->type = ykit_text(type);
		if (!R->type) {
			cfn_err(C, t, R->key, "resource '%s' needs a Type",
				R->logical);
			continue;
		}
		R->props_node = tpl_map_get(C, t, R->node, "Properties", NULL);
		C->n_res++;
	}
	T->n_res = C->n_res - T->first_res;
}

static int sorted_cmp(const void *a, const void *b, void *ctx)
{
	struct cfn *C = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return sorted_cmp_key(C, x, C->res[y].tpl, C->res[y].logical);
}

/* Insertion-free sort: qsort has no context argument in C11. */
static void sort_ids(struct cfn *C)
{
	C->sorted = arena_array(&C->a, C->n_res, sizeof(*C->sorted));
	for (uint32_t i = 0; i < C->n_res; i++)
		C->sorted[i] = i;
	/* Shell sort with a context. */
	for (uint32_t gap = C->n_res / 2; gap > 0; gap /= 2)
		for (uint32_t i = gap; i < C->n_res; i++) {
			uint32_t v = C->sorted[i], j = i;
			while (j >= gap &&
			       sorted_cmp(&C->sorted[j - gap], &v, C) > 0) {
				C->sorted[j] = C->sorted[j - gap];
				j -= gap;
			}
			C->sorted[j] = v;
		}
	for (uint32_t i = 1; i < C->n_res; i++) {
		struct cfn_res *a = &C->res[C->sorted[i - 1]],
			       *b = &C->res[C->sorted[i]];
		if (a->tpl == b->tpl && !strcmp(a->logical, b->logical)) {
			struct src_loc l = cfn_loc(C, a->tpl, a->key);
			cfn_err(C, b->tpl, b->key,
				"resource '%s' defined twice (first at %u:%u)",
				b->logical, l.line, l.col);
		}
	}
}

/* vpcsim ids: the logical id, or STACK.logical when another loaded root
 * template uses the same logical id; a nested stack's resources are
 * named after their stack resource (Network.Vpc, Network.Nat.Eni), which
 * keeps them apart and says where they come from.  Parents come first,
 * so a stack resource has its id before its children need it. */
static void assign_ids(struct cfn *C)
{
	for (uint32_t t = 0; t < C->n_tpls; t++) {
		struct cfn_tpl *T = &C->tpls[t];
		for (uint32_t i = 0; i < T->n_res; i++) {
			struct cfn_res *R = &C->res[T->first_res + i];
			if (T->parent != CFN_NONE) {
				R->id = arena_printf(&C->m->arena, "%s.%s",
						     C->res[T->stack_res].id,
						     R->logical);
				continue;
			}
			bool clash = false;
			for (uint32_t u = 0; u < C->n_tpls && !clash; u++)
				clash = u != t &&
					C->tpls[u].parent == CFN_NONE &&
					cfn_find(C, u, R->logical) != CFN_NONE;
			R->id = clash ? arena_printf(&C->m->arena, "%s.%s",
						     T->stack, R->logical)
				      : arena_strdup(&C->m->arena, R->logical);
		}
	}
}

struct cfn_export {
	const char *name;
	uint32_t t, i;
};

/* By name, then in the order read. */
static int export_cmp(const void *a, const void *b)
{
	const struct cfn_export *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* --param's syntax, and the pseudo parameters they set: region, account
 * and what follows from the region. */
static void read_pseudo_params(struct cfn *C)
{
	C->param_used = arena_array(&C->a, C->n_params + 1, sizeof(bool));
	C->region = "us-east-1";
	C->account = "123456789012";
	for (size_t i = 0; i < C->n_params; i++) {
		const char *eq = strchr(C->params[i], '=');
		if (!eq || eq == C->params[i]) {
			diag_add(C->diags, DIAG_ERROR, NULL, 0, 0,
				 "--param takes NAME=VALUE, not '%s'",
				 C->params[i]);
			C->param_used[i] = true;
		}
	}
	const char *r = param_given(C, "AWS::Region");
	if (r && *r)
		C->region = r;
	const char *acct = param_given(C, "AWS::AccountId");
	if (acct && *acct)
		C->account = acct;
	C->partition = !strncmp(C->region, "cn-", 3)	   ? "aws-cn"
		       : !strncmp(C->region, "us-gov-", 7) ? "aws-us-gov"
							   : "aws";
	C->url_suffix = !strncmp(C->region, "cn-", 3) ? "amazonaws.com.cn"
						      : "amazonaws.com";
	C->m->region = arena_strdup(&C->m->arena, C->region);
}

/* Stack names: AWS::StackName when given, else each file's; unique, as
 * they qualify clashing ids.  A nested stack is named after its parent
 * and its stack resource, as CloudFormation names it (without the random
 * suffix). */
static void name_stacks(struct cfn *C, const char **names)
{
	const char *sn = param_given(C, "AWS::StackName");
	for (uint32_t t = 0; t < C->n_tpls; t++) {
		struct cfn_tpl *T = &C->tpls[t];
		if (T->parent != CFN_NONE)
			T->stack = arena_printf(&C->a, "%s-%s",
						C->tpls[T->parent].stack,
						C->res[T->stack_res].logical);
		else if (sn && *sn)
			T->stack = sn;
	}
	for (uint32_t t = 1; t < C->n_tpls; t++) {
		if (C->tpls[t].parent != CFN_NONE)
			continue;
		for (int k = 2;; k++) {
			bool clash = false;
			for (uint32_t u = 0; u < t && !clash; u++)
				clash =
				    C->tpls[u].parent == CFN_NONE &&
				    !strcmp(C->tpls[u].stack, C->tpls[t].stack);
			if (!clash)
				break;
			C->tpls[t].stack = arena_printf(
			    &C->a, "%s-%d", stack_name(C, names[t]), k);
		}
	}
}

/* Which resources exist: their Condition (1 yes, 0 no, -1 unknown; an
 * erroneous one counts as yes). */
static void resource_conditions(struct cfn *C)
{
	for (uint32_t i = 0; i < C->n_res; i++) {
		struct cfn_res *R = &C->res[i];
		struct ydoc_node *cn =
		    tpl_map_get(C, R->tpl, R->node, "Condition", NULL);
		if (!cn)
			continue;
		const char *name = ykit_text(cn);
		if (!name) {
			cfn_err(C, R->tpl, cn,
				"a resource's Condition must be a condition "
				"name");
			continue;
		}
		const char *why;
		int c = cond_named(C, R->tpl, name, cn, &why);
		R->included = c == -2 ? 1 : c;
		R->cond_why = why;
	}
}

/* Every included resource, then every condition and output, so that
 * errors in any of them are reported even when nothing uses them. */
static void eval_all(struct cfn *C)
{
	for (uint32_t i = 0; i < C->n_res; i++)
		if (C->res[i].included)
			eval_resource(C, i);
	for (uint32_t t = 0; t < C->n_tpls; t++) {
		struct cfn_tpl *T = &C->tpls[t];
		for (uint32_t i = 0; i < T->n_conds; i++) {
			const char *why;
			cond_named(C, t, T->conds[i].name, T->conds[i].key,
				   &why);
		}
		for (uint32_t i = 0; i < T->n_outputs; i++)
			eval_output(C, t, &T->outputs[i]);
	}
}

/* Export names are unique across the loaded templates: sorted, each
 * repeat is reported against the first. */
static void check_exports(struct cfn *C)
{
	uint32_t ne = 0;
	for (uint32_t t = 0; t < C->n_tpls; t++)
		ne += C->tpls[t].n_outputs;
	struct cfn_export *ex = xcalloc(ne + 1, sizeof(*ex));
	ne = 0;
	for (uint32_t t = 0; t < C->n_tpls; t++)
		for (uint32_t i = 0; i < C->tpls[t].n_outputs; i++)
			if (C->tpls[t].outputs[i].export_name)
				ex[ne++] = (struct cfn_export){
				    C->tpls[t].outputs[i].export_name, t, i};
	if (ne)
		qsort(ex, ne, sizeof(*ex), export_cmp);
	for (uint32_t k = 1, first = 0; k < ne; k++) {
		if (strcmp(ex[k].name, ex[first].name)) {
			first = k;
			continue;
		}
		struct cfn_output *o = &C->tpls[ex[k].t].outputs[ex[k].i];
		struct cfn_output *p =
		    &C->tpls[ex[first].t].outputs[ex[first].i];
		struct src_loc l = cfn_loc(C, ex[first].t, p->key);
		cfn_err(C, ex[k].t, o->key,
			"export '%s' is also exported by %s:%u:%u",
			o->export_name, l.file, l.line, l.col);
	}
	free(ex);
}

/* A --param NAME=VALUE no template used: an error unless a template
 * declares NAME (then it was merely not needed). */
static void check_unused_param(struct cfn *C, const char *p)
{
	const char *eq = strchr(p, '=');
	char name[256];
	snprintf(name, sizeof(name), "%.*s", (int)(eq - p), p);
	bool declared = false;
	const char *names_all[256];
	size_t nn = 0;
	for (uint32_t t = 0; t < C->n_tpls; t++)
		for (uint32_t k = 0; k < C->tpls[t].n_params; k++) {
			declared |= !strcmp(C->tpls[t].params[k].name, name);
			if (nn < 256)
				names_all[nn++] = C->tpls[t].params[k].name;
		}
	if (declared)
		return;
	const char *near = util_closest(name, names_all, nn);
	diag_add(C->diags, DIAG_ERROR, NULL, 0, 0,
		 "--param %s: no loaded template declares a parameter "
		 "'%s'%s%s%s",
		 name, name, near ? " (did you mean '" : "", near ? near : "",
		 near ? "'?)" : "");
}

/* Each child instance's stack resource in its parent, once the parent's
 * resources are read; a child whose stack resource is gone (the plan was
 * made by an earlier round) becomes a root. */
static void link_children(struct cfn *C, const struct cfn_inst *inst)
{
	for (uint32_t t = 0; t < C->n_tpls; t++) {
		struct cfn_tpl *T = &C->tpls[t];
		if (T->parent == CFN_NONE)
			continue;
		T->stack_res = cfn_find(C, T->parent, inst[t].stack);
		if (T->stack_res == CFN_NONE)
			T->parent = CFN_NONE;
		else
			C->res[T->stack_res].child = t;
	}
}

int cfn_prepare(struct cfn *C, const struct cfn_inst *inst, size_t n)
{
	size_t before = C->diags->n_errors;
	C->cur_res = CFN_NONE;
	read_pseudo_params(C);
	C->n_tpls = (uint32_t)n;
	C->tpls = arena_array(&C->a, n, sizeof(*C->tpls));
	const char **names = arena_array(&C->a, n, sizeof(*names));
	struct ydoc_node *(*secs)[SEC_COUNT] =
	    arena_array(&C->a, n, sizeof(*secs));
	uint32_t total = 0;
	for (uint32_t t = 0; t < n; t++) {
		struct cfn_tpl *T = &C->tpls[t];
		names[t] = C->docs->v[inst[t].doc].path;
		T->doc = C->docs->v[inst[t].doc].doc;
		T->file = arena_strdup(&C->m->arena, names[t]);
		T->root = ydoc_root(T->doc);
		T->stack = stack_name(C, names[t]);
		T->entry = inst[t].doc;
		T->parent = inst[t].parent;
		T->stack_res = CFN_NONE;
		read_sections(C, t, secs[t]);
		total += T->n_res;
	}
	if (total > CFN_MAX_RESOURCES) {
		cfn_err(C, 0, C->tpls[0].root,
			"%u resources: more than the limit of %u in the "
			"templates of one model (CloudFormation's own is 500 "
			"a template)",
			total, (unsigned)CFN_MAX_RESOURCES);
		return -1;
	}
	C->res = arena_array(&C->a, total, sizeof(*C->res));
	for (uint32_t t = 0; t < n; t++) {
		C->tpls[t].first_res = C->n_res;
		read_params(C, t, secs[t][SEC_PARAMETERS]);
		read_conds(C, t, secs[t][SEC_CONDITIONS]);
		read_outputs(C, t, secs[t][SEC_OUTPUTS]);
		read_resources(C, t, secs[t][SEC_RESOURCES]);
	}
	sort_ids(C);
	link_children(C, inst);
	name_stacks(C, names);
	assign_ids(C);
	resource_conditions(C);
	eval_all(C);
	check_exports(C);
	check_cycles(C);
	for (size_t i = 0; i < C->n_params; i++)
		if (!C->param_used[i])
			check_unused_param(C, C->params[i]);
	return C->diags->n_errors == before ? 0 : -1;
}

void cfn_free(struct cfn *C)
{
	arena_free(&C->a);
	free(C->imports);
	C->imports = NULL;
	C->n_imports = 0;
}
