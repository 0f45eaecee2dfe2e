// Small hand-written SVG charts: sparklines, a ring gauge, proportion bars.
"use strict";
(function (RF) {
  const NS = "http://www.w3.org/2000/svg";
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    el.append(...children);
    return el;
  }

  // series: [{ values: [..], color, label }]; one shared scale so "in" and "out" compare at a glance.
  RF.sparkline = function (series, opts) {
    opts = Object.assign({ width: 140, height: 30, fill: true }, opts);
    const w = opts.width, ht = opts.height, pad = 2;
    const n = Math.max(2, ...series.map((x) => x.values.length));
    const max = Math.max(1e-9, ...series.flatMap((x) => x.values));
    const svg = s("svg", { class: "spark", width: w, height: ht, viewBox: `0 0 ${w} ${ht}`, role: "img" });
    const title = series.map((x) => `${x.label}: ${x.values.length ? RF.fmt.rate(x.values[x.values.length - 1]) : "–"}`).join(", ");
    svg.append(s("title", {}, title));
    svg.append(s("line", { x1: 0, x2: w, y1: ht - pad, y2: ht - pad, stroke: "#eaecf0", "stroke-width": 1 }));
    for (const x of series) {
      if (x.values.length === 0) continue;
      const offset = n - x.values.length;
      const pts = x.values.map((v, i) => [((i + offset) / (n - 1)) * (w - pad * 2) + pad, ht - pad - (v / max) * (ht - pad * 2)]);
      if (pts.length === 1) pts.unshift([pad, pts[0][1]]);
      const line = pts.map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" ");
      if (opts.fill) {
        const area = `${pts[0][0].toFixed(1)},${ht - pad} ${line} ${pts[pts.length - 1][0].toFixed(1)},${ht - pad}`;
        svg.append(s("polygon", { points: area, fill: x.color, "fill-opacity": 0.1 }));
      }
      svg.append(s("polyline", { points: line, fill: "none", stroke: x.color, "stroke-width": 1.6, "stroke-linejoin": "round", "stroke-linecap": "round" }));
      const last = pts[pts.length - 1];
      svg.append(s("circle", { cx: last[0], cy: last[1], r: 2.2, fill: x.color }));
    }
    return svg;
  };

  // A ring filled to fraction (0..1); colour turns amber then red as it fills.
  RF.ring = function (fraction, label, opts) {
    opts = Object.assign({ size: 92, stroke: 10 }, opts);
    const r = (opts.size - opts.stroke) / 2, c = 2 * Math.PI * r, f = Math.max(0, Math.min(1, fraction || 0));
    const color = f >= 0.9 ? "var(--bad)" : f >= 0.75 ? "var(--warn)" : "var(--accent)";
    const mid = opts.size / 2;
    return s("svg", { width: opts.size, height: opts.size, viewBox: `0 0 ${opts.size} ${opts.size}`, role: "img" },
      s("title", {}, label),
      s("circle", { cx: mid, cy: mid, r, fill: "none", stroke: "#eaecf0", "stroke-width": opts.stroke }),
      f < 0.005 ? s("g", {}) : s("circle", {
        cx: mid, cy: mid, r, fill: "none", stroke: color, "stroke-width": opts.stroke, "stroke-linecap": "round",
        "stroke-dasharray": `${(c * f).toFixed(2)} ${c.toFixed(2)}`, transform: `rotate(-90 ${mid} ${mid})`,
      }),
      s("text", { x: mid, y: mid + 5, "text-anchor": "middle", "font-size": 15, "font-weight": 650, fill: "currentColor" }, Math.round(f * 100) + "%"));
  };

  // A thin bar filled to fraction; kind "warn"/"bad" colours it.
  // A wide chart of several series over the sampled window, with a scale label.
  RF.area = function (series, width, height) {
    const max = Math.max(0, ...series.flatMap((x) => x.values));
    const chart = RF.sparkline(series, { width, height });
    chart.setAttribute("class", "spark wide");
    chart.setAttribute("preserveAspectRatio", "none");
    return RF.h("div", { class: "area" }, chart, RF.h("span", { class: "scale" }, "peak " + RF.fmt.rate(max)));
  };

  RF.bar = function (fraction, kind) {
    const span = RF.h("span");
    span.style.width = (Math.max(0, Math.min(1, fraction || 0)) * 100).toFixed(1) + "%";
    return RF.h("div", { class: "bar " + (kind || "") }, span);
  };

  // parts: [{ value, color, label }] side by side in one rounded bar.
  RF.stack = function (parts) {
    const total = parts.reduce((a, p) => a + p.value, 0);
    const el = RF.h("div", { class: "stack", role: "img", "aria-label": parts.map((p) => `${p.label} ${p.value}`).join(", ") });
    for (const p of parts) {
      if (!p.value) continue;
      const span = RF.h("span", { title: `${p.label}: ${RF.fmt.num(p.value)}` });
      span.style.width = ((p.value / total) * 100).toFixed(2) + "%";
      span.style.background = p.color;
      el.append(span);
    }
    return el;
  };

  RF.legend = function (items) {
    return RF.h("div", { class: "legend" }, items.map((x) => {
      const i = RF.h("i");
      i.style.background = x.color;
      return RF.h("span", {}, i, x.label);
    }));
  };
})(window.RF);
