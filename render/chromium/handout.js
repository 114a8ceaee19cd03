// handout.js: lays the loaded deck out as a handout, the slides with their
// speaker notes on paper, for Browser.Handout. Called as a function of
// (perPage, paperWidthMM, paperHeightMM); moves every section.slide and its
// aside.notes into .handout-page > .handout-item (styled by the deck's
// handout.css), sizes the slides and the page, and returns the numbers of
// the slides whose notes do not fit their box even in smaller type.
(perPage, paperW, paperH) => {
  "use strict";
  const doc = document, root = doc.documentElement;
  const px = 96 / 25.4; // CSS px per mm
  const meta = doc.querySelector('meta[name="foil:size"]');
  const [w, h] = (meta ? meta.content : "1280x720").split("x").map(Number);
  let slides = [...doc.querySelectorAll("main.deck > section.slide")];
  if (!slides.length) slides = [...doc.querySelectorAll("section.slide")];

  // The slide's frame in mm: page padding 14mm a side, 12mm top and
  // bottom, a head line of ~7mm, gaps of 5mm and 7mm between items.
  const cw = paperW - 28, ch = paperH - 24 - 7 - 5;
  const row = (ch - 7 * (perPage - 1)) / perPage;
  let fw; // frame width, mm
  switch (perPage) {
    case 1: fw = cw; break;                                   // notes under, full width
    case 2: fw = Math.min(cw, row * 0.6 * w / h); break;      // notes under: 60% of the row for the slide
    default: fw = Math.min(cw * 0.56, row * w / h); break;    // notes beside
  }
  const zoom = fw * px / w;

  root.classList.add("handout", "handout-" + perPage);
  root.style.setProperty("--paper-w", paperW + "mm");
  root.style.setProperty("--paper-h", paperH + "mm");
  root.style.setProperty("--hz", String(zoom));
  const page = doc.createElement("style");
  page.textContent = "@page{size:" + paperW + "mm " + paperH + "mm;margin:0}";
  doc.head.appendChild(page);

  const el = (tag, cls, parent) => {
    const e = doc.createElement(tag);
    e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  };
  const book = el("div", "handout-book");
  const pages = Math.ceil(slides.length / perPage);
  const title = doc.title;
  const items = [];
  for (let i = 0; i < slides.length; i++) {
    let pg;
    if (i % perPage === 0) {
      pg = el("div", "handout-page", book);
      const head = el("header", "handout-head", pg);
      el("span", "handout-title", head).textContent = title;
      el("span", "handout-pageno", head).textContent = (i / perPage + 1) + " / " + pages;
      el("div", "handout-items", pg);
    }
    const list = book.lastChild.querySelector(".handout-items");
    const item = el("div", "handout-item", list);
    const frame = el("div", "handout-frame", item);
    const s = slides[i];
    const notes = s.querySelector(":scope > aside.notes");
    frame.appendChild(s);
    const box = el("div", "handout-notes", item);
    if (notes && notes.textContent.trim()) box.appendChild(notes);
    else el("div", "handout-lines", box);
    items.push({ s, box });
  }
  doc.body.appendChild(book);

  // Notes too long for their box: smaller type, down to 7.5pt, then give up
  // and say so.
  const cut = [];
  for (const { s, box } of items) {
    let size = parseFloat(getComputedStyle(box).fontSize) * 72 / 96; // pt
    while (box.scrollHeight > box.clientHeight + 1 && size > 7.5) {
      size -= 0.5;
      box.style.fontSize = size + "pt";
    }
    if (box.scrollHeight > box.clientHeight + 1) {
      const m = /^slide-(\d+)$/.exec(s.id);
      cut.push(m ? Number(m[1]) : slides.indexOf(s) + 1);
    }
  }
  return cut;
}
