// The partner dashboard's charts: certified headcount month by month, headcount by
// certification, and competency coverage per blueprint domain. Each canvas has a text label
// with the numbers; the same figures are in the tables on the page.
import { Chart, labelledCanvas } from "./chartKit.js";

const INK = "#1f5f99";
const ALERT = "#b3261e";
const OK = "#2e7d32";

const canvas = (root, title, description) => labelledCanvas(root, "partner-chart", title, description);

const OPTIONS = { animation: false, responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } };

export function drawPartnerCharts(root, data) {
  const trend = data.trend || [];
  new Chart(canvas(root, "Certified headcount by month", trend.map((p) => `${p.month}: ${p.count}`).join("; ")), {
    type: "line",
    data: { labels: trend.map((p) => p.month), datasets: [{ label: "Certified", data: trend.map((p) => p.count), borderColor: INK, backgroundColor: INK }] },
    options: OPTIONS,
  });

  const certs = data.by_certification || [];
  new Chart(canvas(root, "Certified by certification", certs.map((c) => `${c.name}: ${c.count}`).join("; ") || "none"), {
    type: "bar",
    data: { labels: certs.map((c) => c.name), datasets: [{ label: "Certified", data: certs.map((c) => c.count), backgroundColor: INK }] },
    options: OPTIONS,
  });

  // A domain covered by one person or none is drawn in the alert colour.
  const domains = data.coverage || [];
  new Chart(canvas(root, `Proficient (domain score ≥ ${data.threshold}%) by domain`, domains.map((d) => `${d.name}: ${d.proficient}`).join("; ") || "none"), {
    type: "bar",
    data: {
      labels: domains.map((d) => d.name),
      datasets: [{ label: "Proficient", data: domains.map((d) => d.proficient), backgroundColor: domains.map((d) => (d.proficient <= 1 ? ALERT : OK)) }],
    },
    options: { ...OPTIONS, indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  });
}
