/*
 * `vpcsim trace` and `vpcsim reach` output.  Text is written for a person
 * learning why a packet gets through or not: one line per step, the rule
 * that decided and where it is written, then the verdict.  JSON carries the
 * same facts with the §14 vocabulary (docs/reach-json.md).
 */
#include <string.h>

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

/* "served (2 of 2 node-to-target paths work)", "blocked at
 * no-healthy-target-path[: why]": the forward, the second verdict. */
static void forward_words(FILE *f, const struct sim_pair *p, const char *why)
{
	const struct sim_fwd_verdict *v = &p->res.fwd;
	if (v->paths_ok)
		fprintf(f, "served (%u of %u node-to-target paths work)",
			v->paths_ok, v->paths);
	else
		fprintf(f, "blocked at %s%s%s", sim_block_name(v->block),
			why ? ": " : "", why ? why : "");
	if (v->degraded && v->paths_ok)
		fprintf(f,
			", degraded: a path gets its replies on %u of %u "
			"ports only",
			v->ports_ok, v->ports_total);
	if (p->out_of_dns)
		fputs("; no target of this node's zone is healthy, so the "
		      "name's DNS answer leaves this node out",
		      f);
}

/* "; forward: all (2 of 2 pairs served)" after an answer's verdict. */
static void answer_forward(FILE *f, const struct sim_answer *an)
{
	if (!an->fwd)
		return;
	uint32_t out = 0;
	for (uint32_t i = 0; i < an->n; i++)
		out += an->pairs[i].out_of_dns;
	fprintf(f, "; forward: %s (%u of %u pair%s served",
		sim_verdict_name(an->fwd_verdict), an->fwd_ok, an->fwd_n,
		an->fwd_n == 1 ? "" : "s");
	if (out)
		fprintf(f, "; %u node%s out of the name's DNS answer", out,
			out == 1 ? "" : "s");
	fputc(')', f);
}

static void verdict_line(FILE *f, const struct sim *s, const struct sim_pair *p)
{
	if (p->res.unknown)
		fprintf(f,
			"  caution: this verdict depends on a value the "
			"model does not know: %s\n",
			p->res.unknown);
	if (p->res.reachable) {
		fputs("  verdict: reachable", f);
		if (p->res.degraded) {
			char den[256];
			ports_format(den, sizeof(den), &p->res.denied);
			fprintf(f,
				", degraded: replies pass on %u of %u client "
				"ports (denied: %s)",
				p->res.ports_ok, p->res.ports_total, den);
		}
		fputc('\n', f);
		if (p->res.fwd.asked) {
			fputs("  forward: ", f);
			forward_words(f, p, NULL);
			fputc('\n', f);
		}
		return;
	}
	const struct sim_step *b = blocking(p);
	const char *id = b ? comp_id(s, b) : NULL;
	fprintf(f, "  verdict: blocked at %s", sim_block_name(p->res.block));
	if (id)
		fprintf(f, " (%s %s)", model_kind_name(b->comp_kind), id);
	if (p->res.degraded)
		fprintf(f, "; replies pass on %u of %u client ports only",
			p->res.ports_ok, p->res.ports_total);
	fputc('\n', f);
}

static void step_text(FILE *f, const struct sim_step *st)
{
	const char *mark = st->kind == SK_NOTE && st->block == BLK_NONE ? "note"
			   : st->block == BLK_NONE			? "ok"
						   : "BLOCKED";
	fprintf(f, "  %*s%-7s %s", st->depth * 4, "", mark, st->text);
	if (st->loc.file && st->loc.line)
		fprintf(f, "  [%s:%u]", st->loc.file, st->loc.line);
	if (st->block != BLK_NONE)
		fprintf(f, "  (%s)", sim_block_name(st->block));
	fputc('\n', f);
	if (st->hint)
		fprintf(f, "  %*s        %s\n", st->depth * 4, "", st->hint);
}

void report_trace_text(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n)
{
	for (uint32_t q = 0; q < n; q++) {
		const struct sim_answer *an = &a[q];
		char ft[48];
		sim_flow_format(ft, sizeof(ft), an->flow);
		for (uint32_t i = 0; i < an->n; i++) {
			const struct sim_pair *p = &an->pairs[i];
			char sn[160], dn[160];
			sim_ep_format(sn, sizeof(sn), s, &p->src);
			sim_ep_format(dn, sizeof(dn), s, &p->dst);
			fprintf(f, "%s%s -> %s, %s\n", q || i ? "\n" : "", sn,
				dn, ft);
			for (uint32_t k = 0; k < p->trace.n; k++)
				step_text(f, &p->trace.steps[k]);
			verdict_line(f, s, p);
		}
		fprintf(f,
			"\n%s -> %s, %s: %s (%u of %u placement pair%s "
			"reach)",
			src->name, dst->name, ft, sim_verdict_name(an->verdict),
			an->n_ok, an->n, an->n == 1 ? "" : "s");
		answer_forward(f, an);
		fputc('\n', f);
	}
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
				json_end_object(&j);
			}
			json_end_array(&j);
			json_end_object(&j);
		}
		json_end_array(&j);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}

void report_reach_text(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n, const char *ports_note)
{
	if (ports_note)
		fprintf(f, "ports asked: %s\n", ports_note);
	for (uint32_t q = 0; q < n; q++) {
		const struct sim_answer *an = &a[q];
		char ft[48];
		sim_flow_format(ft, sizeof(ft), an->flow);
		fprintf(f,
			"%s -> %s, %s: %s (%u of %u placement pair%s "
			"reach)",
			src->name, dst->name, ft, sim_verdict_name(an->verdict),
			an->n_ok, an->n, an->n == 1 ? "" : "s");
		answer_forward(f, an);
		fputc('\n', f);
		for (uint32_t i = 0; i < an->n; i++) {
			const struct sim_pair *p = &an->pairs[i];
			if (p->res.unknown) {
				char sn0[160], dn0[160];
				sim_ep_format(sn0, sizeof(sn0), s, &p->src);
				sim_ep_format(dn0, sizeof(dn0), s, &p->dst);
				fprintf(
				    f,
				    "  %s -> %s: caution: depends on a value "
				    "the model does not know: %s\n",
				    sn0, dn0, p->res.unknown);
			}
			char sn[160], dn[160];
			sim_ep_format(sn, sizeof(sn), s, &p->src);
			sim_ep_format(dn, sizeof(dn), s, &p->dst);
			if (p->res.reachable && p->res.fwd.asked &&
			    (!p->res.fwd.paths_ok || p->out_of_dns)) {
				const struct sim_step *fb = fwd_blocking(p);
				fprintf(f, "  %s -> %s: forward ", sn, dn);
				forward_words(f, p, fb ? fb->text : NULL);
				fputc('\n', f);
			}
			if (p->res.reachable && !p->res.degraded)
				continue;
			const struct sim_step *b = blocking(p);
			if (!p->res.reachable)
				fprintf(f, "  %s -> %s: blocked at %s: %s\n",
					sn, dn, sim_block_name(p->res.block),
					b ? b->text : "");
			else
				fprintf(f,
					"  %s -> %s: degraded, replies pass "
					"on %u of %u client ports\n",
					sn, dn, p->res.ports_ok,
					p->res.ports_total);
		}
	}
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
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}
