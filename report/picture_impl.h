/*
 * What the three files of the pictures share (report/picture.c: the scene
 * and the writers; report/picture_flows.c: the teaching picture's flows;
 * report/picture_layout.c: the layout and SVG).  Not a public header:
 * report.h is the module's.
 *
 * A picture is a scene (what is drawn where, computed once from the
 * views) walked through a table of emitters: DOT, Mermaid and the layout
 * all see the same boxes, nodes and edges under the same ids.
 */
#ifndef VPCSIM_PICTURE_IMPL_H
#define VPCSIM_PICTURE_IMPL_H

#include "report/report.h"

#define ID_MAX	  256
#define LABEL_MAX 1024
/* A name longer than this is shortened in the middle ("…"), the whole
 * name going to the tooltip. */
#define NAME_MAX_CHARS 26
/* Room for a name: a shortened one (UTF-8, up to 4 bytes a character),
 * or a whole one as Mermaid writes it (longer are cut). */
#define NAME_BUF 256

/* ---- the scene ------------------------------------------------------- */

struct site {
	uint32_t node;
	uint32_t subnet;   /* MODEL_NONE: drawn once in its VPC or AZ box */
	uint32_t vpc;	   /* a VPC's node, or a spread node: its VPC */
	uint32_t az;	   /* drawn once within one AZ: that AZ, else
			      UINT32_MAX */
	uint32_t first_az; /* drawn once: the AZ of its first subnet (the
			      VPC draws it right of that AZ) */
	bool has_public;   /* some placement here holds a public address */
};

/* An availability zone of a VPC: its subnets are order[first..first+n). */
struct az_box {
	const char *name; /* "" when the model does not say */
	uint32_t first, n;
};

/* Where a node drawn once has placements: one marker in each subnet. */
struct marker {
	uint32_t node, subnet;
};

enum flow_kind {
	FLOW_EXPOSURE, /* from the internet */
	FLOW_FORWARD,  /* a load balancer to its targets */
	FLOW_OUTBOUND, /* to the internet or an AWS service */
	FLOW_OTHER,
	FLOW_BLOCKED, /* an intended flow that does not work */
	FLOW_PART,    /* a node drawn once to its markers: not a flow */
	FLOW_HIDDEN,  /* not a flow: holds a node in its row (DOT only) */
	FLOW_KINDS
};

/* One arrow of the teaching picture that is not an edge of the view: a
 * leg of a path through gateways, or a blocked intended flow.  Legs with
 * the same ends and kind are one arrow; their labels merge. */
struct seg {
	char *from, *to;    /* drawing ids */
	const char *to_box; /* the box the arrow ends at, or NULL */
	enum flow_kind kind;
	uint32_t src; /* the flow's source node, for --from */
	bool ports_shown;
	struct ports tcp, udp;
	bool some;	/* not every placement pair */
	char *names;	/* "aws:ecr, aws:s3": where the flow goes */
	char *blockers; /* "network ACL web-nacl": what blocks it */
};

struct scene {
	const struct graph_view *all, *view; /* every edge; the drawn ones */
	const struct model *m;
	const struct reach_node *from; /* the only source drawn, or NULL */
	uint32_t from_node;	       /* its node, or UINT32_MAX */
	uint32_t internet;	       /* the internet's node, or UINT32_MAX */
	bool vpc_level;		       /* nodes sit in VPC boxes, no AZ boxes */
	/* The teaching picture (endpoint level, not --all-flows): intended
	 * flows, exposures and flows inside, paths through the gateways. */
	bool teach;
	/* Long names shortened, the whole in a tooltip: pictures laid out
	 * here; Mermaid and graphviz's own layout keep them whole. */
	bool shorten;
	bool *exposed;	      /* by node */
	uint32_t *tier;	      /* by node: 0 the internet, 1 the gateways,
				 then row by row */
	uint32_t max_tier;    /* of the resources */
	uint32_t *order;      /* subnets: by VPC, AZ name, public first */
	uint32_t *subnet_pos; /* by subnet: its index in order */
	struct az_box *azs;
	uint32_t *vpc_az_first; /* by VPC, n_vpcs + 1 bounds into azs */
	bool *spread;		/* by node: drawn once, markers where it is */
	struct site *sites;
	uint32_t n_sites;
	uint32_t *nsite_first, *nsite_n; /* by node */
	/* Sites by box: subnets, then VPCs (n_vpcs + 1 of them: the last
	 * for nodes without one), then AZ boxes; box_first bounds. */
	uint32_t *by_box;
	uint32_t *box_first;
	/* Markers by node (node_mfirst, node_mn), and their indices by
	 * subnet (by_subnet, bounded by marker_first). */
	struct marker *markers;
	uint32_t n_markers;
	uint32_t *node_mfirst, *node_mn;
	uint32_t *by_subnet, *marker_first;
	uint32_t *subnet_az; /* by subnet: its AZ box */
	/* The teaching picture's own arrows, which view edges it keeps and
	 * which its own arrows draw already (a call to an interface
	 * endpoint on a path to an AWS service), by index in view->edges. */
	struct seg *segs;
	uint32_t n_segs, cap_segs;
	bool *keep, *covered;
	bool services_drawn; /* some arrow ends at an AWS service */
};

/* The box index of a site (into box_first). */
uint32_t picture_site_box(const struct scene *sc, const struct site *st);
/* The drawing id of site i, of a non-resource node (the internet, an AWS
 * service), of an internet gateway and of a gateway endpoint. */
void picture_site_id(char *buf, size_t size, const struct scene *sc,
		     uint32_t site);
void picture_vertex_id(char *buf, size_t size, const struct scene *sc,
		       uint32_t v);
void picture_igw_id(char *buf, size_t size, const struct model *m, uint32_t i);
void picture_vpce_id(char *buf, size_t size, const struct model *m, uint32_t i);
/* The site of node in subnet (its only one when it is drawn once, else
 * its first), or UINT32_MAX when it has none. */
uint32_t picture_site_in(const struct scene *sc, uint32_t node,
			 uint32_t subnet);
/* "tcp 80,443, udp 53" */
void picture_ports_label(char *buf, size_t size, const struct ports *tcp,
			 const struct ports *udp);

/* picture_flows.c: fills segs, keep and services_drawn of a teaching
 * scene (picture_scene_free releases them). */
void picture_flows(struct scene *sc);
/* The label of a segment, into buf. */
void picture_seg_label(char *buf, size_t size, const struct seg *g);

/* ---- walking the scene ----------------------------------------------- */

enum look {
	/* boxes */
	LOOK_REGION,
	LOOK_AWS,
	LOOK_VPC,
	LOOK_AZ,
	LOOK_PUBLIC,
	LOOK_PRIVATE,
	/* nodes */
	LOOK_INTERNET,
	LOOK_AWS_SERVICE,
	LOOK_SERVICE, /* compute: ECS services, instances */
	LOOK_NETWORK, /* load balancers, gateways, endpoints */
	LOOK_STORAGE, /* databases */
	LOOK_EMPTY,   /* a placeholder that keeps an empty box drawn */
	LOOK_MARKER,  /* where a node drawn once has placements */
	LOOK_COUNT
};

struct item {
	const char *id;
	const char *label;   /* lines separated by '\n' */
	const char *tooltip; /* the whole text, or NULL (nothing shortened) */
	const char *anchor;  /* the SVG element id reports link to, or NULL */
	const char *badge;   /* a subnet's NACL marker, or NULL */
	enum look look;
	bool exposed;
	uint32_t tier; /* nodes: the row, 0 for the internet */
};

struct flow_item {
	const char *from, *to;
	const char *to_box; /* the box the edge ends at (to is in it), or
			       NULL */
	const char *label;
	enum flow_kind kind;
	bool context; /* does not shape the layout: drawn lighter */
};

struct emitter {
	void (*begin)(void *ctx, const struct item *box);
	void (*end)(void *ctx, const struct item *box);
	void (*node)(void *ctx, const struct item *node);
	void (*edge)(void *ctx, const struct flow_item *e);
};

void picture_scene_init(struct scene *sc, const struct graph_picture *pic);
void picture_scene_free(struct scene *sc);
/* Everything, outermost first, then the flows. */
void picture_walk(const struct scene *sc, const struct emitter *em, void *ctx);
/* What the picture shows, in one line. */
void picture_caption(char *buf, size_t size, const struct scene *sc);
/* The legend's lines, for what this scene draws: each a look of flow
 * (FLOW_*) or box (-1 - LOOK_*), and its words; returns how many. */
struct legend_row {
	int what;
	const char *words;
};
uint32_t picture_legend(struct legend_row *out, uint32_t cap,
			const struct scene *sc);

/* ---- DOT attributes both DOT writers use ----------------------------- */

extern const char *const picture_dot_looks[LOOK_COUNT];
extern const char *const picture_dot_flows[FLOW_KINDS];
/* s as a DOT quoted string: '"' and '\\' escaped, '\n' as \n. */
void picture_dot_string(FILE *f, const char *s);
/* s as HTML text for an HTML-like label (&, <, >, " escaped). */
void picture_html_text(FILE *f, const char *s);
/* s for a quoted string: line breaks as br, other control characters as
 * spaces, invalid UTF-8 as '?', the characters of esc[][0] as esc[][1]. */
void picture_quoted_text(FILE *f, const char *s, const char *br,
			 const char *const esc[][2], size_t n_esc);

/* ---- picture_layout.c ------------------------------------------------ */

/* The scene laid out as the guide draws it (boxes in a grid, zones in
 * order, arrows routed and labelled by libgvc, labels placed apart),
 * rendered by libgvc in format ("svg" or "dot": the laid-out DOT), or
 * its boxes into *layout when layout is not NULL.  Returns 0, or -1 when
 * graphviz failed. */
int picture_layout(const struct scene *sc, const char *format, FILE *f,
		   struct graph_layout *layout);

/* Whether node is a resource's drawing (not a box or the internet). */
static inline bool is_resource(const struct scene *sc, uint32_t node)
{
	return sc->all->nodes[node].n.kind == RN_RESOURCE;
}

static inline const char *obj_id(const struct model *m, enum model_kind k,
				 uint32_t i)
{
	return model_object(m, k, i)->id;
}

/* Appends printf text to the NUL-terminated buf of size bytes, cut at
 * its end (picture_scene.c). */
void picture_append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
