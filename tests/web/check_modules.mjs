// Runs web/js/settings/settings.js and web/js/share/url-state.js under Node and prints what
// they return for a set of inputs as JSON; tests/test_web_modules.py checks it.
import * as settings from "./settings/settings.js";
import * as urlState from "./share/url-state.js";
import * as describe from "./settings/describe.js";
import { chanceAdvice, scheduleLine } from "./train/advice.js";
import { readFileSync } from "node:fs";

const { cases } = JSON.parse(readFileSync("./settings_cases.json", "utf8"));

const fields = [
  ["hidden", "30"], ["hidden", "100, 30"], ["hidden", "100 30"], ["hidden", "1,2,3,4,5"],
  ["hidden", "2000"], ["hidden", "30, abc"], ["hidden", ""], ["hidden", "0"],
  ["epochs", "1"], ["epochs", "100"], ["epochs", "101"], ["epochs", "2.5"], ["epochs", " 7 "],
  ["batch", "0"], ["batch", "1000"], ["eta", "0"], ["eta", "1e-3"], ["eta", "100"], ["eta", "100.5"],
  ["eta", "-1"], ["eta", "abc"], ["samples", "99"], ["samples", "50000"], ["lmbda", "0"], ["lmbda", "1000.1"],
  ["cost", "cross-entropy"], ["cost", "hinge"], ["init", "scaled"], ["seed", "0"], ["seed", "2147483647"],
  ["seed", "2147483648"], ["seed", "-1"],
];

const result = {
  fields: fields.map(([name, text]) => [name, text, settings.parseField(name, text)]),
  defaults: settings.parseSettings(settings.formatSettings()),
  batchOverSamples: settings.parseSettings({ ...settings.formatSettings(), batch: "500", samples: "200" }),
  hugeStep: settings.parseSettings({ ...settings.formatSettings(), hidden: "1024, 1024, 1024, 1024", batch: "13" }),
  bigButFine: settings.parseSettings({ ...settings.formatSettings(), hidden: "1024, 1024, 1024, 1024", batch: "12" }),
  decayNegative: settings.parseSettings({ ...settings.formatSettings(), eta: "3", lmbda: "100", samples: "300" }),
  decayFine: settings.parseSettings({ ...settings.formatSettings(), eta: "3", lmbda: "5", samples: "300" }),
  params: settings.parameterCount([1024, 1024, 1024, 1024]),
  label: describe.describeRun({ ...settings.DEFAULTS, eta: 0.5, hidden: [100, 30], cost: "cross-entropy" }),
  words: {
    summary: describe.summarizeSettings(settings.DEFAULTS),
    summaryRelu: describe.summarizeSettings({ ...settings.DEFAULTS, act: "relu", epochs: 1, samples: 1000 }),
    summaryTanh: describe.summarizeSettings({ ...settings.DEFAULTS, act: "tanh", init: "scaled" }),
    label: describe.describeRun(settings.DEFAULTS),
    labelRelu: describe.describeRun({ ...settings.DEFAULTS, eta: 0.1, hidden: [100], act: "relu", init: "scaled",
                                      cost: "cross-entropy", lmbda: 5, batch: 20, samples: 1000, seed: 2 }),
    full: describe.describeRunFully(settings.DEFAULTS),
    fullTanh: describe.describeRunFully({ ...settings.DEFAULTS, act: "tanh", epochs: 1, hidden: [100, 30] }),
  },
  hash: urlState.writeHash({ ...settings.DEFAULTS, hidden: [100, 30] }),
  hashRelu: urlState.writeHash({ ...settings.DEFAULTS, act: "relu" }),
  readRelu: urlState.readHash("#act=relu&eta=0.1"),
  readBadAct: urlState.readHash("#act=softplus"),
  schedule: [
    { action: "halve", epoch: 12, eta: 0.25, eta0: 0.5, best: 2, accuracy: 0.9712, patience: 10 },
    { action: "stop", epoch: 40, eta: 0.5 / 128, eta0: 0.5, best: 30, accuracy: 0.98, patience: 10 },
    { action: "stop", epoch: 5, eta: 0.5, eta0: 0.5, best: 4, accuracy: 0.9, patience: 1 },
    { action: "best", epoch: 5, eta: 0.5, eta0: 0.5, best: 4, accuracy: 0.9, patience: 1 },
  ].map(scheduleLine),
  advice: [[3, "relu", "large"], [3, "tanh", "scaled"], [0.1, "relu", "scaled"], [30, "sigmoid", "large"],
    [3, "sigmoid", "large"]].map((args) => chanceAdvice(...args)),
  pairs: ["quadratic", "cross-entropy", "log-likelihood"].flatMap((cost) =>
    ["sigmoid", "softmax"].map((out) => [cost, out, settings.pairError(cost, out)])),
  summarySoftmax: describe.summarizeSettings({ ...settings.DEFAULTS, out: "softmax", cost: "log-likelihood" }),
  hashes: [
    "", "#", "#hidden=40,20&epochs=2&batch=20&eta=0.5&samples=2000&cost=cross-entropy&lmbda=1.5&init=scaled&seed=5",
    "#epochs=abc&hidden=-3&eta=&batch=1e9&foo=bar&cost=<img src=x onerror=alert(1)>",
    "#eta=%E0%A4%A&autorun=1", "#autorun=maybe&&=&seed=7",
    "#seed=3&view=present", "#view=Present&seed=4", "#view=slides", "#view",
  ].map((hash) => [hash, urlState.readHash(hash)]),
  nonString: urlState.readHash(undefined),
  cases: cases.map(([texts]) => settings.parseSettings({ ...settings.formatSettings(), ...texts })),
  share: urlState.shareUrl("http://127.0.0.1/digit-lab/#old", settings.DEFAULTS),
  sharePresent: urlState.shareUrl("http://127.0.0.1/digit-lab/", settings.DEFAULTS, { view: "present" }),
  shareOddView: urlState.shareUrl("http://127.0.0.1/digit-lab/", settings.DEFAULTS, { view: "slides" }),
  withView: [["#seed=3", "present"], ["#seed=3&view=present&net=x", null], ["#view=odd&view", "present"], ["", null]]
    .map(([hash, view]) => urlState.withView(hash, view)),
};
process.stdout.write(JSON.stringify(result));
