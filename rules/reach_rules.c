/*
 * Rules that read reachability (VS001-VS007, VS017, VS019).
 *
 * Every rule here starts from a question the engine answers exactly:
 * the context's internet exposure tables (each resource the internet
 * reaches, and on which ports), or one connection asked of sim_connect
 * between two placements.  So a finding about an exposure is backed by a
 * real path, and a finding about a blocked flow by the step that blocks
 * it; the engine's trace of one pair is quoted in the finding's details.
 *
 * Data and invariants:
 * - rules read the context and append findings; they never print;
 * - each rule walks the model in array order (source order) and adds at
 *   most one finding per (resource, key), so fingerprints are stable;
 * - the exposure tables decide whether the internet reaches a resource;
 *   which sources reach which port is asked again per placement, by the
 *   atoms of public space its rules tell apart, because a row's sources
 *   are those of any of its ports (SSH from an office, HTTP from all);
 * - a trace is asked only for the pairs a finding quotes: a traced
 *   connection formats text at every step, and the loops need verdicts;
 * - "the internet" in a quoted path is the engine's representative client
 *   (SIM_INTERNET_ADDR) when it is among the sources that reach, else an
 *   address of the first source range that does;
 * - which load-balancer node forwards to which target, and whether that
 *   works, is the engine's answer (sim_lb_forwards, sim_forward_check);
 * - every function that owns memory releases it through one exit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/util.h"
#include "rules/rules_impl.h"

/* Failing pairs quoted in full per finding; the rest are counted. */
#define MAX_QUOTED 6

/* ---- text -------------------------------------------------------------- */

/* "22, 80-443" */
static void sb_ports(struct strbuf *b, const struct ports *p)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->r[i].lo == p->r[i].hi)
			strbuf_printf(b, "%s%u", i ? ", " : "", p->r[i].lo);
		else
			strbuf_printf(b, "%s%u-%u", i ? ", " : "", p->r[i].lo,
				      p->r[i].hi);
	}
}

/* "tcp 3306", "all traffic", "icmp type 8" */
static void sb_flow(struct strbuf *b, struct sim_flow f)
{
	if (f.proto == PROTO_ALL)
		strbuf_printf(b, "all traffic");
	else if (f.proto == PROTO_ICMP)
		strbuf_printf(b, "icmp type %u", f.port);
	else
		strbuf_printf(b, "%s %u", proto_name(f.proto), f.port);
}

/* "  [file:line]" when the step's rule is written somewhere. */
static void sb_loc(struct strbuf *b, const struct src_loc *l)
{
	if (l->line)
		strbuf_printf(b, "  [%s:%u]", l->file ? l->file : "-", l->line);
}

/* What a resource is, in a sentence: "database", "ECS service". */
static const char *noun(const struct model *m, enum model_kind k, uint32_t i)
{
	return model_noun(m, k, i);
}

static const char *obj_id(const struct model *m, enum model_kind k, uint32_t i)
{
	return model_object(m, k, i)->id;
}

/* ---- endpoints and addresses ------------------------------------------- */

static struct sim_ep ep_of(const struct model *m,
			   const struct model_placement *p)
{
	return (struct sim_ep){.kind = EP_PLACEMENT,
			       .placement = (uint32_t)(p - m->placements)};
}

static struct sim_ep ep_internet(uint32_t addr)
{
	return (struct sim_ep){.kind = EP_INTERNET, .addr = addr};
}

/* A placement, or an internet address, in a question over IPv6 (§2). */
static struct sim_ep ep_of6(const struct model *m,
			    const struct model_placement *p)
{
	struct sim_ep e = ep_of(m, p);
	e.v6 = true;
	return e;
}

static struct sim_ep ep_internet6(const uint8_t a[16])
{
	struct sim_ep e = {.kind = EP_INTERNET, .v6 = true};
	memcpy(e.addr6, a, 16);
	return e;
}

/* "internet" for the representative client, else the engine's text. */
static void ep_text(char *buf, size_t size, const struct sim *s,
		    const struct sim_ep *ep)
{
	if (ep->kind == EP_INTERNET && ep->v6 &&
	    !memcmp(ep->addr6, sim_internet6, 16)) {
		snprintf(buf, size, "internet6");
		return;
	}
	if (ep->kind == EP_INTERNET && ep->addr == SIM_INTERNET_ADDR)
		snprintf(buf, size, "internet");
	else
		sim_ep_format(buf, size, s, ep);
}

/* Space no internet client has (RFC 6890): the same list the engine's
 * internet atoms skip. */
static const struct cidr not_internet[] = {
    {0x00000000u, 8},  {0x0A000000u, 8},  {0x64400000u, 10}, {0x7F000000u, 8},
    {0xA9FE0000u, 16}, {0xAC100000u, 12}, {0xC0A80000u, 16}, {0xE0000000u, 3},
};

/* The space no internet client has, merged: not_internet and every
 * block of every VPC of the model, sorted, disjoint and not adjacent
 * (made once per context, when first asked; the context owns it).  A
 * question about internet addresses then costs a binary search, not a
 * pass over every VPC. */
static int span_cmp(const void *a, const void *b)
{
	const struct addr_span *x = a, *y = b;
	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

static const struct addr_span *private_space(const struct rule_ctx *ctx,
					     uint32_t *n)
{
	struct rule_index *x = ctx->idx;
	const struct model *m = ctx->m;
	if (!x->have_private) {
		uint32_t total = (uint32_t)ARRAY_LEN(not_internet);
		for (uint32_t v = 0; v < m->n[MK_VPC]; v++)
			total += m->vpcs[v].n_cidrs;
		struct addr_span *sp = xcalloc(total + 1, sizeof(*sp));
		uint32_t k = 0;
		for (size_t i = 0; i < ARRAY_LEN(not_internet); i++)
			sp[k++] = (struct addr_span){
			    not_internet[i].addr, cidr_last(not_internet[i])};
		for (uint32_t v = 0; v < m->n[MK_VPC]; v++)
			for (uint32_t c = 0; c < m->vpcs[v].n_cidrs; c++)
				sp[k++] = (struct addr_span){
				    m->vpcs[v].cidrs[c].addr,
				    cidr_last(m->vpcs[v].cidrs[c])};
		qsort(sp, k, sizeof(*sp), span_cmp);
		uint32_t out = 0;
		for (uint32_t i = 0; i < k; i++) {
			if (out && sp[i].lo <= sp[out - 1].hi + 1) {
				if (sp[i].hi > sp[out - 1].hi)
					sp[out - 1].hi = sp[i].hi;
				continue;
			}
			sp[out++] = sp[i];
		}
		x->private_space = sp;
		x->n_private = out;
		x->have_private = true;
	}
	*n = x->n_private;
	return x->private_space;
}

/* The first span of sp[0..n) that ends at or after a (n when none). */
static uint32_t span_at(const struct addr_span *sp, uint32_t n, uint64_t a)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (sp[mid].hi < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The first internet address of [lo, hi], skipping whole blocks. */
static bool internet_addr_in(const struct rule_ctx *ctx, struct reach_range r,
			     uint32_t *out)
{
	uint32_t n;
	const struct addr_span *sp = private_space(ctx, &n);
	uint64_t a = r.lo;
	uint32_t i = span_at(sp, n, a);
	/* Spans are not adjacent: past one, a is outside the next. */
	if (i < n && sp[i].lo <= a)
		a = sp[i].hi + 1;
	if (a > r.hi)
		return false;
	*out = (uint32_t)a;
	return true;
}

/* ---- address ranges ---------------------------------------------------- */

struct ivl {
	uint64_t lo, hi;
};

/* Sorted, disjoint intervals of IPv4 space. */
struct ivls {
	struct ivl *v;
	uint32_t n, cap;
};

static void ivl_push(struct ivls *s, uint64_t lo, uint64_t hi)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = (struct ivl){lo, hi};
}

/* Removes [lo, hi]. */
static void ivl_cut(struct ivls *s, uint64_t lo, uint64_t hi)
{
	struct ivls out = {0};
	for (uint32_t i = 0; i < s->n; i++) {
		struct ivl x = s->v[i];
		if (x.hi < lo || x.lo > hi) {
			ivl_push(&out, x.lo, x.hi);
			continue;
		}
		if (x.lo < lo)
			ivl_push(&out, x.lo, lo - 1);
		if (x.hi > hi)
			ivl_push(&out, hi + 1, x.hi);
	}
	free(s->v);
	*s = out;
}

/* Adds [lo, hi], merging the intervals it touches. */
static void ivl_add(struct ivls *s, uint64_t lo, uint64_t hi)
{
	struct ivls out = {0};
	uint32_t i = 0;
	for (; i < s->n && s->v[i].hi + 1 < lo; i++)
		ivl_push(&out, s->v[i].lo, s->v[i].hi);
	for (; i < s->n && s->v[i].lo <= hi + 1; i++) {
		lo = s->v[i].lo < lo ? s->v[i].lo : lo;
		hi = s->v[i].hi > hi ? s->v[i].hi : hi;
	}
	ivl_push(&out, lo, hi);
	for (; i < s->n; i++)
		ivl_push(&out, s->v[i].lo, s->v[i].hi);
	free(s->v);
	*s = out;
}

/* Removes the space no internet client has: each interval split into
 * the runs between the private spans it meets. */
static void ivl_cut_private(struct ivls *s, const struct rule_ctx *ctx)
{
	uint32_t n;
	const struct addr_span *sp = private_space(ctx, &n);
	struct ivls out = {0};
	for (uint32_t i = 0; i < s->n; i++) {
		uint64_t lo = s->v[i].lo, hi = s->v[i].hi;
		for (uint32_t j = span_at(sp, n, lo); j < n && sp[j].lo <= hi;
		     j++) {
			if (sp[j].lo > lo)
				ivl_push(&out, lo, sp[j].lo - 1);
			lo = sp[j].hi + 1;
		}
		if (lo <= hi)
			ivl_push(&out, lo, hi);
	}
	free(s->v);
	*s = out;
}

static uint64_t ivl_size(const struct ivls *s)
{
	uint64_t n = 0;
	for (uint32_t i = 0; i < s->n; i++)
		n += s->v[i].hi - s->v[i].lo + 1;
	return n;
}

/* How many internet clients' addresses a list holds. */
static uint64_t public_size(const struct rule_ctx *ctx, const struct ivls *s)
{
	struct ivls pub = {0};
	for (uint32_t i = 0; i < s->n; i++)
		ivl_push(&pub, s->v[i].lo, s->v[i].hi);
	ivl_cut_private(&pub, ctx);
	uint64_t n = ivl_size(&pub);
	free(pub.v);
	return n;
}

/* A CIDR when the range is one, else "first-last". */
static void sb_range(struct strbuf *b, uint64_t lo, uint64_t hi)
{
	uint64_t size = hi - lo + 1;
	char a[ADDR_STRLEN], z[ADDR_STRLEN];
	if (!(size & (size - 1)) && !(lo & (size - 1))) {
		uint8_t len = 32;
		while (size > 1) {
			size >>= 1;
			len--;
		}
		char c[CIDR_STRLEN];
		cidr_format(c, (struct cidr){(uint32_t)lo, len});
		strbuf_printf(b, "%s", c);
		return;
	}
	addr_format(a, (uint32_t)lo);
	addr_format(z, (uint32_t)hi);
	strbuf_printf(b, "%s-%s", a, z);
}

/* Whether [lo, hi] holds an address an internet client may have. */
static bool holds_internet(const struct rule_ctx *ctx, uint64_t lo, uint64_t hi)
{
	uint32_t a;
	return internet_addr_in(
	    ctx, (struct reach_range){(uint32_t)lo, (uint32_t)hi}, &a);
}

/*
 * "from anywhere", "from anywhere except 192.0.2.0/24", or "from
 * 203.0.113.0/24, 192.0.2.128/25": sources said the short way, whichever
 * takes fewer ranges.  Gaps that only space no internet client has fills
 * (private blocks, the VPC's own) do not count as exceptions.
 */
static void sb_ranges(struct strbuf *b, const struct rule_ctx *ctx,
		      const struct ivls *src)
{
	struct ivls rest = {0}, shown = {0}, from = {0};
	ivl_push(&rest, 0, UINT32_MAX);
	for (uint32_t i = 0; i < src->n; i++) {
		ivl_cut(&rest, src->v[i].lo, src->v[i].hi);
		/* Bridge a gap no internet client lives in. */
		if (from.n && !holds_internet(ctx, from.v[from.n - 1].hi + 1,
					      src->v[i].lo - 1))
			from.v[from.n - 1].hi = src->v[i].hi;
		else
			ivl_push(&from, src->v[i].lo, src->v[i].hi);
	}
	for (uint32_t i = 0; i < rest.n; i++)
		if (holds_internet(ctx, rest.v[i].lo, rest.v[i].hi))
			ivl_push(&shown, rest.v[i].lo, rest.v[i].hi);
	if (!shown.n) {
		strbuf_printf(b, "from anywhere");
	} else if (shown.n < from.n && shown.n <= 4) {
		strbuf_printf(b, "from anywhere except ");
		for (uint32_t i = 0; i < shown.n; i++) {
			strbuf_printf(b, "%s", i ? ", " : "");
			sb_range(b, shown.v[i].lo, shown.v[i].hi);
		}
	} else {
		strbuf_printf(b, "from ");
		uint32_t n = from.n < 4 ? from.n : 4;
		for (uint32_t i = 0; i < n; i++) {
			strbuf_printf(b, "%s", i ? ", " : "");
			sb_range(b, from.v[i].lo, from.v[i].hi);
		}
		if (from.n > n)
			strbuf_printf(b, " and %u more ranges", from.n - n);
	}
	free(rest.v);
	free(shown.v);
	free(from.v);
}

/* ---- which internet sources reach, exactly ----------------------------- */

/*
 * A reach row's sources are those that reach some port of the row, not
 * each port: SSH may be open to an office range and HTTP to everyone.  A
 * finding names sources for its own ports, so it asks again: public space
 * is cut into the atoms the placement's own rules and routes tell apart
 * (as reach.c does), and each atom is asked through one address.
 */
/* One atom of public space and the ports it reaches. */
struct atom_hit {
	uint64_t lo, hi;
	struct ports ports;
};

/* What the internet reaches of a placement or a resource. */
struct reached {
	struct ports ports;    /* within the ports asked */
	struct ivls src;       /* the sources that reach some of them */
	struct atom_hit *hits; /* which source reaches which port */
	uint32_t n_hits;
	uint32_t probe; /* an address that reaches; the representative
			   client (SIM_INTERNET_ADDR) when it does */
	bool degraded;	/* the worst degraded source's coverage: */
	uint32_t ports_ok, ports_total;
};

static void reached_free(struct reached *r)
{
	ports_free(&r->ports);
	free(r->src.v);
	for (uint32_t i = 0; i < r->n_hits; i++)
		ports_free(&r->hits[i].ports);
	free(r->hits);
	memset(r, 0, sizeof(*r));
}

/* Folds x into acc. */
static void reached_merge(struct reached *acc, const struct reached *x)
{
	if (ports_empty(&x->ports))
		return;
	if (ports_empty(&acc->ports) || x->probe == SIM_INTERNET_ADDR)
		acc->probe = x->probe;
	ports_union(&acc->ports, &acc->ports, &x->ports);
	for (uint32_t i = 0; i < x->src.n; i++)
		ivl_add(&acc->src, x->src.v[i].lo, x->src.v[i].hi);
	acc->hits = xreallocarray(acc->hits, acc->n_hits + x->n_hits,
				  sizeof(*acc->hits));
	for (uint32_t i = 0; i < x->n_hits; i++) {
		struct atom_hit *h = &acc->hits[acc->n_hits++];
		*h =
		    (struct atom_hit){x->hits[i].lo, x->hits[i].hi, PORTS_INIT};
		ports_copy(&h->ports, &x->hits[i].ports);
	}
	if (x->degraded && (!acc->degraded || x->ports_ok < acc->ports_ok)) {
		acc->degraded = true;
		acc->ports_ok = x->ports_ok;
		acc->ports_total = x->ports_total;
	}
}

/* Ports that the same sources reach. */
struct port_group {
	struct ports ports;
	struct ivls src;
};

static bool ivls_equal(const struct ivls *a, const struct ivls *b)
{
	return a->n == b->n &&
	       (!a->n || !memcmp(a->v, b->v, a->n * sizeof(*a->v)));
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/*
 * Groups the ports of r by the exact set of sources that reach them, in
 * port order: SSH from the office and HTTP from anywhere are two groups.
 * Returns the count; *out is the caller's (port_groups_free).
 */
static uint32_t reached_groups(const struct reached *r, struct port_group **out)
{
	uint32_t nb = 0, ng = 0, *b = NULL;
	struct port_group *g = NULL;
	for (uint32_t i = 0; i < r->n_hits; i++) {
		const struct ports *p = &r->hits[i].ports;
		b = xreallocarray(b, nb + 2 * p->n, sizeof(*b));
		for (size_t k = 0; k < p->n; k++) {
			b[nb++] = p->r[k].lo;
			b[nb++] = (uint32_t)p->r[k].hi + 1;
		}
	}
	if (nb)
		qsort(b, nb, sizeof(*b), u32_cmp);
	/* Between two boundaries every source reaches all ports or none. */
	for (uint32_t j = 0; j + 1 < nb; j++) {
		if (b[j] == b[j + 1] ||
		    !ports_contains(&r->ports, (uint16_t)b[j]))
			continue;
		struct ivls src = {0};
		for (uint32_t i = 0; i < r->n_hits; i++)
			if (ports_contains(&r->hits[i].ports, (uint16_t)b[j]))
				ivl_add(&src, r->hits[i].lo, r->hits[i].hi);
		uint32_t k = 0;
		while (k < ng && !ivls_equal(&g[k].src, &src))
			k++;
		if (k == ng) {
			g = xreallocarray(g, ng + 1, sizeof(*g));
			g[ng++] = (struct port_group){PORTS_INIT, src};
		} else {
			free(src.v);
		}
		ports_add(&g[k].ports, (uint16_t)b[j],
			  (uint16_t)(b[j + 1] - 1));
	}
	free(b);
	*out = g;
	return ng;
}

static void port_groups_free(struct port_group *g, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		ports_free(&g[i].ports);
		free(g[i].src.v);
	}
	free(g);
}

/*
 * Which internet sources reach placement p, and on which ports of want
 * (every port when NULL).  r must be zeroed; returns whether any does.
 */
/* What the internet reaches of placement p's class over proto, atom by
 * atom: asked once per class (the members share their atoms and their
 * answers, sim/reach.c) and kept in the context. */
static const struct atom_list *class_atoms(const struct rule_ctx *ctx,
					   uint32_t p, enum proto proto)
{
	const struct model *m = ctx->m;
	uint32_t key[2] = {reach_index_class_of(ctx->ix, p), proto};
	bool added;
	uint32_t e = hmap_insert(&ctx->idx->atoms, key, &added);
	struct atom_list *l = hmap_val(&ctx->idx->atoms, e);
	if (!added)
		return l;
	uint32_t *reps = NULL;
	struct reach_range *ranges = NULL;
	uint32_t n = reach_internet_atoms(ctx->ix, p, &reps, &ranges);
	struct sim_ep dst = ep_of(m, &m->placements[p]);
	struct atom_eval *v = xcalloc(n + 1, sizeof(*v));
	for (uint32_t a = 0; a < n; a++) {
		struct sim_ep src = ep_internet(reps[a]);
		struct sim_result res;
		v[a] = (struct atom_eval){ranges[a].lo,
					  ranges[a].hi,
					  reps[a],
					  PORTS_INIT,
					  false,
					  0,
					  0};
		sim_ports(ctx->s, &src, &dst, proto, &v[a].got, &res);
		v[a].degraded = res.degraded;
		v[a].ports_ok = res.ports_ok;
		v[a].ports_total = res.ports_total;
		sim_result_free(&res);
	}
	free(reps);
	free(ranges);
	/* The map may have moved while sim_ports ran: find the entry
	 * again. */
	l = hmap_val(&ctx->idx->atoms, e);
	l->v = v;
	l->n = n;
	return l;
}

/*
 * Which internet sources reach placement p, and on which ports of want
 * (every port when NULL).  r must be zeroed; returns whether any does.
 */
static bool reach_placement(const struct rule_ctx *ctx,
			    const struct model_placement *p, enum proto proto,
			    const struct ports *want, struct reached *r)
{
	const struct model *m = ctx->m;
	struct ports got = PORTS_INIT;
	/* Nothing on the internet addresses a placement without a public
	 * address (§6.2). */
	if (!p->has_public)
		goto out;
	const struct atom_list *l =
	    class_atoms(ctx, (uint32_t)(p - m->placements), proto);
	for (uint32_t a = 0; a < l->n; a++) {
		const struct atom_eval *x = &l->v[a];
		struct reached one = {0};
		ports_copy(&got, &x->got);
		if (want)
			ports_intersect(&got, &got, want);
		struct atom_hit hit = {x->lo, x->hi, got};
		one.ports = got;
		one.probe = x->rep;
		one.degraded = x->degraded;
		one.ports_ok = x->ports_ok;
		one.ports_total = x->ports_total;
		one.hits = &hit;
		one.n_hits = 1;
		ivl_push(&one.src, x->lo, x->hi);
		/* one borrows got and hit: only its own list is freed. */
		reached_merge(r, &one);
		free(one.src.v);
	}
out:
	ports_free(&got);
	return !ports_empty(&r->ports);
}

/* The same over every placement of resource (k, i); only resources the
 * exposure tables list are asked. */
static bool reach_resource(const struct rule_ctx *ctx, enum model_kind k,
			   uint32_t i, enum proto proto,
			   const struct ports *want, struct reached *r);

/* ---- exposure rows ----------------------------------------------------- */

/* The internet's row for a resource and protocol, when it reaches it. */
static const struct reach_row *exposure(const struct rule_ctx *ctx,
					enum proto proto, enum model_kind k,
					uint32_t i)
{
	return rule_exposure_row(ctx, proto == PROTO_UDP ? RX_UDP : RX_TCP, k,
				 i);
}

static bool reach_resource(const struct rule_ctx *ctx, enum model_kind k,
			   uint32_t i, enum proto proto,
			   const struct ports *want, struct reached *r)
{
	uint32_t np;
	const struct model_placement *pl = model_placements(ctx->m, k, i, &np);
	if (!exposure(ctx, proto, k, i))
		return false;
	for (uint32_t p = 0; p < np; p++) {
		struct reached one = {0};
		reach_placement(ctx, &pl[p], proto, want, &one);
		reached_merge(r, &one);
		reached_free(&one);
	}
	return !ports_empty(&r->ports);
}

/* ---- traces ------------------------------------------------------------ */

/* One connection asked again with a trace, to be quoted. */
struct traced {
	struct sim_ep src, dst;
	struct sim_flow flow;
	struct sim_result res;
	struct sim_trace t;
};

static void traced_run(struct traced *x, const struct sim *s, struct sim_ep src,
		       struct sim_ep dst, struct sim_flow flow)
{
	x->src = src;
	x->dst = dst;
	x->flow = flow;
	sim_trace_init(&x->t);
	sim_connect(s, &x->src, &x->dst, flow, &x->res, &x->t);
}

static void traced_free(struct traced *x)
{
	sim_result_free(&x->res);
	sim_trace_free(&x->t);
}

static const struct sim_step *traced_block(const struct traced *x)
{
	if (x->res.reachable || x->res.block_step < 0 ||
	    (uint32_t)x->res.block_step >= x->t.n)
		return NULL;
	return &x->t.steps[x->res.block_step];
}

/* The id of the component a step names, or NULL. */
static const char *step_comp(const struct model *m, const struct sim_step *st)
{
	if (!st || st->comp_kind >= MK_KIND_COUNT ||
	    st->comp_index >= m->n[st->comp_kind])
		return NULL;
	return obj_id(m, st->comp_kind, st->comp_index);
}

/* "sg-ingress at web-sg", "no-public-ip" */
static void sb_block(struct strbuf *b, const struct model *m,
		     const struct traced *x)
{
	const char *comp = step_comp(m, traced_block(x));
	strbuf_printf(b, "%s", sim_block_name(x->res.block));
	if (comp)
		strbuf_printf(b, " at %s", comp);
}

/* The first blocking step of a load balancer's forward (depth 1), which
 * says why the targets were not reached; NULL when none. */
static const struct sim_step *forward_block(const struct traced *x)
{
	for (uint32_t i = 0; i < x->t.n; i++)
		if (x->t.steps[i].depth > 0 && x->t.steps[i].block != BLK_NONE)
			return &x->t.steps[i];
	return NULL;
}

/* One detail line per step of a trace, at one depth, that let the
 * connection through: the rules a fix would have to change. */
static void detail_allowing_at(struct finding *f, const struct sim_trace *t,
			       int depth)
{
	struct strbuf b = {0};
	for (uint32_t i = 0; i < t->n; i++) {
		const struct sim_step *st = &t->steps[i];
		if (st->block != BLK_NONE || st->kind == SK_NOTE ||
		    st->depth != depth)
			continue;
		strbuf_clear(&b);
		strbuf_printf(&b, "  %s", st->text);
		sb_loc(&b, &st->loc);
		finding_detail(f, "%s", strbuf_str(&b));
	}
	strbuf_free(&b);
}

static void detail_allowing(struct finding *f, const struct traced *x)
{
	detail_allowing_at(f, &x->t, 0);
}

static void detail_unknown(struct finding *f, const char *unknown)
{
	if (unknown)
		finding_detail(f, "unknown: %s; the verdict depends on it",
			       unknown);
}

/*
 * Quotes one traced pair: "SRC -> DST: FLOW blocked at WORD: sentence
 * [where]", the engine's hint, the reply coverage when degraded and the
 * unknown value read.  what, when not NULL, qualifies the flow ("health
 * check").
 */
static void detail_traced(struct finding *f, const struct sim *s,
			  const struct traced *x, const char *what)
{
	char sn[200], dn[200];
	struct strbuf b = {0};
	ep_text(sn, sizeof(sn), s, &x->src);
	ep_text(dn, sizeof(dn), s, &x->dst);
	strbuf_printf(&b, "%s -> %s: ", sn, dn);
	sb_flow(&b, x->flow);
	if (what)
		strbuf_printf(&b, " (%s)", what);
	const struct sim_step *st = traced_block(x);
	/* A load balancer reached whose forward serves no target (§8): the
	 * forward's step, and the target's step that says why. */
	bool fwd_fails =
	    x->res.reachable && x->res.fwd.asked && !x->res.fwd.paths_ok;
	const struct sim_step *fw = fwd_fails ? forward_block(x) : NULL;
	if (x->res.reachable) {
		strbuf_printf(&b, " reachable");
		if (x->res.degraded)
			strbuf_printf(&b,
				      ", degraded: replies reach the client on "
				      "only %u of %u ephemeral ports",
				      x->res.ports_ok, x->res.ports_total);
		int k = x->res.fwd.block_step;
		if (fwd_fails && k >= 0 && (uint32_t)k < x->t.n) {
			strbuf_printf(&b, "; its forward is blocked at %s: %s",
				      sim_block_name(x->res.fwd.block),
				      x->t.steps[k].text);
			sb_loc(&b, &x->t.steps[k].loc);
		}
	} else {
		strbuf_printf(&b, " blocked at %s",
			      sim_block_name(x->res.block));
		if (st) {
			strbuf_printf(&b, ": %s", st->text);
			sb_loc(&b, &st->loc);
		}
	}
	finding_detail(f, "%s", strbuf_str(&b));
	finding_trace(f, strbuf_str(&b), &x->t);
	if (fw) {
		strbuf_clear(&b);
		strbuf_printf(&b, "  at the target: %s: %s",
			      sim_block_name(fw->block), fw->text);
		sb_loc(&b, &fw->loc);
		finding_detail(f, "%s", strbuf_str(&b));
		if (fw->hint)
			finding_detail(f, "  %s", fw->hint);
	}
	if (st && st->hint)
		finding_detail(f, "  %s", st->hint);
	if (!x->res.reachable && x->res.degraded && x->res.ports_total) {
		strbuf_clear(&b);
		sb_ports(&b, &x->res.denied);
		finding_detail(f,
			       "  replies reach the client on only %u of %u "
			       "ephemeral ports (denied: %s)",
			       x->res.ports_ok, x->res.ports_total,
			       strbuf_str(&b));
	}
	if (x->res.unknown)
		finding_detail(f, "  unknown: %s; the verdict depends on it",
			       x->res.unknown);
	strbuf_free(&b);
}

/* ---- load balancers and their targets ---------------------------------- */

/*
 * The engine owns forwarding (sim/lb.c): which node sends to which target
 * of which group, in AWS order, and whether a forward works
 * (sim_forward_check).  The rules below ask it and decide none of it.
 */

static enum proto listener_proto(const struct model_listener *li)
{
	return li->protocol == LBP_UDP ? PROTO_UDP : PROTO_TCP;
}

static struct sim_ep target_ep(const struct sim_target *t)
{
	if (t->placement != MODEL_NONE)
		return (struct sim_ep){.kind = EP_PLACEMENT,
				       .placement = t->placement};
	return (struct sim_ep){
	    .kind = EP_ADDRESS, .addr = t->addr, .subnet = t->subnet};
}

static uint32_t lb_vpc(const struct model *m, uint32_t lb)
{
	uint32_t n;
	const struct model_placement *p =
	    model_placements(m, MK_LOAD_BALANCER, lb, &n);
	return n ? m->subnets[p->subnet].vpc : MODEL_NONE;
}

/* Whether the target with this placement belongs to resource (k, i). */
static bool target_is(const struct model *m, const struct sim_target *t,
		      enum model_kind k, uint32_t i)
{
	return t->placement != MODEL_NONE &&
	       m->placements[t->placement].kind == k &&
	       m->placements[t->placement].index == i;
}

/* The forwards of listener li of load balancer l, node by node. */
static void listener_forwards(const struct model *m, uint32_t l, uint32_t li,
			      struct sim_fwds *out)
{
	uint32_t nn;
	const struct model_placement *nodes =
	    model_placements(m, MK_LOAD_BALANCER, l, &nn);
	for (uint32_t n = 0; n < nn; n++)
		sim_lb_forwards(m, l, li, (uint32_t)(&nodes[n] - m->placements),
				out);
}

/* The target groups load balancer l forwards to over the network (Lambda
 * groups are invoked, not connected to), in listener order and AWS action
 * order, each once; *n receives the count.  The array is the caller's
 * (free). */
static uint32_t *lb_groups(const struct model *m, uint32_t l, uint32_t *n)
{
	const struct model_load_balancer *lb = &m->lbs[l];
	const struct model_listener_rule *rule;
	uint32_t *v = NULL;
	*n = 0;
	for (uint32_t li = 0; li < lb->n_listeners; li++)
		for (uint32_t k = 0; k <= lb->listeners[li].n_rules; k++) {
			const struct model_lb_action *a =
			    sim_listener_action(&lb->listeners[li], k, &rule);
			if (a->kind != LBA_FORWARD ||
			    a->target_group == MODEL_NONE ||
			    m->target_groups[a->target_group].target_type ==
				TT_LAMBDA)
				continue;
			bool dup = false;
			for (uint32_t j = 0; j < *n; j++)
				dup |= v[j] == a->target_group;
			if (dup)
				continue;
			v = xreallocarray(v, *n + 1, sizeof(*v));
			v[(*n)++] = a->target_group;
		}
	return v;
}

/* Whether forward f serves the internet's representative client: the
 * node's health check passes and the client's connection reaches the
 * target (from the client's own address when the group preserves it). */
static bool serves_internet(const struct rule_ctx *ctx, const struct sim_fwd *f)
{
	uint32_t client = SIM_INTERNET_ADDR;
	struct sim_fwd_check ck;
	sim_forward_check(ctx->s, f, &client, &ck, NULL);
	sim_result_free(&ck.res);
	return ck.works;
}

/* A hop internet -> load balancer -> resource (§13): the forward of the
 * first node that serves it. */
struct lb_hops {
	struct sim_fwd *v;
	uint32_t n, cap;
};

static void push_hop(struct lb_hops *out, const struct sim_fwd *f)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? 2 * out->cap : 8;
		out->v = xreallocarray(out->v, out->cap, sizeof(*out->v));
	}
	out->v[out->n++] = *f;
}

/* Forwards by action, target, then node: a target's nodes together. */
static int fwd_cmp(const void *a, const void *b)
{
	const struct sim_fwd *x = a, *y = b;
	if (x->action != y->action)
		return x->action < y->action ? -1 : 1;
	if (x->target_index != y->target_index)
		return x->target_index < y->target_index ? -1 : 1;
	return (x->node > y->node) - (x->node < y->node);
}

/* One listener's hops to (k, i): per target of the resource, the first
 * node (in order) whose forward serves the internet. */
static void listener_hops(const struct rule_ctx *ctx, struct sim_fwds *fw,
			  enum model_kind k, uint32_t i, struct lb_hops *out)
{
	if (fw->n)
		qsort(fw->v, fw->n, sizeof(*fw->v), fwd_cmp);
	for (uint32_t a = 0, b; a < fw->n; a = b) {
		for (b = a; b < fw->n && fw->v[b].action == fw->v[a].action &&
			    fw->v[b].target_index == fw->v[a].target_index;
		     b++)
			;
		if (!target_is(ctx->m, &fw->v[a].target, k, i))
			continue;
		for (uint32_t j = a; j < b; j++)
			if (serves_internet(ctx, &fw->v[j])) {
				push_hop(out, &fw->v[j]);
				break;
			}
	}
}

/*
 * Every way the internet reaches resource (k, i) through a load balancer:
 * a listener the internet reaches whose forward serves the internet's
 * client at one of the resource's placements (health check passed, the
 * traffic let through).  One hop per (listener, placement).
 */
static void lb_hops_to(const struct rule_ctx *ctx, enum model_kind k,
		       uint32_t i, struct lb_hops *out)
{
	const struct model *m = ctx->m;
	struct sim_fwds fw = {0};
	/* Only the forwards reaching (k, i), from the context's index (by
	 * load balancer, then in each one's listener and node order): a
	 * listener's forwards to other resources make no hop here. */
	uint32_t nt;
	const struct fwd_ref *to = rule_forwards_to(ctx, k, i, &nt);
	for (uint32_t a = 0, b; a < nt; a = b) {
		uint32_t l = to[a].lb;
		const struct sim_fwds *all = &ctx->idx->lb_fwds[l];
		for (b = a; b < nt && to[b].lb == l; b++)
			;
		const struct model_load_balancer *lb = &m->lbs[l];
		for (uint32_t li = 0; li < lb->n_listeners; li++) {
			const struct model_listener *lis = &lb->listeners[li];
			const struct reach_row *row = exposure(
			    ctx, listener_proto(lis), MK_LOAD_BALANCER, l);
			if (!row || !ports_contains(&row->some, lis->port))
				continue;
			fw.n = 0;
			for (uint32_t j = a; j < b; j++) {
				const struct sim_fwd *f = &all->v[to[j].fwd];
				if (f->listener != li)
					continue;
				if (fw.n == fw.cap) {
					fw.cap = fw.cap ? 2 * fw.cap : 8;
					fw.v = xreallocarray(fw.v, fw.cap,
							     sizeof(*fw.v));
				}
				fw.v[fw.n++] = *f;
			}
			listener_hops(ctx, &fw, k, i, out);
		}
	}
	sim_fwds_free(&fw);
}

/* ---- exposure details -------------------------------------------------- */

/* An address of the sources to quote a path from: the representative
 * client when it is one of them. */
static uint32_t group_probe(const struct rule_ctx *ctx, const struct ivls *src)
{
	uint32_t a;
	for (uint32_t i = 0; i < src->n; i++)
		if (src->v[i].lo <= SIM_INTERNET_ADDR &&
		    SIM_INTERNET_ADDR <= src->v[i].hi)
			return SIM_INTERNET_ADDR;
	for (uint32_t i = 0; i < src->n; i++)
		if (internet_addr_in(
			ctx,
			(struct reach_range){(uint32_t)src->v[i].lo,
					     (uint32_t)src->v[i].hi},
			&a))
			return a;
	return SIM_INTERNET_ADDR;
}

/*
 * Details for a resource the internet reaches directly: per placement
 * reached and per group of ports with the same sources, the path from
 * one of those sources ("internet -> db@public-a (10.0.1.6): tcp 3306"),
 * and under the first one the steps that let it through.  want[0] /
 * want[1], when not NULL, restrict the tcp / udp ports quoted.
 */
static void detail_exposure(struct finding *f, const struct rule_ctx *ctx,
			    enum model_kind k, uint32_t idx,
			    const struct ports *want[2])
{
	const struct model *m = ctx->m;
	uint32_t np;
	const struct model_placement *pl = model_placements(m, k, idx, &np);
	bool traced = false;
	const char *unknown = NULL;
	struct strbuf b = {0};
	for (uint32_t i = 0; i < np; i++) {
		struct sim_ep dst = ep_of(m, &pl[i]);
		for (int pi = 0; pi < 2; pi++) {
			enum proto proto = pi ? PROTO_UDP : PROTO_TCP;
			const struct reach_row *row =
			    exposure(ctx, proto, k, idx);
			struct reached r = {0};
			struct port_group *g = NULL;
			uint32_t ng = 0;
			if (row && row->unknown && !unknown)
				unknown = row->unknown;
			if (row &&
			    reach_placement(ctx, &pl[i], proto, want[pi], &r))
				ng = reached_groups(&r, &g);
			for (uint32_t j = 0; j < ng; j++) {
				struct sim_ep src =
				    ep_internet(group_probe(ctx, &g[j].src));
				char sn[64], dn[200];
				ep_text(sn, sizeof(sn), ctx->s, &src);
				ep_text(dn, sizeof(dn), ctx->s, &dst);
				strbuf_clear(&b);
				strbuf_printf(&b, "%s -> %s: %s ", sn, dn,
					      proto_name(proto));
				sb_ports(&b, &g[j].ports);
				finding_detail(f, "%s", strbuf_str(&b));
				if (traced)
					continue;
				struct traced x;
				traced_run(&x, ctx->s, src, dst,
					   (struct sim_flow){
					       proto, g[j].ports.r[0].lo});
				finding_trace(f, strbuf_str(&b), &x.t);
				detail_allowing(f, &x);
				if (x.res.degraded)
					finding_detail(
					    f,
					    "  degraded: replies reach the "
					    "client on only %u of %u ephemeral "
					    "ports",
					    x.res.ports_ok, x.res.ports_total);
				traced_free(&x);
				traced = true;
			}
			port_groups_free(g, ng);
			reached_free(&r);
		}
	}
	detail_unknown(f, unknown);
	strbuf_free(&b);
}

static void sb_admin_ports(struct strbuf *b, enum proto proto,
			   const struct ports *p);

/* ---- exposure over IPv6 (§2, §6) ---------------------------------------- */

/*
 * Over IPv6 every address is the internet's own: what keeps the internet
 * out is the gateway, the routes and the filters, not the address.  The
 * rules ask the question of their own (ctx->exposure6_*, the IPv6
 * internet's rows) and report it separately: "reachable from the
 * internet over IPv6".  A row's sources are those that reach some of its
 * ports.
 */

/* The IPv6 internet's row for a resource and protocol, when it reaches
 * it. */
static const struct reach_row *exposure6(const struct rule_ctx *ctx,
					 enum proto proto, enum model_kind k,
					 uint32_t i)
{
	return rule_exposure_row(ctx, proto == PROTO_UDP ? RX_UDP6 : RX_TCP6, k,
				 i);
}

/* The prefix length of [lo, hi] when the range is one block, else -1:
 * the bits they share, then zeros in lo and ones in hi. */
static int range6_len(const struct reach_range6 *r)
{
	int len = 0;
	while (len < 128 &&
	       !((r->lo[len / 8] ^ r->hi[len / 8]) & (0x80 >> (len % 8))))
		len++;
	for (int b = len; b < 128; b++) {
		uint8_t bit = (uint8_t)(0x80 >> (b % 8));
		if ((r->lo[b / 8] & bit) || !(r->hi[b / 8] & bit))
			return -1;
	}
	return len;
}

/* "from anywhere" or "from 2001:db8::/32, ...": a row's IPv6 sources. */
static void sb_sources6(struct strbuf *b, const struct reach_row *r)
{
	if (r->any_source || !r->n_sources6) {
		strbuf_printf(b, "from anywhere");
		return;
	}
	strbuf_printf(b, "from ");
	uint32_t n = r->n_sources6 < 4 ? r->n_sources6 : 4;
	for (uint32_t i = 0; i < n; i++) {
		const struct reach_range6 *x = &r->sources6[i];
		char a[CIDR6_STRLEN], z[CIDR6_STRLEN];
		int len = range6_len(x);
		model_addr6_format(a, x->lo);
		if (len >= 0) {
			strbuf_printf(b, "%s%s/%d", i ? ", " : "", a, len);
		} else {
			model_addr6_format(z, x->hi);
			strbuf_printf(b, "%s%s-%s", i ? ", " : "", a, z);
		}
	}
	if (r->n_sources6 > n)
		strbuf_printf(b, " and %u more ranges", r->n_sources6 - n);
}

/* Whether a row's IPv6 sources are wider than a /48 (one organization's
 * allocation): for administrative ports, open, not restricted. */
static bool sources6_wide(const struct reach_row *r)
{
	if (r->any_source || !r->n_sources6)
		return true;
	for (uint32_t i = 0; i < r->n_sources6; i++) {
		int len = range6_len(&r->sources6[i]);
		if (len < 48) /* a wider block, or a range of several */
			return true;
	}
	return false;
}

/*
 * "tcp 5432 from anywhere": what the IPv6 internet reaches of (k, i)
 * among want (every port when NULL), with the fingerprint key's part
 * ("ipv6;tcp:5432").  With wide_only, only protocols whose sources are
 * wider than a /48 count.
 */
static bool sb_exposure6(const struct rule_ctx *ctx, enum model_kind k,
			 uint32_t i, const struct ports *want[2],
			 bool wide_only, bool admin, struct strbuf *text,
			 struct strbuf *key, struct ports got[2])
{
	bool any = false;
	for (int pi = 0; pi < 2; pi++) {
		enum proto proto = pi ? PROTO_UDP : PROTO_TCP;
		const struct reach_row *row = exposure6(ctx, proto, k, i);
		ports_clear(&got[pi]);
		if (!row || (wide_only && !sources6_wide(row)))
			continue;
		ports_copy(&got[pi], &row->some);
		if (want[pi])
			ports_intersect(&got[pi], &got[pi], want[pi]);
		if (ports_empty(&got[pi]))
			continue;
		strbuf_printf(text, "%s", any ? " and " : "");
		if (admin) {
			sb_admin_ports(text, proto, &got[pi]);
		} else {
			strbuf_printf(text, "%s ", proto_name(proto));
			sb_ports(text, &got[pi]);
		}
		strbuf_printf(text, " ");
		sb_sources6(text, row);
		strbuf_printf(key, "%s%s:", any ? ";" : "ipv6;",
			      proto_name(proto));
		sb_ports(key, &got[pi]);
		any = true;
	}
	return any;
}

/* Details of an exposure over IPv6: per placement and protocol, the
 * path from the IPv6 internet and the ports it reaches, and under the
 * first the steps that let it through. */
static void detail_exposure6(struct finding *f, const struct rule_ctx *ctx,
			     enum model_kind k, uint32_t idx,
			     const struct ports got[2])
{
	const struct model *m = ctx->m;
	uint32_t np;
	const struct model_placement *pl = model_placements(m, k, idx, &np);
	bool traced = false;
	const char *unknown = NULL;
	struct strbuf b = {0};
	struct ports p = PORTS_INIT;
	for (uint32_t i = 0; i < np; i++) {
		struct sim_ep dst = ep_of6(m, &pl[i]);
		struct sim_ep src = ep_internet6(sim_internet6);
		for (int pi = 0; pi < 2; pi++) {
			enum proto proto = pi ? PROTO_UDP : PROTO_TCP;
			struct sim_result res;
			sim_ports(ctx->s, &src, &dst, proto, &p, &res);
			ports_intersect(&p, &p, &got[pi]);
			if (res.unknown && !unknown)
				unknown = res.unknown;
			sim_result_free(&res);
			if (ports_empty(&p))
				continue;
			char sn[64], dn[200];
			ep_text(sn, sizeof(sn), ctx->s, &src);
			ep_text(dn, sizeof(dn), ctx->s, &dst);
			strbuf_clear(&b);
			strbuf_printf(&b, "%s -> %s: %s ", sn, dn,
				      proto_name(proto));
			sb_ports(&b, &p);
			finding_detail(f, "%s", strbuf_str(&b));
			if (traced)
				continue;
			struct traced x;
			traced_run(&x, ctx->s, src, dst,
				   (struct sim_flow){proto, p.r[0].lo});
			detail_allowing(f, &x);
			traced_free(&x);
			traced = true;
		}
	}
	detail_unknown(f, unknown);
	ports_free(&p);
	strbuf_free(&b);
}

/*
 * "tcp 80 from anywhere and tcp 22 from 203.0.113.0/24": the ports of r,
 * grouped by the sources that reach them; with admin, each port named
 * ("22 (SSH)").
 */
static void sb_reached(struct strbuf *b, const struct rule_ctx *ctx,
		       enum proto proto, const struct reached *r, bool admin)
{
	struct port_group *g;
	uint32_t ng = reached_groups(r, &g);
	for (uint32_t i = 0; i < ng; i++) {
		strbuf_printf(b, "%s", i ? " and " : "");
		if (admin) {
			sb_admin_ports(b, proto, &g[i].ports);
		} else {
			strbuf_printf(b, "%s ", proto_name(proto));
			sb_ports(b, &g[i].ports);
		}
		strbuf_printf(b, " ");
		sb_ranges(b, ctx, &g[i].src);
	}
	port_groups_free(g, ng);
}

/*
 * "tcp 3306 from anywhere", "tcp 22 from 203.0.113.0/24 and udp 53 from
 * anywhere": what the internet reaches of (k, i) among want (all when
 * NULL), with a fingerprint key of the ports.  *widest receives the
 * largest number of internet addresses that reach on one protocol.
 */
static bool sb_exposure(const struct rule_ctx *ctx, enum model_kind k,
			uint32_t i, const struct ports *want[2],
			struct strbuf *text, struct strbuf *key,
			uint64_t *widest)
{
	bool any = false;
	*widest = 0;
	for (int pi = 0; pi < 2; pi++) {
		enum proto proto = pi ? PROTO_UDP : PROTO_TCP;
		struct reached r = {0};
		if (reach_resource(ctx, k, i, proto, want[pi], &r)) {
			strbuf_printf(text, "%s", any ? " and " : "");
			sb_reached(text, ctx, proto, &r, false);
			strbuf_printf(key, "%s%s:", any ? ";" : "",
				      proto_name(proto));
			sb_ports(key, &r.ports);
			uint64_t w = public_size(ctx, &r.src);
			*widest = w > *widest ? w : *widest;
			any = true;
		}
		reached_free(&r);
	}
	return any;
}

/* ---- barriers between the internet and a placement --------------------- */

/*
 * What keeps the internet away from a placement that it does not reach
 * (§6), to say how far it is from an exposure.  The engine stops at the
 * first blocking step; the checks below look at the other conditions of
 * §6 on their own, so that "one change away" is said only when nothing
 * else stands in the way.
 */
enum barrier {
	BAR_IGW,
	BAR_PUBLIC,
	BAR_ROUTE,
	BAR_NACL,
	BAR_SG,
	BAR_OTHER,
	BAR_COUNT
};

static enum barrier barrier_of(enum sim_block b)
{
	switch (b) {
	case BLK_NO_IGW:
		return BAR_IGW;
	case BLK_NO_PUBLIC_IP:
		return BAR_PUBLIC;
	case BLK_ROUTE:
	case BLK_NO_ROUTE:
	case BLK_BLACKHOLE:
		return BAR_ROUTE;
	case BLK_NACL_IN:
	case BLK_NACL_OUT:
	case BLK_NACL_REPLY_IN:
	case BLK_NACL_REPLY_OUT:
		return BAR_NACL;
	case BLK_SG_INGRESS:
		return BAR_SG;
	default:
		return BAR_OTHER;
	}
}

/* Whether a rule's match covers the whole flow. */
static bool match_covers(const struct model_match *r, struct sim_flow f)
{
	if (r->proto == PROTO_ALL)
		return true;
	if (f.proto == PROTO_ALL || r->proto != f.proto)
		return false;
	if (r->proto == PROTO_TCP || r->proto == PROTO_UDP)
		return r->port_lo <= f.port && f.port <= r->port_hi;
	if (r->proto == PROTO_ICMP)
		return r->icmp_type < 0 || r->icmp_type == f.port;
	return false;
}

/* How many ports of [lo, hi] a NACL lets through for addr (§5), as the
 * engine decides them. */
static uint32_t nacl_pass(const struct model_network_acl *a, bool inbound,
			  enum proto proto, uint32_t addr, uint16_t lo,
			  uint16_t hi)
{
	struct ports allowed = PORTS_INIT;
	sim_nacl_ports(a, inbound, proto, addr, lo, hi, &allowed);
	uint32_t got = ports_count(&allowed);
	ports_free(&allowed);
	return got;
}

/* Whether a CIDR holds some address an internet client may have. */
static bool public_space(const struct rule_ctx *ctx, struct cidr c)
{
	uint32_t a;
	return c.len <= 32 &&
	       internet_addr_in(ctx, (struct reach_range){c.addr, cidr_last(c)},
				&a);
}

/* Whether a group of the placement admits some internet client. */
static bool sg_admits_internet(const struct rule_ctx *ctx,
			       const struct model_placement *p,
			       struct sim_flow f)
{
	const struct model *m = ctx->m;
	/* NAT gateways and NLBs without groups are not filtered (§8). */
	if (!p->n_groups && (p->kind == MK_NAT_GATEWAY ||
			     (p->kind == MK_LOAD_BALANCER &&
			      m->lbs[p->index].type == LB_NETWORK)))
		return true;
	for (uint32_t g = 0; g < p->n_groups; g++) {
		const struct model_security_group *sg =
		    &m->groups[p->groups[g]];
		for (uint32_t i = 0; i < sg->n_ingress; i++) {
			const struct model_sg_rule *r = &sg->ingress[i];
			if (!match_covers(&r->match, f))
				continue;
			if (r->peer_kind == PEER_CIDR &&
			    public_space(ctx, r->cidr))
				return true;
			if (r->peer_kind == PEER_PREFIX_LIST)
				for (uint32_t c = 0;
				     c < m->prefix_lists[r->peer].n_cidrs; c++)
					if (public_space(
						ctx, m->prefix_lists[r->peer]
							 .cidrs[c]))
						return true;
		}
	}
	return false;
}

/*
 * Fills has[] with the barriers between the internet and placement p for
 * flow f; blocked is the engine's verdict (its first barrier).  Returns
 * how many there are.
 */
static uint32_t internet_barriers(const struct rule_ctx *ctx,
				  const struct model_placement *p,
				  struct sim_flow f, enum sim_block blocked,
				  bool has[BAR_COUNT])
{
	const struct model *m = ctx->m;
	const struct model_subnet *sn = &m->subnets[p->subnet];
	const struct model_network_acl *acl = &m->nacls[sn->nacl];
	memset(has, 0, BAR_COUNT * sizeof(*has));
	has[barrier_of(blocked)] = true;
	if (m->vpcs[sn->vpc].internet_gateway == MODEL_NONE)
		has[BAR_IGW] = true;
	if (!p->has_public)
		has[BAR_PUBLIC] = true;
	if (!sn->is_public)
		has[BAR_ROUTE] = true;
	if (f.proto != PROTO_ALL) {
		uint16_t port =
		    f.proto == PROTO_ICMP ? (uint16_t)f.port : f.port;
		if (!nacl_pass(acl, true, f.proto, SIM_INTERNET_ADDR, port,
			       port))
			has[BAR_NACL] = true;
		/* Replies: most of the client's range must pass (§5). */
		if (f.proto != PROTO_ICMP &&
		    2 * nacl_pass(acl, false, f.proto, SIM_INTERNET_ADDR, 1024,
				  65535) <=
			64512)
			has[BAR_NACL] = true;
	}
	if (!sg_admits_internet(ctx, p, f))
		has[BAR_SG] = true;
	uint32_t n = 0;
	for (int i = 0; i < BAR_COUNT; i++)
		n += has[i];
	return n;
}

/* The barrier as a clause: "its subnet private-a is private (...)". */
static void sb_barrier(struct strbuf *b, const struct model *m,
		       const struct model_placement *p, enum barrier k,
		       struct sim_flow f, const struct traced *x)
{
	const struct model_subnet *sn = &m->subnets[p->subnet];
	switch (k) {
	case BAR_IGW:
		strbuf_printf(b, "VPC %s has no internet gateway",
			      m->vpcs[sn->vpc].obj.id);
		return;
	case BAR_PUBLIC:
		strbuf_printf(b, "it has no public address (%s)",
			      p->public_why ? p->public_why : "none assigned");
		return;
	case BAR_ROUTE:
		strbuf_printf(b, "its subnet %s is private (%s)", sn->obj.id,
			      sn->why ? sn->why
				      : "no route to an internet "
					"gateway");
		return;
	case BAR_NACL:
		strbuf_printf(b,
			      "network ACL %s of subnet %s does not let it "
			      "through",
			      m->nacls[sn->nacl].obj.id, sn->obj.id);
		return;
	case BAR_SG:
		strbuf_printf(b, "no rule of its security groups admits the "
				 "internet on ");
		sb_flow(b, f);
		return;
	case BAR_OTHER:
	case BAR_COUNT:
		break;
	}
	strbuf_printf(b, "the connection stops at ");
	sb_block(b, m, x);
}

/* "one route away" */
static const char *barrier_away(const struct model *m,
				const struct model_placement *p, enum barrier k)
{
	switch (k) {
	case BAR_IGW:
		return "one internet gateway away";
	case BAR_PUBLIC:
		if (p->kind == MK_LOAD_BALANCER &&
		    !m->lbs[p->index].internet_facing)
			return "one scheme change (internet-facing) away";
		return "one public address away";
	case BAR_ROUTE:
		return "one route away";
	case BAR_NACL:
		return "one network ACL rule away";
	case BAR_SG:
		return "one security-group rule away";
	default:
		return "one change away";
	}
}

/*
 * The barriers of a placement as a clause, the engine's first: "its
 * subnet private-a is private (...)" or "it has no public address (...),
 * and no rule ...".  Returns their number.
 */
static uint32_t sb_barriers(struct strbuf *b, const struct rule_ctx *ctx,
			    const struct model_placement *p, struct sim_flow f,
			    const struct traced *x, enum barrier *first)
{
	const struct model *m = ctx->m;
	bool has[BAR_COUNT];
	uint32_t n = internet_barriers(ctx, p, f, x->res.block, has);
	*first = barrier_of(x->res.block);
	sb_barrier(b, m, p, *first, f, x);
	uint32_t done = 1;
	for (int k = 0; k < BAR_COUNT; k++) {
		if (!has[k] || (enum barrier)k == *first ||
		    (enum barrier)k == BAR_OTHER)
			continue;
		strbuf_printf(b, "%s", ++done == n ? ", and " : ", ");
		sb_barrier(b, m, p, (enum barrier)k, f, x);
	}
	return n;
}

/* ---- VS001 db-internet-reachable --------------------------------------- */

/* Whether the internet reaches database d, directly or through a load
 * balancer; hops receives the load-balancer paths. */
static bool db_exposed(const struct rule_ctx *ctx, uint32_t d,
		       struct lb_hops *hops)
{
	lb_hops_to(ctx, MK_DATABASE, d, hops);
	return hops->n || exposure(ctx, PROTO_TCP, MK_DATABASE, d) ||
	       exposure(ctx, PROTO_UDP, MK_DATABASE, d);
}

/* The forward hop of h, traced, with the steps that let it through: the
 * node's own connection, or with client-IP preservation the client's
 * connection and the node's health check.  Returns the unknown read. */
static const char *detail_forward_leg(struct finding *f,
				      const struct rule_ctx *ctx,
				      const struct sim_fwd *h)
{
	struct sim_ep node = ep_of(ctx->m, &ctx->m->placements[h->node]);
	if (!h->preserve) {
		struct traced fwd;
		traced_run(&fwd, ctx->s, node, target_ep(&h->target),
			   h->traffic);
		detail_allowing(f, &fwd);
		const char *u = fwd.res.unknown;
		traced_free(&fwd);
		return u;
	}
	finding_detail(f, "  the target sees the client's address (client "
			  "IP preservation); the health check comes from the "
			  "node and passes");
	uint32_t client = SIM_INTERNET_ADDR;
	struct sim_fwd_check ck;
	struct sim_trace t;
	sim_trace_init(&t);
	sim_forward_check(ctx->s, h, &client, &ck, &t);
	struct sim_trace client_leg = t; /* the client's own connection */
	client_leg.n = ck.health_step;
	detail_allowing_at(f, &client_leg, 1);
	const char *u = ck.res.unknown;
	sim_result_free(&ck.res);
	sim_trace_free(&t);
	return u;
}

/*
 * The two hops of a path through a load balancer, each with the steps
 * that let it through: "internet -> db-nlb@public-a (10.0.1.6): tcp
 * 3306", then "db-nlb@public-a (10.0.1.6) -> db@private-a (10.0.2.5): tcp
 * 3306, forwarded by target group db-tg".
 */
static void detail_hop(struct finding *f, const struct rule_ctx *ctx,
		       const struct sim_fwd *h)
{
	const struct model *m = ctx->m;
	const struct model_listener *li = &m->lbs[h->lb].listeners[h->listener];
	const struct model_target_group *tg =
	    &m->target_groups[h->target_group];
	struct sim_ep node = ep_of(m, &m->placements[h->node]);
	struct sim_ep tep = target_ep(&h->target);
	struct traced in;
	char tn[200], nn[200];
	traced_run(&in, ctx->s, ep_internet(SIM_INTERNET_ADDR), node,
		   (struct sim_flow){listener_proto(li), li->port});
	sim_ep_format(nn, sizeof(nn), ctx->s, &node);
	sim_ep_format(tn, sizeof(tn), ctx->s, &tep);
	finding_detail(f, "internet -> %s: %s %u", nn,
		       proto_name(listener_proto(li)), li->port);
	if (in.res.reachable)
		detail_allowing(f, &in);
	finding_detail(f, "%s -> %s: %s %u, forwarded by target group %s", nn,
		       tn, proto_name(h->traffic.proto), h->target.port,
		       tg->obj.id);
	const char *u = detail_forward_leg(f, ctx, h);
	detail_unknown(f, in.res.unknown ? in.res.unknown : u);
	traced_free(&in);
}

/* ", and on port 3306 through load balancer db-nlb (listener tcp 3306,
 * from anywhere)" once per load balancer and listener of hops, with the
 * fingerprint key's part. */
static void sb_hop_mentions(struct strbuf *msg, struct strbuf *key,
			    const struct rule_ctx *ctx,
			    const struct lb_hops *hops, bool direct)
{
	const struct model *m = ctx->m;
	for (uint32_t i = 0; i < hops->n; i++) {
		const struct sim_fwd *h = &hops->v[i];
		bool seen = false;
		for (uint32_t j = 0; j < i; j++)
			seen |= hops->v[j].lb == h->lb &&
				hops->v[j].listener == h->listener;
		if (seen)
			continue;
		const struct model_listener *li =
		    &m->lbs[h->lb].listeners[h->listener];
		struct ports one = PORTS_INIT;
		struct reached r = {0};
		ports_add(&one, li->port, li->port);
		reach_resource(ctx, MK_LOAD_BALANCER, h->lb, listener_proto(li),
			       &one, &r);
		strbuf_printf(msg,
			      "%s on port %u through load balancer %s "
			      "(listener %s %u, ",
			      direct || i ? ", and" : "", h->target.port,
			      m->lbs[h->lb].obj.id,
			      proto_name(listener_proto(li)), li->port);
		sb_ranges(msg, ctx, &r.src);
		strbuf_printf(msg, ")");
		reached_free(&r);
		ports_free(&one);
		strbuf_printf(key, "%svia:%s:%u", key->n ? ";" : "",
			      m->lbs[h->lb].obj.id, li->port);
	}
}

/* VS001 over IPv6 (§2, §6): a database the IPv6 internet reaches, said
 * separately, so that one IPv4 protects is caught all the same. */
static void db_reachable6(struct rule_ctx *ctx, const struct rule_def *def,
			  uint32_t d, struct strbuf *msg, struct strbuf *key)
{
	const struct model *m = ctx->m;
	const struct ports *all[2] = {NULL, NULL};
	struct ports got[2] = {PORTS_INIT, PORTS_INIT};
	strbuf_clear(msg);
	strbuf_clear(key);
	if (sb_exposure6(ctx, MK_DATABASE, d, all, false, false, msg, key,
			 got)) {
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_DATABASE, d, strbuf_str(key),
		    "database %s is reachable from the internet over IPv6 on "
		    "%s",
		    m->databases[d].obj.id, strbuf_str(msg));
		detail_exposure6(f, ctx, MK_DATABASE, d, got);
	}
	ports_free(&got[0]);
	ports_free(&got[1]);
}

static void run_db_reachable(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	struct strbuf msg = {0}, key = {0}, ports = {0};
	for (uint32_t d = 0; d < m->n[MK_DATABASE]; d++) {
		struct lb_hops hops = {0};
		db_reachable6(ctx, def, d, &msg, &key);
		if (!db_exposed(ctx, d, &hops)) {
			free(hops.v);
			continue;
		}
		strbuf_clear(&msg);
		strbuf_clear(&key);
		strbuf_clear(&ports);
		strbuf_printf(&msg, "%s %s is reachable from the internet",
			      noun(m, MK_DATABASE, d), m->databases[d].obj.id);
		const struct ports *all[2] = {NULL, NULL};
		uint64_t widest;
		bool direct = sb_exposure(ctx, MK_DATABASE, d, all, &ports,
					  &key, &widest);
		if (direct)
			strbuf_printf(&msg, " on %s", strbuf_str(&ports));
		sb_hop_mentions(&msg, &key, ctx, &hops, direct);
		struct finding *f =
		    finding_add(ctx, def, def->severity, MK_DATABASE, d,
				strbuf_str(&key), "%s", strbuf_str(&msg));
		if (direct)
			detail_exposure(f, ctx, MK_DATABASE, d, all);
		for (uint32_t i = 0; i < hops.n; i++)
			detail_hop(f, ctx, &hops.v[i]);
		free(hops.v);
	}
	strbuf_free(&msg);
	strbuf_free(&key);
	strbuf_free(&ports);
}

/* ---- VS002 db-latent-exposure ------------------------------------------ */

static void run_db_latent(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	struct strbuf why = {0}, bar = {0}, best = {0};
	for (uint32_t d = 0; d < m->n[MK_DATABASE]; d++) {
		const struct model_database *db = &m->databases[d];
		/* A cache cluster or a mount target never gets a public
		 * address, wherever it is: no change makes it public. */
		if (db->family == DBF_CACHE || db->family == DBF_FILE_SYSTEM)
			continue;
		uint32_t np;
		const struct model_placement *pl =
		    model_placements(m, MK_DATABASE, d, &np);
		strbuf_clear(&why);
		if (db->publicly_accessible)
			strbuf_printf(&why, "is marked publicly accessible");
		for (uint32_t i = 0, k = 0; i < np; i++) {
			const struct model_subnet *sn =
			    &m->subnets[pl[i].subnet];
			if (!sn->is_public)
				continue;
			if (!k++)
				strbuf_printf(&why,
					      "%sis placed in public subnet ",
					      why.n ? " and " : "");
			else
				strbuf_printf(&why, ", ");
			strbuf_printf(&why, "%s", sn->obj.id);
		}
		struct lb_hops hops = {0};
		bool exposed = db_exposed(ctx, d, &hops) ||
			       exposure6(ctx, PROTO_TCP, MK_DATABASE, d) ||
			       exposure6(ctx, PROTO_UDP, MK_DATABASE, d);
		free(hops.v);
		if (!why.n || exposed || !np)
			continue;
		/* The placement closest to the internet speaks for the
		 * database; every placement's blocking step is quoted. */
		struct sim_flow flow = {PROTO_TCP, db->port};
		struct traced *xs = xcalloc(np, sizeof(*xs));
		uint32_t fewest = UINT32_MAX, pick = 0;
		enum barrier first = BAR_OTHER;
		strbuf_clear(&best);
		for (uint32_t i = 0; i < np; i++) {
			traced_run(&xs[i], ctx->s,
				   ep_internet(SIM_INTERNET_ADDR),
				   ep_of(m, &pl[i]), flow);
			enum barrier fb;
			strbuf_clear(&bar);
			uint32_t n =
			    sb_barriers(&bar, ctx, &pl[i], flow, &xs[i], &fb);
			if (n < fewest) {
				fewest = n;
				pick = i;
				first = fb;
				strbuf_clear(&best);
				strbuf_printf(&best, "%s", strbuf_str(&bar));
			}
		}
		char away[64];
		if (fewest == 1)
			snprintf(away, sizeof(away), "%s",
				 barrier_away(m, &pl[pick], first));
		else
			snprintf(away, sizeof(away), "%u changes away", fewest);
		struct finding *f = finding_add(
		    ctx, def, def->severity, MK_DATABASE, d, NULL,
		    "latent exposure: %s %s %s, but the internet does "
		    "not reach it on tcp %u today: %s; %s from an exposure",
		    noun(m, MK_DATABASE, d), db->obj.id, strbuf_str(&why),
		    db->port, strbuf_str(&best), away);
		for (uint32_t i = 0; i < np; i++) {
			detail_traced(f, ctx->s, &xs[i], NULL);
			traced_free(&xs[i]);
		}
		free(xs);
	}
	strbuf_free(&why);
	strbuf_free(&bar);
	strbuf_free(&best);
}

/* ---- VS003 lb-target-bypass -------------------------------------------- */

/*
 * The load balancers (and target groups) forwarding to resource (k, i),
 * "load balancer alb (target group web-tg)", and the ports they forward
 * to, by protocol (tcp, udp).
 */
static bool sb_lbs_of(struct strbuf *b, const struct rule_ctx *ctx,
		      enum model_kind k, uint32_t i, struct ports fwd[2])
{
	const struct model *m = ctx->m;
	uint32_t n = 0, nt, end;
	/* The forwards to (k, i), from the context's index, by load
	 * balancer: the others' forwards cannot hit. */
	const struct fwd_ref *to = rule_forwards_to(ctx, k, i, &nt);
	for (uint32_t a = 0; a < nt; a = end) {
		uint32_t l = to[a].lb, ng;
		for (end = a; end < nt && to[end].lb == l; end++)
			;
		const struct sim_fwds *fw = &ctx->idx->lb_fwds[l];
		uint32_t *gs = lb_groups(m, l, &ng);
		for (uint32_t g = 0; g < ng; g++) {
			bool hit = false;
			for (uint32_t j = a; j < end; j++) {
				const struct sim_fwd *f = &fw->v[to[j].fwd];
				if (f->target_group != gs[g])
					continue;
				ports_add(&fwd[f->traffic.proto == PROTO_UDP],
					  f->target.port, f->target.port);
				hit = true;
			}
			if (hit)
				strbuf_printf(
				    b, "%sload balancer %s (target group %s)",
				    n++ ? ", " : "", m->lbs[l].obj.id,
				    m->target_groups[gs[g]].obj.id);
		}
		free(gs);
	}
	return n > 0;
}

static void run_lb_bypass(struct rule_ctx *ctx, const struct rule_def *def)
{
	static const enum model_kind kinds[] = {MK_INSTANCE, MK_SERVICE,
						MK_FLEET};
	const struct model *m = ctx->m;
	struct ports fwd[2] = {PORTS_INIT, PORTS_INIT};
	struct strbuf lbs = {0}, ports = {0}, key = {0};
	/* Databases are VS001's (which follows load balancers too), and a
	 * load balancer behind another is meant to be reached by it.  Only
	 * the ports the load balancer forwards to are a way around it:
	 * other open ports are other findings (VS004). */
	for (size_t ki = 0; ki < ARRAY_LEN(kinds); ki++) {
		for (uint32_t i = 0; i < m->n[kinds[ki]]; i++) {
			uint64_t widest;
			strbuf_clear(&lbs);
			strbuf_clear(&ports);
			strbuf_clear(&key);
			ports_clear(&fwd[0]);
			ports_clear(&fwd[1]);
			const struct ports *want[2] = {&fwd[0], &fwd[1]};
			/* The tables first: most resources are not exposed,
			 * and finding a resource's load balancers walks
			 * every target group. */
			if ((!exposure(ctx, PROTO_TCP, kinds[ki], i) &&
			     !exposure(ctx, PROTO_UDP, kinds[ki], i)) ||
			    !sb_lbs_of(&lbs, ctx, kinds[ki], i, fwd) ||
			    !sb_exposure(ctx, kinds[ki], i, want, &ports, &key,
					 &widest))
				continue;
			struct finding *f = finding_add(
			    ctx, def, def->severity, kinds[ki], i,
			    strbuf_str(&key),
			    "%s %s is a target of %s, but the internet "
			    "reaches it directly on %s, around the load "
			    "balancer",
			    noun(m, kinds[ki], i), obj_id(m, kinds[ki], i),
			    strbuf_str(&lbs), strbuf_str(&ports));
			detail_exposure(f, ctx, kinds[ki], i, want);
		}
	}
	ports_free(&fwd[0]);
	ports_free(&fwd[1]);
	strbuf_free(&lbs);
	strbuf_free(&ports);
	strbuf_free(&key);
}

/* ---- VS004 admin-port-exposed ------------------------------------------ */

static const struct {
	enum proto proto;
	uint16_t port;
	const char *name;
} admin_ports[] = {
    {PROTO_TCP, 22, "SSH"},	 {PROTO_TCP, 1433, "SQL Server"},
    {PROTO_TCP, 1521, "Oracle"}, {PROTO_TCP, 3306, "MySQL"},
    {PROTO_TCP, 3389, "RDP"},	 {PROTO_TCP, 5432, "PostgreSQL"},
    {PROTO_UDP, 3389, "RDP"},
};

/*
 * Listener ports of load balancer l whose forwards reach databases only:
 * the exposure is the database's, reported by VS001.
 */
static void db_only_listeners(const struct model *m, uint32_t l,
			      struct ports out[2])
{
	const struct model_load_balancer *lb = &m->lbs[l];
	struct sim_fwds fw = {0};
	ports_clear(&out[0]);
	ports_clear(&out[1]);
	for (uint32_t li = 0; li < lb->n_listeners; li++) {
		uint32_t dbs = 0;
		fw.n = 0;
		listener_forwards(m, l, li, &fw);
		for (uint32_t j = 0; j < fw.n; j++)
			dbs += fw.v[j].target.placement != MODEL_NONE &&
			       m->placements[fw.v[j].target.placement].kind ==
				   MK_DATABASE;
		if (fw.n && dbs == fw.n)
			ports_add(&out[listener_proto(&lb->listeners[li]) ==
				       PROTO_UDP],
				  lb->listeners[li].port,
				  lb->listeners[li].port);
	}
	sim_fwds_free(&fw);
}

/*
 * Below this many internet addresses (a /16) an administrative port is
 * taken to be restricted on purpose (an office, a VPN, a partner), which
 * is the fix this rule asks for; wider than that it is open to the
 * internet.
 */
#define ADMIN_RESTRICTED_MAX 65536u

/* "tcp 22 (SSH), 3389 (RDP)" */
static void sb_admin_ports(struct strbuf *b, enum proto proto,
			   const struct ports *p)
{
	bool first = true;
	strbuf_printf(b, "%s ", proto_name(proto));
	for (size_t a = 0; a < ARRAY_LEN(admin_ports); a++) {
		if (admin_ports[a].proto != proto ||
		    !ports_contains(p, admin_ports[a].port))
			continue;
		strbuf_printf(b, "%s%u (%s)", first ? "" : ", ",
			      admin_ports[a].port, admin_ports[a].name);
		first = false;
	}
}

/* VS004 over IPv6: the administrative ports the IPv6 internet reaches
 * from more than a /48 (one organization's allocation). */
static void admin_ports6(struct rule_ctx *ctx, const struct rule_def *def,
			 enum model_kind k, uint32_t i,
			 const struct ports adm[2], const struct ports dbl[2])
{
	const struct model *m = ctx->m;
	struct ports want[2] = {PORTS_INIT, PORTS_INIT};
	struct ports got[2] = {PORTS_INIT, PORTS_INIT};
	struct strbuf text = {0}, key = {0};
	for (int pi = 0; pi < 2; pi++) {
		ports_copy(&want[pi], &adm[pi]);
		if (k == MK_LOAD_BALANCER)
			ports_diff(&want[pi], &want[pi], &dbl[pi]);
	}
	const struct ports *w[2] = {&want[0], &want[1]};
	if (sb_exposure6(ctx, k, i, w, true, true, &text, &key, got)) {
		uint32_t n = ports_count(&got[0]) + ports_count(&got[1]);
		struct finding *f = finding_add(
		    ctx, def, def->severity, k, i, strbuf_str(&key),
		    "%s %s is reachable from the internet over IPv6 on "
		    "administrative port%s %s",
		    noun(m, k, i), obj_id(m, k, i), n > 1 ? "s" : "",
		    strbuf_str(&text));
		detail_exposure6(f, ctx, k, i, got);
	}
	for (int pi = 0; pi < 2; pi++) {
		ports_free(&want[pi]);
		ports_free(&got[pi]);
	}
	strbuf_free(&text);
	strbuf_free(&key);
}

static void run_admin_unknown(struct rule_ctx *ctx, const struct rule_def *def);

static void run_admin_ports(struct rule_ctx *ctx, const struct rule_def *def)
{
	static const enum model_kind kinds[] = {
	    MK_INSTANCE,     MK_LOAD_BALANCER, MK_SERVICE,
	    MK_VPC_ENDPOINT, MK_NAT_GATEWAY,   MK_FLEET};
	const struct model *m = ctx->m;
	struct ports adm[2] = {PORTS_INIT, PORTS_INIT};
	struct ports dbl[2] = {PORTS_INIT, PORTS_INIT};
	struct ports want[2] = {PORTS_INIT, PORTS_INIT};
	struct strbuf text = {0}, key = {0};
	for (size_t a = 0; a < ARRAY_LEN(admin_ports); a++)
		ports_add(&adm[admin_ports[a].proto == PROTO_UDP],
			  admin_ports[a].port, admin_ports[a].port);
	for (size_t ki = 0; ki < ARRAY_LEN(kinds); ki++) {
		enum model_kind k = kinds[ki];
		for (uint32_t i = 0; i < m->n[k]; i++) {
			uint32_t n_ports = 0;
			bool any = false;
			strbuf_clear(&text);
			strbuf_clear(&key);
			if (k == MK_LOAD_BALANCER)
				db_only_listeners(m, i, dbl);
			/* "tcp 22 (SSH) from anywhere and udp 3389 (RDP)
			 * from ..." for the ports open widely enough. */
			for (int pi = 0; pi < 2; pi++) {
				enum proto proto = pi ? PROTO_UDP : PROTO_TCP;
				struct reached r = {0};
				ports_copy(&want[pi], &adm[pi]);
				if (k == MK_LOAD_BALANCER)
					ports_diff(&want[pi], &want[pi],
						   &dbl[pi]);
				reach_resource(ctx, k, i, proto, &want[pi], &r);
				/* The ports open to more than a restricted
				 * range, asked again alone. */
				struct port_group *g;
				uint32_t ng = reached_groups(&r, &g);
				ports_clear(&want[pi]);
				for (uint32_t j = 0; j < ng; j++)
					if (public_size(ctx, &g[j].src) >
					    ADMIN_RESTRICTED_MAX)
						ports_union(&want[pi],
							    &want[pi],
							    &g[j].ports);
				port_groups_free(g, ng);
				reached_free(&r);
				if (ports_empty(&want[pi]) ||
				    !reach_resource(ctx, k, i, proto, &want[pi],
						    &r)) {
					reached_free(&r);
					continue;
				}
				strbuf_printf(&text, "%s", any ? " and " : "");
				sb_reached(&text, ctx, proto, &r, true);
				strbuf_printf(&key, "%s%s:", any ? ";" : "",
					      proto_name(proto));
				sb_ports(&key, &r.ports);
				n_ports += ports_count(&r.ports);
				any = true;
				reached_free(&r);
			}
			if (any) {
				struct finding *f = finding_add(
				    ctx, def, def->severity, k, i,
				    strbuf_str(&key),
				    "%s %s is reachable from the internet on "
				    "administrative port%s %s",
				    noun(m, k, i), obj_id(m, k, i),
				    n_ports > 1 ? "s" : "", strbuf_str(&text));
				const struct ports *q[2] = {&want[0], &want[1]};
				detail_exposure(f, ctx, k, i, q);
			}
			admin_ports6(ctx, def, k, i, adm, dbl);
		}
	}
	for (int pi = 0; pi < 2; pi++) {
		ports_free(&adm[pi]);
		ports_free(&dbl[pi]);
		ports_free(&want[pi]);
	}
	strbuf_free(&text);
	strbuf_free(&key);
	run_admin_unknown(ctx, def);
}

/* ---- VS004 where what carries a group is not known -------------------- */

/*
 * A group open to the world on an administrative port whose carriers the
 * internet may or may not reach: the group's VPC is not in the input (a
 * Terraform VPC read by a data source, a CloudFormation VpcId without a
 * value), or what carries it is outside the input or unplaced, or the
 * engine's verdict on a carrier is unknown.  No exposure can be shown,
 * and none ruled out: a warning on the group that says which, never the
 * error of a shown path, never silence.
 */

/* Why whether the internet reaches a group's carriers is not known: a
 * headline for the message and a detail line. */
struct why_unknown {
	char *head, *detail; /* owned */
};

struct whys {
	struct why_unknown *v;
	uint32_t n;
};

static void whys_add(struct whys *w, const char *head, const char *detail)
{
	for (uint32_t i = 0; i < w->n; i++)
		if (detail && w->v[i].detail && !strcmp(w->v[i].detail, detail))
			return;
	w->v = xreallocarray(w->v, w->n + 1, sizeof(*w->v));
	w->v[w->n].head = xstrdup(head);
	w->v[w->n++].detail = detail ? xstrdup(detail) : NULL;
}

static void whys_free(struct whys *w)
{
	for (uint32_t i = 0; i < w->n; i++) {
		free(w->v[i].head);
		free(w->v[i].detail);
	}
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

/* Whether rule r admits the world: an IPv4 range with more internet
 * addresses than a restricted one (ADMIN_RESTRICTED_MAX), or ::/0. */
static bool world_open(const struct rule_ctx *ctx,
		       const struct model_sg_rule *r)
{
	if (r->peer_kind == PEER_CIDR6)
		return r->cidr6.len == 0;
	if (r->peer_kind != PEER_CIDR || r->cidr.len > 32)
		return false;
	struct ivls s = {0};
	ivl_add(&s, r->cidr.addr, cidr_last(r->cidr));
	bool open = public_size(ctx, &s) > ADMIN_RESTRICTED_MAX;
	free(s.v);
	return open;
}

/* The administrative ports rule r admits, by protocol (tcp, udp). */
static bool rule_admin_ports(const struct model_sg_rule *r, struct ports out[2])
{
	bool any = false;
	ports_clear(&out[0]);
	ports_clear(&out[1]);
	for (size_t a = 0; a < ARRAY_LEN(admin_ports); a++) {
		const struct model_match *mt = &r->match;
		if (mt->proto != PROTO_ALL &&
		    (mt->proto != admin_ports[a].proto ||
		     admin_ports[a].port < mt->port_lo ||
		     admin_ports[a].port > mt->port_hi))
			continue;
		ports_add(&out[admin_ports[a].proto == PROTO_UDP],
			  admin_ports[a].port, admin_ports[a].port);
		any = true;
	}
	return any;
}

/* The groups of object (k, i), for the kinds that carry groups. */
static const uint32_t *groups_of(const struct model *m, enum model_kind k,
				 uint32_t i, uint32_t *n)
{
	switch (k) {
	case MK_INSTANCE:
		*n = m->instances[i].n_groups;
		return m->instances[i].groups;
	case MK_LOAD_BALANCER:
		*n = m->lbs[i].n_groups;
		return m->lbs[i].groups;
	case MK_SERVICE:
		*n = m->services[i].n_groups;
		return m->services[i].groups;
	case MK_DATABASE:
		*n = m->databases[i].n_groups;
		return m->databases[i].groups;
	case MK_VPC_ENDPOINT:
		*n = m->endpoints[i].n_groups;
		return m->endpoints[i].groups;
	case MK_FLEET:
		*n = m->fleets[i].n_groups;
		return m->fleets[i].groups;
	default:
		*n = 0;
		return NULL;
	}
}

/* Whether (k, i) runs in the region's default VPC, outside the input. */
static bool in_default_vpc(const struct model *m, enum model_kind k, uint32_t i)
{
	return (k == MK_DATABASE && m->databases[i].default_vpc) ||
	       (k == MK_FLEET && m->fleets[i].default_vpc);
}

/* What about group g the input leaves unknown, whatever the rule: its
 * VPC, its carriers without a place, its users outside the input. */
static void group_whys(const struct rule_ctx *ctx, uint32_t g, struct whys *w)
{
	const struct model *m = ctx->m;
	const struct model_security_group *sg = &m->groups[g];
	char head[256];
	if (sg->vpc == MODEL_NONE) {
		whys_add(w, "the VPC is not in the input", NULL);
		for (uint32_t u = 0; u < sg->obj.n_unknowns; u++)
			whys_add(w, "the VPC is not in the input",
				 sg->obj.unknowns[u]);
	} else if (m->vpcs[sg->vpc].external) {
		const struct model_vpc *v = &m->vpcs[sg->vpc];
		const char *u = v->obj.n_unknowns ? v->obj.unknowns[0] : NULL;
		const char *colon = u ? strchr(u, ':') : NULL;
		if (u && colon && !strncmp(u, "the VPC is not", 14))
			snprintf(head, sizeof(head), "%.*s", (int)(colon - u),
				 u);
		else
			snprintf(head, sizeof(head),
				 "the address blocks of VPC %s are not known",
				 v->obj.id);
		whys_add(w, head, u);
	}
	/* The carriers without a place, from the index (kind order, then
	 * index order, as a scan of the model would meet them). */
	uint32_t npl;
	const struct obj_ref *pl = rule_placeless(ctx, &npl);
	for (uint32_t j = 0; j < npl; j++) {
		enum model_kind kd = (enum model_kind)pl[j].kind;
		uint32_t i = pl[j].index, n;
		const uint32_t *gs = groups_of(m, kd, i, &n);
		bool carries = false;
		for (uint32_t k = 0; k < n; k++)
			carries |= gs[k] == g;
		if (!carries)
			continue;
		const struct model_obj *o = model_object(m, kd, i);
		snprintf(head, sizeof(head), "%s %s carries it %s",
			 noun(m, kd, i), o->id,
			 in_default_vpc(m, kd, i)
			     ? "in the region's default VPC, which the "
			       "input does not describe"
			     : "where the input does not say");
		whys_add(w, head, o->n_unknowns ? o->unknowns[0] : NULL);
	}
	/* Launch settings count as uses for VS016 even when a fleet of the
	 * model is what launches from them: then that fleet is the
	 * carrier, judged above. */
	bool fleet_carries = false;
	for (uint32_t i = 0; i < m->n[MK_FLEET]; i++)
		for (uint32_t k = 0; k < m->fleets[i].n_groups; k++)
			fleet_carries |= m->fleets[i].groups[k] == g;
	for (uint32_t u = 0; u < m->n_uses; u++) {
		const struct model_use *x = &m->uses[u];
		if (x->kind != MK_SECURITY_GROUP || x->index != g ||
		    (fleet_carries && (strstr(x->by, "LaunchTemplate") ||
				       strstr(x->by, "LaunchConfiguration") ||
				       strstr(x->by, "aws_launch_"))))
			continue;
		snprintf(head, sizeof(head), "%s uses it, outside the input",
			 x->by);
		whys_add(w, head, NULL);
		break;
	}
}

/*
 * The carriers of group g, for rule r's administrative ports adm: false
 * when the internet reaches one of them there (VS004's error says so);
 * else the carriers whose verdict is unknown are added to w.
 */
static bool carrier_whys(const struct rule_ctx *ctx, uint32_t g,
			 const struct ports adm[2], struct whys *w)
{
	const struct model *m = ctx->m;
	char head[256];
	uint32_t nc;
	const uint32_t *carriers = rule_carriers(ctx, g, &nc);
	for (uint32_t c = 0; c < nc; c++) {
		const struct model_placement *pl = &m->placements[carriers[c]];
		/* Reached over either family: VS004's own finding. */
		for (int pi = 0; pi < 4; pi++) {
			enum proto proto = pi % 2 ? PROTO_UDP : PROTO_TCP;
			const struct reach_row *row =
			    pi < 2 ? exposure(ctx, proto, pl->kind, pl->index)
				   : exposure6(ctx, proto, pl->kind, pl->index);
			struct ports both = PORTS_INIT;
			if (row)
				ports_intersect(&both, &row->some,
						&adm[pi % 2]);
			bool hit = !ports_empty(&both);
			ports_free(&both);
			if (hit)
				return false;
		}
		/* The verdict on the first port the rule opens. */
		int pi = ports_empty(&adm[0]) ? 1 : 0;
		uint16_t port = 0;
		for (size_t a = 0; a < ARRAY_LEN(admin_ports) && !port; a++)
			if ((admin_ports[a].proto == PROTO_UDP) == pi &&
			    ports_contains(&adm[pi], admin_ports[a].port))
				port = admin_ports[a].port;
		struct traced x;
		traced_run(&x, ctx->s, ep_internet(SIM_INTERNET_ADDR),
			   ep_of(m, pl),
			   (struct sim_flow){pi ? PROTO_UDP : PROTO_TCP, port});
		const struct sim_step *st = traced_block(&x);
		if (!x.res.reachable && x.res.block == BLK_UNKNOWN) {
			snprintf(head, sizeof(head),
				 "the internet's way to %s %s is not known",
				 noun(m, pl->kind, pl->index),
				 obj_id(m, pl->kind, pl->index));
			whys_add(w, head,
				 x.res.unknown ? x.res.unknown
				 : st	       ? st->text
					       : NULL);
		}
		traced_free(&x);
	}
	return true;
}

/* "tcp 22 (SSH) and udp 3389 (RDP)" */
static void sb_admin_both(struct strbuf *b, const struct ports adm[2])
{
	for (int pi = 0; pi < 2; pi++) {
		if (ports_empty(&adm[pi]))
			continue;
		if (pi && !ports_empty(&adm[0]))
			strbuf_printf(b, " and ");
		sb_admin_ports(b, pi ? PROTO_UDP : PROTO_TCP, &adm[pi]);
	}
}

static void admin_unknown_group(struct rule_ctx *ctx,
				const struct rule_def *def, uint32_t g)
{
	const struct model *m = ctx->m;
	const struct model_security_group *sg = &m->groups[g];
	struct ports adm[2] = {PORTS_INIT, PORTS_INIT};
	struct whys gw = {0}, w = {0};
	struct strbuf ports = {0}, key = {0};
	bool asked = false;
	for (uint32_t i = 0; i < sg->n_ingress; i++) {
		const struct model_sg_rule *r = &sg->ingress[i];
		if (!world_open(ctx, r) || !rule_admin_ports(r, adm))
			continue;
		if (!asked) {
			group_whys(ctx, g, &gw);
			asked = true;
		}
		whys_free(&w);
		for (uint32_t k = 0; k < gw.n; k++)
			whys_add(&w, gw.v[k].head, gw.v[k].detail);
		if (!carrier_whys(ctx, g, adm, &w) || !w.n)
			continue;
		char peer[96];
		model_sg_peer_format(peer, sizeof(peer), m, r);
		strbuf_clear(&ports);
		sb_admin_both(&ports, adm);
		strbuf_clear(&key);
		char rk[256];
		finding_sg_rule_key(rk, sizeof(rk), m, r, false);
		strbuf_printf(&key, "unknown:%s", rk);
		uint32_t n_ports = ports_count(&adm[0]) + ports_count(&adm[1]);
		struct finding *f = finding_add(
		    ctx, def, SEV_WARNING, MK_SECURITY_GROUP, g,
		    strbuf_str(&key),
		    "security group %s admits %s on administrative port%s %s "
		    "(ingress rule %u, line %u): open to the world; whether "
		    "anything reachable carries it is unknown: %s",
		    sg->obj.id, peer, n_ports > 1 ? "s" : "",
		    strbuf_str(&ports), r->number, r->loc.line, w.v[0].head);
		f->loc = r->loc.line ? r->loc : sg->obj.loc;
		/* Each reason, with the value the input leaves unknown
		 * (said once when that begins with the reason). */
		for (uint32_t k = 0; k < w.n; k++) {
			const char *h = w.v[k].head, *d = w.v[k].detail;
			if (d && !strncmp(d, h, strlen(h)))
				finding_detail(f, "%s", d);
			else if (d)
				finding_detail(f, "%s: %s", h, d);
			else if (k)
				finding_detail(f, "%s", h);
		}
		finding_detail(f, "no exposure is shown and none is ruled "
				  "out: narrow the rule, or give vpcsim what "
				  "is missing");
	}
	whys_free(&gw);
	whys_free(&w);
	ports_free(&adm[0]);
	ports_free(&adm[1]);
	strbuf_free(&ports);
	strbuf_free(&key);
}

static void run_admin_unknown(struct rule_ctx *ctx, const struct rule_def *def)
{
	for (uint32_t g = 0; g < ctx->m->n[MK_SECURITY_GROUP]; g++)
		admin_unknown_group(ctx, def, g);
}

/* ---- VS005 lb-target-unreachable --------------------------------------- */

/* One node-to-target path of a target group, as checked. */
struct lb_path {
	uint32_t node;	 /* placement */
	bool has_target; /* false: the node sends to no target of the group */
	struct sim_fwd fwd;
	bool ok;
	struct sim_flow flow; /* the failing leg's flow */
	const char *leg;      /* "traffic", "health check", "client" */
};

/* Availability zone of a path's side, "" when unknown. */
static const char *az_of(const struct model *m, uint32_t subnet)
{
	const char *az = m->subnets[subnet].az;
	return az ? az : "";
}

/* The subnet of a path's target (side 0) or node (side 1). */
static uint32_t path_subnet(const struct model *m, const struct lb_path *p,
			    int side)
{
	return side == 0 ? p->fwd.target.subnet : m->placements[p->node].subnet;
}

/* The zone all working paths share on one side, or NULL; *bad_elsewhere
 * says whether failing ones lie elsewhere (and none in it). */
static const char *one_ok_zone(const struct model *m, const struct lb_path *p,
			       uint32_t n, int side, bool *bad_elsewhere)
{
	const char *ok_az = NULL;
	*bad_elsewhere = false;
	for (uint32_t i = 0; i < n; i++) {
		if (!p[i].ok || (side == 0 && !p[i].has_target))
			continue;
		const char *az = az_of(m, path_subnet(m, &p[i], side));
		if (!ok_az)
			ok_az = az;
		else if (strcmp(ok_az, az))
			return NULL;
	}
	for (uint32_t i = 0; i < n && ok_az; i++) {
		if (p[i].ok || (side == 0 && !p[i].has_target))
			continue;
		if (!strcmp(az_of(m, path_subnet(m, &p[i], side)), ok_az))
			return NULL;
		*bad_elsewhere = true;
	}
	return ok_az;
}

/*
 * "works in one AZ (us-east-1a): ..." when every working path reaches
 * targets of one zone and the failing ones are elsewhere, or starts from
 * nodes of one zone; else a count.
 */
static void sb_one_az(struct strbuf *b, const struct model *m,
		      const struct lb_path *p, uint32_t n)
{
	for (int side = 0; side < 2; side++) {
		bool bad_elsewhere;
		const char *ok_az = one_ok_zone(m, p, n, side, &bad_elsewhere);
		if (ok_az && *ok_az && bad_elsewhere) {
			strbuf_printf(
			    b,
			    "works in one AZ only (%s): only %s in %s "
			    "%s",
			    ok_az, side == 0 ? "targets" : "nodes", ok_az,
			    side == 0 ? "are reached" : "reach them");
			return;
		}
	}
	uint32_t bad = 0;
	for (uint32_t i = 0; i < n; i++)
		bad += !p[i].ok;
	strbuf_printf(b, "%u path%s fail%s", bad, bad == 1 ? "" : "s",
		      bad == 1 ? "s" : "");
}

/*
 * Checks one path with the engine's forward check.  With client-IP
 * preservation on an internet-facing load balancer the traffic is the
 * internet client's; on an internal one the clients are unknown and only
 * the nodes' health check is judged (§8).
 */
static void check_path(const struct rule_ctx *ctx, struct lb_path *p)
{
	const struct sim_fwd *f = &p->fwd;
	const struct model_load_balancer *lb = &ctx->m->lbs[f->lb];
	uint32_t client = SIM_INTERNET_ADDR;
	bool from_client = f->preserve && lb->internet_facing;
	struct sim_fwd_check ck;
	sim_forward_check(ctx->s, f, from_client ? &client : NULL, &ck, NULL);
	p->ok = f->preserve && !from_client ? ck.healthy : ck.works;
	sim_result_free(&ck.res);
	if (p->ok)
		return;
	if (f->preserve && (!ck.healthy || !from_client)) {
		p->leg = "health check";
		p->flow = f->health;
	} else if (f->preserve) {
		p->leg = "client";
		p->flow = f->traffic;
	} else if (ck.health_failed) {
		p->leg = "health check";
		p->flow = f->health;
	} else {
		p->leg = "traffic";
		p->flow = f->traffic;
	}
}

/* A failing path traced: the node's own connection on the failing leg,
 * or with client-IP preservation the forward of the internet client's
 * connection (the engine's, sim_forward_check). */
static void trace_path(const struct rule_ctx *ctx, const struct lb_path *p,
		       struct traced *x)
{
	struct sim_ep node = ep_of(ctx->m, &ctx->m->placements[p->node]);
	if (strcmp(p->leg, "client")) {
		traced_run(x, ctx->s, node, target_ep(&p->fwd.target), p->flow);
		return;
	}
	uint32_t client = SIM_INTERNET_ADDR;
	struct sim_fwd_check ck;
	x->src = node;
	x->dst = target_ep(&p->fwd.target);
	x->flow = p->flow;
	sim_trace_init(&x->t);
	sim_forward_check(ctx->s, &p->fwd, &client, &ck, &x->t);
	x->res = ck.res;
}

/* Quotes a failing path. */
static void detail_path(struct finding *f, const struct rule_ctx *ctx,
			const struct lb_path *p)
{
	const struct model *m = ctx->m;
	char nn[200];
	struct sim_ep node = ep_of(m, &m->placements[p->node]);
	if (!p->has_target) {
		sim_ep_format(nn, sizeof(nn), ctx->s, &node);
		if (m->lbs[p->fwd.lb].cross_zone)
			finding_detail(f,
				       "node %s sends to no target: every "
				       "target is in an availability zone "
				       "the load balancer does not enable",
				       nn);
		else
			finding_detail(
			    f,
			    "node %s has no target in its availability "
			    "zone (%s), and cross-zone load balancing "
			    "is off",
			    nn, az_of(m, m->placements[p->node].subnet));
		return;
	}
	struct traced x;
	trace_path(ctx, p, &x);
	detail_traced(f, ctx->s, &x,
		      !strcmp(p->leg, "client")
			  ? "the client's connection, its address preserved"
		      : !strcmp(p->leg, "traffic") ? NULL
						   : p->leg);
	traced_free(&x);
}

/* The first listener of lb (AWS order within) that forwards to tg. */
static uint32_t listener_of(const struct model_load_balancer *lb, uint32_t tg)
{
	const struct model_listener_rule *rule;
	for (uint32_t li = 0; li < lb->n_listeners; li++)
		for (uint32_t k = 0; k <= lb->listeners[li].n_rules; k++) {
			const struct model_lb_action *a =
			    sim_listener_action(&lb->listeners[li], k, &rule);
			if (a->kind == LBA_FORWARD && a->target_group == tg)
				return li;
		}
	return 0;
}

/* The paths of target group tgi from every node of load balancer l, as
 * the engine forwards (a node without any is one path without a target);
 * *n receives their count.  The array is the caller's (free). */
static struct lb_path *group_paths(const struct rule_ctx *ctx, uint32_t l,
				   uint32_t tgi, uint32_t *n)
{
	const struct model *m = ctx->m;
	uint32_t nn, cap = 0, li = listener_of(&m->lbs[l], tgi);
	const struct model_placement *nodes =
	    model_placements(m, MK_LOAD_BALANCER, l, &nn);
	struct lb_path *p = NULL;
	struct sim_fwds fw = {0};
	*n = 0;
	for (uint32_t i = 0; i < nn; i++) {
		uint32_t node = (uint32_t)(&nodes[i] - m->placements), any = 0;
		fw.n = 0;
		sim_lb_forwards(m, l, li, node, &fw);
		for (uint32_t j = 0; j <= fw.n; j++) {
			/* j == fw.n: a node that sends this group nothing. */
			if (j < fw.n && fw.v[j].target_group != tgi)
				continue;
			if (j == fw.n && any)
				break;
			if (*n == cap) {
				cap = cap ? 2 * cap : 16;
				p = xreallocarray(p, cap, sizeof(*p));
			}
			p[*n] = (struct lb_path){.node = node,
						 .has_target = j < fw.n};
			p[*n].fwd.lb = l;
			if (j < fw.n) {
				p[*n].fwd = fw.v[j];
				check_path(ctx, &p[*n]);
			}
			any++;
			(*n)++;
		}
	}
	sim_fwds_free(&fw);
	return p;
}

/* "none of its 4 node-to-target paths works: sg-ingress at web-sg". */
static void sb_none_works(struct strbuf *how, const struct model *m, uint32_t n,
			  const struct traced *x)
{
	strbuf_printf(how, "none of its %u node-to-target path%s works", n,
		      n == 1 ? "" : "s");
	if (!x) {
		strbuf_printf(how, ": no target in the nodes' zones");
		return;
	}
	const struct sim_step *fw = forward_block(x);
	strbuf_printf(how, ": ");
	if (fw && x->res.reachable && x->res.fwd.asked &&
	    !x->res.fwd.paths_ok) {
		const char *c = step_comp(m, fw);
		strbuf_printf(how, "%s%s%s", sim_block_name(fw->block),
			      c ? " at " : "", c ? c : "");
	} else {
		sb_block(how, m, x);
	}
}

/* The first failing path with a target, traced as detail_path quotes it;
 * false when there is none. */
static bool trace_first_failing(const struct rule_ctx *ctx,
				const struct lb_path *p, uint32_t n,
				struct traced *x)
{
	const struct lb_path *first = NULL;
	for (uint32_t i = 0; i < n && !first; i++)
		if (!p[i].ok && p[i].has_target)
			first = &p[i];
	if (!first)
		return false;
	trace_path(ctx, first, x);
	return true;
}

/* Whether every failing path with a target fails on the client's own
 * connection only (its health check passes). */
static bool clients_only(const struct lb_path *p, uint32_t n)
{
	bool any = false;
	for (uint32_t i = 0; i < n; i++) {
		if (p[i].ok || !p[i].has_target)
			continue;
		if (strcmp(p[i].leg, "client"))
			return false;
		any = true;
	}
	return any;
}

/* A target group that a listener forwards to has no target: the load
 * balancer answers 503 and is still reached (§8), so it is no error. */
static void empty_group(struct rule_ctx *ctx, const struct rule_def *def,
			uint32_t l, uint32_t tgi)
{
	const struct model *m = ctx->m;
	const struct model_target_group *tg = &m->target_groups[tgi];
	const struct model_load_balancer *lb = &m->lbs[l];
	struct finding *f = finding_add(
	    ctx, def, SEV_INFO, MK_LOAD_BALANCER, l, tg->obj.id,
	    "load balancer %s forwards to target group %s, which has no "
	    "target: the listener answers 503 until targets register",
	    lb->obj.id, tg->obj.id);
	finding_detail(f, "the load balancer is still reached (its listener "
			  "answers); its own exposure is judged as for any "
			  "other resource");
}

/* Checks one target group of load balancer l; one finding when a path
 * fails. */
static void lb_group_check(struct rule_ctx *ctx, const struct rule_def *def,
			   uint32_t l, uint32_t tgi)
{
	const struct model *m = ctx->m;
	const struct model_load_balancer *lb = &m->lbs[l];
	const struct model_target_group *tg = &m->target_groups[tgi];
	struct sim_target t0;
	uint32_t n = 0, n_ok = 0, nn;
	struct lb_path *p = NULL;
	struct strbuf legs = {0}, how = {0};
	struct traced x = {0};
	struct finding *f;
	bool have_x = false;
	model_placements(m, MK_LOAD_BALANCER, l, &nn);
	if (!nn)
		goto out;
	if (!sim_tg_targets(m, tgi, lb_vpc(m, l), &t0, 1)) {
		empty_group(ctx, def, l, tgi);
		goto out;
	}
	p = group_paths(ctx, l, tgi, &n);
	for (uint32_t i = 0; i < n; i++)
		n_ok += p[i].ok;
	if (n_ok == n)
		goto out;
	/* "tcp 3000", "tcp 3000 (health check on 8080)" */
	uint16_t hc = tg->health_check_port;
	strbuf_printf(
	    &legs, "%s %u",
	    proto_name(tg->protocol == LBP_UDP ? PROTO_UDP : PROTO_TCP),
	    t0.port);
	if (hc && hc != t0.port)
		strbuf_printf(&legs, " (health check on %u)", hc);
	have_x = trace_first_failing(ctx, p, n, &x);
	if (n_ok == 0) {
		sb_none_works(&how, m, n, have_x ? &x : NULL);
		f = finding_add(ctx, def, def->severity, MK_LOAD_BALANCER, l,
				tg->obj.id,
				"load balancer %s cannot reach its targets in "
				"target group %s on %s: %s",
				lb->obj.id, tg->obj.id, strbuf_str(&legs),
				strbuf_str(&how));
		if (clients_only(p, n))
			finding_detail(f,
				       "the targets pass their health checks "
				       "but refuse the clients' own "
				       "addresses (client IP preservation): "
				       "no internet client is served");
		else
			finding_detail(f,
				       "the targets fail their health checks "
				       "and clients get 503 errors");
	} else {
		sb_one_az(&how, m, p, n);
		f = finding_add(
		    ctx, def, def->severity, MK_LOAD_BALANCER, l, tg->obj.id,
		    "load balancer %s reaches its targets in target "
		    "group %s on %s from some placements only (%u "
		    "of %u node-to-target paths work): %s",
		    lb->obj.id, tg->obj.id, strbuf_str(&legs), n_ok, n,
		    strbuf_str(&how));
	}
	if (lb->type == LB_NETWORK && tg->preserve_client_ip &&
	    !lb->internet_facing)
		finding_detail(f, "the targets see the clients' own addresses "
				  "(client IP preservation): only the health "
				  "check from the nodes is checked");
	uint32_t quoted = 0, bad = n - n_ok;
	for (uint32_t i = 0; i < n && quoted < MAX_QUOTED; i++)
		if (!p[i].ok) {
			detail_path(f, ctx, &p[i]);
			quoted++;
		}
	if (bad > quoted)
		finding_detail(f, "... and %u more failing paths",
			       bad - quoted);
out:
	if (have_x)
		traced_free(&x);
	free(p);
	strbuf_free(&legs);
	strbuf_free(&how);
}

static void run_lb_targets(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	for (uint32_t l = 0; l < m->n[MK_LOAD_BALANCER]; l++) {
		uint32_t ng;
		uint32_t *gs = lb_groups(m, l, &ng);
		for (uint32_t g = 0; g < ng; g++)
			lb_group_check(ctx, def, l, gs[g]);
		free(gs);
	}
}

/* ---- VS006 intended-flow-blocked --------------------------------------- */

/*
 * The flows that test rule r against destination dst: the destination's
 * service ports that the rule covers, else the rule's lowest port (all
 * traffic for protocol -1, the rule's ICMP type or echo for icmp).  0 when
 * the rule cannot concern this destination: it serves other ports only,
 * or it is a load balancer with no listener at all.
 */
static uint32_t rule_flows(const struct sim *s, const struct sim_ep *dst,
			   const struct model_match *r, struct sim_flow *out,
			   uint32_t max)
{
	struct sim_flow svc[32];
	uint32_t nsvc, n = 0;
	sim_service_ports(s, dst, svc, 32, &nsvc);
	if (nsvc) {
		for (uint32_t i = 0; i < nsvc && n < max; i++)
			if (match_covers(r, svc[i]))
				out[n++] = svc[i];
		return n;
	}
	/* A load balancer accepts on its listeners only: without one in
	 * the input (its listeners may be another stack's), a rule of a
	 * group it shares is meant for the group's other members. */
	const struct model *m = sim_model(s);
	if (dst->kind == EP_PLACEMENT &&
	    m->placements[dst->placement].kind == MK_LOAD_BALANCER)
		return 0;
	switch (r->proto) {
	case PROTO_TCP:
	case PROTO_UDP:
		/* Port 0 is not a port a client connects to. */
		out[n++] = (struct sim_flow){
		    r->proto, r->port_lo ? r->port_lo : (r->port_hi ? 1 : 0)};
		break;
	case PROTO_ALL:
		out[n++] = (struct sim_flow){PROTO_ALL, 0};
		break;
	case PROTO_ICMP:
		out[n++] = (struct sim_flow){
		    PROTO_ICMP, r->icmp_type >= 0 ? (uint16_t)r->icmp_type : 8};
		break;
	default:
		break;
	}
	return n;
}

/* Whether an ingress rule of group dst naming src covers egress rule e. */
static const struct model_sg_rule *ingress_twin(const struct model *m,
						uint32_t src, uint32_t dst,
						const struct model_sg_rule *e)
{
	const struct model_security_group *g = &m->groups[dst];
	for (uint32_t i = 0; i < g->n_ingress; i++) {
		const struct model_sg_rule *r = &g->ingress[i];
		if (r->peer_kind != PEER_GROUP || r->peer != src)
			continue;
		const struct model_match *a = &r->match, *b = &e->match;
		if (a->proto == PROTO_ALL ||
		    (a->proto == b->proto &&
		     (((a->proto == PROTO_TCP || a->proto == PROTO_UDP) &&
		       a->port_lo <= b->port_lo && b->port_hi <= a->port_hi) ||
		      (a->proto == PROTO_ICMP &&
		       (a->icmp_type < 0 || a->icmp_type == b->icmp_type)))))
			return r;
	}
	return NULL;
}

/* The egress rule of src naming dst that an ingress rule also states. */
static const struct model_sg_rule *egress_twin(const struct model *m,
					       uint32_t src, uint32_t dst,
					       const struct model_sg_rule *in)
{
	const struct model_security_group *g = &m->groups[src];
	for (uint32_t i = 0; i < g->n_egress; i++)
		if (g->egress[i].peer_kind == PEER_GROUP &&
		    g->egress[i].peer == dst &&
		    ingress_twin(m, src, dst, &g->egress[i]) == in)
			return &g->egress[i];
	return NULL;
}

/* A pair of placements whose flow failed or degraded. */
struct bad_pair {
	uint32_t src, dst; /* placements */
	struct sim_flow flow;
	bool blocked;
	uint32_t ports_ok, ports_total;
};

/* The pair's failing (or degraded) flow among those of rule r: a blocked
 * flow outweighs a degraded one of the same pair.  Returns whether one
 * is; *unknown receives the first unknown value read. */
static bool pair_fails(const struct rule_ctx *ctx, struct bad_pair *bp,
		       const struct sim_flow *fl, uint32_t nf,
		       const char **unknown)
{
	bool is_bad = false;
	bp->flow = fl[0];
	for (uint32_t k = 0; k < nf && !bp->blocked; k++) {
		const struct sim_result *res =
		    reach_memo_connect(ctx->memo, bp->src, bp->dst, fl[k]);
		if (res->unknown && !*unknown)
			*unknown = res->unknown;
		if (!res->reachable || res->degraded) {
			is_bad = true;
			bp->flow = fl[k];
			bp->blocked = !res->reachable;
			bp->ports_ok = res->degraded ? res->ports_ok : 0;
			bp->ports_total = res->degraded ? res->ports_total : 0;
		}
	}
	return is_bad;
}

/* The flows of rule r to each carrier of dst_g (nf[j] of them from
 * fl[j * 32]; 0 when none is meant to end there: a function's
 * interface shares the group but accepts nothing). */
static void carrier_flows(const struct rule_ctx *ctx,
			  const struct model_sg_rule *r, const uint32_t *dv,
			  uint32_t nd, struct sim_flow *fl, uint32_t *nf)
{
	for (uint32_t j = 0; j < nd; j++) {
		struct sim_ep dst = {.kind = EP_PLACEMENT, .placement = dv[j]};
		const struct model_placement *q = &ctx->m->placements[dv[j]];
		nf[j] =
		    q->kind == MK_FLEET &&
			    ctx->m->fleets[q->index].role == FLEET_FUNCTION
			? 0
			: rule_flows(ctx->s, &dst, &r->match, &fl[j * 32], 32);
	}
}

/* A carrier's key for the question of a class pair: its class, or one
 * of its own (above every class) when its object has unknown values,
 * which the memo answers placement by placement. */
static uint64_t pair_key(const struct rule_ctx *ctx, uint32_t p)
{
	const struct model_placement *pl = &ctx->m->placements[p];
	if (model_object(ctx->m, pl->kind, pl->index)->n_unknowns)
		return ((uint64_t)1 << 32) | p;
	return reach_index_class_of(ctx->ix, p);
}

/* One carrier per distinct key among v (the first in order), into reps;
 * returns their count.  With flows, two destinations share a key only
 * when their flows agree too. */
struct rep {
	uint64_t key;
	uint32_t at; /* index into the carriers */
};

static int rep_cmp(const void *a, const void *b)
{
	const struct rep *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

static bool same_flows(const struct sim_flow *a, uint32_t na,
		       const struct sim_flow *b, uint32_t nb)
{
	if (na != nb)
		return false;
	for (uint32_t k = 0; k < na; k++)
		if (a[k].proto != b[k].proto || a[k].port != b[k].port)
			return false;
	return true;
}

static uint32_t distinct_reps(const struct rule_ctx *ctx, const uint32_t *v,
			      uint32_t n, const struct sim_flow *fl,
			      const uint32_t *nf, struct rep *reps)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < n; i++)
		if (!nf || nf[i])
			reps[k++] = (struct rep){pair_key(ctx, v[i]), i};
	qsort(reps, k, sizeof(*reps), rep_cmp);
	uint32_t out = 0;
	for (uint32_t i = 0; i < k; i++) {
		bool dup = false;
		for (uint32_t j = out; j-- > 0 && reps[j].key == reps[i].key;)
			if (!nf ||
			    same_flows(&fl[reps[j].at * 32], nf[reps[j].at],
				       &fl[reps[i].at * 32], nf[reps[i].at])) {
				dup = true;
				break;
			}
		if (!dup)
			reps[out++] = reps[i];
	}
	return out;
}

/*
 * Whether any pair of carriers may fail: one question per pair of
 * distinct keys (class of the source, class and flows of the
 * destination), which the memo answers for every pair sharing them.  A
 * pair of keys met only by a placement paired with itself (which the
 * rule does not ask) is asked anyway and may say "maybe": the caller
 * then asks every pair, so this only saves work, never changes it.
 */
static bool any_pair_fails(const struct rule_ctx *ctx, const uint32_t *sv,
			   uint32_t ns, const uint32_t *dv, uint32_t nd,
			   const struct sim_flow *fl, const uint32_t *nf)
{
	struct rep *rs = xcalloc(ns + 1, sizeof(*rs));
	struct rep *rd = xcalloc(nd + 1, sizeof(*rd));
	uint32_t nrs = distinct_reps(ctx, sv, ns, NULL, NULL, rs);
	uint32_t nrd = distinct_reps(ctx, dv, nd, fl, nf, rd);
	bool fails = false;
	const char *unknown = NULL;
	for (uint32_t a = 0; a < nrs && !fails; a++)
		for (uint32_t b = 0; b < nrd && !fails; b++) {
			uint32_t sp = sv[rs[a].at], dp = dv[rd[b].at];
			struct bad_pair bp = {sp,    dp, fl[rd[b].at * 32],
					      false, 0,	 0};
			fails =
			    sp == dp || pair_fails(ctx, &bp, &fl[rd[b].at * 32],
						   nf[rd[b].at], &unknown);
		}
	free(rs);
	free(rd);
	return fails;
}

/* The pairs of members of src_g and dst_g whose flow for rule r fails or
 * degrades (the caller's array, *n_bad of them); *pairs receives how
 * many pairs the rule concerns, *unknown the first unknown value read.
 * When no question of distinct classes fails, no pair does: the pairs
 * are then not walked one by one (their count is only read with a
 * failure). */
static struct bad_pair *bad_pairs(const struct rule_ctx *ctx,
				  const struct model_sg_rule *r, uint32_t src_g,
				  uint32_t dst_g, uint32_t *n_bad,
				  uint32_t *pairs, const char **unknown)
{
	struct bad_pair *bad = NULL;
	uint32_t ns, nd;
	const uint32_t *sv = rule_carriers(ctx, src_g, &ns);
	const uint32_t *dv = rule_carriers(ctx, dst_g, &nd);
	*n_bad = *pairs = 0;
	*unknown = NULL;
	if (!ns || !nd)
		return NULL;
	struct sim_flow *fl = xcalloc((size_t)nd * 32, sizeof(*fl));
	uint32_t *nf = xcalloc(nd, sizeof(*nf));
	carrier_flows(ctx, r, dv, nd, fl, nf);
	if (!any_pair_fails(ctx, sv, ns, dv, nd, fl, nf))
		goto out;
	for (uint32_t i = 0; i < ns; i++)
		for (uint32_t j = 0; j < nd; j++) {
			uint32_t sp = sv[i], dp = dv[j];
			if (sp == dp || !nf[j])
				continue;
			(*pairs)++;
			struct bad_pair bp = {sp, dp, fl[j * 32], false, 0, 0};
			if (!pair_fails(ctx, &bp, &fl[j * 32], nf[j], unknown))
				continue;
			bad = xreallocarray(bad, *n_bad + 1, sizeof(*bad));
			bad[(*n_bad)++] = bp;
		}
out:
	free(fl);
	free(nf);
	return bad;
}

/* "intended flow A -> B on tcp 3306 (ingress rule 1 of B, line 80; also
 * egress rule 2 of A, line 70) ": what the rule states. */
static void sb_intent(struct strbuf *msg, const struct model *m, uint32_t g,
		      bool egress, const struct model_sg_rule *r,
		      uint32_t src_g, uint32_t dst_g)
{
	char mt[64];
	model_match_format(mt, sizeof(mt), &r->match);
	strbuf_printf(msg,
		      "intended flow %s -> %s on %s (%s rule %u of %s, "
		      "line %u",
		      m->groups[src_g].obj.id, m->groups[dst_g].obj.id, mt,
		      egress ? "egress" : "ingress", r->number,
		      m->groups[g].obj.id, r->loc.line);
	const struct model_sg_rule *twin =
	    egress ? NULL : egress_twin(m, src_g, dst_g, r);
	if (twin)
		strbuf_printf(msg, "; also egress rule %u of %s, line %u",
			      twin->number, m->groups[src_g].obj.id,
			      twin->loc.line);
	strbuf_printf(msg, ") ");
}

/* "is blocked for 2 of 4 placement pairs: WORD at COMP; degraded for 1
 * pair: ...": how the pairs fail, the first blocked one traced. */
static void sb_failures(struct strbuf *msg, const struct rule_ctx *ctx,
			const struct bad_pair *bad, uint32_t n_bad,
			uint32_t pairs)
{
	uint32_t n_blocked = 0, n_deg = 0;
	const struct bad_pair *worst = NULL, *first = NULL;
	for (uint32_t i = 0; i < n_bad; i++) {
		n_blocked += bad[i].blocked;
		n_deg += !bad[i].blocked;
		if (bad[i].blocked && !first)
			first = &bad[i];
		/* The reachable-but-degraded pair that loses the most. */
		if (!bad[i].blocked &&
		    (!worst || bad[i].ports_ok < worst->ports_ok))
			worst = &bad[i];
	}
	if (n_blocked == pairs)
		strbuf_printf(
		    msg, "is blocked for every placement pair (%u): ", pairs);
	else if (n_blocked)
		strbuf_printf(msg, "is blocked for %u of %u placement pairs: ",
			      n_blocked, pairs);
	if (first) {
		struct traced x;
		traced_run(&x, ctx->s,
			   (struct sim_ep){.kind = EP_PLACEMENT,
					   .placement = first->src},
			   (struct sim_ep){.kind = EP_PLACEMENT,
					   .placement = first->dst},
			   first->flow);
		sb_block(msg, ctx->m, &x);
		traced_free(&x);
	}
	if (worst)
		strbuf_printf(msg,
			      "%sdegraded for %u pair%s: replies reach the "
			      "client on only %u of %u ephemeral ports (%u "
			      "fail)",
			      n_blocked ? "; " : "is ", n_deg,
			      n_deg == 1 ? "" : "s", worst->ports_ok,
			      worst->ports_total,
			      worst->ports_total - worst->ports_ok);
}

/* Quotes the bad pairs, blocked ones first, then degraded ones, and the
 * unknown value read when no quoted pair shows it. */
static void detail_bad_pairs(struct finding *f, const struct rule_ctx *ctx,
			     const struct bad_pair *bad, uint32_t n_bad,
			     const char *unknown)
{
	uint32_t quoted = 0;
	bool quoted_unknown = false;
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < n_bad && quoted < MAX_QUOTED; i++) {
			if (bad[i].blocked != (pass == 0))
				continue;
			struct traced y;
			traced_run(&y, ctx->s,
				   (struct sim_ep){.kind = EP_PLACEMENT,
						   .placement = bad[i].src},
				   (struct sim_ep){.kind = EP_PLACEMENT,
						   .placement = bad[i].dst},
				   bad[i].flow);
			detail_traced(f, ctx->s, &y, NULL);
			quoted_unknown |= y.res.unknown != NULL;
			traced_free(&y);
			quoted++;
		}
	if (n_bad > quoted)
		finding_detail(f, "... and %u more pairs", n_bad - quoted);
	/* detail_traced quotes the unknowns of the pairs it shows; a pair
	 * not shown may have read one too. */
	if (unknown && !quoted_unknown)
		detail_unknown(f, unknown);
}

/* Checks the intended flow of one rule (written on group g) from the
 * members of src_g to those of dst_g. */
static void flow_check(struct rule_ctx *ctx, const struct rule_def *def,
		       uint32_t g, bool egress, const struct model_sg_rule *r,
		       uint32_t src_g, uint32_t dst_g)
{
	uint32_t n_bad, pairs, n_blocked = 0;
	const char *unknown;
	struct strbuf msg = {0}, key = {0};
	struct bad_pair *bad =
	    bad_pairs(ctx, r, src_g, dst_g, &n_bad, &pairs, &unknown);
	if (!n_bad)
		goto out;
	for (uint32_t i = 0; i < n_bad; i++)
		n_blocked += bad[i].blocked;
	sb_intent(&msg, ctx->m, g, egress, r, src_g, dst_g);
	sb_failures(&msg, ctx, bad, n_bad, pairs);
	char rk[256];
	finding_sg_rule_key(rk, sizeof(rk), ctx->m, r, egress);
	strbuf_printf(&key, "%s", rk);
	struct finding *f = finding_add(
	    ctx, def, n_blocked == pairs ? def->severity : SEV_WARNING,
	    MK_SECURITY_GROUP, g, strbuf_str(&key), "%s", strbuf_str(&msg));
	finding_at(f, r->loc);
	detail_bad_pairs(f, ctx, bad, n_bad, unknown);
out:
	free(bad);
	strbuf_free(&msg);
	strbuf_free(&key);
}

static void run_intended_flows(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	for (uint32_t g = 0; g < m->n[MK_SECURITY_GROUP]; g++) {
		const struct model_security_group *sg = &m->groups[g];
		for (uint32_t i = 0; i < sg->n_ingress; i++) {
			const struct model_sg_rule *r = &sg->ingress[i];
			if (r->peer_kind == PEER_GROUP)
				flow_check(ctx, def, g, false, r, r->peer, g);
		}
		for (uint32_t i = 0; i < sg->n_egress; i++) {
			const struct model_sg_rule *r = &sg->egress[i];
			/* Stated by the destination's ingress rule too:
			 * checked (and reported) there once. */
			if (r->peer_kind == PEER_GROUP &&
			    !ingress_twin(m, g, r->peer, r))
				flow_check(ctx, def, g, true, r, g, r->peer);
		}
	}
}

/* ---- VS007 ecs-no-image-pull ------------------------------------------- */

/* Why a task cannot reach an AWS service, in the words of §7 and §9. */
static const char *pull_cause(enum sim_block b)
{
	switch (b) {
	case BLK_NO_ROUTE:
		return "no route to the internet: no NAT gateway, no public "
		       "address, no VPC endpoint";
	case BLK_NAT_NOT_PUBLIC:
		return "the NAT gateway cannot reach the internet";
	case BLK_NO_PUBLIC_IP:
		return "the route leads to an internet gateway, but the tasks "
		       "get no public address";
	case BLK_BLACKHOLE:
		return "the route is a blackhole";
	case BLK_NO_IGW:
		return "the VPC has no internet gateway";
	case BLK_SG_EGRESS:
		return "the tasks' security groups do not let HTTPS out";
	case BLK_SG_INGRESS:
		return "the endpoint's security group does not admit the tasks";
	case BLK_NACL_OUT:
	case BLK_NACL_IN:
	case BLK_NACL_REPLY_IN:
	case BLK_NACL_REPLY_OUT:
		return "a network ACL drops the connection or its replies";
	default:
		return "the connection is blocked";
	}
}

/* The first failing pair of an answer, or NULL. */
static const struct sim_pair *first_failing(const struct sim_answer *a)
{
	for (uint32_t i = 0; i < a->n; i++)
		if (!a->pairs[i].res.reachable)
			return &a->pairs[i];
	return NULL;
}

/*
 * "no-route at private-a-rt (no route to ...)", once per distinct
 * blocking word, prefixed with the services it stops when they differ.
 */
static void sb_pull_causes(struct strbuf *b, const struct model *m,
			   const struct sim_answer *ans,
			   const enum sim_service *svcs, size_t n)
{
	const struct sim_pair *first[8] = {0};
	bool distinct = false;
	for (size_t k = 0; k < n; k++) {
		first[k] = first_failing(&ans[k]);
		for (size_t j = 0; j < k && first[k]; j++)
			if (first[j] &&
			    first[j]->res.block != first[k]->res.block)
				distinct = true;
	}
	uint32_t said = 0;
	for (size_t k = 0; k < n; k++) {
		if (!first[k])
			continue;
		bool dup = false;
		for (size_t j = 0; j < k; j++)
			dup |= first[j] &&
			       first[j]->res.block == first[k]->res.block;
		if (dup)
			continue;
		strbuf_printf(b, "%s", said++ ? "; " : "");
		if (distinct) {
			/* The services this cause stops. */
			for (size_t j = k, c = 0; j < n; j++)
				if (first[j] &&
				    first[j]->res.block == first[k]->res.block)
					strbuf_printf(
					    b, "%s%s", c++ ? ", " : "",
					    sim_service_name(svcs[j]));
			strbuf_printf(b, ": ");
		}
		const struct sim_pair *p = first[k];
		const struct sim_step *st =
		    p->res.block_step >= 0 &&
			    (uint32_t)p->res.block_step < p->trace.n
			? &p->trace.steps[p->res.block_step]
			: NULL;
		const char *comp = step_comp(m, st);
		strbuf_printf(b, "%s%s%s (%s)", sim_block_name(p->res.block),
			      comp ? " at " : "", comp ? comp : "",
			      pull_cause(p->res.block));
	}
}

/* Scratch text of the VS007 messages. */
struct pull_bufs {
	struct strbuf list, key, where, cause;
};

/*
 * Whether the tasks of service s can pull and log from the source (kind,
 * index): the service's own placements (awsvpc tasks on Fargate, whose
 * interface pulls), or a fleet of container instances (tasks on EC2,
 * whose container agent pulls the image and whose Docker daemon ships the
 * logs, over the instance's interface).  One finding per failing source.
 */
static void pull_from(struct rule_ctx *ctx, const struct rule_def *def,
		      uint32_t s, enum model_kind kind, uint32_t index,
		      struct pull_bufs *b)
{
	static const enum sim_service svcs[] = {SVC_ECR, SVC_S3, SVC_LOGS};
	const struct model *m = ctx->m;
	uint32_t np;
	const struct model_placement *pl =
	    model_placements(m, kind, index, &np);
	if (!np)
		return;
	const char *src_id = model_object(m, kind, index)->id;
	struct sim_sel src = {
	    .kind = SEL_RESOURCE, .rkind = kind, .rindex = index};
	snprintf(src.name, sizeof(src.name), "%s", src_id);
	struct sim_answer ans[ARRAY_LEN(svcs)];
	bool fail[ARRAY_LEN(svcs)], every = true;
	uint32_t n_fail = 0;
	for (size_t k = 0; k < ARRAY_LEN(svcs); k++) {
		struct sim_sel dst = {.kind = SEL_SERVICE, .service = svcs[k]};
		snprintf(dst.name, sizeof(dst.name), "%s",
			 sim_service_name(svcs[k]));
		sim_answer(&ans[k], ctx->s, &src, &dst,
			   (struct sim_flow){PROTO_TCP, 443}, true);
		fail[k] = ans[k].verdict != VERDICT_ALL;
		n_fail += fail[k];
		every &= !fail[k] || ans[k].verdict == VERDICT_NONE;
	}
	if (!n_fail)
		goto out;
	strbuf_clear(&b->list);
	strbuf_clear(&b->key);
	strbuf_clear(&b->where);
	strbuf_clear(&b->cause);
	for (size_t k = 0, j = 0; k < ARRAY_LEN(svcs); k++)
		if (fail[k]) {
			j++;
			strbuf_printf(&b->list, "%s%s",
				      j == 1	    ? ""
				      : j == n_fail ? " and "
						    : ", ",
				      sim_service_name(svcs[k]));
			strbuf_printf(&b->key, "%s%s", j > 1 ? "," : "",
				      sim_service_name(svcs[k]));
		}
	if (kind != MK_SERVICE)
		strbuf_printf(&b->key, "@%s", src_id);
	if (every) {
		strbuf_printf(&b->where, "from any placement");
	} else {
		/* The subnets where the source fails. */
		strbuf_printf(&b->where, "when placed in ");
		for (uint32_t i = 0, j = 0; i < np; i++) {
			bool bad = false;
			for (size_t k = 0; k < ARRAY_LEN(svcs); k++)
				bad |= !ans[k].pairs[i].res.reachable;
			if (bad)
				strbuf_printf(&b->where, "%s%s",
					      j++ ? ", " : "",
					      m->subnets[pl[i].subnet].obj.id);
		}
	}
	sb_pull_causes(&b->cause, m, ans, svcs, ARRAY_LEN(svcs));
	bool img = fail[0] || fail[1];
	const char *svc_id = m->services[s].obj.id;
	struct finding *f =
	    kind == MK_SERVICE
		? finding_add(
		      ctx, def, def->severity, MK_SERVICE, s,
		      strbuf_str(&b->key),
		      "ECS service %s cannot reach %s on tcp 443 %s, "
		      "so its tasks cannot %s%s%s: %s",
		      svc_id, strbuf_str(&b->list), strbuf_str(&b->where),
		      img ? "pull their image" : "",
		      img && fail[2] ? " or " : "",
		      fail[2] ? "ship their logs" : "", strbuf_str(&b->cause))
		: finding_add(
		      ctx, def, def->severity, MK_SERVICE, s,
		      strbuf_str(&b->key),
		      "ECS service %s runs on EC2, where the container "
		      "instances pull the image and ship the logs, and its "
		      "cluster's instances %s cannot reach %s on tcp 443 %s, "
		      "so its tasks cannot %s%s%s there: %s",
		      svc_id, src_id, strbuf_str(&b->list),
		      strbuf_str(&b->where), img ? "pull their image" : "",
		      img && fail[2] ? " or " : "",
		      fail[2] ? "ship their logs" : "", strbuf_str(&b->cause));
	uint32_t quoted = 0, bad = 0;
	for (size_t k = 0; k < ARRAY_LEN(svcs); k++)
		for (uint32_t i = 0; i < ans[k].n; i++) {
			const struct sim_pair *pr = &ans[k].pairs[i];
			if (pr->res.reachable)
				continue;
			bad++;
			if (quoted >= MAX_QUOTED)
				continue;
			/* Borrowed from the answer, which frees it. */
			struct traced y = {.src = pr->src,
					   .dst = pr->dst,
					   .flow = ans[k].flow,
					   .res = pr->res,
					   .t = pr->trace};
			detail_traced(f, ctx->s, &y, NULL);
			quoted++;
		}
	if (bad > quoted)
		finding_detail(f, "... and %u more", bad - quoted);
out:
	for (size_t k = 0; k < ARRAY_LEN(svcs); k++)
		sim_answer_free(&ans[k]);
}

static void run_image_pull(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	struct pull_bufs b = {0};
	for (uint32_t s = 0; s < m->n[MK_SERVICE]; s++) {
		const struct model_service *sv = &m->services[s];
		if (!sv->on_ec2) {
			pull_from(ctx, def, s, MK_SERVICE, s, &b);
			continue;
		}
		/* On EC2 the pull is the container instances' (the fleets
		 * that join the service's cluster); with none in the
		 * input, nothing says where the pull starts. */
		const char *cluster = sv->cluster ? sv->cluster : "default";
		for (uint32_t f = 0; f < m->n[MK_FLEET]; f++)
			if (m->fleets[f].ecs_cluster &&
			    !strcmp(m->fleets[f].ecs_cluster, cluster))
				pull_from(ctx, def, s, MK_FLEET, f, &b);
	}
	strbuf_free(&b.list);
	strbuf_free(&b.key);
	strbuf_free(&b.where);
	strbuf_free(&b.cause);
}

/* ---- VS017 open-group-unreachable -------------------------------------- */

/* Whether the internet reaches resource (k, i) on a port the rule covers. */
static bool reached_on(const struct rule_ctx *ctx, enum model_kind k,
		       uint32_t i, const struct model_match *r)
{
	const struct model *m = ctx->m;
	if (r->proto == PROTO_ICMP) {
		uint32_t np;
		const struct model_placement *pl =
		    model_placements(m, k, i, &np);
		bool hit = false;
		for (uint32_t p = 0; p < np && !hit; p++) {
			struct sim_ep src = ep_internet(SIM_INTERNET_ADDR);
			struct sim_ep dst = ep_of(m, &pl[p]);
			struct sim_result res;
			sim_connect(ctx->s, &src, &dst,
				    (struct sim_flow){
					PROTO_ICMP, r->icmp_type >= 0
							? (uint16_t)r->icmp_type
							: 8},
				    &res, NULL);
			hit = res.reachable;
			sim_result_free(&res);
		}
		return hit;
	}
	for (int pi = 0; pi < 2; pi++) {
		enum proto proto = pi ? PROTO_UDP : PROTO_TCP;
		if (r->proto != PROTO_ALL && r->proto != proto)
			continue;
		const struct reach_row *row = exposure(ctx, proto, k, i);
		if (!row)
			continue;
		if (r->proto == PROTO_ALL ||
		    ports_meets(&row->some, r->port_lo, r->port_hi))
			return true;
	}
	return false;
}

/* Whether (k, i) is a target that a network load balancer the internet
 * reaches forwards to with the client's address preserved: its open rule
 * is what lets those clients in. */
static bool preserved_target(const struct rule_ctx *ctx, enum model_kind k,
			     uint32_t i)
{
	const struct model *m = ctx->m;
	uint32_t nt;
	const struct fwd_ref *to = rule_forwards_to(ctx, k, i, &nt);
	for (uint32_t j = 0; j < nt; j++) {
		uint32_t l = to[j].lb;
		if (m->lbs[l].type == LB_NETWORK &&
		    ctx->idx->lb_fwds[l].v[to[j].fwd].preserve &&
		    (exposure(ctx, PROTO_TCP, MK_LOAD_BALANCER, l) ||
		     exposure(ctx, PROTO_UDP, MK_LOAD_BALANCER, l)))
			return true;
	}
	return false;
}

/* The flow a trace of the open rule asks: a service port it covers, else
 * its lowest port; SSH for all traffic, the port scanned first. */
static bool open_rule_flow(const struct sim *s, const struct sim_ep *dst,
			   const struct model_match *r, struct sim_flow *out)
{
	if (rule_flows(s, dst, r, out, 1) != 1)
		return false;
	if (out->proto == PROTO_ALL)
		*out = (struct sim_flow){PROTO_TCP, 22};
	return out->proto == PROTO_TCP || out->proto == PROTO_UDP ||
	       out->proto == PROTO_ICMP;
}

/* One resource carrying an open group that the internet does not reach. */
struct unreached {
	enum model_kind kind;
	uint32_t index;
	uint32_t placement; /* the one closest to the internet */
	struct sim_flow flow;
	uint32_t n_barriers;
	enum barrier first;
};

/* Resources named in a message before "and N more". */
#define MAX_NAMED 5

/* "instance a, instance b and instance c", or "... and 12 more". */
static void sb_names(struct strbuf *b, const struct model *m,
		     const struct model_placement *const *pl, uint32_t n)
{
	uint32_t shown = n <= MAX_NAMED ? n : MAX_NAMED;
	for (uint32_t i = 0; i < shown; i++)
		strbuf_printf(b, "%s%s %s",
			      i == 0			     ? ""
			      : i + 1 == shown && shown == n ? " and "
							     : ", ",
			      noun(m, pl[i]->kind, pl[i]->index),
			      obj_id(m, pl[i]->kind, pl[i]->index));
	if (n > shown)
		strbuf_printf(b, " and %u more", n - shown);
}

/* The internet's verdict on a placement, untraced: its block. */
static enum sim_block internet_block(const struct rule_ctx *ctx,
				     const struct model_placement *pl,
				     struct sim_flow fl, bool *reachable)
{
	struct sim_ep src = ep_internet(SIM_INTERNET_ADDR);
	struct sim_ep dst = ep_of(ctx->m, pl);
	struct sim_result res;
	sim_connect(ctx->s, &src, &dst, fl, &res, NULL);
	*reachable = res.reachable;
	sim_result_free(&res);
	return res.block;
}

/* A later placement of the owner last listed in u: it speaks for the
 * owner when it is closer to the internet (fewer barriers). */
static void closer_placement(const struct rule_ctx *ctx, struct unreached *last,
			     uint32_t p)
{
	const struct model_placement *pl = &ctx->m->placements[p];
	bool has[BAR_COUNT], reachable;
	enum sim_block blk = internet_block(ctx, pl, last->flow, &reachable);
	uint32_t nb = internet_barriers(ctx, pl, last->flow, blk, has);
	if (!reachable && nb < last->n_barriers) {
		last->placement = p;
		last->n_barriers = nb;
		last->first = barrier_of(blk);
	}
}

/* Whether placement p (an owner's first) carries an open rule r that the
 * internet does not use today; fills *out when it does. */
static bool unreached_owner(const struct rule_ctx *ctx, uint32_t p,
			    const struct model_sg_rule *r,
			    struct unreached *out)
{
	const struct model *m = ctx->m;
	const struct model_placement *pl = &m->placements[p];
	/* An internet-facing load balancer is open by design: when the
	 * internet does not reach it, it is broken, not one change from an
	 * exposure. */
	if (pl->kind == MK_LOAD_BALANCER && m->lbs[pl->index].internet_facing)
		return false;
	struct sim_ep dst = ep_of(m, pl);
	struct sim_flow fl;
	if (reached_on(ctx, pl->kind, pl->index, &r->match) ||
	    !open_rule_flow(ctx->s, &dst, &r->match, &fl) ||
	    preserved_target(ctx, pl->kind, pl->index))
		return false;
	bool has[BAR_COUNT], reachable;
	enum sim_block blk = internet_block(ctx, pl, fl, &reachable);
	/* Not listening is no exposure in waiting; an unknown verdict is
	 * neither (VS004 warns of administrative ports there). */
	if (reachable || blk == BLK_NOT_LISTENING || blk == BLK_UNKNOWN)
		return false;
	*out = (struct unreached){pl->kind,
				  pl->index,
				  p,
				  fl,
				  internet_barriers(ctx, pl, fl, blk, has),
				  barrier_of(blk)};
	return true;
}

/* The resources carrying group g whose open rule r the internet does not
 * use, each at its placement closest to the internet; *n their count. */
static struct unreached *unreached_carriers(const struct rule_ctx *ctx,
					    uint32_t g,
					    const struct model_sg_rule *r,
					    uint32_t *n)
{
	const struct model *m = ctx->m;
	struct unreached *u = NULL;
	uint32_t nc;
	const uint32_t *carriers = rule_carriers(ctx, g, &nc);
	*n = 0;
	for (uint32_t c = 0; c < nc; c++) {
		uint32_t p = carriers[c];
		const struct model_placement *pl = &m->placements[p];
		/* Placements are grouped by owner: the owner is judged at
		 * its first one, and later ones may only be closer to the
		 * internet. */
		bool same_owner = p > 0 &&
				  m->placements[p - 1].kind == pl->kind &&
				  m->placements[p - 1].index == pl->index;
		if (same_owner) {
			if (*n && u[*n - 1].kind == pl->kind &&
			    u[*n - 1].index == pl->index)
				closer_placement(ctx, &u[*n - 1], p);
			continue;
		}
		struct unreached one;
		if (!unreached_owner(ctx, p, r, &one))
			continue;
		u = xreallocarray(u, *n + 1, sizeof(*u));
		u[(*n)++] = one;
	}
	return u;
}

/* Quotes each unreached resource, the closest one first: its traced
 * verdict and what keeps it out. */
static void detail_unreached(struct finding *f, const struct rule_ctx *ctx,
			     const struct unreached *u, uint32_t nu,
			     uint32_t best)
{
	struct strbuf bar = {0};
	for (uint32_t k = 0, quoted = 0; k < nu && quoted < MAX_QUOTED; k++) {
		uint32_t i = k == 0 ? best : k <= best ? k - 1 : k;
		struct traced x;
		const struct model_placement *pl =
		    &ctx->m->placements[u[i].placement];
		traced_run(&x, ctx->s, ep_internet(SIM_INTERNET_ADDR),
			   ep_of(ctx->m, pl), u[i].flow);
		detail_traced(f, ctx->s, &x, NULL);
		enum barrier fb;
		strbuf_clear(&bar);
		sb_barriers(&bar, ctx, pl, u[i].flow, &x, &fb);
		finding_detail(f, "  kept out by: %s", strbuf_str(&bar));
		traced_free(&x);
		quoted++;
	}
	if (nu > MAX_QUOTED)
		finding_detail(f, "... and %u more", nu - MAX_QUOTED);
	strbuf_free(&bar);
}

static void open_rule_check(struct rule_ctx *ctx, const struct rule_def *def,
			    uint32_t g, const struct model_sg_rule *r)
{
	const struct model *m = ctx->m;
	const struct model_security_group *sg = &m->groups[g];
	const struct model_placement **named = NULL;
	uint32_t nu;
	struct strbuf who = {0}, key = {0};
	struct unreached *u = unreached_carriers(ctx, g, r, &nu);
	if (!nu)
		goto out;
	uint32_t best = 0;
	named = xcalloc(nu, sizeof(*named));
	for (uint32_t i = 0; i < nu; i++) {
		named[i] = &m->placements[u[i].placement];
		if (u[i].n_barriers < u[best].n_barriers)
			best = i;
	}
	sb_names(&who, m, named, nu);
	char mt[64], peer[96];
	model_match_format(mt, sizeof(mt), &r->match);
	model_sg_peer_format(peer, sizeof(peer), m, r);
	char rk[256];
	finding_sg_rule_key(rk, sizeof(rk), m, r, false);
	strbuf_printf(&key, "%s", rk);
	const struct model_placement *bp = &m->placements[u[best].placement];
	char tail[96];
	if (u[best].n_barriers <= 1)
		snprintf(tail, sizeof(tail), "%s from being one",
			 barrier_away(m, bp, u[best].first));
	else
		snprintf(tail, sizeof(tail), "%u changes away from being one",
			 u[best].n_barriers);
	struct finding *f = finding_add(
	    ctx, def, def->severity, MK_SECURITY_GROUP, g, strbuf_str(&key),
	    "security group %s admits %s on %s (ingress rule %u, line %u), "
	    "but the internet cannot reach %s on it: not an exposure "
	    "today, %s",
	    sg->obj.id, peer, mt, r->number, r->loc.line, strbuf_str(&who),
	    tail);
	finding_at(f, r->loc);
	detail_unreached(f, ctx, u, nu, best);
out:
	free(u);
	free(named);
	strbuf_free(&who);
	strbuf_free(&key);
}

/*
 * An ingress rule from ::/0 (§2, §6), on the carriers the IPv6 internet
 * does not reach on it.  A carrier without an IPv6 address speaks no
 * IPv6 (a rule that never matches is VS015's) and one that is reached
 * is an exposure (VS001, VS004) or intended; for the others the engine
 * says what keeps the IPv6 internet out.
 */
static void open6_rule_check(struct rule_ctx *ctx, const struct rule_def *def,
			     uint32_t g, const struct model_sg_rule *r)
{
	const struct model *m = ctx->m;
	const struct model_security_group *sg = &m->groups[g];
	struct strbuf who = {0}, key = {0};
	const struct model_placement **named = NULL;
	struct traced *xs = NULL;
	uint32_t n = 0, nc;
	const uint32_t *carriers = rule_carriers(ctx, g, &nc);
	for (uint32_t c = 0; c < nc; c++) {
		const struct model_placement *pl = &m->placements[carriers[c]];
		/* An owner's placements are contiguous: when it is named, it
		 * is the last one named. */
		bool seen = n && named[n - 1]->kind == pl->kind &&
			    named[n - 1]->index == pl->index;
		struct sim_ep dst = ep_of6(m, pl);
		struct sim_flow fl;
		if (seen || !pl->has_ipv6 ||
		    !open_rule_flow(ctx->s, &dst, &r->match, &fl))
			continue;
		struct traced x;
		traced_run(&x, ctx->s, ep_internet6(sim_internet6), dst, fl);
		if (x.res.reachable) {
			traced_free(&x);
			continue;
		}
		named = xreallocarray(named, n + 1, sizeof(*named));
		xs = xreallocarray(xs, n + 1, sizeof(*xs));
		named[n] = pl;
		xs[n++] = x;
	}
	if (!n)
		goto out;
	sb_names(&who, m, named, n);
	char mt[64];
	model_match_format(mt, sizeof(mt), &r->match);
	char rk[256];
	finding_sg_rule_key(rk, sizeof(rk), m, r, false);
	strbuf_printf(&key, "%s", rk);
	struct finding *f = finding_add(
	    ctx, def, def->severity, MK_SECURITY_GROUP, g, strbuf_str(&key),
	    "security group %s admits ::/0 on %s (ingress rule %u, line "
	    "%u), but the IPv6 internet cannot reach %s on it: not an "
	    "exposure today",
	    sg->obj.id, mt, r->number, r->loc.line, strbuf_str(&who));
	finding_at(f, r->loc);
	for (uint32_t i = 0; i < n && i < MAX_QUOTED; i++)
		detail_traced(f, ctx->s, &xs[i], NULL);
	if (n > MAX_QUOTED)
		finding_detail(f, "... and %u more", n - MAX_QUOTED);
out:
	for (uint32_t i = 0; i < n; i++)
		traced_free(&xs[i]);
	free(xs);
	free(named);
	strbuf_free(&who);
	strbuf_free(&key);
}

static void run_open_groups(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	for (uint32_t g = 0; g < m->n[MK_SECURITY_GROUP]; g++) {
		const struct model_security_group *sg = &m->groups[g];
		for (uint32_t i = 0; i < sg->n_ingress; i++) {
			const struct model_sg_rule *r = &sg->ingress[i];
			if (r->peer_kind == PEER_CIDR && r->cidr.len == 0)
				open_rule_check(ctx, def, g, r);
			else if (r->peer_kind == PEER_CIDR6 &&
				 r->cidr6.len == 0)
				open6_rule_check(ctx, def, g, r);
		}
	}
}

/* ---- VS019 lb-target-zone-disabled -------------------------------------- */

/* "us-east-1a, us-east-1b": the zones load balancer l enables, each once. */
static void sb_lb_zones(struct strbuf *b, const struct model *m, uint32_t l)
{
	uint32_t n;
	const struct model_placement *p =
	    model_placements(m, MK_LOAD_BALANCER, l, &n);
	uint32_t said = 0;
	for (uint32_t i = 0; i < n; i++) {
		const char *az = m->subnets[p[i].subnet].az;
		bool dup = false;
		for (uint32_t j = 0; j < i && az; j++)
			dup |= m->subnets[p[j].subnet].az &&
			       !strcmp(m->subnets[p[j].subnet].az, az);
		if (az && !dup)
			strbuf_printf(b, "%s%s", said++ ? ", " : "", az);
	}
	if (!said)
		strbuf_printf(b, "no known zone");
}

/* The resource a target belongs to: its placement's owner, or for a bare
 * address the target group. */
static void target_owner(const struct model *m, const struct sim_target *t,
			 uint32_t tg, enum model_kind *k, uint32_t *i)
{
	if (t->placement == MODEL_NONE) {
		*k = MK_TARGET_GROUP;
		*i = tg;
		return;
	}
	*k = m->placements[t->placement].kind;
	*i = m->placements[t->placement].index;
}

/* One finding for the targets of tg at ts[first..] that belong to the
 * same owner as ts[first] and sit in zones load balancer l does not
 * enable. */
static void zone_finding(struct rule_ctx *ctx, const struct rule_def *def,
			 uint32_t l, uint32_t tg, const struct sim_target *ts,
			 uint32_t n, uint32_t first)
{
	const struct model *m = ctx->m;
	enum model_kind k, k2;
	uint32_t i, i2;
	struct strbuf where = {0}, zones = {0}, key = {0};
	target_owner(m, &ts[first], tg, &k, &i);
	for (uint32_t j = first, said = 0; j < n; j++) {
		target_owner(m, &ts[j], tg, &k2, &i2);
		if (k2 != k || i2 != i ||
		    sim_lb_zone_enabled(m, l, ts[j].subnet))
			continue;
		const struct model_subnet *sn = &m->subnets[ts[j].subnet];
		strbuf_printf(&where, "%s%s (subnet %s)", said++ ? ", " : "",
			      sn->az, sn->obj.id);
	}
	sb_lb_zones(&zones, m, l);
	strbuf_printf(&key, "%s:%s", m->lbs[l].obj.id,
		      m->target_groups[tg].obj.id);
	struct finding *f = finding_add(
	    ctx, def, def->severity, k, i, strbuf_str(&key),
	    "%s %s is a target of load balancer %s (target group %s) in %s, "
	    "a zone the load balancer does not enable: it receives no "
	    "traffic there",
	    noun(m, k, i), obj_id(m, k, i), m->lbs[l].obj.id,
	    m->target_groups[tg].obj.id, strbuf_str(&where));
	finding_detail(f, "load balancer %s has nodes in %s only",
		       m->lbs[l].obj.id, strbuf_str(&zones));
	strbuf_free(&where);
	strbuf_free(&zones);
	strbuf_free(&key);
}

/* Every registered target of a group that load balancer l forwards to,
 * outside the zones l enables (§8): one finding per target resource. */
static void run_zone_disabled(struct rule_ctx *ctx, const struct rule_def *def)
{
	const struct model *m = ctx->m;
	for (uint32_t l = 0; l < m->n[MK_LOAD_BALANCER]; l++) {
		uint32_t ng, vpc = lb_vpc(m, l);
		uint32_t *gs = lb_groups(m, l, &ng);
		for (uint32_t g = 0; g < ng && vpc != MODEL_NONE; g++) {
			uint32_t n = sim_tg_targets(m, gs[g], vpc, NULL, 0);
			struct sim_target *ts = xcalloc(n + 1, sizeof(*ts));
			sim_tg_targets(m, gs[g], vpc, ts, n);
			for (uint32_t j = 0; j < n; j++) {
				if (sim_lb_zone_enabled(m, l, ts[j].subnet))
					continue;
				/* Once per owner: at its first such target. */
				enum model_kind k, k2;
				uint32_t i, i2;
				bool seen = false;
				target_owner(m, &ts[j], gs[g], &k, &i);
				for (uint32_t e = 0; e < j && !seen; e++) {
					target_owner(m, &ts[e], gs[g], &k2,
						     &i2);
					seen = k2 == k && i2 == i &&
					       !sim_lb_zone_enabled(
						   m, l, ts[e].subnet);
				}
				if (!seen)
					zone_finding(ctx, def, l, gs[g], ts, n,
						     j);
			}
			free(ts);
		}
		free(gs);
	}
}

/* ---- the table --------------------------------------------------------- */

static const struct rule_def defs[] = {
    {
	"VS001",
	"db-internet-reachable",
	"Database reachable from the internet",
	SEV_ERROR,
	"A database holds the data an attacker wants, and it speaks a "
	"protocol made for trusted clients: passwords get guessed, "
	"engine flaws get exploited, and nothing in front of it limits "
	"or logs the attempts. vpcsim reports this only when every "
	"condition of an internet connection holds at once (an "
	"internet gateway, a public address, a route for the replies, "
	"network ACLs both ways and a security group that admits the "
	"client), or when an internet-facing load balancer forwards to "
	"the database, so the finding is a path, not a guess from one "
	"setting. IPv6 is asked as a question of its own: a dual-stack "
	"database the IPv6 internet reaches (semantics §2, §6: its "
	"subnet's `::/0` route to an internet gateway, a rule admitting "
	"`::/0`) is reported in a finding of its own, \"reachable from "
	"the internet over IPv6\", even where IPv4 keeps the internet "
	"out.",
	"Take the database off the internet: turn off publicly "
	"accessible, keep its DB subnet group in private subnets (no "
	"route to an internet gateway), and let its security group "
	"admit only the groups of the applications that use it. People "
	"who need a console reach it through a bastion, a VPN or "
	"Session Manager port forwarding, not an open port.",
	run_db_reachable,
    },
    {
	"VS002",
	"db-latent-exposure",
	"Database set up to be public but not reachable today",
	SEV_WARNING,
	"A database marked publicly accessible, or placed in a public "
	"subnet, is kept off the internet today only by something else "
	"on the way: a private route, a missing public address, a "
	"network ACL or a security group. That something is usually "
	"not there to protect the database, and the next change to it "
	"(a route table shared with a new public tier, a group opened "
	"for a test) exposes the database without anyone touching the "
	"database. The finding names what blocks today and how many "
	"changes separate the database from an exposure.",
	"Turn off publicly accessible and keep the DB subnet group in "
	"private subnets, so that being unreachable is the database's "
	"own setting rather than a side effect of other resources.",
	run_db_latent,
    },
    {
	"VS003",
	"lb-target-bypass",
	"Load balancer target reachable around the load balancer",
	SEV_ERROR,
	"A load balancer is where TLS ends, where the web application "
	"firewall and the access logs sit, and usually the only thing "
	"meant to face the internet. When its targets are also "
	"reachable directly (a public address and a group open to the "
	"world), clients can skip all of that and talk to the "
	"application port, unencrypted and unlogged.",
	"Place the targets in private subnets without public addresses "
	"(for ECS, turn off assign_public_ip), and let their security "
	"group admit the traffic port from the load balancer's group "
	"only.",
	run_lb_bypass,
    },
    {
	"VS004",
	"admin-port-exposed",
	"Administrative or database port reachable from the internet",
	SEV_ERROR,
	"SSH (22), RDP (3389) and the database ports (3306, 5432, "
	"1521, 1433) are scanned by the whole internet within minutes "
	"of an address going live, and attacked with stolen passwords "
	"and known flaws. Reaching them from anywhere is rarely meant: "
	"administrators have known addresses or a bastion, and a "
	"database port on something that is not a managed database is "
	"usually a self-hosted database or a forgotten tunnel. A port "
	"open only to a restricted range (at most a /16: an office, a "
	"VPN, a partner) is the fix, not a finding. Managed databases "
	"are VS001's. Over IPv6 the same ports are reported in a "
	"finding of their own (\"reachable from the internet over "
	"IPv6\") when the IPv6 internet reaches them from more than a "
	"/48, one organization's allocation. Where the input cannot tell "
	"whether anything the internet reaches carries a group that "
	"opens such a port to the world (the group's VPC is not in the "
	"input, as a Terraform VPC read by a data source or a "
	"CloudFormation VpcId without a value; what carries it has no "
	"place in the input or uses it from outside; the verdict on a "
	"carrier is unknown), the finding is a warning on the group that "
	"says which: no exposure is shown, and none is ruled out.",
	"Close the port to the internet: admit it only from known "
	"address ranges or from a bastion's security group, or use "
	"Systems Manager Session Manager, which needs no open port.",
	run_admin_ports,
    },
    {
	"VS005",
	"lb-target-unreachable",
	"Load balancer cannot reach its targets",
	SEV_ERROR,
	"A load balancer opens a new connection to each target from "
	"its nodes' own addresses, on the traffic port and on the "
	"health-check port. If a security group, a network ACL "
	"(including the replies to the nodes' ephemeral ports) or a "
	"route stops either, the targets are marked unhealthy and "
	"clients get 503 errors. When only some node-to-target paths "
	"work, the service works in one availability zone and fails "
	"whenever traffic or a failover lands in the other, which is "
	"the worst kind of fault to find in production.",
	"Let the targets' security group admit the traffic and "
	"health-check ports from the load balancer's group (from the "
	"clients when a network load balancer preserves their "
	"addresses), let the load balancer's group send to the "
	"targets, and make the network ACLs of both subnets allow the "
	"connection and its replies (1024-65535) in every "
	"availability zone.",
	run_lb_targets,
    },
    {
	"VS006",
	"intended-flow-blocked",
	"Flow allowed by a security group but blocked on the way",
	SEV_ERROR,
	"A security-group rule that names another group states an "
	"intent: the members of that group talk to these members on "
	"these ports. Groups are only one of the controls on the way: "
	"a network ACL (which checks the replies too, on the client's "
	"ephemeral ports), a missing route or the other side's group "
	"can still stop the connection, and the failure shows only at "
	"runtime, often in one availability zone. A flow whose replies "
	"pass on part of the ephemeral range fails now and then, "
	"depending on the port the client picks, which is harder "
	"still to diagnose. Blocked for every placement pair is an "
	"error; for some, or degraded, a warning.",
	"Follow the blocking step in the finding: add the network ACL "
	"rule for the port and for the replies (1024-65535 towards the "
	"clients' subnets), the route, or the matching rule of the "
	"other group.",
	run_intended_flows,
    },
    {
	"VS007",
	"ecs-no-image-pull",
	"ECS tasks cannot reach ECR, S3 or CloudWatch Logs",
	SEV_ERROR,
	"An ECS task in awsvpc mode pulls its image from ECR (its API "
	"and Docker endpoints, with the layers in S3) and ships its "
	"logs to CloudWatch Logs before running any code. Without a "
	"path to these services the task stops with "
	"CannotPullContainerError or a log driver error and the "
	"service never becomes healthy. The path is the internet, "
	"through a NAT gateway or a public address, or VPC endpoints. "
	"On Fargate the task's own interface makes these connections; "
	"on EC2 the container agent of the instance pulls the image and "
	"its Docker daemon ships the logs, over the instance's "
	"interface, so vpcsim asks from the container instances of the "
	"service's cluster (an awsvpc task on EC2 needs no public "
	"address of its own for this), and says nothing when none of "
	"them is in the input.",
	"Route the tasks' subnets (on EC2: the container instances' "
	"subnets) to a NAT gateway in a public subnet, "
	"or create interface endpoints for ecr.api, ecr.dkr and logs "
	"(private DNS on, a group that admits 443 from the tasks) and "
	"an S3 gateway endpoint on their route tables; in a public "
	"subnet, assign the tasks (on EC2: the instances) a public IP.",
	run_image_pull,
    },
    {
	"VS017",
	"open-group-unreachable",
	"Security group open to the internet on a resource it cannot "
	"reach",
	SEV_INFO,
	"A rule that admits 0.0.0.0/0 says anyone, and today something "
	"else (a private subnet, a missing public address, a network "
	"ACL) keeps the internet away. That is not an exposure, but it "
	"leaves one layer where two were meant: the day the route or "
	"the address changes, the group protects nothing. Load "
	"balancers the internet reaches, and targets of a network load "
	"balancer that preserves client addresses, are meant to be "
	"open and are not reported, nor resources whose verdict is "
	"unknown (in a VPC outside the input, say): nothing says the "
	"internet cannot reach them (VS004 warns of administrative "
	"ports there). A rule that admits `::/0` is judged over IPv6 the "
	"same way, for the resources that have an IPv6 address: the "
	"finding quotes what keeps the IPv6 internet out (an egress-only "
	"gateway, a NACL without IPv6 rules, ...).",
	"Narrow the rule to the clients that really connect: the load "
	"balancer's or the application's security group, or the "
	"address ranges of the VPC or the office.",
	run_open_groups,
    },
    {
	"VS019",
	"lb-target-zone-disabled",
	"Load balancer target in an availability zone the load balancer "
	"does not enable",
	SEV_WARNING,
	"A load balancer has a node in each availability zone it enables "
	"(the zones of its subnets) and sends traffic only to targets in "
	"those zones. A target registered in another zone (an instance, "
	"an ECS task or an address in a subnet of a zone the load balancer "
	"has no subnet in) looks registered, may even pass its health "
	"check, and never receives a request: capacity that seems to be "
	"there is not, and losing one enabled zone takes more of the "
	"service down than planned.",
	"Give the load balancer a subnet in that zone, or place the "
	"targets (the instance's subnet, the service's subnets) in zones "
	"the load balancer enables.",
	run_zone_disabled,
    },
};

const struct rule_def *rules_reach_defs(uint32_t *n)
{
	*n = (uint32_t)ARRAY_LEN(defs);
	return defs;
}
