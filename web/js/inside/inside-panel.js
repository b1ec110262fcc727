// The "Inside the network" section: owns when its three views ask for data and hands
// them what happens on the page. The views: the activations of every layer for what
// the pad shows (activations-view.js), the weights into the first hidden layer
// (weights-view.js) or, for a network with conv layers, their filters (filters-view.js),
// the confusion matrix and the mistakes on the 10,000 test images
// (evaluation-view.js). Everything is computed in Python (pycore/inside_views.py);
// arrays arrive as typed arrays. Requests are made only while the section is on screen,
// at most one of each kind in flight; while a run trains, the evaluation is the one of
// its latest epoch (no extra pass over the test set).

import { ActivationsView } from "./activations-view.js";
import { WeightsView } from "./weights-view.js";
import { FiltersView } from "./filters-view.js";
import { EvaluationView } from "./evaluation-view.js";
import { SpeedView } from "./speed-view.js";

const TEST_IMAGES = 10000;
const WEIGHTS_TITLE = { dense: "Weights into the first hidden layer", conv: "Filters of the conv layers" };

const $ = (id) => document.getElementById(id);

export class InsidePanel {
  /**
   * client: the WorkerClient; showTestImage(index): put a test image on the pad's
   * prediction path; activeNetwork(): the pad's network's name ("run-2", …);
   * currentRun(): the name of the network the run on screen trains ("run-2"), or null.
   */
  constructor(section, { client, showTestImage, activeNetwork, currentRun = () => null }) {
    Object.assign(this, { section, client, showTestImage, activeNetwork, currentRun });
    this.ready = false;
    this.visible = false;
    this.training = false;
    this.stale = { weights: true, evaluation: true };

    this.activations = new ActivationsView({
      input: $("inside-input"), layers: $("inside-layers"), note: $("inside-activations-note"),
      legend: $("inside-activation-legend"), showing: $("inside-showing"),
    });
    this.weights = new WeightsView({
      legend: $("inside-weight-legend"), note: $("inside-weights-note"), grid: $("inside-weight-grid"),
      unit: $("inside-unit"),
      pager: { box: $("inside-weight-pager"), range: $("inside-weights-range"),
        previous: $("inside-weights-previous"), next: $("inside-weights-next") },
    }, { client, activation: (unit) => this.activations.firstHidden(unit),
      onKind: (conv) => this.showFilters(conv) });
    this.filters = new FiltersView({ note: $("inside-filters-note"), list: $("inside-filter-layers") }, { client });
    this.weightParts = { dense: $("inside-dense-weights"), conv: $("inside-filters"), title: $("inside-weights-title") };
    this.evaluation = new EvaluationView({
      note: $("inside-evaluation"), dataNote: $("inside-data"),
      matrix: $("inside-confusion"), mistakes: $("inside-mistakes"),
    }, { client, showTestImage: (index) => this.showTestImage(index) });
    this.random = $("random-test-image");
    this.random.addEventListener("click", () => this.showTestImage(Math.floor(Math.random() * TEST_IMAGES)));

    this.speed = new SpeedView({ chart: $("inside-speed"), note: $("inside-speed-note") });
    client.on("progress", (detail) => {
      if (detail.phase !== "train") return;
      this.training = true;
      this.speed.progressed(detail);
    });
    client.on("train-end", () => { this.training = false; });
    client.on("epoch", () => this.epochDone());
    client.on("test-data", (detail) => this.evaluation.downloading(detail));
    new IntersectionObserver((entries) => {
      this.visible = entries.some((entry) => entry.isIntersecting);
      this.refresh();
    }).observe(section);
  }

  setReady(ready) {
    this.ready = ready;
    this.random.disabled = !ready;
    if (ready) this.refresh();
  }

  /** The pad's network changed (chosen, uploaded, sent from the notebook, a run began or ended). */
  networkChanged() {
    this.stale.weights = true;
    this.stale.evaluation = true;
    this.refresh();
  }

  /** Is the pad's network the current run's ("run-N", the run on screen)? */
  onRunNetwork() {
    const run = this.currentRun();
    return run !== null && this.activeNetwork() === run;
  }

  /** A run began: until its first epoch, its network has no evaluation to show (a pass over the
   *  test set now would take a conv network's run seconds of the worker's time). */
  runStarted() {
    this.training = true;
  }

  /** The network being trained learned a little more (called a few times a second at most). */
  learned() {
    this.stale.weights = true;
    this.refresh();
  }

  epochDone() {
    if (!this.onRunNetwork()) return;
    this.stale.evaluation = true;
    this.refresh();
  }

  /** Ask for what is out of date, if the section is on screen. */
  refresh() {
    if (!this.ready || !this.visible) return;
    if (this.stale.weights) {
      this.stale.weights = false;
      this.weights.load();
    }
    if (this.stale.evaluation) {
      this.stale.evaluation = false;
      this.evaluation.load(this.training && this.onRunNetwork());
    }
  }

  /** Show the dense weights' part of the section, or (``conv`` true) the conv filters, asked for now. */
  showFilters(conv) {
    const { dense, conv: filters, title } = this.weightParts;
    dense.hidden = conv;
    filters.hidden = !conv;
    title.textContent = WEIGHTS_TITLE[conv ? "conv" : "dense"];
    if (conv) this.filters.load();
  }

  /** Show the pad's latest answer (predict or predictTest's reply), or nothing (null). */
  showPrediction(result) {
    this.activations.show(result);
    this.weights.showUnit();
  }
}
