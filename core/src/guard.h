/* Crash guard around plugin callbacks: a plugin that faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL)
 * in check_doc is reported by name and document instead of silently killing the run.
 *
 * In process, no fork: when the faulting instruction is in the plugin's own object, the worker
 * jumps back to the call site (siglongjmp), the plugin is disabled for the rest of the run and
 * the other plugins' findings are kept. When the fault is anywhere else (libc, the host, a
 * lock may be held), recovering could deadlock: the handler writes one line naming the plugin
 * and the document to stderr and ends the process with exit status 2. docs/security.md says why. */
#ifndef QMS_GUARD_H
#define QMS_GUARD_H

#include <qmslint/plugin.h>

/* check_doc faulted and was recovered; the signal is in *out_signal. */
#define QMS_GUARD_CRASHED (-1000)

/* Installs the process-wide fault handlers (counted: nested install/uninstall pairs are fine).
 * Main thread, before the workers start. Returns 0 or QMS_EINTERNAL. */
int qms_guard_install(void);
void qms_guard_uninstall(void);

/* Per worker thread: an alternate signal stack so a plugin's stack overflow is caught too. */
void qms_guard_thread_begin(void);
void qms_guard_thread_end(void);

/*
 * Calls plugin->check_doc under the guard. `plugin_name` and `doc_path` name the culprit in
 * the fatal message and must stay valid during the call. Returns check_doc's value, or
 * QMS_GUARD_CRASHED with the signal number in *out_signal.
 */
int qms_guard_check_doc(const struct qms_plugin *plugin, void *state,
                        const struct qms_host_api *api, struct qms_host *host,
                        const struct qms_doc *doc, const char *plugin_name,
                        const char *doc_path, int *out_signal);

/* "SIGSEGV", "SIGBUS", "SIGFPE", "SIGILL" or "signal". */
const char *qms_guard_signal_name(int sig);

#endif
