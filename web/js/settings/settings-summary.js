// The training settings as one line, "[784, 30, 10] · 30 epochs · m = 10 · η = 3 · …",
// shown instead of the form's fields while a run goes (the form is locked then, so
// the fields only take room above the run) and in the presenter view. "Edit settings"
// shows the fields again (aria-expanded); the next run, or entering the presenter
// view, folds them back. The run is followed through the form's lock: train-controller
// disables every control while a run goes.

import { summarizeSettings } from "./describe.js";

export class SettingsSummary {
  /**
   * parts: {card, box, text, edit, fields, form}: the Train card (gets data-settings
   * "summary" or "form"), the summary row, its text, the "Edit settings" button, the
   * fields' container and the <form>; result: the form's current parseSettings result.
   */
  constructor(parts, { result }) {
    Object.assign(this, parts);
    this.presenting = false;
    this.expanded = false;
    this.running = this.locked();
    this.edit.addEventListener("click", () => {
      this.expanded = !this.expanded;
      this.render();
    });
    // Train-controller locks the controls for a run and unlocks them after it.
    new MutationObserver(() => this.lockChanged())
      .observe(this.form, { subtree: true, attributes: true, attributeFilter: ["disabled"] });
    this.settingsChanged(result);
  }

  locked() {
    const first = this.fields.querySelector("input, select");
    return Boolean(first && first.disabled);
  }

  lockChanged() {
    const running = this.locked();
    if (running === this.running) return;
    this.running = running;
    if (!running && this.network) {
      this.network = null;
      this.settingsChanged(this.result);
    }
    if (running) this.expanded = false;   // a new run folds the settings away again
    this.render();
  }

  /** Enter (true) or leave the presenter view: the fields fold into the summary there. */
  setPresenting(presenting) {
    if (presenting !== this.presenting) this.expanded = false;
    this.presenting = presenting;
    this.render();
  }

  /** The form changed (parseSettings' {ok, settings}): rewrite the line. */
  settingsChanged(result) {
    this.result = result;
    const settings = result && result.ok && (this.network ? { ...result.settings, ...this.network } : result.settings);
    this.text.textContent = settings ? summarizeSettings(settings)
      : "Some settings need fixing: press Edit settings.";
    this.box.title = this.text.textContent;        // the whole line, where it is cut short
    this.render();
  }

  /** A run trains a network of these ``sizes`` (``hidden``: its hidden layers as the setting
   *  writes them, conv layers too), ``cost`` and hidden layers' ``activation``
   *  (Continue training keeps the network's own; a reply without it is sigmoid): say so
   *  on the line until the run ends. */
  runNetwork({ sizes, hidden, cost, activation, output }) {
    this.network = { hidden: Array.isArray(hidden) ? hidden : sizes.slice(1, -1), cost, act: typeof activation === "string" ? activation : "sigmoid",
      out: typeof output === "string" ? output : "sigmoid" };
    this.settingsChanged(this.result);
  }

  render() {
    const foldable = this.presenting || this.running;
    const folded = foldable && !this.expanded;
    this.box.hidden = !foldable;
    this.fields.hidden = folded;
    this.edit.setAttribute("aria-expanded", String(!folded));
    this.card.dataset.settings = folded ? "summary" : "form";
  }
}
