// Which network the drawing pad uses, and model files: the "Drawing pad uses"
// select, Download model and Upload model. The worker's Session holds the
// networks; this keeps the select in step with it. Kept runs ("run-2", labelled
// "Run 2 (η = 0.5, 30 hidden)") are options made from the Session's models reply.

import { saveTextFile } from "../util/download.js";
import { formatBytes } from "../util/format.js";
import { fromBase64, toBase64 } from "../util/link-codec.js";

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

function sentence(text) {
  const t = String(text || "Unknown error").trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

function flash(element, text, ms) {
  element.textContent = text;
  clearTimeout(element.flashTimer);
  element.flashTimer = setTimeout(() => { element.textContent = ""; }, ms);
}

export class ModelPanel {
  /**
   * parts: {select, download, upload, uploadLabel, note} elements; client: the WorkerClient;
   * showMessage/clearMessage: the page's message box; onChange(): the pad's network changed;
   * onSaved(filename): a model file was downloaded.
   */
  constructor(parts, { client, showMessage, clearMessage, onChange, onSaved = () => {} }) {
    Object.assign(this, parts);
    Object.assign(this, { client, showMessage, clearMessage, onChange, onSaved });
    this.ready = false;
    // Counts switches, so that a models() reply sent before the latest switch
    // cannot overwrite the select with a stale answer.
    this.switches = 0;
    this.select.addEventListener("change", () => this.use(this.select.value));
    this.download.addEventListener("click", () => this.save());
    this.upload.addEventListener("change", () => this.load());
  }

  option(name) {
    return this.select.querySelector(`option[value="${name}"]`);
  }

  setReady(ready) {
    this.ready = ready;
    this.download.disabled = !ready;
    this.upload.disabled = !ready;
    this.uploadLabel.classList.toggle("is-disabled", !ready);
    this.select.disabled = !ready;
  }

  /** Read the available networks and the active one from the worker. */
  async sync() {
    const switches = this.switches;
    try {
      const { available, active, runs = [] } = await this.client.request("models");
      this.showRuns(runs);
      for (const option of this.select.options) option.disabled = !available.includes(option.value);
      if (active && switches === this.switches) this.select.value = this.select.dataset.current = active;
      this.showTitle();
    } catch (error) {
      // The select keeps its last known state; predicting still works.
    }
  }

  /** Make one option per kept run, {name, label}, after the static ones. */
  showRuns(runs) {
    for (const option of this.select.querySelectorAll("option[data-run]")) option.remove();
    for (const { name, label } of runs) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = label;
      option.dataset.run = "";
      this.select.append(option);
    }
  }

  /** Put the chosen network's whole label in the select's title (a long one is cut off). */
  showTitle() {
    const option = this.select.selectedOptions[0];
    this.select.title = option ? option.textContent : "";
  }

  /** Return how the select names the network ``name`` (e.g. "Run 2 (η = 0.5, 30 hidden)"), or null. */
  label(name) {
    const option = this.option(name);
    return option && option.dataset.run !== undefined ? option.textContent : null;
  }

  /** Return the pad's network in the link's binary form (bytes). */
  async exportLink() {
    const { data } = await this.client.request("exportLink", { name: this.select.value });
    const bytes = fromBase64(data);
    if (!bytes) throw new Error("The worker sent the network in an unreadable form.");
    return bytes;
  }

  /** Load a network from a link's bytes as "shared" and make it the pad's. */
  async loadLink(bytes) {
    const info = await this.client.request("loadLink", { data: toBase64(bytes) });
    await this.use("shared");
    return info;
  }

  /** Make the named network the pad's. */
  async use(name) {
    this.switches += 1;
    const previous = this.select.dataset.current || "pretrained";
    const option = this.option(name);
    if (option) option.disabled = false;
    this.select.value = name;
    this.showTitle();
    try {
      await this.client.request("useModel", { name });
      this.select.dataset.current = name;
      this.onChange();
    } catch (error) {
      this.select.value = previous;
      this.showTitle();
      this.showMessage(`Could not switch the drawing pad to the ${name} network: ${error.message}`);
    }
  }

  /** Load a model file's text as the network ``name`` and make it the pad's. */
  async loadText(text, name) {
    const info = await this.client.request("loadModel", { name, text, activate: true });
    await this.use(name);
    return info;
  }

  async save() {
    this.clearMessage();
    try {
      const { text, filename } = await this.client.request("exportModel", { name: this.select.value });
      saveTextFile(text, filename || "digit-lab-model.json");
      this.onSaved(filename || "");
      flash(this.note, `Saved ${filename || "the model"}.`, 6000);
    } catch (error) {
      this.showMessage(`Could not download the model: ${error.message}`);
    }
  }

  async load() {
    const file = this.upload.files && this.upload.files[0];
    this.upload.value = "";
    if (!file) return;
    this.clearMessage();
    if (file.size > MAX_UPLOAD_BYTES) {
      this.showMessage(`“${file.name}” is too large (${formatBytes(file.size)}); model files up to ${formatBytes(MAX_UPLOAD_BYTES)} are accepted.`);
      return;
    }
    try {
      const info = await this.loadText(await file.text(), "uploaded");
      const sizes = info && Array.isArray(info.sizes) ? ` (${info.sizes.join("-")})` : "";
      flash(this.note, `Loaded “${file.name}”${sizes}; the drawing pad uses it now.`, 8000);
    } catch (error) {
      // When Python itself is gone, nothing is "unchanged": say what happened instead.
      const gone = ["FatalError", "WorkerGone", "WorkerError", "Restarted"].includes(error.name);
      this.showMessage(gone ? `Could not load “${file.name}”: ${sentence(error.message)}`
        : `Could not load “${file.name}”: ${sentence(error.message)} The current network is unchanged.`);
    }
  }
}
