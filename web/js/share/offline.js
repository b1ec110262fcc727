// Offline after the first visit: registers the service worker (sw.js, written by
// build.py) for the site's folder, and shows "A new version is ready" with a Reload
// button when a newer build has installed while an older one controls the page.
// Reload lets the waiting worker take over, then reloads once it controls the page.
// On the first visit (no controller yet) nothing is shown.

export function startOffline({ notice, reload }) {
  const container = navigator.serviceWorker;
  if (!container || !window.isSecureContext) return Promise.resolve(null);
  let waiting = null;
  let reloading = false;

  const offer = (worker) => {
    waiting = worker;
    notice.hidden = false;
  };
  reload.addEventListener("click", () => {
    if (!waiting) return;
    reloading = true;
    reload.disabled = true;
    waiting.postMessage({ type: "skipWaiting" });
  });
  container.addEventListener("controllerchange", () => {
    if (reloading) window.location.reload();
  });

  const watch = (registration) => {
    if (registration.waiting && container.controller) offer(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      if (!worker) return;
      worker.addEventListener("statechange", () => {
        if (worker.state === "installed" && container.controller) offer(worker);
      });
    });
    return registration;
  };

  return container.register(new URL("sw.js", document.baseURI).href,
    { scope: new URL("./", document.baseURI).href, updateViaCache: "none" })
    .then((registration) => (registration ? watch(registration) : null))
    .catch((e) => {
      console.warn(`Digit Lab will not work offline: the service worker was not registered (${e.message}).`);
      return null;
    });
}
