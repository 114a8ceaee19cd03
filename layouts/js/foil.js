// foil.js: the deck's runtime. Shows one slide at a time scaled to the
// window, moves with the keyboard and keeps the slide number in the URL hash.
// No dependencies, no eval, no inline handlers: it runs from file:// and
// under a strict Content-Security-Policy. The only global is window.foil.
//
// Structure: state (slides, index), view (fit, show), navigation (go and the
// hash), input (a key map of action names). Later features (overview,
// presenter, touch, blackout) add actions to `actions`, keys to `keymap` and
// listeners with `onChange`, without touching the rest.
(function () {
  'use strict';

  var doc = document;
  var root = doc.documentElement;
  var slides = Array.prototype.slice.call(doc.querySelectorAll('main.deck > section.slide'));
  var size = canvasSize();
  var index = -1; // 0-based index of the current slide
  var listeners = [];

  root.classList.add('js');

  // canvasSize reads <meta name="foil:size" content="1280x720">.
  function canvasSize() {
    var meta = doc.querySelector('meta[name="foil:size"]');
    var parts = meta ? String(meta.getAttribute('content')).split('x') : [];
    return { w: Number(parts[0]) || 1280, h: Number(parts[1]) || 720 };
  }

  // fit scales the canvas to the window, letterboxed.
  function fit() {
    var s = Math.min(window.innerWidth / size.w, window.innerHeight / size.h);
    root.style.setProperty('--scale', String(s > 0 && isFinite(s) ? s : 1));
  }

  function clamp(n) {
    return Math.max(1, Math.min(slides.length, Math.floor(n) || 1));
  }

  // go shows slide n (1-based, clamped) and records it in the hash.
  function go(n) {
    if (!slides.length) return;
    var i = clamp(n) - 1;
    if (i !== index) {
      if (index >= 0 && slides[index]) slides[index].classList.remove('current');
      slides[i].classList.add('current');
      index = i;
      for (var k = 0; k < listeners.length; k++) listeners[k](i + 1);
    }
    setHash(i + 1);
  }

  function setHash(n) {
    var h = '#' + n;
    if (location.hash === h) return;
    try {
      history.replaceState(history.state, '', h);
    } catch (e) {
      location.replace(h); // fires hashchange, which lands here again
    }
  }

  // slideFromHash resolves #N, #slide-N or the id of any element inside a
  // slide (a heading, a footnote) to a 1-based slide number, 0 for none.
  function slideFromHash() {
    var id = location.hash.slice(1);
    if (!id) return 0;
    try {
      id = decodeURIComponent(id);
    } catch (e) {
      return 0;
    }
    var m = /^(?:slide-)?(\d+)$/.exec(id);
    if (m) return clamp(Number(m[1]));
    var el = doc.getElementById(id);
    var s = el && el.closest('main.deck > section.slide');
    return s ? slides.indexOf(s) + 1 : 0;
  }

  function onHash() {
    var n = slideFromHash();
    if (n) go(n);
    else setHash(index + 1);
  }

  var actions = {
    next: function () { go(index + 2); },
    prev: function () { go(index); },
    first: function () { go(1); },
    last: function () { go(slides.length); }
  };

  // keymap maps KeyboardEvent.key (with "Shift+" when shift is held) to an
  // action name.
  var keymap = {
    'ArrowRight': 'next',
    'PageDown': 'next',
    ' ': 'next',
    'Shift+ ': 'prev',
    'ArrowLeft': 'prev',
    'PageUp': 'prev',
    'Home': 'first',
    'End': 'last'
  };

  function onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var name = e.shiftKey ? keymap['Shift+' + e.key] || (e.key !== ' ' && keymap[e.key]) : keymap[e.key];
    var action = name && actions[name];
    if (!action) return;
    e.preventDefault();
    action();
  }

  window.addEventListener('resize', fit);
  window.addEventListener('hashchange', onHash);
  doc.addEventListener('keydown', onKey);

  fit();
  go(slideFromHash() || 1);

  window.foil = {
    go: go,
    current: function () { return index + 1; },
    total: function () { return slides.length; }
  };

  // onChange registers fn(n), called after every slide change; for later
  // features in this file (presenter sync, overview highlight).
  function onChange(fn) { listeners.push(fn); }
})();
