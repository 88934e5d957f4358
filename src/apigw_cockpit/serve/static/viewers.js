// The war-room page's own bits: viewer count, why the screen closed, scaling the fixed-size
// terminal to the window. textual.js (patched by the server) calls these hooks.
(function () {
  "use strict";
  const baseTitle = document.title;

  window.cockpitViewers = function (info) {
    const n = info.count, word = n === 1 ? "viewer" : "viewers";
    document.getElementById("viewers").textContent = n + " " + word + " (max " + info.max + ")";
    document.title = baseTitle + " · " + n + " " + word;
  };

  window.cockpitClosed = function (event) {
    const reason = event.reason || "the shared cockpit closed";
    document.getElementById("closed-reason").textContent = reason;
    document.getElementById("viewers").textContent = "disconnected";
    document.title = baseTitle + " · disconnected";
  };

  // The server fixes the terminal's size so every viewer sees the same screen; scale it to fit.
  window.cockpitFit = function (element) {
    window.requestAnimationFrame(function () {
      const screen = element.querySelector(".xterm-screen");
      if (!screen || !screen.offsetWidth) return;
      const banner = document.getElementById("banner").offsetHeight;
      const scale = Math.min(
        window.innerWidth / screen.offsetWidth,
        (window.innerHeight - banner) / screen.offsetHeight
      );
      element.style.transform = "scale(" + scale + ")";
    });
  };

  window.addEventListener("DOMContentLoaded", function () {
    document.getElementById("reload").addEventListener("click", function () {
      window.location.reload();
    });
  });
})();
