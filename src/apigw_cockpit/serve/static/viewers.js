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
  let term = null;

  // The screen as text (what a screen reader or a test reads; the canvas has no DOM text).
  window.cockpitScreenText = function () {
    if (!term) return "";
    const buffer = term.buffer.active, lines = [];
    for (let i = 0; i < term.rows; i++) {
      const line = buffer.getLine(i);
      lines.push(line ? line.translateToString(true) : "");
    }
    return lines.join("\n");
  };

  window.cockpitFit = function (element, terminal) {
    term = terminal || term;
    window.requestAnimationFrame(function () {
      const screen = element.querySelector(".xterm-screen");
      if (!screen || !screen.offsetWidth) return;
      const banner = document.getElementById("banner").offsetHeight;
      const scale = Math.min(
        window.innerWidth / screen.offsetWidth,
        (window.innerHeight - banner) / screen.offsetHeight
      );
      // Clip to the screen (xterm's own box is wider) and scale it to the window.
      element.style.width = screen.offsetWidth + "px";
      element.style.height = screen.offsetHeight + "px";
      element.style.transform = "scale(" + scale + ")";
    });
  };

  window.addEventListener("DOMContentLoaded", function () {
    document.getElementById("reload").addEventListener("click", function () {
      window.location.reload();
    });
  });
})();
