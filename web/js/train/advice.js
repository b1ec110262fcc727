// What to tell a learner whose run stayed at chance level: pure, no DOM (checked under Node).
/**
 * Return what to try after a run that stayed at chance level with learning rate ``eta``,
 * hidden ``activation`` ("sigmoid", "tanh", "relu"; "a/b" for mixed layers) and ``init``.
 */
export function chanceAdvice(eta, activation, init) {
  if (activation !== "sigmoid" && eta > 0.5) {
    const scaled = init === "scaled" ? "" : "scaled init and ";
    return `${activation === "relu" ? "ReLU" : activation} units need a much smaller η than sigmoid ones: try ${scaled}η = 0.1.`;
  }
  if (eta > 3) return "Try a smaller learning rate η, e.g. 3 or 0.5.";
  return `With η = ${eta} it may just need more training: more samples or epochs, or Continue training.`;
}
