/* CloudFormation templates: not yet supported (issue 6). */
#include "model_impl.h"

int model_load_cfn(struct model *m, yaml_document_t *doc,
                   struct diag_list *diags)
{
	(void)doc;
	diag_add(diags, DIAG_ERROR, m->file, 1, 1,
	         "CloudFormation templates are not supported yet");
	return -1;
}
