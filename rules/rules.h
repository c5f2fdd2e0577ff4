/*
 * Rules: built-in checks and user policies over a model and its real
 * reachability, producing findings for `vpcsim check`.
 *
 * A rule is a definition (stable id, title, default severity, rationale,
 * fix, documented in docs/rules.md) and a function that appends findings.
 * Rules never print: findings are data, and report/ writes them as text,
 * JSON, SARIF or JUnit.  Every finding points at the source location of
 * the resource it is about, so a CI annotation lands on the line that
 * causes it.
 *
 * Rules share one context, built once per run: the model, the engine, the
 * class index, and the internet exposure tables (tcp and udp), since most
 * rules start from "what does the internet really reach".
 */
#ifndef VPCSIM_RULES_H
#define VPCSIM_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"
#include "model/model.h"
#include "sim/reach.h"
#include "sim/sim.h"

/* Severities, lowest first: thresholds compare with >=. */
enum severity { SEV_INFO, SEV_WARNING, SEV_ERROR };
#define SEV_COUNT (SEV_ERROR + 1) /* how many severities there are */

/*
 * --fail-on: the lowest severity that fails `vpcsim check`, or FAIL_NEVER,
 * above every severity.  The severities keep their values, so a finding
 * fails a run when its severity >= the threshold.
 */
enum fail_on {
	FAIL_ON_INFO = SEV_INFO,
	FAIL_ON_WARNING = SEV_WARNING,
	FAIL_ON_ERROR = SEV_ERROR,
	FAIL_NEVER
};

struct rule_ctx;
struct rule_index;
struct finding_list;

struct rule_def {
	const char *id;		/* stable: "VS001" */
	const char *name;	/* kebab-case: "db-internet-reachable" */
	const char *title;	/* one line */
	enum severity severity; /* default level */
	const char *rationale;	/* why it matters, a paragraph */
	const char *fix;	/* how to fix, a paragraph */
	void (*run)(struct rule_ctx *ctx, const struct rule_def *def);
};

/* One step of a trace a finding quotes, for SARIF's codeFlows: the
 * engine's sentence and where the deciding rule or component is
 * written. */
struct finding_step {
	char *text; /* owned */
	struct src_loc loc;
	bool blocked; /* the step that stopped the connection */
};

/* A trace a finding quotes: "internet -> db@public-a: tcp 3306". */
struct finding_flow {
	char *title; /* owned */
	struct finding_step *steps;
	uint32_t n_steps;
};

struct finding {
	const struct rule_def *rule; /* NULL for a policy finding */
	const char *rule_id;	     /* rule->id, or the policy's id */
	const char *rule_name;	     /* rule->name, or the policy's id */
	enum severity severity;
	/* The resource the finding is about, and where it is written. */
	enum model_kind kind; /* MK_KIND_COUNT when about no one object */
	uint32_t index;
	const char *resource; /* its id, or NULL */
	struct src_loc loc;
	char *message;	/* one sentence, owned */
	char **details; /* path, blocking step, ...: owned lines */
	uint32_t n_details;
	/* Identifies the finding across runs for baselines: rule id, the
	 * resource, and a rule-chosen key (e.g. the port), not the line. */
	char *fingerprint;	/* owned */
	const char *suppressed; /* the model's reason, when suppressed */
	bool baselined;		/* in the --baseline file: not reported */
	/* The traces the details quote, step by step (finding_trace). */
	struct finding_flow *flows;
	uint32_t n_flows;
};

struct finding_list {
	struct finding *v;
	uint32_t n, cap;
};

/* Everything a rule may read; built by rules_run. */
struct rule_ctx {
	const struct model *m;
	const struct sim *s;
	const struct reach_index *ix;
	struct reach_table exposure_tcp, exposure_udp; /* from internet */
	/* from the IPv6 internet ("internet6", §2); empty in a model
	 * without an IPv6 address the internet may reach */
	struct reach_table exposure6_tcp, exposure6_udp;
	struct finding_list *out;
	/* Lookups the rules share, built with the context (rules_impl.h),
	 * and the memo of placement pairs, one evaluation per question of
	 * classes (sim/reach.h); both the context's. */
	struct rule_index *idx;
	struct reach_memo *memo;
};

struct rule_options {
	const char *const *only; /* run only these rule ids/names; NULL: all */
	uint32_t n_only;
	const char *const *skip; /* never run these */
	uint32_t n_skip;
};

/* Whether the options select a rule (--only, --skip). */
bool rules_selected(const struct rule_options *opt, const struct rule_def *d);
/* Every built-in rule, in id order. */
const struct rule_def *rules_builtin(uint32_t *n);
/* The rules of `vpcsim diff` (rules/change.c: VD001 new-exposure, VD002
 * intended-flow-broken), which no check runs; suppressions and reports
 * know them. */
const struct rule_def *rules_diff_defs(uint32_t *n);
/* A rule by id ("VS001") or name ("db-internet-reachable"), or NULL. */
const struct rule_def *rules_find(const char *id_or_name);

/*
 * Runs the selected built-in rules over m into out (which must be empty
 * or hold earlier findings to keep), then applies the model's
 * suppressions.  out is the caller's (findings_free).
 */
void rules_run(struct finding_list *out, const struct model *m,
	       const struct rule_options *opt);

/* The same over a context the caller built (rule_ctx_init), so policies
 * can share it; suppressions are the caller's to apply. */
void rules_run_ctx(struct rule_ctx *ctx, const struct rule_options *opt);

/*
 * Appends a finding about object (kind, index) of the context's model;
 * the location and id come from the object.  key distinguishes findings
 * of one rule on one resource in the baseline (NULL when one is enough).
 * Returns the finding, so the rule can add detail lines.
 */
struct finding *finding_add(struct rule_ctx *ctx, const struct rule_def *def,
			    enum severity sev, enum model_kind kind,
			    uint32_t index, const char *key, const char *fmt,
			    ...) __attribute__((format(printf, 7, 8)));
/* Appends a detail line to a finding. */
void finding_detail(struct finding *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Records a trace the finding quotes (title, then every step with its
 * source location), for SARIF's codeFlows; the strings are copied. */
void finding_trace(struct finding *f, const char *title,
		   const struct sim_trace *t);
/* Moves a finding to where the part it is about is written (a rule's
 * line rather than its group's), when that place is known (line > 0). */
void finding_at(struct finding *f, struct src_loc loc);
/*
 * The fingerprint key of a security-group rule: what it allows, not its
 * position ("ingress:tcp:22:0.0.0.0/0", "egress:all:sg=web"), so that a
 * rule inserted before it shifts no fingerprint.
 */
void finding_sg_rule_key(char *buf, size_t size, const struct model *m,
			 const struct model_sg_rule *r, bool egress);

/*
 * Suppressions (model.h struct model_suppress, from every format): a
 * finding is suppressed by an entry naming its rule id or name (or the
 * policy's id) that covers it: written on its object, or on the part of
 * the file it is located in (a resource's lines, a whole template).
 * An entry whose `until` date has come (today >= until, UTC, as Trivy's
 * exp:) suppresses nothing: the finding is active again, with a detail
 * saying the suppression expired.  findings_suppress asks the clock;
 * _at takes today as "YYYY-MM-DD".
 */
void findings_suppress(struct finding_list *l, const struct model *m);
void findings_suppress_at(struct finding_list *l, const struct model *m,
			  const char *today);
/* Today's date, UTC, "YYYY-MM-DD", into buf (11 bytes at least). */
void findings_today(char *buf);
struct policy_set;
/*
 * Every suppression of m must name a rule that exists: a built-in or diff
 * rule's id or name, or the id of a policy of ps (may be NULL).  An error
 * per one that does not, at its place, with the closest name.  Returns 0,
 * or -1 after an error.
 */
int findings_check_suppress(const struct model *m, const struct policy_set *ps,
			    struct diag_list *diags);

/*
 * What SARIF says of a rule for code scanning (docs/check.md): its
 * security-severity, a CVSS-like score as a string ("9.1"), and its
 * tags.  Every built-in and diff rule has both; for a policy (or any id
 * no rule has) the score follows its severity (error "7.5", warning
 * "5.0", info "2.0").
 */
const char *rule_security_severity(const char *id, enum severity sev);
/* The tags of a built-in or diff rule, NULL-ended ("security", "network",
 * its family, its CWE); NULL for any other id. */
const char *const *rule_tags(const char *id);
/* Sorts by file, line, column, then rule id. */
void findings_sort(struct finding_list *l);
void findings_free(struct finding_list *l);

const char *severity_name(enum severity s);
/* The threshold a --fail-on word names: "info", "warning", "error" or
 * "never".  Returns 0, or -1 (*out untouched) for any other word. */
int fail_on_parse(enum fail_on *out, const char *s);
/* Whether a finding counts: not suppressed, not baselined. */
bool finding_active(const struct finding *f);

/*
 * Baselines: one fingerprint per line, '#' comments; blanks around an
 * entry and CRLF line ends do not matter.  Marks the findings of the
 * lists l[0..n) (the models of one run) found in the file as baselined,
 * and adds a note at each entry that matched none (stale: fixed, or
 * renamed).  Returns 0, or negative after an error in diags.  (The file
 * is written by report/: report_findings_baseline.)
 */
int findings_apply_baseline(struct finding_list *l, const char *path,
			    struct diag_list *diags);
int findings_apply_baseline_n(struct finding_list *const *l, size_t n,
			      const char *path, struct diag_list *diags);

/* ---- policies (docs/policy.md, rules/policy/) ---------------------- */

struct policy_set;   /* opaque */
struct ykit_section; /* base/ykit.h */

/*
 * Loads the policies of a policy file (a list under `policies:`), checking
 * their selectors against m.  Problems are input errors in diags
 * (file:line:col); returns 0 or negative.  *out is the caller's
 * (policy_set_free); it may hold several files' policies when passed
 * again.  A file with any error adds nothing.
 */
int policy_load_file(struct policy_set **out, const char *path,
		     const struct model *m, struct diag_list *diags);
/* The same for a native model's own `policies:` section, as the model
 * loader handed it over (load.h model_load_files_section): the file is
 * not read again.  sec is borrowed; it may be freed after the call. */
int policy_load_section(struct policy_set **out, const struct ykit_section *sec,
			const struct model *m, struct diag_list *diags);
void policy_set_free(struct policy_set *p);
/* Evaluates every policy into findings, on ctx's model: the resources
 * the policies named when loaded, found there by id (a failed copy of
 * the loading model evaluates the same resources). */
void policy_run(struct finding_list *out, const struct policy_set *p,
		struct rule_ctx *ctx);

/* Builds the shared context (engine, classes, exposure); rules_run does
 * this itself.  Release with rule_ctx_free. */
void rule_ctx_init(struct rule_ctx *ctx, const struct model *m,
		   struct finding_list *out);
void rule_ctx_free(struct rule_ctx *ctx);

#endif
