// Small text formatters shared by the page.

/** Return "45 s", "3 min 5 s" or "1 h 12 min" for a number of seconds. */
export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    const rest = s % 60;
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** Return "1 epoch" or "3 epochs": ``count`` and ``noun``, plural unless the count is 1. */
export function countOf(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Return "512 KB" or "9.9 MB" for a number of bytes. */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Return the book's line for an epoch: "Epoch 0: 9012 / 10000 (3.2 s)". */
export function formatEpochLine({ epoch, correct, total, seconds }) {
  const line = `Epoch ${epoch}: ${correct} / ${total}`;
  return Number.isFinite(seconds) ? `${line} (${seconds.toFixed(1)} s)` : line;
}
