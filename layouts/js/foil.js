// foil.js: the deck's runtime. Shows one slide at a time scaled to the
// window, moves with the keyboard, clicks and swipes, keeps the slide number
// in the URL hash, and adds the overview, blackout, help, the presenter view
// (with pacing from the agenda) and, under `foil serve`, live reload.
// No dependencies, no eval, no inline handlers: it runs from file:// and
// under a strict Content-Security-Policy. The only global is window.foil.
//
// Structure: state (slides, index), view (fit, show), navigation (go and the
// hash), input (a key map of action names), then the features, each adding
// actions, keys and onChange listeners: announcements and progress, overview,
// blackout, help, jump to a number, touch and clicks, sync between windows,
// the presenter view, live reload.
(function () {
  'use strict';

  var doc = document;
  var root = doc.documentElement;
  var deckEl = doc.querySelector('main.deck');
  var slides = Array.prototype.slice.call(doc.querySelectorAll('main.deck > section.slide'));
  var size = canvasSize();
  var index = -1; // 0-based index of the current slide
  var listeners = [];
  var presenter = /(?:^\?|&)presenter(?:[=&]|$)/.test(location.search) || /\/presenter\/?$/.test(location.pathname);
  var api = {}; // window.foil

  root.classList.add('js');
  if (presenter) root.classList.add('presenter');

  // canvasSize reads <meta name="foil:size" content="1280x720">.
  function canvasSize() {
    var meta = doc.querySelector('meta[name="foil:size"]');
    var parts = meta ? String(meta.getAttribute('content')).split('x') : [];
    return { w: Number(parts[0]) || 1280, h: Number(parts[1]) || 720 };
  }

  // el makes an element with a class and optional text.
  function el(tag, cls, text, parent) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  // store wraps sessionStorage, which survives reloads (live reload, F5)
  // but not the tab; absent or refused (file:// in some browsers), state
  // simply does not persist.
  var store = {
    get: function (k) {
      try { return JSON.parse(sessionStorage.getItem('foil:' + k)); } catch (e) { return null; }
    },
    set: function (k, v) {
      try { sessionStorage.setItem('foil:' + k, JSON.stringify(v)); } catch (e) { /* not persisted */ }
    }
  };

  // fit scales the canvas to the window, letterboxed.
  function fit() {
    var s = Math.min(window.innerWidth / size.w, window.innerHeight / size.h);
    root.style.setProperty('--scale', String(s > 0 && isFinite(s) ? s : 1));
    if (root.classList.contains('overview')) fitOverview();
  }

  function clamp(n) {
    return Math.max(1, Math.min(slides.length, Math.floor(n) || 1));
  }

  // go shows slide n (1-based, clamped) and records it in the hash.
  function go(n) {
    if (!slides.length) return;
    var i = clamp(n) - 1;
    if (i !== index) {
      if (index >= 0 && slides[index]) {
        slides[index].classList.remove('current');
        slides[index].removeAttribute('aria-current');
      }
      slides[i].classList.add('current');
      slides[i].setAttribute('aria-current', 'true');
      index = i;
      for (var k = 0; k < listeners.length; k++) listeners[k](i + 1);
    }
    setHash(i + 1);
  }

  // onChange registers fn(n), called after every slide change.
  function onChange(fn) { listeners.push(fn); }

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
    var t = doc.getElementById(id);
    var s = t && t.closest('main.deck > section.slide');
    return s ? slides.indexOf(s) + 1 : 0;
  }

  function onHash() {
    var n = slideFromHash();
    if (n) go(n);
    else setHash(index + 1);
  }

  function toggle(cls, on) {
    return root.classList.toggle(cls, on);
  }

  var actions = {
    next: function () { go(index + 2); },
    prev: function () { go(index); },
    first: function () { go(1); },
    last: function () { go(slides.length); },
    fullscreen: function () {
      if (doc.fullscreenElement) {
        if (doc.exitFullscreen) doc.exitFullscreen().catch(function () {});
      } else if (root.requestFullscreen) {
        root.requestFullscreen().catch(function () {});
      }
    },
    overview: function () { overview(!root.classList.contains('overview')); },
    blackout: function () { blackout(!root.classList.contains('blackout'), true); },
    help: function () { toggle('help'); },
    presenter: function () { openPresenter(); },
    escape: function () {
      if (jump.buf) return jump.clear();
      if (root.classList.contains('help')) return toggle('help', false);
      if (root.classList.contains('overview')) return overview(false);
      if (root.classList.contains('blackout')) return blackout(false, true);
    },
    enter: function () {
      if (jump.buf) return jump.go();
      if (root.classList.contains('overview')) return overview(false);
    }
  };

  // keymap maps KeyboardEvent.key (with "Shift+" when shift is held) to an
  // action name. Digits are handled by jump.
  var keymap = {
    'ArrowRight': 'next',
    'ArrowDown': 'next',
    'PageDown': 'next',
    ' ': 'next',
    'Shift+ ': 'prev',
    'ArrowLeft': 'prev',
    'ArrowUp': 'prev',
    'PageUp': 'prev',
    'Home': 'first',
    'End': 'last',
    'f': 'fullscreen',
    'o': 'overview',
    'b': 'blackout',
    '.': 'blackout', // what presentation remotes send for "black screen"
    'p': 'presenter',
    '?': 'help',
    'Shift+?': 'help',
    'Escape': 'escape',
    'Enter': 'enter'
  };

  function onKey(e) {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
    if (/^[0-9]$/.test(e.key)) {
      e.preventDefault();
      jump.digit(e.key);
      return;
    }
    var key = e.key.length === 1 && !e.shiftKey ? e.key.toLowerCase() : e.key;
    var name = e.shiftKey ? keymap['Shift+' + key] || (key !== ' ' && keymap[key]) : keymap[key];
    if (jump.buf && name !== 'enter' && name !== 'escape') jump.clear();
    var action = name && actions[name];
    if (!action) return;
    e.preventDefault();
    action();
  }

  // ------------------------------------------------ announcements, progress

  // A polite live region tells screen readers which slide is showing; the
  // slides themselves are display:none but the current one.
  var live = el('div', 'foil-live', null, doc.body);
  live.setAttribute('aria-live', 'polite');
  live.setAttribute('role', 'status');
  var progress = el('div', 'foil-progress', null, doc.body);
  progress.setAttribute('aria-hidden', 'true');
  var progressBar = el('div', null, null, progress);

  function titleOf(n) {
    var s = slides[n - 1];
    var h = s && s.querySelector('h1, h2, h3');
    return h ? h.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  onChange(function (n) {
    var t = titleOf(n);
    live.textContent = 'Slide ' + n + ' of ' + slides.length + (t ? ': ' + t : '');
    progressBar.style.width = (slides.length ? n / slides.length * 100 : 0) + '%';
  });

  // ---------------------------------------------------------------- overview

  // overview shows every slide as a tile (CSS zoom keeps the layout boxes
  // small, unlike transform); a click picks one, Esc or Enter returns.
  function overview(on) {
    toggle('overview', on);
    if (on) {
      fitOverview();
      if (slides[index]) slides[index].scrollIntoView({ block: 'nearest' });
    } else {
      deckEl.scrollTop = 0;
    }
  }

  function fitOverview() {
    var cols = window.innerWidth >= 1200 ? 5 : window.innerWidth >= 800 ? 4 : 2;
    var gap = 16;
    var tile = (window.innerWidth - gap * (cols + 1) - 16) / cols;
    root.style.setProperty('--ov-cols', String(cols));
    root.style.setProperty('--ov-zoom', String(Math.max(0.05, tile / size.w)));
  }

  // Arrow keys move the highlight in the overview; keep it in sight.
  onChange(function (n) {
    if (root.classList.contains('overview') && slides[n - 1]) slides[n - 1].scrollIntoView({ block: 'nearest' });
  });

  if (deckEl) {
    deckEl.addEventListener('click', function (e) {
      if (!root.classList.contains('overview')) return;
      var s = e.target.closest('main.deck > section.slide');
      if (!s) return;
      e.preventDefault();
      go(slides.indexOf(s) + 1);
      overview(false);
    }, true);
  }

  // ---------------------------------------------------------------- blackout

  var black = el('div', 'foil-black', null, doc.body);
  black.setAttribute('aria-hidden', 'true');

  // blackout blanks the audience screen; share tells the other windows (a
  // presenter's b blanks the projector).
  function blackout(on, share) {
    toggle('blackout', on);
    if (share) send({ type: 'black', on: on });
    if (presenter) presenterUpdate();
  }

  // -------------------------------------------------------------------- help

  var help = el('div', 'foil-help', null, doc.body);
  help.setAttribute('role', 'dialog');
  help.setAttribute('aria-label', 'Keyboard shortcuts');
  (function () {
    var box = el('div', 'foil-help-box', null, help);
    el('h2', null, 'Keys', box);
    var dl = el('dl', null, null, box);
    var rows = [
      ['→ Space PgDn', 'next slide'], ['← Shift+Space PgUp', 'previous slide'],
      ['Home End', 'first, last slide'], ['3 Enter', 'go to slide 3'],
      ['o', 'overview (click a slide, Esc to leave)'], ['b', 'blackout'],
      ['f', 'fullscreen'], ['p', 'presenter view (notes, next slide, timer)'],
      ['?', 'this help'], ['Esc', 'close']
    ];
    for (var i = 0; i < rows.length; i++) {
      el('dt', null, rows[i][0], dl);
      el('dd', null, rows[i][1], dl);
    }
    help.addEventListener('click', function () { toggle('help', false); });
  })();

  // -------------------------------------------------------------------- jump

  // jump collects digits; Enter goes to that slide, Esc or any other key
  // forgets them.
  var jumpEl = el('div', 'foil-jump', null, doc.body);
  jumpEl.setAttribute('aria-live', 'polite');
  var jump = {
    buf: '',
    digit: function (d) {
      jump.buf = (jump.buf + d).slice(-5);
      jumpEl.textContent = 'Go to ' + jump.buf;
      toggle('jumping', true);
    },
    go: function () {
      var n = Number(jump.buf);
      jump.clear();
      if (n) {
        go(n);
        if (root.classList.contains('overview')) overview(false);
      }
    },
    clear: function () {
      jump.buf = '';
      jumpEl.textContent = '';
      toggle('jumping', false);
    }
  };

  // --------------------------------------------------------- touch, clicks

  // A horizontal swipe of 50px or more moves; a click in the left third of
  // the window goes back, elsewhere forward (not on links, buttons, fields
  // or while text is selected).
  var touch = null;
  doc.addEventListener('touchstart', function (e) {
    touch = e.touches.length === 1 ? { x: e.touches[0].clientX, y: e.touches[0].clientY } : null;
  }, { passive: true });
  doc.addEventListener('touchend', function (e) {
    if (!touch || presenter || root.classList.contains('overview')) return;
    var t = e.changedTouches[0];
    var dx = t.clientX - touch.x;
    var dy = t.clientY - touch.y;
    touch = null;
    if (Math.abs(dx) < 50 || Math.abs(dx) < Math.abs(dy) * 1.5) return;
    e.preventDefault(); // no click after a swipe
    if (dx < 0) actions.next();
    else actions.prev();
  });
  if (deckEl && !presenter) {
    deckEl.addEventListener('click', function (e) {
      if (e.defaultPrevented || e.button !== 0 || root.classList.contains('overview')) return;
      if (e.target.closest('a, button, input, select, textarea, video, audio, summary, [tabindex]')) return;
      var sel = window.getSelection && window.getSelection();
      if (sel && !sel.isCollapsed) return;
      if (e.clientX < window.innerWidth / 3) actions.prev();
      else actions.next();
    });
  }

  // -------------------------------------------------------------------- sync

  // Windows showing the same deck (the audience view and the presenter
  // view) follow each other. BroadcastChannel reaches every window of the
  // deck, from file:// too in Chromium; postMessage to the opener or the
  // opened window covers browsers that give each file:// page its own
  // origin. go() is idempotent, so a message arriving twice is harmless.
  var channelName = 'foil:' + location.pathname.replace(/\/presenter\/?$/, '/').replace(/\/index\.html$/, '/');
  var channel = null;
  var receiving = false;
  var presenterWin = null;
  try {
    channel = new BroadcastChannel(channelName);
    channel.onmessage = function (e) { receive(e.data); };
  } catch (e) {
    channel = null;
  }
  window.addEventListener('message', function (e) {
    if (e.source && (e.source === window.opener || e.source === presenterWin)) receive(e.data);
  });

  function send(msg) {
    if (receiving) return;
    msg.foil = channelName;
    if (channel) channel.postMessage(msg);
    var peers = [window.opener, presenterWin];
    for (var i = 0; i < peers.length; i++) {
      try {
        if (peers[i] && !peers[i].closed) peers[i].postMessage(msg, '*');
      } catch (e) { /* closed meanwhile */ }
    }
  }

  function receive(msg) {
    if (!msg || msg.foil !== channelName) return;
    receiving = true;
    try {
      if (msg.type === 'go') go(msg.n);
      else if (msg.type === 'black') blackout(!!msg.on, false);
    } finally {
      receiving = false;
    }
  }

  onChange(function (n) { send({ type: 'go', n: n }); });

  // openPresenter opens the presenter view in a second window at the
  // current slide (/presenter under foil serve, ?presenter elsewhere).
  function openPresenter() {
    if (presenter) return;
    var live = doc.querySelector('meta[name="foil:live"]');
    var base = live && live.getAttribute('data-presenter') || location.href.split('#')[0].split('?')[0] + '?presenter';
    presenterWin = window.open(base + '#' + (index + 1), 'foil-presenter', 'popup,width=1200,height=760');
  }

  // ------------------------------------------------------------ presenter

  var pv = null; // the presenter view's elements
  var schedule = readSchedule();

  // readSchedule reads the agenda base.html writes as JSON: [{time, minutes,
  // text, slide}], sorted by time.
  function readSchedule() {
    var s = doc.getElementById('foil-schedule');
    if (!s) return [];
    try {
      var v = JSON.parse(s.textContent);
      return Array.isArray(v) ? v.filter(function (it) { return it && typeof it.minutes === 'number'; }) : [];
    } catch (e) {
      return [];
    }
  }

  function now() { return api.now(); }

  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function hhmm(mins) {
    mins = ((Math.round(mins) % 1440) + 1440) % 1440;
    return pad(Math.floor(mins / 60)) + ':' + pad(mins % 60);
  }

  function duration(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var h = Math.floor(s / 3600);
    return (h ? h + ':' + pad(Math.floor(s / 60) % 60) : pad(Math.floor(s / 60))) + ':' + pad(s % 60);
  }

  // timer is the elapsed time: running since start (minus pauses), kept in
  // sessionStorage so a live reload does not reset it.
  var timer = store.get('timer') || { start: 0, paused: 0 };

  function elapsed() {
    if (!timer.start) return 0;
    return (timer.paused || now()) - timer.start;
  }

  function timerToggle() {
    var t = now();
    if (!timer.start) timer = { start: t, paused: 0 };
    else if (timer.paused) timer = { start: t - (timer.paused - timer.start), paused: 0 };
    else timer.paused = t;
    store.set('timer', timer);
    presenterUpdate();
  }

  function timerReset() {
    timer = { start: timer.paused ? 0 : now(), paused: 0 };
    store.set('timer', timer);
    presenterUpdate();
  }

  // stage shows a copy of slide n (0: the end) scaled into box.
  function stage(box, n) {
    box.textContent = '';
    var s = slides[n - 1];
    if (!s) {
      el('div', 'foil-stage-end', n > slides.length ? 'End of the deck' : '', box);
      return;
    }
    var c = s.cloneNode(true);
    c.removeAttribute('id');
    c.classList.add('current');
    box.appendChild(c);
    scaleStage(box);
  }

  function scaleStage(box) {
    box.style.setProperty('--stage', String(box.clientWidth / size.w || 0.1));
  }

  // minutesOfDay is the time t (ms) as minutes after local midnight.
  function minutesOfDay(t) {
    var d = new Date(t);
    return d.getHours() * 60 + d.getMinutes() + d.getSeconds() / 60;
  }

  // pacing compares the clock with the agenda. The current item is the
  // last one whose slide is at or before the current slide. Times shift by
  // the actual start minus the first item's time. Behind: the next item
  // should have started already; ahead: this item was reached before its
  // time; else on time, with the minutes left in this item.
  function pacing(n, startMins) {
    var items = schedule;
    if (!items.length) return null;
    var cur = -1;
    for (var i = 0; i < items.length; i++) {
      if (items[i].slide && items[i].slide <= n) cur = i;
    }
    if (cur < 0) return { item: null, state: 'before', text: 'before the agenda' };
    var shift = startMins - items[0].minutes;
    var t = minutesOfDay(now());
    var wrap = function (d) { return d > 720 ? d - 1440 : d < -720 ? d + 1440 : d; };
    var item = items[cur];
    var next = items[cur + 1];
    var late = next ? wrap(t - (next.minutes + shift)) : 0;
    var early = wrap(item.minutes + shift - t);
    // Hours off means the start time is not set (or it is another day):
    // say so rather than "566 min behind".
    if (Math.abs(late) > 180 || Math.abs(early) > 180) {
      return { item: item, state: 'off', text: 'set the start time to see the pace' };
    }
    if (next && late >= 1) return { item: item, state: 'behind', text: Math.round(late) + ' min behind' };
    if (early >= 1) return { item: item, state: 'ahead', text: Math.round(early) + ' min ahead' };
    if (next) return { item: item, state: 'on-time', text: 'on time · ' + Math.max(0, Math.round(-late)) + ' min left' };
    return { item: item, state: 'on-time', text: 'on time' };
  }

  function startMinutes() {
    var v = pv && pv.start.value;
    var m = /^(\d{1,2}):(\d{2})/.exec(v || '');
    return m ? Number(m[1]) * 60 + Number(m[2]) : schedule.length ? schedule[0].minutes : minutesOfDay(now());
  }

  function button(label, parent, fn) {
    var b = el('button', null, label, parent);
    b.type = 'button';
    b.addEventListener('click', fn);
    return b;
  }

  function buildPresenter() {
    var p = el('div', 'foil-presenter', null, doc.body);
    pv = {};
    var cur = el('section', 'foil-p-current', null, p);
    cur.setAttribute('aria-label', 'Current slide');
    pv.current = el('div', 'foil-stage', null, cur);
    var side = el('div', 'foil-p-side', null, p);
    var nx = el('section', 'foil-p-next', null, side);
    el('h2', 'foil-p-label', 'Next', nx);
    pv.next = el('div', 'foil-stage', null, nx);
    var notes = el('section', 'foil-p-notes', null, side);
    el('h2', 'foil-p-label', 'Notes', notes);
    pv.notes = el('div', 'foil-notes', null, notes);
    var bar = el('div', 'foil-p-bar', null, p);
    pv.position = el('span', 'foil-p-position', null, bar);
    var tm = el('span', 'foil-p-timer', null, bar);
    pv.elapsed = el('span', 'foil-elapsed', null, tm);
    pv.pause = button('Pause', tm, timerToggle);
    button('Reset', tm, timerReset);
    pv.clock = el('span', 'foil-clock', null, bar);
    pv.black = el('span', 'foil-p-black', 'Audience blacked out', bar);
    if (schedule.length) {
      var pace = el('div', 'foil-pacing', null, bar);
      var lab = el('label', 'foil-pacing-start', 'Started at ', pace);
      pv.start = el('input', null, null, lab);
      pv.start.type = 'time';
      pv.start.value = store.get('start') || hhmm(schedule[0].minutes);
      pv.start.addEventListener('change', function () {
        store.set('start', pv.start.value);
        presenterUpdate();
      });
      pv.item = el('span', 'foil-pacing-item', null, pace);
      pv.delta = el('span', 'foil-pacing-delta', null, pace);
    }
    if (!timer.start) timerToggle();
    doc.title = 'Presenter · ' + doc.title;
    window.addEventListener('resize', function () {
      scaleStage(pv.current);
      scaleStage(pv.next);
    });
    setInterval(presenterUpdate, 1000);
  }

  // presenterUpdate redraws the clocks and the pacing line.
  function presenterUpdate() {
    if (!pv) return;
    var n = index + 1;
    pv.position.textContent = 'Slide ' + n + ' of ' + slides.length;
    pv.elapsed.textContent = duration(elapsed());
    pv.pause.textContent = !timer.start || timer.paused ? 'Start' : 'Pause';
    var d = new Date(now());
    pv.clock.textContent = pad(d.getHours()) + ':' + pad(d.getMinutes());
    pv.black.hidden = !root.classList.contains('blackout');
    if (pv.start) {
      var p = pacing(n, startMinutes());
      pv.item.textContent = p.item ? p.item.time + ' ' + p.item.text : '';
      pv.delta.textContent = p.text;
      pv.delta.setAttribute('data-state', p.state);
    }
  }

  function presenterShow(n) {
    stage(pv.current, n);
    stage(pv.next, n + 1);
    pv.notes.textContent = '';
    var a = slides[n - 1] && slides[n - 1].querySelector('aside.notes');
    if (a) {
      for (var c = a.firstChild; c; c = c.nextSibling) pv.notes.appendChild(c.cloneNode(true));
    } else {
      el('p', 'foil-no-notes', 'No notes for this slide.', pv.notes);
    }
    presenterUpdate();
  }

  // ----------------------------------------------------------- live reload

  // Under `foil serve` the server adds <meta name="foil:live"
  // content="/_foil/events" data-version="…"> and allows connect-src 'self'.
  // Its events carry the deck's current version and build error: a new
  // version reloads the page (the hash keeps the slide), an error shows
  // over the last good deck until the next good save.
  function liveReload() {
    var meta = doc.querySelector('meta[name="foil:live"]');
    if (!meta || typeof EventSource === 'undefined') return;
    var version = meta.getAttribute('data-version');
    var overlay = null;
    var es = new EventSource(meta.getAttribute('content'));
    es.addEventListener('state', function (e) {
      var s;
      try { s = JSON.parse(e.data); } catch (err) { return; }
      if (s.error) {
        if (!overlay) {
          overlay = el('div', 'foil-error', null, doc.body);
          overlay.setAttribute('role', 'alert');
          el('h2', null, 'The deck does not build', overlay);
          el('pre', null, null, overlay);
          el('p', null, 'Showing the last good version. Save a fix to reload.', overlay);
        }
        overlay.querySelector('pre').textContent = s.error;
        return;
      }
      if (overlay) {
        overlay.remove();
        overlay = null;
      }
      if (s.version && s.version !== version) {
        es.close();
        location.reload();
      }
    });
  }

  // ------------------------------------------------------------------ start

  window.addEventListener('resize', fit);
  window.addEventListener('hashchange', onHash);
  doc.addEventListener('keydown', onKey);

  api.go = go;
  api.current = function () { return index + 1; };
  api.total = function () { return slides.length; };
  api.presenter = presenter;
  // now is the clock of the presenter view and its pacing, in ms since the
  // epoch; tests replace it and call tick() to redraw.
  api.now = function () { return Date.now(); };
  api.tick = function () { presenterUpdate(); };
  window.foil = api;

  if (presenter) {
    buildPresenter();
    onChange(presenterShow);
  }
  fit();
  go(slideFromHash() || 1);
  liveReload();
})();
