/* `vpcsim show MODEL... [--format text|json]`: the normalised model. */
#include "cli/cli.h"
#include "report/report.h"

static int run_show(struct cli *c)
{
	if (!c->n_operands)
		return cli_usage_error("usage: vpcsim show [OPTIONS] MODEL...; "
				       "see 'vpcsim show --help'");
	struct model *m = cli_load_operands(c, NULL);
	if (!m)
		return EXIT_INPUT;
	struct cli_out o;
	int rc = cli_out_open(&o, c, c->format == 0);
	if (!rc) {
		if (c->format == 1)
			report_show_json(o.f, m);
		else
			report_show_text(o.f, m);
		rc = cli_out_close(&o);
	}
	model_free(m);
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
	"The JSON is described in docs/show-json.md.",
    .formats = (const char *const[]){"text", "json", NULL},
    .models = true,
    .examples = (const char *const[]){"vpcsim show scenarios/three-tier.yaml",
				      "vpcsim show -f json - < "
				      "scenarios/three-tier.yaml",
				      NULL},
    .run = run_show,
};
