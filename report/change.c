/*
 * `vpcsim sim` and `vpcsim diff` output: intended flows before and after,
 * new and removed exposures, reachability changes between resources
 * (docs/sim-diff.md).
 */
#include <string.h>

#include "report/json.h"
#include "report/report.h"

static void flow_name(char *buf, size_t size, const struct intended_flow *f)
{
	snprintf(buf, size, "%s -> %s %s %u",
		 f->src_id ? f->src_id : "internet", f->dst_id,
		 proto_name(f->flow.proto), f->flow.port);
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
		if (bad && x->detail_after)
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

/* The resilience table of --all-azs: one column per zone lost. */
void report_resilience_text(FILE *f, const char *const *zones,
			    const struct change_report *r, uint32_t n)
{
	fputs("resilience: each intended flow after the loss of one "
	      "availability zone\n",
	      f);
	size_t w = 40;
	fprintf(f, "  %-*s", (int)w, "flow (healthy verdict)");
	for (uint32_t z = 0; z < n; z++)
		fprintf(f, "  %-12s", zones[z]);
	fputc('\n', f);
	uint32_t flows = n ? r[0].flows.n : 0;
	bool absorbed = false;
	for (uint32_t i = 0; i < flows; i++) {
		char name[256], cell[300];
		flow_name(name, sizeof(name), &r[0].flows.v[i]);
		snprintf(cell, sizeof(cell), "%s (%s)", name,
			 flow_state_name(r[0].flows.v[i].before));
		fprintf(f, "  %-*s", (int)w, cell);
		for (uint32_t z = 0; z < n; z++) {
			const struct intended_flow *x = &r[z].flows.v[i];
			snprintf(cell, sizeof(cell), "%s%s",
				 flow_state_name(x->after),
				 flow_broken(x) ? " BROKEN"
				 : x->absorbed	? "*"
						: "");
			absorbed |= x->absorbed;
			fprintf(f, "  %-12s", cell);
		}
		fputc('\n', f);
	}
	if (absorbed)
		fputs("  * gone: a read replica lost with its zone; its source "
		      "database still serves\n",
		      f);
	for (uint32_t z = 0; z < n; z++) {
		uint32_t broken = 0, exposed = 0;
		for (uint32_t i = 0; i < r[z].flows.n; i++)
			broken += flow_broken(&r[z].flows.v[i]);
		for (uint32_t e = 0; e < r[z].n_exposures; e++)
			exposed += !ports_empty(&r[z].exposures[e].added);
		if (!broken && !exposed)
			fprintf(f, "losing %s breaks nothing\n", zones[z]);
		else
			fprintf(f, "losing %s breaks %u intended flow%s%s\n",
				zones[z], broken, broken == 1 ? "" : "s",
				exposed ? " and exposes resources" : "");
	}
}

void report_resilience_json(FILE *f, const char *const *zones,
			    const struct change_report *r, uint32_t n)
{
	struct json j;
	json_init(&j, f, true);
	json_begin_object(&j);
	json_key(&j, "zones");
	json_begin_array(&j);
	for (uint32_t z = 0; z < n; z++) {
		json_begin_object(&j);
		json_kv_string(&j, "failure", zones[z]);
		report_change_json_body(&j, &r[z]);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}
