/*
 * `vpcsim sim` and `vpcsim diff` output: intended flows before and after,
 * new and removed exposures, reachability changes between resources
 * (docs/sim-diff.md); for diff, the new findings too, and a Markdown
 * report for a pull-request comment.
 */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/util.h"
#include "report/json.h"
#include "report/report.h"

/* A flow's name, "web -> db tcp 3306", appended to b (without printf:
 * the resilience table writes one per flow of the estate). */
static void flow_name_add(struct strbuf *b, const struct intended_flow *f)
{
	char port[UTIL_U32_TEXT_SIZE];
	const char *part[] = {f->src_id ? f->src_id : "internet",
			      " -> ",
			      f->dst_id,
			      " ",
			      proto_name(f->flow.proto),
			      " ",
			      util_u32_text(port, f->flow.port)};
	for (size_t i = 0; i < ARRAY_LEN(part); i++)
		strbuf_add(b, part[i], strlen(part[i]));
}

/* The same in buf, cut to size. */
static void flow_name(char *buf, size_t size, const struct intended_flow *f)
{
	struct strbuf b = {0};
	flow_name_add(&b, f);
	snprintf(buf, size, "%s", strbuf_str(&b));
	strbuf_free(&b);
}

static void state_text(char *buf, size_t size, enum flow_state s, uint32_t ok,
		       uint32_t n)
{
	if (s == FLOW_GONE)
		snprintf(buf, size, "gone");
	else
		snprintf(buf, size, "%s (%u/%u)", flow_state_name(s), ok, n);
}

void report_change_text(FILE *f, const struct change_report *r,
			const char *title, bool all_flows)
{
	uint32_t broken = 0, fixed = 0;
	fprintf(f, "%s\n", title);
	fputs("intended flows (before -> after):\n", f);
	for (uint32_t i = 0; i < r->flows.n; i++) {
		const struct intended_flow *x = &r->flows.v[i];
		bool bad = flow_broken(x), better = x->after > x->before;
		broken += bad;
		fixed += better;
		if (!all_flows && !bad && !better)
			continue;
		char name[256], b[48], a[48];
		flow_name(name, sizeof(name), x);
		state_text(b, sizeof(b), x->before, x->ok_before, x->n_before);
		state_text(a, sizeof(a), x->after, x->ok_after, x->n_after);
		fprintf(f, "  %-7s %s: %s -> %s\n",
			bad	 ? "BROKEN"
			: better ? "FIXED"
				 : "ok",
			name, b, a);
		if (bad || better)
			fprintf(f, "          intended because %s\n", x->why);
		if (bad && x->blocker && x->block_loc.line)
			fprintf(f, "          now blocked by %s [%s:%u]: %s\n",
				x->blocker, x->block_loc.file,
				x->block_loc.line, x->detail_after);
		else if (bad && x->detail_after)
			fprintf(f, "          now blocked at %s: %s\n",
				sim_block_name(x->block_after),
				x->detail_after);
		if (x->cause)
			fprintf(f, "          what changed: %s\n", x->cause);
		if (x->absorbed)
			fprintf(f,
				"          a read replica lost with its zone; "
				"its source database still serves\n");
	}
	if (!all_flows && !broken && !fixed)
		fprintf(f, "  all %u unchanged\n", r->flows.n);
	uint32_t opened = 0;
	for (uint32_t i = 0; i < r->n_exposures; i++) {
		const struct exposure_change *e = &r->exposures[i];
		char ports[256];
		if (!ports_empty(&e->added)) {
			if (!opened++)
				fputs("new exposures to the internet:\n", f);
			ports_format(ports, sizeof(ports), &e->added);
			fprintf(f, "  EXPOSED internet -> %s: %s %s\n",
				e->dst_id, proto_name(e->proto), ports);
			if (e->cause)
				fprintf(f, "          what changed: %s\n",
					e->cause);
		}
	}
	if (!opened)
		fputs("new exposures to the internet: none\n", f);
	for (uint32_t i = 0, head = 0; i < r->n_exposures; i++) {
		const struct exposure_change *e = &r->exposures[i];
		if (ports_empty(&e->removed))
			continue;
		if (!head++)
			fputs("exposures closed:\n", f);
		char ports[256];
		ports_format(ports, sizeof(ports), &e->removed);
		fprintf(f, "  closed  internet -> %s: %s %s\n", e->dst_id,
			proto_name(e->proto), ports);
	}
	for (uint32_t i = 0; i < r->n_policy_broken; i++)
		fprintf(f, "%s  POLICY  %s\n",
			i ? "" : "policies violated now and not before:\n",
			r->policy_broken[i]);
	if (r->n_edges)
		fputs("reachability between resources:\n", f);
	for (uint32_t i = 0; i < r->n_edges; i++) {
		const struct edge_change *e = &r->edges[i];
		char add[256] = "", rem[256] = "";
		if (!ports_empty(&e->added))
			ports_format(add, sizeof(add), &e->added);
		if (!ports_empty(&e->removed))
			ports_format(rem, sizeof(rem), &e->removed);
		fprintf(f, "  %s -> %s:", e->src_id, e->dst_id);
		if (*add)
			fprintf(f, " opens %s %s", proto_name(e->proto), add);
		if (*rem)
			fprintf(f, "%s closes %s %s", *add ? ";" : "",
				proto_name(e->proto), rem);
		fputc('\n', f);
	}
	fprintf(f, "%u intended flow%s broken, %u fixed, %u new exposure%s\n",
		broken, broken == 1 ? "" : "s", fixed, opened,
		opened == 1 ? "" : "s");
}

static void j_state(struct json *j, const char *key, enum flow_state s,
		    uint32_t ok, uint32_t n)
{
	json_key(j, key);
	json_begin_object(j);
	json_kv_string(j, "verdict", flow_state_name(s));
	json_kv_int(j, "pairs_ok", ok);
	json_kv_int(j, "pairs", n);
	json_end_object(j);
}

static void j_ports(struct json *j, const char *key, const struct ports *p)
{
	json_key(j, key);
	json_begin_array(j);
	for (size_t i = 0; i < p->n; i++) {
		json_begin_object(j);
		json_kv_int(j, "from", p->r[i].lo);
		json_kv_int(j, "to", p->r[i].hi);
		json_end_object(j);
	}
	json_end_array(j);
}

static void report_change_json_body(struct json *j,
				    const struct change_report *r)
{
	json_key(j, "flows");
	json_begin_array(j);
	for (uint32_t i = 0; i < r->flows.n; i++) {
		const struct intended_flow *x = &r->flows.v[i];
		json_begin_object(j);
		json_kv_string(j, "from", x->src_id ? x->src_id : "internet");
		json_kv_string(j, "to", x->dst_id);
		json_kv_string(j, "protocol", proto_name(x->flow.proto));
		json_kv_int(j, "port", x->flow.port);
		json_kv_string(j, "why", x->why);
		j_state(j, "before", x->before, x->ok_before, x->n_before);
		j_state(j, "after", x->after, x->ok_after, x->n_after);
		json_kv_bool(j, "broken", flow_broken(x));
		json_kv_bool(j, "absorbed", x->absorbed);
		json_key(j, "blocked_at");
		if (x->after != FLOW_ALL && x->after != FLOW_GONE &&
		    x->block_after != BLK_NONE)
			json_string(j, sim_block_name(x->block_after));
		else
			json_null(j);
		json_kv_string(j, "detail", x->detail_after);
		json_key(j, "blocker");
		if (x->blocker && x->after != FLOW_ALL &&
		    x->after != FLOW_GONE) {
			json_begin_object(j);
			json_kv_string(j, "component", x->blocker);
			json_kv_string(j, "file", x->block_loc.file);
			json_kv_int(j, "line", x->block_loc.line);
			json_end_object(j);
		} else {
			json_null(j);
		}
		json_kv_string(j, "cause", x->cause);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "exposures");
	json_begin_array(j);
	for (uint32_t i = 0; i < r->n_exposures; i++) {
		const struct exposure_change *e = &r->exposures[i];
		json_begin_object(j);
		json_kv_string(j, "to", e->dst_id);
		json_kv_string(j, "protocol", proto_name(e->proto));
		j_ports(j, "added", &e->added);
		j_ports(j, "removed", &e->removed);
		json_kv_string(j, "cause", e->cause);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "policies_broken");
	json_begin_array(j);
	for (uint32_t i = 0; i < r->n_policy_broken; i++)
		json_string(j, r->policy_broken[i]);
	json_end_array(j);
	json_key(j, "reachability");
	json_begin_array(j);
	for (uint32_t i = 0; i < r->n_edges; i++) {
		const struct edge_change *e = &r->edges[i];
		json_begin_object(j);
		json_kv_string(j, "from", e->src_id);
		json_kv_string(j, "to", e->dst_id);
		json_kv_string(j, "protocol", proto_name(e->proto));
		j_ports(j, "added", &e->added);
		j_ports(j, "removed", &e->removed);
		json_end_object(j);
	}
	json_end_array(j);
}

void report_change_json(FILE *f, const struct change_report *r,
			const char *failure)
{
	struct json j;
	json_init(&j, f, true);
	json_begin_object(&j);
	if (failure)
		json_kv_string(&j, "failure", failure);
	report_change_json_body(&j, r);
	json_end_object(&j);
	json_finish(&j);
}

/*
 * The resilience report of --all-azs, one zone at a time, so a run holds
 * one zone's comparison, not one per zone.  JSON writes each zone as it
 * comes.  The text table has a column per zone, so it keeps a byte per
 * flow and zone (cell_* bits) and each zone's totals, and writes the
 * table at the end.
 */
enum { CELL_STATE = 3, CELL_BROKEN = 4, CELL_ABSORBED = 8 };

struct report_resilience {
	FILE *f;
	bool json;
	struct json j;
	const char *const *zones;
	uint32_t nz, z; /* zones, and how many came */
	const struct flow_list *l;
	uint8_t *cells;	  /* l->n per zone */
	uint32_t *broken; /* per zone */
	bool *exposed;	  /* per zone */
};

void report_resilience_begin(struct report_resilience **out, FILE *f, bool json,
			     const char *const *zones, uint32_t nz,
			     const struct flow_list *l)
{
	struct report_resilience *rs = xcalloc(1, sizeof(*rs));
	rs->f = f;
	rs->json = json;
	rs->zones = zones;
	rs->nz = nz;
	rs->l = l;
	if (json) {
		json_init(&rs->j, f, true);
		json_begin_object(&rs->j);
		json_key(&rs->j, "zones");
		json_begin_array(&rs->j);
	} else {
		rs->cells = xcalloc((size_t)nz * l->n + 1, 1);
		rs->broken = xcalloc(nz + 1, sizeof(*rs->broken));
		rs->exposed = xcalloc(nz + 1, sizeof(*rs->exposed));
	}
	*out = rs;
}

void report_resilience_zone(struct report_resilience *rs,
			    const struct change_report *r)
{
	uint32_t z = rs->z++;
	if (rs->json) {
		json_begin_object(&rs->j);
		json_kv_string(&rs->j, "failure", rs->zones[z]);
		report_change_json_body(&rs->j, r);
		json_end_object(&rs->j);
		return;
	}
	uint8_t *c = rs->cells + (size_t)z * rs->l->n;
	for (uint32_t i = 0; i < r->flows.n; i++) {
		const struct intended_flow *x = &r->flows.v[i];
		bool broken = flow_broken(x);
		c[i] = (uint8_t)((x->after - FLOW_GONE) |
				 (broken ? CELL_BROKEN : 0) |
				 (x->absorbed ? CELL_ABSORBED : 0));
		rs->broken[z] += broken;
	}
	for (uint32_t e = 0; e < r->n_exposures; e++)
		rs->exposed[z] |= !ports_empty(&r->exposures[e].added);
}

/* Appends s to b, then spaces up to column w of the line b holds. */
static void cell(struct strbuf *b, const char *s, size_t w)
{
	strbuf_add(b, s, strlen(s));
	while (b->n < w)
		strbuf_add(b, " ", 1);
}

/* Appends s to b. */
static void add(struct strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

/*
 * The table: a column per zone lost, the last unpadded (no trailing
 * spaces), then a line per zone.  A row is a line per flow of the
 * estate, so each is built in a buffer and written at once, without
 * printf.
 */
static void resilience_text(const struct report_resilience *rs)
{
	FILE *f = rs->f;
	uint32_t n = rs->z, flows = rs->l->n;
	struct strbuf b = {0};
	bool absorbed = false;
	fputs("resilience: each intended flow after the loss of one "
	      "availability zone\n",
	      f);
	cell(&b, "  flow (healthy verdict)", 42);
	for (uint32_t z = 0; z < n; z++) {
		add(&b, "  ");
		cell(&b, rs->zones[z], z + 1 < n ? b.n + 12 : 0);
	}
	for (uint32_t i = 0; i <= flows; i++) {
		add(&b, "\n");
		fwrite(b.s, 1, b.n, f);
		strbuf_clear(&b);
		if (i == flows)
			break;
		const struct intended_flow *x = &rs->l->v[i];
		add(&b, "  ");
		flow_name_add(&b, x);
		add(&b, " (");
		add(&b, flow_state_name(x->before));
		cell(&b, ")", 42);
		for (uint32_t z = 0; z < n; z++) {
			uint8_t c = rs->cells[(size_t)z * flows + i];
			size_t at = b.n + 2;
			add(&b, "  ");
			add(&b, flow_state_name((enum flow_state)(
				    (c & CELL_STATE) + FLOW_GONE)));
			cell(&b,
			     c & CELL_BROKEN	 ? " BROKEN"
			     : c & CELL_ABSORBED ? "*"
						 : "",
			     z + 1 < n ? at + 12 : 0);
			absorbed |= (c & CELL_ABSORBED) != 0;
		}
	}
	strbuf_free(&b);
	if (absorbed)
		fputs("  * gone: a read replica lost with its zone; its source "
		      "database still serves\n",
		      f);
	for (uint32_t z = 0; z < n; z++) {
		uint32_t broken = rs->broken[z];
		if (!broken && !rs->exposed[z])
			fprintf(f, "losing %s breaks nothing\n", rs->zones[z]);
		else
			fprintf(f, "losing %s breaks %u intended flow%s%s\n",
				rs->zones[z], broken, broken == 1 ? "" : "s",
				rs->exposed[z] ? " and exposes resources" : "");
	}
}

void report_resilience_end(struct report_resilience *rs, bool finish)
{
	if (!rs)
		return;
	if (finish && rs->json) {
		json_end_array(&rs->j);
		json_end_object(&rs->j);
		json_finish(&rs->j);
	} else if (finish) {
		resilience_text(rs);
	}
	free(rs->cells);
	free(rs->broken);
	free(rs->exposed);
	free(rs);
}

/* ---- diff as a gate ----------------------------------------------------- */

/* The new findings shown (not the old model's, not below --severity). */
static bool is_new(const struct report_run *r, const struct finding *f)
{
	return !f->baselined && f->severity >= r->min_severity;
}

static void count_new(const struct report_run *r, uint32_t c[SEV_COUNT],
		      uint32_t *sup, uint32_t *old, uint32_t *failing)
{
	const struct finding_list *l = r->models[0].findings;
	for (int k = 0; k < SEV_COUNT; k++)
		c[k] = 0;
	*sup = *old = *failing = 0;
	for (uint32_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		if (f->baselined)
			(*old)++;
		else if (f->suppressed)
			(*sup)++;
		else
			c[f->severity]++;
		if (finding_active(f) && r->fail_on != FAIL_NEVER &&
		    (int)f->severity >= (int)r->fail_on)
			(*failing)++;
	}
}

void report_diff_text(FILE *f, const struct report_diff *d)
{
	char title[1024];
	snprintf(title, sizeof(title), "changes from %s to %s:", d->old_name,
		 d->new_name);
	report_change_text(f, d->change, title, false);
	const struct report_run *r = d->run;
	const struct finding_list *l = r->models[0].findings;
	uint32_t shown = 0;
	for (int sev = SEV_ERROR; sev >= SEV_INFO; sev--)
		for (uint32_t i = 0; i < l->n; i++) {
			const struct finding *x = &l->v[i];
			if (!is_new(r, x) || (int)x->severity != sev)
				continue;
			if (!shown++)
				fputs("new findings:\n", f);
			fprintf(f, "  %s:%u:%u: %s: [%s] %s%s%s%s\n",
				x->loc.file ? x->loc.file : "-", x->loc.line,
				x->loc.col, severity_name(x->severity),
				x->rule_id, x->message,
				x->suppressed ? " (suppressed: " : "",
				x->suppressed ? x->suppressed : "",
				x->suppressed ? ")" : "");
			for (uint32_t k = 0; k < x->n_details; k++)
				fprintf(f, "      %s\n", x->details[k]);
		}
	uint32_t c[SEV_COUNT], sup, old, failing;
	count_new(r, c, &sup, &old, &failing);
	fprintf(f,
		"%u new error%s, %u new warning%s, %u new info; %u suppressed, "
		"%u the old model had too; %u at or above --fail-on %s\n",
		c[SEV_ERROR], c[SEV_ERROR] == 1 ? "" : "s", c[SEV_WARNING],
		c[SEV_WARNING] == 1 ? "" : "s", c[SEV_INFO], sup, old, failing,
		r->fail_on == FAIL_NEVER
		    ? "never"
		    : severity_name((enum severity)r->fail_on));
}

void report_diff_json(FILE *f, const struct report_diff *d)
{
	const struct report_run *r = d->run;
	const struct finding_list *l = r->models[0].findings;
	struct json j;
	json_init(&j, f, true);
	json_begin_object(&j);
	json_kv_string(&j, "old", d->old_name);
	json_kv_string(&j, "new", d->new_name);
	report_change_json_body(&j, d->change);
	json_key(&j, "new_findings");
	json_begin_array(&j);
	for (uint32_t i = 0; i < l->n; i++)
		if (is_new(r, &l->v[i]))
			report_finding_json(&j, &l->v[i], d->new_name);
	json_end_array(&j);
	uint32_t c[SEV_COUNT], sup, old, failing;
	count_new(r, c, &sup, &old, &failing);
	json_key(&j, "summary");
	json_begin_object(&j);
	json_kv_int(&j, "error", c[SEV_ERROR]);
	json_kv_int(&j, "warning", c[SEV_WARNING]);
	json_kv_int(&j, "info", c[SEV_INFO]);
	json_kv_int(&j, "suppressed", sup);
	json_kv_int(&j, "unchanged", old);
	json_kv_int(&j, "failing", failing);
	json_end_object(&j);
	json_end_object(&j);
	json_finish(&j);
}

/* Text for a Markdown table cell: pipes escaped, line breaks as spaces,
 * so a cell never ends a row early. */
static void md_cell(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
}

/* Inline code: backticks in s are replaced (they would end it). */
static void md_code(FILE *f, const char *s)
{
	fputc('`', f);
	for (; s && *s; s++)
		fputc(*s == '`' ? '\'' : *s == '|' ? '/' : *s, f);
	fputc('`', f);
}

void report_diff_markdown(FILE *f, const struct report_diff *d)
{
	const struct report_run *r = d->run;
	const struct change_report *ch = d->change;
	const struct finding_list *l = r->models[0].findings;
	uint32_t c[SEV_COUNT], sup, old, failing;
	count_new(r, c, &sup, &old, &failing);
	fputs("### vpcsim diff: ", f);
	md_code(f, d->old_name);
	fputs(" → ", f);
	md_code(f, d->new_name);
	fputs("\n\n", f);
	const char *gate = r->fail_on == FAIL_NEVER
			       ? "never"
			       : severity_name((enum severity)r->fail_on);
	if (failing)
		fprintf(f,
			"**Fails the gate**: %u new finding%s at or above "
			"`--fail-on %s`.\n\n",
			failing, failing == 1 ? "" : "s", gate);
	else
		fprintf(f, "**Passes the gate** (`--fail-on %s`).\n\n", gate);
	fprintf(f,
		"%u new error%s, %u new warning%s, %u new info; %u "
		"suppressed; %u finding%s the old model had too.\n",
		c[SEV_ERROR], c[SEV_ERROR] == 1 ? "" : "s", c[SEV_WARNING],
		c[SEV_WARNING] == 1 ? "" : "s", c[SEV_INFO], sup, old,
		old == 1 ? "" : "s");
	uint32_t n_new = 0;
	for (uint32_t i = 0; i < l->n; i++)
		n_new += is_new(r, &l->v[i]);
	if (n_new) {
		fputs("\n| Severity | Rule | Resource | Where | Finding |\n",
		      f);
		fputs("|---|---|---|---|---|\n", f);
		for (int sev = SEV_ERROR; sev >= SEV_INFO; sev--)
			for (uint32_t i = 0; i < l->n; i++) {
				const struct finding *x = &l->v[i];
				if (!is_new(r, x) || (int)x->severity != sev)
					continue;
				fprintf(f, "| %s%s | %s ", severity_name(sev),
					x->suppressed ? " (suppressed)" : "",
					x->rule_id);
				md_cell(f, x->rule_name);
				fputs(" | ", f);
				md_cell(f, x->resource ? x->resource : "-");
				fputs(" | ", f);
				char where[512];
				snprintf(where, sizeof(where), "%s:%u",
					 x->loc.file ? x->loc.file : "-",
					 x->loc.line);
				md_code(f, where);
				fputs(" | ", f);
				md_cell(f, x->message);
				fputs(" |\n", f);
			}
	}
	uint32_t broken = 0;
	for (uint32_t i = 0; i < ch->flows.n; i++) {
		const struct intended_flow *x = &ch->flows.v[i];
		if (!flow_broken(x))
			continue;
		if (!broken++)
			fputs("\n#### Intended flows broken\n\n", f);
		char name[300];
		flow_name(name, sizeof(name), x);
		fputs("- ", f);
		md_code(f, name);
		fprintf(f, ": %s → %s", flow_state_name(x->before),
			flow_state_name(x->after));
		if (x->blocker) {
			fputs("; now blocked by ", f);
			md_code(f, x->blocker);
			if (x->block_loc.line) {
				char where[512];
				snprintf(where, sizeof(where), "%s:%u",
					 x->block_loc.file, x->block_loc.line);
				fputs(" at ", f);
				md_code(f, where);
			}
		}
		if (x->detail_after) {
			fputs(": ", f);
			md_cell(f, x->detail_after);
		}
		fputc('\n', f);
	}
	uint32_t opened = 0;
	for (uint32_t i = 0; i < ch->n_exposures; i++) {
		const struct exposure_change *e = &ch->exposures[i];
		if (ports_empty(&e->added))
			continue;
		if (!opened++)
			fputs("\n#### New exposures to the internet\n\n", f);
		char ports[256];
		ports_format(ports, sizeof(ports), &e->added);
		fputs("- ", f);
		md_code(f, e->dst_id);
		fprintf(f, ": %s %s", proto_name(e->proto), ports);
		if (e->cause) {
			fputs(" (what changed: ", f);
			md_cell(f, e->cause);
			fputc(')', f);
		}
		fputc('\n', f);
	}
	if (!n_new && !broken && !opened)
		fputs("\nNo new finding, no intended flow broken, nothing "
		      "newly exposed.\n",
		      f);
}
