/* SARIF and JUnit writers: being written. */
#include "report.h"

void report_findings_sarif(FILE *f, const struct finding_list *l)
{
	(void)l;
	fputs("{}\n", f);
}

void report_findings_junit(FILE *f, const struct finding_list *l)
{
	(void)l;
	fputs("<testsuites/>\n", f);
}
