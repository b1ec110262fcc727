// Runs web/js/inside/activation-scale.js (and activations-view.js's colourFor with the
// widgets' colour scales) under Node and prints the results as JSON;
// tests/test_activation_scale_js.py checks them.
import { layerActivations, layerRanges, layerScale } from "./inside/activation-scale.js";
import { colourFor } from "./inside/activations-view.js";

const relu = new Float32Array([0, 0.5, 3.2, 1.6]);
const scales = {
  sigmoid: layerScale("sigmoid", new Float32Array([0.2, 0.9])),
  tanh: layerScale("tanh", new Float32Array([-0.7, 0.4])),
  relu: layerScale("relu", relu),
  reluZero: layerScale("relu", new Float32Array([0, 0, 0])),
  reluNaN: layerScale("relu", [NaN, 2, Infinity]),
  unboundedByRange: layerScale("softplus", new Float32Array([0.5, 4]), [0, null]),
  boundedByRange: layerScale("hardsig", new Float32Array([0.5]), [0, 2]),
  symmetricByRange: layerScale("odd", new Float32Array([0.5]), [-2, 1]),
};
const colours = (scale, values) => values.map((v) => colourFor(scale)(v));
console.log(JSON.stringify({
  activations: {
    missing: layerActivations({ layers: [30, 10] }, 2),
    given: layerActivations({ layerActivations: ["relu", "sigmoid"] }, 2),
    tanh: layerActivations({ layerActivations: ["tanh", "tanh", "sigmoid"] }, 3),
    short: layerActivations({ layerActivations: ["relu"] }, 2),
    unknown: layerActivations({ layerActivations: ["softplus", "__proto__"] }, 2),
    notList: layerActivations({ layerActivations: "relu" }, 2),
    none: layerActivations(null, 1),
  },
  ranges: {
    byName: layerRanges({ layerActivations: ["relu", "tanh", "sigmoid"] }, 3),
    none: layerRanges({}, 2),
    given: layerRanges({ layerActivations: ["softplus", "sigmoid"], layerRanges: [[0, null], [0, 1]] }, 2),
    bad: layerRanges({ layerActivations: ["relu", "tanh"], layerRanges: [[0, "x"], [1, -1]] }, 2),
  },
  scales,
  colours: {
    sigmoid: colours(scales.sigmoid, [0, 0.5, 1]),
    tanh: colours(scales.tanh, [-1, 0, 1]),
    relu: colours(scales.relu, [0, 1.6, 3.2]),
    reluZero: colours(scales.reluZero, [0]),
  },
}));
