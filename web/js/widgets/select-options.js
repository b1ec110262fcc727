// Fill a <select> with options made from a list: one idea, no app imports.

/** Replace ``select``'s options with one per ``[value, label]`` pair, in order. */
export function fillSelect(select, pairs) {
  select.replaceChildren(...pairs.map(([value, label]) => {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    return option;
  }));
}
