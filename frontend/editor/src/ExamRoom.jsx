// The exam room shell: the countdown from the server's deadline, one editor per scenario, and
// submit with a confirmation that names anything still invalid.
import { useCallback, useEffect, useRef, useState } from "react";
import { Editor } from "./Editor.jsx";
import { postForHtml, request } from "./api.js";

function remaining(deadline, offset) {
  return Math.max(0, Math.floor((new Date(deadline).getTime() - (Date.now() + offset)) / 1000));
}

function clock(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

function StatusBox({ status }) {
  if (!status) return null;
  return (
    <div className={`wf-status wf-status-${status.kind}`} role={status.kind === "error" ? "alert" : "status"}>
      {status.text}
      {status.errors && status.errors.length ? (
        <ul>
          {status.errors.slice(0, 10).map((e, i) => (
            <li key={i}>
              <code>{e.path}</code> {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function ExamRoom({ config }) {
  // The server's clock decides; the offset corrects for this computer's clock.
  const offset = useRef(new Date(config.server_now).getTime() - Date.now());
  const [left, setLeft] = useState(() => remaining(config.deadline, offset.current));
  const [active, setActive] = useState(0);
  const [status, setStatus] = useState(null);
  const state = useRef({});

  useEffect(() => {
    const timer = setInterval(() => setLeft(remaining(config.deadline, offset.current)), 1000);
    return () => clearInterval(timer);
  }, [config.deadline]);

  const track = useCallback((id) => (design, errors) => {
    state.current[id] = { design, errors };
  }, []);
  const trackers = useRef({});
  const trackerFor = (id) => (trackers.current[id] = trackers.current[id] || track(id));

  const submit = async () => {
    const problems = config.parts
      .map((p) => [p.title, (state.current[p.scenario_version_id] || {}).errors || []])
      .filter(([, errors]) => errors.length);
    const warning = problems.length
      ? `These designs still have problems and will be refused until fixed:\n${problems.map(([t, e]) => `• ${t}: ${e.length} problem(s), e.g. ${e[0].path} ${e[0].message}`).join("\n")}\n\nSubmit anyway?`
      : "Submit your design? You cannot change it afterwards.";
    if (!window.confirm(warning)) return;
    const designs = {};
    for (const p of config.parts) {
      const tracked = state.current[p.scenario_version_id];
      if (tracked) designs[String(p.scenario_version_id)] = tracked.design;
    }
    setStatus({ kind: "info", text: "Submitting…" });
    const result = await request("POST", config.submit_url, { designs });
    if (result.ok) {
      for (const p of config.parts) window.localStorage.removeItem(`practica:draft:${p.draft_url}`);
      window.location.assign(config.results_url);
      return;
    }
    const detail = (result.data && result.data.detail) || `Submit failed (${result.status}).`;
    const errors = (result.data && result.data.errors) || [];
    setStatus({ kind: "error", text: detail, errors });
  };

  const simulate = async () => {
    const part = config.parts[active];
    const tracked = state.current[part.scenario_version_id];
    if (!tracked) return;
    setStatus({ kind: "info", text: "Simulating…" });
    const result = await postForHtml(config.simulate_url, { design: tracked.design });
    if (result.ok && result.html !== undefined) {
      const target = document.getElementById("practice-results");
      target.innerHTML = result.html;
      document.dispatchEvent(new CustomEvent("practica:mount", { detail: target }));
      setStatus({ kind: "info", text: "Simulated: the results are below." });
      target.scrollIntoView({ behavior: "smooth", block: "start" });
      return;
    }
    const data = result.data || {};
    setStatus({ kind: "error", text: data.detail || `Simulation failed (${result.status}).`, errors: data.errors || [] });
  };

  const urgent = left < 300;
  if (config.practice) {
    return (
      <div className="wf-room">
        <div className="wf-room-bar">
          <span className="wf-muted">Practice: nothing is recorded.</span>
          <button type="button" className="wf-primary" onClick={simulate}>
            Simulate
          </button>
        </div>
        <StatusBox status={status} />
        {config.parts.map((p, i) => (
          <div key={p.scenario_version_id} hidden={i !== active}>
            <Editor part={p} onDesignChange={trackerFor(p.scenario_version_id)} />
          </div>
        ))}
      </div>
    );
  }
  return (
    <div className="wf-room">
      <div className="wf-room-bar">
        <div className={`wf-countdown${urgent ? " wf-urgent" : ""}`} role="timer" aria-live={urgent ? "assertive" : "off"} aria-label="Time left">
          Time left <strong>{clock(left)}</strong>
        </div>
        {config.parts.length > 1 ? (
          <div role="tablist" aria-label="Scenarios">
            {config.parts.map((p, i) => (
              <button type="button" role="tab" key={p.scenario_version_id} aria-selected={i === active} onClick={() => setActive(i)}>
                {p.title}
              </button>
            ))}
          </div>
        ) : null}
        <button type="button" className="wf-primary" onClick={submit} disabled={left === 0}>
          Submit design
        </button>
      </div>
      <StatusBox status={status} />
      {config.parts.map((p, i) => (
        <div key={p.scenario_version_id} hidden={i !== active}>
          <Editor part={p} onDesignChange={trackerFor(p.scenario_version_id)} />
        </div>
      ))}
    </div>
  );
}
