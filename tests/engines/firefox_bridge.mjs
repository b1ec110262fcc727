// Firefox for the engine smoke suite: Debian's firefox-esr driven by puppeteer-core over
// WebDriver BiDi (no downloaded browser). firefox_driver.py starts this script and sends
// one JSON command per line on stdin; each gets one JSON line back on stdout
// ({id, ok, value} or {id, ok: false, error}). Uncaught page errors (exceptions and
// unhandled rejections, as Playwright's "pageerror" in the Chromium tests) are kept until
// the "errors" command takes them; console lines go to stderr for pytest's log.
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

let browser = null;
let page = null;
let errors = [];

function watch(p) {
  p.on("pageerror", (e) => errors.push(String(e && e.message ? e.message : e)));
  p.on("console", (m) => process.stderr.write(`[firefox console.${m.type()}] ${m.text()}\n`));
  p.on("dialog", (d) => d.accept().catch(() => {}));   // leaving with an unsaved run asks
}

const commands = {
  async launch({ executablePath, prefs, width, height }) {
    browser = await puppeteer.launch({
      browser: "firefox", executablePath, headless: true, extraPrefsFirefox: prefs,
      defaultViewport: { width, height }, protocolTimeout: 300_000,
      // lets services.settings.server point Firefox's own Remote Settings elsewhere
      env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: "1" },
    });
    page = (await browser.pages())[0] || await browser.newPage();
    watch(page);
    return await browser.version();
  },
  async goto({ url }) { await page.goto(url, { waitUntil: "load", timeout: 120_000 }); },
  async reload() { await page.reload({ waitUntil: "load", timeout: 120_000 }); },
  async evaluate({ script }) { return await page.evaluate(script); },
  async waitFor({ script, timeout_ms }) {
    const handle = await page.waitForFunction(script, { timeout: timeout_ms, polling: 100 });
    return await handle.jsonValue();
  },
  async pointer({ strokes }) {
    for (const stroke of strokes) {
      await page.mouse.move(stroke[0][0], stroke[0][1]);
      await page.mouse.down();
      for (const [x, y] of stroke.slice(1)) await page.mouse.move(x, y);
      await page.mouse.up();
    }
  },
  async click({ x, y }) { await page.mouse.click(x, y); },
  async errors() { const taken = errors; errors = []; return taken; },
  async close() { if (browser) await browser.close(); browser = null; },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const { id, cmd, ...args } = JSON.parse(line);
  let reply;
  try {
    const value = await commands[cmd](args);
    reply = { id, ok: true, value: value === undefined ? null : value };
  } catch (e) {
    reply = { id, ok: false, error: String(e && e.stack ? e.stack : e) };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
  if (cmd === "close") break;
}
if (browser) await browser.close();
