// My digits as files: Export saves the set as my-digits.json; Import reads one or more
// files, one at a time: a file over 8 MB is refused unread, the worker checks the text
// strictly (checkDigits, pycore/my_digits.py), then the digits not already here are
// added with the file's name as their source, or the whole file is refused and nothing
// changes. One report line per file. File names are untrusted: textContent only.

import { saveTextFile } from "../util/download.js";
import { digitsCount, exportText, importReport, planImport, sizeRefusal } from "./digits-file.js";

const FILENAME = "my-digits.json";

function sentence(text) {
  const t = String(text || "the file could not be read").trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

export class MineFiles {
  /**
   * parts: {input: the file <input>, report: the list of report lines}; client: the
   * WorkerClient; records(): the set now; serial(work): runs a change after the others;
   * addRecords(records): stores new records; onChange(): the set changed.
   */
  constructor({ input, report }, { client, records, serial, addRecords, onChange }) {
    Object.assign(this, { input, report, client, records, serial, addRecords, onChange });
    input.addEventListener("change", () => this.load());
  }

  /** Download ``records`` as my-digits.json. */
  save(records) {
    if (!records.length) return;
    saveTextFile(exportText(records), FILENAME);
    this.show([{ text: `Saved ${FILENAME} (${digitsCount(records.length)}).`, ok: true }]);
  }

  /** Show report lines [{text, ok}]. */
  show(lines) {
    this.report.replaceChildren(...lines.map(({ text, ok }) => {
      const item = document.createElement("li");
      item.className = ok ? "is-ok" : "is-refused";
      item.textContent = text;
      return item;
    }));
  }

  async load() {
    const files = Array.from(this.input.files || []);
    this.input.value = "";
    if (!files.length) return;
    this.show([{ text: `Importing ${files.length === 1 ? files[0].name : `${files.length} files`}…`, ok: true }]);
    const lines = [];
    for (const file of files) {
      lines.push(await this.serial(() => this.importFile(file)).catch((error) => ({
        text: `${file.name} was not imported: ${sentence(error && error.message)}`, ok: false })));
    }
    this.show(lines);
  }

  /** Import one file; return its report line. */
  async importFile(file) {
    const name = file.name;
    const refusal = sizeRefusal(name, file.size);
    if (refusal) return { text: refusal, ok: false };
    let checked;
    try {
      checked = await this.client.request("checkDigits", { text: await file.text() });
    } catch (error) {
      return { text: `${name} was not imported: ${sentence(error.message)}`, ok: false };
    }
    if (!checked || !Number.isInteger(checked.count) || !(checked.pixels instanceof Uint8Array)
      || checked.pixels.length !== checked.count * 784 || !Array.isArray(checked.labels)
      || !Array.isArray(checked.heldOut)) {
      return { text: `${name} was not imported: Python's answer about it could not be read.`, ok: false };
    }
    let plan;
    try {
      plan = planImport(this.records(), checked, name);
    } catch (error) {
      return { text: `${name} was not imported: ${error.message}`, ok: false };
    }
    if (plan.add.length) {
      await this.addRecords(plan.add);
      this.onChange();
    }
    return { text: importReport(name, plan.add.length, plan.duplicates), ok: true };
  }
}
