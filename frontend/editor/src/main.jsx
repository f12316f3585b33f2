// Entry point: mounts the exam room on [data-exam-room] and read-only diagrams on
// [data-workflow-diagram]. Each element names the json_script element holding its data.
import { createRoot } from "react-dom/client";
import { ReactFlowProvider } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import "./styles.css";
import { ExamRoom } from "./ExamRoom.jsx";
import { Diagram } from "./Diagram.jsx";
import { drawCharts } from "./Charts.js";
import { drawPartnerCharts } from "./PartnerCharts.js";

function dataFor(element) {
  const source = document.getElementById(element.dataset.config);
  return source ? JSON.parse(source.textContent) : null;
}

function mount(root = document) {
  for (const element of root.querySelectorAll("[data-exam-room]:not([data-mounted])")) {
    const config = dataFor(element);
    element.dataset.mounted = "true";
    if (config) createRoot(element).render(<ExamRoom config={config} />);
  }
  for (const element of root.querySelectorAll("[data-workflow-diagram]:not([data-mounted])")) {
    const data = dataFor(element);
    element.dataset.mounted = "true";
    if (!data || !data.design) continue;
    createRoot(element).render(
      <ReactFlowProvider>
        <Diagram design={data.design} resources={data.resources} highlight={data.highlight} unchecked={data.unchecked} />
      </ReactFlowProvider>,
    );
  }
  for (const element of root.querySelectorAll("[data-outcome-charts]:not([data-mounted])")) {
    const data = dataFor(element);
    element.dataset.mounted = "true";
    if (data) drawCharts(element, data);
  }
  for (const element of root.querySelectorAll("[data-partner-charts]:not([data-mounted])")) {
    const data = dataFor(element);
    element.dataset.mounted = "true";
    if (data) drawPartnerCharts(element, data);
  }
}

mount();
// The results page swaps in new content (htmx) when grading finishes: draw its diagrams too.
document.body.addEventListener("htmx:afterSwap", (event) => mount(event.target));
// The practice room inserts a simulation's results: draw theirs too.
document.addEventListener("practica:mount", (event) => mount(event.detail));
