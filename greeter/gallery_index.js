(function () {
  var root = document.documentElement;
  root.classList.add("js");
  var main = document.querySelector("main");
  var toolbar = document.querySelector(".toolbar");
  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  var folds = Array.prototype.slice.call(document.querySelectorAll(".folded"));  // skips counted, not carded
  var page = main.getAttribute("data-page") || "index.html";  // where a letter's back link returns
  var days = Array.prototype.slice.call(document.querySelectorAll(".day, .group"));
  var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("no-match");
  var counts = {};
  buttons.forEach(function (b) { counts[b.getAttribute("data-filter")] = +b.getAttribute("data-count"); });
  var keys = cards.map(function (c) { return c.getAttribute("data-search"); });
  var sectionOf = [];  // each card's day (sections and the cards in them are in document order)
  days.forEach(function (d, k) { d.querySelectorAll(".card").forEach(function () { sectionOf.push(k); }); });
  var miss = cards.map(function () { return false; });  // hidden by the search (the filter is CSS)
  var filter = "all", lastQ = "", timer = 0;
  function norm(s) { return s.toLowerCase().replace(/ё/g, "е").trim(); }
  function fits(c) {
    return filter === "all" || c.getAttribute("data-status") === filter ||
           c.getAttribute("data-approval") === filter;
  }
  function state(q) { return "f=" + filter + (q ? "&q=" + encodeURIComponent(q) : ""); }
  function apply(save) {
    var q = norm(search.value), n = 0, i, c, m, seen = days.map(function () { return false; });
    main.setAttribute("data-show", filter);  // one attribute: the rules of _filter_rules() hide the rest
    for (i = 0; i < cards.length; i++) {
      m = !!q && keys[i].indexOf(q) < 0;
      if (m !== miss[i]) { miss[i] = m; cards[i].hidden = m; }  // only the cards that change
      if (q && !m && fits(cards[i])) { n++; seen[sectionOf[i]] = true; }
    }
    if (!q) { n = counts[filter] || 0; }
    days.forEach(function (d, k) {
      var h = !!q && !seen[k];
      if (d.hidden !== h) { d.hidden = h; }
    });
    folds.forEach(function (f) { if (f.hidden !== !!q) { f.hidden = !!q; } });  // names not searchable here
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-filter") === filter));
    });
    // Back to «All», the status says so (emptied, it went silent); on opening the page it says nothing.
    c = filter === "all" && !q
      ? (shown.textContent ? "Показаны все {n}".replace("{n}", counts.all || 0) : "")
      : "Показано " + n + " из " + (counts.all || 0);
    if (shown.textContent !== c) { shown.textContent = c; }
    empty.hidden = n > 0 || !counts.all;
    lastQ = q;
    if (save && window.history && history.replaceState) {
      var h = filter === "all" && !q ? location.pathname : "#" + state(q);
      try { history.replaceState(null, "", h); } catch (e) { /* some file:// setups refuse */ }
    }
  }
  // The toolbar is pinned: what a link or a fragment scrolls to must land below it, however many
  // rows it wraps to (the stylesheet's value is the fallback until this runs).
  function pad() {
    var pinned = getComputedStyle(toolbar).position === "sticky";
    root.style.setProperty("--toolbar-h", (pinned ? toolbar.offsetHeight : 0) + "px");
  }
  // A letter's page keeps the view it was opened from: its back link comes back to it.
  main.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a[href*='drafts/']");
    var p = page === "index.html" ? "" : "&p=" + page;
    if (a) { a.setAttribute("href", a.getAttribute("href").split("#")[0] + "#from=" + state(lastQ) + p); }
  }, true);
  var m = /^#f=(\w+)(?:&q=([^&]*))?(?:&card=(\d+))?$/.exec(location.hash), back = null;
  if (m) {
    filter = m[1];
    // A malformed escape (a hand-edited link: %E0%A4%A) threw here and left the page unwired.
    try { search.value = m[2] ? decodeURIComponent(m[2]) : ""; } catch (err) { search.value = ""; }
    back = m[3] ? document.getElementById("card-" + m[3]) : null;
  }
  buttons.forEach(function (b) {
    b.addEventListener("click", function () { filter = b.getAttribute("data-filter"); apply(true); });
  });
  // Debounced: on a big gallery each pass costs, and a word is typed a letter at a time.
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { apply(true); }, 150);
  });
  // "/" goes to the search: the key where a US keyboard has "/" (e.code: a Russian layout types "."
  // there, and e.key never said "/"), or a "/" typed elsewhere (Shift+7 in German). Never with
  // Ctrl, Alt or Meta (the browser's and the screen reader's shortcuts), nor while typing in a
  // field, where "/" is a character (WCAG 2.1.4).
  function typing(el) {
    return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  document.addEventListener("keydown", function (e) {
    var slash = (e.code === "Slash" && !e.shiftKey) || e.key === "/";
    if (!slash || e.ctrlKey || e.altKey || e.metaKey || e.isComposing || e.defaultPrevented) { return; }
    if (typing(document.activeElement)) { return; }
    e.preventDefault();
    search.focus();
  });
  window.addEventListener("resize", pad);
  pad();
  apply(!!back);
  if (back) {
    back.classList.add("returned");
    var link = back.querySelector("a");
    if (link) { link.focus(); } else { back.scrollIntoView(); }
  }
})();
