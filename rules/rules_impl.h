/*
 * What the files of rules/ share and nothing else does.  Not a public
 * header.
 */
#ifndef VPCSIM_RULES_IMPL_H
#define VPCSIM_RULES_IMPL_H

#include "rules/rules.h"

/* The two families of built-in rules, each table sorted by id. */
const struct rule_def *rules_reach_defs(uint32_t *n);
const struct rule_def *rules_config_defs(uint32_t *n);

/* A finding with no message yet, for rules and policies alike; the
 * fingerprint is "rule_id|resource|key". */
struct finding *finding_new(struct finding_list *l, const struct model *m,
			    const char *rule_id, const char *rule_name,
			    enum severity sev, enum model_kind kind,
			    uint32_t index, const char *key);

#endif
