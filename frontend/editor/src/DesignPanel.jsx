// The design as a whole: where cases start, who owns it after go-live, what is monitored,
// how it rolls out, and the rationale graders read.
import { PHASE_MODES, RATIONALE_TOPICS } from "./model.js";
import { Select, Text } from "./fields.jsx";

export function DesignPanel({ design, resources, errorsAt, onChange }) {
  const set = (patch) => onChange({ ...design, ...patch });
  const roles = resources.roles.map((r) => [r.id, r.name]);
  const metrics = design.metrics || [];
  const rollout = design.rollout || { phases: [], rollback: "" };
  const phases = rollout.phases || [];
  const rationale = design.rationale || {};
  const setMetric = (i, patch) => set({ metrics: metrics.map((m, j) => (j === i ? { ...m, ...patch } : m)) });
  const setPhase = (i, patch) => set({ rollout: { ...rollout, phases: phases.map((p, j) => (j === i ? { ...p, ...patch } : p)) } });
  const setRationale = (topic, text) => {
    const next = { ...rationale };
    if (text) next[topic] = text;
    else delete next[topic];
    set({ rationale: next });
  };

  return (
    <section className="wf-panel" aria-label="The design as a whole">
      <h3>Design</h3>
      <Select label="Start step" value={design.start} options={design.steps.map((s) => s.id)} error={errorsAt("$.start")} onChange={(start) => set({ start })} />
      <Select
        label="Owner after go-live"
        value={design.owner_after_go_live}
        options={roles}
        error={errorsAt("$.owner_after_go_live")}
        onChange={(owner_after_go_live) => set({ owner_after_go_live })}
      />
      <fieldset>
        <legend>Metrics monitored after go-live</legend>
        {metrics.map((m, i) => (
          <div className="wf-route" key={i}>
            <Text label={`Metric ${i + 1} name`} value={m.name} error={errorsAt(`$.metrics[${i}]`)} onChange={(name) => setMetric(i, { name })} />
            <Select label={`Metric ${i + 1} owner`} value={m.owner} options={roles} onChange={(owner) => setMetric(i, { owner })} />
            <Text label={`Metric ${i + 1} target`} value={m.target} onChange={(target) => setMetric(i, { target: target || undefined })} />
            <Text label={`Metric ${i + 1} alert`} value={m.alert} onChange={(alert) => setMetric(i, { alert: alert || undefined })} />
            <button type="button" onClick={() => set({ metrics: metrics.filter((_, j) => j !== i) })}>
              Remove metric {i + 1}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => set({ metrics: [...metrics, { name: `metric-${metrics.length + 1}`, owner: roles[0]?.[0] || "" }] })}>
          Add metric
        </button>
      </fieldset>
      <fieldset>
        <legend>Rollout</legend>
        {phases.map((p, i) => (
          <div className="wf-route" key={i}>
            <Text label={`Phase ${i + 1} name`} value={p.name} error={errorsAt(`$.rollout.phases[${i}]`)} onChange={(name) => setPhase(i, { name })} />
            <Select label={`Phase ${i + 1} mode`} value={p.mode} options={PHASE_MODES} onChange={(mode) => setPhase(i, { mode: mode || undefined })} />
            <Text label={`Phase ${i + 1} share (0–1)`} type="number" step="0.05" min="0" max="1" value={p.share} onChange={(v) => setPhase(i, { share: v === "" ? undefined : Number(v) })} />
            <Text label={`Phase ${i + 1} exit criteria`} value={p.exit_criteria} onChange={(exit_criteria) => setPhase(i, { exit_criteria: exit_criteria || undefined })} />
            <button type="button" onClick={() => set({ rollout: { ...rollout, phases: phases.filter((_, j) => j !== i) } })}>
              Remove phase {i + 1}
            </button>
          </div>
        ))}
        <button type="button" onClick={() => set({ rollout: { ...rollout, phases: [...phases, { name: `Phase ${phases.length + 1}`, mode: PHASE_MODES[Math.min(phases.length, 3)] }] } })}>
          Add phase
        </button>
        <Text label="Rollback plan" multiline value={rollout.rollback} onChange={(rollback) => set({ rollout: { ...rollout, rollback } })} />
      </fieldset>
      <fieldset>
        <legend>Rationale (read by graders)</legend>
        {RATIONALE_TOPICS.map((topic) => (
          <Text key={topic} label={`Rationale: ${topic.replace("_", " ")}`} multiline value={rationale[topic]} error={errorsAt(`$.rationale.${topic}`)} onChange={(text) => setRationale(topic, text)} />
        ))}
      </fieldset>
    </section>
  );
}
