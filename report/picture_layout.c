/*
 * The picture laid out the way the guide draws an architecture, then
 * routed, labelled and rendered by graphviz's library (libgvc).
 *
 * graphviz's dot orders clusters by its own crossing heuristics (a zone
 * us-east-1b came out left of us-east-1a) and places external labels on
 * top of each other, so the geometry is computed here and libgvc only
 * sizes the text, routes the arrows around the nodes ("nop": neato with
 * the positions given) and renders.  The scene is recorded as a tree of
 * boxes (box 0 is the picture itself) whose children, boxes and nodes,
 * keep the walk's order:
 *
 * - Rows are global: a node's row is its tier (0 the internet, 1 the
 *   gateways, ...), so an ALB in public-a and its twin in public-b sit
 *   at one height.  Between two rows there is room for the titles of the
 *   boxes that start below and the padding of those that end above,
 *   counted per depth so that boxes of one depth start at one height.
 * - In a box, children are put in lanes, left to right, first fit by
 *   rows: a child goes in the first lane whose content ends above its
 *   first row (a private subnet under its zone's public one, a database
 *   under the tasks), else in a new lane.  Zones come out in the walk's
 *   order, which is by name.  A VPC's gateways (row 1) and the internet
 *   (row 0) are a header row, centred; the legend is left below all.
 * - Widths go up (a lane is as wide as its widest child, and its boxes
 *   are made that wide), positions come down, lanes centred in a box.
 *
 * Labels of arrows are placed after routing: graphviz's own placement
 * puts them anywhere, overlapping.  Each label tries points along its
 * arrow, beside, above or below it, and takes the first place that meets
 * no node, title or label placed before (and as few arrows as it can),
 * nearest the arrow's middle.
 *
 * The DOT this writes (the "dot" format) holds the positions and routes
 * with layout=nop2, so `dot -Tsvg` draws exactly the SVG.
 */
#include <gvc.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/util.h"
#include "report/picture_impl.h"

#define NONE	    UINT32_MAX
#define PAD_X	    12.0 /* a box's padding left and right */
#define PAD_TOP	    6.0	 /* above a box's title */
#define TITLE_GAP   8.0	 /* between a title and what the box holds */
#define PAD_BOTTOM  12.0
#define GAP	    28.0 /* between lanes */
#define ROW_GAP	    46.0 /* between rows: room for arrows and labels */
#define MARGIN	    10.0
#define MAX_DEPTH   8
#define LEGEND_ROWS 12

/* ---- the recorded drawing ---------------------------------------------- */

struct kid {
	bool is_box;
	uint32_t i, next, lane;
};

struct lbox {
	char *id, *title, *tooltip, *anchor, *badge;
	enum look look;
	uint32_t parent, depth;
	uint32_t kid_first, kid_last;
	uint32_t title_node; /* NONE for the picture */
	uint32_t lo, hi;     /* rows of what it holds */
	uint32_t lane_first, n_lanes;
	double w; /* natural width, then the width given */
	double x0, x1, y0, y1;
};

enum node_role { ROLE_NODE, ROLE_TITLE, ROLE_LEGEND };

struct lnode {
	char *id, *label, *tooltip, *anchor;
	enum look look;
	enum node_role role;
	bool exposed;
	bool html; /* label is an HTML-like label */
	uint32_t tier, box;
	double fontsize;
	double w, h, x, y;
};

/* A point, y growing downwards (graphviz's grows upwards: converted
 * when written). */
struct pt {
	double x, y;
};

struct ledge {
	char *from, *to, *label;
	enum flow_kind kind;
	bool context;
	/* The route: a tail and a head node, Bézier points (3k + 1) from
	 * the tail to the arrow's base, the arrow's tip, the label's size
	 * (measured) and centre. */
	uint32_t a, b;
	int side_a, side_b;
	struct pt start, tip;
	struct pt *p;
	uint32_t n_p;
	double lw, lh;
	struct pt lc;
	bool routed;
};

struct lane {
	double w;
	uint32_t lo, hi; /* the rows its children span */
	bool used;
};

struct drawing {
	const struct scene *sc;
	struct lbox *boxes;
	uint32_t n_boxes, cap_boxes;
	struct lnode *nodes;
	uint32_t n_nodes, cap_nodes;
	struct ledge *edges;
	uint32_t n_edges, cap_edges;
	struct kid *kids;
	uint32_t n_kids, cap_kids;
	struct lane *lanes;
	uint32_t n_lanes, cap_lanes;
	uint32_t stack[MAX_DEPTH + 1];
	uint32_t depth;
	uint32_t n_rows;
	double *row_top, *row_h;
	double (*hdr)[MAX_DEPTH], (*ftr)[MAX_DEPTH];
	double width, height;
};

#define GROW(arr, n, cap)                                                      \
	do {                                                                   \
		if ((n) == (cap)) {                                            \
			(cap) = (cap) ? 2 * (cap) : 32;                        \
			(arr) = xreallocarray((arr), (cap), sizeof(*(arr)));   \
		}                                                              \
	} while (0)

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void add_kid(struct drawing *d, uint32_t parent, bool is_box, uint32_t i)
{
	GROW(d->kids, d->n_kids, d->cap_kids);
	uint32_t k = d->n_kids++;
	d->kids[k] = (struct kid){is_box, i, NONE, 0};
	struct lbox *p = &d->boxes[parent];
	if (p->kid_last == NONE)
		p->kid_first = k;
	else
		d->kids[p->kid_last].next = k;
	p->kid_last = k;
}

static uint32_t add_node(struct drawing *d, const struct item *it,
			 enum node_role role, uint32_t box)
{
	GROW(d->nodes, d->n_nodes, d->cap_nodes);
	uint32_t i = d->n_nodes++;
	struct lnode *n = &d->nodes[i];
	memset(n, 0, sizeof(*n));
	n->id = xstrdup(it->id);
	n->label = xstrdup(it->label);
	n->tooltip = dup_or_null(it->tooltip);
	n->anchor = dup_or_null(it->anchor);
	n->look = it->look;
	n->role = role;
	n->exposed = it->exposed;
	n->tier = it->tier;
	n->box = box;
	add_kid(d, box, false, i);
	return i;
}

static void rec_begin(void *ctx, const struct item *it)
{
	struct drawing *d = ctx;
	uint32_t parent = d->stack[d->depth];
	GROW(d->boxes, d->n_boxes, d->cap_boxes);
	uint32_t b = d->n_boxes++;
	struct lbox *x = &d->boxes[b];
	memset(x, 0, sizeof(*x));
	x->id = xstrdup(it->id);
	x->title = xstrdup(it->label);
	x->tooltip = dup_or_null(it->tooltip);
	x->anchor = dup_or_null(it->anchor);
	x->badge = dup_or_null(it->badge);
	x->look = it->look;
	x->parent = parent;
	x->depth = d->boxes[parent].depth + 1;
	x->kid_first = x->kid_last = NONE;
	add_kid(d, parent, true, b);
	char tid[ID_MAX];
	snprintf(tid, sizeof(tid), "t_%s", it->id);
	struct item t = {.id = tid,
			 .label = it->label,
			 .tooltip = it->tooltip,
			 .look = it->look};
	x = &d->boxes[b];
	x->title_node = add_node(d, &t, ROLE_TITLE, b);
	if (d->depth < MAX_DEPTH)
		d->stack[++d->depth] = b;
}

static void rec_end(void *ctx, const struct item *it)
{
	struct drawing *d = ctx;
	(void)it;
	if (d->depth)
		d->depth--;
}

static void rec_node(void *ctx, const struct item *it)
{
	struct drawing *d = ctx;
	add_node(d, it, ROLE_NODE, d->stack[d->depth]);
}

static void rec_edge(void *ctx, const struct flow_item *e)
{
	struct drawing *d = ctx;
	GROW(d->edges, d->n_edges, d->cap_edges);
	struct ledge *x = &d->edges[d->n_edges++];
	memset(x, 0, sizeof(*x));
	x->from = xstrdup(e->from);
	x->to = xstrdup(e->to);
	x->label = xstrdup(e->label);
	x->kind = e->kind;
	x->context = e->context;
}

static void drawing_free(struct drawing *d)
{
	for (uint32_t i = 0; i < d->n_boxes; i++) {
		free(d->boxes[i].id);
		free(d->boxes[i].title);
		free(d->boxes[i].tooltip);
		free(d->boxes[i].anchor);
		free(d->boxes[i].badge);
	}
	for (uint32_t i = 0; i < d->n_nodes; i++) {
		free(d->nodes[i].id);
		free(d->nodes[i].label);
		free(d->nodes[i].tooltip);
		free(d->nodes[i].anchor);
	}
	for (uint32_t i = 0; i < d->n_edges; i++) {
		free(d->edges[i].from);
		free(d->edges[i].to);
		free(d->edges[i].label);
		free(d->edges[i].p);
	}
	free(d->boxes);
	free(d->nodes);
	free(d->edges);
	free(d->kids);
	free(d->lanes);
	free(d->row_top);
	free(d->row_h);
	free(d->hdr);
	free(d->ftr);
}

/* ---- the DOT text of nodes, titles and the legend -------------------- */

static double title_size(enum look look)
{
	switch (look) {
	case LOOK_REGION:
		return 14;
	case LOOK_VPC:
		return 13;
	case LOOK_AZ:
	case LOOK_AWS:
		return 11;
	default:
		return 10;
	}
}

/* A box's title: its first line bold, then the others, then its NACL
 * badge, as an HTML-like label. */
static void title_html(FILE *f, const struct lbox *b)
{
	fputs("<<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" "
	      "cellpadding=\"0\">",
	      f);
	const char *p = b->title;
	for (int line = 0; *p || !line; line++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *s = xasprintf("%.*s", (int)n, p);
		fputs("<tr><td align=\"left\">", f);
		if (!line)
			fputs("<b>", f);
		picture_html_text(f, s);
		if (!line)
			fputs("</b>", f);
		fputs("</td></tr>", f);
		free(s);
		p += n;
		if (*p == '\n')
			p++;
		if (!*p)
			break;
	}
	if (b->badge) {
		fputs("<tr><td align=\"left\" cellpadding=\"2\"><table "
		      "border=\"1\" cellborder=\"0\" cellspacing=\"0\" "
		      "cellpadding=\"1\" color=\"#a84300\" "
		      "bgcolor=\"#fdf2e9\"><tr><td><font color=\"#a84300\" "
		      "point-size=\"9\">",
		      f);
		picture_html_text(f, b->badge);
		fputs("</font></td></tr></table></td></tr>", f);
	}
	fputs("</table>>", f);
}

/* A sample of a flow's line in the legend, made of table cells (no
 * glyph a font might lack). */
static void legend_swatch(FILE *f, int what)
{
	static const char *const colour[FLOW_KINDS + 1] = {
	    [FLOW_EXPOSURE] = "#d62728", [FLOW_FORWARD] = "#1f4e9c",
	    [FLOW_OUTBOUND] = "#7b7d7d", [FLOW_OTHER] = "#424242",
	    [FLOW_BLOCKED] = "#d62728",	 [FLOW_PART] = "#a84300",
	    [FLOW_KINDS] = "#a6a6a6",
	};
	if (what < 0) {
		/* A box: its fill and border. */
		int look = -1 - what;
		const char *fill = "#fdf2e9", *line = "#a84300";
		if (look == LOOK_PUBLIC) {
			fill = "#d4f1f9";
			line = "#1e6b7f";
		} else if (look == LOOK_PRIVATE) {
			fill = "#e8f6ef";
			line = "#1e8065";
		}
		fprintf(f,
			"<td width=\"36\" height=\"12\" fixedsize=\"true\" "
			"border=\"1\" color=\"%s\" bgcolor=\"%s\"></td>",
			line, fill);
		return;
	}
	int dashes = what == FLOW_OUTBOUND || what == FLOW_BLOCKED ? 4
		     : what == FLOW_PART			   ? 7
								   : 1;
	int thick = what == FLOW_EXPOSURE || what == FLOW_FORWARD ||
			    what == FLOW_BLOCKED
			? 3
		    : what == FLOW_KINDS ? 1
					 : 2;
	int len = dashes == 1 ? 36 : dashes == 4 ? 6 : 2;
	fprintf(f,
		"<td width=\"40\" height=\"12\"><table "
		"border=\"0\" cellborder=\"0\" cellspacing=\"%d\" "
		"cellpadding=\"0\"><tr>",
		dashes == 1   ? 0
		: dashes == 4 ? 3
			      : 2);
	for (int i = 0; i < dashes; i++)
		fprintf(f,
			"<td width=\"%d\" height=\"%d\" fixedsize=\"true\" "
			"bgcolor=\"%s\"></td>",
			len, thick, colour[what]);
	fputs("</tr></table></td>", f);
}

static void legend_html(FILE *f, const struct scene *sc)
{
	struct legend_row rows[LEGEND_ROWS];
	uint32_t n = picture_legend(rows, LEGEND_ROWS, sc);
	char cap[LABEL_MAX];
	picture_caption(cap, sizeof(cap), sc);
	fputs("<<table border=\"1\" color=\"#bfc9ca\" cellborder=\"0\" "
	      "cellspacing=\"3\" cellpadding=\"1\" bgcolor=\"#ffffff\">"
	      "<tr><td colspan=\"2\" align=\"left\"><b>",
	      f);
	picture_html_text(f, cap);
	fputs("</b></td></tr>", f);
	for (uint32_t i = 0; i < n; i++) {
		fputs("<tr>", f);
		legend_swatch(f, rows[i].what);
		fputs("<td align=\"left\">", f);
		picture_html_text(f, rows[i].words);
		fputs("</td></tr>", f);
	}
	fputs("</table>>", f);
}

static void dot_attr(FILE *f, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(f, ", %s=", name);
	picture_dot_string(f, value);
}

/* A node's statement; with pos, where it is (points, y up). */
static void node_stmt(FILE *f, const struct drawing *d, const struct lnode *n,
		      bool pos)
{
	fputs("\t", f);
	picture_dot_string(f, n->id);
	fputs(" [label=", f);
	if (n->role == ROLE_TITLE) {
		title_html(f, &d->boxes[n->box]);
		fprintf(f,
			", shape=plaintext, style=\"\", margin=0, "
			"fontsize=%g",
			title_size(n->look));
	} else if (n->role == ROLE_LEGEND) {
		legend_html(f, d->sc);
		fputs(", shape=plaintext, style=\"\", margin=0, fontsize=9", f);
	} else {
		picture_dot_string(f, n->label);
		fprintf(f, ", %s", picture_dot_looks[n->look]);
		if (n->exposed)
			fputs(", color=\"#d62728\", penwidth=3.5, "
			      "fontcolor=\"#b03a2e\"",
			      f);
	}
	dot_attr(f, "tooltip", n->tooltip);
	dot_attr(f, "id", n->anchor);
	if (pos)
		fprintf(f, ", pos=\"%.2f,%.2f!\", width=%.4f, height=%.4f",
			n->x, d->height - n->y, n->w / 72, n->h / 72);
	else if (n->role != ROLE_NODE)
		fputs(", pos=\"0,0\", width=0, height=0", f);
	else
		fputs(", pos=\"0,0\"", f);
	fputs("];\n", f);
}

static const char *const graph_attrs =
    "\tnode [fontname=\"Helvetica\", fontsize=10, shape=box, "
    "style=\"rounded,filled\", penwidth=1.5];\n"
    "\tedge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.7];\n";

/* ---- graphviz ----------------------------------------------------------- */

/* graphviz's messages, kept for when it fails rather than printed. */
static char gv_msg[512];

static int gv_collect(char *msg)
{
	size_t n = strlen(gv_msg);
	if (n + 1 < sizeof(gv_msg))
		snprintf(gv_msg + n, sizeof(gv_msg) - n, "%s", msg);
	return 0;
}

struct gv {
	GVC_t *gvc;
	Agraph_t *g;
	bool laid_out;
};

/*
 * Object ids for cgraph in the order names first appear.  cgraph's own
 * discipline makes a name's id the address of its string, and keeps
 * subgraphs ordered by id, so the DOT it writes listed the clusters in
 * an order that changed from run to run (with the heap's addresses).
 * Here a name's id is 2k for the k-th name (k >= 1) and anonymous objects
 * get odd ids, as in cgraph's, so ids and the order are the text's.  The
 * names are cgraph's strings (agstrdup: its writer reads whether one is
 * HTML from the string's header), kept until the graph is closed.
 */
struct gv_ids {
	Agraph_t *g;
	struct hmap by_name; /* name -> k */
	char **names;	     /* names[k - 1] */
	uint32_t n;
	IDTYPE anon; /* the next odd id */
};

static void *gv_ids_open(Agraph_t *g, Agdisc_t *disc)
{
	(void)disc;
	struct gv_ids *x = xcalloc(1, sizeof(*x));
	x->g = g;
	hmap_init(&x->by_name, 0, sizeof(uint32_t));
	x->anon = 1;
	return x;
}

static long gv_ids_map(void *state, int objtype, char *str, IDTYPE *id,
		       int createflag)
{
	struct gv_ids *x = state;
	(void)objtype;
	if (!str) {
		*id = x->anon;
		x->anon += 2;
		return 1;
	}
	uint32_t e = hmap_find(&x->by_name, str);
	if (e == HMAP_NONE) {
		if (!createflag)
			return 0;
		char *name = agstrdup(x->g, str);
		x->names = xreallocarray(x->names, x->n + 1, sizeof(char *));
		x->names[x->n++] = name;
		e = hmap_insert(&x->by_name, name, NULL);
		*(uint32_t *)hmap_val(&x->by_name, e) = x->n;
	}
	*id = (IDTYPE)2 * *(uint32_t *)hmap_val(&x->by_name, e);
	return 1;
}

static long gv_ids_alloc(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id;
	return 0; /* ids are only given by map */
}

static void gv_ids_free(void *state, int objtype, IDTYPE id)
{
	(void)state;
	(void)objtype;
	(void)id; /* the names stay until the graph closes */
}

static char *gv_ids_print(void *state, int objtype, IDTYPE id)
{
	struct gv_ids *x = state;
	(void)objtype;
	if (id % 2 || id == 0 || id / 2 > x->n)
		return NULL;
	return x->names[id / 2 - 1];
}

static void gv_ids_close(void *state)
{
	struct gv_ids *x = state;
	for (uint32_t i = 0; i < x->n; i++)
		agstrfree(x->g, x->names[i]);
	free(x->names);
	hmap_free(&x->by_name);
	free(x);
}

static void gv_ids_register(void *state, int objtype, void *obj)
{
	(void)state;
	(void)objtype;
	(void)obj;
}

static Agiddisc_t gv_id_disc = {gv_ids_open,	gv_ids_map,   gv_ids_alloc,
				gv_ids_free,	gv_ids_print, gv_ids_close,
				gv_ids_register};

/* The DOT text cgraph reads, from memory (agmemread's, with our ids). */
struct gv_text {
	const char *p;
	size_t left;
};

static int gv_text_read(void *chan, char *buf, int size)
{
	struct gv_text *t = chan;
	size_t n = 0;
	/* cgraph reads a line at a time, as from a file. */
	while (n + 1 < (size_t)size && n < t->left) {
		buf[n] = t->p[n];
		if (t->p[n++] == '\n')
			break;
	}
	t->p += n;
	t->left -= n;
	return (int)n;
}

static Agiodisc_t gv_io_disc;

/* The graph of a DOT text, with gv_id_disc; NULL after a syntax error. */
static Agraph_t *gv_read(const char *dot)
{
	struct gv_text t = {dot, strlen(dot)};
	gv_io_disc = AgIoDisc;
	gv_io_disc.afread = gv_text_read;
	Agdisc_t disc = {&AgMemDisc, &gv_id_disc, &gv_io_disc};
	return agread(&t, &disc);
}

/*
 * One graphviz context for the process, never freed: graphviz 2.43's
 * pango plugin keeps a static pointer to the last font name it measured,
 * which a context owns (its font dictionary) and frees with it, so the
 * next context's first label read freed memory (AddressSanitizer saw it
 * on every second layout of a run: sizing, then rendering).  What the
 * context holds is graphviz's, under the LSan suppressions of libgvc.
 */
static GVC_t *gv_context(void)
{
	static GVC_t *gvc;
	if (!gvc)
		gvc = gvContext();
	return gvc;
}

static int gv_open(struct gv *x, const char *dot, const char *engine)
{
	memset(x, 0, sizeof(*x));
	gv_msg[0] = '\0';
	agseterr(AGERR);
	agseterrf(gv_collect);
	x->gvc = gv_context();
	if (!x->gvc)
		return -1;
	x->g = gv_read(dot);
	if (!x->g)
		return -1;
	x->laid_out = true; /* gvFreeLayout also undoes a failed layout */
	return gvLayout(x->gvc, x->g, engine) ? -1 : 0;
}

static void gv_close(struct gv *x)
{
	if (x->laid_out)
		gvFreeLayout(x->gvc, x->g);
	if (x->g)
		agclose(x->g);
	memset(x, 0, sizeof(*x));
}

/* An arrow's label font size: the lighter arrows' is smaller. */
static double label_size(const struct ledge *e)
{
	return e->context && e->kind == FLOW_OTHER ? 8 : 9;
}

/* Pass 1: every node's size as graphviz draws its label, and every
 * arrow's label's (as a node of its text alone, "L<k>"). */
static int measure(struct drawing *d)
{
	char *dot = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&dot, &len);
	if (!f)
		return -1;
	fputs("digraph sizes {\n", f);
	fputs(graph_attrs, f);
	for (uint32_t i = 0; i < d->n_nodes; i++)
		node_stmt(f, d, &d->nodes[i], false);
	for (uint32_t i = 0; i < d->n_edges; i++) {
		if (!*d->edges[i].label)
			continue;
		fprintf(f, "\t\"L%u\" [label=", i);
		picture_dot_string(f, d->edges[i].label);
		fprintf(f,
			", shape=plaintext, style=\"\", margin=0, width=0, "
			"height=0, fontsize=%g, pos=\"0,0\"];\n",
			label_size(&d->edges[i]));
	}
	fputs("}\n", f);
	if (fclose(f)) {
		free(dot);
		return -1;
	}
	struct gv x;
	int rc = gv_open(&x, dot, "nop");
	for (uint32_t i = 0; i < d->n_nodes && !rc; i++) {
		Agnode_t *n = agnode(x.g, d->nodes[i].id, 0);
		if (!n) {
			rc = -1;
			break;
		}
		d->nodes[i].w = ND_width(n) * 72;
		d->nodes[i].h = ND_height(n) * 72;
	}
	for (uint32_t i = 0; i < d->n_edges && !rc; i++) {
		char name[32];
		snprintf(name, sizeof(name), "L%u", i);
		Agnode_t *n = agnode(x.g, name, 0);
		if (n) {
			d->edges[i].lw = ND_width(n) * 72 + 4;
			d->edges[i].lh = ND_height(n) * 72 + 2;
		}
	}
	gv_close(&x);
	free(dot);
	return rc;
}

/* ---- the geometry ------------------------------------------------------- */

static uint32_t kid_lo(const struct drawing *d, const struct kid *k)
{
	return k->is_box ? d->boxes[k->i].lo : d->nodes[k->i].tier;
}

static uint32_t kid_hi(const struct drawing *d, const struct kid *k)
{
	return k->is_box ? d->boxes[k->i].hi : d->nodes[k->i].tier;
}

static double kid_w(const struct drawing *d, const struct kid *k)
{
	return k->is_box ? d->boxes[k->i].w : d->nodes[k->i].w;
}

/* Nodes laid out in a centred header row: the internet in the picture,
 * the gateways in a VPC. */
static bool in_header(const struct drawing *d, const struct kid *k)
{
	if (k->is_box || d->nodes[k->i].role != ROLE_NODE)
		return false;
	const struct lbox *b = &d->boxes[d->nodes[k->i].box];
	return (b->look == LOOK_VPC && d->nodes[k->i].tier <= 1) ||
	       d->nodes[k->i].box == 0;
}

/* The rows each box spans, from the nodes up. */
static void box_rows(struct drawing *d)
{
	for (uint32_t b = 0; b < d->n_boxes; b++) {
		d->boxes[b].lo = NONE;
		d->boxes[b].hi = 0;
	}
	d->n_rows = 1;
	for (uint32_t i = 0; i < d->n_nodes; i++) {
		const struct lnode *n = &d->nodes[i];
		if (n->role == ROLE_TITLE)
			continue;
		if (n->tier + 1 > d->n_rows)
			d->n_rows = n->tier + 1;
		for (uint32_t b = n->box; b != NONE; b = d->boxes[b].parent) {
			if (n->tier < d->boxes[b].lo)
				d->boxes[b].lo = n->tier;
			if (n->tier > d->boxes[b].hi)
				d->boxes[b].hi = n->tier;
		}
	}
	for (uint32_t b = 0; b < d->n_boxes; b++)
		if (d->boxes[b].lo == NONE)
			d->boxes[b].lo = d->boxes[b].hi = 1;
}

/* Natural widths, children first (boxes are recorded parents first),
 * and each box's lanes. */
static void widths(struct drawing *d)
{
	for (uint32_t b = d->n_boxes; b-- > 0;) {
		struct lbox *x = &d->boxes[b];
		x->lane_first = d->n_lanes;
		double header = 0, legend = 0;
		uint32_t n_header = 0;
		for (uint32_t k = x->kid_first; k != NONE;
		     k = d->kids[k].next) {
			struct kid *c = &d->kids[k];
			if (!c->is_box && d->nodes[c->i].role == ROLE_TITLE)
				continue;
			if (!c->is_box && d->nodes[c->i].role == ROLE_LEGEND) {
				legend = d->nodes[c->i].w;
				continue;
			}
			if (in_header(d, c)) {
				header += d->nodes[c->i].w;
				n_header++;
				continue;
			}
			uint32_t lo = kid_lo(d, c), hi = kid_hi(d, c);
			uint32_t l = x->lane_first;
			while (l < d->n_lanes && d->lanes[l].used &&
			       !(hi < d->lanes[l].lo || lo > d->lanes[l].hi))
				l++;
			if (l == d->n_lanes) {
				GROW(d->lanes, d->n_lanes, d->cap_lanes);
				d->lanes[d->n_lanes++] =
				    (struct lane){0, lo, hi, false};
			}
			struct lane *ln = &d->lanes[l];
			ln->used = true;
			if (lo < ln->lo)
				ln->lo = lo;
			if (hi > ln->hi)
				ln->hi = hi;
			if (kid_w(d, c) > ln->w)
				ln->w = kid_w(d, c);
			c->lane = l - x->lane_first;
		}
		x->n_lanes = d->n_lanes - x->lane_first;
		double inner = 0;
		for (uint32_t l = 0; l < x->n_lanes; l++)
			inner += d->lanes[x->lane_first + l].w + (l ? GAP : 0);
		if (n_header)
			header += GAP * (n_header - 1);
		double w = inner > header ? inner : header;
		if (legend > w)
			w = legend;
		if (x->title_node != NONE && d->nodes[x->title_node].w > w)
			w = d->nodes[x->title_node].w;
		x->w = w + 2 * (b ? PAD_X : MARGIN);
	}
}

/* Positions, the picture first: box b spans [x0, x0 + w). */
static void place(struct drawing *d, uint32_t b, double x0, double w)
{
	struct lbox *x = &d->boxes[b];
	double pad = b ? PAD_X : MARGIN;
	x->x0 = x0;
	x->x1 = x0 + w;
	double in0 = x0 + pad, inw = w - 2 * pad, lanes = 0, header = 0;
	for (uint32_t l = 0; l < x->n_lanes; l++)
		lanes += d->lanes[x->lane_first + l].w + (l ? GAP : 0);
	for (uint32_t k = x->kid_first; k != NONE; k = d->kids[k].next)
		if (in_header(d, &d->kids[k]))
			header += d->nodes[d->kids[k].i].w + (header ? GAP : 0);
	double *lane_x = xcalloc(x->n_lanes + 1, sizeof(double));
	double at = in0 + (inw - lanes) / 2;
	for (uint32_t l = 0; l < x->n_lanes; l++) {
		lane_x[l] = at;
		at += d->lanes[x->lane_first + l].w + GAP;
	}
	double hx = in0 + (inw - header) / 2;
	for (uint32_t k = x->kid_first; k != NONE; k = d->kids[k].next) {
		const struct kid *c = &d->kids[k];
		if (c->is_box) {
			place(d, c->i, lane_x[c->lane],
			      d->lanes[x->lane_first + c->lane].w);
			continue;
		}
		struct lnode *n = &d->nodes[c->i];
		if (n->role == ROLE_TITLE) {
			n->x = x0 + pad + n->w / 2;
		} else if (n->role == ROLE_LEGEND) {
			n->x = in0 + n->w / 2;
		} else if (in_header(d, c)) {
			n->x = hx + n->w / 2;
			hx += n->w + GAP;
		} else {
			n->x = lane_x[c->lane] +
			       d->lanes[x->lane_first + c->lane].w / 2;
		}
	}
	free(lane_x);
}

static double box_header(const struct drawing *d, const struct lbox *b)
{
	return PAD_TOP + d->nodes[b->title_node].h + TITLE_GAP;
}

/* Rows from the top: each after the titles of the boxes that start in
 * it and the padding of those that end above it. */
static void rows(struct drawing *d)
{
	uint32_t nr = d->n_rows;
	d->row_top = xcalloc(nr + 1, sizeof(double));
	d->row_h = xcalloc(nr + 1, sizeof(double));
	d->hdr = xcalloc(nr + 1, sizeof(*d->hdr));
	d->ftr = xcalloc(nr + 1, sizeof(*d->ftr));
	bool *busy = xcalloc(nr + 1, sizeof(bool));
	for (uint32_t i = 0; i < d->n_nodes; i++) {
		const struct lnode *n = &d->nodes[i];
		if (n->role == ROLE_TITLE)
			continue;
		busy[n->tier] = true;
		if (n->h > d->row_h[n->tier])
			d->row_h[n->tier] = n->h;
	}
	for (uint32_t b = 1; b < d->n_boxes; b++) {
		const struct lbox *x = &d->boxes[b];
		uint32_t dep = x->depth < MAX_DEPTH ? x->depth : MAX_DEPTH - 1;
		double h = box_header(d, x);
		if (h > d->hdr[x->lo][dep])
			d->hdr[x->lo][dep] = h;
		d->ftr[x->hi][dep] = PAD_BOTTOM;
	}
	double y = MARGIN;
	bool first = true;
	for (uint32_t r = 0; r < nr; r++) {
		if (!busy[r])
			continue;
		if (!first)
			y += ROW_GAP;
		first = false;
		for (int k = 0; k < MAX_DEPTH; k++)
			y += d->hdr[r][k];
		d->row_top[r] = y;
		y += d->row_h[r];
		for (int k = 0; k < MAX_DEPTH; k++)
			y += d->ftr[r][k];
	}
	d->height = y + MARGIN;
	free(busy);
	for (uint32_t i = 0; i < d->n_nodes; i++) {
		struct lnode *n = &d->nodes[i];
		if (n->role != ROLE_TITLE)
			n->y = d->row_top[n->tier] + d->row_h[n->tier] / 2;
	}
	for (uint32_t b = 1; b < d->n_boxes; b++) {
		struct lbox *x = &d->boxes[b];
		double up = 0, down = 0;
		for (uint32_t k = x->depth; k < MAX_DEPTH; k++) {
			up += d->hdr[x->lo][k];
			down += d->ftr[x->hi][k];
		}
		x->y0 = d->row_top[x->lo] - up;
		x->y1 = d->row_top[x->hi] + d->row_h[x->hi] + down;
		struct lnode *t = &d->nodes[x->title_node];
		t->y = x->y0 + PAD_TOP + t->h / 2;
	}
}

/* ---- routes ------------------------------------------------------------- */

#define ARROW 7.0 /* an arrowhead's length at arrowsize 0.7 */

enum side { SIDE_TOP, SIDE_BOTTOM, SIDE_LEFT, SIDE_RIGHT };

struct rect {
	double x0, y0, x1, y1;
};

static bool meets(const struct rect *a, const struct rect *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static struct rect rect_of(const struct lnode *n, double grow)
{
	return (struct rect){n->x - n->w / 2 - grow, n->y - n->h / 2 - grow,
			     n->x + n->w / 2 + grow, n->y + n->h / 2 + grow};
}

/*
 * A grid over the picture, for the questions asked of every arrow and
 * label ("what is near here"): each cell lists the ids of what covers
 * it.  Rectangles (nodes, then labels as they are placed) go in every
 * cell they cover, points in the one they are in.  A stamp per id keeps
 * a rectangle met in several cells from counting twice.
 */
#define CELL 48.0

struct cellv {
	uint32_t *v;
	uint32_t n, cap;
};

struct grid {
	uint32_t nx, ny;
	struct cellv *c;
	uint32_t *stamp; /* by id */
	uint32_t n_stamp, now;
};

static void grid_init(struct grid *g, double w, double h)
{
	memset(g, 0, sizeof(*g));
	g->nx = (uint32_t)(w / CELL) + 2;
	g->ny = (uint32_t)(h / CELL) + 2;
	g->c = xcalloc((size_t)g->nx * g->ny, sizeof(*g->c));
}

static void grid_free(struct grid *g)
{
	for (size_t i = 0; g->c && i < (size_t)g->nx * g->ny; i++)
		free(g->c[i].v);
	free(g->c);
	free(g->stamp);
	memset(g, 0, sizeof(*g));
}

static uint32_t grid_clamp(double v, uint32_t n)
{
	if (v < 0)
		return 0;
	uint32_t k = (uint32_t)(v / CELL);
	return k < n ? k : n - 1;
}

/* The cells a rectangle covers: [*x0, *x1] x [*y0, *y1]. */
static void grid_span(const struct grid *g, const struct rect *r, uint32_t *x0,
		      uint32_t *x1, uint32_t *y0, uint32_t *y1)
{
	*x0 = grid_clamp(r->x0, g->nx);
	*x1 = grid_clamp(r->x1, g->nx);
	*y0 = grid_clamp(r->y0, g->ny);
	*y1 = grid_clamp(r->y1, g->ny);
}

static void grid_put(struct grid *g, uint32_t x, uint32_t y, uint32_t id)
{
	struct cellv *c = &g->c[(size_t)y * g->nx + x];
	GROW(c->v, c->n, c->cap);
	c->v[c->n++] = id;
	if (id >= g->n_stamp) {
		uint32_t n = 2 * id + 16;
		g->stamp = xreallocarray(g->stamp, n, sizeof(*g->stamp));
		memset(g->stamp + g->n_stamp, 0,
		       (n - g->n_stamp) * sizeof(*g->stamp));
		g->n_stamp = n;
	}
}

static void grid_add_rect(struct grid *g, const struct rect *r, uint32_t id)
{
	uint32_t x0, x1, y0, y1;
	grid_span(g, r, &x0, &x1, &y0, &y1);
	for (uint32_t y = y0; y <= y1; y++)
		for (uint32_t x = x0; x <= x1; x++)
			grid_put(g, x, y, id);
}

static void grid_add_point(struct grid *g, struct pt p, uint32_t id)
{
	grid_put(g, grid_clamp(p.x, g->nx), grid_clamp(p.y, g->ny), id);
}

/* Starts a query: ids seen from now on are stamped once. */
static void grid_begin(struct grid *g)
{
	if (++g->now == 0) {
		memset(g->stamp, 0, g->n_stamp * sizeof(*g->stamp));
		g->now = 1;
	}
}

/* Whether id is met for the first time in this query. */
static bool grid_first(struct grid *g, uint32_t id)
{
	if (g->stamp[id] == g->now)
		return false;
	g->stamp[id] = g->now;
	return true;
}

static int cmp_id(const void *a, const void *b, void *ctx)
{
	const struct drawing *d = ctx;
	return strcmp(d->nodes[*(const uint32_t *)a].id,
		      d->nodes[*(const uint32_t *)b].id);
}

/* Nodes by id, for the arrows' ends: a sorted index. */
static uint32_t *id_index(const struct drawing *d)
{
	uint32_t *ix = xcalloc(d->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < d->n_nodes; i++)
		ix[i] = i;
	/* Insertion sort by id: qsort has no context argument in C11. */
	for (uint32_t i = 1; i < d->n_nodes; i++)
		for (uint32_t k = i;
		     k > 0 && cmp_id(&ix[k - 1], &ix[k], (void *)d) > 0; k--) {
			uint32_t t = ix[k];
			ix[k] = ix[k - 1];
			ix[k - 1] = t;
		}
	return ix;
}

static uint32_t find_node(const struct drawing *d, const uint32_t *ix,
			  const char *id)
{
	uint32_t lo = 0, hi = d->n_nodes;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = strcmp(d->nodes[ix[mid]].id, id);
		if (!c)
			return ix[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NONE;
}

/* Whether a node of the row of a and b stands between them. */
static bool row_blocked(const struct drawing *d, uint32_t a, uint32_t b)
{
	const struct lnode *x = &d->nodes[a], *y = &d->nodes[b];
	double lo = x->x < y->x ? x->x : y->x, hi = x->x < y->x ? y->x : x->x;
	for (uint32_t i = 0; i < d->n_nodes; i++) {
		const struct lnode *n = &d->nodes[i];
		if (i == a || i == b || n->role != ROLE_NODE)
			continue;
		if (n->x > lo && n->x < hi && fabs(n->y - x->y) < n->h / 2 + 4)
			return true;
	}
	return false;
}

/* Which sides of its ends an arrow leaves and enters: down or up between
 * rows, across a row when nothing stands between, else under it. */
static void pick_sides(struct drawing *d, struct ledge *e)
{
	const struct lnode *x = &d->nodes[e->a], *y = &d->nodes[e->b];
	if (e->a == e->b) {
		e->side_a = e->side_b = SIDE_RIGHT;
	} else if (fabs(x->y - y->y) > 1) {
		e->side_a = y->y > x->y ? SIDE_BOTTOM : SIDE_TOP;
		e->side_b = y->y > x->y ? SIDE_TOP : SIDE_BOTTOM;
	} else if (!row_blocked(d, e->a, e->b)) {
		e->side_a = y->x > x->x ? SIDE_RIGHT : SIDE_LEFT;
		e->side_b = y->x > x->x ? SIDE_LEFT : SIDE_RIGHT;
	} else {
		e->side_a = e->side_b = SIDE_BOTTOM;
	}
}

/* A point on a node's side, at fraction f of it (0.5 the middle); the
 * internet's ellipse is followed. */
static struct pt side_point(const struct lnode *n, int side, double f)
{
	double inset = n->w / 5;
	double x = n->x - n->w / 2 + inset + f * (n->w - 2 * inset);
	double y = n->y - n->h / 2 + n->h * (0.3 + 0.4 * f);
	switch (side) {
	case SIDE_TOP:
	case SIDE_BOTTOM: {
		double dy = n->h / 2;
		if (n->look == LOOK_INTERNET) {
			double u = (x - n->x) / (n->w / 2);
			dy *= sqrt(u * u < 1 ? 1 - u * u : 0);
		}
		return (struct pt){x, side == SIDE_TOP ? n->y - dy : n->y + dy};
	}
	case SIDE_LEFT:
		return (struct pt){n->x - n->w / 2, y};
	default:
		return (struct pt){n->x + n->w / 2, y};
	}
}

/* The other end's position along a side, to order a side's arrows so
 * they do not cross at the node. */
static double end_key(const struct drawing *d, const struct ledge *e, bool head)
{
	const struct lnode *o = &d->nodes[head ? e->a : e->b];
	int side = head ? e->side_b : e->side_a;
	return side == SIDE_LEFT || side == SIDE_RIGHT ? o->y : o->x;
}

/* Where each arrow meets its nodes: a node's arrows on one side spread
 * along it in the order of their other ends. */
static void ports(struct drawing *d)
{
	struct end {
		uint32_t e;
		bool head;
		int side;
		double key;
	};
	/* The ends by node: a counting sort. */
	uint32_t *first = xcalloc(d->n_nodes + 2, sizeof(uint32_t));
	struct end *ends = xcalloc(2 * d->n_edges + 1, sizeof(*ends));
	for (uint32_t i = 0; i < d->n_edges; i++)
		if (d->edges[i].routed) {
			first[d->edges[i].a + 1]++;
			first[d->edges[i].b + 1]++;
		}
	for (uint32_t v = 0; v < d->n_nodes; v++)
		first[v + 1] += first[v];
	uint32_t *fill = xcalloc(d->n_nodes + 1, sizeof(uint32_t));
	for (uint32_t i = 0; i < d->n_edges; i++) {
		const struct ledge *e = &d->edges[i];
		if (!e->routed)
			continue;
		ends[first[e->a] + fill[e->a]++] =
		    (struct end){i, false, e->side_a, end_key(d, e, false)};
		ends[first[e->b] + fill[e->b]++] =
		    (struct end){i, true, e->side_b, end_key(d, e, true)};
	}
	free(fill);
	struct end *side_ends = xcalloc(2 * d->n_edges + 1, sizeof(*ends));
	for (uint32_t v = 0; v < d->n_nodes; v++) {
		for (int side = SIDE_TOP; side <= SIDE_RIGHT; side++) {
			uint32_t n = 0;
			for (uint32_t k = first[v]; k < first[v + 1]; k++)
				if (ends[k].side == side)
					side_ends[n++] = ends[k];
			/* Insertion sort, stable: few arrows share a side. */
			for (uint32_t i = 1; i < n; i++)
				for (uint32_t k = i;
				     k > 0 &&
				     side_ends[k - 1].key > side_ends[k].key;
				     k--) {
					struct end t = side_ends[k];
					side_ends[k] = side_ends[k - 1];
					side_ends[k - 1] = t;
				}
			for (uint32_t i = 0; i < n; i++) {
				struct pt p = side_point(&d->nodes[v], side,
							 (i + 1.0) / (n + 1));
				struct ledge *e = &d->edges[side_ends[i].e];
				if (side_ends[i].head)
					e->tip = p;
				else
					e->start = p;
			}
		}
	}
	free(first);
	free(ends);
	free(side_ends);
}

static void route_add(struct ledge *e, struct pt p)
{
	e->p = xreallocarray(e->p, e->n_p + 1, sizeof(*e->p));
	e->p[e->n_p++] = p;
}

/* A smooth curve through points: vertical where it leaves or enters a
 * node's top or bottom and at every waypoint (waypoints stand beside
 * nodes of a row), horizontal at a node's left or right side. */
static void through(struct ledge *e, const struct pt *w, uint32_t n)
{
	free(e->p);
	e->p = NULL;
	e->n_p = 0;
	route_add(e, w[0]);
	for (uint32_t i = 1; i < n; i++) {
		struct pt a = w[i - 1], b = w[i];
		double dx = b.x - a.x, dy = b.y - a.y;
		bool ha = i == 1 &&
			  (e->side_a == SIDE_LEFT || e->side_a == SIDE_RIGHT);
		bool hb = i == n - 1 &&
			  (e->side_b == SIDE_LEFT || e->side_b == SIDE_RIGHT);
		route_add(e, ha ? (struct pt){a.x + dx / 2, a.y}
				: (struct pt){a.x, a.y + dy / 2});
		route_add(e, hb ? (struct pt){b.x - dx / 2, b.y}
				: (struct pt){b.x, b.y - dy / 2});
		route_add(e, b);
	}
}

static struct pt bezier_at(const struct pt *c, double t)
{
	double u = 1 - t;
	return (struct pt){u * u * u * c[0].x + 3 * u * u * t * c[1].x +
			       3 * u * t * t * c[2].x + t * t * t * c[3].x,
			   u * u * u * c[0].y + 3 * u * u * t * c[1].y +
			       3 * u * t * t * c[2].y + t * t * t * c[3].y};
}

/* The first node (not an end) the route passes through, sampled; *at
 * receives where.  g holds the nodes, grown by 4. */
static uint32_t first_hit(const struct drawing *d, struct grid *g,
			  const struct ledge *e, struct pt *at)
{
	for (uint32_t i = 0; i + 3 < e->n_p; i += 3)
		for (int s = 1; s < 32; s++) {
			struct pt q = bezier_at(&e->p[i], s / 32.0);
			const struct cellv *c =
			    &g->c[(size_t)grid_clamp(q.y, g->ny) * g->nx +
				  grid_clamp(q.x, g->nx)];
			for (uint32_t k = 0; k < c->n; k++) {
				uint32_t v = c->v[k];
				if (v == e->a || v == e->b)
					continue;
				struct rect r = rect_of(&d->nodes[v], 4);
				if (q.x > r.x0 && q.x < r.x1 && q.y > r.y0 &&
				    q.y < r.y1) {
					*at = q;
					return v;
				}
			}
		}
	return NONE;
}

/* An x at height y where no node stands (with a margin): want itself
 * when it is free, else beside a node on the line, the one that costs
 * the least detour towards goal. */
static double free_x(const struct drawing *d, struct grid *g,
		     const struct ledge *e, double y, double want, double goal)
{
	/* The nodes on the line, from the grid's row of cells at y. */
	uint32_t row = grid_clamp(y, g->ny), n = 0;
	uint32_t *on = xcalloc(d->n_nodes + 1, sizeof(uint32_t));
	grid_begin(g);
	for (uint32_t x = 0; x < g->nx; x++) {
		const struct cellv *c = &g->c[(size_t)row * g->nx + x];
		for (uint32_t k = 0; k < c->n; k++) {
			uint32_t v = c->v[k];
			struct rect r = rect_of(&d->nodes[v], 10);
			if (v != e->a && v != e->b && y > r.y0 && y < r.y1 &&
			    grid_first(g, v))
				on[n++] = v;
		}
	}
	double best = want, cost = INFINITY;
	for (uint32_t i = 0; i < n; i++) {
		struct rect r = rect_of(&d->nodes[on[i]], 10);
		double c[2] = {r.x0, r.x1};
		for (int k = 0; k < 2; k++) {
			bool ok = true;
			for (uint32_t j = 0; j < n && ok; j++) {
				struct rect q = rect_of(&d->nodes[on[j]], 9);
				ok = c[k] <= q.x0 || c[k] >= q.x1;
			}
			double x = fabs(c[k] - want) + fabs(c[k] - goal);
			if (ok && x < cost) {
				cost = x;
				best = c[k];
			}
		}
	}
	free(on);
	return best;
}

/*
 * An arrow's route: from its start to the base of its arrowhead, bent
 * around the nodes it would cross (at most a few times: each bend puts
 * a waypoint beside the node hit, at its height).  Loops go out and back
 * on the right; arrows across a row with something between go under it.
 */
static void route(struct drawing *d, struct grid *g, struct ledge *e)
{
	const struct lnode *x = &d->nodes[e->a], *y = &d->nodes[e->b];
	bool arrow = e->kind != FLOW_PART;
	struct pt base = e->tip;
	double back = arrow ? ARROW : 0;
	switch (e->side_b) {
	case SIDE_TOP:
		base.y -= back;
		break;
	case SIDE_BOTTOM:
		base.y += back;
		break;
	case SIDE_LEFT:
		base.x -= back;
		break;
	default:
		base.x += back;
		break;
	}
	if (e->a == e->b) {
		double r = x->h / 2 + 10;
		e->p = xcalloc(4, sizeof(*e->p));
		e->n_p = 4;
		e->p[0] = e->start;
		e->p[1] = (struct pt){e->start.x + r, e->start.y - r / 2};
		e->p[2] = (struct pt){base.x + r, base.y + r / 2};
		e->p[3] = base;
		return;
	}
	if (e->side_a == SIDE_BOTTOM && e->side_b == SIDE_BOTTOM) {
		double low =
		    (x->y + x->h / 2 > y->y + y->h / 2 ? x->y + x->h / 2
						       : y->y + y->h / 2) +
		    ROW_GAP / 2;
		e->p = xcalloc(4, sizeof(*e->p));
		e->n_p = 4;
		e->p[0] = e->start;
		e->p[1] = (struct pt){e->start.x, low};
		e->p[2] = (struct pt){base.x, low};
		e->p[3] = base;
		return;
	}
	struct pt w[2 + 8];
	uint32_t n = 2;
	w[0] = e->start;
	w[1] = base;
	through(e, w, n);
	struct pt at;
	for (int tries = 0; tries < 8; tries++) {
		uint32_t v = first_hit(d, g, e, &at);
		if (v == NONE)
			break;
		/* A waypoint beside the node hit, in the order of the
		 * route (sorted by height along its direction). */
		double yy = d->nodes[v].y;
		struct pt p = {free_x(d, g, e, yy, at.x, base.x), yy};
		bool down = base.y > e->start.y;
		uint32_t k = 1;
		while (k < n - 1 && (down ? w[k].y < yy : w[k].y > yy))
			k++;
		if (fabs(w[k].y - yy) < 1 || fabs(w[k - 1].y - yy) < 1)
			break; /* a waypoint there already: leave it */
		memmove(&w[k + 1], &w[k], (n - k) * sizeof(*w));
		w[k] = p;
		n++;
		through(e, w, n);
		if (n == ARRAY_LEN(w))
			break;
	}
	(void)y;
}

static void routes(struct drawing *d)
{
	uint32_t *ix = id_index(d);
	for (uint32_t i = 0; i < d->n_edges; i++) {
		struct ledge *e = &d->edges[i];
		e->a = find_node(d, ix, e->from);
		e->b = find_node(d, ix, e->to);
		e->routed = e->a != NONE && e->b != NONE;
		if (e->routed)
			pick_sides(d, e);
	}
	free(ix);
	ports(d);
	struct grid g;
	grid_init(&g, d->width, d->height);
	for (uint32_t v = 0; v < d->n_nodes; v++) {
		struct rect r = rect_of(&d->nodes[v], 10);
		grid_add_rect(&g, &r, v);
	}
	for (uint32_t i = 0; i < d->n_edges; i++)
		if (d->edges[i].routed)
			route(d, &g, &d->edges[i]);
	grid_free(&g);
}

/* ---- the arrows' labels ------------------------------------------------- */

struct pts {
	struct pt *v;
	uint32_t n;
};

/* Points along a route, and the arrowhead's tip. */
static void route_points(struct pts *out, const struct ledge *e)
{
	out->n = 0;
	out->v = xcalloc(16 * (e->n_p / 3 + 1) + 2, sizeof(*out->v));
	for (uint32_t i = 0; i + 3 < e->n_p; i += 3)
		for (int s = 0; s < 16; s++)
			out->v[out->n++] = bezier_at(&e->p[i], s / 16.0);
	if (e->n_p)
		out->v[out->n++] = e->p[e->n_p - 1];
	out->v[out->n++] = e->tip;
}

/* The point at fraction t of a polyline's length. */
static struct pt along(const struct pts *p, double t)
{
	double total = 0;
	for (uint32_t i = 1; i < p->n; i++)
		total +=
		    hypot(p->v[i].x - p->v[i - 1].x, p->v[i].y - p->v[i - 1].y);
	double want = t * total, run = 0;
	for (uint32_t i = 1; i < p->n; i++) {
		double seg =
		    hypot(p->v[i].x - p->v[i - 1].x, p->v[i].y - p->v[i - 1].y);
		if (run + seg >= want && seg > 0) {
			double f = (want - run) / seg;
			return (struct pt){
			    p->v[i - 1].x + f * (p->v[i].x - p->v[i - 1].x),
			    p->v[i - 1].y + f * (p->v[i].y - p->v[i - 1].y)};
		}
		run += seg;
	}
	return p->n ? p->v[p->n - 1] : (struct pt){0, 0};
}

/* A point of an arrow, in the placer's grid. */
struct mark {
	struct pt p;
	uint32_t edge;
};

struct placer {
	struct rect *hard; /* nodes, titles, labels placed: ids in rects */
	uint32_t n_hard, cap_hard;
	struct grid rects;
	struct mark *marks; /* every arrow's points: ids in points */
	uint32_t n_marks, cap_marks;
	struct grid points;
	struct rect *lines; /* the boxes' borders, thin: ids in borders */
	uint32_t n_lines, cap_lines;
	struct grid borders;
	struct pts *routes;
	struct rect bounds;
};

static void placer_hard(struct placer *p, struct rect r)
{
	GROW(p->hard, p->n_hard, p->cap_hard);
	grid_add_rect(&p->rects, &r, p->n_hard);
	p->hard[p->n_hard++] = r;
}

/* A box's four borders, each a rectangle 2 wide, for labels to keep
 * off: a label across a zone's or a subnet's line reads as if it
 * belonged to the box. */
static void placer_borders(struct placer *p, const struct lbox *b)
{
	struct rect v[4] = {
	    {b->x0 - 1, b->y0, b->x0 + 1, b->y1},
	    {b->x1 - 1, b->y0, b->x1 + 1, b->y1},
	    {b->x0, b->y0 - 1, b->x1, b->y0 + 1},
	    {b->x0, b->y1 - 1, b->x1, b->y1 + 1},
	};
	for (int k = 0; k < 4; k++) {
		GROW(p->lines, p->n_lines, p->cap_lines);
		grid_add_rect(&p->borders, &v[k], p->n_lines);
		p->lines[p->n_lines++] = v[k];
	}
}

/* How bad a place is: leaving the picture or meeting a node or a label
 * weighs most, then a box's border it crosses, then each arrow point
 * under it.  *clear says whether it met nothing at all. */
static double badness(struct placer *p, const struct rect *r, uint32_t self,
		      bool *clear)
{
	double bad = 0;
	if (r->x0 < p->bounds.x0 || r->y0 < p->bounds.y0 ||
	    r->x1 > p->bounds.x1 || r->y1 > p->bounds.y1)
		bad += 1e6;
	uint32_t x0, x1, y0, y1;
	grid_span(&p->rects, r, &x0, &x1, &y0, &y1);
	grid_begin(&p->rects);
	grid_begin(&p->borders);
	for (uint32_t y = y0; y <= y1; y++)
		for (uint32_t x = x0; x <= x1; x++) {
			const struct cellv *c =
			    &p->rects.c[(size_t)y * p->rects.nx + x];
			for (uint32_t k = 0; k < c->n; k++)
				if (grid_first(&p->rects, c->v[k]) &&
				    meets(r, &p->hard[c->v[k]]))
					bad += 1e4;
			c = &p->borders.c[(size_t)y * p->borders.nx + x];
			for (uint32_t k = 0; k < c->n; k++)
				if (grid_first(&p->borders, c->v[k]) &&
				    meets(r, &p->lines[c->v[k]]))
					bad += 300;
			c = &p->points.c[(size_t)y * p->points.nx + x];
			for (uint32_t k = 0; k < c->n; k++) {
				const struct mark *m = &p->marks[c->v[k]];
				if (m->p.x > r->x0 && m->p.x < r->x1 &&
				    m->p.y > r->y0 && m->p.y < r->y1)
					bad += m->edge == self ? 8 : 10;
			}
		}
	*clear = bad == 0;
	return bad;
}

static void place_label(struct placer *p, struct ledge *e, uint32_t self)
{
	const struct pts *route = &p->routes[self];
	double w = e->lw, h = e->lh, best = INFINITY;
	bool clear = false;
	struct pt best_c = along(route, 0.5);
	/* Nearest the middle first, the first place that meets nothing;
	 * farther out only when nothing near is free. */
	for (int ring = 0; ring < 4 && best >= 300 && !clear; ring++) {
		double off = 3 + ring * 12;
		for (int k = 0; k <= 30 && !clear; k++) {
			double t =
			    0.5 + (k % 2 ? 1 : -1) * ((k + 1) / 2) * 0.03;
			struct pt c = along(route, t);
			struct pt cands[4] = {
			    {c.x + off + w / 2, c.y},
			    {c.x - off - w / 2, c.y},
			    {c.x, c.y + off + h / 2},
			    {c.x, c.y - off - h / 2},
			};
			for (int j = 0; j < 4 && !clear; j++) {
				struct rect r = {
				    cands[j].x - w / 2, cands[j].y - h / 2,
				    cands[j].x + w / 2, cands[j].y + h / 2};
				double bad = badness(p, &r, self, &clear) +
					     fabs(t - 0.5) * 40 + ring * 6;
				if (bad < best) {
					best = bad;
					best_c = cands[j];
				}
			}
		}
	}
	/* Still on something: the nearest free place around the middle,
	 * in widening circles (a crowded picture's last resort). */
	struct pt mid = along(route, 0.5);
	for (double r = 8; r <= 240 && best >= 1e4; r += 8)
		for (int k = 0; k < 16 && best >= 1e4; k++) {
			double a = k * 3.14159265358979 / 8;
			struct pt c = {mid.x + r * cos(a), mid.y + r * sin(a)};
			struct rect q = {c.x - w / 2, c.y - h / 2, c.x + w / 2,
					 c.y + h / 2};
			double bad = badness(p, &q, self, &clear) + r;
			if (bad < best) {
				best = bad;
				best_c = c;
			}
		}
	e->lc = best_c;
	placer_hard(p, (struct rect){best_c.x - w / 2, best_c.y - h / 2,
				     best_c.x + w / 2, best_c.y + h / 2});
}

static void place_labels(struct drawing *d)
{
	struct placer p = {0};
	p.bounds = (struct rect){2, 2, d->width - 2, d->height - 2};
	grid_init(&p.rects, d->width, d->height);
	grid_init(&p.points, d->width, d->height);
	grid_init(&p.borders, d->width, d->height);
	p.routes = xcalloc(d->n_edges + 1, sizeof(*p.routes));
	for (uint32_t b = 1; b < d->n_boxes; b++)
		placer_borders(&p, &d->boxes[b]);
	for (uint32_t i = 0; i < d->n_nodes; i++)
		placer_hard(&p, rect_of(&d->nodes[i], 2));
	for (uint32_t i = 0; i < d->n_edges; i++) {
		if (!d->edges[i].routed)
			continue;
		route_points(&p.routes[i], &d->edges[i]);
		for (uint32_t k = 0; k < p.routes[i].n; k++) {
			GROW(p.marks, p.n_marks, p.cap_marks);
			p.marks[p.n_marks] = (struct mark){p.routes[i].v[k], i};
			grid_add_point(&p.points, p.routes[i].v[k],
				       p.n_marks++);
		}
	}
	/* The longest labels first: they have the fewest places. */
	uint32_t *order = xcalloc(d->n_edges + 1, sizeof(uint32_t));
	uint32_t n = 0;
	for (uint32_t i = 0; i < d->n_edges; i++)
		if (d->edges[i].routed && *d->edges[i].label)
			order[n++] = i;
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t k = i; k > 0; k--) {
			double a = d->edges[order[k - 1]].lw;
			double b = d->edges[order[k]].lw;
			if (a >= b)
				break;
			uint32_t t = order[k];
			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	for (uint32_t i = 0; i < n; i++)
		place_label(&p, &d->edges[order[i]], order[i]);
	for (uint32_t i = 0; i < d->n_edges; i++)
		free(p.routes[i].v);
	free(p.routes);
	free(p.hard);
	free(p.marks);
	grid_free(&p.rects);
	grid_free(&p.points);
	free(p.lines);
	grid_free(&p.borders);
	free(order);
}

/* ---- pass 2: the laid-out DOT ------------------------------------------- */

static const char *const flow_words[FLOW_KINDS] = {
    [FLOW_EXPOSURE] = "exposure", [FLOW_FORWARD] = "forward",
    [FLOW_OUTBOUND] = "outbound", [FLOW_OTHER] = "other",
    [FLOW_BLOCKED] = "blocked",	  [FLOW_PART] = "part",
    [FLOW_HIDDEN] = "hidden",
};

static void box_stmt(FILE *f, const struct drawing *d, uint32_t b)
{
	const struct lbox *x = &d->boxes[b];
	char name[ID_MAX + 8];
	snprintf(name, sizeof(name), "cluster_%s", x->id);
	fputs("subgraph ", f);
	picture_dot_string(f, name);
	fprintf(f, " {\n\tgraph [bb=\"%.2f,%.2f,%.2f,%.2f\", label=\"\", %s",
		x->x0, d->height - x->y1, x->x1, d->height - x->y0,
		picture_dot_looks[x->look]);
	/* Every box says its id and tooltip: a cluster inherits the
	 * attributes of the one around it. */
	char id[ID_MAX + 8];
	snprintf(id, sizeof(id), "box_%s", x->id);
	dot_attr(f, "id", x->anchor ? x->anchor : id);
	dot_attr(f, "tooltip", x->tooltip ? x->tooltip : x->title);
	fputs("];\n", f);
	for (uint32_t k = x->kid_first; k != NONE; k = d->kids[k].next) {
		if (d->kids[k].is_box)
			box_stmt(f, d, d->kids[k].i);
		else
			node_stmt(f, d, &d->nodes[d->kids[k].i], true);
	}
	fputs("}\n", f);
}

static void edge_stmt(FILE *f, const struct drawing *d, uint32_t i)
{
	const struct ledge *e = &d->edges[i];
	double H = d->height;
	fputs("\t", f);
	picture_dot_string(f, e->from);
	fputs(" -> ", f);
	picture_dot_string(f, e->to);
	fprintf(f, " [id=\"e%u\", class=\"%s%s\", %s", i,
		e->kind == FLOW_PART ? "" : "flow ", flow_words[e->kind],
		picture_dot_flows[e->kind]);
	if (e->context && e->kind == FLOW_OTHER)
		fputs(", color=\"#a6a6a6\", fontcolor=\"#8c8c8c\", "
		      "penwidth=0.8, fontsize=8",
		      f);
	fputs(", pos=\"", f);
	if (e->kind != FLOW_PART)
		fprintf(f, "e,%.2f,%.2f ", e->tip.x, H - e->tip.y);
	for (uint32_t k = 0; k < e->n_p; k++)
		fprintf(f, "%s%.2f,%.2f", k ? " " : "", e->p[k].x,
			H - e->p[k].y);
	fputc('"', f);
	if (*e->label) {
		fputs(", xlabel=", f);
		picture_dot_string(f, e->label);
		fprintf(f, ", xlp=\"%.2f,%.2f\"", e->lc.x, H - e->lc.y);
	}
	fputs("];\n", f);
}

static char *layout_dot(const struct drawing *d)
{
	char *dot = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&dot, &len);
	if (!f)
		return NULL;
	fprintf(f,
		"digraph vpcsim {\n"
		"\tgraph [layout=nop2, notranslate=true, "
		"outputorder=edgesfirst, forcelabels=true, "
		"fontname=\"Helvetica\", bb=\"0,0,%.2f,%.2f\"];\n",
		d->width, d->height);
	fputs(graph_attrs, f);
	for (uint32_t k = d->boxes[0].kid_first; k != NONE;
	     k = d->kids[k].next) {
		if (d->kids[k].is_box)
			box_stmt(f, d, d->kids[k].i);
		else
			node_stmt(f, d, &d->nodes[d->kids[k].i], true);
	}
	for (uint32_t i = 0; i < d->n_edges; i++)
		if (d->edges[i].routed)
			edge_stmt(f, d, i);
	fputs("}\n", f);
	if (fclose(f)) {
		free(dot);
		return NULL;
	}
	return dot;
}

/* ---- the geometry for tests and reports --------------------------------- */

static void add_item(struct graph_layout *l, enum graph_layout_kind kind,
		     double x0, double y0, double x1, double y1, const char *id,
		     const char *text)
{
	l->items = xreallocarray(l->items, l->n_items + 1, sizeof(*l->items));
	l->items[l->n_items++] = (struct graph_layout_item){
	    kind, x0, y0, x1, y1, xstrdup(id), xstrdup(text ? text : "")};
}

/* The edge recorded as e<k>, by its id attribute. */
static uint32_t edge_index(Agedge_t *e)
{
	const char *id = agget(e, "id");
	return id && id[0] == 'e' ? (uint32_t)strtoul(id + 1, NULL, 10) : NONE;
}

/* A subgraph by name, at any depth (agsubg looks at one level). */
static Agraph_t *find_cluster(Agraph_t *g, const char *name)
{
	for (Agraph_t *sg = agfstsubg(g); sg; sg = agnxtsubg(sg)) {
		if (!strcmp(agnameof(sg), name))
			return sg;
		Agraph_t *in = find_cluster(sg, name);
		if (in)
			return in;
	}
	return NULL;
}

/* What graphviz holds after the layout, y turned downwards: the boxes'
 * bounding boxes, the nodes', the arrows and their labels. */
static void geometry(struct graph_layout *l, Agraph_t *g,
		     const struct drawing *d)
{
	double H = GD_bb(g).UR.y;
	l->width = GD_bb(g).UR.x;
	l->height = H;
	for (uint32_t b = 1; b < d->n_boxes; b++) {
		const struct lbox *x = &d->boxes[b];
		char name[ID_MAX + 8];
		snprintf(name, sizeof(name), "cluster_%s", x->id);
		Agraph_t *sg = find_cluster(g, name);
		if (!sg)
			continue;
		boxf bb = GD_bb(sg);
		add_item(l, GL_BOX, bb.LL.x, H - bb.UR.y, bb.UR.x, H - bb.LL.y,
			 x->id, x->title);
	}
	for (uint32_t i = 0; i < d->n_nodes; i++) {
		const struct lnode *n = &d->nodes[i];
		Agnode_t *v = agnode(g, n->id, 0);
		if (!v)
			continue;
		double w = ND_width(v) * 36, h = ND_height(v) * 36;
		pointf c = ND_coord(v);
		enum graph_layout_kind k = n->role == ROLE_TITLE    ? GL_TITLE
					   : n->role == ROLE_LEGEND ? GL_LEGEND
								    : GL_NODE;
		add_item(
		    l, k, c.x - w, H - c.y - h, c.x + w, H - c.y + h, n->id,
		    n->role == ROLE_TITLE ? d->boxes[n->box].title : n->label);
	}
	for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n))
		for (Agedge_t *e = agfstout(g, n); e; e = agnxtout(g, e)) {
			uint32_t k = edge_index(e);
			if (k >= d->n_edges)
				continue;
			const struct ledge *x = &d->edges[k];
			char *id = xasprintf("%s->%s", x->from, x->to);
			l->edges = xreallocarray(l->edges, l->n_edges + 1,
						 sizeof(*l->edges));
			struct graph_layout_edge *o = &l->edges[l->n_edges++];
			memset(o, 0, sizeof(*o));
			o->id = id;
			o->label = xstrdup(x->label);
			o->kind = flow_words[x->kind];
			const char *style = agget(e, "style");
			o->dashed = style && (strstr(style, "dashed") ||
					      strstr(style, "dotted"));
			const char *colour = agget(e, "color");
			snprintf(o->color, sizeof(o->color), "%s",
				 colour ? colour : "");
			textlabel_t *lab = ED_xlabel(e);
			if (lab && *x->label)
				add_item(l, GL_LABEL,
					 lab->pos.x - lab->dimen.x / 2,
					 H - lab->pos.y - lab->dimen.y / 2,
					 lab->pos.x + lab->dimen.x / 2,
					 H - lab->pos.y + lab->dimen.y / 2, id,
					 x->label);
		}
}

/* ---- the whole ---------------------------------------------------------- */

int picture_layout(const struct scene *sc, const char *format, FILE *f,
		   struct graph_layout *layout)
{
	static const struct emitter rec = {rec_begin, rec_end, rec_node,
					   rec_edge};
	struct drawing d;
	memset(&d, 0, sizeof(d));
	d.sc = sc;
	/* Box 0: the picture. */
	GROW(d.boxes, d.n_boxes, d.cap_boxes);
	d.boxes[d.n_boxes++] = (struct lbox){.parent = NONE,
					     .kid_first = NONE,
					     .kid_last = NONE,
					     .title_node = NONE};
	picture_walk(sc, &rec, &d);
	uint32_t last = 0;
	for (uint32_t i = 0; i < d.n_nodes; i++)
		if (d.nodes[i].tier > last)
			last = d.nodes[i].tier;
	struct item legend = {.id = "legend", .label = "", .tier = last + 1};
	add_node(&d, &legend, ROLE_LEGEND, 0);

	char *dot = NULL, *out = NULL;
	unsigned int out_len = 0;
	struct gv x = {0};
	int rc = -1;
	if (measure(&d))
		goto out;
	box_rows(&d);
	widths(&d);
	d.width = d.boxes[0].w;
	place(&d, 0, 0, d.width);
	rows(&d);
	routes(&d);
	place_labels(&d);
	dot = layout_dot(&d);
	if (!dot || gv_open(&x, dot, "nop2"))
		goto out;
	if (layout) {
		geometry(layout, x.g, &d);
	} else {
		if (gvRenderData(x.gvc, x.g, format, &out, &out_len) || !out)
			goto out;
		/* A failed write is the output's to report: the last byte
		 * goes after a flush, so the stream still holds it when the
		 * output is closed and that flush says why (errno), whatever
		 * stdio dropped after the first failure. */
		if (out_len > 1)
			fwrite(out, 1, out_len - 1, f);
		fflush(f);
		if (out_len)
			fputc(out[out_len - 1], f);
	}
	rc = 0;
out:
	if (rc && gv_msg[0])
		fprintf(stderr, "vpcsim: error: graphviz: %s", gv_msg);
	if (out)
		gvFreeRenderData(out);
	gv_close(&x);
	free(dot);
	drawing_free(&d);
	return rc;
}
