// The verification volume page's chart: verifications per day, anonymous and by employers,
// stacked. Data from the page's JSON script element (no inline script: CSP). The same figures
// are in the table below it.
/* global Chart */
(function () {
  const root = document.querySelector("[data-volume-chart]");
  if (!root || typeof Chart === "undefined") return;
  const source = document.getElementById(root.dataset.config);
  const data = source ? JSON.parse(source.textContent) : null;
  if (!data) return;
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  canvas.setAttribute(
    "aria-label",
    "Verifications per day: " + data.labels.map((day, n) => `${day}: ${data.anonymous[n] + data.employers[n]}`).join("; "),
  );
  root.appendChild(canvas);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Anonymous", data: data.anonymous, backgroundColor: "#8aa9c7" },
        { label: "Employers", data: data.employers, backgroundColor: "#1f5f99" },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
  root.dataset.mounted = "true";
})();
