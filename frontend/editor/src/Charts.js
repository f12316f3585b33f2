// The results page's charts: the design's simulated outcomes next to today's process and the
// robustness curve (outcomes as agent error rises). Each canvas has a text label; the numbers
// are also in the table beside them.
import { Chart, labelledCanvas } from "./chartKit.js";

const DESIGN = "#1f5f99";
const TODAY = "#8a97a6";
const ALERT = "#b3261e";

const canvas = (root, title, description) => labelledCanvas(root, "outcome-chart", title, description);

const pct = (v) => `${(v * 100).toFixed(1)}%`;

export function drawCharts(root, data) {
  const bar = (title, labels, design, today, format) =>
    new Chart(canvas(root, title, labels.map((l, i) => `${l} yours ${format(design[i])}, today ${format(today[i])}`).join("; ")), {
      type: "bar",
      data: {
        labels,
        datasets: [
          { label: "Your design", data: design, backgroundColor: DESIGN },
          { label: "Today", data: today, backgroundColor: TODAY },
        ],
      },
      options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${format(c.raw)}` } } } },
    });

  bar("Cycle time (share of cases)", data.cycle_time.labels, data.cycle_time.design, data.cycle_time.today, pct);
  bar("Cost per case", ["cost per case"], [data.cost_per_case.design], [data.cost_per_case.today], (v) => (v ?? 0).toFixed(2));
  bar("Errors that escape", ["escape rate"], [data.escaped.design], [data.escaped.today], pct);
  bar("Utilisation by role", data.utilisation.labels, data.utilisation.design, data.utilisation.today, pct);

  const curve = data.robustness || [];
  const factors = curve.map((p) => `×${p.agent_error_factor}`);
  new Chart(canvas(root, "Robustness: as agent error rises", curve.map((p) => `×${p.agent_error_factor}: escapes ${pct(p.error_escape_rate)}, attacks caught ${pct(p.adversarial_caught_rate)}`).join("; ")), {
    type: "line",
    data: {
      labels: factors,
      datasets: [
        { label: "Errors that escape", data: curve.map((p) => p.error_escape_rate), borderColor: ALERT, backgroundColor: ALERT },
        { label: "Escalated to people", data: curve.map((p) => p.escalation_rate), borderColor: DESIGN, backgroundColor: DESIGN },
        { label: "Attacks caught", data: curve.map((p) => p.adversarial_caught_rate), borderColor: TODAY, backgroundColor: TODAY },
      ],
    },
    options: { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 1 } } },
  });
}
