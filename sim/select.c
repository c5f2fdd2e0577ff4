/*
 * Selectors (what --from and --to name) and answers over placement pairs.
 *
 * A selector stands for one or more endpoints: a resource for each of its
 * placements (§1), the internet for one representative client address.
 * An answer evaluates every (source, destination) endpoint pair and sums
 * them up as all / some / none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "sim/sim.h"

const char *sim_verdict_name(enum sim_verdict v)
{
	switch (v) {
	case VERDICT_ALL:
		return "all";
	case VERDICT_SOME:
		return "some";
	case VERDICT_NONE:
		break;
	}
	return "none";
}

static bool has_placements(enum model_kind k)
{
	return k == MK_NAT_GATEWAY || k == MK_INSTANCE ||
	       k == MK_LOAD_BALANCER || k == MK_SERVICE || k == MK_DATABASE ||
	       k == MK_FLEET || k == MK_VPC_ENDPOINT;
}

/* Up to three ids close to word, of kinds that have placements. */
static void near_ids(const struct model *m, const char *word, char *buf,
		     size_t size)
{
	const char *best[3] = {NULL, NULL, NULL};
	unsigned bd[3] = {99, 99, 99};
	for (uint32_t i = 0; i < m->n_objects; i++) {
		const struct model_obj *o = m->by_id[i];
		if (!has_placements(o->kind))
			continue;
		unsigned d = util_edit_distance(word, o->id, 3);
		if (strstr(o->id, word) || strstr(word, o->id))
			d = d > 1 ? 1 : d;
		if (d > 3)
			continue;
		for (int k = 0; k < 3; k++)
			if (d < bd[k]) {
				for (int j = 2; j > k; j--) {
					bd[j] = bd[j - 1];
					best[j] = best[j - 1];
				}
				bd[k] = d;
				best[k] = o->id;
				break;
			}
	}
	size_t off = 0;
	buf[0] = '\0';
	for (int k = 0; k < 3 && best[k] && off < size; k++)
		off += (size_t)snprintf(buf + off, size - off, "%s'%s'",
					k ? ", " : "", best[k]);
}

static bool is_private(uint32_t a)
{
	return (a >> 24) == 10 || (a >> 20) == 0xAC1 || (a >> 16) == 0xC0A8 ||
	       (a >> 22) == (0x64400000u >> 22); /* 100.64/10 */
}

static uint32_t subnet_holding(const struct model *m, uint32_t addr)
{
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++)
		if (m->subnets[i].cidr.len <= 32 &&
		    cidr_contains_addr(m->subnets[i].cidr, addr))
			return i;
	return MODEL_NONE;
}

/* ---- the words of a selector --------------------------------------------- */

/* An IPv6 address (no length), into a; false when text is none. */
static bool addr6_parse(uint8_t a[16], const char *text)
{
	char buf[CIDR6_STRLEN + 8];
	struct cidr6 c;
	if (!strchr(text, ':') || strchr(text, '/') ||
	    strlen(text) >= CIDR6_STRLEN)
		return false;
	snprintf(buf, sizeof(buf), "%s/128", text);
	if (cidr6_parse(&c, buf))
		return false;
	memcpy(a, c.addr, 16);
	return true;
}

void sim_sel_read(struct sim_sel_words *w, const char *text)
{
	memset(w, 0, sizeof(*w));
	if (!strcmp(text, "internet") || !strcmp(text, "internet6")) {
		w->form = SF_INTERNET;
		w->v6 = text[8] == '6';
	} else if (addr6_parse(w->addr6, text)) {
		w->form = SF_ADDRESS;
		w->v6 = true;
	} else if (!strncmp(text, "aws:", 4)) {
		w->form = SF_SERVICE;
		for (int v = SVC_ECR; v <= SVC_LOGS; v++)
			if (!strcmp(text, sim_service_name(v)))
				w->service = v;
	} else if (addr_parse(&w->addr, text) == 0) {
		w->form = SF_ADDRESS;
	} else {
		w->form = SF_ID;
	}
}

void sim_service_unknown(char *buf, size_t size, const char *text, bool hint)
{
	const char *names[SVC_LOGS];
	char list[64];
	size_t off = 0;
	for (int v = SVC_ECR; v <= SVC_LOGS; v++) {
		names[v - SVC_ECR] = sim_service_name(v);
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
					v == SVC_ECR	? ""
					: v == SVC_LOGS ? " and "
							: ", ",
					names[v - SVC_ECR]);
	}
	const char *near = hint ? util_closest(text, names, SVC_LOGS) : NULL;
	if (near)
		snprintf(buf, size,
			 "unknown AWS service '%s' (did you mean '%s'?)", text,
			 near);
	else
		snprintf(buf, size,
			 "unknown AWS service '%s' (vpcsim knows %s)", text,
			 list);
}

/* ---- selectors of a model ------------------------------------------------ */

/* An address: the placement that holds it (privately or publicly), a
 * free address of a subnet, or the internet; a private address in no
 * subnet is an error. */
static int sel_address(struct sim_sel *out, const struct model *m,
		       uint32_t addr, const char *text, char *err,
		       size_t errsize)
{
	for (uint32_t i = 0; i < m->n_placements_total; i++) {
		const struct model_placement *p = &m->placements[i];
		if (p->addr == addr ||
		    (p->public_addr && p->public_addr == addr)) {
			out->kind = SEL_PLACEMENT;
			out->rkind = p->kind;
			out->rindex = p->index;
			out->placement = i;
			/* A public address stays one: reached from inside
			 * the VPC, it is through the internet gateway (§4). */
			out->via_public = p->addr != addr;
			snprintf(out->name, sizeof(out->name), "%s@%s%s%s",
				 model_object(m, p->kind, p->index)->id,
				 m->subnets[p->subnet].obj.id,
				 out->via_public ? " via " : "",
				 out->via_public ? text : "");
			return 0;
		}
	}
	uint32_t sn = subnet_holding(m, addr);
	if (sn != MODEL_NONE) {
		out->kind = SEL_ADDRESS;
		out->addr = addr;
		out->subnet = sn;
		return 0;
	}
	if (is_private(addr)) {
		snprintf(err, errsize,
			 "address %s is private but in no subnet of the model",
			 text);
		return -1;
	}
	out->kind = SEL_INTERNET;
	out->addr = addr;
	snprintf(out->name, sizeof(out->name), "internet:%s", text);
	return 0;
}

/* An IPv6 address (§2): the placement that holds it, a free address of a
 * subnet's IPv6 block, or the IPv6 internet; an address of a VPC's block
 * in no subnet is an error. */
static int sel_address6(struct sim_sel *out, const struct model *m,
			const uint8_t a[16], const char *text, char *err,
			size_t errsize)
{
	out->v6 = true;
	memcpy(out->addr6, a, 16);
	for (uint32_t i = 0; i < m->n_placements_total; i++) {
		const struct model_placement *p = &m->placements[i];
		if (!p->has_ipv6 || memcmp(p->addr6, a, 16))
			continue;
		out->kind = SEL_PLACEMENT;
		out->rkind = p->kind;
		out->rindex = p->index;
		out->placement = i;
		snprintf(out->name, sizeof(out->name), "%s@%s",
			 model_object(m, p->kind, p->index)->id,
			 m->subnets[p->subnet].obj.id);
		return 0;
	}
	for (uint32_t i = 0; i < m->n[MK_SUBNET]; i++)
		if (m->subnets[i].has_cidr6 &&
		    model_cidr6_has(m->subnets[i].cidr6, a)) {
			out->kind = SEL_ADDRESS;
			out->subnet = i;
			return 0;
		}
	for (uint32_t v = 0; v < m->n[MK_VPC]; v++)
		for (uint32_t c = 0; c < m->vpcs[v].n_cidrs6; c++)
			if (model_cidr6_has(m->vpcs[v].cidrs6[c], a)) {
				snprintf(err, errsize,
					 "address %s is in VPC %s but in no "
					 "subnet of the model",
					 text, m->vpcs[v].obj.id);
				return -1;
			}
	out->kind = SEL_INTERNET;
	snprintf(out->name, sizeof(out->name), "internet6:%s", text);
	return 0;
}

/* ID@SUBNET: the placement of o (placements p[0..n)) in subnet at. */
static int sel_placement_in(struct sim_sel *out, const struct model *m,
			    const struct model_placement *p, uint32_t n,
			    const char *id, const char *at, char *err,
			    size_t errsize)
{
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(m->subnets[p[i].subnet].obj.id, at)) {
			out->kind = SEL_PLACEMENT;
			out->placement = (uint32_t)(p - m->placements) + i;
			return 0;
		}
	char list[200] = "";
	size_t off = 0;
	for (uint32_t i = 0; i < n && off < sizeof(list); i++)
		off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
					i ? ", " : "",
					m->subnets[p[i].subnet].obj.id);
	snprintf(err, errsize,
		 "'%s' has no placement in subnet '%s' (it is "
		 "placed in %s)",
		 id, at, list);
	return -1;
}

/* A resource id, or ID@SUBNET: one of its placements. */
static int sel_resource(struct sim_sel *out, const struct model *m,
			const char *text, char *err, size_t errsize)
{
	char id[256];
	snprintf(id, sizeof(id), "%s", text);
	/* A whole-text id first: Terraform for_each keys may hold '@'. */
	const struct model_obj *o = model_find(m, id);
	char *at = NULL;
	if (!o && (at = strrchr(id, '@'))) {
		*at++ = '\0';
		o = model_find(m, id);
	}
	if (!o) {
		char near[200];
		near_ids(m, id, near, sizeof(near));
		if (*near)
			snprintf(err, errsize,
				 "unknown resource '%s' (did you mean %s?)", id,
				 near);
		else
			snprintf(
			    err, errsize,
			    "unknown resource '%s'; 'vpcsim show' lists the "
			    "ids",
			    id);
		return -1;
	}
	if (!has_placements(o->kind)) {
		snprintf(err, errsize,
			 "'%s' is a %s, which holds no address; name a "
			 "resource placed in it (an instance, service, "
			 "database, load balancer, NAT gateway or endpoint)",
			 id, model_kind_name(o->kind));
		return -1;
	}
	uint32_t n;
	const struct model_placement *p =
	    model_placements(m, o->kind, o->index, &n);
	if (!n) {
		snprintf(err, errsize, "'%s' has no placement in any subnet",
			 id);
		return -1;
	}
	out->rkind = o->kind;
	out->rindex = o->index;
	if (at)
		return sel_placement_in(out, m, p, n, id, at, err, errsize);
	out->kind = SEL_RESOURCE;
	return 0;
}

int sim_sel_parse(struct sim_sel *out, const struct sim *s, const char *text,
		  char *err, size_t errsize)
{
	const struct model *m = sim_model(s);
	struct sim_sel_words w;
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", text);
	sim_sel_read(&w, text);
	switch (w.form) {
	case SF_INTERNET:
		out->kind = SEL_INTERNET;
		out->addr = SIM_INTERNET_ADDR;
		out->v6 = w.v6;
		memcpy(out->addr6, sim_internet6, 16);
		return 0;
	case SF_SERVICE:
		if (w.service == SVC_NONE) {
			sim_service_unknown(err, errsize, text, false);
			return -1;
		}
		out->kind = SEL_SERVICE;
		out->service = w.service;
		return 0;
	case SF_ADDRESS:
		if (w.v6)
			return sel_address6(out, m, w.addr6, text, err,
					    errsize);
		return sel_address(out, m, w.addr, text, err, errsize);
	case SF_ID:
		break;
	}
	return sel_resource(out, m, text, err, errsize);
}

struct sim_ep *sim_sel_endpoints(const struct sim *s, const struct sim_sel *sel,
				 uint32_t *n)
{
	const struct model *m = sim_model(s);
	struct sim_ep *v;
	switch (sel->kind) {
	case SEL_RESOURCE: {
		uint32_t np;
		const struct model_placement *p =
		    model_placements(m, sel->rkind, sel->rindex, &np);
		v = xcalloc(np, sizeof(*v));
		for (uint32_t i = 0; i < np; i++)
			v[i] = (struct sim_ep){
			    .kind = EP_PLACEMENT,
			    .placement = (uint32_t)(p - m->placements) + i,
			    .v6 = sel->v6};
		*n = np;
		return v;
	}
	case SEL_PLACEMENT:
		v = xcalloc(1, sizeof(*v));
		v->kind = EP_PLACEMENT;
		v->placement = sel->placement;
		v->via_public = sel->via_public;
		break;
	case SEL_INTERNET:
		v = xcalloc(1, sizeof(*v));
		v->kind = EP_INTERNET;
		v->addr = sel->addr;
		break;
	case SEL_ADDRESS:
		v = xcalloc(1, sizeof(*v));
		v->kind = EP_ADDRESS;
		v->addr = sel->addr;
		v->subnet = sel->subnet;
		break;
	case SEL_SERVICE:
	default:
		v = xcalloc(1, sizeof(*v));
		v->kind = EP_SERVICE;
		v->service = sel->service;
		break;
	}
	v->v6 = sel->v6;
	memcpy(v->addr6, sel->addr6, 16);
	*n = 1;
	return v;
}

static enum sim_verdict verdict_of(uint32_t ok, uint32_t n)
{
	return ok == n ? VERDICT_ALL : ok ? VERDICT_SOME : VERDICT_NONE;
}

/*
 * The forward's verdict over the pairs that reach a load balancer whose
 * listener forwards (§8).  A client that resolves a network load
 * balancer's name gets only the addresses of nodes whose zone has a
 * healthy target, when one has: pairs (ns sources, nd nodes each) to the
 * others are out of DNS and do not count.  Asked of a placement, the
 * node is named and counts whatever its zone.
 */
static void forward_verdict(struct sim_answer *out, const struct model *m,
			    const struct sim_sel *dst, uint32_t ns, uint32_t nd)
{
	bool dns = dst->kind == SEL_RESOURCE &&
		   dst->rkind == MK_LOAD_BALANCER &&
		   m->lbs[dst->rindex].type == LB_NETWORK;
	for (uint32_t i = 0; i < ns; i++) {
		struct sim_pair *row = &out->pairs[(size_t)i * nd];
		bool some_healthy = false;
		for (uint32_t j = 0; j < nd; j++)
			some_healthy |= row[j].res.reachable &&
					row[j].res.fwd.asked &&
					row[j].res.fwd.healthy > 0;
		for (uint32_t j = 0; j < nd; j++) {
			const struct sim_result *r = &row[j].res;
			if (!r->reachable || !r->fwd.asked)
				continue;
			out->fwd = true;
			row[j].out_of_dns =
			    dns && some_healthy && r->fwd.healthy == 0;
			if (row[j].out_of_dns)
				continue;
			out->fwd_n++;
			out->fwd_ok += r->fwd.paths_ok > 0;
		}
	}
	out->fwd_verdict = verdict_of(out->fwd_ok, out->fwd_n);
}

void sim_answer(struct sim_answer *out, const struct sim *s,
		const struct sim_sel *src, const struct sim_sel *dst,
		struct sim_flow flow, bool with_trace)
{
	uint32_t ns, nd;
	struct sim_ep *a = sim_sel_endpoints(s, src, &ns);
	struct sim_ep *b = sim_sel_endpoints(s, dst, &nd);
	/* One IPv6 end makes the question IPv6 (§2): both ends say so, for
	 * their names. */
	for (uint32_t i = 0; i < ns; i++)
		a[i].v6 |= dst->v6;
	for (uint32_t j = 0; j < nd; j++)
		b[j].v6 |= src->v6;
	memset(out, 0, sizeof(*out));
	out->flow = flow;
	out->pairs = xcalloc((size_t)ns * nd, sizeof(*out->pairs));
	for (uint32_t i = 0; i < ns; i++)
		for (uint32_t j = 0; j < nd; j++) {
			struct sim_pair *p = &out->pairs[out->n++];
			p->src = a[i];
			p->dst = b[j];
			sim_trace_init(&p->trace);
			sim_connect(s, &p->src, &p->dst, flow, &p->res,
				    with_trace ? &p->trace : NULL);
			out->n_ok += p->res.reachable;
		}
	out->verdict = verdict_of(out->n_ok, out->n);
	forward_verdict(out, sim_model(s), dst, ns, nd);
	free(a);
	free(b);
}

void sim_answer_free(struct sim_answer *a)
{
	if (!a)
		return;
	for (uint32_t i = 0; i < a->n; i++) {
		sim_result_free(&a->pairs[i].res);
		sim_trace_free(&a->pairs[i].trace);
	}
	free(a->pairs);
	a->pairs = NULL;
	a->n = 0;
}
