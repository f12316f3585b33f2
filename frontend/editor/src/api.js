// Talking to the exam API with the page's session: CSRF header, JSON errors, and a save queue
// that survives a lost connection (pending saves wait in localStorage and go when it returns).

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) return decodeURIComponent(match[1]);
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

export async function request(method, url, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { ok: response.ok, status: response.status, data };
}

export class SaveQueue {
  // states: "saved", "saving", "unsaved", "offline", "error"
  constructor({ url, storageKey, onState }) {
    this.url = url;
    this.storageKey = storageKey;
    this.onState = onState;
    this.timer = null;
    this.inFlight = false;
    window.addEventListener("online", () => this.flush());
  }

  pending() {
    try {
      const raw = window.localStorage.getItem(this.storageKey);
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  }

  schedule(design) {
    try {
      window.localStorage.setItem(this.storageKey, JSON.stringify(design));
    } catch {
      /* storage full or blocked: the server save below still runs */
    }
    this.onState(this.url ? "unsaved" : "local");
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), 800);
  }

  async flush() {
    const design = this.pending();
    if (!design || this.inFlight) return;
    if (!this.url) {
      // Practice: the design lives in this browser only.
      this.onState("local");
      return;
    }
    if (!navigator.onLine) {
      this.onState("offline");
      this.retryLater();
      return;
    }
    this.inFlight = true;
    this.onState("saving");
    const sent = JSON.stringify(design);
    let again = false;
    try {
      const result = await request("PUT", this.url, { design });
      if (result.ok) {
        // Forget the local copy only if nothing newer was queued while this save ran.
        const now = this.pending();
        if (now && JSON.stringify(now) !== sent) again = true;
        else window.localStorage.removeItem(this.storageKey);
        this.onState(again ? "unsaved" : "saved");
      } else if (result.status >= 500 || result.status === 429) {
        this.onState("offline");
        this.retryLater();
      } else {
        this.onState("error", (result.data && result.data.detail) || `save refused (${result.status})`);
      }
    } catch {
      this.onState("offline");
      this.retryLater();
    } finally {
      this.inFlight = false;
    }
    if (again) this.flush();
  }

  retryLater() {
    clearTimeout(this.retry);
    this.retry = setTimeout(() => this.flush(), 5000);
  }
}

export async function postForHtml(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "text/html, application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  const type = response.headers.get("Content-Type") || "";
  if (type.includes("json")) return { ok: response.ok, status: response.status, data: await response.json() };
  return { ok: response.ok, status: response.status, html: await response.text() };
}
