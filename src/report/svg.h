/* svg.h — the inline SVG charts of the HTML report.
 *
 * Plain SVG written as text: no script, no font files, no external
 * reference, so the report opens anywhere, offline, and reads without
 * JavaScript (a <title> on each point gives the exact value on hover).
 * Two kinds:
 *   line chart    series of (x, y) points, linear axes with "nice" ticks or
 *                 ticks given by the caller (percentile spectrum, commits),
 *                 optional vertical markers (trial boundaries);
 *   change chart  one row per metric: the change with its 95% interval as
 *                 a whisker, a line at no change and dashed lines at the
 *                 minimum effect, coloured by verdict (a forest plot). */
#ifndef PG_REPORT_SVG_H
#define PG_REPORT_SVG_H

#include <stddef.h>

#include "common/buf.h"

typedef struct pg_svg_series {
    const char *name;
    const char *colour; /* CSS colour */
    const double *x, *y;
    size_t n;
    int dashed;
} pg_svg_series;

typedef struct pg_svg_chart {
    const char *title, *x_label, *y_label;
    const pg_svg_series *series;
    size_t n_series;
    const double *marks; /* vertical lines at these x, or NULL */
    size_t n_marks;
    const double *x_ticks; /* ticks and labels given by the caller, or NULL */
    const char *const *x_tick_labels;
    size_t n_x_ticks;
    int y_from_zero;
} pg_svg_chart;

void pg_svg_line_chart(pg_buf *out, const pg_svg_chart *c);

typedef struct pg_svg_change {
    const char *label;     /* escaped by the chart */
    double change, lo, hi; /* fractions: +0.12 is 12% worse when worse_when_higher */
    double min_effect;
    const char *colour;
} pg_svg_change;

void pg_svg_change_chart(pg_buf *out, const char *title, const pg_svg_change *rows, size_t n);

/* A step that gives about n ticks over span: 1, 2 or 5 times a power of ten. */
double pg_svg_nice_step(double span, int n);

#endif
