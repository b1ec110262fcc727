// The training form: builds a row for each field of the settings table (label, its
// symbol, the control, the hint and the error line), fills the controls from settings,
// validates them as the person types (settings.js), and shows each reason next to its
// control (aria-invalid + aria-describedby). Reports every change to ``onChange``.
// A new setting in pycore/settings.json gets its row here with no HTML to write.

import { FIELDS, FIELD_NAMES, formatField, parseSettings } from "./settings.js";

const SHOW_ERROR_AFTER_MS = 400;
const INPUT_MODES = { int: "numeric", number: "decimal" };

/** Return a new element ``tag`` with ``props`` (properties) and ``attrs`` (attributes). */
function element(tag, props = {}, attrs = {}) {
  const node = Object.assign(document.createElement(tag), props);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

/** Return the form row of ``field``: label (and symbol), control, hint and error line. */
export function fieldRow(field) {
  const id = `field-${field.name}`;
  const row = element("div", { className: field.type === "layers" ? "field field-wide" : "field" });
  const label = element("label", { htmlFor: id, textContent: field.label });
  if (field.symbol) {
    const head = element("div", { className: "label-row" });
    head.append(label, element("span", { className: "symbol", textContent: field.symbol }, { "aria-hidden": "true" }));
    row.append(head);
  } else {
    row.append(label);
  }
  const control = field.type === "choice"
    ? element("select", { id, name: field.name, className: "select" })
    : element("input", { id, name: field.name, type: "text", autocomplete: "off" });
  if (INPUT_MODES[field.type]) control.setAttribute("inputmode", INPUT_MODES[field.type]);
  if (field.type === "layers") control.spellcheck = false;
  control.setAttribute("aria-describedby", `hint-${field.name}`);
  row.append(control, element("p", { id: `hint-${field.name}`, className: "hint" }),
    element("p", { id: `error-${field.name}`, className: "field-error", hidden: true }));
  return row;
}

export class SettingsForm {
  /**
   * form: the <form>, whose element ``.fields`` gets a row per field of the settings
   * table, in its order (each control named by its field, its error element found by id
   * "error-<name>"); the fields marked "more" go under a "More settings" disclosure at
   * its end. onChange(result): result is parseSettings' {ok, settings, errors}.
   */
  constructor(form, { onChange = () => {} } = {}) {
    this.form = form;
    this.onChange = onChange;
    this.timer = null;
    this.controls = {};
    const rows = FIELDS.filter((field) => !field.more).map(fieldRow);
    this.more = element("details", { className: "more-settings", id: "more-settings" });
    const more = element("div", { className: "fields more-fields" });
    more.append(...FIELDS.filter((field) => field.more).map(fieldRow));
    this.more.append(element("summary", { textContent: "More settings" }), more);
    form.querySelector(".fields").replaceChildren(...rows, ...(more.children.length ? [this.more] : []));
    for (const field of FIELDS) {
      const control = form.elements.namedItem(field.name);
      this.controls[field.name] = control;
      this.describe(field, control);
      control.dataset.describedby = control.getAttribute("aria-describedby") || "";
    }
    form.addEventListener("input", () => this.changed(false));
    form.addEventListener("change", () => this.changed(true));
    this.result = this.read();
  }

  /** Fill a control's hint (and a select's options) from its row of the settings table. */
  describe(field, control) {
    const hint = document.getElementById(`hint-${field.name}`);
    if (hint) hint.textContent = field.hint;
    if (field.type === "choice" && control.tagName === "SELECT") {
      control.replaceChildren(...field.options.map(({ value, label }) => {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = label;
        option.selected = value === field.default;
        return option;
      }));
    } else if (control.tagName === "INPUT") {
      control.value = formatField(field.name, field.default);
    }
  }

  /** Lock the controls (during a run) or unlock them. */
  setLocked(locked) {
    for (const control of Object.values(this.controls)) control.disabled = locked;
  }

  /** Return the texts currently in the controls. */
  texts() {
    const texts = {};
    for (const name of FIELD_NAMES) texts[name] = this.controls[name].value;
    return texts;
  }

  /** Return parseSettings' result for the current texts. */
  read() {
    return parseSettings(this.texts());
  }

  /** Fill the controls from (possibly partial) parsed settings; others keep their text.
   *  More settings opens when one of its fields gets a value other than its default. */
  setValues(values) {
    for (const name of FIELD_NAMES) {
      if (values[name] !== undefined) this.controls[name].value = formatField(name, values[name]);
    }
    if (FIELDS.some((field) => field.more && values[field.name] !== undefined
        && formatField(field.name, values[field.name]) !== formatField(field.name, field.default))) {
      this.more.open = true;
    }
    this.changed(true);
  }

  changed(showNow) {
    this.result = this.read();
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (showNow) {
      this.showErrors(this.result.errors);
    } else {
      this.hideFixedErrors(this.result.errors);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.showErrors(this.read().errors);
      }, SHOW_ERROR_AFTER_MS);
    }
    this.onChange(this.result);
  }

  /** Clear errors that are fixed at once; new errors wait for a pause in typing. */
  hideFixedErrors(errors) {
    for (const name of FIELD_NAMES) {
      if (!errors[name]) this.setError(name, null);
    }
  }

  showErrors(errors) {
    for (const name of FIELD_NAMES) this.setError(name, errors[name] || null);
    if (FIELDS.some((field) => field.more && errors[field.name])) this.more.open = true;   // in view
  }

  setError(name, message) {
    const control = this.controls[name];
    const errorId = `error-${name}`;
    const errorElement = document.getElementById(errorId);
    const base = control.dataset.describedby.split(/\s+/).filter(Boolean);
    if (message) {
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", [errorId, ...base].join(" "));
      if (errorElement) {
        errorElement.textContent = message;
        errorElement.hidden = false;
      }
    } else {
      control.removeAttribute("aria-invalid");
      if (base.length) control.setAttribute("aria-describedby", base.join(" "));
      else control.removeAttribute("aria-describedby");
      if (errorElement) {
        errorElement.textContent = "";
        errorElement.hidden = true;
      }
    }
  }
}
