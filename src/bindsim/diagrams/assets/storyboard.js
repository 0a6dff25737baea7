// A bindsim storyboard: fit the slides to the window; ←/→ (or PageUp/PageDown, space) step through.
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  function fit() {
    var scale = Math.min(1, (window.innerWidth - 32) / 1280);
    slides.forEach(function (slide) {
      slide.style.zoom = scale < 1 ? String(scale) : "";
    });
  }
  function current() {
    var middle = window.innerHeight / 2;
    var best = 0;
    slides.forEach(function (slide, index) {
      if (slide.getBoundingClientRect().top <= middle) { best = index; }
    });
    return best;
  }
  document.addEventListener("keydown", function (event) {
    var step = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1 }[event.key];
    if (!step) { return; }
    event.preventDefault();
    var next = Math.max(0, Math.min(slides.length - 1, current() + step));
    slides[next].scrollIntoView({ block: "center" });
  });
  window.addEventListener("resize", fit);
  fit();
})();
