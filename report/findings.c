/*
 * `vpcsim check` output in text and JSON (docs/check.md), its baseline
 * file, and `vpcsim rules`.  Text is compiler-style so editors and CI
 * annotate the line:
 *   file:line:col: severity: [RULE] message
 * with the path or blocking step indented under it, errors first, then
 * warnings, then info, then the suppressed findings (shown with their
 * reason, never counted); baselined ones are not shown.  Within a
 * severity the list's order (by file and line) holds.  A run of several
 * models gives each a header and its summary, then the totals; a run of
 * one model has neither, so its text is what it always was.
 */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "report/json.h"
#include "report/report.h"

void report_findings_count(const struct finding_list *l,
			   uint32_t count[SEV_COUNT], uint32_t *suppressed,
			   uint32_t *baselined)
{
	for (int k = 0; k < SEV_COUNT; k++)
		count[k] = 0;
	*suppressed = *baselined = 0;
	for (uint32_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		if (f->baselined)
			(*baselined)++;
		else if (f->suppressed)
			(*suppressed)++;
		else
			count[f->severity]++;
	}
}

/* ANSI SGR sequences: GCC's choices (bold location, red errors), with
 * warnings yellow and info cyan. */
#define SGR_RESET "\033[0m"
#define SGR_BOLD  "\033[1m"
#define SGR_DIM	  "\033[2m"

static const char *severity_sgr(enum severity s)
{
	switch (s) {
	case SEV_ERROR:
		return "\033[1;31m";
	case SEV_WARNING:
		return "\033[1;33m";
	case SEV_INFO:
		return "\033[1;36m";
	}
	return SGR_BOLD;
}

static void text_finding(FILE *out, const struct finding *f, bool color)
{
	if (color)
		fputs(SGR_BOLD, out);
	if (f->loc.line)
		fprintf(out, "%s:%u:%u:", f->loc.file, f->loc.line, f->loc.col);
	else
		fprintf(out, "%s:", f->loc.file ? f->loc.file : "-");
	if (color)
		fprintf(out, SGR_RESET " %s%s:" SGR_RESET,
			severity_sgr(f->severity), severity_name(f->severity));
	else
		fprintf(out, " %s:", severity_name(f->severity));
	fprintf(out, " [%s] %s", f->rule_id, f->message);
	if (f->suppressed)
		fprintf(out, "%s (suppressed: %s)%s", color ? SGR_DIM : "",
			f->suppressed, color ? SGR_RESET : "");
	fputc('\n', out);
	for (uint32_t k = 0; k < f->n_details; k++)
		fprintf(out, "    %s\n", f->details[k]);
}

/* "N errors" in the summary, in its colour when there are any. */
static void text_count(FILE *out, uint32_t n, const char *one, const char *many,
		       enum severity s, bool color)
{
	if (color && n)
		fprintf(out, "%s%u %s" SGR_RESET, severity_sgr(s), n,
			n == 1 ? one : many);
	else
		fprintf(out, "%u %s", n, n == 1 ? one : many);
}

/* One model's findings, then its summary line. */
static void text_model(FILE *out, const struct finding_list *l,
		       const struct report_text_style *st)
{
	uint32_t hidden = 0;
	/* Active findings by severity, errors first, then the suppressed
	 * ones: what fails the run comes before what does not. */
	for (int pass = 0; pass < 2; pass++)
		for (int sev = SEV_ERROR; sev >= SEV_INFO; sev--)
			for (uint32_t i = 0; i < l->n; i++) {
				const struct finding *f = &l->v[i];
				if (f->baselined || (int)f->severity != sev ||
				    !f->suppressed != !pass)
					continue;
				if (f->severity < st->min_severity)
					hidden++;
				else
					text_finding(out, f, st->color);
			}
	uint32_t c[SEV_COUNT], sup, base;
	report_findings_count(l, c, &sup, &base);
	text_count(out, c[SEV_ERROR], "error", "errors", SEV_ERROR, st->color);
	fputs(", ", out);
	text_count(out, c[SEV_WARNING], "warning", "warnings", SEV_WARNING,
		   st->color);
	fprintf(out, ", %u info", c[SEV_INFO]);
	if (sup)
		fprintf(out, ", %u suppressed", sup);
	if (base)
		fprintf(out, ", %u in the baseline", base);
	if (hidden)
		fprintf(out, ", %u not shown (below %s)", hidden,
			severity_name(st->min_severity));
	fputc('\n', out);
}

void report_run_text(FILE *out, const struct report_run *r)
{
	struct report_text_style st = {r->color, r->min_severity};
	uint32_t total[SEV_COUNT] = {0}, sup = 0, base = 0;
	for (size_t k = 0; k < r->n_models; k++) {
		const struct report_model *md = &r->models[k];
		if (r->n_models > 1) {
			fprintf(out, "%s== %s", k ? "\n" : "", md->name);
			for (size_t i = 1; i < md->n_files; i++)
				fprintf(out, ", %s", md->files[i]);
			fputs(" ==\n", out);
		}
		text_model(out, md->findings, &st);
		uint32_t c[SEV_COUNT], s1, b1;
		report_findings_count(md->findings, c, &s1, &b1);
		for (int i = 0; i < SEV_COUNT; i++)
			total[i] += c[i];
		sup += s1;
		base += b1;
	}
	if (r->n_models < 2)
		return;
	fprintf(out, "\n%zu models: ", r->n_models);
	text_count(out, total[SEV_ERROR], "error", "errors", SEV_ERROR,
		   st.color);
	fputs(", ", out);
	text_count(out, total[SEV_WARNING], "warning", "warnings", SEV_WARNING,
		   st.color);
	fprintf(out, ", %u info", total[SEV_INFO]);
	if (sup)
		fprintf(out, ", %u suppressed", sup);
	if (base)
		fprintf(out, ", %u in the baseline", base);
	fputc('\n', out);
}

/* A run of the one model of l, for the writers of one list. */
static struct report_run one_model(struct report_model *md,
				   const struct finding_list *l)
{
	memset(md, 0, sizeof(*md));
	md->name = l->n && l->v[0].loc.file ? l->v[0].loc.file : "model";
	md->files = &md->name;
	md->n_files = 1;
	md->findings = l;
	uint32_t n;
	const struct rule_def *defs = rules_builtin(&n);
	return (struct report_run){.models = md,
				   .n_models = 1,
				   .rules = defs,
				   .n_rules = n,
				   .min_severity = SEV_INFO,
				   .fail_on = FAIL_ON_ERROR};
}

void report_findings_text(FILE *out, const struct finding_list *l)
{
	report_findings_text_style(out, l, NULL);
}

void report_findings_text_style(FILE *out, const struct finding_list *l,
				const struct report_text_style *style)
{
	struct report_model md;
	struct report_run r = one_model(&md, l);
	if (style) {
		r.color = style->color;
		r.min_severity = style->min_severity;
	}
	report_run_text(out, &r);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void report_findings_baseline_n(FILE *out, const struct finding_list *const *l,
				size_t n)
{
	fputs("# vpcsim baseline: one finding a line (rule|resource|key); "
	      "findings listed here are not reported.\n",
	      out);
	size_t total = 0, k = 0;
	for (size_t m = 0; m < n; m++)
		total += l[m]->n;
	const char **fp = xcalloc(total + 1, sizeof(*fp));
	for (size_t m = 0; m < n; m++)
		for (uint32_t i = 0; i < l[m]->n; i++)
			if (!l[m]->v[i].suppressed)
				fp[k++] = l[m]->v[i].fingerprint;
	/* Sorted and each once: the file does not change when findings
	 * move in the input, and reads well in a diff. */
	if (k)
		qsort(fp, k, sizeof(*fp), str_cmp);
	for (size_t i = 0; i < k; i++)
		if (!i || strcmp(fp[i], fp[i - 1]))
			fprintf(out, "%s\n", fp[i]);
	free(fp);
}

void report_findings_baseline(FILE *out, const struct finding_list *l)
{
	report_findings_baseline_n(out, &l, 1);
}

void report_rules_text(FILE *out, const struct rule_def *d, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		fprintf(out, "%s  %-7s  %-28s %s\n", d[i].id,
			severity_name(d[i].severity), d[i].name, d[i].title);
}

void report_rules_markdown(FILE *out, const struct rule_def *d, uint32_t n)
{
	fputs("# Built-in rules\n\n", out);
	fputs("Generated by `vpcsim rules --format markdown`; do not edit by "
	      "hand.\n\n",
	      out);
	fputs("Each rule has a stable id and name (both work with `--only` and "
	      "`--skip`,\nand in a resource's `suppress.rules`) and a default "
	      "severity. Exposure\nrules are backed by real reachability: a "
	      "finding names the path, and an\nintended public load balancer "
	      "is not a finding.\n\n",
	      out);
	fputs("The security-severity is what SARIF tells GitHub code scanning "
	      "(critical from\n9.0, high from 7.0, medium from 4.0, else low); "
	      "[check.md](check.md#sarif-output)\nsays why each rule has its "
	      "score.\n\n",
	      out);
	fputs("| id | name | severity | security-severity | title |\n", out);
	fputs("|----|------|----------|-------------------|-------|\n", out);
	for (uint32_t i = 0; i < n; i++)
		fprintf(out, "| %s | %s | %s | %s | %s |\n", d[i].id, d[i].name,
			severity_name(d[i].severity),
			rule_security_severity(d[i].id, d[i].severity),
			d[i].title);
	for (uint32_t i = 0; i < n; i++) {
		fprintf(out, "\n## %s %s\n\n", d[i].id, d[i].name);
		fprintf(out,
			"**%s** (default severity: %s; security-severity: "
			"%s)\n\n",
			d[i].title, severity_name(d[i].severity),
			rule_security_severity(d[i].id, d[i].severity));
		fprintf(out, "Why: %s\n\n", d[i].rationale);
		fprintf(out, "Fix: %s\n", d[i].fix);
	}
}

void report_rules_json(FILE *out, const struct rule_def *d, uint32_t n)
{
	struct json j;
	json_init(&j, out, true);
	json_begin_object(&j);
	json_key(&j, "rules");
	json_begin_array(&j);
	for (uint32_t i = 0; i < n; i++) {
		json_begin_object(&j);
		json_kv_string(&j, "id", d[i].id);
		json_kv_string(&j, "name", d[i].name);
		json_kv_string(&j, "severity", severity_name(d[i].severity));
		/* SARIF's security-severity (a CVSS-like score, 0.1-10.0)
		 * and tags, as code scanning gets them. */
		json_kv_string(&j, "security_severity",
			       rule_security_severity(d[i].id, d[i].severity));
		json_key(&j, "tags");
		json_begin_array(&j);
		for (const char *const *t = rule_tags(d[i].id); t && *t; t++)
			json_string(&j, *t);
		json_end_array(&j);
		json_kv_string(&j, "title", d[i].title);
		json_kv_string(&j, "rationale", d[i].rationale);
		json_kv_string(&j, "fix", d[i].fix);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}

static void json_summary(struct json *j, const uint32_t c[SEV_COUNT],
			 uint32_t sup, uint32_t base)
{
	json_begin_object(j);
	json_kv_int(j, "error", c[SEV_ERROR]);
	json_kv_int(j, "warning", c[SEV_WARNING]);
	json_kv_int(j, "info", c[SEV_INFO]);
	json_kv_int(j, "suppressed", sup);
	json_kv_int(j, "baselined", base);
	json_end_object(j);
}

void report_finding_json(struct json *j, const struct finding *f,
			 const char *model)
{
	json_begin_object(j);
	json_kv_string(j, "rule", f->rule_id);
	json_kv_string(j, "name", f->rule_name);
	json_kv_string(j, "severity", severity_name(f->severity));
	json_kv_string(j, "resource", f->resource);
	json_kv_string(j, "kind",
		       f->kind < MK_KIND_COUNT ? model_kind_name(f->kind)
					       : NULL);
	json_kv_string(j, "file", f->loc.file);
	json_kv_int(j, "line", f->loc.line);
	json_kv_int(j, "col", f->loc.col);
	json_kv_string(j, "message", f->message);
	json_key(j, "details");
	json_begin_array(j);
	for (uint32_t d = 0; d < f->n_details; d++)
		json_string(j, f->details[d]);
	json_end_array(j);
	json_kv_string(j, "fingerprint", f->fingerprint);
	json_kv_string(j, "suppressed", f->suppressed);
	json_kv_string(j, "model", model);
	json_end_object(j);
}

static bool json_shown(const struct finding *f, enum severity min)
{
	return !f->baselined && f->severity >= min;
}

/* What a model's summary counts: its findings shown. */
static void json_count(const struct finding_list *l, enum severity min,
		       uint32_t c[SEV_COUNT], uint32_t *sup, uint32_t *base)
{
	for (int k = 0; k < SEV_COUNT; k++)
		c[k] = 0;
	*sup = *base = 0;
	for (uint32_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		if (f->baselined)
			(*base)++;
		else if (f->severity < min)
			continue;
		else if (f->suppressed)
			(*sup)++;
		else
			c[f->severity]++;
	}
}

void report_run_json(FILE *out, const struct report_run *r)
{
	struct json j;
	json_init(&j, out, true);
	json_begin_object(&j);
	json_key(&j, "findings");
	json_begin_array(&j);
	for (size_t k = 0; k < r->n_models; k++) {
		const struct finding_list *l = r->models[k].findings;
		for (uint32_t i = 0; i < l->n; i++) {
			const struct finding *f = &l->v[i];
			if (!json_shown(f, r->min_severity))
				continue;
			report_finding_json(&j, f, r->models[k].name);
		}
	}
	json_end_array(&j);
	uint32_t total[SEV_COUNT] = {0}, tsup = 0, tbase = 0;
	json_key(&j, "models");
	json_begin_array(&j);
	for (size_t k = 0; k < r->n_models; k++) {
		const struct report_model *md = &r->models[k];
		uint32_t c[SEV_COUNT], sup, base;
		json_count(md->findings, r->min_severity, c, &sup, &base);
		for (int i = 0; i < SEV_COUNT; i++)
			total[i] += c[i];
		tsup += sup;
		tbase += base;
		json_begin_object(&j);
		json_kv_string(&j, "name", md->name);
		json_key(&j, "files");
		json_begin_array(&j);
		for (size_t i = 0; i < md->n_files; i++)
			json_string(&j, md->files[i]);
		json_end_array(&j);
		json_key(&j, "summary");
		json_summary(&j, c, sup, base);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_key(&j, "summary");
	json_summary(&j, total, tsup, tbase);
	json_end_object(&j);
	json_finish(&j);
}

void report_findings_json(FILE *out, const struct finding_list *l)
{
	struct report_model md;
	struct report_run r = one_model(&md, l);
	report_run_json(out, &r);
}
