// Pan (drag), zoom (wheel, buttons, + - 0 keys), find a table, and click a table or enum to
// see its relations: everything else fades until Escape or a click on the background.
(() => {
  'use strict';
  const host = document.getElementById('erd-diagram');
  const svg = host.querySelector('svg');
  const data = JSON.parse(document.getElementById('erd-data').textContent);
  const base = svg.viewBox.baseVal;
  const home = { x: base.x, y: base.y, w: base.width, h: base.height };
  let view = { ...home };

  const apply = () => svg.setAttribute('viewBox', `${view.x} ${view.y} ${view.w} ${view.h}`);
  const toSvg = (clientX, clientY) => {
    const m = svg.getScreenCTM();
    if (!m) return { x: view.x + view.w / 2, y: view.y + view.h / 2 };
    const p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
    return { x: p.x, y: p.y };
  };
  const middle = () => {
    const r = host.getBoundingClientRect();
    return [r.left + r.width / 2, r.top + r.height / 2];
  };

  function zoom(factor, clientX, clientY) {
    const w = view.w * factor;
    if (w < home.w / 400 || w > home.w * 8) return;
    const p = toSvg(clientX, clientY);
    view = { x: p.x - (p.x - view.x) * factor, y: p.y - (p.y - view.y) * factor, w, h: view.h * factor };
    apply();
  }
  function fit() { view = { ...home }; apply(); }

  function clear() {
    host.classList.remove('erd-focus');
    for (const el of host.querySelectorAll('.erd-selected, .erd-related')) {
      el.classList.remove('erd-selected', 'erd-related');
    }
  }
  function select(id) {
    clear();
    const el = document.getElementById(id);
    const entry = data.boxes[id];
    if (!el || !entry) return false;
    el.classList.add('erd-selected');
    for (const other of entry.edges.concat(entry.neighbours)) {
      const related = document.getElementById(other);
      if (related) related.classList.add('erd-related');
    }
    host.classList.add('erd-focus');
    return true;
  }
  function center(id) {
    const el = document.getElementById(id);
    if (!el) return;
    const r = el.getBoundingClientRect();
    const a = toSvg(r.left, r.top);
    const b = toSvg(r.right, r.bottom);
    const size = Math.max((b.x - a.x) * 3, (b.y - a.y) * 2, home.w / 50);
    const ratio = host.clientHeight / Math.max(host.clientWidth, 1);
    view = { x: (a.x + b.x) / 2 - size / 2, y: (a.y + b.y) / 2 - (size * ratio) / 2, w: size, h: size * ratio };
    apply();
  }

  let drag = null;
  host.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, view: { ...view }, moved: false };
    host.setPointerCapture(e.pointerId);
  });
  host.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    drag.moved = true;
    host.classList.add('erd-panning');
    const perPixel = Math.max(drag.view.w / host.clientWidth, drag.view.h / host.clientHeight);
    view = { ...drag.view, x: drag.view.x - dx * perPixel, y: drag.view.y - dy * perPixel };
    apply();
  });
  const endDrag = () => { host.classList.remove('erd-panning'); setTimeout(() => { drag = null; }, 0); };
  host.addEventListener('pointerup', endDrag);
  host.addEventListener('pointercancel', endDrag);
  host.addEventListener('click', (e) => {
    if (drag && drag.moved) return;
    const node = e.target.closest('g.node');
    if (node) select(node.id); else clear();
  });
  host.addEventListener('wheel', (e) => {
    e.preventDefault();
    zoom(Math.exp(Math.max(-100, Math.min(100, e.deltaY)) * 0.0025), e.clientX, e.clientY);
  }, { passive: false });

  for (const button of document.querySelectorAll('[data-zoom]')) {
    button.addEventListener('click', () => {
      const kind = button.dataset.zoom;
      if (kind === 'fit') fit(); else zoom(kind === 'in' ? 0.8 : 1.25, ...middle());
    });
  }
  const search = document.getElementById('erd-search');
  search.addEventListener('change', () => {
    const id = data.names[search.value.trim()];
    if (id && select(id)) center(id);
  });
  document.addEventListener('keydown', (e) => {
    if (e.target === search) return;
    if (e.key === 'Escape') clear();
    else if (e.key === '+' || e.key === '=') zoom(0.8, ...middle());
    else if (e.key === '-') zoom(1.25, ...middle());
    else if (e.key === '0') fit();
  });

  window.erd = { select, clear, center, fit, zoom: (f) => zoom(f, ...middle()), view: () => ({ ...view }) };
})();
