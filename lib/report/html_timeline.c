/*
 * html_timeline.c - the html report's expiry timeline, in inline SVG:
 * one row per subject with a chain, a mark for its leaf and for any
 * certificate of the chain that expires before the leaf, on a date axis
 * from today to the latest mark.  Left of today a hatched column holds
 * what has expired; each row shades its --warn-days window and
 * cross-hatches its --crit-days one (a limit given as a share of the
 * lifetime differs from chain to chain).  Shapes and labels carry the
 * state, so the drawing reads in greyscale.
 */
#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"
#include "report/fleet.h"
#include "report/html.h"
#include "report/report.h"

#define DAY_SECONDS 86400

#define TL_W 960
#define TL_LABEL 250	/* the subject names */
#define TL_EXPIRED 56	/* the "expired" column, left of today */
#define TL_X0 (TL_LABEL + TL_EXPIRED)
#define TL_X1 (TL_W - 70)
#define TL_TOP 46
#define TL_ROW 24

struct axis {
	time_t now, end;
};

static double
axis_x(const struct axis *a, time_t t)
{
	if (t < a->now)
		return TL_LABEL + TL_EXPIRED / 2.0;
	return TL_X0 + (double)(t - a->now) / (double)(a->end - a->now) *
	    (TL_X1 - TL_X0);
}

/* Is this certificate drawn?  The leaf, and any that expires before it. */
static bool
marked(const struct fleet_subject *fs, size_t i)
{
	const struct fleet_cert *leaf = NULL;
	size_t j;

	for (j = 0; j < fs->n_certs; j++)
		if (fs->certs[j].role == FLEET_LEAF) {
			leaf = &fs->certs[j];
			break;
		}
	if (leaf == NULL || &fs->certs[i] == leaf)
		return true;
	return fs->certs[i].not_after < leaf->not_after;
}

static void
ticks(FILE *out, const struct axis *a, int height)
{
	static const long steps[] = { 7, 14, 30, 61, 91, 182, 365, 730,
	    1826, 3652 };
	long span = (long)((a->end - a->now) / DAY_SECONDS), step = steps[0];
	char when[32];
	size_t i;
	long d;
	double x;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		step = steps[i];
		if (span / step <= 8)
			break;
	}
	for (d = step; d <= span; d += step) {
		x = axis_x(a, a->now + (time_t)d * DAY_SECONDS);
		time_format(a->now + (time_t)d * DAY_SECONDS, when, sizeof(when));
		when[10] = '\0';
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		    "stroke=\"#d0d4d9\" stroke-dasharray=\"2 3\"/>\n"
		    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
		    x, TL_TOP - 6, x, height - 4, x, TL_TOP - 10, when);
	}
	fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#1f2328\" stroke-width=\"2\"/>\n<text x=\"%d\" y=\"%d\" "
	    "text-anchor=\"middle\" class=\"band-label\">today</text>\n",
	    TL_X0, TL_TOP - 6, TL_X0, height - 4, TL_X0, TL_TOP - 10);
}

/*
 * The windows of one row, from today: --warn-days shaded, --crit-days
 * hatched.  Per row, since a limit given as a share of the lifetime
 * differs from chain to chain.
 */
static void
row_windows(FILE *out, const struct fleet_subject *fs, const struct axis *a,
    int y)
{
	double x;

	if (fs->warn_limit > 0) {
		x = axis_x(a, a->now + fs->warn_limit);
		fprintf(out, "<rect class=\"window warn-window\" x=\"%d\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\" fill=\"#fbeacb\"/>\n", TL_X0,
		    y - TL_ROW / 2, x - TL_X0, TL_ROW);
	}
	if (fs->crit_limit > 0) {
		x = axis_x(a, a->now + fs->crit_limit);
		fprintf(out, "<rect class=\"window crit-window\" x=\"%d\" y=\"%d\" "
		    "width=\"%.1f\" height=\"%d\" fill=\"url(#crosshatch)\"/>\n",
		    TL_X0, y - TL_ROW / 2, x - TL_X0, TL_ROW);
	}
}

/* The label of a window over the rows, where all rows share it. */
static void
window_label(FILE *out, const struct axis *a, int days, bool percent,
    const char *what, int y)
{
	if (days <= 0 || percent)
		return;
	fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" "
	    "class=\"band-label\">%s %d days</text>\n",
	    axis_x(a, a->now + (time_t)days * DAY_SECONDS) - 3, y, what, days);
}

static void
timeline_row(FILE *out, const struct fleet_subject *fs, const struct axis *a,
    int y)
{
	const struct fleet_cert *c;
	char when[32], label[40];
	const char *shape;
	size_t i, len;
	double x;

	len = strlen(fs->name);
	if (len < sizeof(label)) {
		memcpy(label, fs->name, len + 1);
	} else {
		/* Cut on a UTF-8 character boundary. */
		len = sizeof(label) - 4;
		while (len > 0 && ((unsigned char)fs->name[len] & 0xc0) == 0x80)
			len--;
		memcpy(label, fs->name, len);
		memcpy(label + len, "...", 4);
	}
	fprintf(out, "<g class=\"row\" data-name=\"");
	html_text(out, fs->name);
	fputs("\">\n", out);
	row_windows(out, fs, a, y);
	fprintf(out, "<line x1=\"4\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#e3e6ea\"/>\n<text x=\"4\" y=\"%d\">", y, TL_X1, y, y + 4);
	html_text(out, label);
	fputs("<title>", out);
	html_text(out, fs->name);
	fputs("</title></text>\n", out);
	for (i = 0; i < fs->n_certs; i++) {
		c = &fs->certs[i];
		if (!marked(fs, i))
			continue;
		shape = fleet_expiry_shape(fs, c, a->now);
		x = axis_x(a, c->not_after);
		time_format(c->not_after, when, sizeof(when));
		fprintf(out, "<g class=\"mark\" data-shape=\"%s\" data-days=\"%ld\" "
		    "data-role=\"%s\"><use href=\"#m-%s\" x=\"%.1f\" y=\"%d\" "
		    "width=\"16\" height=\"16\"/><text x=\"%.1f\" y=\"%d\">%s",
		    shape, c->days_left, fleet_role_name(c->role), shape,
		    x - 8, y - 8, x + 10, y + 4,
		    c->role == FLEET_LEAF ? "" : c->role == FLEET_ROOT ?
		    "root " : "int. ");
		if (c->days_left < 0)
			fputs("expired", out);
		else
			fprintf(out, "%ld d", c->days_left);
		fprintf(out, "</text><title>%s ", fleet_role_name(c->role));
		html_text(out, c->label);
		fprintf(out, ": %s %s (%ld days)</title></g>\n",
		    c->days_left < 0 ? "expired" : "expires", when,
		    c->days_left);
	}
	fputs("</g>\n", out);
}

void
html_timeline(struct report *r, const struct fleet *fl)
{
	const struct policy *pol = r->policy;
	FILE *out = r->out;
	struct axis a = { .now = r->now };
	const struct fleet_subject *fs;
	char lim[64];
	int rows = 0, height, y;
	size_t i, j, hidden = 0;
	time_t t, longest = 14 * DAY_SECONDS;

	for (i = 0; i < fl->n; i++) {
		fs = &fl->s[i];
		if (!fs->has_expiry) {
			hidden++;
			continue;
		}
		rows++;
		if (fs->warn_limit / 4 * 5 > longest)
			longest = fs->warn_limit / 4 * 5;
		if (fs->crit_limit / 4 * 5 > longest)
			longest = fs->crit_limit / 4 * 5;
	}
	a.end = a.now + longest;
	for (i = 0; i < fl->n; i++) {
		fs = &fl->s[i];
		for (j = 0; j < fs->n_certs && fs->has_expiry; j++) {
			t = fs->certs[j].not_after;
			if (marked(fs, j) && t > a.end)
				a.end = t + (t - a.now) / 20;
		}
	}
	fputs("<section id=\"timeline\">\n<h2>Expiry timeline</h2>\n", out);
	if (rows == 0) {
		fputs("<p class=\"muted\">No certificate to place on the "
		    "timeline.</p>\n</section>\n", out);
		return;
	}
	height = TL_TOP + rows * TL_ROW + 8;
	fprintf(out, "<svg class=\"timeline\" viewBox=\"0 0 %d %d\" "
	    "role=\"img\" aria-label=\"expiry timeline\" "
	    "xmlns=\"http://www.w3.org/2000/svg\">\n", TL_W, height);
	fputs("<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" "
	    "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	    "<rect width=\"6\" height=\"6\" fill=\"#f6d5d2\"/>"
	    "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#b3261e\" "
	    "stroke-width=\"2\"/></pattern>\n"
	    "<pattern id=\"crosshatch\" width=\"6\" height=\"6\" "
	    "patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" "
	    "fill=\"#f3c1bc\"/><path d=\"M0,0 L6,6 M6,0 L0,6\" "
	    "stroke=\"#7a1a14\" stroke-width=\"1\"/></pattern></defs>\n", out);
	fprintf(out, "<rect class=\"expired\" x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\" fill=\"url(#hatch)\"/>\n<text x=\"%d\" y=\"%d\" "
	    "text-anchor=\"middle\" class=\"band-label\">expired</text>\n",
	    TL_LABEL, TL_TOP - 4, TL_EXPIRED, height - TL_TOP, TL_LABEL +
	    TL_EXPIRED / 2, TL_TOP - 26);
	window_label(out, &a, pol->warn_days, pol->warn_percent, "warn",
	    TL_TOP - 26);
	ticks(out, &a, height);
	y = TL_TOP + TL_ROW / 2;
	for (i = 0; i < fl->n; i++) {
		if (!fl->s[i].has_expiry)
			continue;
		timeline_row(out, &fl->s[i], &a, y);
		y += TL_ROW;
	}
	fputs("</svg>\n<div class=\"legend\"><span>", out);
	html_icon(out, "pass");
	fputs("outside the windows</span><span>", out);
	html_icon(out, "warn");
	policy_limit_text(pol->warn_days, pol->warn_percent, lim, sizeof(lim));
	fprintf(out, "within --warn-days (%s, shaded)</span><span>", lim);
	html_icon(out, "fail");
	fputs("expired (hatched column)", out);
	if (pol->crit_days > 0) {
		policy_limit_text(pol->crit_days, pol->crit_percent, lim,
		    sizeof(lim));
		fprintf(out, ", or within --crit-days (%s, cross-hatched)", lim);
	}
	fputs("</span><span>A mark is a subject's leaf, and any certificate "
	    "of its chain that expires before the leaf (labelled int. or "
	    "root).</span>", out);
	if (hidden > 0)
		fprintf(out, "<span>%zu subject%s without a certificate not "
		    "shown.</span>", hidden, hidden == 1 ? "" : "s");
	fputs("</div>\n</section>\n", out);
}
