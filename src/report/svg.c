/* svg.c — inline SVG line and change charts (see svg.h). */
#include "report/svg.h"

#include <math.h>
#include <stdio.h>

#include "report/escape.h"

#define W 720.0
#define H 300.0
#define LEFT 64.0
#define RIGHT 36.0
#define TOP 44.0
#define BOTTOM 44.0

double pg_svg_nice_step(double span, int n)
{
    double raw, mag, f;

    if (!(span > 0) || n < 1)
        return 1.0;
    raw = span / n;
    mag = pow(10.0, floor(log10(raw)));
    f = raw / mag;
    return (f < 1.5 ? 1.0 : f < 3.5 ? 2.0 : f < 7.5 ? 5.0 : 10.0) * mag;
}

static void text_el(pg_buf *b, double x, double y, const char *anchor, const char *cls,
                    const char *s)
{
    pg_buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor,
                  cls);
    pg_escape_html(b, s, 80);
    pg_buf_puts(b, "</text>");
}

static void number(char *buf, size_t size, double v, double step)
{
    int decimals = step >= 1 ? 0 : (int)ceil(-log10(step));
    snprintf(buf, size, "%.*f", decimals > 6 ? 6 : decimals, v);
}

void pg_svg_line_chart(pg_buf *b, const pg_svg_chart *c)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY, pw = W - LEFT - RIGHT,
           ph = H - TOP - BOTTOM, step;
    char s[64];

    for (size_t i = 0; i < c->n_series; i++)
        for (size_t k = 0; k < c->series[i].n; k++) {
            double x = c->series[i].x[k], y = c->series[i].y[k];
            if (!isfinite(x) || !isfinite(y))
                continue;
            x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
        }
    for (size_t i = 0; i < c->n_x_ticks; i++)
        x0 = fmin(x0, c->x_ticks[i]), x1 = fmax(x1, c->x_ticks[i]);
    pg_buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\"><title>", W, H);
    pg_escape_html(b, c->title, 200);
    pg_buf_puts(b, "</title>");
    text_el(b, LEFT, 16, "start", "t", c->title);
    if (!isfinite(x0) || !isfinite(y0)) {
        text_el(b, W / 2, H / 2, "middle", "l", "no data");
        pg_buf_puts(b, "</svg>\n");
        return;
    }
    if (c->y_from_zero && y0 > 0)
        y0 = 0;
    if (x1 <= x0)
        x1 = x0 + 1;
    step = pg_svg_nice_step(y1 - y0 > 0 ? y1 - y0 : fabs(y1) + 1, 5);
    y0 = floor(y0 / step) * step;
    y1 = ceil(y1 / step) * step;
    if (y1 <= y0)
        y1 = y0 + step;
#define PX(x) (LEFT + ((x)-x0) / (x1 - x0) * pw)
#define PY(y) (TOP + ph - ((y)-y0) / (y1 - y0) * ph)
    /* y grid and labels */
    for (double y = y0; y <= y1 + step / 2; y += step) {
        pg_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"g\"/>",
                      LEFT, LEFT + pw, PY(y), PY(y));
        number(s, sizeof s, y, step);
        text_el(b, LEFT - 6, PY(y) + 4, "end", "l", s);
    }
    /* x ticks: given, or nice */
    if (c->n_x_ticks) {
        for (size_t i = 0; i < c->n_x_ticks; i++) {
            pg_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"g\"/>",
                          PX(c->x_ticks[i]), PX(c->x_ticks[i]), TOP, TOP + ph);
            text_el(b, PX(c->x_ticks[i]), TOP + ph + 16, "middle", "l", c->x_tick_labels[i]);
        }
    } else {
        double xs = pg_svg_nice_step(x1 - x0, 8);
        for (double x = ceil(x0 / xs) * xs; x <= x1 + xs / 1000; x += xs) {
            number(s, sizeof s, x, xs);
            text_el(b, PX(x), TOP + ph + 16, "middle", "l", s);
        }
    }
    for (size_t i = 0; i < c->n_marks; i++)
        pg_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"m\"/>",
                      PX(c->marks[i]), PX(c->marks[i]), TOP, TOP + ph);
    pg_buf_printf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"f\"/>",
                  LEFT, TOP, pw, ph);
    text_el(b, LEFT + pw / 2, H - 6, "middle", "l", c->x_label);
    pg_buf_printf(b,
                  "<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\" "
                  "class=\"l\">",
                  TOP + ph / 2);
    pg_escape_html(b, c->y_label, 80);
    pg_buf_puts(b, "</text>");
    for (size_t i = 0; i < c->n_series; i++) {
        const pg_svg_series *se = &c->series[i];
        int pen = 0;
        pg_buf_printf(b, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\"%s d=\"",
                      se->colour, se->dashed ? " stroke-dasharray=\"5 4\"" : "");
        for (size_t k = 0; k < se->n; k++) {
            if (!isfinite(se->x[k]) || !isfinite(se->y[k])) {
                pen = 0;
                continue;
            }
            pg_buf_printf(b, "%s%.1f %.1f ", pen ? "L" : "M", PX(se->x[k]), PY(se->y[k]));
            pen = 1;
        }
        pg_buf_puts(b, "\"/>");
        if (se->n <= 60) /* points with their value on hover, where few enough to read */
            for (size_t k = 0; k < se->n; k++) {
                if (!isfinite(se->x[k]) || !isfinite(se->y[k]))
                    continue;
                pg_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>",
                              PX(se->x[k]), PY(se->y[k]), se->colour);
                pg_escape_html(b, se->name, 80);
                pg_buf_printf(b, ": %.4g</title></circle>", se->y[k]);
            }
        /* legend: below the title, right-aligned, clear of the lines */
        pg_buf_printf(b, "<rect x=\"%.1f\" y=\"27\" width=\"12\" height=\"3\" fill=\"%s\"/>",
                      W - RIGHT - 130.0 * (double)(c->n_series - i), se->colour);
        text_el(b, W - RIGHT - 130.0 * (double)(c->n_series - i) + 16, 32, "start", "l", se->name);
    }
#undef PX
#undef PY
    pg_buf_puts(b, "</svg>\n");
}

void pg_svg_change_chart(pg_buf *b, const char *title, const pg_svg_change *rows, size_t n)
{
    double lo = -0.1, hi = 0.1, row_h = 26, h = TOP + BOTTOM + row_h * (double)n, left = 260,
           pw = W - left - RIGHT, step;
    char s[64];

    for (size_t i = 0; i < n; i++) {
        if (isfinite(rows[i].lo))
            lo = fmin(lo, rows[i].lo);
        if (isfinite(rows[i].hi))
            hi = fmax(hi, rows[i].hi);
        lo = fmin(lo, -rows[i].min_effect), hi = fmax(hi, rows[i].min_effect);
    }
    step = pg_svg_nice_step(hi - lo, 6);
    lo = floor(lo / step) * step;
    hi = ceil(hi / step) * step;
#define PX(x) (left + ((x)-lo) / (hi - lo) * pw)
    pg_buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %.0f %.0f\" role=\"img\"><title>", W, h);
    pg_escape_html(b, title, 200);
    pg_buf_puts(b, "</title>");
    text_el(b, 8, 18, "start", "t", title);
    for (double x = lo; x <= hi + step / 2; x += step) {
        snprintf(s, sizeof s, "%+.0f%%", x * 100);
        pg_buf_printf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>",
                      PX(x), PX(x), TOP, h - BOTTOM, fabs(x) < step / 2 ? "z" : "g");
        text_el(b, PX(x), h - BOTTOM + 16, "middle", "l", s);
    }
    text_el(b, left + pw / 2, h - 8, "middle", "l",
            "change against the baseline, with its 95% interval (right is worse)");
    for (size_t i = 0; i < n; i++) {
        const pg_svg_change *r = &rows[i];
        double y = TOP + row_h * ((double)i + 0.5);
        text_el(b, left - 8, y + 4, "end", "l", r->label);
        pg_buf_printf(b,
                      "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"e\"/>"
                      "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" class=\"e\"/>",
                      PX(r->min_effect), PX(r->min_effect), y - 10, y + 10, PX(-r->min_effect),
                      PX(-r->min_effect), y - 10, y + 10);
        if (isfinite(r->lo) && isfinite(r->hi))
            pg_buf_printf(b,
                          "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                          "stroke-width=\"3\"/>",
                          PX(r->lo), PX(r->hi), y, y, r->colour);
        if (isfinite(r->change)) {
            pg_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>",
                          PX(r->change), y, r->colour);
            pg_escape_html(b, r->label, 80);
            pg_buf_printf(b, ": %+.1f%% [%+.1f%%, %+.1f%%]</title></circle>", r->change * 100,
                          r->lo * 100, r->hi * 100);
        }
    }
#undef PX
    pg_buf_puts(b, "</svg>\n");
}
