// measure.js: finds what a reader of the printed deck would miss. Evaluated
// by Browser.Measure in a page laid out for print (every slide one canvas),
// after fonts, images and fit.js. Returns JSON (see measure.go):
// {slides, overflows: [...], glyphs: [...], images: [...]}.
(() => {
  "use strict";
  const slack = 1; // px: sub-pixel rounding and anti-aliasing never count

  let slides = [...document.querySelectorAll("main.deck > section.slide")];
  if (!slides.length) slides = [...document.querySelectorAll("section.slide")];

  // path names an element the way a stylesheet would, from its slide down,
  // keeping the last three steps: "div.content > ul > li:nth-child(9)".
  function path(e, slide) {
    const steps = [];
    for (; e && e !== slide && steps.length < 3; e = e.parentElement) {
      let s = e.localName;
      const cls = typeof e.className === "string" ? e.className.trim().split(/\s+/)[0] : "";
      if (cls) s += "." + cls;
      const p = e.parentElement;
      if (p && [...p.children].filter(c => c.localName === e.localName).length > 1) {
        s += ":nth-child(" + ([...p.children].indexOf(e) + 1) + ")";
      }
      steps.unshift(s);
    }
    return steps.join(" > ");
  }

  function inNotes(e, slide) {
    for (; e && e !== slide; e = e.parentElement) {
      if (e.classList && e.classList.contains("notes")) return true;
    }
    return false;
  }

  // clipOf is the visible box of an element's content: the slide's box cut
  // by every clipping ancestor's padding box (overflow other than visible,
  // and nested <svg>, which clips to its viewport).
  const clips = new Map();
  function clipOf(e, slide) {
    if (e === slide) {
      const r = slide.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }
    if (clips.has(e)) return clips.get(e);
    const up = clipOf(e.parentElement, slide);
    let c = up;
    const st = getComputedStyle(e);
    if (st.overflowX !== "visible" || st.overflowY !== "visible") {
      const r = e.getBoundingClientRect();
      const left = r.left + e.clientLeft, top = r.top + e.clientTop;
      const right = e.clientWidth ? left + e.clientWidth : r.right;
      const bottom = e.clientHeight ? top + e.clientHeight : r.bottom;
      c = {
        left: Math.max(up.left, left), top: Math.max(up.top, top),
        right: Math.min(up.right, right), bottom: Math.min(up.bottom, bottom)
      };
    }
    clips.set(e, c);
    return c;
  }

  // excess is how far box b sticks out of clip c, and on which side.
  function excess(b, c) {
    const sides = [["bottom", b.bottom - c.bottom], ["right", b.right - c.right],
      ["top", c.top - b.top], ["left", c.left - b.left]];
    return sides.reduce((m, s) => s[1] > m[1] ? s : m);
  }

  function block(e, slide) {
    while (e.parentElement && e.parentElement !== slide) {
      const d = getComputedStyle(e).display;
      if (d !== "inline" && d !== "contents") break;
      e = e.parentElement;
    }
    return e;
  }

  const overflows = [];
  const glyphs = [];
  const images = [];

  // tofu reports whether character ch, set in the font of style st, is
  // drawn as the missing-glyph box: same advance and same pixels as
  // U+10FFFD (supplementary private use, which no font we know of has).
  // CSS.getPlatformFontsForNode cannot tell: it counts a missing glyph as
  // one of the first font's (measured: U+E000 in "Noto Sans" reported as 1
  // glyph of NotoSans-Regular).
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const tofuCache = new Map();
  const ref = String.fromCodePoint(0x10fffd);
  function draw(font, ch) {
    ctx.font = font;
    ctx.clearRect(0, 0, 64, 64);
    ctx.fillStyle = "#000";
    ctx.textBaseline = "alphabetic";
    ctx.fillText(ch, 8, 44);
    return { width: ctx.measureText(ch).width, data: ctx.getImageData(0, 0, 64, 64).data };
  }
  function tofu(st, ch) {
    const font = st.fontStyle + " " + st.fontWeight + " 32px " + st.fontFamily;
    const key = font + "\u0000" + ch;
    if (tofuCache.has(key)) return tofuCache.get(key);
    let missing = false;
    const a = draw(font, ch), b = draw(font, ref);
    if (Math.abs(a.width - b.width) < 0.01) {
      missing = true;
      for (let i = 3; i < a.data.length; i += 4) {
        if (a.data[i] !== b.data[i]) { missing = false; break; }
      }
    }
    tofuCache.set(key, missing);
    return missing;
  }
  // Characters that are not drawn on their own: controls, format
  // characters (ZWJ), marks (variation selectors, combining accents) and
  // white space. ASCII is in every font we set.
  const skip = /[\p{Cc}\p{Cf}\p{M}\p{Z}\s]/u;

  slides.forEach((slide, i) => {
    const m = /^slide-(\d+)$/.exec(slide.id);
    const number = m ? Number(m[1]) : i + 1;
    const line = Number(slide.getAttribute("data-line")) || 0;
    const fit = slide.hasAttribute("data-fit") ? Number(slide.getAttribute("data-fit")) : 0;

    // Overflow: elements and lines of text outside their visible box.
    const hits = []; // {el, px, side}
    const els = slide.querySelectorAll("*");
    for (const e of els) {
      if (inNotes(e, slide)) continue;
      const st = getComputedStyle(e);
      if (st.display === "none" || st.visibility === "hidden") continue;
      const b = e.getBoundingClientRect();
      if (b.width > 0 || b.height > 0) {
        const [side, px] = excess(b, clipOf(e.parentElement, slide));
        if (px > slack) hits.push({ el: e, px, side });
      }
    }
    const walker = document.createTreeWalker(slide, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let t = walker.nextNode(); t; t = walker.nextNode()) {
      const p = t.parentElement;
      if (!p || !t.data.trim() || inNotes(p, slide)) continue;
      const st = getComputedStyle(p);
      if (st.visibility === "hidden") continue;
      range.selectNodeContents(t);
      const c = clipOf(p, slide);
      // A line's rect is the font's content area, taller than the em box
      // its glyphs are drawn in; with a tight line-height it sticks out of
      // a clipping line box that shows every glyph whole (measured: 4px
      // each side for a 20px footer at line-height 1). Compare the em box.
      const em = parseFloat(st.fontSize) || 0;
      for (const r of range.getClientRects()) {
        if (r.width === 0 && r.height === 0) continue;
        const inset = Math.max(0, (r.height - em) / 2);
        const b = { left: r.left, right: r.right, top: r.top + inset, bottom: r.bottom - inset };
        const [side, px] = excess(b, c);
        if (px > slack) hits.push({ el: p, px, side });
      }
      // Glyphs with no font.
      const seen = new Set();
      for (const ch of t.data) {
        if (ch.codePointAt(0) < 0x80 || skip.test(ch) || seen.has(ch)) continue;
        seen.add(ch);
        if (st.display !== "none" && tofu(st, ch)) {
          glyphs.push({
            slide: number, line, char: ch.codePointAt(0),
            element: path(block(p, slide), slide), font: st.fontFamily,
            text: t.data.trim().slice(0, 60)
          });
        }
      }
    }
    if (hits.length) {
      // The worst: the largest excess. The element named: the first one cut
      // (in document order) that holds no other cut element, as a block.
      const worst = hits.reduce((a, b) => b.px > a.px ? b : a);
      const cut = new Set(hits.map(h => h.el));
      const leaf = [...cut].filter(e => ![...cut].some(o => o !== e && e.contains(o)));
      leaf.sort((a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1);
      const first = block(leaf[0], slide);
      overflows.push({
        slide: number, line, px: Math.ceil(worst.px), side: worst.side,
        element: path(first, slide), worst: path(block(worst.el, slide), slide), fit
      });
    }

    // Images that did not load or decode.
    for (const img of slide.querySelectorAll("img")) {
      if (inNotes(img, slide)) continue;
      if (img.complete && img.naturalWidth === 0) {
        const src = img.getAttribute("src") || "";
        images.push({
          slide: number, line, element: path(img, slide),
          src: src.startsWith("data:") ? src.slice(0, 40) + "…" : src, alt: img.alt
        });
      }
    }
  });
  return { slides: slides.length, overflows, glyphs, images };
})()
