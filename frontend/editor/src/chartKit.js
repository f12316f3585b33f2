// What every chart on the site shares: Chart.js with the parts we draw registered once, and a
// labelled canvas in a figure (the label carries the numbers for screen readers).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip);

export { Chart };

export function labelledCanvas(root, className, title, description) {
  const figure = document.createElement("figure");
  figure.className = className;
  const caption = document.createElement("figcaption");
  caption.textContent = title;
  const element = document.createElement("canvas");
  element.setAttribute("role", "img");
  element.setAttribute("aria-label", `${title}: ${description}`);
  figure.append(caption, element);
  root.append(figure);
  return element;
}
