// How a step and a lane are drawn. The four kinds differ in shape and colour and carry their
// kind as text too, so colour is never the only cue.
import { Handle, Position } from "@xyflow/react";
import { LANE_H, LANE_LABEL_W } from "./layout.js";

const KIND_LABEL = { task: "Task", review: "Review", approval: "Approval", action: "Action" };

export function StepNode({ data, selected }) {
  const { step, invalid, highlight, unchecked, start } = data;
  const classes = [
    "wf-step",
    `wf-${step.kind}`,
    selected ? "wf-selected" : "",
    invalid ? "wf-invalid" : "",
    highlight ? "wf-highlight" : "",
    unchecked ? "wf-unchecked" : "",
  ].join(" ");
  const detail = step.kind === "action" || step.kind === "approval" ? step.action : step.task_type;
  return (
    <div className={classes} data-step-id={step.id} title={invalid ? invalid.join("\n") : undefined}>
      <Handle type="target" position={Position.Left} />
      <div className="wf-kind">
        {KIND_LABEL[step.kind] || step.kind}
        {start ? " · start" : ""}
        {invalid ? " · ⚠ invalid" : ""}
        {unchecked ? " · not checked" : ""}
      </div>
      <div className="wf-id">{step.id}</div>
      <div className="wf-detail">{detail || ""}</div>
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

export function LaneNode({ data }) {
  return (
    <div className="wf-lane" style={{ width: data.width, height: LANE_H }}>
      <div className="wf-lane-label" style={{ width: LANE_LABEL_W - 20 }}>
        {data.label}
      </div>
    </div>
  );
}

export const nodeTypes = { step: StepNode, lane: LaneNode };
