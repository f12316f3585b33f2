// The exam room's editor for one scenario: the canvas, a toolbar, the list of steps (the
// keyboard path to every step), the properties panel, validation as the candidate works,
// autosave with a visible state, import and export.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { Diagram } from "./Diagram.jsx";
import { StepPanel } from "./StepPanel.jsx";
import { DesignPanel } from "./DesignPanel.jsx";
import { KINDS, addStep, clone, emptyDesign, fieldOfPath, removeStep, renameStep, stepIndexOfPath, updateStep } from "./model.js";
import { SaveQueue, request } from "./api.js";

const SAVE_LABEL = {
  saved: "All changes saved",
  saving: "Saving…",
  unsaved: "Unsaved changes",
  offline: "Offline — changes are kept in this browser and sent when the connection returns",
  error: "Not saved",
  local: "Kept in this browser (practice is never recorded)",
};

export function Editor({ part, onDesignChange, readOnly }) {
  const storageKey = `practica:draft:${part.draft_url}`;
  const queue = useRef(null);
  const [saveState, setSaveState] = useState({ state: "saved", detail: null });
  const [design, setDesign] = useState(() => {
    // A save that never reached the server (offline, closed tab) wins over the server's copy.
    try {
      const pending = window.localStorage.getItem(storageKey);
      if (pending && !readOnly) return JSON.parse(pending);
    } catch {
      /* ignore unreadable local copies */
    }
    return part.draft || emptyDesign();
  });
  const [selectedId, setSelectedId] = useState(null);
  const [tab, setTab] = useState("step");
  const [errors, setErrors] = useState([]);
  const [validating, setValidating] = useState(false);
  const fileInput = useRef(null);

  useEffect(() => {
    if (readOnly) return undefined;
    queue.current = new SaveQueue({
      url: part.draft_url.startsWith("practice:") ? null : part.draft_url,
      storageKey,
      onState: (state, detail) => setSaveState({ state, detail }),
    });
    if (queue.current.pending()) queue.current.flush();
    return undefined;
  }, [part.draft_url, storageKey, readOnly]);

  // The same attempt open in a second tab: an edit there reaches this tab as soon as it is made
  // (both tabs share this browser's pending copy), so neither tab's save overwrites the other's
  // work with a stale design.
  const [notice, setNotice] = useState(null);
  useEffect(() => {
    if (readOnly) return undefined;
    const onStorage = (event) => {
      if (event.key !== storageKey || !event.newValue) return;
      try {
        setDesign(JSON.parse(event.newValue));
        setNotice("Updated with the changes made in another tab of this exam.");
      } catch {
        /* ignore an unreadable copy */
      }
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [storageKey, readOnly]);

  // Validate a moment after the candidate stops typing.
  useEffect(() => {
    if (readOnly) return undefined;
    const timer = setTimeout(async () => {
      setValidating(true);
      try {
        const result = await request("POST", part.validate_url, design);
        setErrors(result.ok ? [] : (result.data && result.data.errors) || [{ path: "$", message: (result.data && result.data.detail) || "Could not validate", code: "error" }]);
      } catch {
        /* offline: keep the last known errors */
      } finally {
        setValidating(false);
      }
    }, 600);
    return () => clearTimeout(timer);
  }, [design, part.validate_url, readOnly]);

  useEffect(() => {
    onDesignChange && onDesignChange(design, errors);
  }, [design, errors, onDesignChange]);

  const change = useCallback(
    (next) => {
      setDesign(next);
      if (queue.current) queue.current.schedule(next);
    },
    [],
  );

  const errorsByStep = useMemo(() => {
    const byStep = {};
    for (const e of errors) {
      const index = stepIndexOfPath(e.path);
      if (index === null || !design.steps[index]) continue;
      const id = design.steps[index].id;
      (byStep[id] = byStep[id] || []).push(e.message);
    }
    return byStep;
  }, [errors, design]);

  const selected = design.steps.find((s) => s.id === selectedId) || null;
  const selectedErrors = useMemo(() => {
    const byField = {};
    if (!selected) return byField;
    const index = design.steps.indexOf(selected);
    for (const e of errors) {
      if (stepIndexOfPath(e.path) !== index) continue;
      const field = fieldOfPath(e.path) || "id";
      (byField[field] = byField[field] || []).push(e.message);
    }
    return byField;
  }, [errors, selected, design]);
  const errorsAt = (prefix) => errors.filter((e) => e.path === prefix || e.path.startsWith(`${prefix}.`) || e.path.startsWith(`${prefix}[`)).map((e) => e.message).join(" ") || null;

  const select = (id) => {
    setSelectedId(id);
    setTab("step");
  };
  const add = (kind) => {
    const result = addStep(design, part.resources, kind);
    change(result.design);
    select(result.id);
  };
  const connect = (from, to) => {
    const step = design.steps.find((s) => s.id === from);
    if (!step || from === to) return;
    // A new connection becomes `next` if the step has none yet, else a route to refine.
    if (!step.next || step.next === "end") change(updateStep(design, from, { next: to }));
    else change(updateStep(design, from, { routes: [...(step.routes || []), { when: [{ attr: part.resources.attributes[0], op: "==", value: true }], to }] }));
    select(from);
  };
  const move = (id, position) => {
    const next = clone(design);
    next.layout = next.layout || {};
    next.layout.positions = { ...(next.layout.positions || {}), [id]: { x: Math.round(position.x), y: Math.round(position.y) } };
    change(next);
  };
  const jumpTo = (error) => {
    const index = stepIndexOfPath(error.path);
    if (index !== null && design.steps[index]) select(design.steps[index].id);
    else setTab("design");
  };
  const exportJson = () => {
    const blob = new Blob([JSON.stringify(design, null, 2)], { type: "application/json" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = `${part.scenario}-design.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  const importJson = async (file) => {
    try {
      const parsed = JSON.parse(await file.text());
      if (!parsed || !Array.isArray(parsed.steps)) throw new Error("no steps");
      change(parsed);
      setSelectedId(null);
    } catch (e) {
      setSaveState({ state: "error", detail: `That file is not a design in the project's JSON format (${e.message}).` });
    }
  };

  return (
    <div className="wf-editor" data-scenario={part.scenario}>
      {readOnly ? null : (
        <div className="wf-toolbar" role="toolbar" aria-label="Editor tools">
          {KINDS.map((kind) => (
            <button type="button" key={kind} onClick={() => add(kind)}>
              Add {kind}
            </button>
          ))}
          <button type="button" onClick={exportJson}>
            Export JSON
          </button>
          <button type="button" onClick={() => fileInput.current && fileInput.current.click()}>
            Import JSON
          </button>
          <input ref={fileInput} type="file" accept=".json,application/json" hidden aria-label="Import a design file" onChange={(e) => e.target.files[0] && importJson(e.target.files[0])} />
          {notice ? (
            <span className="wf-notice" role="status">
              {notice}
            </span>
          ) : null}
          <span className={`wf-save wf-save-${saveState.state}`} role="status" aria-live="polite" data-save-state={saveState.state}>
            {SAVE_LABEL[saveState.state]}
            {saveState.detail ? `: ${saveState.detail}` : ""}
          </span>
        </div>
      )}
      <div className="wf-body">
        <nav className="wf-steps" aria-label="Steps">
          <h3>Steps</h3>
          {design.steps.length === 0 ? <p className="wf-muted">No steps yet: add one with the toolbar.</p> : null}
          <ul>
            {design.steps.map((s) => (
              <li key={s.id}>
                <button type="button" aria-pressed={s.id === selectedId} className={errorsByStep[s.id] ? "wf-has-error" : ""} onClick={() => select(s.id)}>
                  {s.id} <span className="wf-muted">({s.kind})</span>
                  {errorsByStep[s.id] ? <span className="wf-error-badge"> ⚠ {errorsByStep[s.id].length}</span> : null}
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div className="wf-canvas" aria-label="Workflow diagram" role="region">
          <ReactFlowProvider>
            <Diagram
              design={design}
              resources={part.resources}
              selectedId={selectedId}
              onSelect={select}
              onMove={readOnly ? null : move}
              onConnect={readOnly ? null : connect}
              invalidByStep={errorsByStep}
              editable={!readOnly}
            />
          </ReactFlowProvider>
        </div>
        {readOnly ? null : (
          <div className="wf-side">
            <div className="wf-tabs" role="tablist" aria-label="Panels">
              {[
                ["step", "Step"],
                ["design", "Design"],
                ["errors", `Problems (${errors.length})`],
              ].map(([key, label]) => (
                <button type="button" role="tab" key={key} aria-selected={tab === key} onClick={() => setTab(key)}>
                  {label}
                </button>
              ))}
            </div>
            {tab === "step" ? (
              selected ? (
                <StepPanel
                  key={selected.id}
                  design={design}
                  step={selected}
                  resources={part.resources}
                  errors={selectedErrors}
                  onPatch={(patch) => change(updateStep(design, selected.id, patch))}
                  onRename={(from, to) => {
                    if (!to || design.steps.some((s) => s.id === to)) return;
                    change(renameStep(design, from, to));
                    setSelectedId(to);
                  }}
                  onDelete={(id) => {
                    change(removeStep(design, id));
                    setSelectedId(null);
                  }}
                />
              ) : (
                <p className="wf-muted">Select a step in the list or on the diagram to edit it.</p>
              )
            ) : null}
            {tab === "design" ? <DesignPanel design={design} resources={part.resources} errorsAt={errorsAt} onChange={change} /> : null}
            {tab === "errors" ? (
              <section className="wf-panel" aria-label="Problems">
                <h3>Problems {validating ? <span className="wf-muted">(checking…)</span> : null}</h3>
                {errors.length === 0 ? <p>No problems found: this design can be submitted.</p> : null}
                <ul className="wf-error-list">
                  {errors.map((e, i) => (
                    <li key={i}>
                      <button type="button" onClick={() => jumpTo(e)}>
                        <code>{e.path}</code> {e.message}
                      </button>
                    </li>
                  ))}
                </ul>
              </section>
            ) : null}
          </div>
        )}
      </div>
    </div>
  );
}
