/*
 * The configuration file, `.vpcsim.yaml` (docs/ci.md#configuration):
 * found from the current directory upwards, or named by --config FILE,
 * or not read with --no-config.  It gives what a team would otherwise
 * repeat on every command line: fail-on, severity, skip, only, policies,
 * baseline, parameters per template, and the directories a directory walk
 * ignores.  Precedence: the command line, then the file, then the
 * defaults; a list given on the command line replaces the file's.
 *
 * Read with the YAML kit (base/ykit.h): every mistake is an error at its
 * file:line:col, unknown keys and words with the closest one.  Paths in
 * the file are relative to its directory, and are kept that way joined to
 * it (struct cli_config), so the rest of the command line sees paths it
 * can open from the current directory.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/file.h"
#include "base/util.h"
#include "base/ydoc.h"
#include "base/ykit.h"
#include "cli/cli.h"
#include "rules/rules.h"

#define CONFIG_NAME ".vpcsim.yaml"

/* path relative to dir (unless absolute or dir is "."): heap. */
static char *join(const char *dir, const char *path)
{
	if (path[0] == '/' || !strcmp(dir, "."))
		return xstrdup(path);
	return xasprintf("%s/%s", dir, path);
}

/* The directory part of a path: "." for a bare name.  Heap. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(slash - path), path);
}

/* .vpcsim.yaml in the current directory or the nearest one above it, as
 * a path from here ("../../.vpcsim.yaml"); NULL when there is none. */
static char *find_config(void)
{
	char *rel = xstrdup(CONFIG_NAME);
	struct stat st, prev = {0};
	for (int depth = 0; depth < 64; depth++) {
		if (!stat(rel, &st) && S_ISREG(st.st_mode))
			return rel;
		/* Stop at the root: its parent is itself. */
		char *dir = dir_of(rel);
		struct stat here;
		int bad = stat(dir, &here);
		free(dir);
		if (bad || (depth && here.st_dev == prev.st_dev &&
			    here.st_ino == prev.st_ino))
			break;
		prev = here;
		char *up = xasprintf("../%s", rel);
		free(rel);
		rel = up;
	}
	free(rel);
	return NULL;
}

/* A scalar or a list of scalars into a heap array; paths joined to dir
 * when dir is not NULL. */
static char **read_list(struct ykit *R, const struct ydoc_node *n,
			const char *what, const char *dir, size_t *count)
{
	size_t len = n->type == YAML_SEQUENCE_NODE ? ykit_seq_len(n) : 1;
	char **v = xcalloc(len + 1, sizeof(*v));
	*count = 0;
	if (n->type != YAML_SEQUENCE_NODE) {
		const char *s = ykit_scalar(R, n, what);
		if (s)
			v[(*count)++] = dir ? join(dir, s) : xstrdup(s);
		return v;
	}
	struct ydoc_node *e;
	YKIT_SEQ_EACH(R->doc, n, e)
	{
		const char *s = ykit_scalar(R, e, what);
		if (s)
			v[(*count)++] = dir ? join(dir, s) : xstrdup(s);
	}
	return v;
}

/* A word of words[], or NULL after an error with the closest one. */
static const char *read_word(struct ykit *R, const struct ydoc_node *n,
			     const char *key, const char *const *words)
{
	const char *s = ykit_scalar(R, n, key);
	if (!s)
		return NULL;
	size_t k = 0;
	char list[128] = "";
	for (; words[k]; k++) {
		if (!strcmp(s, words[k]))
			return words[k];
		size_t len = strlen(list);
		snprintf(list + len, sizeof(list) - len, "%s%s", k ? ", " : "",
			 words[k]);
	}
	const char *near = util_closest(s, words, k);
	ykit_err(R, n, "%s must be one of %s, not '%s'%s%s%s", key, list, s,
		 near ? " (did you mean '" : "", near ? near : "",
		 near ? "'?)" : "");
	return NULL;
}

/* A rule of --skip or --only: a built-in rule's id or name. */
static void check_rules(struct ykit *R, const struct ydoc_node *n, char **v,
			size_t count)
{
	uint32_t nd;
	const struct rule_def *d = rules_builtin(&nd);
	const char **names = xcalloc(2 * (size_t)nd + 1, sizeof(*names));
	for (uint32_t i = 0; i < nd; i++) {
		names[2 * i] = d[i].id;
		names[2 * i + 1] = d[i].name;
	}
	for (size_t i = 0; i < count; i++) {
		if (rules_find(v[i]))
			continue;
		const struct ydoc_node *at = n->type == YAML_SEQUENCE_NODE
						 ? ykit_seq_item(R->doc, n, i)
						 : n;
		const char *near = util_closest(v[i], names, 2 * (size_t)nd);
		ykit_err(R, at,
			 "unknown rule '%s'%s%s%s; 'vpcsim rules' lists "
			 "them",
			 v[i], near ? " (did you mean '" : "", near ? near : "",
			 near ? "'?)" : "");
	}
	free(names);
}

/* parameters: {TEMPLATE: {NAME: VALUE, ...}, ...} */
static void read_parameters(struct cli_config *cfg, struct ykit *R,
			    const struct ydoc_node *n)
{
	if (n->type != YAML_MAPPING_NODE) {
		ykit_err(R, n,
			 "parameters must be a mapping of template files to "
			 "their parameters, not %s",
			 ykit_type_name(n));
		return;
	}
	size_t len =
	    (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	cfg->parameters = xcalloc(len + 1, sizeof(*cfg->parameters));
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
	     p < n->data.mapping.pairs.top; p++) {
		const struct ydoc_node *k = ykit_node(R->doc, p->key);
		const struct ydoc_node *v = ykit_node(R->doc, p->value);
		const char *tpl = ykit_scalar(R, k, "a template file");
		if (!tpl)
			continue;
		if (v->type != YAML_MAPPING_NODE) {
			ykit_err(R, v,
				 "the parameters of %s must be a mapping "
				 "NAME: VALUE, not %s",
				 tpl, ykit_type_name(v));
			continue;
		}
		struct cli_config_params *x =
		    &cfg->parameters[cfg->n_parameters++];
		x->template = join(cfg->dir, tpl);
		size_t np = (size_t)(v->data.mapping.pairs.top -
				     v->data.mapping.pairs.start);
		x->params = xcalloc(np + 1, sizeof(*x->params));
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
		     q < v->data.mapping.pairs.top; q++) {
			const char *name = ykit_scalar(
			    R, ykit_node(R->doc, q->key), "a parameter name");
			const char *val = ykit_scalar(
			    R, ykit_node(R->doc, q->value), "a value");
			if (name && val)
				x->params[x->n++] =
				    xasprintf("%s=%s", name, val);
		}
	}
}

static void read_root(struct cli_config *cfg, struct ykit *R,
		      const struct ydoc_node *root)
{
	static const char *const keys[] = {
	    "fail-on",	"severity", "skip",   "only",
	    "policies", "baseline", "ignore", "parameters",
	};
	static const char *const fail_on[] = {"error", "warning", "info",
					      "never", NULL};
	static const char *const severity[] = {"info", "warning", "error",
					       NULL};
	struct ydoc_node *v[ARRAY_LEN(keys)];
	if (!ykit_take_keys(R, root, "the configuration", keys, ARRAY_LEN(keys),
			    v, NULL))
		return;
	if (v[0])
		cfg->fail_on = read_word(R, v[0], "fail-on", fail_on);
	if (v[1])
		cfg->severity = read_word(R, v[1], "severity", severity);
	if (v[2]) {
		cfg->skip = read_list(R, v[2], "a rule", NULL, &cfg->n_skip);
		check_rules(R, v[2], cfg->skip, cfg->n_skip);
	}
	if (v[3]) {
		cfg->only = read_list(R, v[3], "a rule", NULL, &cfg->n_only);
		check_rules(R, v[3], cfg->only, cfg->n_only);
	}
	if (v[4])
		cfg->policies =
		    read_list(R, v[4], "a file", cfg->dir, &cfg->n_policies);
	if (v[5]) {
		const char *b = ykit_scalar(R, v[5], "baseline");
		if (b)
			cfg->baseline = join(cfg->dir, b);
	}
	if (v[6])
		cfg->ignore =
		    read_list(R, v[6], "a directory", NULL, &cfg->n_ignore);
	if (v[7])
		read_parameters(cfg, R, v[7]);
}

int cli_config_load(struct cli_config *cfg, const struct cli *c)
{
	memset(cfg, 0, sizeof(*cfg));
	if (c->no_config)
		return 0;
	char *found = c->config ? xstrdup(c->config) : find_config();
	if (!found)
		return 0;
	cfg->path = found;
	cfg->dir = dir_of(found);
	struct diag_list d = DIAG_LIST_INIT;
	char *buf = NULL;
	size_t len = 0;
	struct ydoc doc;
	bool parsed = false;
	if (file_read_text(&buf, &len, found, &d) ||
	    ydoc_parse(&doc, found, buf, len, &d))
		goto out;
	parsed = true;
	struct ydoc_node *root = ydoc_root(&doc);
	struct ykit R;
	ykit_init(&R, &doc, found, &d);
	if (root && !ykit_is_null(root))
		read_root(cfg, &R, root);
	ykit_fini(&R);
out:
	if (parsed)
		ydoc_free(&doc);
	free(buf);
	cli_print_diags(c, &d);
	int rc = d.n_errors ? EXIT_INPUT : 0;
	diag_list_free(&d);
	return rc;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void cli_config_free(struct cli_config *cfg)
{
	if (!cfg)
		return;
	free(cfg->path);
	free(cfg->dir);
	free_list(cfg->skip, cfg->n_skip);
	free_list(cfg->only, cfg->n_only);
	free_list(cfg->policies, cfg->n_policies);
	free_list(cfg->ignore, cfg->n_ignore);
	free(cfg->baseline);
	for (size_t i = 0; i < cfg->n_parameters; i++) {
		free(cfg->parameters[i].template);
		free_list(cfg->parameters[i].params, cfg->parameters[i].n);
	}
	free(cfg->parameters);
	memset(cfg, 0, sizeof(*cfg));
}

bool cli_config_ignores(const struct cli_config *cfg, const char *dir)
{
	const char *base = strrchr(dir, '/');
	base = base ? base + 1 : dir;
	for (size_t i = 0; i < cfg->n_ignore; i++) {
		const char *e = cfg->ignore[i];
		if (!strchr(e, '/')) {
			if (!strcmp(base, e))
				return true;
			continue;
		}
		char *p = join(cfg->dir, e);
		/* Trailing slashes name the same directory. */
		size_t n = strlen(p);
		while (n > 1 && p[n - 1] == '/')
			p[--n] = '\0';
		bool same = !strcmp(p, dir) || file_same(p, dir);
		free(p);
		if (same)
			return true;
	}
	return false;
}
