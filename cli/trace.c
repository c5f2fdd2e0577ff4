/*
 * `vpcsim trace` and `vpcsim reach`: one question, src -> dst, for a flow
 * or for every port the destination serves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "model/util.h"
#include "report/report.h"
#include "sim/sim.h"

#define MAX_PORTS 64

struct args {
	const char *models[16];
	int n_models;
	const char *from, *to;
	int proto; /* -1: not given */
	long port; /* -1: not given */
	int format;
};

static int parse_args(struct args *a, int argc, char **argv, const char *cmd)
{
	static const char *const formats[] = {"text", "json"};
	static const char *const protos[] = {"tcp", "udp", "icmp", "all"};
	memset(a, 0, sizeof(*a));
	a->proto = -1;
	a->port = -1;
	for (int i = 0; i < argc; i++) {
		const char *opt = argv[i], *val = NULL;
		char name[32];
		if (opt[0] == '-' && opt[1] == '-') {
			const char *eq = strchr(opt, '=');
			size_t len = eq ? (size_t)(eq - opt) : strlen(opt);
			if (len >= sizeof(name))
				len = sizeof(name) - 1;
			memcpy(name, opt, len);
			name[len] = '\0';
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				return cli_usage_error("%s: %s needs a value",
				                       cmd, name);
			if (!strcmp(name, "--from"))
				a->from = val;
			else if (!strcmp(name, "--to"))
				a->to = val;
			else if (!strcmp(name, "--format")) {
				a->format = cli_choice("--format", val, formats,
				                       2);
				if (a->format < 0)
					return EXIT_INPUT;
			} else if (!strcmp(name, "--proto")) {
				a->proto = cli_choice("--proto", val, protos, 4);
				if (a->proto < 0)
					return EXIT_INPUT;
			} else if (!strcmp(name, "--port")) {
				char *end;
				a->port = strtol(val, &end, 10);
				if (!*val || *end || a->port < 0 ||
				    a->port > 65535)
					return cli_usage_error(
						"%s: --port must be a number "
						"0-65535, not '%s'",
						cmd, val);
			} else {
				static const char *const opts[] = {
					"--from", "--to", "--format", "--proto",
					"--port"};
				const char *near = util_closest(name, opts, 5);
				return cli_usage_error(
					"%s: unknown option '%s'%s%s%s", cmd,
					name, near ? " (did you mean '" : "",
					near ? near : "", near ? "'?)" : "");
			}
		} else if (a->n_models == 16) {
			return cli_usage_error("%s takes at most 16 MODEL files",
			                       cmd);
		} else {
			a->models[a->n_models++] = opt;
		}
	}
	if (!a->n_models || !a->from || !a->to)
		return cli_usage_error("usage: vpcsim %s MODEL... --from SEL --to "
		                       "SEL [--proto tcp|udp|icmp|all] [--port "
		                       "N] [--format text|json]",
		                       cmd);
	return 0;
}

static int run(int argc, char **argv, bool is_trace)
{
	const char *cmd = is_trace ? "trace" : "reach";
	struct args a;
	int rc = parse_args(&a, argc, argv, cmd);
	if (rc)
		return rc;
	struct model *m = cli_load_paths(a.models, a.n_models);
	if (!m)
		return EXIT_INPUT;
	struct sim *s = NULL;
	struct sim_answer answers[MAX_PORTS];
	uint32_t n = 0;
	char err[512], note[512] = "";
	struct sim_sel src, dst;
	rc = EXIT_INPUT;
	sim_new(&s, m);
	if (sim_sel_parse(&src, s, a.from, err, sizeof(err)) ||
	    sim_sel_parse(&dst, s, a.to, err, sizeof(err))) {
		cli_usage_error("%s", err);
		goto out;
	}
	if (src.kind == SEL_SERVICE ||
	    ((src.kind == SEL_INTERNET) &&
	     (dst.kind == SEL_INTERNET || dst.kind == SEL_SERVICE))) {
		cli_usage_error("%s: connections must start or end in a VPC, "
		                "and AWS services are destinations only",
		                cmd);
		goto out;
	}
	struct sim_flow flows[MAX_PORTS];
	uint32_t nf = 0;
	enum proto protos[] = {PROTO_TCP, PROTO_UDP, PROTO_ICMP, PROTO_ALL};
	if (a.proto == 3) {
		flows[nf++] = (struct sim_flow){PROTO_ALL, 0};
	} else if (a.port >= 0) {
		flows[nf++] = (struct sim_flow){
			a.proto >= 0 ? protos[a.proto] : PROTO_TCP,
			(uint16_t)a.port};
	} else if (a.proto == 2) {
		flows[nf++] = (struct sim_flow){PROTO_ICMP, 8};
		snprintf(note, sizeof(note), "icmp echo request (type 8)");
	} else {
		uint32_t nd;
		struct sim_ep *eps = sim_sel_endpoints(s, &dst, &nd);
		if (nd)
			sim_service_ports(s, &eps[0], flows, MAX_PORTS, &nf);
		free(eps);
		if (a.proto >= 0) {
			uint32_t k = 0;
			for (uint32_t i = 0; i < nf; i++)
				if (flows[i].proto == protos[a.proto])
					flows[k++] = flows[i];
			nf = k;
		}
		if (!nf) {
			cli_usage_error("%s: %s serves no port the model "
			                "knows of; give --port",
			                cmd, dst.name);
			goto out;
		}
		size_t off = (size_t)snprintf(note, sizeof(note),
		                              "the service ports of %s:",
		                              dst.name);
		for (uint32_t i = 0; i < nf && off < sizeof(note); i++)
			off += (size_t)snprintf(note + off, sizeof(note) - off,
			                        "%s %s %u", i ? "," : "",
			                        proto_name(flows[i].proto),
			                        flows[i].port);
	}
	for (uint32_t i = 0; i < nf; i++)
		sim_answer(&answers[n++], s, &src, &dst, flows[i], true);
	if (is_trace && a.format == 1)
		report_trace_json(stdout, s, &src, &dst, answers, n);
	else if (is_trace) {
		if (*note)
			printf("ports asked: %s\n\n", note);
		report_trace_text(stdout, s, &src, &dst, answers, n);
	} else if (a.format == 1)
		report_reach_json(stdout, s, &src, &dst, answers, n,
		                  *note ? note : NULL);
	else
		report_reach_text(stdout, s, &src, &dst, answers, n,
		                  *note ? note : NULL);
	rc = EXIT_CLEAN;
out:
	for (uint32_t i = 0; i < n; i++)
		sim_answer_free(&answers[i]);
	sim_free(s);
	model_free(m);
	return rc;
}

int cmd_trace(int argc, char **argv)
{
	return run(argc, argv, true);
}

int cmd_reach(int argc, char **argv)
{
	return run(argc, argv, false);
}
