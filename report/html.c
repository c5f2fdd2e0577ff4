/*
 * `vpcsim report`: one self-contained HTML page (docs/report.md) for a
 * person reviewing an estate: the picture (inline SVG, report/picture.c),
 * what the internet reaches, the findings by severity, the intended
 * flows with the trace of each that does not work, and what losing each
 * availability zone breaks.
 *
 * The page loads nothing: no script, style sheet, font or image from
 * elsewhere (the SVG's xmlns attributes are names, not addresses).  Long
 * parts fold into <details>; CSS makes it fit a phone (the picture
 * scrolls sideways, traces wrap) and print whole (an inline script opens
 * every <details> before printing; browsers that support it also get
 * ::details-content).  A finding links to its resource in the picture:
 * every drawing has the id report_graph_anchor gives, and :target lights
 * it up.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/report.h"

/* Intended flows evaluated, at most: a page stays readable and bounded
 * whatever the estate (the rest are counted). */
#define HTML_MAX_FLOWS 2000

/* s with &, <, >, " and ' escaped; control characters but newline and
 * tab as spaces. */
static void esc(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			fputc(*p < 0x20 && *p != '\n' && *p != '\t' ? ' ' : *p,
			      f);
		}
	}
}

static const char css[] =
    ":root{--fg:#1c2833;--muted:#566573;--line:#d5d8dc;--error:#b03a2e;"
    "--warning:#9a7d0a;--info:#1f618d;--ok:#1e8449;}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0 auto;max-width:1200px;padding:0 16px 40px;"
    "font:15px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
    "color:var(--fg);background:#fff}\n"
    "header{border-bottom:2px solid var(--line);margin-bottom:8px}\n"
    "h1{font-size:1.6em;margin:16px 0 4px}h2{font-size:1.3em;margin:28px "
    "0 8px;border-bottom:1px solid var(--line)}\n"
    "nav a{margin-right:14px;white-space:nowrap}\n"
    ".muted{color:var(--muted)}\n"
    ".counts span{display:inline-block;margin:2px 12px 2px 0}\n"
    ".picture{overflow-x:auto;border:1px solid var(--line);"
    "border-radius:6px;padding:4px;background:#fff}\n"
    ".picture svg{display:block;width:100%;height:auto;min-width:640px}\n"
    ".picture g:target path,.picture g:target polygon,"
    ".picture g:target ellipse{stroke:#ff8c00!important;"
    "stroke-width:6px!important}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%;margin:6px 0}\n"
    "th,td{border-bottom:1px solid var(--line);padding:4px 8px;"
    "text-align:left;vertical-align:top}\n"
    "th{background:#f4f6f7}\n"
    ".finding{border-left:4px solid var(--line);padding:4px 10px;"
    "margin:10px 0;background:#fbfcfc}\n"
    ".sev-error{border-color:var(--error)}.sev-warning{border-color:"
    "var(--warning)}.sev-info{border-color:var(--info)}\n"
    ".tag{display:inline-block;font-size:.8em;font-weight:600;"
    "padding:0 6px;border-radius:3px;color:#fff;margin-right:6px}\n"
    ".tag.error,.tag.blocked{background:var(--error)}"
    ".tag.warning,.tag.some{background:var(--warning)}"
    ".tag.info{background:var(--info)}.tag.works{background:var(--ok)}"
    ".tag.suppressed{background:var(--muted)}\n"
    ".finding h3{font-size:1em;margin:4px 0}\n"
    "details{margin:4px 0}summary{cursor:pointer;color:var(--info)}\n"
    "pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85em;"
    "background:#f4f6f7;padding:8px;border-radius:4px;margin:4px 0}\n"
    "code{font-size:.9em}\n"
    "@media (max-width:600px){body{font-size:14px;padding:0 8px 24px}"
    "th,td{padding:3px 4px}.hide-narrow{display:none}}\n"
    "@media print{nav,.no-print{display:none}body{max-width:none}"
    ".picture{overflow:visible;border:0}.picture svg{min-width:0}"
    "details::details-content{content-visibility:visible;display:block}"
    "summary{color:var(--fg)}.finding,tr{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}\n";

/* Opens every <details> before printing: the only script, inline. */
static const char script[] =
    "window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){"
    "d.open=true;});});";

/* ---- links to the picture ---------------------------------------------- */

/* The object of the picture a finding on (kind, index) links to: itself
 * when it is drawn, else what carries or uses it. */
static bool drawn_object(const struct model *m, enum model_kind *kind,
			 uint32_t *index)
{
	enum model_kind k = *kind;
	uint32_t i = *index;
	switch (k) {
	case MK_SECURITY_GROUP:
		for (uint32_t p = 0; p < m->n_placements_total; p++)
			for (uint32_t g = 0; g < m->placements[p].n_groups; g++)
				if (m->placements[p].groups[g] == i) {
					*kind = m->placements[p].kind;
					*index = m->placements[p].index;
					return true;
				}
		return false;
	case MK_NETWORK_ACL:
	case MK_ROUTE_TABLE:
		for (uint32_t s = 0; s < m->n[MK_SUBNET]; s++)
			if ((k == MK_NETWORK_ACL
				 ? m->subnets[s].nacl
				 : m->subnets[s].route_table) == i) {
				*kind = MK_SUBNET;
				*index = s;
				return true;
			}
		return false;
	case MK_TASK_DEFINITION:
		for (uint32_t s = 0; s < m->n[MK_SERVICE]; s++)
			if (m->services[s].task_definition == i) {
				*kind = MK_SERVICE;
				*index = s;
				return true;
			}
		return false;
	default:
		return k < MK_KIND_COUNT;
	}
}

/* The picture's id for an object, when the picture draws it. */
static bool anchor(char *buf, size_t size, const char *svg,
		   const struct model *m, enum model_kind kind, uint32_t index)
{
	if (!svg || !drawn_object(m, &kind, &index))
		return false;
	char id[256], attr[300];
	report_graph_anchor(id, sizeof(id), kind, index);
	snprintf(attr, sizeof(attr), "id=\"%s\"", id);
	if (!strstr(svg, attr))
		return false;
	snprintf(buf, size, "%s", id);
	return true;
}

/* A resource's name, linked to its drawing when there is one. */
static void linked(FILE *f, const struct html_report *r, const char *name,
		   enum model_kind kind, uint32_t index)
{
	char a[256];
	if (kind < MK_KIND_COUNT &&
	    anchor(a, sizeof(a), r->svg, r->m, kind, index)) {
		fprintf(f, "<a href=\"#%s\">", a);
		esc(f, name);
		fputs("</a>", f);
	} else {
		esc(f, name);
	}
}

/* ---- the picture ------------------------------------------------------- */

/* graphviz's SVG without its XML declaration, doctype and comments, its
 * fixed size made to follow the page (the viewBox keeps the shape). */
static void inline_svg(FILE *f, const char *svg)
{
	const char *p = strstr(svg, "<svg");
	if (!p)
		return;
	const char *end = strchr(p, '>');
	if (!end)
		return;
	/* The root element, without width and height. */
	for (const char *q = p; q < end;) {
		if (!strncmp(q, " width=\"", 8) ||
		    !strncmp(q, " height=\"", 9)) {
			const char *v = strchr(q, '"');
			const char *close = v ? strchr(v + 1, '"') : NULL;
			if (close && close < end) {
				q = close + 1;
				continue;
			}
		}
		fputc(*q++, f);
	}
	fputs(" role=\"img\" aria-label=\"the architecture and its flows\"", f);
	for (const char *q = end; *q;) {
		if (!strncmp(q, "<!--", 4)) {
			const char *c = strstr(q, "-->");
			q = c ? c + 3 : q + strlen(q);
			continue;
		}
		fputc(*q++, f);
	}
}

/* ---- the exposure map --------------------------------------------------- */

static void exposure_rows(FILE *f, const struct html_report *r,
			  const struct reach_table *t, uint32_t *n)
{
	for (uint32_t i = 0; t && i < t->n; i++) {
		const struct reach_row *row = &t->rows[i];
		if (ports_empty(&row->some))
			continue;
		char all[256], some[256];
		ports_format(all, sizeof(all), &row->all);
		struct ports only = PORTS_INIT;
		ports_diff(&only, &row->some, &row->all);
		ports_format(some, sizeof(some), &only);
		fputs("<tr><td>", f);
		const char *name = reach_row_dst_name(r->s, row);
		linked(f, r, name,
		       row->dst.kind == RN_RESOURCE ? row->dst.rkind
						    : MK_KIND_COUNT,
		       row->dst.rindex);
		fputs("</td><td class=\"hide-narrow\">", f);
		esc(f, row->dst.kind == RN_RESOURCE
			   ? model_kind_name(row->dst.rkind)
			   : "");
		fprintf(f, "</td><td>%s%s</td><td>", proto_name(row->proto),
			row->ipv6 ? " (IPv6)" : "");
		if (!ports_empty(&row->all))
			esc(f, all);
		if (!ports_empty(&only)) {
			fputs(ports_empty(&row->all) ? "" : "; ", f);
			esc(f, some);
			fputs(" <span class=\"muted\">(some placements)</span>",
			      f);
		}
		ports_free(&only);
		fprintf(f, "</td><td>%s%s</td></tr>\n",
			row->any_source || !(row->n_sources + row->n_sources6)
			    ? "anywhere"
			    : "some ranges",
			row->degraded ? ", degraded" : "");
		(*n)++;
	}
}

static void exposure(FILE *f, const struct html_report *r)
{
	fputs("<section id=\"exposure\"><h2>What the internet reaches</h2>\n"
	      "<div class=\"scroll\"><table><thead><tr><th>resource</th>"
	      "<th class=\"hide-narrow\">kind</th><th>protocol</th><th>ports"
	      "</th><th>from</th></tr></thead><tbody>\n",
	      f);
	uint32_t n = 0;
	for (uint32_t k = 0; k < 4; k++)
		exposure_rows(f, r, r->exposure[k], &n);
	fputs("</tbody></table></div>\n", f);
	if (!n)
		fputs("<p>Nothing: the internet reaches no resource.</p>\n", f);
	fputs("</section>\n", f);
}

/* ---- findings ----------------------------------------------------------- */

static void finding(FILE *f, const struct html_report *r,
		    const struct finding *x, uint32_t n)
{
	const char *sev = severity_name(x->severity);
	fprintf(f, "<article class=\"finding sev-%s\" id=\"finding-%u\">", sev,
		n);
	fprintf(f, "<h3><span class=\"tag %s\">%s</span>",
		finding_active(x) ? sev : "suppressed",
		finding_active(x) ? sev : "suppressed");
	esc(f, x->rule_id);
	fputs(" ", f);
	esc(f, x->rule_name);
	fputs("</h3><p>", f);
	esc(f, x->message);
	fputs("</p><p class=\"muted\">", f);
	if (x->resource) {
		fputs("resource ", f);
		linked(f, r, x->resource, x->kind, x->index);
		fputs(" · ", f);
	}
	if (x->loc.file) {
		esc(f, x->loc.file);
		fprintf(f, ":%u", x->loc.line);
	}
	if (x->suppressed) {
		fputs(" · suppressed: ", f);
		esc(f, x->suppressed);
	}
	if (x->baselined)
		fputs(" · in the baseline", f);
	fputs("</p>", f);
	if (x->n_details) {
		fputs("<details><summary>trace</summary><pre>", f);
		for (uint32_t i = 0; i < x->n_details; i++) {
			esc(f, x->details[i]);
			fputc('\n', f);
		}
		fputs("</pre></details>", f);
	}
	fputs("</article>\n", f);
}

static void findings(FILE *f, const struct html_report *r)
{
	const struct finding_list *l = r->findings;
	fputs("<section id=\"findings\"><h2>Findings</h2>\n", f);
	uint32_t n = 0;
	/* Active ones by severity, most severe first, in the list's order
	 * (file, line); then those suppressed or in the baseline. */
	for (int pass = 0; pass < 2; pass++)
		for (int sev = SEV_ERROR; sev >= SEV_INFO; sev--)
			for (uint32_t i = 0; l && i < l->n; i++) {
				const struct finding *x = &l->v[i];
				if ((int)x->severity != sev ||
				    finding_active(x) == (pass == 1))
					continue;
				finding(f, r, x, n++);
			}
	if (!n)
		fputs("<p>No finding: every rule passed.</p>\n", f);
	fputs("</section>\n", f);
}

/* ---- intended flows ----------------------------------------------------- */

/* A flow's end, linked to the picture when it is a resource. */
static void flow_end(FILE *f, const struct html_report *r, const char *id)
{
	const struct model_obj *o = id ? model_find(r->m, id) : NULL;
	if (o)
		linked(f, r, id, o->kind, o->index);
	else
		esc(f, id ? id : "internet");
}

static void flow_row(FILE *f, const struct html_report *r,
		     const struct intended_flow *x, enum flow_state st,
		     struct sim_answer *an)
{
	static const char *const words[] = {"blocked",
					    "works for some "
					    "placements",
					    "works"};
	static const char *const tags[] = {"blocked", "some", "works"};
	int k = st == FLOW_ALL ? 2 : st == FLOW_SOME ? 1 : 0;
	char flow[64];
	sim_flow_format(flow, sizeof(flow), x->flow);
	fputs("<tr><td>", f);
	flow_end(f, r, x->src_id);
	fputs(" → ", f);
	flow_end(f, r, x->dst_id);
	fprintf(f, "</td><td>%s</td><td><span class=\"tag %s\">%s</span>", flow,
		tags[k], words[k]);
	if (st != FLOW_ALL && an) {
		struct sim_sel a, b;
		char *text = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&text, &len);
		if (m && change_flow_sel(&a, r->s, x->src_id) &&
		    change_flow_sel(&b, r->s, x->dst_id))
			report_trace_text(m, r->s, &a, &b, an, 1, false);
		if (m && !fclose(m) && text && *text) {
			fputs("<details><summary>trace</summary><pre>", f);
			esc(f, text);
			fputs("</pre></details>", f);
		}
		free(text);
	}
	fputs("</td><td class=\"hide-narrow muted\">", f);
	esc(f, x->why);
	fputs("</td></tr>\n", f);
}

static void flows(FILE *f, const struct html_report *r, uint32_t *blocked)
{
	struct change_report cr = {0};
	change_collect(&cr.flows, r->m);
	fputs("<section id=\"flows\"><h2>Intended flows</h2>\n<p>The "
	      "connections the design says must work: the listeners of an "
	      "internet-facing load balancer, its forwards, every rule of a "
	      "security group that names another group, and the image pulls "
	      "of ECS tasks. A flow that does not work for every placement "
	      "has its trace.</p>\n<div class=\"scroll\"><table><thead><tr>"
	      "<th>from → to</th><th>flow</th><th>verdict</th>"
	      "<th class=\"hide-narrow\">why it is intended</th></tr></thead>"
	      "<tbody>\n",
	      f);
	uint32_t shown = 0;
	for (uint32_t i = 0; i < cr.flows.n && shown < HTML_MAX_FLOWS; i++) {
		const struct intended_flow *x = &cr.flows.v[i];
		struct sim_answer an;
		bool have;
		enum flow_state st = change_evaluate(r->s, x, &an, &have);
		if (!have)
			continue;
		/* A rule naming a group intends its port for every carrier
		 * of it; one that does not listen there was never meant. */
		bool unmeant = st == FLOW_NONE && !x->forward && x->src_id &&
			       an.n &&
			       an.pairs[0].res.block == BLK_NOT_LISTENING;
		if (!unmeant) {
			flow_row(f, r, x, st, &an);
			*blocked += st != FLOW_ALL;
			shown++;
		}
		sim_answer_free(&an);
	}
	fputs("</tbody></table></div>\n", f);
	if (!shown)
		fputs("<p>The model states no intended flow.</p>\n", f);
	else if (cr.flows.n > HTML_MAX_FLOWS)
		fprintf(f,
			"<p class=\"muted\">%u more not evaluated here: "
			"<code>vpcsim sim</code> and <code>vpcsim "
			"trace</code> ask for them.</p>\n",
			cr.flows.n - HTML_MAX_FLOWS);
	fputs("</section>\n", f);
	change_report_free(&cr);
}

/* ---- what if a zone fails ----------------------------------------------- */

static void whatif(FILE *f, const struct html_report *r, uint32_t *hurt)
{
	fputs("<section id=\"whatif\"><h2>What if a zone fails</h2>\n<p>Each "
	      "availability zone lost alone (<code>vpcsim sim --all-azs"
	      "</code>): the intended flows it breaks and what the internet "
	      "reaches that it did not.</p>\n",
	      f);
	if (!r->n_zones) {
		fputs("<p>The model names no availability zone.</p>"
		      "</section>\n",
		      f);
		return;
	}
	fputs("<div class=\"scroll\"><table><thead><tr><th>zone lost</th>"
	      "<th>intended flows broken</th><th>new exposures</th></tr>"
	      "</thead><tbody>\n",
	      f);
	for (uint32_t z = 0; z < r->n_zones; z++) {
		const struct change_report *c = &r->zone_reports[z];
		uint32_t broken = 0, exposed = 0;
		fputs("<tr><td>", f);
		esc(f, r->zones[z]);
		fputs("</td><td>", f);
		for (uint32_t i = 0; i < c->flows.n; i++) {
			const struct intended_flow *x = &c->flows.v[i];
			if (!flow_broken(x))
				continue;
			char flow[64];
			sim_flow_format(flow, sizeof(flow), x->flow);
			fputs(broken++ ? "<br>" : "", f);
			flow_end(f, r, x->src_id);
			fputs(" → ", f);
			flow_end(f, r, x->dst_id);
			fprintf(f, " %s: %s → %s", flow,
				flow_state_name(x->before),
				flow_state_name(x->after));
		}
		if (!broken)
			fputs("<span class=\"tag works\">none</span>", f);
		fputs("</td><td>", f);
		for (uint32_t i = 0; i < c->n_exposures; i++) {
			const struct exposure_change *x = &c->exposures[i];
			if (ports_empty(&x->added))
				continue;
			char ports[256];
			ports_format(ports, sizeof(ports), &x->added);
			fputs(exposed++ ? "<br>" : "", f);
			esc(f, x->dst_id);
			fprintf(f, " %s %s", proto_name(x->proto), ports);
		}
		if (!exposed)
			fputs("<span class=\"tag works\">none</span>", f);
		fputs("</td></tr>\n", f);
		*hurt += broken > 0 || exposed > 0;
	}
	fputs("</tbody></table></div></section>\n", f);
}

/* ---- the page ----------------------------------------------------------- */

void report_html(FILE *f, const struct html_report *r)
{
	const struct model *m = r->m;
	uint32_t count[SEV_COUNT] = {0}, suppressed = 0, baselined = 0;
	if (r->findings)
		report_findings_count(r->findings, count, &suppressed,
				      &baselined);
	uint32_t exposed = 0;
	for (uint32_t k = 0; k < 4; k++)
		for (uint32_t i = 0; r->exposure[k] && i < r->exposure[k]->n;
		     i++)
			exposed += !ports_empty(&r->exposure[k]->rows[i].some);

	/* The sections that count things are written first into memory,
	 * so the summary on top can say what they found. */
	char *body = NULL;
	size_t len = 0;
	uint32_t blocked = 0, hurt = 0;
	FILE *b = open_memstream(&body, &len);
	if (b) {
		exposure(b, r);
		findings(b, r);
		flows(b, r, &blocked);
		whatif(b, r, &hurt);
		fclose(b);
	}

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	      "charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width="
	      "device-width, initial-scale=1\">\n<title>vpcsim report: ",
	      f);
	esc(f, m->file);
	fputs("</title>\n<style>\n", f);
	fputs(css, f);
	fputs("</style>\n</head>\n<body>\n<header>\n<h1>vpcsim report</h1>\n"
	      "<p class=\"muted\">",
	      f);
	esc(f, m->file);
	if (m->region) {
		fputs(" · region ", f);
		esc(f, m->region);
	}
	fprintf(f,
		" · %u VPC%s, %u subnet%s · vpcsim " VPCSIM_VERSION "</p>\n"
		"<nav><a href=\"#picture\">picture</a><a href=\"#exposure\">"
		"exposure</a><a href=\"#findings\">findings</a><a "
		"href=\"#flows\">intended flows</a><a href=\"#whatif\">"
		"what if</a></nav>\n</header>\n",
		m->n[MK_VPC], m->n[MK_VPC] == 1 ? "" : "s", m->n[MK_SUBNET],
		m->n[MK_SUBNET] == 1 ? "" : "s");
	fprintf(f,
		"<section id=\"summary\" class=\"counts\"><span><b>%u</b> "
		"error%s</span><span><b>%u</b> warning%s</span><span><b>%u"
		"</b> info</span><span><b>%u</b> resource%s the internet "
		"reaches</span><span><b>%u</b> intended flow%s not working"
		"</span><span><b>%u</b> zone%s whose loss breaks something"
		"</span>",
		count[SEV_ERROR], count[SEV_ERROR] == 1 ? "" : "s",
		count[SEV_WARNING], count[SEV_WARNING] == 1 ? "" : "s",
		count[SEV_INFO], exposed, exposed == 1 ? "" : "s", blocked,
		blocked == 1 ? "" : "s", hurt, hurt == 1 ? "" : "s");
	if (suppressed || baselined)
		fprintf(f,
			"<span class=\"muted\">%u suppressed, %u in the "
			"baseline</span>",
			suppressed, baselined);
	fputs("</section>\n<section id=\"picture\"><h2>The architecture"
	      "</h2>\n",
	      f);
	if (r->svg) {
		fputs("<div class=\"picture\">", f);
		inline_svg(f, r->svg);
		fputs("</div>\n<p class=\"muted\">As <code>vpcsim graph</code> "
		      "draws it (docs/graph.md); the legend is in the picture. "
		      "Names link here from the sections below.</p>\n",
		      f);
	} else {
		fputs("<p>", f);
		esc(f, r->no_picture ? r->no_picture : "No picture.");
		fputs("</p>\n", f);
	}
	fputs("</section>\n", f);
	if (body)
		fwrite(body, 1, len, f);
	free(body);
	fputs("<footer class=\"muted\"><p>Written by vpcsim " VPCSIM_VERSION
	      ": every verdict comes from the model alone, no AWS account "
	      "was asked.</p></footer>\n<script>",
	      f);
	fputs(script, f);
	fputs("</script>\n</body>\n</html>\n", f);
}
