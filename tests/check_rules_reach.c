/*
 * Tests for the reachability rules (rules/reach_rules.c): VS001-VS007,
 * VS017 and VS019 on the scenarios of scenarios/.
 *
 * Every rule is tested both ways: a row of `fires` names a scenario, the
 * rule, the resource the finding must be about, its severity, parts its
 * message must contain and one detail line it must hold (the path or the
 * blocking step); a row of `quiet` names a scenario and a resource (or
 * NULL: any) on which the rule must say nothing.  The expectations come
 * from docs/network-semantics.md and the scenarios' own comments, not
 * from what the rules printed.  The canonical scenario must give no error
 * or warning from any of these rules: an intended public ALB is not a
 * finding.
 *
 * Each row loads its scenario, runs only its rule through rules_run, and
 * frees everything (the suite also runs under ASan and LSan with
 * CK_FORK=no).  Tests run from the repository root.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/load.h"
#include "model/model.h"
#include "rules/rules.h"
#include "rules/rules_impl.h"

static struct model *load(const char *file)
{
	char path[256];
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	/* A bare name is a scenario; a path is the repository's. */
	snprintf(path, sizeof(path), "%s%s",
		 strchr(file, '/') ? "" : "scenarios/", file);
	int rc = model_load_file(&m, path, &d);
	if (rc)
		diag_print(stderr, &d);
	diag_list_free(&d);
	ck_assert_msg(rc == 0 && m, "%s does not load", path);
	return m;
}

/* Runs one rule (or every rule when only is NULL) over m into out. */
static void run(struct finding_list *out, const struct model *m,
		const char *only)
{
	const char *v[1] = {only};
	struct rule_options opt = {v, only ? 1 : 0, NULL, 0};
	memset(out, 0, sizeof(*out));
	rules_run(out, m, &opt);
}

static bool is_reach_rule(const char *id)
{
	uint32_t n;
	const struct rule_def *d = rules_reach_defs(&n);
	for (uint32_t i = 0; i < n; i++)
		if (!strcmp(d[i].id, id))
			return true;
	return false;
}

static const struct finding *find(const struct finding_list *l,
				  const char *rule, const char *resource,
				  const char *key)
{
	for (uint32_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];
		if (strcmp(f->rule_id, rule) ||
		    (resource &&
		     (!f->resource || strcmp(f->resource, resource))))
			continue;
		if (key && !strstr(f->fingerprint, key))
			continue;
		return f;
	}
	return NULL;
}

static bool has_detail(const struct finding *f, const char *part)
{
	for (uint32_t k = 0; k < f->n_details; k++)
		if (strstr(f->details[k], part))
			return true;
	return false;
}

/* Prints a finding, for failure messages. */
static void dump(const struct finding_list *l)
{
	for (uint32_t i = 0; i < l->n; i++) {
		fprintf(stderr, "  %s %s %s: %s\n", l->v[i].rule_id,
			severity_name(l->v[i].severity),
			l->v[i].resource ? l->v[i].resource : "-",
			l->v[i].message);
		for (uint32_t k = 0; k < l->v[i].n_details; k++)
			fprintf(stderr, "      %s\n", l->v[i].details[k]);
	}
}

/* ---- the rules fire ---------------------------------------------------- */

struct fires {
	const char *file, *rule, *resource;
	enum severity sev;
	const char *msg[4]; /* parts of the message, NULL-terminated */
	const char *detail; /* part of some detail line, or NULL */
	const char *key;    /* part of the fingerprint, or NULL */
};

static const struct fires fires[] = {
    /* VS001: §6 in full; the path and the rule that admits are quoted. */
    {"db-public-open.yaml",
     "VS001",
     "db",
     SEV_ERROR,
     {"database db is reachable from the internet", "tcp 3306",
      "from anywhere"},
     "internet -> db@public-a (10.0.1.6): tcp 3306",
     "VS001|db|tcp:3306"},
    {"db-public-open.yaml",
     "VS001",
     "db",
     SEV_ERROR,
     {"database db"},
     "security group db-sg, ingress rule 2 (tcp 3306 from 0.0.0.0/0): "
     "allowed",
     NULL},
    /* §13: one hop through a load balancer that forwards to it. */
    {"rules-db-behind-nlb.yaml",
     "VS001",
     "db",
     SEV_ERROR,
     {"database db is reachable from the internet on port 3306",
      "through load balancer db-nlb", "listener tcp 3306, from anywhere"},
     "db-nlb@public-a (10.0.1.6) -> db@private-a (10.0.2.5): tcp 3306, "
     "forwarded by target group db-tg",
     "via:db-nlb:3306"},
    {"rules-db-behind-nlb.yaml",
     "VS001",
     "db",
     SEV_ERROR,
     {"db-nlb"},
     "security group db-nlb-sg, ingress rule 1 (tcp 3306 from 0.0.0.0/0)",
     NULL},

    /* VS002: the flag alone is latent (§10), said differently. */
    {"db-public-flag-private.yaml",
     "VS002",
     "db",
     SEV_WARNING,
     {"latent exposure: database db is marked publicly accessible",
      "does not reach it on tcp 3306 today", "its subnet private-a is private",
      "one route away"},
     "internet -> db@private-a (10.0.2.5): tcp 3306 blocked at route",
     NULL},
    {"db-public-open.yaml",
     "VS002",
     "db-replica",
     SEV_WARNING,
     {"latent exposure: database db-replica is placed in public subnet "
      "public-b",
      "it has no public address", "one public address away"},
     "blocked at no-public-ip",
     NULL},

    /* VS003: targets reachable around the load balancer. */
    {"tasks-public.yaml",
     "VS003",
     "web",
     SEV_ERROR,
     {"ECS service web is a target of load balancer alb (target group "
      "web-tg)",
      "reaches it directly on tcp 3000 from anywhere",
      "around the load balancer"},
     "internet -> web@public-a (10.0.1.6): tcp 3000",
     "VS003|web|tcp:3000"},

    /* Only the port the load balancer forwards to is a bypass. */
    {"rules-admin-ranges.yaml",
     "VS003",
     "app",
     SEV_ERROR,
     {"instance app is a target of load balancer nlb (target group "
      "app-tg)",
      "directly on tcp 8080 from anywhere"},
     "security group app-sg, ingress rule 1 (tcp 8080 from 0.0.0.0/0)",
     "VS003|app|tcp:8080"},

    /* VS004: SSH on instances; the blackholed range is not a source. */
    {"eip-instance.yaml",
     "VS004",
     "bastion",
     SEV_ERROR,
     {"instance bastion is reachable from the internet on administrative "
      "port tcp 22 (SSH)",
      "from anywhere except 192.0.2.0/24"},
     "internet -> bastion@pub-a (10.50.1.4): tcp 22",
     "tcp:22"},
    {"eip-instance.yaml",
     "VS004",
     "both",
     SEV_ERROR,
     {"tcp 22 (SSH)"},
     "security group bastion-sg, ingress rule 1",
     NULL},

    /* Sources are per port; half the internet is the internet. */
    {"rules-admin-ranges.yaml",
     "VS004",
     "win",
     SEV_ERROR,
     {"administrative ports tcp 22 (SSH) from anywhere and tcp 3389 (RDP) "
      "from 0.0.0.0/1 and udp 3389 (RDP) from anywhere"},
     "internet (1.0.0.0) -> win@pub-a (10.80.1.5): tcp 3389",
     "tcp:22, 3389;udp:3389"},
    {"rules-admin-ranges.yaml",
     "VS004",
     "pg",
     SEV_ERROR,
     {"instance pg", "tcp 5432 (PostgreSQL) from anywhere"},
     "security group pg-sg, ingress rule 1 (tcp 5432 from 0.0.0.0/0)",
     NULL},

    /* VS005: all paths fail, or one AZ only (§8). */
    {"targets-sg-wrong.yaml",
     "VS005",
     "alb",
     SEV_ERROR,
     {"load balancer alb cannot reach its targets in target group web-tg "
      "on tcp 3000",
      "none of its 4 node-to-target paths works", "sg-ingress at web-sg"},
     "alb@public-a (10.0.1.5) -> web@private-a (10.0.2.4): tcp 3000 "
     "blocked at sg-ingress",
     "VS005|alb|web-tg"},
    {"nacl-partial-ephemeral.yaml",
     "VS005",
     "alb",
     SEV_ERROR,
     {"from some placements only (2 of 4 node-to-target paths work)",
      "works in one AZ only (us-east-1a)", "only targets in us-east-1a"},
     "web@private-b (10.0.4.4): tcp 3000 blocked at nacl-reply-out",
     NULL},
    {"nacl-drops-alb-replies.yaml",
     "VS005",
     "alb",
     SEV_ERROR,
     {"none of its 4 node-to-target paths works",
      "nacl-reply-out at private-nacl"},
     "replies reach the client on only 1 of 64512 ephemeral ports",
     NULL},
    /* NLB: the health check is refused by a rule naming the clients;
     * cross-zone off leaves a node without a target. */
    {"nlb-client-ip.yaml",
     "VS005",
     "nlb",
     SEV_ERROR,
     {"target group hc-tg", "sg-ingress at hc-sg"},
     "(health check) blocked at sg-ingress",
     "hc-tg"},
    {"nlb-client-ip.yaml",
     "VS005",
     "nlb",
     SEV_ERROR,
     {"target group zonal-tg", "works in one AZ only (us-east-1a)",
      "only nodes in us-east-1a"},
     "has no target in its availability zone (us-east-1b)",
     "zonal-tg"},

    /* VS006: every pair blocked is an error, at the rule's group. */
    {"targets-sg-wrong.yaml",
     "VS006",
     "alb-sg",
     SEV_ERROR,
     {"intended flow alb-sg -> web-sg on tcp 3000",
      "(egress rule 1 of alb-sg, line 70)",
      "blocked for every placement pair (4)", "sg-ingress at web-sg"},
     "closest: ingress rule 1 (tcp 3000 from group web-sg) of web-sg",
     "VS006|alb-sg|egress:tcp:3000:sg=web-sg"},
    /* Some pairs blocked, some degraded (§5): a warning with the port
     * counts. */
    {"nacl-partial-ephemeral.yaml",
     "VS006",
     "web-sg",
     SEV_WARNING,
     {"intended flow alb-sg -> web-sg on tcp 3000 (ingress rule 1 of web-sg",
      "also egress rule 1 of alb-sg", "blocked for 2 of 4 placement pairs",
      "degraded for 2 pairs: replies reach the client on only 32768 of "
      "64512 ephemeral ports (31744 fail)"},
     "alb@public-a (10.0.1.5) -> web@private-a (10.0.2.4): tcp 3000 "
     "reachable, degraded",
     "VS006|web-sg|ingress:tcp:3000:sg=alb-sg"},
    {"nacl-deny-port-hits-replies.yaml",
     "VS006",
     "db-sg",
     SEV_WARNING,
     {"intended flow web-sg -> db-sg on tcp 3306",
      "blocked for 1 of 4 placement pairs: nacl-in at private-b-nacl",
      "64511 of 64512 ephemeral ports (1 fail)"},
     "inbound rule 50 (deny tcp 3306 from 0.0.0.0/0)",
     NULL},
    {"nacl-drops-alb-replies.yaml",
     "VS006",
     "web-sg",
     SEV_ERROR,
     {"blocked for every placement pair (4): nacl-reply-out at "
      "private-nacl"},
     NULL,
     NULL},

    /* VS007: image pull and logs (§9). */
    {"no-egress.yaml",
     "VS007",
     "web",
     SEV_ERROR,
     {"ECS service web cannot reach aws:ecr, aws:s3 and aws:logs on tcp "
      "443 from any placement",
      "cannot pull their image or ship their logs", "no-route at private-a-rt",
      "no NAT gateway, no public address"},
     "web@private-a (10.0.2.4) -> aws:ecr: tcp 443 blocked at no-route",
     "aws:ecr,aws:s3,aws:logs"},
    {"nat-in-private-subnet.yaml",
     "VS007",
     "web",
     SEV_ERROR,
     {"nat-not-public at nat-a", "the NAT gateway cannot reach the "
				 "internet"},
     "NAT gateway nat-a sits in subnet private-a, which is private",
     NULL},
    {"nat-removed-blackhole.yaml",
     "VS007",
     "web",
     SEV_ERROR,
     {"when placed in private-a", "blackhole at private-a-rt"},
     NULL,
     NULL},
    {"endpoints.yaml",
     "VS007",
     "batch",
     SEV_ERROR,
     {"aws:ecr, aws:logs: sg-ingress at endpoint-sg",
      "aws:s3: no-route at batch-rt"},
     "batch@batch-a (10.30.3.4) -> aws:s3: tcp 443 blocked at no-route",
     NULL},

    /* VS005, §8: a target group without targets answers 503; the load
     * balancer is still reached, so this is information, not an error. */
    {"lb-empty-target-group.yaml",
     "VS005",
     "alb",
     SEV_INFO,
     {"load balancer alb forwards to target group app-tg, which has no "
      "target"},
     "the load balancer is still reached",
     "app-tg"},
    /* VS005: an NLB without a group, its client's address preserved:
     * the targets admit the nodes (health check) but not the internet
     * client (§4, §8). */
    {"nlb-group-reference.yaml",
     "VS005",
     "nlb-bare",
     SEV_ERROR,
     {"target group bare-vpc-tg", "sg-ingress at vpc-sg"},
     "from 198.51.100.7 (the client's address, preserved)",
     "bare-vpc-tg"},
    /* VS001 through an NLB that preserves the client's address: the hop
     * quotes the client's own connection to the database. */
    {"rules-db-behind-nlb-preserved.yaml",
     "VS001",
     "db",
     SEV_ERROR,
     {"database db is reachable from the internet", "through load "
						    "balancer db-nlb"},
     "the target sees the client's address (client IP preservation)",
     NULL},

    /* VS019, §8: a target in a zone the load balancer does not enable. */
    {"lb-target-zone-disabled.yaml",
     "VS019",
     "web-3",
     SEV_WARNING,
     {"instance web-3 is a target of load balancer alb (target group "
      "web-tg) in us-east-1c (subnet private-c)",
      "receives no traffic"},
     "load balancer alb has nodes in us-east-1a, us-east-1b only",
     "alb:web-tg"},
    {"lb-target-zone-disabled.yaml",
     "VS019",
     "api-1",
     SEV_WARNING,
     {"load balancer nlb", "us-east-1b (subnet private-b)"},
     "has nodes in us-east-1a only",
     "nlb:api-tg"},

    /* VS017: open groups the internet cannot use today. */
    {"db-public-flag-private.yaml",
     "VS017",
     "db-sg",
     SEV_INFO,
     {"security group db-sg admits 0.0.0.0/0 on tcp 3306 (ingress rule 2, "
      "line 83)",
      "cannot reach database db and database db-replica",
      "not an exposure today, one route away from being one"},
     "kept out by: its subnet private-a is private",
     "ingress:tcp:3306:0.0.0.0/0"},
    {"internal-alb.yaml",
     "VS017",
     "alb-sg",
     SEV_INFO,
     {"load balancer alb", "one scheme change (internet-facing) away"},
     "blocked at no-public-ip",
     "ingress:tcp:80:0.0.0.0/0"},
    {"no-igw.yaml",
     "VS017",
     "box-sg",
     SEV_INFO,
     {"instance box", "2 changes away from being one"},
     "VPC closed has no internet gateway",
     NULL},
    {"eip-instance.yaml",
     "VS017",
     "bastion-sg",
     SEV_INFO,
     {"instance nopub and instance inner", "one public address away"},
     NULL,
     NULL},
    /* Exposure over IPv6 is said separately (§2, §6): a database IPv4
     * protects and IPv6 exposes is VS001, not a latent risk. */
    {"ipv6-db-exposed.yaml",
     "VS001",
     "db",
     SEV_ERROR,
     {"database db is reachable from the internet over IPv6 on tcp 5432",
      "from anywhere"},
     "security group db-sg, ingress rule 2 (tcp 5432 from ::/0): allowed",
     "ipv6;tcp:5432"},
    {"ipv6-dual-stack.yaml",
     "VS004",
     "jump",
     SEV_ERROR,
     {"instance jump is reachable from the internet over IPv6 on "
      "administrative port tcp 22 (SSH) from anywhere"},
     "internet6 -> jump@public-b (2001:db8:5000:2::4): tcp 22",
     "ipv6;tcp:22"},
    /* ::/0 kept out by an egress-only gateway, and by a NACL without
     * IPv6 rules: the engine's blocking step is quoted. */
    {"ipv6-dual-stack.yaml",
     "VS017",
     "app-sg",
     SEV_INFO,
     {"security group app-sg admits ::/0 on tcp 8080",
      "the IPv6 internet cannot reach instance app"},
     "blocked at route",
     "ingress:tcp:8080:::/0"},
    {"ipv6-dual-stack.yaml",
     "VS017",
     "web-sg",
     SEV_INFO,
     {"cannot reach instance locked-web"},
     "blocked at nacl-in",
     "ingress:tcp:443:::/0"},
};

START_TEST(test_fires)
{
	const struct fires *c = &fires[_i];
	struct model *m = load(c->file);
	struct finding_list l;
	run(&l, m, c->rule);
	const struct finding *f = find(&l, c->rule, c->resource, c->key);
	if (!f)
		dump(&l);
	ck_assert_msg(f, "%s: no %s finding on %s (key %s)", c->file, c->rule,
		      c->resource, c->key ? c->key : "-");
	ck_assert_int_eq(f->severity, c->sev);
	/* The finding points at its resource's line, or at the line of the
	 * rule it is about (a key that names a security-group rule). */
	const struct model_obj *o = model_find(m, c->resource);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(f->kind, o->kind);
	if (strstr(f->fingerprint, "gress:"))
		ck_assert_uint_gt(f->loc.line, o->loc.line);
	else
		ck_assert_uint_eq(f->loc.line, o->loc.line);
	for (int k = 0; k < 4 && c->msg[k]; k++)
		ck_assert_msg(strstr(f->message, c->msg[k]),
			      "%s %s: message '%s' lacks '%s'", c->file,
			      c->rule, f->message, c->msg[k]);
	if (c->detail && !has_detail(f, c->detail)) {
		dump(&l);
		ck_abort_msg("%s %s: no detail line with '%s'", c->file,
			     c->rule, c->detail);
	}
	findings_free(&l);
	model_free(m);
}
END_TEST

/* ---- the rules stay quiet ---------------------------------------------- */

struct quiet {
	const char *file, *rule;
	const char *resource; /* NULL: no finding of the rule at all */
	const char *key;      /* NULL: any key */
};

static const struct quiet quiet[] = {
    /* The flag alone, in a private subnet, is not an exposure (§10). */
    {"db-public-flag-private.yaml", "VS001", NULL, NULL},
    {"db-public-open.yaml", "VS001", "db-replica", NULL},
    /* An exposed database is VS001's, not latent. */
    {"db-public-open.yaml", "VS002", "db", NULL},
    /* Private and not publicly accessible: nothing latent. */
    {"rules-db-behind-nlb.yaml", "VS002", NULL, NULL},
    {"targets-sg-wrong.yaml", "VS003", NULL, NULL},
    {"nlb-client-ip.yaml", "VS003", NULL, NULL},
    /* 8080 is no administrative port; no public address, no exposure. */
    {"eip-instance.yaml", "VS004", "app", NULL},
    {"eip-instance.yaml", "VS004", "nopub", NULL},
    {"eip-instance.yaml", "VS004", "inner", NULL},
    /* SSH open to an office range only is the fix, not a finding. */
    {"rules-admin-ranges.yaml", "VS004", "bastion", NULL},
    {"rules-admin-ranges.yaml", "VS004", "app", NULL},
    {"tests/cfn/hosts.yaml", "VS004", NULL, NULL},
    /* The proxy's SSH (office) and HTTP are not the port the NLB
     * forwards to (3128). */
    {"tests/cfn/hosts.yaml", "VS003", NULL, NULL},
    {"rules-admin-ranges.yaml", "VS003", "app", "22"},
    /* ::/0 in subnets without IPv6: a rule that never matches, VS015's. */
    {"tests/cfn/hosts.yaml", "VS017", "SshSg", "ingress:udp:0-65535:::/0"},
    /* The NLB's 3306 forwards to the database: VS001 says it. */
    {"rules-db-behind-nlb.yaml", "VS004", NULL, NULL},
    {"rules-db-behind-nlb.yaml", "VS005", NULL, NULL},
    /* A rule naming the NLB's group admits what it forwards, client
     * address preserved or not (§4, §8). */
    {"nlb-client-ip.yaml", "VS005", "nlb", "api-tg"},
    {"nlb-client-ip.yaml", "VS005", "nlb", "api-instance-tg"},
    {"nlb-client-ip.yaml", "VS005", "nlb", "open-tg"},
    {"nlb-client-ip.yaml", "VS005", "nlb", "app-tg"},
    {"nlb-client-ip.yaml", "VS005", "nlb-nosg", NULL},
    {"internal-alb.yaml", "VS005", NULL, NULL},
    /* Rules naming the NLB's group (§4): every forward serves. */
    {"nlb-group-reference.yaml", "VS005", "nlb", "ref-tg"},
    {"nlb-group-reference.yaml", "VS005", "nlb", "ref-plain-tg"},
    {"nlb-group-reference.yaml", "VS005", "nlb-bare", "bare-open-tg"},
    /* Targets in the enabled zones are no VS019 finding. */
    {"lb-target-zone-disabled.yaml", "VS019", "web-1", NULL},
    {"lb-target-zone-disabled.yaml", "VS019", "web-2", NULL},
    {"three-tier.yaml", "VS019", NULL, NULL},
    {"nlb-client-ip.yaml", "VS019", NULL, NULL},
    /* Group references across a peering work (§12). */
    {"peering.yaml", "VS006", NULL, NULL},
    {"endpoints.yaml", "VS006", NULL, NULL},
    {"targets-sg-wrong.yaml", "VS006", "web-sg", NULL},
    /* Through interface and gateway endpoints (§9, §11). */
    {"endpoints.yaml", "VS007", "web", NULL},
    {"nat-removed-blackhole.yaml", "VS007", "db", NULL},
    /* Internet-facing load balancers are open by design; targets of an
     * NLB that preserves clients' addresses must admit them. */
    {"targets-sg-wrong.yaml", "VS017", NULL, NULL},
    {"nacl-service-port-only.yaml", "VS017", NULL, NULL},
    {"nlb-client-ip.yaml", "VS017", NULL, NULL},
    /* Reached: an exposure (VS003), not a latent one. */
    {"tasks-public.yaml", "VS017", NULL, NULL},
    {"db-public-open.yaml", "VS017", "db-sg",
     "ingress:tcp:3306:sg=web-sg"}, /* Reached over IPv6: an exposure, not a
				       latent one (§2). */
    {"ipv6-db-exposed.yaml", "VS002", NULL, NULL},
    {"ipv6-db-exposed.yaml", "VS017", NULL, NULL},
};

START_TEST(test_quiet)
{
	const struct quiet *c = &quiet[_i];
	struct model *m = load(c->file);
	struct finding_list l;
	run(&l, m, c->rule);
	const struct finding *f = find(&l, c->rule, c->resource, c->key);
	if (f)
		dump(&l);
	ck_assert_msg(!f, "%s: unexpected %s finding on %s: %s", c->file,
		      c->rule, f ? f->resource : "", f ? f->message : "");
	findings_free(&l);
	model_free(m);
}
END_TEST

/* The canonical architecture passes: no error or warning, and in fact no
 * finding at all, from any reachability rule. */
START_TEST(test_three_tier_clean)
{
	struct model *m = load("three-tier.yaml");
	struct finding_list l;
	run(&l, m, NULL);
	uint32_t bad = 0;
	for (uint32_t i = 0; i < l.n; i++)
		bad += is_reach_rule(l.v[i].rule_id);
	if (bad)
		dump(&l);
	ck_assert_uint_eq(bad, 0);
	findings_free(&l);
	model_free(m);
}
END_TEST

/* Findings per rule and resource on the broken scenarios: no duplicate
 * fingerprint, and exactly one VS001 per exposed database. */
START_TEST(test_one_finding_per_key)
{
	static const char *const files[] = {"db-public-open.yaml",
					    "nacl-partial-ephemeral.yaml",
					    "nlb-client-ip.yaml",
					    "eip-instance.yaml",
					    "endpoints.yaml",
					    "rules-db-behind-nlb.yaml",
					    "db-public-flag-private.yaml",
					    "internal-alb.yaml"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct model *m = load(files[i]);
		struct finding_list l;
		run(&l, m, NULL);
		uint32_t vs001_db = 0;
		for (uint32_t a = 0; a < l.n; a++) {
			if (!is_reach_rule(l.v[a].rule_id))
				continue;
			vs001_db += !strcmp(l.v[a].rule_id, "VS001") &&
				    !strcmp(l.v[a].resource, "db");
			for (uint32_t b = a + 1; b < l.n; b++)
				ck_assert_msg(strcmp(l.v[a].fingerprint,
						     l.v[b].fingerprint),
					      "%s: duplicate fingerprint %s",
					      files[i], l.v[a].fingerprint);
		}
		ck_assert_uint_le(vs001_db, 1);
		findings_free(&l);
		model_free(m);
	}
}
END_TEST

/* ---- the table --------------------------------------------------------- */

START_TEST(test_table)
{
	static const char *const ids[] = {"VS001", "VS002", "VS003",
					  "VS004", "VS005", "VS006",
					  "VS007", "VS017", "VS019"};
	uint32_t n;
	const struct rule_def *d = rules_reach_defs(&n);
	ck_assert_uint_eq(n, sizeof(ids) / sizeof(ids[0]));
	for (uint32_t i = 0; i < n; i++) {
		ck_assert_str_eq(d[i].id, ids[i]);
		ck_assert(d[i].run);
		ck_assert(strlen(d[i].title) > 10 &&
			  strlen(d[i].rationale) > 100 &&
			  strlen(d[i].fix) > 50);
		for (const char *p = d[i].name; *p; p++)
			ck_assert((*p >= 'a' && *p <= 'z') || *p == '-');
		ck_assert_ptr_eq(rules_find(d[i].id)->run, d[i].run);
		ck_assert_ptr_eq(rules_find(d[i].name)->run, d[i].run);
	}
	ck_assert_int_eq(rules_find("db-internet-reachable")->severity,
			 SEV_ERROR);
	ck_assert_int_eq(rules_find("VS002")->severity, SEV_WARNING);
	ck_assert_int_eq(rules_find("VS017")->severity, SEV_INFO);
	ck_assert_int_eq(rules_find("lb-target-zone-disabled")->severity,
			 SEV_WARNING);
}
END_TEST

/* ---- unknown values ---------------------------------------------------- */

/*
 * A CloudFormation template with values from exports no loaded template
 * has: the admin group's RDP range, and whether the private subnet maps
 * public IPs.  Loaders leave such values out, and every verdict that reads
 * them says so.  Both instances carry the group: Jump is public (VS004 on
 * SSH, whose verdict reads the group), Inner sits in the private subnet
 * (VS017, whose verdict reads the subnet: it stops at no-public-ip before
 * any group is read).
 */
static const char cfn_unknown[] =
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Resources:\n"
    "  Vpc:\n"
    "    Type: AWS::EC2::VPC\n"
    "    Properties: {CidrBlock: 10.9.0.0/16}\n"
    "  Igw:\n"
    "    Type: AWS::EC2::InternetGateway\n"
    "  Attach:\n"
    "    Type: AWS::EC2::VPCGatewayAttachment\n"
    "    Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}\n"
    "  Pub:\n"
    "    Type: AWS::EC2::Subnet\n"
    "    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.1.0/24,\n"
    "                 AvailabilityZone: us-east-1a,\n"
    "                 MapPublicIpOnLaunch: true}\n"
    "  Priv:\n"
    "    Type: AWS::EC2::Subnet\n"
    "    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.9.2.0/24,\n"
    "                 AvailabilityZone: us-east-1a,\n"
    "                 MapPublicIpOnLaunch: !ImportValue priv-ip}\n"
    "  Rt:\n"
    "    Type: AWS::EC2::RouteTable\n"
    "    Properties: {VpcId: !Ref Vpc}\n"
    "  Default:\n"
    "    Type: AWS::EC2::Route\n"
    "    Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: "
    "0.0.0.0/0,\n"
    "                 GatewayId: !Ref Igw}\n"
    "  PubRt:\n"
    "    Type: AWS::EC2::SubnetRouteTableAssociation\n"
    "    Properties: {SubnetId: !Ref Pub, RouteTableId: !Ref Rt}\n"
    "  AdminSg:\n"
    "    Type: AWS::EC2::SecurityGroup\n"
    "    Properties:\n"
    "      GroupDescription: admin\n"
    "      VpcId: !Ref Vpc\n"
    "      SecurityGroupIngress:\n"
    "        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: "
    "0.0.0.0/0}\n"
    "        - {IpProtocol: tcp, FromPort: 3389, ToPort: 3389,\n"
    "           CidrIp: !ImportValue office-cidr}\n"
    "  Jump:\n"
    "    Type: AWS::EC2::Instance\n"
    "    Properties: {SubnetId: !Ref Pub, SecurityGroupIds: [!Ref "
    "AdminSg]}\n"
    "  Inner:\n"
    "    Type: AWS::EC2::Instance\n"
    "    Properties: {SubnetId: !Ref Priv, SecurityGroupIds: [!Ref "
    "AdminSg]}\n";

START_TEST(test_unknown)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc = model_load_buffer(&m, "unknown.yaml", cfn_unknown,
				   strlen(cfn_unknown), &d);
	if (rc)
		diag_print(stderr, &d);
	diag_list_free(&d);
	ck_assert_int_eq(rc, 0);
	struct finding_list l;
	run(&l, m, NULL);
	const struct finding *f = find(&l, "VS004", "Jump", NULL);
	if (!f)
		dump(&l);
	ck_assert_ptr_nonnull(f);
	ck_assert(strstr(f->message, "tcp 22 (SSH)"));
	ck_assert(has_detail(f, "unknown: "));
	ck_assert(has_detail(f, "office-cidr"));
	f = find(&l, "VS017", "AdminSg", NULL);
	if (!f)
		dump(&l);
	ck_assert_ptr_nonnull(f);
	ck_assert(strstr(f->message, "instance Inner"));
	ck_assert(has_detail(f, "unknown: MapPublicIpOnLaunch"));
	findings_free(&l);
	model_free(m);
}
END_TEST

/*
 * A ::/0 rule is judged by the engine over IPv6 (§2, §6).  a's subnet
 * sends ::/0 to an egress-only gateway, which lets in replies only
 * (reported, with the blocking step); b's to the internet gateway (b is
 * reached: an exposure, not reported here); c's subnet has no IPv6 block
 * (the rule never matches, VS015's: not reported).
 */
static const char v6_model[] =
    "region: us-east-1\n"
    "vpcs:\n"
    "  v6: {cidr: 10.8.0.0/16, ipv6_cidrs: [\"2600:1f18:1234:5600::/56\"]}\n"
    "internet_gateways:\n"
    "  igw: {vpc: v6}\n"
    "  eigw: {vpc: v6, egress_only: true}\n"
    "subnets:\n"
    "  out-only: {vpc: v6, cidr: 10.8.1.0/24, az: us-east-1a,\n"
    "             ipv6_cidr: \"2600:1f18:1234:5601::/64\", route_table: "
    "out-rt}\n"
    "  dual: {vpc: v6, cidr: 10.8.2.0/24, az: us-east-1a,\n"
    "         ipv6_cidr: \"2600:1f18:1234:5602::/64\", route_table: "
    "dual-rt}\n"
    "  v4only: {vpc: v6, cidr: 10.8.3.0/24, az: us-east-1a}\n"
    "route_tables:\n"
    "  out-rt: {vpc: v6, routes: [{destination: \"::/0\", target: eigw}]}\n"
    "  dual-rt: {vpc: v6, routes: [{destination: \"::/0\", target: igw}]}\n"
    "security_groups:\n"
    "  web6-sg: {vpc: v6, ingress: [{protocol: tcp, ports: 443, from: "
    "\"::/0\"}]}\n"
    "instances:\n"
    "  a: {subnet: out-only, security_groups: [web6-sg], ipv6: true}\n"
    "  b: {subnet: dual, security_groups: [web6-sg], ipv6: true}\n"
    "  c: {subnet: v4only, security_groups: [web6-sg]}\n";

START_TEST(test_ipv6_open)
{
	struct diag_list d = DIAG_LIST_INIT;
	struct model *m = NULL;
	int rc =
	    model_load_buffer(&m, "v6.yaml", v6_model, strlen(v6_model), &d);
	if (rc)
		diag_print(stderr, &d);
	diag_list_free(&d);
	ck_assert_int_eq(rc, 0);
	struct finding_list l;
	run(&l, m, "VS017");
	ck_assert_uint_eq(l.n, 1);
	const struct finding *f = &l.v[0];
	ck_assert_str_eq(f->resource, "web6-sg");
	ck_assert(strstr(f->message, "admits ::/0 on tcp 443"));
	ck_assert(strstr(f->message, "the IPv6 internet cannot reach instance "
				     "a on it"));
	ck_assert(!strstr(f->message, "instance b"));
	ck_assert(!strstr(f->message, "instance c"));
	ck_assert(has_detail(f, "blocked at route: route table out-rt of "
				"subnet out-only sends replies to "
				"2001:db8:ffff:ffff::7 via ::/0 -> "
				"egress-only-gateway eigw"));
	findings_free(&l);
	model_free(m);
}
END_TEST

/*
 * VS006 on 20 clients and 20 servers sharing two classes, one server
 * behind a network ACL that drops the flow: the rule asks the memo once
 * per pair of classes, not once per pair of placements, and still
 * counts every pair when one class pair fails (the 20 pairs to the
 * server behind the ACL, of 400).  Without the failing server, the memo
 * is asked once per class pair and nothing is reported.
 */
static void many_pairs_yaml(char *buf, size_t size, bool blocked)
{
	size_t n = (size_t)snprintf(
	    buf, size,
	    "region: us-east-1\n"
	    "vpcs:\n  main: {cidr: 10.0.0.0/16}\n"
	    "subnets:\n"
	    "  a: {vpc: main, cidr: 10.0.1.0/24, az: us-east-1a}\n"
	    "  b: {vpc: main, cidr: 10.0.2.0/24, az: us-east-1b%s}\n"
	    "network_acls:\n"
	    "  deny-pg:\n    vpc: main\n    inbound:\n"
	    "      - {rule: 50, action: deny, protocol: tcp, ports: 5432, "
	    "cidr: 0.0.0.0/0}\n"
	    "      - {rule: 100, action: allow, protocol: all, cidr: "
	    "0.0.0.0/0}\n"
	    "    outbound:\n"
	    "      - {rule: 100, action: allow, protocol: all, cidr: "
	    "0.0.0.0/0}\n"
	    "security_groups:\n"
	    "  app-sg: {vpc: main}\n"
	    "  pg-sg:\n    vpc: main\n    ingress:\n"
	    "      - {protocol: tcp, ports: 5432, from: app-sg}\n"
	    "instances:\n",
	    blocked ? ", network_acl: deny-pg" : "");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(buf + n, size - n,
				      "  app%d: {subnet: a, security_groups: "
				      "[app-sg]}\n"
				      "  pg%d: {subnet: %s, security_groups: "
				      "[pg-sg]}\n",
				      i, i, i == 7 ? "b" : "a");
	ck_assert_uint_lt(n, size);
}

START_TEST(test_intended_flow_per_class)
{
	for (int blocked = 0; blocked < 2; blocked++) {
		static char buf[8192];
		many_pairs_yaml(buf, sizeof(buf), blocked);
		struct diag_list d = DIAG_LIST_INIT;
		struct model *m = NULL;
		int rc =
		    model_load_buffer(&m, "pairs.yaml", buf, strlen(buf), &d);
		if (rc)
			diag_print(stderr, &d);
		diag_list_free(&d);
		ck_assert_int_eq(rc, 0);
		struct finding_list l = {0};
		struct rule_ctx ctx;
		rule_ctx_init(&ctx, m, &l);
		const char *only[] = {"VS006"};
		struct rule_options opt = {.only = only, .n_only = 1};
		rules_run_ctx(&ctx, &opt);
		uint64_t asked, evaluated;
		reach_memo_stats(ctx.memo, &asked, &evaluated);
		if (!blocked) {
			/* app in a -> pg in a, and app in a -> pg in b. */
			ck_assert_uint_eq(l.n, 0);
			ck_assert_uint_le(asked, 2);
		} else {
			/* The class pairs, then every pair once. */
			ck_assert_uint_eq(l.n, 1);
			ck_assert_str_eq(l.v[0].rule_id, "VS006");
			ck_assert_str_eq(l.v[0].resource, "pg-sg");
			ck_assert_msg(strstr(l.v[0].message,
					     "blocked for 20 of 400 placement "
					     "pairs: nacl-in at deny-pg"),
				      "%s", l.v[0].message);
			ck_assert_uint_le(asked, 2 + 400);
		}
		ck_assert_uint_le(evaluated, 2);
		rule_ctx_free(&ctx);
		findings_free(&l);
		model_free(m);
	}
}
END_TEST

Suite *rules_reach_suite(void)
{
	Suite *s = suite_create("rules_reach");
	TCase *tc = tcase_create("rules");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_fires, 0,
			    (int)(sizeof(fires) / sizeof(fires[0])));
	tcase_add_loop_test(tc, test_quiet, 0,
			    (int)(sizeof(quiet) / sizeof(quiet[0])));
	tcase_add_test(tc, test_three_tier_clean);
	tcase_add_test(tc, test_one_finding_per_key);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_ipv6_open);
	tcase_add_test(tc, test_intended_flow_per_class);
	suite_add_tcase(s, tc);
	return s;
}
