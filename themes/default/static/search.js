/* binder search: client-side full-text search over the index `binder build` writes to search/.
 *
 * No server and no third-party service: the index is a set of small script files
 * (`binderSearchData(name, data)`) added as <script> elements on demand, which also works
 * when the site is opened from file:// (where fetch() is forbidden). search/index.js comes
 * first (filters, stop words, shard boundaries); then, per query word, the one or two word
 * shards it falls in; then, for the results on screen, each article's text, to cut a
 * snippet and find the heading to link to. The format is described in
 * src/extras/publish/search/ of binder.
 *
 * The page provides <input id="search-input"> and <div id="search-results"> (base.html).
 * Keys: "/" focuses the box; arrows move through results; Enter opens; Escape closes.
 */
(function () {
  'use strict';

  var input = document.getElementById('search-input');
  var panel = document.getElementById('search-results');
  // The theme's words in the site's language, from data attributes of the search form.
  var form = input && input.form;
  function word(name, fallback) {
    return (form && form.getAttribute('data-' + name)) || fallback;
  }
  var script = document.currentScript;
  if (!input || !panel || !script) return;

  var root = script.src.replace(/search\.js(?:[?#].*)?$/, '');
  var form = input.form;
  var PAGE = 10;          // results shown at first and per "more"
  var MIN_PREFIX = 3;     // the word being typed is completed from this many characters
  var WORD = /[\p{Alphabetic}\p{N}'\u2019\u02bc]+/gu;

  // seq: the latest search (older answers are dropped); focus: a result to focus after render.
  var state = { section: -1, concept: -1, shown: PAGE, seq: 0, focus: -1 };
  var manifest = null;    // search/index.js, once loaded
  var scripts = {};       // name -> Promise of its data
  var arrived = {};       // name -> data, set by binderSearchData
  var decoded = {};       // shard index -> Map(word -> Map(doc -> score))
  var filterSets = {};    // "s3" / "c7" -> Set of doc ids

  // ---- loading ------------------------------------------------------------------------

  window.binderSearchData = function (name, data) { arrived[name] = data; };

  function load(name) {
    if (scripts[name]) return scripts[name];
    scripts[name] = new Promise(function (resolve, reject) {
      var el = document.createElement('script');
      var version = manifest && name !== 'index' ? '?v=' + manifest.v : '';
      el.src = root + 'search/' + name + '.js' + version;
      el.async = true;
      el.onload = function () {
        el.remove();
        if (name in arrived) { resolve(arrived[name]); delete arrived[name]; }
        else fail();
      };
      el.onerror = fail;
      function fail() {
        el.remove();
        delete scripts[name];
        reject(new Error('could not load the search index (' + el.src + ')'));
      }
      document.head.appendChild(el);
    });
    return scripts[name];
  }

  function loadManifest() {
    return load('index').then(function (m) { manifest = m; return m; });
  }

  // ---- decoding (see encode.rs) -------------------------------------------------------

  var DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
  var VALUE = {};
  for (var i = 0; i < DIGITS.length; i++) VALUE[DIGITS.charAt(i)] = i;

  // Reads a varint at s[pos.i], advancing pos.i.
  function varint(s, pos) {
    var n = 0, shift = 0, v;
    do {
      v = VALUE[s.charAt(pos.i++)];
      n += (v & 31) * Math.pow(2, shift);
      shift += 5;
    } while (v >= 32 && pos.i < s.length);
    return n;
  }

  function postings(s) {
    var out = new Map(), pos = { i: 0 }, id = 0;
    while (pos.i < s.length) {
      id += varint(s, pos);
      out.set(id, VALUE[s.charAt(pos.i++)]);
    }
    return out;
  }

  function ids(s) {
    var out = new Set(), pos = { i: 0 }, id = 0;
    while (pos.i < s.length) { id += varint(s, pos); out.add(id); }
    return out;
  }

  function filterSet(kind, index) {
    var key = kind + index;
    if (!filterSets[key]) {
      var list = kind === 's' ? manifest.sections : manifest.concepts;
      filterSets[key] = ids(list[index][2]);
    }
    return filterSets[key];
  }

  // ---- words --------------------------------------------------------------------------

  // The same rules as tokens.rs: letters and digits make words, apostrophes vanish,
  // one-letter words and stop words are skipped.
  function words(text) {
    var out = [];
    (text.toLowerCase().match(WORD) || []).forEach(function (w) {
      w = w.replace(/['\u2019\u02bc]/g, '').replace(/\u03c2/g, '\u03c3');
      if (Array.from(w).length >= 2 && out.indexOf(w) < 0) out.push(w);
    });
    return out;
  }

  // Index of the last shard whose first word is <= word (shards are sorted ranges).
  function shardOf(word) {
    var lo = 0, hi = manifest.shards.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (manifest.shards[mid] <= word) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  function shardRange(word, prefix) {
    if (!manifest.shards.length) return [];
    var first = shardOf(word), last = first;
    while (prefix && last + 1 < manifest.shards.length && manifest.shards[last + 1].indexOf(word) === 0) last++;
    var names = [];
    for (var k = first; k <= last; k++) names.push(k);
    return names;
  }

  function shard(k) {
    if (decoded[k]) return Promise.resolve(decoded[k]);
    return load('t' + k).then(function (flat) {
      var table = new Map();
      for (var j = 0; j < flat.length; j += 2) table.set(flat[j], flat[j + 1]);
      decoded[k] = table;
      return table;
    });
  }

  // doc -> score for one query word: the word itself, or every word it begins when it is
  // the word being typed (completions count a little less than the exact word).
  function lookup(word, prefix) {
    var ks = shardRange(word, prefix);
    return Promise.all(ks.map(shard)).then(function (tables) {
      var scores = new Map();
      var n = manifest.n;
      tables.forEach(function (table) {
        table.forEach(function (list, w) {
          var exact = w === word;
          if (!exact && !(prefix && w.indexOf(word) === 0)) return;
          if (typeof list === 'string') { list = postings(list); table.set(w, list); }
          var idf = Math.log(1 + (n - list.size + 0.5) / (list.size + 0.5));
          var weight = exact ? 1 : 0.7;
          list.forEach(function (score, doc) {
            var s = score * idf * weight;
            if (!(scores.get(doc) >= s)) scores.set(doc, s);
          });
        });
      });
      return scores;
    });
  }

  // ---- searching ----------------------------------------------------------------------

  function search(query) {
    var typing = !/\s$/.test(query);
    var stop = new Set(manifest.stop);
    var all = words(query);
    var terms = all.filter(function (w, k) {
      var last = typing && k === all.length - 1;
      return !stop.has(w) || (last && w.length >= MIN_PREFIX);
    });
    if (!terms.length) return Promise.resolve({ terms: all, docs: [] });
    return Promise.all(terms.map(function (w, k) {
      var last = typing && k === terms.length - 1;
      return lookup(w, last && Array.from(w).length >= MIN_PREFIX);
    })).then(function (maps) {
      // Every word must match (AND); the rarest list is the cheapest to walk.
      maps.sort(function (a, b) { return a.size - b.size; });
      var docs = [];
      maps[0].forEach(function (score, doc) {
        var total = score;
        for (var m = 1; m < maps.length; m++) {
          var s = maps[m].get(doc);
          if (s === undefined) return;
          total += s;
        }
        if (state.section >= 0 && !filterSet('s', state.section).has(doc)) return;
        if (state.concept >= 0 && !filterSet('c', state.concept).has(doc)) return;
        docs.push({ id: doc, score: total });
      });
      docs.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      return { terms: terms, docs: docs };
    });
  }

  function run() {
    var query = input.value;
    var seq = ++state.seq;
    if (!query.trim()) { close(); return; }
    loadManifest()
      .then(function () { return search(query); })
      .then(function (found) {
        var shown = found.docs.slice(0, state.shown);
        return Promise.all(shown.map(function (d) { return load('d/' + d.id); })).then(function (docs) {
          if (seq === state.seq) render(found, docs);
        });
      })
      .catch(function (e) {
        if (seq === state.seq) showError(e.message);
      });
  }

  // ---- snippets -----------------------------------------------------------------------

  function escape(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function pattern(terms) {
    var alts = terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); });
    // A word start, then a word beginning with a query word ("coach" marks "coaching").
    return new RegExp('(^|[^\\p{Alphabetic}\\p{N}])((?:' + alts.join('|') + ')[\\p{Alphabetic}\\p{N}]*)', 'giu');
  }

  function matches(text, re) {
    var found = new Set(), m;
    re.lastIndex = 0;
    while ((m = re.exec(text))) found.add(m[2].toLowerCase());
    return found.size;
  }

  function highlight(text, re) {
    var out = '', last = 0, m;
    re.lastIndex = 0;
    while ((m = re.exec(text))) {
      var start = m.index + m[1].length;
      out += escape(text.slice(last, start)) + '<mark>' + escape(m[2]) + '</mark>';
      last = start + m[2].length;
    }
    return out + escape(text.slice(last));
  }

  // ~180 characters around the first match, cut at spaces.
  function cut(text, re) {
    re.lastIndex = 0;
    var m = re.exec(text);
    var at = m ? m.index + m[1].length : 0;
    var start = Math.max(0, at - 60);
    if (start > 0) { var sp = text.indexOf(' ', start); start = sp >= 0 && sp < at ? sp + 1 : start; }
    var end = Math.min(text.length, start + 180);
    if (end < text.length) { var sp2 = text.lastIndexOf(' ', end); end = sp2 > at ? sp2 : end; }
    return (start > 0 ? '… ' : '') + highlight(text.slice(start, end), re) + (end < text.length ? ' …' : '');
  }

  // The part of the article that matches best: most query words, a matching heading first.
  function bestPart(doc, re) {
    var best = null, bestScore = 0;
    doc.x.forEach(function (part) {
      var score = matches(part[1], re) * 2 + matches(part[2], re);
      if (score > bestScore) { best = part; bestScore = score; }
    });
    return best || doc.x[0] || ['', '', ''];
  }

  // ---- rendering ----------------------------------------------------------------------

  function href(path, id) {
    var url = root + path;
    if (location.protocol === 'file:') url += 'index.html';
    return url + (id ? '#' + encodeURIComponent(id) : '');
  }

  function options(list, chosen, all) {
    var html = '<option value="-1">' + all + '</option>';
    list.forEach(function (item, k) {
      html += '<option value="' + k + '"' + (k === chosen ? ' selected' : '') + '>' + escape(item[0]) + '</option>';
    });
    return html;
  }

  // The filters stay in place while results change, so a select keeps focus as you use it.
  var filters = null;
  var list = document.createElement('div');
  list.className = 'search-body';

  function filterBar() {
    if (filters) return filters;
    filters = document.createElement('div');
    filters.className = 'search-filters';
    var html = '';
    if (manifest.sections.length) {
      html += '<select id="search-section" aria-label="' + escape(word('filter-section', 'Filter by section')) + '">' + options(manifest.sections, state.section, escape(word('all-sections', 'All sections'))) + '</select>';
    }
    if (manifest.concepts.length) {
      html += '<select id="search-concept" aria-label="' + escape(word('filter-concept', 'Filter by concept')) + '">' + options(manifest.concepts, state.concept, escape(word('all-concepts', 'All concepts'))) + '</select>';
    }
    filters.innerHTML = html;
    return filters;
  }

  function render(found, docs) {
    var re = pattern(found.terms);
    var n = found.docs.length;
    var html = '<p class="search-status">' + escape(n === 0 ? word('no-results', 'No results') : n === 1 ? word('one-result', '1 result') : word('results', '{count} results').replace('{count}', n)) + '</p>';
    if (docs.length) {
      html += '<ol class="search-list">';
      docs.forEach(function (doc) {
        var part = bestPart(doc, re);
        var heading = part[0] && matches(part[1] + ' ' + part[2], re) ? part : null;
        var section = doc.s >= 0 ? manifest.sections[doc.s][0] : '';
        html += '<li class="search-result"><a href="' + escape(href(doc.p, heading && heading[0])) + '">' +
          '<span class="search-result-title">' + highlight(doc.t, re) + '</span>' +
          (heading ? '<span class="search-result-heading">' + highlight(heading[1], re) + '</span>' : '') +
          '</a>' + (section ? '<span class="search-result-section">' + escape(section) + '</span>' : '') +
          '<p class="search-snippet">' + cut(part[2], re) + '</p></li>';
      });
      html += '</ol>';
    }
    if (n > docs.length) html += '<button type="button" class="search-more">' + escape(word('more', 'Show more results')) + '</button>';
    list.innerHTML = html;
    if (!panel.contains(list)) {
      panel.innerHTML = '';
      panel.appendChild(filterBar());
      panel.appendChild(list);
    }
    if (state.focus >= 0) {
      var target = links()[state.focus];
      state.focus = -1;
      if (target) target.focus();
    }
  }

  function showError(message) {
    panel.innerHTML = '<p class="search-status search-error">' + escape(message) + '</p>';
  }

  function close() {
    state.seq++;
    state.shown = PAGE;
    panel.innerHTML = '';
  }

  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll('.search-result a'));
  }

  // ---- events -------------------------------------------------------------------------

  input.setAttribute('aria-keyshortcuts', '/');
  input.setAttribute('aria-controls', 'search-results');
  if (!input.title) input.title = word('title', 'Search (press /)');

  input.addEventListener('focus', function () {
    loadManifest().catch(function () {});
    if (input.value.trim() && !panel.firstChild) run();
  });
  input.addEventListener('input', function () { state.shown = PAGE; run(); });

  panel.addEventListener('change', function (e) {
    if (e.target.id === 'search-section') state.section = Number(e.target.value);
    else if (e.target.id === 'search-concept') state.concept = Number(e.target.value);
    else return;
    state.shown = PAGE;
    run();
  });
  panel.addEventListener('click', function (e) {
    if (e.target.closest && e.target.closest('.search-more')) {
      state.focus = state.shown;
      state.shown += PAGE;
      run();
    }
  });

  if (form) {
    form.addEventListener('submit', function (e) { e.preventDefault(); });
    form.addEventListener('keydown', function (e) {
      var list = links();
      var at = list.indexOf(document.activeElement);
      if (e.key === 'Enter' && e.target === input) {
        // Open the first result (the form has nowhere to submit to).
        e.preventDefault();
        if (list[0]) list[0].click();
      } else if (e.key === 'Escape') {
        if (panel.firstChild) { close(); input.focus(); } else input.blur();
        e.preventDefault();
      } else if (e.key === 'ArrowDown' && list.length && (at >= 0 || e.target === input)) {
        list[Math.min(at + 1, list.length - 1)].focus();
        e.preventDefault();
      } else if (e.key === 'ArrowUp' && at >= 0) {
        if (at === 0) input.focus(); else list[at - 1].focus();
        e.preventDefault();
      }
    });
  }

  document.addEventListener('keydown', function (e) {
    if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
    input.select();
  });

  // A click anywhere else closes the results (the query stays for the next focus).
  document.addEventListener('click', function (e) {
    if (panel.firstChild && !(form || panel).contains(e.target)) close();
  });
})();
