// Which colour scale shows a layer's activations, from the activation the layer applies
// (the prediction reply's "layerActivations", one name per layer after the input; a reply
// without it is an all-sigmoid network). Pure: no DOM.
//   sigmoid: 0 … 1 on the sequential scale (white to dark blue), as ever;
//   tanh:    −1 … +1 on the diverging scale (blue, white at 0, red);
//   ReLU:    0 … the layer's largest activation for this input, sequential (ReLU has no
//            upper limit, so a fixed 0 … 1 would paint most active units the same).

export const ACTIVATION_NAMES = Object.freeze({ sigmoid: "sigmoid", tanh: "tanh", relu: "ReLU" });

/** Return one activation name per layer (``count`` of them) from a prediction reply. */
export function layerActivations(result, count) {
  const given = result && Array.isArray(result.layerActivations) ? result.layerActivations : [];
  return Array.from({ length: count }, (_, l) =>
    (Object.prototype.hasOwnProperty.call(ACTIVATION_NAMES, given[l]) ? given[l] : "sigmoid"));
}

/** Return the largest finite value of ``values`` (array-like), or 0. */
function largest(values) {
  let most = 0;
  for (let i = 0; i < (values ? values.length : 0); i += 1) {
    if (Number.isFinite(values[i]) && values[i] > most) most = values[i];
  }
  return most;
}

/**
 * Return the scale for one layer's ``values`` under ``activation``:
 * {activation, kind: "sequential" | "diverging", low, high, range ("0 to 3.20"),
 *  legend (a sentence saying what the colours mean)}. A value maps to the colour of
 * value / high on the sequential scale, or of value on the diverging scale −high … +high.
 */
export function layerScale(activation, values) {
  if (activation === "tanh") {
    return { activation, kind: "diverging", low: -1, high: 1, range: "−1 to +1",
      legend: "tanh: blue is activation −1, white 0, red +1." };
  }
  if (activation === "relu") {
    const most = largest(values);
    const high = most > 0 ? most : 1;         // all zero: every cell white, the scale 0 … 1
    const shown = most.toFixed(2);
    return { activation, kind: "sequential", low: 0, high, range: `0 to ${shown}`,
      legend: `ReLU has no upper limit: white is activation 0, dark blue this layer's largest for this input, ${shown}.` };
  }
  return { activation: "sigmoid", kind: "sequential", low: 0, high: 1, range: "0 to 1",
    legend: "White: activation 0, dark blue: activation 1." };
}
