/* The `text` output of `qmslint check`: one finding per line, compiler style, then a summary.
 *   Markdown:  path:line:col: severity: message [rule]
 *   DOCX/ODT:  path:part:¶N (section): severity: message [rule]
 *   no place:  path: severity: message [rule]
 * Every string comes from a document or a file name: control characters (ANSI escapes
 * included) and invalid UTF-8 never reach the terminal. */
#include "emit.h"

#include <string.h>

#define SECTION_MAX_CHARS 60

#define ANSI_RESET "\033[0m"

/* Writes s with C0/C1 controls and invalid bytes replaced; at most max_chars code points
 * (0: no limit), then an ellipsis. */
static void put_clean(FILE *out, const char *s, size_t max_chars)
{
    size_t len = strlen(s), chars = 0;
    for (size_t i = 0; i < len;) {
        unsigned long cp;
        size_t n = qms_utf8_next(s + i, len - i, &cp);
        if (max_chars && chars == max_chars) {
            fputs("\xE2\x80\xA6", out);
            return;
        }
        if (cp == '\t' || cp == '\n' || cp == '\r')
            fputc(' ', out);
        else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || (cp == 0xFFFD && n == 1))
            fputc('?', out);
        else
            fwrite(s + i, 1, n, out);
        chars++;
        i += n;
    }
}

static const char *severity_color(enum qms_severity s)
{
    switch (s) {
    case QMS_SEV_ERROR:
        return "\033[1;31m";
    case QMS_SEV_WARNING:
        return "\033[1;33m";
    case QMS_SEV_INFO:
        return "\033[1;36m";
    case QMS_SEV_OFF:
        break;
    }
    return "";
}

static const char *severity_word(enum qms_severity s)
{
    switch (s) {
    case QMS_SEV_ERROR:
        return "error";
    case QMS_SEV_WARNING:
        return "warning";
    case QMS_SEV_INFO:
        return "info";
    case QMS_SEV_OFF:
        break;
    }
    return "off";
}

static void emit_place(FILE *out, const struct qms_finding *f)
{
    if (f->path && f->path[0])
        put_clean(out, f->path, 0);
    else
        fputs("(set)", out); /* a set-wide finding: about no single document */
    if (f->part) {
        fputc(':', out);
        put_clean(out, f->part, 0);
        if (f->block)
            fprintf(out, ":\xC2\xB6%u", (unsigned)f->block);
        if (f->section && f->section[0]) {
            fputs(" (", out);
            put_clean(out, f->section, SECTION_MAX_CHARS);
            fputc(')', out);
        }
    } else if (f->line) {
        fprintf(out, ":%u", (unsigned)f->line);
        if (f->column)
            fprintf(out, ":%u", (unsigned)f->column);
    }
}

static void emit_finding(FILE *out, const struct qms_finding *f, int color)
{
    emit_place(out, f);
    fputs(": ", out);
    if (color)
        fprintf(out, "%s%s%s", severity_color(f->severity), severity_word(f->severity),
                ANSI_RESET);
    else
        fputs(severity_word(f->severity), out);
    fputs(": ", out);
    put_clean(out, f->message ? f->message : "", 0);
    fputs(" [", out);
    put_clean(out, f->rule_id ? f->rule_id : "?", 0);
    fputs("]\n", out);
}

static const char *plural(size_t n, const char *word_s)
{
    return n == 1 ? "" : word_s;
}

int qms_emit_text(FILE *out, const struct qms_result *r, const struct qms_emit_opts *o)
{
    int color = o && o->color;
    for (size_t i = 0; i < r->n_findings; i++)
        if (!r->findings[i].suppressed)
            emit_finding(out, &r->findings[i], color);
    if (!(o && o->quiet)) {
        size_t errors = r->counts[QMS_SEV_ERROR], warnings = r->counts[QMS_SEV_WARNING];
        fprintf(out, "%zu error%s, %zu warning%s, %zu info in %zu document%s", errors,
                plural(errors, "s"), warnings, plural(warnings, "s"), r->counts[QMS_SEV_INFO],
                r->n_docs, plural(r->n_docs, "s"));
        if (r->n_skipped)
            fprintf(out, " (%zu file%s skipped)", r->n_skipped, plural(r->n_skipped, "s"));
        /* kept, not shown: the gate's accounting (details in SARIF) */
        const char *sep = "; ";
        if (r->n_suppressed) {
            fprintf(out, "%s%zu suppressed inline", sep, r->n_suppressed);
            sep = ", ";
        }
        if (r->n_waived) {
            fprintf(out, "%s%zu waived", sep, r->n_waived);
            sep = ", ";
        }
        if (r->n_baselined)
            fprintf(out, "%s%zu in baseline", sep, r->n_baselined);
        fputc('\n', out);
    }
    return ferror(out) ? QMS_EIO : 0;
}
