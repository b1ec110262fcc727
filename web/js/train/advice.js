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

const percent = (accuracy) => `${(100 * accuracy).toFixed(2)}%`;

/**
 * Return the log line for a schedule event of a run (pycore/trainer.py): {action: "halve" |
 * "stop" | "best", epoch, eta, eta0, best, accuracy, patience}.
 */
export function scheduleLine({ action, epoch, eta, eta0, best, accuracy, patience }) {
  const plateau = `no better validation accuracy for ${patience} ${patience === 1 ? "epoch" : "epochs"} `
    + `(best ${percent(accuracy)}, epoch ${best})`;
  if (action === "halve") return `Epoch ${epoch}: ${plateau}: η halved to ${+eta.toPrecision(6)}.`;
  if (action === "stop") {
    return eta * 128 <= eta0 * (1 + 1e-9) && eta < eta0
      ? `Epoch ${epoch}: ${plateau}, and η is down to η₀/128 = ${+eta.toPrecision(6)}: training stops.`
      : `Epoch ${epoch}: ${plateau}: training stops.`;
  }
  return `The network kept is the one from epoch ${best}, the best on the 10,000 validation images (${percent(accuracy)}).`;
}
