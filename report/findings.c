/*
 * `vpcsim check` output in text and JSON (docs/check.md).  Text is
 * compiler-style so editors and CI annotate the line:
 *   file:line:col: severity: [RULE] message
 * with the path or blocking step indented under it.  Suppressed findings
 * are shown with their reason and never counted; baselined ones are not
 * shown.
 */
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

void report_findings_text(FILE *out, const struct finding_list *l)
{
	for (uint32_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		if (f->baselined)
			continue;
		if (f->loc.line)
			fprintf(out, "%s:%u:%u: ", f->loc.file, f->loc.line,
				f->loc.col);
		else
			fprintf(out, "%s: ", f->loc.file ? f->loc.file : "-");
		fprintf(out, "%s: [%s] %s", severity_name(f->severity),
			f->rule_id, f->message);
		if (f->suppressed)
			fprintf(out, " (suppressed: %s)", f->suppressed);
		fputc('\n', out);
		for (uint32_t k = 0; k < f->n_details; k++)
			fprintf(out, "    %s\n", f->details[k]);
	}
	uint32_t c[SEV_COUNT], sup, base;
	report_findings_count(l, c, &sup, &base);
	fprintf(out, "%u error%s, %u warning%s, %u info", c[SEV_ERROR],
		c[SEV_ERROR] == 1 ? "" : "s", c[SEV_WARNING],
		c[SEV_WARNING] == 1 ? "" : "s", c[SEV_INFO]);
	if (sup)
		fprintf(out, ", %u suppressed", sup);
	if (base)
		fprintf(out, ", %u in the baseline", base);
	fputc('\n', out);
}

void report_findings_json(FILE *out, const struct finding_list *l)
{
	struct json j;
	json_init(&j, out, true);
	json_begin_object(&j);
	json_key(&j, "findings");
	json_begin_array(&j);
	for (uint32_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		if (f->baselined)
			continue;
		json_begin_object(&j);
		json_kv_string(&j, "rule", f->rule_id);
		json_kv_string(&j, "name", f->rule_name);
		json_kv_string(&j, "severity", severity_name(f->severity));
		json_kv_string(&j, "resource", f->resource);
		json_kv_string(
		    &j, "kind",
		    f->kind < MK_KIND_COUNT ? model_kind_name(f->kind) : NULL);
		json_kv_string(&j, "file", f->loc.file);
		json_kv_int(&j, "line", f->loc.line);
		json_kv_int(&j, "col", f->loc.col);
		json_kv_string(&j, "message", f->message);
		json_key(&j, "details");
		json_begin_array(&j);
		for (uint32_t k = 0; k < f->n_details; k++)
			json_string(&j, f->details[k]);
		json_end_array(&j);
		json_kv_string(&j, "fingerprint", f->fingerprint);
		json_kv_string(&j, "suppressed", f->suppressed);
		json_end_object(&j);
	}
	json_end_array(&j);
	uint32_t c[SEV_COUNT], sup, base;
	report_findings_count(l, c, &sup, &base);
	json_key(&j, "summary");
	json_begin_object(&j);
	json_kv_int(&j, "error", c[SEV_ERROR]);
	json_kv_int(&j, "warning", c[SEV_WARNING]);
	json_kv_int(&j, "info", c[SEV_INFO]);
	json_kv_int(&j, "suppressed", sup);
	json_kv_int(&j, "baselined", base);
	json_end_object(&j);
	json_end_object(&j);
	json_finish(&j);
}
