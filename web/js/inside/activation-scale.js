// Which colour scale shows a layer's activations. The prediction reply says, per layer
// after the input, its activation ("layerActivations": "sigmoid", "tanh", "relu", …) and
// the range of its outputs ("layerRanges": [low, high], high null where unbounded); a
// reply without ranges gets them from the names, and one without names is all sigmoid.
// Pure: no DOM.
//   0 … 1 (sigmoid):     the sequential scale, white to dark blue, as ever;
//   low < 0 (tanh):      the diverging scale −h … +h (blue, white at 0, red);
//   0 … unbounded (ReLU): sequential from 0 to the layer's largest activation for this
//                         input (a fixed 0 … 1 would paint most active units alike).

export const ACTIVATION_NAMES = Object.freeze({ sigmoid: "sigmoid", tanh: "tanh", relu: "ReLU" });
const KNOWN_RANGES = Object.freeze({ sigmoid: [0, 1], tanh: [-1, 1], relu: [0, null] });
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,23}$/;

/** Return one activation name per layer (``count`` of them) from a prediction reply. */
export function layerActivations(result, count) {
  const given = result && Array.isArray(result.layerActivations) ? result.layerActivations : [];
  return Array.from({ length: count }, (_, l) =>
    (typeof given[l] === "string" && NAME.test(given[l]) ? given[l] : "sigmoid"));
}

/** Return one [low, high] per layer: the reply's "layerRanges" where usable (high may be
 *  null: unbounded), else the named activation's, else [0, 1]. */
export function layerRanges(result, count) {
  const names = layerActivations(result, count);
  const given = result && Array.isArray(result.layerRanges) ? result.layerRanges : [];
  return names.map((name, l) => {
    const r = given[l];
    const usable = Array.isArray(r) && r.length === 2 && Number.isFinite(r[0])
      && (r[1] === null || (Number.isFinite(r[1]) && r[1] > r[0]));
    if (usable) return [r[0], r[1]];
    return (Object.prototype.hasOwnProperty.call(KNOWN_RANGES, name) ? KNOWN_RANGES[name] : [0, 1]).slice();
  });
}

/** Return the largest finite |value| of ``values`` (array-like), or 0. */
function largest(values) {
  let most = 0;
  for (let i = 0; i < (values ? values.length : 0); i += 1) {
    if (Number.isFinite(values[i]) && Math.abs(values[i]) > most) most = Math.abs(values[i]);
  }
  return most;
}

const short = (x) => String(+x.toFixed(2));

/**
 * Return the scale for one layer's ``values`` under ``activation`` whose outputs lie in
 * ``range`` ([low, high], high null: unbounded; by default the named activation's):
 * {activation, kind: "sequential" | "diverging", low, high, plain (the 0 … 1 scale),
 *  range ("0 to 3.20"), legend (a sentence saying what the colours mean)}. A value maps
 * to the colour of value / high on the sequential scale, or of value on the diverging
 * scale −high … +high.
 */
export function layerScale(activation, values, range = null) {
  const [low, top] = range || layerRanges({ layerActivations: [activation] }, 1)[0];
  const name = Object.prototype.hasOwnProperty.call(ACTIVATION_NAMES, activation) ? ACTIVATION_NAMES[activation] : activation;
  const Name = name.charAt(0).toUpperCase() + name.slice(1);
  if (low < 0) {
    const most = top === null ? largest(values) : Math.max(-low, top);
    const high = most > 0 ? most : 1;
    const h = short(high);
    return { activation, kind: "diverging", low: -high, high, plain: false, range: `−${h} to +${h}`,
      legend: `${name}: blue is activation −${h}, white 0, red +${h}.` };
  }
  if (top === null) {
    const most = largest(values);
    if (!(most > 0)) {
      return { activation, kind: "sequential", low: 0, high: 1, plain: false, range: "all 0",
        legend: `${name}: every unit of this layer is 0 (white) for this input.` };
    }
    const shown = most.toFixed(2);
    return { activation, kind: "sequential", low: 0, high: most > 0 ? most : 1, plain: false, range: `0 to ${shown}`,
      legend: `${name} has no upper limit: white is activation 0, dark blue this layer's largest for this input, ${shown}.` };
  }
  if (top === 1) {
    return { activation, kind: "sequential", low: 0, high: 1, plain: true, range: "0 to 1",
      legend: "White: activation 0, dark blue: activation 1." };
  }
  return { activation, kind: "sequential", low: 0, high: top, plain: false, range: `0 to ${short(top)}`,
    legend: `${Name}: white is activation 0, dark blue ${short(top)}.` };
}
