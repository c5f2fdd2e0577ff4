/*
 * Chains (semantics §13) over the graph of groups (graph.h), without
 * enumerating every simple path.
 *
 * A chain is a simple path of resources: intermediates are distinct
 * members, none of them the source or the target.  Per question:
 *
 * - Distances: D[v] is the fewest hops from a usable member of vertex v
 *   to the target, by a breadth-first search backward over the groups
 *   (the last hop must pass last_ok, the others hop_ok; a vertex is
 *   usable when some member other than the ends is not avoided).  Twins
 *   share their distance, and a shortest walk never visits a group twice
 *   (a twin further on could be skipped), so D is exact.
 * - Listing: lengths L from the shortest up; at each length a depth-first
 *   search whose candidates at each step are the members of the groups
 *   that can still reach the target in time, merged in name order (a
 *   heap over the groups' member lists, which are by name).  Chains come
 *   out shortest first, then by the names along them.  At the shortest
 *   length every prefix lies on a shortest path, so the first chain is
 *   found without a dead end, whatever the budget.
 * - Counting, when the listing stopped at the limit: walks over groups,
 *   each visit to a group multiplying by the members left in it (its
 *   usable members minus earlier visits), so a group of a thousand twins
 *   costs one branch, not a thousand.
 *
 * Each candidate or edge looked at is a step of the caller's budget; the
 * listing takes at most half of it.  When the budget runs out the count
 * is a lower bound (more_exact false).  Memory: O(vertices + members +
 * the chains listed).
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "sim/graph.h"

#define FIXED 4 /* the internet and the services: vertices 0-3 */

struct search {
	const struct graph *g;
	const struct graph_filter *f;
	uint32_t sv, tv; /* vertices of the ends */
	uint32_t sm, tm; /* their member indexes, or UINT32_MAX */
	struct reach_node s, t;
	uint32_t max;
	uint32_t *D;	 /* by vertex */
	uint32_t *avail; /* by vertex: members other than the ends */
	uint64_t *steps;
	bool out_of_steps;
	/* the listing */
	bool *used; /* by member */
	uint32_t path_m[GRAPH_MAX_HOPS + 1];
	uint32_t path_e[GRAPH_MAX_HOPS];
	struct graph_chains *res;
	uint32_t cap, want;
	/* the count */
	uint32_t *visits; /* by vertex */
	uint64_t total;
	bool inexact;
};

static bool spend(struct search *S)
{
	if (!*S->steps) {
		S->out_of_steps = true;
		return false;
	}
	(*S->steps)--;
	return true;
}

static bool hop_ok(const struct search *S, const struct graph_edge *e)
{
	return !S->f || !S->f->hop_ok || S->f->hop_ok(e, S->f->ctx);
}

static bool last_ok(const struct search *S, const struct graph_edge *e)
{
	return !S->f || !S->f->last_ok || S->f->last_ok(e, S->f->ctx);
}

static bool avoided(const struct search *S, uint32_t m)
{
	return S->f && S->f->avoid && S->f->avoid[m];
}

static bool usable(const struct search *S, uint32_t v)
{
	return v >= FIXED && S->avail[v] > 0;
}

/* Members of v that may be intermediates: not avoided, not an end. */
static void count_avail(struct search *S)
{
	const struct graph *g = S->g;
	S->avail = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t v = FIXED; v < g->n_nodes; v++)
		S->avail[v] = S->f && S->f->avail
				  ? S->f->avail[v]
				  : g->member_first[v + 1] - g->member_first[v];
	if (S->sm != UINT32_MAX && !avoided(S, S->sm))
		S->avail[S->sv]--;
	if (S->tm != UINT32_MAX && !avoided(S, S->tm))
		S->avail[S->tv]--;
}

/* D[], backward from the target (see the file comment). */
static void distances(struct search *S)
{
	const struct graph *g = S->g;
	uint32_t head = 0, tail = 0;
	uint32_t *queue = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	S->D = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t v = 0; v < g->n_nodes; v++)
		S->D[v] = UINT32_MAX;
	for (uint32_t k = g->in_first[S->tv]; k < g->in_first[S->tv + 1]; k++) {
		const struct graph_edge *e = &g->edges[g->in_e[k]];
		if (!last_ok(S, e) || S->D[e->from] != UINT32_MAX)
			continue;
		S->D[e->from] = 1;
		if (usable(S, e->from))
			queue[tail++] = e->from;
	}
	while (head < tail) {
		uint32_t h = queue[head++];
		for (uint32_t k = g->in_first[h]; k < g->in_first[h + 1]; k++) {
			const struct graph_edge *e = &g->edges[g->in_e[k]];
			if (!hop_ok(S, e) || S->D[e->from] != UINT32_MAX)
				continue;
			S->D[e->from] = S->D[h] + 1;
			if (usable(S, e->from))
				queue[tail++] = e->from;
		}
	}
	free(queue);
}

static int search_init(struct search *S, const struct graph *g,
		       const struct reach_node *from,
		       const struct reach_node *to, uint32_t max_hops,
		       const struct graph_filter *f, uint64_t *steps)
{
	memset(S, 0, sizeof(*S));
	S->g = g;
	S->f = f;
	S->s = *from;
	S->t = *to;
	S->sv = graph_vertex(g, from);
	S->tv = graph_vertex(g, to);
	if (S->sv == UINT32_MAX || S->tv == UINT32_MAX)
		return -1;
	S->sm = graph_member_index(g, from);
	S->tm = graph_member_index(g, to);
	S->max = max_hops > GRAPH_MAX_HOPS ? GRAPH_MAX_HOPS : max_hops;
	S->steps = steps;
	count_avail(S);
	distances(S);
	return 0;
}

static void search_free(struct search *S)
{
	free(S->D);
	free(S->avail);
	free(S->used);
	free(S->visits);
}

/* The node at position k of the current path. */
static const struct reach_node *path_node(const struct search *S, uint32_t k,
					  uint32_t len)
{
	if (k == 0)
		return &S->s;
	if (k == len)
		return &S->t;
	return &S->g->members[S->path_m[k]];
}

static void emit(struct search *S, uint32_t len)
{
	struct graph_chains *r = S->res;
	if (r->n == S->cap) {
		S->cap = S->cap ? 2 * S->cap : 16;
		r->v = xreallocarray(r->v, S->cap, sizeof(*r->v));
	}
	struct graph_chain *c = &r->v[r->n++];
	c->hops = len;
	c->v = xcalloc(len + 1, sizeof(*c->v));
	c->e = xcalloc(len, sizeof(*c->e));
	for (uint32_t k = 0; k <= len; k++)
		c->v[k] = *path_node(S, k, len);
	memcpy(c->e, S->path_e, len * sizeof(uint32_t));
}

/* ---- listing ------------------------------------------------------------ */

/* A candidate group of one step: its members from cursor on. */
struct cand {
	uint32_t edge;	  /* the edge into it */
	uint32_t at, end; /* cursor and end in g->members */
};

struct frame {
	struct cand *c;
	uint32_t *heap; /* indexes into c, by the rank at their cursor */
	uint32_t n_heap;
	uint32_t cur; /* the candidate descended into, or UINT32_MAX */
};

static uint32_t rank_at(const struct search *S, const struct cand *c)
{
	const struct reach_node *n = &S->g->members[c->at];
	return S->g->rank[n->rkind][n->rindex];
}

static bool heap_less(const struct search *S, const struct frame *F, uint32_t a,
		      uint32_t b)
{
	return rank_at(S, &F->c[F->heap[a]]) < rank_at(S, &F->c[F->heap[b]]);
}

static void heap_down(const struct search *S, struct frame *F, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < F->n_heap && heap_less(S, F, l, m))
			m = l;
		if (r < F->n_heap && heap_less(S, F, r, m))
			m = r;
		if (m == i)
			return;
		uint32_t t = F->heap[i];
		F->heap[i] = F->heap[m];
		F->heap[m] = t;
		i = m;
	}
}

/* The candidates of a step from vertex u with rem hops left after it. */
static void frame_open(struct search *S, struct frame *F, uint32_t u,
		       uint32_t rem)
{
	const struct graph *g = S->g;
	uint32_t deg = g->out_first[u + 1] - g->out_first[u], n = 0;
	F->c = xcalloc(deg + 1, sizeof(*F->c));
	F->heap = xcalloc(deg + 1, sizeof(uint32_t));
	F->cur = UINT32_MAX;
	for (uint32_t e = g->out_first[u]; e < g->out_first[u + 1]; e++) {
		uint32_t h = g->edges[e].to;
		if (!spend(S) && S->res->n)
			break;
		if (!usable(S, h) || S->D[h] > rem || !hop_ok(S, &g->edges[e]))
			continue;
		F->c[n] = (struct cand){e, g->member_first[h],
					g->member_first[h + 1]};
		F->heap[n] = n;
		n++;
	}
	F->n_heap = n;
	for (uint32_t i = n / 2; i-- > 0;)
		heap_down(S, F, i);
}

static void frame_close(struct frame *F)
{
	free(F->c);
	free(F->heap);
	memset(F, 0, sizeof(*F));
}

/* The next member to descend into, in name order; false when none. */
static bool frame_next(struct search *S, struct frame *F, uint32_t *m,
		       uint32_t *e)
{
	while (F->n_heap) {
		struct cand *c = &F->c[F->heap[0]];
		uint32_t at = c->at++;
		if (c->at == c->end)
			F->heap[0] = F->heap[--F->n_heap];
		heap_down(S, F, 0);
		if (!spend(S) && S->res->n)
			return false;
		if (at == S->sm || at == S->tm || S->used[at] || avoided(S, at))
			continue;
		*m = at;
		*e = c->edge;
		return true;
	}
	return false;
}

/* Every chain of exactly len hops, in name order, until want are listed. */
static void list_length(struct search *S, uint32_t len)
{
	const struct graph *g = S->g;
	struct frame F[GRAPH_MAX_HOPS];
	uint32_t k = 0; /* the path holds positions 0..k */
	memset(F, 0, sizeof(F));
	uint32_t u = S->sv;
	if (len == 1) {
		const struct graph_edge *e = graph_edge_between(g, u, S->tv);
		if (e && last_ok(S, e)) {
			S->path_e[0] = (uint32_t)(e - g->edges);
			emit(S, 1);
		}
		return;
	}
	frame_open(S, &F[0], u, len - 1);
	for (;;) {
		uint32_t m, e;
		bool stop =
		    S->res->n >= S->want || (S->out_of_steps && S->res->n);
		if (stop || !frame_next(S, &F[k], &m, &e)) {
			frame_close(&F[k]);
			if (k == 0)
				break;
			k--;
			S->used[S->path_m[k + 1]] = false;
			continue;
		}
		S->path_m[k + 1] = m;
		S->path_e[k] = e;
		if (k + 2 == len) {
			/* The last hop, into the target. */
			uint32_t v = g->vertex_of[g->members[m].rkind]
						 [g->members[m].rindex];
			const struct graph_edge *last =
			    graph_edge_between(g, v, S->tv);
			if (last && last_ok(S, last)) {
				S->path_e[k + 1] = (uint32_t)(last - g->edges);
				emit(S, len);
			}
			continue;
		}
		S->used[m] = true;
		k++;
		uint32_t v =
		    g->vertex_of[g->members[m].rkind][g->members[m].rindex];
		frame_open(S, &F[k], v, len - k - 1);
	}
}

/* ---- counting ----------------------------------------------------------- */

static uint64_t add_sat(uint64_t a, uint64_t b, bool *sat)
{
	if (a > UINT64_MAX - b) {
		*sat = true;
		return UINT64_MAX;
	}
	return a + b;
}

static uint64_t mul_sat(uint64_t a, uint64_t b, bool *sat)
{
	if (a && b > UINT64_MAX / a) {
		*sat = true;
		return UINT64_MAX;
	}
	return a * b;
}

/* Chains from a member of u at position depth, ways ways of getting
 * there, into S->total. */
static void count_from(struct search *S, uint32_t u, uint32_t depth,
		       uint64_t ways)
{
	const struct graph *g = S->g;
	if (S->out_of_steps || !spend(S)) {
		S->inexact = true;
		return;
	}
	if (depth + 1 <= S->max) {
		const struct graph_edge *e = graph_edge_between(g, u, S->tv);
		if (e && last_ok(S, e))
			S->total = add_sat(S->total, ways, &S->inexact);
	}
	if (depth + 2 > S->max)
		return;
	for (uint32_t k = g->out_first[u]; k < g->out_first[u + 1]; k++) {
		const struct graph_edge *e = &g->edges[k];
		uint32_t h = e->to;
		if (!spend(S)) {
			S->inexact = true;
			return;
		}
		if (!usable(S, h) || S->D[h] > S->max - depth - 1 ||
		    S->visits[h] >= S->avail[h] || !hop_ok(S, e))
			continue;
		uint64_t w =
		    mul_sat(ways, S->avail[h] - S->visits[h], &S->inexact);
		S->visits[h]++;
		count_from(S, h, depth + 1, w);
		S->visits[h]--;
	}
}

/* ---- the questions ------------------------------------------------------ */

int graph_chains(struct graph_chains *out, const struct graph *g,
		 const struct reach_node *from, const struct reach_node *to,
		 uint32_t max_hops, uint32_t limit,
		 const struct graph_filter *f, uint64_t *steps)
{
	struct search S;
	memset(out, 0, sizeof(*out));
	out->more_exact = true;
	if (search_init(&S, g, from, to, max_hops, f, steps)) {
		search_free(&S);
		return -1;
	}
	bool same = S.sv == S.tv && S.sm == S.tm;
	uint32_t d = same ? UINT32_MAX : S.D[S.sv];
	if (d == UINT32_MAX || d > S.max) {
		search_free(&S);
		return 0;
	}
	out->shortest = d;
	S.res = out;
	S.want = limit + 1; /* one more says there are more */
	S.used = xcalloc(g->n_members + 1, sizeof(bool));
	/* Half the budget for the listing, the rest for the count. */
	uint64_t list_budget = *steps / 2, count_budget = *steps - list_budget;
	S.steps = &list_budget;
	bool cut = false;
	for (uint32_t len = d; len <= S.max && !cut; len++) {
		list_length(&S, len);
		cut = out->n >= S.want || S.out_of_steps;
	}
	uint32_t listed = out->n < limit ? out->n : limit;
	if (cut) {
		count_budget += list_budget;
		list_budget = 0;
		S.steps = &count_budget;
		S.out_of_steps = false;
		S.visits = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
		count_from(&S, S.sv, 0, 1);
		/* A count cut short may fall below what was listed. */
		uint64_t known = out->n > limit ? (uint64_t)listed + 1 : out->n;
		if (S.total < known)
			S.total = known;
		out->more = S.total - listed;
		out->more_exact = !S.inexact;
	}
	*steps = list_budget + count_budget;
	/* Past the limit: the extra chain only said there are more. */
	while (out->n > limit) {
		struct graph_chain *c = &out->v[--out->n];
		free(c->v);
		free(c->e);
	}
	search_free(&S);
	return 0;
}

void graph_chains_free(struct graph_chains *c)
{
	if (!c)
		return;
	for (uint32_t i = 0; i < c->n; i++) {
		free(c->v[i].v);
		free(c->v[i].e);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

uint32_t graph_chain_shortest(const struct graph *g,
			      const struct reach_node *from,
			      const struct reach_node *to, uint32_t max_hops,
			      const struct graph_filter *f)
{
	struct search S;
	uint64_t steps = 0;
	uint32_t d = 0;
	if (search_init(&S, g, from, to, max_hops, f, &steps) == 0 &&
	    !(S.sv == S.tv && S.sm == S.tm) && S.D[S.sv] <= S.max)
		d = S.D[S.sv];
	search_free(&S);
	return d;
}

/* ---- filters ------------------------------------------------------------ */

void graph_filter_init(struct graph_filter *f, const struct graph *g)
{
	memset(f, 0, sizeof(*f));
	f->avoid = xcalloc(g->n_members + 1, sizeof(bool));
}

void graph_filter_ready(struct graph_filter *f, const struct graph *g)
{
	free(f->avail);
	f->avail = xcalloc(g->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t v = FIXED; v < g->n_nodes; v++)
		for (uint32_t m = g->member_first[v];
		     m < g->member_first[v + 1]; m++)
			f->avail[v] += !f->avoid[m];
}

void graph_filter_free(struct graph_filter *f)
{
	if (!f)
		return;
	free(f->avoid);
	free(f->avail);
	memset(f, 0, sizeof(*f));
}
