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
 * verdict, in lines of at most 80 columns; each blocking and degraded
 * step says why and what to change.  With explain, each term of the
 * glossary gets its sentence where it first appears.  The answer must
 * have been made with traces.
 */
void report_trace_text(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n, bool explain);
void report_trace_json(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n);

/*
 * The glossary (report/glossary.c; docs/glossary.md says the same): each
 * term of art the text output uses, the spellings that count as it, and
 * one sentence on it.
 */
struct report_term {
	const char *term;
	const char *const *forms; /* NULL-terminated */
	const char *sentence;
};
extern const struct report_term report_glossary[];
extern const size_t report_glossary_n;
/* The glossary terms text uses, as indexes into report_glossary in the
 * order they first appear; at most max, returns how many. */
uint32_t report_terms_in(const char *text, uint32_t *out, uint32_t max);

/*
 * A fix (sim.h) as the YAML snippet one pastes into a native model: fixes
 * n of them, applied together, their changes grouped by section, object
 * and key so the snippet is one valid document.  Flow mappings wrap at
 * width columns.  The string is the caller's (free).
 */
char *report_fix_yaml(const struct sim_fix *fixes, uint32_t n, int width);

/* `vpcsim reach`: n answers (one per port asked), summed up.  ports_note
 * says which ports were asked when the user gave none (or NULL). */
void report_reach_text(FILE *f, const struct sim *s, const struct sim_sel *src,
		       const struct sim_sel *dst, const struct sim_answer *a,
		       uint32_t n, const char *ports_note, bool explain);
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

/*
 * `vpcsim check` reports (docs/check.md).  A run may check several
 * models (a directory, many files): one report covers them all, each
 * model's findings apart (a header per model in text, "model" on each
 * finding and a "models" list in JSON, one SARIF run listing every file,
 * a JUnit test suite per model).
 */
struct report_model {
	const char *name;	  /* its first file, as given; <stdin> */
	const char *const *files; /* every input file of it */
	size_t n_files;
	const struct finding_list *findings; /* sorted (findings_sort) */
};

struct report_run {
	const struct report_model *models;
	size_t n_models;
	/* The built-in rules that ran (--only, --skip), in id order: SARIF
	 * lists them, JUnit gives each without a finding a passing case
	 * (then the policies and any other rule the findings name). */
	const struct rule_def *rules;
	uint32_t n_rules;
	enum severity min_severity; /* --severity: findings below are not
				       shown (text counts them) */
	enum fail_on fail_on;	    /* JUnit: a <failure> at or above */
	bool color;		    /* text: ANSI colour */
	/* JUnit's timestamp, "YYYY-MM-DDTHH:MM:SS" (UTC); NULL: the epoch,
	 * so that output made without a clock is the same every time. */
	const char *timestamp;
};

/* Counts are of active findings by severity; suppressed and baselined
 * ones are counted apart. */
void report_findings_count(const struct finding_list *l,
			   uint32_t count[SEV_COUNT], uint32_t *suppressed,
			   uint32_t *baselined);
void report_run_text(FILE *f, const struct report_run *r);
void report_run_json(FILE *f, const struct report_run *r);
/* SARIF 2.1.0 for code scanning (report/sarif.c): one run, every file of
 * every model an artifact, rules with security-severity and tags,
 * results with the traces they quote as codeFlows. */
void report_run_sarif(FILE *f, const struct report_run *r);
/* JUnit XML valid against Jenkins' junit-10.xsd and the Ant schema
 * (tests/schemas): a suite per model, a case per rule and resource. */
void report_run_junit(FILE *f, const struct report_run *r);

/* One finding as the JSON reports write it (docs/check.md#json-output),
 * with the model it belongs to. */
struct json;
void report_finding_json(struct json *j, const struct finding *f,
			 const char *model);

/* One model's findings, every built-in rule, everything shown, failing at
 * error: the reports of a run of one model named after its first
 * finding's file. */
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
 * fingerprint of every finding of the lists that is not suppressed, one
 * a line, each once, sorted. */
void report_findings_baseline(FILE *f, const struct finding_list *l);
void report_findings_baseline_n(FILE *f, const struct finding_list *const *l,
				size_t n);
void report_findings_json(FILE *f, const struct finding_list *l);
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
/*
 * `vpcsim diff` as a gate (docs/sim-diff.md): the change, and the run of
 * the new model whose findings the old one had too are marked baselined
 * (not shown, not counted as new); the others are the new findings, the
 * diff's own (VD001, VD002) among them.
 */
struct report_diff {
	const char *old_name, *new_name;
	const struct change_report *change;
	const struct report_run *run; /* one model: the new */
};
void report_diff_text(FILE *f, const struct report_diff *d);
void report_diff_json(FILE *f, const struct report_diff *d);
/* Markdown for a pull-request comment. */
void report_diff_markdown(FILE *f, const struct report_diff *d);
/*
 * `sim --all-azs`: what losing each zone breaks, as text (a table with a
 * column per zone) or JSON, fed one zone at a time so that a run holds
 * one zone's comparison.  begin makes *out, the caller's until end, which
 * writes the rest when finish (not after an error) and frees it; zones, l
 * and f are borrowed until then.
 * Each zone call gives the next zone's comparison, whose flows are l.
 */
struct report_resilience;
void report_resilience_begin(struct report_resilience **out, FILE *f, bool json,
			     const char *const *zones, uint32_t nz,
			     const struct flow_list *l);
void report_resilience_zone(struct report_resilience *rs,
			    const struct change_report *r);
void report_resilience_end(struct report_resilience *rs, bool finish);

#endif
