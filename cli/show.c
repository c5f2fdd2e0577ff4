/* `vpcsim show MODEL [--format text|json]` */
#include <string.h>

#include "base/util.h"
#include "cli/cli.h"
#include "report/report.h"

int cmd_show(int argc, char **argv)
{
	enum { SHOW_TEXT, SHOW_JSON };
	static const char *const formats[] = {
	    [SHOW_TEXT] = "text", [SHOW_JSON] = "json"};
	const char *paths[16];
	int n_paths = 0;
	int format = SHOW_TEXT;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--format")) {
			if (++i == argc)
				return cli_usage_error(
				    "--format needs a value");
			format = cli_choice("--format", argv[i], formats,
					    ARRAY_LEN(formats));
			if (format < 0)
				return EXIT_INPUT;
		} else if (!strncmp(argv[i], "--format=", 9)) {
			format = cli_choice("--format", argv[i] + 9, formats,
					    ARRAY_LEN(formats));
			if (format < 0)
				return EXIT_INPUT;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("show: unknown option '%s'",
					       argv[i]);
		} else if (n_paths == 16) {
			return cli_usage_error("show takes at most 16 MODEL "
					       "files");
		} else {
			paths[n_paths++] = argv[i];
		}
	}
	if (!n_paths)
		return cli_usage_error("usage: vpcsim show MODEL... [--format "
				       "text|json]");
	struct model *m = cli_load_paths(paths, n_paths);
	if (!m)
		return EXIT_INPUT;
	if (format == SHOW_JSON)
		report_show_json(stdout, m);
	else
		report_show_text(stdout, m);
	model_free(m);
	return EXIT_CLEAN;
}
