// browser_check measures one page of a book in Chromium (browser_test.go):
// css is a reading system's stylesheet to add ("" for none), layout whether
// to check the layout as well as the colours. It returns a JSON
// report: words broken inside, things wider than the screen, code
// continuations that do not hang, and texts under 4.5:1 on their effective
// background, with the lowest contrast seen.
async (css, layout) => {
  if (css) {
    const s = document.createElementNS("http://www.w3.org/1999/xhtml", "style");
    s.textContent = css;
    (document.head || document.documentElement).appendChild(s);
  }
  await document.fonts.ready;
  const W = document.documentElement.clientWidth;
  const out = { broken: [], overflow: [], hang: [], lowContrast: [], minContrast: 1e9, texts: 0, pageWidth: W };

  const parse = (c) => {
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const blend = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const hex = (c) => "#" + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  const desc = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      parts.unshift(e.localName + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : ""));
    }
    return parts.join(" > ");
  };

  // The canvas: what the browser paints under a page that sets no background.
  const probe = document.createElementNS("http://www.w3.org/1999/xhtml", "div");
  probe.style.backgroundColor = "Canvas";
  document.body.appendChild(probe);
  const canvas = parse(getComputedStyle(probe).backgroundColor);
  probe.remove();

  // background returns an element's effective background: its own and its
  // ancestors', composed over the canvas.
  const backgrounds = new Map();
  const background = (el) => {
    if (backgrounds.has(el)) return backgrounds.get(el);
    const bg = compose(el);
    backgrounds.set(el, bg);
    return bg;
  };
  const compose = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) break;
      }
    }
    let bg = canvas;
    for (let i = layers.length - 1; i >= 0; i--) bg = blend(layers[i], bg);
    return bg;
  };

  const range = document.createRange();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode()); ) {
    if (!/\S/.test(n.data)) continue;
    const el = n.parentElement;
    if (!el || el.closest("[hidden], annotation, annotation-xml, title, style")) continue;
    if (el.getClientRects().length === 0) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === "hidden") continue;
    out.texts++;

    const bg = background(el);
    const fg = blend(parse(cs.color), bg);
    const c = ratio(fg, bg);
    out.minContrast = Math.min(out.minContrast, c);
    if (c < 4.5 && out.lowContrast.length < 20) {
      out.lowContrast.push(`${c.toFixed(2)}:1, ${hex(fg)} on ${hex(bg)}: ${desc(el)} "${n.data.trim().slice(0, 40)}"`);
    }

    // Words: never broken inside, unless wider than any line.
    if (!layout || el.closest("pre, math")) continue;
    const re = /\S+/g;
    for (let m; (m = re.exec(n.data)); ) {
      range.setStart(n, m.index);
      range.setEnd(n, m.index + m[0].length);
      const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0.5);
      if (new Set(rects.map((r) => Math.round(r.bottom))).size < 2) continue;
      const box = el.closest("p, li, td, th, h1, h2, h3, h4, h5, h6, figcaption, blockquote, dd, dt, div, section, aside, nav") || document.body;
      const bs = getComputedStyle(box);
      const avail = box.clientWidth - parseFloat(bs.paddingLeft) - parseFloat(bs.paddingRight);
      const width = rects.reduce((s, r) => s + r.width, 0);
      if (width > avail) continue;
      let prev = null;
      for (let i = 0; i < m[0].length; i++) {
        range.setStart(n, m.index + i);
        range.setEnd(n, m.index + i + 1);
        const r = range.getBoundingClientRect();
        if (r.width === 0) continue;
        // Prose breaks after a hyphen, a dash or a slash, and before a
        // dash; Chinese and Japanese next to an ideograph or a kana; code
        // also between tokens, at any character that is not a letter or
        // digit.
        const alnum = /[\p{L}\p{N}_]/u;
        const cjk = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u3000-\u303f\uff00-\uffef]/u;
        const between = /[-\u2010\u2013\u2014\/]/.test(m[0][i - 1]) || /[\u2013\u2014]/.test(m[0][i]) ||
          cjk.test(m[0][i - 1]) || cjk.test(m[0][i]) ||
          (el.closest("code, kbd, samp") && (!alnum.test(m[0][i - 1]) || !alnum.test(m[0][i])));
        if (prev !== null && Math.abs(r.bottom - prev) > 2 && !between) {
          if (out.broken.length < 20) out.broken.push(`"${m[0].slice(0, i)}/${m[0].slice(i)}" in ${desc(el)} (${Math.round(width)} of ${Math.round(avail)} px)`);
          break;
        }
        prev = r.bottom;
      }
    }
  }

  if (out.texts === 0) out.minContrast = 0;
  if (!layout) return JSON.stringify(out);

  // Nothing wider than the screen; a table that does not fit scrolls in
  // its container.
  const sw = document.documentElement.scrollWidth;
  if (sw > W + 1) out.overflow.push(`the page is ${sw} px wide`);
  for (const t of document.querySelectorAll("table")) {
    const wrap = t.parentElement;
    const scrolls = wrap && /auto|scroll/.test(getComputedStyle(wrap).overflowX);
    const r = t.getBoundingClientRect();
    if (!scrolls && r.right > W + 1) out.overflow.push(`table ${Math.round(r.width)} px wide, not in a scroll container`);
    if (scrolls && wrap.getBoundingClientRect().right > W + 1) out.overflow.push(`a table's container reaches ${Math.round(wrap.getBoundingClientRect().right)} px`);
  }
  for (const p of document.querySelectorAll("pre")) {
    if (p.scrollWidth > p.clientWidth + 1) out.overflow.push(`code ${p.scrollWidth} px wide in a ${p.clientWidth} px box: "${p.textContent.trim().slice(0, 40)}"`);
  }
  for (const e of document.querySelectorAll("img, svg, figure, math")) {
    const r = e.getBoundingClientRect();
    if (r.right > W + 1 && !e.closest("div.table-wrap")) out.overflow.push(`${desc(e)} reaches ${Math.round(r.right)} px`);
  }

  // A wrapped code line goes on past its own indentation.
  for (const l of document.querySelectorAll("pre .cl")) {
    range.selectNodeContents(l);
    const rs = Array.from(range.getClientRects()).filter((r) => r.width > 0.5);
    const lines = new Map();
    for (const r of rs) {
      const k = Math.round(r.bottom);
      lines.set(k, Math.min(lines.has(k) ? lines.get(k) : 1e9, r.left));
    }
    if (lines.size < 2) continue;
    const lefts = Array.from(lines.entries()).sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    const box = l.getBoundingClientRect().left + parseFloat(getComputedStyle(l).paddingLeft);
    const cont = Math.min(...lefts.slice(1));
    if (cont < box - 1 && out.hang.length < 20) out.hang.push(`continuation at ${Math.round(cont)} px, hang at ${Math.round(box)} px: "${l.textContent.trim().slice(0, 50)}"`);
  }
  return JSON.stringify(out);
}
