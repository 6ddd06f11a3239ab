// The script of bindery serve's pages. It listens for the builds of the
// book and reloads the page when it changed, keeping the reader's place;
// a new stylesheet is swapped in without a reload.
(() => {
  "use strict";
  const meta = (name) => {
    const m = document.querySelector(`meta[name="${name}"]`);
    return m ? m.getAttribute("content") : null;
  };
  const page = meta("bindery-page");
  const rev = meta("bindery-rev");
  let style = meta("bindery-style");

  // The overlays close with their button, until the page changes.
  document.addEventListener("click", (e) => {
    if (e.target instanceof Element && e.target.matches(".bindery-close")) {
      const aside = e.target.closest("aside");
      if (aside) aside.hidden = true;
    }
  });
  if (page === null || rev === null) return;

  // Back where the reader was before a reload.
  const key = "bindery-place " + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const [x, y] = JSON.parse(saved);
    const restore = () => window.scrollTo(x, y);
    restore();
    window.addEventListener("load", restore, { once: true });
  }

  let reloading = false;
  const reload = () => {
    if (reloading) return;
    reloading = true;
    sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  };

  // A new stylesheet: the new one is added, and the old one removed once
  // the new one applies, so nothing moves in between.
  const swapStyle = (to) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.getAttribute("href") || "", location.href);
      if (url.pathname !== "/style.css") continue;
      url.searchParams.set("v", to);
      const next = link.cloneNode();
      next.setAttribute("href", url.pathname + url.search);
      next.addEventListener("load", () => link.remove(), { once: true });
      link.after(next);
    }
  };

  // The root element says whether the page listens: "open" or "closed".
  const events = new EventSource("/_bindery/events");
  const state = (s) => () => document.documentElement.setAttribute("data-bindery-live", s);
  events.addEventListener("open", state("open"));
  events.addEventListener("error", state("closed"));
  events.addEventListener("build", (e) => {
    const m = JSON.parse(e.data);
    const now = m.pages[page];
    // A page that went away reloads to say so; one that comes back (rev
    // is then "") reloads to show.
    if (now === undefined ? rev !== "" : now !== rev) {
      reload();
      return;
    }
    if (style !== null && m.style !== style) {
      style = m.style;
      swapStyle(style);
    }
  });
})();
