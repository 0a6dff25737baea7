// The bindsim gallery: the en/中文 switch (remembered), and pan and zoom for every picture.
(function () {
  "use strict";
  var root = document.documentElement;
  var buttons = document.querySelectorAll(".switch button[data-lang]");
  function choose(lang) {
    root.setAttribute("data-lang", lang);
    root.setAttribute("lang", lang === "zh" ? "zh-Hans" : "en");
    buttons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.lang === lang)); });
    try { localStorage.setItem("bindsim-lang", lang); } catch (e) { /* a file: URL may refuse */ }
  }
  var asked = new URLSearchParams(location.search).get("lang");
  var saved = null;
  try { saved = localStorage.getItem("bindsim-lang"); } catch (e) { saved = null; }
  choose(asked || saved || (buttons[0] && buttons[0].dataset.lang) || "en");
  buttons.forEach(function (b) { b.addEventListener("click", function () { choose(b.dataset.lang); }); });

  // Pictures start at their own size (rule IDs readable); drag to pan, buttons or Ctrl+wheel to zoom.
  document.querySelectorAll(".zoom").forEach(function (frame) {
    var img = frame.querySelector("img");
    var scale = 1;
    function natural() { return img.naturalWidth || img.width; }
    function apply() { img.style.width = Math.round(natural() * scale) + "px"; }
    function zoom(by, fit) {
      scale = fit ? Math.min(1, frame.clientWidth / natural()) : Math.max(0.1, Math.min(4, scale * by));
      apply();
    }
    var bar = document.createElement("div");
    bar.className = "zoom-bar";
    [["−", 1 / 1.25], ["+", 1.25], ["1:1", 0], ["⤢", -1]].forEach(function (spec) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = spec[0];
      b.title = spec[1] === -1 ? "fit" : spec[1] === 0 ? "actual size" : "zoom";
      b.addEventListener("click", function () {
        if (spec[1] === 0) { scale = 1; apply(); } else { zoom(spec[1], spec[1] === -1); }
      });
      bar.appendChild(b);
    });
    frame.parentNode.insertBefore(bar, frame);
    frame.addEventListener("wheel", function (event) {
      if (!event.ctrlKey) { return; }
      event.preventDefault();
      zoom(event.deltaY < 0 ? 1.1 : 1 / 1.1, false);
    }, { passive: false });
    var start = null;
    frame.addEventListener("pointerdown", function (event) {
      start = { x: event.clientX, y: event.clientY, left: frame.scrollLeft, top: frame.scrollTop };
      frame.classList.add("dragging");
      event.preventDefault();
    });
    window.addEventListener("pointermove", function (event) {
      if (!start) { return; }
      frame.scrollLeft = start.left - (event.clientX - start.x);
      frame.scrollTop = start.top - (event.clientY - start.y);
    });
    window.addEventListener("pointerup", function () { start = null; frame.classList.remove("dragging"); });
  });
})();
