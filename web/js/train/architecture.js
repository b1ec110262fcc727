// The Train section's "Architecture" menu: a few networks a learner can start from (the
// settings table's "architectures": the book's first MLP and chapter 6's conv nets). Choosing
// one fills Hidden layers and the settings that go with it (activation, output, cost, init,
// η, λ, epochs); the other settings stay. The menu shows "Your own" as soon as the form's
// network is none of them. All text reaches the DOM through textContent.

import { SCHEMA } from "../settings/settings-schema.js";
import { fillSelect } from "../widgets/select-options.js";

const OWN = "";
const ARCHITECTURES = SCHEMA.architectures || [];
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Return the id of the architecture whose settings ``settings`` hold, or "" (your own). */
export function matchingArchitecture(settings) {
  const found = ARCHITECTURES.find((arch) => Object.entries(arch.settings)
    .every(([name, value]) => name === "epochs" || same(settings[name], value)));
  return found ? found.id : OWN;
}

export class ArchitectureMenu {
  /**
   * parts: {select, hint}; setValues(values): fill the training form; readSettings(): the
   * form's {ok, settings}.
   */
  constructor({ select, hint }, { setValues, readSettings }) {
    Object.assign(this, { select, hint, setValues, readSettings });
    fillSelect(this.select, [[OWN, "Your own (the settings below)"],
      ...ARCHITECTURES.map((arch) => [arch.id, arch.label])]);
    this.select.addEventListener("change", () => this.choose(this.select.value));
    this.settingsChanged();
  }

  /** Fill the form with the architecture ``id``'s settings (nothing for "your own"). */
  choose(id) {
    const arch = ARCHITECTURES.find((a) => a.id === id);
    if (arch) {
      const { ok, settings } = this.readSettings();
      this.setValues({ ...(ok ? settings : {}), ...arch.settings });
    }
    this.settingsChanged();
  }

  /** The form changed: show which architecture it holds, and its hint. */
  settingsChanged() {
    const { ok, settings } = this.readSettings();
    const id = ok ? matchingArchitecture(settings) : OWN;
    this.select.value = id;
    const arch = ARCHITECTURES.find((a) => a.id === id);
    this.hint.textContent = arch ? arch.hint
      : "Choose a network to start from, or write your own in Hidden layers (conv layers first, e.g. conv 20 5x5 pool 2, 100).";
  }

  /** A run started or ended: the menu cannot change the form while a run trains. */
  setRunning(running) {
    this.select.disabled = running;
  }
}
