/*
 * The context every rule and policy reads: one engine, one class index,
 * the exposure maps (IPv4, and IPv6 where anything has a public IPv6
 * address), the memo of class pairs, and indexes built once so that no
 * rule scans the model inside a loop (exposure row by resource, load
 * balancer forwards by target, carriers by security group).  Below the
 * rule families, which read it, and the registry, which makes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "rules/rules.h"
#include "rules/rules_impl.h"

/* ---- shared lookups ------------------------------------------------------ */

static const struct reach_table *table_of(const struct rule_ctx *ctx,
					  enum rule_table t)
{
	switch (t) {
	case RX_TCP:
		return &ctx->exposure_tcp;
	case RX_UDP:
		return &ctx->exposure_udp;
	case RX_TCP6:
		return &ctx->exposure6_tcp;
	default:
		return &ctx->exposure6_udp;
	}
}

/* The first row per resource that reaches some port: what a scan of the
 * table from the top would stop at. */
static void index_rows(struct rule_index *x, const struct rule_ctx *ctx,
		       enum rule_table t)
{
	const struct model *m = ctx->m;
	const struct reach_table *tb = table_of(ctx, t);
	for (uint32_t r = tb->n; r-- > 0;) {
		const struct reach_row *row = &tb->rows[r];
		enum model_kind k = row->dst.rkind;
		if (row->dst.kind != RN_RESOURCE || k >= MK_KIND_COUNT ||
		    row->dst.rindex >= m->n[k] || ports_empty(&row->some))
			continue;
		if (!x->row[t][k]) {
			x->row[t][k] = xcalloc(m->n[k], sizeof(uint32_t));
			for (uint32_t i = 0; i < m->n[k]; i++)
				x->row[t][k][i] = UINT32_MAX;
		}
		x->row[t][k][row->dst.rindex] = r;
	}
}

/* Every load balancer's forwards, and by target resource the ones that
 * reach it: counted per resource, runs laid out in (kind, index) order,
 * then placed in load balancer and forward order. */
static void index_forwards(struct rule_index *x, const struct model *m)
{
	uint32_t nl = m->n[MK_LOAD_BALANCER];
	x->lb_fwds = xcalloc(nl + 1, sizeof(*x->lb_fwds));
	for (uint32_t l = 0; l < nl; l++) {
		uint32_t nn;
		const struct model_placement *nodes =
		    model_placements(m, MK_LOAD_BALANCER, l, &nn);
		for (uint32_t li = 0; li < m->lbs[l].n_listeners; li++)
			for (uint32_t n = 0; n < nn; n++)
				sim_lb_forwards(
				    m, l, li,
				    (uint32_t)(&nodes[n] - m->placements),
				    &x->lb_fwds[l]);
	}
	uint32_t *fill[MK_KIND_COUNT];
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		x->to_first[k] = xcalloc(m->n[k] + 1, sizeof(uint32_t));
		fill[k] = xcalloc(m->n[k] + 1, sizeof(uint32_t));
	}
	for (uint32_t l = 0; l < nl; l++)
		for (uint32_t j = 0; j < x->lb_fwds[l].n; j++) {
			uint32_t p = x->lb_fwds[l].v[j].target.placement;
			if (p != MODEL_NONE)
				fill[m->placements[p].kind]
				    [m->placements[p].index]++;
		}
	uint32_t total = 0;
	for (int k = 0; k < MK_KIND_COUNT; k++) {
		for (uint32_t i = 0; i < m->n[k]; i++) {
			uint32_t c = fill[k][i];
			x->to_first[k][i] = fill[k][i] = total;
			total += c;
		}
		x->to_first[k][m->n[k]] = total;
	}
	x->to = xcalloc(total + 1, sizeof(*x->to));
	for (uint32_t l = 0; l < nl; l++)
		for (uint32_t j = 0; j < x->lb_fwds[l].n; j++) {
			uint32_t p = x->lb_fwds[l].v[j].target.placement;
			if (p == MODEL_NONE)
				continue;
			const struct model_placement *q = &m->placements[p];
			x->to[fill[q->kind][q->index]++] =
			    (struct fwd_ref){l, j};
		}
	for (int k = 0; k < MK_KIND_COUNT; k++)
		free(fill[k]);
}

static struct rule_index *index_new(const struct rule_ctx *ctx)
{
	const struct model *m = ctx->m;
	struct rule_index *x = xcalloc(1, sizeof(*x));
	for (int t = 0; t < RX_COUNT; t++)
		index_rows(x, ctx, (enum rule_table)t);
	uint32_t ng = m->n[MK_SECURITY_GROUP];
	x->carriers = xcalloc(ng + 1, sizeof(*x->carriers));
	x->n_carriers = xcalloc(ng + 1, sizeof(*x->n_carriers));
	uint32_t *cap = xcalloc(ng + 1, sizeof(*cap));
	for (uint32_t i = 0; i < m->n_placements_total; i++) {
		const struct model_placement *p = &m->placements[i];
		for (uint32_t k = 0; k < p->n_groups; k++) {
			uint32_t g = p->groups[k];
			/* A placement listing a group twice carries it once. */
			if (g >= ng ||
			    (x->n_carriers[g] &&
			     x->carriers[g][x->n_carriers[g] - 1] == i))
				continue;
			if (x->n_carriers[g] == cap[g]) {
				cap[g] = cap[g] ? 2 * cap[g] : 4;
				x->carriers[g] = xreallocarray(
				    x->carriers[g], cap[g], sizeof(uint32_t));
			}
			x->carriers[g][x->n_carriers[g]++] = i;
		}
	}
	free(cap);
	for (int k = 0; k < MK_KIND_COUNT; k++)
		for (uint32_t i = 0; i < m->n[k]; i++) {
			if (!model_object(m, k, i)->n_unknowns)
				continue;
			x->unknown[k] =
			    xreallocarray(x->unknown[k], x->n_unknown[k] + 1,
					  sizeof(uint32_t));
			x->unknown[k][x->n_unknown[k]++] = i;
		}
	static const enum model_kind carrying[] = {
	    MK_INSTANCE, MK_LOAD_BALANCER, MK_SERVICE,
	    MK_DATABASE, MK_VPC_ENDPOINT,  MK_FLEET};
	uint32_t cap_pl = 0;
	for (size_t ki = 0; ki < ARRAY_LEN(carrying); ki++)
		for (uint32_t i = 0; i < m->n[carrying[ki]]; i++) {
			uint32_t np;
			model_placements(m, carrying[ki], i, &np);
			if (np)
				continue;
			if (x->n_placeless == cap_pl) {
				cap_pl = cap_pl ? 2 * cap_pl : 16;
				x->placeless =
				    xreallocarray(x->placeless, cap_pl,
						  sizeof(*x->placeless));
			}
			x->placeless[x->n_placeless++] =
			    (struct obj_ref){carrying[ki], i};
		}
	index_forwards(x, m);
	hmap_init(&x->atoms, 2 * sizeof(uint32_t), sizeof(struct atom_list));
	return x;
}

static void index_free(struct rule_index *x, const struct model *m)
{
	if (!x)
		return;
	for (uint32_t i = 0; i < x->atoms.n; i++) {
		struct atom_list *a = hmap_val(&x->atoms, i);
		for (uint32_t k = 0; k < a->n; k++)
			ports_free(&a->v[k].got);
		free(a->v);
	}
	hmap_free(&x->atoms);
	for (uint32_t l = 0; l < m->n[MK_LOAD_BALANCER]; l++)
		sim_fwds_free(&x->lb_fwds[l]);
	free(x->lb_fwds);
	for (int k = 0; k < MK_KIND_COUNT; k++)
		free(x->to_first[k]);
	free(x->to);
	for (int t = 0; t < RX_COUNT; t++)
		for (int k = 0; k < MK_KIND_COUNT; k++)
			free(x->row[t][k]);
	for (uint32_t g = 0; g < m->n[MK_SECURITY_GROUP]; g++)
		free(x->carriers[g]);
	free(x->carriers);
	free(x->n_carriers);
	for (int k = 0; k < MK_KIND_COUNT; k++)
		free(x->unknown[k]);
	free(x->placeless);
	free(x->private_space);
	free(x);
}

const struct reach_row *rule_exposure_row(const struct rule_ctx *ctx,
					  enum rule_table t, enum model_kind k,
					  uint32_t i)
{
	const uint32_t *v = k < MK_KIND_COUNT ? ctx->idx->row[t][k] : NULL;
	if (!v || i >= ctx->m->n[k] || v[i] == UINT32_MAX)
		return NULL;
	return &table_of(ctx, t)->rows[v[i]];
}

const struct fwd_ref *rule_forwards_to(const struct rule_ctx *ctx,
				       enum model_kind k, uint32_t i,
				       uint32_t *n)
{
	const struct rule_index *x = ctx->idx;
	*n = x->to_first[k][i + 1] - x->to_first[k][i];
	return &x->to[x->to_first[k][i]];
}

const struct obj_ref *rule_placeless(const struct rule_ctx *ctx, uint32_t *n)
{
	*n = ctx->idx->n_placeless;
	return ctx->idx->placeless;
}

const uint32_t *rule_carriers(const struct rule_ctx *ctx, uint32_t g,
			      uint32_t *n)
{
	*n = ctx->idx->n_carriers[g];
	return ctx->idx->carriers[g];
}

/* ---- the context -------------------------------------------------------- */

void rule_ctx_init(struct rule_ctx *ctx, const struct model *m,
		   struct finding_list *out)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->m = m;
	ctx->out = out;
	struct sim *s;
	struct reach_index *ix;
	sim_new(&s, m);
	reach_index_new(&ix, s);
	ctx->s = s;
	ctx->ix = ix;
	struct sim_sel inet = {.kind = SEL_INTERNET, .addr = SIM_INTERNET_ADDR};
	snprintf(inet.name, sizeof(inet.name), "internet");
	reach_from(&ctx->exposure_tcp, ix, &inet, PROTO_TCP, false);
	reach_from(&ctx->exposure_udp, ix, &inet, PROTO_UDP, false);
	reach_memo_new(&ctx->memo, ix);
	/* Exposure over IPv6, a question of its own (§2), where anything
	 * has an IPv6 address the internet may reach. */
	bool any6 = false;
	for (uint32_t i = 0; i < m->n_placements_total && !any6; i++)
		any6 =
		    m->placements[i].has_ipv6 && m->placements[i].ipv6_public;
	if (any6) {
		inet.v6 = true;
		memcpy(inet.addr6, sim_internet6, 16);
		reach_from(&ctx->exposure6_tcp, ix, &inet, PROTO_TCP, false);
		reach_from(&ctx->exposure6_udp, ix, &inet, PROTO_UDP, false);
	}
	ctx->idx = index_new(ctx);
}

void rule_ctx_free(struct rule_ctx *ctx)
{
	reach_table_free(&ctx->exposure_tcp);
	reach_table_free(&ctx->exposure_udp);
	reach_table_free(&ctx->exposure6_tcp);
	reach_table_free(&ctx->exposure6_udp);
	index_free(ctx->idx, ctx->m);
	reach_memo_free(ctx->memo);
	reach_index_free((struct reach_index *)ctx->ix);
	sim_free((struct sim *)ctx->s);
	memset(ctx, 0, sizeof(*ctx));
}
