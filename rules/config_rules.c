/* Rules that read the model's structure (VS008-VS016, VS018): being
 * written. */
#include "rules_impl.h"

const struct rule_def *rules_config_defs(uint32_t *n)
{
	*n = 0;
	return NULL;
}
