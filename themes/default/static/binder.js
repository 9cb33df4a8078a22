/* binder default theme: a few lines of progressive enhancement, no dependencies. */
(function () {
  'use strict';

  // Opened from the file system: folder links ("tips/", "../") have no server to add
  // index.html, so add it ourselves. Also for links inserted later (search results).
  if (location.protocol === 'file:') {
    var fix = function (a) {
      var href = a.getAttribute('href');
      if (!href || href.charAt(0) === '#' || href.indexOf('//') === 0 || /^[a-z][a-z0-9+.-]*:/i.test(href)) return;
      var cut = href.search(/[?#]/);
      var path = cut < 0 ? href : href.slice(0, cut);
      var rest = cut < 0 ? '' : href.slice(cut);
      if (path.charAt(path.length - 1) === '/') a.setAttribute('href', path + 'index.html' + rest);
      else if (path === '.' || path === '..' || /\/\.\.?$/.test(path)) a.setAttribute('href', path + '/index.html' + rest);
    };
    var fixAll = function () { document.querySelectorAll('a[href]').forEach(fix); };
    fixAll();
    document.addEventListener('click', function (e) {
      var a = e.target && e.target.closest ? e.target.closest('a[href]') : null;
      if (a) fix(a);
    }, true);
  }

  // Pages with <base href> (404.html): keep in-page links (skip link, footnotes) in this page.
  if (document.querySelector('base[href]')) {
    var here = location.href.split('#')[0];
    document.querySelectorAll('a[href^="#"]').forEach(function (a) {
      a.setAttribute('href', here + a.getAttribute('href'));
    });
  }

  // The print edition's "Print or save as PDF" button.
  document.querySelectorAll('[data-binder-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });
})();
