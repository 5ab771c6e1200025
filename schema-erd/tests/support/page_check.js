// Written into the page under test: measures what the browser drew and writes it as JSON
// into <pre id="erd-test-result"> for the test to read.
(() => {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height };
  };
  const result = { boxes: {}, texts: {}, outside: [], overlaps: [], edges: {}, resources: [] };
  const nodes = [...document.querySelectorAll('g.node')];
  for (const node of nodes) {
    // The box's outline is its first polygon (or path, for rounded enum boxes).
    const outline = node.querySelector('polygon, path');
    const b = box(outline || node);
    result.boxes[node.id] = b;
    const texts = [...node.querySelectorAll('text')];
    result.texts[node.id] = texts.map((t) => t.textContent);
    for (const t of texts) {
      const r = box(t);
      if (r.x < b.x - 1 || r.y < b.y - 1 || r.x + r.w > b.x + b.w + 1 || r.y + r.h > b.y + b.h + 1) {
        result.outside.push([node.id, t.textContent]);
      }
    }
  }
  const ids = Object.keys(result.boxes);
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = result.boxes[ids[i]];
      const b = result.boxes[ids[j]];
      if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) {
        result.overlaps.push([ids[i], ids[j]]);
      }
    }
  }
  for (const edge of document.querySelectorAll('g.edge')) {
    const path = edge.querySelector('path');
    if (!path) continue;
    const m = path.getScreenCTM();
    const at = (len) => {
      const p = path.getPointAtLength(len);
      const q = new DOMPoint(p.x, p.y).matrixTransform(m);
      return [q.x + window.scrollX, q.y + window.scrollY];
    };
    const length = path.getTotalLength();
    result.edges[edge.id] = { length, start: at(0), end: at(length) };
  }
  // Pixels per SVG unit (the HTML page fits the drawing to the window).
  const ctm = document.querySelector('svg').getScreenCTM();
  result.scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
  result.resources = performance.getEntriesByType('resource').map((r) => r.name);
  if (window.erd) {
    // The page's own behaviour: select a table, see its relations, clear, zoom.
    const probe = window.__erdProbe;
    if (probe) {
      window.erd.select(probe);
      result.selected = [...document.querySelectorAll('.erd-selected')].map((e) => e.id);
      result.related = [...document.querySelectorAll('.erd-related')].map((e) => e.id).sort();
      result.focused = document.getElementById('erd-diagram').classList.contains('erd-focus');
      window.erd.clear();
      result.cleared = document.querySelectorAll('.erd-selected, .erd-related').length === 0;
      const before = window.erd.view();
      window.erd.zoom(0.5);
      const after = window.erd.view();
      result.zoomed = after.w < before.w && after.h < before.h;
      window.erd.fit();
    }
  }
  const pre = document.createElement('pre');
  pre.id = 'erd-test-result';
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
})();
