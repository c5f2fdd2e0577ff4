/*
 * Writers that turn models and analysis results into what users read:
 * text for people, JSON for programs.  Writers only read what they are
 * given and print to the stream; they never fail except on I/O, which the
 * caller checks with ferror.
 */
#ifndef VPCSIM_REPORT_H
#define VPCSIM_REPORT_H

#include <stdio.h>

#define VPCSIM_VERSION "0.1.0"

#include "model/model.h"
#include "rules/change.h"
#include "rules/rules.h"
#include "sim/graph.h"
#include "sim/reach.h"
#include "sim/sim.h"

/* The normalized model, as `vpcsim show` prints it. */
void report_show_text(FILE *f, const struct model *m);
void report_show_json(FILE *f, const struct model *m);

/*
 * One answer of `vpcsim trace`: every placement pair's steps, then the
 * verdict.  The answer must have been made with traces.
 */
void report_trace_text(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n);
void report_trace_json(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n);

/* `vpcsim reach`: n answers (one per port asked), summed up.  ports_note
 * says which ports were asked when the user gave none (or NULL). */
void report_reach_text(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n, const char *ports_note);
void report_reach_json(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n, const char *ports_note);

/* Estate-wide tables: `vpcsim reach` with only --from or only --to.
 * Text says title first; JSON and CSV are described in docs/reach-json.md. */
void report_map_text(FILE *f, const struct sim *s, const struct reach_table *t,
		     const char *title);
void report_map_json(FILE *f, const struct sim *s, const struct reach_table *t);
void report_map_csv(FILE *f, const struct sim *s, const struct reach_table *t);

/* Multi-hop chains (semantics §13), shortest first, and how many more
 * there are (docs/reach-json.md). */
void report_chains_text(FILE *f, const struct graph *g,
			const struct graph_chains *c, uint32_t max_hops);
void report_chains_json(FILE *f, const struct graph *g,
			const struct graph_chains *c, uint32_t limit);

/* `vpcsim check` findings.  Counts are of active findings by severity;
 * suppressed and baselined ones are counted apart. */
void report_findings_count(const struct finding_list *l,
			   uint32_t count[SEV_COUNT], uint32_t *suppressed,
			   uint32_t *baselined);
void report_findings_text(FILE *f, const struct finding_list *l);
/* How check's text is drawn: ANSI colour (for a terminal), and the lowest
 * severity shown (--severity; the summary says how many were left out). */
struct report_text_style {
	bool color;
	enum severity min_severity;
};
/* report_findings_text with a style (NULL: plain, everything). */
void report_findings_text_style(FILE *f, const struct finding_list *l,
				const struct report_text_style *style);
/* The baseline file of --write-baseline: a comment line, then the
 * fingerprint of every finding that is not suppressed, one a line. */
void report_findings_baseline(FILE *f, const struct finding_list *l);
void report_findings_json(FILE *f, const struct finding_list *l);
/* SARIF 2.1.0 with rule metadata; JUnit XML, a test case per rule and
 * resource (report/sarif.c). */
void report_findings_sarif(FILE *f, const struct finding_list *l);
void report_findings_junit(FILE *f, const struct finding_list *l);
/* The same with the rule list given: SARIF lists these rules (then the
 * policies found); JUnit gives each with no finding a passing case. */
void report_findings_sarif_rules(FILE *f, const struct finding_list *l,
				 const struct rule_def *defs, uint32_t n_defs);
void report_findings_junit_rules(FILE *f, const struct finding_list *l,
				 const struct rule_def *defs, uint32_t n_defs);

/* `vpcsim rules`: the rule table as text, Markdown (docs/rules.md) or
 * JSON. */
void report_rules_text(FILE *f, const struct rule_def *d, uint32_t n);
void report_rules_markdown(FILE *f, const struct rule_def *d, uint32_t n);
void report_rules_json(FILE *f, const struct rule_def *d, uint32_t n);

/*
 * `vpcsim graph`: the architecture (region, VPC, AZ and subnet boxes, the
 * resources in their subnets) with the reachable flows as edges, as
 * described in docs/graph.md, at the level of detail of the views: all
 * holds every edge (it sets the rows and what is exposed), drawn the
 * edges drawn (NULL: all), from their only source (NULL: none).  Both
 * views are of one level.  These return 0, or negative when igraph or
 * graphviz failed (SVG is laid out by libgvc; the message is printed).
 */
struct graph_picture {
	const struct graph_view *all, *drawn;
	const struct reach_node *from;
	/*
	 * false (the default): at the endpoint level, the teaching picture
	 * of docs/graph.md: the intended flows (rules/change.h) and what
	 * the internet reaches, through the gateways they pass, blocked
	 * intended flows as dashed red arrows, no flows out or back that
	 * nobody intended.  true, and at every other level: every flow the
	 * engine finds.  DOT, Mermaid and SVG draw it; GraphML and JSON
	 * always hold every flow.
	 */
	bool all_flows;
};
int report_graph_dot(FILE *f, const struct graph_picture *pic);
int report_graph_mermaid(FILE *f, const struct graph_picture *pic);
int report_graph_graphml(FILE *f, const struct graph_picture *pic);
int report_graph_json(FILE *f, const struct graph_picture *pic);
int report_graph_svg(FILE *f, const struct graph_picture *pic);

/*
 * The SVG id of the first drawing of model object (kind, index) in a
 * picture ("obj_load_balancer_0"; a subnet's or VPC's box, a gateway's
 * node), for links from a report.  Later drawings of the same object
 * add "_2", "_3", ...  (No '-': graphviz writes it as an entity.)
 */
void report_graph_anchor(char *buf, size_t size, enum model_kind kind,
			 uint32_t index);

/*
 * The geometry of the laid-out picture, as libgvc placed it after the
 * layout (points, y growing downwards from the picture's top left): the
 * boxes, the nodes (box titles and the legend among them), the arrows
 * and their labels.  Tests read it to check what a reader would see
 * (labels apart, zones in order, arrows counted and styled).  Owned by
 * the layout (report_graph_layout_free).
 */
enum graph_layout_kind {
	GL_BOX,	  /* a region, VPC, zone, subnet or AWS services box */
	GL_NODE,  /* a node; its text is inside it */
	GL_TITLE, /* a box's title */
	GL_LEGEND,
	GL_LABEL /* an arrow's label */
};
struct graph_layout_item {
	enum graph_layout_kind kind;
	double x0, y0, x1, y1;
	char *id;   /* the box's or node's DOT id; a label: its arrow's */
	char *text; /* the label or title, lines joined by '\n' */
};
struct graph_layout_edge {
	char *id; /* "FROM->TO" (DOT ids) */
	char *label;
	/* "exposure", "forward", "outbound", "other", "blocked" or "part"
	 * (a node drawn once to where it runs: no flow) */
	const char *kind;
	bool dashed;
	char color[16]; /* "#d62728" */
};
struct graph_layout {
	struct graph_layout_item *items;
	uint32_t n_items;
	struct graph_layout_edge *edges;
	uint32_t n_edges;
	double width, height;
};
/* Lays pic out into *out (the caller's: report_graph_layout_free).
 * Returns 0, or -1 when graphviz failed (the message is printed). */
int report_graph_layout(struct graph_layout *out,
			const struct graph_picture *pic);
void report_graph_layout_free(struct graph_layout *l);
/* The word of graph_layout_edge.kind for arrows of the flows. */
bool report_graph_is_flow(const struct graph_layout_edge *e);

/*
 * `vpcsim report`: one self-contained HTML page (report/html.c,
 * docs/report.md): the picture (svg, report_graph_svg's output, or NULL
 * with why not), what the internet reaches (the exposure tables of the
 * rules' context: tcp, udp, then IPv6 tcp and udp; NULL for none), the
 * findings by severity with their traces, the intended flows evaluated
 * in s (a trace for each that does not work), and what losing each zone
 * breaks (zone_reports[z]: the healthy model against zone z lost, as
 * `vpcsim sim --all-azs` makes them).  Everything is the caller's.
 */
struct html_report {
	const struct model *m;
	const struct sim *s;
	const char *svg;
	const char *no_picture;
	const struct reach_table *exposure[4];
	const struct finding_list *findings;
	const char *const *zones;
	const struct change_report *zone_reports;
	uint32_t n_zones;
};
void report_html(FILE *f, const struct html_report *r);

/* `vpcsim sim` and `vpcsim diff` (report/change.c).  all_flows lists
 * unchanged flows too. */
void report_change_text(FILE *f, const struct change_report *r,
			const char *title, bool all_flows);
void report_change_json(FILE *f, const struct change_report *r,
			const char *failure);
void report_resilience_text(FILE *f, const char *const *zones,
			    const struct change_report *r, uint32_t n);
void report_resilience_json(FILE *f, const char *const *zones,
			    const struct change_report *r, uint32_t n);

#endif
