(function () {
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe.letter"));
  function fit(f) {
    var d = f.contentDocument;
    if (!d || !d.documentElement || !d.body) { return; }
    f.style.height = "0px";
    f.style.height = (d.documentElement.scrollHeight + f.offsetHeight) + "px";
  }
  frames.forEach(function (f) {
    f.addEventListener("load", function () { fit(f); });
    if (f.contentDocument && f.contentDocument.readyState === "complete") { fit(f); }
  });
  window.addEventListener("resize", function () { frames.forEach(fit); });
})();

(function () {
  // p: the page the letter was opened from (a big gallery's day page), only a name the gallery writes
  var m = /^#from=(f=\w+(?:&q=[^&#]*)?)(?:&p=(days\/[\d-]+\.html|errors\.html))?$/.exec(location.hash);
  var a = document.querySelector("a[data-card]");
  if (m && a) {
    var back = a.getAttribute("data-up") + (m[2] || "index.html");
    a.setAttribute("href", back + "#" + m[1] + "&card=" + a.getAttribute("data-card"));
    // the letters before and after keep the view too: their back links return to the same page
    document.querySelectorAll("a[rel=prev], a[rel=next]").forEach(function (n) {
      n.setAttribute("href", n.getAttribute("href").split("#")[0] + location.hash);
    });
  }
})();
