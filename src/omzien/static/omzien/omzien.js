// Small enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Print buttons are hidden until JavaScript can make them work.
  for (const button of document.querySelectorAll("[data-omzien-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});
