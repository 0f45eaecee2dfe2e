// Queues: the list with throughput sparklines, and one queue's pending entries and dead letters.
"use strict";
(function (RF) {
  const { h, fmt } = RF;
  const IN = "var(--in)", OUT = "var(--out)";
  // The rate now: the mean of the last few samples, so one quiet interval between bursts does not read as zero.
  const last = (xs) => {
    const recent = xs.slice(-5);
    return recent.length ? recent.reduce((a, x) => a + x, 0) / recent.length : 0;
  };
  const queueLink = (name) => "#/queue/" + encodeURIComponent(name);

  function tile(label, value, sub) {
    return h("div", { class: "tile" }, h("span", { class: "label" }, label), h("span", { class: "value" }, value), sub ? h("span", { class: "sub" }, sub) : null);
  }

  RF.pages.queues = {
    title: () => "Queues",
    api: () => "queues",
    render(rows) {
      const totals = rows.reduce((a, q) => ({ length: a.length + q.length, pending: a.pending + q.pending, dead: a.dead + (q.deadLetters || 0), inRate: a.inRate + last(q.inRate), outRate: a.outRate + last(q.outRate) }),
        { length: 0, pending: 0, dead: 0, inRate: 0, outRate: 0 });
      const tiles = h("div", { class: "tiles" },
        tile("Queues", fmt.num(rows.length), "streams of RAGFlow's shape"),
        tile("Entries", fmt.num(totals.length), "in all queues"),
        tile("Pending", fmt.num(totals.pending), "delivered, not acknowledged"),
        tile("Dead letters", fmt.num(totals.dead), totals.dead ? "need a look" : "none"),
        tile("Delivered", fmt.rate(totals.outRate), "added " + fmt.rate(totals.inRate)));
      const sum = (key) => {
        const n = Math.max(0, ...rows.map((q) => q[key].length));
        return Array.from({ length: n }, (_, i) => rows.reduce((a, q) => a + (q[key][q[key].length - n + i] || 0), 0));
      };
      const chart = h("div", { class: "card" }, h("h2", {}, "Throughput, all queues", RF.legend([{ label: "added", color: IN }, { label: "delivered", color: OUT }])),
        h("div", { class: "body" }, RF.area([{ values: sum("inRate"), color: IN, label: "added" }, { values: sum("outRate"), color: OUT, label: "delivered" }], 1000, 90)));
      const body = rows.length === 0
        ? h("div", { class: "empty" }, "No queues found. RAGFlow's task queues (rag_flow_svr_queue*, te.*) appear here once produced; other streams can be listed in Dashboard:Queues.")
        : h("table", {},
          h("thead", {}, h("tr", {}, h("th", {}, "Queue"), h("th", { class: "num" }, "Length"), h("th", {}, "Groups"), h("th", { class: "num" }, "Consumers"),
            h("th", { class: "num" }, "Pending"), h("th", { class: "num" }, "Lag"), h("th", { class: "num" }, "Dead"), h("th", {}, "Throughput"), h("th", { class: "num" }, "Rate"))),
          h("tbody", {}, rows.map((q) => h("tr", { dataset: { queue: q.name } },
            h("td", {}, h("a", { class: "name", href: queueLink(q.name) }, q.name)),
            h("td", { class: "num", dataset: { col: "length" } }, fmt.num(q.length)),
            h("td", {}, q.groups.length ? q.groups.map((g) => g.name).join(", ") : h("span", { class: "muted" }, "none")),
            h("td", { class: "num" }, fmt.num(q.consumers)),
            h("td", { class: "num", dataset: { col: "pending" } }, q.pending ? h("span", { class: "pill warn" }, fmt.num(q.pending)) : "0"),
            h("td", { class: "num" }, fmt.num(q.lag)),
            h("td", { class: "num", dataset: { col: "dead" } }, q.deadLetters ? h("span", { class: "pill bad" }, fmt.num(q.deadLetters)) : "0"),
            h("td", {}, RF.sparkline([{ values: q.inRate, color: IN, label: "in" }, { values: q.outRate, color: OUT, label: "out" }])),
            h("td", { class: "num mono" }, fmt.rate(last(q.outRate)))))));
      return [tiles, chart, h("div", { class: "card" },
        h("h2", {}, "Queues", h("span", { class: "count" }, String(rows.length)), RF.legend([{ label: "added", color: IN }, { label: "delivered", color: OUT }])),
        body)];
    },
  };

  function pendingTable(queue, group) {
    if (group.entries.length === 0) return h("div", { class: "empty" }, "Nothing pending: every delivered entry was acknowledged.");
    return h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "Entry"), h("th", {}, "Consumer"), h("th", { class: "num" }, "Idle"), h("th", { class: "num" }, "Deliveries"), h("th", {}, "Message"), h("th", {}))),
      h("tbody", {}, group.entries.map((p) => h("tr", { dataset: { pendingId: p.id } },
        h("td", { class: "mono" }, p.id),
        h("td", {}, p.consumer),
        h("td", { class: "num" }, fmt.ms(p.idleMs)),
        h("td", { class: "num" }, p.deliveries > 1 ? h("span", { class: "pill warn" }, fmt.num(p.deliveries)) : fmt.num(p.deliveries)),
        h("td", { class: "preview" }, p.preview === null ? h("span", { class: "muted" }, "(deleted from the stream)") : h("code", { title: p.preview }, p.preview)),
        h("td", { class: "actions" }, RF.button("Requeue", () => RF.action("queue/requeue", { name: queue, group: group.name, id: p.id }, (r) => "Requeued as " + r.newId)))))));
  }

  function deadTable(queue, dead) {
    if (dead.length === 0) return h("div", { class: "empty" }, "No dead letters.");
    return h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "Dead letter"), h("th", {}, "Reason"), h("th", {}, "From"), h("th", { class: "num" }, "Deliveries"), h("th", {}, "Message"), h("th", {}))),
      h("tbody", {}, dead.map((d) => h("tr", { dataset: { deadId: d.id } },
        h("td", { class: "mono" }, d.id),
        h("td", {}, h("span", { class: "pill bad" }, d.reason || "unknown")),
        h("td", { class: "mono" }, d.sourceId + (d.group ? " · " + d.group : "")),
        h("td", { class: "num" }, fmt.num(d.deliveries)),
        h("td", { class: "preview" }, h("code", { title: d.preview || "" }, d.preview || "")),
        h("td", { class: "actions" },
          RF.button("Re-drive", () => RF.action("queue/redrive", { name: queue, id: d.id }, (r) => "Re-driven as " + r.newId), { kind: "primary" }),
          RF.button("Delete", () => RF.action("queue/delete-dead-letter", { name: queue, id: d.id }, () => "Dead letter deleted"), { kind: "danger", confirmText: "Delete for good?" }))))));
  }

  RF.pages.queue = {
    nav: "queues",
    title: (name) => name || "Queue",
    crumbs: () => [h("a", { href: "#/queues" }, "Queues"), " / "],
    api: (name) => "queue?name=" + encodeURIComponent(name || ""),
    render(q) {
      const pending = q.groups.reduce((a, g) => a + g.pending, 0);
      const out = [h("div", { class: "tiles" },
        tile("Length", fmt.num(q.length), "entries in the stream"),
        tile("Groups", fmt.num(q.groups.length), q.groups.map((g) => g.name).join(", ") || "none"),
        tile("Pending", fmt.num(pending), "delivered, not acknowledged"),
        tile("Dead letters", fmt.num(q.deadLetters.length), q.deadLetters.length ? "re-drive or delete below" : "none"))];
      for (const g of q.groups) {
        out.push(h("div", { class: "grid2" },
          h("div", { class: "card" }, h("h2", {}, "Group ", h("span", { class: "mono" }, g.name)),
            h("div", { class: "body" }, h("dl", { class: "kv" },
              h("dt", {}, "Pending"), h("dd", {}, fmt.num(g.pending)),
              h("dt", {}, "Lag"), h("dd", {}, fmt.num(g.lag)),
              h("dt", {}, "Last delivered"), h("dd", { class: "mono" }, g.lastDeliveredId)))),
          h("div", { class: "card" }, h("h2", {}, "Consumers", h("span", { class: "count" }, String(g.consumers.length))),
            g.consumers.length === 0 ? h("div", { class: "empty" }, "No consumers yet.") : h("table", {},
              h("thead", {}, h("tr", {}, h("th", {}, "Consumer"), h("th", { class: "num" }, "Pending"), h("th", { class: "num" }, "Idle"))),
              h("tbody", {}, g.consumers.map((c) => h("tr", {}, h("td", {}, c.name), h("td", { class: "num" }, fmt.num(c.pending)), h("td", { class: "num" }, fmt.ms(c.idleMs)))))))));
        out.push(h("div", { class: "card", dataset: { group: g.name } }, h("h2", {}, "Pending entries", h("span", { class: "count" }, String(g.entries.length)), h("span", { class: "muted" }, "· " + g.name)), pendingTable(q.name, g)));
      }
      out.push(h("div", { class: "card", id: "dead-letters" }, h("h2", {}, "Dead letters", h("span", { class: "count" }, String(q.deadLetters.length))), deadTable(q.name, q.deadLetters)));
      return out;
    },
  };
})(window.RF);
