// The properties panel: every field of one step, each with its validation errors beside it.
import { useState } from "react";
import { ACCESS, KINDS } from "./model.js";
import { ListText, Select, Text } from "./fields.jsx";
import { Conditions } from "./Conditions.jsx";

export function StepPanel({ design, step, resources, errors, onPatch, onRename, onDelete }) {
  const [idDraft, setIdDraft] = useState(step.id);
  const err = (field) => (errors[field] || []).join(" ") || null;
  const otherSteps = design.steps.filter((s) => s.id !== step.id).map((s) => s.id);
  const targets = [...design.steps.map((s) => s.id)];
  const pool = { role: resources.roles, agent: resources.agents, system: resources.systems }[step.performer?.type || "role"] || [];
  const roles = resources.roles.map((r) => [r.id, r.name]);
  const checks = step.kind === "review" || step.kind === "approval";
  const coverage = step.coverage || { mode: "all" };
  const systems = step.systems || [];
  const dataClasses = step.data_classes || [];
  const routes = step.routes || [];
  const attributes = resources.attributes;

  return (
    <section className="wf-panel" aria-label={`Properties of step ${step.id}`}>
      <h3>Step {step.id}</h3>
      <Text
        label="Step id"
        value={idDraft}
        error={err("id")}
        onChange={setIdDraft}
        onBlur={() => idDraft !== step.id && onRename(step.id, idDraft.trim())}
        onKeyDown={(e) => e.key === "Enter" && idDraft !== step.id && onRename(step.id, idDraft.trim())}
      />
      <Select label="Kind" value={step.kind} options={KINDS} allowEmpty={false} error={err("kind")} onChange={(kind) => onPatch({ kind })} />
      <Select
        label="Performer type"
        value={step.performer?.type}
        options={["role", "agent", "system"]}
        allowEmpty={false}
        onChange={(type) => onPatch({ performer: { type, ref: "" } })}
      />
      <Select
        label="Performer"
        value={step.performer?.ref}
        options={pool.map((r) => [r.id, r.name])}
        error={err("performer")}
        onChange={(ref) => onPatch({ performer: { ...step.performer, ref } })}
      />
      <Select label="Owner (accountable role)" value={step.owner} options={roles} error={err("owner")} onChange={(owner) => onPatch({ owner })} />
      {step.kind === "task" || step.kind === "review" ? (
        <Select
          label={step.kind === "review" ? "Work checked (task type)" : "Task type"}
          value={step.task_type}
          options={resources.task_types}
          error={err("task_type")}
          onChange={(task_type) => onPatch({ task_type })}
        />
      ) : null}
      {step.kind === "action" || step.kind === "approval" ? (
        <Select
          label={step.kind === "approval" ? "Action approved" : "Action"}
          value={step.action}
          options={resources.actions}
          error={err("action")}
          onChange={(action) => onPatch({ action })}
        />
      ) : null}

      <fieldset>
        <legend>Systems and access</legend>
        {systems.map((s, i) => (
          <div className="wf-row" key={i}>
            <select aria-label={`System ${i + 1}`} value={s.ref} onChange={(e) => onPatch({ systems: systems.map((x, j) => (j === i ? { ...x, ref: e.target.value } : x)) })}>
              {resources.systems.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                </option>
              ))}
            </select>
            <select aria-label={`System ${i + 1} access`} value={s.access} onChange={(e) => onPatch({ systems: systems.map((x, j) => (j === i ? { ...x, access: e.target.value } : x)) })}>
              {ACCESS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
            <button type="button" aria-label={`Remove system ${i + 1}`} onClick={() => onPatch({ systems: systems.filter((_, j) => j !== i) })}>
              ×
            </button>
          </div>
        ))}
        {err("systems") ? <div className="wf-error-text">{err("systems")}</div> : null}
        <button type="button" onClick={() => onPatch({ systems: [...systems, { ref: resources.systems[0]?.id, access: "read" }] })}>
          Add system
        </button>
      </fieldset>

      <fieldset>
        <legend>Data classes touched</legend>
        {resources.data_classes.map((d) => (
          <label className="wf-check" key={d}>
            <input
              type="checkbox"
              checked={dataClasses.includes(d)}
              onChange={(e) => onPatch({ data_classes: e.target.checked ? [...dataClasses, d] : dataClasses.filter((x) => x !== d) })}
            />
            {d}
          </label>
        ))}
      </fieldset>

      {checks ? (
        <fieldset>
          <legend>Coverage: which cases are checked</legend>
          <Select
            label="Coverage mode"
            value={coverage.mode}
            options={[
              ["all", "every case"],
              ["sample", "a random sample"],
              ["rule", "cases matching a rule"],
            ]}
            allowEmpty={false}
            error={err("coverage")}
            onChange={(mode) => onPatch({ coverage: mode === "sample" ? { mode, rate: 0.1 } : mode === "rule" ? { mode, when: [{ attr: attributes[0], op: "==", value: true }] } : { mode } })}
          />
          {coverage.mode === "sample" ? (
            <Text label="Sample rate (0–1)" type="number" step="0.05" min="0" max="1" value={coverage.rate} onChange={(v) => onPatch({ coverage: { ...coverage, rate: Number(v) } })} />
          ) : null}
          {coverage.mode === "rule" ? (
            <Conditions legend="Check cases when" conditions={coverage.when} attributes={attributes} onChange={(when) => onPatch({ coverage: { ...coverage, when } })} />
          ) : null}
        </fieldset>
      ) : null}

      <fieldset>
        <legend>Routes (first match decides)</legend>
        {routes.map((route, i) => (
          <div className="wf-route" key={i}>
            <Conditions
              legend={`Route ${i + 1} when`}
              conditions={route.when}
              attributes={attributes}
              onChange={(when) => onPatch({ routes: routes.map((r, j) => (j === i ? { ...r, when } : r)) })}
            />
            <Select
              label={`Route ${i + 1} goes to`}
              value={route.to}
              options={targets}
              onChange={(to) => onPatch({ routes: routes.map((r, j) => (j === i ? { ...r, to } : r)) })}
            />
            <button type="button" onClick={() => onPatch({ routes: routes.filter((_, j) => j !== i) })}>
              Remove route {i + 1}
            </button>
          </div>
        ))}
        {err("routes") ? <div className="wf-error-text">{err("routes")}</div> : null}
        <button type="button" onClick={() => onPatch({ routes: [...routes, { when: [{ attr: attributes[0], op: "==", value: true }], to: otherSteps[0] || step.id }] })}>
          Add route
        </button>
      </fieldset>

      <Select label="Next (when no route matches)" value={step.next} options={[["end", "end (case complete)"], ...otherSteps]} error={err("next")} onChange={(next) => onPatch({ next })} />
      {checks ? (
        <Select label="On reject, go to" value={step.on_reject} options={otherSteps} error={err("on_reject")} onChange={(on_reject) => onPatch({ on_reject })} />
      ) : null}

      <fieldset>
        <legend>Escalation</legend>
        {step.escalation ? (
          <>
            <Select label="Escalate to step" value={step.escalation.to} options={otherSteps} onChange={(to) => onPatch({ escalation: { ...step.escalation, to } })} />
            <Select label="Escalation owner" value={step.escalation.owner} options={roles} onChange={(owner) => onPatch({ escalation: { ...step.escalation, owner } })} />
            <Text
              label="Timeout (minutes)"
              type="number"
              min="1"
              value={step.escalation.timeout_minutes}
              onChange={(v) => onPatch({ escalation: { ...step.escalation, timeout_minutes: Number(v) } })}
            />
            <button type="button" onClick={() => onPatch({ escalation: null })}>
              Remove escalation
            </button>
          </>
        ) : (
          <button type="button" onClick={() => onPatch({ escalation: { to: otherSteps[0] || "", owner: step.owner || roles[0]?.[0], timeout_minutes: 240 } })}>
            Add escalation
          </button>
        )}
        {err("escalation") ? <div className="wf-error-text">{err("escalation")}</div> : null}
      </fieldset>

      <ListText
        key={`metrics:${step.id}`}
        label="Metrics measured here (comma-separated)"
        value={step.metrics || []}
        error={err("metrics")}
        onChange={(metrics) => onPatch({ metrics: metrics.length ? metrics : null })}
      />
      <button type="button" className="wf-danger" onClick={() => onDelete(step.id)}>
        Delete step {step.id}
      </button>
    </section>
  );
}
