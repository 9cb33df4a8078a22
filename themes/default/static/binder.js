/* binder default theme: a few lines of progressive enhancement, no dependencies. */
(function () {
  'use strict';

  // Opened from the file system: folder links ("tips/", "../") have no server to add
  // index.html, so add it ourselves; also for links inserted later (search results).
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
    document.querySelectorAll('a[href]').forEach(fix);
    document.addEventListener('click', function (e) {
      var a = e.target && e.target.closest ? e.target.closest('a[href]') : null;
      if (a) fix(a);
    }, true);
  }

  // A long table of contents starts folded on a narrow screen, where it sits above the
  // article; its title unfolds it. Without this script it is simply open.
  var toc = document.querySelector('details.toc-details');
  if (toc && toc.querySelectorAll('li').length > 6 && window.matchMedia &&
      !window.matchMedia('(min-width: 70rem)').matches) {
    toc.removeAttribute('open');
  }

  // Code blocks and tables that scroll sideways can be scrolled with the keyboard.
  var scrollers = function () {
    document.querySelectorAll('pre, .prose table, .table-wrap, .concept-map-scroll').forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) el.setAttribute('tabindex', '0');
      else if (el.getAttribute('tabindex') === '0') el.removeAttribute('tabindex');
    });
  };
  scrollers();
  var pending = 0;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(scrollers, 150);
  });

  // The print edition's "Print or save as PDF" button.
  document.querySelectorAll('[data-binder-print]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });
})();
