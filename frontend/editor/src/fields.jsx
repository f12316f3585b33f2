// Small labelled form controls shared by the step and design panels. Every control has a
// visible label tied to it, so screen readers and keyboard users get the same editor.
import { useId } from "react";

export function Field({ label, error, children }) {
  const id = useId();
  return (
    <div className={`wf-field${error ? " wf-field-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {error ? (
        <div className="wf-error-text" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}

export function Select({ label, value, options, onChange, error, allowEmpty = true, disabled }) {
  return (
    <Field label={label} error={error}>
      {(id) => (
        <select id={id} value={value ?? ""} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
          {allowEmpty ? <option value="">—</option> : null}
          {options.map((o) => {
            const [v, text] = Array.isArray(o) ? o : [o, o];
            return (
              <option key={v} value={v}>
                {text}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}

export function Text({ label, value, onChange, error, type = "text", multiline, ...rest }) {
  return (
    <Field label={label} error={error}>
      {(id) =>
        multiline ? (
          <textarea id={id} value={value ?? ""} onChange={(e) => onChange(e.target.value)} rows={4} {...rest} />
        ) : (
          <input id={id} type={type} value={value ?? ""} onChange={(e) => onChange(e.target.value)} {...rest} />
        )
      }
    </Field>
  );
}

// A comma-separated list, committed when the field loses focus (so typing ", " is possible).
export function ListText({ label, value, onChange, error }) {
  const commit = (text) => onChange(text.split(",").map((v) => v.trim()).filter(Boolean));
  return (
    <Field label={label} error={error}>
      {(id) => (
        <input
          id={id}
          defaultValue={(value || []).join(", ")}
          onBlur={(e) => commit(e.target.value)}
          onKeyDown={(e) => e.key === "Enter" && commit(e.target.value)}
        />
      )}
    </Field>
  );
}
