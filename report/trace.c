/*
 * `vpcsim trace` and `vpcsim reach` output.  Text is written for a person
 * learning why a packet gets through or not: one line per step, the rule
 * that decided and where it is written, then the verdict.  JSON carries the
 * same facts with the §14 vocabulary (docs/reach-json.md).
 */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/util.h"
#include "report/json.h"
#include "report/report.h"

static const char *flow_proto(struct sim_flow f)
{
	return proto_name(f.proto);
}

static const char *comp_id(const struct sim *s, const struct sim_step *st)
{
	if (st->comp_kind >= MK_KIND_COUNT)
		return NULL;
	const struct model *m = sim_model(s);
	if (st->comp_index >= m->n[st->comp_kind])
		return NULL;
	return model_object(m, st->comp_kind, st->comp_index)->id;
}

/* The step that decided the verdict, or NULL. */
static const struct sim_step *blocking(const struct sim_pair *p)
{
	if (p->res.block_step < 0 || (uint32_t)p->res.block_step >= p->trace.n)
		return NULL;
	return &p->trace.steps[p->res.block_step];
}

/* The step that decided the forward's verdict (§8), or NULL. */
static const struct sim_step *fwd_blocking(const struct sim_pair *p)
{
	int k = p->res.fwd.block_step;
	if (k < 0 || (uint32_t)k >= p->trace.n)
		return NULL;
	return &p->trace.steps[k];
}

/* ---- text ----------------------------------------------------------- */

#define WIDTH 80

/*
 * Text output: lines of at most WIDTH columns (a word longer than a line,
 * such as a long file name, stands alone), and what was said already:
 * the glossary terms explained (with --explain), and the whys and fixes
 * printed in full, which later pairs refer to as above.
 */
struct out {
	FILE *f;
	const struct sim *s;
	bool explain;
	bool said[128];
	char **seen;
	uint32_t n_seen, cap_seen;
	bool sample_noted, replies_noted;
};

static void out_free(struct out *o)
{
	for (uint32_t i = 0; i < o->n_seen; i++)
		free(o->seen[i]);
	free(o->seen);
}

/* Whether text was printed before; remembers it if not. */
static bool seen_before(struct out *o, const char *text)
{
	for (uint32_t i = 0; i < o->n_seen; i++)
		if (!strcmp(o->seen[i], text))
			return true;
	if (o->n_seen == o->cap_seen) {
		o->cap_seen = o->cap_seen ? 2 * o->cap_seen : 16;
		o->seen = xreallocarray(o->seen, o->cap_seen, sizeof(*o->seen));
	}
	o->seen[o->n_seen++] = xstrdup(text);
	return false;
}

/* indent spaces and lead, then text's words; continuation lines are
 * indented by indent + hang. */
static void wrap(struct out *o, int indent, const char *lead, const char *text,
		 int hang)
{
	int col = fprintf(o->f, "%*s%s", indent, "", lead);
	bool first = true;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " ");
		if (!first && col + 1 + (int)n > WIDTH) {
			col = fprintf(o->f, "\n%*s", indent + hang, "") - 1;
		} else if (!first) {
			fputc(' ', o->f);
			col++;
		}
		fwrite(p, 1, n, o->f);
		col += (int)n;
		first = false;
		p += n;
	}
	fputc('\n', o->f);
}

/* With --explain: one sentence on each glossary term of text not
 * explained yet, at indent. */
static void terms(struct out *o, int indent, const char *text)
{
	if (!o->explain || !text)
		return;
	uint32_t t[64];
	uint32_t n = report_terms_in(text, t, 64);
	for (uint32_t i = 0; i < n; i++) {
		if (t[i] >= sizeof(o->said) || o->said[t[i]])
			continue;
		o->said[t[i]] = true;
		wrap(o, indent, "* ", report_glossary[t[i]].sentence, 2);
	}
}

/* "network ACL": a kind as a sentence says it. */
static const char *kind_words(enum model_kind k)
{
	const char *l = model_kind_label(k);
	const char *sp = strchr(l, ' ');
	return sp ? sp + 1 : l;
}

/* Whether the model came from vpcsim's own format, where a fix's YAML
 * can be pasted as it is. */
static bool native(const struct sim *s)
{
	const char *fmt = sim_model(s)->format;
	return !fmt || !strcmp(fmt, "vpcsim");
}

/* "fix: SENTENCE; in the model:" and the snippet, or the reason there is
 * none; a fix printed before is "as above". */
static void fix_out(struct out *o, int indent, const struct sim_fix *fx)
{
	if (!fx->n) {
		char *t = xasprintf("none: %s.", fx->none ? fx->none : "");
		wrap(o, indent, "fix: ", t, 5);
		terms(o, indent, t);
		free(t);
		return;
	}
	char *yaml = report_fix_yaml(fx, 1, WIDTH - indent - 7);
	char *key = xasprintf("%s\n%s", fx->text ? fx->text : "", yaml);
	if (seen_before(o, key)) {
		wrap(o, indent, "fix: ", "as above.", 5);
	} else {
		bool paste = native(o->s);
		char *t = xasprintf("%s%s", fx->text ? fx->text : "",
				    paste ? "; in the model:" : ".");
		wrap(o, indent, "fix: ", t, 5);
		if (paste)
			for (const char *l = yaml; *l;) {
				size_t n = strcspn(l, "\n");
				fprintf(o->f, "%*s%.*s\n", indent + 7, "",
					(int)n, l);
				l += n + (l[n] == '\n');
			}
		terms(o, indent, t);
		free(t);
	}
	free(key);
	free(yaml);
}

/* The sample internet client, said once: what its address is. */
static void sample_note(struct out *o, const struct sim_ep *ep, int indent)
{
	if (o->sample_noted || ep->kind != EP_INTERNET)
		return;
	bool v6 = ep->v6 && !memcmp(ep->addr6, sim_internet6, 16);
	if (!v6 && (ep->v6 || ep->addr != SIM_INTERNET_ADDR))
		return;
	o->sample_noted = true;
	wrap(o, indent, "note    ",
	     v6 ? "2001:db8:ffff:ffff::7 is a sample IPv6 internet address "
		  "(from 2001:db8::/32, kept for examples): it stands for any "
		  "client on the internet."
		: "198.51.100.7 is a sample internet address (TEST-NET-2, a "
		  "range kept for examples): it stands for any client on the "
		  "internet.",
	     8);
}

/* Before the first reply step: what happens to replies, where it
 * applies (said once; text only, the engine's steps are the same). */
static void replies_note(struct out *o, const struct sim_step *st)
{
	if (o->replies_noted ||
	    (st->kind != SK_NACL_REPLY_OUT && st->kind != SK_NACL_REPLY_IN))
		return;
	o->replies_noted = true;
	const char *t = "the replies: security groups are stateful and let "
			"them back without a rule; network ACLs are stateless "
			"and check them again, on their way to the client's "
			"ephemeral port.";
	wrap(o, 2 + st->depth * 4, "note    ", t, 8);
	terms(o, 2 + st->depth * 4 + 8, t);
}

static void step_text(struct out *o, const struct sim_step *st)
{
	replies_note(o, st);
	const char *mark = st->block != BLK_NONE ? "BLOCKED"
			   : st->ports_total	 ? "PARTIAL"
			   : st->kind == SK_NOTE ? "note"
						 : "ok";
	int ind = 2 + st->depth * 4;
	char lead[16];
	snprintf(lead, sizeof(lead), "%-7s ", mark);
	struct strbuf b = {0};
	strbuf_printf(&b, "%s", st->text);
	if (st->loc.file && st->loc.line)
		strbuf_printf(&b, " [%s:%u]", st->loc.file, st->loc.line);
	if (st->block != BLK_NONE)
		strbuf_printf(&b, " (%s)", sim_block_name(st->block));
	wrap(o, ind, lead, strbuf_str(&b), 8);
	terms(o, ind + 8, strbuf_str(&b));
	strbuf_free(&b);
	if (st->hint) {
		wrap(o, ind + 8, "", st->hint, 0);
		terms(o, ind + 8, st->hint);
	}
	if (st->why) {
		if (seen_before(o, st->why)) {
			wrap(o, ind + 8, "why: ", "as above.", 5);
		} else {
			wrap(o, ind + 8, "why: ", st->why, 5);
			terms(o, ind + 8, st->why);
		}
	}
	if (st->fix)
		fix_out(o, ind + 8, st->fix);
}

/* "replies pass on 48384 of 64512 ephemeral ports, so about 25% of
 * connections fail" */
static void coverage_words(struct strbuf *b, uint32_t ok, uint32_t total)
{
	char fails[64];
	sim_fail_words(fails, sizeof(fails), ok, total);
	strbuf_printf(b, "replies pass on %u of %u ephemeral ports, so %s", ok,
		      total, fails);
}

static void verdict_line(struct out *o, const struct sim_pair *p)
{
	const struct sim *s = o->s;
	struct strbuf b = {0};
	if (p->res.unknown) {
		strbuf_printf(&b,
			      "caution: this verdict depends on a value the "
			      "model does not know: %s",
			      p->res.unknown);
		wrap(o, 2, "", strbuf_str(&b), 9);
		strbuf_clear(&b);
	}
	if (p->res.reachable) {
		strbuf_printf(&b, "reachable");
		if (p->res.degraded) {
			char den[256];
			ports_format(den, sizeof(den), &p->res.denied);
			strbuf_printf(&b, ", but degraded: ");
			coverage_words(&b, p->res.ports_ok, p->res.ports_total);
			strbuf_printf(&b, "; denied: %s", den);
		}
		wrap(o, 2, "verdict: ", strbuf_str(&b), 9);
		terms(o, 11, strbuf_str(&b));
		if (p->res.fwd.asked) {
			strbuf_clear(&b);
			const struct sim_fwd_verdict *v = &p->res.fwd;
			if (v->paths_ok)
				strbuf_printf(&b,
					      "served (%u of %u node-to-target "
					      "paths work)",
					      v->paths_ok, v->paths);
			else
				strbuf_printf(&b, "blocked at %s",
					      sim_block_name(v->block));
			if (v->degraded && v->paths_ok) {
				strbuf_printf(&b, ", but degraded: a path's ");
				coverage_words(&b, v->ports_ok, v->ports_total);
			}
			if (p->out_of_dns)
				strbuf_printf(
				    &b, "; no target of this node's zone is "
					"healthy, so the name's DNS answer "
					"leaves this node out");
			wrap(o, 2, "forward: ", strbuf_str(&b), 9);
			terms(o, 11, strbuf_str(&b));
		}
		strbuf_free(&b);
		return;
	}
	const struct sim_step *st = blocking(p);
	const char *id = st ? comp_id(s, st) : NULL;
	strbuf_printf(&b, "blocked at %s", sim_block_name(p->res.block));
	if (id)
		strbuf_printf(&b, " by %s %s", kind_words(st->comp_kind), id);
	if (p->res.degraded) {
		strbuf_printf(&b, ": ");
		coverage_words(&b, p->res.ports_ok, p->res.ports_total);
	}
	wrap(o, 2, "verdict: ", strbuf_str(&b), 9);
	terms(o, 11, strbuf_str(&b));
	strbuf_free(&b);
}

/* "(2 of 4 reach: one try from each placement of alb to each of web)" */
static void pairs_words(struct strbuf *b, const struct sim_sel *src,
			const struct sim_sel *dst, uint32_t ok, uint32_t n)
{
	bool rs = src->kind == SEL_RESOURCE, rd = dst->kind == SEL_RESOURCE;
	strbuf_printf(b, "(%u of %u %s", ok, n, n == 1 ? "reaches" : "reach");
	if (n > 1 && rs && rd)
		strbuf_printf(b,
			      ": one try from each placement of %s to each "
			      "of %s",
			      src->name, dst->name);
	else if (n > 1 && rs)
		strbuf_printf(b, ": one try from each placement of %s",
			      src->name);
	else if (n > 1 && rd)
		strbuf_printf(b, ": one try to each placement of %s",
			      dst->name);
	strbuf_printf(b, ")");
}

/* "; forward: all (2 of 2 pairs served)" after an answer's verdict. */
static void answer_forward(struct strbuf *b, const struct sim_answer *an)
{
	if (!an->fwd)
		return;
	uint32_t out = 0;
	for (uint32_t i = 0; i < an->n; i++)
		out += an->pairs[i].out_of_dns;
	strbuf_printf(b, "; forward: %s (%u of %u pair%s served",
		      sim_verdict_name(an->fwd_verdict), an->fwd_ok, an->fwd_n,
		      an->fwd_n == 1 ? "" : "s");
	if (out)
		strbuf_printf(b, "; %u node%s out of the name's DNS answer",
			      out, out == 1 ? "" : "s");
	strbuf_printf(b, ")");
}

/* The answer's line: "alb -> web, tcp 3000: none (0 of 4 reach: ...)". */
static void answer_line(struct out *o, const struct sim_sel *src,
			const struct sim_sel *dst, const struct sim_answer *an)
{
	char ft[48];
	sim_flow_format(ft, sizeof(ft), an->flow);
	struct strbuf b = {0};
	strbuf_printf(&b, "%s -> %s, %s: %s ", src->name, dst->name, ft,
		      sim_verdict_name(an->verdict));
	pairs_words(&b, src, dst, an->n_ok, an->n);
	answer_forward(&b, an);
	wrap(o, 0, "", strbuf_str(&b), 4);
	terms(o, 4, strbuf_str(&b));
	strbuf_free(&b);
}

/*
 * The fixes of every failing pair of an answer, together: when there is
 * more than one (min_fixes), or for reach, which shows no step.  Numbers
 * of NACL rules are made distinct (sim_fix_list_add).
 */
static void answer_fixes(struct out *o, const struct sim_answer *an,
			 uint32_t min_fixes)
{
	struct sim_fix_list l = {0};
	uint32_t none = sim_answer_fixes(&l, sim_model(o->s), an);
	if (l.n >= min_fixes && l.n) {
		bool paste = native(o->s);
		wrap(o, 0, "",
		     l.n == 1 ? "to make every pair work, apply this change:"
			      : "to make every pair work, apply these changes "
				"together:",
		     4);
		for (uint32_t i = 0; i < l.n; i++) {
			wrap(o, 2, "- ", l.v[i].text ? l.v[i].text : "", 2);
			terms(o, 4, l.v[i].text);
		}
		if (paste) {
			char *yaml = report_fix_yaml(l.v, l.n, WIDTH - 4);
			wrap(o, 2, "", "in the model:", 0);
			for (const char *p = yaml; *p;) {
				size_t n = strcspn(p, "\n");
				fprintf(o->f, "    %.*s\n", (int)n, p);
				p += n + (p[n] == '\n');
			}
			free(yaml);
		}
		if (none)
			wrap(o, 2, "",
			     none == 1 ? "(and 1 failing pair has no fix "
					 "vpcsim can write: see its step)"
				       : "(and some failing pairs have no fix "
					 "vpcsim can write: see their steps)",
			     1);
	}
	sim_fix_list_free(&l);
}

void report_trace_text(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n, bool explain)
{
	struct out o = {.f = f, .s = s, .explain = explain};
	for (uint32_t q = 0; q < n; q++) {
		const struct sim_answer *an = &a[q];
		char ft[48];
		sim_flow_format(ft, sizeof(ft), an->flow);
		for (uint32_t i = 0; i < an->n; i++) {
			const struct sim_pair *p = &an->pairs[i];
			char sn[160], dn[160];
			sim_ep_format(sn, sizeof(sn), s, &p->src);
			sim_ep_format(dn, sizeof(dn), s, &p->dst);
			char *head = xasprintf("%s -> %s, %s", sn, dn, ft);
			if (q || i)
				fputc('\n', f);
			wrap(&o, 0, "", head, 4);
			terms(&o, 4, head);
			free(head);
			sample_note(&o, &p->src, 2);
			sample_note(&o, &p->dst, 2);
			for (uint32_t k = 0; k < p->trace.n; k++)
				step_text(&o, &p->trace.steps[k]);
			verdict_line(&o, p);
		}
		fputc('\n', f);
		answer_line(&o, src, dst, an);
		answer_fixes(&o, an, 2);
	}
	out_free(&o);
}

static void j_ports(struct json *j, const struct ports *p)
{
	json_begin_array(j);
	for (size_t i = 0; i < p->n; i++) {
		json_begin_object(j);
		json_kv_int(j, "from", p->r[i].lo);
		json_kv_int(j, "to", p->r[i].hi);
		json_end_object(j);
	}
	json_end_array(j);
}

static const char *fix_op_name(enum sim_fix_op op)
{
	switch (op) {
	case FIX_ADD:
		return "add";
	case FIX_SET:
		return "set";
	case FIX_REPLACE:
		return "replace";
	case FIX_NEW:
		return "new";
	}
	return "add";
}

/* A value as JSON: a number when YAML reads it as one (a rule number, a
 * port), true and false as booleans, else a string. */
static void j_yaml_value(struct json *j, const char *v)
{
	bool num = *v && strlen(v) < 10;
	for (const char *p = v; *p && num; p++)
		num = *p >= '0' && *p <= '9';
	if (num && !(v[0] == '0' && v[1]))
		json_int(j, atol(v));
	else if (!strcmp(v, "true") || !strcmp(v, "false"))
		json_bool(j, v[0] == 't');
	else
		json_string(j, v);
}

/* A fix (docs/reach-json.md): its sentence, or the reason there is none,
 * its changes as data, and the YAML to paste. */
static void j_fix(struct json *j, const struct sim_fix *fx)
{
	json_begin_object(j);
	json_kv_string(j, "text", fx->n ? fx->text : NULL);
	json_kv_string(j, "none", fx->n ? NULL : fx->none);
	json_key(j, "changes");
	json_begin_array(j);
	for (uint32_t i = 0; i < fx->n; i++) {
		const struct sim_fix_change *c = &fx->ch[i];
		json_begin_object(j);
		json_kv_string(j, "op", fix_op_name(c->op));
		json_kv_string(j, "section", c->section);
		json_kv_string(j, "object", c->object);
		json_kv_string(j, "key", c->key);
		json_key(j, "value");
		if (c->list) {
			json_begin_array(j);
			for (uint32_t k = 0; k < c->n; k++)
				json_string(j, c->f[k].val);
			json_end_array(j);
		} else if (c->n) {
			json_begin_object(j);
			for (uint32_t k = 0; k < c->n; k++) {
				json_key(j, c->f[k].key);
				j_yaml_value(j, c->f[k].val);
			}
			json_end_object(j);
		} else {
			j_yaml_value(j, c->scalar);
		}
		if (c->op == FIX_REPLACE) {
			json_key(j, "replaces");
			json_begin_object(j);
			json_kv_string(j, "key", c->match_key);
			json_kv_string(j, "value", c->match);
			json_end_object(j);
		}
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "yaml");
	if (fx->n) {
		char *y = report_fix_yaml(fx, 1, 80);
		json_string(j, y);
		free(y);
	} else {
		json_null(j);
	}
	json_end_object(j);
}

/* A step's why and fix, when it has them. */
static void j_why_fix(struct json *j, const struct sim_step *st)
{
	json_kv_string(j, "why", st ? st->why : NULL);
	json_key(j, "fix");
	if (st && st->fix)
		j_fix(j, st->fix);
	else
		json_null(j);
}

/* The fixes of every failing pair of an answer, together. */
static void j_answer_fixes(struct json *j, const struct sim *s,
			   const struct sim_answer *an)
{
	struct sim_fix_list l = {0};
	sim_answer_fixes(&l, sim_model(s), an);
	json_key(j, "fixes");
	json_begin_array(j);
	for (uint32_t i = 0; i < l.n; i++)
		j_fix(j, &l.v[i]);
	json_end_array(j);
	json_key(j, "fixes_yaml");
	if (l.n) {
		char *y = report_fix_yaml(l.v, l.n, 80);
		json_string(j, y);
		free(y);
	} else {
		json_null(j);
	}
	sim_fix_list_free(&l);
}

/* A pair's forward, the second verdict (§8). */
static void j_forward(struct json *j, const struct sim *s,
		      const struct sim_pair *p)
{
	const struct sim_fwd_verdict *v = &p->res.fwd;
	json_key(j, "forward");
	json_begin_object(j);
	json_kv_int(j, "paths", v->paths);
	json_kv_int(j, "paths_ok", v->paths_ok);
	json_kv_int(j, "healthy", v->healthy);
	json_kv_bool(j, "served", v->paths_ok > 0);
	json_key(j, "blocked_at");
	const struct sim_step *b = fwd_blocking(p);
	if (v->paths_ok) {
		json_null(j);
	} else {
		json_begin_object(j);
		json_kv_string(j, "step", sim_block_name(v->block));
		json_kv_string(j, "component", b ? comp_id(s, b) : NULL);
		json_kv_string(j, "detail", b ? b->text : NULL);
		json_end_object(j);
	}
	json_key(j, "degraded");
	if (!v->degraded || !v->paths_ok) {
		json_null(j);
	} else {
		json_begin_object(j);
		json_kv_int(j, "ports_ok", v->ports_ok);
		json_kv_int(j, "ports_total", v->ports_total);
		json_end_object(j);
	}
	json_kv_bool(j, "out_of_dns", p->out_of_dns);
	json_end_object(j);
}

/* The pair fields of the reach contract, shared by trace. */
static void j_pair(struct json *j, const struct sim *s,
		   const struct sim_pair *p)
{
	char sn[160], dn[160];
	sim_ep_format(sn, sizeof(sn), s, &p->src);
	sim_ep_format(dn, sizeof(dn), s, &p->dst);
	json_kv_string(j, "src", sn);
	json_kv_string(j, "dst", dn);
	json_kv_bool(j, "reachable", p->res.reachable);
	json_key(j, "blocked_at");
	const struct sim_step *b = blocking(p);
	if (p->res.reachable) {
		json_null(j);
	} else {
		json_begin_object(j);
		json_kv_string(j, "step", sim_block_name(p->res.block));
		json_kv_string(j, "component", b ? comp_id(s, b) : NULL);
		json_kv_string(j, "detail", b ? b->text : NULL);
		json_kv_string(j, "hint", b ? b->hint : NULL);
		if (b && b->loc.file && b->loc.line) {
			json_kv_string(j, "file", b->loc.file);
			json_kv_int(j, "line", b->loc.line);
		}
		j_why_fix(j, b);
		json_end_object(j);
	}
	json_key(j, "degraded");
	if (!p->res.degraded) {
		json_null(j);
	} else {
		json_begin_object(j);
		json_kv_int(j, "ports_ok", p->res.ports_ok);
		json_kv_int(j, "ports_total", p->res.ports_total);
		json_key(j, "denied");
		j_ports(j, &p->res.denied);
		json_end_object(j);
	}
	json_kv_string(j, "unknown", p->res.unknown);
	if (p->res.fwd.asked)
		j_forward(j, s, p);
}

static void j_result_head(struct json *j, const struct sim_sel *src,
			  const struct sim_sel *dst,
			  const struct sim_answer *an)
{
	json_kv_string(j, "from", src->name);
	json_kv_string(j, "to", dst->name);
	json_kv_string(j, "protocol", flow_proto(an->flow));
	json_key(j, "port");
	if (an->flow.proto == PROTO_ALL)
		json_null(j);
	else
		json_int(j, an->flow.port);
	json_kv_string(j, "verdict", sim_verdict_name(an->verdict));
	if (an->fwd) {
		json_key(j, "forward");
		json_begin_object(j);
		json_kv_string(j, "verdict", sim_verdict_name(an->fwd_verdict));
		json_kv_int(j, "pairs", an->fwd_n);
		json_kv_int(j, "pairs_served", an->fwd_ok);
		json_end_object(j);
	}
}

void report_trace_json(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n)
{
	struct json j;
	json_init(&j, f, true);
	json_begin_object(&j);
	json_key(&j, "results");
	json_begin_array(&j);
	for (uint32_t q = 0; q < n; q++) {
		const struct sim_answer *an = &a[q];
		json_begin_object(&j);
		j_result_head(&j, src, dst, an);
		json_key(&j, "pairs");
		json_begin_array(&j);
		for (uint32_t i = 0; i < an->n; i++) {
			const struct sim_pair *p = &an->pairs[i];
			json_begin_object(&j);
			j_pair(&j, s, p);
			json_key(&j, "steps");
			json_begin_array(&j);
			for (uint32_t k = 0; k < p->trace.n; k++) {
				const struct sim_step *st = &p->trace.steps[k];
				json_begin_object(&j);
				json_kv_string(&j, "step",
					       sim_step_name(st->kind));
				json_kv_string(&j, "result",
					       st->block != BLK_NONE ? "blocked"
					       : st->kind == SK_NOTE
						   ? "note"
						   : "allowed");
				if (st->block != BLK_NONE)
					json_kv_string(
					    &j, "blocked",
					    sim_block_name(st->block));
				json_kv_int(&j, "depth", st->depth);
				json_key(&j, "component");
				const char *id = comp_id(s, st);
				if (id) {
					json_begin_object(&j);
					json_kv_string(
					    &j, "kind",
					    model_kind_name(st->comp_kind));
					json_kv_string(&j, "id", id);
					json_end_object(&j);
				} else {
					json_null(&j);
				}
				if (st->rule)
					json_kv_int(&j, "rule", st->rule);
				if (st->loc.file && st->loc.line) {
					json_kv_string(&j, "file",
						       st->loc.file);
					json_kv_int(&j, "line", st->loc.line);
				}
				json_kv_string(&j, "text", st->text);
				if (st->hint)
					json_kv_string(&j, "hint", st->hint);
				if (st->ports_total) {
					json_key(&j, "degraded");
					json_begin_object(&j);
					json_kv_int(&j, "ports_ok",
						    st->ports_ok);
					json_kv_int(&j, "ports_total",
						    st->ports_total);
					json_end_object(&j);
				}
				if (st->why)
					j_why_fix(&j, st);
				json_end_object(&j);
			}
			json_end_array(&j);
			json_end_object(&j);
		}
		json_end_array(&j);
		j_answer_fixes(&j, s, an);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}

/* The degraded step of a pair that lets the fewest replies through, for
 * its why and fix; NULL when none. */
static const struct sim_step *narrowest(const struct sim_pair *p)
{
	const struct sim_step *best = NULL;
	for (uint32_t k = 0; k < p->trace.n; k++) {
		const struct sim_step *st = &p->trace.steps[k];
		if (st->ports_total && st->depth == 0 &&
		    (!best || st->ports_ok < best->ports_ok))
			best = st;
	}
	return best;
}

/* A pair's why and fix under its line. */
static void pair_why_fix(struct out *o, const struct sim_step *st)
{
	if (!st)
		return;
	if (st->why) {
		if (seen_before(o, st->why)) {
			wrap(o, 6, "why: ", "as above.", 5);
		} else {
			wrap(o, 6, "why: ", st->why, 5);
			terms(o, 6, st->why);
		}
	}
	if (!st->fix)
		return;
	if (!st->fix->n) {
		char *t = xasprintf("none: %s.", st->fix->none);
		wrap(o, 6, "fix: ", t, 5);
		free(t);
	} else {
		char *t = xasprintf("%s.", st->fix->text);
		wrap(o, 6, "fix: ", t, 5);
		terms(o, 6, t);
		free(t);
	}
}

void report_reach_text(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n, const char *ports_note, bool explain)
{
	struct out o = {.f = f, .s = s, .explain = explain};
	if (ports_note) {
		char *t = xasprintf("ports asked: %s", ports_note);
		wrap(&o, 0, "", t, 4);
		free(t);
	}
	for (uint32_t q = 0; q < n; q++) {
		const struct sim_answer *an = &a[q];
		answer_line(&o, src, dst, an);
		for (uint32_t i = 0; i < an->n; i++) {
			const struct sim_pair *p = &an->pairs[i];
			sample_note(&o, &p->src, 2);
			sample_note(&o, &p->dst, 2);
			char sn[160], dn[160];
			sim_ep_format(sn, sizeof(sn), s, &p->src);
			sim_ep_format(dn, sizeof(dn), s, &p->dst);
			struct strbuf b = {0};
			if (p->res.unknown) {
				strbuf_printf(&b,
					      "%s -> %s: caution: depends on a "
					      "value the model does not know: "
					      "%s",
					      sn, dn, p->res.unknown);
				wrap(&o, 2, "", strbuf_str(&b), 4);
				strbuf_clear(&b);
			}
			if (p->res.reachable && p->res.fwd.asked &&
			    (!p->res.fwd.paths_ok || p->out_of_dns)) {
				const struct sim_fwd_verdict *v = &p->res.fwd;
				const struct sim_step *fb = fwd_blocking(p);
				strbuf_printf(&b, "%s -> %s: forward ", sn, dn);
				if (v->paths_ok)
					strbuf_printf(&b,
						      "served (%u of %u "
						      "node-to-target paths "
						      "work)",
						      v->paths_ok, v->paths);
				else
					strbuf_printf(&b, "blocked at %s%s%s",
						      sim_block_name(v->block),
						      fb ? ": " : "",
						      fb ? fb->text : "");
				if (p->out_of_dns)
					strbuf_printf(
					    &b,
					    "; no target of this node's zone "
					    "is healthy, so the name's DNS "
					    "answer leaves this node out");
				wrap(&o, 2, "", strbuf_str(&b), 4);
				terms(&o, 6, strbuf_str(&b));
				strbuf_clear(&b);
				if (!v->paths_ok && !p->out_of_dns) {
					const struct sim_step *st = NULL;
					for (uint32_t k = 0;
					     k < p->trace.n && !st; k++)
						if (p->trace.steps[k].depth &&
						    p->trace.steps[k].block)
							st = &p->trace.steps[k];
					if (st) {
						strbuf_printf(&b,
							      "on the path: %s",
							      st->text);
						wrap(&o, 6, "", strbuf_str(&b),
						     4);
						strbuf_clear(&b);
					}
					pair_why_fix(&o, st ? st : fb);
				}
			}
			if (p->res.reachable && !p->res.degraded) {
				strbuf_free(&b);
				continue;
			}
			const struct sim_step *st = blocking(p);
			if (!p->res.reachable) {
				strbuf_printf(&b, "%s -> %s: blocked at %s: %s",
					      sn, dn,
					      sim_block_name(p->res.block),
					      st ? st->text : "");
			} else {
				strbuf_printf(&b, "%s -> %s: degraded: ", sn,
					      dn);
				coverage_words(&b, p->res.ports_ok,
					       p->res.ports_total);
				st = narrowest(p);
			}
			wrap(&o, 2, "", strbuf_str(&b), 4);
			terms(&o, 6, strbuf_str(&b));
			strbuf_free(&b);
			pair_why_fix(&o, st);
		}
		answer_fixes(&o, an, 1);
	}
	out_free(&o);
}

void report_reach_json(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n, const char *ports_note)
{
	struct json j;
	json_init(&j, f, true);
	json_begin_object(&j);
	json_kv_string(&j, "ports_asked", ports_note);
	json_key(&j, "results");
	json_begin_array(&j);
	for (uint32_t q = 0; q < n; q++) {
		const struct sim_answer *an = &a[q];
		json_begin_object(&j);
		j_result_head(&j, src, dst, an);
		json_key(&j, "pairs");
		json_begin_array(&j);
		for (uint32_t i = 0; i < an->n; i++) {
			json_begin_object(&j);
			j_pair(&j, s, &an->pairs[i]);
			json_end_object(&j);
		}
		json_end_array(&j);
		j_answer_fixes(&j, s, an);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}
