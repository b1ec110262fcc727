// Loaded first by the engine suites' copy of the site (tests/engines/watched_site.py),
// never by the real site: records what fails a smoke test into session storage, so it
// survives reloads until the test reads it (watched_site.TAKE_PROBLEMS).
(() => {
  const key = "digit-lab-engine-watch";
  const add = (text) => {
    try {
      const list = JSON.parse(sessionStorage.getItem(key) || "[]");
      list.push(String(text).slice(0, 2000));
      sessionStorage.setItem(key, JSON.stringify(list));
    } catch (e) {
      // storage unavailable: nothing to record into
    }
  };
  window.addEventListener("error", (e) => {
    add(`uncaught exception: ${e.message} (${e.filename}:${e.lineno})`);
  });
  window.addEventListener("unhandledrejection", (e) => {
    const reason = e.reason;
    add(`unhandled rejection: ${reason && reason.stack ? reason.stack : reason}`);
  });
  document.addEventListener("securitypolicyviolation", (e) => {
    add(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline code"}`);
  });
  // The page's own requests for other origins (its workers' go to the recording proxy).
  if (typeof PerformanceObserver === "function") {
    new PerformanceObserver((entries) => {
      for (const entry of entries.getEntries()) {
        if (/^https?:/.test(entry.name) && new URL(entry.name).origin !== location.origin) {
          add(`request to another origin: ${entry.name}`);
        }
      }
    }).observe({ type: "resource", buffered: true });
  }
})();
