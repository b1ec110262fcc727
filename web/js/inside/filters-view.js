// The Inside view of a conv network's weights: each conv layer's filters as small k×k
// images on the diverging weight scale (blue negative, white 0, red positive), one legend
// per layer. Conv layer 1 reads the image, so each filter is one image; a later conv layer
// reads C feature maps, so each of its filters is a row of C images, one per map it reads.
// The weights come from the "filters" request (pycore/inside_views.py, conv_filters).

import { ColourLegend, diverging } from "../widgets/colour-scale.js";
import { ImageTiles } from "../widgets/image-tiles.js";
import { latestOnly } from "../util/latest-only.js";

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** Return "Run 2" for "run-2", else "the pretrained network" and the like. */
export function networkName(name) {
  const run = /^run-(\d+)$/.exec(name || "");
  return run ? `Run ${run[1]}` : `the ${name} network`;
}

export class FiltersView {
  /** parts: {note, list (an empty element)}; client: the WorkerClient. */
  constructor(parts, { client }) {
    this.parts = parts;
    this.key = "";
    this.layers = [];
    this.loader = latestOnly(() => client.request("filters", {}), {
      onResult: (result) => this.show(result),
      onError: (error) => { parts.note.textContent = `The filters could not be read: ${error.message}`; },
    });
  }

  /** Ask for the pad's network's filters (the newest request wins). */
  load() {
    this.loader.run();
  }

  /** Show a "filters" reply: {name, layers: [{conv, filters, channels, size, weights, scale, …}]}. */
  show(result) {
    const layers = result.layers || [];
    const key = layers.map((l) => `${l.filters},${l.channels},${l.size}`).join(";");
    if (key !== this.key) this.build(layers, key);
    this.parts.note.textContent = layers.length
      ? `The filters of ${networkName(result.name)}'s ${plural(layers.length, "conv layer")}.`
      : "This network has no conv layers.";
    layers.forEach((layer, l) => this.paint(this.layers[l], layer));
  }

  build(layers, key) {
    this.key = key;
    this.parts.list.replaceChildren();
    this.layers = layers.map((layer) => {
      const { conv, filters, channels, size } = layer;
      const box = document.createElement("div");
      box.className = "filter-layer";
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", `Conv layer ${conv}: ${plural(filters, "filter")}, ${size}×${size}`);
      const title = document.createElement("p");
      title.className = "layer-title";
      const legend = document.createElement("div");
      const rows = [];
      const grid = document.createElement("div");
      grid.className = channels === 1 ? "filter-grid" : "filter-rows";
      if (channels === 1) {
        rows.push(new ImageTiles(grid, { className: "filter-image" }));
      } else {
        for (let f = 0; f < filters; f += 1) {
          const row = document.createElement("div");
          row.className = "filter-row";
          const label = document.createElement("span");
          label.className = "filter-row-name";
          label.textContent = `Filter ${f}`;
          const tiles = document.createElement("div");
          row.append(label, tiles);
          grid.append(row);
          rows.push(new ImageTiles(tiles, { className: "filter-image" }));
        }
      }
      box.append(title, legend, grid);
      this.parts.list.append(box);
      return { title, rows, legend: new ColourLegend(legend, { kind: "diverging",
        describe: (s) => `Blue: negative weights, white: 0, red: positive; from −${s} to +${s} (99% of this layer's weights lie within).` }) };
    });
  }

  /** Paint one conv layer's filters: row f of ``weights`` is filter f, C k×k images. */
  paint(shown, layer) {
    const { conv, filters, channels, size, weights, scale, inShape } = layer;
    const k2 = size * size;
    const colour = (v) => diverging(v, scale);
    const side = `${size}×${size}`;
    shown.title.textContent = channels === 1
      ? `${plural(filters, "filter")}, ${side}, of conv layer ${conv}: each image is the window of weights one feature map slides over the ${inShape[1]}×${inShape[2]} input.`
      : `${plural(filters, "filter")}, ${side}, of conv layer ${conv}, each reading the ${channels} feature maps before it: a row per filter, one ${side} image per map it reads (channel 0 first).`;
    shown.legend.update(scale);
    if (channels === 1) {
      shown.rows[0].show({ count: filters, width: size, height: size, colour,
        values: (f) => weights.subarray(f * k2, (f + 1) * k2),
        name: (f) => `Conv layer ${conv}, filter ${f} (${side})` });
      return;
    }
    shown.rows.forEach((tiles, f) => {
      const row = weights.subarray(f * channels * k2, (f + 1) * channels * k2);
      tiles.show({ count: channels, width: size, height: size, colour,
        values: (c) => row.subarray(c * k2, (c + 1) * k2),
        name: (c) => `Conv layer ${conv}, filter ${f}, channel ${c} (${side})` });
    });
  }
}
