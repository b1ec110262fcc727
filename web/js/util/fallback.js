// A classic script (runs even where ES modules do not): if the app's modules
// fail to load or run, say so in the status line instead of leaving a dead page.
// boot.js sets <html data-boot="ok"> once it has wired the page.
(function () {
  var root = document.documentElement;
  var shown = false;

  function booted() {
    return root.getAttribute("data-boot") === "ok";
  }

  function show(reason) {
    if (shown || booted()) return;
    shown = true;
    var status = document.getElementById("app-status");
    if (status) {
      status.textContent = "Digit Lab could not start: " + reason;
      status.setAttribute("data-state", "failed");
    }
    var help = document.getElementById("fallback-help");
    if (help) help.hidden = false;
  }

  if (!("noModule" in HTMLScriptElement.prototype)) {
    document.addEventListener("DOMContentLoaded", function () {
      show("this browser is too old to run it. Please use a current Chrome, Edge, Firefox or Safari.");
    });
    return;
  }

  window.addEventListener("error", function (event) {
    if (booted()) return;
    var target = event.target;
    if (target && target.tagName === "SCRIPT") {
      show("its scripts did not load. Check your connection and reload the page.");
    } else if (event.filename) {
      show("its scripts failed to run (" + (event.message || "unknown error") + "). Reload the page.");
    }
  }, true);

  window.addEventListener("load", function () {
    setTimeout(function () {
      show("its scripts did not run. Reload the page, or try a current browser.");
    }, 1500);
  });
})();
