// The canvas: steps in lanes, edges by kind. Used editable in the exam room and read-only for
// today's process and on the results page (with a path highlighted).
import { useEffect, useMemo } from "react";
import { Background, Controls, MarkerType, ReactFlow, useReactFlow } from "@xyflow/react";
import { edgesOf, performerKey } from "./model.js";
import { LANE_H, LANE_LABEL_W, NODE_W, lanesOf, positionsOf } from "./layout.js";
import { nodeTypes } from "./nodes.jsx";

const EDGE_STYLE = {
  route: { stroke: "#1f5f99", strokeWidth: 1.6 },
  next: { stroke: "#5b6675", strokeWidth: 1.6 },
  reject: { stroke: "#b3261e", strokeWidth: 1.6, strokeDasharray: "6 4" },
  escalation: { stroke: "#a15c00", strokeWidth: 1.6, strokeDasharray: "2 4" },
};

export function laneLabel(key, resources) {
  const [type, ref] = key.split(":");
  const pools = { role: resources.roles, agent: resources.agents, system: resources.systems };
  const found = (pools[type] || []).find((r) => r.id === ref);
  return `${found ? found.name : ref} (${type})`;
}

export function Diagram({ design, resources, selectedId, onSelect, onMove, onConnect, invalidByStep, highlight, unchecked, editable }) {
  const { nodes, edges } = useMemo(() => {
    const positions = positionsOf(design);
    const lanes = lanesOf(design);
    const maxX = Math.max(600, ...Object.values(positions).map((p) => p.x + NODE_W + 60));
    const laneNodes = lanes.map((key, i) => ({
      id: `lane:${key}`,
      type: "lane",
      position: { x: 0, y: i * LANE_H },
      data: { label: laneLabel(key, resources), width: maxX },
      draggable: false,
      selectable: false,
      focusable: false,
      zIndex: -1,
    }));
    const path = new Set(highlight || []);
    const stepNodes = design.steps.map((step) => ({
      id: step.id,
      type: "step",
      position: positions[step.id],
      selected: step.id === selectedId,
      draggable: Boolean(editable),
      ariaLabel: `${step.kind} step ${step.id}, performed by ${laneLabel(performerKey(step), resources)}`,
      data: {
        step,
        start: design.start === step.id,
        invalid: invalidByStep ? invalidByStep[step.id] : null,
        highlight: path.has(step.id),
        unchecked: (unchecked || []).includes(step.id),
      },
    }));
    const flowEdges = edgesOf(design).map((edge, i) => ({
      id: `${edge.kind}:${edge.from}:${edge.to}:${i}`,
      source: edge.from,
      target: edge.to,
      label: edge.label || undefined,
      type: "smoothstep",
      className: `wf-edge wf-edge-${edge.kind}`,
      style: EDGE_STYLE[edge.kind],
      animated: path.has(edge.from) && path.has(edge.to),
      markerEnd: { type: MarkerType.ArrowClosed, color: EDGE_STYLE[edge.kind].stroke },
      labelStyle: { fontSize: 11 },
    }));
    return { nodes: [...laneNodes, ...stepNodes], edges: flowEdges };
  }, [design, resources, selectedId, invalidByStep, highlight, unchecked, editable]);

  // Re-frame the diagram when steps are added or removed, so a new step is never off-screen.
  const flow = useReactFlow();
  const count = design.steps.length;
  useEffect(() => {
    const timer = setTimeout(() => flow.fitView({ padding: 0.15, duration: 0, maxZoom: 1 }), 50);
    return () => clearTimeout(timer);
  }, [count, flow]);

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      fitView
      fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
      minZoom={0.2}
      nodesConnectable={Boolean(editable)}
      nodesDraggable={Boolean(editable)}
      elementsSelectable
      onNodeClick={(_, node) => node.type === "step" && onSelect && onSelect(node.id)}
      onNodeDragStop={(_, node) => onMove && node.type === "step" && onMove(node.id, node.position)}
      onConnect={(c) => onConnect && onConnect(c.source, c.target)}
      proOptions={{ hideAttribution: true }}
    >
      <Background gap={24} size={1} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

export { LANE_LABEL_W };
