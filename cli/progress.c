/*
 * Progress on standard error: a step ("loading", "running the rules")
 * that lasts over a second says so, with the seconds spent, on one line
 * rewritten each second and cleared when the step ends.  Only when
 * standard error is a terminal and without --quiet: a log or a CI job
 * never gets these lines.
 *
 * The engine is not interrupted or polled: alarm(2) ticks each second
 * and the handler writes the line with write(2), which is
 * async-signal-safe.  The step's text is set only while no alarm is armed.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "cli/cli.h"

static char line[128]; /* "\rvpcsim: STEP... " */
static size_t line_len;
static volatile sig_atomic_t ticks, shown;
static bool active, installed;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
	char buf[sizeof(line) + 16], digits[UTIL_U32_TEXT_SIZE];
	size_t n = line_len;
	memcpy(buf, line, n);
	for (const char *d = util_u32_text(digits, (uint32_t)ticks); *d; d++)
		buf[n++] = *d;
	memcpy(buf + n, " s ", 3);
	n += 3;
	(void)!write(STDERR_FILENO, buf, n);
	shown = 1;
	alarm(1);
}

void cli_progress(const struct cli *c, const char *step)
{
	cli_progress_end();
	if (c->quiet || !isatty(STDERR_FILENO))
		return;
	if (!installed) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_alarm;
		sa.sa_flags = SA_RESTART; /* reads of the inputs go on */
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGALRM, &sa, NULL))
			return;
		installed = true;
	}
	int n = snprintf(line, sizeof(line), "\rvpcsim: %s... ", step);
	line_len = n < 0		      ? 0
		   : (size_t)n < sizeof(line) ? (size_t)n
					      : sizeof(line) - 1;
	ticks = 0;
	shown = 0;
	active = true;
	alarm(1);
}

void cli_progress_end(void)
{
	if (!active)
		return;
	alarm(0);
	active = false;
	if (!shown)
		return;
	/* Blank the line out, so what follows starts on a clean one. */
	char blank[sizeof(line) + 20];
	size_t n = line_len + 12;
	memset(blank, ' ', n);
	blank[0] = '\r';
	blank[n++] = '\r';
	(void)!write(STDERR_FILENO, blank, n);
}
