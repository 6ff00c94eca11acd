// The merge-by-merge stepper of helpers/stepper.py: one dependency-free ES
// module. anywidget runs its default export live in JupyterLab and Notebook 7;
// a static page (nbconvert, the course's site) runs `boot`, which the
// output's text/html calls with the same data, with no kernel and no network.
// Everything it shows comes from Python (helpers/stepper.py reads SciPy's Z):
// this file only draws it and words it; it clusters nothing.

const SVG = "http://www.w3.org/2000/svg";
const CSS = `
.course-stepper { font: 14px/1.4 system-ui, sans-serif; color: #111; background: #fff; max-width: 820px; }
.course-stepper .cs-figs { display: flex; flex-wrap: wrap; gap: 8px; }
.course-stepper svg { border: 1px solid #ccc; height: auto; }
.course-stepper .cs-scatter { width: 270px; max-width: 100%; }
.course-stepper .cs-tree { width: 520px; max-width: 100%; }
.course-stepper .cs-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 8px 0 4px; }
.course-stepper button { font: inherit; padding: 2px 10px; border: 1px solid #333; border-radius: 3px; background: #f4f4f4; color: #111; cursor: pointer; }
.course-stepper button[aria-disabled=true] { color: #555; border-style: dashed; cursor: default; }
.course-stepper button:focus-visible, .course-stepper input:focus-visible, .course-stepper .cs-table:focus-visible { outline: 2px solid #0d47a1; outline-offset: 2px; }
.course-stepper input[type=range] { width: 200px; vertical-align: middle; }
.course-stepper .cs-status { font-weight: bold; margin: 4px 0; min-height: 2.8em; }
.course-stepper .cs-legend, .course-stepper .cs-explain { margin: 4px 0; }
.course-stepper .cs-table { position: relative; max-height: 15em; overflow: auto; border: 1px solid #ccc; width: fit-content; max-width: 100%; }
.course-stepper table { border-collapse: collapse; font: 13px/1.3 ui-monospace, monospace; }
.course-stepper caption { text-align: left; font: 13px system-ui, sans-serif; padding: 2px 6px; }
.course-stepper th, .course-stepper td { padding: 1px 8px; text-align: right; border-bottom: 1px solid #e4e4e4; }
.course-stepper th { position: sticky; top: 0; background: #eee; }
.course-stepper tr.cs-future td { color: #595959; font-style: italic; }
.course-stepper tr.cs-now td { background: #fff0b3; font-weight: bold; }
`;

function html(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// A mark of a sample: a circle, a triangle (the merge's first cluster) or a square (its second).
function mark(shape, x, y, size, attrs) {
  if (shape === "triangle") {
    const s = size * 1.25;
    return svg("path", { d: `M${x} ${y - s}L${x + s} ${y + s * 0.8}L${x - s} ${y + s * 0.8}Z`, ...attrs });
  }
  if (shape === "square") {
    return svg("rect", { x: x - size, y: y - size, width: 2 * size, height: 2 * size, ...attrs });
  }
  return svg("circle", { cx: x, cy: y, r: size, ...attrs });
}

// The samples in cluster `index`, read from Z's rows (an index below n is a sample).
function members(tree, index) {
  const found = [], todo = [index];
  while (todo.length) {
    const i = todo.pop();
    if (i < tree.n) found.push(i);
    else todo.push(tree.rows[i - tree.n][0], tree.rows[i - tree.n][1]);
  }
  return found;
}

function named(tree, i) {
  return i < tree.n ? `sample ${i}` : `cluster ${i} (formed in row ${i - tree.n})`;
}

// The sentence read out at step s (s merges done); helpers/stepper.py words it the same.
export function sentence(tree, s) {
  const last = tree.n - 1;
  if (s === 0) return `Step 0 of ${last}: no merge yet; ${tree.n} clusters, one per sample.`;
  const r = s - 1, [a, b, height, size] = tree.rows[r], left = tree.n - s;
  let text = `Step ${s} of ${last}: row ${r} of Z merges ${named(tree, a)} and ${named(tree, b)} ` +
    `at height ${height} into cluster ${tree.n + r}, of ${size} samples; ` +
    `${left} cluster${left === 1 ? " remains" : "s remain"}.`;
  if (tree.drops.includes(r)) {
    text += ` It is lower than the merge before it (${tree.rows[r - 1][2]}): an inversion.`;
  }
  return text;
}

function explain(tree, s) {
  if (s === 0) {
    return `Each sample starts as a cluster of its own, numbered 0 to ${tree.n - 1}; ` +
      `the merge in row i of Z forms cluster n + i (n = ${tree.n}).`;
  }
  const r = s - 1, [a, b, height, size] = tree.rows[r];
  const part = (i) => i < tree.n ? `${i} < n = ${tree.n}: sample ${i}.`
    : `${i} \u2265 n = ${tree.n}: the cluster formed in row ${i} \u2212 ${tree.n} = ${i - tree.n}.`;
  return `Z[${r}] = [${a}, ${b}, ${height}, ${size}]. \u25B2 ${part(a)} \u25A0 ${part(b)} ` +
    `The new cluster is n + ${r} = ${tree.n + r}.`;
}

function render({ model, el }) {
  const tree = model.get("tree"), n = tree.n, last = n - 1;
  const [colourA, colourB, grey] = tree.colours;
  const reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const pace = reduced ? 3000 : 1200;
  if (!document.getElementById("course-stepper-css")) {
    document.head.appendChild(html("style", { id: "course-stepper-css" }, CSS));
  }
  const root = html("div", {
    class: "course-stepper", role: "group", "data-lm-suppress-shortcuts": "true", "data-pace": pace,
    "aria-label": `Merge-by-merge stepper of Z: ${n} samples, ${tree.method} linkage`,
  });

  // The scatter plot (270 by 270) and the tree (520 by 270), drawn afresh at each step.
  const scatter = svg("svg", { class: "cs-scatter", viewBox: "0 0 270 270", role: "img" });
  const plot = svg("svg", { class: "cs-tree", viewBox: "0 0 520 270", role: "img" });
  const figs = html("div", { class: "cs-figs" });
  figs.append(scatter, plot);

  const controls = html("div", { class: "cs-controls", role: "group", "aria-label": "Step controls" });
  const button = (label, go) => {
    const b = html("button", { type: "button" }, label);
    b.addEventListener("click", () => { if (b.getAttribute("aria-disabled") !== "true") go(); });
    controls.append(b);
    return b;
  };
  const first = button("\u00AB First", () => show(0));
  const back = button("\u2039 Back", () => show(step() - 1));
  const play = button("Play", () => (timer ? stop() : start()));
  const next = button("Next \u203A", () => show(step() + 1));
  const end = button("Last \u00BB", () => show(last));
  const label = html("label", {}, "Step ");
  const slider = html("input", { type: "range", min: 0, max: last, step: 1, value: 0, "aria-label": "Step" });
  label.append(slider);
  const count = html("span", { "aria-hidden": "true" });
  controls.append(label, count);
  slider.addEventListener("input", () => show(Number(slider.value)));

  const status = html("p", { class: "cs-status", role: "status", "aria-live": "polite", "aria-atomic": "true" });
  const legend = html("p", { class: "cs-legend" },
    "\u25B2 the merge's first cluster, Z[i, 0]; \u25A0 its second, Z[i, 1]; " +
    "\u25CF a sample already in a cluster; \u25CB a sample still alone. " +
    (reduced ? "Play moves one step every 3 seconds (your system asks for reduced motion)."
      : "Play moves one step a second or so; Pause stops it."));
  const explanation = html("p", { class: "cs-explain" });

  const box = html("div", { class: "cs-table", tabindex: "0", role: "region",
    "aria-label": "Z, one row per merge (scrolls)" });
  const table = html("table");
  table.append(html("caption", {}, `Z: row i merges two clusters into cluster n + i (n = ${n})`));
  const head = html("tr");
  for (const title of ["row", "Z[i, 0]", "Z[i, 1]", "height Z[i, 2]", "size Z[i, 3]"]) {
    head.append(html("th", { scope: "col" }, title));
  }
  const thead = html("thead");
  thead.append(head);
  table.append(thead);
  const body = html("tbody");
  const cells = tree.rows.map((row, r) => {
    const tr = html("tr");
    const values = [r, ...row].map((v) => html("td", {}, String(v)));
    tr.append(...values);
    body.append(tr);
    return { tr, values };
  });
  table.append(body);
  box.append(table);
  root.append(figs, controls, status, legend, explanation, box);
  el.append(root);

  // The keys that move go to the stepper, not to the notebook around it
  // (JupyterLab and Notebook 7 bind them to moving between cells).
  const MOVES = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End",
    "PageUp", "PageDown", "Enter", " "]);
  root.addEventListener("focusin", (event) => event.target.setAttribute("data-lm-suppress-shortcuts", "true"));
  root.addEventListener("keydown", (event) => {
    if (!MOVES.has(event.key)) return;
    event.stopPropagation();
    if (event.target.tagName !== "BUTTON") return;
    const go = { ArrowRight: step() + 1, ArrowLeft: step() - 1, Home: 0, End: last }[event.key];
    if (go !== undefined) { event.preventDefault(); show(go); }
  });

  let timer = null;
  function start() {
    if (step() === last) show(0);
    play.textContent = "Pause";
    timer = setInterval(() => (step() < last ? show(step() + 1) : stop()), pace);
  }
  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "Play";
  }
  const step = () => model.get("step");
  function show(s) {
    s = Math.max(0, Math.min(last, Math.round(s)));
    if (s === step()) return;
    model.set("step", s);
    model.save_changes();
  }

  function drawScatter(s, inA, inB, joined) {
    scatter.replaceChildren();
    const at = (p) => [15 + p[0] * 240, 255 - p[1] * 240];
    const label = (i, x, y) => scatter.append(svg("text", { x: x + 6, y: y - 5, "font-size": 10, fill: "#222" }, i));
    tree.points.forEach((p, i) => {
      if (inA.has(i) || inB.has(i)) return;
      const [x, y] = at(p);
      const alone = !(joined[i] < s);
      scatter.append(mark("circle", x, y, 3.5, alone ? { fill: "#fff", stroke: grey, "stroke-width": 1.5 }
        : { fill: "#444", stroke: "#000", "stroke-width": 0.5 }));
      if (n <= 20) label(i, x, y);
    });
    if (s > 0) {
      const centre = (set) => [...set].map((i) => at(tree.points[i]))
        .reduce((c, p) => [c[0] + p[0] / set.size, c[1] + p[1] / set.size], [0, 0]);
      const [ca, cb] = [centre(inA), centre(inB)];
      scatter.append(svg("line", { x1: ca[0], y1: ca[1], x2: cb[0], y2: cb[1], stroke: "#000",
        "stroke-dasharray": "4 3" }));
      for (const [set, shape, colour] of [[inA, "triangle", colourA], [inB, "square", colourB]]) {
        for (const i of set) {
          const [x, y] = at(tree.points[i]);
          scatter.append(mark(shape, x, y, 4.5, { fill: colour, stroke: "#000", "stroke-width": 1 }));
          label(i, x, y);
        }
      }
    }
    scatter.setAttribute("aria-label", s === 0 ? `Scatter plot of the ${n} samples, each alone.`
      : `Scatter plot of the ${n} samples: triangles mark the ${inA.size} of the merge's first cluster, ` +
        `squares the ${inB.size} of its second, joined by a dashed line.`);
  }

  function drawTree(s, inA, inB) {
    plot.replaceChildren();
    const left = 52, width = 456, top = 22, height = 198;
    const X = (x) => left + x * width, Y = (y) => top + (1 - y) * height;
    plot.append(svg("line", { x1: left, y1: top, x2: left, y2: top + height, stroke: "#000" }));
    for (const [y, text] of tree.ticks) {
      plot.append(svg("line", { x1: left - 4, y1: Y(y), x2: left, y2: Y(y), stroke: "#000" }));
      plot.append(svg("text", { x: left - 6, y: Y(y) + 4, "font-size": 10, "text-anchor": "end" }, text));
    }
    plot.append(svg("text", { x: 12, y: top + height / 2, "font-size": 11, "text-anchor": "middle",
      transform: `rotate(-90 12 ${top + height / 2})` }, "height"));
    tree.leaves.forEach((i, k) => {
      const x = X((k + 0.5) / n), y = top + height + 12;
      const shape = inA.has(i) ? "triangle" : inB.has(i) ? "square" : null;
      if (shape) {
        plot.append(mark(shape, x, y, 4, { fill: shape === "triangle" ? colourA : colourB, stroke: "#000" }));
      }
      plot.append(n > 20
        ? svg("text", { x: x + 3, y: y + 8, "font-size": 9, "text-anchor": "end", transform: `rotate(-90 ${x + 3} ${y + 8})` }, i)
        : svg("text", { x, y: y + 20, "font-size": 10, "text-anchor": "middle" }, i));
    });
    for (let r = 0; r < s; r++) {
      const [xa, xb, ya, yb, y] = tree.links[r], now = r === s - 1;
      plot.append(svg("path", { d: `M${X(xa)} ${Y(ya)}V${Y(y)}H${X(xb)}V${Y(yb)}`, fill: "none",
        stroke: now ? "#000" : "#555", "stroke-width": now ? 3 : 1.4 }));
    }
    let words = `Dendrogram after ${s} of ${last} merges`;
    if (s > 0) {
      const r = s - 1, y = Y(tree.links[r][4]);
      plot.append(svg("line", { x1: left, y1: y, x2: left + width, y2: y, stroke: "#000",
        "stroke-dasharray": "6 4" }));
      const drop = tree.drops.includes(r);
      plot.append(svg("text", { x: left + width - 2, y: drop ? y + 13 : y - 4, "font-size": 11, "text-anchor": "end" },
        `height ${tree.rows[r][2]}`));
      words += `, the last at height ${tree.rows[r][2]}, drawn thick under a dashed line`;
      if (drop) {
        const before = Y(tree.links[r - 1][4]);
        plot.append(svg("line", { x1: left, y1: before, x2: left + width, y2: before, stroke: "#555",
          "stroke-dasharray": "2 3" }));
        plot.append(svg("text", { x: left + 4, y: before - 4, "font-size": 11 },
          `the merge before: ${tree.rows[r - 1][2]} (this one is lower: an inversion)`));
        words += `, lower than the merge before it, at ${tree.rows[r - 1][2]}: an inversion`;
      }
    }
    plot.setAttribute("aria-label", words + ".");
  }

  // When each sample first joins a cluster: the one row whose indices name it.
  const joined = new Array(n).fill(Infinity);
  tree.rows.forEach(([a, b], r) => { for (const i of [a, b]) if (i < n) joined[i] = r; });

  function update() {
    const s = step(), r = s - 1;
    const inA = new Set(s > 0 ? members(tree, tree.rows[r][0]) : []);
    const inB = new Set(s > 0 ? members(tree, tree.rows[r][1]) : []);
    drawScatter(s, inA, inB, joined);
    drawTree(s, inA, inB);
    slider.value = s;
    slider.setAttribute("aria-valuetext", s === 0 ? `step 0 of ${last}, no merge yet` : `step ${s} of ${last}, row ${r}`);
    count.textContent = `${s} / ${last}`;
    status.textContent = sentence(tree, s);
    explanation.textContent = explain(tree, s);
    first.setAttribute("aria-disabled", String(s === 0));
    back.setAttribute("aria-disabled", String(s === 0));
    next.setAttribute("aria-disabled", String(s === last));
    end.setAttribute("aria-disabled", String(s === last));
    cells.forEach(({ tr, values }, i) => {
      tr.className = i === r ? "cs-now" : i > r ? "cs-future" : "";
      if (i === r) tr.setAttribute("aria-current", "step"); else tr.removeAttribute("aria-current");
      values[0].textContent = i === r ? `\u25B6 ${i}` : String(i);
      values[1].textContent = (i === r ? "\u25B2 " : "") + tree.rows[i][0];
      values[2].textContent = (i === r ? "\u25A0 " : "") + tree.rows[i][1];
    });
    if (r >= 0 && box.scrollHeight > box.clientHeight) {
      const row = cells[r].tr;
      box.scrollTop = Math.max(0, row.offsetTop - box.clientHeight / 2);
    }
  }

  model.on("change:step", update);
  update();
  return () => {
    stop();
    model.off("change:step", update);
  };
}

// A stand-in for anywidget's model on a static page: the same get, set,
// save_changes, on and off, with no kernel behind it.
function pageModel(values) {
  const listeners = {};
  return {
    get: (key) => values[key],
    set(key, value) {
      if (values[key] === value) return;
      values[key] = value;
      (listeners[`change:${key}`] || []).forEach((f) => f());
    },
    save_changes() {},
    on(event, f) { (listeners[event] = listeners[event] || []).push(f); },
    off(event, f) { listeners[event] = (listeners[event] || []).filter((g) => g !== f); },
  };
}

// Draw the stepper into the first element of the page marked for `key` and
// not drawn yet (the output's text/html calls this right after that element).
export function boot(key, tree, step) {
  const find = (tries) => {
    const host = document.querySelector(`[data-course-stepper="${key}"]:not([data-ready])`);
    if (host) {
      host.setAttribute("data-ready", "true");
      host.replaceChildren();
      render({ model: pageModel({ tree, step }), el: host });
    } else if (tries < 600) {
      requestAnimationFrame(() => find(tries + 1));
    }
  };
  find(0);
}

export default { render };
