// Overview, locks, cache and executors pages.
"use strict";
(function (RF) {
  const { h, fmt } = RF;
  const tile = (label, value, sub) => h("div", { class: "tile" }, h("span", { class: "label" }, label), h("span", { class: "value" }, value), sub ? h("span", { class: "sub" }, sub) : null);
  const opsHistory = [];

  RF.pages.overview = {
    title: () => "Overview",
    api: () => "overview",
    render(o) {
      const s = o.server;
      if (s) { opsHistory.push(s.opsPerSecond); if (opsHistory.length > 60) opsHistory.shift(); }
      const health = o.healthy ? h("span", { class: "pill ok" }, h("span", { class: "dot" }), "Healthy") : h("span", { class: "pill bad" }, h("span", { class: "dot" }), "Unreachable");
      const tiles = h("div", { class: "tiles" },
        h("div", { class: "tile" }, h("span", { class: "label" }, "Redis"), h("span", { class: "value" }, health), h("span", { class: "sub" }, s ? "Redis " + s.version + " · " + s.mode : "no INFO")),
        tile("Connected as", o.user || "default", "database " + o.database),
        tile("Clients", s ? fmt.num(s.clients) : "–", s ? fmt.num(s.blockedClients) + " blocked (waiting on queues)" : ""),
        h("div", { class: "tile" }, h("span", { class: "label" }, "Operations"), h("span", { class: "value" }, s ? fmt.num(s.opsPerSecond) + "/s" : "–"),
          RF.sparkline([{ values: opsHistory, color: "var(--accent)", label: "ops" }], { width: 150, height: 26 })),
        tile("Uptime", s ? fmt.ms(s.uptimeSeconds * 1000) : "–", s ? fmt.num(s.commandsProcessed) + " commands" : ""));
      const cards = [tiles];
      if (s) {
        const limit = s.maxMemory || s.systemMemory;
        cards.push(h("div", { class: "grid2" },
          h("div", { class: "card" }, h("h2", {}, "Memory"), h("div", { class: "body gauge" },
            RF.ring(limit ? s.usedMemory / limit : 0, "used memory"),
            h("dl", { class: "kv" },
              h("dt", {}, "Used"), h("dd", { class: "big" }, fmt.bytes(s.usedMemory)),
              h("dt", {}, s.maxMemory ? "maxmemory" : "System memory"), h("dd", {}, limit ? fmt.bytes(limit) : "unknown", s.maxMemory ? null : h("span", { class: "pill warn" }, "no maxmemory")),
              h("dt", {}, "Fragmentation"), h("dd", {}, s.fragmentation ? s.fragmentation.toFixed(2) : "–")))),
          topologyCard(o.topology)));
      }
      cards.push(h("div", { class: "card" }, h("h2", {}, "Versions"), h("div", { class: "body" }, h("dl", { class: "kv" },
        h("dt", {}, "Redis"), h("dd", {}, s ? s.version : "–"),
        h("dt", {}, "Role"), h("dd", {}, s && s.role ? s.role : "–"),
        h("dt", {}, "Dashboard"), h("dd", {}, o.dashboardVersion)))));
      return cards;
    },
  };

  function topologyCard(t) {
    if (!t) return h("div", { class: "card" }, h("h2", {}, "Topology"), h("div", { class: "empty" }, "Unknown"));
    return h("div", { class: "card" }, h("h2", {}, "Topology", h("span", { class: "pill info" }, t.kind), t.serviceName ? h("span", { class: "count" }, t.serviceName) : null),
      h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, "Node"), h("th", {}, "Role"), h("th", {}, "State"), h("th", {}, "Slots"))),
        h("tbody", {}, t.nodes.map((n) => h("tr", {},
          h("td", { class: "mono" }, n.endpoint), h("td", {}, n.role + (n.primary ? " of " + n.primary : "")),
          h("td", {}, n.connected ? h("span", { class: "pill ok" }, "connected") : h("span", { class: "pill bad" }, "down")),
          h("td", { class: "mono" }, n.slots.length ? n.slots.join(", ") : "–"))))));
  }

  RF.pages.locks = {
    title: () => "Locks",
    api: () => "locks",
    render(rows) {
      const longest = Math.max(1, ...rows.map((l) => l.ttlMs));
      const tiles = h("div", { class: "tiles" }, tile("Held locks", fmt.num(rows.length), "keys with a lease"),
        tile("Fenced", fmt.num(rows.filter((l) => l.fencingToken !== null).length), "issued by RedisFlow"));
      const table = rows.length === 0 ? h("div", { class: "empty" }, "No lock is held right now.") : h("table", {},
        h("thead", {}, h("tr", {}, h("th", {}, "Lock key"), h("th", {}, "Lease left"), h("th", { class: "num" }, "Fencing token"), h("th", {}, "Owner"))),
        h("tbody", {}, rows.map((l) => h("tr", { dataset: { lock: l.key } },
          h("td", { class: "name mono" }, l.key),
          h("td", {}, h("div", { class: "ttl" }, RF.bar(l.ttlMs / longest, l.ttlMs < 2000 ? "warn" : ""), h("span", { class: "mono" }, fmt.ms(l.ttlMs)))),
          h("td", { class: "num mono", dataset: { col: "fence" } }, l.fencingToken === null ? "–" : String(l.fencingToken)),
          h("td", { class: "mono", dataset: { col: "owner" } }, l.owner)))));
      return [tiles, h("div", { class: "card" }, h("h2", {}, "Held locks", h("span", { class: "count" }, String(rows.length))), table)];
    },
  };

  const OUTCOMES = { cached: "var(--out)", already_cached: "#98a2b3", claimed_elsewhere: "#7a5af8", too_large: "var(--warn)", memory_guard: "#f04438", redis_down: "#b42318", not_found: "#fdb022", failed: "#912018" };
  function daemonCard(d) {
    const parts = Object.entries(d.totals).map(([k, v]) => ({ label: k.replace(/_/g, " "), value: v, color: OUTCOMES[k] || "#667085" }));
    const fresh = Date.now() - new Date(d.updatedAt).getTime() < 30000;
    const lastCycle = d.lastCycle;
    return h("div", { class: "card" }, h("h2", {}, "Daemon ", h("span", { class: "mono" }, d.instance),
      h("span", { class: "right pill " + (fresh ? "ok" : "warn") }, fresh ? "running" : "stale")),
    h("div", { class: "body" },
      h("dl", { class: "kv" },
        h("dt", {}, "Cycles"), h("dd", {}, fmt.num(d.cycles), h("span", { class: "muted" }, " since " + new Date(d.startedAt).toLocaleString())),
        h("dt", {}, "Last cycle"), h("dd", {}, lastCycle ? fmt.ago(lastCycle.at) + " · " + fmt.num(lastCycle.documents) + " ongoing documents" : "none yet"),
        lastCycle && lastCycle.taskSourceError ? h("dt", {}, "Task source") : null, lastCycle && lastCycle.taskSourceError ? h("dd", { class: "pill bad" }, lastCycle.taskSourceError) : null),
      h("p", { class: "muted" }, "Outcomes since start"),
      parts.length ? RF.stack(parts) : h("div", { class: "muted" }, "No documents handled yet."),
      RF.legend(parts.map((p) => ({ label: p.label + " " + fmt.num(p.value), color: p.color })))));
  }

  RF.pages.cache = {
    title: () => "Cache",
    api: () => "cache",
    render(c) {
      const out = [h("div", { class: "tiles" },
        tile("Cached files", fmt.num(c.files.length), "keys bucket/location"),
        tile("Size", fmt.bytes(c.totalBytes), "in Redis"),
        tile("Daemons", fmt.num(c.daemons.length), c.daemons.length ? "publishing status" : "none running (redisflow serve)"))];
      for (const d of c.daemons) out.push(daemonCard(d));
      out.push(h("div", { class: "card" }, h("h2", {}, "Cached files", h("span", { class: "count" }, String(c.files.length))),
        c.files.length === 0 ? h("div", { class: "empty" }, "No cached files.") : h("table", {},
          h("thead", {}, h("tr", {}, h("th", {}, "Key"), h("th", { class: "num" }, "Size"), h("th", {}, "Expires in"), h("th", {}))),
          h("tbody", {}, c.files.map((f) => h("tr", { dataset: { key: f.key } },
            h("td", { class: "mono" }, f.key),
            h("td", { class: "num" }, fmt.bytes(f.size)),
            h("td", {}, h("div", { class: "ttl" }, RF.bar(f.ttlMs / c.maxTtlMs), h("span", { class: "mono" }, fmt.ms(f.ttlMs)))),
            h("td", { class: "actions" }, RF.button("Evict", () => RF.action("cache/evict", { key: f.key }, () => "Evicted " + f.key), { kind: "danger", confirmText: "Evict now?" }))))))));
      return out;
    },
  };

  function beat(e) {
    const age = e.lastHeartbeat ? Date.now() - new Date(e.lastHeartbeat).getTime() : Infinity;
    return age < 60000 ? ["ok", "alive"] : age < 300000 ? ["warn", "late"] : ["bad", "silent"];
  }

  RF.pages.executors = {
    title: () => "Executors",
    api: () => "executors",
    render(rows) {
      const alive = rows.filter((e) => beat(e)[0] === "ok").length;
      const field = (e, name) => (e.heartbeat && e.heartbeat[name] !== undefined ? e.heartbeat[name] : null);
      return [h("div", { class: "tiles" }, tile("Executors", fmt.num(rows.length), "members of TASKEXE"), tile("Alive", fmt.num(alive), "heartbeat in the last minute")),
        h("div", { class: "card" }, h("h2", {}, "Task executors", h("span", { class: "count" }, String(rows.length))),
          rows.length === 0 ? h("div", { class: "empty" }, "No task executor has registered (RAGFlow's TASKEXE set is empty).") : h("table", {},
            h("thead", {}, h("tr", {}, h("th", {}, "Executor"), h("th", {}, "State"), h("th", {}, "Last heartbeat"), h("th", { class: "num" }, "Pending"), h("th", { class: "num" }, "Lag"),
              h("th", { class: "num" }, "Done"), h("th", { class: "num" }, "Failed"), h("th", {}, "Current"))),
            h("tbody", {}, rows.map((e) => {
              const [kind, label] = beat(e);
              const raw = field(e, "current");
              const current = raw && typeof raw === "object" && Object.keys(raw).length === 0 ? null : raw;
              return h("tr", { dataset: { executor: e.name } },
                h("td", { class: "name mono" }, e.name),
                h("td", {}, h("span", { class: "pill " + kind }, h("span", { class: "dot" }), label)),
                h("td", {}, fmt.ago(e.lastHeartbeat)),
                h("td", { class: "num" }, fmt.num(field(e, "pending"))), h("td", { class: "num" }, fmt.num(field(e, "lag"))),
                h("td", { class: "num" }, fmt.num(field(e, "done"))), h("td", { class: "num" }, fmt.num(field(e, "failed"))),
                h("td", { class: "preview" }, current ? h("code", {}, JSON.stringify(current)) : h("span", { class: "muted" }, "idle")));
            }))))];
    },
  };
})(window.RF);
