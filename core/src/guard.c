/* Crash guard around plugin callbacks (see guard.h). */
#define _GNU_SOURCE /* REG_RIP in ucontext, dladdr */
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "errors.h"
#include "guard.h"

#define GUARD_ALT_STACK (256u * 1024u)

static const int guarded_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL};
#define N_GUARDED (sizeof guarded_signals / sizeof guarded_signals[0])

static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned guard_installs;
static struct sigaction guard_previous[N_GUARDED];

/* What this thread is running, read by the handler. */
struct guard_frame {
    sigjmp_buf jump;
    const void *plugin_base;   /* load address of the plugin's object (dladdr), or NULL */
    const char *plugin_name;
    const char *doc_path;
    volatile sig_atomic_t signal;
};
static _Thread_local struct guard_frame *volatile guard_current;
static _Thread_local void *guard_alt_stack;
/* dladdr takes the loader's lock: remember the last answer per thread. */
#define GUARD_CACHE 16
static _Thread_local const void *guard_cached_fn[GUARD_CACHE], *guard_cached_base[GUARD_CACHE];
static _Thread_local unsigned guard_cache_next;

static const void *plugin_base_of(const void *fn)
{
    Dl_info where;
    for (unsigned i = 0; i < GUARD_CACHE; i++)
        if (guard_cached_fn[i] == fn)
            return guard_cached_base[i];
    const void *base = dladdr(fn, &where) ? where.dli_fbase : NULL;
    unsigned slot = guard_cache_next++ % GUARD_CACHE;
    guard_cached_fn[slot] = fn;
    guard_cached_base[slot] = base;
    return base;
}

const char *qms_guard_signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    default: return "signal";
    }
}

static void write_str(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(STDERR_FILENO, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* The faulting instruction, when this platform tells us. */
static const void *fault_pc(void *ucontext)
{
    const ucontext_t *uc = ucontext;
    if (!uc)
        return NULL;
#if defined(__x86_64__) && defined(REG_RIP)
    return (const void *)(uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (const void *)(uintptr_t)uc->uc_mcontext.pc;
#else
    return NULL;
#endif
}

static void on_fault(int sig, siginfo_t *info, void *ucontext)
{
    struct guard_frame *frame = guard_current;
    if (!frame) {
        /* Not in a plugin: the host's own bug. Put the previous disposition back; a hardware
           fault then repeats on return and takes its normal course (core dump, ASan report). */
        for (size_t i = 0; i < N_GUARDED; i++)
            if (guarded_signals[i] == sig)
                sigaction(sig, &guard_previous[i], NULL);
        if (info && info->si_code <= 0)
            raise(sig);
        return;
    }
    const void *pc = fault_pc(ucontext);
    Dl_info where;
    /* Recover only when the plugin's own code faulted: no host or libc lock can be held then. */
    if (pc && frame->plugin_base && dladdr(pc, &where) && where.dli_fbase == frame->plugin_base) {
        guard_current = NULL;
        frame->signal = sig;
        siglongjmp(frame->jump, 1);
    }
    write_str("qmslint: plugin ");
    write_str(frame->plugin_name ? frame->plugin_name : "?");
    write_str(" crashed (");
    write_str(qms_guard_signal_name(sig));
    write_str(") in check_doc on ");
    write_str(frame->doc_path ? frame->doc_path : "?");
    write_str(" outside its own code; the run is stopped and no report was written\n");
    _exit(2);
}

int qms_guard_install(void)
{
    int rc = 0;
    pthread_mutex_lock(&guard_lock);
    if (guard_installs++ == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = on_fault;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        for (size_t i = 0; i < N_GUARDED; i++)
            if (sigaction(guarded_signals[i], &sa, &guard_previous[i]) != 0)
                rc = QMS_EINTERNAL;
    }
    pthread_mutex_unlock(&guard_lock);
    return rc;
}

void qms_guard_uninstall(void)
{
    pthread_mutex_lock(&guard_lock);
    if (guard_installs > 0 && --guard_installs == 0)
        for (size_t i = 0; i < N_GUARDED; i++)
            sigaction(guarded_signals[i], &guard_previous[i], NULL);
    pthread_mutex_unlock(&guard_lock);
}

void qms_guard_thread_begin(void)
{
    if (guard_alt_stack)
        return;
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = malloc(GUARD_ALT_STACK);
    ss.ss_size = GUARD_ALT_STACK;
    if (!ss.ss_sp)
        return; /* no alternate stack: stack overflows are not caught, the rest is */
    if (sigaltstack(&ss, NULL) != 0) {
        free(ss.ss_sp);
        return;
    }
    guard_alt_stack = ss.ss_sp;
}

void qms_guard_thread_end(void)
{
    if (!guard_alt_stack)
        return;
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_flags = SS_DISABLE;
    if (sigaltstack(&ss, NULL) == 0) {
        free(guard_alt_stack);
        guard_alt_stack = NULL;
    }
}

int qms_guard_check_doc(const struct qms_plugin *plugin, void *state,
                        const struct qms_host_api *api, struct qms_host *host,
                        const struct qms_doc *doc, const char *plugin_name,
                        const char *doc_path, int *out_signal)
{
    struct guard_frame frame;
    union {
        int (*fn)(void *, const struct qms_host_api *, struct qms_host *, const struct qms_doc *);
        void *p;
    } entry;
    memset(&frame, 0, sizeof frame);
    entry.fn = plugin->check_doc;
    frame.plugin_base = plugin_base_of(entry.p);
    frame.plugin_name = plugin_name;
    frame.doc_path = doc_path;
    *out_signal = 0;
    if (sigsetjmp(frame.jump, 1) != 0) {
        *out_signal = frame.signal;
        return QMS_GUARD_CRASHED;
    }
    guard_current = &frame;
    int rc = plugin->check_doc(state, api, host, doc);
    guard_current = NULL;
    return rc;
}
