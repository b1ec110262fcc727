// One conv layer's outputs for what the pad shows: its F pooled feature maps, each a small
// PH×PW image on the layer's colour scale (the activations view passes it, as it does to a
// dense layer's ActivationGrid, with the same ``update(values, scale)``). Each image is
// named with its map and its largest value, e.g. "Conv layer 1, feature map 3 (12×12):
// largest 0.93".

import { sequential } from "../widgets/colour-scale.js";
import { ImageTiles } from "../widgets/image-tiles.js";

export class FeatureMaps {
  /** container: an empty element; conv: the conv layer's number (1 for the first); shape: [F, PH, PW]. */
  constructor(container, { conv, shape }) {
    const [maps, height, width] = shape;
    Object.assign(this, { conv, maps, height, width });
    this.colour = sequential;
    container.classList.add("activation-layer", "feature-map-layer");
    container.setAttribute("role", "group");
    container.setAttribute("aria-label", `Conv layer ${conv}: ${maps} feature ${maps === 1 ? "map" : "maps"} of ${height}×${width}`);
    const head = document.createElement("p");
    head.className = "layer-title";
    head.textContent = `Conv layer ${conv} (${maps} feature maps, ${height}×${width})`;
    this.note = document.createElement("p");
    this.note.className = "layer-scale";
    this.note.hidden = true;
    const grid = document.createElement("div");
    this.tiles = new ImageTiles(grid, { className: "feature-map" });
    container.append(head, this.note, grid);
    this.update(null);
  }

  /**
   * Show ``values`` (the layer's F*PH*PW outputs, map by map, row by row) or, given null,
   * blank maps. ``scale``: {colour(value) → [r, g, b], note (or null)}, as ActivationGrid's.
   */
  update(values, scale = null) {
    if (scale) {
      this.colour = scale.colour || sequential;
      this.note.textContent = scale.note || "";
      this.note.hidden = !scale.note;
    }
    const n = this.height * this.width;
    const map = (f) => (values ? values.subarray(f * n, (f + 1) * n) : null);
    const side = `${this.height}×${this.width}`;
    this.tiles.show({
      count: this.maps, width: this.width, height: this.height, colour: this.colour, values: map,
      name: (f) => `Conv layer ${this.conv}, feature map ${f} (${side}): ${values ? `largest ${largest(map(f)).toFixed(2)}` : "–"}`,
    });
  }
}

function largest(values) {
  let most = -Infinity;
  for (let i = 0; i < values.length; i += 1) if (values[i] > most) most = values[i];
  return most;
}
