// fit.js: shrinks the body of slides marked "fit" (<!-- fit --> on a slide,
// fit: true in the front matter) until it fits the slide's safe area, the
// canvas minus its padding. Only the body shrinks: the title, footer and page
// number keep their size, so a fitted slide still looks like its neighbours.
//
// It sets CSS zoom on the slide's body elements (its children but .title,
// .footer, .pageno and .notes), which scales type, gaps and images alike and
// changes layout (unlike transform), and binary-searches the largest zoom in
// [FLOOR, 1] that fits, to 0.01. Below FLOOR text gets too small to read
// from the back of a room (0.6 takes 30px body text to 18px, dense slides'
// 21px to 13px), so the slide stays at FLOOR and `foil check` reports what
// still overflows. Elements positioned absolutely are held to the whole
// canvas instead of the safe area (a full-bleed image is meant to reach the
// edges).
//
// It runs at once (the script stands at the end of <body>), again when the
// fonts are ready and on load (images change the layout). <html
// data-fitted> is "false" from the start and "true" when done: PDF and PNG
// export wait for "true" when the attribute is there. Each slide gets
// data-fit: the zoom used ("1" when it fitted as it was).
(function () {
  'use strict';

  var FLOOR = 0.6;
  var doc = document;
  var root = doc.documentElement;
  var chrome = ['title', 'footer', 'pageno', 'notes'];

  function slidesToFit() {
    return Array.prototype.slice.call(doc.querySelectorAll('main.deck > section.slide.fit'));
  }

  // body returns the elements fit zooms: the slide's children but its chrome.
  function body(slide) {
    return Array.prototype.filter.call(slide.children, function (c) {
      return !chrome.some(function (name) { return c.classList.contains(name); });
    });
  }

  // fits reports whether everything in the slide's body stays in the safe
  // area (absolutely positioned elements: in the canvas) and no clipping
  // container inside it hides content.
  function fits(slide, parts) {
    var r = slide.getBoundingClientRect();
    var scale = slide.offsetWidth ? r.width / slide.offsetWidth : 1; // on screen the canvas is transformed
    var cs = getComputedStyle(slide);
    var safe = {
      left: r.left + parseFloat(cs.paddingLeft) * scale,
      top: r.top + parseFloat(cs.paddingTop) * scale,
      right: r.right - parseFloat(cs.paddingRight) * scale,
      bottom: r.bottom - parseFloat(cs.paddingBottom) * scale
    };
    var slack = 0.5 * scale;
    for (var i = 0; i < parts.length; i++) {
      var els = [parts[i]].concat(Array.prototype.slice.call(parts[i].querySelectorAll('*')));
      for (var j = 0; j < els.length; j++) {
        var e = els[j];
        var b = e.getBoundingClientRect();
        if (b.width === 0 && b.height === 0) continue;
        var st = getComputedStyle(e);
        var box = st.position === 'absolute' || st.position === 'fixed' ? r : safe;
        if (b.bottom > box.bottom + slack || b.right > box.right + slack ||
            b.top < box.top - slack || b.left < box.left - slack) return false;
        if (e instanceof HTMLElement && (st.overflowY !== 'visible' || st.overflowX !== 'visible') &&
            (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)) return false;
      }
    }
    return true;
  }

  function setZoom(parts, z) {
    for (var i = 0; i < parts.length; i++) parts[i].style.zoom = z === 1 ? '' : String(z);
  }

  function fitSlide(slide) {
    // Slides not on show are display:none on screen; lay this one out for
    // the measurement, in the same task, so nothing paints in between.
    var hidden = getComputedStyle(slide).display === 'none';
    if (hidden) {
      slide.style.visibility = 'hidden';
      slide.style.display = 'flex';
    }
    var parts = body(slide);
    setZoom(parts, 1);
    var z = 1;
    if (!fits(slide, parts)) {
      setZoom(parts, FLOOR);
      if (!fits(slide, parts)) {
        z = FLOOR;
      } else {
        var lo = FLOOR, hi = 1; // fits at lo, not at hi
        while (hi - lo > 0.01) {
          var mid = (lo + hi) / 2;
          setZoom(parts, mid);
          if (fits(slide, parts)) lo = mid; else hi = mid;
        }
        z = Math.floor(lo * 100) / 100;
      }
      setZoom(parts, z);
    }
    slide.setAttribute('data-fit', String(z));
    if (hidden) {
      slide.style.display = '';
      slide.style.visibility = '';
    }
  }

  function fitAll() {
    slidesToFit().forEach(fitSlide);
  }

  root.setAttribute('data-fitted', 'false');
  fitAll();
  var fonts = doc.fonts && doc.fonts.ready ? doc.fonts.ready : Promise.resolve();
  var loaded = doc.readyState === 'complete' ? Promise.resolve() : new Promise(function (resolve) {
    window.addEventListener('load', resolve, { once: true });
  });
  Promise.all([fonts, loaded]).then(function () {
    fitAll();
    root.setAttribute('data-fitted', 'true');
  });
})();
