/*
 * `vpcsim show MODEL... [--format text|json]`: the normalised model of
 * every model of the operands (files, directories).  With several, each
 * has a header in text, and the JSON is {"models": [{"name", "files",
 * "model"}]} where model is what `show` gives for one (docs/show-json.md).
 */
#include "cli/cli.h"
#include "report/json.h"
#include "report/report.h"

/* The JSON entry of one model of several: its name and files, then the
 * model's own document. */
static void json_entry(FILE *f, const struct cli_model *x, bool first)
{
	struct json j;
	fprintf(f, "%s    {\"name\": ", first ? "" : ",\n");
	json_init(&j, f, false);
	json_string(&j, x->name);
	fputs(", \"files\": ", f);
	json_init(&j, f, false);
	json_begin_array(&j);
	for (size_t i = 0; i < x->n_files; i++)
		json_string(&j, x->files[i]);
	json_end_array(&j);
	fputs(", \"model\":\n", f);
	report_show_json(f, x->m);
	fputs("    }", f);
}

static int run_show(struct cli *c)
{
	if (!c->n_operands)
		return cli_usage_error("usage: vpcsim show [OPTIONS] MODEL...; "
				       "see 'vpcsim show --help'");
	struct cli_models ms;
	int rc = cli_models_load(&ms, c, c->operands, c->n_operands, false);
	if (rc) {
		cli_models_free(&ms);
		return rc;
	}
	struct cli_out o;
	rc = cli_out_open(&o, c, c->format == 0);
	if (!rc) {
		bool multi = ms.n > 1;
		if (multi && c->format == 1)
			fputs("{\n  \"models\": [\n", o.f);
		for (size_t k = 0; k < ms.n; k++) {
			const struct cli_model *x = &ms.v[k];
			if (multi && c->format == 1) {
				json_entry(o.f, x, k == 0);
				continue;
			}
			if (multi) {
				fprintf(o.f, "%s== %s", k ? "\n" : "", x->name);
				for (size_t i = 1; i < x->n_files; i++)
					fprintf(o.f, ", %s", x->files[i]);
				fputs(" ==\n", o.f);
			}
			if (c->format == 1)
				report_show_json(o.f, x->m);
			else
				report_show_text(o.f, x->m);
		}
		if (multi && c->format == 1)
			fputs("\n  ]\n}\n", o.f);
		rc = cli_out_close(&o);
	}
	cli_models_free(&ms);
	return rc;
}

const struct cli_cmd cli_cmd_show = {
    .name = "show",
    .synopsis = "MODEL...",
    .summary = "print the model as vpcsim understands it",
    .description =
	"Prints the model after normalisation: the implicit route tables and "
	"network ACLs, the defaults AWS applies, each subnet public or "
	"private and why, and every address vpcsim computed for a placement. "
	"MODEL may be a directory: every model in it is shown, each under a "
	"header. The JSON is described in docs/show-json.md.",
    .formats = (const char *const[]){"text", "json", NULL},
    .models = true,
    .examples = (const char *const[]){"vpcsim show scenarios/three-tier.yaml",
				      "vpcsim show -f json - < "
				      "scenarios/three-tier.yaml",
				      NULL},
    .run = run_show,
};
