// A list of conditions ({attr, op, value}); all must hold.
import { OPS, parseValue, valueText } from "./model.js";

export function Conditions({ legend, conditions, attributes, onChange }) {
  const list = conditions || [];
  const set = (i, patch) => onChange(list.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <fieldset className="wf-conditions">
      <legend>{legend}</legend>
      {list.map((c, i) => (
        <div className="wf-condition" key={i}>
          <select aria-label={`${legend}: condition ${i + 1} attribute`} value={c.attr} onChange={(e) => set(i, { attr: e.target.value })}>
            {attributes.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
          <select aria-label={`${legend}: condition ${i + 1} operator`} value={c.op} onChange={(e) => set(i, { op: e.target.value, value: parseValue(valueText(c.value), e.target.value) })}>
            {OPS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </select>
          <input
            key={`${i}:${valueText(c.value)}`}
            aria-label={`${legend}: condition ${i + 1} value`}
            defaultValue={valueText(c.value)}
            onBlur={(e) => set(i, { value: parseValue(e.target.value, c.op) })}
            onKeyDown={(e) => e.key === "Enter" && set(i, { value: parseValue(e.target.value, c.op) })}
          />
          <button type="button" aria-label={`Remove ${legend} condition ${i + 1}`} onClick={() => onChange(list.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...list, { attr: attributes[0], op: "==", value: true }])}>
        Add condition
      </button>
    </fieldset>
  );
}
