/*
 * report.c - text, JSON, JUnit XML and Markdown forms of a verdict_report
 * (see report.h; docs/verdicts.md shows examples).
 */
#include "report.h"
#include "../core/fdio.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const report_format_names[] = { "text", "json", "junit", "markdown", NULL };

int report_format_parse(const char *name, report_format *out)
{
    for (int i = 0; report_format_names[i]; i++) {
        if (!strcmp(name, report_format_names[i])) {
            *out = (report_format)i;
            return 0;
        }
    }
    return -1;
}

/* Order of the kinds in summaries: what fails CI first. */
static const verdict_kind summary_order[] = {
    VERDICT_FAILED, VERDICT_REGRESSED, VERDICT_IMPROVED, VERDICT_UNCHANGED,
    VERDICT_INCONCLUSIVE, VERDICT_NEW, VERDICT_MISSING,
};
#define NSUMMARY (sizeof summary_order / sizeof summary_order[0])

char *report_summary(const verdict_report *r, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NSUMMARY; i++) {
        size_t c = r->counts[summary_order[i]];
        if (!c)
            continue;
        int n = snprintf(buf + used, len - used, "%s%zu %s", used ? ", " : "", c,
                         verdict_kind_name(summary_order[i]));
        if (n < 0 || (size_t)n >= len - used)
            break;
        used += (size_t)n;
    }
    if (!used)
        snprintf(buf, len, "nothing to compare");
    return buf;
}

/* --- numbers ------------------------------------------------------------- */

/* Three significant figures, without exponent for the usual ranges. */
static void fmt_sig(double v, char *buf, size_t len)
{
    double a = fabs(v);
    if (a >= 100 || a == 0)
        snprintf(buf, len, "%.0f", v);
    else if (a >= 10)
        snprintf(buf, len, "%.1f", v);
    else if (a >= 1)
        snprintf(buf, len, "%.2f", v);
    else
        snprintf(buf, len, "%.3g", v);
}

char *report_format_value(double value, const char *unit, char *buf, size_t len)
{
    char num[64];
    if (isnan(value)) {
        snprintf(buf, len, "-");
        return buf;
    }
    if (!unit)
        unit = "";
    if (!strcmp(unit, "ns")) {
        static const char *const u[] = { "ns", "us", "ms", "s" };
        size_t k = 0;
        while (k < 3 && fabs(value) >= 1000) {
            value /= 1000;
            k++;
        }
        fmt_sig(value, num, sizeof num);
        snprintf(buf, len, "%s %s", num, u[k]);
    } else if (!strcmp(unit, "bytes") || !strcmp(unit, "B") || !strcmp(unit, "B/s")) {
        static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB" };
        int rate = !strcmp(unit, "B/s");
        size_t k = 0;
        while (k < 4 && fabs(value) >= 1024) {
            value /= 1024;
            k++;
        }
        fmt_sig(value, num, sizeof num);
        snprintf(buf, len, "%s %s%s", num, u[k], rate ? "/s" : "");
    } else {
        static const char *const u[] = { "", "k", "M", "G", "T" };
        size_t k = 0;
        while (k < 4 && fabs(value) >= 1000) {
            value /= 1000;
            k++;
        }
        fmt_sig(value, num, sizeof num);
        snprintf(buf, len, "%s%s%s%s", num, u[k], *unit ? " " : "", unit);
    }
    return buf;
}

static char *fmt_change(double ratio, char *buf, size_t len)
{
    if (isnan(ratio))
        snprintf(buf, len, "-");
    else if (isinf(ratio))
        snprintf(buf, len, "+inf%%");
    else
        snprintf(buf, len, "%+.1f%%", (ratio - 1) * 100);
    return buf;
}

static char *fmt_ci(const verdict_row *row, char *buf, size_t len)
{
    if (isnan(row->ci_low) || isnan(row->ci_high))
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "[%+.1f%%, %+.1f%%]", (row->ci_low - 1) * 100,
                 (row->ci_high - 1) * 100);
    return buf;
}

static char *fmt_p(double p, char *buf, size_t len)
{
    if (isnan(p))
        snprintf(buf, len, "-");
    else if (p < 0.001)
        snprintf(buf, len, "<0.001");
    else
        snprintf(buf, len, "%.3f", p);
    return buf;
}

static char *fmt_pct(double fraction, char *buf, size_t len)
{
    if (isinf(fraction))
        snprintf(buf, len, "none (reported only)");
    else
        snprintf(buf, len, "%g%%", fraction * 100);
    return buf;
}

static int multi_metric(const verdict_report *r)
{
    if (r->metric && !strcmp(r->metric, "all"))
        return 1;
    for (size_t i = 1; i < r->nrows; i++) {
        const char *a = r->rows[0].metric, *b = r->rows[i].metric;
        if ((a == NULL) != (b == NULL) || (a && strcmp(a, b)))
            return 1;
    }
    return 0;
}

static const char *metric_or_dash(const verdict_row *row)
{
    return row->metric ? row->metric : "-";
}

static void header_line(const verdict_report *r, char *buf, size_t len)
{
    char t[32];
    size_t used = 0;
    int n = snprintf(buf, len, "comparing %s with %s: %s, threshold %s, alpha %g",
                     r->current_label ? r->current_label : "current run",
                     r->baseline_label ? r->baseline_label : "the baseline",
                     r->metric ? r->metric : VERDICT_DEFAULT_METRIC,
                     fmt_pct(r->threshold, t, sizeof t), r->alpha);
    if (n > 0)
        used = (size_t)n < len ? (size_t)n : len - 1;
    if (r->fail_on_improvement && used < len)
        snprintf(buf + used, len - used, ", failing on improvements");
}

/* --- text ---------------------------------------------------------------- */

enum { COL_BENCH, COL_METRIC, COL_BASE, COL_CUR, COL_CHANGE, COL_CI, COL_P, COL_VERDICT, NCOLS };

static const char *const col_titles[NCOLS] = {
    "benchmark", "metric", "baseline", "current", "change", "95% CI", "p", "verdict",
};

static void row_cells(const verdict_row *row, char cells[NCOLS][96])
{
    snprintf(cells[COL_BENCH], 96, "%s", row->bench);  /* width from strlen below */
    snprintf(cells[COL_METRIC], 96, "%s", metric_or_dash(row));
    report_format_value(row->base_median, row->unit, cells[COL_BASE], 96);
    report_format_value(row->cur_median, row->unit, cells[COL_CUR], 96);
    fmt_change(row->ratio, cells[COL_CHANGE], 96);
    fmt_ci(row, cells[COL_CI], 96);
    fmt_p(row->p, cells[COL_P], 96);
    snprintf(cells[COL_VERDICT], 96, "%s", verdict_kind_name(row->kind));
}

static const char *kind_color(verdict_kind k)
{
    switch (k) {
    case VERDICT_FAILED:
    case VERDICT_REGRESSED:
        return "\033[1;31m";
    case VERDICT_IMPROVED:
        return "\033[32m";
    case VERDICT_INCONCLUSIVE:
        return "\033[33m";
    case VERDICT_NEW:
    case VERDICT_MISSING:
        return "\033[36m";
    default:
        return NULL;
    }
}

static int write_text(FILE *f, const verdict_report *r, int color)
{
    char buf[1024];
    size_t w[NCOLS];
    int show_metric = multi_metric(r);
    char(*cells)[96] = malloc(NCOLS * sizeof *cells);
    if (!cells)
        return -1;

    header_line(r, buf, sizeof buf);
    fprintf(f, "%s\n", buf);
    if (r->machines_differ)
        fprintf(f, "machines differ: '%s' vs '%s'\n",
                r->baseline_machine ? r->baseline_machine : "?",
                r->current_machine ? r->current_machine : "?");

    for (int c = 0; c < NCOLS; c++)
        w[c] = strlen(col_titles[c]);
    for (size_t i = 0; i < r->nrows; i++) {
        row_cells(&r->rows[i], cells);
        size_t bl = strlen(r->rows[i].bench);
        if (bl > w[COL_BENCH])
            w[COL_BENCH] = bl;
        for (int c = 1; c < NCOLS; c++)
            if (strlen(cells[c]) > w[c])
                w[c] = strlen(cells[c]);
    }

    if (r->nrows) {
        fputc('\n', f);
        for (int c = 0; c < NCOLS; c++) {
            if (c == COL_METRIC && !show_metric)
                continue;
            int left = c == COL_BENCH || c == COL_METRIC || c == COL_VERDICT;
            if (c == COL_VERDICT)
                fprintf(f, "%s", col_titles[c]);
            else
                fprintf(f, left ? "%-*s  " : "%*s  ", (int)w[c], col_titles[c]);
        }
        fputc('\n', f);
    }
    for (size_t i = 0; i < r->nrows; i++) {
        const verdict_row *row = &r->rows[i];
        row_cells(row, cells);
        fprintf(f, "%-*s  ", (int)w[COL_BENCH], row->bench);
        if (show_metric)
            fprintf(f, "%-*s  ", (int)w[COL_METRIC], cells[COL_METRIC]);
        for (int c = COL_BASE; c <= COL_P; c++)
            fprintf(f, "%*s  ", (int)w[c], cells[c]);
        const char *col = color ? kind_color(row->kind) : NULL;
        if (row->note) {
            fprintf(f, "%s%-*s%s  %s\n", col ? col : "", (int)w[COL_VERDICT], cells[COL_VERDICT],
                    col ? "\033[0m" : "", row->note);
        } else {
            fprintf(f, "%s%s%s\n", col ? col : "", cells[COL_VERDICT], col ? "\033[0m" : "");
        }
    }
    if (r->nrows)
        fputc('\n', f);
    fprintf(f, "%s\n", report_summary(r, buf, sizeof buf));
    free(cells);
    return ferror(f) ? -1 : 0;
}

/* --- JSON ---------------------------------------------------------------- */

static int add(cJSON *obj, const char *key, cJSON *item)
{
    if (!item)
        return -1;
    if (!cJSON_AddItemToObject(obj, key, item)) {
        cJSON_Delete(item);
        return -1;
    }
    return 0;
}

/* One side of a row: its sample count, its median and, when the process
 * was the unit, its number of processes (else null). */
static cJSON *side_json(size_t n, double median, size_t processes)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (add(o, "n", cJSON_CreateNumber((double)n)) || add(o, "median", cli_json_number(median)) ||
        add(o, "processes", processes ? cJSON_CreateNumber((double)processes) : cJSON_CreateNull())) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *ci_json(const verdict_row *row)
{
    if (isnan(row->ci_low) || isnan(row->ci_high))
        return cJSON_CreateNull();
    cJSON *ci = cJSON_CreateArray();
    cJSON *lo = cli_json_number(row->ci_low), *hi = cli_json_number(row->ci_high);
    if (!ci || !lo || !hi) {
        cJSON_Delete(ci);
        cJSON_Delete(lo);
        cJSON_Delete(hi);
        return NULL;
    }
    cJSON_AddItemToArray(ci, lo);
    cJSON_AddItemToArray(ci, hi);
    return ci;
}

static cJSON *row_json(const verdict_row *row)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    const char *dir = row->direction == RESULTS_HIGHER_IS_BETTER ? "higher" : "lower";
    if (add(o, "benchmark", cJSON_CreateString(row->bench)) ||
        add(o, "metric", cli_json_string(row->metric)) ||
        add(o, "unit", cli_json_string(row->unit)) ||
        add(o, "direction", cJSON_CreateString(dir)) ||
        add(o, "verdict", cJSON_CreateString(verdict_kind_name(row->kind))) ||
        add(o, "baseline", side_json(row->n_base, row->base_median, row->k_base)) ||
        add(o, "current", side_json(row->n_cur, row->cur_median, row->k_cur)) ||
        add(o, "ratio", cli_json_number(row->ratio)) ||
        add(o, "change", cli_json_number(row->ratio - 1)) ||
        add(o, "ratio_ci", ci_json(row)) ||
        add(o, "p_value", cli_json_number(row->p)) ||
        add(o, "threshold", cli_json_number(row->threshold)) ||
        add(o, "threshold_only", cJSON_CreateBool(row->threshold_only)) ||
        add(o, "reruns", cJSON_CreateNumber(row->reruns)) ||
        add(o, "note", cli_json_string(row->note))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

char *report_json(const verdict_report *r)
{
    char *text = NULL;
    cJSON *root = cJSON_CreateObject(), *rows = NULL, *summary = NULL, *side = NULL;
    if (!root)
        return NULL;
    if (add(root, "schema", cJSON_CreateString("perfcmp-compare")) ||
        add(root, "version", cJSON_CreateNumber(1)))
        goto out;
    side = cJSON_CreateObject();
    if (!side || add(side, "label", cli_json_string(r->baseline_label)) ||
        add(side, "machine", cli_json_string(r->baseline_machine)))
        goto out;
    if (add(root, "baseline", side)) {
        side = NULL;
        goto out;
    }
    side = cJSON_CreateObject();
    if (!side || add(side, "label", cli_json_string(r->current_label)) ||
        add(side, "machine", cli_json_string(r->current_machine)))
        goto out;
    if (add(root, "current", side)) {
        side = NULL;
        goto out;
    }
    side = NULL;
    if (add(root, "machines_differ", cJSON_CreateBool(r->machines_differ)) ||
        add(root, "metric", cli_json_string(r->metric)) ||
        add(root, "threshold", cJSON_CreateNumber(r->threshold)) ||
        add(root, "alpha", cJSON_CreateNumber(r->alpha)) ||
        add(root, "ci_level", cJSON_CreateNumber(VERDICT_CI_LEVEL)) ||
        add(root, "fail_on_improvement", cJSON_CreateBool(r->fail_on_improvement)))
        goto out;
    rows = cJSON_CreateArray();
    if (!rows)
        goto out;
    for (size_t i = 0; i < r->nrows; i++) {
        cJSON *o = row_json(&r->rows[i]);
        if (!o || !cJSON_AddItemToArray(rows, o)) {
            cJSON_Delete(o);
            goto out;
        }
    }
    if (add(root, "results", rows)) {
        rows = NULL;
        goto out;
    }
    rows = NULL;
    summary = cJSON_CreateObject();
    if (!summary)
        goto out;
    for (size_t i = 0; i < NSUMMARY; i++)
        if (add(summary, verdict_kind_name(summary_order[i]),
                cJSON_CreateNumber((double)r->counts[summary_order[i]])))
            goto out;
    if (add(summary, "total", cJSON_CreateNumber((double)r->nrows)))
        goto out;
    if (add(root, "summary", summary)) {
        summary = NULL;
        goto out;
    }
    summary = NULL;
    if (add(root, "exit_status", cJSON_CreateNumber(r->exit_status)))
        goto out;
    text = cJSON_Print(root);
out:
    cJSON_Delete(side);
    cJSON_Delete(rows);
    cJSON_Delete(summary);
    cJSON_Delete(root);
    return text;
}

static int write_json(FILE *f, const verdict_report *r)
{
    char *text = report_json(r);
    if (!text) {
        errno = ENOMEM;
        return -1;
    }
    fprintf(f, "%s\n", text);
    free(text);
    return ferror(f) ? -1 : 0;
}

/* --- JUnit XML ----------------------------------------------------------- */

/* Writes S escaped for XML text and attribute values; characters XML 1.0
 * cannot carry (control characters other than tab, LF, CR) become '?'. */
static void xml_escape(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        case '\t': fputs("&#9;", f); break;
        case '\n': fputs("&#10;", f); break;
        case '\r': fputs("&#13;", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fputc('?', f);
            else
                fputc(*p, f);
        }
    }
}

/* "+25.3% (threshold 20%, 95% CI [+20.1%, +30.2%], p <0.001)" */
static void row_detail(const verdict_row *row, char *buf, size_t len)
{
    char ch[32], ci[64], p[32], t[32], b[64], c[64];
    snprintf(buf, len, "%s: baseline %s, current %s, change %s, 95%% CI %s, p %s, threshold %s%s%s",
             verdict_kind_name(row->kind), report_format_value(row->base_median, row->unit, b, sizeof b),
             report_format_value(row->cur_median, row->unit, c, sizeof c),
             fmt_change(row->ratio, ch, sizeof ch), fmt_ci(row, ci, sizeof ci),
             fmt_p(row->p, p, sizeof p), fmt_pct(row->threshold, t, sizeof t),
             row->note ? "; " : "", row->note ? row->note : "");
}

static int is_failure(const verdict_report *r, const verdict_row *row)
{
    return row->kind == VERDICT_FAILED || row->kind == VERDICT_REGRESSED ||
           (r->fail_on_improvement && row->kind == VERDICT_IMPROVED);
}

static int is_skipped(const verdict_row *row)
{
    return row->kind == VERDICT_INCONCLUSIVE || row->kind == VERDICT_MISSING;
}

static int write_junit(FILE *f, const verdict_report *r)
{
    size_t failures = 0, skipped = 0;
    char detail[2048], head[1024];
    for (size_t i = 0; i < r->nrows; i++) {
        if (is_failure(r, &r->rows[i]))
            failures++;
        else if (is_skipped(&r->rows[i]))
            skipped++;
    }
    header_line(r, head, sizeof head);
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
    fprintf(f, "<testsuites name=\"perfcmp\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
            r->nrows, failures, skipped);
    fprintf(f, "  <testsuite name=\"perfcmp compare\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\">\n",
            r->nrows, failures, skipped);
    fputs("    <properties>\n      <property name=\"comparison\" value=\"", f);
    xml_escape(f, head);
    fputs("\"/>\n      <property name=\"summary\" value=\"", f);
    xml_escape(f, report_summary(r, detail, sizeof detail));
    fputs("\"/>\n    </properties>\n", f);
    for (size_t i = 0; i < r->nrows; i++) {
        const verdict_row *row = &r->rows[i];
        row_detail(row, detail, sizeof detail);
        fputs("    <testcase classname=\"perfcmp", f);
        if (row->metric) {
            fputc('.', f);
            xml_escape(f, row->metric);
        }
        fputs("\" name=\"", f);
        xml_escape(f, row->bench);
        fputs("\" time=\"0\"", f);
        if (is_failure(r, row)) {
            fprintf(f, ">\n      <failure type=\"%s\" message=\"", verdict_kind_name(row->kind));
            xml_escape(f, detail);
            fputs("\">", f);
            xml_escape(f, detail);
            fputs("</failure>\n    </testcase>\n", f);
        } else if (is_skipped(row)) {
            fputs(">\n      <skipped message=\"", f);
            xml_escape(f, detail);
            fputs("\"/>\n    </testcase>\n", f);
        } else {
            fputs(">\n      <system-out>", f);
            xml_escape(f, detail);
            fputs("</system-out>\n    </testcase>\n", f);
        }
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    return ferror(f) ? -1 : 0;
}

/* --- Markdown ------------------------------------------------------------ */

/* Escapes the characters that Markdown tables and inline markup give a
 * meaning to; newlines become spaces (a row is one line). */
static void md_escape(FILE *f, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '\n' || *p == '\r')
            fputc(' ', f);
        else if (strchr("\\`*_[]<>|#~", *p))
            fprintf(f, "\\%c", *p);
        else
            fputc(*p, f);
    }
}

static int write_markdown(FILE *f, const verdict_report *r)
{
    char buf[1024], head[1024];
    int show_metric = multi_metric(r);
    char(*cells)[96] = malloc(NCOLS * sizeof *cells);
    if (!cells)
        return -1;
    report_summary(r, buf, sizeof buf);
    header_line(r, head, sizeof head);
    fputs("**perfcmp: ", f);
    md_escape(f, buf);
    fputs("**\n\n", f);
    md_escape(f, head);
    fputs("\n\n", f);
    if (r->nrows) {
        fprintf(f, "| Benchmark |%s Baseline | Current | Change | 95%% CI | p | Verdict |\n",
                show_metric ? " Metric |" : "");
        fprintf(f, "|:---|%s---:|---:|---:|---:|---:|:---|\n", show_metric ? ":---|" : "");
    }
    for (size_t i = 0; i < r->nrows; i++) {
        const verdict_row *row = &r->rows[i];
        row_cells(row, cells);
        fputs("| ", f);
        md_escape(f, row->bench);
        fputs(" |", f);
        if (show_metric) {
            fputc(' ', f);
            md_escape(f, cells[COL_METRIC]);
            fputs(" |", f);
        }
        /* Numbers are ours: nothing in them needs escaping. */
        for (int c = COL_BASE; c <= COL_P; c++)
            fprintf(f, " %s |", cells[c]);
        int strong = is_failure(r, row);
        fprintf(f, " %s%s%s", strong ? "**" : "", cells[COL_VERDICT], strong ? "**" : "");
        if (row->note) {
            fputs(" (", f);
            md_escape(f, row->note);
            fputc(')', f);
        }
        fputs(" |\n", f);
    }
    free(cells);
    return ferror(f) ? -1 : 0;
}

/* --- entry points -------------------------------------------------------- */

int report_write(FILE *f, const verdict_report *r, report_format fmt, int color)
{
    switch (fmt) {
    case REPORT_TEXT:
        return write_text(f, r, color);
    case REPORT_JSON:
        return write_json(f, r);
    case REPORT_JUNIT:
        return write_junit(f, r);
    case REPORT_MARKDOWN:
        return write_markdown(f, r);
    }
    errno = EINVAL;
    return -1;
}

int report_write_file(const char *path, const verdict_report *r, report_format fmt)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    FILE *f = NULL;
    int fd = -1, rc = -1, saved = 0, created = 0;
    if (!tmp)
        return -1;
    if (fdio_in_place(path)) {   /* -o /dev/null, a FIFO, a symlink */
        if ((fd = fdio_open_in_place(path)) < 0 || !(f = fdopen(fd, "w")))
            goto out;
        fd = -1;
        int werr = report_write(f, r, fmt, 0) != 0 || fflush(f) != 0;
        saved = errno;
        if (fclose(f) != 0 && !werr) {
            werr = 1;
            saved = errno;
        }
        f = NULL;
        errno = saved;
        rc = werr ? -1 : 0;
        goto out;
    }
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0)
        goto out;
    created = 1;
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0)
        goto out;
    f = fdopen(fd, "w");
    if (!f)
        goto out;
    fd = -1;
    if (report_write(f, r, fmt, 0) != 0 || fflush(f) != 0 || fsync(fileno(f)) != 0)
        goto out;
    if (fclose(f) != 0) {
        f = NULL;
        goto out;
    }
    f = NULL;
    if (rename(tmp, path) != 0)
        goto out;
    rc = 0;
out:
    saved = errno;
    if (f)
        fclose(f);
    if (fd >= 0)
        close(fd);
    if (rc != 0 && created)
        unlink(tmp);
    free(tmp);
    errno = saved;
    return rc;
}
