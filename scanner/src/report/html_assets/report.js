// Renders the embedded report (the JSON document `--format json` writes, or a `merge`
// of several) with DOM text nodes only: nothing from the report is ever parsed as HTML,
// so a file named "<script>" shows as text. Filters live in the URL hash
// (#class=secret&severity=high&provider=github&app=x&path=src/&q=text) so a filtered
// view can be linked, bookmarked, or loaded by a headless browser in tests.
(function () {
  'use strict';
  var doc;
  try {
    doc = JSON.parse(document.getElementById('leakproof-data').textContent);
  } catch (e) {
    document.getElementById('coverage').appendChild(
        el('p', {class: 'banner bad'}, 'The embedded report is not valid JSON: ' + e.message));
    return;
  }
  var findings = Array.isArray(doc.findings) ? doc.findings : [];
  var diagnostics = Array.isArray(doc.diagnostics) ? doc.diagnostics : [];
  var SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'];
  var ROW_LIMIT = 5000;
  var FILTERS = [
    {key: 'class', label: 'Class', get: function (f) { return f['class']; }},
    {key: 'severity', label: 'Severity', get: function (f) { return f.severity; }},
    {key: 'provider', label: 'Provider', get: function (f) { return f.provider; }},
    {key: 'app', label: 'App', get: appOf},
    {key: 'verification', label: 'Verification', get: verificationOf}
  ];

  // el('td', {class: 'x'}, 'text', childNode, ...): strings become text nodes.
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, String(attrs[k]));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === undefined || c === null || c === '') continue;
      node.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  function str(v) { return v === undefined || v === null ? '' : String(v); }
  function appOf(f) {
    if (!f.scan) return '';
    return str(f.scan.app) + (f.scan.version ? ' ' + f.scan.version : '');
  }
  function verificationOf(f) { return f.verification ? str(f.verification.state) : ''; }
  function locationOf(f) { return f.location || {}; }
  // "app.apk!classes2.dex" -> artifact "app.apk", member "classes2.dex": from the
  // provenance chain when the report has one (the path also carries decoder labels such
  // as "[dex-strings]"), else from the path.
  function splitPath(loc) {
    var chain = Array.isArray(loc.provenance) ? loc.provenance.map(str) : [];
    if (chain.length) return {artifact: chain[0], member: chain.slice(1).join('!')};
    var p = str(loc.path);
    var bang = p.indexOf('!');
    return bang < 0 ? {artifact: p, member: ''} : {artifact: p.slice(0, bang), member: p.slice(bang + 1)};
  }
  // Only web links become links: a report cannot smuggle in a javascript: URL.
  function safeUrl(u) { return /^https?:\/\//i.test(str(u)) ? str(u) : ''; }
  function count(list, get) {
    var m = {};
    list.forEach(function (x) { var k = get(x) || '(none)'; m[k] = (m[k] || 0) + 1; });
    return m;
  }

  // ---- header, coverage, scans -------------------------------------------------------
  var tool = doc.tool || {};
  var stats = doc.stats || {};
  document.getElementById('meta').textContent =
      str(tool.name || 'leakproof') + ' ' + str(tool.version) + ' · ' + findings.length +
      ' findings · ' + str(stats.files !== undefined ? stats.files : '?') + ' files scanned' +
      (doc.scans ? ' · ' + doc.scans.length + ' scans merged' : '');

  (function coverage() {
    var box = document.getElementById('coverage');
    var reasons = (doc.incomplete && doc.incomplete.reasons) || {};
    if (doc.complete === false) {
      var list = el('ul');
      Object.keys(reasons).forEach(function (k) { list.appendChild(el('li', null, k + ': ' + reasons[k])); });
      box.appendChild(el('div', {class: 'banner bad', id: 'incomplete'},
          el('strong', null, 'INCOMPLETE SCAN: '),
          'some inputs or parts were not fully scanned, so "no finding" there means nothing. ' +
          'Reasons (see Diagnostics below):', list));
    } else {
      box.appendChild(el('div', {class: 'banner ok', id: 'complete'}, 'Scan complete: every input was fully scanned.'));
    }
    if (doc.baseline) {
      box.appendChild(el('p', {class: 'muted'}, 'Baseline: ' + str(doc.baseline.findings_hidden) +
          ' findings hidden by ' + str(doc.baseline.matched) + ' of ' + str(doc.baseline.entries) + ' entries'));
    }
  })();

  (function scans() {
    if (!Array.isArray(doc.scans) || !doc.scans.length) return;
    var box = document.getElementById('scans');
    box.hidden = false;
    box.appendChild(el('h2', null, 'Scans merged (' + doc.scans.length + ')'));
    var t = el('table', {id: 'scans-table'});
    t.appendChild(el('tr', null, el('th', null, 'Input'), el('th', null, 'App'), el('th', null, 'Version'),
        el('th', null, 'Format'), el('th', null, 'Findings'), el('th', null, 'Complete')));
    doc.scans.forEach(function (s) {
      t.appendChild(el('tr', null, el('td', {class: 'mono'}, str(s.input)), el('td', null, str(s.app)),
          el('td', null, str(s.version)), el('td', null, str(s.format)), el('td', null, str(s.findings)),
          el('td', null, s.complete === false ? 'no' : s.complete === true ? 'yes' : 'unknown')));
    });
    box.appendChild(t);
  })();

  // ---- summary charts (CSS bars) -----------------------------------------------------
  function chart(title, counts, order, cssPrefix) {
    var keys = Object.keys(counts);
    keys.sort(order || function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); });
    var max = Math.max.apply(null, keys.map(function (k) { return counts[k]; }).concat([1]));
    var box = el('div', {class: 'chart'}, el('h3', null, title));
    if (!keys.length) box.appendChild(el('div', {class: 'muted'}, 'none'));
    keys.forEach(function (k) {
      box.appendChild(el('div', {class: 'bar-row'}, el('span', {class: 'label', title: k}, k),
          el('span', {class: 'track'}, el('span', {class: 'fill' + (cssPrefix ? ' ' + cssPrefix + k : ''),
              style: 'display:block;width:' + (100 * counts[k] / max).toFixed(1) + '%'})),
          el('span', {class: 'count'}, counts[k])));
    });
    return box;
  }
  (function summary() {
    var box = document.getElementById('summary');
    box.appendChild(el('h2', null, 'Summary'));
    var sevOrder = function (a, b) { return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b); };
    var charts = el('div', {class: 'charts'},
        chart('By class', count(findings, function (f) { return f['class']; })),
        chart('By severity', count(findings, function (f) { return f.severity; }), sevOrder, 'sev-'),
        chart('By provider', count(findings, function (f) { return f.provider_name || f.provider; })));
    if (doc.scans) charts.appendChild(chart('By app', count(findings, appOf)));
    box.appendChild(charts);
  })();

  // ---- filters --------------------------------------------------------------------------
  var form = document.getElementById('filters');
  var controls = {};
  function readHash() {
    var params = {};
    var h = location.hash.replace(/^#/, '');
    h.split('&').forEach(function (part) {
      if (!part) return;
      var eq = part.indexOf('=');
      var k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      params[k] = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' '));
    });
    return params;
  }
  function writeHash() {
    var parts = [];
    Object.keys(controls).forEach(function (k) {
      if (controls[k].value) parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(controls[k].value));
    });
    var h = parts.length ? '#' + parts.join('&') : '';
    history.replaceState(null, '', location.pathname + location.search + h);
  }
  var initial = readHash();
  FILTERS.forEach(function (spec) {
    var values = Object.keys(count(findings, spec.get)).filter(function (v) { return v !== '(none)'; });
    if (!values.length && !initial[spec.key]) return;  // e.g. no app outside a merge
    values.sort(spec.key === 'severity' ? function (a, b) { return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b); } : undefined);
    var sel = el('select', {name: spec.key, id: 'filter-' + spec.key}, el('option', {value: ''}, 'all'));
    values.forEach(function (v) { sel.appendChild(el('option', {value: v}, v)); });
    if (initial[spec.key] && values.indexOf(initial[spec.key]) < 0) {
      sel.appendChild(el('option', {value: initial[spec.key]}, initial[spec.key]));
    }
    controls[spec.key] = sel;
    form.appendChild(el('label', null, spec.label, sel));
  });
  [['path', 'Path contains'], ['q', 'Text']].forEach(function (p) {
    var input = el('input', {type: 'search', name: p[0], id: 'filter-' + p[0], placeholder: p[1]});
    controls[p[0]] = input;
    form.appendChild(el('label', null, p[1], input));
  });
  Object.keys(controls).forEach(function (k) {
    if (initial[k] !== undefined) controls[k].value = initial[k];
    controls[k].addEventListener('input', function () { writeHash(); render(); });
  });
  window.addEventListener('hashchange', function () {
    var p = readHash();
    Object.keys(controls).forEach(function (k) { controls[k].value = p[k] || ''; });
    render();
  });

  function matches(f) {
    for (var i = 0; i < FILTERS.length; i++) {
      var c = controls[FILTERS[i].key];
      if (c && c.value && FILTERS[i].get(f) !== c.value) return false;
    }
    var path = controls.path.value.toLowerCase();
    if (path && str(locationOf(f).path).toLowerCase().indexOf(path) < 0) return false;
    var q = controls.q.value.toLowerCase();
    if (q) {
      var hay = [f.rule_id, f.rule_name, f.provider, f.provider_name, f.snippet, locationOf(f).path,
        locationOf(f).detail, f.advice, appOf(f), f.commit && f.commit.summary,
        f.commit && f.commit.author].map(str).join('\n').toLowerCase();
      if (hay.indexOf(q) < 0) return false;
    }
    return true;
  }

  // ---- one finding row -------------------------------------------------------------------
  function whereCell(f) {
    var loc = locationOf(f);
    var cell = el('td', {class: 'where'});
    var pos = loc.line ? 'line ' + loc.line + (loc.column ? ', column ' + loc.column : '') :
        'offset ' + str(loc.offset);
    cell.appendChild(el('div', {class: 'mono path'}, str(loc.path)));
    cell.appendChild(el('div', null, pos));
    if (loc.detail) cell.appendChild(el('div', {class: 'mono'}, str(loc.detail)));
    // A member behind a source map is the original source file: say so, with its line.
    var chain = Array.isArray(loc.provenance) ? loc.provenance : str(loc.path).split('!');
    for (var i = 0; i + 1 < chain.length; i++) {
      if (/\.map$/i.test(str(chain[i]))) {
        cell.appendChild(el('div', {class: 'original'}, 'original source: ',
            el('code', null, chain.slice(i + 1).join('!') + (loc.line ? ':' + loc.line + (loc.column ? ':' + loc.column : '') : ''))));
        break;
      }
    }
    if (f.commit) {
      cell.appendChild(el('div', {class: 'commit muted'}, 'commit ', el('code', null, str(f.commit.id).slice(0, 12)),
          ' ' + str(f.commit.author) + ' ' + str(f.commit.date) + ' ' + str(f.commit.summary)));
    }
    return cell;
  }
  function findingRow(f) {
    var sev = str(f.severity);
    var tags = el('td', null, el('span', {class: 'badge sev-' + sev}, sev), ' ',
        el('span', {class: 'badge cls-' + str(f['class'])}, str(f['class'])));
    if (f.verification && f.verification.state) {
      var v = f.verification;
      tags.appendChild(el('div', null, el('span', {class: 'badge ver-' + str(v.state), title: str(v.evidence)},
          'verified: ' + str(v.state) + (v.http_status ? ' (' + v.http_status + ')' : ''))));
      if (v.identity) tags.appendChild(el('div', {class: 'muted'}, 'identity: ' + str(v.identity)));
    }
    if (f.apps && f.apps > 1) {
      tags.appendChild(el('div', null, el('span', {class: 'badge dup'}, 'ships in ' + f.apps + ' apps')));
    }
    var what = el('td', null, el('strong', null, str(f.provider_name || f.provider)),
        el('div', {class: 'muted mono'}, str(f.rule_id)),
        el('div', {class: 'muted'}, 'confidence: ' + str(f.confidence)));
    if (appOf(f)) what.appendChild(el('div', {class: 'muted'}, 'app: ' + appOf(f)));
    var fix = el('td', {class: 'fix'});
    if (f.env_var) fix.appendChild(el('div', null, 'move to ', el('code', null, str(f.env_var))));
    if (f.advice) fix.appendChild(el('div', {class: 'advice'}, str(f.advice)));
    var url = safeUrl(f.rotate_url);
    if (url) fix.appendChild(el('div', null, el('a', {href: url, rel: 'noopener noreferrer', target: '_blank'}, 'rotate this key')));
    return el('tr', {class: 'finding', 'data-class': f['class'], 'data-severity': sev, 'data-provider': f.provider},
        tags, what, el('td', {class: 'snippet'}, el('code', null, str(f.snippet))), whereCell(f), fix);
  }

  // ---- findings grouped by artifact, then member path ----------------------------------
  var total = document.getElementById('total-count');
  total.textContent = String(findings.length);
  function render() {
    var box = document.getElementById('findings');
    while (box.firstChild) box.removeChild(box.firstChild);
    var shown = findings.filter(matches);
    document.getElementById('shown-count').textContent = String(shown.length);
    if (!shown.length) {
      box.appendChild(el('div', {class: 'empty'}, findings.length ? 'No finding matches these filters.' : 'No findings.'));
      return;
    }
    // A browser stays responsive with a few thousand rows, not with 100,000: past the
    // limit, say so and let the filters narrow the view.
    if (shown.length > ROW_LIMIT) {
      box.appendChild(el('div', {class: 'banner bad', id: 'row-limit'}, 'Showing the first ' + ROW_LIMIT +
          ' of ' + shown.length + ' matching findings: use the filters to narrow the view.'));
    }
    var groups = [];
    var byArtifact = {};
    shown.slice(0, ROW_LIMIT).forEach(function (f) {
      var parts = splitPath(locationOf(f));
      var key = (f.scan ? str(f.scan.input) + '\u0000' : '') + parts.artifact;
      var g = byArtifact[key];
      if (!g) {
        g = byArtifact[key] = {artifact: parts.artifact, app: appOf(f), members: {}, order: []};
        groups.push(g);
      }
      if (!g.members[parts.member]) { g.members[parts.member] = []; g.order.push(parts.member); }
      g.members[parts.member].push(f);
    });
    groups.forEach(function (g) {
      var n = g.order.reduce(function (s, m) { return s + g.members[m].length; }, 0);
      var section = el('section', {class: 'artifact'},
          el('h3', null, g.artifact, el('span', {class: 'muted'}, '  ' + (g.app ? g.app + ' · ' : '') + n + (n === 1 ? ' finding' : ' findings'))));
      g.order.forEach(function (m) {
        if (m) section.appendChild(el('h4', null, g.artifact + '!' + m));
        var t = el('table', {class: 'findings'},
            el('tr', null, el('th', null, 'Severity'), el('th', null, 'What'), el('th', null, 'Context (redacted)'),
                el('th', null, 'Where'), el('th', null, 'Fix')));
        g.members[m].forEach(function (f) { t.appendChild(findingRow(f)); });
        section.appendChild(t);
      });
      box.appendChild(section);
    });
  }
  render();

  // ---- diagnostics ---------------------------------------------------------------------
  (function diagnosticsSection() {
    var box = document.getElementById('diagnostics');
    box.appendChild(el('h2', null, 'Diagnostics (' + diagnostics.length + ')'));
    if (!diagnostics.length) { box.appendChild(el('div', {class: 'empty'}, 'None.')); return; }
    var rank = {error: 0, warning: 1, info: 2};
    var sorted = diagnostics.slice().sort(function (a, b) { return (a.level in rank ? rank[a.level] : 3) - (b.level in rank ? rank[b.level] : 3); });
    var t = el('table', {id: 'diagnostics-table'}, el('tr', null, el('th', null, 'Level'), el('th', null, 'Code'),
        el('th', null, 'Where'), el('th', null, 'Message'), el('th', null, 'Count')));
    sorted.forEach(function (d) {
      t.appendChild(el('tr', {class: 'diagnostic'}, el('td', {class: 'level-' + str(d.level)}, str(d.level)),
          el('td', null, str(d.code)), el('td', {class: 'mono'}, str(d.location)),
          el('td', null, str(d.message)), el('td', null, str(d.count))));
    });
    box.appendChild(t);
  })();
})();
