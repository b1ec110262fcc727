// The presenter view: a layout for a projector at 1280×720 (css/present.css, keyed
// off <html data-view="present">), opened by "view=present" in the link or by the
// "Presenter view" toggle (aria-pressed), which also writes the address bar's hash.
// In it, keys drive the run without the mouse: Space pauses or resumes, S steps one
// mini-batch (when the page has a Step button), C clears the pad. Keys are left
// alone while the person types (fields, the notebook's editor) or holds a modifier.
// Space is Pause/Resume even on a focused button (Enter presses buttons): after a click
// focus stays on Edit settings, Clear charts or this view's toggle, and Space pressing
// that again would fold the settings, clear the charts or close the view. With no run
// to pause, Space on a button does nothing. Only controls Space changes (checkboxes,
// radios, fields) keep it.

import { PRESENT, readHash, replaceAddressHash, withView } from "./url-state.js";

// Each key and the id of the button it presses.
const KEYS = { " ": "pause", s: "step", S: "step", c: "clear", C: "clear" };
const TYPING = "input, select, textarea, [contenteditable]:not([contenteditable='false']), .CodeMirror";
const SPACE_OWNERS = "[role='checkbox'], [role='radio'], [role='switch'], [role='option'], "
  + "[role='menuitemcheckbox'], [role='menuitemradio']";

/** Return whether a key press on ``target`` belongs to the element (typing, or its own Space). */
function ownedBy(target, key) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable || target.closest(TYPING)) return true;
  return key === " " && Boolean(target.closest(SPACE_OWNERS));
}

export class Presenter {
  /**
   * parts: {toggle, stepKey}: the "Presenter view" button and the hint's S item (hidden
   * when the page has no Step button); summary: the SettingsSummary, told when the view
   * changes; root: the element that carries data-view (<html>).
   */
  constructor({ toggle, stepKey }, { summary, root = document.documentElement }) {
    Object.assign(this, { toggle, stepKey, summary, root });
    this.on = false;
    this.toggle.addEventListener("click", () => this.set(!this.on, { writeAddress: true }));
    window.addEventListener("hashchange", () => this.set(this.linkAsks()));
    document.addEventListener("keydown", (event) => this.key(event));
    // a focused button is pressed on Space's keyup (Firefox even after keydown was
    // prevented): in this view Space is Pause/Resume, never the button's press
    document.addEventListener("keyup", (event) => {
      if (this.on && event.key === " " && !ownedBy(event.target, event.key)) event.preventDefault();
    });
    this.set(this.linkAsks());
  }

  linkAsks() {
    return readHash(window.location.hash).view === PRESENT;
  }

  /** Show the presenter view (true) or the normal page; ``writeAddress`` updates the hash. */
  set(on, { writeAddress = false } = {}) {
    this.on = on;
    if (on) this.root.dataset.view = PRESENT;
    else delete this.root.dataset.view;
    this.toggle.setAttribute("aria-pressed", String(on));
    if (this.stepKey) this.stepKey.hidden = !document.getElementById("step");
    this.summary.setPresenting(on);
    if (writeAddress) replaceAddressHash(withView(window.location.hash, on ? PRESENT : null));
  }

  /** Press the button a key stands for (Space: Pause/Resume, S: Step, C: Clear), if it is on. */
  key(event) {
    const id = KEYS[event.key];
    if (!this.on || !id || event.defaultPrevented || event.repeat || event.isComposing
      || event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) return;
    if (ownedBy(event.target, event.key) || ownedBy(document.activeElement, event.key)) return;
    const button = document.getElementById(id);
    if (id === "pause") event.preventDefault();     // Space: never a focused button's press
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  }
}
