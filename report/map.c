/*
 * Estate-wide reachability tables (`vpcsim reach` with only --from or only
 * --to) and multi-hop chains (`--hops N`), as text, JSON and CSV.  The
 * JSON extends the reach contract of docs/reach-json.md: one result per
 * resource pair, with ports as ranges and a verdict per range.
 */
#include <string.h>

#include "report/json.h"
#include "report/report.h"

static const char *proto_of(const struct reach_row *r)
{
	return proto_name(r->proto);
}

/* Splits a row's ports into runs of one verdict: ranges of `all`, and
 * ranges of `some` that are not in `all`.  Calls back in port order. */
static void each_range(const struct reach_row *r,
		       void (*fn)(void *ctx, uint16_t lo, uint16_t hi,
				  enum sim_verdict v),
		       void *ctx)
{
	struct ports only_some = PORTS_INIT;
	ports_diff(&only_some, &r->some, &r->all);
	size_t i = 0, j = 0;
	while (i < r->all.n || j < only_some.n) {
		bool take_all =
		    j == only_some.n ||
		    (i < r->all.n && r->all.r[i].lo < only_some.r[j].lo);
		if (take_all) {
			fn(ctx, r->all.r[i].lo, r->all.r[i].hi, VERDICT_ALL);
			i++;
		} else {
			fn(ctx, only_some.r[j].lo, only_some.r[j].hi,
			   VERDICT_SOME);
			j++;
		}
	}
	ports_free(&only_some);
}

/* An IPv6 source range as "lo-hi". */
static void range6_text(char *buf, size_t size, const struct reach_range6 *r)
{
	char a[CIDR6_STRLEN], b[CIDR6_STRLEN];
	model_addr6_format(a, r->lo);
	model_addr6_format(b, r->hi);
	snprintf(buf, size, "%s-%s", a, b);
}

static void sources_text(char *buf, size_t size, const struct reach_row *r)
{
	if (r->src.kind != RN_INTERNET) {
		buf[0] = '\0';
		return;
	}
	if (r->any_source || (r->ipv6 ? !r->n_sources6 : !r->n_sources)) {
		snprintf(buf, size, " from anywhere");
		return;
	}
	if (r->ipv6) {
		size_t off = (size_t)snprintf(buf, size, " from ");
		for (uint32_t i = 0; i < r->n_sources6 && off < size; i++) {
			char x[2 * CIDR6_STRLEN];
			if (i == 4) {
				snprintf(buf + off, size - off,
					 " and %u more ranges",
					 r->n_sources6 - 4);
				break;
			}
			range6_text(x, sizeof(x), &r->sources6[i]);
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
						i ? ", " : "", x);
		}
		return;
	}
	size_t off = (size_t)snprintf(buf, size, " from ");
	for (uint32_t i = 0; i < r->n_sources && off < size; i++) {
		char a[ADDR_STRLEN], b[ADDR_STRLEN];
		addr_format(a, r->sources[i].lo);
		addr_format(b, r->sources[i].hi);
		if (i == 4) {
			off += (size_t)snprintf(buf + off, size - off,
						" and %u more ranges",
						r->n_sources - 4);
			break;
		}
		off += (size_t)snprintf(buf + off, size - off, "%s%s-%s",
					i ? ", " : "", a, b);
	}
}

/*
 * A load balancer row's forward, the second verdict (§8), port by
 * listener port: served for every pair (all), for some, or for none.  fn
 * is called in port order; never when the row has no forwarding listener.
 */
static void each_forward_range(const struct reach_row *r,
			       void (*fn)(void *ctx, uint16_t lo, uint16_t hi,
					  enum sim_verdict v),
			       void *ctx)
{
	struct ports every = PORTS_INIT;
	ports_union(&every, &r->fwd_served, &r->fwd_failed);
	for (size_t i = 0; i < every.n; i++)
		for (uint32_t p = every.r[i].lo; p <= every.r[i].hi; p++) {
			uint16_t port = (uint16_t)p;
			bool ok = ports_contains(&r->fwd_served, port);
			bool bad = ports_contains(&r->fwd_failed, port);
			fn(ctx, port, port,
			   !ok	 ? VERDICT_NONE
			   : bad ? VERDICT_SOME
				 : VERDICT_ALL);
		}
	ports_free(&every);
}

/*
 * Why the internet's exposure map cannot judge resource (k, i): it has no
 * placement, yet it may face the internet (an internet-facing load
 * balancer; an instance, fleet or task that may get a public address; a
 * publicly accessible database), and the input says why it is not placed
 * (an unknown value, the region's default VPC).  NULL when the map loses
 * nothing: the resource is placed, cannot face the internet, or is
 * unplaced on purpose (an instance whose primary interface is modelled on
 * its own).
 */
static const char *unplaced_why(const struct model *m, enum model_kind k,
				uint32_t i)
{
	uint32_t np;
	model_placements(m, k, i, &np);
	if (np)
		return NULL;
	bool may_face = false, default_vpc = false;
	switch (k) {
	case MK_LOAD_BALANCER:
		may_face = m->lbs[i].internet_facing;
		break;
	case MK_INSTANCE:
		may_face =
		    m->instances[i].public_ip != 0 || m->instances[i].has_eip;
		break;
	case MK_FLEET:
		may_face = m->fleets[i].role != FLEET_FUNCTION &&
			   m->fleets[i].public_ip != 0;
		default_vpc = m->fleets[i].default_vpc;
		break;
	case MK_SERVICE:
		may_face =
		    !m->services[i].on_ec2 && m->services[i].assign_public_ip;
		break;
	case MK_DATABASE:
		may_face = m->databases[i].publicly_accessible;
		default_vpc = m->databases[i].default_vpc;
		break;
	default:
		break;
	}
	const struct model_obj *o = model_object(m, k, i);
	if (!may_face)
		return NULL;
	if (o->n_unknowns)
		return o->unknowns[0];
	return default_vpc ? "it is in the region's default VPC, which the "
			     "input does not describe"
			   : NULL;
}

/* Calls fn for each resource the exposure map cannot judge. */
static void each_unplaced(const struct model *m,
			  void (*fn)(void *ctx, const struct model *m,
				     enum model_kind k, uint32_t i,
				     const char *why),
			  void *ctx)
{
	static const enum model_kind kinds[] = {
	    MK_LOAD_BALANCER, MK_INSTANCE, MK_FLEET, MK_SERVICE, MK_DATABASE};
	for (size_t a = 0; a < sizeof(kinds) / sizeof(kinds[0]); a++)
		for (uint32_t i = 0; i < m->n[kinds[a]]; i++) {
			const char *why = unplaced_why(m, kinds[a], i);
			if (why)
				fn(ctx, m, kinds[a], i, why);
		}
}

struct unplaced_text {
	FILE *f;
	bool first;
};

static void unplaced_line(void *ctx, const struct model *m, enum model_kind k,
			  uint32_t i, const char *why)
{
	struct unplaced_text *u = ctx;
	if (u->first)
		fputs("  not judged, the input does not place them:\n", u->f);
	u->first = false;
	fprintf(u->f, "    %s %s: %s\n", model_noun(m, k, i),
		model_object(m, k, i)->id, why);
}

struct text_ctx {
	FILE *f;
	bool first;
};

/* " [forward on 443: none]": the forward where it does not serve every
 * pair; nothing when it does. */
static void forward_text(void *ctx, uint16_t lo, uint16_t hi,
			 enum sim_verdict v)
{
	struct text_ctx *t = ctx;
	(void)hi;
	if (v == VERDICT_ALL)
		return;
	fprintf(t->f, "%s%u: %s", t->first ? " [forward on " : "; on ", lo,
		v == VERDICT_NONE ? "none" : "some placements");
	t->first = false;
}

static void text_range(void *ctx, uint16_t lo, uint16_t hi, enum sim_verdict v)
{
	struct text_ctx *t = ctx;
	if (lo == hi)
		fprintf(t->f, "%s%u", t->first ? "" : ", ", lo);
	else
		fprintf(t->f, "%s%u-%u", t->first ? "" : ", ", lo, hi);
	if (v == VERDICT_SOME)
		fputs(" (some placements)", t->f);
	t->first = false;
}

void report_map_text(FILE *f, const struct sim *s, const struct reach_table *t,
		     const char *title)
{
	fprintf(f, "%s\n", title);
	uint32_t shown = 0;
	for (uint32_t i = 0; i < t->n; i++) {
		const struct reach_row *r = &t->rows[i];
		if (ports_empty(&r->some))
			continue;
		char src[256];
		sources_text(src, sizeof(src), r);
		fprintf(f, "  %s -> %s: %s ", reach_row_src_name(s, r),
			reach_row_dst_name(s, r), proto_of(r));
		struct text_ctx c = {f, true};
		each_range(r, text_range, &c);
		fprintf(f, "%s%s", src, r->degraded ? " [degraded]" : "");
		struct text_ctx fc = {f, true};
		each_forward_range(r, forward_text, &fc);
		if (!fc.first)
			fputc(']', f);
		if (r->fwd_degraded)
			fputs(" [forward degraded]", f);
		/* the forward's own unknown, when the row's does not say it */
		if (r->fwd_unknown && !ports_empty(&r->some) &&
		    (!r->unknown || strcmp(r->fwd_unknown, r->unknown)))
			fprintf(f, " [forward depends on an unknown value: %s]",
				r->fwd_unknown);
		if (r->unknown)
			fprintf(f, " [depends on an unknown value: %s]",
				r->unknown);
		fputc('\n', f);
		shown++;
	}
	if (!shown)
		fputs("  nothing\n", f);
	if (t->from_internet) {
		struct unplaced_text u = {f, true};
		each_unplaced(sim_model(s), unplaced_line, &u);
	}
}

static void unplaced_json(void *ctx, const struct model *m, enum model_kind k,
			  uint32_t i, const char *why)
{
	struct json *j = ctx;
	json_begin_object(j);
	json_kv_string(j, "id", model_object(m, k, i)->id);
	json_kv_string(j, "kind", model_kind_name(k));
	json_kv_string(j, "why", why);
	json_end_object(j);
}

struct json_ctx {
	struct json *j;
};

static void json_range(void *ctx, uint16_t lo, uint16_t hi, enum sim_verdict v)
{
	struct json *j = ((struct json_ctx *)ctx)->j;
	json_begin_object(j);
	json_kv_int(j, "from", lo);
	json_kv_int(j, "to", hi);
	json_kv_string(j, "verdict", sim_verdict_name(v));
	json_end_object(j);
}

void report_map_json(FILE *f, const struct sim *s, const struct reach_table *t)
{
	struct json j;
	json_init(&j, f, true);
	json_begin_object(&j);
	json_key(&j, "results");
	json_begin_array(&j);
	for (uint32_t i = 0; i < t->n; i++) {
		const struct reach_row *r = &t->rows[i];
		json_begin_object(&j);
		json_kv_string(&j, "from", reach_row_src_name(s, r));
		json_kv_string(&j, "to", reach_row_dst_name(s, r));
		json_kv_string(&j, "protocol", proto_of(r));
		json_kv_string(&j, "verdict",
			       sim_verdict_name(reach_row_verdict(r)));
		json_key(&j, "ports");
		json_begin_array(&j);
		struct json_ctx c = {&j};
		each_range(r, json_range, &c);
		json_end_array(&j);
		json_kv_int(&j, "pairs", r->pairs);
		json_kv_bool(&j, "degraded", r->degraded);
		json_key(&j, "blocked_at");
		if (ports_empty(&r->some) && r->block != BLK_NONE)
			json_string(&j, sim_block_name(r->block));
		else
			json_null(&j);
		if (r->src.kind == RN_INTERNET) {
			json_key(&j, "sources");
			if (r->any_source) {
				json_string(&j, "any");
			} else if (r->ipv6) {
				json_begin_array(&j);
				for (uint32_t k = 0; k < r->n_sources6; k++) {
					char a[CIDR6_STRLEN], b[CIDR6_STRLEN];
					model_addr6_format(a,
							   r->sources6[k].lo);
					model_addr6_format(b,
							   r->sources6[k].hi);
					json_begin_object(&j);
					json_kv_string(&j, "from", a);
					json_kv_string(&j, "to", b);
					json_end_object(&j);
				}
				json_end_array(&j);
			} else {
				json_begin_array(&j);
				for (uint32_t k = 0; k < r->n_sources; k++) {
					char a[ADDR_STRLEN], b[ADDR_STRLEN];
					addr_format(a, r->sources[k].lo);
					addr_format(b, r->sources[k].hi);
					json_begin_object(&j);
					json_kv_string(&j, "from", a);
					json_kv_string(&j, "to", b);
					json_end_object(&j);
				}
				json_end_array(&j);
			}
		}
		json_kv_string(&j, "unknown", r->unknown);
		if (!ports_empty(&r->fwd_served) ||
		    !ports_empty(&r->fwd_failed)) {
			json_key(&j, "forward");
			json_begin_object(&j);
			json_key(&j, "ports");
			json_begin_array(&j);
			each_forward_range(r, json_range, &c);
			json_end_array(&j);
			json_kv_bool(&j, "degraded", r->fwd_degraded);
			json_kv_string(&j, "unknown", r->fwd_unknown);
			json_end_object(&j);
		}
		json_end_object(&j);
	}
	json_end_array(&j);
	if (t->from_internet) {
		json_key(&j, "not_placed");
		json_begin_array(&j);
		each_unplaced(sim_model(s), unplaced_json, &j);
		json_end_array(&j);
	}
	json_end_object(&j);
	json_finish(&j);
}

/* RFC 4180: quote fields that hold a comma, quote or newline. */
static void csv_field(FILE *f, const char *s, bool last)
{
	if (strpbrk(s, ",\"\n")) {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		fputs(s, f);
	}
	fputc(last ? '\n' : ',', f);
}

struct csv_ctx {
	FILE *f;
	const struct sim *s;
	const struct reach_row *r;
};

static void csv_range(void *ctx, uint16_t lo, uint16_t hi, enum sim_verdict v)
{
	struct csv_ctx *c = ctx;
	char a[16], b[16];
	snprintf(a, sizeof(a), "%u", lo);
	snprintf(b, sizeof(b), "%u", hi);
	csv_field(c->f, reach_row_src_name(c->s, c->r), false);
	csv_field(c->f, reach_row_dst_name(c->s, c->r), false);
	csv_field(c->f, proto_of(c->r), false);
	csv_field(c->f, a, false);
	csv_field(c->f, b, false);
	csv_field(c->f, sim_verdict_name(v), false);
	csv_field(c->f, c->r->degraded ? "true" : "false", true);
}

void report_map_csv(FILE *f, const struct sim *s, const struct reach_table *t)
{
	fputs("from,to,protocol,from_port,to_port,verdict,degraded\n", f);
	for (uint32_t i = 0; i < t->n; i++) {
		struct csv_ctx c = {f, s, &t->rows[i]};
		each_range(&t->rows[i], csv_range, &c);
	}
}

/* "and 12 more chains of at most 3 hops": what the limit left out. */
static void chains_more(FILE *f, const struct graph_chains *c, uint32_t max)
{
	if (!c->more && !c->more_exact) {
		fprintf(f,
			"the search stopped at its budget: there may be more "
			"chains of at most %u hop%s\n",
			max, max == 1 ? "" : "s");
		return;
	}
	if (!c->more)
		return;
	fprintf(f, "and %s%llu more chain%s of at most %u hop%s%s\n",
		c->more_exact ? "" : "at least ", (unsigned long long)c->more,
		c->more == 1 ? "" : "s", max, max == 1 ? "" : "s",
		c->more_exact ? ""
			      : " (the count stopped at its search budget)");
}

void report_chains_text(FILE *f, const struct graph *g,
			const struct graph_chains *cs, uint32_t max_hops)
{
	const struct graph_chain *c = cs->v;
	if (!cs->n) {
		fprintf(f, "no chain of at most %u hop%s\n", max_hops,
			max_hops == 1 ? "" : "s");
		return;
	}
	for (uint32_t i = 0; i < cs->n; i++) {
		fprintf(f, "%u hop%s: %s", c[i].hops, c[i].hops == 1 ? "" : "s",
			reach_node_name(g->s, &c[i].v[0]));
		bool needs_foothold = false;
		for (uint32_t k = 0; k < c[i].hops; k++) {
			char label[256];
			graph_edge_label(label, sizeof(label),
					 &g->edges[c[i].e[k]]);
			fprintf(f, " -> %s (%s)",
				reach_node_name(g->s, &c[i].v[k + 1]), label);
			if (k > 0 && !g->edges[c[i].e[k]].forward)
				needs_foothold = true;
		}
		fputc('\n', f);
		if (needs_foothold) {
			fputs("    each of these must open the next hop itself "
			      "(the application calling on, or an attacker "
			      "who took it over):",
			      f);
			for (uint32_t k = 1; k < c[i].hops; k++)
				if (!g->edges[c[i].e[k]].forward)
					fprintf(
					    f, " %s",
					    reach_node_name(g->s, &c[i].v[k]));
			fputc('\n', f);
		}
	}
	chains_more(f, cs, max_hops);
}

void report_chains_json(FILE *f, const struct graph *g,
			const struct graph_chains *cs, uint32_t limit)
{
	const struct graph_chain *c = cs->v;
	struct json j;
	json_init(&j, f, true);
	json_begin_object(&j);
	json_key(&j, "chains");
	json_begin_array(&j);
	for (uint32_t i = 0; i < cs->n; i++) {
		json_begin_object(&j);
		json_kv_int(&j, "hops", c[i].hops);
		json_key(&j, "path");
		json_begin_array(&j);
		for (uint32_t k = 0; k <= c[i].hops; k++) {
			json_begin_object(&j);
			json_kv_string(&j, "node",
				       reach_node_name(g->s, &c[i].v[k]));
			if (k > 0) {
				const struct graph_edge *e =
				    &g->edges[c[i].e[k - 1]];
				char label[256];
				graph_edge_label(label, sizeof(label), e);
				json_kv_string(&j, "ports", label);
				json_kv_string(&j, "hop",
					       k == 1	    ? "direct"
					       : e->forward ? "forward"
							    : "foothold");
			}
			json_end_object(&j);
		}
		json_end_array(&j);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_kv_int(&j, "limit", limit);
	/* A count past what JSON readers keep exactly is a lower bound. */
	bool big = cs->more > ((uint64_t)1 << 53);
	json_kv_int(&j, "more",
		    big ? (long long)((uint64_t)1 << 53) : (long long)cs->more);
	json_kv_bool(&j, "more_exact", cs->more_exact && !big);
	json_end_object(&j);
	json_finish(&j);
}
