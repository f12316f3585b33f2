// The design format (docs/scenarios/design-format.md) as the editor sees it: pure helpers, no UI.

export const KINDS = ["task", "review", "approval", "action"];
export const OPS = ["<", "<=", ">", ">=", "==", "!=", "in"];
export const ACCESS = ["read", "write", "read-write"];
export const PHASE_MODES = ["shadow", "pilot", "partial", "full"];
export const RATIONALE_TOPICS = ["summary", "controls", "change_management", "risks", "measurement"];

export function emptyDesign() {
  return {
    schema_version: "1",
    start: "",
    steps: [],
    metrics: [],
    owner_after_go_live: "",
    rollout: { phases: [], rollback: "" },
    rationale: {},
  };
}

export function clone(value) {
  return JSON.parse(JSON.stringify(value));
}

export function performerKey(step) {
  const p = step.performer || {};
  return `${p.type || "role"}:${p.ref || "?"}`;
}

export function newStepId(design, base = "step") {
  const ids = new Set(design.steps.map((s) => s.id));
  for (let n = design.steps.length + 1; ; n += 1) {
    const id = `${base}-${n}`;
    if (!ids.has(id)) return id;
  }
}

export function addStep(design, resources, kind = "task") {
  const next = clone(design);
  const role = resources.roles[0];
  const step = {
    id: newStepId(next, kind),
    kind,
    performer: { type: "role", ref: role ? role.id : "" },
    owner: role ? role.id : "",
    next: "end",
  };
  if (kind === "task" || kind === "review") step.task_type = resources.task_types[0] || "";
  if (kind === "action" || kind === "approval") step.action = resources.actions[0] || "";
  if (kind === "review" || kind === "approval") step.coverage = { mode: "all" };
  next.steps.push(step);
  if (!next.start) next.start = step.id;
  return { design: next, id: step.id };
}

export function removeStep(design, id) {
  const next = clone(design);
  next.steps = next.steps.filter((s) => s.id !== id);
  for (const s of next.steps) {
    if (s.next === id) s.next = "end";
    if (s.on_reject === id) delete s.on_reject;
    if (s.escalation && s.escalation.to === id) delete s.escalation;
    if (s.routes) s.routes = s.routes.filter((r) => r.to !== id);
  }
  if (next.start === id) next.start = next.steps[0] ? next.steps[0].id : "";
  if (next.layout && next.layout.positions) delete next.layout.positions[id];
  return next;
}

export function renameStep(design, oldId, newId) {
  const next = clone(design);
  const swap = (v) => (v === oldId ? newId : v);
  for (const s of next.steps) {
    if (s.id === oldId) s.id = newId;
    s.next = swap(s.next);
    if (s.on_reject) s.on_reject = swap(s.on_reject);
    if (s.escalation) s.escalation.to = swap(s.escalation.to);
    for (const r of s.routes || []) r.to = swap(r.to);
  }
  next.start = swap(next.start);
  const positions = next.layout && next.layout.positions;
  if (positions && positions[oldId]) {
    positions[newId] = positions[oldId];
    delete positions[oldId];
  }
  return next;
}

export function updateStep(design, id, patch) {
  const next = clone(design);
  const step = next.steps.find((s) => s.id === id);
  if (!step) return next;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === null || value === "") delete step[key];
    else step[key] = value;
  }
  return next;
}

export function conditionText(conditions) {
  return (conditions || [])
    .map((c) => `${c.attr} ${c.op} ${Array.isArray(c.value) ? `[${c.value.join(", ")}]` : c.value}`)
    .join(" and ");
}

// Every edge the design draws: routes (with their conditions), next ("otherwise"),
// on_reject and escalation, each with its own kind so they are drawn differently.
export function edgesOf(design) {
  const edges = [];
  const ids = new Set(design.steps.map((s) => s.id));
  for (const step of design.steps) {
    (step.routes || []).forEach((route, i) => {
      if (ids.has(route.to)) {
        edges.push({ kind: "route", from: step.id, to: route.to, label: conditionText(route.when), index: i });
      }
    });
    if (ids.has(step.next)) {
      edges.push({ kind: "next", from: step.id, to: step.next, label: step.routes && step.routes.length ? "otherwise" : "" });
    }
    if (step.on_reject && ids.has(step.on_reject)) {
      edges.push({ kind: "reject", from: step.id, to: step.on_reject, label: "rejected" });
    }
    if (step.escalation && ids.has(step.escalation.to)) {
      const t = step.escalation.timeout_minutes;
      edges.push({ kind: "escalation", from: step.id, to: step.escalation.to, label: t ? `escalate after ${t} min` : "escalate" });
    }
  }
  return edges;
}

// Which step a validation error's JSON path names: "$.steps[3].performer.ref" -> index 3.
export function stepIndexOfPath(path) {
  const match = /^\$\.steps\[(\d+)\]/.exec(path || "");
  return match ? Number(match[1]) : null;
}

export function fieldOfPath(path) {
  const match = /^\$\.steps\[\d+\]\.([a-z_]+)/.exec(path || "");
  return match ? match[1] : null;
}

// Parse a value typed into a condition: numbers, true/false, lists for "in", else text.
export function parseValue(text, op) {
  if (op === "in") {
    return String(text)
      .split(",")
      .map((v) => v.trim())
      .filter(Boolean)
      .map((v) => parseValue(v, "=="));
  }
  const t = String(text).trim();
  if (t === "true") return true;
  if (t === "false") return false;
  if (t !== "" && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  return t;
}

export function valueText(value) {
  return Array.isArray(value) ? value.join(", ") : value === undefined ? "" : String(value);
}
