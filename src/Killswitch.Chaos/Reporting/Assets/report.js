// Draws one latency-over-time chart per case from the JSON data island, and wires the "only failing" filter.
// Plain ES5, no dependency, no network. Sets data-ks-ready on the root element when done (the headless-browser test waits on it).
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var W = 760, H = 240, L = 52, R = 16, T = 18, B = 34;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    for (var key in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, key)) { node.setAttribute(key, String(attrs[key])); }
    }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function text(parent, x, y, content, cls, anchor) {
    var t = el('text', { x: x, y: y, 'class': cls || '', 'text-anchor': anchor || 'start' }, parent);
    t.textContent = content;
    return t;
  }

  // The top of the latency axis and its number of intervals, so that every tick is a round number.
  function niceScale(value) {
    if (value <= 0) { return { top: 10, ticks: 5 }; }
    var pow = Math.pow(10, Math.floor(Math.log(value) / Math.LN10));
    var steps = [[1, 5], [2, 4], [5, 5], [10, 5]];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i][0] * pow >= value) { return { top: steps[i][0] * pow, ticks: steps[i][1] }; }
    }
    return { top: 10 * pow, ticks: 5 };
  }

  function draw(c, host) {
    var samples = c.samples || [];
    var end = c.durationMs;
    var top = 0, errors = 0, i;
    for (i = 0; i < samples.length; i++) {
      end = Math.max(end, samples[i][0] + samples[i][1]);
      top = Math.max(top, samples[i][1]);
    }
    end = Math.max(end, 1);
    var scale = niceScale(top * 1.1);
    top = scale.top;
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'class': 'latency-chart' });
    var title = el('title', {}, svg);
    title.textContent = 'Latency over time: ' + c.label;
    function x(ms) { return L + (W - L - R) * ms / end; }
    function y(ms) { return H - B - (H - T - B) * Math.min(ms, top) / top; }

    for (i = 0; i <= scale.ticks; i++) {
      var v = top * i / scale.ticks;
      el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), 'class': 'grid' }, svg);
      text(svg, L - 6, y(v) + 4, Math.round(v) + ' ms', '', 'end');
    }
    for (i = 0; i <= 5; i++) {
      var t = end * i / 5;
      text(svg, x(t), H - B + 16, (t / 1000).toFixed(1) + ' s', '', 'middle');
    }

    (c.windows || []).forEach(function (w) {
      var rect = el('rect', { x: x(w.startMs), y: T, width: Math.max(2, x(w.endMs) - x(w.startMs)), height: H - T - B, 'class': 'fault' }, svg);
      el('title', {}, rect).textContent = w.name + ': ' + (w.startMs / 1000).toFixed(2) + ' s to ' + (w.endMs / 1000).toFixed(2) + ' s';
      text(svg, x(w.startMs) + 4, T + 12, w.name, 'fault-label');
    });

    (c.events || []).forEach(function (e) {
      var cls = e.name === 'Chaos.ReplicaKilled' ? 'kill' : e.name === 'Chaos.ReplicaRestarted' ? 'restart' : null;
      if (!cls) { return; }
      var line = el('line', { x1: x(e.atMs), x2: x(e.atMs), y1: T, y2: H - B, 'class': cls }, svg);
      el('title', {}, line).textContent = (cls === 'kill' ? 'killed ' : 'replacement ready ') + (e.subject || '');
    });

    var points = el('g', { 'class': 'samples' }, svg);
    for (i = 0; i < samples.length; i++) {
      var s = samples[i];
      var px = x(s[0]), py = y(s[1]);
      var failed = s[2] === 0 || s[2] >= 500;
      var mark;
      if (failed) {
        errors++;
        mark = el('path', { d: 'M' + (px - 4) + ' ' + (py - 4) + 'l8 8m0 -8l-8 8', 'class': 'error' }, points);
      } else {
        mark = el('circle', { cx: px, cy: py, r: 2.2, 'class': 'sample' }, points);
      }
      el('title', {}, mark).textContent = (s[0] / 1000).toFixed(2) + ' s: ' + s[1] + ' ms, ' + (s[2] === 0 ? 'no response' : 'HTTP ' + s[2]);
    }

    if (samples.length === 0) {
      text(svg, W / 2, H / 2, 'No requests recorded in this run.', 'empty', 'middle');
    }

    el('line', { x1: L, x2: W - R, y1: H - B, y2: H - B, 'class': 'axis' }, svg);
    el('line', { x1: L, x2: L, y1: T, y2: H - B, 'class': 'axis' }, svg);
    svg.setAttribute('data-samples', String(samples.length));
    svg.setAttribute('data-errors', String(errors));
    svg.setAttribute('data-windows', String((c.windows || []).length));
    host.appendChild(svg);
  }

  var island = document.getElementById('ks-data');
  var data = JSON.parse(island.textContent);
  data.charts.forEach(function (c) {
    var host = document.getElementById('chart-' + c.anchor);
    if (host) { draw(c, host); }
  });

  var toggle = document.getElementById('only-failing');
  if (toggle) {
    toggle.addEventListener('change', function () {
      document.body.className = toggle.checked ? 'only-failing' : '';
    });
  }

  document.documentElement.setAttribute('data-ks-ready', 'true');
})();
