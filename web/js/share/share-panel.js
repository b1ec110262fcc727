// The link: settings <-> the URL hash, "Copy link" (optionally with the pad's
// network, autorun and the presenter view), and the notice that lists what a link held that was
// ignored. Untrusted link text reaches the page only through textContent.

import { PRESENT, readHash, replaceHash, shareUrl } from "./url-state.js";
import { copyText } from "../util/clipboard.js";
import { decodeNetwork, encodeNetwork, readNetworkParam, withNetworkParam } from "./network-link.js";

export const MAX_NOTICES = 5;
const SETTINGS_IGNORED = "Some settings in the link were ignored; the form shows the values used instead.";
const PART_IGNORED = "Part of the link could not be used; the rest of the page works as usual.";

function sentence(text) {
  const t = String(text || "Unknown error").trim();
  return /[.!?…]$/.test(t) ? t : `${t}.`;
}

function listItem(text) {
  const item = document.createElement("li");
  item.textContent = text;
  return item;
}

function flash(element, text, ms = 4000) {
  element.textContent = text;
  clearTimeout(element.flashTimer);
  element.flashTimer = setTimeout(() => { element.textContent = ""; }, ms);
}

export class SharePanel {
  /**
   * parts: {copyLink, copyResult, linkNetwork, linkAutorun, linkView, linkNote, notice,
   * noticeTitle, noticeList, noticeClose} elements; readSettings(): the form's {ok, settings}; setValues(values): fill
   * the form; exportNetwork(): resolve with the pad's network as bytes (pycore network_link);
   * loadNetwork(bytes): load such bytes as the pad's "Shared" network (rejects with a sentence);
   * padNetwork(): the pad's network's name; networkLabel(name): how to call it;
   * onNetworkLoaded(): a network from a link pasted into the open page was loaded.
   */
  constructor(parts, { readSettings, setValues, exportNetwork, loadNetwork, padNetwork, networkLabel,
    onNetworkLoaded = () => {} }) {
    Object.assign(this, parts, { readSettings, setValues, exportNetwork, loadNetwork, padNetwork, networkLabel,
      onNetworkLoaded });
    this.writing = false;
    this.networkReady = false;    // Python can load a link's network (applyNetwork was called)
    this.noticeClose.addEventListener("click", () => { this.notice.hidden = true; });
    this.copyLink.addEventListener("click", () => this.copy());
    // the note gives the size of the last link copied: it no longer holds once an option changes
    for (const box of [this.linkNetwork, this.linkAutorun, this.linkView]) {
      box.addEventListener("change", () => this.note(""));
    }
    // a link pasted into the open page changes only the hash: its network is loaded too
    window.addEventListener("hashchange", () => {
      this.apply();
      if (this.networkReady) this.applyNetwork().then((loaded) => loaded && this.onNetworkLoaded());
    });
  }

  /** Read the link into the form; return whether it asked to start training (and may). */
  apply() {
    const { values, autorun, notices } = readHash(window.location.hash);
    // Kept until Python is ready: the address bar's hash follows the form from now on.
    this.networkValue = readNetworkParam(window.location.hash);
    this.writing = true;
    this.setValues(values);
    this.writing = false;
    const shown = [...notices];
    if (autorun && notices.length) {
      shown.unshift("The link asked to start training, but some of its settings were ignored, "
        + "so it did not start: check the settings, then press Train.");
    }
    this.showNotices(shown);
    const { ok, settings } = this.readSettings();
    // Drop what was ignored from the address bar, so a copied address shares only what holds.
    if (notices.length && ok) replaceHash(settings);
    return autorun && notices.length === 0;
  }

  /** Load the network the link held ("net=") as the pad's; a bad one is described in the
   *  notice. Resolve with whether a network was loaded. */
  async applyNetwork() {
    this.networkReady = true;
    const value = this.networkValue;
    this.networkValue = null;
    if (value === null || value === undefined) return false;
    const decoded = await decodeNetwork(value);
    let problem = decoded.ok ? null : decoded.message;
    if (decoded.ok) {
      try {
        await this.loadNetwork(decoded.bytes);
        // true for as long as the page is open, even once a run takes the pad (autorun)
        this.note("The network from the link is loaded: it is \"Shared\" in the drawing pad's menu.");
      } catch (error) {
        const why = sentence(error.message);
        // Python's sentence may name the link itself ("The network in the link names …")
        problem = `${/^The network in the link/.test(why) ? why : `The network in the link could not be loaded: ${why}`} The drawing pad uses the pretrained network.`;
      }
    }
    if (problem) this.addNotice(problem);
    return !problem;
  }

  /** Add ``text`` to the link notice: a part of the link other than its settings (its
   *  network, its notebook) could not be used. */
  addNotice(text) {
    this.noticeList.append(listItem(text));
    if (this.notice.hidden) {
      this.noticeTitle.textContent = PART_IGNORED;
      this.notice.hidden = false;
    }
  }

  /** Show ``text`` under Copy link; a note about network ``about`` goes when the pad changes. */
  note(text, about = null) {
    this.linkNote.textContent = text;
    this.noteAbout = about;
  }

  /** The pad's network is now ``name``: a note about another network no longer holds. */
  padChanged(name) {
    if (this.noteAbout && this.noteAbout !== name) this.note("");
  }

  showNotices(notices) {
    const items = notices.slice(0, MAX_NOTICES);
    if (notices.length > MAX_NOTICES) items.push(`… and ${notices.length - MAX_NOTICES} more.`);
    this.noticeList.replaceChildren(...items.map(listItem));
    this.noticeTitle.textContent = SETTINGS_IGNORED;
    this.notice.hidden = notices.length === 0;
  }

  /** The form changed: keep the address bar's hash in step (not while reading a link). */
  settingsChanged(result) {
    if (result.ok && !this.writing) replaceHash(result.settings);
  }

  /** Return the page's link with the form's settings (the current address if they are invalid). */
  link() {
    const { ok, settings } = this.readSettings();
    return ok ? shareUrl(window.location.href, settings) : window.location.href;
  }

  async copy() {
    const { ok, settings } = this.readSettings();
    if (!ok) {
      flash(this.copyResult, "Fix the highlighted settings first.");
      return;
    }
    let url = shareUrl(window.location.href, settings,
      { autorun: this.linkAutorun.checked, view: this.linkView.checked ? PRESENT : null });
    if (this.linkNetwork.checked) {
      let encoded;
      try {
        encoded = await encodeNetwork(await this.exportNetwork());
      } catch (error) {
        encoded = { ok: false, message: `Could not put the network in the link: ${sentence(error.message)}` };
      }
      if (!encoded.ok) {
        this.note(encoded.message, this.padNetwork());
        flash(this.copyResult, "Nothing was copied.");
        return;
      }
      url = withNetworkParam(url, encoded.value);
    }
    const size = `The link is ${(url.length / 1024).toFixed(1)} KB (${url.length.toLocaleString("en")} characters)`;
    const fresh = this.linkAutorun.checked
      ? " Opening it starts a new run with these settings, which the pad then follows; the network from the link stays in the pad's menu as \"Shared\"." : "";
    if (this.linkNetwork.checked) this.note(`${size}, with ${this.networkLabel(this.padNetwork())}.${fresh}`, this.padNetwork());
    else this.note(`${size}.`);
    const copied = await copyText(url);
    if (!copied) {
      try {
        history.replaceState(history.state, "", `#${url.split("#")[1]}`);
      } catch (error) {
        replaceHash(settings);
      }
    }
    flash(this.copyResult, copied ? "Link copied" : "Could not copy; the link is in the address bar.");
  }
}
