// Automatic layout in lanes: one horizontal lane per performer, steps ordered left to right by
// dagre's ranking of the routing graph. Positions the candidate drags are kept in the design's
// `layout` object (ignored by grading) and win over the automatic ones.
import dagre from "@dagrejs/dagre";
import { edgesOf, performerKey } from "./model.js";

export const NODE_W = 170;
export const NODE_H = 64;
export const LANE_H = 120;
export const LANE_LABEL_W = 150;

export function lanesOf(design) {
  const lanes = [];
  for (const step of design.steps) {
    const key = performerKey(step);
    if (!lanes.includes(key)) lanes.push(key);
  }
  return lanes;
}

export function autoPositions(design) {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 30, ranksep: 60 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const step of design.steps) graph.setNode(step.id, { width: NODE_W, height: NODE_H });
  for (const edge of edgesOf(design)) {
    if (edge.kind !== "reject" && edge.kind !== "escalation") graph.setEdge(edge.from, edge.to);
  }
  dagre.layout(graph);
  const lanes = lanesOf(design);
  const positions = {};
  for (const step of design.steps) {
    const node = graph.node(step.id);
    const lane = lanes.indexOf(performerKey(step));
    positions[step.id] = {
      x: LANE_LABEL_W + Math.round(node.x - NODE_W / 2),
      y: lane * LANE_H + Math.round((LANE_H - NODE_H) / 2),
    };
  }
  return positions;
}

export function positionsOf(design) {
  const saved = (design.layout && design.layout.positions) || {};
  const missing = design.steps.some((s) => !saved[s.id]);
  const auto = missing ? autoPositions(design) : {};
  const lanes = lanesOf(design);
  const positions = {};
  for (const step of design.steps) {
    const lane = lanes.indexOf(performerKey(step));
    const p = saved[step.id] || auto[step.id];
    // A step always sits in its performer's lane; only its horizontal place is free.
    positions[step.id] = { x: p.x, y: lane * LANE_H + Math.round((LANE_H - NODE_H) / 2) };
  }
  return positions;
}
