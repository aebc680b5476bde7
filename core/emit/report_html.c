/* The gap report as one self-contained HTML file: inline CSS, inline SVG, no script, no
 * external font or image, so it works offline and as an e-mail attachment. Screen and print
 * CSS (each section on a new page, table rows never cut, header rows repeated). Every string
 * from a document goes through qms_html_text; links through href_path. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const char css[] =
    ":root{--ok:#1a7f37;--weak:#9a6700;--miss:#cf222e;--na:#57606a;--line:#d0d7de;"
    "--bg:#f6f8fa;--fg:#1f2328}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;"
    "color:var(--fg);margin:0 auto;max-width:1100px;padding:24px}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;border-bottom:1px solid var(--line);"
    "padding-bottom:4px;margin-top:32px}h3{font-size:16px;margin:20px 0 6px}\n"
    ".meta{color:#57606a;margin:0 0 16px}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px;"
    "background:var(--bg)}\n"
    ".card b{display:block;font-size:24px}\n"
    "table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:14px}\n"
    "th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}\n"
    "thead th{background:var(--bg)}\n"
    "tr.group th{background:#eaeef2;font-size:15px}\n"
    ".badge{display:inline-block;border-radius:10px;padding:1px 9px;font-weight:600;"
    "font-size:13px;color:#fff;white-space:nowrap;-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}\n"
    ".s-covered{background:var(--ok)}.s-weak{background:var(--weak)}"
    ".s-missing{background:var(--miss)}.s-excluded,.s-not-applicable{background:var(--na)}\n"
    ".sev-error{color:var(--miss);font-weight:600}.sev-warning{color:var(--weak);"
    "font-weight:600}.sev-info{color:var(--na)}\n"
    "ul.ev{margin:0;padding-left:18px}ul.ev li{margin:1px 0}\n"
    ".kind{color:#57606a;font-size:12px}.words{font-style:italic}\n"
    ".none{color:var(--miss)}\n"
    "code{font-size:12px}\n"
    "svg{max-width:100%;height:auto}svg text{font:12px system-ui,Arial,sans-serif}\n"
    "a{color:#0969da}\n"
    "@media print{body{max-width:none;padding:0;font-size:11pt}"
    "section{break-before:page;page-break-before:always}section#summary,section#chart{break-before:auto;"
    "page-break-before:auto}tr,li,.card,svg{break-inside:avoid;page-break-inside:avoid}"
    "thead{display:table-header-group}a{color:inherit;text-decoration:none}"
    "h2,h3{break-after:avoid;page-break-after:avoid}}\n"
    "@page{margin:16mm 14mm}\n";

/* An href for a document: prefix + path, percent-encoded except unreserved characters and
 * '/'. A path that would leave the set ("..", absolute) is still only a relative link. */
static void href_path(FILE *out, const char *prefix, const char *path)
{
    const char *parts[2] = {prefix ? prefix : "", path ? path : ""};
    for (int k = 0; k < 2; k++)
        for (const unsigned char *p = (const unsigned char *)parts[k]; *p; p++) {
            if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' ||
                *p == '~' || *p == '/')
                fputc(*p, out);
            else
                fprintf(out, "%%%02X", *p);
        }
}

static const char *status_mark(enum iso_cov_status s)
{
    switch (s) {
    case ISO_COV_COVERED:
        return "&#10004;";
    case ISO_COV_WEAK:
        return "&#9888;";
    case ISO_COV_MISSING:
        return "&#10008;";
    case ISO_COV_EXCLUDED:
    case ISO_COV_NOT_APPLICABLE:
        return "&#8211;";
    }
    return "";
}

static void badge(FILE *out, enum iso_cov_status s)
{
    const char *name = qms_report_status_name(s);
    fprintf(out, "<span class=\"badge s-%s\">%s %s</span>", name, status_mark(s), name);
}

static void doc_link(FILE *out, const struct qms_report *rep, const char *path, const char *id,
                     const char *title)
{
    fputs("<a href=\"", out);
    href_path(out, rep->link_prefix, path);
    fputs("\">", out);
    qms_html_text(out, id && id[0] ? id : path);
    fputs("</a>", out);
    if (title && title[0]) {
        fputc(' ', out);
        qms_html_text(out, title);
    }
}

static void emit_summary(FILE *out, const struct qms_report *rep,
                         const struct qms_report_counts *c)
{
    const struct qms_result *r = rep->result;
    fputs("<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n", out);
    fprintf(out, "<div class=\"card\" id=\"n-documents\"><b>%zu</b>documents read</div>\n",
            r->n_docs);
    if (c->unreadable)
        fprintf(out, "<div class=\"card\"><b>%zu</b>unreadable</div>\n", c->unreadable);
    static const enum iso_cov_status order[] = {ISO_COV_COVERED, ISO_COV_WEAK, ISO_COV_MISSING,
                                                ISO_COV_EXCLUDED, ISO_COV_NOT_APPLICABLE};
    for (size_t i = 0; rep->coverage && i < sizeof order / sizeof order[0]; i++)
        fprintf(out, "<div class=\"card\" id=\"n-%s\"><b>%zu</b>%s</div>\n",
                qms_report_status_name(order[i]), c->status[order[i]],
                qms_report_status_name(order[i]));
    fputs("</div>\n", out);
    fprintf(out,
            "<p>Findings: <span class=\"sev-error\">%zu error%s</span>, "
            "<span class=\"sev-warning\">%zu warning%s</span>, "
            "<span class=\"sev-info\">%zu info</span>.</p>\n",
            r->counts[QMS_SEV_ERROR], r->counts[QMS_SEV_ERROR] == 1 ? "" : "s",
            r->counts[QMS_SEV_WARNING], r->counts[QMS_SEV_WARNING] == 1 ? "" : "s",
            r->counts[QMS_SEV_INFO]);
    if (!rep->coverage) {
        fputs("<p class=\"none\">No coverage: ", out);
        qms_html_text(out, qms_report_no_coverage(rep));
        fputs(".</p>\n", out);
    } else {
        fputs("<p>A requirement is <b>covered</b> when a document declares its clause and "
              "shows it (a heading, title or record); <b>weak</b> when it is only declared or "
              "only shown; <b>missing</b> when nothing in the set addresses it; "
              "<b>excluded</b> or <b>not-applicable</b> when the scope statement excludes it "
              "with a justification.</p>\n",
              out);
    }
    fputs("</section>\n", out);
}

/* Stacked horizontal bar per clause group 4..10. */
static void emit_chart(FILE *out, const struct qms_report *rep)
{
    const struct iso_coverage *cov = rep->coverage;
    size_t counts[11][5];
    memset(counts, 0, sizeof counts);
    size_t max = 1;
    for (size_t i = 0; i < cov->n_items; i++) {
        int g = qms_report_clause_group(cov->items[i].clause);
        if (g)
            counts[g][qms_report_effective_status(&cov->items[i])]++;
    }
    for (int g = 4; g <= 10; g++) {
        size_t t = 0;
        for (int s = 0; s < 5; s++)
            t += counts[g][s];
        if (t > max)
            max = t;
    }
    static const enum iso_cov_status order[] = {ISO_COV_COVERED, ISO_COV_WEAK, ISO_COV_MISSING,
                                                ISO_COV_EXCLUDED, ISO_COV_NOT_APPLICABLE};
    static const char *const colour[] = {"#cf222e", "#9a6700", "#1a7f37", "#57606a", "#57606a"};
    const int label_w = 230, bar_w = 520, row_h = 28, top = 8;
    int height = top + 7 * row_h + 30;
    fputs("<section id=\"chart\">\n<h2>Coverage by clause</h2>\n", out);
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" aria-labelledby=\"chart-title\">\n"
            "<title id=\"chart-title\">Documented-information requirements per clause group, "
            "by status</title>\n",
            label_w + bar_w + 150, height, label_w + bar_w + 150, height);
    for (int g = 4; g <= 10; g++) {
        int y = top + (g - 4) * row_h;
        size_t total = 0;
        for (int s = 0; s < 5; s++)
            total += counts[g][s];
        fprintf(out, "<text x=\"0\" y=\"%d\">%d %s</text>\n", y + 17, g,
                qms_report_group_title(g));
        double x = label_w;
        for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
            size_t n = counts[g][order[k]];
            if (!n)
                continue;
            double w = (double)bar_w * (double)n / (double)max;
            fprintf(out,
                    "<rect class=\"bar s-%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" "
                    "fill=\"%s\"><title>%d: %zu %s</title></rect>\n",
                    qms_report_status_name(order[k]), x, y + 3, w, colour[order[k]], g, n,
                    qms_report_status_name(order[k]));
            if (w >= 18)
                fprintf(out,
                        "<text x=\"%.1f\" y=\"%d\" fill=\"#fff\" text-anchor=\"middle\">%zu</text>\n",
                        x + w / 2, y + 17, n);
            x += w;
        }
        fprintf(out, "<text x=\"%.1f\" y=\"%d\">%zu/%zu covered</text>\n", x + 6, y + 17,
                counts[g][ISO_COV_COVERED], total);
    }
    /* legend: colour and word */
    int ly = top + 7 * row_h + 12, lx = label_w;
    for (size_t k = 0; k < 4; k++) {
        fprintf(out,
                "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                "<text x=\"%d\" y=\"%d\">%s</text>\n",
                lx, ly, colour[order[k]], lx + 16, ly + 11,
                k == 3 ? "excluded / not applicable" : qms_report_status_name(order[k]));
        lx += k == 3 ? 200 : 100;
    }
    fputs("</svg>\n</section>\n", out);
}

static void emit_evidence(FILE *out, const struct qms_report *rep,
                          const struct iso_coverage_item *it)
{
    if (!it->n_evidence) {
        fputs("<span class=\"none\">no evidence found in the set</span>", out);
        return;
    }
    fputs("<ul class=\"ev\">", out);
    for (size_t e = 0; e < it->n_evidence; e++) {
        const struct iso_cov_evidence *ev = &it->evidence[e];
        const char *id, *title;
        qms_report_doc_names(rep->result, ev->path, &id, &title);
        fputs("<li>", out);
        doc_link(out, rep, ev->path, id, title);
        fprintf(out, " <span class=\"kind\">%s</span>", qms_report_evidence_kind_name(ev->kind));
        if (ev->text && ev->text[0]) {
            fputs(ev->kind == ISO_EV_SHOWN_HEADING ? " section &#8220;" : " &#8220;", out);
            qms_html_text(out, ev->text);
            fputs("&#8221;", out);
        }
        if (ev->words && ev->words[0]) {
            fputs(" <span class=\"words\">matched: ", out);
            qms_html_text(out, ev->words);
            fputs("</span>", out);
        }
        if (ev->kind == ISO_EV_EXCLUSION)
            fputs(ev->flags & ISO_EX_JUSTIFIED ? " (justified)" : " (no justification)", out);
        /* DOCX/ODT: the part and paragraph a person can find in Word; Markdown: the line */
        if (ev->part && ev->part[0]) {
            fputs(" <span class=\"kind\">", out);
            qms_html_text(out, ev->part);
            if (ev->block)
                fprintf(out, " paragraph %u", (unsigned)ev->block);
            fputs("</span>", out);
        } else if (ev->line) {
            fprintf(out, " <span class=\"kind\">line %u</span>", (unsigned)ev->line);
        }
        fputs("</li>", out);
    }
    fputs("</ul>", out);
}

static void emit_matrix(FILE *out, const struct qms_report *rep)
{
    const struct iso_coverage *cov = rep->coverage;
    fputs("<section id=\"matrix\">\n<h2>Coverage matrix</h2>\n", out);
    fputs("<table class=\"matrix\">\n<thead><tr><th>Clause</th><th>Requirement</th>"
          "<th>Kind</th><th>Status</th><th>Evidence</th></tr></thead>\n<tbody>\n",
          out);
    for (int g = 4; g <= 10; g++) {
        int any = 0;
        for (size_t i = 0; i < cov->n_items; i++) {
            const struct iso_coverage_item *it = &cov->items[i];
            if (qms_report_clause_group(it->clause) != g)
                continue;
            if (!any++)
                fprintf(out, "<tr class=\"group\"><th colspan=\"5\">%d %s</th></tr>\n", g,
                        qms_report_group_title(g));
            enum iso_cov_status s = qms_report_effective_status(it);
            fputs("<tr class=\"req\" id=\"req-", out);
            qms_html_text(out, it->requirement);
            fprintf(out, "\" data-status=\"%s\"><td>", qms_report_status_name(s));
            qms_html_text(out, it->clause);
            fputs("</td><td>", out);
            qms_html_text(out, it->name);
            if (it->summary && it->summary[0]) {
                fputs("<br><span class=\"kind\">", out);
                qms_html_text(out, it->summary);
                fputs("</span>", out);
            }
            fprintf(out, "</td><td>%s</td><td>", it->retain ? "retain" : "maintain");
            badge(out, s);
            if (it->exclusion_unjustified && it->status >= ISO_COV_EXCLUDED)
                fputs("<br><span class=\"kind\">excluded without a justification</span>", out);
            fputs("</td><td>", out);
            emit_evidence(out, rep, it);
            fputs("</td></tr>\n", out);
        }
    }
    fputs("</tbody>\n</table>\n</section>\n", out);
}

static void emit_register(FILE *out, const struct qms_report *rep,
                          const struct qms_register_row *rows)
{
    const struct qms_result *r = rep->result;
    fputs("<section id=\"register\">\n<h2>Document register</h2>\n<table>\n<thead><tr>"
          "<th>ID</th><th>Title</th><th>Revision</th><th>Status</th><th>Effective</th>"
          "<th>Approver</th><th>Type</th><th>File</th></tr></thead>\n<tbody>\n",
          out);
    for (size_t i = 0; i < r->n_docs; i++) {
        const struct qms_register_row *row = &rows[i];
        const char *v[] = {row->id,       row->title,    row->revision, row->status,
                           row->effective, row->approver, row->type};
        fputs("<tr>", out);
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
            fputs("<td>", out);
            qms_html_text(out, v[k][0] ? v[k] : "—");
            fputs("</td>", out);
        }
        fputs("<td><a href=\"", out);
        href_path(out, rep->link_prefix, row->path);
        fputs("\">", out);
        qms_html_text(out, row->path);
        fputs("</a>", out);
        if (row->doc->unreadable) {
            fputs(" <span class=\"none\">unreadable", out);
            if (row->doc->reason) {
                fputs(": ", out);
                qms_html_text(out, row->doc->reason);
            }
            fputs("</span>", out);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n</section>\n", out);
}

static void emit_findings(FILE *out, const struct qms_report *rep)
{
    const struct qms_result *r = rep->result;
    fputs("<section id=\"findings\">\n<h2>Findings by document</h2>\n", out);
    const char *current = NULL;
    size_t shown = 0;
    for (size_t i = 0; i < r->n_findings; i++) {
        const struct qms_finding *f = &r->findings[i];
        if (f->suppressed)
            continue;
        const char *path = f->path ? f->path : "";
        if (!current || strcmp(current, path) != 0) {
            if (current)
                fputs("</tbody></table>\n", out);
            fputs("<h3>", out);
            if (path[0]) {
                const char *id, *title;
                qms_report_doc_names(r, path, &id, &title);
                doc_link(out, rep, path, id, title);
            } else {
                fputs("The whole set", out);
            }
            fputs("</h3>\n<table class=\"findings\"><thead><tr><th>Severity</th>"
                  "<th>Where</th><th>Finding</th><th>Rule</th></tr></thead><tbody>\n",
                  out);
            current = path;
        }
        shown++;
        const char *sev = qms_severity_name(f->severity);
        fprintf(out, "<tr><td class=\"sev-%s\">%s</td><td>", sev, sev);
        if (f->part) {
            qms_html_text(out, f->part);
            if (f->block)
                fprintf(out, " paragraph %u", (unsigned)f->block);
            if (f->section)
                fputs(", ", out);
        } else if (f->line) {
            fprintf(out, "line %u%s", (unsigned)f->line, f->section ? ", " : "");
        }
        if (f->section) {
            fputs("section &#8220;", out);
            qms_html_text(out, f->section);
            fputs("&#8221;", out);
        }
        fputs("</td><td>", out);
        qms_html_text(out, f->message);
        fputs("</td><td><code>", out);
        qms_html_text(out, f->rule_id);
        fputs("</code></td></tr>\n", out);
    }
    if (current)
        fputs("</tbody></table>\n", out);
    if (!shown)
        fputs("<p>No findings.</p>\n", out);
    fputs("</section>\n", out);
}

int qms_emit_report_html(FILE *out, const struct qms_report *rep)
{
    struct qms_report_counts c;
    qms_report_count(&c, rep);
    struct qms_register_row *rows = qms_register_rows(rep->result);
    if (!rows)
        return QMS_ENOMEM;
    const char *standard = rep->coverage && rep->coverage->standard ? rep->coverage->standard
                                                                    : "ISO 9001";
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"qmslint ",
          out);
    qms_html_text(out, rep->tool_version ? rep->tool_version : "");
    fputs("\">\n<title>", out);
    qms_html_text(out, standard);
    fputs(" gap report</title>\n<style>\n", out);
    fputs(css, out);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>", out);
    qms_html_text(out, standard);
    fputs(" gap report</h1>\n<p class=\"meta\">Documented information, clause by clause, as "
          "qmslint ",
          out);
    qms_html_text(out, rep->tool_version ? rep->tool_version : "");
    fputs(" read the set.</p>\n</header>\n", out);
    emit_summary(out, rep, &c);
    if (rep->coverage) {
        emit_chart(out, rep);
        emit_matrix(out, rep);
    }
    emit_register(out, rep, rows);
    emit_findings(out, rep);
    fputs("</body>\n</html>\n", out);
    free(rows);
    return ferror(out) ? QMS_EIO : 0;
}
